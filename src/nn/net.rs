//! The multilayer perceptron: `layer_sizes` h[0], …, h[L]; hidden layer l = 1..L−1 is
//! Dense → [BatchNorm1d] → activation → [Dropout] (or Dense → activation → BatchNorm1d →
//! [Dropout] with `bn_after`), the output layer is Dense (linear), as in
//! torch's `nn.Sequential(nn.Linear, nn.Tanh, …, nn.Linear)`. In the lecture's notation
//! h[l] = g(W[l]·h[l−1] + b[l]) per example; batched and row-major as in torch, Z = H·Wᵀ + b.
//!
//! All trained parameters live in ONE flat vector [W[1], b[1], (γ, β), W[2], b[2], …] with
//! per-layer offsets, and so do their gradients, so an `Optimizer` steps the whole network in one
//! call. Activations live in [`Buffers`] that only grow, so a training step allocates nothing.

use super::activation::Activation;
use super::gemm::{Float, Workspace};
use super::init::Init;
use super::layer::{Act, BatchNorm1d, Ctx, Dense, Dropout, Granularity, Layer, Mode};
use super::loss::Loss;
use super::rng::Rng;
use std::ops::Range;

/// The shape of a network.
#[derive(Clone, Debug, PartialEq)]
pub struct Arch {
    pub sizes: Vec<usize>,
    pub activation: Activation,
    /// BatchNorm1d (eps 1e-5) between each hidden Dense and its activation.
    pub batch_norm: bool,
    /// Batch norm after the activation instead (common practice; the paper puts it before).
    pub bn_after: bool,
    /// Its momentum (torch's: the weight of the new batch statistic); None = cumulative average.
    pub bn_momentum: Option<f64>,
    /// Running statistics start at the first batch's (the lecture's MA⁽¹⁾ = μ_B⁽¹⁾) instead of
    /// torch's 0 and 1.
    pub bn_first_batch: bool,
    /// Dropout probability after each hidden activation (0 = none).
    pub dropout: f64,
    /// Dropout probability on the inputs, before the first Dense layer (0 = none).
    pub input_dropout: f64,
    /// One mask per example (PyTorch's `nn.Dropout`, the paper) or one per mini-batch (the slide).
    pub granularity: Granularity,
}

impl Arch {
    pub fn plain(sizes: &[usize], activation: Activation) -> Arch {
        Arch {
            sizes: sizes.to_vec(),
            activation,
            batch_norm: false,
            bn_after: false,
            bn_momentum: Some(0.1),
            bn_first_batch: false,
            dropout: 0.0,
            input_dropout: 0.0,
            granularity: Granularity::Example,
        }
    }
}

/// Where the lecture's layer l lives among the layers.
#[derive(Clone, Copy, Debug)]
struct Block {
    dense: usize,
    /// The layer whose output is the pre-activation (Dense, or BatchNorm1d).
    pre: usize,
    /// The activation layer (None for the linear output layer).
    act: Option<usize>,
    /// The batch norm layer, before or after the activation (None without one).
    bn: Option<usize>,
}

/// Per-layer outputs and output gradients for batches of up to `cap` rows.
#[derive(Default)]
pub struct Buffers<F> {
    outs: Vec<Vec<F>>,
    douts: Vec<Vec<F>>,
    cap: usize,
    /// Rows of the last forward pass.
    pub rows: usize,
}

pub struct Mlp<F: Float> {
    pub arch: Arch,
    layers: Vec<Box<dyn Layer<F>>>,
    offsets: Vec<usize>,
    blocks: Vec<Block>,
    pub params: Vec<F>,
    pub grads: Vec<F>,
    ws: Workspace<F>,
}

impl<F: Float> Mlp<F> {
    /// A network with all parameters 0 (batch norm γ = 1); call [`Mlp::init`] next.
    pub fn new(arch: Arch) -> Mlp<F> {
        let mut layers: Vec<Box<dyn Layer<F>>> = Vec::new();
        let mut blocks = Vec::new();
        let n = arch.sizes.len().saturating_sub(1);
        if arch.input_dropout > 0.0 && n > 0 {
            layers.push(Box::new(Dropout::<F>::new(
                arch.sizes[0],
                arch.input_dropout,
                arch.granularity,
            )));
        }
        for l in 0..n {
            let (i, o) = (arch.sizes[l], arch.sizes[l + 1]);
            let dense = layers.len();
            layers.push(Box::new(Dense { n_in: i, n_out: o }));
            if l + 1 == n {
                blocks.push(Block {
                    dense,
                    pre: dense,
                    act: None,
                    bn: None,
                });
                break;
            }
            let batch_norm = |layers: &mut Vec<Box<dyn Layer<F>>>| {
                let mut bn = BatchNorm1d::<F>::new(o, 1e-5, arch.bn_momentum.unwrap_or(0.1));
                bn.cumulative = arch.bn_momentum.is_none();
                bn.first_batch = arch.bn_first_batch;
                layers.push(Box::new(bn));
                Some(layers.len() - 1)
            };
            let mut bn = None;
            if arch.batch_norm && !arch.bn_after {
                bn = batch_norm(&mut layers);
            }
            let pre = layers.len() - 1;
            layers.push(Box::new(Act {
                n: o,
                f: arch.activation,
            }));
            let act = Some(layers.len() - 1);
            if arch.batch_norm && arch.bn_after {
                bn = batch_norm(&mut layers);
            }
            blocks.push(Block {
                dense,
                pre,
                act,
                bn,
            });
            if arch.dropout > 0.0 {
                layers.push(Box::new(Dropout::<F>::new(
                    o,
                    arch.dropout,
                    arch.granularity,
                )));
            }
        }
        let mut offsets = vec![0];
        for layer in &layers {
            offsets.push(offsets.last().copied().unwrap_or(0) + layer.n_params());
        }
        let total = offsets.last().copied().unwrap_or(0);
        let mut net = Mlp {
            arch,
            layers,
            offsets,
            blocks,
            params: vec![F::zero(); total],
            grads: vec![F::zero(); total],
            ws: Workspace::default(),
        };
        for (i, layer) in net.layers.iter().enumerate() {
            layer.init_params(&mut net.params[net.offsets[i]..net.offsets[i + 1]]);
        }
        net
    }

    /// Initialize every Dense layer with `init` (biases as the scheme says).
    pub fn init(&mut self, init: &Init, rng: &mut Rng) {
        for b in &self.blocks {
            let (fan_in, fan_out) = (self.layers[b.dense].n_in(), self.layers[b.dense].n_out());
            let r = self.offsets[b.dense]..self.offsets[b.dense + 1];
            let (w, bias) = self.params[r].split_at_mut(fan_in * fan_out);
            init.fill(w, bias, fan_in, fan_out, rng);
        }
    }

    /// Number of Dense layers L.
    pub fn depth(&self) -> usize {
        self.blocks.len()
    }
    pub fn n_in(&self) -> usize {
        self.arch.sizes.first().copied().unwrap_or(0)
    }
    pub fn n_out(&self) -> usize {
        self.arch.sizes.last().copied().unwrap_or(0)
    }
    pub fn layers(&self) -> &[Box<dyn Layer<F>>] {
        &self.layers
    }

    /// Range of W[l] (l = 0..L, the lecture's W[l+1]) in `params`/`grads`.
    pub fn weight_range(&self, l: usize) -> Range<usize> {
        let Some(b) = self.blocks.get(l) else {
            return 0..0;
        };
        let o = self.offsets[b.dense];
        o..o + self.layers[b.dense].n_in() * self.layers[b.dense].n_out()
    }
    /// Range of b[l].
    pub fn bias_range(&self, l: usize) -> Range<usize> {
        let Some(b) = self.blocks.get(l) else {
            return 0..0;
        };
        self.weight_range(l).end..self.offsets[b.dense + 1]
    }
    /// The dropout layers in forward order, with the lecture's layer index each follows
    /// (0: the inputs, l: hidden layer l).
    pub fn dropouts(&self) -> Vec<(usize, &Dropout<F>)> {
        let mut out = Vec::new();
        let mut dense = 0;
        for layer in &self.layers {
            if layer.n_params() > 0 && layer.name() == "linear" {
                dense += 1;
            }
            if let Some(d) = layer.as_dropout() {
                out.push((dense, d));
            }
        }
        out
    }
    /// Fix one mask per dropout layer for the Sample passes that follow (drawn from `rng` as a
    /// training mask: kept with probability 1 − p, scaled by 1/(1 − p)); None lifts it.
    pub fn fix_dropout_masks(&mut self, mut rng: Option<&mut Rng>) {
        for layer in &mut self.layers {
            if let Some(d) = layer.as_dropout_mut() {
                d.fixed = rng.as_deref_mut().map(|r| {
                    let keep = 1.0 - d.p;
                    let scale = if keep > 0.0 {
                        F::of(1.0 / keep)
                    } else {
                        F::zero()
                    };
                    (0..d.n)
                        .map(|_| if r.uniform() < keep { scale } else { F::zero() })
                        .collect()
                });
            }
        }
    }
    /// Every dropout layer's test-time factor (1: PyTorch's eval identity).
    pub fn set_dropout_test_scale(&mut self, f: impl Fn(f64) -> f64) {
        for layer in &mut self.layers {
            if let Some(d) = layer.as_dropout_mut() {
                d.test_scale = f(d.p);
            }
        }
    }
    /// Offsets of every layer's parameters (one more than layers).
    pub fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// Buffers for batches of up to `rows` rows.
    pub fn reserve(&self, bufs: &mut Buffers<F>, rows: usize) {
        if bufs.outs.len() != self.layers.len() {
            bufs.outs = self.layers.iter().map(|_| Vec::new()).collect();
            bufs.douts = self.layers.iter().map(|_| Vec::new()).collect();
            bufs.cap = 0;
        }
        if bufs.cap < rows {
            for (i, l) in self.layers.iter().enumerate() {
                bufs.outs[i].resize(rows * l.n_out(), F::zero());
                bufs.douts[i].resize(rows * l.n_out(), F::zero());
            }
            bufs.cap = rows;
        }
    }

    /// Forward pass of `rows` rows of x (rows × h[0]); returns the output (rows × h[L]).
    pub fn forward<'b>(
        &mut self,
        x: &[F],
        rows: usize,
        mode: Mode,
        rng: &mut Rng,
        bufs: &'b mut Buffers<F>,
    ) -> &'b [F] {
        self.reserve(bufs, rows);
        bufs.rows = rows;
        let mut ctx = Ctx {
            mode,
            rng,
            ws: &mut self.ws,
        };
        for (i, layer) in self.layers.iter_mut().enumerate() {
            let (prev, cur) = bufs.outs.split_at_mut(i);
            let input = if i == 0 { x } else { &prev[i - 1][..] };
            let p = &self.params[self.offsets[i]..self.offsets[i + 1]];
            layer.forward(p, input, &mut cur[0], rows, &mut ctx);
        }
        let o = self.n_out();
        match bufs.outs.last() {
            Some(v) => &v[..rows * o],
            None => &[],
        }
    }

    /// Backward pass after `forward` of the same x, with ∂L/∂output already in place
    /// (see [`Buffers::output_grad`]); fills `grads`.
    pub fn backward(&mut self, x: &[F], bufs: &mut Buffers<F>) {
        let rows = bufs.rows;
        // No layer below the first one with parameters needs ∂L/∂x (e.g. input dropout): the
        // first Dense layer skips its input gradient, as without it.
        let first = self
            .layers
            .iter()
            .position(|l| l.n_params() > 0)
            .unwrap_or(0);
        for i in (0..self.layers.len()).rev() {
            if i < first {
                break;
            }
            let (lower, upper) = bufs.douts.split_at_mut(i);
            let dx = match i {
                _ if i == first => None,
                _ => Some(&mut lower[i - 1][..]),
            };
            let input = if i == 0 { x } else { &bufs.outs[i - 1][..] };
            let r = self.offsets[i]..self.offsets[i + 1];
            self.layers[i].backward(
                &self.params[r.clone()],
                input,
                &bufs.outs[i],
                &upper[0],
                dx,
                &mut self.grads[r],
                rows,
                &mut self.ws,
            );
        }
    }

    /// Forward, loss, backward: returns the mean loss and leaves ∂L/∂θ in `grads`.
    #[allow(clippy::too_many_arguments)]
    pub fn loss_and_grad(
        &mut self,
        x: &[F],
        t: &[F],
        rows: usize,
        loss: Loss,
        mode: Mode,
        rng: &mut Rng,
        bufs: &mut Buffers<F>,
    ) -> f64 {
        self.forward(x, rows, mode, rng, bufs);
        let o = self.n_out();
        let Some((out, dout)) = bufs.outs.last().zip(bufs.douts.last_mut()) else {
            return 0.0;
        };
        let value = loss.eval(out, t, rows, o, Some(dout));
        self.backward(x, bufs);
        value
    }

    /// Pre-activation Z[l] of the last forward pass (rows × h[l+1]); after batch norm if any.
    pub fn pre_activation<'b>(&self, l: usize, bufs: &'b Buffers<F>) -> &'b [F] {
        self.view(self.blocks.get(l).map(|b| b.pre), bufs)
    }
    /// Activation H[l] = g(Z[l]) of the last forward pass (= Z for the linear output layer;
    /// before the batch norm that follows it with `bn_after`).
    pub fn activation<'b>(&self, l: usize, bufs: &'b Buffers<F>) -> &'b [F] {
        self.view(self.blocks.get(l).map(|b| b.act.unwrap_or(b.pre)), bufs)
    }
    /// The Dense output z = x·Wᵀ + b of layer l (before batch norm).
    pub fn dense_output<'b>(&self, l: usize, bufs: &'b Buffers<F>) -> &'b [F] {
        self.view(self.blocks.get(l).map(|b| b.dense), bufs)
    }
    /// What the batch norm of layer l normalized in the last forward pass: the Dense output, or
    /// the activation with `bn_after` (empty without batch norm).
    pub fn bn_input<'b>(&self, l: usize, bufs: &'b Buffers<F>) -> &'b [F] {
        self.view(self.blocks.get(l).and_then(|b| b.bn).map(|i| i - 1), bufs)
    }
    /// The running statistics of layer l's batch norm, if it has one.
    pub fn running_stats_mut(&mut self, l: usize) -> Option<(&mut Vec<F>, &mut Vec<F>)> {
        let i = self.blocks.get(l)?.bn?;
        self.layers[i].running_stats_mut()
    }

    /// The activation function of layer l (None for the output layer).
    pub fn activation_of(&self, l: usize) -> Option<Activation> {
        self.blocks
            .get(l)
            .and_then(|b| b.act)
            .and_then(|i| self.layers[i].activation())
    }
    fn view<'b>(&self, i: Option<usize>, bufs: &'b Buffers<F>) -> &'b [F] {
        match i.and_then(|i| bufs.outs.get(i).zip(self.layers.get(i))) {
            Some((v, layer)) => &v[..(bufs.rows * layer.n_out()).min(v.len())],
            None => &[],
        }
    }
}

impl<F: Float> Buffers<F> {
    /// The network output of the last forward pass (rows × h[L]).
    pub fn output(&self, n_out: usize) -> &[F] {
        match self.outs.last() {
            Some(v) => &v[..(self.rows * n_out).min(v.len())],
            None => &[],
        }
    }
    /// Where ∂L/∂output goes before [`Mlp::backward`].
    pub fn output_grad(&mut self) -> &mut [F] {
        match self.douts.last_mut() {
            Some(v) => v,
            None => &mut [],
        }
    }
}
