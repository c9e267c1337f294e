//! Native benchmarks (`./build.sh bench` runs them with `cargo bench --bench native`): the same
//! cases as www/js/bench.js measures in wasm. Medians of 7 reps of ≥ 150 ms.

use optplay::landscape::grid::{sample, Canvas, Colormap, Rect, RenderOptions};
use optplay::landscape::{Builtin, Landscape};
use optplay::nn::gemm::{matmul_nn, matmul_nt, matmul_tn, Workspace};
use optplay::nn::{self, Trainer};
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
    } else if unit == "GFLOP/s" {
        format!("{value:.1}")
    } else {
        format!("{}", value.round() as u64)
    };
    println!("    {case:<52} {v:>14} {unit}");
}

/// A plotters backend that draws nothing but counts what it is asked to draw: the chart code's
/// own cost (extent, ticks, decimation, layout) without a rasteriser's.
struct Counting {
    size: (u32, u32),
    vertices: std::rc::Rc<std::cell::Cell<usize>>,
}

impl plotters::prelude::DrawingBackend for Counting {
    type ErrorType = std::convert::Infallible;
    fn get_size(&self) -> (u32, u32) {
        self.size
    }
    fn ensure_prepared(
        &mut self,
    ) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }
    fn present(&mut self) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }
    fn draw_pixel(
        &mut self,
        _: plotters_backend::BackendCoord,
        _: plotters_backend::BackendColor,
    ) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
        self.vertices.set(self.vertices.get() + 1);
        Ok(())
    }
    fn draw_path<
        S: plotters_backend::BackendStyle,
        I: IntoIterator<Item = plotters_backend::BackendCoord>,
    >(
        &mut self,
        path: I,
        _: &S,
    ) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
        self.vertices
            .set(self.vertices.get() + path.into_iter().count());
        Ok(())
    }
    fn draw_line<S: plotters_backend::BackendStyle>(
        &mut self,
        _: plotters_backend::BackendCoord,
        _: plotters_backend::BackendCoord,
        _: &S,
    ) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
        self.vertices.set(self.vertices.get() + 2);
        Ok(())
    }
    fn draw_rect<S: plotters_backend::BackendStyle>(
        &mut self,
        _: plotters_backend::BackendCoord,
        _: plotters_backend::BackendCoord,
        _: &S,
        _: bool,
    ) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
        self.vertices.set(self.vertices.get() + 4);
        Ok(())
    }
    fn draw_circle<S: plotters_backend::BackendStyle>(
        &mut self,
        _: plotters_backend::BackendCoord,
        _: u32,
        _: &S,
        _: bool,
    ) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
        self.vertices.set(self.vertices.get() + 1);
        Ok(())
    }
    fn fill_polygon<
        S: plotters_backend::BackendStyle,
        I: IntoIterator<Item = plotters_backend::BackendCoord>,
    >(
        &mut self,
        path: I,
        _: &S,
    ) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
        self.vertices
            .set(self.vertices.get() + path.into_iter().count());
        Ok(())
    }
    fn draw_text<TStyle: plotters_backend::BackendTextStyle>(
        &mut self,
        _: &str,
        _: &TStyle,
        _: plotters_backend::BackendCoord,
    ) -> Result<(), plotters_backend::DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }
}

/// The x–y chart of the labs drawn by `chart::draw_xy`: 8 series of 100 000 points on a
/// 1280 × 400 chart, log y (the browser bench measures the same on a canvas).
fn chart() {
    use optplay::chart::{draw_xy, Series, XySpec};
    use plotters::prelude::IntoDrawingArea;
    let n = 100_000;
    let spec = XySpec {
        width: 1280,
        height: 400,
        log_y: true,
        series: (0..8)
            .map(|k| Series {
                label: format!("run {k}"),
                color: "#0072b2".into(),
                y: (0..n)
                    .map(|i| {
                        (1.0 + k as f64) / (1.0 + i as f64 / 100.0)
                            * (1.0 + 0.3 * (i as f64 * 0.7 + k as f64).sin())
                    })
                    .collect(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let vertices = std::rc::Rc::new(std::cell::Cell::new(0));
    let ms = time_it(|| {
        vertices.set(0);
        let root = Counting {
            size: (1280, 400),
            vertices: vertices.clone(),
        }
        .into_drawing_area();
        black_box(draw_xy(&root, &spec).unwrap());
    });
    let vertices = vertices.get();
    let ext = time_it(|| {
        black_box(spec.extent());
    });
    // The page's chart keeps a min/max pyramid with each long series (built once, extended by
    // appends): a redraw reads a few blocks per pixel column instead of every point.
    let mut kept = spec.clone();
    let build = time_it(|| {
        let mut s = spec.clone();
        s.keep_envelopes();
        black_box(s);
    });
    kept.keep_envelopes();
    let fast = time_it(|| {
        let root = Counting {
            size: (1280, 400),
            vertices: std::rc::Rc::new(std::cell::Cell::new(0)),
        }
        .into_drawing_area();
        black_box(draw_xy(&root, &kept).unwrap());
    });
    let fast_ext = time_it(|| {
        black_box(kept.extent());
    });
    println!(
        "  chart (src/chart draw_xy on a counting backend: the chart code without a rasteriser)"
    );
    row("8 series × 100 000 points, 1280 × 400, log y", ms, "ms");
    row("vertices handed to the backend", vertices as f64, "points");
    row("of which the extent", ext, "ms");
    row("with the min/max pyramids kept", fast, "ms");
    row("of which the extent", fast_ext, "ms");
    row("building the 8 pyramids (once per series)", build, "ms");
}

fn main() {
    chart();
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
    mlp();
}

/// The nets of ../shared/PERF.md: inputs x[i][j] = sin(1 + 0.7i + 1.3j), labels x0·x1 > 0 (or
/// i mod 10 for the wide net); one fixed full batch; Adam(lr 0.01). Same cases as www/js/bench.js.
pub const NETS: [(&str, &str, &str, &str, usize); 3] = [
    ("small 2-8-8-1 tanh mse B32", "[2,8,8,1]", "tanh", "mse", 32),
    (
        "medium 2-64-64-64-1 relu mse B256",
        "[2,64,64,64,1]",
        "relu",
        "mse",
        256,
    ),
    (
        "wide 784-256-128-10 relu CE B256",
        "[784,256,128,10]",
        "relu",
        "cross_entropy",
        256,
    ),
];

fn net_spec(sizes: &str, act: &str, loss: &str, batch: usize) -> String {
    let dims: Vec<usize> = serde_json::from_str(sizes).unwrap();
    let (d, classes) = (dims[0], *dims.last().unwrap());
    let x: Vec<Vec<f64>> = (0..batch)
        .map(|i| {
            (0..d)
                .map(|j| (1.0 + 0.7 * i as f64 + 1.3 * j as f64).sin())
                .collect()
        })
        .collect();
    let labels: Vec<usize> = (0..batch)
        .map(|i| {
            if classes > 1 {
                i % classes
            } else {
                usize::from(x[i][0] * x[i][1] > 0.0)
            }
        })
        .collect();
    format!(
        r#"{{"layer_sizes":{sizes},"activation":"{act}","loss":"{loss}","init":"xavier_uniform","optimizer":{{"name":"adam","lr":0.01}},"batch_size":{batch},"data":{{"inputs":{},"labels":{}}}}}"#,
        serde_json::to_string(&x).unwrap(),
        serde_json::to_string(&labels).unwrap()
    )
}

fn mlp() {
    println!("  mlp training step (forward + backward + Adam, f32)");
    for (name, sizes, act, loss, batch) in NETS {
        let v: Val = serde_json::from_str(&net_spec(sizes, act, loss, batch)).unwrap();
        let s = nn::spec::trainer(&v).unwrap();
        let flop = 6.0
            * batch as f64
            * s.config
                .arch
                .sizes
                .windows(2)
                .map(|w| (w[0] * w[1]) as f64)
                .sum::<f64>();
        let mut t = Trainer::<f32>::new(s.config, &s.data);
        let reps = (2e7 / flop).clamp(1.0, 200.0) as usize;
        let ms = time_it(|| {
            black_box(t.step(reps));
        });
        let sps = reps as f64 / (ms / 1e3);
        row(name, sps, "steps/s");
        row(
            &format!("  {} (6·B·Σ in·out)", name.split(' ').next().unwrap_or("")),
            sps * flop / 1e9,
            "GFLOP/s",
        );
    }
    println!("  matmul f32, the wide net's first layer (B 256, in 784, out 256)");
    let (b, i, o) = (256, 784, 256);
    let x: Vec<f32> = (0..b * i).map(|k| (k as f32 * 0.37).sin()).collect();
    let w: Vec<f32> = (0..o * i).map(|k| (k as f32 * 0.11).cos()).collect();
    let dz: Vec<f32> = (0..b * o).map(|k| (k as f32 * 0.23).sin()).collect();
    let mut ws = Workspace::default();
    let mut c = vec![0f32; b * i.max(o)];
    let flop = 2.0 * (b * i * o) as f64;
    for (case, which) in [
        ("forward Z = X·Wᵀ", 0),
        ("weight gradient ∂W = ∂Zᵀ·X", 1),
        ("input gradient ∂X = ∂Z·W", 2),
    ] {
        let ms = time_it(|| {
            match which {
                0 => matmul_nt(b, o, i, &x, &w, &mut c, &mut ws),
                1 => matmul_tn(o, i, b, &dz, &x, &mut c, &mut ws),
                _ => matmul_nn(b, i, o, &dz, &w, &mut c, &mut ws),
            }
            black_box(&c);
        });
        row(case, flop / (ms / 1e3) / 1e9, "GFLOP/s");
    }
}
