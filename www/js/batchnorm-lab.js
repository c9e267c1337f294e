// The batch-normalization lab (the lecture's "batch normalization" slide): Ioffe & Szegedy's
// Fig. 1 live on the digits — pairs of sigmoid networks from the same initial weights and
// mini-batches, one with BatchNorm1d before every sigmoid — with the 15/50/85th percentiles of a
// last-hidden-layer unit's input; a learning-rate sweep; training vs inference statistics
// (running, per batch, a batch of one, population); the loss along the gradient (Santurkar et
// al. Fig. 4, Bjorck et al.); weight-scale invariance; saturated sigmoids per layer. Every run is
// a `trainRecord` job of the worker pool, streamed as it goes; the page only draws.
// State: ONE `values` map behind nn/batchnorm-config.js's URL table.
import { pageParams } from './shared/state.js';
import { loadEngine, errorMessage } from './shared/engine.js';
import { UrlState, poolTransport, seedButtons, earlyNote, downloadTables, startPage, applyLock, bindKeys, bindCopyLink, savePNG, stamp, fatal, announce, download, fetchData, exposeNetLab, whenVisible, sweepProgress } from './shared/labkit.js';
import { XYChart } from './shared/xychart.js';
import { HistStrip } from './shared/histstrip.js';
import { FrameLoop } from './shared/trainloop.js';
import { getPool } from './shared/pool.js';
import { Fields } from './shared/fields.js';
import { COLORS } from './shared/palette.js';
import { sig } from './shared/format.js';
import { networkScript, remoteSnapshot } from './shared/torch-nn.js';
import { deflateBase64 } from './shared/py-engine.js';
import { presetFromQuery } from './nn/common.js';
import { band, median } from './nn/dropout-config.js';
import { PRESETS, PRESET_IDS, EMBED_EXTRAS, DIGITS, N_VAL, LAST_HIDDEN, BJORCK_ETAS, SCALES, presetById, baseFor, buildTable, runSpec, seedsOf, everyFor, MAX_EVALS, probeEtas, probeSummary, parseRates, mapping } from './nn/batchnorm-config.js';

const $ = (id) => document.getElementById(id);
const RUN_KEYS = /^(sigma|lr|batch|steps|every|seeds|seed|unit|place|running|delta)$/;
const CONFIGS = [
  { bn: false, label: 'no batch norm', color: COLORS[1], shape: 'square', dash: [6, 3] },
  { bn: true, label: 'batch norm', color: COLORS[0], shape: 'circle', dash: null },
];
const PCT = [15, 50, 85];
/** Histogram bins of the first pair's per-layer inspection. */
const HIST_BINS = 30;

const lab = { E: null, S: null, locked: false, playing: false, loop: null, charts: {}, runs: [], sweep: null, csv: null, pair: null, token: 0, lrSweep: null, inference: null };
const { start: trainRuns, pause, reset, sync: syncTransport } = poolTransport(lab, getPool, { status, describe, summary: summaryText, redraw: drawLive, rebuild });
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
  startPage(lab.S, () => { for (const c of Object.values(lab.charts)) c.requestDraw(); }, EMBED_EXTRAS);
  setupCharts();
  setupControls();
  // While the workers train, the page redraws at most ~4 times a second and only after new
  // records: on a 2-core machine every millisecond of drawing is taken from the training.
  lab.loop = new FrameLoop({ work: () => lab.playing, draw: (now) => { if (lab.dirty && now - (lab.drawnAt || 0) >= 250) { lab.dirty = false; lab.drawnAt = now; drawLive(); } }, budgetMs: 6, onError: (e) => { status(`Stopped: ${errorMessage(e)}`, true); pause(); } });
  syncControls();
  lockNow();
  bindKeys({ toggle, step: () => probeStep(), reset });
  status('Loading the digits…');
  try { lab.csv = await fetchData(DIGITS.file); } catch (e) { status(`Could not load the data: ${errorMessage(e)}`, true); return; }
  await rebuild();
  document.body.classList.add('ready');
  exposeNetLab('batchnorm', lab, {
    set, play, pause, step: () => probeStep(), reset, suspend: (on) => getPool().suspend(on),
    progress: () => sweepProgress(lab.runs), done: () => lab.runs.length > 0 && lab.runs.every((r) => r.done), summary: () => ({ text: summaryText() }),
  });
}

const V = () => lab.S.values;

function set(changes) {
  const changed = lab.S.set(changes);
  const has = (re) => changed.some((k) => re.test(k));
  if (has(RUN_KEYS)) { pause(); rebuild(); }
  if (changed.length) { syncControls(); drawLive(); }
}

// ---- the runs ----------------------------------------------------------------------------------
/** What each run records at every evaluation, beyond the evaluation itself (named, in order). */
function recordCallsFor(r, v) {
  const first = r.seed === v.seed, calls = [['pct', ['unitPercentiles', LAST_HIDDEN, v.unit, PCT]]];
  if (r.bn) calls.push(['train', ['evaluateBatchNorm', 'batch', v.batch]]);
  if (first) calls.push(['probe', ['gradientProbe', probeEtas(v.lr)]]);
  if (first && r.bn) calls.push(['unit', ['bnUnitStats', LAST_HIDDEN, v.unit]]);
  return calls;
}

function newRuns() {
  const v = V();
  return seedsOf(v).flatMap((seed) => CONFIGS.map((c) => {
    const r = { ...c, seed, spec: runSpec(v, lab.csv, { seed, bn: c.bn }), record: [], done: false, result: null };
    const calls = recordCallsFor(r, v);
    r.callNames = calls.map(([n]) => n);
    r.recordCalls = calls.map(([, c2]) => c2);
    return r;
  }));
}
/** A record's result of the named record call (undefined if the run does not record it). */
const got = (r, e, name) => { const i = r.callNames.indexOf(name); return i < 0 ? undefined : e.calls?.[i]; };

/** A fresh experiment: the probe pair's networks (the first seed) and empty curves. */
async function rebuild() {
  const v = V(), token = ++lab.token;
  cancelSweep();
  for (const t of lab.pair?.trainers || []) t.free();
  lab.pair = null;
  lab.runs = newRuns();
  lab.inference = null;
  updateCharts();
  const specs = CONFIGS.map((c) => runSpec(v, lab.csv, { bn: c.bn }));
  let trainers;
  try { trainers = await Promise.all(specs.map((s) => getPool().trainer(s))); } catch (e) { status(errorMessage(e), true); return; }
  if (token !== lab.token) { for (const t of trainers) t.free(); return; }
  lab.pair = { trainers, specs, snapshots: trainers.map((t, i) => remoteSnapshot(t, specs[i])), bjorck: null, scale: null };
  $('val-n').textContent = String(N_VAL);
  await probePair();
  if (token !== lab.token) return;
  status(`${lab.runs.length} runs ready: ${describe()}. Press Play.`);
  drawLive();
}

function describe() {
  const v = V();
  return `64-100-100-100-10 sigmoid, W ~ N(0, ${v.sigma}²), SGD lr ${v.lr}, batch ${v.batch}, ${v.steps} steps, ${v.seeds} pair${v.seeds > 1 ? 's' : ''}${v.place === 'after' ? ', batch norm after each sigmoid' : ''}`;
}

function play() {
  if (!lab.runs.length || lab.sweep) return;
  if (lab.runs.every((r) => r.done)) { lab.runs = newRuns(); lab.inference = null; updateCharts(); }
  const v = V(), firstBn = lab.runs.findIndex((r) => r.bn && r.seed === v.seed);
  const todo = lab.runs.filter((r) => !r.done);
  for (const r of todo) r.record = [];
  lab.histFollow = true;
  const jobs = todo.map((r) => ({
    op: 'trainRecord', spec: r.spec, steps: v.steps, every: everyFor(v), progressMs: 200, recordCalls: r.recordCalls,
    ...(r.seed === v.seed ? { inspect: HIST_BINS } : {}),
    ...(lab.runs.indexOf(r) === firstBn ? { calls: [['evaluateBatchNorm', 'running', 1], ['evaluateBatchNorm', 'batch', v.batch], ['evaluateBatchNorm', 'batch', 1], ['evaluateBatchNorm', 'population', 1]] } : {}),
  }));
  trainRuns(todo, jobs, (r, res) => { if (res.calls) lab.inference = { running: res.calls[0], batch: res.calls[1], one: res.calls[2], population: res.calls[3], m: v.batch }; });
}
function toggle() { lab.playing ? pause() : play(); }

// ---- statistics --------------------------------------------------------------------------------
/** Per configuration: the step axis and the median/range of the accuracy over its seeds. */
function stats(bn) {
  const v = V();
  const runs = lab.runs.filter((r) => r.bn === bn && r.record.length);
  const n = Math.min(...runs.map((r) => r.record.length));
  if (!runs.length || !Number.isFinite(n) || n === 0) return null;
  const acc = (r, e) => (v.mode === 'train' && r.bn ? got(r, e, 'train')?.val_accuracy : e.evaluation.val_accuracy);
  const steps = runs[0].record.slice(0, n).map((e) => e.step);
  return { steps, acc: band(runs.map((r) => r.record.slice(0, n).map((e) => acc(r, e)))), runs: runs.length };
}
/** The first step whose median accuracy reaches `level`, or null. */
function firstAt(s, level) { const i = s ? s.acc.med.findIndex((a) => a >= level) : -1; return i < 0 ? null : s.steps[i]; }
/** The median accuracy at the first recorded step ≥ `step`. */
function accAt(s, step) { const i = s ? s.steps.findIndex((x) => x >= step) : -1; return i < 0 ? NaN : s.acc.med[i]; }
const firstRun = (bn) => lab.runs.find((r) => r.bn === bn && r.seed === V().seed);

function summaryText() {
  const a = stats(false), b = stats(true);
  if (!a || !b) return describe();
  const f = (s) => { const at = firstAt(s, 0.9); return at == null ? 'never reached 0.9' : `reached 0.9 at step ${at}`; };
  return `validation accuracy (median): without batch norm ${f(a)}, ${sig(a.acc.med.at(-1), 3)} at the end; with batch norm ${f(b)}, ${sig(b.acc.med.at(-1), 3)} at the end.`;
}

// ---- drawing -----------------------------------------------------------------------------------
function setupCharts() {
  lab.charts.acc = new XYChart($('acc'), { xLabel: 'step', yLabel: 'validation accuracy', legend: 'br', xMin: 0, yMin: 0, yMax: 1, empty: 'press Play: both configurations train over every pair of seeds' });
  lab.charts.pct = [0, 1].map((k) => new XYChart($(`pct-${k}`), { xLabel: 'step', yLabel: 'sigmoid input', legend: 'tr', xMin: 0, empty: 'press Play' }));
  lab.charts.sweep = new XYChart($('sweep-chart'), { xLabel: 'learning rate', yLabel: 'validation accuracy', legend: 'bl', logX: true, yMin: 0, yMax: 1, empty: 'press Sweep' });
  lab.charts.running = new XYChart($('running'), { xLabel: 'step', yLabel: 'mean of the unit\'s input', legend: 'br', xMin: 0, empty: 'press Play (the first batch-normalized run)' });
  lab.charts.smLoss = new XYChart($('sm-loss'), { xLabel: 'step', yLabel: 'loss', logY: true, legend: 'tr', xMin: 0, empty: 'press Play' });
  lab.charts.smGrad = new XYChart($('sm-grad'), { xLabel: 'step', yLabel: '‖∇L(θ−ηg) − g‖', logY: true, legend: 'tr', xMin: 0, empty: 'press Play' });
  lab.charts.smBeta = new XYChart($('sm-beta'), { xLabel: 'step', yLabel: 'effective β', logY: true, legend: 'tr', xMin: 0, empty: 'press Play' });
  lab.charts.bjorck = new XYChart($('bjorck'), { xLabel: 'step size η', yLabel: 'L(θ − ηg) / L(θ)', logX: true, logY: true, legend: 'tl', empty: 'computing…' });
  lab.charts.wscale = new XYChart($('wscale'), { xLabel: 'scale a of W and b', yLabel: 'loss', logX: true, legend: 'tl', empty: 'computing…' });
  lab.charts.sat = new XYChart($('sat'), { xLabel: 'step', yLabel: 'saturated fraction', legend: 'tr', xMin: 0, yMin: 0, yMax: 1, empty: 'press Play' });
  const title = (l) => `hidden layer ${l + 1}`;
  lab.charts.hist = CONFIGS.map((c) => new HistStrip($(c.bn ? 'hist-bn' : 'hist-plain'), { color: c.color, minPanel: 110, panelH: 92, title }));
  // The three panels' row height from the start: the first histograms do not re-lay out the page.
  for (const h of lab.charts.hist) h.canvas.style.height = `${h.o.panelH + 4}px`;
}

/** The first pair's pre-activation histograms (hidden layers only) at the chosen recorded step,
 *  the one at step 0 as the outline; `hist-at` at its right end follows training. */
function drawHists() {
  const slider = $('hist-at'), v = V();
  const recs = CONFIGS.map((c) => firstRun(c.bn)?.record.filter((e) => e.inspection) || []);
  const n = Math.min(...recs.map((r) => r.length));
  const follow = lab.histFollow !== false;
  slider.max = String(Math.max(0, n - 1));
  if (follow) slider.value = slider.max;
  const i = Math.min(Number(slider.value), n - 1);
  const hidden = (ins) => ins && { layers: Math.min(ins.layers, LAST_HIDDEN + 1), bins: ins.bins, hist: ins.preactivation, ranges: ins.ranges, kind: 'preactivation' };
  CONFIGS.forEach((c, k) => {
    const e = recs[k][i], chart = lab.charts.hist[k];
    if (!e) { chart.data = null; chart.requestDraw(); return; }
    chart.set(hidden(e.inspection), hidden(recs[k][0]?.inspection));
  });
  const step = n > 0 ? recs[0][i].step : 0;
  $('hist-at-out').textContent = n > 0 ? `step ${step}${follow && lab.playing ? ' (following)' : ''}` : 'no steps yet';
  $('hist-title').textContent = `Sigmoid inputs per hidden layer at step ${step} (bars) and at initialization (dashed)`;
  $('hist-cap-bn').textContent = v.place === 'after' ? 'batch norm after the sigmoids: Wu + b of normalized u' : 'with batch norm: γx̂ + β';
}

function updateCharts() {
  const v = V();
  for (const c of [lab.charts.acc, lab.charts.running, lab.charts.smLoss, lab.charts.smGrad, lab.charts.smBeta, lab.charts.sat, ...lab.charts.pct]) c.set({ xMax: v.steps });
  lab.charts.acc.series = CONFIGS.map((c) => {
    const s = () => lab.stats?.[c.bn ? 1 : 0];
    return { label: c.label, color: c.color, shape: c.shape, width: 2, x: () => s()?.steps || [], y: () => s()?.acc.med || [], lo: () => s()?.acc.lo, hi: () => s()?.acc.hi };
  });
  lab.charts.acc.hlines = [{ y: 0.1, label: 'chance (10 classes)', color: COLORS[3], dash: [2, 3] }];
  lab.charts.pct.forEach((chart, k) => {
    const r = () => firstRun(!!k);
    const xs = () => r()?.record.map((e) => e.step) || [];
    chart.series = PCT.map((p, i) => ({ label: `${p}th`, color: CONFIGS[k].color, width: i === 1 ? 2.2 : 1.3, dash: i === 1 ? null : [4, 3], x: xs, y: () => r()?.record.map((e) => got(r(), e, 'pct')?.[i] ?? NaN) || [] }));
  });
  const rb = () => firstRun(true);
  const unitXs = () => rb()?.record.map((e) => e.step) || [];
  lab.charts.running.series = [
    { label: 'batch mean μ_B', color: COLORS[2], points: true, noLine: true, shape: 'circle', x: unitXs, y: () => rb()?.record.map((e) => got(rb(), e, 'unit')?.[0] ?? NaN) || [] },
    { label: 'running mean', color: COLORS[0], width: 2, x: unitXs, y: () => rb()?.record.map((e) => got(rb(), e, 'unit')?.[2] ?? NaN) || [] },
  ];
  const probes = (bn) => { const r = firstRun(bn); return r ? r.record.map((e) => { const p = got(r, e, 'probe'); return p ? probeSummary(p) : null; }) : []; };
  const pxs = (bn) => () => firstRun(bn)?.record.map((e) => e.step) || [];
  const col = (bn, k) => () => probes(bn).map((p) => (p ? p[k] : NaN));
  lab.charts.smLoss.series = CONFIGS.map((c) => ({ label: c.label, color: c.color, width: 1.8, x: pxs(c.bn), y: col(c.bn, 'loss'), lo: col(c.bn, 'lossMin'), hi: col(c.bn, 'lossMax') }));
  lab.charts.smGrad.series = CONFIGS.map((c) => ({ label: c.label, color: c.color, width: 1.8, x: pxs(c.bn), y: col(c.bn, 'gradMax'), lo: col(c.bn, 'gradMin'), hi: col(c.bn, 'gradMax') }));
  lab.charts.smBeta.series = CONFIGS.map((c) => ({ label: c.label, color: c.color, width: 1.8, x: pxs(c.bn), y: col(c.bn, 'beta') }));
  const satField = (r, e, l) => { const ins = e.inspection; if (!ins) return NaN; const f = ins.fields.indexOf('saturated_fraction'); return ins.stats[l * ins.fields.length + f]; };
  lab.charts.sat.series = CONFIGS.flatMap((c) => [0, 1, 2].map((l) => ({
    label: `${c.bn ? 'BN' : 'plain'}: layer ${l + 1}`, color: COLORS[[0, 2, 4][l]], dash: c.bn ? null : [5, 3], width: c.bn ? 2 : 1.5,
    x: pxs(c.bn), y: () => firstRun(c.bn)?.record.map((e) => satField(firstRun(c.bn), e, l)) || [],
  })));
  for (const c of Object.values(lab.charts)) (Array.isArray(c) ? c : [c]).forEach((x) => x.requestDraw());
}

function drawLive() {
  lab.stats = [stats(false), stats(true)];
  const v = V();
  // Every chart through requestDraw: a frame draws at most ~8 ms of them (shared/hidpi.js), so
  // ten canvases changing at once are spread over a few frames.
  for (const c of [lab.charts.acc, ...lab.charts.pct, lab.charts.running, lab.charts.smLoss, lab.charts.smGrad, lab.charts.smBeta, lab.charts.sat]) c.requestDraw();
  drawHists();
  // The diverged runs of the first pair, marked where their curve ends.
  lab.charts.acc.marks = lab.runs.filter((r) => r.result?.diverged_at_step != null).map((r) => ({ x: r.result.diverged_at_step, y: 0.1, color: r.color, shape: 'cross', label: `${r.label}, seed ${r.seed}: diverged at step ${r.result.diverged_at_step}` }));
  const done = lab.runs.filter((r) => r.done).length, total = lab.runs.length;
  const at = lab.runs.reduce((a, r) => a + (r.done ? v.steps : r.record.length ? r.record[r.record.length - 1].step : 0), 0);
  $('progress').value = total ? at / (total * v.steps) : 0;
  $('counter').textContent = `${done} / ${total} runs`;
  $('acc-title').textContent = v.mode === 'train' ? `Validation accuracy, model.train() (batch statistics of ${v.batch} images)` : 'Validation accuracy, model.eval() (running statistics)';
  const tb = $('summary').querySelector('tbody');
  tb.replaceChildren(...lab.stats.map((s, i) => {
    const r = firstRun(CONFIGS[i].bn), last = r?.record.at(-1), pct = last ? got(r, last, 'pct') : null;
    const cells = [CONFIGS[i].label];
    if (s) {
      const k = s.acc.med.length - 1, f = firstAt(s, 0.9);
      cells.push(sig(accAt(s, 50), 3), f == null ? 'not yet' : String(f), `${sig(s.acc.med[k], 3)} [${sig(s.acc.lo[k], 3)}, ${sig(s.acc.hi[k], 3)}]`, pct ? pct.map((x) => x.toFixed(2)).join(' / ') + ` (step ${last.step})` : '—');
    } else cells.push('—', '—', '—', '—');
    return row(cells);
  }));
  for (const k of [0, 1]) {
    const r = firstRun(!!k);
    $(`pct-cap-${k}`).textContent = `${k ? (v.place === 'after' ? 'batch norm after the sigmoids: Wu + b of normalized u' : 'with batch norm: γx̂ + β') : 'without batch norm: Wu + b'} — unit ${v.unit} of hidden layer 3, seed ${v.seed}${r?.result?.diverged_at_step != null ? ` (diverged at step ${r.result.diverged_at_step})` : ''}`;
  }
  drawInference();
}

function drawInference() {
  const I = lab.inference, tb = $('infer').querySelector('tbody');
  if (!I) { tb.replaceChildren(row(['after the first batch-normalized run has trained', '', ''])); return; }
  const pc = (e) => `${(100 * e.val_accuracy).toFixed(1)}%`;
  tb.replaceChildren(
    row(['running averages — model.eval()', sig(I.running.val_loss, 4), pc(I.running)]),
    row([`each batch of ${I.m} — model.train() statistics`, sig(I.batch.val_loss, 4), pc(I.batch)]),
    row(['a batch of one image — σ_B² = 0, every unit = β', sig(I.one.val_loss, 4), pc(I.one)]),
    row(['population statistics (Alg. 2, after training)', sig(I.population.val_loss, 4), pc(I.population)]),
  );
}
function row(cells) { const tr = document.createElement('tr'); for (const c of cells) { const td = document.createElement('td'); td.textContent = c; tr.append(td); } return tr; }

function status(text, bad = false) { const el = $('status-line'); el.textContent = text; el.classList.toggle('bad', bad); }

// ---- the probe pair: Bjorck's relative loss and weight-scale invariance ------------------------
async function probePair() {
  const P = lab.pair;
  if (!P || P.busy) return;
  P.busy = true;
  try {
    const res = await Promise.all(P.trainers.map(async (t) => ({ g: await t.call('gradientProbe', BJORCK_ETAS), w: await t.call('weightScaleProbe', 1, SCALES) })));
    if (lab.pair !== P) return;
    P.bjorck = res.map((r) => r.g); P.scale = res.map((r) => r.w);
    drawPair();
  } catch (e) { $('probe-status').textContent = errorMessage(e); } finally { P.busy = false; }
}
async function probeStep() {
  const P = lab.pair;
  if (!P || P.busy) return;
  P.busy = true;
  try { await Promise.all(P.trainers.map((t) => t.step(25))); } catch (e) { $('probe-status').textContent = errorMessage(e); } finally { P.busy = false; }
  await probePair();
}
function drawPair() {
  const P = lab.pair;
  const step = P?.trainers[0].steps ?? 0;
  $('probe-status').textContent = `step ${step}`;
  $('bj-cap').textContent = `relative loss L(θ − ηg)/L(θ) at step ${step}`;
  lab.charts.bjorck.series = CONFIGS.map((c, i) => ({ label: c.label, color: c.color, shape: c.shape, points: true, width: 2, x: () => BJORCK_ETAS, y: () => (P?.bjorck ? Array.from(P.bjorck[i].losses, (l) => l / P.bjorck[i].loss) : []) }));
  lab.charts.bjorck.hlines = [{ y: 1, label: 'no change', color: COLORS[3], dash: [2, 3] }];
  lab.charts.bjorck.vlines = [{ x: V().lr, label: `lr ${V().lr}`, color: COLORS[3], dash: [4, 3] }];
  lab.charts.wscale.series = CONFIGS.map((c, i) => ({ label: c.label, color: c.color, shape: c.shape, points: true, width: 2, x: () => SCALES, y: () => (P?.scale ? P.scale[i].loss : []) }));
  if (P?.scale) {
    const g = (i, a) => P.scale[i].grad_norm[SCALES.indexOf(a)] * a;
    $('ws-cap').textContent = `hidden layer 2's W and b × a, step ${step}: loss; a·‖∂L/∂W‖ with batch norm ${sig(g(1, 0.1), 3)} (a = 0.1) … ${sig(g(1, 10), 3)} (a = 10), without ${sig(g(0, 0.1), 3)} … ${sig(g(0, 10), 3)}`;
  }
  lab.charts.bjorck.requestDraw(); lab.charts.wscale.requestDraw();
}

// ---- the learning-rate sweep -------------------------------------------------------------------
function cancelSweep() { lab.lrSweep?.handle?.cancel(); lab.lrSweep = null; drawSweep(); }

function runSweep() {
  const v = V();
  if (lab.lrSweep?.handle) return;
  let rates;
  try { rates = parseRates(v.lrs); } catch (e) { $('sweep-status').textContent = e.message; return; }
  const seeds = seedsOf(v, v['sweep.seeds']), steps = v['sweep.steps'];
  const points = rates.flatMap((lr) => CONFIGS.map((c) => ({ lr, bn: c.bn, acc: [], p50: [], diverged: [] })));
  const jobs = [], owners = [];
  for (const pt of points) for (const seed of seeds) { jobs.push({ op: 'trainRecord', spec: runSpec(v, lab.csv, { seed, bn: pt.bn, lr: pt.lr }), steps, calls: [['unitPercentiles', LAST_HIDDEN, v.unit, [50]]] }); owners.push(pt); }
  const handle = getPool().sweep(jobs);
  const S = { points, handle, done: 0, total: jobs.length, t0: performance.now(), steps };
  lab.lrSweep = S;
  handle.onProgress = (done, total, i, res) => {
    const pt = owners[i];
    pt.acc.push(res.final.val_accuracy); pt.p50.push(res.calls[0][0]); pt.diverged.push(res.diverged_at_step);
    S.done = done;
    drawSweep();
  };
  handle.results.then(() => { S.handle = null; S.ms = performance.now() - S.t0; drawSweep(); announce($('sweep-status').textContent); }, (e) => { S.handle = null; S.error = /cancelled/.test(e.message) ? 'stopped' : e.message; drawSweep(); });
  drawSweep();
}

function drawSweep() {
  const S = lab.lrSweep, chart = lab.charts.sweep;
  if (!chart) return;
  const tb = $('sweep-table').querySelector('tbody');
  if (!S) { chart.series = []; chart.marks = []; chart.requestDraw(); $('sweep-status').textContent = ''; tb.replaceChildren(row(['press Sweep', '', '', '', ''])); return; }
  chart.series = CONFIGS.map((c) => {
    const pts = S.points.filter((p) => p.bn === c.bn && p.acc.length);
    return { label: c.label, color: c.color, shape: c.shape, points: true, width: 2, x: () => pts.map((p) => p.lr), y: () => pts.map((p) => median(p.acc)), lo: () => pts.map((p) => Math.min(...p.acc)), hi: () => pts.map((p) => Math.max(...p.acc)) };
  });
  chart.marks = S.points.filter((p) => p.diverged.some((d) => d != null)).map((p) => ({ x: p.lr, y: 0.05, color: CONFIGS[p.bn ? 1 : 0].color, shape: 'cross', label: `${p.bn ? 'BN' : 'plain'} lr ${p.lr}: diverged` }));
  chart.hlines = [{ y: 0.1, label: 'chance', color: COLORS[3], dash: [2, 3] }];
  chart.requestDraw();
  const rates = [...new Set(S.points.map((p) => p.lr))];
  tb.replaceChildren(...rates.map((lr) => {
    const cell = (bn) => { const p = S.points.find((q) => q.lr === lr && q.bn === bn); if (!p.acc.length) return ['…', '…']; const d = p.diverged.filter((x) => x != null); return [`${sig(median(p.acc), 3)}${d.length ? ` (diverged at step ${d.join(', ')})` : ''}`, sig(median(p.p50), 3)]; };
    return row([String(lr), ...cell(false), ...cell(true)]);
  }));
  $('sweep-status').textContent = S.error ? S.error : S.handle ? `${S.done} / ${S.total} runs…` : `${S.total} runs of ${S.steps} steps in ${(S.ms / 1000).toFixed(1)} s`;
}

// ---- controls ----------------------------------------------------------------------------------
function setupControls() {
  const pre = $('preset');
  pre.append(new Option('— your own experiment —', ''));
  for (const p of PRESETS) pre.append(new Option(p.title, p.id));
  pre.addEventListener('change', () => loadPreset(pre.value));
  for (const key of ['sigma', 'lr', 'batch', 'steps', 'every', 'seeds', 'seed', 'unit', 'delta', 'lrs']) lab.fields.bind($(key), key);
  lab.fields.bind($('sweep-steps'), 'sweep.steps', { label: 'sweep steps' });
  lab.fields.bind($('sweep-seeds'), 'sweep.seeds', { label: 'sweep seeds' });
  seedButtons(lab.fields);
  $('mode-eval').addEventListener('click', () => set({ mode: 'eval' }));
  $('mode-train').addEventListener('click', () => set({ mode: 'train' }));
  for (const r of ['torch', 'lecture', 'cumulative']) $(`run-${r}`).addEventListener('click', () => set({ running: r }));
  for (const p of ['before', 'after']) $(`place-${p}`).addEventListener('click', () => set({ place: p }));
  $('play').addEventListener('click', toggle);
  $('reset').addEventListener('click', reset);
  $('sweep').addEventListener('click', runSweep);
  $('probe-step').addEventListener('click', probeStep);
  $('hist-at').addEventListener('input', () => { const el = $('hist-at'); lab.histFollow = el.value === el.max; drawHists(); });
  bindCopyLink($('copy-link'), lab.S);
  $('exp-png').addEventListener('click', () => savePNG([
    { canvas: $('acc'), title: `Validation accuracy: ${describe()}` }, { canvas: $('pct-0'), title: $('pct-cap-0').textContent }, { canvas: $('pct-1'), title: $('pct-cap-1').textContent },
    { canvas: $('sweep-chart'), title: 'Accuracy against the learning rate' }, { canvas: $('sm-loss'), title: 'Loss range along the gradient' }, { canvas: $('sm-beta'), title: 'Effective β-smoothness' },
  ], 'Batch normalization', `batchnorm-${stamp()}.png`));
  $('exp-csv').addEventListener('click', exportCSV);
  $('exp-json').addEventListener('click', exportJSON);
  $('exp-py').addEventListener('click', () => exportPython(true));
  $('exp-py-plain').addEventListener('click', () => exportPython(false));
}

function syncControls() {
  const v = V();
  const p = presetById(v.lesson || v.preset);
  $('preset').value = v.lesson || v.preset || '';
  $('preset-note').textContent = p ? p.note : lab.defaultNote;
  for (const [id, on] of [['mode-eval', v.mode === 'eval'], ['mode-train', v.mode === 'train'], ['run-torch', v.running === 'torch'], ['run-lecture', v.running === 'lecture'], ['run-cumulative', v.running === 'cumulative'], ['place-before', v.place === 'before'], ['place-after', v.place === 'after']]) $(id).setAttribute('aria-checked', String(on));
  lab.fields.sync();
  const m = mapping(v);
  $('delta-out').textContent = m.delta;
  const every = everyFor(v);
  $('every-note').textContent = every > v.every ? `steps — this run: every ${every} (at most ${MAX_EVALS} evaluations per run)` : 'steps';
  $('torch-code').textContent = `${m.code}\nopt = torch.optim.SGD(net.parameters(), lr=${v.lr})\nnet.train()  # batch statistics; running averages updated\n...\nnet.eval()   # running averages: what inference uses`;
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

// ---- export ------------------------------------------------------------------------------------
function tables() {
  const runs = { configuration: [], seed: [], step: [], train_loss: [], val_loss: [], val_accuracy_eval: [], val_accuracy_train_mode: [], unit_p15: [], unit_p50: [], unit_p85: [] };
  for (const r of lab.runs) for (const e of r.record) {
    runs.configuration.push(r.label); runs.seed.push(r.seed); runs.step.push(e.step);
    runs.train_loss.push(e.evaluation.train_loss); runs.val_loss.push(e.evaluation.val_loss); runs.val_accuracy_eval.push(e.evaluation.val_accuracy);
    runs.val_accuracy_train_mode.push(r.bn ? got(r, e, 'train')?.val_accuracy ?? NaN : e.evaluation.val_accuracy);
    const p = got(r, e, 'pct') || [NaN, NaN, NaN];
    runs.unit_p15.push(p[0]); runs.unit_p50.push(p[1]); runs.unit_p85.push(p[2]);
  }
  const probes = { configuration: [], step: [], loss: [], loss_min: [], loss_max: [], grad_change_min: [], grad_change_max: [], beta: [] };
  for (const bn of [false, true]) {
    const r = firstRun(bn);
    for (const e of r?.record || []) {
      const p = got(r, e, 'probe');
      if (!p) continue;
      const s = probeSummary(p);
      probes.configuration.push(r.label); probes.step.push(e.step); probes.loss.push(s.loss); probes.loss_min.push(s.lossMin); probes.loss_max.push(s.lossMax);
      probes.grad_change_min.push(s.gradMin); probes.grad_change_max.push(s.gradMax); probes.beta.push(s.beta);
    }
  }
  const sweep = { lr: [], configuration: [], seed_index: [], val_accuracy: [], unit_p50: [], diverged_at_step: [] };
  for (const p of lab.lrSweep?.points || []) p.acc.forEach((a, k) => { sweep.lr.push(p.lr); sweep.configuration.push(p.bn ? 'batch norm' : 'no batch norm'); sweep.seed_index.push(k); sweep.val_accuracy.push(a); sweep.unit_p50.push(p.p50[k]); sweep.diverged_at_step.push(p.diverged[k] ?? ''); });
  // The first pair's sigmoid-input histograms at every recorded step (hidden layers).
  const hist = { configuration: [], step: [], layer: [], bin_lo: [], bin_hi: [], fraction: [], saturated_fraction: [] };
  for (const c of CONFIGS) {
    const r = firstRun(c.bn);
    for (const e of r?.record || []) {
      const ins = e.inspection;
      if (!ins) continue;
      const sf = ins.fields.indexOf('saturated_fraction');
      for (let l = 0; l < Math.min(ins.layers, LAST_HIDDEN + 1); l++) {
        const lo = ins.ranges[l * 6 + 2], hi = ins.ranges[l * 6 + 3];
        for (let b = 0; b < ins.bins; b++) {
          hist.configuration.push(r.label); hist.step.push(e.step); hist.layer.push(l + 1);
          hist.bin_lo.push(lo + ((hi - lo) * b) / ins.bins); hist.bin_hi.push(lo + ((hi - lo) * (b + 1)) / ins.bins);
          hist.fraction.push(ins.preactivation[l * ins.bins + b]); hist.saturated_fraction.push(ins.stats[l * ins.fields.length + sf]);
        }
      }
    }
  }
  return { runs, probes, lr_sweep: sweep, sigmoid_input_histograms: hist };
}
function exportCSV() { downloadTables(`batchnorm-${stamp()}`, tables()); }
function exportJSON() {
  const P = lab.pair;
  const doc = {
    generator: 'optplay batch-normalization lab', url: lab.S.shareUrl(), settings: { ...V() },
    runs: lab.runs.map((r) => ({ configuration: r.label, seed: r.seed, spec: { ...r.spec, data: { ...r.spec.data, csv: `www/data/${DIGITS.file}` } }, record: r.record.map((e) => ({ step: e.step, ...e.evaluation })), done: r.done, diverged_at_step: r.result?.diverged_at_step ?? null })),
    inference: lab.inference,
    bjorck: P?.bjorck ? { step: P.trainers[0].steps, etas: BJORCK_ETAS, relative_loss: Object.fromEntries(CONFIGS.map((c, i) => [c.label, Array.from(P.bjorck[i].losses, (l) => l / P.bjorck[i].loss)])) } : null,
    weight_scale: P?.scale ? { layer: 1, scales: SCALES, ...Object.fromEntries(CONFIGS.map((c, i) => [c.label, { loss: Array.from(P.scale[i].loss), grad_norm: Array.from(P.scale[i].grad_norm) }])) } : null,
    lr_sweep: tables().lr_sweep,
  };
  download(`batchnorm-${stamp()}.json`, JSON.stringify(doc, null, 1), 'application/json');
  announce('JSON saved.');
}
async function exportPython(bn) {
  try {
    const P = lab.pair;
    if (!P) throw new Error('no network yet');
    const k = bn ? 1 : 0, snap = await P.snapshots[k], spec = P.specs[k], v = V();
    const run = firstRun(bn);
    const losses = run?.result?.losses ? Array.from(run.result.losses) : [];
    const src = networkScript(spec, {
      title: `Batch-normalization lab: 64-100-100-100-10 sigmoid ${bn ? 'with BatchNorm1d before every sigmoid' : 'without batch norm'}, W ~ N(0, ${v.sigma}^2), SGD lr ${v.lr}, batch ${v.batch}, seed ${v.seed}`,
      data: { kind: 'csv', file: DIGITS.file, b64: await deflateBase64(lab.csv) }, initialParams: snap.initialParams, steps: v.steps,
      expected: losses.length ? { losses, diverged_at_step: run.result.diverged_at_step, steps: run.result.steps, train_loss: run.result.final.train_loss, train_errors: run.result.final.train_errors } : undefined,
    });
    download(`batchnorm-${bn ? 'bn' : 'plain'}-${stamp()}.py`, src, 'text/x-python');
    announce(losses.length ? 'PyTorch script saved.' : 'PyTorch script saved (press Play first to embed the playground\'s loss curve for comparison).');
  } catch (e) { announce(`Export failed: ${errorMessage(e)}`); }
}
