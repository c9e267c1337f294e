//! The single unit of the input normalization lab (`crate::unit`) for JavaScript.

use super::{render_options, set, spec_err, spec_val};
use crate::landscape::grid::Canvas;
use crate::unit::{self, Curvature, Problem, Transform};
use js_sys::{Array, Float64Array, Object, Uint8ClampedArray};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_UNIT: &str = r#"
export type UnitTransform = "raw" | "center" | "scale" | "standardize";
/** The single unit h = g(w·x + b) on a data set: `model` "logistic" (BCEWithLogitsLoss) or "linear" (MSELoss). */
export interface UnitSpec {
  data: { csv: string } | { name: "slide"; n?: number; seed?: number };
  /** Column names (all but the label when omitted). */
  features?: string[];
  validation_split?: number; split_seed?: number;
  /** "train": μ, σ² of the training split (default); "all": of every row (the leak). */
  stats?: "train" | "all";
  eps?: number; model?: "logistic" | "linear";
}
export interface UnitCurvature {
  hessian: Float64Array; eigenvalues: Float64Array;
  /** Row-major (d+1)²: column k is the eigenvector of eigenvalues[k]. */
  eigenvectors: Float64Array;
  condition: number; condition_nonnull: number; null_dims: number; lr_bound: number; lr_best: number;
}
export interface UnitRunSpec { transform?: UnitTransform; optimizer: OptimizerSpec; steps?: number; init?: number[] }
export interface UnitRun {
  params: Float64Array; raw_params: Float64Array; loss: Float64Array; val_loss: Float64Array;
  accuracy: Float64Array; diverged_at_step: number | null;
}
export interface UnitSliceSpec { transform?: UnitTransform; theta: number[]; view: [number, number, number, number]; nx?: number; ny?: number }
"#;

fn transform(s: &str) -> Result<Transform, JsError> {
    Transform::parse(s).ok_or_else(|| {
        JsError::new(&format!(
            "transform: must be one of {}",
            Transform::NAMES.join(", ")
        ))
    })
}

fn theta(p: &Problem, v: &[f64], what: &str) -> Result<(), JsError> {
    if v.len() != p.dim + 1 || !v.iter().all(|x| x.is_finite()) {
        return Err(JsError::new(&format!(
            "{what}: must be {} finite numbers (w₁ … w_d, b)",
            p.dim + 1
        )));
    }
    Ok(())
}

fn f64s(v: &[f64]) -> JsValue {
    Float64Array::from(v).into()
}

pub(super) fn curvature_object(c: &Curvature) -> Object {
    let o = Object::new();
    set(&o, "hessian", &f64s(&c.hessian));
    set(&o, "eigenvalues", &f64s(&c.eigenvalues));
    set(&o, "eigenvectors", &f64s(&c.eigenvectors));
    set(&o, "condition", &JsValue::from_f64(c.condition));
    set(
        &o,
        "condition_nonnull",
        &JsValue::from_f64(c.condition_nonnull),
    );
    set(&o, "null_dims", &JsValue::from_f64(c.null_dims as f64));
    set(&o, "lr_bound", &JsValue::from_f64(c.lr_bound));
    set(&o, "lr_best", &JsValue::from_f64(c.lr_best));
    o
}

/// The `torch.nn` loss of a unit model (`"logistic"`: `nn.BCEWithLogitsLoss()`, `"linear"`:
/// `nn.MSELoss()`), for the exported scripts.
#[wasm_bindgen(js_name = unitTorchLoss)]
pub fn unit_torch_loss(model: &str) -> Result<String, JsError> {
    let m = unit::Model::parse(model).ok_or_else(|| {
        JsError::new(&format!(
            "model: unknown model {:?} (known: {})",
            model.chars().take(40).collect::<String>(),
            unit::Model::NAMES.join(", ")
        ))
    })?;
    Ok(m.loss().torch().into())
}

/// `curvature({...UnitSpec, transform, at})`: the Hessian's spectrum of the training loss at θ
/// (`at`, default 0) in one coordinate system — for any number of features.
#[wasm_bindgen(unchecked_return_type = "UnitCurvature")]
pub fn curvature(
    #[wasm_bindgen(unchecked_param_type = "UnitSpec & {transform?: UnitTransform, at?: number[]}")]
    spec: JsValue,
) -> Result<Object, JsError> {
    let mut v = spec_val(spec, "spec")?;
    let take = |v: &mut crate::spec::Val, k: &str| match v {
        crate::spec::Val::Obj(kv) => kv
            .iter()
            .position(|(key, _)| key == k)
            .map(|i| kv.remove(i).1),
        _ => None,
    };
    let t = take(&mut v, "transform");
    let at = take(&mut v, "at");
    let p = unit::problem(&v).map_err(spec_err)?;
    let t = t.map_or(Ok(Transform::Standardize), |x| {
        unit::transform(&x, "transform")
    });
    let t = t.map_err(spec_err)?;
    let at = match at {
        None | Some(crate::spec::Val::Null) => vec![0.0; p.dim + 1],
        Some(crate::spec::Val::Arr(a)) => a
            .iter()
            .map(|x| match x {
                crate::spec::Val::Num(n) => Ok(*n),
                _ => Err(JsError::new("at: must be numbers")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(JsError::new("at: must be an array of numbers")),
    };
    theta(&p, &at, "at")?;
    Ok(curvature_object(&p.curvature(t, &at)))
}

/// A single-unit problem: data, split, statistics; runs, curvature and loss slices.
#[wasm_bindgen]
pub struct UnitProblem {
    p: Problem,
    canvas: Canvas,
}

#[wasm_bindgen]
impl UnitProblem {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "UnitSpec")] spec: JsValue,
    ) -> Result<UnitProblem, JsError> {
        let v = spec_val(spec, "spec")?;
        Ok(UnitProblem {
            p: unit::problem(&v).map_err(spec_err)?,
            canvas: Canvas::default(),
        })
    }

    /// `{dim, features, model, eps, stats, n_train, n_val, n_classes, mean, var, mean_train,
    /// var_train, mean_all, var_all}` (σ² biased).
    pub fn info(&self) -> Object {
        let p = &self.p;
        let o = Object::new();
        set(&o, "dim", &JsValue::from_f64(p.dim as f64));
        let names: Array = p.features.iter().map(|s| JsValue::from_str(s)).collect();
        set(&o, "features", &names.into());
        set(&o, "model", &JsValue::from_str(p.model.as_str()));
        set(&o, "eps", &JsValue::from_f64(p.eps));
        set(
            &o,
            "stats",
            &JsValue::from_str(if p.leak { "all" } else { "train" }),
        );
        set(&o, "n_train", &JsValue::from_f64(p.y_train.len() as f64));
        set(&o, "n_val", &JsValue::from_f64(p.y_val.len() as f64));
        set(&o, "n_classes", &JsValue::from_f64(p.n_classes as f64));
        let (m, v) = p.stats();
        set(&o, "mean", &f64s(m));
        set(&o, "var", &f64s(v));
        set(&o, "mean_train", &f64s(&p.mean_train));
        set(&o, "var_train", &f64s(&p.var_train));
        set(&o, "mean_all", &f64s(&p.mean_all));
        set(&o, "var_all", &f64s(&p.var_all));
        o
    }

    /// The training split in one coordinate system: `{x (row-major), y}`.
    pub fn data(&self, t: &str, split: &str) -> Result<Object, JsError> {
        let t = transform(t)?;
        let (x, y) = match split {
            "train" => (&self.p.x_train, &self.p.y_train),
            "val" => (&self.p.x_val, &self.p.y_val),
            _ => return Err(JsError::new("split: must be \"train\" or \"val\"")),
        };
        let o = Object::new();
        set(&o, "x", &f64s(&self.p.apply(t, x)));
        set(&o, "y", &f64s(y));
        Ok(o)
    }

    /// (c, s) of x̂ = (x − c)/s.
    pub fn coords(&self, t: &str) -> Result<Object, JsError> {
        let (c, s) = self.p.coords(transform(t)?);
        let o = Object::new();
        set(&o, "center", &f64s(&c));
        set(&o, "scale", &f64s(&s));
        Ok(o)
    }

    #[wasm_bindgen(unchecked_return_type = "UnitCurvature")]
    pub fn curvature(&self, t: &str, at: Vec<f64>) -> Result<Object, JsError> {
        theta(&self.p, &at, "at")?;
        Ok(curvature_object(&self.p.curvature(transform(t)?, &at)))
    }

    /// The training-loss minimizer in the coordinates of `t`.
    pub fn optimum(&self, t: &str) -> Result<Vec<f64>, JsError> {
        Ok(self.p.optimum(transform(t)?))
    }

    pub fn loss(&self, t: &str, at: Vec<f64>) -> Result<f64, JsError> {
        theta(&self.p, &at, "at")?;
        Ok(self.p.loss(transform(t)?, &at))
    }

    #[wasm_bindgen(js_name = toRaw)]
    pub fn to_raw(&self, t: &str, at: Vec<f64>) -> Result<Vec<f64>, JsError> {
        theta(&self.p, &at, "at")?;
        Ok(self.p.to_raw(transform(t)?, &at))
    }

    #[wasm_bindgen(js_name = fromRaw)]
    pub fn raw_to(&self, t: &str, at: Vec<f64>) -> Result<Vec<f64>, JsError> {
        theta(&self.p, &at, "at")?;
        Ok(self.p.from_raw(transform(t)?, &at))
    }

    /// A (w₁, w₂) view holding θ₀, the optimum and the level set through θ₀.
    pub fn frame(&self, t: &str, theta0: Vec<f64>, optimum: Vec<f64>) -> Result<Vec<f64>, JsError> {
        theta(&self.p, &theta0, "theta0")?;
        theta(&self.p, &optimum, "optimum")?;
        Ok(self.p.frame(transform(t)?, &theta0, &optimum).to_vec())
    }

    /// Full-batch training from `init` (default 0): every iterate, loss and accuracy.
    #[wasm_bindgen(unchecked_return_type = "UnitRun")]
    pub fn run(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UnitRunSpec")] spec: JsValue,
    ) -> Result<Object, JsError> {
        let v = spec_val(spec, "run")?;
        let c = unit::run_call(&v, &self.p).map_err(spec_err)?;
        let r = self
            .p
            .run(c.transform, &c.optimizer, c.steps, &c.init)
            .map_err(|e| JsError::new(&e))?;
        let o = Object::new();
        set(&o, "params", &f64s(&r.params));
        set(&o, "raw_params", &f64s(&r.raw_params));
        set(&o, "loss", &f64s(&r.loss));
        set(&o, "val_loss", &f64s(&r.val_loss));
        set(&o, "accuracy", &f64s(&r.accuracy));
        set(
            &o,
            "diverged_at_step",
            &r.diverged_at_step
                .map_or(JsValue::NULL, |s| JsValue::from_f64(s as f64)),
        );
        Ok(o)
    }

    /// The loss over (w₁, w₂) at the rest of `theta`, coloured with contour lines as
    /// `Landscape.render` (row 0 at the top): `{rgba, levels, min, max}`.
    pub fn render(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "UnitSliceSpec")] spec: JsValue,
        scale: &str,
        colormap: &str,
        levels: u32,
    ) -> Result<Object, JsError> {
        let v = spec_val(spec, "slice")?;
        let c = unit::slice_call(&v, &self.p).map_err(spec_err)?;
        let (nx, ny) = (c.nx, c.ny);
        let opts = render_options(scale, colormap, levels)?;
        let range = self.p.slice(
            c.transform,
            &c.theta,
            nx,
            ny,
            c.view,
            &mut self.canvas.values,
        );
        self.canvas.colour(nx, ny, range, opts);
        let o = Object::new();
        set(
            &o,
            "rgba",
            &Uint8ClampedArray::from(self.canvas.rgba_bytes()).into(),
        );
        set(&o, "levels", &f64s(&self.canvas.levels));
        let (lo, hi) = range.unwrap_or((f32::NAN, f32::NAN));
        set(&o, "min", &JsValue::from_f64(lo as f64));
        set(&o, "max", &JsValue::from_f64(hi as f64));
        set(&o, "nx", &JsValue::from_f64(nx as f64));
        set(&o, "ny", &JsValue::from_f64(ny as f64));
        Ok(o)
    }
}
