//! Chart drawing tested natively on its SVG: axis ranges and tick labels, log scales, series
//! count, legend text, no NaN coordinates, bands, reference lines, marks, decimation.
use super::*;

fn series(label: &str, color: &str, y: Vec<f64>) -> Series {
    Series {
        label: label.into(),
        color: color.into(),
        y,
        ..Default::default()
    }
}

fn svg(spec: &XySpec) -> String {
    xy_svg(spec).expect("drawn")
}

/// Every number in the SVG's coordinate attributes and paths.
fn coordinates(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [
        "points=\"",
        "x=\"",
        "y=\"",
        "cx=\"",
        "cy=\"",
        "x1=\"",
        "y1=\"",
        "x2=\"",
        "y2=\"",
        "d=\"",
    ] {
        for part in s.split(attr).skip(1) {
            out.push(part.split('"').next().unwrap_or("").to_string());
        }
    }
    out
}

pub(super) fn texts(s: &str) -> Vec<String> {
    s.split("<text")
        .skip(1)
        .filter_map(|t| {
            t.split_once('>')
                .map(|(_, r)| r.split("</text>").next().unwrap_or("").trim().to_string())
        })
        .collect()
}

#[test]
fn ticks_follow_the_page_rules() {
    assert_eq!(
        nice_ticks(0.0, 1.0, 5),
        vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
    );
    assert_eq!(
        nice_ticks(0.0, 100.0, 4),
        vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    );
    assert!(nice_ticks(1.0, 1.0, 4).is_empty());
    assert!(nice_ticks(f64::NAN, 1.0, 4).is_empty());
    assert_eq!(decade_ticks(-3.2, 1.5, 6), vec![-3.0, -2.0, -1.0, 0.0, 1.0]);
    assert_eq!(decade_ticks(-12.0, 3.0, 4), vec![-12.0, -8.0, -4.0, 0.0]);
    // Inside one decade: 1-2-5.
    let t = log_ticks(0.0, 1.0, 6);
    assert_eq!(t.len(), 4);
    assert!((t[1] - 2f64.log10()).abs() < 1e-12 && (t[2] - 5f64.log10()).abs() < 1e-12);
    assert_eq!(tick_label(0.30000000000000004, 0.1), "0.3");
    assert_eq!(tick_label(150000.0, 50000.0), "1.5e5");
    assert_eq!(tick_label(2.5e-7, 1e-7), "2.5e-7");
    assert_eq!(tick_label(40.0, 20.0), "40");
    assert_eq!(pow10_label(0.0), "1");
    assert_eq!(pow10_label(-2.0), "0.01");
    assert_eq!(pow10_label(3.0), "1000");
    assert_eq!(pow10_label(-5.0), "1e-5");
    assert_eq!(pow10_label(2f64.log10()), "2");
    assert_eq!(pow10_label(1.0 + 5f64.log10()), "50");
}

#[test]
fn axis_ranges_and_tick_labels() {
    let spec = XySpec {
        x_label: "step".into(),
        y_label: "loss".into(),
        series: vec![series(
            "train",
            "#1f77b4",
            (0..=100).map(|i| 1.0 - i as f64 / 200.0).collect(),
        )],
        ..Default::default()
    };
    let e = spec.extent();
    assert_eq!((e.x0, e.x1), (0.0, 100.0));
    assert!(
        (e.y0 - (0.5 - 0.025)).abs() < 1e-12 && (e.y1 - (1.0 + 0.025)).abs() < 1e-12,
        "{e:?}"
    );
    let s = svg(&spec);
    let t = texts(&s);
    // 568 px of plot: about 8 x ticks (every 10 steps), y every 0.05, as on the page.
    for want in [
        "0", "10", "50", "100", "0.5", "1.0", "step", "loss", "train",
    ] {
        assert!(
            t.iter().any(|x| x == want),
            "no tick/label {want:?} in {t:?}"
        );
    }
    assert!(
        !s.contains("NaN") && !s.contains("inf"),
        "a non-finite coordinate"
    );
}

#[test]
fn log_scale_breaks_at_non_positive_and_non_finite_values() {
    let y = vec![
        1.0,
        0.1,
        0.0,
        0.01,
        f64::NAN,
        1e-3,
        f64::INFINITY,
        1e-4,
        -1.0,
        1e-5,
    ];
    let spec = XySpec {
        log_y: true,
        y_label: "loss".into(),
        series: vec![series("run", "#d62728", y)],
        ..Default::default()
    };
    let e = spec.extent();
    assert!(
        (e.y1 - (0.0 + 0.25)).abs() < 1e-9 && (e.y0 - (-5.0 - 0.25)).abs() < 1e-9,
        "{e:?}"
    );
    let s = svg(&spec);
    let t = texts(&s);
    for want in [
        "1",
        "0.1",
        "0.01",
        "1e-3",
        "1e-4",
        "1e-5",
        "loss (log scale)",
    ] {
        assert!(t.iter().any(|x| x == want), "no {want:?} in {t:?}");
    }
    for c in coordinates(&s) {
        assert!(
            !c.contains("NaN") && !c.contains("inf"),
            "non-finite coordinate {c}"
        );
    }
    // 1, 0.1 | 0.01 | 1e-3 | 1e-4 | 1e-5: one drawn line of two points (and its legend line),
    // four lone points as dots.
    assert_eq!(
        s.matches("<polyline fill=\"none\" opacity=\"1\" stroke=\"#D62728\"")
            .count(),
        2,
        "{s}"
    );
    // (each dot is a filled circle ringed in the background colour)
    let dots: Vec<&str> = s.split("<circle").skip(1).collect();
    assert_eq!(dots.len(), 8, "{s}");
    assert_eq!(
        dots.iter()
            .filter(|c| c.contains("fill=\"#D62728\""))
            .count(),
        4,
        "{s}"
    );
}

#[test]
fn series_count_legend_bands_lines_and_marks() {
    let n = 50;
    let mut a = series(
        "no dropout: validation",
        "#0072b2",
        (0..n).map(|i| 1.0 / (1.0 + i as f64)).collect(),
    );
    a.lo = Some(a.y.iter().map(|v| v * 0.9).collect());
    a.hi = Some(a.y.iter().map(|v| v * 1.1).collect());
    let mut b = series(
        "dropout: validation",
        "#d55e00",
        (0..n).map(|i| 0.8 / (1.0 + i as f64)).collect(),
    );
    b.dash = vec![6.0, 4.0];
    let spec = XySpec {
        series: vec![a, b, series("", "#999999", vec![0.5; n])],
        hlines: vec![Line {
            at: 0.25,
            label: "target 0.25".into(),
            color: "#009e73".into(),
            align: "right".into(),
            ..Default::default()
        }],
        vlines: vec![Line {
            at: 30.0,
            label: "best".into(),
            color: String::new(),
            ..Default::default()
        }],
        marks: vec![Mark {
            x: 12.0,
            y: 0.1,
            label: "diverged at step 12".into(),
            color: "#cc0000".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let s = svg(&spec);
    let t = texts(&s);
    for want in [
        "no dropout: validation",
        "dropout: validation",
        "target 0.25",
        "best",
        "diverged at step 12",
    ] {
        assert!(t.iter().any(|x| x == want), "no {want:?} in {t:?}");
    }
    // The unlabelled series is drawn but has no legend entry: 2 legend texts, 3 series lines.
    assert_eq!(t.iter().filter(|x| x.ends_with(": validation")).count(), 2);
    assert!(
        s.matches("stroke=\"#0072B2\"").count() >= 2,
        "the series and its legend line in the series colour"
    );
    assert!(
        s.matches("stroke=\"#999999\"").count() == 1,
        "the unlabelled series: a line, no legend line"
    );
    assert!(s.matches("<polygon").count() >= 2, "a band and a mark");
    assert!(
        s.contains("fill-opacity=\"0.16\"") || s.contains("opacity=\"0.16\""),
        "the band's translucency"
    );
}

#[test]
fn long_series_are_decimated_to_the_pixel_width_keeping_the_envelope() {
    let n = 100_000;
    let y: Vec<f64> = (0..n)
        .map(|i| {
            if i == 54_321 {
                10.0
            } else {
                (i as f64 * 0.01).sin()
            }
        })
        .collect();
    let spec = XySpec {
        width: 640,
        series: vec![series("long", "#000000", y)],
        ..Default::default()
    };
    let s = svg(&spec);
    // The longest polyline in the series colour (the other one is its legend entry).
    let line = s
        .split("stroke=\"#000000\" stroke-width=\"2\" points=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap())
        .max_by_key(|p| p.len())
        .expect("the series line");
    let pts = line.split_whitespace().count();
    assert!(pts <= 4 * 640 && pts > 500, "{pts} points drawn for {n}");
    // The spike survives decimation: the extent and the drawn line reach 10.
    assert!(spec.extent().y1 > 10.0);
    let min_y = line
        .split_whitespace()
        .filter_map(|p| p.split(',').nth(1)?.parse::<i32>().ok())
        .min()
        .unwrap();
    assert!(
        min_y < 80,
        "the spike is not drawn (top y {min_y}; the other values are below y 250)"
    );
}

#[test]
fn an_empty_chart_says_so_and_draws_no_made_up_axis() {
    let spec = XySpec {
        empty: "press Play".into(),
        series: vec![series("run", "#000000", vec![f64::NAN, f64::NAN])],
        ..Default::default()
    };
    assert!(!spec.has_data());
    let s = svg(&spec);
    assert!(texts(&s).iter().any(|t| t == "press Play"));
    assert!(
        !texts(&s).iter().any(|t| t.parse::<f64>().is_ok()),
        "tick labels on an empty chart: {:?}",
        texts(&s)
    );
}

#[test]
fn bad_specs_are_refused_naming_the_field() {
    let bad = |f: &dyn Fn(&mut XySpec)| {
        let mut s = XySpec {
            series: vec![series("a", "#000", vec![1.0, 2.0])],
            ..Default::default()
        };
        f(&mut s);
        xy_svg(&s).unwrap_err()
    };
    assert!(bad(&|s| s.width = 10).starts_with("width:"));
    assert!(bad(&|s| s.height = 100_000).starts_with("height:"));
    assert!(
        bad(&|s| s.series[0].color = "red; stroke: url(x)".into()).starts_with("series[0].color:")
    );
    assert!(bad(&|s| s.series[0].x = Some(vec![1.0])).starts_with("series[0].x:"));
    assert!(bad(&|s| s.series[0].lo = Some(vec![1.0])).starts_with("series[0].lo:"));
    assert!(bad(&|s| s.theme.bg = "<script>".into()).starts_with("theme.bg:"));
    assert!(bad(&|s| s.marks.push(Mark {
        color: "#12".into(),
        ..Default::default()
    }))
    .starts_with("marks[0].color:"));
    assert_eq!(
        parse_color("rgba(80, 90, 110, 0.18)").unwrap(),
        RGBAColor(80, 90, 110, 0.18)
    );
    assert_eq!(
        parse_color("#abc").unwrap(),
        RGBAColor(0xaa, 0xbb, 0xcc, 1.0)
    );
}

#[test]
fn text_is_escaped_in_the_svg() {
    let spec = XySpec {
        x_label: "a < b & \"c\"".into(),
        series: vec![series(
            "<script>alert(1)</script>",
            "#000000",
            vec![1.0, 2.0],
        )],
        ..Default::default()
    };
    let s = svg(&spec);
    assert!(!s.contains("<script>"), "unescaped text in the SVG");
    assert!(
        s.contains("&lt;script&gt;") || s.contains("&#60;script"),
        "the label is missing"
    );
}

#[test]
fn a_long_title_wraps_to_the_width() {
    let title =
        "The input of one sigmoid of the last hidden layer: 15th, 50th and 85th percentiles";
    let spec = XySpec {
        width: 420,
        title: title.into(),
        series: vec![series("a", "#000000", vec![1.0, 2.0])],
        ..Default::default()
    };
    let t = texts(&svg(&spec));
    let lines: Vec<&String> = t
        .iter()
        .filter(|x| title.contains(x.as_str()) && x.len() > 5)
        .collect();
    assert!(lines.len() >= 2, "{t:?}");
    assert!(lines.iter().all(|l| l.chars().count() <= 48), "{lines:?}");
    assert_eq!(
        lines
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        title
    );
    assert_eq!(
        super::wrap("a b c d e f g h i j k l m n o p", 8, 2)
            .last()
            .unwrap()
            .chars()
            .last(),
        Some('…')
    );
}

#[test]
fn bars_on_a_log_axis_with_ghosts_overflow_and_zero() {
    let spec = BarSpec {
        y_label: "‖∂L/∂W[l]‖".into(),
        values: vec![1e-3, 1e-1, f64::INFINITY, 0.0, 10.0, f64::NAN],
        ghost: Some(vec![1e-2, 1e-2, 1e-2, 1e-2, 1e-2, 1e-2]),
        ghost_label: "at initialization".into(),
        ..Default::default()
    };
    let (lo, hi) = spec.decades();
    assert_eq!((lo, hi), (-4.0, 2.0));
    let s = bars_svg(&spec).unwrap();
    let t = texts(&s);
    for want in [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "1e-4",
        "0.01",
        "1",
        "100",
        "‖∂L/∂W[l]‖ (log scale)",
        "layer l",
        "∞",
        "0",
        "at initialization",
    ] {
        assert!(t.iter().any(|x| x == want), "no {want:?} in {t:?}");
    }
    assert_eq!(
        t.iter().filter(|x| *x == "∞").count(),
        2,
        "two overflowed bars (∞ and NaN)"
    );
    // Three finite bars in the series colour (#0072B2, filled).
    assert_eq!(s.matches("fill=\"#0072B2\"").count(), 3, "{s}");
    for c in coordinates(&s) {
        assert!(
            !c.contains("NaN") && !c.contains("inf"),
            "non-finite coordinate {c}"
        );
    }
    // The page's current range wins.
    let fixed = BarSpec {
        range: Some([-6.0, 0.0]),
        ..spec.clone()
    };
    assert_eq!(fixed.decades(), (-6.0, 0.0));
    assert!(texts(&bars_svg(&fixed).unwrap())
        .iter()
        .any(|x| x == "1e-6"));
    // Refusals name the field.
    assert!(bars_svg(&BarSpec {
        range: Some([1.0, 0.0]),
        ..spec.clone()
    })
    .unwrap_err()
    .starts_with("range:"));
    assert!(bars_svg(&BarSpec {
        color: "nope".into(),
        ..spec.clone()
    })
    .unwrap_err()
    .starts_with("color:"));
    assert!(bars_svg(&BarSpec { width: 1, ..spec })
        .unwrap_err()
        .starts_with("width:"));
    // Nothing yet: no made-up tick labels.
    let empty = bars_svg(&BarSpec {
        values: vec![],
        ..Default::default()
    })
    .unwrap();
    assert!(!texts(&empty)
        .iter()
        .any(|x| x.starts_with("1e") || x == "0.01"));
}

#[test]
fn shapes_legend_and_line_options() {
    let mut a = series(
        "train",
        "#0072b2",
        (0..40).map(|i| 1.0 / (1.0 + i as f64)).collect(),
    );
    a.shape = "square".into();
    let mut b = series("val", "#d55e00", vec![0.5; 40]);
    b.shape = "cross".into();
    let mut spec = XySpec {
        series: vec![a, b],
        hlines: vec![Line {
            at: 0.25,
            label: "target".into(),
            align: "right".into(),
            dash: vec![2.0, 3.0],
            ..Default::default()
        }],
        marks: vec![
            Mark {
                x: 5.0,
                y: 0.2,
                label: "first".into(),
                shape: "star".into(),
                ..Default::default()
            },
            Mark {
                x: 6.0,
                y: 0.2,
                label: "second".into(),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let s = svg(&spec);
    // About twelve squares along the 40-point line (every 4th point: 10), each filled and ringed.
    let squares = s.matches("<rect").count();
    assert!((20..=26).contains(&squares), "{squares} rects");
    let t = texts(&s);
    assert!(t.iter().any(|x| x == "train") && t.iter().any(|x| x == "val"));
    assert!(t.iter().any(|x| x == "first") && t.iter().any(|x| x == "second"));
    // The right-aligned label ends near the plot's right edge (640 px wide, plot to 616).
    let tx: f64 = s
        .split("<text")
        .find(|p| p.contains(">target<") || p.contains(">\ntarget"))
        .and_then(|p| p.split("x=\"").nth(1))
        .and_then(|p| p.split('"').next())
        .and_then(|v| v.parse().ok())
        .expect("target label");
    assert!(tx > 500.0, "right-aligned label at x = {tx}");
    // The second mark's label is stacked 14 px above the first's.
    let y_of = |label: &str| -> f64 {
        s.split("<text")
            .find(|p| p.contains(&format!(">{label}<")) || p.contains(&format!(">\n{label}")))
            .and_then(|p| p.split("y=\"").nth(1))
            .and_then(|p| p.split('"').next())
            .and_then(|v| v.parse().ok())
            .expect(label)
    };
    assert!((y_of("first") - y_of("second") - 14.0).abs() < 1.5);
    spec.legend = false;
    let t = texts(&svg(&spec));
    assert!(!t.iter().any(|x| x == "train"), "legend hidden: {t:?}");
    spec.series[0].shape = "hexagon".into();
    let e = xy_svg(&spec).unwrap_err();
    assert!(e.starts_with("series[0].shape: must be circle"), "{e}");
    spec.series[0].shape = String::new();
    spec.hlines[0].align = "center".into();
    assert!(xy_svg(&spec).unwrap_err().starts_with("lines[0].align"));
}

#[test]
fn long_indexed_series_keep_each_columns_min_and_max_and_their_breaks() {
    let n = 100_000;
    let mut y: Vec<f64> = (0..n)
        .map(|i| 1.0 + (i as f64 * 0.37).sin() / (1.0 + i as f64 / 1e4))
        .collect();
    y[50_000] = f64::NAN;
    y[70_000] = 40.0; // a spike
    y[80_000] = 1e-3; // a dip
    let spec = XySpec {
        series: vec![series("loss", "#0072b2", y.clone())],
        ..Default::default()
    };
    let e = spec.extent();
    let columns = 500;
    let runs = spec.line_runs(&spec.series[0], &y, &e, columns);
    assert_eq!(runs.len(), 2, "the NaN breaks the line once");
    let pts: Vec<(f64, f64)> = runs.concat();
    assert!(pts.len() <= 2 * columns + 4, "{} points", pts.len());
    assert!(pts.iter().any(|p| p.1 == 40.0) && pts.iter().any(|p| p.1 == 1e-3));
    assert!(pts.windows(2).all(|w| w[0].0 < w[1].0), "in index order");
    // Every column's extremes, as a scan of the raw values finds them.
    let w = (e.x1 - e.x0) / columns as f64;
    let col = |x: f64| ((x - e.x0) / w).floor() as i64;
    let mut want = std::collections::BTreeMap::<i64, (f64, f64)>::new();
    for (i, &v) in y.iter().enumerate() {
        if v.is_finite() {
            let m = want.entry(col(i as f64)).or_insert((v, v));
            *m = (m.0.min(v), m.1.max(v));
        }
    }
    for (c, (lo, hi)) in want {
        let got: Vec<f64> = pts.iter().filter(|p| col(p.0) == c).map(|p| p.1).collect();
        assert!(
            got.contains(&lo) && got.contains(&hi),
            "column {c}: {got:?} for {lo}…{hi}"
        );
    }
    // The fast extent is the reference one's (indexed and with explicit x).
    let mut with_x = spec.clone();
    with_x.series[0].x = Some((0..n).map(|i| i as f64).collect());
    assert_eq!(with_x.extent(), e);
    // With the min/max pyramid (the page's long series), built at once or appended to in
    // pieces: the same extent, the same runs and the same SVG as the scan, linear and log.
    for log_y in [false, true] {
        let mut plain = spec.clone();
        plain.log_y = log_y;
        let mut fast = plain.clone();
        fast.keep_envelopes();
        assert!(fast.series[0].envelope.is_some());
        let mut grown = plain.clone();
        grown.series[0].y = y[..5000].to_vec();
        grown.keep_envelopes();
        for part in y[5000..].chunks(7919) {
            grown.series[0].append(part).unwrap();
        }
        assert!(
            grown.series[0].envelope_for(log_y).is_some(),
            "kept up to date by append"
        );
        let e = plain.extent();
        for other in [&fast, &grown] {
            assert_eq!(other.extent(), e);
            for columns in [317, 500, 1280] {
                assert_eq!(
                    other.line_runs(&other.series[0], &other.series[0].y, &e, columns),
                    plain.line_runs(&plain.series[0], &y, &e, columns),
                    "log {log_y}, {columns} columns"
                );
            }
        }
        assert_eq!(xy_svg(&fast).unwrap(), xy_svg(&plain).unwrap());
        // The runs of the last draw are kept with the pyramid: drawn again (a theme change), the
        // same; after an append, the new data's.
        let again = |c: &XySpec, e: &Extent| c.line_runs(&c.series[0], &c.series[0].y, e, 640);
        let kept = again(&grown, &e);
        assert!(grown.series[0].envelope.as_ref().unwrap().holds_runs());
        assert_eq!(again(&grown, &e), kept);
        grown.series[0].append(&[0.5, f64::NAN, 7.0]).unwrap();
        assert!(
            !grown.series[0].envelope.as_ref().unwrap().holds_runs(),
            "an append clears them"
        );
        let mut longer = plain.clone();
        longer.series[0].y.extend([0.5, f64::NAN, 7.0]);
        let e2 = longer.extent();
        assert_eq!(again(&grown, &e2), again(&longer, &e2));
        assert_ne!(again(&grown, &e2), kept);
    }
    let mut banded = spec.clone();
    banded.series[0].lo = Some(y.clone());
    assert!(
        banded.series[0].append(&[1.0]).is_err(),
        "a band cannot be appended to"
    );
}

#[test]
fn compact_bars_with_a_colour_per_layer() {
    let n = 21;
    let spec = BarSpec {
        width: 160,
        height: 90,
        compact: true,
        y_label: "‖∂L/∂W‖".into(),
        values: (0..n)
            .map(|l| if l == 3 { 0.0 } else { 10f64.powi(-l) })
            .collect(),
        colors: (0..n)
            .map(|l| if l < 10 { "#0072b2" } else { "#d55e00" }.to_string())
            .collect(),
        ..Default::default()
    };
    let s = bars_svg(&spec).unwrap();
    let t = texts(&s);
    // Only the first and the last layer numbered, no axis titles in a cell of the grid.
    assert!(t.iter().any(|x| x == "1") && t.iter().any(|x| x == "21"));
    assert!(!t.iter().any(|x| x == "2" || x == "11"), "{t:?}");
    assert!(
        !t.iter().any(|x| x.contains("log scale") || x == "layer l"),
        "{t:?}"
    );
    // Each layer's own colour; the zero in a 6-px slot is a red foot mark, not a missing bar.
    assert!(s.contains("#0072B2") && s.contains("#D55E00"));
    assert!(
        !t.iter().any(|x| x == "0"),
        "no room for a \"0\" text in {t:?}"
    );
    let bad = bars_svg(&BarSpec {
        colors: vec!["#000000".into(), "nope".into()],
        ..spec
    })
    .unwrap_err();
    assert!(bad.starts_with("colors[1]:"), "{bad}");
}

#[test]
fn histogram_strips_in_panels_with_their_references() {
    let panel = |l: usize| Panel {
        title: format!("layer {}", l + 1),
        hist: Hist {
            bins: (0..20).map(|b| if b == 7 { 0.4 } else { 0.03 }).collect(),
            lo: -1.0,
            hi: 1.0,
        },
        ghost: Some(Hist {
            bins: vec![0.05; 20],
            lo: -2.0,
            hi: 2.0,
        }),
        lo_label: "-1".into(),
        hi_label: "1".into(),
    };
    let spec = HistSpec {
        width: 480,
        height: 2 * 92 + 4,
        cols: 3,
        panels: (0..5).map(panel).collect(),
        ..Default::default()
    };
    let s = hists_svg(&spec).unwrap();
    let t = texts(&s);
    for l in 1..=5 {
        assert!(t.iter().any(|x| x == &format!("layer {l}")), "{t:?}");
    }
    // 20 filled bars per panel, in the series colour; the reference dashed (one polyline per dash).
    assert_eq!(s.matches("fill=\"#0072B2\"").count(), 5 * 20, "{s}");
    assert!(s.matches("<polyline").count() > 5 * 10);
    assert!(!coordinates(&s).iter().any(|c| c.contains("NaN")));
    // Panel 4 starts the second row (y ≥ 92).
    let second_row = s
        .split("<text")
        .find(|p| p.contains(">layer 4<") || p.contains(">\nlayer 4"))
        .and_then(|p| p.split("y=\"").nth(1))
        .and_then(|p| p.split('"').next())
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap();
    assert!(second_row > 92.0, "{second_row}");
    // A reference of another bin count is not drawn on the wrong axis; bad input names the field.
    let mut other = spec.clone();
    other.panels[0].ghost.as_mut().unwrap().bins = vec![0.1; 7];
    assert!(hists_svg(&other).is_ok());
    other.cols = 0;
    assert!(hists_svg(&other).unwrap_err().starts_with("cols:"));
}
