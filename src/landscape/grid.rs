//! Grid sampling and heatmap rendering (colour map + contour lines), four points per SIMD
//! lane group. Buffers live in a reusable [`Canvas`] so JS can read them through views of wasm
//! memory without copies.

use super::builtin::Specialized;
use super::{Landscape, Scale};
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
    /// The 256 colours of [`Colormap::lut`] as (r, g, b) (colour keys, SVG colour bars).
    pub fn colors(self) -> [[u8; 3]; 256] {
        self.lut()
            .map(|p| [p as u8, (p >> 8) as u8, (p >> 16) as u8])
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
    /// Per-row colour-table indices (scratch).
    row_index: Vec<u16>,
    pub levels: Vec<f64>,
    /// The (min, max) of the finite values the last colouring mapped onto the colour map.
    pub range: Option<(f32, f32)>,
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
        self.colour(nx, ny, range, opts);
    }

    /// Colour `self.values` (nx × ny, row 0 at the top, filled by the caller; `range` the
    /// (min, max) of its finite values) as [`Canvas::render`] does.
    pub fn colour(&mut self, nx: usize, ny: usize, range: Option<(f32, f32)>, opts: RenderOptions) {
        let n = nx * ny;
        self.range = range.filter(|_| n > 0);
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
        // Pass 1 (SIMD, 16 pixels at a time): the colour coordinate u = (t − t_lo)/(t_hi − t_lo)
        // ∈ [0, 1) → colour index ⌊256u⌋ and contour band ⌊levels·u⌋ (band k lies between
        // `levels[k−1]` and `levels[k]`); a non-finite value gets band NO_VALUE.
        let (s_lo, inv) = (
            F32x4::splat(t_lo as f32),
            F32x4::splat((1.0 / t_span) as f32),
        );
        let (v_lo, v_delta) = (F32x4::splat(lo), F32x4::splat(delta));
        let (zero, below_one, inf) = (
            F32x4::splat(0.0),
            F32x4::splat(0.999_999_9),
            F32x4::splat(f32::INFINITY),
        );
        let (c256, cbands, none) = (
            F32x4::splat(256.0),
            F32x4::splat(nl.max(1) as f32),
            F32x4::splat(NO_VALUE as f32),
        );
        let log = opts.scale == Scale::Log;
        let quantize = |v: F32x4| -> (F32x4, F32x4) {
            let finite = v.vabs().lt(inf);
            let t = if log {
                (v - v_lo + v_delta).vmax(v_delta).ln_positive()
            } else {
                v
            };
            let u = ((t - s_lo) * inv).vmax(zero).vmin(below_one);
            let u = F32x4::select(finite, u, zero);
            (u * c256, F32x4::select(finite, u * cbands, none))
        };
        let mut vq = self.values.chunks_exact(16);
        let mut cq = self.cidx.chunks_exact_mut(16);
        let mut bq = self.band.chunks_exact_mut(16);
        for ((v, c), b) in (&mut vq).zip(&mut cq).zip(&mut bq) {
            let q = [0, 4, 8, 12].map(|k| quantize(F32x4::load(&v[k..])));
            c.copy_from_slice(&F32x4::pack_u8(q.map(|p| p.0)));
            b.copy_from_slice(&F32x4::pack_u8(q.map(|p| p.1)));
        }
        let (vr, cr, br) = (vq.remainder(), cq.into_remainder(), bq.into_remainder());
        if !vr.is_empty() {
            let mut a = [f32::NAN; 16];
            a[..vr.len()].copy_from_slice(vr);
            let q = [0, 4, 8, 12].map(|k| quantize(F32x4::load(&a[k..])));
            cr.copy_from_slice(&F32x4::pack_u8(q.map(|p| p.0))[..vr.len()]);
            br.copy_from_slice(&F32x4::pack_u8(q.map(|p| p.1))[..vr.len()]);
        }
        // Pass 2: colour; a contour pixel where the band changes to the right or below. Per row,
        // first a byte loop the compiler vectorizes builds a table index (colour | contour << 8 |
        // not-finite << 9), then one lookup per pixel.
        let lut = opts.colormap.lut();
        let mut table = [0u32; 1024];
        table[..256].copy_from_slice(&lut);
        table[256..512].copy_from_slice(&lut.map(blend_white));
        let contours = (nl > 1) as u16;
        self.row_index.resize(nx, 0);
        for j in 0..ny {
            let row = j * nx;
            let below = if j + 1 < ny { row + nx } else { row };
            let me = &self.band[row..row + nx];
            let down = &self.band[below..below + nx];
            let colour = &self.cidx[row..row + nx];
            let idx = &mut self.row_index[..nx];
            for i in 0..nx - 1 {
                let (m, r, d) = (me[i], me[i + 1], down[i]);
                let edge =
                    (((r != m) & (r != NO_VALUE)) | ((d != m) & (d != NO_VALUE))) as u16 & contours;
                idx[i] = colour[i] as u16 | edge << 8 | ((m == NO_VALUE) as u16) << 9;
            }
            let (m, d) = (me[nx - 1], down[nx - 1]);
            let edge = ((d != m) & (d != NO_VALUE)) as u16 & contours;
            idx[nx - 1] = colour[nx - 1] as u16 | edge << 8 | ((m == NO_VALUE) as u16) << 9;
            for (out, &k) in self.rgba[row..row + nx].iter_mut().zip(idx.iter()) {
                *out = table[(k & 1023) as usize];
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
