//! Random and mutated specs for the property tests (tests/robustness.rs, tests/nn_robustness.rs).

use optplay::spec::Val;

/// xorshift64: tiny, seeded, and independent of the engine's own generator.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// What random values are made of: the keys, strings and numbers a spec might contain.
pub struct Vocabulary {
    pub keys: &'static [&'static str],
    pub names: &'static [&'static str],
    pub nums: &'static [f64],
}

impl Vocabulary {
    pub fn random_val(&self, r: &mut Rng, depth: usize) -> Val {
        match r.below(if depth > 3 { 4 } else { 7 }) {
            0 => Val::Null,
            1 => Val::Bool(r.below(2) == 0),
            2 => Val::Num(*r.pick(self.nums)),
            3 => Val::Str(r.pick(self.names).to_string()),
            4 => Val::Arr(
                (0..r.below(5))
                    .map(|_| self.random_val(r, depth + 1))
                    .collect(),
            ),
            _ => Val::Obj(
                (0..r.below(6))
                    .map(|_| (r.pick(self.keys).to_string(), self.random_val(r, depth + 1)))
                    .collect(),
            ),
        }
    }

    /// Replace a random node of `v` with a random value, or add a random key to an object.
    pub fn mutate(&self, r: &mut Rng, v: &mut Val) {
        match v {
            Val::Obj(kv) if !kv.is_empty() && r.below(3) != 0 => {
                let i = r.below(kv.len());
                if r.below(4) == 0 {
                    kv.push((r.pick(self.keys).to_string(), self.random_val(r, 2)));
                } else {
                    self.mutate(r, &mut kv[i].1);
                }
            }
            Val::Arr(a) if !a.is_empty() && r.below(3) != 0 => {
                let i = r.below(a.len());
                self.mutate(r, &mut a[i]);
            }
            _ => *v = self.random_val(r, 1),
        }
    }
}
