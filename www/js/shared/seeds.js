// Fresh seeds from the browser's CSPRNG through the engine (getrandom → crypto.getRandomValues):
// a lab's "new seed" button and `seed=random` in a URL draw one, and the lab writes it into its
// URL at once, so the run stays reproducible from the address bar.

/** The largest seed of every lab: the engine's `nn::spec::MAX_SEED` (u32::MAX), which
 *  `networkOptions().max_seed` reports; tests/js/seeds.test.mjs holds the two together. */
export const SEED_MAX = 4294967295;

let engine = null;

/** Called by loadEngine (shared/engine.js) once the engine runs. */
export function useEngineSeeds(E) { engine = E; }

/** A uniform seed in [0, max]; throws (with the engine's message) when there is no random source. */
export function freshSeed(max) {
  if (!engine) throw new Error('the engine is not loaded yet');
  return engine.freshSeed(max);
}

/**
 * A "new" button next to a seed field: a click sets `key` to a fresh seed in [0, max()] through
 * `set` (like a typed value, so the URL and the run follow). A failure (no random source) is said
 * on the button itself, and the seed stays.
 */
export function bindSeedButton(button, key, max, set) {
  button.addEventListener('click', () => {
    const m = max();
    if (m == null) return;
    try { set({ [key]: freshSeed(m) }); } catch (e) {
      button.textContent = 'new (unavailable)';
      button.title = `No fresh seed: ${e.message}`;
    }
  });
}
