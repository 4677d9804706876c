// Keep and share (web/keep.js, core/train/experiment_file.h), in Chromium through Playwright: a
// reload mid-training restores the experiment within a snapshot; the experiment, weights and spec
// go out and come back unchanged, from the page API and from the Experiment menu; weights that do
// not fit are refused naming the tensor with the run intact; refused storage is said once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { browserAndServers, clickWidget, openPage as open, root } from '../lib/browser.mjs';

const web = browserAndServers(process.env.LIANDAN_BUILD_DIR || path.join(root, 'build'));
const openPage = (url) => open(web.browser, url);

// The steps of the snapshots shown over about a second of training (each a distinct step count).
async function snapshotSteps(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const steps = [];
    const t0 = performance.now();
    (function look() {
      const s = liandan.metrics().step;
      if (steps.at(-1) !== s) steps.push(s);
      if (performance.now() - t0 < 1000 || steps.length < 3) requestAnimationFrame(look);
      else resolve(steps);
    })();
  }));
}

for (const [name, server] of [['threaded', () => web.isolated], ['single-threaded', () => web.plain]]) {
  test(`a reload in the middle of training restores the experiment within a snapshot (${name})`, async () => {
    const { page, errors } = await openPage(server().url + '#speed=0');
    await page.evaluate(() => liandan.play());
    await page.waitForFunction(() => liandan.metrics().step > 2000, null, { timeout: 60000 });
    const steps = await snapshotSteps(page);
    await page.reload(); // while training: nothing waits for the storage
    await page.evaluate(() => window.liandan.ready);
    await page.waitForFunction(() => liandan.metrics().step > 0, null, { timeout: 20000 });
    const restored = await page.evaluate(() => ({ ...liandan.metrics(), view: liandan.viewState() }));
    console.log(`${name}: snapshots before the reload at steps ${steps.slice(-3).join(', ')}; restored at ${restored.step}`);
    assert.ok(restored.step >= steps.at(-2), `restored at step ${restored.step}, more than a snapshot before ${steps.at(-1)}`);
    assert.match(restored.view.message, /^Restored your experiment from this browser's storage: epoch \d+, step \d+, with its weights/);
    assert.equal(restored.running, false, 'a restored run waits for play');
    // It trains on from there.
    await page.evaluate(() => liandan.step(5));
    assert.equal(await page.evaluate(() => liandan.metrics().step), restored.step + 5);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('an uploaded data file is stored once beside the experiment, and comes back with it', async () => {
  const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(() => { // counts the uploads' writes to storage
    window.uploadWrites = 0;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, key) {
      if (String(key).startsWith('upload:')) window.uploadWrites++;
      return put.call(this, value, key);
    };
  });
  await page.goto(web.isolated.url);
  await page.evaluate(() => window.liandan.ready);
  const rows = Array.from({ length: 200 }, (_, i) => `${(i % 7) - 3 + (i % 2) * 4},${(i % 5) - 2},${i % 2}`);
  const r = await page.evaluate((text) => liandan.loadFile('two.csv', new TextEncoder().encode(text)), ['a,b,label', ...rows].join('\n'));
  assert.equal(r.status, 'loaded');
  const e0 = await page.evaluate(() => liandan.viewState().experiment_id);
  await page.evaluate(() => liandan.play());
  // A small network's experiment is kept with its snapshots: several files while training.
  await page.waitForFunction((e) => liandan.viewState().experiment_id >= e + 4, e0, { timeout: 20000 });
  await page.evaluate(() => liandan.pause());
  await page.waitForFunction(() => !liandan.metrics().running);
  await page.evaluate(() => liandan.keptSettled());
  const paused = await page.evaluate(() => liandan.metrics().step);
  assert.equal(await page.evaluate(() => window.uploadWrites), 1, 'the upload was written again with each file');
  await page.reload();
  await page.evaluate(() => window.liandan.ready);
  await page.waitForFunction(() => liandan.metrics().step > 0, null, { timeout: 20000 });
  assert.equal(await page.evaluate(() => liandan.spec().data.path), '/uploads/two.csv');
  assert.equal(await page.evaluate(() => liandan.metrics().step), paused);
  assert.match(await page.evaluate(() => liandan.viewState().message), /^Restored your experiment from this browser's storage/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a reload restores the very weights, curves and settings; New experiment starts clean', async () => {
  const { page, errors } = await openPage(web.isolated.url);
  await page.evaluate(() => liandan.load({ data: { toy: { shape: 'xor', n: 300 } },
    model: { layers: [{ type: 'dense', units: 6, activation: 'relu' }, { type: 'dense', units: 1 }] },
    optimizer: { type: 'adam', lr: 0.02 }, train: { batch_size: 16, epochs: 1000 } }));
  await page.evaluate(() => liandan.step(150));
  const before = await page.evaluate(async () => ({ weights: [...await liandan.saveWeights()], spec: liandan.spec(), m: liandan.metrics() }));
  await page.evaluate(() => liandan.keptSettled());
  await page.reload();
  await page.evaluate(() => window.liandan.ready);
  await page.waitForFunction(() => liandan.metrics().step === 150, null, { timeout: 20000 });
  const after = await page.evaluate(async () => ({ weights: [...await liandan.saveWeights()], spec: liandan.spec(), m: liandan.metrics() }));
  assert.deepEqual(after.weights, before.weights);
  assert.deepEqual(after.spec, before.spec);
  assert.equal(after.m.loss_train, before.m.loss_train);
  // The optimizer's state came back too: the next steps' losses are those of an unbroken run.
  const next = await page.evaluate(async () => { await liandan.step(20); return liandan.metrics().loss_train; });
  const { page: unbroken } = await openPage(web.isolated.url + '?keep=0');
  await unbroken.evaluate((spec) => liandan.load(spec), before.spec);
  await unbroken.evaluate(() => liandan.step(170));
  assert.equal(await unbroken.evaluate(() => liandan.metrics().loss_train), next);
  await unbroken.close();

  await page.evaluate(() => liandan.newExperiment());
  const fresh = await page.evaluate(() => ({ spec: liandan.spec(), m: liandan.metrics(), message: liandan.viewState().message }));
  assert.equal(fresh.spec.data.toy.shape, 'spiral');
  assert.equal(fresh.m.step, 0);
  assert.match(fresh.message, /^New experiment/);
  // The address bar follows the experiment a few times a second; a link that differs from the kept
  // experiment would be opened instead of it.
  await page.waitForFunction(() => location.hash === liandan.url());
  await page.evaluate(() => liandan.keptSettled());
  await page.reload();
  await page.evaluate(() => window.liandan.ready);
  assert.equal(await page.evaluate(() => liandan.spec().data.toy.shape), 'spiral');
  assert.deepEqual(errors, []);
  await page.close();
});

test('each tab keeps its own experiment; a new tab takes over one a closed tab kept', async () => {
  const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const tab = async () => {
    const page = await context.newPage();
    await page.goto(web.isolated.url);
    await page.evaluate(() => window.liandan.ready);
    return page;
  };
  const state = (page) => page.evaluate(() => ({ shape: liandan.spec().data.toy.shape, step: liandan.metrics().step }));
  const run = async (page, shape, steps) => {
    if (shape) await page.evaluate((s) => liandan.load({ data: { toy: { shape: s, n: 200 } }, train: { batch_size: 10 } }), shape);
    await page.evaluate((n) => liandan.step(n), steps);
    await page.evaluate(() => liandan.keptSettled());
  };
  const reload = async (page, step) => {
    await page.reload();
    await page.evaluate(() => window.liandan.ready);
    await page.waitForFunction((n) => liandan.metrics().step === n, step, { timeout: 20000 });
    return state(page);
  };
  const a = await tab();
  await run(a, 'xor', 30);
  // A second tab opens with a copy of the newest experiment, and from then on keeps its own.
  const b = await tab();
  await b.waitForFunction(() => liandan.metrics().step === 30, null, { timeout: 20000 });
  assert.deepEqual(await state(b), { shape: 'xor', step: 30 });
  await run(b, 'circle', 10);
  await run(a, null, 5);
  assert.deepEqual(await reload(a, 35), { shape: 'xor', step: 35 });
  assert.deepEqual(await reload(b, 10), { shape: 'circle', step: 10 });
  // A closed tab's experiment goes to the next tab opened.
  await a.close();
  // The browser lets a closed page's Web Lock go a moment after close() returns; a tab opened
  // before that sees the experiment still held and starts from a copy of the newest one.
  // (Polled here: Playwright's waitForFunction does not wait for an async predicate's promise.)
  const tabsHeld = () => b.evaluate(async () => (await navigator.locks.query()).held.filter((l) => l.name.startsWith('liandan-tab:')).length);
  for (const start = Date.now(); (await tabsHeld()) !== 1;) {
    assert.ok(Date.now() - start < 10000, 'the closed tab let its lock go');
    await b.waitForTimeout(50);
  }
  const c = await tab();
  await c.waitForFunction(() => liandan.metrics().step === 35, null, { timeout: 20000 });
  assert.deepEqual(await state(c), { shape: 'xor', step: 35 });
  await context.close();
});

// A view setting changed after the run was loaded (a switch, the pace) is not in the run's spec:
// a tab opened later, without the address that had it, must still come back with it.
test('view settings changed during a run come back in a tab opened later', async () => {
  const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const a = await context.newPage();
  await a.goto(web.isolated.url);
  await a.evaluate(() => window.liandan.ready);
  await a.evaluate(() => liandan.load({ data: { toy: { shape: 'xor', n: 200 } }, train: { batch_size: 10 } }));
  await a.evaluate(() => liandan.step(20));
  await clickWidget(a, 'Discretize output');
  await a.waitForFunction(() => liandan.viewState().discretize);
  await a.evaluate(() => liandan.keptSettled());
  await a.close();
  const b = await context.newPage();
  await b.goto(web.isolated.url);
  await b.evaluate(() => window.liandan.ready);
  await b.waitForFunction(() => liandan.metrics().step === 20, null, { timeout: 20000 });
  assert.equal(await b.evaluate(() => liandan.spec().view.discretize), true);
  await context.close();
});

test('experiment, weights and spec files go out and come back; weights that do not fit are refused', async () => {
  const { page, errors } = await openPage(web.isolated.url + '?keep=0');
  await page.evaluate(() => liandan.load({ data: { toy: { shape: 'circle', n: 200 } },
    model: { layers: [{ type: 'dense', units: 5, activation: 'tanh' }, { type: 'dense', units: 1 }] },
    train: { batch_size: 10, epochs: 100 } }));
  await page.evaluate(() => liandan.step(40));
  const out = await page.evaluate(async () => ({
    experiment: [...await liandan.saveExperiment()], weights: [...await liandan.saveWeights()], spec: liandan.spec(), m: liandan.metrics() }));
  // The weights file is safetensors under PyTorch's names and nothing else.
  const bytes = Uint8Array.from(out.weights);
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  assert.deepEqual(Object.keys(header).filter((k) => k !== '__metadata__'), ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']);
  assert.deepEqual(header['layers.0.weight'].shape, [5, 2]);

  await page.evaluate(() => liandan.newExperiment());
  const opened = await page.evaluate((b) => liandan.loadFile('circle.safetensors', new Uint8Array(b)), out.experiment);
  assert.equal(opened.status, 'loaded');
  assert.match(opened.message, /^Opened circle.safetensors: epoch \d+, step 40/);
  assert.equal(opened.metrics.step, 40);
  assert.equal(opened.metrics.loss_train, out.m.loss_train);
  assert.deepEqual(await page.evaluate(async () => [...await liandan.saveWeights()]), out.weights);

  // The spec file: a new run of the same experiment (fresh weights, step 0).
  const specText = JSON.stringify(out.spec, null, 2);
  const fromSpec = await page.evaluate((t) => liandan.loadFile('circle.json', new TextEncoder().encode(t)), specText);
  assert.equal(fromSpec.status, 'loaded');
  assert.deepEqual(await page.evaluate(() => liandan.spec()), out.spec);
  assert.equal(fromSpec.metrics.step, 0);
  // The weights file into that run: the same weights again.
  await page.evaluate((b) => liandan.loadFile('circle-weights.safetensors', new Uint8Array(b)), out.weights);
  assert.deepEqual(await page.evaluate(async () => [...await liandan.saveWeights()]), out.weights);

  // Weights of another network: refused naming the tensor and both shapes; the run goes on.
  await page.evaluate(() => liandan.step(7));
  const kept = await page.evaluate(() => liandan.metrics());
  await page.evaluate(() => liandan.load({ data: { toy: { shape: 'circle', n: 200 } },
    model: { layers: [{ type: 'dense', units: 3, activation: 'tanh' }, { type: 'dense', units: 1 }] } }));
  const other = await page.evaluate(async () => [...await liandan.saveWeights()]);
  await page.evaluate((b) => liandan.loadFile('circle.safetensors', new Uint8Array(b)), out.experiment);
  await page.waitForFunction(() => liandan.metrics().step === 40);
  const refused = await page.evaluate((b) => liandan.loadFile('small.safetensors', new Uint8Array(b)).then(() => 'accepted', (e) => e.message), other);
  assert.equal(refused, '/uploads/small.safetensors: layers.0.weight has shape [3, 2] but the model needs [5, 2]: ' +
    "these weights are another network's (an experiment file opens with its own network)");
  const after = await page.evaluate(() => liandan.metrics());
  assert.equal(after.step, 40);
  assert.equal(after.loss_train, out.m.loss_train);
  assert.ok(kept.step === 7);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Experiment menu downloads the spec and the experiment a person can open again', async () => {
  const { page, errors } = await openPage(web.isolated.url + '?keep=0');
  await page.evaluate(() => liandan.step(25));
  const spec = await page.evaluate(() => liandan.spec());
  const clickLabel = (label) => clickWidget(page, label);
  const download = async (item) => {
    await clickLabel('Experiment');
    const [file] = await Promise.all([page.waitForEvent('download'), clickLabel(item)]);
    return { name: file.suggestedFilename(), bytes: fs.readFileSync(await file.path()) };
  };
  const specFile = await download('Download spec (JSON)');
  assert.equal(specFile.name, 'liandan-spiral-spec.json');
  assert.deepEqual(JSON.parse(specFile.bytes.toString()), spec);
  const experiment = await download('Download experiment (all)');
  assert.equal(experiment.name, 'liandan-spiral-experiment.safetensors');
  const weights = await download('Download weights (safetensors)');
  assert.equal(weights.name, 'liandan-spiral-weights.safetensors');
  assert.match(await page.evaluate(() => liandan.viewState().message), /^Saved liandan-spiral-weights.safetensors: the weights under PyTorch's names/);
  // The network in PyTorch, from the menu: Debian's python3-torch loads the downloaded weights into it.
  const module = await download('Export to PyTorch (Python)');
  assert.equal(module.name, 'liandan-spiral-model.py');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandan-page-export-'));
  fs.writeFileSync(path.join(dir, 'spiral_model.py'), module.bytes);
  fs.writeFileSync(path.join(dir, 'weights.safetensors'), weights.bytes);
  const out = execFileSync('/usr/bin/python3', ['-c', 'import json, spiral_model as m; net = m.load("weights.safetensors"); ' +
    'print(json.dumps(m.predict(net, [[0.5, -1.2], [2.0, 0.3], [-3.0, 1.0]]).tolist()))'], { cwd: dir, encoding: 'utf8' });
  const outputs = JSON.parse(out);
  assert.equal(outputs.length, 3);
  assert.ok(outputs.every((row) => row.length === 1 && Number.isFinite(row[0])), out);
  fs.rmSync(dir, { recursive: true, force: true });
  await page.evaluate(() => liandan.reset());
  await page.waitForFunction(() => liandan.metrics().step === 0);
  // Opened through the page's file input, as the menu's "Open a file..." does.
  await page.setInputFiles('#data-file', { name: experiment.name, mimeType: 'application/octet-stream', buffer: experiment.bytes });
  await page.waitForFunction(() => liandan.metrics().step === 25, null, { timeout: 20000 });
  assert.deepEqual(await page.evaluate(async () => [...await liandan.saveWeights()]), [...weights.bytes]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('storage the browser refuses is said once, and the page works on', async () => {
  const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(() => { indexedDB.open = () => { throw new DOMException('The user denied permission to access the database.', 'SecurityError'); }; });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(web.isolated.url);
  await page.evaluate(() => window.liandan.ready);
  await page.waitForFunction(() => liandan.viewState().message.startsWith('Your experiment is not kept between visits'), null, { timeout: 20000 });
  assert.match(await page.evaluate(() => liandan.viewState().message), /not kept between visits: The user denied permission/);
  await page.evaluate(() => liandan.step(30));
  assert.equal(await page.evaluate(() => liandan.metrics().step), 30);
  assert.deepEqual(errors, []);
  await page.close();
});
