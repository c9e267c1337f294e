// The input normalization lab: the slide's single unit h = σ(w₁x₁ + w₂x₂ + b) trained from w = 0
// in four coordinate systems (raw, centred, scaled, standardized), each with its loss contours,
// the Hessian's principal directions, κ and the largest stable learning rate; the same iterates
// in raw units; a learning-rate sweep against each system's bound; κ for every feature of the
// shipped data sets; and the train-only statistics rule. The engine (src/unit.rs) runs in the
// worker pool — one UnitProblem per worker computes runs, curvature and contour images — and the
// page only draws: Play reveals the engine's precomputed iterates at the chosen speed.
// State: ONE `values` map behind nn/normalization-config.js's URL table.
import { pageParams } from './shared/state.js';
import { loadEngine, errorMessage } from './shared/engine.js';
import { UrlState, earlyNote, downloadTables, startPage, applyLock, bindKeys, bindCopyLink, savePNG, stamp, fatal, announce, download, fetchData, exposeNetLab, whenVisible } from './shared/labkit.js';
import { XYChart } from './shared/xychart.js';
import { SlicePlot } from './shared/sliceplot.js';
import { FrameLoop } from './shared/trainloop.js';
import { getPool } from './shared/pool.js';
import { Fields } from './shared/fields.js';
import { COLORS, SHAPES } from './shared/palette.js';
import { fieldPath, fieldMark } from './shared/field.js';
import { sig } from './shared/format.js';
import { presetFromQuery } from './nn/common.js';
import { PRESETS, PRESET_IDS, EMBED_EXTRAS, TRANSFORMS, TRANSFORM_SHORT, DATASETS, DIM_SETS, LR_GRID, presetById, baseFor, buildTable, problemSpec, optimizerFor, bestNote, stepsTo, sci, mapping, torchScript } from './nn/normalization-config.js';

const $ = (id) => document.getElementById(id);
const PROBLEM_KEYS = /^(data|model|stats|eps|split)$/;
const RUN_KEYS = /^(opt|lr\.mode|lr|momentum|steps)$/;
const STYLE = Object.fromEntries(TRANSFORMS.map((t, i) => [t, { color: COLORS[[1, 4, 2, 0][i]], shape: SHAPES[[1, 2, 3, 0][i]] }]));

const lab = { E: null, S: null, locked: false, playing: false, loop: null, charts: {}, plots: {}, csv: {}, P: null, token: 0, t: 0, lrSweep: null, dims: null };
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
  startPage(lab.S, () => { for (const c of Object.values(lab.charts)) c.requestDraw(); for (const p of Object.values(lab.plots)) p.requestDraw(); }, EMBED_EXTRAS);
  setupCharts();
  setupControls();
  lab.loop = new FrameLoop({ work: advance, draw: drawLive, budgetMs: 4, onError: (e) => { status(`Stopped: ${errorMessage(e)}`, true); pause(); } });
  syncControls();
  lockNow();
  bindKeys({ toggle, step: () => stepBy(1), reset });
  status('Loading the data…');
  try { lab.csv.breast_cancer = await fetchData(DATASETS.breast_cancer.file); } catch (e) { status(`Could not load the data: ${errorMessage(e)}`, true); return; }
  await rebuild();
  document.body.classList.add('ready');
  exposeNetLab('normalization', lab, {
    set, play, pause, step: () => stepBy(1), reset,
    progress: () => ({ step: lab.t }), done: () => lab.t >= maxSteps(), summary: () => ({ text: summaryText() }),
  });
  // The κ table needs two more data sets (wine, digits: ~60 KiB): fetched when the table comes near
  // the screen, not with the page.
  const dims = () => computeDims().catch((e) => { $('dims').querySelector('tbody').replaceChildren(row([errorMessage(e), '', '', '', ''])); });
  if (typeof IntersectionObserver !== 'function') { setTimeout(dims, 300); return; }
  const seen = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) { seen.disconnect(); dims(); }
  }, { rootMargin: '400px 0px' });
  seen.observe($('dims'));
}

const V = () => lab.S.values;

function set(changes) {
  const changed = lab.S.set(changes);
  const has = (re) => changed.some((k) => re.test(k));
  if (has(PROBLEM_KEYS)) { pause(); rebuild(); }
  else if (has(RUN_KEYS)) { pause(); rerun(); }
  if (has(/^(axes|bias)$/)) { frameViews(); requestSlices(true); }
  if (has(/^loss$/)) updateCharts();
  if (changed.length) { syncControls(); drawFrame(); }
}

// ---- the engine in the workers -------------------------------------------------------------------
/** One UnitProblem per worker (so contour images render in parallel); the old ones are freed. */
async function rebuild() {
  const v = V(), token = ++lab.token;
  freeProblem();
  const pool = getPool();
  await pool.warm();
  const slots = pool.slots.slice(0, pool.size);
  const spec = problemSpec(v, lab.csv[v.data] || null);
  let made;
  try { made = await Promise.all(slots.map((s) => s.call({ op: 'newUnit', spec }))); } catch (e) { if (token === lab.token) { status(errorMessage(e), true); clearAll(); } return; }
  const P = { token, slots, handles: made.map((m) => m.handle), info: made[0].info, spec, curv: {}, optimum: {}, opt: {}, runs: {}, frames: {}, slices: {} };
  if (token !== lab.token) { freeHandles(P); return; }
  lab.P = P;
  const call = (k, calls) => P.slots[k].call({ op: 'calls', handle: P.handles[k], calls });
  const [first] = await Promise.all([call(0, [
    ...TRANSFORMS.map((t) => ['curvature', t, [0, 0, 0]]),
    ...TRANSFORMS.map((t) => ['optimum', t]),
    ['data', 'raw', 'train'], ['data', 'raw', 'val'],
  ])]);
  if (lab.P !== P) return;
  TRANSFORMS.forEach((t, i) => { P.curv[t] = first[i]; P.optimum[t] = Array.from(first[4 + i]); });
  P.data = { features: P.info.features, x_train: first[8].x, y_train: first[8].y, x_val: first[9].x, y_val: first[9].y };
  P.optLoss = await call(0, [['loss', 'raw', P.optimum.raw]]).then((r) => r[0]);
  if (lab.P !== P) return;
  await rerun();
  leakTable();
}

/** The four runs for the current optimizer settings (the problem stays). */
async function rerun() {
  const P = lab.P, v = V();
  // Not before the problem's curvature is in (a setting changed while it loads): the load's own
  // rerun comes next, with the settings of then.
  if (!P || !TRANSFORMS.every((t) => P.curv[t])) return;
  const stamp0 = (P.runStamp = (P.runStamp || 0) + 1);
  for (const t of TRANSFORMS) P.opt[t] = optimizerFor(v, P.curv[t]);
  const calls = (k) => TRANSFORMS.filter((_, i) => i % P.slots.length === k).map((t) => ['run', { transform: t, optimizer: P.opt[t], steps: v.steps }]);
  let res;
  try { res = await Promise.all(P.slots.map((s, k) => s.call({ op: 'calls', handle: P.handles[k], calls: calls(k) }))); } catch (e) { status(errorMessage(e), true); return; }
  if (lab.P !== P || P.runStamp !== stamp0) return;
  TRANSFORMS.forEach((t, i) => { const k = i % P.slots.length; P.runs[t] = res[k][Math.floor(i / P.slots.length)]; });
  P.runsDone = stamp0;
  lab.t = 0;
  P.frames = {};
  frameViews();
  updateCharts();
  requestSlices(true);
  drawFrame();
  status(`${describe()}. Press Play.`);
  runLrSweep();
}

function freeHandles(P) { P.slots.forEach((s, k) => s.call({ op: 'free', handle: P.handles[k] }).catch(() => {})); }
function freeProblem() { if (lab.P) freeHandles(lab.P); lab.P = null; lab.lrSweep = null; }
function clearAll() { for (const p of Object.values(lab.plots)) { p.image = null; p.requestDraw(); } updateCharts(); }

function describe() {
  const v = V(), P = lab.P;
  if (!P) return '';
  return `${P.info.n_train} training and ${P.info.n_val} validation rows, ${v.model === 'logistic' ? 'σ(·) with BCEWithLogitsLoss' : 'linear with MSELoss'}, ${{ sgd: 'SGD', adam: 'Adam', rmsprop: 'RMSprop' }[v.opt]}, ${v.steps} full-batch steps from w = 0`;
}

// ---- contour images --------------------------------------------------------------------------------
/** θ̂ at the shown step (the last finite one of a diverged run). */
function thetaAt(t, step = lab.t) {
  const r = lab.P?.runs[t];
  if (!r) return null;
  const n = r.loss.length, k = Math.min(step, n - 1);
  return k < 0 ? null : Array.from(r.params.subarray(3 * k, 3 * k + 3));
}
function sliceTheta(t) {
  const P = lab.P;
  return V().bias === 'optimum' ? P.optimum[t] : thetaAt(t);
}

function frameViews() {
  const P = lab.P;
  if (!P) return;
  const equal = V().axes === 'equal';
  for (const t of TRANSFORMS) {
    const f = P.frames[t];
    if (f) lab.plots[t].setView(f, equal);
  }
  if (TRANSFORMS.some((t) => !P.frames[t])) {
    P.slots[0].call({ op: 'calls', handle: P.handles[0], calls: TRANSFORMS.map((t) => ['frame', t, [0, 0, 0], P.optimum[t]]) }).then((fr) => {
      if (lab.P !== P) return;
      TRANSFORMS.forEach((t, i) => { P.frames[t] = widen(Array.from(fr[i]), P.runs[t]); lab.plots[t].setView(P.frames[t], equal); });
      requestSlices(true);
    }, (e) => status(errorMessage(e), true));
  }
}
/** The frame grown to hold the whole (finite) path as well. */
function widen(f, run) {
  if (!run) return f;
  let [x0, x1, y0, y1] = f;
  for (let k = 0; k < run.loss.length; k++) {
    const a = run.params[3 * k], b = run.params[3 * k + 1];
    if (Number.isFinite(a) && Number.isFinite(b) && Math.abs(a) < 1e6 * (x1 - x0 + 1) && Math.abs(b) < 1e6 * (y1 - y0 + 1)) { x0 = Math.min(x0, a); x1 = Math.max(x1, a); y0 = Math.min(y0, b); y1 = Math.max(y1, b); }
  }
  const mx = 0.04 * (x1 - x0), my = 0.04 * (y1 - y0);
  return [x0 - mx, x1 + mx, y0 - my, y1 + my];
}

/**
 * Contour images for the panels whose slice moved: b̂ of the iterate changed (or `force`). Low
 * resolution while playing, full resolution at rest; one request per panel in flight.
 */
function requestSlices(force = false) {
  const P = lab.P;
  if (!P || !Object.keys(P.frames).length) return;
  const now = performance.now();
  TRANSFORMS.forEach((t, i) => {
    const S = (P.slices[t] ||= { busy: false, at: -Infinity, b: null, div: 0, view: null });
    const plot = lab.plots[t], th = sliceTheta(t);
    if (!th || S.busy) { if (S.busy) S.again = true; return; }
    // Coarse first (a 96-px image costs ~50 ms in a worker, a 256-px one ~400 ms), then finer
    // once the slice stays put.
    const moved = S.b == null || Math.abs(th[2] - S.b) > 1e-9 * (1 + Math.abs(th[2])) || S.view !== plot.view.join();
    const div = lab.playing || moved ? 3 : 1.5;
    if (!force && !moved && S.div <= div) return;
    if (!force && lab.playing && now - S.at < 250) return;
    const [nx, ny] = plot.renderSize(div);
    const view = plot.view.slice();
    S.busy = true; S.at = now; S.again = false;
    const k = i % P.slots.length;
    P.slots[k].call({ op: 'calls', handle: P.handles[k], calls: [['render', { transform: t, theta: th, view, nx: Math.min(nx, 256), ny: Math.min(ny, 256) }, plot.render.scale, plot.render.cmap, plot.render.levels], ['curvature', t, th]] }).then(([img, curv]) => {
      S.busy = false;
      if (lab.P !== P) return;
      S.b = th[2]; S.div = div; S.view = view.join(); S.curv = curv; S.theta = th;
      plot.message = Number.isFinite(img.min) ? '' : 'no finite loss in this view';
      plot.setImage(img, view);
      if (S.again || lab.playing || div > 1.5) requestSlices();
    }, (e) => { S.busy = false; status(errorMessage(e), true); });
  });
}

// ---- playing ---------------------------------------------------------------------------------------
function maxSteps() { const P = lab.P; return P ? Math.max(0, ...TRANSFORMS.map((t) => (P.runs[t]?.loss.length || 1) - 1)) : 0; }
function advance(_budget, now) {
  if (!lab.playing) return false;
  const dt = Math.min(100, now - (lab.lastNow || now));
  lab.lastNow = now;
  lab.carry = (lab.carry || 0) + (dt / 1000) * V().speed;
  const n = Math.floor(lab.carry);
  if (n > 0) { lab.carry -= n; lab.t = Math.min(maxSteps(), lab.t + n); requestSlices(); }
  if (lab.t >= maxSteps()) { pause(); status(`Done: ${summaryText()}`); announce($('status-line').textContent); return false; }
  return true;
}
function play() {
  if (!lab.P || !Object.keys(lab.P.runs).length) return;
  if (lab.t >= maxSteps()) lab.t = 0;
  lab.playing = true; lab.lastNow = 0; lab.carry = 0;
  lab.loop.start();
  syncTransport();
}
function pause() {
  lab.playing = false;
  if (lab.loop?.running) lab.loop.stop();
  syncTransport();
  requestSlices(true);
  if (lab.P) drawFrame();
}
function toggle() { lab.playing ? pause() : play(); }
function stepBy(n) { pause(); lab.t = Math.min(maxSteps(), lab.t + n); requestSlices(true); drawFrame(); }
function reset() { pause(); lab.t = 0; requestSlices(true); drawFrame(); announce('Reset: every run back to w = 0.'); }
function syncTransport() { $('play').textContent = lab.playing ? '❚❚ Pause' : '▶ Play'; $('play').setAttribute('aria-pressed', String(lab.playing)); }

// ---- drawing ---------------------------------------------------------------------------------------
function setupCharts() {
  for (const t of TRANSFORMS) {
    lab.plots[t] = new SlicePlot($(`c-${t}`), { axisNames: t === 'raw' ? ['w₁', 'w₂'] : ['ŵ₁', 'ŵ₂'], overlay: (plot) => overlay(t, plot) });
  }
  lab.charts.loss = new XYChart($('loss-chart'), { xLabel: 'step', yLabel: 'training loss', logY: true, legend: 'tr', xMin: 0, empty: 'computing…' });
  lab.charts.w2 = new XYChart($('w2-chart'), { xLabel: 'step', yLabel: 'w₂ (raw units)', legend: 'br', xMin: 0, empty: 'computing…' });
  lab.charts.lr = new XYChart($('lr-chart'), { xLabel: 'learning rate', yLabel: 'training loss after the last step', logX: true, logY: true, legend: 'tl', empty: 'computing…' });
}

/**
 * What a slice figure draws over its heatmap (field.js paths and marks, world coordinates): the
 * path up to the shown step, the start, the optimum, and the principal directions.
 */
function overlay(t, plot) {
  const P = lab.P, r = P?.runs[t];
  if (!r) return null;
  const { color, shape } = STYLE[t];
  const paths = [], marks = [];
  // The iterates 0…n−1 of a run's (w₁, w₂, b) rows, thinned to about 1500 points (and the last).
  const path = (rows, n) => {
    const stride = Math.max(1, Math.floor(n / 1500)), xy = [];
    for (let k = 0; k < n; k += stride) xy.push(rows[3 * k], rows[3 * k + 1]);
    if ((n - 1) % stride) xy.push(rows[3 * (n - 1)], rows[3 * (n - 1) + 1]);
    return xy;
  };
  const n = Math.min(lab.t + 1, r.loss.length);
  paths.push(fieldPath(path(r.params, n), color, { width: 2 }));
  // On the raw panel, the standardized run's iterates mapped to raw units (w = ŵ/s, …): the same
  // models, reached in a few steps — normalization as a change of variables.
  if (t === 'raw' && P.runs.standardize) {
    const q = P.runs.standardize, m = Math.min(lab.t + 1, q.loss.length);
    paths.push(fieldPath(path(q.raw_params, m), STYLE.standardize.color, { width: 2, dash: [5, 4] }));
    marks.push(fieldMark(q.raw_params[3 * (m - 1)], q.raw_params[3 * (m - 1) + 1], STYLE.standardize.shape, STYLE.standardize.color, { size: 4 }));
  }
  const o = P.optimum[t];
  marks.push(fieldMark(o[0], o[1], 'plus', '#fff', { size: 7 }));
  // Principal directions of the (ŵ₁, ŵ₂) block of the Hessian at the slice's θ̂, as the axes of
  // its level ellipse (length ∝ 1/√λ, the longer scaled to 40 % of the plot): in fitted axes they
  // are conjugate diameters of the drawn ellipses; with equal scales, perpendicular.
  const S = P.slices[t];
  if (S?.curv) {
    const h = S.curv.hessian, a = h[0], b = h[1], c = h[4];
    const m = (a + c) / 2, d = Math.sqrt(((a - c) / 2) ** 2 + b * b), l1 = m + d, l2 = Math.max(m - d, 1e-300);
    const v1 = Math.abs(b) > 1e-300 ? norm([l1 - c, b]) : a >= c ? [1, 0] : [0, 1];
    const v2 = [-v1[1], v1[0]];
    const [cx, cy] = plot.toPx(S.theta[0], S.theta[1]);
    const px = (v, s) => { const [x, y] = plot.toPx(S.theta[0] + v[0] * s, S.theta[1] + v[1] * s); return [x - cx, y - cy]; };
    const s1 = 1 / Math.sqrt(l1), s2 = 1 / Math.sqrt(l2);
    const len = Math.max(Math.hypot(...px(v1, s1)), Math.hypot(...px(v2, s2)), 1e-9), rr = plot.plotRect, k = (0.4 * Math.min(rr.w, rr.h)) / len;
    for (const [v, s, col, w] of [[v2, s2, 'rgba(200,200,200,0.95)', 2], [v1, s1, '#fff', 2.5]]) {
      const ex = v[0] * s * k, ey = v[1] * s * k;
      paths.push(fieldPath([S.theta[0] - ex, S.theta[1] - ey, S.theta[0] + ex, S.theta[1] + ey], col, { width: w, halo: 'rgba(0,0,0,0.6)' }));
    }
  }
  marks.push(fieldMark(r.params[3 * (n - 1)], r.params[3 * (n - 1) + 1], shape, color, { size: 5 }));
  marks.push(fieldMark(r.params[0], r.params[1], 'ring', '#fff', { size: 6 }));
  return { paths, marks };
}
const norm = ([x, y]) => { const n = Math.hypot(x, y) || 1; return [x / n, y / n]; };

function updateCharts() {
  const v = V(), P = lab.P;
  lab.charts.loss.set({ logY: v.loss === 'log', xMax: v.steps });
  lab.charts.w2.set({ xMax: v.steps });
  const upto = (a, stride = 1) => (a ? a.subarray(0, Math.min(a.length, (lab.t + 1) * stride)) : []);
  lab.charts.loss.series = TRANSFORMS.map((t) => ({ label: TRANSFORM_SHORT[t], ...STYLE[t], width: 2, y: () => upto(P?.runs[t]?.loss) }));
  lab.charts.w2.series = TRANSFORMS.map((t) => ({ label: TRANSFORM_SHORT[t], ...STYLE[t], width: 2, y: () => { const r = P?.runs[t]; if (!r) return []; const n = Math.min(r.loss.length, lab.t + 1), out = new Float64Array(n); for (let k = 0; k < n; k++) out[k] = r.raw_params[3 * k + 1]; return out; } }));
  lab.charts.w2.hlines = P?.optimum ? [{ y: P.optimum.raw[1], label: `optimum w₂ = ${sig(P.optimum.raw[1], 4)}`, color: 'gray', dash: [3, 3] }] : [];
  lab.charts.loss.hlines = P?.optLoss != null ? [{ y: P.optLoss, label: `L* = ${sig(P.optLoss, 4)}`, color: 'gray', dash: [3, 3] }] : [];
  for (const c of Object.values(lab.charts)) c.requestDraw();
}

/**
 * While playing: one figure per animation frame in turn (each of the six at ~10 frames/s: a
 * frame that redraws all six 2× canvases and re-lays out the tables takes 35–60 ms on a 2-core
 * machine, measured), the readouts and the table every 300 ms.
 */
function drawLive(now) {
  const total = maxSteps();
  $('counter').textContent = `step ${lab.t} / ${total}`;
  $('progress').value = total ? lab.t / total : 0;
  lab.rot = ((lab.rot ?? -1) + 1) % 6;
  if (lab.rot < 4) lab.plots[TRANSFORMS[lab.rot]].requestDraw();
  else (lab.rot === 4 ? lab.charts.loss : lab.charts.w2).requestDraw();
  if (now - (lab.textAt || 0) >= 300) { lab.textAt = now; drawText(); }
}

function drawFrame() {
  const total = maxSteps();
  $('counter').textContent = `step ${lab.t} / ${total}`;
  $('progress').value = total ? lab.t / total : 0;
  for (const t of TRANSFORMS) lab.plots[t].requestDraw();
  lab.charts.loss.requestDraw(); lab.charts.w2.requestDraw();
  drawText();
}

function drawText() {
  const P = lab.P, v = V();
  for (const t of TRANSFORMS) {
    const el = $(`r-${t}`), c = P?.curv[t], r = P?.runs[t];
    if (!c || !r) { setText(el, ''); continue; }
    const k = Math.min(lab.t, r.loss.length - 1), lr = P.opt[t].lr;
    const div = r.diverged_at_step != null ? ` · diverged at step ${r.diverged_at_step} (non-finite loss; not drawn past it)` : '';
    const over = v.opt === 'sgd' && !(v.momentum > 0) && lr > c.lr_bound ? ' — above the bound' : '';
    setText(el, `κ = ${sci(c.condition)}${c.null_dims ? ` (${c.null_dims} flat)` : ''} · λ = ${sci(c.eigenvalues[0])} … ${sci(c.eigenvalues[2])} · 2/λmax = ${sci(c.lr_bound)} · lr = ${sci(lr)}${lr === c.lr_best ? ' (α*)' : ''}${over} · loss ${sig(r.loss[k], 4)} at step ${k}${div}`);
  }
  // The table holds the runs' ends: rebuilt only when they change (not per step shown).
  const key = P ? `${P.token}:${P.runsDone}` : '';
  if (key === lab.tableKey) return;
  lab.tableKey = key;
  $('summary').querySelector('tbody').replaceChildren(...TRANSFORMS.map((t) => {
    const c = P?.curv[t], r = P?.runs[t];
    if (!c || !r) return row([TRANSFORM_SHORT[t], '—', '—', '—', '—', '—', '—', '—']);
    const last = r.loss.length - 1, s = stepsTo(r.loss, P.optLoss);
    const raw = Array.from(r.raw_params.subarray(3 * last, 3 * last + 3)).map((x) => sig(x, 4)).join(', ');
    return row([TRANSFORM_SHORT[t], sci(c.condition), sci(c.lr_bound), sci(P.opt[t].lr), `${sig(r.loss[last], 4)}${r.diverged_at_step != null ? ` (diverged at step ${r.diverged_at_step})` : ''}`, s < 0 ? `not in ${last}` : String(s), sig(r.val_loss[last], 4), `(${raw})`]);
  }));
}
function setText(el, text) { if (el.textContent !== text) el.textContent = text; }
function row(cells) { const tr = document.createElement('tr'); for (const c of cells) { const td = document.createElement('td'); td.textContent = c; tr.append(td); } return tr; }
function status(text, bad = false) { const el = $('status-line'); el.textContent = text; el.classList.toggle('bad', bad); }
function summaryText() {
  const P = lab.P;
  if (!P) return '';
  return TRANSFORMS.map((t) => { const r = P.runs[t], s = r ? stepsTo(r.loss, P.optLoss) : -1; return `${TRANSFORM_SHORT[t]} ${s < 0 ? 'not within 0.01 of L*' : `within 0.01 of L* at step ${s}`}`; }).join('; ') + '.';
}

// ---- the learning-rate sweep -------------------------------------------------------------------------
async function runLrSweep() {
  const P = lab.P, v = V();
  if (!P || !P.curv.raw) return;
  const S = (lab.lrSweep = { P, stamp: P.runStamp, points: Object.fromEntries(TRANSFORMS.map((t) => [t, []])), t0: performance.now() });
  const jobs = TRANSFORMS.flatMap((t) => LR_GRID.map((lr) => ({ t, lr })));
  const opt = (lr) => ({ ...optimizerFor({ ...v, 'lr.mode': 'common', lr }, P.curv.raw) });
  const chunks = P.slots.map(() => []);
  jobs.forEach((j, i) => chunks[i % P.slots.length].push(j));
  $('lr-status').textContent = `${jobs.length} runs of ${v.steps} steps…`;
  drawLr();
  try {
    await Promise.all(chunks.map(async (list, k) => {
      for (let a = 0; a < list.length; a += 12) {
        const part = list.slice(a, a + 12);
        const res = await P.slots[k].call({ op: 'calls', handle: P.handles[k], calls: part.map((j) => ['run', { transform: j.t, optimizer: opt(j.lr), steps: v.steps }]) });
        if (lab.lrSweep !== S || lab.P !== P) return;
        part.forEach((j, i) => { const r = res[i]; S.points[j.t].push({ lr: j.lr, loss: r.loss[r.loss.length - 1], diverged: r.diverged_at_step }); });
        drawLr();
      }
    }));
  } catch (e) { $('lr-status').textContent = errorMessage(e); return; }
  if (lab.lrSweep !== S) return;
  S.ms = performance.now() - S.t0;
  $('lr-status').textContent = `${jobs.length} runs (${{ sgd: 'SGD', adam: 'Adam', rmsprop: 'RMSprop' }[v.opt]}${v.momentum > 0 && v.opt === 'sgd' ? ` momentum ${v.momentum}` : ''}, ${v.steps} steps each) in ${(S.ms / 1000).toFixed(1)} s. ${lrSummary(S)}`;
  drawLr();
}
function lrSummary(S) {
  return TRANSFORMS.map((t) => {
    const pts = S.points[t].filter((p) => p.diverged == null && Number.isFinite(p.loss)).sort((a, b) => a.loss - b.loss);
    return pts.length ? `${TRANSFORM_SHORT[t]}: lowest loss ${sig(pts[0].loss, 3)} at lr ${sci(pts[0].lr)}` : `${TRANSFORM_SHORT[t]}: every run diverged`;
  }).join('; ') + '.';
}
function drawLr() {
  const S = lab.lrSweep, P = lab.P, ch = lab.charts.lr;
  if (!S || !P) { ch.series = []; ch.vlines = []; ch.marks = []; ch.requestDraw(); return; }
  ch.series = TRANSFORMS.map((t) => {
    const pts = S.points[t].filter((p) => p.diverged == null).sort((a, b) => a.lr - b.lr);
    return { label: TRANSFORM_SHORT[t], ...STYLE[t], width: 2, points: true, x: () => pts.map((p) => p.lr), y: () => pts.map((p) => p.loss) };
  });
  const v = V();
  ch.vlines = v.opt === 'sgd' ? TRANSFORMS.map((t) => ({ x: P.curv[t].lr_bound, label: `2/λmax ${TRANSFORM_SHORT[t]}`, color: STYLE[t].color, dash: [4, 3] })) : [];
  const tops = TRANSFORMS.flatMap((t) => S.points[t].filter((p) => p.diverged == null).map((p) => p.loss)).filter(Number.isFinite);
  const top = tops.length ? Math.max(...tops) : 1;
  ch.marks = TRANSFORMS.flatMap((t) => S.points[t].filter((p) => p.diverged != null).map((p) => ({ x: p.lr, y: top, color: STYLE[t].color, shape: 'cross', label: '' })));
  ch.requestDraw();
}

// ---- κ with more features, and the leak ---------------------------------------------------------------
async function computeDims() {
  const pool = getPool(), v = V();
  const rows = [];
  lab.dims = { rows };
  for (const d of DIM_SETS) {
    if (!lab.csv[d.file.replace('.csv', '')]) lab.csv[d.file.replace('.csv', '')] = await fetchData(d.file);
    const csv = lab.csv[d.file.replace('.csv', '')];
    const spec = { data: { csv }, validation_split: 0, eps: v.eps, model: 'logistic', ...(d.features ? { features: d.features } : {}) };
    const res = await Promise.all(TRANSFORMS.map((t) => pool.task('curvature', { spec: { ...spec, transform: t } }, null, { background: true })));
    rows.push({ d, res });
    const tb = $('dims').querySelector('tbody');
    tb.replaceChildren(...rows.map(({ d: dd, res: rr }) => row([dd.label, ...rr.map((c) => (c.null_dims ? `∞ (${c.null_dims} flat; ${sci(c.condition_nonnull)} over the rest)` : sci(c.condition)))])));
  }
}

async function leakTable() {
  const P = lab.P, v = V();
  if (!P) return;
  const I = P.info, tb = $('leak').querySelector('tbody');
  tb.replaceChildren(...I.features.map((f, j) => row([f, sig(I.mean_train[j], 6), sig(I.mean_all[j], 6), sig(I.var_train[j], 6), sig(I.var_all[j], 6)])));
  // The standardized run with the other statistics, for its validation loss.
  const other = v.stats === 'train' ? 'all' : 'train';
  try {
    const slot = P.slots[P.slots.length - 1];
    const { handle } = await slot.call({ op: 'newUnit', spec: problemSpec(v, lab.csv[v.data] || null, { stats: other }) });
    const [run] = await slot.call({ op: 'calls', handle, calls: [['run', { transform: 'standardize', optimizer: P.opt.standardize || optimizerFor(v, P.curv.standardize), steps: v.steps }]] });
    slot.call({ op: 'free', handle }).catch(() => {});
    await waitRuns(P);
    if (lab.P !== P) return;
    const mine = P.runs.standardize, vl = (r) => r.val_loss[r.val_loss.length - 1];
    const byStats = { [v.stats]: vl(mine), [other]: vl(run) };
    $('leak-note').textContent = I.n_val ? `Validation loss of the standardized run after ${v.steps} steps: ${sig(byStats.train, 5)} with the training split's statistics, ${sig(byStats.all, 5)} with every row's (difference ${sci(Math.abs(byStats.all - byStats.train), 2)}).` : 'No validation rows (validation fraction 0): nothing can leak.';
  } catch (e) { $('leak-note').textContent = errorMessage(e); }
}
function waitRuns(P) { return new Promise((resolve) => { const check = () => (lab.P !== P || P.runs.standardize ? resolve() : setTimeout(check, 50)); check(); }); }

// ---- controls --------------------------------------------------------------------------------------
function setupControls() {
  const pre = $('preset');
  pre.append(new Option('— your own experiment —', ''));
  for (const p of PRESETS) pre.append(new Option(p.title, p.id));
  pre.addEventListener('change', () => loadPreset(pre.value));
  for (const key of ['data', 'model', 'stats', 'eps', 'split', 'opt', 'lr', 'momentum', 'steps', 'speed']) lab.fields.bind($(key), key);
  lab.fields.bind($('lr-mode'), 'lr.mode', { label: 'learning rate' });
  for (const [id, ch] of [['axes-fit', { axes: 'fit' }], ['axes-equal', { axes: 'equal' }], ['bias-iterate', { bias: 'iterate' }], ['bias-optimum', { bias: 'optimum' }], ['ls-log', { loss: 'log' }], ['ls-lin', { loss: 'linear' }]]) $(id).addEventListener('click', () => set(ch));
  $('play').addEventListener('click', toggle);
  $('step').addEventListener('click', () => stepBy(1));
  $('reset').addEventListener('click', reset);
  bindCopyLink($('copy-link'), lab.S);
  $('exp-png').addEventListener('click', () => savePNG([
    ...TRANSFORMS.map((t) => ({ canvas: $(`c-${t}`), title: `${TRANSFORM_SHORT[t]}: ${$(`r-${t}`).textContent}` })),
    { canvas: $('loss-chart'), title: 'Training loss' }, { canvas: $('w2-chart'), title: 'w₂ in raw units' }, { canvas: $('lr-chart'), title: 'Loss against the learning rate' },
  ], `Input normalization: ${describe()}`, `normalization-${stamp()}.png`));
  $('exp-csv').addEventListener('click', () => downloadTables(`normalization-${stamp()}`, tables()));
  $('exp-json').addEventListener('click', exportJSON);
  $('exp-py').addEventListener('click', exportPython);
}

function syncControls() {
  const v = V(), p = presetById(v.lesson || v.preset);
  $('preset').value = v.lesson || v.preset || '';
  $('preset-note').textContent = p ? p.note : lab.defaultNote;
  for (const [id, on] of [['axes-fit', v.axes === 'fit'], ['axes-equal', v.axes === 'equal'], ['bias-iterate', v.bias === 'iterate'], ['bias-optimum', v.bias === 'optimum'], ['ls-log', v.loss === 'log'], ['ls-lin', v.loss === 'linear']]) $(id).setAttribute('aria-checked', String(on));
  lab.fields.sync();
  $('data-label').textContent = DATASETS[v.data].label;
  $('stats-label').textContent = v.stats === 'all' ? 'whole data set (validation rows included: the leak)' : 'training split';
  $('bias-label').textContent = v.bias === 'optimum' ? 'with b̂ held at its optimum' : 'with b̂ held at the current iterate (the slice moves with it)';
  $('best-note').textContent = bestNote(v);
  $('torch-code').textContent = mapping(v);
  syncTransport();
}

function lockNow() {
  applyLock(lab.locked, presetById(V().lesson)?.title || '', () => {
    const id = V().lesson;
    lab.S.values = { ...V(), lesson: '', preset: id };
    lab.locked = false; lockNow(); lab.S.scheduleUrl();
  });
  for (const id of ['top-fs', 'run-fs']) $(id).disabled = lab.locked;
}

function loadPreset(id) {
  const keep = { theme: V().theme, embed: V().embed, hide: V().hide, show: V().show };
  lab.S.reload(buildTable(baseFor(id)), id ? `preset=${encodeURIComponent(id)}` : '');
  Object.assign(lab.S.values, keep);
  pause(); syncControls(); rebuild();
}

// ---- export ----------------------------------------------------------------------------------------
function tables() {
  const P = lab.P;
  const runs = { coordinates: [], step: [], train_loss: [], val_loss: [], train_accuracy: [], w1: [], w2: [], b: [], w1_raw: [], w2_raw: [], b_raw: [] };
  const curvature = { coordinates: [], lambda_min: [], lambda_mid: [], lambda_max: [], condition: [], lr_bound: [], lr_best: [], lr_used: [] };
  const sweep = { coordinates: [], lr: [], final_loss: [], diverged_at_step: [] };
  if (P) for (const t of TRANSFORMS) {
    const r = P.runs[t], c = P.curv[t];
    if (c) { curvature.coordinates.push(t); curvature.lambda_min.push(c.eigenvalues[0]); curvature.lambda_mid.push(c.eigenvalues[1]); curvature.lambda_max.push(c.eigenvalues[2]); curvature.condition.push(c.condition); curvature.lr_bound.push(c.lr_bound); curvature.lr_best.push(c.lr_best); curvature.lr_used.push(P.opt[t]?.lr ?? NaN); }
    if (r) for (let k = 0; k < r.loss.length; k++) {
      runs.coordinates.push(t); runs.step.push(k); runs.train_loss.push(r.loss[k]); runs.val_loss.push(r.val_loss[k]); runs.train_accuracy.push(r.accuracy[k]);
      runs.w1.push(r.params[3 * k]); runs.w2.push(r.params[3 * k + 1]); runs.b.push(r.params[3 * k + 2]);
      runs.w1_raw.push(r.raw_params[3 * k]); runs.w2_raw.push(r.raw_params[3 * k + 1]); runs.b_raw.push(r.raw_params[3 * k + 2]);
    }
    for (const p of lab.lrSweep?.points[t] || []) { sweep.coordinates.push(t); sweep.lr.push(p.lr); sweep.final_loss.push(p.loss); sweep.diverged_at_step.push(p.diverged ?? ''); }
  }
  return { runs, curvature, lr_sweep: sweep };
}
function exportJSON() {
  const P = lab.P;
  const doc = {
    generator: 'optplay input normalization lab', url: lab.S.shareUrl(), settings: { ...V() },
    problem: P ? { ...P.spec, data: P.spec.data.csv ? { csv: `www/data/${DATASETS[V().data].file}` } : P.spec.data, info: { ...P.info, mean: Array.from(P.info.mean), var: Array.from(P.info.var) } } : null,
    systems: P ? Object.fromEntries(TRANSFORMS.map((t) => [t, { optimizer: P.opt[t], optimum: P.optimum[t], curvature: { eigenvalues: Array.from(P.curv[t].eigenvalues), eigenvectors: Array.from(P.curv[t].eigenvectors), condition: P.curv[t].condition, lr_bound: P.curv[t].lr_bound, lr_best: P.curv[t].lr_best }, diverged_at_step: P.runs[t]?.diverged_at_step ?? null }])) : null,
    tables: tables(),
  };
  download(`normalization-${stamp()}.json`, JSON.stringify(doc, (k, x) => (x === Infinity ? 'Infinity' : x), 1), 'application/json');
  announce('JSON saved.');
}
function exportPython() {
  try {
    const P = lab.P, v = V();
    if (!P || !TRANSFORMS.every((t) => P.runs[t])) throw new Error('the runs are not ready yet');
    const runs = TRANSFORMS.map((t) => ({ transform: t, optimizer: P.opt[t], steps: v.steps, loss: P.runs[t].loss, params: P.runs[t].params }));
    const src = torchScript(v, P.data, runs, `Input normalization lab: ${describe()}`);
    download(`normalization-${stamp()}.py`, src, 'text/x-python');
    announce('PyTorch script saved.');
  } catch (e) { announce(`Export failed: ${errorMessage(e)}`); }
}
