// The engine's data landscapes, described for the JS side (no DOM, no engine): which bundled CSV and
// which columns they use, whether x is standardized, and how many examples there are (the range of
// a mini-batch size). Mirrors src/landscape/data.rs (DATA_LANDSCAPES); tests/js/export.test.mjs
// checks every entry against the built engine.
//
// Least-squares regression ŷ = w·x + b; the point that moves is p = (w, b); the surface is the
// full-data mean squared error L(w, b) = (1/n) Σᵢ (w·xᵢ + b − yᵢ)² (PyTorch's MSELoss, mean).
// Standardization is the lecture's input normalization x̂ = (x − μ)/sqrt(σ² + ε), with the data
// set's mean μ, its biased variance σ² (divide by n) and ε = 1e-5.

export const STANDARDIZE_EPS = 1e-5;

const IRIS = {
  csv: 'data/iris.csv', x: 'petal_length_(cm)', y: 'petal_width_(cm)', n: 150,
  source: 'Iris (Fisher 1936; UCI, CC BY 4.0), as exported by scikit-learn',
  xLabel: 'petal length (cm)', yLabel: 'petal width (cm)',
};

/** name → {csv (path under www/), x, y (column names), n, standardize, source, xLabel, yLabel, twin} */
export const DATA_LANDSCAPES = {
  iris_petals: { ...IRIS, standardize: false, twin: 'iris_petals_standardized' },
  iris_petals_standardized: { ...IRIS, standardize: true, twin: 'iris_petals' },
};

export const isDataLandscape = (name) => Object.prototype.hasOwnProperty.call(DATA_LANDSCAPES, name);

/** The two named columns of a CSV text with a header row, as numbers (the engine's parser rules). */
export function parseColumns(csv, xName, yName) {
  const lines = String(csv).split(/\r?\n/);
  const header = lines[0].split(',');
  const ix = header.indexOf(xName), iy = header.indexOf(yName);
  if (ix < 0 || iy < 0) throw new Error(`data: columns ${xName}, ${yName} not found`);
  const xs = [], ys = [];
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    const c = line.split(',');
    const x = Number(c[ix].trim()), y = Number(c[iy].trim());
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`data: not a number in "${line.slice(0, 40)}"`);
    xs.push(x); ys.push(y);
  }
  return { xs, ys };
}

/** x̂ = (x − μ)/sqrt(σ² + ε), summed left to right like the engine (and like Python's sum()). */
export function standardize(xs) {
  const n = xs.length;
  let s = 0;
  for (const x of xs) s += x;
  const mu = s / n;
  let v = 0;
  for (const x of xs) v += (x - mu) * (x - mu);
  const sd = Math.sqrt(v / n + STANDARDIZE_EPS);
  return xs.map((x) => (x - mu) / sd);
}

/** The (xs, ys) a data landscape fits, from the CSV text. */
export function landscapeData(name, csv) {
  const d = DATA_LANDSCAPES[name];
  if (!d) throw new Error(`data: "${name}" is not a data landscape`);
  const { xs, ys } = parseColumns(csv, d.x, d.y);
  return { xs: d.standardize ? standardize(xs) : xs, ys, raw: xs };
}
