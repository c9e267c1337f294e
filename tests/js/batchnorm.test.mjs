// Unit tests of the batch-normalization lab's URL table, specs and summaries
// (www/js/nn/batchnorm-config.js); its runs are checked in the browser by
// tests/e2e/batchnorm.e2e.mjs and its scripts in PyTorch by tests/e2e/exports.e2e.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readState, writeState } from '../../www/js/shared/state.js';
import { DEFAULTS, PRESETS, baseFor, buildTable, runSpec, seedsOf, everyFor, parseRates, probeEtas, probeSummary, mapping, PROBE_MULTIPLES } from '../../www/js/nn/batchnorm-config.js';

const table = (id = '') => buildTable(baseFor(id));

test('batchnorm table: defaults and presets round-trip through the URL', () => {
  const { values, notices } = readState(table(), '');
  assert.deepEqual(notices, []);
  assert.equal(values.sigma, DEFAULTS.sigma);
  assert.equal(writeState(table(), values), '');
  for (const p of PRESETS) {
    const t = table(p.id);
    const q = readState(t, `preset=${p.id}`);
    assert.deepEqual(q.notices, [], p.id);
    for (const [k, v] of Object.entries(p.values)) assert.deepEqual(q.values[k], v, `${p.id}: ${k}`);
    assert.equal(writeState(t, q.values), `preset=${p.id}`);
  }
});

test('batchnorm table: hostile and out-of-range values are refused with notices, never replaced silently', () => {
  const q = new URLSearchParams({ sigma: '0', lr: '-1', batch: '1', steps: '1e9', every: '0', seeds: '9', seed: 'x', unit: '100', running: 'zeros', delta: '1.5', mode: 'test', lrs: '0.1, 1e9', 'sweep.steps': '5', 'sweep.seeds': '0' });
  const { values, notices } = readState(table(), q);
  const d = readState(table(), '').values;
  for (const k of q.keys()) {
    assert.ok(notices.some((n) => n.key === k), `a notice for ${k}`);
    assert.deepEqual(values[k], d[k], `${k} keeps its default`);
  }
});

test('batchnorm specs: a pair shares everything but the batch norm; running statistics options', () => {
  const v = readState(table(), '').values;
  const a = runSpec(v, 'CSV', { bn: false }), b = runSpec(v, 'CSV', { bn: true });
  assert.deepEqual(a.layer_sizes, [64, 100, 100, 100, 10]);
  assert.equal(a.activation, 'sigmoid');
  assert.deepEqual(a.init, { name: 'normal', std: 0.1 });
  assert.deepEqual(a.optimizer, { name: 'sgd', lr: 0.5 });
  assert.deepEqual(a.data, { csv: 'CSV', scale: 1 / 16, validation_split: 0.2, split_seed: 0 });
  assert.equal(a.batch_norm, undefined);
  assert.equal(b.batch_norm, true);
  const { batch_norm: _, ...rest } = b;
  assert.deepEqual(rest, a, 'the same spec otherwise');
  // δ = torch's momentum; the lecture's start; momentum=None.
  assert.equal(b.bn_momentum, undefined, 'torch default 0.1');
  assert.equal(runSpec({ ...v, delta: 0.3 }, 'C').bn_momentum, 0.3);
  assert.equal(runSpec({ ...v, running: 'lecture' }, 'C').bn_running_init, 'first_batch');
  assert.equal(runSpec({ ...v, running: 'cumulative', delta: 0.3 }, 'C').bn_momentum, null);
  assert.equal(runSpec(v, 'C', { lr: 8 }).optimizer.lr, 8);
  assert.equal(b.bn_placement, undefined, 'before the activation: the engine default');
  assert.equal(runSpec({ ...v, place: 'after' }, 'C').bn_placement, 'after');
  assert.equal(runSpec({ ...v, place: 'after' }, 'C', { bn: false }).bn_placement, undefined, 'the plain twin has no batch norm to place');
  assert.deepEqual(seedsOf(v), [1, 2, 3]);
  assert.equal(everyFor(v), 20);
  assert.equal(everyFor({ ...v, steps: 50000, every: 1 }), 20, 'at most 2500 evaluations');
  assert.deepEqual(seedsOf(v, 2), [1, 2]);
  assert.deepEqual(probeEtas(0.5), PROBE_MULTIPLES.map((m) => m / 2));
});

test('batchnorm sweep rates: a comma list of positive learning rates, clear messages otherwise', () => {
  assert.deepEqual(parseRates('0.1, 0.5, 2, 8'), [0.1, 0.5, 2, 8]);
  assert.deepEqual(parseRates('1e-3,10'), [0.001, 10]);
  assert.throws(() => parseRates(''), /1 to 8 learning rates/);
  assert.throws(() => parseRates('1,2,3,4,5,6,7,8,9'), /1 to 8/);
  assert.throws(() => parseRates('0.1, -2'), /"-2" is not a learning rate in \(0, 100\]/);
  assert.throws(() => parseRates('0.1, 0x10'), /"0x10"/);
  assert.throws(() => parseRates('200'), /"200"/);
});

test('batchnorm probe summary: loss range, gradient change and β; a non-finite loss is an infinite range', () => {
  const s = probeSummary({ loss: 2, grad_norm: 1, losses: Float64Array.of(1.5, 1, 3), grad_change: Float64Array.of(0.1, 0.4, 0.2), beta: 0.7 });
  assert.deepEqual(s, { loss: 2, lossMin: 1, lossMax: 3, gradMax: 0.4, gradMin: 0.1, beta: 0.7 });
  const t = probeSummary({ loss: 2, grad_norm: 1, losses: Float64Array.of(1, NaN), grad_change: Float64Array.of(0.1, NaN), beta: 0.7 });
  assert.equal(t.lossMax, Infinity);
  assert.equal(t.lossMin, 1);
});

test('batchnorm mapping: the slide\'s δ is torch\'s momentum', () => {
  const v = readState(table(), '').values;
  const m = mapping(v);
  assert.equal(m.delta, '0.1');
  assert.match(m.code, /nn\.BatchNorm1d\(100, eps=1e-05, momentum=0\.1\),\n {4}nn\.Sigmoid\(\)/);
  assert.equal((m.code.match(/BatchNorm1d/g) || []).length, 3, 'one per hidden layer');
  assert.match(mapping({ ...v, running: 'cumulative' }).code, /momentum=None/);
  assert.equal(mapping({ ...v, running: 'cumulative' }).delta, '1/t');
  assert.match(mapping({ ...v, running: 'lecture' }).code, /FirstBatchNorm1d/);
  assert.match(mapping({ ...v, place: 'after' }).code, /nn\.Sigmoid\(\),\n {4}nn\.BatchNorm1d\(100, eps=1e-05, momentum=0\.1\),\n {4}nn\.Linear\(100, 100\)/);
});
