// Hyperparameter controls built from the engine's metadata:
//   {name, kind: 'number'|'bool'|'pair', default, min, max, log, help, integer?}
// Every number gets a slider (log-scaled when `log`) and a text field for exact values. Values are
// validated against [min, max] here; the engine validates again (it is the truth).
import { sig } from './format.js';

let uid = 0;

function el(tag, props = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('aria-') || k === 'for' || k === 'role') e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...kids);
  return e;
}
export { el };

function sliderMap(p) {
  // The engine gives a sensible slider range (ui_min, ui_max) apart from the hard bounds.
  const lo = p.ui_min ?? p.min ?? 0, hi = p.ui_max ?? p.max ?? 1;
  const nice = p.integer ? Math.round : roundNice;
  if (p.log) {
    const a = Math.log10(lo > 0 ? lo : Math.max(hi * 1e-7, 1e-12)), b = Math.log10(hi > 0 ? hi : 1);
    return { to: (v) => (v <= 0 ? 0 : Math.max(0, Math.min(1000, ((Math.log10(v) - a) / (b - a)) * 1000))), from: (s) => nice(10 ** (a + (s / 1000) * (b - a))) };
  }
  return { to: (v) => ((v - lo) / (hi - lo || 1)) * 1000, from: (s) => nice(lo + (s / 1000) * (hi - lo)) };
}
function roundNice(v) { return Number(v.toPrecision(3)); }

/** Parse a user-typed number, or return a reason string. */
export function parseField(text, p) {
  const s = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return 'not a number';
  const v = Number(s);
  if (!Number.isFinite(v)) return 'not finite';
  if (p.integer && !Number.isInteger(v)) return 'must be a whole number';
  if (p.min != null && (v < p.min || (p.min_open && v === p.min))) return `must be ${p.min_open ? '>' : '≥'} ${p.min}`;
  if (p.max != null && (v > p.max || (p.max_open && v === p.max))) return `must be ${p.max_open ? '<' : '≤'} ${p.max}`;
  return v;
}

/**
 * Build controls for `meta` into `container`.
 * @returns {{set(values), setDisabled(bool)}}
 */
export function buildParamControls(container, meta, values, onChange, prefix = 'p') {
  container.replaceChildren();
  const setters = [];
  const inputs = [];
  for (const p of meta) {
    const id = `${prefix}-${p.name}-${++uid}`;
    const row = el('div', { class: 'param' });
    const label = el('label', { for: id, title: p.help || '' }, el('code', {}, p.name));
    row.append(label);
    if (p.kind === 'bool') {
      const cb = el('input', { type: 'checkbox', id, checked: !!values[p.name], 'aria-label': `${p.name}${p.help ? ': ' + p.help : ''}` });
      cb.addEventListener('change', () => onChange(p.name, cb.checked));
      row.classList.add('param-bool');
      row.append(cb);
      setters.push((v) => { cb.checked = !!v[p.name]; });
      inputs.push(cb);
    } else if (p.kind === 'pair') {
      const box = el('span', { class: 'pair' });
      const fields = [0, 1].map((k) => {
        const f = el('input', { type: 'text', inputMode: 'decimal', id: k ? `${id}-2` : id, size: 7, 'aria-label': `${p.name}[${k}]${k ? ' (beta2)' : ' (beta1)'}` });
        f.value = String(values[p.name]?.[k] ?? p.default[k]);
        f.addEventListener('change', () => {
          const r = parseField(f.value, { min: p.min ?? 0, max: p.max ?? 1, max_open: p.max_open });
          if (typeof r === 'string') { flag(f, r); return; }
          flag(f, null);
          const cur = (values[p.name] || p.default).slice();
          cur[k] = r;
          onChange(p.name, cur);
        });
        inputs.push(f);
        return f;
      });
      box.append('(', fields[0], ', ', fields[1], ')');
      row.append(box);
      setters.push((v) => { fields.forEach((f, k) => { f.value = String(v[p.name]?.[k] ?? p.default[k]); flag(f, null); }); });
    } else {
      const map = sliderMap(p);
      const range = el('input', { type: 'range', min: 0, max: 1000, step: 1, 'aria-label': `${p.name} slider${p.log ? ' (logarithmic)' : ''}` });
      const text = el('input', { type: 'text', inputMode: 'decimal', id, size: 7, 'aria-label': p.name + (p.help ? ': ' + p.help : '') });
      const sync = (v) => { text.value = String(v); range.value = String(map.to(v)); flag(text, null); };
      sync(values[p.name] ?? p.default);
      range.addEventListener('input', () => { const v = map.from(Number(range.value)); text.value = String(v); flag(text, null); onChange(p.name, v); });
      text.addEventListener('change', () => {
        const r = parseField(text.value, p);
        if (typeof r === 'string') { flag(text, r); return; }
        range.value = String(map.to(r)); flag(text, null); onChange(p.name, r);
      });
      row.append(range, text);
      setters.push((v) => sync(v[p.name] ?? p.default));
      inputs.push(range, text);
    }
    if (p.help) row.append(el('span', { class: 'help' }, p.help));
    container.append(row);
  }
  return {
    set(v) { setters.forEach((s) => s(v)); },
    setDisabled(d) { inputs.forEach((i) => { i.disabled = d; }); },
  };
}

/** Mark a field invalid with an inline message (textContent only). */
export function flag(input, reason) {
  input.setAttribute('aria-invalid', reason ? 'true' : 'false');
  input.title = reason || '';
  let msg = input.parentElement?.querySelector(':scope > .field-error');
  if (reason) {
    if (!msg) { msg = el('span', { class: 'field-error', role: 'alert' }); input.parentElement.append(msg); }
    msg.textContent = reason;
  } else if (msg) msg.remove();
}

export { sig };
