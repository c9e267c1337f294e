// One bar per layer on a log₁₀ axis (per-layer gradient norms ‖∂L/∂W[l]‖ and the like), drawn by
// the engine's chart code (src/chart/bars.rs through plotters-canvas, as its SVG), with an
// optional "ghost" outline per layer (e.g. the values at initialization) so that the change during
// training stays visible. Reads plain arrays or engine views. The engine computes in float32: a
// value that overflowed it (±∞, NaN) gets a hatched full-height bar marked "∞", an exact zero a "0"
// mark, and the chart says what they mean (`note()`): an overflowed or underflowed gradient is
// reported, never shown as a zero.
import { sig } from './format.js';
import { CHARTS, color, chartTheme } from './xychart.js';
import { HiDpiCanvas } from './hidpi.js';
import { engineFor } from './engine.js';

export class LayerBars extends HiDpiCanvas {
  /** @param {HTMLCanvasElement} canvas @param {object} o {yLabel, xLabel, color, ghostLabel, minDecades} */
  constructor(canvas, o = {}) {
    super(canvas, 300, 160);
    this.o = { color: '#0072B2', xLabel: 'layer l', minDecades: 2, ...o };
    this.values = [];
    this.ghost = null;
    this.range = null;     // [lo, hi] in decades, grows at once and shrinks slowly (no jitter)
    this.observeSize();
    CHARTS.add(this);
  }

  /** What this chart shows, as the engine's bar-chart spec (`BarSpec`: the page draws it with `drawBars`, the SVG export with `barsSvg`). */
  spec(title = '', update = true) {
    const o = this.o, n = Math.max(this.values?.length || 0, this.ghost?.length || 0);
    const arr = (a) => (a ? Array.from(a, Number) : undefined);
    const perBar = typeof o.color === 'function';
    return {
      kind: 'bars', width: Math.max(32, Math.round(this.css.w)), height: Math.max(32, Math.round(this.css.h)), title,
      xLabel: o.xLabel || '', yLabel: o.yLabel || '', ghostLabel: o.ghostLabel || '', minDecades: o.minDecades ?? 2,
      color: color(perBar ? o.color(0, n) : o.color), colors: perBar ? Array.from({ length: n }, (_, l) => color(o.color(l, n))) : [],
      compact: !!o.compact, values: arr(this.values) || [], ghost: arr(this.ghost), range: update ? [...this.#updateRange()] : this.range ? [...this.range] : undefined,
      theme: chartTheme(this.canvas),
    };
  }
  svgSpec(title = '') { return this.spec(title, false); }
  set(values, ghost = this.ghost) { this.values = values; this.ghost = ghost; this.requestDraw(); }
  resetRange() { this.range = null; }
  #updateRange() {
    let lo = Infinity, hi = -Infinity;
    const scan = (a) => { if (!a) return; for (let i = 0; i < a.length; i++) { const v = a[i]; if (Number.isFinite(v) && v > 0) { const t = Math.log10(v); if (t < lo) lo = t; if (t > hi) hi = t; } } };
    scan(this.values); scan(this.ghost);
    if (!Number.isFinite(lo)) return this.range || [-3, 0]; // nothing to show yet: keep (or do not fix) the range
    lo = Math.floor(lo - 0.25); hi = Math.ceil(hi + 0.25);
    if (hi - lo < this.o.minDecades) lo = hi - this.o.minDecades;
    if (!this.range) this.range = [lo, hi];
    else {
      // grow at once; shrink one decade per redraw only when a whole decade is unused
      this.range[0] = lo < this.range[0] ? lo : Math.min(lo, this.range[0] + (lo - this.range[0] >= 1 ? 1 : 0));
      this.range[1] = hi > this.range[1] ? hi : Math.max(hi, this.range[1] - (this.range[1] - hi >= 1 ? 1 : 0));
    }
    return this.range;
  }
  draw() {
    const G = engineFor(this);
    if (!G) return;
    G.drawBars(this.canvas, this.spec(), this.dpr);
  }
  /** Counts of overflowed (non-finite) and zero values: what the chart's caption must explain. */
  special() {
    let over = 0, zero = 0;
    for (const v of this.values || []) { if (!Number.isFinite(v)) over++; else if (v === 0) zero++; }
    return { over, zero };
  }
  /** Ratio of the first to the last finite positive value (how much the gradient shrinks), or null. */
  spread() {
    const v = Array.from(this.values || []).filter((x) => Number.isFinite(x) && x > 0);
    return v.length > 1 ? v[0] / v[v.length - 1] : null;
  }
}

export { sig };
