//! `torch.optim.SGD(lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False)`.
//!
//! PyTorch: `b ← g` on the first step (no dampening), then `b ← μ b + (1 − dampening) g`;
//! Nesterov uses `d = g + μ b`, otherwise `d = b`; `θ ← θ − lr·d`.
//! Lecture (momentum, "let the ball run"): `u(t) = γ u(t−1) − η g`, `θ(t) = θ(t−1) + u(t)`. With
//! dampening 0 these are the same trajectory with `u = −lr·b` and γ = μ. The lecture's NAG takes
//! the gradient at the look-ahead point θ + γu; PyTorch's Nesterov is the same method
//! reparametrized at the look-ahead point (Sutskever et al. 2013), so its iterates are the
//! look-ahead points of the lecture's.

use super::{flag, l2, num, Hyper, Optimizer, OptimizerDef, ParamSpec, Scalar, LR_HELP, WD_HELP};

pub const PARAMS: &[ParamSpec] = &[
    num("lr", 1e-3, 0.0, f64::INFINITY, [1e-4, 1.0], true, LR_HELP),
    num(
        "momentum",
        0.0,
        0.0,
        f64::INFINITY,
        [0.0, 0.99],
        false,
        "momentum factor μ (the lecture's γ, \"friction\")",
    ),
    num(
        "dampening",
        0.0,
        0.0,
        1.0,
        [0.0, 1.0],
        false,
        "dampening for momentum: b ← μb + (1 − dampening)g",
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
    flag("nesterov", false, "Nesterov accelerated gradient (NAG)"),
];

pub const DEF: OptimizerDef = OptimizerDef {
    algo: super::Algo::FirstOrder(super::FirstOrder::Sgd),
    name: "sgd",
    label: "SGD (momentum, Nesterov)",
    torch: Some("SGD"),
    params: PARAMS,
    state: &["momentum_buffer"],
    cross_check,
};

fn cross_check(h: &Hyper) -> Result<(), (&'static str, String)> {
    if h.flag("nesterov") && (h.num("momentum") <= 0.0 || h.num("dampening") != 0.0) {
        return Err((
            "nesterov",
            "Nesterov momentum requires a momentum > 0 and zero dampening".into(),
        ));
    }
    Ok(())
}

pub struct Sgd<F> {
    momentum: f64,
    dampening: f64,
    weight_decay: f64,
    nesterov: bool,
    started: bool,
    momentum_buffer: Vec<F>,
}

impl<F: Scalar> Sgd<F> {
    pub fn new(h: &Hyper, n: usize) -> Self {
        let momentum = h.num("momentum");
        Sgd {
            momentum,
            dampening: h.num("dampening"),
            weight_decay: h.num("weight_decay"),
            nesterov: h.flag("nesterov"),
            started: false,
            momentum_buffer: vec![F::zero(); if momentum != 0.0 { n } else { 0 }],
        }
    }
}

impl<F: Scalar> Optimizer<F> for Sgd<F> {
    fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        let (mu, damp) = (F::of(self.momentum), F::of(1.0 - self.dampening));
        let lr = F::of(lr);
        let first = !self.started;
        self.started = true;
        if self.momentum == 0.0 {
            for (p, &g) in params.iter_mut().zip(grads) {
                *p = *p - lr * l2(g, *p, self.weight_decay);
            }
            return;
        }
        for ((p, &g), b) in params
            .iter_mut()
            .zip(grads)
            .zip(self.momentum_buffer.iter_mut())
        {
            let d = l2(g, *p, self.weight_decay);
            *b = if first { d } else { mu * *b + damp * d }.flush_subnormal();
            let step = if self.nesterov { d + mu * *b } else { *b };
            *p = *p - lr * step;
        }
    }
    fn state(&self) -> Vec<(&'static str, &[F])> {
        vec![("momentum_buffer", &self.momentum_buffer)]
    }
}
