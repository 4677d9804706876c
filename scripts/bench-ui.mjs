// Frame times of the page while training (see scripts/bench-ui): the page's own
// requestAnimationFrame timestamps over a few seconds of training, after a warm-up second; then
// the time between drawn frames while the pointer moves, training and paused, against a bare
// WebGL2 floor page measured next under the same load; then the input latency, training and paused.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, root, serve } from '../tests/lib/browser.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const seconds = Number(option('--seconds', 5)) || 5;
// Software rasterization costs in proportion to the pixels drawn: measure at a laptop's window
// size and at smaller ones to see that part.
const [width, height] = option('--size', '1280x800').split('x').map(Number);

// The network is 8 hidden layers of 16 units; --hidden 10x1000 measures a huge one.
const [depth, units] = option('--hidden', '8x16').split('x').map(Number);
const hidden = Array.from({ length: depth }, () => ({ type: 'dense', units: units, activation: 'tanh' }));
const spec = {
  data: { toy: { shape: 'spiral', n: 500, noise: 0.1 }, features: ['x', 'y', 'x2', 'y2', 'xy', 'sinx', 'siny'] },
  model: { layers: [...hidden, { type: 'dense', units: 1 }] },
  optimizer: { type: 'adam', lr: 0.003 },
  train: { batch_size: 10, epochs: 0 },
  view: { speed: 0 }, // full speed: the trainer's heaviest load on the page
};

// The floor: a bare WebGL2 page drawing one textured quad over the same viewport every frame,
// the cheapest frame this renderer gives.
const floorPage = `<!doctype html><body style="margin:0;overflow:hidden"><canvas id="c"></canvas><script>
const c = document.getElementById('c'); c.width = innerWidth; c.height = innerHeight;
const gl = c.getContext('webgl2');
const sh = (type, src) => { const s = gl.createShader(type); gl.shaderSource(s, src); gl.compileShader(s); return s; };
const p = gl.createProgram();
gl.attachShader(p, sh(gl.VERTEX_SHADER, '#version 300 es\\nin vec2 a; out vec2 uv; void main() { uv = a * 0.5 + 0.5; gl_Position = vec4(a, 0, 1); }'));
gl.attachShader(p, sh(gl.FRAGMENT_SHADER, '#version 300 es\\nprecision mediump float; in vec2 uv; uniform sampler2D t; out vec4 o; void main() { o = texture(t, uv); }'));
gl.linkProgram(p); gl.useProgram(p);
gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
gl.enableVertexAttribArray(0); gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
const pixels = new Uint8Array(256 * 256 * 4).map((_, i) => (i * 37) & 255);
gl.bindTexture(gl.TEXTURE_2D, gl.createTexture());
gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, 256, 256, 0, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
window.frameTimes = (ms) => new Promise((res) => {
  const times = []; const t0 = performance.now(); let last = t0;
  (function frame(now) {
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
    times.push(now - last); last = now;
    if (now - t0 < ms) requestAnimationFrame(frame); else { times.shift(); res(times); }
  })(t0);
});
</script>`;
// CPU milliseconds the browser's processes of a type (gpu-process: rasterization under SwiftShader)
// have used, from /proc; null where there is no /proc. Frame gaps come in whole vsyncs, so a
// frame's CPU cost tells changes apart that the gaps round away.
const cpuMs = (type) => {
  if (!fs.existsSync('/proc/self/stat')) return null;
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`--type=${type}`)) continue;
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch { /* the process ended */ }
  }
  return ticks * 1000 / 100; // USER_HZ
};
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return +s[Math.floor(s.length / 2)].toFixed(1); };
const mean = (xs) => +(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(1);
// Gaps come in whole vsyncs, so a median moves by 16.7 ms steps: how many gaps took 1, 2, 3, ...
// vsyncs (of a 60 Hz screen, as headless Chromium gives), and the mean, show a change the median
// rounds away.
const vsyncs = (xs) => {
  const counts = {};
  for (const x of xs) { const k = Math.max(1, Math.round(x / (1000 / 60))); counts[k] = (counts[k] || 0) + 1; }
  return counts;
};

const only = option('--only', 'all'); // web | native | all
const browser = only === 'native' ? null : await launchChromium();
// --builds mt,st: the threaded build, the single-threaded one (served without isolation), or both.
const builds = option('--builds', 'mt,st').split(',');
for (const [build, extra] of only === 'native' ? [] : [['mt', []], ['st', ['--no-isolation']]].filter(([b]) => builds.includes(b))) {
  const server = await serve(path.join(root, 'build'), extra);
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(server.url);
  await page.evaluate(() => window.liandan.ready);
  await page.evaluate((s) => liandan.load(s), spec);
  // Frame times while training, then paused: the difference is what the trainer's thread takes
  // from drawing. build_ms is our own part of a frame (views and ImGui's draw lists); the rest is
  // GL submission and rasterization (swiftshader in headless Chromium: on the CPU), and waiting.
  for (const phase of ['training', 'paused']) {
    await page.evaluate((p) => (p === 'training' ? liandan.play() : liandan.pause()), phase);
    const r = await page.evaluate(async (ms) => {
      await new Promise((res) => setTimeout(res, 1000)); // warm-up
      const times = [], cpu = [];
      let vertices = 0, publish_ms = 0;
      const step0 = liandan.metrics().step, drawn0 = liandan.viewState().frames_drawn;
      const t0 = performance.now();
      await new Promise((res) => {
        let last = performance.now();
        (function frame(now) {
          times.push(now - last);
          const v = liandan.viewState();
          cpu.push(v.build_ms);
          vertices = Math.max(vertices, v.vertices);
          publish_ms = v.publish_ms;
          last = now;
          if (now - t0 < ms) requestAnimationFrame(frame); else res();
        })(performance.now());
      });
      const steps = liandan.metrics().step - step0, seconds = (performance.now() - t0) / 1000;
      const drawn = liandan.viewState().frames_drawn - drawn0;
      times.shift();
      cpu.shift();
      const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return +s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(2); };
      return { frames: times.length, p50_ms: q(times, 0.5), p95_ms: q(times, 0.95), build_p50_ms: q(cpu, 0.5), build_p95_ms: q(cpu, 0.95), build_max_ms: +Math.max(...cpu).toFixed(2),
               publish_ms: +publish_ms.toFixed(2), vertices, fps: +(times.length / seconds).toFixed(1), drawn_per_s: +(drawn / seconds).toFixed(1), steps_per_s: Math.round(steps / seconds) };
    }, seconds * 1000);
    console.log(JSON.stringify({ figure: `frame-time-${depth}x${units}`, build, phase, viewport: `${width}x${height}`, ...r, network: `7-${units}x${depth}-1 tanh, adam, batch 10, spiral`, browser: 'chromium headless, swiftshader' }));
  }
  // With the pointer moving over the network (every frame is drawn: input is answered at once),
  // while training and while paused; then the floor page alone in a second window under the same
  // load (Liandan training, or paused, untouched: it then draws a snapshot now and then, or
  // nothing). One after the other, not at once: two pages drawing together share the GPU
  // process, and each would be measured with the other's frames in its way.
  for (const phase of ['training', 'paused']) {
    await page.evaluate((p) => (p === 'training' ? liandan.play() : liandan.pause()), phase);
    await page.waitForTimeout(1000);
    const gpu0 = cpuMs('gpu-process'), state0 = await page.evaluate(() => liandan.viewState());
    const step0 = await page.evaluate(() => liandan.metrics().step), moving0 = performance.now();
    const drawn = await page.evaluate(async (ms) => {
      const gaps = [];
      let lastDrawn = liandan.viewState().frames_drawn, lastTime = performance.now();
      const t0 = lastTime, canvas = document.querySelector('canvas');
      await new Promise((res) => {
        (function frame(now) {
          // A pointer moving as a mouse does: an event every frame, dispatched where SDL listens.
          const i = gaps.length + now / 100;
          canvas.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: 400 + 200 * Math.sin(i), clientY: 400 + 150 * Math.cos(i) }));
          const d = liandan.viewState().frames_drawn;
          if (d !== lastDrawn) { gaps.push((now - lastTime) / (d - lastDrawn)); lastDrawn = d; lastTime = now; }
          if (now - t0 < ms) requestAnimationFrame(frame); else res();
        })(t0);
      });
      gaps.shift();
      return gaps;
    }, seconds * 1000);
    const gpu1 = cpuMs('gpu-process'), state1 = await page.evaluate(() => liandan.viewState());
    const framesDrawn = state1.frames_drawn - state0.frames_drawn;
    const stepsPerS = Math.round((await page.evaluate(() => liandan.metrics().step) - step0) / ((performance.now() - moving0) / 1000));
    await page.waitForTimeout(500); // the trainer's turn-taking with the input ends
    const floor = await browser.newPage({ viewport: { width, height } });
    await floor.setContent(floorPage);
    const floorGpu0 = cpuMs('gpu-process');
    const floorTimes = await floor.evaluate((ms) => window.frameTimes(ms), seconds * 1000);
    const floorGpu = cpuMs('gpu-process') - floorGpu0;
    await floor.close();
    const drawnP50 = median(drawn), floorP50 = median(floorTimes), drawnMean = mean(drawn), floorMean = mean(floorTimes);
    console.log(JSON.stringify({ figure: `frame-time-${depth}x${units}`, build, phase: `${phase}, pointer moving`, viewport: `${width}x${height}`,
      drawn_p50_ms: drawnP50, drawn_frames: drawn.length, floor_p50_ms: floorP50, over_floor: +(drawnP50 / floorP50).toFixed(2),
      drawn_mean_ms: drawnMean, floor_mean_ms: floorMean, mean_over_floor: +(drawnMean / floorMean).toFixed(2),
      drawn_vsyncs: vsyncs(drawn), floor_vsyncs: vsyncs(floorTimes), steps_per_s: stepsPerS, // training's pace while the pointer moves
      // The GPU process's CPU per frame drawn (Liandan's, then the floor page's), the pixels of
      // Liandan's last frame, and how often its weight lines were drawn again (new weights).
      gpu_ms_per_frame: gpu0 === null ? null : +((gpu1 - gpu0) / Math.max(1, framesDrawn)).toFixed(1),
      floor_gpu_ms_per_frame: gpu0 === null ? null : +(floorGpu / Math.max(1, floorTimes.length)).toFixed(1),
      pixels_drawn: state1.pixels_drawn, line_pictures: state1.line_pictures - state0.line_pictures,
      floor: `bare WebGL2 page, one textured quad, measured next, Liandan ${phase === 'training' ? 'training' : 'paused'} in the other window`,
      browser: 'chromium headless, swiftshader' }));
  }
  // Input latency: the pointer moved by the browser's own input path (as a mouse does), every 120 ms
  // over the network, while training at full speed and paused: the time from each event (its
  // timeStamp) to the end of the frame callback that drew the frame answering it (that frame's
  // GL calls issued; the GPU process's rasterization, gpu_ms_per_frame above, comes after it).
  // A frame drew if it cleared the screen: the page clears once per frame drawn.
  await page.evaluate(() => {
    const gl = WebGL2RenderingContext.prototype, clear = gl.clear;
    window.cleared = false;
    gl.clear = function (...a) { window.cleared = true; return clear.apply(this, a); };
    window.waiting = [];
    window.latencies = [];
    document.querySelector('canvas').addEventListener('mousemove', (e) => window.waiting.push(e.timeStamp), { capture: true });
    // Frame callbacks come from animation frames, or from a timer while nothing is drawn
    // (shell/app/platform_web.cpp): both are watched.
    const watched = (f) => (...a) => {
      const seen = window.waiting.length; // events this callback's frame handles
      window.cleared = false;
      f(...a);
      if (!window.cleared || !seen) return;
      const end = performance.now();
      for (const t of window.waiting.splice(0, seen)) window.latencies.push(end - t);
    };
    const raf = window.requestAnimationFrame, timeout = window.setTimeout;
    window.requestAnimationFrame = (f) => raf(watched(f));
    window.setTimeout = (f, ...a) => timeout(typeof f === 'function' ? watched(f) : f, ...a);
  });
  for (const phase of ['training', 'paused']) {
    await page.evaluate((p) => (p === 'training' ? liandan.play() : liandan.pause()), phase);
    await page.waitForTimeout(1000);
    await page.evaluate(() => { window.waiting.length = 0; window.latencies.length = 0; });
    const box = await page.evaluate(() => liandan.widget('network'));
    const t0 = Date.now();
    for (let i = 0; Date.now() - t0 < seconds * 1000; ++i) {
      await page.mouse.move(box.x + box.w * (0.2 + 0.6 * ((i * 7) % 10) / 10), box.y + box.h * (0.2 + 0.6 * ((i * 3) % 10) / 10));
      await page.waitForTimeout(120);
      if (i % 8 === 7) await page.waitForTimeout(500); // now and then a pause, as a hand makes: the trainer's turn-taking ends
    }
    await page.waitForTimeout(300);
    const l = await page.evaluate(() => ({ latencies: window.latencies, unanswered: window.waiting.length }));
    const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return +s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1); };
    console.log(JSON.stringify({ figure: `input-latency-${depth}x${units}`, build, phase: `${phase}, pointer moved every 120 ms`, viewport: `${width}x${height}`,
      events: l.latencies.length, unanswered: l.unanswered, p50_ms: q(l.latencies, 0.5), p95_ms: q(l.latencies, 0.95), max_ms: q(l.latencies, 1),
      measured: 'event timeStamp to the end of the frame callback that drew its answer (GL calls issued; rasterization after)',
      browser: 'chromium headless, swiftshader' }));
  }
  await page.close();
  server.child.kill();
}
await browser?.close();

// The native app on the same network, under Xvfb with Mesa's software OpenGL (llvmpipe): frame
// times from the app's own driver ("measure N PATH"), training at full speed, then paused.
const bin = path.join(root, 'build', 'native-release', 'bin', 'liandan');
if (only !== 'web' && fs.existsSync(bin) && spawnSync('which', ['xvfb-run']).status === 0) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandan-bench-ui-'));
  const specPath = path.join(dir, 'spec.json'), script = path.join(dir, 'bench.drive');
  fs.writeFileSync(specPath, JSON.stringify(spec));
  const frames = Math.max(60, seconds * 30);
  fs.writeFileSync(script, ['wait 10', 'key space', 'wait 30', `measure ${frames} ${dir}/training.json`,
    'key space', 'wait 30', `measure ${frames} ${dir}/paused.json`, 'quit'].join('\n'));
  const r = spawnSync('xvfb-run', ['-a', '-s', `-screen 0 ${width + 100}x${height + 100}x24`, bin, '--width', String(width),
    '--height', String(height), '--spec', specPath, '--drive', script], { encoding: 'utf8', timeout: 600000 });
  if (r.status !== 0) console.error(`native run failed: ${r.stderr}`);
  for (const phase of ['training', 'paused']) {
    const file = path.join(dir, `${phase}.json`);
    if (!fs.existsSync(file)) continue;
    const m = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const k of Object.keys(m)) if (typeof m[k] === 'number') m[k] = +m[k].toFixed(2);
    console.log(JSON.stringify({ figure: `frame-time-${depth}x${units}`, build: 'native', phase, viewport: `${width}x${height}`, ...m,
      network: `7-${units}x${depth}-1 tanh, adam, batch 10, spiral`, renderer: 'Xvfb, Mesa llvmpipe (software OpenGL)' }));
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
