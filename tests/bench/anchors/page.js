// Runs in headless Chromium (tests/bench/browser.mjs): the engine's Trainer next to the two anchors
// of ../shared/PERF.md — TensorFlow.js wasm-SIMD and plain Rust ndarray → wasm32 + simd128 — on the
// same nets, data and Adam settings, full fixed batch. The engines are measured in alternation
// (A B C A B C …, `rounds` times), so a ratio holds while the shared machine's speed drifts; a
// ratio is the median of the per-round ratios.

export const NETS = {
  small: { sizes: [2, 8, 8, 1], hidden: 'tanh', loss: 'mse', batch: 32, idx: 0 },
  medium: { sizes: [2, 64, 64, 64, 1], hidden: 'relu', loss: 'mse', batch: 256, idx: 1 },
  wide: { sizes: [784, 256, 128, 10], hidden: 'relu', loss: 'softmax_ce', batch: 256, idx: 2 },
};

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The anchors' data: X uniform in [−1, 1]; labels x0·x1 > 0 (±1) or a random class (one-hot). */
function makeData(net) {
  const B = net.batch, nin = net.sizes[0], nout = net.sizes.at(-1), rnd = mulberry32(1);
  const X = new Float32Array(B * nin), Y = new Float32Array(B * nout);
  for (let i = 0; i < X.length; i++) X[i] = 2 * rnd() - 1;
  for (let r = 0; r < B; r++) {
    if (net.loss === 'softmax_ce') Y[r * nout + Math.floor(rnd() * nout)] = 1;
    else Y[r] = X[r * nin] * X[r * nin + 1] > 0 ? 1 : -1;
  }
  return { X, Y };
}

function glorot(net) {
  const rnd = mulberry32(42);
  return net.sizes.slice(1).map((fo, l) => {
    const fi = net.sizes[l], s = Math.sqrt(6 / (fi + fo));
    return Float32Array.from({ length: fi * fo }, () => s * (2 * rnd() - 1));
  });
}

const median = (a) => { const s = [...a].sort((x, y) => x - y), n = s.length; return n % 2 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const tick = () => new Promise((r) => setTimeout(r, 0));

/** Calls per second of step(): warm-up, then one window of ≥ minMs (sync() at its end). */
async function rate(step, sync, minMs) {
  let t0 = performance.now(), n = 0;
  do { step(); n++; } while (performance.now() - t0 < 150 || n < 2);
  if (sync) sync();
  const chunk = Math.max(1, Math.floor(5 / ((performance.now() - t0) / n)));
  await tick();
  let calls = 0, el;
  const t = performance.now();
  for (;;) {
    for (let c = 0; c < chunk; c++) step();
    calls += chunk;
    if (sync) sync();
    el = performance.now() - t;
    if (el >= minMs && calls >= 3) break;
  }
  return (calls * 1000) / el;
}

export async function compare({ rounds = 5, minMs = 400 } = {}) {
  const E = await (await import('/js/shared/engine.js')).loadEngine();
  const variant = (await import('/js/shared/pool.js')).engineVariant();
  const { tf, wasm, makeTfTrainer } = await import('/anchors/tfjs.js');
  wasm.setWasmPaths('/anchors/tfjs/');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to start');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const { instance } = await WebAssembly.instantiateStreaming(fetch('/anchors/anchors_ndarray.wasm'), {});
  const nd = instance.exports;
  const out = { variant, tfjs: `tfjs-backend-wasm ${tf.version_core} (${simd ? 'SIMD' : 'no SIMD'}, 1 thread)`, nets: {} };
  for (const [name, net] of Object.entries(NETS)) {
    const { X, Y } = makeData(net), B = net.batch, d = net.sizes[0], k = net.sizes.at(-1);
    const inputs = [], labels = [];
    for (let r = 0; r < B; r++) {
      inputs.push(Array.from(X.subarray(r * d, (r + 1) * d)));
      labels.push(k > 1 ? Y.subarray(r * k, (r + 1) * k).indexOf(1) : +(Y[r] > 0));
    }
    const spec = { layer_sizes: net.sizes, activation: net.hidden, loss: net.loss === 'mse' ? 'mse' : 'cross_entropy',
      init: 'xavier_uniform', optimizer: { name: 'adam', lr: 0.01, eps: 1e-7 }, batch_size: B, data: { inputs, labels } };
    let t = new E.Trainer(spec);
    const tfj = makeTfTrainer(net, B, X, Y, glorot(net));
    const engines = {
      engine: { step: () => t.step(1), reset: () => { t.free(); t = new E.Trainer(spec); } },
      tfjs: { step: tfj.step, sync: tfj.sync },
      ndarray: { step: () => nd.anchors_steps(1), reset: () => nd.anchors_init(net.idx, B) },
    };
    const rates = { engine: [], tfjs: [], ndarray: [] };
    for (let r = 0; r < rounds; r++) {
      for (const [e, x] of Object.entries(engines)) {
        if (x.reset) x.reset();
        rates[e].push(await rate(x.step, x.sync, minMs));
      }
    }
    t.free();
    tfj.dispose();
    const ratio = (a, b) => median(rates[a].map((x, i) => x / rates[b][i]));
    const macs = net.sizes.slice(1).reduce((s, fo, l) => s + net.sizes[l] * fo, 0);
    out.nets[`${name} ${net.sizes.join('-')} ${net.hidden} B${B}`] = {
      engine: median(rates.engine), tfjs: median(rates.tfjs), ndarray: median(rates.ndarray),
      vsTfjs: ratio('engine', 'tfjs'), vsNdarray: ratio('engine', 'ndarray'), flop: 6 * B * macs,
    };
  }
  return out;
}
