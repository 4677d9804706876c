// The page in Chromium through Playwright: the threaded build on a cross-origin-isolated page,
// the single-threaded build on a page without the headers, window.liandan, the iframe embed,
// and a screenshot checked for a learned decision map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserAndServers, clickWidget, stillWidget } from '../lib/browser.mjs';
import { analyzeDecisionMap } from '../lib/screenshot-check.mjs';
import { PNG } from 'pngjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildDir = process.env.LIANDAN_BUILD_DIR || path.join(root, 'build');
const shots = path.join(buildDir, 'screenshots');
fs.mkdirSync(shots, { recursive: true });
const spiral = JSON.parse(fs.readFileSync(path.join(root, 'tests', 'app', 'spiral-quick.json'), 'utf8'));


const web = browserAndServers(buildDir);

async function openPage(url, viewport = { width: 1280, height: 800 }) {
  const page = await web.browser.newPage({ viewport });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const start = Date.now();
  await page.goto(url);
  await page.evaluate(() => window.liandan.ready);
  await page.waitForFunction(() => document.getElementById('status').className === 'hidden');
  const firstFrame = await page.evaluate(() => liandan.firstFrameMs);
  console.log(`first frame ${firstFrame.toFixed(0)} ms after navigation, ready in the test after ${Date.now() - start} ms (${url})`);
  return { page, errors };
}

// Plays until the loss has fallen to a fraction of its start, or fails after the timeout.
async function trainUntilLearned(page, timeoutMs) {
  const before = await page.evaluate(() => liandan.metrics());
  const t0 = Date.now();
  await page.evaluate(() => liandan.play());
  const after = await page.waitForFunction((start) => {
    const m = liandan.metrics();
    return m.loss_train < 0.25 * start && m.accuracy_test > 0.9 ? m : null;
  }, before.loss_train, { timeout: timeoutMs, polling: 100 }).then((h) => h.jsonValue());
  console.log(`loss ${before.loss_train.toFixed(4)} -> ${after.loss_train.toFixed(4)} in ${Date.now() - t0} ms, epoch ${after.epoch}`);
  return after;
}

test('threaded build on an isolated page learns the spiral within seconds', async () => {
  const { page, errors } = await openPage(web.isolated.url);
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
  assert.deepEqual(await page.evaluate(() => liandan.buildInfo()), { simd: 'wasm-simd128', threads: true, isolation: 'headers' });
  await page.evaluate((spec) => liandan.load(spec), spiral);
  assert.equal(await page.evaluate(() => liandan.spec().train.epochs), 150);
  await trainUntilLearned(page, 15000);
  await page.waitForFunction(() => !liandan.metrics().running, null, { timeout: 30000 });
  await page.mouse.move(1279, 799);
  await page.waitForTimeout(200); // a few frames with the final snapshot
  const png = await page.screenshot({ path: path.join(shots, 'web-spiral.png') });
  const map = await page.evaluate(() => liandan.widget('output map'));
  assert.ok(map, 'the output map is on screen');
  const a = analyzeDecisionMap(png, map);
  console.log('web screenshot', JSON.stringify(a));
  assert.ok(a.blueShare > 0.1 && a.orangeShare > 0.1);
  assert.ok(a.transitions >= 4, `the spiral's arms alternate across the map (saw ${a.transitions})`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('single-threaded build runs on a page without isolation headers', async () => {
  const { page, errors } = await openPage(web.plain.url);
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
  assert.deepEqual(await page.evaluate(() => liandan.buildInfo()), { simd: 'wasm-simd128', threads: false, isolation: 'none' });
  await page.evaluate((spec) => liandan.load(spec), spiral);
  const m = await page.evaluate(() => liandan.step(40));
  assert.equal(m.step, 40);
  await trainUntilLearned(page, 30000);
  assert.deepEqual(errors, []);
  await page.close();
});

// Training at full speed, the single-threaded page trains in tasks it posts to itself between
// frames (messages to its window); paused, it posts none: no loop spins on the page's only thread.
test('single-threaded page trains between frames while playing, and rests when paused', async () => {
  const { page, errors } = await openPage(web.plain.url + '?keep=0');
  await page.evaluate((spec) => liandan.load(spec), { ...spiral, train: { ...spiral.train, epochs: 0 } });
  await page.evaluate(() => {
    window.messages = 0;
    addEventListener('message', () => ++window.messages, true);
  });
  const messagesIn = async (ms) => {
    const before = await page.evaluate(() => window.messages);
    await page.waitForTimeout(ms);
    return (await page.evaluate(() => window.messages)) - before;
  };
  await page.evaluate(() => liandan.play());
  await page.waitForTimeout(300);
  const step0 = (await page.evaluate(() => liandan.metrics())).step;
  const playing = await messagesIn(1000);
  const step1 = (await page.evaluate(() => liandan.metrics())).step;
  assert.ok(playing >= 10, `${playing} training tasks in a second of play`);
  assert.ok(step1 > step0, 'it trains');
  await page.evaluate(() => liandan.pause());
  await page.waitForFunction(() => !liandan.metrics().running);
  await page.waitForTimeout(300); // the pause's snapshot goes out
  assert.equal(await messagesIn(1000), 0, 'paused, no task is posted');
  assert.deepEqual(errors, []);
  await page.close();
});

test('window.liandan refuses a bad spec naming the key and keeps the current run', async () => {
  const { page } = await openPage(web.isolated.url);
  const before = await page.evaluate(() => liandan.spec());
  const message = await page.evaluate(() => {
    try { liandan.load({ model: { layers: [{ units: 0 }, { units: 1 }] } }); return 'accepted'; } catch (e) { return e.message; }
  });
  assert.equal(message, 'model.layers[0].units: 0 is below the minimum 1');
  const notJson = await page.evaluate(() => { try { liandan.load('{ nope'); return 'accepted'; } catch (e) { return e.message; } });
  assert.match(notJson, /^spec: not valid JSON/);
  assert.deepEqual(await page.evaluate(() => liandan.spec()), before);
  await page.evaluate(() => liandan.step(3));
  await page.evaluate(() => liandan.reset());
  await page.waitForFunction(() => liandan.metrics().step === 0, null, { timeout: 60000 });
  await page.close();
});

test('an embedding page drives Liandan in an iframe over postMessage', async () => {
  const page = await web.browser.newPage();
  await page.goto(web.isolated.url + 'embed-example.html');
  await page.waitForFunction(() => window.playgroundReady, null, { timeout: 60000 });
  const result = await page.evaluate(async () => {
    const frame = document.querySelector('iframe');
    let id = 0;
    const call = (method, ...args) => new Promise((resolve, reject) => {
      const my = ++id;
      window.addEventListener('message', function on(e) {
        if (e.data?.type !== 'liandan-result' || e.data.id !== my) return;
        window.removeEventListener('message', on);
        e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.result);
      });
      frame.contentWindow.postMessage({ type: 'liandan', id: my, method, args }, '*');
    });
    const stepped = await call('step', 25);
    let refused = '';
    try { await call('load', { optimizer: { lr: 'x' } }); } catch (e) { refused = e.message; }
    return { step: stepped.step, refused };
  });
  assert.equal(result.step, 25);
  assert.equal(result.refused, 'optimizer.lr: must be a number, not a string');
  await page.close();
});

// Clicks the middle of a control found by its label, with the real mouse, as a person would, then
// waits until the app shows the expected effect (frames are slow on software WebGL).
async function clickControl(page, label, effect, arg) {
  // The layout moves when a new run's network arrives: click a control that has stood still for
  // a moment, and click again if the effect did not come (a click that landed during a move).
  for (let attempt = 1; ; attempt++) {
    const w = await stillWidget(page, label);
    await page.mouse.click(w.x + w.w / 2, w.y + w.h / 2);
    if (!effect) return w;
    try {
      await page.waitForFunction(effect, arg, { timeout: 8000, polling: 50 });
      return w;
    } catch (e) {
      if (attempt === 3) throw new Error(`clicking '${label}' had no effect: ${e.message}`);
    }
  }
}

test('a person builds and trains a network by clicking the controls', async () => {
  const { page, errors } = await openPage(web.isolated.url);
  // A k-class set from a two-class one and back: each gets its own class count and output layer.
  await clickControl(page, 'spirals', () => liandan.spec().data.toy.shape === 'spirals' && liandan.spec().data.toy.classes === 3);
  assert.equal(await page.evaluate(() => liandan.spec().model.layers.at(-1).units), 3);
  await clickControl(page, 'xor', () => liandan.spec().data.toy.shape === 'xor');
  assert.equal(await page.evaluate(() => liandan.spec().model.layers.at(-1).units), 1);
  const layersBefore = await page.evaluate(() => liandan.spec().model.layers.length);
  await clickControl(page, 'Add layer', (n) => liandan.spec().model.layers.length === n + 1, layersBefore);
  const plus = await clickControl(page, '+##units 1', () => liandan.spec().model.layers[0].units === 17);
  // Three quick clicks, most likely within one software-rendered frame: each counts (the app's input queue).
  await page.mouse.move(plus.x + plus.w / 2, plus.y + plus.h / 2);
  for (let i = 0; i < 3; i++) { await page.mouse.down(); await page.mouse.up(); }
  await page.waitForFunction(() => liandan.spec().model.layers[0].units === 20, null, { timeout: 8000 });
  await clickControl(page, 'feature x', () => !liandan.spec().data.features.includes('x'));
  assert.deepEqual(await page.evaluate(() => liandan.spec().data.features), ['y', 'x2', 'y2', 'xy', 'sinx', 'siny']);
  await page.waitForFunction(() => liandan.viewState().columns.length === 5 && liandan.viewState().columns[1].units === 20);
  const columns = await page.evaluate(() => liandan.viewState().columns.map((c) => c.units));
  assert.deepEqual(columns, [6, 20, 16, 16, 1], 'the network view shows the features, three hidden layers and the output');
  await clickControl(page, 'Discretize output', () => liandan.viewState().discretize);
  await clickControl(page, 'Play', () => liandan.metrics().step > 0);
  const m = await page.waitForFunction(() => {
    const m = liandan.metrics();
    return m.accuracy_test > 0.9 ? m : null;
  }, null, { timeout: 60000, polling: 100 }).then((h) => h.jsonValue());
  console.log(`clicked network: test accuracy ${m.accuracy_test} at epoch ${m.epoch}`);
  if (await page.evaluate(() => liandan.metrics().running)) await clickControl(page, 'Pause', () => !liandan.metrics().running);
  await page.mouse.move(1, 1);
  await page.waitForTimeout(500);
  const png = await page.screenshot({ path: path.join(shots, 'web-playground.png') });
  const map = await page.evaluate(() => liandan.widget('output map'));
  const a = analyzeDecisionMap(png, map);
  console.log('web playground screenshot', JSON.stringify(a));
  assert.ok(a.blueShare > 0.15 && a.orangeShare > 0.15, 'xor: both classes over large areas');
  // xor: the top-left and top-right quarters of the plane belong to different classes.
  const quarter = (fx) => analyzeDecisionMap(png, { x: map.x + fx * map.w + 0.1 * map.w, y: map.y + 0.1 * map.h, w: 0.3 * map.w, h: 0.3 * map.h });
  const left = quarter(0), right = quarter(0.5);
  const major = (q) => (q.blueShare > q.orangeShare ? 'blue' : 'orange');
  assert.notEqual(major(left), major(right), `quarters: ${JSON.stringify([left, right])}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a person types a unit count, and sets a bias with the edit popup\'s Set button', async () => {
  const { page, errors } = await openPage(web.isolated.url);
  // The count field of the first hidden layer: typed, applied on Enter.
  const field = await clickControl(page, '##units count 1');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('40');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => liandan.spec().model.layers[0].units === 40, null, { timeout: 8000 });
  assert.ok(field.w > 0);
  await page.waitForFunction(() => liandan.viewState().columns[1].units === 40, null, { timeout: 8000 });
  const saturatedBefore = await page.evaluate(() => liandan.viewState().columns[1].saturated);
  // A click on a unit opens its bias; 50 typed and Set pins that tanh unit at 1 everywhere.
  await clickControl(page, 'unit 1.1', () => !!liandan.widget('Set'));
  await page.keyboard.press('Control+A');
  await page.keyboard.type('50');
  await clickControl(page, 'Set', () => !liandan.widget('Set'));
  await page.waitForFunction((n) => liandan.viewState().columns[1].saturated === n + 1, saturatedBefore, { timeout: 8000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('paused with nothing changing, the page draws nothing and asks for no frames; input wakes it within a frame', async () => {
  const { page, errors } = await openPage(web.isolated.url);
  await page.evaluate(() => liandan.step(5)); // paused after this
  // The step's snapshots (its metrics, then its maps), the font file and the data menu's sample
  // strips come over a second or more on a busy machine, each drawn with a few frames to settle:
  // wait for the maps of the last step and the strips, then for quiet.
  await page.waitForFunction(() => {
    const v = liandan.viewState(), drawn = v.frames_drawn, now = performance.now();
    if (v.inspection_step !== liandan.metrics().step || v.sample_strips_pending) return false;
    if (window.lastDrawn !== drawn) window.lastDrawn = drawn, window.drawnAt = now;
    return now - window.drawnAt > 500;
  }, null, { timeout: 8000, polling: 50 });
  // Nor does it ask the browser for frames (each one asked for costs the browser a frame's work,
  // drawn or not): its frame callbacks and its own looks at the app come from timers meanwhile.
  await page.evaluate(() => {
    const raf = window.requestAnimationFrame;
    window.framesAsked = 0;
    window.requestAnimationFrame = (f) => (++window.framesAsked, raf(f));
  });
  const before = (await page.evaluate(() => liandan.viewState())).frames_drawn;
  await page.waitForTimeout(1000);
  const idle = (await page.evaluate(() => liandan.viewState())).frames_drawn - before;
  assert.ok(idle <= 2, `paused and untouched, ${idle} frames were drawn in a second`);
  const asked = await page.evaluate(() => window.framesAsked);
  assert.ok(asked <= 2 * idle + 1, `paused and untouched, the page asked for ${asked} animation frames in a second`);
  const box = await page.evaluate(() => liandan.widget('Play'));
  await page.mouse.move(box.x + box.w / 2, box.y + box.h / 2); // hovering a button: it lights up
  await page.waitForTimeout(100);
  assert.ok((await page.evaluate(() => liandan.viewState())).frames_drawn > before + idle, 'the pointer wakes the drawing');
  await page.mouse.click(box.x + box.w / 2, box.y + box.h / 2);
  await page.waitForTimeout(300);
  assert.equal((await page.evaluate(() => liandan.metrics())).running, true, 'the click is answered');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the weight lines are drawn once per change of weights, not in every frame', async () => {
  const { page, errors } = await openPage(web.isolated.url);
  await page.evaluate(() => liandan.step(5));
  await page.waitForTimeout(500);
  const state = () => page.evaluate(() => liandan.viewState());
  const before = await state();
  // The pointer moving over the network draws frames (hovers, tooltips) but no new lines.
  const canvas = await page.evaluate(() => liandan.widget('network'));
  for (let i = 0; i < 12; ++i) {
    await page.mouse.move(canvas.x + 40 + i * 25, canvas.y + 60 + (i % 3) * 40);
    await page.waitForTimeout(40);
  }
  const moved = await state();
  assert.ok(moved.frames_drawn >= before.frames_drawn + 6, `${moved.frames_drawn - before.frames_drawn} frames drawn while the pointer moved`);
  assert.equal(moved.line_pictures, before.line_pictures, 'the lines were drawn again though no weight changed');
  // The kept picture shows the lines: between the first two columns most pixels are not background.
  const [a, b] = await page.evaluate(() => [liandan.widget('unit 1.1'), liandan.widget('unit 2.1')]);
  const clip = { x: a.x + a.w + 2, y: a.y, width: b.x - a.x - a.w - 4, height: 8 * a.h };
  const png = PNG.sync.read(await page.screenshot({ clip }));
  let drawn = 0;
  for (let i = 0; i < png.data.length; i += 4) drawn += Math.abs(png.data[i] - 250) + Math.abs(png.data[i + 1] - 250) + Math.abs(png.data[i + 2] - 250) > 12;
  assert.ok(drawn > 0.2 * (png.data.length / 4), `only ${drawn} of ${png.data.length / 4} pixels between the columns show lines`);
  // A step changes the weights: the lines are drawn again, once.
  await page.evaluate(() => liandan.step(1));
  await page.waitForFunction((n) => liandan.viewState().line_pictures > n, moved.line_pictures, { timeout: 8000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a pointer resting on a control shows its tooltip, though nothing else is drawn', async () => {
  const { page, errors } = await openPage(web.isolated.url + '?keep=0#dataset=xor');
  const box = await stillWidget(page, 'Add layer');
  await page.mouse.move(box.x + box.w / 2, box.y + box.h / 2);
  await page.waitForTimeout(150);
  assert.equal((await page.evaluate(() => liandan.viewState())).tooltip_shown, false, 'not at once');
  await page.waitForTimeout(900); // the pointer rests: no event comes to draw the tooltip's frame
  assert.equal((await page.evaluate(() => liandan.viewState())).tooltip_shown, true, 'after a rest');
  assert.deepEqual(errors, []);
  await page.close();
});

test('training at full speed, new pictures are paced; input is drawn at once', async () => {
  const { page, errors } = await openPage(web.isolated.url);
  await page.evaluate(() => { const s = liandan.spec(); s.view.speed = 0; s.train.epochs = 0; return liandan.load(s); });
  await page.evaluate(() => liandan.play());
  await page.waitForTimeout(800);
  const count = () => page.evaluate(() => liandan.viewState().frames_drawn);
  const before = await count();
  await page.waitForTimeout(2000);
  const paced = (await count()) - before;
  assert.ok(paced >= 2 && paced <= 12, `${paced} frames drawn in 2 s of training at full speed, untouched (about 4 a second expected)`);
  const v = await page.evaluate(() => liandan.viewState());
  assert.ok(v.paced_fps > 0 && v.paced_fps <= 6, `the status bar's pictures a second: ${v.paced_fps}`);
  // Moving the pointer draws frames at the screen's rate, not the paced one.
  const box = await page.evaluate(() => liandan.widget('Pause'));
  const moving0 = await count();
  for (let i = 0; i < 20; ++i) {
    await page.mouse.move(box.x + 2 + (i % 4), box.y + box.h / 2);
    await page.waitForTimeout(25);
  }
  const moving = (await count()) - moving0;
  assert.ok(moving >= 8, `only ${moving} frames drawn while the pointer moved for half a second`);
  assert.equal((await page.evaluate(() => liandan.metrics())).running, true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('in a narrow window the views are tabs, and the page API names their windows by ID', async () => {
  const { page, errors } = await openPage(web.isolated.url + '?keep=0#dataset=xor', { width: 480, height: 800 });
  const add = await stillWidget(page, 'Add layer'); // the first tab's
  assert.match(add.window, /^Playground\/Network_[0-9A-F]{8}$/, 'the child window of the Network tab, as its IDs say');
  const windows = await page.evaluate(() => [...new Set(liandan.widgets().map((w) => w.window))]);
  assert.ok(windows.every((w) => !w.includes('###')), `no window is reported with its ### ID: ${windows}`);
  // Taller than wide: the output stays in sight under the tabs, beside nothing but in view.
  const map = await stillWidget(page, 'output map');
  assert.equal(map.window, 'Output');
  assert.ok(map.y > add.y && map.y + map.h <= 800, `the map under the tabs: ${JSON.stringify(map)}`);
  // A lesson opened from the menu shows its text: its tab is selected.
  await clickWidget(page, 'Lessons');
  await clickWidget(page, 'Depth vs width###lesson depth-vs-width');
  await page.waitForFunction(() => liandan.viewState().lesson === 'depth-vs-width', null, { timeout: 20000 });
  const variant = await stillWidget(page, '3 layers of 8###variant deep');
  assert.match(variant.window, /^Playground\/Lesson_/, 'the Lesson tab is the one shown');
  assert.deepEqual(errors, []);
  await page.close();
});

// A phone held sideways or a small frame: the bar is one line and its settings are in a menu, so
// the views keep most of the height; the map stands beside its options.
test('in a short window the bar is one line, its settings in a menu, the views below it', async () => {
  const { page, errors } = await openPage(web.isolated.url + '?keep=0#dataset=xor', { width: 480, height: 300 });
  const play = await stillWidget(page, 'Play');
  const settings = await stillWidget(page, 'Settings');
  assert.equal(settings.y, play.y, 'Settings is on the buttons\' line');
  assert.equal(await page.evaluate(() => liandan.widget('##Learning rate')), null, 'the settings are not on the bar');
  const add = await stillWidget(page, 'Add layer'); // the Network tab's first row
  assert.ok(add.y < 300 * 0.4, `the views start at ${add.y} px of 300`);
  await page.mouse.click(settings.x + settings.w / 2, settings.y + settings.h / 2);
  const rate = await stillWidget(page, '##Learning rate');
  await page.mouse.click(rate.x + rate.w / 2, rate.y + rate.h / 2);
  const choice = await stillWidget(page, '0.1');
  await page.mouse.click(choice.x + choice.w / 2, choice.y + choice.h / 2);
  await page.waitForFunction(() => liandan.spec().optimizer.lr === 0.1, null, { timeout: 5000 });
  // Playing widens nothing: Pause takes Play's place on the same line.
  await page.keyboard.press('Escape');
  await page.evaluate(() => liandan.play());
  const pause = await stillWidget(page, 'Pause');
  assert.deepEqual([pause.x, pause.y, pause.w], [play.x, play.y, play.w]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Escape closes a menu of the bar', async () => {
  const { page, errors } = await openPage(web.isolated.url + '?keep=0#dataset=xor');
  const popups = () => page.evaluate(() => liandan.widgets().filter((w) => w.window.startsWith('##Popup')).length);
  await clickWidget(page, 'Lessons');
  await page.waitForFunction(() => liandan.widgets().some((w) => w.window.startsWith('##Popup')), null, { timeout: 5000 });
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !liandan.widgets().some((w) => w.window.startsWith('##Popup')), null, { timeout: 5000 });
  assert.equal(await popups(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});
