//! `torch.optim.RMSprop(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False)`.
//!
//! PyTorch: `v ← α v + (1 − α) g²`; centered: `ḡ ← α ḡ + (1 − α) g`, `avg = √(v − ḡ²) + eps`,
//! else `avg = √v + eps` (eps outside the root, no bias correction); with momentum
//! `b ← μ b + g/avg`, `θ ← θ − lr·b`, else `θ ← θ − lr·g/avg`.
//! Lecture: `EMA(g²)(t) = γ g² + (1 − γ) EMA(t−1)` weights the NEW value, so its γ = 1 − alpha.

use super::{
    flag, l2, lerp, num, Hyper, Optimizer, OptimizerDef, ParamSpec, Scalar, LR_HELP, WD_HELP,
};

pub const PARAMS: &[ParamSpec] = &[
    num("lr", 1e-2, 0.0, f64::INFINITY, [1e-4, 1.0], true, LR_HELP),
    num(
        "alpha",
        0.99,
        0.0,
        1.0,
        [0.5, 0.999],
        false,
        "smoothing constant: v ← αv + (1 − α)g² (the lecture's γ = 1 − α)",
    ),
    num(
        "eps",
        1e-8,
        0.0,
        f64::INFINITY,
        [1e-10, 1e-2],
        true,
        "added to √v (outside the root)",
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
        "momentum",
        0.0,
        0.0,
        f64::INFINITY,
        [0.0, 0.99],
        false,
        "momentum factor",
    ),
    flag(
        "centered",
        false,
        "normalize by the estimated variance √(v − ḡ²) instead of √v",
    ),
];

pub const DEF: OptimizerDef = OptimizerDef {
    algo: super::Algo::FirstOrder(super::FirstOrder::RmsProp),
    name: "rmsprop",
    label: "RMSprop",
    torch: Some("RMSprop"),
    params: PARAMS,
    state: &["square_avg", "grad_avg", "momentum_buffer"],
    cross_check: super::no_cross_check,
};

pub struct RmsProp<F> {
    alpha: f64,
    eps: f64,
    weight_decay: f64,
    momentum: f64,
    centered: bool,
    square_avg: Vec<F>,
    grad_avg: Vec<F>,
    momentum_buffer: Vec<F>,
}

impl<F: Scalar> RmsProp<F> {
    pub fn new(h: &Hyper, n: usize) -> Self {
        let (momentum, centered) = (h.num("momentum"), h.flag("centered"));
        RmsProp {
            alpha: h.num("alpha"),
            eps: h.num("eps"),
            weight_decay: h.num("weight_decay"),
            momentum,
            centered,
            square_avg: vec![F::zero(); n],
            grad_avg: vec![F::zero(); if centered { n } else { 0 }],
            momentum_buffer: vec![F::zero(); if momentum > 0.0 { n } else { 0 }],
        }
    }
}

impl<F: Scalar> Optimizer<F> for RmsProp<F> {
    fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        let (a, one_m_a) = (F::of(self.alpha), F::of(1.0 - self.alpha));
        let (eps, lr, mu) = (F::of(self.eps), F::of(lr), F::of(self.momentum));
        for i in 0..params.len().min(grads.len()) {
            let p = params[i];
            let g = l2(grads[i], p, self.weight_decay);
            let v = a * self.square_avg[i] + one_m_a * g * g;
            self.square_avg[i] = v;
            let avg = if self.centered {
                let gb = lerp(self.grad_avg[i], g, one_m_a);
                self.grad_avg[i] = gb;
                (v - gb * gb).sqrt() + eps
            } else {
                v.sqrt() + eps
            };
            params[i] = if self.momentum > 0.0 {
                let b = mu * self.momentum_buffer[i] + g / avg;
                self.momentum_buffer[i] = b;
                p - lr * b
            } else {
                p - lr * g / avg
            };
        }
    }
    fn state(&self) -> Vec<(&'static str, &[F])> {
        let mut s = vec![("square_avg", &self.square_avg[..])];
        if self.centered {
            s.push(("grad_avg", &self.grad_avg));
        }
        if self.momentum > 0.0 {
            s.push(("momentum_buffer", &self.momentum_buffer));
        }
        s
    }
}
