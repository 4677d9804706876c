// Data files and the URL in the page (docs/design.md, contracts 4 and 6), in Chromium through
// Playwright: a real CSV through liandan.loadFile, a drop on the canvas and the file input, the
// picker opened from the app, IDX pairs told apart by their headers, refusals that keep the run;
// a TensorFlow Playground link opening as its experiment, the hash following edits, hashchange.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { browserAndServers, clickWidget, openPage as openPageOf } from '../lib/browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildDir = process.env.LIANDAN_BUILD_DIR || path.join(root, 'build');

// The fetched data folder, in the order of the core's data_root() and scripts/fetch-data.
function dataRoot() {
  const env = process.env;
  if (env.LIANDAN_DATA) return env.LIANDAN_DATA;
  if (env.LIANDAN_CACHE) return path.join(env.LIANDAN_CACHE, 'data');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'liandan', 'data');
}
const tabular = path.join(dataRoot(), 'tabular');
const irisPath = path.join(tabular, 'iris.csv.gz'); // gzip: the reader takes plain and gzip CSV alike
const cancerPath = path.join(tabular, 'breast_cancer.csv.gz');

// IDX bytes (big-endian header, unsigned bytes), as the MNIST files are laid out.
function idx(dims, data) {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}
// n 8×8 images of a bright row (class 0), column (1) or diagonal (2), with a little noise.
function bars(n) {
  const px = new Uint8Array(n * 64), labels = new Uint8Array(n);
  let s = 12345;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) {
    const c = i % 3, k = 1 + Math.floor(rand() * 6);
    labels[i] = c;
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
      const on = c === 0 ? y === k : c === 1 ? x === k : x === y;
      px[i * 64 + y * 8 + x] = on ? 200 + Math.floor(rand() * 55) : Math.floor(rand() * 40);
    }
  }
  return { images: idx([n, 8, 8], px), labels: idx([n], labels) };
}


const web = browserAndServers(buildDir);
before(() => {
  assert.ok(fs.existsSync(irisPath), `${irisPath} is missing: run scripts/fetch-data`);
});

const openPage = (url) => openPageOf(web.browser, url);

// Plays until predicate(metrics) holds; returns those metrics. The predicate runs here, not in
// the page: its Content-Security-Policy refuses code sent as text (waitForFunction's strings).
async function playUntil(page, predicate, timeoutMs) {
  await page.evaluate(() => liandan.play());
  const deadline = Date.now() + timeoutMs;
  let m;
  while (!predicate(m = await page.evaluate(() => liandan.metrics()))) {
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms; last metrics ${JSON.stringify(m)}`);
    await page.waitForTimeout(100);
  }
  await page.evaluate(() => liandan.pause());
  return m;
}

test('a real CSV through liandan.loadFile trains, and another target column turns it into regression', async () => {
  const { page, errors } = await openPage(web.isolated.url);
  const bytes = [...fs.readFileSync(irisPath)];
  const r = await page.evaluate((b) => liandan.loadFile('iris.csv', new Uint8Array(b)), bytes);
  assert.equal(r.status, 'loaded');
  assert.equal(r.message, "iris.csv: CSV, target 'species' (3 classes), 4 input features");
  const spec = await page.evaluate(() => liandan.spec());
  assert.equal(spec.data.source, 'csv');
  assert.equal(spec.data.path, '/uploads/iris.csv');
  assert.equal(spec.data.target, 'species');
  assert.deepEqual(spec.model.input, [4]);
  assert.equal(spec.loss.type, 'cross_entropy');
  assert.deepEqual(spec.model.layers.map((l) => l.units), [16, 16, 3]); // the app's hidden layers are kept
  const m = await playUntil(page, (m) => m.epoch >= 20 && m.accuracy_test >= 0.85, 30000);
  console.log(`iris: epoch ${m.epoch}, loss ${m.loss_train.toFixed(4)}, test accuracy ${m.accuracy_test.toFixed(3)}`);
  assert.ok(m.loss_train < 0.5);

  const t = await page.evaluate(() => liandan.setTarget('petal_width'));
  assert.equal(t.message, "target 'petal_width' (regression)");
  const reg = await page.evaluate(() => liandan.spec());
  assert.equal(reg.loss.type, 'mse');
  assert.equal(reg.model.layers.at(-1).units, 1);
  assert.deepEqual(reg.model.input, [6]); // sepals, petal length and the species one-hot
  const r2 = await playUntil(page, (m) => m.epoch >= 20 && m.r2_test > 0.8, 30000);
  console.log(`petal width: epoch ${r2.epoch}, test RMSE ${r2.rmse_test.toFixed(3)}, R² ${r2.r2_test.toFixed(3)}`);
  assert.deepEqual(errors, []);

  // The link of this experiment, opened in a fresh page (a reload): the page no longer has the
  // file, so the link waits for it, saying which; opening it brings the link's experiment back.
  await page.waitForFunction(() => location.hash.startsWith('#spec='));
  const link = await page.evaluate(() => location.href);
  await page.close();
  const again = await openPage(link);
  const waiting = await again.page.evaluate(() => liandan.viewState().message);
  assert.match(waiting, /This link trains on iris\.csv.*Open it again/);
  assert.equal(await again.page.evaluate(() => liandan.spec().data.source), 'toy', 'the defaults meanwhile');
  const asked = await again.page.evaluate(() => liandan.loadUrl(location.hash));
  assert.equal(asked.status, 'waiting', 'loadUrl says the link waits rather than never settling');
  const back = await again.page.evaluate((b) => liandan.loadFile('iris.csv', new Uint8Array(b)), bytes);
  assert.equal(back.message, "iris.csv: the link's experiment, on its data");
  const restored = await again.page.evaluate(() => liandan.spec());
  assert.equal(restored.data.target, 'petal_width');
  assert.equal(restored.loss.type, 'mse');
  assert.deepEqual(again.errors, []);
  await again.page.close();
});

test('a CSV dropped on the canvas and one picked through the file input', async () => {
  const { page, errors } = await openPage(web.isolated.url);
  const cancer = [...fs.readFileSync(cancerPath)];
  // A real drop event with a DataTransfer holding a File, as a browser fires it.
  const dataTransfer = await page.evaluateHandle((b) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(b)], 'breast_cancer.csv', { type: 'text/csv' }));
    return dt;
  }, cancer);
  await page.dispatchEvent('#canvas', 'drop', { dataTransfer });
  await page.waitForFunction(() => liandan.spec().data.path === '/uploads/breast_cancer.csv' && liandan.metrics().loads >= 1);
  const spec = await page.evaluate(() => liandan.spec());
  assert.equal(spec.data.target, 'diagnosis');
  assert.equal(spec.loss.type, 'bce');
  assert.deepEqual(spec.model.input, [30]);
  const m = await playUntil(page, (m) => m.epoch >= 5 && m.accuracy_test > 0.9, 30000);
  console.log(`breast cancer (dropped): epoch ${m.epoch}, test accuracy ${m.accuracy_test.toFixed(3)}`);

  await page.setInputFiles('#data-file', irisPath);
  await page.waitForFunction(() => liandan.spec().data.path === '/uploads/iris.csv.gz');
  assert.equal(await page.evaluate(() => liandan.spec().loss.type), 'cross_entropy');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the app opens the file picker (key o) within the user activation of the key press', async () => {
  const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Playwright turns on file-chooser interception asynchronously: listen before the page loads.
  const choosers = [];
  page.on('filechooser', (c) => choosers.push(c));
  await page.goto(web.isolated.url);
  await page.evaluate(() => window.liandan.ready);
  await page.click('#canvas', { position: { x: 1270, y: 790 } }); // focus, away from the controls
  // The app opens the picker from its frame, after the key press: Chromium only shows it within a
  // user activation, so no chooser would appear if that had lapsed. (The spy is set up by an
  // evaluate that returns at once: with it still pending, the first key press did not reach the app.)
  await page.evaluate(() => {
    const open = Module.openFilePicker;
    Module.openFilePicker = () => { window.pickerActivation = navigator.userActivation.isActive; open(); };
  });
  await page.keyboard.press('o');
  await page.waitForFunction(() => window.pickerActivation !== undefined);
  assert.equal(await page.evaluate(() => window.pickerActivation), true);
  for (let waited = 0; choosers.length === 0 && waited < 5000; waited += 50) await page.waitForTimeout(50);
  assert.equal(choosers.length, 1);
  const chooser = choosers[0];
  assert.equal(chooser.isMultiple(), true);
  await chooser.setFiles(irisPath);
  await page.waitForFunction(() => liandan.spec().data.path === '/uploads/iris.csv.gz');
  await page.close();
});

test('IDX images and labels are told apart by their headers, plain or gzip, in either order', async () => {
  const { page, errors } = await openPage(web.isolated.url);
  const { images, labels } = bars(300);
  // Names that say nothing about which file is which: the labels come first, the images gzipped.
  const first = await page.evaluate((b) => liandan.loadFile('part-a.bin', new Uint8Array(b)), [...labels]);
  assert.equal(first.status, 'waiting');
  assert.equal(first.message, 'part-a.bin: IDX labels [300]; now open the matching images file (IDX)');
  const second = await page.evaluate((b) => liandan.loadFile('part-b.gz', new Uint8Array(b)), [...zlib.gzipSync(images)]);
  assert.equal(second.status, 'loaded');
  assert.equal(second.message, 'part-b.gz + part-a.bin: IDX, samples of 1 × 8 × 8, 3 classes');
  const spec = await page.evaluate(() => liandan.spec());
  assert.equal(spec.data.source, 'idx');
  assert.deepEqual(spec.model.input, [1, 8, 8]);
  assert.equal(spec.model.layers.at(-1).units, 3);
  const m = await playUntil(page, (m) => m.epoch >= 3 && m.accuracy_test > 0.9, 30000);
  console.log(`IDX bars: epoch ${m.epoch}, test accuracy ${m.accuracy_test.toFixed(3)}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a malformed file or a mismatched model is refused with a clear message, keeping the run', async () => {
  const { page } = await openPage(web.isolated.url);
  await page.evaluate((b) => liandan.loadFile('iris.csv', new Uint8Array(b)), [...fs.readFileSync(irisPath)]);
  await page.evaluate(() => liandan.step(5));
  const before = await page.evaluate(() => ({ spec: liandan.spec(), metrics: liandan.metrics() }));

  const ragged = await page.evaluate(() => liandan.loadFile('bad.csv', new TextEncoder().encode('a,b,c\n1,2,3\n4,5\n'))
    .then(() => 'accepted', (e) => e.message));
  assert.equal(ragged, '/uploads/bad.csv:3: has 2 fields; the header has 3');
  const binary = await page.evaluate(() => liandan.loadFile('photo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]))
    .then(() => 'accepted', (e) => e.message));
  assert.equal(binary, '/uploads/photo.png: is neither an IDX file (MNIST format) nor CSV text');

  // A spec whose input does not match the data: the core names both shapes; the run and its spec stay.
  const mismatch = await page.evaluate((spec) => liandan.load({ ...spec, model: { ...spec.model, input: [7] } })
    .then(() => 'accepted', (e) => e.message), before.spec);
  assert.equal(mismatch, 'model.input: shape [7] does not match the data\'s [4]');
  await page.waitForFunction(() => JSON.stringify(liandan.spec().model.input) === '[4]');
  const afterwards = await page.evaluate(() => liandan.metrics());
  assert.equal(afterwards.run, before.metrics.run);
  assert.equal(afterwards.step, before.metrics.step);
  assert.deepEqual(await page.evaluate(() => liandan.spec()), before.spec);
  await page.close();
});

test('loadFile works in the single-threaded build too, and over postMessage', async () => {
  const { page } = await openPage(web.plain.url);
  const r = await page.evaluate((b) => liandan.loadFile('iris.csv', new Uint8Array(b)), [...fs.readFileSync(irisPath)]);
  assert.equal(r.status, 'loaded');
  const m = await page.evaluate(() => liandan.step(24));
  assert.equal(m.step, 24);
  await page.close();

  const embed = await web.browser.newPage();
  await embed.goto(web.isolated.url + 'embed-example.html');
  await embed.waitForFunction(() => window.playgroundReady, null, { timeout: 60000 });
  const result = await embed.evaluate(async (b) => {
    const frame = document.querySelector('iframe');
    const call = (method, ...args) => new Promise((resolve, reject) => {
      const id = Math.random();
      window.addEventListener('message', function on(e) {
        if (e.data?.type !== 'liandan-result' || e.data.id !== id) return;
        window.removeEventListener('message', on);
        e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.result);
      });
      frame.contentWindow.postMessage({ type: 'liandan', id, method, args }, '*');
    });
    const loaded = await call('loadFile', 'iris.csv', new Uint8Array(b));
    return { status: loaded.status, url: await call('url') };
  }, [...fs.readFileSync(irisPath)]);
  assert.equal(result.status, 'loaded');
  assert.match(result.url, /^#spec=[A-Za-z0-9_-]+$/); // CSV data: the full-spec form
  await embed.close();
});

// TensorFlow Playground's own link, with a few values changed from its defaults.
const playgroundLink = '#activation=relu&batchSize=5&dataset=xor&regDataset=reg-plane&learningRate=0.1&regularizationRate=0' +
  '&noise=15&networkShape=6,3&seed=0.59688&showTestData=true&discretize=false&percTrainData=70&x=true&y=true&xTimesY=true' +
  '&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false&problem=classification' +
  '&initZero=false&hideText=false';

test('a TensorFlow Playground link opens as its experiment, and the hash follows the experiment', async () => {
  const { page, errors } = await openPage(web.isolated.url + playgroundLink);
  const spec = await page.evaluate(() => liandan.spec());
  assert.equal(spec.data.toy.shape, 'xor');
  assert.equal(spec.data.toy.noise, 0.15);
  assert.equal(spec.data.toy.n, 500);
  assert.ok(Math.abs(spec.data.test_fraction - 0.3) < 1e-12);
  assert.deepEqual(spec.data.features, ['x', 'y', 'xy']);
  assert.deepEqual(spec.model.layers.map((l) => [l.units, l.activation || 'linear']), [[6, 'relu'], [3, 'relu'], [1, 'linear']]);
  assert.equal(spec.optimizer.lr, 0.1);
  assert.equal(spec.train.batch_size, 5);
  assert.equal(spec.view.show_test_data, true);
  // The run is that experiment from the start: no load was needed after the page opened.
  const m0 = await page.evaluate(() => liandan.metrics());
  assert.equal(m0.loads, 0);
  const m = await playUntil(page, (m) => m.epoch >= 10 && m.accuracy_test > 0.8, 30000);
  console.log(`Playground link (xor): epoch ${m.epoch}, test accuracy ${m.accuracy_test.toFixed(3)}`);
  // The link as opened stays until the experiment changes.
  assert.equal(await page.evaluate(() => location.hash), playgroundLink);

  const historyBefore = await page.evaluate(() => history.length);
  await page.evaluate((s) => liandan.load({ ...s, train: { ...s.train, batch_size: 7 } }), spec);
  await page.waitForFunction(() => location.hash.includes('&batchSize=7&'), null, { timeout: 5000 });
  const hash = await page.evaluate(() => location.hash);
  assert.equal(hash, await page.evaluate(() => liandan.url()));
  assert.ok(hash.startsWith('#activation=relu&regularization=none&batchSize=7&dataset=xor&'), hash);
  assert.equal(await page.evaluate(() => history.length), historyBefore); // replaced, not pushed

  // Editing the hash over the user's trained run asks first: Cancel keeps the run and puts its
  // address back, Open the link loads the new experiment.
  const link = '#dataset=gauss&networkShape=3&learningRate=0.05';
  await page.evaluate(() => liandan.step(3)); // the edit started a new run: some training in it
  await page.waitForFunction(() => liandan.metrics().step >= 3, null, { timeout: 5000 });
  const kept = await page.evaluate(() => liandan.url());
  await page.evaluate((h) => { location.hash = h; }, link);
  await page.waitForFunction(() => liandan.widget('Open the link'), null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => liandan.viewState().link_asked), true);
  await clickWidget(page, 'Cancel');
  await page.waitForFunction((h) => location.hash === h, kept, { timeout: 5000 });
  assert.equal(await page.evaluate(() => liandan.spec().data.toy.shape), 'xor', 'Cancel keeps the run');
  await page.evaluate((h) => { location.hash = h; }, link);
  await page.waitForFunction(() => liandan.widget('Open the link'), null, { timeout: 5000 });
  await page.keyboard.press('Enter'); // Enter opens, as the Open button
  await page.waitForFunction(() => liandan.spec().data.toy.shape === 'gauss');
  await page.waitForFunction((h) => !liandan.viewState().link_asked && location.hash === h, link, { timeout: 5000 }); // the link stays as typed
  // The link of the run in force, typed again, keeps the run; a bad link is refused at once,
  // naming the key, keeping the run (asked about nothing).
  await page.evaluate(() => liandan.step(3));
  await page.waitForFunction(() => liandan.metrics().step >= 3, null, { timeout: 5000 });
  await page.evaluate((h) => { location.hash = h + '&regularization=none'; }, link); // the same experiment, written otherwise
  await page.waitForTimeout(500);
  assert.deepEqual(await page.evaluate(() => [liandan.viewState().link_asked, liandan.metrics().step >= 3]), [false, true]);
  assert.deepEqual(await page.evaluate(() => liandan.spec().model.layers.map((l) => l.units)), [3, 1]);
  const refused = await page.evaluate(() => new Promise((resolve) => {
    liandan.addEventListener('error', (e) => resolve(e.detail.error), { once: true });
    location.hash = '#dataset=gauss&noise=120';
  }));
  assert.equal(refused, 'URL noise: 120 is above the maximum 100');
  assert.equal(await page.evaluate(() => liandan.spec().data.toy.noise), 0);
  const direct = await page.evaluate(() => { try { liandan.loadUrl('#activation=swish'); return 'accepted'; } catch (e) { return e.message; } });
  assert.equal(direct, "URL activation: 'swish' is not one of relu, tanh, sigmoid, linear, leaky_relu, elu, gelu");
  assert.deepEqual(errors, []);
  await page.close();
});

test('Back to an earlier link over a trained run asks; Cancel returns to the run without losing that link', async () => {
  const first = '#dataset=xor&networkShape=4&learningRate=0.03';
  const second = '#dataset=gauss&networkShape=3&learningRate=0.05';
  const { page, errors } = await openPage(web.isolated.url + first);
  await page.evaluate((h) => { location.hash = h; }, second); // nothing trained yet: opened at once
  await page.waitForFunction(() => liandan.spec().data.toy.shape === 'gauss', null, { timeout: 5000 });
  await page.evaluate(() => liandan.step(3));
  await page.waitForFunction(() => liandan.metrics().step >= 3, null, { timeout: 5000 });
  const entries = await page.evaluate(() => history.length);
  await page.evaluate(() => history.back());
  await page.waitForFunction(() => liandan.widget('Open the link'), null, { timeout: 5000 });
  await clickWidget(page, 'Cancel');
  await page.waitForFunction((h) => location.hash === h, second, { timeout: 5000 }); // Forward again, to the run's own entry
  assert.deepEqual(await page.evaluate(() => [liandan.spec().data.toy.shape, liandan.metrics().step >= 3, history.length]),
    ['gauss', true, entries]);
  // The earlier link is still there, one step back.
  await page.evaluate(() => history.back());
  await page.waitForFunction(() => liandan.widget('Open the link'), null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => location.hash), first);
  await clickWidget(page, 'Open the link');
  await page.waitForFunction(() => liandan.spec().data.toy.shape === 'xor', null, { timeout: 5000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('Back twice over a trained run, then Cancel, returns to the run and asks nothing more', async () => {
  const links = ['#dataset=xor&networkShape=4', '#dataset=circle&networkShape=3', '#dataset=gauss&networkShape=2'];
  const { page, errors } = await openPage(web.isolated.url + links[0]);
  for (const [h, shape] of [[links[1], 'circle'], [links[2], 'gauss']]) { // nothing trained yet: each opens at once
    await page.evaluate((x) => { location.hash = x; }, h);
    await page.waitForFunction((s) => liandan.spec().data.toy.shape === s, shape, { timeout: 5000 });
  }
  await page.evaluate(() => liandan.step(3));
  await page.waitForFunction(() => liandan.metrics().step >= 3, null, { timeout: 5000 });
  const entries = await page.evaluate(() => history.length);
  for (const h of [links[1], links[0]]) {
    await page.evaluate(() => history.back());
    await page.waitForFunction((x) => location.hash === x && liandan.widget('Open the link'), h, { timeout: 5000 });
  }
  await clickWidget(page, 'Cancel');
  await page.waitForFunction((h) => location.hash === h, links[2], { timeout: 5000 }); // two entries forward, to the run's
  await page.waitForTimeout(700);
  assert.deepEqual(await page.evaluate(() => [liandan.viewState().link_asked, liandan.spec().data.toy.shape, liandan.metrics().step >= 3, history.length]),
    [false, 'gauss', true, entries]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a page opened with a bad hash starts with the default experiment, and says so; no hash gets one', async () => {
  const { page, errors } = await openPage(web.isolated.url + '#dataset=donut');
  assert.equal(await page.evaluate(() => liandan.spec().data.toy.shape), 'spiral');
  assert.match(await page.evaluate(() => liandan.viewState().message), /^URL dataset: 'donut' is not one of/);
  assert.equal(await page.evaluate(() => location.hash), await page.evaluate(() => liandan.url()), 'the address says the experiment in force');
  // The refusal is old news once the user acts on the run in force.
  await page.evaluate(() => liandan.step(1));
  assert.equal(await page.evaluate(() => liandan.viewState().message), '');
  await page.close();
  const fresh = await openPage(web.isolated.url);
  assert.equal(await fresh.page.evaluate(() => location.hash), await fresh.page.evaluate(() => liandan.url()), 'the URL is the experiment from the start');
  assert.deepEqual([...errors, ...fresh.errors], []);
  await fresh.page.close();
});
