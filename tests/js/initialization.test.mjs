// Unit tests of the initialization lab's URL table, presets and specs
// (www/js/nn/initialization-config.js) and of its PyTorch scripts (www/js/shared/torch-nn.js):
// the playground script embeds the engine's exact initial weights and data; the deep script reads
// the digits CSV and normalizes like the engine.
// Run: node --test tests/js/
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readState, writeState } from '../../www/js/shared/state.js';
import { networkScript, splitParameters } from '../../www/js/shared/torch-nn.js';
import { fakeParams } from './helpers.mjs';
import { DEFAULTS, PRESETS, baseFor, buildTable, playgroundSpec, deepSpec, activationRange } from '../../www/js/nn/initialization-config.js';
import { parseHidden } from '../../www/js/nn/common.js';
import { ROOT, loadEngineOrNull } from './helpers.mjs';
import { pythonOk } from './nn-helpers.mjs';

// The exports print torch.optim's construction with the engine (src/optim/torch.rs).
await loadEngineOrNull();

const table = (id = '') => buildTable(baseFor(id));
const digits = () => fs.readFileSync(path.join(ROOT, 'www/data/digits.csv'), 'utf8');

test('initialization table: defaults are the deeplearning.ai playground (2-6-3-1, ReLU, GD lr 0.1, full batch)', () => {
  const { values, notices } = readState(table(), '');
  assert.deepEqual(notices, []);
  const s = playgroundSpec(values);
  assert.deepEqual(s.layer_sizes, [2, 6, 3, 1]);
  assert.equal(s.activation, 'relu');
  assert.equal(s.loss, 'bce_with_logits');
  assert.deepEqual(s.optimizer, { name: 'sgd', lr: 0.1 });
  assert.equal(s.batch_size, undefined, 'full batch');
  assert.equal(s.init, DEFAULTS.init);
  assert.equal(writeState(table(), values), '');
  const d = deepSpec(values, 'CSV');
  assert.deepEqual(d.layer_sizes, [64, 100, 100, 100, 100, 10]);
  assert.equal(d.activation, 'tanh');
  assert.equal(d.loss, 'cross_entropy');
  assert.deepEqual(d.data, { csv: 'CSV', normalize: true });
});

test('initialization table: the four scale presets and the deep presets load with no notices', () => {
  for (const p of PRESETS) {
    const t = table(p.id);
    const { values, notices } = readState(t, `preset=${p.id}`);
    assert.deepEqual(notices, [], p.id);
    for (const [k, v] of Object.entries(p.values)) assert.deepEqual(values[k], v, `${p.id}: ${k}`);
    assert.equal(writeState(t, values), `preset=${p.id}`);
  }
  const ids = PRESETS.map((p) => p.id);
  for (const id of ['zero', 'too-small', 'appropriate', 'too-large', 'deep-zero', 'deep-uniform', 'deep-xavier', 'deep-normal', 'deep-he-relu']) assert.ok(ids.includes(id), id);
  assert.equal(playgroundSpec(readState(table('too-large'), 'preset=too-large').values).init, 'too_large');
  assert.deepEqual(deepSpec(readState(table('deep-normal'), 'preset=deep-normal').values, '').init, { name: 'normal', std: 1 });
  assert.deepEqual(deepSpec(readState(table('deep-he-relu'), 'preset=deep-he-relu').values, '').init, { name: 'kaiming_normal', nonlinearity: 'relu' });
});

test('initialization table: hidden layer strings are validated; hostile values fall back with notices', () => {
  const t = table();
  assert.equal(readState(t, 'hidden=4-4-2').values.hidden, '4-4-2');
  assert.deepEqual(parseHidden('4-4-2'), [4, 4, 2]);
  for (const bad of ['6-3-', '-6', '6--3', '0-3', '17', '6-3-3-3-3-3-3', '6 3', '<b>6</b>', '1e1', '６']) {
    const r = readState(t, `hidden=${encodeURIComponent(bad)}`);
    assert.equal(r.values.hidden, '6-3', bad);
    assert.ok(r.notices.some((n) => n.key === 'hidden'), bad);
  }
  assert.equal(readState(t, 'deep.hidden=2000').values['deep.hidden'], '100-100-100-100');
  const q = new URLSearchParams({ part: 'evil', init: '<script>', data: 'x', edges: 'both', 'deep.kind': 'weights"', 'deep.bins': '1e6', batch: '-1', lr: '0', speed: 'Infinity' });
  const { values, notices } = readState(t, q);
  assert.equal(values.part, 'playground'); assert.equal(values.init, 'appropriate'); assert.equal(values.lr, 0.1);
  assert.equal(values['deep.kind'], 'activation'); assert.equal(values['deep.bins'], 30); assert.equal(values.batch, 0);
  for (const k of ['part', 'init', 'data', 'edges', 'deep.kind', 'deep.bins', 'batch', 'lr', 'speed']) assert.ok(notices.some((n) => n.key === k), k);
  assert.equal(playgroundSpec(readState(t, 'batch=32').values).batch_size, 32);
  assert.deepEqual(activationRange('tanh'), [-1, 1]);
  assert.equal(activationRange('relu'), null);
});

test('playground script: the exact initial weights, the data points and full-batch GD', () => {
  const v = readState(table('too-small'), 'preset=too-small').values;
  const spec = playgroundSpec(v);
  const sizes = spec.layer_sizes; // 2-6-3-1
  const n = sizes.slice(1).reduce((s, w, i) => s + w * sizes[i] + w, 0);
  const params = Float32Array.from({ length: n }, (_, i) => ((i * 37) % 11) / 100 - 0.05);
  const layout = []; let o = 0;
  for (let l = 1; l < sizes.length; l++) { layout.push(o, sizes[l] * sizes[l - 1], o + sizes[l] * sizes[l - 1], sizes[l]); o += sizes[l] * sizes[l - 1] + sizes[l]; }
  const P = splitParameters(params, layout, sizes);
  const src = networkScript(spec, { data: { kind: 'points', inputs: [0, 1, 1, 0], labels: [0, 1], dim: 2 }, steps: v.steps, initialParams: P, report: 'stats' });
  assert.match(src, /^LAYER_SIZES = \[2, 6, 3, 1\]$/m);
  assert.match(src, new RegExp(`^BATCH_SIZE = ${spec.batch_size ?? 1 << 30}  #`, 'm'));
  assert.match(src, new RegExp(`^STEPS = ${v.steps}$`, 'm'));
  assert.match(src, /net = make_net\(lambda: nn\.ReLU\(\)\)/);
  assert.match(src, /opt = torch\.optim\.SGD\(net\.parameters\(\), lr=0\.1, foreach=False\)/);
  // The embedded weights are exactly the given ones: float32, layer by layer, W [out][in] then b.
  const b64 = src.match(/^INITIAL = \(\n([\s\S]*?)\n\)/m)[1].split('\n').map((l) => l.trim().slice(1, -1)).join('');
  const got = new Float32Array(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer);
  assert.deepEqual(Array.from(got), Array.from(Float32Array.from(P.flatMap((p) => [...p.W.flat(), ...p.b]))));
  assert.ok(pythonOk(src));
  assert.throws(() => networkScript(spec, { data: { kind: 'points', inputs: [0, 1], labels: [0], dim: 2 }, initialParams: P.slice(1) }), /initialParams/);
});

test('deep script: the digits embedded, split and normalized from the seed like the engine, cross-entropy', () => {
  const v = readState(table('deep-xavier'), 'preset=deep-xavier').values;
  const spec = { ...deepSpec(v, 'ignored'), data: { normalize: true } };
  const P = fakeParams(spec.layer_sizes);
  const src = networkScript(spec, { data: { kind: 'csv', file: 'digits.csv', b64: 'eJwDAAAAAAE=' }, initialParams: P, steps: 560, report: 'stats' });
  assert.match(src, /^LAYER_SIZES = \[64, 100, 100, 100, 100, 10\]$/m);
  assert.match(src, /^BATCH_SIZE = 64  #/m);
  assert.match(src, /^_CSV = _blob\(/m);
  assert.doesNotMatch(src, /sklearn|CSV_PATH/);
  assert.match(src, /^NORMALIZE = True$/m);
  assert.match(src, /SPLIT_SEED = SEED  # the seed of the training\/validation split/);
  assert.match(src, /EngineRng\.derive\(SPLIT_SEED, 1\)\.shuffle\(perm\)/);
  assert.match(src, /loss_fn = nn\.CrossEntropyLoss\(\)/);
  assert.match(src, /make_net\(lambda: nn\.Tanh\(\)\)/);
  assert.ok(pythonOk(src));
  // a file name cannot inject Python
  const evil = networkScript(spec, { data: { kind: 'csv', file: 'x");import os;os.system("rm', b64: 'eJwDAAAAAAE=' }, initialParams: P });
  assert.ok(!evil.includes('os.system("rm'), 'file name sanitized');
});

test('the engine builds both networks and the presets behave as the lecture says (when built)', async (t) => {
  const E = await loadEngineOrNull();
  if (!E || typeof E.Trainer !== 'function') { t.skip('engine not built'); return; }
  const csv = digits();
  const stat = (tr, f) => { const ins = tr.inspect(10); const F = ins.fields; return Array.from({ length: ins.layers }, (_, l) => ins.stats[l * F.length + F.indexOf(f)]); };
  // zero: all activations 0, no gradient for the hidden weights
  const z = new E.Trainer(deepSpec(readState(table('deep-zero'), 'preset=deep-zero').values, csv));
  assert.ok(stat(z, 'act_var').slice(0, -1).every((x) => x === 0));
  z.free();
  // N(0,1) saturates tanh; Xavier keeps variance of order 0.1–1 in every hidden layer
  const nrm = new E.Trainer(deepSpec(readState(table('deep-normal'), 'preset=deep-normal').values, csv));
  assert.ok(stat(nrm, 'saturated_fraction').slice(0, -1).every((x) => x > 0.6), `saturated: ${stat(nrm, 'saturated_fraction')}`);
  nrm.free();
  const xav = new E.Trainer(deepSpec(readState(table('deep-xavier'), 'preset=deep-xavier').values, csv));
  const vx = stat(xav, 'act_var').slice(0, -1);
  assert.ok(vx.every((x) => x > 0.02 && x < 1), `xavier variances ${vx}`);
  xav.free();
  // the playground trains with "appropriate" and does not with "zero"
  const app = new E.Trainer(playgroundSpec(readState(table('appropriate'), 'preset=appropriate').values));
  const l0 = app.evaluate().train_loss; app.step(3000);
  assert.ok(app.evaluate().train_loss < 0.5 * l0, 'appropriate: the cost falls');
  app.free();
  const zero = new E.Trainer(playgroundSpec(readState(table('zero'), 'preset=zero').values));
  zero.step(500);
  assert.ok(Math.abs(zero.evaluate().train_loss - Math.log(2)) < 1e-3, 'zero: the cost stays at log 2');
  zero.free();
});
