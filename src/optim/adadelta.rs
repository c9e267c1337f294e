//! `torch.optim.Adadelta(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0)`.
//!
//! PyTorch: `v ← ρ v + (1 − ρ) g²`, `δ = √(u + eps)/√(v + eps)·g` (eps inside both roots),
//! `u ← ρ u + (1 − ρ) δ²`, `θ ← θ − lr·δ`.
//! Lecture: `Dᵢ(t) = √EMA(Δθᵢ²)(t)`, `θ(t) = θ(t−1) − η D(t−1) G(t)⁻¹ g`, with its EMA weight on the
//! new value, i.e. the lecture's γ = 1 − rho.

use super::{l2, num, Hyper, Optimizer, OptimizerDef, ParamSpec, Scalar, WD_HELP};

pub const PARAMS: &[ParamSpec] = &[
    num(
        "lr",
        1.0,
        0.0,
        f64::INFINITY,
        [1e-2, 10.0],
        true,
        "coefficient scaling δ before it is applied",
    ),
    num(
        "rho",
        0.9,
        0.0,
        1.0,
        [0.5, 0.999],
        false,
        "EMA coefficient of g² and δ² (the lecture's γ = 1 − ρ)",
    ),
    num(
        "eps",
        1e-6,
        0.0,
        f64::INFINITY,
        [1e-10, 1e-2],
        true,
        "inside both square roots",
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
    algo: super::Algo::FirstOrder(super::FirstOrder::Adadelta),
    name: "adadelta",
    label: "AdaDelta",
    torch: Some("Adadelta"),
    params: PARAMS,
    state: &["square_avg", "acc_delta"],
    cross_check: super::no_cross_check,
};

pub struct Adadelta<F> {
    rho: f64,
    eps: f64,
    weight_decay: f64,
    square_avg: Vec<F>,
    acc_delta: Vec<F>,
}

impl<F: Scalar> Adadelta<F> {
    pub fn new(h: &Hyper, n: usize) -> Self {
        Adadelta {
            rho: h.num("rho"),
            eps: h.num("eps"),
            weight_decay: h.num("weight_decay"),
            square_avg: vec![F::zero(); n],
            acc_delta: vec![F::zero(); n],
        }
    }
}

impl<F: Scalar> Optimizer<F> for Adadelta<F> {
    fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        let (rho, one_m) = (F::of(self.rho), F::of(1.0 - self.rho));
        let (eps, lr) = (F::of(self.eps), F::of(lr));
        for i in 0..params.len().min(grads.len()) {
            let g = l2(grads[i], params[i], self.weight_decay);
            let v = rho * self.square_avg[i] + one_m * g * g;
            self.square_avg[i] = v;
            let delta = (self.acc_delta[i] + eps).sqrt() / (v + eps).sqrt() * g;
            self.acc_delta[i] = rho * self.acc_delta[i] + one_m * delta * delta;
            params[i] = params[i] - lr * delta;
        }
    }
    fn state(&self) -> Vec<(&'static str, &[F])> {
        vec![
            ("square_avg", &self.square_avg),
            ("acc_delta", &self.acc_delta),
        ]
    }
}
