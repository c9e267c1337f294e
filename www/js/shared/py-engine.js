// Python source shared by the exported PyTorch scripts (pure: no DOM, no engine).
//
// PY_RNG is the engine's one random generator (src/rng.rs) in plain Python: xoshiro256++ seeded
// through SplitMix64, streams derived from (seed, purpose tag), Lemire's multiply-shift for
// integers below n, and Fisher–Yates. With it a script draws exactly the mini-batches (and dropout
// masks) the playground drew, so a run is reproduced step by step, not only in distribution.
// The e2e export tests run the scripts with real PyTorch and compare with the engine.

export const PY_RNG = `
# --- the playground's random generator (src/rng.rs), so that mini-batches match it exactly ---
M64 = (1 << 64) - 1


def _splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & M64
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return x, z ^ (z >> 31)


def _rotl(v, k):
    return ((v << k) | (v >> (64 - k))) & M64


class EngineRng:
    """xoshiro256++ (Blackman & Vigna 2018) seeded through SplitMix64, as the playground's engine."""

    def __init__(self, seed):
        x, self.s = seed & M64, []
        for _ in range(4):
            x, v = _splitmix64(x)
            self.s.append(v)

    @staticmethod
    def derive(seed, tag):
        """The independent stream for one purpose: 1 = data split, 3 = shuffling, 4 = dropout."""
        _, v = _splitmix64((seed ^ ((tag * 0xD1B54A32D192ED03) & M64)) & M64)
        return EngineRng(v)

    def next_u64(self):
        s = self.s
        out = (_rotl((s[0] + s[3]) & M64, 23) + s[0]) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = _rotl(s[3], 45)
        return out

    def uniform(self):
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))

    def below(self, n):
        return ((self.next_u64() >> 32) * n) >> 32

    def shuffle(self, xs):
        for i in range(len(xs) - 1, 0, -1):
            j = self.below(i + 1)
            xs[i], xs[j] = xs[j], xs[i]
`;

/** Python lines that decode a base64 zlib blob of UTF-8 text (embedded data files). */
export const PY_BLOB = `
def _blob(b64):
    import base64, zlib
    return zlib.decompress(base64.b64decode(b64)).decode("utf-8")
`;

/** Base64 of zlib-deflated UTF-8 text (CompressionStream in the browser, zlib in Node). */
export async function deflateBase64(text) {
  const bytes = new TextEncoder().encode(text);
  let out;
  if (typeof CompressionStream !== 'undefined') {
    const cs = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate'));
    out = new Uint8Array(await new Response(cs).arrayBuffer());
  } else {
    const zlib = await import('node:zlib');
    out = new Uint8Array(zlib.deflateSync(bytes));
  }
  let s = '';
  for (let i = 0; i < out.length; i += 0x8000) s += String.fromCharCode(...out.subarray(i, i + 0x8000));
  return btoa(s);
}

/** A Python string literal split over lines (for long base64 blobs). */
export function pyLongString(s, width = 96) {
  const rows = [];
  for (let i = 0; i < s.length; i += width) rows.push(`    "${s.slice(i, i + width)}"`);
  return `(\n${rows.join('\n')}\n)`;
}
