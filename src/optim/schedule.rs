//! Learning-rate schedules, stepped once after every optimizer step, with torch's recursive
//! ("chainable") formulas so the numbers match `torch.optim.lr_scheduler` exactly.
//! Step k of a run uses the lr after k − 1 scheduler steps.

use super::{int, num, Hyper, ParamSpec};
use std::f64::consts::PI;

/// Which schedule a definition stands for: [`Schedule::from_hyper`] matches on it exhaustively,
/// so a definition cannot be registered without its formula (no name falls through to Constant).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleKind {
    Constant,
    Step,
    Exponential,
    Cosine,
    InverseTime,
}

pub struct ScheduleDef {
    pub kind: ScheduleKind,
    pub name: &'static str,
    pub label: &'static str,
    /// The label's short form, for a racer's name ("SGD · cosine").
    pub short: &'static str,
    /// The PyTorch class (or construction) this schedule reproduces.
    pub torch: &'static str,
    pub formula: &'static str,
    pub params: &'static [ParamSpec],
}

pub const SCHEDULES: &[ScheduleDef] = &[
    ScheduleDef {
        kind: ScheduleKind::Constant,
        name: "constant",
        label: "Constant",
        short: "constant lr",
        torch: "none",
        formula: "η(t) = η",
        params: &[],
    },
    ScheduleDef {
        kind: ScheduleKind::Step,
        name: "step",
        label: "Step decay",
        short: "step decay",
        torch: "StepLR(step_size, gamma)",
        formula: "η(t) = η · γ^⌊(t − 1)/step_size⌋",
        params: &[
            int(
                "step_size",
                50.0,
                1.0,
                1e9,
                [1.0, 500.0],
                "multiply the lr by gamma every step_size steps",
            ),
            num("gamma", 0.1, 0.0, 1e3, [0.05, 1.0], false, "decay factor"),
        ],
    },
    ScheduleDef {
        kind: ScheduleKind::Exponential,
        name: "exponential",
        label: "Exponential decay",
        short: "exp. decay",
        torch: "ExponentialLR(gamma)",
        formula: "η(t) = η · γ^(t − 1)",
        params: &[num(
            "gamma",
            0.99,
            0.0,
            1e3,
            [0.9, 1.0],
            false,
            "decay factor per step",
        )],
    },
    ScheduleDef {
        kind: ScheduleKind::Cosine,
        name: "cosine",
        label: "Cosine annealing",
        short: "cosine",
        torch: "CosineAnnealingLR(T_max, eta_min)",
        formula: "η(t) = η_min + (η − η_min)(1 + cos(π(t − 1)/T_max))/2",
        params: &[
            int(
                "T_max",
                200.0,
                1.0,
                1e9,
                [10.0, 2000.0],
                "half period in steps",
            ),
            num(
                "eta_min",
                0.0,
                0.0,
                f64::INFINITY,
                [0.0, 0.1],
                false,
                "minimum lr",
            ),
        ],
    },
    ScheduleDef {
        kind: ScheduleKind::InverseTime,
        name: "inverse_time",
        label: "1/t decay",
        short: "1/t decay",
        torch: "LambdaLR(lambda e: 1 / (1 + decay·e))",
        formula: "η(t) = η / (1 + decay·(t − 1))",
        params: &[num(
            "decay",
            0.01,
            0.0,
            f64::INFINITY,
            [0.0, 1.0],
            false,
            "decay rate (the deeplearning.ai notes' decay_rate)",
        )],
    },
];

pub fn find(name: &str) -> Option<&'static ScheduleDef> {
    SCHEDULES.iter().find(|d| d.name == name)
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Schedule {
    Constant,
    Step { step_size: u64, gamma: f64 },
    Exponential { gamma: f64 },
    Cosine { t_max: f64, eta_min: f64 },
    InverseTime { decay: f64 },
}

impl Schedule {
    /// From a validated parameter set of the schedule `def`.
    pub fn from_hyper(def: &ScheduleDef, h: &Hyper) -> Schedule {
        match def.kind {
            ScheduleKind::Constant => Schedule::Constant,
            ScheduleKind::Step => Schedule::Step {
                step_size: h.num("step_size").max(1.0) as u64,
                gamma: h.num("gamma"),
            },
            ScheduleKind::Exponential => Schedule::Exponential {
                gamma: h.num("gamma"),
            },
            ScheduleKind::Cosine => Schedule::Cosine {
                t_max: h.num("T_max").max(1.0).floor(),
                eta_min: h.num("eta_min"),
            },
            ScheduleKind::InverseTime => Schedule::InverseTime {
                decay: h.num("decay"),
            },
        }
    }
}

/// The learning rate over the steps of a run.
#[derive(Clone, Debug)]
pub struct Scheduler {
    pub schedule: Schedule,
    base: f64,
    lr: f64,
    /// torch's `last_epoch`: how many times `step` was called.
    epoch: u64,
}

impl Scheduler {
    pub fn new(schedule: Schedule, base_lr: f64) -> Self {
        Scheduler {
            schedule,
            base: base_lr,
            lr: base_lr,
            epoch: 0,
        }
    }

    /// The lr the next optimizer step uses.
    pub fn lr(&self) -> f64 {
        self.lr
    }

    pub fn step(&mut self) {
        self.epoch += 1;
        let e = self.epoch;
        self.lr = match self.schedule {
            Schedule::Constant => self.lr,
            Schedule::Exponential { gamma } => self.lr * gamma,
            Schedule::Step { step_size, gamma } => {
                if e.is_multiple_of(step_size) {
                    self.lr * gamma
                } else {
                    self.lr
                }
            }
            Schedule::Cosine { t_max, eta_min } => {
                let ef = e as f64;
                // torch CosineAnnealingLR.get_lr, including its branch at the restart points.
                if (e as i64 - 1 - t_max as i64).rem_euclid(2 * t_max as i64) == 0 {
                    self.lr + (self.base - eta_min) * (1.0 - (PI / t_max).cos()) / 2.0
                } else {
                    (1.0 + (PI * ef / t_max).cos()) / (1.0 + (PI * (ef - 1.0) / t_max).cos())
                        * (self.lr - eta_min)
                        + eta_min
                }
            }
            Schedule::InverseTime { decay } => self.base / (1.0 + decay * e as f64),
        };
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn lrs(s: Schedule, n: usize) -> Vec<f64> {
        let mut sc = Scheduler::new(s, 0.1);
        (0..n)
            .map(|_| {
                let l = sc.lr();
                sc.step();
                l
            })
            .collect()
    }

    #[test]
    fn recursive_forms_equal_closed_forms() {
        for (k, lr) in lrs(Schedule::Exponential { gamma: 0.97 }, 300)
            .into_iter()
            .enumerate()
        {
            assert!((lr - 0.1 * 0.97f64.powi(k as i32)).abs() <= 1e-13 * lr);
        }
        for (k, lr) in lrs(
            Schedule::Step {
                step_size: 7,
                gamma: 0.5,
            },
            50,
        )
        .into_iter()
        .enumerate()
        {
            assert_eq!(lr, 0.1 * 0.5f64.powi((k / 7) as i32));
        }
        for (k, lr) in lrs(
            Schedule::Cosine {
                t_max: 40.0,
                eta_min: 0.01,
            },
            40,
        )
        .into_iter()
        .enumerate()
        {
            let want = 0.01 + 0.09 * (1.0 + (PI * k as f64 / 40.0).cos()) / 2.0;
            assert!((lr - want).abs() < 1e-15, "step {k}: {lr} vs {want}");
        }
        for (k, lr) in lrs(Schedule::InverseTime { decay: 0.5 }, 20)
            .into_iter()
            .enumerate()
        {
            assert_eq!(lr, 0.1 / (1.0 + 0.5 * k as f64));
        }
    }

    #[test]
    fn cosine_restarts_like_torch_past_t_max() {
        // torch's recursive cosine keeps going after T_max: back up to the base lr at 2·T_max.
        let l = lrs(
            Schedule::Cosine {
                t_max: 10.0,
                eta_min: 0.0,
            },
            31,
        );
        assert!(l[10] < 1e-15, "reaches eta_min at T_max: {}", l[10]);
        assert!(
            (l[20] - 0.1).abs() < 1e-12,
            "back at the base lr at 2·T_max: {}",
            l[20]
        );
        assert!(l.iter().all(|v| v.is_finite()));
    }
}
