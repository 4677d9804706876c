// Liandan beside its peers (see scripts/bench-peers). In one headless Chromium: the page (threaded
// and single-threaded builds) against TensorFlow.js (wasm with both cores, cpu, webgl) and
// ConvNetJS on W1-W3, and the time each needs to reach 98% on the MNIST digits; natively
// liandan-bench against PyTorch CPU. Every engine's loss must fall. Writes JSON and a Markdown
// table into --out (default build/bench-peers) and prints the table.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, root } from '../tests/lib/browser.mjs';
import { defaultMnist, digitsToAccuracy, inPage, unit } from './page-training.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const seconds = Number(option('--seconds', 8));
const goal = Number(option('--goal', 0.98));
const capSeconds = Number(option('--cap', 120));
// Liandan's runs to 98% differ by seconds (the accuracy wanders by ±0.3% from one snapshot to the
// next near the goal, and snapshots land at different steps): its cells report the median run.
const repeats = Number(option('--repeats', 3));
const only = option('--only', 'W1,W2,W3,digits,native').split(',');
const peersDir = option('--peers-dir', null); // the installed scripts/peers/package.json
const mnist = option('--mnist', defaultMnist);
const outDir = path.resolve(option('--out', path.join(root, 'build', 'bench-peers')));
if (!peersDir || !fs.existsSync(path.join(peersDir, 'node_modules'))) throw new Error('--peers-dir: the folder where scripts/bench-peers installed the peers');
const threads = 2;
const warmup = 3;

// The peers' page: harness.html and harness.js, the npm packages, the MNIST files; cross-origin
// isolated, so TensorFlow.js's wasm backend may use threads.
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.gz': 'application/gzip' };
function peersServer() {
  const mounts = [['/npm/', path.join(peersDir, 'node_modules')], ['/data/mnist/', mnist], ['/', path.join(root, 'scripts', 'peers')]];
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const [prefix, dir] = mounts.find(([p]) => urlPath.startsWith(p));
    const file = path.resolve(dir, '.' + path.sep + (urlPath.slice(prefix.length) || 'harness.html'));
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream',
                         'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` })));
}

async function peer(browser, url, job) {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.harnessReady);
    return await page.evaluate((j) => window.runPeer(j), job);
  } finally {
    await page.close();
  }
}

const version = (pkg) => JSON.parse(fs.readFileSync(path.join(peersDir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const engines = [
  { key: 'liandan-mt', title: `Liandan page, ${threads} threads`, build: 'mt' },
  { key: 'liandan-st', title: 'Liandan page, single-threaded build', build: 'st' },
  { key: 'tfjs-wasm', title: `TF.js ${version('@tensorflow/tfjs')} wasm, ${threads} threads`, job: { engine: 'tfjs', backend: 'wasm', threads } },
  { key: 'tfjs-cpu', title: 'TF.js cpu', job: { engine: 'tfjs', backend: 'cpu' } },
  { key: 'tfjs-webgl', title: 'TF.js webgl (SwiftShader: software)', job: { engine: 'tfjs', backend: 'webgl' } },
  { key: 'convnetjs', title: `ConvNetJS ${version('convnetjs')}`, job: { engine: 'convnetjs' } },
];

const results = { date: new Date().toISOString(), machine: machine(), seconds, warmup, goal, capSeconds, workloads: {}, digits: {}, native: [] };
function machine() {
  const cpu = os.cpus();
  const chromium = spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout.trim();
  return `${cpu.length} × ${cpu[0].model}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${chromium} headless (SwiftShader WebGL), node ${process.version}`;
}
const fell = (loss) => Array.isArray(loss) && loss[1] < loss[0];
const log = (o) => console.error(JSON.stringify(o));

const browser = await launchChromium();
const { server, url } = await peersServer();
try {
  for (const w of ['W1', 'W2', 'W3'].filter((w) => only.includes(w))) {
    results.workloads[w] = { unit: unit(w) };
    for (const e of engines) {
      let r;
      if (e.build) {
        const p = await inPage(browser, e.build, w, { width: 1280, height: 800, threads, seconds });
        r = { per_s: Math.round(p.per_s), loss: [+p.loss_at_play.toPrecision(3), +p.loss_end.toPrecision(3)] };
      } else {
        const p = await peer(browser, url, { ...e.job, workload: w, seconds, warmup });
        r = p.error ? { error: p.error } : { per_s: Math.round(p.per_s), loss: p.loss.map((l) => +l.toFixed(4)) };
      }
      if (!r.error && !fell(r.loss)) r.warning = 'the loss did not fall';
      results.workloads[w][e.key] = r;
      log({ workload: w, engine: e.key, ...r });
    }
  }
  if (only.includes('digits')) {
    for (const e of engines) {
      let r;
      if (e.build) {
        const runs = [];
        for (let i = 0; i < repeats; ++i) runs.push(await digitsToAccuracy(browser, e.build, { threads, goal, capSeconds }));
        const time = (x) => (x.reached ? x.seconds : Infinity);
        runs.sort((a, b) => time(a) - time(b));
        r = { ...runs[Math.floor((runs.length - 1) / 2)], runs: runs.map((x) => (x.reached ? +x.seconds.toFixed(1) : null)) };
      } else r = await peer(browser, url, { ...e.job, workload: 'lenet', untilAccuracy: goal, capSeconds });
      if (r.seconds !== undefined) r.seconds = +r.seconds.toFixed(1);
      results.digits[e.key] = r;
      log({ digits: e.key, reached: r.reached, seconds: r.seconds, accuracy: r.accuracy, error: r.error });
    }
  }
} finally {
  await browser.close();
  server.close();
}

// Natively: the core's liandan-bench, and PyTorch from Debian's python3-torch when it is there.
if (only.includes('native')) {
  const bench = path.join(root, 'build', 'native-release', 'bin', 'liandan-bench');
  for (const t of [1, 2]) {
    const r = spawnSync(bench, ['--only', 'w1', 'w2', '--threads', String(t), '--seconds', '3'], { encoding: 'utf8' });
    for (const line of r.stdout.trim().split('\n').filter(Boolean).map(JSON.parse))
      results.native.push({ engine: 'liandan', workload: line.figure, threads: t, samples_per_s: Math.round(line.samples_per_s), loss: line.loss });
  }
  const python = '/usr/bin/python3';
  if (spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status !== 0) {
    results.native_note = 'PyTorch skipped: Debian\'s python3 cannot import torch (apt-get install python3-torch)';
    console.error(results.native_note);
  } else {
    const r = spawnSync(python, [path.join(root, 'scripts', 'peers', 'torch_bench.py'), mnist, '--seconds', '3'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`torch_bench.py failed: ${r.stderr}`);
    const lines = r.stdout.trim().split('\n').map(JSON.parse);
    results.native.push(...lines);
    results.native_note = `PyTorch ${lines[0].version} from python3-torch, BLAS: ${lines[0].blas}` +
      (lines[0].blas.includes('openblas') ? '' : ' (the reference BLAS: apt-get install libopenblas0-pthread for PyTorch\'s real speed)');
  }
  for (const n of results.native) if (n.loss && !fell(n.loss)) n.warning = 'the loss did not fall';
}

fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'peers.json'), JSON.stringify(results, null, 1) + '\n');
const markdown = table(results);
fs.writeFileSync(path.join(outDir, 'peers.md'), markdown);
console.log(markdown);

function table(r) {
  const fmt = (n) => n.toLocaleString('en-US');
  const cell = (x) => (!x ? '—' : x.error ? `cannot train (${x.error.slice(0, 60)})` : `${fmt(x.per_s)}${x.warning ? ' (loss did not fall)' : ''}`);
  const lines = [`Measured ${r.date.slice(0, 10)} on ${r.machine}; ${r.seconds} s per cell after ${r.warmup} s of warm-up.`, ''];
  const ws = Object.keys(r.workloads);
  if (ws.length) {
    lines.push(`| workload | ${engines.map((e) => e.title).join(' | ')} |`, `|---|${engines.map(() => '---|').join('')}`);
    for (const w of ws) lines.push(`| ${w} ${r.workloads[w].unit.replace(/_/g, ' ')} | ${engines.map((e) => cell(r.workloads[w][e.key])).join(' | ')} |`);
    lines.push('');
  }
  if (Object.keys(r.digits).length) {
    const runs = (x) => (x.runs && x.runs.length > 1 ? ` (median of ${x.runs.map((t) => (t === null ? 'not reached' : `${t} s`)).join(', ')})` : '');
    const d = (x) => (!x ? '—' : x.error ? `cannot train (${x.error.slice(0, 60)})` : (x.reached ? `${x.seconds} s` : `not in ${x.seconds} s (${(100 * x.accuracy).toFixed(1)}%)`) + runs(x));
    lines.push(`| MNIST digits to ${100 * r.goal}% test accuracy (LeNet-like net) | ${engines.map((e) => e.title).join(' | ')} |`,
               `|---|${engines.map(() => '---|').join('')}`, `| seconds of training | ${engines.map((e) => d(r.digits[e.key])).join(' | ')} |`, '');
  }
  if (r.native.length) {
    const get = (engine, w, t) => r.native.find((n) => n.engine === engine && n.workload === w && n.threads === t);
    const c = (n) => (n ? `${fmt(n.samples_per_s)}${n.warning ? ' (loss did not fall)' : ''}` : '—');
    lines.push('| native, samples/s | Liandan 1 thread | Liandan 2 threads | PyTorch 1 thread | PyTorch 2 threads |', '|---|---|---|---|---|');
    for (const w of ['W1', 'W2']) lines.push(`| ${w} | ${c(get('liandan', w, 1))} | ${c(get('liandan', w, 2))} | ${c(get('pytorch', w, 1))} | ${c(get('pytorch', w, 2))} |`);
    if (r.native_note) lines.push('', r.native_note);
    lines.push('');
  }
  return lines.join('\n');
}
