//! `torch.optim.NAdam(lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
//! decoupled_weight_decay=False)`: Adam with Nesterov momentum (Dozat 2016).
//!
//! PyTorch: `μ_t = β₁(1 − ½·0.96^(t·ψ))`, `Πμ_t = μ_1⋯μ_t`, `den = √(v/(1 − β₂ᵗ)) + eps`,
//! `θ ← θ − lr(1 − μ_t)/(1 − Πμ_t)·g/den − lr·μ_{t+1}/(1 − Πμ_t·μ_{t+1})·m/den`.

use super::{
    flag, l2, lerp, num, Hyper, Optimizer, OptimizerDef, ParamSpec, Scalar, BETAS, LR_HELP,
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
        "added to √v̂",
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
    num(
        "momentum_decay",
        4e-3,
        0.0,
        f64::INFINITY,
        [0.0, 0.1],
        false,
        "ψ in μ_t = β₁(1 − ½·0.96^(tψ))",
    ),
    flag(
        "decoupled_weight_decay",
        false,
        "θ ← θ(1 − lr·wd) instead of L2",
    ),
];

pub const DEF: OptimizerDef = OptimizerDef {
    algo: super::Algo::FirstOrder(super::FirstOrder::NAdam),
    name: "nadam",
    label: "NAdam",
    torch: Some("NAdam"),
    params: PARAMS,
    state: &["exp_avg", "exp_avg_sq", "mu_product"],
    cross_check: super::no_cross_check,
};

pub struct NAdam<F> {
    betas: [f64; 2],
    eps: f64,
    weight_decay: f64,
    momentum_decay: f64,
    decoupled: bool,
    t: u64,
    mu_product: f64,
    mu_product_view: [F; 1],
    exp_avg: Vec<F>,
    exp_avg_sq: Vec<F>,
}

impl<F: Scalar> NAdam<F> {
    pub fn new(h: &Hyper, n: usize) -> Self {
        NAdam {
            betas: h.pair("betas"),
            eps: h.num("eps"),
            weight_decay: h.num("weight_decay"),
            momentum_decay: h.num("momentum_decay"),
            decoupled: h.flag("decoupled_weight_decay"),
            t: 0,
            mu_product: 1.0,
            mu_product_view: [F::one()],
            exp_avg: vec![F::zero(); n],
            exp_avg_sq: vec![F::zero(); n],
        }
    }
}

impl<F: Scalar> Optimizer<F> for NAdam<F> {
    fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        self.t += 1;
        let t = self.t as f64;
        let [b1, b2] = self.betas;
        let bc2 = 1.0 - b2.powi(self.t.min(i32::MAX as u64) as i32);
        let mu = b1 * (1.0 - 0.5 * 0.96f64.powf(t * self.momentum_decay));
        let mu_next = b1 * (1.0 - 0.5 * 0.96f64.powf((t + 1.0) * self.momentum_decay));
        self.mu_product *= mu;
        self.mu_product_view = [F::of(self.mu_product)];
        let c_g = F::of(lr * (1.0 - mu) / (1.0 - self.mu_product));
        let c_m = F::of(lr * mu_next / (1.0 - self.mu_product * mu_next));
        let (w1, b2f, w2, eps, bc2) = (
            F::of(1.0 - b1),
            F::of(b2),
            F::of(1.0 - b2),
            F::of(self.eps),
            F::of(bc2),
        );
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
            let den = (v / bc2).sqrt() + eps;
            p = p - c_g * g / den;
            params[i] = p - c_m * m / den;
        }
    }
    fn state(&self) -> Vec<(&'static str, &[F])> {
        vec![
            ("exp_avg", &self.exp_avg),
            ("exp_avg_sq", &self.exp_avg_sq),
            ("mu_product", &self.mu_product_view),
        ]
    }
}
