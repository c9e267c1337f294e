// End-to-end tests of the three network labs (vanishing gradients, initialization, why ReLU) in
// headless Chromium (playwright-core from .tools + /usr/bin/chromium), in the style of
// optimizer.e2e.mjs.
//
// Run:  node tests/e2e/nn-labs.e2e.mjs        (the engine must be built: ./build.sh build)
// Uses the server at $BASE_URL (default http://127.0.0.1:8080/); if nothing answers there it starts
// `python3 -m http.server` on www/ itself and stops it at the end. Screenshots (every preset on a
// laptop, each lab on a phone and in dark mode) go to tests/e2e/artifacts/nn-*.png. Prints one line
// per test, the measured frame and training speeds, and "N passed, M failed"; exits non-zero on
// any failure.
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
const LABS = {
  vanishing: { presets: ['explode-vanish', 'all-below', 'unit', 'sigmoid-deep', 'relu-he', 'tanh-large', 'linear-large'] },
  initialization: { presets: ['zero', 'too-small', 'appropriate', 'too-large', 'deep-zero', 'deep-uniform', 'deep-xavier', 'deep-normal', 'deep-he-relu'] },
  relu: { presets: ['krizhevsky', 'three-way', 'saturated', 'deep-sigmoid', 'spiral'] },
};
const PHONE = { viewport: { width: 390, height: 844 }, dpr: 2, touch: true };

let server = null;
async function reachable() { try { const r = await fetch(BASE + 'vanishing.html'); return r.ok; } catch { return false; } }
async function ensureServer() {
  if (await reachable()) return;
  const u = new URL(BASE);
  server = spawn('python3', ['-m', 'http.server', u.port || '80', '--bind', u.hostname, '-d', path.join(ROOT, 'www')], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !(await reachable()); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await reachable())) throw new Error(`could not start a server at ${BASE}`);
}

const results = [];
const speeds = [];
async function test(name, fn) {
  const t0 = Date.now();
  try { await fn(); results.push([name, null]); console.log(`ok   ${name} (${Date.now() - t0} ms)`); }
  catch (e) { results.push([name, e]); console.log(`FAIL ${name}: ${e.message.split('\n')[0]}`); }
}
function assert(c, msg) { if (!c) throw new Error(msg); }

async function open(browser, lab, query = '', opts = {}) {
  const page = await browser.newPage({ viewport: opts.viewport || { width: 1280, height: 900 }, deviceScaleFactor: opts.dpr || 1, colorScheme: opts.dark ? 'dark' : 'light', acceptDownloads: true, hasTouch: !!opts.touch });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('dialog', async (d) => { errors.push(`dialog: ${d.message()}`); await d.dismiss(); });
  await page.goto(`${BASE}${lab}.html${query}`);
  await page.waitForSelector('body.ready', { timeout: 20000 });
  return { page, errors };
}
const ev = (page, fn, arg) => page.evaluate(fn, arg);
const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length;

/** Play for `ms`, pause; return the loop's timing summary. */
async function playFor(page, ms) {
  await page.click('#play');
  await page.waitForTimeout(ms);
  const st = await ev(page, () => ({ total: window.__lab.loop.summary('total'), work: window.__lab.loop.summary('work'), interval: window.__lab.loop.summary('intervals'), frames: window.__lab.loop.stats.frames }));
  if (await ev(page, () => window.__lab.playing)) await page.click('#play');
  await page.waitForTimeout(200); // the worker's last report after the pause
  return st;
}

async function downloads(page, ids, tag) {
  const got = {};
  for (const id of ids) {
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), page.click(`#${id}`)]);
    const file = path.join(ART, `nn-export-${tag}-${id}${path.extname(dl.suggestedFilename())}`); // stable names: reruns overwrite
    await dl.saveAs(file);
    got[id] = { name: dl.suggestedFilename(), size: fs.statSync(file).size, text: /\.(py|csv|json)$/.test(file) ? fs.readFileSync(file, 'utf8') : null, bytes: fs.readFileSync(file) };
  }
  return got;
}

async function hostile(browser, lab, extra) {
  const q = new URLSearchParams();
  q.append('preset', '<script>window.__pwned=1</script>');
  q.append('act', '<img src=x onerror="window.__pwned=2">');
  q.append('lr', 'NaN');
  q.append('seed', 'Infinity');
  q.append('<iframe src=javascript:window.__pwned=4>', '1');
  q.append('hide', 'controls,<b>x</b>');
  q.append('theme', 'javascript:alert(1)');
  for (const [k, v] of extra) q.append(k, v);
  const { page, errors } = await open(browser, lab, `?${q}`);
  await page.waitForTimeout(300);
  const st = await ev(page, () => ({
    pwned: window.__pwned,
    injected: document.querySelectorAll('img[src="x"], iframe, svg, #url-notice script, #url-notice b').length,
    notice: document.getElementById('url-notice').hidden ? '' : document.getElementById('url-notice').textContent,
    values: window.__lab.S.values,
  }));
  assert(st.pwned === undefined, 'no script ran');
  assert(st.injected === 0, 'nothing injected into the DOM');
  // hide= keeps its known items and only warns about the rest (in the console), so it has no notice.
  for (const k of ['preset=', 'lr=', 'seed=', '<iframe', 'theme=', ...extra.map(([k]) => `${k}=`)]) assert(st.notice.includes(k), `${lab}: notice lists ${k}`);
  assert(!errors.filter((e) => !/Content Security Policy|Refused/.test(e)).length, errors.join('; '));
  await page.screenshot({ path: path.join(ART, `nn-${lab}-hostile.png`) });
  await page.close();
  return st.values;
}

async function main() {
  await ensureServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    await test('index links the three network labs as live', async () => {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(BASE + 'index.html');
      for (const href of ['vanishing.html', 'initialization.html', 'relu.html']) assert(await page.$(`ol.labs a[href="${href}"]`), href);
      const soon = await page.$$eval('ol.labs .soon', (l) => l.map((e) => e.textContent));
      assert(!soon.some((s) => /Vanishing|Initialization|ReLU/.test(s)), `still "coming soon": ${soon}`);
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    // ---- vanishing ------------------------------------------------------------------------------
    await test('vanishing: loads with no console errors; the deep linear network follows the sliders', async () => {
      const { page, errors } = await open(browser, 'vanishing');
      const a = await ev(page, () => Array.from(window.__lab.linear.norms));
      assert(a.length === 41 && Math.abs(a[0] - Math.sqrt(3)) < 1e-12, `norms ${a.length} ${a[0]}`);
      // set λ₁ to 1.5 through its text field: the norm at depth k grows like 1.5^k
      const field = '#eigs input[type="text"]';
      await page.fill(field, '1.5'); await page.press(field, 'Enter');
      await page.waitForFunction(() => window.__lab.S.values.lam[0] === 1.5);
      const b = await ev(page, () => ({ n: window.__lab.linear.norms[40], c: window.__lab.linear.components[40 * 3] , c0: window.__lab.linear.components[0] }));
      assert(Math.abs(b.c - 1.5 ** 40 * b.c0) < 1e-6 * 1.5 ** 40, `component follows λ^k: ${b.c} vs ${1.5 ** 40 * b.c0}`);
      const rows = await page.$$eval('#lin-table tbody tr', (l) => l.map((r) => [...r.children].map((c) => c.textContent)));
      assert(rows.length === 3 && rows[0][3] === rows[0][4], `closed form = network: ${JSON.stringify(rows[0])}`);
      await page.waitForFunction(() => new URLSearchParams(location.search).get('lam') === '1.5,0.9,1');
      const cells = await page.$$('#compare button.cell');
      assert(cells.length === 12, `12 comparison cells, got ${cells.length}`);
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('vanishing: play trains the deep MLP (loss decreases), bars update, keys work', async () => {
      const { page, errors } = await open(browser, 'vanishing', '?preset=relu-he&steps=50000&speed=100000');
      const g0 = await ev(page, () => Array.from(window.__lab.gradNorms));
      assert(g0.length === 21 && g0.every((x) => x > 0), `21 layers of gradient norms: ${g0}`);
      const st = await playFor(page, 2500);
      const r = await ev(page, () => ({ steps: window.__lab.trainer.steps, h: Array.from(window.__lab.trainer.lossHistory()), g: Array.from(window.__lab.gradNorms), prog: document.getElementById('progress').value, sps: window.__lab.stepsPerSec }));
      assert(r.steps > 100, `trained ${r.steps} steps`);
      assert(mean(r.h.slice(-50)) < 0.8 * mean(r.h.slice(0, 50)), `loss decreases: ${mean(r.h.slice(0, 50))} → ${mean(r.h.slice(-50))}`);
      assert(r.g.some((x, i) => x !== g0[i]), 'bars changed');
      assert(r.prog > 0, 'progress indicator moved');
      speeds.push(`vanishing (2-32×20-1, batch 32, speed unlimited): ${Math.round(r.steps / 2.5)} steps/s overall, ${Math.round(r.sps)} steps/s while playing; frame work+draw median ${st.total.median.toFixed(1)} ms, p95 ${st.total.p95.toFixed(1)} ms; frame interval median ${st.interval.median.toFixed(1)} ms`);
      assert(st.total.median < 12, `median frame work < 12 ms: ${st.total.median}`);
      await page.focus('#bars');
      const s0 = await ev(page, () => window.__lab.trainer.steps);
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((s) => window.__lab.trainer?.steps === s + 1, s0, { timeout: 5000 }).catch(() => {});
      assert(await ev(page, (s) => window.__lab.trainer.steps === s + 1, s0), '→ one step');
      await page.keyboard.press('Space');
      assert(await ev(page, () => window.__lab.playing), 'Space plays');
      await page.keyboard.press('Space');
      await page.keyboard.press('r');
      await page.waitForFunction(() => window.__lab.trainer?.steps === 0, null, { timeout: 10000 }).catch(() => {});
      assert(await ev(page, () => window.__lab.trainer?.steps === 0), 'r resets');
      await page.screenshot({ path: path.join(ART, 'nn-vanishing-trained.png'), fullPage: true });
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('vanishing: a divergent run is reported with its step and never drawn', async () => {
      const { page, errors } = await open(browser, 'vanishing', '?preset=linear-large');
      await page.click('#play');
      await page.waitForFunction(() => window.__lab.trainer.diverged_at_step != null, null, { timeout: 5000 });
      await page.waitForTimeout(200);
      const st = await ev(page, () => ({ k: window.__lab.trainer.diverged_at_step, text: document.getElementById('mlp-status').textContent, playing: window.__lab.playing, h: Array.from(window.__lab.trainer.lossHistory()) }));
      assert(st.text.includes(`Diverged at step ${st.k}`), st.text);
      assert(!st.playing, 'stopped');
      assert(st.h.every(Number.isFinite), 'only finite losses kept');
      await page.screenshot({ path: path.join(ART, 'nn-vanishing-diverged.png') });
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('vanishing: a comparison cell loads its pair into the trainer', async () => {
      const { page, errors } = await open(browser, 'vanishing');
      await page.waitForFunction(() => document.querySelectorAll('#compare button.cell').length === 12);
      await page.click('#compare button.cell >> nth=10'); // ReLU × He
      const v = await ev(page, () => ({ act: window.__lab.S.values.act, init: window.__lab.S.values.init, pressed: document.querySelectorAll('#compare [aria-pressed="true"]').length }));
      assert(v.act === 'relu' && v.init === 'kaiming_normal' && v.pressed === 1, JSON.stringify(v));
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    // ---- initialization ---------------------------------------------------------------------------
    await test('initialization: playground trains (cost decreases, boundary and diagram drawn); step and reset', async () => {
      const { page, errors } = await open(browser, 'initialization', '?preset=appropriate');
      const st = await playFor(page, 2500);
      const r = await ev(page, () => ({ steps: window.__lab.pg.trainer.steps, h: Array.from(window.__lab.pg.trainer.lossHistory()), acc: window.__lab.pg.evaluation.train_accuracy }));
      assert(r.steps > 300, `steps ${r.steps}`);
      assert(r.h[r.h.length - 1] < 0.5 * r.h[0], `cost falls: ${r.h[0]} → ${r.h[r.h.length - 1]}`);
      assert(r.acc > 0.9, `accuracy ${r.acc}`);
      speeds.push(`initialization playground (2-6-3-1, 300 points, full batch): frame work+draw median ${st.total.median.toFixed(1)} ms, p95 ${st.total.p95.toFixed(1)} ms (speed-limited to 600 steps/s)`);
      const painted = await ev(page, () => { const c = document.getElementById('boundary'); const d = c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data; return d[3] > 0; });
      assert(painted, 'boundary painted');
      await page.click('#edges-g');
      assert(await ev(page, () => window.__lab.S.values.edges === 'gradients'), 'edges toggle');
      await page.click('#step');
      // The network trains in a worker: the step and the reset land a moment later.
      assert(await page.waitForFunction((n) => window.__lab.pg.trainer?.steps === n + 1, r.steps, { timeout: 5000 }).then(() => true, () => false), 'step');
      await page.click('#reset');
      assert(await page.waitForFunction(() => window.__lab.pg.trainer?.steps === 0, null, { timeout: 5000 }).then(() => true, () => false), 'reset');
      await page.screenshot({ path: path.join(ART, 'nn-initialization-trained.png') });
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('initialization: zero initialization never learns; the four presets load from the URL', async () => {
      for (const id of ['zero', 'too-small', 'appropriate', 'too-large']) {
        const { page, errors } = await open(browser, 'initialization', `?preset=${id}`);
        const v = await ev(page, () => ({ init: window.__lab.S.values.init, sel: document.getElementById('preset').value, pressed: document.querySelector('#init-buttons [aria-checked="true"]')?.dataset.value }));
        assert(v.init === id.replace('-', '_') && v.sel === id && v.pressed === v.init, `${id}: ${JSON.stringify(v)}`);
        if (id === 'zero') {
          await playFor(page, 1000);
          const h = await ev(page, () => Array.from(window.__lab.pg.trainer.lossHistory()));
          assert(h.length > 50 && h.every((x) => Math.abs(x - Math.LN2) < 1e-3), 'zero: cost stays at log 2');
        }
        assert(!errors.length, errors.join('; '));
        await page.close();
      }
    });

    await test('initialization: deep part trains on the digits; histograms at initialization kept', async () => {
      const { page, errors } = await open(browser, 'initialization', '?preset=deep-xavier&deep.epochs=500');
      await page.waitForFunction(() => window.__lab.deep.trainer, null, { timeout: 15000 });
      const a = await ev(page, () => ({ layers: window.__lab.deep.ghosts.activation.layers, tab: document.getElementById('tab-deep').getAttribute('aria-selected'), hidden: document.getElementById('part-playground').hidden }));
      assert(a.layers === 5 && a.tab === 'true' && a.hidden, JSON.stringify(a));
      const st = await playFor(page, 3500);
      const r = await ev(page, () => ({ ep: window.__lab.deep.trainer.epoch, h: Array.from(window.__lab.deep.trainer.lossHistory()), errors: window.__lab.deep.errors.slice(), rows: window.__lab.deep.rows.length }));
      assert(r.ep >= 1, `at least one epoch: ${r.ep}`);
      assert(mean(r.h.slice(-20)) < 0.5 * mean(r.h.slice(0, 5)), `cost falls ${mean(r.h.slice(0, 5))} → ${mean(r.h.slice(-20))}`);
      assert(r.errors.length >= 2 && r.errors[r.errors.length - 1] < r.errors[0], `misclassified falls: ${r.errors}`);
      speeds.push(`initialization deep (64-100×4-10 tanh, batch 64): ${(r.ep / 3.5).toFixed(2)} epochs/s = ${Math.round((r.ep * 29) / 3.5)} steps/s; frame work+draw median ${st.total.median.toFixed(1)} ms, p95 ${st.total.p95.toFixed(1)} ms; the worker evaluates all 1797 digits once per epoch`);
      for (const k of ['preactivation', 'gradient', 'activation']) {
        await page.click(`#kind-${k}`);
        assert(await ev(page, (kk) => window.__lab.S.values['deep.kind'] === kk && window.__lab.charts.hists.data.kind === kk, k), k);
      }
      await page.screenshot({ path: path.join(ART, 'nn-initialization-deep-trained.png') });
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    // ---- relu -----------------------------------------------------------------------------------
    await test('relu: the race runs, the error falls, ReLU reaches the threshold and the speed-up is reported', async () => {
      const { page, errors } = await open(browser, 'relu', '?preset=krizhevsky');
      await page.waitForFunction(() => window.__lab.racers.length === 2 && window.__lab.racers.every((r) => r.trainer));
      await page.click('#play');
      await page.waitForFunction(() => window.__lab.racers.every((r) => r.stopped), null, { timeout: 30000 });
      const st = await ev(page, () => ({ total: window.__lab.loop.summary('total'), interval: window.__lab.loop.summary('intervals') }));
      const r = await ev(page, () => window.__lab.racers.map((x) => ({ act: x.act, reached: x.reached, errors: x.errors.slice(), sat: x.sat.slice() })));
      const relu = r.find((x) => x.act === 'relu'), tanh = r.find((x) => x.act === 'tanh');
      assert(relu.reached != null && relu.errors[relu.errors.length - 1] <= 0.25, `relu reached: ${JSON.stringify(relu)}`);
      assert(relu.errors[0] > relu.errors[relu.errors.length - 1], 'error falls');
      assert(tanh.sat[0] > 0.2, `tanh starts saturated: ${tanh.sat[0]}`);
      const text = await page.textContent('#status-line');
      assert(/ReLU was [\d.]+× (faster|slower) than tanh/.test(text), text);
      const table = await page.textContent('#results');
      assert(/×[\d.]+/.test(table), table);
      speeds.push(`relu race (64-100×3-10 ×2 networks, batch 32): frame work+draw median ${st.total.median.toFixed(1)} ms, p95 ${st.total.p95.toFixed(1)} ms; ${text}`);
      await page.screenshot({ path: path.join(ART, 'nn-relu-race-done.png') });
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('relu: "Epoch ▸" advances every network by one epoch; reset', async () => {
      const { page, errors } = await open(browser, 'relu');
      await page.waitForFunction(() => window.__lab.racers.length === 3 && window.__lab.racers.every((r) => r.trainer));
      await page.click('#step');
      // The networks train in workers: wait for their epoch-end reports.
      await page.waitForFunction(() => window.__lab.racers.every((r) => r.errors.length >= 2 && !r.running), null, { timeout: 30000 }).catch(() => {});
      const e = await ev(page, () => window.__lab.racers.map((r) => [r.errors.length, Math.round(r.trainer.epoch * 1000) / 1000]));
      assert(e.every(([n, ep]) => n === 2 && ep === 1), JSON.stringify(e));
      await page.click('#reset');
      await page.waitForFunction(() => window.__lab.racers.length === 3 && window.__lab.racers.every((r) => r.trainer && r.trainer.steps === 0));
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    // ---- every lab ------------------------------------------------------------------------------
    await test('hostile URLs load the defaults with a notice and run no script (all three labs)', async () => {
      const v = await hostile(browser, 'vanishing', [['lam', '<svg onload=window.__pwned=3>'], ['k', '1e999'], ['d', '-1'], ['depth', '0x10']]);
      assert(v.act === 'sigmoid' && v.lr === 0.1 && v.k === 40 && v.d === 3, JSON.stringify(v).slice(0, 200));
      const w = await hostile(browser, 'initialization', [['hidden', '6-3");alert(1);("'], ['deep.hidden', '<b>'], ['part', 'x'], ['init', 'eval(1)']]);
      assert(w.hidden === '6-3' && w.init === 'appropriate' && w.part === 'playground', JSON.stringify(w).slice(0, 200));
      const x = await hostile(browser, 'relu', [['runs', 'relu,<script>'], ['thr', '2'], ['data', '../../etc/passwd']]);
      assert(x.data === 'digits' && x.thr === 0.05 && x.runs.join() === 'sigmoid,tanh,relu', JSON.stringify(x).slice(0, 200));
    });

    await test('seeds: seed=random draws a fresh seed into the URL and the field; "new" draws another and rebuilds the run (all three labs)', async () => {
      for (const [lab, key, id, part] of [['vanishing', 'seed', 'seed'], ['relu', 'seed', 'seed'], ['initialization', 'seed', 'seed'], ['initialization', 'deep.seed', 'deep-seed', 'deep']]) {
        const { page, errors } = await open(browser, lab, `?${part ? `part=${part}&` : ''}${key}=random`);
        const urlSeed = async () => { await page.waitForTimeout(350); return new URL(page.url()).searchParams.get(key); };
        const first = await urlSeed();
        assert(/^\d+$/.test(first ?? '') && Number(first) <= 4294967295, `${lab} ${key}: the URL says ${key}=${first}`);
        assert(await page.inputValue(`#${id}`) === first, `${lab} ${key}: the field shows ${await page.inputValue(`#${id}`)}, the URL ${first}`);
        const spec = () => page.evaluate((k) => JSON.stringify(window.__lab?.S?.values?.[k]), key);
        assert(await spec() === first, `${lab}: the lab's value ${await spec()}`);
        await page.click(`button[data-seed-for="${key}"]`);
        const second = await urlSeed();
        assert(/^\d+$/.test(second ?? '') && second !== first, `${lab} ${key}: "new" gave ${second} after ${first}`);
        assert(await page.inputValue(`#${id}`) === second, `${lab} ${key}: the field did not follow`);
        assert(await page.getAttribute(`button[data-seed-for="${key}"]`, 'aria-label') === `new random ${id.replace('-', ' ')}`, 'the button\'s accessible name');
        assert(!errors.length, `${lab}: ${errors.join('; ')}`);
        await page.close();
      }
    });

    await test('embed mode hides the chrome and the named panels', async () => {
      const { page, errors } = await open(browser, 'initialization', '?embed=1&hide=controls,notes,cost');
      const s = await ev(page, () => ({ header: getComputedStyle(document.querySelector('header.site')).display, controls: getComputedStyle(document.querySelector('.nn-top')).display === 'none', cost: getComputedStyle(document.querySelector('#part-playground [data-panel="cost"]')).display === 'none', embed: document.body.classList.contains('embed') }));
      assert(s.header === 'none' && s.controls && s.cost && s.embed, JSON.stringify(s));
      await page.screenshot({ path: path.join(ART, 'nn-initialization-embed.png') });
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('lesson links lock the settings but keep the transport', async () => {
      const { page, errors } = await open(browser, 'vanishing', '?lesson=sigmoid-deep');
      const s = await ev(page, () => ({ fs: document.getElementById('mlp-fs').disabled, banner: !document.getElementById('lesson-banner').hidden, play: document.getElementById('play').disabled }));
      assert(s.fs && s.banner && !s.play, JSON.stringify(s));
      await page.click('#unlock');
      assert(!(await ev(page, () => document.getElementById('mlp-fs').disabled)), 'unlocked');
      assert(!errors.length, errors.join('; '));
      await page.close();
    });

    await test('export: PNG, CSV, JSON and a PyTorch script from every lab, matching the run', async () => {
      for (const [lab, q] of [['vanishing', '?preset=sigmoid-deep'], ['initialization', '?preset=too-small'], ['initialization', '?preset=deep-xavier'], ['relu', '?preset=krizhevsky']]) {
        const { page, errors } = await open(browser, lab, q);
        if (lab === 'initialization' && q.includes('deep')) await page.waitForFunction(() => window.__lab.deep.trainer, null, { timeout: 15000 });
        if (lab === 'relu') await page.waitForFunction(() => window.__lab.racers.every((r) => r.trainer));
        for (let i = 0; i < 3; i++) await page.click('#step');
        const got = await downloads(page, ['exp-png', 'exp-csv', 'exp-json', 'exp-py'], `${lab}${q.replace(/\W+/g, '-')}`);
        assert(got['exp-png'].size > 5000, `${lab}: PNG ${got['exp-png'].size} bytes`);
        // Several tables are a zip of CSVs (one table per file), one table a plain CSV.
        const csv = got['exp-csv'];
        if (csv.name.endsWith('.zip')) assert(csv.bytes.readUInt32LE(0) === 0x04034b50 && csv.size > 200, `${lab}: a zip of tables`);
        else assert(csv.text.split('\n').length > 3, `${lab}: CSV rows`);
        const doc = JSON.parse(got['exp-json'].text);
        assert(doc.url && doc.url.includes(`${lab}.html`), `${lab}: JSON has the link`);
        const py = got['exp-py'].text;
        assert(/^import torch$/m.test(py) && /^LAYER_SIZES = \[/m.test(py), `${lab}: script`);
        if (lab === 'vanishing') assert(py.includes('LAYER_SIZES = [2, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 1]') && py.includes('nn.Sigmoid()') && py.includes('xavier_normal_') && py.includes('lr=0.1'), 'vanishing script matches the spec');
        if (q.includes('too-small')) assert(py.includes('INITIAL = (') && py.includes('load_initial(net)'), 'playground script: exact initial weights');
        if (lab === 'initialization' && q.includes('deep')) assert(py.includes('digits.csv') && py.includes('_CSV = _blob(') && py.includes('LAYER_SIZES = [64, 100, 100, 100, 100, 10]') && py.includes('nn.Tanh()'), 'deep script');
        if (lab === 'relu') assert(py.includes('THRESHOLD = 0.25') && py.includes('("relu", lambda: nn.ReLU(), 0.0005)'), 'race script');
        assert(!errors.length, `${lab}: ${errors.join('; ')}`);
        await page.close();
      }
    });

    await test('screenshots: every preset (laptop), each lab on a phone and in dark mode; no horizontal scrolling on a phone', async () => {
      for (const [lab, { presets }] of Object.entries(LABS)) {
        for (const id of presets) {
          const { page, errors } = await open(browser, lab, `?preset=${id}`);
          if (lab === 'initialization' && id.startsWith('deep-')) await page.waitForFunction(() => window.__lab.deep.trainer, null, { timeout: 15000 });
          if (lab !== 'vanishing' || /deep|relu|tanh|linear/.test(id)) await playFor(page, lab === 'relu' ? 2500 : 1200);
          await page.waitForTimeout(150);
          await page.screenshot({ path: path.join(ART, `nn-${lab}-${id}.png`), fullPage: true });
          assert(!errors.length, `${lab} ${id}: ${errors.join('; ')}`);
          await page.close();
        }
        const q = lab === 'initialization' ? '?preset=appropriate' : lab === 'relu' ? '?preset=krizhevsky' : '?preset=sigmoid-deep';
        const phone = await open(browser, lab, q, PHONE);
        await playFor(phone.page, 1500);
        await phone.page.screenshot({ path: path.join(ART, `nn-phone-${lab}.png`), fullPage: true });
        const over = await ev(phone.page, () => document.documentElement.scrollWidth - window.innerWidth);
        assert(over <= 0, `${lab}: no horizontal scrolling on a phone (overflow ${over}px)`);
        assert(!phone.errors.length, phone.errors.join('; '));
        await phone.page.close();
        const dark = await open(browser, lab, q, { dark: true });
        await playFor(dark.page, 800);
        await dark.page.screenshot({ path: path.join(ART, `nn-dark-${lab}.png`), fullPage: true });
        await dark.page.close();
      }
      const deepPhone = await open(browser, 'initialization', '?preset=deep-xavier', PHONE);
      await deepPhone.page.waitForFunction(() => window.__lab.deep.trainer, null, { timeout: 15000 });
      await playFor(deepPhone.page, 1500);
      await deepPhone.page.screenshot({ path: path.join(ART, 'nn-phone-initialization-deep.png'), fullPage: true });
      assert(!deepPhone.errors.length, deepPhone.errors.join('; '));
      await deepPhone.page.close();
    });
  } finally {
    await browser.close();
    if (server) server.kill();
  }
  for (const s of speeds) console.log(`     speed: ${s}`);
  const failed = results.filter(([, e]) => e).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => { console.error(e); if (server) server.kill(); console.log(`${results.filter(([, e2]) => !e2).length} passed, ${results.filter(([, e2]) => e2).length + 1} failed`); process.exit(1); });
