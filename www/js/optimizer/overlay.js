// What the optimizer lab draws on top of the heatmap: racers' paths and markers, "diverged at step
// k" labels, the update vectors of the selected racer, and Newton's local quadratic model.
// Points are read through the engine's views (run.points()), never copied per frame.
import { drawMarker } from '../shared/palette.js';

const CLAMP = 1e5; // CSS px: keeps huge (about-to-diverge) coordinates drawable

// Labels drawn this frame (boxes in CSS px): each new label takes the first of a few positions
// around its anchor that overlaps none of them, so "−ηg", "Δθ", "−η g_B" never print on each other.
let placed = [];
export function beginLabels() { placed = []; }
function overlaps(b) { return placed.some((q) => b.x < q.x + q.w && q.x < b.x + b.w && b.y < q.y + q.h && q.y < b.y + b.h); }
/** Draw `text` near (x, y) where it collides with no label of this frame; returns its box. */
export function placeText(ctx, text, x, y, color, bounds = null) {
  const w = ctx.measureText(text).width + 4, h = 15;
  const cands = [[5, -5 - h], [5, 5], [-5 - w, -5 - h], [-5 - w, 5], [5, -5 - 2 * h], [-5 - w, 5 + h], [5, 5 + h], [-w / 2, -10 - 2 * h], [-w / 2, 10 + h]];
  let box = null;
  for (const [dx, dy] of cands) {
    let b = { x: x + dx, y: y + dy, w, h };
    if (bounds) b = { ...b, x: Math.min(Math.max(b.x, bounds.x + 2), bounds.x + bounds.w - w - 2), y: Math.min(Math.max(b.y, bounds.y + 2), bounds.y + bounds.h - h - 2) };
    if (!overlaps(b)) { box = b; break; }
  }
  if (!box) { // all taken: stack below the last one
    const last = placed[placed.length - 1];
    box = { x: x + 5, y: last.y + last.h + 1, w, h };
  }
  placed.push(box);
  ctx.textBaseline = 'middle'; ctx.textAlign = 'left';
  ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(0,0,0,0.8)'; ctx.strokeText(text, box.x + 2, box.y + h / 2);
  ctx.fillStyle = color; ctx.fillText(text, box.x + 2, box.y + h / 2);
  ctx.textBaseline = 'alphabetic';
  return box;
}

function px(plot, x, y) {
  const [a, b] = plot.toPx(x, y);
  return [Math.max(-CLAMP, Math.min(CLAMP, a)), Math.max(-CLAMP, Math.min(CLAMP, b))];
}

const DOTS_UP_TO = 400;           // step dots (they show the step sizes) while a path is short
const VERTICES_PER_FRAME = 60000; // a full redraw of very long paths spreads over a few frames
let runIds = new WeakMap(), nextRunId = 1;
const runId = (run) => { if (!runIds.has(run)) runIds.set(run, nextRunId++); return runIds.get(run); };

/**
 * The racers' paths, drawn once into a layer of their own and then only extended: each frame adds
 * the steps taken since the last one, so the cost per frame follows the new steps, not the length
 * of the paths (20 000 steps × 8 racers used to take 0.5 s a frame). The layer is redrawn when the
 * view, the size, the selection or a run changes — spread over frames when the paths are long,
 * with the old layer moved to the new view meanwhile — and vertices closer than a pixel are merged.
 */
export class PathLayer {
  constructor() {
    this.canvas = document.createElement('canvas');
    this.key = '';
    this.view = null;
    this.state = new Map();
  }
  /** Draw the paths (and the racers' markers and divergence labels) onto ctx. */
  draw(ctx, plot, racers, selIndex) {
    const r = plot.plotRect, dpr = plot.dpr;
    const live = racers.filter((q) => q.run);
    const key = JSON.stringify([plot.view, r.w, r.h, dpr, selIndex, live.map((q) => [q.index, q.color, runId(q.run), q.run.len > DOTS_UP_TO])]);
    const lctx = this.canvas.getContext('2d');
    if (key !== this.key) {
      // Keep showing the old layer (moved to the new view) until the new one has caught up.
      this.old = this.view && this.complete ? { canvas: this.#copy(), view: this.view } : null;
      this.key = key;
      this.view = plot.view.slice();
      this.canvas.width = Math.max(1, Math.round(r.w * dpr));
      this.canvas.height = Math.max(1, Math.round(r.h * dpr));
      this.state = new Map(live.map((q) => [q.index, { drawn: 0, lx: 0, ly: 0 }]));
    }
    lctx.setTransform(dpr, 0, 0, dpr, -r.x * dpr, -r.y * dpr);
    lctx.lineJoin = 'round';
    lctx.lineCap = 'round';
    let budget = VERTICES_PER_FRAME;
    let complete = true;
    for (const q of live) {
      const st = this.state.get(q.index);
      const pts = q.run.points(), n = pts.length / 2;
      if (!st || st.drawn >= n) continue;
      const from = Math.max(0, st.drawn - 1), to = Math.min(n, st.drawn + Math.max(200, budget));
      budget -= to - from;
      if (to < n) complete = false;
      const path = new Path2D();
      let [lx, ly] = from === 0 ? px(plot, pts[0], pts[1]) : [st.lx, st.ly];
      path.moveTo(lx, ly);
      for (let k = from + 1; k < to; k++) {
        const [x, y] = px(plot, pts[2 * k], pts[2 * k + 1]);
        if (k < n - 1 && Math.abs(x - lx) + Math.abs(y - ly) < 1) continue;
        path.lineTo(x, y); lx = x; ly = y;
      }
      const sel = q.index === selIndex;
      lctx.lineWidth = sel ? 5 : 4; lctx.strokeStyle = 'rgba(0,0,0,0.55)'; lctx.stroke(path);
      lctx.lineWidth = sel ? 2.6 : 2; lctx.strokeStyle = q.color; lctx.stroke(path);
      if (n <= DOTS_UP_TO) {
        lctx.fillStyle = q.color;
        for (let k = Math.max(1, from); k < to; k++) { const [x, y] = px(plot, pts[2 * k], pts[2 * k + 1]); lctx.fillRect(x - 1.5, y - 1.5, 3, 3); }
      }
      st.drawn = to; st.lx = lx; st.ly = ly;
    }
    this.complete = complete;
    if (!complete && this.old) this.#blit(ctx, plot, this.old.canvas, this.old.view);
    else this.old = null;
    this.#blit(ctx, plot, this.canvas, this.view);
    drawMarkers(ctx, plot, live, selIndex);
  }
  #copy() {
    const c = document.createElement('canvas');
    c.width = this.canvas.width; c.height = this.canvas.height;
    c.getContext('2d').drawImage(this.canvas, 0, 0);
    return c;
  }
  #blit(ctx, plot, canvas, view) {
    const [a0, a1, b0, b1] = view;
    const [p0x, p0y] = plot.toPx(a0, b1), [p1x, p1y] = plot.toPx(a1, b0);
    ctx.drawImage(canvas, p0x, p0y, p1x - p0x, p1y - p0y);
  }
}

/** Each racer's current position (its marker) and, once it diverged, a label saying when. */
function drawMarkers(ctx, plot, racers, selIndex) {
  for (const r of racers) {
    const pts = r.run.points(), n = pts.length / 2;
    if (!n) continue;
    const [cx, cy] = px(plot, pts[2 * n - 2], pts[2 * n - 1]);
    drawMarker(ctx, r.shape, cx, cy, r.index === selIndex ? 7 : 6, r.color, '#fff', 1.5);
    if (r.run.diverged_at_step != null) {
      ctx.font = 'bold 12px system-ui, sans-serif';
      placeText(ctx, `${r.label}: diverged at step ${r.run.diverged_at_step}`, cx, cy, '#fff', plot.plotRect);
    }
  }
}

function arrow(ctx, x0, y0, x1, y1, color, label, dashed = false) {
  const len = Math.hypot(x1 - x0, y1 - y0);
  if (len < 2) return;
  const ux = (x1 - x0) / len, uy = (y1 - y0) / len, h = Math.min(10, len * 0.4);
  ctx.setLineDash(dashed ? [5, 3] : []);
  for (const [w, c] of [[4.5, 'rgba(0,0,0,0.7)'], [2, color]]) {
    ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1);
    ctx.moveTo(x1, y1); ctx.lineTo(x1 - h * ux + h * 0.5 * uy, y1 - h * uy - h * 0.5 * ux);
    ctx.moveTo(x1, y1); ctx.lineTo(x1 - h * ux - h * 0.5 * uy, y1 - h * uy + h * 0.5 * ux);
    ctx.lineWidth = w; ctx.strokeStyle = c; ctx.stroke();
  }
  ctx.setLineDash([]);
  if (label) {
    ctx.font = '12px system-ui, sans-serif';
    placeText(ctx, label, x1, y1, color);
  }
}

/**
 * The mini-batch gradient g_B = ∂L(B, θ(t−1))/∂θ used by the last step of a mini-batch racer, with
 * the point it was taken at: from the engine's state (`batch_grad`) when it reports it, else, for
 * plain SGD (momentum 0, weight_decay 0), exactly from the step itself: Δθ = −η(t)·g_B. Null when
 * neither applies (or the racer is full-batch, or no step was taken yet).
 */
export function batchGradient(r) {
  const run = r?.run;
  if (!run || r.spec?.batch_size == null || run.len < 2) return null;
  const pts = run.points(), n = pts.length / 2;
  const at = [pts[2 * n - 4], pts[2 * n - 3]];
  let g = null, source = null;
  try {
    const s = run.state();
    if (s.batch_grad && s.batch_grad.length === 2) { g = [s.batch_grad[0], s.batch_grad[1]]; source = 'engine'; }
  } catch { /* no state */ }
  if (!g && r.name === 'sgd' && !(r.params.momentum > 0) && !(r.params.weight_decay > 0)) {
    const lrs = run.lrs(), eta = lrs[lrs.length - 1];
    if (eta > 0) { g = [-(pts[2 * n - 2] - at[0]) / eta, -(pts[2 * n - 1] - at[1]) / eta]; source = 'derived'; }
  }
  return g && g.every(Number.isFinite) ? { g, at, source } : null;
}

/**
 * Vectors at the selected racer's current point θ: −η·g (the plain gradient step), the velocity u
 * (momentum methods, u = −η·buf), and the last actual step Δθ (ending at θ). All share one scale
 * factor, shown in the legend, so their lengths compare. For a mini-batch racer the arrows start at
 * θ(t−1) instead and compare the step the full gradient would have taken, −η∇L(θ(t−1)) (white),
 * with the mini-batch step −η·g_B (orange) that was taken. Returns {k, batch} or null.
 */
export function drawVectors(ctx, plot, r, lr, L) {
  if (!r?.run || r.run.len < 1) return null;
  const bg = batchGradient(r);
  if (bg && L) return drawBatchVectors(ctx, plot, r, bg, L);
  let st;
  try {
    // state() hands out views of one engine buffer: copy the few numbers before any other call.
    const s = r.run.state();
    st = {};
    for (const k of ['grad', 'update', 'momentum_buffer']) if (s[k]) st[k] = [s[k][0], s[k][1]];
  } catch { return null; }
  const pts = r.run.points(), n = pts.length / 2;
  const x = pts[2 * n - 2], y = pts[2 * n - 1];
  const vecs = [];
  const step = r.name === 'newton' ? (r.params.eta ?? 1) : lr;
  if (st.grad && Number.isFinite(step)) vecs.push({ v: [-step * st.grad[0], -step * st.grad[1]], color: '#ffffff', label: '−η g' });
  if (st.momentum_buffer && r.params.momentum > 0) vecs.push({ v: [-lr * st.momentum_buffer[0], -lr * st.momentum_buffer[1]], color: '#F0E442', label: 'u' });
  const upd = st.update && n > 1 ? [st.update[0], st.update[1]] : null;
  if (r.run.diverged_at_step != null) return { k: null, why: 'diverged' };
  const k = fitScale(plot, [...vecs.map((q) => q.v), ...(upd ? [upd] : [])]);
  if (k == null) return { k: null, why: 'tiny' };
  const [sx, sy] = plot.scalePx;
  const [cx, cy] = px(plot, x, y);
  for (const q of vecs) {
    if (!q.v.every(Number.isFinite)) continue;
    arrow(ctx, cx, cy, cx + (q.v[0] / sx) * k, cy - (q.v[1] / sy) * k, q.color, q.label);
  }
  if (upd && upd.every(Number.isFinite)) arrow(ctx, cx - (upd[0] / sx) * k, cy + (upd[1] / sy) * k, cx, cy, '#56B4E9', 'Δθ', true);
  return { k, batch: null };
}

/** Arrows are magnified at most this much (and shrunk at most by its inverse). */
export const MAX_MAGNIFY = 1000;

/**
 * One scale factor that makes the longest vector 40..maxPx CSS px, within ×1/1000 … ×1000.
 * Null when the vectors are too small to show even magnified (a converged racer: its gradient is
 * ~0 at this zoom) or too large even shrunk: then no arrows are drawn and the legend says why.
 */
export function fitScale(plot, vs, maxPx = 220) {
  const [sx, sy] = plot.scalePx;
  const all = vs.filter((v) => v.every(Number.isFinite));
  if (!all.length) return null;
  const maxLen = Math.max(...all.map((v) => Math.hypot(v[0] / sx, v[1] / sy)));
  const k = maxLen < 40 ? 40 / maxLen : maxLen > maxPx ? maxPx / maxLen : 1;
  return k > MAX_MAGNIFY || k < 1 / MAX_MAGNIFY || !Number.isFinite(k) ? null : k;
}

function drawBatchVectors(ctx, plot, r, bg, L) {
  const lrs = r.run.lrs(), eta = lrs[lrs.length - 1];
  let full;
  try { const g = L.gradient(bg.at[0], bg.at[1]); full = [-eta * g[0], -eta * g[1]]; } catch { return null; }
  const mini = [-eta * bg.g[0], -eta * bg.g[1]];
  const st = r.run.state();
  const upd = st.update ? [st.update[0], st.update[1]] : null;
  const plain = bg.source === 'derived';
  if (r.run.diverged_at_step != null) return { k: null, why: 'diverged' };
  const k = fitScale(plot, [full, mini, ...(upd && !plain ? [upd] : [])], 130);
  if (k == null) return { k: null, why: 'tiny' };
  const [sx, sy] = plot.scalePx;
  const [cx, cy] = px(plot, bg.at[0], bg.at[1]);
  const to = (v) => [cx + (v[0] / sx) * k, cy - (v[1] / sy) * k];
  if (full.every(Number.isFinite)) arrow(ctx, cx, cy, ...to(full), '#ffffff', '−η∇L (all data)');
  arrow(ctx, cx, cy, ...to(mini), '#E69F00', `−η g_B (B=${r.spec.batch_size})`);
  if (upd && !plain && upd.every(Number.isFinite)) arrow(ctx, cx, cy, ...to(upd), '#56B4E9', 'Δθ', true);
  return { k, batch: bg.source };
}

/**
 * Newton's local quadratic model at θ: q(d) = f + g·d + ½ d·H d. Its level set through the current
 * point is drawn in the eigenbasis of H: an ellipse when both eigenvalues have the sign of the
 * level, otherwise a hyperbola (both branches, with the Newton point θ − H⁻¹g at the centre).
 */
export function drawNewtonModel(ctx, plot, L, x, y) {
  // The engine's model: the full Newton step d = −H⁻¹g (solved as its Newton optimizer solves it),
  // H's eigenvalues λ₁ ≥ λ₂ and the eigenvector of λ₁; nothing where H is singular.
  const m = L.newtonModel(x, y);
  if (m.length < 6) return;
  const d = [m[0], m[1]], l1 = m[2], l2 = m[3], e1 = [m[4], m[5]], e2 = [-m[5], m[4]];
  const cx = x + d[0], cy = y + d[1];
  // level through the current point, relative to the model's stationary value: ½(−d)·H(−d)
  const p1 = -(d[0] * e1[0] + d[1] * e1[1]), p2 = -(d[0] * e2[0] + d[1] * e2[1]);
  const lev = l1 * p1 * p1 + l2 * p2 * p2;           // = 2·(q(θ) − q(θ*))
  const toWorld = (s, t) => [cx + s * e1[0] + t * e2[0], cy + s * e1[1] + t * e2[1]];
  const curves = [];
  if (l1 * lev > 0 && l2 * lev > 0) {
    const A = Math.sqrt(lev / l1), B = Math.sqrt(lev / l2), pts = [];
    for (let k = 0; k <= 96; k++) { const t = (k / 96) * 2 * Math.PI; pts.push(toWorld(A * Math.cos(t), B * Math.sin(t))); }
    curves.push(pts);
  } else if (lev !== 0) {
    // hyperbola: the eigen-direction whose eigenvalue has the sign of lev is the "cosh" axis
    const [lp, lq, swap] = l1 * lev > 0 ? [l1, l2, false] : [l2, l1, true];
    const A = Math.sqrt(lev / lp), B = Math.sqrt(-lev / lq);
    for (const sgn of [1, -1]) {
      const pts = [];
      for (let k = -48; k <= 48; k++) { const s = (k / 48) * 2.5; const m = sgn * A * Math.cosh(s), o = B * Math.sinh(s); pts.push(swap ? toWorld(o, m) : toWorld(m, o)); }
      curves.push(pts);
    }
  }
  ctx.setLineDash([6, 4]);
  for (const pts of curves) {
    for (const [w, col] of [[4, 'rgba(0,0,0,0.6)'], [1.8, '#ffffff']]) {
      ctx.beginPath();
      pts.forEach(([wx, wy], k) => { const [p, q] = px(plot, wx, wy); k ? ctx.lineTo(p, q) : ctx.moveTo(p, q); });
      ctx.lineWidth = w; ctx.strokeStyle = col; ctx.stroke();
    }
  }
  ctx.setLineDash([]);
  const [nx, ny] = px(plot, cx, cy), [ox, oy] = px(plot, x, y);
  arrow(ctx, ox, oy, nx, ny, '#ffffff', '−H⁻¹g', true);
}
