//! A min/max pyramid over a long indexed series, kept with its data: the lowest and highest
//! drawable value of any index range in O(log n) instead of a scan, so a chart of 8 × 100 000
//! points redraws by reading a few blocks per pixel column. Appending points updates only the
//! blocks they touch. The answers are exactly the scan's (the first index of the minimum and of
//! the maximum, and whether a non-drawable value — where the line breaks — lies in the range).

use std::cell::RefCell;

/// Index of a block's lowest and highest drawable value (`NONE`: it has none), and whether a
/// non-drawable value lies in it (the high bit of `lo`).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Block {
    lo: u32,
    hi: u32,
}

const NONE: u32 = u32::MAX >> 1;
const BREAK: u32 = 1 << 31;
/// Points per block of the finest level.
const B0: usize = 4;

impl Block {
    const EMPTY: Block = Block { lo: NONE, hi: NONE };
    fn lo(self) -> u32 {
        self.lo & !BREAK
    }
    fn broken(self) -> bool {
        self.lo & BREAK != 0
    }
}

/// What a range holds: first index of its minimum and of its maximum (`None`: nothing
/// drawable), and whether it has a break.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    pub lo: Option<usize>,
    pub hi: Option<usize>,
    pub broken: bool,
}

#[derive(Clone, Debug)]
pub struct Envelope {
    /// levels[k][j] covers indices [j·B0·2ᵏ, (j+1)·B0·2ᵏ); only whole blocks are kept.
    levels: Vec<Vec<Block>>,
    /// The log axis' rule (values ≤ 0 are not drawable) the blocks were built with.
    pub(crate) log: bool,
    /// Points covered (the series' length when it was last built or appended to).
    pub(crate) n: usize,
    /// The first and the last drawable index (`usize::MAX`, 0: none yet).
    first: usize,
    last: usize,
    /// The decimated runs last drawn from these points (`XySpec::indexed_runs`) and what they
    /// depend on besides them: a redraw of unchanged data (a theme change, a resize back) reuses
    /// them; an append clears them.
    runs: RefCell<Option<(RunsKey, Runs)>>,
}

/// What an indexed series' decimated runs depend on besides its points and the axis rule: the
/// x extent's bounds, the series' first x, the number of pixel columns (bit patterns).
pub(crate) type RunsKey = [u64; 4];

/// A line's runs (broken at non-drawable values) of (x, y) vertices in axis coordinates.
pub(crate) type Runs = Vec<Vec<(f64, f64)>>;

fn drawable(v: f64, log: bool) -> bool {
    v.is_finite() && (!log || v > 0.0)
}

/// `a` then `b` (b's indices after a's): the first index of the min and of the max wins ties.
fn merge(ys: &[f64], a: Block, b: Block) -> Block {
    let pick = |x: u32, y: u32, better: fn(f64, f64) -> bool| {
        if x == NONE {
            y
        } else if y == NONE || !better(ys[y as usize], ys[x as usize]) {
            x
        } else {
            y
        }
    };
    let lo = pick(a.lo(), b.lo(), |y, x| y < x);
    let hi = pick(a.hi, b.hi, |y, x| y > x);
    Block {
        lo: lo | if a.broken() || b.broken() { BREAK } else { 0 },
        hi,
    }
}

fn raw(ys: &[f64], log: bool, from: usize, to: usize) -> Block {
    let mut b = Block::EMPTY;
    for (k, &y) in ys[from..to].iter().enumerate() {
        let i = from + k;
        if !drawable(y, log) {
            b.lo |= BREAK;
            continue;
        }
        if b.lo() == NONE || y < ys[b.lo() as usize] {
            b.lo = i as u32 | (b.lo & BREAK);
        }
        if b.hi == NONE || y > ys[b.hi as usize] {
            b.hi = i as u32;
        }
    }
    b
}

impl Envelope {
    /// The pyramid of `ys` under the axis rule `log`.
    /// The runs kept for `key`, if they are the last ones drawn.
    pub(crate) fn runs_for(&self, key: RunsKey) -> Option<Runs> {
        self.runs
            .borrow()
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, r)| r.clone())
    }

    /// Whether it holds the runs of a draw (tests).
    #[cfg(test)]
    pub(crate) fn holds_runs(&self) -> bool {
        self.runs.borrow().is_some()
    }

    /// Keep `runs` as the ones drawn for `key`.
    pub(crate) fn keep_runs(&self, key: RunsKey, runs: &[Vec<(f64, f64)>]) {
        *self.runs.borrow_mut() = Some((key, runs.to_vec()));
    }

    pub fn new(ys: &[f64], log: bool) -> Envelope {
        let mut e = Envelope {
            levels: Vec::new(),
            log,
            n: 0,
            first: usize::MAX,
            last: 0,
            runs: RefCell::new(None),
        };
        e.extend(ys);
        e
    }

    /// `ys` grew (its first `self.n` values unchanged): add the blocks the new values complete.
    pub fn extend(&mut self, ys: &[f64]) {
        self.runs.take();
        debug_assert!(ys.len() >= self.n && ys.len() < NONE as usize);
        for (k, &y) in ys[self.n..].iter().enumerate() {
            if drawable(y, self.log) {
                self.first = self.first.min(self.n + k);
                self.last = self.n + k;
            }
        }
        self.n = ys.len();
        let whole = self.n / B0;
        if self.levels.is_empty() {
            self.levels.push(Vec::new());
        }
        let l0 = &mut self.levels[0];
        for j in l0.len()..whole {
            l0.push(raw(ys, self.log, j * B0, (j + 1) * B0));
        }
        let mut k = 1;
        while self.levels[k - 1].len() >= 2 {
            if self.levels.len() == k {
                self.levels.push(Vec::new());
            }
            let (below, above) = self.levels.split_at_mut(k);
            let (src, dst) = (&below[k - 1], &mut above[0]);
            for j in dst.len()..src.len() / 2 {
                dst.push(merge(ys, src[2 * j], src[2 * j + 1]));
            }
            k += 1;
        }
    }

    /// The first and the last drawable index (meaningful when `span` of everything finds one).
    pub fn drawn_range(&self) -> (usize, usize) {
        (self.first, self.last)
    }

    /// The lowest and highest drawable value of `ys[a..b]` (the data the pyramid was built on).
    pub fn span(&self, ys: &[f64], a: usize, b: usize) -> Span {
        let b = b.min(self.n).min(ys.len());
        let mut acc = Block::EMPTY;
        let mut i = a.min(b);
        let head = (i.div_ceil(B0) * B0).min(b);
        acc = merge(ys, acc, raw(ys, self.log, i, head));
        i = head;
        while i + B0 <= b {
            // The largest block that starts at i (aligned to its size) and ends by b.
            let aligned = (i / B0).trailing_zeros() as usize;
            let fits = ((b - i) / B0).ilog2() as usize;
            let k = aligned.min(fits).min(self.levels.len() - 1);
            acc = merge(ys, acc, self.levels[k][i / (B0 << k)]);
            i += B0 << k;
        }
        acc = merge(ys, acc, raw(ys, self.log, i, b));
        let some = |v: u32| (v != NONE).then_some(v as usize);
        Span {
            lo: some(acc.lo()),
            hi: some(acc.hi),
            broken: acc.broken(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_range_answers_as_a_scan_does() {
        // Ties, NaN and non-positive values (breaks on a log axis), lengths around block edges.
        let mut ys: Vec<f64> = (0..517)
            .map(|i| ((i * 37 % 101) as f64 - 20.0) / 7.0)
            .collect();
        ys[100] = f64::NAN;
        ys[333] = f64::INFINITY;
        for log in [false, true] {
            let e = Envelope::new(&ys, log);
            for a in (0..ys.len()).step_by(7) {
                for b in (a..=ys.len()).step_by(5) {
                    let r = raw(&ys, log, a, b);
                    let want = Span {
                        lo: (r.lo() != NONE).then_some(r.lo() as usize),
                        hi: (r.hi != NONE).then_some(r.hi as usize),
                        broken: r.broken(),
                    };
                    assert_eq!(e.span(&ys, a, b), want, "[{a}, {b}) log {log}");
                }
            }
        }
    }

    #[test]
    fn appending_gives_the_pyramid_of_the_whole() {
        let ys: Vec<f64> = (0..1000)
            .map(|i| (i as f64 * 0.37).sin() * i as f64)
            .collect();
        let mut e = Envelope::new(&ys[..3], false);
        for n in [3, 4, 9, 64, 65, 300, 1000] {
            e.extend(&ys[..n]);
            let whole = Envelope::new(&ys[..n], false);
            assert_eq!(e.levels.len(), whole.levels.len(), "{n}");
            for (a, b) in e.levels.iter().zip(&whole.levels) {
                assert_eq!(a, b, "{n}");
            }
        }
        let top = (0..1000).fold(0, |b, i| if ys[i] > ys[b] { i } else { b });
        assert_eq!(e.span(&ys, 0, 1000).hi, Some(top));
        assert_eq!(
            e.span(&ys, 10, 900),
            Envelope::new(&ys, false).span(&ys, 10, 900)
        );
    }
}
