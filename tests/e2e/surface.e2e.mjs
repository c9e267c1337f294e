// What a person sees, tested the way they use it: the rendered text of the update-anatomy
// formulas against the lecture, every field's feedback to bad input (driven from each lab's URL
// table), keyboard and touch, embeds in iframes of their documented size.
//
// Run:  node tests/e2e/surface.e2e.mjs   (engine built; server at $BASE_URL or started here)
import fs from 'node:fs';
import path from 'node:path';
import { ensureServer, launch, test, assert, finish, open, shot, sleep, ART, BASE, ROOT, LAPTOP, PHONE } from './lib.mjs';

// ---- the update anatomy ------------------------------------------------------------------------
// The lecture's formulas (shared/LECTURE.md §3), written as there; `lecture()` maps its sub- and
// superscripts to the linear form that `linear()` reads off the rendered MathML.
const LECTURE = {
  sgd: ['θ(t) = θ(t−1) − η(t) ∂L(B, θ(t−1))/∂θ'],
  momentum: ['u(t) = γ u(t−1) − η g(θ(t−1))', 'θ(t) = θ(t−1) + u(t)'],
  nag: ['u(t) = γ u(t−1) − η g(θ(t−1) + γ u(t−1))', 'θ(t) = θ(t−1) + u(t)'],
  adagrad: ['Gᵢ(t) = sqrt(Σ_{j=1}^{t} gᵢ(j)²)', 'θ(t) = θ(t−1) − η G(t−1)⁻¹ g'],
  rmsprop: ['EMA(gᵢ²)(t) = γ gᵢ(t)² + (1 − γ) EMA(gᵢ²)(t−1)', 'Gᵢ(t) = sqrt(EMA(gᵢ²)(t))', 'θ(t) = θ(t−1) − η G(t−1)⁻¹ g'],
  adadelta: ['Dᵢ(t) = sqrt(EMA(Δθᵢ²)(t))', 'θ(t) = θ(t−1) − η D(t−1) G(t−1)⁻¹ g'],
  adam: ['mᵢ(t) = β₁ gᵢ(t) + (1 − β₁) mᵢ(t−1)', 'rᵢ(t) = β₂ gᵢ(t)² + (1 − β₂) rᵢ(t−1)', 'm̂ = m / (1 − (1 − β₁)^t)', 'r̂ = r / (1 − (1 − β₂)^t)', 'θ(t) = θ(t−1) − η m̂ / sqrt(r̂)'],
  newton: ['θ(t) = θ(t−1) − η H⁻¹ g', 'on L = θ·Aθ: θ(t) = (1 − η) θ(t−1)'],
};
LECTURE.adamw = LECTURE.adam;
const RACER = {
  sgd: 'o1=sgd&o1.lr=0.01', momentum: 'o1=sgd&o1.momentum=0.9', nag: 'o1=sgd&o1.momentum=0.9&o1.nesterov=1',
  adagrad: 'o1=adagrad', rmsprop: 'o1=rmsprop', adadelta: 'o1=adadelta', adam: 'o1=adam', adamw: 'o1=adamw', newton: 'o1=newton',
};
const SUBS = { 'ᵢ': '_i', '₁': '_1', '₂': '_2', 'ⱼ': '_j' };
export function lecture(s) {
  return s.replace(/⁻¹/g, '^−1').replace(/²/g, '^2').replace(/[ᵢ₁₂ⱼ]/g, (c) => SUBS[c]).replace(/∑/g, 'Σ').replace(/\s+/g, '');
}

/** The text a sighted reader reads off a rendered <math>, linearised (runs in the page). */
function linearInPage(el) {
  const lin = (n) => {
    if (n.nodeType === 3) return n.textContent;
    const k = [...n.childNodes].filter((c) => c.nodeType === 1 || c.textContent.trim());
    const t = n.localName;
    const wrap = (c) => { const s = lin(c); return s.length > 1 && !/^\(.*\)$/.test(s) && !['mi', 'mn', 'mover', 'msqrt', 'msub'].includes(c.localName) ? `(${s})` : s; };
    if (t === 'msub') return `${lin(k[0])}_${lin(k[1])}`;
    if (t === 'msup') return `${lin(k[0])}^${lin(k[1])}`;
    if (t === 'munderover') return `${lin(k[0])}_{${lin(k[1])}}^{${lin(k[2])}}`;
    if (t === 'mfrac') return `${wrap(k[0])}/${wrap(k[1])}`;
    if (t === 'msqrt') return `sqrt(${k.map(lin).join('')})`;
    if (t === 'mover') return `${lin(k[0])}\u0302`;
    if (t === 'mspace') return '';
    return k.map(lin).join('');
  };
  return lin(el).replace(/\s+/g, '').replace(/∑/g, 'Σ');
}

async function anatomyCheck(browser, dev, tag) {
  const bad = [];
  for (const [name, q] of Object.entries(RACER)) {
    const { page, errors, close } = await open(browser, 'optimizer', `?f=himmelblau&${q}&o2=none&o3=none&sel=1`, dev);
    // Render twice more (steps change the numbers): formulas must survive re-renders.
    await page.click('#step'); await page.click('#step');
    await sleep(200);
    const got = await page.$$eval('#anatomy .anatomy-formulas math', (ms, fn) => ms.map((m) => {
      const lin = new Function(`return (${fn})`)();
      const panel = m.closest('.panel').getBoundingClientRect(), r = m.getBoundingClientRect();
      return { text: lin(m), overflow: m.scrollWidth > m.clientWidth + 1 || r.right > panel.right + 0.5 || r.left < panel.left - 0.5, w: m.scrollWidth, cw: m.clientWidth };
    }), linearInPage.toString());
    const want = LECTURE[name].map(lecture);
    if (got.length !== want.length) bad.push(`${name}: ${got.length} formulas, the lecture has ${want.length}: ${got.map((g) => g.text).join(' | ')}`);
    want.forEach((w, i) => {
      if (got[i] && got[i].text !== w) bad.push(`${name} formula ${i + 1}: shows "${got[i].text}", the lecture "${w}"`);
      if (got[i]?.overflow) bad.push(`${name} formula ${i + 1} overflows its panel on the ${tag} (${got[i].w} > ${got[i].cw} px)`);
    });
    if (errors.length) bad.push(`${name}: ${errors.join('; ')}`);
    if (name === 'adam') await page.locator('#anatomy').screenshot({ path: `${ART}/surface-anatomy-adam-${tag}.png` });
    await close();
  }
  assert(!bad.length, () => bad.join('\n'));
}

// ---- every field's feedback to bad input, driven from the lab's URL table ------------------------
const SWEEP = {
  optimizer: ['', '?preset=minibatch&sched=step&o2.sched=cosine&o3=adam', '?f=quadratic&sched=cosine&o1=rmsprop&o2=adadelta&o3=newton'],
  vanishing: ['', '?init=normal&opt=sgd', '?init=uniform'],
  initialization: ['', '?part=deep&deep.init=normal', '?init=uniform&deep.init=uniform&part=deep&deep.opt=sgd'],
  relu: ['', '?data=spiral&init=uniform&runs=sigmoid,tanh,relu,leaky_relu,gelu'],
  dropout: [''],
  normalization: ['', '?preset=adam'],
  batchnorm: ['', '?preset=high-lr'],
};
const fmt = (v) => (Math.abs(v) >= 1e5 ? v.toExponential().replace('e+', 'e') : String(v));

/** Bad inputs for an entry, each with what the message must name. */
function badInputs(e) {
  const out = [['abc', 'not a number'], ['1/2', 'not a number'], ['', 'empty']];
  if (e.type === 'number' || e.type === 'int') {
    if (e.min != null) out.push([e.minOpen ? String(e.min) : String(e.min - Math.max(1, Math.abs(e.min))), fmt(e.min)]);
    if (e.max != null) out.push([e.maxOpen ? String(e.max) : String(e.max * 10 + 1), fmt(e.max)]);
    if (e.type === 'int' && e.max - e.min >= 1) out.push([String(e.min + 0.5), 'whole number']);
  } else if (e.type === 'numlist') {
    out.splice(0, 2, ['abc', 'numbers'], ['1/2', 'numbers']);
    out.push(['1', `${e.count} numbers`]);
    out.push([Array(e.count).fill(String(e.max * 10 + 1)).join(','), fmt(e.max)]);
  } else if (e.type === 'string') {
    out.splice(0, 3, ['!!', 'Allowed'], ['1-', 'Allowed']);
  }
  return out;
}
/** A valid value other than the current one (for the "another control" and the accept checks). */
function validOther(e, cur) {
  if (e.type === 'number' || e.type === 'int') {
    const lo = e.min ?? -10, hi = e.max ?? 10;
    for (const c of [cur / 2, cur * 2, cur + 1, cur - 1, (lo + hi) / 2, hi, lo]) {
      const v = e.type === 'int' ? Math.round(c) : Number(c.toPrecision(6));
      if (v !== cur && Number.isFinite(v) && (v > lo || (!e.minOpen && v === lo)) && (v < hi || (!e.maxOpen && v === hi))) return v;
    }
  }
  if (e.type === 'numlist') return cur.map((x) => Math.max(e.min, Math.min(e.max, Number((x / 2 + 0.25).toPrecision(6)))));
  return null;
}

async function fieldSweep(browser, lab, queries) {
  const bad = [];
  const done = new Set();
  let checked = 0;
  for (const q of queries) {
    const { page, errors, close } = await open(browser, lab, q);
    await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
    await sleep(100);
    const fields = await page.evaluate(() => window.__fields.keys());
    for (const f of fields) {
      if (f.kind !== 'text' || !f.id || done.has(`${f.key}#${f.id.replace(/-\d+$/, '')}`)) continue;
      done.add(`${f.key}#${f.id.replace(/-\d+$/, '')}`);
      const sel = `#${f.id}`;
      let e = await page.evaluate((k) => window.__fields.entry(k), f.key);
      if (!e) continue;
      // One element of a list (β₁ of betas, an eigenvalue λᵢ): a number within the list's bounds.
      if (f.element != null) e = { ...e, type: 'number', count: undefined };
      const el = () => page.evaluate((s) => !!document.querySelector(s), sel);
      for (const [raw, must] of badInputs(e)) {
        if (!(await el())) { bad.push(`${lab}${q} ${f.key} (#${f.id}): the field was rebuilt while typing into it`); break; }
        const before = await page.evaluate(([k, s]) => ({ v: JSON.stringify(window.__fields.value(k)), shown: document.querySelector(s).value }), [f.key, sel]);
        await page.fill(sel, raw);
        await page.press(sel, 'Enter');
        const after = await page.evaluate(([k, s]) => {
          const el = document.querySelector(s);
          const ids = (el.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
          const msg = ids.map((i) => document.getElementById(i)).find((m) => m && m.classList.contains('field-error'));
          const r = msg?.getBoundingClientRect();
          return { v: JSON.stringify(window.__fields.value(k)), shown: el.value, invalid: el.getAttribute('aria-invalid'), msg: msg?.textContent || '', visible: !!r && r.width > 0 && r.height > 0 };
        }, [f.key, sel]);
        checked++;
        const where = `${lab}${q} ${f.key} (#${f.id}) ← "${raw}"`;
        if (after.v !== before.v) bad.push(`${where}: the lab's value changed ${before.v} → ${after.v}`);
        if (after.shown !== before.shown) bad.push(`${where}: the field shows "${after.shown}", the lab uses ${before.v}`);
        if (after.invalid !== 'true' || !after.visible) bad.push(`${where}: no visible message next to the field`);
        else if (!after.msg.includes('Allowed') || !after.msg.includes(must)) bad.push(`${where}: message "${after.msg}" does not name "${must}" and the allowed range`);
      }
      // A valid change from another control clears the flag and shows the new value.
      const whole = await page.evaluate((k) => window.__fields.value(k), f.key);
      const cur = f.element != null ? whole[f.element] : whole;
      const otherEl = validOther(e, cur);
      const other = otherEl == null ? null : f.element != null ? whole.map((x, i) => (i === f.element ? otherEl : x)) : otherEl;
      if (other != null && (await el())) {
        await page.fill(sel, 'abc'); await page.press(sel, 'Enter');
        await page.evaluate(([k, v]) => window.__fields.set({ [k]: v }), [f.key, other]);
        await sleep(30);
        const st = await page.evaluate(([k, s]) => { const el = document.querySelector(s); return { v: window.__fields.value(k), invalid: el?.getAttribute('aria-invalid'), shown: el?.value, connected: !!el }; }, [f.key, sel]);
        if (st.connected && st.invalid === 'true') bad.push(`${lab}${q} ${f.key}: the flag stays after a valid change from another control`);
        if (st.connected && JSON.stringify(st.v) !== JSON.stringify(other)) bad.push(`${lab}${q} ${f.key}: another control set ${JSON.stringify(other)}, the lab uses ${JSON.stringify(st.v)}`);
        // …and typing a valid value is accepted as typed.
        if (st.connected && e.type !== 'numlist') {
          await page.fill(sel, String(cur)); await page.press(sel, 'Enter');
          const v = await page.evaluate((k) => window.__fields.value(k), f.key);
          if (JSON.stringify(v) !== JSON.stringify(whole)) bad.push(`${lab}${q} ${f.key}: typed ${cur}, the lab uses ${JSON.stringify(v)}`);
        }
      }
    }
    // Sliders of whole-number parameters produce whole numbers.
    const ranges = fields.filter((f) => f.kind === 'range');
    for (const r of ranges) {
      const e = await page.evaluate((k) => window.__fields.entry(k), r.key);
      if (!e || e.type !== 'int') continue;
      for (const pos of [0.137, 0.5, 0.731, 1]) {
        const v = await page.evaluate(([k, id, p]) => {
          const el = [...document.querySelectorAll(`input[type=range][data-key="${k}"]`)].find((x) => x.id === id || !id) || document.querySelector(`input[type=range][data-key="${k}"]`);
          const lo = Number(el.min || 0), hi = Number(el.max || 100);
          el.value = String(Math.round(lo + p * (hi - lo)));
          el.dispatchEvent(new Event('input', { bubbles: true }));
          return window.__fields.value(k);
        }, [r.key, r.id, pos]);
        checked++;
        if (!Number.isInteger(v) || v < e.min || v > e.max) bad.push(`${lab}${q} slider of ${r.key} gave ${v}, not a whole number in [${e.min}, ${e.max}]`);
      }
    }
    if (errors.length) bad.push(`${lab}${q}: ${errors.join('; ')}`);
    await shot(page, `surface-fields-${lab}-${queries.indexOf(q)}`);
    await close();
  }
  console.log(`     ${lab}: ${done.size} fields, ${checked} inputs checked`);
  // Every typed field of the lab (the normalization lab's other settings are selects and radios).
  const least = { normalization: 6 }[lab] ?? 8;
  assert(done.size >= least, `${lab}: only ${done.size} fields found (want ${least})`);
  assert(!bad.length, () => `${bad.length} problems:\n${bad.slice(0, 40).join('\n')}`);
}

// ---- landscapes that are not finite ----------------------------------------------------------------
async function nonFinite(browser) {
  const bad = [];
  const { page, errors, close } = await open(browser, 'optimizer', '?f=custom&expr=x%5E2%2By%5E2');
  const typeExpr = async (src) => { await page.fill('#expr', src); await page.press('#expr', 'Enter'); await sleep(150); };
  const state = () => page.evaluate(() => ({
    expr: window.__lab.values.expr, err: document.getElementById('expr-error').hidden ? '' : document.getElementById('expr-error').textContent,
    warn: document.getElementById('landscape-warning').hidden ? '' : document.getElementById('landscape-warning').textContent,
    legend: document.querySelector('#legend tbody').textContent,
  }));
  for (const [src, must] of [['sqrt(-1)', 'is not a number'], ['1e400*x', 'not finite'], ['log(-1-x^2)', 'is not a number']]) {
    await typeExpr(src);
    const st = await state();
    if (st.expr !== 'x^2+y^2') bad.push(`${src}: applied (expr is now ${st.expr}); the previous landscape must stay`);
    if (!st.err.includes(must) || !st.err.includes('everywhere in this view')) bad.push(`${src}: message "${st.err}" (want "${must} … everywhere in this view")`);
  }
  await typeExpr('exp(exp(exp(x)))');
  let st = await state();
  if (st.expr !== 'exp(exp(exp(x)))') bad.push('exp(exp(exp(x))) was not applied');
  if (!/x > 1\.88/.test(st.warn)) bad.push(`exp(exp(exp(x))): warning "${st.warn}" does not say where (x > 1.88, where exp(exp(x)) > 709.78)`);
  await typeExpr('sqrt(x)');
  st = await state();
  if (!/x < 0[;, ]/.test(st.warn) || !st.warn.includes('not a number')) bad.push(`sqrt(x): warning "${st.warn}" does not name x < 0 and NaN`);
  if (/undefined|NaN|step -1/.test(st.legend)) bad.push(`legend shows "${st.legend}"`);
  await shot(page, 'surface-nonfinite-warning');
  if (errors.length) bad.push(errors.join('; '));
  await close();
  // From a link: a notice, and the lab opens a usable landscape.
  const l = await open(browser, 'optimizer', '?f=custom&expr=sqrt(-1)');
  const got = await l.page.evaluate(() => ({ notice: document.getElementById('url-notice').textContent, f: window.__lab.values.f, expr: window.__lab.values.expr, legend: document.querySelector('#legend tbody').textContent }));
  if (!got.notice.includes('everywhere in this view')) bad.push(`link with sqrt(-1): notice "${got.notice}"`);
  if (got.f === 'custom' && got.expr === 'sqrt(-1)') bad.push('link with sqrt(-1): the landscape was used');
  if (/undefined|NaN|step -1/.test(got.legend)) bad.push(`link: legend shows "${got.legend}"`);
  await l.close();
  assert(!bad.length, () => bad.join('\n'));
}

// ---- float32 overflow and divergence in the vanishing lab ---------------------------------------
async function vanishingOverflow(browser) {
  const bad = [];
  let { page, errors, close } = await open(browser, 'vanishing', '?preset=linear-large');
  await page.click('#play');
  await page.waitForFunction(() => window.__lab.trainer?.diverged_at_step != null, null, { timeout: 10000 });
  await sleep(200);
  let st = await page.evaluate(() => ({ g: Array.from(window.__lab.gradNorms), k: window.__lab.trainer.diverged_at_step, vl: window.__lab.charts.loss.vlines, status: document.getElementById('mlp-status').textContent, x: window.__lab.charts.loss.lastExtent }));
  if (!st.g.every((v) => Number.isFinite(v) && v > 0)) bad.push(`after divergence the bars are ${st.g.slice(0, 4).join(', ')}…: the last finite gradients must stay`);
  if (!st.status.includes(`Diverged at step ${st.k}`)) bad.push(`status: "${st.status}"`);
  if (!st.vl.length || st.vl[0].x !== st.k || !/diverged at step/.test(st.vl[0].label)) bad.push(`loss chart has no divergence marker: ${JSON.stringify(st.vl)}`);
  if (!(st.x.x0 >= 0 && st.x.x1 >= st.k)) bad.push(`loss chart x-axis ${st.x.x0}…${st.x.x1} does not cover steps 1…${st.k}`);
  await page.locator('[data-panel=mlp]').screenshot({ path: `${ART}/surface-vanishing-diverged.png` });
  if (errors.length) bad.push(errors.join('; '));
  await close();
  ({ page, errors, close } = await open(browser, 'vanishing', '?depth=40&width=256'));
  await page.waitForFunction(() => window.__lab.compare.length === 12 && window.__lab.compare.every((c) => c.norms), null, { timeout: 60000 });
  const cells = await page.evaluate(() => window.__lab.compare.map((c) => ({ act: c.act, init: c.init, std: c.std, text: c.button.textContent.trim(), label: c.button.getAttribute('aria-label') })));
  for (const c of cells) {
    if (/first layer: 0|^0$/.test(c.text)) bad.push(`${c.act}/${c.init}: "${c.text}"`);
    if (!c.label.startsWith(c.text)) bad.push(`${c.act}/${c.init}: accessible name "${c.label}" does not contain the visible "${c.text}"`);
  }
  const relu = cells.find((c) => c.act === 'relu' && c.init === 'normal');
  if (!/overflows f32/.test(relu.text)) bad.push(`ReLU N(0, 1) at 40 × 256 says "${relu.text}", not that float32 overflows`);
  const small = cells.find((c) => c.act === 'relu' && c.init === 'too_small');
  if (!/underflows f32/.test(small.text)) bad.push(`ReLU too small at 40 × 256 says "${small.text}", not that float32 underflows`);
  await page.locator('[data-panel=compare]').screenshot({ path: `${ART}/surface-vanishing-overflow-grid.png` });
  if (errors.length) bad.push(errors.join('; '));
  await close();
  assert(!bad.length, () => bad.join('\n'));
}

// ---- keyboard -----------------------------------------------------------------------------------
const RADIO_PAGES = [['optimizer', ''], ['initialization', ''], ['initialization', '?part=deep'], ['relu', ''], ['dropout', ''], ['normalization', ''], ['batchnorm', '']];
async function radios(browser) {
  const bad = [];
  for (const [lab, q] of RADIO_PAGES) {
    const { page, errors, close } = await open(browser, lab, q);
    if (lab === 'initialization' && q) await page.waitForFunction(() => window.__lab.deep.trainer, null, { timeout: 20000 });
    const groups = await page.evaluate(() => [...document.querySelectorAll('[role=radiogroup]')].filter((g) => g.offsetParent).map((g, i) => { g.dataset.t = String(i); return { i, n: g.querySelectorAll('[role=radio]').length, stops: [...g.querySelectorAll('[role=radio]')].filter((r) => r.tabIndex === 0).length, label: g.getAttribute('aria-label') || g.getAttribute('aria-labelledby') }; }));
    for (const g of groups) {
      if (g.stops !== 1) bad.push(`${lab}${q} group ${g.label}: ${g.stops} Tab stops (want 1)`);
      const counter = () => page.evaluate(() => document.getElementById('counter')?.textContent);
      const before = await counter();
      await page.evaluate((i) => { const g = document.querySelector(`[data-t="${i}"]`); (g.querySelector('[tabindex="0"]') || g.querySelector('[role=radio]')).focus(); }, g.i);
      const checked0 = await page.evaluate((i) => [...document.querySelectorAll(`[data-t="${i}"] [role=radio]`)].findIndex((r) => r.getAttribute('aria-checked') === 'true'), g.i);
      await page.keyboard.press('ArrowRight');
      await sleep(120);
      const st = await page.evaluate((i) => { const rs = [...document.querySelectorAll(`[data-t="${i}"] [role=radio]`)]; return { checked: rs.findIndex((r) => r.getAttribute('aria-checked') === 'true'), focus: rs.indexOf(document.activeElement), stops: rs.filter((r) => r.tabIndex === 0).length }; }, g.i);
      const want = (checked0 + 1) % g.n;
      if (st.checked !== want || st.focus !== want) bad.push(`${lab}${q} ${g.label}: → from radio ${checked0} checked ${st.checked}, focused ${st.focus} (want ${want})`);
      if (st.stops !== 1) bad.push(`${lab}${q} ${g.label}: after → ${st.stops} Tab stops`);
      const after = await counter();
      if (before !== after) bad.push(`${lab}${q} ${g.label}: → also stepped the lab (${before} → ${after})`);
      await page.keyboard.press('ArrowLeft');
      await sleep(120);
      const back = await page.evaluate((i) => [...document.querySelectorAll(`[data-t="${i}"] [role=radio]`)].findIndex((r) => r.getAttribute('aria-checked') === 'true'), g.i);
      if (back !== checked0) bad.push(`${lab}${q} ${g.label}: ← did not go back (${back})`);
    }
    if (!groups.length) bad.push(`${lab}${q}: no radio group found`);
    if (errors.length) bad.push(errors.join('; '));
    await close();
  }
  assert(!bad.length, () => bad.join('\n'));
}

/** Tab through the whole page: every stop visible, with a focus ring, none hidden or inert. */
async function tabWalk(browser) {
  const bad = [];
  for (const lab of ['index', 'optimizer', 'vanishing', 'initialization', 'relu', 'dropout', 'normalization', 'batchnorm']) {
    const { page, errors, close } = await open(browser, lab, '', { wait: lab === 'index' ? 'main' : undefined });
    const seen = [];
    for (let i = 0; i < 140; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
        const hiddenAnc = el.closest('[hidden]');
        return { tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30), w: r.width, h: r.height, ring: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2, hidden: !!hiddenAnc, key: el.dataset.key || el.id || el.textContent.trim().slice(0, 20) };
      });
      if (!f) break;
      const sig = `${f.tag}#${f.id}:${f.name}`;
      if (seen.includes(sig)) break; // wrapped around
      seen.push(sig);
      if (f.hidden || f.w < 1 || f.h < 1) bad.push(`${lab}: Tab stop ${sig} is not visible`);
      else if (!f.ring) bad.push(`${lab}: Tab stop ${sig} has no visible focus ring`);
      if (f.tag === 'math') bad.push(`${lab}: a formula (<math>) is a Tab stop`);
    }
    console.log(`     ${lab}: ${seen.length} Tab stops`);
    if (seen.length < (lab === 'index' ? 5 : 20)) bad.push(`${lab}: only ${seen.length} Tab stops`);
    if (errors.length) bad.push(errors.join('; '));
    await close();
  }
  assert(!bad.length, () => bad.join('\n'));
}

// ---- touch ----------------------------------------------------------------------------------------
async function phoneTouch(browser) {
  const bad = [];
  for (const lab of ['optimizer', 'vanishing', 'initialization', 'relu', 'dropout', 'normalization', 'batchnorm']) {
    const { page, errors, close } = await open(browser, lab, '', PHONE);
    await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
    const small = await page.evaluate(() => [...document.querySelectorAll('button, select, input, summary, [role=radio], [role=tab]')]
      .filter((el) => el.offsetParent !== null && !el.closest('[hidden]'))
      .map((el) => { const r = el.getBoundingClientRect(); return { s: `${el.tagName.toLowerCase()}#${el.id || ''} "${(el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 24)}"`, w: r.width, h: r.height }; })
      .filter((t) => t.w < 24 || t.h < 24));
    for (const t of small) bad.push(`${lab} (phone): ${t.s} is ${t.w.toFixed(0)}×${t.h.toFixed(0)} px, below 24×24`);
    if (errors.length) bad.push(errors.join('; '));
    await close();
  }
  // A vertical swipe on the landscape scrolls the page and leaves the view alone; a tap sets the start.
  const { page, errors, close } = await open(browser, 'optimizer', '', PHONE);
  const readout = await page.textContent('#readout');
  if (!/tap/.test(readout)) bad.push(`phone readout says "${readout}", not how to use it by touch`);
  const view0 = await page.evaluate(() => window.__lab.plot.view.slice());
  const box = await page.locator('#plot').boundingBox();
  const cdp = await page.context().newCDPSession(page);
  // A real touch sequence through the browser's input pipeline (so touch-action decides).
  const x = box.x + box.width / 2, y0 = box.y + box.height * 0.8, y1 = box.y + box.height * 0.05;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: y0 }] });
  for (let k = 1; k <= 12; k++) { await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y0 + ((y1 - y0) * k) / 12 }] }); await sleep(16); }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await sleep(400);
  const after = await page.evaluate(() => ({ y: window.scrollY, view: window.__lab.plot.view.slice() }));
  if (after.y < 100) bad.push(`a vertical swipe on the landscape scrolled the page by ${after.y} px (want ≥ 100)`);
  if (JSON.stringify(after.view) !== JSON.stringify(view0)) bad.push(`the swipe panned the plot: ${view0} → ${after.view}`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await sleep(100);
  const b2 = await page.locator('#plot').boundingBox();
  await page.touchscreen.tap(b2.x + b2.width * 0.3, b2.y + b2.height * 0.4);
  await sleep(300);
  const st = await page.evaluate(() => ({ x0: window.__lab.values.x0, playing: window.__lab.playing }));
  if (st.x0 === 0) bad.push('a tap did not set the start point');
  if (errors.length) bad.push(errors.join('; '));
  await shot(page, 'surface-phone-optimizer');
  await close();
  assert(!bad.length, () => bad.join('\n'));
}

// ---- embeds as documented ---------------------------------------------------------------------
/** Every iframe snippet of README.md and of the start page: [src relative to www/, width, height]. */
function documentedEmbeds() {
  const out = [];
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  for (const m of readme.matchAll(/<iframe src="https:\/\/your\.host\/playground\/([^"]+)"\s+width="(\d+)" height="(\d+)"/g)) out.push(['README', m[1], +m[2], +m[3]]);
  const index = fs.readFileSync(path.join(ROOT, 'www/index.html'), 'utf8').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of index.matchAll(/<iframe src="([^"]+)" width="(\d+)" height="(\d+)"/g)) out.push(['index.html', m[1], +m[2], +m[3]]);
  return out;
}

async function embeds(browser) {
  const list = documentedEmbeds();
  assert(list.length >= 6, `only ${list.length} documented embeds found`);
  const bad = [];
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'error') bad.push(`console error: ${m.text()}`); if (m.type() === 'warning') warnings.push(m.text()); });
  page.on('pageerror', (e) => bad.push(`pageerror: ${e.message}`));
  let k = 0;
  for (const [where, src, w, h] of list) {
    await page.setContent(`<!doctype html><title>course page</title><body style="margin:0"><iframe id="f" src="${BASE}${src}" width="${w}" height="${h}" style="border:0"></iframe></body>`);
    const frame = await (await page.$('#f')).contentFrame();
    await frame.waitForSelector('body.ready', { timeout: 30000 });
    await sleep(1000);
    // Play a little: the frame must keep fitting while the figures change.
    await frame.click('#play').catch(() => {});
    await sleep(1500);
    const st = await frame.evaluate(() => {
      const d = document.scrollingElement;
      const vis = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.bottom <= innerHeight + 1 && r.right <= innerWidth + 1 && r.top >= -1; };
      const canvases = [...document.querySelectorAll('canvas')].filter((c) => c.offsetParent !== null);
      const notices = [...document.querySelectorAll('.notice')].filter((n) => n.offsetParent !== null && n.textContent.trim()).map((n) => n.textContent.trim().slice(0, 80));
      return {
        sh: d.scrollHeight, ch: d.clientHeight, sw: d.scrollWidth, cw: d.clientWidth,
        figures: canvases.length, allVisible: canvases.every(vis), biggest: Math.max(0, ...canvases.map((c) => c.getBoundingClientRect().width * c.getBoundingClientRect().height)),
        notices, controlsShown: [...document.querySelectorAll('[data-panel="controls"]')].some((c) => c.offsetParent !== null),
      };
    });
    const tag = `${where}: ${src} (${w}×${h})`;
    if (st.sh > st.ch + 1 || st.sw > st.cw + 1) bad.push(`${tag} scrolls: content ${st.sw}×${st.sh} in ${st.cw}×${st.ch}`);
    if (!st.figures || !st.allVisible) bad.push(`${tag}: ${st.figures} figures, not all of them inside the frame`);
    if (st.biggest < 0.15 * w * h) bad.push(`${tag}: the largest figure covers ${(st.biggest / (w * h) * 100).toFixed(0)}% of the frame`);
    if (st.notices.length) bad.push(`${tag}: a notice inside the course page: ${st.notices.join(' | ')}`);
    if (st.controlsShown && !/show=[^&]*controls/.test(src)) bad.push(`${tag}: the settings are shown`);
    await page.screenshot({ path: `${ART}/surface-embed-${k++}.png` });
  }
  // An item a lab does not have is ignored with a console warning, never a notice.
  await page.setContent(`<!doctype html><body style="margin:0"><iframe id="f" src="${BASE}relu.html?lesson=krizhevsky&embed=1&hide=chart,anatomy" width="800" height="480"></iframe></body>`);
  const frame = await (await page.$('#f')).contentFrame();
  await frame.waitForSelector('body.ready', { timeout: 30000 });
  const visibleNotice = await frame.evaluate(() => [...document.querySelectorAll('.notice')].some((n) => n.offsetParent !== null));
  if (visibleNotice) bad.push('hide=chart,anatomy on the ReLU lab shows a notice');
  if (!warnings.some((w) => /hide: ignored unknown items? chart, anatomy/.test(w))) bad.push(`no console warning for the unknown hide= items (got: ${warnings.join(' | ')})`);
  // The lesson banner can be hidden, and unlocking a lesson whose settings are hidden shows them.
  const { page: p2, close } = await open(browser, 'initialization', '?lesson=too-small&hide=controls');
  await p2.click('#unlock');
  const shown = await p2.evaluate(() => [...document.querySelectorAll('[data-panel="controls"]')].some((c) => c.offsetParent !== null));
  if (!shown) bad.push('unlocking a lesson with hide=controls leaves no settings to change');
  await close();
  const { page: p3, close: c3 } = await open(browser, 'optimizer', '?lesson=valley&hide=lesson');
  if (await p3.evaluate(() => document.getElementById('lesson-banner').offsetParent !== null)) bad.push('hide=lesson does not hide the lesson banner');
  await c3();
  await context.close();
  assert(!bad.length, () => bad.join('\n'));
}

// ---- file:// ---------------------------------------------------------------------------------------
async function fileUrl(browser) {
  const bad = [];
  for (const lab of ['index', 'optimizer', 'vanishing', 'initialization', 'relu', 'dropout', 'normalization', 'batchnorm']) {
    const page = await browser.newPage();
    await page.goto(`file://${path.join(ROOT, 'www', `${lab}.html`)}`);
    await sleep(600);
    const msg = await page.evaluate(() => { const f = document.getElementById('fatal'); return f && f.offsetParent !== null ? f.textContent : ''; });
    if (!/file:\/\//.test(msg) || !/http:\/\/127\.0\.0\.1:8080/.test(msg) || !/dist\/offline/.test(msg)) bad.push(`${lab} from file:// says "${msg}"`);
    await page.close();
  }
  assert(!bad.length, () => bad.join('\n'));
}

// ---- scene notes say what the scene does ------------------------------------------------------
async function sceneNotes(browser) {
  const bad = [];
  // Goldstein–Price: SGD and Adam at the local minimum 30, RMSprop still creeping in, momentum at 3.
  let { page, close } = await open(browser, 'optimizer', '?preset=goldstein');
  const g = await page.evaluate(() => Object.fromEntries(window.__lab.racers.map((r) => {
    const t = window.__lab.E.trajectory(r.spec), n = t.values.length;
    return [r.label, { f: t.values[n - 1], d: Math.hypot(t.points[2 * n - 2] + 0.6, t.points[2 * n - 1] + 0.4) }];
  })));
  const note = await page.textContent('#preset-note');
  if (!(Math.abs(g.SGD.f - 30) < 1 && Math.abs(g.Adam.f - 30) < 3)) bad.push(`Goldstein: SGD f=${g.SGD.f}, Adam f=${g.Adam.f}, not ≈ 30 as the note says`);
  if (!(g.RMSprop.f > 35 && g.RMSprop.f < 60 && g.RMSprop.d < 0.3)) bad.push(`Goldstein: RMSprop f=${g.RMSprop.f}, ${g.RMSprop.d} from the local minimum: the note says ≈ 49, 0.2 away`);
  if (!(Math.abs(g.Momentum.f - 3) < 0.01)) bad.push(`Goldstein: Momentum f=${g.Momentum.f}, the note says 3`);
  if (!/RMSprop is still creeping/.test(note)) bad.push(`Goldstein note: ${note}`);
  await close();
  // ReLU lab, spiral: only ReLU below 10 % (about 80 epochs); tanh about 18 %; sigmoid 50 % then ~40 %.
  ({ page, close } = await open(browser, 'relu', '?preset=spiral&speed=1000000'));
  await page.click('#play');
  await page.waitForFunction(() => !window.__lab.playing && window.__lab.racers.length, null, { timeout: 120000 });
  const r = await page.evaluate(() => Object.fromEntries(window.__lab.racers.map((x) => [x.act, { last: x.errors[x.errors.length - 1], reached: x.reached ?? null, at120: x.errors[120] }])));
  if (!(r.relu.reached > 60 && r.relu.reached < 100)) bad.push(`spiral: ReLU reached 10 % after ${r.relu.reached} epochs, the note says about 80`);
  if (!(r.tanh.reached == null && r.tanh.last > 0.12 && r.tanh.last < 0.25)) bad.push(`spiral: tanh ends at ${r.tanh.last} (reached ${r.tanh.reached}), the note says about 18 %`);
  if (!(r.sigmoid.reached == null && r.sigmoid.at120 >= 0.45 && r.sigmoid.last > 0.33 && r.sigmoid.last < 0.47)) bad.push(`spiral: sigmoid ${r.sigmoid.at120} at epoch 120, ${r.sigmoid.last} at the end; the note says 50 % then about 40 %`);
  await close();
  assert(!bad.length, () => bad.join('\n'));
}

async function main() {
  await ensureServer();
  const browser = await launch();
  try {
    if (!process.env.ONLY || 'anatomy'.includes(process.env.ONLY)) await test('anatomy: every optimizer\'s rendered formulas equal the lecture\'s, with no overflow (laptop)', () => anatomyCheck(browser, LAPTOP, 'laptop'));
    if (!process.env.ONLY || 'anatomy'.includes(process.env.ONLY)) await test('anatomy: the same on a phone', () => anatomyCheck(browser, PHONE, 'phone'));
    if (!process.env.ONLY || 'nonfinite'.includes(process.env.ONLY)) await test('non-finite landscapes: refused with a reason when nothing in view is finite (previous landscape kept), the region named when part is', () => nonFinite(browser));
    if (!process.env.ONLY || 'overflow'.includes(process.env.ONLY)) await test('vanishing: float32 overflow and underflow are named (never a 0), a divergence keeps the last finite bars and is marked on the loss chart', () => vanishingOverflow(browser));
    if (!process.env.ONLY || 'notes'.includes(process.env.ONLY)) await test('scene notes state what the scenes do (Goldstein–Price racers, the spiral race)', () => sceneNotes(browser));
    if (!process.env.ONLY || 'file'.includes(process.env.ONLY)) await test('file://: every page says how to open it instead of sitting dead', () => fileUrl(browser));
    if (!process.env.ONLY || 'embed'.includes(process.env.ONLY)) await test('embeds: every iframe of README and the start page fits its stated size (no scrollbars), shows its figures and no notice; unknown hide= items only warn; lesson banner hideable', () => embeds(browser));
    if (!process.env.ONLY || 'keyboard'.includes(process.env.ONLY)) await test('keyboard: radio groups follow the ARIA radio pattern (one Tab stop, arrows move the selection, never the step key)', () => radios(browser));
    if (!process.env.ONLY || 'keyboard'.includes(process.env.ONLY)) await test('keyboard: Tab reaches only visible controls, each with a focus ring, and no formula', () => tabWalk(browser));
    if (!process.env.ONLY || 'touch'.includes(process.env.ONLY)) await test('phone: tap targets ≥ 24 px, a vertical swipe on the landscape scrolls the page, a tap sets the start, the readout says "tap"', () => phoneTouch(browser));
    for (const [lab, qs] of Object.entries(SWEEP)) {
      if (!process.env.ONLY || 'fields'.includes(process.env.ONLY)) await test(`fields (${lab}): every field flags bad input with the allowed range, keeps showing the value in use, and a valid change from another control clears the flag`, () => fieldSweep(browser, lab, qs));
    }
  } finally {
    await browser.close();
  }
  finish();
}

main();
