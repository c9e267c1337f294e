// Per-layer histograms as small multiples on one canvas (one panel per layer, wrapping to more rows
// on a narrow screen): filled bars for now, a dashed outline for a reference (e.g. at
// initialization). Input: the engine's Inspection views — `hist` (layers × bins fractions) and
// `ranges` (layers × 6: [lo, hi] of activation, pre-activation, gradient) — read, never copied.
import { sig } from './format.js';
import { HiDpiCanvas } from './hidpi.js';

export const HIST_KIND_INDEX = { activation: 0, preactivation: 1, gradient: 2 };

export class HistStrip extends HiDpiCanvas {
  /** @param {HTMLCanvasElement} canvas @param {object} o {color, minPanel (px), title(l)} */
  constructor(canvas, o = {}) {
    super(canvas, 300, 120);
    this.o = { color: '#0072B2', minPanel: 120, panelH: 92, ...o };
    this.data = null;   // {layers, bins, hist, ranges, kind, stats?: [{mean, var}]}
    this.ghost = null;  // same shape, or null
    this.observeSize(canvas.parentElement || canvas);
  }
  /** Rows needed at the current width; the page sizes the canvas height from it. */
  layout(layers = this.data?.layers || 1) {
    const w = this.css.w;
    const cols = Math.max(1, Math.min(layers, Math.floor(w / this.o.minPanel)));
    return { cols, rows: Math.ceil(layers / cols) };
  }
  set(data, ghost = this.ghost) {
    this.data = data; this.ghost = ghost;
    const want = this.layout().rows * this.o.panelH + 4;
    if (Math.abs(this.canvas.getBoundingClientRect().height - want) > 1) { this.canvas.style.height = `${want}px`; this.resize(); }
    this.requestDraw();
  }
  onResize() {
    if (this.data) {
      const want = this.layout().rows * this.o.panelH + 4;
      if (Math.abs(this.css.h - want) > 1) this.canvas.style.height = `${want}px`;
    }
  }
  draw() {
    const { ctx, dpr } = this, { w, h } = this.css;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const d = this.data;
    if (!d) return;
    const st = getComputedStyle(this.canvas);
    const fg = st.getPropertyValue('--fg').trim() || '#222';
    const muted = st.getPropertyValue('--muted').trim() || '#777';
    const { cols } = this.layout(d.layers);
    const pw = w / cols, ph = this.o.panelH;
    const k = HIST_KIND_INDEX[d.kind] ?? 0;
    ctx.font = '10.5px system-ui, sans-serif';
    for (let l = 0; l < d.layers; l++) {
      const px = (l % cols) * pw, py = Math.floor(l / cols) * ph;
      const r = { x: px + 6, y: py + 16, w: pw - 12, h: ph - 34 };
      const lo = d.ranges[l * 6 + 2 * k], hi = d.ranges[l * 6 + 2 * k + 1];
      const bins = d.bins;
      let top = 0;
      for (let b = 0; b < bins; b++) top = Math.max(top, d.hist[(l * bins + b)] || 0);
      const g = this.ghost && this.ghost.layers === d.layers && this.ghost.bins === bins ? this.ghost : null;
      if (g) for (let b = 0; b < bins; b++) top = Math.max(top, g.hist[(l * bins + b)] || 0);
      top = top > 0 ? top : 1;
      ctx.fillStyle = this.o.color;
      const bw = r.w / bins;
      for (let b = 0; b < bins; b++) {
        const v = d.hist[l * bins + b];
        if (!(v > 0)) continue;
        const bh = (v / top) * r.h;
        ctx.fillRect(r.x + b * bw, r.y + r.h - bh, Math.max(1, bw - 0.5), bh);
      }
      if (g) {
        // The reference histogram, placed on this panel's axis by its own range.
        const glo = g.ranges[l * 6 + 2 * k], ghi = g.ranges[l * 6 + 2 * k + 1];
        ctx.strokeStyle = fg; ctx.lineWidth = 1; ctx.setLineDash([3, 2]); ctx.beginPath();
        let pen = false;
        for (let b = 0; b < bins; b++) {
          const v = g.hist[l * bins + b] || 0;
          const x0 = glo + ((ghi - glo) * b) / bins, x1 = glo + ((ghi - glo) * (b + 1)) / bins;
          const X = (x) => r.x + ((x - lo) / (hi - lo || 1)) * r.w;
          const a = Math.max(r.x, Math.min(r.x + r.w, X(x0))), c = Math.max(r.x, Math.min(r.x + r.w, X(x1)));
          const y = r.y + r.h - (v / top) * r.h;
          if (!pen) { ctx.moveTo(a, r.y + r.h); pen = true; }
          ctx.lineTo(a, y); ctx.lineTo(c, y);
        }
        ctx.stroke(); ctx.setLineDash([]);
      }
      ctx.strokeStyle = muted; ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(r.x, r.y + r.h + 0.5); ctx.lineTo(r.x + r.w, r.y + r.h + 0.5); ctx.stroke();
      ctx.fillStyle = fg; ctx.textBaseline = 'alphabetic'; ctx.textAlign = 'left';
      const title = this.o.title ? this.o.title(l, d.layers) : `layer ${l + 1}`;
      const s = d.stats?.[l];
      ctx.fillText(s ? `${title}  μ ${sig(s.mean, 2)} σ² ${sig(s.var, 2)}` : title, r.x, py + 11, r.w);
      ctx.fillStyle = muted; ctx.textBaseline = 'top';
      ctx.fillText(Number.isFinite(lo) ? sig(lo, 2) : '', r.x, r.y + r.h + 3);
      ctx.textAlign = 'right';
      ctx.fillText(Number.isFinite(hi) ? sig(hi, 2) : '', r.x + r.w, r.y + r.h + 3);
    }
  }
}

/** A copy of the histogram data of an Inspection (export time or a one-off reference snapshot). */
export function snapshotInspection(ins, kind) {
  return { layers: ins.layers, bins: ins.bins, kind, hist: Float32Array.from(ins[kind]), ranges: Float32Array.from(ins.ranges) };
}
