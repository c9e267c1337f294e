//! The 2-D figure (`draw_field`) tested on its SVG: ticks and axis names for the view, paths
//! clipped to the plot and broken at non-finite points, marks, the embedded heatmap, the colour
//! bar's values on linear and log scales, and refused specs.
use super::tests::texts;
use super::*;

/// The points of every polyline in the SVG.
fn polylines(s: &str) -> Vec<Vec<(f64, f64)>> {
    s.split("<polyline")
        .skip(1)
        .map(|p| {
            let pts = p
                .split("points=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            pts.split_whitespace()
                .map(|xy| {
                    let (x, y) = xy.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect()
        })
        .collect()
}

fn spec() -> FieldSpec {
    FieldSpec {
        width: 400,
        height: 300,
        view: [-2.0, 2.0, -1.0, 1.0],
        x_label: "w₁".into(),
        y_label: "w₂".into(),
        ..Default::default()
    }
}

#[test]
fn ticks_and_axis_names_follow_the_view() {
    let s = field_svg(&spec()).unwrap();
    let t = texts(&s);
    // 336 px wide at 90 px a tick: about 4 ticks over [-2, 2] → steps of 1; 254 px / 60: 0.5.
    for want in [
        "-2", "-1", "0", "1", "2", "-1.0", "-0.5", "0.0", "0.5", "1.0", "w₁", "w₂",
    ] {
        assert!(t.iter().any(|x| x == want), "{want} missing in {t:?}");
    }
    assert!(
        s.contains("font-style=\"italic\"") || s.contains("italic"),
        "axis names italic"
    );
    // The plot area is framed where the margins put it.
    let (x, y, w, h) = spec().plot_rect();
    assert_eq!((x, y, w, h), (54, 10, 336, 254));
    assert!(s.contains(&format!(
        "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\""
    )));
    assert!(!s.contains("NaN") && !s.contains("inf"));
    // Zoomed in: the labels get the digits the step needs.
    let z = field_svg(&FieldSpec {
        view: [0.1, 0.14, 2.0, 2.02],
        ..spec()
    })
    .unwrap();
    let t = texts(&z);
    assert!(t.iter().any(|x| x == "0.12"), "{t:?}");
    assert!(t.iter().any(|x| x == "2.010"), "{t:?}");
}

#[test]
fn paths_are_clipped_to_the_plot_and_break_at_non_finite_points() {
    let mut s = spec();
    s.paths.push(FieldPath {
        color: "#0072b2".into(),
        halo: "rgba(0,0,0,0.55)".into(),
        // inside → far outside (an about-to-diverge step) → back inside; NaN; inside again.
        xy: vec![
            -1.0,
            0.0,
            0.0,
            0.5,
            1e12,
            -3e11,
            0.5,
            0.0,
            1.0,
            0.2,
            f64::NAN,
            0.0,
            -1.5,
            -0.5,
            -1.0,
            -0.8,
        ],
        ..Default::default()
    });
    let out = field_svg(&s).unwrap();
    let lines = polylines(&out);
    let (x, y, w, h) = s.plot_rect();
    let inside = |&(px, py): &(f64, f64)| {
        px >= x as f64 - 0.5
            && px <= (x + w) as f64 + 0.5
            && py >= y as f64 - 0.5
            && py <= (y + h) as f64 + 0.5
    };
    assert!(
        lines.iter().filter(|l| l.iter().all(inside)).count() >= 6,
        "{lines:?}"
    );
    for l in &lines {
        for p in l {
            assert!(p.0.is_finite() && p.1.is_finite());
        }
    }
    // Three runs (to the edge, back from the edge, after the NaN) drawn twice (outline, line).
    let path_runs = path_runs_of(&s);
    assert_eq!(path_runs.len(), 3, "{path_runs:?}");
    for r in &path_runs {
        assert!(
            r.iter().all(|&(a, b)| inside(&(a as f64, b as f64))),
            "{r:?}"
        );
    }
    // The run that leaves ends on the plot's edge.
    let end = *path_runs[0].last().unwrap();
    assert!(
        end.0 == x + w || end.1 == y || end.1 == y + h || end.0 == x,
        "{end:?}"
    );
}

fn path_runs_of(s: &FieldSpec) -> Vec<Vec<(i32, i32)>> {
    let (x, y, w, h) = s.plot_rect();
    let m = field::Map {
        v: s.view,
        r: (x as f64, y as f64, w as f64, h as f64),
    };
    field::path_runs(&s.paths[0].xy, &m)
}

#[test]
fn dense_paths_keep_one_vertex_per_half_pixel() {
    let mut s = spec();
    let n = 100_000;
    let xy: Vec<f64> = (0..n)
        .flat_map(|i| {
            let t = i as f64 / n as f64;
            [-1.5 + 3.0 * t, (6.0 * t).sin() * 0.8]
        })
        .collect();
    s.paths.push(FieldPath {
        color: "#000".into(),
        xy,
        ..Default::default()
    });
    let runs = path_runs_of(&s);
    let total: usize = runs.iter().map(Vec::len).sum();
    assert_eq!(runs.len(), 1);
    // 3 world units of x on 336 px · 3/4 of the width: ~252 px of x, a few hundred px of arc length.
    assert!(total > 200 && total < 2000, "{total}");
    assert_eq!(runs[0][0], (96, 137));
}

#[test]
fn marks_heatmap_and_colour_bar() {
    let mut s = spec();
    s.marks = vec![
        FieldMark {
            x: 0.0,
            y: 0.0,
            shape: "plus".into(),
            color: "#fff".into(),
            ..Default::default()
        },
        FieldMark {
            x: 1.0,
            y: 0.5,
            shape: "cross".into(),
            color: "#fff".into(),
            ..Default::default()
        },
        FieldMark {
            x: -1.0,
            y: -0.5,
            shape: "ring".into(),
            color: "#fff".into(),
            size: Some(9.0),
            ..Default::default()
        },
        FieldMark {
            x: 0.5,
            y: 0.5,
            shape: "square".into(),
            color: "#d55e00".into(),
            label: "Adam: diverged at step 12".into(),
            ..Default::default()
        },
        // outside the view: not drawn
        FieldMark {
            x: 9.0,
            y: 0.0,
            shape: "star".into(),
            color: "#000".into(),
            label: "never".into(),
            ..Default::default()
        },
    ];
    s.image = "data:image/png;base64,iVBORw0KGgo=".into();
    s.image_view = Some([-2.0, 0.0, -1.0, 1.0]);
    s.colorbar = Some(ColorBar {
        lo: 0.0,
        hi: 100.0,
        log: false,
        cmap: "magma".into(),
        levels: vec![25.0, 50.0, 75.0],
        label: "L".into(),
    });
    let out = field_svg(&s).unwrap();
    let t = texts(&out);
    assert!(t.iter().any(|x| x == "Adam: diverged at step 12"));
    assert!(!t.iter().any(|x| x == "never"));
    assert_eq!(
        out.matches("<circle").count(),
        2,
        "the ring: outline and line"
    );
    // The colour bar narrows the plot; the image fills the left half of the view, clipped.
    let (x, y, w, h) = s.plot_rect();
    assert_eq!(w, 400 - 54 - 10 - 96);
    assert!(out.contains(&format!(
        "<clipPath id=\"plot\"><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\"/>"
    )));
    assert!(
        out.contains(&format!(
            "x=\"{x}.00\" y=\"{y}.00\" width=\"{}.00\" height=\"{h}.00\"",
            w / 2
        )),
        "{out}"
    );
    // The image is under everything plotters drew.
    assert!(out.find("<image").unwrap() < out.find("<polyline").unwrap());
    for want in ["0", "25", "50", "75", "100", "L"] {
        assert!(t.iter().any(|x| x == want), "{want} missing: {t:?}");
    }
    // 128 colour steps from the map's dark end at the bottom to its light end at the top.
    assert!(out.contains("fill=\"#000004\""), "magma's first colour");
    assert!(
        out.contains("fill=\"#FCFDBF\"") || out.contains("fill=\"#fcfdbf\""),
        "magma's last colour"
    );
    // Log scale: the values beside the bar are the renderer's t = ln(f − lo + δ) spaced evenly.
    s.colorbar = Some(ColorBar {
        lo: 0.0,
        hi: 1000.0,
        log: true,
        label: "f".into(),
        ..Default::default()
    });
    let t = texts(&field_svg(&s).unwrap());
    let d: f64 = 1.0;
    let at = |u: f64| ((1000.0f64 + d).ln() * u + d.ln() * (1.0 - u)).exp() - d;
    for u in [0.25, 0.5, 0.75] {
        let want = super::ticks::sig(at(u), 3);
        assert!(t.contains(&want), "{want} missing: {t:?}");
    }
    assert!(t.iter().any(|x| x == "f (log scale)"), "{t:?}");
}

#[test]
fn bad_field_specs_are_refused_naming_the_field() {
    let bad = |f: &dyn Fn(&mut FieldSpec)| {
        let mut s = spec();
        f(&mut s);
        field_svg(&s).unwrap_err()
    };
    assert!(bad(&|s| s.view = [1.0, 1.0, 0.0, 1.0]).starts_with("view:"));
    assert!(bad(&|s| s.view[2] = f64::NAN).starts_with("view:"));
    assert!(bad(&|s| s.margin = [300, 300, 0, 0]).starts_with("margin:"));
    assert!(bad(&|s| s.image = "javascript:alert(1)".into()).starts_with("image:"));
    assert!(
        bad(&|s| s.image = "data:image/png;base64,AA\"/><script>".into()).starts_with("image:")
    );
    assert!(bad(&|s| s.paths.push(FieldPath {
        color: "#000".into(),
        xy: vec![1.0],
        ..Default::default()
    }))
    .starts_with("paths[0].xy:"));
    assert!(bad(&|s| s.paths.push(FieldPath {
        color: "url(#x)".into(),
        ..Default::default()
    }))
    .starts_with("paths[0].color:"));
    assert!(bad(&|s| s.marks.push(FieldMark {
        shape: "heart".into(),
        color: "#000".into(),
        ..Default::default()
    }))
    .starts_with("marks[0].shape:"));
    assert!(bad(&|s| s.colorbar = Some(ColorBar {
        lo: 1.0,
        hi: 1.0,
        ..Default::default()
    }))
    .starts_with("colorbar:"));
    assert!(bad(&|s| s.colorbar = Some(ColorBar {
        cmap: "jet".into(),
        ..Default::default()
    }))
    .starts_with("colorbar.cmap:"));
    assert!(bad(&|s| s.font_size = 0.0).starts_with("fontSize:"));
}

#[test]
fn dashed_paths_are_drawn_in_dashes() {
    let mut s = spec();
    s.paths.push(FieldPath {
        color: "#000".into(),
        dash: vec![5.0, 4.0],
        xy: vec![-1.5, 0.0, 1.5, 0.0],
        ..Default::default()
    });
    let out = field_svg(&s).unwrap();
    let (_, top, _, h) = s.plot_rect();
    let y = (top + h / 2) as f64;
    let dashes = polylines(&out)
        .into_iter()
        .filter(|l| l.len() == 2 && l[0].1 == y && l[1].1 == y)
        .count();
    // 3 of 4 world units across 336 px: 252 px in 9-px periods.
    assert!(dashes > 20, "{dashes} dashes in {out}");
}
