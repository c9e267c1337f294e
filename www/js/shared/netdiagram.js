// A network diagram (the deeplearning.ai initialization demo's): units in columns, one edge per
// weight, coloured by sign (blue > 0, orange < 0; Okabe–Ito) and thickened by magnitude — of the
// weights or, toggled, of their gradients. Reads the engine's flat parameter / gradient views with
// its layout ([W offset, W length, b offset, b length] per Dense layer, W[out][in] row-major).
// Very wide layers are drawn with their first units only (a "+k more" note says so). The picture
// is laid out once as primitives (picture.js), drawn on the canvas in slices and written as the
// figure's SVG.
import { HiDpiCanvas } from './hidpi.js';
import { CHARTS, chartTheme } from './xychart.js';
import { Picture, paint, pictureSvg } from './picture.js';

export const POS = '#0072B2', NEG = '#D55E00';
const MAX_UNITS = 16;
const EDGES_PER_SLICE = 160, SLICE_MS = 5;

export class NetDiagram extends HiDpiCanvas {
  constructor(canvas, o = {}) {
    super(canvas, 300, 200);
    this.o = { activation: 'relu', outputLabel: 'σ', ...o };
    this.sizes = [2, 1];
    this.values = null; this.layout = null; this.mode = 'weights';
    this.scale = 0;
    this.job = null; this.jobMs = 0; this.nextAt = 0; this.later = 0;
    this.observeSize();
    CHARTS.add(this);
  }
  set({ sizes, values, layout, mode, activation }) {
    if (sizes) this.sizes = sizes;
    if (values) this.values = values;
    if (layout) this.layout = layout;
    if (mode && mode !== this.mode) { this.mode = mode; this.scale = 0; }
    if (activation) this.o.activation = activation;
    this.requestDraw();
  }
  /**
   * Draw in slices. Skia rasterizes each stroked edge separately (~10 µs each on a 2× phone
   * canvas: 1 328 edges of a 2-16×6-1 network took 13–22 ms, all of it on the main thread at the
   * frame's commit, where a task budget cannot see it). So the edges go into a buffer canvas a
   * slice at a time, each slice rasterized at once (a 1-pixel read) within the frame's budget, and
   * the finished picture is copied onto the page in one step. Values that arrive meanwhile are
   * drawn next: the diagram shows whole pictures, at most a few frames old. A new picture starts
   * no sooner than 3× the last one's drawing time after it, so that a large diagram of a network
   * training at full speed takes at most a quarter of the main thread (~16 pictures/s on a phone).
   */
  draw() {
    const t0 = performance.now();
    if (!this.job && t0 < this.nextAt) {
      if (!this.later) this.later = setTimeout(() => { this.later = 0; this.requestDraw(); }, this.nextAt - t0);
      return;
    }
    if (!this.job) {
      const theme = this.#theme();
      const { w, h } = this.css;
      // Nothing changed (the same parameter array, sizes, mode, size and theme): the canvas stands.
      const key = [this.values, this.sizes.join('-'), this.layout, this.mode, this.o.activation, w, h, this.dpr, ...theme];
      if (this.drawn && key.every((v, i) => v === this.drawn[i])) return;
      this.drawn = key;
      const buf = (this.buffer ??= document.createElement('canvas'));
      if (buf.width !== this.canvas.width || buf.height !== this.canvas.height) { buf.width = this.canvas.width; buf.height = this.canvas.height; this.bctx = null; }
      this.bctx ??= buf.getContext('2d', { willReadFrequently: true });
      const pic = this.#picture(theme);
      this.pendingMax = pic.max;
      this.job = this.#slices(this.bctx, pic);
      this.jobMs = 0;
    }
    for (;;) {
      const r = this.job.next();
      this.bctx.getImageData(0, 0, 1, 1); // rasterize this slice now, inside the budget
      if (r.done) {
        this.job = null;
        this.maxAbs = this.scale = this.pendingMax; // the picture on the page: its thickest edge
        this.jobMs += performance.now() - t0;
        this.nextAt = performance.now() + 3 * this.jobMs;
        const { ctx } = this;
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
        ctx.drawImage(this.buffer, 0, 0);
        this.requestDraw(); // values that arrived while this picture was drawn
        return;
      }
      if (performance.now() - t0 > SLICE_MS) { this.jobMs += performance.now() - t0; this.requestDraw(); return; }
    }
  }
  /** Paint `pic` on the buffer, yielding after every EDGES_PER_SLICE primitives. */
  *#slices(ctx, pic) {
    const { dpr } = this;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, pic.w, pic.h);
    for (let n = 0; n < pic.items.length; n += EDGES_PER_SLICE) {
      paint(ctx, pic, n, Math.min(pic.items.length, n + EDGES_PER_SLICE));
      yield;
    }
  }
  /** The figure as its SVG export (the picture on the page, now). */
  svgSpec(title = '') {
    const th = chartTheme(this.canvas), pic = this.#picture(this.#theme());
    return { kind: 'picture', svg: pictureSvg(pic, { bg: th.bg, fg: th.fg, title }), units: this.sizes.reduce((a, n) => a + Math.min(n, MAX_UNITS), 0) };
  }
  /** The page's foreground, background and muted colours (empty where unset). */
  #theme() {
    const st = getComputedStyle(this.canvas);
    return ['--fg', '--bg', '--muted'].map((k) => st.getPropertyValue(k).trim());
  }
  /** The picture: edges (sign → colour, magnitude → width and opacity), units, captions. */
  #picture([fgC, bgC, mutedC]) {
    const { w, h } = this.css;
    const pic = new Picture(w, h);
    const fg = fgC || '#222', bg = bgC || '#fff', muted = mutedC || '#777';
    const S = this.sizes, L = S.length;
    const shown = S.map((n) => Math.min(n, MAX_UNITS));
    const padX = 34, padY = 22;
    const colX = (l) => padX + ((w - 2 * padX) * l) / Math.max(1, L - 1);
    const maxShown = Math.max(...shown);
    const rad = Math.max(4, Math.min(13, (h - 2 * padY) / (maxShown * 2.6)));
    const unitY = (l, i) => { const n = shown[l]; const span = Math.min(h - 2 * padY, n * rad * 3.2); return h / 2 - span / 2 + (n === 1 ? span / 2 : (span * i) / (n - 1)); };
    const v = this.values, lay = this.layout;
    // Scale: the largest |value| (weights or gradients) of this picture.
    let m = 0;
    if (v && lay) for (let l = 0; l < L - 1; l++) { const o = lay[4 * l], n = lay[4 * l + 1]; for (let k = 0; k < n; k++) { const a = Math.abs(v[o + k]); if (a > m && Number.isFinite(a)) m = a; } }
    pic.max = m;
    for (let l = 0; l < L - 1; l++) {
      const nin = S[l], wo = lay ? lay[4 * l] : 0;
      for (let j = 0; j < shown[l + 1]; j++) for (let i = 0; i < shown[l]; i++) {
        const val = v && lay ? v[wo + j * nin + i] : 0;
        const a = m > 0 && Number.isFinite(val) ? Math.abs(val) / m : 0;
        pic.line(colX(l), unitY(l, i), colX(l + 1), unitY(l + 1, j), {
          color: !Number.isFinite(val) ? muted : val >= 0 ? POS : NEG,
          alpha: a > 0 ? 0.25 + 0.75 * Math.sqrt(a) : 0.35,
          width: a > 0 ? 0.6 + 5.5 * Math.sqrt(a) : 0.5,
          dash: a === 0 ? [2, 3] : null,
        });
      }
    }
    for (let l = 0; l < L; l++) {
      for (let i = 0; i < shown[l]; i++) {
        let fill = bg;
        if (l > 0 && v && lay) {
          const b = v[lay[4 * (l - 1) + 2] + i];
          const a = m > 0 && Number.isFinite(b) ? Math.min(1, Math.abs(b) / m) : 0;
          fill = a > 0.02 ? mix(bg, b >= 0 ? POS : NEG, 0.15 + 0.6 * Math.sqrt(a)) : bg;
        }
        pic.circle(colX(l), unitY(l, i), rad, { fill, stroke: fg, width: 1.2 });
      }
      if (S[l] > shown[l]) pic.text(colX(l), h - padY + 6, `+${S[l] - shown[l]} more`, { color: muted, baseline: 'top' });
      const cap = l === 0 ? `input (${S[l]})` : l === L - 1 ? `output (${S[l]})` : `${this.o.activation} (${S[l]})`;
      pic.text(colX(l), Math.max(12, unitY(l, 0) - rad - 3), cap, { color: muted, baseline: 'bottom' });
    }
    return pic;
  }
}

function hex(c) { const m = /^#?([0-9a-f]{6})$/i.exec(c.trim()); if (!m) return null; const n = parseInt(m[1], 16); return [n >> 16, (n >> 8) & 255, n & 255]; }
function mix(a, b, t) {
  const A = hex(a) || [255, 255, 255], B = hex(b) || [0, 0, 0];
  return `rgb(${A.map((x, i) => Math.round(x + (B[i] - x) * t)).join(',')})`;
}
