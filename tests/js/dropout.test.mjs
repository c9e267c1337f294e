// Unit tests of the dropout lab's URL table, specs and seed statistics (www/js/nn/dropout-config.js).
// Run: node --test tests/js/
import test from 'node:test';
import assert from 'node:assert/strict';
import { readState, writeState } from '../../www/js/shared/state.js';
import { DEFAULTS, PRESETS, N_VAL, N_TRAIN_MAX, baseFor, buildTable, runSpec, seedsOf, band, argmin, mapping } from '../../www/js/nn/dropout-config.js';

const table = (id = '') => buildTable(baseFor(id));

test('dropout table: defaults and presets round-trip through the URL', () => {
  const { values, notices } = readState(table(), '');
  assert.deepEqual(notices, []);
  assert.equal(values.p, DEFAULTS.p);
  assert.equal(values['p.in'], DEFAULTS['p.in']);
  assert.equal(writeState(table(), values), '');
  for (const p of PRESETS) {
    const t = table(p.id);
    const q = readState(t, `preset=${p.id}`);
    assert.deepEqual(q.notices, [], p.id);
    for (const [k, v] of Object.entries(p.values)) assert.deepEqual(q.values[k], v, `${p.id}: ${k}`);
    assert.equal(writeState(t, q.values), `preset=${p.id}`);
  }
  assert.equal(N_VAL, 359);
  assert.equal(N_TRAIN_MAX, 1797 - 359);
});

test('dropout table: hostile and out-of-range values are refused with notices, never replaced silently', () => {
  const q = new URLSearchParams({ p: '1.5', 'p.in': '-0.1', gran: 'unit', train: '5000', hidden: '<b>', seeds: '0', steps: '1e9', lr: '0', loss: 'javascript:' });
  const { values, notices } = readState(table(), q);
  const d = readState(table(), '').values;
  for (const k of q.keys()) {
    assert.ok(notices.some((n) => n.key === k), `a notice for ${k}`);
    assert.deepEqual(values[k], d[k], `${k} keeps its default`);
  }
});

test('dropout specs: the same split for every seed; dropout only in the dropout configuration', () => {
  const v = readState(table(), 'train=150&gran=batch&p.in=0').values;
  const a = runSpec(v, 'csv', { seed: 3 }), b = runSpec(v, 'csv', { seed: 4, drop: false });
  assert.deepEqual(a.data, b.data, 'the data (and so the split) do not depend on the seed');
  assert.equal(a.data.train_size, 150);
  assert.equal(a.data.split_seed, 0);
  assert.deepEqual([a.dropout, a.input_dropout, a.dropout_granularity], [0.5, undefined, 'batch']);
  assert.deepEqual([b.dropout, b.input_dropout, b.dropout_granularity], [undefined, undefined, undefined]);
  assert.deepEqual(a.layer_sizes, [64, 256, 256, 10]);
  assert.equal(runSpec(v, 'csv', { seed: 1, train: N_TRAIN_MAX }).data.train_size, undefined, 'all images: no train_size');
  assert.deepEqual(seedsOf({ seed: 7, seeds: 3 }), [7, 8, 9]);
});

test('seed bands: median, range, NaN ignored; argmin', () => {
  const b = band([[1, 5, NaN], [3, 1, NaN], [2, 3, 4]]);
  assert.deepEqual(Array.from(b.med), [2, 3, 4]);
  assert.deepEqual(Array.from(b.lo), [1, 1, 4]);
  assert.deepEqual(Array.from(b.hi), [3, 5, 4]);
  assert.deepEqual(Array.from(band([[1], [2]]).med), [1.5]);
  assert.equal(argmin([3, NaN, 1, 1, 2]), 2);
  assert.equal(argmin([NaN]), -1);
});

test('PyTorch mapping: the slide\'s keep probability next to nn.Dropout\'s drop probability', () => {
  const m = mapping({ p: 0.5, 'p.in': 0.2, hidden: '256-256' });
  assert.equal(m.keep, 0.5);
  assert.equal(m.keepIn, 0.8);
  assert.match(m.code, /^net = nn\.Sequential\(\n {4}nn\.Dropout\(p=0\.2\),\n {4}nn\.Linear\(64, 256\),\n {4}nn\.ReLU\(\),\n {4}nn\.Dropout\(p=0\.5\),/);
  assert.match(m.code, /nn\.Linear\(256, 10\),\n\)$/);
  assert.doesNotMatch(mapping({ p: 0, 'p.in': 0, hidden: '32' }).code, /Dropout/);
});
