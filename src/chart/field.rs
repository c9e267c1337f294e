//! The 2-D figures: a field over (x, y) — a loss landscape, a loss slice over two weights, a
//! decision boundary — with its axes, ticks and axis names, the paths and points on top of it and
//! a colour bar. On the page the heatmap pixels (the engine's SIMD renderer) and the moving paths
//! are painted by the lab's figure and `draw_field` adds the frame, ticks and names over them
//! (a spec without paths); the SVG export draws the whole figure here, the heatmap embedded as the
//! PNG the page's canvas encoded (`field_svg`).

use super::{check_size, check_theme, font_of, parse_color, style_of, text_width, Shape, Theme};
use super::{nice_ticks, tick_label};
use crate::landscape::grid::Colormap;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;
use serde::Deserialize;

/// A polyline in world coordinates (a racer's path), optionally with a dark outline.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FieldPath {
    pub color: String,
    pub width: Option<f64>,
    /// The outline under the line (`rgba(0,0,0,0.55)`); empty: none.
    pub halo: String,
    /// Points x₀, y₀, x₁, y₁, …; a non-finite pair breaks the line.
    pub xy: Vec<f64>,
    /// Dash pattern as the canvas takes it (`[5, 4]`); empty: solid.
    pub dash: Vec<f64>,
    /// Small squares on the points (the steps of a short path).
    pub dots: bool,
}

/// A marked point: a minimum (`plus`), a saddle (`cross`), the start (`ring`), a racer's position
/// (any marker shape), with an optional label beside it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FieldMark {
    pub x: f64,
    pub y: f64,
    pub shape: String,
    pub color: String,
    /// Radius in px (default 6).
    pub size: Option<f64>,
    pub label: String,
}

/// The colour key of a heatmap: the colour map over the render's value range `lo … hi`, on a
/// linear or log scale (the renderer's t = ln(f − lo + δ), δ = 10⁻³·(hi − lo)), with its contour
/// levels as lines.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ColorBar {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
    pub cmap: String,
    pub levels: Vec<f64>,
    pub label: String,
}

impl Default for ColorBar {
    fn default() -> Self {
        ColorBar {
            lo: 0.0,
            hi: 1.0,
            log: false,
            cmap: "viridis".into(),
            levels: Vec::new(),
            label: String::new(),
        }
    }
}

/// What a 2-D figure shows.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FieldSpec {
    pub width: u32,
    pub height: u32,
    pub title: String,
    /// x₀, x₁, y₀, y₁ of the plot area.
    pub view: [f64; 4],
    /// Left, right, top, bottom in px around the plot area (the page's layout, fixed while the
    /// view zooms; the colour bar and the title add to it).
    pub margin: [u32; 4],
    pub x_label: String,
    pub y_label: String,
    /// Pixels per tick along x and y (about; the page's density).
    pub tick_px: [f64; 2],
    /// Tick label size in px (axis names are 1 px larger, italic).
    pub font_size: f64,
    /// The heatmap as `data:image/png;base64,…` (SVG only) and the view it was rendered for
    /// (default: `view`).
    pub image: String,
    pub image_view: Option<[f64; 4]>,
    pub paths: Vec<FieldPath>,
    pub marks: Vec<FieldMark>,
    pub colorbar: Option<ColorBar>,
    /// A sentence in the middle of the plot (why nothing is shown).
    pub message: String,
    pub theme: Theme,
}

impl Default for FieldSpec {
    fn default() -> Self {
        FieldSpec {
            width: 480,
            height: 400,
            title: String::new(),
            view: [-1.0, 1.0, -1.0, 1.0],
            margin: [54, 10, 10, 36],
            x_label: "x".into(),
            y_label: "y".into(),
            tick_px: [90.0, 60.0],
            font_size: 12.0,
            image: String::new(),
            image_view: None,
            paths: Vec::new(),
            marks: Vec::new(),
            colorbar: None,
            message: String::new(),
            theme: Theme::default(),
        }
    }
}

const MAX_FIELD_POINTS: usize = 4_000_000;
const PNG_PREFIX: &str = "data:image/png;base64,";
/// Width the colour bar adds on the right: gap, bar, tick labels, its name.
const BAR_SPACE: u32 = 96;
const BAR_WIDTH: i32 = 14;

fn check_view(what: &str, v: &[f64; 4]) -> Result<(), String> {
    if !v.iter().all(|x| x.is_finite()) || v[1] <= v[0] || v[3] <= v[2] {
        return Err(format!(
            "{what}: must be finite with x₀ < x₁ and y₀ < y₁ (got {v:?})"
        ));
    }
    Ok(())
}

impl FieldSpec {
    /// Field-named errors for what cannot be drawn.
    pub fn validate(&self) -> Result<(), String> {
        check_size(self.width, self.height)?;
        check_theme(&self.theme)?;
        check_view("view", &self.view)?;
        if let Some(v) = &self.image_view {
            check_view("imageView", v)?;
        }
        for (i, m) in self.margin.iter().enumerate() {
            if *m > 400 {
                return Err(format!("margin[{i}]: at most 400 px (got {m})"));
            }
        }
        let (x, y, w, h) = self.plot_rect();
        if w < 10 || h < 10 || x < 0 || y < 0 {
            return Err(format!(
                "margin: leaves a {w} × {h} px plot in a {} × {} figure (at least 10 × 10)",
                self.width, self.height
            ));
        }
        for (i, t) in self.tick_px.iter().enumerate() {
            if !(t.is_finite() && (20.0..=1000.0).contains(t)) {
                return Err(format!("tickPx[{i}]: must be in [20, 1000] (got {t})"));
            }
        }
        if !(self.font_size.is_finite() && (6.0..=48.0).contains(&self.font_size)) {
            return Err(format!(
                "fontSize: must be in [6, 48] (got {})",
                self.font_size
            ));
        }
        if !self.image.is_empty() {
            let ok = self.image.strip_prefix(PNG_PREFIX).is_some_and(|b| {
                b.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='))
            });
            if !ok {
                return Err("image: must be a data:image/png;base64,… URL".into());
            }
        }
        let mut total = 0usize;
        for (i, p) in self.paths.iter().enumerate() {
            parse_color(&p.color).map_err(|e| format!("paths[{i}].color: {e}"))?;
            if !p.halo.is_empty() {
                parse_color(&p.halo).map_err(|e| format!("paths[{i}].halo: {e}"))?;
            }
            if p.xy.len() % 2 != 0 {
                return Err(format!(
                    "paths[{i}].xy: an odd number of values ({}): x, y pairs",
                    p.xy.len()
                ));
            }
            if let Some(w) = p.width {
                if !(w.is_finite() && (0.5..=20.0).contains(&w)) {
                    return Err(format!("paths[{i}].width: must be in [0.5, 20] (got {w})"));
                }
            }
            total += p.xy.len() / 2;
        }
        if total > MAX_FIELD_POINTS {
            return Err(format!(
                "paths: {total} points in all (at most {MAX_FIELD_POINTS})"
            ));
        }
        for (i, m) in self.marks.iter().enumerate() {
            mark_shape(&m.shape).map_err(|e| format!("marks[{i}].shape: {e}"))?;
            parse_color(&m.color).map_err(|e| format!("marks[{i}].color: {e}"))?;
            if let Some(s) = m.size {
                if !(s.is_finite() && (1.0..=40.0).contains(&s)) {
                    return Err(format!("marks[{i}].size: must be in [1, 40] (got {s})"));
                }
            }
        }
        if let Some(c) = &self.colorbar {
            if !(c.lo.is_finite() && c.hi.is_finite() && c.lo < c.hi) {
                return Err(format!(
                    "colorbar: lo < hi, both finite (got {} … {})",
                    c.lo, c.hi
                ));
            }
            Colormap::parse(&c.cmap).ok_or_else(|| {
                format!(
                    "colorbar.cmap: must be viridis, cividis or magma (got {:?})",
                    c.cmap
                )
            })?;
            if c.levels.len() > 256 {
                return Err(format!("colorbar.levels: {} (at most 256)", c.levels.len()));
            }
        }
        Ok(())
    }

    /// The plot area in px: x, y, width, height.
    pub fn plot_rect(&self) -> (i32, i32, i32, i32) {
        let [l, r, t, b] = self.margin.map(|m| m as i32);
        let r = r + if self.colorbar.is_some() {
            BAR_SPACE as i32
        } else {
            0
        };
        let t = t + super::title_height_at(&self.title, self.width as i32);
        (l, t, self.width as i32 - l - r, self.height as i32 - t - b)
    }
}

/// A mark's shape: a marker shape, or `ring` (an open circle: the start).
fn mark_shape(name: &str) -> Result<Option<Shape>, String> {
    if name == "ring" {
        return Ok(None);
    }
    match Shape::of(name) {
        Ok(Some(s)) => Ok(Some(s)),
        Ok(None) => Err("must be ring or a marker shape (got \"\")".into()),
        Err(e) => Err(format!("{e}, or ring")),
    }
}

/// World → px for a view on a plot rectangle.
#[derive(Clone, Copy)]
pub(super) struct Map {
    pub(super) v: [f64; 4],
    pub(super) r: (f64, f64, f64, f64),
}

impl Map {
    fn px(&self, x: f64, y: f64) -> (f64, f64) {
        let [x0, x1, y0, y1] = self.v;
        let (rx, ry, rw, rh) = self.r;
        (
            rx + (x - x0) / (x1 - x0) * rw,
            ry + (y1 - y) / (y1 - y0) * rh,
        )
    }
    fn contains(&self, (x, y): (f64, f64)) -> bool {
        let (rx, ry, rw, rh) = self.r;
        x >= rx && x <= rx + rw && y >= ry && y <= ry + rh
    }
}

/// The part of the segment a → b inside the rectangle (Liang–Barsky), if any.
fn clip(
    a: (f64, f64),
    b: (f64, f64),
    (rx, ry, rw, rh): (f64, f64, f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - rx),
        (dx, rx + rw - a.0),
        (-dy, a.1 - ry),
        (dy, ry + rh - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return None;
            }
        }
    }
    Some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

/// A path as runs of px points inside the plot: clipped at its edges, broken at non-finite
/// points, and with vertices closer than half a pixel to the last one kept merged.
pub(super) fn path_runs(xy: &[f64], m: &Map) -> Vec<Vec<(i32, i32)>> {
    let mut runs: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut cur: Vec<(i32, i32)> = Vec::new();
    let mut last: Option<(f64, f64)> = None;
    let mut kept = (f64::NAN, f64::NAN);
    let push = |cur: &mut Vec<(i32, i32)>, kept: &mut (f64, f64), p: (f64, f64), force: bool| {
        if force || cur.is_empty() || (p.0 - kept.0).abs() + (p.1 - kept.1).abs() >= 0.5 {
            cur.push((p.0.round() as i32, p.1.round() as i32));
            *kept = p;
        }
    };
    for pair in xy.chunks_exact(2) {
        if !(pair[0].is_finite() && pair[1].is_finite()) {
            last = None;
            continue;
        }
        let p = m.px(pair[0], pair[1]);
        let Some(a) = last else {
            last = Some(p);
            if m.contains(p) {
                if cur.len() > 1 {
                    runs.push(std::mem::take(&mut cur));
                }
                cur.clear();
                push(&mut cur, &mut kept, p, true);
            }
            continue;
        };
        last = Some(p);
        match clip(a, p, m.r) {
            None => {
                if cur.len() > 1 {
                    runs.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
            Some((s, e)) => {
                if cur.is_empty() || s != a {
                    if cur.len() > 1 {
                        runs.push(std::mem::take(&mut cur));
                    }
                    cur.clear();
                    push(&mut cur, &mut kept, s, true);
                }
                let leaves = e != p;
                push(&mut cur, &mut kept, e, leaves);
                if leaves {
                    runs.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if cur.len() > 1 {
        runs.push(cur);
    }
    runs
}

/// Draw the figure on any plotters backend. Returns the plot area (x, y, width, height) in px.
pub fn draw_field<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &FieldSpec,
) -> Result<(i32, i32, i32, i32), String> {
    draw_field_themed(root, spec, &spec.theme)
}

/// `draw_field` in the theme `th` (the SVG draws its background itself, under the image).
fn draw_field_themed<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &FieldSpec,
    th: &Theme,
) -> Result<(i32, i32, i32, i32), String> {
    spec.validate()?;
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| format!("drawing: {e}");
    let (fg, bg) = (parse_color(&th.fg)?, parse_color(&th.bg)?);
    if th.fill {
        root.fill(&bg).map_err(err)?;
    }
    super::draw_title(root, &spec.title, spec.width as i32, th, fg)?;
    let (x, y, w, h) = spec.plot_rect();
    let m = Map {
        v: spec.view,
        r: (x as f64, y as f64, w as f64, h as f64),
    };
    for p in &spec.paths {
        let c = parse_color(&p.color)?;
        let lw = p.width.unwrap_or(2.0);
        let runs = path_runs(&p.xy, &m);
        if !p.halo.is_empty() {
            let halo = style_of(parse_color(&p.halo)?, lw + 2.0);
            for run in &runs {
                root.draw(&PathElement::new(run.clone(), halo))
                    .map_err(err)?;
            }
        }
        for run in &runs {
            match super::dash_pair(&p.dash) {
                Some((on, off)) => root
                    .draw(&DashedPathElement::new(
                        run.clone(),
                        on,
                        off,
                        style_of(c, lw),
                    ))
                    .map_err(err)?,
                None => root
                    .draw(&PathElement::new(run.clone(), style_of(c, lw)))
                    .map_err(err)?,
            }
        }
        if p.dots && p.xy.len() / 2 <= 400 {
            for pair in p.xy.chunks_exact(2).skip(1) {
                let q = m.px(pair[0], pair[1]);
                if pair.iter().all(|v| v.is_finite()) && m.contains(q) {
                    let (qx, qy) = (q.0.round() as i32, q.1.round() as i32);
                    root.draw(&Rectangle::new(
                        [(qx - 1, qy - 1), (qx + 2, qy + 2)],
                        c.filled(),
                    ))
                    .map_err(err)?;
                }
            }
        }
    }
    let halo = RGBAColor(0, 0, 0, 0.8);
    let label_font = font_of(th, spec.font_size, RGBAColor(255, 255, 255, 1.0));
    for mk in &spec.marks {
        let q = m.px(mk.x, mk.y);
        if !(mk.x.is_finite() && mk.y.is_finite() && m.contains(q)) {
            continue;
        }
        let c = parse_color(&mk.color)?;
        let r = mk.size.unwrap_or(6.0).round() as i32;
        let at = (q.0.round() as i32, q.1.round() as i32);
        match mark_shape(&mk.shape)? {
            None => {
                root.draw(&Circle::new(at, r, style_of(halo, 4.0)))
                    .map_err(err)?;
                root.draw(&Circle::new(at, r, style_of(c, 2.0)))
                    .map_err(err)?;
            }
            Some(s @ (Shape::Plus | Shape::Cross)) => {
                let (a, b) = if s == Shape::Cross {
                    ([(-r, -r), (r, r)], [(-r, r), (r, -r)])
                } else {
                    ([(-r, 0), (r, 0)], [(0, -r), (0, r)])
                };
                for (st, wid) in [(halo, 4.0), (c, 2.0)] {
                    for seg in [a, b] {
                        let pts: Vec<(i32, i32)> =
                            seg.iter().map(|(dx, dy)| (at.0 + dx, at.1 + dy)).collect();
                        root.draw(&PathElement::new(pts, style_of(st, wid)))
                            .map_err(err)?;
                    }
                }
            }
            Some(s) => s
                .draw(root, at, r, c, RGBAColor(255, 255, 255, 1.0))
                .map_err(err)?,
        }
        if !mk.label.is_empty() {
            let tw = text_width(&mk.label, spec.font_size);
            let lx = (at.0 + r + 4).min(x + w - tw - 2).max(x + 2);
            let ly = (at.1 - r - 4).max(y + spec.font_size as i32);
            // A dark backdrop keeps the white label legible on any colour of the map.
            root.draw(&Rectangle::new(
                [
                    (lx - 2, ly - spec.font_size as i32 - 1),
                    (lx + tw + 2, ly + 3),
                ],
                RGBAColor(0, 0, 0, 0.6).filled(),
            ))
            .map_err(err)?;
            root.draw(&Text::new(
                mk.label.clone(),
                (lx, ly),
                label_font.clone().pos(Pos::new(HPos::Left, VPos::Bottom)),
            ))
            .map_err(err)?;
        }
    }
    // Frame, ticks and their labels, the axis names.
    root.draw(&Rectangle::new([(x, y), (x + w, y + h)], style_of(fg, 1.0)))
        .map_err(err)?;
    let [x0, x1, y0, y1] = spec.view;
    let fs = spec.font_size;
    let tick_font = font_of(th, fs, fg);
    let xt = nice_ticks(
        x0,
        x1,
        ((w as f64 / spec.tick_px[0]).round() as usize).max(2),
    );
    let xs = if xt.len() > 1 { xt[1] - xt[0] } else { 1.0 };
    for v in &xt {
        let px = m.px(*v, y0).0.round() as i32;
        root.draw(&PathElement::new(
            vec![(px, y + h), (px, y + h + 5)],
            style_of(fg, 1.0),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            tick_label(*v, xs),
            (px, y + h + 7),
            tick_font.clone().pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(err)?;
    }
    let yt = nice_ticks(
        y0,
        y1,
        ((h as f64 / spec.tick_px[1]).round() as usize).max(2),
    );
    let ys = if yt.len() > 1 { yt[1] - yt[0] } else { 1.0 };
    for v in &yt {
        let py = m.px(x0, *v).1.round() as i32;
        root.draw(&PathElement::new(
            vec![(x, py), (x - 5, py)],
            style_of(fg, 1.0),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            tick_label(*v, ys),
            (x - 7, py),
            tick_font.clone().pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(err)?;
    }
    let name_font = ("serif", (fs + 1.0) * th.text_scale, FontStyle::Italic)
        .into_font()
        .color(&fg);
    root.draw(&Text::new(
        spec.x_label.clone(),
        (x + w, spec.height as i32 - 1),
        name_font.clone().pos(Pos::new(HPos::Right, VPos::Bottom)),
    ))
    .map_err(err)?;
    root.draw(&Text::new(
        spec.y_label.clone(),
        (12, y + 8),
        name_font.pos(Pos::new(HPos::Center, VPos::Center)),
    ))
    .map_err(err)?;
    if !spec.message.is_empty() {
        root.draw(&Text::new(
            spec.message.clone(),
            (x + w / 2, y + h / 2),
            font_of(th, fs + 1.0, fg).pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(err)?;
    }
    if let Some(cb) = &spec.colorbar {
        draw_colorbar(root, cb, (x + w + 18, y, BAR_WIDTH, h), th, fs)?;
    }
    Ok((x, y, w, h))
}

/// The colour coordinate u ∈ [0, 1] of a value, and back, as the renderer colours.
struct ColorScale {
    lo: f64,
    delta: f64,
    t0: f64,
    t1: f64,
    log: bool,
}

impl ColorScale {
    fn new(cb: &ColorBar) -> Self {
        let span = cb.hi - cb.lo;
        let delta = (1e-3 * span).max(1e-30);
        let t = |v: f64| if cb.log { (v - cb.lo + delta).ln() } else { v };
        ColorScale {
            lo: cb.lo,
            delta,
            t0: t(cb.lo),
            t1: t(cb.hi),
            log: cb.log,
        }
    }
    fn u(&self, v: f64) -> f64 {
        let t = if self.log {
            (v - self.lo + self.delta).ln()
        } else {
            v
        };
        (t - self.t0) / (self.t1 - self.t0)
    }
    fn value(&self, u: f64) -> f64 {
        let t = self.t0 + u * (self.t1 - self.t0);
        if self.log {
            t.exp() - self.delta + self.lo
        } else {
            t
        }
    }
}

/// A vertical colour bar in (x, y, width, height): the map in 128 steps from lo (bottom) to hi,
/// its contour levels as lines across it, five values beside it, its name along the right edge.
fn draw_colorbar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    cb: &ColorBar,
    (x, y, w, h): (i32, i32, i32, i32),
    th: &Theme,
    fs: f64,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| format!("drawing: {e}");
    let fg = parse_color(&th.fg)?;
    let lut = Colormap::parse(&cb.cmap)
        .ok_or_else(|| format!("colorbar.cmap: unknown {:?}", cb.cmap))?
        .colors();
    let rgb = |i: usize| {
        let [r, g, b] = lut[i.min(255)];
        RGBAColor(r, g, b, 1.0)
    };
    let steps = 128;
    for k in 0..steps {
        let top = y + h - ((k + 1) * h) / steps;
        let bottom = y + h - (k * h) / steps;
        root.draw(&Rectangle::new(
            [(x, top), (x + w, bottom)],
            rgb(k as usize * 255 / (steps as usize - 1)).filled(),
        ))
        .map_err(err)?;
    }
    let sc = ColorScale::new(cb);
    let line = RGBAColor(255, 255, 255, 0.7);
    for v in &cb.levels {
        let u = sc.u(*v);
        if u.is_finite() && (0.0..=1.0).contains(&u) {
            let py = y + h - (u * h as f64).round() as i32;
            root.draw(&PathElement::new(
                vec![(x, py), (x + w, py)],
                style_of(line, 1.0),
            ))
            .map_err(err)?;
        }
    }
    root.draw(&Rectangle::new([(x, y), (x + w, y + h)], style_of(fg, 1.0)))
        .map_err(err)?;
    let font = font_of(th, fs - 1.0, fg);
    for k in 0..=4 {
        let u = k as f64 / 4.0;
        let v = sc.value(u);
        let py = y + h - (u * h as f64).round() as i32;
        root.draw(&PathElement::new(
            vec![(x + w, py), (x + w + 4, py)],
            style_of(fg, 1.0),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            super::ticks::sig(v, 3),
            (x + w + 6, py),
            font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(err)?;
    }
    let name = if cb.log {
        format!("{} (log scale)", cb.label)
    } else {
        cb.label.clone()
    };
    root.draw(&Text::new(
        name.trim().to_string(),
        (x + w + BAR_SPACE as i32 - 30, y + h / 2),
        font.transform(FontTransform::Rotate90)
            .pos(Pos::new(HPos::Center, VPos::Center)),
    ))
    .map_err(err)?;
    Ok(())
}

/// The figure as an SVG document: the heatmap image (clipped to the plot) under what
/// `draw_field` draws.
pub fn field_svg(spec: &FieldSpec) -> Result<String, String> {
    let bare = Theme {
        fill: false,
        ..spec.theme.clone()
    };
    let inner = super::svg_of(spec.width, spec.height, |root| {
        draw_field_themed(root, spec, &bare).map(|_| ())
    })?;
    // plotters' document: `<svg …>\n` … `</svg>\n`; its elements go into ours, over the image.
    let body = inner
        .split_once(">\n")
        .map(|(_, b)| b)
        .and_then(|b| b.trim_end().strip_suffix("</svg>"))
        .ok_or("drawing: unexpected SVG from plotters")?;
    let (x, y, w, h) = spec.plot_rect();
    let (wd, ht) = (spec.width, spec.height);
    let mut out = format!(
        "<svg width=\"{wd}\" height=\"{ht}\" viewBox=\"0 0 {wd} {ht}\" xmlns=\"http://www.w3.org/2000/svg\">\n"
    );
    if spec.theme.fill {
        let bg = parse_color(&spec.theme.bg)?;
        out.push_str(&format!(
            "<rect x=\"0\" y=\"0\" width=\"{wd}\" height=\"{ht}\" fill=\"#{:02x}{:02x}{:02x}\"/>\n",
            bg.0, bg.1, bg.2
        ));
    }
    if !spec.image.is_empty() {
        let m = Map {
            v: spec.view,
            r: (x as f64, y as f64, w as f64, h as f64),
        };
        let [a0, a1, b0, b1] = spec.image_view.unwrap_or(spec.view);
        let (p0, p1) = (m.px(a0, b1), m.px(a1, b0));
        out.push_str(&format!(
            "<defs><clipPath id=\"plot\"><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\"/></clipPath></defs>\n\
             <image clip-path=\"url(#plot)\" x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" preserveAspectRatio=\"none\" href=\"{}\"/>\n",
            p0.0,
            p0.1,
            p1.0 - p0.0,
            p1.1 - p0.1,
            spec.image
        ));
    }
    out.push_str(body.trim_end());
    out.push_str("\n</svg>\n");
    Ok(out)
}
