// Faults and limits in the page: a network too large for the page's memory is refused before it
// is built, naming the limit (one of 2^32 weights too); a million points train and are drawn in part; weights for another model, a truncated weights file and a CSV with
// ragged rows are refused naming the problem, and the experiment in force stays as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { browserAndServers, root, openPage as openPageOf } from '../lib/browser.mjs';

const buildDir = process.env.LIANDAN_BUILD_DIR || path.join(root, 'build');

const web = browserAndServers(buildDir);

// The experiment the faults must leave alone: XOR with one hidden layer of 4 tanh units.
const xor = {
  data: { toy: { shape: 'xor', n: 200, noise: 0 } },
  model: { layers: [{ units: 4, activation: 'tanh' }, { units: 1 }] },
  train: { batch_size: 10 },
};

// A safetensors file (little-endian header length, JSON header, float32 data) of the given tensors.
function safetensors(tensors) {
  const header = {};
  let offset = 0;
  for (const [name, { shape, values }] of Object.entries(tensors)) {
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + 4 * values.length] };
    offset += 4 * values.length;
  }
  const json = Buffer.from(JSON.stringify(header));
  const out = Buffer.alloc(8 + json.length + offset);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  let at = 8 + json.length;
  for (const { values } of Object.values(tensors)) for (const v of values) { out.writeFloatLE(v, at); at += 4; }
  return [...out];
}
const fill = (n, v) => Array.from({ length: n }, (_, i) => v * (i % 2 ? 1 : -1));
const weightsFor = (hidden, scale) => safetensors({
  'layers.0.weight': { shape: [hidden, 2], values: fill(hidden * 2, scale) },
  'layers.0.bias': { shape: [hidden], values: fill(hidden, 0) },
  'layers.1.weight': { shape: [1, hidden], values: fill(hidden, scale) },
  'layers.1.bias': { shape: [1], values: [0] },
});

const openPage = (url) => openPageOf(web.browser, url, { width: 1024, height: 700 });

// The state a refusal must not touch: the spec, the step and the loss (weights) of the run.
const state = (page) => page.evaluate(() => {
  const m = liandan.metrics();
  return { spec: liandan.spec(), step: m.step, run: m.run, loss: m.loss_train };
});

for (const [name, server] of [['threaded', () => web.isolated], ['single-threaded', () => web.plain]]) {
  test(`${name} page: a too-large network and files that do not fit are refused, the run kept`, async () => {
    const { page, errors } = await openPage(server().url);
    await page.evaluate((spec) => liandan.load(spec), xor);
    await page.evaluate(() => liandan.step(20));
    const kept = await state(page);

    // 20,000 × 20,000 units with Adam: about 6 GB, over the page's heap whatever the spec allows.
    const huge = { ...xor, model: { layers: [{ units: 20000 }, { units: 20000 }, { units: 1 }] }, optimizer: { type: 'adam' },
      limits: { memory_mb: 100000 } };
    const tooLarge = await page.evaluate((spec) => liandan.load(spec).then(() => 'accepted', (e) => e.message), huge);
    assert.match(tooLarge, /^limits\.memory_mb: this run needs about \d+ MB \(model \d+ MB, data \d+ MB\), over the page's free memory of \d+ MB \(its wasm heap holds at most \d+ MB\); shrink the model or the data$/);
    assert.deepEqual(await state(page), kept);
    // 65,536 × 65,536 weights: 2^32, a count that wraps to 0 in wasm's 32-bit size_t (it crashed the page).
    const wrapping = { ...xor, model: { layers: [{ units: 65536 }, { units: 65536 }, { units: 1 }] } };
    const wrapped = await page.evaluate((spec) => liandan.load(spec).then(() => 'accepted', (e) => e.message), wrapping);
    assert.match(wrapped, /^limits\.memory_mb: this run needs about 49\d\d\d MB/);
    assert.deepEqual(await state(page), kept);

    const files = [
      ['other-model.safetensors', weightsFor(3, 0.5),
        /^\/uploads\/other-model\.safetensors: layers\.0\.weight has shape \[3, 2\] but the model needs \[4, 2\]: these weights are another network's \(an experiment file opens with its own network\)$/],
      ['cut.safetensors', weightsFor(4, 0.5).slice(0, 200), /^\/uploads\/cut\.safetensors: (layers\.\d\.\w+ could not be read|.*exceeds the file)/],
      ['ragged.csv', [...Buffer.from('a,b,y\n1,2,0\n3,4\n5,6,1\n')], /^\/uploads\/ragged\.csv:3: has 2 fields; the header has 3$/],
    ];
    for (const [file, bytes, pattern] of files) {
      // Nothing moves (paused, no pointer): the refusal alone must bring a frame that shows it.
      await page.waitForTimeout(300);
      const drawn = await page.evaluate(() => liandan.viewState().frames_drawn);
      const refused = await page.evaluate(({ file, bytes }) => liandan.loadFile(file, new Uint8Array(bytes)).then(() => 'accepted', (e) => e.message),
        { file, bytes });
      assert.match(refused, pattern, file);
      assert.deepEqual(await state(page), kept, `${file} left the run as it was`);
      await page.waitForFunction((n) => liandan.viewState().frames_drawn > n, drawn, { timeout: 5000 });
    }

    // The run goes on, and weights that fit are taken: all 0.5 gives this XOR a loss far from the trained one.
    const after = await page.evaluate(() => liandan.step(5));
    assert.equal(after.step, kept.step + 5);
    const loaded = await page.evaluate((bytes) => liandan.loadFile('fits.safetensors', new Uint8Array(bytes)), weightsFor(4, 0.5));
    assert.equal(loaded.status, 'loaded');
    assert.equal(loaded.metrics.error ?? '', '');
    assert.notEqual(loaded.metrics.loss_train, after.loss_train);

    // A million points (the most a spec allows) train, and the map draws an even share of them:
    // all of them made twenty million vertices a frame, and the page ran out of memory.
    await page.evaluate((spec) => liandan.load(spec), { ...xor, data: { toy: { shape: 'xor', n: 1000000 } } });
    const million = await page.evaluate(() => liandan.step(3));
    assert.equal(million.step, 3);
    assert.equal(million.error ?? '', '');
    await page.waitForFunction(() => liandan.viewState().vertices > 0);
    const vertices = (await page.evaluate(() => liandan.viewState())).vertices;
    assert.ok(vertices < 200000, `${vertices} vertices in a frame with a million points`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
