// The real data sets in the threaded page (see scripts/bench-datasets): trains at full speed with
// the interface drawing, reads the page's own metrics (metrics.seconds is training time, the
// evaluations between excluded) and heaps, and times frames while a set loads.
import path from 'node:path';
import { launchChromium, root, serve } from '../tests/lib/browser.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const only = option('--only', 'all');
const budget = Number(option('--seconds', 60));
// --build st: the single-threaded page (no cross-origin isolation), which trains and loads in slices of its frames.
const single = option('--build', 'mt') === 'st';

const browser = await launchChromium(['--enable-precise-memory-info']);
const server = await serve(path.join(root, 'build'), single ? ['--no-isolation'] : []);
const report = (o) => console.log(JSON.stringify(o));

async function open(hash) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url + hash);
  await page.evaluate(() => window.liandan.ready);
  return page;
}
async function loaded(page) {
  for (;;) {
    const m = await page.evaluate(() => liandan.metrics());
    if (m.loads >= 1 && !m.fetching) return m;
    await page.waitForTimeout(100);
  }
}
// Plays the proposed experiment at full speed until its stop rule or `seconds` of training;
// returns the best test accuracy seen and when.
async function train(page, seconds, stopAt = 1) {
  await page.evaluate(() => { const s = liandan.spec(); s.view.speed = 0; return liandan.load(s); });
  await page.evaluate(() => liandan.play());
  const wall0 = Date.now();
  while (!(await page.evaluate(() => liandan.metrics())).running) await page.waitForTimeout(50); // after the load's first snapshot
  let best = { accuracy_test: 0 }, m;
  const reached = {}; // training seconds when the test accuracy first reached each mark
  const marks = [0.9, 0.95, 0.98];
  do {
    await page.waitForTimeout(250);
    m = await page.evaluate(() => liandan.metrics());
    if (m.accuracy_test > best.accuracy_test) best = m;
    for (const mark of marks)
      if (m.accuracy_test >= mark && !(mark in reached)) reached[mark] = { training_s: +m.seconds.toFixed(1), wall_s: (Date.now() - wall0) / 1000 };
  } while (m.seconds < seconds && best.accuracy_test < stopAt && !m.error && m.running);
  await page.evaluate(() => liandan.pause());
  return { best_test_accuracy: best.accuracy_test, at_training_s: +best.seconds.toFixed(1), at_epoch: best.epoch,
    first_reached: reached,
    training_s: +m.seconds.toFixed(1), wall_s: (Date.now() - wall0) / 1000, steps_per_s: m.steps_per_s, error: m.error };
}
async function heaps(page) {
  return page.evaluate(() => {
    const v = liandan.viewState();
    return { wasm_heap_mb: Math.round(v.heap_size_mb), wasm_in_use_mb: Math.round(v.heap_used_mb),
      js_heap_mb: performance.memory ? Math.round(performance.memory.usedJSHeapSize / 1048576) : null };
  });
}

if (only === 'all' || only === 'mnist') {
  for (const preset of ['LeNet-like CNN', 'MLP']) {
    const page = await open('#dataset=mnist');
    await loaded(page);
    if (preset !== 'LeNet-like CNN') {
      const w = await page.evaluate((l) => liandan.widget(l), preset);
      await page.mouse.move(w.x + w.w / 2, w.y + w.h / 2);
      await page.mouse.click(w.x + w.w / 2, w.y + w.h / 2);
      for (let loads = 1; loads < 2; loads = (await page.evaluate(() => liandan.metrics())).loads) await page.waitForTimeout(100);
    }
    report({ data: 'mnist', network: preset, ...(await train(page, budget)), ...(await heaps(page)) });
    await page.close();
  }
}
if (only === 'all' || only === 'fashion') {
  const page = await open('#dataset=fashion-mnist');
  const t0 = Date.now();
  await loaded(page);
  const load_s = (Date.now() - t0) / 1000;
  report({ data: 'fashion-mnist', network: 'LeNet-like CNN', load_s, ...(await train(page, Number(option('--fashion-seconds', 600)), 0.9)),
    ...(await heaps(page)) });
  await page.close();
}
if (only === 'all' || only === 'switch') {
  // Frames while sets load, from a fresh profile (fetched, then from the browser's cache).
  const page = await open('');
  const longest = [];
  for (const hash of ['#dataset=mnist', '#dataset=spiral', '#dataset=fashion-mnist', '#dataset=spiral', '#dataset=mnist']) {
    const r = await page.evaluate(async (h) => {
      const loads = liandan.metrics().loads;
      const frames = [];
      let last = performance.now(), sawProgress = false;
      const t0 = last;
      liandan.loadUrl(h).catch(() => {});
      await new Promise((res) => {
        (function frame(now) {
          frames.push(now - last);
          last = now;
          const m = liandan.metrics();
          sawProgress ||= !!m.fetching;
          if (m.loads > loads && !m.fetching) return res();
          requestAnimationFrame(frame);
        })(performance.now());
      });
      // The first entry spans from the call to the first frame: frames proper start after it.
      return { to: h, longest_frame_ms: frames.length > 2 ? Math.round(Math.max(...frames.slice(2))) : null, frames: frames.length,
        load_ms: Math.round(performance.now() - t0), showed_progress: sawProgress };
    }, hash);
    longest.push(r);
  }
  report({ switching: longest, ...(await heaps(page)) });
  await page.close();
}
await browser.close();
server.child.kill();
