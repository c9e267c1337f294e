// Number formatting shared by readouts, tables and the anatomy panel.

/** Fixed decimals like the lecture's readout ("3.00000"); falls back to exponent form when huge/tiny. */
export function fixed(v, digits = 5) {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 10 ** -digits)) return v.toExponential(Math.max(2, digits - 2));
  return v.toFixed(digits);
}

/** Compact significant-digit form for tables and tick labels. */
export function sig(v, digits = 4) {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(Math.max(1, digits - 2)).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

/** The slide's cursor readout: "x=3.00000, y=3.00000, f(x,y)=34.20000" (names: e.g. w, b, L for a regression). */
export function readout(x, y, f, [nx, ny, nf] = ['x', 'y', 'f']) {
  return `${nx}=${fixed(x)}, ${ny}=${fixed(y)}, ${nf}(${nx},${ny})=${fixed(f)}`;
}

/** "Nice" tick positions covering [lo, hi] with about n ticks. */
export function niceTicks(lo, hi, n = 6) {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const raw = (hi - lo) / Math.max(1, n);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Label for a tick value given the tick step (avoids 0.30000000000000004). */
export function tickLabel(v, step) {
  const d = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-4)) return v.toExponential(1).replace('e+', 'e');
  return v.toFixed(Math.min(d, 8));
}
