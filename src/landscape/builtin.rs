//! The named test functions. Each formula is written exactly once, in [`Builtin::eval`], in the
//! same operation order as ../shared/reference/README.md writes it for torch, so f64 values agree
//! with the reference to the last bits.

use super::{refine_stationary, Info, Landscape, ParamInfo, Point, Scale};
use crate::real::Real;
use std::f64::consts::{E, PI};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Quadratic,
    Rosenbrock,
    Beale,
    Himmelblau,
    Saddle,
    MonkeySaddle,
    Rastrigin,
    Booth,
    SixHumpCamel,
    ThreeHumpCamel,
    GoldsteinPrice,
    Ackley,
    StyblinskiTang,
}

/// A tunable parameter of a landscape: (name, default, min, max).
pub type ParamDef = (&'static str, f64, f64, f64);

/// Static description of a named landscape. Minima and saddles are approximate here and are
/// polished by Newton's method when [`Builtin::info`] is asked for.
pub struct Def {
    pub kind: Kind,
    pub name: &'static str,
    pub label: &'static str,
    pub formula: &'static str,
    pub params: &'static [ParamDef],
    pub domain: [f64; 4],
    pub scale: Scale,
    pub minima: &'static [[f64; 2]],
    pub saddles: &'static [[f64; 2]],
    pub starts: &'static [[f64; 2]],
}

pub const BUILTINS: &[Def] = &[
    Def {
        kind: Kind::Quadratic,
        name: "quadratic",
        label: "Quadratic bowl / long valley",
        formula: "f(x, y) = ½ (a·u² + b·v²),  (u, v) = (x, y) rotated by angle: u = x cos θ + y sin θ, v = −x sin θ + y cos θ",
        params: &[("a", 1.0, 0.01, 100.0), ("b", 10.0, 0.01, 100.0), ("angle", 0.0, -180.0, 180.0)],
        domain: [-2.5, 2.5, -2.0, 2.0],
        scale: Scale::Log,
        minima: &[[0.0, 0.0]],
        saddles: &[],
        starts: &[[-2.0, 1.5], [2.0, 1.0], [-1.0, -1.8]],
    },
    Def {
        kind: Kind::Rosenbrock,
        name: "rosenbrock",
        label: "Rosenbrock's banana valley",
        formula: "f(x, y) = (a − x)² + b (y − x²)²",
        params: &[("a", 1.0, -3.0, 3.0), ("b", 100.0, 0.1, 1000.0)],
        domain: [-2.0, 2.0, -1.0, 3.0],
        scale: Scale::Log,
        minima: &[[1.0, 1.0]],
        saddles: &[],
        starts: &[[-1.5, 2.0], [-1.0, 0.0], [0.0, 2.5]],
    },
    Def {
        kind: Kind::Beale,
        name: "beale",
        label: "Beale's function",
        formula: "f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
        params: &[],
        domain: [-4.5, 4.5, -4.5, 4.5],
        scale: Scale::Log,
        minima: &[[3.0, 0.5]],
        saddles: &[[0.0, 1.0]],
        starts: &[[1.0, 1.5], [-3.5, 3.8], [2.5, -3.5]],
    },
    Def {
        kind: Kind::Himmelblau,
        name: "himmelblau",
        label: "Himmelblau's function (four minima)",
        formula: "f(x, y) = (x² + y − 11)² + (x + y² − 7)²",
        params: &[],
        domain: [-5.0, 5.0, -5.0, 5.0],
        scale: Scale::Log,
        minima: &[[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]],
        saddles: &[[0.086677, 2.884255], [3.385154, 0.073852], [-0.127961, -1.953715], [-3.073026, -0.081353]],
        starts: &[[0.0, 0.0], [-0.27, -0.92], [-4.5, 0.5]],
    },
    Def {
        kind: Kind::Saddle,
        name: "saddle",
        label: "Saddle point",
        formula: "f(x, y) = x² − y²",
        params: &[],
        domain: [-2.0, 2.0, -2.0, 2.0],
        scale: Scale::Linear,
        minima: &[],
        saddles: &[[0.0, 0.0]],
        starts: &[[-1.8, 1e-3], [-1.8, 0.2], [1.5, -0.05]],
    },
    Def {
        kind: Kind::MonkeySaddle,
        name: "monkey_saddle",
        label: "Monkey saddle",
        formula: "f(x, y) = x³ − 3xy²",
        params: &[],
        domain: [-2.0, 2.0, -2.0, 2.0],
        scale: Scale::Linear,
        minima: &[],
        saddles: &[[0.0, 0.0]],
        starts: &[[1.5, 0.1], [-1.0, 1.2], [0.5, -1.5]],
    },
    Def {
        kind: Kind::Rastrigin,
        name: "rastrigin",
        label: "Rastrigin's function (many local minima)",
        formula: "f(x, y) = 2A + (x² − A cos 2πx) + (y² − A cos 2πy)",
        params: &[("A", 10.0, 0.0, 50.0)],
        domain: [-5.12, 5.12, -5.12, 5.12],
        scale: Scale::Linear,
        minima: &[[0.0, 0.0]],
        saddles: &[],
        starts: &[[-4.2, 4.3], [2.2, -1.8], [0.4, 0.45]],
    },
    Def {
        kind: Kind::Booth,
        name: "booth",
        label: "Booth's function",
        formula: "f(x, y) = (x + 2y − 7)² + (2x + y − 5)²",
        params: &[],
        domain: [-10.0, 10.0, -10.0, 10.0],
        scale: Scale::Log,
        minima: &[[1.0, 3.0]],
        saddles: &[],
        starts: &[[-8.0, -8.0], [8.0, 8.0], [-8.0, 8.0]],
    },
    Def {
        kind: Kind::SixHumpCamel,
        name: "six_hump_camel",
        label: "Six-hump camel",
        formula: "f(x, y) = (4 − 2.1x² + x⁴/3) x² + xy + (−4 + 4y²) y²",
        params: &[],
        domain: [-2.5, 2.5, -1.5, 1.5],
        scale: Scale::Log,
        minima: &[[0.0898, -0.7126], [-0.0898, 0.7126], [1.7036, -0.7961], [-1.7036, 0.7961], [1.6071, 0.5687], [-1.6071, -0.5687]],
        saddles: &[[0.0, 0.0]],
        starts: &[[-2.0, -1.2], [1.0, 1.0], [2.2, 0.0]],
    },
    Def {
        kind: Kind::ThreeHumpCamel,
        name: "three_hump_camel",
        label: "Three-hump camel",
        formula: "f(x, y) = 2x² − 1.05x⁴ + x⁶/6 + xy + y²",
        params: &[],
        domain: [-2.5, 2.5, -2.5, 2.5],
        scale: Scale::Log,
        minima: &[[0.0, 0.0], [1.7476, -0.8738], [-1.7476, 0.8738]],
        saddles: &[[1.0705, -0.5352], [-1.0705, 0.5352]],
        starts: &[[2.0, 1.5], [-2.2, -2.0], [-1.0, 2.0]],
    },
    Def {
        kind: Kind::GoldsteinPrice,
        name: "goldstein_price",
        label: "Goldstein–Price",
        formula: "f(x, y) = [1 + (x + y + 1)² (19 − 14x + 3x² − 14y + 6xy + 3y²)] · [30 + (2x − 3y)² (18 − 32x + 12x² + 48y − 36xy + 27y²)]",
        params: &[],
        domain: [-2.0, 2.0, -3.0, 1.0],
        scale: Scale::Log,
        minima: &[[0.0, -1.0], [-0.6, -0.4], [1.8, 0.2], [1.2, 0.8]],
        saddles: &[],
        starts: &[[-1.5, 0.5], [1.5, -2.5], [0.5, 0.5]],
    },
    Def {
        kind: Kind::Ackley,
        name: "ackley",
        label: "Ackley's function",
        formula: "f(x, y) = −20 exp(−0.2 √(0.5 (x² + y²))) − exp(0.5 (cos 2πx + cos 2πy)) + e + 20",
        params: &[],
        domain: [-5.0, 5.0, -5.0, 5.0],
        scale: Scale::Linear,
        minima: &[[0.0, 0.0]],
        saddles: &[],
        starts: &[[-4.0, 3.5], [2.5, -2.2], [0.6, 0.4]],
    },
    Def {
        kind: Kind::StyblinskiTang,
        name: "styblinski_tang",
        label: "Styblinski–Tang",
        formula: "f(x, y) = ½ [(x⁴ − 16x² + 5x) + (y⁴ − 16y² + 5y)]",
        params: &[],
        domain: [-5.0, 5.0, -5.0, 5.0],
        scale: Scale::Linear,
        minima: &[[-2.903534, -2.903534], [2.746803, -2.903534], [-2.903534, 2.746803], [2.746803, 2.746803]],
        saddles: &[[0.156731, -2.903534], [-2.903534, 0.156731], [0.156731, 2.746803], [2.746803, 0.156731]],
        starts: &[[0.3, 0.3], [4.5, 4.5], [-0.5, 4.8]],
    },
];

/// A computation over a formula `f(x, y)` (see [`Builtin::specialize`]).
pub trait Specialized<T, R> {
    fn run(self, f: impl Fn(T, T) -> T) -> R;
}

/// A named landscape with its parameter values (in the order of its [`Def::params`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Builtin {
    pub kind: Kind,
    pub p: [f64; 3],
    /// cos θ, sin θ of the quadratic's rotation (precomputed).
    rot: (f64, f64),
}

impl Builtin {
    /// `values[i]` overrides the i-th parameter's default; values must already be validated.
    pub fn new(def: &Def, values: &[Option<f64>]) -> Builtin {
        let mut p = [0.0; 3];
        for (i, &(_, default, _, _)) in def.params.iter().enumerate() {
            p[i] = values.get(i).copied().flatten().unwrap_or(default);
        }
        let rot = if def.kind == Kind::Quadratic {
            let th = p[2].to_radians();
            (th.cos(), th.sin())
        } else {
            (1.0, 0.0)
        };
        Builtin {
            kind: def.kind,
            p,
            rot,
        }
    }

    pub fn by_name(name: &str) -> Option<Builtin> {
        BUILTINS
            .iter()
            .find(|d| d.name == name)
            .map(|d| Builtin::new(d, &[]))
    }

    pub fn def(&self) -> &'static Def {
        // Every Kind has exactly one entry (tested); fall back to the first otherwise.
        BUILTINS
            .iter()
            .find(|d| d.kind == self.kind)
            .unwrap_or(&BUILTINS[0])
    }

    #[inline]
    pub fn eval<T: Real>(&self, x: T, y: T) -> T {
        self.eval_kind(self.kind, x, y)
    }

    /// The formulas. `kind` is passed separately so a caller that knows it at compile time (the
    /// grid loop, via [`Builtin::specialize`]) gets the match folded away.
    #[inline(always)]
    pub fn eval_kind<T: Real>(&self, kind: Kind, x: T, y: T) -> T {
        let c = T::cst;
        match kind {
            Kind::Quadratic => {
                let (a, b) = (self.p[0], self.p[1]);
                let (u, v) = if self.p[2] == 0.0 {
                    (x, y)
                } else {
                    let (cs, sn) = self.rot;
                    (c(cs) * x + c(sn) * y, c(-sn) * x + c(cs) * y)
                };
                c(0.5) * (c(a) * u.powi(2) + c(b) * v.powi(2))
            }
            Kind::Rosenbrock => {
                let (a, b) = (self.p[0], self.p[1]);
                (c(a) - x).powi(2) + c(b) * (y - x.powi(2)).powi(2)
            }
            Kind::Beale => {
                (c(1.5) - x + x * y).powi(2)
                    + (c(2.25) - x + x * y.powi(2)).powi(2)
                    + (c(2.625) - x + x * y.powi(3)).powi(2)
            }
            Kind::Himmelblau => {
                (x.powi(2) + y - c(11.0)).powi(2) + (x + y.powi(2) - c(7.0)).powi(2)
            }
            Kind::Saddle => x.powi(2) - y.powi(2),
            Kind::MonkeySaddle => x.powi(3) - c(3.0) * x * y.powi(2),
            Kind::Rastrigin => {
                let a = self.p[0];
                c(2.0 * a)
                    + (x.powi(2) - c(a) * (c(2.0 * PI) * x).cos())
                    + (y.powi(2) - c(a) * (c(2.0 * PI) * y).cos())
            }
            Kind::Booth => (x + c(2.0) * y - c(7.0)).powi(2) + (c(2.0) * x + y - c(5.0)).powi(2),
            Kind::SixHumpCamel => {
                (c(4.0) - c(2.1) * x.powi(2) + x.powi(4) / c(3.0)) * x.powi(2)
                    + x * y
                    + (c(-4.0) + c(4.0) * y.powi(2)) * y.powi(2)
            }
            Kind::ThreeHumpCamel => {
                c(2.0) * x.powi(2) - c(1.05) * x.powi(4) + x.powi(6) / c(6.0) + x * y + y.powi(2)
            }
            Kind::GoldsteinPrice => {
                let s = x + y + c(1.0);
                let t = c(19.0) - c(14.0) * x + c(3.0) * x.powi(2) - c(14.0) * y
                    + c(6.0) * x * y
                    + c(3.0) * y.powi(2);
                let u = c(2.0) * x - c(3.0) * y;
                let w = c(18.0) - c(32.0) * x + c(12.0) * x.powi(2) + c(48.0) * y - c(36.0) * x * y
                    + c(27.0) * y.powi(2);
                (c(1.0) + s.powi(2) * t) * (c(30.0) + u.powi(2) * w)
            }
            Kind::Ackley => {
                let r = (c(0.5) * (x.powi(2) + y.powi(2))).sqrt();
                let q = c(0.5) * ((c(2.0 * PI) * x).cos() + (c(2.0 * PI) * y).cos());
                c(-20.0) * (c(-0.2) * r).exp() - q.exp() + c(E) + c(20.0)
            }
            Kind::StyblinskiTang => {
                c(0.5)
                    * ((x.powi(4) - c(16.0) * x.powi(2) + c(5.0) * x)
                        + (y.powi(4) - c(16.0) * y.powi(2) + c(5.0) * y))
            }
        }
    }

    /// Call `go` with this landscape's formula as a closure whose kind is a compile-time
    /// constant, so hot loops are monomorphized per landscape.
    #[inline(always)]
    pub fn specialize<T: Real, R>(&self, go: impl Specialized<T, R>) -> R {
        macro_rules! arms {
            ($($k:ident),*) => {
                match self.kind {
                    $(Kind::$k => go.run(|x: T, y: T| self.eval_kind(Kind::$k, x, y)),)*
                }
            };
        }
        arms!(
            Quadratic,
            Rosenbrock,
            Beale,
            Himmelblau,
            Saddle,
            MonkeySaddle,
            Rastrigin,
            Booth,
            SixHumpCamel,
            ThreeHumpCamel,
            GoldsteinPrice,
            Ackley,
            StyblinskiTang
        )
    }

    pub fn info(&self) -> Info {
        let def = self.def();
        let l = Landscape::Builtin(self.clone());
        let polish = |pts: &[[f64; 2]]| -> Vec<Point> {
            pts.iter()
                .map(|&[x0, y0]| {
                    let [x, y] = self
                        .known_point(x0, y0)
                        .unwrap_or_else(|| refine_stationary(&l, x0, y0));
                    Point {
                        x,
                        y,
                        f: l.value(x, y),
                    }
                })
                .collect()
        };
        let mut minima = polish(def.minima);
        if self.kind == Kind::Rastrigin && self.p[0] == 0.0 {
            minima.truncate(1);
        }
        Info {
            name: def.name.into(),
            label: def.label.into(),
            formula: def.formula.into(),
            domain: def.domain,
            scale: def.scale,
            minima,
            saddles: polish(def.saddles),
            starts: def.starts.to_vec(),
            params: def
                .params
                .iter()
                .enumerate()
                .map(|(i, &(name, default, min, max))| ParamInfo {
                    name,
                    default,
                    min,
                    max,
                    value: self.p[i],
                })
                .collect(),
        }
    }

    /// Stationary points known in closed form (parameter-dependent ones, and degenerate ones
    /// where Newton's method cannot polish).
    fn known_point(&self, x0: f64, y0: f64) -> Option<[f64; 2]> {
        match self.kind {
            Kind::Rosenbrock => Some([self.p[0], self.p[0] * self.p[0]]),
            Kind::Quadratic
            | Kind::Saddle
            | Kind::MonkeySaddle
            | Kind::Rastrigin
            | Kind::Ackley => Some([x0, y0]),
            Kind::SixHumpCamel | Kind::ThreeHumpCamel | Kind::Beale
                if x0 == 0.0 && y0.fract() == 0.0 =>
            {
                Some([x0, y0])
            }
            Kind::GoldsteinPrice if (x0, y0) == (0.0, -1.0) => Some([x0, y0]),
            _ => None,
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_definition() {
        for d in BUILTINS {
            assert_eq!(
                BUILTINS.iter().filter(|e| e.kind == d.kind).count(),
                1,
                "{}",
                d.name
            );
            assert_eq!(Builtin::new(d, &[]).def().name, d.name);
        }
    }

    #[test]
    fn reference_formulas_values() {
        // Values computed by hand from the reference README's formulas.
        let q = Builtin::by_name("quadratic").unwrap();
        assert_eq!(q.eval(-2.0, 1.5), 0.5 * (4.0 + 10.0 * 2.25));
        let r = Builtin::by_name("rosenbrock").unwrap();
        assert_eq!(
            r.eval(-1.5, 2.0),
            2.5f64.powi(2) + 100.0 * (2.0f64 - 2.25).powi(2)
        );
        let b = Builtin::by_name("goldstein_price").unwrap();
        assert_eq!(b.eval(0.0, -1.0), 3.0);
        let a = Builtin::by_name("ackley").unwrap();
        assert!(a.eval(0.0, 0.0).abs() < 1e-15);
    }
}
