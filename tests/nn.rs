//! The network engine against PyTorch (tests/data/torch_nn.json, float64, to 1e-9 with the
//! reference README's error measure), finite differences, the promised initializer variances,
//! dropout's expectation, and a digits network that learns.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::max_rel_err;
use optplay::nn::init::Nonlinearity;
use optplay::nn::layer::{dropout_values, BatchNorm1d, Ctx, Dropout, Granularity, Layer, Mode};
use optplay::nn::{self, gemm::Workspace, Activation, Arch, Buffers, Init, Loss, Mlp, Rng};
use optplay::spec::Val;
use serde_json::Value;

const TORCH_NN: &str = include_str!("data/torch_nn.json");

fn flat(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(a) => a.iter().flat_map(flat).collect(),
        Value::Number(n) => vec![n.as_f64().unwrap()],
        _ => panic!("not numeric: {v}"),
    }
}

fn val(v: &Value) -> Val {
    serde_json::from_value(v.clone()).unwrap()
}

/// The mlp cases as `mlpGradients` specs (the same objects the JS test passes).
pub fn mlp_specs(dtype: &str) -> Vec<(String, Value, Value)> {
    let r: Value = serde_json::from_str(TORCH_NN).unwrap();
    let m = &r["mlp"];
    m["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let spec = serde_json::json!({
                "layer_sizes": m["layer_sizes"], "activation": c["activation"], "loss": c["loss"],
                "weights": m["W"], "biases": m["b"], "inputs": m["inputs"], "targets": c["targets"],
                "dtype": dtype,
            });
            (c["id"].as_str().unwrap().to_string(), spec, c.clone())
        })
        .collect()
}

#[test]
fn mlp_forward_and_backward_match_pytorch() {
    let mut worst = 0.0f64;
    for (id, spec, c) in mlp_specs("f64") {
        let s = nn::grad_spec::gradients(&val(&spec)).unwrap();
        let g = nn::gradients::<f64>(&s);
        let mut errs = vec![
            max_rel_err(&g.hidden[0].0, &flat(&c["z1"])),
            max_rel_err(&g.hidden[0].1, &flat(&c["h1"])),
            max_rel_err(&g.hidden[1].0, &flat(&c["z2"])),
            max_rel_err(&g.hidden[1].1, &flat(&c["h2"])),
            max_rel_err(&g.output, &flat(&c["output"])),
            max_rel_err(&[g.loss], &[c["loss_value"].as_f64().unwrap()]),
        ];
        for l in 0..3 {
            errs.push(max_rel_err(&g.grad_weights[l], &flat(&c["grad_W"][l])));
            errs.push(max_rel_err(&g.grad_biases[l], &flat(&c["grad_b"][l])));
        }
        let e = errs.iter().copied().fold(0.0, f64::max);
        assert!(e <= 1e-9, "{id}: {errs:?}");
        worst = worst.max(e);
        // f32 agrees to f32 precision.
        let mut s32 = s.clone();
        s32.f32 = true;
        let g32 = nn::gradients::<f32>(&s32);
        assert!(
            (g32.loss - g.loss).abs() <= 1e-5 * g.loss.abs().max(1.0),
            "{id} f32"
        );
    }
    println!("mlp: worst error vs PyTorch {worst:e}");
}

#[test]
fn cross_entropy_matches_pytorch_including_huge_logits() {
    let r: Value = serde_json::from_str(TORCH_NN).unwrap();
    for c in r["cross_entropy"]["cases"].as_array().unwrap() {
        let logits = flat(&c["logits"]);
        let targets = flat(&c["targets"]);
        let rows = targets.len();
        let o = logits.len() / rows;
        let mut grad = vec![0.0; logits.len()];
        let loss = Loss::CrossEntropy.eval(&logits, &targets, rows, o, Some(&mut grad));
        let e = max_rel_err(&[loss], &[c["loss_value"].as_f64().unwrap()])
            .max(max_rel_err(&grad, &flat(&c["grad_logits"])));
        assert!(e <= 1e-9, "{}: {e:e}", c["id"]);
    }
}

#[test]
fn batchnorm1d_matches_pytorch_in_train_and_eval() {
    let r: Value = serde_json::from_str(TORCH_NN).unwrap();
    let b = &r["batchnorm1d"];
    let n = b["num_features"].as_u64().unwrap() as usize;
    let mut bn = BatchNorm1d::<f64>::new(
        n,
        b["eps"].as_f64().unwrap(),
        b["momentum"].as_f64().unwrap(),
    );
    let p: Vec<f64> = flat(&b["gamma"])
        .into_iter()
        .chain(flat(&b["beta"]))
        .collect();
    let mut ws = Workspace::default();
    let mut rng = Rng::new(0);
    for (k, batch) in b["train_batches"].as_array().unwrap().iter().enumerate() {
        let x = flat(&batch["input"]);
        let rows = x.len() / n;
        let mut y = vec![0.0; x.len()];
        bn.forward(
            &p,
            &x,
            &mut y,
            rows,
            &mut Ctx {
                mode: Mode::Train,
                rng: &mut rng,
                ws: &mut ws,
            },
        );
        let dy = flat(&batch["upstream_grad"]);
        let (mut dx, mut g) = (vec![0.0; x.len()], vec![0.0; 2 * n]);
        bn.backward(&p, &x, &y, &dy, Some(&mut dx), &mut g, rows, &mut ws);
        let errs = [
            max_rel_err(&y, &flat(&batch["output"])),
            max_rel_err(&bn.running_mean, &flat(&batch["running_mean_after"])),
            max_rel_err(&bn.running_var, &flat(&batch["running_var_after"])),
            max_rel_err(&dx, &flat(&batch["grad_input"])),
            max_rel_err(&g[..n], &flat(&batch["grad_gamma"])),
            max_rel_err(&g[n..], &flat(&batch["grad_beta"])),
        ];
        assert!(errs.iter().all(|&e| e <= 1e-9), "batch {k}: {errs:?}");
    }
    assert_eq!(
        bn.batches_tracked,
        b["num_batches_tracked"].as_u64().unwrap()
    );
    let x = flat(&b["eval"]["input"]);
    let mut y = vec![0.0; x.len()];
    bn.forward(
        &p,
        &x,
        &mut y,
        x.len() / n,
        &mut Ctx {
            mode: Mode::Eval,
            rng: &mut rng,
            ws: &mut ws,
        },
    );
    assert!(max_rel_err(&y, &flat(&b["eval"]["output"])) <= 1e-9);
    assert!(max_rel_err(&bn.running_var, &flat(&b["eval"]["running_var"])) <= 1e-9);
}

/// Central differences of the loss against backprop for every parameter of a small network.
fn fd_check(arch: Arch, loss: Loss, seed: u64) {
    let label = format!(
        "{} bn={}{} dropout={} input_dropout={} {:?} {}",
        arch.activation.name(),
        arch.batch_norm,
        if arch.bn_after { " (after)" } else { "" },
        arch.dropout,
        arch.input_dropout,
        arch.granularity,
        loss.name()
    );
    let mut net = Mlp::<f64>::new(arch.clone());
    let mut rng = Rng::new(seed);
    net.init(&Init::Normal(0.7), &mut rng);
    // Non-trivial batch-norm γ, β and biases.
    for p in net.params.iter_mut() {
        *p += 0.1 * rng.normal();
    }
    let (rows, n_in, n_out) = (6, net.n_in(), net.n_out());
    let x: Vec<f64> = (0..rows * n_in).map(|_| rng.normal()).collect();
    let t: Vec<f64> = match loss {
        Loss::CrossEntropy => (0..rows).map(|_| rng.below(n_out) as f64).collect(),
        Loss::BceWithLogits => (0..rows * n_out).map(|_| rng.below(2) as f64).collect(),
        Loss::Mse => (0..rows * n_out).map(|_| rng.normal()).collect(),
    };
    let mask_rng = Rng::new(99);
    let mut bufs = Buffers::default();
    net.loss_and_grad(
        &x,
        &t,
        rows,
        loss,
        Mode::Train,
        &mut mask_rng.clone(),
        &mut bufs,
    );
    let grads = net.grads.clone();
    let h = 1e-6;
    for (i, &g) in grads.iter().enumerate() {
        let p0 = net.params[i];
        let mut f = |v: f64| {
            net.params[i] = v;
            let out = net
                .forward(&x, rows, Mode::Train, &mut mask_rng.clone(), &mut bufs)
                .to_vec();
            loss.eval(&out, &t, rows, n_out, None)
        };
        let fd = (f(p0 + h) - f(p0 - h)) / (2.0 * h);
        net.params[i] = p0;
        let tol = 1e-6 * (1.0 + g.abs());
        assert!(
            (fd - g).abs() <= tol,
            "{label}: param {i}: backprop {g} vs fd {fd}"
        );
    }
}

#[test]
fn finite_differences_for_every_activation_loss_and_layer() {
    let acts = [
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu(0.01),
        Activation::Gelu,
    ];
    let losses = [
        (Loss::Mse, 2),
        (Loss::BceWithLogits, 2),
        (Loss::CrossEntropy, 3),
    ];
    let mut seed = 1;
    for a in acts {
        for (loss, n_out) in losses {
            // (batch norm, after the activation, dropout, input dropout, granularity)
            for (bn, bn_after, dropout, input_dropout, granularity) in [
                (false, false, 0.0, 0.0, Granularity::Example),
                (true, false, 0.0, 0.0, Granularity::Example),
                (true, true, 0.0, 0.0, Granularity::Example),
                (false, false, 0.3, 0.0, Granularity::Example),
                (true, false, 0.5, 0.0, Granularity::Example),
                (true, true, 0.5, 0.0, Granularity::Batch),
                (false, false, 0.4, 0.25, Granularity::Batch),
                (true, false, 0.0, 0.5, Granularity::Example),
            ] {
                let arch = Arch {
                    sizes: vec![3, 5, 4, n_out],
                    activation: a,
                    batch_norm: bn,
                    bn_after,
                    bn_momentum: Some(0.1),
                    bn_first_batch: false,
                    dropout,
                    input_dropout,
                    granularity,
                };
                fd_check(arch, loss, seed);
                seed += 1;
            }
        }
    }
}

#[test]
fn dropout_is_inverted_expected_activation_unchanged() {
    let (rows, n, p) = (2000, 50, 0.3);
    let mut d = Dropout::<f64>::new(n, p, Granularity::Example);
    let x: Vec<f64> = (0..rows * n).map(|i| 1.0 + (i % n) as f64).collect();
    let mut y = vec![0.0; x.len()];
    let (mut rng, mut ws) = (Rng::new(4), Workspace::default());
    d.forward(
        &[],
        &x,
        &mut y,
        rows,
        &mut Ctx {
            mode: Mode::Train,
            rng: &mut rng,
            ws: &mut ws,
        },
    );
    let dropped = y.iter().filter(|v| **v == 0.0).count() as f64 / y.len() as f64;
    assert!(
        (dropped - p).abs() < 5.0 * (p * (1.0 - p) / y.len() as f64).sqrt(),
        "{dropped}"
    );
    for j in 0..n {
        let mean = (0..rows).map(|r| y[r * n + j]).sum::<f64>() / rows as f64;
        let want = x[j];
        // Each kept value is x/(1 − p): the sample mean's sd is x·sqrt(p/(1−p)/rows).
        let sd = want * (p / (1.0 - p) / rows as f64).sqrt();
        assert!(
            (mean - want).abs() < 5.0 * sd,
            "unit {j}: E[y] {mean} vs x {want}"
        );
    }
    d.forward(
        &[],
        &x,
        &mut y,
        rows,
        &mut Ctx {
            mode: Mode::Eval,
            rng: &mut rng,
            ws: &mut ws,
        },
    );
    assert_eq!(x, y, "inference is the identity");
}

/// `nn.functional.dropout` statistics for n = 10⁶ values: the zero fraction and the mean within
/// 4σ of p and x; every survivor exactly x/(1 − p); inference exactly the identity; p = 0 and
/// p = 1 as torch (identity; zeros).
#[test]
fn dropout_values_have_pytorchs_statistics_and_exact_scaling() {
    let n = 1_000_000;
    let x: Vec<f64> = (0..n).map(|i| 0.5 + (i % 7) as f64 * 0.25).collect();
    let mean_x = x.iter().sum::<f64>() / n as f64;
    for p in [0.1, 0.5, 0.9] {
        let (y, mask) = dropout_values(&x, 1, p, true, 11, Granularity::Example);
        let zeros = y.iter().filter(|v| **v == 0.0).count() as f64 / n as f64;
        let sd = (p * (1.0 - p) / n as f64).sqrt();
        assert!((zeros - p).abs() < 4.0 * sd, "p {p}: zero fraction {zeros}");
        let mean = y.iter().sum::<f64>() / n as f64;
        let second = x.iter().map(|v| v * v).sum::<f64>() / n as f64;
        let sd_mean = (second * p / (1.0 - p) / n as f64).sqrt();
        assert!(
            (mean - mean_x).abs() < 4.0 * sd_mean,
            "p {p}: mean {mean} vs {mean_x}"
        );
        for ((&y, &x), &m) in y.iter().zip(&x).zip(&mask) {
            if m == 1 {
                assert_eq!(y, x * (1.0 / (1.0 - p)), "a survivor is x/(1 − p) exactly");
            } else {
                assert_eq!(y, 0.0);
            }
        }
        let (e, em) = dropout_values(&x[..1000], 1, p, false, 11, Granularity::Example);
        assert_eq!(e, x[..1000].to_vec(), "eval is the identity");
        assert!(em.iter().all(|&m| m == 1));
    }
    let (y0, m0) = dropout_values(&x[..100], 1, 0.0, true, 3, Granularity::Example);
    assert_eq!(y0, x[..100].to_vec(), "p = 0: identity");
    assert!(m0.iter().all(|&m| m == 1));
    let (y1, m1) = dropout_values(&x[..100], 1, 1.0, true, 3, Granularity::Example);
    assert!(
        y1.iter().all(|v| *v == 0.0) && m1.iter().all(|&m| m == 0),
        "p = 1: zeros"
    );
    // One mask per mini-batch: every row drops the same units.
    let rows = 50;
    let xb: Vec<f64> = (0..rows * 40).map(|i| 1.0 + i as f64).collect();
    let (_, mb) = dropout_values(&xb, rows, 0.5, true, 5, Granularity::Batch);
    for r in 1..rows {
        assert_eq!(mb[r * 40..(r + 1) * 40], mb[..40], "row {r}");
    }
    assert!(mb[..40].contains(&0) && mb[..40].contains(&1));
    let (_, me) = dropout_values(&xb, rows, 0.5, true, 5, Granularity::Example);
    assert!((1..rows).any(|r| me[r * 40..(r + 1) * 40] != me[..40]));
}

/// The trainer's masks are the ones its last step applied; ConvNetJS's test-time rule equals
/// PyTorch's at p = 0.5 only; Monte-Carlo dropout without dropout is the plain evaluation.
#[test]
fn trainer_reports_its_masks_and_evaluates_under_each_test_rule() {
    let spec = |extra: &str| {
        let s = format!(
            r#"{{"layer_sizes":[2,32,32,2],"optimizer":{{"name":"sgd","lr":0.1,"momentum":0.9}},"batch_size":16,"seed":2,"data":{{"name":"moons","n":400,"noise":0.1,"validation_split":0.25}}{extra}}}"#
        );
        nn::spec::trainer(&serde_json::from_str(&s).unwrap()).unwrap()
    };
    let build = |extra: &str| {
        let s = spec(extra);
        nn::Trainer::<f64>::new(s.config, &s.data)
    };
    let mut t = build(r#","dropout":0.5,"input_dropout":0.2,"dropout_granularity":"batch""#);
    assert!(
        t.masks(0).iter().all(|m| m.rows == 0),
        "no mask before the first step"
    );
    t.step(3);
    let m = t.masks(0);
    assert_eq!(m.len(), 3);
    assert_eq!(
        (m[0].after, m[0].n, m[1].after, m[1].n, m[2].after),
        (0, 2, 1, 32, 2)
    );
    assert_eq!(m[0].rows, 16);
    let dropped = m[1].kept.iter().filter(|&&k| k == 0).count();
    assert!(dropped > 0 && dropped < 32, "{dropped} of 32 dropped");
    assert_eq!(
        m[1].kept_fraction,
        1.0 - dropped as f64 / 32.0,
        "one mask for the batch"
    );
    assert_eq!(
        t.masks(5)[1].kept,
        m[1].kept,
        "every example has the batch's mask"
    );
    let e = t.evaluate();
    let e2 = t.evaluate_test_scaled(|_| 1.0);
    assert_eq!(e, e2);
    let mut half = build(r#","dropout":0.5"#);
    half.step(200);
    let (a, b) = (
        half.evaluate(),
        half.evaluate_test_scaled(|p| p / (1.0 - p)),
    );
    assert_eq!(a, b, "at p = 0.5 ConvNetJS's rule is right");
    let mut low = build(r#","dropout":0.1,"input_dropout":0.1"#);
    low.step(200);
    let (a, b) = (low.evaluate(), low.evaluate_test_scaled(|p| p / (1.0 - p)));
    assert!(
        b.val_loss > a.val_loss + 0.3,
        "wrong scaling hurts: {} vs {}",
        b.val_loss,
        a.val_loss
    );
    let mut plain = build("");
    plain.step(100);
    let e = plain.evaluate();
    let mc = plain.evaluate_mc(3, 1);
    for j in 0..3 {
        assert!((mc.loss[j] - e.val_loss).abs() < 1e-12 && mc.accuracy[j] == e.val_accuracy);
    }
    let mc = half.evaluate_mc(50, 1);
    let e = half.evaluate();
    assert_eq!(mc.loss.len(), 50);
    assert!(
        mc.loss[49] < mc.loss[0],
        "averaging thinned networks helps: {} → {}",
        mc.loss[0],
        mc.loss[49]
    );
    assert!(
        (mc.accuracy[49] - e.val_accuracy).abs() < 0.05,
        "k = 50 approaches weight scaling: {} vs {}",
        mc.accuracy[49],
        e.val_accuracy
    );
}

#[test]
fn initializers_have_the_variance_they_promise() {
    let (fan_out, fan_in) = (300, 500);
    let n = (fan_in * fan_out) as f64;
    let inits = [
        Init::Uniform(0.3),
        Init::Normal(0.02),
        Init::XavierUniform { gain: 1.0 },
        Init::XavierNormal {
            gain: 1.0,
            fan_in_only: false,
        },
        Init::XavierNormal {
            gain: 5.0 / 3.0,
            fan_in_only: true,
        },
        Init::KaimingNormal {
            nonlinearity: Nonlinearity::RELU,
            fan_out: false,
        },
        Init::KaimingNormal {
            nonlinearity: Nonlinearity::RELU,
            fan_out: true,
        },
        Init::KaimingUniform {
            nonlinearity: Nonlinearity::RELU,
            fan_out: false,
        },
        Init::LecunNormal,
        Init::TorchDefault,
        Init::Preset(0.01),
        Init::Preset(1.0),
        Init::Preset(100.0),
        Init::Orthogonal { gain: 1.0 },
    ];
    for (k, init) in inits.iter().enumerate() {
        let mut w = vec![0.0f64; fan_in * fan_out];
        let mut b = vec![0.0f64; fan_out];
        init.fill(
            &mut w,
            &mut b,
            fan_in,
            fan_out,
            &mut Rng::new(100 + k as u64),
        );
        let want = init.variance(fan_in, fan_out);
        let mean = w.iter().sum::<f64>() / n;
        let var = w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        let m4 = w.iter().map(|x| x.powi(4)).sum::<f64>() / n;
        // Sampling sd of the variance estimate: sqrt((E x⁴ − σ⁴)/n) (2σ⁴/n for a normal,
        // 4a⁴/45/n for a uniform); 6 sd.
        let tol = 6.0 * ((m4 - want * want).max(0.0) / n).sqrt();
        assert!(
            (var - want).abs() <= tol.max(1e-12 * want),
            "{init:?}: var {var} vs {want} (±{tol})"
        );
        assert!(
            mean.abs() <= 6.0 * (want / n).sqrt(),
            "{init:?}: mean {mean}"
        );
        if *init != Init::TorchDefault {
            assert!(b.iter().all(|&v| v == 0.0), "{init:?}: biases 0");
        }
    }
    // Orthogonal: rows orthonormal (more columns than rows), times the gain.
    let (r, c) = (40, 70);
    let mut w = vec![0.0f64; r * c];
    Init::Orthogonal { gain: 2.0 }.fill(&mut w, &mut [0.0; 40], c, r, &mut Rng::new(3));
    for i in 0..r {
        for j in 0..r {
            let d: f64 = (0..c).map(|k| w[i * c + k] * w[j * c + k]).sum();
            let want = if i == j { 4.0 } else { 0.0 };
            assert!((d - want).abs() < 1e-12, "WWᵀ[{i}][{j}] = {d}");
        }
    }
    let mut w = vec![1.0f64; 12];
    Init::Zeros.fill(&mut w, &mut [0.0; 3], 4, 3, &mut Rng::new(0));
    assert!(w.iter().all(|&v| v == 0.0));
    Init::Constant(0.5).fill(&mut w, &mut [0.0; 3], 4, 3, &mut Rng::new(0));
    assert!(w.iter().all(|&v| v == 0.5));
}

fn trainer_spec(json: &str) -> nn::spec::TrainerSpec {
    nn::spec::trainer(&serde_json::from_str(json).unwrap()).unwrap()
}

#[test]
fn one_flat_optimizer_step_is_sgd_on_every_parameter() {
    let s = trainer_spec(
        r#"{"layer_sizes":[2,5,3,1],"activation":"tanh","loss":"bce_with_logits","init":"xavier_normal","optimizer":{"name":"sgd","lr":0.5},"seed":3,"data":{"name":"moons","n":64,"noise":0.1},"batch_norm":true}"#,
    );
    let mut t = nn::Trainer::<f64>::new(s.config, &s.data);
    let before = t.net.params.clone();
    assert_eq!(t.step(1), 1);
    for ((a, b), g) in t.net.params.iter().zip(&before).zip(&t.net.grads) {
        assert!((a - (b - 0.5 * g)).abs() < 1e-15);
    }
    assert!(t.net.grads.iter().any(|g| *g != 0.0));
}

#[test]
fn trains_2d_sets_and_draws_decision_boundaries() {
    for (data, batch, lr, steps, want) in [
        ("xor", 32, 0.02, 600, 0.95),
        ("circle", 32, 0.02, 600, 0.95),
        ("moons", 32, 0.02, 800, 0.95),
    ] {
        let s = trainer_spec(&format!(
            r#"{{"layer_sizes":[2,16,16,1],"activation":"tanh","init":"xavier_uniform","optimizer":{{"name":"adam","lr":{lr}}},"batch_size":{batch},"seed":7,"data":{{"name":"{data}","n":300,"noise":0.05,"validation_split":0.2}}}}"#
        ));
        let mut t = nn::Trainer::<f32>::new(s.config, &s.data);
        let e0 = t.evaluate();
        assert_eq!(t.step(steps), steps);
        let e = t.evaluate();
        assert!(e.train_loss < e0.train_loss, "{data}: loss fell");
        assert!(
            e.train_accuracy >= want,
            "{data}: train accuracy {} after {steps} steps",
            e.train_accuracy
        );
        let g = t.predict_grid(20, 10, -1.5, 1.5, -1.5, 1.5).to_vec();
        assert_eq!(g.len(), 200);
        assert!(g.iter().all(|p| (0.0..=1.0).contains(p)));
        assert_eq!(t.losses().len(), steps);
        let ins = t.inspect(16);
        assert_eq!((ins.layers, ins.bins), (3, 16));
        assert!((ins.hist[..16].iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }
}

#[test]
fn digits_network_reaches_the_stated_test_accuracy() {
    // 64-64-10 ReLU, Adam(lr 1e-3), batch 32, 20 % held out, standardized features, seed 1.
    let csv = include_str!("../www/data/digits.csv");
    let v = Val::Obj(vec![
        (
            "layer_sizes".into(),
            serde_json::from_str("[64,64,10]").unwrap(),
        ),
        ("activation".into(), Val::Str("relu".into())),
        ("init".into(), Val::Str("kaiming_normal".into())),
        (
            "optimizer".into(),
            serde_json::from_str(r#"{"name":"adam","lr":0.001}"#).unwrap(),
        ),
        ("batch_size".into(), Val::Num(32.0)),
        ("seed".into(), Val::Num(1.0)),
        (
            "data".into(),
            Val::Obj(vec![
                ("csv".into(), Val::Str(csv.into())),
                ("validation_split".into(), Val::Num(0.2)),
                ("normalize".into(), Val::Bool(true)),
            ]),
        ),
    ]);
    let s = nn::spec::trainer(&v).unwrap();
    assert_eq!((s.data.len(), s.data.dim, s.data.n_classes), (1797, 64, 10));
    let mut t = nn::Trainer::<f32>::new(s.config, &s.data);
    assert_eq!((t.train.len(), t.val.len()), (1438, 359));
    t.step(1500); // ≈ 33 epochs
    let e = t.evaluate();
    println!(
        "digits: train {:.4}, held-out {:.4} ({} errors of 359)",
        e.train_accuracy, e.val_accuracy, e.val_errors
    );
    assert!(
        e.val_accuracy >= 0.95,
        "held-out accuracy {}",
        e.val_accuracy
    );
}

#[test]
fn inspection_sees_dead_relus_saturation_and_layer_variances() {
    // deeplearning.ai's "too large" preset saturates a deep tanh network.
    let big = trainer_spec(
        r#"{"layer_sizes":[2,50,50,50,1],"activation":"tanh","init":"too_large","optimizer":{"name":"sgd","lr":0.1},"data":{"name":"circle","n":128}}"#,
    );
    let mut t = nn::Trainer::<f64>::new(big.config, &big.data);
    let ins = t.inspect(10).clone();
    let f = |l: usize, name: &str| {
        ins.stats[l * nn::stats::NSTAT
            + nn::stats::STAT_FIELDS
                .iter()
                .position(|n| *n == name)
                .unwrap()]
    };
    assert!(
        f(1, "saturated_fraction") > 0.5,
        "{}",
        f(1, "saturated_fraction")
    );
    // Xavier keeps the pre-activation variance of tanh layers roughly constant.
    let ok = trainer_spec(
        r#"{"layer_sizes":[2,200,200,200,1],"activation":"tanh","init":{"name":"xavier_normal","variant":"fan_in"},"optimizer":{"name":"sgd","lr":0.1},"data":{"name":"blobs","n":256}}"#,
    );
    let mut t = nn::Trainer::<f64>::new(ok.config, &ok.data);
    let ins = t.inspect(10).clone();
    let f = |l: usize, name: &str| {
        ins.stats[l * nn::stats::NSTAT
            + nn::stats::STAT_FIELDS
                .iter()
                .position(|n| *n == name)
                .unwrap()]
    };
    assert!(f(1, "saturated_fraction") < 0.05);
    let (v1, v2) = (f(1, "pre_var"), f(2, "pre_var"));
    assert!(
        v2 / v1 > 0.5,
        "Xavier: variance kept across layers ({v1} → {v2})"
    );
    // "too_small" (v = 0.01) shrinks it about 100× per layer: vanishing activations.
    let small = trainer_spec(
        r#"{"layer_sizes":[2,200,200,200,1],"activation":"tanh","init":"too_small","optimizer":{"name":"sgd","lr":0.1},"data":{"name":"blobs","n":256}}"#,
    );
    let mut t = nn::Trainer::<f64>::new(small.config, &small.data);
    let ins = t.inspect(10).clone();
    let f = |l: usize, name: &str| {
        ins.stats[l * nn::stats::NSTAT
            + nn::stats::STAT_FIELDS
                .iter()
                .position(|n| *n == name)
                .unwrap()]
    };
    assert!(
        f(2, "pre_var") / f(1, "pre_var") < 0.02,
        "{} → {}",
        f(1, "pre_var"),
        f(2, "pre_var")
    );
    // ReLUs all pushed negative die.
    let dead = trainer_spec(
        r#"{"layer_sizes":[2,30,1],"activation":"relu","init":{"name":"constant","value":-1},"optimizer":{"name":"sgd"},"data":{"inputs":[[1,1],[2,3],[0.5,4]],"labels":[0,1,0]}}"#,
    );
    let mut t = nn::Trainer::<f64>::new(dead.config, &dead.data);
    let ins = t.inspect(10).clone();
    assert_eq!(
        ins.stats[nn::stats::STAT_FIELDS
            .iter()
            .position(|n| *n == "dead_fraction")
            .unwrap()],
        1.0
    );
}

#[test]
fn inspection_reports_float32_overflow_as_infinite_norms_not_zeros() {
    // 45 ReLU layers of 256 with N(0, 1) weights: each layer multiplies the signal by about
    // sqrt(256/2) ≈ 11, so the float32 forward pass overflows (11^45 > 3.4e38).
    let sizes = format!("2,{}1", "256,".repeat(45));
    let s = trainer_spec(&format!(
        r#"{{"layer_sizes":[{sizes}],"activation":"relu","init":{{"name":"normal","std":1}},"optimizer":{{"name":"sgd","lr":0.1}},"batch_size":8,"data":{{"name":"circle","n":64}}}}"#
    ));
    let mut t = nn::Trainer::<f32>::new(s.config, &s.data);
    let ins = t.inspect(8).clone();
    let at = |l: usize, name: &str| {
        ins.stats[l * nn::stats::NSTAT
            + nn::stats::STAT_FIELDS
                .iter()
                .position(|n| *n == name)
                .unwrap()]
    };
    let last = ins.layers - 1;
    assert!(
        at(last - 1, "act_nonfinite") > 0.0,
        "deep activations overflow"
    );
    assert_eq!(at(0, "act_nonfinite"), 0.0, "the first layer is finite");
    for l in 0..ins.layers {
        assert_eq!(
            at(l, "grad_norm"),
            f32::INFINITY,
            "layer {l}: overflow is not a zero norm"
        );
    }
    // A healthy network reports finite norms and no overflow.
    let ok = trainer_spec(
        r#"{"layer_sizes":[2,16,16,1],"activation":"relu","init":"kaiming_normal","optimizer":{"name":"sgd","lr":0.1},"data":{"name":"circle","n":64}}"#,
    );
    let mut t = nn::Trainer::<f32>::new(ok.config, &ok.data);
    let ins = t.inspect(8).clone();
    for l in 0..ins.layers {
        let g = ins.stats[l * nn::stats::NSTAT + 4];
        assert!(g.is_finite() && g > 0.0, "layer {l}: {g}");
        assert_eq!(ins.stats[l * nn::stats::NSTAT + 18], 0.0);
    }
}

#[test]
fn spec_errors_name_the_field() {
    let base = r#""optimizer":{"name":"adam"},"data":{"name":"xor"}"#;
    for (spec, field) in [
        (format!(r#"{{"layer_sizes":[2,0,1],{base}}}"#), "layer_sizes[1]"),
        (format!(r#"{{"layer_sizes":[3,4,1],{base}}}"#), "layer_sizes[0]"),
        (format!(r#"{{"layer_sizes":[2,4,1],"activation":"swish",{base}}}"#), "activation"),
        (format!(r#"{{"layer_sizes":[2,4,1],"init":{{"name":"normal","std":-1}},{base}}}"#), "init.std"),
        (format!(r#"{{"layer_sizes":[2,4,1],"init":"he",{base}}}"#), "init"),
        (format!(r#"{{"layer_sizes":[2,4,1],"loss":"cross_entropy",{base}}}"#), "layer_sizes[2]"),
        (format!(r#"{{"layer_sizes":[2,4,1],"dropout":1.5,{base}}}"#), "dropout"),
        (format!(r#"{{"layer_sizes":[2,4,1],"input_dropout":-0.1,{base}}}"#), "input_dropout"),
        (format!(r#"{{"layer_sizes":[2,4,1],"dropout_granularity":"unit",{base}}}"#), "dropout_granularity"),
        (format!(r#"{{"layer_sizes":[2,4,1],"batch_size":0,{base}}}"#), "batch_size"),
        (r#"{"layer_sizes":[2,4,1],"optimizer":{"name":"newton"},"data":{"name":"xor"}}"#.into(), "optimizer.name"),
        (r#"{"layer_sizes":[2,4,1],"optimizer":{"name":"adam","lr":-1},"data":{"name":"xor"}}"#.into(), "optimizer.lr"),
        (r#"{"layer_sizes":[2,4,1],"optimizer":{"name":"adam"},"data":{"name":"xor","n":1}}"#.into(), "data.n"),
        (r#"{"layer_sizes":[2,4,1],"optimizer":{"name":"adam"},"data":{"csv":"a,b,label\n1,x,0"}}"#.into(), "data.csv"),
        (r#"{"layer_sizes":[2,4,1],"optimizer":{"name":"adam"},"data":{"inputs":[[1,2],[3]],"labels":[0,1]}}"#.into(), "data.inputs[1]"),
        (r#"{"layer_sizes":[2,4,1],"optimizer":{"name":"adam"}}"#.into(), "data"),
        (r#"{"layer_sizes":[2,4,1],"optimizer":{"name":"adam"},"data":{"name":"xor"},"lr":3}"#.into(), "lr"),
    ] {
        let e = nn::spec::trainer(&serde_json::from_str(&spec).unwrap()).unwrap_err();
        assert_eq!(e.field, field, "{spec} → {e}");
    }
    let e = nn::spec::trainer(
        &serde_json::from_str(
            r#"{"layer_sizes":[2,0,1],"optimizer":{"name":"adam"},"data":{"name":"xor"}}"#,
        )
        .unwrap(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "layer_sizes[1]: must be an integer in [1, 4096] (got 0)"
    );
    // Wide layers build with a small batch; the batch limit names the largest batch that fits.
    let wide = r#"{"layer_sizes":[2,1024,1024,1024,1024,1],"optimizer":{"name":"sgd"},"data":{"name":"xor","n":2000}"#;
    let spec = |b: usize| serde_json::from_str(&format!(r#"{wide},"batch_size":{b}}}"#)).unwrap();
    assert!(nn::spec::trainer(&spec(8)).is_ok());
    let e = nn::spec::trainer(&spec(1900)).unwrap_err();
    assert_eq!(e.field, "batch_size");
    assert!(
        e.message.starts_with("at most 1023 for these layer widths"),
        "{e}"
    );
    let (_, mut spec, _) = mlp_specs("f64").remove(0);
    spec["weights"][1][2] = serde_json::json!([1, 2]);
    assert_eq!(
        nn::grad_spec::gradients(&val(&spec)).unwrap_err().field,
        "weights[1][2]"
    );
}

/// `data.split_seed`: runs of different seeds share one training/validation split.
#[test]
fn split_seed_fixes_the_split_across_seeds() {
    let build = |seed: u64, split: &str| {
        let s = trainer_spec(&format!(
            r#"{{"layer_sizes":[2,4,1],"optimizer":{{"name":"sgd","lr":0.1}},"seed":{seed},"data":{{"name":"moons","n":100,"seed":1,"validation_split":0.3{split}}}}}"#
        ));
        nn::Trainer::<f64>::new(s.config, &s.data)
    };
    let (a, b) = (
        build(1, r#","split_seed":7"#),
        build(2, r#","split_seed":7"#),
    );
    assert_eq!(a.val.raw, b.val.raw, "the same validation examples");
    assert_eq!(a.train.raw, b.train.raw);
    let (c, d) = (build(1, ""), build(2, ""));
    assert_ne!(
        c.val.raw, d.val.raw,
        "without split_seed the split follows the seed"
    );
}

/// One thinned network over a whole decision grid: the same mask at every point (the corners of
/// a 2×2 grid are the corners of a 60×60 grid), reproducible from its seed, another seed another
/// network; without dropout it is the plain grid.
#[test]
fn thinned_grid_is_one_network_everywhere() {
    let build = |extra: &str| {
        let s = trainer_spec(&format!(
            r#"{{"layer_sizes":[2,32,32,1],"optimizer":{{"name":"sgd","lr":0.1}},"batch_size":16,"seed":3,"data":{{"name":"moons","n":200,"noise":0.2}}{extra}}}"#
        ));
        nn::Trainer::<f64>::new(s.config, &s.data)
    };
    let mut t = build(r#","dropout":0.5"#);
    t.step(200);
    let big = t
        .predict_grid_thinned(60, 60, -2.0, 3.0, -1.5, 2.0, 9)
        .to_vec();
    let small = t
        .predict_grid_thinned(2, 2, -2.0, 3.0, -1.5, 2.0, 9)
        .to_vec();
    let corners = [big[0], big[59], big[60 * 59], big[60 * 60 - 1]];
    for (a, b) in small.iter().zip(corners) {
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    }
    assert_eq!(
        big,
        t.predict_grid_thinned(60, 60, -2.0, 3.0, -1.5, 2.0, 9)
            .to_vec()
    );
    let other = t
        .predict_grid_thinned(60, 60, -2.0, 3.0, -1.5, 2.0, 10)
        .to_vec();
    assert!(
        big.iter().zip(&other).any(|(a, b)| (a - b).abs() > 1e-3),
        "another mask, another network"
    );
    let mean = t.predict_grid(60, 60, -2.0, 3.0, -1.5, 2.0).to_vec();
    assert!(big.iter().zip(&mean).any(|(a, b)| (a - b).abs() > 1e-3));
    let mut plain = build("");
    plain.step(50);
    let (g, e) = (
        plain
            .predict_grid_thinned(20, 20, -2.0, 3.0, -1.5, 2.0, 1)
            .to_vec(),
        plain.predict_grid(20, 20, -2.0, 3.0, -1.5, 2.0).to_vec(),
    );
    assert_eq!(g, e);
}

/// The masks are exactly `uniform() < 1 − p` of the dropout stream (what the exported PyTorch
/// scripts draw), for awkward p too.
#[test]
fn dropout_masks_are_uniform_below_keep_exactly() {
    for p in [0.0, 0.1, 0.3, 1.0 / 3.0, 0.5, 0.9, 1.0 - 1e-12, 1.0] {
        let x = vec![1.0; 100_000];
        let (_, mask) = dropout_values(&x, 1, p, true, 21, Granularity::Example);
        if p == 0.0 {
            assert!(mask.iter().all(|&m| m == 1));
            continue;
        }
        let mut rng = Rng::derive(21, 4);
        for (i, &m) in mask.iter().enumerate() {
            assert_eq!(m == 1, rng.uniform() < 1.0 - p, "p {p}, value {i}");
        }
    }
}

#[test]
fn batch_norm_pairs_start_from_the_same_weights_and_unit_percentiles_are_numpys() {
    // Ioffe & Szegedy's Fig. 1 compares two nets from the same initial weights: with one seed,
    // the Dense layers of the net with batch norm hold exactly the weights of the net without.
    let spec = |bn: bool| {
        format!(
            r#"{{"layer_sizes": [2, 16, 16, 3], "activation": "sigmoid", "init": {{"name": "normal", "std": 0.1}},
            "optimizer": {{"name": "sgd", "lr": 0.5}}, "batch_size": 20, "seed": 4, "batch_norm": {bn},
            "data": {{"name": "blobs", "n": 120, "validation_split": 0.25}}}}"#
        )
    };
    let (a, b) = (trainer_spec(&spec(false)), trainer_spec(&spec(true)));
    let mut plain = nn::Trainer::<f32>::new(a.config, &a.data);
    let mut with = nn::Trainer::<f32>::new(b.config, &b.data);
    for l in 0..plain.net.depth() {
        assert_eq!(
            plain.net.params[plain.net.weight_range(l)],
            with.net.params[with.net.weight_range(l)],
            "layer {l} weights"
        );
    }
    // Percentiles of a unit's sigmoid input over the validation rows, as numpy.percentile: the
    // pre-activations recomputed here from the weights (no batch norm: z = W x + b).
    let ps = [0.0, 15.0, 50.0, 85.0, 100.0];
    let got = plain.unit_percentiles(0, 3, &ps).unwrap();
    let (w, bias) = (
        &plain.net.params[plain.net.weight_range(0)],
        &plain.net.params[plain.net.bias_range(0)],
    );
    let mut z: Vec<f64> = plain
        .val
        .x
        .chunks_exact(2)
        .map(|x| (w[3 * 2] * x[0] + w[3 * 2 + 1] * x[1] + bias[3]) as f64)
        .collect();
    z.sort_by(f64::total_cmp);
    assert_eq!(z.len(), 30);
    assert!((got[0] - z[0]).abs() < 1e-6 && (got[4] - z[29]).abs() < 1e-6);
    // numpy: position 0.15·29 = 4.35 → z[4] + 0.35·(z[5] − z[4]).
    assert!((got[1] - (z[4] + 0.35 * (z[5] - z[4]))).abs() < 1e-6);
    assert!((got[2] - (z[14] + 0.5 * (z[15] - z[14]))).abs() < 1e-6);
    // With batch norm the sigmoid input is γx̂ + β with the running statistics (eval mode): at
    // initialization (running 0/1, γ = 1, β = 0) it is (z − 0)/√(1 + ε) ≈ the Dense output.
    let gb = with.unit_percentiles(0, 3, &ps).unwrap();
    for (g, p) in gb.iter().zip(&got) {
        assert!((g - p / (1.0f64 + 1e-5).sqrt()).abs() < 1e-5, "{g} vs {p}");
    }
    with.step(30);
    let after = with.unit_percentiles(0, 3, &[15.0, 50.0, 85.0]).unwrap();
    assert!(after[0] <= after[1] && after[1] <= after[2]);
    assert!(
        plain.unit_percentiles(2, 0, &ps).is_none(),
        "the output layer has no sigmoid"
    );
    assert!(plain.unit_percentiles(0, 16, &ps).is_none());
    assert!(plain.unit_percentiles(0, 0, &[101.0]).is_none());
}

#[test]
fn batch_norm_inference_with_running_batch_and_population_statistics() {
    let s = trainer_spec(
        r#"{"layer_sizes": [2, 12, 12, 2], "activation": "sigmoid", "init": {"name": "normal", "std": 0.5},
        "optimizer": {"name": "sgd", "lr": 0.5}, "batch_size": 16, "seed": 7, "batch_norm": true,
        "data": {"name": "blobs", "n": 200, "validation_split": 0.3}}"#,
    );
    let mut t = nn::Trainer::<f64>::new(s.config, &s.data);
    t.step(200);
    use nn::train::BnStats;
    let running = t.evaluate();
    assert_eq!(t.evaluate_bn(BnStats::Running, 1), running);
    // Population statistics (Alg. 2): E_B[μ_B] and m/(m − 1)·E_B[σ_B²] of each BN input over
    // the training set in batches of 16; checked for the first layer against a direct computation.
    let pop = t.population_stats();
    let (m1, v1) = pop[0].clone().unwrap();
    assert!(pop[2].is_none(), "no batch norm after the output layer");
    let (w, b) = (
        t.net.params[t.net.weight_range(0)].to_vec(),
        t.net.params[t.net.bias_range(0)].to_vec(),
    );
    let n = t.train.len();
    let (mut em, mut ev, mut batches) = (vec![0.0; 12], vec![0.0; 12], 0.0);
    for start in (0..n).step_by(16) {
        let rows = 16.min(n - start);
        if rows < 2 {
            continue;
        }
        let mut z = Vec::with_capacity(rows * 12);
        for r in start..start + rows {
            let x = &t.train.x[2 * r..2 * r + 2];
            z.extend((0..12).map(|j| w[2 * j] * x[0] + w[2 * j + 1] * x[1] + b[j]));
        }
        let (mean, var) = optplay::unit::column_stats(&z, 12);
        for j in 0..12 {
            em[j] += mean[j];
            ev[j] += var[j] * rows as f64 / (rows - 1) as f64;
        }
        batches += 1.0;
    }
    for j in 0..12 {
        assert!((m1[j] - em[j] / batches).abs() < 1e-12, "mean {j}");
        assert!((v1[j] - ev[j] / batches).abs() < 1e-12, "var {j}");
    }
    // Evaluating with them leaves the network (its running statistics) as it was, and after 200
    // steps with momentum 0.1 the running averages are close to them.
    let before: Vec<f64> = t.net.running_stats_mut(0).unwrap().0.clone();
    let p = t.evaluate_bn(BnStats::Population, 1);
    assert_eq!(t.net.running_stats_mut(0).unwrap().0, &before);
    assert!(
        (p.val_accuracy - running.val_accuracy).abs() <= 0.05,
        "{p:?} vs {running:?}"
    );
    // A batch of one: every unit normalized to β, one prediction for all: accuracy = a class's share.
    let one = t.evaluate_bn(BnStats::Batch, 1);
    let share = |lab: &[u32]| {
        let c1 = lab.iter().filter(|&&c| c == 1).count() as f64 / lab.len() as f64;
        [c1, 1.0 - c1]
    };
    assert!(
        share(&t.val.labels)
            .iter()
            .any(|s| (s - one.val_accuracy).abs() < 1e-12),
        "batch of 1: val accuracy {} is a class share {:?}",
        one.val_accuracy,
        share(&t.val.labels)
    );
    let big = t.evaluate_bn(BnStats::Batch, 60);
    assert!(
        big.val_accuracy > one.val_accuracy + 0.2,
        "batches of 60 work: {big:?}"
    );
}
