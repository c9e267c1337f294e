// The base of every canvas widget: a backing store of CSS size × devicePixelRatio (≤ 2) that
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
  /**
   * Follow the element's size. The ResizeObserver reports the first size before the first paint,
   * with the size in its entry: no layout is forced (a page with many canvases would otherwise
   * lay itself out once per canvas), and the redraw is coalesced into the next frame.
   */
  observeSize(target = this.canvas) {
    new ResizeObserver((entries) => {
      const e = entries[entries.length - 1], box = e.borderBoxSize?.[0];
      this.resize(target === this.canvas && box ? { width: box.inlineSize, height: box.blockSize } : undefined);
    }).observe(target);
  }
  resize(b = this.canvas.getBoundingClientRect()) {
    const w = Math.max(50, Math.round(b.width)), h = Math.max(50, Math.round(b.height));
    // At most 2 device pixels per CSS pixel: a 3× phone screen gets 2.25× fewer pixels to draw and
    // hand to the compositor each frame (measured: 55–70 ms commits per frame at 3×, software
    // compositing), for text and lines that still look sharp.
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    if (w === this.css.w && h === this.css.h && dpr === this.dpr) return;
    this.css = { w, h }; this.dpr = dpr;
    this.canvas.width = Math.round(w * dpr); this.canvas.height = Math.round(h * dpr);
    this.onResize();
    this.requestDraw();
  }
  onResize() {}
  /** Draw now, and drop a redraw this widget had requested (it would draw the same again). */
  paint() {
    if (this.frame) { queue.delete(this); this.frame = 0; }
    this.draw();
  }
  /** Redraw in an animation frame; the frames' drawing is bounded (see `schedule`). */
  requestDraw() {
    if (this.frame) return;
    this.frame = 1;
    schedule(this);
  }
}

// Requested redraws of all widgets run in animation frames, at most ~FRAME_BUDGET_MS of them per
// frame (at least one): a page that asks twelve canvases to redraw at once — a grid of small
// charts, or the first frame after load, when every canvas gets its backing store — spreads them
// over a few frames instead of one long task.
const FRAME_BUDGET_MS = 8;
const queue = new Set();
let raf = 0;
function schedule(w) {
  queue.add(w);
  if (!raf) raf = requestAnimationFrame(flush);
}
function flush() {
  raf = 0;
  const t0 = performance.now();
  for (const w of queue) {
    if (performance.now() - t0 > FRAME_BUDGET_MS) break;
    queue.delete(w);
    w.frame = 0;
    try { w.draw(); } catch (e) { if (queue.size && !raf) raf = requestAnimationFrame(flush); throw e; }
  }
  if (queue.size && !raf) raf = requestAnimationFrame(flush);
}
