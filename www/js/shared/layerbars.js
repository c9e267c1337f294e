// One bar per layer on a log₁₀ axis (per-layer gradient norms ‖∂L/∂W[l]‖ and the like), with an
// optional "ghost" outline per layer (e.g. the values at initialization) so that the change during
// training stays visible. Reads plain arrays or engine views. The engine computes in float32: a
// value that overflowed it (±∞, NaN) gets a hatched full-height bar marked "∞", an exact zero a "0"
// mark, and the chart says what they mean (`note()`): an overflowed or underflowed gradient is
// reported, never shown as a zero.
import { sig } from './format.js';
import { decadeTicks, pow10Label, CHARTS, color, chartTheme } from './xychart.js';
import { HiDpiCanvas } from './hidpi.js';

const M = { left: 56, right: 10, top: 14, bottom: 34 };
const M_COMPACT = { left: 34, right: 3, top: 5, bottom: 14 };

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

  /** What this chart shows, as the engine's bar-chart spec (the SVG export: `barsSvg`). */
  svgSpec(title = '') {
    const o = this.o, n = Math.max(this.values?.length || 0, this.ghost?.length || 0);
    const arr = (a) => (a ? Array.from(a, Number) : undefined);
    return {
      kind: 'bars', width: Math.max(64, Math.round(this.css.w)), height: Math.max(64, Math.round(this.css.h)), title,
      xLabel: o.xLabel || '', yLabel: o.yLabel || '', ghostLabel: o.ghostLabel || '', minDecades: o.minDecades ?? 2,
      color: color(typeof o.color === 'function' ? o.color(0, n) : o.color),
      values: arr(this.values) || [], ghost: arr(this.ghost), range: this.range ? [...this.range] : undefined,
      theme: chartTheme(this.canvas),
    };
  }
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
    const { ctx, dpr } = this, { w, h } = this.css, o = this.o;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const st = getComputedStyle(this.canvas);
    const fg = st.getPropertyValue('--fg').trim() || '#222';
    const grid = st.getPropertyValue('--grid').trim() || 'rgba(128,128,128,0.25)';
    const m = o.compact ? M_COMPACT : M;
    const r = { x: m.left, y: m.top, w: Math.max(10, w - m.left - m.right), h: Math.max(10, h - m.top - m.bottom) };
    const [lo, hi] = this.#updateRange();
    const anyFinite = [...(this.values || []), ...(this.ghost || [])].some((v) => Number.isFinite(v) && v > 0);
    const Y = (t) => r.y + (1 - (t - lo) / (hi - lo)) * r.h;
    ctx.font = o.compact ? '9.5px system-ui, sans-serif' : '11px system-ui, sans-serif'; ctx.lineWidth = 1;
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const t of anyFinite ? decadeTicks(lo, hi, Math.max(2, Math.round(r.h / (o.compact ? 30 : 24)))) : []) {
      const py = Y(t); ctx.strokeStyle = grid; ctx.beginPath(); ctx.moveTo(r.x, py); ctx.lineTo(r.x + r.w, py); ctx.stroke();
      ctx.fillStyle = fg; ctx.fillText(pow10Label(t), r.x - 5, py);
    }
    const n = Math.max(this.values?.length || 0, this.ghost?.length || 0);
    const slot = r.w / Math.max(1, n), bw = Math.max(2, Math.min(44, slot * 0.72));
    const labelEvery = o.compact ? n : Math.max(1, Math.ceil(22 / slot));
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (let l = 0; l < n; l++) {
      const cx = r.x + slot * (l + 0.5);
      const v = this.values?.[l];
      if (Number.isFinite(v) && v > 0) {
        const top = Y(Math.max(lo, Math.log10(v)));
        ctx.fillStyle = typeof o.color === 'function' ? o.color(l, n) : o.color;
        ctx.fillRect(cx - bw / 2, top, bw, r.y + r.h - top);
      } else if (v !== undefined && v !== null && !Number.isFinite(v)) {
        // Overflowed float32: hatched to the top, marked ∞.
        ctx.save(); ctx.beginPath(); ctx.rect(cx - bw / 2, r.y, bw, r.h); ctx.clip();
        ctx.strokeStyle = '#D55E00'; ctx.lineWidth = 1.5;
        for (let yy = r.y - bw; yy < r.y + r.h + bw; yy += 6) { ctx.beginPath(); ctx.moveTo(cx - bw / 2, yy + bw); ctx.lineTo(cx + bw / 2, yy); ctx.stroke(); }
        ctx.restore();
        ctx.fillStyle = '#D55E00'; ctx.textBaseline = 'top'; ctx.fillText('∞', cx, r.y + 2);
      } else if (v !== undefined && v !== null) {
        // Zero (float32 underflow, or an exact zero): a "0" where it fits, else a red foot mark.
        if (slot >= 9) { ctx.fillStyle = fg; ctx.textBaseline = 'bottom'; ctx.fillText('0', cx, r.y + r.h - 2); ctx.textBaseline = 'top'; }
        else { ctx.fillStyle = '#D55E00'; ctx.fillRect(cx - bw / 2, r.y + r.h - 4, bw, 3); }
      }
      const gv = this.ghost?.[l];
      if (Number.isFinite(gv) && gv > 0) {
        const gy = Y(Math.max(lo, Math.log10(gv)));
        ctx.strokeStyle = fg; ctx.setLineDash([3, 2]); ctx.lineWidth = 1.2;
        ctx.strokeRect(cx - bw / 2 - 1.5, gy, bw + 3, r.y + r.h - gy); ctx.setLineDash([]);
      }
      if (l % labelEvery === 0 || l === n - 1) { ctx.fillStyle = fg; ctx.textAlign = o.compact ? (l === 0 ? 'left' : 'right') : 'center'; ctx.fillText(String(l + 1), o.compact ? (l === 0 ? r.x : r.x + r.w) : cx, r.y + r.h + (o.compact ? 2 : 4)); ctx.textAlign = 'center'; }
    }
    ctx.strokeStyle = fg; ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
    if (o.compact) return;
    ctx.textAlign = 'right'; ctx.textBaseline = 'bottom'; ctx.fillStyle = fg; ctx.fillText(o.xLabel, r.x + r.w, h - 1);
    ctx.save(); ctx.translate(11, r.y + r.h / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    ctx.fillText(`${o.yLabel || ''} (log scale)`, 0, 0); ctx.restore();
    if (this.ghost && o.ghostLabel) {
      ctx.textAlign = 'left'; ctx.textBaseline = 'bottom'; ctx.fillStyle = fg;
      ctx.setLineDash([3, 2]); ctx.strokeStyle = fg; ctx.strokeRect(r.x, h - 12, 10, 9); ctx.setLineDash([]);
      ctx.fillText(o.ghostLabel, r.x + 14, h - 1);
    }
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
