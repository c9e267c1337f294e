//! The charts' own wasm module (`--no-default-features --features charts`, built by ./build.sh
//! into www/pkg/charts/): plotters and the chart code only, loaded by a page when it exports
//! its charts as SVG, so no lab downloads them with the engine.
use crate::chart;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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

/// An x–y chart on a page's canvas, drawn by the same code as its SVG (`chart::draw_xy`) through
/// plotters-canvas. The page hands in the chart's options and series styles (`setSpec`, a spec
/// without data), then each series' numbers as typed arrays (`setData`, copied into wasm memory),
/// then draws at its CSS size and device pixel ratio; long series are decimated to the plot's
/// pixel columns (min and max per column) in `draw_xy`.
#[wasm_bindgen(js_name = XyCanvas)]
pub struct XyCanvas {
    canvas: web_sys::HtmlCanvasElement,
    ctx: web_sys::CanvasRenderingContext2d,
    spec: chart::XySpec,
}

#[wasm_bindgen(js_class = XyCanvas)]
impl XyCanvas {
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: web_sys::HtmlCanvasElement) -> Result<XyCanvas, JsError> {
        let ctx = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
            .ok_or_else(|| JsError::new("chart: the canvas has no 2-D context"))?;
        Ok(XyCanvas {
            canvas,
            ctx,
            spec: chart::XySpec::default(),
        })
    }

    /// The chart's options, lines, marks, theme and series styles; the series' numbers stay
    /// empty until `setData`.
    #[wasm_bindgen(js_name = setSpec)]
    pub fn set_spec(&mut self, spec: JsValue) -> Result<(), JsError> {
        self.spec = serde_wasm_bindgen::from_value(spec)
            .map_err(|e| JsError::new(&format!("chart: {e}")))?;
        Ok(())
    }

    /// Series `i`'s numbers: x (absent: the index from the series' `xStart`), y, and the band
    /// lo…hi (both or neither).
    #[wasm_bindgen(js_name = setData)]
    pub fn set_data(
        &mut self,
        i: usize,
        x: Option<Vec<f64>>,
        y: Vec<f64>,
        lo: Option<Vec<f64>>,
        hi: Option<Vec<f64>>,
    ) -> Result<(), JsError> {
        let n = self.spec.series.len();
        let s = self
            .spec
            .series
            .get_mut(i)
            .ok_or_else(|| JsError::new(&format!("chart: series {i} of {n}")))?;
        (s.x, s.y, s.lo, s.hi) = (x, y, lo, hi);
        Ok(())
    }

    /// Draw at `width` × `height` CSS pixels on a canvas of `dpr` device pixels per CSS pixel
    /// (its backing store already that size): [x0, x1, y0, y1] of the extent (axis coordinates)
    /// and [x, y, w, h] of the plot area in CSS pixels.
    pub fn draw(&mut self, width: u32, height: u32, dpr: f64) -> Result<Box<[f64]>, JsError> {
        if !(dpr.is_finite() && (0.5..=4.0).contains(&dpr)) {
            return Err(JsError::new(&format!(
                "chart: dpr must be in [0.5, 4] (got {dpr})"
            )));
        }
        self.spec.width = width;
        self.spec.height = height;
        self.spec.theme.text_scale = 1.0;
        self.spec.theme.fill = false;
        self.spec.validate().map_err(|e| JsError::new(&e))?;
        let backend = plotters_canvas::CanvasBackend::with_canvas_object(self.canvas.clone())
            .ok_or_else(|| JsError::new("chart: the canvas has no 2-D context"))?;
        // Drawn in CSS pixels, scaled to the backing store: crisp text and lines on HiDPI.
        let ctx = &self.ctx;
        ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)
            .map_err(|_| JsError::new("chart: setTransform failed"))?;
        ctx.clear_rect(0.0, 0.0, f64::from(width), f64::from(height));
        use plotters::drawing::IntoDrawingArea;
        // Text measured by estimate, never through the DOM (`chart::Estimated`).
        let root = chart::Estimated(backend)
            .into_drawing_area()
            .shrink((0, 0), (width, height));
        let d = chart::draw_xy(&root, &self.spec).map_err(|e| JsError::new(&e))?;
        let (e, (x, y, w, h)) = (d.extent, d.plot);
        Ok(vec![
            e.x0, e.x1, e.y0, e.y1, x as f64, y as f64, w as f64, h as f64,
        ]
        .into_boxed_slice())
    }
}
