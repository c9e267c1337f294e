// The charts are drawn by the engine (src/web_charts.rs: XyCanvas on the page's canvases through
// plotters-canvas, chartSvg/barsSvg for the SVG export): the page's own engine instance, the one
// loadEngine() starts (the workers' instances of the same module train).
import { loadEngine } from './engine.js';

let ready = null;

/** The engine's exports, once loaded (a promise). */
export function chartsEngine() {
  return loadEngine().then((E) => (ready = E));
}

/** The engine's exports if it is loaded now, else null (and the load is under way). */
export function chartsNow() {
  if (!ready) chartsEngine().catch(() => {});
  return ready;
}
