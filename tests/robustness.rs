//! Property tests: random and hostile specs, expressions and grid requests never panic (a wasm
//! panic would kill the page); every rejection names a field.
#![cfg(not(target_arch = "wasm32"))]

use common::fuzz::{Rng, Vocabulary};
use optplay::landscape::grid::{Canvas, Colormap, RenderOptions};
use optplay::landscape::{grid::Rect, Expr, Landscape, Scale};
use optplay::run::trajectory;
use optplay::spec::{self, Val, MAX_STEPS};

mod common;

const VOCAB: Vocabulary = Vocabulary {
    keys: KEYS,
    names: NAMES,
    nums: NUMS,
};

const KEYS: &[&str] = &[
    "landscape",
    "start",
    "optimizer",
    "scheduler",
    "steps",
    "name",
    "lr",
    "momentum",
    "dampening",
    "nesterov",
    "betas",
    "eps",
    "weight_decay",
    "amsgrad",
    "alpha",
    "centered",
    "rho",
    "lr_decay",
    "initial_accumulator_value",
    "momentum_decay",
    "eta",
    "gamma",
    "step_size",
    "T_max",
    "eta_min",
    "decay",
    "expression",
    "a",
    "b",
    "angle",
    "A",
    "decoupled_weight_decay",
    "__proto__",
];
const NAMES: &[&str] = &[
    "sgd",
    "adam",
    "adamw",
    "adamax",
    "nadam",
    "radam",
    "rmsprop",
    "adagrad",
    "adadelta",
    "newton",
    "rosenbrock",
    "quadratic",
    "beale",
    "saddle",
    "monkey_saddle",
    "rastrigin",
    "ackley",
    "step",
    "cosine",
    "exponential",
    "inverse_time",
    "constant",
    "",
    "<script>alert(1)</script>",
    "ADAM",
];
const NUMS: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    0.999,
    1e-300,
    1e300,
    -1e300,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    1e5,
    100001.0,
    3.7,
    2.0,
];

fn valid_spec(r: &mut Rng) -> Val {
    let opt = *r.pick(&[
        "sgd", "adam", "adamw", "adamax", "nadam", "radam", "rmsprop", "adagrad", "adadelta",
        "newton",
    ]);
    let land = *r.pick(&[
        "rosenbrock",
        "quadratic",
        "beale",
        "saddle",
        "monkey_saddle",
        "rastrigin",
        "ackley",
        "goldstein_price",
    ]);
    serde_json::from_str(&format!(
        r#"{{"landscape":"{land}","start":[0.3,-0.7],"optimizer":{{"name":"{opt}"}},"scheduler":{{"name":"cosine","T_max":50}},"steps":60}}"#
    ))
    .unwrap()
}

/// A valid spec whose hyperparameters take extreme (often still valid) values: huge learning
/// rates, zero eps, betas at 0, … — runs that overflow must stop cleanly.
fn extreme_hyperparameters(r: &mut Rng) -> Val {
    let mut v = valid_spec(r);
    let opt_name = match v.get("optimizer").and_then(|o| o.get("name")) {
        Some(Val::Str(s)) => s.clone(),
        _ => unreachable!(),
    };
    let params = optplay::optim::find(&opt_name).unwrap().params;
    if let Val::Obj(kv) = &mut v {
        for (k, o) in kv.iter_mut() {
            if k != "optimizer" {
                continue;
            }
            if let Val::Obj(okv) = o {
                for _ in 0..r.below(4) {
                    let p = r.pick(params);
                    let val = match p.kind {
                        optplay::optim::Kind::Bool { .. } => Val::Bool(r.below(2) == 0),
                        optplay::optim::Kind::Pair { .. } => Val::Arr(vec![
                            Val::Num(*r.pick(&[0.0, 0.5, 0.999999])),
                            Val::Num(*r.pick(&[0.0, 0.9, 0.999999])),
                        ]),
                        _ => Val::Num(*r.pick(&[0.0, 1e-300, 1e300, 5.0, 0.9, 1.0, 1e-8])),
                    };
                    okv.push((p.name.to_string(), val));
                }
            }
        }
    }
    v
}

fn exercise(v: &Val) -> bool {
    match spec::trajectory(v, None, MAX_STEPS) {
        Ok(mut s) => {
            s.steps = s.steps.min(300);
            let run = trajectory(&s);
            assert!(
                run.points()
                    .iter()
                    .chain(run.values())
                    .all(|x| x.is_finite()),
                "only finite numbers are kept"
            );
            true
        }
        Err(e) => {
            assert!(!e.field.is_empty() && !e.message.is_empty(), "{e:?}");
            assert!(e.to_string().len() < 400, "messages stay short: {e}");
            false
        }
    }
}

#[test]
fn random_and_mutated_specs_never_panic() {
    let mut r = Rng(0x9e3779b97f4a7c15);
    let (mut accepted, mut rejected) = (0, 0);
    for i in 0..20_000 {
        let v = if i % 3 == 0 {
            VOCAB.random_val(&mut r, 0)
        } else if i % 3 == 1 {
            extreme_hyperparameters(&mut r)
        } else {
            let mut v = valid_spec(&mut r);
            for _ in 0..1 + r.below(3) {
                VOCAB.mutate(&mut r, &mut v);
            }
            v
        };
        if exercise(&v) {
            accepted += 1;
        } else {
            rejected += 1;
        }
    }
    println!("accepted {accepted}, rejected {rejected}");
    assert!(
        accepted > 2000 && rejected > 2000,
        "the generator explores both sides: {accepted}/{rejected}"
    );
}

#[test]
fn random_expressions_never_panic_and_render() {
    let atoms = [
        "x", "y", "pi", "e", "2", "0.5", "1e308", "-", "+", "*", "/", "^", "**", "(", ")", "sin(",
        "log(", "sqrt(", "abs(", "tanh(", "exp(", " ", "1e", ".", "$", "é", "x^y", "0^-1",
    ];
    let mut r = Rng(12345);
    let mut canvas = Canvas::default();
    let mut parsed = 0;
    for _ in 0..20_000 {
        let src: String = (0..1 + r.below(12)).map(|_| *r.pick(&atoms)).collect();
        match Expr::parse(&src) {
            Ok(e) => {
                parsed += 1;
                let l = Landscape::Expression(e);
                for (x, y) in [(0.0, 0.0), (-1.0, 2.0), (f64::NAN, 1.0), (1e308, -1e308)] {
                    let _ = l.eval2(x, y);
                }
                if parsed % 50 == 0 {
                    let rect = Rect {
                        x0: -3.0,
                        x1: 3.0,
                        y0: -2.0,
                        y1: 2.0,
                    };
                    canvas.render(
                        &l,
                        9,
                        7,
                        rect,
                        RenderOptions {
                            scale: Scale::Log,
                            colormap: Colormap::Viridis,
                            levels: 64,
                        },
                    );
                    assert_eq!(canvas.rgba_bytes().len(), 9 * 7 * 4);
                }
            }
            Err(e) => assert!(
                e.position <= src.chars().count(),
                "{src:?}: position {} past the end",
                e.position
            ),
        }
    }
    assert!(parsed > 500, "some random expressions are valid ({parsed})");
}
