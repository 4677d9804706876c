// The long run behind scripts/soak: trains and switches data sets and networks every few seconds
// for many minutes, sampling memory, and says whether it stays flat.
//   web:    the threaded and the single-threaded page side by side in Chromium; samples the wasm
//           heap in use (the app's mallinfo), the wasm heap's size and the JS heap (after a GC)
//   native: the app built with AddressSanitizer under Xvfb, driven by a generated script of the
//           same switches; samples the heap in use, and LeakSanitizer reports leaks at exit
// Writes build/soak/<name>.jsonl (one sample a line) and prints a summary: the first sample after
// warm-up, the last, the largest, and the growth per 10 minutes fitted by least squares.
//   node scripts/soak.mjs [--minutes 30] [--only web|native] [--build-dir DIR]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium, root, serve } from '../tests/lib/browser.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const minutes = Number(option('--minutes', 30));
const only = option('--only', '');
const buildDir = path.resolve(option('--build-dir', path.join(root, 'build')));
const outDir = path.join(buildDir, 'soak');
fs.mkdirSync(outDir, { recursive: true });
const warmupMin = Math.min(3, minutes / 5); // caches, pools and the first of each data set settle
const dataDir = process.env.LIANDAN_DATA || path.join(process.env.LIANDAN_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(process.env.HOME, '.cache'), 'liandan'), 'data');

// The experiments the soak cycles through: toy sets with networks of every kind of layer.
const specs = [
  { data: { toy: { shape: 'spiral', n: 500 } }, model: { layers: [{ units: 16, activation: 'tanh' }, { units: 16, activation: 'tanh' }, { units: 1 }] } },
  { data: { toy: { shape: 'xor', n: 300 } }, model: { layers: [{ units: 8, activation: 'relu' }, { type: 'batchnorm' }, { units: 1 }] }, optimizer: { type: 'adam' } },
  { data: { toy: { shape: 'spirals', n: 600, classes: 4 }, features: ['x', 'y', 'sinx', 'siny'] }, loss: { type: 'cross_entropy' },
    model: { layers: [{ units: 32, activation: 'relu' }, { type: 'dropout', rate: 0.2 }, { type: 'residual', layers: [{ units: 32, activation: 'relu' }] }, { units: 4 }] } },
  { data: { toy: { shape: 'plane', n: 400 } }, loss: { type: 'mse' }, model: { layers: [{ units: 6, activation: 'gelu' }, { units: 1 }] } },
  { data: { toy: { shape: 'circle', n: 800 } }, model: { layers: Array.from({ length: 6 }, () => ({ units: 64, activation: 'elu' })).concat([{ units: 1 }]) } },
];
// Data files given to the page as uploads, as a user would: a table and an image set.
const files = [
  ['iris.csv', path.join(dataDir, 'tabular', 'iris.csv')],
  ['boston_house_prices.csv', path.join(dataDir, 'tabular', 'boston_house_prices.csv')],
].filter(([, p]) => fs.existsSync(p));
const mnist = ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map((f) => path.join(dataDir, 'mnist', f));

function summarize(name, samples, keys) {
  const settled = samples.filter((s) => s.minute >= warmupMin);
  const lines = [`${name}: ${samples.length} samples over ${samples.at(-1)?.minute.toFixed(1)} min, ${samples.at(-1)?.switches ?? 0} switches`];
  const verdicts = settled.length < 4 ? [{ error: `${name}: only ${settled.length} samples after warm-up, too few to tell` }] : [];
  for (const key of keys) {
    if (settled.length < 2) break;
    const xs = settled.map((s) => s.minute), ys = settled.map((s) => s[key]);
    const mx = xs.reduce((a, b) => a + b) / xs.length, my = ys.reduce((a, b) => a + b) / ys.length;
    const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    const per10 = slope * 10;
    lines.push(`  ${key}: ${ys[0].toFixed(1)} MB at ${xs[0].toFixed(1)} min, ${ys.at(-1).toFixed(1)} MB at the end, ` +
      `max ${Math.max(...ys).toFixed(1)} MB, trend ${per10 >= 0 ? '+' : ''}${per10.toFixed(2)} MB / 10 min`);
    verdicts.push({ key, per10, first: ys[0], last: ys.at(-1), max: Math.max(...ys) });
  }
  console.log(lines.join('\n'));
  return verdicts;
}

async function soakPage(browser, label, url, deadline, log) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.evaluate(() => liandan.ready);
  const cdp = await page.context().newCDPSession(page);
  const start = Date.now();
  const samples = [];
  let switches = 0, nextSample = 0;
  const out = path.join(outDir, `web-${label}.jsonl`);
  fs.writeFileSync(out, '');
  while (Date.now() < deadline) {
    const k = switches % (specs.length + files.length + 1);
    try {
      if (k < specs.length) {
        await page.evaluate((s) => liandan.load(s), specs[k]);
      } else if (k < specs.length + files.length) {
        const [name, file] = files[k - specs.length];
        await page.evaluate(({ name, bytes }) => liandan.loadFile(name, new Uint8Array(bytes)), { name, bytes: [...fs.readFileSync(file)] });
      } else if (fs.existsSync(mnist[0])) {
        for (const f of mnist) await page.evaluate(({ name, bytes }) => liandan.loadFile(name, new Uint8Array(bytes)), { name: path.basename(f), bytes: [...fs.readFileSync(f)] });
      }
      await page.evaluate(() => { liandan.play(); });
    } catch (e) {
      log(`${label}: switch ${switches} refused: ${e.message}`);
    }
    switches++;
    await page.waitForTimeout(4000); // trains and draws for a few seconds
    const minute = (Date.now() - start) / 60000;
    if (minute >= nextSample) {
      await cdp.send('HeapProfiler.collectGarbage');
      const m = await page.evaluate(() => ({ ...liandan.viewState(), js: performance.memory.usedJSHeapSize / 1048576, step: liandan.metrics().step }));
      const s = { minute, switches, wasm_used_mb: m.heap_used_mb, wasm_size_mb: m.heap_size_mb, js_heap_mb: m.js, step: m.step };
      samples.push(s);
      fs.appendFileSync(out, JSON.stringify(s) + '\n');
      nextSample = minute + 0.5;
    }
  }
  if (errors.length) log(`${label}: page errors: ${errors.join('; ')}`);
  await page.close();
  return { samples, errors };
}

async function soakWeb(deadline) {
  const browser = await launchChromium(['--enable-precise-memory-info']);
  const isolated = await serve(buildDir), plain = await serve(buildDir, ['--no-isolation']);
  try {
    const results = await Promise.all([
      soakPage(browser, 'threaded', isolated.url, deadline, console.log),
      soakPage(browser, 'single-threaded', plain.url, deadline, console.log),
    ]);
    return [
      summarize('page, threaded', results[0].samples, ['wasm_used_mb', 'wasm_size_mb', 'js_heap_mb']),
      summarize('page, single-threaded', results[1].samples, ['wasm_used_mb', 'wasm_size_mb', 'js_heap_mb']),
    ].flat().concat(results.flatMap((r) => r.errors.map((e) => ({ error: e }))));
  } finally {
    await browser.close();
    isolated.child.kill();
    plain.child.kill();
  }
}

// Native: a driver script of the same kind of switches, each cycle leaving the network as it found
// it, repeated past the time asked; its deadline ends it then, so the app quits normally and
// LeakSanitizer reports at exit.
async function soakNative(minutesLeft) {
  const bin = path.join(buildDir, 'native-asan-app', 'bin', 'liandan');
  const out = path.join(outDir, 'native.jsonl');
  fs.writeFileSync(out, '');
  const csv = files.map(([, p]) => p);
  const cycle = [
    'click xor', 'wait 40', 'click Add layer', 'wait 40', 'key space', 'wait 60', 'click spiral', 'wait 40',
    'click Remove layer', 'wait 40', 'clicks 3 +##units 1', 'wait 60', 'clicks 3 -##units 1', 'wait 40', 'click circle', 'wait 40',
    ...csv.flatMap((p) => [`drop ${p}`, 'wait 80']), ...(fs.existsSync(mnist[0]) ? mnist.map((p) => `drop ${p}`).concat(['wait 120']) : []),
    ...(csv.length || fs.existsSync(mnist[0]) ? ['click Back to the generated sets', 'wait 40'] : []), 'key r', 'wait 20', 'key space', 'wait 40', `memory ${out}`,
  ];
  const script = path.join(outDir, 'native.drive');
  const cycles = Math.ceil(minutesLeft * 60 * 60 / 800); // at up to 60 frames a second
  fs.writeFileSync(script, [`deadline ${Math.round(minutesLeft * 60)}`, 'wait 10', `memory ${out}`,
    ...Array.from({ length: cycles }, () => cycle).flat(), 'quit'].join('\n'));
  const started = Date.now();
  const child = spawn('xvfb-run', ['-a', '-s', '-screen 0 1400x900x24', bin, '--width', '1400', '--height', '860', '--drive', script], {
    // Leaks do not set the exit code (the report is read below), so any other failure does.
    env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1', LSAN_OPTIONS: 'exitcode=0' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  const lines = fs.readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const seconds = (Date.now() - started) / 1000;
  const frames = lines.at(-1)?.frame || 1;
  const samples = lines.map((l, i) => ({ minute: (l.frame / frames) * seconds / 60, switches: i * 8, heap_used_mb: l.heap_used_mb }));
  // LeakSanitizer's report at exit, split into leaks with a frame in this repo's sources (ours)
  // and those wholly inside system libraries (libdbus through SDL, the GL driver, which unloads
  // before the report and leaves '<unknown module>' frames).
  const blocks = stderr.split(/\n(?=(?:Direct|Indirect) leak of )/).filter((b) => /^(Direct|Indirect) leak of/.test(b));
  const source = new RegExp(root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '/(?!build/)'); // a frame in our sources, not the binary's address
  const ours = blocks.filter((b) => source.test(b));
  const bytes = (list) => list.reduce((a, b) => a + Number(/leak of (\d+) byte/.exec(b)[1]), 0);
  const other = blocks.length - ours.length;
  const sanitizerError = /ERROR: AddressSanitizer|runtime error:/.test(stderr);
  console.log(`native app: exit ${code}; LeakSanitizer: ${ours.length ? `${bytes(ours)} bytes in ${ours.length} leaks from Liandan's code` : 'no leak from Liandan\'s code'}` +
    (other ? `; ${bytes(blocks) - bytes(ours)} bytes in ${other} allocations of system libraries (${[...new Set(blocks.filter((b) => !source.test(b))
      .map((b) => (/\((\/[^ )]+\.so[^ )]*)/.exec(b) || [, 'unknown module'])[1].split('/').pop()))].join(', ')})` : ''));
  if (ours.length || sanitizerError) console.log([...ours, ...stderr.split('\n').filter((l) => /ERROR: AddressSanitizer|runtime error/.test(l))].join('\n').slice(0, 6000));
  const failed = ours.length > 0 || sanitizerError || code !== 0;
  return summarize('native app (ASan)', samples, ['heap_used_mb']).concat(failed ? [{ error: `native exit ${code}` }] : []);
}

const deadline = Date.now() + minutes * 60000;
const runs = [];
if (only !== 'native') runs.push(soakWeb(deadline));
if (only !== 'web') runs.push(soakNative(minutes));
const verdicts = (await Promise.all(runs)).flat();
// Flat: after warm-up, less than 2 MB (or 2%) of growth per 10 minutes in every figure.
const growing = verdicts.filter((v) => v.error || v.per10 > Math.max(2, 0.02 * v.first));
console.log(growing.length ? `NOT FLAT: ${growing.map((v) => v.error || v.key).join(', ')}` : 'flat: no figure grows after warm-up');
process.exit(growing.length ? 1 : 0);
