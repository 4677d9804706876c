// Export to PyTorch (core/io/pytorch_export.h): liandan-train trains, saves the weights and writes
// the Python file; Debian's python3 with python3-torch imports it, loads the weights unchanged and
// predicts raw rows; its outputs equal liandan-train --predict's within 1e-5. An MLP on plane
// points, a CNN with batchnorm and dropout on MNIST images, a residual net on a table with text
// classes; the table's net also trains on in PyTorch with the experiment's optimizer and schedule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = path.join(process.env.LIANDAN_BIN, 'liandan-train');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liandan-export-'));
const dataRoot = process.env.LIANDAN_DATA || path.join(process.env.LIANDAN_CACHE || path.join(process.env.XDG_CACHE_HOME ||
  path.join(os.homedir(), '.cache'), 'liandan'), 'data');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: tmp, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `${path.basename(cmd)} failed: ${r.stderr}`);
  return r.stdout;
}

// Trains the spec, exports it, predicts `rows` natively and in PyTorch (`load` is the Python
// expression that reads the rows); returns the largest difference and the Python script's output.
function exportAndCompare(name, spec, rows, load, more = '') {
  fs.writeFileSync(path.join(tmp, `${name}.json`), JSON.stringify(spec));
  run(bin, ['--config', `${name}.json`, '--save', `${name}.safetensors`, '--export-pytorch', `${name}_model.py`,
    '--predict', rows, '--outputs', `${name}-liandan.csv`]);
  const script = `
import csv, gzip, json, struct
import numpy as np
import ${name}_model as exported
model = exported.load("${name}.safetensors")
rows = ${load}
ours = exported.predict(model, rows)
theirs = np.loadtxt("${name}-liandan.csv", delimiter=",", ndmin=2)
assert ours.shape == theirs.shape, (ours.shape, theirs.shape)
diff = float(np.max(np.abs(ours - theirs) / np.maximum(1.0, np.abs(theirs))))
result = {"rows": len(theirs), "outputs": int(theirs.shape[1]), "diff": diff}
${more}
print(json.dumps(result))
`;
  const out = JSON.parse(run('/usr/bin/python3', ['-c', script]).trim().split('\n').at(-1));
  console.log(`${name}: ${out.rows} rows × ${out.outputs} outputs, largest difference ${out.diff.toExponential(2)}`);
  assert.ok(out.diff <= 1e-5, `PyTorch's outputs differ from Liandan's by ${out.diff}`);
  return out;
}

// A Python expression: the images of an IDX file as stored (uint8 [N, H, W]).
const readIdx = (file) => `(lambda data: np.frombuffer(data, np.uint8, offset=4 + 4 * data[3]).reshape(
    struct.unpack(">" + "I" * data[3], data[4:4 + 4 * data[3]])))(gzip.open(${JSON.stringify(file)}, "rb").read())`;

test('an MLP on plane points with engineered features and normalization', () => {
  const points = ['x,y'];
  for (let i = 0; i < 200; i++) points.push(`${(Math.sin(i * 12.9898) * 6).toFixed(4)},${(Math.cos(i * 78.233) * 6).toFixed(4)}`);
  fs.writeFileSync(path.join(tmp, 'points.csv'), points.join('\n') + '\n');
  exportAndCompare('mlp', {
    data: { toy: { shape: 'spiral', n: 400, noise: 0.2 }, features: ['x', 'y', 'x2', 'y2', 'xy', 'sinx', 'siny', 'cosx'], normalize: 'standard' },
    model: { layers: [{ type: 'dense', units: 12, activation: 'tanh' }, { type: 'dense', units: 8, activation: 'gelu' },
      { type: 'dense', units: 6, activation: 'leaky_relu' }, { type: 'dense', units: 1 }] },
    optimizer: { type: 'adam', lr: 0.01, schedule: { type: 'cosine', warmup_steps: 10 } },
    train: { epochs: 20, batch_size: 16 },
  }, 'points.csv', 'np.loadtxt("points.csv", delimiter=",", skiprows=1)');
});

test('a CNN with batchnorm and dropout on MNIST images, in eval mode, and its augmentation', () => {
  const images = path.join(dataRoot, 'mnist', 't10k-images-idx3-ubyte.gz');
  assert.ok(fs.existsSync(images), `${images} is fetched by scripts/fetch-data`);
  const out = exportAndCompare('cnn', {
    data: { source: 'mnist', limit: 600 },
    model: { layers: [
      { type: 'conv2d', filters: 6, kernel: 5, padding: 'same' }, { type: 'batchnorm', activation: 'relu' },
      { type: 'maxpool', size: 2 }, { type: 'dropout', rate: 0.25 },
      { type: 'conv2d', filters: 8, kernel: 3, stride: 2, activation: 'elu' }, { type: 'avgpool', size: 2, stride: 1 },
      { type: 'flatten' }, { type: 'dense', units: 32 }, { type: 'batchnorm', activation: 'relu' }, { type: 'dropout', rate: 0.5 },
      { type: 'dense', units: 10 }] },
    loss: { type: 'cross_entropy' },
    optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, schedule: { type: 'step', step_size: 1, gamma: 0.5 } },
    train: { epochs: 2, batch_size: 32, augment: { shift: 2, flip: true } },
  }, images, readIdx(images),
  // fit() moves the images as train.augment says: each is its source moved by at most 2 pixels,
  // perhaps mirrored, the edge 0; and training goes on with them.
  `import torch
x = torch.from_numpy(exported.prepare(rows[:64]))
moved = exported.augment(x)
found = 0
for i in range(64):
    sources = [torch.nn.functional.pad(s, (2, 2, 2, 2)) for s in (x[i], x[i].flip(-1))]
    found += any(torch.equal(moved[i], s[:, dy:dy + 28, dx:dx + 28]) for s in sources for dy in range(5) for dx in range(5))
result["moved"] = int(found)
labels = ${readIdx(path.join(dataRoot, 'mnist', 't10k-labels-idx1-ubyte.gz'))}
result["losses"] = exported.fit(model, rows[:256], labels[:256].astype(np.int64), epochs=2)`);
  assert.equal(out.moved, 64, `${out.moved} of 64 augmented images are a move of their source`);
  assert.ok(out.losses.every(Number.isFinite), 'fit trains on the augmented images');
});

test('a residual net on a table with text classes, trained on in PyTorch', () => {
  const iris = path.join(dataRoot, 'tabular', 'iris.csv.gz');
  const out = exportAndCompare('residual', {
    data: { source: 'csv', path: iris, target: 'species', normalize: 'standard', shuffle: true, test_fraction: 0.3 },
    model: { layers: [
      { type: 'dense', units: 16, activation: 'relu' },
      { type: 'residual', activation: 'relu', layers: [{ type: 'dense', units: 16, activation: 'tanh' }, { type: 'batchnorm' },
        { type: 'residual', layers: [{ type: 'dense', units: 16, activation: 'sigmoid' }, { type: 'dense', units: 16 }] }] },
      { type: 'dense', units: 3 }] },
    loss: { type: 'cross_entropy', class_weights: [1, 2, 1] },
    optimizer: { type: 'rmsprop', lr: 0.01, momentum: 0.5, centered: true, l1: 0.0001, clip_norm: 5 },
    train: { epochs: 30, batch_size: 8 },
  }, iris, `[r[:4] for r in csv.reader(gzip.open(${JSON.stringify(iris)}, "rt"))][1:]`,
  `table = list(csv.reader(gzip.open(${JSON.stringify(iris)}, "rt")))[1:]
result["losses"] = exported.fit(model, [r[:4] for r in table], [exported.CLASSES.index(r[4]) for r in table], epochs=15)
result["accuracy"] = float(np.mean(np.argmax(exported.predict(model, [r[:4] for r in table]), 1) ==
                                   [exported.CLASSES.index(r[4]) for r in table]))`);
  console.log(`PyTorch goes on: loss ${out.losses[0].toFixed(3)} → ${out.losses.at(-1).toFixed(3)}, accuracy ${out.accuracy}`);
  assert.ok(out.losses.every(Number.isFinite));
  assert.ok(out.losses.at(-1) < out.losses[0], 'the loss falls in PyTorch too');
  assert.ok(out.accuracy > 0.9);
});
