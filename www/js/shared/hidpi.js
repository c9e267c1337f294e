// The base of every canvas widget: a backing store of CSS size × devicePixelRatio (≤ 3) that
// follows the element's size, and redraws coalesced to one per animation frame. Subclasses set
// their own state, call `observeSize()` last in their constructor, and implement `draw()` (and
// `onResize()` when a new size changes more than the pixels).
export class HiDpiCanvas {
  constructor(canvas, w = 300, h = 160) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.css = { w, h };
    this.dpr = 1;
    this.frame = 0;
  }
  observeSize(target = this.canvas) {
    new ResizeObserver(() => this.resize()).observe(target);
    this.resize();
  }
  resize() {
    const b = this.canvas.getBoundingClientRect();
    const w = Math.max(50, Math.round(b.width)), h = Math.max(50, Math.round(b.height));
    const dpr = Math.min(3, window.devicePixelRatio || 1);
    if (w === this.css.w && h === this.css.h && dpr === this.dpr) return;
    this.css = { w, h }; this.dpr = dpr;
    this.canvas.width = Math.round(w * dpr); this.canvas.height = Math.round(h * dpr);
    this.onResize();
    this.draw();
  }
  onResize() {}
  requestDraw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }
}
