//! Multilayer perceptrons, generic over the float type (`f32` for the browser, with SIMD128
//! matrix products in wasm; `f64` for exact checks against PyTorch).
//!
//! Conventions are torch's: `layer_sizes` [h0, …, hL]; W[l] stored [out][in] row-major, z = x·Wᵀ + b
//! (the lecture writes one example as a column, h[l] = g(W[l]h[l−1] + b[l]) — the same W);
//! hidden layers use one activation, the output layer is linear; losses take mean reduction.
//!
//! - [`activation`]: identity, sigmoid, tanh, relu, leaky_relu, gelu, with derivatives.
//! - [`loss`]: mse, bce_with_logits, cross_entropy (stable forms).
//! - [`layer`]: the [`layer::Layer`] trait (training vs inference via [`layer::Mode`]): Dense,
//!   activation, BatchNorm1d, inverted Dropout.
//! - [`net`]: the network over one flat parameter vector.
//! - [`init`]: torch.nn.init's schemes and deeplearning.ai's presets, seeded by [`rng::Rng`].
//! - [`gemm`]: the matrix products (packed panels, f32x4 micro-kernel in wasm).
//! - [`train`]: mini-batch training with any optimizer and schedule of `crate::optim`.
//! - [`stats`]: per-layer statistics for the labs.
//! - [`probe`]: batch norm in inference, percentiles, the loss along the gradient, weight-scale
//!   invariance.
//! - [`spec`], [`grad_spec`]: validation of untrusted specs.

pub mod activation;
pub mod boundary;
pub mod gemm;
pub mod grad_spec;
pub mod init;
pub mod layer;
pub mod loss;
pub mod net;
pub mod probe;
pub use crate::rng;
pub mod spec;
pub mod stats;
pub mod torch;
pub mod train;

pub use activation::Activation;
pub use gemm::Float;
pub use init::Init;
pub use layer::Mode;
pub use loss::Loss;
pub use net::{Arch, Buffers, Mlp};
pub use rng::Rng;
pub use train::{BnStats, Trainer, TrainerConfig};

/// One forward/backward pass, laid out like tests/data/torch_nn.json.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gradients {
    /// Per hidden layer: (z, h), each rows × width, row-major.
    pub hidden: Vec<(Vec<f64>, Vec<f64>)>,
    /// rows × h[L].
    pub output: Vec<f64>,
    pub loss: f64,
    /// Per layer: ∂L/∂W[l] ([out][in] row-major) and ∂L/∂b[l].
    pub grad_weights: Vec<Vec<f64>>,
    pub grad_biases: Vec<Vec<f64>>,
}

/// Forward and backward pass of a given network on one batch, in F (f64 or f32).
pub fn gradients<F: Float>(s: &grad_spec::GradientSpec) -> Gradients {
    let mut net = Mlp::<F>::new(Arch::plain(&s.sizes, s.activation));
    for (p, &v) in net.params.iter_mut().zip(&s.params) {
        *p = F::of(v);
    }
    let x: Vec<F> = s.inputs.iter().map(|&v| F::of(v)).collect();
    let t: Vec<F> = s.targets.iter().map(|&v| F::of(v)).collect();
    let mut bufs = Buffers::default();
    let loss = net.loss_and_grad(
        &x,
        &t,
        s.rows,
        s.loss,
        Mode::Train,
        &mut Rng::new(0),
        &mut bufs,
    );
    let to64 = |v: &[F]| v.iter().map(|x| x.f64()).collect::<Vec<f64>>();
    let depth = net.depth();
    Gradients {
        hidden: (0..depth.saturating_sub(1))
            .map(|l| {
                (
                    to64(net.pre_activation(l, &bufs)),
                    to64(net.activation(l, &bufs)),
                )
            })
            .collect(),
        output: to64(bufs.output(net.n_out())),
        loss,
        grad_weights: (0..depth)
            .map(|l| to64(&net.grads[net.weight_range(l)]))
            .collect(),
        grad_biases: (0..depth)
            .map(|l| to64(&net.grads[net.bias_range(l)]))
            .collect(),
    }
}
