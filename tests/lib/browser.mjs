// Shared by the page tests and scripts/bench-ui: scripts/serve.mjs on a free port, and Debian's
// Chromium launched with the flags that work on a machine without a GPU or network (software WebGL2, no network services).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Starts the server for the wasm builds in buildDir; resolves with {url, child}.
export function serve(buildDir, extraArgs = []) {
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'serve.mjs'), '--port', '0', '--build-dir', buildDir, ...extraArgs]);
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = /http:\/\/[^ ]+:\d+\//.exec(String(d)); // whatever address it says it listens on
      if (m) resolve({ url: m[0], child });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--ignore-gpu-blocklist', ...extraArgs],
  });
}

// For a page test file: Chromium and two servers of the wasm builds in buildDir (isolated: the
// threaded build; plain: no COOP/COEP headers, the single-threaded one), started before its tests
// and stopped after them. The returned object's fields are set once the tests run.
export function browserAndServers(buildDir) {
  const env = {};
  before(async () => {
    env.browser = await launchChromium();
    env.isolated = await serve(buildDir);
    env.plain = await serve(buildDir, ['--no-isolation']);
  });
  after(async () => {
    await env.browser?.close();
    env.isolated?.child.kill();
    env.plain?.child.kill();
  });
  return env;
}

// A new page of the browser at url, once the app is ready; errors collects the page's uncaught
// errors (tests end by asserting it is empty).
export async function openPage(browser, url, viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.evaluate(() => window.liandan.ready);
  return { page, errors };
}

// A control found by its label once it has stood still for two looks: the layout settles after a
// load, a language switch changes widths, and a popup takes its place in its second frame.
export async function stillWidget(page, label) {
  let w = null;
  for (let same = 0; same < 2;) {
    const now = await page.waitForFunction((l) => liandan.widget(l), label, { timeout: 20000 }).then((h) => h.jsonValue());
    same = w && now.x === w.x && now.y === w.y ? same + 1 : 0;
    w = now;
    await page.waitForTimeout(150);
  }
  return w;
}

// Clicks a control (at fx, fy of its box) once it stands still.
export async function clickWidget(page, label, fx = 0.5, fy = 0.5) {
  const w = await stillWidget(page, label);
  await page.mouse.click(w.x + w.w * fx, w.y + w.h * fy);
  return w;
}
