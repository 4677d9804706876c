// The page's profile (see scripts/profile-page): a workload trained at full speed in the page built
// with function names, traced with V8's sampling profiler on every thread (the page's main thread,
// the trainer's and the pool's web workers), summed by function per thread.
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium, root } from '../tests/lib/browser.mjs';
import { loadWorkload, openApp, workloads } from './page-training.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const name = option('--only', 'digits');
const threads = Number(option('--threads', 2));
const seconds = Number(option('--seconds', 6));
const top = Number(option('--top', 12));
const [width, height] = option('--size', '1280x800').split('x').map(Number);
if (!workloads[name]) throw new Error(`--only ${name}: not one of ${Object.keys(workloads).join(', ')}`);
const buildDir = path.join(root, 'build', 'profile');
const tracePath = path.join(buildDir, 'trace.json');

const browser = await launchChromium();
const { page, close } = await openApp(browser, 'mt', { width, height, buildDir });
try {
  await loadWorkload(page, 'mt', name, threads);
  await page.evaluate(() => liandan.play());
  await page.waitForTimeout(3000); // warm-up: data, first snapshots, the wasm tiers
  await browser.startTracing(page, { path: tracePath, categories: ['disabled-by-default-v8.cpu_profiler', 'v8', 'devtools.timeline'] });
  await page.waitForTimeout(seconds * 1000);
  await browser.stopTracing();
  const m = await page.evaluate(() => liandan.metrics());
  if (m.error) throw new Error(`training stopped: ${m.error}`);
} finally {
  await close();
  await browser.close();
}

// Self time by function for each profiled thread, from the trace's ProfileChunk events.
const events = JSON.parse(fs.readFileSync(tracePath, 'utf8')).traceEvents;
const threadNames = new Map();
for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
const profiles = new Map();
for (const e of events) {
  const key = `${e.pid}:${e.id}`; // profile ids count up within each process
  if (e.name === 'Profile') profiles.set(key, { thread: `${e.pid}:${e.tid}`, nodes: new Map(), self: new Map(), total: 0 });
  if (e.name !== 'ProfileChunk' || !profiles.has(key)) continue;
  const p = profiles.get(key), d = e.args.data, cpu = d.cpuProfile || {};
  for (const n of cpu.nodes || []) p.nodes.set(n.id, n.callFrame.functionName || n.callFrame.url || '(anonymous)');
  (cpu.samples || []).forEach((s, i) => {
    const f = p.nodes.get(s) || '?', dt = (d.timeDeltas || [])[i] || 0;
    p.self.set(f, (p.self.get(f) || 0) + dt);
    p.total += dt;
  });
}
console.log(`${name}, ${threads} thread(s), ${width}x${height}, ${seconds} s traced; the trace: ${path.relative(root, tracePath)}`);
for (const p of [...profiles.values()].filter((p) => p.total > 0.2 * seconds * 1e6)) {
  console.log(`\n${threadNames.get(p.thread) || p.thread}: ${(p.total / 1e6).toFixed(1)} s sampled`);
  for (const [f, t] of [...p.self].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${((100 * t) / p.total).toFixed(1).padStart(5)}%  ${(f.startsWith('(') ? f : f.replace(/\((?!anonymous namespace\)).*$/, '')).slice(0, 100)}`);
}
