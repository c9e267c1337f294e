//! Native benchmarks (`./build.sh bench` runs them with `cargo bench --bench native`): the same
//! cases as www/js/bench.js measures in wasm. Medians of 7 reps of ≥ 150 ms.

use optplay::landscape::grid::{sample, Canvas, Colormap, Rect, RenderOptions};
use optplay::landscape::{Builtin, Landscape};
use optplay::run::Run;
use optplay::spec::{self, Val};
use std::hint::black_box;
use std::time::Instant;

fn time_it(mut f: impl FnMut()) -> f64 {
    let warm = Instant::now();
    while warm.elapsed().as_secs_f64() < 0.075 {
        f();
    }
    let mut per: Vec<f64> = (0..7)
        .map(|_| {
            let t = Instant::now();
            let mut n = 0;
            while t.elapsed().as_secs_f64() < 0.15 || n < 3 {
                f();
                n += 1;
            }
            t.elapsed().as_secs_f64() * 1e3 / n as f64
        })
        .collect();
    per.sort_by(f64::total_cmp);
    per[3]
}

fn row(case: &str, value: f64, unit: &str) {
    let v = if unit == "ms" {
        format!("{value:.3}")
    } else {
        format!("{}", value.round() as u64)
    };
    println!("    {case:<52} {v:>14} {unit}");
}

fn main() {
    println!("native (x86-64, this machine)");
    println!("  trajectory");
    for (name, opt) in [
        ("adam", r#"{"name":"adam","lr":0.01}"#),
        ("newton", r#"{"name":"newton","eta":0.5}"#),
        (
            "sgd+momentum",
            r#"{"name":"sgd","lr":0.001,"momentum":0.9}"#,
        ),
    ] {
        let steps = 100_000;
        let v: Val = serde_json::from_str(&format!(
            r#"{{"landscape":"rosenbrock","start":[-1.5,2],"optimizer":{opt},"steps":{steps}}}"#
        ))
        .unwrap();
        let s = spec::trajectory(&v, None, spec::MAX_STEPS).unwrap();
        let ms = time_it(|| {
            let mut r = Run::new(&s);
            black_box(r.advance(steps));
        });
        row(
            &format!("{name} on rosenbrock"),
            steps as f64 / (ms / 1e3),
            "steps/s",
        );
    }
    println!("  grid 512²");
    let n = 512;
    for name in ["rosenbrock", "rastrigin"] {
        let b = Builtin::by_name(name).unwrap();
        let info = b.info();
        let l = Landscape::Builtin(b);
        let [x0, x1, y0, y1] = info.domain;
        let r = Rect { x0, x1, y0, y1 };
        let mut buf = Vec::new();
        row(
            &format!("{name}: engine evaluate (f32x4)"),
            time_it(|| {
                black_box(sample(&l, n, n, r, false, &mut buf));
            }),
            "ms",
        );
        let mut c = Canvas::default();
        let opts = RenderOptions {
            scale: info.scale,
            colormap: Colormap::Viridis,
            levels: 12,
        };
        row(
            &format!("{name}: engine evaluate + colour + contours"),
            time_it(|| c.render(&l, n, n, r, opts)),
            "ms",
        );
        let mut out = vec![0f64; n * n];
        row(
            &format!("{name}: scalar f64 evaluate"),
            time_it(|| {
                for j in 0..n {
                    let y = y0 + j as f64 * (y1 - y0) / (n - 1) as f64;
                    for i in 0..n {
                        out[j * n + i] = l.value(x0 + i as f64 * (x1 - x0) / (n - 1) as f64, y);
                    }
                }
                black_box(&out);
            }),
            "ms",
        );
    }
}
