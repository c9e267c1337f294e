// Pure export helpers (no DOM, no engine): a runnable PyTorch script that reproduces a run with
// torch.optim, and CSV / JSON of paths and losses. Unit-tested with node (tests/js/export.test.mjs).
//
// The script follows the reference loop exactly (see tests/data/torch_optim_trajectories.json):
// float64, one parameter tensor p = (x, y), per step k = 1..N:
//   zero_grad(); f = F(p); f.backward(); opt.step(); sched.step()
// and stops like the engine: if after step k a coordinate or f(p) is non-finite, the run diverged
// at step k and the points before it are kept.
//
// Data landscapes (shared/datasets.js) become a regression script: the CSV columns embedded as
// Python lists, the same standardization, p = (w, b) one float64 tensor of shape [2], and with a
// batch size the permutation of the engine's own sampler (its random generator, ported to Python in
// shared/py-engine.js), so that mini-batch runs agree with the engine step by step too.
import { DATA_LANDSCAPES, isDataLandscape } from './datasets.js';
import { PY_RNG } from './py-engine.js';
import { engineNow } from './engine.js';

/** torch.optim class for each engine optimizer name. */
/** Python float literal for a JS number (round-trips exactly: JS and Python both print shortest repr). */
export function pyNum(v) {
  if (!Number.isFinite(v)) throw new Error(`cannot export non-finite number ${v}`);
  const s = String(v);
  return /[.eE]/.test(s) ? s : s + '.0';
}
function pyInt(v) { return String(Math.floor(v)); } // the engine truncates step_size / T_max too

/**
 * The exported scripts' `opt = …` and `sched = …`, printed by the engine from its own optimizer
 * and schedule definitions (src/optim/torch.rs): the torch.optim class, the learning rate (or the
 * Python expression `lr`) and every kwarg not at its default; the torch scheduler on `opt`, or null.
 */
export function torchOptimizer(o, params, lr) {
  return engineNow().torchOptimizer(o, params, lr);
}
export function torchScheduler(s) {
  return engineNow().torchScheduler(s ?? null, 'opt') ?? null;
}
// A network's torch.nn pieces, printed by the engine (src/nn/torch.rs) from the validated spec, so
// a name or parameter the engine rejects is a field-named error here too.
/** The torch.nn module of an activation spec, e.g. `nn.LeakyReLU(negative_slope=0.01)`. */
export const torchActivation = (a) => engineNow().torchActivation(a);
/** The torch.nn module of a loss name. */
export const torchLoss = (loss) => engineNow().torchLoss(loss);
/** Python lines that initialize `lin` (an nn.Linear) as the engine does for an init spec. */
export const torchInitLines = (init, lin = 'lin') => engineNow().torchInit(init ?? 'torch_default', lin);

/** At most `cap` points of a path, evenly spread, always with the first and the last. */
function samplePath(n, cap = 2001) {
  if (n <= cap) return Array.from({ length: n }, (_, k) => k);
  const out = [];
  for (let i = 0; i < cap; i++) out.push(Math.round((i * (n - 1)) / (cap - 1)));
  return [...new Set(out)];
}

/**
 * A runnable PyTorch script for one run.
 * @param {object} spec  {landscape, start:[x,y], optimizer:{name,...}, scheduler, steps,
 *                        batch_size?, seed? (data landscapes)}
 * @param {object} [opts] {title, torch (F(x, y) as the engine prints it, `Landscape.torch()`; required
 *   unless the landscape is built from data; a data landscape's data come from E.landscapeData),
 *   expected: the engine's run of this spec {points (flat x,y), values, lrs, diverged_at_step} —
 *   embedded (up to 2001 points) so the script compares its whole path with the playground's}
 * The script takes `--json FILE` to write its path, values and lrs as JSON.
 */
export function pytorchScript(spec, opts = {}) {
  const o = spec.optimizer;
  const land = spec.landscape;
  const landName = typeof land === 'string' ? land : land?.name;
  const data = isDataLandscape(landName) ? DATA_LANDSCAPES[landName] : null;
  // F(x, y) as the engine's own formula prints it (Landscape.torch(): src/landscape/torch.rs).
  const fsrc = data ? null : opts.torch;
  if (!data && !fsrc) throw new Error('the landscape\'s torch source is missing (opts.torch: the engine\'s Landscape.torch())');
  const steps = pyInt(spec.steps);
  // The engine samples only when the batch is smaller than the data set (B = n is full-batch GD).
  const batch = data && spec.batch_size != null && spec.batch_size < data.n ? Math.floor(spec.batch_size) : null;
  const newton = o.name === 'newton';
  const sch = torchScheduler(spec.scheduler);
  const L = [];
  L.push('#!/usr/bin/env python3');
  L.push(`# ${opts.title || 'Learning as Optimization playground run'}, exported as a PyTorch script.`);
  L.push('# The same run as the playground: float64, one parameter tensor p = (x, y), and per step');
  L.push(`#   zero_grad(); f = F(p${batch ? ', batch' : ''}); f.backward(); opt.step(); sched.step()`);
  L.push(newton
    ? '# (Newton is not a torch.optim optimizer: p <- p - eta(t) * solve(H, g) with the exact Hessian from autograd;\n# eta(t) follows the torch scheduler of the playground run.)'
    : `# with the playground's optimizer as torch.optim constructs it${sch ? ' and its scheduler' : ''}.`);
  L.push(batch
    ? '# Mini-batches are drawn with the playground\'s own random generator (EngineRng below), so the batches,\n# and with them the whole path, are the playground\'s: it matches to ~1e-12 relative.'
    : '# It matches the playground\'s path to ~1e-12 relative (long chaotic runs drift apart by rounding).');
  L.push('# At the end it compares its whole path with the playground\'s (embedded below); --json FILE writes its numbers.');
  L.push('import json');
  L.push('import math');
  L.push('import sys');
  L.push('import torch');
  L.push('');
  L.push('torch.set_default_dtype(torch.float64)');
  L.push('');
  if (data) {
    // The data as the engine read them from the bundled CSV (x before standardization).
    const cols = engineNow().landscapeData(landName), xs = Array.from(cols.x), ys = Array.from(cols.y);
    const list = (v) => {
      const rows = [];
      for (let i = 0; i < v.length; i += 10) rows.push('    ' + v.slice(i, i + 10).map(pyNum).join(', ') + ',');
      return ['[', ...rows, ']'];
    };
    L.push(`# Least-squares regression y_hat = w*x + b; the point p = (w, b) is ONE float64 tensor of shape [2].`);
    L.push(`# Data: ${data.source}, file www/${data.csv},`);
    L.push(`# x = column ${data.x} (${data.xLabel}), y = column ${data.y} (${data.yLabel}).`);
    L.push('# --- data ---');
    L.push(`XS = ${list(xs).join('\n')}`);
    L.push(`YS = ${list(ys).join('\n')}`);
    L.push('N = len(XS)');
    if (data.standardize) {
      L.push(`# Input normalization (the lecture's): x_hat = (x - mu) / sqrt(sigma^2 + eps), mu and the biased`);
      L.push(`# variance sigma^2 (divide by N) over the whole data set, eps = ${pyNum(data.eps)}.`);
      L.push('MU = sum(XS) / N');
      L.push('VAR = sum((x - MU) ** 2 for x in XS) / N');
      L.push(`XS = [(x - MU) / math.sqrt(VAR + ${pyNum(data.eps)}) for x in XS]`);
    } else {
      L.push('# Raw x (not standardized): long thin loss ellipses, small stable learning rates.');
    }
    L.push('# --- end of data ---');
    L.push('X = torch.tensor(XS)');
    L.push('Y = torch.tensor(YS)');
    L.push('');
    L.push('def F(p, idx=None):');
    L.push('    """Mean squared error (torch.nn.MSELoss, mean) over the examples idx; all of them when None."""');
    L.push('    w, b = p[0], p[1]');
    L.push('    x, y = (X, Y) if idx is None else (X[idx], Y[idx])');
    L.push('    return torch.mean((w * x + b - y) ** 2)');
    L.push('');
    if (batch) {
      L.push(PY_RNG.trim());
      L.push('');
      L.push(`BATCH_SIZE = ${batch}`);
      L.push(`SEED = ${pyInt(spec.seed ?? 0)}`);
      L.push('# Mini-batches as DataLoader(shuffle=True, drop_last=False) draws them: the permutation is shuffled');
      L.push('# again at the start of every epoch, consecutive slices of BATCH_SIZE (the last one may be shorter).');
      L.push('# The generator is the playground\'s, seeded like its sampler (EngineRng(SEED)), so the batches are its batches.');
      L.push('rng = EngineRng(SEED)');
      L.push('perm, pos = list(range(N)), N');
      L.push('');
      L.push('def next_batch():');
      L.push('    global pos');
      L.push('    if pos >= N:');
      L.push('        rng.shuffle(perm)');
      L.push('        pos = 0');
      L.push('    idx = perm[pos:pos + BATCH_SIZE]');
      L.push('    pos += len(idx)');
      L.push('    return torch.tensor(idx)');
    } else {
      L.push('# Full batch: every step uses all N examples (the playground\'s run with no batch size).');
      L.push('def next_batch():');
      L.push('    return None');
    }
  } else {
    L.push('def F(p):');
    L.push('    x, y = p[0], p[1]');
    L.push(`    return ${fsrc}`);
  }
  L.push('');
  L.push(`p = torch.tensor([${pyNum(spec.start[0])}, ${pyNum(spec.start[1])}], requires_grad=True)`);
  L.push(`STEPS = ${steps}`);
  L.push('points = [[p[0].item(), p[1].item()]]');
  L.push('values = [F(p).item()]');
  L.push('lrs = []');
  L.push('diverged_at_step = None');
  const batchLoss = data ? 'F(p, batch)' : 'F(p)';
  if (newton) {
    L.push(`ETA = ${pyNum(o.eta ?? 1)}`);
    if (sch) {
      L.push('# eta(t) from the torch scheduler, stepped once per step as in the playground (driven by a stand-in optimizer).');
      L.push('opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=ETA)');
      L.push(`sched = ${sch}`);
    }
    L.push('for k in range(1, STEPS + 1):');
    L.push(sch ? '    eta = opt.param_groups[0]["lr"]' : '    eta = ETA');
    L.push('    lrs.append(eta)');
    if (data) L.push('    batch = next_batch()');
    L.push(`    f = ${batchLoss}`);
    L.push('    (g,) = torch.autograd.grad(f, p)');
    L.push(data ? '    H = torch.autograd.functional.hessian(lambda q: F(q, batch), p.detach())' : '    H = torch.autograd.functional.hessian(F, p.detach())');
    L.push('    if not torch.isfinite(H).all() or torch.linalg.det(H) == 0:');
    L.push('        diverged_at_step = k  # singular_hessian');
    L.push('        break');
    L.push('    with torch.no_grad():');
    L.push('        p -= eta * torch.linalg.solve(H, g)');
    if (sch) { L.push('    opt.step()  # the stand-in has no gradient: a no-op that keeps the scheduler\'s order'); L.push('    sched.step()'); }
    L.push('    fk = F(p).item()');
    L.push('    if not (torch.isfinite(p).all() and math.isfinite(fk)):');
    L.push('        diverged_at_step = k  # non_finite');
    L.push('        break');
    L.push('    points.append([p[0].item(), p[1].item()])');
    L.push('    values.append(fk)');
  } else {
    L.push(`opt = ${torchOptimizer(o, '[p]')}`);
    L.push(`sched = ${sch ?? 'None'}`);
    L.push('for k in range(1, STEPS + 1):');
    L.push('    lrs.append(opt.param_groups[0]["lr"])');
    if (data) L.push('    batch = next_batch()');
    L.push('    opt.zero_grad()');
    L.push(`    f = ${batchLoss}`);
    L.push('    f.backward()');
    L.push('    opt.step()');
    L.push('    if sched is not None:');
    L.push('        sched.step()');
    L.push('    fk = F(p).item()');
    L.push('    if not (torch.isfinite(p).all() and math.isfinite(fk)):');
    L.push('        diverged_at_step = k');
    L.push('        break');
    L.push('    points.append([p[0].item(), p[1].item()])');
    L.push('    values.append(fk)');
  }
  L.push('');
  L.push('print(f"steps done: {len(points) - 1}, diverged_at_step: {diverged_at_step}")');
  L.push(`print(f"final point${data ? ' (w, b)' : ''}: ({points[-1][0]:.17g}, {points[-1][1]:.17g}), f = {values[-1]:.17g}")`);
  const ex = opts.expected;
  if (ex && ex.points && ex.values) {
    const n = ex.values.length;
    const at = samplePath(n);
    L.push('');
    L.push(`# The playground's run of this experiment: step k, x, y, f(x, y) (${at.length < n ? `${at.length} of its ${n} points` : 'every point'}).`);
    L.push(`PLAYGROUND_STEPS = ${pyInt(n - 1)}`);
    L.push(`PLAYGROUND_DIVERGED_AT_STEP = ${ex.diverged_at_step == null ? 'None' : pyInt(ex.diverged_at_step)}`);
    L.push('PLAYGROUND_PATH = [');
    for (const k of at) L.push(`    (${k}, ${pyNum(ex.points[2 * k])}, ${pyNum(ex.points[2 * k + 1])}, ${pyNum(ex.values[k])}),`);
    L.push(']');
    L.push('worst, first_off = 0.0, None');
    L.push('for k, x, y, fv in PLAYGROUND_PATH:');
    L.push('    if k >= len(points):');
    L.push('        break');
    L.push('    d = max(abs(points[k][0] - x) / max(abs(x), 1e-3), abs(points[k][1] - y) / max(abs(y), 1e-3))');
    L.push('    worst = max(worst, d)');
    L.push('    if first_off is None and d > 1e-9:');
    L.push('        first_off = k');
    L.push('print(f"playground: {PLAYGROUND_STEPS} steps; largest relative difference along the whole path {worst:.3g}"');
    L.push('      + (f" (first above 1e-9 at step {first_off})" if first_off is not None else ""))');
    L.push('if len(points) - 1 != PLAYGROUND_STEPS or diverged_at_step != PLAYGROUND_DIVERGED_AT_STEP:');
    L.push('    print("note: the step count or the divergence differs from the playground run")');
  }
  L.push('');
  L.push('if "--json" in sys.argv:');
  L.push('    with open(sys.argv[sys.argv.index("--json") + 1], "w") as out:');
  L.push('        json.dump({"points": points, "values": values, "lrs": lrs, "diverged_at_step": diverged_at_step}, out)');
  return L.join('\n') + '\n';
}

/** CSV of all racers: one row per (racer, step). `racers` = [{label, optimizer, points, values, lrs}] with flat Float64Array points. */
export function toCSV(racers) {
  const rows = ['racer,optimizer,step,x,y,f,lr'];
  for (const r of racers) {
    const n = r.values.length;
    for (let k = 0; k < n; k++) {
      const lr = k > 0 && r.lrs && r.lrs.length >= k ? r.lrs[k - 1] : '';
      rows.push([csvCell(r.label), csvCell(r.optimizer), k, r.points[2 * k], r.points[2 * k + 1], r.values[k], lr].join(','));
    }
  }
  return rows.join('\n') + '\n';
}
function csvCell(s) {
  const t = String(s);
  // Quote, and neutralise spreadsheet formulas (=, +, -, @ at the start of a text cell).
  const safe = /^[=+\-@]/.test(t) ? "'" + t : t;
  return '"' + safe.replace(/"/g, '""') + '"';
}

/** JSON document of a whole experiment. */
export function toJSON(experiment, racers) {
  return JSON.stringify({
    generator: 'optplay optimizer lab',
    experiment,
    racers: racers.map((r) => ({
      label: r.label,
      spec: r.spec,
      diverged_at_step: r.diverged_at_step ?? null,
      diverged_reason: r.diverged_reason ?? null,
      points: Array.from({ length: r.values.length }, (_, k) => [r.points[2 * k], r.points[2 * k + 1]]),
      values: Array.from(r.values),
      lrs: Array.from(r.lrs || []),
    })),
  }, null, 1);
}
