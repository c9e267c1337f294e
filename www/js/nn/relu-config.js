// The "why ReLU is better (sometimes)" lab's URL table, presets and engine specs (pure; tested in
// tests/js/relu.test.mjs). Lecture §4: the same network trained with sigmoid, tanh and ReLU (same
// initial weights, same mini-batches, a learning rate per activation), racing to a training-error
// threshold as in Krizhevsky, Sutskever & Hinton (2012, Fig. 1: a 4-layer CNN with ReLU reached 25 %
// training error on CIFAR-10 six times faster than with tanh). Reports the epochs each needs, the
// speed-up factor, and the fraction of saturated units over training.
import { freshSeed } from '../shared/seeds.js';
import { presetEntries, pageEntries, initSpec, hiddenCheck, parseHidden, HIDDEN_RE, INIT_NAMES, SEED_MAX } from './common.js';

export const RACE_ACTS = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'gelu'];
/** Parts a link can hide (hide=) or, in embed mode, bring back (show=); each is a [data-panel]. */
/** What embed=1 hides unless show= names it: everything but the figures and their transport. */
export const EMBED_EXTRAS = ['header', 'lesson', 'table', 'saturation', 'controls', 'notes'];
export const HIDEABLE = ['header', 'lesson', 'transport', 'race', 'table', 'saturation', 'controls', 'notes'];
/** Data sets: bundled CSVs (normalized) and 2-D generators. */
export const DATASETS = {
  digits: { file: 'digits.csv', sklearn: 'load_digits', label: 'digits (8×8 images, 10 classes)' },
  wine: { file: 'wine.csv', sklearn: 'load_wine', label: 'wine (13 features, 3 classes)' },
  breast_cancer: { file: 'breast_cancer.csv', sklearn: 'load_breast_cancer', label: 'breast cancer (30 features, 2 classes)' },
  iris: { file: 'iris.csv', sklearn: 'load_iris', label: 'iris (4 features, 3 classes)' },
  spiral: { generator: true, label: 'spiral (2-D)' },
  circle: { generator: true, label: 'circle (2-D)' },
  xor: { generator: true, label: 'xor (2-D)' },
  moons: { generator: true, label: 'moons (2-D)' },
};

export const DEFAULTS = {
  data: 'digits', n: 400, noise: 0.05, hidden: '100-100-100', init: 'torch_default', 'init.std': 0.01, 'init.a': 0.1,
  runs: ['sigmoid', 'tanh', 'relu'], 'lr.sigmoid': 0.03, 'lr.tanh': 0.03, 'lr.relu': 0.03, 'lr.leaky_relu': 0.03, 'lr.gelu': 0.03,
  momentum: 0.9, batch: 32, seed: 1, thr: 0.05, epochs: 30, speed: 6000, yscale: 'linear',
  embed: false, hide: [], theme: 'auto',
};

export const PRESETS = [
  {
    id: 'krizhevsky', title: 'Krizhevsky et al.: tanh against ReLU to 25 % error',
    note: 'The paper\'s figure on a small image task: the same network, initial weights N(0, 0.3²) (large enough that many tanh units start saturated), the same small lr 0.0005 with momentum 0.9; the dashed line is 25 % training error. ReLU gets there in about one epoch, tanh needs about four: a speed-up of about 4 (the paper: 6 for a CNN on CIFAR-10).',
    values: { runs: ['tanh', 'relu'], thr: 0.25, hidden: '100-100-100', init: 'normal', 'init.std': 0.3, momentum: 0.9, 'lr.tanh': 0.0005, 'lr.relu': 0.0005, epochs: 20 },
  },
  {
    id: 'three-way', title: 'sigmoid, tanh and ReLU to 5 % error (the default)',
    note: 'PyTorch\'s default initialization, SGD with momentum 0.9, lr 0.03 for all three: the sigmoid net sits on a long plateau at 90 % error (σ′ ≤ 1/4 in every layer shrinks its gradients) and needs about 29 epochs; tanh and ReLU need one to two. On this small, shallow network tanh is even a little faster than ReLU — the "sometimes" of the lecture.',
    values: {},
  },
  {
    id: 'saturated', title: 'Weights far off: sigmoid and tanh saturate',
    note: 'Initial weights N(0, 1): the pre-activations are large, most sigmoid and tanh units start in their flat tails (saturation chart), where g′ ≈ 0; they need about 4–5 epochs to reach 10 % error, ReLU (which never saturates for positive inputs; it needs a 10 times smaller lr here, or it explodes) about one — the lecture\'s "alleviates the initial-value problem".',
    values: { init: 'normal', 'init.std': 1, 'lr.sigmoid': 0.01, 'lr.tanh': 0.01, 'lr.relu': 0.001, thr: 0.1, epochs: 30 },
  },
  {
    id: 'deep-sigmoid', title: 'Six layers deep: the sigmoid does not move',
    note: 'Six hidden layers: the sigmoid net\'s gradient is multiplied by σ′ ≤ 1/4 six times on its way to the first layer — it stays at 90 % error for all 40 epochs, while tanh (about 2 epochs) and ReLU (about 8) reach 10 %.',
    values: { hidden: '64-64-64-64-64-64', thr: 0.1, epochs: 40 },
  },
  {
    id: 'spiral', title: '2-D spiral',
    note: 'Two interleaved spirals, 400 points, three hidden layers of 32: with the same initialization and these learning rates only the ReLU net gets below 10 % error within 300 epochs (after about 80); tanh creeps down to about 18 %, and the sigmoid sits at 50 % for more than 120 epochs before it gets to about 40 %.',
    values: { data: 'spiral', hidden: '32-32-32', thr: 0.1, epochs: 300, batch: 32, 'lr.sigmoid': 0.1, 'lr.tanh': 0.05, 'lr.relu': 0.05 },
  },
];
export const PRESET_IDS = PRESETS.map((p) => p.id);
export const presetById = (id) => PRESETS.find((p) => p.id === id) || null;
export const baseFor = (id) => ({ ...DEFAULTS, ...(presetById(id)?.values || {}) });

export function buildTable(base) {
  return [
    ...presetEntries(PRESET_IDS),
    { key: 'data', type: 'enum', values: Object.keys(DATASETS), default: base.data, doc: 'data set' },
    { key: 'n', type: 'int', min: 20, max: 2000, default: base.n, resolve: (v) => (DATASETS[v.data]?.generator ? {} : null), doc: 'samples (2-D generators)' },
    { key: 'noise', type: 'number', min: 0, max: 1, default: base.noise, resolve: (v) => (DATASETS[v.data]?.generator ? {} : null), doc: 'noise sd (2-D generators)' },
    { key: 'hidden', type: 'string', maxLength: 60, pattern: HIDDEN_RE, validate: hiddenCheck(8, 512), default: base.hidden, doc: 'hidden widths, e.g. 100-100-100' },
    { key: 'init', type: 'enum', values: INIT_NAMES, default: base.init, doc: 'weight initialization (the same weights for every activation)' },
    { key: 'init.std', type: 'number', min: 0, max: 100, default: base['init.std'], resolve: (v) => (v.init === 'normal' ? {} : null) },
    { key: 'init.a', type: 'number', min: 0, max: 100, default: base['init.a'], resolve: (v) => (v.init === 'uniform' ? {} : null) },
    { key: 'runs', type: 'set', values: RACE_ACTS, default: base.runs.slice(), check: (r) => (r.length ? null : 'needs at least one activation'), doc: 'activations in the race' },
    ...RACE_ACTS.map((a) => ({ key: `lr.${a}`, type: 'number', min: 0, max: 10, minOpen: true, default: base[`lr.${a}`], resolve: (v) => (v.runs.includes(a) ? {} : null), doc: `lr of the ${a} network` })),
    { key: 'momentum', type: 'number', min: 0, max: 0.999, default: base.momentum, doc: 'SGD momentum (torch.optim.SGD)' },
    { key: 'batch', type: 'int', min: 1, max: 2000, default: base.batch, doc: 'mini-batch size' },
    { key: 'seed', type: 'int', min: 0, max: SEED_MAX, random: freshSeed, default: base.seed },
    { key: 'thr', type: 'number', min: 0, max: 1, minOpen: true, maxOpen: true, default: base.thr, doc: 'training-error threshold of the race' },
    { key: 'epochs', type: 'int', min: 1, max: 1000, default: base.epochs, doc: 'epochs at most' },
    { key: 'speed', type: 'number', min: 10, max: 1e6, default: base.speed, doc: 'steps per second per network' },
    { key: 'yscale', type: 'enum', values: ['linear', 'log'], default: base.yscale, doc: 'error axis' },
    ...pageEntries(base, HIDEABLE),
  ];
}

/** The TrainerSpec of one racer; `csv` is the data file's text (bundled data sets). */
export function raceSpec(v, act, csv, dim = null, classes = null) {
  const ds = DATASETS[v.data];
  const data = ds.generator ? { name: v.data, n: v.n, noise: v.noise, seed: v.seed } : { csv, normalize: true };
  const inDim = ds.generator ? 2 : dim, out = ds.generator ? 1 : classes;
  const o = { name: 'sgd', lr: v[`lr.${act}`] };
  if (v.momentum > 0) o.momentum = v.momentum;
  return {
    layer_sizes: [inDim, ...parseHidden(v.hidden, 8, 512), out],
    activation: act,
    loss: out > 1 ? 'cross_entropy' : 'bce_with_logits',
    init: initSpec(v),
    optimizer: o,
    batch_size: v.batch,
    seed: v.seed,
    data,
  };
}

/** Features and classes of a bundled CSV (header row, last column label). */
export function csvShape(text) {
  const lines = String(text).split(/\r?\n/).filter((l) => l.trim());
  const dim = lines[0].split(',').length - 1;
  let classes = 0;
  for (const l of lines.slice(1)) { const c = Number(l.slice(l.lastIndexOf(',') + 1)); if (c + 1 > classes) classes = c + 1; }
  return { dim, classes, n: lines.length - 1 };
}

/**
 * First epoch at which an error curve (errors[e] = training error after e epochs, e = 0..) is at or
 * below `thr`, linearly interpolated between epochs; null if never.
 */
export function epochsToThreshold(errors, thr) {
  for (let e = 0; e < errors.length; e++) {
    if (errors[e] <= thr) {
      if (e === 0) return 0;
      const a = errors[e - 1], b = errors[e];
      return a === b ? e : e - 1 + (a - thr) / (a - b);
    }
  }
  return null;
}

/** Speed-up of ReLU over another activation: epochs(other) / epochs(relu); null when undefined. */
export function speedup(epochsOther, epochsRelu) {
  if (epochsOther == null || epochsRelu == null || !(epochsRelu > 0)) return null;
  return epochsOther / epochsRelu;
}
