//! The wasm tests' bodies, shared by tests/web.rs (Node) and tests/web_browser.rs (Chromium).

use super::common;

use js_sys::{Float64Array, Reflect, JSON};
use optplay::spec::Val;
use optplay::web;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

/// Val → JSON text → a plain JS object, exactly what a page would pass.
fn js(v: &Val) -> JsValue {
    fn text(v: &Val) -> String {
        match v {
            Val::Null => "null".into(),
            Val::Bool(b) => b.to_string(),
            Val::Num(x) => format!("{x:e}"),
            Val::Str(s) => serde_json::to_string(s).unwrap(),
            Val::Arr(a) => format!("[{}]", a.iter().map(text).collect::<Vec<_>>().join(",")),
            Val::Obj(kv) => {
                let items: Vec<String> = kv
                    .iter()
                    .map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), text(v)))
                    .collect();
                format!("{{{}}}", items.join(","))
            }
        }
    }
    JSON::parse(&text(v)).unwrap()
}

fn f64s(o: &JsValue, key: &str) -> Vec<f64> {
    Float64Array::from(Reflect::get(o, &key.into()).unwrap()).to_vec()
}

fn error_message(r: Result<JsValue, wasm_bindgen::JsError>) -> String {
    let e: JsValue = r.expect_err("an error").into();
    Reflect::get(&e, &"message".into())
        .unwrap()
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
fn simd128_is_enabled() {
    assert!(web::simd_enabled());
}

#[wasm_bindgen_test]
fn reference_cases_through_the_js_api_match_pytorch_and_native() {
    let golden: serde_json::Value =
        serde_json::from_str(include_str!("../data/native_trajectories.json")).unwrap();
    let golden = golden.as_array().unwrap();
    let cases = common::cases();
    assert_eq!(cases.len(), 53);
    let mut worst_ref = 0.0f64;
    let mut worst_native = 0.0f64;
    for (c, g) in cases.iter().zip(golden) {
        assert_eq!(g["id"].as_str().unwrap(), c.id);
        let out = web::trajectory(js(&c.spec)).unwrap_or_else(|_| panic!("{} threw", c.id));
        let (points, values) = (f64s(&out, "points"), f64s(&out, "values"));
        let e_ref =
            common::max_rel_err(&points, &c.points).max(common::max_rel_err(&values, &c.values));
        let lr_err = c
            .lrs
            .as_ref()
            .map_or(0.0, |l| common::max_rel_err(&f64s(&out, "lrs"), l));
        assert!(
            e_ref.max(lr_err) <= 1e-9,
            "{}: {e_ref:e} / lrs {lr_err:e}",
            c.id
        );
        let gv = |k: &str| -> Vec<f64> {
            g[k].as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        };
        let e_nat = common::max_rel_err(&points, &gv("points"))
            .max(common::max_rel_err(&values, &gv("values")));
        assert!(e_nat <= 1e-12, "{}: wasm vs native {e_nat:e}", c.id);
        let div = Reflect::get(&out, &"diverged_at_step".into())
            .unwrap()
            .as_f64()
            .map(|k| k as usize);
        assert_eq!(div, c.diverged_at_step, "{}", c.id);
        worst_ref = worst_ref.max(e_ref);
        worst_native = worst_native.max(e_nat);
    }
    web_sys::console::log_1(
        &format!("wasm: worst vs PyTorch {worst_ref:e}, worst vs native {worst_native:e}").into(),
    );
}

#[wasm_bindgen_test]
fn js_errors_name_the_field() {
    let bad = [
        (
            r#"{"landscape":"rosenbrock","optimizer":{"name":"adam","lr":-1},"steps":5}"#,
            "optimizer.lr",
        ),
        (
            r#"{"landscape":"nope","optimizer":{"name":"adam"},"steps":5}"#,
            "landscape",
        ),
        (
            r#"{"landscape":"rosenbrock","optimizer":{"name":"adam"},"steps":1e9}"#,
            "steps",
        ),
        (
            r#"{"landscape":{"expression":"sin(x"},"optimizer":{"name":"adam"},"steps":5}"#,
            "landscape.expression",
        ),
        (
            r#"{"landscape":"rosenbrock","start":[0,"a"],"optimizer":{"name":"adam"},"steps":5}"#,
            "start[1]",
        ),
        (
            r#"{"landscape":"rosenbrock","optimizer":{"name":"sgd","momentum":0.9},"scheduler":{"name":"warp"},"steps":5}"#,
            "scheduler.name",
        ),
        (r#"[1,2,3]"#, "spec"),
    ];
    for (spec, field) in bad {
        let msg = error_message(web::trajectory(JSON::parse(spec).unwrap()));
        assert!(msg.starts_with(&format!("{field}:")), "{spec} → {msg}");
    }
    // NaN survives the JS → Rust boundary and is reported as NaN.
    let spec =
        JSON::parse(r#"{"landscape":"rosenbrock","optimizer":{"name":"sgd"},"steps":5}"#).unwrap();
    let opt = Reflect::get(&spec, &"optimizer".into()).unwrap();
    Reflect::set(&opt, &"lr".into(), &JsValue::from_f64(f64::NAN)).unwrap();
    let msg = error_message(web::trajectory(spec));
    assert!(
        msg.starts_with("optimizer.lr:") && msg.contains("NaN"),
        "{msg}"
    );
    assert!(error_message(web::trajectory(JsValue::UNDEFINED)).starts_with("spec:"));
}

#[wasm_bindgen_test]
fn run_handle_streams_and_exposes_state_views() {
    let spec = JSON::parse(
        r#"{"landscape":"rosenbrock","start":[-1.5,2],"optimizer":{"name":"adam","lr":0.01}}"#,
    )
    .unwrap();
    let mut run = web::Run::new(spec).unwrap();
    assert_eq!(run.step(150), 150);
    assert_eq!(run.step(50), 50);
    assert_eq!(run.len(), 201);
    let case = common::cases()
        .into_iter()
        .find(|c| c.id == "rosenbrock-A-adam")
        .unwrap();
    assert!(common::max_rel_err(&run.points().to_vec(), &case.points) <= 1e-9);
    let state = run.state();
    for key in [
        "grad",
        "update",
        "exp_avg",
        "exp_avg_sq",
        "m_hat",
        "v_hat",
        "lr",
    ] {
        assert!(
            Reflect::has(&state, &key.into()).unwrap(),
            "state has {key}"
        );
    }
    let m = Float64Array::from(Reflect::get(&state, &"exp_avg".into()).unwrap()).to_vec();
    let m_hat = Float64Array::from(Reflect::get(&state, &"m_hat".into()).unwrap()).to_vec();
    let bc1 = 1.0 - 0.9f64.powi(200);
    assert!((m_hat[0] - m[0] / bc1).abs() <= 1e-15 * m_hat[0].abs().max(1.0));
}

#[wasm_bindgen_test]
fn landscape_handle_grid_and_render() {
    let mut l = web::Landscape::new(JsValue::from_str("rosenbrock")).unwrap();
    assert_eq!(l.value(1.0, 1.0), 0.0);
    assert_eq!(l.gradient(1.0, 1.0), vec![0.0, 0.0]);
    assert_eq!(l.hessian(1.0, 1.0), vec![802.0, -400.0, 200.0]);
    let g = l.grid(5, 3, -2.0, 2.0, -1.0, 3.0).unwrap().to_vec();
    assert_eq!(g.len(), 15);
    assert!((g[0] as f64 - l.value(-2.0, -1.0)).abs() < 1e-3);
    let rgba = l
        .render(16, 8, -2.0, 2.0, -1.0, 3.0, "log", "viridis", 8)
        .unwrap();
    assert_eq!(rgba.length(), 16 * 8 * 4);
    assert!(l
        .render(1, 8, -2.0, 2.0, -1.0, 3.0, "log", "viridis", 8)
        .is_err());
    assert!(l
        .render(8, 8, 2.0, -2.0, -1.0, 3.0, "log", "viridis", 8)
        .is_err());
    assert!(l
        .render(8, 8, -2.0, 2.0, -1.0, 3.0, "tan", "viridis", 8)
        .is_err());
    assert!(web::Landscape::new(JsValue::from_str("banana")).is_err());
    assert!(web::check_expression("sin(x)*cos(y) + 0.1*(x^2+y^2)").is_null());
    let e = web::check_expression("sin(x)*");
    assert_eq!(
        Reflect::get(&e, &"position".into()).unwrap().as_f64(),
        Some(7.0)
    );
}

#[wasm_bindgen_test]
fn basins_are_computed_in_slices_through_the_js_api() {
    let spec = JSON::parse(
        r#"{"landscape":"himmelblau","optimizer":{"name":"sgd","lr":0.01},"steps":300}"#,
    )
    .unwrap();
    let mut b = web::Basins::new(spec, 16, 16, -5.0, 5.0, -5.0, 5.0).unwrap();
    let first = b.advance(1000);
    assert!(first > 0.0 && first < 1.0 && !b.done());
    while !b.done() {
        b.advance(10_000);
    }
    let labels = b.labels().to_vec();
    assert_eq!(labels.len(), 256);
    assert!(labels.iter().all(|&l| (0..4).contains(&l)), "four basins");
    assert_eq!(b.centers().length(), 12);
    assert_eq!(b.rgba().length(), 256 * 4);
    let bad = JSON::parse(r#"{"landscape":"himmelblau","optimizer":{"name":"sgd"},"steps":300}"#)
        .unwrap();
    assert!(web::Basins::new(bad, 0, 16, -5.0, 5.0, -5.0, 5.0).is_err());
}

#[wasm_bindgen_test]
fn data_landscape_samples_mini_batches() {
    let run = |b: &str| {
        let spec = JSON::parse(&format!(
            r#"{{"landscape":"iris_petals_standardized","optimizer":{{"name":"sgd","lr":0.05}},"steps":200,"batch_size":{b},"seed":3}}"#
        ))
        .unwrap();
        f64s(&web::trajectory(spec).unwrap(), "points")
    };
    assert_eq!(run("10"), run("10"));
    assert_ne!(run("10"), run("11"));
    let bad = JSON::parse(
        r#"{"landscape":"rosenbrock","optimizer":{"name":"sgd"},"steps":5,"batch_size":4}"#,
    )
    .unwrap();
    assert!(error_message(web::trajectory(bad)).starts_with("batch_size:"));
}

// ---- networks ----

const TORCH_NN: &str = include_str!("../data/torch_nn.json");

fn flat(v: &serde_json::Value) -> Vec<f64> {
    match v {
        serde_json::Value::Array(a) => a.iter().flat_map(flat).collect(),
        serde_json::Value::Number(n) => vec![n.as_f64().unwrap()],
        _ => panic!("not numeric"),
    }
}

/// A JS value (nested arrays of numbers) flattened.
fn js_flat(v: &JsValue) -> Vec<f64> {
    if let Some(x) = v.as_f64() {
        return vec![x];
    }
    js_sys::Array::from(v)
        .iter()
        .flat_map(|x| js_flat(&x))
        .collect()
}

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &k.into()).unwrap()
}

#[wasm_bindgen_test]
fn mlp_gradients_through_the_js_api_match_pytorch() {
    let r: serde_json::Value = serde_json::from_str(TORCH_NN).unwrap();
    let m = &r["mlp"];
    let mut worst = 0.0f64;
    for c in m["cases"].as_array().unwrap() {
        for dtype in ["f64", "f32"] {
            let spec = serde_json::json!({
                "layer_sizes": m["layer_sizes"], "activation": c["activation"], "loss": c["loss"],
                "weights": m["W"], "biases": m["b"], "inputs": m["inputs"], "targets": c["targets"],
                "dtype": dtype,
            });
            let out = web::mlp_gradients(JSON::parse(&spec.to_string()).unwrap())
                .unwrap_or_else(|_| panic!("{} threw", c["id"]));
            let hidden = js_sys::Array::from(&get(&out, "hidden"));
            let pairs = [
                (js_flat(&get(&hidden.get(0), "z")), flat(&c["z1"])),
                (js_flat(&get(&hidden.get(0), "h")), flat(&c["h1"])),
                (js_flat(&get(&hidden.get(1), "z")), flat(&c["z2"])),
                (js_flat(&get(&hidden.get(1), "h")), flat(&c["h2"])),
                (js_flat(&get(&out, "output")), flat(&c["output"])),
                (
                    js_flat(&get(&out, "loss")),
                    vec![c["loss_value"].as_f64().unwrap()],
                ),
                (js_flat(&get(&out, "grad_weights")), flat(&c["grad_W"])),
                (js_flat(&get(&out, "grad_biases")), flat(&c["grad_b"])),
            ];
            let e = pairs
                .iter()
                .map(|(a, b)| common::max_rel_err(a, b))
                .fold(0.0, f64::max);
            // f32: single precision (≈ 1e-7 relative, measured against max(|ref|, 1e-3)).
            let tol = if dtype == "f64" { 1e-9 } else { 2e-4 };
            assert!(e <= tol, "{} {dtype}: {e:e}", c["id"]);
            if dtype == "f64" {
                worst = worst.max(e);
            }
        }
    }
    web_sys::console::log_1(&format!("wasm mlpGradients: worst vs PyTorch {worst:e}").into());
    let bad = serde_json::json!({"layer_sizes": [2, 1], "activation": "relu", "loss": "mse",
        "weights": [[[1, 2, 3]]], "biases": [[0]], "inputs": [[1, 2]], "targets": [[1]]});
    let msg = error_message(web::mlp_gradients(JSON::parse(&bad.to_string()).unwrap()));
    assert!(msg.starts_with("weights[0][0]:"), "{msg}");
}

#[wasm_bindgen_test]
fn simd_matrix_products_match_the_triple_loop() {
    use optplay::nn::gemm::{matmul_nn, matmul_nt, matmul_tn, naive, Mat, Workspace};
    let mut ws = Workspace::<f32>::default();
    for &(m, n, k) in &[
        (1, 1, 1),
        (5, 9, 3),
        (32, 8, 8),
        (33, 17, 13),
        (4, 8, 300),
        (37, 70, 260),
        (256, 10, 128),
    ] {
        let a: Vec<f64> = (0..m * k).map(|i| (i as f64 * 0.37).sin()).collect();
        let b: Vec<f64> = (0..n * k).map(|i| (i as f64 * 0.11).cos()).collect();
        let (a32, b32): (Vec<f32>, Vec<f32>) = (
            a.iter().map(|&v| v as f32).collect(),
            b.iter().map(|&v| v as f32).collect(),
        );
        let mut c = vec![0f32; m * n];
        let check = |c: &[f32], want: Vec<f64>, what: &str| {
            let e = c
                .iter()
                .zip(&want)
                .map(|(x, y)| (*x as f64 - y).abs())
                .fold(0.0, f64::max);
            assert!(e < 1e-5 * k as f64, "{what} {m}×{n}×{k}: {e}");
        };
        matmul_nt(m, n, k, &a32, &b32, &mut c, &mut ws);
        check(
            &c,
            naive(
                m,
                n,
                k,
                Mat {
                    data: &a,
                    rs: k,
                    cs: 1,
                },
                Mat {
                    data: &b,
                    rs: 1,
                    cs: k,
                },
            ),
            "nt",
        );
        matmul_tn(m, n, k, &a32, &b32, &mut c, &mut ws);
        check(
            &c,
            naive(
                m,
                n,
                k,
                Mat {
                    data: &a,
                    rs: 1,
                    cs: m,
                },
                Mat {
                    data: &b,
                    rs: n,
                    cs: 1,
                },
            ),
            "tn",
        );
        matmul_nn(m, n, k, &a32, &b32, &mut c, &mut ws);
        check(
            &c,
            naive(
                m,
                n,
                k,
                Mat {
                    data: &a,
                    rs: k,
                    cs: 1,
                },
                Mat {
                    data: &b,
                    rs: n,
                    cs: 1,
                },
            ),
            "nn",
        );
    }
}

#[wasm_bindgen_test]
fn trainer_handle_trains_inspects_and_draws() {
    let spec = JSON::parse(
        r#"{"layer_sizes":[2,16,16,1],"activation":"tanh","init":"xavier_normal","optimizer":{"name":"adam","lr":0.02},"scheduler":{"name":"cosine","T_max":400},"batch_size":32,"seed":5,"data":{"name":"circle","n":300,"noise":0.05,"validation_split":0.2},"batch_norm":true,"dropout":0.1}"#,
    )
    .unwrap();
    let mut t = web::Trainer::new(spec).unwrap();
    assert_eq!(
        (t.layers(), t.dim(), t.classes(), t.batch_size()),
        (3, 2, 2, 32)
    );
    let e0 = t.evaluate();
    assert_eq!(t.step(400), 400);
    let e = t.evaluate();
    let num = |o: &js_sys::Object, k: &str| get(o, k).as_f64().unwrap();
    assert!(num(&e, "train_loss") < num(&e0, "train_loss"));
    assert!(
        num(&e, "val_accuracy") >= 0.9,
        "{}",
        num(&e, "val_accuracy")
    );
    assert_eq!(t.loss_history().length(), 400);
    let ins = t.inspect(20).unwrap();
    assert_eq!(
        js_sys::Float32Array::from(get(&ins, "stats")).length() as usize,
        3 * optplay::nn::stats::NSTAT
    );
    for kind in ["activation", "preactivation", "gradient"] {
        let h = js_sys::Float32Array::from(get(&ins, kind)).to_vec();
        assert_eq!(h.len(), 60);
        assert!((h[..20].iter().sum::<f32>() - 1.0).abs() < 1e-4, "{kind}");
    }
    t.set_histogram_range("activation", Some(-1.0), Some(1.0))
        .unwrap();
    assert!(t.set_histogram_range("weights", None, None).is_err());
    let g = t
        .predict_grid(32, 16, -1.5, 1.5, -1.5, 1.5)
        .unwrap()
        .to_vec();
    assert_eq!(g.len(), 512);
    assert!(g.iter().all(|p| (0.0..=1.0).contains(p)));
    assert_eq!(t.parameter_layout().length(), 12);
    assert_eq!(t.parameters().length(), t.parameter_count());
    assert_eq!(t.train_inputs().length(), 2 * t.train_labels().length());
    assert_eq!(t.val_labels().length(), 60);
    let bad = [
        (
            r#"{"layer_sizes":[2,0,1],"optimizer":{"name":"adam"},"data":{"name":"xor"}}"#,
            "layer_sizes[1]:",
        ),
        (
            r#"{"layer_sizes":[2,4,1],"optimizer":{"name":"adam"},"data":{"name":"xor","noise":-1}}"#,
            "data.noise:",
        ),
        (
            r#"{"layer_sizes":[2,4,1],"init":{"name":"kaiming_normal","mode":"fan_middle"},"optimizer":{"name":"adam"},"data":{"name":"xor"}}"#,
            "init.mode:",
        ),
        (
            r#"{"layer_sizes":[4,4,1],"optimizer":{"name":"adam"},"data":{"csv":"a,b,label\n1,2,0\n"}}"#,
            "layer_sizes[0]:",
        ),
    ];
    for (spec, field) in bad {
        let e: JsValue = web::Trainer::new(JSON::parse(spec).unwrap())
            .err()
            .expect("an error")
            .into();
        let msg = get(&e, "message").as_string().unwrap();
        assert!(msg.starts_with(field), "{spec} → {msg}");
    }
    let digits = JSON::parse(r#"{"layer_sizes":[3,4,3],"optimizer":{"name":"sgd"},"data":{"inputs":[[1,2,3],[4,5,6]],"labels":[0,2]}}"#).unwrap();
    let mut t = web::Trainer::new(digits).unwrap();
    assert!(
        t.predict_grid(8, 8, 0.0, 1.0, 0.0, 1.0).is_err(),
        "3-D data has no grid"
    );
}

#[wasm_bindgen_test]
fn activation_curves_come_from_the_engine() {
    let c = web::activation_curve("sigmoid", -6.0, 6.0, 1201).unwrap();
    let dg = f64s(&c, "dg");
    let max = dg.iter().cloned().fold(0.0, f64::max);
    assert!((max - 0.25).abs() < 1e-12, "sigmoid′ peaks at 1/4: {max}");
    let relu = web::activation_curve("relu", -1.0, 1.0, 5).unwrap();
    assert_eq!(
        f64s(&relu, "dg"),
        vec![0.0, 0.0, 0.0, 1.0, 1.0],
        "relu′(0) = 0 as in torch"
    );
    assert!(web::activation_curve("swish", -1.0, 1.0, 5).is_err());
    assert!(web::activation_curve("tanh", 1.0, -1.0, 5).is_err());
}

/// The f32 activation kernels the network runs (SIMD128 lanes here) against f64 libm, over a
/// log-spaced sweep of both signs: tanh ≤ 6 ulp, σ ≤ 3 ulp (σ relative, down to σ(−87)), NaN
/// kept, ±∞ saturating, every slice length.
#[wasm_bindgen_test]
fn simd_activations_match_libm_to_a_few_ulp() {
    use optplay::optim::Scalar;
    let ulps = |got: f32, want: f64| {
        let w = (want as f32).abs();
        (got as f64 - want).abs() / (f32::from_bits(w.to_bits() + 1) - w) as f64
    };
    let mut z = vec![0.0f32, 9.0, -9.0, 9.02, -9.02, 20.0, -20.0];
    let mut x = 1e-30f32;
    while x < 87.0 {
        z.push(x);
        z.push(-x);
        x *= 1.003;
    }
    let (mut t, mut s) = (vec![0.0f32; z.len()], vec![0.0f32; z.len()]);
    f32::tanh_slice(&z, &mut t);
    f32::sigmoid_slice(&z, &mut s);
    let (mut wt, mut wsg) = (0.0f64, 0.0f64);
    for i in 0..z.len() {
        let x = z[i] as f64;
        let et = ulps(t[i], x.tanh());
        let es = ulps(s[i], 1.0 / (1.0 + (-x).exp()));
        assert!(et <= 6.0, "tanh({x:e}) = {:e}: {et} ulp", t[i]);
        assert!(es <= 3.0, "sigmoid({x:e}) = {:e}: {es} ulp", s[i]);
        wt = wt.max(et);
        wsg = wsg.max(es);
    }
    web_sys::console::log_1(&format!("wasm tanh worst {wt} ulp, sigmoid worst {wsg} ulp").into());
    let special = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 0.5, -0.5];
    let mut h = [7.0f32; 6];
    f32::tanh_slice(&special, &mut h[..5]);
    assert!(h[0].is_nan());
    assert_eq!(&h[1..3], &[1.0, -1.0]);
    assert_eq!(h[5], 7.0, "wrote past the slice");
    f32::sigmoid_slice(&special, &mut h[..5]);
    assert!(h[0].is_nan());
    assert_eq!(h[1], 1.0);
    assert!(h[2] < 1e-37);
}

/// `dropout()` and the trainer's dropout views through the JS API: the mask, the 1/(1 − p)
/// scaling, the eval identity, field-named errors; masks, test rules and Monte-Carlo curves.
#[wasm_bindgen_test]
fn dropout_through_the_js_api() {
    let call = |s: &str| web::dropout(JSON::parse(s).unwrap()).map(JsValue::from);
    let r = call(r#"{"input":[[1,2,3,4],[5,6,7,8]],"p":0.25,"seed":9}"#).unwrap();
    let (out, mask) = (
        f64s(&r, "output"),
        js_sys::Uint8Array::from(get(&r, "mask")).to_vec(),
    );
    assert_eq!((out.len(), mask.len()), (8, 8));
    for (i, (&y, &m)) in out.iter().zip(&mask).enumerate() {
        let x = 1.0 + i as f64;
        assert_eq!(y, if m == 1 { x * (1.0 / 0.75) } else { 0.0 }, "value {i}");
    }
    let b =
        call(r#"{"input":[[1,2,3,4],[5,6,7,8]],"p":0.5,"seed":3,"granularity":"batch"}"#).unwrap();
    let bm = js_sys::Uint8Array::from(get(&b, "mask")).to_vec();
    assert_eq!(bm[..4], bm[4..], "one mask for the batch");
    let e = call(r#"{"input":[1,2,3],"p":0.9,"training":false}"#).unwrap();
    assert_eq!(f64s(&e, "output"), vec![1.0, 2.0, 3.0]);
    assert!(error_message(call(r#"{"input":[1],"p":1.5}"#)).starts_with("p: "));
    assert!(
        error_message(call(r#"{"input":[1],"granularity":"unit"}"#)).starts_with("granularity: ")
    );
    assert!(error_message(call(r#"{"input":[[1],2]}"#)).starts_with("input[1]: "));

    let spec = JSON::parse(
        r#"{"layer_sizes":[2,16,2],"optimizer":{"name":"sgd","lr":0.1},"batch_size":8,"seed":2,"data":{"name":"moons","n":100,"validation_split":0.2},"dropout":0.5,"input_dropout":0.2}"#,
    )
    .unwrap();
    let mut t = web::Trainer::new(spec).unwrap();
    t.step(5);
    let m = js_sys::Array::from(&t.masks(0).unwrap());
    assert_eq!(m.length(), 2);
    let hidden = m.get(1);
    assert_eq!(get(&hidden, "after").as_f64(), Some(1.0));
    assert_eq!(get(&hidden, "rows").as_f64(), Some(8.0));
    assert_eq!(js_sys::Array::from(&get(&hidden, "kept")).length(), 16);
    let convnet = t.evaluate_test_rule("convnetjs").unwrap();
    let right = t.evaluate_test_rule("pytorch").unwrap();
    assert_ne!(
        get(&convnet, "val_loss").as_f64(),
        get(&right, "val_loss").as_f64()
    );
    assert!(error_message(t.evaluate_test_rule("keras").map(JsValue::from)).starts_with("rule: "));
    let mc = t.evaluate_mc(4, 1).unwrap();
    assert_eq!(f64s(&mc, "accuracy").len(), 4);
    assert!(error_message(t.evaluate_mc(0, 1).map(JsValue::from)).starts_with("k: "));
    let a = t
        .predict_grid_thinned(8, 8, -2.0, 3.0, -1.5, 2.0, 4)
        .unwrap()
        .to_vec();
    let b = t
        .predict_grid_thinned(8, 8, -2.0, 3.0, -1.5, 2.0, 4)
        .unwrap()
        .to_vec();
    assert_eq!((a.len(), &a), (64, &b), "one mask from one seed");
}

#[wasm_bindgen_test]
fn batch_norm_through_the_js_api_matches_pytorch() {
    let r: serde_json::Value =
        serde_json::from_str(include_str!("../data/torch_batchnorm.json")).unwrap();
    let mut worst = 0.0f64;
    for c in r["cases"].as_array().unwrap() {
        let out = web::batch_norm_1d(JSON::parse(&c["spec"].to_string()).unwrap())
            .unwrap_or_else(|_| panic!("{} threw", c["id"]));
        let batches = js_sys::Array::from(&get(&out, "batches"));
        for (b, w) in c["batches"].as_array().unwrap().iter().enumerate() {
            let got = batches.get(b as u32);
            for k in [
                "output",
                "batch_mean",
                "batch_var_biased",
                "batch_var_unbiased",
                "running_mean",
                "running_var",
                "grad_input",
                "grad_gamma",
                "grad_beta",
            ] {
                if w[k].is_null() {
                    assert!(
                        get(&got, k).is_null(),
                        "{} {k}: null without affine",
                        c["id"]
                    );
                    continue;
                }
                let e = common::max_rel_err(&f64s(&got, k), &flat(&w[k]));
                worst = worst.max(e);
                assert!(e <= 1e-9, "{} batch {b} {k}: {e:e}", c["id"]);
            }
        }
        let e = common::max_rel_err(&f64s(&out, "eval_output"), &flat(&c["eval_output"]));
        assert!(e <= 1e-9, "{} eval: {e:e}", c["id"]);
    }
    web_sys::console::log_1(&format!("wasm batchNorm1d: worst vs PyTorch {worst:e}").into());
    let bad = JSON::parse(r#"{"num_features":2,"train_batches":[{"input":[[1,2]]}]}"#).unwrap();
    let msg = error_message(web::batch_norm_1d(bad).map(JsValue::from));
    assert!(msg.starts_with("train_batches[0].input:"), "{msg}");
}

#[wasm_bindgen_test]
fn unit_problem_through_the_js_api_matches_pytorch() {
    let r: serde_json::Value =
        serde_json::from_str(include_str!("../data/unit_reference.json")).unwrap();
    let csv = include_str!("../../www/data/breast_cancer.csv");
    for c in r["runs"].as_array().unwrap() {
        let spec = serde_json::json!({"data": {"csv": csv}, "features": ["mean_area", "mean_smoothness"],
            "validation_split": 0, "model": c["model"]});
        let p = web::UnitProblem::new(JSON::parse(&spec.to_string()).unwrap()).unwrap();
        let run = serde_json::json!({"transform": c["transform"], "optimizer": c["optimizer"], "steps": c["steps"]});
        let out = p.run(JSON::parse(&run.to_string()).unwrap()).unwrap();
        let e = common::max_rel_err(&f64s(&out, "loss"), &flat(&c["loss"])).max(
            common::max_rel_err(&f64s(&out, "params"), &flat(&c["params"])),
        );
        assert!(e <= 1e-9, "{} {}: {e:e}", c["transform"], c["optimizer"]);
    }
    let c = &r["curvature"][6]; // breast cancer, 2 features, standardized, logistic
    let spec = serde_json::json!({"data": {"csv": csv}, "features": c["features"], "validation_split": 0,
        "model": c["model"], "transform": c["transform"]});
    let k = web::curvature(JSON::parse(&spec.to_string()).unwrap()).unwrap();
    let e = common::max_rel_err(&f64s(&k, "eigenvalues"), &flat(&c["eigenvalues"]));
    assert!(e <= 1e-9, "curvature eigenvalues {e:e}");
    let bad = JSON::parse(r#"{"data":{"name":"slide"},"features":["x9"]}"#).unwrap();
    let msg = error_message(web::UnitProblem::new(bad).map(JsValue::from));
    assert!(msg.starts_with("features[0]:"), "{msg}");
}

#[wasm_bindgen_test]
fn batch_norm_inference_modes_and_unit_percentiles_through_the_js_api() {
    let spec = JSON::parse(
        r#"{"layer_sizes":[2,8,8,2],"activation":"sigmoid","init":{"name":"normal","std":0.1},"optimizer":{"name":"sgd","lr":0.5},"batch_size":16,"seed":3,"batch_norm":true,"data":{"name":"blobs","n":120,"validation_split":0.25}}"#,
    )
    .unwrap();
    let mut t = web::Trainer::new(spec).unwrap();
    t.step(50);
    for stats in ["running", "batch", "population"] {
        let e: JsValue = t.evaluate_batch_norm(stats, 30).unwrap();
        let acc = get(&e, "val_accuracy").as_f64().unwrap();
        assert!((0.0..=1.0).contains(&acc), "{stats}: {acc}");
    }
    assert!(error_message(t.evaluate_batch_norm("median", 30)).starts_with("stats: "));
    assert!(error_message(t.evaluate_batch_norm("batch", 0)).starts_with("batch: "));
    let p = t.unit_percentiles(1, 0, vec![15.0, 50.0, 85.0]).unwrap();
    assert!(p[0] <= p[1] && p[1] <= p[2], "{p:?}");
    assert!(
        error_message(t.unit_percentiles(2, 0, vec![50.0]).map(|_| JsValue::NULL))
            .starts_with("layer: ")
    );
    assert!(
        error_message(t.unit_percentiles(0, 8, vec![50.0]).map(|_| JsValue::NULL))
            .starts_with("unit: ")
    );
    assert!(
        error_message(t.unit_percentiles(0, 0, vec![120.0]).map(|_| JsValue::NULL))
            .starts_with("ps: ")
    );
}

#[wasm_bindgen_test]
fn gradient_and_weight_scale_probes_and_bn_unit_stats_through_the_js_api() {
    let spec = JSON::parse(
        r#"{"layer_sizes":[2,8,8,2],"activation":"sigmoid","init":{"name":"normal","std":0.5},"optimizer":{"name":"sgd","lr":0.5},"batch_size":16,"seed":3,"batch_norm":true,"bn_running_init":"first_batch","data":{"name":"blobs","n":120,"validation_split":0.25,"scale":0.5}}"#,
    )
    .unwrap();
    let mut t = web::Trainer::new(spec).unwrap();
    assert!(t.bn_unit_stats(0, 0).is_none(), "before the first step");
    t.step(1);
    // The lecture's start: after one step the running mean is the batch's mean.
    let s = t.bn_unit_stats(0, 3).unwrap();
    assert!((s[0] - s[2]).abs() <= 1e-6 * s[0].abs().max(1.0), "{s:?}");
    let p = t.gradient_probe(vec![0.0, 0.25, 1.0]).unwrap();
    let losses = js_sys::Float64Array::from(get(&p, "losses")).to_vec();
    let loss = get(&p, "loss").as_f64().unwrap();
    assert!(
        (losses[0] - loss).abs() <= 1e-6 * loss,
        "η = 0 is the loss itself"
    );
    assert!(get(&p, "beta").as_f64().unwrap() > 0.0);
    assert!(error_message(t.gradient_probe(vec![-1.0])).starts_with("etas: "));
    assert!(error_message(t.gradient_probe(vec![])).starts_with("etas: "));
    let w = t.weight_scale_probe(1, vec![0.5, 1.0, 4.0]).unwrap();
    let wl = js_sys::Float64Array::from(get(&w, "loss")).to_vec();
    assert!(
        wl.iter().all(|l| (l - wl[1]).abs() <= 1e-3 * wl[1]),
        "BN(aWu) = BN(Wu): {wl:?}"
    );
    assert!(
        error_message(t.weight_scale_probe(3, vec![1.0]).map(JsValue::from)).starts_with("layer: ")
    );
    assert!(
        error_message(t.weight_scale_probe(0, vec![0.0]).map(JsValue::from))
            .starts_with("scales: ")
    );
}
