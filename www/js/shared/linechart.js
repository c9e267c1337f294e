// The optimizer lab's loss-against-step chart: an XYChart (drawn by the engine's chart code) over
// the racers' loss histories. Linear scale plots f; log scale plots f − f* (f* = the best known
// minimum value, or the lowest value seen) so that landscapes with negative minima still work.
// Each racer's last point carries its marker shape; a diverged racer's says where it diverged.
import { sig } from './format.js';
import { XYChart } from './xychart.js';

const ids = new WeakMap();
let nextId = 1;
const curveId = (c) => { if (!ids.has(c)) ids.set(c, nextId++); return ids.get(c); };

export class LineChart extends XYChart {
  constructor(canvas) {
    super(canvas, { xLabel: 'step', integerX: true, xMin: 0, legend: false, empty: 'step 0 — press Play or Step to draw the loss' });
    this.scale = 'linear';
    this.fstar = null;       // known optimum value (number) or null
  }

  /** The racers: [{color, shape, label, selected, values: () => Float64Array view, divergedAt}]. */
  set racers(list) { this.curves = list; this.requestDraw(); }

  /** The racers' histories as the x–y chart's series, lines and marks, for the scale now. */
  #sync() {
    const log = this.scale === 'log', curves = this.curves || [];
    const arrays = curves.map((c) => c.values());
    let vmin = Infinity;
    for (const v of arrays) for (let i = 0; i < v.length; i++) if (v[i] < vmin) vmin = v[i];
    const fstar = this.fstar ?? (Number.isFinite(vmin) ? vmin : 0);
    const ys = arrays.map((v) => (log ? Float64Array.from(v, (f) => Math.max(f - fstar, 1e-16)) : v));
    Object.assign(this.o, { logY: log, yLabel: log ? `f − f* (f* = ${sig(fstar)})` : 'f(θ)' });
    // A racer's history only grows: the chart hands the engine its new points only (`grows`),
    // while the racer, the scale and f* stay the same.
    this.series = curves.map((c, k) => ({ label: c.label || '', color: c.color, width: c.selected ? 2.5 : 1.6, y: () => ys[k], grows: `${curveId(c)}:${log ? fstar : 'f'}` }));
    this.marks = curves.flatMap((c, k) => {
      const y = ys[k], last = y.length - 1;
      if (last < 1) return [];
      const diverged = c.divergedAt != null;
      return [{ x: last, y: y[last], color: c.color, shape: diverged ? 'cross' : c.shape || 'circle',
        label: diverged ? `${c.label ? `${c.label}: ` : ''}diverged at step ${c.divergedAt}` : '' }];
    });
    // Nothing to plot before the first step (one point is not a curve yet).
    if (!arrays.some((v) => v.length > 1)) this.series = this.series.map((s) => ({ ...s, y: () => [] }));
  }

  /** (XYChart.draw asks for the spec first: the racers are read once per draw.) */
  spec(title = '', data = true) { this.#sync(); return super.spec(title, data); }
}
