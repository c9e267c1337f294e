//! The lecture's special deep network for vanishing and exploding gradients: identity
//! activations, zero biases, every layer the same diagonalizable d × d matrix
//! W = E Λ Eᵀ (orthonormal eigenbasis e₁…e_d, eigenvalues λ₁…λ_d). Then
//! h[k] = W^k x = Σᵢ λᵢ^k (x·eᵢ) eᵢ: any λᵢ > 1 explodes, any λᵢ < 1 vanishes.
//!
//! The network is run layer by layer (h[l] = W h[l−1], as a forward pass does); the closed form is
//! what the tests check it against.

/// Largest dimension and depth accepted.
pub const MAX_DIM: usize = 16;
pub const MAX_DEPTH: usize = 200;

/// The eigenbasis: the identity rotated by `angle` (radians) in the planes (e₁, e₂), (e₃, e₄), …
/// Column i of the result (row-major d × d) is eᵢ.
pub fn eigenbasis(d: usize, angle: f64) -> Vec<f64> {
    let mut e = vec![0.0; d * d];
    let (c, s) = (angle.cos(), angle.sin());
    let mut i = 0;
    while i < d {
        if i + 1 < d {
            e[i * d + i] = c;
            e[(i + 1) * d + i] = s;
            e[i * d + i + 1] = -s;
            e[(i + 1) * d + i + 1] = c;
            i += 2;
        } else {
            e[i * d + i] = 1.0;
            i += 1;
        }
    }
    e
}

/// W = E Λ Eᵀ (row-major).
pub fn matrix(eigs: &[f64], angle: f64) -> Vec<f64> {
    let d = eigs.len();
    let e = eigenbasis(d, angle);
    let mut w = vec![0.0; d * d];
    for r in 0..d {
        for c in 0..d {
            w[r * d + c] = (0..d).map(|i| e[r * d + i] * eigs[i] * e[c * d + i]).sum();
        }
    }
    w
}

/// The forward pass through `depth` layers from `x`: for l = 0..=depth, ‖h[l]‖ and the
/// coordinates h[l]·eᵢ (row l, column i).
pub struct Forward {
    pub norms: Vec<f64>,
    pub components: Vec<f64>,
}

pub fn forward(eigs: &[f64], angle: f64, x: &[f64], depth: usize) -> Forward {
    let d = eigs.len();
    let w = matrix(eigs, angle);
    let e = eigenbasis(d, angle);
    let mut h = x.to_vec();
    let mut norms = Vec::with_capacity(depth + 1);
    let mut components = Vec::with_capacity((depth + 1) * d);
    for l in 0..=depth {
        if l > 0 {
            h = (0..d)
                .map(|r| (0..d).map(|c| w[r * d + c] * h[c]).sum())
                .collect();
        }
        norms.push(h.iter().map(|v| v * v).sum::<f64>().sqrt());
        components.extend((0..d).map(|i| (0..d).map(|r| h[r] * e[r * d + i]).sum::<f64>()));
    }
    Forward { norms, components }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn layer_by_layer_equals_the_lectures_closed_form() {
        let eigs = [1.1, 0.9, 1.0, 0.5, 1.3];
        let angle = 0.7;
        let x = [0.3, -1.2, 0.8, 0.1, 2.0];
        let f = forward(&eigs, angle, &x, 40);
        let e = eigenbasis(5, angle);
        for k in [0usize, 1, 7, 40] {
            // W^k x = Σᵢ λᵢ^k (x·eᵢ) eᵢ
            let xe: Vec<f64> = (0..5)
                .map(|i| (0..5).map(|r| x[r] * e[r * 5 + i]).sum())
                .collect();
            let closed: Vec<f64> = (0..5)
                .map(|r| {
                    (0..5)
                        .map(|i| eigs[i].powi(k as i32) * xe[i] * e[r * 5 + i])
                        .sum()
                })
                .collect();
            let norm = closed.iter().map(|v| v * v).sum::<f64>().sqrt();
            assert!((f.norms[k] - norm).abs() <= 1e-12 * norm, "depth {k}");
            for i in 0..5 {
                let want = eigs[i].powi(k as i32) * xe[i];
                assert!(
                    (f.components[k * 5 + i] - want).abs()
                        <= 1e-12 * want.abs().max(1e-300) + 1e-15,
                    "depth {k}, λ{i}"
                );
            }
        }
        // 1.3^40 explodes, 0.5^40 vanishes.
        assert!(f.components[40 * 5 + 4].abs() > 1e4 && f.components[40 * 5 + 3].abs() < 1e-11);
    }

    #[test]
    fn the_eigenbasis_is_orthonormal() {
        for d in 1..=MAX_DIM {
            let e = eigenbasis(d, 1.234);
            for i in 0..d {
                for j in 0..d {
                    let dot: f64 = (0..d).map(|r| e[r * d + i] * e[r * d + j]).sum();
                    assert!((dot - if i == j { 1.0 } else { 0.0 }).abs() < 1e-15);
                }
            }
        }
    }
}
