// A lab seen from outside: its controls as one object (set / get / play / pause / step / reset /
// export), driven by a course page through postMessage (the protocol below), by an LMS (SCORM 1.2:
// js/shared/scorm.js) and by the lifecycle of an embedded lab (it starts when first seen, holds its
// training while scrolled out of sight or in a hidden tab, and goes on where it was).
//
// Protocol v1 — every message is an object {optplay: 1, type, ...}. The lab talks only to the
// window that embedded it (window.parent); with `host=<origin>` in its URL it accepts messages
// from that origin only and sends to it only (a host page should pass its own origin).
//   host → lab (`id` is echoed in the reply {optplay: 1, type: 'reply', re: id, ok, ...}):
//     get                     → {lab, version, state, query, playing, suspended, progress}
//     set {state: {key: v}}   → the URL table's names and rules (numbers, strings, booleans, lists);
//                               all or nothing: a bad field → {ok: false, error, errors: [{field,
//                               message}]} and nothing changes. preset / lesson / embed / hide /
//                               show / theme / host reload the lab with the new URL (a new `ready`).
//     play, pause, reset, step {n}  (n from 1 to 1000: the lab's → key n times)
//     export {what}           → {file: {name, type, blob}}; `what` is one of the lab's export
//                               buttons (png, csv, json, py; batchnorm also py-plain)
//   lab → host (events): ready {lab, version, state, query}, state {state, query} (after every
//     change), progress {step, fraction, counter, metrics} (while training, ≤ 4 a second),
//     finished {summary}, resize {height} (the height that shows the whole lab), error {message}.
import { readState, writeState, effectiveEntry, describeAllowed } from './state.js';
import { captureDownload, naturalHeight } from './shell.js';
import { scormSession } from './scorm.js';
import { bindEmbedDialog } from './embed-dialog.js';

export const PROTOCOL = 1;
const NAV_KEYS = new Set(['preset', 'lesson', 'embed', 'hide', 'show', 'theme', 'host']);
const framed = () => { try { return window.parent !== window; } catch { return true; } };

/** A host value as the URL would hold it (null when it is no such value). */
function rawOf(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.map(String).join(',');
  return null;
}

function entryFor(table, key, values) {
  const at = table.findIndex((e) => e.key === key);
  if (at < 0) return null;
  const seen = {};
  for (let i = 0; i < at; i++) seen[table[i].key] = values[table[i].key];
  return effectiveEntry(table[at], seen);
}

/**
 * Check a host's partial state against the lab's URL table, as a link is checked: returns
 * {changes} (parsed values of the keys given; null = back to the default) or {errors: [{field,
 * message}]}. Pure (no page), so the JS unit tests run it.
 */
export function checkState(table, values, input) {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { errors: [{ field: '', message: 'state must be an object of settings, e.g. {"lr": 0.1}' }] };
  const keys = Object.keys(input);
  if (keys.length > 200) return { errors: [{ field: '', message: 'more than 200 settings' }] };
  const known = new Set(table.map((e) => e.key));
  const params = new URLSearchParams(writeState(table, values));
  const errors = [];
  for (const k of keys) {
    if (!known.has(k)) { errors.push({ field: k, message: `${k}: unknown setting (this lab has: ${[...known].join(', ')})` }); continue; }
    if (input[k] === null) { params.delete(k); continue; }
    const raw = rawOf(input[k]);
    if (raw == null) { errors.push({ field: k, message: `${k}: not a number, text, boolean or list` }); continue; }
    params.set(k, raw);
  }
  if (errors.length) return { errors };
  const { values: next, notices } = readState(table, params);
  for (const n of notices) {
    if (!keys.includes(n.key)) continue;
    const e = entryFor(table, n.key, next);
    const reason = n.reason.replace(/; using the default$/, '');
    errors.push({ field: n.key, message: `${n.key}: “${n.value}” ${reason}${e ? `. Allowed: ${describeAllowed(e)}` : ''}` });
  }
  if (errors.length) return { errors };
  return { changes: Object.fromEntries(keys.map((k) => [k, next[k]])), query: writeState(table, next) };
}

const plain = (v) => JSON.parse(JSON.stringify(v ?? null));

/**
 * Make a lab drivable from outside. `impl`:
 *   lab            its name ('dropout')
 *   table(), values(), set(changes)   the URL table, the values the lab uses, the lab's own set
 *   play(), pause(), playing(), step(), reset()   its transport (step: the → key)
 *   progress()     {step, metrics} now;  done(): whether the run is at its end;  summary()
 *   extras         the parts embed=1 hides (the Embed dialog starts from them)
 *   suspend(on)    optional: hold the training without ending it (a sweep in the worker pool);
 *                  without it the lifecycle pauses and plays again
 * Returns the controls as an object (what `window.__labApi` and the tests use).
 */
export function exposeLab(impl) {
  const $ = (id) => document.getElementById(id);
  const query = () => writeState(impl.table(), impl.values());
  const fraction = () => { const p = $('progress'); return p ? Number(p.value) || 0 : null; };
  const progress = () => ({ ...plain(impl.progress?.() ?? {}), fraction: fraction(), counter: $('counter')?.textContent ?? '' });
  const done = () => (impl.done ? impl.done() : fraction() >= 1);
  const life = { suspended: false, auto: false };
  const listeners = new Set();
  const emit = (type, data) => { for (const f of listeners) f(type, data); };

  const api = {
    lab: impl.lab,
    version: PROTOCOL,
    get: () => ({ lab: impl.lab, version: PROTOCOL, state: plain(impl.values()), query: query(), playing: !!impl.playing(), suspended: life.suspended || life.auto, progress: progress() }),
    set(input) {
      const r = checkState(impl.table(), impl.values(), input);
      if (r.errors) return { ok: false, error: r.errors.map((e) => e.message).join('; '), errors: r.errors };
      if (Object.keys(r.changes).some((k) => NAV_KEYS.has(k))) {
        // The page's structure (lesson lock, hidden parts, theme, host): the lab starts again on its new URL.
        setTimeout(() => location.replace(`${location.pathname}${r.query ? `?${r.query}` : ''}${location.hash}`), 0);
        return { ok: true, reloading: true };
      }
      impl.set(r.changes);
      tick();
      return { ok: true, state: plain(impl.values()), query: query() };
    },
    play() { if (!impl.playing()) impl.play(); return { ok: true }; },
    pause() { life.auto = false; if (impl.playing()) impl.pause(); return { ok: true }; },
    reset() { impl.reset(); return { ok: true }; },
    async step(n = 1) {
      if (!Number.isInteger(n) || n < 1 || n > 1000) return { ok: false, error: 'n: a whole number from 1 to 1000' };
      for (let i = 0; i < n; i++) await impl.step();
      return { ok: true, progress: progress() };
    },
    exports: () => [...document.querySelectorAll('button[id^="exp-"]')].map((b) => b.id.slice(4)),
    async export(what) {
      const b = typeof what === 'string' && /^[a-z-]{1,20}$/.test(what) ? $(`exp-${what}`) : null;
      if (!b) return { ok: false, error: `what: one of ${api.exports().join(', ')}` };
      try { return { ok: true, file: await captureDownload(() => b.click()) }; } catch (e) { return { ok: false, error: `${what}: ${e.message}` }; }
    },
    on(f) { listeners.add(f); return () => listeners.delete(f); },
  };

  // ---- changes, progress, the end, the height: watched 4 times a second (cheap: a query
  // string, two numbers and a few rectangles) ----
  let lastQuery = query(), lastStep = null, wasPlaying = !!impl.playing(), lastHeight = 0, lastProgressAt = 0;
  function tick() {
    const q = query();
    if (q !== lastQuery) { lastQuery = q; emit('state', { state: plain(impl.values()), query: q }); }
    const playing = !!impl.playing();
    const now = performance.now();
    if (playing && !life.suspended && now - lastProgressAt >= 240) {
      const p = progress();
      const key = JSON.stringify([p.step, p.counter]);
      if (key !== lastStep) { lastStep = key; lastProgressAt = now; emit('progress', p); }
    }
    if (wasPlaying && !playing) {
      emit('progress', progress());
      if (done()) emit('finished', { summary: plain(impl.summary?.() ?? {}), state: plain(impl.values()), query: q });
    }
    wasPlaying = playing;
    const h = naturalHeight();
    if (Math.abs(h - lastHeight) >= 1) { lastHeight = h; emit('resize', { height: h }); }
  }
  setInterval(tick, 250);
  if (typeof ResizeObserver === 'function') new ResizeObserver(() => tick()).observe(document.body);

  // ---- the lifecycle of an embedded lab ----
  if (framed()) {
    const away = () => document.hidden || !life.inView;
    const update = () => {
      if (away() && impl.playing() && !life.suspended) {
        if (impl.suspend) { life.suspended = true; impl.suspend(true); } else { life.auto = true; impl.pause(); }
      } else if (!away()) {
        if (life.suspended) { life.suspended = false; impl.suspend(false); }
        if (life.auto) { life.auto = false; impl.play(); }
      }
    };
    life.inView = true;
    new IntersectionObserver((es) => { life.inView = es.at(-1).isIntersecting; update(); }).observe(document.documentElement);
    document.addEventListener('visibilitychange', update);
  }

  hostChannel(api, impl);
  scormSession(api, impl);
  bindEmbedDialog(api, impl.extras || []);
  window.__labApi = api;
  return api;
}

/** The postMessage side of `api` (see the protocol at the top). */
function hostChannel(api, impl) {
  if (!framed()) return;
  const host = impl.values().host || '';
  let pinned = host || null;
  const target = () => (pinned && pinned !== 'null' ? pinned : '*');
  const post = (m) => { try { window.parent.postMessage({ optplay: PROTOCOL, ...m }, target()); } catch { /* the host went away */ } };
  api.on((type, data) => post({ type, ...data }));
  addEventListener('message', async (ev) => {
    if (ev.source !== window.parent) return;
    const m = ev.data;
    if (!m || typeof m !== 'object' || m.optplay == null) return;
    if (host && ev.origin !== host) { console.warn(`optplay: ignored a message from ${ev.origin} (this lab answers ${host} only)`); return; }
    pinned ??= ev.origin;
    const reply = (r) => post({ type: 'reply', re: m.id ?? null, ...r });
    if (m.optplay !== PROTOCOL) { reply({ ok: false, error: `protocol version ${String(m.optplay).slice(0, 10)} is not supported (this lab speaks ${PROTOCOL})` }); return; }
    try {
      switch (m.type) {
        case 'get': reply({ ok: true, ...api.get() }); break;
        case 'set': reply(api.set(m.state)); break;
        case 'play': reply(api.play()); break;
        case 'pause': reply(api.pause()); break;
        case 'reset': reply(api.reset()); break;
        case 'step': reply(await api.step(m.n ?? 1)); break;
        case 'export': reply(await api.export(m.what)); break;
        default: reply({ ok: false, error: `unknown message type ${JSON.stringify(String(m.type).slice(0, 20))} (one of get, set, play, pause, reset, step, export)` });
      }
    } catch (e) {
      reply({ ok: false, error: e?.message || String(e) });
    }
  });
  addEventListener('error', (e) => post({ type: 'error', message: e.message || 'error' }));
  post({ type: 'ready', lab: api.lab, version: PROTOCOL, state: plain(impl.values()), query: writeState(impl.table(), impl.values()) });
}

/**
 * An embedded lab (in an iframe) begins its work — loading the engine, starting workers — only
 * once it is in sight; a top-level page starts at once.
 */
export function whenVisible() {
  if (!framed() || typeof IntersectionObserver !== 'function') return Promise.resolve();
  return new Promise((resolve) => {
    const io = new IntersectionObserver((es) => { if (es.some((e) => e.isIntersecting) && !document.hidden) { io.disconnect(); resolve(); } });
    io.observe(document.documentElement);
    document.addEventListener('visibilitychange', () => { if (!document.hidden) { io.disconnect(); io.observe(document.documentElement); } });
  });
}

/** A lab that failed to start tells its host (and the error stays on the page). */
export function reportFatal(message) {
  if (!framed()) return;
  try { window.parent.postMessage({ optplay: PROTOCOL, type: 'error', message }, '*'); } catch { /* no host */ }
}
