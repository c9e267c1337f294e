//! The charts' wasm API (feature `charts`, part of the engine's module): every chart with axes is
//! drawn by `crate::chart` on the page's canvases through plotters-canvas (`XyCanvas`,
//! `drawBars`, `drawHists`) and written as SVG for the export (`chartSvg`, `barsSvg`,
//! `histsSvg`) — one drawing function per chart kind for both.
use crate::chart;
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, IntoDrawingArea};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

fn spec_of<T: DeserializeOwned>(spec: JsValue) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(spec).map_err(|e| JsError::new(&format!("chart: {e}")))
}

fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsError> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        .ok_or_else(|| JsError::new("chart: the canvas has no 2-D context"))
}

// A path's vertices traced on the canvas by one call: plotters-canvas makes one wasm → JS call per
// vertex (`lineTo`), ~20 000 of them for a chart of 8 long series (decimated to 2 points a pixel
// column); here the vertices go over as one view of wasm memory.
#[wasm_bindgen(inline_js = "export function tracePath(ctx, xy, close) {
  ctx.beginPath();
  ctx.moveTo(xy[0], xy[1]);
  for (let i = 2; i < xy.length; i += 2) ctx.lineTo(xy[i], xy[i + 1]);
  if (close) ctx.closePath();
}")]
extern "C" {
    #[wasm_bindgen(js_name = tracePath)]
    fn trace_path(ctx: &CanvasRenderingContext2d, xy: &[i32], close: bool);
}

/// plotters-canvas with paths and polygons traced by `trace_path` (the same canvas calls, made
/// by JavaScript); everything else is plotters-canvas's.
struct PageCanvas {
    inner: CanvasBackend,
    ctx: CanvasRenderingContext2d,
    xy: Vec<i32>,
}

type Drawn = Result<(), DrawingErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>;

fn css_color(c: BackendColor) -> String {
    let (r, g, b) = c.rgb;
    format!("rgba({r},{g},{b},{})", c.alpha)
}

impl PageCanvas {
    /// Trace `path` as the canvas's current path (closed for a polygon); false when there is
    /// nothing to draw (no vertex, or a transparent colour).
    fn trace(
        &mut self,
        path: impl IntoIterator<Item = BackendCoord>,
        c: BackendColor,
        close: bool,
    ) -> bool {
        self.xy.clear();
        self.xy.extend(path.into_iter().flat_map(|(x, y)| [x, y]));
        if c.alpha == 0.0 || self.xy.is_empty() {
            return false;
        }
        trace_path(&self.ctx, &self.xy, close);
        true
    }
}

impl DrawingBackend for PageCanvas {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;
    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Drawn {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Drawn {
        self.inner.present()
    }
    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Drawn {
        self.inner.draw_pixel(p, c)
    }
    fn draw_line<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, s: &S) -> Drawn {
        self.inner.draw_line(a, b, s)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Drawn {
        self.inner.draw_rect(a, b, s, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Drawn {
        if self.trace(path, s.color(), false) {
            self.ctx.set_stroke_style_str(&css_color(s.color()));
            self.ctx.set_line_width(f64::from(s.stroke_width()));
            self.ctx.stroke();
        }
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Drawn {
        self.inner.draw_circle(c, r, s, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Drawn {
        if self.trace(path, s.color(), true) {
            self.ctx.set_fill_style_str(&css_color(s.color()));
            self.ctx.fill();
        }
        Ok(())
    }
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, s: &T, p: BackendCoord) -> Drawn {
        self.inner.draw_text(text, s, p)
    }
    fn blit_bitmap(&mut self, p: BackendCoord, dim: (u32, u32), src: &[u8]) -> Drawn {
        self.inner.blit_bitmap(p, dim, src)
    }
}

/// The page's theme as a canvas takes it: text at its CSS size, no background (the card's shows).
fn on_page(th: &mut chart::Theme) {
    th.text_scale = 1.0;
    th.fill = false;
}

/// `draw` on `canvas` in CSS pixels (`width` × `height`), scaled to its backing store of `dpr`
/// device pixels per CSS pixel: crisp text and lines on HiDPI screens. Text is sized by estimate,
/// never through the DOM (`chart::Estimated`).
fn on_canvas<T>(
    canvas: &HtmlCanvasElement,
    ctx: &CanvasRenderingContext2d,
    (width, height): (u32, u32),
    dpr: f64,
    clear: bool,
    draw: impl FnOnce(&DrawingArea<chart::Estimated<PageCanvas>, Shift>) -> Result<T, String>,
) -> Result<T, JsError> {
    if !(dpr.is_finite() && (0.5..=4.0).contains(&dpr)) {
        return Err(JsError::new(&format!(
            "chart: dpr must be in [0.5, 4] (got {dpr})"
        )));
    }
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| JsError::new("chart: the canvas has no 2-D context"))?;
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)
        .map_err(|_| JsError::new("chart: setTransform failed"))?;
    if clear {
        ctx.clear_rect(0.0, 0.0, f64::from(width), f64::from(height));
    }
    let page = PageCanvas {
        inner: backend,
        ctx: ctx.clone(),
        xy: Vec::new(),
    };
    let root = chart::Estimated(page)
        .into_drawing_area()
        .shrink((0, 0), (width, height));
    draw(&root).map_err(|e| JsError::new(&e))
}

/// An x–y chart (`XySpec`: what the page's chart shows) as an SVG document. Errors name the
/// field (`series[0].color: …`).
#[wasm_bindgen(js_name = chartSvg)]
pub fn chart_svg(spec: JsValue) -> Result<String, JsError> {
    chart::xy_svg(&spec_of(spec)?).map_err(|e| JsError::new(&e))
}

/// A bar chart on a log axis (`BarSpec`: the page's LayerBars) as an SVG document.
#[wasm_bindgen(js_name = barsSvg)]
pub fn bars_svg(spec: JsValue) -> Result<String, JsError> {
    chart::bars_svg(&spec_of(spec)?).map_err(|e| JsError::new(&e))
}

/// A strip of per-layer histograms (`HistSpec`: the page's HistStrip) as an SVG document.
#[wasm_bindgen(js_name = histsSvg)]
pub fn hists_svg(spec: JsValue) -> Result<String, JsError> {
    chart::hists_svg(&spec_of(spec)?).map_err(|e| JsError::new(&e))
}

/// A 2-D figure (`FieldSpec`: the landscape, a loss slice, a decision boundary, with its paths,
/// marks, colour bar and the heatmap the page encoded) as an SVG document.
#[wasm_bindgen(js_name = fieldSvg)]
pub fn field_svg(spec: JsValue) -> Result<String, JsError> {
    chart::field_svg(&spec_of(spec)?).map_err(|e| JsError::new(&e))
}

/// A 2-D figure's frame, ticks and axis names (and whatever paths and marks its spec has) drawn
/// over what the page painted on the canvas (the heatmap, the moving paths): nothing is cleared.
/// Returns the plot area [x, y, width, height] in CSS px.
#[wasm_bindgen(js_name = drawField)]
pub fn draw_field(canvas: HtmlCanvasElement, spec: JsValue, dpr: f64) -> Result<Vec<i32>, JsError> {
    let (x, y, w, h) = draw_once(&canvas, spec, dpr, false, chart::draw_field)?;
    Ok(vec![x, y, w, h])
}

/// A colour map as a CSS gradient from its low to its high end (the page's colour key; the
/// heatmap is coloured from the same table).
#[wasm_bindgen(js_name = colormapGradient)]
pub fn colormap_gradient(name: &str) -> Result<String, JsError> {
    let colors = crate::landscape::grid::Colormap::parse(name)
        .ok_or_else(|| JsError::new("colormap: must be viridis, cividis or magma"))?
        .colors();
    let stops: Vec<String> = (0..9)
        .map(|k| {
            let [r, g, b] = colors[k * 255 / 8];
            format!("#{r:02x}{g:02x}{b:02x}")
        })
        .collect();
    Ok(format!("linear-gradient(to right, {})", stops.join(", ")))
}

/// The specs of the charts drawn once per call on a page's canvas: their theme and size.
trait PageSpec: DeserializeOwned {
    fn theme(&mut self) -> &mut chart::Theme;
    fn size(&self) -> (u32, u32);
}

macro_rules! page_spec {
    ($($t:ty),*) => {$(
        impl PageSpec for $t {
            fn theme(&mut self) -> &mut chart::Theme {
                &mut self.theme
            }
            fn size(&self) -> (u32, u32) {
                (self.width, self.height)
            }
        }
    )*};
}
page_spec!(chart::BarSpec, chart::HistSpec, chart::FieldSpec);

/// `draw` a chart of spec `S` (from the page) on `canvas` in the page's theme at its size;
/// `clear`: start from an empty canvas (else draw over what the page painted).
fn draw_once<S: PageSpec, T>(
    canvas: &HtmlCanvasElement,
    spec: JsValue,
    dpr: f64,
    clear: bool,
    draw: impl FnOnce(&DrawingArea<chart::Estimated<PageCanvas>, Shift>, &S) -> Result<T, String>,
) -> Result<T, JsError> {
    let mut spec: S = spec_of(spec)?;
    on_page(spec.theme());
    let ctx = context(canvas)?;
    on_canvas(canvas, &ctx, spec.size(), dpr, clear, |root| {
        draw(root, &spec)
    })
}

/// A per-layer bar chart (`BarSpec`: LayerBars, and the comparison grid's small multiples with
/// `compact`) on a page's canvas.
#[wasm_bindgen(js_name = drawBars)]
pub fn draw_bars(canvas: HtmlCanvasElement, spec: JsValue, dpr: f64) -> Result<(), JsError> {
    draw_once(&canvas, spec, dpr, true, chart::draw_bars)
}

/// A strip of per-layer histograms (`HistSpec`) on a page's canvas.
#[wasm_bindgen(js_name = drawHists)]
pub fn draw_hists(canvas: HtmlCanvasElement, spec: JsValue, dpr: f64) -> Result<(), JsError> {
    draw_once(&canvas, spec, dpr, true, chart::draw_hists)
}

/// An x–y chart on a page's canvas. The page hands in the chart's options and series styles
/// (`setSpec`, a spec without data), then each series' numbers as typed arrays (`setData`,
/// copied into wasm memory), then draws at its CSS size and device pixel ratio; long series are
/// decimated to the plot's pixel columns in `draw_xy`.
#[wasm_bindgen(js_name = XyCanvas)]
pub struct XyCanvas {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    spec: chart::XySpec,
}

#[wasm_bindgen(js_class = XyCanvas)]
impl XyCanvas {
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: HtmlCanvasElement) -> Result<XyCanvas, JsError> {
        let ctx = context(&canvas)?;
        Ok(XyCanvas {
            canvas,
            ctx,
            spec: chart::XySpec::default(),
        })
    }

    /// The chart's options, lines, marks, theme and series styles; series `i` keeps the numbers
    /// it had (and their min/max pyramid) until `setData` or `appendData` changes them.
    #[wasm_bindgen(js_name = setSpec)]
    pub fn set_spec(&mut self, spec: JsValue) -> Result<(), JsError> {
        let mut spec: chart::XySpec = spec_of(spec)?;
        for (new, old) in spec.series.iter_mut().zip(self.spec.series.iter_mut()) {
            new.x = old.x.take();
            new.y = std::mem::take(&mut old.y);
            new.lo = old.lo.take();
            new.hi = old.hi.take();
            new.envelope = old.envelope.take();
        }
        self.spec = spec;
        Ok(())
    }

    /// Points appended to series `i` (indexed, without a band): only they are copied in, and the
    /// series' min/max pyramid grows by the blocks they complete.
    #[wasm_bindgen(js_name = appendData)]
    pub fn append_data(&mut self, i: usize, y: Vec<f64>) -> Result<(), JsError> {
        let n = self.spec.series.len();
        let s = self
            .spec
            .series
            .get_mut(i)
            .ok_or_else(|| JsError::new(&format!("chart: series {i} of {n}")))?;
        s.append(&y)
            .map_err(|e| JsError::new(&format!("chart: {e}")))
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
        s.envelope = None;
        Ok(())
    }

    /// Draw at `width` × `height` CSS pixels on a canvas of `dpr` device pixels per CSS pixel
    /// (its backing store already that size): [x0, x1, y0, y1] of the extent (axis coordinates)
    /// and [x, y, w, h] of the plot area in CSS pixels.
    pub fn draw(&mut self, width: u32, height: u32, dpr: f64) -> Result<Box<[f64]>, JsError> {
        self.spec.width = width;
        self.spec.height = height;
        on_page(&mut self.spec.theme);
        self.spec.keep_envelopes();
        let spec = &self.spec;
        let d = on_canvas(
            &self.canvas,
            &self.ctx,
            (width, height),
            dpr,
            true,
            |root| chart::draw_xy(root, spec),
        )?;
        let (e, (x, y, w, h)) = (d.extent, d.plot);
        Ok(vec![
            e.x0, e.x1, e.y0, e.y1, x as f64, y as f64, w as f64, h as f64,
        ]
        .into_boxed_slice())
    }
}
