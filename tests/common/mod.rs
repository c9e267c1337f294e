//! Shared by the native and the wasm tests: the PyTorch reference cases as engine specs, and the
//! reference README's error measure.
#![allow(dead_code)]

use optplay::spec::Val;

pub mod fuzz;

pub const REFERENCE: &str = include_str!("../data/torch_optim_trajectories.json");

pub struct Case {
    pub id: String,
    /// `{landscape, start, optimizer, scheduler, steps}` exactly as a JS caller would pass it.
    pub spec: Val,
    pub points: Vec<f64>,
    pub values: Vec<f64>,
    pub lrs: Option<Vec<f64>>,
    pub diverged_at_step: Option<usize>,
    pub diverged_reason: Option<String>,
}

fn nums(v: &Val) -> Vec<f64> {
    match v {
        Val::Arr(a) => a
            .iter()
            .flat_map(|x| match x {
                Val::Num(n) => vec![*n],
                inner @ Val::Arr(_) => nums(inner),
                _ => panic!("not a number"),
            })
            .collect(),
        _ => panic!("not an array"),
    }
}

pub fn cases() -> Vec<Case> {
    cases_from(REFERENCE)
}

/// Cases from a file in the reference's format; a case may name its engine landscape spec in
/// `landscape` (e.g. a rotated quadratic or an expression) instead of `function`.
pub fn cases_from(json: &str) -> Vec<Case> {
    let all: Val = serde_json::from_str(json).expect("reference JSON parses");
    let Val::Arr(list) = all else {
        panic!("reference is a list")
    };
    list.iter()
        .map(|c| {
            let get = |k: &str| c.get(k).cloned().unwrap_or(Val::Null);
            let spec = Val::Obj(vec![
                (
                    "landscape".into(),
                    c.get("landscape")
                        .cloned()
                        .unwrap_or_else(|| get("function")),
                ),
                ("start".into(), get("start")),
                ("optimizer".into(), get("optimizer")),
                ("scheduler".into(), get("scheduler")),
                ("steps".into(), get("steps")),
            ]);
            let Val::Str(id) = get("id") else {
                panic!("id")
            };
            Case {
                id,
                spec,
                points: nums(&get("points")),
                values: nums(&get("values")),
                lrs: match get("lrs") {
                    Val::Null => None,
                    v => Some(nums(&v)),
                },
                diverged_at_step: match get("diverged_at_step") {
                    Val::Num(k) => Some(k as usize),
                    _ => None,
                },
                diverged_reason: match get("diverged_reason") {
                    Val::Str(s) => Some(s),
                    _ => None,
                },
            }
        })
        .collect()
}

/// Largest `|candidate − reference| / max(|reference|, 1e-3)` (the reference README's measure);
/// infinite when the lengths differ.
pub fn max_rel_err(candidate: &[f64], reference: &[f64]) -> f64 {
    if candidate.len() != reference.len() {
        return f64::INFINITY;
    }
    candidate
        .iter()
        .zip(reference)
        .map(|(c, r)| (c - r).abs() / r.abs().max(1e-3))
        .fold(0.0, f64::max)
}
