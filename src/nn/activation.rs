//! Activation functions with PyTorch's definitions (`torch.nn.functional`), applied elementwise
//! to the pre-activation z of a layer: h = g(z). The derivative g′ is what multiplies every
//! gradient on its way back (the lecture's §1: for the sigmoid g′ ≤ 0.25, so deep stacks of
//! sigmoids multiply many factors ≪ 1).
//!
//! | name | g(z) | g′(z) |
//! |---|---|---|
//! | `identity` | z | 1 |
//! | `sigmoid` | σ(z) = 1/(1 + e^{−z}) | σ(1 − σ) ≤ 1/4 |
//! | `tanh` | tanh z | 1 − tanh² z ≤ 1 |
//! | `relu` | max(z, 0) | 1 if z > 0 else 0 (torch: relu′(0) = 0) |
//! | `leaky_relu` | z if z > 0 else s·z (torch's `negative_slope` s = 0.01) | 1 or s (s at 0) |
//! | `gelu` | z·Φ(z) = ½z(1 + erf(z/√2)) (torch's exact, `approximate='none'`) | Φ(z) + z·φ(z) |

use crate::optim::Scalar;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    Identity,
    Sigmoid,
    Tanh,
    Relu,
    /// With its negative slope (torch default 0.01).
    LeakyRelu(f64),
    Gelu,
}

/// What the engine knows about one activation: its spec name, the function with torch's default
/// parameters, the labels and formulas the pages print, the largest value of g′ (the lecture's
/// bound: L layers contribute at most (max g′)^L) and the `torch.nn` module.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct ActivationDef {
    pub name: &'static str,
    #[serde(skip)]
    pub activation: Activation,
    pub label: &'static str,
    /// g(z), as the captions print it.
    pub formula: &'static str,
    /// g′(z).
    pub derivative: &'static str,
    /// sup g′ over the real line (checked against a scan of `derivative` in the tests).
    pub max_derivative: f64,
    /// The `torch.nn` module's class.
    pub torch: &'static str,
}

/// The activations, in the order the pages offer them.
pub const ACTIVATION_DEFS: [ActivationDef; 6] = [
    ActivationDef {
        name: "identity",
        activation: Activation::Identity,
        label: "identity (linear)",
        formula: "g(z) = z",
        derivative: "g′(z) = 1",
        max_derivative: 1.0,
        torch: "nn.Identity",
    },
    ActivationDef {
        name: "sigmoid",
        activation: Activation::Sigmoid,
        label: "sigmoid",
        formula: "σ(z) = 1/(1 + e^−z)",
        derivative: "σ′(z) = σ(z)(1 − σ(z)) ≤ 1/4",
        max_derivative: 0.25,
        torch: "nn.Sigmoid",
    },
    ActivationDef {
        name: "tanh",
        activation: Activation::Tanh,
        label: "tanh",
        formula: "tanh(z)",
        derivative: "tanh′(z) = 1 − tanh²(z) ≤ 1",
        max_derivative: 1.0,
        torch: "nn.Tanh",
    },
    ActivationDef {
        name: "relu",
        activation: Activation::Relu,
        label: "ReLU",
        formula: "max(0, z)",
        derivative: "relu′(z) = 1 if z > 0, else 0",
        max_derivative: 1.0,
        torch: "nn.ReLU",
    },
    ActivationDef {
        name: "leaky_relu",
        activation: Activation::LeakyRelu(0.01),
        label: "leaky ReLU",
        formula: "max(0, z) + a·min(0, z)",
        derivative: "1 if z > 0, else a (a = negative_slope, 0.01)",
        max_derivative: 1.0,
        torch: "nn.LeakyReLU",
    },
    ActivationDef {
        name: "gelu",
        activation: Activation::Gelu,
        label: "GELU",
        formula: "z·Φ(z)",
        derivative: "Φ(z) + z·φ(z)",
        // At z = √2: Φ(√2) + √2·φ(√2).
        max_derivative: 1.128_904_145_230_574,
        torch: "nn.GELU",
    },
];

/// Names accepted in specs (the registry's, in its order).
pub const ACTIVATIONS: &[&str] = &{
    let mut names = [""; ACTIVATION_DEFS.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = ACTIVATION_DEFS[i].name;
        i += 1;
    }
    names
};

impl Activation {
    /// The registered activation called `name` (torch's default parameters; `linear` is an alias
    /// of `identity`).
    pub fn by_name(name: &str) -> Option<Activation> {
        let name = if name == "linear" { "identity" } else { name };
        ACTIVATION_DEFS
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.activation)
    }

    /// Its registry entry.
    pub fn def(self) -> &'static ActivationDef {
        &ACTIVATION_DEFS[match self {
            Activation::Identity => 0,
            Activation::Sigmoid => 1,
            Activation::Tanh => 2,
            Activation::Relu => 3,
            Activation::LeakyRelu(_) => 4,
            Activation::Gelu => 5,
        }]
    }

    pub fn name(self) -> &'static str {
        self.def().name
    }

    /// The `torch.nn` module that computes it, e.g. `nn.LeakyReLU(negative_slope=0.2)`.
    pub fn torch(self) -> String {
        match self {
            Activation::LeakyRelu(s) => format!(
                "{}(negative_slope={})",
                self.def().torch,
                crate::optim::torch::py_float(s)
            ),
            _ => format!("{}()", self.def().torch),
        }
    }

    /// torch.nn.init.calculate_gain for this nonlinearity.
    pub fn gain(self) -> f64 {
        match self {
            Activation::Identity | Activation::Sigmoid | Activation::Gelu => 1.0,
            Activation::Tanh => 5.0 / 3.0,
            Activation::Relu => std::f64::consts::SQRT_2,
            Activation::LeakyRelu(s) => (2.0 / (1.0 + s * s)).sqrt(),
        }
    }

    /// h = g(z) elementwise.
    pub fn forward<F: Scalar>(self, z: &[F], h: &mut [F]) {
        match self {
            Activation::Identity => h.copy_from_slice(z),
            Activation::Sigmoid => F::sigmoid_slice(z, h),
            Activation::Tanh => F::tanh_slice(z, h),
            Activation::Relu => {
                // Written so that NaN passes through, as torch.relu does (an overflow must not
                // turn into a zero activation).
                let zero = F::zero();
                h.iter_mut()
                    .zip(z)
                    .for_each(|(h, &z)| *h = if z <= zero { zero } else { z });
            }
            Activation::LeakyRelu(s) => {
                let (zero, s) = (F::zero(), F::of(s));
                h.iter_mut()
                    .zip(z)
                    .for_each(|(h, &z)| *h = if z > zero { z } else { s * z });
            }
            Activation::Gelu => h
                .iter_mut()
                .zip(z)
                .for_each(|(h, &z)| *h = F::of(gelu(z.f64()))),
        }
    }

    /// dz = dh · g′(z), using the stored z and h = g(z).
    pub fn backward<F: Scalar>(self, z: &[F], h: &[F], dh: &[F], dz: &mut [F]) {
        let one = F::one();
        let it = dz.iter_mut().zip(dh).zip(z.iter().zip(h));
        match self {
            Activation::Identity => dz.copy_from_slice(dh),
            Activation::Sigmoid => it.for_each(|((d, &g), (_, &h))| *d = g * h * (one - h)),
            Activation::Tanh => it.for_each(|((d, &g), (_, &h))| *d = g * (one - h * h)),
            Activation::Relu => {
                let zero = F::zero();
                // torch's threshold_backward: where(result <= 0, 0, grad), so NaN keeps its grad.
                it.for_each(|((d, &g), (&z, _))| *d = if z <= zero { zero } else { g });
            }
            Activation::LeakyRelu(s) => {
                let (zero, s) = (F::zero(), F::of(s));
                it.for_each(|((d, &g), (&z, _))| *d = if z > zero { g } else { s * g });
            }
            Activation::Gelu => {
                it.for_each(|((d, &g), (&z, _))| *d = g * F::of(gelu_prime(z.f64())));
            }
        }
    }

    /// g′ at one point (for plots of g′ against z).
    pub fn derivative(self, z: f64) -> f64 {
        let (mut h, mut d) = ([0.0], [0.0]);
        self.forward(&[z], &mut h);
        self.backward(&[z], &h, &[1.0], &mut d);
        d[0]
    }

    /// Whether a unit's output h counts as saturated (g′ < 0.02 of its maximum): tanh |h| ≥ 0.99,
    /// sigmoid h ≤ 0.01 or h ≥ 0.99. Never for the other activations.
    pub fn saturated(self, h: f64) -> bool {
        match self {
            Activation::Tanh => h.abs() >= 0.99,
            Activation::Sigmoid => !(0.01..0.99).contains(&h),
            _ => false,
        }
    }

    /// Whether the activation can die (zero gradient for all z ≤ 0).
    pub fn can_die(self) -> bool {
        matches!(self, Activation::Relu)
    }
}

/// σ(z) without overflow: 1/(1 + e^{−z}) for z ≥ 0, e^{z}/(1 + e^{z}) otherwise.
#[inline]
pub fn sigmoid<F: Scalar>(z: F) -> F {
    let one = F::one();
    if z >= F::zero() {
        one / (one + (-z).exp())
    } else {
        let e = z.exp();
        e / (one + e)
    }
}

const FRAC_2_SQRT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;

/// erf(x) to about 1e-15 relative: the everywhere-convergent series
/// erf x = (2/√π)·e^{−x²}·Σₙ 2ⁿx^{2n+1}/(1·3···(2n+1)) (all terms positive, no cancellation) for
/// |x| < 3, and 1 − erfc(x) from the continued fraction beyond.
pub fn erf(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let a = x.abs();
    let r = if a < 3.0 {
        let x2 = a * a;
        let (mut term, mut sum) = (a, a);
        let mut n = 0.0;
        while term > sum * 1e-17 {
            term *= 2.0 * x2 / (2.0 * n + 3.0);
            sum += term;
            n += 1.0;
        }
        FRAC_2_SQRT_PI * (-x2).exp() * sum
    } else {
        1.0 - erfc_cf(a)
    };
    if x < 0.0 {
        -r
    } else {
        r
    }
}

/// erfc(x) for x ≥ 3 by the continued fraction
/// erfc x = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated by
/// Lentz's method.
fn erfc_cf(x: f64) -> f64 {
    if x > 27.0 {
        return 0.0;
    }
    let tiny = 1e-300;
    let mut f = x;
    let (mut c, mut d) = (x, 0.0);
    for k in 1..200 {
        let ak = k as f64 / 2.0;
        d = x + ak * d;
        d = if d.abs() < tiny { tiny } else { d };
        c = x + ak / c;
        c = if c.abs() < tiny { tiny } else { c };
        d = 1.0 / d;
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    (-x * x).exp() / (f * std::f64::consts::PI.sqrt())
}

/// Φ(x), the standard normal CDF, accurate also in the far left tail.
pub fn normal_cdf(x: f64) -> f64 {
    let y = x * std::f64::consts::FRAC_1_SQRT_2;
    if y < -3.0 {
        0.5 * erfc_cf(-y)
    } else {
        0.5 * (1.0 + erf(y))
    }
}

/// torch's exact GELU: x·Φ(x).
pub fn gelu(x: f64) -> f64 {
    x * normal_cdf(x)
}

/// d/dx x·Φ(x) = Φ(x) + x·φ(x).
pub fn gelu_prime(x: f64) -> f64 {
    let phi = (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
    normal_cdf(x) + x * phi
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_activation_is_registered_once_under_its_name() {
        for d in &ACTIVATION_DEFS {
            let a = Activation::by_name(d.name).unwrap();
            assert_eq!(a, d.activation);
            assert_eq!(
                a.def().name,
                d.name,
                "def() indexes the registry in its order"
            );
        }
        assert_eq!(Activation::by_name("linear"), Some(Activation::Identity));
        assert_eq!(Activation::by_name("swish"), None);
        assert_eq!(ACTIVATIONS.len(), ACTIVATION_DEFS.len());
        assert_eq!(
            Activation::LeakyRelu(0.2).torch(),
            "nn.LeakyReLU(negative_slope=0.2)"
        );
        assert_eq!(Activation::Gelu.torch(), "nn.GELU()");
    }

    #[test]
    fn max_derivative_is_the_supremum_of_the_engines_derivative() {
        // A scan of g′ on [−8, 8] in steps of 1e−4 (the suprema are at z = 0, z > 0 or z = √2).
        for d in &ACTIVATION_DEFS {
            let sup = (-80_000..=80_000)
                .map(|i| d.activation.derivative(i as f64 * 1e-4))
                .fold(f64::MIN, f64::max);
            assert!(
                (sup - d.max_derivative).abs() < 1e-8,
                "{}: scan {sup}, registered {}",
                d.name,
                d.max_derivative
            );
        }
    }

    #[test]
    fn erf_matches_known_values() {
        // Values from mpmath (50 digits, rounded).
        for (x, want) in [
            (0.1, 0.1124629160182849),
            (0.5, 0.5204998778130465),
            (1.0, 0.8427007929497149),
            (2.0, 0.9953222650189527),
            (2.9, 0.9999589021219005),
            (3.5, 0.9999992569016276),
        ] {
            assert!((erf(x) - want).abs() <= 1e-15 * want.max(1.0), "erf({x})");
            assert!((erf(-x) + want).abs() <= 1e-15 * want.max(1.0));
        }
        for (x, want) in [(3.0, 2.2090496998585438e-05), (5.0, 1.5374597944280351e-12)] {
            assert!((erfc_cf(x) - want).abs() <= 1e-14 * want, "erfc({x})");
        }
        assert_eq!(erf(0.0), 0.0);
        assert_eq!(erf(40.0), 1.0);
        // torch.nn.functional.gelu(torch.tensor([-1., 0.5, 3.], dtype=torch.float64))
        for (x, want) in [
            (-1.0, -0.15865525393145707),
            (0.5, 0.34573123063700656),
            (3.0, 2.99595030590511),
        ] {
            assert!((gelu(x) - want).abs() < 1e-15, "gelu({x}) = {}", gelu(x));
        }
    }

    #[test]
    fn derivative_bounds_of_the_lecture() {
        let zs: Vec<f64> = (-400..=400).map(|i| i as f64 / 40.0).collect();
        let max = |a: Activation| zs.iter().map(|&z| a.derivative(z)).fold(0.0, f64::max);
        assert!((max(Activation::Sigmoid) - 0.25).abs() < 1e-12);
        assert!((max(Activation::Tanh) - 1.0).abs() < 1e-12);
        assert_eq!(Activation::Relu.derivative(0.0), 0.0);
        assert_eq!(Activation::LeakyRelu(0.01).derivative(-2.0), 0.01);
    }
}
