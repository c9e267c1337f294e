// The initialization lab (lecture §4, Xavier/Glorot; everything the deeplearning.ai initialization
// demo does, offline). Two parts on tabs, one transport: the playground (2-6-3-1 on 2-D data, the
// four scale presets, network diagram, decision boundary, cost) and the deep tanh network on the
// digits (per-layer histograms, the mean/variance objectives, misclassified count and cost).
// State: ONE `values` map behind nn/initialization-config.js's URL table.
// Both networks live in workers of the engine pool (shared/pool.js): training, evaluation, the
// decision grid and the per-layer inspection run there; the page draws the latest report.
import { pageParams } from './shared/state.js';
import { loadEngine, errorMessage } from './shared/engine.js';
import { UrlState, seedButtons, earlyNote, downloadTables, startPage, applyLock, bindKeys, bindCopyLink, savePNG, stamp, fatal, announce, download, fetchData, exposeNetLab, whenVisible, trainerMetrics } from './shared/labkit.js';
import { XYChart } from './shared/xychart.js';
import { HistStrip, snapshotInspection } from './shared/histstrip.js';
import { NetDiagram } from './shared/netdiagram.js';
import { Boundary } from './shared/boundary.js';
import { FrameLoop } from './shared/trainloop.js';
import { getPool } from './shared/pool.js';
import { Fields } from './shared/fields.js';
import { COLORS } from './shared/palette.js';
import { sig } from './shared/format.js';
import { networkScript, remoteSnapshot, lossCurve } from './shared/torch-nn.js';
import { deflateBase64 } from './shared/py-engine.js';
import { ACTIVATION_CHOICES, activationLabel, initChoices, OPTIMIZER_CHOICES, OPTIMIZER_LABELS, initShort, presetFromQuery } from './nn/common.js';
import { PRESETS, PRESET_IDS, EMBED_EXTRAS, presetById, baseFor, buildTable, playgroundSpec, deepSpec, activationRange, DEEP_DATA, generators, histKinds } from './nn/initialization-config.js';

const $ = (id) => document.getElementById(id);
const PG_KEYS = /^(hidden|act|init(\..*)?|opt|lr|momentum|batch|seed|data|n|noise)$/;
const DEEP_KEYS = /^deep\.(hidden|act|init(\..*)?|opt|lr|momentum|batch|seed|data)$/;
const PG_INITS = [['zero', 'zero'], ['too_small', 'too small'], ['appropriate', 'appropriate'], ['too_large', 'too large']];
const DEEP_INITS = [['zeros', 'zero', {}], ['torch_default', 'uniform ±1/√n', {}], ['xavier_normal', 'Xavier', {}], ['normal', 'N(0, 1)', { 'deep.init.std': 1 }], ['kaiming_normal', 'He (ReLU)', { 'deep.act': 'relu' }]];
const DATA_LABELS = { circle: 'circle', xor: 'xor', blobs: 'blobs', spiral: 'spiral', moons: 'moons' };

const lab = {
  E: null, S: null, locked: false, playing: false, loop: null, charts: {},
  pg: { trainer: null, spec: null, initParams: null, evaluation: null, token: 0 },
  deep: { trainer: null, spec: null, csv: null, ghost: null, initRows: null, rows: null, evaluation: null, evalEpoch: -1, errors: [], loading: null, token: 0 },
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
  setupCharts();
  setupControls();
  lab.loop = new FrameLoop({ work: () => lab.playing, draw: drawLive, onStop: () => { syncTransport(); announce($('status-line').textContent); }, budgetMs: 9, onError: (e) => { status(`Training stopped: ${errorMessage(e)}`, true); pause(); } });
  const built = rebuildPlayground();
  syncControls();
  showPart();
  lockNow();
  bindKeys({ toggle, step: stepOnce, reset });
  if (V().part === 'deep') await ensureDeep(); else await built;
  document.body.classList.add('ready');
  exposeNetLab('initialization', lab, {
    set, play, pause, step: stepOnce, reset, done,
    progress: () => ({ part: part(), ...trainerMetrics(part() === 'deep' ? lab.deep.trainer : lab.pg.trainer) }),
    summary: () => ({ part: part(), text: $('status-line').textContent, ...trainerMetrics(part() === 'deep' ? lab.deep.trainer : lab.pg.trainer) }),
  });
}

const V = () => lab.S.values;
const part = () => V().part;

function set(changes) {
  const changed = lab.S.set(changes);
  const has = (re) => changed.some((k) => re.test(k));
  if (has(/^part$/)) { pause(); showPart(); if (part() === 'deep') ensureDeep(); }
  if (has(PG_KEYS)) { if (part() === 'playground') pause(); rebuildPlayground(); }
  if (has(DEEP_KEYS)) { if (part() === 'deep') pause(); if (lab.deep.csv) rebuildDeep(); }
  if (has(/^deep\.bins$/) && lab.deep.trainer) rebin();
  else if (has(/^deep\.kind$/) && lab.deep.trainer) drawLive();
  if (has(/^edges$/)) drawLive();
  if (changed.length) syncControls();
}

// ---- part 1: the playground ---------------------------------------------------------------------
const GRID = 72;
/** What a playground tick carries: parameters and gradients (diagram), the decision grid. */
const pgWant = () => ({ evaluate: true, params: true, grads: true, grid: { nx: GRID, ny: GRID, view: lab.charts.boundary.view } });

async function rebuildPlayground() {
  const P = lab.pg, v = V(), token = ++P.token;
  P.trainer?.free();
  P.trainer = null; P.evaluation = null; P.snapshot = null;
  if (part() === 'playground') { lab.playing = false; syncTransport(); }
  lab.charts.boundary.clear();
  let t;
  try {
    P.spec = playgroundSpec(v);
    t = await getPool().trainer(P.spec);
    if (token !== P.token) { t.free(); return; }
    const [x, labels] = await Promise.all([t.call('trainInputs'), t.call('trainLabels')]);
    const pts = { x, labels };
    lab.charts.boundary.points = pts;
    lab.charts.boundary.fit(pts);
    await t.refresh(pgWant());
  } catch (e) {
    t?.free();
    if (token === P.token) status(`The network could not be built: ${errorMessage(e)}`, true);
    return;
  }
  if (token !== P.token) { t.free(); return; }
  P.trainer = t;
  P.snapshot = remoteSnapshot(t, P.spec);
  P.initParams = t.params;
  P.layout = t.layout;
  P.evaluation = t.evaluation;
  t.onTick = (m) => onTick(P, m);
  // The boundary shows the grid the worker computed last for this view.
  lab.charts.boundary.predict = (nx, ny, view) => (P.trainer?.grid && P.trainer.gridSize[0] === nx && P.trainer.gridView.every((x, i) => x === view[i]) ? P.trainer.grid : null);
  lab.charts.pgCost.series = [{ label: 'cost', color: COLORS[0], width: 1.8, get xStart() { return (P.trainer?.historyStart ?? 0) + 1; }, y: () => (P.trainer ? P.trainer.lossHistory() : []) }];
  const c0 = P.evaluation?.train_loss;
  lab.charts.pgCost.hlines = Number.isFinite(c0) ? [{ y: c0, label: `at initialization: ${sig(c0, 3)}`, color: 'rgba(128,128,128,0.95)' }] : [];
  if (part() === 'playground') drawLive();
}

/** A tick from a worker (either part): the mirror grew. */
function onTick(P, m) {
  if (m.evaluation) P.evaluation = m.evaluation;
  if (P === lab.deep && m.epochEnd && m.evaluation) noteEpoch(m);
  if (m.done) {
    if (m.error) status(`Training stopped: ${m.error}`, true);
    if ((part() === 'deep') === (P === lab.deep)) { lab.playing = false; if (lab.loop.running) lab.loop.stop(); syncTransport(); }
  }
  if (!lab.loop.running && (part() === 'deep') === (P === lab.deep)) drawLive();
}

// ---- part 2: the deep network -------------------------------------------------------------------
async function ensureDeep() {
  const D = lab.deep;
  if (D.csv) { if (!D.trainer) await rebuildDeep(); return; }
  if (!D.loading) {
    status('Loading the digits…');
    D.loading = fetchData(DEEP_DATA[V()['deep.data']].file).then((csv) => { D.csv = csv; return rebuildDeep(); }).catch((e) => status(`Could not load the data: ${errorMessage(e)}`, true));
  }
  await D.loading;
}

async function rebuildDeep() {
  const D = lab.deep, v = V(), token = ++D.token;
  D.trainer?.free();
  D.trainer = null; D.evaluation = null; D.errors = []; D.errEpochs = []; D.errCounts = []; D.evalEpoch = -1; D.snapshot = null;
  if (part() === 'deep') { lab.playing = false; syncTransport(); }
  let t;
  try {
    D.spec = deepSpec(v, D.csv);
    t = await getPool().trainer(D.spec);
    if (token !== D.token) { t.free(); return; }
    const r = activationRange(v['deep.act']);
    await t.call('setHistogramRange', 'activation', ...(r || []));
    // At initialization: inspect() before the first step describes the first batch without side effects.
    await t.refresh({ inspect: v['deep.bins'], evaluate: true });
  } catch (e) {
    t?.free();
    if (token === D.token) status(`The network could not be built: ${errorMessage(e)}`, true);
    return;
  }
  if (token !== D.token) { t.free(); return; }
  D.trainer = t;
  D.snapshot = remoteSnapshot(t, D.spec);
  D.n = t.train_count;
  D.stepsPerEpoch = Math.ceil(D.n / t.batch_size);
  setGhosts(t.inspection);
  noteEpoch(t);
  t.onTick = (m) => onTick(D, m);
  lab.charts.deepCost.series = [
    { label: 'mini-batch cost', color: COLORS[0], width: 1.3, get xStart() { return (D.trainer?.historyStart ?? 0) + 1; }, y: () => (D.trainer ? D.trainer.lossHistory() : []) },
  ];
  if (part() === 'deep') drawLive();
}

/** The reference histograms at initialization (grey, behind the live ones). */
function setGhosts(ins) {
  const D = lab.deep;
  D.ghosts = Object.fromEntries(histKinds().map((k) => [k, snapshotInspection(ins, k)]));
  D.initRows = layerRows(ins);
  D.ghostBins = ins.bins;
}

/** A new number of bins: inspect again (at step 0 also the reference); a running job restarts with it. */
async function rebin() {
  const D = lab.deep, t = D.trainer, bins = V()['deep.bins'];
  const wasPlaying = lab.playing && part() === 'deep';
  if (wasPlaying) await pause();
  if (t !== D.trainer) return;
  await t.refresh({ inspect: bins });
  if (t.steps === 0) setGhosts(t.inspection); else D.ghosts = null; // bins changed mid-training: no comparable reference
  if (wasPlaying) play(); else drawLive();
}

function layerRows(ins) {
  const F = ins.fields, n = F.length, at = (l, f) => ins.stats[l * n + F.indexOf(f)];
  return Array.from({ length: ins.layers }, (_, l) => ({
    mean: at(l, 'act_mean'), var: at(l, 'act_var'), grad: at(l, 'grad_norm'), sat: at(l, 'saturated_fraction'), dead: at(l, 'dead_fraction'),
  }));
}

/** The misclassified count after an epoch (the worker evaluates every training image at epoch ends). */
function noteEpoch(m) {
  const D = lab.deep;
  D.evaluation = m.evaluation;
  D.evalEpoch = Math.floor(m.epoch + 1e-9);
  D.errors[D.evalEpoch] = m.evaluation.train_errors;
  D.errEpochs = []; D.errCounts = [];
  D.errors.forEach((v, e) => { if (v != null) { D.errEpochs.push(e); D.errCounts.push(v); } });
}

// ---- animation ---------------------------------------------------------------------------------
const pgDone = () => { const t = lab.pg.trainer; return !t || t.diverged_at_step != null || t.steps >= V().steps; };
const deepDone = () => { const t = lab.deep.trainer; return !t || t.diverged_at_step != null || t.epoch >= V()['deep.epochs'] - 1e-9; };
const done = () => (part() === 'deep' ? deepDone() : pgDone());

function drawLive() {
  if (part() === 'deep') drawDeep(); else drawPlayground();
}

function drawPlayground() {
  const P = lab.pg, t = P.trainer, v = V();
  if (!t) return;
  const grads = v.edges === 'gradients';
  lab.charts.diagram.set({ sizes: P.spec.layer_sizes, values: (grads ? t.grads : t.params) || new Float32Array(t.parameter_count), layout: P.layout, mode: v.edges, activation: v.act });
  $('diagram-scale').textContent = `thickest edge: |${grads ? '∂L/∂w' : 'w'}| = ${sig(lab.charts.diagram.maxAbs || 0, 3)}${grads && t.steps === 0 ? ' (gradients appear after the first step)' : ''}`;
  lab.charts.boundary.paint();
  lab.charts.pgCost.paint();
  $('progress').value = Math.min(1, t.steps / v.steps);
  $('counter').textContent = `step ${t.steps} / ${v.steps}`;
  if (t.diverged_at_step != null) { status(`Diverged at step ${t.diverged_at_step}: the cost was not finite; that step was not applied and training stopped.`, true); return; }
  const e = P.evaluation, h = t.lossHistory();
  const cost = h.length ? h[h.length - 1] : e?.train_loss;
  status(`${initShort(v)} · cost ${sig(cost ?? NaN, 4)} · training accuracy ${e ? (100 * e.train_accuracy).toFixed(1) : '—'}% (${e ? e.train_errors : '—'} of ${P.spec.data.n} misclassified)`);
}

function drawDeep() {
  const D = lab.deep, t = D.trainer, v = V();
  if (!t) { $('counter').textContent = 'epoch 0'; return; }
  const ins = t.inspection;
  if (!ins) return;
  const kind = v['deep.kind'];
  D.rows = layerRows(ins);
  const hidden = ins.layers; // every Dense layer; the last is the linear output (its "activation" = logits)
  lab.charts.hists.o.title = (l) => (l === hidden - 1 ? `output (logits)` : `layer ${l + 1}`);
  lab.charts.hists.set({ layers: ins.layers, bins: ins.bins, hist: ins[kind], ranges: ins.ranges, kind, stats: kind === 'activation' ? D.rows : null }, D.ghosts ? D.ghosts[kind] : null);
  lab.charts.hists.paint();
  const L = D.rows.length - 1; // hidden layers only for the objectives
  const layers = Float64Array.from({ length: L }, (_, l) => l + 1);
  const col = (rows, f) => Float64Array.from({ length: L }, (_, l) => rows[l][f]);
  const mNow = col(D.rows, 'mean'), vNow = col(D.rows, 'var');
  const m0 = D.initRows ? col(D.initRows, 'mean') : null, v0 = D.initRows ? col(D.initRows, 'var') : null;
  lab.charts.means.series = [
    { label: 'now', color: COLORS[0], width: 2.2, shape: 'circle', points: true, x: () => layers, y: () => mNow },
    ...(m0 ? [{ label: 'at initialization', color: COLORS[1], dash: [5, 3], width: 1.5, shape: 'square', points: true, x: () => layers, y: () => m0 }] : []),
  ];
  lab.charts.vars.series = [
    { label: 'now', color: COLORS[0], width: 2.2, shape: 'circle', points: true, x: () => layers, y: () => vNow },
    ...(v0 ? [{ label: 'at initialization', color: COLORS[1], dash: [5, 3], width: 1.5, shape: 'square', points: true, x: () => layers, y: () => v0 }] : []),
  ];
  lab.charts.vars.hlines = L && Number.isFinite(vNow[0]) && vNow[0] > 0 ? [{ y: vNow[0], label: 'objective: constant (= layer 1)', color: 'rgba(0,158,115,0.95)', align: 'right' }] : [];
  lab.charts.deepErrors.set({ xMax: v['deep.epochs'], yMax: D.n });
  lab.charts.means.paint(); lab.charts.vars.paint(); lab.charts.deepCost.paint(); lab.charts.deepErrors.paint();
  // table
  const tb = $('deep-table').querySelector('tbody');
  const act = v['deep.act'];
  tb.replaceChildren(...D.rows.map((r, l) => {
    const tr = document.createElement('tr');
    const sat = act === 'relu' || act === 'leaky_relu' ? (l < L ? `${(100 * r.dead).toFixed(0)}% dead` : '—') : (l < L && (act === 'tanh' || act === 'sigmoid') ? `${(100 * r.sat).toFixed(0)}%` : '—');
    for (const s of [l < L ? String(l + 1) : 'out', sig(r.mean, 3), sig(r.var, 3), sig(r.grad, 3), sat]) { const td = document.createElement('td'); td.textContent = s; tr.append(td); }
    return tr;
  }));
  const ep = t.epoch;
  $('progress').value = Math.min(1, ep / v['deep.epochs']);
  $('counter').textContent = `epoch ${sig(ep, 3)} / ${v['deep.epochs']} · step ${t.steps}`;
  if (t.diverged_at_step != null) { status(`Diverged at step ${t.diverged_at_step}: the cost was not finite; that step was not applied and training stopped.`, true); return; }
  const e = D.evaluation;
  status(`${initShort(v, 'deep.init')} · ${activationLabel(act)} · training cost ${e ? sig(e.train_loss, 4) : '—'} · misclassified ${e ? `${e.train_errors} of ${D.n}` : '—'}${D.evalEpoch >= 0 ? ` (after epoch ${D.evalEpoch})` : ''}`);
}

function status(text, bad = false) { const el = $('status-line'); el.textContent = text; el.classList.toggle('bad', bad); }

async function play() {
  const deep = part() === 'deep', P = deep ? lab.deep : lab.pg;
  if (!P.trainer) return;
  if (done()) { if (P.trainer.diverged_at_step != null) return; await (deep ? rebuildDeep() : rebuildPlayground()); if (!P.trainer) return; }
  const v = V();
  lab.playing = true;
  if (deep) {
    // Epoch by epoch as fast as the worker goes: histograms ~10 times a second, the whole training
    // set evaluated at each epoch's end.
    const bins = v['deep.bins'];
    P.trainer.play({ epochs: true, untilEpochs: v['deep.epochs'], evaluate: {}, inspect: { bins, everyMs: 100 }, final: { inspect: bins } });
  } else {
    P.trainer.play({ speed: v.speed, untilSteps: v.steps, evaluate: { everyMs: 200 }, params: { everyMs: 33, grads: true }, grid: { nx: GRID, ny: GRID, view: lab.charts.boundary.view, everyMs: 50 }, final: { evaluate: true, params: true, grads: true, grid: true } });
  }
  lab.loop.start();
  syncTransport();
}
/** Stop whichever network is training (within one ~10 ms slice of its worker). */
function pause() {
  lab.playing = false;
  const all = Promise.all([lab.pg.trainer?.pause(), lab.deep.trainer?.pause()]);
  if (lab.loop?.running) lab.loop.stop();
  syncTransport();
  return all;
}
function toggle() { lab.playing ? pause() : play(); }
async function stepOnce() {
  await pause();
  const deep = part() === 'deep', P = deep ? lab.deep : lab.pg, t = P.trainer;
  if (!t || done()) return;
  const m = deep ? await t.step(1, { inspect: V()['deep.bins'], evaluate: (t.steps + 1) % lab.deep.stepsPerEpoch === 0 }) : await t.step(1, pgWant());
  if (t !== P.trainer) return;
  if (m.evaluation) { P.evaluation = m.evaluation; if (deep) noteEpoch(m); }
  drawLive();
}
function reset() { pause(); part() === 'deep' ? rebuildDeep() : rebuildPlayground(); announce('Reset to the initial weights.'); }
function syncTransport() { $('play').textContent = lab.playing ? '❚❚ Pause' : '▶ Play'; $('play').setAttribute('aria-pressed', String(lab.playing)); }

// ---- controls ----------------------------------------------------------------------------------
function setupCharts() {
  lab.charts.diagram = new NetDiagram($('diagram'));
  lab.charts.boundary = new Boundary($('boundary'), { res: 72 });
  lab.charts.pgCost = new XYChart($('cost'), { xLabel: 'gradient step', yLabel: 'cost', logY: true, legend: false, empty: 'press Play or Step to train' });
  lab.charts.hists = new HistStrip($('hists'), { color: COLORS[0], minPanel: 130, panelH: 96 });
  lab.charts.means = new XYChart($('means'), { xLabel: 'hidden layer l', yLabel: 'mean', integerX: true, legend: 'tr' });
  lab.charts.means.hlines = [{ y: 0, label: 'objective: 0', color: 'rgba(0,158,115,0.95)' }];
  lab.charts.vars = new XYChart($('vars'), { xLabel: 'hidden layer l', yLabel: 'variance', logY: true, integerX: true, legend: 'bl' });
  lab.charts.deepCost = new XYChart($('deep-cost'), { xLabel: 'step', yLabel: 'cost', logY: true, legend: false, empty: 'press Play or Step to train' });
  lab.charts.deepErrors = new XYChart($('deep-errors'), { xLabel: 'epoch', yLabel: 'misclassified', yMin: 0, xMin: 0, legend: false });
  lab.charts.deepErrors.series = [{ label: 'misclassified', color: COLORS[1], width: 2, shape: 'circle', points: true, x: () => lab.deep.errEpochs || [], y: () => lab.deep.errCounts || [] }];
}
function redrawAll() { for (const c of Object.values(lab.charts)) c.requestDraw(); }

function radioButtons(box, items, onPick) {
  box.replaceChildren(...items.map(([value, label]) => {
    const b = document.createElement('button');
    b.type = 'button'; b.setAttribute('role', 'radio'); b.dataset.value = value; b.textContent = label;
    b.addEventListener('click', () => onPick(value));
    return b;
  }));
}
function markRadios(box, value) { for (const b of box.querySelectorAll('[role="radio"]')) b.setAttribute('aria-checked', String(b.dataset.value === value)); }

function setupControls() {
  const pre = $('preset');
  pre.append(new Option('— your own experiment —', ''));
  for (const p of PRESETS) pre.append(new Option(p.title, p.id));
  pre.addEventListener('change', () => loadPreset(pre.value));
  $('tab-playground').addEventListener('click', () => set({ part: 'playground' }));
  $('tab-deep').addEventListener('click', () => set({ part: 'deep' }));
  for (const b of [$('tab-playground'), $('tab-deep')]) b.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') { e.preventDefault(); const next = part() === 'deep' ? 'playground' : 'deep'; set({ part: next }); $(`tab-${next}`).focus(); }
  });
  radioButtons($('init-buttons'), PG_INITS, (init) => set({ init }));
  radioButtons($('data-buttons'), generators().map((g) => [g, DATA_LABELS[g]]), (data) => set({ data }));
  radioButtons($('dinit-buttons'), DEEP_INITS.map(([a, b]) => [a, b]), (init) => set({ 'deep.init': init, ...(DEEP_INITS.find((d) => d[0] === init)[2]) }));
  for (const [sel, prefix] of [['init', ''], ['deep-init', 'deep.']]) for (const [n, label] of initChoices()) $(sel).append(new Option(label, n)), void prefix;
  for (const sel of ['act', 'deep-act']) for (const a of ACTIVATION_CHOICES) $(sel).append(new Option(activationLabel(a), a));
  for (const sel of ['opt', 'deep-opt']) for (const o of OPTIMIZER_CHOICES) $(sel).append(new Option(OPTIMIZER_LABELS[o], o));
  const F = lab.fields;
  for (const key of ['init', 'act', 'opt', 'hidden', 'n', 'noise', 'lr', 'momentum', 'batch', 'seed', 'steps', 'speed',
    'deep.init', 'deep.act', 'deep.opt', 'deep.hidden', 'deep.lr', 'deep.momentum', 'deep.batch', 'deep.seed', 'deep.epochs', 'deep.bins']) F.bind($(key.replace('.', '-')), key);
  seedButtons(F);
  for (const pre of ['', 'deep.']) {
    F.bind($(`${pre.replace('.', '-')}init-std`), `${pre}init.std`, { label: 'σ' });
    F.bind($(`${pre.replace('.', '-')}init-a`), `${pre}init.a`, { label: 'a' });
  }
  $('edges-w').addEventListener('click', () => set({ edges: 'weights' }));
  $('edges-g').addEventListener('click', () => set({ edges: 'gradients' }));
  for (const k of histKinds()) $(`kind-${k}`).addEventListener('click', () => set({ 'deep.kind': k }));
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
  $('preset-note').textContent = p ? p.note : (part() === 'deep'
    ? 'A deep tanh network on the 8×8 digits: choose an initialization, look at the histograms of every layer at initialization, then train.'
    : lab.defaultNote);
  markRadios($('init-buttons'), v.init); markRadios($('data-buttons'), v.data); markRadios($('dinit-buttons'), v['deep.init']);
  for (const pre of ['', 'deep.']) {
    const idp = pre ? 'deep-' : '';
    $(`${idp}init-std-row`).hidden = v[`${pre}init`] !== 'normal'; $(`${idp}init-a-row`).hidden = v[`${pre}init`] !== 'uniform';
    $(`${idp}momentum-row`).hidden = v[`${pre}opt`] !== 'sgd';
  }
  lab.fields.sync();
  $('edges-w').setAttribute('aria-checked', String(v.edges === 'weights'));
  $('edges-g').setAttribute('aria-checked', String(v.edges === 'gradients'));
  for (const k of histKinds()) $(`kind-${k}`).setAttribute('aria-checked', String(v['deep.kind'] === k));
  $('hist-title').textContent = { activation: 'Activations per layer', preactivation: 'Pre-activations per layer', gradient: 'Weight gradients ∂L/∂W per layer' }[v['deep.kind']];
  syncTransport();
}

function showPart() {
  const deep = part() === 'deep';
  $('part-playground').hidden = deep; $('part-deep').hidden = !deep;
  $('tab-playground').setAttribute('aria-selected', String(!deep)); $('tab-deep').setAttribute('aria-selected', String(deep));
  $('tab-playground').tabIndex = deep ? -1 : 0; $('tab-deep').tabIndex = deep ? 0 : -1;
  $('step').title = deep ? 'One mini-batch step (→)' : 'One gradient step (→)';
  syncControls();
  requestAnimationFrame(() => { for (const c of Object.values(lab.charts)) c.resize?.(); drawLive(); });
}

function lockNow() {
  applyLock(lab.locked, presetById(V().lesson)?.title || '', () => {
    const id = V().lesson;
    lab.S.values = { ...V(), lesson: '', preset: id };
    lab.locked = false; lockNow(); lab.S.scheduleUrl();
  });
  for (const id of ['top-fs', 'pg-fs', 'deep-fs']) $(id).disabled = lab.locked;
  for (const id of ['edges-w', 'edges-g', ...histKinds().map((k) => `kind-${k}`)]) $(id).disabled = false;
}

function loadPreset(id) {
  const keep = { theme: V().theme, embed: V().embed, hide: V().hide, show: V().show };
  lab.S.reload(buildTable(baseFor(id)), id ? `preset=${encodeURIComponent(id)}` : '');
  Object.assign(lab.S.values, keep);
  pause();
  rebuildPlayground();
  if (lab.deep.csv) rebuildDeep();
  showPart();
  if (part() === 'deep') ensureDeep();
}

// ---- export ------------------------------------------------------------------------------------
function exportPNG() {
  const v = V();
  const parts = part() === 'deep'
    ? [{ canvas: $('hists'), title: `${$('hist-title').textContent}: ${initShort(v, 'deep.init')}, ${activationLabel(v['deep.act'])}, epoch ${sig(lab.deep.trainer?.epoch ?? 0, 3)}` },
      { canvas: $('means'), title: 'Mean of the activations per layer' }, { canvas: $('vars'), title: 'Variance of the activations per layer' }, { canvas: $('deep-cost'), title: 'Mini-batch cost' }, { canvas: $('deep-errors'), title: 'Misclassified training digits' }]
    : [{ canvas: $('diagram'), title: `Network 2-${v.hidden}-1, ${initShort(v)}, ${v.edges}` }, { canvas: $('boundary'), title: `Decision boundary (${v.data}), step ${lab.pg.trainer?.steps ?? 0}` }, { canvas: $('cost'), title: 'Cost' }];
  savePNG(parts, 'Initialization lab', `initialization-${part()}-${stamp()}.png`);
}
function curves() {
  if (part() === 'deep') {
    const D = lab.deep, t = D.trainer;
    const h = t ? Array.from(t.lossHistory()) : [];
    const rows = D.rows || [], r0 = D.initRows || [];
    return {
      per_layer: { layer: rows.map((_, l) => l + 1), act_mean_init: r0.map((r) => r.mean), act_var_init: r0.map((r) => r.var), act_mean_now: rows.map((r) => r.mean), act_var_now: rows.map((r) => r.var), grad_norm_now: rows.map((r) => r.grad) },
      per_epoch: { epoch: D.errors.map((_, e) => e), misclassified: D.errors.slice() },
      per_step: { step: h.map((_, i) => (t?.historyStart ?? 0) + i + 1), minibatch_cost: h },
    };
  }
  const t = lab.pg.trainer, h = t ? Array.from(t.lossHistory()) : [];
  return { cost_per_step: { step: h.map((_, i) => (t?.historyStart ?? 0) + i + 1), cost: h } };
}
function exportCSV() { downloadTables(`initialization-${part()}-${stamp()}`, curves()); }
function exportJSON() {
  const deep = part() === 'deep', P = deep ? lab.deep : lab.pg;
  const spec = P.spec ? { ...P.spec, data: deep ? { csv: `www/data/${DEEP_DATA[V()['deep.data']].file}`, normalize: true } : P.spec.data } : null;
  const doc = { generator: 'optplay initialization lab', url: lab.S.shareUrl(), part: part(), spec, steps: P.trainer?.steps ?? 0, diverged_at_step: P.trainer?.diverged_at_step ?? null, evaluation: P.evaluation, curves: curves() };
  download(`initialization-${part()}-${stamp()}.json`, JSON.stringify(doc, null, 1), 'application/json');
  announce('JSON saved.');
}
async function exportPython() {
  try {
    const v = V();
    if (part() === 'deep') {
      const D = lab.deep;
      if (!D.trainer || !D.snapshot) throw new Error('the deep network is not built yet');
      const dd = DEEP_DATA[v['deep.data']], snap = await D.snapshot;
      const src = networkScript(D.spec, {
        title: `Initialization lab, deep part: ${activationLabel(v['deep.act'])}, ${initShort(v, 'deep.init')}, 64-${v['deep.hidden']}-10 on digits`,
        data: { kind: 'csv', file: dd.file, b64: await deflateBase64(D.csv) }, initialParams: snap.initialParams,
        steps: v['deep.epochs'] * D.stepsPerEpoch, report: 'stats',
        expected: { losses: lossCurve(D.trainer), diverged_at_step: D.trainer.diverged_at_step ?? null, steps: D.trainer.steps, train_loss: D.evaluation?.train_loss, train_errors: D.evaluation?.train_errors },
      });
      download(`initialization-deep-${stamp()}.py`, src, 'text/x-python');
    } else {
      const P = lab.pg, t = P.trainer;
      if (!t || !P.snapshot) throw new Error('no network');
      const snap = await P.snapshot, ds = snap.dataset;
      const src = networkScript(P.spec, {
        title: `Initialization lab, playground: 2-${v.hidden}-1 ${activationLabel(v.act)}, ${initShort(v)}, ${v.data}`,
        data: { kind: 'points', inputs: ds.inputs, labels: ds.labels, dim: ds.dim }, initialParams: snap.initialParams,
        steps: v.steps, report: 'stats',
        expected: { losses: lossCurve(t), diverged_at_step: t.diverged_at_step ?? null, steps: t.steps, train_loss: P.evaluation?.train_loss, train_errors: P.evaluation?.train_errors },
      });
      download(`initialization-playground-${stamp()}.py`, src, 'text/x-python');
    }
    announce('PyTorch script saved.');
  } catch (e) { announce(`Export failed: ${errorMessage(e)}`); }
}
