// A 2-D decision boundary: the engine's `predictGrid` (p(class 1) on an nx × ny grid, row j at
// y0 + j·(y1 − y0)/(ny − 1), i.e. row 0 at the BOTTOM) painted by the engine as a diverging heatmap
// (orange = class 0, blue = class 1, white = undecided; src/nn/boundary.rs), with the training points on
// top and the frame, ticks and axis names of the engine's chart code (field.js), which also writes
// the figure's SVG. Knows nothing about networks: the lab passes a `predict(nx, ny, view)` function
// (which may answer the grid a worker computed last; the same array is not repainted).
import { engineFor, engineNow, inEngineMemory } from './engine.js';
import { HiDpiCanvas } from './hidpi.js';
import { CHARTS } from './xychart.js';
import { drawFieldAxes, fieldSvgSpec, fieldMark } from './field.js';

const M = { left: 36, right: 8, top: 8, bottom: 26 };
/** The classes' colours, the engine's (E.classColors()): [class 0, class 1]. */
const classColors = () => engineNow().classColors();

export class Boundary extends HiDpiCanvas {
  constructor(canvas, o = {}) {
    super(canvas, 300, 300);
    this.o = { res: 64, ...o };
    this.view = [-1.5, 1.5, -1.5, 1.5];
    this.predict = null;   // (nx, ny, view) => Float32Array view | null
    this.points = null;    // {x: Float32Array (rows × 2), labels: Uint32Array}
    this.img = document.createElement('canvas');
    this.lastMs = 0;
    this.margin = [M.left, M.right, M.top, M.bottom];
    this.axisNames = ['x₁', 'x₂'];
    this.tickPx = [70, 50];
    this.fontSize = 11;
    this.observeSize();
    CHARTS.add(this);
  }
  /** Forget the painted grid (a new network). */
  clear() { this.grid = null; this.drawn = null; }
  #drawPoints(X, Y, r) {
    const L = (this.pointsLayer ??= document.createElement('canvas'));
    L.width = this.canvas.width; L.height = this.canvas.height;
    const c = L.getContext('2d'), p = this.points, dpr = this.dpr;
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    const rad = Math.max(2, Math.min(4, r.w / 110));
    // One marker per class rasterized once, then stamped: 2000 filled and stroked arcs in one
    // path took 40–56 ms on a phone-sized 2× canvas (a long task at every reset); stamps ~3 ms.
    const half = Math.ceil((rad + 1) * dpr), size = 2 * half;
    const sprite = (fill) => {
      const s = document.createElement('canvas');
      s.width = s.height = size;
      const g = s.getContext('2d');
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.beginPath(); g.arc(half / dpr, half / dpr, rad, 0, Math.PI * 2);
      g.fillStyle = fill; g.fill(); g.lineWidth = 1; g.strokeStyle = '#fff'; g.stroke();
      return s;
    };
    const stamps = classColors().map(sprite); // [class 0, class 1]
    c.setTransform(1, 0, 0, 1, 0, 0);
    for (const cls of [0, 1]) {
      for (let i = 0; i < p.labels.length; i++) {
        if ((p.labels[i] === 1 ? 1 : 0) !== cls) continue;
        // Whole device pixels: the stamp is copied, not resampled.
        c.drawImage(stamps[cls], Math.round(X(p.x[2 * i]) * dpr) - half, Math.round(Y(p.x[2 * i + 1]) * dpr) - half);
      }
    }
  }
  get plotRect() { const { w, h } = this.css; return { x: M.left, y: M.top, w: Math.max(10, w - M.left - M.right), h: Math.max(10, h - M.top - M.bottom) }; }
  /** Fit the view to the points with a margin (square cells). */
  fit(points) {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    const x = points.x;
    for (let i = 0; i + 1 < x.length; i += 2) { x0 = Math.min(x0, x[i]); x1 = Math.max(x1, x[i]); y0 = Math.min(y0, x[i + 1]); y1 = Math.max(y1, x[i + 1]); }
    if (!Number.isFinite(x0)) return;
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, s = Math.max(x1 - x0, y1 - y0) * 0.58 + 0.1;
    this.view = [cx - s, cx + s, cy - s, cy + s];
  }
  #paint() {
    if (!this.predict) return false;
    const t0 = performance.now();
    const n = this.o.res;
    const g = this.predict(n, n, this.view);
    if (!g) return false;
    if (g === this.grid && n === this.gridN) return true; // the same grid: the painted image stands
    const E = engineNow();
    // The engine paints it (src/nn/boundary.rs: its class colours, white at p = 0.5, grey where p is
    // not finite); a grid in the engine's own memory is copied first (the call may grow it).
    const img = new ImageData(E.paintDecision(inEngineMemory(g) ? g.slice() : g, n, n), n, n);
    this.img.width = n; this.img.height = n;
    this.img.getContext('2d').putImageData(img, 0, 0);
    this.grid = g; this.gridN = n;
    this.lastMs = performance.now() - t0;
    return true;
  }
  draw() {
    if (!engineFor(this)) return; // it draws the heatmap and names the colours: redrawn when loaded
    const { ctx, dpr } = this, { w, h } = this.css;
    // A `predict` with nothing new (null) keeps the last image; `clear()` forgets it.
    const heat = this.#paint() || !!this.grid;
    const fg = getComputedStyle(this.canvas).getPropertyValue('--fg').trim() || '#222';
    // Nothing changed (the same grid, points, view, size and theme): the canvas stands.
    const key = [heat && this.grid, this.points, ...this.view, w, h, dpr, fg];
    if (this.drawn && this.axesDrawn && key.every((v, i) => v === this.drawn[i])) return;
    this.drawn = key;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const r = this.plotRect;
    const [x0, x1, y0, y1] = this.view;
    const X = (x) => r.x + ((x - x0) / (x1 - x0)) * r.w, Y = (y) => r.y + ((y1 - y) / (y1 - y0)) * r.h;
    if (heat) { ctx.imageSmoothingEnabled = true; ctx.drawImage(this.img, r.x, r.y, r.w, r.h); }
    // The training points do not move while the network trains: drawn once into a layer.
    if (this.points) {
      const pk = [this.points, ...this.view, w, h, dpr];
      if (!this.pointsKey || pk.some((v, i) => v !== this.pointsKey[i])) { this.pointsKey = pk; this.#drawPoints(X, Y, r); }
      ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.drawImage(this.pointsLayer, 0, 0); ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    }
    this.axesDrawn = drawFieldAxes(this);
  }
  /** The figure as its SVG: the painted probabilities (as an image) and every training point. */
  svgSpec(title = '') {
    const p = this.points, marks = [];
    if (p) for (let i = 0; i < p.labels.length; i++) marks.push(fieldMark(p.x[2 * i], p.x[2 * i + 1], 'circle', classColors()[p.labels[i] === 1 ? 1 : 0], { size: 3 }));
    return fieldSvgSpec(this, { title, marks }, this.grid && { canvas: this.img });
  }
}

