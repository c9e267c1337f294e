// The input normalization lab in Chromium: the slide's claims checked with the engine's own
// numbers — the condition number of each coordinate system (centring and scaling both needed),
// gradient descent at each system's best step, "training w₂ is slow", one model in four
// coordinate systems, the learning-rate sweep against the bounds, Adam on raw inputs, the leak,
// κ for every feature — the contour images and principal directions, the axis and slice
// switches, and screenshots on a laptop and a phone.
//
// Run:  node tests/e2e/normalization.e2e.mjs   (engine built; server at $BASE_URL or started here)
import { ensureServer, launch, test, assert, finish, open, sleep, shot, PHONE } from './lib.mjs';

const report = [];
const ready = (page) => page.waitForFunction(() => window.__lab.P && Object.keys(window.__lab.P.runs).length === 4 && ['raw', 'center', 'scale', 'standardize'].every((t) => window.__lab.plots[t].image && window.__lab.P.slices[t]?.curv), null, { timeout: 60000 });
const swept = (page) => page.waitForFunction(() => window.__lab.lrSweep?.ms != null, null, { timeout: 120000 });
const T = ['raw', 'center', 'scale', 'standardize'];

async function numbers(page) {
  return page.evaluate((T) => {
    const P = window.__lab.P;
    const stepsTo = (loss, target) => loss.findIndex((x) => x <= target + 0.01);
    return {
      optLoss: P.optLoss, optimumRaw: P.optimum.raw,
      sys: Object.fromEntries(T.map((t) => {
        const r = P.runs[t], n = r.loss.length - 1;
        return [t, { kappa: P.curv[t].condition, bound: P.curv[t].lr_bound, best: P.curv[t].lr_best, lr: P.opt[t].lr, final: r.loss[n], steps: n, to: stepsTo(r.loss, P.optLoss), diverged: r.diverged_at_step, raw: Array.from(r.raw_params.subarray(3 * n, 3 * n + 3)), w2raw0: r.raw_params[1], readout: document.getElementById(`r-${t}`).textContent }];
      })),
    };
  }, T);
}

async function main() {
  await ensureServer();
  const browser = await launch();
  try {
    await test('normalization: κ raw ≈ 3·10⁹, centred ≈ 7·10⁸, scaled ≈ 2.5·10³, standardized ≈ 1.4; at each one\'s best step only the standardized unit reaches the optimum, w₂ does not train on raw inputs, and all four head for one model', async () => {
      const { page, errors, close } = await open(browser, 'normalization', '');
      await ready(page);
      const n = await numbers(page);
      const k = Object.fromEntries(T.map((t) => [t, n.sys[t].kappa]));
      report.push(`breast cancer (455 training rows): κ raw ${k.raw.toExponential(3)}, centred ${k.center.toExponential(3)}, scaled ${k.scale.toExponential(3)}, standardized ${k.standardize.toFixed(3)}; 2/λmax raw ${n.sys.raw.bound.toExponential(3)}, standardized ${n.sys.standardize.bound.toFixed(3)}`);
      // LABS.md §1.1 on all 569 rows: 2.9e9, 6.5e8, 2.6e3, 1.43 — the training split moves them a little.
      assert(k.raw > 1e9 && k.raw < 1e10, `raw κ ${k.raw}`);
      assert(k.center > 1e8 && k.center < k.raw / 2, `centring alone leaves κ ${k.center}`);
      assert(k.scale > 1e3 && k.scale < 1e4, `scaling alone leaves κ ${k.scale} (the mean couples w with b)`);
      assert(k.standardize < 2, `standardized κ ${k.standardize}`);
      assert(n.sys.standardize.bound / n.sys.raw.bound > 1e5, 'standardized inputs take a learning rate 10⁵ times larger');
      for (const t of T) assert(n.sys[t].lr === n.sys[t].best && n.sys[t].lr < n.sys[t].bound, `${t}: runs at α* = ${n.sys[t].best}, below 2/λmax`);
      for (const t of T) assert(n.sys[t].readout.includes('κ = ') && n.sys[t].readout.includes('2/λmax = '), `${t} readout: ${n.sys[t].readout}`);
      // Play to the end (what a student does) and read the runs.
      await page.click('#play');
      await page.waitForFunction(() => !window.__lab.playing && window.__lab.t === 200, null, { timeout: 30000 });
      const s = n.sys;
      report.push(`at α* after 200 steps: raw loss ${s.raw.final.toFixed(4)}, centred ${s.center.final.toFixed(4)}, scaled ${s.scale.final.toFixed(4)}, standardized ${s.standardize.final.toFixed(4)} (L* = ${n.optLoss.toFixed(4)}, within 0.01 at step ${s.standardize.to})`);
      assert(s.standardize.to >= 0 && s.standardize.to <= 30, `standardized: within 0.01 of L* at step ${s.standardize.to}`);
      for (const t of ['raw', 'center', 'scale']) assert(s[t].to < 0, `${t}: not within 0.01 of L* in 200 steps (final ${s[t].final})`);
      assert(s.raw.final > 0.68, `raw: the loss has hardly moved from log 2 (${s.raw.final})`);
      assert(Math.abs(s.raw.raw[1]) < 1e-3 * Math.abs(n.optimumRaw[1]), `raw: w₂ = ${s.raw.raw[1]} after 200 steps, the optimum's ${n.optimumRaw[1]} (training w₂ is slow)`);
      for (let j = 0; j < 3; j++) assert(Math.abs(s.standardize.raw[j] - n.optimumRaw[j]) < 0.01 * Math.abs(n.optimumRaw[j]), `standardized run in raw units ${s.standardize.raw} = the raw optimum ${n.optimumRaw}`);
      const st = await page.textContent('#status-line');
      assert(/standardized within 0\.01 of L\* at step \d+/.test(st), `status: ${st}`);
      const rows = await page.$$eval('#summary tbody tr', (tr) => tr.map((r) => r.textContent));
      assert(rows.length === 4 && /not in 200/.test(rows[0]), `summary table: ${rows.join(' | ')}`);
      // The learning-rate sweep: each system's best lr sits near its own bound.
      await swept(page);
      const lr = await page.evaluate((T) => Object.fromEntries(T.map((t) => { const pts = window.__lab.lrSweep.points[t].filter((p) => p.diverged == null).sort((a, b) => a.loss - b.loss); return [t, { n: window.__lab.lrSweep.points[t].length, bestLr: pts[0].lr, bestLoss: pts[0].loss }]; })), T);
      report.push(`lr sweep (37 rates × 4): best lr raw ${lr.raw.bestLr} (loss ${lr.raw.bestLoss.toFixed(3)}), standardized ${lr.standardize.bestLr} (loss ${lr.standardize.bestLoss.toFixed(3)})`);
      assert(T.every((t) => lr[t].n === 37), '37 learning rates per system');
      assert(lr.standardize.bestLr / lr.raw.bestLr > 1e4, `the best lr grows by ${lr.standardize.bestLr / lr.raw.bestLr}`);
      assert(lr.standardize.bestLoss < lr.raw.bestLoss - 0.3, 'and the standardized unit reaches a much lower loss at its best lr');
      // Equal scales: the raw panel becomes a sliver (10⁴ more units per pixel in w₂ than the fit needs in w₁).
      const fit = await page.evaluate(() => window.__lab.plots.raw.view.slice());
      await page.click('#axes-equal');
      await page.waitForFunction(() => window.__lab.plots.raw.equal, null, { timeout: 5000 });
      const eq = await page.evaluate(() => { const p = window.__lab.plots.raw, r = p.plotRect; return { v: p.view.slice(), ratio: ((p.view[1] - p.view[0]) / r.w) / ((p.view[3] - p.view[2]) / r.h) }; });
      assert(Math.abs(eq.ratio - 1) < 1e-6 && eq.v[1] - eq.v[0] > 100 * (fit[1] - fit[0]), `equal scales: ${JSON.stringify(eq)} vs fitted ${fit}`);
      // b̂ at its optimum: the slices are rendered again at b̂*.
      await page.click('#bias-optimum');
      await page.waitForFunction(() => ['raw', 'standardize'].every((t) => { const S = window.__lab.P.slices[t]; return S && !S.busy && S.b === window.__lab.P.optimum[t][2]; }), null, { timeout: 20000 });
      await page.click('#axes-fit'); await page.click('#bias-iterate');
      await sleep(800);
      await shot(page, 'normalization-laptop');
      await page.evaluate(() => document.getElementById('h-dims').scrollIntoView());
      await page.waitForFunction(() => window.__lab.dims?.rows.length === 4, null, { timeout: 60000 });
      const dims = await page.evaluate(() => window.__lab.dims.rows.map((r) => ({ id: r.d.id, k: r.res.map((c) => c.condition), rest: r.res.map((c) => c.condition_nonnull), flat: r.res.map((c) => c.null_dims) })));
      for (const d of dims) report.push(`κ ${d.id}: raw ${d.k[0].toExponential(2)}, centred ${d.k[1].toExponential(2)}, scaled ${d.k[2].toExponential(2)}, standardized ${Number.isFinite(d.k[3]) ? d.k[3].toExponential(2) : `∞ (${d.flat[3]} flat; ${d.rest[3].toFixed(0)} over the rest)`}`);
      const by = Object.fromEntries(dims.map((d) => [d.id, d]));
      assert(by.bc30.k[3] < by.bc30.k[0] / 1e5 && by.wine.k[3] < by.wine.k[0] / 1e5, 'standardizing cuts κ by more than 10⁵ on all 30 breast-cancer and 13 wine features');
      assert(by.digits.flat.every((f) => f >= 1) && by.digits.k.every((x) => x === Infinity), 'digits: constant pixels give flat directions in every system');
      assert(by.digits.rest[3] < by.digits.rest[0] / 1e3, 'and standardizing still conditions the rest');
      await shot(page, 'normalization-laptop-dims');
      assert(!errors.length, () => errors.join('; '));
      await close();
    });

    await test('normalization: the slide\'s x₁ ∈ [1000, 2000], x₂ ∈ [0.1, 0.2] — κ ≈ 3·10⁹ raw, ≈ 1 standardized', async () => {
      const { page, errors, close } = await open(browser, 'normalization', '?preset=slide');
      await ready(page);
      const n = await numbers(page);
      report.push(`slide data: κ raw ${n.sys.raw.kappa.toExponential(3)}, standardized ${n.sys.standardize.kappa.toFixed(4)}`);
      assert(n.sys.raw.kappa > 1e9 && n.sys.standardize.kappa < 1.1, `κ ${n.sys.raw.kappa}, ${n.sys.standardize.kappa}`);
      assert(n.sys.standardize.to >= 0 && n.sys.raw.to < 0, 'standardized reaches the optimum, raw does not');
      assert(!errors.length, () => errors.join('; '));
      await close();
    });

    await test('normalization: past 2/λmax an MSE unit blows up (the engine reports the non-finite step); Adam moves raw w₂ where gradient descent cannot', async () => {
      const { page, errors, close } = await open(browser, 'normalization', '?preset=past-bound');
      await ready(page);
      let n = await numbers(page);
      const s = n.sys;
      report.push(`MSE, lr 0.9: bound standardized ${s.standardize.bound.toFixed(3)}; loss after ${s.standardize.steps} steps ${s.standardize.final.toExponential(2)}; raw diverged at step ${s.raw.diverged}, centred ${s.center.diverged}, scaled ${s.scale.diverged}`);
      assert(s.standardize.lr > s.standardize.bound, 'lr above the standardized bound');
      assert(s.standardize.final > 1e6, `the standardized loss grows geometrically (${s.standardize.final})`);
      for (const t of ['raw', 'center', 'scale']) {
        assert(s[t].diverged != null && s[t].steps === s[t].diverged - 1, `${t}: diverged at step ${s[t].diverged}, the finite prefix kept`);
        assert(new RegExp(`diverged at step ${s[t].diverged}`).test(s[t].readout), `${t} readout says where: ${s[t].readout}`);
      }
      // Just below the bound the same unit converges.
      await page.evaluate((lr) => window.__fields.set({ lr }), Number((0.95 * s.standardize.bound).toPrecision(3)));
      await page.waitForFunction((lr) => window.__lab.P?.runsDone === window.__lab.P.runStamp && window.__lab.P.opt.standardize.lr === lr, Number((0.95 * s.standardize.bound).toPrecision(3)), { timeout: 20000 });
      n = await numbers(page);
      assert(n.sys.standardize.diverged == null && n.sys.standardize.final < 0.2, `below the bound: final loss ${n.sys.standardize.final}`);
      assert(!errors.length, () => errors.join('; '));
      await close();
      const A = await open(browser, 'normalization', '?preset=adam');
      await ready(A.page);
      const a = await numbers(A.page);
      report.push(`Adam lr 0.01, 300 steps: raw loss ${a.sys.raw.final.toFixed(4)}, raw w₂ ${a.sys.raw.raw[1].toFixed(3)}; standardized ${a.sys.standardize.final.toFixed(4)}`);
      assert(a.sys.raw.final < 0.6, `Adam on raw inputs gets further than gradient descent's 0.69 (${a.sys.raw.final})`);
      assert(Math.abs(a.sys.raw.raw[1]) > 0.5, `and moves w₂ (${a.sys.raw.raw[1]})`);
      assert(!A.errors.length, () => A.errors.join('; '));
      await A.close();
    });

    await test('normalization: statistics of the training split vs all rows (the leak), on the page', async () => {
      const { page, errors, close } = await open(browser, 'normalization', '?preset=leak');
      await ready(page);
      await page.waitForFunction(() => /with every row's/.test(document.getElementById('leak-note').textContent), null, { timeout: 20000 });
      const info = await page.evaluate(() => { const I = window.__lab.P.info; return { stats: I.stats, mt: Array.from(I.mean_train), ma: Array.from(I.mean_all), m: Array.from(I.mean), note: document.getElementById('leak-note').textContent, rows: document.querySelectorAll('#leak tbody tr').length, code: document.getElementById('torch-code').textContent }; });
      report.push(`leak: μ(area) train ${info.mt[0].toFixed(3)}, all ${info.ma[0].toFixed(3)}; ${info.note}`);
      assert(info.stats === 'all' && info.m[0] === info.ma[0] && info.mt[0] !== info.ma[0], 'stats=all uses every row\'s mean');
      assert(info.rows === 2 && /WHOLE data set/.test(info.code), 'the table and the PyTorch code say so');
      assert(!errors.length, () => errors.join('; '));
      await close();
    });

    await test('normalization on a phone: four panels in one column, nothing wider than the screen', async () => {
      const { page, errors, close } = await open(browser, 'normalization', '', PHONE);
      await ready(page);
      const lay = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: innerWidth, xs: ['raw', 'center'].map((t) => document.getElementById(`fig-${t}`).getBoundingClientRect().left) }));
      assert(lay.sw <= lay.w + 1, `page ${lay.sw} px wide on a ${lay.w} px screen`);
      assert(Math.abs(lay.xs[0] - lay.xs[1]) < 2, 'one column');
      await shot(page, 'normalization-phone');
      assert(!errors.length, () => errors.join('; '));
      await close();
    });
  } finally {
    await browser.close();
  }
  for (const l of report) console.log(`     ${l}`);
  finish();
}

main();
