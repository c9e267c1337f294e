// A general x–y line chart of the network labs (‖W^k x‖ against depth, g′(x), cost against step,
// error against epoch, mean and variance against layer), drawn by the engine's chart code
// (src/chart `draw_xy` through plotters-canvas, the page's engine) — the same function that writes
// its SVG. Series hand in accessor functions that return arrays or typed arrays; the chart copies
// their numbers into the chart module when it draws. Non-finite values, and values ≤ 0 on a log
// axis, are never drawn: the line breaks there.
import { HiDpiCanvas } from './hidpi.js';
import { engineFor, inEngineMemory } from './engine.js';

function finite(v) { return typeof v === 'number' && Number.isFinite(v); }

/** Every chart widget with an `svgSpec()` (XYChart, LineChart, LayerBars): what the SVG export draws. */
export const CHARTS = new Set();
let scratch = null;
/** Any CSS colour as the canvas normalises it (#rrggbb or rgba(…)): what the engine parses. */
export function color(c) {
  scratch ??= document.createElement('canvas').getContext('2d');
  scratch.fillStyle = '#000';
  scratch.fillStyle = String(c || '#000');
  return scratch.fillStyle;
}

/**
 * `a` as `n` numbers for the chart code, which copies them into its memory: a typed array of that
 * length as it is — copied first only if it is a view of the engine's own memory (handing it in
 * may grow that memory and detach the view) — anything else copied, a missing or non-number entry
 * as NaN (not drawn), a shorter array padded with NaN.
 */
function numbers(a, n) {
  if ((a instanceof Float64Array || a instanceof Float32Array) && a.length === n) return inEngineMemory(a) ? new Float64Array(a) : a;
  const out = new Float64Array(n).fill(NaN), m = Math.min(n, a.length);
  for (let i = 0; i < m; i++) { const v = a[i]; if (typeof v === 'number') out[i] = v; }
  return out;
}

export class XYChart extends HiDpiCanvas {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {object} o  {xLabel, yLabel, logY, logX, xMin, xMax, yMin, yMax, legend: false to hide it,
   *                      integerX (ticks on integers only), yFloorDecades (log: show at most this many decades),
   *                      empty: text shown while no series has a point (default "no data yet")}
   * A series without `x` is indexed: point i sits at x = (s.xStart ?? 0) + i.
   */
  constructor(canvas, o = {}) {
    super(canvas, 300, 160);
    this.o = { legend: true, ...o };
    this.series = [];   // [{label, color, dash, width, shape, x: () => array | null, y: () => array, points, grows (a key: y only grows while it stays),
                        //   lo, hi: () => array (a band drawn under the line, e.g. the range over seeds)}]
    this.hlines = [];   // [{y, label, color, dash, align: 'right'}]
    this.vlines = [];   // [{x, label, color, dash}]
    this.marks = [];    // [{x, y, label, color, shape}]
    this.lastExtent = null;
    this.plotRect = null;
    this.painter = null;
    this.observeSize();
    CHARTS.add(this);
  }
  set(o) { Object.assign(this.o, o); this.requestDraw(); }

  /**
   * What this chart shows, as the engine's chart spec (src/chart `XySpec`): the options, the
   * lines and marks, the page's colours, each series' style and (with `data`) its numbers.
   */
  spec(title = '', data = true) {
    const o = this.o;
    const arr = (a) => (a ? Array.from(a, Number) : undefined);
    const num = (v) => (finite(v) ? v : undefined);
    const line = (l, at) => ({ at, label: l.label || '', color: l.color ? color(l.color) : '', dash: l.dash ? [...l.dash] : [], align: l.align || '' });
    return {
      width: Math.max(32, Math.round(this.css.w)), height: Math.max(32, Math.round(this.css.h)), title,
      xLabel: o.xLabel || '', yLabel: o.yLabel || '', logX: !!o.logX, logY: !!o.logY,
      xMin: num(o.xMin), xMax: num(o.xMax), yMin: num(o.yMin), yMax: num(o.yMax), integerX: !!o.integerX,
      yFloorDecades: num(o.yFloorDecades), empty: o.empty || 'no data yet', legend: o.legend !== false,
      series: this.series.map((s) => ({
        label: s.label || '', color: color(s.color), width: num(s.width), dash: s.dash ? [...s.dash] : [], shape: s.shape || '',
        xStart: s.xStart ?? 0, points: !!s.points, noLine: !!s.noLine, noLegend: !!s.noLegend,
        ...(data ? { x: arr(s.x?.()), y: arr(s.y()) || [], lo: arr(s.lo?.()), hi: arr(s.hi?.()) } : {}),
      })),
      hlines: this.hlines.map((l) => line(l, l.y)),
      vlines: this.vlines.map((l) => line(l, l.x)),
      marks: this.marks.map((m) => ({ x: m.x, y: m.y, label: m.label || '', color: m.color ? color(m.color) : '', shape: m.shape || '' })),
      theme: chartTheme(this.canvas),
    };
  }
  /** The spec of the SVG export (the chart as shown, titled). */
  svgSpec(title = '') { return this.spec(title, true); }

  draw() {
    const G = engineFor(this, (e) => this.#failed(e));
    if (!G) return;
    this.painter ??= new G.XyCanvas(this.canvas);
    const p = this.painter;
    p.setSpec(this.spec('', false));
    this.sent ??= [];
    this.series.forEach((s, i) => {
      const y = s.y() || [], n = y.length, x = s.x?.(), lo = s.lo?.(), hi = s.hi?.();
      const band = lo && hi;
      // A series that only grows (`grows`: a key that changes when it starts over) hands in its
      // new points only; the engine extends its copy and the copy's min/max pyramid.
      const prev = this.sent[i], grows = s.grows != null && !x && !band;
      if (grows && prev?.key === s.grows && n >= prev.n) {
        if (n > prev.n) p.appendData(i, numbers(y.subarray ? y.subarray(prev.n) : Array.prototype.slice.call(y, prev.n), n - prev.n));
      } else {
        p.setData(i, x ? numbers(x, n) : undefined, numbers(y, n), band ? numbers(lo, n) : undefined, band ? numbers(hi, n) : undefined);
      }
      this.sent[i] = grows ? { key: s.grows, n } : null;
    });
    this.sent.length = this.series.length;
    const r = p.draw(Math.max(32, this.css.w), Math.max(32, this.css.h), this.dpr);
    this.lastExtent = { x0: r[0], x1: r[1], y0: r[2], y1: r[3] };
    this.plotRect = { x: r[4], y: r[5], w: r[6], h: r[7] };
  }

  /** The chart module could not load: say so on the canvas (the lab goes on). */
  #failed(e) {
    const { ctx, dpr } = this, { w, h } = this.css;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0); ctx.clearRect(0, 0, w, h);
    ctx.font = '12px system-ui, sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    ctx.fillStyle = getComputedStyle(this.canvas).getPropertyValue('--fg').trim() || '#222';
    ctx.fillText(`The chart could not be drawn: ${e?.message || e}`, w / 2, h / 2, w - 16);
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
