// Where a landscape is not finite: a typed expression can be NaN (sqrt(-1), log of a negative
// number) or overflow (1e400*x, exp(exp(exp(x)))) in part of the view or all of it. The lab refuses
// a landscape with no finite value in view (and keeps the previous one), and names the region
// where an accepted one is not finite, instead of drawing a blank or two-colour map. Pure: takes a
// grid of values (row j at y0 + j·dy), unit-tested in tests/js/finite.test.mjs.

export const F32_MAX = 3.4028234663852886e38;

/**
 * @param {ArrayLike<number>} g  nx·ny values, row-major, row j at y = y0 + j·(y1 − y0)/(ny − 1)
 * @param {(v: number) => boolean} ok  which values count as fine (default: finite)
 * @returns {{finite: number, total: number, nan: number, inf: number, box: null|{x0,x1,y0,y1}, side: string|null}}
 */
export function finiteReport(g, nx, ny, [x0, x1, y0, y1], ok = Number.isFinite, valueAt = null) {
  const X = (i) => x0 + (i * (x1 - x0)) / Math.max(1, nx - 1);
  const Y = (j) => y0 + (j * (y1 - y0)) / Math.max(1, ny - 1);
  let finite = 0, nan = 0, inf = 0;
  let bx0 = Infinity, bx1 = -Infinity, by0 = Infinity, by1 = -Infinity;   // non-finite cells
  let fx0 = Infinity, fx1 = -Infinity, fy0 = Infinity, fy1 = -Infinity;   // finite cells
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const v = g[j * nx + i];
    if (ok(v)) { finite++; fx0 = Math.min(fx0, i); fx1 = Math.max(fx1, i); fy0 = Math.min(fy0, j); fy1 = Math.max(fy1, j); continue; }
    if (Number.isNaN(v)) nan++; else if (!Number.isFinite(v)) inf++;
    bx0 = Math.min(bx0, i); bx1 = Math.max(bx1, i); by0 = Math.min(by0, j); by1 = Math.max(by1, j);
  }
  const total = nx * ny;
  if (finite === total) return { finite, total, nan, inf, box: null, side: null };
  const box = { x0: X(bx0), x1: X(bx1), y0: Y(by0), y1: Y(by1) };
  // A half-plane says it best: "for x ≥ 1.5" when every non-finite cell lies right of every finite one.
  // With f at hand the edge is found by bisection between the last good and the first bad sample.
  const edge = (good, badAt, at) => {
    if (!valueAt) return badAt;
    let a = good, b = badAt;
    for (let k = 0; k < 40; k++) { const m = (a + b) / 2; let v; try { v = at(m); } catch { v = NaN; } if (ok(v)) a = m; else b = m; }
    return (a + b) / 2;
  };
  const ym = (y0 + y1) / 2, xm = (x0 + x1) / 2;
  let side = null;
  if (finite) {
    if (bx0 > fx1) side = `x > ${nice(edge(X(fx1), X(bx0), (x) => valueAt(x, ym)))}`;
    else if (bx1 < fx0) side = `x < ${nice(edge(X(fx0), X(bx1), (x) => valueAt(x, ym)))}`;
    else if (by0 > fy1) side = `y > ${nice(edge(Y(fy1), Y(by0), (y) => valueAt(xm, y)))}`;
    else if (by1 < fy0) side = `y < ${nice(edge(Y(fy0), Y(by1), (y) => valueAt(xm, y)))}`;
  }
  return { finite, total, nan, inf, box, side };
}

const nice = (v) => String(Number((Math.abs(v) < 1e-9 ? 0 : v).toPrecision(3)));

/** Sample f (float64, the engine's L.value) on an n × n grid over the view. */
export function sampleView(valueAt, [x0, x1, y0, y1], n = 41) {
  const g = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    let v;
    try { v = valueAt(x0 + (i * (x1 - x0)) / (n - 1), y0 + (j * (y1 - y0)) / (n - 1)); } catch { v = NaN; }
    g[j * n + i] = v;
  }
  return g;
}

/** What to say about f over a sampled view: {error} when nothing is finite, else {warning} or {}. */
export function judgeView(g, n, view, valueAt = null) {
  const r = finiteReport(g, n, n, view, Number.isFinite, valueAt);
  if (!r.finite) return { error: finiteMessage(r) };
  if (r.finite < r.total) return { warning: finiteMessage(r) };
  const big = finiteReport(g, n, n, view, (v) => Math.abs(v) <= F32_MAX, valueAt);
  if (big.finite < big.total) {
    const where = big.side ? `for ${big.side}` : `in ${Math.max(1, Math.round((100 * (big.total - big.finite)) / big.total))}% of this view`;
    return { warning: `f exceeds 3.4·10³⁸, the colour map's float32 range, ${where}: the map shows those points at the top of its scale (the racers compute in float64)` };
  }
  return {};
}

/** The sentence for a report, or null when f is finite everywhere in view. */
export function finiteMessage(r) {
  if (r.finite === r.total) return null;
  const what = r.inf && !r.nan ? 'overflows' : r.nan && !r.inf ? 'is not a number (NaN: e.g. the square root or log of a negative number)' : 'is not finite (it overflows or is NaN)';
  if (!r.finite) return `f ${what} everywhere in this view`;
  const pct = Math.max(1, Math.round((100 * (r.total - r.finite)) / r.total));
  const where = r.side ? `for ${r.side}` : `in ${pct}% of this view (x from ${nice(r.box.x0)} to ${nice(r.box.x1)}, y from ${nice(r.box.y0)} to ${nice(r.box.y1)})`;
  return `f ${what} ${where}; those points are left blank and a racer that gets there stops as diverged`;
}
