//! A point moving over a landscape under an optimizer and a schedule: the engine behind
//! `trajectory(spec)` and the animated run handle.
//!
//! Loop per step k = 1..N, as the reference does in torch: gradient at θ(k−1); optimizer step with
//! the scheduled lr; scheduler step; evaluate f(θ(k)). Divergence follows the reference rule: stop
//! at the first step whose point or value is non-finite (or, for Newton, whose Hessian is singular
//! or non-finite), keep the finite prefix, report the step and the reason.

use crate::landscape::{Eval, Landscape};
use crate::optim::newton::solve2;
use crate::optim::schedule::Scheduler;
use crate::optim::{self, Optimizer};
use crate::spec::TrajectorySpec;

/// Most points a run handle keeps (10 M steps of history is 160 MB; this is 16 MB).
pub const MAX_HISTORY: usize = 1_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    NonFinite,
    SingularHessian,
    /// Not divergence: the history cap was reached.
    HistoryFull,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NonFinite => "non_finite",
            Reason::SingularHessian => "singular_hessian",
            Reason::HistoryFull => "history_full",
        }
    }
}

enum Method {
    FirstOrder(Box<dyn Optimizer<f64>>),
    Newton,
}

pub struct Run {
    pub landscape: Landscape,
    method: Method,
    scheduler: Scheduler,
    p: [f64; 2],
    cur: Eval,
    last_update: [f64; 2],
    /// [x0, y0, x1, y1, ...]
    points: Vec<f64>,
    values: Vec<f64>,
    /// lr used by step k at index k − 1.
    lrs: Vec<f64>,
    stopped: Option<(usize, Reason)>,
}

fn finite2(p: [f64; 2]) -> bool {
    p[0].is_finite() && p[1].is_finite()
}

impl Run {
    pub fn new(spec: &TrajectorySpec) -> Run {
        let method = match optim::build::<f64>(spec.optimizer.def.name, &spec.optimizer.hyper, 2) {
            Some(o) => Method::FirstOrder(o),
            None => Method::Newton,
        };
        let cur = spec.landscape.eval2(spec.start[0], spec.start[1]);
        let mut run = Run {
            landscape: spec.landscape.clone(),
            method,
            scheduler: Scheduler::new(spec.schedule, spec.optimizer.base_lr()),
            p: spec.start,
            cur,
            last_update: [0.0, 0.0],
            points: Vec::with_capacity(2 * (spec.steps + 1).min(MAX_HISTORY)),
            values: Vec::with_capacity((spec.steps + 1).min(MAX_HISTORY)),
            lrs: Vec::with_capacity(spec.steps.min(MAX_HISTORY)),
            stopped: None,
        };
        if finite2(spec.start) && cur.value.is_finite() {
            run.points.extend_from_slice(&spec.start);
            run.values.push(cur.value);
        } else {
            run.stopped = Some((0, Reason::NonFinite));
        }
        run
    }

    /// Steps taken so far.
    pub fn steps(&self) -> usize {
        self.values.len().saturating_sub(1)
    }

    /// Take one step; false once stopped.
    pub fn step(&mut self) -> bool {
        if self.stopped.is_some() {
            return false;
        }
        let k = self.steps() + 1;
        if self.values.len() >= MAX_HISTORY {
            self.stopped = Some((k, Reason::HistoryFull));
            return false;
        }
        let lr = self.scheduler.lr();
        let mut p = self.p;
        match &mut self.method {
            Method::FirstOrder(opt) => opt.step(&mut p, &self.cur.grad, lr),
            Method::Newton => match solve2(self.cur.hessian, self.cur.grad) {
                Some(d) => {
                    p[0] -= lr * d[0];
                    p[1] -= lr * d[1];
                }
                None => {
                    self.stopped = Some((k, Reason::SingularHessian));
                    return false;
                }
            },
        }
        self.scheduler.step();
        let e = self.landscape.eval2(p[0], p[1]);
        if !(finite2(p) && e.value.is_finite()) {
            self.stopped = Some((k, Reason::NonFinite));
            return false;
        }
        self.last_update = [p[0] - self.p[0], p[1] - self.p[1]];
        self.p = p;
        self.cur = e;
        self.points.extend_from_slice(&p);
        self.values.push(e.value);
        self.lrs.push(lr);
        true
    }

    /// Take up to `n` steps; returns how many were taken.
    pub fn advance(&mut self, n: usize) -> usize {
        let mut done = 0;
        while done < n && self.step() {
            done += 1;
        }
        done
    }

    pub fn points(&self) -> &[f64] {
        &self.points
    }
    pub fn values(&self) -> &[f64] {
        &self.values
    }
    pub fn lrs(&self) -> &[f64] {
        &self.lrs
    }
    /// The step at which the run stopped and why (None while it can go on).
    pub fn stopped(&self) -> Option<(usize, Reason)> {
        self.stopped
    }
    /// Divergence only (the history cap is not divergence).
    pub fn diverged(&self) -> Option<(usize, Reason)> {
        self.stopped.filter(|(_, r)| *r != Reason::HistoryFull)
    }
    pub fn position(&self) -> [f64; 2] {
        self.p
    }
    pub fn current(&self) -> Eval {
        self.cur
    }

    /// What a student inspects at the current point: the gradient, the last step taken, the
    /// optimizer's state (PyTorch's names) and derived quantities; for Newton the Hessian and the
    /// step it implies now.
    pub fn inspect(&self) -> Vec<(&'static str, Vec<f64>)> {
        let mut out = vec![
            ("grad", self.cur.grad.to_vec()),
            ("update", self.last_update.to_vec()),
        ];
        match &self.method {
            Method::FirstOrder(o) => out.extend(o.inspect()),
            Method::Newton => {
                out.push(("hessian", self.cur.hessian.to_vec()));
                let lr = self.scheduler.lr();
                if let Some(d) = solve2(self.cur.hessian, self.cur.grad) {
                    out.push(("newton_step", vec![-lr * d[0], -lr * d[1]]));
                }
            }
        }
        out.push(("lr", vec![self.scheduler.lr()]));
        out
    }
}

/// Run a whole trajectory.
pub fn trajectory(spec: &TrajectorySpec) -> Run {
    let mut run = Run::new(spec);
    run.advance(spec.steps);
    run
}
