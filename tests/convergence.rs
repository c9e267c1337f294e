//! Convergence: every optimizer reaches the minimum of the quadratic and of Rosenbrock with tuned
//! settings (like optax's alias tests), and equivalences that tie PyTorch's forms to the lecture's.
#![cfg(not(target_arch = "wasm32"))]

use optplay::landscape::{Expr, Landscape};
use optplay::run::{trajectory, Run};
use optplay::spec::{self, Val, MAX_STEPS};

fn val(s: &str) -> Val {
    serde_json::from_str(s).unwrap()
}

fn run(spec: &str) -> Run {
    trajectory(
        &spec::trajectory(&val(spec), None, MAX_STEPS).unwrap_or_else(|e| panic!("{spec}: {e}")),
    )
}

fn end(r: &Run) -> [f64; 2] {
    r.position()
}

/// (optimizer JSON, steps) tuned per landscape; the distance to the minimum must drop below tol.
const QUADRATIC: &[(&str, usize)] = &[
    (r#"{"name":"sgd","lr":0.09}"#, 400),
    (r#"{"name":"sgd","lr":0.02,"momentum":0.9}"#, 600),
    (
        r#"{"name":"sgd","lr":0.02,"momentum":0.9,"nesterov":true}"#,
        600,
    ),
    (r#"{"name":"adagrad","lr":0.5}"#, 3000),
    (r#"{"name":"rmsprop","lr":0.001,"centered":true}"#, 10000),
    (
        r#"{"name":"adadelta","lr":0.1,"rho":0.9,"eps":1e-4}"#,
        20000,
    ),
    (r#"{"name":"adam","lr":0.05}"#, 3000),
    (r#"{"name":"adamw","lr":0.05,"weight_decay":0.0}"#, 3000),
    (r#"{"name":"adamax","lr":0.05}"#, 3000),
    (r#"{"name":"nadam","lr":0.05}"#, 3000),
    (r#"{"name":"radam","lr":0.05}"#, 3000),
    (r#"{"name":"newton","eta":1.0}"#, 1),
];

const ROSENBROCK: &[(&str, usize)] = &[
    (r#"{"name":"sgd","lr":0.001}"#, 100000),
    (r#"{"name":"sgd","lr":0.001,"momentum":0.9}"#, 20000),
    (
        r#"{"name":"sgd","lr":0.001,"momentum":0.9,"nesterov":true}"#,
        20000,
    ),
    (r#"{"name":"adagrad","lr":0.5}"#, 40000),
    (r#"{"name":"rmsprop","lr":0.001,"momentum":0.9}"#, 20000),
    (
        r#"{"name":"adadelta","lr":0.001,"rho":0.9,"eps":1e-4}"#,
        100000,
    ),
    (r#"{"name":"adam","lr":0.02}"#, 20000),
    (r#"{"name":"adamw","lr":0.02,"weight_decay":0.0}"#, 20000),
    (r#"{"name":"adamax","lr":0.02}"#, 20000),
    (r#"{"name":"nadam","lr":0.01}"#, 40000),
    (r#"{"name":"radam","lr":0.002}"#, 40000),
    (r#"{"name":"newton","eta":1.0}"#, 50),
];

fn converge(landscape: &str, start: &str, table: &[(&str, usize)], min: [f64; 2], tol: f64) {
    let mut failures = vec![];
    for (opt, steps) in table {
        let r = run(&format!(
            r#"{{"landscape":"{landscape}","start":{start},"optimizer":{opt},"steps":{steps}}}"#
        ));
        let [x, y] = end(&r);
        let d = ((x - min[0]).powi(2) + (y - min[1]).powi(2)).sqrt();
        println!(
            "{landscape} {opt}: distance {d:.3e} after {} steps",
            r.steps()
        );
        if d.is_nan() || d >= tol || r.diverged().is_some() {
            failures.push(format!(
                "{opt}: distance {d:e} after {} steps ({:?})",
                r.steps(),
                r.diverged()
            ));
        }
    }
    assert!(failures.is_empty(), "{landscape}:\n{}", failures.join("\n"));
}

#[test]
fn every_optimizer_reaches_the_quadratic_minimum() {
    converge("quadratic", "[-2, 1.5]", QUADRATIC, [0.0, 0.0], 1e-3);
}

#[test]
fn every_optimizer_reaches_the_rosenbrock_minimum() {
    converge("rosenbrock", "[-1.5, 2]", ROSENBROCK, [1.0, 1.0], 1e-2);
}

/// The lecture's momentum `u(t) = γu(t−1) − ηg(θ(t−1))`, `θ(t) = θ(t−1) + u(t)`, written by hand.
fn lecture_momentum(
    l: &Landscape,
    start: [f64; 2],
    eta: f64,
    gamma: f64,
    steps: usize,
    nesterov: bool,
) -> Vec<[f64; 2]> {
    let (mut th, mut u) = (start, [0.0, 0.0]);
    let mut out = vec![];
    for _ in 0..steps {
        let at = if nesterov {
            [th[0] + gamma * u[0], th[1] + gamma * u[1]]
        } else {
            th
        };
        let g = l.eval2(at[0], at[1]).grad;
        for i in 0..2 {
            u[i] = gamma * u[i] - eta * g[i];
            th[i] += u[i];
        }
        // PyTorch's Nesterov iterate is the lecture's look-ahead point θ + γu.
        out.push(if nesterov {
            [th[0] + gamma * u[0], th[1] + gamma * u[1]]
        } else {
            th
        });
    }
    out
}

fn assert_same_path(run: &Run, path: &[[f64; 2]], tol: f64, what: &str) {
    let pts = run.points();
    assert_eq!(pts.len(), 2 * (path.len() + 1), "{what}");
    for (k, p) in path.iter().enumerate() {
        for i in 0..2 {
            let (a, b) = (pts[2 * (k + 1) + i], p[i]);
            assert!(
                (a - b).abs() <= tol * b.abs().max(1.0),
                "{what}: step {} coord {i}: {a} vs {b}",
                k + 1
            );
        }
    }
}

#[test]
fn pytorch_momentum_is_the_lectures_momentum() {
    let l = Landscape::Builtin(optplay::landscape::Builtin::by_name("rosenbrock").unwrap());
    let r = run(
        r#"{"landscape":"rosenbrock","start":[-1.5,2],"optimizer":{"name":"sgd","lr":0.001,"momentum":0.9},"steps":300}"#,
    );
    assert_same_path(
        &r,
        &lecture_momentum(&l, [-1.5, 2.0], 0.001, 0.9, 300, false),
        1e-12,
        "momentum",
    );
}

#[test]
fn pytorch_nesterov_iterates_are_the_lectures_nag_look_ahead_points() {
    let l = Landscape::Builtin(optplay::landscape::Builtin::by_name("rosenbrock").unwrap());
    let r = run(
        r#"{"landscape":"rosenbrock","start":[-1.5,2],"optimizer":{"name":"sgd","lr":0.001,"momentum":0.9,"nesterov":true},"steps":300}"#,
    );
    assert_same_path(
        &r,
        &lecture_momentum(&l, [-1.5, 2.0], 0.001, 0.9, 300, true),
        1e-12,
        "nesterov",
    );
}

#[test]
fn adam_with_beta1_zero_is_rmsprop_with_bias_correction() {
    // Hand-derived: v ← β₂v + (1 − β₂)g², θ ← θ − lr·g/(√(v/(1 − β₂ᵗ)) + eps).
    let l = Landscape::Builtin(optplay::landscape::Builtin::by_name("beale").unwrap());
    let (lr, b2, eps) = (0.01, 0.99, 1e-8);
    let (mut th, mut v) = ([1.0f64, 1.5], [0.0f64; 2]);
    let mut path = vec![];
    for t in 1..=500 {
        let g = l.eval2(th[0], th[1]).grad;
        for i in 0..2 {
            v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
            th[i] -= lr * g[i] / ((v[i] / (1.0 - b2.powi(t))).sqrt() + eps);
        }
        path.push(th);
    }
    let r = run(
        r#"{"landscape":"beale","start":[1,1.5],"optimizer":{"name":"adam","lr":0.01,"betas":[0,0.99]},"steps":500}"#,
    );
    assert_same_path(&r, &path, 1e-12, "adam β1=0");
}

#[test]
fn newton_with_eta_one_solves_any_quadratic_in_one_step() {
    let mut seed = 7u64;
    let mut rnd = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    };
    for _ in 0..50 {
        // A positive-definite or indefinite quadratic with a random centre; Newton jumps to it.
        let (a, b, c) = (rnd() * 5.0, rnd() * 5.0, rnd() * 5.0);
        if (4.0 * a * c - b * b).abs() < 0.1 {
            continue;
        }
        let (cx, cy, d) = (rnd() * 3.0, rnd() * 3.0, rnd());
        let src = format!("{a}*(x-({cx}))^2 + {b}*(x-({cx}))*(y-({cy})) + {c}*(y-({cy}))^2 + {d}");
        let spec = format!(
            r#"{{"landscape":{{"expression":"{src}"}},"start":[{},{}],"optimizer":{{"name":"newton","eta":1}},"steps":1}}"#,
            rnd() * 4.0,
            rnd() * 4.0
        );
        let [x, y] = end(&run(&spec));
        assert!(
            (x - cx).abs() < 1e-12 && (y - cy).abs() < 1e-12,
            "{src}: ({x}, {y})"
        );
    }
}

#[test]
fn newton_on_the_lectures_quadratic_contracts_by_one_minus_eta() {
    // θ·Aθ with A = diag(a1, a2): θ(t) = (1 − η)θ(t−1) whatever the conditioning.
    let l = Expr::parse("3*x^2 + 0.01*y^2").unwrap();
    assert_eq!(l.eval(1.0f64, 0.0f64), 3.0);
    let r = run(
        r#"{"landscape":{"expression":"3*x^2 + 0.01*y^2"},"start":[2,-3],"optimizer":{"name":"newton","eta":0.3},"steps":10}"#,
    );
    let p = r.points();
    for k in 1..=10 {
        let f = 0.7f64.powi(k as i32);
        assert!(
            (p[2 * k] - 2.0 * f).abs() < 1e-13 && (p[2 * k + 1] + 3.0 * f).abs() < 1e-13,
            "step {k}"
        );
    }
}

#[test]
fn newton_stops_on_a_singular_hessian() {
    // The monkey saddle's Hessian vanishes at the origin; f = x + y has H = 0 everywhere.
    let r = run(
        r#"{"landscape":{"expression":"x + y"},"start":[1,1],"optimizer":{"name":"newton"},"steps":5}"#,
    );
    assert_eq!(
        r.diverged().map(|(k, w)| (k, w.as_str())),
        Some((1, "singular_hessian"))
    );
    assert_eq!(r.points(), &[1.0, 1.0]);
}

#[test]
fn divergence_keeps_the_finite_prefix() {
    let r = run(
        r#"{"landscape":"quadratic","start":[-2,1.5],"optimizer":{"name":"sgd","lr":1.0},"steps":200}"#,
    );
    assert_eq!(
        r.diverged().map(|(k, w)| (k, w.as_str())),
        Some((161, "non_finite"))
    );
    assert_eq!(r.values().len(), 161);
    assert!(r.points().iter().chain(r.values()).all(|v| v.is_finite()));
}

/// The registry is complete: every definition's algorithm is its own, `build` constructs every
/// first-order one (its state is the state its definition names), Newton is the only one it does
/// not build, and both convergence tables cover every registered optimizer.
#[test]
fn every_registered_optimizer_is_built_as_itself_and_tested() {
    use optplay::optim::{self, Algo, Hyper, OPTIMIZERS};
    let mut algos = vec![];
    for def in OPTIMIZERS {
        assert!(
            !algos.contains(&def.algo),
            "{}: algorithm {:?} registered twice",
            def.name,
            def.algo
        );
        algos.push(def.algo);
        match def.algo {
            Algo::Newton => assert!(
                def.first_order().unwrap_err().contains("Hessian"),
                "newton is refused where a first-order optimizer is needed"
            ),
            Algo::FirstOrder(k) => {
                let o = optim::build::<f64>(k, &Hyper::defaults(def.params), 3);
                // Its state at the defaults is named in its own definition (state that only some
                // settings keep, like RMSprop's grad_avg, may be absent).
                for (n, _) in o.state() {
                    assert!(
                        def.state.contains(&n),
                        "{}: state {n} is not in {:?}",
                        def.name,
                        def.state
                    );
                }
            }
        }
        for table in [QUADRATIC, ROSENBROCK] {
            let rows = table
                .iter()
                .filter(|(o, _)| o.contains(&format!(r#""name":"{}""#, def.name)))
                .count();
            assert!(rows >= 1, "{}: no convergence row", def.name);
        }
    }
}

/// Every registered schedule is built as itself: its kind is its own, and the schedule made from
/// its defaults is that kind's variant (a name can no longer fall through to Constant).
#[test]
fn every_registered_schedule_is_built_as_itself() {
    use optplay::optim::schedule::{Schedule, ScheduleKind, SCHEDULES};
    use optplay::optim::Hyper;
    let mut kinds = vec![];
    for def in SCHEDULES {
        assert!(
            !kinds.contains(&def.kind),
            "{}: kind {:?} twice",
            def.name,
            def.kind
        );
        kinds.push(def.kind);
        let s = Schedule::from_hyper(def, &Hyper::defaults(def.params));
        let ok = matches!(
            (def.kind, s),
            (ScheduleKind::Constant, Schedule::Constant)
                | (ScheduleKind::Step, Schedule::Step { .. })
                | (ScheduleKind::Exponential, Schedule::Exponential { .. })
                | (ScheduleKind::Cosine, Schedule::Cosine { .. })
                | (ScheduleKind::InverseTime, Schedule::InverseTime { .. })
        );
        assert!(ok, "{}: built as {s:?}", def.name);
    }
    assert_eq!(kinds.len(), 5);
}
