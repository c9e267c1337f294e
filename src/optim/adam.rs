//! `torch.optim.Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
//! decoupled_weight_decay=False)` and `torch.optim.AdamW` (the same with decoupled weight decay,
//! default 0.01).
//!
//! PyTorch: `m ← β₁m + (1 − β₁)g`, `v ← β₂v + (1 − β₂)g²`,
//! `θ ← θ − lr/(1 − β₁ᵗ) · m/(√v/√(1 − β₂ᵗ) + eps)`, i.e. `m̂/(√v̂ + eps)` with eps after the bias
//! correction; amsgrad keeps `vmax = max(vmax, v)` of the uncorrected v. Adam's weight_decay is L2
//! (added to g); AdamW's is decoupled: `θ ← θ(1 − lr·wd)` first.
//! Lecture: `m(t) = β₁g + (1 − β₁)m(t−1)` weights the NEW value: its β₁, β₂ are PyTorch's 1 − β₁,
//! 1 − β₂, and its bias correction `1 − (1 − β₁)ᵗ` is PyTorch's `1 − β₁ᵗ`.

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
        "added to √v̂ (after bias correction)",
    ),
    num(
        "weight_decay",
        0.0,
        0.0,
        f64::INFINITY,
        [0.0, 0.1],
        false,
        "L2 penalty added to g (decoupled if decoupled_weight_decay)",
    ),
    flag("amsgrad", false, "use the running maximum of v (AMSGrad)"),
    flag(
        "decoupled_weight_decay",
        false,
        "AdamW-style θ ← θ(1 − lr·wd) instead of L2",
    ),
];

pub const PARAMS_ADAMW: &[ParamSpec] = &[
    num("lr", 1e-3, 0.0, f64::INFINITY, [1e-4, 1.0], true, LR_HELP),
    BETAS,
    num(
        "eps",
        1e-8,
        0.0,
        f64::INFINITY,
        [1e-10, 1e-2],
        true,
        "added to √v̂ (after bias correction)",
    ),
    num(
        "weight_decay",
        1e-2,
        0.0,
        f64::INFINITY,
        [0.0, 0.1],
        false,
        "decoupled: θ ← θ(1 − lr·weight_decay)",
    ),
    flag("amsgrad", false, "use the running maximum of v (AMSGrad)"),
    flag(
        "decoupled_weight_decay",
        true,
        "always true for AdamW (torch lists it in param_groups)",
    ),
];

const STATE: &[&str] = &["exp_avg", "exp_avg_sq", "max_exp_avg_sq", "m_hat", "v_hat"];

pub const DEF: OptimizerDef = OptimizerDef {
    name: "adam",
    label: "Adam",
    params: PARAMS,
    state: STATE,
    cross_check: super::no_cross_check,
};
pub const DEF_ADAMW: OptimizerDef = OptimizerDef {
    name: "adamw",
    label: "AdamW",
    params: PARAMS_ADAMW,
    state: STATE,
    cross_check: adamw_check,
};

fn adamw_check(h: &Hyper) -> Result<(), (&'static str, String)> {
    if !h.flag("decoupled_weight_decay") {
        return Err((
            "decoupled_weight_decay",
            "AdamW always decouples weight decay; use adam for L2".into(),
        ));
    }
    Ok(())
}

pub struct Adam<F> {
    betas: [f64; 2],
    eps: f64,
    weight_decay: f64,
    amsgrad: bool,
    decoupled: bool,
    t: u64,
    exp_avg: Vec<F>,
    exp_avg_sq: Vec<F>,
    max_exp_avg_sq: Vec<F>,
}

impl<F: Scalar> Adam<F> {
    pub fn new(h: &Hyper, n: usize, decoupled: bool) -> Self {
        let amsgrad = h.flag("amsgrad");
        Adam {
            betas: h.pair("betas"),
            eps: h.num("eps"),
            weight_decay: h.num("weight_decay"),
            amsgrad,
            decoupled,
            t: 0,
            exp_avg: vec![F::zero(); n],
            exp_avg_sq: vec![F::zero(); n],
            max_exp_avg_sq: vec![F::zero(); if amsgrad { n } else { 0 }],
        }
    }
    fn corrections(&self) -> (f64, f64) {
        let t = self.t.min(i32::MAX as u64) as i32;
        (1.0 - self.betas[0].powi(t), 1.0 - self.betas[1].powi(t))
    }
}

impl<F: Scalar> Optimizer<F> for Adam<F> {
    fn step(&mut self, params: &mut [F], grads: &[F], lr: f64) {
        self.t += 1;
        let [b1, b2] = self.betas;
        let (bc1, bc2) = self.corrections();
        let step_size = F::of(lr / bc1);
        let bc2_sqrt = F::of(bc2.sqrt());
        let (w1, b2f, w2, eps) = (F::of(1.0 - b1), F::of(b2), F::of(1.0 - b2), F::of(self.eps));
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
            let v_used = if self.amsgrad {
                let vm = self.max_exp_avg_sq[i].max(v);
                self.max_exp_avg_sq[i] = vm;
                vm
            } else {
                v
            };
            let denom = v_used.sqrt() / bc2_sqrt + eps;
            params[i] = p - step_size * m / denom;
        }
    }
    fn state(&self) -> Vec<(&'static str, &[F])> {
        let mut s = vec![
            ("exp_avg", &self.exp_avg[..]),
            ("exp_avg_sq", &self.exp_avg_sq[..]),
        ];
        if self.amsgrad {
            s.push(("max_exp_avg_sq", &self.max_exp_avg_sq));
        }
        s
    }
    fn inspect(&self) -> Vec<(&'static str, Vec<F>)> {
        let (bc1, bc2) = self.corrections();
        let (bc1, bc2) = if self.t == 0 { (1.0, 1.0) } else { (bc1, bc2) };
        let mut out: Vec<(&'static str, Vec<F>)> = self
            .state()
            .into_iter()
            .map(|(n, s)| (n, s.to_vec()))
            .collect();
        out.push((
            "m_hat",
            self.exp_avg.iter().map(|&m| m / F::of(bc1)).collect(),
        ));
        let v = if self.amsgrad {
            &self.max_exp_avg_sq
        } else {
            &self.exp_avg_sq
        };
        out.push(("v_hat", v.iter().map(|&v| v / F::of(bc2)).collect()));
        out
    }
}
