// A contour figure of a loss slice computed elsewhere (the engine in a worker renders the RGBA
// heatmap with its contour lines, shared with the landscape figure): high-DPI canvas, the image
// placed at the view it was rendered for, and what the lab's `overlay(plot)` returns — paths and
// marks in world coordinates ({paths, marks}, field.js) — drawn with the frame, ticks and names by
// the engine's chart code, the same drawing as the figure's SVG. No interaction: the lab chooses
// the view (fitted or equal scales).
import { HiDpiCanvas } from './hidpi.js';
import { CHARTS } from './xychart.js';
import { drawFieldAxes, fieldSvgSpec } from './field.js';

const MARGIN = { left: 62, right: 10, top: 10, bottom: 36 };

export class SlicePlot extends HiDpiCanvas {
  /** @param {HTMLCanvasElement} canvas  @param {{overlay?(plot): {paths, marks}, axisNames?: [string, string]}} o */
  constructor(canvas, o = {}) {
    super(canvas, 300, 260);
    this.o = o;
    this.view = [-1, 1, -1, 1];
    this.image = null;        // {canvas, view}
    this.equal = false;
    this.wanted = this.view.slice();
    this.message = '';
    this.margin = [MARGIN.left, MARGIN.right, MARGIN.top, MARGIN.bottom];
    this.axisNames = o.axisNames || ['w₁', 'w₂'];
    this.render = { scale: 'log', cmap: 'viridis', levels: 16 }; // how the lab has the engine colour it
    this.range = null;        // [min, max] the image's colours stand for, and its contour levels
    this.levels = [];
    this.observeSize();
    CHARTS.add(this);
  }
  get plotRect() {
    const { w, h } = this.css;
    return { x: MARGIN.left, y: MARGIN.top, w: Math.max(10, w - MARGIN.left - MARGIN.right), h: Math.max(10, h - MARGIN.top - MARGIN.bottom) };
  }
  /** The pixels a render for this plot should have (device pixels / `div`). */
  renderSize(div = 1) { const r = this.plotRect; return [Math.max(16, Math.round((r.w * this.dpr) / div)), Math.max(16, Math.round((r.h * this.dpr) / div))]; }
  setView(v, equal = this.equal) {
    if (!v.every(Number.isFinite) || !(v[1] > v[0]) || !(v[3] > v[2])) return;
    this.wanted = v.slice(); this.equal = equal;
    this.view = this.#fit(v);
    this.requestDraw();
  }
  onResize() { this.view = this.#fit(this.wanted); }
  #fit(v) {
    if (!this.equal) return v.slice();
    const r = this.plotRect, s = Math.max((v[1] - v[0]) / r.w, (v[3] - v[2]) / r.h);
    const cx = (v[0] + v[1]) / 2, cy = (v[2] + v[3]) / 2;
    return [cx - (s * r.w) / 2, cx + (s * r.w) / 2, cy - (s * r.h) / 2, cy + (s * r.h) / 2];
  }
  /** An engine render {rgba, nx, ny} of `view`. */
  setImage(img, view) {
    const c = this.image?.canvas || document.createElement('canvas');
    c.width = img.nx; c.height = img.ny;
    c.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(img.rgba.buffer, img.rgba.byteOffset, img.nx * img.ny * 4), img.nx, img.ny), 0, 0);
    this.image = { canvas: c, view: view.slice() };
    this.range = Number.isFinite(img.min) && img.max > img.min ? [img.min, img.max] : null;
    this.levels = img.levels ? Array.from(img.levels) : [];
    this.requestDraw();
  }
  toPx(x, y) {
    const r = this.plotRect, [x0, x1, y0, y1] = this.view;
    return [r.x + ((x - x0) / (x1 - x0)) * r.w, r.y + ((y1 - y) / (y1 - y0)) * r.h];
  }
  draw() {
    const { ctx, dpr } = this, { w, h } = this.css, r = this.plotRect;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (this.image) {
      ctx.save();
      ctx.beginPath(); ctx.rect(r.x, r.y, r.w, r.h); ctx.clip();
      const [a0, a1, b0, b1] = this.image.view;
      const [p0x, p0y] = this.toPx(a0, b1), [p1x, p1y] = this.toPx(a1, b0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.image.canvas, p0x, p0y, p1x - p0x, p1y - p0y);
      ctx.restore();
    }
    drawFieldAxes(this, { ...this.#overlay(), message: this.message });
  }
  #overlay() { const o = this.o.overlay?.(this) || {}; return { paths: o.paths || [], marks: o.marks || [] }; }
  /** The figure as its SVG: the image as shown, the overlay, the colour bar of the image's values (log scale). */
  svgSpec(title = '') {
    return fieldSvgSpec(this, { title, ...this.#overlay(), message: this.message }, this.image,
      { range: this.range, scale: this.render.scale, cmap: this.render.cmap, levels: this.levels, label: 'training loss' });
  }
}
