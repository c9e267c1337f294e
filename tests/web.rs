//! The engine through its JavaScript API, in wasm under Node (`wasm-pack test --node`): every
//! PyTorch reference case to 1e-9, agreement with the native build to 1e-12, SIMD128 on, and
//! errors that name their field. tests/web_browser.rs runs the same tests in headless Chromium.
#![cfg(target_arch = "wasm32")]

mod common;
mod wasm_api;
