// Training in slices per animation frame, so the page stays responsive and the charts redraw at
// the display's rate: each frame the lab's `work(budgetMs)` runs engine steps for about
// `budgetMs`, then `draw()` redraws. `StepBudget` learns how long one step takes and turns a time
// budget into a step count. The loop keeps timing statistics (frame interval, work and draw time)
// that the e2e tests read and the page can show.

export class StepBudget {
  constructor(msPerStep = 0.05) { this.ms = msPerStep; }
  /** Steps that fit into `budgetMs` (at least 1, at most `max`). */
  steps(budgetMs, max = 1e6) { return Math.max(1, Math.min(max, Math.floor(budgetMs / Math.max(1e-4, this.ms)))); }
  /** Learn from `n` steps that took `ms` (exponential average, robust to one slow frame). */
  record(n, ms) { if (n > 0 && ms >= 0) { const per = ms / n; this.ms = this.ms * 0.7 + per * 0.3; } }
}

export class FrameLoop {
  /**
   * @param {object} o  {work(budgetMs, now) → boolean (keep running), draw(now), budgetMs = 8, onStop()}
   */
  constructor(o) {
    this.o = { budgetMs: 8, ...o };
    this.running = false;
    this.raf = 0;
    this.stats = { frames: 0, intervals: [], work: [], draw: [], total: [] };
    this.last = 0;
  }
  start() {
    if (this.running) return;
    this.running = true;
    this.last = 0;
    this.raf = requestAnimationFrame((t) => this.#tick(t));
  }
  stop() {
    this.running = false;
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.o.onStop?.();
  }
  #push(a, v) { a.push(v); if (a.length > 240) a.shift(); }
  #tick(now) {
    if (!this.running) return;
    if (this.last) this.#push(this.stats.intervals, now - this.last);
    this.last = now;
    const t0 = performance.now();
    let keep = true;
    try { keep = this.o.work(this.o.budgetMs, now) !== false; } catch (e) { keep = false; this.o.onError?.(e); }
    const t1 = performance.now();
    try { this.o.draw(now); } catch (e) { keep = false; this.o.onError?.(e); }
    const t2 = performance.now();
    this.#push(this.stats.work, t1 - t0); this.#push(this.stats.draw, t2 - t1); this.#push(this.stats.total, t2 - t0);
    this.stats.frames++;
    if (keep && this.running) this.raf = requestAnimationFrame((t) => this.#tick(t));
    else if (this.running) this.stop();
  }
  /** Median and 95th percentile of a statistic (ms). */
  summary(key = 'total') {
    const a = this.stats[key].slice().sort((x, y) => x - y);
    if (!a.length) return { median: NaN, p95: NaN, n: 0 };
    return { median: a[a.length >> 1], p95: a[Math.min(a.length - 1, Math.floor(a.length * 0.95))], n: a.length };
  }
}
