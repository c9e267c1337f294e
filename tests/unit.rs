//! The input normalization lab's single unit (src/unit.rs) against numpy and PyTorch float64
//! (tests/data/unit_reference.json, made by tests/reference/unit_reference.py): the Hessian and
//! its eigenvalues on every shipped data set and transform, and full-batch training runs in
//! four coordinate systems with SGD, Nesterov momentum, Adam and RMSprop, to 1e-9.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::max_rel_err;
use optplay::spec::{self, Val};
use optplay::unit::{self, Transform};
use serde_json::{json, Value};

const REF: &str = include_str!("data/unit_reference.json");

fn csv(file: &str) -> String {
    std::fs::read_to_string(format!("www/data/{file}")).unwrap()
}

fn problem(file: &str, features: &Value, model: &str) -> unit::Problem {
    let mut spec = json!({"data": {"csv": csv(file)}, "validation_split": 0, "model": model});
    if !features.is_null() {
        spec["features"] = features.clone();
    }
    unit::problem(&serde_json::from_value::<Val>(spec).unwrap()).unwrap()
}

fn flat(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(a) => a.iter().flat_map(flat).collect(),
        Value::Number(n) => vec![n.as_f64().unwrap()],
        _ => panic!("not numeric: {v}"),
    }
}

#[test]
fn curvature_matches_numpy_on_every_data_set_and_transform() {
    let r: Value = serde_json::from_str(REF).unwrap();
    let cases = r["curvature"].as_array().unwrap();
    assert_eq!(cases.len(), 32);
    for c in cases {
        let file = c["file"].as_str().unwrap();
        let model = c["model"].as_str().unwrap();
        let t = Transform::parse(c["transform"].as_str().unwrap()).unwrap();
        let p = problem(file, &c["features"], model);
        let got = p.curvature(t, &vec![0.0; p.dim + 1]);
        let want = flat(&c["eigenvalues"]);
        let lmax = want[want.len() - 1];
        let id = format!("{file} {} {model} {}", p.dim, t.as_str());
        if !c["hessian"].is_null() {
            // Entries that cancel to ~0 (a centred feature's mean) are rounding in both: relative
            // 1e-9, or 1e-12 of the largest entry.
            let h = flat(&c["hessian"]);
            let big = h.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            for (g, w) in got.hessian.iter().zip(&h) {
                assert!(
                    (g - w).abs() <= 1e-9 * w.abs() + 1e-12 * big,
                    "{id}: H {g} vs {w}"
                );
            }
        }
        // Eigenvalues: relative 1e-9, but a tiny eigenvalue of an ill-conditioned matrix is only
        // determined to rounding of the largest (both libraries): |Δλ| ≤ 1e-9·|λ| + 1e-13·λmax.
        for (k, (g, w)) in got.eigenvalues.iter().zip(&want).enumerate() {
            assert!(
                (g - w).abs() <= 1e-9 * w.abs() + 1e-13 * lmax,
                "{id}: λ{k} {g} vs numpy {w}"
            );
        }
        // Eigenvectors: H v = λ v for the engine's own pairs.
        let n = p.dim + 1;
        for k in 0..n {
            let res: f64 = (0..n)
                .map(|i| {
                    let hv: f64 = (0..n)
                        .map(|j| got.hessian[i * n + j] * got.eigenvectors[j * n + k])
                        .sum();
                    (hv - got.eigenvalues[k] * got.eigenvectors[i * n + k]).powi(2)
                })
                .sum::<f64>()
                .sqrt();
            assert!(res <= 1e-11 * lmax, "{id}: residual {res} of eigenpair {k}");
        }
        let floor = n as f64 * 1e-14 * lmax;
        let kappa = if want[0] <= floor {
            f64::INFINITY
        } else {
            lmax / want[0]
        };
        if kappa.is_finite() {
            assert!(
                (got.condition / kappa - 1.0).abs() < 1e-6,
                "{id}: κ {} vs {kappa}",
                got.condition
            );
        } else {
            assert!(got.condition.is_infinite() && got.null_dims > 0, "{id}");
        }
        assert!((got.lr_bound * lmax - 2.0).abs() < 1e-9 * 2.0, "{id}");
    }
}

#[test]
fn training_runs_match_pytorch() {
    let r: Value = serde_json::from_str(REF).unwrap();
    let runs = r["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 10);
    let feats = json!(["mean_area", "mean_smoothness"]);
    for c in runs {
        let model = c["model"].as_str().unwrap();
        let t = Transform::parse(c["transform"].as_str().unwrap()).unwrap();
        let p = problem("breast_cancer.csv", &feats, model);
        let opt = spec::optimizer(
            &serde_json::from_value(c["optimizer"].clone()).unwrap(),
            "o",
        )
        .unwrap();
        let steps = c["steps"].as_u64().unwrap() as usize;
        let run = p.run(t, &opt, steps, &[0.0; 3]).unwrap();
        let id = format!("{} {model} {}", t.as_str(), c["optimizer"]);
        assert_eq!(run.diverged_at_step, None, "{id}");
        let e = max_rel_err(&run.loss, &flat(&c["loss"]));
        assert!(e < 1e-9, "{id}: loss error {e}");
        let e = max_rel_err(&run.params, &flat(&c["params"]));
        assert!(e < 1e-9, "{id}: parameter error {e}");
    }
}

#[test]
fn every_coordinate_system_reaches_the_same_model() {
    // Normalization is a change of variables: the optimum of each, mapped to raw units, is one
    // model; only the speed of gradient descent differs.
    let p = problem(
        "breast_cancer.csv",
        &json!(["mean_area", "mean_smoothness"]),
        "logistic",
    );
    let raw = p.optimum(Transform::Raw);
    for t in Transform::ALL {
        let back = p.to_raw(t, &p.optimum(t));
        for k in 0..3 {
            assert!(
                (back[k] - raw[k]).abs() < 1e-6 * raw[k].abs().max(1e-3),
                "{}: {back:?} vs {raw:?}",
                t.as_str()
            );
        }
    }
}
