// A 2-D landscape figure: high-DPI canvas with a cached heatmap (rendered by the engine's
// Landscape.render, contour lines included), minima/saddles, zoom (wheel, pinch, +/- keys) and pan
// (drag), click/tap and a draggable start marker; the frame, ticks and axis names are drawn by the
// engine's chart code (field.js), which also writes the figure's SVG. It knows nothing about
// optimizers: the lab draws paths through the `overlay(ctx, plot)` callback and hands the SVG its
// paths through `svgOverlay()`.
import { HiDpiCanvas } from './hidpi.js';
import { CHARTS } from './xychart.js';
import { drawFieldAxes, fieldSvgSpec, fieldMark } from './field.js';

const MARGIN = { left: 54, right: 10, top: 10, bottom: 36 };
const MAX_RENDER = 900;            // heatmap pixels per side (cap, whatever the DPR)

export class Plot2D extends HiDpiCanvas {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {object} cb  { onView(view), onClick([x,y]), onStartDrag([x,y], done), onHover([x,y]|null), overlay(ctx, plot) }
   */
  constructor(canvas, cb = {}) {
    super(canvas, 300, 300);
    this.cb = cb;
    this.view = [-1, 1, -1, 1];
    this.homeView = this.view.slice();
    this.L = null;
    this.info = null;
    this.opts = { scale: 'linear', cmap: 'viridis', levels: 12 };
    this.start = null;               // [x, y] drawn as a draggable ring
    this.heat = document.createElement('canvas');  // cached heatmap (an offscreen canvas)
    this.heatView = null;            // the view the cache was rendered for
    this.heatDirty = true;
    this.lowRes = false;             // render at half resolution while the user zooms/pans
    this.lastRenderMs = 0;
    this.pointers = new Map();
    this.drag = null;
    this.interactTimer = 0;
    this.locked = false;             // lesson mode: no start changes
    this.equal = false;              // equal scales: one world unit is as long in x as in y
    this.wanted = null;              // the view last asked for (before fitting it to equal scales)
    this.axisNames = ['x', 'y'];
    this.margin = [MARGIN.left, MARGIN.right, MARGIN.top, MARGIN.bottom];
    this.heatRange = null;           // [min, max] the cached heatmap's colours stand for
    this.heatLevels = [];            // its contour levels
    this.#listen();
    this.observeSize();
    CHARTS.add(this);
  }

  // ---- configuration ------------------------------------------------------------------------
  setLandscape(L, info) { this.L = L; this.info = info; this.invalidate(); }
  setView(v, home = false) {
    if (!v.every(Number.isFinite) || !(v[1] > v[0]) || !(v[3] > v[2])) return;
    this.wanted = v.slice();
    this.view = this.#fit(v);
    if (home) this.homeView = v.slice();
    this.heatDirty = true;
    this.requestDraw();
  }
  setOptions(o) { Object.assign(this.opts, o); this.invalidate(); }
  /** Equal axis scales: the asked-for view grows in x or y (about its centre) to fit the plot's shape. */
  setEqual(on) { this.equal = !!on; this.setView(this.wanted || this.view); }
  #fit(v) {
    if (!this.equal) return v.slice();
    const r = this.plotRect, s = Math.max((v[1] - v[0]) / r.w, (v[3] - v[2]) / r.h);
    const cx = (v[0] + v[1]) / 2, cy = (v[2] + v[3]) / 2;
    return [cx - (s * r.w) / 2, cx + (s * r.w) / 2, cy - (s * r.h) / 2, cy + (s * r.h) / 2];
  }
  invalidate() { this.heatDirty = true; this.requestDraw(); }

  get plotRect() {
    const { w, h } = this.css;
    return { x: MARGIN.left, y: MARGIN.top, w: Math.max(10, w - MARGIN.left - MARGIN.right), h: Math.max(10, h - MARGIN.top - MARGIN.bottom) };
  }
  /** world -> CSS px */
  toPx(x, y) {
    const r = this.plotRect, [x0, x1, y0, y1] = this.view;
    return [r.x + ((x - x0) / (x1 - x0)) * r.w, r.y + ((y1 - y) / (y1 - y0)) * r.h];
  }
  /** CSS px -> world */
  toWorld(px, py) {
    const r = this.plotRect, [x0, x1, y0, y1] = this.view;
    return [x0 + ((px - r.x) / r.w) * (x1 - x0), y1 - ((py - r.y) / r.h) * (y1 - y0)];
  }
  /** world units per CSS px (x, y) */
  get scalePx() { const r = this.plotRect; return [(this.view[1] - this.view[0]) / r.w, (this.view[3] - this.view[2]) / r.h]; }

  onResize() {
    if (this.equal && this.wanted) this.view = this.#fit(this.wanted);
    this.heatDirty = true;
  }


  // ---- rendering -----------------------------------------------------------------------------
  #renderHeat() {
    const r = this.plotRect;
    const div = this.lowRes ? 2 : 1;
    const nx = Math.max(16, Math.min(MAX_RENDER, Math.round((r.w * this.dpr) / div)));
    const ny = Math.max(16, Math.min(MAX_RENDER, Math.round((r.h * this.dpr) / div)));
    const [x0, x1, y0, y1] = this.view;
    const t0 = performance.now();
    // A view into wasm memory: ImageData/putImageData copy it before the next engine call.
    const rgba = this.L.render(nx, ny, x0, x1, y0, y1, this.opts.scale, this.opts.cmap, this.opts.levels);
    this.heat.width = nx;
    this.heat.height = ny;
    this.heat.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, nx * ny * 4), nx, ny), 0, 0);
    const range = this.L.range();
    this.heatRange = range.length === 2 && range[1] > range[0] ? [range[0], range[1]] : null;
    this.heatLevels = Array.from(this.L.levels());
    this.lastRenderMs = performance.now() - t0;
    this.heatView = this.view.slice();
    this.heatDirty = false;
    this.cb.onRendered?.(this);
  }

  draw() {
    const { ctx, dpr } = this;
    const { w, h } = this.css;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const r = this.plotRect;
    if (this.L && this.heatDirty) {
      try { this.#renderHeat(); } catch (e) { this.cb.onError?.(e); this.heatDirty = false; }
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(r.x, r.y, r.w, r.h);
    ctx.clip();
    if (this.heatView) {
      // Blit the cache; if the view changed since it was rendered, place it where it belongs.
      const [a0, a1, b0, b1] = this.heatView;
      const [p0x, p0y] = this.toPx(a0, b1), [p1x, p1y] = this.toPx(a1, b0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.heat, p0x, p0y, p1x - p0x, p1y - p0y);
    }
    this.cb.overlay?.(ctx, this);
    ctx.restore();
    drawFieldAxes(this, { marks: this.#marks() });
  }

  /**
   * The figure as the SVG export draws it (src/chart/field.rs): the heatmap as rendered, the
   * lab's paths and marks (`svgOverlay()` → {paths, marks}), minima, saddles, the start and the
   * colour bar of the render's value range.
   */
  svgSpec(title = '') {
    const lab = this.cb.svgOverlay?.() || {};
    return fieldSvgSpec(this, { title, paths: lab.paths || [], marks: [...(lab.marks || []), ...this.#marks()] },
      this.heatView && { canvas: this.heat, view: this.heatView },
      { range: this.heatRange, scale: this.opts.scale, cmap: this.opts.cmap, levels: this.heatLevels, label: 'loss' });
  }

  /** Minima (+), saddles (×) and the start (a ring), drawn with the axes over the paths. */
  #marks() {
    const marks = [];
    for (const m of this.info?.minima || []) marks.push(fieldMark(m.x, m.y, 'plus', '#fff', { size: 7 }));
    for (const s of this.info?.saddles || []) marks.push(fieldMark(s.x, s.y, 'cross', '#fff', { size: 7 }));
    if (this.start) marks.push(fieldMark(this.start[0], this.start[1], 'ring', '#fff', { size: 9 }));
    return marks;
  }

  // ---- interaction ---------------------------------------------------------------------------
  #interacting() {
    this.lowRes = this.lastRenderMs > 12; // only degrade when a full render is slow
    clearTimeout(this.interactTimer);
    this.interactTimer = setTimeout(() => { if (this.lowRes) { this.lowRes = false; this.invalidate(); } }, 160);
  }

  zoomAt(px, py, factor) {
    const [wx, wy] = this.toWorld(px, py), [x0, x1, y0, y1] = this.view;
    const span = Math.max(x1 - x0, y1 - y0) * factor;
    if (span < 1e-9 || span > 1e6) return;
    this.#interacting();
    this.setView([wx - (wx - x0) * factor, wx + (x1 - wx) * factor, wy - (wy - y0) * factor, wy + (y1 - wy) * factor]);
    this.cb.onView?.(this.view);
  }
  panBy(dxPx, dyPx) {
    const [sx, sy] = this.scalePx, [x0, x1, y0, y1] = this.view;
    this.#interacting();
    this.setView([x0 - dxPx * sx, x1 - dxPx * sx, y0 + dyPx * sy, y1 + dyPx * sy]);
    this.cb.onView?.(this.view);
  }
  resetView() { this.setView(this.homeView); this.cb.onView?.(this.view); }

  #local(e) { const b = this.canvas.getBoundingClientRect(); return [e.clientX - b.left, e.clientY - b.top]; }
  #inPlot(px, py) { const r = this.plotRect; return px >= r.x && px <= r.x + r.w && py >= r.y && py <= r.y + r.h; }

  /**
   * Touch: the figure lets a one-finger vertical swipe scroll the page (CSS touch-action: pan-y),
   * a tap sets the start, two fingers pinch-zoom. Tapping the start ring switches the figure to
   * interactive mode (touch-action: none: one finger drags the ring or pans) until a touch lands
   * outside it or 10 s pass without one.
   */
  setInteractive(on) {
    if (this.interactive === on) return;
    this.interactive = on;
    this.canvas.classList.toggle('interactive', on);
    clearTimeout(this.interactiveTimer);
    if (on) this.interactiveTimer = setTimeout(() => this.setInteractive(false), 10000);
    this.cb.onInteractive?.(on);
  }

  #listen() {
    const c = this.canvas;
    document.addEventListener('pointerdown', (e) => { if (this.interactive && e.target !== c) this.setInteractive(false); }, true);
    c.addEventListener('pointerdown', (e) => {
      const [px, py] = this.#local(e);
      if (!this.#inPlot(px, py)) return;
      const touch = e.pointerType === 'touch';
      if (touch && this.interactive) { clearTimeout(this.interactiveTimer); this.interactiveTimer = setTimeout(() => this.setInteractive(false), 10000); }
      c.setPointerCapture(e.pointerId);
      this.pointers.set(e.pointerId, [px, py]);
      if (this.pointers.size === 2) { this.drag = { kind: 'pinch', d0: pinchDist(this.pointers), view0: this.view.slice() }; return; }
      let kind = touch && !this.interactive ? 'tap' : 'pan';
      let onRing = false;
      if (this.start && !this.locked) {
        const [sx, sy] = this.toPx(this.start[0], this.start[1]);
        onRing = Math.hypot(px - sx, py - sy) < (touch ? 24 : 13);
        if (onRing && (!touch || this.interactive)) kind = 'start';
      }
      this.drag = { kind, x: px, y: py, moved: false, onRing, touch };
    });
    c.addEventListener('pointermove', (e) => {
      const [px, py] = this.#local(e);
      if (this.pointers.has(e.pointerId)) this.pointers.set(e.pointerId, [px, py]);
      const d = this.drag;
      if (d?.kind === 'pinch' && this.pointers.size >= 2) {
        const k = d.d0 / Math.max(1, pinchDist(this.pointers));
        const [mx, my] = pinchMid(this.pointers);
        this.view = d.view0.slice();
        this.zoomAt(mx, my, k);
      } else if (d) {
        if (!d.moved && Math.hypot(px - d.x, py - d.y) > (d.touch ? 8 : 4)) d.moved = true;
        if (d.moved && d.kind === 'pan') { this.panBy(px - d.x, py - d.y); d.x = px; d.y = py; }
        if (d.moved && d.kind === 'start') this.cb.onStartDrag?.(this.toWorld(px, py), false);
      }
      this.cb.onHover?.(this.#inPlot(px, py) ? this.toWorld(px, py) : null);
    });
    const end = (e) => {
      const d = this.drag;
      this.pointers.delete(e.pointerId);
      if (!d) return;
      if (d.kind === 'pinch') { if (this.pointers.size === 0) this.drag = null; return; }
      this.drag = null;
      const [px, py] = this.#local(e);
      if (e.type === 'pointercancel') return;
      if (d.kind === 'start' && d.moved) this.cb.onStartDrag?.(this.toWorld(px, py), true);
      else if (d.kind === 'tap' && !d.moved && d.onRing) this.setInteractive(true);
      else if (!d.moved && !this.locked) this.cb.onClick?.(this.toWorld(px, py));
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
    c.addEventListener('pointerleave', () => this.cb.onHover?.(null));
    c.addEventListener('wheel', (e) => {
      const [px, py] = this.#local(e);
      if (!this.#inPlot(px, py)) return;
      e.preventDefault();
      const k = Math.exp(Math.max(-1, Math.min(1, e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015))));
      this.zoomAt(px, py, k);
    }, { passive: false });
    c.addEventListener('keydown', (e) => {
      const r = this.plotRect, cx = r.x + r.w / 2, cy = r.y + r.h / 2;
      if (e.key === '+' || e.key === '=') { this.zoomAt(cx, cy, 0.8); e.preventDefault(); }
      else if (e.key === '-' || e.key === '_') { this.zoomAt(cx, cy, 1.25); e.preventDefault(); }
      else if (e.key === '0') { this.resetView(); e.preventDefault(); }
      else if (e.key === 'ArrowUp') { this.panBy(0, 30); e.preventDefault(); }
      else if (e.key === 'ArrowDown') { this.panBy(0, -30); e.preventDefault(); }
      else if (e.key === 'ArrowLeft' && e.shiftKey) { this.panBy(30, 0); e.preventDefault(); }
      else if (e.key === 'ArrowRight' && e.shiftKey) { this.panBy(-30, 0); e.preventDefault(); e.stopPropagation(); }
    });
  }
}

function pinchDist(m) { const [a, b] = [...m.values()]; return Math.hypot(a[0] - b[0], a[1] - b[1]); }
function pinchMid(m) { const [a, b] = [...m.values()]; return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]; }
