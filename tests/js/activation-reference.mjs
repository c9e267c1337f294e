// PyTorch's activation formulas, written independently of the engine, and PyTorch's choice of
// derivative at the kinks (relu′(0) = 0, leaky_relu′(0) = negative_slope): the reference the
// engine's activation code (E.activationCurve, mlpGradients) is checked against in
// tests/js/vanishing.test.mjs. Not used by the page.

/** erf: its Taylor series for |x| < 2.5 (|error| < 1e-14), Abramowitz & Stegun 7.1.26 beyond (≤ 1.5e-7). */
export function erf(x) {
  if (x === 0) return 0;
  const s = x < 0 ? -1 : 1, a = Math.abs(x);
  if (a > 6) return s;
  const t = 1 / (1 + 0.3275911 * a);
  let y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  if (a < 2.5) {
    let sum = a, term = a;
    for (let n = 1; n < 60; n++) {
      term *= (-a * a) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    y = (2 / Math.sqrt(Math.PI)) * sum;
  }
  return s * y;
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const sigmoid = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));


/** g(x) for an activation name (leaky_relu takes `slope`, PyTorch's negative_slope = 0.01). */
export function g(name, x, slope = 0.01) {
  switch (name) {
    case 'identity': return x;
    case 'sigmoid': return sigmoid(x);
    case 'tanh': return Math.tanh(x);
    case 'relu': return x > 0 ? x : 0;
    case 'leaky_relu': return x > 0 ? x : slope * x;
    case 'gelu': return 0.5 * x * (1 + erf(x * SQRT1_2));
    default: throw new Error(`activation: unknown "${String(name).slice(0, 40)}"`);
  }
}

/** g′(x), with PyTorch's value at the kink (relu′(0) = 0, leaky_relu′(0) = slope). */
export function dg(name, x, slope = 0.01) {
  switch (name) {
    case 'identity': return 1;
    case 'sigmoid': { const s = sigmoid(x); return s * (1 - s); }
    case 'tanh': { const t = Math.tanh(x); return 1 - t * t; }
    case 'relu': return x > 0 ? 1 : 0;
    case 'leaky_relu': return x > 0 ? 1 : slope;
    case 'gelu': return 0.5 * (1 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    default: throw new Error(`activation: unknown "${String(name).slice(0, 40)}"`);
  }
}

/** n samples of g and g′ on [x0, x1] (endpoints included): {x, g, dg} as Float64Arrays. */
export function curve(name, x0, x1, n) {
  const N = Math.max(2, Math.min(100000, Math.floor(n)));
  const x = new Float64Array(N), gv = new Float64Array(N), dv = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const t = x0 + ((x1 - x0) * i) / (N - 1);
    x[i] = t; gv[i] = g(name, t); dv[i] = dg(name, t);
  }
  return { x, g: gv, dg: dv };
}
