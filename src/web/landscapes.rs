//! The optimizer lab's API (feature `landscapes`): landscapes with their metadata and heatmaps,
//! trajectories, stateful runs and basin maps. Left out of the network labs' module.

use super::{rect, render_options, set, spec_err, spec_val, to_js};
use crate::landscape;
use crate::landscape::grid::{self, Canvas};
use crate::{meta, run, spec};
use js_sys::{Float32Array, Float64Array, Int32Array, Object, Uint8ClampedArray};
use wasm_bindgen::prelude::*;

/// Landscape metadata: `[{name, label, formula, domain, scale, minima, saddles, starts, params, data?}]`.
#[wasm_bindgen(unchecked_return_type = "LandscapeMeta[]")]
pub fn landscapes() -> Result<JsValue, JsError> {
    to_js(&meta::landscapes())
}

/// A data landscape's data as the bundled CSV has it (x before any standardization), for the
/// exported scripts: `{x, y}` (Float64Arrays).
#[wasm_bindgen(js_name = landscapeData, unchecked_return_type = "{x: Float64Array, y: Float64Array}")]
pub fn landscape_data(name: &str) -> Result<JsValue, JsError> {
    let r = crate::landscape::data::Regression::by_name(name).ok_or_else(|| {
        JsError::new(&format!(
            "landscape: {:?} is not a data landscape",
            name.chars().take(40).collect::<String>()
        ))
    })?;
    let o = js_sys::Object::new();
    super::set(&o, "x", &js_sys::Float64Array::from(&r.raw_xs[..]).into());
    super::set(&o, "y", &js_sys::Float64Array::from(&r.ys[..]).into());
    Ok(o.into())
}

/// Parse an expression: `null` if it is valid, else `{message, position}` (0-based character).
#[wasm_bindgen(js_name = checkExpression, unchecked_return_type = "ExpressionError | null")]
pub fn check_expression(src: &str) -> JsValue {
    match landscape::Expr::parse(src) {
        Ok(_) => JsValue::NULL,
        Err(e) => {
            let o = Object::new();
            set(&o, "message", &JsValue::from_str(&e.message));
            set(&o, "position", &JsValue::from_f64(e.position as f64));
            o.into()
        }
    }
}

/// Run a whole trajectory: `{points, values, lrs, diverged_at_step, diverged_reason}`.
#[wasm_bindgen(unchecked_return_type = "TrajectoryResult")]
pub fn trajectory(
    #[wasm_bindgen(unchecked_param_type = "TrajectorySpec")] spec: JsValue,
) -> Result<JsValue, JsError> {
    let v = spec_val(spec, "spec")?;
    let s = spec::trajectory(&v, None, spec::MAX_STEPS).map_err(spec_err)?;
    let r = run::trajectory(&s);
    let o = Object::new();
    set(&o, "points", &Float64Array::from(r.points()).into());
    set(&o, "values", &Float64Array::from(r.values()).into());
    set(&o, "lrs", &Float64Array::from(r.lrs()).into());
    let d = r.diverged();
    set(&o, "diverged_at_step", &opt_num(d.map(|(k, _)| k)));
    set(
        &o,
        "diverged_reason",
        &d.map_or(JsValue::NULL, |(_, why)| JsValue::from_str(why.as_str())),
    );
    Ok(o.into())
}

/// A stateful run for animation: `new Run(spec)`, then `step(n)` and read views.
#[wasm_bindgen]
pub struct Run {
    inner: run::Run,
    /// Total steps this handle may take (`spec.steps`, or the history cap).
    cap: usize,
    inspect: Vec<f64>,
}

#[wasm_bindgen]
impl Run {
    /// Same spec as `trajectory`; `steps` is optional here and caps the run.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TrajectorySpec")] spec: JsValue,
    ) -> Result<Run, JsError> {
        let v = spec_val(spec, "spec")?;
        let max = run::MAX_HISTORY - 1;
        let s = spec::trajectory(&v, Some(max), max).map_err(spec_err)?;
        Ok(Run {
            inner: run::Run::new(&s),
            cap: s.steps,
            inspect: Vec::new(),
        })
    }

    /// Advance up to `n` steps; returns how many were taken (0 once stopped or at the cap).
    pub fn step(&mut self, n: u32) -> u32 {
        let room = self.cap.saturating_sub(self.inner.steps());
        self.inner.advance((n as usize).min(room)) as u32
    }

    /// Number of points so far (1 + steps taken, or 0 if the start itself is not finite).
    #[wasm_bindgen(getter)]
    pub fn len(&self) -> u32 {
        self.inner.values().len() as u32
    }

    /// True when not even the start point is finite.
    #[wasm_bindgen(getter)]
    pub fn is_empty(&self) -> bool {
        self.inner.values().is_empty()
    }

    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> u32 {
        self.inner.steps() as u32
    }

    /// View of `[x0, y0, x1, y1, ...]`.
    pub fn points(&self) -> Float64Array {
        // SAFETY: a view into memory owned by self; valid until the next allocation in wasm.
        unsafe { Float64Array::view(self.inner.points()) }
    }

    /// View of f at each point.
    pub fn values(&self) -> Float64Array {
        // SAFETY: as in `points`.
        unsafe { Float64Array::view(self.inner.values()) }
    }

    /// View of the lr used by each step.
    pub fn lrs(&self) -> Float64Array {
        // SAFETY: as in `points`.
        unsafe { Float64Array::view(self.inner.lrs()) }
    }

    #[wasm_bindgen(getter)]
    pub fn diverged_at_step(&self) -> Option<u32> {
        self.inner.diverged().map(|(k, _)| k as u32)
    }

    #[wasm_bindgen(getter)]
    pub fn diverged_reason(&self) -> Option<String> {
        self.inner.diverged().map(|(_, r)| r.as_str().to_string())
    }

    /// Current point [x, y, f].
    pub fn current(&self) -> Vec<f64> {
        let [x, y] = self.inner.position();
        vec![x, y, self.inner.current().value]
    }

    /// `{grad, update, lr, <optimizer state by PyTorch name>, m_hat, v_hat, …}` as views of one
    /// internal buffer, refreshed by this call.
    #[wasm_bindgen(unchecked_return_type = "Record<string, Float64Array>")]
    pub fn state(&mut self) -> Object {
        let named = self.inner.inspect();
        self.inspect.clear();
        let mut spans = Vec::with_capacity(named.len());
        for (name, v) in &named {
            spans.push((*name, self.inspect.len(), v.len()));
            self.inspect.extend_from_slice(v);
        }
        // SAFETY: as in `points`; no allocation happens between taking the view and returning.
        let all = unsafe { Float64Array::view(&self.inspect) };
        let o = Object::new();
        for (name, at, n) in spans {
            set(&o, name, &all.subarray(at as u32, (at + n) as u32).into());
        }
        o
    }
}

/// A landscape handle: values, exact gradients and Hessians, grids and heatmaps.
#[wasm_bindgen]
pub struct Landscape {
    inner: landscape::Landscape,
    canvas: Canvas,
}

#[wasm_bindgen]
impl Landscape {
    /// `"rosenbrock"`, `{name: "quadratic", a, b, angle}` or `{expression: "..."}`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "LandscapeSpec")] spec: JsValue,
    ) -> Result<Landscape, JsError> {
        let v = spec_val(spec, "landscape")?;
        let inner = spec::landscape(&v, "landscape").map_err(spec_err)?;
        Ok(Landscape {
            inner,
            canvas: Canvas::default(),
        })
    }

    pub fn value(&self, x: f64, y: f64) -> f64 {
        self.inner.value(x, y)
    }

    /// [∂f/∂x, ∂f/∂y] by automatic differentiation.
    pub fn gradient(&self, x: f64, y: f64) -> Vec<f64> {
        self.inner.eval2(x, y).grad.to_vec()
    }

    /// [∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y²] by automatic differentiation.
    pub fn hessian(&self, x: f64, y: f64) -> Vec<f64> {
        self.inner.eval2(x, y).hessian.to_vec()
    }

    /// Metadata (same shape as an entry of `landscapes()`).
    #[wasm_bindgen(unchecked_return_type = "LandscapeMeta")]
    pub fn info(&self) -> Result<JsValue, JsError> {
        to_js(&meta::LandscapeMeta::from(self.inner.info()))
    }

    /// f on an nx × ny grid, row-major, row j at y0 + j (y1 − y0)/(ny − 1): a Float32Array view.
    pub fn grid(
        &mut self,
        nx: u32,
        ny: u32,
        x0: f64,
        x1: f64,
        y0: f64,
        y1: f64,
    ) -> Result<Float32Array, JsError> {
        let r = rect(nx, ny, x0, x1, y0, y1)?;
        grid::sample(
            &self.inner,
            nx as usize,
            ny as usize,
            r,
            false,
            &mut self.canvas.values,
        );
        // SAFETY: view of our own buffer, returned immediately.
        Ok(unsafe { Float32Array::view(&self.canvas.values) })
    }

    /// RGBA heatmap with contour lines, row 0 at the top (y1): a Uint8ClampedArray view ready
    /// for `new ImageData(view, nx, ny)`. `scale`: "linear" | "log"; `colormap`: "viridis" |
    /// "cividis" | "magma"; `levels`: number of contour bands (0 = no lines, at most 64).
    #[allow(clippy::too_many_arguments)]
    pub fn render(
        &mut self,
        nx: u32,
        ny: u32,
        x0: f64,
        x1: f64,
        y0: f64,
        y1: f64,
        scale: &str,
        colormap: &str,
        levels: u32,
    ) -> Result<Uint8ClampedArray, JsError> {
        let r = rect(nx, ny, x0, x1, y0, y1)?;
        let opts = render_options(scale, colormap, levels)?;
        self.canvas
            .render(&self.inner, nx as usize, ny as usize, r, opts);
        // SAFETY: view of our own buffer, returned immediately.
        Ok(unsafe { Uint8ClampedArray::view(self.canvas.rgba_bytes()) })
    }

    /// Contour level values of the last render (ascending).
    pub fn levels(&self) -> Float64Array {
        Float64Array::from(&self.canvas.levels[..])
    }

    /// Newton's local quadratic model at (x, y): [d₀, d₁, λ₁, λ₂, e₀, e₁] — the full Newton step
    /// d = −H⁻¹g (solved as the Newton optimizer solves it), the Hessian's eigenvalues λ₁ ≥ λ₂
    /// and the unit eigenvector e of λ₁; empty where H is singular or not finite.
    #[wasm_bindgen(js_name = newtonModel)]
    pub fn newton_model(&self, x: f64, y: f64) -> Vec<f64> {
        let e = self.inner.eval2(x, y);
        match crate::optim::newton::solve2(e.hessian, e.grad) {
            Some(d) if d.iter().all(|v| v.is_finite()) => {
                let ([l1, l2], [ex, ey]) = crate::optim::newton::eig2(e.hessian);
                vec![-d[0], -d[1], l1, l2, ex, ey]
            }
            _ => Vec::new(),
        }
    }

    /// F(x, y) as torch source in tensors `x` and `y`, printed by the landscape's own formula
    /// (`landscape::torch`): what an exported script evaluates. A data landscape has none.
    pub fn torch(&self) -> Result<String, JsError> {
        crate::landscape::torch::torch_source(&self.inner).map_err(|e| JsError::new(&e))
    }

    /// The value range [min, max] the last render mapped onto the colour map (what its colour
    /// bar shows); empty when it had no finite value.
    pub fn range(&self) -> Float64Array {
        match self.canvas.range {
            Some((lo, hi)) => Float64Array::from(&[f64::from(lo), f64::from(hi)][..]),
            None => Float64Array::new_with_length(0),
        }
    }
}

/// A basin-of-attraction map, computed in slices: `new Basins(spec, nx, ny, x0, x1, y0, y1)`,
/// then `advance(budget)` from animation frames until `done`.
#[wasm_bindgen]
pub struct Basins {
    inner: crate::basins::Basins,
}

#[wasm_bindgen]
impl Basins {
    /// `spec` as for `trajectory` (its `start` is ignored); cells on an nx × ny grid, row 0 at y1.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TrajectorySpec")] spec: JsValue,
        nx: u32,
        ny: u32,
        x0: f64,
        x1: f64,
        y0: f64,
        y1: f64,
    ) -> Result<Basins, JsError> {
        let v = spec_val(spec, "spec")?;
        let s = spec::trajectory(&v, None, 20_000).map_err(spec_err)?;
        if !(1..=256).contains(&nx) || !(1..=256).contains(&ny) {
            return Err(JsError::new(&format!(
                "basins: nx and ny must be in [1, 256] (got {nx} × {ny})"
            )));
        }
        let r = rect(2, 2, x0, x1, y0, y1)?;
        Ok(Basins {
            inner: crate::basins::Basins::new(s, nx as usize, ny as usize, r),
        })
    }

    /// Run cells for about `budget` optimizer steps; returns the fraction done (0..1).
    pub fn advance(&mut self, budget: u32) -> f64 {
        self.inner.advance(budget as usize)
    }

    #[wasm_bindgen(getter)]
    pub fn done(&self) -> bool {
        self.inner.done()
    }

    /// View: per cell the index of its basin (into `centers()`), −1 not converged, −2 diverged,
    /// −3 not computed yet.
    pub fn labels(&self) -> Int32Array {
        // SAFETY: view of our own buffer, returned immediately.
        unsafe { Int32Array::view(self.inner.labels()) }
    }

    /// [x, y, f, ...] of the stationary points found (the landscape's minima first).
    pub fn centers(&self) -> Float64Array {
        let flat: Vec<f64> = self
            .inner
            .centers()
            .iter()
            .flat_map(|p| [p.x, p.y, p.f])
            .collect();
        Float64Array::from(&flat[..])
    }

    /// View: RGBA per cell (row 0 at the top), for `new ImageData(view, nx, ny)`.
    pub fn rgba(&self) -> Uint8ClampedArray {
        // SAFETY: view of our own buffer, returned immediately.
        unsafe { Uint8ClampedArray::view(self.inner.rgba_bytes()) }
    }
}

fn opt_num(v: Option<usize>) -> JsValue {
    v.map_or(JsValue::NULL, |k| JsValue::from_f64(k as f64))
}

/// The basin map's colours as CSS: `[basin 1, basin 2, …]` (repeating past the last), then the
/// colour of the starts that did not converge — for the legend and the minima's markers.
#[wasm_bindgen(js_name = basinColors)]
pub fn basin_colors() -> Vec<String> {
    crate::basins::PALETTE
        .iter()
        .chain([&crate::basins::GREY])
        .map(|c| format!("#{c:06X}"))
        .collect()
}
