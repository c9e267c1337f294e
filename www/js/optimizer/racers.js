// Racer cards: one per optimizer in the race, each with its colour/marker, an optimizer picker and
// hyperparameter controls built from the engine's metadata (PyTorch names and defaults).
import { buildParamControls, el } from '../shared/params-ui.js';
import { racerStyle, SHAPE_GLYPH } from '../shared/palette.js';
import { MAX_RACERS, RACER_EXTRA, SEED_MAX } from './url-table.js';
import { bindSeedButton } from '../shared/seeds.js';
import { DATA_LANDSCAPES, isDataLandscape } from '../shared/datasets.js';

/**
 * @param {HTMLElement} root  container for the cards
 * @param {object} meta       engine metadata
 * @param {object} api        { values, set(changes:object), select(index) }
 * @param {Fields} fields     the lab's shared/fields.js binder (every control bound to its URL key)
 */
export function renderRacerCards(root, meta, api, racers, fields, statusByIndex = {}) {
  root.replaceChildren();
  for (const r of racers) {
    const st = racerStyle(r.index - 1);
    const card = el('section', { class: 'racer-card', 'aria-label': `Racer ${r.index}: ${r.label}` });
    card.style.setProperty('--racer', st.color);
    card.dataset.index = String(r.index);
    const sw = el('span', { class: 'swatch', 'aria-hidden': 'true' }, SHAPE_GLYPH[st.shape]);
    sw.style.color = st.color;
    const pick = el('select', { 'aria-label': `Optimizer of racer ${r.index}` });
    for (const o of meta.optimizers) pick.append(new Option(o.label.split(' (')[0], o.name, false, o.name === r.name));
    pick.addEventListener('change', () => {
      // A new optimizer starts from its own PyTorch defaults (stale kwargs of the old one are dropped).
      const ch = { [`o${r.index}`]: pick.value };
      for (const k of Object.keys(api.values)) if (k.startsWith(`o${r.index}.`) && !RACER_EXTRA.test(k)) ch[k] = undefined;
      api.set(ch);
    });
    const label = el('span', { class: 'racer-label' }, r.label);
    const showBtn = el('button', { type: 'button', class: 'small', 'aria-pressed': String(api.values.sel === r.index), title: 'Show this racer in the update anatomy' }, 'anatomy');
    showBtn.addEventListener('click', () => api.select(r.index));
    const rm = el('button', { type: 'button', class: 'small danger', 'aria-label': `Remove racer ${r.index} (${r.label})`, title: 'Remove' }, '✕');
    rm.disabled = racers.length <= 1;
    rm.addEventListener('click', () => {
      const ch = { [`o${r.index}`]: 'none' };
      for (const k of Object.keys(api.values)) if (k.startsWith(`o${r.index}.`)) ch[k] = undefined;
      api.set(ch);
    });
    const head = el('div', { class: 'racer-head' }, sw, pick, label, showBtn, rm);
    const params = el('div', { class: 'params' });
    buildParamControls(params, r.meta.params, fields, (name) => `o${r.index}.${name}`, `o${r.index}`);
    const sched = scheduleControls(r, meta, api, fields);
    const data = dataControls(r, api, fields);
    const status = el('div', { class: 'racer-status', 'aria-live': 'off' });
    if (r.error) { status.textContent = r.error; status.classList.add('error'); }
    else if (statusByIndex[r.index]) status.textContent = statusByIndex[r.index];
    const det = el('details', { class: 'racer-params' }, el('summary', {}, 'hyperparameters'), params, sched);
    if (r.index === api.values.sel) det.open = true;
    card.append(head, ...(data ? [data] : []), det, status);
    root.append(card);
  }
  if (racers.length < MAX_RACERS) {
    const add = el('button', { type: 'button', class: 'add-racer' }, '+ add a racer');
    add.addEventListener('click', () => {
      for (let i = 1; i <= MAX_RACERS; i++) if (!api.values[`o${i}`] || api.values[`o${i}`] === 'none') {
        const ch = { [`o${i}`]: 'adam' };
        for (const k of Object.keys(api.values)) if (k.startsWith(`o${i}.`)) ch[k] = undefined;
        api.set(ch); return;
      }
    });
    root.append(add);
  }
}

/** Mini-batch size B and the sampler's seed (data landscapes only; B = n is full batch). */
function dataControls(r, api, fields) {
  const f = api.values.f;
  if (!isDataLandscape(f)) return null;
  const n = DATA_LANDSCAPES[f].n;
  const box = el('div', { class: 'params racer-data' });
  const meta = [
    { name: 'batch_size', kind: 'number', integer: true, default: n, min: 1, max: n, ui_min: 1, ui_max: n, log: true, help: `mini-batch size B (${n} = the full data set)` },
    { name: 'seed', kind: 'number', integer: true, default: 0, min: 0, max: SEED_MAX, ui_min: 0, ui_max: 99, log: false, help: 'seed of the mini-batch sampler' },
  ];
  buildParamControls(box, meta, fields, (name) => `o${r.index}.${name}`, `o${r.index}-data`);
  // A fresh seed from the browser's CSPRNG (through the engine), set like a typed value.
  const key = `o${r.index}.seed`;
  const fresh = el('button', { type: 'button', class: 'seed-new', 'data-seed-for': key, 'aria-label': `new random seed of racer ${r.index}`, title: 'Draw a fresh seed from the browser\'s random source (it goes into the URL)' }, 'new');
  bindSeedButton(fresh, key, () => SEED_MAX, (ch) => api.set(ch));
  box.append(fresh);
  return box;
}

let uid = 0;
/** A schedule for this racer alone, or the shared one. */
function scheduleControls(r, meta, api, fields) {
  const i = r.index, key = `o${i}.sched`, cur = api.values[key] || 'shared';
  const wrap = el('div', { class: 'racer-sched' });
  const id = `o${i}-sched-${++uid}`;
  const pick = el('select', { id, 'aria-label': `Learning-rate schedule of racer ${i}` });
  const shared = meta.schedulers.find((s) => s.name === api.values.sched);
  pick.append(new Option(`shared (${shared ? shared.label : 'constant'})`, 'shared', false, cur === 'shared'));
  for (const s of meta.schedulers) pick.append(new Option(s.label, s.name, false, cur === s.name));
  pick.addEventListener('change', () => {
    const ch = { [key]: pick.value };
    for (const k of Object.keys(api.values)) if (k.startsWith(`${key}.`)) ch[k] = undefined;
    api.set(ch);
  });
  wrap.append(el('div', { class: 'sched-row' }, el('label', { for: id }, 'schedule'), pick));
  const sm = meta.schedulers.find((s) => s.name === cur);
  if (sm && sm.params.length) {
    const ps = el('div', { class: 'params' });
    buildParamControls(ps, sm.params, fields, (name) => `${key}.${name}`, `${key}`);
    wrap.append(ps);
  }
  return wrap;
}
