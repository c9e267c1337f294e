//! Property tests for the network edge: random and mutated trainer and gradient specs never
//! panic (a wasm panic would kill the page); every rejection names a field; every accepted spec
//! trains, evaluates, inspects and draws without panicking, even when it diverges.
#![cfg(not(target_arch = "wasm32"))]

use common::fuzz::{Rng, Vocabulary};
use optplay::nn::{self, Trainer};
use optplay::spec::Val;

mod common;

const VOCAB: Vocabulary = Vocabulary {
    keys: KEYS,
    names: NAMES,
    nums: NUMS,
};

const KEYS: &[&str] = &[
    "layer_sizes",
    "activation",
    "loss",
    "init",
    "optimizer",
    "scheduler",
    "batch_size",
    "seed",
    "data",
    "batch_norm",
    "dropout",
    "name",
    "n",
    "noise",
    "csv",
    "inputs",
    "labels",
    "validation_split",
    "train_size",
    "normalize",
    "lr",
    "gain",
    "variant",
    "mode",
    "nonlinearity",
    "a",
    "std",
    "value",
    "negative_slope",
    "weights",
    "biases",
    "targets",
    "dtype",
    "__proto__",
];
const NAMES: &[&str] = &[
    "relu",
    "tanh",
    "sigmoid",
    "gelu",
    "leaky_relu",
    "identity",
    "mse",
    "bce_with_logits",
    "cross_entropy",
    "xavier_normal",
    "kaiming_uniform",
    "orthogonal",
    "too_large",
    "zero",
    "spiral",
    "xor",
    "moons",
    "circle",
    "blobs",
    "adam",
    "sgd",
    "newton",
    "cosine",
    "fan_in",
    "fan_out",
    "f32",
    "f64",
    "",
    "a,b,label\n1,2,0\n3,4,1",
    "label\n1",
    "x,label\n1,7\n",
];
const NUMS: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    0.999,
    2.0,
    3.0,
    7.0,
    64.0,
    1e-300,
    1e300,
    -1e300,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    1e5,
    4097.0,
    2.5,
];

const VALID: &[&str] = &[
    r#"{"layer_sizes":[2,8,8,1],"activation":"tanh","loss":"bce_with_logits","init":"xavier_normal","optimizer":{"name":"adam","lr":0.01},"scheduler":{"name":"cosine","T_max":50},"batch_size":16,"seed":3,"data":{"name":"spiral","n":64,"noise":0.1,"validation_split":0.25,"normalize":true},"batch_norm":true,"dropout":0.2}"#,
    r#"{"layer_sizes":[2,5,3],"activation":{"name":"leaky_relu","negative_slope":0.1},"loss":"cross_entropy","init":{"name":"kaiming_uniform","mode":"fan_out","nonlinearity":"relu"},"optimizer":{"name":"sgd","lr":0.1,"momentum":0.9},"data":{"inputs":[[0,1],[1,0],[2,2],[3,1]],"labels":[0,1,2,1]}}"#,
    r#"{"layer_sizes":[3,4,1],"activation":"gelu","loss":"mse","init":{"name":"orthogonal","gain":2},"optimizer":{"name":"rmsprop"},"batch_size":2,"data":{"csv":"a,b,c,label\n1,2,3,0\n4,5,6,1\n7,8,9,1\n"}}"#,
];

fn exercise(v: &Val) -> bool {
    match nn::spec::trainer(v) {
        Ok(s) => {
            let params: usize = s.config.arch.sizes.windows(2).map(|w| w[0] * w[1]).sum();
            let mut t = Trainer::<f32>::new(s.config, &s.data);
            if params * s.data.len() <= 2_000_000 {
                t.step(3);
                let _ = t.evaluate();
                let _ = t.inspect(7);
                let _ = t.predict_grid(5, 4, f64::NAN, 1.0, -1e300, 1e300);
            }
            true
        }
        Err(e) => {
            assert!(!e.field.is_empty() && !e.message.is_empty(), "{e:?}");
            false
        }
    }
}

#[test]
fn random_and_mutated_trainer_specs_never_panic() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut ok, mut total) = (0, 0);
    for i in 0..6000 {
        let v = if i % 3 == 0 {
            VOCAB.random_val(&mut r, 0)
        } else {
            let mut v: Val = serde_json::from_str(VALID[r.below(VALID.len())]).unwrap();
            for _ in 0..1 + r.below(3) {
                VOCAB.mutate(&mut r, &mut v);
            }
            v
        };
        ok += usize::from(exercise(&v));
        total += 1;
    }
    for s in VALID {
        assert!(exercise(&serde_json::from_str(s).unwrap()), "{s}");
    }
    println!("{ok} of {total} random/mutated specs were valid and ran");
    assert!(ok > 60, "the mutations should keep some specs valid ({ok})");
}

#[test]
fn random_and_mutated_gradient_specs_never_panic() {
    let base = r#"{"layer_sizes":[2,3,2],"activation":"relu","loss":"cross_entropy","weights":[[[1,2],[3,4],[5,6]],[[1,0,1],[0,1,0]]],"biases":[[0,0,0],[1,1]],"inputs":[[1,2],[3,4]],"targets":[0,1],"dtype":"f32"}"#;
    let mut r = Rng(12345);
    let mut ok = 0;
    for _ in 0..4000 {
        let mut v: Val = serde_json::from_str(base).unwrap();
        for _ in 0..1 + r.below(2) {
            VOCAB.mutate(&mut r, &mut v);
        }
        match nn::grad_spec::gradients(&v) {
            Ok(s) => {
                let g = if s.f32 {
                    nn::gradients::<f32>(&s)
                } else {
                    nn::gradients::<f64>(&s)
                };
                assert_eq!(g.grad_weights.len(), s.sizes.len() - 1);
                ok += 1;
            }
            Err(e) => assert!(!e.field.is_empty()),
        }
    }
    assert!(ok > 100, "{ok}");
}

#[test]
fn diverging_training_stops_cleanly() {
    let v: Val = serde_json::from_str(r#"{"layer_sizes":[2,16,1],"activation":"relu","loss":"mse","init":"too_large","optimizer":{"name":"sgd","lr":1000},"data":{"name":"blobs","n":50}}"#).unwrap();
    let s = nn::spec::trainer(&v).unwrap();
    let mut t = Trainer::<f32>::new(s.config, &s.data);
    let taken = t.step(1000);
    assert!(taken < 1000);
    assert_eq!(t.diverged_at_step(), Some(taken + 1));
    assert_eq!(t.step(10), 0);
    assert!(t.losses().iter().all(|l| l.is_finite()));
    let _ = t.inspect(5);
}

/// `data.train_size`: the first k examples of the seeded training part are kept, the validation
/// set is the same as without it, normalization statistics come from the kept examples only;
/// sizes beyond the training part (or 0) are refused with a field-named message.
#[test]
fn train_size_keeps_a_prefix_of_the_training_split() {
    let spec = |extra: &str| {
        let s = format!(
            r#"{{"layer_sizes":[2,8,1],"optimizer":{{"name":"sgd","lr":0.1}},"batch_size":8,"seed":4,"data":{{"name":"moons","n":200,"noise":0.1,"validation_split":0.25,"normalize":true{extra}}}}}"#
        );
        nn::spec::trainer(&serde_json::from_str::<Val>(&s).unwrap())
    };
    let all = spec("").unwrap();
    let small = spec(r#","train_size":40"#).unwrap();
    let (ta, ts) = (
        Trainer::<f64>::new(all.config, &all.data),
        Trainer::<f64>::new(small.config, &small.data),
    );
    assert_eq!((ta.train.labels.len(), ta.val.labels.len()), (150, 50));
    assert_eq!((ts.train.labels.len(), ts.val.labels.len()), (40, 50));
    assert_eq!(ta.val.raw, ts.val.raw, "the same validation set");
    assert_eq!(
        &ta.train.raw[..80],
        &ts.train.raw[..],
        "a prefix of the training part"
    );
    // Standardized with the 40 kept examples' statistics: mean 0, biased variance 1 per feature.
    for j in 0..2 {
        let col: Vec<f64> = (0..40).map(|i| ts.train.x[i * 2 + j]).collect();
        let m = col.iter().sum::<f64>() / 40.0;
        let v = col.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 40.0;
        assert!(
            m.abs() < 1e-12 && (v - 1.0).abs() < 1e-12,
            "feature {j}: mean {m}, variance {v}"
        );
    }
    for (extra, want) in [
        (
            r#","train_size":151"#,
            "data.train_size: must be at most 150",
        ),
        (r#","train_size":0"#, "data.train_size:"),
        (r#","train_size":2.5"#, "data.train_size:"),
    ] {
        let e = spec(extra).unwrap_err().to_string();
        assert!(e.starts_with(want), "{extra}: {e}");
    }
}
