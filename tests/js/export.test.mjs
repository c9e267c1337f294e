// Unit tests of the PyTorch script generator and CSV/JSON export (www/js/shared/export.js).
// The generated script's optimizer kwargs, scheduler, start, steps and landscape must match the
// run's spec; checked against every case of tests/data/torch_optim_trajectories.json (the
// PyTorch reference), and the script must be valid Python (python3's ast, when python3 exists).
// Run: node --test tests/js/
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pytorchScript, toCSV, toJSON, pyNum } from '../../www/js/shared/export.js';
import { DATA_LANDSCAPES, isDataLandscape } from '../../www/js/shared/datasets.js';
import { ROOT, META, loadEngineOrNull } from './helpers.mjs';

const REF = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/data/torch_optim_trajectories.json'), 'utf8'));
const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;
// The engine prints F(x, y) for the script (Landscape.torch(), src/landscape/torch.rs): every
// test that writes a closed-form landscape's script needs it (built by ./build.sh before these run).
const E = await loadEngineOrNull();
const needsEngine = E ? {} : { skip: 'www/pkg not built: the engine prints the landscape for the script' };
const torchOf = (spec) => { const L = new E.Landscape(spec); try { return L.torch(); } finally { L.free(); } };
const csvOf = (name) => fs.readFileSync(path.join(ROOT, 'www', DATA_LANDSCAPES[name].csv), 'utf8');

// An independent reading of the bundled CSV and of the lecture's standardization, against which
// the engine's data (E.landscapeData, the scripts' XS/YS) are checked.
function parseColumns(csv, xName, yName) {
  const lines = String(csv).split(/\r?\n/).filter((l) => l.trim());
  const header = lines[0].split(',');
  const ix = header.indexOf(xName), iy = header.indexOf(yName);
  assert.ok(ix >= 0 && iy >= 0, `columns ${xName}, ${yName}`);
  const rows = lines.slice(1).map((l) => l.split(','));
  return { xs: rows.map((c) => Number(c[ix])), ys: rows.map((c) => Number(c[iy])) };
}
function standardize(xs, eps = 1e-5) {
  const n = xs.length, mu = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mu) * (x - mu), 0) / n + eps);
  return xs.map((x) => (x - mu) / sd);
}

/** Parse `name=value` kwargs of a Python call (numbers, True/False, tuples). */
function parseKwargs(src) {
  const out = {};
  const re = /(\w+)=(\([^)]*\)|[^,()]+)/g;
  let m;
  while ((m = re.exec(src))) {
    const v = m[2].trim();
    out[m[1]] = v === 'True' ? true : v === 'False' ? false : v.startsWith('(') ? v.slice(1, -1).split(',').map(Number) : Number(v);
  }
  return out;
}

/** Evaluate the script's F(x, y) in JS (torch.* → Math.*) to compare with reference values. */
function evalF(script, x, y) {
  const lines = script.split('\n');
  const i = lines.findIndex((l) => l.startsWith('def F(p):'));
  const body = [];
  for (const l of lines.slice(i + 2)) { if (!l.startsWith('    ')) break; body.push(l.trim()); }
  const js = body.map((l) => l.replace(/^return /, 'return ').replace(/torch\.(\w+)/g, 'Math.$1').replace(/math\.radians\(([^)]*)\)/g, '(($1)*Math.PI/180)').replace(/math\.pi/g, 'Math.PI').replace(/math\.e\b/g, 'Math.E').replace(/math\.(cos|sin)/g, 'Math.$1'));
  const fn = new Function('x', 'y', js.map((l) => (l.startsWith('return') ? l : `var ${l}`)).join(';\n'));
  return fn(x, y);
}

function pythonSyntaxOk(src) {
  if (!hasPython) return true;
  const r = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: src });
  return r.status === 0 || (console.error(r.stderr.toString()), false);
}

test('for every PyTorch reference case, the script uses the same optimizer, kwargs, scheduler, start and steps', needsEngine, () => {
  for (const c of REF) {
    const spec = { landscape: c.function, start: c.start, optimizer: c.optimizer, scheduler: c.scheduler, steps: c.steps };
    const src = pytorchScript(spec, { torch: torchOf(c.function) });
    assert.match(src, /torch\.set_default_dtype\(torch\.float64\)/);
    assert.ok(src.includes(`p = torch.tensor([${pyNum(c.start[0])}, ${pyNum(c.start[1])}], requires_grad=True)`), c.id);
    assert.ok(src.includes(`STEPS = ${c.steps}`), c.id);
    if (c.optimizer.name === 'newton') {
      assert.ok(src.includes(`ETA = ${pyNum(c.optimizer.eta)}`), c.id);
      assert.match(src, /torch\.linalg\.solve\(H, g\)/);
    } else {
      // The engine prints torch's class, the lr and every kwarg not at its default: with the
      // defaults filled in, exactly the kwargs the reference run gave torch.
      const m = src.match(/opt = torch\.optim\.(\w+)\(\[p\], (.*), foreach=False\)/);
      assert.ok(m, `${c.id}: optimizer line`);
      const { name, ...want } = c.optimizer;
      assert.equal(m[1].toLowerCase(), name, c.id);
      if (name === 'adamw') delete want.decoupled_weight_decay; // torch's AdamW always decouples and takes no such kwarg
      const got = parseKwargs(m[2]);
      const defaults = Object.fromEntries(META.optimizers.find((d) => d.name === name).params.map((p) => [p.name, p.default]));
      assert.ok('lr' in got, `${c.id}: lr`);
      for (const k of Object.keys(got)) assert.ok(k in want, `${c.id}: ${k} is not a kwarg of the reference run`);
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k] ?? defaults[k], v, `${c.id}: ${k}`);
      // The loop is the reference loop, in this order.
      const body = src.slice(src.indexOf('for k in range(1, STEPS + 1):'));
      const loop = ['opt.zero_grad()', 'f = F(p)', 'f.backward()', 'opt.step()', 'sched.step()'].map((s) => body.indexOf(s));
      assert.ok(loop.every((p, i) => p > 0 && (i === 0 || p > loop[i - 1])), `${c.id}: loop order`);
      const s = c.scheduler;
      if (!s) assert.ok(src.includes('sched = None'), c.id);
      else if (s.name === 'exponential') assert.ok(src.includes(`ExponentialLR(opt, gamma=${pyNum(s.gamma)})`), c.id);
      else if (s.name === 'step') assert.ok(src.includes(`StepLR(opt, step_size=${s.step_size}, gamma=${pyNum(s.gamma)})`), c.id);
      else if (s.name === 'cosine') assert.ok(src.includes(`CosineAnnealingLR(opt, T_max=${s.T_max}, eta_min=${pyNum(s.eta_min)})`), c.id);
      else assert.fail(`unexpected scheduler ${s.name}`);
    }
    // F is the reference function: compare with the stored values along the path.
    for (const k of [0, 1, Math.floor(c.points.length / 2), c.points.length - 1]) {
      const [x, y] = c.points[k];
      const f = evalF(src, x, y), want = c.values[k];
      assert.ok(Math.abs(f - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${c.id} F at step ${k}: ${f} vs ${want}`);
    }
    assert.ok(pythonSyntaxOk(src), `${c.id}: Python syntax`);
  }
});

/**
 * The data a data-landscape script fits: its embedded XS/YS after the script's own data block has
 * run (in python3 when there is one, so the standardization lines are executed as written), else
 * the embedded lists with the same formula applied in JS.
 */
function scriptData(script) {
  const block = script.slice(script.indexOf('# --- data ---'), script.indexOf('# --- end of data ---'));
  if (hasPython) {
    const r = spawnSync('python3', ['-c', `import math, json\n${block}\nprint(json.dumps([XS, YS]))`]);
    assert.equal(r.status, 0, r.stderr.toString());
    const [xs, ys] = JSON.parse(r.stdout.toString());
    return { xs, ys, block };
  }
  const lit = (name) => JSON.parse(block.match(new RegExp(`^${name} = (\\[[^\\]]*\\])`, 'm'))[1].replace(/,\s*\]/, ']'));
  const xs = lit('XS');
  return { xs: /^MU = /m.test(block) ? standardize(xs) : xs, ys: lit('YS'), block };
}
const mse = ({ xs, ys }, w, b) => xs.reduce((s, x, i) => s + (w * x + b - ys[i]) ** 2, 0) / xs.length;

test('every engine landscape has a torch formula that agrees with the engine', needsEngine, () => {
  for (const l of META.landscapes) {
    const spec = l.params.length ? Object.fromEntries([['name', l.name], ...l.params.map((p) => [p.name, p.name === 'angle' ? 25 : p.default])]) : l.name;
    const data = isDataLandscape(l.name);
    // Data landscapes need their CSV; the script embeds its columns (checked below).
    const src = pytorchScript({ landscape: spec, start: [0.3, -0.7], optimizer: { name: 'sgd', lr: 0.01 }, scheduler: null, steps: 5 }, data ? {} : { torch: torchOf(spec) });
    assert.ok(pythonSyntaxOk(src), l.name);
    if (data) {
      const d = DATA_LANDSCAPES[l.name];
      const sd = scriptData(src);
      const cols = parseColumns(csvOf(l.name), d.x, d.y);
      assert.equal(sd.xs.length, d.n, `${l.name}: ${d.n} examples embedded`);
      assert.deepEqual(sd.ys, cols.ys, `${l.name}: y column`);
      assert.deepEqual(Array.from(E.landscapeData(l.name).x), cols.xs, `${l.name}: the engine's raw x column`);
      assert.equal(d.eps, 1e-5, 'the lecture\'s ε');
      assert.equal(/^MU = /m.test(sd.block), d.standardize, `${l.name}: standardized iff the engine's twin is`);
      assert.match(src, /^    return torch\.mean\(\(w \* x \+ b - y\) \*\* 2\)$/m, `${l.name}: MSELoss(mean)`);
      assert.match(src, /^X = torch\.tensor\(XS\)$/m);
      const L = new E.Landscape(spec);
      for (const [w, b] of [[0.3, -0.7], [1.1, 0.4], [-1.7, 1.3]]) {
        const f = mse(sd, w, b), want = L.value(w, b);
        assert.ok(Math.abs(f - want) <= 1e-11 * Math.max(1, Math.abs(want)), `${l.name} at (${w}, ${b}): ${f} vs ${want}`);
      }
      L.free();
      continue;
    }
    const L = new E.Landscape(spec);
    for (const [x, y] of [[0.3, -0.7], [1.1, 0.4], [-1.7, 1.3]]) {
      const f = evalF(src, x, y), want = L.value(x, y);
      assert.ok(Math.abs(f - want) <= 1e-11 * Math.max(1, Math.abs(want)), `${l.name} at (${x}, ${y}): ${f} vs ${want}`);
    }
    L.free();
  }
});

test('data landscapes: the JS table agrees with the engine (names, data set size, minimum)', async (t) => {
  for (const name of Object.keys(DATA_LANDSCAPES)) assert.ok(META.landscapes.some((l) => l.name === name), `${name} is an engine landscape`);
  if (!E) { t.skip('www/pkg not built'); return; }
  for (const l of META.landscapes) {
    const run = (b) => { const r = new E.Run({ landscape: l.name, optimizer: { name: 'sgd', lr: 0.01 }, steps: 2, batch_size: b, seed: 1 }); r.free(); };
    if (!isDataLandscape(l.name)) { assert.throws(() => run(2), /batch_size/, `${l.name} takes no batch size`); continue; }
    const d = DATA_LANDSCAPES[l.name];
    run(1); run(d.n);
    assert.throws(() => run(d.n + 1), /batch_size/, `${l.name}: at most ${d.n}`);
    // The least-squares solution of the script's data is the engine's minimum.
    const sd = { xs: d.standardize ? standardize(parseColumns(csvOf(l.name), d.x, d.y).xs) : parseColumns(csvOf(l.name), d.x, d.y).xs, ys: parseColumns(csvOf(l.name), d.x, d.y).ys };
    const n = sd.xs.length, mx = sd.xs.reduce((a, b) => a + b) / n, my = sd.ys.reduce((a, b) => a + b) / n;
    const w = sd.xs.reduce((s, x, i) => s + (x - mx) * (sd.ys[i] - my), 0) / sd.xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    const m = l.minima[0];
    assert.ok(Math.abs(w - m.x) < 1e-9 && Math.abs(my - w * mx - m.y) < 1e-9, `${l.name}: minimum (${w}, ${my - w * mx}) vs (${m.x}, ${m.y})`);
  }
});

test('data-landscape scripts: full batch uses all examples; a batch size draws the engine\'s own batches', () => {
  const base = { landscape: 'iris_petals_standardized', start: [-1.5, 3], optimizer: { name: 'sgd', lr: 0.1 }, scheduler: { name: 'inverse_time', decay: 0.02 }, steps: 400 };
  const full = pytorchScript(base);
  const same = pytorchScript({ ...base, batch_size: 150, seed: 3 });
  const mini = pytorchScript({ ...base, batch_size: 10, seed: 7 });
  for (const src of [full, same]) {
    assert.doesNotMatch(src, /BATCH_SIZE|EngineRng/);
    assert.match(src, /def next_batch\(\):\n    return None/);
  }
  assert.match(mini, /^BATCH_SIZE = 10$/m);
  assert.match(mini, /^SEED = 7$/m);
  assert.match(mini, /^rng = EngineRng\(SEED\)$/m);
  assert.match(mini, /class EngineRng:/);
  assert.doesNotMatch(mini, /randperm|torch\.Generator/);
  // p = (w, b) is one tensor of shape [2], optimised by torch.optim with the spec's kwargs.
  assert.match(mini, /^p = torch\.tensor\(\[-1\.5, 3\.0\], requires_grad=True\)$/m);
  assert.match(mini, /^opt = torch\.optim\.SGD\(\[p\], lr=0\.1, foreach=False\)$/m);
  assert.match(mini, /LambdaLR\(opt, lr_lambda=lambda k: 1\.0 \/ \(1\.0 \+ 0\.02 \* k\)\)/);
  // Loop order: sample the batch, then the reference loop on the batch loss; record the full loss.
  const body = mini.slice(mini.indexOf('for k in range(1, STEPS + 1):'));
  const order = ['batch = next_batch()', 'opt.zero_grad()', 'f = F(p, batch)', 'f.backward()', 'opt.step()', 'sched.step()', 'fk = F(p).item()'].map((s) => body.indexOf(s));
  assert.ok(order.every((p, i) => p > 0 && (i === 0 || p > order[i - 1])), `loop order ${order}`);
  const newton = pytorchScript({ ...base, optimizer: { name: 'newton', eta: 1 }, scheduler: null, batch_size: 5 });
  assert.match(newton, /hessian\(lambda q: F\(q, batch\), p\.detach\(\)\)/);
  for (const src of [full, same, mini, newton]) assert.ok(pythonSyntaxOk(src));
  assert.deepEqual(pytorchScript(base), full, 'the data come from the engine (no CSV is passed)');
  if (E) assert.throws(() => E.landscapeData('rosenbrock'), /not a data landscape/);
  if (E) assert.throws(() => torchOf('iris_petals'), /built from data/);
  assert.throws(() => pytorchScript({ ...base, landscape: 'rosenbrock' }), /torch source is missing/);
});

test('Newton with a schedule takes eta(t) from a torch scheduler; AdamW gets only the kwargs torch takes', needsEngine, () => {
  const newton = pytorchScript({ landscape: 'rosenbrock', start: [-1.5, 2], optimizer: { name: 'newton', eta: 0.5 }, scheduler: { name: 'step', step_size: 5, gamma: 0.5 }, steps: 30 }, { torch: torchOf('rosenbrock') });
  assert.match(newton, /^opt = torch\.optim\.SGD\(\[torch\.zeros\(1, requires_grad=True\)\], lr=ETA\)$/m);
  assert.match(newton, /^sched = torch\.optim\.lr_scheduler\.StepLR\(opt, step_size=5, gamma=0\.5\)$/m);
  assert.match(newton, /eta = opt\.param_groups\[0\]\["lr"\][\s\S]*p -= eta \* torch\.linalg\.solve\(H, g\)[\s\S]*sched\.step\(\)/);
  const adamw = pytorchScript({ landscape: 'beale', start: [1, 1], optimizer: { name: 'adamw', lr: 0.05, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.1, amsgrad: false, decoupled_weight_decay: true }, scheduler: null, steps: 3 }, { torch: torchOf('beale') });
  assert.match(adamw, /^opt = torch\.optim\.AdamW\(\[p\], lr=0\.05, weight_decay=0\.1, foreach=False\)$/m);
  for (const src of [newton, adamw]) assert.ok(pythonSyntaxOk(src));
});

test('custom expressions: the engine prints them for torch and refuses anything else', needsEngine, () => {
  assert.equal(torchOf({ expression: 'sin(x)*cos(y) + 0.1*(x^2 + y**2)' }), '((torch.sin(x) * torch.cos(y)) + (0.1 * ((x**2) + (y**2))))');
  for (const bad of ["__import__('os')", 'x; import os', 'x\nimport os', 'open("f")', 'x if y else 0', 'lambda: 1', '`x`', 'x # comment', 'z + 1']) {
    assert.throws(() => torchOf({ expression: bad }), Error, bad);
  }
  const expr = { expression: 'sin(x)*cos(y)' };
  const src = pytorchScript({ landscape: expr, start: [1, 2], optimizer: { name: 'adam', lr: 0.1, betas: [0.9, 0.999] }, scheduler: { name: 'inverse_time', decay: 0.01 }, steps: 10 }, { torch: torchOf(expr) });
  assert.match(src, /return \(torch\.sin\(x\) \* torch\.cos\(y\)\)/);
  assert.match(src, /LambdaLR\(opt, lr_lambda=lambda k: 1\.0 \/ \(1\.0 \+ 0\.01 \* k\)\)/);
  assert.match(src, /^opt = torch\.optim\.Adam\(\[p\], lr=0\.1, foreach=False\)$/m, 'betas at their default are torch\'s own');
  assert.ok(pythonSyntaxOk(src));
  assert.ok(Math.abs(evalF(src, 1, 2) - Math.sin(1) * Math.cos(2)) < 1e-15);
});

test('tilted quadratic matches ½(a u² + b v²) with the engine\'s rotation', needsEngine, () => {
  assert.equal(torchOf({ name: 'quadratic', a: 1, b: 10, angle: 0 }), '(0.5 * ((1.0 * (x**2)) + (10.0 * (y**2))))');
  const q = { name: 'quadratic', a: 2, b: 5, angle: 30 };
  const src = pytorchScript({ landscape: q, start: [0, 0], optimizer: { name: 'sgd', lr: 0.1 }, scheduler: null, steps: 1 }, { torch: torchOf(q) });
  const t = Math.PI / 6, x = 0.7, y = -1.2, u = Math.cos(t) * x + Math.sin(t) * y, v = -Math.sin(t) * x + Math.cos(t) * y;
  assert.ok(Math.abs(evalF(src, x, y) - 0.5 * (2 * u * u + 5 * v * v)) < 1e-14);
});

test('the playground\'s whole path is embedded and compared, sampled to at most 2001 points', needsEngine, () => {
  const n = 5001, points = [], values = [];
  for (let k = 0; k < n; k++) { points.push(k / n, -k / n); values.push(1 / (k + 1)); }
  const src = pytorchScript({ landscape: 'rosenbrock', start: [0, 0], optimizer: { name: 'sgd', lr: 0.001 }, scheduler: null, steps: n - 1 },
    { expected: { points, values, lrs: [], diverged_at_step: null }, torch: torchOf('rosenbrock') });
  assert.match(src, /^PLAYGROUND_STEPS = 5000$/m);
  assert.match(src, /^PLAYGROUND_DIVERGED_AT_STEP = None$/m);
  const rows = src.slice(src.indexOf('PLAYGROUND_PATH = ['), src.indexOf('\n]', src.indexOf('PLAYGROUND_PATH = ['))).split('\n').slice(1);
  assert.equal(rows.length, 2001);
  assert.match(rows[0], /^    \(0, 0\.0, -?0\.0, 1\.0\),$/);
  assert.match(rows[rows.length - 1], /^    \(5000, /);
  assert.match(src, /largest relative difference along the whole path/);
  assert.match(src, /json\.dump\(\{"points": points, "values": values, "lrs": lrs, "diverged_at_step": diverged_at_step\}, out\)/);
  assert.ok(pythonSyntaxOk(src));
});

test('numbers are written so that Python reads back the same float64', () => {
  for (const v of [0.1, 1e-8, 1e21, 0.07, 1 / 3, 2, -0.0005, 5e-324]) {
    const s = pyNum(v);
    assert.equal(Number(s), v, s);
    assert.match(s, /[.e]/);
  }
  assert.throws(() => pyNum(NaN));
  assert.throws(() => pyNum(Infinity));
});

test('CSV quotes labels and neutralises spreadsheet formulas; JSON holds paths and losses', () => {
  const r = { label: '=HYPERLINK("x")', optimizer: 'sgd', points: new Float64Array([0, 1, 2, 3]), values: new Float64Array([5, 4]), lrs: new Float64Array([0.1]), spec: { a: 1 }, diverged_at_step: null };
  const csv = toCSV([r]).trim().split('\n');
  assert.equal(csv[0], 'racer,optimizer,step,x,y,f,lr');
  assert.equal(csv.length, 3);
  assert.ok(csv[1].startsWith(`"'=HYPERLINK(""x"")","sgd",0,0,1,5,`));
  assert.ok(csv[2].endsWith(',1,2,3,4,0.1'));
  const j = JSON.parse(toJSON({ steps: 1 }, [r]));
  assert.deepEqual(j.racers[0].points, [[0, 1], [2, 3]]);
  assert.deepEqual(j.racers[0].values, [5, 4]);
});

// Running the scripts with real PyTorch and comparing them with the engine: tests/e2e/exports.e2e.mjs.

