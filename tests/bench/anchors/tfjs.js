// The TensorFlow.js anchor of ../shared/PERF.md (ported from shared/anchors/lib/tfjs_entry.js and
// tfjs_mlp.js): tfjs-core with its gradients and the wasm backend (XNNPACK, SIMD), an MLP built
// from variables and tf.fused.matMul (what tf.layers' Dense uses), trained by tf.train.adam.
// Bundled by esbuild into bench-out/anchors/tfjs.js by `./build.sh bench`.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as wasm from '@tensorflow/tfjs-backend-wasm';

export { tf, wasm };

/** A trainer for `net` ({sizes, hidden, loss}) on the full batch (X, Y), Adam(lr 0.01, eps 1e-7). */
export function makeTfTrainer(net, batch, X, Y, weights) {
  const n = net.sizes.length - 1;
  const Ws = [], bs = [];
  for (let l = 0; l < n; l++) {
    const fi = net.sizes[l], fo = net.sizes[l + 1];
    Ws.push(tf.variable(tf.tensor2d(weights[l], [fi, fo]), true, `W${l}`));
    bs.push(tf.variable(tf.zeros([fo]), true, `b${l}`));
  }
  const nin = net.sizes[0], nout = net.sizes[n];
  const x = tf.tensor2d(X, [batch, nin]);
  const y = tf.tensor2d(Y, [batch, nout]);
  const opt = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
  const lossFn = () => {
    let h = x;
    for (let l = 0; l < n; l++) {
      if (l === n - 1) h = tf.fused.matMul({ a: h, b: Ws[l], bias: bs[l] });
      else if (net.hidden === 'relu') h = tf.fused.matMul({ a: h, b: Ws[l], bias: bs[l], activation: 'relu' });
      else h = tf.tanh(tf.fused.matMul({ a: h, b: Ws[l], bias: bs[l] })); // fused grads: linear/relu only
    }
    return net.loss === 'mse' ? tf.losses.meanSquaredError(y, h) : tf.losses.softmaxCrossEntropy(y, h);
  };
  return {
    step: () => tf.tidy(() => { opt.minimize(lossFn, false); }),
    sync: () => Ws[0].dataSync(),
    dispose: () => { opt.dispose(); x.dispose(); y.dispose(); Ws.forEach((v) => v.dispose()); bs.forEach((v) => v.dispose()); },
  };
}
