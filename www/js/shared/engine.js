// Loads the Rust/wasm engine (this page's build of it, js/shared/assets.js; ./build.sh). Shows a readable
// message instead of a blank page when it is missing or fails to start.
import { compiled } from './pool.js';
import { engineGlue } from './assets.js';
import { useEngineSeeds } from './seeds.js';

let enginePromise = null, ready = null, memory = null;

export function loadEngine() {
  if (!enginePromise) {
    enginePromise = (async () => {
      const [E, module] = await Promise.all([engineGlue(), compiled()]);
      ({ memory } = await E.default({ module_or_path: module }));
      useEngineSeeds(E);
      ready = E;
      return E;
    })();
  }
  return enginePromise;
}

/**
 * The engine, loaded: for code that runs only once it is (an export). Throws before that.
 */
export function engineNow() {
  if (!ready) throw new Error('the engine is not loaded yet');
  return ready;
}

let netOptions = null;
/** The engine's network registries (E.networkOptions(): activations with their labels and formulas,
 *  losses, inits, data generators, histogram kinds), read once. */
export function networkOptions() {
  return (netOptions ??= engineNow().networkOptions());
}

/** Use an engine module loaded elsewhere (Node: the tests' and tools' initSync'd module). */
export function useEngine(E) {
  ready = E;
  netOptions = null;
  enginePromise ??= Promise.resolve(E);
}

/**
 * The page's engine for a canvas widget's `draw()` (the charts draw through it): the engine if it
 * runs, else null — the load is under way and the widget redraws when it is in (or `failed(e)`).
 */
export function engineFor(widget, failed = () => {}) {
  if (ready) return ready;
  widget.waiting ??= loadEngine().then(() => { widget.waiting = null; widget.requestDraw(); }, (e) => { widget.waiting = null; failed(e); });
  return null;
}

/** Whether a typed array is a view of the page engine's own memory (detached if that memory grows). */
export function inEngineMemory(a) {
  return !!memory && a.buffer === memory.buffer;
}

/** Normalise whatever the engine threw into a message string. */
export function errorMessage(e) {
  if (e == null) return 'unknown error';
  if (typeof e === 'string') return e;
  return e.message || String(e);
}
