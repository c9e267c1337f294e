// The SVG export of every lab: the figures on screen drawn by the engine with plotters (src/chart),
// one SVG per figure (a ZIP when there are several) — x–y charts, bars, histogram strips and the
// 2-D figures (the landscape, the loss slices, the decision boundaries: heatmap embedded as PNG,
// paths and points as vectors, colour bar) and the network and mask diagrams. Each file must be well-formed SVG, one per figure
// shown, with that figure's axis labels and legend, lines where it has data, and no non-finite
// coordinate; on the page, each figure's axes are the engine's, laid out where the figure put its
// heatmap. One is rendered in the browser and kept as a screenshot.
//
// Run:  node tests/e2e/charts.e2e.mjs   (engine built; server at $BASE_URL or started here)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ensureServer, launch, test, assert, finish, open, sleep, ART } from './lib.mjs';

const CASES = [
  ['optimizer', '?preset=all8&speed=200'],
  ['vanishing', '?preset=sigmoid-deep'],
  ['initialization', '?preset=too-small'],
  ['relu', '?preset=krizhevsky'],
  ['dropout', '?preset=overfitting'],
  ['normalization', '?preset=four-views'],
  ['batchnorm', '?preset=paper'],
];

function svgFiles(file, name) {
  if (name.endsWith('.svg')) return [{ name, text: fs.readFileSync(file, 'utf8') }];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optplay-svg-'));
  execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', file, dir]);
  const out = fs.readdirSync(dir).sort().map((f) => ({ name: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

await ensureServer();
const browser = await launch();
const report = [];

for (const [lab, query] of CASES) {
  await test(`${lab}: SVG export — one well-formed SVG per chart shown, its labels and legend, lines, no NaN`, async () => {
    const { page, errors, close } = await open(browser, lab, query);
    try {
      await page.click('#play');
      await sleep(3000);
      await page.evaluate(() => window.__labApi.pause());
      await sleep(300);
      const shown = await page.evaluate(async () => {
        const { visibleCharts } = await import('./js/shared/xychart.js');
        return visibleCharts().map((c) => {
          const s = c.svgSpec();
          if (s.kind === 'hists') return { kind: 'hists', legend: s.panels.map((p) => p.title.slice(0, 12)), data: s.panels.some((p) => p.hist.bins.some((v) => v > 0)), panels: s.panels.length };
          if (s.kind === 'picture') return { kind: 'picture', legend: [], units: s.units };
          if (s.kind === 'field') {
            const r = c.plotRect;
            return { kind: 'field', xLabel: s.xLabel, yLabel: s.yLabel, legend: [], image: !!s.image, colorbar: !!s.colorbar, data: s.paths.some((p) => p.xy.length >= 4), points: s.marks.filter((m) => m.shape === 'circle').length, page: { engine: !!c.axesRect, plot: { w: r.w, h: r.h }, same: JSON.stringify(c.axesRect) === JSON.stringify([r.x, r.y, r.w, r.h]), rects: [c.axesRect, r] } };
          }
          if (s.kind === 'bars') return { kind: 'bars', yLabel: s.yLabel, xLabel: s.xLabel, legend: s.ghost && s.ghostLabel ? [s.ghostLabel] : [], data: s.values.some((v) => v > 0 && Number.isFinite(v)), bars: s.values.filter((v) => v > 0 && Number.isFinite(v)).length };
          // An XYChart on the page is drawn by the engine's chart code (XyCanvas: plotters-canvas).
          const page = typeof c.spec === 'function' ? { engine: !!c.painter, plot: c.plotRect } : null;
          return { yLabel: s.yLabel, xLabel: s.xLabel, legend: s.legend === false ? [] : s.series.filter((x) => x.label && !x.noLegend && x.y.some(Number.isFinite)).map((x) => x.label), data: s.series.some((x) => x.y.some(Number.isFinite)), page };
        });
      });
      assert(shown.length >= 1, `${lab}: no chart shown`);
      for (const c of shown) if (c.page) assert(c.page.engine && c.page.plot?.w > 10 && c.page.plot?.h > 10, `${lab}: the chart "${c.yLabel}" is not drawn by the engine on the page: ${JSON.stringify(c.page)}`);
      for (const c of shown) if (c.kind === 'field') assert(c.page.same, `${lab}: the engine's axes and the figure's heatmap disagree on the plot area: ${JSON.stringify(c.page.rects)}`);
      const pictures = shown.filter((c) => c.kind === 'picture').length;
      assert(pictures === ({ initialization: 1, dropout: 3 }[lab] || 0), `${lab}: ${pictures} network/mask diagrams in the export`);
      const fields = shown.filter((c) => c.kind === 'field');
      const wantFields = { optimizer: 1, initialization: 1, dropout: 2, normalization: 4 }[lab] || 0;
      assert(fields.length === wantFields, `${lab}: ${fields.length} 2-D figures in the export (want ${wantFields})`);
      for (const c of fields) assert(c.image, `${lab}: a 2-D figure without its heatmap in the export`);
      if (lab === 'optimizer' || lab === 'normalization') for (const c of fields) assert(c.colorbar && c.data, `${lab}: the 2-D figure has no colour bar or no path: ${JSON.stringify(c)}`);
      if (lab === 'vanishing') assert(shown.some((c) => c.kind === 'bars'), 'vanishing: the per-layer gradient bars are not in the export');
      if (lab === 'batchnorm') assert(shown.filter((c) => c.kind === 'hists').length === 2, 'batchnorm: the two histogram strips are not in the export');
      const t0 = Date.now();
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 20000 }), page.click('#exp-svg')]);
      const ms = Date.now() - t0;
      const file = path.join(ART, `chart-${lab}${path.extname(dl.suggestedFilename())}`);
      await dl.saveAs(file);
      const files = svgFiles(file, dl.suggestedFilename());
      // Read the files in a page of their own (an SVG's style attributes are not the lab's business).
      const reader = await page.context().newPage();
      assert(files.length === shown.length, `${lab}: ${files.length} SVG files for ${shown.length} charts shown`);
      for (let i = 0; i < files.length; i++) {
        const f = files[i], want = shown[i];
        const got = await reader.evaluate((text) => {
          const d = new DOMParser().parseFromString(text, 'image/svg+xml');
          const err = d.querySelector('parsererror');
          if (err) return { error: err.textContent.slice(0, 200) };
          // (not the embedded PNG's base64, where any letters may follow each other)
          const attrs = [...d.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.name !== 'href').map((a) => a.value));
          const img = d.querySelector('image');
          return { root: d.documentElement.nodeName, texts: [...d.querySelectorAll('text')].map((t) => t.textContent.trim()), lines: d.querySelectorAll('polyline, path').length, rects: d.querySelectorAll('rect').length, circles: d.querySelectorAll('circle').length, image: img ? (img.getAttribute('href') || '').slice(0, 22) : null, nonFinite: attrs.filter((v) => /NaN|Infinity|inf\b/.test(v)).length };
        }, f.text);
        assert(!got.error && got.root === 'svg', `${lab} ${f.name}: ${got.error || got.root}`);
        assert(got.nonFinite === 0, `${lab} ${f.name}: ${got.nonFinite} non-finite attribute values`);
        for (const label of [want.yLabel, want.xLabel, ...want.legend].filter(Boolean)) {
          assert(got.texts.some((t) => t.includes(label.replace(/\s+/g, ' ').trim().slice(0, 30))), `${lab} ${f.name}: no text ${JSON.stringify(label)} in ${JSON.stringify(got.texts).slice(0, 400)}`);
        }
        if (lab === 'optimizer' && want.kind !== 'field') assert(got.texts.some((t) => /f\(θ\)|f − f\*/.test(t)), `optimizer: no loss axis label in ${got.texts}`);
        if (want.kind === 'picture') assert(got.circles === want.units, `${lab} ${f.name}: ${got.circles} units drawn for ${want.units}`);
        else if (want.kind === 'field') {
          assert(got.image === 'data:image/png;base64,', `${lab} ${f.name}: no embedded heatmap (${got.image})`);
          assert(got.circles >= want.points, `${lab} ${f.name}: ${got.circles} circles for ${want.points} training points`);
          if (want.colorbar) assert(got.texts.some((t) => /loss/.test(t)), `${lab} ${f.name}: no colour bar name in ${JSON.stringify(got.texts).slice(0, 300)}`);
          if (want.data) assert(got.lines >= 1, `${lab} ${f.name}: no path drawn`);
        } else if (want.kind === 'bars') assert(got.rects >= want.bars + 1, `${lab} ${f.name}: ${got.rects} rects for ${want.bars} bars`);
        else if (want.kind === 'hists') assert(!want.data || got.rects >= want.panels * 5, `${lab} ${f.name}: ${got.rects} rects for ${want.panels} histograms`);
        else if (want.data) assert(got.lines >= 1, `${lab} ${f.name}: no line drawn`);
      }
      if (lab === 'dropout' || lab === 'batchnorm' || lab === 'optimizer') {
        // Look at one: the SVG rendered by the browser.
        await reader.setContent(`<body style="margin:0;background:#fff">${files[lab === 'batchnorm' || lab === 'optimizer' ? 1 : 0].text}</body>`);
        await reader.screenshot({ path: path.join(ART, `chart-${lab}-svg.png`) });
      }
      const f0 = shown.findIndex((c) => c.kind === 'field');
      if (f0 >= 0 && (lab === 'optimizer' || lab === 'normalization' || lab === 'dropout')) {
        await reader.setContent(`<body style="margin:0;background:#fff">${files[f0].text}</body>`);
        await reader.screenshot({ path: path.join(ART, `figure-${lab}-svg.png`) });
      }
      await reader.close();
      report.push(`${lab}: ${files.length} SVG (${(files.reduce((s, f) => s + f.text.length, 0) / 1024).toFixed(0)} KiB) in ${ms} ms`);
      assert(!errors.length, errors.join('\n'));
    } finally { await close(); }
  });
}
console.log(`     ${report.join('; ')}`);

await browser.close();
finish();
