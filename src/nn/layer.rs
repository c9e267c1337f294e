//! Layers behind one small trait. A layer owns no trained parameters: they live in the
//! network's one flat vector (so one `Optimizer` call steps them all) and each layer gets its
//! slice `p` and gradient slice `g`. A layer may keep non-trained state (batch norm's running
//! statistics) and per-batch caches for its backward pass (x̂, dropout masks).
//!
//! [`Mode`] lets layers behave differently in training and inference, as `module.train()` /
//! `module.eval()` do in torch.
//!
//! - [`Dense`] (`nn.Linear`): p = [W (out×in, row-major), b (out)]; z = x·Wᵀ + b.
//!   Backward: ∂W = ∂zᵀ·x, ∂b = Σ_rows ∂z, ∂x = ∂z·W.
//! - [`Act`]: h = g(z) elementwise, ∂z = ∂h·g′(z).
//! - [`BatchNorm1d`] (`nn.BatchNorm1d(n, eps=1e-5, momentum=0.1)`): p = [γ (n), β (n)].
//!   Train: μ_B = mean, σ²_B = biased variance over the batch, x̂ = (x − μ_B)/√(σ²_B + ε),
//!   y = γx̂ + β; running_mean ← (1 − m)·running_mean + m·μ_B and
//!   running_var ← (1 − m)·running_var + m·σ²_B·B/(B − 1) (unbiased). torch's momentum m weights
//!   the NEW value, exactly the lecture's δ in MA(μ)(t) = δ μ_B(t) + (1 − δ) MA(μ)(t−1) (torch starts
//!   from running stats 0 and 1 rather than the lecture's MA(1) = μ_B(1)). Eval: normalize with the
//!   running statistics. Backward (batch statistics):
//!   ∂x = γ/√(σ²_B + ε)·(∂y − mean(∂y) − x̂·mean(∂y·x̂)), ∂γ = Σ ∂y·x̂, ∂β = Σ ∂y.
//! - [`Dropout`] (`nn.Dropout(p)`, inverted): in training each unit is kept with probability
//!   1 − p and scaled by 1/(1 − p), so E[y] = x and inference is the identity.

use super::activation::Activation;
use super::gemm::{matmul_nn, matmul_nt, matmul_tn, Float, Workspace};
use super::rng::Rng;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Training: batch statistics (updating the running ones), dropout active.
    Train,
    /// Inference: running statistics, no dropout.
    Eval,
    /// Training-mode arithmetic without side effects: batch statistics without updating the
    /// running ones, no dropout (for inspecting a network before it is trained).
    Probe,
    /// One thinned network: dropout active (fresh masks), batch norm with its running
    /// statistics, nothing updated (Monte-Carlo dropout, Srivastava et al. Fig. 11).
    Sample,
}

pub struct Ctx<'a, F> {
    pub mode: Mode,
    pub rng: &'a mut Rng,
    pub ws: &'a mut Workspace<F>,
}

pub trait Layer<F: Float> {
    fn name(&self) -> &'static str;
    fn n_in(&self) -> usize;
    fn n_out(&self) -> usize;
    fn n_params(&self) -> usize {
        0
    }
    /// Set initial parameter values (layers other than Dense: their fixed defaults).
    fn init_params(&self, _p: &mut [F]) {}
    /// y (rows × n_out) from x (rows × n_in).
    fn forward(&mut self, p: &[F], x: &[F], y: &mut [F], rows: usize, ctx: &mut Ctx<F>);
    /// From ∂L/∂y: write ∂L/∂p into `g` and, when asked, ∂L/∂x into `dx`. Follows the forward
    /// pass of the same batch.
    #[allow(clippy::too_many_arguments)]
    fn backward(
        &mut self,
        p: &[F],
        x: &[F],
        y: &[F],
        dy: &[F],
        dx: Option<&mut [F]>,
        g: &mut [F],
        rows: usize,
        ws: &mut Workspace<F>,
    );
    fn activation(&self) -> Option<Activation> {
        None
    }
    /// Non-trained state by name (batch norm's running statistics).
    fn buffers(&self) -> Vec<(&'static str, &[F])> {
        Vec::new()
    }
    /// The running statistics (mean, variance) of a batch norm layer, to set or restore.
    fn running_stats_mut(&mut self) -> Option<(&mut Vec<F>, &mut Vec<F>)> {
        None
    }
    fn as_dropout(&self) -> Option<&Dropout<F>> {
        None
    }
    fn as_dropout_mut(&mut self) -> Option<&mut Dropout<F>> {
        None
    }
}

pub struct Dense {
    pub n_in: usize,
    pub n_out: usize,
}

impl<F: Float> Layer<F> for Dense {
    fn name(&self) -> &'static str {
        "linear"
    }
    fn n_in(&self) -> usize {
        self.n_in
    }
    fn n_out(&self) -> usize {
        self.n_out
    }
    fn n_params(&self) -> usize {
        self.n_out * self.n_in + self.n_out
    }
    fn forward(&mut self, p: &[F], x: &[F], y: &mut [F], rows: usize, ctx: &mut Ctx<F>) {
        let (o, i) = (self.n_out, self.n_in);
        let (w, b) = p.split_at(o * i);
        matmul_nt(rows, o, i, x, w, y, ctx.ws);
        for row in y.chunks_exact_mut(o).take(rows) {
            row.iter_mut().zip(b).for_each(|(z, &b)| *z = *z + b);
        }
    }
    fn backward(
        &mut self,
        p: &[F],
        x: &[F],
        _y: &[F],
        dy: &[F],
        dx: Option<&mut [F]>,
        g: &mut [F],
        rows: usize,
        ws: &mut Workspace<F>,
    ) {
        let (o, i) = (self.n_out, self.n_in);
        let (gw, gb) = g.split_at_mut(o * i);
        matmul_tn(o, i, rows, dy, x, gw, ws);
        gb.iter_mut().for_each(|v| *v = F::zero());
        for row in dy.chunks_exact(o).take(rows) {
            gb.iter_mut().zip(row).for_each(|(s, &d)| *s = *s + d);
        }
        if let Some(dx) = dx {
            matmul_nn(rows, i, o, dy, &p[..o * i], dx, ws);
        }
    }
}

pub struct Act {
    pub n: usize,
    pub f: Activation,
}

impl<F: Float> Layer<F> for Act {
    fn name(&self) -> &'static str {
        self.f.name()
    }
    fn n_in(&self) -> usize {
        self.n
    }
    fn n_out(&self) -> usize {
        self.n
    }
    fn forward(&mut self, _p: &[F], x: &[F], y: &mut [F], rows: usize, _ctx: &mut Ctx<F>) {
        let n = rows * self.n;
        self.f.forward(&x[..n], &mut y[..n]);
    }
    fn backward(
        &mut self,
        _p: &[F],
        x: &[F],
        y: &[F],
        dy: &[F],
        dx: Option<&mut [F]>,
        _g: &mut [F],
        rows: usize,
        _ws: &mut Workspace<F>,
    ) {
        if let Some(dx) = dx {
            let n = rows * self.n;
            self.f.backward(&x[..n], &y[..n], &dy[..n], &mut dx[..n]);
        }
    }
    fn activation(&self) -> Option<Activation> {
        Some(self.f)
    }
}

pub struct BatchNorm1d<F> {
    pub n: usize,
    pub eps: f64,
    pub momentum: f64,
    /// torch's `momentum=None`: the running statistics are the cumulative average of the batch
    /// statistics (factor 1/num_batches_tracked) instead of an exponential one.
    pub cumulative: bool,
    /// The first training batch sets the running statistics (factor 1 at the first update).
    pub first_batch: bool,
    pub running_mean: Vec<F>,
    pub running_var: Vec<F>,
    /// How many training batches updated the running statistics (torch's num_batches_tracked).
    pub batches_tracked: u64,
    inv_std: Vec<F>,
    xhat: Vec<F>,
    /// Whether the last forward pass used the running statistics.
    eval: bool,
}

impl<F: Float> BatchNorm1d<F> {
    pub fn new(n: usize, eps: f64, momentum: f64) -> Self {
        BatchNorm1d {
            n,
            eps,
            momentum,
            cumulative: false,
            first_batch: false,
            running_mean: vec![F::zero(); n],
            running_var: vec![F::one(); n],
            batches_tracked: 0,
            inv_std: vec![F::zero(); n],
            xhat: Vec::new(),
            eval: false,
        }
    }
}

impl<F: Float> Layer<F> for BatchNorm1d<F> {
    fn name(&self) -> &'static str {
        "batch_norm"
    }
    fn n_in(&self) -> usize {
        self.n
    }
    fn n_out(&self) -> usize {
        self.n
    }
    fn n_params(&self) -> usize {
        2 * self.n
    }
    fn init_params(&self, p: &mut [F]) {
        let (gamma, beta) = p.split_at_mut(self.n);
        gamma.iter_mut().for_each(|v| *v = F::one());
        beta.iter_mut().for_each(|v| *v = F::zero());
    }
    fn forward(&mut self, p: &[F], x: &[F], y: &mut [F], rows: usize, ctx: &mut Ctx<F>) {
        let n = self.n;
        let (gamma, beta) = p.split_at(n);
        if self.xhat.len() < rows * n {
            self.xhat.resize(rows * n, F::zero());
        }
        self.eval = matches!(ctx.mode, Mode::Eval | Mode::Sample) || rows == 0;
        for j in 0..n {
            let (mean, inv_std) = if self.eval {
                let v = self.running_var[j].f64();
                (self.running_mean[j].f64(), 1.0 / (v + self.eps).sqrt())
            } else {
                let mean = (0..rows).map(|r| x[r * n + j].f64()).sum::<f64>() / rows as f64;
                let var = (0..rows)
                    .map(|r| (x[r * n + j].f64() - mean).powi(2))
                    .sum::<f64>()
                    / rows as f64;
                if ctx.mode == Mode::Train {
                    let m = if self.first_batch && self.batches_tracked == 0 {
                        1.0
                    } else if self.cumulative {
                        1.0 / (self.batches_tracked + 1) as f64
                    } else {
                        self.momentum
                    };
                    let unbiased = if rows > 1 {
                        var * rows as f64 / (rows - 1) as f64
                    } else {
                        var
                    };
                    self.running_mean[j] = F::of((1.0 - m) * self.running_mean[j].f64() + m * mean);
                    self.running_var[j] =
                        F::of((1.0 - m) * self.running_var[j].f64() + m * unbiased);
                }
                (mean, 1.0 / (var + self.eps).sqrt())
            };
            self.inv_std[j] = F::of(inv_std);
            let (m, s) = (F::of(mean), F::of(inv_std));
            for r in 0..rows {
                let xh = (x[r * n + j] - m) * s;
                self.xhat[r * n + j] = xh;
                y[r * n + j] = gamma[j] * xh + beta[j];
            }
        }
        if ctx.mode == Mode::Train {
            self.batches_tracked += 1;
        }
    }
    fn backward(
        &mut self,
        p: &[F],
        _x: &[F],
        _y: &[F],
        dy: &[F],
        dx: Option<&mut [F]>,
        g: &mut [F],
        rows: usize,
        _ws: &mut Workspace<F>,
    ) {
        let n = self.n;
        let (gg, gb) = g.split_at_mut(n);
        let mut dx = dx;
        for j in 0..n {
            let (mut s_dy, mut s_dyx) = (0.0, 0.0);
            for r in 0..rows {
                let d = dy[r * n + j].f64();
                s_dy += d;
                s_dyx += d * self.xhat[r * n + j].f64();
            }
            gg[j] = F::of(s_dyx);
            gb[j] = F::of(s_dy);
            if let Some(dx) = dx.as_deref_mut() {
                let k = p[j].f64() * self.inv_std[j].f64();
                if self.eval {
                    for r in 0..rows {
                        dx[r * n + j] = F::of(k * dy[r * n + j].f64());
                    }
                } else {
                    let (mdy, mdyx) = (s_dy / rows as f64, s_dyx / rows as f64);
                    for r in 0..rows {
                        let v = dy[r * n + j].f64() - mdy - self.xhat[r * n + j].f64() * mdyx;
                        dx[r * n + j] = F::of(k * v);
                    }
                }
            }
        }
    }
    fn running_stats_mut(&mut self) -> Option<(&mut Vec<F>, &mut Vec<F>)> {
        Some((&mut self.running_mean, &mut self.running_var))
    }
    fn buffers(&self) -> Vec<(&'static str, &[F])> {
        vec![
            ("running_mean", &self.running_mean),
            ("running_var", &self.running_var),
        ]
    }
}

/// One training batch's results of [`batch_norm_values`].
#[derive(Clone, Debug, PartialEq)]
pub struct BatchNormStep {
    pub output: Vec<f64>,
    pub batch_mean: Vec<f64>,
    pub batch_var_biased: Vec<f64>,
    pub batch_var_unbiased: Vec<f64>,
    pub running_mean: Vec<f64>,
    pub running_var: Vec<f64>,
    pub grad_input: Vec<f64>,
    pub grad_gamma: Vec<f64>,
    pub grad_beta: Vec<f64>,
}

/// `nn.BatchNorm1d` (float64) as a function: from (γ, β, running statistics), each training
/// batch (rows × n, row-major) goes forward in training mode and its upstream gradient backward,
/// updating the running statistics; then `eval_input` goes forward in eval mode with them.
/// The same layer code the trainer runs.
pub fn batch_norm_values(c: &super::spec::BatchNormCall) -> (Vec<BatchNormStep>, Vec<f64>) {
    let n = c.n;
    let mut layer = BatchNorm1d::<f64>::new(n, c.eps, c.momentum.unwrap_or(0.0));
    layer.cumulative = c.momentum.is_none();
    layer.running_mean.copy_from_slice(&c.running_mean);
    layer.running_var.copy_from_slice(&c.running_var);
    let mut p = c.gamma.clone();
    p.extend_from_slice(&c.beta);
    let mut rng = Rng::derive(0, 4);
    let mut ws = Workspace::default();
    let mut steps = Vec::with_capacity(c.batches.len());
    for (x, up) in &c.batches {
        let rows = x.len() / n;
        let mut y = vec![0.0; x.len()];
        let mut ctx = Ctx {
            mode: Mode::Train,
            rng: &mut rng,
            ws: &mut ws,
        };
        layer.forward(&p, x, &mut y, rows, &mut ctx);
        let mut dx = vec![0.0; x.len()];
        let mut g = vec![0.0; 2 * n];
        layer.backward(&p, x, &y, up, Some(&mut dx), &mut g, rows, &mut ws);
        let (mean, var) = crate::unit::column_stats(x, n);
        let unbiased = var
            .iter()
            .map(|v| v * rows as f64 / (rows.max(2) - 1) as f64)
            .collect();
        steps.push(BatchNormStep {
            output: y,
            batch_mean: mean,
            batch_var_biased: var,
            batch_var_unbiased: unbiased,
            running_mean: layer.running_mean.clone(),
            running_var: layer.running_var.clone(),
            grad_input: dx,
            grad_gamma: g[..n].to_vec(),
            grad_beta: g[n..].to_vec(),
        });
    }
    let rows = c.eval_input.len() / n.max(1);
    let mut y = vec![0.0; c.eval_input.len()];
    let mut ctx = Ctx {
        mode: Mode::Eval,
        rng: &mut rng,
        ws: &mut ws,
    };
    layer.forward(&p, &c.eval_input, &mut y, rows, &mut ctx);
    (steps, y)
}

/// y = x ⊙ mask, the mask either one per element or one row (n values) for every row.
fn apply<F: Float>(mask: &[F], x: &[F], y: &mut [F], n: usize) {
    if mask.len() == x.len() {
        for ((y, &x), &m) in y.iter_mut().zip(x).zip(mask) {
            *y = x * m;
        }
    } else {
        for (yr, xr) in y.chunks_exact_mut(n).zip(x.chunks_exact(n)) {
            for ((y, &x), &m) in yr.iter_mut().zip(xr).zip(mask) {
                *y = x * m;
            }
        }
    }
}

/// Where a dropout mask is drawn afresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Granularity {
    /// One Bernoulli draw per example and unit (PyTorch's `nn.Dropout`; the paper's "for each
    /// training case … a thinned network").
    Example,
    /// One draw per unit for the whole mini-batch (the slide's "for each mini-batch").
    Batch,
}

impl Granularity {
    pub fn name(self) -> &'static str {
        match self {
            Granularity::Example => "example",
            Granularity::Batch => "batch",
        }
    }
}

pub struct Dropout<F> {
    pub n: usize,
    /// Drop probability (PyTorch's p; the paper's retention probability is 1 − p).
    pub p: f64,
    pub granularity: Granularity,
    /// The factor of inference mode: 1 (PyTorch's identity); another value reproduces a wrong
    /// test-time rule (ConvNetJS multiplies by p where 1 − p was meant: p/(1 − p) here).
    pub test_scale: f64,
    /// 0 or 1/(1 − p) per element of the last training batch (one row with `Batch`).
    mask: Vec<F>,
    /// Rows of the last training batch (0: none yet, or the last training pass had no dropout).
    rows: usize,
    /// The masks of a Monte-Carlo sample (kept apart: the picture shows the training masks).
    sample: Vec<F>,
    /// Whether the current pass applied a mask, and which (for its backward pass).
    active: bool,
    sampled: bool,
    /// One mask (n values) that every Sample pass applies to every row while set: a single
    /// thinned network over a whole grid (a fresh draw per grid point would paint noise).
    pub fixed: Option<Vec<F>>,
}

impl<F: Float> Dropout<F> {
    pub fn new(n: usize, p: f64, granularity: Granularity) -> Self {
        Dropout {
            n,
            p,
            granularity,
            test_scale: 1.0,
            mask: Vec::new(),
            rows: 0,
            sample: Vec::new(),
            active: false,
            sampled: false,
            fixed: None,
        }
    }
    /// Whether unit j of example r was kept in the last training batch (None before).
    pub fn kept(&self, r: usize, j: usize) -> Option<bool> {
        if r >= self.rows || j >= self.n {
            return None;
        }
        let i = match self.granularity {
            Granularity::Example => r * self.n + j,
            Granularity::Batch => j,
        };
        self.mask.get(i).map(|m| *m != F::zero())
    }
    /// Rows of the last training batch (0 before the first).
    pub fn rows(&self) -> usize {
        self.rows
    }
}

impl<F: Float> Layer<F> for Dropout<F> {
    fn name(&self) -> &'static str {
        "dropout"
    }
    fn n_in(&self) -> usize {
        self.n
    }
    fn n_out(&self) -> usize {
        self.n
    }
    fn as_dropout(&self) -> Option<&Dropout<F>> {
        Some(self)
    }
    fn as_dropout_mut(&mut self) -> Option<&mut Dropout<F>> {
        Some(self)
    }
    fn forward(&mut self, _p: &[F], x: &[F], y: &mut [F], rows: usize, ctx: &mut Ctx<F>) {
        let len = rows * self.n;
        self.active = matches!(ctx.mode, Mode::Train | Mode::Sample) && self.p > 0.0;
        self.sampled = ctx.mode == Mode::Sample;
        if !self.active {
            if ctx.mode == Mode::Train {
                self.rows = 0;
            }
            if ctx.mode == Mode::Eval && self.test_scale != 1.0 {
                let s = F::of(self.test_scale);
                for (y, &x) in y[..len].iter_mut().zip(&x[..len]) {
                    *y = x * s;
                }
            } else {
                y[..len].copy_from_slice(&x[..len]);
            }
            return;
        }
        if self.sampled {
            if let Some(f) = &self.fixed {
                apply(&f[..self.n], &x[..len], &mut y[..len], self.n);
                self.active = false; // no backward through a fixed mask
                return;
            }
        }
        let draws = match self.granularity {
            Granularity::Example => len,
            Granularity::Batch => self.n,
        };
        if !self.sampled {
            self.rows = rows;
        }
        let mask = if self.sampled {
            &mut self.sample
        } else {
            &mut self.mask
        };
        if mask.len() < draws {
            mask.resize(draws, F::zero());
        }
        let keep = 1.0 - self.p;
        // p = 1 drops everything (as torch: zeros, zero gradient), with no division by 0.
        let scale = if keep > 0.0 {
            F::of(1.0 / keep)
        } else {
            F::zero()
        };
        // Kept when u < keep for u = uniform() = (r >> 11)·2⁻⁵³: exactly when the integer
        // r >> 11 is below ⌈keep·2⁵³⌉ (keep·2⁵³ is exact). A table lookup instead of a branch: at
        // p = 0.5 the branch is a coin flip, mispredicted every other unit.
        let threshold = (keep * (1u64 << 53) as f64).ceil() as u64;
        let value = [F::zero(), scale];
        for m in &mut mask[..draws] {
            *m = value[usize::from((ctx.rng.next_u64() >> 11) < threshold)];
        }
        apply(&mask[..draws], &x[..len], &mut y[..len], self.n);
    }
    fn backward(
        &mut self,
        _p: &[F],
        _x: &[F],
        _y: &[F],
        dy: &[F],
        dx: Option<&mut [F]>,
        _g: &mut [F],
        rows: usize,
        _ws: &mut Workspace<F>,
    ) {
        let len = rows * self.n;
        if let Some(dx) = dx {
            if self.active {
                let mask = if self.sampled {
                    &self.sample
                } else {
                    &self.mask
                };
                let draws = match self.granularity {
                    Granularity::Example => len,
                    Granularity::Batch => self.n,
                };
                apply(&mask[..draws], &dy[..len], &mut dx[..len], self.n);
            } else {
                dx[..len].copy_from_slice(&dy[..len]);
            }
        }
    }
}

/// `nn.functional.dropout` on `rows` rows of `x` (rows × n, row-major) with a seeded stream:
/// in training each value is zeroed with probability p (per value, or per column for the whole
/// batch with [`Granularity::Batch`]) and survivors are scaled by 1/(1 − p); in inference the
/// identity. Returns the output and the mask (1 kept, 0 dropped; all 1 in inference).
pub fn dropout_values(
    x: &[f64],
    rows: usize,
    p: f64,
    training: bool,
    seed: u64,
    granularity: Granularity,
) -> (Vec<f64>, Vec<u8>) {
    let n = x.len().checked_div(rows).unwrap_or(0);
    let mut layer = Dropout::<f64>::new(n, p, granularity);
    let mut y = vec![0.0; rows * n];
    let mut rng = Rng::derive(seed, 4);
    let mut ws = Workspace::default();
    let mut ctx = Ctx {
        mode: if training { Mode::Train } else { Mode::Eval },
        rng: &mut rng,
        ws: &mut ws,
    };
    layer.forward(&[], x, &mut y, rows, &mut ctx);
    let mask = (0..rows * n)
        .map(|i| u8::from(layer.kept(i / n.max(1), i % n.max(1)).unwrap_or(true)))
        .collect();
    (y, mask)
}
