// The dropout lab's URL table, presets, engine specs and seed statistics (pure: no DOM, no
// engine; tested in tests/js/dropout.test.mjs). Lecture, last slides: "knocking out at random"
// (mini-batch 1, 2, 3) and "contrasting overfitting" (validation performance first improves more
// slowly, then becomes better and more resilient to overfitting). Srivastava et al. (JMLR 2014):
// a fresh mask per training case, inverted scaling ≡ weight scaling at test time, Monte-Carlo
// averaging (Fig. 11), the drop-probability sweep (Fig. 9) and the data-set-size sweep (Fig. 10).
// Calibrated on the bundled digits (../shared/research/LABS.md §3.3): a small training subset,
// the same validation images for every seed, 64-256-256-10 ReLU, SGD with momentum, raw pixel
// intensities 0–16 (standardizing each pixel over 200 images blows rare pixels up to ~14 sd, and
// dropout's 1/(1 − p) on top of that made lr 0.05 diverge and lr 0.01 overfit more with dropout).
import { freshSeed } from '../shared/seeds.js';
import { presetEntries, pageEntries, hiddenCheck, parseHidden, HIDDEN_RE, SEED_MAX } from './common.js';

/** Parts a link can hide (hide=) or, in embed mode, bring back (show=); each is a [data-panel]. */
export const HIDEABLE = ['header', 'lesson', 'transport', 'masks', 'curves', 'accuracy', 'table', 'boundary', 'sweeps', 'inference', 'mapping', 'controls', 'notes'];
/** What embed=1 hides unless show= names it. */
export const EMBED_EXTRAS = ['header', 'lesson', 'accuracy', 'table', 'boundary', 'sweeps', 'inference', 'mapping', 'controls', 'notes'];
/** The digits CSV: 1797 8×8 images; 20 % held out (359 images), the same for every seed. */
export const DIGITS = { file: 'digits.csv', n: 1797, validation_split: 0.2, split_seed: 0 };
export const N_VAL = Math.round(DIGITS.n * DIGITS.validation_split);
export const N_TRAIN_MAX = DIGITS.n - N_VAL;
/** Sweep grids. */
export const P_GRID = [0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9];
export const SIZE_GRID = [50, 100, 200, 500, 1000, N_TRAIN_MAX];
export const WIDTH_GRID = [16, 32, 64, 128, 256, 512];

export const DEFAULTS = {
  train: 200, p: 0.5, 'p.in': 0.2, gran: 'example', hidden: '256-256', lr: 0.002, momentum: 0.9, batch: 32,
  steps: 3000, every: 20, seeds: 5, seed: 1, mc: 100, loss: 'log',
  embed: false, hide: [], theme: 'auto',
};

export const PRESETS = [
  {
    id: 'overfitting', title: 'Overfitting and its cure: 200 images, dropout 0.2 / 0.5 (the default)',
    note: 'Digits (raw pixel intensities 0–16), 200 training images, 64-256-256-10 ReLU, SGD lr 0.002 with momentum 0.9, 5 seeds. Without dropout the training loss goes to almost zero and the validation loss turns up after its minimum (median ≈ 0.25 near step 600, 0.26 at the end); with dropout (inputs 0.2, hidden units 0.5) it falls more slowly and reaches a lower minimum (≈ 0.21 near the end), where it stays.',
    values: {},
  },
  {
    id: 'per-batch', title: 'The slide\'s picture: one mask per mini-batch',
    note: 'The slide drops the same units for a whole mini-batch; PyTorch\'s nn.Dropout and the paper draw a fresh mask for every example. With one mask per batch each step trains a single thinned network on 32 images: noisier steps, the same expected activation.',
    values: { gran: 'batch' },
  },
  {
    id: 'tiny', title: '100 images: a large gain',
    note: 'Half the training set: without dropout the validation loss rises further after its early minimum; dropout helps more here (the paper\'s Fig. 10 sweet spot lies between too little data to learn from and so much that there is little to overfit).',
    values: { train: 100 },
  },
  {
    id: 'too-much', title: 'p = 0.9: underfitting',
    note: 'Dropping 90 % of the hidden units: the network is too thin to fit even its training set, training and validation loss stay high (Srivastava et al., Fig. 9: small retention probabilities underfit).',
    values: { p: 0.9, 'p.in': 0 },
  },
];
export const PRESET_IDS = PRESETS.map((p) => p.id);
export const presetById = (id) => PRESETS.find((p) => p.id === id) || null;
export const baseFor = (id) => ({ ...DEFAULTS, ...(presetById(id)?.values || {}) });

export function buildTable(base) {
  return [
    ...presetEntries(PRESET_IDS),
    { key: 'train', type: 'int', min: 10, max: N_TRAIN_MAX, default: base.train, doc: `training images (the first k of the seeded training part; the same ${N_VAL} validation images)` },
    { key: 'p', type: 'number', min: 0, max: 1, default: base.p, doc: 'drop probability of the hidden units (nn.Dropout(p))' },
    { key: 'p.in', type: 'number', min: 0, max: 1, default: base['p.in'], doc: 'drop probability of the input pixels' },
    { key: 'gran', type: 'enum', values: ['example', 'batch'], default: base.gran, doc: 'a fresh mask per example (nn.Dropout) or per mini-batch (the slide)' },
    { key: 'hidden', type: 'string', maxLength: 40, pattern: HIDDEN_RE, validate: hiddenCheck(4, 1024), default: base.hidden, doc: 'hidden widths, e.g. 256-256' },
    { key: 'lr', type: 'number', min: 0, max: 1, minOpen: true, default: base.lr, doc: 'SGD learning rate' },
    { key: 'momentum', type: 'number', min: 0, max: 0.999, default: base.momentum, doc: 'SGD momentum' },
    { key: 'batch', type: 'int', min: 1, max: 512, default: base.batch, doc: 'mini-batch size' },
    { key: 'steps', type: 'int', min: 20, max: 20000, default: base.steps, doc: 'optimizer steps per run' },
    { key: 'every', type: 'int', min: 5, max: 1000, default: base.every, doc: 'evaluate every k steps' },
    { key: 'seeds', type: 'int', min: 1, max: 10, default: base.seeds, doc: 'runs per configuration (median and band)' },
    { key: 'seed', type: 'int', min: 0, max: SEED_MAX - 10, random: (max) => freshSeed(max), default: base.seed, doc: 'first seed (initial weights, mini-batches, masks); seeds seed … seed + seeds − 1' },
    { key: 'mc', type: 'int', min: 1, max: 1000, default: base.mc, doc: 'thinned networks averaged (Monte-Carlo dropout)' },
    { key: 'loss', type: 'enum', values: ['log', 'linear'], default: base.loss, doc: 'loss axis' },
    ...pageEntries(base, HIDEABLE),
  ];
}

/** The engine spec of one run: `drop` false = the same network without dropout. */
export function runSpec(v, csv, { seed, drop = true, train = v.train, p = v.p, pIn = v['p.in'], hidden = v.hidden } = {}) {
  const o = { name: 'sgd', lr: v.lr };
  if (v.momentum > 0) o.momentum = v.momentum;
  const spec = {
    layer_sizes: [64, ...parseHidden(hidden, 4, 1024), 10],
    activation: 'relu', loss: 'cross_entropy', init: 'xavier_normal', optimizer: o,
    batch_size: v.batch, seed,
    data: { csv, normalize: false, validation_split: DIGITS.validation_split, split_seed: DIGITS.split_seed, ...(train < N_TRAIN_MAX ? { train_size: train } : {}) },
  };
  if (drop && p > 0) spec.dropout = p;
  if (drop && pIn > 0) spec.input_dropout = pIn;
  if (drop && (p > 0 || pIn > 0) && v.gran === 'batch') spec.dropout_granularity = 'batch';
  return spec;
}

/** The 2-D network of the boundary panel: two moons, the hidden drop probability of the lab. */
export function moonsSpec(v) {
  const spec = { layer_sizes: [2, 64, 64, 1], activation: 'relu', loss: 'bce_with_logits', init: 'xavier_normal', optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, batch_size: 16, seed: v.seed, data: { name: 'moons', n: 200, noise: 0.25, seed: 1 } };
  if (v.p > 0) spec.dropout = v.p;
  return spec;
}

/** The seeds of a configuration. */
export const seedsOf = (v) => Array.from({ length: v.seeds }, (_, i) => v.seed + i);

/** The median of the finite values (NaN if none). */
export function median(values) {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b), m = xs.length >> 1;
  return !xs.length ? NaN : xs.length % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
}

/** Median, lowest and highest value at each index over runs (arrays of equal length; NaN ignored). */
export function band(runs) {
  const n = Math.max(0, ...runs.map((r) => r.length));
  const med = new Float64Array(n), lo = new Float64Array(n), hi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const xs = runs.map((r) => r[i]).filter(Number.isFinite);
    med[i] = median(xs);
    lo[i] = xs.length ? Math.min(...xs) : NaN; hi[i] = xs.length ? Math.max(...xs) : NaN;
  }
  return { med, lo, hi };
}

/** The index of the smallest finite value (first one on ties), or -1. */
export function argmin(a) {
  let k = -1;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]) && (k < 0 || a[i] < a[k])) k = i;
  return k;
}

/** The slide's notation next to PyTorch's for drop probability p. */
export function mapping(v) {
  const keep = (p) => Number((1 - p).toFixed(6));
  const layers = [];
  if (v['p.in'] > 0) layers.push(`nn.Dropout(p=${v['p.in']})`);
  const widths = [64, ...parseHidden(v.hidden, 4, 1024)];
  for (let l = 1; l < widths.length; l++) {
    layers.push(`nn.Linear(${widths[l - 1]}, ${widths[l]})`, 'nn.ReLU()');
    if (v.p > 0) layers.push(`nn.Dropout(p=${v.p})`);
  }
  layers.push(`nn.Linear(${widths[widths.length - 1]}, 10)`);
  return { keepIn: keep(v['p.in']), keep: keep(v.p), code: `net = nn.Sequential(\n    ${layers.join(',\n    ')},\n)` };
}
