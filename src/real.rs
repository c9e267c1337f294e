//! Number types every landscape formula is generic over.
//!
//! A formula is written once as `fn f<T: Real>(x: T, y: T) -> T` and evaluated with
//! - `f64`: the exact value (trajectories, reference checks),
//! - [`Dual2`]: value, gradient and Hessian in one pass (forward-mode hyper-dual numbers), so
//!   no derivative is ever written by hand or approximated by finite differences,
//! - [`crate::simd::F32x4`]: four grid points at once for heatmaps (SIMD128 in wasm).

use core::ops::{Add, Div, Mul, Neg, Sub};

/// The operations a landscape formula or a parsed expression may use.
pub trait Real:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// A constant (derivatives zero).
    fn cst(c: f64) -> Self;
    fn sin(self) -> Self;
    fn cos(self) -> Self;
    fn tan(self) -> Self;
    fn exp(self) -> Self;
    /// Natural logarithm.
    fn ln(self) -> Self;
    fn sqrt(self) -> Self;
    fn abs(self) -> Self;
    fn tanh(self) -> Self;
    /// Integer power by repeated multiplication semantics (`x**n` in torch).
    fn powi(self, n: i32) -> Self;
    /// Power with a constant real exponent.
    fn powf(self, p: f64) -> Self;
    /// General power `self^p = exp(p ln self)`.
    fn pow(self, p: Self) -> Self {
        (p * self.ln()).exp()
    }
}

impl Real for f64 {
    #[inline(always)]
    fn cst(c: f64) -> Self {
        c
    }
    #[inline(always)]
    fn sin(self) -> Self {
        f64::sin(self)
    }
    #[inline(always)]
    fn cos(self) -> Self {
        f64::cos(self)
    }
    #[inline(always)]
    fn tan(self) -> Self {
        f64::tan(self)
    }
    #[inline(always)]
    fn exp(self) -> Self {
        f64::exp(self)
    }
    #[inline(always)]
    fn ln(self) -> Self {
        f64::ln(self)
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        f64::abs(self)
    }
    #[inline(always)]
    fn tanh(self) -> Self {
        f64::tanh(self)
    }
    #[inline(always)]
    fn powi(self, n: i32) -> Self {
        f64::powi(self, n)
    }
    #[inline(always)]
    fn powf(self, p: f64) -> Self {
        f64::powf(self, p)
    }
    #[inline(always)]
    fn pow(self, p: Self) -> Self {
        f64::powf(self, p)
    }
}

/// A second-order hyper-dual number in two variables (x, y): the value `v`, the gradient
/// `(gx, gy)` and the Hessian `(hxx, hxy, hyy)` of an expression, all propagated exactly by the
/// chain rule. Seed with [`Dual2::var_x`] / [`Dual2::var_y`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dual2 {
    pub v: f64,
    pub gx: f64,
    pub gy: f64,
    pub hxx: f64,
    pub hxy: f64,
    pub hyy: f64,
}

impl Dual2 {
    pub fn var_x(x: f64) -> Self {
        Dual2 {
            v: x,
            gx: 1.0,
            gy: 0.0,
            hxx: 0.0,
            hxy: 0.0,
            hyy: 0.0,
        }
    }
    pub fn var_y(y: f64) -> Self {
        Dual2 {
            v: y,
            gx: 0.0,
            gy: 1.0,
            hxx: 0.0,
            hxy: 0.0,
            hyy: 0.0,
        }
    }
    /// Apply a scalar function with value `f`, first derivative `d1` and second derivative `d2`
    /// at `self.v` (chain rule to second order).
    #[inline(always)]
    fn chain(self, f: f64, d1: f64, d2: f64) -> Self {
        Dual2 {
            v: f,
            gx: d1 * self.gx,
            gy: d1 * self.gy,
            hxx: d1 * self.hxx + d2 * self.gx * self.gx,
            hxy: d1 * self.hxy + d2 * self.gx * self.gy,
            hyy: d1 * self.hyy + d2 * self.gy * self.gy,
        }
    }
    pub fn grad(&self) -> [f64; 2] {
        [self.gx, self.gy]
    }
    pub fn hessian(&self) -> [f64; 3] {
        [self.hxx, self.hxy, self.hyy]
    }
}

impl Add for Dual2 {
    type Output = Self;
    #[inline(always)]
    fn add(self, b: Self) -> Self {
        Dual2 {
            v: self.v + b.v,
            gx: self.gx + b.gx,
            gy: self.gy + b.gy,
            hxx: self.hxx + b.hxx,
            hxy: self.hxy + b.hxy,
            hyy: self.hyy + b.hyy,
        }
    }
}
impl Sub for Dual2 {
    type Output = Self;
    #[inline(always)]
    fn sub(self, b: Self) -> Self {
        Dual2 {
            v: self.v - b.v,
            gx: self.gx - b.gx,
            gy: self.gy - b.gy,
            hxx: self.hxx - b.hxx,
            hxy: self.hxy - b.hxy,
            hyy: self.hyy - b.hyy,
        }
    }
}
impl Neg for Dual2 {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        Dual2 {
            v: -self.v,
            gx: -self.gx,
            gy: -self.gy,
            hxx: -self.hxx,
            hxy: -self.hxy,
            hyy: -self.hyy,
        }
    }
}
impl Mul for Dual2 {
    type Output = Self;
    #[inline(always)]
    fn mul(self, b: Self) -> Self {
        let a = self;
        Dual2 {
            v: a.v * b.v,
            gx: a.gx * b.v + a.v * b.gx,
            gy: a.gy * b.v + a.v * b.gy,
            hxx: a.hxx * b.v + 2.0 * a.gx * b.gx + a.v * b.hxx,
            hxy: a.hxy * b.v + a.gx * b.gy + a.gy * b.gx + a.v * b.hxy,
            hyy: a.hyy * b.v + 2.0 * a.gy * b.gy + a.v * b.hyy,
        }
    }
}
impl Div for Dual2 {
    type Output = Self;
    #[inline(always)]
    fn div(self, b: Self) -> Self {
        let r = 1.0 / b.v;
        // d(1/b) = -1/b², d²(1/b) = 2/b³; then a · (1/b) with the product rule.
        self * b.chain(r, -r * r, 2.0 * r * r * r)
    }
}

impl Real for Dual2 {
    #[inline(always)]
    fn cst(c: f64) -> Self {
        Dual2 {
            v: c,
            gx: 0.0,
            gy: 0.0,
            hxx: 0.0,
            hxy: 0.0,
            hyy: 0.0,
        }
    }
    fn sin(self) -> Self {
        let (s, c) = self.v.sin_cos();
        self.chain(s, c, -s)
    }
    fn cos(self) -> Self {
        let (s, c) = self.v.sin_cos();
        self.chain(c, -s, -c)
    }
    fn tan(self) -> Self {
        let t = self.v.tan();
        let d1 = 1.0 + t * t;
        self.chain(t, d1, 2.0 * t * d1)
    }
    fn exp(self) -> Self {
        let e = self.v.exp();
        self.chain(e, e, e)
    }
    fn ln(self) -> Self {
        let r = 1.0 / self.v;
        self.chain(self.v.ln(), r, -r * r)
    }
    fn sqrt(self) -> Self {
        let s = self.v.sqrt();
        let d1 = 0.5 / s;
        self.chain(s, d1, -0.5 * d1 / self.v)
    }
    fn abs(self) -> Self {
        // torch: d|x|/dx = sign(x), 0 at 0.
        let sign = if self.v > 0.0 {
            1.0
        } else if self.v < 0.0 {
            -1.0
        } else {
            0.0
        };
        self.chain(self.v.abs(), sign, 0.0)
    }
    fn tanh(self) -> Self {
        let t = self.v.tanh();
        let d1 = 1.0 - t * t;
        self.chain(t, d1, -2.0 * t * d1)
    }
    fn powi(self, n: i32) -> Self {
        match n {
            0 => Self::cst(1.0),
            1 => self,
            2 => self * self,
            _ => {
                let nf = n as f64;
                self.chain(
                    self.v.powi(n),
                    nf * self.v.powi(n - 1),
                    nf * (nf - 1.0) * self.v.powi(n - 2),
                )
            }
        }
    }
    fn powf(self, p: f64) -> Self {
        self.chain(
            self.v.powf(p),
            p * self.v.powf(p - 1.0),
            p * (p - 1.0) * self.v.powf(p - 2.0),
        )
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn product_rule_and_hessian_of_xy2() {
        // f = x y², ∇f = (y², 2xy), H = [[0, 2y], [2y, 2x]]
        let (x, y) = (1.5, -2.0);
        let f = Dual2::var_x(x) * Dual2::var_y(y).powi(2);
        assert_eq!(f.v, 6.0);
        assert_eq!(f.grad(), [4.0, -6.0]);
        assert_eq!(f.hessian(), [0.0, -4.0, 3.0]);
    }

    #[test]
    fn quotient_matches_closed_form() {
        // f = x / y: ∇ = (1/y, -x/y²), H = [[0, -1/y²], [-1/y², 2x/y³]]
        let (x, y) = (3.0, 2.0);
        let f = Dual2::var_x(x) / Dual2::var_y(y);
        assert!((f.v - 1.5).abs() < 1e-15);
        assert!((f.gx - 0.5).abs() < 1e-15 && (f.gy + 0.75).abs() < 1e-15);
        assert!((f.hxy + 0.25).abs() < 1e-15 && (f.hyy - 0.75).abs() < 1e-15 && f.hxx == 0.0);
    }
}
