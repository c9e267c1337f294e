//! `torch.optim.Adagrad(lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10)`.
//!
//! PyTorch: `clr = lr / (1 + (t − 1)·lr_decay)`, `sum ← sum + g²`, `θ ← θ − clr·g/(√sum + eps)`
//! (eps outside the square root).
//! Lecture: `Gᵢ(t) = √(Σⱼ gᵢ(j)²)`, `θ(t) = θ(t−1) − η G⁻¹ g`: the same with sum = G².

use super::{l2, num, Hyper, Optimizer, OptimizerDef, ParamSpec, Scalar, LR_HELP, WD_HELP};

pub const PARAMS: &[ParamSpec] = &[
    num("lr", 1e-2, 0.0, f64::INFINITY, [1e-3, 10.0], true, LR_HELP),
    num(
        "lr_decay",
        0.0,
        0.0,
        f64::INFINITY,
        [0.0, 0.1],
        false,
        "lr / (1 + (t − 1)·lr_decay)",
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
    num(
        "initial_accumulator_value",
        0.0,
        0.0,
        f64::INFINITY,
        [0.0, 1.0],
        false,
        "starting value of the sum of squared gradients",
    ),
    num(
        "eps",
        1e-10,
        0.0,
        f64::INFINITY,
        [1e-12, 1e-4],
        true,
        "added to √sum (outside the root)",
    ),
];

pub const DEF: OptimizerDef = OptimizerDef {
    algo: super::Algo::FirstOrder(super::FirstOrder::Adagrad),
    name: "adagrad",
    label: "AdaGrad",
    torch: Some("Adagrad"),
    params: PARAMS,
    state: &["sum"],
    cross_check: super::no_cross_check,
};

pub struct Adagrad<F> {
    lr_decay: f64,
    weight_decay: f64,
    eps: f64,
    t: u64,
    sum: Vec<F>,
}

impl<F: Scalar> Adagrad<F> {
    pub fn new(h: &Hyper, n: usize) -> Self {
        Adagrad {
            lr_decay: h.num("lr_decay"),
            weight_decay: h.num("weight_decay"),
            eps: h.num("eps"),
            t: 0,
            sum: vec![F::of(h.num("initial_accumulator_value")); n],
        }
    }
}

impl<F: Scalar> Optimizer<F> for Adagrad<F> {
    fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        self.t += 1;
        let clr = F::of(lr / (1.0 + (self.t - 1) as f64 * self.lr_decay));
        let eps = F::of(self.eps);
        for ((p, &g), s) in params.iter_mut().zip(grads).zip(self.sum.iter_mut()) {
            let g = l2(g, *p, self.weight_decay);
            *s = *s + g * g;
            *p = *p - clr * g / (s.sqrt() + eps);
        }
    }
    fn state(&self) -> Vec<(&'static str, &[F])> {
        vec![("sum", &self.sum)]
    }
}
