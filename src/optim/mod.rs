//! Optimizers with PyTorch's names, defaults and update formulas (torch 2.x, single-tensor path),
//! written over flat slices of parameters with explicit per-parameter state, so the same code
//! moves a 2-D point (f64) and trains a network (f32).
//!
//! One optimizer per file behind the [`Optimizer`] trait; hyperparameters are described by a
//! declarative [`ParamSpec`] table per optimizer, which drives validation at the edge (see
//! `crate::spec`) and the UI's controls (see [`optimizers`]).

pub mod adadelta;
pub mod adagrad;
pub mod adam;
pub mod adamax;
pub mod nadam;
pub mod newton;
pub mod radam;
pub mod rmsprop;
pub mod schedule;
pub mod sgd;
pub mod torch;

use num_traits::Float;
use std::collections::BTreeMap;

/// A float type parameters and state are stored in (f32 for networks, f64 for landscapes).
/// Hyperparameters and scalar coefficients are always computed in f64.
pub trait Scalar: Float + Default + std::fmt::Debug + 'static {
    fn of(v: f64) -> Self;
    fn f64(self) -> f64;
    /// A first moment (Adam's exp_avg, SGD's momentum_buffer) as stored: itself, except that f32
    /// flushes subnormal values (below 1.2e−38) to zero. A dead or converged unit's moment decays
    /// into the subnormal range, where x86 CPUs take microcode assists on every operation (here
    /// 5296 of 8577 Adam moments of a converged 2-64-64-64-1 net; Adam took 18 % of the step).
    /// The update such a moment contributes is below lr·1.2e−38/eps, under half an ulp of any
    /// parameter above 1e−22, so the parameters keep their bits. Second moments are never
    /// flushed (with eps = 0 a zeroed v would divide by zero); f64 keeps everything.
    #[inline(always)]
    fn flush_subnormal(self) -> Self {
        self
    }
    /// h = tanh z elementwise (f32 networks: four SIMD lanes at a time, a few ulp; f64: libm).
    fn tanh_slice(z: &[Self], h: &mut [Self]) {
        h.iter_mut().zip(z).for_each(|(h, &z)| *h = z.tanh());
    }
    /// h = σ(z) elementwise, as [`crate::nn::activation::sigmoid`] (f32: SIMD lanes).
    fn sigmoid_slice(z: &[Self], h: &mut [Self]) {
        h.iter_mut()
            .zip(z)
            .for_each(|(h, &z)| *h = crate::nn::activation::sigmoid(z));
    }
}
impl Scalar for f64 {
    #[inline(always)]
    fn of(v: f64) -> Self {
        v
    }
    #[inline(always)]
    fn f64(self) -> f64 {
        self
    }
}
impl Scalar for f32 {
    #[inline(always)]
    fn of(v: f64) -> Self {
        v as f32
    }
    #[inline(always)]
    fn f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn flush_subnormal(self) -> Self {
        if self.abs() < f32::MIN_POSITIVE {
            0.0
        } else {
            self
        }
    }
    fn tanh_slice(z: &[f32], h: &mut [f32]) {
        crate::simd::F32x4::map_slice(z, h, crate::simd::F32x4::tanh_impl);
    }
    fn sigmoid_slice(z: &[f32], h: &mut [f32]) {
        crate::simd::F32x4::map_slice(z, h, crate::simd::F32x4::sigmoid_impl);
    }
}

/// A first-order optimizer over a flat parameter slice.
pub trait Optimizer<F: Scalar> {
    /// One update `params ← params − …` from `grads` with learning rate `lr` (the scheduled
    /// value for this step; it replaces the configured `lr`).
    fn step(&mut self, params: &mut [F], grads: &[F], lr: f64);
    /// Named state buffers with PyTorch's state names (`momentum_buffer`, `exp_avg`, …).
    fn state(&self) -> Vec<(&'static str, &[F])>;
    /// State plus derived quantities a student wants to see (bias-corrected m̂, v̂, …).
    fn inspect(&self) -> Vec<(&'static str, Vec<F>)> {
        self.state()
            .into_iter()
            .map(|(n, s)| (n, s.to_vec()))
            .collect()
    }
}

/// The kind and range of one hyperparameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A real number in [min, max] (bounds open where `*_open`), with a suggested UI range;
    /// `integer` numbers must be whole (StepLR's `step_size`, CosineAnnealingLR's `T_max`).
    Num {
        default: f64,
        min: f64,
        max: f64,
        min_open: bool,
        max_open: bool,
        ui: [f64; 2],
        log: bool,
        integer: bool,
    },
    Bool {
        default: bool,
    },
    /// A pair (betas) of numbers each in [min, max).
    Pair {
        default: [f64; 2],
        min: f64,
        max: f64,
    },
}

/// One hyperparameter of an optimizer or schedule, with PyTorch's name and default.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamSpec {
    pub name: &'static str,
    pub kind: Kind,
    pub help: &'static str,
}

/// Shorthands for the tables.
pub const fn num(
    name: &'static str,
    default: f64,
    min: f64,
    max: f64,
    ui: [f64; 2],
    log: bool,
    help: &'static str,
) -> ParamSpec {
    ParamSpec {
        name,
        kind: Kind::Num {
            default,
            min,
            max,
            min_open: false,
            max_open: false,
            ui,
            log,
            integer: false,
        },
        help,
    }
}
/// A whole number in [min, max] (torch takes an `int`).
pub const fn int(
    name: &'static str,
    default: f64,
    min: f64,
    max: f64,
    ui: [f64; 2],
    help: &'static str,
) -> ParamSpec {
    ParamSpec {
        name,
        kind: Kind::Num {
            default,
            min,
            max,
            min_open: false,
            max_open: false,
            ui,
            log: false,
            integer: true,
        },
        help,
    }
}
pub const fn num_open(
    name: &'static str,
    default: f64,
    min: f64,
    max: f64,
    ui: [f64; 2],
    log: bool,
    help: &'static str,
) -> ParamSpec {
    ParamSpec {
        name,
        kind: Kind::Num {
            default,
            min,
            max,
            min_open: true,
            max_open: false,
            ui,
            log,
            integer: false,
        },
        help,
    }
}
pub const fn flag(name: &'static str, default: bool, help: &'static str) -> ParamSpec {
    ParamSpec {
        name,
        kind: Kind::Bool { default },
        help,
    }
}
pub const LR_HELP: &str = "learning rate η";
pub const WD_HELP: &str = "L2 penalty: g ← g + weight_decay·θ";
pub const BETAS: ParamSpec = ParamSpec {
    name: "betas",
    kind: Kind::Pair {
        default: [0.9, 0.999],
        min: 0.0,
        max: 1.0,
    },
    help: "EMA coefficients (β₁, β₂) of the gradient and its square; the lecture's β is 1 − β here",
};

/// A validated hyperparameter value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Num(f64),
    Bool(bool),
    Pair([f64; 2]),
}

/// Validated hyperparameters, with every default filled in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hyper(pub BTreeMap<&'static str, Value>);

impl Hyper {
    /// All defaults of a table.
    pub fn defaults(specs: &[ParamSpec]) -> Hyper {
        Hyper(
            specs
                .iter()
                .map(|s| {
                    let v = match s.kind {
                        Kind::Num { default, .. } => Value::Num(default),
                        Kind::Bool { default } => Value::Bool(default),
                        Kind::Pair { default, .. } => Value::Pair(default),
                    };
                    (s.name, v)
                })
                .collect(),
        )
    }
    pub fn num(&self, name: &str) -> f64 {
        match self.0.get(name) {
            Some(Value::Num(v)) => *v,
            _ => 0.0,
        }
    }
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.0.get(name), Some(Value::Bool(true)))
    }
    pub fn pair(&self, name: &str) -> [f64; 2] {
        match self.0.get(name) {
            Some(Value::Pair(v)) => *v,
            _ => [0.0, 0.0],
        }
    }
}

/// Check one value against its spec; the error is a message without the field name.
pub fn check(spec: &ParamSpec, v: Value) -> Result<Value, String> {
    let range =
        |x: f64, min: f64, max: f64, min_open: bool, max_open: bool| -> Result<(), String> {
            if !x.is_finite() {
                return Err(format!("must be a finite number (got {x})"));
            }
            let lo_bad = if min_open { x <= min } else { x < min };
            let hi_bad = if max_open { x >= max } else { x > max };
            if lo_bad || hi_bad {
                let l = if min_open { "(" } else { "[" };
                let r = if max_open { ")" } else { "]" };
                return Err(format!("must be in {l}{min}, {max}{r} (got {x})"));
            }
            Ok(())
        };
    match (spec.kind, v) {
        (
            Kind::Num {
                min,
                max,
                min_open,
                max_open,
                integer,
                ..
            },
            Value::Num(x),
        ) => {
            range(x, min, max, min_open, max_open)?;
            if integer && x.fract() != 0.0 {
                return Err(format!("must be an integer (got {x})"));
            }
            Ok(v)
        }
        (Kind::Bool { .. }, Value::Bool(_)) => Ok(v),
        (Kind::Pair { min, max, .. }, Value::Pair([a, b])) => {
            range(a, min, max, false, true).map_err(|e| format!("[0] {e}"))?;
            range(b, min, max, false, true).map_err(|e| format!("[1] {e}"))?;
            Ok(v)
        }
        (Kind::Num { .. }, _) => Err("must be a number".into()),
        (Kind::Bool { .. }, _) => Err("must be true or false".into()),
        (Kind::Pair { .. }, _) => Err("must be a pair of numbers [beta1, beta2]".into()),
    }
}

/// Static description of an optimizer (for validation and for the UI).
/// The algorithm a definition stands for: a first-order one, which [`build`] constructs (matching
/// on it exhaustively, so a definition cannot be registered without its constructor and no name
/// falls through to another method), or Newton's method, which needs the landscape's Hessian
/// (2-D runs only: `run.rs`), so that nothing else can be handed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algo {
    FirstOrder(FirstOrder),
    Newton,
}

/// The first-order algorithms (what a network or a full-batch run can train with).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirstOrder {
    Sgd,
    Adagrad,
    RmsProp,
    Adadelta,
    Adam,
    AdamW,
    Adamax,
    NAdam,
    RAdam,
}

pub struct OptimizerDef {
    pub algo: Algo,
    pub name: &'static str,
    pub label: &'static str,
    /// The torch.optim class it matches step for step (`None`: not a torch.optim optimizer).
    pub torch: Option<&'static str>,
    pub params: &'static [ParamSpec],
    pub state: &'static [&'static str],
    /// Checks across parameters (e.g. torch's "Nesterov momentum requires a momentum and zero
    /// dampening"): Err((param, message)).
    pub cross_check: fn(&Hyper) -> Result<(), (&'static str, String)>,
}

impl OptimizerDef {
    /// The first-order algorithm this is, or a field-style refusal for Newton's method.
    pub fn first_order(&self) -> Result<FirstOrder, String> {
        match self.algo {
            Algo::FirstOrder(k) => Ok(k),
            Algo::Newton => Err(format!(
                "{} needs the Hessian of a 2-D landscape; choose a first-order optimizer",
                self.name
            )),
        }
    }
}

impl std::fmt::Debug for OptimizerDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OptimizerDef({})", self.name)
    }
}

impl PartialEq for OptimizerDef {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

fn no_cross_check(_: &Hyper) -> Result<(), (&'static str, String)> {
    Ok(())
}

/// Every optimizer, in the order of the lecture.
pub const OPTIMIZERS: &[OptimizerDef] = &[
    sgd::DEF,
    adagrad::DEF,
    rmsprop::DEF,
    adadelta::DEF,
    adam::DEF,
    adam::DEF_ADAMW,
    adamax::DEF,
    nadam::DEF,
    radam::DEF,
    newton::DEF,
];

pub fn find(name: &str) -> Option<&'static OptimizerDef> {
    OPTIMIZERS.iter().find(|d| d.name == name)
}

/// Build the first-order optimizer `kind` for `n` parameters from validated hyperparameters.
pub fn build<F: Scalar>(kind: FirstOrder, h: &Hyper, n: usize) -> Box<dyn Optimizer<F>> {
    match kind {
        FirstOrder::Sgd => Box::new(sgd::Sgd::new(h, n)),
        FirstOrder::Adagrad => Box::new(adagrad::Adagrad::new(h, n)),
        FirstOrder::RmsProp => Box::new(rmsprop::RmsProp::new(h, n)),
        FirstOrder::Adadelta => Box::new(adadelta::Adadelta::new(h, n)),
        FirstOrder::Adam => Box::new(adam::Adam::new(h, n, h.flag("decoupled_weight_decay"))),
        FirstOrder::AdamW => Box::new(adam::Adam::new(h, n, true)),
        FirstOrder::Adamax => Box::new(adamax::Adamax::new(h, n)),
        FirstOrder::NAdam => Box::new(nadam::NAdam::new(h, n)),
        FirstOrder::RAdam => Box::new(radam::RAdam::new(h, n)),
    }
}

/// `g + wd·θ` when weight decay is coupled (L2), PyTorch's `grad.add(param, alpha=wd)`.
#[inline(always)]
pub(crate) fn l2<F: Scalar>(g: F, p: F, wd: f64) -> F {
    if wd != 0.0 {
        g + F::of(wd) * p
    } else {
        g
    }
}

/// `m.lerp_(g, w)` = m + w (g − m).
#[inline(always)]
pub(crate) fn lerp<F: Scalar>(m: F, g: F, w: F) -> F {
    m + w * (g - m)
}
