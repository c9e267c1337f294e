// Every input of a lab is bound to one key of the lab's URL table (shared/state.js): a typed value
// goes through the very parser and range that a link goes through, a rejected value is flagged
// next to the field with the allowed range (and the field goes back to the value the lab uses),
// and after every change, from whatever control, each field shows the value the lab uses and a
// flag whose key has changed since disappears. One rule for every field of every lab; the e2e
// field sweep (tests/e2e/fields.e2e.mjs) drives it from the table through `window.__fields`.
import { effectiveEntry, parseValue, formatValue, describeAllowed } from './state.js';

let uid = 0;
const text = (v) => (v === undefined || v === null ? '' : JSON.stringify(v));

/** Mark `input` invalid with `message` (textContent only) right after its row; null clears it. */
export function flag(input, message) {
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
  const host = input.closest('.param, .row, .field') || input.parentElement;
  let msg = input._flagEl;
  if (message) {
    if (!msg || !msg.isConnected) {
      msg = document.createElement('span');
      msg.className = 'field-error';
      msg.id = `field-error-${++uid}`;
      msg.setAttribute('role', 'alert');
      host.append(msg);
      input._flagEl = msg;
      const by = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      if (!by.includes(msg.id)) input.setAttribute('aria-describedby', [...by, msg.id].join(' '));
    }
    msg.textContent = message;
  } else if (msg) {
    msg.remove();
    input._flagEl = null;
    const by = (input.getAttribute('aria-describedby') || '').split(' ').filter((s) => s && s !== msg.id);
    if (by.length) input.setAttribute('aria-describedby', by.join(' ')); else input.removeAttribute('aria-describedby');
  }
}

/** Short display of a value for messages ("0.01", "1e6", "(0.9, 0.999)"). */
export function show(v) {
  if (typeof v === 'number') return Math.abs(v) >= 1e5 && Number.isFinite(v) ? v.toExponential().replace('e+', 'e') : String(v);
  if (Array.isArray(v)) return v.map(show).join(', ');
  return String(v);
}

export class Fields {
  /**
   * @param {{table: () => object[], values: () => object, set: (changes: object) => void}} lab
   */
  constructor(lab) {
    this.lab = lab;
    this.bound = new Set();
  }
  /** The table entry of `key` as it applies now (null when it does not apply). */
  entry(key) {
    const table = this.lab.table();
    const values = this.lab.values();
    const at = table.findIndex((e) => e.key === key);
    if (at < 0) return null;
    // Resolve with the values read so far in table order, as readState does.
    const seen = {};
    for (let i = 0; i < at; i++) seen[table[i].key] = values[table[i].key];
    return effectiveEntry(table[at], seen);
  }
  /**
   * Bind a text/number field, select or checkbox to `key`.
   * opts: {label: name used in messages, read(values) → the field's value, parse(raw, entry, values)
   *        → {ok, value}|{ok:false, reason}, format(v) → string, allowed(entry) → text,
   *        toChanges(value, values) → changes}
   */
  bind(el, key, opts = {}) {
    const o = { label: key.split('.').pop(), read: (v) => v[key], format: (v, e) => (e ? formatValue(e, v).replace(/,/g, ', ') : String(v)), ...opts };
    el.dataset.key = key;
    el._field = o;
    this.bound.add(el);
    const kind = el.tagName === 'SELECT' ? 'select' : el.type === 'checkbox' ? 'checkbox' : el.type === 'range' ? 'range' : 'text';
    o.kind = kind;
    const e0 = this.entry(key);
    if (kind === 'text' && e0 && (e0.type === 'number' || e0.type === 'int')) el.setAttribute('inputmode', e0.type === 'int' ? 'numeric' : 'decimal');
    const onChange = () => {
      const e = this.entry(key);
      if (!e) return;
      const values = this.lab.values();
      if (kind === 'checkbox') { this.lab.set(o.toChanges ? o.toChanges(el.checked, values) : { [key]: el.checked }); return; }
      if (kind === 'range') {
        const v = o.fromSlider(Number(el.value), e);
        this.lab.set(o.toChanges ? o.toChanges(v, values) : { [key]: v });
        this.sync();
        return;
      }
      const raw = el.value;
      let r = o.parse ? o.parse(raw, e, values) : parseValue(e, kind === 'select' ? raw : raw.trim());
      if (r.ok && e.check) { const c = e.check(r.value, values); if (c) r = { ok: false, reason: c }; }
      const current = o.read(values);
      if (!r.ok) { this.reject(el, raw, r.reason, e, current); return; }
      flag(el, null);
      this.lab.set(o.toChanges ? o.toChanges(r.value, values) : { [key]: r.value });
      el._shown = null; // show what the lab now uses (e.g. "1e-3" → "0.001")
      this.sync();
    };
    el.addEventListener(kind === 'range' ? 'input' : 'change', onChange); // text fields: Enter or leaving the field
    this.syncOne(el);
    return el;
  }
  /** The message for a rejected value: what was wrong, what is allowed, what the lab still uses. */
  reject(el, raw, reason, e, current) {
    const o = el._field;
    const allowed = o.allowed ? o.allowed(e) : describeAllowed(e, o.label);
    const typed = raw.trim() === '' ? 'empty' : `“${raw.trim().slice(0, 24)}${raw.trim().length > 24 ? '…' : ''}”`;
    flag(el, `${typed}: ${reason}. Allowed: ${allowed}. Still using ${show(current)}.`);
    el._flagged = text(current);
    el.value = o.format(current, e);
    el._shown = el.value;
  }
  /** Show the lab's value in one field; drop its flag when its key changed since it was flagged. */
  syncOne(el) {
    const o = el._field;
    if (!o) return;
    // Built before it is put into the page: sync now, prune it only once it has left the page.
    if (el.isConnected) el._seen = true;
    else if (el._seen) { this.bound.delete(el); return; }
    const e = this.entry(el.dataset.key);
    const values = this.lab.values();
    const v = e ? o.read(values) : undefined;
    if (el._flagged !== undefined && el._flagged !== text(v)) { flag(el, null); el._flagged = undefined; }
    if (v === undefined) return;
    if (o.kind === 'checkbox') { el.checked = !!v; return; }
    if (o.kind === 'range') { el.value = String(o.toSlider(v, e)); return; }
    const s = o.format(v, e);
    // A field being typed in keeps its text unless the lab's value changed meanwhile.
    if (document.activeElement === el && el._shown === s && o.kind === 'text') return;
    el.value = s;
    el._shown = s;
  }
  sync() { for (const el of [...this.bound]) this.syncOne(el); }
  /** What the e2e field sweep needs, in the page: window.__fields. */
  expose() {
    window.__fields = {
      keys: () => [...this.bound].filter((el) => el.isConnected && el.offsetParent !== null && !el.disabled).map((el) => ({ key: el.dataset.key, kind: el._field.kind, id: el.id, element: el._field.element ?? null })),
      entry: (key) => { const e = this.entry(key); return e && JSON.parse(JSON.stringify({ ...e, pattern: undefined, validate: undefined, resolve: undefined, check: undefined })); },
      value: (key) => this.lab.values()[key],
      set: (changes) => this.lab.set(changes),
    };
  }
}
