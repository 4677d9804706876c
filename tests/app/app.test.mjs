// The native app under Xvfb: it opens a real window, trains the spiral, and its screenshot shows a
// learned decision map (both colours, alternating across the map), not merely a non-empty picture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeFile } from '../lib/screenshot-check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(process.env.LIANDAN_BIN, 'liandan');
const outDir = path.join(process.env.LIANDAN_BIN, '..', 'screenshots');
fs.mkdirSync(outDir, { recursive: true });

function runApp(args) {
  // xvfb-run -a picks a free display, so tests never share one.
  return spawnSync('xvfb-run', ['-a', '-s', '-screen 0 1280x800x24', bin, ...args], { encoding: 'utf8', timeout: 180000 });
}

test('trains the spiral and the screenshot shows the learned decision map', () => {
  const shot = path.join(outDir, 'native-spiral.png');
  fs.rmSync(shot, { force: true });
  const r = runApp(['--spec', path.join(here, 'spiral-quick.json'), '--play', '--screenshot', shot]);
  assert.equal(r.status, 0, `app failed: ${r.stderr}`);
  const a = analyzeFile(shot);
  console.log('native screenshot', JSON.stringify(a));
  assert.equal(a.width, 1280);
  assert.equal(a.height, 800);
  assert.ok(a.blueShare > 0.03 && a.orangeShare > 0.03, 'both classes coloured on the map');
  assert.ok(a.transitions >= 4, `the spiral's arms alternate across the map (saw ${a.transitions} changes)`);
  assert.ok(a.distinctColours > 100, 'text, plots and map, not a flat picture');
});

test('an untrained map is not mistaken for a learned one', () => {
  const shot = path.join(outDir, 'native-untrained.png');
  const r = runApp(['--spec', path.join(here, 'spiral-quick.json'), '--screenshot', shot, '--screenshot-frame', '3']);
  assert.equal(r.status, 0, r.stderr);
  const a = analyzeFile(shot);
  assert.ok(a.transitions < 4, `untrained: ${a.transitions} changes`);
});

test('a bad spec is refused with one line naming the key, before any window opens', () => {
  const bad = path.join(outDir, 'bad-spec.json');
  fs.writeFileSync(bad, JSON.stringify({ optimizer: { lr: -1 } }));
  const r = spawnSync(bin, ['--spec', bad], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /optimizer\.lr: -1 is below the minimum 0/);
});

// The fetched data folder, in the order of the core's data_root().
function dataRoot() {
  const env = process.env;
  if (env.LIANDAN_DATA) return env.LIANDAN_DATA;
  if (env.LIANDAN_CACHE) return path.join(env.LIANDAN_CACHE, 'data');
  return path.join(env.XDG_CACHE_HOME || path.join(process.env.HOME, '.cache'), 'liandan', 'data');
}

test('--url opens a TensorFlow Playground link as its experiment and trains it', () => {
  const shot = path.join(outDir, 'native-url-circle.png');
  const r = runApp(['--url', '#dataset=circle&noise=5&networkShape=6,3&learningRate=0.1&epochs=60&seed=3', '--play', '--screenshot', shot]);
  assert.equal(r.status, 0, r.stderr);
  const a = analyzeFile(shot);
  console.log('native --url screenshot', JSON.stringify(a));
  assert.ok(a.blueShare > 0.03 && a.orangeShare > 0.03, 'both classes coloured on the map');
  assert.ok(a.transitions >= 2, `the circle's inside and outside across the middle row (saw ${a.transitions})`);
});

test('--url with a bad value opens the default experiment and says which key was wrong', () => {
  const r = runApp(['--url', 'noise=120', '--screenshot', path.join(outDir, 'native-url-bad.png'), '--screenshot-frame', '2']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /URL noise: 120 is above the maximum 100/);
});

test('--data opens a CSV (the target is its last column); a malformed one is refused naming file and line', () => {
  const iris = path.join(dataRoot(), 'tabular', 'iris.csv');
  const r = runApp(['--data', iris, '--screenshot', path.join(outDir, 'native-iris.png'), '--screenshot-frame', '3']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /iris\.csv: CSV, target 'species' \(3 classes\), 4 input features/);
  const bad = path.join(outDir, 'ragged.csv');
  fs.writeFileSync(bad, 'a,b,c\n1,2,3\n4,5\n');
  const refused = runApp(['--data', bad]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3: has 2 fields; the header has 3`));
});
