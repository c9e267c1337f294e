// The page never blocks: every lab at the largest sizes its UI allows and its fastest speed, on a
// laptop and a phone viewport, through several seconds of training, a pause and a reset, must have
// no main-thread task over 50 ms (PerformanceObserver 'longtask'). The tasks while the page loads
// (its first layout, the first draw of every canvas) are observed from the first byte and
// reported, not yet held to the rule (see the worker-pool issue's closing note). The
// machine is shared and noisy, so a case that shows a long task is run again, up to 3 times; it
// fails when every attempt had one (the rule — 50 ms — is not loosened). Also measured here:
// Pause latency (click → every worker job reported its end), Reset latency (click → the old run
// is gone from the page, and → the new network is drawn), the worker pool's sweep giving
// bit-identical results with 1 and 2 workers, a bad spec's field-named error leaving the pool
// usable, and no leak after 100 resets (engine objects, workers; workers closed on leaving).
//
// Run:  node tests/e2e/perf.e2e.mjs   (engine built; server at $BASE_URL or started here)
import fs from 'node:fs';
import path from 'node:path';
import { ensureServer, launch, test, assert, finish, open, sleep, ART, LAPTOP, PHONE } from './lib.mjs';

const LONG = `window.__long = [];
try { new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push({ at: Math.round(e.startTime), ms: Math.round(e.duration) }); }).observe({ type: 'longtask', buffered: true }); } catch (e) { window.__long = null; }`;
const report = [];

const WIDE = Array(8).fill(512).join('-');
// [name, page, query, ms of play, does it train in workers]
const CASES = [
  ['vanishing 40×256, n 2000, batch 409 (the largest for these widths), 100 000 steps/s', 'vanishing', '?depth=40&width=256&n=2000&batch=409&steps=200000&speed=100000', 5000, true],
  ['vanishing sigmoid-deep at 100 000 steps/s', 'vanishing', '?preset=sigmoid-deep&steps=200000&speed=100000', 3000, true],
  ['initialization playground 2-16×6-1, n 2000, full batch, 100 000 steps/s', 'initialization', '?hidden=16-16-16-16-16-16&n=2000&batch=0&steps=200000&speed=100000', 4000, true],
  ['initialization deep 64-300×4-10 tanh, batch 2000, 100 bins', 'initialization', '?part=deep&deep.hidden=300-300-300-300&deep.batch=2000&deep.bins=100&deep.epochs=500', 5000, true],
  [`relu race ×5, 64-${WIDE}-10 on digits, batch 1000 (the largest for these widths)`, 'relu', `?runs=sigmoid,tanh,relu,leaky_relu,gelu&hidden=${WIDE}&batch=1000&speed=1000000&epochs=1000&thr=0.001`, 5000, true],
  ['dropout: 2 × 5 runs of 64-1024-1024-10, batch 512, streamed', 'dropout', '?hidden=1024-1024&batch=512&steps=20000&every=5', 5000, true],
  ['normalization: 4 runs of 5000 steps shown at 1000 steps/s, contour slices re-rendered in the workers', 'normalization', '?steps=5000&speed=1000', 4000, true],
  ['batchnorm: 8 pairs, batch 500, 50 000 steps, evaluated as often as allowed, probes and percentiles streamed', 'batchnorm', '?seeds=8&batch=500&steps=50000&every=1', 5000, true],
  ['optimizer all8, 20 000 steps at 2000 steps/s', 'optimizer', '?preset=all8&steps=20000&speed=2000', 5000, false],
  ['optimizer basin map 256², Himmelblau', 'optimizer', '?preset=basins&bres=256&speed=2000&steps=20000', 4000, false],
];

/** Frames while playing: the interval between animation frames (what a person sees). */
const FRAMES = `window.__frames = []; (function f(t) { window.__frames.push(t); if (window.__frames.length < 100000) requestAnimationFrame(f); })(performance.now());`;

async function attempt(browser, [name, lab, query, ms, workers], view) {
  // The largest vanishing network takes ~27 s to build and probe in the workers (the page stays
  // responsive meanwhile: its tasks are observed from the first byte).
  const { page, errors, close } = await open(browser, lab, query, { ...view, init: LONG, timeout: 90000 });
  try {
    await page.evaluate(FRAMES);
    await sleep(300); // the first frames after load
    const playAt = await page.evaluate(() => performance.now());
    await page.click('#play');
    await sleep(ms);
    // Pause: click, then wait until every worker job has reported its end (or, for the
    // optimizer lab, whose 2-D runs are on the main thread, until it stopped).
    const pauseMs = await page.evaluate(async (workers) => {
      const { getPool } = await import('./js/shared/pool.js');
      const t0 = performance.now();
      document.getElementById('play').click();
      const stopped = () => !window.__lab.playing && (!workers || getPool().activeJobs() === 0);
      while (!stopped() && performance.now() - t0 < 30000) await new Promise((r) => setTimeout(r, 1));
      return performance.now() - t0;
    }, workers);
    const steps = await page.evaluate(() => { const l = window.__lab; return l.trainer?.steps ?? l.pg?.trainer?.steps ?? l.racers?.[0]?.trainer?.steps ?? l.racers?.[0]?.run?.steps ?? (l.runs ? Math.max(0, ...l.runs.map((r) => r.record.at(-1)?.step ?? 0)) : null) ?? (l.P ? l.t : null); });
    const deep = lab === 'initialization' && query.includes('part=deep');
    // Reset: the old run leaves the page at once; the new network is drawn when its worker built it.
    const reset = await page.evaluate(async ({ deep }) => {
      const l = window.__lab;
      const trainer = () => (deep ? l.deep.trainer : l.trainer ?? l.pg?.trainer ?? l.racers?.[0]?.trainer ?? l.racers?.[0]?.run ?? l.picture?.trainer ?? (l.P && { steps: l.t }));
      const before = trainer();
      const t0 = performance.now();
      document.getElementById('reset').click();
      const effect = performance.now() - t0; // synchronous part: the page shows the reset
      let ready = null;
      while (performance.now() - t0 < 20000) {
        const t = trainer();
        if (t && t !== before && ((t.steps ?? 0) === 0 || t === l.picture?.trainer)) { ready = performance.now() - t0; break; }
        if (t && t === before && (t.steps ?? t.step ?? 0) === 0) { ready = performance.now() - t0; break; }
        await new Promise((r) => requestAnimationFrame(r));
      }
      return { effect, ready };
    }, { deep });
    await sleep(300);
    const r = await page.evaluate(() => {
      const f = window.__frames, iv = [];
      for (let i = 1; i < f.length; i++) iv.push(f[i] - f[i - 1]);
      iv.sort((a, b) => a - b);
      return { long: window.__long, frames: f.length, median: iv[iv.length >> 1], p95: iv[Math.floor(iv.length * 0.95)], max: iv[iv.length - 1], status: document.getElementById('mlp-status')?.textContent || document.getElementById('status-line')?.textContent || '' };
    });
    if (errors.length) throw new Error(errors.join('; '));
    if (!r.long) throw new Error('this browser has no longtask PerformanceObserver');
    const load = r.long.filter((e) => e.at < playAt), play = r.long.filter((e) => e.at >= playAt);
    return { ...r, load, long: play, pauseMs, reset, steps };
  } finally { await close(); }
}

async function perfCase(browser, c, view, vname) {
  const tries = [], timeouts = [];
  for (let k = 0; k < 3; k++) {
    let r;
    // A page that did not get ready within the load timeout counts as a failed attempt (once, in a
    // full run, the 40×256 phone case waited 90 s while the same case alone passed in 8 s); it
    // fails the case only if no attempt got ready.
    try { r = await attempt(browser, c, view); } catch (e) {
      if (e?.name !== 'TimeoutError') throw e;
      timeouts.push(String(e.message).split('\n')[0]);
      continue;
    }
    tries.push(r);
    if (!r.long.length) break;
  }
  if (timeouts.length) report.push(`${vname} ${c[0]}: ${timeouts.length} attempt(s) not ready in time: ${timeouts.join(' | ')}`);
  assert(tries.length, () => `no attempt got ready: ${timeouts.join(' | ')}`);
  const last = tries[tries.length - 1];
  const longs = tries.map((t) => (t.long.length ? t.long.map((e) => `${e.ms} ms at ${e.at}`).join(', ') : 'none')).join(' | ');
  const loads = tries.map((t) => (t.load.length ? t.load.map((e) => `${e.ms}`).join(', ') : 'none')).join(' | ');
  report.push(`${vname} ${c[0]}: long tasks while training, pausing, resetting: ${longs}; while loading (ms): ${loads}; frame interval median ${last.median.toFixed(1)} ms, p95 ${last.p95.toFixed(1)} ms, max ${last.max.toFixed(0)} ms; pause ${last.pauseMs.toFixed(0)} ms; reset shown ${last.reset.effect.toFixed(1)} ms, new network drawn ${last.reset.ready == null ? '—' : `${last.reset.ready.toFixed(0)} ms`}; steps at pause ${last.steps}${last.steps == null ? ` (${last.status})` : ''}`);
  assert(tries.some((t) => !t.long.length), () => `a main-thread task over 50 ms in each of ${tries.length} attempts: ${longs}`);
  assert(last.reset.effect <= 100, `reset shown after ${last.reset.effect} ms`);
  return last;
}

async function main() {
  await ensureServer();
  const browser = await launch();
  try {
    for (const [vname, view] of [['laptop', LAPTOP], ['phone', PHONE]]) {
      for (const c of CASES) {
        await test(`${vname}: ${c[0]}: no main-thread task over 50 ms from load through training, pause and reset`, async () => {
          const r = await perfCase(browser, c, view, vname);
          // Pause within 100 ms where one step of the network is shorter than that (the largest
          // networks finish the step in flight: see the report).
          if (/sigmoid-deep|playground|optimizer|dropout|normalization|batchnorm/.test(c[0]) || c[2].includes('preset=')) assert(r.pauseMs <= 100, `pause took ${r.pauseMs.toFixed(0)} ms`);
        });
      }
    }

    await test('pool: a sweep gives bit-identical results with 1 and 2 workers, in the order of its jobs', async () => {
      const { page, errors, close } = await open(browser, 'vanishing', '?preset=sigmoid-deep');
      const r = await page.evaluate(async () => {
        const { EnginePool } = await import('./js/shared/pool.js');
        const spec = (seed, dropout) => ({ layer_sizes: [2, 16, 16, 1], activation: 'tanh', loss: 'bce_with_logits', init: 'xavier_normal', optimizer: { name: 'adam', lr: 0.01 }, batch_size: 16, seed, dropout, data: { name: 'moons', n: 200, noise: 0.2, seed: 7 } });
        const jobs = [];
        for (let s = 1; s <= 6; s++) jobs.push({ op: 'trainRecord', spec: spec(s, s % 2 ? 0.3 : 0), steps: 400, every: 50 });
        const out = {};
        for (const size of [1, 2]) {
          const pool = new EnginePool({ size });
          const sw = pool.sweep(jobs);
          let progress = 0;
          sw.onProgress = (done) => { progress = done; };
          const t0 = performance.now();
          const res = await sw.results;
          out[size] = { ms: performance.now() - t0, progress, workers: pool.slots.length, losses: res.map((x) => Array.from(x.losses)), evals: res.map((x) => x.record.map((e) => [e.step, e.evaluation.train_loss, e.evaluation.train_errors])) };
          pool.terminate();
        }
        return out;
      });
      await close();
      assert(!errors.length, errors.join('; '));
      assert(r[1].workers === 1 && r[2].workers === 2, `workers used: ${r[1].workers}, ${r[2].workers}`);
      assert(r[1].progress === 6 && r[2].progress === 6, 'progress reached 6 of 6');
      assert(r[1].losses.every((l) => l.length === 400), 'every run took 400 steps');
      assert(JSON.stringify(r[1].losses) === JSON.stringify(r[2].losses), 'losses differ between 1 and 2 workers');
      assert(JSON.stringify(r[1].evals) === JSON.stringify(r[2].evals), 'evaluations differ between 1 and 2 workers');
      assert(JSON.stringify(r[1].losses[0]) !== JSON.stringify(r[1].losses[1]), 'different seeds give different runs');
      report.push(`sweep of 6 runs (2-16-16-1, 400 steps): 1 worker ${r[1].ms.toFixed(0)} ms, 2 workers ${r[2].ms.toFixed(0)} ms (×${(r[1].ms / r[2].ms).toFixed(2)}); bit-identical`);
    });

    await test('engine builds: Chromium gets the relaxed-SIMD build, a browser without relaxed SIMD the SIMD128 one; both train a net to the same losses', async () => {
      // The same seeded 64-32-32-10 net (its GEMMs are the builds' only difference) for 300 steps in
      // a worker of each page; a broken product in either build would move the losses by far more.
      const run = async (init) => {
        const { page, errors, close } = await open(browser, 'relu', '', { init });
        const r = await page.evaluate(async () => {
          const { getPool, engineVariant } = await import('./js/shared/pool.js');
          const csv = await (await fetch('data/digits.csv')).text();
          const spec = { layer_sizes: [64, 32, 32, 10], activation: 'relu', loss: 'cross_entropy', init: 'kaiming_normal', optimizer: { name: 'adam', lr: 0.003 }, batch_size: 64, seed: 3, data: { csv, normalize: true } };
          const [res] = await getPool().sweep([{ op: 'trainRecord', spec, steps: 300 }]).results;
          return { variant: engineVariant(), losses: Array.from(res.losses) };
        });
        await close();
        assert(!errors.length, errors.join('; '));
        return r;
      };
      const relaxed = await run('');
      // A browser that does not validate the 82-byte relaxed-SIMD probe.
      const plain = await run('const v = WebAssembly.validate; WebAssembly.validate = (b) => (b.byteLength === 82 ? false : v(b));');
      assert(relaxed.variant === 'relaxed-simd', `Chromium got the ${relaxed.variant} build`);
      assert(plain.variant === 'simd128', `without relaxed SIMD the page got the ${plain.variant} build`);
      assert(relaxed.losses.length === 300 && plain.losses.length === 300, 'both builds took 300 steps');
      let worst = 0;
      relaxed.losses.forEach((l, i) => { worst = Math.max(worst, Math.abs(l - plain.losses[i]) / Math.abs(plain.losses[i])); });
      assert(worst < 1e-3, `the builds' losses differ by ${worst.toExponential(2)} (relative)`);
      assert(plain.losses[299] < 0.5 * plain.losses[0], 'the net learns');
      report.push(`engine builds: relaxed-SIMD and SIMD128 losses agree to ${worst.toExponential(1)} over 300 steps (64-32-32-10)`);
    });

    await test('engine families: the optimizer lab downloads pkg/landscapes/, a network lab pkg/networks/, nothing of the other or of the full engine', async () => {
      // (the glue, the wasm, and the glue's snippet: src/web_charts.rs's inline JS)
      const want = { optimizer: /^\/pkg\/landscapes\/(optplay\.js|optplay_bg\.wasm|snippets\/[\w-]+\/inline0\.js)$/, relu: /^\/pkg\/networks\/(optplay\.js|optplay_relaxed_bg\.wasm|snippets\/[\w-]+\/inline0\.js)$/ };
      want.vanishing = want.relu;
      const seen = [];
      for (const [lab, re] of Object.entries(want)) {
        const urls = [];
        const { errors, close } = await open(browser, lab, '', { requests: urls });
        await sleep(1500); // the workers start
        await close();
        assert(!errors.length, `${lab}: ${errors.join('; ')}`);
        const pkg = [...new Set(urls.map((u) => new URL(u).pathname).filter((u) => u.startsWith('/pkg/')))];
        assert(pkg.length === 3 && pkg.every((u) => re.test(u)), `${lab} fetched ${pkg.join(', ') || 'nothing of pkg/'}`);
        const glue = urls.filter((u) => u.endsWith('/optplay.js')).length;
        assert(glue >= (lab === 'optimizer' ? 1 : 2), `${lab}: the glue was requested ${glue} time(s) (the page's import and each worker's expected)`);
        seen.push(`${lab}: glue requested ${glue}×`);
        seen.push(`${lab}: ${pkg.join(', ')}`);
      }
      report.push(`engine families: ${seen.join('; ')}`);
    });

    await test('pool: a bad spec reports the engine\'s field-named error; the pool stays usable; a cancelled sweep stops', async () => {
      const { page, errors, close } = await open(browser, 'vanishing', '?preset=sigmoid-deep');
      const r = await page.evaluate(async () => {
        const { EnginePool } = await import('./js/shared/pool.js');
        const pool = new EnginePool({ size: 2 });
        const good = { layer_sizes: [2, 8, 1], activation: 'relu', loss: 'bce_with_logits', optimizer: { name: 'sgd', lr: 0.1 }, batch_size: 8, data: { name: 'moons', n: 100, noise: 0.1 } };
        const bad = { ...good, optimizer: { name: 'sgd', lr: -1 } };
        const out = {};
        try { await pool.trainer(bad); out.trainer = 'no error'; } catch (e) { out.trainer = e.message; }
        try { await pool.sweep([{ op: 'trainRecord', spec: good, steps: 10 }, { op: 'trainRecord', spec: bad, steps: 10 }]).results; out.sweep = 'no error'; } catch (e) { out.sweep = e.message; }
        const t = await pool.trainer(good);
        await t.step(5);
        out.after = t.steps;
        const sw = pool.sweep(Array.from({ length: 8 }, (_, i) => ({ op: 'trainRecord', spec: { ...good, seed: i }, steps: 200000 })));
        await new Promise((r) => setTimeout(r, 200));
        const t0 = performance.now();
        sw.cancel();
        try { await sw.results; out.cancel = 'finished'; } catch (e) { out.cancel = e.message; }
        out.cancelMs = performance.now() - t0;
        out.stats = await pool.workerStats();
        t.free();
        pool.terminate();
        return out;
      });
      await close();
      assert(!errors.length, errors.join('; '));
      assert(/^optimizer\.lr\b/.test(r.trainer), `field-named error: ${r.trainer}`);
      assert(/^run 2 of 2: optimizer\.lr\b/.test(r.sweep), `sweep error names the run and the field: ${r.sweep}`);
      assert(r.after === 5, `the pool trains after the errors: ${r.after}`);
      assert(r.cancel === 'cancelled' && r.cancelMs < 200, `cancel: ${r.cancel} after ${r.cancelMs} ms`);
      assert(r.stats.every((s) => s.jobs === 0), JSON.stringify(r.stats));
      report.push(`errors: "${r.trainer}"; sweep: "${r.sweep}"; a running sweep cancelled in ${r.cancelMs.toFixed(0)} ms`);
    });

    await test('pool: 100 resets leak no engine object and no worker; the workers close when the lab is left', async () => {
      const { page, errors, close } = await open(browser, 'vanishing', '?preset=sigmoid-deep&speed=100000&steps=200000');
      const closed = [];
      for (const w of page.workers()) w.on('close', () => closed.push(w.url()));
      page.on('worker', (w) => w.on('close', () => closed.push(w.url())));
      await page.click('#play');
      await sleep(500);
      for (let i = 0; i < 100; i++) {
        await page.click('#reset');
        if (i % 10 === 0) await page.click('#play');
      }
      await page.waitForFunction(() => window.__lab.trainer && window.__lab.trainer.steps === 0, null, { timeout: 20000 });
      await sleep(500);
      const r = await page.evaluate(async () => {
        const { getPool } = await import('./js/shared/pool.js');
        const pool = getPool();
        return { stats: await pool.workerStats(), size: pool.size, slots: pool.slots.length, trainers: pool.trainers.size };
      });
      const workers = page.workers().length;
      const objects = r.stats.reduce((s, x) => s + x.objects, 0), jobs = r.stats.reduce((s, x) => s + x.jobs, 0);
      report.push(`after 100 resets: ${objects} engine object(s) in ${r.slots} worker(s) (pool size ${r.size}), ${jobs} jobs, ${r.trainers} live trainer(s) on the page, ${workers} worker thread(s)`);
      assert(objects === 1 && jobs === 0 && r.trainers === 1, JSON.stringify(r));
      assert(workers === r.slots && r.slots <= r.size, `${workers} workers, pool size ${r.size}`);
      await page.goto('about:blank');
      await sleep(500);
      assert(closed.length === workers, `${closed.length} of ${workers} workers closed after leaving the lab`);
      assert(!errors.length, errors.join('; '));
      await close();
    });
  } finally {
    await browser.close();
  }
  for (const l of report) console.log(`     ${l}`);
  fs.writeFileSync(path.join(ART, 'perf-report.txt'), report.join('\n') + '\n');
  finish();
}

main();
