//! The charts' own wasm module (`--no-default-features --features charts`, built by ./build.sh
//! into www/pkg/charts/): plotters and the chart code only, loaded by a page when it exports
//! its charts as SVG, so no lab downloads them with the engine.
use crate::chart;
use wasm_bindgen::prelude::*;

/// An x–y chart (`XySpec`: what the page's chart shows) as an SVG document, drawn with plotters
/// (`chart::draw_xy`). Errors name the field (`series[0].color: …`).
#[wasm_bindgen(js_name = chartSvg)]
pub fn chart_svg(spec: JsValue) -> Result<String, JsError> {
    let spec: chart::XySpec =
        serde_wasm_bindgen::from_value(spec).map_err(|e| JsError::new(&format!("chart: {e}")))?;
    chart::xy_svg(&spec).map_err(|e| JsError::new(&e))
}

/// A bar chart on a log axis (`BarSpec`: the page's LayerBars) as an SVG document.
#[wasm_bindgen(js_name = barsSvg)]
pub fn bars_svg(spec: JsValue) -> Result<String, JsError> {
    let spec: chart::BarSpec =
        serde_wasm_bindgen::from_value(spec).map_err(|e| JsError::new(&format!("chart: {e}")))?;
    chart::bars_svg(&spec).map_err(|e| JsError::new(&e))
}
