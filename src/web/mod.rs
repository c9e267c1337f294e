//! The only `#[wasm_bindgen]` code: handles and functions JavaScript calls. Every input is
//! validated by `crate::spec` and every failure becomes a JS `Error` whose message starts with the
//! field name; nothing here may panic.
//!
//! Buffers are handed out as typed-array *views* of wasm memory (no copies). A view stays valid
//! until the next call into the engine that may allocate (e.g. `step`, `render`): re-fetch views
//! after each such call.

use crate::landscape::grid::{self, Colormap, Rect, RenderOptions};
use crate::landscape::Scale;
use crate::spec::{self, SpecError, Val};
use crate::{meta, optim};
use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(feature = "landscapes")]
mod landscapes;
#[cfg(feature = "networks")]
mod nn;
#[cfg(feature = "networks")]
mod unit;
#[cfg(feature = "landscapes")]
pub use landscapes::{check_expression, landscapes, trajectory, Basins, Landscape, Run};
#[cfg(feature = "networks")]
pub use nn::{
    activation_curve, batch_norm_1d, deep_linear, dropout, mlp_gradients, network_options,
    MatmulBench, Trainer,
};
#[cfg(feature = "networks")]
pub use unit::{curvature, UnitProblem};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** A named landscape, a named landscape with parameters, or a custom expression in x and y. */
export type LandscapeSpec = string | { name: string; [param: string]: number | string } | { expression: string };
/** `{name, ...PyTorch kwargs}`; omitted kwargs take PyTorch's defaults. `newton` takes `eta`. */
export interface OptimizerSpec {
  name: "sgd" | "adagrad" | "rmsprop" | "adadelta" | "adam" | "adamw" | "adamax" | "nadam" | "radam" | "newton";
  [kwarg: string]: number | boolean | [number, number] | string;
}
export interface SchedulerSpec {
  name: "constant" | "step" | "exponential" | "cosine" | "inverse_time";
  [param: string]: number | string;
}
export interface TrajectorySpec {
  landscape: LandscapeSpec;
  /** Defaults to the landscape's first suggested start. */
  start?: [number, number];
  optimizer: OptimizerSpec;
  scheduler?: SchedulerSpec | null;
  /** 0..100000 for trajectory(); optional cap for new Run(). */
  steps?: number;
}
export interface TrajectoryResult {
  /** [x0, y0, x1, y1, ...]: the start, then the point after each step (finite prefix only). */
  points: Float64Array;
  values: Float64Array;
  /** The lr used by each step. */
  lrs: Float64Array;
  diverged_at_step: number | null;
  diverged_reason: "non_finite" | "singular_hessian" | null;
}
export interface ParamMeta {
  name: string;
  kind: "number" | "bool" | "pair";
  default: number | boolean | [number, number];
  min: number | null; max: number | null; min_open: boolean; max_open: boolean;
  ui_min: number | null; ui_max: number | null; log: boolean; help: string;
}
export interface OptimizerMeta { name: string; label: string; params: ParamMeta[]; state: string[] }
export interface ScheduleMeta { name: string; label: string; short: string; torch: string; formula: string; params: ParamMeta[] }
export interface PointMeta { x: number; y: number; f: number }
export interface LandscapeMeta {
  name: string; label: string; formula: string;
  /** [xmin, xmax, ymin, ymax] */
  domain: [number, number, number, number];
  scale: "linear" | "log";
  minima: PointMeta[]; saddles: PointMeta[]; starts: [number, number][];
  params: { name: string; default: number; min: number; max: number; value: number }[];
  /** A data landscape's data set (src/landscape/data.rs). */
  data?: {
    csv: string; source: string; x_column: string; y_column: string; x_label: string; y_label: string;
    n: number; standardize: boolean; eps: number; twin: string;
  };
}
export interface ExpressionError { message: string; /** 0-based character index */ position: number }
"#;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn spec_val(v: JsValue, what: &str) -> Result<Val, JsError> {
    if v.is_undefined() || v.is_null() {
        return Err(JsError::new(&format!("{what}: is missing")));
    }
    serde_wasm_bindgen::from_value(v).map_err(|e| JsError::new(&format!("{what}: {e}")))
}

fn spec_err(e: SpecError) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true))
        .map_err(|e| JsError::new(&format!("internal: {e}")))
}

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

/// Optimizers with PyTorch's parameter names, defaults and sensible ranges.
#[wasm_bindgen(unchecked_return_type = "OptimizerMeta[]")]
pub fn optimizers() -> Result<JsValue, JsError> {
    to_js(&meta::optimizers())
}

/// Learning-rate schedules and their parameters.
#[wasm_bindgen(unchecked_return_type = "ScheduleMeta[]")]
pub fn schedulers() -> Result<JsValue, JsError> {
    to_js(&meta::schedulers())
}

/// The PyTorch construction of an optimizer spec (validated as the engine takes it): `torch.optim.
/// <Class>(<params>, lr=…, <the kwargs not at their defaults>, foreach=False)`; `lr`, when given,
/// is a Python expression put in the learning rate's place. Newton's method has no torch class.
#[wasm_bindgen(js_name = torchOptimizer)]
pub fn torch_optimizer(
    #[wasm_bindgen(unchecked_param_type = "OptimizerSpec")] spec: JsValue,
    params: &str,
    lr: Option<String>,
) -> Result<String, JsError> {
    let v = spec_val(spec, "optimizer")?;
    let o = spec::optimizer(&v, "optimizer").map_err(spec_err)?;
    optim::torch::optimizer(o.def, &o.hyper, params, lr.as_deref())
        .map_err(|e| JsError::new(&format!("optimizer: {e}")))
}

/// The torch scheduler of a schedule spec (`null`: constant) on the optimizer named `optimizer`,
/// or `null` for a constant learning rate.
#[wasm_bindgen(js_name = torchScheduler)]
pub fn torch_scheduler(
    #[wasm_bindgen(unchecked_param_type = "SchedulerSpec | null | undefined")] spec: JsValue,
    optimizer: &str,
) -> Result<Option<String>, JsError> {
    let v = if spec.is_undefined() || spec.is_null() {
        None
    } else {
        Some(spec_val(spec, "scheduler")?)
    };
    let s = spec::scheduler(v.as_ref(), "scheduler").map_err(spec_err)?;
    Ok(optim::torch::scheduler(&s, optimizer))
}

/// Whether SIMD128 was enabled when this module was compiled.
#[wasm_bindgen(js_name = simdEnabled)]
pub fn simd_enabled() -> bool {
    cfg!(target_feature = "simd128")
}

/// A fresh seed in [0, max] from the browser's CSPRNG (see [`crate::rng::fresh_seed`]).
#[wasm_bindgen(js_name = freshSeed)]
pub fn fresh_seed(max: u32) -> Result<u32, JsError> {
    crate::rng::fresh_seed(max).map_err(|e| JsError::new(&e))
}

/// A heatmap's render options from the page: `scale` "linear" | "log", `colormap` "viridis" |
/// "cividis" | "magma", `levels` contour bands (0: no lines, at most `grid::MAX_LEVELS`).
fn render_options(scale: &str, colormap: &str, levels: u32) -> Result<RenderOptions, JsError> {
    let scale = Scale::parse(scale)
        .ok_or_else(|| JsError::new("render.scale: must be \"linear\" or \"log\""))?;
    let colormap = Colormap::parse(colormap).ok_or_else(|| {
        JsError::new("render.colormap: must be \"viridis\", \"cividis\" or \"magma\"")
    })?;
    if levels as usize > grid::MAX_LEVELS {
        return Err(JsError::new(&format!(
            "render.levels: at most {}",
            grid::MAX_LEVELS
        )));
    }
    Ok(RenderOptions {
        scale,
        colormap,
        levels: levels as usize,
    })
}

fn rect(nx: u32, ny: u32, x0: f64, x1: f64, y0: f64, y1: f64) -> Result<Rect, JsError> {
    let side = grid::MAX_SIDE as u32;
    if !(2..=side).contains(&nx) || !(2..=side).contains(&ny) {
        return Err(JsError::new(&format!(
            "grid: nx and ny must be in [2, {side}] (got {nx} × {ny})"
        )));
    }
    if (nx as u64) * (ny as u64) > 4 << 20 {
        return Err(JsError::new("grid: at most 4 Mi points"));
    }
    let ok = [x0, x1, y0, y1].iter().all(|v| v.is_finite()) && x0 < x1 && y0 < y1;
    if !ok {
        return Err(JsError::new(&format!(
            "grid: need finite x0 < x1 and y0 < y1 (got x {x0}..{x1}, y {y0}..{y1})"
        )));
    }
    Ok(Rect { x0, x1, y0, y1 })
}
