//! Automatic differentiation against finite differences on every landscape (and on custom
//! expressions), and the listed stationary points checked by their exact gradient and Hessian.
#![cfg(not(target_arch = "wasm32"))]

use optplay::landscape::{Builtin, Expr, Landscape, BUILTINS};

struct Lcg(u64);
impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Central differences of f (for the gradient) and of the autodiff gradient (for the Hessian),
/// compared with the autodiff values. Tolerances allow for the O(h²) truncation and the
/// cancellation error eps·|f|/h of the difference quotient.
fn check_point(l: &Landscape, name: &str, x: f64, y: f64) {
    let e = l.eval2(x, y);
    if !e.value.is_finite() {
        return;
    }
    let h = 1e-5 * (1.0 + x.abs().max(y.abs()));
    let f = |x: f64, y: f64| l.value(x, y);
    let g = |x: f64, y: f64| l.eval2(x, y).grad;
    let fd_g = [
        (f(x + h, y) - f(x - h, y)) / (2.0 * h),
        (f(x, y + h) - f(x, y - h)) / (2.0 * h),
    ];
    let scale_f = 1e-15 * e.value.abs().max(1.0) / h;
    for i in 0..2 {
        let tol = 1e-6 * (1.0 + e.grad[i].abs()) + 1e3 * scale_f;
        assert!(
            (fd_g[i] - e.grad[i]).abs() <= tol,
            "{name} ∂f/∂{} at ({x}, {y}): autodiff {} vs fd {}",
            ["x", "y"][i],
            e.grad[i],
            fd_g[i]
        );
    }
    let (gxp, gxm, gyp, gym) = (g(x + h, y), g(x - h, y), g(x, y + h), g(x, y - h));
    let fd_h = [
        (gxp[0] - gxm[0]) / (2.0 * h),
        (gyp[0] - gym[0]) / (2.0 * h),
        (gyp[1] - gym[1]) / (2.0 * h),
    ];
    let fd_hxy_sym = (gxp[1] - gxm[1]) / (2.0 * h);
    let gscale = 1e-15 * (e.grad[0].abs() + e.grad[1].abs()).max(1.0) / h;
    for (i, label) in ["xx", "xy", "yy"].iter().enumerate() {
        let tol = 1e-5 * (1.0 + e.hessian[i].abs()) + 1e3 * gscale;
        assert!(
            (fd_h[i] - e.hessian[i]).abs() <= tol,
            "{name} H{label} at ({x}, {y}): autodiff {} vs fd {}",
            e.hessian[i],
            fd_h[i]
        );
    }
    assert!(
        (fd_hxy_sym - e.hessian[1]).abs() <= 1e-5 * (1.0 + e.hessian[1].abs()) + 1e3 * gscale,
        "{name}: Hessian symmetric"
    );
}

#[test]
fn autodiff_matches_finite_differences_on_every_landscape() {
    let mut rng = Lcg(42);
    for d in BUILTINS {
        for params in [
            vec![],
            d.params
                .iter()
                .map(|p| Some(p.2 + 0.37 * (p.3 - p.2)))
                .collect(),
        ] {
            let l = Landscape::Builtin(Builtin::new(d, &params));
            let [x0, x1, y0, y1] = d.domain;
            for _ in 0..200 {
                let (x, y) = (x0 + (x1 - x0) * rng.unit(), y0 + (y1 - y0) * rng.unit());
                check_point(&l, d.name, x, y);
            }
            for s in d.starts {
                check_point(&l, d.name, s[0], s[1]);
            }
        }
    }
}

#[test]
fn autodiff_matches_finite_differences_on_expressions() {
    let exprs = [
        "sin(x)*cos(y) + 0.1*(x^2+y^2)",
        "exp(-(x^2 + y^2)/2) * tanh(x - y)",
        "log(1 + x^2 + y^4) + sqrt(2 + x*y + x^2 + y^2)",
        "tan(0.3*x) / (2 + cos(y)) - abs(x - 0.3)^3",
        "x^y + 2^x",
        "(x^2)^0.75 + y^-2",
    ];
    let mut rng = Lcg(3);
    for src in exprs {
        let l = Landscape::Expression(Expr::parse(src).unwrap());
        for _ in 0..200 {
            let (x, y) = (0.2 + 2.0 * rng.unit(), 0.3 + 2.0 * rng.unit());
            check_point(&l, src, x, y);
        }
    }
}

#[test]
fn listed_minima_and_saddles_are_stationary_with_the_right_curvature() {
    for d in BUILTINS {
        let b = Builtin::new(d, &[]);
        let l = Landscape::Builtin(b.clone());
        let info = b.info();
        assert!(!info.starts.is_empty(), "{}", d.name);
        for (kind, pts) in [("minimum", &info.minima), ("saddle", &info.saddles)] {
            for p in pts {
                let e = l.eval2(p.x, p.y);
                let [a, c2, c] = e.hessian;
                let det = a * c - c2 * c2;
                let gnorm = e.grad[0].abs() + e.grad[1].abs();
                let hscale = a.abs() + c.abs() + 1.0;
                if d.name == "ackley" {
                    // |r| is not differentiable at its minimum: check the value only.
                    assert!(e.value.abs() < 1e-12);
                    continue;
                }
                assert!(
                    gnorm <= 1e-9 * hscale,
                    "{} {kind} ({}, {}): |∇f| = {gnorm:e}",
                    d.name,
                    p.x,
                    p.y
                );
                match kind {
                    "minimum" => assert!(
                        det > 0.0 && a > 0.0,
                        "{} minimum ({}, {}) not positive definite: {:?}",
                        d.name,
                        p.x,
                        p.y,
                        e.hessian
                    ),
                    _ => assert!(
                        det <= 0.0,
                        "{} saddle ({}, {}) not indefinite: {:?}",
                        d.name,
                        p.x,
                        p.y,
                        e.hessian
                    ),
                }
            }
        }
        for p in &info.minima {
            let [x0, x1, y0, y1] = info.domain;
            assert!(
                (x0..=x1).contains(&p.x) && (y0..=y1).contains(&p.y),
                "{} minimum inside the domain",
                d.name
            );
        }
    }
}

#[test]
fn known_global_minima_values() {
    let min_f = |name: &str| {
        Builtin::by_name(name)
            .unwrap()
            .info()
            .minima
            .iter()
            .map(|p| p.f)
            .fold(f64::INFINITY, f64::min)
    };
    assert!((min_f("six_hump_camel") + 1.031_628_453_489_877).abs() < 1e-12);
    assert!((min_f("styblinski_tang") + 78.332_331_407_542_84).abs() < 1e-9);
    assert!((min_f("goldstein_price") - 3.0).abs() < 1e-12);
    assert!(min_f("himmelblau").abs() < 1e-20);
    assert!(min_f("beale").abs() < 1e-20);
}
