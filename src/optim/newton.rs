//! Newton–Raphson (not a torch optimizer): `θ ← θ − η H⁻¹ g` with the exact Hessian.
//!
//! Lecture: from the second-order Taylor model `L(θ) ≈ L(θ′) + g·(θ − θ′) + ½(θ − θ′)·H(θ − θ′)`,
//! setting its derivative to zero gives `θ* − θ′ = −H⁻¹g`. On a quadratic, η = 1 lands on the
//! minimum in one step and in general `θ(t) = (1 − η)θ(t−1)` around it.
//! The run stops with reason `singular_hessian` when H is non-finite or cannot be solved
//! (det H = 0 or a zero pivot), like `torch.linalg.solve`.

use super::{num_open, OptimizerDef, ParamSpec};

pub const PARAMS: &[ParamSpec] = &[num_open(
    "eta",
    1.0,
    0.0,
    f64::INFINITY,
    [0.05, 2.0],
    false,
    "step scale η: θ ← θ − η H⁻¹ g",
)];

pub const DEF: OptimizerDef = OptimizerDef {
    algo: super::Algo::Newton,
    name: "newton",
    label: "Newton–Raphson",
    // (not a torch.optim optimizer: the exported script writes its step)
    torch: None,
    params: PARAMS,
    state: &["newton_step"],
    cross_check: super::no_cross_check,
};

/// Solve `H d = g` for the symmetric 2×2 `H = [[a, b], [b, c]]` by Gaussian elimination with
/// partial pivoting (LAPACK's getrf order). `None` when H is singular or non-finite.
pub fn solve2(h: [f64; 3], g: [f64; 2]) -> Option<[f64; 2]> {
    let [a, b, c] = h;
    if !(a.is_finite() && b.is_finite() && c.is_finite()) || a * c - b * b == 0.0 {
        return None;
    }
    // Rows (a, b | g0) and (b, c | g1); pivot on the larger first-column entry.
    let (r0, r1) = if a.abs() >= b.abs() {
        (([a, b], g[0]), ([b, c], g[1]))
    } else {
        (([b, c], g[1]), ([a, b], g[0]))
    };
    let (([p00, p01], q0), ([p10, p11], q1)) = (r0, r1);
    if p00 == 0.0 {
        return None;
    }
    let l = p10 / p00;
    let u11 = p11 - l * p01;
    if u11 == 0.0 {
        return None;
    }
    let x1 = (q1 - l * q0) / u11;
    let x0 = (q0 - p01 * x1) / p00;
    Some([x0, x1])
}

/// Eigenvalues λ₁ ≥ λ₂ of the symmetric 2×2 `H = [[a, b], [b, c]]` and the unit eigenvector of
/// λ₁ (the one of λ₂ is it turned by 90°): the axes of Newton's local quadratic model.
pub fn eig2(h: [f64; 3]) -> ([f64; 2], [f64; 2]) {
    let [a, b, c] = h;
    let m = 0.5 * (a + c);
    let d = (0.25 * (a - c) * (a - c) + b * b).sqrt();
    let ang = 0.5 * (2.0 * b).atan2(a - c);
    ([m + d, m - d], [ang.cos(), ang.sin()])
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{eig2, solve2};

    #[test]
    fn eigenpairs_of_symmetric_2x2() {
        for h in [
            [2.0, 0.0, 1.0],
            [1.0, 0.0, 3.0],
            [2.0, 1.5, -1.0],
            [1e3, -2.0, 1e-3],
            [1.0, 0.0, 1.0],
        ] {
            let ([l1, l2], [ex, ey]) = eig2(h);
            assert!(l1 >= l2);
            for (l, (vx, vy)) in [(l1, (ex, ey)), (l2, (-ey, ex))] {
                let (hx, hy) = (h[0] * vx + h[1] * vy, h[1] * vx + h[2] * vy);
                let tol = 1e-12 * (1.0 + l.abs());
                assert!(
                    (hx - l * vx).abs() < tol && (hy - l * vy).abs() < tol,
                    "{h:?}: {l}"
                );
            }
            assert!((ex * ex + ey * ey - 1.0).abs() < 1e-15);
        }
    }

    #[test]
    fn solves_and_detects_singularity() {
        let d = solve2([2.0, 1.0, 3.0], [5.0, 10.0]).unwrap();
        // [[2,1],[1,3]] d = [5,10] → d = [1, 3]
        assert!((d[0] - 1.0).abs() < 1e-15 && (d[1] - 3.0).abs() < 1e-15);
        let d = solve2([1e-3, 2.0, 1.0], [1.0, 1.0]).unwrap(); // needs the pivot swap
        assert!(
            (1e-3 * d[0] + 2.0 * d[1] - 1.0).abs() < 1e-12
                && (2.0 * d[0] + d[1] - 1.0).abs() < 1e-12
        );
        assert_eq!(solve2([1.0, 1.0, 1.0], [1.0, 2.0]), None);
        assert_eq!(solve2([0.0, 0.0, 0.0], [1.0, 2.0]), None);
        assert_eq!(solve2([f64::NAN, 0.0, 1.0], [1.0, 2.0]), None);
    }
}
