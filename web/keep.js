// Keeps the experiment between visits in IndexedDB: the experiment file the app makes as it trains
// (spec, weights, optimizer state, curves: core/train/experiment_file.h) and the uploaded data files
// it reads. Read before the app starts (web/liandan.js writes them into its file system); written
// off the frame, the newest file only, one write at a time; each tab its own. Storage that is
// refused (private windows, a full quota) is reported once, and the page works on without it.
'use strict';
window.LiandanKeep = (function () {
  const dbName = 'liandan', storeName = 'kept';
  const maxUploadBytes = 256 * 1024 * 1024; // uploads kept beside the experiment, in all
  let dbPromise = null, failed = null, onFailure = () => {};
  let writing = false, next = null; // the write under way, and the newest file waiting for it
  // Upload path → the version of it this tab has in storage. New experiment starts a new map, so a
  // write under way across it fills the old one.
  let written = new Map();

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

  // Each tab keeps its own experiment, so two tabs never overwrite each other's: a record
  // 'experiment:<tab>' per tab, the tab's ID in sessionStorage (a reload keeps it) and a Web Lock
  // of that name held while the tab lives. A new tab takes over the newest record no open tab
  // holds (the browser was closed, the tab crashed), else starts from a copy of the newest one.
  // The three newest records no tab holds stay; uploads stay while a record reads them.
  const keepRecords = 3, legacyKey = 'experiment'; // the one record of pages before tabs had their own
  let tab = null; // this tab's ID once load() has settled it
  const locks = self.navigator && navigator.locks;

  function newTabId() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 8); }
  // Holds the tab's lock for the page's life; false if another tab holds it (a duplicated tab
  // carries its sessionStorage along; a reload may find the old page not yet gone: wait a little).
  async function holdTab(id, waitMs) {
    if (!locks) return true;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const got = await new Promise((resolve) => {
        locks.request('liandan-tab:' + id, { ifAvailable: true }, (lock) => {
          resolve(!!lock);
          return lock ? new Promise(() => {}) : undefined; // held until the page goes
        });
      });
      if (got || Date.now() >= deadline) return got;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  async function heldTabs() {
    if (!locks) return new Set();
    const state = await locks.query();
    return new Set(state.held.map((l) => l.name).filter((n) => n.startsWith('liandan-tab:')).map((n) => n.slice(12)));
  }
  const recordKey = (id) => 'experiment:' + id;

  // Every record: [{key, id, kept}], newest first.
  function records(store) {
    const range = IDBKeyRange.bound(legacyKey, legacyKey + '\uffff'); // not the uploads' bytes
    return Promise.all([request(store.getAllKeys(range)), request(store.getAll(range))]).then(([keys, values]) =>
      keys.map((key, i) => ({ key: String(key), kept: values[i] }))
        .filter((r) => r.key === legacyKey || r.key.startsWith('experiment:'))
        .map((r) => ({ ...r, id: r.key === legacyKey ? null : r.key.slice(11) }))
        .sort((a, b) => (b.kept.savedAt || 0) - (a.kept.savedAt || 0)));
  }

  // The experiment this tab starts from, {bytes, savedAt, uploads: [{path, bytes}]}, or null;
  // never throws (a failure is reported).
  async function load() {
    let id = null;
    try { id = sessionStorage.getItem('liandan-tab'); } catch { /* no sessionStorage: a new ID each visit */ }
    try {
      if (id && !(await holdTab(id, 1500))) id = null; // a duplicate of an open tab: its own ID from here
      const held = await heldTabs();
      const chosen = await transaction('readonly', (store) => {
        const out = { record: null, uploads: [] };
        records(store).then((all) => {
          out.record = (id && all.find((r) => r.id === id)) || all.find((r) => r.id === null || !held.has(r.id)) || all[0] || null;
          for (const path of (out.record && out.record.kept.uploads) || [])
            request(store.get('upload:' + path)).then((bytes) => { if (bytes) out.uploads.push({ path, bytes }); });
        });
        return out;
      });
      // Take over a record no tab holds; a record another tab holds is copied under a new ID.
      const r = chosen.record;
      if (!id && r && r.id && !held.has(r.id) && (await holdTab(r.id, 0))) id = r.id;
      if (!id) {
        do id = newTabId(); while (!(await holdTab(id, 0)));
      }
      tab = id;
      try { sessionStorage.setItem('liandan-tab', id); } catch { /* as above */ }
      return r && { ...r.kept, uploads: chosen.uploads };
    } catch (err) {
      fail(err);
      tab = tab || id || newTabId();
      return null;
    }
  }

  // upload.read(path) gives an uploaded file's bytes from the app's file system, upload.version(path)
  // its {size, key} (key changes when the file does), either null if it is gone.
  function keep(bytes, uploads, upload) {
    if (failed) return;
    next = { bytes, uploads, upload };
    if (!writing) writeNext();
  }
  // Records beyond the newest few that no tab holds go, and the uploads no record reads.
  function prune(store, held) {
    return records(store).then((all) => {
      // A record saved in the last minute stays too: its tab may be reloading (its lock let go).
      let free = 0;
      const recent = Date.now() - 60 * 1000;
      const stay = all.filter((r) => r.id === tab || held.has(r.id) || (r.kept.savedAt || 0) > recent ||
        (r.id !== null && ++free <= keepRecords));
      for (const r of all) if (!stay.includes(r)) store.delete(r.key);
      const read = new Set(stay.flatMap((r) => (r.kept.uploads || []).map((p) => 'upload:' + p)));
      return request(store.getAllKeys()).then((keys) => {
        for (const key of keys) if (String(key).startsWith('upload:') && !read.has(String(key))) store.delete(key);
      });
    });
  }
  async function writeNext() {
    writing = true;
    while (next && !failed) {
      const { bytes, uploads, upload } = next, stored = written;
      next = null;
      try {
        if (!tab) tab = newTabId(); // written before load() settled it (not done by the page)
        let total = 0;
        const read = [], files = [];
        for (const path of uploads) {
          const v = upload.version(path);
          if (!v || total + v.size > maxUploadBytes) continue; // the link then asks for it again
          // An upload this tab wrote already, unchanged, is not written again: it may be hundreds
          // of megabytes, and the experiment is kept with each new snapshot of a small network.
          if (stored.get(path) !== v.key) {
            const data = upload.read(path);
            if (!data) continue;
            files.push({ path, data, key: v.key });
          }
          total += v.size;
          read.push(path);
        }
        const held = await heldTabs();
        await transaction('readwrite', (store) => {
          store.put({ bytes, savedAt: Date.now(), uploads: read }, recordKey(tab));
          for (const f of files) store.put(f.data, 'upload:' + f.path);
          prune(store, held);
        });
        for (const f of files) stored.set(f.path, f.key);
      } catch (err) {
        fail(err);
      }
    }
    writing = false;
  }

  // "New experiment": this tab's record goes (other tabs keep theirs).
  async function forget() {
    next = null;
    written = new Map(); // the record goes, and the uploads only it read with it
    try {
      const held = await heldTabs();
      await transaction('readwrite', (store) => {
        if (tab) store.delete(recordKey(tab));
        prune(store, held);
      });
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
