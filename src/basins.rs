//! "Initial values matter": a basin-of-attraction map. Every cell of a grid of start points is
//! run with the same optimizer, and coloured by the stationary point it ends at. Computed in
//! slices (a budget of optimizer steps per call) so a page never freezes.

use crate::landscape::grid::Rect;
use crate::landscape::Point;
use crate::run::Run;
use crate::spec::TrajectorySpec;

/// Label of a cell not computed yet.
pub const PENDING: i32 = -3;
/// Label of a cell whose run diverged.
pub const DIVERGED: i32 = -2;
/// Label of a cell whose run ended away from every stationary point.
pub const NOT_CONVERGED: i32 = -1;

/// Okabe–Ito (colour-blind safe), then more; grey for "not converged".
pub const PALETTE: [u32; 10] = [
    0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7, 0x882255, 0x44AA99,
    0x999933,
];
pub const GREY: u32 = 0x9a9a9a;

pub struct Basins {
    spec: TrajectorySpec,
    nx: usize,
    ny: usize,
    rect: Rect,
    next: usize,
    labels: Vec<i32>,
    /// Where each cell's run ended (x, y), NaN when pending or diverged.
    ends: Vec<[f64; 2]>,
    centers: Vec<Point>,
    /// Two end points closer than this belong to one stationary point.
    tol: f64,
    rgba: Vec<u32>,
}

impl Basins {
    /// Cell (i, j) starts at x = x0 + (i + ½)(x1 − x0)/nx, y = y1 − (j + ½)(y1 − y0)/ny (row 0 at
    /// the top, like an image). The landscape's known minima are the first basins, in order.
    pub fn new(spec: TrajectorySpec, nx: usize, ny: usize, rect: Rect) -> Basins {
        let info = spec.landscape.info();
        let diag = ((rect.x1 - rect.x0).powi(2) + (rect.y1 - rect.y0).powi(2)).sqrt();
        Basins {
            nx,
            ny,
            rect,
            next: 0,
            labels: vec![PENDING; nx * ny],
            ends: vec![[f64::NAN; 2]; nx * ny],
            centers: info.minima,
            tol: 0.02 * diag,
            rgba: vec![0; nx * ny],
            spec,
        }
    }

    pub fn start_of(&self, cell: usize) -> [f64; 2] {
        let (i, j) = (cell % self.nx, cell / self.nx);
        let r = self.rect;
        [
            r.x0 + (i as f64 + 0.5) * (r.x1 - r.x0) / self.nx as f64,
            r.y1 - (j as f64 + 0.5) * (r.y1 - r.y0) / self.ny as f64,
        ]
    }

    /// Run cells until about `budget` optimizer steps were taken; returns the fraction done.
    pub fn advance(&mut self, budget: usize) -> f64 {
        let mut spent = 0;
        while self.next < self.labels.len() && spent < budget.max(1) {
            let cell = self.next;
            let mut spec = self.spec.clone();
            spec.start = self.start_of(cell);
            let mut run = Run::new(&spec);
            spent += run.advance(spec.steps).max(1);
            let label = if run.diverged().is_some() {
                DIVERGED
            } else {
                let p = run.position();
                self.ends[cell] = p;
                self.classify(p, run.current().grad)
            };
            self.labels[cell] = label;
            self.rgba[cell] = colour(label);
            self.next += 1;
        }
        self.progress()
    }

    fn classify(&mut self, p: [f64; 2], grad: [f64; 2]) -> i32 {
        let dist = |c: &Point| ((c.x - p[0]).powi(2) + (c.y - p[1]).powi(2)).sqrt();
        let nearest = self
            .centers
            .iter()
            .enumerate()
            .map(|(k, c)| (k, dist(c)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((k, d)) = nearest {
            if d <= self.tol {
                return k as i32;
            }
        }
        // A new stationary point: the run has (nearly) stopped moving there.
        let gnorm = grad[0].hypot(grad[1]);
        if gnorm <= 1e-3 && self.centers.len() < 64 {
            let f = self.spec.landscape.value(p[0], p[1]);
            self.centers.push(Point {
                x: p[0],
                y: p[1],
                f,
            });
            return (self.centers.len() - 1) as i32;
        }
        NOT_CONVERGED
    }

    pub fn progress(&self) -> f64 {
        self.next as f64 / self.labels.len().max(1) as f64
    }
    pub fn done(&self) -> bool {
        self.next >= self.labels.len()
    }
    pub fn labels(&self) -> &[i32] {
        &self.labels
    }
    pub fn centers(&self) -> &[Point] {
        &self.centers
    }
    pub fn ends(&self) -> &[[f64; 2]] {
        &self.ends
    }
    /// RGBA bytes: one colour per basin, grey when not converged, transparent when pending or
    /// diverged.
    pub fn rgba_bytes(&self) -> &[u8] {
        // SAFETY: any u32 is four valid u8; the length is the byte length of the same buffer.
        unsafe { std::slice::from_raw_parts(self.rgba.as_ptr() as *const u8, self.rgba.len() * 4) }
    }
}

/// RGBA (as little-endian u32) of a label.
pub fn colour(label: i32) -> u32 {
    let rgb = match label {
        PENDING | DIVERGED => return 0,
        NOT_CONVERGED => GREY,
        k => PALETTE[k as usize % PALETTE.len()],
    };
    0xff00_0000 | ((rgb & 0xff) << 16) | (rgb & 0xff00) | (rgb >> 16)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::spec::{self, Val, MAX_STEPS};

    fn basins(opt: &str, steps: usize) -> Basins {
        let v: Val = serde_json::from_str(&format!(
            r#"{{"landscape":"himmelblau","optimizer":{opt},"steps":{steps}}}"#
        ))
        .unwrap();
        let s = spec::trajectory(&v, None, MAX_STEPS).unwrap();
        Basins::new(
            s,
            24,
            24,
            Rect {
                x0: -5.0,
                x1: 5.0,
                y0: -5.0,
                y1: 5.0,
            },
        )
    }

    #[test]
    fn gradient_descent_on_himmelblau_finds_four_basins_in_their_quadrants() {
        let mut b = basins(r#"{"name":"sgd","lr":0.01}"#, 500);
        let mut calls = 0;
        while !b.done() {
            b.advance(20_000);
            calls += 1;
        }
        assert!(calls > 3, "computed in slices ({calls})");
        assert_eq!(
            b.centers().len(),
            4,
            "only the four minima: {:?}",
            b.centers()
        );
        // The corner cells lie deep in the basins of the minimum of their own quadrant.
        let label_at = |x: f64, y: f64| {
            let i = ((x + 5.0) / 10.0 * 24.0) as usize;
            let j = ((5.0 - y) / 10.0 * 24.0) as usize;
            b.labels()[j * 24 + i]
        };
        for (k, c) in b.centers().iter().enumerate() {
            let corner = (4.6 * c.x.signum(), 4.6 * c.y.signum());
            assert_eq!(
                label_at(corner.0, corner.1),
                k as i32,
                "corner near minimum {c:?}"
            );
        }
        assert!(
            b.labels().iter().all(|&l| l >= 0),
            "every start converges to one of the four"
        );
        assert!(b.rgba_bytes().chunks(4).all(|p| p[3] == 255));
    }

    #[test]
    fn too_large_a_step_diverges_and_is_labelled_so() {
        let mut b = basins(r#"{"name":"sgd","lr":0.2}"#, 100);
        b.advance(usize::MAX);
        assert!(b.done());
        assert!(b.labels().contains(&DIVERGED));
        assert!(b.rgba_bytes().chunks(4).any(|p| p[3] == 0));
    }
}
