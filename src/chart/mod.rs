//! Charts with axes, drawn once against plotters' `DrawingBackend`: the x–y charts of the network
//! labs (loss and metric curves with bands over seeds, thresholds, divergence marks) as the lab
//! shows them, written to SVG through plotters' SVG backend for slides and papers. The page hands
//! in what its chart shows (`XySpec`: series, bands, lines, marks, axis options, theme); the same
//! rules as the page decide the extent and the ticks (linear 1-2-5 steps, log decades or 1-2-5
//! inside a short span), non-finite values and values ≤ 0 on a log axis are never drawn (the
//! line breaks there), and long series are decimated to the pixel width (min and max per column).

mod bars;
mod envelope;
mod field;
mod hists;
mod ticks;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use serde::Deserialize;
use std::ops::Range;

pub use bars::{bars_svg, draw_bars, BarSpec};
pub use envelope::Envelope;
pub use field::{draw_field, field_svg, ColorBar, FieldMark, FieldPath, FieldSpec};
pub use hists::{draw_hists, hists_svg, Hist, HistSpec, Panel};
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
    /// A marker on the line (about 12 along it, or on every point with `points`): `circle`,
    /// `square`, `diamond`, `triangle`, `cross`; empty: dots only where `points` asks.
    pub shape: String,
    pub no_line: bool,
    pub no_legend: bool,
    /// The min/max pyramid of `y` (a long indexed series kept on the page's canvas): used while
    /// it covers all of `y` under the chart's axis rule.
    #[serde(skip)]
    pub envelope: Option<Envelope>,
}

/// Series at least this long keep a min/max pyramid on the page.
const ENVELOPE_FROM: usize = 4096;

impl Series {
    /// `tail` appended to an indexed series without a band (its pyramid, if any, extended).
    pub fn append(&mut self, tail: &[f64]) -> Result<(), String> {
        if self.x.is_some() || self.lo.is_some() || self.hi.is_some() {
            return Err("append: only to an indexed series without a band".into());
        }
        if self.y.len() + tail.len() > MAX_POINTS {
            return Err(format!("append: more than {MAX_POINTS} points"));
        }
        self.y.extend_from_slice(tail);
        if let Some(e) = &mut self.envelope {
            e.extend(&self.y);
        }
        Ok(())
    }

    /// The series' pyramid, if it is up to date for `log_y`.
    fn envelope_for(&self, log_y: bool) -> Option<&Envelope> {
        self.envelope
            .as_ref()
            .filter(|e| e.n == self.y.len() && e.log == log_y)
    }
}

/// A horizontal (`HLine`) or vertical (`VLine`) reference line.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Line {
    pub at: f64,
    pub label: String,
    pub color: String,
    /// Dash pattern (`[5, 4]`); empty: the kind's own (5/4 for a horizontal line, 3/3 vertical).
    pub dash: Vec<f64>,
    /// `right`: the label sits at the right end of a horizontal line (default: left).
    pub align: String,
}

/// A marked point (where a curve crossed a threshold, where a run diverged).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub label: String,
    pub color: String,
    /// Marker shape (as a series' `shape`); empty: a diamond.
    pub shape: String,
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
    /// A text's nominal size per page pixel: plotters' SVG backend writes `size / 1.24`, a
    /// canvas takes the size as it is (set by the backend's caller, not by the page's spec).
    #[serde(skip)]
    pub(crate) text_scale: f64,
    /// Whether the chart paints its background (an SVG file does; a canvas on the page is
    /// transparent over its card).
    #[serde(skip)]
    pub(crate) fill: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            fg: "#1d2330".into(),
            bg: "#ffffff".into(),
            grid: "#d9dce3".into(),
            muted: "#5b6475".into(),
            font: "sans-serif".into(),
            text_scale: 1.24,
            fill: true,
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
    /// Legend rows above the plot (default); `false`: none (the lab says it elsewhere).
    pub legend: bool,
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
            legend: true,
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
        for (i, l) in self.hlines.iter().chain(&self.vlines).enumerate() {
            if !matches!(l.align.as_str(), "" | "left" | "right") {
                return Err(format!(
                    "lines[{i}].align: must be left or right (got {:?})",
                    l.align
                ));
            }
        }
        for (i, s) in self.series.iter().enumerate() {
            Shape::of(&s.shape).map_err(|e| format!("series[{i}].shape: {e}"))?;
        }
        for (i, m) in self.marks.iter().enumerate() {
            if !m.color.is_empty() {
                parse_color(&m.color).map_err(|e| format!("marks[{i}].color: {e}"))?;
            }
            Shape::of(&m.shape).map_err(|e| format!("marks[{i}].shape: {e}"))?;
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

    /// The drawable runs of `ys` (series `s`) in axis coordinates, decimated to `columns` pixel
    /// columns of the extent `e` when there are more than 4 points a column. A run breaks at a
    /// non-drawable value.
    fn line_runs(
        &self,
        s: &Series,
        ys: &[f64],
        e: &Extent,
        columns: usize,
    ) -> Vec<Vec<(f64, f64)>> {
        let columns = columns.max(1);
        if s.x.is_none() && !self.log_x && s.x_start.is_finite() && ys.len() > 4 * columns {
            return self.indexed_runs(s, ys, e, columns);
        }
        // Explicit x (or a log x axis): the runs of drawable points, each decimated by `decimate`.
        let mut out: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for p in self.points(s, ys) {
            match p {
                Some(p) => out.last_mut().unwrap().push(p),
                None if !out.last().unwrap().is_empty() => out.push(Vec::new()),
                None => {}
            }
        }
        out.retain(|r| !r.is_empty());
        out.iter()
            .map(|r| decimate(r, e.x0, e.x1, columns))
            .collect()
    }

    /// `line_runs` of a long indexed series on a linear x axis: each pixel column's index range is
    /// known from the extent, so one tight loop over y per column finds its lowest and highest
    /// drawable point, kept in index order (min/max decimation: 2 points a column).
    fn indexed_runs(
        &self,
        s: &Series,
        ys: &[f64],
        e: &Extent,
        columns: usize,
    ) -> Vec<Vec<(f64, f64)>> {
        let n = ys.len();
        // The pyramid answers for the series' own y (not for its band).
        let env = s
            .envelope_for(self.log_y)
            .filter(|_| std::ptr::eq(ys, &s.y[..]));
        let key = [e.x0, e.x1, s.x_start, columns as f64].map(f64::to_bits);
        if let Some(runs) = env.and_then(|e| e.runs_for(key)) {
            return runs;
        }
        let w = (e.x1 - e.x0) / columns as f64;
        let at = |i: usize| (s.x_start + i as f64, self.ty(ys[i]).unwrap());
        let (mut out, mut run) = (Vec::new(), Vec::with_capacity(2 * columns + 2));
        let push = |run: &mut Vec<(f64, f64)>, lo: usize, hi: usize| {
            if lo == usize::MAX {
                return;
            }
            let (a, b) = if lo <= hi { (lo, hi) } else { (hi, lo) };
            run.push(at(a));
            if b != a {
                run.push(at(b));
            }
        };
        let mut i = 0;
        while i < n {
            // This column: the indices up to the first one whose x is in the next column.
            let c = ((s.x_start + i as f64 - e.x0) / w).floor();
            let next = e.x0 + (c + 1.0) * w - s.x_start;
            let j = if next.is_finite() && next > i as f64 {
                (next.ceil() as usize).clamp(i + 1, n)
            } else {
                i + 1
            };
            if let Some(span) = env.map(|e| e.span(ys, i, j)).filter(|s| !s.broken) {
                // The pyramid's answer: the scan's, without scanning.
                if let (Some(lo), Some(hi)) = (span.lo, span.hi) {
                    push(&mut run, lo, hi);
                }
                i = j;
                continue;
            }
            let (mut lo, mut hi) = (usize::MAX, usize::MAX);
            let (mut ylo, mut yhi) = (f64::INFINITY, f64::NEG_INFINITY);
            for (k, &y) in ys[i..j].iter().enumerate() {
                if drawable(y, self.log_y) {
                    if y < ylo {
                        (ylo, lo) = (y, i + k);
                    }
                    if y > yhi {
                        (yhi, hi) = (y, i + k);
                    }
                } else {
                    // The line breaks here: what the column had so far ends the run.
                    push(&mut run, lo, hi);
                    if !run.is_empty() {
                        out.push(std::mem::take(&mut run));
                    }
                    (lo, hi, ylo, yhi) = (usize::MAX, usize::MAX, f64::INFINITY, f64::NEG_INFINITY);
                }
            }
            push(&mut run, lo, hi);
            i = j;
        }
        if !run.is_empty() {
            out.push(run);
        }
        if let Some(e) = env {
            e.keep_runs(key, &out);
        }
        out
    }

    /// Give every long indexed series an up-to-date min/max pyramid (built once, then extended
    /// by `Series::append`): a redraw then reads O(columns · log n) values instead of all of them.
    pub fn keep_envelopes(&mut self) {
        let log = self.log_y;
        for s in &mut self.series {
            let long = s.x.is_none() && s.y.len() >= ENVELOPE_FROM;
            if !long {
                s.envelope = None;
            } else if s.envelope_for(log).is_none() {
                s.envelope = Some(Envelope::new(&s.y, log));
            }
        }
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
        // Bounds of the raw values, transformed once: log₁₀ is monotone (no logarithm per point).
        let (mut rx0, mut rx1, mut ry0, mut ry1) = (x0, x1, y0, y1);
        for s in &self.series {
            for ys in [Some(&s.y), s.lo.as_ref(), s.hi.as_ref()]
                .into_iter()
                .flatten()
            {
                if s.x.is_none() && !self.log_x && s.x_start.is_finite() {
                    if let Some(e) = s
                        .envelope_for(self.log_y)
                        .filter(|_| std::ptr::eq(ys, &s.y))
                    {
                        // The pyramid knows the bounds and the first and last drawable index.
                        let all = e.span(ys, 0, ys.len());
                        if let (Some(lo), Some(hi)) = (all.lo, all.hi) {
                            ry0 = ry0.min(ys[lo]);
                            ry1 = ry1.max(ys[hi]);
                            let (first, last) = e.drawn_range();
                            rx0 = rx0.min(s.x_start + first as f64);
                            rx1 = rx1.max(s.x_start + last as f64);
                        }
                        continue;
                    }
                    // Indexed: x is the index, so only y is looked at (the hot loop of a long
                    // history), and x spans the first to the last drawable index.
                    let (mut first, mut last) = (usize::MAX, 0);
                    for (i, &y) in ys.iter().enumerate() {
                        if drawable(y, self.log_y) {
                            if y < ry0 {
                                ry0 = y;
                            }
                            if y > ry1 {
                                ry1 = y;
                            }
                            first = first.min(i);
                            last = i;
                        }
                    }
                    if first != usize::MAX {
                        rx0 = rx0.min(s.x_start + first as f64);
                        rx1 = rx1.max(s.x_start + last as f64);
                    }
                    continue;
                }
                for (i, &y) in ys.iter().enumerate() {
                    let x = s.x.as_ref().map_or(s.x_start + i as f64, |x| x[i]);
                    if drawable(x, self.log_x) && drawable(y, self.log_y) {
                        rx0 = rx0.min(x);
                        rx1 = rx1.max(x);
                        ry0 = ry0.min(y);
                        ry1 = ry1.max(y);
                    }
                }
            }
        }
        if rx0.is_finite() {
            (x0, x1) = (self.tx(rx0).unwrap(), self.tx(rx1).unwrap());
            (y0, y1) = (self.ty(ry0).unwrap(), self.ty(ry1).unwrap());
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

/// What every kind of chart checks first: its size, its colour and the page's theme.
pub(crate) fn check_frame(width: u32, height: u32, color: &str, th: &Theme) -> Result<(), String> {
    check_size(width, height)?;
    parse_color(color).map_err(|e| format!("color: {e}"))?;
    check_theme(th)
}

/// Sizes a chart may have.
pub(crate) fn check_size(width: u32, height: u32) -> Result<(), String> {
    for (name, v) in [("width", width), ("height", height)] {
        if !(32..=MAX_SIDE).contains(&v) {
            return Err(format!(
                "{name}: must be an integer in [32, {MAX_SIDE}] (got {v})"
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

/// Whether a value can be drawn on an axis (finite, and > 0 on a log axis).
fn drawable(v: f64, log: bool) -> bool {
    v.is_finite() && (!log || v > 0.0)
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

/// A point marker's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Diamond,
    Triangle,
    TriangleDown,
    Cross,
    Plus,
    Star,
}

impl Shape {
    /// The shape a name stands for; `None` for the empty name (no marker).
    pub fn of(name: &str) -> Result<Option<Shape>, String> {
        Ok(Some(match name {
            "" => return Ok(None),
            "circle" => Shape::Circle,
            "square" => Shape::Square,
            "diamond" => Shape::Diamond,
            "triangle" => Shape::Triangle,
            "triangle-down" => Shape::TriangleDown,
            "cross" => Shape::Cross,
            "plus" => Shape::Plus,
            "star" => Shape::Star,
            _ => {
                return Err(format!(
                    "must be circle, square, diamond, triangle, triangle-down, cross, plus or star (got {name:?})"
                ))
            }
        }))
    }

    /// The marker at `at` (the area's pixels), `r` px in radius, filled with `c` and ringed with
    /// `ring` (the background: markers stay apart from the line under them).
    pub(crate) fn draw<DB: DrawingBackend>(
        self,
        root: &DrawingArea<DB, Shift>,
        at: (i32, i32),
        r: i32,
        c: RGBAColor,
        ring: RGBAColor,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let at = EmptyElement::at(at);
        let ring_style = style_of(ring, 1.0);
        match self {
            Shape::Circle => root.draw(
                &(at + Circle::new((0, 0), r, c.filled()) + Circle::new((0, 0), r, ring_style)),
            )?,
            Shape::Square => root.draw(
                &(at + Rectangle::new([(-r, -r), (r, r)], c.filled())
                    + Rectangle::new([(-r, -r), (r, r)], ring_style)),
            )?,
            Shape::Diamond => {
                let d = r + 1;
                let v = vec![(0, -d), (d, 0), (0, d), (-d, 0)];
                let mut ring_v = v.clone();
                ring_v.push((0, -d));
                root.draw(
                    &(at + Polygon::new(v, c.filled()) + PathElement::new(ring_v, ring_style)),
                )?
            }
            Shape::Triangle | Shape::TriangleDown | Shape::Star => {
                let s = if self == Shape::TriangleDown { -1 } else { 1 };
                let v = match self {
                    Shape::Star => (0..10)
                        .map(|k| {
                            let a = std::f64::consts::PI * (k as f64 / 5.0 - 0.5);
                            let rr = if k % 2 == 0 {
                                r as f64 * 1.4
                            } else {
                                r as f64 * 0.6
                            };
                            ((rr * a.cos()).round() as i32, (rr * a.sin()).round() as i32)
                        })
                        .collect(),
                    _ => vec![(0, -s * (r + 1)), (r + 1, s * r), (-r - 1, s * r)],
                };
                let mut ring_v = v.clone();
                ring_v.push(v[0]);
                root.draw(
                    &(at + Polygon::new(v, c.filled()) + PathElement::new(ring_v, ring_style)),
                )?
            }
            Shape::Cross | Shape::Plus => {
                let st = style_of(c, 2.0);
                let (a, b) = if self == Shape::Cross {
                    ([(-r, -r), (r, r)], [(-r, r), (r, -r)])
                } else {
                    ([(-r, 0), (r, 0)], [(0, -r), (0, r)])
                };
                root.draw(
                    &(at + PathElement::new(a.to_vec(), st) + PathElement::new(b.to_vec(), st)),
                )?
            }
        };
        Ok(())
    }
}

/// What a drawing ended with: the extent in axis coordinates and the plot area in pixels
/// (x, y, width, height), for the page's hit testing and tests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drawn {
    pub extent: Extent,
    pub plot: (i32, i32, i32, i32),
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
) -> Result<Drawn, String> {
    spec.validate()?;
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| format!("drawing: {e}");
    let th = &spec.theme;
    let (fg, bg, grid, muted) = (
        parse_color(&th.fg)?,
        parse_color(&th.bg)?,
        parse_color(&th.grid)?,
        parse_color(&th.muted)?,
    );
    if th.fill {
        root.fill(&bg).map_err(err)?;
    }
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
            spec.legend
                && !s.label.is_empty()
                && !s.no_legend
                && spec.points(s, &s.y).any(|p| p.is_some())
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
    // The plot's pixel ranges and mapped points are the backend's; `at` makes them this area's.
    let base = root.get_base_pixel();
    let at = |x: i32, y: i32| (x - base.0, y - base.1);
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
    // Axis coordinates → the root's pixels (where markers are drawn).
    let px_of = |p: (f64, f64)| {
        let (x, y) = area.map_coordinate(&p);
        at(x, y)
    };
    let drawn = {
        let (px, py) = area.get_pixel_range();
        Drawn {
            extent: e,
            plot: (px.start, py.start, px.end - px.start, py.end - py.start),
        }
    };
    if !any {
        let (px, py) = area.get_pixel_range();
        let centre = ((px.start + px.end) / 2, (py.start + py.end) / 2);
        root.draw(&Text::new(
            spec.empty.clone(),
            at(centre.0, centre.1),
            font(12.0, muted).pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(err)?;
        root.present().map_err(err)?;
        return Ok(drawn);
    }
    let columns = plot_w as usize;
    // Reference lines, then bands (under every line), then the lines, then the marks.
    let (plot_x, plot_y) = area.get_pixel_range();
    for l in &spec.hlines {
        if let Some(t) = spec.ty(l.at) {
            let c = color_or(&l.color, fg)?;
            let (on, off) = dash_pair(&l.dash).unwrap_or((5, 4));
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    vec![(e.x0, t), (e.x1, t)],
                    on,
                    off,
                    style_of(c, 1.0),
                )))
                .map_err(err)?;
            if !l.label.is_empty() {
                // On a backdrop (a curve crossing the label leaves it readable), above the line,
                // or below it at the plot's top edge.
                let (_, py) = area.map_coordinate(&(e.x0, t));
                let tw = text_width(&l.label, 11.0);
                let right = l.align == "right";
                let tx = if right {
                    plot_x.end - 4 - tw
                } else {
                    plot_x.start + 4
                };
                let ty = if py - 14 < plot_y.start {
                    py + 2
                } else {
                    py - 14
                };
                root.draw(&Rectangle::new(
                    [at(tx - 2, ty), at(tx + tw + 2, ty + 12)],
                    bg.mix(0.82).filled(),
                ))
                .map_err(err)?;
                root.draw(&Text::new(
                    l.label.clone(),
                    at(tx, ty),
                    font(11.0, c).pos(Pos::new(HPos::Left, VPos::Top)),
                ))
                .map_err(err)?;
            }
        }
    }
    for l in &spec.vlines {
        if let Some(t) = spec.tx(l.at) {
            let c = color_or(&l.color, fg)?;
            let (on, off) = dash_pair(&l.dash).unwrap_or((3, 3));
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    vec![(t, e.y0), (t, e.y1)],
                    on,
                    off,
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
        for pts in spec.line_runs(s, &s.y, &e, columns) {
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
            let shape = Shape::of(&s.shape)?;
            if s.points || pts.len() == 1 {
                for &p in &pts {
                    shape
                        .unwrap_or(Shape::Circle)
                        .draw(&root, px_of(p), 3, c, bg)
                        .map_err(err)?;
                }
            } else if let Some(shape) = shape {
                // About twelve markers along the line: which series is which without colour.
                let every = pts.len().div_ceil(12).max(1);
                for &p in pts.iter().step_by(every) {
                    shape.draw(&root, px_of(p), 3, c, bg).map_err(err)?;
                }
            }
        }
    }
    // Marks, their labels stacked (the k-th label 14 px above the one before) so they never overlap.
    let mut k = 0;
    for m in &spec.marks {
        let (Some(x), Some(y)) = (spec.tx(m.x), spec.ty(m.y)) else {
            continue;
        };
        let c = color_or(&m.color, fg)?;
        Shape::of(&m.shape)?
            .unwrap_or(Shape::Diamond)
            .draw(&root, px_of((x, y)), 5, c, bg)
            .map_err(err)?;
        if !m.label.is_empty() {
            let (px, py) = area.map_coordinate(&(x, y));
            let tw = text_width(&m.label, 11.0);
            let ty = py - 8 - 14 * k;
            k += 1;
            let tx = (px + 7).max(plot_x.start + 4).min(plot_x.end - tw - 4);
            root.draw(&PathElement::new(
                vec![at(px, py - 5), at(tx, ty - 4)],
                style_of(c, 1.0),
            ))
            .map_err(err)?;
            root.draw(&Rectangle::new(
                [at(tx - 2, ty - 12), at(tx + tw + 2, ty + 1)],
                bg.mix(0.8).filled(),
            ))
            .map_err(err)?;
            root.draw(&Text::new(
                m.label.clone(),
                at(tx, ty),
                font(11.0, c).pos(Pos::new(HPos::Left, VPos::Bottom)),
            ))
            .map_err(err)?;
        }
    }
    root.present().map_err(err)?;
    Ok(drawn)
}

/// A text's width estimated at `size` px (0.6 em a character): plotters' own measuring asks the
/// DOM on wasm (see `draw_xy`).
fn text_width(text: &str, size: f64) -> i32 {
    (text.chars().count() as f64 * size * 0.6).ceil() as i32
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
    dash_pair(&s.dash)
}

/// A dash pattern `[on, off, …]` in pixels as (on, off), if it is a usable one.
fn dash_pair(dash: &[f64]) -> Option<(i32, i32)> {
    let ok = dash.len() >= 2
        && dash
            .iter()
            .all(|d| d.is_finite() && (1.0..=100.0).contains(d));
    ok.then(|| (dash[0].round() as i32, dash[1].round() as i32))
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

/// The page's font at a page pixel size (`Theme::text_scale`).
pub(crate) fn font_of(th: &Theme, size: f64, c: RGBAColor) -> TextStyle<'_> {
    (th.font.as_str(), size * th.text_scale)
        .into_font()
        .color(&c)
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
    let lines = title_lines(title, width);
    for (k, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (10, 8 + 18 * k as i32),
            font_of(th, 14.0, fg).pos(Pos::new(HPos::Left, VPos::Top)),
        ))
        .map_err(|e| format!("drawing: {e}"))?;
    }
    Ok(title_height(lines.len()))
}

/// A title's lines at a chart `width` (about 8.4 px a character at 14 px, at most 3).
fn title_lines(title: &str, width: i32) -> Vec<String> {
    wrap(title, ((width - 20) as f64 / 8.4) as usize, 3)
}

/// The height `lines` title lines take above a chart (0 without a title).
fn title_height(lines: usize) -> i32 {
    if lines > 0 {
        18 * lines as i32 + 6
    } else {
        0
    }
}

/// The height a title takes at a chart `width`, as `draw_title` lays it out.
pub(crate) fn title_height_at(title: &str, width: i32) -> i32 {
    title_height(title_lines(title, width).len())
}

/// A line's or mark's own colour, or `fallback` when it has none.
fn color_or(c: &str, fallback: RGBAColor) -> Result<RGBAColor, String> {
    if c.is_empty() {
        Ok(fallback)
    } else {
        parse_color(c)
    }
}

/// Any backend with text measured by an estimate (0.6 em a character) instead of plotters' font
/// code, which on wasm measures by appending a `<span style=…>` to the page (a violation of the
/// page's CSP; in a worker, a panic) — plotters asks, e.g., for the labels of a right-hand axis.
/// Everything else is the inner backend's.
pub struct Estimated<B>(pub B);

type Drawing<B> = Result<(), DrawingErrorKind<<B as DrawingBackend>::ErrorType>>;

impl<B: DrawingBackend> DrawingBackend for Estimated<B> {
    type ErrorType = B::ErrorType;
    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Drawing<B> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Drawing<B> {
        self.0.present()
    }
    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Drawing<B> {
        self.0.draw_pixel(p, c)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
    ) -> Drawing<B> {
        self.0.draw_line(a, b, s)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Drawing<B> {
        self.0.draw_rect(a, b, s, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Drawing<B> {
        self.0.draw_path(path, s)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Drawing<B> {
        self.0.draw_circle(c, r, s, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Drawing<B> {
        self.0.fill_polygon(path, s)
    }
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, s: &T, p: BackendCoord) -> Drawing<B> {
        self.0.draw_text(text, s, p)
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        s: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let size = s.size();
        Ok((text_width(text, size) as u32, size.ceil() as u32))
    }
    fn blit_bitmap(&mut self, p: BackendCoord, dim: (u32, u32), src: &[u8]) -> Drawing<B> {
        self.0.blit_bitmap(p, dim, src)
    }
}

/// A chart drawn by `draw` on an SVG backend of `width` × `height`, as an SVG document.
pub(crate) fn svg_of(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<Estimated<SVGBackend>, Shift>) -> Result<(), String>,
) -> Result<String, String> {
    let mut out = String::new();
    {
        let root =
            Estimated(SVGBackend::with_string(&mut out, (width, height))).into_drawing_area();
        draw(&root)?;
    }
    Ok(out)
}

/// The chart as an SVG document.
pub fn xy_svg(spec: &XySpec) -> Result<String, String> {
    spec.validate()?;
    svg_of(spec.width, spec.height, |root| {
        draw_xy(root, spec).map(|_| ())
    })
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_field;
