//! `torch.optim.Adamax(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)`.
//!
//! PyTorch: `m ← β₁m + (1 − β₁)g`, `u ← max(β₂u, |g| + eps)` (eps inside the max),
//! `θ ← θ − lr/(1 − β₁ᵗ) · m/u`. Adam with the ∞-norm in place of the squared-gradient EMA.

use super::{
    l2, lerp, num, Hyper, Optimizer, OptimizerDef, ParamSpec, Scalar, BETAS, LR_HELP, WD_HELP,
};

pub const PARAMS: &[ParamSpec] = &[
    num("lr", 2e-3, 0.0, f64::INFINITY, [1e-4, 1.0], true, LR_HELP),
    BETAS,
    num(
        "eps",
        1e-8,
        0.0,
        f64::INFINITY,
        [1e-10, 1e-2],
        true,
        "inside the max: u ← max(β₂u, |g| + eps)",
    ),
    num(
        "weight_decay",
        0.0,
        0.0,
        f64::INFINITY,
        [0.0, 0.1],
        false,
        WD_HELP,
    ),
];

pub const DEF: OptimizerDef = OptimizerDef {
    algo: super::Algo::FirstOrder(super::FirstOrder::Adamax),
    name: "adamax",
    label: "Adamax",
    torch: Some("Adamax"),
    params: PARAMS,
    state: &["exp_avg", "exp_inf"],
    cross_check: super::no_cross_check,
};

pub struct Adamax<F> {
    betas: [f64; 2],
    eps: f64,
    weight_decay: f64,
    t: u64,
    exp_avg: Vec<F>,
    exp_inf: Vec<F>,
}

impl<F: Scalar> Adamax<F> {
    pub fn new(h: &Hyper, n: usize) -> Self {
        Adamax {
            betas: h.pair("betas"),
            eps: h.num("eps"),
            weight_decay: h.num("weight_decay"),
            t: 0,
            exp_avg: vec![F::zero(); n],
            exp_inf: vec![F::zero(); n],
        }
    }
}

impl<F: Scalar> Optimizer<F> for Adamax<F> {
    fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        self.t += 1;
        let [b1, b2] = self.betas;
        let clr = F::of(lr / (1.0 - b1.powi(self.t.min(i32::MAX as u64) as i32)));
        let (w1, b2, eps) = (F::of(1.0 - b1), F::of(b2), F::of(self.eps));
        for i in 0..params.len().min(grads.len()) {
            let g = l2(grads[i], params[i], self.weight_decay);
            let m = lerp(self.exp_avg[i], g, w1);
            let u = (b2 * self.exp_inf[i]).max(g.abs() + eps);
            self.exp_avg[i] = m;
            self.exp_inf[i] = u;
            params[i] = params[i] - clr * m / u;
        }
    }
    fn state(&self) -> Vec<(&'static str, &[F])> {
        vec![("exp_avg", &self.exp_avg), ("exp_inf", &self.exp_inf)]
    }
}
