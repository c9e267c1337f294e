// "Update anatomy": the selected racer's update rule in the lecture's notation (MathML), the
// mapping to PyTorch's parameter names (LECTURE.md, "Conventions"), and the current numbers from
// run.state(). Lecture EMAs put the weight on the NEW value: γ_lecture = 1 − alpha (RMSprop),
// 1 − rho (Adadelta), β₁ = 1 − betas[0], β₂ = 1 − betas[1] (Adam).
import { math, mi, mn, mo, mtext, row, sub, sup, frac, sqrt, hat, paren, space, underover, theta, thetaPrev, eta, g } from '../shared/mathml.js';
import { sig } from '../shared/format.js';
import { DATA_LANDSCAPES, isDataLandscape } from '../shared/datasets.js';
import { batchGradient } from './overlay.js';

const u = (t) => row(mi('u'), paren(...t));
// Fresh nodes for every use: a DOM node can sit in one place only, so shared index nodes would
// vanish from all but the last place they were appended to.
const tm1 = () => [mi('t'), mo('−'), mn(1)];
const T = () => [mi('t')];
const gPrev = () => g([thetaPrev()]);
const ema = (x, t) => row(mtext('EMA'), paren(x), paren(...t));
const gi2 = (t) => sup(row(sub(mi('g'), mi('i')), paren(...t)), mn(2));

/** {title, formulas: [MathML], mapping: [text]} for a racer. */
export function describe(r) {
  const p = r.params;
  switch (r.name) {
    case 'sgd':
      if (p.momentum > 0 && p.nesterov) return {
        title: 'Nesterov accelerated gradient (NAG): "let the ball run but be predictive"',
        formulas: [
          math('u(t) = γ u(t−1) − η g(θ(t−1) + γ u(t−1))', u(T()), mo('='), mi('γ'), u(tm1()), mo('−'), eta(), g([thetaPrev(), mo('+'), mi('γ'), u(tm1())])),
          math('θ(t) = θ(t−1) + u(t)', theta(), mo('='), thetaPrev(), mo('+'), u(T())),
        ],
        mapping: [`γ (friction) = momentum = ${p.momentum}, η = lr = ${p.lr}.`,
          'PyTorch (nesterov=True) stores buf v with u = −lr·v and applies the look-ahead in a reparametrized form: buf ← μ·buf + g, p ← p − lr·(g + μ·buf). The parameter it stores is the look-ahead point.'],
      };
      if (p.momentum > 0) return {
        title: 'Momentum: "let the ball run"',
        formulas: [
          math('u(t) = γ u(t−1) − η g(θ(t−1))', u(T()), mo('='), mi('γ'), u(tm1()), mo('−'), eta(), gPrev()),
          math('θ(t) = θ(t−1) + u(t)', theta(), mo('='), thetaPrev(), mo('+'), u(T())),
        ],
        mapping: [`γ (coefficient of friction) = momentum = ${p.momentum}, η = lr = ${p.lr}.`,
          `PyTorch stores buf v with u = −lr·v: buf ← μ·buf + (1 − dampening)·g (the first step sets buf = g), p ← p − lr·buf.${p.dampening ? ` dampening = ${p.dampening} ≠ 0 departs from the lecture's rule.` : ' With dampening = 0 this is exactly the lecture\'s rule.'}`],
      };
      return {
        title: 'Stochastic gradient descent',
        formulas: [math('θ(t) = θ(t−1) − η(t) ∂L(B, θ(t−1))/∂θ', theta(), mo('='), thetaPrev(), mo('−'), eta('t'), mo('∂'), mi('L'), paren(mi('B'), mo(','), thetaPrev()), mo('/'), mo('∂'), mi('θ'))],
        mapping: [`η = lr = ${p.lr}${p.weight_decay ? `; weight_decay = ${p.weight_decay} adds ${p.weight_decay}·θ to g` : ''}. ${batchText(r)}`],
      };
    case 'adagrad': return {
      title: 'AdaGrad',
      formulas: [
        math('G_i(t) = sqrt(Σ_{j=1}^{t} g_i(j)²)', row(sub(mi('G'), mi('i')), paren(mi('t'))), mo('='), sqrt(row(underover(mo('∑'), row(mi('j'), mo('='), mn(1)), mi('t')), sup(row(sub(mi('g'), mi('i')), paren(mi('j'))), mn(2))))),
        math('θ(t) = θ(t−1) − η G(t−1)^−1 g', theta(), mo('='), thetaPrev(), mo('−'), eta(), sup(row(mi('G'), paren(...tm1())), row(mo('−'), mn(1))), g()),
      ],
      mapping: [`η = lr = ${p.lr}. PyTorch keeps state "sum" = Σg² (starting at initial_accumulator_value = ${p.initial_accumulator_value}), divides by sqrt(sum) + eps (eps = ${p.eps}, outside the root), and decays lr as lr/(1 + (t−1)·lr_decay), lr_decay = ${p.lr_decay}.`],
    };
    case 'rmsprop': return {
      title: 'RMSprop',
      formulas: [
        math('EMA(g_i²)(t) = γ g_i(t)² + (1 − γ) EMA(g_i²)(t−1)', ema(sup(sub(mi('g'), mi('i')), mn(2)), T()), mo('='), mi('γ'), gi2(T()), mo('+'), paren(mn(1), mo('−'), mi('γ')), ema(sup(sub(mi('g'), mi('i')), mn(2)), tm1())),
        math('G_i(t) = sqrt(EMA(g_i²)(t))', row(sub(mi('G'), mi('i')), paren(mi('t'))), mo('='), sqrt(ema(sup(sub(mi('g'), mi('i')), mn(2)), T()))),
        math('θ(t) = θ(t−1) − η G(t−1)⁻¹ g', theta(), mo('='), thetaPrev(), mo('−'), eta(), sup(row(mi('G'), paren(...tm1())), row(mo('−'), mn(1))), g()),
      ],
      mapping: [`γ (lecture, weight on the new value) = 1 − alpha = ${sig(1 - p.alpha)}; η = lr = ${p.lr}.`,
        `PyTorch state "square_avg" is the EMA; it divides by sqrt(square_avg) + eps (eps = ${p.eps}, outside the root) and has no bias correction, so the first step is about lr/sqrt(1 − alpha) = ${sig(p.lr / Math.sqrt(1 - p.alpha))}.${p.momentum ? ` momentum = ${p.momentum} adds a buffer (not in the lecture).` : ''}${p.centered ? ' centered=True subtracts the squared mean gradient (not in the lecture).' : ''}`],
    };
    case 'adadelta': return {
      title: 'AdaDelta',
      formulas: [
        math('D_i(t) = sqrt(EMA(Δθ_i²)(t))', row(sub(mi('D'), mi('i')), paren(mi('t'))), mo('='), sqrt(ema(sup(sub(row(mi('Δ'), mi('θ')), mi('i')), mn(2)), T()))),
        math('θ(t) = θ(t−1) − η D(t−1) G(t−1)⁻¹ g', theta(), mo('='), thetaPrev(), mo('−'), eta(), row(mi('D'), paren(...tm1())), sup(row(mi('G'), paren(...tm1())), row(mo('−'), mn(1))), g()),
      ],
      mapping: [`γ (lecture) = 1 − rho = ${sig(1 - p.rho)}; η = lr = ${p.lr} (PyTorch's default 1.0 gives the original AdaDelta, which has no learning rate).`,
        `PyTorch: square_avg = EMA(g²), acc_delta = EMA(Δθ²), step = sqrt(acc_delta + eps)/sqrt(square_avg + eps)·g with eps = ${p.eps} inside both roots.`],
    };
    case 'adam': case 'adamw': {
      const [b1, b2] = p.betas;
      return {
        title: r.name === 'adamw' ? 'AdamW (Adam with decoupled weight decay)' : 'Adam',
        formulas: [
          math('m_i(t) = β₁ g_i(t) + (1 − β₁) m_i(t−1)', row(sub(mi('m'), mi('i')), paren(mi('t'))), mo('='), sub(mi('β'), mn(1)), row(sub(mi('g'), mi('i')), paren(mi('t'))), mo('+'), paren(mn(1), mo('−'), sub(mi('β'), mn(1))), row(sub(mi('m'), mi('i')), paren(...tm1()))),
          math('r_i(t) = β₂ g_i(t)² + (1 − β₂) r_i(t−1)', row(sub(mi('r'), mi('i')), paren(mi('t'))), mo('='), sub(mi('β'), mn(2)), gi2(T()), mo('+'), paren(mn(1), mo('−'), sub(mi('β'), mn(2))), row(sub(mi('r'), mi('i')), paren(...tm1()))),
          math('m̂ = m / (1 − (1 − β₁)^t)', hat(mi('m')), mo('='), frac(mi('m'), row(mn(1), mo('−'), sup(paren(mn(1), mo('−'), sub(mi('β'), mn(1))), mi('t'))))),
          math('r̂ = r / (1 − (1 − β₂)^t)', hat(mi('r')), mo('='), frac(mi('r'), row(mn(1), mo('−'), sup(paren(mn(1), mo('−'), sub(mi('β'), mn(2))), mi('t'))))),
          math('θ(t) = θ(t−1) − η m̂ / sqrt(r̂)', theta(), mo('='), thetaPrev(), mo('−'), eta(), frac(hat(mi('m')), sqrt(hat(mi('r'))))),
        ],
        mapping: [`Lecture β₁ = 1 − betas[0] = ${sig(1 - b1)}, β₂ = 1 − betas[1] = ${sig(1 - b2)}; η = lr = ${p.lr}.`,
          `PyTorch: exp_avg = m, exp_avg_sq = r, and eps = ${p.eps} is added after the root: m̂/(sqrt(r̂) + eps).${r.name === 'adamw' ? ` AdamW first shrinks θ ← θ·(1 − lr·weight_decay), weight_decay = ${p.weight_decay}.` : p.weight_decay ? ` weight_decay = ${p.weight_decay} is added to g (L2), so it passes through m and r.` : ''}${p.amsgrad ? ' amsgrad uses the running max of r.' : ''}`],
      };
    }
    case 'newton': return {
      title: 'Newton–Raphson (second order)',
      formulas: [
        math('θ(t) = θ(t−1) − η H⁻¹ g', theta(), mo('='), thetaPrev(), mo('−'), eta(), sup(mi('H'), row(mo('−'), mn(1))), g()),
        math('On L = θ·Aθ: θ(t) = (1 − η) θ(t−1)', mtext('on L = θ·Aθ:'), space(), theta(), mo('='), paren(mn(1), mo('−'), eta()), thetaPrev()),
      ],
      mapping: [`η = eta = ${p.eta}. Not a torch.optim optimizer: H is the exact Hessian (torch.autograd.functional.hessian) and the step solves H·d = g. The dashed curve is the level set of the local model L(θ′) + g·d + ½ d·Hd through the current point: an ellipse where H is positive definite, a hyperbola at a saddle.`],
    };
    default: return {
      title: `${r.meta?.label || r.name} (not in the lecture)`,
      formulas: [],
      mapping: ['Not covered by the lecture; the numbers below are PyTorch\'s state buffers. See the torch.optim documentation for the rule.'],
    };
  }
}

/** What B is for this racer: a real mini-batch on a data landscape, else the whole landscape. */
function batchText(r) {
  const land = typeof r.spec?.landscape === 'string' ? r.spec.landscape : '';
  if (!isDataLandscape(land)) return 'Here the "mini-batch" is the whole (deterministic) landscape.';
  const n = DATA_LANDSCAPES[land].n, b = r.spec.batch_size;
  if (b == null) return `Full batch: every step uses all n = ${n} examples, so g = ∇L exactly (plain gradient descent, no noise).`;
  return `Each step draws a mini-batch B of ${b} of the n = ${n} examples (PyTorch: DataLoader(dataset, batch_size=${b}, shuffle=True), a new shuffle every epoch of ${Math.ceil(n / b)} steps; seed ${r.spec.seed}), so g = ∂L(B, θ)/∂θ is a noisy estimate of the full gradient ∇L.`;
}

/** Lecture symbol for a state buffer name. */
const SYMBOL = {
  grad: 'g (gradient at θ(t))', update: 'Δθ = θ(t) − θ(t−1)', momentum_buffer: 'v = buf (u = −η·v)',
  exp_avg: 'm (exp_avg)', exp_avg_sq: 'r (exp_avg_sq)', m_hat: 'm̂', v_hat: 'r̂', sum: 'Σ g² (G² = sum)',
  square_avg: 'EMA(g²) (G = √)', acc_delta: 'EMA(Δθ²) (D = √)', grad_avg: 'EMA(g) (centered)', max_exp_avg_sq: 'max r (amsgrad)',
  exp_inf: 'u (Adamax ∞-norm)', newton_step: 'H⁻¹g (Newton direction)', hessian: 'H', mu_product: 'Π μ (NAdam)', lr: 'η(t) = lr',
};

/** Render the panel into `root` for racer `r` (with r.run); cheap enough to call a few times a second. */
export function renderAnatomy(root, r, lrNow) {
  const head = root.querySelector('.anatomy-title');
  const fbox = root.querySelector('.anatomy-formulas');
  const mbox = root.querySelector('.anatomy-mapping');
  const tbody = root.querySelector('.anatomy-numbers tbody');
  if (!r) { head.textContent = 'No racer selected'; fbox.replaceChildren(); mbox.replaceChildren(); tbody.replaceChildren(); return; }
  const d = describe(r);
  const key = r.name + JSON.stringify(r.params) + JSON.stringify([r.spec?.landscape, r.spec?.batch_size, r.spec?.seed]);
  if (root.dataset.key !== key) {
    root.dataset.key = key;
    head.textContent = d.title;
    fbox.replaceChildren(...d.formulas);
    mbox.replaceChildren(...d.mapping.map((t) => { const p = document.createElement('p'); p.textContent = t; return p; }));
  }
  const rows = [];
  const run = r.run;
  if (run) {
    const t = run.len - 1;
    rows.push(['t (steps done)', String(t), '']);
    if (lrNow !== undefined) rows.push(['η(t) = lr', sig(lrNow, 5), '']);
    let st = null;
    try { st = run.state(); } catch { st = null; }
    const mini = r.spec?.batch_size != null;
    if (st) st = Object.fromEntries(Object.entries(st).map(([k, v]) => [k, Array.from(v)])); // views: copy before other calls
    if (mini) {
      const bg = batchGradient(r);
      if (bg) rows.push([`g_B = ∂L(B, θ(t−1))/∂θ, mini-batch gradient of step t${bg.source === 'derived' ? ' (= −Δθ/η)' : ''}`, sig(bg.g[0], 5), sig(bg.g[1], 5)]);
      if (st?.grad) rows.push(['∇L(θ(t)) full-batch gradient (all data)', sig(st.grad[0], 5), sig(st.grad[1], 5)]);
    }
    if (st) for (const [name, v] of Object.entries(st)) {
      if (!v || v.length < 2 || name === 'lr' || name === 'batch_grad' || (mini && name === 'grad')) continue;
      // A symmetric 2×2 (the Hessian [hxx, hxy, hyy]): its two rows, row x under x and row y under y.
      if (v.length === 3) { rows.push([`${SYMBOL[name] || name}: row x | row y`, `(${sig(v[0], 4)}, ${sig(v[1], 4)})`, `(${sig(v[1], 4)}, ${sig(v[2], 4)})`]); continue; }
      rows.push([SYMBOL[name] || name, sig(v[0], 5), sig(v[1], 5)]);
    }
  }
  tbody.replaceChildren(...rows.map(([a, b, c]) => {
    const tr = document.createElement('tr');
    for (const x of [a, b, c]) { const td = document.createElement('td'); td.textContent = x; tr.append(td); }
    return tr;
  }));
}
