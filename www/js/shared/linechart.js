// Loss-vs-step chart on a high-DPI canvas. Series read engine buffers through views (no copies);
// the chart only iterates them. Linear scale plots f; log scale plots f − f* (f* = the best known
// minimum value, or the lowest value seen) so that landscapes with negative minima still work.
import { niceTicks, tickLabel, sig } from './format.js';
import { drawMarker } from './palette.js';
import { HiDpiCanvas } from './hidpi.js';
import { logTicks, pow10Label, CHARTS, color, chartTheme } from './xychart.js';

const M = { left: 58, right: 12, top: 12, bottom: 32 };

export class LineChart extends HiDpiCanvas {
  constructor(canvas) {
    super(canvas, 300, 160);
    this.scale = 'linear';
    this.fstar = null;       // known optimum value (number) or null
    this.series = [];        // [{color, shape, label, values: () => Float64Array view, divergedAt}]
    this.observeSize();
    CHARTS.add(this);
  }

  /** What this chart shows, as the engine's chart spec (the SVG export; see XYChart.svgSpec). */
  svgSpec(title = '') {
    const log = this.scale === 'log';
    const arrays = this.series.map((s) => Array.from(s.values(), Number));
    const vmin = arrays.reduce((m, v) => v.reduce((a, b) => (b < a ? b : a), m), Infinity);
    const fstar = this.fstar ?? (Number.isFinite(vmin) ? vmin : 0);
    const y = (v) => (log ? v.map((f) => Math.max(f - fstar, 1e-16)) : v);
    return {
      width: Math.max(64, Math.round(this.css.w)), height: Math.max(64, Math.round(this.css.h)), title,
      xLabel: 'step', yLabel: log ? `f − f* (f* = ${sig(fstar)})` : 'f(θ)', logY: log, integerX: true, xMin: 0,
      empty: 'step 0 — press Play or Step to draw the loss',
      series: this.series.map((s, k) => ({ label: s.label || '', color: color(s.color), width: s.selected ? 2.5 : 1.6, y: y(arrays[k]) })),
      marks: this.series.flatMap((s, k) => (s.divergedAt != null && arrays[k].length ? [{ x: arrays[k].length - 1, y: y(arrays[k]).at(-1), label: `${s.label ? `${s.label}: ` : ''}diverged at step ${s.divergedAt}`, color: color(s.color) }] : [])),
      theme: chartTheme(this.canvas),
    };
  }

  draw() {
    const { ctx, dpr } = this, { w, h } = this.css;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const st = getComputedStyle(this.canvas);
    const fg = st.getPropertyValue('--fg').trim() || '#222';
    const grid = st.getPropertyValue('--grid').trim() || 'rgba(128,128,128,0.25)';
    const r = { x: M.left, y: M.top, w: w - M.left - M.right, h: h - M.top - M.bottom };
    const log = this.scale === 'log';
    // Extent over all series (finite values only; the engine never hands out non-finite ones).
    let n = 1, lo = Infinity, hi = -Infinity, vmin = Infinity;
    const arrays = this.series.map((s) => s.values());
    for (const v of arrays) { n = Math.max(n, v.length - 1); for (let i = 0; i < v.length; i++) if (v[i] < vmin) vmin = v[i]; }
    const fstar = this.fstar ?? (Number.isFinite(vmin) ? vmin : 0);
    const tr = log ? (f) => Math.log10(Math.max(f - fstar, 1e-16)) : (f) => f;
    for (const v of arrays) for (let i = 0; i < v.length; i++) { const y = tr(v[i]); if (y < lo) lo = y; if (y > hi) hi = y; }
    if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
    if (hi - lo < 1e-12) { hi += 0.5; lo -= 0.5; }
    const pad = (hi - lo) * 0.04; lo -= pad; hi += pad;
    const X = (i) => r.x + (i / n) * r.w, Y = (y) => r.y + (1 - (y - lo) / (hi - lo)) * r.h;

    ctx.font = '11px system-ui, sans-serif'; ctx.fillStyle = fg; ctx.strokeStyle = grid; ctx.lineWidth = 1;
    if (!arrays.some((v) => v.length > 1)) {
      // Step 0: no curve yet, so no axis range to show.
      ctx.strokeStyle = fg; ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
      ctx.fillStyle = st.getPropertyValue('--muted').trim() || fg; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      ctx.fillText('step 0 — press Play or Step to draw the loss', r.x + r.w / 2, r.y + r.h / 2);
      ctx.fillStyle = fg; ctx.textAlign = 'right'; ctx.textBaseline = 'bottom'; ctx.fillText('step', r.x + r.w, h - 1);
      return;
    }
    const yt = log ? logTicks(lo, hi, Math.max(2, Math.round(r.h / 28))) : niceTicks(lo, hi, Math.max(2, Math.round(r.h / 40)));
    const ys = yt.length > 1 ? yt[1] - yt[0] : 1;
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const t of yt) {
      const py = Y(t); ctx.beginPath(); ctx.moveTo(r.x, py); ctx.lineTo(r.x + r.w, py); ctx.stroke();
      ctx.fillText(log ? pow10Label(t) : tickLabel(t, ys), r.x - 5, py);
    }
    const xt = niceTicks(0, n, Math.max(2, Math.round(r.w / 80)));
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (const t of xt) { if (!Number.isInteger(t)) continue; const px = X(t); ctx.beginPath(); ctx.moveTo(px, r.y); ctx.lineTo(px, r.y + r.h); ctx.stroke(); ctx.fillText(String(t), px, r.y + r.h + 4); }
    ctx.strokeStyle = fg; ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
    ctx.textAlign = 'right'; ctx.textBaseline = 'bottom'; ctx.fillText('step', r.x + r.w, h - 1);
    ctx.save(); ctx.translate(11, r.y + r.h / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    ctx.fillText(log ? `f − f*  (f* = ${sig(fstar)}, log scale)` : 'f(θ)', 0, 0); ctx.restore();

    ctx.save(); ctx.beginPath(); ctx.rect(r.x, r.y, r.w, r.h); ctx.clip();
    const labelYs = [];
    this.series.forEach((s, k) => {
      const v = arrays[k];
      if (!v.length) return;
      ctx.beginPath();
      // Decimate to about one vertex per CSS pixel column.
      const stride = Math.max(1, Math.floor(v.length / (r.w * 2)));
      for (let i = 0; i < v.length; i += stride) { const px = X(i), py = Y(tr(v[i])); i ? ctx.lineTo(px, py) : ctx.moveTo(px, py); }
      const last = v.length - 1;
      ctx.lineTo(X(last), Y(tr(v[last])));
      ctx.strokeStyle = s.color; ctx.lineWidth = s.selected ? 2.5 : 1.6; ctx.stroke();
      drawMarker(ctx, s.shape, X(last), Y(tr(v[last])), 4, s.color, st.getPropertyValue('--bg').trim() || '#fff', 1);
      if (s.divergedAt != null) {
        ctx.fillStyle = s.color; ctx.font = 'bold 11px system-ui, sans-serif'; ctx.textAlign = 'left'; ctx.textBaseline = 'bottom';
        const label = `✕ ${s.label ? `${s.label}: ` : ''}diverged at step ${s.divergedAt}`;
        let ty = Math.max(r.y + 12, Y(tr(v[last])) - 2);
        for (let i = 0; i < 12 && labelYs.some((q) => Math.abs(q - ty) < 13); i++) ty = ty + 13 > r.y + r.h ? r.y + 12 : ty + 13;
        labelYs.push(ty);
        ctx.fillText(label, Math.max(r.x + 2, Math.min(X(last) + 4, r.x + r.w - ctx.measureText(label).width - 4)), ty);
      }
    });
    ctx.restore();
  }
}

