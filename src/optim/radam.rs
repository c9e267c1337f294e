//! `torch.optim.RAdam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
//! decoupled_weight_decay=False)`: Adam with a rectified adaptive learning rate (Liu et al. 2020).
//!
//! PyTorch: `ρ∞ = 2/(1 − β₂) − 1`, `ρ_t = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ)`; if ρ_t > 5 (torch's threshold):
//! `θ ← θ − lr·m̂·r_t·√(1 − β₂ᵗ)/(√v + eps)` with
//! `r_t = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t))`, otherwise `θ ← θ − lr·m̂`
//! (with β₂ = 0.999 the first five steps are un-adapted momentum SGD).

use super::{
    flag, l2, lerp, num, Hyper, Optimizer, OptimizerDef, ParamSpec, Scalar, BETAS, LR_HELP,
};

pub const PARAMS: &[ParamSpec] = &[
    num("lr", 1e-3, 0.0, f64::INFINITY, [1e-4, 1.0], true, LR_HELP),
    BETAS,
    num(
        "eps",
        1e-8,
        0.0,
        f64::INFINITY,
        [1e-10, 1e-2],
        true,
        "added to √v",
    ),
    num(
        "weight_decay",
        0.0,
        0.0,
        f64::INFINITY,
        [0.0, 0.1],
        false,
        "L2 penalty (decoupled if decoupled_weight_decay)",
    ),
    flag(
        "decoupled_weight_decay",
        false,
        "θ ← θ(1 − lr·wd) instead of L2",
    ),
];

pub const DEF: OptimizerDef = OptimizerDef {
    algo: super::Algo::FirstOrder(super::FirstOrder::RAdam),
    name: "radam",
    label: "RAdam",
    torch: Some("RAdam"),
    params: PARAMS,
    state: &["exp_avg", "exp_avg_sq"],
    cross_check: super::no_cross_check,
};

pub struct RAdam<F> {
    betas: [f64; 2],
    eps: f64,
    weight_decay: f64,
    decoupled: bool,
    t: u64,
    exp_avg: Vec<F>,
    exp_avg_sq: Vec<F>,
}

impl<F: Scalar> RAdam<F> {
    pub fn new(h: &Hyper, n: usize) -> Self {
        RAdam {
            betas: h.pair("betas"),
            eps: h.num("eps"),
            weight_decay: h.num("weight_decay"),
            decoupled: h.flag("decoupled_weight_decay"),
            t: 0,
            exp_avg: vec![F::zero(); n],
            exp_avg_sq: vec![F::zero(); n],
        }
    }
}

impl<F: Scalar> Optimizer<F> for RAdam<F> {
    fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        self.t += 1;
        let ti = self.t.min(i32::MAX as u64) as i32;
        let [b1, b2] = self.betas;
        let (bc1, bc2) = (1.0 - b1.powi(ti), 1.0 - b2.powi(ti));
        let rho_inf = 2.0 / (1.0 - b2) - 1.0;
        let rho_t = rho_inf - 2.0 * self.t as f64 * b2.powi(ti) / bc2;
        let rect = if rho_t > 5.0 {
            Some(
                ((rho_t - 4.0) * (rho_t - 2.0) * rho_inf
                    / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
                    .sqrt(),
            )
        } else {
            None
        };
        let (w1, b2f, w2, eps) = (F::of(1.0 - b1), F::of(b2), F::of(1.0 - b2), F::of(self.eps));
        let (lrf, bc1f, bc2_sqrt) = (F::of(lr), F::of(bc1), F::of(bc2.sqrt()));
        let decay = F::of(1.0 - lr * self.weight_decay);
        for i in 0..params.len().min(grads.len()) {
            let mut p = params[i];
            let g = if self.decoupled {
                if self.weight_decay != 0.0 {
                    p = p * decay;
                }
                grads[i]
            } else {
                l2(grads[i], p, self.weight_decay)
            };
            let m = lerp(self.exp_avg[i], g, w1);
            let v = b2f * self.exp_avg_sq[i] + w2 * g * g;
            self.exp_avg[i] = m;
            self.exp_avg_sq[i] = v;
            let m_hat = m / bc1f;
            params[i] = match rect {
                Some(r) => {
                    let adaptive = bc2_sqrt / (v.sqrt() + eps);
                    p - m_hat * lrf * adaptive * F::of(r)
                }
                None => p - m_hat * lrf,
            };
        }
    }
    fn state(&self) -> Vec<(&'static str, &[F])> {
        vec![("exp_avg", &self.exp_avg), ("exp_avg_sq", &self.exp_avg_sq)]
    }
}
