//! The lecture's single unit h = g(w·x + b) on real data, and input normalization as a change of
//! variables. The input normalization lab runs here: the same model trained in four coordinate
//! systems, the curvature of its loss in each, and slices of that loss for the contour plots.
//!
//! - Coordinates: x̂ⱼ = (xⱼ − cⱼ)/sⱼ with cⱼ = μⱼ (centre) or 0 and sⱼ = √(σⱼ² + ε) (scale) or 1:
//!   [`Transform::Raw`] (c = 0, s = 1), `Center`, `Scale`, `Standardize` (both: the slide's
//!   x̂ = (x − μ)/√(σ² + ε)). μ and the biased σ² (divide by n, as on the slide and in
//!   `nn.BatchNorm1d`) come from the training split, or from all rows (`stats: "all"`, the leak).
//! - The model in those coordinates is ŵ·x̂ + b̂; the same function of x is w = ŵ/s,
//!   b = b̂ − Σⱼ ŵⱼcⱼ/sⱼ ([`Problem::to_raw`]): normalization changes the coordinates the
//!   optimizer moves in, not the model.
//! - Losses with PyTorch's names, mean reduction, labels 0/1: `logistic` = `BCEWithLogitsLoss`
//!   ℓ = max(z, 0) − z·y + log(1 + e^−|z|), Hessian E[σ(z)(1 − σ(z)) z̃z̃ᵀ] (z̃ = (x̂, 1));
//!   `linear` = `MSELoss` ℓ = (z − y)², Hessian 2·E[z̃z̃ᵀ].
//! - Curvature ([`Problem::curvature`]): the Hessian's eigenvalues λ₁ ≤ … ≤ λₙ and eigenvectors
//!   (Jacobi), κ = λₙ/λ₁ and the largest stable gradient-descent step 2/λₙ. For the logistic loss
//!   the Hessian at w = 0 (σ' = ¼) bounds it everywhere (σ' ≤ ¼), so a step below 2/λₙ(0)
//!   never overshoots; for MSE the Hessian is constant and a step above 2/λₙ diverges.

use crate::data::{self, Dataset};
use crate::nn::spec::{array, either, object, only_keys, short, string, unknown};
use crate::optim::{self, Optimizer};
use crate::real::Real;
use crate::rng::Rng;
use crate::simd::F32x4;
use crate::spec::Val;
use crate::spec::{self as sp, err, integer, number, SpecError};
use ndarray::{ArrayView2, Axis};

/// Most gradient steps one run may take.
pub const MAX_STEPS: usize = 100_000;
/// Most pixels per side of a loss slice.
pub const MAX_GRID: usize = 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transform {
    Raw,
    Center,
    Scale,
    Standardize,
}

impl Transform {
    pub const ALL: [Transform; 4] = [
        Transform::Raw,
        Transform::Center,
        Transform::Scale,
        Transform::Standardize,
    ];
    pub const NAMES: [&'static str; 4] = ["raw", "center", "scale", "standardize"];
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
    pub fn parse(s: &str) -> Option<Transform> {
        Self::NAMES
            .iter()
            .position(|n| *n == s)
            .map(|i| Self::ALL[i])
    }
    fn centers(self) -> bool {
        matches!(self, Transform::Center | Transform::Standardize)
    }
    fn scales(self) -> bool {
        matches!(self, Transform::Scale | Transform::Standardize)
    }
}

pub fn transform(v: &Val, field: &str) -> Result<Transform, SpecError> {
    let s = string(v, field)?;
    Transform::parse(s).map_or_else(|| unknown(field, "transform", s, &Transform::NAMES), Ok)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// σ(w·x + b) with `BCEWithLogitsLoss`.
    Logistic,
    /// w·x + b with `MSELoss`.
    Linear,
}

impl Model {
    pub const NAMES: [&'static str; 2] = ["logistic", "linear"];
    pub fn as_str(self) -> &'static str {
        match self {
            Model::Logistic => "logistic",
            Model::Linear => "linear",
        }
    }
    /// The model by name.
    pub fn parse(s: &str) -> Option<Model> {
        match s {
            "logistic" => Some(Model::Logistic),
            "linear" => Some(Model::Linear),
            _ => None,
        }
    }
    /// The network engine's loss this model's `loss_dz` computes (the same formula, mean over rows).
    pub fn loss(self) -> crate::nn::Loss {
        match self {
            Model::Logistic => crate::nn::Loss::BceWithLogits,
            Model::Linear => crate::nn::Loss::Mse,
        }
    }
    /// Loss and dℓ/dz at z for label y.
    #[inline]
    fn loss_dz(self, z: f64, y: f64) -> (f64, f64) {
        match self {
            Model::Logistic => (
                z.max(0.0) - z * y + (-z.abs()).exp().ln_1p(),
                crate::nn::activation::sigmoid(z) - y,
            ),
            Model::Linear => ((z - y) * (z - y), 2.0 * (z - y)),
        }
    }
    /// d²ℓ/dz² at z.
    #[inline]
    fn d2z(self, z: f64) -> f64 {
        match self {
            Model::Logistic => {
                let s = crate::nn::activation::sigmoid(z);
                s * (1.0 - s)
            }
            Model::Linear => 2.0,
        }
    }
}

/// The data of one problem, split, with the statistics of its training split and of all rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub dim: usize,
    pub features: Vec<String>,
    pub model: Model,
    pub eps: f64,
    /// Statistics from all rows instead of the training split (the leak the lab shows).
    pub leak: bool,
    pub x_train: Vec<f64>,
    pub y_train: Vec<f64>,
    pub x_val: Vec<f64>,
    pub y_val: Vec<f64>,
    pub n_classes: usize,
    pub mean_train: Vec<f64>,
    pub var_train: Vec<f64>,
    pub mean_all: Vec<f64>,
    pub var_all: Vec<f64>,
}

/// Mean and biased variance (divide by n, the lecture's σ²) of each column of a rows × `dim`
/// table: ndarray's axis reductions over a view of it (no copy). No rows: zeros.
pub fn column_stats(x: &[f64], dim: usize) -> (Vec<f64>, Vec<f64>) {
    let dim = dim.max(1);
    let rows = x.len() / dim;
    let table =
        ArrayView2::from_shape((rows, dim), &x[..rows * dim]).expect("rows × dim fits the slice");
    match table.mean_axis(Axis(0)) {
        Some(mean) => (mean.to_vec(), table.var_axis(Axis(0), 0.0).to_vec()),
        None => (vec![0.0; dim], vec![0.0; dim]),
    }
}

/// Eigenvalues (ascending) and unit eigenvectors (column k of the row-major `vectors` belongs to
/// `values[k]`) of a symmetric n × n matrix, by cyclic Jacobi rotations.
pub fn sym_eigen(a: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = a.to_vec();
    let mut v = vec![0.0; n * n];
    (0..n).for_each(|i| v[i * n + i] = 1.0);
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * n + j] * a[i * n + j])
            .sum();
        let diag: f64 = (0..n).map(|i| a[i * n + i] * a[i * n + i]).sum();
        if off <= 1e-32 * diag || off == 0.0 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                let (app, aqq) = (a[p * n + p], a[q * n + q]);
                let theta = (aqq - app) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[i * n + i].total_cmp(&a[j * n + j]));
    let values = order.iter().map(|&i| a[i * n + i]).collect();
    let mut vectors = vec![0.0; n * n];
    for (k, &i) in order.iter().enumerate() {
        // A fixed sign: the largest component positive (numpy's is arbitrary; tests compare ±).
        let col: Vec<f64> = (0..n).map(|r| v[r * n + i]).collect();
        let big = col
            .iter()
            .copied()
            .fold(0.0f64, |m, x| if x.abs() > m.abs() { x } else { m });
        let sign = if big < 0.0 { -1.0 } else { 1.0 };
        (0..n).for_each(|r| vectors[r * n + k] = sign * col[r]);
    }
    (values, vectors)
}

/// The Hessian's spectrum at one point, and what it means for gradient descent.
#[derive(Clone, Debug, PartialEq)]
pub struct Curvature {
    /// Row-major (d + 1)², parameters (w₁ … w_d, b).
    pub hessian: Vec<f64>,
    pub eigenvalues: Vec<f64>,
    pub eigenvectors: Vec<f64>,
    /// λmax/λmin (∞ when a direction has no curvature: a constant feature).
    pub condition: f64,
    /// λmax over the smallest eigenvalue above the rounding level (= `condition` unless
    /// `null_dims` > 0).
    pub condition_nonnull: f64,
    /// Eigenvalues at the rounding level (λ ≤ (d + 1)·10⁻¹⁴·λmax): flat directions.
    pub null_dims: usize,
    /// 2/λmax: the largest stable gradient-descent learning rate.
    pub lr_bound: f64,
    /// 2/(λmin + λmax): the best fixed learning rate on the quadratic (Distill's α*).
    pub lr_best: f64,
}

/// One optimizer run from θ̂₀ in one coordinate system.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// θ̂_t for t = 0 … steps, row-major (d + 1) each, in the run's coordinates.
    pub params: Vec<f64>,
    /// The same models in raw coordinates (w = ŵ/s, b = b̂ − Σ ŵc/s).
    pub raw_params: Vec<f64>,
    /// Training loss at θ̂_t (the loss of step t + 1's forward pass, as a PyTorch loop prints).
    pub loss: Vec<f64>,
    pub val_loss: Vec<f64>,
    /// Training accuracy at θ̂_t (logistic: σ(z) > ½; linear: z > ½).
    pub accuracy: Vec<f64>,
    pub diverged_at_step: Option<usize>,
}

/// A validated problem spec: `{data: {csv} | {name: "slide", n, seed}, features, validation_split,
/// split_seed, stats, eps, model}`.
pub const PROBLEM_FIELDS: &[&str] = &[
    "data",
    "features",
    "validation_split",
    "split_seed",
    "stats",
    "eps",
    "model",
];

/// The lecture's example: x₁ ~ U[1000, 2000], x₂ ~ U[0.1, 0.2], label 1 where
/// 2·(x₁ − 1500)/500 − 3·(x₂ − 0.15)/0.05 + logistic noise > 0 (a planted rule that needs both).
pub fn slide_data(n: usize, seed: u64) -> Dataset {
    let mut rng = Rng::derive(seed, 7);
    let mut x = Vec::with_capacity(2 * n);
    let mut labels = Vec::with_capacity(n);
    for _ in 0..n {
        let (x1, x2) = (rng.range(1000.0, 2000.0), rng.range(0.1, 0.2));
        let u = rng.uniform().clamp(1e-12, 1.0 - 1e-12);
        let z = 2.0 * (x1 - 1500.0) / 500.0 - 3.0 * (x2 - 0.15) / 0.05 + (u / (1.0 - u)).ln();
        x.extend([x1, x2]);
        labels.push((z > 0.0) as u32);
    }
    Dataset {
        x,
        labels,
        dim: 2,
        n_classes: 2,
        features: vec!["x1".into(), "x2".into()],
    }
}

pub fn problem(v: &Val) -> Result<Problem, SpecError> {
    let kv = object(v, "spec")?;
    only_keys(kv, PROBLEM_FIELDS, "")?;
    let d = v
        .get("data")
        .map_or_else(|| err("data", "is missing"), Ok)?;
    let dkv = object(d, "data")?;
    let full = if d.get("csv").is_some() {
        only_keys(dkv, &["csv"], "data")?;
        data::parse_csv(string(d.get("csv").unwrap_or(&Val::Null), "data.csv")?).map_err(|e| {
            SpecError {
                field: "data.csv".into(),
                message: e.to_string(),
            }
        })?
    } else {
        only_keys(dkv, &["name", "n", "seed"], "data")?;
        match d.get("name") {
            Some(Val::Str(s)) if s == "slide" => {}
            Some(other) => {
                return err(
                    "data.name",
                    format!(
                        "must be \"slide\" (the lecture's x₁ ∈ [1000, 2000], x₂ ∈ [0.1, 0.2]) or give data.csv (got {})",
                        short(other)
                    ),
                )
            }
            None => return err("data", "must have csv (a bundled data set) or name: \"slide\""),
        }
        let n = d
            .get("n")
            .map_or(Ok(1000), |x| integer(x, "data.n", 4, 100_000))?;
        let seed = d.get("seed").map_or(Ok(0), |x| {
            integer(x, "data.seed", 0, crate::nn::spec::MAX_SEED)
        })?;
        slide_data(n, seed as u64)
    };
    let cols: Vec<usize> = match v.get("features") {
        None | Some(Val::Null) => (0..full.dim).collect(),
        Some(f) => {
            let names = array(f, "features")?;
            if names.is_empty() {
                return err("features", "must name at least one feature");
            }
            let mut cols = Vec::with_capacity(names.len());
            for (i, n) in names.iter().enumerate() {
                let n = string(n, &format!("features[{i}]"))?;
                let Some(c) = full.features.iter().position(|f| f == n) else {
                    let known: Vec<&str> = full.features.iter().map(|s| s.as_str()).collect();
                    let shown = if known.len() > 12 {
                        &known[..12]
                    } else {
                        &known[..]
                    };
                    return err(
                        format!("features[{i}]"),
                        format!(
                            "unknown feature {:?} (known: {}{})",
                            n.chars().take(40).collect::<String>(),
                            shown.join(", "),
                            if known.len() > 12 { ", …" } else { "" }
                        ),
                    );
                };
                if cols.contains(&c) {
                    return err(format!("features[{i}]"), format!("{n:?} is listed twice"));
                }
                cols.push(c);
            }
            cols
        }
    };
    let validation_split = match v.get("validation_split") {
        None => 0.2,
        Some(x) => {
            let s = number(x, "validation_split")?;
            if !(0.0..=0.9).contains(&s) {
                return err("validation_split", format!("must be in [0, 0.9] (got {s})"));
            }
            s
        }
    };
    let split_seed = v.get("split_seed").map_or(Ok(0), |x| {
        integer(x, "split_seed", 0, crate::nn::spec::MAX_SEED)
    })? as u64;
    let leak = either(
        v.get("stats"),
        "stats",
        ("train", "μ, σ² of the training split"),
        ("all", "of every row: the leak"),
    )?;
    let eps = match v.get("eps") {
        None => 1e-5,
        Some(x) => {
            let e = number(x, "eps")?;
            if !(0.0..=1.0).contains(&e) {
                return err("eps", format!("must be in [0, 1] (got {e})"));
            }
            e
        }
    };
    let model = match v.get("model") {
        None => Model::Logistic,
        Some(m) => {
            let s = string(m, "model")?;
            match Model::parse(s) {
                Some(m) => m,
                None => return unknown("model", "model", s, &Model::NAMES),
            }
        }
    };
    let n = full.len();
    if n < 2 {
        return err("data", "needs at least 2 rows");
    }
    let mut perm: Vec<usize> = (0..n).collect();
    Rng::derive(split_seed, 1).shuffle(&mut perm);
    let n_val = ((n as f64 * validation_split).round() as usize).min(n - 1);
    let (val_idx, train_idx) = perm.split_at(n_val);
    let dim = cols.len();
    let take = |idx: &[usize]| {
        let mut x = Vec::with_capacity(idx.len() * dim);
        let mut y = Vec::with_capacity(idx.len());
        for &i in idx {
            let r = full.row(i);
            x.extend(cols.iter().map(|&c| r[c]));
            y.push(full.labels[i] as f64);
        }
        (x, y)
    };
    let (x_train, y_train) = take(train_idx);
    let (x_val, y_val) = take(val_idx);
    let (x_all, _) = take(&perm);
    let (mean_train, var_train) = column_stats(&x_train, dim);
    let (mean_all, var_all) = column_stats(&x_all, dim);
    let p = Problem {
        dim,
        features: cols.iter().map(|&c| full.features[c].clone()).collect(),
        model,
        eps,
        leak,
        x_train,
        y_train,
        x_val,
        y_val,
        n_classes: full.n_classes,
        mean_train,
        var_train,
        mean_all,
        var_all,
    };
    if eps == 0.0 {
        if let Some(j) = p.stats().1.iter().position(|&v| v == 0.0) {
            return err(
                "eps",
                format!(
                    "0 with a constant feature ({}: σ² = 0) divides 0 by 0 when scaling; ε > 0 is there for this",
                    p.features[j]
                ),
            );
        }
    }
    Ok(p)
}

impl Problem {
    /// The statistics the transforms use: (μ, σ²).
    pub fn stats(&self) -> (&[f64], &[f64]) {
        if self.leak {
            (&self.mean_all, &self.var_all)
        } else {
            (&self.mean_train, &self.var_train)
        }
    }

    /// (c, s) of a coordinate system: x̂ = (x − c)/s.
    pub fn coords(&self, t: Transform) -> (Vec<f64>, Vec<f64>) {
        let (mean, var) = self.stats();
        let c = if t.centers() {
            mean.to_vec()
        } else {
            vec![0.0; self.dim]
        };
        let s = if t.scales() {
            var.iter().map(|v| (v + self.eps).sqrt()).collect()
        } else {
            vec![1.0; self.dim]
        };
        (c, s)
    }

    /// Rows (row-major, `dim` each) in the coordinates of `t`.
    pub fn apply(&self, t: Transform, x: &[f64]) -> Vec<f64> {
        let (c, s) = self.coords(t);
        let d = self.dim;
        x.iter()
            .enumerate()
            .map(|(k, v)| (v - c[k % d]) / s[k % d])
            .collect()
    }

    /// w = ŵ/s, b = b̂ − Σ ŵc/s: the same function of x in raw coordinates.
    pub fn to_raw(&self, t: Transform, theta: &[f64]) -> Vec<f64> {
        let (c, s) = self.coords(t);
        let d = self.dim;
        let mut out: Vec<f64> = (0..d).map(|j| theta[j] / s[j]).collect();
        out.push(theta[d] - (0..d).map(|j| theta[j] * c[j] / s[j]).sum::<f64>());
        out
    }

    /// ŵ = w·s, b̂ = b + Σ w·c: raw parameters in the coordinates of `t`.
    pub fn from_raw(&self, t: Transform, theta: &[f64]) -> Vec<f64> {
        let (c, s) = self.coords(t);
        let d = self.dim;
        let mut out: Vec<f64> = (0..d).map(|j| theta[j] * s[j]).collect();
        out.push(theta[d] + (0..d).map(|j| theta[j] * c[j]).sum::<f64>());
        out
    }

    /// Mean loss, gradient (d + 1) and accuracy at θ on rows x (in the coordinates they are in).
    fn loss_grad(&self, x: &[f64], y: &[f64], theta: &[f64], grad: &mut [f64]) -> (f64, f64) {
        let d = self.dim;
        grad.fill(0.0);
        let (mut loss, mut right) = (0.0, 0usize);
        let threshold = if self.model == Model::Logistic {
            0.0
        } else {
            0.5
        };
        for (r, &yi) in x.chunks_exact(d).zip(y) {
            let z = theta[d] + r.iter().zip(theta).map(|(a, w)| a * w).sum::<f64>();
            let (l, dz) = self.model.loss_dz(z, yi);
            loss += l;
            right += ((z > threshold) == (yi > 0.5)) as usize;
            grad.iter_mut().zip(r).for_each(|(g, a)| *g += dz * a);
            grad[d] += dz;
        }
        let n = y.len().max(1) as f64;
        grad.iter_mut().for_each(|g| *g /= n);
        (loss / n, right as f64 / n)
    }

    /// Training loss at θ̂ in the coordinates of `t`.
    pub fn loss(&self, t: Transform, theta: &[f64]) -> f64 {
        let x = self.apply(t, &self.x_train);
        let mut g = vec![0.0; self.dim + 1];
        self.loss_grad(&x, &self.y_train, theta, &mut g).0
    }

    /// The Hessian of the training loss at θ̂ (coordinates of `t`), row-major (d + 1)².
    pub fn hessian(&self, t: Transform, theta: &[f64]) -> Vec<f64> {
        let x = self.apply(t, &self.x_train);
        let n1 = self.dim + 1;
        let mut h = vec![0.0; n1 * n1];
        let mut zt = vec![1.0; n1];
        for r in x.chunks_exact(self.dim) {
            zt[..self.dim].copy_from_slice(r);
            let z = theta[self.dim] + r.iter().zip(theta).map(|(a, w)| a * w).sum::<f64>();
            let k = self.model.d2z(z);
            for i in 0..n1 {
                for j in i..n1 {
                    h[i * n1 + j] += k * zt[i] * zt[j];
                }
            }
        }
        let n = self.y_train.len().max(1) as f64;
        for i in 0..n1 {
            for j in i..n1 {
                h[i * n1 + j] /= n;
                h[j * n1 + i] = h[i * n1 + j];
            }
        }
        h
    }

    pub fn curvature(&self, t: Transform, theta: &[f64]) -> Curvature {
        let n1 = self.dim + 1;
        let hessian = self.hessian(t, theta);
        let (eigenvalues, eigenvectors) = sym_eigen(&hessian, n1);
        let lmax = eigenvalues[n1 - 1];
        let lmin = eigenvalues[0];
        let floor = n1 as f64 * 1e-14 * lmax.abs();
        let null_dims = eigenvalues.iter().filter(|&&l| l <= floor).count();
        let lmin_nonnull = eigenvalues
            .iter()
            .copied()
            .find(|&l| l > floor)
            .unwrap_or(f64::NAN);
        Curvature {
            condition: if null_dims > 0 {
                f64::INFINITY
            } else {
                lmax / lmin
            },
            condition_nonnull: lmax / lmin_nonnull,
            null_dims,
            lr_bound: 2.0 / lmax,
            lr_best: 2.0 / (lmin.max(0.0) + lmax),
            hessian,
            eigenvalues,
            eigenvectors,
        }
    }

    /// `steps` full-batch steps of `opt` (PyTorch's update, constant lr) from θ̂₀ in the
    /// coordinates of `t`; stops at the first non-finite loss or parameter.
    pub fn run(
        &self,
        t: Transform,
        opt: &sp::OptimizerSpec,
        steps: usize,
        theta0: &[f64],
    ) -> Result<Run, String> {
        let n1 = self.dim + 1;
        let x = self.apply(t, &self.x_train);
        let xv = self.apply(t, &self.x_val);
        let lr = opt.base_lr();
        let mut o: Box<dyn Optimizer<f64>> = optim::build(opt.def.first_order()?, &opt.hyper, n1);
        let mut theta = theta0.to_vec();
        let mut g = vec![0.0; n1];
        let mut gv = vec![0.0; n1];
        let mut run = Run {
            params: Vec::with_capacity((steps + 1) * n1),
            raw_params: Vec::with_capacity((steps + 1) * n1),
            loss: Vec::with_capacity(steps + 1),
            val_loss: Vec::with_capacity(steps + 1),
            accuracy: Vec::with_capacity(steps + 1),
            diverged_at_step: None,
        };
        for step in 0..=steps {
            let (loss, acc) = self.loss_grad(&x, &self.y_train, &theta, &mut g);
            let finite = loss.is_finite() && theta.iter().chain(&g).all(|v| v.is_finite());
            if !finite {
                run.diverged_at_step = Some(step);
                break;
            }
            let val = if self.y_val.is_empty() {
                f64::NAN
            } else {
                self.loss_grad(&xv, &self.y_val, &theta, &mut gv).0
            };
            run.params.extend_from_slice(&theta);
            run.raw_params.extend(self.to_raw(t, &theta));
            run.loss.push(loss);
            run.val_loss.push(val);
            run.accuracy.push(acc);
            if step < steps {
                o.step(&mut theta, &g, lr);
            }
        }
        Ok(run)
    }

    /// The training loss over (w₁, w₂) with b̂ (and any further weights) fixed at `theta`, in
    /// the coordinates of `t`, on an nx × ny grid (row 0 at w₂ = y1, image order), f32; the
    /// (min, max) of its finite values.
    pub fn slice(
        &self,
        t: Transform,
        theta: &[f64],
        nx: usize,
        ny: usize,
        r: [f64; 4],
        out: &mut Vec<f32>,
    ) -> Option<(f32, f32)> {
        out.clear();
        out.resize(nx * ny, 0.0);
        let x = self.apply(t, &self.x_train);
        let d = self.dim;
        // z = w₁x₁ + w₂x₂ + rest, with rest = b̂ + Σ_{j≥2} ŵⱼxⱼ per row.
        let (mut x1, mut x2, mut rest, mut y) = (vec![], vec![], vec![], vec![]);
        for (row, &yi) in x.chunks_exact(d).zip(&self.y_train) {
            x1.push(row[0] as f32);
            x2.push(if d > 1 { row[1] as f32 } else { 0.0 });
            rest.push((theta[d] + (2..d).map(|j| theta[j] * row[j]).sum::<f64>()) as f32);
            y.push(yi as f32);
        }
        let n = y.len().max(1) as f32;
        let [x0, x1r, y0, y1] = r;
        let dx = if nx > 1 {
            (x1r - x0) / (nx - 1) as f64
        } else {
            0.0
        };
        let dy = if ny > 1 {
            (y1 - y0) / (ny - 1) as f64
        } else {
            0.0
        };
        let logistic = self.model == Model::Logistic;
        let (zero, one) = (F32x4::splat(0.0), F32x4::splat(1.0));
        let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
        for j in 0..ny {
            let w2 = F32x4::splat((y1 - j as f64 * dy) as f32);
            let row = &mut out[j * nx..(j + 1) * nx];
            for i0 in (0..nx).step_by(4) {
                let w1 = F32x4::from_array(std::array::from_fn(|k| {
                    (x0 + (i0 + k).min(nx - 1) as f64 * dx) as f32
                }));
                let mut acc = zero;
                for k in 0..y.len() {
                    let z =
                        w1 * F32x4::splat(x1[k]) + w2 * F32x4::splat(x2[k]) + F32x4::splat(rest[k]);
                    let yk = F32x4::splat(y[k]);
                    acc = acc
                        + if logistic {
                            z.vmax(zero) - z * yk + (one + (-z.vabs()).exp()).ln_positive()
                        } else {
                            (z - yk) * (z - yk)
                        };
                }
                let v = (acc * F32x4::splat(1.0 / n)).to_array();
                for (k, &val) in v.iter().enumerate().take((nx - i0).min(4)) {
                    row[i0 + k] = val;
                    if val.is_finite() {
                        lo = lo.min(val);
                        hi = hi.max(val);
                    }
                }
            }
        }
        (lo <= hi).then_some((lo, hi))
    }

    /// A view of the (w₁, w₂) plane in the coordinates of `t` that holds θ̂₀, the optimum and
    /// the level set through θ̂₀ (b̂ at the optimum's value), with a margin.
    pub fn frame(&self, t: Transform, theta0: &[f64], optimum: &[f64]) -> [f64; 4] {
        let d = self.dim;
        let h = self.hessian(t, optimum);
        let n1 = d + 1;
        // The (w₁, w₂) block at the optimum; extent of {δ: δᵀHδ ≤ 2Δ} along each axis is
        // √(2Δ·(H⁻¹)ᵢᵢ).
        let (a, b, c) = (h[0], h[1], h[n1 + 1]);
        let det = a * c - b * b;
        let l0 = self.loss(t, theta0);
        let l1 = self.loss(t, optimum);
        let delta = (l0 - l1).max(1e-6);
        let (hx, hy) = if det > 0.0 && d > 1 {
            (
                (2.0 * delta * c / det).sqrt(),
                (2.0 * delta * a / det).sqrt(),
            )
        } else {
            (1.0, 1.0)
        };
        let (cx, cy) = (optimum[0], if d > 1 { optimum[1] } else { 0.0 });
        let (sx, sy) = (theta0[0], if d > 1 { theta0[1] } else { 0.0 });
        let xs = [cx - hx, cx + hx, sx];
        let ys = [cy - hy, cy + hy, sy];
        let span = |v: &[f64]| {
            let (lo, hi) = v
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
                    (l.min(x), h.max(x))
                });
            let m = 0.08 * (hi - lo).max(1e-12);
            (lo - m, hi + m)
        };
        let (x0, x1) = span(&xs);
        let (y0, y1) = span(&ys);
        [x0, x1, y0, y1]
    }

    /// The minimizer of the training loss by Newton's method with a backtracking line search
    /// (in the coordinates of `t`); exact for MSE, to rounding for the logistic loss unless the
    /// classes separate (then the last iterate along the ray).
    pub fn optimum(&self, t: Transform) -> Vec<f64> {
        let n1 = self.dim + 1;
        let x = self.apply(t, &self.x_train);
        let mut theta = vec![0.0; n1];
        let mut g = vec![0.0; n1];
        let mut trial = vec![0.0; n1];
        let mut tg = vec![0.0; n1];
        for _ in 0..100 {
            let (l, _) = self.loss_grad(&x, &self.y_train, &theta, &mut g);
            let h = self.hessian(t, &theta);
            let Some(step) = solve(&h, &g, n1) else { break };
            let mut a = 1.0;
            let mut moved = false;
            for _ in 0..40 {
                trial
                    .iter_mut()
                    .zip(&theta)
                    .zip(&step)
                    .for_each(|((tr, th), s)| *tr = th - a * s);
                let (lt, _) = self.loss_grad(&x, &self.y_train, &trial, &mut tg);
                if lt <= l {
                    moved = lt < l;
                    theta.copy_from_slice(&trial);
                    break;
                }
                a *= 0.5;
            }
            if !moved {
                break;
            }
        }
        theta
    }
}

/// x with H x = g (Gaussian elimination with partial pivoting); None if H is singular.
fn solve(h: &[f64], g: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut m: Vec<f64> = Vec::with_capacity(n * (n + 1));
    for i in 0..n {
        m.extend_from_slice(&h[i * n..(i + 1) * n]);
        m.push(g[i]);
    }
    let w = n + 1;
    let scale = h.iter().fold(0.0f64, |a, &b| a.max(b.abs()));
    for col in 0..n {
        let piv =
            (col..n).max_by(|&a, &b| m[a * w + col].abs().total_cmp(&m[b * w + col].abs()))?;
        if m[piv * w + col].abs() <= 1e-300_f64.max(1e-17 * scale) {
            return None;
        }
        for k in 0..w {
            m.swap(col * w + k, piv * w + k);
        }
        for r in 0..n {
            if r != col {
                let f = m[r * w + col] / m[col * w + col];
                for k in col..w {
                    m[r * w + k] -= f * m[col * w + k];
                }
            }
        }
    }
    Some((0..n).map(|i| m[i * w + n] / m[i * w + i]).collect())
}

/// A validated run request: `{transform, optimizer, steps, init}`.
pub struct RunCall {
    pub transform: Transform,
    pub optimizer: sp::OptimizerSpec,
    pub steps: usize,
    pub init: Vec<f64>,
}

pub fn run_call(v: &Val, p: &Problem) -> Result<RunCall, SpecError> {
    let kv = object(v, "run")?;
    only_keys(kv, &["transform", "optimizer", "steps", "init"], "run")?;
    if p.n_classes > 2 {
        return err(
            "data",
            format!(
                "the single unit needs labels 0/1 ({} classes here); curvature works for any data",
                p.n_classes
            ),
        );
    }
    let t = v.get("transform").map_or(Ok(Transform::Standardize), |x| {
        transform(x, "run.transform")
    })?;
    let optimizer = sp::optimizer(
        v.get("optimizer")
            .map_or_else(|| err("run.optimizer", "is missing"), Ok)?,
        "run.optimizer",
    )?;
    if let Err(e) = optimizer.def.first_order() {
        return err("run.optimizer.name", e);
    }
    let steps = v
        .get("steps")
        .map_or(Ok(200), |x| integer(x, "run.steps", 0, MAX_STEPS))?;
    let init = match v.get("init") {
        None | Some(Val::Null) => vec![0.0; p.dim + 1],
        Some(a) => {
            let a = array(a, "run.init")?;
            if a.len() != p.dim + 1 {
                return err(
                    "run.init",
                    format!(
                        "must have {} numbers (w₁ … w_d, b) (got {})",
                        p.dim + 1,
                        a.len()
                    ),
                );
            }
            a.iter()
                .enumerate()
                .map(|(i, x)| number(x, &format!("run.init[{i}]")))
                .collect::<Result<_, _>>()?
        }
    };
    Ok(RunCall {
        transform: t,
        optimizer,
        steps,
        init,
    })
}

/// A validated slice request: `{transform, theta, view: [x0, x1, y0, y1], nx, ny}`.
pub struct SliceCall {
    pub transform: Transform,
    pub theta: Vec<f64>,
    pub view: [f64; 4],
    pub nx: usize,
    pub ny: usize,
}

pub fn slice_call(v: &Val, p: &Problem) -> Result<SliceCall, SpecError> {
    let kv = object(v, "slice")?;
    only_keys(kv, &["transform", "theta", "view", "nx", "ny"], "slice")?;
    if p.dim < 2 {
        return err("features", "a (w₁, w₂) slice needs two features");
    }
    let t = v.get("transform").map_or(Ok(Transform::Standardize), |x| {
        transform(x, "slice.transform")
    })?;
    let nums = |k: &str, len: usize| -> Result<Vec<f64>, SpecError> {
        let f = format!("slice.{k}");
        let a = array(v.get(k).unwrap_or(&Val::Null), &f)?;
        if a.len() != len {
            return err(&f, format!("must have {len} numbers (got {})", a.len()));
        }
        a.iter()
            .enumerate()
            .map(|(i, x)| number(x, &format!("{f}[{i}]")))
            .collect()
    };
    let theta = nums("theta", p.dim + 1)?;
    let view = nums("view", 4)?;
    if !(view[1] > view[0] && view[3] > view[2]) {
        return err(
            "slice.view",
            "must be [x0, x1, y0, y1] with x0 < x1 and y0 < y1",
        );
    }
    let nx = v
        .get("nx")
        .map_or(Ok(128), |x| integer(x, "slice.nx", 2, MAX_GRID))?;
    let ny = v
        .get("ny")
        .map_or(Ok(128), |x| integer(x, "slice.ny", 2, MAX_GRID))?;
    Ok(SliceCall {
        transform: t,
        theta,
        view: [view[0], view[1], view[2], view[3]],
        nx,
        ny,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::spec::Val;

    #[test]
    fn each_model_computes_the_network_loss_it_names() {
        for m in [Model::Logistic, Model::Linear] {
            assert_eq!(Model::parse(m.as_str()), Some(m));
            for (z, y) in [(0.3, 1.0), (-2.5, 0.0), (4.0, 1.0), (0.0, 0.0)] {
                let (l, dz) = m.loss_dz(z, y);
                let mut g = [0.0];
                let want = m.loss().eval(&[z], &[y], 1, 1, Some(&mut g));
                assert!(
                    (l - want).abs() < 1e-15 && (dz - g[0]).abs() < 1e-15,
                    "{m:?} at z = {z}, y = {y}"
                );
            }
        }
        assert_eq!(Model::Logistic.loss().torch(), "nn.BCEWithLogitsLoss()");
        assert_eq!(Model::parse("probit"), None);
    }

    fn bc(extra: &str) -> Problem {
        let csv = std::fs::read_to_string("www/data/breast_cancer.csv").unwrap();
        let json = format!(
            "{{\"data\": {{\"csv\": {}}}, \"features\": [\"mean_area\", \"mean_smoothness\"]{extra}}}",
            serde_json_string(&csv)
        );
        problem(&parse(&json).unwrap()).unwrap()
    }

    fn serde_json_string(s: &str) -> String {
        serde_json::to_string(s).unwrap()
    }

    fn parse(s: &str) -> Result<Val, serde_json::Error> {
        serde_json::from_str(s)
    }

    #[test]
    fn jacobi_diagonalizes() {
        let a = [4.0, 1.0, 2.0, 1.0, 3.0, 0.5, 2.0, 0.5, 1.0];
        let (l, v) = sym_eigen(&a, 3);
        for k in 0..3 {
            for i in 0..3 {
                let av: f64 = (0..3).map(|j| a[i * 3 + j] * v[j * 3 + k]).sum();
                assert!((av - l[k] * v[i * 3 + k]).abs() < 1e-13);
            }
        }
        assert!(l[0] <= l[1] && l[1] <= l[2]);
    }

    #[test]
    fn change_of_variables_is_the_same_model() {
        let p = bc("");
        for t in Transform::ALL {
            let th = [0.3, -1.2, 0.7];
            let raw = p.to_raw(t, &th);
            let back = p.from_raw(t, &raw);
            for k in 0..3 {
                assert!((back[k] - th[k]).abs() < 1e-12 * (1.0 + th[k].abs()));
            }
            assert!((p.loss(t, &th) - p.loss(Transform::Raw, &raw)).abs() < 1e-10);
        }
    }

    #[test]
    fn gradient_and_hessian_match_finite_differences() {
        for model in ["logistic", "linear"] {
            let p = bc(&format!(", \"model\": \"{model}\""));
            let t = Transform::Standardize;
            let th = [0.4, -0.8, 0.2];
            let x = p.apply(t, &p.x_train);
            let mut g = vec![0.0; 3];
            p.loss_grad(&x, &p.y_train, &th, &mut g);
            let h = p.hessian(t, &th);
            let e = 1e-5;
            for i in 0..3 {
                let mut a = th;
                let mut b = th;
                a[i] += e;
                b[i] -= e;
                let fd = (p.loss(t, &a) - p.loss(t, &b)) / (2.0 * e);
                assert!(
                    (fd - g[i]).abs() < 1e-8,
                    "{model} grad {i}: {fd} vs {}",
                    g[i]
                );
                let (mut ga, mut gb) = (vec![0.0; 3], vec![0.0; 3]);
                p.loss_grad(&x, &p.y_train, &a, &mut ga);
                p.loss_grad(&x, &p.y_train, &b, &mut gb);
                for j in 0..3 {
                    let fd = (ga[j] - gb[j]) / (2.0 * e);
                    assert!((fd - h[j * 3 + i]).abs() < 1e-7, "{model} H[{j}{i}]");
                }
            }
        }
    }

    #[test]
    fn condition_numbers_of_the_lecture() {
        // LABS.md §1.1 (eigenvalues of E[zzᵀ] on all 569 rows): κ ≈ 2.9e9 raw, 6.5e8 centred,
        // 2.6e3 scaled, 1.43 standardized; on the training split they are close.
        let p = bc(", \"validation_split\": 0");
        let k = |t| p.curvature(t, &[0.0; 3]).condition;
        let (raw, cen, sca, std) = (
            k(Transform::Raw),
            k(Transform::Center),
            k(Transform::Scale),
            k(Transform::Standardize),
        );
        assert!((raw / 2.9e9 - 1.0).abs() < 0.05, "raw {raw}");
        assert!((cen / 6.5e8 - 1.0).abs() < 0.05, "centre {cen}");
        assert!((sca / 2.6e3 - 1.0).abs() < 0.05, "scale {sca}");
        assert!((std / 1.43 - 1.0).abs() < 0.02, "standardized {std}");
        // Logistic at w = 0: H = ¼E[zzᵀ], so 2/λmax = 8/λmax(E[zzᵀ]) ≈ 8/1.18 standardized.
        let c = p.curvature(Transform::Standardize, &[0.0; 3]);
        assert!((c.lr_bound - 8.0 / c.eigenvalues[2] / 4.0).abs() < 1e-12);
    }

    #[test]
    fn gd_below_the_bound_converges_and_mse_above_it_diverges() {
        let p = bc(", \"model\": \"linear\"");
        let t = Transform::Standardize;
        let c = p.curvature(t, &[0.0; 3]);
        let opt = |lr: f64| {
            sp::optimizer(
                &parse(&format!("{{\"name\": \"sgd\", \"lr\": {lr}}}")).unwrap(),
                "o",
            )
            .unwrap()
        };
        let ok = p.run(t, &opt(0.95 * c.lr_bound), 300, &[0.0; 3]).unwrap();
        assert!(ok.diverged_at_step.is_none());
        let opt_l = p.loss(t, &p.optimum(t));
        assert!(ok.loss[300] - opt_l < 1e-6, "{} vs {opt_l}", ok.loss[300]);
        let bad = p.run(t, &opt(1.1 * c.lr_bound), 20_000, &[0.0; 3]).unwrap();
        assert!(bad.diverged_at_step.is_some());
    }

    #[test]
    fn the_slice_is_the_loss() {
        let p = bc("");
        let t = Transform::Scale;
        let th = [0.1, 0.2, -0.3];
        let mut out = vec![];
        let r = [-1.0, 2.0, -3.0, 1.0];
        p.slice(t, &th, 5, 3, r, &mut out).unwrap();
        for j in 0..3 {
            for i in 0..5 {
                let w1 = -1.0 + i as f64 * 0.75;
                let w2 = 1.0 - j as f64 * 2.0;
                let exact = p.loss(t, &[w1, w2, th[2]]);
                let got = out[j * 5 + i] as f64;
                assert!(
                    (got - exact).abs() < 1e-4 * (1.0 + exact),
                    "({i},{j}) {got} vs {exact}"
                );
            }
        }
    }

    #[test]
    fn bad_specs_name_their_field() {
        let e = |json: &str| problem(&parse(json).unwrap()).unwrap_err().field;
        assert_eq!(e("{}"), "data");
        assert_eq!(e("{\"data\": {\"name\": \"moons\"}}"), "data.name");
        assert_eq!(
            e("{\"data\": {\"name\": \"slide\"}, \"features\": [\"x9\"]}"),
            "features[0]"
        );
        assert_eq!(
            e("{\"data\": {\"name\": \"slide\"}, \"stats\": \"test\"}"),
            "stats"
        );
        assert_eq!(e("{\"data\": {\"name\": \"slide\"}, \"eps\": -1}"), "eps");
        assert_eq!(
            e("{\"data\": {\"name\": \"slide\"}, \"model\": \"probit\"}"),
            "model"
        );
        assert_eq!(e("{\"data\": {\"name\": \"slide\"}, \"lr\": 1}"), "lr");
    }
}
