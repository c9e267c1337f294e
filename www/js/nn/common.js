// Pieces of the URL tables that the three network labs share (pure: no DOM; names and labels from
// the engine's registries), so that a
// network is written the same way in every lab's links: activation, initialization (+ its
// parameter), optimizer (+ lr, momentum), batch size, seed, hidden layer widths, and the page keys
// (preset, lesson, embed, hide, theme). See shared/state.js for the table format.

import { freshSeed, SEED_MAX } from '../shared/seeds.js';
import { HOST_ENTRY } from '../shared/state.js';
import { networkOptions } from '../shared/engine.js';

export const ACTIVATION_CHOICES = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'gelu', 'identity'];
/** An activation's label, from the engine's registry (src/nn/activation.rs). */
export const activationLabel = (a) => networkOptions().activation_info.find((d) => d.name === a)?.label ?? String(a);

/** The initializations the labs offer (engine names, src/nn/init.rs; the menus leave out
 *  `constant`), with the lecture's form of Xavier, N(0, 1/n_in), as a choice of its own. */
export const INIT_NAMES = ['torch_default', 'xavier_normal', 'xavier_normal_fan_in', 'xavier_uniform', 'kaiming_normal', 'kaiming_uniform', 'lecun_normal', 'orthogonal', 'normal', 'uniform', 'zeros', 'zero', 'too_small', 'appropriate', 'too_large'];
/** [name, label] of each offered initialization; the labels are the engine's. */
export function initChoices() {
  const info = networkOptions().init_info;
  return INIT_NAMES.map((n) => [n, n === 'xavier_normal_fan_in' ? 'Xavier, lecture form: N(0, 1/n_in)' : info.find((d) => d.name === n).label]);
}

export const OPTIMIZER_CHOICES = ['sgd', 'adam', 'rmsprop', 'adagrad'];
export const OPTIMIZER_LABELS = { sgd: 'SGD', adam: 'Adam', rmsprop: 'RMSprop', adagrad: 'AdaGrad' };
export { SEED_MAX };
export const HIDDEN_RE = /^[0-9]{1,4}(-[0-9]{1,4}){0,39}$/;

/** "300-300-300" → [300, 300, 300]; throws on anything else. */
export function parseHidden(s, maxLayers = 40, maxWidth = 1024) {
  if (!HIDDEN_RE.test(s)) throw new Error('hidden layers: widths separated by "-", e.g. 6-3');
  const w = s.split('-').map(Number);
  if (w.length > maxLayers) throw new Error(`hidden layers: at most ${maxLayers}`);
  if (w.some((n) => n < 1 || n > maxWidth)) throw new Error(`hidden layers: widths from 1 to ${maxWidth}`);
  return w;
}
export function hiddenCheck(maxLayers, maxWidth) {
  return (s) => { try { parseHidden(s, maxLayers, maxWidth); return null; } catch (e) { return e.message; } };
}

/** The engine's init spec for the URL values {init, 'init.std', 'init.a'} (prefix for racers). */
export function initSpec(v, key = 'init') {
  const n = v[key];
  if (n === 'normal') return { name: 'normal', std: v[`${key}.std`] };
  if (n === 'uniform') return { name: 'uniform', a: v[`${key}.a`] };
  if (n === 'xavier_normal_fan_in') return { name: 'xavier_normal', variant: 'fan_in' };
  if (n === 'kaiming_normal' || n === 'kaiming_uniform') return { name: n, nonlinearity: 'relu' };
  return n;
}
export function initShort(v, key = 'init') {
  const n = v[key];
  if (n === 'normal') return `N(0, ${v[`${key}.std`]}²)`;
  if (n === 'uniform') return `U(±${v[`${key}.a`]})`;
  return { torch_default: 'U(±1/√n)', xavier_normal: 'Xavier', xavier_normal_fan_in: 'Xavier N(0,1/n)', xavier_uniform: 'Xavier U', kaiming_normal: 'He', kaiming_uniform: 'He U', lecun_normal: 'LeCun', orthogonal: 'orthogonal', zeros: 'zeros', zero: 'zero', too_small: 'too small', appropriate: 'appropriate', too_large: 'too large' }[n] || n;
}

/** {name, lr, momentum?} for torch.optim (PyTorch names; other kwargs take PyTorch's defaults). */
export function optimizerSpec(v, prefix = '') {
  const name = v[`${prefix}opt`];
  const o = { name, lr: v[`${prefix}lr`] };
  if (name === 'sgd' && v[`${prefix}momentum`] > 0) o.momentum = v[`${prefix}momentum`];
  return o;
}

/**
 * Table entries for a network's settings, keys prefixed by `prefix` (e.g. "deep."). `base` holds
 * the defaults (global + preset) under the same prefixed keys. With `fullBatchZero`, batch 0 means
 * full-batch gradient descent.
 */
export function networkEntries(base, { prefix = '', lrMax = 10, batchMax = 5000, fullBatchZero = false, acts = ACTIVATION_CHOICES } = {}) {
  const P = (k) => `${prefix}${k}`;
  return [
    { key: P('act'), type: 'enum', values: acts, default: base[P('act')], doc: 'hidden-layer activation' },
    { key: P('init'), type: 'enum', values: INIT_NAMES, default: base[P('init')], doc: 'weight initialization' },
    { key: P('init.std'), type: 'number', min: 0, max: 100, default: base[P('init.std')] ?? 1, resolve: (v) => (v[P('init')] === 'normal' ? {} : null), doc: 'σ of N(0, σ²)' },
    { key: P('init.a'), type: 'number', min: 0, max: 100, default: base[P('init.a')] ?? 0.1, resolve: (v) => (v[P('init')] === 'uniform' ? {} : null), doc: 'a of U(−a, a)' },
    { key: P('opt'), type: 'enum', values: OPTIMIZER_CHOICES, default: base[P('opt')], doc: 'optimizer (torch.optim)' },
    { key: P('lr'), type: 'number', min: 0, max: lrMax, minOpen: true, default: base[P('lr')], doc: 'learning rate lr' },
    { key: P('momentum'), type: 'number', min: 0, max: 0.999, default: base[P('momentum')] ?? 0, resolve: (v) => (v[P('opt')] === 'sgd' ? {} : null), doc: 'SGD momentum' },
    { key: P('batch'), type: 'int', min: fullBatchZero ? 0 : 1, max: batchMax, default: base[P('batch')], doc: fullBatchZero ? 'mini-batch size (0 = full batch)' : 'mini-batch size (≥ the data set: full batch)' },
    { key: P('seed'), type: 'int', min: 0, max: SEED_MAX, random: freshSeed, default: base[P('seed')] ?? 0, doc: 'seed of data, initial weights and shuffling (random: a fresh one, written into the URL)' },
  ];
}

/** preset / lesson keys first, page keys last. */
export function presetEntries(ids) {
  return [
    { key: 'lesson', type: 'enum', values: ['', ...ids], default: '', doc: 'a preset with locked controls' },
    { key: 'preset', type: 'enum', values: ['', ...ids], default: '', doc: 'a preset (the other settings override it)' },
  ];
}
export function pageEntries(base, hideable) {
  return [
    { key: 'embed', type: 'bool', default: !!base.embed, doc: 'embedded in a course page: the figures and their transport only' },
    { key: 'hide', type: 'set', lenient: true, values: hideable, default: (base.hide || []).slice(), doc: 'parts to remove' },
    { key: 'show', type: 'set', lenient: true, values: hideable, default: (base.show || []).slice(), doc: 'with embed=1: parts to bring back' },
    { key: 'theme', type: 'enum', values: ['auto', 'light', 'dark'], default: base.theme || 'auto' },
    HOST_ENTRY,
  ];
}

/** Which preset a query asks for: lesson wins over preset; unknown ids are ignored (the table reports them). */
export function presetFromQuery(q, ids) {
  const lesson = ids.includes(q.get('lesson')) ? q.get('lesson') : '';
  return { id: lesson || (ids.includes(q.get('preset')) ? q.get('preset') : ''), locked: !!lesson };
}
