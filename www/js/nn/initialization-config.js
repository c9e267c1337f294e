// The initialization lab's URL table, presets and engine specs (pure, but for the engine's registries; tested in
// tests/js/initialization.test.mjs). Lecture §4, "Xavier (Glorot) initialization", and the
// deeplearning.ai initialization demo it points to:
//   part "playground": the 2-6-3-1 network (ReLU, ReLU, then a sigmoid output with logistic loss —
//     here a linear output and bce_with_logits, which is the same function, computed stably),
//     full-batch gradient descent with lr 0.1, 2-D data, the four scale presets zero / too small /
//     appropriate / too large (W ~ N(0, v/n_in), v = 0, 0.01, 1, 100);
//   part "deep": a deep tanh network (64-100-100-100-100-10 by default; the lecture's example
//     64-300-300-300-300-10 is one edit away, at ~8 ms per step) on the 8×8 digits, with per-layer
//     histograms of activations (and pre-activations, gradients) and the lecture's objectives:
//     mean ≈ 0 and variance constant across layers.
// Keys of the deep part are prefixed "deep.".
import { networkOptions } from '../shared/engine.js';
import { networkEntries, presetEntries, pageEntries, initSpec, optimizerSpec, hiddenCheck, parseHidden, HIDDEN_RE } from './common.js';

/** Parts a link can hide (hide=) or, in embed mode, bring back (show=); each is a [data-panel]. */
/** What embed=1 hides unless show= names it: everything but the figures and their transport. */
export const EMBED_EXTRAS = ['header', 'lesson', 'tabs', 'layerstats', 'controls', 'notes'];
export const HIDEABLE = ['header', 'lesson', 'tabs', 'transport', 'diagram', 'boundary', 'cost', 'histograms', 'layerstats', 'controls', 'notes'];
export const DEEP_DATA = { digits: { file: 'digits.csv', sklearn: 'load_digits', classes: 10, features: 64, label: 'digits (8×8, 1797 images, 10 classes)' } };
/** The engine's 2-D data generators and histogram kinds (E.networkOptions()). */
export const generators = () => networkOptions().generators;
export const histKinds = () => networkOptions().histogram_kinds;

export const DEFAULTS = {
  part: 'playground',
  hidden: '6-3', act: 'relu', init: 'appropriate', 'init.std': 1, 'init.a': 0.1,
  opt: 'sgd', lr: 0.1, momentum: 0, batch: 0, seed: 1,
  data: 'circle', n: 300, noise: 0.08, steps: 6000, speed: 600, edges: 'weights',
  'deep.hidden': '100-100-100-100', 'deep.act': 'tanh', 'deep.init': 'torch_default', 'deep.init.std': 1, 'deep.init.a': 0.1,
  'deep.opt': 'sgd', 'deep.lr': 0.05, 'deep.momentum': 0, 'deep.batch': 64, 'deep.seed': 1,
  'deep.data': 'digits', 'deep.epochs': 20, 'deep.kind': 'activation', 'deep.bins': 30,
  embed: false, hide: [], theme: 'auto',
};

const PG = (init, note, title) => ({ id: init.replace('_', '-'), title, note, values: { part: 'playground', init } });
export const PRESETS = [
  PG('zero', 'All weights 0: every unit of a layer computes the same thing and gets the same gradient — here even 0, since ReLU′(0) = 0 — so nothing ever changes. The cost stays at log 2 = 0.693 and the boundary never appears: zero initialization fails to break symmetry.', 'Zero initialization'),
  PG('too_small', 'W ~ N(0, 0.01/n_in): the signal shrinks at every layer, the output is ≈ 0 for every input and the gradients are tiny: the cost sits on a plateau at log 2 = 0.69 for about a thousand steps (see the thin edges) before it finds the boundary; on xor and spiral it may never get there.', 'Too small'),
  PG('appropriate', 'W ~ N(0, 1/n_in) (Xavier, the lecture\'s first form): activations keep their scale through the layers, the cost falls at once and the circle is separated within a few hundred steps.', 'Appropriate (Xavier)'),
  PG('too_large', 'W ~ N(0, 100/n_in): the outputs are huge, the sigmoid saturates at 0 or 1 and the predictions are confidently wrong — the initial cost is 3 to 10 instead of log 2 = 0.69. Gradient descent first spends its steps shrinking the weights; on this shallow network it then recovers, but on the circle it is still twice the appropriate cost after 6000 steps. (deeplearning.ai\'s own "too large" multiplies by 10 without dividing by n_in, which is worse still.)', 'Too large'),
  {
    id: 'deep-zero', title: 'Deep tanh net: zero initialization',
    note: 'Zeros everywhere: every activation is tanh(0) = 0 (the histograms are one spike at 0), the hidden weights get no gradient, and the network can only learn the output biases: the cost drops to log 10 ≈ 2.30 and stays; 90 % of the digits stay misclassified.',
    values: { part: 'deep', 'deep.init': 'zeros' },
  },
  {
    id: 'deep-uniform', title: 'Deep tanh net: uniform(±1/√n)',
    note: 'PyTorch\'s default U(±1/√n_in) has variance 1/(3 n_in): each tanh layer shrinks the activations\' variance about threefold (0.19, 0.058, 0.020, 0.009 at initialization) — the histograms get narrower layer by layer; the network trains, but more slowly than with Xavier (after 2 epochs about 640 digits misclassified against 130).',
    values: { part: 'deep', 'deep.init': 'torch_default' },
  },
  {
    id: 'deep-xavier', title: 'Deep tanh net: Xavier',
    note: 'Xavier N(0, 2/(n_in + n_out)) = N(0, 1/100) for the 100-wide layers: the lecture\'s objectives nearly hold — means ≈ 0 and variances 0.31, 0.19, 0.13, 0.10 (compare U(±1/√n): 0.19 → 0.009, or N(0, 1): saturated); the histograms look alike and the cost falls at once (about 130 digits misclassified after 2 epochs, 50 after 6).',
    values: { part: 'deep', 'deep.init': 'xavier_normal' },
  },
  {
    id: 'deep-normal', title: 'Deep tanh net: N(0, 1)',
    note: 'Weights of variance 1 with 100 inputs per unit: pre-activations of variance ≈ 100, so 70–80 % of the tanh units are saturated at ±1 (two spikes in every histogram, tanh′ ≈ 0 there) and the outputs are huge: the cost starts far above log 10 and falls slowly — about 590 digits are still misclassified after 6 epochs (Xavier: about 50).',
    values: { part: 'deep', 'deep.init': 'normal', 'deep.init.std': 1 },
  },
  {
    id: 'deep-he-relu', title: 'Deep ReLU net: He initialization',
    note: 'For ReLU half of the units are off, so the variance needs a factor 2: He (Kaiming) N(0, 2/n_in) keeps the activations\' variance at about 1 through the layers (1.0, 1.0, 0.93, 0.93); with Xavier instead (choose it above) it halves at every layer (0.40 → 0.045).',
    values: { part: 'deep', 'deep.act': 'relu', 'deep.init': 'kaiming_normal', 'deep.lr': 0.02 },
  },
];
export const PRESET_IDS = PRESETS.map((p) => p.id);
export const presetById = (id) => PRESETS.find((p) => p.id === id) || null;
export const baseFor = (id) => ({ ...DEFAULTS, ...(presetById(id)?.values || {}) });

export function buildTable(base) {
  return [
    ...presetEntries(PRESET_IDS),
    { key: 'part', type: 'enum', values: ['playground', 'deep'], default: base.part, doc: 'which part is shown' },
    { key: 'hidden', type: 'string', maxLength: 60, pattern: HIDDEN_RE, validate: hiddenCheck(6, 16), default: base.hidden, doc: 'hidden widths of the playground network, e.g. 6-3 (at most 6 layers of 16)' },
    ...networkEntries(base, { lrMax: 10, batchMax: 2000, fullBatchZero: true }),
    { key: 'data', type: 'enum', values: generators(), default: base.data, doc: '2-D data set' },
    { key: 'n', type: 'int', min: 20, max: 2000, default: base.n, doc: 'samples' },
    { key: 'noise', type: 'number', min: 0, max: 1, default: base.noise, doc: 'noise sd' },
    { key: 'steps', type: 'int', min: 1, max: 200000, default: base.steps, doc: 'gradient steps to run' },
    { key: 'speed', type: 'number', min: 1, max: 100000, default: base.speed, doc: 'steps per second' },
    { key: 'edges', type: 'enum', values: ['weights', 'gradients'], default: base.edges, doc: 'what the diagram\'s edges show' },
    { key: 'deep.hidden', type: 'string', maxLength: 60, pattern: HIDDEN_RE, validate: hiddenCheck(10, 1024), default: base['deep.hidden'], doc: 'hidden widths of the deep network' },
    ...networkEntries(base, { prefix: 'deep.', lrMax: 10, batchMax: 2000 }),
    { key: 'deep.data', type: 'enum', values: Object.keys(DEEP_DATA), default: base['deep.data'], doc: 'data set of the deep part' },
    { key: 'deep.epochs', type: 'int', min: 1, max: 500, default: base['deep.epochs'], doc: 'epochs to train' },
    { key: 'deep.kind', type: 'enum', values: histKinds(), default: base['deep.kind'], doc: 'histograms of activations, pre-activations or weight gradients' },
    { key: 'deep.bins', type: 'int', min: 8, max: 100, default: base['deep.bins'], doc: 'histogram bins' },
    ...pageEntries(base, HIDEABLE),
  ];
}

/** The playground network's TrainerSpec (2 → hidden → 1, bce_with_logits = sigmoid + logistic loss). */
export function playgroundSpec(v) {
  const spec = {
    layer_sizes: [2, ...parseHidden(v.hidden, 6, 16), 1],
    activation: v.act,
    loss: 'bce_with_logits',
    init: initSpec(v),
    optimizer: optimizerSpec(v),
    seed: v.seed,
    data: { name: v.data, n: v.n, noise: v.noise, seed: v.seed },
  };
  if (v.batch > 0) spec.batch_size = v.batch;
  return spec;
}

/** The deep network's TrainerSpec; the CSV text is the page's own www/data file. */
export function deepSpec(v, csv) {
  const d = DEEP_DATA[v['deep.data']];
  return {
    layer_sizes: [d.features, ...parseHidden(v['deep.hidden'], 10, 1024), d.classes],
    activation: v['deep.act'],
    loss: 'cross_entropy',
    init: initSpec(v, 'deep.init'),
    optimizer: optimizerSpec(v, 'deep.'),
    batch_size: v['deep.batch'],
    seed: v['deep.seed'],
    data: { csv, normalize: true },
  };
}

/** Fixed histogram range for bounded activations, so that panels and the reference compare. */
export function activationRange(act) {
  if (act === 'tanh') return [-1, 1];
  if (act === 'sigmoid') return [0, 1];
  return null;
}
