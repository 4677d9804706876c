// A small static server for the playground (no dependencies): web/ at /, the wasm builds at
// /wasm/mt/ and /wasm/st/ (their benchmark pages at /bench/mt/ and /bench/st/), the fetched data
// sets (scripts/fetch-data) at /data/; or, with --site, a folder scripts/package wrote, as it is.
// Sends the COOP/COEP headers that wasm threads need, unless --no-isolation (a plain static host:
// the single-threaded build runs, and the page's service worker web/sw.js is not served, unless
// --service-worker, as a static host would), and a Content-Security-Policy under which the page
// loads only its own origin. The page's own files (not the data sets) go gzip-compressed to
// browsers that accept it, as static hosts send them.
//   node scripts/serve.mjs [--port N] [--host ADDRESS] [--build-dir DIR] [--data-dir DIR] [--site DIR]
//                          [--no-isolation [--service-worker]]
// Listens on 127.0.0.1 unless --host says otherwise; serves files inside its folders only.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const port = Number(option('--port', process.env.LIANDAN_PORT || 8080));
const host = option('--host', '127.0.0.1');
const isolation = !flag('--no-isolation');
const serviceWorker = isolation || flag('--service-worker');
const site = option('--site', null);
const buildDir = path.resolve(option('--build-dir', path.join(root, 'build')));
// The same folder as scripts/lib.sh and the core's data_root(): $LIANDAN_DATA, $LIANDAN_CACHE/data, ~/.cache/liandan/data.
const home = process.env.HOME || '.';
const dataDir = path.resolve(option('--data-dir', process.env.LIANDAN_DATA ||
  path.join(process.env.LIANDAN_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'liandan'), 'data')));
const mounts = site ? [['/', path.resolve(site)]] : [
  ['/data/', dataDir],
  ['/wasm/mt/', path.join(buildDir, 'wasm', 'web')],
  ['/wasm/st/', path.join(buildDir, 'wasm-st', 'web')],
  ['/bench/mt/', path.join(buildDir, 'wasm', 'bench-web')], // liandan-bench without the interface (scripts/bench-page)
  ['/bench/st/', path.join(buildDir, 'wasm-st', 'bench-web')],
  ['/', path.join(root, 'web')],
];
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.data': 'application/octet-stream',
  '.png': 'image/png', '.csv': 'text/csv', '.gz': 'application/gzip', '.txt': 'text/plain; charset=utf-8', '.ttf': 'font/ttf',
};
// The same policy as the meta tag of web/index.html, plus what only a header can say. Wasm needs
// 'wasm-unsafe-eval'; the pthread workers are scripts of this origin; the fonts and data files
// are fetched from it. No inline script, no eval, nothing from elsewhere.
const contentSecurityPolicy = [
  "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self'", "style-src 'self'",
  "img-src 'self' data: blob:", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
].join('; ');

// The file for a request path, or null when it is not inside a mount's folder. The path is
// decoded once, so '..' hidden as %2e%2e or %2f is resolved before the check, and the check
// compares whole folder names (a sibling 'web-old' is not inside 'web').
function resolve(urlPath) {
  if (urlPath.includes('\0')) return null;
  for (const [prefix, dir] of mounts) {
    if (!urlPath.startsWith(prefix)) continue;
    const file = path.resolve(dir, '.' + path.sep + (urlPath.slice(prefix.length) || 'index.html'));
    return file.startsWith(dir + path.sep) ? file : null;
  }
  return null;
}

function headersFor() {
  const headers = {
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  if (isolation) {
    headers['Cross-Origin-Opener-Policy'] = 'same-origin';
    headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
  }
  return headers;
}

// The page's code, styles and font: compressed once per version of the file and kept. The data
// sets are left alone: they are big, mostly gzip already, and their downloads report progress
// from Content-Length.
const compressible = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.data', '.ttf']);
const compressed = new Map(); // file -> { mtimeMs, size, body }
function gzipped(file, st, done) {
  const kept = compressed.get(file);
  if (kept && kept.mtimeMs === st.mtimeMs && kept.size === st.size) return done(null, kept.body);
  fs.readFile(file, (err, raw) => {
    if (err) return done(err);
    zlib.gzip(raw, { level: 9 }, (zerr, body) => {
      if (zerr) return done(zerr);
      compressed.set(file, { mtimeMs: st.mtimeMs, size: st.size, body });
      done(null, body);
    });
  });
}

function refuse(res, status, text) {
  res.writeHead(status, { ...headersFor(), 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text + '\n');
}

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'only GET and HEAD');
  let urlPath;
  try {
    urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  } catch {
    return refuse(res, 400, 'malformed path');
  }
  const file = resolve(urlPath);
  if (!file || (urlPath === '/sw.js' && !serviceWorker)) return refuse(res, 404, 'not found');
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) return refuse(res, 404, 'not found');
    // A validator, as static hosts send: a revalidated file costs no body. The page's pthread
    // workers each load app.js again; without this they downloaded it twice more.
    const etag = `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ...headersFor(), ETag: etag });
      return res.end();
    }
    const type = types[path.extname(file)] || 'application/octet-stream';
    const acceptsGzip = /\bgzip\b/.test(req.headers['accept-encoding'] || '');
    if (acceptsGzip && compressible.has(path.extname(file)) && !urlPath.startsWith('/data/')) {
      return gzipped(file, st, (gzErr, body) => {
        if (gzErr) return refuse(res, 500, 'cannot read the file');
        res.writeHead(200, { ...headersFor(), 'Content-Type': type, 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding', ETag: etag, 'Content-Length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
      });
    }
    res.writeHead(200, { ...headersFor(), 'Content-Type': type, ETag: etag, 'Content-Length': st.size });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });
});
server.on('clientError', (err, socket) => socket.destroy());
server.listen(port, host, () => {
  const address = server.address();
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const build = isolation ? 'cross-origin isolated: threaded build'
    : serviceWorker ? 'no COOP/COEP headers: threaded through the service worker' : 'not isolated: single-threaded build';
  console.log(`Liandan is served at http://${shown}:${address.port}/ (${build})`);
});
