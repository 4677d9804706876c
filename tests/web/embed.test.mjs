// Embedding for tutorial writers (docs/embedding.md): the minimal layouts of ?embed= on screen
// (only the output, or the network and the output, under a slim bar; *_hide keys still hide), and
// the example page with two experiments, the second opened on a lesson's variant by its link and
// switched from the tutorial's text over postMessage, or moved by its hash without a question.
// Embedded pages keep nothing in storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { browserAndServers, openPage as open, root } from '../lib/browser.mjs';
import { analyzeDecisionMap } from '../lib/screenshot-check.mjs';

const web = browserAndServers(process.env.LIANDAN_BUILD_DIR || path.join(root, 'build'));

test('?embed=output shows only the output, large, under a play bar; a learned map is on screen', async () => {
  const { page, errors } = await open(web.browser, web.isolated.url + '?embed=output#dataset=xor&networkShape=4,2&learningRate=0.1', { width: 560, height: 420 });
  await page.evaluate(() => liandan.step(2000));
  await page.waitForFunction(() => liandan.widget('output map'), null, { timeout: 20000 });
  await page.mouse.move(559, 419);
  await page.waitForTimeout(300);
  const labels = await page.evaluate(() => liandan.widgets().map((w) => w.label));
  for (const gone of ['Experiment', 'Lessons', 'Add layer', 'Learning rate', 'Regenerate']) assert.ok(!labels.includes(gone), `${gone} is not in the embed`);
  assert.ok(labels.includes('Play') && labels.includes('Reset'));
  const map = await page.evaluate(() => liandan.widget('output map'));
  assert.ok(map.h > 0.5 * 420, `the map takes most of the frame (${map.w} × ${map.h})`);
  const a = analyzeDecisionMap(await page.screenshot(), map);
  console.log('embed=output screenshot', JSON.stringify(a));
  assert.ok(a.blueShare > 0.1 && a.orangeShare > 0.1, 'both classes on the map');
  assert.ok(a.transitions >= 1, 'XOR\'s quarters change colour across the map');
  assert.equal(await page.evaluate(() => liandan.viewState().experiment_id), 0, 'an embed keeps nothing');
  // The tutorial around an embed may move it by its hash: the link opens without a question.
  await page.evaluate(() => { location.hash = '#dataset=circle&networkShape=4,2'; });
  await page.waitForFunction(() => liandan.spec().data.toy.shape === 'circle', null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => liandan.viewState().link_asked), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('?embed=network shows the network beside the output; _hide keys hide the bar\'s buttons', async () => {
  const { page, errors } = await open(web.browser, web.isolated.url + '?embed=network#dataset=circle&networkShape=3&playButton_hide=true', { width: 800, height: 400 });
  await page.waitForFunction(() => liandan.widget('Add layer') && liandan.widget('output map'), null, { timeout: 20000 });
  const labels = await page.evaluate(() => liandan.widgets().map((w) => w.label));
  assert.ok(labels.includes('Add layer') && labels.includes('output map'));
  assert.ok(!labels.includes('Play') && labels.includes('Reset'), 'playButton_hide hides Play');
  assert.ok(!labels.includes('Lessons') && !labels.includes('Experiment'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the example page embeds two experiments and drives the second from its text', async () => {
  const page = await web.browser.newPage({ viewport: { width: 1280, height: 1400 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); }); // a refused resource (its own policy) too
  await page.goto(web.isolated.url + 'embed-example.html');
  await page.waitForFunction(() => window.playgroundReady, null, { timeout: 60000 });
  const lesson = page.frames().find((f) => f.url().includes('embed=network'));
  await lesson.waitForFunction(() => window.liandan && window.Module?.onAppReady, null, { timeout: 60000 });
  await lesson.evaluate(() => window.liandan.ready);
  assert.deepEqual(await lesson.evaluate(() => [liandan.viewState().lesson, liandan.viewState().lesson_variant]), ['activation', 'relu']);
  assert.ok(await lesson.evaluate(() => liandan.widget('Add layer')), 'the network is on screen');
  await page.click('#sigmoid');
  await lesson.waitForFunction(() => liandan.viewState().lesson_variant === 'sigmoid' && liandan.metrics().running, null, { timeout: 20000 });
  assert.equal(await lesson.evaluate(() => liandan.spec().model.layers[0].activation), 'sigmoid');
  // Neither frame keeps anything: a reader's own experiment in this origin's storage stays theirs.
  assert.equal(await lesson.evaluate(() => liandan.viewState().experiment_id), 0);
  assert.deepEqual(errors, []);
  await page.close();
});
