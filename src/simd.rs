//! Four f32 lanes for heatmap grids: SIMD128 (`v128`) in wasm, a plain array natively.
//!
//! Only the primitive operations differ between the two targets; the transcendental
//! functions (`cos`, `exp`, `ln`, …) are written once on top of them as branch-free polynomial
//! approximations (relative error ≲ 1e-6, plenty for a picture), so the native tests check the
//! very algorithms the browser runs.

use crate::real::Real;
use core::ops::{Add, Div, Mul, Neg, Sub};

#[cfg(target_arch = "wasm32")]
mod lanes {
    use core::arch::wasm32::*;

    #[derive(Clone, Copy)]
    pub struct F32x4(pub v128);

    impl F32x4 {
        #[inline(always)]
        pub fn splat(c: f32) -> Self {
            F32x4(f32x4_splat(c))
        }
        #[inline(always)]
        pub fn from_array(a: [f32; 4]) -> Self {
            F32x4(f32x4(a[0], a[1], a[2], a[3]))
        }
        #[inline(always)]
        pub fn to_array(self) -> [f32; 4] {
            [
                f32x4_extract_lane::<0>(self.0),
                f32x4_extract_lane::<1>(self.0),
                f32x4_extract_lane::<2>(self.0),
                f32x4_extract_lane::<3>(self.0),
            ]
        }
        /// The first four lanes of `s` (which must hold at least four).
        #[inline(always)]
        pub fn load(s: &[f32]) -> Self {
            let s = &s[..4];
            // SAFETY: `s` has exactly four f32 (16 bytes); v128_load allows unaligned addresses.
            F32x4(unsafe { v128_load(s.as_ptr() as *const v128) })
        }
        /// Store into the first four lanes of `out`.
        #[inline(always)]
        pub fn store(self, out: &mut [f32]) {
            let out = &mut out[..4];
            // SAFETY: as in `load`.
            unsafe { v128_store(out.as_mut_ptr() as *mut v128, self.0) }
        }
        /// Truncate to i32 lanes (saturating; NaN → 0).
        #[inline(always)]
        pub fn to_i32(self) -> [i32; 4] {
            let v = i32x4_trunc_sat_f32x4(self.0);
            [
                i32x4_extract_lane::<0>(v),
                i32x4_extract_lane::<1>(v),
                i32x4_extract_lane::<2>(v),
                i32x4_extract_lane::<3>(v),
            ]
        }
        /// Truncate four vectors to integers and pack their 16 lanes into bytes (saturating).
        #[inline(always)]
        pub fn pack_u8(v: [Self; 4]) -> [u8; 16] {
            let i = |x: Self| i32x4_trunc_sat_f32x4(x.0);
            let lo = i16x8_narrow_i32x4(i(v[0]), i(v[1]));
            let hi = i16x8_narrow_i32x4(i(v[2]), i(v[3]));
            let mut out = [0u8; 16];
            // SAFETY: `out` is 16 bytes; v128_store allows unaligned addresses.
            unsafe { v128_store(out.as_mut_ptr() as *mut v128, u8x16_narrow_i16x8(lo, hi)) };
            out
        }
        #[inline(always)]
        pub fn vadd(self, b: Self) -> Self {
            F32x4(f32x4_add(self.0, b.0))
        }
        #[inline(always)]
        pub fn vsub(self, b: Self) -> Self {
            F32x4(f32x4_sub(self.0, b.0))
        }
        #[inline(always)]
        pub fn vmul(self, b: Self) -> Self {
            F32x4(f32x4_mul(self.0, b.0))
        }
        #[inline(always)]
        pub fn vdiv(self, b: Self) -> Self {
            F32x4(f32x4_div(self.0, b.0))
        }
        #[inline(always)]
        pub fn vneg(self) -> Self {
            F32x4(f32x4_neg(self.0))
        }
        #[inline(always)]
        pub fn vabs(self) -> Self {
            F32x4(f32x4_abs(self.0))
        }
        #[inline(always)]
        pub fn vsqrt(self) -> Self {
            F32x4(f32x4_sqrt(self.0))
        }
        #[inline(always)]
        pub fn nearest(self) -> Self {
            F32x4(f32x4_nearest(self.0))
        }
        #[inline(always)]
        pub fn vmin(self, b: Self) -> Self {
            F32x4(f32x4_pmin(self.0, b.0))
        }
        #[inline(always)]
        pub fn vmax(self, b: Self) -> Self {
            F32x4(f32x4_pmax(self.0, b.0))
        }
        /// All-ones lanes where `self < b`.
        #[inline(always)]
        pub fn lt(self, b: Self) -> Self {
            F32x4(f32x4_lt(self.0, b.0))
        }
        #[inline(always)]
        pub fn eq(self, b: Self) -> Self {
            F32x4(f32x4_eq(self.0, b.0))
        }
        /// Lanes of `a` where `mask` is set, else lanes of `b`.
        #[inline(always)]
        pub fn select(mask: Self, a: Self, b: Self) -> Self {
            F32x4(v128_bitselect(a.0, b.0, mask.0))
        }
        /// Float → integer (truncating) kept in the same register as i32 lanes.
        #[inline(always)]
        pub fn to_i32_bits(self) -> Self {
            F32x4(i32x4_trunc_sat_f32x4(self.0))
        }
        /// i32 lanes → float.
        #[inline(always)]
        pub fn i32_to_f32(self) -> Self {
            F32x4(f32x4_convert_i32x4(self.0))
        }
        #[inline(always)]
        pub fn i32_add(self, c: i32) -> Self {
            F32x4(i32x4_add(self.0, i32x4_splat(c)))
        }
        #[inline(always)]
        pub fn i32_shl(self, s: u32) -> Self {
            F32x4(i32x4_shl(self.0, s))
        }
        #[inline(always)]
        pub fn u32_shr(self, s: u32) -> Self {
            F32x4(u32x4_shr(self.0, s))
        }
        #[inline(always)]
        pub fn bit_and(self, m: u32) -> Self {
            F32x4(v128_and(self.0, u32x4_splat(m)))
        }
        #[inline(always)]
        pub fn bit_or(self, m: u32) -> Self {
            F32x4(v128_or(self.0, u32x4_splat(m)))
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod lanes {
    #[derive(Clone, Copy)]
    pub struct F32x4(pub [f32; 4]);

    #[inline(always)]
    fn map(a: F32x4, f: impl Fn(f32) -> f32) -> F32x4 {
        F32x4([f(a.0[0]), f(a.0[1]), f(a.0[2]), f(a.0[3])])
    }
    #[inline(always)]
    fn zip(a: F32x4, b: F32x4, f: impl Fn(f32, f32) -> f32) -> F32x4 {
        F32x4([
            f(a.0[0], b.0[0]),
            f(a.0[1], b.0[1]),
            f(a.0[2], b.0[2]),
            f(a.0[3], b.0[3]),
        ])
    }
    #[inline(always)]
    fn bits(a: F32x4, f: impl Fn(u32) -> u32) -> F32x4 {
        map(a, |v| f32::from_bits(f(v.to_bits())))
    }
    #[inline(always)]
    fn mask(c: bool) -> f32 {
        f32::from_bits(if c { u32::MAX } else { 0 })
    }

    impl F32x4 {
        pub fn splat(c: f32) -> Self {
            F32x4([c; 4])
        }
        pub fn from_array(a: [f32; 4]) -> Self {
            F32x4(a)
        }
        pub fn to_array(self) -> [f32; 4] {
            self.0
        }
        pub fn load(s: &[f32]) -> Self {
            F32x4([s[0], s[1], s[2], s[3]])
        }
        pub fn store(self, out: &mut [f32]) {
            out[..4].copy_from_slice(&self.0);
        }
        pub fn to_i32(self) -> [i32; 4] {
            self.0.map(|x| x as i32)
        }
        pub fn pack_u8(v: [Self; 4]) -> [u8; 16] {
            let mut out = [0u8; 16];
            for (k, o) in out.iter_mut().enumerate() {
                *o = (v[k / 4].0[k % 4] as i32).clamp(0, 255) as u8;
            }
            out
        }
        pub fn vadd(self, b: Self) -> Self {
            zip(self, b, |x, y| x + y)
        }
        pub fn vsub(self, b: Self) -> Self {
            zip(self, b, |x, y| x - y)
        }
        pub fn vmul(self, b: Self) -> Self {
            zip(self, b, |x, y| x * y)
        }
        pub fn vdiv(self, b: Self) -> Self {
            zip(self, b, |x, y| x / y)
        }
        pub fn vneg(self) -> Self {
            map(self, |x| -x)
        }
        pub fn vabs(self) -> Self {
            map(self, f32::abs)
        }
        pub fn vsqrt(self) -> Self {
            map(self, f32::sqrt)
        }
        pub fn nearest(self) -> Self {
            map(self, f32::round_ties_even)
        }
        /// Like wasm's `pmin`: `b < a ? b : a`.
        pub fn vmin(self, b: Self) -> Self {
            zip(self, b, |x, y| if y < x { y } else { x })
        }
        /// Like wasm's `pmax`: `a < b ? b : a`.
        pub fn vmax(self, b: Self) -> Self {
            zip(self, b, |x, y| if x < y { y } else { x })
        }
        pub fn lt(self, b: Self) -> Self {
            zip(self, b, |x, y| mask(x < y))
        }
        pub fn eq(self, b: Self) -> Self {
            zip(self, b, |x, y| mask(x == y))
        }
        pub fn select(m: Self, a: Self, b: Self) -> Self {
            let mut out = [0f32; 4];
            for (i, o) in out.iter_mut().enumerate() {
                let mb = m.0[i].to_bits();
                *o = f32::from_bits((a.0[i].to_bits() & mb) | (b.0[i].to_bits() & !mb));
            }
            F32x4(out)
        }
        pub fn to_i32_bits(self) -> Self {
            map(self, |x| f32::from_bits((x as i32) as u32))
        }
        pub fn i32_to_f32(self) -> Self {
            map(self, |x| x.to_bits() as i32 as f32)
        }
        pub fn i32_add(self, c: i32) -> Self {
            bits(self, |b| (b as i32).wrapping_add(c) as u32)
        }
        pub fn i32_shl(self, s: u32) -> Self {
            bits(self, |b| b << s)
        }
        pub fn u32_shr(self, s: u32) -> Self {
            bits(self, |b| b >> s)
        }
        pub fn bit_and(self, m: u32) -> Self {
            bits(self, |b| b & m)
        }
        pub fn bit_or(self, m: u32) -> Self {
            bits(self, |b| b | m)
        }
    }
}

pub use lanes::F32x4;

const INV_TWO_PI: f32 = 0.159_154_94;
const TWO_PI: f32 = 6.283_185_5;
const LN_2: f32 = core::f32::consts::LN_2;
const LOG2_E: f32 = core::f32::consts::LOG2_E;

impl F32x4 {
    /// sin(2π w) for |w| ≤ 1/4 by its Taylor polynomial (error < 1e-9 before rounding).
    #[inline(always)]
    fn sin_2pi_quarter(w: Self) -> Self {
        let u = w.vmul(Self::splat(TWO_PI));
        let z = u.vmul(u);
        let c = |k: f32| Self::splat(k);
        let p = c(1.0 / 6_227_020_800.0);
        let p = p.vmul(z).vsub(c(1.0 / 39_916_800.0));
        let p = p.vmul(z).vadd(c(1.0 / 362_880.0));
        let p = p.vmul(z).vsub(c(1.0 / 5040.0));
        let p = p.vmul(z).vadd(c(1.0 / 120.0));
        let p = p.vmul(z).vsub(c(1.0 / 6.0));
        let p = p.vmul(z).vadd(c(1.0));
        u.vmul(p)
    }

    /// cos(2π t): reduce t to r ∈ [−½, ½] periods, then cos(2π r) = sin(2π(¼ − |r|)).
    #[inline(always)]
    fn cos_turns(t: Self) -> Self {
        let r = t.vsub(t.nearest());
        Self::sin_2pi_quarter(Self::splat(0.25).vsub(r.vabs()))
    }

    fn exp_impl(self) -> Self {
        let x = self.vmax(Self::splat(-87.0)).vmin(Self::splat(88.0));
        let k = x.vmul(Self::splat(LOG2_E)).nearest();
        // Cody–Waite: u = x − k ln 2 with ln 2 split in two so the reduction is exact.
        let u = x
            .vsub(k.vmul(Self::splat(0.693_359_4)))
            .vsub(k.vmul(Self::splat(-2.121_944_4e-4))); // |u| ≤ ln2/2
        let c = |k: f32| Self::splat(k);
        let p = c(1.0 / 5040.0);
        let p = p.vmul(u).vadd(c(1.0 / 720.0));
        let p = p.vmul(u).vadd(c(1.0 / 120.0));
        let p = p.vmul(u).vadd(c(1.0 / 24.0));
        let p = p.vmul(u).vadd(c(1.0 / 6.0));
        let p = p.vmul(u).vadd(c(0.5));
        let p = p.vmul(u).vadd(c(1.0));
        let p = p.vmul(u).vadd(c(1.0));
        // 2^k built in the exponent bits.
        let scale = k.to_i32_bits().i32_add(127).i32_shl(23);
        let e = p.vmul(scale);
        // NaN stays NaN.
        Self::select(self.eq(self), e, self)
    }

    /// tanh x as Eigen's 13/6 rational interpolant x·p(x²)/q(x²) for |x| ≤ 7.9053, its
    /// edge value up to 9.01 and ±1 beyond: ≤ 6 ulp everywhere, relative accuracy kept near 0, NaN → NaN.
    #[inline(always)]
    pub fn tanh_impl(self) -> Self {
        let c = |k: f32| Self::splat(k);
        // The interpolant rises past 1 beyond 7.9053 (Eigen's later clamp).
        const EDGE: f32 = 7.905_311;
        let x = self.vmax(c(-EDGE)).vmin(c(EDGE));
        let x2 = x.vmul(x);
        let p = c(-2.760_768_5e-16);
        let p = p.vmul(x2).vadd(c(2.000_188e-13));
        let p = p.vmul(x2).vadd(c(-8.604_672e-11));
        let p = p.vmul(x2).vadd(c(5.122_297e-8));
        let p = p.vmul(x2).vadd(c(1.485_722_4e-5));
        let p = p.vmul(x2).vadd(c(6.372_619e-4));
        let p = p.vmul(x2).vadd(c(4.893_524_6e-3));
        let q = c(1.198_258_4e-6);
        let q = q.vmul(x2).vadd(c(1.185_347_1e-4));
        let q = q.vmul(x2).vadd(c(2.268_434_6e-3));
        let q = q.vmul(x2).vadd(c(4.893_525e-3));
        let t = x.vmul(p).vdiv(q);
        // Past the edge tanh lies in [1 − 2.7e−7, 1]: the value at the edge (0.99999994) is
        // within 4 ulp up to 9.01, where tanh rounds to ±1 in f32.
        let one = c(1.0);
        let sat = Self::select(self.lt(c(0.0)), one.vneg(), one);
        let t = Self::select(c(9.01).lt(self.vabs()), sat, t);
        Self::select(self.eq(self), t, self)
    }

    /// σ(x) = 1/(1 + e^{−x}) for x ≥ 0 and e^{x}/(1 + e^{x}) below, both from e = e^{−|x|}, so
    /// tiny values keep their relative accuracy (what σ′ = σ(1 − σ) of a saturated unit needs).
    /// Below −87 the result stays at e^{−87} ≈ 1.6e−38 instead of going subnormal.
    #[inline(always)]
    pub fn sigmoid_impl(self) -> Self {
        let one = Self::splat(1.0);
        let e = self.vabs().vneg().exp_impl();
        let s = one.vdiv(one.vadd(e));
        Self::select(self.lt(Self::splat(0.0)), e.vmul(s), s)
    }

    /// out[i] = f(z[i]) four lanes at a time (the tail padded).
    #[inline(always)]
    pub fn map_slice(z: &[f32], out: &mut [f32], f: impl Fn(Self) -> Self) {
        let n = z.len().min(out.len());
        let whole = n - n % 4;
        for (zc, oc) in z[..whole]
            .chunks_exact(4)
            .zip(out[..whole].chunks_exact_mut(4))
        {
            f(Self::load(zc)).store(oc);
        }
        if whole < n {
            let mut buf = [0.0f32; 4];
            buf[..n - whole].copy_from_slice(&z[whole..n]);
            let r = f(Self::load(&buf)).to_array();
            out[whole..n].copy_from_slice(&r[..n - whole]);
        }
    }

    fn ln_impl(self) -> Self {
        let r = self.ln_positive();
        // Special values: ln 0 = −∞, ln(x<0) = NaN, ln ∞ = ∞, NaN → NaN.
        let c = |k: f32| Self::splat(k);
        let zero = c(0.0);
        let r = Self::select(self.eq(c(f32::INFINITY)), self, r);
        let r = Self::select(zero.lt(self), r, c(f32::NAN));
        let r = Self::select(self.eq(zero), c(f32::NEG_INFINITY), r);
        Self::select(self.eq(self), r, self)
    }

    /// ln x for finite positive normal x (no special-value handling: the heatmap's inner loop).
    #[inline(always)]
    pub fn ln_positive(self) -> Self {
        // x = m · 2^e with m ∈ [√½, √2): ln x = e ln 2 + 2 atanh((m−1)/(m+1)).
        let e = self.u32_shr(23).bit_and(0xff).i32_add(-127);
        let m = self.bit_and(0x007f_ffff).bit_or(0x3f80_0000);
        let big = Self::splat(core::f32::consts::SQRT_2).lt(m);
        let m = Self::select(big, m.vmul(Self::splat(0.5)), m);
        let e = Self::select(big, e.i32_add(1), e).i32_to_f32();
        let s = m.vsub(Self::splat(1.0)).vdiv(m.vadd(Self::splat(1.0)));
        let z = s.vmul(s);
        let c = |k: f32| Self::splat(k);
        let p = c(1.0 / 9.0);
        let p = p.vmul(z).vadd(c(1.0 / 7.0));
        let p = p.vmul(z).vadd(c(1.0 / 5.0));
        let p = p.vmul(z).vadd(c(1.0 / 3.0));
        let p = p.vmul(z).vadd(c(1.0));
        e.vmul(c(LN_2)).vadd(c(2.0).vmul(s).vmul(p))
    }
}

impl Add for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn add(self, b: Self) -> Self {
        self.vadd(b)
    }
}
impl Sub for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn sub(self, b: Self) -> Self {
        self.vsub(b)
    }
}
impl Mul for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn mul(self, b: Self) -> Self {
        self.vmul(b)
    }
}
impl Div for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn div(self, b: Self) -> Self {
        self.vdiv(b)
    }
}
impl Neg for F32x4 {
    type Output = Self;
    #[inline(always)]
    fn neg(self) -> Self {
        self.vneg()
    }
}

impl Real for F32x4 {
    #[inline(always)]
    fn cst(c: f64) -> Self {
        Self::splat(c as f32)
    }
    #[inline(always)]
    fn sin(self) -> Self {
        Self::cos_turns(self.vmul(Self::splat(INV_TWO_PI)).vsub(Self::splat(0.25)))
    }
    #[inline(always)]
    fn cos(self) -> Self {
        Self::cos_turns(self.vmul(Self::splat(INV_TWO_PI)))
    }
    fn tan(self) -> Self {
        self.sin() / self.cos()
    }
    #[inline(always)]
    fn exp(self) -> Self {
        self.exp_impl()
    }
    #[inline(always)]
    fn ln(self) -> Self {
        self.ln_impl()
    }
    #[inline(always)]
    fn sqrt(self) -> Self {
        self.vsqrt()
    }
    #[inline(always)]
    fn abs(self) -> Self {
        self.vabs()
    }
    #[inline(always)]
    fn tanh(self) -> Self {
        self.tanh_impl()
    }
    #[inline(always)]
    fn powi(self, n: i32) -> Self {
        let mut base = self;
        let mut k = n.unsigned_abs();
        let mut acc = Self::splat(1.0);
        while k > 0 {
            if k & 1 == 1 {
                acc = acc * base;
            }
            base = base * base;
            k >>= 1;
        }
        if n < 0 {
            Self::splat(1.0) / acc
        } else {
            acc
        }
    }
    fn powf(self, p: f64) -> Self {
        (Self::splat(p as f32) * self.ln()).exp()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn check(name: &str, f: impl Fn(F32x4) -> F32x4, g: impl Fn(f64) -> f64, xs: &[f64], tol: f64) {
        for &x in xs {
            let got = f(F32x4::splat(x as f32)).to_array()[0] as f64;
            let want = g(x as f32 as f64);
            let err = (got - want).abs() / want.abs().max(1.0);
            assert!(err <= tol, "{name}({x}) = {got}, want {want} (err {err:e})");
        }
    }

    fn sweep(lo: f64, hi: f64, n: usize) -> Vec<f64> {
        (0..=n)
            .map(|i| lo + (hi - lo) * i as f64 / n as f64)
            .collect()
    }

    #[test]
    fn transcendentals_are_accurate_to_f32_level() {
        let xs = sweep(-40.0, 40.0, 4001);
        check("cos", |v| v.cos(), f64::cos, &xs, 4e-6);
        check("sin", |v| v.sin(), f64::sin, &xs, 4e-6);
        check(
            "exp",
            |v| v.exp(),
            f64::exp,
            &sweep(-80.0, 80.0, 4001),
            2e-6,
        );
        check("tanh", |v| v.tanh(), f64::tanh, &xs, 2e-6);
        check("ln", |v| v.ln(), f64::ln, &sweep(1e-6, 1e4, 4001), 2e-6);
        check("sqrt", |v| v.sqrt(), f64::sqrt, &sweep(0.0, 1e4, 101), 1e-7);
        check(
            "powi",
            |v| v.powi(-3),
            |x| x.powi(-3),
            &sweep(0.5, 3.0, 101),
            1e-6,
        );
    }

    /// Distance in units in the last place of f32 between `got` and the f64 value `want`.
    fn ulps(got: f32, want: f64) -> f64 {
        let w = want as f32;
        let ulp = (f32::from_bits(w.abs().to_bits() + 1) - w.abs()) as f64;
        (got as f64 - want).abs() / ulp
    }

    /// The network activations' f32 kernels, over every float in a dense log-spaced sweep of both
    /// signs (tiny to saturated), against f64: tanh within 6 ulp, σ within 3 ulp (relative, also
    /// for σ(−80) ≈ 1.8e−35), both exactly odd/complementary where they should be, NaN → NaN.
    #[test]
    fn activation_kernels_are_within_a_few_ulp() {
        let mut xs = vec![0.0f32, 9.0, -9.0, 20.0, -20.0, 87.0, -87.0];
        let mut x = 1e-30f32;
        while x < 100.0 {
            xs.push(x);
            xs.push(-x);
            x *= 1.0007;
        }
        let (mut worst_t, mut worst_s) = (0.0f64, 0.0f64);
        for &x in &xs {
            let t = F32x4::splat(x).tanh_impl().to_array()[0];
            let e = ulps(t, (x as f64).tanh());
            worst_t = worst_t.max(e);
            assert!(e <= 6.0, "tanh({x:e}) = {t:e}: {e} ulp");
            if x < -87.0 {
                continue; // documented clamp at e^{−87}
            }
            let s = F32x4::splat(x).sigmoid_impl().to_array()[0];
            let want = 1.0 / (1.0 + (-(x as f64)).exp());
            let e = ulps(s, want);
            worst_s = worst_s.max(e);
            assert!(e <= 3.0, "sigmoid({x:e}) = {s:e}, want {want:e}: {e} ulp");
        }
        eprintln!("tanh worst {worst_t} ulp, sigmoid worst {worst_s} ulp");
        let nan = F32x4::splat(f32::NAN);
        assert!(nan.tanh_impl().to_array()[0].is_nan());
        assert!(nan.sigmoid_impl().to_array()[0].is_nan());
        assert_eq!(F32x4::splat(f32::INFINITY).tanh_impl().to_array()[0], 1.0);
        assert_eq!(
            F32x4::splat(f32::NEG_INFINITY).tanh_impl().to_array()[0],
            -1.0
        );
        // Slices of every length (the tail is padded, not read past).
        for n in 0..11 {
            let z: Vec<f32> = (0..n).map(|i| i as f32 - 4.0).collect();
            let mut h = vec![7.0f32; n + 1];
            F32x4::map_slice(&z, &mut h[..n], F32x4::tanh_impl);
            for i in 0..n {
                assert!(ulps(h[i], (z[i] as f64).tanh()) <= 6.0);
            }
            assert_eq!(h[n], 7.0);
        }
    }

    #[test]
    fn pack_truncates_and_saturates() {
        let v = [
            F32x4::from_array([0.0, 1.9, 255.0, 300.0]),
            F32x4::from_array([-5.0, 17.5, 128.2, 254.99]),
            F32x4::splat(3.0),
            F32x4::from_array([f32::NAN, 1e9, 0.5, 64.0]),
        ];
        let p = F32x4::pack_u8(v);
        assert_eq!(
            p,
            [0, 1, 255, 255, 0, 17, 128, 254, 3, 3, 3, 3, 0, 255, 0, 64]
        );
    }

    #[test]
    fn ln_special_values() {
        let v = F32x4::from_array([0.0, -1.0, f32::INFINITY, f32::NAN])
            .ln()
            .to_array();
        assert_eq!(v[0], f32::NEG_INFINITY);
        assert!(v[1].is_nan());
        assert_eq!(v[2], f32::INFINITY);
        assert!(v[3].is_nan());
    }
}
