// Unit tests of the input normalization lab's URL table, specs and script generator
// (www/js/nn/normalization-config.js); the script itself is run in PyTorch by
// tests/e2e/exports.e2e.mjs. Run: node --test tests/js/
import test from 'node:test';
import assert from 'node:assert/strict';
import { readState, writeState } from '../../www/js/shared/state.js';
import { DEFAULTS, PRESETS, LR_GRID, baseFor, buildTable, problemSpec, optimizerFor, bestNote, stepsTo, sci, mapping, torchScript } from '../../www/js/nn/normalization-config.js';
import { loadEngineOrNull } from './helpers.mjs';

// The scripts print torch.optim and torch.nn lines with the engine (src/optim/torch.rs, src/nn/torch.rs).
await loadEngineOrNull();

const table = (id = '') => buildTable(baseFor(id));

test('normalization table: defaults and presets round-trip through the URL', () => {
  const { values, notices } = readState(table(), '');
  assert.deepEqual(notices, []);
  assert.equal(values.eps, DEFAULTS.eps);
  assert.equal(writeState(table(), values), '');
  for (const p of PRESETS) {
    const t = table(p.id);
    const q = readState(t, `preset=${p.id}`);
    assert.deepEqual(q.notices, [], p.id);
    for (const [k, v] of Object.entries(p.values)) assert.deepEqual(q.values[k], v, `${p.id}: ${k}`);
    assert.equal(writeState(t, q.values), `preset=${p.id}`);
  }
});

test('normalization table: hostile and out-of-range values are refused with notices, never replaced silently', () => {
  const q = new URLSearchParams({ data: '../../etc', model: 'probit', stats: 'test', eps: '-1', split: '0.95', opt: 'newton', 'lr.mode': 'auto', lr: '0', steps: '1e9', speed: '0', bias: 'x', axes: '<b>', loss: 'javascript:' });
  const { values, notices } = readState(table(), q);
  const d = readState(table(), '').values;
  for (const k of q.keys()) {
    assert.ok(notices.some((n) => n.key === k), `a notice for ${k}`);
    assert.deepEqual(values[k], d[k], `${k} keeps its default`);
  }
});

test('normalization specs: the statistics rule, the data and the learning rate per system', () => {
  const v = readState(table(), '').values;
  const s = problemSpec(v, 'CSV');
  assert.deepEqual(s.data, { csv: 'CSV' });
  assert.deepEqual(s.features, ['mean_area', 'mean_smoothness']);
  assert.equal(s.stats, 'train');
  assert.equal(problemSpec(v, 'CSV', { stats: 'all' }).stats, 'all');
  assert.deepEqual(problemSpec({ ...v, data: 'slide' }, null).data, { name: 'slide', n: 1000, seed: 0 });
  const curv = { lr_best: 4.1, lr_bound: 6.9 };
  assert.deepEqual(optimizerFor(v, curv), { name: 'sgd', lr: 4.1 }, 'best mode: α* exactly (never rounded past the bound)');
  assert.deepEqual(optimizerFor({ ...v, 'lr.mode': 'common', lr: 0.3 }, curv), { name: 'sgd', lr: 0.3 });
  assert.deepEqual(optimizerFor({ ...v, opt: 'adam', lr: 0.01 }, curv), { name: 'adam', lr: 0.01 }, 'α* is gradient descent\'s: Adam uses the common lr');
  assert.deepEqual(optimizerFor({ ...v, momentum: 0.9, lr: 0.2 }, curv), { name: 'sgd', lr: 0.2, momentum: 0.9 });
  assert.match(bestNote({ ...v, opt: 'adam' }), /common lr/);
  assert.equal(bestNote(v), '');
  assert.equal(LR_GRID.length, 37);
  assert.equal(LR_GRID[0], 1e-7);
  assert.equal(LR_GRID[36], 100);
});

test('readouts: steps to the optimum, and powers of ten', () => {
  assert.equal(stepsTo([1, 0.5, 0.215, 0.2], 0.206), 2);
  assert.equal(stepsTo([1, 0.9], 0.2), -1);
  assert.equal(sci(2.96e9), '2.96·10⁹');
  assert.equal(sci(1.44e-5), '1.44·10⁻⁵');
  assert.equal(sci(1e-7), '10⁻⁷');
  assert.equal(sci(6.93), '6.93');
  assert.equal(sci(Infinity), '∞');
});

test('PyTorch mapping and script: the train-only statistics, biased variance, zero init, the lab\'s runs', () => {
  const v = readState(table(), 'stats=all&opt=adam&lr.mode=common&lr=0.01').values;
  const m = mapping(v);
  assert.match(m, /unbiased=False/);
  assert.match(m, /WHOLE data set/);
  assert.match(m, /torch\.optim\.Adam\(model\.parameters\(\), lr=lr, foreach=False\)/);
  const data = { features: ['a', 'b'], x_train: [1, 2, 3, 4], y_train: [0, 1], x_val: [5, 6], y_val: [1] };
  const runs = ['raw', 'center', 'scale', 'standardize'].map((t) => ({ transform: t, optimizer: { name: 'adam', lr: 0.01 }, steps: 3, loss: [0.69, 0.6, 0.5, 0.4], params: new Float64Array(12) }));
  const src = torchScript(v, data, runs, 'a "title"');
  assert.match(src, /X_TRAIN = torch\.tensor\(\[\n {4}\[1\.0, 2\.0\],\n {4}\[3\.0, 4\.0\],\n\]\)/);
  assert.match(src, /STATS = "all"/);
  assert.match(src, /\("standardize", lambda params, lr: torch\.optim\.Adam\(params, lr=lr, foreach=False\), 0\.01, 3\)/);
  assert.match(src, /LOSS = nn\.BCEWithLogitsLoss\(\)/);
  assert.match(src, /EXPECTED = \{"raw":\{"loss":\[0\.69,0\.6,0\.5,0\.4\]/);
});
