//! Training a network on a data set with any optimizer and schedule of `crate::optim` — the very
//! code that moves points on the landscapes, here over the network's one flat parameter vector.
//!
//! Per step (torch's loop `zero_grad(); loss = L(net(x_B), t_B); loss.backward(); opt.step();
//! sched.step()`): take the next mini-batch B, forward in training mode, mean loss and its
//! gradient, one optimizer step with the scheduled lr, one scheduler step. Mini-batches walk
//! through a fresh seeded permutation of the training set each epoch; the last batch of an
//! epoch may be smaller (torch's `DataLoader(shuffle=True, drop_last=False)`). A batch size of
//! at least the training set is full-batch gradient descent. A step whose loss is not finite is
//! not applied and stops the run (`diverged_at_step`).
//!
//! Data are split once, by a seeded permutation, into training and validation sets; with
//! `normalize` each feature is standardized with the training set's mean and standard deviation,
//! the lecture's x̂ᵢ = (xᵢ − μᵢ)/√(σᵢ² + ε) (with ε = 0, and σ = 1 for constant features).

use super::gemm::Float;
use super::init::Init;
use super::layer::Mode;
use super::loss::Loss;
use super::net::{Arch, Buffers, Mlp};
use super::rng::Rng;
use super::stats::Inspection;
use crate::data::Dataset;
use crate::optim::schedule::{Schedule, Scheduler};
use crate::optim::{self, Optimizer};
use crate::spec::OptimizerSpec;

/// Most per-step losses kept (older ones are dropped in halves; see [`Trainer::history_start`]).
pub const MAX_HISTORY: usize = 1 << 20;
/// Largest number of values (rows × Σ layer widths) one forward pass may hold.
pub const MAX_ACTIVATIONS: usize = 4 << 20;

#[derive(Clone, Debug, PartialEq)]
pub struct TrainerConfig {
    pub arch: Arch,
    pub loss: Loss,
    pub init: Init,
    pub optimizer: OptimizerSpec,
    /// The optimizer's first-order algorithm (`nn::spec::trainer` refuses Newton's method, which
    /// needs a 2-D landscape's Hessian): what the trainer builds, no fallback.
    pub first_order: optim::FirstOrder,
    pub schedule: Schedule,
    pub batch_size: usize,
    pub seed: u64,
    /// Fraction of the samples held out for validation.
    pub validation_split: f64,
    /// Training examples kept (the first of the permuted training part); None: all of them.
    pub train_size: Option<usize>,
    /// Seed of the split (None: `seed`).
    pub split_seed: Option<u64>,
    pub normalize: bool,
}

/// One side of the split.
#[derive(Clone, Debug, Default)]
pub struct Split<F> {
    /// Inputs as the network sees them (normalized if asked), rows × dim.
    pub x: Vec<F>,
    /// The original inputs (for plots).
    pub raw: Vec<f32>,
    /// Targets in the loss's layout (see `Loss`).
    pub t: Vec<F>,
    pub labels: Vec<u32>,
}

impl<F> Split<F> {
    pub fn len(&self) -> usize {
        self.labels.len()
    }
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

/// Loss and accuracy over whole splits (inference mode).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Evaluation {
    pub train_loss: f64,
    pub train_accuracy: f64,
    pub train_errors: usize,
    pub val_loss: f64,
    pub val_accuracy: f64,
    pub val_errors: usize,
}

pub struct Trainer<F: Float> {
    pub net: Mlp<F>,
    pub loss: Loss,
    pub config: TrainerConfig,
    opt: Box<dyn Optimizer<F>>,
    sched: Scheduler,
    pub train: Split<F>,
    pub val: Split<F>,
    pub dim: usize,
    pub n_classes: usize,
    /// Per-feature (mean, std) when normalizing.
    norm: Option<(Vec<f64>, Vec<f64>)>,
    order: Vec<u32>,
    cursor: usize,
    shuffle_rng: Rng,
    dropout_rng: Rng,
    xb: Vec<F>,
    tb: Vec<F>,
    pub(super) bufs: Buffers<F>,
    pub(super) eval_bufs: Buffers<F>,
    steps: usize,
    samples_seen: u64,
    losses: Vec<f32>,
    history_start: usize,
    diverged: Option<usize>,
    pub inspection: Inspection,
    pub grid: Vec<f32>,
    pub(super) eval_rows: usize,
}

/// One dropout layer's mask in the last training mini-batch, for the picture.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MaskView {
    /// The lecture's layer it follows: 0 for the inputs, l for hidden layer l.
    pub after: usize,
    pub n: usize,
    /// Drop probability.
    pub p: f64,
    pub granularity: &'static str,
    /// Rows of that mini-batch (0 before the first training step).
    pub rows: usize,
    /// 1 = kept, 0 = dropped, for example `row` of the batch (any row with one mask per batch).
    pub kept: Vec<u8>,
    /// Fraction of units kept over the whole mini-batch.
    pub kept_fraction: f64,
}

/// Monte-Carlo dropout on a split: the prediction averaged over the first j thinned networks,
/// for j = 1..k.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct McCurve {
    pub loss: Vec<f64>,
    pub accuracy: Vec<f64>,
}

/// Targets for `labels` in the layout `loss` expects for `n_out` outputs: class indices for
/// cross entropy; the 0/1 label itself for one output; one-hot rows otherwise.
pub fn targets<F: Float>(loss: Loss, labels: &[u32], n_out: usize) -> Vec<F> {
    if loss == Loss::CrossEntropy {
        return labels.iter().map(|&l| F::of(l as f64)).collect();
    }
    if n_out == 1 {
        return labels.iter().map(|&l| F::of(l as f64)).collect();
    }
    let mut t = vec![F::zero(); labels.len() * n_out];
    for (row, &l) in t.chunks_exact_mut(n_out).zip(labels) {
        if let Some(v) = row.get_mut(l as usize) {
            *v = F::one();
        }
    }
    t
}

impl<F: Float> Trainer<F> {
    /// Build from a validated configuration and data set (see `nn::spec::trainer`).
    pub fn new(config: TrainerConfig, data: &Dataset) -> Trainer<F> {
        let seed = config.seed;
        let mut net = Mlp::new(config.arch.clone());
        net.init(&config.init, &mut Rng::derive(seed, 2));
        let n = data.len();
        let mut perm: Vec<usize> = (0..n).collect();
        Rng::derive(config.split_seed.unwrap_or(seed), 1).shuffle(&mut perm);
        let n_val =
            ((n as f64 * config.validation_split).round() as usize).min(n.saturating_sub(1));
        let (val_idx, train_idx) = perm.split_at(n_val);
        // A smaller training set, the same validation set; statistics come from the kept part.
        let train_idx = &train_idx[..config
            .train_size
            .map_or(train_idx.len(), |k| k.min(train_idx.len()))];
        let dim = data.dim;
        let norm = config.normalize.then(|| {
            let m = train_idx.len().max(1) as f64;
            let mean: Vec<f64> = (0..dim)
                .map(|j| train_idx.iter().map(|&i| data.x[i * dim + j]).sum::<f64>() / m)
                .collect();
            let std: Vec<f64> = (0..dim)
                .map(|j| {
                    let v = train_idx
                        .iter()
                        .map(|&i| (data.x[i * dim + j] - mean[j]).powi(2))
                        .sum::<f64>()
                        / m;
                    if v > 0.0 {
                        v.sqrt()
                    } else {
                        1.0
                    }
                })
                .collect();
            (mean, std)
        });
        let n_out = net.n_out();
        let split = |idx: &[usize]| {
            let labels: Vec<u32> = idx.iter().map(|&i| data.labels[i]).collect();
            let mut x = Vec::with_capacity(idx.len() * dim);
            let mut raw = Vec::with_capacity(idx.len() * dim);
            for &i in idx {
                for (j, &v) in data.row(i).iter().enumerate() {
                    raw.push(v as f32);
                    x.push(F::of(match &norm {
                        Some((m, s)) => (v - m[j]) / s[j],
                        None => v,
                    }));
                }
            }
            Split {
                t: targets(config.loss, &labels, n_out),
                x,
                raw,
                labels,
            }
        };
        let (train, val) = (split(train_idx), split(val_idx));
        let n_params = net.params.len();
        let opt = optim::build::<F>(config.first_order, &config.optimizer.hyper, n_params);
        let sched = Scheduler::new(config.schedule, config.optimizer.base_lr());
        let width: usize = config.arch.sizes.iter().sum::<usize>().max(1) * 4;
        let eval_rows = (MAX_ACTIVATIONS / width).clamp(1, 1024);
        let batch = config.batch_size.clamp(1, train.len().max(1));
        let mut t = Trainer {
            loss: config.loss,
            opt,
            sched,
            order: (0..train.len() as u32).collect(),
            cursor: usize::MAX,
            shuffle_rng: Rng::derive(seed, 3),
            dropout_rng: Rng::derive(seed, 4),
            xb: vec![F::zero(); batch * dim],
            tb: vec![F::zero(); batch * config.loss.target_width(n_out)],
            bufs: Buffers::default(),
            eval_bufs: Buffers::default(),
            steps: 0,
            samples_seen: 0,
            losses: Vec::new(),
            history_start: 0,
            diverged: None,
            inspection: Inspection::default(),
            grid: Vec::new(),
            eval_rows,
            dim,
            n_classes: data.n_classes,
            norm,
            train,
            val,
            net,
            config,
        };
        t.net.reserve(&mut t.bufs, batch);
        t
    }

    pub fn steps(&self) -> usize {
        self.steps
    }
    /// Epochs completed (fractional: samples seen / training-set size).
    pub fn epoch(&self) -> f64 {
        self.samples_seen as f64 / self.train.len().max(1) as f64
    }
    /// The lr the next step uses.
    pub fn lr(&self) -> f64 {
        self.sched.lr()
    }
    pub fn diverged_at_step(&self) -> Option<usize> {
        self.diverged
    }
    /// Mini-batch loss of each step, from step `history_start() + 1` on.
    pub fn losses(&self) -> &[f32] {
        &self.losses
    }
    pub fn history_start(&self) -> usize {
        self.history_start
    }
    pub fn batch_size(&self) -> usize {
        self.config.batch_size.clamp(1, self.train.len().max(1))
    }
    /// Named optimizer state (torch's names) over the flat parameters.
    pub fn optimizer_state(&self) -> Vec<(&'static str, &[F])> {
        self.opt.state()
    }

    /// Fill xb/tb with the next mini-batch; returns its rows.
    fn next_batch(&mut self) -> usize {
        let n = self.train.len();
        let bs = self.batch_size();
        if self.cursor >= n {
            self.shuffle_rng.shuffle(&mut self.order);
            self.cursor = 0;
        }
        let rows = bs.min(n - self.cursor);
        let (d, tw) = (self.dim, self.loss.target_width(self.net.n_out()));
        for (r, &i) in self.order[self.cursor..self.cursor + rows]
            .iter()
            .enumerate()
        {
            let i = i as usize;
            self.xb[r * d..(r + 1) * d].copy_from_slice(&self.train.x[i * d..(i + 1) * d]);
            self.tb[r * tw..(r + 1) * tw].copy_from_slice(&self.train.t[i * tw..(i + 1) * tw]);
        }
        self.cursor += rows;
        rows
    }

    /// Run up to `n` optimizer steps; returns how many were taken (fewer once diverged).
    pub fn step(&mut self, n: usize) -> usize {
        let mut taken = 0;
        let full = self.batch_size() >= self.train.len();
        while taken < n && self.diverged.is_none() && !self.train.is_empty() {
            let rows = if full {
                self.train.len()
            } else {
                self.next_batch()
            };
            let (x, t) = if full {
                (&self.train.x[..], &self.train.t[..])
            } else {
                (&self.xb[..], &self.tb[..])
            };
            let loss = self.net.loss_and_grad(
                x,
                t,
                rows,
                self.loss,
                Mode::Train,
                &mut self.dropout_rng,
                &mut self.bufs,
            );
            // Not finite in the network's own precision (an f32 loss above 3.4e38 is inf).
            if !F::of(loss).is_finite() {
                self.diverged = Some(self.steps + 1);
                break;
            }
            self.opt
                .step(&mut self.net.params, &self.net.grads, self.sched.lr());
            self.sched.step();
            self.steps += 1;
            self.samples_seen += rows as u64;
            if self.losses.len() >= MAX_HISTORY {
                self.losses.drain(..MAX_HISTORY / 2);
                self.history_start += MAX_HISTORY / 2;
            }
            self.losses.push(loss as f32);
            taken += 1;
        }
        taken
    }

    /// Mean loss, accuracy and error count of a split in inference mode.
    fn eval_split(&mut self, val: bool) -> (f64, f64, usize) {
        self.eval_split_with(val, Mode::Eval, self.eval_rows)
    }

    /// The same in `mode` (Probe: batch norm with each evaluated batch's own statistics) in
    /// batches of `chunk` rows.
    pub(super) fn eval_split_with(
        &mut self,
        val: bool,
        mode: Mode,
        chunk: usize,
    ) -> (f64, f64, usize) {
        let (o, tw) = (self.net.n_out(), self.loss.target_width(self.net.n_out()));
        let split = if val { &self.val } else { &self.train };
        let n = split.len();
        if n == 0 {
            return (f64::NAN, f64::NAN, 0);
        }
        let (mut loss, mut errors) = (0.0, 0usize);
        let mut rng = Rng::new(0);
        let chunk = chunk.max(1);
        for start in (0..n).step_by(chunk) {
            let rows = chunk.min(n - start);
            let x = &split.x[start * self.dim..(start + rows) * self.dim];
            let t = &split.t[start * tw..(start + rows) * tw];
            let out = self
                .net
                .forward(x, rows, mode, &mut rng, &mut self.eval_bufs);
            loss += self.loss.eval(out, t, rows, o, None) * rows as f64;
            for (row, &label) in out.chunks_exact(o).zip(&split.labels[start..start + rows]) {
                errors += usize::from(self.loss.predict(row) != label as usize);
            }
        }
        (loss / n as f64, 1.0 - errors as f64 / n as f64, errors)
    }

    /// Loss and accuracy on the training and validation sets (NaN for an empty split).
    pub fn evaluate(&mut self) -> Evaluation {
        let (train_loss, train_accuracy, train_errors) = self.eval_split(false);
        let (val_loss, val_accuracy, val_errors) = self.eval_split(true);
        Evaluation {
            train_loss,
            train_accuracy,
            train_errors,
            val_loss,
            val_accuracy,
            val_errors,
        }
    }

    /// Refresh [`Trainer::inspection`] from the last training step (before the first step: from
    /// a side-effect-free pass over the first mini-batch).
    pub fn inspect(&mut self, bins: usize) -> &Inspection {
        if self.bufs.rows == 0 && !self.train.is_empty() {
            let rows = self.batch_size();
            let (d, tw) = (self.dim, self.loss.target_width(self.net.n_out()));
            let (x, t) = (&self.train.x[..rows * d], &self.train.t[..rows * tw]);
            self.net.loss_and_grad(
                x,
                t,
                rows,
                self.loss,
                Mode::Probe,
                &mut self.dropout_rng.clone(),
                &mut self.bufs,
            );
        }
        self.inspection.compute(&self.net, &self.bufs, bins);
        &self.inspection
    }

    /// What a decision-boundary plot shows for one output row: σ(z) for one bce output, z for
    /// one mse output, p(class 1) = softmax(z)₁ for two cross-entropy outputs, else the argmax.
    fn grid_value(&self, row: &[F]) -> f32 {
        match (row.len(), self.loss) {
            (1, Loss::BceWithLogits) => super::activation::sigmoid(row[0].f64()) as f32,
            (1, _) => row[0].f64() as f32,
            (2, Loss::CrossEntropy) => {
                super::activation::sigmoid(row[1].f64() - row[0].f64()) as f32
            }
            _ => self.loss.predict(row) as f32,
        }
    }

    /// Evaluate the network (inference mode) on an nx × ny grid of 2-D inputs given in the data's
    /// original units, row j at y0 + j·(y1 − y0)/(ny − 1); fills [`Trainer::grid`]. Needs 2 inputs.
    #[allow(clippy::too_many_arguments)]
    pub fn predict_grid(
        &mut self,
        nx: usize,
        ny: usize,
        x0: f64,
        x1: f64,
        y0: f64,
        y1: f64,
    ) -> &[f32] {
        self.grid_pass(nx, ny, [x0, x1, y0, y1], Mode::Eval)
    }

    /// [`Trainer::predict_grid`] of ONE thinned network: a mask per dropout layer drawn from a
    /// stream of `seed` and applied to every grid point (the same network everywhere), batch norm
    /// in inference. Without dropout layers it is the plain grid.
    #[allow(clippy::too_many_arguments)]
    pub fn predict_grid_thinned(
        &mut self,
        nx: usize,
        ny: usize,
        x0: f64,
        x1: f64,
        y0: f64,
        y1: f64,
        seed: u64,
    ) -> &[f32] {
        self.net.fix_dropout_masks(Some(&mut Rng::derive(seed, 6)));
        self.grid_pass(nx, ny, [x0, x1, y0, y1], Mode::Sample);
        self.net.fix_dropout_masks(None);
        &self.grid
    }

    fn grid_pass(
        &mut self,
        nx: usize,
        ny: usize,
        [x0, x1, y0, y1]: [f64; 4],
        mode: Mode,
    ) -> &[f32] {
        self.grid.clear();
        if self.dim != 2 || nx < 2 || ny < 2 {
            return &self.grid;
        }
        let total = nx * ny;
        let mut xs: Vec<F> = Vec::with_capacity(2 * self.eval_rows.min(total));
        let mut rng = Rng::new(0);
        let o = self.net.n_out();
        let mut values = std::mem::take(&mut self.grid);
        let mut start = 0;
        while start < total {
            let rows = self.eval_rows.min(total - start);
            xs.clear();
            for k in start..start + rows {
                let (i, j) = (k % nx, k / nx);
                let p = [
                    x0 + i as f64 * (x1 - x0) / (nx - 1) as f64,
                    y0 + j as f64 * (y1 - y0) / (ny - 1) as f64,
                ];
                for (d, v) in p.into_iter().enumerate() {
                    xs.push(F::of(match &self.norm {
                        Some((m, s)) => (v - m[d]) / s[d],
                        None => v,
                    }));
                }
            }
            self.net
                .forward(&xs, rows, mode, &mut rng, &mut self.eval_bufs);
            for row in self.eval_bufs.output(o).chunks_exact(o) {
                values.push(self.grid_value(row));
            }
            start += rows;
        }
        self.grid = values;
        &self.grid
    }

    /// The masks of the last training mini-batch, per dropout layer, for example `row`.
    pub fn masks(&self, row: usize) -> Vec<MaskView> {
        self.net
            .dropouts()
            .into_iter()
            .map(|(after, d)| {
                let rows = d.rows();
                let r = row.min(rows.saturating_sub(1));
                let kept = (0..d.n)
                    .map(|j| u8::from(d.kept(r, j).unwrap_or(true)))
                    .collect();
                let mut k = 0usize;
                for r in 0..rows {
                    for j in 0..d.n {
                        k += usize::from(d.kept(r, j).unwrap_or(true));
                    }
                }
                MaskView {
                    after,
                    n: d.n,
                    p: d.p,
                    granularity: d.granularity.name(),
                    rows,
                    kept,
                    kept_fraction: if rows > 0 {
                        k as f64 / (rows * d.n) as f64
                    } else {
                        f64::NAN
                    },
                }
            })
            .collect()
    }

    /// [`Trainer::evaluate`] with every dropout layer multiplying by `scale(p)` in inference
    /// (1 is PyTorch's identity; p/(1 − p) reproduces ConvNetJS's test-time rule, which
    /// multiplies by p where the keep probability 1 − p was meant).
    pub fn evaluate_test_scaled(&mut self, scale: impl Fn(f64) -> f64) -> Evaluation {
        self.net.set_dropout_test_scale(scale);
        let e = self.evaluate();
        self.net.set_dropout_test_scale(|_| 1.0);
        e
    }

    /// Monte-Carlo dropout (Srivastava et al. 2014, Fig. 11) on the validation set (the training
    /// set if there is none): k thinned networks with fresh masks from a stream of `seed`, batch
    /// norm in inference; the predictive distributions (softmax, σ, or the outputs for mse)
    /// averaged over the first j, and the loss and accuracy of that average, j = 1..k.
    pub fn evaluate_mc(&mut self, k: usize, seed: u64) -> McCurve {
        let o = self.net.n_out();
        let tw = self.loss.target_width(o);
        let use_val = !self.val.is_empty();
        let n = if use_val {
            self.val.len()
        } else {
            self.train.len()
        };
        let mut curve = McCurve::default();
        if n == 0 {
            return curve;
        }
        let mut rng = Rng::derive(seed, 5);
        let mut sum = vec![0.0f64; n * o];
        for j in 1..=k {
            for start in (0..n).step_by(self.eval_rows) {
                let rows = self.eval_rows.min(n - start);
                let split = if use_val { &self.val } else { &self.train };
                let x = &split.x[start * self.dim..(start + rows) * self.dim];
                let out = self
                    .net
                    .forward(x, rows, Mode::Sample, &mut rng, &mut self.eval_bufs);
                for (r, row) in out.chunks_exact(o).enumerate() {
                    let acc = &mut sum[(start + r) * o..(start + r + 1) * o];
                    predictive(self.loss, row, acc);
                }
            }
            let split = if use_val { &self.val } else { &self.train };
            let (mut loss, mut errors) = (0.0, 0usize);
            let mut mean = vec![0.0f64; o];
            for i in 0..n {
                for (m, s) in mean.iter_mut().zip(&sum[i * o..(i + 1) * o]) {
                    *m = s / j as f64;
                }
                let t = &split.t[i * tw..(i + 1) * tw];
                let label = split.labels[i] as usize;
                loss += match (self.loss, o) {
                    (Loss::CrossEntropy, _) => -mean[label.min(o - 1)].max(1e-300).ln(),
                    (Loss::BceWithLogits, _) => {
                        let mut l = 0.0;
                        for (p, t) in mean.iter().zip(t) {
                            let (p, t) = (p.clamp(1e-300, 1.0 - 1e-16), t.f64());
                            l -= t * p.ln() + (1.0 - t) * (1.0 - p).ln();
                        }
                        l / o as f64
                    }
                    (Loss::Mse, _) => {
                        mean.iter()
                            .zip(t)
                            .map(|(y, t)| (y - t.f64()).powi(2))
                            .sum::<f64>()
                            / o as f64
                    }
                };
                let predicted = match (self.loss, o) {
                    (Loss::Mse, 1) | (Loss::BceWithLogits, 1) => usize::from(mean[0] > 0.5),
                    _ => super::loss::argmax(&mean),
                };
                errors += usize::from(predicted != label);
            }
            curve.loss.push(loss / n as f64);
            curve.accuracy.push(1.0 - errors as f64 / n as f64);
        }
        curve
    }
}

/// Add one output row's predictive distribution to `acc`: softmax for cross entropy, σ per
/// output for bce with logits, the outputs themselves for mse.
fn predictive<F: Float>(loss: Loss, row: &[F], acc: &mut [f64]) {
    match loss {
        Loss::CrossEntropy => {
            let m = row
                .iter()
                .map(|v| v.f64())
                .fold(f64::NEG_INFINITY, f64::max);
            let z: f64 = row.iter().map(|v| (v.f64() - m).exp()).sum();
            for (a, v) in acc.iter_mut().zip(row) {
                *a += (v.f64() - m).exp() / z;
            }
        }
        Loss::BceWithLogits => {
            for (a, v) in acc.iter_mut().zip(row) {
                *a += super::activation::sigmoid(v.f64());
            }
        }
        Loss::Mse => {
            for (a, v) in acc.iter_mut().zip(row) {
                *a += v.f64();
            }
        }
    }
}

/// The p-th percentile of sorted values, numpy's default ("linear": position p/100·(n − 1)).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n => {
            let pos = p / 100.0 * (n - 1) as f64;
            let (i, f) = (pos.floor() as usize, pos - pos.floor());
            let j = (i + 1).min(n - 1);
            sorted[i] + f * (sorted[j] - sorted[i])
        }
    }
}

/// Which statistics batch norm uses in [`Trainer::evaluate_bn`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BnStats {
    Running,
    Batch,
    Population,
}
