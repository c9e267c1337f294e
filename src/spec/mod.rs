//! The edge: untrusted specs (from JS objects, URLs or JSON files) become validated engine
//! values here, or a [`SpecError`] naming the field. Inside the engine values are valid.
//!
//! Specs arrive as a [`Val`], a dynamic value that keeps NaN and ±∞ (unlike JSON), so a NaN
//! learning rate is reported as such rather than as a type error.

use crate::landscape::{builtin, Builtin, Expr, Landscape};
use crate::optim::schedule::{self, Schedule};
use crate::optim::{self, Hyper, Kind, OptimizerDef, ParamSpec, Value};
use std::fmt;

mod val;
pub use val::{Val, MAX_NESTING};

/// Most steps one `trajectory` call may take (the run handle streams longer runs).
pub const MAX_STEPS: usize = 100_000;

/// A bad spec: which field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq)]
pub struct SpecError {
    pub field: String,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for SpecError {}

pub fn err<T>(field: impl Into<String>, message: impl Into<String>) -> Result<T, SpecError> {
    Err(SpecError {
        field: field.into(),
        message: message.into(),
    })
}

fn short(v: &Val) -> String {
    match v {
        Val::Str(s) => {
            let s: String = s.chars().take(40).collect();
            format!("{s:?}")
        }
        Val::Num(x) => format!("{x}"),
        other => other.type_name().to_string(),
    }
}

/// A finite number.
pub fn number(v: &Val, field: &str) -> Result<f64, SpecError> {
    match v {
        Val::Num(x) if x.is_finite() => Ok(*x),
        Val::Num(x) => err(field, format!("must be a finite number (got {x})")),
        other => err(field, format!("must be a number (got {})", short(other))),
    }
}

/// An integer in [min, max].
pub fn integer(v: &Val, field: &str, min: usize, max: usize) -> Result<usize, SpecError> {
    let x = number(v, field)?;
    if x.fract() != 0.0 || x < min as f64 || x > max as f64 {
        return err(
            field,
            format!("must be an integer in [{min}, {max}] (got {x})"),
        );
    }
    Ok(x as usize)
}

fn object<'a>(v: &'a Val, field: &str) -> Result<&'a [(String, Val)], SpecError> {
    match v {
        Val::Obj(kv) => Ok(kv),
        other => err(field, format!("must be an object (got {})", short(other))),
    }
}

fn name_of<'a>(v: &'a Val, field: &str) -> Result<&'a str, SpecError> {
    match v.get("name") {
        Some(Val::Str(s)) => Ok(s),
        Some(other) => err(
            format!("{field}.name"),
            format!("must be a string (got {})", short(other)),
        ),
        None => err(format!("{field}.name"), "is missing"),
    }
}

fn unknown_name<T>(
    field: &str,
    what: &str,
    got: &str,
    known: impl Iterator<Item = &'static str>,
) -> Result<T, SpecError> {
    let got: String = got.chars().take(40).collect();
    err(
        field,
        format!(
            "unknown {what} {got:?} (known: {})",
            known.collect::<Vec<_>>().join(", ")
        ),
    )
}

/// Validate `{name, ...params}` against a parameter table, filling defaults.
pub fn hyper(
    obj: &[(String, Val)],
    specs: &[ParamSpec],
    field: &str,
    owner: &str,
) -> Result<Hyper, SpecError> {
    let mut h = Hyper::defaults(specs);
    for (k, v) in obj {
        if k == "name" {
            continue;
        }
        let f = format!("{field}.{k}");
        let Some(spec) = specs.iter().find(|s| s.name == k) else {
            let known: Vec<&str> = specs.iter().map(|s| s.name).collect();
            let list = if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            };
            return err(f, format!("unknown parameter for {owner} (known: {list})"));
        };
        let value = match (spec.kind, v) {
            (Kind::Num { .. }, Val::Num(x)) => Value::Num(*x),
            (Kind::Bool { .. }, Val::Bool(b)) => Value::Bool(*b),
            (Kind::Pair { .. }, Val::Arr(a)) if a.len() == 2 => Value::Pair([
                number(&a[0], &format!("{f}[0]"))?,
                number(&a[1], &format!("{f}[1]"))?,
            ]),
            (Kind::Num { .. }, other) => {
                return err(f, format!("must be a number (got {})", short(other)))
            }
            (Kind::Bool { .. }, other) => {
                return err(f, format!("must be true or false (got {})", short(other)))
            }
            (Kind::Pair { .. }, other) => {
                return err(
                    f,
                    format!("must be a pair [beta1, beta2] (got {})", short(other)),
                )
            }
        };
        let value = optim::check(spec, value).map_err(|m| SpecError {
            field: f,
            message: m,
        })?;
        h.0.insert(spec.name, value);
    }
    Ok(h)
}

/// `"rosenbrock"`, `{name: "quadratic", a, b, angle}` or `{expression: "..."}`.
pub fn landscape(v: &Val, field: &str) -> Result<Landscape, SpecError> {
    let known = Landscape::names;
    match v {
        Val::Str(name) => match Landscape::by_name(name) {
            Some(l) => Ok(l),
            None => unknown_name(field, "landscape", name, known()),
        },
        Val::Obj(kv) => {
            if let Some(src) = v.get("expression") {
                if let Some((k, _)) = kv.iter().find(|(k, _)| k != "expression" && k != "name") {
                    return err(
                        format!("{field}.{k}"),
                        "an expression landscape takes no other fields",
                    );
                }
                let Val::Str(src) = src else {
                    return err(
                        format!("{field}.expression"),
                        format!("must be a string (got {})", short(src)),
                    );
                };
                return Expr::parse(src)
                    .map(Landscape::Expression)
                    .map_err(|e| SpecError {
                        field: format!("{field}.expression"),
                        message: e.to_string(),
                    });
            }
            let name = name_of(v, field)?;
            let Some(def) = builtin::BUILTINS.iter().find(|d| d.name == name) else {
                if let Some(l) = Landscape::by_name(name) {
                    if let Some((k, _)) = kv.iter().find(|(k, _)| k != "name") {
                        return err(
                            format!("{field}.{k}"),
                            format!("unknown parameter for {name} (known: none)"),
                        );
                    }
                    return Ok(l);
                }
                return unknown_name(&format!("{field}.name"), "landscape", name, known());
            };
            let mut values = vec![None; def.params.len()];
            for (k, val) in kv {
                if k == "name" {
                    continue;
                }
                let f = format!("{field}.{k}");
                let Some(i) = def.params.iter().position(|p| p.0 == k) else {
                    let names: Vec<&str> = def.params.iter().map(|p| p.0).collect();
                    let list = if names.is_empty() {
                        "none".into()
                    } else {
                        names.join(", ")
                    };
                    return err(f, format!("unknown parameter for {name} (known: {list})"));
                };
                let (_, _, min, max) = def.params[i];
                let x = number(val, &f)?;
                if x < min || x > max {
                    return err(f, format!("must be in [{min}, {max}] (got {x})"));
                }
                values[i] = Some(x);
            }
            Ok(Landscape::Builtin(Builtin::new(def, &values)))
        }
        other => err(
            field,
            format!(
                "must be a landscape name, {{name, ...params}} or {{expression}} (got {})",
                short(other)
            ),
        ),
    }
}

/// The optimizer part of a spec: `{name, ...PyTorch kwargs}`.
#[derive(Clone, Debug, PartialEq)]
pub struct OptimizerSpec {
    pub def: &'static OptimizerDef,
    pub hyper: Hyper,
}

impl OptimizerSpec {
    /// The base learning rate (`lr`, or `eta` for Newton).
    pub fn base_lr(&self) -> f64 {
        if self.def.algo == crate::optim::Algo::Newton {
            self.hyper.num("eta")
        } else {
            self.hyper.num("lr")
        }
    }
}

pub fn optimizer(v: &Val, field: &str) -> Result<OptimizerSpec, SpecError> {
    let kv = object(v, field)?;
    let name = name_of(v, field)?;
    let Some(def) = optim::find(name) else {
        return unknown_name(
            &format!("{field}.name"),
            "optimizer",
            name,
            optim::OPTIMIZERS.iter().map(|d| d.name),
        );
    };
    let hyper = hyper(kv, def.params, field, name)?;
    (def.cross_check)(&hyper).map_err(|(p, m)| SpecError {
        field: format!("{field}.{p}"),
        message: m,
    })?;
    Ok(OptimizerSpec { def, hyper })
}

/// `null` / absent, or `{name, ...}`.
pub fn scheduler(v: Option<&Val>, field: &str) -> Result<Schedule, SpecError> {
    let v = match v {
        None | Some(Val::Null) => return Ok(Schedule::Constant),
        Some(v) => v,
    };
    let kv = object(v, field)?;
    let name = name_of(v, field)?;
    let Some(def) = schedule::find(name) else {
        return unknown_name(
            &format!("{field}.name"),
            "scheduler",
            name,
            schedule::SCHEDULES.iter().map(|d| d.name),
        );
    };
    let h = hyper(kv, def.params, field, name)?;
    Ok(Schedule::from_hyper(def, &h))
}

/// A validated trajectory spec.
#[derive(Clone, Debug, PartialEq)]
pub struct TrajectorySpec {
    pub landscape: Landscape,
    pub start: [f64; 2],
    pub optimizer: OptimizerSpec,
    pub schedule: Schedule,
    pub steps: usize,
    /// Mini-batch size for data landscapes (None: the whole data set every step).
    pub batch_size: Option<usize>,
    /// Seed of the mini-batch shuffling.
    pub seed: u64,
}

const TOP_FIELDS: [&str; 7] = [
    "landscape",
    "start",
    "optimizer",
    "scheduler",
    "steps",
    "batch_size",
    "seed",
];

/// `{landscape, start: [x, y], optimizer: {name, ...}, scheduler: null | {name, ...}, steps}`.
/// `start` defaults to the landscape's first suggested start; `steps` to `default_steps`.
pub fn trajectory(
    v: &Val,
    default_steps: Option<usize>,
    max_steps: usize,
) -> Result<TrajectorySpec, SpecError> {
    let kv = object(v, "spec")?;
    if let Some((k, _)) = kv.iter().find(|(k, _)| !TOP_FIELDS.contains(&k.as_str())) {
        let k: String = k.chars().take(40).collect();
        return err(
            k,
            format!("unknown field (known: {})", TOP_FIELDS.join(", ")),
        );
    }
    let Some(lv) = v.get("landscape") else {
        return err("landscape", "is missing");
    };
    let landscape = landscape(lv, "landscape")?;
    let start = match v.get("start") {
        None | Some(Val::Null) => landscape
            .info()
            .starts
            .first()
            .copied()
            .unwrap_or([0.0, 0.0]),
        Some(Val::Arr(a)) if a.len() == 2 => {
            [number(&a[0], "start[0]")?, number(&a[1], "start[1]")?]
        }
        Some(other) => return err("start", format!("must be [x, y] (got {})", short(other))),
    };
    if start.iter().any(|c| c.abs() > 1e12) {
        return err("start", "coordinates must be within ±1e12");
    }
    let Some(ov) = v.get("optimizer") else {
        return err("optimizer", "is missing");
    };
    let optimizer = optimizer(ov, "optimizer")?;
    let schedule = scheduler(v.get("scheduler"), "scheduler")?;
    let steps = match (v.get("steps"), default_steps) {
        (Some(s), _) => integer(s, "steps", 0, max_steps)?,
        (None, Some(d)) => d,
        (None, None) => return err("steps", "is missing"),
    };
    let batch_size = match (v.get("batch_size"), &landscape) {
        (None | Some(Val::Null), _) => None,
        (Some(b), Landscape::Data(d)) => Some(integer(b, "batch_size", 1, d.len())?),
        (Some(_), _) => {
            return err(
                "batch_size",
                "only data landscapes (e.g. iris_petals) have mini-batches",
            )
        }
    };
    let seed = match v.get("seed") {
        None | Some(Val::Null) => 0,
        Some(s) => {
            let x = number(s, "seed")?;
            if x.fract() != 0.0 || !(0.0..=9_007_199_254_740_991.0).contains(&x) {
                return err("seed", format!("must be an integer in [0, 2^53) (got {x})"));
            }
            x as u64
        }
    };
    Ok(TrajectorySpec {
        landscape,
        start,
        optimizer,
        schedule,
        steps,
        batch_size,
        seed,
    })
}

/// A validated deep-linear-network spec (see `crate::deep_linear`).
#[derive(Clone, Debug, PartialEq)]
pub struct DeepLinearSpec {
    pub eigenvalues: Vec<f64>,
    pub angle: f64,
    pub x: Vec<f64>,
    pub depth: usize,
}

fn numbers(v: Option<&Val>, field: &str, max_len: usize) -> Result<Vec<f64>, SpecError> {
    match v {
        Some(Val::Arr(a)) if (1..=max_len).contains(&a.len()) => a
            .iter()
            .enumerate()
            .map(|(i, x)| number(x, &format!("{field}[{i}]")))
            .collect(),
        Some(Val::Arr(a)) => err(
            field,
            format!("must have 1 to {max_len} numbers (got {})", a.len()),
        ),
        Some(other) => err(
            field,
            format!("must be an array of numbers (got {})", short(other)),
        ),
        None => err(field, "is missing"),
    }
}

/// `{eigenvalues: [λ₁…λ_d], angle (radians, default 0), x: [x₁…x_d] (default all 1), depth}`.
pub fn deep_linear(v: &Val) -> Result<DeepLinearSpec, SpecError> {
    use crate::deep_linear::{MAX_DEPTH, MAX_DIM};
    let kv = object(v, "spec")?;
    if let Some((k, _)) = kv
        .iter()
        .find(|(k, _)| !["eigenvalues", "angle", "x", "depth"].contains(&k.as_str()))
    {
        return err(
            k.chars().take(40).collect::<String>(),
            "unknown field (known: eigenvalues, angle, x, depth)",
        );
    }
    let eigenvalues = numbers(v.get("eigenvalues"), "eigenvalues", MAX_DIM)?;
    if let Some(i) = eigenvalues.iter().position(|l| l.abs() > 10.0) {
        return err(
            format!("eigenvalues[{i}]"),
            format!("must be in [-10, 10] (got {})", eigenvalues[i]),
        );
    }
    let angle = match v.get("angle") {
        None | Some(Val::Null) => 0.0,
        Some(a) => number(a, "angle")?,
    };
    let x = match v.get("x") {
        None | Some(Val::Null) => vec![1.0; eigenvalues.len()],
        some => numbers(some, "x", MAX_DIM)?,
    };
    if x.len() != eigenvalues.len() {
        return err(
            "x",
            format!(
                "must have as many entries as eigenvalues ({}), got {}",
                eigenvalues.len(),
                x.len()
            ),
        );
    }
    let Some(d) = v.get("depth") else {
        return err("depth", "is missing");
    };
    let depth = integer(d, "depth", 0, MAX_DEPTH)?;
    Ok(DeepLinearSpec {
        eigenvalues,
        angle,
        x,
        depth,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn deep_linear_specs_are_validated() {
        let ok = deep_linear(&val(r#"{"eigenvalues":[1.1,0.9],"depth":30}"#)).unwrap();
        assert_eq!(
            (ok.x.clone(), ok.angle, ok.depth),
            (vec![1.0, 1.0], 0.0, 30)
        );
        let e = |s: &str| deep_linear(&val(s)).unwrap_err().field;
        assert_eq!(e(r#"{"eigenvalues":[1.1,0.9],"depth":300}"#), "depth");
        assert_eq!(e(r#"{"eigenvalues":[1.1,99],"depth":3}"#), "eigenvalues[1]");
        assert_eq!(e(r#"{"eigenvalues":[],"depth":3}"#), "eigenvalues");
        assert_eq!(e(r#"{"eigenvalues":[1],"x":[1,2],"depth":3}"#), "x");
        assert_eq!(e(r#"{"eigenvalues":[1],"depth":3,"angel":1}"#), "angel");
    }

    fn val(s: &str) -> Val {
        serde_json::from_str(s).unwrap()
    }

    fn error_of(s: &str) -> SpecError {
        trajectory(&val(s), None, MAX_STEPS).unwrap_err()
    }

    #[test]
    fn errors_name_the_field() {
        let base = r#""landscape":"rosenbrock","start":[0,0],"steps":10"#;
        let e = error_of(&format!(
            r#"{{{base},"optimizer":{{"name":"adam","lr":-1}}}}"#
        ));
        assert_eq!(e.field, "optimizer.lr");
        assert!(e.message.contains("got -1"), "{e}");
        let e = error_of(&format!(r#"{{{base},"optimizer":{{"name":"adamm"}}}}"#));
        assert_eq!(e.field, "optimizer.name");
        assert!(e.message.contains("known: sgd"), "{e}");
        let e = error_of(&format!(
            r#"{{{base},"optimizer":{{"name":"adam","betas":[0.9,1.0]}}}}"#
        ));
        assert_eq!(e.field, "optimizer.betas");
        let e = error_of(&format!(
            r#"{{{base},"optimizer":{{"name":"sgd","nesterov":true}}}}"#
        ));
        assert_eq!(e.field, "optimizer.nesterov");
        let e = error_of(&format!(
            r#"{{{base},"optimizer":{{"name":"sgd","lr":"0.1"}}}}"#
        ));
        assert_eq!(e.field, "optimizer.lr");
        let e = error_of(&format!(
            r#"{{{base},"optimizer":{{"name":"sgd"}},"scheduler":{{"name":"cosine","T_max":0}}}}"#
        ));
        assert_eq!(e.field, "scheduler.T_max");
        // Whole-number parameters are marked in the metadata and enforced by the engine.
        let e = error_of(&format!(
            r#"{{{base},"optimizer":{{"name":"sgd"}},"scheduler":{{"name":"step","step_size":12.5}}}}"#
        ));
        assert_eq!(e.field, "scheduler.step_size");
        assert!(e.message.contains("integer"), "{e}");
        let sched = crate::meta::schedulers();
        let int_params: Vec<&str> = sched
            .iter()
            .flat_map(|s| s.params.iter().filter(|p| p.integer).map(|p| p.name))
            .collect();
        assert_eq!(int_params, ["step_size", "T_max"]);
        assert!(crate::meta::optimizers()
            .iter()
            .all(|o| o.params.iter().all(|p| !p.integer)));
        let e =
            error_of(r#"{"landscape":{"expression":"x+*y"},"optimizer":{"name":"sgd"},"steps":1}"#);
        assert_eq!(e.field, "landscape.expression");
        assert!(e.message.contains("column 3"), "{e}");
        let e = error_of(r#"{"landscape":"rosenbrock","optimizer":{"name":"sgd"},"steps":100001}"#);
        assert_eq!(e.field, "steps");
        let e = error_of(
            r#"{"landscape":{"name":"quadratic","b":-1},"optimizer":{"name":"sgd"},"steps":1}"#,
        );
        assert_eq!(e.field, "landscape.b");
        let e = error_of(
            r#"{"landscape":"rosenbrock","optimizer":{"name":"sgd"},"steps":1,"stpes":3}"#,
        );
        assert_eq!(e.field, "stpes");
    }

    #[test]
    fn nan_is_kept_and_rejected_by_name() {
        let mut v =
            val(r#"{"landscape":"rosenbrock","optimizer":{"name":"sgd","lr":0},"steps":1}"#);
        if let Val::Obj(kv) = &mut v {
            if let Some((_, Val::Obj(o))) = kv.iter_mut().find(|(k, _)| k == "optimizer") {
                o[1].1 = Val::Num(f64::NAN);
            }
        }
        let e = trajectory(&v, None, MAX_STEPS).unwrap_err();
        assert_eq!(e.field, "optimizer.lr");
        assert!(e.message.contains("NaN"), "{e}");
    }

    #[test]
    fn defaults_are_pytorchs() {
        let s = trajectory(
            &val(r#"{"landscape":"beale","optimizer":{"name":"adam"},"steps":5}"#),
            None,
            MAX_STEPS,
        )
        .unwrap();
        assert_eq!(s.optimizer.hyper.num("lr"), 1e-3);
        assert_eq!(s.optimizer.hyper.pair("betas"), [0.9, 0.999]);
        assert_eq!(s.optimizer.hyper.num("eps"), 1e-8);
        assert_eq!(s.start, [1.0, 1.5]);
        let s = optimizer(&val(r#"{"name":"adamw"}"#), "o").unwrap();
        assert_eq!(s.hyper.num("weight_decay"), 0.01);
        let s = optimizer(&val(r#"{"name":"rmsprop"}"#), "o").unwrap();
        assert_eq!((s.hyper.num("lr"), s.hyper.num("alpha")), (0.01, 0.99));
        let s = optimizer(&val(r#"{"name":"adadelta"}"#), "o").unwrap();
        assert_eq!(
            (s.hyper.num("lr"), s.hyper.num("rho"), s.hyper.num("eps")),
            (1.0, 0.9, 1e-6)
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        // serde_json has its own recursion limit (128); ours is lower and must trigger first.
        let shallow_enough = format!(
            "{}{}",
            "[".repeat(MAX_NESTING + 2),
            "]".repeat(MAX_NESTING + 2)
        );
        assert!(serde_json::from_str::<Val>(&shallow_enough)
            .unwrap_err()
            .to_string()
            .contains("nested deeper"));
        assert!(serde_json::from_str::<Val>(&deep).is_err());
    }
}
