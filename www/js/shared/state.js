// URL state from ONE declarative table (in the spirit of tensorflow/playground's `state.ts`).
//
// A table is an ordered array of entries. Each entry names one URL key and says what it may hold:
//   { key, type, default, ...constraints, doc }
// types and their constraints:
//   'number'  min, max, minOpen, maxOpen   finite decimal numbers only ("1e-3" ok; "NaN", "0x10", "Infinity" not)
//   'int'     min, max            integers in range
//   'bool'                        "1"/"0"/"true"/"false"
//   'enum'    values: [...]       one of the listed strings, exactly
//   'set'     values: [...]       comma-separated subset of values (order kept, duplicates dropped);
//             with `lenient`, unknown items are dropped (console warning) and the rest kept
//   'numlist' count, min, max     exactly `count` comma-separated numbers
//   'string'  maxLength, pattern  free text (e.g. an expression); optional validate(v) -> null | reason
// Optional on any entry:
//   resolve(values) -> null | partial entry   evaluated in table order with the values read so far;
//       null means "does not apply now" (e.g. `o2.momentum` when racer 2 is Adam), a partial entry
//       overrides type/default/range (e.g. the range of a hyperparameter from engine metadata).
//   check(value, values) -> null | reason      cross-field validation (e.g. xmin < xmax).
//
// The same table drives readState (URL -> values, with notices for everything rejected) and
// writeState (values -> URL, omitting defaults). Nothing read from the URL is ever put into the
// DOM as HTML: notices are rendered with textContent only.

/** `host=`: the one origin allowed to drive an embedded lab through postMessage (js/shared/embed.js). */
export const HOST_ENTRY = {
  key: 'host', type: 'string', maxLength: 200, default: '',
  validate: (v) => (v === '' || /^(https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?|null)$/.test(v) ? null : 'not an origin such as https://course.example.org'),
  allowed: 'an origin such as https://course.example.org (scheme, host and port, no path)',
  doc: 'the origin of the course page allowed to drive this lab (embed API); empty: the embedding page, whatever its origin',
};

/**
 * The page's URL settings: the query, or — where it is empty — the hash (`lab.html#lesson=valley`:
 * what survives a file manager or an LMS that drops queries of local files), moved into the query
 * so that one place holds them from then on.
 */
export function pageParams() {
  if (location.search.length > 1 || !location.hash.includes('=')) return new URLSearchParams(location.search);
  const q = new URLSearchParams(location.hash.slice(1));
  try { history.replaceState(history.state, '', `?${q}`); } catch { /* an opaque URL: the hash keeps it */ }
  return q;
}

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$/;
const MAX_RAW_LENGTH = 400;      // longer values are rejected outright
const MAX_KEYS = 200;            // a URL with more keys than this is truncated (with a notice)

/** Resolve the effective entry (or null when it does not apply) given the values read so far. */
export function effectiveEntry(entry, values) {
  if (!entry.resolve) return entry;
  const over = entry.resolve(values);
  if (over == null) return null;
  return { ...entry, ...over };
}

function parseNumber(raw) {
  const s = raw.trim();
  if (s.length > 40 || !NUMBER_RE.test(s)) return { ok: false, reason: 'not a number' };
  const v = Number(s);
  if (!Number.isFinite(v)) return { ok: false, reason: 'not a finite number' };
  return { ok: true, value: v };
}

/** A bound for messages: 1e6 rather than 1000000. */
export function bound(v) { return Math.abs(v) >= 1e5 ? v.toExponential().replace('e+', 'e') : String(v); }

function inRange(e, v) {
  if (e.min != null && (v < e.min || (e.minOpen && v === e.min))) return `${e.minOpen ? 'must be above' : 'below the minimum'} ${bound(e.min)}`;
  if (e.max != null && (v > e.max || (e.maxOpen && v === e.max))) return `${e.maxOpen ? 'must be below' : 'above the maximum'} ${bound(e.max)}`;
  return null;
}

/** What an entry accepts, in words: "0 < lr ≤ 1e6", "a whole number from 1 to 20000", "one of …". */
export function describeAllowed(e, name = e.key) {
  const span = () => {
    const lo = e.min != null ? `${bound(e.min)} ${e.minOpen ? '<' : '≤'} ` : '';
    const hi = e.max != null ? ` ${e.maxOpen ? '<' : '≤'} ${bound(e.max)}` : '';
    return `${lo}${name}${hi}`;
  };
  switch (e.type) {
    case 'int': return `a whole number from ${bound(e.min)} to ${bound(e.max)}${e.random ? ', or random' : ''}`;
    case 'number': return span();
    case 'numlist': return `${e.count} numbers separated by commas, each ${e.min != null ? `from ${bound(e.min)} ` : ''}${e.max != null ? `to ${bound(e.max)}` : ''}`.trim();
    case 'bool': return 'on or off';
    case 'enum': return `one of ${e.values.filter((v) => v !== '').join(', ')}`;
    case 'set': return `a comma-separated list of ${e.values.join(', ')}`;
    case 'string': return e.allowed || `text of at most ${e.maxLength ?? MAX_RAW_LENGTH} characters`;
    default: return '';
  }
}

/** Parse one raw URL string for an (effective) entry. Returns {ok, value} or {ok:false, reason}. */
export function parseValue(e, raw) {
  if (typeof raw !== 'string') return { ok: false, reason: 'missing' };
  if (raw.length > MAX_RAW_LENGTH) return { ok: false, reason: 'too long' };
  switch (e.type) {
    case 'number':
    case 'int': {
      // `random` on a seed entry (one with a `random(max)` source): a fresh draw, marked so the
      // caller writes the drawn number into the URL.
      if (e.random && raw.trim() === 'random') {
        try { return { ok: true, value: e.random(e.max), drawn: true }; } catch (err) { return { ok: false, reason: `no random seed: ${err.message}` }; }
      }
      const r = parseNumber(raw);
      if (!r.ok) return r;
      if (e.type === 'int' && !Number.isInteger(r.value)) return { ok: false, reason: 'not a whole number' };
      const bad = inRange(e, r.value);
      return bad ? { ok: false, reason: bad } : r;
    }
    case 'bool':
      if (raw === '1' || raw === 'true') return { ok: true, value: true };
      if (raw === '0' || raw === 'false') return { ok: true, value: false };
      return { ok: false, reason: 'not 0/1' };
    case 'enum':
      if (e.values.includes(raw)) return { ok: true, value: raw };
      return { ok: false, reason: 'not one of the allowed values' };
    case 'set': {
      if (raw === '') return { ok: true, value: [] };
      const parts = raw.split(',');
      const out = [];
      const dropped = [];
      for (const p of parts) {
        if (!e.values.includes(p)) { if (e.lenient) { dropped.push(p); continue; } return { ok: false, reason: 'contains an unknown item' }; }
        if (!out.includes(p)) out.push(p);
      }
      return dropped.length ? { ok: true, value: out, dropped } : { ok: true, value: out };
    }
    case 'numlist': {
      const parts = raw.split(',');
      if (parts.length !== e.count) return { ok: false, reason: `needs ${e.count} numbers` };
      const out = [];
      for (const p of parts) {
        const r = parseNumber(p);
        if (!r.ok) return r;
        const bad = inRange(e, r.value);
        if (bad) return { ok: false, reason: bad };
        out.push(r.value);
      }
      return { ok: true, value: out };
    }
    case 'string': {
      if (e.maxLength !== undefined && raw.length > e.maxLength) return { ok: false, reason: 'too long' };
      if (e.pattern && !e.pattern.test(raw)) return { ok: false, reason: 'contains characters that are not allowed' };
      const bad = e.validate ? e.validate(raw) : null;
      return bad ? { ok: false, reason: bad } : { ok: true, value: raw };
    }
    default:
      throw new Error(`state table: unknown type ${e.type} for ${e.key}`);
  }
}

/** Format a value for the URL (shortest round-tripping decimal for numbers). */
export function formatValue(e, v) {
  switch (e.type) {
    case 'number': case 'int': return String(v);
    case 'bool': return v ? '1' : '0';
    case 'set': case 'numlist': return v.map(String).join(',');
    default: return String(v);
  }
}

export function sameValue(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => Object.is(x, b[i]) || x === b[i]);
  }
  return Object.is(a, b) || a === b;
}

/** A short, safe preview of hostile text for a notice (never rendered as HTML anyway). */
export function preview(s) {
  const t = String(s).replace(/[\u0000-\u001f\u007f]/g, '?');
  return t.length > 40 ? t.slice(0, 37) + '…' : t;
}

/**
 * Read the URL into values. `search` is a location.search string or URLSearchParams.
 * Returns { values, notices: [{key, value, reason}] }. Every entry gets a value (its default when
 * absent or rejected); keys that do not apply right now get `undefined`.
 */
export function readState(table, search) {
  const params = search instanceof URLSearchParams ? search : new URLSearchParams(search || '');
  const raw = new Map();
  const notices = [];
  let n = 0;
  for (const [k, v] of params) {
    if (++n > MAX_KEYS) { notices.push({ key: '…', value: '', reason: 'too many settings; the rest were ignored' }); break; }
    if (raw.has(k)) { notices.push({ key: preview(k), value: preview(v), reason: 'repeated; the first one was used' }); continue; }
    raw.set(k, v);
  }
  const values = {};
  const known = new Set();
  const drawn = [];
  for (const entry of table) {
    known.add(entry.key);
    const e = effectiveEntry(entry, values);
    const has = raw.has(entry.key);
    if (!e) {
      values[entry.key] = undefined;
      if (has) notices.push({ key: entry.key, value: preview(raw.get(entry.key)), reason: 'does not apply to the current setting; ignored' });
      continue;
    }
    let value = cloneDefault(e.default);
    if (has) {
      const r = parseValue(e, raw.get(entry.key));
      let reason = r.ok ? null : r.reason;
      if (r.ok && e.check) reason = e.check(r.value, values);
      if (reason) notices.push({ key: entry.key, value: preview(raw.get(entry.key)), reason: `${reason}; using the default` });
      else value = r.value;
      if (!reason && r.drawn) drawn.push(entry.key);
      // A course page's link with an item this lab does not have (e.g. hide=chart): a warning in
      // the console, never a notice inside the page.
      if (r.dropped && typeof console !== 'undefined') console.warn(`${entry.key}: ignored unknown item${r.dropped.length > 1 ? 's' : ''} ${r.dropped.map(preview).join(', ')} (this lab has: ${entry.values.join(', ')})`);
    }
    values[entry.key] = value;
  }
  for (const k of raw.keys()) {
    if (!known.has(k)) notices.push({ key: preview(k), value: preview(raw.get(k)), reason: 'unknown setting; ignored' });
  }
  return { values, notices, drawn };
}

function cloneDefault(d) { return Array.isArray(d) ? d.slice() : d; }

/** Write values to a query string (no leading '?'), omitting defaults and non-applicable keys. */
export function writeState(table, values) {
  const params = new URLSearchParams();
  const seen = {};
  for (const entry of table) {
    const e = effectiveEntry(entry, seen);
    if (!e) { seen[entry.key] = undefined; continue; }
    let v = values[entry.key];
    if (v === undefined || v === null) v = cloneDefault(e.default);
    seen[entry.key] = v;
    if (v === undefined || v === null || sameValue(v, e.default)) continue;
    if (!parseValue(e, formatValue(e, v)).ok) continue; // never write what we would refuse to read
    params.set(entry.key, formatValue(e, v));
  }
  return params.toString();
}

/** Render notices into a container element (textContent only). Hides it when there are none. */
export function showNotices(el, notices, title = 'Some settings in the link were not valid and were replaced by defaults:') {
  el.replaceChildren();
  if (!notices.length) { el.hidden = true; return; }
  el.hidden = false;
  const p = document.createElement('p');
  p.textContent = title;
  const ul = document.createElement('ul');
  for (const n of notices) {
    const li = document.createElement('li');
    const code = document.createElement('code');
    code.textContent = n.value === '' ? n.key : `${n.key}=${n.value}`;
    li.append(code, document.createTextNode(` — ${n.reason}`));
    ul.append(li);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'notice-close';
  close.textContent = 'Dismiss';
  close.setAttribute('aria-label', 'Dismiss the notice about invalid link settings');
  close.addEventListener('click', () => { el.hidden = true; });
  el.append(p, ul, close);
}
