// The interface in English and Simplified Chinese (shell/app/i18n/tr.h, assets/i18n/zh.json): every
// text the code passes through tr() has a translation; lang=zh (a link, the language menu, or a
// browser in Chinese on a first visit) shows the interface and the lessons in Chinese with every
// glyph in the font; the choice is kept in the URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { browserAndServers, clickWidget, openPage as open, root } from '../lib/browser.mjs';
import { uiStrings } from '../../scripts/ui-strings.mjs';

const web = browserAndServers(process.env.LIANDAN_BUILD_DIR || path.join(root, 'build'));
const zh = JSON.parse(fs.readFileSync(path.join(root, 'assets', 'i18n', 'zh.json'), 'utf8'));

test('every text of the interface has its Chinese, and the catalog holds no other', () => {
  const strings = uiStrings();
  assert.deepEqual(strings.filter((s) => !(s in zh)), [], 'texts without a translation');
  assert.deepEqual(Object.keys(zh).filter((s) => !strings.includes(s)), [], 'translations of texts the code no longer has');
  for (const [english, chinese] of Object.entries(zh)) {
    // Format specifiers and key names must survive translation.
    assert.deepEqual(chinese.match(/%[-\d.]*[a-z]/g) || [], english.match(/%[-\d.]*[a-z]/g) || [], english);
  }
});

test('every character of the English texts is in the font the interface loads', () => {
  // The ranges of shell/app/CMakeLists.txt (ui_glyphs); Chinese characters come from the CJK font.
  const cmake = fs.readFileSync(path.join(root, 'shell', 'app', 'CMakeLists.txt'), 'utf8');
  const ranges = cmake.match(/set\(ui_glyphs ([^)]*)\)/)[1].trim().split(/\s+/)
    .map((r) => r.split('-').map((h) => parseInt(h, 16))).map(([a, b = a]) => [a, b]);
  const lessons = JSON.parse(fs.readFileSync(path.join(root, 'assets', 'lessons', 'lessons.json'), 'utf8'));
  const english = [...uiStrings(), JSON.stringify(lessons)].join('');
  const missing = new Set([...english].filter((ch) => {
    const c = ch.codePointAt(0);
    const cjk = (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xff00 && c <= 0xffef);
    return c >= 0x20 && !cjk && !ranges.some(([a, b]) => c >= a && c <= b);
  }));
  assert.deepEqual([...missing], []);
});

async function chineseReady(page) {
  await page.waitForFunction(() => liandan.viewState().language === 'zh' && liandan.widget('运行') && liandan.viewState().fonts_version >= 1,
    null, { timeout: 20000 });
}

test('a link with lang=zh shows the interface and the lesson in Chinese, no glyph missing', async () => {
  const { page, errors } = await open(web.browser, web.isolated.url + '?keep=0#lesson=seeds&lang=zh');
  await chineseReady(page);
  await page.waitForFunction(() => liandan.widget('种子 1'), null, { timeout: 20000 });
  const state = await page.evaluate(() => ({ view: liandan.viewState(), labels: liandan.widgets().map((w) => w.text), url: liandan.url() }));
  for (const text of ['实验', '课程', '重置', '运行', '训练一轮', '添加层']) assert.ok(state.labels.includes(text), `${text} is on screen`);
  assert.ok(state.labels.includes('种子 1'), 'the lesson\'s variants in Chinese');
  assert.equal(state.view.missing_glyphs, '', 'every character of the Chinese texts has a glyph');
  assert.equal(state.url, '#lesson=seeds&lang=zh');
  // Tests (and people) still find the controls by their English names.
  assert.equal(await page.evaluate(() => liandan.widget('Play').text), '运行');
  assert.deepEqual(errors, []);
  await page.close();
});

test('messages show in Chinese, the core\'s included; the page API keeps them in English', async () => {
  const { page, errors } = await open(web.browser, web.isolated.url + '?keep=0#lang=zh');
  await chineseReady(page);
  // A learning rate far too large: the trainer pauses and says where the numbers stopped being finite.
  await page.evaluate(() => liandan.load({ data: { toy: { shape: 'spiral' } }, optimizer: { type: 'sgd', lr: 10 },
    model: { layers: [{ type: 'dense', units: 8, activation: 'linear' }, { type: 'dense', units: 8, activation: 'linear' }, { type: 'dense', units: 1 }] } }));
  await page.evaluate(() => liandan.step(200).catch(() => {})); // refused once it diverges
  await page.waitForFunction(() => liandan.viewState().notice_shown.startsWith('训练发散'), null, { timeout: 20000 })
    .catch(async (e) => { throw new Error(`${e.message}: ${await page.evaluate(() => liandan.viewState().notice_shown)}`); });
  const diverged = await page.evaluate(() => ({ shown: liandan.viewState().notice_shown, error: liandan.metrics().error }));
  assert.match(diverged.shown, /^训练发散：在第 \d+ 步（第 1 轮）损失变成了 (NaN|无穷大|负无穷大)，最先出现非有限值的是/, diverged.shown);
  assert.equal(await page.evaluate(() => liandan.viewState().missing_glyphs), '');
  assert.deepEqual(errors, []);
  await page.close();

  // The app's own message around a value, while the page API keeps the English.
  const { page: link, errors: linkErrors } = await open(web.browser, web.isolated.url + '?keep=0#lesson=nope&lang=zh');
  await chineseReady(link);
  const state = await link.evaluate(() => liandan.viewState());
  assert.match(state.message, /^URL lesson: there is no lesson 'nope'/);
  assert.match(state.notice_shown, /^链接.*nope/, state.notice_shown);
  assert.deepEqual(linkErrors, []);
  await link.close();

  // A core refusal inside the app's wrapper, with blank lines in its value: matched against its own
  // template (not a view's short one), and drawn without hanging the page.
  const { page: bad, errors: badErrors } = await open(web.browser, web.isolated.url + '?keep=0#lang=zh&activation=%0A%0Ax');
  await chineseReady(bad);
  const shownBad = await bad.evaluate(() => liandan.viewState().notice_shown);
  assert.match(shownBad, /^链接有误：activation/, shownBad);
  assert.doesNotMatch(shownBad, /is not one of/, shownBad);
  assert.deepEqual(badErrors, []);
  await bad.close();
});

test('the language menu switches both ways, and a browser in Chinese opens in Chinese', async () => {
  const { page, errors } = await open(web.browser, web.isolated.url + '?keep=0#dataset=xor');
  // The bar's captions change width with the language: each click waits for its control to stand still.
  const choose = async (label) => {
    await clickWidget(page, '##Language');
    await clickWidget(page, label);
  };
  // A section closed before the switch stays closed in either language: its ID is the English.
  await page.waitForFunction(() => liandan.widget('Regenerate'), null, { timeout: 10000 });
  await clickWidget(page, 'Data');
  await page.waitForFunction(() => !liandan.widget('Regenerate'), null, { timeout: 5000 });
  await choose('中文');
  await chineseReady(page);
  await page.waitForFunction(() => location.hash.includes('lang=zh'));
  assert.equal(await page.evaluate(() => liandan.widget('Data')?.text), '数据');
  assert.equal(await page.evaluate(() => liandan.widget('Regenerate')), null, 'the Data section stays closed in Chinese');
  await choose('English');
  await page.waitForFunction(() => liandan.viewState().language === 'en' && liandan.widget('Play')?.text === 'Play', null, { timeout: 10000 })
    .catch(async (e) => { throw new Error(`${e.message}: ${await page.evaluate(() => JSON.stringify([liandan.viewState().language, liandan.widget('Play'), liandan.widget('English')]))}`); });
  assert.equal(await page.evaluate(() => liandan.widget('Regenerate')), null, 'and closed back in English');
  await clickWidget(page, 'Data');
  await page.waitForFunction(() => liandan.widget('Regenerate'), null, { timeout: 5000 });
  assert.deepEqual(errors, []);
  await page.close();

  const context = await web.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
  const zhPage = await context.newPage();
  await zhPage.goto(web.isolated.url + '?keep=0');
  await zhPage.evaluate(() => window.liandan.ready);
  await chineseReady(zhPage);
  await context.close();
});
