// The named data sets in the page (core/data/catalog.h, web/data-fetch.js), in Chromium through
// Playwright: MNIST picked from the data panel's menu with the mouse, fetched from the server with
// progress, trained far above chance, kept in the browser's cache; #dataset= links; a server
// without the data says what to do and the experiment in force is untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { browserAndServers, serve, openPage as openPageOf, stillWidget } from '../lib/browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildDir = process.env.LIANDAN_BUILD_DIR || path.join(root, 'build');
const shots = path.join(buildDir, 'screenshots'); // looked at by people (the README's come from here)
fs.mkdirSync(shots, { recursive: true });
const web = browserAndServers(buildDir);

const openPage = (url) => openPageOf(web.browser, url);

// Clicks a control of the app where a person would, found by its label.
async function click(page, label) {
  let w = null;
  for (let i = 0; i < 50 && !w; i++) {
    w = await page.evaluate((l) => liandan.widget(l), label);
    if (!w) await page.waitForTimeout(100);
  }
  assert.ok(w, `'${label}' is on screen`);
  // Hovered first, as a hand does (a tap without it is tests/web/touch.test.mjs's).
  await page.mouse.move(w.x + w.w / 2, w.y + w.h / 2);
  await page.waitForTimeout(50);
  w = (await page.evaluate((l) => liandan.widget(l), label)) || w; // where it is now, if the layout moved meanwhile
  await page.mouse.click(w.x + w.w / 2, w.y + w.h / 2);
  await page.waitForTimeout(150); // a frame or more: the next control is looked up after this one acted
}

// Polls until predicate(metrics) holds (the page's CSP refuses waitForFunction's strings).
async function until(page, predicate, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let m;
  while (!predicate(m = await page.evaluate(() => liandan.metrics()))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last metrics ${JSON.stringify(m)}`);
    await page.waitForTimeout(50);
  }
  return m;
}

test('MNIST from the menu: fetched with progress, trained far above chance, cached for the next visit', async () => {
  const { page, errors } = await openPage(web.isolated.url);
  await click(page, 'MNIST digits');
  // Progress while the files arrive (the app's panel shows the same numbers as a bar).
  const progress = await until(page, (m) => m.fetching || m.loads >= 1, 30000, 'the fetch starts');
  if (progress.fetching) assert.equal(progress.fetching.data, 'MNIST digits');
  const m = await until(page, (m) => m.loads >= 1 && !m.fetching, 60000, 'MNIST loads');
  assert.equal(m.error, undefined);
  const spec = await page.evaluate(() => liandan.spec());
  assert.equal(spec.data.source, 'mnist');
  assert.equal(spec.model.layers[0].type, 'conv2d', 'the set proposes its CNN');
  assert.equal(await page.evaluate(() => liandan.url()), '#dataset=mnist');
  const trained = await page.evaluate(() => liandan.step(300));
  console.log(`MNIST in the page: ${trained.step} steps, test accuracy ${trained.accuracy_test.toFixed(3)}`);
  assert.ok(trained.accuracy_test > 0.6, `test accuracy ${trained.accuracy_test} is far above chance (0.1)`);
  const confusion = trained.confusion_test.reduce((a, b) => a + b, 0);
  assert.equal(confusion, 2000, 'the confusion matrix counts every test digit');

  // The files stay in Cache Storage, keyed by the version that made them.
  const cached = await page.evaluate(async () => (await (await caches.open('liandan-data')).keys()).map((r) => r.url));
  assert.ok(cached.some((u) => u.includes('/data/mnist/train-images-idx3-ubyte.gz?v=')), cached.join('\n'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a #dataset= link opens the named set with its proposed network; a table trains', async () => {
  const { page, errors } = await openPage(web.isolated.url + '#dataset=iris&learningRate=0.02');
  const m = await until(page, (m) => m.loads >= 1 && !m.fetching, 30000, 'iris loads');
  assert.equal(m.error, undefined);
  const spec = await page.evaluate(() => liandan.spec());
  assert.equal(spec.data.source, 'iris');
  assert.equal(spec.optimizer.lr, 0.02);
  const trained = await page.evaluate(() => liandan.step(300));
  assert.ok(trained.accuracy_test > 0.85, `iris test accuracy ${trained.accuracy_test}`);
  // A plane key beside a named set is refused, naming it; the run in force stays.
  await assert.rejects(page.evaluate(() => liandan.loadUrl('#dataset=mnist&networkShape=4')), /networkShape: is for the plane's data sets/);
  assert.equal((await page.evaluate(() => liandan.spec())).data.source, 'iris');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a server without the data says what to do, and the experiment in force goes on', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'liandan-no-data-'));
  const server = await serve(buildDir, ['--data-dir', empty]);
  try {
    const { page, errors } = await openPage(server.url);
    const before = await page.evaluate(() => liandan.spec());
    const refused = await page.evaluate(() => liandan.load({ data: { source: 'fashion-mnist' } }).then(() => '', (e) => e.message));
    assert.match(refused, /data\/fashion-mnist\/ is not on this server \(HTTP 404\): run scripts\/fetch-data/);
    assert.deepEqual(await page.evaluate(() => liandan.spec()), before, 'the experiment in force is kept');
    assert.match(await page.evaluate(() => liandan.viewState().message), /fashion-mnist/);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    server.child.kill();
  }
});

test('a CNN built with the layer editor: an invalid stack is explained on its layer, a valid one trains', async () => {
  const { page, errors } = await openPage(web.isolated.url + '#dataset=mnist');
  await until(page, (m) => m.loads >= 1 && !m.fetching, 60000, 'MNIST loads');
  await click(page, 'MLP');
  await until(page, (m) => m.loads >= 2, 30000, 'the MLP loads');
  const layers = async () => (await page.evaluate(() => liandan.spec())).model.layers.map((l) => l.type);
  assert.deepEqual(await layers(), ['flatten', 'dense', 'dense', 'dense']);
  const layersBecome = async (want, what) => {
    for (let i = 0; i < 300; i++) {
      if (JSON.stringify(await layers()) === JSON.stringify(want)) return;
      await page.waitForTimeout(50);
    }
    assert.deepEqual(await layers(), want, what);
  };
  // A pool added before the output layer follows a dense layer: refused on that layer, in the
  // interface's words, and the run in force is kept.
  await click(page, '##add layer');
  await click(page, 'maxpool');
  let problem = null;
  for (let i = 0; i < 50 && !problem; i++) problem = await page.evaluate(() => liandan.widget('layer stack error'));
  assert.ok(problem, 'the faulty layer is explained');
  assert.match((await page.evaluate(() => liandan.viewState())).layer_stack_error, /^layer 4/);
  assert.deepEqual(await layers(), ['flatten', 'dense', 'dense', 'dense'], 'the run in force is kept');
  // Moved to the top it fits (a pool of the image), and a convolution goes above it.
  for (const k of [4, 3, 2]) await click(page, `^##layer ${k} up`);
  await layersBecome(['maxpool', 'flatten', 'dense', 'dense', 'dense'], 'the pool moved to the top');
  await click(page, '##add layer');
  await click(page, 'conv2d');
  for (const k of [5, 4, 3, 2]) await click(page, `^##layer ${k} up`);
  await layersBecome(['conv2d', 'maxpool', 'flatten', 'dense', 'dense', 'dense'], 'a CNN built by clicking');
  await until(page, (m) => !m.fetching && m.loads >= 1, 1000, 'loaded');
  const trained = await page.evaluate(() => liandan.step(200));
  console.log(`a CNN built by clicking: ${trained.step} steps, test accuracy ${trained.accuracy_test.toFixed(3)}`);
  assert.ok(trained.accuracy_test > 0.6, `test accuracy ${trained.accuracy_test}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the loss and its class weights are chosen in the interface and kept in the URL', async () => {
  const { page, errors } = await openPage(web.isolated.url + '#dataset=breast-cancer');
  await until(page, (m) => m.loads >= 1 && !m.fetching, 30000, 'breast cancer loads');
  await click(page, 'Class weights');
  await until(page, (m) => m.loads >= 2, 10000, 'the weighted loss loads');
  const spec = await page.evaluate(() => liandan.spec());
  assert.equal(spec.loss.type, 'cross_entropy');
  assert.equal(spec.loss.class_weights.length, 2);
  assert.ok(spec.loss.class_weights[1] > spec.loss.class_weights[0], `the rarer class (malignant) weighs more: ${spec.loss.class_weights}`);
  const url = await page.evaluate(() => liandan.url());
  assert.match(url, /^#spec=/);
  // The two-class views after some training: the threshold moves the confusion matrix.
  const trained = await page.evaluate(() => liandan.step(400));
  assert.ok(trained.accuracy_test > 0.9, `breast cancer test accuracy ${trained.accuracy_test}`);
  await page.mouse.move(5, 795); // no tooltip in the picture
  await page.waitForTimeout(300);
  const views = (await page.evaluate(() => liandan.viewState())).threshold;
  assert.ok(views.auc > 0.95, `AUC ${views.auc}`);
  await page.screenshot({ path: path.join(shots, 'web-table.png') });
  await page.close();
  const again = await openPage(web.isolated.url + url);
  await until(again.page, (m) => m.loads >= 1 && !m.fetching, 30000, 'the link loads');
  assert.deepEqual((await again.page.evaluate(() => liandan.spec())).loss, spec.loss);
  assert.deepEqual([...errors, ...again.errors], []);
  await again.page.close();
});

test('image views: a confusion cell shows exactly its images; a stroke drawn on the pad is read live', async () => {
  const { page, errors } = await openPage(web.isolated.url + '#dataset=mnist');
  await until(page, (m) => m.loads >= 1 && !m.fetching, 60000, 'MNIST loads');
  const m = await page.evaluate(() => liandan.step(300));
  await click(page, 'Confusion');
  await click(page, 'confusion 3 3');
  let state;
  for (let i = 0; i < 40; i++) {
    state = await page.evaluate(() => liandan.viewState());
    if (state.confusion_cell.actual === 3 && state.confusion_cell.images > 0) break;
    await page.waitForTimeout(50);
  }
  const latest = await page.evaluate(() => liandan.metrics());
  assert.equal(state.confusion_cell.images, latest.confusion_test[3 * 10 + 3], 'the cell opens exactly its images');
  assert.equal(latest.confusion_test.reduce((a, b) => a + b, 0), 2000);

  // A vertical stroke on the pad, as a finger or mouse draws it.
  await click(page, 'Draw');
  const pad = await page.evaluate(() => liandan.widget('drawing pad'));
  assert.ok(pad, 'the drawing pad is on screen');
  await page.mouse.move(pad.x + pad.w * 0.5, pad.y + pad.h * 0.15);
  await page.mouse.down();
  for (let t = 1; t <= 12; t++) {
    await page.mouse.move(pad.x + pad.w * (0.5 + 0.01 * t), pad.y + pad.h * (0.15 + 0.06 * t));
    await page.waitForTimeout(30);
  }
  await page.mouse.up();
  let probe = null;
  for (let i = 0; i < 60 && !(probe && probe.drawn); i++) {
    probe = (await page.evaluate(() => liandan.viewState())).probe;
    await page.waitForTimeout(50);
  }
  assert.ok(probe && probe.drawn, 'the drawing is read');
  assert.equal(probe.probabilities.length, 10);
  assert.ok(Math.abs(probe.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4);
  console.log(`a drawn stroke after ${m.step} steps: read as ${probe.top} (${(100 * probe.probabilities[probe.top]).toFixed(0)}%)`);
  assert.equal(probe.top, 1, 'a vertical stroke reads as a one');
  // The reading stands beside the pad, in sight as the digit is drawn (it was below, out of view).
  const clear = await page.evaluate(() => liandan.widget('Clear'));
  assert.ok(clear && clear.x > pad.x + pad.w && clear.y < pad.y + pad.h, `the reading's column beside the pad: ${JSON.stringify(clear)}`);
  await page.mouse.move(5, 795);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shots, 'web-mnist-draw.png') });
  await click(page, 'Mistakes');
  await page.mouse.move(5, 795);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shots, 'web-mnist-mistakes.png') });
  await click(page, 'Samples');
  await click(page, 'Test images');
  await click(page, 'sample'); // the first test image, followed through the network (Inside)
  await page.mouse.move(5, 795);
  await page.waitForTimeout(500);
  assert.equal((await page.evaluate(() => liandan.viewState())).probe.drawn, false, 'a test image is followed now');
  await page.screenshot({ path: path.join(shots, 'web-mnist-inside.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('augmentation: the digits train on moved images, and the Samples tab shows them moved', async () => {
  const { page, errors } = await openPage(web.isolated.url + '#dataset=mnist');
  await until(page, (m) => m.loads >= 1 && !m.fetching, 60000, 'MNIST loads');
  const spec = await page.evaluate(() => liandan.spec());
  assert.deepEqual(spec.train.augment, { shift: 1, flip: false }, 'the LeNet-like net moves its images by up to a pixel');
  spec.train.augment = { shift: 4, flip: true };
  const loads = (await page.evaluate(() => liandan.metrics())).loads;
  await page.evaluate((s) => liandan.load(s), spec);
  await until(page, (m) => m.loads > loads && !m.fetching, 60000, 'the spec with more augmentation loads');
  const m = await page.evaluate(() => liandan.step(50));
  assert.ok(Number.isFinite(m.loss_train) && m.step === 50, `50 steps on moved images: ${JSON.stringify(m)}`);

  // The first training image's tile, as drawn: its dark pixels (ink) and all its pixels.
  const tile = async () => {
    await page.mouse.move(5, 795);
    await page.waitForTimeout(300);
    const w = await stillWidget(page, 'sample');
    const png = PNG.sync.read(await page.screenshot({ clip: { x: w.x, y: w.y, width: w.w, height: w.h } }));
    let ink = 0;
    for (let i = 0; i < png.data.length; i += 4) ink += png.data[i] < 128 ? 1 : 0;
    return { ink, data: png.data };
  };
  const plain = await tile();
  await click(page, 'Augmented');
  const moved = await tile();
  console.log(`first training image: ${plain.ink} dark pixels as stored, ${moved.ink} as augmented`);
  assert.ok(plain.ink > 20 && moved.ink > 20, 'both tiles hold the digit');
  assert.ok(!plain.data.equals(moved.data), 'the augmented tile is the image moved');
  assert.deepEqual(errors, []);
  await page.close();
});
