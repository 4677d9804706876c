// Frame times of the page while training (see scripts/bench-ui): the page's own
// requestAnimationFrame timestamps over a few seconds of training, after a warm-up second.
import path from 'node:path';
import { launchChromium, root, serve } from '../tests/lib/browser.mjs';

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1] || 5) || 5;


const hidden = Array.from({ length: 8 }, () => ({ type: 'dense', units: 16, activation: 'tanh' }));
const spec = {
  data: { toy: { shape: 'spiral', n: 500, noise: 0.1 }, features: ['x', 'y', 'x2', 'y2', 'xy', 'sinx', 'siny'] },
  model: { layers: [...hidden, { type: 'dense', units: 1 }] },
  optimizer: { type: 'adam', lr: 0.003 },
  train: { batch_size: 10, epochs: 0 },
};

const browser = await launchChromium();
for (const [build, extra] of [['mt', []], ['st', ['--no-isolation']]]) {
  const server = await serve(path.join(root, 'build'), extra);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await page.evaluate(() => window.liandan.ready);
  await page.evaluate((s) => liandan.load(s), spec);
  await page.evaluate(() => liandan.play());
  const r = await page.evaluate(async (ms) => {
    await new Promise((res) => setTimeout(res, 1000)); // warm-up
    const times = [];
    const step0 = liandan.metrics().step;
    const t0 = performance.now();
    await new Promise((res) => {
      let last = performance.now();
      (function frame(now) {
        times.push(now - last);
        last = now;
        if (now - t0 < ms) requestAnimationFrame(frame); else res();
      })(performance.now());
    });
    const steps = liandan.metrics().step - step0, seconds = (performance.now() - t0) / 1000;
    times.shift();
    times.sort((a, b) => a - b);
    const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    return { frames: times.length, p50_ms: q(0.5), p95_ms: q(0.95), fps: times.length / seconds, steps_per_s: steps / seconds };
  }, seconds * 1000);
  console.log(JSON.stringify({ figure: 'frame-time-8x16', build, ...r, network: '7-16x8-1 tanh, adam, batch 10, spiral', browser: 'chromium headless, swiftshader' }));
  await page.close();
  server.child.kill();
}
await browser.close();
