//! The one random generator of the engine (networks, data, mini-batch sampling): xoshiro256++ (Blackman & Vigna 2018) seeded
//! through SplitMix64, with Box–Muller normals. Always passed explicitly — there is no global
//! generator, so a run is reproducible from its seed and a test can pin one.

/// xoshiro256++ with a cached second Box–Muller normal.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
    spare: Option<f64>,
}

fn splitmix64(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator whose whole stream is fixed by `seed`.
    pub fn new(seed: u64) -> Rng {
        let mut x = seed;
        let s = [
            splitmix64(&mut x),
            splitmix64(&mut x),
            splitmix64(&mut x),
            splitmix64(&mut x),
        ];
        Rng { s, spare: None }
    }

    /// An independent stream derived from this seed and a purpose tag (data, init, dropout, …),
    /// so changing e.g. the data size does not change the initial weights.
    pub fn derive(seed: u64, tag: u64) -> Rng {
        let mut x = seed ^ tag.wrapping_mul(0xD1B5_4A32_D192_ED03);
        Rng::new(splitmix64(&mut x))
    }

    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let out = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        out
    }

    /// Uniform in [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// Uniform integer in [0, n) (n > 0), by Lemire's multiply-shift (bias < 2⁻³²·n).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Standard normal N(0, 1) by the Box–Muller transform.
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        // u1 in (0, 1] so ln(u1) is finite.
        let u1 = 1.0 - self.uniform();
        let u2 = self.uniform();
        let r = (-2.0 * u1.ln()).sqrt();
        let (s, c) = (std::f64::consts::TAU * u2).sin_cos();
        self.spare = Some(r * s);
        r * c
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn moments_and_reproducibility() {
        let mut r = Rng::new(7);
        let n = 200_000;
        let (mut s, mut s2) = (0.0, 0.0);
        for _ in 0..n {
            let z = r.normal();
            s += z;
            s2 += z * z;
        }
        let mean = s / n as f64;
        let var = s2 / n as f64 - mean * mean;
        assert!(mean.abs() < 5.0 / (n as f64).sqrt(), "{mean}");
        assert!((var - 1.0).abs() < 5.0 * (2.0 / n as f64).sqrt(), "{var}");
        let a: Vec<u64> = (0..5).map(|_| Rng::new(3).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::derive(3, 1).next_u64(), Rng::derive(3, 2).next_u64());
        let mut counts = [0usize; 7];
        for _ in 0..70_000 {
            counts[r.below(7)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (c as i64 - 10_000).abs() < 500),
            "{counts:?}"
        );
    }

    #[test]
    fn uniform_moments_and_shuffle_is_a_permutation() {
        let mut r = Rng::new(1);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| r.uniform()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        // Sampling error of the mean: sqrt(1/12/n) ≈ 6.5e-4.
        assert!(
            (mean - 0.5).abs() < 4e-3 && (var - 1.0 / 12.0).abs() < 2e-3,
            "{mean} {var}"
        );
        let mut p: Vec<usize> = (0..100).collect();
        r.shuffle(&mut p);
        let mut sorted = p.clone();
        sorted.sort();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
        assert_ne!(p, sorted);
        assert_eq!(Rng::new(7).next_u64(), Rng::new(7).next_u64());
    }
}

/// A fresh seed in [0, max], uniform, from the operating system's or the browser's CSPRNG
/// (`crypto.getRandomValues` through getrandom) — the one place the engine is not reproducible,
/// on purpose: a lab's "new seed" draws it and writes it into the URL, so the run is reproducible
/// from then on. Rejection sampling, so every seed is equally likely.
pub fn fresh_seed(max: u32) -> Result<u32, String> {
    let span = max as u64 + 1;
    // The largest multiple of `span` below 2³²: draws at or above it are redrawn.
    let limit = (1u64 << 32) / span * span;
    for _ in 0..64 {
        let mut b = [0u8; 4];
        getrandom::fill(&mut b).map_err(|e| format!("no random source: {e}"))?;
        let x = u32::from_le_bytes(b) as u64;
        if x < limit {
            return Ok((x % span) as u32);
        }
    }
    Err("no random source: 64 draws were rejected".into())
}

#[cfg(test)]
mod fresh_tests {
    use super::fresh_seed;

    /// In range, not constant, every value reachable for a small range, the full range allowed.
    #[test]
    fn fresh_seeds_are_uniform_draws_in_range() {
        let draws: Vec<u32> = (0..2000).map(|_| fresh_seed(9).unwrap()).collect();
        assert!(draws.iter().all(|&d| d <= 9));
        let mut counts = [0usize; 10];
        draws.iter().for_each(|&d| counts[d as usize] += 1);
        // 200 expected per value; 5 standard deviations is ±71.
        assert!(
            counts.iter().all(|&c| (129..=271).contains(&c)),
            "{counts:?}"
        );
        let big: Vec<u32> = (0..8).map(|_| fresh_seed(1_000_000_000).unwrap()).collect();
        assert!(big.iter().all(|&d| d <= 1_000_000_000));
        assert!(big.windows(2).any(|w| w[0] != w[1]));
        assert!(fresh_seed(u32::MAX).is_ok());
        assert_eq!(fresh_seed(0).unwrap(), 0);
    }
}
