// Lessons in the page (assets/lessons, shell/app/views/lesson_view.cpp), in Chromium: each opens
// from the Lessons menu with its experiment and its text beside the network; a variant button
// loads that variant; a link opens a lesson; and the stated effect shows in the page itself (the
// deep sigmoid net stalls where the relu one learns; every effect is checked through the CLI in
// tests/cli/lessons.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { browserAndServers, clickWidget, openPage as open, root } from '../lib/browser.mjs';

const web = browserAndServers(process.env.LIANDAN_BUILD_DIR || path.join(root, 'build'));
const openPage = (url) => open(web.browser, url);
const catalog = JSON.parse(fs.readFileSync(path.join(root, 'assets', 'lessons', 'lessons.json'), 'utf8'));

const click = (page, label) => clickWidget(page, label);

test('every lesson opens from the Lessons menu with its experiment and its text', async () => {
  const { page, errors } = await openPage(web.isolated.url + '?keep=0');
  for (const lesson of catalog.lessons) {
    const spec = JSON.parse(fs.readFileSync(path.join(root, 'assets', 'lessons', lesson.spec), 'utf8'));
    const loads = await page.evaluate(() => liandan.metrics().loads);
    await click(page, 'Lessons');
    await click(page, `${lesson.title.en}###lesson ${lesson.id}`);
    // Named sets are fetched first; the run is live once the load is handled.
    await page.waitForFunction((n) => liandan.metrics().loads > n && liandan.viewState().lesson !== '', loads, { timeout: 60000 });
    const state = await page.evaluate(() => ({ view: liandan.viewState(), spec: liandan.spec(), url: liandan.url(), m: liandan.metrics() }));
    assert.equal(state.view.lesson, lesson.id);
    assert.equal(state.view.lesson_variant, lesson.variants[0].name);
    assert.ok(!state.m.error, `${lesson.id} loads: ${state.m.error}`);
    assert.equal(state.spec.model.layers.length, spec.model.layers.length, `${lesson.id}: the lesson's network`);
    assert.equal(state.url, `#lesson=${lesson.id}`, 'a short link while the experiment is the lesson\'s');
    // Its text is on screen beside the network, with a button for each variant.
    for (const v of lesson.variants)
      await page.waitForFunction((l) => liandan.widget(l), `${v.label.en}###variant ${v.name}`, { timeout: 5000 })
        .catch(() => assert.fail(`${lesson.id}: no button for the variant ${v.name} on screen`));
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the activation lesson shows its effect in the page: deep sigmoid stalls, relu learns', async () => {
  const { page, errors } = await openPage(web.isolated.url + '?keep=0#lesson=activation');
  assert.equal(await page.evaluate(() => liandan.viewState().lesson), 'activation');
  await page.evaluate(() => liandan.step(1500)); // 60 epochs
  const sigmoid = await page.evaluate(() => liandan.metrics().loss_train);
  await click(page, 'relu###variant relu');
  await page.waitForFunction(() => liandan.viewState().lesson_variant === 'relu' && liandan.metrics().step === 0);
  assert.equal(await page.evaluate(() => liandan.spec().model.layers[0].activation), 'relu');
  assert.equal(await page.evaluate(() => liandan.url()), '#lesson=activation&variant=relu');
  await page.evaluate(() => liandan.step(1500));
  const relu = await page.evaluate(() => liandan.metrics().loss_train);
  console.log(`activation lesson in the page after 60 epochs: sigmoid loss ${sigmoid.toFixed(3)}, relu ${relu.toFixed(3)}`);
  assert.ok(sigmoid > 0.6, `the sigmoid net stalls near 0.69 (${sigmoid})`);
  assert.ok(relu < 0.3 * sigmoid, `the relu net learns (${relu})`);
  // An edit keeps the text beside the experiment, and the link says both.
  await page.evaluate(() => liandan.setLearningRate(0.01));
  await page.waitForFunction(() => liandan.url().endsWith('&lesson=activation&variant=relu'));
  await click(page, 'Close lesson');
  await page.waitForFunction(() => liandan.viewState().lesson === '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link to an unknown lesson or variant says which there are', async () => {
  const { page } = await openPage(web.isolated.url + '?keep=0#lesson=alchemy');
  const message = await page.evaluate(() => liandan.viewState().message);
  assert.match(message, /^URL lesson: there is no lesson 'alchemy' \(the lessons: depth-vs-width, activation, /);
  await page.close();
  const other = await openPage(web.isolated.url + '?keep=0#lesson=activation&variant=tanh');
  assert.equal(await other.page.evaluate(() => liandan.viewState().message),
    "URL variant: the lesson 'activation' has no variant 'tanh' (its variants: sigmoid, relu)");
  assert.equal(await other.page.evaluate(() => liandan.viewState().lesson), '');
  await other.page.close();
});

test('a lesson keeps an embed\'s hidden controls but for the buttons that run it', async () => {
  const { page, errors } = await openPage(web.isolated.url + '?keep=0#dataset=xor&networkShape=4,2&playButton_hide=true&learningRate_hide=true');
  assert.deepEqual((await page.evaluate(() => liandan.spec())).view.hidden.sort(), ['learningRate', 'playButton']);
  await page.evaluate(() => liandan.openLesson('depth-vs-width'));
  await page.waitForFunction(() => liandan.viewState().lesson === 'depth-vs-width');
  assert.deepEqual((await page.evaluate(() => liandan.spec())).view.hidden, ['learningRate']);
  await page.waitForFunction(() => liandan.widget('Play'), null, { timeout: 5000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a lesson opened from the menu over a trained run of ones own asks first', async () => {
  const { page, errors } = await openPage(web.isolated.url + '?keep=0');
  await page.evaluate(() => liandan.step(30));
  const own = await page.evaluate(() => ({ spec: liandan.spec(), step: liandan.metrics().step }));
  const lesson = catalog.lessons[0];
  const choose = async () => {
    await click(page, 'Lessons');
    await click(page, `${lesson.title.en}###lesson ${lesson.id}`);
  };
  await choose();
  await page.waitForFunction(() => liandan.widget('Open the lesson'), null, { timeout: 5000 });
  await click(page, 'Cancel');
  await page.waitForFunction(() => !liandan.widget('Open the lesson'), null, { timeout: 5000 });
  assert.deepEqual(await page.evaluate(() => ({ spec: liandan.spec(), step: liandan.metrics().step })), own, 'Cancel keeps the run');
  await choose();
  await click(page, 'Open the lesson');
  await page.waitForFunction((id) => liandan.viewState().lesson === id, lesson.id, { timeout: 60000 });
  // Within the lesson, another one opens without asking: the run in force is a lesson's.
  await page.evaluate(() => liandan.step(5));
  const next = catalog.lessons[1];
  await click(page, 'Lessons');
  await click(page, `${next.title.en}###lesson ${next.id}`);
  await page.waitForFunction((id) => liandan.viewState().lesson === id, next.id, { timeout: 60000 });
  assert.deepEqual(errors, []);
  await page.close();
});
