//! optplay — the engine of the "Learning as Optimization" playground.
//!
//! Everything numeric (landscapes with exact autodiff, PyTorch-exact optimizers and schedules,
//! trajectories, heatmaps) compiles and is tested natively; only [`web`] knows about
//! wasm-bindgen and JavaScript.

pub mod basins;
pub mod chart;
pub mod data;
pub mod deep_linear;
pub mod landscape;
pub mod meta;
pub mod nn;
pub mod optim;
pub mod real;
pub mod rng;
pub mod run;
pub mod simd;
pub mod spec;
pub mod unit;

#[cfg(all(target_arch = "wasm32", feature = "engine"))]
pub mod web;
#[cfg(all(target_arch = "wasm32", feature = "charts"))]
pub mod web_charts;
