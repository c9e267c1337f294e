// The dropout lab (the lecture's last slides): the units a trainer knocked out in three
// consecutive mini-batches, and the same digits network trained with and without dropout over
// several seeds (median and range), its best validation step (early stopping), the test-time
// rules (PyTorch's inverted dropout ≡ weight scaling, ConvNetJS's wrong scaling, Monte-Carlo
// averaging) and sweeps of the drop probability and the training-set size. Every run is a
// `trainRecord` job of the worker pool (shared/pool.js), streamed as it goes; the page only draws.
// State: ONE `values` map behind nn/dropout-config.js's URL table.
import { pageParams } from './shared/state.js';
import { loadEngine, errorMessage } from './shared/engine.js';
import { UrlState, poolTransport, seedButtons, earlyNote, downloadTables, startPage, applyLock, bindKeys, bindCopyLink, savePNG, stamp, fatal, announce, download, fetchData, exposeNetLab, whenVisible, sweepProgress } from './shared/labkit.js';
import { XYChart } from './shared/xychart.js';
import { MaskDiagram } from './shared/maskdiagram.js';
import { Boundary } from './shared/boundary.js';
import { FrameLoop } from './shared/trainloop.js';
import { getPool } from './shared/pool.js';
import { Fields } from './shared/fields.js';
import { COLORS } from './shared/palette.js';
import { sig } from './shared/format.js';
import { networkScript, remoteSnapshot } from './shared/torch-nn.js';
import { deflateBase64 } from './shared/py-engine.js';
import { presetFromQuery } from './nn/common.js';
import { PRESETS, PRESET_IDS, EMBED_EXTRAS, DIGITS, N_VAL, P_GRID, SIZE_GRID, WIDTH_GRID, presetById, baseFor, buildTable, runSpec, moonsSpec, seedsOf, band, median, argmin, mapping } from './nn/dropout-config.js';

const $ = (id) => document.getElementById(id);
const RUN_KEYS = /^(train|p|p\.in|gran|hidden|lr|momentum|batch|steps|every|seeds|seed)$/;
const CONFIGS = [
  { drop: false, label: 'no dropout', color: COLORS[1], shape: 'square' },
  { drop: true, label: 'dropout', color: COLORS[0], shape: 'circle' },
];

const lab = { E: null, S: null, locked: false, playing: false, loop: null, charts: {}, masks: [], runs: [], sweep: null, csv: null, picture: null, token: 0, sweeps: { p: null, n: null, w: null } };
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
  startPage(lab.S, () => { for (const c of Object.values(lab.charts)) c.requestDraw(); for (const m of lab.masks) m.requestDraw(); }, EMBED_EXTRAS);
  setupCharts();
  setupControls();
  // While the workers train, the page redraws at most ~8 times a second and only after new
  // records: on a 2-core machine every millisecond of drawing is taken from the training.
  lab.loop = new FrameLoop({ work: () => lab.playing, draw: (now) => { if (lab.dirty && now - (lab.drawnAt || 0) >= 120) { lab.dirty = false; lab.drawnAt = now; drawLive(); } }, budgetMs: 6, onError: (e) => { status(`Stopped: ${errorMessage(e)}`, true); pause(); } });
  syncControls();
  lockNow();
  bindKeys({ toggle, step: nextMasks, reset });
  status('Loading the digits…');
  try { lab.csv = await fetchData(DIGITS.file); } catch (e) { status(`Could not load the data: ${errorMessage(e)}`, true); return; }
  await rebuild();
  document.body.classList.add('ready');
  exposeNetLab('dropout', lab, {
    set, play, pause, step: nextMasks, reset, suspend: (on) => getPool().suspend(on),
    progress: () => sweepProgress(lab.runs), done: () => lab.runs.length > 0 && lab.runs.every((r) => r.done), summary: () => ({ text: summaryText() }),
  });
}

const V = () => lab.S.values;

function set(changes) {
  const changed = lab.S.set(changes);
  const has = (re) => changed.some((k) => re.test(k));
  if (has(RUN_KEYS)) { pause(); rebuild(); }
  if (has(/^loss$/)) updateCharts();
  if (has(/^mc$/) && !has(RUN_KEYS)) status(`k = ${V().mc} thinned networks: used by the next Play (the average is taken when a run ends).`);
  if (changed.length) { syncControls(); drawLive(); }
}

// ---- the runs ----------------------------------------------------------------------------------
function newRuns() {
  const v = V();
  return CONFIGS.flatMap((c) => seedsOf(v).map((seed) => ({ ...c, seed, spec: runSpec(v, lab.csv, { seed, drop: c.drop }), record: [], done: false, result: null })));
}

/** A fresh experiment: the picture's network (the first dropout run) and empty curves. */
async function rebuild() {
  const v = V(), token = ++lab.token;
  cancelSweeps();
  lab.picture?.trainer?.free();
  lab.picture = null;
  buildMoons(token);
  lab.runs = newRuns();
  lab.inference = null;
  updateCharts();
  const spec = runSpec(v, lab.csv, { seed: v.seed });
  let trainer;
  try { trainer = await getPool().trainer(spec); } catch (e) { status(errorMessage(e), true); return; }
  if (token !== lab.token) { trainer.free(); return; }
  lab.picture = { trainer, spec, snapshot: remoteSnapshot(trainer, spec), shots: [] };
  $('val-note').textContent = `+ the same ${N_VAL} validation images`;
  await nextMasks();
  if (token !== lab.token) return;
  status(`${lab.runs.length} runs ready: ${describe()}. Press Play.`);
  drawLive();
}

function describe() {
  const v = V(), s = lab.runs[0]?.spec;
  return s ? `${s.layer_sizes.join('-')} ReLU, ${v.train} training images, SGD lr ${v.lr}${v.momentum ? ` momentum ${v.momentum}` : ''}, batch ${v.batch}, ${v.steps} steps, ${v.seeds} seed${v.seeds > 1 ? 's' : ''} each` : '';
}

/** Three more mini-batches of the picture's network: one step each, its masks after the step. */
async function nextMasks() {
  const P = lab.picture;
  if (!P || P.busy) return;
  P.busy = true;
  try {
    const shots = [];
    for (let k = 0; k < 3; k++) {
      await P.trainer.step(1);
      shots.push({ step: P.trainer.steps, masks: await P.trainer.call('masks', 0) });
    }
    if (lab.picture !== P) return;
    P.shots = shots;
    drawMasks();
  } catch (e) { status(`Masks: ${errorMessage(e)}`, true); } finally { P.busy = false; }
}

function drawMasks() {
  const P = lab.picture, v = V();
  const none = v.p === 0 && v['p.in'] === 0;
  lab.masks.forEach((m, k) => {
    const s = P?.shots[k];
    m.set({ sizes: P?.spec.layer_sizes, masks: s?.masks || [] });
    const kept = s?.masks?.find((x) => x.after === 1);
    $(`mask-cap-${k}`).textContent = !s ? `mini-batch ${k + 1}` : none ? `step ${s.step}: no dropout (p = 0)` : `step ${s.step}${kept ? `: ${Math.round(100 * (1 - kept.kept_fraction))}% of the hidden units out${v.gran === 'example' ? ' (all examples)' : ''}` : ''}`;
  });
  $('gran-note').textContent = v.gran === 'example'
    ? 'Per example (as nn.Dropout and the paper): every image of the mini-batch gets its own mask; the picture shows the first image\'s.'
    : 'Per mini-batch (as on the slide): the same units are out for all images of the mini-batch.';
}

function play() {
  if (!lab.runs.length || lab.sweep) return;
  if (lab.runs.every((r) => r.done)) { lab.runs = newRuns(); lab.inference = null; updateCharts(); }
  const v = V(), first = lab.runs.findIndex((r) => r.drop);
  const todo = lab.runs.filter((r) => !r.done);
  for (const r of todo) r.record = [];
  const jobs = todo.map((r) => ({
    op: 'trainRecord', spec: r.spec, steps: v.steps, every: v.every, progressMs: 200,
    ...(lab.runs.indexOf(r) === first ? { calls: [['evaluateTestRule', 'pytorch'], ['evaluateTestRule', 'convnetjs'], ['evaluateMc', v.mc, 1]] } : {}),
  }));
  trainRuns(todo, jobs, (r, res) => { if (res.calls) lab.inference = { eval: res.calls[0], convnetjs: res.calls[1], mc: res.calls[2], k: v.mc }; });
}
function toggle() { lab.playing ? pause() : play(); }

// ---- statistics --------------------------------------------------------------------------------
/** Per configuration: the step axis and median/range of each metric over its seeds. */
function stats(drop) {
  const runs = lab.runs.filter((r) => r.drop === drop && r.record.length);
  const n = Math.min(...runs.map((r) => r.record.length));
  if (!runs.length || !Number.isFinite(n) || n === 0) return null;
  const col = (f) => band(runs.map((r) => r.record.slice(0, n).map((e) => f(e.evaluation))));
  const steps = runs[0].record.slice(0, n).map((e) => e.step);
  const val = col((e) => e.val_loss), train = col((e) => e.train_loss), acc = col((e) => e.val_accuracy);
  const best = argmin(val.med);
  return { steps, val, train, acc, best, runs: runs.length };
}

function summaryText() {
  const a = stats(false), b = stats(true);
  if (!a || !b) return describe();
  const fin = (s) => s.val.med[s.val.med.length - 1];
  return `validation loss (median): without dropout best ${sig(a.val.med[a.best], 3)} at step ${a.steps[a.best]}, ${sig(fin(a), 3)} at the end; with dropout best ${sig(b.val.med[b.best], 3)} at step ${b.steps[b.best]}, ${sig(fin(b), 3)} at the end.`;
}

// ---- drawing -----------------------------------------------------------------------------------
function setupCharts() {
  lab.charts.curves = new XYChart($('curves'), { xLabel: 'step', yLabel: 'loss', logY: true, legend: 'tr', xMin: 0, empty: 'press Play: both configurations train over every seed' });
  lab.charts.acc = new XYChart($('acc'), { xLabel: 'step', yLabel: 'validation accuracy', legend: 'br', xMin: 0, yMax: 1, empty: 'press Play' });
  lab.charts.mc = new XYChart($('mc'), { xLabel: 'k thinned networks averaged', yLabel: 'validation accuracy', legend: 'br', logX: true, empty: 'after the first dropout run has trained' });
  lab.charts.sweepP = new XYChart($('sweep-p-chart'), { xLabel: 'hidden drop probability p', yLabel: 'loss', legend: 'tr', xMin: 0, xMax: 1, empty: 'press "Sweep p"' });
  lab.charts.sweepN = new XYChart($('sweep-n-chart'), { xLabel: 'training images', yLabel: 'best validation loss', legend: 'tr', logX: true, empty: 'press "Sweep the training-set size"' });
  lab.charts.sweepW = new XYChart($('sweep-w-chart'), { xLabel: 'units per hidden layer', yLabel: 'best validation loss', legend: 'tr', logX: true, empty: 'press "Sweep the width"' });
  lab.masks = [0, 1, 2].map((k) => new MaskDiagram($(`mask-${k}`)));
  lab.charts.bEval = new Boundary($('b-eval'), { res: GRID });
  lab.charts.bThin = new Boundary($('b-thin'), { res: GRID });
}

function updateCharts() {
  const v = V();
  lab.charts.curves.set({ logY: v.loss === 'log', xMax: v.steps });
  lab.charts.acc.set({ xMax: v.steps });
  lab.charts.curves.series = CONFIGS.flatMap((c) => {
    const s = () => lab.stats?.[c.drop ? 1 : 0];
    return [
      { label: `${c.label}: validation`, color: c.color, shape: c.shape, width: 2.2, x: () => s()?.steps || [], y: () => s()?.val.med || [], lo: () => s()?.val.lo, hi: () => s()?.val.hi },
      { label: `${c.label}: training`, color: c.color, dash: [5, 3], width: 1.6, x: () => s()?.steps || [], y: () => s()?.train.med || [], lo: () => s()?.train.lo, hi: () => s()?.train.hi },
    ];
  });
  lab.charts.acc.series = CONFIGS.map((c) => {
    const s = () => lab.stats?.[c.drop ? 1 : 0];
    return { label: c.label, color: c.color, shape: c.shape, width: 2, x: () => s()?.steps || [], y: () => s()?.acc.med || [], lo: () => s()?.acc.lo, hi: () => s()?.acc.hi };
  });
  for (const c of Object.values(lab.charts)) c.requestDraw();
}

function drawLive() {
  lab.stats = [stats(false), stats(true)];
  const v = V();
  lab.charts.curves.marks = lab.stats.flatMap((s, i) => (s && s.best >= 0 ? [{ x: s.steps[s.best], y: s.val.med[s.best], color: CONFIGS[i].color, shape: 'diamond' }] : []));
  lab.charts.curves.paint(); lab.charts.acc.paint();
  const done = lab.runs.filter((r) => r.done).length, total = lab.runs.length;
  const at = lab.runs.reduce((a, r) => a + (r.done ? v.steps : r.record.length ? r.record[r.record.length - 1].step : 0), 0);
  $('progress').value = total ? at / (total * v.steps) : 0;
  $('counter').textContent = `${done} / ${total} runs`;
  const tb = $('summary').querySelector('tbody');
  tb.replaceChildren(...lab.stats.map((s, i) => {
    const tr = document.createElement('tr');
    const cells = [CONFIGS[i].drop ? `dropout (input ${v['p.in']}, hidden ${v.p})` : 'no dropout'];
    if (s) {
      const last = s.val.med.length - 1, bestAcc = Math.max(...s.acc.med.filter(Number.isFinite));
      cells.push(`${sig(s.val.med[s.best], 3)} (${s.steps[s.best]})`, `${sig(s.val.med[last], 3)} [${sig(s.val.lo[last], 3)}, ${sig(s.val.hi[last], 3)}]`, `${(100 * bestAcc).toFixed(1)}%`, sig(s.train.med[last], 3));
    } else cells.push('—', '—', '—', '—');
    for (const c of cells) { const td = document.createElement('td'); td.textContent = c; tr.append(td); }
    return tr;
  }));
  drawInference();
}

function drawInference() {
  const I = lab.inference, tb = $('rules').querySelector('tbody');
  if (!I) { tb.replaceChildren(row(['after the first dropout run has trained', '', ''])); lab.charts.mc.series = []; lab.charts.mc.hlines = []; lab.charts.mc.requestDraw(); return; }
  const v = V(), k = I.mc.accuracy.length;
  tb.replaceChildren(
    row(['eval() = weight scaling', sig(I.eval.val_loss, 4), `${(100 * I.eval.val_accuracy).toFixed(1)}%`]),
    row([`ConvNetJS (×p)${v.p === 0.5 && (v['p.in'] === 0 || v['p.in'] === 0.5) ? ', p = 0.5: the same' : ''}`, sig(I.convnetjs.val_loss, 4), `${(100 * I.convnetjs.val_accuracy).toFixed(1)}%`]),
    row(['Monte-Carlo, k = 1', sig(I.mc.loss[0], 4), `${(100 * I.mc.accuracy[0]).toFixed(1)}%`]),
    row([`Monte-Carlo, k = ${k}`, sig(I.mc.loss[k - 1], 4), `${(100 * I.mc.accuracy[k - 1]).toFixed(1)}%`]),
  );
  const ks = Float64Array.from({ length: k }, (_, i) => i + 1);
  lab.charts.mc.series = [{ label: 'average of k thinned networks', color: COLORS[0], width: 2, x: () => ks, y: () => I.mc.accuracy }];
  lab.charts.mc.hlines = [{ y: I.eval.val_accuracy, label: `eval mode (weight scaling) ${(100 * I.eval.val_accuracy).toFixed(1)}%`, color: COLORS[2] }];
  lab.charts.mc.requestDraw();
}
function row(cells) { const tr = document.createElement('tr'); for (const c of cells) { const td = document.createElement('td'); td.textContent = c; tr.append(td); } return tr; }

function status(text, bad = false) { const el = $('status-line'); el.textContent = text; el.classList.toggle('bad', bad); }

// ---- the 2-D network ---------------------------------------------------------------------------
const GRID = 64;
async function buildMoons(token) {
  const B = lab.moons;
  if (B) { clearInterval(B.timer); B.trainer?.free(); }
  lab.moons = null;
  syncMoons();
  let trainer;
  try { trainer = await getPool().trainer(moonsSpec(V())); } catch (e) { $('b-counter').textContent = errorMessage(e); return; }
  if (token !== lab.token) { trainer.free(); return; }
  const M = (lab.moons = { trainer, mask: 1, thin: null, playing: false, timer: 0 });
  const ds = await trainer.call('dataset');
  if (lab.moons !== M) return;
  const pts = { x: Float32Array.from(ds.inputs), labels: Uint32Array.from(ds.labels) };
  for (const b of [lab.charts.bEval, lab.charts.bThin]) { b.clear(); b.points = pts; b.fit(pts); }
  lab.charts.bEval.predict = (nx, ny, view) => (trainer.grid && trainer.gridSize[0] === nx && trainer.gridView.every((x, i) => x === view[i]) ? trainer.grid : null);
  lab.charts.bThin.predict = (nx) => (M.thin && M.thinN === nx ? M.thin : null);
  trainer.onTick = () => { $('b-counter').textContent = `step ${trainer.steps}`; lab.charts.bEval.requestDraw(); if (!trainer.playing) { M.playing = false; syncMoons(); } };
  await trainer.refresh({ grid: { nx: GRID, ny: GRID, view: lab.charts.bEval.view } });
  await thinMask();
}
/** The thinned network of mask `M.mask` over the whole plane (one mask, every grid point). */
async function thinMask() {
  const M = lab.moons;
  if (!M || M.busy) return;
  M.busy = true;
  try {
    const v = lab.charts.bThin.view;
    const g = await M.trainer.call('predictGridThinned', GRID, GRID, v[0], v[1], v[2], v[3], M.mask);
    if (lab.moons !== M) return;
    M.thin = g; M.thinN = GRID;
    $('b-thin-cap').textContent = V().p > 0 ? `one thinned network: mask ${M.mask}, step ${M.trainer.steps}` : 'p = 0: no units dropped (the same network)';
    lab.charts.bThin.requestDraw();
  } catch (e) { $('b-thin-cap').textContent = errorMessage(e); } finally { M.busy = false; }
}
function toggleMoons() {
  const M = lab.moons;
  if (!M) return;
  if (M.playing) { M.playing = false; M.trainer.pause(); clearInterval(M.timer); M.timer = 0; }
  else {
    M.playing = true;
    M.trainer.play({ speed: 1500, untilSteps: M.trainer.steps + 6000, grid: { nx: GRID, ny: GRID, view: lab.charts.bEval.view, everyMs: 100 }, final: { grid: true } });
    M.timer = setInterval(() => { if (!M.playing) { clearInterval(M.timer); M.timer = 0; return; } M.mask++; thinMask(); }, 500);
  }
  syncMoons();
}
function syncMoons() { const M = lab.moons; $('b-play').textContent = M?.playing ? '❚❚ Pause' : '▶ Train'; $('b-play').setAttribute('aria-pressed', String(!!M?.playing)); }

// ---- sweeps ------------------------------------------------------------------------------------
function cancelSweeps() { for (const k of ['p', 'n', 'w']) { lab.sweeps[k]?.handle?.cancel(); lab.sweeps[k] = null; } drawSweeps(); }

/** Runs of a grid, seeds as set (at most 3 per point: the median of the best validation loss). */
function runSweep(kind) {
  const v = V();
  if (lab.sweeps[kind]?.handle) return;
  const seeds = seedsOf(v).slice(0, 3), every = Math.max(v.every, Math.round(v.steps / 30));
  const points = kind === 'p'
    ? P_GRID.map((p) => ({ x: p, series: 'dropout', spec: (seed) => runSpec(v, lab.csv, { seed, p }) }))
    : kind === 'n' ? SIZE_GRID.flatMap((n) => CONFIGS.map((c) => ({ x: n, series: c.label, spec: (seed) => runSpec(v, lab.csv, { seed, drop: c.drop, train: n }) })))
      : WIDTH_GRID.flatMap((w) => CONFIGS.map((c) => ({ x: w, series: c.label, spec: (seed) => runSpec(v, lab.csv, { seed, drop: c.drop, hidden: v.hidden.split('-').map(() => w).join('-') }) })));
  const jobs = [], owners = [];
  for (const pt of points) { pt.best = []; pt.train = []; for (const seed of seeds) { jobs.push({ op: 'trainRecord', spec: pt.spec(seed), steps: v.steps, every }); owners.push(pt); } }
  const handle = getPool().sweep(jobs);
  const S = { kind, points, handle, done: 0, total: jobs.length, t0: performance.now() };
  lab.sweeps[kind] = S;
  handle.onProgress = (done, total, i, res) => {
    const pt = owners[i];
    pt.best.push(Math.min(...res.record.map((e) => e.evaluation.val_loss).filter(Number.isFinite)));
    pt.train.push(res.final.train_loss);
    S.done = done;
    drawSweeps();
  };
  handle.results.then(() => { S.handle = null; S.ms = performance.now() - S.t0; drawSweeps(); announce($('sweep-status').textContent); }, (e) => { S.handle = null; S.error = /cancelled/.test(e.message) ? 'stopped' : e.message; drawSweeps(); });
  drawSweeps();
}

function drawSweeps() {
  const parts = [];
  for (const [kind, chart] of [['p', lab.charts.sweepP], ['n', lab.charts.sweepN], ['w', lab.charts.sweepW]]) {
    const S = lab.sweeps[kind];
    if (!chart) continue;
    if (!S) { chart.series = []; chart.requestDraw(); continue; }
    const names = [...new Set(S.points.map((p) => p.series))];
    chart.series = names.flatMap((name, i) => {
      const pts = S.points.filter((p) => p.series === name && p.best.length);
      const c = kind === 'p' ? CONFIGS[1] : CONFIGS.find((k) => k.label === name) || CONFIGS[i];
      const xs = pts.map((p) => p.x);
      const out = [{ label: kind === 'p' ? 'best validation loss' : `${name}: best validation loss`, color: c.color, shape: c.shape, points: true, width: 2, x: () => xs, y: () => pts.map((p) => median(p.best)) }];
      if (kind === 'p') out.push({ label: 'training loss at the end', color: COLORS[2], dash: [5, 3], points: true, width: 1.6, x: () => xs, y: () => pts.map((p) => median(p.train)) });
      return out;
    });
    chart.requestDraw();
    parts.push(`${{ p: 'p', n: 'size', w: 'width' }[kind]}: ${S.error ? S.error : S.handle ? `${S.done} / ${S.total} runs…` : `${S.total} runs in ${(S.ms / 1000).toFixed(1)} s`}`);
  }
  $('sweep-status').textContent = parts.join(' · ');
}

// ---- controls ----------------------------------------------------------------------------------
function setupControls() {
  const pre = $('preset');
  pre.append(new Option('— your own experiment —', ''));
  for (const p of PRESETS) pre.append(new Option(p.title, p.id));
  pre.addEventListener('change', () => loadPreset(pre.value));
  for (const key of ['p', 'train', 'hidden', 'lr', 'momentum', 'batch', 'steps', 'every', 'seeds', 'seed']) lab.fields.bind($(key), key);
  lab.fields.bind($('p-in'), 'p.in', { label: 'input p' });
  lab.fields.bind($('mc-k'), 'mc', { label: 'k' });
  seedButtons(lab.fields);
  $('gran-example').addEventListener('click', () => set({ gran: 'example' }));
  $('gran-batch').addEventListener('click', () => set({ gran: 'batch' }));
  $('ls-log').addEventListener('click', () => set({ loss: 'log' }));
  $('ls-lin').addEventListener('click', () => set({ loss: 'linear' }));
  $('play').addEventListener('click', toggle);
  $('step').addEventListener('click', nextMasks);
  $('next-masks').addEventListener('click', nextMasks);
  $('reset').addEventListener('click', reset);
  $('sweep-p').addEventListener('click', () => runSweep('p'));
  $('sweep-n').addEventListener('click', () => runSweep('n'));
  $('sweep-w').addEventListener('click', () => runSweep('w'));
  $('b-play').addEventListener('click', toggleMoons);
  $('b-mask').addEventListener('click', () => { if (lab.moons) { lab.moons.mask++; thinMask(); } });
  bindCopyLink($('copy-link'), lab.S);
  $('exp-png').addEventListener('click', () => savePNG([
    { canvas: $('mask-0'), title: 'mini-batch 1' }, { canvas: $('mask-1'), title: 'mini-batch 2' }, { canvas: $('mask-2'), title: 'mini-batch 3' },
    { canvas: $('curves'), title: `Loss: ${describe()}` }, { canvas: $('acc'), title: 'Validation accuracy' },
  ], 'Dropout', `dropout-${stamp()}.png`));
  $('exp-csv').addEventListener('click', exportCSV);
  $('exp-json').addEventListener('click', exportJSON);
  $('exp-py').addEventListener('click', exportPython);
}

function syncControls() {
  const v = V();
  const p = presetById(v.lesson || v.preset);
  $('preset').value = v.lesson || v.preset || '';
  $('preset-note').textContent = p ? p.note : lab.defaultNote;
  for (const [id, on] of [['gran-example', v.gran === 'example'], ['gran-batch', v.gran === 'batch'], ['ls-log', v.loss === 'log'], ['ls-lin', v.loss === 'linear']]) $(id).setAttribute('aria-checked', String(on));
  lab.fields.sync();
  const m = mapping(v);
  $('keep-h').textContent = String(m.keep); $('keep-in').textContent = String(m.keepIn);
  $('torch-code').textContent = `${m.code}\nopt = torch.optim.SGD(net.parameters(), lr=${v.lr}${v.momentum ? `, momentum=${v.momentum}` : ''})\nnet.train()  # masks drawn, survivors scaled by 1/(1 - p)\n...\nnet.eval()   # dropout is the identity: evaluation and inference`;
  drawMasks();
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
  const runs = { configuration: [], seed: [], step: [], train_loss: [], train_accuracy: [], val_loss: [], val_accuracy: [] };
  for (const r of lab.runs) for (const e of r.record) {
    runs.configuration.push(r.label); runs.seed.push(r.seed); runs.step.push(e.step);
    for (const k of ['train_loss', 'train_accuracy', 'val_loss', 'val_accuracy']) runs[k].push(e.evaluation[k]);
  }
  const bands = { configuration: [], step: [] };
  for (const m of ['val_loss', 'train_loss', 'val_accuracy']) for (const q of ['median', 'min', 'max']) bands[`${m}_${q}`] = [];
  lab.stats?.forEach((s, i) => {
    if (!s) return;
    s.steps.forEach((st, j) => {
      bands.configuration.push(CONFIGS[i].label); bands.step.push(st);
      for (const [m, b] of [['val_loss', s.val], ['train_loss', s.train], ['val_accuracy', s.acc]]) { bands[`${m}_median`].push(b.med[j]); bands[`${m}_min`].push(b.lo[j]); bands[`${m}_max`].push(b.hi[j]); }
    });
  });
  const sweeps = { sweep: [], x: [], series: [], seed_index: [], best_val_loss: [], final_train_loss: [] };
  for (const S of Object.values(lab.sweeps)) if (S) for (const p of S.points) p.best.forEach((b, k) => { sweeps.sweep.push({ p: 'drop probability', n: 'training images', w: 'hidden width' }[S.kind]); sweeps.x.push(p.x); sweeps.series.push(p.series); sweeps.seed_index.push(k); sweeps.best_val_loss.push(b); sweeps.final_train_loss.push(p.train[k]); });
  const mc = { k: [], val_loss: [], val_accuracy: [] };
  if (lab.inference) lab.inference.mc.loss.forEach((l, i) => { mc.k.push(i + 1); mc.val_loss.push(l); mc.val_accuracy.push(lab.inference.mc.accuracy[i]); });
  return { runs, bands, sweeps, monte_carlo: mc };
}
function exportCSV() { downloadTables(`dropout-${stamp()}`, tables()); }
function exportJSON() {
  const doc = {
    generator: 'optplay dropout lab', url: lab.S.shareUrl(), settings: { ...V() },
    runs: lab.runs.map((r) => ({ configuration: r.label, seed: r.seed, spec: { ...r.spec, data: { ...r.spec.data, csv: `www/data/${DIGITS.file}` } }, record: r.record.map((e) => ({ step: e.step, ...e.evaluation })), done: r.done })),
    inference: lab.inference ? { eval: lab.inference.eval, convnetjs: lab.inference.convnetjs, monte_carlo: { loss: Array.from(lab.inference.mc.loss), accuracy: Array.from(lab.inference.mc.accuracy) } } : null,
    sweeps: tables().sweeps,
  };
  download(`dropout-${stamp()}.json`, JSON.stringify(doc, null, 1), 'application/json');
  announce('JSON saved.');
}
async function exportPython() {
  try {
    const P = lab.picture;
    if (!P) throw new Error('no network yet');
    const snap = await P.snapshot;
    const run = lab.runs.find((r) => r.drop && r.seed === V().seed);
    const losses = run?.result?.losses ? Array.from(run.result.losses) : [];
    const src = networkScript(P.spec, {
      title: `Dropout lab: ${P.spec.layer_sizes.join('-')} with dropout (input ${V()['p.in']}, hidden ${V().p}, one mask per ${V().gran}), seed ${V().seed}`,
      data: { kind: 'csv', file: DIGITS.file, b64: await deflateBase64(lab.csv) }, initialParams: snap.initialParams, steps: V().steps,
      expected: losses.length ? { losses, diverged_at_step: run.result.diverged_at_step, steps: run.result.steps, train_loss: run.result.final.train_loss, train_errors: run.result.final.train_errors } : undefined,
    });
    download(`dropout-${stamp()}.py`, src, 'text/x-python');
    announce(losses.length ? 'PyTorch script saved.' : 'PyTorch script saved (press Play first to embed the playground\'s loss curve for comparison).');
  } catch (e) { announce(`Export failed: ${errorMessage(e)}`); }
}
