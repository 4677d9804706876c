// The controls by touch, in Chromium's touch emulation (a tablet in a classroom): a tap plays and
// pauses, a finger drags a slider, and taps on the map add points with the workbench.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { browserAndServers, root, stillWidget as control } from '../lib/browser.mjs';

const web = browserAndServers(process.env.LIANDAN_BUILD_DIR || path.join(root, 'build'));

async function openTouchPage(hash = '', viewport = { width: 1280, height: 800 }) {
  const context = await web.browser.newContext({ viewport, hasTouch: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(web.isolated.url + '?keep=0' + hash);
  await page.evaluate(() => window.liandan.ready);
  return { page, errors, cdp: await context.newCDPSession(page) };
}


async function tap(page, label, fx = 0.5, fy = 0.5) {
  const w = await control(page, label);
  await page.touchscreen.tap(w.x + w.w * fx, w.y + w.h * fy);
}

test('a tap plays and pauses, a finger drags a slider, taps on the map add points', async () => {
  const { page, errors, cdp } = await openTouchPage();
  await tap(page, 'Play');
  await page.waitForFunction(() => liandan.metrics().running);
  await tap(page, 'Pause');
  await page.waitForFunction(() => !liandan.metrics().running);

  // The noise slider, dragged by a finger from its left end to most of the way right.
  const noise = await control(page, 'Noise');
  const before = await page.evaluate(() => liandan.spec().data.toy.noise);
  const y = noise.y + noise.h / 2;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: noise.x + 4, y }] });
  for (let i = 1; i <= 8; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: noise.x + 4 + (noise.w * 0.8 * i) / 8, y }] });
    await page.waitForTimeout(40);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await page.waitForFunction((b) => liandan.spec().data.toy.noise > b + 0.2, before, { timeout: 10000 });
  console.log(`noise dragged by touch: ${before} → ${await page.evaluate(() => liandan.spec().data.toy.noise)}`);

  // The workbench: Edit the data, Add, then taps on the map.
  await tap(page, 'Edit the data');
  await tap(page, 'Add');
  const points = await page.evaluate(() => liandan.viewState().points);
  await tap(page, 'output map', 0.25, 0.25);
  await page.waitForFunction((n) => liandan.spec().data.source === 'points' && liandan.spec().data.points.length === n + 1, points, { timeout: 10000 });
  await tap(page, 'output map', 0.75, 0.7);
  await page.waitForFunction((n) => liandan.spec().data.points.length === n + 2, points, { timeout: 10000 });
  const added = await page.evaluate(() => liandan.spec().data.points.slice(-2));
  assert.ok(added[0][0] < 0 && added[0][1] > 0, `the first tap's point is in the top-left quarter: ${added[0]}`);
  assert.ok(added[1][0] > 0 && added[1][1] < 0, `the second's in the bottom-right: ${added[1]}`);
  assert.deepEqual(errors, []);
  await page.context().close();
});

// A tap is a press where the pointer was not a frame before: ImGui's tabs took it only on the
// first tab tapped, and a learner on a tablet could not move between the digits' views.
test('taps move between the tabs of the digits views', async () => {
  const { page, errors } = await openTouchPage('#dataset=mnist');
  await page.waitForFunction(() => liandan.widget('Draw') && liandan.widget('sample'), null, { timeout: 30000 });
  for (const [tab, inside] of [['Confusion', null], ['Draw', 'drawing pad'], ['Samples', 'sample'], ['Draw', 'drawing pad']]) {
    await tap(page, tab);
    if (inside) await page.waitForFunction((l) => liandan.widget(l), inside, { timeout: 5000 });
  }
  assert.equal(await page.evaluate(() => liandan.widget('sample')), null, 'the samples are off screen with Draw selected');
  // Touched, a layer's number fields get - and + (a step is a tap, without the phone's keyboard).
  const field = await control(page, '##layer 6 units');
  const plus = await page.evaluate((f) => liandan.widgets().find((w) => w.label === '+' && w.x > f.x && Math.abs(w.y - f.y) < 3), field);
  assert.ok(plus, 'a + beside the units');
  const units = await page.evaluate(() => liandan.spec().model.layers[5].units);
  await page.touchscreen.tap(plus.x + plus.w / 2, plus.y + plus.h / 2);
  await page.waitForFunction((n) => liandan.spec().model.layers[5].units === n + 1, units, { timeout: 10000 });
  assert.deepEqual(errors, []);
  await page.context().close();
});

// ImGui 1.86 scrolls only by wheel or scrollbar; a finger swipes. A swipe that starts on a button
// scrolls the panel and does not press the button; a tap still does. The finger stops before it
// lifts (a flung panel glides on: the test after).
async function swipe(cdp, page, x, y, dy, { steps = 10, stepMs = 40, holdMs = 400 } = {}) {
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let i = 1; i <= steps; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + (dy * i) / steps }] });
    await page.waitForTimeout(stepMs);
  }
  await page.waitForTimeout(holdMs);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await page.waitForTimeout(300);
}

test('a swipe scrolls the panel under the finger, and does not press what it started on', async () => {
  const { page, errors, cdp } = await openTouchPage();
  const button = await control(page, 'Regenerate');
  const data = await page.evaluate(() => JSON.stringify(liandan.spec().data));
  await swipe(cdp, page, button.x + button.w / 2, button.y + button.h / 2, -150);
  const after = await control(page, 'Regenerate');
  assert.ok(Math.abs(after.y - (button.y - 150)) <= 2, `the Experiment panel followed the finger's 150 px, and a finger that stopped flings nothing: Regenerate at ${after.y}, was ${button.y}`);
  assert.equal(await page.evaluate(() => JSON.stringify(liandan.spec().data)), data, 'the swipe did not regenerate the data');
  // A swipe over the network's units opens no editor (a unit's click is a press and a release on it).
  const unit = await control(page, 'unit 1.3');
  await swipe(cdp, page, unit.x + unit.w / 2, unit.y + unit.h / 2, -120);
  assert.equal(await page.evaluate(() => liandan.widget('##parameter value')), null, 'no bias editor after a swipe');
  await tap(page, 'unit 1.3');
  await page.waitForFunction(() => liandan.widget('##parameter value'), null, { timeout: 5000 });
  await page.keyboard.press('Escape');
  // Back down, then a tap presses it.
  await swipe(cdp, page, after.x + after.w / 2, after.y + after.h / 2, 200);
  const back = await control(page, 'Regenerate');
  assert.ok(Math.abs(back.y - button.y) < 2, `scrolled back to the top: ${back.y} against ${button.y}`);
  await tap(page, 'Regenerate');
  await page.waitForFunction((d) => JSON.stringify(liandan.spec().data) !== d, data, { timeout: 5000 });
  assert.deepEqual(errors, []);
  await page.context().close();
});

// A finger that leaves the screen moving flings the panel: it glides on, slowing down, as a phone's
// lists do, and a finger's touch catches it.
test('a flung panel glides on after the finger lifts, and a touch stops it', async () => {
  const { page, errors, cdp } = await openTouchPage('', { width: 1024, height: 600 });
  const button = await control(page, 'Regenerate');
  const data = await page.evaluate(() => JSON.stringify(liandan.spec().data));
  const x = button.x + button.w / 2;
  // Five moves a frame apart (the page's frames, whatever the machine's load), the last sent with
  // the lift, so that a busy machine cannot hold the test's finger still before it lifts.
  const fling = async (y, dy) => {
    const move = (i) => cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + (dy * i) / 5 }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    for (let i = 1; i <= 4; i++) {
      await move(i);
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
    }
    await Promise.all([move(5), cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })]);
  };
  await fling(button.y + button.h / 2, -100);
  const glided = await control(page, 'Regenerate'); // once it stands still
  assert.ok(glided.y < button.y - 100 - 10, `the panel went on after the finger's 100 px: Regenerate at ${glided.y}, was ${button.y}`);

  // Flung back, then caught by a finger on the button: the panel stops, the button is not pressed.
  await fling(glided.y + glided.h / 2, 100);
  await page.waitForTimeout(60);
  const caughtAt = await page.evaluate(() => liandan.widget('Regenerate'));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: caughtAt.y + caughtAt.h / 2 }] });
  await page.waitForTimeout(150);
  const held = await page.evaluate(() => liandan.widget('Regenerate').y);
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => liandan.widget('Regenerate').y), held, 'the caught panel stands still');
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => JSON.stringify(liandan.spec().data)), data, 'the catching touch pressed nothing');
  assert.deepEqual(errors, []);
  await page.context().close();
});

// A phone held sideways: the one-line bar's window was 60 px tall for a 40 px bar, and once a tap
// on Play brought it to the front it took the taps meant for the tabs under it.
test('held sideways, a phone takes a tap on a tab after a tap on the bar', async () => {
  const { page, errors } = await openTouchPage('', { width: 844, height: 390 });
  await tap(page, 'Play');
  await page.waitForFunction(() => liandan.metrics().running);
  await tap(page, 'Output');
  const map = await control(page, 'output map');
  assert.match(map.window, /^Playground\/Output_/, 'the Output tab is shown');
  assert.deepEqual(errors, []);
  await page.context().close();
});

// A phone's keyboard comes up only for a focused text element, and the app's fields are drawn on
// the canvas: a field a finger makes active gets a hidden input (web/screen-keyboard.js) that holds
// its text, and what the keyboard does there (typed text, a deletion, a composed word) edits it.
test('a field a finger taps gets the phone keyboard, and its typing edits the field', async () => {
  const { page, errors, cdp } = await openTouchPage();
  const field = await control(page, '##units count 1');
  const units = () => page.evaluate(() => liandan.spec().model.layers[0].units);
  const keyboard = () => page.evaluate(() => {
    const i = document.activeElement;
    return i.id === 'screen-keyboard' ? { mode: i.inputMode, value: i.value, start: i.selectionStart, end: i.selectionEnd } : null;
  });
  const keyboardHolds = (value) => page.waitForFunction((v) => document.activeElement.id === 'screen-keyboard' && document.activeElement.value === v, value, { timeout: 5000 });
  await page.touchscreen.tap(field.x + field.w / 2, field.y + field.h / 2);
  await keyboardHolds(String(await units()));
  assert.deepEqual(await keyboard(), { mode: 'decimal', value: '16', start: 0, end: 2 }, 'digits offered, the number selected as in the field');

  await page.keyboard.insertText('x'); // a letter, which a number field refuses: nothing changes
  await keyboardHolds('16');
  assert.deepEqual(await keyboard(), { mode: 'decimal', value: '16', start: 0, end: 2 }, 'the field and its selection kept');
  await page.keyboard.insertText('12'); // the keyboard's text, with no key events (as a phone's)
  await page.keyboard.type('3'); // a hardware key still reaches the field once
  await keyboardHolds('123');
  await page.evaluate(() => { // the phone's backspace
    const i = document.activeElement;
    i.value = i.value.slice(0, -1);
    i.dispatchEvent(new InputEvent('input', { inputType: 'deleteContentBackward' }));
  });
  await keyboardHolds('12');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => liandan.spec().model.layers[0].units === 12, null, { timeout: 5000 });
  assert.equal(await keyboard(), null, 'the keyboard goes with the field');

  // A word composed by the keyboard (its suggestions) arrives as it is committed.
  await page.touchscreen.tap(field.x + field.w / 2, field.y + field.h / 2);
  await keyboardHolds('12');
  await cdp.send('Input.imeSetComposition', { text: '2', selectionStart: 1, selectionEnd: 1 });
  await cdp.send('Input.imeSetComposition', { text: '24', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.insertText', { text: '24' });
  await keyboardHolds('24');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => liandan.spec().model.layers[0].units === 24, null, { timeout: 5000 });

  // A mouse's click on the field brings no phone keyboard.
  await page.mouse.click(field.x + field.w / 2, field.y + field.h / 2);
  await page.waitForTimeout(300);
  assert.equal(await keyboard(), null, 'no hidden input for a mouse');
  await page.keyboard.press('Escape');
  assert.deepEqual(errors, []);
  await page.context().close();
});
