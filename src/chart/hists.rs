//! Per-layer histograms as small multiples (the initialization and batch-norm labs' strips): one
//! panel per layer in a grid of `cols` columns, filled bars for the distribution now and a dashed
//! outline for a reference (at initialization, or the other network), placed on this panel's axis
//! by its own range. Drawn against plotters' `DrawingBackend`, on the page and as SVG.
use super::{parse_color, style_of, Theme};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Deserialize;

/// One histogram: bin fractions over [lo, hi].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Hist {
    pub bins: Vec<f64>,
    pub lo: f64,
    pub hi: f64,
}

/// One layer's panel: its title (the page writes it, with its mean and variance), the
/// histogram, the reference, and the axis' end labels.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Panel {
    pub title: String,
    pub hist: Hist,
    pub ghost: Option<Hist>,
    pub lo_label: String,
    pub hi_label: String,
}

/// What a histogram strip shows.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HistSpec {
    /// `"hists"` (the page's tag for this kind).
    pub kind: String,
    pub width: u32,
    pub height: u32,
    pub title: String,
    pub cols: u32,
    /// One panel's height in pixels.
    pub panel_height: u32,
    pub color: String,
    pub panels: Vec<Panel>,
    pub theme: Theme,
}

impl Default for HistSpec {
    fn default() -> Self {
        HistSpec {
            kind: "hists".into(),
            width: 640,
            height: 200,
            title: String::new(),
            cols: 4,
            panel_height: 92,
            color: "#0072B2".into(),
            panels: Vec::new(),
            theme: Theme::default(),
        }
    }
}

impl HistSpec {
    pub fn validate(&self) -> Result<(), String> {
        super::check_frame(self.width, self.height, &self.color, &self.theme)?;
        if !(1..=64).contains(&self.cols) {
            return Err(format!("cols: must be in [1, 64] (got {})", self.cols));
        }
        if !(24..=1000).contains(&self.panel_height) {
            return Err(format!(
                "panelHeight: must be in [24, 1000] (got {})",
                self.panel_height
            ));
        }
        if self.panels.len() > 256 {
            return Err(format!("panels: {} (at most 256)", self.panels.len()));
        }
        for (i, p) in self.panels.iter().enumerate() {
            for (what, h) in [("hist", Some(&p.hist)), ("ghost", p.ghost.as_ref())] {
                let Some(h) = h else { continue };
                if h.bins.len() > 1000 {
                    return Err(format!(
                        "panels[{i}].{what}.bins: {} (at most 1000)",
                        h.bins.len()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Draw the strip on any plotters backend.
pub fn draw_hists<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &HistSpec,
) -> Result<(), String> {
    spec.validate()?;
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| format!("drawing: {e}");
    let th = &spec.theme;
    let (fg, bg, muted) = (
        parse_color(&th.fg)?,
        parse_color(&th.bg)?,
        parse_color(&th.muted)?,
    );
    let color = parse_color(&spec.color)?;
    if th.fill {
        root.fill(&bg).map_err(err)?;
    }
    let top = super::draw_title(root, &spec.title, spec.width as i32, th, fg)?;
    let root = root.margin(top as u32, 0, 0, 0);
    let font = |c: RGBAColor| super::font_of(th, 10.5, c);
    let pw = spec.width as f64 / spec.cols as f64;
    let ph = spec.panel_height as i32;
    let finite = |v: f64| v.is_finite().then_some(v);
    for (l, p) in spec.panels.iter().enumerate() {
        let (col, row) = (l as u32 % spec.cols, l as u32 / spec.cols);
        let px = (col as f64 * pw).round() as i32;
        let py = row as i32 * ph;
        let (x, y, w, h) = (px + 6, py + 16, (pw as i32 - 12).max(4), (ph - 34).max(4));
        let g = p
            .ghost
            .as_ref()
            .filter(|g| g.bins.len() == p.hist.bins.len());
        let tallest = p
            .hist
            .bins
            .iter()
            .chain(g.iter().flat_map(|g| g.bins.iter()))
            .filter_map(|&v| finite(v))
            .fold(0.0f64, f64::max);
        let tallest = if tallest > 0.0 { tallest } else { 1.0 };
        let n = p.hist.bins.len().max(1);
        let bw = w as f64 / n as f64;
        let height_of = |v: f64| ((v / tallest).clamp(0.0, 1.0) * h as f64).round() as i32;
        for (b, &v) in p.hist.bins.iter().enumerate() {
            if !(v > 0.0 && v.is_finite()) {
                continue;
            }
            let x0 = x + (b as f64 * bw).round() as i32;
            let x1 = (x + ((b + 1) as f64 * bw - 0.5).round() as i32).max(x0 + 1);
            root.draw(&Rectangle::new(
                [(x0, y + h - height_of(v)), (x1, y + h)],
                color.filled(),
            ))
            .map_err(err)?;
        }
        if let Some(g) = g {
            // The reference, on this panel's axis by its own range (clipped to the panel).
            let (lo, hi) = (p.hist.lo, p.hist.hi);
            let span = if hi - lo != 0.0 && (hi - lo).is_finite() {
                hi - lo
            } else {
                1.0
            };
            let at = |v: f64| {
                let t = ((v - lo) / span).clamp(0.0, 1.0);
                x + (t * w as f64).round() as i32
            };
            let gn = g.bins.len() as f64;
            let mut path = vec![(at(g.lo), y + h)];
            for (b, &v) in g.bins.iter().enumerate() {
                let a = at(g.lo + (g.hi - g.lo) * b as f64 / gn);
                let c = at(g.lo + (g.hi - g.lo) * (b + 1) as f64 / gn);
                let yy = y + h - height_of(if v.is_finite() { v } else { 0.0 });
                path.push((a, yy));
                path.push((c, yy));
            }
            if lo.is_finite() && hi.is_finite() && g.lo.is_finite() && g.hi.is_finite() {
                root.draw(&DashedPathElement::new(path, 3, 2, style_of(fg, 1.0)))
                    .map_err(err)?;
            }
        }
        root.draw(&PathElement::new(
            vec![(x, y + h), (x + w, y + h)],
            style_of(muted, 1.0),
        ))
        .map_err(err)?;
        let short = |s: &str| -> String {
            let max = (w as f64 / 5.8) as usize;
            if s.chars().count() > max {
                let keep: String = s.chars().take(max.saturating_sub(1)).collect();
                format!("{keep}…")
            } else {
                s.to_string()
            }
        };
        root.draw(&Text::new(
            short(&p.title),
            (x, py + 14),
            font(fg).pos(Pos::new(HPos::Left, VPos::Bottom)),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            p.lo_label.clone(),
            (x, y + h + 3),
            font(muted).pos(Pos::new(HPos::Left, VPos::Top)),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            p.hi_label.clone(),
            (x + w, y + h + 3),
            font(muted).pos(Pos::new(HPos::Right, VPos::Top)),
        ))
        .map_err(err)?;
    }
    root.present().map_err(err)?;
    Ok(())
}

/// The strip as an SVG document.
pub fn hists_svg(spec: &HistSpec) -> Result<String, String> {
    spec.validate()?;
    super::svg_of(spec.width, spec.height, |root| draw_hists(root, spec))
}
