// A general x–y line chart on a high-DPI canvas (linear or log₁₀ y, optional log x), used by the
// network labs: ‖W^k x‖ against depth, g′(x), cost against step, error against epoch, mean and
// variance against layer. Series hand in accessor functions that return arrays or engine views;
// the chart only reads them (no copies per frame). Non-finite values, and values ≤ 0 on a log
// axis, are never drawn: the line breaks there.
import { niceTicks, tickLabel, sig } from './format.js';
import { drawMarker } from './palette.js';
import { HiDpiCanvas } from './hidpi.js';

const M = { left: 58, right: 14, top: 12, bottom: 34 };

function finite(v) { return typeof v === 'number' && Number.isFinite(v); }

/** Every chart widget with an `svgSpec()` (XYChart, LineChart): what the SVG export draws. */
export const CHARTS = new Set();
let scratch = null;
/** Any CSS colour as the canvas normalises it (#rrggbb or rgba(…)): what the engine parses. */
export function color(c) {
  scratch ??= document.createElement('canvas').getContext('2d');
  scratch.fillStyle = '#000';
  scratch.fillStyle = String(c || '#000');
  return scratch.fillStyle;
}

export class XYChart extends HiDpiCanvas {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {object} o  {xLabel, yLabel, logY, logX, xMin, xMax, yMin, yMax, legend: 'tr'|'tl'|'br'|'bl'|false,
   *                      integerX (ticks on integers only), yFloorDecades (log: show at most this many decades),
   *                      empty: text shown while no series has a point (default "no data yet")}
   * A series without `x` is indexed: point i sits at x = (s.xStart ?? 0) + i.
   */
  constructor(canvas, o = {}) {
    super(canvas, 300, 160);
    this.o = { legend: 'tr', ...o };
    this.series = [];   // [{label, color, dash, width, shape, x: () => array | null, y: () => array, points,
                        //   lo, hi: () => array (a band drawn under the line, e.g. the range over seeds)}]
    this.hlines = [];   // [{y, label, color, dash}]
    this.vlines = [];   // [{x, label, color, dash}]
    this.marks = [];    // [{x, y, label, color, shape}]
    this.lastExtent = null;
    this.observeSize();
    CHARTS.add(this);
  }
  set(o) { Object.assign(this.o, o); this.requestDraw(); }

  /**
   * What this chart shows, as the engine's chart spec (src/chart: `chartSvg` draws it with
   * plotters for the SVG export): the data now, the options, the page's colours.
   */
  svgSpec(title = '') {
    const o = this.o;
    const arr = (a) => (a ? Array.from(a, Number) : undefined);
    const num = (v) => (finite(v) ? v : undefined);
    return {
      width: Math.max(64, Math.round(this.css.w)), height: Math.max(64, Math.round(this.css.h)), title,
      xLabel: o.xLabel || '', yLabel: o.yLabel || '', logX: !!o.logX, logY: !!o.logY,
      xMin: num(o.xMin), xMax: num(o.xMax), yMin: num(o.yMin), yMax: num(o.yMax), integerX: !!o.integerX,
      yFloorDecades: num(o.yFloorDecades), empty: o.empty || 'no data yet',
      series: this.series.map((s) => ({
        label: s.label || '', color: color(s.color), width: num(s.width), dash: s.dash ? [...s.dash] : [],
        x: arr(s.x?.()), xStart: s.xStart ?? 0, y: arr(s.y()) || [], lo: arr(s.lo?.()), hi: arr(s.hi?.()),
        points: !!s.points, noLine: !!s.noLine, noLegend: !!s.noLegend,
      })),
      hlines: this.hlines.map((l) => ({ at: l.y, label: l.label || '', color: l.color ? color(l.color) : '' })),
      vlines: this.vlines.map((l) => ({ at: l.x, label: l.label || '', color: l.color ? color(l.color) : '' })),
      marks: this.marks.map((m) => ({ x: m.x, y: m.y, label: m.label || '', color: m.color ? color(m.color) : '' })),
      theme: chartTheme(this.canvas),
    };
  }


  /** The data extent over all series (transformed coordinates), with the options' fixed bounds. */
  extent(arrays) {
    const o = this.o, ly = !!o.logY, lx = !!o.logX;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const { s, xs, ys } of arrays) {
      const n = ys.length;
      const x0i = s?.xStart ?? 0;
      for (let i = 0; i < n; i++) {
        const xv = xs ? xs[i] : x0i + i, yv = ys[i];
        if (!finite(xv) || !finite(yv) || (ly && yv <= 0) || (lx && xv <= 0)) continue;
        const tx = lx ? Math.log10(xv) : xv, ty = ly ? Math.log10(yv) : yv;
        if (tx < x0) x0 = tx; if (tx > x1) x1 = tx;
        if (ty < y0) y0 = ty; if (ty > y1) y1 = ty;
      }
    }
    for (const h of this.hlines) if (finite(h.y) && (!ly || h.y > 0)) { const t = ly ? Math.log10(h.y) : h.y; y0 = Math.min(y0, t); y1 = Math.max(y1, t); }
    for (const v of this.vlines) if (finite(v.x) && (!lx || v.x > 0) && finite(x0)) { const t = lx ? Math.log10(v.x) : v.x; x0 = Math.min(x0, t); x1 = Math.max(x1, t); }
    const T = (v, log) => (log ? Math.log10(v) : v);
    if (finite(o.xMin)) x0 = T(o.xMin, lx); if (finite(o.xMax)) x1 = T(o.xMax, lx);
    if (finite(o.yMin)) y0 = T(o.yMin, ly); if (finite(o.yMax)) y1 = T(o.yMax, ly);
    if (!finite(x0) || !finite(x1)) { x0 = 0; x1 = 1; }
    if (!finite(y0) || !finite(y1)) { y0 = ly ? -1 : 0; y1 = ly ? 1 : 1; }
    if (ly && finite(o.yFloorDecades) && y1 - y0 > o.yFloorDecades) y0 = y1 - o.yFloorDecades;
    // One point (or one x): a span of one unit on either side, so "step 1" is not drawn at −0.5…0.5.
    if (x1 - x0 < 1e-12) { x1 += 1; x0 -= 1; }
    // A (nearly) constant series gets a readable span, not a magnified float rounding error.
    const minY = ly ? 0.3 : Math.max(1e-9, 0.02 * Math.max(Math.abs(y0), Math.abs(y1)));
    if (y1 - y0 < minY && !(finite(o.yMin) && finite(o.yMax))) {
      const c = (y0 + y1) / 2;
      if (finite(o.yMin)) y1 = y0 + minY; else if (finite(o.yMax)) y0 = y1 - minY; else { y0 = c - minY / 2; y1 = c + minY / 2; }
    }
    if (!finite(o.yMin) || !finite(o.yMax)) { const pad = (y1 - y0) * 0.05; if (!finite(o.yMin)) y0 -= pad; if (!finite(o.yMax)) y1 += pad; }
    return { x0, x1, y0, y1 };
  }

  draw() {
    const { ctx, dpr } = this, { w, h } = this.css, o = this.o;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const st = getComputedStyle(this.canvas);
    const fg = st.getPropertyValue('--fg').trim() || '#222';
    const bg = st.getPropertyValue('--bg').trim() || '#fff';
    const grid = st.getPropertyValue('--grid').trim() || 'rgba(128,128,128,0.25)';
    // The legend is laid out in rows ABOVE the plot area, so it never covers data.
    ctx.font = '11px system-ui, sans-serif';
    const legendRows = o.legend ? this.#legendRows(ctx, w - M.left - M.right) : [];
    const lh = legendRows.length ? legendRows.length * 14 + 4 : 0;
    const r = { x: M.left, y: M.top + lh, w: Math.max(10, w - M.left - M.right), h: Math.max(10, h - M.top - M.bottom - lh) };
    this.plotRect = r;
    const arrays = this.series.map((s) => ({ s, xs: s.x ? s.x() : null, ys: s.y() || [] }));
    const bands = arrays.flatMap(({ s, xs }) => [s.lo?.(), s.hi?.()].filter(Boolean).map((ys) => ({ s, xs, ys })));
    const e = this.extent(arrays.concat(bands));
    const any = arrays.some(({ xs, ys }) => { for (let i = 0; i < ys.length; i++) if (finite(ys[i]) && (!o.logY || ys[i] > 0) && (!xs || finite(xs[i]))) return true; return false; });
    this.lastExtent = e;
    const ly = !!o.logY, lx = !!o.logX;
    const X = (v) => r.x + ((v - e.x0) / (e.x1 - e.x0)) * r.w;
    const Y = (v) => r.y + (1 - (v - e.y0) / (e.y1 - e.y0)) * r.h;
    this.toPx = (xv, yv) => [X(lx ? Math.log10(xv) : xv), Y(ly ? Math.log10(yv) : yv)];
    ctx.font = '11px system-ui, sans-serif'; ctx.fillStyle = fg; ctx.strokeStyle = grid; ctx.lineWidth = 1;
    if (!any && this.series.length) {
      // Nothing to plot yet (or nothing finite): a frame and a sentence, no made-up axis range.
      ctx.strokeStyle = fg; ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
      ctx.fillStyle = st.getPropertyValue('--muted').trim() || fg; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      ctx.fillText(o.empty || 'no data yet', r.x + r.w / 2, r.y + r.h / 2);
      ctx.fillStyle = fg; ctx.textAlign = 'right'; ctx.textBaseline = 'bottom'; ctx.fillText(o.xLabel || '', r.x + r.w, h - 1);
      return;
    }
    // y ticks
    const yt = ly ? logTicks(e.y0, e.y1, Math.max(2, Math.round(r.h / 28))) : niceTicks(e.y0, e.y1, Math.max(2, Math.round(r.h / 40)));
    const ys = yt.length > 1 ? yt[1] - yt[0] : 1;
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const t of yt) {
      const py = Y(t); ctx.beginPath(); ctx.moveTo(r.x, py); ctx.lineTo(r.x + r.w, py); ctx.stroke();
      ctx.fillText(ly ? pow10Label(t) : tickLabel(t, ys), r.x - 5, py);
    }
    // x ticks
    let xt = lx ? decadeTicks(e.x0, e.x1, Math.max(2, Math.round(r.w / 60))) : niceTicks(e.x0, e.x1, Math.max(2, Math.round(r.w / 70)));
    if (o.integerX && !lx) xt = xt.filter((t) => Number.isInteger(t));
    const xs = xt.length > 1 ? xt[1] - xt[0] : 1;
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (const t of xt) { const px = X(t); ctx.beginPath(); ctx.moveTo(px, r.y); ctx.lineTo(px, r.y + r.h); ctx.stroke(); ctx.fillText(lx ? pow10Label(t) : tickLabel(t, xs), px, r.y + r.h + 4); }
    ctx.strokeStyle = fg; ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
    ctx.textAlign = 'right'; ctx.textBaseline = 'bottom'; ctx.fillText(o.xLabel || '', r.x + r.w, h - 1);
    ctx.save(); ctx.translate(11, r.y + r.h / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    ctx.fillText(`${o.yLabel || ''}${ly ? ' (log scale)' : ''}`, 0, 0); ctx.restore();

    ctx.save(); ctx.beginPath(); ctx.rect(r.x, r.y, r.w, r.h); ctx.clip();
    for (const hl of this.hlines) {
      if (!finite(hl.y) || (ly && hl.y <= 0)) continue;
      const py = Y(ly ? Math.log10(hl.y) : hl.y);
      ctx.strokeStyle = hl.color || fg; ctx.setLineDash(hl.dash || [5, 4]); ctx.lineWidth = 1.2;
      ctx.beginPath(); ctx.moveTo(r.x, py); ctx.lineTo(r.x + r.w, py); ctx.stroke(); ctx.setLineDash([]);
      if (hl.label) {
        // On a backdrop, so a curve crossing it does not make it unreadable.
        const right = hl.align === 'right', below = py - 14 < r.y, tw = ctx.measureText(hl.label).width;
        const tx = right ? r.x + r.w - 4 - tw : r.x + 4, ty = below ? py + 2 : py - 14;
        ctx.fillStyle = bg; ctx.globalAlpha = 0.82; ctx.fillRect(tx - 2, ty, tw + 4, 12); ctx.globalAlpha = 1;
        ctx.fillStyle = hl.color || fg; ctx.textAlign = 'left'; ctx.textBaseline = 'top'; ctx.fillText(hl.label, tx, ty);
      }
    }
    for (const vl of this.vlines) {
      if (!finite(vl.x)) continue;
      const px = X(lx ? Math.log10(vl.x) : vl.x);
      ctx.strokeStyle = vl.color || fg; ctx.setLineDash(vl.dash || [3, 3]); ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(px, r.y); ctx.lineTo(px, r.y + r.h); ctx.stroke(); ctx.setLineDash([]);
      if (vl.label) {
        // Right of the line if it fits, else left of it: never cut at the plot's edge.
        const tw = ctx.measureText(vl.label).width, right = px + 4 + tw <= r.x + r.w - 2;
        ctx.fillStyle = vl.color || fg; ctx.textAlign = right ? 'left' : 'right'; ctx.textBaseline = 'top';
        ctx.fillText(vl.label, right ? px + 4 : Math.max(r.x + 2 + tw, px - 4), r.y + 3);
      }
    }
    // Bands first, under every line: the region between lo and hi, broken where either is not drawable.
    for (const { s, xs: sx } of arrays) {
      const lo = s.lo?.(), hi = s.hi?.();
      if (!lo || !hi) continue;
      const xs0 = s.xStart ?? 0, ok = (i) => { const xv = sx ? sx[i] : xs0 + i; return finite(xv) && finite(lo[i]) && finite(hi[i]) && (!ly || lo[i] > 0) && (!lx || xv > 0); };
      const px = (i) => X(lx ? Math.log10(sx ? sx[i] : xs0 + i) : (sx ? sx[i] : xs0 + i)), py = (v) => Y(ly ? Math.log10(v) : v);
      ctx.fillStyle = s.color; ctx.globalAlpha = 0.16;
      const n = Math.min(lo.length, hi.length);
      for (let a = 0; a < n;) {
        while (a < n && !ok(a)) a++;
        let b = a;
        while (b < n && ok(b)) b++;
        if (b - a >= 2) {
          ctx.beginPath(); ctx.moveTo(px(a), py(hi[a]));
          for (let i = a + 1; i < b; i++) ctx.lineTo(px(i), py(hi[i]));
          for (let i = b - 1; i >= a; i--) ctx.lineTo(px(i), py(lo[i]));
          ctx.closePath(); ctx.fill();
        }
        a = b;
      }
      ctx.globalAlpha = 1;
    }
    for (const { s, xs: sx, ys: sy } of arrays) {
      const n = sy.length;
      if (!n) continue;
      ctx.strokeStyle = s.color; ctx.lineWidth = s.width || 1.8; ctx.setLineDash(s.dash || []);
      ctx.beginPath();
      let pen = false;
      const stride = Math.max(1, Math.floor(n / (r.w * 2)));
      const xs0 = s.xStart ?? 0;
      const plot = (i) => {
        const xv = sx ? sx[i] : xs0 + i, yv = sy[i];
        if (!finite(xv) || !finite(yv) || (ly && yv <= 0) || (lx && xv <= 0)) { pen = false; return; }
        const px = X(lx ? Math.log10(xv) : xv), py = Y(ly ? Math.log10(yv) : yv);
        if (pen) ctx.lineTo(px, py); else { ctx.moveTo(px, py); pen = true; }
      };
      for (let i = 0; i < n; i += stride) plot(i);
      if ((n - 1) % stride !== 0) plot(n - 1);
      if (!s.noLine) ctx.stroke();
      ctx.setLineDash([]);
      // A lone point (one step so far, or the only finite value) has no line: draw it as a dot.
      let finiteCount = 0, lone = -1;
      for (let i = 0; i < n && finiteCount < 2; i++) { const xv = sx ? sx[i] : xs0 + i, yv = sy[i]; if (finite(xv) && finite(yv) && (!ly || yv > 0) && (!lx || xv > 0)) { finiteCount++; lone = i; } }
      if (finiteCount === 1 && !s.points) {
        const xv = sx ? sx[lone] : xs0 + lone, yv = sy[lone];
        drawMarker(ctx, 'circle', X(lx ? Math.log10(xv) : xv), Y(ly ? Math.log10(yv) : yv), 3.5, s.color, bg, 1);
      }
      if (s.points || s.shape) {
        const every = s.points ? 1 : Math.max(1, Math.ceil(n / 12));
        for (let i = 0; i < n; i += every) {
          const xv = sx ? sx[i] : xs0 + i, yv = sy[i];
          if (!finite(xv) || !finite(yv) || (ly && yv <= 0) || (lx && xv <= 0)) continue;
          drawMarker(ctx, s.shape || 'circle', X(lx ? Math.log10(xv) : xv), Y(ly ? Math.log10(yv) : yv), s.points ? 3.2 : 3.5, s.color, bg, 1);
        }
      }
    }
    ctx.restore();
    // Marks (e.g. where a curve crosses a threshold), not clipped at the plot's edge; their labels
    // (optional: a lab may say it in the legend instead) are stacked so they never overlap.
    this.marks.forEach((m, k) => {
      if (!finite(m.x) || !finite(m.y) || (ly && m.y <= 0)) return;
      const px = X(lx ? Math.log10(m.x) : m.x), py = Y(ly ? Math.log10(m.y) : m.y);
      drawMarker(ctx, m.shape || 'diamond', px, py, 5.5, m.color || fg, bg, 1.5);
      if (m.label) {
        ctx.font = 'bold 11px system-ui, sans-serif';
        const ty = py - 8 - 14 * k, tx = Math.min(Math.max(px + 7, r.x + 4), r.x + r.w - ctx.measureText(m.label).width - 4);
        ctx.strokeStyle = m.color || fg; ctx.lineWidth = 1; ctx.beginPath(); ctx.moveTo(px, py - 5); ctx.lineTo(tx, ty - 4); ctx.stroke();
        ctx.fillStyle = bg; ctx.globalAlpha = 0.8; ctx.fillRect(tx - 2, ty - 12, ctx.measureText(m.label).width + 4, 13); ctx.globalAlpha = 1;
        ctx.fillStyle = m.color || fg; ctx.textAlign = 'left'; ctx.textBaseline = 'bottom'; ctx.fillText(m.label, tx, ty);
        ctx.font = '11px system-ui, sans-serif';
      }
    });
    if (legendRows.length) this.#legend(ctx, legendRows, fg, bg);
  }

  /** Legend items flowed into rows of at most `width` px: [[{s, x, w}]]. */
  #legendRows(ctx, width) {
    const items = this.series.filter((s) => s.label && !s.noLegend);
    const rows = [];
    let row = [], x = 0;
    for (const s of items) {
      const iw = Math.min(width, ctx.measureText(s.label).width + 30);
      if (row.length && x + iw > width) { rows.push(row); row = []; x = 0; }
      row.push({ s, x, w: iw });
      x += iw + 8;
    }
    if (row.length) rows.push(row);
    return rows;
  }

  #legend(ctx, rows, fg, bg) {
    ctx.save();
    ctx.font = '11px system-ui, sans-serif';
    rows.forEach((row, k) => {
      const yy = M.top + 7 + 14 * k;
      for (const { s, x: ox, w: iw } of row) {
        const x = M.left + ox;
        ctx.strokeStyle = s.color; ctx.lineWidth = s.width || 1.8; ctx.setLineDash(s.dash || []);
        ctx.beginPath(); ctx.moveTo(x + 2, yy); ctx.lineTo(x + 18, yy); ctx.stroke(); ctx.setLineDash([]);
        if (s.shape || s.points) drawMarker(ctx, s.shape || 'circle', x + 10, yy, 3, s.color, bg, 1);
        ctx.fillStyle = fg; ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
        ctx.fillText(s.label, x + 22, yy, iw - 24);
      }
    });
    ctx.restore();
  }
}

/** The charts on the page now (shown, with a size), in page order. */
export function visibleCharts() {
  // (not the compact small multiples of a comparison grid: their figure is the grid)
  return [...CHARTS].filter((c) => c.canvas.isConnected && c.canvas.offsetParent !== null && c.css.w > 0 && !c.o?.compact)
    .sort((a, b) => (a.canvas.compareDocumentPosition(b.canvas) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
}

/** The page's colours for a chart's SVG (the engine's chart theme). */
export function chartTheme(canvas) {
  const st = getComputedStyle(canvas);
  const css = (name, d) => color(st.getPropertyValue(name).trim() || d);
  return { fg: css('--fg', '#222'), bg: css('--bg', '#fff'), grid: css('--grid', 'rgba(128,128,128,0.25)'), muted: css('--muted', '#666'), font: 'system-ui, sans-serif' };
}

/** Integer exponents for a log axis, at most ~n of them. */
export function decadeTicks(lo, hi, n = 6) {
  const a = Math.ceil(lo - 1e-9), b = Math.floor(hi + 1e-9);
  const step = Math.max(1, Math.ceil((b - a + 1) / Math.max(2, n)));
  const out = [];
  for (let t = a; t <= b; t += step) out.push(t);
  if (!out.length) out.push(Math.round((lo + hi) / 2));
  return out;
}
/** Log-axis ticks (exponents): decades, or 1-2-5 (then 1…9) steps inside a short span. */
export function logTicks(lo, hi, n = 6) {
  if (hi - lo >= 2) return decadeTicks(lo, hi, n);
  for (const ms of [[1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
    const out = [];
    for (let k = Math.floor(lo) - 1; k <= Math.ceil(hi); k++) for (const m of ms) { const t = k + Math.log10(m); if (t >= lo - 1e-9 && t <= hi + 1e-9) out.push(t); }
    if (out.length >= 3) return out;
  }
  // Less than one 1…9 step in range: linear "nice" ticks of the values, placed on the log axis.
  const a = 10 ** lo, b = 10 ** hi, raw = (b - a) / Math.max(2, n), mag = 10 ** Math.floor(Math.log10(raw)), f = raw / mag;
  const step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag, lin = [];
  for (let v = Math.ceil(a / step) * step; v <= b * (1 + 1e-12); v += step) if (v > 0) lin.push(Math.log10(v));
  if (lin.length >= 2) return lin;
  return decadeTicks(lo, hi, n);
}
/** "1", "10", "0.1", then 1e±k. */
export function pow10Label(t) {
  const k = Math.round(t);
  if (Math.abs(t - k) > 1e-9) return sig(10 ** t, 3);
  if (k >= -2 && k <= 3) return String(Number((10 ** k).toPrecision(1)));
  return `1e${k}`;
}
