// A runnable PyTorch script for a network run of the playground (pure: no DOM; the torch.nn lines
// come from the engine; unit-tested in tests/js/vanishing.test.mjs, initialization.test.mjs and relu.test.mjs).
//
// Input: the very TrainerSpec the page hands to `new E.Trainer(spec)` (see www/pkg/optplay.d.ts)
//   {layer_sizes, activation, loss, init, optimizer: {name, ...torch kwargs}, batch_size, seed,
//    data: {name, n, noise, seed} | {csv, normalize, validation_split, train_size}, batch_norm, dropout}
// and options saying where the data come from and what to report. The script mirrors the engine
// (src/nn/train.rs):
//   * the network: nn.Linear layers, each hidden one followed by [BatchNorm1d,] the activation (or the activation, then BatchNorm1d: bn_placement "after")
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
import { torchOptimizer, torchScheduler, torchActivation, torchLoss, torchInitLines, pyNum } from './export.js';
import { PY_RNG, PY_BLOB, pyLongString } from './py-engine.js';

export { pyNum, torchActivation, torchLoss, torchInitLines };

const q = (s) => JSON.stringify(String(s)); // a Python string literal (JSON's escapes are valid Python)

function pyList(v, perLine = 12, indent = '    ') {
  const rows = [];
  for (let i = 0; i < v.length; i += perLine) rows.push(indent + v.slice(i, i + perLine).map(pyNum).join(', ') + ',');
  return ['[', ...rows, ']'];
}
function pyInt(v) { return String(Math.floor(v)); }
/** Shortest decimal that rounds back to the same float32 (the engine's numbers are f32). */
export function f32(v) { const x = Math.fround(v); for (let p = 6; p <= 9; p++) { const t = Number(x.toPrecision(p)); if (Math.fround(t) === x) return t; } return x; }


/** Python lines: with --rounding-check, rerun this script in float64 and with reversed batch rows. */
const ROUNDING_CHECK = `
if "--rounding-check" in sys.argv:
    # How far does float32 rounding alone move the numbers? Two runs of the same mathematics:
    # float64, and float32 with every mini-batch in reverse row order (another summation order).
    import os, subprocess, tempfile
    variants = {}
    for flag in ("--float64", "--reverse-batch-rows"):
        fd, tmp = tempfile.mkstemp(suffix=".json")
        os.close(fd)
        subprocess.run([sys.executable, os.path.abspath(__file__), flag, "--json", tmp], check=True, stdout=subprocess.DEVNULL)
        with open(tmp) as fh:
            variants[flag.strip("-")] = json.load(fh)
        os.remove(tmp)
    RESULT["rounding_variants"] = variants
`;

/** Base64 of the float32 little-endian bytes of the per-layer {W, b} (W row-major [out][in], then b). */
export function weightsBase64(params) {
  const flat = [];
  for (const p of params) { for (const r of p.W) flat.push(...r); flat.push(...p.b); }
  const bytes = new Uint8Array(Float32Array.from(flat).buffer);
  let str = '';
  for (let i = 0; i < bytes.length; i += 0x8000) str += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(str);
}

/**
 * A runnable PyTorch script that reproduces a network run of the playground step by step: the same
 * data split and normalization, the playground's exact initial weights, the same mini-batches (and
 * dropout masks) from the playground's own random generator, torch.nn layers and losses and
 * torch.optim with the same kwargs, in float32 as the playground; the per-step loss agrees up to
 * float32 rounding. It compares its loss curve with the playground's (embedded) and takes
 * `--json FILE` to write its numbers.
 * @param {object} spec   the TrainerSpec (validated by the engine)
 * @param {object} opts
 *   title: string
 *   data: {kind: 'points', inputs: number[] (flat, rows × dim, original order), labels: number[], dim}
 *       | {kind: 'csv', file: 'digits.csv', b64: deflated CSV text (shared/py-engine.js deflateBase64)}
 *   initialParams: [{W: number[][] ([out][in]), b: number[]}] — the playground's initial weights
 *   steps: training steps to run
 *   report: 'gradnorms' | 'stats' | 'none'  per-layer numbers printed at the start and the end
 *   race: {runs: [{activation, lr}], threshold, epochs}   one network per entry (relu lab)
 *   expected: single run {losses: number[] (from step 1), train_loss, train_errors, steps}
 *             race {runs: {[activation]: {errors: number[] per epoch, reached}}}
 */
export function networkScript(spec, opts = {}) {
  const sizes = spec.layer_sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n > 0)) throw new Error('layer_sizes: need at least two positive integers');
  const nOut = sizes[sizes.length - 1];
  const loss = spec.loss ?? (nOut > 1 ? 'cross_entropy' : 'bce_with_logits');
  const lossModule = torchLoss(loss);
  const o = spec.optimizer;
  // torch.optim's construction, printed by the engine (a field-named error for anything else).
  const optLine = (lrExpr) => torchOptimizer(o, 'net.parameters()', lrExpr);
  optLine();
  const sch = spec.scheduler && spec.scheduler.name !== 'constant' ? torchScheduler(spec.scheduler) : null;
  const data = opts.data;
  if (!data) throw new Error('data: the data set is needed (points or an embedded CSV)');
  const P = opts.initialParams;
  if (!P || P.length !== sizes.length - 1) throw new Error('initialParams: one {W, b} per layer (the playground\'s initial weights)');
  P.forEach((p, l) => { if (p.W.length !== sizes[l + 1] || p.W.some((r) => r.length !== sizes[l]) || p.b.length !== sizes[l + 1]) throw new Error(`initialParams[${l}]: shape does not match layer_sizes`); });
  const d = spec.data || {};
  const seed = pyInt(spec.seed ?? 0);
  const steps = pyInt(opts.steps ?? 1000);
  const race = opts.race || null;
  const runs = race ? race.runs : [{ activation: spec.activation ?? 'relu', lr: o.lr }];
  for (const r of runs) torchActivation(r.activation);
  const bn = !!spec.batch_norm, hiddenDrop = spec.dropout ?? 0, inputDrop = spec.input_dropout ?? 0;
  const drop = Math.max(hiddenDrop, inputDrop), perBatch = spec.dropout_granularity === 'batch';
  const L = [];
  L.push('#!/usr/bin/env python3');
  L.push(`# ${opts.title || 'Learning as Optimization playground: a network run'}, exported as a PyTorch script.`);
  L.push('# It reproduces the playground\'s run step by step: the same data split and normalization, the');
  L.push('# playground\'s initial weights, the same mini-batches' + (drop > 0 ? ' and dropout masks' : '') + ' (drawn with the playground\'s own random');
  L.push('# generator, EngineRng below), torch.nn layers and losses and torch.optim with the same kwargs, in float32.');
  L.push('# The per-step loss agrees with the playground\'s up to float32 rounding (different summation orders);');
  L.push('# at the end the script compares its curve with the playground\'s (embedded). --json FILE writes its numbers.');
  L.push('import base64');
  L.push('import json');
  L.push('import math');
  L.push('import sys');
  L.push('import torch');
  L.push('from torch import nn');
  L.push('');
  L.push(`SEED = ${seed}`);
  L.push(`LAYER_SIZES = [${sizes.map(pyInt).join(', ')}]`);
  L.push(`BATCH_SIZE = ${pyInt(spec.batch_size ?? 1 << 30)}  # at least the training set = full batch`);
  L.push(`STEPS = ${steps}`);
  L.push(`VALIDATION_SPLIT = ${pyNum(d.validation_split ?? 0)}`);
  L.push(`TRAIN_SIZE = ${Number.isInteger(d.train_size) && d.train_size > 0 ? d.train_size : 'None'}  # the first TRAIN_SIZE training examples (None: all)`);
  L.push(`SCALE = ${pyNum(d.scale ?? 1)}  # every feature multiplied by it as it is read (before NORMALIZE)`);
  L.push(`NORMALIZE = ${d.normalize ? 'True' : 'False'}`);
  L.push(`SPLIT_SEED = ${Number.isInteger(d.split_seed) ? pyInt(d.split_seed) : 'SEED'}  # the seed of the training/validation split`);
  L.push('# float32 as the playground; --float64 runs the same experiment in float64 (how much does rounding matter?)');
  L.push('DTYPE = torch.float64 if "--float64" in sys.argv else torch.float32');
  L.push('# --reverse-batch-rows feeds every mini-batch in reverse row order: the same mathematics, another');
  L.push('# summation order; --rounding-check runs both variants too and says how far rounding alone moves the loss.');
  L.push('REVERSE_ROWS = "--reverse-batch-rows" in sys.argv');
  L.push(PY_RNG.trim());
  L.push('');
  L.push('# --- data ---');
  if (data.kind === 'points') {
    const dim = data.dim ?? sizes[0];
    if (data.inputs.length !== data.labels.length * dim) throw new Error('data: inputs and labels do not match');
    L.push(`# The playground's ${data.labels.length} samples of the "${String(d.name || 'generated').slice(0, 20)}" generator (n=${d.n ?? data.labels.length}, noise=${pyNum(d.noise ?? 0)}), in their order.`);
    L.push(`DIM = ${pyInt(dim)}`);
    L.push(`_XS = ${pyList(Array.from(data.inputs), 8).join('\n')}`);
    L.push(`LABELS = ${pyList(Array.from(data.labels), 30).join('\n').replace(/\.0,/g, ',')}`);
    L.push('ROWS = [[v * SCALE for v in _XS[i * DIM:(i + 1) * DIM]] for i in range(len(LABELS))]');
  } else {
    const file = String(data.file || 'data.csv').replace(/[^A-Za-z0-9_.-]/g, '_');
    L.push(`# The playground's www/data/${file} (header row, last column "label"), embedded (zlib + base64).`);
    L.push(PY_BLOB.trim());
    L.push(`_CSV = _blob(${pyLongString(data.b64)})`);
    L.push('_lines = [l for l in _CSV.splitlines() if l.strip()]');
    L.push('assert _lines[0].split(",")[-1].strip() == "label"');
    L.push('ROWS = [[float(v) * SCALE for v in l.split(",")[:-1]] for l in _lines[1:]]');
    L.push('LABELS = [int(float(l.split(",")[-1])) for l in _lines[1:]]');
    L.push('DIM = len(ROWS[0])');
  }
  L.push('# The split: one seeded permutation; the first round(n * VALIDATION_SPLIT) samples are held out.');
  L.push('n = len(LABELS)');
  L.push('perm = list(range(n))');
  L.push('EngineRng.derive(SPLIT_SEED, 1).shuffle(perm)');
  L.push('n_val = min(int(math.floor(n * VALIDATION_SPLIT + 0.5)), n - 1)');
  L.push('val_idx, train_idx = perm[:n_val], perm[n_val:]');
  L.push('if TRAIN_SIZE is not None:');
  L.push('    train_idx = train_idx[:TRAIN_SIZE]  # a smaller training set, the same validation set');
  L.push('if NORMALIZE:');
  L.push("    # x_hat = (x - mu) / sigma with the training set's mean and biased standard deviation (sigma = 1");
  L.push('    # for a constant feature), computed in float64 as in the playground, then float32.');
  L.push('    m = len(train_idx)');
  L.push('    MU = [sum(ROWS[i][j] for i in train_idx) / m for j in range(DIM)]');
  L.push('    SD = [math.sqrt(v) if v > 0 else 1.0 for v in (sum((ROWS[i][j] - MU[j]) ** 2 for i in train_idx) / m for j in range(DIM))]');
  L.push('else:');
  L.push('    MU, SD = [0.0] * DIM, [1.0] * DIM');
  L.push('def inputs(idx):');
  L.push('    return torch.tensor([[(ROWS[i][j] - MU[j]) / SD[j] for j in range(DIM)] for i in idx], dtype=torch.float64).float().to(DTYPE)');
  L.push('X, Y = inputs(train_idx), torch.tensor([LABELS[i] for i in train_idx], dtype=torch.int64)');
  L.push('Xv, Yv = inputs(val_idx), torch.tensor([LABELS[i] for i in val_idx], dtype=torch.int64)');
  L.push('N = len(Y)');
  L.push('');
  L.push('# --- network ---');
  if (drop > 0) {
    L.push(`PER_BATCH_MASK = ${perBatch ? 'True' : 'False'}  # one mask per mini-batch (the slide) instead of one per example (nn.Dropout)`);
    L.push('# --torch-dropout uses nn.Dropout itself (torch\'s own random masks, one per example): the same');
    L.push('# semantics, other masks, so the losses then differ from the playground\'s step by step.');
    L.push('TORCH_DROPOUT = "--torch-dropout" in sys.argv');
    L.push('class EngineDropout(nn.Module):');
    L.push('    """Inverted dropout (as nn.Dropout(p): p is the DROP probability; the paper\'s retention probability');
    L.push('    is 1 - p) with the playground\'s masks: one draw u per value (per unit for the whole mini-batch');
    L.push('    with PER_BATCH_MASK), kept when u < 1 - p, survivors scaled by 1/(1 - p); identity in eval mode."""');
    L.push('    def __init__(self, p, rng):');
    L.push('        super().__init__()');
    L.push('        self.p, self.rng = p, rng');
    L.push('    def forward(self, x):');
    L.push('        if not self.training or self.p == 0:');
    L.push('            return x');
    L.push('        keep = 1.0 - self.p');
    L.push('        scale = 1.0 / keep if keep > 0 else 0.0');
    L.push('        if PER_BATCH_MASK:');
    L.push('            mask = torch.tensor([scale if self.rng.uniform() < keep else 0.0 for _ in range(x.shape[1])]).to(x.dtype)');
    L.push('            return x * mask  # the same units dropped in every row');
    L.push('        mask = torch.tensor([scale if self.rng.uniform() < keep else 0.0 for _ in range(x.numel())]).to(x.dtype).view_as(x)');
    L.push('        if REVERSE_ROWS:');
    L.push('            mask = mask.flip(0)  # the rows come reversed: each example keeps its own mask');
    L.push('        return x * mask');
    L.push('def dropout_layer(p, rng):');
    L.push('    return nn.Dropout(p) if TORCH_DROPOUT and not PER_BATCH_MASK else EngineDropout(p, rng)');
  }
  const bnMomentum = spec.bn_momentum === undefined ? 0.1 : spec.bn_momentum;
  const firstBatch = bn && spec.bn_running_init === 'first_batch';
  if (firstBatch) {
    L.push('class FirstBatchNorm1d(nn.BatchNorm1d):');
    L.push('    """BatchNorm1d whose running statistics start at the first training batch\'s (the lecture\'s');
    L.push('    MA(1) = mu_B(1)) instead of torch\'s 0 and 1: momentum 1 for the first update, then its own."""');
    L.push('    def forward(self, x):');
    L.push('        if self.training and int(self.num_batches_tracked) == 0:');
    L.push('            m, self.momentum = self.momentum, 1.0');
    L.push('            try:');
    L.push('                return super().forward(x)');
    L.push('            finally:');
    L.push('                self.momentum = m');
    L.push('        return super().forward(x)');
  }
  L.push(`def make_net(activation${drop > 0 ? ', dropout_rng' : ''}):`);
  L.push('    layers = []');
  if (inputDrop > 0) L.push(`    layers.append(dropout_layer(${pyNum(inputDrop)}, dropout_rng))  # on the inputs`);
  L.push('    for l in range(1, len(LAYER_SIZES)):');
  L.push('        layers.append(nn.Linear(LAYER_SIZES[l - 1], LAYER_SIZES[l]))');
  L.push('        if l < len(LAYER_SIZES) - 1:  # hidden layer; the output layer is linear');
  const bnLine = `            layers.append(${firstBatch ? 'FirstBatchNorm1d' : 'nn.BatchNorm1d'}(LAYER_SIZES[l]${bnMomentum === 0.1 ? '' : `, momentum=${bnMomentum === null ? 'None' : pyNum(bnMomentum)}`}))${bnMomentum === null ? '  # momentum=None: the cumulative average' : ''}`;
  const bnAfter = bn && spec.bn_placement === 'after';
  if (bn && !bnAfter) L.push(bnLine);
  L.push('            layers.append(activation())');
  if (bnAfter) L.push(`${bnLine}${bnMomentum === null ? '' : '  # after the activation'}`);
  if (hiddenDrop > 0) L.push(`            layers.append(dropout_layer(${pyNum(hiddenDrop)}, dropout_rng))`);
  L.push('    net = nn.Sequential(*layers).to(DTYPE)');
  L.push('    load_initial(net)');
  L.push('    return net');
  L.push('');
  L.push(`# The playground's initial weights (${describeInit(spec.init)}; biases ${initBiasNote(spec.init)}),`);
  L.push('# float32 little-endian, layer by layer: W [out][in] row-major, then b.');
  L.push(`INITIAL = ${pyLongString(weightsBase64(P))}`);
  L.push('def load_initial(net):');
  L.push('    w = torch.frombuffer(bytearray(base64.b64decode(INITIAL)), dtype=torch.float32)');
  L.push('    off = 0');
  L.push('    with torch.no_grad():');
  L.push('        for lin in [m for m in net if isinstance(m, nn.Linear)]:');
  L.push('            for t in (lin.weight, lin.bias):');
  L.push('                t.copy_(w[off:off + t.numel()].view_as(t).to(DTYPE))');
  L.push('                off += t.numel()');
  L.push('');
  L.push(`loss_fn = ${lossModule}`);
  L.push('def targets(y):');
  if (loss === 'cross_entropy') L.push('    return y  # class indices');
  else if (nOut === 1) L.push('    return y.float().unsqueeze(1)  # the 0/1 label itself');
  else L.push(`    return nn.functional.one_hot(y, ${pyInt(nOut)}).to(DTYPE)`);
  L.push('def errors(net, x, y):');
  L.push('    """Misclassified samples and the mean loss in inference mode (as the playground evaluates)."""');
  L.push('    net.eval()');
  L.push('    with torch.no_grad():');
  L.push('        out = net(x)');
  L.push('        pred = out.argmax(1) if out.shape[1] > 1 else (out[:, 0] > ' + (loss === 'mse' ? '0.5' : '0') + ').long()');
  L.push('        l = loss_fn(out, targets(y)).item()');
  L.push('    net.train()');
  L.push('    return int((pred != y).sum()), l');
  L.push('');
  L.push('class Batches:');
  L.push('    """Mini-batches as the playground draws them (DataLoader(shuffle=True, drop_last=False) semantics):');
  L.push('    the order is shuffled again at every epoch with the playground\'s generator, then cut into');
  L.push('    consecutive slices (the last may be shorter). BATCH_SIZE >= N: the whole training set every step."""');
  L.push('    def __init__(self):');
  L.push('        self.order, self.cursor, self.rng = list(range(N)), N, EngineRng.derive(SEED, 3)');
  L.push('    def next(self):');
  L.push('        if BATCH_SIZE >= N:');
  L.push('            return None');
  L.push('        if self.cursor >= N:');
  L.push('            self.rng.shuffle(self.order)');
  L.push('            self.cursor = 0');
  L.push('        idx = self.order[self.cursor:self.cursor + BATCH_SIZE]');
  L.push('        self.cursor += len(idx)');
  L.push('        return torch.tensor(idx)');
  L.push('');
  L.push('def train_step(net, opt, batches):');
  L.push('    """One step of the playground\'s loop; returns the mini-batch loss, or None when it is not finite');
  L.push('    (then the step is not applied: the run diverged)."""');
  L.push('    idx = batches.next()');
  L.push('    if REVERSE_ROWS:');
  L.push('        idx = torch.arange(N - 1, -1, -1) if idx is None else idx.flip(0)');
  L.push('    x, y = (X, Y) if idx is None else (X[idx], Y[idx])');
  L.push('    opt.zero_grad()');
  L.push('    loss = loss_fn(net(x), targets(y))');
  L.push('    if not math.isfinite(loss.item()):');
  L.push('        return None');
  L.push('    loss.backward()');
  L.push('    opt.step()');
  L.push('    return loss.item()');
  L.push('');
  const report = race ? 'none' : opts.report || 'none';
  if (report !== 'none') {
    L.push('def layer_report(net):');
    L.push('    """Per Dense layer, on the first BATCH_SIZE rows of the training split (the rows the playground\'s');
    L.push('    inspection uses before any step): ||dL/dW[l]||_F and the mean and variance of its activations."""');
    L.push('    lins = [m for m in net if isinstance(m, nn.Linear)]');
    L.push('    acts = []');
    L.push('    hooks = [m.register_forward_hook(lambda m, i, o: acts.append(o.detach())) for m in net if not isinstance(m, (nn.Linear, nn.BatchNorm1d' + (drop > 0 ? ', EngineDropout, nn.Dropout' : '') + '))]');
    if (drop > 0) {
      L.push('    # As the playground\'s inspection: no dropout here (and no mask drawn, so training draws the same ones).');
      L.push('    drops = [m for m in net if isinstance(m, (EngineDropout, nn.Dropout))]');
      L.push('    for m in drops:');
      L.push('        m.eval()');
    }
    L.push('    net.zero_grad()');
    L.push('    idx = torch.arange(min(N, BATCH_SIZE))');
    L.push('    loss_fn(net(X[idx]), targets(Y[idx])).backward()');
    L.push('    for h in hooks:');
    L.push('        h.remove()');
    L.push('    for l, lin in enumerate(lins):');
    L.push('        a = acts[l] if l < len(acts) else None');
    L.push('        stats = f"  activation mean {a.mean().item():+.3e}  var {a.var(unbiased=False).item():.3e}" if a is not None else "  (output layer)"');
    L.push('        print(f"  layer {l + 1:2d}: ||dL/dW|| = {lin.weight.grad.norm().item():.3e}{stats}")');
    L.push('    net.zero_grad()');
    if (drop > 0) { L.push('    for m in drops:'); L.push('        m.train()'); }
    L.push('');
  }
  const ex = opts.expected;
  if (race) {
    L.push(`THRESHOLD = ${pyNum(race.threshold)}  # training error rate to reach`);
    L.push(`MAX_EPOCHS = ${pyInt(race.epochs)}`);
    L.push('STEPS_PER_EPOCH = 1 if BATCH_SIZE >= N else math.ceil(N / BATCH_SIZE)');
    L.push('RUNS = [');
    for (const r of race.runs) L.push(`    (${q(typeof r.activation === 'string' ? r.activation : r.activation.name)}, lambda: ${torchActivation(r.activation)}, ${pyNum(r.lr)}),`);
    L.push(']');
    L.push('');
    L.push('def epochs_to_threshold(errs):');
    L.push('    """Epochs until the training error rate first reaches THRESHOLD, linear between epoch ends."""');
    L.push('    for e, v in enumerate(errs):');
    L.push('        if v <= THRESHOLD:');
    L.push('            if e == 0:');
    L.push('                return 0.0');
    L.push('            a, b = errs[e - 1], v');
    L.push('            return float(e) if a == b else e - 1 + (a - THRESHOLD) / (a - b)');
    L.push('    return None');
    L.push('');
    L.push('results = {}');
    L.push('for name, act, lr in RUNS:');
    L.push(`    net = make_net(act${drop > 0 ? ', EngineRng.derive(SEED, 4)' : ''})  # the same initial weights for every activation`);
    L.push(`    opt = ${optLine('lr')}`);
    L.push('    batches = Batches()  # the same mini-batches for every activation');
    L.push('    e0, _ = errors(net, X, Y)');
    L.push('    errs, losses, diverged, reached = [e0 / N], [], None, None');
    L.push('    for epoch in range(1, MAX_EPOCHS + 1):');
    L.push('        for _ in range(STEPS_PER_EPOCH):');
    L.push('            l = train_step(net, opt, batches)');
    L.push('            if l is None:');
    L.push('                diverged = len(losses) + 1');
    L.push('                break');
    L.push('            losses.append(l)');
    L.push('        if diverged:');
    L.push('            break');
    L.push('        e, _ = errors(net, X, Y)');
    L.push('        errs.append(e / N)');
    L.push('        reached = epochs_to_threshold(errs)');
    L.push('        if reached is not None:');
    L.push('            break');
    L.push('    results[name] = {"errors": errs, "reached": reached, "losses": losses, "diverged_at_step": diverged}');
    L.push('    print(f"{name:>10}: lr {lr}, training error per epoch {[round(c, 4) for c in errs]}")');
    L.push('    print(f"{name:>10}: " + (f"reached {THRESHOLD:.0%} training error after {reached:.3g} epochs" if reached is not None else f"did not reach {THRESHOLD:.0%} in {MAX_EPOCHS} epochs") + (f" (diverged at step {diverged})" if diverged else ""))');
    L.push('base = results.get("relu", {}).get("reached")');
    L.push('for name, r in results.items():');
    L.push('    if base and r["reached"] and name != "relu":');
    L.push('        f = r["reached"] / base');
    L.push('        print(f"ReLU was {f:.3g}x faster than {name}" if f >= 1 else f"ReLU was {1 / f:.3g}x slower than {name}")');
    if (ex && ex.runs) {
      L.push('');
      L.push('# What the playground measured (training error rate per epoch, epochs to the threshold):');
      L.push(`PLAYGROUND = ${JSON.stringify(Object.fromEntries(Object.entries(ex.runs).map(([k, v]) => [k, { errors: v.errors.map((e) => f32(e)), reached: v.reached ?? null }]))).replace(/null/g, 'None')}`);
      L.push('for name, r in results.items():');
      L.push('    pg = PLAYGROUND.get(name)');
      L.push('    if pg is None:');
      L.push('        continue');
      L.push('    k = min(len(pg["errors"]), len(r["errors"]))');
      L.push('    diff = max((abs(a - b) for a, b in zip(pg["errors"][:k], r["errors"][:k])), default=0.0)');
      L.push('    print(f"{name:>10}: playground reached the threshold after {pg[\'reached\']} epochs; largest difference of the error rates over {k} epochs {diff:.3g}")');
    }
    L.push('');
    L.push('RESULT = {"runs": results}');
    L.push(ROUNDING_CHECK.trim());
    L.push('if "--json" in sys.argv:');
    L.push('    with open(sys.argv[sys.argv.index("--json") + 1], "w") as out:');
    L.push('        json.dump(RESULT, out)');
  } else {
    L.push(`net = make_net(lambda: ${torchActivation(runs[0].activation)}${drop > 0 ? ', EngineRng.derive(SEED, 4)' : ''})`);
    L.push(`opt = ${optLine()}`);
    L.push(`sched = ${sch ? sch : 'None'}`);
    if (report !== 'none') { L.push('print("at initialization:")'); L.push('layer_report(net)'); }
    L.push('batches = Batches()');
    L.push('losses, diverged_at_step = [], None');
    L.push('for k in range(1, STEPS + 1):');
    L.push('    l = train_step(net, opt, batches)');
    L.push('    if l is None:');
    L.push('        diverged_at_step = k  # not applied, as in the playground');
    L.push('        break');
    L.push('    if sched is not None:');
    L.push('        sched.step()');
    L.push('    losses.append(l)');
    L.push('    if k % max(1, STEPS // 10) == 0:');
    L.push('        e, tl = errors(net, X, Y)');
    L.push('        print(f"step {k:6d}  mini-batch loss {l:.5f}  training loss {tl:.5f}  misclassified {e}/{N}")');
    L.push('e, tl = errors(net, X, Y)');
    L.push('print(f"done: {len(losses)} steps, diverged_at_step: {diverged_at_step}, training loss {tl:.6f}, misclassified {e}/{N}")');
    if (report !== 'none') { L.push('print("after training:")'); L.push('layer_report(net)'); }
    if (ex && ex.losses && ex.losses.length) {
      const pl = Array.from(ex.losses).slice(0, 5000).map(f32);
      L.push('');
      L.push(`# The playground's mini-batch loss of steps 1..${pl.length}${ex.diverged_at_step != null ? ` (it diverged at step ${pyInt(ex.diverged_at_step)})` : ''}.`);
      L.push(`PLAYGROUND_LOSSES = ${pyList(pl, 10).join('\n')}`);
      L.push(`PLAYGROUND_DIVERGED_AT_STEP = ${ex.diverged_at_step == null ? 'None' : pyInt(ex.diverged_at_step)}`);
      L.push('k = min(len(losses), len(PLAYGROUND_LOSSES))');
      L.push('rel = [abs(a - b) / max(abs(b), 1e-12) for a, b in zip(losses[:k], PLAYGROUND_LOSSES[:k])]');
      L.push('worst100 = max(rel[:100], default=0.0)');
      L.push('print(f"playground: largest relative difference of the loss over the first {min(k, 100)} steps {worst100:.3g}, over all {k} compared steps {max(rel, default=0.0):.3g}")');
      if (Number.isFinite(ex.train_loss)) L.push(`print("playground after ${pyInt(ex.steps ?? 0)} steps: training loss ${pyNum(f32(ex.train_loss))}, misclassified ${pyInt(ex.train_errors ?? 0)}")`);
    }
    L.push('');
    L.push('RESULT = {"losses": losses, "diverged_at_step": diverged_at_step, "train_loss": tl if math.isfinite(tl) else None, "train_errors": e, "steps": len(losses)}');
    L.push(ROUNDING_CHECK.trim());
    L.push('if "rounding_variants" in RESULT:');
    L.push('    k = min(100, len(losses), *(len(v["losses"]) for v in RESULT["rounding_variants"].values()))');
    L.push('    spread = max((abs(a - b) / max(abs(a), 1e-12) for v in RESULT["rounding_variants"].values() for a, b in zip(losses[:k], v["losses"][:k])), default=0.0)');
    L.push('    print(f"rounding check: float64 and another summation order move the loss of the first {k} steps by up to {spread:.3g} (relative)")');
    L.push('if "--json" in sys.argv:');
    L.push('    with open(sys.argv[sys.argv.index("--json") + 1], "w") as out:');
    L.push('        json.dump(RESULT, out)');
  }
  return L.join('\n') + '\n';
}

function describeInit(init) {
  const s = typeof init === 'string' ? { name: init } : { ...(init || { name: 'torch_default' }) };
  try { return `drawn by the playground as ${torchInitLines(s)[0].replace(/^nn\.init\./, 'torch.nn.init.').replace(/\s+#.*$/, '')}`; } catch { return String(s.name); }
}
function initBiasNote(init) {
  const n = typeof init === 'string' ? init : init?.name;
  return n === 'torch_default' ? 'as nn.Linear: U(±1/sqrt(fan_in))' : '0';
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

/**
 * What a network script needs from a trainer right after it was built: its initial weights and
 * the data set before the split (copies: views of wasm memory do not survive later calls).
 */
export function snapshotForExport(trainer, spec) {
  // Typed-array copies only (cheap); the per-layer split is made when a script is exported.
  const ds = trainer.dataset();
  const params = Float32Array.from(trainer.parameters()), layout = Uint32Array.from(trainer.parameterLayout());
  return {
    get initialParams() { return splitParameters(params, layout, spec.layer_sizes); },
    dataset: { inputs: ds.inputs, labels: ds.labels, dim: ds.dim },
  };
}

/** The same for a RemoteTrainer (shared/pool.js), taken in its worker before any step: a promise. */
export async function remoteSnapshot(t, spec) {
  const [params, ds] = await Promise.all([t.call('parameters'), t.call('dataset')]);
  return {
    get initialParams() { return splitParameters(params, t.layout, spec.layer_sizes); },
    dataset: { inputs: ds.inputs, labels: ds.labels, dim: ds.dim },
  };
}

/** The loss curve a trainer recorded (from step 1), or [] once old steps were dropped. */
export function lossCurve(trainer) {
  if (!trainer || trainer.historyStart !== 0) return [];
  return Array.from(trainer.lossHistory());
}
