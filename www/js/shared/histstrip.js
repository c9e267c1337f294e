// Per-layer histograms as small multiples on one canvas, drawn by the engine's chart code
// (src/chart/hists.rs through plotters-canvas, as its SVG): one panel per layer, wrapping to more rows
// on a narrow screen; filled bars for now, a dashed outline for a reference (e.g. at
// initialization). Input: the engine's Inspection views — `hist` (layers × bins fractions) and
// `ranges` (layers × 6: [lo, hi] of activation, pre-activation, gradient) — read, never copied.
import { sig } from './format.js';
import { HiDpiCanvas } from './hidpi.js';
import { CHARTS, color, chartTheme } from './xychart.js';
import { engineFor } from './engine.js';

export const HIST_KIND_INDEX = { activation: 0, preactivation: 1, gradient: 2 };

export class HistStrip extends HiDpiCanvas {
  /** @param {HTMLCanvasElement} canvas @param {object} o {color, minPanel (px), title(l)} */
  constructor(canvas, o = {}) {
    super(canvas, 300, 120);
    this.o = { color: '#0072B2', minPanel: 120, panelH: 92, ...o };
    this.data = null;   // {layers, bins, hist, ranges, kind, stats?: [{mean, var}]}
    this.ghost = null;  // same shape, or null
    this.observeSize(canvas.parentElement || canvas);
    CHARTS.add(this);
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
  /** What this strip shows, as the engine's histogram spec (`HistSpec`: drawn on the page by `drawHists`, as SVG by `histsSvg`). */
  spec(title = '') {
    const d = this.data, { w, h } = this.css;
    const k = HIST_KIND_INDEX[d?.kind] ?? 0;
    const { cols } = this.layout(d?.layers || 1);
    const panels = [];
    if (d) {
      const g = this.ghost && this.ghost.layers === d.layers && this.ghost.bins === d.bins ? this.ghost : null;
      const hist = (x, l) => ({ bins: Array.from(x.hist.subarray ? x.hist.subarray(l * x.bins, (l + 1) * x.bins) : x.hist.slice(l * x.bins, (l + 1) * x.bins), Number), lo: x.ranges[l * 6 + 2 * k], hi: x.ranges[l * 6 + 2 * k + 1] });
      for (let l = 0; l < d.layers; l++) {
        const name = this.o.title ? this.o.title(l, d.layers) : `layer ${l + 1}`, st = d.stats?.[l];
        const lo = d.ranges[l * 6 + 2 * k], hi = d.ranges[l * 6 + 2 * k + 1];
        panels.push({
          title: st ? `${name}  μ ${sig(st.mean, 2)} σ² ${sig(st.var, 2)}` : name, hist: hist(d, l), ghost: g ? hist(g, l) : undefined,
          loLabel: Number.isFinite(lo) ? sig(lo, 2) : '', hiLabel: Number.isFinite(hi) ? sig(hi, 2) : '',
        });
      }
    }
    return { kind: 'hists', width: Math.max(32, Math.round(w)), height: Math.max(32, Math.round(h)), title, cols, panelHeight: this.o.panelH, color: color(this.o.color), panels, theme: chartTheme(this.canvas) };
  }
  svgSpec(title = '') { return this.spec(title); }
  draw() {
    const G = engineFor(this);
    if (!G) return;
    G.drawHists(this.canvas, this.spec(), this.dpr);
  }
}

/** A copy of the histogram data of an Inspection (export time or a one-off reference snapshot). */
export function snapshotInspection(ins, kind) {
  return { layers: ins.layers, bins: ins.bins, kind, hist: Float32Array.from(ins[kind]), ranges: Float32Array.from(ins.ranges) };
}
