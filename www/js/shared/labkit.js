// Page glue shared by the network labs: the URL state
// object around a lab's declarative table (shared/state.js), page start-up (notices, theme, embed,
// lesson lock), keyboard shortcuts, the copy-link button, a PNG of several canvases, and a
// readable fatal error. Each lab keeps its own state in ONE `values` map behind `UrlState.set`.
import { readState, writeState, showNotices, pageParams } from './state.js';
import { initTheme, applyEmbed, copyText, announce, download, radioGroups } from './shell.js';
import { errorMessage, loadEngine } from './engine.js';
import { zipFiles } from './zip.js';
import { visibleCharts } from './xychart.js';
import { bindSeedButton } from './seeds.js';
import { columnsCSV } from './torch-nn.js';
import { dataText } from './assets.js';
import { exposeLab, whenVisible, reportFatal } from './embed.js';

export class UrlState {
  /** @param {object[]} table  @param {URLSearchParams|string} search */
  constructor(table, search) {
    this.table = table;
    const { values, notices, drawn } = readState(table, search);
    this.values = values;
    this.notices = notices;
    this.timer = 0;
    // `seed=random` drew a number: the URL shows it (so a shared link reproduces the run).
    if (drawn.length) this.scheduleUrl(0);
  }
  /** Apply changes (undefined = default), normalise through the table; returns the changed keys. */
  set(changes) {
    const before = this.values;
    const next = { ...before, ...changes };
    this.values = readState(this.table, writeState(this.table, next)).values;
    const changed = Object.keys(this.values).filter((k) => JSON.stringify(this.values[k]) !== JSON.stringify(before[k]));
    this.scheduleUrl();
    return changed;
  }
  /** Replace the table (e.g. a preset changed the defaults) and re-read from a query string. */
  reload(table, qs) {
    this.table = table;
    this.values = readState(table, qs).values;
    this.scheduleUrl();
  }
  query() { return writeState(this.table, this.values); }
  scheduleUrl(ms = 200) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const qs = this.query();
      history.replaceState(null, '', `${qs ? `?${qs}` : location.pathname}${location.hash}`);
    }, ms);
  }
  shareUrl() {
    const qs = this.query();
    return `${location.origin}${location.pathname}${qs ? `?${qs}` : ''}`;
  }
}

/** Notices, theme and embed mode from the URL values (keys theme, embed, hide, show). */
export function startPage(state, onTheme, embedExtras = []) {
  pageExtras = embedExtras;
  showNotices(document.getElementById('url-notice'), state.notices);
  initTheme(state.values.theme, onTheme);
  applyEmbed(state.values.embed, state.values.hide || [], state.values.show || [], embedExtras);
  radioGroups();
}

/** Lesson mode: a banner and disabled settings (the transport still works). */
export function applyLock(locked, title, onUnlock) {
  const fs = document.getElementById('controls-fs');
  if (fs) fs.disabled = locked;
  const banner = document.getElementById('lesson-banner');
  if (banner) banner.hidden = !locked;
  const text = document.getElementById('lesson-text');
  if (text) text.textContent = locked ? `Lesson: ${title}. The settings are fixed by this link; play, step and reset still work.` : '';
  const btn = document.getElementById('unlock');
  if (btn && !btn.dataset.bound) { btn.dataset.bound = '1'; btn.addEventListener('click', () => { onUnlock(); showControls(); }); }
}

/** Space play/pause, → one step, r reset (not while typing in a field). */
export function bindKeys({ toggle, step, reset }) {
  document.addEventListener('keydown', (e) => {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t.closest?.('input, select, textarea, [contenteditable]')) return;
    if (e.key === ' ' || e.code === 'Space') { if (t.tagName === 'BUTTON' || t.tagName === 'SUMMARY' || t.getAttribute?.('role') === 'tab') return; e.preventDefault(); toggle(); }
    else if (e.key === 'ArrowRight' && !e.shiftKey && t.getAttribute?.('role') !== 'tab') { e.preventDefault(); step(); }
    else if (e.key === 'r' || e.key === 'R') { e.preventDefault(); reset(); }
  });
}

export function bindCopyLink(button, state) {
  button.addEventListener('click', async () => {
    const ok = await copyText(state.shareUrl());
    announce(ok ? 'Link copied to the clipboard.' : 'Could not copy; the link is in the address bar.');
    button.textContent = ok ? '✓ Link copied' : 'Copy link';
    setTimeout(() => { button.textContent = 'Copy link'; }, 1800);
  });
}

/**
 * One PNG of several canvases stacked (each with a caption), on the page's background colour.
 * @param {{canvas: HTMLCanvasElement, title: string}[]} parts  @param {string} heading @param {string} name
 */
export function savePNG(parts, heading, name) {
  const visible = parts.filter((p) => p.canvas && p.canvas.width > 0 && p.canvas.offsetParent !== null);
  const dpr = Math.min(3, window.devicePixelRatio || 1);
  const cap = Math.round(20 * dpr), head = Math.round(26 * dpr), pad = Math.round(8 * dpr);
  const W = Math.max(200, ...visible.map((p) => p.canvas.width)) + 2 * pad;
  const H = head + visible.reduce((s, p) => s + p.canvas.height + cap + pad, 0) + pad;
  const out = document.createElement('canvas');
  out.width = W; out.height = H;
  const ctx = out.getContext('2d');
  const st = getComputedStyle(document.body);
  ctx.fillStyle = st.getPropertyValue('--bg').trim() || '#fff'; ctx.fillRect(0, 0, W, H);
  ctx.fillStyle = st.getPropertyValue('--fg').trim() || '#000';
  ctx.font = `bold ${Math.round(14 * dpr)}px system-ui, sans-serif`; ctx.textBaseline = 'middle';
  ctx.fillText(heading, pad, head / 2);
  let y = head;
  ctx.font = `${Math.round(12 * dpr)}px system-ui, sans-serif`;
  for (const p of visible) {
    ctx.fillText(p.title, pad, y + cap / 2);
    y += cap;
    ctx.drawImage(p.canvas, pad, y);
    y += p.canvas.height + pad;
  }
  out.toBlob((b) => { if (b) { download(name, b, 'image/png'); announce('PNG saved.'); } }, 'image/png');
}

/**
 * An "SVG" export next to PNG: every figure shown (XYChart, LineChart, LayerBars, HistStrip, the 2-D figures, and the network and mask diagrams, which write their own), drawn by the engine with plotters
 * (src/chart) as SVG for slides and papers — one file, or a ZIP of one per chart.
 */
export function bindSvgExport(name) {
  const btn = document.getElementById('exp-svg');
  if (!btn || btn.dataset.bound) return;
  btn.dataset.bound = '1';
  btn.addEventListener('click', async () => {
    const charts = visibleCharts();
    if (!charts.length) { announce('No chart is shown to export.'); return; }
    try {
      const E = await loadEngine();
      const files = charts.map((c, i) => {
        const title = chartTitle(c.canvas) || `chart ${i + 1}`;
        const file = `${String(i + 1).padStart(2, '0')}-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'chart'}.svg`;
        const spec = c.svgSpec(title);
        return { name: file, text: spec.kind === 'picture' ? spec.svg : spec.kind === 'bars' ? E.barsSvg(spec) : spec.kind === 'hists' ? E.histsSvg(spec) : spec.kind === 'field' ? E.fieldSvg(spec) : E.chartSvg(spec) };
      });
      if (files.length === 1) download(`${name}-${stamp()}.svg`, files[0].text, 'image/svg+xml');
      else download(`${name}-charts-${stamp()}.zip`, new Blob([zipFiles(files)], { type: 'application/zip' }), 'application/zip');
      announce(`${files.length} chart${files.length > 1 ? 's' : ''} saved as SVG.`);
    } catch (e) {
      announce(`SVG export failed: ${errorMessage(e)}`);
    }
  });
}

/** The heading of the figure a canvas belongs to. */
function chartTitle(canvas) {
  for (let el = canvas.parentElement; el && el !== document.body; el = el.parentElement) {
    const h = el.querySelector(':scope > h2, :scope > h3, :scope > .fig-title, :scope > header h3');
    if (h) return h.textContent.replace(/\s+/g, ' ').trim().slice(0, 80);
  }
  return canvas.getAttribute('aria-label') || '';
}

export const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

/** Show a readable message instead of a dead page. */
export function fatal(e) {
  const el = document.getElementById('fatal');
  if (el) {
    el.hidden = false;
    el.textContent = `The lab could not start: ${errorMessage(e)}. If www/pkg/ is missing, build the engine with ./build.sh build.`;
  }
  console.error(e);
  reportFatal(errorMessage(e));
}

/** A bundled data file of www/data/ (text): fetched on the site, inlined in an offline file. */
export const fetchData = dataText;

export { announce, download, errorMessage, whenVisible };

/**
 * The scene note before the engine has loaded (the page's largest text, so it must not wait for
 * the wasm): the HTML holds the default note; a preset or lesson in the URL replaces it at once.
 * Returns the default note for later use.
 */
export function earlyNote(presetById) {
  const el = document.getElementById('preset-note');
  const fallback = el ? el.textContent : '';
  const q = pageParams();
  const p = presetById(q.get('lesson') || '') || presetById(q.get('preset') || '');
  if (el && p) el.textContent = p.note;
  return fallback;
}

/** Unlocking a lesson whose link hid the settings brings them back (else there is nothing to unlock). */
export function showControls() {
  for (const el of document.querySelectorAll('[data-panel="controls"][data-off]')) el.removeAttribute('data-off');
  document.body.classList.remove('no-controls');
}

/**
 * CSV export of named tables ({name: {column: values}}): one table is one .csv, several are a
 * .zip with one .csv per table (each its own sheet, never side by side in one).
 */
export function downloadTables(base, tables) {
  const named = Object.entries(tables).filter(([, cols]) => Object.values(cols).some((c) => c.length));
  if (named.length <= 1) {
    const [name, cols] = named[0] || ['empty', {}];
    download(`${base}-${name}.csv`, columnsCSV(cols), 'text/csv');
  } else {
    download(`${base}.zip`, new Blob([zipFiles(named.map(([name, cols]) => ({ name: `${name}.csv`, text: columnsCSV(cols) })))], { type: 'application/zip' }), 'application/zip');
  }
  announce(named.length > 1 ? `CSV tables saved (a zip of ${named.length}).` : 'CSV saved.');
}

/**
 * "new" buttons next to seed fields (`data-seed-for` = the URL key): a fresh seed from the
 * browser's CSPRNG through the engine, set like a typed value (so the URL and the run follow).
 * A failure (no random source) is said next to the field, and the seed stays.
 */
export function seedButtons(fields) {
  for (const b of document.querySelectorAll('button[data-seed-for]')) {
    const key = b.dataset.seedFor;
    bindSeedButton(b, key, () => fields.entry(key)?.max, (ch) => fields.lab.set(ch));
  }
}

/**
 * Play / Stop of a lab whose runs train as one sweep in the worker pool (dropout, batch norm).
 * `lab.sweep` is the running sweep and `lab.playing` follows it; every streamed record extends
 * its run's `record` and a finished job marks its run done (`lab.dirty` asks the frame loop for a
 * redraw). Stop cancels the jobs: what they recorded stays drawn, Play trains the unfinished runs
 * again. `hooks`: status(text, bad), describe() and summary() for the status line, redraw(),
 * rebuild(). start(todo, jobs, onResult): train the runs `todo` with one job each; onResult(run,
 * result) as each job ends.
 */
export function poolTransport(lab, getPool, hooks) {
  const $ = (id) => document.getElementById(id);
  const sync = () => { $('play').textContent = lab.playing ? '❚❚ Stop' : '▶ Play'; $('play').setAttribute('aria-pressed', String(lab.playing)); };
  const finish = () => { if (lab.loop.running) lab.loop.stop(); sync(); hooks.redraw(); announce($('status-line').textContent); };
  const ended = (sw, then) => (x) => { if (lab.sweep !== sw) return; lab.sweep = null; lab.playing = false; then(x); finish(); };
  function start(todo, jobs, onResult) {
    const pool = getPool(), sw = pool.sweep(jobs), t0 = performance.now();
    lab.sweep = sw;
    lab.playing = true;
    sw.onJob = (i, m) => { const r = todo[i]; if (m.record) { r.record.push(...m.record); lab.dirty = true; } };
    sw.onProgress = (done, total, i, res) => { const r = todo[i]; r.record = res.record; r.result = res; r.done = true; lab.dirty = true; onResult?.(r, res); };
    sw.results.then(
      ended(sw, () => hooks.status(`Done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${hooks.summary()}`)),
      ended(sw, (e) => { if (!/cancelled/.test(e.message)) hooks.status(`Stopped: ${e.message}`, true); }),
    );
    lab.loop.start();
    sync();
    hooks.status(`Training ${todo.length} runs in ${pool.size} worker${pool.size > 1 ? 's' : ''}: ${hooks.describe()}.`);
  }
  function pause() {
    const sw = lab.sweep;
    lab.playing = false;
    if (sw) { lab.sweep = null; sw.cancel(); hooks.status('Stopped. The finished runs are kept; Play trains the others again from their start.'); }
    if (lab.loop?.running) lab.loop.stop();
    sync();
    return sw ? sw.results.catch(() => {}) : Promise.resolve();
  }
  const reset = () => { pause(); hooks.rebuild(); announce('Reset: every run back to its initial weights.'); };
  return { start, pause, reset, sync };
}

/** What a RemoteTrainer shows now: step, epoch, last loss, divergence, its latest evaluation. */
export function trainerMetrics(t) {
  if (!t) return { step: 0 };
  const h = t.lossHistory();
  return { step: t.steps, metrics: { epoch: t.epoch, loss: h.length ? h[h.length - 1] : null, diverged_at_step: t.diverged_at_step ?? null, ...(t.evaluation || {}) } };
}

/**
 * A network lab made drivable from outside (js/shared/embed.js: the course-page protocol, the
 * lifecycle, SCORM): its URL state `lab.S`, `lab.playing`, and `ctl` = {set, play, pause, step,
 * reset, progress, done, summary, suspend}.
 */
export function exposeNetLab(name, lab, ctl) {
  bindSvgExport(name);
  return exposeLab({ lab: name, table: () => lab.S.table, values: () => lab.S.values, playing: () => !!lab.playing, extras: pageExtras, ...ctl });
}
let pageExtras = [];

/** Progress of a lab whose runs train as one pool sweep: the furthest step, runs done of all. */
export function sweepProgress(runs) {
  const at = (r) => (r.record.length ? r.record[r.record.length - 1].step : 0);
  return { step: Math.max(0, ...runs.map(at)), metrics: { runs: runs.length, runs_done: runs.filter((r) => r.done).length } };
}
