// wasm benchmarks in headless Chromium (www/bench.html), printed as a table; then the optimizer
// lab itself: 8 racers playing (the `all8` preset), frame times sampled in the page.
import { createRequire } from "node:module";
import { formatRows } from "../../www/js/bench.js";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const base = process.env.BASE_URL ?? "http://127.0.0.1:8080";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
let rows = [];
try {
  const page = await browser.newPage();
  // A page error (e.g. an engine built without a benchmarked API) fails fast instead of timing out.
  const failed = new Promise((_, reject) => page.on("pageerror", (e) => reject(new Error(`bench.html: ${e.message}`))));
  try {
    await page.goto(`${base}/bench.html`);
    await Promise.race([page.waitForFunction(() => window.__bench, null, { timeout: 300_000 }), failed]);
    rows = await page.evaluate(() => window.__bench);
    const ua = await page.evaluate(() => navigator.userAgent.match(/Chrom\w+\/[\d.]+/)?.[0]);
    console.log(formatRows(`wasm (headless ${ua})`, rows));
  } catch (e) {
    console.log(`wasm benchmarks in Chromium failed: ${e.message}`);
    process.exitCode = 1;
  }
  await page.close();
  try {
    const plain = await browser.newPage();
    await plain.goto(`${base}/bench.html?engine=simd128&quick`);
    await plain.waitForFunction(() => window.__bench, null, { timeout: 300_000 });
    const [pr, pv] = await plain.evaluate(() => [window.__bench, window.__variant]);
    await plain.close();
    console.log(formatRows(`networks in the ${pv} build (what browsers without relaxed SIMD run; quick repetitions)`, pr.filter((r) => /^(mlp|matmul)/.test(r.group))));
  } catch (e) {
    console.log(`benchmarks of the plain build failed: ${e.message}`);
    process.exitCode = 1;
  }
  try {
    console.log(formatRows("the engine next to the anchors of ../shared/PERF.md, measured in alternation in one Chromium page (steps/s: medians of 5 rounds; ratios: medians of the per-round ratios)", await anchors(rows)));
  } catch (e) {
    console.log(`anchor benchmarks failed: ${e.message}`);
    process.exitCode = 1;
  }
  console.log(formatRows("optimizer lab in headless Chromium, 1280×800 (frame = interval between animation frames)", await labFrames()));
  console.log(formatRows("charts drawn by the engine on a canvas (src/chart draw_xy → plotters-canvas, XyCanvas), 1280×400 CSS px", await chartRedraw()));
  console.log(formatRows("network labs playing, 1280×800, 3 s (frame = interval between animation frames; chart draw = every XYChart's draw in the frame)", await networkLabFrames()));
  console.log(formatRows("payload per lab page: every file it fetched until ready, gzip -9 (what a static host serving gzip sends)", await payload()));
  console.log(formatRows(`lab workloads in the worker pool (wall time from start to the last result; ${await cores()} cores)`, await workloads(rows)));
} finally {
  await browser.close();
}

/**
 * Open the lab with 8 racers playing (landscape, paths, chart and panels redrawn every frame) and
 * sample for ~3 s: the interval between requestAnimationFrame callbacks (what the student sees)
 * and the time the lab's figure and chart spend drawing in each frame.
 */
async function labFrames() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${base}/optimizer.html?preset=all8&steps=20000&speed=120`);
  await page.waitForSelector("body.ready", { timeout: 30_000 });
  const s = await page.evaluate(async () => {
    const lab = window.__lab;
    const work = { plot: [], chart: [] };
    for (const k of ["plot", "chart"]) {
      const o = lab[k], draw = o.draw.bind(o);
      o.draw = () => { const t0 = performance.now(); draw(); work[k].push(performance.now() - t0); };
    }
    document.getElementById("play").click();
    await new Promise((r) => setTimeout(r, 500)); // warm-up
    work.plot.length = 0; work.chart.length = 0;
    const frames = [];
    let last = 0;
    await new Promise((done) => {
      const t0 = performance.now();
      const tick = (t) => {
        if (last) frames.push(t - last);
        last = t;
        if (t - t0 < 3000) requestAnimationFrame(tick); else done();
      };
      requestAnimationFrame(tick);
    });
    const steps = Math.min(...lab.racers.map((r) => r.run.len - 1));
    return { frames, work, racers: lab.racers.length, playing: lab.playing, steps };
  });
  await page.close();
  if (s.racers !== 8 || !s.playing) throw new Error(`lab benchmark: expected 8 racers playing, got ${s.racers} (playing: ${s.playing})`);
  const q = (a, p) => { const b = a.slice().sort((x, y) => x - y); return b[Math.min(b.length - 1, Math.floor(p * b.length))]; };
  const g = "8 racers playing on rosenbrock, 3 s";
  return [
    { group: g, case: `frames sampled (racers at step ${s.steps})`, value: s.frames.length, unit: "frames" },
    { group: g, case: "frame time, median", value: q(s.frames, 0.5), unit: "ms" },
    { group: g, case: "frame time, p95", value: q(s.frames, 0.95), unit: "ms" },
    { group: g, case: "frame time, max", value: Math.max(...s.frames), unit: "ms" },
    { group: g, case: "frames over 16.7 ms (incl. ±0.1 ms vsync jitter)", value: s.frames.filter((t) => t > 16.7).length, unit: "frames" },
    { group: g, case: "frames over 25 ms (a missed frame)", value: s.frames.filter((t) => t > 25).length, unit: "frames" },
    { group: g, case: "figure draw (cached heatmap, paths, markers), median", value: q(s.work.plot, 0.5), unit: "ms" },
    { group: g, case: "figure draw, max", value: Math.max(...s.work.plot), unit: "ms" },
    { group: g, case: "chart draw, median", value: q(s.work.chart, 0.5), unit: "ms" },
    { group: g, case: "chart draw, max", value: Math.max(...s.work.chart), unit: "ms" },
  ];
}

/**
 * The x–y chart as the labs draw it (XYChart → the charts module's XyCanvas): 8 series of 100 000
 * points each on a 1280-px-wide chart (log y, legend), decimated to the pixel columns in the engine.
 * "redraw" is the engine's draw of the data it holds (a resize, a theme change); "with new data"
 * adds handing the 8 typed arrays to the chart module (what a frame of a training lab does).
 * Target (issue 9): median redraw ≤ 2 ms.
 */
async function chartRedraw() {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${base}/dropout.html`);
  await page.waitForSelector("body.ready", { timeout: 30_000 });
  const r = await page.evaluate(async () => {
    const { XYChart } = await import("./js/shared/xychart.js");
    const { loadEngine } = await import("./js/shared/engine.js");
    const { timeIt } = await import("./js/bench.js");
    await loadEngine();
    const cv = document.createElement("canvas");
    cv.style.cssText = "position:fixed;left:0;top:0;width:1280px;height:400px;z-index:99;background:#fff";
    document.body.append(cv);
    const c = new XYChart(cv, { xLabel: "step", yLabel: "loss", logY: true });
    c.resize({ width: 1280, height: 400 });
    const series = (n) => [...Array(8)].map((_, k) => Float64Array.from({ length: n }, (_, i) => ((1 + k) / (1 + i / 100)) * (1 + 0.3 * Math.sin(i * 0.7 + k))));
    const out = {};
    for (const n of [100_000, 2_000]) {
      const ys = series(n);
      c.series = ys.map((y, k) => ({ label: `run ${k + 1}`, color: `hsl(${k * 45},70%,40%)`, y: () => y }));
      c.paint();
      const p = c.painter;
      out[n] = { full: timeIt(() => c.paint(), { reps: 7, minMs: 200 }), redraw: timeIt(() => p.draw(1280, 400, c.dpr), { reps: 7, minMs: 200 }) };
      // Training: every frame one new point per series, handed in alone (`grows`).
      const long = series(n + 20_000);
      let m = n;
      c.series = long.map((y, k) => ({ label: `run ${k + 1}`, color: `hsl(${k * 45},70%,40%)`, grows: k + 1, y: () => y.subarray(0, m) }));
      c.paint();
      out[n].append = timeIt(() => { m = Math.min(m + 1, n + 20_000); c.paint(); }, { reps: 7, minMs: 200 });
    }
    cv.remove();
    return out;
  });
  await page.close();
  const g = "8 series × 100 000 points";
  return [
    { group: g, case: `redraw, median (target ≤ 2 ms: ${met(r[100000].redraw <= 2)})`, value: r[100000].redraw, unit: "ms" },
    { group: g, case: "with new data (8 × 800 KB copied in), median", value: r[100000].full, unit: "ms" },
    { group: g, case: "one new point per series (appended), median", value: r[100000].append, unit: "ms" },
    { group: "8 series × 2 000 points (a lab's history)", case: "redraw, median", value: r[2000].redraw, unit: "ms" },
    { group: "8 series × 2 000 points (a lab's history)", case: "with new data, median", value: r[2000].full, unit: "ms" },
    { group: "8 series × 2 000 points (a lab's history)", case: "one new point per series (appended), median", value: r[2000].append, unit: "ms" },
  ];
}

/** Frame intervals and chart drawing while a network lab trains (dropout: 6 charts; batch norm: 11). */
async function networkLabFrames() {
  const rows = [];
  const q = (a, p) => { const b = a.slice().sort((x, y) => x - y); return b.length ? b[Math.min(b.length - 1, Math.floor(p * b.length))] : 0; };
  for (const lab of ["dropout", "batchnorm"]) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${base}/${lab}.html`);
    await page.waitForSelector("body.ready", { timeout: 30_000 });
    const s = await page.evaluate(async () => {
      const { CHARTS } = await import("./js/shared/xychart.js");
      const work = [];
      let inFrame = 0;
      for (const c of CHARTS) {
        if (typeof c.spec !== "function") continue;
        const draw = c.draw.bind(c);
        c.draw = () => { const t0 = performance.now(); draw(); inFrame += performance.now() - t0; };
      }
      document.getElementById("play").click();
      await new Promise((r) => setTimeout(r, 800));
      const frames = [];
      let last = 0;
      await new Promise((done) => {
        const t0 = performance.now();
        const tick = (t) => {
          if (last) { frames.push(t - last); work.push(inFrame); }
          inFrame = 0; last = t;
          if (t - t0 < 3000) requestAnimationFrame(tick); else done();
        };
        requestAnimationFrame(tick);
      });
      return { frames, work: work.filter((w) => w > 0) };
    });
    await page.close();
    const g = `${lab} lab playing`;
    rows.push(
      { group: g, case: "frame time, median", value: q(s.frames, 0.5), unit: "ms" },
      { group: g, case: "frame time, p95", value: q(s.frames, 0.95), unit: "ms" },
      { group: g, case: "frames over 25 ms (a missed frame)", value: s.frames.filter((t) => t > 25).length, unit: "frames" },
      { group: g, case: `chart draw per frame with a redraw (${s.work.length} frames), median`, value: q(s.work, 0.5), unit: "ms" },
      { group: g, case: "chart draw per frame, max", value: Math.max(0, ...s.work), unit: "ms" },
    );
  }
  return rows;
}

/**
 * What each lab page downloads before it is ready (page, scripts, styles, wasm, data), as gzip -9
 * of the files served; target (issue 9): ≤ 250 KiB per lab page.
 */
async function payload() {
  const { gzipSync } = await import("node:zlib");
  const { readFileSync } = await import("node:fs");
  const { fileURLToPath } = await import("node:url");
  const www = fileURLToPath(new URL("../../www/", import.meta.url));
  const rows = [];
  for (const lab of ["optimizer", "vanishing", "initialization", "normalization", "batchnorm", "dropout", "relu"]) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const urls = new Set();
    page.on("requestfinished", (r) => urls.add(new URL(r.url()).pathname));
    await page.goto(`${base}/${lab}.html`);
    await page.waitForSelector("body.ready", { timeout: 30_000 });
    await page.waitForTimeout(1500);
    await page.close();
    let total = 0, wasm = 0;
    for (const u of urls) {
      let bytes;
      try { bytes = readFileSync(www + decodeURIComponent(u).replace(/^\/+/, "")); } catch { continue; }
      const z = gzipSync(bytes, { level: 9 }).length;
      total += z;
      if (u.endsWith(".wasm")) wasm += z;
    }
    rows.push({ group: `${lab}.html (${urls.size} files)`, case: `total (target ≤ 250 KiB: ${met(total <= 250 * 1024)})`, value: total / 1024, unit: "KiB" }, { group: `${lab}.html (${urls.size} files)`, case: "of which wasm", value: wasm / 1024, unit: "KiB" });
  }
  return rows;
}

/**
 * The engine, TensorFlow.js wasm-SIMD and the plain ndarray → wasm build on the same nets
 * (tests/bench/anchors/page.js, its files built into $ANCHORS by ./build.sh bench and served to
 * this page only), with the targets of the worker-pool issue as ratios of this one run: small
 * B32 ≥ 2× ndarray; medium B256 ≥ 2× ndarray and ≥ 15× TF.js; wide B256 ≥ 85 % of the engine's
 * best matrix-product orientation (bench.html's rows, measured just before).
 */
async function anchors(engineRows) {
  const dir = process.env.ANCHORS;
  if (!dir) throw new Error("ANCHORS (the built anchors' folder) is not set: run ./build.sh bench");
  const { readFile } = await import("node:fs/promises");
  const page = await browser.newPage();
  await page.route("**/anchors/**", async (route) => {
    const file = new URL(route.request().url()).pathname.replace(/^\/anchors\//, "");
    if (file.includes("..")) return route.abort();
    const type = file.endsWith(".wasm") ? "application/wasm" : "text/javascript";
    try { await route.fulfill({ body: await readFile(`${dir}/${file}`), contentType: type }); } catch { await route.abort(); }
  });
  await page.goto(`${base}/bench.html?quick`);
  const out = await page.evaluate(async () => (await import("/anchors/page.js")).compare());
  await page.close();
  const rows = [], gemm = gemmPeak(engineRows);
  for (const [k, v] of Object.entries(out.nets)) {
    rows.push({ group: k, case: `engine (optplay, ${out.variant} build)`, value: v.engine, unit: "steps/s" });
    rows.push({ group: k, case: out.tfjs, value: v.tfjs, unit: "steps/s" });
    rows.push({ group: k, case: "plain Rust ndarray → wasm32 + simd128", value: v.ndarray, unit: "steps/s" });
    rows.push({ group: k, case: "engine GFLOP/s (6·B·Σ in·out)", value: (v.engine * v.flop) / 1e9, unit: "GFLOP/s" });
    const small = k.startsWith("small"), medium = k.startsWith("medium");
    rows.push({ group: k, case: `engine / ndarray${small || medium ? ` (target ≥ 2×: ${met(v.vsNdarray >= 2)})` : ""}`, value: v.vsNdarray, unit: "×" });
    rows.push({ group: k, case: `engine / TF.js${medium ? ` (target ≥ 15×: ${met(v.vsTfjs >= 15)})` : ""}`, value: v.vsTfjs, unit: "×" });
    if (k.startsWith("wide") && Number.isFinite(gemm)) {
      const share = (v.engine * v.flop) / 1e9 / gemm;
      rows.push({ group: k, case: `of the engine's best GEMM orientation, ${gemm.toFixed(1)} GFLOP/s (target ≥ 85 %: ${met(share >= 0.85)})`, value: 100 * share, unit: "%" });
    }
  }
  return rows;
}

/** A target's verdict, printed next to its number (declarations: the top-level run hoists them). */
function met(ok) { return ok ? "met" : "NOT met"; }
/** The engine's best matrix-product orientation measured in bench.html's rows (GFLOP/s). */
function gemmPeak(engineRows) { return Math.max(...engineRows.filter((r) => /^matmul/.test(r.group)).map((r) => r.value)); }

async function cores() {
  const page = await browser.newPage();
  await page.goto(`${base}/index.html`);
  const n = await page.evaluate(() => navigator.hardwareConcurrency);
  await page.close();
  return n;
}

/**
 * The workloads of the coming labs, run through the pool's sweep API (shared/pool.js) with 1
 * worker and with the full pool (navigator.hardwareConcurrency), with the main thread's long
 * tasks observed meanwhile:
 *   W1 batch-norm figure: 64-100-100-100-10 sigmoid on digits, batch 60, SGD, ± BN, 2000 steps
 *      each, evaluation every 50 steps;
 *   W2 learning-rate sweep: lr ∈ {0.1, 0.5, 2, 8} × {BN, no BN} × 600 steps;
 *   W3 dropout seed band: 64-256-256-10 ReLU, batch 32, {no dropout, dropout 0.5} × 5 seeds ×
 *      3000 steps, evaluation every 20 steps;
 *   W4 deep initialization: 64-300×4-10 tanh on digits, 20 epochs, per-layer histograms each epoch.
 */
async function workloads(engineRows) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(`window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });`);
  // A lab page (its CSP allows compiling wasm); its own network is built and idle before we start.
  await page.goto(`${base}/vanishing.html?preset=unit`);
  await page.waitForSelector('body.ready', { timeout: 30_000 });
  await page.waitForTimeout(1000);
  const out = await page.evaluate(async () => {
    const { EnginePool } = await import('./js/shared/pool.js');
    const csv = await (await fetch('data/digits.csv')).text();
    const net = (sizes, act, o) => ({ layer_sizes: sizes, activation: act, loss: 'cross_entropy', init: 'xavier_normal', optimizer: { name: 'sgd', lr: o.lr ?? 0.1, ...(o.momentum ? { momentum: o.momentum } : {}) }, batch_size: o.batch, seed: o.seed ?? 1, batch_norm: !!o.bn, dropout: o.dropout ?? 0, data: { csv, normalize: true, ...(o.data || {}) } });
    const W = {
      'W1 batch-norm figure (2 runs × 2000 steps)': [false, true].map((bn) => ({ op: 'trainRecord', spec: net([64, 100, 100, 100, 10], 'sigmoid', { batch: 60, bn }), steps: 2000, every: 50 })),
      'W2 lr sweep (8 runs × 600 steps)': [0.1, 0.5, 2, 8].flatMap((lr) => [false, true].map((bn) => ({ op: 'trainRecord', spec: net([64, 100, 100, 100, 10], 'sigmoid', { batch: 60, bn, lr }), steps: 600, every: 50 }))),
      'W3 dropout seed band (10 runs × 3000 steps)': [0, 0.5].flatMap((dropout) => [1, 2, 3, 4, 5].map((seed) => ({ op: 'trainRecord', spec: net([64, 256, 256, 10], 'relu', { batch: 32, dropout, seed, momentum: 0.9, lr: 0.01 }), steps: 3000, every: 20 }))),
      // W3 as the dropout lab (#11) will run it: a 200-image training set, the same 360 validation images, both evaluated.
      "W3' dropout seed band, the lab's split (10 runs × 3000 steps, 200 + 360 images)": [0, 0.5].flatMap((dropout) => [1, 2, 3, 4, 5].map((seed) => ({ op: 'trainRecord', spec: net([64, 256, 256, 10], 'relu', { batch: 32, dropout, seed, momentum: 0.9, lr: 0.01, data: { validation_split: 0.2, train_size: 200 } }), steps: 3000, every: 20 }))),
      'W4 deep init (64-300×4-10 tanh, 20 epochs)': [{ op: 'trainRecord', spec: net([64, 300, 300, 300, 300, 10], 'tanh', { batch: 64 }), steps: 20 * Math.ceil(1797 * 0.8 / 64), every: Math.ceil(1797 * 0.8 / 64), inspect: 30 }],
    };
    const res = {};
    for (const size of [1, navigator.hardwareConcurrency]) {
      const pool = new EnginePool({ size });
      await pool.warm();
      for (const [name, jobs] of Object.entries(W)) {
        window.__long.length = 0;
        const t0 = performance.now();
        const r = await pool.sweep(jobs).results;
        const ms = performance.now() - t0;
        // The products' FLOPs actually done: 6·B·Σ in·out per training step, 2·n·Σ in·out per
        // evaluation of the n = 1797 digits, or of the kept training set and the validation set (at step 0, every `every` steps and at the end).
        const flop = jobs.reduce((f, j, k) => {
          const sz = j.spec.layer_sizes, macs = sz.slice(1).reduce((m, o, l) => m + sz[l] * o, 0), st = r[k].steps;
          const d = j.spec.data, nEval = d.train_size ? d.train_size + Math.round(1797 * (d.validation_split ?? 0)) : 1797;
          return f + st * 6 * j.spec.batch_size * macs + (j.every ? Math.floor(st / j.every) + 2 : 1) * 2 * nEval * macs;
        }, 0);
        (res[name] ??= {})[size] = { ms, flop, long: window.__long.length, maxLong: Math.max(0, ...window.__long), steps: r.reduce((s, x) => s + x.steps, 0) };
      }
      pool.terminate();
    }
    return { res, hc: navigator.hardwareConcurrency };
  });
  await page.close();
  const rows = [];
  const gemm = gemmPeak(engineRows);
  for (const [name, r] of Object.entries(out.res)) {
    const one = r[1], all = r[out.hc];
    rows.push({ group: name, case: '1 worker', value: one.ms / 1000, unit: 's' });
    const limit = name.startsWith('W2') ? 2 : name.startsWith('W3') ? 10 : null;
    rows.push({ group: name, case: `${out.hc} workers${limit ? ` (target ≤ ${limit} s: ${met(all.ms / 1000 <= limit)})` : ''}`, value: all.ms / 1000, unit: 's' });
    const jobs = name.match(/\((\d+) runs?/)?.[1] ?? '1';
    rows.push({ group: name, case: `speed-up 1 → ${out.hc} workers${jobs !== '1' ? ` (target ≥ 1.8×: ${met(one.ms / all.ms >= 1.8)})` : ' (one run: nothing to spread)'}`, value: one.ms / all.ms, unit: '×' });
    rows.push({ group: name, case: 'training steps per second (full pool)', value: all.steps / (all.ms / 1000), unit: 'steps/s' });
    rows.push({ group: name, case: 'main-thread tasks over 50 ms (both runs)', value: one.long + all.long, unit: 'tasks' });
    rows.push({ group: name, case: 'matrix-product work (training + evaluations)', value: all.flop / 1e9, unit: 'GFLOP' });
    if (Number.isFinite(gemm)) rows.push({ group: name, case: `FLOP-bound minimum: all ${out.hc} cores at the GEMM peak ${gemm.toFixed(1)} GFLOP/s`, value: all.flop / 1e9 / (gemm * out.hc), unit: 's' });
    rows.push({ group: name, case: 'achieved (full pool)', value: all.flop / 1e9 / (all.ms / 1000), unit: 'GFLOP/s' });
  }
  return rows;
}
