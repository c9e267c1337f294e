//! Weight initializations (`torch.nn.init`), seeded through an explicit [`Rng`]. For a dense
//! layer W[l] ∈ R^{h[l]×h[l−1]} (torch's [out][in]): fan_in = h[l−1], fan_out = h[l]. Biases are
//! 0 except for `torch_default`.
//!
//! | name | distribution of W | Var W |
//! |---|---|---|
//! | `zeros` / preset `zero` | 0 | 0 |
//! | `constant` (value c) | c | 0 |
//! | `uniform` (a) | U(−a, a) | a²/3 |
//! | `normal` (std σ) | N(0, σ²) | σ² |
//! | `xavier_uniform` (gain) | U(±gain·√(6/(fan_in + fan_out))) | gain²·2/(fan_in + fan_out) |
//! | `xavier_normal` (gain, variant `fan_avg`) | N(0, gain²·2/(fan_in + fan_out)), the lecture's second form | same |
//! | `xavier_normal` (variant `fan_in`) | N(0, gain²/fan_in), the lecture's first form N(0, 1/h[l−1]) | gain²/fan_in |
//! | `kaiming_normal` (mode, nonlinearity) | N(0, gain²/fan), gain √2 for relu | gain²/fan |
//! | `kaiming_uniform` (mode, nonlinearity) | U(±gain·√(3/fan)) | gain²/fan |
//! | `lecun_normal` | N(0, 1/fan_in) (plain, not truncated) | 1/fan_in |
//! | `orthogonal` (gain) | gain·Q, Q with orthonormal rows or columns (torch: QR of a Gaussian, sign-fixed) | gain²/max(fan_in, fan_out) |
//! | `torch_default` | `nn.Linear`'s own: W, b ~ U(±1/√fan_in) | 1/(3·fan_in) |
//! | presets `too_small`, `appropriate`, `too_large` (deeplearning.ai) | N(0, v/fan_in), v = 0.01, 1, 100 | v/fan_in |

use super::rng::Rng;
use crate::optim::Scalar;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
    Zeros,
    Constant(f64),
    Uniform(f64),
    Normal(f64),
    XavierUniform {
        gain: f64,
    },
    XavierNormal {
        gain: f64,
        fan_in_only: bool,
    },
    KaimingNormal {
        gain: f64,
        fan_out: bool,
    },
    KaimingUniform {
        gain: f64,
        fan_out: bool,
    },
    LecunNormal,
    Orthogonal {
        gain: f64,
    },
    TorchDefault,
    /// deeplearning.ai's scale presets: W ~ N(0, v/fan_in).
    Preset(f64),
}

pub const INITS: &[&str] = &[
    "zeros",
    "constant",
    "uniform",
    "normal",
    "xavier_uniform",
    "xavier_normal",
    "kaiming_normal",
    "kaiming_uniform",
    "lecun_normal",
    "orthogonal",
    "torch_default",
    "zero",
    "too_small",
    "appropriate",
    "too_large",
];

/// The deeplearning.ai presets: name → v in W ~ N(0, v/fan_in).
pub fn preset(name: &str) -> Option<f64> {
    Some(match name {
        "zero" => 0.0,
        "too_small" => 0.01,
        "appropriate" => 1.0,
        "too_large" => 100.0,
        _ => return None,
    })
}

impl Init {
    /// The variance of each weight this scheme promises (what the statistical tests check).
    pub fn variance(&self, fan_in: usize, fan_out: usize) -> f64 {
        let (fi, fo) = (fan_in as f64, fan_out as f64);
        match *self {
            Init::Zeros | Init::Constant(_) => 0.0,
            Init::Uniform(a) => a * a / 3.0,
            Init::Normal(s) => s * s,
            Init::XavierUniform { gain } => gain * gain * 2.0 / (fi + fo),
            Init::XavierNormal { gain, fan_in_only } => {
                gain * gain
                    * if fan_in_only {
                        1.0 / fi
                    } else {
                        2.0 / (fi + fo)
                    }
            }
            Init::KaimingNormal { gain, fan_out } | Init::KaimingUniform { gain, fan_out } => {
                gain * gain / if fan_out { fo } else { fi }
            }
            Init::LecunNormal => 1.0 / fi,
            Init::Orthogonal { gain } => gain * gain / fi.max(fo),
            Init::TorchDefault => 1.0 / (3.0 * fi),
            Init::Preset(v) => v / fi,
        }
    }

    /// Fill W (fan_out rows × fan_in columns, row-major) and b (fan_out).
    pub fn fill<F: Scalar>(
        &self,
        w: &mut [F],
        b: &mut [F],
        fan_in: usize,
        fan_out: usize,
        rng: &mut Rng,
    ) {
        let (fi, fo) = (fan_in.max(1) as f64, fan_out.max(1) as f64);
        b.iter_mut().for_each(|v| *v = F::zero());
        let normal = |w: &mut [F], rng: &mut Rng, s: f64| {
            w.iter_mut().for_each(|v| *v = F::of(s * rng.normal()))
        };
        let uniform = |w: &mut [F], rng: &mut Rng, a: f64| {
            w.iter_mut().for_each(|v| *v = F::of(rng.range(-a, a)))
        };
        match *self {
            Init::Zeros => w.iter_mut().for_each(|v| *v = F::zero()),
            Init::Constant(c) => w.iter_mut().for_each(|v| *v = F::of(c)),
            Init::Uniform(a) => uniform(w, rng, a),
            Init::Normal(s) => normal(w, rng, s),
            Init::XavierUniform { gain } => uniform(w, rng, gain * (6.0 / (fi + fo)).sqrt()),
            Init::XavierNormal { .. }
            | Init::KaimingNormal { .. }
            | Init::LecunNormal
            | Init::Preset(_) => {
                normal(w, rng, self.variance(fan_in.max(1), fan_out.max(1)).sqrt())
            }
            Init::KaimingUniform { .. } => uniform(
                w,
                rng,
                (3.0 * self.variance(fan_in.max(1), fan_out.max(1))).sqrt(),
            ),
            Init::Orthogonal { gain } => orthogonal(w, fan_out, fan_in, gain, rng),
            Init::TorchDefault => {
                let a = 1.0 / fi.sqrt();
                uniform(w, rng, a);
                uniform(b, rng, a);
            }
        }
    }
}

/// torch.nn.init.orthogonal_: for rows ≥ cols, the Q of a rows×cols Gaussian matrix (orthonormal
/// columns); otherwise the transpose of that for cols×rows (orthonormal rows); times gain.
/// Q comes from modified Gram–Schmidt with one re-orthogonalization pass, whose R has a positive
/// diagonal — the same matrix as torch's QR with its sign correction.
fn orthogonal<F: Scalar>(w: &mut [F], rows: usize, cols: usize, gain: f64, rng: &mut Rng) {
    if rows == 0 || cols == 0 || w.len() < rows * cols {
        return;
    }
    let (tall, short) = (rows.max(cols), rows.min(cols));
    // `short` vectors of length `tall`, stored contiguously.
    let mut q: Vec<f64> = (0..tall * short).map(|_| rng.normal()).collect();
    for j in 0..short {
        let (done, rest) = q.split_at_mut(j * tall);
        let v = &mut rest[..tall];
        for _pass in 0..2 {
            for u in done.chunks_exact(tall) {
                let d: f64 = u.iter().zip(v.iter()).map(|(a, b)| a * b).sum();
                v.iter_mut().zip(u).for_each(|(x, &y)| *x -= d * y);
            }
        }
        let n = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        let n = if n > 0.0 { n } else { 1.0 };
        v.iter_mut().for_each(|x| *x /= n);
    }
    for r in 0..rows {
        for c in 0..cols {
            // rows ≥ cols: column c is vector c; otherwise row r is vector r.
            let v = if rows >= cols {
                q[c * tall + r]
            } else {
                q[r * tall + c]
            };
            w[r * cols + c] = F::of(gain * v);
        }
    }
}
