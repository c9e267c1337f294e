// "Initial values matter": a basin-of-attraction map for the optimizer lab. The engine's Basins
// handle runs the selected racer's optimizer from every cell of a grid over the visible region —
// in a worker of the engine pool (shared/pool.js), in slices of ~10 ms, so the page never waits
// for it. The worker streams the map as it grows (RGBA + the minima found so far); this module
// draws it semi-transparent over the heatmap with the basins' minima marked, shows the progress
// and a legend, and cancels the computation whenever its input changes.
// The legend's and the markers' colours are the engine's (Okabe–Ito, src/basins.rs PALETTE:
// E.basinColors()), the ones it paints the map with.
import { sig } from '../shared/format.js';
import { errorMessage, engineNow } from '../shared/engine.js';
import { getPool } from '../shared/pool.js';

let palette = null;
/** Basin k's colour (k ≥ 0), or the not-converged colour (k = -1). */
function basinColor(k) {
  palette ??= engineNow().basinColors();
  return k < 0 ? palette[palette.length - 1] : palette[k % (palette.length - 1)];
}
const VIEW_SETTLE_MS = 220;  // a pan/zoom restarts the map once the view has settled

export class BasinMap {
  /**
   * @param {object} ui {progress: <progress>, label: element for "computing… 40 %", legend: element,
   *                     onFrame(): redraw the figure, onDone(summary: string)}
   */
  constructor(ui) {
    this.ui = ui;
    this.run = null; this.key = ''; this.job = null;   // job: {spec, nx, ny, rect}
    this.img = document.createElement('canvas');
    this.shown = null;          // {rect, centers, counts} of what img holds
    this.timer = 0; this.finished = false; this.frac = 0;
    this.slices = 0; this.sliceMs = []; this.error = null;
    this.rgba = null; this.labels = null;  // the last map the worker sent (labels once done)
  }

  /** Stop computing and drop the map. */
  clear() {
    this.#cancel();
    this.key = ''; this.shown = null; this.job = null;
    this.#ui(null);
  }

  /**
   * Ask for the map of `spec` over `rect` = [x0, x1, y0, y1] on an nx × ny grid (null spec = none).
   * Restarts only when something changed; a change of the view alone waits until it settles.
   */
  request(spec, rect, nx, ny) {
    if (!spec) { if (this.key) this.clear(); return; }
    const { start, ...rest } = spec; // the start point does not matter: every cell is a start
    const specKey = JSON.stringify(rest);
    const key = JSON.stringify([specKey, rect, nx, ny]);
    if (key === this.key) return;
    const onlyView = this.job && this.job.specKey === specKey;
    this.key = key;
    this.#cancel();
    this.job = { spec: rest, specKey, rect: rect.slice(), nx, ny };
    if (!onlyView) this.shown = null;       // a different optimizer: the old map would mislead
    this.#ui(0);
    if (onlyView) this.timer = setTimeout(() => this.#begin(), VIEW_SETTLE_MS);
    else this.#begin();
  }

  get done() { return this.finished; }
  get progress() { return this.frac; }

  #cancel() {
    clearTimeout(this.timer); this.timer = 0;
    this.run?.cancel(); this.run = null;
    this.finished = false;
  }

  #begin() {
    const { spec, nx, ny, rect } = this.job;
    this.error = null; this.slices = 0; this.frac = 0; this.sliceMs = []; this.finished = false; this.labels = null;
    const run = getPool().cancellable('basins', { spec, nx, ny, rect }, (m) => { if (this.run === run) this.#progress(m); });
    this.run = run;
    run.promise.catch((e) => {
      if (this.run !== run) return;
      this.error = errorMessage(e); this.run = null; this.shown = null; this.#ui(null); this.ui.onFrame();
    });
  }

  /** A progress report from the worker: the map so far. */
  #progress(m) {
    const { nx, ny, rect } = this.job;
    if (!this.shown || this.shown.nx !== nx || this.shown.ny !== ny || this.shown.rect !== rect) {
      this.img.width = nx; this.img.height = ny;
      this.shown = { rect, centers: [], counts: null, nx, ny };
    }
    this.slices += m.slices; this.sliceMs.push(...m.sliceMs);
    this.frac = m.frac; this.rgba = m.rgba;
    this.img.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(m.rgba.buffer, m.rgba.byteOffset, nx * ny * 4), nx, ny), 0, 0);
    const c = m.centers, centers = [];
    for (let k = 0; k + 2 < c.length; k += 3) centers.push({ x: c[k], y: c[k + 1], f: c[k + 2] });
    this.shown.centers = centers;
    if (m.done) { this.labels = m.labels; this.finished = true; this.run = null; this.#finish(); }
    else this.#ui(this.frac);
    this.ui.onFrame();
  }

  #finish() {
    const lab = this.labels;
    const counts = new Map();
    for (let i = 0; i < lab.length; i++) counts.set(lab[i], (counts.get(lab[i]) || 0) + 1);
    this.shown.counts = counts;
    this.shown.total = lab.length;
    this.#ui(1);
    const n = this.shown.centers.filter((_, k) => counts.get(k)).length;
    this.ui.onDone?.(`Basin map done: ${n} basin${n === 1 ? '' : 's'}.`);
  }

  /** Number of basins with at least one cell (after the map is done). */
  get basinCount() {
    const s = this.shown;
    return s?.counts ? s.centers.filter((_, k) => s.counts.get(k)).length : 0;
  }

  #ui(frac) {
    const { progress, label } = this.ui;
    const computing = frac != null && frac < 1;
    progress.hidden = !computing;
    if (computing) { progress.value = frac; progress.setAttribute('aria-valuetext', `${Math.round(frac * 100)} %`); }
    label.textContent = this.error ? `Basin map failed: ${this.error}` : computing ? `computing the basin map… ${Math.round(frac * 100)} %` : '';
    this.#legend();
  }

  #legend() {
    const box = this.ui.legend;
    const s = this.shown;
    box.hidden = !s;
    if (!s) { box.replaceChildren(); return; }
    const rows = [];
    const item = (color, text, cls = '') => {
      const li = document.createElement('li');
      if (cls) li.className = cls;
      const sw = document.createElement('span');
      sw.className = 'basin-swatch'; sw.style.background = color;
      li.append(sw, document.createTextNode(text));
      return li;
    };
    const pct = (k) => (s.counts ? ` — ${Math.round((1000 * (s.counts.get(k) || 0)) / s.total) / 10} % of starts` : '');
    s.centers.forEach((c, k) => {
      if (s.counts && !s.counts.get(k)) return;
      rows.push(item(basinColor(k), `basin ${k + 1} → minimum (${sig(c.x, 4)}, ${sig(c.y, 4)}), f = ${Math.abs(c.f) < 1e-12 ? '0' : sig(c.f, 5)}${pct(k)}`));
    });
    if (s.counts?.get(-1)) rows.push(item(basinColor(-1), `not converged within the steps${pct(-1)}`));
    if (s.counts?.get(-2)) rows.push(item('transparent', `diverged (no colour)${pct(-2)}`, 'diverged'));
    box.replaceChildren(...rows);
  }

  /** Draw the map (at its own world rectangle) and number the minima it found. */
  draw(ctx, plot) {
    const s = this.shown;
    if (!s) return;
    const [x0, x1, y0, y1] = s.rect;
    const [p0x, p0y] = plot.toPx(x0, y1), [p1x, p1y] = plot.toPx(x1, y0);
    ctx.save();
    ctx.globalAlpha = 0.5;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.img, p0x, p0y, p1x - p0x, p1y - p0y);
    ctx.restore();
    ctx.font = 'bold 12px system-ui, sans-serif';
    ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    s.centers.forEach((c, k) => {
      if (s.counts && !s.counts.get(k)) return;
      const [px, py] = plot.toPx(c.x, c.y);
      ctx.beginPath(); ctx.arc(px + 13, py - 13, 8.5, 0, 2 * Math.PI);
      const col = basinColor(k);
      ctx.fillStyle = col; ctx.fill();
      ctx.lineWidth = 1.5; ctx.strokeStyle = '#000'; ctx.stroke();
      ctx.fillStyle = luminance(col) > 0.35 ? '#000' : '#fff'; ctx.fillText(String(k + 1), px + 13, py - 12.5);
    });
    ctx.textAlign = 'start'; ctx.textBaseline = 'alphabetic';
  }
}

/** Relative luminance of '#rrggbb' (sRGB, WCAG), to pick black or white text on it. */
function luminance(hex) {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
