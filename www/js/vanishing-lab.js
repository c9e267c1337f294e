// The vanishing/exploding-gradients lab (lecture §1). State: ONE `values` map behind the URL table
// of nn/vanishing-config.js; the engine does the numerics (E.deepLinear for the linear network,
// E.Trainer for the deep MLP); the charts only read its results.
import { loadEngine, errorMessage } from './shared/engine.js';
import { UrlState, seedButtons, earlyNote, downloadTables, startPage, applyLock, bindKeys, bindCopyLink, savePNG, stamp, fatal, announce, download, exposeNetLab, whenVisible, trainerMetrics } from './shared/labkit.js';
import { XYChart } from './shared/xychart.js';
import { LayerBars } from './shared/layerbars.js';
import { FrameLoop } from './shared/trainloop.js';
import { getPool } from './shared/pool.js';
import { buildParamControls } from './shared/params-ui.js';
import { Fields } from './shared/fields.js';
import { parseValue, pageParams } from './shared/state.js';
import { COLORS } from './shared/palette.js';
import { sig } from './shared/format.js';
import { networkScript, remoteSnapshot, lossCurve } from './shared/torch-nn.js';
import { ACTIVATION_CHOICES, activationLabel, initChoices, OPTIMIZER_CHOICES, OPTIMIZER_LABELS, initShort, presetFromQuery } from './nn/common.js';
import {
  PRESETS, PRESET_IDS, EMBED_EXTRAS, presetById, baseFor, buildTable, deepLinearSpec, mlpSpec, MAX_DIM, generators,
  COMPARE_ACTS, COMPARE_INITS,
} from './nn/vanishing-config.js';

const $ = (id) => document.getElementById(id);
const LIN_KEYS = /^(k|d|lam|angle|x)$/;
const NET_KEYS = /^(act|init(\..*)?|opt|lr|momentum|batch|seed|depth|width|data|n|noise)$/;
const SHAPE_KEYS = /^(batch|seed|depth|width|data|n|noise)$/;
const WIDTHS = [2, 4, 8, 16, 32, 64, 128, 256];

const lab = {
  E: null, S: null, locked: false, trainer: null, spec: null, initNorms: null, gradNorms: null, buildToken: 0, compareToken: 0,
  playing: false, evaluation: null,
  charts: {}, loop: null, compare: [], compareKey: '', stepsPerSec: 0, sps: { t: 0, steps: 0 },
};
window.__lab = lab;

main().catch(fatal);

async function main() {
  await whenVisible();
  const engine = loadEngine();
  lab.defaultNote = earlyNote(presetById);
  lab.E = await engine;
  const q = pageParams();
  const { id, locked } = presetFromQuery(q, PRESET_IDS);
  lab.S = new UrlState(buildTable(baseFor(id)), q);
  lab.locked = locked;
  lab.fields = new Fields({ table: () => lab.S.table, values: () => lab.S.values, set: (ch) => set(ch) });
  lab.fields.expose();
  startPage(lab.S, redrawAll, EMBED_EXTRAS);
  setupControls();
  setupCharts();
  lab.loop = new FrameLoop({ work, draw: drawChanged, onStop: () => { syncTransport(); announce($('mlp-status').textContent); }, budgetMs: 9, onError: (e) => { status(`Training stopped: ${errorMessage(e)}`, true); pause(); } });
  rebuildLinear();
  drawDerivatives();
  const built = rebuildTrainer();
  syncControls();
  lockNow();
  bindKeys({ toggle, step: stepOnce, reset });
  rebuildCompare();
  await built;
  document.body.classList.add('ready');
  exposeNetLab('vanishing', lab, {
    set, play, pause, step: stepOnce, reset,
    progress: () => trainerMetrics(lab.trainer), done: () => !!lab.trainer && (lab.trainer.steps >= V().steps || lab.trainer.diverged_at_step != null),
    summary: () => ({ text: $('mlp-status').textContent, ...trainerMetrics(lab.trainer) }),
  });
}

const V = () => lab.S.values;

function set(changes) {
  const changed = lab.S.set(changes);
  const has = (re) => changed.some((k) => re.test(k));
  if (has(LIN_KEYS)) rebuildLinear();
  if (has(/^L$/)) drawDerivatives();
  if (has(NET_KEYS)) { pause(); rebuildTrainer(); }
  if (has(SHAPE_KEYS)) rebuildCompare();
  else if (has(/^(act|init(\..*)?)$/)) markCompare();
  if (changed.length) syncControls();
}

// ---- (a) the deep linear network ---------------------------------------------------------------
function rebuildLinear() {
  const v = V();
  let r;
  try { r = lab.E.deepLinear(deepLinearSpec(v)); } catch (e) { $('lin-readout').textContent = `Error: ${errorMessage(e)}`; return; }
  lab.linear = { norms: r.norms, components: r.components, d: v.d, k: v.k };
  const d = v.d, n = v.k + 1;
  const depth = Float64Array.from({ length: n }, (_, l) => l);
  const comp = (i) => { const a = new Float64Array(n); for (let l = 0; l < n; l++) a[l] = Math.abs(r.components[l * d + i]); return a; };
  const ch = lab.charts.lin;
  ch.series = [
    { label: '‖W^l x‖', color: getFg(), width: 2.6, x: () => depth, y: () => r.norms },
    ...Array.from({ length: d }, (_, i) => {
      const a = comp(i);
      return { label: `|λ${sub(i + 1)}^l (x·e${sub(i + 1)})|, λ${sub(i + 1)} = ${v.lam[i]}`, color: COLORS[i % COLORS.length], dash: [6, 3], width: 1.6, x: () => depth, y: () => a };
    }),
  ];
  ch.hlines = [{ y: r.norms[0], label: '‖x‖', color: 'rgba(128,128,128,0.9)', dash: [2, 3] }];
  ch.requestDraw();
  const nk = r.norms[v.k];
  const lead = Math.max(...v.lam.map(Math.abs));
  $('lin-readout').textContent = `‖x‖ = ${sig(r.norms[0], 4)} → ‖W^${v.k} x‖ = ${sig(nk, 4)} (×${sig(nk / r.norms[0], 3)}); largest |λ| = ${lead}: ${lead > 1 ? 'explodes' : lead < 1 ? 'vanishes' : 'stays'}`;
  // Closed form against the network, at depth k.
  const tb = $('lin-table').querySelector('tbody');
  const rows = [];
  for (let i = 0; i < d; i++) {
    const xe = r.components[i];                       // h[0]·eᵢ = x·eᵢ
    const closed = v.lam[i] ** v.k * xe, net = r.components[v.k * d + i];
    const tr = document.createElement('tr');
    for (const t of [String(i + 1), String(v.lam[i]), sig(xe, 4), sig(closed, 4), sig(net, 4)]) { const td = document.createElement('td'); td.textContent = t; tr.append(td); }
    tr.children[3].title = 'the lecture\'s closed form λᵢ^k (x·eᵢ)';
    tr.children[4].title = 'h[k]·eᵢ computed layer by layer by the engine';
    rows.push(tr);
  }
  tb.replaceChildren(...rows);
}
const sub = (n) => String(n).replace(/\d/g, (c) => '₀₁₂₃₄₅₆₇₈₉'[c]);

// ---- (b) g′ ------------------------------------------------------------------------------------
function drawDerivatives() {
  for (const name of ['sigmoid', 'tanh', 'relu']) {
    const c = lab.E.activationCurve(name, -6, 6, 481);
    const ch = lab.charts[`g-${name}`];
    const a = lab.E.networkOptions().activation_info.find((d) => d.name === name), m = a.max_derivative;
    ch.series = [
      { label: `${a.label}′`, color: COLORS[0], width: 2.4, x: () => c.x, y: () => c.dg },
      { label: a.label, color: COLORS[1], dash: [5, 3], width: 1.5, x: () => c.x, y: () => c.g },
    ];
    ch.hlines = [{ y: m, label: `max g′ = ${m}`, color: 'rgba(128,128,128,0.95)' }];
    ch.requestDraw();
  }
  $('curve-source').textContent = 'g and g′ from the engine\'s activation code (E.activationCurve), tested against PyTorch\'s formulas.';
  const Lmax = 60, L = V().L;
  const Ls = Float64Array.from({ length: Lmax }, (_, i) => i + 1);
  const pow = (b) => Float64Array.from(Ls, (l) => b ** l);
  const sigm = pow(0.25), one = pow(1);
  const ch = lab.charts.bound;
  ch.series = [
    { label: 'sigmoid: 0.25^L (the bound)', color: COLORS[0], width: 2.4, x: () => Ls, y: () => sigm },
    { label: 'tanh, ReLU: 1^L (at best)', color: COLORS[2], width: 2, dash: [6, 3], x: () => Ls, y: () => one },
  ];
  ch.marks = [{ x: L, y: 0.25 ** L, label: `0.25^${L} = ${sig(0.25 ** L, 3)}`, color: COLORS[0] }];
  ch.vlines = [{ x: L, color: 'rgba(128,128,128,0.8)' }];
  ch.requestDraw();
  $('bound-readout').textContent = `After L = ${L} sigmoid layers the backward signal is multiplied by at most 0.25^${L} = ${sig(0.25 ** L, 3)} (times the weights).`;
}

// ---- (c) the deep MLP --------------------------------------------------------------------------
/**
 * The deep MLP lives in a worker of the pool (RemoteTrainer): building, training, evaluating and
 * inspecting it never blocks the page, whatever its size; the page draws from its mirror.
 */
/** Build the network in a worker; `lab.building` is the build in flight (the probes wait for it). */
function rebuildTrainer() {
  lab.building = buildTrainer();
  return lab.building;
}
async function buildTrainer() {
  const v = V(), token = ++lab.buildToken;
  lab.trainer?.free();
  lab.trainer = null; lab.gradNorms = null; lab.initNorms = null; lab.evaluation = null; lab.snapshot = null;
  lab.playing = false; syncTransport();
  lab.spec = mlpSpec(v);
  lab.charts.loss.series = [{ label: 'mini-batch loss', color: COLORS[0], width: 1.4, get xStart() { return (lab.trainer?.historyStart ?? 0) + 1; }, y: () => (lab.trainer ? lab.trainer.lossHistory() : []) }];
  lab.charts.loss.vlines = [];
  status('Building the network…');
  let t;
  try {
    t = await getPool().trainer(lab.spec);
    if (token === lab.buildToken) await t.refresh({ inspect: 8, evaluate: true });
  } catch (e) {
    t?.free();
    if (token === lab.buildToken) { status(`The network could not be built: ${errorMessage(e)}`, true); drawLive(); }
    return;
  }
  if (token !== lab.buildToken) { t.free(); return; }
  lab.trainer = t;
  t.onTick = onTick;
  lab.snapshot = remoteSnapshot(t, lab.spec);
  lab.charts.bars.resetRange();
  lab.initNorms = normsOf(t.inspection);
  lab.gradNorms = lab.initNorms;
  lab.evaluation = t.evaluation;
  status(describeSpread('At initialization'));
  drawLive();
}

/** A tick from the worker: the mirror grew; keep the last finite gradients after a divergence. */
function onTick(m) {
  const t = lab.trainer;
  if (!t) return;
  if (m.inspection && m.diverged_at_step == null) lab.gradNorms = normsOf(m.inspection);
  if (m.evaluation) lab.evaluation = m.evaluation;
  const now = performance.now();
  lab.sps.steps += m.losses?.length || 0;
  if (now - lab.sps.t > 500) { lab.stepsPerSec = (lab.sps.steps * 1000) / (now - lab.sps.t || 1); lab.sps = { t: now, steps: 0 }; }
  if (m.done) {
    lab.playing = false; syncTransport();
    if (m.error) status(`Training stopped: ${m.error}`, true);
    if (lab.loop.running) lab.loop.stop();
  }
  if (!lab.loop.running) drawLive();
}

/** ‖∂L/∂W[l]‖ per layer from an inspection, with `forwardOverflow` = the first layer (1-based)
 *  whose float32 activations overflowed, or 0. */
function normsOf(ins) {
  const F = ins.fields.length, gi = ins.fields.indexOf('grad_norm'), ai = ins.fields.indexOf('act_nonfinite');
  const out = new Float64Array(ins.layers);
  let first = 0;
  for (let l = 0; l < ins.layers; l++) { out[l] = ins.stats[l * F + gi]; if (!first && ins.stats[l * F + ai] > 0) first = l + 1; }
  out.forwardOverflow = first;
  return out;
}

/**
 * What per-layer gradient norms say, in float32's terms: {short} for a grid cell, {long} for the
 * status line. Non-finite = overflowed float32 (> 3.4·10³⁸); 0 with a random initialization = below
 * its smallest number 1.4·10⁻⁴⁵ (underflow), with a zero initialization = exactly 0.
 */
function normsVerdict(g, zeroInit = false) {
  if (!g || !g.length) return { short: '—', long: '' };
  const L = g.length, over = [], zero = [];
  g.forEach((v, l) => { if (!Number.isFinite(v)) over.push(l + 1); else if (v === 0) zero.push(l + 1); });
  const layers = (a) => (a.length === L ? 'every layer' : a.length === 1 ? `layer ${a[0]}` : `${a.length} of ${L} layers (${a[0]}…${a[a.length - 1]})`);
  const fwd = g.forwardOverflow;
  if (fwd) return { short: `overflows f32 from layer ${fwd}`, long: `the forward pass overflows float32 (> 3.4·10³⁸) from layer ${fwd} on, so the loss and every gradient are not finite: exploding` };
  if (over.length) return { short: `overflows f32 (${over.length === L ? 'all layers' : `${over.length} of ${L} layers`})`, long: `‖∂L/∂W‖ overflows float32 (> 3.4·10³⁸) in ${layers(over)}: exploding gradients` };
  if (zero.length && !zeroInit) return { short: `underflows f32 (${zero.length === L ? 'all layers' : `layer${zero.length > 1 ? 's' : ''} ${zero[0]}${zero.length > 1 ? `…${zero[zero.length - 1]}` : ''}`})`, long: `‖∂L/∂W‖ is below float32's smallest number (1.4·10⁻⁴⁵) in ${layers(zero)}: vanished` };
  const first = g[0], last = g[L - 1];
  if (!(first > 0) || !(last > 0)) return { short: `first ${sig(first, 2)}, last ${sig(last, 2)}`, long: `‖∂L/∂W[1]‖ = ${sig(first, 3)}, ‖∂L/∂W[${L}]‖ = ${sig(last, 3)}` };
  return { short: `first/last ${sig(first / last, 2)}`, long: null, ratio: first / last };
}
const zeroInit = (init) => init === 'zeros' || init === 'zero';

function describeSpread(prefix) {
  const g = lab.gradNorms;
  if (!g || g.length < 2) return '';
  const v = normsVerdict(g, zeroInit(V().init));
  if (v.long) return `${prefix}: ${v.long}.`;
  const first = g[0], last = g[g.length - 1];
  const ratio = first / last;
  const verdict = ratio < 1e-2 ? 'vanishing towards the input' : ratio > 1e2 ? 'exploding towards the input' : 'about level';
  return `${prefix}: ‖∂L/∂W[1]‖ / ‖∂L/∂W[${g.length}]‖ = ${sig(ratio, 3)} — ${verdict}.`;
}

const done = () => !lab.trainer || lab.trainer.diverged_at_step != null || lab.trainer.steps >= V().steps;

/** The frame loop only draws; the worker trains. */
function work() { return lab.playing; }

/** In the frame loop: redraw only when a tick brought something new (the worker reports losses
 *  in chunks, gradients every 100 ms); a frame with nothing new costs nothing. */
function drawChanged() {
  const t = lab.trainer, key = `${t?.steps}|${t?.diverged_at_step}`;
  if (key === lab.drawnKey && lab.gradNorms === lab.drawnNorms) return;
  drawLive();
}

function drawLive() {
  const v = V(), t = lab.trainer;
  if (lab.gradNorms !== lab.drawnNorms || !lab.loop?.running) {
    lab.drawnNorms = lab.gradNorms;
    lab.charts.bars.set(lab.gradNorms || [], lab.initNorms);
    lab.charts.bars.paint();
  }
  const k = t?.diverged_at_step;
  lab.drawnKey = `${t?.steps}|${k}`;
  lab.charts.loss.vlines = k != null ? [{ x: k, label: `× diverged at step ${k}`, color: '#D55E00', dash: [4, 3] }] : [];
  lab.charts.loss.paint();
  const steps = t ? t.steps : 0;
  $('progress').value = Math.min(1, steps / v.steps);
  $('counter').textContent = `step ${steps} / ${v.steps}${t ? ` · epoch ${sig(t.epoch, 3)}` : ''}`;
  if (!t) return;
  if (t.diverged_at_step != null) {
    const k = t.diverged_at_step;
    status(`Diverged at step ${k}: the loss was not finite, that step was not applied and training stopped; the bars show the last finite gradients${k > 1 ? ` (step ${k - 1})` : ' (at initialization)'}. Lower lr or choose another initialization.`, true);
    return;
  }
  const e = lab.evaluation;
  const acc = e ? ` · training loss ${sig(e.train_loss, 4)}, accuracy ${(100 * e.train_accuracy).toFixed(1)}%` : '';
  status(`${describeSpread(steps ? `Step ${steps}` : 'At initialization')}${acc}${lab.playing && lab.stepsPerSec ? ` · ${Math.round(lab.stepsPerSec)} steps/s` : ''}`);
}

function status(text, bad = false) { const el = $('mlp-status'); el.textContent = text; el.classList.toggle('bad', bad); }

async function play() {
  if (!lab.trainer) return;
  if (done()) { if (lab.trainer.diverged_at_step != null) return; await rebuildTrainer(); if (!lab.trainer) return; }
  lab.playing = true; lab.sps = { t: performance.now(), steps: 0 };
  lab.trainer.play({ speed: V().speed, untilSteps: V().steps, inspect: { bins: 8, everyMs: 100 }, evaluate: { everyMs: 250 }, final: { evaluate: true, inspect: 8 } });
  lab.loop.start();
  syncTransport();
}
function pause() {
  lab.playing = false;
  lab.trainer?.pause();
  if (lab.loop?.running) lab.loop.stop();
  syncTransport();
}
function toggle() { lab.playing ? pause() : play(); }
async function stepOnce() {
  pause();
  const t = lab.trainer;
  if (!t || done()) return;
  await t.step(1, { inspect: 8, evaluate: true });
  if (t !== lab.trainer) return;
  if (t.diverged_at_step == null) lab.gradNorms = normsOf(t.inspection);
  lab.evaluation = t.evaluation;
  drawLive();
}
function reset() { pause(); rebuildTrainer(); announce('Reset: new initial weights from the seed.'); }
function syncTransport() {
  $('play').textContent = lab.playing ? '❚❚ Pause' : '▶ Play';
  $('play').setAttribute('aria-pressed', String(lab.playing));
}

// ---- (d) the comparison grid -------------------------------------------------------------------
/** The 12 cells are probed in the pool's workers in parallel; each cell fills in as it arrives. */
function rebuildCompare() {
  const v = V();
  const box = $('compare');
  if (!box || box.closest('[data-panel]')?.hasAttribute('data-off')) return;
  const key = JSON.stringify([v.depth, v.width, v.data, v.n, v.noise, v.batch, v.seed]);
  if (key === lab.compareKey) { markCompare(); return; }
  lab.compareKey = key;
  const token = ++lab.compareToken;
  const kids = [document.createElement('span')];
  for (const c of COMPARE_INITS) { const h = document.createElement('span'); h.className = 'head'; h.textContent = c.label; kids.push(h); }
  lab.compare = [];
  for (const act of COMPARE_ACTS) {
    const rh = document.createElement('span'); rh.className = 'rowhead'; rh.textContent = activationLabel(act); kids.push(rh);
    for (const c of COMPARE_INITS) {
      const over = { act, init: c.init, ...(c['init.std'] ? { 'init.std': c['init.std'] } : {}) };
      const b = document.createElement('button');
      b.type = 'button'; b.className = 'cell'; b.disabled = lab.locked;
      const cv = document.createElement('canvas');
      const cap = document.createElement('span');
      cap.textContent = 'computing…';
      b.setAttribute('aria-label', `computing…: ${activationLabel(act)} with ${c.label}. Train this pair.`);
      b.append(cv, cap);
      b.addEventListener('click', () => set({ act, init: c.init, 'init.std': c['init.std'] }));
      kids.push(b);
      lab.compare.push({ act, init: c.init, std: c['init.std'], label: c.label, button: b, canvas: cv, cap, norms: null, spec: mlpSpec(v, over) });
    }
  }
  box.replaceChildren(...kids);
  for (const c of lab.compare) {
    c.bars = new LayerBars(c.canvas, { yLabel: '', xLabel: '', color: COLORS[0], minDecades: 2, compact: true });
    c.bars.set([]);
  }
  markCompare();
  const pool = getPool();
  // After the lab's own network is built: queued ahead of it, 12 probes of a 40×256 net would
  // delay it by ~20 s; behind it, the cells fill in while the student already trains.
  Promise.resolve(lab.building).finally(() => { if (token === lab.compareToken) probeCompare(pool, token); });
}
function probeCompare(pool, token) {
  for (const c of lab.compare) {
    pool.task('probe', { spec: c.spec, bins: 8 }, null, { background: true }).then((ins) => ({ norms: normsOf(ins) }), (e) => ({ err: errorMessage(e) })).then(({ norms, err }) => {
      if (token !== lab.compareToken) return;
      c.norms = norms;
      const verdict = norms ? normsVerdict(norms, zeroInit(c.init)) : null;
      c.cap.textContent = err ? err : verdict.short;
      // The accessible name starts with the visible text (WCAG 2.5.3), then says what the cell is.
      c.button.setAttribute('aria-label', `${c.cap.textContent}: ${activationLabel(c.act)} with ${c.label}, gradient norms per layer at initialization${verdict?.long ? ` (${verdict.long})` : ', first to last layer'}. Train this pair.`);
      c.bars.set(norms || []);
    });
  }
}
function markCompare() {
  const v = V();
  for (const c of lab.compare) c.button.setAttribute('aria-pressed', String(c.act === v.act && c.init === v.init && (c.init !== 'normal' || c.std === v['init.std'])));
}

// ---- controls ----------------------------------------------------------------------------------
function setupCharts() {
  lab.charts.lin = new XYChart($('lin-chart'), { xLabel: 'depth l', yLabel: 'magnitude', logY: true, integerX: true, legend: 'tl' });
  for (const n of ['sigmoid', 'tanh', 'relu']) lab.charts[`g-${n}`] = new XYChart($(`g-${n}`), { xLabel: 'z', yLabel: '', yMin: -0.1, yMax: n === 'relu' ? 1.5 : 1.1, legend: 'tl' });
  lab.charts['g-tanh'].set({ yMin: -1.1, yMax: 1.1 });
  lab.charts.bound = new XYChart($('bound-chart'), { xLabel: 'depth L', yLabel: 'product of L factors g′', logY: true, integerX: true, legend: 'bl', yFloorDecades: 40 });
  lab.charts.bars = new LayerBars($('bars'), { yLabel: '‖∂L/∂W[l]‖', ghostLabel: 'at initialization', color: COLORS[0] });
  lab.charts.loss = new XYChart($('loss-chart'), { xLabel: 'step', yLabel: 'loss', logY: true, legend: false, empty: 'press Play or Step to train' });
}

function redrawAll() {
  for (const c of Object.values(lab.charts)) c.requestDraw();
  if (lab.charts.lin?.series[0]) lab.charts.lin.series[0].color = getFg();
  for (const c of lab.compare) c.bars?.requestDraw();
}
function getFg() { return getComputedStyle(document.body).getPropertyValue('--fg').trim() || '#222'; }

const slider = { toSlider: (v) => v, fromSlider: (s) => s };

function setupControls() {
  const pre = $('preset');
  pre.append(new Option('— your own experiment —', ''));
  for (const p of PRESETS) pre.append(new Option(p.title, p.id));
  pre.addEventListener('change', () => loadPreset(pre.value));
  for (let d = 1; d <= MAX_DIM; d++) $('d').append(new Option(String(d), String(d)));
  for (const a of ACTIVATION_CHOICES) $('act').append(new Option(activationLabel(a), a));
  for (const [n, label] of initChoices()) $('init').append(new Option(label, n));
  for (const w of WIDTHS) $('width').append(new Option(String(w), String(w)));
  for (const g of generators()) $('data').append(new Option(g, g));
  for (const o of OPTIMIZER_CHOICES) $('opt').append(new Option(OPTIMIZER_LABELS[o], o));
  const F = lab.fields;
  F.bind($('d'), 'd', { toChanges: (d) => ({ d, lam: undefined, x: undefined }) });
  $('eig-one').addEventListener('click', () => set({ lam: Array(V().d).fill(1) }));
  for (const [id, key] of [['k-range', 'k'], ['angle-range', 'angle'], ['L-range', 'L'], ['depth-range', 'depth']]) F.bind($(id), key, slider);
  F.bind($('xin'), 'x', { parse: (raw, e) => parseValue(e, raw.replace(/\s+/g, '')) });
  for (const key of ['k', 'angle', 'L', 'act', 'init', 'width', 'data', 'opt', 'depth', 'n', 'noise', 'lr', 'momentum', 'batch', 'seed', 'steps', 'speed']) F.bind($(key), key);
  seedButtons(F);
  F.bind($('init-std'), 'init.std', { label: 'σ' });
  F.bind($('init-a'), 'init.a', { label: 'a' });
  $('play').addEventListener('click', toggle);
  $('step').addEventListener('click', stepOnce);
  $('reset').addEventListener('click', reset);
  bindCopyLink($('copy-link'), lab.S);
  $('exp-png').addEventListener('click', exportPNG);
  $('exp-csv').addEventListener('click', exportCSV);
  $('exp-json').addEventListener('click', exportJSON);
  $('exp-py').addEventListener('click', exportPython);
}

function syncControls() {
  const v = V();
  const p = presetById(v.lesson || v.preset);
  $('preset').value = v.lesson || v.preset || '';
  $('preset-note').textContent = p ? p.note : lab.defaultNote;
  // eigenvalue sliders: rebuilt only when their number changes (keeps focus while dragging)
  if ($('eigs').childElementCount !== v.d) {
    const meta = Array.from({ length: v.d }, (_, i) => ({ name: `λ${sub(i + 1)}`, index: i, kind: 'number', default: 1, min: -10, max: 10, ui_min: 0, ui_max: 2, log: false, help: `eigenvalue ${i + 1} of W` }));
    buildParamControls($('eigs'), meta, lab.fields, () => 'lam', 'eig');
  }
  $('init-std-row').hidden = v.init !== 'normal'; $('init-a-row').hidden = v.init !== 'uniform';
  $('momentum-row').hidden = v.opt !== 'sgd';
  lab.fields.sync();
  syncTransport();
}

function lockNow() {
  const v = V();
  applyLock(lab.locked, presetById(v.lesson)?.title || '', () => {
    const id = V().lesson;
    lab.S.values = { ...V(), lesson: '', preset: id };
    lab.locked = false; lockNow(); lab.S.scheduleUrl();
  });
  for (const id of ['lin-fs', 'mlp-fs']) $(id).disabled = lab.locked;
  for (const c of lab.compare) c.button.disabled = lab.locked;
}

function loadPreset(id) {
  const keep = { theme: V().theme, embed: V().embed, hide: V().hide, show: V().show };
  lab.S.reload(buildTable(baseFor(id)), id ? `preset=${encodeURIComponent(id)}` : '');
  Object.assign(lab.S.values, keep);
  pause();
  rebuildLinear(); drawDerivatives(); rebuildTrainer();
  lab.compareKey = ''; rebuildCompare();
  syncControls();
}

// ---- export ------------------------------------------------------------------------------------
function exportPNG() {
  const parts = [
    { canvas: $('lin-chart'), title: `Deep linear network: λ = (${V().lam.join(', ')}), k = ${V().k}` },
    { canvas: $('g-sigmoid'), title: 'sigmoid and σ′ (max 0.25)' }, { canvas: $('g-tanh'), title: 'tanh and tanh′' }, { canvas: $('g-relu'), title: 'ReLU and ReLU′' },
    { canvas: $('bound-chart'), title: 'Product of L factors g′' },
    { canvas: $('bars'), title: `‖∂L/∂W[l]‖: ${activationLabel(V().act)}, ${initShort(V())}, step ${lab.trainer?.steps ?? 0}` },
    { canvas: $('loss-chart'), title: 'mini-batch loss' },
  ];
  savePNG(parts, 'Vanishing and exploding gradients', `vanishing-${stamp()}.png`);
}
/** The lab's numbers as tables, one per kind of row: depth, layer, step. */
function curves() {
  const v = V(), L = lab.linear;
  const linear = { depth_l: Array.from({ length: L.k + 1 }, (_, l) => l), norm_Wl_x: Array.from(L.norms) };
  for (let i = 0; i < L.d; i++) linear[`component_${i + 1}_lambda_${v.lam[i]}`] = Array.from({ length: L.k + 1 }, (_, l) => L.components[l * L.d + i]);
  const g = lab.gradNorms || [], g0 = lab.initNorms || [];
  const layers = { layer: Array.from({ length: g.length }, (_, l) => l + 1), grad_norm_at_init: Array.from(g0), grad_norm_now: Array.from(g) };
  const h = lab.trainer ? Array.from(lab.trainer.lossHistory()) : [];
  const start = lab.trainer ? lab.trainer.historyStart : 0;
  return { deep_linear_network: linear, gradient_norm_per_layer: layers, minibatch_loss_per_step: { step: h.map((_, i) => start + i + 1), minibatch_loss: h } };
}
function exportCSV() { downloadTables(`vanishing-${stamp()}`, curves()); }
function exportJSON() {
  const doc = {
    generator: 'optplay vanishing-gradients lab', url: lab.S.shareUrl(),
    deep_linear: { spec: deepLinearSpec(V()), norms: Array.from(lab.linear.norms), components: Array.from(lab.linear.components) },
    mlp: { spec: lab.spec, steps: lab.trainer?.steps ?? 0, diverged_at_step: lab.trainer?.diverged_at_step ?? null, evaluation: lab.evaluation, grad_norm_at_init: Array.from(lab.initNorms || []), grad_norm_now: Array.from(lab.gradNorms || []) },
    curves: curves(),
  };
  download(`vanishing-${stamp()}.json`, JSON.stringify(doc, null, 1), 'application/json');
  announce('JSON saved.');
}
async function exportPython() {
  try {
    const t = lab.trainer;
    if (!t || !lab.snapshot) throw new Error('no network');
    const snap = await lab.snapshot;
    const ds = snap.dataset;
    const src = networkScript(lab.spec, {
      title: `Vanishing gradients lab: ${activationLabel(V().act)}, ${initShort(V())}, ${V().depth} hidden layers of ${V().width}`,
      data: { kind: 'points', inputs: ds.inputs, labels: ds.labels, dim: ds.dim }, initialParams: snap.initialParams,
      steps: V().steps, report: 'gradnorms',
      expected: { losses: lossCurve(t), diverged_at_step: t.diverged_at_step ?? null, steps: t.steps, train_loss: lab.evaluation?.train_loss, train_errors: lab.evaluation?.train_errors },
    });
    download(`vanishing-${V().act}-${stamp()}.py`, src, 'text/x-python');
    announce('PyTorch script saved.');
  } catch (e) { announce(`Export failed: ${errorMessage(e)}`); }
}
