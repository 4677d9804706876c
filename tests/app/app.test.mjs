// The native app under Xvfb, driven as a person would: a script (the app's --drive) clicks the
// real controls by their labels with SDL mouse and key events, then the test checks the effect in
// the app's dumped state and in a screenshot of the output map (a learned decision map alternates
// colours; an untrained one does not).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeFile } from '../lib/screenshot-check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(process.env.LIANDAN_BIN, 'liandan');
const outDir = path.join(process.env.LIANDAN_BIN, '..', 'screenshots');
fs.mkdirSync(outDir, { recursive: true });

// Runs the app without a script (screenshots by frame count, refusals before the window opens).
function runApp(args) {
  return spawnSync('xvfb-run', ['-a', '-s', '-screen 0 1280x800x24', bin, ...args], { encoding: 'utf8', timeout: 180000 });
}

// Runs the app with a UI script; returns the process result and the dumped state.
function drive(name, lines, extraArgs = [], env = process.env) {
  const script = path.join(outDir, `${name}.drive`);
  const dump = path.join(outDir, `${name}.json`);
  const shot = path.join(outDir, `native-${name}.png`);
  fs.rmSync(dump, { force: true });
  fs.rmSync(shot, { force: true });
  fs.writeFileSync(script, [...lines, `dump ${dump}`, `screenshot ${shot}`, 'quit'].join('\n'));
  // xvfb-run -a picks a free display, so tests never share one.
  const r = spawnSync('xvfb-run', ['-a', '-s', '-screen 0 1400x900x24', bin, '--width', '1400', '--height', '860',
    '--drive', script, ...extraArgs], { encoding: 'utf8', timeout: 240000, env });
  assert.equal(r.status, 0, `app failed: ${r.stderr}`);
  const state = JSON.parse(fs.readFileSync(dump, 'utf8'));
  const map = state.widgets.find((w) => w.label === 'output map');
  return { r, state, shot, map };
}

test('trains the spiral with the Play key and the output map shows the learned spiral', () => {
  const { state, shot, map } = drive('spiral', ['wait 3', 'key space', 'wait-idle'], ['--spec', path.join(here, 'spiral-quick.json')]);
  assert.ok(state.metrics.epoch >= 150, `all epochs done (epoch ${state.metrics.epoch})`);
  assert.ok(map, 'the output map is on screen');
  const a = analyzeFile(shot, map);
  console.log('native screenshot', JSON.stringify(a));
  assert.ok(a.blueShare > 0.1 && a.orangeShare > 0.1, 'both classes coloured on the map');
  assert.ok(a.transitions >= 4, `the spiral's arms alternate across the map (saw ${a.transitions} changes)`);
  assert.ok(a.distinctColours > 50, 'a heatmap with points, not a flat picture');
});

test('an untrained map is not mistaken for a learned one', () => {
  const { shot, map } = drive('untrained', ['wait 3'], ['--spec', path.join(here, 'spiral-quick.json')]);
  const a = analyzeFile(shot, map);
  assert.ok(a.transitions < 4, `untrained: ${a.transitions} changes`);
});

test('clicking the controls changes the experiment: data set, layers, units, speed, play, pause', () => {
  const { state, shot } = drive('controls', [
    'wait 3',
    'click xor',            // the data set thumbnail
    'wait 3',
    'click Add layer',      // a third hidden layer like the last
    'wait 3',
    'click +##units 1',     // one more unit in the first hidden layer
    'wait 3',
    'click ##Speed',         // the speed control's combo, then its entry
    'wait 3',
    'click 100 steps/s',
    'wait 3',
    'click Play',
    'wait-step 30',
    'click Pause',
    'wait 3',
  ]);
  const spec = state.spec;
  assert.equal(spec.data.toy.shape, 'xor');
  const units = spec.model.layers.map((l) => l.units);
  assert.deepEqual(units, [17, 16, 16, 1], 'three hidden layers, the first one wider');
  assert.equal(state.columns.length, 5, 'features, three hidden columns and the output');
  assert.ok(state.metrics.step >= 30 && state.metrics.step < 1000, `trained at the limited speed (step ${state.metrics.step})`);
  assert.equal(state.metrics.running, false, 'paused');
  assert.ok(fs.statSync(shot).size > 20000);
});

test('clicks faster than the frame rate all count: three clicks on + in one frame add three units', () => {
  // ImGui 1.86 reads the mouse once a frame; the app's input queue hands it one press or release a frame.
  const { state } = drive('fast-clicks', ['wait 3', 'clicks 3 +##units 1', 'wait 10']);
  assert.deepEqual(state.spec.model.layers.map((l) => l.units), [19, 16, 1]);
});

test('a feature switched off by clicking its map leaves the first layer fed by the rest', () => {
  // The default experiment has x, y, x², y², xy, sin x and sin y on; a click on x's map switches it off.
  const { state } = drive('feature', ['wait 3', 'click feature x', 'wait 3', 'click feature cosy', 'wait 3']);
  assert.deepEqual(state.spec.data.features, ['y', 'x2', 'y2', 'xy', 'sinx', 'siny', 'cosy']);
  assert.equal(state.spec.model.layers[0].units, 16, 'the hidden layers are kept');
  assert.equal(state.columns[0].units, 7);
});

test('the workbench adds a point where the map is clicked', () => {
  const { state } = drive('workbench', [
    'wait 3',
    'click Edit the data',
    'wait 3',
    'click Add',
    'wait 3',
    'click-at output map 0.25 0.25',
    'wait 5',
  ]);
  assert.equal(state.spec.data.source, 'points');
  assert.equal(state.spec.data.points.length, 501, '500 generated points plus the added one');
  const added = state.spec.data.points[500];
  assert.ok(added[0] < 0 && added[1] > 0, `the point is in the top-left quarter: ${added}`);
});

test('a bad spec is refused with one line naming the key, before any window opens', () => {
  const bad = path.join(outDir, 'bad-spec.json');
  fs.writeFileSync(bad, JSON.stringify({ optimizer: { lr: -1 } }));
  const r = spawnSync(bin, ['--spec', bad], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /optimizer\.lr: -1 is below the minimum 0/);
});

test('a driver script naming a control that is not there fails with the line and the label', () => {
  const script = path.join(outDir, 'missing.drive');
  fs.writeFileSync(script, 'wait 2\nclick No such button\n');
  const r = spawnSync('xvfb-run', ['-a', bin, '--drive', script], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 3);
  assert.match(r.stderr, /missing\.drive:2: no widget labelled 'No such button' is on screen/);
});

// The fetched data folder, in the order of the core's data_root().
function dataRoot() {
  const env = process.env;
  if (env.LIANDAN_DATA) return env.LIANDAN_DATA;
  if (env.LIANDAN_CACHE) return path.join(env.LIANDAN_CACHE, 'data');
  return path.join(env.XDG_CACHE_HOME || path.join(process.env.HOME, '.cache'), 'liandan', 'data');
}

test('--url opens a TensorFlow Playground link as its experiment and trains it', () => {
  const { shot, map } = drive('url-circle', ['wait 3', 'key space', 'wait-idle'],
    ['--url', '#dataset=circle&noise=5&networkShape=6,3&learningRate=0.1&epochs=60&seed=3']);
  const a = analyzeFile(shot, map);
  console.log('native --url screenshot', JSON.stringify(a));
  assert.ok(a.blueShare > 0.03 && a.orangeShare > 0.03, 'both classes coloured on the map');
  assert.ok(a.transitions >= 2, `the circle's inside and outside across the middle row (saw ${a.transitions})`);
});

test('the experiment is kept in the data folder and comes back at the next start; --fresh starts clean', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'liandan-data-home-'));
  const env = { ...process.env, XDG_DATA_HOME: home };
  const link = ['--url', 'dataset=xor&networkShape=4&learningRate=0.1&seed=4'];
  const first = drive('keep-first', ['wait 3', 'key s', 'wait 10', 'key s', 'wait-idle'], ['--keep', ...link], env).state;
  assert.ok(first.metrics.step > 0);
  assert.ok(fs.existsSync(path.join(home, 'liandan', 'experiment.safetensors')), 'kept in $XDG_DATA_HOME/liandan');
  const again = drive('keep-again', ['wait 10'], ['--keep'], env).state;
  assert.equal(again.metrics.step, first.metrics.step);
  assert.equal(again.metrics.loss_train, first.metrics.loss_train);
  assert.equal(again.spec.data.toy.shape, 'xor');
  assert.match(again.message, new RegExp(`^Restored your experiment from ${home}/liandan/experiment.safetensors: epoch 2, step ${first.metrics.step}`));
  const fresh = drive('keep-fresh', ['wait 5'], ['--fresh'], env).state;
  assert.equal(fresh.metrics.step, 0);
  assert.equal(fresh.spec.data.toy.shape, 'spiral');
  fs.rmSync(home, { recursive: true, force: true });
});

test('--url with a bad value opens the default experiment and says which key was wrong', () => {
  const r = runApp(['--url', 'noise=120', '--screenshot', path.join(outDir, 'native-url-bad.png'), '--screenshot-frame', '2']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /URL noise: 120 is above the maximum 100/);
});

test('three numeric columns under any names are points of the plane when they lie in it, else a table', () => {
  const rows = Array.from({ length: 40 }, (_, i) => `${(i % 8) - 4},${Math.floor(i / 8) - 2},${i % 2}`);
  const points = path.join(outDir, 'abc-points.csv');
  fs.writeFileSync(points, ['a,b,cls', ...rows].join('\n') + '\n');
  const r = runApp(['--data', points, '--screenshot', path.join(outDir, 'native-abc.png'), '--screenshot-frame', '3']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /abc-points\.csv: 40 points of the plane \(a, b as x, y; cls as the label\)/);
  const table = path.join(outDir, 'abc-table.csv');
  fs.writeFileSync(table, ['age,income,bought', ...rows.map((row, i) => `${20 + i},${1000 * i},${i % 2}`)].join('\n') + '\n');
  const t = runApp(['--data', table, '--screenshot', path.join(outDir, 'native-abc-table.png'), '--screenshot-frame', '3']);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stderr, /abc-table\.csv: CSV, target 'bought' \(2 classes\), 2 input features/);
});

test('a CSV of one input and a target is drawn as the rows and the fitted curve', () => {
  const twoColumns = path.join(outDir, 'sine.csv');
  const rows = Array.from({ length: 120 }, (_, i) => { const x = -3 + (6 * i) / 119; return `${x.toFixed(4)},${Math.sin(2 * x).toFixed(4)}`; });
  fs.writeFileSync(twoColumns, ['x,y', ...rows].join('\n') + '\n');
  const { r, state } = drive('fit-plot', ['wait 3'], ['--data', twoColumns]);
  assert.match(r.stderr, /sine\.csv: CSV, target 'y' \(regression\), 1 input features/);
  const plot = state.widgets.find((w) => w.label === 'fit plot');
  assert.ok(plot && plot.w > 100, 'the fit plot is on screen');
});

test('--data opens a CSV (the target is its last column); a malformed one is refused naming file and line', () => {
  const iris = path.join(dataRoot(), 'tabular', 'iris.csv.gz');
  const r = runApp(['--data', iris, '--screenshot', path.join(outDir, 'native-iris.png'), '--screenshot-frame', '3']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /iris\.csv\.gz: CSV, target 'species' \(3 classes\), 4 input features/);
  const bad = path.join(outDir, 'ragged.csv');
  fs.writeFileSync(bad, 'a,b,c\n1,2,3\n4,5\n');
  const refused = runApp(['--data', bad]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3: has 2 fields; the header has 3`));
});

test('files dropped on the window that do not fit are refused and the experiment stays', () => {
  // Weights made by the CLI: one file for this network (xor, 4 tanh units), one for 3 units.
  const train = path.join(process.env.LIANDAN_BIN, 'liandan-train');
  const specFor = (units) => {
    const file = path.join(outDir, `xor-${units}.json`);
    fs.writeFileSync(file, JSON.stringify({ data: { toy: { shape: 'xor', n: 200 } }, train: { epochs: 30 },
      model: { layers: [{ units, activation: 'tanh' }, { units: 1 }] }, optimizer: { lr: 0.1 } }));
    return file;
  };
  const fits = path.join(outDir, 'xor-4.safetensors'), other = path.join(outDir, 'xor-3.safetensors');
  for (const [units, out] of [[4, fits], [3, other]]) {
    const r = spawnSync(train, ['--config', specFor(units), '--save', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  const cut = path.join(outDir, 'cut.safetensors');
  fs.writeFileSync(cut, fs.readFileSync(fits).subarray(0, 150));
  const ragged = path.join(outDir, 'ragged-drop.csv');
  fs.writeFileSync(ragged, 'a,b,y\n1,2,0\n3,4\n');
  const dumps = ['other', 'cut', 'ragged', 'fits'].map((n) => path.join(outDir, `drop-${n}.json`));
  const { state } = drive('drops', [
    'wait 5', `drop ${other}`, 'wait 10', `dump ${dumps[0]}`, `drop ${cut}`, 'wait 10', `dump ${dumps[1]}`,
    `drop ${ragged}`, 'wait 10', `dump ${dumps[2]}`, `drop ${fits}`, 'wait 10', `dump ${dumps[3]}`,
  ], ['--url', 'dataset=xor&networkShape=4&learningRate=0.1']);
  const [refusedOther, refusedCut, refusedRagged, loaded] = dumps.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
  const hidden = (s) => s.spec.model.layers.map((l) => l.units);
  assert.match(refusedOther.metrics.error, /xor-3\.safetensors: layers\.0\.weight has shape \[3, 2\] but the model needs \[4, 2\]: these weights are another network's/);
  assert.match(refusedCut.files_message, /cut\.safetensors: /); // refused as the file is read, as a ragged CSV is
  assert.match(refusedRagged.files_message, /ragged-drop\.csv:3: has 2 fields; the header has 3$/);
  for (const s of [refusedOther, refusedCut, refusedRagged]) {
    assert.deepEqual(hidden(s), [4, 1]);
    assert.equal(s.spec.data.toy.shape, 'xor');
    assert.equal(s.metrics.run, refusedOther.metrics.run, 'no new run was started');
  }
  assert.equal(loaded.metrics.error ?? '', '');
  assert.ok(loaded.metrics.loss_train < 0.5 * refusedOther.metrics.loss_train,
    `trained weights: loss ${refusedOther.metrics.loss_train} -> ${loaded.metrics.loss_train}`);
  assert.deepEqual(hidden(state), [4, 1]);
});

test('MNIST from the menu natively, a pool added and moved with the layer editor, trained, its views', () => {
  const { state } = drive('mnist-editor', [
    'wait 3',
    'click MNIST digits',
    'wait-loaded',          // the panel's layout settles with the set's text
    'click MLP',
    'wait-loaded',
    'click ##add layer',
    'wait 3',
    'click maxpool',        // before the output layer, after a dense one: explained, not trained
    'wait 3',
    'click ^##layer 4 up',
    'wait 3',
    'click ^##layer 3 up',
    'wait 3',
    'click ^##layer 2 up',  // on the image: it fits and loads
    'wait 10',
    'key s',                // one epoch
    'wait-idle',
    'click Confusion',
    'wait 3',
    'click confusion 3 3',
    'wait 3',
    'click Inside',
    'wait 5',
    'click Draw',
    'wait 3',
    'drag drawing pad 0.5 0.15 0.55 0.85', // a stroke down the pad, as a mouse or a finger draws it
    'wait 10',
  ]);
  assert.equal(state.spec.data.source, 'mnist');
  assert.equal(state.confusion_cell.images, state.metrics.confusion_test[3 * 10 + 3], 'the cell opens exactly its images');
  assert.ok(state.probe && state.probe.probabilities.length === 10, 'the stroke is read');
  assert.equal(state.probe.drawn, true, 'the reading is of the drawing');
  assert.deepEqual(state.spec.model.layers.map((l) => l.type), ['maxpool', 'flatten', 'dense', 'dense', 'dense']);
  assert.equal(state.layer_stack_error, '');
  assert.ok(state.metrics.accuracy_test > 0.8, `one epoch of a pooled MLP: test accuracy ${state.metrics.accuracy_test}`);
});
