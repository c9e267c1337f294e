//! 2-D loss landscapes: each formula is written once, generic over [`Real`], and evaluated as a
//! value (f64), with exact gradient and Hessian ([`Dual2`]), or four grid points at a time
//! ([`crate::simd::F32x4`]).

pub mod builtin;
pub mod data;
pub mod expr;
pub mod grid;
pub mod torch;

use crate::real::{Dual2, Real};
pub use builtin::{Builtin, BUILTINS};
pub use data::Regression;
pub use expr::{Expr, ExprError};
use std::sync::Arc;

/// A loss surface f(x, y).
#[derive(Clone, Debug, PartialEq)]
pub enum Landscape {
    Builtin(Builtin),
    Expression(Expr),
    /// Linear regression on a bundled data set (shared: the data is read-only).
    Data(Arc<Regression>),
}

/// Value, gradient and Hessian at one point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Eval {
    pub value: f64,
    pub grad: [f64; 2],
    /// (∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y²)
    pub hessian: [f64; 3],
}

impl Landscape {
    #[inline]
    pub fn eval<T: Real>(&self, x: T, y: T) -> T {
        match self {
            Landscape::Builtin(b) => b.eval(x, y),
            Landscape::Expression(e) => e.eval(x, y),
            Landscape::Data(d) => d.eval(x, y),
        }
    }

    /// A named landscape: a formula or a data set.
    pub fn by_name(name: &str) -> Option<Landscape> {
        Builtin::by_name(name)
            .map(Landscape::Builtin)
            .or_else(|| Regression::by_name(name).map(|r| Landscape::Data(Arc::new(r))))
    }

    /// Every name [`Landscape::by_name`] knows.
    pub fn names() -> impl Iterator<Item = &'static str> {
        BUILTINS
            .iter()
            .map(|d| d.name)
            .chain(data::DATA_LANDSCAPES.iter().map(|d| d.name))
    }

    pub fn value(&self, x: f64, y: f64) -> f64 {
        self.eval(x, y)
    }

    /// Value, gradient and Hessian by forward-mode automatic differentiation.
    pub fn eval2(&self, x: f64, y: f64) -> Eval {
        let d = self.eval(Dual2::var_x(x), Dual2::var_y(y));
        Eval {
            value: d.v,
            grad: d.grad(),
            hessian: d.hessian(),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Landscape::Builtin(b) => b.def().name,
            Landscape::Expression(_) => "expression",
            Landscape::Data(d) => d.name,
        }
    }

    /// Display metadata: formula, domain, known stationary points, colour scale, start points.
    pub fn info(&self) -> Info {
        match self {
            Landscape::Builtin(b) => b.info(),
            Landscape::Data(d) => d.info(),
            Landscape::Expression(e) => Info {
                name: "expression".into(),
                label: "Custom expression".into(),
                formula: format!("f(x, y) = {}", e.source),
                domain: [-5.0, 5.0, -5.0, 5.0],
                scale: Scale::Linear,
                minima: vec![],
                saddles: vec![],
                starts: vec![[-4.0, 4.0], [3.0, -3.5], [0.5, 0.5]],
                params: vec![],
            },
        }
    }
}

/// How a heatmap should map values to colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Linear,
    /// log10(f − f_min + δ): for surfaces spanning many decades (Rosenbrock, Beale, …).
    Log,
}

impl Scale {
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Linear => "linear",
            Scale::Log => "log",
        }
    }
    pub fn parse(s: &str) -> Option<Scale> {
        match s {
            "linear" => Some(Scale::Linear),
            "log" => Some(Scale::Log),
            _ => None,
        }
    }
}

/// A stationary point with its value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub f: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParamInfo {
    pub name: &'static str,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    pub value: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Info {
    pub name: String,
    pub label: String,
    pub formula: String,
    /// [xmin, xmax, ymin, ymax]
    pub domain: [f64; 4],
    pub scale: Scale,
    pub minima: Vec<Point>,
    pub saddles: Vec<Point>,
    pub starts: Vec<[f64; 2]>,
    pub params: Vec<ParamInfo>,
}

/// Polish an approximate stationary point with Newton's method on ∇f = 0 (exact Hessian), so
/// the listed minima and saddles are exact to machine precision, whatever the parameters.
pub fn refine_stationary(l: &Landscape, x: f64, y: f64) -> [f64; 2] {
    let (mut x, mut y) = (x, y);
    for _ in 0..50 {
        let e = l.eval2(x, y);
        let [a, b, c] = e.hessian;
        let det = a * c - b * b;
        if det == 0.0 || !det.is_finite() {
            break;
        }
        let dx = (c * e.grad[0] - b * e.grad[1]) / det;
        let dy = (a * e.grad[1] - b * e.grad[0]) / det;
        if !(dx.is_finite() && dy.is_finite()) || dx.abs() + dy.abs() > 1.0 {
            break;
        }
        x -= dx;
        y -= dy;
        if dx.abs() + dy.abs() < 1e-16 * (1.0 + x.abs() + y.abs()) {
            break;
        }
    }
    [x, y]
}
