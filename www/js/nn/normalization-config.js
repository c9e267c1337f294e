// The input normalization lab's URL table, presets, engine specs and PyTorch script (pure: no
// DOM, no engine; tested in tests/js/normalization.test.mjs). Lecture, "input normalization":
// x̂ᵢ = (xᵢ − μᵢ)/√(σᵢ² + ε) with μ, σ² over the data set; for h = g(w₁x₁ + w₂x₂ + b) with
// x₁ ∈ [1000, 2000], x₂ ∈ [0.1, 0.2] the level curves in (w₁, w₂) are long thin ellipses and w₂
// trains slowly; after normalization training is faster, more stable and takes larger learning
// rates. ../shared/research/LABS.md §1 has the anchors and the calibration; the numbers come from
// the engine (src/unit.rs), the same model in four coordinate systems.
import { presetEntries, pageEntries } from './common.js';
import { pyNum, torchOptimizer } from '../shared/export.js';
import { engineNow } from '../shared/engine.js';

/** The model's torch loss, printed by the engine (src/unit.rs Model::loss). */
const torchLoss = (model) => engineNow().unitTorchLoss(model);

/** Parts a link can hide (hide=) or, in embed mode, bring back (show=); each is a [data-panel]. */
export const HIDEABLE = ['header', 'lesson', 'transport', 'panels', 'readouts', 'traces', 'lr', 'dims', 'leak', 'mapping', 'controls', 'notes'];
/** What embed=1 hides unless show= names it. */
export const EMBED_EXTRAS = ['header', 'lesson', 'readouts', 'traces', 'lr', 'dims', 'leak', 'mapping', 'controls', 'notes'];

export const TRANSFORMS = ['raw', 'center', 'scale', 'standardize'];
export const TRANSFORM_LABELS = { raw: 'raw x', center: 'centred x − μ', scale: 'scaled x / √(σ² + ε)', standardize: 'standardized (x − μ)/√(σ² + ε)' };
export const TRANSFORM_SHORT = { raw: 'raw', center: 'centred', scale: 'scaled', standardize: 'standardized' };

/** The data sets of the 2-D unit: the breast-cancer columns of LABS.md §1.3, and the slide's example. */
export const DATASETS = {
  breast_cancer: { file: 'breast_cancer.csv', features: ['mean_area', 'mean_smoothness'], x1: 'mean area', x2: 'mean smoothness', label: 'breast cancer (569 tumours): mean area (143–2501) and mean smoothness (0.05–0.16), benign = 1' },
  slide: { file: null, features: null, x1: 'x₁', x2: 'x₂', label: 'the slide\'s example: x₁ ~ U[1000, 2000], x₂ ~ U[0.1, 0.2], 1000 points with a planted rule' },
};
/** The data sets of the κ table (all their features). */
export const DIM_SETS = [
  { id: 'bc2', file: 'breast_cancer.csv', features: ['mean_area', 'mean_smoothness'], label: 'breast cancer, 2 features' },
  { id: 'bc30', file: 'breast_cancer.csv', features: null, label: 'breast cancer, all 30 features' },
  { id: 'wine', file: 'wine.csv', features: null, label: 'wine, 13 features (proline ~10³, hue ~1)' },
  { id: 'digits', file: 'digits.csv', features: null, label: 'digits, 64 pixels (0–16; some always 0)' },
];
/** The learning rates of the sweep: 4 per decade, 10⁻⁷ … 10². */
export const LR_GRID = Array.from({ length: 37 }, (_, i) => Number((10 ** (-7 + i / 4)).toPrecision(3)));

export const DEFAULTS = {
  data: 'breast_cancer', model: 'logistic', stats: 'train', eps: 1e-5,
  opt: 'sgd', 'lr.mode': 'best', lr: 1e-5, momentum: 0, steps: 200, speed: 40,
  bias: 'iterate', axes: 'fit', loss: 'log', split: 0.2,
  embed: false, hide: [], theme: 'auto',
};

export const PRESETS = [
  {
    id: 'four-views', title: 'The same unit in four coordinate systems, each at its best learning rate (the default)',
    note: 'Breast cancer, σ(w₁·area + w₂·smoothness + b) with BCEWithLogitsLoss, full-batch gradient descent from w = 0 at each system\'s best fixed step α* = 2/(λmin + λmax). Raw: κ ≈ 3·10⁹, α* ≈ 1.4·10⁻⁵, and after 200 steps the loss is still ≈ 0.69 (w₂ has not moved); standardized: κ ≈ 1.4, α* ≈ 4, the optimum (loss ≈ 0.21) within a few steps. Centring alone or scaling alone is not enough.',
    values: {},
  },
  {
    id: 'common-lr', title: 'One learning rate for all: the raw data\'s stable step',
    note: 'lr = 10⁻⁵ everywhere (just below 2/λmax of the raw data): safe for every system, and far too small for the standardized one — it barely moves in 200 steps. A learning rate is only "large" or "small" relative to the curvature.',
    values: { 'lr.mode': 'common', lr: 1e-5 },
  },
  {
    id: 'past-bound', title: 'Past the bound: MSE with lr = 0.9 on standardized inputs',
    note: 'A linear unit with MSELoss has the constant Hessian 2·E[z̃z̃ᵀ]; on standardized inputs 2/λmax ≈ 0.85. At lr = 0.9 the iterate overshoots along the stiff eigenvector a little more every step: the loss grows geometrically, past 10⁶ within 300 steps. The other systems\' bounds are far smaller: their runs overflow to a non-finite loss within about 80 steps, and the step is reported.',
    values: { model: 'linear', 'lr.mode': 'common', lr: 0.9, steps: 300 },
  },
  {
    id: 'adam', title: 'Adam on the raw data: per-coordinate step sizes',
    note: 'Adam (lr = 0.01) divides each coordinate\'s step by its own gradient scale, which partly undoes the bad scaling: on raw inputs it moves w₂ where gradient descent could not — yet the raw problem\'s coupling of w and b (the non-zero means) still slows it down.',
    values: { opt: 'adam', 'lr.mode': 'common', lr: 0.01, steps: 300 },
  },
  {
    id: 'slide', title: 'The slide\'s example: x₁ ∈ [1000, 2000], x₂ ∈ [0.1, 0.2]',
    note: 'Synthetic data exactly as on the slide, a planted rule that needs both features. Raw: κ ≈ 3·10⁹ and w₂ does not train; standardized: κ ≈ 1.0, round level curves, the optimum in a few steps.',
    values: { data: 'slide' },
  },
  {
    id: 'leak', title: 'Statistics from all rows: the leak',
    note: 'μ and σ² taken over every row, validation rows included (the "leak" CS231n warns about). On this data set the change is small — compare the statistics and the validation loss in the table — but the validation rows are no longer unseen.',
    values: { stats: 'all' },
  },
];
export const PRESET_IDS = PRESETS.map((p) => p.id);
export const presetById = (id) => PRESETS.find((p) => p.id === id) || null;
export const baseFor = (id) => ({ ...DEFAULTS, ...(presetById(id)?.values || {}) });

export function buildTable(base) {
  return [
    ...presetEntries(PRESET_IDS),
    { key: 'data', type: 'enum', values: Object.keys(DATASETS), default: base.data, doc: 'the data of the 2-feature unit' },
    { key: 'model', type: 'enum', values: ['logistic', 'linear'], default: base.model, doc: 'σ(w·x + b) with BCEWithLogitsLoss, or w·x + b with MSELoss' },
    { key: 'stats', type: 'enum', values: ['train', 'all'], default: base.stats, doc: 'μ, σ² from the training split, or from all rows (the leak)' },
    { key: 'eps', type: 'number', min: 0, max: 1, default: base.eps, doc: 'ε in √(σ² + ε)' },
    { key: 'split', type: 'number', min: 0, max: 0.9, default: base.split, doc: 'validation fraction (a seeded split, the same for every system)' },
    { key: 'opt', type: 'enum', values: ['sgd', 'adam', 'rmsprop'], default: base.opt, doc: 'optimizer (torch.optim), full batch' },
    { key: 'lr.mode', type: 'enum', values: ['best', 'common'], default: base['lr.mode'], doc: 'each system at its best fixed step α* = 2/(λmin + λmax) (gradient descent), or one lr for all' },
    { key: 'lr', type: 'number', min: 0, max: 100, minOpen: true, default: base.lr, doc: 'the common learning rate' },
    { key: 'momentum', type: 'number', min: 0, max: 0.999, default: base.momentum, resolve: (v) => (v.opt === 'sgd' ? {} : null), doc: 'SGD momentum' },
    { key: 'steps', type: 'int', min: 1, max: 5000, default: base.steps, doc: 'optimizer steps' },
    { key: 'speed', type: 'int', min: 1, max: 2000, default: base.speed, doc: 'steps shown per second while playing' },
    { key: 'bias', type: 'enum', values: ['iterate', 'optimum'], default: base.bias, doc: 'the contour slice holds b at the current iterate, or at its optimum' },
    { key: 'axes', type: 'enum', values: ['fit', 'equal'], default: base.axes, doc: 'axes fitted to each system, or equal scales in w₁ and w₂' },
    { key: 'loss', type: 'enum', values: ['log', 'linear'], default: base.loss, doc: 'loss axis' },
    ...pageEntries(base, HIDEABLE),
  ];
}

/** The engine's UnitProblem spec. `csv` is the data set's text (null for the slide's data). */
export function problemSpec(v, csv, { stats = v.stats } = {}) {
  const d = DATASETS[v.data];
  const spec = { model: v.model, stats, eps: v.eps, validation_split: v.split, split_seed: 0 };
  if (d.file) { spec.data = { csv }; spec.features = d.features; } else spec.data = { name: 'slide', n: 1000, seed: 0 };
  return spec;
}

/** torch.optim kwargs for one system: its α* in "best" mode (gradient descent only), else the common lr. */
export function optimizerFor(v, curvature) {
  const best = v['lr.mode'] === 'best' && v.opt === 'sgd' && !(v.momentum > 0);
  const o = { name: v.opt, lr: best ? curvature.lr_best : v.lr };
  if (v.opt === 'sgd' && v.momentum > 0) o.momentum = v.momentum;
  return o;
}

/** Why "best" falls back to the common lr (α* is gradient descent's optimum on a quadratic). */
export function bestNote(v) {
  if (v['lr.mode'] !== 'best') return '';
  if (v.opt !== 'sgd') return 'α* = 2/(λmin + λmax) is gradient descent\'s best step; other optimizers use the common lr.';
  if (v.momentum > 0) return 'α* is plain gradient descent\'s; with momentum the common lr is used.';
  return '';
}

/** The first step at which the loss is within `tol` of the optimum's, or -1. */
export function stepsTo(loss, target, tol = 0.01) {
  for (let i = 0; i < loss.length; i++) if (loss[i] <= target + tol) return i;
  return -1;
}

/** 2.96·10⁹ style (3 significant digits), plain decimals between 10⁻³ and 10⁴. */
export function sci(x, digits = 3) {
  if (x === Infinity) return '∞';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e4) return String(Number(x.toPrecision(digits)));
  const e = Math.floor(Math.log10(a)), m = Number((x / 10 ** e).toPrecision(digits));
  const sup = String(e).replace(/[-0-9]/g, (c) => '⁻⁰¹²³⁴⁵⁶⁷⁸⁹'['-0123456789'.indexOf(c)]);
  return `${m === 1 ? '' : `${m}·`}10${sup}`;
}

/** The lab's steps as PyTorch code (printed next to the formulas). */
export function mapping(v) {
  const loss = torchLoss(v.model);
  const opt = torchOptimizer(optimizerFor(v, { lr_best: v.lr }), 'model.parameters()', 'lr');
  return [
    `mu = X_train.mean(0)                      # over the ${v.stats === 'all' ? 'WHOLE data set (the leak)' : 'training split only'}`,
    'var = X_train.var(0, unbiased=False)      # biased σ², as on the slide',
    `X_hat = (X - mu) / torch.sqrt(var + ${pyNum(v.eps)})  # the same μ, σ² for validation and test`,
    'model = nn.Linear(2, 1)',
    'nn.init.zeros_(model.weight); nn.init.zeros_(model.bias)',
    `loss_fn = ${loss}`,
    `opt = ${opt}`,
    'for step in range(steps):                 # full batch',
    '    opt.zero_grad(); loss = loss_fn(model(X_hat), y); loss.backward(); opt.step()',
  ].join('\n');
}

/**
 * A runnable PyTorch script that repeats the lab's four runs in float64 from the engine's own
 * split: `runs` = [{transform, optimizer, steps, loss (engine), params (engine, flat)}],
 * `data` = {features, x_train, y_train, x_val, y_val} (raw units, row-major). With `--json F` it
 * writes every run's losses and parameters; it prints the largest difference from the engine.
 */
export function torchScript(v, data, runs, title) {
  const rows = (x, d) => { const out = []; for (let i = 0; i < x.length; i += d) out.push(`[${Array.from(x.slice(i, i + d), pyNum).join(', ')}]`); return out; };
  const d = data.features.length;
  const lines = [
    '#!/usr/bin/env python3',
    `"""${title.replace(/"""/g, '')}`,
    '',
    'Exported from the input normalization lab of the "Learning as Optimization" playground.',
    'The same single unit trained in four coordinate systems (raw, centred, scaled, standardized),',
    'float64, full batch, from w = 0; it prints the largest relative difference from the',
    'playground\'s own numbers (embedded below). `--json out.json` writes every run."""',
    'import argparse, json',
    'import torch',
    'from torch import nn',
    '',
    'torch.set_default_dtype(torch.float64)',
    `FEATURES = ${JSON.stringify(data.features)}`,
    `EPS = ${pyNum(v.eps)}`,
    `STATS = ${JSON.stringify(v.stats)}  # "train": μ, σ² of the training split; "all": of every row (the leak)`,
    `X_TRAIN = torch.tensor([\n    ${rows(data.x_train, d).join(',\n    ')},\n])`,
    `Y_TRAIN = torch.tensor([${Array.from(data.y_train, pyNum).join(', ')}]).unsqueeze(1)`,
    `X_VAL = torch.tensor([${data.x_val.length ? `\n    ${rows(data.x_val, d).join(',\n    ')},\n` : ''}]).reshape(-1, ${d})`,
    `Y_VAL = torch.tensor([${Array.from(data.y_val, pyNum).join(', ')}]).reshape(-1, 1)`,
    `LOSS = ${torchLoss(v.model)}`,
    '',
    'X_ALL = torch.cat([X_TRAIN, X_VAL])',
    'STAT_ROWS = X_ALL if STATS == "all" else X_TRAIN',
    'MU, VAR = STAT_ROWS.mean(0), STAT_ROWS.var(0, unbiased=False)',
    '',
    'def coords(transform):',
    '    c = MU if transform in ("center", "standardize") else torch.zeros_like(MU)',
    '    s = torch.sqrt(VAR + EPS) if transform in ("scale", "standardize") else torch.ones_like(MU)',
    '    return c, s',
    '',
    'def train(transform, make_opt, lr, steps):',
    '    c, s = coords(transform)',
    '    X = (X_TRAIN - c) / s',
    `    model = nn.Linear(${d}, 1)`,
    '    nn.init.zeros_(model.weight); nn.init.zeros_(model.bias)',
    '    opt = make_opt(model.parameters(), lr)',
    '    losses, params = [], []',
    '    for step in range(steps + 1):',
    '        opt.zero_grad()',
    '        loss = LOSS(model(X), Y_TRAIN)',
    '        if not torch.isfinite(loss):',
    '            break',
    '        losses.append(loss.item())',
    '        params.append(model.weight.detach().ravel().tolist() + model.bias.detach().tolist())',
    '        if step < steps:',
    '            loss.backward()',
    '            opt.step()',
    '    w, b = model.weight.detach().ravel(), model.bias.detach()',
    '    raw = (w / s).tolist() + [(b - (w * c / s).sum()).item()]  # the same model in raw units',
    '    return {"loss": losses, "params": params, "raw_params": raw}',
    '',
    'RUNS = [',
    // (the torch.optim construction printed by the engine, src/optim/torch.rs)
    ...runs.map((r) => `    (${JSON.stringify(r.transform)}, lambda params, lr: ${torchOptimizer(r.optimizer, 'params', 'lr')}, ${pyNum(r.optimizer.lr)}, ${r.steps}),`),
    ']',
    `EXPECTED = ${JSON.stringify(Object.fromEntries(runs.map((r) => [r.transform, { loss: Array.from(r.loss), params: Array.from(r.params) }])))}`,
    '',
    'if __name__ == "__main__":',
    '    ap = argparse.ArgumentParser()',
    '    ap.add_argument("--json", help="write every run to this file")',
    '    ap.add_argument("--rounding-check", action="store_true", help="also rerun each run with lr one ulp larger: how far rounding alone moves it")',
    '    args = ap.parse_args()',
    '    out, worst = {}, 0.0',
    '    for transform, make_opt, lr, steps in RUNS:',
    '        r = out[transform] = train(transform, make_opt, lr, steps)',
    '        if args.rounding_check:',
    '            q = train(transform, make_opt, lr * (1 + 2.0 ** -52), steps)',
    '            r["ulp_loss"] = q["loss"]',
    '        e = EXPECTED[transform]',
    '        for a, b in zip(r["loss"], e["loss"]):',
    '            worst = max(worst, abs(a - b) / max(abs(b), 1e-3))',
    '        # Parameters relative to the size of the step\'s parameter vector: in a diverging run a',
    '        # small component next to a huge one is only known to the rounding of the huge one.',
    `        d = ${d + 1}`,
    '        for k, p in enumerate(r["params"]):',
    '            q = e["params"][k * d:(k + 1) * d]',
    '            if len(q) == d:',
    '                scale = max(1e-3, max(abs(x) for x in q))',
    '                worst = max(worst, max(abs(a - b) for a, b in zip(p, q)) / scale)',
    '        if len(r["loss"]) != len(e["loss"]):',
    '            print(f"{transform}: {len(r[\'loss\']) - 1} finite steps in torch, {len(e[\'loss\']) - 1} in the playground")',
    '            worst = float("inf")',
    '        print(f"{transform:12s} loss {r[\'loss\'][0]:.6f} -> {r[\'loss\'][-1]:.6f} after {len(r[\'loss\']) - 1} steps; raw-unit model {r[\'raw_params\']}")',
    '    print(f"largest relative difference from the playground: {worst:.2e}")',
    '    if args.json:',
    '        with open(args.json, "w") as f:',
    '            json.dump(out, f)',
    '',
  ];
  return lines.join('\n');
}
