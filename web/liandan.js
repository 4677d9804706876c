// Loads the Liandan wasm app into the page and exposes window.liandan (DESIGN.md contract 5):
// load(spec), spec(), play(), pause(), step(n), reset(), metrics(), setLearningRate(lr), events
// ('ready', 'metrics', 'epoch', 'error', 'stopped'), and the same over postMessage for iframes.
'use strict';
(function () {
  const params = new URLSearchParams(location.search);
  // Threads need a cross-origin-isolated page; elsewhere the single-threaded build runs.
  const build = params.get('build') || (self.crossOriginIsolated ? 'mt' : 'st');
  const dir = `wasm/${build}/`;
  const status = document.getElementById('status');
  const canvas = document.getElementById('canvas');

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

  // Resolves when predicate(metrics) holds, rejects when training stops with an error.
  function until(predicate) {
    return new Promise((resolve, reject) => {
      function check() {
        const m = metrics();
        if (predicate(m)) return resolve(m);
        if (m.error) return reject(new Error(m.error));
        requestAnimationFrame(check);
      }
      check();
    });
  }

  const api = {
    ready: readyPromise,
    build,
    buildInfo() { return JSON.parse(call('liandan_build_info')); },
    // Loads a spec (object or JSON text). Throws at once for a malformed spec, naming the key;
    // the promise resolves when the new run is live, or rejects with what the data or the
    // model's shapes refused (the current run is kept then).
    load(spec) {
      const loads = metrics().loads;
      const err = call('liandan_load', typeof spec === 'string' ? spec : JSON.stringify(spec));
      if (err) throw new Error(err);
      return new Promise((resolve, reject) => {
        (function check() {
          const m = metrics();
          if (m.loads <= loads) return requestAnimationFrame(check);
          m.error ? reject(new Error(m.error)) : resolve(m);
        })();
      });
    },
    spec() { return JSON.parse(call('liandan_spec')); },
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
    widget(name) {
      const all = api.widgets();
      return all.find((w) => w.label === name) || all.find((w) => w.text === name) || null;
    },
    // What the views show: the network's columns, the frame time, view settings.
    viewState() { return JSON.parse(call('liandan_view_state')); },
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
  };
  window.liandan = api;

  function emit(name, detail) {
    events.dispatchEvent(new CustomEvent(name, { detail }));
    if (window.parent !== window) window.parent.postMessage({ type: 'liandan-event', name, detail }, '*');
  }

  // Events are derived from the metrics once per animation frame, on the page's side.
  let last = null;
  function watch() {
    const m = metrics();
    if (!last || m.step !== last.step || m.run !== last.run || m.running !== last.running) emit('metrics', m);
    if (last && m.epoch !== last.epoch) emit('epoch', m);
    if (last && m.error && m.error !== last.error) emit('error', m);
    if (last && last.running && !m.running) emit('stopped', m);
    last = m;
    requestAnimationFrame(watch);
  }

  // An embedding page drives Liandan with {type: 'liandan', id, method, args} messages and gets
  // {type: 'liandan-result', id, result | error} back.
  window.addEventListener('message', async (e) => {
    const msg = e.data;
    if (!msg || msg.type !== 'liandan') return;
    const reply = (body) => e.source && e.source.postMessage({ type: 'liandan-result', id: msg.id, ...body }, '*');
    const methods = ['load', 'spec', 'play', 'pause', 'reset', 'step', 'metrics', 'setLearningRate', 'buildInfo', 'widgets', 'widget', 'viewState'];
    try {
      if (!methods.includes(msg.method)) throw new Error(`unknown method '${msg.method}'`);
      await readyPromise;
      reply({ result: await api[msg.method](...(msg.args || [])) });
    } catch (err) {
      reply({ error: String(err.message || err) });
    }
  });

  window.Module = {
    canvas,
    locateFile: (path) => dir + path,
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
    onAbort: (what) => showStatus(`Liandan stopped: ${what}`, true),
    // Called by the app (platform_web.cpp) once main() has created it, so calls can go in.
    onAppReady() {
      ready = true;
      api.firstFrameMs = performance.now(); // since navigation started
      status.className = 'hidden';
      canvas.focus();
      resolveReady(api);
      emit('ready', api.buildInfo());
      requestAnimationFrame(watch);
    },
  };
  if (build === 'mt' && !self.crossOriginIsolated) {
    showStatus('The threaded build needs a cross-origin-isolated page (COOP/COEP headers); open without ?build=mt.', true);
    return;
  }
  const script = document.createElement('script');
  script.src = dir + 'app.js';
  script.onerror = () => showStatus(`Could not load ${script.src}: build it with scripts/play.`, true);
  document.body.appendChild(script);
})();
