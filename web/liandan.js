// Loads the Liandan wasm app into the page and exposes window.liandan (docs/design.md, contract 5):
// load(spec), spec(), play(), pause(), step(n), reset(), metrics(), setLearningRate(lr),
// saveExperiment(), saveWeights(), exportPytorch(), download(what), newExperiment(), events
// ('ready', 'metrics', 'epoch', 'error', 'stopped'), and the same over postMessage for iframes
// of the page's own origin or of origins the link names (?origin=...).
// Named data sets are fetched from data/ (web/data-fetch.js) when the app asks. Data files (contract 4): loadFile(name, bytes), setTarget(column), openFilePicker(), the file
// input and drops on the canvas. The URL hash (contract 6): read at start, kept up to date with
// history.replaceState, followed on hashchange; url() and loadUrl(hash).
'use strict';
(function () {
  const params = new URLSearchParams(location.search);
  // Threads need a cross-origin-isolated page: headers from the server, or the page's service
  // worker on a static host that sends none (web/sw.js). Elsewhere the single-threaded build runs.
  const build = params.get('build') || (self.crossOriginIsolated ? 'mt' : 'st');
  const isolation = !self.crossOriginIsolated ? 'none' : navigator.serviceWorker?.controller ? 'service worker' : 'headers';
  const dir = `wasm/${build}/`;

  // Not isolated: registers the service worker and reloads once under it. Not in an iframe (only
  // an isolated embedding page can isolate it) and once a session (no reload loop where it fails).
  async function isolateByServiceWorker() {
    if (params.get('build') || self.crossOriginIsolated || window.parent !== window || !self.isSecureContext ||
      !('serviceWorker' in navigator)) return false;
    try {
      if (sessionStorage.getItem('liandan-sw-tried')) return false;
      sessionStorage.setItem('liandan-sw-tried', '1');
      await navigator.serviceWorker.register('sw.js');
      await navigator.serviceWorker.ready;
      location.reload();
      return true;
    } catch {
      return false; // no service worker here (a host that does not serve sw.js, a private window)
    }
  }
  const status = document.getElementById('status');
  const canvas = document.getElementById('canvas');
  canvas.addEventListener('contextmenu', (e) => e.preventDefault()); // right-drags belong to the app

  // Who may drive the page over postMessage: its own origin and the origins the embedding link
  // names (?origin=https://course.example, repeatable or comma-separated). Replies and events go
  // to those origins only, never to '*'.
  // An opaque origin ('null': a sandboxed frame, a file) is never one: any other opaque sender matches it.
  const allowedOrigins = new Set(location.origin === 'null' ? [] : [location.origin]);
  const badOrigins = [];
  for (const given of params.getAll('origin').flatMap((o) => o.split(','))) {
    const text = given.trim().replace(/\/$/, '');
    let url = null;
    try { url = new URL(text); } catch { /* reported below */ }
    if (url && (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text) allowedOrigins.add(text);
    else badOrigins.push(given);
  }

  function showStatus(text, isError) {
    status.textContent = text;
    status.className = isError ? 'error' : '';
  }

  const events = new EventTarget();
  let ready = false;
  let resolveReady;
  const readyPromise = new Promise((resolve) => { resolveReady = resolve; });

  function call(name, ...args) {
    if (!ready) throw new Error('liandan: the app is still loading; await liandan.ready first');
    const types = args.map((a) => (typeof a === 'number' ? 'number' : 'string'));
    return Module.ccall(name, 'string', types, args);
  }
  function command(name, value = 0) {
    const err = call('liandan_command', name, value);
    if (err) throw new Error(err);
  }
  function metrics() { return JSON.parse(call('liandan_metrics')); }

  // The page's own looks at the app come on a timer about 60 times a second, not with animation
  // frames: those would make the browser produce frames while nothing is drawn, and stop in a
  // hidden tab, where a call waiting on them would never end.
  const later = (f) => setTimeout(f, 16);

  // Resolves when predicate(metrics) holds, rejects when training stops with an error (a new
  // one: the reason of an earlier pause or refusal, still shown, is not this call's).
  function until(predicate) {
    const { error: earlier, run: earlierRun } = metrics();
    return new Promise((resolve, reject) => {
      function check() {
        const m = metrics();
        if (predicate(m)) return resolve(m);
        if (m.error && (m.error !== earlier || m.run !== earlierRun)) return reject(new Error(m.error));
        later(check);
      }
      check();
    });
  }

  // Resolves with the metrics once the app has handled load number > `loads`, or rejects with
  // what the data or the model's shapes refused (the current run is kept then).
  // A named set's files are fetched first (m.fetching): a failed fetch rejects with its reason.
  // A call may post more than one (a link's experiment, then its weights): all of them are waited for.
  function afterLoad(loads) {
    const failures = metrics().fetch_failures;
    const posted = Math.max(loads + 1, api.viewState().loads_posted);
    return new Promise((resolve, reject) => {
      (function check() {
        const m = metrics();
        if (m.fetch_failures > failures) return reject(new Error(api.viewState().message));
        if (m.loads < posted) return later(check);
        m.error ? reject(new Error(m.error)) : resolve(m);
      })();
    });
  }

  function experimentFile(weights) {
    const request = Module.ccall('liandan_request_experiment', 'number', [], []); // the file of everything asked so far
    return new Promise((resolve, reject) => {
      (function check() {
        if (api.viewState().experiment_request < request) return later(check);
        const err = call('liandan_take_experiment', weights);
        if (err) return reject(new Error(err));
        const at = Module.ccall('liandan_file_data', 'number', [], []), size = Module.ccall('liandan_file_size', 'number', [], []);
        resolve(Module.HEAPU8.slice(at, at + size));
      })();
    });
  }

  // The interface's texts in another language, fetched when the app asks (a link's lang=, the
  // language menu), with the templates of the messages made in parts (the core's), which the app
  // matches messages against (without them those messages stay English). The app shows English
  // until they come.
  function fetchCatalog(language) {
    const text = (name) => fetch(dir + name).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`${name}: HTTP ${r.status}`))));
    const report = (json, messages) => Module.ccall('liandan_catalog_arrived', null, ['string', 'string', 'string'], [language, json, messages]);
    Promise.all([text(`${language}.json`), text('messages.json').catch(() => '')]).then(([json, messages]) => report(json, messages))
      .catch((err) => { console.warn(`liandan: the ${language} texts could not be fetched (${err.message})`); report('', ''); });
  }

  // The Chinese glyphs (lesson texts, the Chinese interface) come after the first frame, so what
  // the page downloads before it stays small; the app then loads its fonts again.
  function fetchLateFonts() {
    fetch(dir + 'cjk.ttf').then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`HTTP ${r.status}`)))).then((bytes) => {
      Module.FS.mkdirTree('/fonts');
      Module.FS.writeFile('/fonts/cjk.ttf', new Uint8Array(bytes));
      Module.ccall('liandan_fonts_arrived', null, [], []);
    }).catch((err) => console.warn(`liandan: the Chinese glyphs could not be fetched (${err.message}); Chinese text shows as ?`));
  }

  // Uploaded files live in the wasm file system under /uploads, by their base name.
  function uploadPath(name) {
    const base = String(name).split(/[\\/]/).pop().replace(/[^\w.\-]+/g, '_') || 'data';
    return `/uploads/${base}`;
  }

  const api = {
    ready: readyPromise,
    build,
    // {simd, threads, isolation}: isolation is 'headers', 'service worker' or 'none'.
    buildInfo() { return { ...JSON.parse(call('liandan_build_info')), isolation }; },
    // Loads a spec (object or JSON text). Throws at once for a malformed spec, naming the key;
    // the promise resolves when the new run is live, or rejects with what the data or the
    // model's shapes refused (the current run is kept then).
    load(spec) {
      const loads = metrics().loads;
      const err = call('liandan_load', typeof spec === 'string' ? spec : JSON.stringify(spec));
      if (err) throw new Error(err);
      return afterLoad(loads);
    },
    // Opens a data file given as bytes (Uint8Array or ArrayBuffer): a CSV with a header row, IDX
    // images / labels (plain or .gz), or safetensors weights for the network in force (told apart
    // by their bytes). Resolves with
    // {status: 'loaded', message, metrics} once the new run is live, or {status: 'waiting',
    // message} for an IDX file whose partner has not come yet; rejects with the refusal (file,
    // line or key named), keeping the current run.
    async loadFile(name, bytes) {
      await readyPromise;
      const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
      const path = uploadPath(name);
      Module.FS.mkdirTree('/uploads');
      Module.FS.writeFile(path, data);
      const loads = metrics().loads;
      const r = JSON.parse(call('liandan_open_file', path));
      if (r.status === 'error') throw new Error(r.message);
      if (r.status === 'waiting') return { status: 'waiting', message: r.message };
      return { status: 'loaded', message: r.message, metrics: await afterLoad(loads) };
    },
    // Makes another column of the CSV in use the target (the output and loss follow it).
    async setTarget(column) {
      const loads = metrics().loads;
      const r = JSON.parse(call('liandan_set_target', String(column)));
      if (r.status === 'error') throw new Error(r.message);
      return { status: 'loaded', message: r.message, metrics: await afterLoad(loads) };
    },
    // The page's file picker; call it from a click or key handler (browsers need a user activation).
    openFilePicker() { fileInput.click(); },
    // The shareable hash of the experiment in force ('#activation=tanh&...' or '#spec=...');
    // url({weights: true}) adds its trained weights (small networks; throws for bigger ones).
    url(options = {}) {
      if (!options.weights) return '#' + call('liandan_url');
      const r = JSON.parse(call('liandan_url_with_weights'));
      if (r.error) throw new Error(r.error);
      return '#' + r.url;
    },
    // Loads the experiment of a URL hash; like load(), throws at once for a bad key or value. A
    // link to files the page does not have gives {status: 'waiting', message} (which files to open).
    loadUrl(hash) {
      const loads = metrics().loads;
      const err = call('liandan_load_url', String(hash));
      if (err) throw new Error(err);
      const view = api.viewState();
      if (view.waiting_link) return Promise.resolve({ status: 'waiting', message: view.message });
      return afterLoad(loads);
    },
    spec() { return JSON.parse(call('liandan_spec')); },
    // The experiment as a file: saveExperiment() resolves with the whole file (spec, weights,
    // optimizer state, curves; loadFile takes it back), saveWeights() with the weights only
    // (safetensors under PyTorch's names), both as of the next snapshot.
    saveExperiment() { return experimentFile(0); },
    saveWeights() { return experimentFile(1); },
    // The network as a PyTorch module (Python text): load(path) takes the saveWeights() file,
    // predict(model, rows) the data's raw rows, fit(...) trains on with the same optimizer.
    exportPytorch() { return call('liandan_export_pytorch'); },
    // Downloads 'spec' (JSON), 'weights', 'experiment' or 'pytorch', as the Experiment menu does.
    download(what) {
      if (!['spec', 'weights', 'experiment', 'pytorch'].includes(what))
        throw new Error(`download: '${what}' is not spec, weights, experiment or pytorch`);
      call('liandan_download', what);
    },
    // The lessons: [{id, title, variants: [{name, label}]}].
    lessons() { return JSON.parse(call('liandan_lessons')); },
    // Opens a lesson (its text beside the network) with a variant of its experiment (default: the
    // first); resolves when the experiment is live (a lesson on a named set fetches it first).
    openLesson(id, variant = '') {
      const loads = metrics().loads;
      const err = call('liandan_open_lesson', String(id), String(variant));
      if (err) throw new Error(err);
      return afterLoad(loads);
    },
    // A clean start: the default experiment with fresh weights; the kept one is forgotten.
    newExperiment() {
      const loads = metrics().loads;
      call('liandan_new_experiment');
      return afterLoad(loads);
    },
    // Resolves once the experiment as it is after every command before is in the browser's
    // storage (a file is made for it, which the app keeps as it keeps every newer file).
    async keptSettled() {
      if (keep) await experimentFile(0);
      return LiandanKeep.settled();
    },
    play() { command('play'); },
    pause() { command('pause'); },
    reset() { command('reset'); },
    setLearningRate(lr) { command('set_lr', lr); },
    // Trains n batches (default 1); resolves with the metrics once they are done.
    step(n = 1) {
      const target = metrics().step + n;
      command('step', n);
      return until((m) => m.step >= target && !m.running);
    },
    metrics,
    // Where each labelled control of the last frame is, in page CSS pixels (to click it as a
    // person would): {label, text, window, x, y, w, h, checked}. widget(name) matches the full
    // label, else the visible text; it returns null for a control not on screen.
    widgets() {
      const box = canvas.getBoundingClientRect();
      return JSON.parse(call('liandan_widgets')).map((w) => ({ ...w, x: w.x + box.left, y: w.y + box.top }));
    },
    widget(name) { // also by a translated control's English name (its label is 'text###English')
      const all = api.widgets();
      return all.find((w) => w.label === name) || all.find((w) => w.text === name) || all.find((w) => w.label.endsWith('###' + name)) || null;
    },
    // What the views show: the network's columns, the frame time, view settings.
    viewState() { return JSON.parse(call('liandan_view_state')); },
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
  };
  window.liandan = api;

  // The embedding page's origin where the browser tells it (Chromium, Safari), else null.
  const parentOrigin = window.parent !== window && location.ancestorOrigins?.length ? location.ancestorOrigins[0] : null;
  function emit(name, detail) {
    events.dispatchEvent(new CustomEvent(name, { detail }));
    if (window.parent === window) return;
    const message = { type: 'liandan-event', name, detail };
    if (parentOrigin) {
      try {
        if (allowedOrigins.has(parentOrigin)) window.parent.postMessage(message, parentOrigin);
      } catch { /* a parent the browser will not post to */ }
    } else {
      // The browser delivers to whichever allowed origin the parent has, and to no other.
      for (const origin of allowedOrigins) {
        try { window.parent.postMessage(message, origin); } catch { /* not that origin */ }
      }
    }
  }

  // The hash follows the experiment: when the app's URL for it changes, it replaces the page's
  // (replaceState: no reload, no history entry, no hashchange). A link as typed stays until then.
  // Each history entry the page has been at carries its place in this tab's history
  // (history.state.at), so a hashchange can tell Back and Forward (an entry with a place) from a
  // link given anew (none): Cancel then goes back to the run's own entry, where writing the kept
  // run's address over the entry Back went to would lose the link it held.
  let lastUrl = null, lastUrlCheck = 0;
  const placeOf = (state) => (state && typeof state.at === 'number' ? state.at : null);
  let at = placeOf(history.state) ?? 0; // this entry's place (a reload keeps it)
  let runAt = at; // the place of the entry that holds the run's address
  let traversed = false; // the last hashchange was Back or Forward, not a link given anew
  let returning = false; // the page itself is going back to the run's entry
  let linkAsked = false; // a link over the user's trained run waits for Open or Cancel in the app
  const mark = (url) => history.replaceState({ at }, '', url);
  // The address bar back to the experiment kept: back to its own entry after Back or Forward.
  function keepAddress(url) {
    if (traversed && runAt !== at) {
      returning = true;
      history.go(runAt - at);
    } else {
      mark(url);
      runAt = at;
    }
  }
  function syncHash(now) {
    if (now - lastUrlCheck < 250) return; // the URL is computed from the spec: a few times a second is plenty
    lastUrlCheck = now;
    const url = api.url();
    if (linkAsked) {
      if (api.viewState().link_asked) return; // the question is open: this entry holds the link asked about
      linkAsked = false;
      // Cancel: the address bar says the experiment kept. Open: the link stays as typed.
      if (url === lastUrl) return keepAddress(url);
      lastUrl = url;
      runAt = at;
      return;
    }
    // The first look only records: the link the page was opened with stays as it was typed.
    if (lastUrl !== null && url !== lastUrl && url !== location.hash) {
      mark(url);
      runAt = at;
    }
    lastUrl = url;
  }
  // A link given to the address bar: over the user's own trained run the app asks first.
  window.addEventListener('hashchange', () => {
    const place = placeOf(history.state);
    traversed = place !== null;
    at = place ?? at + 1;
    if (place === null) mark(location.hash);
    if (returning) { // back at the run's entry (its link as typed, or the run's address): nothing to ask
      returning = false;
      return;
    }
    if (!ready || location.hash === lastUrl) return;
    const err = call('liandan_link_arrived', location.hash); // a refusal is shown in the app; the run is kept
    linkAsked = !err && api.viewState().link_asked;
    if (!linkAsked) lastUrl = api.url();
    if (err) { // the address bar says the experiment in force, not a link that was refused
      emit('error', { error: err });
      keepAddress(lastUrl);
    } else if (!linkAsked) runAt = at; // opened at once: this entry holds the run now
  });
  // At start: a page opened without a hash gets its experiment's (the URL is the experiment), and
  // a refused link is replaced by the experiment that runs instead (the app says what was wrong).
  // A valid link stays as typed until the experiment changes. A reload keeps the entry's place.
  function hashAtStart() {
    runAt = at;
    if (!location.hash || location.hash === '#' || api.viewState().message.startsWith('URL ')) mark(api.url());
    else mark(location.hash);
    lastUrl = api.url();
    lastUrlCheck = performance.now();
  }

  // Files: the hidden file input (the app's Open button and liandan.openFilePicker() click it)
  // and drops on the canvas go through loadFile, one file after another so IDX pairs meet.
  const fileInput = document.createElement('input');
  fileInput.type = 'file';
  fileInput.id = 'data-file';
  fileInput.multiple = true;
  fileInput.accept = '.csv,.txt,.gz,.idx,.ubyte,.safetensors,.json,application/gzip,text/csv,application/json';
  fileInput.hidden = true;
  document.body.appendChild(fileInput);
  async function openFiles(files) {
    for (const file of files) {
      try {
        const r = await api.loadFile(file.name, await file.arrayBuffer());
        emit('file', { name: file.name, ...r });
      } catch (err) {
        emit('error', { error: String(err.message || err), file: file.name });
      }
    }
  }
  fileInput.addEventListener('change', () => {
    const files = Array.from(fileInput.files);
    fileInput.value = ''; // the same file picked again is a new change
    openFiles(files);
  });
  canvas.addEventListener('dragover', (e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; });
  canvas.addEventListener('drop', (e) => {
    e.preventDefault();
    openFiles(Array.from(e.dataTransfer.files));
  });

  // Events are derived from the metrics about 60 times a second (later), on the page's side.
  let last = null;
  function watch() {
    syncHash(performance.now());
    const m = metrics();
    if (!last || m.step_now !== last.step_now || m.step !== last.step || m.run !== last.run || m.running !== last.running) emit('metrics', m);
    if (last && m.epoch !== last.epoch) emit('epoch', m);
    if (last && m.error && m.error !== last.error) emit('error', m);
    if (last && last.running && !m.running) emit('stopped', m);
    last = m;
    later(watch);
  }

  // An embedding page drives Liandan with {type: 'liandan', id, method, args} messages and gets
  // {type: 'liandan-result', id, result | error} back.
  // Messages from other origins are dropped unanswered (an answer would tell a stranger the page
  // is there); the console says why, for the tutorial author who forgot ?origin=.
  window.addEventListener('message', async (e) => {
    const msg = e.data;
    if (!msg || msg.type !== 'liandan') return;
    if (!allowedOrigins.has(e.origin)) {
      console.warn(`liandan: ignored a command from ${e.origin}; an embedding link allows an origin with ?origin=${e.origin}`);
      return;
    }
    const reply = (body) => e.source && e.source.postMessage({ type: 'liandan-result', id: msg.id, ...body }, e.origin);
    const methods = ['load', 'spec', 'play', 'pause', 'reset', 'step', 'metrics', 'setLearningRate', 'buildInfo',
      'widgets', 'widget', 'viewState', 'loadFile', 'setTarget', 'url', 'loadUrl', 'saveExperiment', 'saveWeights',
      'newExperiment', 'exportPytorch', 'lessons', 'openLesson'];
    try {
      if (!methods.includes(msg.method)) throw new Error(`unknown method '${msg.method}'`);
      await readyPromise;
      reply({ result: await api[msg.method](...(msg.args || [])) });
    } catch (err) {
      reply({ error: String(err.message || err) });
    }
  });

  // The experiment kept from the last visit (web/keep.js), read while the app downloads: main()
  // finds it in /kept (and the uploaded files it reads in /uploads) and restores it. ?keep=0
  // neither restores nor keeps; nor does a page embedded in another (a tutorial's experiments
  // must not replace the reader's own), unless ?keep=1.
  const keep = params.has('keep') ? params.get('keep') !== '0' : window.parent === window && !params.get('embed');
  const kept = keep ? LiandanKeep.load() : Promise.resolve(null);
  const pendingFailures = [];
  LiandanScreenKeyboard.onEdit((start, end, text) => Module.ccall('liandan_text_edit', null, ['number', 'number', 'string'], [start, end, text]));
  LiandanKeep.onFailure((why) => (ready ? Module.ccall('liandan_storage_failed', null, ['string'], [why]) : pendingFailures.push(why)));

  // The experiment in the address bar opens with the app: main() reads it before the first run.
  const startHash = location.hash.replace(/^#/, '');
  window.Module = {
    canvas,
    isolation, // the status bar says how threads came, or why not

    // ?embed=output or ?embed=network: a minimal layout for a small iframe in a tutorial. The
    // language: a link's lang= (read by the app), else the browser's on a first visit.
    arguments: [...(/(^|&)lang=/.test(startHash) || !navigator.language?.toLowerCase().startsWith('zh') ? [] : ['--lang', 'zh']),...(startHash ? ['--url', startHash] : []), ...(keep ? [] : ['--fresh']),
      ...(params.get('embed') ? ['--embed', params.get('embed')] : [])],
    preRun: [() => {
      Module.addRunDependency('kept');
      kept.then((k) => {
        try {
          if (k && k.bytes) {
            Module.FS.mkdirTree('/kept');
            Module.FS.writeFile('/kept/experiment.safetensors', k.bytes);
            Module.keptExperiment = true;
            Module.FS.mkdirTree('/uploads');
            for (const u of k.uploads) Module.FS.writeFile(u.path, u.bytes);
          }
        } catch (err) {
          console.warn(`liandan: the kept experiment could not be put in place (${err.message}); a new one starts`);
        } finally {
          Module.removeRunDependency('kept'); // the app starts whatever happened
        }
      });
    }],
    fetchCatalog: (language) => (ready ? fetchCatalog(language) : readyPromise.then(() => fetchCatalog(language))),
    keepExperiment(bytes, uploads) {
      if (!keep) return;
      LiandanKeep.keep(bytes, uploads, {
        read: (path) => { try { return Module.FS.readFile(path); } catch { return null; } },
        version: (path) => { // a file dropped again under its name gets a new time
          try { const st = Module.FS.stat(path); return { size: st.size, key: `${st.size}:${+st.mtime}` }; } catch { return null; }
        },
      });
    },
    forgetExperiment() { if (keep) LiandanKeep.forget(); },
    mirrorTextField: (field) => LiandanScreenKeyboard.mirror(field),
    download(name, bytes, mime) {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([bytes], { type: mime }));
      a.download = name.split('/').pop();
      document.body.appendChild(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    },
    openFilePicker: () => fileInput.click(),
    // A named set's files, asked for by the app (platform_fetch_data): into /data once all arrived.
    fetchData(id, files) {
      const report = (name, types, args) => Module.ccall(name, null, types, args); // the app is up: it asked
      LiandanData.fetchFiles(files, (loaded, total) => report('liandan_data_progress', ['number', 'number', 'number'], [id, loaded, total]))
        .then((list) => {
          for (const { file, bytes } of list) {
            const path = `/data/${file}`;
            Module.FS.mkdirTree(path.slice(0, path.lastIndexOf('/')));
            Module.FS.writeFile(path, bytes);
          }
          report('liandan_data_fetched', ['number', 'string'], [id, '']);
        })
        .catch((err) => report('liandan_data_fetched', ['number', 'string'], [id, String(err.message || err)]));
    },
    locateFile: (path) => dir + path,
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
    onAbort: (what) => showStatus(`Liandan stopped: ${what}`, true),
    // Called by the app (platform_web.cpp) once main() has created it, so calls can go in.
    onAppReady() {
      ready = true;
      api.firstFrameMs = performance.now(); // since navigation started
      // A refused ?origin= stays in view a while longer: the embed it was meant for will not work.
      if (badOrigins.length) setTimeout(() => { status.className = 'hidden'; }, 10000);
      else status.className = 'hidden';
      canvas.focus();
      for (const why of pendingFailures.splice(0)) Module.ccall('liandan_storage_failed', null, ['string'], [why]);
      hashAtStart();
      resolveReady(api);
      emit('ready', api.buildInfo());
      fetchLateFonts();
      watch();
    },
  };
  if (badOrigins.length) {
    // Shown until the app is ready (then the status box hides), and kept in the console.
    const text = `Ignored ?origin=${badOrigins.join(', ')}: an origin is scheme://host[:port], e.g. https://course.example`;
    console.warn('liandan: ' + text);
    showStatus(text, true);
  }
  if (build === 'mt' && !self.crossOriginIsolated) {
    showStatus('The threaded build needs a cross-origin-isolated page (COOP/COEP headers); open without ?build=mt.', true);
    return;
  }
  isolateByServiceWorker().then((reloading) => {
    if (reloading) return showStatus('Loading Liandan (threaded, through the page\'s service worker)…');
    const script = document.createElement('script');
    script.src = dir + 'app.js';
    script.onerror = () => showStatus(`Could not load ${script.src}: build it with scripts/play.`, true);
    document.body.appendChild(script);
  });
})();
