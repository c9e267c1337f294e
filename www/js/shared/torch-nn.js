// A runnable PyTorch script for a network run of the playground (pure: no DOM, no engine;
// unit-tested in tests/js/vanishing.test.mjs, initialization.test.mjs and relu.test.mjs).
//
// Input: the very TrainerSpec the page hands to `new E.Trainer(spec)` (see www/pkg/optplay.d.ts)
//   {layer_sizes, activation, loss, init, optimizer: {name, ...torch kwargs}, batch_size, seed,
//    data: {name, n, noise, seed} | {csv, normalize, validation_split}, batch_norm, dropout}
// and options saying where the data come from and what to report. The script mirrors the engine
// (src/nn/train.rs):
//   * the network: nn.Linear layers, each hidden one followed by [BatchNorm1d,] the activation
//     [, Dropout]; the output layer is linear (the loss applies the sigmoid / softmax);
//   * the initialization with torch.nn.init (names and parameters as in src/nn/init.rs; biases 0
//     except for torch_default, which is nn.Linear's own), or the engine's exact initial weights
//     when the page passes them (small networks: the script then reproduces the run's numbers
//     up to float32-vs-float64 rounding for full-batch training);
//   * the loop `zero_grad(); loss = L(net(x_B), t_B); loss.backward(); opt.step()` with
//     mini-batches from a fresh permutation every epoch (DataLoader(shuffle=True,
//     drop_last=False)); a batch size ≥ the training set is full-batch gradient descent;
//   * normalization: each feature standardized with the training set's mean and (biased) standard
//     deviation, σ = 1 for constant features (the engine's ε = 0);
//   * a step whose loss is not finite stops the run ("diverged at step k"), as in the engine.
// torch's random generator is not the engine's: shuffles and random initial weights agree in
// distribution only, unless the exact initial weights are embedded.
import { TORCH_OPTIM, optimizerKwargs, pyNum } from './export.js';

export { pyNum };

/** torch module for each engine activation (hidden layers). */
export function torchActivation(a) {
  const name = typeof a === 'string' ? a : a?.name;
  switch (name) {
    case 'identity': return 'nn.Identity()';
    case 'sigmoid': return 'nn.Sigmoid()';
    case 'tanh': return 'nn.Tanh()';
    case 'relu': return 'nn.ReLU()';
    case 'leaky_relu': return `nn.LeakyReLU(negative_slope=${pyNum(typeof a === 'object' && a.negative_slope != null ? a.negative_slope : 0.01)})`;
    case 'gelu': return 'nn.GELU()';
    default: throw new Error(`activation: no torch module for "${String(name).slice(0, 40)}"`);
  }
}

export const TORCH_LOSS = { mse: 'nn.MSELoss()', bce_with_logits: 'nn.BCEWithLogitsLoss()', cross_entropy: 'nn.CrossEntropyLoss()' };

/** The deeplearning.ai presets: W ~ N(0, v/fan_in) (src/nn/init.rs). */
export const INIT_PRESETS = { zero: 0, too_small: 0.01, appropriate: 1, too_large: 100 };

const q = (s) => JSON.stringify(String(s)); // a Python string literal (JSON's escapes are valid Python)

/**
 * Python lines that initialize `lin` (an nn.Linear with fan_in = lin.in_features) as the engine
 * does for `init` (a name or {name, ...params}). Throws on unknown names.
 */
export function torchInitLines(init, lin = 'lin') {
  const s = typeof init === 'string' ? { name: init } : { ...(init || { name: 'torch_default' }) };
  const z = `nn.init.zeros_(${lin}.bias)`;
  const num = (k, d) => pyNum(s[k] ?? d);
  switch (s.name) {
    case 'torch_default': return [`${lin}.reset_parameters()  # nn.Linear's own: W, b ~ U(±1/sqrt(fan_in))`];
    case 'zeros': return [`nn.init.zeros_(${lin}.weight)`, z];
    case 'constant': return [`nn.init.constant_(${lin}.weight, ${num('value', 0)})`, z];
    case 'uniform': { const a = num('a', 1); return [`nn.init.uniform_(${lin}.weight, -${a}, ${a})`, z]; }
    case 'normal': return [`nn.init.normal_(${lin}.weight, 0.0, ${num('std', 1)})`, z];
    case 'xavier_uniform': return [`nn.init.xavier_uniform_(${lin}.weight, gain=${num('gain', 1)})`, z];
    case 'xavier_normal':
      if (s.variant === 'fan_in') return [`nn.init.normal_(${lin}.weight, 0.0, ${num('gain', 1)} / math.sqrt(${lin}.in_features))  # Xavier, the lecture's N(0, 1/h[l-1])`, z];
      return [`nn.init.xavier_normal_(${lin}.weight, gain=${num('gain', 1)})  # N(0, 2/(h[l-1] + h[l]))`, z];
    case 'kaiming_normal': case 'kaiming_uniform': {
      const kw = [`a=${num('a', 0)}`, `mode=${q(s.mode ?? 'fan_in')}`, `nonlinearity=${q(s.nonlinearity ?? 'leaky_relu')}`];
      return [`nn.init.${s.name}_(${lin}.weight, ${kw.join(', ')})`, z];
    }
    case 'lecun_normal': return [`nn.init.normal_(${lin}.weight, 0.0, 1.0 / math.sqrt(${lin}.in_features))  # LeCun: N(0, 1/fan_in)`, z];
    case 'orthogonal': return [`nn.init.orthogonal_(${lin}.weight, gain=${num('gain', 1)})`, z];
    default: {
      if (!(s.name in INIT_PRESETS)) throw new Error(`init: no torch equivalent for "${String(s.name).slice(0, 40)}"`);
      const v = INIT_PRESETS[s.name];
      if (v === 0) return [`nn.init.zeros_(${lin}.weight)  # deeplearning.ai "zero"`, z];
      return [`nn.init.normal_(${lin}.weight, 0.0, math.sqrt(${pyNum(v)} / ${lin}.in_features))  # deeplearning.ai "${s.name}": N(0, ${pyNum(v)}/fan_in)`, z];
    }
  }
}

function pyList(v, perLine = 12, indent = '    ') {
  const rows = [];
  for (let i = 0; i < v.length; i += perLine) rows.push(indent + v.slice(i, i + perLine).map(pyNum).join(', ') + ',');
  return ['[', ...rows, ']'];
}
function pyInt(v) { return String(Math.floor(v)); }
/** Shortest decimal that rounds back to the same float32 (the engine's numbers are f32). */
export function f32(v) { const x = Math.fround(v); for (let p = 6; p <= 9; p++) { const t = Number(x.toPrecision(p)); if (Math.fround(t) === x) return t; } return x; }

/**
 * @param {object} spec   the TrainerSpec (validated by the engine)
 * @param {object} opts
 *   title: string
 *   data: {kind: 'points', inputs: number[][], labels: number[]}  (the engine's own samples, embedded)
 *       | {kind: 'csv', file: 'digits.csv', sklearn?: 'load_digits'}  (read from disk; sklearn fallback)
 *   steps: training steps to run (default 1000)
 *   initialParams: [{W: number[][] ([out][in]), b: number[]}] — the engine's initial weights (optional)
 *   report: 'gradnorms' | 'stats' | 'none'  per-layer numbers printed at the start and the end
 *   race: {runs: [{activation, lr}], threshold, epochs}   train one network per entry (relu lab)
 *   expected: {train_loss, train_errors, steps}  what the playground computed (printed for comparison)
 */
export function networkScript(spec, opts = {}) {
  const sizes = spec.layer_sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n > 0)) throw new Error('layer_sizes: need at least two positive integers');
  const nOut = sizes[sizes.length - 1];
  const loss = spec.loss ?? (nOut > 1 ? 'cross_entropy' : 'bce_with_logits');
  if (!TORCH_LOSS[loss]) throw new Error(`loss: no torch equivalent for "${String(loss).slice(0, 40)}"`);
  const o = spec.optimizer || { name: 'sgd', lr: 0.01 };
  const cls = TORCH_OPTIM[o.name];
  if (!cls) throw new Error(`optimizer: no torch equivalent for "${String(o.name).slice(0, 40)}"`);
  if (spec.scheduler && spec.scheduler.name !== 'constant') throw new Error('scheduler: the network labs export constant learning rates only');
  const kwargs = Object.entries(optimizerKwargs(o)).map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 'True' : 'False') : Array.isArray(v) ? `(${v.map(pyNum).join(', ')})` : pyNum(v)}`);
  const data = opts.data || { kind: 'csv', file: 'data.csv' };
  const d = spec.data || {};
  const seed = pyInt(spec.seed ?? 0);
  const steps = pyInt(opts.steps ?? 1000);
  const race = opts.race || null;
  const runs = race ? race.runs : [{ activation: spec.activation ?? 'relu', lr: o.lr }];
  for (const r of runs) torchActivation(r.activation);
  const initLines = torchInitLines(spec.init ?? 'torch_default');
  const bn = !!spec.batch_norm, drop = spec.dropout ?? 0;
  const L = [];
  L.push('#!/usr/bin/env python3');
  L.push(`# ${opts.title || 'Learning as Optimization playground: a network run'}, exported as a PyTorch script.`);
  L.push('# Same network, initialization, loss, optimizer (torch.optim, same kwargs), batch size and data as the');
  L.push('# playground; the loop is torch\'s: zero_grad(); loss = L(net(x_B), t_B); loss.backward(); opt.step().');
  L.push("# torch's random generator is not the playground's: shuffles (and random initial weights, unless they");
  L.push('# are embedded below) agree in distribution, not digit for digit.');
  L.push('import csv');
  L.push('import math');
  L.push('import os');
  L.push('import sys');
  L.push('import torch');
  L.push('from torch import nn');
  L.push('');
  L.push(`SEED = ${seed}`);
  L.push('torch.manual_seed(SEED)');
  L.push(`LAYER_SIZES = [${sizes.map(pyInt).join(', ')}]`);
  L.push(`BATCH_SIZE = ${spec.batch_size != null ? pyInt(spec.batch_size) : 'None  # full batch'}`);
  L.push(`STEPS = ${steps}`);
  L.push('');
  L.push('# --- data ---');
  if (data.kind === 'points') {
    const X = data.inputs.flat(), Y = data.labels;
    if (X.length !== Y.length * sizes[0]) throw new Error('data: inputs and labels do not match layer_sizes[0]');
    L.push(`# The playground's own ${Y.length} samples of the "${String(d.name || 'generated').slice(0, 20)}" generator (n=${d.n ?? Y.length}, noise=${pyNum(d.noise ?? 0)}, seed=${pyInt(d.seed ?? spec.seed ?? 0)}),`);
    L.push('# embedded so that this script trains on exactly the same points.');
    L.push(`XS = ${pyList(X.map(f32), 12).join('\n')}`);
    L.push(`LABELS = ${pyList(Y, 30).join('\n').replace(/\.0,/g, ',')}`);
    L.push(`X = torch.tensor(XS, dtype=torch.float64).reshape(-1, ${sizes[0]})`);
    L.push('Y = torch.tensor(LABELS, dtype=torch.int64)');
  } else {
    const file = String(data.file || 'data.csv').replace(/[^A-Za-z0-9_.-]/g, '_');
    L.push(`# The playground's www/data/${file} (header row, last column "label"). Put it next to this script`);
    L.push('# or pass its path as the first argument.');
    L.push(`CSV_PATH = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), ${q(file)})`);
    L.push('def load_csv(path):');
    L.push('    with open(path, newline="") as f:');
    L.push('        rows = [r for r in csv.reader(f) if r]');
    L.push('    assert rows[0][-1].strip() == "label", "the last column must be named label"');
    L.push('    x = [[float(v) for v in r[:-1]] for r in rows[1:]]');
    L.push('    y = [int(float(r[-1])) for r in rows[1:]]');
    L.push('    return torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.int64)');
    L.push('if os.path.exists(CSV_PATH):');
    L.push('    X, Y = load_csv(CSV_PATH)');
    if (data.sklearn) {
      L.push('else:  # the same data as shipped with scikit-learn');
      L.push(`    from sklearn.datasets import ${data.sklearn}`);
      L.push(`    _d = ${data.sklearn}()`);
      L.push('    X, Y = torch.tensor(_d.data, dtype=torch.float64), torch.tensor(_d.target, dtype=torch.int64)');
    } else {
      L.push('else:');
      L.push('    sys.exit(f"data file not found: {CSV_PATH}")');
    }
  }
  const vs = d.validation_split ?? 0;
  L.push(`VALIDATION_SPLIT = ${pyNum(vs)}`);
  L.push('perm = torch.randperm(len(Y), generator=torch.Generator().manual_seed(SEED))');
  L.push('n_val = min(round(len(Y) * VALIDATION_SPLIT), len(Y) - 1)');
  L.push('Xv, Yv, X, Y = X[perm[:n_val]], Y[perm[:n_val]], X[perm[n_val:]], Y[perm[n_val:]]');
  if (d.normalize) {
    L.push("# Input normalization: x_hat = (x - mu) / sigma with the training set's mean and biased standard");
    L.push('# deviation (sigma = 1 for a constant feature), as in the playground.');
    L.push('MU = X.mean(0)');
    L.push('SD = X.std(0, unbiased=False)');
    L.push('SD[SD == 0] = 1.0');
    L.push('X, Xv = (X - MU) / SD, (Xv - MU) / SD');
  }
  L.push('X, Xv = X.float(), Xv.float()  # the playground trains in float32');
  L.push('N = len(Y)');
  L.push('');
  L.push('# --- network ---');
  L.push('def make_net(activation):');
  L.push('    layers = []');
  L.push('    for l in range(1, len(LAYER_SIZES)):');
  L.push('        lin = nn.Linear(LAYER_SIZES[l - 1], LAYER_SIZES[l])');
  for (const line of initLines) L.push(`        ${line}`);
  L.push('        layers.append(lin)');
  L.push('        if l < len(LAYER_SIZES) - 1:  # hidden layer; the output layer is linear');
  if (bn) L.push('            layers.append(nn.BatchNorm1d(LAYER_SIZES[l]))');
  L.push('            layers.append(activation())');
  if (drop > 0) L.push(`            layers.append(nn.Dropout(p=${pyNum(drop)}))`);
  L.push('    return nn.Sequential(*layers)');
  L.push('');
  const P = opts.initialParams;
  if (P && !race) {
    if (P.length !== sizes.length - 1) throw new Error('initialParams: one {W, b} per layer');
    L.push("# The playground's exact initial weights (W[l] is [out][in], as nn.Linear stores it).");
    L.push('INITIAL = [');
    P.forEach((p, l) => {
      if (p.W.length !== sizes[l + 1] || p.W.some((r) => r.length !== sizes[l]) || p.b.length !== sizes[l + 1]) throw new Error(`initialParams[${l}]: shape does not match layer_sizes`);
      L.push(`    ([${p.W.map((r) => `[${r.map((v) => pyNum(f32(v))).join(', ')}]`).join(', ')}],`);
      L.push(`     [${p.b.map((v) => pyNum(f32(v))).join(', ')}]),`);
    });
    L.push(']');
    L.push('def load_initial(net):');
    L.push('    with torch.no_grad():');
    L.push('        for lin, (w, b) in zip([m for m in net if isinstance(m, nn.Linear)], INITIAL):');
    L.push('            lin.weight.copy_(torch.tensor(w))');
    L.push('            lin.bias.copy_(torch.tensor(b))');
    L.push('');
  }
  L.push(`loss_fn = ${TORCH_LOSS[loss]}`);
  L.push('def targets(y):');
  if (loss === 'cross_entropy') L.push('    return y  # class indices');
  else if (nOut === 1) L.push('    return y.float().unsqueeze(1)  # the 0/1 label itself');
  else L.push(`    return nn.functional.one_hot(y, ${pyInt(nOut)}).float()`);
  L.push('def errors(net, x, y):');
  L.push('    """Misclassified samples (inference mode): argmax of the outputs, or output > 0 for one logit."""');
  L.push('    net.eval()');
  L.push('    with torch.no_grad():');
  L.push('        out = net(x)');
  L.push('        pred = out.argmax(1) if out.shape[1] > 1 else (out[:, 0] > ' + (loss === 'mse' ? '0.5' : '0') + ').long()');
  L.push('        l = loss_fn(out, targets(y)).item()');
  L.push('    net.train()');
  L.push('    return int((pred != y).sum()), l');
  L.push('');
  L.push('def batches(gen):');
  L.push('    """Mini-batch indices forever: a fresh permutation every epoch, consecutive slices."""');
  L.push('    while True:');
  L.push('        if BATCH_SIZE is None or BATCH_SIZE >= N:');
  L.push('            yield None  # full batch');
  L.push('            continue');
  L.push('        p = torch.randperm(N, generator=gen)');
  L.push('        for i in range(0, N, BATCH_SIZE):');
  L.push('            yield p[i:i + BATCH_SIZE]');
  L.push('');
  const report = race ? 'none' : opts.report || 'none';
  if (report !== 'none') {
    L.push('def layer_report(net):');
    L.push('    """Per Dense layer on the first mini-batch: gradient norm ||dL/dW[l]||_F and the mean and variance');
    L.push('    of its activations (the playground\'s layer statistics)."""');
    L.push('    lins = [m for m in net if isinstance(m, nn.Linear)]');
    L.push('    acts = []');
    L.push('    hooks = [m.register_forward_hook(lambda m, i, o: acts.append(o.detach())) for m in net if not isinstance(m, (nn.Linear, nn.Dropout, nn.BatchNorm1d))]');
    L.push('    net.zero_grad()');
    L.push('    idx = torch.arange(min(N, BATCH_SIZE or N))');
    L.push('    loss_fn(net(X[idx]), targets(Y[idx])).backward()');
    L.push('    for h in hooks:');
    L.push('        h.remove()');
    L.push('    for l, lin in enumerate(lins):');
    L.push('        a = acts[l] if l < len(acts) else None');
    L.push('        stats = f"  activation mean {a.mean().item():+.3e}  var {a.var(unbiased=False).item():.3e}" if a is not None else "  (output layer)"');
    L.push('        print(f"  layer {l + 1:2d}: ||dL/dW|| = {lin.weight.grad.norm().item():.3e}{stats}")');
    L.push('    net.zero_grad()');
    L.push('');
  }
  if (race) {
    L.push(`THRESHOLD = ${pyNum(race.threshold)}  # training error rate to reach`);
    L.push(`MAX_EPOCHS = ${pyInt(race.epochs)}`);
    L.push('RUNS = [');
    for (const r of race.runs) L.push(`    (${q(typeof r.activation === 'string' ? r.activation : r.activation.name)}, lambda: ${torchActivation(r.activation)}, ${pyNum(r.lr)}),`);
    L.push(']');
    L.push('results = {}');
    L.push('for name, act, lr in RUNS:');
    L.push('    torch.manual_seed(SEED)  # the same initial weights for every activation');
    L.push('    net = make_net(act)');
    L.push(`    opt = torch.optim.${cls}(net.parameters(), ${kwargs.filter((k) => !k.startsWith('lr=')).concat('lr=lr').join(', ')})`);
    L.push('    gen = torch.Generator().manual_seed(SEED)');
    L.push('    it = batches(gen)');
    L.push('    seen, reached, diverged = 0, None, None');
    L.push('    curve = []');
    L.push('    step = 0');
    L.push('    while seen < MAX_EPOCHS * N:');
    L.push('        idx = next(it)');
    L.push('        x, y = (X, Y) if idx is None else (X[idx], Y[idx])');
    L.push('        opt.zero_grad()');
    L.push('        loss = loss_fn(net(x), targets(y))');
    L.push('        step += 1');
    L.push('        if not math.isfinite(loss.item()):');
    L.push('            diverged = step');
    L.push('            break');
    L.push('        loss.backward()');
    L.push('        opt.step()');
    L.push('        before, seen = seen, seen + len(y)');
    L.push('        if seen // N > before // N:  # an epoch ended: training error on the whole set');
    L.push('            e, _ = errors(net, X, Y)');
    L.push('            curve.append(e / N)');
    L.push('            if reached is None and e / N <= THRESHOLD:');
    L.push('                reached = seen / N');
    L.push('    results[name] = reached');
    L.push('    print(f"{name:>10}: lr {lr}, training error per epoch {[round(c, 4) for c in curve]}")');
    L.push('    print(f"{name:>10}: reached {THRESHOLD:.0%} training error after {reached} epochs" + (f" (diverged at step {diverged})" if diverged else ""))');
    L.push('base = results.get("relu")');
    L.push('for name, r in results.items():');
    L.push('    if base and r and name != "relu":');
    L.push('        print(f"ReLU was {r / base:.2f}x faster than {name}")');
  } else {
    L.push(`net = make_net(lambda: ${torchActivation(runs[0].activation)})`);
    if (P) L.push('load_initial(net)');
    L.push(`opt = torch.optim.${cls}(net.parameters(), ${kwargs.join(', ')})`);
    if (report !== 'none') { L.push('print("at initialization:")'); L.push('layer_report(net)'); }
    L.push('gen = torch.Generator().manual_seed(SEED)');
    L.push('it = batches(gen)');
    L.push('losses, diverged_at_step = [], None');
    L.push('for k in range(1, STEPS + 1):');
    L.push('    idx = next(it)');
    L.push('    x, y = (X, Y) if idx is None else (X[idx], Y[idx])');
    L.push('    opt.zero_grad()');
    L.push('    loss = loss_fn(net(x), targets(y))');
    L.push('    if not math.isfinite(loss.item()):');
    L.push('        diverged_at_step = k  # not applied, as in the playground');
    L.push('        break');
    L.push('    loss.backward()');
    L.push('    opt.step()');
    L.push('    losses.append(loss.item())');
    L.push('    if k % max(1, STEPS // 10) == 0:');
    L.push('        e, l = errors(net, X, Y)');
    L.push('        print(f"step {k:6d}  mini-batch loss {loss.item():.5f}  training loss {l:.5f}  misclassified {e}/{N}")');
    L.push('e, l = errors(net, X, Y)');
    L.push('print(f"done: {len(losses)} steps, diverged_at_step: {diverged_at_step}, training loss {l:.6f}, misclassified {e}/{N}")');
    if (report !== 'none') { L.push('print("after training:")'); L.push('layer_report(net)'); }
    const ex = opts.expected;
    if (ex && Number.isFinite(ex.train_loss)) {
      L.push(`# The playground after ${pyInt(ex.steps ?? 0)} steps: training loss ${pyNum(f32(ex.train_loss))}, misclassified ${pyInt(ex.train_errors ?? 0)}.`);
      L.push(`print("playground after ${pyInt(ex.steps ?? 0)} steps: training loss ${pyNum(f32(ex.train_loss))}, misclassified ${pyInt(ex.train_errors ?? 0)}")`);
    }
  }
  return L.join('\n') + '\n';
}

/** The per-layer {W, b} of a flat parameter vector (engine layout: [W offset, W len, b offset, b len] per layer). */
export function splitParameters(params, layout, sizes) {
  const out = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    const [wo, wl, bo, bl] = [layout[4 * l], layout[4 * l + 1], layout[4 * l + 2], layout[4 * l + 3]];
    const nin = sizes[l], nout = sizes[l + 1];
    if (wl !== nin * nout || bl !== nout) throw new Error(`layout: layer ${l + 1} does not match layer_sizes`);
    const W = [];
    for (let r = 0; r < nout; r++) W.push(Array.from(params.subarray ? params.subarray(wo + r * nin, wo + (r + 1) * nin) : params.slice(wo + r * nin, wo + (r + 1) * nin)));
    out.push({ W, b: Array.from(params.subarray ? params.subarray(bo, bo + bl) : params.slice(bo, bo + bl)) });
  }
  return out;
}

/** CSV text of named columns of equal length (numbers; non-finite written empty). */
export function columnsCSV(cols) {
  const names = Object.keys(cols);
  const n = Math.max(0, ...names.map((k) => cols[k].length));
  const rows = [names.map((s) => `"${String(s).replace(/"/g, '""')}"`).join(',')];
  for (let i = 0; i < n; i++) rows.push(names.map((k) => { const v = cols[k][i]; return typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v == null ? '' : `"${String(v).replace(/"/g, '""')}"`; }).join(','));
  return rows.join('\n') + '\n';
}
