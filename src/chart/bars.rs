//! One bar per layer on a log₁₀ axis (per-layer gradient norms and the like), as the page's
//! LayerBars shows it: an optional dashed "ghost" outline per layer (the values at initialization),
//! a value that overflowed float32 (±∞, NaN) as a hatched full-height bar marked ∞, an exact zero as
//! a "0" — never a missing bar that reads as a zero. Drawn against plotters' `DrawingBackend`.
use super::{axis_of, parse_color, style_of, Theme};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Deserialize;

const OVER: RGBAColor = RGBAColor(0xD5, 0x5E, 0x00, 1.0);

/// What a bar chart shows.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BarSpec {
    /// `"bars"` (the page's tag for this kind; not used here).
    pub kind: String,
    pub width: u32,
    pub height: u32,
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub color: String,
    /// One colour per bar (the page's colour function); empty: `color` for every bar.
    pub colors: Vec<String>,
    /// A small multiple (a cell of the comparison grid): narrow margins, small text, no axis
    /// titles, only the first and the last layer numbered.
    pub compact: bool,
    pub values: Vec<f64>,
    pub ghost: Option<Vec<f64>>,
    pub ghost_label: String,
    /// The decades shown, [lo, hi] (the page's current range); else from the values.
    pub range: Option<[f64; 2]>,
    pub min_decades: f64,
    pub theme: Theme,
}

impl Default for BarSpec {
    fn default() -> Self {
        BarSpec {
            kind: "bars".into(),
            width: 640,
            height: 320,
            title: String::new(),
            x_label: "layer l".into(),
            y_label: String::new(),
            color: "#0072B2".into(),
            colors: Vec::new(),
            compact: false,
            values: Vec::new(),
            ghost: None,
            ghost_label: String::new(),
            range: None,
            min_decades: 2.0,
            theme: Theme::default(),
        }
    }
}

impl BarSpec {
    pub fn validate(&self) -> Result<(), String> {
        super::check_frame(self.width, self.height, &self.color, &self.theme)?;
        for (i, c) in self.colors.iter().enumerate() {
            parse_color(c).map_err(|e| format!("colors[{i}]: {e}"))?;
        }
        if self.values.len() > 10_000 {
            return Err(format!(
                "values: {} bars (at most 10000)",
                self.values.len()
            ));
        }
        if let Some(g) = &self.ghost {
            if g.len() > 10_000 {
                return Err(format!("ghost: {} values (at most 10000)", g.len()));
            }
        }
        if let Some([lo, hi]) = self.range {
            if !(lo.is_finite() && hi.is_finite() && lo < hi && hi - lo <= 400.0) {
                return Err(format!(
                    "range: must be two decades lo < hi (got [{lo}, {hi}])"
                ));
            }
        }
        if !(self.min_decades.is_finite() && (0.5..=100.0).contains(&self.min_decades)) {
            return Err(format!(
                "minDecades: must be in [0.5, 100] (got {})",
                self.min_decades
            ));
        }
        Ok(())
    }

    /// The decades shown: the page's range, else the values' (and ghosts') with a quarter decade
    /// of room, at least `min_decades` tall.
    pub fn decades(&self) -> (f64, f64) {
        if let Some([lo, hi]) = self.range {
            return (lo, hi);
        }
        let pos = self
            .values
            .iter()
            .chain(self.ghost.iter().flatten())
            .filter_map(|&v| axis_of(v, true));
        let (lo, hi) = pos.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), t| {
            (a.min(t), b.max(t))
        });
        if !lo.is_finite() {
            return (-3.0, 0.0);
        }
        let (lo, hi) = ((lo - 0.25).floor(), (hi + 0.25).ceil());
        (lo.min(hi - self.min_decades), hi)
    }
}

/// Draw the bars on any plotters backend.
pub fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &BarSpec,
) -> Result<(), String> {
    spec.validate()?;
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| format!("drawing: {e}");
    let th = &spec.theme;
    let (fg, bg, grid) = (
        parse_color(&th.fg)?,
        parse_color(&th.bg)?,
        parse_color(&th.grid)?,
    );
    let color = parse_color(&spec.color)?;
    let colors = spec
        .colors
        .iter()
        .map(|c| parse_color(c))
        .collect::<Result<Vec<_>, _>>()?;
    if th.fill {
        root.fill(&bg).map_err(err)?;
    }
    let compact = spec.compact;
    let small = if compact { 9.5 } else { 11.0 };
    let font = |size: f64, c: RGBAColor| super::font_of(th, size, c);
    let (w, h) = (spec.width as i32, spec.height as i32);
    let top = super::draw_title(root, &spec.title, w, th, fg)?;
    let root = root.margin(top as u32, 0, 0, 0);
    let n = spec
        .values
        .len()
        .max(spec.ghost.as_ref().map_or(0, Vec::len));
    let (lo, hi) = spec.decades();
    let any = spec
        .values
        .iter()
        .chain(spec.ghost.iter().flatten())
        .any(|&v| axis_of(v, true).is_some());
    let plot_h = (h - top - if compact { 22 } else { 60 }).max(10) as f64;
    let yt = if any {
        let per = if compact { 30.0 } else { 24.0 };
        super::decade_ticks(lo, hi, ((plot_h / per).round() as usize).max(2))
    } else {
        Vec::new()
    };
    let xa = super::Axis {
        range: (0.0..n.max(1) as f64).into(),
        ticks: Vec::new(),
        log: false,
        step: 1.0,
    };
    let ya = super::Axis {
        range: (lo..hi).into(),
        ticks: yt,
        log: true,
        step: 1.0,
    };
    let y_label = match (compact, spec.y_label.is_empty()) {
        (true, _) => String::new(),
        (false, true) => "(log scale)".to_string(),
        (false, false) => format!("{} (log scale)", spec.y_label),
    };
    let legend_row = !compact && spec.ghost.is_some() && !spec.ghost_label.is_empty();
    let mut chart = if compact {
        ChartBuilder::on(&root)
            .margin_top(5)
            .margin_left(2)
            .margin_bottom(2)
            .margin_right(3)
            .x_label_area_size(12)
            .y_label_area_size(38)
            .build_cartesian_2d(xa, ya)
    } else {
        ChartBuilder::on(&root)
            .margin_top(10)
            .margin_left(10)
            .margin_bottom(if legend_row { 24 } else { 10 })
            .margin_right(16)
            .x_label_area_size(34)
            .y_label_area_size(58)
            .build_cartesian_2d(xa, ya)
    }
    .map_err(err)?;
    chart
        .configure_mesh()
        .x_max_light_lines(0)
        .y_max_light_lines(0)
        .disable_x_mesh()
        .bold_line_style(grid)
        .axis_style(fg)
        .label_style(font(small, fg))
        .x_desc(if compact { "" } else { spec.x_label.as_str() })
        .y_desc(y_label.as_str())
        .axis_desc_style(font(12.0, fg))
        .draw()
        .map_err(err)?;
    let area = chart.plotting_area().clone();
    let slot_px = (area.get_pixel_range().0.len() as f64 / n.max(1) as f64).max(1.0);
    let half = (0.36f64).min(22.0 / slot_px);
    let label_every = if compact {
        n.max(1)
    } else {
        ((22.0 / slot_px).ceil() as usize).max(1)
    };
    for l in 0..n {
        let color = colors.get(l).copied().unwrap_or(color);
        let cx = l as f64 + 0.5;
        let (x0, x1) = (cx - half, cx + half);
        match spec.values.get(l) {
            Some(&v) if v.is_finite() && v > 0.0 => {
                let t = v.log10().clamp(lo, hi);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x0, lo), (x1, t)],
                        color.filled(),
                    )))
                    .map_err(err)?;
            }
            Some(&v) if !v.is_finite() => {
                // Overflowed float32: hatched to the top, marked ∞.
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x0, lo), (x1, hi)],
                        OVER.mix(0.18).filled(),
                    )))
                    .map_err(err)?;
                let k = 12;
                let hatch = (0..k).map(|i| {
                    let y0 = lo + (hi - lo) * i as f64 / k as f64;
                    PathElement::new(
                        vec![(x0, y0), (x1, (y0 + (hi - lo) / k as f64).min(hi))],
                        style_of(OVER, 1.5),
                    )
                });
                chart.draw_series(hatch).map_err(err)?;
                area.draw(&Text::new(
                    "∞",
                    (cx, hi),
                    font(11.0, OVER).pos(Pos::new(HPos::Center, VPos::Top)),
                ))
                .map_err(err)?;
            }
            Some(_) if slot_px >= 9.0 => {
                area.draw(&Text::new(
                    "0",
                    (cx, lo),
                    font(small, fg).pos(Pos::new(HPos::Center, VPos::Bottom)),
                ))
                .map_err(err)?;
            }
            Some(_) => {
                // No room for a "0": a red foot mark (a zero, never a missing bar).
                let (px, py) = area.map_coordinate(&(x0, lo));
                let (qx, _) = area.map_coordinate(&(x1, lo));
                let (bx, by) = root.get_base_pixel();
                root.draw(&Rectangle::new(
                    [(px - bx, py - 4 - by), (qx.max(px + 1) - bx, py - 1 - by)],
                    OVER.filled(),
                ))
                .map_err(err)?;
            }
            None => {}
        }
        if let Some(&g) = spec.ghost.as_ref().and_then(|g| g.get(l)) {
            if g.is_finite() && g > 0.0 {
                let t = g.log10().clamp(lo, hi);
                let (a, b) = (x0 - 0.04 * half, x1 + 0.04 * half);
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(
                        vec![(a, lo), (a, t), (b, t), (b, lo)],
                        3,
                        2,
                        style_of(fg, 1.2),
                    )))
                    .map_err(err)?;
            }
        }
        if l % label_every == 0 || l + 1 == n {
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((cx, lo))
                        + Text::new(
                            (l + 1).to_string(),
                            (0, if compact { 2 } else { 5 }),
                            font(small, fg).pos(Pos::new(HPos::Center, VPos::Top)),
                        ),
                ))
                .map_err(err)?;
        }
    }
    if legend_row {
        let y = h - top - 12;
        root.draw(&DashedPathElement::new(
            vec![
                (68, y - 8),
                (78, y - 8),
                (78, y + 1),
                (68, y + 1),
                (68, y - 8),
            ],
            3,
            2,
            style_of(fg, 1.0),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            spec.ghost_label.clone(),
            (84, y - 3),
            font(11.0, fg).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(err)?;
    }
    root.present().map_err(err)?;
    Ok(())
}

/// The bar chart as an SVG document.
pub fn bars_svg(spec: &BarSpec) -> Result<String, String> {
    spec.validate()?;
    super::svg_of(spec.width, spec.height, |root| draw_bars(root, spec))
}
