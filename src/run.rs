//! A point moving over a landscape under an optimizer and a schedule: the engine behind
//! `trajectory(spec)` and the animated run handle.
//!
//! Loop per step k = 1..N, as the reference does in torch: gradient at θ(k−1); optimizer step with
//! the scheduled lr; scheduler step; evaluate f(θ(k)). Divergence follows the reference rule: stop
//! at the first step whose point or value is non-finite (or, for Newton, whose Hessian is singular
//! or non-finite), keep the finite prefix, report the step and the reason.

use crate::landscape::data::Moments;
use crate::landscape::{Eval, Landscape};
use crate::optim::newton::solve2;
use crate::optim::schedule::Scheduler;
use crate::optim::{self, Optimizer};
use crate::real::Dual2;
use crate::rng::Rng;
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
    /// Mini-batch sampling on data landscapes.
    sampler: Option<Sampler>,
    /// The mini-batch gradient used by the last step.
    batch_grad: Option<[f64; 2]>,
}

/// Mini-batches as PyTorch's `DataLoader(shuffle=True, drop_last=False)` draws them: a fresh
/// permutation every epoch, consecutive slices of `batch_size` (the last one may be shorter).
struct Sampler {
    perm: Vec<usize>,
    pos: usize,
    batch_size: usize,
    rng: Rng,
}

impl Sampler {
    fn next(&mut self) -> &[usize] {
        if self.pos >= self.perm.len() {
            self.rng.shuffle(&mut self.perm);
            self.pos = 0;
        }
        let start = self.pos;
        self.pos = (start + self.batch_size).min(self.perm.len());
        &self.perm[start..self.pos]
    }
}

fn finite2(p: [f64; 2]) -> bool {
    p[0].is_finite() && p[1].is_finite()
}

impl Run {
    pub fn new(spec: &TrajectorySpec) -> Run {
        let method = match spec.optimizer.def.algo {
            optim::Algo::FirstOrder(k) => {
                Method::FirstOrder(optim::build::<f64>(k, &spec.optimizer.hyper, 2))
            }
            optim::Algo::Newton => Method::Newton,
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
            sampler: match (&spec.landscape, spec.batch_size) {
                (Landscape::Data(d), Some(b)) if b < d.len() => Some(Sampler {
                    perm: (0..d.len()).collect(),
                    pos: usize::MAX,
                    batch_size: b,
                    rng: Rng::new(spec.seed),
                }),
                _ => None,
            },
            batch_grad: None,
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
        // The gradient (and Hessian) of this step's loss: the full data, or a mini-batch.
        let (grad, hessian) = match (&mut self.sampler, &self.landscape) {
            (Some(s), Landscape::Data(d)) => {
                let m = Moments::of(&d.xs, &d.ys, s.next());
                let e = m.loss(Dual2::var_x(p[0]), Dual2::var_y(p[1]));
                self.batch_grad = Some(e.grad());
                (e.grad(), e.hessian())
            }
            _ => (self.cur.grad, self.cur.hessian),
        };
        match &mut self.method {
            Method::FirstOrder(opt) => opt.step(&mut p, &grad, lr),
            Method::Newton => match solve2(hessian, grad) {
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
        if let Some(g) = self.batch_grad {
            out.push(("batch_grad", g.to_vec()));
        }
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::spec::{self, Val, MAX_STEPS};

    fn spec(s: &str) -> TrajectorySpec {
        let v: Val = serde_json::from_str(s).unwrap();
        spec::trajectory(&v, None, MAX_STEPS).unwrap()
    }

    #[test]
    fn every_epoch_visits_each_example_once() {
        let mut s = Sampler {
            perm: (0..10).collect(),
            pos: usize::MAX,
            batch_size: 4,
            rng: Rng::new(3),
        };
        for _ in 0..5 {
            let mut seen: Vec<usize> =
                [s.next().to_vec(), s.next().to_vec(), s.next().to_vec()].concat();
            assert_eq!(seen.len(), 10, "batches of 4, 4, 2");
            seen.sort();
            assert_eq!(seen, (0..10).collect::<Vec<_>>());
        }
    }

    #[test]
    fn mini_batch_noise_shrinks_as_the_batch_grows() {
        let spread = |b: usize, seed: u64| {
            let r = trajectory(&spec(&format!(
                r#"{{"landscape":"iris_petals_standardized","start":[-1.5,3],"optimizer":{{"name":"sgd","lr":0.05}},"steps":3000,"batch_size":{b},"seed":{seed}}}"#
            )));
            let tail = &r.values()[2000..];
            let min = r.landscape.info().minima[0].f;
            tail.iter().map(|v| v - min).sum::<f64>() / tail.len() as f64
        };
        let (s1, s10, s50) = (spread(1, 1), spread(10, 1), spread(50, 1));
        assert!(
            s1 > 3.0 * s10 && s10 > 3.0 * s50,
            "excess loss {s1:e} > {s10:e} > {s50:e}"
        );
        assert_eq!(spread(10, 1), spread(10, 1), "reproducible from the seed");
        assert_ne!(spread(10, 1), spread(10, 2));
        let full = trajectory(&spec(
            r#"{"landscape":"iris_petals","optimizer":{"name":"sgd","lr":0.05},"steps":50}"#,
        ));
        let b_n = trajectory(&spec(
            r#"{"landscape":"iris_petals","optimizer":{"name":"sgd","lr":0.05},"steps":50,"batch_size":150}"#,
        ));
        assert_eq!(
            full.points(),
            b_n.points(),
            "a batch of the whole data set is full-batch GD"
        );
    }
}
