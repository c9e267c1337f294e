// The playground's labs in a course page, as JavaScript objects (types: js/mount.d.ts):
//
//   import { mount } from 'https://your.host/playground/js/mount.js';
//   const lab = await mount(document.querySelector('#lab'), { lab: 'optimizer', state: { preset: 'valley' } });
//   lab.on('finished', (e) => console.log(e.summary));
//   await lab.set({ 'o1.lr': 0.05 });  await lab.play();
//
// `mount` puts the lab into the element, sized to its content (an iframe of the lab page that it
// owns: the lab's styles, keys and workers stay inside it and cannot clash with the course site's),
// and speaks the embed protocol of js/shared/embed.js with it. `connect(iframe)` does the same for
// an iframe already in the page. Every method returns a promise of the lab's reply and rejects
// with the lab's message (an Error with `errors: [{field, message}]` for a bad `set`).

export const PROTOCOL = 1;
export const LABS = ['optimizer', 'vanishing', 'initialization', 'relu', 'dropout', 'normalization', 'batchnorm'];
const EVENTS = ['ready', 'state', 'progress', 'finished', 'resize', 'error'];

const here = new URL('..', import.meta.url);

function query(state) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state || {})) {
    if (v == null) continue;
    q.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : Array.isArray(v) ? v.join(',') : String(v));
  }
  return q;
}

/**
 * Drive an iframe that holds a lab. Resolves once the lab is ready.
 * opts: {origin: the lab's origin (default: that of the iframe's src), timeoutMs: 60000, autoHeight: true}
 */
export function connect(iframe, opts = {}) {
  const origin = opts.origin || new URL(iframe.src, location.href).origin;
  const handlers = new Map(EVENTS.map((e) => [e, new Set()]));
  const waiting = new Map();
  let ids = 0, ready = null, destroyed = false, readyWaiters = [];
  const target = () => (origin === 'null' || origin.startsWith('file:') ? '*' : origin);
  const onMessage = (ev) => {
    if (ev.source !== iframe.contentWindow) return;
    if (target() !== '*' && ev.origin !== origin) return;
    const m = ev.data;
    if (!m || m.optplay !== PROTOCOL || typeof m.type !== 'string') return;
    if (m.type === 'reply') {
      const w = waiting.get(m.re);
      if (!w) return;
      waiting.delete(m.re);
      if (m.ok) w.resolve(m);
      else w.reject(Object.assign(new Error(m.error || 'the lab refused'), { errors: m.errors || [] }));
      return;
    }
    if (m.type === 'resize' && opts.autoHeight !== false && Number.isFinite(m.height) && m.height > 0) iframe.style.height = `${Math.min(20000, Math.ceil(m.height))}px`;
    if (m.type === 'ready') { ready = m; for (const f of readyWaiters) f(m); readyWaiters = []; }
    for (const f of handlers.get(m.type) || []) { try { f(m); } catch (e) { console.error(e); } }
  };
  addEventListener('message', onMessage);
  const send = (type, extra = {}) => {
    if (destroyed) return Promise.reject(new Error('this lab was destroyed'));
    const id = ++ids;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      iframe.contentWindow.postMessage({ optplay: PROTOCOL, id, type, ...extra }, target());
    });
  };
  // An iframe whose lab already started (connect() after the lab's `ready`): its answer to `get`
  // stands for the ready event.
  const hello = () => send('get').then((r) => { if (!ready) { ready = { type: 'ready', lab: r.lab, version: r.version, state: r.state, query: r.query }; for (const f of readyWaiters) f(ready); readyWaiters = []; } }, () => {});
  const whenReady = () => (ready ? Promise.resolve(ready) : new Promise((r) => readyWaiters.push(r)));
  const api = {
    iframe,
    get lab() { return ready?.lab ?? null; },
    get: () => send('get'),
    /** Partial state (the lab's URL names); preset/lesson/embed/hide/show/theme reload the lab. */
    async set(state) {
      const r = await send('set', { state });
      if (r.reloading) { ready = null; await whenReady(); }
      return r;
    },
    play: () => send('play'),
    pause: () => send('pause'),
    reset: () => send('reset'),
    step: (n = 1) => send('step', { n }),
    /** One of the lab's exports ('png', 'csv', 'json', 'py'): resolves to {name, type, blob}. */
    export: (what) => send('export', { what }).then((r) => r.file),
    on(type, f) {
      if (!handlers.has(type)) throw new Error(`no event ${type} (one of ${EVENTS.join(', ')})`);
      handlers.get(type).add(f);
      return () => handlers.get(type).delete(f);
    },
    destroy() {
      destroyed = true;
      removeEventListener('message', onMessage);
      for (const w of waiting.values()) w.reject(new Error('this lab was destroyed'));
      waiting.clear();
      if (opts.owned) iframe.remove();
    },
  };
  // A lab starts only once it is in sight (js/shared/embed.js whenVisible), so the time limit
  // counts from the moment its iframe first shows, not from mount().
  const timeoutMs = opts.timeoutMs ?? 60000;
  return new Promise((resolve, reject) => {
    let t = null;
    const arm = () => { t ??= setTimeout(() => { api.destroy(); reject(new Error(`the lab did not start within ${timeoutMs / 1000} s of coming into view`)); }, timeoutMs); };
    const io = typeof IntersectionObserver === 'function' ? new IntersectionObserver((es) => { if (es.some((e) => e.isIntersecting)) { io.disconnect(); arm(); } }) : null;
    if (io) io.observe(iframe); else arm();
    const settle = () => { clearTimeout(t); io?.disconnect(); };
    const fail = (m) => { settle(); api.destroy(); reject(new Error(`the lab could not start: ${m.message}`)); };
    const offError = api.on('error', fail);
    hello();
    whenReady().then(() => { settle(); offError(); resolve(api); });
  });
}

/**
 * Put a lab into `element`. opts: {lab: one of LABS, state: {...} (URL names, e.g. {lesson:
 * 'valley'}), embed: true (figures and transport only), base: the playground's URL (default: next
 * to this module), title, height: first height before the lab reports its own (default 480)}.
 */
export function mount(element, opts = {}) {
  if (!(element instanceof Element)) return Promise.reject(new Error('mount: the first argument must be an element'));
  if (!LABS.includes(opts.lab)) return Promise.reject(new Error(`mount: lab must be one of ${LABS.join(', ')}`));
  const base = new URL(opts.base || here, location.href);
  const q = query({ embed: opts.embed ?? true, ...opts.state, host: location.origin === 'null' ? undefined : location.origin });
  const iframe = document.createElement('iframe');
  iframe.src = new URL(`${opts.lab}.html?${q}`, base).href;
  iframe.title = opts.title || `${opts.lab} lab`;
  iframe.loading = 'lazy';
  iframe.style.cssText = `display:block;width:100%;border:0;height:${opts.height ?? 480}px`;
  element.append(iframe);
  return connect(iframe, { ...opts, owned: true });
}
