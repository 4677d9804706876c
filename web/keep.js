// Keeps the experiment between visits in IndexedDB: the experiment file the app makes as it trains
// (spec, weights, optimizer state, curves: core/train/experiment_file.h) and the uploaded data files
// it reads. Read before the app starts (web/liandan.js writes them into its file system); written
// off the frame, the newest file only, one write at a time. Storage that is refused (private
// windows, a full quota) is reported once, and the page works on without it.
'use strict';
window.LiandanKeep = (function () {
  const dbName = 'liandan', storeName = 'kept';
  const maxUploadBytes = 256 * 1024 * 1024; // uploads kept beside the experiment, in all
  let dbPromise = null, failed = null, onFailure = () => {};
  let writing = false, next = null; // the write under way, and the newest file waiting for it

  function request(r) {
    return new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  }
  function open() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        if (!self.indexedDB) throw new Error('this browser gives the page no IndexedDB');
        const r = indexedDB.open(dbName, 1);
        r.onupgradeneeded = () => r.result.createObjectStore(storeName);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
        r.onblocked = () => reject(new Error('another tab holds an older version of the storage open'));
      });
    }
    return dbPromise;
  }
  function fail(err) {
    if (failed) return;
    failed = String(err && err.message || err || 'storage refused');
    if (err && err.name === 'QuotaExceededError') failed = "the browser's storage for this page is full";
    onFailure(failed);
  }
  async function transaction(mode, body) {
    const db = await open();
    const tx = db.transaction(storeName, mode);
    const done = new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error('the storage refused the write'));
    });
    const result = body(tx.objectStore(storeName));
    await done;
    return result;
  }

  // {bytes, savedAt, uploads: [{path, bytes}]} or null; never throws (a failure is reported).
  async function load() {
    try {
      return await transaction('readonly', (store) => {
        const out = { kept: null, uploads: [] };
        request(store.get('experiment')).then((kept) => {
          out.kept = kept || null;
          for (const path of (kept && kept.uploads) || [])
            request(store.get('upload:' + path)).then((bytes) => { if (bytes) out.uploads.push({ path, bytes }); });
        });
        return out;
      }).then((out) => out.kept && { ...out.kept, uploads: out.uploads });
    } catch (err) {
      fail(err);
      return null;
    }
  }

  // readUpload(path) gives an uploaded file's bytes from the app's file system.
  function keep(bytes, uploads, readUpload) {
    if (failed) return;
    next = { bytes, uploads, readUpload };
    if (!writing) writeNext();
  }
  async function writeNext() {
    writing = true;
    while (next && !failed) {
      const { bytes, uploads, readUpload } = next;
      next = null;
      try {
        let total = 0;
        const files = [];
        for (const path of uploads) {
          const data = readUpload(path);
          if (!data || total + data.byteLength > maxUploadBytes) continue; // the link then asks for it again
          total += data.byteLength;
          files.push({ path, data });
        }
        await transaction('readwrite', (store) => {
          store.put({ bytes, savedAt: Date.now(), uploads: files.map((f) => f.path) }, 'experiment');
          for (const f of files) store.put(f.data, 'upload:' + f.path);
          // Uploads the experiment no longer reads go, so the storage does not fill with old data.
          request(store.getAllKeys()).then((keys) => {
            for (const key of keys)
              if (String(key).startsWith('upload:') && !files.some((f) => 'upload:' + f.path === key)) store.delete(key);
          });
        });
      } catch (err) {
        fail(err);
      }
    }
    writing = false;
  }

  async function forget() {
    next = null;
    try {
      await transaction('readwrite', (store) => store.clear());
    } catch (err) {
      fail(err);
    }
  }

  return {
    load, keep, forget,
    onFailure(f) { onFailure = f; if (failed) f(failed); },
    // Resolves once the newest file is written (tests, and pagehide has nothing to wait for).
    async settled() { while (writing || next) await new Promise((r) => setTimeout(r, 10)); },
  };
})();
