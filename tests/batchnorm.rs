//! The functional BatchNorm1d (`nn::layer::batch_norm_values`, the JS API's `batchNorm1d`) against
//! torch.nn.BatchNorm1d in float64 (tests/data/torch_batchnorm.json, made by
//! tests/reference/batchnorm_reference.py): outputs, batch statistics, running statistics
//! (momentum 0.1, 0.5 and None = cumulative), input and parameter gradients of three training
//! batches each, then eval mode with the running statistics; widths 1–7, batch sizes 2–16,
//! eps 1e-5 and 1e-3, affine and not — to 1e-9. And a finite-difference check of the backward
//! pass, and the errors of bad calls.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::max_rel_err;
use optplay::nn::layer::batch_norm_values;
use optplay::nn::spec::batch_norm_call;
use optplay::spec::Val;
use serde_json::{json, Value};

const REF: &str = include_str!("data/torch_batchnorm.json");

fn flat(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(a) => a.iter().flat_map(flat).collect(),
        Value::Number(n) => vec![n.as_f64().unwrap()],
        _ => panic!("not numeric: {v}"),
    }
}

fn call(spec: &Value) -> optplay::nn::spec::BatchNormCall {
    batch_norm_call(&serde_json::from_value::<Val>(spec.clone()).unwrap()).unwrap()
}

#[test]
fn batch_norm_matches_pytorch() {
    let r: Value = serde_json::from_str(REF).unwrap();
    let cases = r["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 7);
    let mut worst = 0.0f64;
    for c in cases {
        let id = c["id"].as_str().unwrap();
        let (steps, eval) = batch_norm_values(&call(&c["spec"]));
        let want = c["batches"].as_array().unwrap();
        assert_eq!(steps.len(), want.len(), "{id}");
        for (b, (got, w)) in steps.iter().zip(want).enumerate() {
            let mut check = |name: &str, g: &[f64]| {
                if w[name].is_null() {
                    return;
                }
                let e = max_rel_err(g, &flat(&w[name]));
                worst = worst.max(e);
                assert!(e < 1e-9, "{id} batch {b} {name}: error {e}");
            };
            check("output", &got.output);
            check("batch_mean", &got.batch_mean);
            check("batch_var_biased", &got.batch_var_biased);
            check("batch_var_unbiased", &got.batch_var_unbiased);
            check("running_mean", &got.running_mean);
            check("running_var", &got.running_var);
            check("grad_input", &got.grad_input);
            check("grad_gamma", &got.grad_gamma);
            check("grad_beta", &got.grad_beta);
        }
        let e = max_rel_err(&eval, &flat(&c["eval_output"]));
        assert!(e < 1e-9, "{id} eval: error {e}");
        worst = worst.max(e);
    }
    assert!(worst < 1e-9, "worst {worst}");
}

#[test]
fn batch_norm_gradient_matches_finite_differences() {
    // L = Σ up ⊙ BN(x): dL/dx, dL/dγ, dL/dβ by central differences, one training batch.
    let x = [0.3, -1.2, 2.0, 0.7, -0.4, 1.1, 0.9, 0.2, -2.2];
    let up = [0.5, -0.3, 0.8, -1.0, 0.2, 0.4, 0.6, -0.7, 0.1];
    let spec = |x: &[f64], gamma: &[f64], beta: &[f64]| json!({"num_features": 3, "gamma": gamma, "beta": beta, "train_batches": [{"input": [&x[0..3], &x[3..6], &x[6..9]], "upstream_grad": [&up[0..3], &up[3..6], &up[6..9]]}]});
    let (g0, b0) = ([1.3, 0.7, -0.5], [0.1, -0.2, 0.3]);
    let loss = |x: &[f64], g: &[f64], b: &[f64]| {
        let (s, _) = batch_norm_values(&call(&spec(x, g, b)));
        s[0].output.iter().zip(&up).map(|(y, u)| y * u).sum::<f64>()
    };
    let (s, _) = batch_norm_values(&call(&spec(&x, &g0, &b0)));
    let h = 1e-6;
    for i in 0..9 {
        let (mut a, mut b) = (x, x);
        a[i] += h;
        b[i] -= h;
        let fd = (loss(&a, &g0, &b0) - loss(&b, &g0, &b0)) / (2.0 * h);
        assert!(
            (fd - s[0].grad_input[i]).abs() < 1e-7,
            "dx[{i}] {fd} vs {}",
            s[0].grad_input[i]
        );
    }
    for j in 0..3 {
        let (mut a, mut b) = (g0, g0);
        a[j] += h;
        b[j] -= h;
        let fd = (loss(&x, &a, &b0) - loss(&x, &b, &b0)) / (2.0 * h);
        assert!((fd - s[0].grad_gamma[j]).abs() < 1e-7, "dγ[{j}]");
        let (mut a, mut b) = (b0, b0);
        a[j] += h;
        b[j] -= h;
        let fd = (loss(&x, &g0, &a) - loss(&x, &g0, &b)) / (2.0 * h);
        assert!((fd - s[0].grad_beta[j]).abs() < 1e-7, "dβ[{j}]");
    }
}

#[test]
fn bad_batch_norm_calls_name_their_field() {
    let e = |spec: Value| {
        batch_norm_call(&serde_json::from_value::<Val>(spec).unwrap())
            .unwrap_err()
            .field
    };
    assert_eq!(e(json!({})), "num_features");
    assert_eq!(e(json!({"num_features": 2, "eps": 0})), "eps");
    assert_eq!(e(json!({"num_features": 2, "momentum": 2})), "momentum");
    assert_eq!(e(json!({"num_features": 2, "gamma": [1]})), "gamma");
    assert_eq!(
        e(json!({"num_features": 2, "affine": false, "beta": [0, 0]})),
        "beta"
    );
    assert_eq!(
        e(json!({"num_features": 2, "running_var": [1, -1]})),
        "running_var[1]"
    );
    assert_eq!(
        e(json!({"num_features": 2, "train_batches": [{"input": [[1, 2]]}]})),
        "train_batches[0].input"
    );
    assert_eq!(
        e(
            json!({"num_features": 2, "train_batches": [{"input": [[1, 2], [3, 4]], "upstream_grad": [[1, 2]]}]})
        ),
        "train_batches[0].upstream_grad"
    );
    assert_eq!(
        e(json!({"num_features": 2, "eval_input": [[1, 2, 3]]})),
        "eval_input[0]"
    );
    assert_eq!(e(json!({"num_features": 2, "dtype": "f32"})), "dtype");
}
