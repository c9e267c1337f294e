// Fresh seeds from the browser's CSPRNG through the engine (getrandom → crypto.getRandomValues):
// a lab's "new seed" button and `seed=random` in a URL draw one, and the lab writes it into its
// URL at once, so the run stays reproducible from the address bar.

let engine = null;

/** Called by loadEngine (shared/engine.js) once the engine runs. */
export function useEngineSeeds(E) { engine = E; }

/** A uniform seed in [0, max]; throws (with the engine's message) when there is no random source. */
export function freshSeed(max) {
  if (!engine) throw new Error('the engine is not loaded yet');
  return engine.freshSeed(max);
}
