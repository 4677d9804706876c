// Fetches the named data sets' files from data/ beside the page (scripts/fetch-data makes them,
// scripts/serve.mjs serves them), reporting progress, and keeps them in the browser's Cache
// Storage for the next visit. Each folder's manifest.json says what made its files (the cache
// key: a new version is fetched again) and how big they are (the progress bar's total).
'use strict';
window.LiandanData = (function () {
  const cacheName = 'liandan-data';
  const mb = 1024 * 1024;

  async function manifest(folder) {
    let response;
    try {
      response = await fetch(`data/${folder}/manifest.json`, { cache: 'no-cache' });
    } catch (err) {
      throw new Error(`data/${folder}/ could not be fetched (${err.message}); is the page's server still running?`);
    }
    if (!response.ok)
      throw new Error(`data/${folder}/ is not on this server (HTTP ${response.status}): run scripts/fetch-data, then serve ` +
        'with scripts/serve.mjs, or copy the data folder it fills beside index.html');
    return response.json();
  }

  async function openCache() {
    try {
      return self.caches ? await caches.open(cacheName) : null; // none outside secure contexts
    } catch {
      return null; // storage refused (private windows, quotas): fetch every time
    }
  }

  // Reads a response's body, calling onBytes(n) as chunks arrive.
  async function readBody(response, onBytes) {
    const reader = response.body.getReader();
    const chunks = [];
    let length = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.length;
      onBytes(value.length);
    }
    const bytes = new Uint8Array(length);
    let at = 0;
    for (const c of chunks) { bytes.set(c, at); at += c.length; }
    return bytes;
  }

  // files: paths relative to data/ ("mnist/train-images-idx3-ubyte.gz"). Calls
  // onProgress(loadedMB, totalMB); resolves with [{file, bytes}], rejects naming the file at fault.
  async function fetchFiles(files, onProgress) {
    const folders = [...new Set(files.map((f) => f.split('/')[0]))];
    const manifests = {};
    for (const folder of folders) manifests[folder] = await manifest(folder);
    const sizeOf = (file) => manifests[file.split('/')[0]].files[file.split('/').slice(1).join('/')];
    for (const file of files)
      if (sizeOf(file) === undefined) throw new Error(`data/${file} is not in its folder's manifest.json: run scripts/fetch-data again`);
    const total = files.reduce((sum, f) => sum + sizeOf(f), 0);
    let loaded = 0;
    const report = () => onProgress(loaded / mb, total / mb);
    report();
    const cache = await openCache();
    const out = [];
    for (const file of files) {
      const version = manifests[file.split('/')[0]].made_by;
      const key = `data/${file}?v=${encodeURIComponent(version)}`;
      const cached = cache && (await cache.match(key));
      if (cached) {
        const bytes = new Uint8Array(await cached.arrayBuffer());
        loaded += bytes.length;
        report();
        out.push({ file, bytes });
        continue;
      }
      let response;
      try {
        response = await fetch(`data/${file}`, { cache: 'no-cache' });
      } catch (err) {
        throw new Error(`data/${file} could not be fetched (${err.message})`);
      }
      if (!response.ok) throw new Error(`data/${file} is not on this server (HTTP ${response.status}): run scripts/fetch-data`);
      const bytes = await readBody(response, (n) => { loaded += n; report(); });
      if (bytes.length !== sizeOf(file))
        throw new Error(`data/${file} arrived with ${bytes.length} bytes; its manifest says ${sizeOf(file)}: run scripts/fetch-data again`);
      out.push({ file, bytes });
      if (cache) {
        try {
          await cache.put(key, new Response(bytes));
          for (const old of await cache.keys()) // other versions of this file
            if (old.url.includes(`/data/${file}?v=`) && !old.url.endsWith(`?v=${encodeURIComponent(version)}`)) await cache.delete(old);
        } catch { /* a full cache: the page still has the file for now */ }
      }
    }
    return out;
  }

  return { fetchFiles };
})();
