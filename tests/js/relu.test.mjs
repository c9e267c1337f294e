// Unit tests of the "why ReLU" lab's URL table, race arithmetic and specs (www/js/nn/relu-config.js)
// and of its PyTorch race script (www/js/shared/torch-nn.js).
// Run: node --test tests/js/
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readState, writeState } from '../../www/js/shared/state.js';
import { networkScript } from '../../www/js/shared/torch-nn.js';
import { fakeParams } from './helpers.mjs';
import { DEFAULTS, PRESETS, baseFor, buildTable, raceSpec, csvShape, epochsToThreshold, speedup, DATASETS } from '../../www/js/nn/relu-config.js';
import { ROOT, loadEngineOrNull } from './helpers.mjs';
import { pythonOk } from './nn-helpers.mjs';

// The exports print torch.optim's construction with the engine (src/optim/torch.rs).
await loadEngineOrNull();

const table = (id = '') => buildTable(baseFor(id));

test('relu table: defaults, presets and per-activation learning rates', () => {
  const { values, notices } = readState(table(), '');
  assert.deepEqual(notices, []);
  assert.deepEqual(values.runs, ['sigmoid', 'tanh', 'relu']);
  assert.equal(values['lr.relu'], DEFAULTS['lr.relu']);
  assert.equal(values['lr.gelu'], undefined, 'lr of an activation not racing does not apply');
  assert.equal(writeState(table(), values), '');
  const r = readState(table(), 'runs=relu,gelu&lr.gelu=0.2&lr.sigmoid=0.3');
  assert.deepEqual(r.values.runs, ['relu', 'gelu']);
  assert.equal(r.values['lr.gelu'], 0.2);
  assert.ok(r.notices.some((n) => n.key === 'lr.sigmoid'), 'lr of a non-racer is reported');
  for (const p of PRESETS) {
    const t = table(p.id);
    const q = readState(t, `preset=${p.id}`);
    assert.deepEqual(q.notices, [], p.id);
    for (const [k, v] of Object.entries(p.values)) assert.deepEqual(q.values[k], v, `${p.id}: ${k}`);
    assert.equal(writeState(t, q.values), `preset=${p.id}`);
  }
});

test('relu table: hostile values fall back with notices', () => {
  const q = new URLSearchParams({ runs: '', thr: '1', epochs: '0', data: '<img src=x>', hidden: 'a-b', init: 'x', momentum: '1', 'lr.relu': 'NaN', yscale: 'javascript:', speed: '1e99', batch: '0' });
  const { values, notices } = readState(table(), q);
  const d = readState(table(), '').values;
  for (const k of ['runs', 'thr', 'epochs', 'data', 'hidden', 'init', 'momentum', 'lr.relu', 'yscale', 'speed', 'batch']) {
    assert.deepEqual(values[k], d[k], k);
    assert.ok(notices.some((n) => n.key === k), `notice ${k}`);
  }
  assert.ok(readState(table(), 'runs=relu,evil').notices.some((n) => n.key === 'runs'));
});

test('epochs to threshold are interpolated; the speed-up is their ratio', () => {
  assert.equal(epochsToThreshold([0.9, 0.5, 0.2], 0.25), 1 + (0.5 - 0.25) / (0.5 - 0.2));
  assert.equal(epochsToThreshold([0.1], 0.25), 0);
  assert.equal(epochsToThreshold([0.9, 0.8], 0.25), null);
  assert.equal(epochsToThreshold([0.9, 0.25], 0.25), 1);
  assert.equal(speedup(6, 1), 6);
  assert.equal(speedup(null, 1), null);
  assert.equal(speedup(3, 0), null);
});

test('race specs: the same network, init, batches and seed; only activation and lr differ', () => {
  const csv = fs.readFileSync(path.join(ROOT, 'www/data/digits.csv'), 'utf8');
  const sh = csvShape(csv);
  assert.deepEqual(sh, { dim: 64, classes: 10, n: 1797 });
  const v = readState(table('krizhevsky'), 'preset=krizhevsky&lr.relu=0.002').values;
  const a = raceSpec(v, 'tanh', csv, sh.dim, sh.classes), b = raceSpec(v, 'relu', csv, sh.dim, sh.classes);
  assert.deepEqual(a.layer_sizes, [64, 100, 100, 100, 10]);
  assert.deepEqual({ ...a, activation: 0, optimizer: 0 }, { ...b, activation: 0, optimizer: 0 });
  assert.equal(a.activation, 'tanh'); assert.equal(b.activation, 'relu');
  assert.deepEqual(a.optimizer, { name: 'sgd', lr: 0.0005, momentum: 0.9 });
  assert.deepEqual(b.optimizer, { name: 'sgd', lr: 0.002, momentum: 0.9 });
  assert.deepEqual(a.init, { name: 'normal', std: 0.3 });
  assert.equal(a.loss, 'cross_entropy');
  const s = raceSpec(readState(table('spiral'), 'preset=spiral').values, 'relu');
  assert.deepEqual(s.layer_sizes, [2, 32, 32, 32, 1]);
  assert.equal(s.loss, 'bce_with_logits');
  assert.deepEqual(s.data, { name: 'spiral', n: 400, noise: 0.05, seed: 1 });
  for (const d of Object.values(DATASETS)) if (!d.generator) assert.ok(fs.existsSync(path.join(ROOT, 'www/data', d.file)), d.file);
});

test('race script: one network per activation from the same seed, its own lr, threshold and epochs', () => {
  const v = readState(table(), 'lr.sigmoid=0.5').values;
  const spec = { ...raceSpec(v, 'sigmoid', null, 64, 10), data: { normalize: true } };
  const src = networkScript(spec, { data: { kind: 'csv', file: 'digits.csv', b64: 'eJwDAAAAAAE=' }, initialParams: fakeParams(spec.layer_sizes), race: { runs: [{ activation: 'sigmoid', lr: 0.5 }, { activation: 'tanh', lr: 0.05 }, { activation: 'relu', lr: 0.05 }], threshold: v.thr, epochs: v.epochs } });
  assert.match(src, /^THRESHOLD = 0\.05  #/m);
  assert.match(src, /^MAX_EPOCHS = 30$/m);
  assert.match(src, /\("sigmoid", lambda: nn\.Sigmoid\(\), 0\.5\),\n    \("tanh", lambda: nn\.Tanh\(\), 0\.05\),\n    \("relu", lambda: nn\.ReLU\(\), 0\.05\),/);
  assert.match(src, /opt = torch\.optim\.SGD\(net\.parameters\(\), lr=lr, momentum=0\.9, foreach=False\)/);
  assert.match(src, /net = make_net\(act\)  # the same initial weights for every activation/);
  assert.match(src, /batches = Batches\(\)  # the same mini-batches for every activation/);
  assert.match(src, /def epochs_to_threshold\(errs\):/);
  assert.match(src, /^BATCH_SIZE = 32  #/m);
  assert.ok(pythonOk(src));
});

test('the engine: same seed gives the same initial weights for every activation (when built)', async (t) => {
  const E = await loadEngineOrNull();
  if (!E || typeof E.Trainer !== 'function') { t.skip('engine not built'); return; }
  const v = readState(table('spiral'), 'preset=spiral').values;
  const a = new E.Trainer(raceSpec(v, 'sigmoid')), b = new E.Trainer(raceSpec(v, 'relu'));
  assert.deepEqual(Array.from(a.parameters()), Array.from(b.parameters()));
  a.free(); b.free();
});
