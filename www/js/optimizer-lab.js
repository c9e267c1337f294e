// The optimizer lab (lecture §2 "initial values" and §3 "improving optimization").
// State lives in ONE flat `values` map whose keys are the URL keys of optimizer/url-table.js; every
// change goes through set(), which normalises it through the table, writes the URL and updates
// only what the change affects. The engine (wasm) does all the numerics.
import { loadEngine, errorMessage } from './shared/engine.js';
import { readState, writeState, showNotices, pageParams } from './shared/state.js';
import { Plot2D } from './shared/plot2d.js';
import { LineChart } from './shared/linechart.js';
import { buildParamControls } from './shared/params-ui.js';
import { Fields } from './shared/fields.js';
import { racerStyle } from './shared/palette.js';
import { fieldPath, fieldMark } from './shared/field.js';
import { readout, sig } from './shared/format.js';
import { initTheme, applyTheme, applyEmbed, copyText, announce, radioGroups } from './shared/shell.js';
import { DEFAULTS, EMBED_EXTRAS, buildTable, racersFrom, landscapeSpec, racerSpec, racerLabel } from './optimizer/url-table.js';
import { DATA_LANDSCAPES, isDataLandscape, useDataLandscapes } from './shared/datasets.js';
import { BasinMap } from './optimizer/basins.js';
import { PRESETS, PRESET_IDS, presetById, presetValues } from './optimizer/presets.js';
import { renderRacerCards } from './optimizer/racers.js';
import { renderAnatomy } from './optimizer/anatomy.js';
import { PathLayer, drawVectors, drawNewtonModel, batchGradient, beginLabels } from './optimizer/overlay.js';
import { exportPNG, exportCSV, exportJSON, exportPython } from './optimizer/exports.js';
import { exposeLab, whenVisible, reportFatal } from './shared/embed.js';
import { bindSvgExport } from './shared/labkit.js';
import { sampleView, judgeView } from './optimizer/finite.js';

const $ = (id) => document.getElementById(id);
const LANDSCAPE_KEYS = /^(f|expr|lp\..*)$/;
const RUN_KEYS = /^(x0|y0|o\d(\..*)?|sched(\..*)?|steps)$/;
const CARD_KEYS = /^(o\d|o\d\.sched|f|expr|sel|sched)$/;

const lab = {
  E: null, meta: null, table: null, base: null, values: null,
  L: null, info: null, racers: [], playing: false, acc: 0, lastT: 0, locked: false,
  plot: null, chart: null, urlTimer: 0, lastPanel: 0, paths: new PathLayer(),
};
window.__lab = lab; // for the e2e tests and the console

main().catch((e) => {
  const el = $('fatal');
  el.hidden = false;
  el.textContent = `The lab could not start: ${errorMessage(e)}. If www/pkg/ is missing, build the engine with ./build.sh build.`;
  console.error(e);
  reportFatal(errorMessage(e));
});

async function main() {
  await whenVisible();
  const engine = loadEngine();
  // The scene note is the page's largest text: show it before the wasm has loaded.
  const note = $('preset-note');
  lab.defaultNote = note.textContent;
  const q0 = pageParams();
  const p0 = presetById(q0.get('lesson') || '') || presetById(q0.get('preset') || '');
  if (p0) note.textContent = p0.note;
  lab.E = await engine;
  const E = lab.E;
  lab.meta = { landscapes: E.landscapes(), optimizers: E.optimizers(), schedulers: E.schedulers() };
  useDataLandscapes(lab.meta.landscapes);
  // The preset (or lesson) decides the defaults, so read it first, then the whole table.
  const q = pageParams();
  const lesson = PRESET_IDS.includes(q.get('lesson')) ? q.get('lesson') : '';
  const preset = lesson || (PRESET_IDS.includes(q.get('preset')) ? q.get('preset') : '');
  buildTableFor(preset);
  const { values, notices, drawn } = readState(lab.table, q);
  lab.values = values;
  showNotices($('url-notice'), notices);
  if (drawn.length) scheduleUrl(); // `o1.seed=random`: the URL shows the drawn number
  lab.locked = !!values.lesson;
  lab.fields = new Fields({ table: () => lab.table, values: () => lab.values, set: (ch) => set(ch) });
  lab.fields.expose();

  initTheme(values.theme, () => { lab.plot.requestDraw(); lab.chart.requestDraw(); });
  applyEmbed(values.embed, values.hide, values.show, EMBED_EXTRAS);
  radioGroups();
  setupStaticControls();
  lab.basins = new BasinMap({
    progress: $('basin-progress'), label: $('basin-label'), legend: $('basin-legend'),
    onFrame: () => lab.plot.requestDraw(), onDone: (msg) => announce(msg),
  });
  lab.plot = new Plot2D($('plot'), {
    overlay: drawOverlay,
    onClick: (w) => { set({ x0: round(w[0]), y0: round(w[1]) }); play(); },
    onStartDrag: (w, done) => { set({ x0: round(w[0]), y0: round(w[1]) }, { quietUrl: !done }); },
    onHover: hover,
    onView: (v) => { lab.values.view = v.map((a) => Number(a.toPrecision(6))); scheduleUrl(); rejudgeSoon(); },
    onRendered: updateColorbar,
    svgOverlay,
    onError: (e) => announce(`Rendering failed: ${errorMessage(e)}`),
    onInteractive: () => { $('readout').textContent = idleReadout(); },
  });
  lab.plot.locked = lab.locked;
  lab.plot.equal = !!values.equal;
  lab.chart = new LineChart($('chart'));
  $('readout').textContent = idleReadout();
  rebuildLandscape();
  rebuildRuns();
  if (values.at > 0) advance(values.at);
  syncControls();
  applyLock();
  refresh(true);
  document.addEventListener('keydown', onKey);
  document.body.classList.add('ready');
  bindSvgExport('optimizer-lab');
  const racerNow = (r) => { const v = r.run?.values(); return { racer: r.label, step: doneSteps(r), loss: v?.length ? v[v.length - 1] : null, diverged_at_step: r.run?.diverged_at_step ?? null, error: r.error ?? null }; };
  exposeLab({
    lab: 'optimizer', table: () => lab.table, values: () => lab.values, set: (ch) => set(ch), extras: EMBED_EXTRAS,
    play, pause, playing: () => lab.playing, step: stepOnce, reset,
    progress: () => ({ step: Math.max(0, ...lab.racers.map(doneSteps)), metrics: { racers: lab.racers.map(racerNow) } }),
    done: () => lab.racers.length > 0 && lab.racers.every(finished),
    summary: () => ({ text: statusSummary(), racers: lab.racers.map(racerNow) }),
  });
}

function buildTableFor(presetId) {
  const p = presetById(presetId);
  const pv = p ? presetValues(p, lab.meta) : null;
  lab.base = { ...DEFAULTS, ...(pv || {}) };
  lab.table = buildTable(lab.meta, PRESET_IDS, lab.base, (s) => lab.E.checkExpression(s));
}

const round = (v) => Number(v.toPrecision(5));

// ---- state changes ----------------------------------------------------------------------------
/** Apply changes (undefined = back to default), normalise through the URL table, update the page. */
function set(changes, opts = {}) {
  const before = lab.values;
  const next = { ...before, ...changes };
  if ('f' in changes && changes.f !== before.f) {
    for (const k of Object.keys(next)) if (/^lp\./.test(k) || k === 'x0' || k === 'y0' || k === 'view') next[k] = undefined;
  }
  lab.values = readState(lab.table, writeState(lab.table, next)).values;
  const changed = Object.keys(lab.values).filter((k) => JSON.stringify(lab.values[k]) !== JSON.stringify(before[k]));
  const has = (re) => changed.some((k) => re.test(k));
  if (has(LANDSCAPE_KEYS)) { rebuildLandscape(); rebuildRuns(); }
  else if (has(RUN_KEYS)) rebuildRuns();
  if (has(/^(scale|cmap|levels)$/)) lab.plot.setOptions(colourOptions());
  if (has(/^view$/)) lab.plot.setView(lab.values.view);
  if (has(/^equal$/)) lab.plot.setEqual(lab.values.equal);
  if (has(/^chart$/)) lab.chart.scale = lab.values.chart;
  if (has(/^theme$/)) applyTheme(lab.values.theme);
  // Rebuild control widgets only on structural changes, so a slider being dragged keeps its element.
  syncControls({ cards: has(CARD_KEYS) ? true : 'labels' });
  refresh(true);
  if (!opts.quietUrl) scheduleUrl();
}

function scheduleUrl() {
  clearTimeout(lab.urlTimer);
  lab.urlTimer = setTimeout(() => {
    const qs = writeState(lab.table, lab.values);
    history.replaceState(null, '', `${qs ? `?${qs}` : location.pathname}${location.hash}`);
  }, 200);
}
export function shareUrl() {
  const qs = writeState(lab.table, lab.values);
  return `${location.origin}${location.pathname}${qs ? `?${qs}` : ''}`;
}

function loadPreset(id, lockIt = false) {
  buildTableFor(id);
  const qs = id ? `${lockIt ? 'lesson' : 'preset'}=${encodeURIComponent(id)}` : '';
  const keep = { theme: lab.values.theme, embed: lab.values.embed, hide: lab.values.hide, show: lab.values.show };
  lab.values = readState(lab.table, qs).values;
  Object.assign(lab.values, keep);
  pause();
  lab.plot.equal = !!lab.values.equal;
  rebuildLandscape();
  rebuildRuns();
  syncControls();
  refresh(true);
  scheduleUrl();
}

// ---- engine objects ---------------------------------------------------------------------------
function rebuildLandscape() {
  const v = lab.values;
  lab.L?.free();
  lab.L = null;
  let verdict = {};
  try {
    lab.L = new lab.E.Landscape(landscapeSpec(v, lab.meta));
    lab.info = lab.L.info();
    const at = (x, y) => lab.L.value(x, y);
    verdict = judgeView(sampleView(at, v.view), 41, v.view, at);
  } catch (e) { verdict = { error: errorMessage(e) }; }
  if (verdict.error) {
    // Only a link can get here (typed expressions are checked before they apply): say what was
    // wrong in the link notice and open the lab's default landscape instead.
    const note = $('url-notice');
    const li = document.createElement('p');
    li.textContent = `The landscape in the link was not used: ${verdict.error}.`;
    note.hidden = false; note.append(li);
    lab.L?.free(); lab.L = null;
    const fallback = lab.base.f === 'custom' && v.expr !== lab.base.expr ? { expr: lab.base.expr } : { f: lab.base.f === 'custom' ? 'himmelblau' : lab.base.f, expr: undefined };
    set(fallback);
    return;
  }
  lab.landscapeWarning = verdict.warning || '';
  $('landscape-warning').textContent = lab.landscapeWarning;
  $('landscape-warning').hidden = !lab.landscapeWarning;
  lab.plot.axisNames = isDataLandscape(v.f) ? ['w', 'b'] : ['x', 'y'];
  lab.plot.setLandscape(lab.L, lab.info);
  lab.plot.setOptions(colourOptions());
  lab.plot.setView(v.view, true);
  lab.chart.fstar = lab.info.minima?.length ? Math.min(...lab.info.minima.map((m) => m.f)) : null;
}

/** After zoom or pan: where is f not finite in the new view? (a 41² sample, at most ~7 times a second) */
function rejudgeSoon() {
  clearTimeout(lab.judgeTimer);
  lab.judgeTimer = setTimeout(() => {
    if (!lab.L) return;
    const at = (x, y) => lab.L.value(x, y);
    const w = judgeView(sampleView(at, lab.plot.view), 41, lab.plot.view, at);
    lab.landscapeWarning = w.error || w.warning || '';
    $('landscape-warning').textContent = lab.landscapeWarning;
    $('landscape-warning').hidden = !lab.landscapeWarning;
  }, 150);
}

function colourOptions() {
  const v = lab.values;
  return { scale: v.scale === 'auto' ? (lab.info?.scale || 'linear') : v.scale, cmap: v.cmap, levels: v.levels };
}

function rebuildRuns() {
  const v = lab.values, meta = lab.meta;
  for (const r of lab.racers) r.run?.free();
  lab.racers = racersFrom(v, meta).map((r) => {
    const spec = racerSpec(v, meta, r);
    let run = null, error = null;
    try { run = new lab.E.Run(spec); } catch (e) { error = errorMessage(e); }
    const label = racerLabel(r, v.f);
    return { ...r, ...racerStyle(r.index - 1), label, spec, run, error };
  });
  // Same name twice: tell a group apart by lr when every lr in it differs, else by position —
  // one rule per group, decided before any label changes.
  const groups = {};
  for (const r of lab.racers) (groups[r.label] ||= []).push(r);
  for (const g of Object.values(groups)) {
    if (g.length < 2) continue;
    const byLr = g.every((r) => r.params.lr !== undefined) && new Set(g.map((r) => r.params.lr)).size === g.length;
    for (const r of g) r.label = byLr ? `${r.label} lr=${r.params.lr}` : `${r.label} #${r.index}`;
  }
  lab.plot.start = [v.x0, v.y0];
  lab.acc = 0;
  lab.chart.racers = lab.racers.filter((r) => r.run).map((r) => ({
    color: r.color, shape: r.shape, label: r.label, selected: r.index === v.sel,
    values: () => r.run.values(), get divergedAt() { return r.run.diverged_at_step ?? null; },
  }));
  lab.chart.scale = v.chart;
}

const doneSteps = (r) => (r.run ? r.run.len - 1 : 0);
const finished = (r) => !r.run || r.run.diverged_at_step != null || doneSteps(r) >= lab.values.steps;

/** Advance every racer by up to n steps (capped at `steps`). */
function advance(n) {
  for (const r of lab.racers) {
    if (finished(r)) continue;
    r.run.step(Math.min(n, lab.values.steps - doneSteps(r)));
  }
}

function lrNow(r) {
  if (!r?.run) return undefined;
  const l = r.run.lrs();
  // Before the first step: the rate the first step will use (Newton's is eta).
  return l.length ? l[l.length - 1] : r.params.lr ?? r.params.eta;
}

// ---- animation --------------------------------------------------------------------------------
function play() {
  if (lab.racers.every(finished)) rebuildRuns();
  if (lab.playing) return;
  lab.playing = true;
  lab.lastT = performance.now();
  requestAnimationFrame(tick);
  syncTransport();
}
function pause() { lab.playing = false; syncTransport(); refresh(true); }
function toggle() { lab.playing ? pause() : play(); }
function stepOnce() { pause(); if (lab.racers.every(finished)) return; advance(1); refresh(true); }
function reset() { pause(); rebuildRuns(); refresh(true); announce('Reset to the start point.'); }

function tick(now) {
  if (!lab.playing) return;
  const dt = Math.min(0.1, (now - lab.lastT) / 1000);
  lab.lastT = now;
  lab.acc += dt * lab.values.speed;
  const n = Math.floor(lab.acc);
  lab.acc -= n;
  if (n > 0) advance(n);
  if (lab.racers.every(finished)) { lab.playing = false; syncTransport(); announce(statusSummary()); }
  refresh(!lab.playing);
  if (lab.playing) requestAnimationFrame(tick);
}

/** Redraw figure and chart (rAF-coalesced); DOM panels at most ~8 times a second unless forced. */
function refresh(forcePanels = false) {
  lab.plot.requestDraw();
  lab.chart.requestDraw();
  const now = performance.now();
  if (forcePanels || now - lab.lastPanel > 120) { lab.lastPanel = now; updatePanels(); }
}

function selected() { return lab.racers.find((r) => r.index === lab.values.sel) || lab.racers[0] || null; }

function drawOverlay(ctx, plot) {
  beginLabels();
  const sel = selected();
  syncBasins(plot, sel);
  lab.basins.draw(ctx, plot);
  if (sel?.name === 'newton' && lab.values.model && sel.run) {
    const p = sel.run.points(), n = p.length / 2;
    drawNewtonModel(ctx, plot, lab.L, p[2 * n - 2], p[2 * n - 1]);
  }
  lab.paths.draw(ctx, plot, lab.racers, sel?.index);
  lab.vec = lab.values.vec && sel ? drawVectors(ctx, plot, sel, lrNow(sel), lab.L) : null;
}

/** The basin map follows the selected racer, the landscape and the visible region (cells ≈ square). */
function syncBasins(plot, sel) {
  const v = lab.values;
  $('basin-box').hidden = !v.basins;
  if (!v.basins || !sel?.run) { lab.basins.request(null); return; }
  const r = plot.plotRect;
  const nx = v.bres, ny = Math.max(2, Math.min(256, Math.round((v.bres * r.h) / r.w)));
  lab.basins.request(sel.spec, plot.view, nx, ny);
}

const coarse = () => matchMedia('(pointer: coarse)').matches;
/** What the readout says before the pointer is on the figure (touch screens have no hover). */
function idleReadout() {
  if (lab.plot?.interactive) return 'drag the white ring to move the start, or pan; tap outside the figure to scroll again';
  return coarse() ? 'tap the landscape to start there · pinch to zoom · tap the white ring to drag it' : 'move the pointer over the landscape';
}

function hover(w) {
  const out = $('readout');
  if (!w || !lab.L) { out.textContent = idleReadout(); return; }
  let f;
  try { f = lab.L.value(w[0], w[1]); } catch { f = NaN; }
  out.textContent = readout(w[0], w[1], f, isDataLandscape(lab.values.f) ? ['w', 'b', 'L'] : undefined);
}

/** The racers' paths and positions for the figure's SVG (the overlay the canvas shows). */
function svgOverlay() {
  const paths = [], marks = [];
  for (const r of lab.racers) {
    const pts = r.run?.points(), n = pts ? pts.length / 2 : 0;
    if (!n) continue;
    paths.push(fieldPath(pts, r.color, { halo: 'rgba(0,0,0,0.55)', dots: n <= 400 }));
    const div = r.run.diverged_at_step;
    marks.push(fieldMark(pts[2 * n - 2], pts[2 * n - 1], r.shape, r.color, { label: div != null ? `${r.label}: diverged at step ${div}` : r.label }));
  }
  return { paths, marks };
}

function updateColorbar() {
  $('colorbar').style.background = lab.E.colormapGradient(lab.values.cmap);
  // The value range the rendered colours stand for.
  const [lo, hi] = lab.plot.heatRange || [NaN, NaN];
  const sc = colourOptions().scale;
  $('cb-lo').textContent = Number.isFinite(lo) ? sig(lo, 3) : '';
  $('cb-hi').textContent = Number.isFinite(hi) ? `${sig(hi, 3)}${sc === 'log' ? ' (log scale)' : ''}` : '';
}

// ---- panels -----------------------------------------------------------------------------------
function statusOf(r) {
  if (r.error) return `error: ${r.error}`;
  if (r.run.diverged_at_step != null) return `diverged at step ${r.run.diverged_at_step}${r.run.diverged_reason ? ` (${r.run.diverged_reason.replace('_', ' ')})` : ''}`;
  if (doneSteps(r) >= lab.values.steps) return 'done';
  return lab.playing ? 'running' : doneSteps(r) ? 'paused' : 'ready';
}
function statusSummary() { return lab.racers.map((r) => `${r.label}: ${statusOf(r)}`).join('; '); }

function nearestMin(x, y) {
  const m = lab.info?.minima || [];
  if (!m.length) return null;
  return Math.min(...m.map((q) => Math.hypot(x - q.x, y - q.y)));
}

function updatePanels() {
  const tbody = $('legend').querySelector('tbody');
  const rows = lab.racers.map((r) => {
    const tr = document.createElement('tr');
    tr.className = r.index === lab.values.sel ? 'sel' : '';
    const name = document.createElement('td');
    const sw = document.createElement('span');
    sw.className = 'glyph'; sw.style.color = r.color; sw.textContent = { circle: '●', square: '■', triangle: '▲', diamond: '◆', cross: '✖', plus: '✚', star: '★', 'triangle-down': '▼' }[r.shape];
    const b = document.createElement('button');
    b.type = 'button'; b.className = 'linkish'; b.textContent = r.label;
    b.title = 'Show in the update anatomy';
    b.addEventListener('click', () => set({ sel: r.index }));
    name.append(sw, b);
    const cells = [name];
    let vals = ['—', '—', '—', '—'];
    if (r.run && r.run.values().length) {
      const p = r.run.points(), v = r.run.values(), n = v.length;
      const d = nearestMin(p[2 * n - 2], p[2 * n - 1]);
      const lr = lrNow(r);
      vals = [String(n - 1), sig(v[n - 1], 5), d == null ? '—' : sig(d, 3), lr === undefined ? '—' : sig(lr, 3)];
    }
    for (const t of [...vals, statusOf(r)]) { const td = document.createElement('td'); td.textContent = t; cells.push(td); }
    if (r.error || r.run?.diverged_at_step != null) cells[cells.length - 1].className = 'bad';
    tr.append(...cells);
    return tr;
  });
  tbody.replaceChildren(...rows);
  const maxStep = Math.max(0, ...lab.racers.map(doneSteps));
  $('counter').textContent = `step ${maxStep} / ${lab.values.steps}`;
  const sel = selected();
  $('anatomy-racer').textContent = sel ? `— ${sel.label}` : '';
  renderAnatomy($('anatomy'), sel, lrNow(sel));
  $('vec-legend').textContent = lab.values.vec && sel ? vecLegend(sel) : '';
}

function vecLegend(sel) {
  if (lab.vec?.why === 'tiny') return `No arrows: the step of ${sel.label} is too small to draw even ×1000 at this zoom (it has converged, or zoom in).`;
  if (lab.vec?.why === 'diverged') return `No arrows: ${sel.label} diverged.`;
  const k = lab.vec?.k, scaled = k && Math.abs(k - 1) > 1e-9 ? `; drawn ${k > 1 ? `×${sig(k, 2)} (magnified)` : `×${sig(k, 2)} (shrunk)`} so they are visible` : '';
  const batch = lab.values.vec ? batchGradient(sel)?.source : null;
  if (batch) return `Arrows at the previous point θ(t−1): white −η∇L, the step the full data would take; orange −η·g_B, the step this mini-batch of ${sel.spec.batch_size} examples took${batch === 'engine' ? ' (blue dashed: the update Δθ)' : ' (for plain SGD it is Δθ)'}${scaled}. Their difference is the mini-batch noise.`;
  const note = sel.spec.batch_size != null && sel.run?.len > 1 ? ' (This optimizer\'s mini-batch gradient is not reported by the engine, so the arrows show the full gradient only.)' : '';
  if (sel.name === 'newton') return `Arrows at the current point: white −η·g (where a gradient step with η = ${sel.params.eta} would go), blue dashed Δθ (the Newton step just taken), white dashed −H⁻¹g (the full Newton step to the centre of the local model)${scaled}.`;
  return `Arrows at the current point: white −η·g (a plain gradient step)${sel.params.momentum > 0 ? ', yellow u (velocity)' : ''}, blue dashed Δθ (the step just taken)${scaled}.${note}`;
}

// ---- controls ---------------------------------------------------------------------------------
function setupStaticControls() {
  const meta = lab.meta;
  const pre = $('preset');
  pre.append(new Option('— your own experiment —', ''));
  for (const p of PRESETS) if (presetValues(p, meta)) pre.append(new Option(p.title, p.id));
  pre.addEventListener('change', () => loadPreset(pre.value));
  const ls = $('landscape');
  for (const l of meta.landscapes) ls.append(new Option(l.label, l.name));
  ls.append(new Option('Custom expression…', 'custom'));
  ls.addEventListener('change', () => set({ f: ls.value }));
  const expr = $('expr');
  const applyExpr = () => {
    const src = expr.value;
    const err = lab.E.checkExpression(src);
    const box = $('expr-error');
    if (err) {
      // Point at the error: the expression, then a caret under the offending character.
      box.hidden = false;
      const pos = Math.max(0, Math.min(src.length, err.position ?? 0));
      const pre = document.createElement('pre');
      pre.textContent = `${src}\n${' '.repeat(pos)}^ ${err.message}`;
      box.replaceChildren(pre);
      expr.setAttribute('aria-invalid', 'true');
      expr.focus();
      expr.setSelectionRange(pos, Math.min(src.length, pos + 1));
      return;
    }
    // Finite somewhere in the view? Otherwise say so and keep the previous landscape.
    let verdict = {};
    try {
      const L = new lab.E.Landscape({ expression: src });
      const at = (x, y) => L.value(x, y);
      verdict = judgeView(sampleView(at, lab.plot.view), 41, lab.plot.view, at);
      L.free();
    } catch (e) { verdict = { error: errorMessage(e) }; }
    if (verdict.error) {
      box.hidden = false;
      box.textContent = `${verdict.error}. The previous landscape stays.`;
      expr.setAttribute('aria-invalid', 'true');
      return;
    }
    box.hidden = true; expr.setAttribute('aria-invalid', 'false');
    set({ expr: src });
  };
  expr.addEventListener('keydown', (e) => { if (e.key === 'Enter') applyExpr(); });
  expr.addEventListener('change', applyExpr);
  const F = lab.fields;
  for (const id of ['scale', 'cmap', 'levels', 'x0', 'y0', 'steps', 'bres']) F.bind($(id), id);
  for (const id of ['vec', 'model', 'equal', 'basins']) F.bind($(id), id);
  $('view-reset').addEventListener('click', () => lab.plot.resetView());
  const sc = $('sched');
  for (const s of meta.schedulers) sc.append(new Option(s.label, s.name));
  F.bind(sc, 'sched', { toChanges: (name) => {
    const ch = { sched: name };
    for (const k of Object.keys(lab.values)) if (k.startsWith('sched.')) ch[k] = undefined;
    return ch;
  } });
  // Raw ↔ standardized x: the twin data landscape; the racers keep their settings.
  $('standardize').addEventListener('change', () => { const d = DATA_LANDSCAPES[lab.values.f]; if (d) set({ f: d.twin }); });
  $('chart-lin').addEventListener('click', () => set({ chart: 'linear' }));
  $('chart-log').addEventListener('click', () => set({ chart: 'log' }));
  $('play').addEventListener('click', toggle);
  $('step').addEventListener('click', stepOnce);
  $('reset').addEventListener('click', reset);
  F.bind($('speed'), 'speed', { toSlider: sliderFromSpeed, fromSlider: speedFromSlider });
  $('copy-link').addEventListener('click', async () => {
    const ok = await copyText(shareUrl());
    announce(ok ? 'Link copied to the clipboard.' : 'Could not copy; the link is in the address bar.');
    $('copy-link').textContent = ok ? '✓ Link copied' : 'Copy link';
    setTimeout(() => { $('copy-link').textContent = 'Copy link'; }, 1800);
  });
  const ctx = () => ({ lab, selected: selected(), shareUrl: shareUrl() });
  $('exp-png').addEventListener('click', () => exportPNG(ctx()));
  $('exp-csv').addEventListener('click', () => exportCSV(ctx()));
  $('exp-json').addEventListener('click', () => exportJSON(ctx()));
  $('exp-py').addEventListener('click', () => exportPython(ctx()));
  $('unlock').addEventListener('click', () => {
    const id = lab.values.lesson;
    lab.values = { ...lab.values, lesson: '', preset: id };
    lab.locked = false; lab.plot.locked = false;
    // A lesson whose link hid the settings: unlocking brings them back.
    lab.values = { ...lab.values, hide: lab.values.hide.filter((h) => h !== 'controls'), show: [...new Set([...lab.values.show, 'controls'])] };
    applyEmbed(lab.values.embed, lab.values.hide, lab.values.show, EMBED_EXTRAS);
    applyLock(); syncControls(); scheduleUrl();
  });
}

const speedFromSlider = (s) => Number((0.5 * 4000 ** (s / 100)).toPrecision(2));
const sliderFromSpeed = (v) => Math.round((100 * Math.log(v / 0.5)) / Math.log(4000));

function applyLock() {
  $('controls-fs').disabled = lab.locked;
  $('lesson-banner').hidden = !lab.locked;
  const p = presetById(lab.values.lesson);
  $('lesson-text').textContent = lab.locked ? `Lesson: ${p ? p.title : ''}. The settings are fixed by this link; play, step and reset still work.` : '';
}

const api = {
  get values() { return lab.values; },
  set: (ch) => set(ch),
  select: (i) => set({ sel: i }),
};

function syncControls(opts = { cards: true }) {
  const v = lab.values;
  $('preset').value = v.lesson || v.preset || '';
  const p = presetById(v.lesson || v.preset);
  $('preset-note').textContent = p ? p.note : lab.defaultNote;
  $('landscape').value = v.f;
  $('expr-box').hidden = v.f !== 'custom';
  if (v.f === 'custom' && document.activeElement !== $('expr')) $('expr').value = v.expr;
  $('formula').textContent = lab.info?.formula || '';
  const land = lab.meta.landscapes.find((l) => l.name === v.f);
  const lmeta = (land?.params || []).map((q) => ({ ...q, kind: 'number', log: false }));
  if (opts.cards === true) buildParamControls($('lparams'), lmeta, lab.fields, (name) => `lp.${name}`, 'lp');
  const sm = lab.meta.schedulers.find((s) => s.name === v.sched);
  if (opts.cards === true) buildParamControls($('sparams'), sm?.params || [], lab.fields, (name) => `sched.${name}`, 'sched');
  if (v.basins) $('basin-group').open = true;
  $('std-row').hidden = !isDataLandscape(v.f);
  $('standardize').checked = !!DATA_LANDSCAPES[v.f]?.standardize;
  $('speed-out').textContent = `${v.speed}/s`;
  $('chart-lin').setAttribute('aria-checked', String(v.chart === 'linear'));
  $('chart-log').setAttribute('aria-checked', String(v.chart === 'log'));
  if (opts.cards === true) renderRacerCards($('racers'), lab.meta, api, lab.racers, lab.fields);
  else for (const r of lab.racers) {
    const card = $('racers').querySelector(`[data-index="${r.index}"] .racer-label`);
    if (card) card.textContent = r.label;
  }
  for (const r of lab.racers) {
    const st = $('racers').querySelector(`[data-index="${r.index}"] .racer-status`);
    if (st) { st.textContent = r.error || ''; st.classList.toggle('error', !!r.error); }
  }
  lab.fields.sync();
  syncTransport();
}

function syncTransport() {
  $('play').textContent = lab.playing ? '❚❚ Pause' : '▶ Play';
  $('play').setAttribute('aria-pressed', String(lab.playing));
}

function onKey(e) {
  const t = e.target;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (t.closest?.('input, select, textarea, [contenteditable]')) return;
  if (e.key === ' ' || e.code === 'Space') { if (t.tagName === 'BUTTON' || t.tagName === 'SUMMARY') return; e.preventDefault(); toggle(); }
  else if (e.key === 'ArrowRight' && !e.shiftKey) { e.preventDefault(); stepOnce(); }
  else if (e.key === 'r' || e.key === 'R') { e.preventDefault(); reset(); }
}
