// wasm benchmarks in headless Chromium (www/bench.html), printed as a table; then the optimizer
// lab itself: 8 racers playing (the `all8` preset), frame times sampled in the page.
import { createRequire } from "node:module";
import { formatRows } from "../../www/js/bench.js";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const base = process.env.BASE_URL ?? "http://127.0.0.1:8080";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
try {
  const page = await browser.newPage();
  // A page error (e.g. an engine built without a benchmarked API) fails fast instead of timing out.
  const failed = new Promise((_, reject) => page.on("pageerror", (e) => reject(new Error(`bench.html: ${e.message}`))));
  try {
    await page.goto(`${base}/bench.html`);
    await Promise.race([page.waitForFunction(() => window.__bench, null, { timeout: 300_000 }), failed]);
    const rows = await page.evaluate(() => window.__bench);
    const ua = await page.evaluate(() => navigator.userAgent.match(/Chrom\w+\/[\d.]+/)?.[0]);
    console.log(formatRows(`wasm (headless ${ua})`, rows));
  } catch (e) {
    console.log(`wasm benchmarks in Chromium failed: ${e.message}`);
    process.exitCode = 1;
  }
  await page.close();
  console.log(formatRows("optimizer lab in headless Chromium, 1280×800 (frame = interval between animation frames)", await labFrames()));
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
