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
