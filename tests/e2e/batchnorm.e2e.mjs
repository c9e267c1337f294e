// The batch-normalization lab in Chromium: the slide's and the papers' claims checked with the
// engine's own numbers — Ioffe & Szegedy's Fig. 1 on the digits (the plain sigmoid net at chance
// while batch norm passes 0.9 within 50 steps; the drift of a last-hidden-layer sigmoid's input
// against its stability behind batch norm), higher learning rates, training vs inference
// statistics (running, per batch, a batch of one, population; torch's start of the running
// statistics against the lecture's), the loss along the gradient, weight-scale invariance —
// the mode switch, and screenshots on a laptop and a phone.
//
// Run:  node tests/e2e/batchnorm.e2e.mjs   (engine built; server at $BASE_URL or started here)
import fs from 'node:fs';
import path from 'node:path';
import { ensureServer, launch, test, assert, finish, open, shot, PHONE, ART } from './lib.mjs';

const report = [];
const trained = (page, ms = 300000) => page.waitForFunction(() => window.__lab.runs.length && window.__lab.runs.every((r) => r.done), null, { timeout: ms });
const paired = (page) => page.waitForFunction(() => window.__lab.pair?.scale && window.__lab.pair?.bjorck, null, { timeout: 60000 });

/** Per configuration, the engine's numbers of the runs (median accuracy by step, first pair's percentiles and probes). */
async function numbers(page) {
  return page.evaluate(() => {
    const L = window.__lab, v = L.S.values;
    const med = (xs) => { const s = xs.filter(Number.isFinite).sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
    const out = {};
    for (const bn of [false, true]) {
      const runs = L.runs.filter((r) => r.bn === bn);
      const steps = runs[0].record.map((e) => e.step);
      const acc = steps.map((_, i) => med(runs.map((r) => r.record[i].evaluation.val_accuracy)));
      const first = runs.find((r) => r.seed === v.seed), pi = first.callNames.indexOf('pct'), qi = first.callNames.indexOf('probe');
      const pct = first.record.map((e) => Array.from(e.calls[pi]));
      const probe = first.record.map((e) => { const p = e.calls[qi]; return { gradMax: Math.max(...p.grad_change), beta: p.beta, loss: p.loss }; });
      out[bn ? 'bn' : 'plain'] = { steps, acc, pct, probe, diverged: runs.map((r) => r.result.diverged_at_step) };
    }
    return { ...out, inference: L.inference, summary: document.getElementById('summary').textContent, status: document.getElementById('status-line').textContent };
  });
}
const at = (n, k, step) => n[k].acc[n[k].steps.findIndex((s) => s >= step)];
const width = (p) => p[2] - p[0];

async function main() {
  await ensureServer();
  const browser = await launch();
  try {
    await test('batchnorm Fig. 1: the plain sigmoid net sits at chance for hundreds of steps, batch norm passes 0.9 within 50; the followed sigmoid\'s input drifts without batch norm and stays put with it', async () => {
      const { page, errors, close } = await open(browser, 'batchnorm', '');
      await paired(page);
      const t0 = Date.now();
      await page.click('#play');
      await trained(page);
      const ms = Date.now() - t0;
      const n = await numbers(page);
      const plain = n.plain, bn = n.bn;
      report.push(`Fig. 1 (3 pairs, 2000 steps, ${(ms / 1000).toFixed(1)} s): median validation accuracy at step 50 / 200 / 400 / 1000 / 2000: plain ${[50, 200, 400, 1000, 2000].map((s) => at(n, 'plain', s).toFixed(3)).join(' / ')}, batch norm ${[50, 200, 400, 1000, 2000].map((s) => at(n, 'bn', s).toFixed(3)).join(' / ')}`);
      assert(at(n, 'bn', 50) >= 0.9, `batch norm at step 50: ${at(n, 'bn', 50)}`);
      assert(at(n, 'plain', 200) <= 0.2, `plain at step 200: ${at(n, 'plain', 200)} (the plateau)`);
      assert(at(n, 'plain', 2000) >= 0.9 && at(n, 'bn', 2000) >= at(n, 'plain', 2000), 'both train in the end, batch norm at least as well');
      // Fig. 1(b, c): the width p85 − p15 of unit 0's sigmoid input over the validation images.
      const i200 = bn.steps.findIndex((s) => s >= 200);
      const wPlain = [width(plain.pct[0]), width(plain.pct.at(-1))], wBn = [width(bn.pct[i200]), width(bn.pct.at(-1))];
      report.push(`unit 0 of hidden layer 3, p15/p50/p85: plain step 0 ${plain.pct[0].map((x) => x.toFixed(2)).join('/')} → end ${plain.pct.at(-1).map((x) => x.toFixed(2)).join('/')}; batch norm step 200 ${bn.pct[i200].map((x) => x.toFixed(2)).join('/')} → end ${bn.pct.at(-1).map((x) => x.toFixed(2)).join('/')}`);
      assert(wPlain[1] - wPlain[0] > 1, `the plain unit's input spreads: width ${wPlain.map((x) => x.toFixed(2)).join(' → ')}`);
      assert(Math.abs(wBn[1] - wBn[0]) < 0.5, `behind batch norm it stays: width ${wBn.map((x) => x.toFixed(2)).join(' → ')}`);
      // The summary table says it, with these numbers.
      assert(n.summary.includes(at(n, 'bn', 50).toPrecision(3).replace(/0+$/, '')), `summary: ${n.summary}`);
      // Training vs inference, the first batch-normalized network after training.
      const I = n.inference;
      report.push(`inference (validation accuracy): running ${I.running.val_accuracy.toFixed(3)}, batches of ${I.m} ${I.batch.val_accuracy.toFixed(3)}, a batch of one ${I.one.val_accuracy.toFixed(3)}, population ${I.population.val_accuracy.toFixed(3)}`);
      assert(I.running.val_accuracy >= 0.95 && I.population.val_accuracy >= 0.95 && I.batch.val_accuracy >= 0.9, 'running, population and batch statistics all work after training');
      assert(I.one.val_accuracy <= 0.15, `a batch of one normalizes every unit to β: one prediction for all images (${I.one.val_accuracy})`);
      // The smoother landscape (Santurkar et al. Fig. 4(b)): after the plateau the gradient changes
      // less along the gradient behind batch norm.
      const late = (p) => { const xs = p.probe.slice(Math.floor(p.probe.length / 4)).map((q) => q.gradMax).sort((a, b) => a - b); return xs[xs.length >> 1]; };
      const lateBeta = (p) => { const xs = p.probe.slice(Math.floor(p.probe.length / 4)).map((q) => q.beta).sort((a, b) => a - b); return xs[xs.length >> 1]; };
      report.push(`along the gradient (η = ¼ … 4 × lr, steps 500–2000, median): largest gradient change plain ${late(plain).toExponential(2)}, batch norm ${late(bn).toExponential(2)}; effective β plain ${lateBeta(plain).toFixed(2)}, batch norm ${lateBeta(bn).toFixed(2)}`);
      assert(late(bn) < late(plain), 'the gradient is more predictive behind batch norm');
      // The mode switch: model.train() draws batch statistics, and says so.
      await page.click('#mode-train');
      const title = await page.textContent('#acc-title');
      assert(/model\.train\(\)/.test(title) && (await page.getAttribute('#mode-train', 'aria-checked')) === 'true', `title: ${title}`);
      await shot(page, 'batchnorm-laptop');
      assert(!errors.length, () => errors.join('; '));
      await close();
    });

    await test('batchnorm higher learning rates: at lr 8 the plain net saturates at chance, the batch-normalized one trains at every rate of the sweep', async () => {
      const { page, errors, close } = await open(browser, 'batchnorm', '');
      await paired(page);
      await page.click('#sweep');
      await page.waitForFunction(() => window.__lab.lrSweep?.ms != null, null, { timeout: 300000 });
      const S = await page.evaluate(() => ({ ms: window.__lab.lrSweep.ms, pts: window.__lab.lrSweep.points.map((p) => ({ lr: p.lr, bn: p.bn, acc: p.acc.slice(), p50: p.p50.slice(), diverged: p.diverged.slice() })), table: document.getElementById('sweep-table').textContent }));
      const med = (xs) => { const s = xs.slice().sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
      const get = (lr, bn) => S.pts.find((p) => p.lr === lr && p.bn === bn);
      report.push(`lr sweep (600 steps, 2 seeds, ${(S.ms / 1000).toFixed(1)} s): ${[0.1, 0.5, 2, 8].map((lr) => `lr ${lr}: plain ${med(get(lr, false).acc).toFixed(3)} (unit input p50 ${med(get(lr, false).p50).toFixed(1)}), BN ${med(get(lr, true).acc).toFixed(3)}`).join('; ')}`);
      for (const lr of [0.1, 0.5, 2, 8]) assert(med(get(lr, true).acc) >= 0.9, `batch norm at lr ${lr}: ${get(lr, true).acc}`);
      assert(med(get(8, false).acc) <= 0.2, `plain at lr 8: ${get(8, false).acc}`);
      assert(med(get(8, false).p50) < -5, `plain at lr 8: its sigmoid input is deep in saturation (${get(8, false).p50})`);
      assert(med(get(0.1, false).acc) <= 0.2, 'plain at lr 0.1 is still on its plateau after 600 steps');
      assert(S.table.includes(med(get(8, true).acc).toPrecision(3)), 'the table shows the numbers');
      assert(!errors.length, () => errors.join('; '));
      await close();
    });

    await test('batchnorm running statistics: with torch\'s start (0 and 1) model.eval() lags model.train() for the first steps; the lecture\'s MA⁽¹⁾ = μ_B⁽¹⁾ and momentum=None close the gap', async () => {
      const gaps = {};
      for (const running of ['torch', 'lecture', 'cumulative']) {
        const { page, errors, close } = await open(browser, 'batchnorm', `?preset=running-init&running=${running}`);
        await paired(page);
        await page.click('#play');
        await trained(page);
        gaps[running] = await page.evaluate(() => {
          const r = window.__lab.runs.find((x) => x.bn), i = r.callNames.indexOf('train');
          const g = r.record.slice(1, 11).map((e) => e.calls[i].val_accuracy - e.evaluation.val_accuracy);
          return g.reduce((a, b) => a + b, 0) / g.length;
        });
        assert(!errors.length, () => errors.join('; '));
        await close();
      }
      report.push(`steps 1–10, mean of (model.train() − model.eval()) validation accuracy: torch start ${gaps.torch.toFixed(3)}, lecture start ${gaps.lecture.toFixed(3)}, momentum=None ${gaps.cumulative.toFixed(3)}`);
      assert(gaps.torch > 0.3, `torch's start: eval lags by ${gaps.torch}`);
      assert(Math.abs(gaps.lecture) < 0.1 && Math.abs(gaps.cumulative) < 0.1, 'the first-batch starts follow the batch statistics');
    });

    await test('batchnorm weight-scale invariance and the relative loss along the gradient: BN(aWu) = BN(Wu), ‖∂L/∂W‖ ∝ 1/a; the plain net changes', async () => {
      const { page, errors, close } = await open(browser, 'batchnorm', '');
      await paired(page);
      const r = await page.evaluate(() => { const P = window.__lab.pair; return { scale: P.scale.map((s) => ({ loss: Array.from(s.loss), g: Array.from(s.grad_norm) })), bj: P.bjorck.map((b) => Array.from(b.losses, (l) => l / b.loss)), cap: document.getElementById('ws-cap').textContent }; });
      const SC = [0.1, 0.2, 0.5, 1, 2, 5, 10];
      const spread = (xs) => (Math.max(...xs) - Math.min(...xs)) / Math.min(...xs);
      const bnLoss = spread(r.scale[1].loss), plainLoss = spread(r.scale[0].loss), bnG = spread(r.scale[1].g.map((g, i) => g * SC[i]));
      report.push(`weight scale a = 0.1 … 10 of hidden layer 2: loss spread batch norm ${bnLoss.toExponential(1)}, plain ${plainLoss.toExponential(1)}; a·‖∂L/∂W‖ spread batch norm ${bnG.toExponential(1)}`);
      assert(bnLoss < 1e-3 && plainLoss > 5e-3 && bnG < 0.05, 'invariance behind batch norm only');
      assert(r.cap.includes('with batch norm'), r.cap);
      // At lr itself a step improves both nets; far past it the loss rises.
      const lr = 0.5, etas = Array.from({ length: 21 }, (_, i) => Number((10 ** (-3 + i / 4)).toPrecision(3)));
      const k = etas.findIndex((e) => e >= lr);
      report.push(`relative loss L(θ − ηg)/L(θ) at step 0, η = ${etas[k]}: plain ${r.bj[0][k].toFixed(4)}, batch norm ${r.bj[1][k].toFixed(4)}; η = 100: ${r.bj[0].at(-1).toFixed(1)}, ${r.bj[1].at(-1).toFixed(1)}`);
      assert(r.bj[1][k] < 1 && r.bj.every((b) => b.at(-1) > 1), 'a step of lr helps, a step of 100 hurts');
      assert(!errors.length, () => errors.join('; '));
      await close();
    });

    await test('batchnorm after the sigmoid: the switch rebuilds the pair; it trains as fast, loses the weight-scale invariance; the per-layer histograms follow training and the slider', async () => {
      const { page, errors, close } = await open(browser, 'batchnorm', '?steps=400');
      await paired(page);
      const before = await page.evaluate(() => Array.from(window.__lab.pair.scale[1].loss));
      await page.click('#place-after');
      await page.waitForFunction(() => location.search.includes('place=after'), null, { timeout: 5000 }).catch(() => {});
      assert((await page.getAttribute('#place-after', 'aria-checked')) === 'true' && /place=after/.test(page.url()), `the switch and the URL: ${page.url()}`);
      await page.waitForFunction((b) => { const P = window.__lab.pair; return P?.scale && Array.from(P.scale[1].loss)[0] !== b[0]; }, before, { timeout: 60000 });
      const spread = (xs) => (Math.max(...xs) - Math.min(...xs)) / Math.min(...xs);
      const sc = await page.evaluate(() => ({ bn: Array.from(window.__lab.pair.scale[1].loss), spec: window.__lab.pair.specs[1] }));
      assert(sc.spec.bn_placement === 'after', `the pair's spec: ${JSON.stringify(sc.spec).slice(0, 200)}`);
      report.push(`batch norm after the sigmoid: weight scale a = 0.1 … 10 moves the loss by ${spread(sc.bn).toExponential(1)} (before it: ${spread(before).toExponential(1)})`);
      assert(spread(sc.bn) > 10 * spread(before) && spread(sc.bn) > 1e-3, 'no invariance with batch norm after the activation');
      const t0 = Date.now();
      await page.click('#play');
      await trained(page);
      const n = await numbers(page);
      report.push(`batch norm after the sigmoid (3 pairs, 400 steps, ${((Date.now() - t0) / 1000).toFixed(1)} s): median validation accuracy at step 50 / 200 / 400: plain ${[50, 200, 400].map((s) => at(n, 'plain', s).toFixed(3)).join(' / ')}, batch norm after ${[50, 200, 400].map((s) => at(n, 'bn', s).toFixed(3)).join(' / ')}; unit 0's input p15/p50/p85 at the end ${n.bn.pct.at(-1).map((x) => x.toFixed(2)).join('/')}`);
      assert(at(n, 'bn', 50) >= 0.85 && at(n, 'plain', 200) <= 0.2, 'after the sigmoid, batch norm still ends the plateau');
      // Histograms: the slider's right end is the last recorded step; each layer's sums to 1.
      const H = async () => page.evaluate(() => ({ out: document.getElementById('hist-at-out').textContent, max: +document.getElementById('hist-at').max, cap: document.getElementById('hist-cap-bn').textContent, d: window.__lab.charts.hist.map((h) => ({ layers: h.data.layers, sums: [0, 1, 2].map((l) => Array.from(h.data.hist.slice(l * h.data.bins, (l + 1) * h.data.bins)).reduce((a, b) => a + b, 0)), range: [h.data.ranges[2 * 6 + 2], h.data.ranges[2 * 6 + 3]], ghost: [h.ghost.ranges[2 * 6 + 2], h.ghost.ranges[2 * 6 + 3]] })) }));
      const h = await H();
      assert(h.max === n.bn.steps.length - 1 && h.out === `step ${n.bn.steps.at(-1)}`, `slider: ${JSON.stringify(h)}`);
      assert(h.d.every((x) => x.layers === 3 && x.sums.every((v) => Math.abs(v - 1) < 1e-5)), `hidden layers, fractions: ${JSON.stringify(h.d)}`);
      assert(/after the sigmoids/.test(h.cap), h.cap);
      // The bars follow training: the plain net's layer-3 sigmoid inputs moved since step 0.
      report.push(`histograms, hidden layer 3 of the plain net: range ${h.d[0].ghost.map((x) => x.toFixed(2)).join('…')} at step 0 → ${h.d[0].range.map((x) => x.toFixed(2)).join('…')} at step ${n.plain.steps.at(-1)}`);
      assert(Math.abs(h.d[0].range[0] - h.d[0].ghost[0]) + Math.abs(h.d[0].range[1] - h.d[0].ghost[1]) > 0.5, 'the plain net\'s last hidden layer moved');
      await page.fill('#hist-at', '0'); await page.dispatchEvent('#hist-at', 'input');
      const h0 = await H();
      assert(h0.out === 'step 0' && h0.d[0].range.every((x, i) => x === h0.d[0].ghost[i]), `at step 0 the bars are the outline: ${JSON.stringify(h0)}`);
      assert(!errors.length, () => errors.join('; '));
      await close();
    });

    await test('batchnorm page: hostile URLs load the defaults with a notice and run no script; seed=random; a lesson locks the settings but keeps Play; embed mode; PNG, CSV, JSON and both scripts match the run', async () => {
      const q = new URLSearchParams();
      q.append('preset', '<script>window.__pwned=1</script>');
      q.append('lrs', '0.1,<img src=x onerror="window.__pwned=2">');
      q.append('sigma', 'NaN'); q.append('unit', '1e9'); q.append('running', 'javascript:alert(1)'); q.append('hide', 'controls,<b>x</b>');
      let { page, errors, close } = await open(browser, 'batchnorm', `?${q}`);
      await paired(page);
      const h = await page.evaluate(() => ({ pwned: window.__pwned, injected: document.querySelectorAll('img[src="x"], #url-notice script, #url-notice b').length, notice: document.getElementById('url-notice').textContent, v: window.__lab.S.values }));
      assert(h.pwned === undefined && h.injected === 0, `injected: ${JSON.stringify(h).slice(0, 200)}`);
      assert(h.v.lrs === '0.1, 0.5, 2, 8' && h.v.sigma === 0.1 && h.v.unit === 0 && h.v.running === 'torch', JSON.stringify(h.v).slice(0, 200));
      for (const k of ['lrs', 'sigma', 'unit', 'running']) assert(h.notice.includes(k), `the notice names ${k}: ${h.notice}`);
      await close();
      ({ page, errors, close } = await open(browser, 'batchnorm', '?seed=random&lesson=high-lr'));
      await paired(page);
      const l = await page.evaluate(() => ({ fs: document.getElementById('run-fs').disabled, banner: !document.getElementById('lesson-banner').hidden, play: document.getElementById('play').disabled, seed: window.__lab.S.values.seed, lr: window.__lab.S.values.lr, url: location.search }));
      assert(l.fs && l.banner && !l.play && l.lr === 8, JSON.stringify(l));
      assert(Number.isInteger(l.seed) && l.seed >= 0, `seed=random drew ${l.seed}`);
      assert(!errors.length, () => errors.join('; '));
      await close();
      ({ page, errors, close } = await open(browser, 'batchnorm', '?embed=1&show=sweep'));
      await paired(page);
      const e = await page.evaluate(() => ({ header: getComputedStyle(document.querySelector('header.site')).display, sweep: getComputedStyle(document.querySelector('[data-panel="sweep"]')).display, smooth: getComputedStyle(document.querySelector('[data-panel="smooth"]')).display, acc: getComputedStyle(document.querySelector('[data-panel="accuracy"]')).display }));
      assert(e.header === 'none' && e.smooth === 'none' && e.sweep !== 'none' && e.acc !== 'none', JSON.stringify(e));
      await close();
      ({ page, errors, close } = await open(browser, 'batchnorm', '?steps=40&every=10&seeds=1'));
      await paired(page);
      await page.click('#play');
      await trained(page);
      const got = {};
      for (const id of ['exp-png', 'exp-csv', 'exp-json', 'exp-py', 'exp-py-plain']) {
        const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 20000 }), page.click(`#${id}`)]);
        const file = path.join(ART, `batchnorm-export-${id}${path.extname(dl.suggestedFilename())}`);
        await dl.saveAs(file);
        got[id] = { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
      }
      const run = await page.evaluate(() => { const r = window.__lab.runs.find((x) => x.bn); return { acc: r.record.at(-1).evaluation.val_accuracy, steps: r.record.map((e) => e.step) }; });
      assert(got['exp-png'].bytes.length > 5000, 'PNG');
      assert(got['exp-csv'].name.endsWith('.zip') && got['exp-csv'].bytes.readUInt32LE(0) === 0x04034b50, 'a zip of the tables');
      assert(['runs', 'probes', 'sigmoid_input_histograms'].every((t) => got['exp-csv'].bytes.includes(`${t}.csv`)), 'every table with rows in the zip (no sweep ran), the histograms included');
      const doc = JSON.parse(got['exp-json'].bytes.toString('utf8'));
      const bnRun = doc.runs.find((r) => r.configuration === 'batch norm');
      assert(doc.url.includes('batchnorm.html') && bnRun.record.map((e) => e.step).join() === run.steps.join() && bnRun.record.at(-1).val_accuracy === run.acc, 'the JSON holds the run');
      assert(bnRun.spec.batch_norm === true && bnRun.spec.data.scale === 0.0625 && doc.weight_scale && doc.bjorck, 'the JSON holds the specs and the probes');
      const py = got['exp-py'].bytes.toString('utf8'), plain = got['exp-py-plain'].bytes.toString('utf8');
      assert(/LAYER_SIZES = \[64, 100, 100, 100, 10\]/.test(py) && /nn\.BatchNorm1d\(LAYER_SIZES\[l\]\)/.test(py) && /PLAYGROUND_LOSSES = /.test(py), 'the BN script with the run\'s losses');
      assert(!/layers\.append\(nn\.BatchNorm1d/.test(plain) && /PLAYGROUND_LOSSES = /.test(plain), 'the plain script');
      assert(!errors.length, () => errors.join('; '));
      await close();
    });

    await test('batchnorm on a phone: one column, nothing wider than the screen', async () => {
      const { page, errors, close } = await open(browser, 'batchnorm', '', PHONE);
      await paired(page);
      const lay = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: innerWidth, xs: ['pct-0', 'pct-1'].map((id) => document.getElementById(id).getBoundingClientRect().left) }));
      assert(lay.sw <= lay.w + 1, `page ${lay.sw} px wide on a ${lay.w} px screen`);
      assert(Math.abs(lay.xs[0] - lay.xs[1]) < 2, 'the two percentile figures in one column');
      await shot(page, 'batchnorm-phone');
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
