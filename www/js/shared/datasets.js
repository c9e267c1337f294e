// The engine's data landscapes, as its metadata describes them (E.landscapes()[i].data, from
// src/landscape/data.rs): which bundled CSV and columns they use, whether x is standardized (and
// with which ε), how many examples there are (the range of a mini-batch size), and the twin with
// the other choice. `useDataLandscapes(meta.landscapes)` fills the table once the engine's
// metadata is in (the optimizer lab at start; the tests from their fixture).
//
// Least-squares regression ŷ = w·x + b; the point that moves is p = (w, b); the surface is the
// full-data mean squared error L(w, b) = (1/n) Σᵢ (w·xᵢ + b − yᵢ)² (PyTorch's MSELoss, mean).
// Standardization is the lecture's input normalization x̂ = (x − μ)/sqrt(σ² + ε), with the data
// set's mean μ and its biased variance σ² (divide by n).

/** name → {csv (path under www/), x, y (column names), n, standardize, eps, source, xLabel, yLabel, twin} */
export const DATA_LANDSCAPES = {};

/** Register the data landscapes of the engine's landscape metadata (replacing any before). */
export function useDataLandscapes(landscapes) {
  for (const k of Object.keys(DATA_LANDSCAPES)) delete DATA_LANDSCAPES[k];
  for (const l of landscapes) {
    const d = l.data;
    if (!d) continue;
    DATA_LANDSCAPES[l.name] = { csv: d.csv, x: d.x_column, y: d.y_column, n: d.n, standardize: d.standardize, eps: d.eps, source: d.source, xLabel: d.x_label, yLabel: d.y_label, twin: d.twin };
  }
}

export const isDataLandscape = (name) => Object.prototype.hasOwnProperty.call(DATA_LANDSCAPES, name);
