// A small static server for the playground on 127.0.0.1 (no dependencies): web/ at /, the wasm
// builds at /wasm/mt/ and /wasm/st/. Sends the COOP/COEP headers that wasm threads need, unless
// --no-isolation (to test the single-threaded fallback a plain static host gives).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const port = Number(option('--port', process.env.LIANDAN_PORT || 8080));
const isolation = !flag('--no-isolation');
const buildDir = path.resolve(option('--build-dir', path.join(root, 'build')));
const mounts = [
  ['/wasm/mt/', path.join(buildDir, 'wasm', 'web')],
  ['/wasm/st/', path.join(buildDir, 'wasm-st', 'web')],
  ['/', path.join(root, 'web')],
];
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.data': 'application/octet-stream',
  '.png': 'image/png', '.csv': 'text/csv', '.gz': 'application/gzip',
};

function resolve(urlPath) {
  for (const [prefix, dir] of mounts) {
    if (!urlPath.startsWith(prefix)) continue;
    const file = path.join(dir, urlPath.slice(prefix.length) || 'index.html');
    if (!file.startsWith(dir)) return null; // no escaping the mount with ..
    return file;
  }
  return null;
}

const server = http.createServer((req, res) => {
  const urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  const file = resolve(urlPath);
  const headers = { 'Cache-Control': 'no-cache' };
  if (isolation) {
    headers['Cross-Origin-Opener-Policy'] = 'same-origin';
    headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
  }
  headers['Cross-Origin-Resource-Policy'] = 'same-origin';
  fs.stat(file || '', (err, st) => {
    if (err || !st.isFile()) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end(`not found: ${urlPath}\n`);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': types[path.extname(file)] || 'application/octet-stream', 'Content-Length': st.size });
    fs.createReadStream(file).pipe(res);
  });
});
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`Liandan is served at http://127.0.0.1:${address.port}/ (${isolation ? 'cross-origin isolated: threaded build' : 'not isolated: single-threaded build'})`);
});
