// The packaged page (scripts/package) on a static host: a folder served as it is, without
// COOP/COEP headers. Its service worker (web/sw.js) makes the page cross-origin isolated after one
// reload, so the threaded build runs and the status bar says how; a host that does not serve the
// worker gets the single-threaded build. The package carries LICENSE and the third-party notices.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, root, serve } from '../lib/browser.mjs';

const buildDir = process.env.LIANDAN_BUILD_DIR || path.join(root, 'build');
const site = fs.mkdtempSync(path.join(os.tmpdir(), 'liandan-site-'));
let browser, withWorker, withoutWorker;

before(async () => {
  execFileSync(path.join(root, 'scripts', 'package'), ['--no-build', '--no-data', site], {
    env: { ...process.env, LIANDAN_BUILD_DIR: buildDir }, stdio: ['ignore', 'ignore', 'inherit'] });
  browser = await launchChromium();
  withWorker = await serve(buildDir, ['--site', site, '--no-isolation', '--service-worker']);
  withoutWorker = await serve(buildDir, ['--site', site, '--no-isolation']);
});
after(async () => {
  await browser?.close();
  withWorker?.child.kill();
  withoutWorker?.child.kill();
  fs.rmSync(site, { recursive: true, force: true });
});

// The page at url once it has loaded `expectedLoads` times (under the service worker it reloads
// once: asking the first load for the app could meet the reload and lose its context).
async function open(url, expectedLoads = 1) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let loads = 0;
  page.on('load', () => loads++);
  await page.goto(url);
  while (loads < expectedLoads) await page.waitForEvent('load', { timeout: 30000 });
  await page.waitForFunction(() => window.liandan && window.Module?.onAppReady, null, { timeout: 30000 });
  await page.evaluate(() => window.liandan.ready);
  return { page, errors, loads: () => loads };
}

test('the package holds the page, both builds, the service worker, LICENSE and the notices', () => {
  for (const f of ['index.html', 'liandan.js', 'keep.js', 'sw.js', 'wasm/mt/app.wasm', 'wasm/mt/app.worker.js', 'wasm/st/app.wasm', 'wasm/mt/cjk.ttf',
    'LICENSE.txt', 'THIRD-PARTY-NOTICES.txt'])
    assert.ok(fs.existsSync(path.join(site, f)), `${f} is in the package`);
  assert.match(fs.readFileSync(path.join(site, 'LICENSE.txt'), 'utf8'), /^MIT License/);
  const notices = fs.readFileSync(path.join(site, 'THIRD-PARTY-NOTICES.txt'), 'utf8');
  for (const name of ['Dear ImGui', 'SDL2', 'zlib', 'Eigen', 'nlohmann-json', 'DejaVu fonts', 'WenQuanYi Micro Hei', 'Emscripten'])
    assert.ok(notices.includes(name), `the notices name ${name}`);
});

test('on a static host without headers the service worker brings the threaded build', async () => {
  const { page, errors, loads } = await open(withWorker.url, 2);
  const info = await page.evaluate(() => liandan.buildInfo());
  console.log(`static host with the service worker: ${JSON.stringify(info)} after ${loads()} page loads`);
  assert.equal(info.threads, true);
  assert.equal(info.isolation, 'service worker');
  assert.equal(loads(), 2, 'one reload, to come under the worker');
  await page.evaluate(() => liandan.step(20));
  assert.equal(await page.evaluate(() => liandan.metrics().step), 20);
  // The next visit is under the worker from the start: no reload.
  const again = await page.context().newPage();
  let againLoads = 0;
  again.on('load', () => againLoads++);
  await again.goto(withWorker.url);
  await again.evaluate(() => window.liandan.ready);
  assert.equal((await again.evaluate(() => liandan.buildInfo())).threads, true);
  assert.equal(againLoads, 1);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a host that does not serve the worker gets the single-threaded build, which works', async () => {
  const { page, errors } = await open(withoutWorker.url);
  const info = await page.evaluate(() => liandan.buildInfo());
  assert.equal(info.threads, false);
  assert.equal(info.isolation, 'none');
  await page.evaluate(() => liandan.step(20));
  assert.equal(await page.evaluate(() => liandan.metrics().step), 20);
  assert.deepEqual(errors, []);
  await page.context().close();
});
