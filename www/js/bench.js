// Benchmarks shared by Node (tests/bench/node.mjs) and the browser (bench.html, driven by
// tests/bench/browser.mjs): engine trajectories, 512² landscape grids and heatmaps against a
// plain-JS loop measured in the same run. Numbers are medians of 7 reps of ≥ 150 ms each.

const now = () => performance.now();

/** Median time per call (ms) of fn, after a warm-up. */
export function timeIt(fn, { reps = 7, minMs = 150 } = {}) {
  let calls = 1;
  for (let t = now(); now() - t < minMs / 2; ) { fn(); calls++; }
  const per = [];
  for (let r = 0; r < reps; r++) {
    const t0 = now();
    let n = 0;
    do { fn(); n++; } while (now() - t0 < minMs || n < 3);
    per.push((now() - t0) / n);
  }
  per.sort((a, b) => a - b);
  return per[reps >> 1];
}

// ---- plain-JS baselines (what a careful hand-written JS playground does) ----
const TWO_PI = 2 * Math.PI;
function jsRosenbrock(n, out, [x0, x1, y0, y1]) {
  const dx = (x1 - x0) / (n - 1), dy = (y1 - y0) / (n - 1);
  for (let j = 0; j < n; j++) {
    const y = y0 + j * dy;
    for (let i = 0; i < n; i++) {
      const x = x0 + i * dx, a = 1 - x, b = y - x * x;
      out[j * n + i] = a * a + 100 * b * b;
    }
  }
}
function jsRastrigin(n, out, [x0, x1, y0, y1]) {
  const dx = (x1 - x0) / (n - 1), dy = (y1 - y0) / (n - 1);
  for (let j = 0; j < n; j++) {
    const y = y0 + j * dy, fy = y * y - 10 * Math.cos(TWO_PI * y); // y-term hoisted per row
    for (let i = 0; i < n; i++) {
      const x = x0 + i * dx;
      out[j * n + i] = 20 + x * x - 10 * Math.cos(TWO_PI * x) + fy;
    }
  }
}
function jsLut() {
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const lut = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * 4, k = Math.min(3, Math.floor(t)), f = t - k;
    const c = (m) => Math.round(stops[k][m] * (1 - f) + stops[k + 1][m] * f);
    lut[i] = (255 << 24 | c(2) << 16 | c(1) << 8 | c(0)) >>> 0;
  }
  return lut;
}
/** Log-scaled colouring (log1p of f − min) into RGBA, as a JS heatmap would do it. */
function jsColour(vals, out32, lut, tmp) {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < vals.length; i++) if (vals[i] < lo) lo = vals[i];
  for (let i = 0; i < vals.length; i++) {
    const v = Math.log1p(vals[i] - lo);
    tmp[i] = v;
    if (v > hi) hi = v;
  }
  const s = hi > 0 ? 255 / hi : 0;
  for (let i = 0; i < vals.length; i++) out32[i] = lut[(tmp[i] * s) | 0];
}

/**
 * Run every benchmark with engine module E (already initialised). Returns rows
 * {group, case, value, unit}.
 */
export function runBench(E, { quick = false } = {}) {
  const rows = [];
  const opts = quick ? { reps: 3, minMs: 40 } : {};
  const add = (group, c, value, unit) => rows.push({ group, case: c, value, unit });

  // Trajectory steps per second on Rosenbrock.
  for (const [name, optimizer] of [["adam", { name: "adam", lr: 0.01 }], ["newton", { name: "newton", eta: 0.5 }], ["sgd+momentum", { name: "sgd", lr: 0.001, momentum: 0.9 }]]) {
    const steps = 100_000;
    const ms = timeIt(() => {
      const run = new E.Run({ landscape: "rosenbrock", start: [-1.5, 2], optimizer, steps });
      run.step(steps);
      run.free();
    }, opts);
    add("trajectory", `${name} on rosenbrock`, steps / (ms / 1000), "steps/s");
  }

  // 512×512 grid: evaluation, and evaluation + colour + contours; plain JS in the same run.
  const n = 512;
  const vals = new Float64Array(n * n), tmp = new Float64Array(n * n), rgba = new Uint32Array(n * n), lut = jsLut();
  for (const [name, jsEval] of [["rosenbrock", jsRosenbrock], ["rastrigin", jsRastrigin]]) {
    const L = new E.Landscape(name);
    const info = L.info();
    const [x0, x1, y0, y1] = info.domain;
    add("grid 512²", `${name}: engine evaluate (f32x4)`, timeIt(() => L.grid(n, n, x0, x1, y0, y1), opts), "ms");
    add("grid 512²", `${name}: engine evaluate + colour + contours`, timeIt(() => L.render(n, n, x0, x1, y0, y1, info.scale, "viridis", 12), opts), "ms");
    add("grid 512²", `${name}: plain JS evaluate`, timeIt(() => jsEval(n, vals, info.domain), opts), "ms");
    add("grid 512²", `${name}: plain JS evaluate + colour (no contours)`, timeIt(() => { jsEval(n, vals, info.domain); jsColour(vals, rgba, lut, tmp); }, opts), "ms");
    L.free();
  }
  runNetworkBench(E, opts, add);
  return rows;
}

/** The network rows only (runBench includes them): MLP training steps and matrix products. */
export function runNetworkBench(E, opts = {}, add = null) {
  const rows = [];
  add ??= (group, c, value, unit) => rows.push({ group, case: c, value, unit });
  // MLP training steps per second: the nets of ../shared/PERF.md with one fixed full batch
  // (x[i][j] = sin(1 + 0.7i + 1.3j), labels x0·x1 > 0 or i mod 10), Adam(lr 0.01); the same
  // cases as tests/bench/native.rs. GFLOP/s counts 6·B·Σ in·out per step.
  for (const [name, sizes, activation, loss, batch] of MLP_NETS) {
    const t = new E.Trainer(mlpSpec(sizes, activation, loss, batch));
    const flop = 6 * batch * sizes.slice(1).reduce((s, o, l) => s + sizes[l] * o, 0);
    const reps = Math.max(1, Math.min(200, Math.floor(2e7 / flop)));
    const ms = timeIt(() => t.step(reps), opts);
    const sps = reps / (ms / 1000);
    add("mlp training step (forward + backward + Adam, f32)", name, sps, "steps/s");
    add("mlp training step (forward + backward + Adam, f32)", `  ${name.split(" ")[0]} (6·B·Σ in·out)`, (sps * flop) / 1e9, "GFLOP/s");
    t.free();
  }
  // The three matrix-product orientations at the wide net's first layer (B 256, in 784, out 256).
  for (const [name, kind, m, n, k] of [["forward Z = X·Wᵀ", "nt", 256, 256, 784], ["weight gradient ∂W = ∂Zᵀ·X", "tn", 256, 784, 256], ["input gradient ∂X = ∂Z·W", "nn", 256, 784, 256]]) {
    const mb = new E.MatmulBench(kind, m, n, k);
    const ms = timeIt(() => mb.run(1), opts);
    add("matmul f32, the wide net's first layer (B 256, in 784, out 256)", name, (2 * m * n * k) / (ms / 1000) / 1e9, "GFLOP/s");
    mb.free();
  }
  return rows;
}

const MLP_NETS = [
  ["small 2-8-8-1 tanh mse B32", [2, 8, 8, 1], "tanh", "mse", 32],
  ["medium 2-64-64-64-1 relu mse B256", [2, 64, 64, 64, 1], "relu", "mse", 256],
  ["wide 784-256-128-10 relu CE B256", [784, 256, 128, 10], "relu", "cross_entropy", 256],
];

function mlpSpec(sizes, activation, loss, batch) {
  const d = sizes[0], classes = sizes[sizes.length - 1];
  const inputs = Array.from({ length: batch }, (_, i) => Array.from({ length: d }, (_, j) => Math.sin(1 + 0.7 * i + 1.3 * j)));
  const labels = inputs.map((x, i) => (classes > 1 ? i % classes : x[0] * x[1] > 0 ? 1 : 0));
  return { layer_sizes: sizes, activation, loss, init: "xavier_uniform", optimizer: { name: "adam", lr: 0.01 }, batch_size: batch, data: { inputs, labels } };
}

/** Rows → a fixed-width text table. */
export function formatRows(title, rows) {
  const lines = [title];
  let group = "";
  for (const r of rows) {
    if (r.group !== group) { group = r.group; lines.push(`  ${group}`); }
    const v = r.unit === "ms" ? r.value.toFixed(3) : r.unit === "GFLOP/s" || r.unit === "×" || r.unit === "s" ? r.value.toFixed(r.unit === "s" ? 2 : 1) : Math.round(r.value).toLocaleString("en-US");
    lines.push(`    ${r.case.padEnd(52)} ${v.padStart(14)} ${r.unit}`);
  }
  return lines.join("\n");
}
