//! What the normalization labs measure of a trained network, beyond training itself: a hidden
//! unit's activation-input percentiles (Ioffe & Szegedy Fig. 1(b, c)), batch norm in inference
//! with running, per-batch or population statistics (their Alg. 2), the loss and gradient along
//! the gradient (Santurkar et al. 2018 Fig. 4, Bjorck et al. 2018) and weight-scale invariance
//! (Ioffe & Szegedy §3.3). None of them changes the network or its training sequence.

use super::gemm::Float;
use super::layer::Mode;
use super::rng::Rng;
use super::train::{percentile, BnStats, Evaluation, Trainer};

/// The loss along the gradient at one point of training (see [`Trainer::gradient_probe`]).
#[derive(Clone, Debug, PartialEq)]
pub struct GradientProbe {
    pub loss: f64,
    pub grad_norm: f64,
    pub etas: Vec<f64>,
    pub losses: Vec<f64>,
    pub grad_change: Vec<f64>,
    pub beta: f64,
}

impl<F: Float> Trainer<F> {
    /// Percentiles `ps` (in [0, 100], numpy's linear interpolation) of one hidden unit's
    /// activation input — the Dense output, or γx̂ + β after batch norm (Ioffe & Szegedy's
    /// Fig. 1(b, c): "the input to a typical sigmoid") — over the validation split (the training
    /// split if there is none), in inference mode. None for a layer or unit that does not exist
    /// (the output layer included).
    pub fn unit_percentiles(&mut self, layer: usize, unit: usize, ps: &[f64]) -> Option<Vec<f64>> {
        if layer + 1 >= self.net.depth() || ps.iter().any(|p| !(0.0..=100.0).contains(p)) {
            return None;
        }
        let width = self.net.arch.sizes[layer + 1];
        if unit >= width {
            return None;
        }
        let use_val = !self.val.is_empty();
        let n = if use_val {
            self.val.len()
        } else {
            self.train.len()
        };
        let mut values = Vec::with_capacity(n);
        let mut rng = Rng::new(0);
        for start in (0..n).step_by(self.eval_rows) {
            let rows = self.eval_rows.min(n - start);
            let split = if use_val { &self.val } else { &self.train };
            let x = &split.x[start * self.dim..(start + rows) * self.dim];
            self.net
                .forward(x, rows, Mode::Eval, &mut rng, &mut self.eval_bufs);
            let z = self.net.pre_activation(layer, &self.eval_bufs);
            values.extend((0..rows).map(|r| z[r * width + unit].f64()));
        }
        values.sort_by(f64::total_cmp);
        Some(ps.iter().map(|&p| percentile(&values, p)).collect())
    }

    /// [`Trainer::evaluate`] with batch norm in inference using `stats` (Ioffe & Szegedy §3.1):
    /// the running averages (PyTorch's `model.eval()`), each evaluated batch's own statistics
    /// (batches of `batch` rows, as `model.train()` would normalize them — a batch of one
    /// normalizes every unit to β), or the population statistics of Alg. 2 recomputed from the
    /// trained network: E[x] = E_B[μ_B], Var[x] = m/(m − 1)·E_B[σ_B²] over the training set in
    /// mini-batches of the training batch size. Nothing of the network changes.
    pub fn evaluate_bn(&mut self, stats: BnStats, batch: usize) -> Evaluation {
        match stats {
            BnStats::Running => self.evaluate(),
            BnStats::Batch => {
                let (train_loss, train_accuracy, train_errors) =
                    self.eval_split_with(false, Mode::Probe, batch);
                let (val_loss, val_accuracy, val_errors) =
                    self.eval_split_with(true, Mode::Probe, batch);
                Evaluation {
                    train_loss,
                    train_accuracy,
                    train_errors,
                    val_loss,
                    val_accuracy,
                    val_errors,
                }
            }
            BnStats::Population => {
                let pop = self.population_stats();
                let depth = self.net.depth();
                let mut saved = Vec::new();
                for (l, mv) in pop.into_iter().enumerate().take(depth) {
                    if let (Some((rm, rv)), Some((m, v))) = (self.net.running_stats_mut(l), mv) {
                        saved.push((l, rm.clone(), rv.clone()));
                        rm.iter_mut().zip(&m).for_each(|(r, x)| *r = F::of(*x));
                        rv.iter_mut().zip(&v).for_each(|(r, x)| *r = F::of(*x));
                    }
                }
                let e = self.evaluate();
                for (l, m, v) in saved {
                    if let Some((rm, rv)) = self.net.running_stats_mut(l) {
                        *rm = m;
                        *rv = v;
                    }
                }
                e
            }
        }
    }

    /// Per layer with batch norm: (E_B[μ_B], m/(m − 1)·E_B[σ_B²]) of its input over the training
    /// set in consecutive mini-batches of the batch size (the last, partial one included with
    /// its own m), in training-mode arithmetic (Probe).
    pub fn population_stats(&mut self) -> Vec<Option<(Vec<f64>, Vec<f64>)>> {
        let depth = self.net.depth();
        let n = self.train.len();
        let chunk = self.batch_size().clamp(2, n.max(2));
        let mut acc: Vec<Option<(Vec<f64>, Vec<f64>)>> = (0..depth)
            .map(|l| {
                let w = self.net.arch.sizes[l + 1];
                self.net
                    .running_stats_mut(l)
                    .map(|_| (vec![0.0; w], vec![0.0; w]))
            })
            .collect();
        let mut batches = 0usize;
        let mut rng = Rng::new(0);
        for start in (0..n).step_by(chunk) {
            let rows = chunk.min(n - start);
            if rows < 2 {
                continue;
            }
            let x = &self.train.x[start * self.dim..(start + rows) * self.dim];
            self.net
                .forward(x, rows, Mode::Probe, &mut rng, &mut self.eval_bufs);
            for (l, a) in acc.iter_mut().enumerate() {
                let Some((sm, sv)) = a else { continue };
                let w = sm.len();
                let z = self.net.bn_input(l, &self.eval_bufs);
                let (mean, var) = crate::unit::column_stats(
                    &z[..rows * w].iter().map(|v| v.f64()).collect::<Vec<_>>(),
                    w,
                );
                let k = rows as f64 / (rows - 1) as f64;
                for j in 0..w {
                    sm[j] += mean[j];
                    sv[j] += k * var[j];
                }
            }
            batches += 1;
        }
        let b = batches.max(1) as f64;
        acc.into_iter()
            .map(|a| {
                a.map(|(m, v)| {
                    (
                        m.into_iter().map(|x| x / b).collect(),
                        v.into_iter().map(|x| x / b).collect(),
                    )
                })
            })
            .collect()
    }

    /// The probe batch: the first `batch_size` rows of the training split (the same rows at every
    /// step, so probes along training compare one loss), and its row count.
    fn probe_rows(&self) -> usize {
        self.batch_size().min(self.train.len())
    }

    /// Loss and ∂L/∂θ (left in `net.grads`) on the probe batch at the current parameters, in
    /// training-mode arithmetic without side effects (batch norm with the batch's statistics,
    /// running statistics untouched, no dropout).
    fn probe_loss_grad(&mut self, rows: usize) -> f64 {
        let tw = self.loss.target_width(self.net.n_out());
        let mut rng = Rng::new(0);
        self.net.loss_and_grad(
            &self.train.x[..rows * self.dim],
            &self.train.t[..rows * tw],
            rows,
            self.loss,
            Mode::Probe,
            &mut rng,
            &mut self.eval_bufs,
        )
    }

    /// Run `f` with the parameters and gradients it may move, then put both back: the probes
    /// below leave the network exactly as it was.
    fn preserving<R>(&mut self, f: impl FnOnce(&mut Self, &[F]) -> R) -> R {
        let theta = self.net.params.clone();
        let saved_grads = self.net.grads.clone();
        let r = f(self, &theta);
        self.net.params = theta;
        self.net.grads = saved_grads;
        r
    }

    /// The loss landscape along the gradient (Santurkar et al. 2018, Fig. 4; Bjorck et al. 2018):
    /// from θ and the probe batch's gradient g, for each step size η the loss L(θ − ηg) and the
    /// gradient change ‖∇L(θ − ηg) − g‖₂; `beta` is the effective β-smoothness
    /// max over η > 0 of ‖∇L(θ − ηg) − g‖ / ‖ηg‖. All on the probe batch (see `probe_rows`); the
    /// network, its running statistics and the training sequence are left as they were. None
    /// before there is a training example, or for a negative or non-finite η.
    pub fn gradient_probe(&mut self, etas: &[f64]) -> Option<GradientProbe> {
        let rows = self.probe_rows();
        if rows == 0 || etas.iter().any(|e| !(e.is_finite() && *e >= 0.0)) {
            return None;
        }
        Some(self.preserving(|t, theta| t.gradient_probe_at(theta, rows, etas)))
    }

    fn gradient_probe_at(&mut self, theta: &[F], rows: usize, etas: &[f64]) -> GradientProbe {
        let loss = self.probe_loss_grad(rows);
        let g: Vec<f64> = self.net.grads.iter().map(|v| v.f64()).collect();
        let grad_norm = g.iter().map(|v| v * v).sum::<f64>().sqrt();
        let (mut losses, mut grad_change) = (Vec::new(), Vec::new());
        let mut beta = 0.0f64;
        for &eta in etas {
            for ((p, t), gi) in self.net.params.iter_mut().zip(theta).zip(&g) {
                *p = F::of(t.f64() - eta * gi);
            }
            losses.push(self.probe_loss_grad(rows));
            let d = self
                .net
                .grads
                .iter()
                .zip(&g)
                .map(|(a, b)| (a.f64() - b).powi(2))
                .sum::<f64>()
                .sqrt();
            grad_change.push(d);
            if eta > 0.0 && grad_norm > 0.0 {
                beta = beta.max(d / (eta * grad_norm));
            }
        }
        GradientProbe {
            loss,
            grad_norm,
            etas: etas.to_vec(),
            losses,
            grad_change,
            beta,
        }
    }

    /// Weight-scale invariance (Ioffe & Szegedy §3.3: BN((aW)u) = BN(Wu)): Dense layer `layer`'s
    /// W and b multiplied by each a in `scales`, the probe batch's loss and ‖∂L/∂W‖₂ of that
    /// layer (∝ 1/a behind batch norm before the activation; with the batch norm after it, the
    /// activation sees aWu and the invariance is gone). The network is left as it was. None for a layer that does
    /// not exist or a non-finite scale.
    pub fn weight_scale_probe(&mut self, layer: usize, scales: &[f64]) -> Option<Vec<(f64, f64)>> {
        let rows = self.probe_rows();
        if rows == 0 || layer >= self.net.depth() || scales.iter().any(|a| !a.is_finite()) {
            return None;
        }
        let (w, b) = (self.net.weight_range(layer), self.net.bias_range(layer));
        Some(self.preserving(|t, theta| {
            scales
                .iter()
                .map(|&a| {
                    for i in w.clone().chain(b.clone()) {
                        t.net.params[i] = F::of(theta[i].f64() * a);
                    }
                    let loss = t.probe_loss_grad(rows);
                    let gw = t.net.grads[w.clone()]
                        .iter()
                        .map(|v| v.f64().powi(2))
                        .sum::<f64>()
                        .sqrt();
                    (loss, gw)
                })
                .collect()
        }))
    }

    /// Batch norm of hidden layer `layer`, unit `unit`, at the last training step: the batch mean
    /// and biased variance of its input (the Dense output, or the activation with the batch norm
    /// after it) over that step's mini-batch, and the
    /// running mean and variance after it (what `model.eval()` will use). None without batch norm,
    /// for a unit that does not exist, or before the first step.
    pub fn bn_unit_stats(&mut self, layer: usize, unit: usize) -> Option<[f64; 4]> {
        if layer + 1 >= self.net.depth() || self.bufs.rows == 0 || self.steps() == 0 {
            return None;
        }
        let width = self.net.arch.sizes[layer + 1];
        if unit >= width {
            return None;
        }
        let rows = self.bufs.rows;
        let z = self.net.bn_input(layer, &self.bufs);
        if z.is_empty() {
            return None;
        }
        let col: Vec<f64> = (0..rows).map(|r| z[r * width + unit].f64()).collect();
        let (mean, var) = crate::unit::column_stats(&col, 1);
        let (rm, rv) = self.net.running_stats_mut(layer)?;
        Some([mean[0], var[0], rm[unit].f64(), rv[unit].f64()])
    }
}
