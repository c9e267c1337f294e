// The "why ReLU is better (sometimes)" lab (lecture §4): the same network with sigmoid, tanh, ReLU
// (…) hidden units races to a training-error threshold. Every network gets the same initial
// weights and the same mini-batches (the engine derives both from the seed, independently of the
// activation). After each epoch: the whole training set is evaluated and the saturation measured.
// The networks live in the workers of the engine pool (shared/pool.js), one racer per worker as
// far as there are workers; the page only draws what their epoch-end ticks report.
// State: ONE `values` map behind nn/relu-config.js's URL table.
import { pageParams } from './shared/state.js';
import { loadEngine, errorMessage } from './shared/engine.js';
import { UrlState, seedButtons, earlyNote, downloadTables, startPage, applyLock, bindKeys, bindCopyLink, savePNG, stamp, fatal, announce, download, fetchData, exposeNetLab, whenVisible } from './shared/labkit.js';
import { XYChart } from './shared/xychart.js';
import { FrameLoop } from './shared/trainloop.js';
import { getPool } from './shared/pool.js';
import { Fields, flag } from './shared/fields.js';
import { COLORS, SHAPES, SHAPE_GLYPH } from './shared/palette.js';
import { sig } from './shared/format.js';
import { networkScript, remoteSnapshot } from './shared/torch-nn.js';
import { deflateBase64 } from './shared/py-engine.js';
import { activationLabel, initChoices, initShort, presetFromQuery, parseHidden } from './nn/common.js';
import { PRESETS, PRESET_IDS, EMBED_EXTRAS, presetById, baseFor, buildTable, raceSpec, csvShape, epochsToThreshold, speedup, DATASETS, RACE_ACTS } from './nn/relu-config.js';

const $ = (id) => document.getElementById(id);
const STYLE = { sigmoid: 1, tanh: 0, relu: 2, leaky_relu: 3, gelu: 4 };
const RACE_KEYS = /^(data|n|noise|hidden|init(\..*)?|runs|lr\..*|momentum|batch|seed)$/;

const lab = { E: null, S: null, locked: false, playing: false, loop: null, charts: {}, racers: [], csv: {}, shape: null, token: 0 };
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
  lab.loop = new FrameLoop({ work: () => lab.playing, draw: drawLive, onStop: () => { syncTransport(); announce($('status-line').textContent); }, budgetMs: 10, onError: (e) => { status(`Training stopped: ${errorMessage(e)}`, true); pause(); } });
  syncControls();
  lockNow();
  bindKeys({ toggle, step: stepEpoch, reset });
  await rebuild();
  document.body.classList.add('ready');
  exposeNetLab('relu', lab, {
    set, play, pause, step: stepEpoch, reset,
    progress: () => ({ step: Math.max(0, ...lab.racers.map((r) => r.trainer?.steps ?? 0)), metrics: { racers: lab.racers.map((r) => ({ activation: r.act, epoch: r.trainer?.epoch ?? 0, train_loss: r.loss ?? null, reached_at_epoch: r.reached ?? null, diverged_at_step: r.trainer?.diverged_at_step ?? null })) } }),
    done: () => lab.racers.length > 0 && lab.racers.every((r) => r.stopped),
    summary: () => ({ text: $('status-line').textContent, racers: lab.racers.map((r) => ({ activation: r.act, reached_at_epoch: r.reached ?? null, train_loss: r.loss ?? null })) }),
  });
}

const V = () => lab.S.values;

function set(changes) {
  const changed = lab.S.set(changes);
  const has = (re) => changed.some((k) => re.test(k));
  if (has(RACE_KEYS)) { pause(); rebuild(); }
  else if (has(/^(thr|epochs|yscale)$/)) {
    // The workers stop at the threshold and the epoch limit they were given: restart their jobs.
    const restop = () => { for (const r of lab.racers) r.stopped = stopped(r); };
    if (has(/^(thr|epochs)$/)) { if (lab.playing) pause().then(() => { restop(); play(); }); else restop(); }
    updateChart(); drawLive();
  }
  if (changed.length) syncControls();
}

// ---- the racers --------------------------------------------------------------------------------
async function rebuild() {
  const v = V(), token = ++lab.token;
  for (const r of lab.racers) r.trainer?.free();
  lab.racers = [];
  const ds = DATASETS[v.data];
  let csv = null, shape = null;
  if (!ds.generator) {
    status(`Loading ${ds.file}…`);
    try { csv = lab.csv[v.data] ??= await fetchData(ds.file); } catch (e) { status(`Could not load the data: ${errorMessage(e)}`, true); return; }
    if (token !== lab.token) return;
    shape = csvShape(csv);
  }
  lab.shape = shape;
  const acts = RACE_ACTS.filter((a) => v.runs.includes(a));
  const pool = getPool();
  status(`Building ${acts.length} networks…`);
  lab.building = true;
  // Every racer starts from the same weights on the same data; each in its own worker as far as
  // there are workers (a worker interleaves the racers it holds).
  const built = await Promise.all(acts.map(async (act, i) => {
    const k = STYLE[act];
    const r = { act, color: COLORS[k], shape: SHAPES[k], spec: raceSpec(v, act, csv, shape?.dim, shape?.classes), trainer: null, error: null, errors: [], sat: [], epochs: [], stopped: false };
    try { r.trainer = await pool.trainer(r.spec, { slot: i }); } catch (e) { r.error = errorMessage(e); r.stopped = true; }
    if (r.trainer) { r.n = r.trainer.train_count; r.trainer.onTick = (m) => onTick(r, m); }
    return r;
  }));
  if (token !== lab.token) { for (const r of built) r.trainer?.free(); return; }
  // One snapshot (taken in the first racer's worker) serves the export of the whole race.
  const r0 = built.find((r) => r.trainer);
  if (r0) r0.snapshot = remoteSnapshot(r0.trainer, r0.spec);
  lab.racers = built;
  lab.building = false;
  updateChart();
  const bad = lab.racers.find((r) => r.error);
  if (bad) status(`${activationLabel(bad.act)}: ${bad.error}`, true); else status(`${lab.racers.length} networks ready: ${describeNet()}. Press Play.`);
  drawLive();
}

function describeNet() {
  const r = lab.racers[0];
  return r ? `${r.spec.layer_sizes.join('-')}, ${initShort(V())}, SGD${V().momentum ? ` momentum ${V().momentum}` : ''}, batch ${V().batch}` : '';
}

/** After an epoch (and at epoch 0) a racer's worker reports the training error on the whole set
 *  and the per-layer statistics (saturation). */
function record(r, m) {
  const e = m.evaluation;
  const epoch = Math.round(m.epoch * 1e6) / 1e6;
  r.errors.push(e.train_errors / r.n);
  r.epochs.push(epoch);
  const ins = m.inspection, F = ins.fields, nf = F.length;
  const field = r.act === 'relu' || r.act === 'leaky_relu' ? 'dead_fraction' : r.act === 'sigmoid' || r.act === 'tanh' ? 'saturated_fraction' : null;
  let s = NaN;
  if (field && ins.layers > 1) { s = 0; for (let l = 0; l < ins.layers - 1; l++) s += ins.stats[l * nf + F.indexOf(field)]; s /= ins.layers - 1; }
  r.sat.push(s);
  r.loss = e.train_loss;
  const reached = epochsToThreshold(r.errors, V().thr);
  if (reached != null && r.reached == null) r.reached = reached;
  r.stopped = stopped(r);
}
/** Whether a racer is finished: diverged, reached the threshold, or at the epoch limit. */
function stopped(r) {
  const t = r.trainer;
  if (!t || r.error) return true;
  if (t.diverged_at_step != null) return true;
  r.reached = epochsToThreshold(r.errors, V().thr) ?? null;
  if (r.reached == null) delete r.reached;
  return r.reached != null || (r.epochs.length > 0 && r.epochs[r.epochs.length - 1] >= V().epochs - 1e-9);
}

function onTick(r, m) {
  if (!lab.racers.includes(r)) return;
  if (m.epochEnd && m.evaluation && m.inspection) record(r, m);
  if (m.diverged_at_step != null) r.stopped = true;
  if (m.error) { r.error = m.error; r.stopped = true; }
  if (m.done) {
    r.running = false;
    if (!lab.racers.some((q) => q.running)) { lab.playing = false; if (lab.loop.running) lab.loop.stop(); syncTransport(); }
  }
  if (!lab.loop.running) drawLive();
}

const active = () => lab.racers.filter((r) => !r.stopped && r.trainer && r.trainer.diverged_at_step == null);

/** The worker's job for a racer: epoch by epoch, evaluated and inspected at each epoch's end (and
 *  at epoch 0), until the threshold, the epoch limit or `untilSteps`. */
function job(r, extra = {}) {
  const v = V();
  return { epochs: true, atStart: r.errors.length === 0, evaluate: {}, inspect: { bins: 4, everyMs: Infinity }, stopBelowError: v.thr, untilEpochs: v.epochs, speed: v.speed, tickMs: 100, ...extra };
}

async function stepEpoch() {
  await pause();
  const token = lab.token;
  await Promise.all(active().map((r) => {
    const spe = Math.ceil(r.n / r.trainer.batch_size);
    // The first press evaluates epoch 0 and trains epoch 1.
    const target = (Math.floor(r.trainer.steps / spe) + 1) * spe;
    r.running = true;
    return r.trainer.play(job(r, { untilSteps: target, speed: null, untilEpochs: null }));
  }));
  if (token === lab.token) drawLive();
}

// ---- drawing -----------------------------------------------------------------------------------
function updateChart() {
  const v = V();
  const c = lab.charts.race;
  c.set({ logY: v.yscale === 'log', yMin: v.yscale === 'log' ? undefined : 0, yMax: v.yscale === 'log' ? 1 : undefined, xMin: 0, xMax: v.epochs });
  lab.charts.sat.set({ xMax: v.epochs });
  c.series = lab.racers.map((r) => ({ label: activationLabel(r.act), color: r.color, shape: r.shape, width: 2.2, x: () => r.epochs || [], y: () => r.errors }));
  c.hlines = [{ y: v.thr, label: `threshold ${sig(100 * v.thr, 3)}%`, color: 'rgba(128,128,128,0.95)', align: 'right' }];
  lab.charts.sat.series = lab.racers.filter((r) => ['sigmoid', 'tanh', 'relu', 'leaky_relu'].includes(r.act)).map((r) => ({
    label: `${activationLabel(r.act)} ${r.act.includes('relu') ? 'dead' : 'saturated'}`, color: r.color, shape: r.shape, width: 2, dash: r.act.includes('relu') ? [5, 3] : [], x: () => r.epochs || [], y: () => r.sat,
  }));
}

function drawLive() {
  const v = V(), rs = lab.racers;
  const c = lab.charts.race;
  // Where each net reached the threshold: a marker on the curve, the number in the legend.
  c.marks = rs.filter((r) => r.reached != null).map((r) => ({ x: r.reached, y: v.thr, color: r.color, shape: r.shape })).sort((a, b) => a.x - b.x);
  c.series.forEach((s, i) => { const r = rs[i]; if (r) s.label = `${activationLabel(r.act)}${r.reached != null ? `: ${sig(100 * v.thr, 3)}% after ${sig(r.reached, 3)} epochs` : ''}`; });
  c.paint(); lab.charts.sat.paint();
  const relu = rs.find((r) => r.act === 'relu');
  const tb = $('results').querySelector('tbody');
  tb.replaceChildren(...rs.map((r) => {
    const tr = document.createElement('tr');
    const cells = [];
    const name = document.createElement('td');
    const g = document.createElement('span'); g.className = 'glyph'; g.style.color = r.color; g.textContent = SHAPE_GLYPH[r.shape];
    name.append(g, ` ${activationLabel(r.act)}`);
    cells.push(name);
    const err = r.errors.length ? r.errors[r.errors.length - 1] : NaN;
    const satNow = r.sat.length ? r.sat[r.sat.length - 1] : NaN;
    const su = r.act === 'relu' ? 'reference' : speedup(r.reached, relu?.reached);
    const ep = r.trainer ? r.trainer.epoch : 0;
    const started = r.errors.length > 0;
    const reachedText = r.error ? `error: ${r.error}` : r.trainer?.diverged_at_step != null ? `diverged at step ${r.trainer.diverged_at_step}` : r.reached != null ? sig(r.reached, 3) : r.stopped ? `not within ${v.epochs}` : started ? `… (${sig(ep, 3)} so far)` : 'not started';
    const suText = su === 'reference' ? (relu?.reached != null ? '1 (reference)' : 'reference') : su != null ? `×${sig(su, 3)}` : relu?.reached != null && r.stopped && r.reached == null ? `> ×${sig(v.epochs / relu.reached, 3)}` : '—';
    for (const s of [String(r.spec.optimizer.lr), reachedText, Number.isFinite(err) ? `${(100 * err).toFixed(1)}%` : '—', Number.isFinite(satNow) ? `${(100 * satNow).toFixed(0)}%` : '—', suText]) { const td = document.createElement('td'); td.textContent = s; cells.push(td); }
    if (r.error || r.trainer?.diverged_at_step != null) cells[2].className = 'bad';
    tr.append(...cells);
    if (r.reached != null && rs.every((q) => q.reached == null || q.reached >= r.reached)) tr.className = 'win';
    return tr;
  }));
  const maxEp = Math.max(0, ...rs.map((r) => (r.trainer ? r.trainer.epoch : 0)));
  const prog = rs.length ? Math.min(...rs.map((r) => (r.stopped ? 1 : Math.min(1, (r.trainer?.epoch ?? 0) / v.epochs)))) : 0;
  $('progress').value = prog;
  $('counter').textContent = `epoch ${sig(maxEp, 3)} / ${v.epochs}`;
  const div = rs.find((r) => r.trainer?.diverged_at_step != null), bad = rs.find((r) => r.error);
  if (bad) status(`${activationLabel(bad.act)}: ${bad.error}`, true);
  else if (div) status(`${activationLabel(div.act)} diverged at step ${div.trainer.diverged_at_step} (loss not finite; not drawn further). Lower its lr.`, true);
  else if (rs.length && rs.every((r) => r.stopped)) {
    const reachedAll = rs.filter((r) => r.reached != null).sort((a, b) => a.reached - b.reached);
    const others = rs.filter((r) => r.act !== 'relu' && relu?.reached != null).map((r) => {
      if (r.reached == null) return `more than ${sig(v.epochs / relu.reached, 3)}× faster than ${activationLabel(r.act)}`;
      const f = r.reached / relu.reached;
      return f >= 1 ? `${sig(f, 3)}× faster than ${activationLabel(r.act)}` : `${sig(1 / f, 3)}× slower than ${activationLabel(r.act)}`;
    });
    status(reachedAll.length ? `Done. First to ${sig(100 * v.thr, 3)}%: ${activationLabel(reachedAll[0].act)} after ${sig(reachedAll[0].reached, 3)} epochs.${others.length ? ` ReLU was ${others.join(', ')}.` : ''}` : `Done: nobody reached ${sig(100 * v.thr, 3)}% within ${v.epochs} epochs.`);
    if (lab.playing) pause();
  } else if (lab.playing) status(`Racing: ${describeNet()}.`);
}

function status(text, bad = false) { const el = $('status-line'); el.textContent = text; el.classList.toggle('bad', bad); }

function play() {
  if (!lab.racers.length) return;
  if (!active().length) { rebuild().then(() => { if (active().length) play(); }); return; }
  lab.playing = true;
  for (const r of active()) { r.running = true; r.trainer.play(job(r)); }
  lab.loop.start();
  syncTransport();
}
/** Stop every racer's job (each within one ~10 ms slice of its worker); resolves when all stopped. */
function pause() {
  lab.playing = false;
  const all = Promise.all(lab.racers.map((r) => r.trainer?.pause()));
  if (lab.loop?.running) lab.loop.stop();
  syncTransport();
  return all;
}
function toggle() { lab.playing ? pause() : play(); }
function reset() { pause(); rebuild(); announce('Reset to the initial weights.'); }
function syncTransport() { $('play').textContent = lab.playing ? '❚❚ Pause' : '▶ Play'; $('play').setAttribute('aria-pressed', String(lab.playing)); }

// ---- controls ----------------------------------------------------------------------------------
function setupCharts() {
  lab.charts.race = new XYChart($('race'), { xLabel: 'epochs', yLabel: 'training error rate', legend: 'tr', xMin: 0, empty: 'press Play: every network is evaluated at epoch 0, then after each epoch' });
  lab.charts.sat = new XYChart($('sat'), { xLabel: 'epochs', yLabel: 'fraction of units', yMin: 0, yMax: 1, legend: 'tr', xMin: 0, empty: 'press Play' });
}
function setupControls() {
  const pre = $('preset');
  pre.append(new Option('— your own experiment —', ''));
  for (const p of PRESETS) pre.append(new Option(p.title, p.id));
  pre.addEventListener('change', () => loadPreset(pre.value));
  const box = $('racers');
  for (const a of RACE_ACTS) {
    const k = STYLE[a];
    const cb = document.createElement('input'); cb.type = 'checkbox'; cb.id = `run-${a}`;
    const lbl = document.createElement('label'); lbl.className = 'inline'; lbl.htmlFor = cb.id;
    const sw = document.createElement('span'); sw.className = 'glyph'; sw.style.color = COLORS[k]; sw.textContent = SHAPE_GLYPH[SHAPES[k]];
    lbl.append(cb, sw, activationLabel(a));
    const lr = document.createElement('input'); lr.type = 'text'; lr.size = 7; lr.id = `lr-${a}`; lr.setAttribute('aria-label', `lr of the ${activationLabel(a)} network`);
    const lrl = document.createElement('code'); lrl.textContent = 'lr';
    box.append(lbl, lrl, lr);
    cb.addEventListener('change', () => {
      const runs = RACE_ACTS.filter((x) => (x === a ? cb.checked : V().runs.includes(x)));
      if (!runs.length) { cb.checked = true; flag(cb, 'At least one activation must race; it stays on.'); return; }
      flag(cb, null);
      set({ runs });
    });
    lab.fields.bind(lr, `lr.${a}`, { label: 'lr' });
  }
  for (const [k, d] of Object.entries(DATASETS)) $('data').append(new Option(d.label, k));
  for (const [n, label] of initChoices()) $('init').append(new Option(label, n));
  for (const key of ['data', 'init', 'hidden', 'thr', 'epochs', 'n', 'noise', 'momentum', 'batch', 'seed', 'speed']) lab.fields.bind($(key), key);
  seedButtons(lab.fields);
  lab.fields.bind($('init-std'), 'init.std', { label: 'σ' });
  lab.fields.bind($('init-a'), 'init.a', { label: 'a' });
  $('ys-lin').addEventListener('click', () => set({ yscale: 'linear' }));
  $('ys-log').addEventListener('click', () => set({ yscale: 'log' }));
  $('play').addEventListener('click', toggle);
  $('step').addEventListener('click', stepEpoch);
  $('reset').addEventListener('click', reset);
  bindCopyLink($('copy-link'), lab.S);
  $('exp-png').addEventListener('click', () => savePNG([{ canvas: $('race'), title: `Training error: ${describeNet()}` }, { canvas: $('sat'), title: 'Saturated / dead units' }], 'Why ReLU: the race', `relu-${stamp()}.png`));
  $('exp-csv').addEventListener('click', exportCSV);
  $('exp-json').addEventListener('click', exportJSON);
  $('exp-py').addEventListener('click', exportPython);
}

function syncControls() {
  const v = V();
  const p = presetById(v.lesson || v.preset);
  $('preset').value = v.lesson || v.preset || '';
  $('preset-note').textContent = p ? p.note : lab.defaultNote;
  for (const a of RACE_ACTS) {
    $(`run-${a}`).checked = v.runs.includes(a);
    $(`lr-${a}`).disabled = !v.runs.includes(a);
  }
  $('gen-row').hidden = !DATASETS[v.data].generator;
  $('init-std-row').hidden = v.init !== 'normal'; $('init-a-row').hidden = v.init !== 'uniform';
  lab.fields.sync();
  $('ys-lin').setAttribute('aria-checked', String(v.yscale === 'linear'));
  $('ys-log').setAttribute('aria-checked', String(v.yscale === 'log'));
  syncTransport();
}

function lockNow() {
  applyLock(lab.locked, presetById(V().lesson)?.title || '', () => {
    const id = V().lesson;
    lab.S.values = { ...V(), lesson: '', preset: id };
    lab.locked = false; lockNow(); lab.S.scheduleUrl();
  });
  for (const id of ['top-fs', 'race-fs']) $(id).disabled = lab.locked;
}

function loadPreset(id) {
  const keep = { theme: V().theme, embed: V().embed, hide: V().hide, show: V().show };
  lab.S.reload(buildTable(baseFor(id)), id ? `preset=${encodeURIComponent(id)}` : '');
  Object.assign(lab.S.values, keep);
  pause(); syncControls(); rebuild();
}

// ---- export ------------------------------------------------------------------------------------
/** One table: a row per (activation, epoch). */
function curves() {
  const t = { activation: [], epoch: [], train_error: [], saturated_or_dead: [] };
  for (const r of lab.racers) (r.epochs || []).forEach((e, i) => { t.activation.push(r.act); t.epoch.push(e); t.train_error.push(r.errors[i]); t.saturated_or_dead.push(r.sat[i]); });
  return { race_per_epoch: t };
}
function exportCSV() { downloadTables(`relu-race-${stamp()}`, curves()); }
function exportJSON() {
  const v = V();
  const doc = {
    generator: 'optplay relu lab', url: lab.S.shareUrl(), threshold: v.thr, max_epochs: v.epochs,
    racers: lab.racers.map((r) => ({ activation: r.act, spec: { ...r.spec, data: r.spec.data.csv ? { csv: `www/data/${DATASETS[v.data].file}`, normalize: true } : r.spec.data }, epochs: r.epochs, train_error: r.errors, saturated_or_dead: r.sat, epochs_to_threshold: r.reached ?? null, diverged_at_step: r.trainer?.diverged_at_step ?? null })),
  };
  download(`relu-race-${stamp()}.json`, JSON.stringify(doc, null, 1), 'application/json');
  announce('JSON saved.');
}
async function exportPython() {
  try {
    const v = V(), r0 = lab.racers.find((r) => r.snapshot);
    if (!r0) throw new Error('no network');
    const snap = await r0.snapshot;
    const ds = DATASETS[v.data];
    // Every racer starts from the same weights on the same data (the engine derives both from the
    // seed, whatever the activation): one snapshot serves the whole race.
    const data = ds.generator
      ? { kind: 'points', inputs: snap.dataset.inputs, labels: snap.dataset.labels, dim: snap.dataset.dim }
      : { kind: 'csv', file: ds.file, b64: await deflateBase64(lab.csv[v.data]) };
    const expected = { runs: Object.fromEntries(lab.racers.filter((r) => r.trainer).map((r) => [r.act, { errors: r.errors.slice(), reached: r.reached ?? null }])) };
    const src = networkScript(r0.spec, {
      title: `Why ReLU lab: race to ${sig(100 * v.thr, 3)}% training error, ${r0.spec.layer_sizes.join('-')}`,
      data, initialParams: snap.initialParams, expected,
      race: { runs: lab.racers.map((r) => ({ activation: r.act, lr: r.spec.optimizer.lr })), threshold: v.thr, epochs: v.epochs },
    });
    download(`relu-race-${stamp()}.py`, src, 'text/x-python');
    announce('PyTorch script saved.');
  } catch (e) { announce(`Export failed: ${errorMessage(e)}`); }
}
