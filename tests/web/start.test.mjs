// The page's start: what a learner downloads before the first frame, served compressed as static
// hosts serve it, within the budget of 800 KB (docs/performance.md), for both builds; and the
// page's font, cut at build time, still holds every glyph of the interface's ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { browserAndServers, root } from '../lib/browser.mjs';

const buildDir = process.env.LIANDAN_BUILD_DIR || path.join(root, 'build');
const web = browserAndServers(buildDir);
const budgetBytes = 800 * 1024;

// Opens the page and sums the bytes on the wire (compressed bodies, headers left out) of every
// request it started before its first frame.
async function downloadsBeforeFirstFrame(url) {
  const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const finished = [];
  // Each entry settles on its own (a failure becomes {url, error}), so a request that finishes
  // while the page closes (the late fonts and texts) cannot reject unhandled after the test.
  const onFinished = (request) => finished.push(request.sizes().then(async (sizes) => ({
    url: request.url(), bytes: sizes.responseBodySize, encoding: await request.response().then((r) => r?.headers()['content-encoding']),
  })).catch((error) => ({ url: request.url(), error: String(error) })));
  page.on('requestfinished', onFinished);
  await page.goto(url);
  await page.evaluate(() => window.liandan.ready);
  const firstFrameMs = await page.evaluate(() => liandan.firstFrameMs);
  // Requests the page started after its first frame (the Chinese glyphs) are not the first frame's.
  const late = new Set(await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.startTime >= liandan.firstFrameMs).map((e) => e.name)));
  page.off('requestfinished', onFinished);
  const files = (await Promise.all(finished)).filter((f) => !late.has(f.url));
  await page.close();
  for (const f of files) assert.equal(f.error, undefined, `${f.url} before the first frame could not be measured`);
  return { files, firstFrameMs, total: files.reduce((sum, f) => sum + f.bytes, 0) };
}

for (const [name, server] of [['threaded', () => web.isolated], ['single-threaded', () => web.plain]]) {
  test(`the ${name} page downloads at most 800 KB before its first frame`, async () => {
    const { files, total, firstFrameMs } = await downloadsBeforeFirstFrame(server().url);
    const list = files.map((f) => `${path.basename(new URL(f.url).pathname) || '/'} ${(f.bytes / 1024).toFixed(1)} KB${f.encoding ? ` (${f.encoding})` : ''}`);
    console.log(`${name}: ${(total / 1024).toFixed(0)} KB before the first frame at ${firstFrameMs.toFixed(0)} ms: ${list.join(', ')}`);
    const wasm = files.find((f) => f.url.endsWith('/app.wasm'));
    assert.ok(wasm, 'the wasm was downloaded');
    assert.equal(wasm.encoding, 'gzip', 'the serve script compresses the page');
    assert.ok(files.some((f) => f.url.endsWith('/app.data')), 'the font was downloaded');
    assert.ok(total <= budgetBytes, `${(total / 1024).toFixed(0)} KB is over the 800 KB budget`);
  });
}

test('the Chinese glyphs come after the first frame and hold every character the texts use', async () => {
  const generated = path.join(buildDir, 'wasm', 'shell', 'app', 'generated');
  const wanted = [...fs.readFileSync(path.join(generated, 'ui_cjk.txt'), 'utf8')];
  const script = `
import sys, json
from fontTools.ttLib import TTFont
cmap = TTFont(sys.argv[1]).getBestCmap()
print(json.dumps([c for c in sys.argv[2] if ord(c) not in cmap]))`;
  const missing = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, path.join(buildDir, 'wasm', 'web', 'cjk.ttf'), wanted.join('')], { encoding: 'utf8' }));
  console.log(`the page's Chinese font holds ${wanted.length - missing.length} of the ${wanted.length} characters the texts use`);
  assert.deepEqual(missing, []);
  const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(web.isolated.url + '?keep=0#lesson=seeds');
  await page.evaluate(() => window.liandan.ready);
  await page.waitForFunction(() => liandan.viewState().fonts_version === 1, null, { timeout: 20000 });
  await page.close();
});

test('the page font holds every glyph DejaVu Sans has in the interface ranges', () => {
  // The ranges as the build generated them for the app (shell/app/CMakeLists.txt, ui_glyphs).
  const generated = path.join(buildDir, 'wasm', 'shell', 'app', 'generated');
  const header = fs.readFileSync(path.join(generated, 'ui_glyph_ranges.h'), 'utf8');
  const pairs = /ranges\[\] = \{([^}]*)\}/.exec(header)[1].split(',').map((s) => s.trim()).filter((s) => s && s !== '0');
  const script = `
import sys, json
from fontTools.ttLib import TTFont
pairs = [int(x, 16) for x in json.loads(sys.argv[3])]
wanted = set(c for a, b in zip(pairs[0::2], pairs[1::2]) for c in range(a, b + 1))
full = set(TTFont(sys.argv[1]).getBestCmap()) & wanted
cut = set(TTFont(sys.argv[2]).getBestCmap())
print(json.dumps({"full": len(full), "cut": len(cut & wanted), "missing": sorted(full - cut)}))`;
  const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    path.join(generated, 'ui-font.ttf'), JSON.stringify(pairs)], { encoding: 'utf8' }));
  console.log(`the page font holds ${out.cut} of the ${out.full} glyphs DejaVu Sans has in the ranges`);
  assert.ok(out.full > 250, 'the ranges were read');
  assert.deepEqual(out.missing, [], 'code points the cut font lost');
});
