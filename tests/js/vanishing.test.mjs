// Unit tests of the vanishing/exploding-gradients lab's pure modules: its URL table and presets
// (www/js/nn/vanishing-config.js), the activation derivatives (PyTorch's formulas: tests/js/activation-reference.mjs) and
// the PyTorch script generator for networks (www/js/shared/torch-nn.js) with this lab's specs.
// Run: node --test tests/js/
import test from 'node:test';
import assert from 'node:assert/strict';
import { readState, writeState } from '../../www/js/shared/state.js';
import { g, dg, curve, erf } from './activation-reference.mjs';
import { networkScript, torchInitLines, splitParameters, columnsCSV, f32 } from '../../www/js/shared/torch-nn.js';
import { fakeParams } from './helpers.mjs';
import { DEFAULTS, PRESETS, PRESET_IDS, baseFor, buildTable, deepLinearSpec, mlpSpec, componentMagnitude } from '../../www/js/nn/vanishing-config.js';
import { loadEngineOrNull } from './helpers.mjs';
import { pythonOk } from './nn-helpers.mjs';

// The exports print torch.optim's construction with the engine (src/optim/torch.rs).
const E = await loadEngineOrNull();

const table = (id = '') => buildTable(baseFor(id));

test('vanishing table: defaults load with no notices and write an empty query', () => {
  const { values, notices } = readState(table(), '');
  assert.deepEqual(notices, []);
  assert.equal(values.k, DEFAULTS.k);
  assert.equal(values.d, DEFAULTS.d);
  assert.deepEqual(values.lam, [1.1, 0.9, 1.0]);
  assert.deepEqual(values.x, [1, 1, 1]);
  assert.equal(values.act, 'sigmoid');
  assert.equal(values['init.std'], undefined, 'init.std only applies to init=normal');
  assert.equal(writeState(table(), values), '');
});

test('vanishing table: the number of eigenvalues follows d', () => {
  const t = table();
  assert.deepEqual(readState(t, 'd=2&lam=1.2,0.8').values.lam, [1.2, 0.8]);
  const bad = readState(t, 'd=2&lam=1.2,0.8,0.5');
  assert.deepEqual(bad.values.lam, [1.1, 0.9]);
  assert.ok(bad.notices.some((n) => n.key === 'lam'));
  assert.deepEqual(readState(t, 'd=5').values.lam, [1.1, 0.9, 1.0, 0.8, 1.2]);
  assert.deepEqual(readState(t, 'd=4&x=1,2,3,4').values.x, [1, 2, 3, 4]);
  // eigenvalues stay inside the engine's [-10, 10]
  assert.ok(readState(t, 'd=2&lam=11,1').notices.some((n) => n.key === 'lam'));
});

test('vanishing table: hostile values fall back to defaults with a notice each', () => {
  const q = new URLSearchParams();
  q.append('k', '1e9'); q.append('d', '<script>'); q.append('lam', 'NaN,1,1'); q.append('angle', 'Infinity');
  q.append('act', 'sigmoid"><img src=x onerror=alert(1)>'); q.append('init', 'javascript:alert(1)'); q.append('lr', '-1');
  q.append('depth', '1000'); q.append('width', '0x20'); q.append('data', '../../etc/passwd'); q.append('hide', 'controls,<b>');
  q.append('theme', 'x'); q.append('__proto__', '1'); q.append('<svg onload=alert(1)>', '1'); q.append('init.std', '5');
  const { values, notices } = readState(table(), q);
  const d = readState(table(), '').values;
  for (const k of ['k', 'd', 'lam', 'angle', 'act', 'init', 'lr', 'depth', 'width', 'data', 'theme']) assert.deepEqual(values[k], d[k], k);
  assert.deepEqual(values.hide, ['controls'], 'hide= keeps its known items (the unknown one only warns)');
  const keys = notices.map((n) => n.key);
  for (const k of ['k', 'd', 'lam', 'angle', 'act', 'init', 'lr', 'depth', 'width', 'data', 'theme', '__proto__', 'init.std']) assert.ok(keys.includes(k), `notice for ${k}`);
  assert.ok(notices.some((n) => n.key.startsWith('<svg')));
  assert.equal(Object.getPrototypeOf(values), Object.prototype);
  for (const v of Object.values(values)) if (typeof v === 'string') assert.ok(!/[<>"]/.test(v), v);
});

test('vanishing presets: each loads with no notices, round-trips, and differs from the defaults', () => {
  for (const p of PRESETS) {
    const t = table(p.id);
    const { values, notices } = readState(t, `preset=${p.id}`);
    assert.deepEqual(notices, [], p.id);
    for (const [k, v] of Object.entries(p.values)) assert.deepEqual(values[k], v, `${p.id}: ${k}`);
    assert.equal(writeState(t, values), `preset=${p.id}`, p.id);
    const back = readState(t, writeState(t, { ...values, k: 7 })).values;
    assert.equal(back.k, 7);
    assert.ok(p.note.length > 40 && p.title.length > 5);
  }
  assert.equal(new Set(PRESET_IDS).size, PRESET_IDS.length);
});

test('deepLinearSpec converts degrees to radians; the closed form is |λ^l (x·e)|', () => {
  const v = readState(table(), 'd=2&lam=1.2,0.8&angle=90&k=5').values;
  const s = deepLinearSpec(v);
  assert.deepEqual(s.eigenvalues, [1.2, 0.8]);
  assert.ok(Math.abs(s.angle - Math.PI / 2) < 1e-15);
  assert.equal(s.depth, 5);
  assert.ok(Math.abs(componentMagnitude(1.2, -2, 3) - 2 * 1.728) < 1e-12);
});

test('the engine\'s deep linear network matches the lecture\'s closed form (when www/pkg is built)', async (t) => {
  const E = await loadEngineOrNull();
  if (!E || typeof E.deepLinear !== 'function') { t.skip('engine not built'); return; }
  const v = readState(table(), 'd=3&lam=1.1,0.9,0.5&angle=30&k=40&x=1,2,-1').values;
  const r = E.deepLinear(deepLinearSpec(v));
  assert.equal(r.norms.length, 41);
  for (let i = 0; i < 3; i++) {
    const xe = r.components[i];
    for (const l of [0, 1, 10, 40]) {
      const want = v.lam[i] ** l * xe, got = r.components[l * 3 + i];
      assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `i=${i} l=${l}: ${got} vs ${want}`);
    }
  }
  assert.throws(() => E.deepLinear({ ...deepLinearSpec(v), depth: 1e6 }), /depth/);
});

test('activations: g′ agrees with central differences, PyTorch kinks and maxima', () => {
  const h = 1e-5;
  for (const name of ['identity', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'gelu']) {
    for (let x = -5.3; x <= 5.3; x += 0.37) {
      if (Math.abs(x) < 2 * h) continue;
      const fd = (g(name, x + h) - g(name, x - h)) / (2 * h);
      assert.ok(Math.abs(fd - dg(name, x)) < 1e-6, `${name} at ${x}: ${fd} vs ${dg(name, x)}`);
    }
  }
  assert.equal(dg('relu', 0), 0);           // torch: relu'(0) = 0
  assert.equal(dg('leaky_relu', 0), 0.01);  // torch: negative_slope at 0
  assert.equal(dg('sigmoid', 0), 0.25);
  assert.equal(dg('tanh', 0), 1);
  const c = curve('sigmoid', -8, 8, 1601);
  assert.ok(Math.max(...c.dg) <= 0.25 + 1e-15);
  assert.equal(c.x.length, 1601);
  assert.equal(c.x[800], 0);
  // erf: a few reference values (Abramowitz & Stegun table 7.1)
  for (const [x, e] of [[0.5, 0.5204998778], [1, 0.8427007929], [2, 0.9953222650], [-1, -0.8427007929], [3, 0.9999779095]]) assert.ok(Math.abs(erf(x) - e) < 2e-8, `erf(${x})`);
  // gelu(1) = Φ(1) = 0.8413447…
  assert.ok(Math.abs(g('gelu', 1) - 0.8413447460685429) < 1e-9);
  assert.throws(() => g('<script>', 1), /unknown/);
});

test('the engine\'s activation registry: every activation, its sup g′ and torch module against PyTorch\'s formulas', (t) => {
  if (!E) { t.skip('engine not built'); return; }
  const info = E.networkOptions().activation_info;
  assert.deepEqual(info.map((a) => a.name), E.networkOptions().activations);
  const torch = { identity: 'nn.Identity()', sigmoid: 'nn.Sigmoid()', tanh: 'nn.Tanh()', relu: 'nn.ReLU()', leaky_relu: 'nn.LeakyReLU(negative_slope=0.01)', gelu: 'nn.GELU()' };
  for (const a of info) {
    let sup = -Infinity;
    for (let i = -40000; i <= 40000; i++) sup = Math.max(sup, dg(a.name, i * 1e-4));
    assert.ok(Math.abs(sup - a.max_derivative) < 1e-7, `${a.name}: PyTorch's g′ peaks at ${sup}, the engine says ${a.max_derivative}`);
    assert.equal(E.torchActivation(a.name), torch[a.name], a.name);
    assert.ok(a.label && a.formula && a.derivative, `${a.name}: labels and formulas`);
  }
  assert.equal(E.torchActivation({ name: 'leaky_relu', negative_slope: 0.2 }), 'nn.LeakyReLU(negative_slope=0.2)');
  assert.throws(() => E.torchActivation({ name: 'relu', negative_slope: 0.2 }), /negative_slope/);
  assert.equal(E.torchLoss('bce_with_logits'), 'nn.BCEWithLogitsLoss()');
  assert.throws(() => E.torchLoss('hinge'), /loss: unknown loss/);
});

test('activations agree with the engine (mlpGradients of a 1-1-1 net gives g and g′) when built', async (t) => {
  if (!E || typeof E.mlpGradients !== 'function') { t.skip('engine not built'); return; }
  for (const name of ['sigmoid', 'tanh', 'relu', 'gelu', 'leaky_relu']) {
    for (const x of [-2.5, -0.3, 0.7, 3.1]) {
      // z = 1·x + 0, h = g(z), out = 1·h; mse against 0: dL/dw1 = 2·out·1·g′(z)·x
      const r = E.mlpGradients({ layer_sizes: [1, 1, 1], activation: name, loss: 'mse', weights: [[[1]], [[1]]], biases: [[0], [0]], inputs: [[x]], targets: [[0]], dtype: 'f64' });
      assert.ok(Math.abs(r.hidden[0].h[0][0] - g(name, x)) < 1e-12, `${name} g(${x})`);
      const want = 2 * g(name, x) * dg(name, x) * x;
      assert.ok(Math.abs(r.grad_weights[0][0][0] - want) < 1e-10, `${name} g′(${x}): ${r.grad_weights[0][0][0]} vs ${want}`);
    }
    // The curves the lab draws (E.activationCurve) are PyTorch's g and g′, kinks included.
    const c = E.activationCurve(name, -6, 6, 481);
    assert.equal(c.x.length, 481);
    for (let i = 0; i < 481; i += 8) {
      // (the reference erf is exact to 1e-14 only for |x/√2| < 2.5)
      if (name === 'gelu' && Math.abs(c.x[i]) >= 3.5) continue;
      assert.ok(Math.abs(c.g[i] - g(name, c.x[i])) < 1e-12 && Math.abs(c.dg[i] - dg(name, c.x[i])) < 1e-9, `${name} curve at ${c.x[i]}: ${c.g[i]}, ${c.dg[i]}`);
    }
    assert.equal(c.dg[240], dg(name, 0), `${name}′(0)`);
  }
});

test('the deep MLP spec follows the URL values', () => {
  const v = readState(table(), 'act=tanh&init=normal&init.std=0.5&depth=7&width=16&data=moons&n=300&noise=0.1&opt=sgd&lr=0.02&momentum=0.9&batch=50&seed=3').values;
  const s = mlpSpec(v);
  assert.deepEqual(s.layer_sizes, [2, 16, 16, 16, 16, 16, 16, 16, 1]);
  assert.equal(s.activation, 'tanh');
  assert.deepEqual(s.init, { name: 'normal', std: 0.5 });
  assert.deepEqual(s.optimizer, { name: 'sgd', lr: 0.02, momentum: 0.9 });
  assert.equal(s.batch_size, 50);
  assert.deepEqual(s.data, { name: 'moons', n: 300, noise: 0.1, seed: 3 });
  assert.equal(mlpSpec(readState(table(), 'init=kaiming_normal').values).init.nonlinearity, 'relu');
  assert.deepEqual(mlpSpec(readState(table(), 'opt=adam&lr=0.001').values).optimizer, { name: 'adam', lr: 0.001 });
});

test('PyTorch script of the deep MLP: network, init, optimizer, batches, steps and data match the spec', () => {
  const v = readState(table(), 'act=tanh&init=xavier_normal&depth=3&width=8&opt=sgd&lr=0.05&momentum=0.9&batch=16&seed=7&steps=123').values;
  const spec = mlpSpec(v);
  const inputs = [0.1, -0.2, 0.3, 0.4, -0.5, 0.25], labels = [0, 1, 1];
  const src = networkScript(spec, { data: { kind: 'points', inputs, labels, dim: 2 }, initialParams: fakeParams(spec.layer_sizes), steps: v.steps, report: 'gradnorms', title: 'test' });
  assert.match(src, /^LAYER_SIZES = \[2, 8, 8, 8, 1\]$/m);
  assert.match(src, /^BATCH_SIZE = 16  #/m);
  assert.match(src, /^STEPS = 123$/m);
  assert.match(src, /^SEED = 7$/m);
  assert.match(src, /net = make_net\(lambda: nn\.Tanh\(\)\)/);
  assert.match(src, /# The playground's initial weights \(drawn by the playground as torch\.nn\.init\.xavier_normal_\(lin\.weight, gain=1\.0\); biases 0\)/);
  assert.match(src, /opt = torch\.optim\.SGD\(net\.parameters\(\), lr=0\.05, momentum=0\.9, foreach=False\)/);
  assert.match(src, /loss_fn = nn\.BCEWithLogitsLoss\(\)/);
  assert.match(src, /_XS = \[\n    0\.1, -0\.2, 0\.3, 0\.4, -0\.5, 0\.25,\n\]/);
  assert.match(src, /LABELS = \[\n    0, 1, 1,\n\]/);
  assert.match(src, /layer_report\(net\)/);
  assert.match(src, /^NORMALIZE = False$/m);
  assert.ok(pythonOk(src));
});

test('torch init lines: every engine initialization has an equivalent', () => {
  const cases = {
    torch_default: /reset_parameters/, zeros: /zeros_\(lin\.weight\)/, xavier_uniform: /xavier_uniform_/, xavier_normal: /xavier_normal_/,
    kaiming_normal: /kaiming_normal_\(lin\.weight, a=0\.0, mode="fan_in", nonlinearity="leaky_relu"\)/, kaiming_uniform: /kaiming_uniform_/,
    lecun_normal: /1\.0 \/ math\.sqrt\(lin\.in_features\)/, orthogonal: /orthogonal_/, zero: /zeros_\(lin\.weight\)/,
    too_small: /math\.sqrt\(0\.01 \/ lin\.in_features\)/, appropriate: /math\.sqrt\(1\.0 \/ lin\.in_features\)/, too_large: /math\.sqrt\(100\.0 \/ lin\.in_features\)/,
  };
  for (const [name, re] of Object.entries(cases)) assert.match(torchInitLines(name).join('\n'), re, name);
  assert.match(torchInitLines({ name: 'normal', std: 0.5 })[0], /normal_\(lin\.weight, 0\.0, 0\.5\)/);
  assert.match(torchInitLines({ name: 'uniform', a: 0.2 })[0], /uniform_\(lin\.weight, -0\.2, 0\.2\)/);
  assert.match(torchInitLines({ name: 'xavier_normal', variant: 'fan_in' })[0], /1\.0 \/ math\.sqrt\(lin\.in_features\)/);
  assert.match(torchInitLines({ name: 'kaiming_normal', nonlinearity: 'relu' })[0], /nonlinearity="relu"/);
  assert.match(torchInitLines({ name: 'kaiming_uniform', nonlinearity: 'identity', mode: 'fan_out' })[0], /a=0\.0, mode="fan_out", nonlinearity="linear"/, 'torch calls identity "linear"');
  assert.throws(() => torchInitLines('<b>'), /init: unknown initialization/);
  assert.throws(() => torchInitLines({ name: 'normal', std: -1 }), /init\.std/);
  assert.throws(() => torchInitLines('zeros', 'lin); import os'), /Python name/);
  const data = { kind: 'points', inputs: [0, 1], labels: [0], dim: 2 }, initialParams = fakeParams([2, 1]);
  assert.throws(() => networkScript({ layer_sizes: [2, 1], optimizer: { name: 'newton' } }, { data, initialParams }), /optimizer/);
  assert.throws(() => networkScript({ layer_sizes: [2, 1], activation: 'x', optimizer: { name: 'sgd', lr: 1 } }, { data, initialParams }), /activation/);
});

test('splitParameters and CSV helpers', () => {
  const p = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]); // W1 2×2 (4), b1 (2), W2 1×2 (2), b2 (1)
  const out = splitParameters(p, [0, 4, 4, 2, 6, 2, 8, 1], [2, 2, 1]);
  assert.deepEqual(out, [{ W: [[1, 2], [3, 4]], b: [5, 6] }, { W: [[7, 8]], b: [9] }]);
  assert.throws(() => splitParameters(p, [0, 3, 4, 2, 6, 2, 8, 1], [2, 2, 1]), /layout/);
  assert.equal(columnsCSV({ a: [1, NaN], '=b': ['x"y'] }), '"a","=b"\n1,"x""y"\n,\n');
  assert.equal(f32(0.1), 0.1);
  assert.equal(f32(Math.fround(1 / 3)), 0.33333334);
});
