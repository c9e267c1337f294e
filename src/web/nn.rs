//! Networks for JavaScript: `mlpGradients(spec)` (one forward/backward pass in torch_nn.json's
//! layout) and the `Trainer` handle (train, step, inspect through typed-array views).
//! Specs are validated by `crate::nn::spec`; every failure is a JS `Error` naming the field.

use super::{set, spec_err, spec_val, to_js};
use crate::data::GENERATORS;
use crate::nn::activation::ACTIVATIONS;
use crate::nn::init::INITS;
use crate::nn::loss::LOSSES;
use crate::nn::stats::{HIST_KINDS, MAX_BINS, NSTAT, STAT_FIELDS};
use crate::nn::{self, Trainer as Engine};
use js_sys::{Float32Array, Float64Array, Object, Uint32Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_NN: &str = r#"
export type ActivationName = "identity" | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "gelu";
export type LossName = "mse" | "bce_with_logits" | "cross_entropy";
/** An initialization name, or {name, ...params}: constant {value}, uniform {a}, normal {std},
 *  xavier_uniform {gain}, xavier_normal {gain, variant: "fan_avg" | "fan_in"},
 *  kaiming_normal / kaiming_uniform {mode: "fan_in" | "fan_out", nonlinearity, a}, orthogonal {gain}. */
export type InitName =
  | "zeros" | "constant" | "uniform" | "normal" | "xavier_uniform" | "xavier_normal" | "kaiming_normal"
  | "kaiming_uniform" | "lecun_normal" | "orthogonal" | "torch_default" | "zero" | "too_small" | "appropriate"
  | "too_large";
export type InitSpec = InitName | { name: InitName; [param: string]: number | string };
export type ActivationSpec = ActivationName | { name: "leaky_relu"; negative_slope: number };
export interface MlpGradientsSpec {
  layer_sizes: number[];
  activation: ActivationSpec;
  loss: LossName;
  /** weights[l][out][in] */
  weights: number[][][];
  /** biases[l][out] */
  biases: number[][];
  /** inputs[B][layer_sizes[0]] */
  inputs: number[][];
  /** [B][out] numbers; [B] class indices for cross_entropy; [B] numbers when there is one output. */
  targets: number[][] | number[];
  /** Default "f64". */
  dtype?: "f64" | "f32";
}
export interface MlpGradients {
  /** Per hidden layer: pre-activation z and activation h, each [B][width]. */
  hidden: { z: number[][]; h: number[][] }[];
  output: number[][];
  loss: number;
  grad_weights: number[][][];
  grad_biases: number[][];
}
/** Exactly one of name (a generator), csv (text with a header row, last column `label`) or inputs. */
export interface DataSpec {
  name?: "circle" | "xor" | "blobs" | "spiral" | "moons";
  /** Samples (default 200) */
  n?: number;
  /** Gaussian noise sd per coordinate (default 0) */
  noise?: number;
  /** Defaults to the trainer's seed. */
  seed?: number;
  csv?: string;
  inputs?: number[][];
  labels?: number[];
  /** Fraction held out for validation, in [0, 0.9] (default 0). */
  validation_split?: number;
  /** Standardize features with the training set's mean and sd (default false). */
  normalize?: boolean;
  /** Seed of the training/validation split (default: the trainer's seed). */
  split_seed?: number;
}
export interface TrainerSpec {
  layer_sizes: number[];
  /** Default "relu". */
  activation?: ActivationName | { name: "leaky_relu"; negative_slope: number };
  /** Default cross_entropy for several outputs, else bce_with_logits. */
  loss?: LossName;
  /** Default "torch_default" (nn.Linear's own). */
  init?: InitSpec;
  optimizer: OptimizerSpec;
  scheduler?: SchedulerSpec | null;
  /** Default: full batch. */
  batch_size?: number;
  /** Default 0. */
  seed?: number;
  data: DataSpec;
  /** BatchNorm1d between each hidden Dense and its activation (default false). */
  batch_norm?: boolean;
  /** Where it goes: before the activation (the paper; default) or after it (common practice). */
  bn_placement?: "before" | "after";
  /** torch's momentum (default 0.1); null = the cumulative average (momentum=None). */
  bn_momentum?: number | null;
  /** Running statistics start at torch's 0 and 1 (default) or at the first batch's. */
  bn_running_init?: "torch" | "first_batch";
  /** Drop probability after each hidden activation, as nn.Dropout(p) (default 0). */
  dropout?: number;
  /** Drop probability on the inputs (default 0). */
  input_dropout?: number;
  /** A fresh mask per example (nn.Dropout; default) or one per mini-batch. */
  dropout_granularity?: "example" | "batch";
}
export interface DropoutMask {
  /** 0: the inputs; l: hidden layer l. */
  after: number; n: number; p: number; granularity: "example" | "batch";
  /** Rows of the last training mini-batch (0 before the first step). */
  rows: number;
  /** 1 kept, 0 dropped (n values). */
  kept: number[];
  kept_fraction: number;
}
export interface DropoutSpec {
  input: number[] | number[][]; p?: number; training?: boolean; seed?: number;
  granularity?: "example" | "batch";
}
/** torch.nn.BatchNorm1d's arguments and state; matrices are rows of num_features numbers. */
export interface BatchNormSpec {
  num_features: number; eps?: number; momentum?: number | null; affine?: boolean;
  gamma?: number[]; beta?: number[]; running_mean?: number[]; running_var?: number[];
  train_batches?: { input: number[][]; upstream_grad?: number[][] }[];
  eval_input?: number[][]; dtype?: "f64";
}
/** The loss along the gradient at one point of training (Trainer.gradientProbe). */
export interface GradientProbe {
  /** L(θ) and ‖g‖ on the probe batch. */
  loss: number; grad_norm: number;
  etas: Float64Array;
  /** L(θ − ηg) for each η. */
  losses: Float64Array;
  /** ‖∇L(θ − ηg) − g‖₂ for each η. */
  grad_change: Float64Array;
  /** max over η > 0 of grad_change / (η‖g‖). */
  beta: number;
}
export interface Evaluation {
  train_loss: number; train_accuracy: number; train_errors: number;
  /** NaN without a validation split. */
  val_loss: number; val_accuracy: number; val_errors: number;
}
export interface Inspection {
  layers: number;
  bins: number;
  /** Names of the columns of `stats`. */
  fields: string[];
  /** layers × fields.length, row l = Dense layer l + 1. */
  stats: Float32Array;
  /** layers × bins each: fractions per bin. */
  activation: Float32Array;
  preactivation: Float32Array;
  gradient: Float32Array;
  /** layers × 6: [lo, hi] of the activation, pre-activation and gradient histograms. */
  ranges: Float32Array;
}
/** An activation's registry entry (src/nn/activation.rs): labels, formulas, sup g′, torch class. */
export interface ActivationInfo {
  name: ActivationName; label: string; formula: string; derivative: string;
  max_derivative: number; torch: string;
}
/** An initialization's registry entry (src/nn/init.rs): its menu label and typed parameters. */
export interface InitInfo {
  name: InitName; label: string;
  params: ({ kind: "real"; name: string; min: number; max: number; default: number }
    | { kind: "choice"; name: string; values: string[]; default: string })[];
}
export interface NetworkOptions {
  activations: ActivationName[]; losses: LossName[]; inits: InitName[]; generators: string[];
  stat_fields: string[]; histogram_kinds: ("activation" | "preactivation" | "gradient")[];
  activation_info: ActivationInfo[]; init_info: InitInfo[];
  /** The largest seed a network spec takes. */
  max_seed: number;
}
"#;

#[derive(Serialize)]
struct Hidden {
    z: Vec<Vec<f64>>,
    h: Vec<Vec<f64>>,
}

#[derive(Serialize)]
struct GradientsOut {
    hidden: Vec<Hidden>,
    output: Vec<Vec<f64>>,
    loss: f64,
    grad_weights: Vec<Vec<Vec<f64>>>,
    grad_biases: Vec<Vec<f64>>,
}

fn rows(v: &[f64], width: usize) -> Vec<Vec<f64>> {
    v.chunks(width.max(1)).map(|r| r.to_vec()).collect()
}

/// One forward and backward pass of a given network on one batch, with torch_nn.json's layout.
#[wasm_bindgen(js_name = mlpGradients, unchecked_return_type = "MlpGradients")]
pub fn mlp_gradients(
    #[wasm_bindgen(unchecked_param_type = "MlpGradientsSpec")] spec: JsValue,
) -> Result<JsValue, JsError> {
    let v = spec_val(spec, "spec")?;
    let s = nn::grad_spec::gradients(&v).map_err(spec_err)?;
    let g = if s.f32 {
        nn::gradients::<f32>(&s)
    } else {
        nn::gradients::<f64>(&s)
    };
    let sz = &s.sizes;
    let out = GradientsOut {
        hidden: g
            .hidden
            .iter()
            .enumerate()
            .map(|(l, (z, h))| Hidden {
                z: rows(z, sz[l + 1]),
                h: rows(h, sz[l + 1]),
            })
            .collect(),
        output: rows(&g.output, sz[sz.len() - 1]),
        loss: g.loss,
        grad_weights: g
            .grad_weights
            .iter()
            .enumerate()
            .map(|(l, w)| rows(w, sz[l]))
            .collect(),
        grad_biases: g.grad_biases,
    };
    to_js(&out)
}

#[derive(Serialize)]
struct Options {
    activations: &'static [&'static str],
    activation_info: &'static [nn::activation::ActivationDef],
    init_info: &'static [nn::init::InitDef],
    losses: &'static [&'static str],
    inits: &'static [&'static str],
    generators: &'static [&'static str],
    stat_fields: &'static [&'static str],
    histogram_kinds: &'static [&'static str],
    /// The largest seed a network spec takes (`nn::spec::MAX_SEED`; the pages' SEED_MAX).
    max_seed: usize,
}

/// Names the network controls offer.
/// An activation g and its derivative g′ on n points of [x0, x1], from the engine's own
/// activation code: `{x, g, dg}` (Float64Arrays). For leaky_relu the slope is torch's 0.01.
#[wasm_bindgen(js_name = activationCurve, unchecked_return_type = "{x: Float64Array, g: Float64Array, dg: Float64Array}")]
pub fn activation_curve(name: &str, x0: f64, x1: f64, n: u32) -> Result<JsValue, JsError> {
    let act = nn::activation::Activation::by_name(name).ok_or_else(|| {
        JsError::new(&format!(
            "activation: unknown activation {name:?} (known: {})",
            ACTIVATIONS.join(", ")
        ))
    })?;
    if !(x0.is_finite() && x1.is_finite() && x0 < x1 && (2..=100_000).contains(&n)) {
        return Err(JsError::new(
            "activationCurve: need finite x0 < x1 and 2 ≤ n ≤ 100000",
        ));
    }
    let x: Vec<f64> = (0..n)
        .map(|i| x0 + (x1 - x0) * i as f64 / (n - 1) as f64)
        .collect();
    let mut g = vec![0.0; x.len()];
    act.forward(&x, &mut g);
    let dg: Vec<f64> = x.iter().map(|&z| act.derivative(z)).collect();
    let o = Object::new();
    set(&o, "x", &js_sys::Float64Array::from(&x[..]).into());
    set(&o, "g", &js_sys::Float64Array::from(&g[..]).into());
    set(&o, "dg", &js_sys::Float64Array::from(&dg[..]).into());
    Ok(o.into())
}

/// The decision boundary's RGBA (top row first) for an nx × ny grid of p(class 1) from
/// `predictGrid` (row 0 at the bottom): class 0 vermilion, class 1 blue, white at p = 0.5.
#[wasm_bindgen(js_name = paintDecision)]
pub fn paint_decision(
    grid: &[f32],
    nx: u32,
    ny: u32,
) -> Result<js_sys::Uint8ClampedArray, JsError> {
    let (nx, ny) = (nx as usize, ny as usize);
    if nx == 0 || ny == 0 || nx * ny > 1 << 20 || grid.len() != nx * ny {
        return Err(JsError::new(&format!(
            "paintDecision: need an nx × ny grid of at most 1 Mi cells (got {} values for {nx} × {ny})",
            grid.len()
        )));
    }
    let mut out = Vec::new();
    nn::boundary::paint(grid, nx, ny, &mut out);
    Ok(js_sys::Uint8ClampedArray::from(&out[..]))
}

/// The two classes' colours (CSS hex), as the decision boundary paints them.
#[wasm_bindgen(js_name = classColors)]
pub fn class_colors() -> Vec<String> {
    vec![
        nn::boundary::class_color_css(0),
        nn::boundary::class_color_css(1),
    ]
}

/// The `torch.nn` module of an activation spec, e.g. `nn.LeakyReLU(negative_slope=0.2)`.
#[wasm_bindgen(js_name = torchActivation)]
pub fn torch_activation(
    #[wasm_bindgen(unchecked_param_type = "ActivationSpec")] spec: JsValue,
) -> Result<String, JsError> {
    let v = spec_val(spec, "activation")?;
    Ok(nn::spec::activation(&v, "activation")
        .map_err(spec_err)?
        .torch())
}

/// The `torch.nn` module of a loss name, e.g. `nn.BCEWithLogitsLoss()`.
#[wasm_bindgen(js_name = torchLoss)]
pub fn torch_loss(
    #[wasm_bindgen(unchecked_param_type = "LossName")] spec: JsValue,
) -> Result<String, JsError> {
    let v = spec_val(spec, "loss")?;
    Ok(nn::spec::loss(&v, "loss").map_err(spec_err)?.torch().into())
}

/// Python lines that draw the weights (and bias) of the `nn.Linear` called `lin` as the engine
/// does for an initialization spec: `torch.nn.init` calls with the engine's parameters.
#[wasm_bindgen(js_name = torchInit)]
pub fn torch_init(
    #[wasm_bindgen(unchecked_param_type = "InitSpec")] spec: JsValue,
    lin: &str,
) -> Result<Vec<String>, JsError> {
    if !nn::torch::is_python_target(lin) {
        return Err(JsError::new(
            "torchInit: the layer must be a Python name such as lin or net[0]",
        ));
    }
    let v = spec_val(spec, "init")?;
    Ok(nn::spec::init(&v, "init")
        .map_err(spec_err)?
        .torch_lines(lin))
}

#[wasm_bindgen(js_name = networkOptions, unchecked_return_type = "NetworkOptions")]
pub fn network_options() -> Result<JsValue, JsError> {
    to_js(&Options {
        activations: ACTIVATIONS,
        activation_info: &nn::activation::ACTIVATION_DEFS,
        init_info: &nn::init::INIT_DEFS,
        losses: LOSSES,
        inits: INITS,
        generators: GENERATORS,
        stat_fields: STAT_FIELDS,
        histogram_kinds: HIST_KINDS,
        max_seed: nn::spec::MAX_SEED,
    })
}

/// A network in training (f32; SIMD128 matrix products). Views returned by its methods stay
/// valid until the next call that may allocate (`step`, `inspect`, `predictGrid`, `evaluate`).
#[wasm_bindgen]
pub struct Trainer {
    inner: Engine<f32>,
    layout: Vec<u32>,
    /// The data set as given, before the split (exports reproduce the split from the seed).
    data: crate::data::Dataset,
}

impl Trainer {
    /// A decision grid's checked view: 2-D data, a valid rectangle, at most 1 Mi points.
    #[allow(clippy::too_many_arguments)]
    fn grid_rect(
        &self,
        what: &str,
        nx: u32,
        ny: u32,
        x0: f64,
        x1: f64,
        y0: f64,
        y1: f64,
    ) -> Result<crate::landscape::grid::Rect, JsError> {
        if self.inner.dim != 2 {
            return Err(JsError::new(&format!(
                "{what}: needs 2-D data (these have {} features)",
                self.inner.dim
            )));
        }
        let r = super::rect(nx, ny, x0, x1, y0, y1)?;
        if (nx as u64) * (ny as u64) > 1 << 20 {
            return Err(JsError::new("grid: at most 1 Mi points"));
        }
        Ok(r)
    }
}

fn evaluation(e: &nn::train::Evaluation) -> Object {
    let o = Object::new();
    for (k, v) in [
        ("train_loss", e.train_loss),
        ("train_accuracy", e.train_accuracy),
        ("train_errors", e.train_errors as f64),
        ("val_loss", e.val_loss),
        ("val_accuracy", e.val_accuracy),
        ("val_errors", e.val_errors as f64),
    ] {
        set(&o, k, &JsValue::from_f64(v));
    }
    o
}

/// `nn.functional.dropout(input, p, training)` with a seeded mask: `{input: number[] |
/// number[][], p = 0.5, training = true, seed = 0, granularity = "example" | "batch"}` →
/// `{output, mask}` (flat, row-major; mask 1 = kept).
#[wasm_bindgen(unchecked_return_type = "{output: Float64Array, mask: Uint8Array}")]
pub fn dropout(
    #[wasm_bindgen(unchecked_param_type = "DropoutSpec")] spec: JsValue,
) -> Result<Object, JsError> {
    let c = nn::spec::dropout_call(&spec_val(spec, "spec")?).map_err(spec_err)?;
    let (y, mask) = nn::layer::dropout_values(&c.x, c.rows, c.p, c.training, c.seed, c.granularity);
    let o = Object::new();
    set(&o, "output", &js_sys::Float64Array::from(&y[..]).into());
    set(&o, "mask", &js_sys::Uint8Array::from(&mask[..]).into());
    Ok(o)
}

/// torch.nn.BatchNorm1d (float64) as a function: `{num_features, eps, momentum (null:
/// cumulative), affine, gamma, beta, running_mean, running_var, train_batches: [{input,
/// upstream_grad}], eval_input, dtype: "f64"}` → `{batches: [{output, batch_mean,
/// batch_var_biased, batch_var_unbiased, running_mean, running_var, grad_input, grad_gamma,
/// grad_beta}], eval_output}` (matrices row-major; γ, β gradients null without affine).
#[wasm_bindgen(js_name = batchNorm1d)]
pub fn batch_norm_1d(
    #[wasm_bindgen(unchecked_param_type = "BatchNormSpec")] spec: JsValue,
) -> Result<Object, JsError> {
    let c = nn::spec::batch_norm_call(&spec_val(spec, "spec")?).map_err(spec_err)?;
    let (steps, eval) = nn::layer::batch_norm_values(&c);
    let f = |v: &[f64]| -> JsValue { js_sys::Float64Array::from(v).into() };
    let batches = js_sys::Array::new();
    for s in &steps {
        let o = Object::new();
        set(&o, "output", &f(&s.output));
        set(&o, "batch_mean", &f(&s.batch_mean));
        set(&o, "batch_var_biased", &f(&s.batch_var_biased));
        set(&o, "batch_var_unbiased", &f(&s.batch_var_unbiased));
        set(&o, "running_mean", &f(&s.running_mean));
        set(&o, "running_var", &f(&s.running_var));
        set(&o, "grad_input", &f(&s.grad_input));
        set(
            &o,
            "grad_gamma",
            &if c.affine {
                f(&s.grad_gamma)
            } else {
                JsValue::NULL
            },
        );
        set(
            &o,
            "grad_beta",
            &if c.affine {
                f(&s.grad_beta)
            } else {
                JsValue::NULL
            },
        );
        batches.push(&o);
    }
    let o = Object::new();
    set(&o, "batches", &batches.into());
    set(&o, "eval_output", &f(&eval));
    Ok(o)
}

fn view(v: &[f32]) -> Float32Array {
    // SAFETY: a view of memory owned by the handle, returned at once; the doc comments tell JS
    // to re-fetch views after calls that may allocate.
    unsafe { Float32Array::view(v) }
}

fn view_u32(v: &[u32]) -> Uint32Array {
    // SAFETY: as in `view`.
    unsafe { Uint32Array::view(v) }
}

#[wasm_bindgen]
impl Trainer {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TrainerSpec")] spec: JsValue,
    ) -> Result<Trainer, JsError> {
        let v = spec_val(spec, "spec")?;
        let s = nn::spec::trainer(&v).map_err(spec_err)?;
        let inner = Engine::<f32>::new(s.config, &s.data);
        let net = &inner.net;
        let layout = (0..net.depth())
            .flat_map(|l| {
                let (w, b) = (net.weight_range(l), net.bias_range(l));
                [w.start, w.len(), b.start, b.len()].map(|v| v as u32)
            })
            .collect();
        Ok(Trainer {
            inner,
            layout,
            data: s.data,
        })
    }

    /// Run up to `n` optimizer steps; returns how many were taken (fewer once diverged).
    pub fn step(&mut self, n: u32) -> u32 {
        self.inner.step(n as usize) as u32
    }

    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> u32 {
        self.inner.steps() as u32
    }
    /// Epochs completed (fractional).
    #[wasm_bindgen(getter)]
    pub fn epoch(&self) -> f64 {
        self.inner.epoch()
    }
    /// The lr the next step uses.
    #[wasm_bindgen(getter)]
    pub fn lr(&self) -> f64 {
        self.inner.lr()
    }
    /// The step whose loss was not finite (it was not applied), or undefined.
    #[wasm_bindgen(getter)]
    pub fn diverged_at_step(&self) -> Option<u32> {
        self.inner.diverged_at_step().map(|k| k as u32)
    }
    /// Number of Dense layers.
    #[wasm_bindgen(getter)]
    pub fn layers(&self) -> u32 {
        self.inner.net.depth() as u32
    }
    #[wasm_bindgen(getter)]
    pub fn parameter_count(&self) -> u32 {
        self.inner.net.params.len() as u32
    }
    #[wasm_bindgen(getter)]
    pub fn batch_size(&self) -> u32 {
        self.inner.batch_size() as u32
    }
    /// Input features.
    #[wasm_bindgen(getter)]
    pub fn dim(&self) -> u32 {
        self.inner.dim as u32
    }
    #[wasm_bindgen(getter)]
    pub fn classes(&self) -> u32 {
        self.inner.n_classes as u32
    }

    /// Loss and accuracy on the whole training and validation sets (inference mode).
    #[wasm_bindgen(unchecked_return_type = "Evaluation")]
    pub fn evaluate(&mut self) -> Object {
        evaluation(&self.inner.evaluate())
    }

    /// The dropout masks of the last training mini-batch, one entry per dropout layer in forward
    /// order (`after` 0 = the inputs, l = hidden layer l), for example `row` of the batch.
    #[wasm_bindgen(unchecked_return_type = "DropoutMask[]")]
    pub fn masks(&self, row: u32) -> Result<JsValue, JsError> {
        to_js(&self.inner.masks(row as usize))
    }

    /// Evaluation under a test-time rule: "pytorch" (eval is the identity, as `model.eval()`)
    /// or "convnetjs" (ConvNetJS multiplies by the drop probability p where 1 − p was meant:
    /// here ×p/(1 − p) relative to the right rule; the same at p = 0.5).
    #[wasm_bindgen(js_name = evaluateTestRule, unchecked_return_type = "Evaluation")]
    pub fn evaluate_test_rule(&mut self, rule: &str) -> Result<Object, JsError> {
        let scale = match rule {
            "pytorch" => |_p: f64| 1.0,
            "convnetjs" => |p: f64| if p < 1.0 { p / (1.0 - p) } else { 0.0 },
            _ => {
                return Err(JsError::new(&format!(
                    "rule: must be \"pytorch\" or \"convnetjs\" (got \"{rule}\")"
                )))
            }
        };
        let e = self.inner.evaluate_test_scaled(scale);
        Ok(evaluation(&e))
    }

    /// Monte-Carlo dropout on the validation set (the training set without one): loss and
    /// accuracy of the prediction averaged over the first j of k thinned networks, j = 1..k.
    #[wasm_bindgen(js_name = evaluateMc, unchecked_return_type = "{loss: Float64Array, accuracy: Float64Array}")]
    pub fn evaluate_mc(&mut self, k: u32, seed: u32) -> Result<Object, JsError> {
        if !(1..=1000).contains(&k) {
            return Err(JsError::new(&format!("k: must be in [1, 1000] (got {k})")));
        }
        let c = self.inner.evaluate_mc(k as usize, seed as u64);
        let o = Object::new();
        set(&o, "loss", &js_sys::Float64Array::from(&c.loss[..]).into());
        set(
            &o,
            "accuracy",
            &js_sys::Float64Array::from(&c.accuracy[..]).into(),
        );
        Ok(o)
    }

    /// The evaluation with batch norm in inference using `stats`: "running" (`model.eval()`),
    /// "batch" (each evaluated batch of `batch` rows normalized by its own statistics) or
    /// "population" (Ioffe & Szegedy Alg. 2, recomputed from the training set; the network is
    /// left as it was).
    #[wasm_bindgen(js_name = evaluateBatchNorm, unchecked_return_type = "Evaluation")]
    pub fn evaluate_batch_norm(&mut self, stats: &str, batch: u32) -> Result<JsValue, JsError> {
        let s = match stats {
            "running" => nn::train::BnStats::Running,
            "batch" => nn::train::BnStats::Batch,
            "population" => nn::train::BnStats::Population,
            _ => {
                return Err(JsError::new(
                    "stats: must be \"running\", \"batch\" or \"population\"",
                ))
            }
        };
        if !(1..=100_000).contains(&batch) {
            return Err(JsError::new(&format!(
                "batch: must be in [1, 100000] (got {batch})"
            )));
        }
        Ok(evaluation(&self.inner.evaluate_bn(s, batch as usize)).into())
    }

    /// Percentiles (e.g. `[15, 50, 85]`) of hidden unit `unit` of hidden layer `layer`'s
    /// activation input (after batch norm if any) over the validation split, inference mode.
    #[wasm_bindgen(js_name = unitPercentiles)]
    pub fn unit_percentiles(
        &mut self,
        layer: u32,
        unit: u32,
        ps: Vec<f64>,
    ) -> Result<Vec<f64>, JsError> {
        let hidden = self.inner.net.depth().saturating_sub(1);
        if layer as usize >= hidden {
            return Err(JsError::new(&format!(
                "layer: must be a hidden layer in [0, {}] (got {layer})",
                hidden.saturating_sub(1)
            )));
        }
        let width = self.inner.net.arch.sizes[layer as usize + 1];
        if unit as usize >= width {
            return Err(JsError::new(&format!(
                "unit: layer {layer} has units 0 … {} (got {unit})",
                width - 1
            )));
        }
        if ps.len() > 101 || ps.iter().any(|p| !(0.0..=100.0).contains(p)) {
            return Err(JsError::new(
                "ps: at most 101 percentiles, each in [0, 100]",
            ));
        }
        self.inner
            .unit_percentiles(layer as usize, unit as usize, &ps)
            .ok_or_else(|| JsError::new("internal: no such unit"))
    }

    /// The loss along the gradient (Santurkar et al. Fig. 4, Bjorck et al.): from the current
    /// parameters θ and the gradient g of the probe batch (the first `batchSize` training rows),
    /// L(θ − ηg) and ‖∇L(θ − ηg) − g‖ for each η of `etas`, and the effective β-smoothness. Batch
    /// norm normalizes by the probe batch (training-mode arithmetic); nothing is changed.
    #[wasm_bindgen(js_name = gradientProbe, unchecked_return_type = "GradientProbe")]
    pub fn gradient_probe(&mut self, etas: Vec<f64>) -> Result<JsValue, JsError> {
        if etas.is_empty()
            || etas.len() > 256
            || etas
                .iter()
                .any(|e| !(e.is_finite() && (0.0..=1e6).contains(e)))
        {
            return Err(JsError::new(
                "etas: 1 to 256 step sizes, each finite in [0, 1e6]",
            ));
        }
        let p = self
            .inner
            .gradient_probe(&etas)
            .ok_or_else(|| JsError::new("the trainer has no training example"))?;
        let o = Object::new();
        set(&o, "loss", &p.loss.into());
        set(&o, "grad_norm", &p.grad_norm.into());
        set(&o, "etas", &js_sys::Float64Array::from(&p.etas[..]).into());
        set(
            &o,
            "losses",
            &js_sys::Float64Array::from(&p.losses[..]).into(),
        );
        set(
            &o,
            "grad_change",
            &js_sys::Float64Array::from(&p.grad_change[..]).into(),
        );
        set(&o, "beta", &p.beta.into());
        Ok(o.into())
    }

    /// Weight-scale invariance (Ioffe & Szegedy §3.3): Dense layer `layer`'s W and b times each
    /// a of `scales`; the probe batch's loss and ‖∂L/∂W‖ of that layer for each. Nothing is changed.
    #[wasm_bindgen(js_name = weightScaleProbe, unchecked_return_type = "{loss: Float64Array, grad_norm: Float64Array}")]
    pub fn weight_scale_probe(&mut self, layer: u32, scales: Vec<f64>) -> Result<Object, JsError> {
        let depth = self.inner.net.depth();
        if layer as usize >= depth {
            return Err(JsError::new(&format!(
                "layer: must be a Dense layer in [0, {}] (got {layer})",
                depth - 1
            )));
        }
        if scales.is_empty()
            || scales.len() > 256
            || scales
                .iter()
                .any(|a| !(a.is_finite() && *a > 0.0 && *a <= 1e6))
        {
            return Err(JsError::new("scales: 1 to 256 factors, each in (0, 1e6]"));
        }
        let r = self
            .inner
            .weight_scale_probe(layer as usize, &scales)
            .ok_or_else(|| JsError::new("the trainer has no training example"))?;
        let o = Object::new();
        let (l, g): (Vec<f64>, Vec<f64>) = r.into_iter().unzip();
        set(&o, "loss", &js_sys::Float64Array::from(&l[..]).into());
        set(&o, "grad_norm", &js_sys::Float64Array::from(&g[..]).into());
        Ok(o)
    }

    /// Batch norm of hidden layer `layer`, unit `unit`: `[batch mean, biased batch variance]` of
    /// its input over the last training mini-batch and `[running mean, running variance]` after
    /// it; null without batch norm or before the first step.
    #[wasm_bindgen(js_name = bnUnitStats)]
    pub fn bn_unit_stats(&mut self, layer: u32, unit: u32) -> Option<Vec<f64>> {
        self.inner
            .bn_unit_stats(layer as usize, unit as usize)
            .map(|a| a.to_vec())
    }

    /// View of the mini-batch loss of each step (from step `historyStart + 1` on).
    #[wasm_bindgen(js_name = lossHistory)]
    pub fn loss_history(&self) -> Float32Array {
        view(self.inner.losses())
    }
    #[wasm_bindgen(getter, js_name = historyStart)]
    pub fn history_start(&self) -> u32 {
        self.inner.history_start() as u32
    }

    /// Per-layer statistics and histograms of the last training batch (before the first step:
    /// of the first batch, without side effects), as views of reusable buffers.
    #[wasm_bindgen(unchecked_return_type = "Inspection")]
    pub fn inspect(&mut self, bins: u32) -> Result<Object, JsError> {
        if bins == 0 || bins as usize > MAX_BINS {
            return Err(JsError::new(&format!(
                "bins: must be an integer in [1, {MAX_BINS}] (got {bins})"
            )));
        }
        let ins = self.inner.inspect(bins as usize);
        let (l, b) = (ins.layers, ins.bins);
        let o = Object::new();
        set(&o, "layers", &JsValue::from_f64(l as f64));
        set(&o, "bins", &JsValue::from_f64(b as f64));
        set(&o, "fields", &to_js(&STAT_FIELDS)?);
        set(&o, "stats", &view(&ins.stats[..l * NSTAT]).into());
        for (k, name) in HIST_KINDS.iter().enumerate() {
            let part = &ins.hist[k * l * b..(k + 1) * l * b];
            set(&o, name, &view(part).into());
        }
        set(&o, "ranges", &view(&ins.ranges[..l * 6]).into());
        Ok(o)
    }

    /// Fix the histogram range of `kind` ("activation" | "preactivation" | "gradient") to
    /// [lo, hi]; omit lo and hi (or pass lo ≥ hi) for each layer's own [min, max].
    #[wasm_bindgen(js_name = setHistogramRange)]
    pub fn set_histogram_range(
        &mut self,
        kind: &str,
        lo: Option<f64>,
        hi: Option<f64>,
    ) -> Result<(), JsError> {
        let Some(k) = HIST_KINDS.iter().position(|n| *n == kind) else {
            return Err(JsError::new(&format!(
                "kind: must be one of {} (got {:?})",
                HIST_KINDS.join(", "),
                kind.chars().take(40).collect::<String>()
            )));
        };
        self.inner.inspection.fixed[k] = match (lo, hi) {
            (Some(a), Some(b)) if a.is_finite() && b.is_finite() && a < b => Some((a, b)),
            _ => None,
        };
        Ok(())
    }

    /// Decision-boundary values on an nx × ny grid over the data's original coordinates (row j
    /// at y0 + j·(y1 − y0)/(ny − 1)): p(class 1) for one bce output or two cross-entropy
    /// outputs, the output itself for one mse output, else the argmax class. 2-D data only.
    #[wasm_bindgen(js_name = predictGrid)]
    pub fn predict_grid(
        &mut self,
        nx: u32,
        ny: u32,
        x0: f64,
        x1: f64,
        y0: f64,
        y1: f64,
    ) -> Result<Float32Array, JsError> {
        let r = self.grid_rect("predictGrid", nx, ny, x0, x1, y0, y1)?;
        let (nx, ny) = (nx as usize, ny as usize);
        Ok(view(
            self.inner.predict_grid(nx, ny, r.x0, r.x1, r.y0, r.y1),
        ))
    }

    /// `predictGrid` of one thinned network: a dropout mask drawn from `seed` and kept fixed
    /// over the whole grid (the same network at every point).
    #[wasm_bindgen(js_name = predictGridThinned)]
    #[allow(clippy::too_many_arguments)]
    pub fn predict_grid_thinned(
        &mut self,
        nx: u32,
        ny: u32,
        x0: f64,
        x1: f64,
        y0: f64,
        y1: f64,
        seed: u32,
    ) -> Result<Float32Array, JsError> {
        let r = self.grid_rect("predictGridThinned", nx, ny, x0, x1, y0, y1)?;
        let (nx, ny) = (nx as usize, ny as usize);
        Ok(view(self.inner.predict_grid_thinned(
            nx,
            ny,
            r.x0,
            r.x1,
            r.y0,
            r.y1,
            seed as u64,
        )))
    }

    /// View of all trained parameters (see `parameterLayout`).
    pub fn parameters(&self) -> Float32Array {
        view(&self.inner.net.params)
    }
    /// View of the gradient of the last step, same layout.
    pub fn gradients(&self) -> Float32Array {
        view(&self.inner.net.grads)
    }
    /// Per Dense layer l: [W offset, W length, b offset, b length]; W[l] is [out][in] row-major.
    #[wasm_bindgen(js_name = parameterLayout)]
    pub fn parameter_layout(&self) -> Uint32Array {
        view_u32(&self.layout)
    }

    /// View of the training inputs in original units (rows × dim).
    #[wasm_bindgen(js_name = trainInputs)]
    pub fn train_inputs(&self) -> Float32Array {
        view(&self.inner.train.raw)
    }
    #[wasm_bindgen(js_name = trainLabels)]
    pub fn train_labels(&self) -> Uint32Array {
        view_u32(&self.inner.train.labels)
    }
    #[wasm_bindgen(js_name = valInputs)]
    pub fn val_inputs(&self) -> Float32Array {
        view(&self.inner.val.raw)
    }
    #[wasm_bindgen(js_name = valLabels)]
    pub fn val_labels(&self) -> Uint32Array {
        view_u32(&self.inner.val.labels)
    }
    /// The whole data set before the split and normalization, in its original order: inputs
    /// (float64, rows × dim), labels, dim. An exported script splits and normalizes it from the
    /// seed exactly as the engine does.
    #[wasm_bindgen(
        unchecked_return_type = "{inputs: Float64Array, labels: Uint32Array, dim: number}"
    )]
    pub fn dataset(&self) -> Object {
        let o = Object::new();
        set(
            &o,
            "inputs",
            &js_sys::Float64Array::from(&self.data.x[..]).into(),
        );
        set(
            &o,
            "labels",
            &Uint32Array::from(&self.data.labels[..]).into(),
        );
        set(&o, "dim", &JsValue::from(self.data.dim as u32));
        o
    }
}

/// A matrix product on fixed operands, for benchmarks: `kind` "nt" (forward X·Wᵀ), "tn" (weight
/// gradient ∂Zᵀ·X) or "nn" (input gradient ∂Z·W), C m×n with depth k.
#[wasm_bindgen]
pub struct MatmulBench {
    kind: u8,
    m: usize,
    n: usize,
    k: usize,
    a: Vec<f32>,
    b: Vec<f32>,
    c: Vec<f32>,
    ws: nn::gemm::Workspace<f32>,
}

#[wasm_bindgen]
impl MatmulBench {
    #[wasm_bindgen(constructor)]
    pub fn new(kind: &str, m: u32, n: u32, k: u32) -> Result<MatmulBench, JsError> {
        let kind = match kind {
            "nt" => 0,
            "tn" => 1,
            "nn" => 2,
            _ => return Err(JsError::new("kind: must be \"nt\", \"tn\" or \"nn\"")),
        };
        let (m, n, k) = (m as usize, n as usize, k as usize);
        if [m, n, k].iter().any(|&d| d == 0 || d > 4096) {
            return Err(JsError::new("m, n, k: must be in [1, 4096]"));
        }
        let fill = |len: usize, s: f32| (0..len).map(|i| (i as f32 * s).sin()).collect();
        Ok(MatmulBench {
            kind,
            m,
            n,
            k,
            a: fill(m * k, 0.37),
            b: fill(k * n, 0.11),
            c: vec![0.0; m * n],
            ws: Default::default(),
        })
    }

    /// Run the product `reps` times; returns C[0][0] (so nothing is optimized away).
    pub fn run(&mut self, reps: u32) -> f32 {
        use nn::gemm::{matmul_nn, matmul_nt, matmul_tn};
        let (m, n, k) = (self.m, self.n, self.k);
        for _ in 0..reps {
            match self.kind {
                0 => matmul_nt(m, n, k, &self.a, &self.b, &mut self.c, &mut self.ws),
                1 => matmul_tn(m, n, k, &self.a, &self.b, &mut self.c, &mut self.ws),
                _ => matmul_nn(m, n, k, &self.a, &self.b, &mut self.c, &mut self.ws),
            }
        }
        self.c.first().copied().unwrap_or(0.0)
    }
}

/// The lecture's deep linear network (identity activations, one shared W = E Λ Eᵀ):
/// `{eigenvalues, angle, x, depth}` → `{norms: ‖h[l]‖ for l = 0..=depth, components: h[l]·eᵢ
/// row-major (depth + 1) × d}`.
#[wasm_bindgen(js_name = deepLinear, unchecked_return_type = "{norms: Float64Array, components: Float64Array}")]
pub fn deep_linear(
    #[wasm_bindgen(
        unchecked_param_type = "{eigenvalues: number[], angle?: number, x?: number[], depth: number}"
    )]
    spec: JsValue,
) -> Result<JsValue, JsError> {
    let v = spec_val(spec, "spec")?;
    let s = crate::spec::deep_linear(&v).map_err(spec_err)?;
    let f = crate::deep_linear::forward(&s.eigenvalues, s.angle, &s.x, s.depth);
    let o = Object::new();
    set(&o, "norms", &Float64Array::from(&f.norms[..]).into());
    set(
        &o,
        "components",
        &Float64Array::from(&f.components[..]).into(),
    );
    Ok(o.into())
}
