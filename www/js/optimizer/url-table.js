// The optimizer lab's URL table: every setting of the lab, one entry each (see shared/state.js).
// Built once from the engine's metadata (names, ranges, defaults) and a `base` of flat default
// values (the global defaults with the chosen preset applied on top).
import { DATA_LANDSCAPES, isDataLandscape } from '../shared/datasets.js';
import { freshSeed, SEED_MAX } from '../shared/seeds.js';
import { HOST_ENTRY } from '../shared/state.js';
export const MAX_RACERS = 8;
/** Parts a link can hide (hide=) or, in embed mode, bring back (show=); each is a [data-panel]. */
export const HIDEABLE = ['header', 'lesson', 'transport', 'readout', 'legend', 'chart', 'controls', 'anatomy', 'notes'];
/** What embed=1 hides unless show= names it: everything but the figure, its transport and readout. */
export const EMBED_EXTRAS = ['header', 'lesson', 'legend', 'chart', 'controls', 'anatomy', 'notes'];
export const URL_CAP = 1e6;
export const EXPR_PATTERN = /^[0-9A-Za-z_+\-*/^()., ]*$/;
/** Racer settings that are not optimizer kwargs: kept when the racer's optimizer changes. */
export const RACER_EXTRA = /^o\d\.(batch_size|seed|sched(\..+)?)$/;
export { SEED_MAX };
export const BASIN_RES = [64, 128, 256];

/** Global defaults (flat URL keys). Presets override some of them. */
export const DEFAULTS = {
  f: 'himmelblau',
  o1: 'sgd', 'o1.lr': 0.01,
  o2: 'sgd', 'o2.lr': 0.005, 'o2.momentum': 0.9,
  o3: 'adam', 'o3.lr': 0.1,
  o4: 'none', o5: 'none', o6: 'none', o7: 'none', o8: 'none',
  sched: 'constant',
  steps: 300, speed: 30, at: 0,
  scale: 'auto', cmap: 'viridis', levels: 16,
  chart: 'log', sel: 1, vec: true, model: true,
  basins: false, bres: 128, equal: false,
  embed: false, hide: [], theme: 'auto',
};

function paramEntry(p, def) {
  if (p.kind === 'bool') return { type: 'bool', default: def ?? p.default };
  if (p.kind === 'pair') return { type: 'numlist', count: 2, min: p.min ?? 0, max: p.max ?? 1, maxOpen: !!p.max_open, default: (def ?? p.default).slice() };
  const integer = !!p.integer; // the engine's metadata says which parameters are whole numbers
  // Unbounded engine parameters are still capped in links (no lr=1e308 from a URL).
  return {
    type: integer ? 'int' : 'number', min: p.min ?? -URL_CAP, max: p.max ?? URL_CAP,
    minOpen: !!p.min_open, maxOpen: !!p.max_open, default: def ?? p.default,
  };
}

/**
 * @param {object} meta {landscapes, optimizers, schedulers}
 * @param {string[]} presetIds
 * @param {object} base flat defaults (DEFAULTS with a preset merged in)
 * @param {(src:string)=>null|{message,position}} checkExpression
 */
export function buildTable(meta, presetIds, base, checkExpression) {
  const L = Object.fromEntries(meta.landscapes.map((l) => [l.name, l]));
  const O = Object.fromEntries(meta.optimizers.map((o) => [o.name, o]));
  const S = Object.fromEntries(meta.schedulers.map((s) => [s.name, s]));
  const landNames = [...meta.landscapes.map((l) => l.name), 'custom'];
  const fDefault = landNames.includes(base.f) ? base.f : meta.landscapes[0].name;
  const land = (v) => L[v.f] || null;
  const domain = (v) => (land(v)?.domain || [-3, 3, -3, 3]).slice();
  const t = [];
  t.push({ key: 'lesson', type: 'enum', values: ['', ...presetIds], default: '', doc: 'a preset with locked controls' });
  t.push({ key: 'preset', type: 'enum', values: ['', ...presetIds], default: '', doc: 'a preset (the other settings override it)' });
  t.push({ key: 'f', type: 'enum', values: landNames, default: fDefault, doc: 'landscape' });
  t.push({
    key: 'expr', type: 'string', maxLength: 200, pattern: EXPR_PATTERN, default: base.expr ?? 'sin(x)*cos(y) + 0.1*(x^2 + y^2)',
    validate: (s) => { const e = checkExpression(s); return e ? `invalid expression (${e.message})` : null; },
    resolve: (v) => (v.f === 'custom' ? {} : null), doc: 'custom landscape f(x, y)',
  });
  const lpNames = [...new Set(meta.landscapes.flatMap((l) => l.params.map((p) => p.name)))];
  for (const name of lpNames) {
    t.push({
      key: `lp.${name}`, type: 'number', default: 0,
      resolve: (v) => {
        const p = land(v)?.params.find((q) => q.name === name);
        if (!p) return null;
        return { min: p.min, max: p.max, default: base.f === v.f && base[`lp.${name}`] !== undefined ? base[`lp.${name}`] : p.default };
      },
    });
  }
  const startDefault = (v, k) => {
    if (base.f === v.f && base[k] !== undefined) return base[k];
    const s = land(v)?.starts?.[0];
    if (s) return s[k === 'x0' ? 0 : 1];
    const d = domain(v);
    return k === 'x0' ? (d[0] + d[1]) / 2 + (d[1] - d[0]) / 4 : (d[2] + d[3]) / 2 + (d[3] - d[2]) / 4;
  };
  for (const k of ['x0', 'y0']) t.push({ key: k, type: 'number', min: -1e4, max: 1e4, default: 0, resolve: (v) => ({ default: startDefault(v, k) }), doc: 'start point' });
  t.push({
    key: 'view', type: 'numlist', count: 4, min: -1e5, max: 1e5, default: [-3, 3, -3, 3],
    resolve: (v) => ({ default: base.f === v.f && base.view ? base.view.slice() : domain(v) }),
    check: (a) => (a[1] - a[0] > 1e-9 && a[3] - a[2] > 1e-9 ? null : 'needs xmin < xmax and ymin < ymax'),
    doc: 'visible region xmin,xmax,ymin,ymax',
  });
  const optNames = [...meta.optimizers.map((o) => o.name), 'none'];
  const allOptParams = [...new Set(meta.optimizers.flatMap((o) => o.params.map((p) => p.name)))];
  for (let i = 1; i <= MAX_RACERS; i++) {
    const ok = `o${i}`;
    t.push({ key: ok, type: 'enum', values: optNames, default: optNames.includes(base[ok]) ? base[ok] : 'none', doc: `racer ${i} optimizer` });
    for (const name of allOptParams) {
      const key = `${ok}.${name}`;
      t.push({
        key, type: 'number', default: 0,
        resolve: (v) => {
          const p = O[v[ok]]?.params.find((q) => q.name === name);
          if (!p) return null;
          return paramEntry(p, base[ok] === v[ok] ? base[key] : undefined);
        },
      });
    }
  }
  const schedParams = [...new Set(meta.schedulers.flatMap((s) => s.params.map((p) => p.name)))];
  for (let i = 1; i <= MAX_RACERS; i++) {
    // Per-racer data and schedule settings (not torch.optim kwargs): the mini-batch size and the
    // seed of its sampler (data landscapes only; the full data set = full-batch GD), and a
    // schedule that overrides the shared one.
    const ok = `o${i}`, on = (v) => v[ok] && v[ok] !== 'none';
    t.push({
      key: `${ok}.batch_size`, type: 'int', min: 1, max: 1, default: 1,
      resolve: (v) => {
        const d = on(v) && isDataLandscape(v.f) ? DATA_LANDSCAPES[v.f] : null;
        return d ? { max: d.n, default: Math.min(d.n, base[`${ok}.batch_size`] ?? d.n) } : null;
      },
      doc: `racer ${i} mini-batch size (DataLoader batch_size; the data set size = full batch)`,
    });
    t.push({
      key: `${ok}.seed`, type: 'int', min: 0, max: SEED_MAX, random: freshSeed, default: 0,
      resolve: (v) => (on(v) && isDataLandscape(v.f) ? { default: base[`${ok}.seed`] ?? 0 } : null),
      doc: `racer ${i} seed of the mini-batch sampler`,
    });
    t.push({
      key: `${ok}.sched`, type: 'enum', values: ['shared', ...meta.schedulers.map((s) => s.name)], default: 'shared',
      resolve: (v) => (on(v) ? { default: base[`${ok}.sched`] ?? 'shared' } : null),
      doc: `racer ${i} learning-rate schedule (shared = the lab's)`,
    });
    for (const name of schedParams) {
      const key = `${ok}.sched.${name}`;
      t.push({
        key, type: 'number', default: 0,
        resolve: (v) => {
          const p = on(v) ? S[v[`${ok}.sched`]]?.params.find((q) => q.name === name) : null;
          return p ? paramEntry(p, base[`${ok}.sched`] === v[`${ok}.sched`] ? base[key] : undefined) : null;
        },
      });
    }
  }
  t.push({ key: 'sched', type: 'enum', values: meta.schedulers.map((s) => s.name), default: S[base.sched] ? base.sched : meta.schedulers[0].name, doc: 'learning-rate schedule' });
  for (const name of schedParams) {
    const key = `sched.${name}`;
    t.push({
      key, type: 'number', default: 0,
      resolve: (v) => {
        const p = S[v.sched]?.params.find((q) => q.name === name);
        return p ? paramEntry(p, base.sched === v.sched ? base[key] : undefined) : null;
      },
    });
  }
  t.push({ key: 'steps', type: 'int', min: 1, max: 20000, default: base.steps, doc: 'number of steps' });
  t.push({ key: 'speed', type: 'number', min: 0.5, max: 2000, default: base.speed, doc: 'steps per second' });
  t.push({ key: 'at', type: 'int', min: 0, max: 20000, default: base.at, doc: 'run this many steps at load' });
  t.push({ key: 'scale', type: 'enum', values: ['auto', 'linear', 'log'], default: base.scale });
  t.push({ key: 'cmap', type: 'enum', values: ['viridis', 'cividis', 'magma'], default: base.cmap });
  t.push({ key: 'levels', type: 'int', min: 0, max: 64, default: base.levels });
  t.push({ key: 'chart', type: 'enum', values: ['linear', 'log'], default: base.chart });
  t.push({ key: 'sel', type: 'int', min: 1, max: MAX_RACERS, default: base.sel, doc: 'racer shown in the update anatomy' });
  t.push({ key: 'vec', type: 'bool', default: base.vec, doc: 'draw gradient/velocity/step vectors' });
  t.push({ key: 'model', type: 'bool', default: base.model, doc: "draw Newton's local quadratic model" });
  t.push({ key: 'basins', type: 'bool', default: base.basins, doc: 'basin-of-attraction map of the selected racer' });
  t.push({ key: 'bres', type: 'int', min: BASIN_RES[0], max: BASIN_RES[BASIN_RES.length - 1], default: base.bres, check: (v) => (BASIN_RES.includes(v) ? null : `one of ${BASIN_RES.join(', ')}`), doc: 'basin map cells across' });
  t.push({ key: 'equal', type: 'bool', default: base.equal, doc: 'equal scales on both axes' });
  t.push({ key: 'embed', type: 'bool', default: base.embed, doc: 'embedded in a course page: the figure and its transport only' });
  t.push({ key: 'hide', type: 'set', lenient: true, values: HIDEABLE, default: base.hide.slice(), doc: 'parts to remove' });
  t.push({ key: 'show', type: 'set', lenient: true, values: HIDEABLE, default: (base.show || []).slice(), doc: 'with embed=1: parts to bring back' });
  t.push({ key: 'theme', type: 'enum', values: ['auto', 'light', 'dark'], default: base.theme });
  t.push(HOST_ENTRY);
  return t;
}

/** Racers (1-based index kept) from flat values. */
export function racersFrom(values, meta) {
  const out = [];
  for (let i = 1; i <= MAX_RACERS; i++) {
    const name = values[`o${i}`];
    if (!name || name === 'none') continue;
    const m = meta.optimizers.find((o) => o.name === name);
    if (!m) continue;
    const params = {};
    for (const p of m.params) params[p.name] = values[`o${i}.${p.name}`] ?? p.default;
    const r = { index: i, name, params, meta: m, batch_size: values[`o${i}.batch_size`], seed: values[`o${i}.seed`] };
    const sn = values[`o${i}.sched`];
    if (sn && sn !== 'shared') {
      r.sched = schedulerSpec(values, meta, `o${i}.sched`);
      r.schedMeta = meta.schedulers.find((q) => q.name === sn);
    }
    out.push(r);
  }
  return out;
}

export function landscapeSpec(values, meta) {
  if (values.f === 'custom') return { expression: values.expr };
  const l = meta.landscapes.find((q) => q.name === values.f);
  if (!l || !l.params.length) return values.f;
  const spec = { name: values.f };
  for (const p of l.params) spec[p.name] = values[`lp.${p.name}`] ?? p.default;
  return spec;
}

/** The shared schedule (key 'sched'), or a racer's own (key 'o3.sched'); null = constant lr. */
export function schedulerSpec(values, meta, key = 'sched') {
  const s = meta.schedulers.find((q) => q.name === values[key]);
  if (!s || s.name === 'constant') return null;
  const spec = { name: s.name };
  for (const p of s.params) spec[p.name] = values[`${key}.${p.name}`] ?? p.default;
  return spec;
}

/** The engine spec of one racer: the lab's landscape, start, steps; its optimizer, schedule, batches. */
export function racerSpec(values, meta, r) {
  const spec = {
    landscape: landscapeSpec(values, meta), start: [values.x0, values.y0],
    optimizer: { name: r.name, ...r.params },
    scheduler: r.sched !== undefined ? r.sched : schedulerSpec(values, meta), steps: values.steps,
  };
  const d = isDataLandscape(values.f) ? DATA_LANDSCAPES[values.f] : null;
  // B = n is full-batch GD: the spec then carries no batch (exports stay minimal and exact).
  if (d && r.batch_size != null && r.batch_size < d.n) { spec.batch_size = r.batch_size; spec.seed = r.seed ?? 0; }
  return spec;
}

/** A readable label: SGD with momentum is "Momentum", with nesterov "NAG" (the lecture's names). */
export function racerLabel(r, landscape = '') {
  let s;
  if (r.name === 'newton') s = `Newton η=${r.params.eta}`;
  else if (r.name === 'sgd') s = r.params.nesterov ? 'NAG' : r.params.momentum > 0 ? 'Momentum' : 'SGD';
  else s = r.meta?.label || r.name;
  const d = isDataLandscape(landscape) ? DATA_LANDSCAPES[landscape] : null;
  if (d && r.batch_size != null) s += r.batch_size < d.n ? ` B=${r.batch_size}` : ' full batch';
  if (r.schedMeta) s += ` · ${r.schedMeta.short}`; // the racer's own schedule
  return s;
}
