// Hyperparameter controls built from the engine's metadata:
//   {name, kind: 'number'|'bool'|'pair', default, min, max, ui_min, ui_max, log, help, integer}
// Every number gets a slider (log-scaled when `log`, whole steps when `integer`) and a text field
// for exact values. Each control is bound to a key of the lab's URL table through shared/fields.js,
// so a typed value is checked against the very range a link is checked against (the engine's
// range, capped where a link caps it), a rejected value is flagged with that range, and the
// controls always show what the lab uses.
import { sig } from './format.js';
import { parseValue } from './state.js';

function el(tag, props = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('aria-') || k.startsWith('data-') || k === 'for' || k === 'role') e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...kids);
  return e;
}
export { el };

let uid = 0;

/** Slider position (0..1000) ↔ value over the engine's suggested range [ui_min, ui_max]. */
export function sliderMap(p, integer) {
  const lo = p.ui_min ?? p.min ?? 0, hi = p.ui_max ?? p.max ?? 1;
  const nice = integer ? Math.round : (v) => Number(v.toPrecision(3));
  if (p.log) {
    const a = Math.log10(lo > 0 ? lo : Math.max(hi * 1e-7, 1e-12)), b = Math.log10(hi > 0 ? hi : 1);
    return { to: (v) => (v <= 0 ? 0 : Math.max(0, Math.min(1000, ((Math.log10(v) - a) / (b - a)) * 1000))), from: (s) => nice(10 ** (a + (s / 1000) * (b - a))) };
  }
  return { to: (v) => Math.max(0, Math.min(1000, ((v - lo) / (hi - lo || 1)) * 1000)), from: (s) => nice(lo + (s / 1000) * (hi - lo)) };
}

/** One element of a numlist entry (a pair's β₁, an eigenvalue λᵢ) parsed as a number in its bounds. */
function elementParser(index) {
  return (raw, e, values, key) => {
    const r = parseValue({ ...e, type: 'number', key: `${key}[${index}]` }, raw.trim());
    if (!r.ok) return r;
    const cur = (values[key] || e.default).slice();
    cur[index] = r.value;
    return { ok: true, value: cur };
  };
}

/**
 * Build controls for `meta` into `container`, each bound to the URL key `keyOf(p.name)` through
 * `fields` (a shared/fields.js Fields). `p.index` set: the control edits element p.index of a
 * numlist key (eigenvalue sliders).
 */
export function buildParamControls(container, meta, fields, keyOf, prefix = 'p') {
  container.replaceChildren();
  const inputs = [];
  for (const p of meta) {
    const key = keyOf(p.name);
    const id = `${prefix}-${p.index ?? p.name}-${++uid}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const row = el('div', { class: 'param' });
    const label = el('label', { for: id, title: p.help || '' }, el('code', {}, p.name));
    row.append(label);
    container.append(row);
    if (p.kind === 'bool') {
      const cb = el('input', { type: 'checkbox', id, 'aria-label': `${p.name}${p.help ? ': ' + p.help : ''}` });
      row.classList.add('param-bool');
      row.append(cb);
      fields.bind(cb, key, { label: p.name });
      inputs.push(cb);
    } else if (p.kind === 'pair') {
      const box = el('span', { class: 'pair' });
      const parts = [0, 1].map((k) => {
        const f = el('input', { type: 'text', inputMode: 'decimal', id: k ? `${id}-2` : id, size: 7, 'aria-label': `${p.name}[${k}]${k ? ' (beta2)' : ' (beta1)'}` });
        inputs.push(f);
        return f;
      });
      box.append('(', parts[0], ', ', parts[1], ')');
      row.append(box);
      parts.forEach((f, k) => fields.bind(f, key, {
        label: `${p.name}[${k}]`, element: k, read: (v) => v[key]?.[k], format: (v) => String(v),
        parse: (raw, e, values) => elementParser(k)(raw, e, values, key),
        allowed: (e) => `${bound(e.min)} ≤ ${p.name}[${k}] ${e.maxOpen ? '<' : '≤'} ${bound(e.max)}`,
      }));
    } else {
      const e0 = fields.entry(key);
      const integer = !!p.integer || e0?.type === 'int';
      const map = sliderMap(p, integer);
      const range = el('input', { type: 'range', min: 0, max: 1000, step: 1, 'aria-label': `${p.name} slider${p.log ? ' (logarithmic)' : ''}` });
      const text = el('input', { type: 'text', inputMode: integer ? 'numeric' : 'decimal', id, size: 7, 'aria-label': p.name + (p.help ? ': ' + p.help : '') });
      row.append(range, text);
      const idx = p.index;
      const read = idx == null ? (v) => v[key] : (v) => v[key]?.[idx];
      const clamp = (v, e) => Math.min(e.max ?? Infinity, Math.max(e.min ?? -Infinity, v));
      fields.bind(range, key, {
        label: p.name, read,
        toSlider: (v) => map.to(v),
        fromSlider: (s, e) => { const v = clamp(map.from(s), e); return integer ? Math.round(v) : v; },
        toChanges: idx == null ? undefined : (v, values) => { const a = values[key].slice(); a[idx] = v; return { [key]: a }; },
      });
      fields.bind(text, key, idx == null ? { label: p.name } : {
        label: p.name, element: idx, read, format: (v) => String(v),
        parse: (raw, e, values) => elementParser(idx)(raw, e, values, key),
        allowed: (e) => `${bound(e.min)} ≤ ${p.name} ≤ ${bound(e.max)}`,
      });
      inputs.push(range, text);
    }
    if (p.help) row.append(el('span', { class: 'help' }, p.help));
  }
  return { setDisabled(d) { inputs.forEach((i) => { i.disabled = d; }); } };
}

function bound(v) { return Math.abs(v) >= 1e5 ? v.toExponential().replace('e+', 'e') : String(v); }

export { sig };
