//! Matrix products for dense layers, in all three orientations a layer needs (row-major,
//! W stored [out][in] like torch):
//!
//! - forward          Z = X·Wᵀ     ([`matmul_nt`]: B×I times (O×I)ᵀ),
//! - weight gradient  ∂W = ∂Zᵀ·X   ([`matmul_tn`]: (B×O)ᵀ times B×I),
//! - input gradient   ∂X = ∂Z·W    ([`matmul_nn`]: B×O times O×I).
//!
//! One GEMM serves all three (the BLIS/Goto structure): operands are strided views, blocks of A
//! (MC×KC) and B (KC×NC) are packed into contiguous MR-row and NR-column panels — which is where
//! the transposition is absorbed, so every orientation runs the same micro-kernel at the same
//! speed — and an MR×NR micro-kernel accumulates a register tile over KC. In wasm with SIMD128
//! the f32 micro-kernel is hand-written with `f32x4` (8 accumulators, `v128.load32_splat` for A,
//! two `v128.load` for B; SIMD128 has no FMA, so mul + add); everywhere else (native, and f64) a
//! portable kernel over fixed-size arrays that the compiler vectorizes.
//!
//! Buffers live in a [`Workspace`] that only grows, so training allocates nothing per step.

#![allow(clippy::too_many_arguments)]

use crate::optim::Scalar;

/// Rows of the register tile.
pub const MR: usize = 4;
/// Columns of the register tile (two f32x4).
pub const NR: usize = 8;
const KC: usize = 256;
const MC: usize = 120;
const NC: usize = 2048;

/// A float the network runs in: [`Scalar`] plus its GEMM micro-kernel.
pub trait Float: Scalar + Send + Sync {
    /// C[0..mr, 0..nr] (=|+=) Σ_p a[p·MR + i]·b[p·NR + j], with a, b packed panels of kc steps
    /// and C row-major with row stride `ldc` (c starts at the tile's corner).
    fn micro(
        kc: usize,
        a: &[Self],
        b: &[Self],
        c: &mut [Self],
        ldc: usize,
        mr: usize,
        nr: usize,
        acc: bool,
    ) {
        micro_portable(kc, a, b, c, ldc, mr, nr, acc)
    }
    /// Pack `w` whole lines of depth-contiguous data (line i, depth p at `m[base + i·ls + p]`)
    /// into `dst[p·w + i]` for p < kc, if this float has a fast way (f32 in wasm: 4×4 SIMD
    /// transposes); false leaves it to the portable loop.
    fn pack_lines(
        _m: &[Self],
        _ls: usize,
        _base: usize,
        _w: usize,
        _kc: usize,
        _dst: &mut [Self],
    ) -> bool {
        false
    }
}

impl Float for f64 {}

impl Float for f32 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[inline]
    fn micro(
        kc: usize,
        a: &[f32],
        b: &[f32],
        c: &mut [f32],
        ldc: usize,
        mr: usize,
        nr: usize,
        acc: bool,
    ) {
        simd::micro(kc, a, b, c, ldc, mr, nr, acc)
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    fn pack_lines(m: &[f32], ls: usize, base: usize, w: usize, kc: usize, dst: &mut [f32]) -> bool {
        simd::pack_lines(m, ls, base, w, kc, dst)
    }
}

#[inline(always)]
fn write_tile<F: Scalar>(
    t: &[[F; NR]; MR],
    c: &mut [F],
    ldc: usize,
    mr: usize,
    nr: usize,
    acc: bool,
) {
    for (i, row) in t.iter().enumerate().take(mr) {
        let Some(dst) = c.get_mut(i * ldc..i * ldc + nr) else {
            return;
        };
        if acc {
            dst.iter_mut().zip(row).for_each(|(d, &v)| *d = *d + v);
        } else {
            dst.copy_from_slice(&row[..nr]);
        }
    }
}

fn micro_portable<F: Scalar>(
    kc: usize,
    a: &[F],
    b: &[F],
    c: &mut [F],
    ldc: usize,
    mr: usize,
    nr: usize,
    acc: bool,
) {
    let mut t = [[F::zero(); NR]; MR];
    for (ap, bp) in a.chunks_exact(MR).zip(b.chunks_exact(NR)).take(kc) {
        for (ti, &ai) in t.iter_mut().zip(ap) {
            for (tij, &bj) in ti.iter_mut().zip(bp) {
                *tij = *tij + ai * bj;
            }
        }
    }
    write_tile(&t, c, ldc, mr, nr, acc);
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use super::{write_tile, MR, NR};
    use core::arch::wasm32::*;

    #[cfg(not(target_feature = "relaxed-simd"))]
    #[inline(always)]
    fn madd(acc: v128, a: v128, b: v128) -> v128 {
        f32x4_add(acc, f32x4_mul(a, b))
    }
    #[cfg(target_feature = "relaxed-simd")]
    #[inline(always)]
    fn madd(acc: v128, a: v128, b: v128) -> v128 {
        f32x4_relaxed_madd(a, b, acc)
    }

    /// 4×4 transpose of the rows a, b, c, d into its columns.
    #[inline(always)]
    fn transpose(a: v128, b: v128, c: v128, d: v128) -> [v128; 4] {
        let t0 = i32x4_shuffle::<0, 4, 1, 5>(a, b);
        let t1 = i32x4_shuffle::<0, 4, 1, 5>(c, d);
        let t2 = i32x4_shuffle::<2, 6, 3, 7>(a, b);
        let t3 = i32x4_shuffle::<2, 6, 3, 7>(c, d);
        [
            i32x4_shuffle::<0, 1, 4, 5>(t0, t1),
            i32x4_shuffle::<2, 3, 6, 7>(t0, t1),
            i32x4_shuffle::<0, 1, 4, 5>(t2, t3),
            i32x4_shuffle::<2, 3, 6, 7>(t2, t3),
        ]
    }

    /// See [`super::Float::pack_lines`]: w ∈ {4, 8} lines, four depth steps per transpose.
    pub fn pack_lines(
        m: &[f32],
        ls: usize,
        base: usize,
        w: usize,
        kc: usize,
        dst: &mut [f32],
    ) -> bool {
        let fits = (w - 1)
            .checked_mul(ls)
            .and_then(|o| o.checked_add(base + kc))
            .is_some_and(|end| end <= m.len());
        if !(w == 4 || w == 8) || !fits || dst.len() < kc * w {
            return false;
        }
        let k4 = kc - kc % 4;
        // SAFETY: line i reads m[base + i·ls .. base + i·ls + kc] with i < w, inside m (checked);
        // stores go to dst[p·w + g·4 .. + 4] with p < kc, g < w/4, inside dst (checked).
        unsafe {
            let (mp, dp) = (m.as_ptr().add(base), dst.as_mut_ptr());
            for g in 0..w / 4 {
                let r = |q: usize| mp.add((g * 4 + q) * ls);
                let (r0, r1, r2, r3) = (r(0), r(1), r(2), r(3));
                let mut p = 0;
                while p < k4 {
                    let cols = transpose(
                        v128_load(r0.add(p) as *const v128),
                        v128_load(r1.add(p) as *const v128),
                        v128_load(r2.add(p) as *const v128),
                        v128_load(r3.add(p) as *const v128),
                    );
                    for (t, col) in cols.into_iter().enumerate() {
                        v128_store(dp.add((p + t) * w + g * 4) as *mut v128, col);
                    }
                    p += 4;
                }
            }
        }
        for p in k4..kc {
            for i in 0..w {
                dst[p * w + i] = m[base + i * ls + p];
            }
        }
        true
    }

    pub fn micro(
        kc: usize,
        a: &[f32],
        b: &[f32],
        c: &mut [f32],
        ldc: usize,
        mr: usize,
        nr: usize,
        acc: bool,
    ) {
        if a.len() < kc * MR || b.len() < kc * NR {
            return;
        }
        let z = f32x4_splat(0.0);
        let mut t = [[z; 2]; MR];
        let (mut ap, mut bp) = (a.as_ptr(), b.as_ptr());
        // SAFETY: a holds kc·MR and b kc·NR floats (checked above); wasm loads may be unaligned.
        unsafe {
            for _ in 0..kc {
                let b0 = v128_load(bp as *const v128);
                let b1 = v128_load(bp.add(4) as *const v128);
                for (i, ti) in t.iter_mut().enumerate() {
                    let ai = v128_load32_splat(ap.add(i) as *const u32);
                    ti[0] = madd(ti[0], ai, b0);
                    ti[1] = madd(ti[1], ai, b1);
                }
                ap = ap.add(MR);
                bp = bp.add(NR);
            }
        }
        if mr == MR && nr == NR && c.len() >= (MR - 1) * ldc + NR {
            let cp = c.as_mut_ptr();
            for (i, [r0, r1]) in t.into_iter().enumerate() {
                // SAFETY: row i spans c[i·ldc .. i·ldc + 8], inside c (checked above).
                unsafe {
                    let d = cp.add(i * ldc);
                    let (mut r0, mut r1) = (r0, r1);
                    if acc {
                        r0 = f32x4_add(r0, v128_load(d as *const v128));
                        r1 = f32x4_add(r1, v128_load(d.add(4) as *const v128));
                    }
                    v128_store(d as *mut v128, r0);
                    v128_store(d.add(4) as *mut v128, r1);
                }
            }
        } else {
            let mut tile = [[0f32; NR]; MR];
            for (ti, [r0, r1]) in tile.iter_mut().zip(t) {
                // SAFETY: ti has 8 floats.
                unsafe {
                    v128_store(ti.as_mut_ptr() as *mut v128, r0);
                    v128_store(ti.as_mut_ptr().add(4) as *mut v128, r1);
                }
            }
            write_tile(&tile, c, ldc, mr, nr, acc);
        }
    }
}

/// A strided read-only matrix: element (i, j) at `data[i·rs + j·cs]`.
#[derive(Clone, Copy, Debug)]
pub struct Mat<'a, F> {
    pub data: &'a [F],
    pub rs: usize,
    pub cs: usize,
}

/// Packing buffers, reused across calls.
#[derive(Clone, Debug, Default)]
pub struct Workspace<F> {
    a: Vec<F>,
    b: Vec<F>,
}

fn grow<F: Scalar>(v: &mut Vec<F>, n: usize) {
    if v.len() < n {
        v.resize(n, F::zero());
    }
}

/// Pack lines [l0, l0 + count) × depth [p0, p0 + kc) of `m` (line i, depth p at
/// `data[i·ls + p·ds]`) into W-line panels, depth-major inside a panel, zero-padded.
fn pack_panels<F: Float, const W: usize>(
    m: &[F],
    ls: usize,
    ds: usize,
    l0: usize,
    count: usize,
    p0: usize,
    kc: usize,
    out: &mut [F],
) {
    for (panel, dst) in out
        .chunks_exact_mut(kc * W)
        .take(count.div_ceil(W))
        .enumerate()
    {
        let r0 = l0 + panel * W;
        let lines = W.min(l0 + count - r0);
        if ls == 1 && lines == W {
            // The W values of one depth step are contiguous (e.g. ∂Zᵀ for A, W for B).
            for (p, d) in dst.chunks_exact_mut(W).enumerate() {
                let s = (p0 + p) * ds + r0;
                d.copy_from_slice(&m[s..s + W]);
            }
        } else if ds == 1 && lines == W && F::pack_lines(m, ls, r0 * ls + p0, W, kc, dst) {
        } else {
            // Iterators rather than indices: no bounds check per element (what dominates the
            // packing of small matrices in wasm).
            for i in 0..W {
                let col = dst.iter_mut().skip(i).step_by(W);
                let base = (r0 + i) * ls + p0 * ds;
                match m.get(base..) {
                    Some(src) if i < lines && ds == 1 => col
                        .zip(&src[..kc.min(src.len())])
                        .for_each(|(d, &v)| *d = v),
                    Some(src) if i < lines => {
                        col.zip(src.iter().step_by(ds)).for_each(|(d, &v)| *d = v)
                    }
                    _ => col.for_each(|d| *d = F::zero()),
                }
            }
        }
    }
}

/// Pack rows [i0, i0 + mc) × depth [p0, p0 + kc) of A into MR-row panels.
fn pack_a<F: Float>(a: Mat<F>, i0: usize, mc: usize, p0: usize, kc: usize, out: &mut [F]) {
    pack_panels::<F, MR>(a.data, a.rs, a.cs, i0, mc, p0, kc, out);
}

/// Pack depth [p0, p0 + kc) × columns [j0, j0 + nc) of B into NR-column panels (B's columns are
/// the lines: the same packing as A's rows, on Bᵀ).
fn pack_b<F: Float>(b: Mat<F>, p0: usize, kc: usize, j0: usize, nc: usize, out: &mut [F]) {
    pack_panels::<F, NR>(b.data, b.cs, b.rs, j0, nc, p0, kc, out);
}

fn fits<F>(m: &Mat<F>, rows: usize, cols: usize) -> bool {
    rows == 0
        || cols == 0
        || (rows - 1)
            .checked_mul(m.rs)
            .and_then(|r| (cols - 1).checked_mul(m.cs).and_then(|c| r.checked_add(c)))
            .is_some_and(|last| last < m.data.len())
}

/// C (m×n, row stride ldc) = A (m×k) · B (k×n), or C += A·B when `accumulate`.
/// Shapes that do not fit their slices leave C untouched (the callers size them; this keeps the
/// engine panic-free).
pub fn gemm<F: Float>(
    m: usize,
    n: usize,
    k: usize,
    a: Mat<F>,
    b: Mat<F>,
    c: &mut [F],
    ldc: usize,
    accumulate: bool,
    ws: &mut Workspace<F>,
) {
    if m == 0 || n == 0 {
        return;
    }
    let c_ok = ldc >= n && (m - 1).checked_mul(ldc).is_some_and(|r| r + n <= c.len());
    if !c_ok || !fits(&a, m, k) || !fits(&b, k, n) {
        debug_assert!(false, "gemm: shapes do not fit");
        return;
    }
    if k == 0 {
        if !accumulate {
            for i in 0..m {
                c[i * ldc..i * ldc + n].fill(F::zero());
            }
        }
        return;
    }
    // Equal depth blocks of at most KC (784 → 4 × 196 rather than 3 × 256 + 16).
    let kc_max = k.div_ceil(k.div_ceil(KC));
    grow(&mut ws.a, MC.min(m).div_ceil(MR) * MR * kc_max);
    grow(&mut ws.b, NC.min(n).div_ceil(NR) * NR * kc_max);
    let Workspace { a: pa, b: pb } = ws;
    for jc in (0..n).step_by(NC) {
        let nc = NC.min(n - jc);
        for pc in (0..k).step_by(kc_max) {
            let kc = kc_max.min(k - pc);
            let acc = accumulate || pc > 0;
            pack_b(b, pc, kc, jc, nc, pb);
            for ic in (0..m).step_by(MC) {
                let mc = MC.min(m - ic);
                pack_a(a, ic, mc, pc, kc, pa);
                for jr in 0..nc.div_ceil(NR) {
                    let bp = &pb[jr * kc * NR..(jr + 1) * kc * NR];
                    let j = jc + jr * NR;
                    let nr = NR.min(n - j);
                    for ir in 0..mc.div_ceil(MR) {
                        let ap = &pa[ir * kc * MR..(ir + 1) * kc * MR];
                        let i = ic + ir * MR;
                        let mr = MR.min(m - i);
                        F::micro(kc, ap, bp, &mut c[i * ldc + j..], ldc, mr, nr, acc);
                    }
                }
            }
        }
    }
}

/// Forward: C (m×n) = A (m×k) · Bᵀ with B stored n×k (Z = X·Wᵀ).
pub fn matmul_nt<F: Float>(
    m: usize,
    n: usize,
    k: usize,
    a: &[F],
    b: &[F],
    c: &mut [F],
    ws: &mut Workspace<F>,
) {
    let a = Mat {
        data: a,
        rs: k,
        cs: 1,
    };
    let b = Mat {
        data: b,
        rs: 1,
        cs: k,
    };
    gemm(m, n, k, a, b, c, n, false, ws);
}

/// Weight gradient: C (m×n) = Aᵀ · B with A stored k×m and B stored k×n (∂W = ∂Zᵀ·X).
pub fn matmul_tn<F: Float>(
    m: usize,
    n: usize,
    k: usize,
    a: &[F],
    b: &[F],
    c: &mut [F],
    ws: &mut Workspace<F>,
) {
    let a = Mat {
        data: a,
        rs: 1,
        cs: m,
    };
    let b = Mat {
        data: b,
        rs: n,
        cs: 1,
    };
    gemm(m, n, k, a, b, c, n, false, ws);
}

/// Input gradient: C (m×n) = A (m×k) · B (k×n) (∂X = ∂Z·W).
pub fn matmul_nn<F: Float>(
    m: usize,
    n: usize,
    k: usize,
    a: &[F],
    b: &[F],
    c: &mut [F],
    ws: &mut Workspace<F>,
) {
    let a = Mat {
        data: a,
        rs: k,
        cs: 1,
    };
    let b = Mat {
        data: b,
        rs: n,
        cs: 1,
    };
    gemm(m, n, k, a, b, c, n, false, ws);
}

/// The product every test compares with: plain triple loop in f64.
pub fn naive(m: usize, n: usize, k: usize, a: Mat<f64>, b: Mat<f64>) -> Vec<f64> {
    let mut c = vec![0.0; m * n];
    for i in 0..m {
        for j in 0..n {
            c[i * n + j] = (0..k)
                .map(|p| a.data[i * a.rs + p * a.cs] * b.data[p * b.rs + j * b.cs])
                .sum();
        }
    }
    c
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::nn::rng::Rng;

    #[test]
    fn all_orientations_and_edge_sizes_match_the_triple_loop() {
        let mut r = Rng::new(1);
        let mut ws32 = Workspace::<f32>::default();
        let mut ws64 = Workspace::<f64>::default();
        for &(m, n, k) in &[
            (1, 1, 1),
            (3, 5, 2),
            (4, 8, 7),
            (33, 17, 300),
            (130, 9, 5),
            (7, 2100, 3),
            (256, 64, 64),
        ] {
            let x: Vec<f64> = (0..m * k).map(|_| r.normal()).collect(); // m×k
            let w: Vec<f64> = (0..n * k).map(|_| r.normal()).collect(); // n×k
            let want = naive(
                m,
                n,
                k,
                Mat {
                    data: &x,
                    rs: k,
                    cs: 1,
                },
                Mat {
                    data: &w,
                    rs: 1,
                    cs: k,
                },
            );
            let mut c = vec![0.0; m * n];
            matmul_nt(m, n, k, &x, &w, &mut c, &mut ws64);
            let err = c
                .iter()
                .zip(&want)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            assert!(err < 1e-12 * k as f64, "nt f64 {m}×{n}×{k}: {err}");
            let (x32, w32): (Vec<f32>, Vec<f32>) = (
                x.iter().map(|&v| v as f32).collect(),
                w.iter().map(|&v| v as f32).collect(),
            );
            let mut c32 = vec![0f32; m * n];
            matmul_nt(m, n, k, &x32, &w32, &mut c32, &mut ws32);
            let err = c32
                .iter()
                .zip(&want)
                .map(|(a, b)| (*a as f64 - b).abs())
                .fold(0.0, f64::max);
            assert!(err < 1e-5 * k as f64, "nt f32 {m}×{n}×{k}: {err}");
            // tn: (k×m)ᵀ (k×n): reuse x as k×m? Build fresh operands.
            let a: Vec<f64> = (0..k * m).map(|_| r.normal()).collect();
            let b: Vec<f64> = (0..k * n).map(|_| r.normal()).collect();
            let want = naive(
                m,
                n,
                k,
                Mat {
                    data: &a,
                    rs: 1,
                    cs: m,
                },
                Mat {
                    data: &b,
                    rs: n,
                    cs: 1,
                },
            );
            matmul_tn(m, n, k, &a, &b, &mut c, &mut ws64);
            let err = c
                .iter()
                .zip(&want)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            assert!(err < 1e-12 * k as f64, "tn {m}×{n}×{k}: {err}");
            let want = naive(
                m,
                n,
                k,
                Mat {
                    data: &x,
                    rs: k,
                    cs: 1,
                },
                Mat {
                    data: &b,
                    rs: n,
                    cs: 1,
                },
            );
            matmul_nn(m, n, k, &x, &b, &mut c, &mut ws64);
            let err = c
                .iter()
                .zip(&want)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            assert!(err < 1e-12 * k as f64, "nn {m}×{n}×{k}: {err}");
        }
    }
}
