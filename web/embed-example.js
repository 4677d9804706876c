// The example tutorial page's script: drives the playgrounds in its iframes over postMessage.
// Messages go to the frame's origin only, and only replies from it are read. A page on another
// origin than the playground names itself in the frame's link: index.html?origin=https://course.example
'use strict';
const frame = document.getElementById('playground');
const frameOrigin = new URL(frame.src, location.href).origin;
const log = document.getElementById('log');
let nextId = 0;
function call(method, ...args) { return callFrame(frame, method, ...args); }
function callFrame(frame, method, ...args) {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    window.addEventListener('message', function onReply(e) {
      if (e.origin !== frameOrigin || e.data?.type !== 'liandan-result' || e.data.id !== id) return;
      window.removeEventListener('message', onReply);
      e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.result);
    });
    frame.contentWindow.postMessage({ type: 'liandan', id, method, args }, frameOrigin);
  });
}
window.addEventListener('message', (e) => {
  if (e.origin !== frameOrigin) return;
  if (e.data?.type === 'liandan-event' && e.data.name === 'ready') {
    window.playgroundReady = true; // calls sent before this would find no listener in the frame
    log.textContent = 'playground ready';
  }
  if (e.data?.type === 'liandan-event' && e.data.name === 'epoch') {
    const m = e.data.detail;
    log.textContent = `epoch ${m.epoch}: train loss ${m.loss_train.toFixed(4)}, test loss ${m.loss_test.toFixed(4)}`;
  }
});
// The second frame: the lesson's two variants, from the text's buttons.
const lesson = document.getElementById('lesson');
for (const variant of ['sigmoid', 'relu'])
  document.getElementById(variant).onclick = () => callFrame(lesson, 'openLesson', 'activation', variant).then(() => callFrame(lesson, 'play'));
document.getElementById('play').onclick = () => call('play');
document.getElementById('pause').onclick = () => call('pause');
document.getElementById('xor').onclick = () => call('load', {
  data: { toy: { shape: 'xor', n: 400, noise: 0.05 } },
  model: { layers: [{ units: 4, activation: 'tanh' }, { units: 1 }] },
}).then(() => call('play')).catch((err) => { log.textContent = err.message; });
