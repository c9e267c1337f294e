// The vanishing/exploding-gradients lab's URL table, presets and engine specs (pure, but for the engine's registries; tested in
// tests/js/vanishing.test.mjs). Lecture §1:
//   (a) the deep linear network h[l] = W h[l−1], W = E Λ Eᵀ shared by all layers, so
//       h[k] = W^k x = Σᵢ λᵢ^k (x·eᵢ) eᵢ — E.deepLinear({eigenvalues, angle (radians), x, depth});
//   (b) g′ of sigmoid (≤ 1/4), tanh and ReLU, and the bound 0.25^L;
//   (c) per-layer gradient norms ‖∂L/∂W[l]‖ of a real deep MLP, live while it trains.
import { networkOptions } from '../shared/engine.js';
import { networkEntries, presetEntries, pageEntries, initSpec, optimizerSpec } from './common.js';

export const MAX_DIM = 8;          // eigenvalue sliders shown (the engine allows 16)
export const MAX_K = 200;          // the engine's MAX_DEPTH for deepLinear
export const DEFAULT_EIGS = [1.1, 0.9, 1.0, 0.8, 1.2, 0.5, 1.05, 0.95];
/** Parts a link can hide (hide=) or, in embed mode, bring back (show=); each is a [data-panel]. */
/** What embed=1 hides unless show= names it: everything but the figures and their transport. */
export const EMBED_EXTRAS = ['header', 'lesson', 'controls', 'notes'];
export const HIDEABLE = ['header', 'lesson', 'linear', 'derivative', 'mlp', 'compare', 'transport', 'controls', 'notes'];
/** The engine's 2-D data generators (E.networkOptions()). */
export const generators = () => networkOptions().generators;

export const DEFAULTS = {
  k: 40, d: 3, angle: 30, L: 10,
  act: 'sigmoid', init: 'xavier_normal', 'init.std': 1, 'init.a': 0.1,
  depth: 20, width: 32, data: 'spiral', n: 400, noise: 0.05,
  opt: 'sgd', lr: 0.1, momentum: 0, batch: 32, seed: 0, steps: 3000, speed: 2000,
  embed: false, hide: [], theme: 'auto',
};

export const PRESETS = [
  {
    id: 'explode-vanish', title: 'One eigenvalue above 1, one below',
    note: 'λ₁ = 1.2 and λ₂ = 0.8 over 50 layers: the component along e₁ grows like 1.2^k (×9100 at k = 50), the one along e₂ shrinks like 0.8^k (×1.4·10⁻⁵). ‖W^k x‖ follows the largest |λ|: it explodes.',
    values: { d: 2, lam: [1.2, 0.8], angle: 30, k: 50 },
  },
  {
    id: 'all-below', title: 'All eigenvalues below 1: vanishing',
    note: 'Every |λᵢ| < 1, so every component and the norm decay geometrically: after 100 layers nothing of x is left.',
    values: { d: 3, lam: [0.9, 0.8, 0.7], angle: 20, k: 100 },
  },
  {
    id: 'unit', title: 'All eigenvalues exactly 1',
    note: 'Only |λᵢ| = 1 keeps the signal (an orthogonal W): the norm stays ‖x‖ at every depth. Move one slider by 0.05 and watch what 200 layers make of it.',
    values: { d: 3, lam: [1, 1, 1], angle: 45, k: 200 },
  },
  {
    id: 'sigmoid-deep', title: 'Deep sigmoid net: gradients vanish',
    note: '20 sigmoid layers with Xavier weights: every layer multiplies the backward signal by σ′ ≤ 1/4 times weights of order 1, so ‖∂L/∂W[l]‖ falls by 13 orders of magnitude from the last layer back to the first. Press Play: in 3000 steps the network does not learn at all (accuracy stays at 50 %).',
    values: { act: 'sigmoid', init: 'xavier_normal', depth: 20, width: 32, lr: 0.1 },
  },
  {
    id: 'relu-he', title: 'Deep ReLU net with He initialization',
    note: 'ReLU with He (Kaiming) weights N(0, 2/n_in): the backward signal keeps its size through 20 layers — the bars are about level — and the network learns the spiral (about 97 % after 3000 steps).',
    values: { act: 'relu', init: 'kaiming_normal', depth: 20, width: 32, lr: 0.02 },
  },
  {
    id: 'tanh-large', title: 'tanh with N(0, 1) weights: saturation',
    note: 'N(0, 1) weights in 32-wide layers: pre-activations of variance ≈ 32 saturate about half of the tanh units. At initialization the large weights still amplify the backward signal (the first layer\'s gradient is 10⁴ times the last\'s: exploding); during training the network falls into a flat state where the first layers\' gradients vanish (10⁻⁶ of the last\'s) and the loss sticks at log 2.',
    values: { act: 'tanh', init: 'normal', 'init.std': 1, depth: 20, width: 32, lr: 0.01 },
  },
  {
    id: 'linear-large', title: 'Linear layers, weights too large: explosion',
    note: 'Identity activations are the lecture\'s deep linear network with random W: with weights of variance 100/n_in each layer multiplies the signal by about 10, the loss starts at 4·10¹¹ and every layer\'s gradient is huge. The first step throws the weights so far that the next loss is not finite: training diverges at step 2 (reported, never drawn).',
    values: { act: 'identity', init: 'too_large', depth: 12, width: 16, lr: 0.01 },
  },
];
export const PRESET_IDS = PRESETS.map((p) => p.id);
export const presetById = (id) => PRESETS.find((p) => p.id === id) || null;

export function baseFor(id) {
  const p = presetById(id);
  return { ...DEFAULTS, ...(p ? p.values : {}) };
}

/** The lab's table. `base`: DEFAULTS with a preset on top. */
export function buildTable(base) {
  const eigDefault = (d) => (base.lam && base.lam.length === d ? base.lam.slice() : DEFAULT_EIGS.slice(0, d));
  return [
    ...presetEntries(PRESET_IDS),
    { key: 'k', type: 'int', min: 1, max: MAX_K, default: base.k, doc: 'depth k of the deep linear network' },
    { key: 'd', type: 'int', min: 1, max: MAX_DIM, default: base.d, doc: 'dimension d (W is d × d)' },
    { key: 'lam', type: 'numlist', count: base.d, min: -10, max: 10, default: eigDefault(base.d), resolve: (v) => ({ count: v.d, default: eigDefault(v.d) }), doc: 'eigenvalues λ₁…λ_d' },
    { key: 'angle', type: 'number', min: -180, max: 180, default: base.angle, doc: 'rotation of the eigenbasis (degrees)' },
    { key: 'x', type: 'numlist', count: base.d, min: -100, max: 100, default: Array(base.d).fill(1), resolve: (v) => ({ count: v.d, default: Array(v.d).fill(1) }), doc: 'input x' },
    { key: 'L', type: 'int', min: 1, max: 60, default: base.L, doc: 'depth L marked on the 0.25^L chart' },
    ...networkEntries(base, { lrMax: 10, batchMax: 2000 }),
    { key: 'depth', type: 'int', min: 1, max: 40, default: base.depth, doc: 'hidden layers of the deep MLP' },
    { key: 'width', type: 'int', min: 2, max: 256, default: base.width, doc: 'units per hidden layer' },
    { key: 'data', type: 'enum', values: generators(), default: base.data, doc: '2-D data set (engine generator)' },
    { key: 'n', type: 'int', min: 20, max: 2000, default: base.n, doc: 'samples' },
    { key: 'noise', type: 'number', min: 0, max: 1, default: base.noise, doc: 'noise sd' },
    { key: 'steps', type: 'int', min: 1, max: 200000, default: base.steps, doc: 'training steps' },
    { key: 'speed', type: 'number', min: 1, max: 100000, default: base.speed, doc: 'steps per second (at most what fits in a frame)' },
    ...pageEntries(base, HIDEABLE),
  ];
}

/** E.deepLinear spec (angle in radians). */
export function deepLinearSpec(v) {
  return { eigenvalues: v.lam.slice(), angle: (v.angle * Math.PI) / 180, x: v.x.slice(), depth: v.k };
}

/** The closed form |λᵢ^l (x·eᵢ)| for checks and for the table under the chart (x·eᵢ given). */
export function componentMagnitude(lambda, xe, l) { return Math.abs(lambda ** l * xe); }

/** The deep MLP's TrainerSpec. */
export function mlpSpec(v, over = {}) {
  const act = over.act ?? v.act;
  const vals = { ...v, ...over };
  return {
    layer_sizes: [2, ...Array(v.depth).fill(v.width), 1],
    activation: act,
    loss: 'bce_with_logits',
    init: initSpec(vals),
    optimizer: optimizerSpec(v),
    batch_size: v.batch,
    seed: v.seed,
    data: { name: v.data, n: v.n, noise: v.noise, seed: v.seed },
  };
}

/** The activation × initialization grid compared at initialization. */
export const COMPARE_ACTS = ['sigmoid', 'tanh', 'relu'];
export const COMPARE_INITS = [
  { init: 'too_small', label: 'too small N(0, 0.01/n)' },
  { init: 'xavier_normal', label: 'Xavier' },
  { init: 'kaiming_normal', label: 'He' },
  { init: 'normal', 'init.std': 1, label: 'N(0, 1)' },
];
