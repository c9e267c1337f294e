// End-to-end tests of the optimizer lab in headless Chromium (playwright-core + /usr/bin/chromium).
//
// Set-up (once; the folder is git-ignored):
//   mkdir -p .tools && cd .tools && npm init -y >/dev/null && npm install playwright-core@1.65.1
// playwright-core is imported from /.tools via createRequire (no global install, no NODE_PATH).
// The engine must be built first (./build.sh build → www/pkg/).
//
// Run:  node tests/e2e/optimizer.e2e.mjs
// Uses the server at $BASE_URL (default http://127.0.0.1:8080/); if nothing answers there it
// starts `python3 -m http.server 8080 --bind 127.0.0.1 -d www` itself and stops it at the end.
// Screenshots (one per preset, phone and dark variants) go to tests/e2e/artifacts/ (git-ignored).
// Prints one line per test and a final "N passed, M failed"; exits non-zero on any failure.
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(ROOT, '.tools/package.json'));
const { chromium } = require('playwright-core');
const BASE = (process.env.BASE_URL || 'http://127.0.0.1:8080/').replace(/\/?$/, '/');
const ART = path.join(ROOT, 'tests/e2e/artifacts');
fs.mkdirSync(ART, { recursive: true });
const PRESETS = ['valley', 'beale', 'saddle', 'himmelblau', 'styblinski', 'rosenbrock', 'goldstein', 'distill', 'newton', 'minibatch', 'basins', 'basins-camel', 'all8'];

let server = null;
async function reachable() {
  try { const r = await fetch(BASE + 'optimizer.html'); return r.ok; } catch { return false; }
}
async function ensureServer() {
  if (await reachable()) return;
  const u = new URL(BASE);
  server = spawn('python3', ['-m', 'http.server', u.port || '80', '--bind', u.hostname, '-d', path.join(ROOT, 'www')], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !(await reachable()); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await reachable())) throw new Error(`could not start a server at ${BASE}`);
}

const results = [];
async function test(name, fn) {
  const t0 = Date.now();
  try { await fn(); results.push([name, null]); console.log(`ok   ${name} (${Date.now() - t0} ms)`); }
  catch (e) { results.push([name, e]); console.log(`FAIL ${name}: ${e.message.split('\n')[0]}`); }
}
function assert(c, msg) { if (!c) throw new Error(msg); }

/** Open a page, collecting console errors, page errors and dialogs. */
async function open(browser, query = '', opts = {}) {
  const page = await browser.newPage({ viewport: opts.viewport || { width: 1280, height: 800 }, deviceScaleFactor: opts.dpr || 1, colorScheme: opts.dark ? 'dark' : 'light', acceptDownloads: true, hasTouch: !!opts.touch });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('dialog', async (d) => { errors.push(`dialog: ${d.message()}`); await d.dismiss(); });
  await page.goto(`${BASE}optimizer.html${query}`);
  await page.waitForSelector('body.ready', { timeout: 15000 });
  return { page, errors };
}
const lab = (page, fn) => page.evaluate(fn);

async function main() {
  await ensureServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    await test('index lists the labs in lecture order with the optimizer lab live', async () => {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(BASE + 'index.html');
      const items = await page.$$eval('ol.labs > li', (l) => l.map((li) => li.textContent.replace(/\s+/g, ' ').trim()));
      assert(items.length === 7, `7 labs, got ${items.length}`);
      assert(/^Vanishing/.test(items[0]) && /^Optimizer lab/.test(items[1]) && /^Dropout/.test(items[6]), items.join(' | '));
      assert(await page.$('a[href="optimizer.html"]'), 'link to the optimizer lab');
      assert(!errors.length, errors.join('; '));
      await page.screenshot({ path: path.join(ART, 'index.png'), fullPage: true });
      await page.close();
    });

    await test('lab loads with no console errors and draws the landscape', async () => {
      const { page, errors } = await open(browser);
      await page.waitForTimeout(300);
      const painted = await page.evaluate(() => {
        const c = document.getElementById('plot');
        const d = c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data;
        return d[3] > 0;
      });
      assert(painted, 'heatmap pixels at the centre');
      const n = await lab(page, () => window.__lab.racers.length);
      assert(n === 3, `3 default racers, got ${n}`);
      assert(await page.$eval('#url-notice', (e) => e.hidden), 'no URL notice for a clean URL');
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('hover shows the lecture-style readout', async () => {
      const { page } = await open(browser, '?f=himmelblau&view=-5,5,-5,5');
      const [px, py] = await lab(page, () => window.__lab.plot.toPx(3, 3));
      const box = await page.$eval('#plot', (c) => { const b = c.getBoundingClientRect(); return [b.left, b.top]; });
      await page.mouse.move(box[0] + px, box[1] + py);
      const t = await page.textContent('#readout');
      assert(/^x=3\.0\d{4}, y=3\.0\d{4}, f\(x,y\)=\d+\.\d{5}$/.test(t) || /^x=2\.9\d{4}/.test(t), t);
      await page.close();
    });

    await test('clicking the canvas sets the start point', async () => {
      const { page, errors } = await open(browser);
      const box = await page.$eval('#plot', (c) => { const b = c.getBoundingClientRect(); return [b.left, b.top, b.width, b.height]; });
      const cx = box[0] + box[2] * 0.7, cy = box[1] + box[3] * 0.3;
      await page.mouse.click(cx, cy);
      await page.waitForTimeout(100);
      const got = await lab(page, () => [window.__lab.values.x0, window.__lab.values.y0]);
      const want = await page.evaluate(([x, y]) => { const b = document.getElementById('plot').getBoundingClientRect(); return window.__lab.plot.toWorld(x - b.left, y - b.top); }, [cx, cy]);
      assert(Math.abs(got[0] - want[0]) < 0.02 && Math.abs(got[1] - want[1]) < 0.02, `start ${got} vs ${want}`);
      assert(Number(await page.inputValue('#x0')) === got[0], 'x0 field updated');
      const first = await lab(page, () => Array.from(window.__lab.racers[0].run.points().slice(0, 2)));
      assert(Math.abs(first[0] - got[0]) < 1e-12 && Math.abs(first[1] - got[1]) < 1e-12, 'runs restarted from the new start');
      await page.waitForTimeout(400);
      assert(await lab(page, () => window.__lab.racers[0].run.len > 1), 'the race starts after a click');
      await page.waitForFunction(() => new URLSearchParams(location.search).has('x0'));
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('play moves the paths; pause, step (→), reset (r) and Space work', async () => {
      const { page, errors } = await open(browser);
      await page.click('#play');
      await page.waitForTimeout(800);
      const lens = await lab(page, () => window.__lab.racers.map((r) => r.run.len));
      assert(lens.every((n) => n > 3), `paths grew: ${lens}`);
      const moved = await lab(page, () => window.__lab.racers.every((r) => { const p = r.run.points(); const n = p.length / 2; return Math.hypot(p[2 * n - 2] - p[0], p[2 * n - 1] - p[1]) > 1e-6; }));
      assert(moved, 'every racer moved away from the start');
      await page.focus('#plot');
      await page.keyboard.press('Space');
      const a = await lab(page, () => [window.__lab.playing, window.__lab.racers[0].run.len]);
      assert(!a[0], 'Space paused');
      await page.keyboard.press('ArrowRight');
      const b = await lab(page, () => window.__lab.racers[0].run.len);
      assert(b === a[1] + 1, `→ made one step (${a[1]} → ${b})`);
      await page.keyboard.press('r');
      assert(await lab(page, () => window.__lab.racers[0].run.len === 1), 'r reset');
      assert((await page.textContent('#play')).includes('Play'), 'play button label');
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('a preset loads from the URL', async () => {
      const { page, errors } = await open(browser, '?preset=saddle');
      const s = await lab(page, () => ({ f: window.__lab.values.f, n: window.__lab.racers.length, labels: window.__lab.racers.map((r) => r.label) }));
      assert(s.f === 'saddle', s.f);
      assert(s.n === 6 && s.labels.join() === 'SGD,Momentum,NAG,AdaGrad,AdaDelta,RMSprop', s.labels.join());
      assert(await page.inputValue('#preset') === 'saddle', 'scene selector');
      assert(await page.inputValue('#landscape') === 'saddle', 'landscape selector');
      assert((await page.textContent('#preset-note')).length > 20, 'preset note shown');
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('a hostile URL loads the defaults with a notice and runs no script', async () => {
      const q = new URLSearchParams();
      q.append('f', '<script>window.__pwned=1</script>');
      q.append('o1', '<img src=x onerror="window.__pwned=2">');
      q.append('o1.lr', 'NaN');
      q.append('o3.lr', '1e308');
      q.append('x0', 'Infinity');
      q.append('steps', '-5');
      q.append('view', 'NaN,1,2,3');
      q.append('expr', '"><svg onload=window.__pwned=3>');
      q.append('<iframe src=javascript:window.__pwned=4>', '1');
      q.append('hide', 'controls,<b>x</b>');
      q.append('theme', 'javascript:alert(1)');
      const { page, errors } = await open(browser, `?${q}`);
      await page.waitForTimeout(300);
      const st = await page.evaluate(() => ({
        pwned: window.__pwned, f: window.__lab.values.f, lr: window.__lab.values['o1.lr'], x0: window.__lab.values.x0, racers: window.__lab.racers.length,
        injected: document.querySelectorAll('img[src="x"], iframe, svg, #url-notice script, #url-notice b').length,
        notice: document.getElementById('url-notice').hidden ? '' : document.getElementById('url-notice').textContent,
      }));
      assert(st.pwned === undefined, 'no script ran');
      assert(st.injected === 0, 'nothing injected into the DOM');
      assert(st.f === 'himmelblau' && st.lr === 0.01 && st.racers === 3, `defaults: ${JSON.stringify(st)}`);
      // hide= keeps its known items and only warns (console) about the rest: no notice for it.
      for (const k of ['f=', 'o1=', 'o1.lr=', 'o3.lr=', 'x0=', 'steps=', 'view=', 'expr=', '<iframe', 'theme=']) assert(st.notice.includes(k), `notice lists ${k}`);
      assert(!errors.filter((e) => !/Content Security Policy|Refused/.test(e)).length, errors.join('; '));
      await page.screenshot({ path: path.join(ART, 'hostile-url.png') });
      await page.close();
    });

    await test('a divergent run stops visibly and never draws NaN', async () => {
      const { page, errors } = await open(browser, '?f=quadratic&o1=sgd&o1.lr=1&o2=none&o3=none&steps=400&at=400');
      const st = await lab(page, () => { const r = window.__lab.racers[0].run; return { k: r.diverged_at_step, finite: Array.from(r.points()).every(Number.isFinite) && Array.from(r.values()).every(Number.isFinite) }; });
      assert(st.k > 0, 'diverged');
      assert(st.finite, 'only finite points are kept');
      const legend = await page.textContent('#legend');
      assert(legend.includes(`diverged at step ${st.k}`), legend);
      await page.screenshot({ path: path.join(ART, 'diverged.png') });
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('custom expression: inline error pointing at the position, then a valid one applies', async () => {
      const { page, errors } = await open(browser);
      await page.selectOption('#landscape', 'custom');
      await page.fill('#expr', 'sin(x)*cos(y');
      await page.press('#expr', 'Enter');
      const msg = await page.textContent('#expr-error');
      assert(/\^/.test(msg) && /\)/.test(msg), msg);
      const caretLine = msg.split('\n')[1] || '';
      assert(caretLine.indexOf('^') === 12, `caret under the position: ${JSON.stringify(caretLine)}`);
      await page.fill('#expr', 'sin(x)*cos(y) + 0.05*(x^2+y^2)');
      await page.press('#expr', 'Enter');
      assert(await page.$eval('#expr-error', (e) => e.hidden), 'error cleared');
      assert(await lab(page, () => window.__lab.values.expr === 'sin(x)*cos(y) + 0.05*(x^2+y^2)'), 'expression applied');
      await page.waitForFunction(() => new URLSearchParams(location.search).get('f') === 'custom');
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('hyperparameter controls come from the engine metadata and change the run', async () => {
      const { page, errors } = await open(browser);
      const names = await page.$$eval('.racer-card[data-index="3"] .param code', (l) => l.map((e) => e.textContent));
      const meta = await lab(page, () => window.__lab.meta.optimizers.find((o) => o.name === 'adam').params.map((p) => p.name));
      assert(names.join() === meta.join(), `${names} vs ${meta}`);
      await page.selectOption('.racer-card[data-index="1"] select', 'rmsprop');
      assert(await lab(page, () => window.__lab.racers[0].name === 'rmsprop' && window.__lab.racers[0].params.alpha === 0.99), 'RMSprop with PyTorch defaults');
      await page.$eval('.racer-card[data-index="1"] details', (d) => { d.open = true; });
      const field = '.racer-card[data-index="1"] input[type="text"][aria-label^="lr"]';
      await page.fill(field, '0.05');
      await page.press(field, 'Enter');
      assert(await lab(page, () => window.__lab.racers[0].params.lr === 0.05), 'lr applied');
      await page.fill(field, '-3');
      await page.press(field, 'Enter');
      assert(await page.$eval(field, (e) => e.getAttribute('aria-invalid') === 'true'), 'invalid value flagged');
      assert(await lab(page, () => window.__lab.racers[0].params.lr === 0.05), 'invalid value not applied');
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('update anatomy shows the lecture formula (MathML) and current numbers', async () => {
      const { page, errors } = await open(browser, '?preset=himmelblau&sel=4&at=5');
      const t = await page.textContent('#anatomy');
      assert(/Adam/.test(t) && /1 − betas\[0\]/.test(t), t.slice(0, 200));
      assert(await page.$('#anatomy math'), 'MathML formula');
      const rows = await page.$$eval('#anatomy tbody tr', (l) => l.map((r) => r.textContent));
      assert(rows.some((r) => r.startsWith('m̂')) && rows.some((r) => r.startsWith('t (steps done)5')), rows.join(' | '));
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('export produces PNG, CSV, JSON and a PyTorch script', async () => {
      const { page, errors } = await open(browser, '?preset=himmelblau&at=20');
      const files = {};
      for (const [id, ext] of [['#exp-png', 'png'], ['#exp-csv', 'csv'], ['#exp-json', 'json'], ['#exp-py', 'py']]) {
        const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), page.click(id)]);
        const out = path.join(ART, `export.${ext}`);
        await dl.saveAs(out);
        files[ext] = fs.readFileSync(out);
        assert(dl.suggestedFilename().endsWith(`.${ext}`), dl.suggestedFilename());
      }
      assert(files.png.subarray(1, 4).toString() === 'PNG' && files.png.length > 10000, 'PNG file');
      const csv = files.csv.toString().trim().split('\n');
      assert(csv[0] === 'racer,optimizer,step,x,y,f,lr' && csv.length === 1 + 4 * 21, `CSV rows ${csv.length}`);
      const json = JSON.parse(files.json.toString());
      assert(json.racers.length === 4 && json.racers[0].points.length === 21, 'JSON racers');
      const py = files.py.toString();
      assert(/^opt = torch\.optim\.SGD\(\[p\], lr=0\.01, foreach=False\)$/m.test(py) && /^PLAYGROUND_PATH = \[$/m.test(py), py.slice(0, 400));
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('lesson mode locks the controls; embed mode hides the chrome', async () => {
      const { page, errors } = await open(browser, '?lesson=valley');
      assert(await page.$eval('#controls-fs', (f) => f.disabled), 'controls locked');
      assert(!(await page.$eval('#lesson-banner', (e) => e.hidden)), 'lesson banner');
      await page.click('#play');
      await page.waitForTimeout(300);
      assert(await lab(page, () => window.__lab.racers[0].run.len > 1), 'play still works in a lesson');
      await page.close();
      const e = await open(browser, '?preset=saddle&embed=1&hide=controls,anatomy');
      assert(!(await e.page.isVisible('header.site')), 'header hidden in embed mode');
      assert(!(await e.page.isVisible('#controls')) && !(await e.page.isVisible('#anatomy')), 'hidden panels');
      assert(await e.page.isVisible('#plot'), 'figure visible');
      await e.page.screenshot({ path: path.join(ART, 'embed.png') });
      assert(!errors.length && !e.errors.length, [...errors, ...e.errors].join('; '));
      await e.page.close();
    });

    await test('mini-batch scene: runs with no console errors; B = 1 is noisier than the full batch', async () => {
      const { page, errors } = await open(browser, '?preset=minibatch&speed=2000');
      const labels = await lab(page, () => window.__lab.racers.map((r) => r.label));
      assert(labels.join() === 'SGD B=1,SGD B=10,SGD B=50,SGD full batch,SGD B=10 · 1/t decay', labels.join());
      await page.click('#play');
      await page.waitForFunction(() => !window.__lab.playing && window.__lab.racers.every((r) => r.run.len === 401), null, { timeout: 20000 });
      // Variance of the last 100 full-data losses of each racer (read from the engine's views).
      const v = await lab(page, () => window.__lab.racers.map((r) => {
        const a = Array.from(r.run.values().slice(-100)), m = a.reduce((s, x) => s + x, 0) / a.length;
        return a.reduce((s, x) => s + (x - m) ** 2, 0) / a.length;
      }));
      console.log(`     loss variance over the last 100 steps: B=1 ${v[0].toExponential(2)}, B=10 ${v[1].toExponential(2)}, B=50 ${v[2].toExponential(2)}, full ${v[3].toExponential(2)}, B=10 1/t ${v[4].toExponential(2)}`);
      assert(v[0] > 100 * v[3] && v[0] > v[1] && v[1] > v[2], `B=1 noisier than full batch: ${v}`);
      assert(v[4] < v[1], `the 1/t decay shrinks the noise of B=10: ${v[4]} vs ${v[1]}`);
      // The selected racer (B=10) shows its mini-batch gradient next to the full one.
      const anat = await page.$$eval('#anatomy tbody tr', (l) => l.map((r) => r.textContent));
      assert(anat.some((r) => r.startsWith('g_B')) && anat.some((r) => r.includes('full-batch gradient')), anat.join(' | '));
      assert(/mini-batch of 10 examples/.test(await page.textContent('#vec-legend')), await page.textContent('#vec-legend'));
      assert(await lab(page, () => Math.abs(window.__lab.plot.scalePx[0] - window.__lab.plot.scalePx[1]) < 1e-9), 'equal axis scales');
      await page.screenshot({ path: path.join(ART, 'minibatch.png') });
      // The PyTorch script of a mini-batch racer embeds the data and samples with a seeded generator.
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), page.click('#exp-py')]);
      await dl.saveAs(path.join(ART, 'export-minibatch.py'));
      const py = fs.readFileSync(path.join(ART, 'export-minibatch.py'), 'utf8');
      assert(/^XS = \[/m.test(py) && /^BATCH_SIZE = 10$/m.test(py) && /^rng = EngineRng\(SEED\)$/m.test(py) && /^MU = sum\(XS\) \/ N$/m.test(py), py.slice(0, 300));
      // Raw x: the same racers on the unnormalized twin (long thin ellipses; lr 0.1 now diverges).
      await page.click('#standardize');
      const raw = await lab(page, () => ({ f: window.__lab.values.f, b: window.__lab.racers.map((r) => r.spec.batch_size ?? 'full') }));
      assert(raw.f === 'iris_petals' && raw.b.join() === '1,10,50,full,10', JSON.stringify(raw));
      await page.click('#play');
      await page.waitForTimeout(1000);
      await page.screenshot({ path: path.join(ART, 'minibatch-raw.png') });
      assert(!errors.length, errors.join('; '));
      await page.close();
      const phone = await open(browser, '?preset=minibatch&at=300', { viewport: { width: 390, height: 844 }, dpr: 2, touch: true });
      await phone.page.waitForTimeout(200);
      await phone.page.screenshot({ path: path.join(ART, 'phone-minibatch.png'), fullPage: true });
      const over = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(over <= 0, `no horizontal scrolling on a phone (overflow ${over}px)`);
      assert(!phone.errors.length, phone.errors.join('; '));
      await phone.page.close();
    });

    await test('basin map: computed in slices with a progress bar, ≥ 4 basins on Himmelblau, cancelled on change', async () => {
      const { page, errors } = await open(browser, '?preset=basins');
      await page.waitForFunction(() => window.__lab.basins.slices > 2 && !window.__lab.basins.done, null, { timeout: 10000 }).catch(() => {});
      const mid = await lab(page, () => ({ done: window.__lab.basins.done, bar: !document.getElementById('basin-progress').hidden }));
      assert(mid.done || mid.bar, 'a progress bar while computing');
      await page.waitForFunction(() => window.__lab.basins.done, null, { timeout: 30000 });
      const st = await lab(page, () => {
        const b = window.__lab.basins;
        const t = b.sliceMs.slice(1).sort((x, y) => x - y);
        return { n: b.basinCount, slices: b.slices, med: t[t.length >> 1], max: t[t.length - 1], items: document.querySelectorAll('#basin-legend li').length, bar: !document.getElementById('basin-progress').hidden };
      });
      console.log(`     basin map (in a worker): ${st.n} basins, ${st.slices} slices, engine time per slice median ${st.med.toFixed(1)} ms, max ${st.max.toFixed(1)} ms`);
      assert(st.n >= 4 && st.items >= 4, `≥ 4 basins: ${JSON.stringify(st)}`);
      assert(st.slices > 5 && st.med < 10, `computed in slices of < 10 ms: ${JSON.stringify(st)}`);
      assert(!st.bar, 'progress bar hidden when done');
      // The legend shows each basin in the colour the engine painted its cells with.
      const colours = await page.evaluate(async () => {
        const B = window.__lab.basins, lab = B.labels, px = B.rgba, out = [];
        const swatch = (k) => [...document.querySelectorAll('#basin-legend li')].find((li) => li.textContent.startsWith(`basin ${k + 1} `))?.querySelector('.basin-swatch');
        for (let k = 0; k < 4; k++) {
          const i = lab.indexOf(k);
          const rgb = `rgb(${[0, 1, 2].map((c) => px[4 * i + c]).join(', ')})`;
          out.push([rgb, swatch(k) ? getComputedStyle(swatch(k)).backgroundColor : 'no swatch']);
        }
        return out;
      });
      assert(colours.every(([a, b]) => a === b), JSON.stringify(colours));
      await page.screenshot({ path: path.join(ART, 'basins-himmelblau.png') });
      // Selecting another racer cancels the map and computes that racer's.
      await page.click('.racer-card[data-index="2"] .racer-head button.small:not(.danger)');
      const restarted = await lab(page, () => !window.__lab.basins.done && JSON.parse(window.__lab.basins.job.specKey).optimizer.momentum === 0.9);
      assert(restarted, 'the map restarts for the Momentum racer');
      await page.waitForFunction(() => window.__lab.basins.done, null, { timeout: 30000 });
      assert(await lab(page, () => window.__lab.basins.basinCount >= 4), 'Momentum: ≥ 4 basins');
      await page.uncheck('#basins');
      await page.waitForFunction(() => !window.__lab.basins.shown && document.getElementById('basin-box').hidden, null, { timeout: 5000 }).catch(() => {});
      assert(await lab(page, () => !window.__lab.basins.shown && document.getElementById('basin-box').hidden), 'switched off');
      assert(!errors.length, errors.join('; '));
      await page.close();
      const phone = await open(browser, '?preset=basins', { viewport: { width: 390, height: 844 }, dpr: 2, touch: true });
      await phone.page.waitForFunction(() => window.__lab.basins.done, null, { timeout: 30000 });
      await phone.page.screenshot({ path: path.join(ART, 'phone-basins.png'), fullPage: true });
      assert(!phone.errors.length, phone.errors.join('; '));
      await phone.page.close();
    });

    await test('a screenshot of every preset (laptop), and phone + dark variants', async () => {
      for (const id of PRESETS) {
        const { page, errors } = await open(browser, `?preset=${id}&at=${id === 'newton' ? 1 : id === 'minibatch' ? 300 : 40}`);
        await page.waitForTimeout(150);
        if (/^basins/.test(id)) await page.waitForFunction(() => window.__lab.basins.done, null, { timeout: 30000 });
        await page.screenshot({ path: path.join(ART, `preset-${id}.png`) });
        assert(!errors.length, `${id}: ${errors.join('; ')}`);
        await page.close();
      }
      const phone = await open(browser, '?preset=himmelblau&at=40', { viewport: { width: 390, height: 844 }, dpr: 2, touch: true });
      await phone.page.waitForTimeout(150);
      await phone.page.screenshot({ path: path.join(ART, 'phone-himmelblau.png'), fullPage: true });
      const over = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(over <= 0, `no horizontal scrolling on a phone (overflow ${over}px)`);
      await phone.page.close();
      const dark = await open(browser, '?preset=beale&at=60', { dark: true });
      await dark.page.waitForTimeout(150);
      await dark.page.screenshot({ path: path.join(ART, 'dark-beale.png') });
      await dark.page.close();
    });
  } finally {
    await browser.close();
    if (server) server.kill();
  }
  const failed = results.filter(([, e]) => e).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => { console.error(e); if (server) server.kill(); console.log(`${results.filter(([, e2]) => !e2).length} passed, ${results.filter(([, e2]) => e2).length + 1} failed`); process.exit(1); });
