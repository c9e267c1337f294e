// A network drawn with the units one dropout mask knocked out (the lecture's "mini-batch 1, 2, 3"
// picture): units in columns (the first MAX_UNITS of a layer; "+k more" says how many are not
// drawn), kept units filled, dropped ones hollow and crossed out, and only the edges between kept
// units (a dropped unit neither sends nor, through its weights, receives a gradient in that step).
// `set({sizes, masks})`: masks = the engine's DropoutMask[] ({after, n, kept}) of one example.
// Laid out as primitives (picture.js): the same picture on the canvas and in the SVG export.
import { HiDpiCanvas } from './hidpi.js';
import { CHARTS, chartTheme } from './xychart.js';
import { Picture, paint, pictureSvg } from './picture.js';

const MAX_UNITS = 12;

export class MaskDiagram extends HiDpiCanvas {
  constructor(canvas) {
    super(canvas, 300, 190);
    this.sizes = [64, 10];
    this.masks = null;
    this.observeSize();
    CHARTS.add(this);
  }
  set({ sizes, masks }) {
    if (sizes) this.sizes = sizes;
    this.masks = masks ?? null;
    this.requestDraw();
  }
  /** kept[l][i] for the drawn units (true where no dropout follows layer l). */
  kept() {
    const S = this.sizes;
    return S.map((n, l) => {
      const m = this.masks?.find((x) => x.after === l);
      return Array.from({ length: Math.min(n, MAX_UNITS) }, (_, i) => (m && m.kept.length === n ? m.kept[i] === 1 : true));
    });
  }
  draw() {
    const { ctx, dpr } = this, { w, h } = this.css;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    paint(ctx, this.#picture());
  }
  /** The figure as its SVG export. */
  svgSpec(title = '') {
    const th = chartTheme(this.canvas);
    return { kind: 'picture', svg: pictureSvg(this.#picture(), { bg: th.bg, fg: th.fg, title }), units: this.sizes.reduce((a, n) => a + Math.min(n, MAX_UNITS), 0) };
  }
  #picture() {
    const { w, h } = this.css, pic = new Picture(w, h);
    const st = getComputedStyle(this.canvas);
    const fg = st.getPropertyValue('--fg').trim() || '#222';
    const bg = st.getPropertyValue('--bg').trim() || '#fff';
    const muted = st.getPropertyValue('--muted').trim() || '#777';
    const accent = st.getPropertyValue('--accent').trim() || '#0072B2';
    const S = this.sizes, L = S.length, K = this.kept();
    const padX = 26, padTop = 16, padBottom = 18;
    const colX = (l) => padX + ((w - 2 * padX) * l) / Math.max(1, L - 1);
    const shown = S.map((n) => Math.min(n, MAX_UNITS));
    const rad = Math.max(2.5, Math.min(7, (h - padTop - padBottom) / (Math.max(...shown) * 2.7)));
    const unitY = (l, i) => { const n = shown[l], span = Math.min(h - padTop - padBottom, n * rad * 2.7); return padTop + (h - padTop - padBottom) / 2 - span / 2 + (n === 1 ? span / 2 : (span * i) / (n - 1)); };
    // Edges between kept units only (thin, one colour: the picture is about which units take part).
    for (let l = 0; l < L - 1; l++) {
      for (let i = 0; i < shown[l]; i++) {
        if (!K[l][i]) continue;
        for (let j = 0; j < shown[l + 1]; j++) if (K[l + 1][j]) pic.line(colX(l), unitY(l, i), colX(l + 1), unitY(l + 1, j), { color: muted, alpha: 0.45, width: 0.7 });
      }
    }
    for (let l = 0; l < L; l++) {
      const m = this.masks?.find((x) => x.after === l);
      for (let i = 0; i < shown[l]; i++) {
        const x = colX(l), y = unitY(l, i), on = K[l][i];
        pic.circle(x, y, rad, { fill: on ? accent : bg, stroke: on ? fg : muted, width: 1, dash: on ? null : [2, 2] });
        if (!on) {
          const d = rad * 0.75;
          pic.line(x - d, y - d, x + d, y + d, { color: muted, width: 1.2 });
          pic.line(x + d, y - d, x - d, y + d, { color: muted, width: 1.2 });
        }
      }
      const dropped = m && m.kept.length === S[l] ? m.kept.reduce((a, k) => a + (k ? 0 : 1), 0) : 0;
      pic.text(colX(l), padTop - 3, m ? `${dropped}/${S[l]} out` : String(S[l]), { color: muted, size: 10, baseline: 'bottom' });
      if (S[l] > shown[l]) pic.text(colX(l), h - padBottom + 4, `+${S[l] - shown[l]}`, { color: muted, size: 10, baseline: 'top' });
    }
    return pic;
  }
}
