//! Charts with axes, drawn once against plotters' `DrawingBackend`: the x–y charts of the network
//! labs (loss and metric curves with bands over seeds, thresholds, divergence marks) as the lab
//! shows them, written to SVG through plotters' SVG backend for slides and papers. The page hands
//! in what its chart shows (`XySpec`: series, bands, lines, marks, axis options, theme); the same
//! rules as the page decide the extent and the ticks (linear 1-2-5 steps, log decades or 1-2-5
//! inside a short span), non-finite values and values ≤ 0 on a log axis are never drawn (the
//! line breaks there), and long series are decimated to the pixel width (min and max per column).

mod bars;
mod ticks;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Deserialize;
use std::ops::Range;

pub use bars::{bars_svg, draw_bars, BarSpec};
pub use ticks::{decade_ticks, log_ticks, nice_ticks, pow10_label, tick_label};

/// One curve: y against x (or against its index from `x_start`), with an optional band lo…hi.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Series {
    pub label: String,
    /// CSS colour `#rrggbb` (the lab's palette).
    pub color: String,
    pub width: Option<f64>,
    /// Dash pattern as the canvas takes it (`[6, 4]`); empty: solid.
    pub dash: Vec<f64>,
    pub x: Option<Vec<f64>>,
    pub x_start: f64,
    pub y: Vec<f64>,
    pub lo: Option<Vec<f64>>,
    pub hi: Option<Vec<f64>>,
    /// Draw every point as a dot.
    pub points: bool,
    pub no_line: bool,
    pub no_legend: bool,
}

/// A horizontal (`HLine`) or vertical (`VLine`) reference line.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Line {
    pub at: f64,
    pub label: String,
    pub color: String,
}

/// A marked point (where a curve crossed a threshold, where a run diverged).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub label: String,
    pub color: String,
}

/// The page's colours and font.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Theme {
    pub fg: String,
    pub bg: String,
    pub grid: String,
    pub muted: String,
    pub font: String,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            fg: "#1d2330".into(),
            bg: "#ffffff".into(),
            grid: "#d9dce3".into(),
            muted: "#5b6475".into(),
            font: "sans-serif".into(),
        }
    }
}

/// What an x–y chart shows.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct XySpec {
    pub width: u32,
    pub height: u32,
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub log_x: bool,
    pub log_y: bool,
    pub x_min: Option<f64>,
    pub x_max: Option<f64>,
    pub y_min: Option<f64>,
    pub y_max: Option<f64>,
    /// Ticks on whole numbers only (epochs, layers).
    pub integer_x: bool,
    /// On a log axis: show at most this many decades below the top.
    pub y_floor_decades: Option<f64>,
    /// The sentence shown while no series has a point.
    pub empty: String,
    pub series: Vec<Series>,
    pub hlines: Vec<Line>,
    pub vlines: Vec<Line>,
    pub marks: Vec<Mark>,
    pub theme: Theme,
}

impl Default for XySpec {
    fn default() -> Self {
        XySpec {
            width: 640,
            height: 360,
            title: String::new(),
            x_label: String::new(),
            y_label: String::new(),
            log_x: false,
            log_y: false,
            x_min: None,
            x_max: None,
            y_min: None,
            y_max: None,
            integer_x: false,
            y_floor_decades: None,
            empty: "no data yet".into(),
            series: Vec::new(),
            hlines: Vec::new(),
            vlines: Vec::new(),
            marks: Vec::new(),
            theme: Theme::default(),
        }
    }
}

/// The drawn extent in axis coordinates (log₁₀ of the value on a log axis).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extent {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
}

const MAX_SIDE: u32 = 8192;
const MAX_POINTS: usize = 2_000_000;

impl XySpec {
    /// Field-named errors for what cannot be drawn (sizes, colours, lengths).
    pub fn validate(&self) -> Result<(), String> {
        check_size(self.width, self.height)?;
        let mut total = 0usize;
        for (i, s) in self.series.iter().enumerate() {
            parse_color(&s.color).map_err(|e| format!("series[{i}].color: {e}"))?;
            if let Some(x) = &s.x {
                if x.len() != s.y.len() {
                    return Err(format!(
                        "series[{i}].x: {} values for {} y values",
                        x.len(),
                        s.y.len()
                    ));
                }
            }
            for (band, v) in [("lo", &s.lo), ("hi", &s.hi)] {
                if let Some(v) = v {
                    if v.len() != s.y.len() {
                        return Err(format!(
                            "series[{i}].{band}: {} values for {} y values",
                            v.len(),
                            s.y.len()
                        ));
                    }
                }
            }
            total += s.y.len();
        }
        if total > MAX_POINTS {
            return Err(format!(
                "series: {total} points in all (at most {MAX_POINTS})"
            ));
        }
        check_theme(&self.theme)?;
        for (i, l) in self.hlines.iter().chain(&self.vlines).enumerate() {
            if !l.color.is_empty() {
                parse_color(&l.color).map_err(|e| format!("lines[{i}].color: {e}"))?;
            }
        }
        for (i, m) in self.marks.iter().enumerate() {
            if !m.color.is_empty() {
                parse_color(&m.color).map_err(|e| format!("marks[{i}].color: {e}"))?;
            }
        }
        Ok(())
    }

    fn tx(&self, v: f64) -> Option<f64> {
        axis_of(v, self.log_x)
    }
    fn ty(&self, v: f64) -> Option<f64> {
        axis_of(v, self.log_y)
    }

    /// The points of series `s` in axis coordinates, `None` where the line breaks.
    fn points<'a>(
        &'a self,
        s: &'a Series,
        ys: &'a [f64],
    ) -> impl Iterator<Item = Option<(f64, f64)>> + 'a {
        ys.iter().enumerate().map(move |(i, &y)| {
            let x = s.x.as_ref().map_or(s.x_start + i as f64, |x| x[i]);
            Some((self.tx(x)?, self.ty(y)?))
        })
    }

    /// Whether anything is drawable.
    pub fn has_data(&self) -> bool {
        self.series
            .iter()
            .any(|s| self.points(s, &s.y).any(|p| p.is_some()))
    }

    /// The extent the page's chart shows: every drawable value, reference line and fixed bound; a
    /// lone x widened by one unit each side; a (nearly) constant series given a readable span; 5 %
    /// padding on a free y bound.
    pub fn extent(&self) -> Extent {
        let (mut x0, mut x1, mut y0, mut y1) = (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        );
        for s in &self.series {
            for ys in [Some(&s.y), s.lo.as_ref(), s.hi.as_ref()]
                .into_iter()
                .flatten()
            {
                for (x, y) in self.points(s, ys).flatten() {
                    x0 = x0.min(x);
                    x1 = x1.max(x);
                    y0 = y0.min(y);
                    y1 = y1.max(y);
                }
            }
        }
        for h in &self.hlines {
            if let Some(t) = self.ty(h.at) {
                y0 = y0.min(t);
                y1 = y1.max(t);
            }
        }
        if x0.is_finite() {
            for v in &self.vlines {
                if let Some(t) = self.tx(v.at) {
                    x0 = x0.min(t);
                    x1 = x1.max(t);
                }
            }
        }
        let fixed = |v: Option<f64>, log: bool| v.and_then(|v| axis_of(v, log));
        let (fx0, fx1, fy0, fy1) = (
            fixed(self.x_min, self.log_x),
            fixed(self.x_max, self.log_x),
            fixed(self.y_min, self.log_y),
            fixed(self.y_max, self.log_y),
        );
        if let Some(v) = fx0 {
            x0 = v;
        }
        if let Some(v) = fx1 {
            x1 = v;
        }
        if let Some(v) = fy0 {
            y0 = v;
        }
        if let Some(v) = fy1 {
            y1 = v;
        }
        if !x0.is_finite() || !x1.is_finite() {
            (x0, x1) = (0.0, 1.0);
        }
        if !y0.is_finite() || !y1.is_finite() {
            (y0, y1) = if self.log_y { (-1.0, 1.0) } else { (0.0, 1.0) };
        }
        if let (true, Some(d)) = (self.log_y, self.y_floor_decades) {
            if d.is_finite() && y1 - y0 > d {
                y0 = y1 - d;
            }
        }
        if x1 - x0 < 1e-12 {
            x1 += 1.0;
            x0 -= 1.0;
        }
        let min_y = if self.log_y {
            0.3
        } else {
            (0.02 * y0.abs().max(y1.abs())).max(1e-9)
        };
        if y1 - y0 < min_y && !(fy0.is_some() && fy1.is_some()) {
            let c = (y0 + y1) / 2.0;
            if fy0.is_some() {
                y1 = y0 + min_y;
            } else if fy1.is_some() {
                y0 = y1 - min_y;
            } else {
                (y0, y1) = (c - min_y / 2.0, c + min_y / 2.0);
            }
        }
        let pad = (y1 - y0) * 0.05;
        if fy0.is_none() {
            y0 -= pad;
        }
        if fy1.is_none() {
            y1 += pad;
        }
        Extent { x0, x1, y0, y1 }
    }
}

/// Sizes a chart may have.
pub(crate) fn check_size(width: u32, height: u32) -> Result<(), String> {
    for (name, v) in [("width", width), ("height", height)] {
        if !(64..=MAX_SIDE).contains(&v) {
            return Err(format!(
                "{name}: must be an integer in [64, {MAX_SIDE}] (got {v})"
            ));
        }
    }
    Ok(())
}

/// The theme's colours parse.
pub(crate) fn check_theme(th: &Theme) -> Result<(), String> {
    for (what, c) in [
        ("theme.fg", &th.fg),
        ("theme.bg", &th.bg),
        ("theme.grid", &th.grid),
        ("theme.muted", &th.muted),
    ] {
        parse_color(c).map_err(|e| format!("{what}: {e}"))?;
    }
    Ok(())
}

pub(crate) fn axis_of(v: f64, log: bool) -> Option<f64> {
    if !v.is_finite() || (log && v <= 0.0) {
        None
    } else if log {
        Some(v.log10())
    } else {
        Some(v)
    }
}

/// `#rgb` or `#rrggbb`, optionally `rgba(r, g, b, a)` / `rgb(r, g, b)` as computed styles give them.
pub fn parse_color(s: &str) -> Result<RGBAColor, String> {
    let t = s.trim();
    let bad = || {
        format!(
            "not a colour such as #1f77b4 or rgb(31, 119, 180) (got {:?})",
            t.chars().take(40).collect::<String>()
        )
    };
    if let Some(h) = t.strip_prefix('#') {
        let v = u32::from_str_radix(h, 16).map_err(|_| bad())?;
        return match h.len() {
            3 => {
                let (r, g, b) = ((v >> 8) & 15, (v >> 4) & 15, v & 15);
                Ok(RGBAColor(
                    (r * 17) as u8,
                    (g * 17) as u8,
                    (b * 17) as u8,
                    1.0,
                ))
            }
            6 => Ok(RGBAColor((v >> 16) as u8, (v >> 8) as u8, v as u8, 1.0)),
            _ => Err(bad()),
        };
    }
    let inner = t
        .strip_prefix("rgba(")
        .or_else(|| t.strip_prefix("rgb("))
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(bad)?;
    let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
    if parts.len() < 3 || parts.len() > 4 {
        return Err(bad());
    }
    let c = |p: &str| {
        p.parse::<f64>()
            .ok()
            .filter(|v| (0.0..=255.0).contains(v))
            .map(|v| v.round() as u8)
            .ok_or_else(bad)
    };
    let a = if parts.len() == 4 {
        parts[3]
            .parse::<f64>()
            .ok()
            .filter(|a| (0.0..=1.0).contains(a))
            .ok_or_else(bad)?
    } else {
        1.0
    };
    Ok(RGBAColor(c(parts[0])?, c(parts[1])?, c(parts[2])?, a))
}

/// Min and max per pixel column: at most ~2 points per column keep the line's envelope.
fn decimate(pts: &[(f64, f64)], x0: f64, x1: f64, columns: usize) -> Vec<(f64, f64)> {
    if pts.len() <= 4 * columns.max(1) {
        return pts.to_vec();
    }
    let w = (x1 - x0) / columns as f64;
    let mut out = Vec::with_capacity(4 * columns);
    let mut i = 0;
    while i < pts.len() {
        let col = ((pts[i].0 - x0) / w).floor();
        let start = i;
        let (mut lo, mut hi) = (i, i);
        while i < pts.len() && ((pts[i].0 - x0) / w).floor() == col {
            if pts[i].1 < pts[lo].1 {
                lo = i;
            }
            if pts[i].1 > pts[hi].1 {
                hi = i;
            }
            i += 1;
        }
        let end = i - 1;
        let mut keep = [start, lo, hi, end];
        keep.sort_unstable();
        let mut last = usize::MAX;
        for k in keep {
            if k != last {
                out.push(pts[k]);
                last = k;
            }
        }
    }
    out
}

/// Runs of drawable points (the line breaks at a non-drawable one).
fn runs(points: impl Iterator<Item = Option<(f64, f64)>>) -> Vec<Vec<(f64, f64)>> {
    let mut out = vec![Vec::new()];
    for p in points {
        match p {
            Some(p) => out.last_mut().unwrap().push(p),
            None if !out.last().unwrap().is_empty() => out.push(Vec::new()),
            None => {}
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

/// An axis: the extent's range with our own ticks as its key points, labelled our way.
#[derive(Clone)]
pub(crate) struct Axis {
    pub(crate) range: RangedCoordf64,
    pub(crate) ticks: Vec<f64>,
    pub(crate) log: bool,
    pub(crate) step: f64,
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;
    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        self.range.map(v, limit)
    }
    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Our ticks are the bold lines and the labels; no light lines between them (as on the page).
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }
    fn range(&self) -> Range<f64> {
        self.range.range()
    }
}

impl ValueFormatter<f64> for Axis {
    fn format_ext(&self, v: &f64) -> String {
        if self.log {
            pow10_label(*v)
        } else {
            tick_label(*v, self.step)
        }
    }
}

pub(crate) fn style_of(c: RGBAColor, width: f64) -> ShapeStyle {
    ShapeStyle {
        color: c,
        filled: false,
        stroke_width: width.round().max(1.0) as u32,
    }
}

/// Draw the chart on any plotters backend (the SVG one for exports).
pub fn draw_xy<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &XySpec,
) -> Result<(), String> {
    spec.validate()?;
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| format!("drawing: {e}");
    let th = &spec.theme;
    let (fg, bg, grid, muted) = (
        parse_color(&th.fg)?,
        parse_color(&th.bg)?,
        parse_color(&th.grid)?,
        parse_color(&th.muted)?,
    );
    root.fill(&bg).map_err(err)?;
    let font = |size: f64, c: RGBAColor| font_of(th, size, c);
    let (w, h) = (spec.width as i32, spec.height as i32);
    // The title and the legend are laid out here, above the plot (as on the page: the legend never
    // covers data), with an estimate of text widths: plotters' own text measuring (its title,
    // its series-label box) asks the DOM on wasm, against the page's CSP, and panics in a worker.
    let mut top = draw_title(root, &spec.title, w, th, fg)?;
    let items: Vec<&Series> = spec
        .series
        .iter()
        .filter(|s| {
            !s.label.is_empty() && !s.no_legend && spec.points(s, &s.y).any(|p| p.is_some())
        })
        .collect();
    let rows = legend_rows(&items, (w - 82).max(40));
    for (k, row) in rows.iter().enumerate() {
        let yy = top + 10 + 16 * k as i32;
        for &(i, x) in row {
            let s = items[i];
            let c = parse_color(&s.color)?;
            let st = style_of(c, s.width.unwrap_or(1.8));
            let x = 68 + x;
            match dash_of(s) {
                Some((on, off)) => root
                    .draw(&DashedPathElement::new(
                        vec![(x, yy), (x + 18, yy)],
                        on,
                        off,
                        st,
                    ))
                    .map_err(err)?,
                None if s.no_line => root
                    .draw(&Circle::new((x + 9, yy), 3, c.filled()))
                    .map_err(err)?,
                None => root
                    .draw(&PathElement::new(vec![(x, yy), (x + 18, yy)], st))
                    .map_err(err)?,
            }
            root.draw(&Text::new(
                s.label.clone(),
                (x + 23, yy),
                font(11.0, fg).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(err)?;
        }
    }
    if !rows.is_empty() {
        top += 16 * rows.len() as i32 + 4;
    }
    let root = root.margin(top as u32, 0, 0, 0);
    let h = h - top;
    let e = spec.extent();
    let y_label = if spec.log_y && !spec.y_label.is_empty() {
        format!("{} (log scale)", spec.y_label)
    } else {
        spec.y_label.clone()
    };
    let plot_w = (w - 72).max(10) as f64;
    let plot_h = (h - 60).max(10) as f64;
    let xt = {
        let n = ((plot_w / 70.0).round() as usize).max(2);
        let mut t = if spec.log_x {
            decade_ticks(e.x0, e.x1, n)
        } else {
            nice_ticks(e.x0, e.x1, n)
        };
        if spec.integer_x && !spec.log_x {
            t.retain(|v| v.fract() == 0.0);
        }
        t
    };
    let yt = if spec.log_y {
        log_ticks(e.y0, e.y1, ((plot_h / 28.0).round() as usize).max(2))
    } else {
        nice_ticks(e.y0, e.y1, ((plot_h / 40.0).round() as usize).max(2))
    };
    let step = |t: &[f64]| if t.len() > 1 { t[1] - t[0] } else { 1.0 };
    let (xs, ys) = (step(&xt), step(&yt));
    // Nothing drawable yet: a frame and a sentence, no made-up tick labels.
    let any = spec.has_data();
    let (xt, yt) = if any {
        (xt, yt)
    } else {
        (Vec::new(), Vec::new())
    };
    let xa = Axis {
        range: (e.x0..e.x1).into(),
        ticks: xt,
        log: spec.log_x,
        step: xs,
    };
    let ya = Axis {
        range: (e.y0..e.y1).into(),
        ticks: yt,
        log: spec.log_y,
        step: ys,
    };
    let mut chart = ChartBuilder::on(&root)
        .margin_top(10)
        .margin_left(10)
        .margin_bottom(10)
        .margin_right(24)
        .x_label_area_size(34)
        .y_label_area_size(58)
        .build_cartesian_2d(xa, ya)
        .map_err(err)?;
    {
        let mut mesh = chart.configure_mesh();
        mesh.x_max_light_lines(0)
            .y_max_light_lines(0)
            .axis_style(fg)
            .label_style(font(11.0, fg))
            .x_desc(spec.x_label.as_str())
            .y_desc(y_label.as_str())
            .axis_desc_style(font(12.0, fg));
        if any {
            mesh.bold_line_style(grid);
        } else {
            mesh.disable_mesh();
        }
        mesh.draw().map_err(err)?;
    }
    let area = chart.plotting_area().clone();
    if !any {
        let (px, py) = area.get_pixel_range();
        let centre = ((px.start + px.end) / 2, (py.start + py.end) / 2);
        root.draw(&Text::new(
            spec.empty.clone(),
            centre,
            font(12.0, muted).pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(err)?;
        return Ok(());
    }
    let columns = plot_w as usize;
    // Reference lines, then bands (under every line), then the lines, then the marks.
    for l in &spec.hlines {
        if let Some(t) = spec.ty(l.at) {
            let c = color_or(&l.color, fg)?;
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    vec![(e.x0, t), (e.x1, t)],
                    5,
                    4,
                    style_of(c, 1.0),
                )))
                .map_err(err)?;
            if !l.label.is_empty() {
                area.draw(&Text::new(
                    l.label.clone(),
                    (e.x0 + (e.x1 - e.x0) * 0.01, t),
                    font(11.0, c).pos(Pos::new(HPos::Left, VPos::Bottom)),
                ))
                .map_err(err)?;
            }
        }
    }
    for l in &spec.vlines {
        if let Some(t) = spec.tx(l.at) {
            let c = color_or(&l.color, fg)?;
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    vec![(t, e.y0), (t, e.y1)],
                    3,
                    3,
                    style_of(c, 1.0),
                )))
                .map_err(err)?;
            if !l.label.is_empty() {
                area.draw(&Text::new(
                    l.label.clone(),
                    (t, e.y1),
                    font(11.0, c).pos(Pos::new(HPos::Left, VPos::Top)),
                ))
                .map_err(err)?;
            }
        }
    }
    for s in &spec.series {
        let (Some(lo), Some(hi)) = (&s.lo, &s.hi) else {
            continue;
        };
        let c = parse_color(&s.color)?;
        let both = lo.iter().zip(hi).enumerate().map(|(i, (&l, &h))| {
            let x = s.x.as_ref().map_or(s.x_start + i as f64, |x| x[i]);
            Some((spec.tx(x)?, spec.ty(l)?, spec.ty(h)?))
        });
        let mut run: Vec<(f64, f64, f64)> = Vec::new();
        let mut flush = |run: &mut Vec<(f64, f64, f64)>| -> Result<(), String> {
            if run.len() >= 2 {
                let upper: Vec<(f64, f64)> = decimate(
                    &run.iter().map(|p| (p.0, p.2)).collect::<Vec<_>>(),
                    e.x0,
                    e.x1,
                    columns,
                );
                let lower: Vec<(f64, f64)> = decimate(
                    &run.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(),
                    e.x0,
                    e.x1,
                    columns,
                );
                let poly: Vec<(f64, f64)> =
                    upper.into_iter().chain(lower.into_iter().rev()).collect();
                chart
                    .draw_series(std::iter::once(Polygon::new(poly, c.mix(0.16).filled())))
                    .map_err(err)?;
            }
            run.clear();
            Ok(())
        };
        for p in both {
            match p {
                Some(p) => run.push(p),
                None => flush(&mut run)?,
            }
        }
        flush(&mut run)?;
    }
    for s in &spec.series {
        let c = parse_color(&s.color)?;
        let st = style_of(c, s.width.unwrap_or(1.8));
        for seg in &runs(spec.points(s, &s.y)) {
            let pts = decimate(seg, e.x0, e.x1, columns);
            if !s.no_line && pts.len() >= 2 {
                match dash_of(s) {
                    Some((on, off)) => chart
                        .draw_series(std::iter::once(DashedPathElement::new(
                            pts.clone(),
                            on,
                            off,
                            st,
                        )))
                        .map_err(err)?,
                    None => chart
                        .draw_series(std::iter::once(PathElement::new(pts.clone(), st)))
                        .map_err(err)?,
                };
            }
            if s.points || pts.len() == 1 {
                chart
                    .draw_series(pts.iter().map(|&p| Circle::new(p, 3, c.filled())))
                    .map_err(err)?;
            }
        }
    }
    for m in &spec.marks {
        let (Some(x), Some(y)) = (spec.tx(m.x), spec.ty(m.y)) else {
            continue;
        };
        let c = color_or(&m.color, fg)?;
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((x, y))
                    + Polygon::new(vec![(0, -6), (6, 0), (0, 6), (-6, 0)], c.filled())
                    + Text::new(m.label.clone(), (8, -16), font(11.0, c)),
            ))
            .map_err(err)?;
    }
    root.present().map_err(err)?;
    Ok(())
}

/// `text` in lines of at most `width` characters (words kept whole where they fit), at most
/// `max` lines (the last one ends in "…" if the text is longer).
pub(crate) fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let width = width.max(8);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let add = if cur.is_empty() {
            word.chars().count()
        } else {
            cur.chars().count() + 1 + word.chars().count()
        };
        if add > width && !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max {
        lines.truncate(max);
        let last = &mut lines[max - 1];
        let keep: String = last.chars().take(width.saturating_sub(1)).collect();
        *last = format!("{keep}…");
    }
    lines
}

/// A series' dash pattern in pixels (on, off), if it has a usable one.
fn dash_of(s: &Series) -> Option<(i32, i32)> {
    let ok = s.dash.len() >= 2
        && s.dash
            .iter()
            .all(|d| d.is_finite() && (1.0..=100.0).contains(d));
    ok.then(|| (s.dash[0].round() as i32, s.dash[1].round() as i32))
}

/// Legend items flowed into rows at most `width` px wide: per row, (item index, x offset). Text
/// widths are estimated (0.6 em a character at 11 px).
fn legend_rows(items: &[&Series], width: i32) -> Vec<Vec<(usize, i32)>> {
    let mut rows: Vec<Vec<(usize, i32)>> = Vec::new();
    let mut row = Vec::new();
    let mut x = 0;
    for (i, s) in items.iter().enumerate() {
        let iw = (s.label.chars().count() as f64 * 6.6) as i32 + 30;
        let iw = iw.min(width);
        if !row.is_empty() && x + iw > width {
            rows.push(std::mem::take(&mut row));
            x = 0;
        }
        row.push((i, x));
        x += iw + 8;
    }
    if !row.is_empty() {
        rows.push(row);
    }
    rows
}

/// The page's font at a page pixel size (plotters writes a font's size divided by 1.24).
pub(crate) fn font_of(th: &Theme, size: f64, c: RGBAColor) -> TextStyle<'_> {
    (th.font.as_str(), size * 1.24).into_font().color(&c)
}

/// The title, wrapped to the width (about 8.4 px a character at 14 px), at most 3 lines, at the
/// top left; returns the height it takes (0 without a title).
pub(crate) fn draw_title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    width: i32,
    th: &Theme,
    fg: RGBAColor,
) -> Result<i32, String> {
    let mut top = 0;
    for line in wrap(title, ((width - 20) as f64 / 8.4) as usize, 3) {
        root.draw(&Text::new(
            line,
            (10, 8 + top),
            font_of(th, 14.0, fg).pos(Pos::new(HPos::Left, VPos::Top)),
        ))
        .map_err(|e| format!("drawing: {e}"))?;
        top += 18;
    }
    Ok(if top > 0 { top + 6 } else { 0 })
}

/// A line's or mark's own colour, or `fallback` when it has none.
fn color_or(c: &str, fallback: RGBAColor) -> Result<RGBAColor, String> {
    if c.is_empty() {
        Ok(fallback)
    } else {
        parse_color(c)
    }
}

/// A chart drawn by `draw` on an SVG backend of `width` × `height`, as an SVG document.
pub(crate) fn svg_of(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<(), String>,
) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw(&root)?;
    }
    Ok(out)
}

/// The chart as an SVG document.
pub fn xy_svg(spec: &XySpec) -> Result<String, String> {
    spec.validate()?;
    svg_of(spec.width, spec.height, |root| draw_xy(root, spec))
}

#[cfg(test)]
mod tests;
