//! Losses with PyTorch's definitions and `reduction='mean'`, each returning the value and
//! writing ∂L/∂output. The network's output layer is linear, so the outputs are logits where a
//! loss expects them.
//!
//! - `mse` (`nn.MSELoss`): L = (1/(B·O)) Σ (y − t)², ∂L/∂y = 2(y − t)/(B·O).
//! - `bce_with_logits` (`nn.BCEWithLogitsLoss`): per element ℓ = max(z, 0) − z·t + log(1 + e^{−|z|})
//!   (the stable form of −t·log σ(z) − (1 − t)·log(1 − σ(z))), L = mean ℓ, ∂L/∂z = (σ(z) − t)/(B·O).
//! - `cross_entropy` (`nn.CrossEntropyLoss`, integer class targets): with m = maxⱼ zⱼ,
//!   log softmax(z)ᵢ = zᵢ − m − log Σⱼ e^{zⱼ − m} (log-sum-exp), L = −(1/B) Σ_b log softmax(z_b)_{t_b},
//!   ∂L/∂z = (softmax(z) − onehot(t))/B.
//!
//! Targets are stored as numbers: real values for mse, 0/1 for bce, class indices for cross
//! entropy (one per row). Values are accumulated in f64.

use super::activation::sigmoid;
use crate::optim::Scalar;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loss {
    Mse,
    BceWithLogits,
    CrossEntropy,
}

pub const LOSSES: &[&str] = &["mse", "bce_with_logits", "cross_entropy"];

impl Loss {
    pub fn by_name(name: &str) -> Option<Loss> {
        Some(match name {
            "mse" => Loss::Mse,
            "bce_with_logits" | "bce" => Loss::BceWithLogits,
            "cross_entropy" => Loss::CrossEntropy,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Loss::Mse => "mse",
            Loss::BceWithLogits => "bce_with_logits",
            Loss::CrossEntropy => "cross_entropy",
        }
    }

    /// Target numbers per row: O for mse and bce, 1 (the class) for cross entropy.
    pub fn target_width(self, n_out: usize) -> usize {
        match self {
            Loss::CrossEntropy => 1,
            _ => n_out,
        }
    }

    /// Mean loss over a batch of `rows` rows of `y` (rows × o) against `t`; when `grad` is given
    /// it receives ∂L/∂y (rows × o). Class targets outside [0, o) count as class 0 (the edge
    /// validates them; this only keeps the engine total).
    pub fn eval<F: Scalar>(
        self,
        y: &[F],
        t: &[F],
        rows: usize,
        o: usize,
        grad: Option<&mut [F]>,
    ) -> f64 {
        if rows == 0 || o == 0 {
            return 0.0;
        }
        let y = &y[..rows * o];
        match self {
            Loss::Mse => {
                let t = &t[..rows * o];
                let n = (rows * o) as f64;
                let s: f64 = y
                    .iter()
                    .zip(t)
                    .map(|(&y, &t)| (y.f64() - t.f64()).powi(2))
                    .sum();
                if let Some(g) = grad {
                    let k = F::of(2.0 / n);
                    for ((g, &y), &t) in g.iter_mut().zip(y).zip(t) {
                        *g = k * (y - t);
                    }
                }
                s / n
            }
            Loss::BceWithLogits => {
                let t = &t[..rows * o];
                let n = (rows * o) as f64;
                let s: f64 = y
                    .iter()
                    .zip(t)
                    .map(|(&z, &t)| {
                        let (z, t) = (z.f64(), t.f64());
                        z.max(0.0) - z * t + (-z.abs()).exp().ln_1p()
                    })
                    .sum();
                if let Some(g) = grad {
                    let k = F::of(1.0 / n);
                    for ((g, &z), &t) in g.iter_mut().zip(y).zip(t) {
                        *g = k * (sigmoid(z) - t);
                    }
                }
                s / n
            }
            Loss::CrossEntropy => {
                let t = &t[..rows];
                let inv_b = 1.0 / rows as f64;
                let mut s = 0.0;
                let mut grad = grad;
                for (r, &tc) in t.iter().enumerate() {
                    let z = &y[r * o..(r + 1) * o];
                    let class = class_index(tc, o);
                    let m = z.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v.f64()));
                    let sum: f64 = z.iter().map(|&v| (v.f64() - m).exp()).sum();
                    let lse = m + sum.ln();
                    s += lse - z[class].f64();
                    if let Some(g) = grad.as_deref_mut() {
                        let g = &mut g[r * o..(r + 1) * o];
                        for (j, (g, &v)) in g.iter_mut().zip(z).enumerate() {
                            let p = (v.f64() - lse).exp();
                            let onehot = if j == class { 1.0 } else { 0.0 };
                            *g = F::of((p - onehot) * inv_b);
                        }
                    }
                }
                s * inv_b
            }
        }
    }

    /// The predicted class of one output row: argmax for several outputs; for one output
    /// z > 0 (bce: σ(z) > ½) or y > ½ (mse on 0/1 labels).
    pub fn predict<F: Scalar>(self, row: &[F]) -> usize {
        if row.len() == 1 {
            let v = row[0].f64();
            let threshold = if self == Loss::Mse { 0.5 } else { 0.0 };
            return usize::from(v > threshold);
        }
        argmax(row)
    }
}

/// The class index a stored target stands for.
#[inline]
pub fn class_index<F: Scalar>(t: F, o: usize) -> usize {
    let c = t.f64();
    if c >= 0.0 && c < o as f64 {
        c as usize
    } else {
        0
    }
}

pub fn argmax<F: Scalar>(row: &[F]) -> usize {
    let mut best = 0;
    for (j, v) in row.iter().enumerate() {
        if *v > row[best] {
            best = j;
        }
    }
    best
}
