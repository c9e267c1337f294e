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
    algo: super::Algo::FirstOrder(super::FirstOrder::Adam),
    name: "adam",
    label: "Adam",
    torch: Some("Adam"),
    params: PARAMS,
    state: STATE,
    cross_check: super::no_cross_check,
};
pub const DEF_ADAMW: OptimizerDef = OptimizerDef {
    algo: super::Algo::FirstOrder(super::FirstOrder::AdamW),
    name: "adamw",
    label: "AdamW",
    torch: Some("AdamW"),
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
        if !self.amsgrad && self.weight_decay == 0.0 {
            // The common case as one branch-free loop over zipped slices: no bounds checks, so
            // it compiles to SIMD lanes (the same IEEE operations per element, the same bits).
            let ps = params.iter_mut().zip(grads);
            let st = self.exp_avg.iter_mut().zip(self.exp_avg_sq.iter_mut());
            for ((p, &g), (m, v)) in ps.zip(st) {
                let mm = lerp(*m, g, w1).flush_subnormal();
                let vv = b2f * *v + w2 * g * g;
                *m = mm;
                *v = vv;
                *p = *p - step_size * mm / (vv.sqrt() / bc2_sqrt + eps);
            }
            return;
        }
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
            let m = lerp(self.exp_avg[i], g, w1).flush_subnormal();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::Value;

    /// f32 Adam and SGD with momentum flush first moments that decay below f32's smallest normal
    /// (a unit whose gradient stops), and the parameters keep exactly the bits of the update
    /// without the flush (torch's: `m ← β₁m + (1 − β₁)g` kept subnormal).
    #[test]
    fn flushed_first_moments_leave_the_parameters_bit_identical() {
        let n = 64;
        let mut h = Hyper::defaults(PARAMS);
        h.0.insert("lr", Value::Num(0.01));
        let mut adam = Adam::<f32>::new(&h, n, false);
        let mut sgd = super::super::sgd::Sgd::<f32>::new(
            &{
                let mut s = Hyper::defaults(super::super::sgd::PARAMS);
                s.0.insert("momentum", Value::Num(0.9));
                s
            },
            n,
        );
        let (mut pa, mut ps) = (vec![0.0f32; n], vec![0.0f32; n]);
        for (i, (a, s)) in pa.iter_mut().zip(ps.iter_mut()).enumerate() {
            *a = 0.5 - i as f32 / 64.0;
            *s = *a;
        }
        let (mut ra, mut rs) = (pa.clone(), ps.clone());
        let (mut m, mut v, mut b) = (vec![0.0f32; n], vec![0.0f32; n], vec![0.0f32; n]);
        let (mut subnormal_a, mut subnormal_s) = (0, 0);
        for t in 1..=1500u64 {
            // Gradients for 20 steps, then exactly zero: the moments decay 0.9ᵗ through the
            // subnormal range (steps ~830–980) to zero.
            let g: Vec<f32> = (0..n)
                .map(|i| {
                    if t <= 20 {
                        ((i + t as usize) as f32 * 0.37).sin()
                    } else {
                        0.0
                    }
                })
                .collect();
            adam.step(&mut pa, &g, 0.01);
            sgd.step(&mut ps, &g, 0.01);
            let (bc1, bc2) = (1.0 - 0.9f64.powi(t as i32), 1.0 - 0.999f64.powi(t as i32));
            let (step, bc2s) = ((0.01 / bc1) as f32, (bc2.sqrt()) as f32);
            for i in 0..n {
                m[i] += 0.1f32 * (g[i] - m[i]);
                v[i] = 0.999f32 * v[i] + 0.001f32 * g[i] * g[i];
                ra[i] -= step * m[i] / (v[i].sqrt() / bc2s + 1e-8f32);
                b[i] = if t == 1 { g[i] } else { 0.9f32 * b[i] + g[i] };
                rs[i] -= 0.01f32 * b[i];
                subnormal_a += usize::from(m[i].is_subnormal());
                subnormal_s += usize::from(b[i].is_subnormal());
            }
            assert!(adam.exp_avg.iter().all(|x| !x.is_subnormal()));
            assert!(sgd.state()[0].1.iter().all(|x| !x.is_subnormal()));
        }
        assert!(
            subnormal_a > 1000 && subnormal_s > 1000,
            "the reference went subnormal"
        );
        let bits = |x: &[f32]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&pa), bits(&ra), "Adam");
        assert_eq!(bits(&ps), bits(&rs), "SGD");
    }
}
