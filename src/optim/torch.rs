//! The PyTorch construction of an optimizer and of a learning-rate schedule, printed from the
//! engine's own definitions for the exported scripts (`opt = …`, `sched = …`): the class of
//! [`OptimizerDef::torch`], the learning rate and every hyperparameter that is not at its
//! default under its name (the engine's names are PyTorch's), as Python literals that read back
//! as the engine's numbers. Used by the optimizer lab's and the network labs' exports alike.

use super::schedule::Schedule;
use super::{Hyper, Kind, OptimizerDef, ParamSpec, Value};

/// A Python float literal that reads back as `c` (Rust and Python both print the shortest repr).
pub fn py_float(c: f64) -> String {
    if c.is_nan() {
        "float('nan')".into()
    } else if c.is_infinite() {
        if c > 0.0 {
            "float('inf')"
        } else {
            "(-float('inf'))"
        }
        .into()
    } else if c < 0.0 || (c == 0.0 && c.is_sign_negative()) {
        format!("({c:?})")
    } else {
        format!("{c:?}")
    }
}

/// A hyperparameter's value as a Python literal (integers without a fraction, pairs as tuples).
fn py_value(p: &ParamSpec, v: Value) -> String {
    match (p.kind, v) {
        (Kind::Num { integer: true, .. }, Value::Num(x)) => format!("{}", x as i64),
        (_, Value::Num(x)) => py_float(x),
        (_, Value::Bool(b)) => if b { "True" } else { "False" }.into(),
        (_, Value::Pair([a, b])) => format!("({}, {})", py_float(a), py_float(b)),
    }
}

/// `torch.optim.<Class>(<params>, lr=…, <non-default kwargs>, foreach=False)` for a validated
/// hyperparameter set of `def`; `lr`, when given, is a Python expression put in the learning
/// rate's place (a race's per-run rate). `foreach=False` pins the single-tensor loop.
pub fn optimizer(
    def: &OptimizerDef,
    h: &Hyper,
    params: &str,
    lr: Option<&str>,
) -> Result<String, String> {
    let class = def
        .torch
        .ok_or_else(|| format!("{} is not a torch.optim optimizer", def.name))?;
    let defaults = Hyper::defaults(def.params);
    let mut args = vec![params.to_string()];
    for p in def.params {
        let v =
            h.0.get(p.name)
                .copied()
                .or_else(|| defaults.0.get(p.name).copied());
        let Some(v) = v else { continue };
        if p.name == "lr" {
            args.push(format!(
                "lr={}",
                lr.map_or_else(|| py_value(p, v), str::to_string)
            ));
        } else if defaults.0.get(p.name) != Some(&v) {
            args.push(format!("{}={}", p.name, py_value(p, v)));
        }
    }
    if lr.is_some() && !def.params.iter().any(|p| p.name == "lr") {
        return Err(format!("{} has no learning rate to set", def.name));
    }
    args.push("foreach=False".into());
    Ok(format!("torch.optim.{class}({})", args.join(", ")))
}

/// The torch scheduler of `s` on the optimizer named `opt`, stepped once per step as the engine's
/// schedule (`None` for a constant rate).
pub fn scheduler(s: &Schedule, opt: &str) -> Option<String> {
    let m = "torch.optim.lr_scheduler";
    Some(match *s {
        Schedule::Constant => return None,
        Schedule::Step { step_size, gamma } => format!(
            "{m}.StepLR({opt}, step_size={step_size}, gamma={})",
            py_float(gamma)
        ),
        Schedule::Exponential { gamma } => {
            format!("{m}.ExponentialLR({opt}, gamma={})", py_float(gamma))
        }
        Schedule::Cosine { t_max, eta_min } => format!(
            "{m}.CosineAnnealingLR({opt}, T_max={}, eta_min={})",
            t_max as i64,
            py_float(eta_min)
        ),
        // lr_k = lr_0 · 1 / (1 + decay·k), k the scheduler steps taken.
        Schedule::InverseTime { decay } => format!(
            "{m}.LambdaLR({opt}, lr_lambda=lambda k: 1.0 / (1.0 + {} * k))",
            py_float(decay)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{find, schedule};

    fn hyper(name: &str, set: &[(&'static str, Value)]) -> (&'static OptimizerDef, Hyper) {
        let def = find(name).unwrap();
        let mut h = Hyper::defaults(def.params);
        for &(k, v) in set {
            h.0.insert(k, v);
        }
        (def, h)
    }

    #[test]
    fn every_torch_optimizer_prints_its_class_lr_and_changed_kwargs() {
        let (d, h) = hyper(
            "adam",
            &[
                ("lr", Value::Num(0.05)),
                ("betas", Value::Pair([0.8, 0.99])),
            ],
        );
        assert_eq!(
            optimizer(d, &h, "[p]", None).unwrap(),
            "torch.optim.Adam([p], lr=0.05, betas=(0.8, 0.99), foreach=False)"
        );
        let (d, h) = hyper(
            "sgd",
            &[
                ("momentum", Value::Num(0.9)),
                ("nesterov", Value::Bool(true)),
            ],
        );
        let s = optimizer(d, &h, "net.parameters()", Some("LR[i]")).unwrap();
        assert!(
            s.starts_with("torch.optim.SGD(net.parameters(), lr=LR[i], "),
            "{s}"
        );
        assert!(
            s.contains("momentum=0.9") && s.contains("nesterov=True"),
            "{s}"
        );
        // AdamW's decoupling is its class (the engine insists on it): never a kwarg.
        let (d, h) = hyper("adamw", &[("weight_decay", Value::Num(0.1))]);
        let s = optimizer(d, &h, "[p]", None).unwrap();
        assert!(
            s.starts_with("torch.optim.AdamW([p], lr=") && !s.contains("decoupled"),
            "{s}"
        );
        assert!(s.contains("weight_decay=0.1"), "{s}");
        let (d, h) = hyper("sgd", &[("lr", Value::Num(-0.5))]);
        assert!(optimizer(d, &h, "[p]", None).unwrap().contains("lr=(-0.5)"));
        for def in crate::optim::OPTIMIZERS {
            let h = Hyper::defaults(def.params);
            match def.torch {
                Some(c) => assert!(optimizer(def, &h, "[p]", None)
                    .unwrap()
                    .starts_with(&format!("torch.optim.{c}([p], lr="))),
                None => assert!(optimizer(def, &h, "[p]", None).is_err(), "{}", def.name),
            }
        }
    }

    #[test]
    fn schedules_print_their_torch_scheduler() {
        let def = schedule::find("step").unwrap();
        let mut h = Hyper::defaults(def.params);
        h.0.insert("step_size", Value::Num(5.0));
        h.0.insert("gamma", Value::Num(0.5));
        assert_eq!(
            scheduler(&Schedule::from_hyper(def, &h), "opt").unwrap(),
            "torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)"
        );
        assert_eq!(scheduler(&Schedule::Constant, "opt"), None);
        assert_eq!(
            scheduler(
                &Schedule::Cosine {
                    t_max: 40.0,
                    eta_min: 0.0
                },
                "opt"
            )
            .unwrap(),
            "torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=40, eta_min=0.0)"
        );
        assert!(scheduler(&Schedule::InverseTime { decay: 0.01 }, "o")
            .unwrap()
            .ends_with("lambda k: 1.0 / (1.0 + 0.01 * k))"));
    }
}
