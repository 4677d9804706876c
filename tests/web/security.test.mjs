// A page that trusts no one: the serve script keeps requests inside its folders and sends a
// Content-Security-Policy under which both builds still run; postMessage commands are taken only
// from the page's own origin and the origins its link names; text from URLs and files is shown
// as text, never as markup.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { browserAndServers, root, serve } from '../lib/browser.mjs';

const buildDir = process.env.LIANDAN_BUILD_DIR || path.join(root, 'build');

const web = browserAndServers(buildDir);

// A GET with the path sent exactly as written (no client-side normalization of '..' or '%2e').
function rawGet(base, rawPath) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the serve script keeps requests inside its folders and listens on 127.0.0.1', async () => {
  // A build folder with a sibling whose name extends the mount's ("web-secret" beside "web") and
  // a secret one level up: neither may be reached through /wasm/mt/.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandan-serve-'));
  fs.mkdirSync(path.join(dir, 'wasm', 'web'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'wasm', 'web-secret'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'wasm', 'web', 'app.js'), 'ok');
  fs.writeFileSync(path.join(dir, 'wasm', 'web-secret', 'secret.txt'), 'SECRET');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'SECRET');
  const server = await serve(dir);
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'listens on loopback unless told otherwise');
    assert.equal((await rawGet(server.url, '/wasm/mt/app.js')).body, 'ok');
    const attempts = [
      '/wasm/mt/../../secret.txt', '/wasm/mt/%2e%2e/%2e%2e/secret.txt', '/wasm/mt/..%2f..%2fsecret.txt',
      '/wasm/mt/..%2Fweb-secret/secret.txt', '/wasm/mt/%2e%2e%2fweb-secret%2fsecret.txt', '/wasm/mt/..%5c..%5csecret.txt',
      '/..%2fpackage.json', '/%2e%2e/package.json', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/%2F%2Fetc%2Fpasswd', '/wasm/mt/%00',
      '/wasm/mt/app.js%00.png',
    ];
    for (const p of attempts) {
      const r = await rawGet(server.url, p);
      assert.ok(r.status === 404 || r.status === 400, `${p}: status ${r.status}`);
      assert.ok(!r.body.includes('SECRET') && !r.body.includes('"devDependencies"') && !r.body.includes('root:'), `${p} leaked ${r.body.slice(0, 40)}`);
    }
    assert.equal((await rawGet(server.url, '/%E0%A4%A')).status, 400); // malformed percent-encoding
    assert.equal((await rawGet(server.url, '/wasm/mt/app.js')).status, 200, 'the server still answers after bad requests');
  } finally {
    server.child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// Opens the page with a listener for CSP violations installed before any of its scripts run.
async function openWatched(url) {
  const page = await web.browser.newPage({ viewport: { width: 1024, height: 700 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  await page.evaluate(() => window.liandan.ready);
  return { page, errors };
}

for (const [name, server] of [['threaded', () => web.isolated], ['single-threaded', () => web.plain]]) {
  test(`the ${name} page runs under its Content-Security-Policy`, async () => {
    const response = await rawGet(server().url, '/index.html');
    const csp = response.headers['content-security-policy'];
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    const { page, errors } = await openWatched(server().url);
    const info = await page.evaluate(() => liandan.buildInfo());
    assert.equal(info.threads, name === 'threaded', JSON.stringify(info));
    const m = await page.evaluate(() => liandan.step(20));
    assert.ok(Number.isFinite(m.loss_train) && m.step >= 20);
    await page.waitForTimeout(500); // a few frames drawn under the policy
    assert.deepEqual(await page.evaluate(() => window.__violations), [], 'the page needs nothing its policy forbids');
    // The policy is in force: a request to another origin is refused and reported.
    const fetched = await page.evaluate(() => fetch('http://localhost:9/x').then(() => 'fetched', (e) => e.name));
    assert.equal(fetched, 'TypeError');
    await page.waitForFunction(() => window.__violations.length > 0);
    assert.match(await page.evaluate(() => window.__violations[0]), /^connect-src http:\/\/localhost:9/);
    assert.equal(await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]') !== null), true);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

// A tutorial page on another origin: its own server on 127.0.0.1, opened as localhost (another
// origin than the playground's 127.0.0.1, and a local address, as Chromium wants for a frame of one).
let tutorialServer;
async function tutorialOrigin() {
  if (!tutorialServer) {
    tutorialServer = http.createServer((req, res) => {
      const frameUrl = new URL(req.url, 'http://localhost').searchParams.get('frame');
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><iframe src="${frameUrl}" width="900" height="600"></iframe>`);
    });
    await new Promise((resolve) => tutorialServer.listen(0, '127.0.0.1', resolve));
    after(() => tutorialServer.close());
  }
  return `http://localhost:${tutorialServer.address().port}`;
}

async function embedder(frameUrl) {
  const page = await web.browser.newPage();
  const origin = await tutorialOrigin();
  await page.goto(`${origin}/tutorial.html?frame=${encodeURIComponent(frameUrl)}`);
  const frame = await page.waitForFunction(() => document.querySelector('iframe')).then(() => page.frames()[1]);
  await frame.waitForFunction(() => window.liandan).then(() => frame.evaluate(() => liandan.ready));
  return { page, frame, origin };
}

// Sends one command from the tutorial page to the frame; resolves with the reply or 'no reply'.
function send(page, method, args, waitMs) {
  return page.evaluate(({ method, args, waitMs }) => new Promise((resolve) => {
    const frame = document.querySelector('iframe');
    const id = Math.random();
    const timer = setTimeout(() => resolve('no reply'), waitMs);
    window.addEventListener('message', (e) => {
      if (e.data?.type === 'liandan-result' && e.data.id === id) { clearTimeout(timer); resolve(e.data); }
    });
    frame.contentWindow.postMessage({ type: 'liandan', id, method, args }, '*');
  }), { method, args, waitMs });
}

test('postMessage commands from a foreign origin are refused, from a named origin accepted', async () => {
  // Not named: the command is dropped unanswered and changes nothing; no events reach the page.
  const foreign = await embedder(`${web.plain.url}index.html`);
  const before = await foreign.frame.evaluate(() => liandan.spec());
  await foreign.page.evaluate(() => {
    window.__events = 0;
    window.addEventListener('message', (e) => { if (e.data?.type === 'liandan-event') window.__events++; });
  });
  assert.equal(await send(foreign.page, 'load', [{ train: { epochs: 7 } }], 3000), 'no reply');
  assert.deepEqual(await foreign.frame.evaluate(() => liandan.spec()), before);
  await foreign.frame.evaluate(() => liandan.step(3)); // events the frame would send to its parent
  await foreign.page.waitForTimeout(500);
  assert.equal(await foreign.page.evaluate(() => window.__events), 0, 'events go to allowed origins only');
  await foreign.page.close();

  // Named in the link: commands work, replies and events come back to that origin.
  const origin = await tutorialOrigin();
  const named = await embedder(`${web.plain.url}index.html?origin=${encodeURIComponent(origin)}`);
  await named.page.evaluate(() => {
    window.__events = 0;
    window.addEventListener('message', (e) => { if (e.data?.type === 'liandan-event') window.__events++; });
  });
  const reply = await send(named.page, 'load', [{ train: { epochs: 7 } }], 20000);
  assert.equal(reply.error, undefined, JSON.stringify(reply));
  assert.equal(await named.frame.evaluate(() => liandan.spec().train.epochs), 7);
  const stepped = await send(named.page, 'step', [4], 20000);
  assert.equal(stepped.result.step, 4);
  await named.page.waitForFunction(() => window.__events > 0);
  await named.page.close();

  // A malformed ?origin= is reported, and allows nothing.
  const bad = await web.browser.newPage();
  const warnings = [];
  bad.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await bad.goto(`${web.plain.url}index.html?origin=javascript:alert(1)`);
  await bad.evaluate(() => liandan.ready);
  assert.match(await bad.evaluate(() => document.getElementById('status').textContent), /^Ignored \?origin=javascript:alert\(1\)/);
  assert.ok(warnings.some((w) => w.includes('Ignored ?origin=')));
  await bad.close();
});

test('markup and control characters from a hash and a CSV header are shown as text', async () => {
  const { page, errors } = await openWatched(web.plain.url);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const elements = await page.evaluate(() => document.querySelectorAll('*').length);
  const markup = '<img src=x onerror=alert(1)>';

  // A crafted hash, typed in the address bar: refused, naming the key, the markup as written.
  const refusal = await page.evaluate((m) => new Promise((resolve) => {
    liandan.addEventListener('error', (e) => resolve(e.detail.error), { once: true });
    location.hash = `dataset=${encodeURIComponent(m)}&noise=5`;
  }), markup);
  assert.ok(refusal.startsWith('URL dataset: ') && refusal.includes(markup), refusal);

  // A CSV whose header holds markup, a terminal escape and a tab: loaded, names kept as text.
  const csv = `${markup},"\u001b[31mred\tcol",target\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n`;
  const r = await page.evaluate((text) => liandan.loadFile('evil.csv', new TextEncoder().encode(text)), csv);
  assert.equal(r.status, 'loaded', JSON.stringify(r));
  const spec = await page.evaluate(() => liandan.spec());
  assert.equal(spec.data.target, 'target');
  await page.waitForTimeout(700); // frames drawn with those names in the data panel

  assert.deepEqual(dialogs, []);
  assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
  assert.equal(await page.evaluate(() => document.querySelectorAll('*').length), elements, 'no element was made from the text');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  await page.close();
});
