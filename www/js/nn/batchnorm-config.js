// The batch-normalization lab's URL table, presets, engine specs and PyTorch mapping (pure: no
// DOM, no engine; tested in tests/js/batchnorm.test.mjs). Lecture, "batch normalization":
// μ_B, σ_B² (biased) over the mini-batch, x̂ = (x − μ_B)/√(σ_B² + ε), BN(x) = γx̂ + β; moving
// averages MA(μ)⁽ᵗ⁾ = δ·μ_B⁽ᵗ⁾ + (1 − δ)·MA(μ)⁽ᵗ⁻¹⁾ with MA(μ)⁽¹⁾ = μ_B⁽¹⁾ for inference; "smoother
// loss, higher learning rates"; Ioffe & Szegedy (2015) Fig. 1: test accuracy and the 15/50/85th
// percentiles of a last-hidden-layer sigmoid's input. Calibrated on the bundled digits
// (../shared/research/LABS.md §2.3, re-measured with the engine): pixels/16, 64-100-100-100-10
// sigmoid, batch 60, plain SGD, weights N(0, σ²), batch norm between each hidden Dense layer and
// its sigmoid.
import { freshSeed } from '../shared/seeds.js';
import { presetEntries, pageEntries, SEED_MAX } from './common.js';
import { pyNum } from '../shared/export.js';

/** Parts a link can hide (hide=) or, in embed mode, bring back (show=); each is a [data-panel]. */
export const HIDEABLE = ['header', 'lesson', 'transport', 'accuracy', 'percentiles', 'sweep', 'inference', 'running', 'smooth', 'scale', 'saturation', 'mapping', 'controls', 'notes'];
/** What embed=1 hides unless show= names it. */
export const EMBED_EXTRAS = ['header', 'lesson', 'sweep', 'inference', 'running', 'smooth', 'scale', 'saturation', 'mapping', 'controls', 'notes'];
/** The digits CSV: 1797 8×8 images with pixels 0–16, scaled to [0, 1]; 20 % held out (359), the same for every seed. */
export const DIGITS = { file: 'digits.csv', n: 1797, validation_split: 0.2, split_seed: 0, scale: 1 / 16 };
export const N_VAL = Math.round(DIGITS.n * DIGITS.validation_split);
export const SIZES = [64, 100, 100, 100, 10];
/** The last hidden layer (Fig. 1(b, c)): index 2 of the Dense layers. */
export const LAST_HIDDEN = SIZES.length - 3;
/** Step sizes of the smoothness probe, as multiples of the learning rate (Santurkar et al. probe up to a few lr). */
export const PROBE_MULTIPLES = [0.25, 0.5, 1, 2, 4];
/** The relative-loss figure's step sizes (Bjorck et al.): 10⁻³ … 10², 4 per decade. */
export const BJORCK_ETAS = Array.from({ length: 21 }, (_, i) => Number((10 ** (-3 + i / 4)).toPrecision(3)));
/** The weight-scale factors a of W (and b) of hidden layer 2. */
export const SCALES = [0.1, 0.2, 0.5, 1, 2, 5, 10];
export const RUNNING = ['torch', 'lecture', 'cumulative'];
export const RUNNING_LABELS = {
  torch: 'PyTorch: start at 0 and 1, then δ',
  lecture: 'lecture: MA⁽¹⁾ = μ_B⁽¹⁾, then δ',
  cumulative: 'cumulative average (momentum=None)',
};

export const DEFAULTS = {
  sigma: 0.1, lr: 0.5, batch: 60, steps: 2000, every: 20, seeds: 3, seed: 1, unit: 0,
  running: 'torch', delta: 0.1, mode: 'eval', place: 'before',
  lrs: '0.1, 0.5, 2, 8', 'sweep.steps': 600, 'sweep.seeds': 2,
  embed: false, hide: [], theme: 'auto',
};

export const PRESETS = [
  {
    id: 'paper', title: 'Ioffe & Szegedy Fig. 1: a small Gaussian initialization (the default)',
    note: 'Two 64-100-100-100-10 sigmoid networks from the same initial weights N(0, 0.1²) and the same mini-batches of 60 digits, SGD lr 0.5; one has BatchNorm1d before every sigmoid. Without it the network sits at chance for several hundred steps while its sigmoid inputs drift; with it the validation accuracy passes 0.9 within 50 steps and the 15/50/85th percentiles stay put. (The paper does not give σ, the optimizer or the learning rate; these are calibrated on the digits.)',
    values: {},
  },
  {
    id: 'r2rt', title: 'N(0, 1) weights, as the most-copied reproduction (R2RT)',
    note: 'Weights N(0, 1) and lr 0.6 (R2RT\'s lr 0.01 on a loss summed over batches of 60 is lr 0.6 on PyTorch\'s mean). The plain network now trains almost as fast; the difference moves to the percentiles: without batch norm the sigmoid inputs spread to −8…2 and many units saturate, with it they stay near −1.5…1.5.',
    values: { sigma: 1, lr: 0.6 },
  },
  {
    id: 'high-lr', title: 'Higher learning rates: lr = 8',
    note: 'At lr 8 the plain network\'s sigmoids saturate within a few steps (inputs near −20, gradients ≈ 0) and it stays at chance; the batch-normalized one trains to the same accuracy as at lr 0.5. The sweep below shows the whole range.',
    values: { lr: 8 },
  },
  {
    id: 'running-init', title: 'Running statistics at the start: PyTorch\'s 0 and 1 vs the lecture\'s first batch',
    note: 'Evaluated every step for the first 150 steps: with PyTorch\'s start (running mean 0, variance 1, δ = 0.1) model.eval() normalizes with statistics that still remember the start — the eval-mode accuracy lags the train-mode one early on. Switch the running statistics to the lecture\'s MA⁽¹⁾ = μ_B⁽¹⁾ and the gap closes at once.',
    values: { steps: 150, every: 1, seeds: 1 },
  },
  {
    id: 'bn-after', title: 'Batch norm after the sigmoid (common practice) instead of before it',
    note: 'The same pairs with BatchNorm1d after every sigmoid: it normalizes the sigmoid outputs the next layer reads, so the followed sigmoid\'s input is a raw Wu + b again — not pinned to γx̂ + β, yet steady, because every u it sums is normalized. It trains about as fast as the paper\'s placement (on 3 pairs: 0.94 at step 50 against 0.93, 0.972 at step 2000 against 0.981). The weight-scale panel shows what it loses: scaling W now moves the loss. Switch "batch norm" back to "before σ" to compare.',
    values: { place: 'after' },
  },
  {
    id: 'paper-length', title: 'The paper\'s length: 50 000 steps',
    note: '50 000 steps of 60 images (about 2100 epochs of the 1438 training digits), one seed, evaluated every 500 steps. Both networks end near the same accuracy — the gain of batch norm is in how fast it gets there (as in the paper: 0.978 vs 0.975 at the end in a faithful reproduction).',
    values: { steps: 50000, every: 500, seeds: 1 },
  },
];
export const PRESET_IDS = PRESETS.map((p) => p.id);
export const presetById = (id) => PRESETS.find((p) => p.id === id);
export const baseFor = (id) => ({ ...DEFAULTS, ...(presetById(id)?.values || {}) });

/** "0.1, 0.5, 2, 8" → [0.1, 0.5, 2, 8]; throws on anything else (1–8 rates, each in (0, 100]). */
export function parseRates(s) {
  const parts = String(s).split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (!parts.length || parts.length > 8) throw new Error('1 to 8 learning rates separated by commas, e.g. 0.1, 0.5, 2, 8');
  return parts.map((p) => {
    const x = /^[0-9]*\.?[0-9]+(e[-+]?[0-9]+)?$/i.test(p) ? Number(p) : NaN;
    if (!(x > 0 && x <= 100)) throw new Error(`"${p.slice(0, 12)}" is not a learning rate in (0, 100]`);
    return x;
  });
}
const ratesCheck = (s) => { try { parseRates(s); return null; } catch (e) { return e.message; } };

export function buildTable(base) {
  return [
    ...presetEntries(PRESET_IDS),
    { key: 'sigma', type: 'number', min: 0, max: 10, minOpen: true, default: base.sigma, doc: 'σ of the initial weights N(0, σ²) (biases 0)' },
    { key: 'lr', type: 'number', min: 0, max: 100, minOpen: true, default: base.lr, doc: 'SGD learning rate' },
    { key: 'batch', type: 'int', min: 2, max: 500, default: base.batch, doc: 'mini-batch size m (batch norm needs m ≥ 2)' },
    { key: 'steps', type: 'int', min: 10, max: 50000, default: base.steps, doc: 'optimizer steps per run' },
    { key: 'every', type: 'int', min: 1, max: 5000, default: base.every, doc: 'evaluate every k steps' },
    { key: 'seeds', type: 'int', min: 1, max: 8, default: base.seeds, doc: 'pairs of runs (median and range)' },
    { key: 'seed', type: 'int', min: 0, max: SEED_MAX - 8, random: (max) => freshSeed(max), default: base.seed, doc: 'first seed (initial weights and mini-batches; both networks of a pair share it)' },
    { key: 'unit', type: 'int', min: 0, max: SIZES[LAST_HIDDEN + 1] - 1, default: base.unit, doc: 'the last hidden layer\'s unit whose sigmoid input is followed' },
    { key: 'place', type: 'enum', values: ['before', 'after'], default: base.place, doc: 'batch norm before each sigmoid (the paper) or after it (common practice)' },
    { key: 'running', type: 'enum', values: RUNNING, default: base.running, doc: 'how the running statistics start and average' },
    { key: 'delta', type: 'number', min: 0, max: 1, minOpen: true, default: base.delta, resolve: (v) => (v.running === 'cumulative' ? null : {}), doc: 'δ = torch\'s momentum: the weight of the new batch statistic' },
    { key: 'mode', type: 'enum', values: ['eval', 'train'], default: base.mode, doc: 'accuracy curves in model.eval() (running statistics) or model.train() (each evaluated batch\'s own)' },
    { key: 'lrs', type: 'string', maxLength: 80, validate: ratesCheck, default: base.lrs, doc: 'learning rates of the sweep' },
    { key: 'sweep.steps', type: 'int', min: 10, max: 20000, default: base['sweep.steps'], doc: 'steps per sweep run' },
    { key: 'sweep.seeds', type: 'int', min: 1, max: 5, default: base['sweep.seeds'], doc: 'seeds per sweep point' },
    ...pageEntries(base, HIDEABLE),
  ];
}

/** The engine spec of one run: `bn` false = the same network without batch norm. */
export function runSpec(v, csv, { seed = v.seed, bn = true, lr = v.lr } = {}) {
  const spec = {
    layer_sizes: SIZES.slice(), activation: 'sigmoid', loss: 'cross_entropy',
    init: { name: 'normal', std: v.sigma }, optimizer: { name: 'sgd', lr },
    batch_size: v.batch, seed,
    data: { csv, scale: DIGITS.scale, validation_split: DIGITS.validation_split, split_seed: DIGITS.split_seed },
  };
  if (bn) {
    spec.batch_norm = true;
    if (v.place === 'after') spec.bn_placement = 'after';
    if (v.running === 'cumulative') spec.bn_momentum = null;
    else if (v.delta !== 0.1) spec.bn_momentum = v.delta;
    if (v.running === 'lecture') spec.bn_running_init = 'first_batch';
  }
  return spec;
}

/** Most evaluations a run records (each carries percentiles and, for the first pair, a probe). */
export const MAX_EVALS = 2500;
/** The evaluation interval a run uses: the one set, or longer where it would exceed MAX_EVALS (the page says so). */
export const everyFor = (v) => Math.max(v.every, Math.ceil(v.steps / MAX_EVALS));

/** The seeds of a configuration. */
export const seedsOf = (v, n = v.seeds) => Array.from({ length: n }, (_, i) => v.seed + i);

/** The step sizes of the smoothness probe at learning rate lr. */
export const probeEtas = (lr) => PROBE_MULTIPLES.map((m) => m * lr);

/**
 * The quantities of Santurkar et al. Fig. 4 from one gradient probe: the loss range over the
 * probed step sizes, the largest gradient change, and the effective β-smoothness.
 */
export function probeSummary(p) {
  const ls = Array.from(p.losses).filter(Number.isFinite), gc = Array.from(p.grad_change).filter(Number.isFinite);
  const bad = ls.length < p.losses.length;
  return {
    loss: p.loss,
    lossMin: ls.length ? Math.min(...ls) : NaN,
    lossMax: bad ? Infinity : ls.length ? Math.max(...ls) : NaN,
    gradMax: gc.length ? Math.max(...gc) : NaN,
    gradMin: gc.length ? Math.min(...gc) : NaN,
    beta: p.beta,
  };
}

/** The slide's notation next to PyTorch's. */
export function mapping(v) {
  const mom = v.running === 'cumulative' ? 'None' : pyNum(v.delta);
  const bn = v.running === 'lecture' ? 'FirstBatchNorm1d' : 'nn.BatchNorm1d';
  const layers = [];
  for (let l = 1; l < SIZES.length; l++) {
    layers.push(`nn.Linear(${SIZES[l - 1]}, ${SIZES[l]})`);
    const norm = `${bn}(${SIZES[l]}, eps=1e-05, momentum=${mom})`;
    if (l < SIZES.length - 1) layers.push(...(v.place === 'after' ? ['nn.Sigmoid()', norm] : [norm, 'nn.Sigmoid()']));
  }
  return {
    delta: v.running === 'cumulative' ? '1/t' : String(v.delta),
    code: `net = nn.Sequential(\n    ${layers.join(',\n    ')},\n)`
      + (v.running === 'lecture' ? '\n# FirstBatchNorm1d: momentum 1 for the first training batch (MA(1) = mu_B(1)), then δ — see the exported script' : ''),
  };
}
