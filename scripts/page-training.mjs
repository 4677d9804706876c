// Liandan's workloads in the page and under node, shared by scripts/bench-page and
// scripts/bench-peers: each workload of liandan-bench (W1 MLP and W2 CNN on MNIST, W3 2-8-8-1 on
// the spiral) trained at full speed in headless Chromium with the interface drawing, and the same
// wasm build under node (the core's ceiling in that build).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root, serve } from '../tests/lib/browser.mjs';

export const defaultMnist = path.join(process.env.LIANDAN_CACHE || path.join(process.env.HOME, '.cache', 'liandan'), 'data', 'mnist');

// Where the machine's time goes: CPU time per thread of every Chromium process, read from /proc
// (Linux), summed by thread name: the page's main thread (CrRendererMain), the wasm threads (web
// workers: DedicatedWorker), the GPU process and its software rasterizer threads, and the rest.
export function chromiumThreads() {
  const ticks = 100; // USER_HZ
  const out = new Map();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd;
    try { cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    if (!cmd.includes('chrom')) continue;
    const type = (/--type=([a-z-]+)/.exec(cmd) || [, 'browser'])[1];
    let tasks = [];
    try { tasks = fs.readdirSync(`/proc/${pid}/task`); } catch { continue; }
    for (const tid of tasks) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[0-9]+$/, '');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = name.startsWith("DedicatedWorker") ? `${type}:${name}#${tid}` : `${type}:${name}`;
        out.set(key, (out.get(key) || 0) + (Number(f[11]) + Number(f[12])) / ticks);
      } catch {}
    }
  }
  return out;
}
export function threadShares(before, after, seconds) {
  const rows = [];
  for (const [k, v] of after) {
    const d = v - (before.get(k) || 0);
    if (d > 0.01 * seconds) rows.push([k, +(d / seconds).toFixed(2)]);
  }
  rows.sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(rows); // cores used by each, over the measurement
}

export const benchProgram = (build) => path.join(root, 'build', build === 'mt' ? 'wasm' : 'wasm-st', 'bin', 'liandan-bench.js');
export const workloads = JSON.parse(spawnSync(process.execPath, [benchProgram('mt'), '--workloads'], { encoding: 'utf8' }).stdout);
export const batchOf = (w) => workloads[w].train.batch_size;
export const unit = (w) => (w === 'W3' ? 'steps_per_s' : 'samples_per_s');

// A page of the given build (mt: threaded, on an isolated server; st: single-threaded) at `hash`,
// once the app is ready; close() stops both. buildDir holds the wasm builds (scripts/profile-page
// serves its own).
export async function openApp(browser, build, { width, height, hash = '', buildDir = path.join(root, 'build') }) {
  const server = await serve(buildDir, build === 'st' ? ['--no-isolation'] : []);
  const page = await browser.newPage({ viewport: { width, height } });
  const close = async () => { await page.close(); server.child.kill(); };
  try {
    await page.goto(server.url + hash);
    await page.evaluate(() => window.liandan.ready);
  } catch (e) {
    await close();
    throw e;
  }
  return { page, close };
}

// Waits until the page has loaded more experiments than `loads` and fetches nothing; a refusal throws.
async function loadedAfter(page, loads, what) {
  for (;;) {
    const m = await page.evaluate(() => liandan.metrics());
    if (m.error) throw new Error(`${what} in the page: ${m.error}`);
    if (m.loads > loads && !m.fetching) return;
    await page.waitForTimeout(100);
  }
}

// Loads workload `name` at full speed for all epochs (threads: the threaded build's; the other
// takes 1) and waits until it is the page's run.
export async function loadWorkload(page, build, name, threads) {
  const spec = structuredClone(workloads[name]);
  spec.train.threads = build === 'mt' ? threads : 1;
  spec.train.epochs = 0;
  spec.view = { speed: 0 };
  const loads = (await page.evaluate(() => liandan.metrics())).loads;
  await page.evaluate((s) => liandan.load(s), spec);
  await loadedAfter(page, loads, name);
}

// The page: load the workload, play at full speed, warm up, then count steps between the first and
// the last snapshot of a window of `seconds` (evaluations, snapshots and drawing included: what
// the learner gets), with the frames drawn a second (scripts/bench-ui times the frames). The
// trainer's own time in steps (metrics' `seconds`) gives the steps' rate alone too: the rest of
// the window went to snapshots and curve points, whose share the session bounds by design.
export async function inPage(browser, build, name, { width, height, threads, seconds, profile = false, buildDir }) {
  const { page, close } = await openApp(browser, build, { width, height, buildDir });
  try {
    await loadWorkload(page, build, name, threads);
    const lossAtPlay = (await page.evaluate(() => liandan.metrics())).loss_train;
    await page.evaluate(() => liandan.play());
    await page.waitForTimeout(3000); // warm-up: first snapshots, JIT tiers, caches
    const cpu0 = profile ? chromiumThreads() : null;
    const result = await page.evaluate(async (ms) => {
      // The step count moves only when a snapshot comes (every 2 s for a CNN on MNIST): the rate is
      // taken between the first and the last snapshot seen in the window, each timed when a look
      // every 10 ms saw it, not between the window's ends. The looks run on a timer: animation
      // frames asked for here would make the browser produce frames the page itself does not ask for.
      // A window with fewer than two snapshots in it (W2 single-threaded makes one every 3 s) runs
      // on until a second one comes, up to three times its length.
      const d0 = liandan.viewState().frames_drawn, t0 = performance.now();
      let first = null, latest = null;
      await new Promise((res) => {
        let step = liandan.metrics().step;
        const look = setInterval(() => {
          const now = performance.now(), m = liandan.metrics();
          if (m.step !== step) {
            step = m.step;
            latest = { step, t: now, trained_s: m.seconds };
            first = first || latest;
          }
          if (now - t0 >= ms && ((first && latest !== first) || now - t0 >= 3 * ms)) {
            clearInterval(look);
            res();
          }
        }, 10);
      });
      const m1 = liandan.metrics(), v1 = liandan.viewState(), s = (performance.now() - t0) / 1000;
      if (!first || latest === first) throw new Error('fewer than two snapshots came in the window: give it more --seconds');
      return { steps: latest.step - first.step, wall_s: (latest.t - first.t) / 1000, trained_s: latest.trained_s - first.trained_s, loss_end: m1.loss_train,
               drawn_per_s: +((v1.frames_drawn - d0) / s).toFixed(1), window_s: s };
    }, seconds * 1000);
    if (profile) result.cores = threadShares(cpu0, chromiumThreads(), result.window_s);
    result.loss_at_play = lossAtPlay;
    const samples = result.steps * (name === 'W3' ? 1 : batchOf(name));
    result.per_s = samples / result.wall_s;
    result.steps_alone_per_s = samples / result.trained_s; // the trainer's own steps, without snapshots and curve points
    return result;
  } finally {
    await close();
  }
}

// The same build under node: the core's ceiling in that build.
export function underNode(build, name, { threads, seconds, mnist }) {
  const r = spawnSync(process.execPath, [benchProgram(build), '--only', name.toLowerCase(), '--threads', String(build === 'mt' ? threads : 1),
    '--seconds', String(Math.min(seconds, 4)), '--mnist', mnist], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').map(JSON.parse).find((j) => j.figure === name);
  if (!line) throw new Error(`liandan-bench ${name} under node failed: ${r.stderr}`);
  return line[unit(name)];
}

// The same build's liandan-bench in a Chromium page without the interface (shell/bench/web): the
// core in the browser's wasm engine, main in a worker as the page's trainer. Between it and node
// lies the engine; between the page and it, the interface.
export async function inBrowserCore(browser, build, name, { threads, seconds, buildDir = path.join(root, 'build') }) {
  const server = await serve(buildDir, build === 'st' ? ['--no-isolation'] : []);
  const page = await browser.newPage();
  try {
    const args = ['--only', name.toLowerCase(), '--threads', String(build === 'mt' ? threads : 1), '--seconds', String(Math.min(seconds, 4))];
    await page.goto(`${server.url}bench/${build}/?args=${encodeURIComponent(args.join(' '))}`);
    const done = await page.waitForFunction(() => window.bench && (window.bench.exit !== null || window.bench.error) && window.bench,
      null, { timeout: 120000, polling: 200 });
    const { lines, exit, error } = await done.jsonValue();
    const line = lines.filter((l) => l.startsWith('{')).map(JSON.parse).find((j) => j.figure === name);
    if (error || exit !== 0 || !line) throw new Error(`liandan-bench ${name} in Chromium failed: ${error || lines.join('\n')}`);
    return line[unit(name)];
  } finally {
    await page.close();
    server.child.kill();
  }
}

// A cache line's round trip between two threads of the threaded build under node, in ns: on a VM
// whose host sometimes runs the two vCPUs far apart, it tells which mode two-thread figures came
// in (docs/performance.md, "Fourth pass"; about 60 ns natively in the fast mode, 340 in the slow).
export function linkRoundTripNs() {
  const r = spawnSync(process.execPath, [benchProgram('mt'), '--only', 'link'], { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').filter(Boolean).map(JSON.parse).find((j) => j.figure === 'link');
  if (!line) throw new Error(`liandan-bench link under node failed: ${r.stderr}`);
  return Math.round(line.round_trip_ns);
}

// Time to learn: the MNIST digits with the network the playground proposes for them (#dataset=mnist),
// trained at full speed in the page from Play until the test accuracy it shows reaches `goal`, or
// `capSeconds` of wall time. The curve is [seconds, epoch, test accuracy] points.
export async function digitsToAccuracy(browser, build, { threads, goal, capSeconds, width = 1280, height = 800 }) {
  const { page, close } = await openApp(browser, build, { width, height, hash: '#dataset=mnist' });
  try {
    await loadedAfter(page, 0, 'the digits');
    const spec = await page.evaluate(() => liandan.spec());
    spec.view = { ...spec.view, speed: 0 };
    spec.train.threads = build === 'mt' ? threads : 1;
    const loads = (await page.evaluate(() => liandan.metrics())).loads;
    await page.evaluate((s) => liandan.load(s), spec);
    await loadedAfter(page, loads, 'the digits');
    return await page.evaluate(async ({ goal, capSeconds }) => {
      const curve = [];
      const t0 = performance.now();
      liandan.play();
      for (;;) {
        await new Promise((r) => setTimeout(r, 250));
        const m = liandan.metrics(), s = (performance.now() - t0) / 1000;
        const last = curve[curve.length - 1];
        if (!last || last[2] !== +m.accuracy_test.toFixed(4)) curve.push([+s.toFixed(2), +m.epoch.toFixed(2), +m.accuracy_test.toFixed(4)]);
        if (m.accuracy_test >= goal) return { reached: true, seconds: s, accuracy: m.accuracy_test, curve };
        if (s >= capSeconds || (!m.running && m.step > 0)) return { reached: false, seconds: s, accuracy: m.accuracy_test, curve };
      }
    }, { goal, capSeconds });
  } finally {
    await close();
  }
}
