//! Grid sampling and heatmap rendering (colour map + contour lines), four points per SIMD
//! lane group. Buffers live in a reusable [`Canvas`] so JS can read them through views of wasm
//! memory without copies.

use super::builtin::Specialized;
use super::{Landscape, Scale};
use crate::real::Real;
use crate::simd::F32x4;

/// Largest grid side accepted (pixels).
pub const MAX_SIDE: usize = 4096;

/// The rectangle [x0, x1] × [y0, y1] sampled by a grid.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
}

/// Fill `out` (row-major, `nx * ny`) with f at x_i = x0 + i (x1 − x0)/(nx − 1) and
/// y_j = y0 + j (y1 − y0)/(ny − 1) when `top_down` is false; with `top_down` row 0 is y1
/// (image order). Returns the (min, max) of the finite values, or None if none is finite.
pub fn sample(
    l: &Landscape,
    nx: usize,
    ny: usize,
    r: Rect,
    top_down: bool,
    out: &mut Vec<f32>,
) -> Option<(f32, f32)> {
    out.clear();
    out.resize(nx * ny, 0.0);
    if nx == 0 || ny == 0 {
        return None;
    }
    let job = Fill {
        nx,
        r,
        top_down,
        out,
    };
    match l {
        Landscape::Builtin(b) => b.specialize(job),
        Landscape::Expression(e) => job.run(|x, y| e.eval(x, y)),
        Landscape::Data(d) => job.run(|x, y| d.eval(x, y)),
    }
}

struct Fill<'a> {
    nx: usize,
    r: Rect,
    top_down: bool,
    out: &'a mut [f32],
}

impl Specialized<F32x4, Option<(f32, f32)>> for Fill<'_> {
    #[inline(always)]
    fn run(self, f: impl Fn(F32x4, F32x4) -> F32x4) -> Option<(f32, f32)> {
        let Fill {
            nx,
            r,
            top_down,
            out,
        } = self;
        let ny = out.len() / nx.max(1);
        let dx = if nx > 1 {
            (r.x1 - r.x0) / (nx - 1) as f64
        } else {
            0.0
        };
        let dy = if ny > 1 {
            (r.y1 - r.y0) / (ny - 1) as f64
        } else {
            0.0
        };
        let inf = F32x4::splat(f32::INFINITY);
        let (mut lo, mut hi) = (inf, -inf);
        // x coordinates of each group of four columns, computed once (the last group is padded
        // with the last column).
        let xs: Vec<F32x4> = (0..nx.div_ceil(4))
            .map(|g| {
                let mut a = [0f32; 4];
                for (k, v) in a.iter_mut().enumerate() {
                    *v = (r.x0 + ((4 * g + k).min(nx - 1)) as f64 * dx) as f32;
                }
                F32x4::from_array(a)
            })
            .collect();
        let mut track = |v: F32x4| {
            let finite = v.vabs().lt(inf);
            lo = lo.vmin(F32x4::select(finite, v, inf));
            hi = hi.vmax(F32x4::select(finite, v, -inf));
        };
        for (j, row) in out.chunks_exact_mut(nx).enumerate() {
            let yj = if top_down {
                r.y1 - j as f64 * dy
            } else {
                r.y0 + j as f64 * dy
            };
            let y = F32x4::splat(yj as f32);
            let mut quads = row.chunks_exact_mut(4);
            for (q, &x) in (&mut quads).zip(&xs) {
                let v = f(x, y);
                track(v);
                v.store(q);
            }
            let rest = quads.into_remainder();
            if !rest.is_empty() {
                let v = f(xs[xs.len() - 1], y);
                track(v);
                rest.copy_from_slice(&v.to_array()[..rest.len()]);
            }
        }
        let lo = lo.to_array().into_iter().fold(f32::INFINITY, f32::min);
        let hi = hi.to_array().into_iter().fold(f32::NEG_INFINITY, f32::max);
        (lo <= hi).then_some((lo, hi))
    }
}

/// Colour maps (perceptually uniform, colour-blind safe), as 9 stops of matplotlib's maps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Colormap {
    Viridis,
    Cividis,
    Magma,
}

impl Colormap {
    pub const ALL: [Colormap; 3] = [Colormap::Viridis, Colormap::Cividis, Colormap::Magma];
    pub fn parse(s: &str) -> Option<Colormap> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Colormap::Viridis => "viridis",
            Colormap::Cividis => "cividis",
            Colormap::Magma => "magma",
        }
    }
    fn stops(self) -> [u32; 9] {
        match self {
            Colormap::Viridis => [
                0x440154, 0x472c7a, 0x3b518b, 0x2c718e, 0x21908d, 0x27ad81, 0x5cc863, 0xaadc32,
                0xfde725,
            ],
            Colormap::Cividis => [
                0x00224e, 0x123570, 0x3b496c, 0x575d6d, 0x707173, 0x8a8678, 0xa59c74, 0xc3b369,
                0xfee838,
            ],
            Colormap::Magma => [
                0x000004, 0x1c1044, 0x4f127b, 0x812581, 0xb5367a, 0xe55964, 0xfb8761, 0xfec287,
                0xfcfdbf,
            ],
        }
    }
    /// 256 RGBA entries (as little-endian u32, ready to store into canvas pixels).
    pub fn lut(self) -> [u32; 256] {
        let s = self.stops();
        let ch = |c: u32, k: u32| ((c >> (16 - 8 * k)) & 0xff) as f64;
        let mut lut = [0u32; 256];
        for (i, e) in lut.iter_mut().enumerate() {
            let t = i as f64 / 255.0 * 8.0;
            let k = (t.floor() as usize).min(7);
            let f = t - k as f64;
            let mut px = 0xff00_0000u32;
            for c in 0..3 {
                let v = ch(s[k], c) * (1.0 - f) + ch(s[k + 1], c) * f;
                px |= (v.round() as u32) << (8 * c);
            }
            *e = px;
        }
        lut
    }
}

/// Options of a heatmap render.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RenderOptions {
    pub scale: Scale,
    pub colormap: Colormap,
    /// Number of contour levels (0 = none), at most [`MAX_LEVELS`].
    pub levels: usize,
}

pub const MAX_LEVELS: usize = 64;

/// Reusable buffers for sampling and rendering.
#[derive(Default)]
pub struct Canvas {
    pub values: Vec<f32>,
    /// Colour index (0..=255) per pixel.
    cidx: Vec<u8>,
    /// Contour band per pixel; [`NO_VALUE`] where f is not finite.
    band: Vec<u8>,
    rgba: Vec<u32>,
    pub levels: Vec<f64>,
}

const NO_VALUE: u8 = u8::MAX;

impl Canvas {
    /// The last render as RGBA bytes (row 0 at the top).
    pub fn rgba_bytes(&self) -> &[u8] {
        // SAFETY: any u32 is four valid u8; the length is the byte length of the same buffer.
        unsafe { std::slice::from_raw_parts(self.rgba.as_ptr() as *const u8, self.rgba.len() * 4) }
    }

    /// Sample and colour `l` on an nx × ny image (row 0 at the top, y1) with contour lines at
    /// `opts.levels` levels equally spaced in the colour coordinate: equally spaced values for a
    /// linear scale, log-spaced for a log scale (t = ln(f − f_min + δ), δ = 1e-3·(f_max − f_min)).
    pub fn render(&mut self, l: &Landscape, nx: usize, ny: usize, r: Rect, opts: RenderOptions) {
        let range = sample(l, nx, ny, r, true, &mut self.values);
        let n = nx * ny;
        if n == 0 {
            self.rgba.clear();
            self.levels.clear();
            return;
        }
        self.rgba.clear();
        self.rgba.resize(n, 0);
        self.cidx.resize(n, 0);
        self.band.resize(n, NO_VALUE);
        self.levels.clear();
        let Some((lo, hi)) = range else {
            self.band.fill(NO_VALUE);
            return;
        };
        let span = (hi - lo).max(f32::MIN_POSITIVE);
        let delta = (1e-3 * span).max(1e-30);
        let tf = |v: f64| -> f64 {
            match opts.scale {
                Scale::Linear => v,
                Scale::Log => (v - lo as f64 + delta as f64).ln(),
            }
        };
        let (t_lo, t_hi) = (tf(lo as f64), tf(hi as f64));
        let t_span = (t_hi - t_lo).max(1e-30);
        let nl = opts.levels.min(MAX_LEVELS);
        for k in 1..nl {
            let t = t_lo + t_span * k as f64 / nl as f64;
            self.levels.push(match opts.scale {
                Scale::Linear => t,
                Scale::Log => t.exp() - delta as f64 + lo as f64,
            });
        }
        // Pass 1 (SIMD): the colour coordinate q ∈ [0, 4096) → colour index q/16 and contour
        // band q·levels/4096; non-finite values get q = 65535 (→ NO_VALUE).
        let (s_lo, s_scale) = (
            F32x4::splat(t_lo as f32),
            F32x4::splat((4095.0 / t_span) as f32),
        );
        let (v_lo, v_delta) = (F32x4::splat(lo), F32x4::splat(delta));
        let (zero, top, inf, none) = (
            F32x4::splat(0.0),
            F32x4::splat(4095.0),
            F32x4::splat(f32::INFINITY),
            F32x4::splat(65535.0),
        );
        let bands = nl.max(1) as u32;
        let quantize = |v: F32x4, c: &mut [u8], b: &mut [u8]| {
            let t = match opts.scale {
                Scale::Linear => v,
                Scale::Log => (v - v_lo + v_delta).ln(),
            };
            let q = ((t - s_lo) * s_scale).vmax(zero).vmin(top);
            let q = F32x4::select(v.vabs().lt(inf), q, none).to_i32();
            for k in 0..c.len() {
                let qk = q[k] as u32;
                c[k] = (qk >> 4).min(255) as u8;
                b[k] = if qk > 4095 {
                    NO_VALUE
                } else {
                    ((qk * bands) >> 12) as u8
                };
            }
        };
        let mut vq = self.values.chunks_exact(4);
        let mut cq = self.cidx.chunks_exact_mut(4);
        let mut bq = self.band.chunks_exact_mut(4);
        for ((v, c), b) in (&mut vq).zip(&mut cq).zip(&mut bq) {
            quantize(F32x4::load(v), c, b);
        }
        let (vr, cr, br) = (vq.remainder(), cq.into_remainder(), bq.into_remainder());
        if !vr.is_empty() {
            let mut a = [f32::NAN; 4];
            a[..vr.len()].copy_from_slice(vr);
            quantize(F32x4::from_array(a), cr, br);
        }
        // Pass 2: colour; a contour pixel where the band changes to the right or below. One
        // branch-free table lookup per pixel: index c, c + 256 on a contour, 512 when not finite.
        let lut = opts.colormap.lut();
        let mut table = [0u32; 513];
        table[..256].copy_from_slice(&lut);
        table[256..512].copy_from_slice(&lut.map(blend_white));
        let contours = nl > 1;
        for j in 0..ny {
            let row = j * nx;
            let below = if j + 1 < ny { row + nx } else { row };
            let me = &self.band[row..row + nx];
            let down = &self.band[below..below + nx];
            let right = me[1..].iter().chain(std::iter::once(&me[nx - 1]));
            let cells = me
                .iter()
                .zip(right)
                .zip(down)
                .zip(&self.cidx[row..row + nx]);
            for (out, (((&m, &r), &d), &c)) in self.rgba[row..row + nx].iter_mut().zip(cells) {
                let edge = contours & (((r != m) & (r != NO_VALUE)) | ((d != m) & (d != NO_VALUE)));
                let idx = if m == NO_VALUE {
                    512
                } else {
                    c as usize + ((edge as usize) << 8)
                };
                *out = table[idx];
            }
        }
    }
}

/// Mix 45 % white into a pixel: contour lines readable on dark and light parts of every map.
fn blend_white(px: u32) -> u32 {
    let mut out = 0xff00_0000u32;
    for c in 0..3 {
        let v = (px >> (8 * c)) & 0xff;
        out |= ((v * 55 + 255 * 45) / 100) << (8 * c);
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::landscape::Builtin;

    #[test]
    fn sample_matches_f64_evaluation() {
        for d in crate::landscape::BUILTINS {
            let l = Landscape::Builtin(Builtin::new(d, &[]));
            let [x0, x1, y0, y1] = d.domain;
            let mut out = Vec::new();
            let (lo, hi) = sample(&l, 37, 23, Rect { x0, x1, y0, y1 }, false, &mut out).unwrap();
            let scale = hi.abs().max(lo.abs()).max(1.0) as f64;
            for j in 0..23 {
                for i in 0..37 {
                    let x = (x0 + i as f64 * (x1 - x0) / 36.0) as f32 as f64;
                    let y = (y0 + j as f64 * (y1 - y0) / 22.0) as f32 as f64;
                    let want = l.value(x, y);
                    let got = out[j * 37 + i] as f64;
                    assert!(
                        (got - want).abs() <= 2e-5 * scale,
                        "{} at ({x},{y}): {got} vs {want}",
                        d.name
                    );
                }
            }
            assert!(lo <= hi);
        }
    }

    #[test]
    fn luts_run_from_dark_to_light() {
        for cm in Colormap::ALL {
            let lut = cm.lut();
            let lum = |p: u32| (p & 0xff) + ((p >> 8) & 0xff) + ((p >> 16) & 0xff);
            assert!(
                lum(lut[0]) < lum(lut[128]) && lum(lut[128]) < lum(lut[255]),
                "{cm:?}"
            );
            assert!(lut.iter().all(|p| p >> 24 == 0xff));
        }
        assert_eq!(Colormap::Viridis.lut()[0] & 0xffffff, 0x540144); // #440154 as RGBA bytes
    }

    #[test]
    fn contour_levels_are_log_spaced_for_log_scale() {
        let l = Landscape::Builtin(Builtin::by_name("rosenbrock").unwrap());
        let mut c = Canvas::default();
        let r = Rect {
            x0: -2.0,
            x1: 2.0,
            y0: -1.0,
            y1: 3.0,
        };
        c.render(
            &l,
            64,
            64,
            r,
            RenderOptions {
                scale: Scale::Log,
                colormap: Colormap::Viridis,
                levels: 10,
            },
        );
        assert_eq!(c.levels.len(), 9);
        let gaps: Vec<f64> = c.levels.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(
            gaps.windows(2).all(|g| g[1] > g[0]),
            "gaps grow geometrically: {gaps:?}"
        );
        c.render(
            &l,
            64,
            64,
            r,
            RenderOptions {
                scale: Scale::Linear,
                colormap: Colormap::Viridis,
                levels: 10,
            },
        );
        let gaps: Vec<f64> = c.levels.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(gaps.iter().all(|g| (g - gaps[0]).abs() < 1e-6 * gaps[0]));
        // Some but not most pixels are contour pixels; all pixels are opaque.
        assert_eq!(c.rgba_bytes().len(), 64 * 64 * 4);
        assert!(c.rgba_bytes().chunks(4).all(|p| p[3] == 255));
    }

    #[test]
    fn empty_grids_are_empty_not_a_panic() {
        let l = Landscape::Builtin(Builtin::by_name("saddle").unwrap());
        let r = Rect {
            x0: -1.0,
            x1: 1.0,
            y0: -1.0,
            y1: 1.0,
        };
        let mut c = Canvas::default();
        for (nx, ny) in [(0, 5), (5, 0), (1, 1), (3, 1)] {
            c.render(
                &l,
                nx,
                ny,
                r,
                RenderOptions {
                    scale: Scale::Log,
                    colormap: Colormap::Viridis,
                    levels: 8,
                },
            );
            assert_eq!(c.rgba_bytes().len(), 4 * nx * ny);
        }
    }

    #[test]
    fn non_finite_values_are_transparent() {
        let l = Landscape::Expression(crate::landscape::Expr::parse("log(x)").unwrap());
        let mut c = Canvas::default();
        let r = Rect {
            x0: -1.0,
            x1: 1.0,
            y0: -1.0,
            y1: 1.0,
        };
        c.render(
            &l,
            8,
            4,
            r,
            RenderOptions {
                scale: Scale::Linear,
                colormap: Colormap::Magma,
                levels: 5,
            },
        );
        for j in 0..4 {
            for i in 0..8 {
                let alpha = c.rgba_bytes()[4 * (j * 8 + i) + 3];
                assert_eq!(alpha == 0, i < 4, "pixel ({i},{j}) x<=0 is NaN/-inf");
            }
        }
    }
}
