//! Landscapes built from real data: least-squares linear regression ŷ = w·x + b on a bundled
//! data set, with the two parameters (w, b) as the point that moves. The full-data loss is the
//! surface; an optimizer with a batch size really samples mini-batches (see `crate::run`), so
//! students see SGD's noise shrink as the batch grows.
//!
//! L_B(w, b) = (1/|B|) Σ_{i∈B} (w xᵢ + b − yᵢ)² (PyTorch's `MSELoss`, mean reduction), written once
//! through the batch moments: L = w²⟨x²⟩ + 2wb⟨x⟩ + b² − 2w⟨xy⟩ − 2b⟨y⟩ + ⟨y²⟩.

use super::{Info, ParamInfo, Point, Scale};
use crate::real::Real;

/// Iris (Fisher 1936; UCI, CC BY 4.0), as exported by scikit-learn: www/data/iris.csv.
const IRIS_CSV: &str = include_str!("../../www/data/iris.csv");

/// Means over a batch: ⟨x²⟩, ⟨x⟩, ⟨xy⟩, ⟨y⟩, ⟨y²⟩.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Moments {
    pub xx: f64,
    pub x: f64,
    pub xy: f64,
    pub y: f64,
    pub yy: f64,
}

impl Moments {
    pub fn of(xs: &[f64], ys: &[f64], idx: &[usize]) -> Moments {
        let mut m = Moments::default();
        for &i in idx {
            let (x, y) = (xs[i], ys[i]);
            m.xx += x * x;
            m.x += x;
            m.xy += x * y;
            m.y += y;
            m.yy += y * y;
        }
        let n = idx.len().max(1) as f64;
        Moments {
            xx: m.xx / n,
            x: m.x / n,
            xy: m.xy / n,
            y: m.y / n,
            yy: m.yy / n,
        }
    }

    /// The batch loss at (w, b).
    #[inline]
    pub fn loss<T: Real>(&self, w: T, b: T) -> T {
        let c = T::cst;
        c(self.xx) * w * w + c(2.0 * self.x) * w * b + b * b
            - c(2.0 * self.xy) * w
            - c(2.0 * self.y) * b
            + c(self.yy)
    }

    /// The least-squares solution (w*, b*).
    pub fn solution(&self) -> [f64; 2] {
        let var = self.xx - self.x * self.x;
        let w = (self.xy - self.x * self.y) / var;
        [w, self.y - w * self.x]
    }
}

pub struct DataDef {
    pub name: &'static str,
    pub label: &'static str,
    /// The bundled CSV it reads, under www/ (the same bytes are compiled in).
    pub csv: &'static str,
    pub source: &'static str,
    pub x_column: &'static str,
    pub y_column: &'static str,
    /// The columns' names for axes and exports.
    pub x_label: &'static str,
    pub y_label: &'static str,
    /// The same data with x standardized (or not): the lab's "standardize x" switch.
    pub twin: &'static str,
    /// Standardize x to zero mean and unit variance first (the lecture's input normalization).
    pub standardize: bool,
    pub domain: [f64; 4],
    pub starts: &'static [[f64; 2]],
}

const IRIS_SOURCE: &str = "Iris (Fisher 1936; UCI, CC BY 4.0), as exported by scikit-learn";

/// ε of the standardization x̂ = (x − μ)/√(σ² + ε).
pub const STANDARDIZE_EPS: f64 = 1e-5;

pub const DATA_LANDSCAPES: &[DataDef] = &[
    DataDef {
        name: "iris_petals",
        label: "Iris: petal width from petal length (raw x)",
        csv: "data/iris.csv",
        source: IRIS_SOURCE,
        x_column: "petal_length_(cm)",
        y_column: "petal_width_(cm)",
        x_label: "petal length (cm)",
        y_label: "petal width (cm)",
        twin: "iris_petals_standardized",
        standardize: false,
        domain: [-1.0, 1.8, -3.0, 3.0],
        starts: &[[-0.8, 2.5], [1.5, -2.5], [1.6, 2.0]],
    },
    DataDef {
        name: "iris_petals_standardized",
        label: "Iris: petal width from standardized petal length",
        csv: "data/iris.csv",
        source: IRIS_SOURCE,
        x_column: "petal_length_(cm)",
        y_column: "petal_width_(cm)",
        x_label: "petal length (cm)",
        y_label: "petal width (cm)",
        twin: "iris_petals",
        standardize: true,
        domain: [-2.0, 3.0, -1.5, 3.5],
        starts: &[[-1.5, 3.0], [2.5, -1.0], [2.5, 3.0]],
    },
];

/// A regression data set as a landscape over (w, b).
#[derive(Clone, Debug, PartialEq)]
pub struct Regression {
    pub name: &'static str,
    /// x as the CSV has it, before any standardization.
    pub raw_xs: Vec<f64>,
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    pub full: Moments,
    def_index: usize,
}

/// The named feature columns of a bundled CSV, read by the data sets' one parser
/// (`data::parse_csv`).
fn columns(csv: &str, x: &str, y: &str) -> Option<(Vec<f64>, Vec<f64>)> {
    let d = crate::data::parse_csv(csv).ok()?;
    let column = |name: &str| -> Option<Vec<f64>> {
        let j = d.features.iter().position(|f| f == name)?;
        Some(d.x.iter().skip(j).step_by(d.dim).copied().collect())
    };
    Some((column(x)?, column(y)?))
}

impl Regression {
    pub fn by_name(name: &str) -> Option<Regression> {
        let def_index = DATA_LANDSCAPES.iter().position(|d| d.name == name)?;
        let d = &DATA_LANDSCAPES[def_index];
        let (raw_xs, ys) = columns(IRIS_CSV, d.x_column, d.y_column)?;
        let mut xs = raw_xs.clone();
        if d.standardize {
            // x̂ = (x − μ)/√(σ² + ε) with the data set's mean and (biased) variance, ε = 1e-5.
            let n = xs.len() as f64;
            let mu = xs.iter().sum::<f64>() / n;
            let var = xs.iter().map(|x| (x - mu) * (x - mu)).sum::<f64>() / n;
            let s = (var + STANDARDIZE_EPS).sqrt();
            xs.iter_mut().for_each(|x| *x = (*x - mu) / s);
        }
        let all: Vec<usize> = (0..xs.len()).collect();
        let full = Moments::of(&xs, &ys, &all);
        Some(Regression {
            name: d.name,
            raw_xs,
            xs,
            ys,
            full,
            def_index,
        })
    }

    pub fn len(&self) -> usize {
        self.xs.len()
    }

    /// Its registry entry.
    pub fn def(&self) -> &'static DataDef {
        &DATA_LANDSCAPES[self.def_index]
    }

    pub fn is_empty(&self) -> bool {
        self.xs.is_empty()
    }

    #[inline]
    pub fn eval<T: Real>(&self, w: T, b: T) -> T {
        self.full.loss(w, b)
    }

    pub fn info(&self) -> Info {
        let d = &DATA_LANDSCAPES[self.def_index];
        let [w, b] = self.full.solution();
        let xname = if d.standardize {
            "standardized petal length"
        } else {
            "petal length (cm)"
        };
        Info {
            name: d.name.into(),
            label: d.label.into(),
            formula: format!(
                "L(w, b) = (1/n) Σᵢ (w·xᵢ + b − yᵢ)²,  n = {} iris flowers, x = {xname}, y = petal width (cm); the point is (w, b)",
                self.len()
            ),
            domain: d.domain,
            scale: Scale::Log,
            minima: vec![Point { x: w, y: b, f: self.full.loss(w, b) }],
            saddles: vec![],
            starts: d.starts.to_vec(),
            params: Vec::<ParamInfo>::new(),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::real::Dual2;

    #[test]
    fn moments_loss_equals_the_direct_mean_of_squared_residuals() {
        let r = Regression::by_name("iris_petals").unwrap();
        assert_eq!(r.len(), 150);
        for (w, b) in [(0.4, -0.3), (-1.0, 2.0), (1.7, 0.1)] {
            let direct =
                r.xs.iter()
                    .zip(&r.ys)
                    .map(|(x, y)| (w * x + b - y).powi(2))
                    .sum::<f64>()
                    / 150.0;
            assert!(
                (r.eval(w, b) - direct).abs() < 1e-12 * direct.max(1.0),
                "({w}, {b})"
            );
        }
        // A sub-batch: the same identity with the batch's moments.
        let idx = [3, 17, 99, 120];
        let m = Moments::of(&r.xs, &r.ys, &idx);
        let direct = idx
            .iter()
            .map(|&i| (0.5 * r.xs[i] - 0.2 - r.ys[i]).powi(2))
            .sum::<f64>()
            / 4.0;
        assert!((m.loss(0.5, -0.2) - direct).abs() < 1e-12);
    }

    #[test]
    fn the_minimum_is_the_least_squares_fit() {
        for d in DATA_LANDSCAPES {
            let r = Regression::by_name(d.name).unwrap();
            let [w, b] = r.full.solution();
            let g = r.eval(Dual2::var_x(w), Dual2::var_y(b));
            assert!(
                g.gx.abs() < 1e-12 && g.gy.abs() < 1e-12,
                "{}: {:?}",
                d.name,
                g.grad()
            );
            let [x0, x1, y0, y1] = d.domain;
            assert!(
                (x0..x1).contains(&w) && (y0..y1).contains(&b),
                "{} minimum inside the domain",
                d.name
            );
        }
        // Standardized x: ⟨x⟩ = 0 and ⟨x²⟩ ≈ 1, so the Hessian is ≈ 2·I: round level curves.
        let s = Regression::by_name("iris_petals_standardized").unwrap();
        assert!(s.full.x.abs() < 1e-12 && (s.full.xx - 1.0).abs() < 1e-4);
    }
}
