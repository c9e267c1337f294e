//! Per-layer statistics of the last training batch, written into reusable buffers that the page
//! reads as typed-array views every frame: for each Dense layer l = 1..L (row l − 1), the
//! activations h[l] and pre-activations z[l] (mean, variance, range, histogram — the lecture's
//! Xavier objectives "mean 0, variance constant across layers" made visible), the weight
//! gradient ∂L/∂W[l] (norm, histogram), ‖W[l]‖, the fraction of dead ReLUs and of saturated
//! sigmoid/tanh units.

use super::gemm::Float;
use super::net::{Buffers, Mlp};

/// Field order of one row of [`Inspection::stats`].
pub const STAT_FIELDS: &[&str] = &[
    "act_mean",
    "act_var",
    "pre_mean",
    "pre_var",
    "grad_norm",
    "grad_bias_norm",
    "weight_norm",
    "bias_norm",
    "dead_fraction",
    "saturated_fraction",
    "act_min",
    "act_max",
    "pre_min",
    "pre_max",
    "grad_min",
    "grad_max",
    "weight_var",
    "grad_var",
    "act_nonfinite",
    "grad_nonfinite",
];
pub const NSTAT: usize = 20;

/// Histogram kinds, in the order they are stored.
pub const HIST_KINDS: &[&str] = &["activation", "preactivation", "gradient"];

/// Most histogram bins.
pub const MAX_BINS: usize = 1024;

#[derive(Clone, Debug, Default)]
pub struct Inspection {
    pub layers: usize,
    pub bins: usize,
    /// layers × NSTAT, fields as [`STAT_FIELDS`]. Definitions:
    /// - mean/var/min/max over all (row, unit) values of the batch (var biased: 1/N);
    /// - grad_norm = ‖∂L/∂W[l]‖_F, weight_norm = ‖W[l]‖_F (bias: Euclidean); a norm over values
    ///   of which any overflowed the number type (±∞ or NaN) is +∞ — an overflow is never
    ///   reported as a small norm; mean/var/min/max and histograms are over the finite values;
    /// - act_nonfinite, grad_nonfinite: the fraction of activations / weight gradients that are
    ///   not finite (float32 overflowed in the forward / backward pass);
    /// - dead_fraction (relu only): units whose pre-activation is ≤ 0 on every row of the batch;
    /// - saturated_fraction (sigmoid/tanh only): values with |tanh| ≥ 0.99 or σ ∉ (0.01, 0.99).
    pub stats: Vec<f32>,
    /// 3 × layers × bins: fractions per bin (each histogram sums to 1 over its finite values),
    /// for activation, pre-activation, gradient (of W).
    pub hist: Vec<f32>,
    /// layers × 6: [lo, hi] of the activation, pre-activation and gradient histograms. Bin b
    /// covers lo + b·(hi − lo)/bins …; values outside a fixed range count in the edge bins.
    pub ranges: Vec<f32>,
    /// Fixed histogram ranges per kind (None: the values' own [min, max]).
    pub fixed: [Option<(f64, f64)>; 3],
    alive: Vec<bool>,
}

struct Summary {
    mean: f64,
    var: f64,
    min: f64,
    max: f64,
    sq: f64,
    /// Fraction of the values that are not finite.
    nonfinite: f64,
}

impl Summary {
    /// The Euclidean norm, +∞ when any value was not finite.
    fn norm(&self) -> f64 {
        if self.nonfinite > 0.0 {
            f64::INFINITY
        } else {
            self.sq.sqrt()
        }
    }
}

fn summary<F: Float>(v: &[F]) -> Summary {
    let (mut s, mut s2, mut n) = (0.0, 0.0, 0usize);
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    for &x in v {
        let x = x.f64();
        if x.is_finite() {
            s += x;
            s2 += x * x;
            n += 1;
            min = min.min(x);
            max = max.max(x);
        }
    }
    let nonfinite = if v.is_empty() {
        0.0
    } else {
        (v.len() - n) as f64 / v.len() as f64
    };
    if n == 0 {
        return Summary {
            mean: 0.0,
            var: 0.0,
            min: 0.0,
            max: 0.0,
            sq: 0.0,
            nonfinite,
        };
    }
    let mean = s / n as f64;
    // Two-pass variance for accuracy (the first pass gave the mean).
    let var = v
        .iter()
        .map(|x| x.f64())
        .filter(|x| x.is_finite())
        .map(|x| (x - mean).powi(2))
        .sum::<f64>()
        / n as f64;
    Summary {
        mean,
        var,
        min,
        max,
        sq: s2,
        nonfinite,
    }
}

fn histogram<F: Float>(v: &[F], lo: f64, hi: f64, out: &mut [f32]) {
    out.iter_mut().for_each(|c| *c = 0.0);
    let bins = out.len();
    if bins == 0 {
        return;
    }
    let scale = bins as f64 / (hi - lo);
    let mut n = 0usize;
    for &x in v {
        let x = x.f64();
        if !x.is_finite() {
            continue;
        }
        let b = ((x - lo) * scale).floor().clamp(0.0, (bins - 1) as f64) as usize;
        out[b] += 1.0;
        n += 1;
    }
    if n > 0 {
        let inv = 1.0 / n as f32;
        out.iter_mut().for_each(|c| *c *= inv);
    }
}

/// A non-degenerate histogram range.
fn range_of(fixed: Option<(f64, f64)>, s: &Summary) -> (f64, f64) {
    match fixed {
        Some(r) => r,
        None if s.max > s.min => (s.min, s.max),
        None => (s.min - 0.5, s.min + 0.5),
    }
}

impl Inspection {
    /// Recompute from the network's parameters, gradients and the buffers of its last forward
    /// and backward pass.
    pub fn compute<F: Float>(&mut self, net: &Mlp<F>, bufs: &Buffers<F>, bins: usize) {
        let layers = net.depth();
        let bins = bins.clamp(1, MAX_BINS);
        self.layers = layers;
        self.bins = bins;
        self.stats.resize(layers * NSTAT, 0.0);
        self.hist.resize(3 * layers * bins, 0.0);
        self.ranges.resize(layers * 6, 0.0);
        for l in 0..layers {
            let act = net.activation(l, bufs);
            let pre = net.pre_activation(l, bufs);
            let w = &net.params[net.weight_range(l)];
            let b = &net.params[net.bias_range(l)];
            let gw = &net.grads[net.weight_range(l)];
            let gb = &net.grads[net.bias_range(l)];
            let (sa, sp, sg) = (summary(act), summary(pre), summary(gw));
            let (sw, sb, sgb) = (summary(w), summary(b), summary(gb));
            let f = net.activation_of(l);
            let width = net.arch.sizes.get(l + 1).copied().unwrap_or(1).max(1);
            let dead = match f {
                Some(a) if a.can_die() && !pre.is_empty() => {
                    self.alive.clear();
                    self.alive.resize(width, false);
                    for row in pre.chunks_exact(width) {
                        for (al, &z) in self.alive.iter_mut().zip(row) {
                            *al |= z > F::zero();
                        }
                    }
                    self.alive.iter().filter(|a| !**a).count() as f64 / width as f64
                }
                _ => 0.0,
            };
            let saturated = match f {
                Some(a) if !act.is_empty() => {
                    act.iter().filter(|h| a.saturated(h.f64())).count() as f64 / act.len() as f64
                }
                _ => 0.0,
            };
            let row = [
                sa.mean,
                sa.var,
                sp.mean,
                sp.var,
                sg.norm(),
                sgb.norm(),
                sw.norm(),
                sb.norm(),
                dead,
                saturated,
                sa.min,
                sa.max,
                sp.min,
                sp.max,
                sg.min,
                sg.max,
                sw.var,
                sg.var,
                sa.nonfinite,
                sg.nonfinite,
            ];
            for (d, v) in self.stats[l * NSTAT..(l + 1) * NSTAT].iter_mut().zip(row) {
                *d = v as f32;
            }
            for (k, (values, s)) in [(act, &sa), (pre, &sp), (gw, &sg)].into_iter().enumerate() {
                let (lo, hi) = range_of(self.fixed[k], s);
                self.ranges[l * 6 + 2 * k] = lo as f32;
                self.ranges[l * 6 + 2 * k + 1] = hi as f32;
                let at = (k * layers + l) * bins;
                histogram(values, lo, hi, &mut self.hist[at..at + bins]);
            }
        }
    }
}
