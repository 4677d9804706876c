// The peers' side of scripts/bench-peers, run in the page scripts/peers/harness.html: Liandan's
// workloads (liandan-bench --workloads) built in TensorFlow.js and ConvNetJS, trained on the same
// data for a fixed wall time. window.runPeer(job) resolves with what was measured, or with
// { error } when an engine cannot train a workload.

// --- data: the same MNIST files the playground uses (IDX, gzip), and TensorFlow Playground's spiral
async function idx(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  const dims = bytes[3];
  const view = new DataView(bytes.buffer);
  const shape = [];
  for (let i = 0; i < dims; i++) shape.push(view.getUint32(4 + 4 * i));
  return { shape, data: bytes.subarray(4 + 4 * dims) };
}

let mnistCache = null;
async function mnist() {
  if (mnistCache) return mnistCache;
  const part = async (images, labels) => {
    const im = await idx(`/data/mnist/${images}`), lb = await idx(`/data/mnist/${labels}`);
    const x = new Float32Array(im.data.length);
    for (let i = 0; i < x.length; i++) x[i] = im.data[i] / 255;
    return { n: im.shape[0], x, y: Int32Array.from(lb.data) };
  };
  mnistCache = { train: await part('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'),
                 test: await part('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz') };
  return mnistCache;
}

// Two interleaved arms, labels -1 and 1 (the 2-8-8-1 tanh net regresses them with MSE), as
// core/data/toy.cpp makes them; 250 of the 500 points train.
function spiral(n = 500, noise = 0) {
  const x = new Float32Array(2 * n), y = new Float32Array(n);
  let k = 0;
  for (let cls = 0; cls < 2; cls++) {
    const count = cls === 1 ? n / 2 : n - n / 2, delta = cls === 1 ? 0 : Math.PI;
    for (let i = 0; i < count; i++, k++) {
      const r = (i / count) * 5, t = ((1.75 * i) / count) * 2 * Math.PI + delta;
      x[2 * k] = r * Math.sin(t) + (Math.random() * 2 - 1) * noise;
      x[2 * k + 1] = r * Math.cos(t) + (Math.random() * 2 - 1) * noise;
      y[k] = cls === 1 ? 1 : -1;
    }
  }
  const order = [...Array(n).keys()].sort(() => Math.random() - 0.5).slice(0, n / 2);
  return { n: n / 2, x: Float32Array.from(order.flatMap((i) => [x[2 * i], x[2 * i + 1]])), y: Float32Array.from(order.map((i) => y[i])) };
}

// Lets the page handle its events every 50 ms. Not setTimeout(0): nested timeouts wait at least
// 4 ms each, which capped the small workloads at a few thousand steps a second.
const breathe = () => new Promise((resolve) => { const c = new MessageChannel(); c.port1.onmessage = resolve; c.port2.postMessage(0); });

const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;

// Trains with step() until `seconds` of wall time after `warmup` seconds; step() returns the
// batch's loss (a number, or a promise of one). Losses are read every `readEvery` steps only,
// so an engine that queues work (webgl) is not made to wait on each step.
async function timed(step, { seconds, warmup, samplesPerStep, readEvery = 1, finish = async () => {} }) {
  const losses = [];
  let steps = 0;
  const t0 = performance.now();
  let tStart = 0, stepsAtStart = 0, lastYield = t0;
  for (;;) {
    const read = steps % readEvery === 0;
    const loss = await step(read);
    if (read && loss !== undefined) losses.push({ step: steps, loss });
    steps++;
    const now = performance.now();
    if (!tStart && now - t0 >= warmup * 1000) { await finish(); tStart = performance.now(); stepsAtStart = steps; }
    if (tStart && now - tStart >= seconds * 1000) break;
    if (now - lastYield > 50) { await breathe(); lastYield = performance.now(); }
  }
  await finish();
  const wall = (performance.now() - tStart) / 1000;
  const n = Math.max(1, Math.min(20, Math.floor(losses.length / 4)));
  return { steps: steps - stepsAtStart, wall_s: wall, per_s: ((steps - stepsAtStart) * samplesPerStep) / wall,
           loss: [mean(losses.slice(0, n).map((l) => l.loss)), mean(losses.slice(-n).map((l) => l.loss))] };
}

// --- TensorFlow.js
async function useBackend(backend, threads) {
  if (backend === 'wasm') {
    tf.wasm.setWasmPaths('/npm/@tensorflow/tfjs-backend-wasm/dist/');
    if (threads) tf.wasm.setThreadsCount(threads);
  }
  await tf.setBackend(backend);
  await tf.ready();
}

function tfModel(workload) {
  const L = tf.layers;
  if (workload === 'W1') return tf.sequential({ layers: [
    L.dense({ inputShape: [784], units: 128, activation: 'relu' }), L.dense({ units: 64, activation: 'relu' }), L.dense({ units: 10 })] });
  if (workload === 'W2') return tf.sequential({ layers: [
    L.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }),
    L.conv2d({ filters: 16, kernelSize: 5, padding: 'same', activation: 'relu' }), L.maxPooling2d({ poolSize: 3 }),
    L.flatten(), L.dense({ units: 10 })] });
  if (workload === 'W3') return tf.sequential({ layers: [
    L.dense({ inputShape: [2], units: 8, activation: 'tanh' }), L.dense({ units: 8, activation: 'tanh' }), L.dense({ units: 1 })] });
  // The playground's LeNet-like net for MNIST digits (core/data/catalog.cpp), for time to 98%.
  return tf.sequential({ layers: [
    L.conv2d({ inputShape: [28, 28, 1], filters: 12, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: 'heNormal' }),
    L.maxPooling2d({ poolSize: 2 }),
    L.conv2d({ filters: 24, kernelSize: 5, activation: 'relu', kernelInitializer: 'heNormal' }), L.maxPooling2d({ poolSize: 2 }),
    L.flatten(), L.dense({ units: 120, activation: 'relu', kernelInitializer: 'heNormal' }), L.dropout({ rate: 0.4 }),
    L.dense({ units: 84, activation: 'relu', kernelInitializer: 'heNormal' }), L.dense({ units: 10 })] });
}

async function tfData(workload) {
  if (workload === 'W3') {
    const s = spiral();
    return { n: s.n, x: tf.tensor2d(s.x, [s.n, 2]), y: tf.tensor2d(s.y, [s.n, 1]) };
  }
  const { train, test } = await mnist();
  const shape = workload === 'W1' ? [train.n, 784] : [train.n, 28, 28, 1];
  const testShape = workload === 'W1' ? [test.n, 784] : [test.n, 28, 28, 1];
  return { n: train.n, x: tf.tensor(train.x, shape), y: tf.oneHot(tf.tensor1d(train.y, 'int32'), 10).toFloat(),
           testX: tf.tensor(test.x, testShape), testY: test.y };
}

const batchOf = { W1: 64, W2: 32, W3: 10, lenet: 32 };

async function tfRun({ backend, threads, workload, seconds, warmup, untilAccuracy, capSeconds }) {
  await useBackend(backend, threads);
  const model = tfModel(workload);
  const data = await tfData(workload);
  const optimizer = workload === 'W3' ? tf.train.sgd(0.03) : tf.train.adam(workload === 'lenet' ? 0.002 : 0.001);
  const batch = batchOf[workload];
  const lossOf = (xb, yb) => (workload === 'W3' ? tf.losses.meanSquaredError(yb, model.apply(xb))
                                                : tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true })));
  let order = [], at = 0;
  const nextBatch = () => {
    if (at + batch > order.length) { order = tf.util.createShuffledIndices(data.n); at = 0; }
    const idx = tf.tensor1d(Int32Array.from(order.subarray(at, at + batch)), 'int32');
    at += batch;
    return idx;
  };
  const step = async (read) => {
    const cost = tf.tidy(() => {
      const idx = nextBatch();
      return optimizer.minimize(() => lossOf(tf.gather(data.x, idx), tf.gather(data.y, idx)), true);
    });
    const value = read ? (await cost.data())[0] : undefined;
    cost.dispose();
    return value;
  };
  if (untilAccuracy) return toAccuracy(step, () => tf.tidy(() => {
    const predicted = model.predict(data.testX).argMax(-1).dataSync();
    let right = 0;
    for (let i = 0; i < predicted.length; i++) right += predicted[i] === data.testY[i];
    return right / predicted.length;
  }), { untilAccuracy, capSeconds, samplesPerStep: batch, epochSteps: Math.floor(data.n / batch) });
  return timed(step, { seconds, warmup, samplesPerStep: workload === 'W3' ? 1 : batch, readEvery: backend === 'webgl' ? 20 : 1,
                       finish: async () => { const t = tf.zeros([1]); await t.data(); t.dispose(); } });
}

// Trains until the test accuracy reaches the goal (checked every half epoch, the checks' time not
// counted) or the cap; the curve is [seconds, epoch, accuracy] points.
async function toAccuracy(step, accuracy, { untilAccuracy, capSeconds, samplesPerStep, epochSteps }) {
  const curve = [];
  let trained = 0, steps = 0;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < epochSteps / 2; i++, steps++) {
      await step(false);
      if (i % 16 === 15) await breathe();
    }
    trained += (performance.now() - t) / 1000;
    const a = accuracy();
    curve.push([+trained.toFixed(2), +(steps / epochSteps).toFixed(2), +a.toFixed(4)]);
    if (a >= untilAccuracy) return { reached: true, seconds: trained, accuracy: a, curve };
    if (trained >= capSeconds) return { reached: false, seconds: trained, accuracy: a, curve };
  }
}

// --- ConvNetJS: per-sample training, weights updated every batch. Its npm release (0.3.0) has no
// Adam: Adadelta, as its MNIST demo trains.
function cnjLayers(workload) {
  if (workload === 'W1') return [{ type: 'input', out_sx: 1, out_sy: 1, out_depth: 784 }, { type: 'fc', num_neurons: 128, activation: 'relu' },
    { type: 'fc', num_neurons: 64, activation: 'relu' }, { type: 'softmax', num_classes: 10 }];
  if (workload === 'W2') return [{ type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
    { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 2, activation: 'relu' }, { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 2, activation: 'relu' }, { type: 'pool', sx: 3, stride: 3 },
    { type: 'softmax', num_classes: 10 }];
  if (workload === 'W3') return [{ type: 'input', out_sx: 1, out_sy: 1, out_depth: 2 }, { type: 'fc', num_neurons: 8, activation: 'tanh' },
    { type: 'fc', num_neurons: 8, activation: 'tanh' }, { type: 'regression', num_neurons: 1 }];
  return [{ type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
    { type: 'conv', sx: 5, filters: 12, stride: 1, pad: 2, activation: 'relu' }, { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 5, filters: 24, stride: 1, pad: 0, activation: 'relu' }, { type: 'pool', sx: 2, stride: 2 },
    { type: 'fc', num_neurons: 120, activation: 'relu', drop_prob: 0.4 }, { type: 'fc', num_neurons: 84, activation: 'relu' },
    { type: 'softmax', num_classes: 10 }];
}

async function convnetjsRun({ workload, seconds, warmup, untilAccuracy, capSeconds }) {
  const net = new convnetjs.Net();
  net.makeLayers(cnjLayers(workload));
  const batch = batchOf[workload];
  const trainer = new convnetjs.Trainer(net, workload === 'W3' ? { method: 'sgd', learning_rate: 0.03, momentum: 0, batch_size: batch }
                                                               : { method: 'adadelta', batch_size: batch, l2_decay: 0 });
  let vols, labels, n, test = null;
  if (workload === 'W3') {
    const s = spiral();
    n = s.n;
    vols = Array.from({ length: n }, (_, i) => { const v = new convnetjs.Vol(1, 1, 2, 0); v.w.set(s.x.subarray(2 * i, 2 * i + 2)); return v; });
    labels = Array.from(s.y, (v) => [v]);
  } else {
    const { train, test: t } = await mnist();
    const vol = (x, i) => {
      const v = workload === 'W1' ? new convnetjs.Vol(1, 1, 784, 0) : new convnetjs.Vol(28, 28, 1, 0);
      v.w.set(x.subarray(784 * i, 784 * (i + 1)));
      return v;
    };
    n = train.n;
    vols = Array.from({ length: n }, (_, i) => vol(train.x, i));
    labels = Array.from(train.y);
    test = { vols: Array.from({ length: t.n }, (_, i) => vol(t.x, i)), y: t.y };
  }
  let at = 0;
  const step = (read) => { // one batch of per-sample updates
    let loss = 0;
    for (let b = 0; b < batch; b++, at = (at + 1) % n) loss += trainer.train(vols[at], labels[at]).loss;
    return read ? loss / batch : undefined;
  };
  if (untilAccuracy) return toAccuracy(step, () => {
    let right = 0;
    for (let i = 0; i < test.vols.length; i++) { net.forward(test.vols[i]); right += net.getPrediction() === test.y[i]; }
    return right / test.vols.length;
  }, { untilAccuracy, capSeconds, samplesPerStep: batch, epochSteps: Math.floor(n / batch) });
  return timed(step, { seconds, warmup, samplesPerStep: workload === 'W3' ? 1 : batch });
}

window.runPeer = async (job) => {
  try {
    return job.engine === 'convnetjs' ? await convnetjsRun(job) : await tfRun(job);
  } catch (e) {
    return { error: String(e && e.message ? e.message : e).split('\n')[0] };
  }
};
window.harnessReady = true;
