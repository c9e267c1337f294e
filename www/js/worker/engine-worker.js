// The engine in a Web Worker: each worker of the pool (shared/pool.js) holds its own engine
// instance (the page compiles the wasm once and hands every worker the compiled module) and runs
// the heavy work there — training loops, evaluation, inspection, basin maps, sweeps — so the page's
// main thread only draws. Long work runs in slices of ~10 ms with a yield in between, so a
// "pause" or "cancel" message is handled within one slice. Results go back as copies of the
// engine's buffers (transferred, never the whole wasm memory), incrementally: a tick carries the
// losses since the last tick, not the whole history.
//
// Messages in:  {op, id, ...}; replies {id, ok: true, result} or {id, ok: false, error} (the
// engine's field-named message). Unsolicited: {type: 'tick', handle, ...} while a job runs.
import { engineGlue } from '../shared/assets.js';

/** The engine's JS glue, of the page's family (the page names it in `init`). */
let E = null;

let ready = null;
const objects = new Map();   // handle → {kind, obj, job}
let nextHandle = 1;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// {op: 'suspend', on}: the page is out of sight; every job waits at its next yield until it is
// back (messages — pause, cancel, free — are still handled meanwhile).
let suspended = false;
const held = async () => { while (suspended) await sleep(100); };
/** Give the event loop a turn (so queued messages run) without the 4 ms clamp of setTimeout. */
const yieldNow = () => new Promise((resolve) => { const c = new MessageChannel(); c.port1.onmessage = () => resolve(); c.port2.postMessage(0); }).then(held);
/**
 * A turn that lets the page's queued messages (a Pause) run first: Chromium runs MessageChannel
 * turns ahead of a worker's incoming messages, so jobs ping-ponging yieldNow on one worker can
 * starve them for seconds (measured: 5 racers, 0.5 s steps, Pause seen after 2.3 s). A timer
 * turn costs ≤ 4 ms, so it is taken only around long steps and evaluations.
 */
const yieldToMessages = () => sleep(0).then(held);

/** Copy typed-array views out of wasm memory (a structured clone would copy the whole memory). */
function detach(v, transfer) {
  if (ArrayBuffer.isView(v)) { const c = v.slice(); transfer.push(c.buffer); return c; }
  if (Array.isArray(v)) return v.map((x) => detach(x, transfer));
  if (v && typeof v === 'object') { const o = {}; for (const [k, x] of Object.entries(v)) o[k] = detach(x, transfer); return o; }
  return v;
}
const msg = (e) => (e == null ? 'unknown error' : typeof e === 'string' ? e : e.message || String(e));

function info(t) {
  return { steps: t.steps, epoch: t.epoch, batch_size: t.batch_size, dim: t.dim, classes: t.classes, layers: t.layers, parameter_count: t.parameter_count, train_count: t.trainLabels().length, diverged_at_step: t.diverged_at_step ?? null, layout: Array.from(t.parameterLayout()) };
}

function get(handle) {
  const o = objects.get(handle);
  if (!o) throw new Error(`no engine object ${handle} (freed, or the worker restarted)`);
  return o;
}

/** One method call of an engine object, its result copied out of wasm memory. */
function invoke(o, method, args, transfer) {
  const m = o.obj[method];
  if (typeof m !== 'function') throw new Error(`no method ${method}`);
  return detach(m.apply(o.obj, args), transfer);
}

const ops = {
  async init({ module, family }) { ready = engineGlue(family).then((g) => { E = g; return g.default({ module_or_path: module }); }); await ready; return { simd: true }; },
  stats() { return { objects: objects.size, jobs: [...objects.values()].filter((o) => o.job).length }; },

  // ---- trainers ------------------------------------------------------------------------------
  newTrainer({ spec }) {
    const t = new E.Trainer(spec);
    const handle = nextHandle++;
    objects.set(handle, { kind: 'trainer', obj: t, job: null, sent: 0, start: 0 });
    return { handle, info: info(t) };
  },
  /** The input normalization lab's single-unit problem (UnitProblem): its methods via `call`. */
  newUnit({ spec }, transfer) {
    const u = new E.UnitProblem(spec);
    const handle = nextHandle++;
    objects.set(handle, { kind: 'unit', obj: u, job: null });
    return { handle, info: detach(u.info(), transfer) };
  },
  /** The Hessian spectrum of a single-unit problem (any number of features): E.curvature. */
  curvature({ spec }, transfer) { return detach(E.curvature(spec), transfer); },
  /** Many calls of one object's methods in a row ([method, ...args] each), one reply. */
  calls({ handle, calls }, transfer) {
    const o = get(handle);
    return calls.map(([method, ...args]) => invoke(o, method, args, transfer));
  },
  /** One call of a Trainer method (evaluate, inspect, predictGrid, parameters, dataset, …). */
  call({ handle, method, args = [] }, transfer) { return invoke(get(handle), method, args, transfer); },
  /** n steps now, then a tick's worth of state (what `want` asks for). */
  step({ handle, n, want = {} }, transfer) {
    const o = get(handle);
    if (o.job) throw new Error('a job is running: pause it first');
    o.obj.step(n);
    return tick(o, handle, want, transfer, { epochEnd: false });
  },
  /** Snapshot of the state a tick carries, without stepping. */
  snapshot({ handle, want = {} }, transfer) { return tick(get(handle), handle, want, transfer, {}); },
  run({ handle, job }) {
    const o = get(handle);
    if (o.job) o.job.stop = 'replaced';
    o.job = { ...job, stop: null };
    runTrainer(handle, o, o.job);
    return true;
  },
  pause({ handle }) { const o = objects.get(handle); if (o?.job) o.job.stop = 'paused'; return true; },
  free({ handle }) {
    const o = objects.get(handle);
    if (!o) return false;
    if (o.job) o.job.stop = 'freed';
    objects.delete(handle);
    if (!o.running) o.obj.free();
    else o.freeAfter = true;
    return true;
  },

  // ---- one-shot tasks ------------------------------------------------------------------------
  /** Build a network, inspect it before any step (per-layer statistics), free it. */
  probe({ spec, bins = 8 }, transfer) {
    const t = new E.Trainer(spec);
    try { return detach(t.inspect(bins), transfer); } finally { t.free(); }
  },
  /**
   * Train `spec` for `steps` steps, recording every `every` steps the evaluation (with
   * `inspect`, the per-layer statistics; with `recordCalls`, those Trainer methods' results as
   * `calls`); the mini-batch loss of every step. `calls` run once on the trained network. A
   * sweep runs many.
   */
  async trainRecord({ spec, steps, every = 0, inspect = 0, task, progressMs = 0, calls = [], recordCalls = [] }, transfer) {
    const t = new E.Trainer(spec);
    const o = { obj: t };
    const callAll = (list) => list.map(([method, ...args]) => invoke(o, method, args, transfer));
    const record = [];
    const note = () => record.push({ step: t.steps, epoch: t.epoch, evaluation: t.evaluate(), ...(inspect ? { inspection: detach(t.inspect(inspect), transfer) } : {}), ...(recordCalls.length ? { calls: callAll(recordCalls) } : {}) });
    // With progressMs, the records so far are streamed (at most that often) as progress reports
    // of the task, so a page can draw the curves while they grow; `record` still has them all.
    let sent = 0, lastPost = performance.now();
    const post = () => { if (record.length > sent) { self.postMessage({ type: 'progress', task, record: record.slice(sent), steps: t.steps }); sent = record.length; } lastPost = performance.now(); };
    try {
      if (every) note();
      // Chunks of ~10 ms (the step time learned as it goes), so a cancel is seen soon even for
      // networks whose 64 steps take a second; a timer turn after a long chunk or evaluation.
      let last = performance.now(), msPerStep = 0.05;
      while (t.steps < steps && t.diverged_at_step == null) {
        if (tasks.get(task)?.cancelled) throw new Error('cancelled');
        const target = every ? Math.min(steps, (Math.floor(t.steps / every) + 1) * every) : steps;
        const n = Math.max(1, Math.min(target - t.steps, 64, Math.floor(10 / msPerStep)));
        const t0 = performance.now();
        t.step(n);
        msPerStep = 0.7 * msPerStep + 0.3 * ((performance.now() - t0) / n);
        if (every && t.steps === target) {
          // An evaluation is a second piece the worker cannot leave: a cancel that came during
          // the steps is seen before it starts.
          if (performance.now() - last > 10) {
            await yieldToMessages(); last = performance.now();
            if (tasks.get(task)?.cancelled) throw new Error('cancelled');
          }
          note();
        }
        if (progressMs && performance.now() - lastPost >= progressMs) post();
        const dt = performance.now() - last;
        if (dt > 30) { await yieldToMessages(); last = performance.now(); } else if (dt > 10) { await yieldNow(); last = performance.now(); }
      }
      const losses = t.lossHistory().slice();
      transfer.push(losses.buffer);
      // Trainer methods on the trained network before it is freed ([method, ...args] each).
      const results = callAll(calls);
      return { steps: t.steps, diverged_at_step: t.diverged_at_step ?? null, losses, record, final: t.evaluate(), ...(calls.length ? { calls: results } : {}) };
    } finally { t.free(); }
  },
  /**
   * A basin-of-attraction map in slices of ~8 ms, streamed as progress reports (the map so far,
   * at most every 50 ms, with the slices' engine times); cancel with {op: 'cancel', task}.
   */
  async basins({ spec, nx, ny, rect, task }) {
    const B = new E.Basins(spec, nx, ny, rect[0], rect[1], rect[2], rect[3]);
    let budget = 2000, frac = 0, lastPost = -Infinity, sliceMs = [], slices = 0;
    const post = (done) => {
      const rgba = B.rgba().slice(), centers = B.centers();
      const m = { type: 'progress', task, frac, rgba, centers, slices, sliceMs, done };
      const transfer = [rgba.buffer, centers.buffer];
      if (done) { m.labels = B.labels().slice(); transfer.push(m.labels.buffer); }
      self.postMessage(m, transfer);
      sliceMs = []; slices = 0; lastPost = performance.now();
    };
    try {
      let first = true;
      while (!B.done) {
        if (tasks.get(task)?.cancelled) return { cancelled: true };
        const t0 = performance.now();
        frac = B.advance(Math.round(budget));
        const dt = performance.now() - t0;
        slices++;
        if (!first) sliceMs.push(dt); // the first slice includes the warm-up
        first = false;
        // Steps per ms measured on this slice: an overrun cuts the budget at once, otherwise it
        // grows smoothly (so one fast slice does not overshoot the next).
        const fit = (budget / Math.max(0.05, dt)) * 8;
        budget = Math.max(200, Math.min(2e6, dt > 8 ? fit : 0.5 * budget + 0.5 * fit));
        if (!B.done && performance.now() - lastPost >= 50) post(false);
        await yieldNow();
      }
      frac = 1;
      post(true);
      return { done: true };
    } finally { B.free(); }
  },
  suspend({ on }) { suspended = !!on; return suspended; },
  cancel({ task }) { const t = tasks.get(task); if (t) t.cancelled = true; return true; },
};
const tasks = new Map();

/** What a tick carries: progress always, the losses since the last tick, and what the job asks for. */
function tick(o, handle, want, transfer, extra) {
  const t = o.obj;
  const h = t.lossHistory(), start = t.historyStart;
  // Everything recorded since the last tick (from the start again if old steps were dropped).
  if (start !== o.start) { o.start = start; o.sent = 0; }
  const fresh = h.slice(o.sent);
  o.sent = h.length;
  transfer.push(fresh.buffer);
  const out = { type: 'tick', handle, steps: t.steps, epoch: t.epoch, diverged_at_step: t.diverged_at_step ?? null, lr: t.lr, historyStart: start, historyLength: h.length, losses: fresh, ...extra };
  if (want.evaluate) out.evaluation = t.evaluate();
  if (want.inspect) out.inspection = detach(t.inspect(want.inspect), transfer);
  if (want.params) { out.params = t.parameters().slice(); transfer.push(out.params.buffer); }
  if (want.grads) { out.grads = t.gradients().slice(); transfer.push(out.grads.buffer); }
  if (want.grid) { const g = want.grid; out.grid = t.predictGrid(g.nx, g.ny, g.view[0], g.view[1], g.view[2], g.view[3]).slice(); out.gridView = g.view; out.gridSize = [g.nx, g.ny]; transfer.push(out.grid.buffer); }
  return out;
}

/**
 * A training job: steps paced to `speed` steps/s (null: as fast as the worker goes) in slices of
 * about 10 ms, until `untilSteps` / `untilEpochs`, a divergence, or `stopBelowError` (the training
 * error rate at an epoch end); with `epochs`, steps stop exactly at each epoch's end, where the
 * tick carries the evaluation (and inspection). Ticks at most every `tickMs` (default 33 ms).
 */
async function runTrainer(handle, o, job) {
  const t = o.obj;
  o.running = true;
  const t0 = performance.now(), steps0 = t.steps;
  let msPerStep = 0.05, lastTick = 0, lastEval = -Infinity, lastInspect = -Infinity, lastParams = -Infinity, lastGrid = -Infinity;
  // The training split's size, read once (trainLabels() copies the labels out of wasm memory).
  const nTrain = job.epochs || job.stopBelowError != null ? t.trainLabels().length : 0;
  const spe = job.epochs ? Math.ceil(nTrain / t.batch_size) : 0;
  let reason = null, owedEpoch = false, first = true;
  const reachedAt = (ev) => job.stopBelowError != null && ev && ev.train_errors / Math.max(1, nTrain) <= job.stopBelowError;
  try {
    // `atStart`: the state before the job's first step, as an epoch end (epoch 0 of a race).
    // A turn of the event loop first: a Pause queued behind this job's start (e.g. the other
    // racers' starts on this worker) is seen before the evaluation; the next job repeats it.
    if (job.atStart) await yieldToMessages();
    if (job.atStart && !job.stop) {
      const transfer = [];
      const out = tick(o, handle, { evaluate: !!job.evaluate, inspect: job.inspect?.bins }, transfer, { epochEnd: true });
      self.postMessage(out, transfer);
      if (reachedAt(out.evaluation)) reason = 'reached';
      await yieldNow();
    }
    while (!job.stop && !reason) {
      if (t.diverged_at_step != null) { reason = 'diverged'; break; }
      if (job.untilSteps != null && t.steps >= job.untilSteps) { reason = 'done'; break; }
      if (job.untilEpochs != null && t.epoch >= job.untilEpochs - 1e-9) { reason = 'done'; break; }
      const now = performance.now();
      let allowed = job.speed ? Math.floor(((now - t0) / 1000) * job.speed) - (t.steps - steps0) : Infinity;
      if (job.untilSteps != null) allowed = Math.min(allowed, job.untilSteps - t.steps);
      if (spe) allowed = Math.min(allowed, (Math.floor(t.steps / spe) + 1) * spe - t.steps);
      if (allowed <= 0) { await sleep(Math.min(50, job.speed ? 1000 / job.speed : 5)); continue; }
      // One step first (its time sizes the next slices; a net of 0.5 s steps must not take 2).
      const n = first ? 1 : Math.max(1, Math.min(allowed, Math.floor(10 / Math.max(1e-4, msPerStep))));
      // Before a long step, one more turn of the event loop: this job's turn may have been queued
      // before a Pause that arrived during another job's step on this worker.
      if (first || msPerStep > 50) { first = false; await yieldToMessages(); if (job.stop) break; }
      const s0 = performance.now();
      const took = t.step(n);
      const dt = performance.now() - s0;
      if (took > 0) msPerStep = msPerStep * 0.6 + (dt / took) * 0.4;
      const epochEnd = spe > 0 && took > 0 && t.steps % spe === 0 && t.diverged_at_step == null;
      // A Pause that arrived during a long step ends the job now, not after this tick's
      // evaluation and inspection: they follow the job's end (an epoch's end keeps its record).
      if (dt > 10) { await (dt > 50 ? yieldToMessages() : yieldNow()); if (job.stop) { owedEpoch = epochEnd; break; } }
      const end = performance.now();
      const want = {};
      if (job.evaluate && (epochEnd || (job.evaluate.everyMs != null && end - lastEval >= job.evaluate.everyMs))) { want.evaluate = true; lastEval = end; }
      if (job.inspect && (epochEnd || end - lastInspect >= (job.inspect.everyMs ?? 100))) { want.inspect = job.inspect.bins; lastInspect = end; }
      if (job.params && end - lastParams >= (job.params.everyMs ?? 100)) { want.params = true; want.grads = !!job.params.grads; lastParams = end; }
      if (job.grid && end - lastGrid >= (job.grid.everyMs ?? 150)) { want.grid = job.grid; lastGrid = end; }
      if (epochEnd || Object.keys(want).length || end - lastTick >= (job.tickMs ?? 33) || t.diverged_at_step != null) {
        const transfer = [];
        const out = tick(o, handle, want, transfer, { epochEnd });
        lastTick = performance.now();
        self.postMessage(out, transfer);
        if (epochEnd && reachedAt(out.evaluation)) { reason = 'reached'; break; }
      }
      await yieldNow();
    }
  } catch (e) {
    self.postMessage({ type: 'tick', handle, done: true, reason: 'error', error: msg(e) });
    o.running = false; if (o.job === job) o.job = null;
    return;
  }
  o.running = false;
  if (o.job === job) o.job = null;
  if (o.freeAfter) { o.obj.free(); return; }
  if (job.stop === 'replaced' || job.stop === 'freed') return;
  // The job's end goes out at once (the page's Pause takes effect); the final state it asks for
  // (an evaluation of the whole split can take longer than a step) follows as a tick, before the
  // worker reads its next message.
  const final = job.final || {};
  const transfer = [];
  self.postMessage(tick(o, handle, {}, transfer, { done: true, reason: reason || job.stop || 'paused' }), transfer);
  const want = { evaluate: final.evaluate, inspect: final.inspect, params: final.params, grads: final.grads, grid: final.grid ? job.grid : null };
  if (owedEpoch) { want.evaluate ||= !!job.evaluate; want.inspect ||= job.inspect?.bins; }
  if (Object.values(want).some((v) => v)) {
    const more = [];
    self.postMessage(tick(o, handle, want, more, owedEpoch ? { epochEnd: true } : {}), more);
  }
}

self.onmessage = async (ev) => {
  const m = ev.data;
  if (m.op !== 'init') await ready;
  const f = ops[m.op];
  const transfer = [];
  try {
    if (!f) throw new Error(`unknown operation ${m.op}`);
    if (m.task != null && !tasks.has(m.task)) tasks.set(m.task, { cancelled: false });
    const result = await f(m, transfer);
    if (m.task != null && m.op !== 'cancel') tasks.delete(m.task);
    self.postMessage({ id: m.id, ok: true, result }, transfer);
  } catch (e) {
    if (m.task != null && m.op !== 'cancel') tasks.delete(m.task);
    self.postMessage({ id: m.id, ok: false, error: msg(e) });
  }
};
