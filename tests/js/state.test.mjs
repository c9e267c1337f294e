// Unit tests of the URL state table (www/js/shared/state.js) and of the optimizer lab's table
// (www/js/optimizer/url-table.js): hostile values, ranges, defaults, round trips.
// Run: node --test tests/js/
import test from 'node:test';
import assert from 'node:assert/strict';
import { readState, writeState, parseValue } from '../../www/js/shared/state.js';
import { DEFAULTS, buildTable, racersFrom, landscapeSpec, schedulerSpec, racerSpec, racerLabel, URL_CAP } from '../../www/js/optimizer/url-table.js';
import { PRESETS, PRESET_IDS, presetValues } from '../../www/js/optimizer/presets.js';
import { META, fakeCheck, loadEngineOrNull } from './helpers.mjs';

const table = (presetId = '') => {
  const p = PRESETS.find((q) => q.id === presetId);
  return buildTable(META, PRESET_IDS, { ...DEFAULTS, ...(p ? presetValues(p, META) : {}) }, fakeCheck);
};
const defaults = () => readState(table(), '').values;

test('numbers: only finite decimal literals inside the range are accepted', () => {
  const e = { key: 'k', type: 'number', min: 0, max: 10 };
  for (const ok of ['0', '1', '1.5', '.5', '5.', '1e-3', '1E+0', '+2', '10']) assert.equal(parseValue(e, ok).ok, true, ok);
  for (const bad of ['', ' ', 'NaN', 'nan', 'Infinity', '-Infinity', '1e308', '1e309', '0x10', '0b1', '1,5', '1_0', '--1', '11', '-1', '1e-3x', '<script>', '１']) {
    assert.equal(parseValue(e, bad).ok, false, bad);
  }
  assert.equal(parseValue({ key: 'k', type: 'int', min: 0, max: 5 }, '2.5').ok, false);
  assert.equal(parseValue({ key: 'k', type: 'number', min: 0, minOpen: true }, '0').ok, false);
});

test('defaults load with no notices', () => {
  const { values, notices } = readState(table(), '');
  assert.deepEqual(notices, []);
  assert.equal(values.f, DEFAULTS.f);
  assert.equal(values.o1, 'sgd');
  assert.equal(values['o1.lr'], DEFAULTS['o1.lr']);
  assert.equal(values['o1.momentum'], 0); // PyTorch default from the metadata
  assert.equal(values['o3.lr'], DEFAULTS['o3.lr']);
  assert.deepEqual(values['o3.betas'], [0.9, 0.999]);
  assert.equal(values.o4, 'none');
  assert.equal(values['o4.lr'], undefined);
  assert.equal(writeState(table(), values), '');
});

test('hostile URL: unknown names, NaN, huge numbers and script fragments fall back to defaults with notices', () => {
  const hostile = new URLSearchParams();
  hostile.append('f', '<script>alert(1)</script>');
  hostile.append('o1', 'sgd"><img src=x onerror=alert(1)>');
  hostile.append('o1.lr', 'NaN');
  hostile.append('o3.lr', '1e308');
  hostile.append('x0', 'Infinity');
  hostile.append('y0', '-1e999');
  hostile.append('steps', '1e9');
  hostile.append('view', '1,2,3');
  hostile.append('hide', 'controls,<b>');
  hostile.append('cmap', 'javascript:alert(1)');
  hostile.append('__proto__', 'x');
  hostile.append('constructor', '1');
  hostile.append('<svg onload=alert(1)>', '1');
  hostile.append('sel', '1.5');
  hostile.append('embed', 'yes');
  const { values, notices } = readState(table(), hostile);
  const d = defaults();
  for (const k of ['f', 'o1', 'o1.lr', 'o3.lr', 'x0', 'y0', 'steps', 'view', 'cmap', 'sel', 'embed']) {
    assert.deepEqual(values[k], d[k], k);
  }
  // hide= is lenient (a course page's link may name a part this lab lacks): known items kept, the
  // unknown one dropped with a console warning and no notice.
  assert.deepEqual(values.hide, ['controls']);
  const keys = notices.map((n) => n.key);
  assert.ok(!keys.includes('hide'));
  for (const k of ['f', 'o1', 'o1.lr', 'o3.lr', 'x0', 'y0', 'steps', 'view', 'cmap', '__proto__', 'constructor', 'sel', 'embed']) assert.ok(keys.includes(k), `notice for ${k}`);
  assert.ok(notices.some((n) => n.key.startsWith('<svg')), 'unknown hostile key reported');
  assert.equal(Object.getPrototypeOf(values), Object.prototype, 'no prototype pollution');
  assert.equal({}.x, undefined);
  // No value anywhere holds URL text that was not on an allow-list.
  for (const v of Object.values(values)) if (typeof v === 'string') assert.ok(!/[<>"]/.test(v), v);
  // Notice previews are short.
  for (const n of notices) assert.ok(n.value.length <= 40 && n.key.length <= 40);
});

test('ranges come from the engine metadata; unbounded ones are capped in links', () => {
  const t = table();
  const lr = (s) => readState(t, `o1=sgd&o1.lr=${s}`).values['o1.lr'];
  assert.equal(lr('0.5'), 0.5);
  assert.equal(lr('-1'), DEFAULTS['o1.lr']);                 // min 0
  assert.equal(lr(String(URL_CAP * 10)), DEFAULTS['o1.lr']); // no max in the engine: URL cap
  const b = (s) => readState(t, `o3=adam&o3.betas=${s}`);
  assert.deepEqual(b('0.8,0.99').values['o3.betas'], [0.8, 0.99]);
  assert.deepEqual(b('0.8,1').values['o3.betas'], [0.9, 0.999]); // betas < 1 (open bound)
  assert.deepEqual(b('0.8').values['o3.betas'], [0.9, 0.999]);
  const v = (s) => readState(t, `view=${s}`).values.view;
  assert.deepEqual(v('-1,1,-2,2'), [-1, 1, -2, 2]);
  assert.deepEqual(v('1,-1,-2,2'), defaults().view); // xmin < xmax
});

test('per-racer parameters depend on the racer\'s optimizer', () => {
  const { values, notices } = readState(table(), 'o2=adam&o2.momentum=0.9&o2.betas=0.8,0.9');
  assert.equal(values.o2, 'adam');
  assert.equal(values['o2.momentum'], undefined);
  assert.deepEqual(values['o2.betas'], [0.8, 0.9]);
  assert.equal(values['o2.lr'], 0.001, 'Adam\'s PyTorch default lr, not the preset\'s SGD lr');
  assert.ok(notices.some((n) => n.key === 'o2.momentum' && /does not apply/.test(n.reason)));
  const racers = racersFrom(values, META);
  assert.deepEqual(racers.map((r) => r.name), ['sgd', 'adam', 'adam']);
});

test('round trip: write then read gives the same values, for defaults, presets and edits', () => {
  for (const id of ['', ...PRESET_IDS]) {
    const t = table(id);
    const base = readState(t, id ? `preset=${id}` : '').values;
    const edited = { ...base, x0: 0.125, y0: -1.5, steps: 123, o1: 'rmsprop', 'o1.lr': 0.003, 'o1.centered': true, sched: 'cosine', 'sched.T_max': 77, hide: ['chart', 'anatomy'], view: [-1, 2, -3, 4], cmap: 'magma', chart: 'linear' };
    for (const k of Object.keys(edited)) if (k.startsWith('o1.') && !['o1.lr', 'o1.centered'].includes(k)) delete edited[k];
    for (const v of [base, edited]) {
      const qs = writeState(t, v);
      const { values, notices } = readState(t, qs);
      assert.deepEqual(notices, [], `${id}: ${qs}`);
      assert.equal(writeState(t, values), qs, id);
      for (const [k, x] of Object.entries(values)) if (x !== undefined && v[k] !== undefined) assert.deepEqual(x, v[k], `${id} ${k}`);
    }
  }
});

test('a preset link is short: only the preset name', () => {
  const t = table('saddle');
  const v = readState(t, 'preset=saddle').values;
  assert.equal(writeState(t, v), 'preset=saddle');
  assert.equal(v.f, 'saddle');
  assert.equal(racersFrom(v, META).length, 6);
});

test('expression entry: only for f=custom, validated by checkExpression, character allow-list', () => {
  const t = table();
  assert.equal(readState(t, 'f=custom&expr=sin(x)*cos(y)').values.expr, 'sin(x)*cos(y)');
  const bad = readState(t, 'f=custom&expr=sin(x');
  assert.notEqual(bad.values.expr, 'sin(x');
  assert.ok(bad.notices.some((n) => n.key === 'expr' && /invalid expression/.test(n.reason)));
  assert.ok(readState(t, 'f=custom&expr=x<script>').notices.some((n) => n.key === 'expr'));
  assert.ok(readState(t, 'f=rosenbrock&expr=x').notices.some((n) => n.key === 'expr' && /does not apply/.test(n.reason)));
  assert.deepEqual(landscapeSpec(readState(t, 'f=custom&expr=x*y').values, META), { expression: 'x*y' });
});

test('landscape and scheduler specs follow the engine contract', () => {
  const t = table();
  const v = readState(t, 'f=quadratic&lp.a=2&lp.angle=30&sched=step&sched.step_size=10').values;
  assert.deepEqual(landscapeSpec(v, META), { name: 'quadratic', a: 2, b: 10, angle: 30 });
  assert.deepEqual(schedulerSpec(v, META), { name: 'step', step_size: 10, gamma: 0.1 });
  assert.equal(landscapeSpec(readState(t, 'f=beale').values, META), 'beale');
  assert.equal(schedulerSpec(readState(t, '').values, META), null);
});

test('every preset is valid against the table and runs in the engine without error', async () => {
  const E = await loadEngineOrNull();
  for (const p of PRESETS) {
    const t = table(p.id);
    const { values, notices } = readState(t, `preset=${p.id}`);
    assert.deepEqual(notices, [], p.id);
    for (const [k, x] of Object.entries(presetValues(p, META))) assert.deepEqual(values[k], x, `${p.id}.${k} survives the table`);
    if (!E) continue;
    for (const r of racersFrom(values, META)) {
      const spec = { ...racerSpec(values, META, r), steps: 20 };
      const tr = E.trajectory(spec);
      assert.ok(tr.points.length >= 2, `${p.id}/${r.name}`);
    }
  }
});

test('per-racer mini-batch size, seed and schedule: data landscapes only, in the spec and the label', () => {
  const t = table('minibatch');
  const { values, notices } = readState(t, 'preset=minibatch&o2.batch_size=25&o2.seed=7&o3.sched=cosine&o3.sched.T_max=50');
  assert.deepEqual(notices, []);
  const rs = racersFrom(values, META);
  assert.deepEqual(rs.map((r) => r.batch_size), [1, 25, 50, 150, 10]);
  const s2 = racerSpec(values, META, rs[1]);
  assert.equal(s2.batch_size, 25);
  assert.equal(s2.seed, 7);
  assert.equal(s2.landscape, 'iris_petals_standardized');
  const s4 = racerSpec(values, META, rs[3]);
  assert.ok(!('batch_size' in s4) && !('seed' in s4), 'B = n is full batch: no batch in the spec');
  assert.deepEqual(racerSpec(values, META, rs[2]).scheduler, { name: 'cosine', T_max: 50, eta_min: 0 });
  assert.deepEqual(racerSpec(values, META, rs[4]).scheduler, { name: 'inverse_time', decay: 0.02 });
  assert.equal(racerSpec(values, META, rs[0]).scheduler, null, 'the shared schedule (constant)');
  assert.deepEqual(rs.map((r) => racerLabel(r, values.f)), ['SGD B=1', 'SGD B=25', 'SGD B=50 · cosine', 'SGD full batch', 'SGD B=10 · 1/t decay']);
  // Out of range / not applicable: defaults with notices.
  const bad = readState(t, 'preset=minibatch&o1.batch_size=151&o2.seed=-1&o3.sched=fancy');
  assert.deepEqual(['o1.batch_size', 'o2.seed', 'o3.sched'].map((k) => bad.values[k]), [1, 0, 'shared']);
  assert.equal(bad.notices.length, 3);
  const other = readState(table(), 'f=himmelblau&o1.batch_size=10');
  assert.equal(other.values['o1.batch_size'], undefined);
  assert.ok(other.notices.some((n) => n.key === 'o1.batch_size' && /does not apply/.test(n.reason)));
  assert.ok(!('batch_size' in racerSpec(other.values, META, racersFrom(other.values, META)[0])));
  // The raw twin keeps the racers' batch sizes (the standardize toggle changes only the data).
  const raw = readState(t, writeState(t, { ...values, f: 'iris_petals' })).values;
  assert.deepEqual(racersFrom(raw, META).map((r) => r.batch_size), [1, 25, 50, 150, 10]);
  assert.deepEqual([readState(t, 'bres=100').values.bres, readState(t, 'bres=256').values.bres], [128, 256]);
});

test('the metadata fixture matches the built engine (when www/pkg exists)', async (t) => {
  const E = await loadEngineOrNull();
  if (!E) { t.skip('www/pkg not built'); return; }
  assert.deepEqual(JSON.parse(JSON.stringify({ landscapes: E.landscapes(), optimizers: E.optimizers(), schedulers: E.schedulers() })), META,
    'engine metadata changed: refresh tests/js/fixtures/engine-meta.json');
});
