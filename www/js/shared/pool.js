// The worker pool: navigator.hardwareConcurrency workers (at least 1), each with its own engine
// (js/worker/engine-worker.js), loaded from the page's own files — no SharedArrayBuffer, so any
// static host works without COOP/COEP headers. The page compiles the wasm once; every worker gets
// the compiled module. The heavy work of the labs runs there; the main thread only draws.
//
//   const pool = getPool();
//   const t = await pool.trainer(spec);          // a RemoteTrainer: a network living in a worker
//   t.onTick = () => draw();                     // its mirror (steps, losses, evaluation, …) grew
//   t.play({speed: 2000, untilSteps: 3000, inspect: {bins: 8}});  t.pause();  await t.step(1);
//   const norms = await pool.task('probe', {spec});                // one-shot, least busy worker
//   const s = pool.sweep(configs.map((spec) => ({op: 'trainRecord', spec, steps: 600, every: 50})));
//   s.onProgress = (done, total) => …;  const results = await s.results;  s.cancel();
//
// Errors arrive as the engine's field-named messages (`optimizer.lr: must be …`). A worker that
// crashes is replaced; what it held is lost and its callers get an error saying so.

import { workerUrl, workerType, wasmModule, engineFamily } from './assets.js';

// Two builds of the same engine (./build.sh): SIMD128, and SIMD128 + relaxed SIMD, whose only
// difference is the matrix products' multiply-add (`f32x4.relaxed_madd`: one fused instruction
// where the CPU has FMA, ~19 % faster GEMM here). A browser gets the relaxed build when it
// validates relaxed SIMD (Chromium ≥ 114; others as they ship it), else the plain one.
// An 82-byte module whose one function is f32x4.relaxed_madd of three v128 constants.
const CONST = [0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const RELAXED_PROBE = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0,
  10, 61, 1, 59, 0, ...CONST, ...CONST, ...CONST, 0xfd, 0x85, 0x02, 0x0b);

/** Whether this browser runs relaxed SIMD (WebAssembly.validate of a one-instruction module). */
export function hasRelaxedSimd() {
  try { return WebAssembly.validate(RELAXED_PROBE); } catch { return false; }
}

let modulePromise = null, variant = null;

/**
 * The engine's wasm, compiled once per page (the page's own engine and every worker instantiate
 * it): the relaxed-SIMD build where it validates, the SIMD128 build otherwise or if that fails.
 * `globalThis.OPTPLAY_ENGINE = 'simd128'` before the first call forces the plain build (tests).
 */
export function compiled() {
  modulePromise ??= (async () => {
    if (globalThis.OPTPLAY_ENGINE !== 'simd128' && hasRelaxedSimd()) {
      try {
        const m = await wasmModule('relaxed-simd');
        variant = 'relaxed-simd';
        return m;
      } catch { /* e.g. a server without the file: the plain build below */ }
    }
    const m = await wasmModule('simd128');
    variant = 'simd128';
    return m;
  })();
  return modulePromise;
}

/** Which build `compiled()` gave ('relaxed-simd' or 'simd128'; null before it resolved). */
export function engineVariant() {
  return variant;
}

class WorkerSlot {
  constructor(pool, index) {
    this.pool = pool; this.index = index;
    this.pending = new Map(); this.busy = 0; this.listeners = new Map(); this.taskListeners = new Map();
    this.start();
  }
  start() {
    this.w = new Worker(workerUrl(), { type: workerType, name: `engine-${this.index}` });
    this.w.onmessage = (ev) => this.#receive(ev.data);
    this.w.onerror = (ev) => { ev.preventDefault?.(); this.#crash(ev.message || 'the worker failed'); };
    this.ready = compiled().then((module) => this.send({ op: 'init', module, family: engineFamily() })).then((r) => (this.pool.suspended ? this.send({ op: 'suspend', on: true }) : r));
  }
  #receive(m) {
    if (m.type === 'tick') { this.listeners.get(m.handle)?.(m); return; }
    if (m.type === 'progress') { this.taskListeners.get(m.task)?.(m); return; }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id); this.busy--;
    if (m.ok) p.resolve(m.result);
    else {
      const e = new Error(m.error);
      // A wasm trap leaves that engine instance unusable: replace the worker.
      if (/unreachable|RuntimeError|memory access out of bounds/i.test(m.error)) this.#crash(m.error, p);
      p.reject(e);
    }
  }
  #crash(why, except) {
    const err = new Error(`the engine stopped (${why}); what it was running is lost — reset to start again`);
    for (const [id, p] of this.pending) if (p !== except) p.reject(err);
    this.pending.clear(); this.busy = 0;
    for (const f of this.listeners.values()) f({ type: 'tick', done: true, reason: 'error', error: err.message });
    this.listeners.clear(); this.taskListeners.clear();
    this.w.terminate();
    this.pool.stats.restarts++;
    this.start();
  }
  send(m, transfer = []) {
    const id = ++this.pool.ids;
    this.busy++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.w.postMessage({ ...m, id }, transfer);
    });
  }
  /** Send once the engine is loaded in this worker. */
  async call(m, transfer) { await this.ready; return this.send(m, transfer); }
  terminate() { this.w.terminate(); for (const p of this.pending.values()) p.reject(new Error('the engine pool was closed')); this.pending.clear(); }
}

export class EnginePool {
  /** @param {{size?: number}} o  workers (default navigator.hardwareConcurrency, at least 1) */
  constructor(o = {}) {
    const hc = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
    this.size = Math.max(1, Math.min(16, Math.floor(o.size ?? hc)));
    this.ids = 0; this.tasks = 0; this.sweepJobs = 0;
    this.slots = [];
    this.stats = { restarts: 0 };
    this.closed = false;
    this.trainers = new Set();   // live RemoteTrainers (tests: nothing leaks; activeJobs)
  }
  #slot(i) {
    if (this.closed) throw new Error('the engine pool was closed');
    while (this.slots.length <= i) this.slots.push(new WorkerSlot(this, this.slots.length));
    return this.slots[i];
  }
  /** The least busy worker (starting workers lazily up to `size`). */
  pick() {
    for (let i = 0; i < this.size; i++) { const s = this.slots[i]; if (!s) return this.#slot(i); if (s.busy === 0 && !s.listeners.size) return s; }
    return this.slots.slice(0, this.size).reduce((a, b) => (a.busy + a.listeners.size <= b.busy + b.listeners.size ? a : b));
  }
  /** Start all workers now (and compile the engine), so that the first job does not wait. */
  warm(n = this.size) { for (let i = 0; i < Math.min(n, this.size); i++) this.#slot(i); return Promise.all(this.slots.map((s) => s.ready)); }

  /** A network in a worker. `opts.slot`: the worker index (else the least busy). */
  async trainer(spec, opts = {}) {
    const slot = opts.slot != null ? this.#slot(opts.slot % this.size) : this.pick();
    const { handle, info } = await slot.call({ op: 'newTrainer', spec });
    const t = new RemoteTrainer(slot, handle, info, spec);
    t.pool = this; this.trainers.add(t);
    return t;
  }
  /**
   * A worker for background work (previews, probes): one holding none of this pool's trainers
   * if the pool has such a worker (so a trainer's Play and Pause never wait behind it), else the
   * least busy.
   */
  pickBackground() {
    const held = new Set([...this.trainers].map((t) => t.slot));
    const free = this.slots.slice(0, this.size).filter((s) => !held.has(s));
    if (free.length) return free.reduce((a, b) => (a.busy <= b.busy ? a : b));
    return this.slots.length < this.size ? this.#slot(this.slots.length) : this.pick();
  }
  /** One task (an op of the worker with its arguments) on the least busy worker (`opts.background`: see pickBackground). */
  async task(op, args = {}, onProgress = null, opts = {}) {
    const slot = opts.background ? this.pickBackground() : this.pick();
    const task = ++this.tasks;
    if (onProgress) slot.taskListeners.set(task, onProgress);
    try { return await slot.call({ op, ...args, task }); } finally { slot.taskListeners.delete(task); }
  }
  /** A cancellable task: {promise, cancel()} (cancel answers the promise with {cancelled: true}). */
  cancellable(op, args = {}, onProgress = null) {
    const slot = this.pick();
    const task = ++this.tasks;
    if (onProgress) slot.taskListeners.set(task, onProgress);
    const promise = slot.call({ op, ...args, task }).finally(() => slot.taskListeners.delete(task));
    return { promise, cancel: () => { slot.taskListeners.delete(task); slot.call({ op: 'cancel', task }).catch(() => {}); } };
  }

  /**
   * Many runs spread over the pool: `jobs` = [{op, ...args}] (e.g. {op: 'trainRecord', spec,
   * steps, every}), each independent and seeded by its own spec, so the results — in the order
   * of `jobs` — are bit-identical whatever the number of workers. Returns {results: Promise,
   * onProgress(done, total, index, result), onJob(index, report) (a job's own progress reports,
   * e.g. trainRecord's with progressMs), cancel()}; an error in one job rejects `results` with
   * that job's index.
   */
  sweep(jobs) {
    const out = new Array(jobs.length);
    let next = 0, done = 0, cancelled = false, fail = null;
    const running = new Map();
    const handle = { onProgress: null, onJob: null, cancel: () => { cancelled = true; for (const r of running.values()) r.cancel(); } };
    handle.results = new Promise((resolve, reject) => {
      if (!jobs.length) { resolve(out); return; }
      const launch = (slot) => {
        if (cancelled || fail) return;
        if (next >= jobs.length) return;
        const i = next++, task = ++this.tasks;
        const { op, ...args } = jobs[i];
        running.set(i, { cancel: () => slot.call({ op: 'cancel', task }).catch(() => {}) });
        slot.taskListeners.set(task, (m) => { if (!cancelled) handle.onJob?.(i, m); });
        this.sweepJobs++;
        slot.call({ op, ...args, task }).finally(() => { slot.taskListeners.delete(task); this.sweepJobs--; }).then((r) => {
          running.delete(i);
          out[i] = r; done++;
          handle.onProgress?.(done, jobs.length, i, r);
          if (done === jobs.length) resolve(out);
          else if (cancelled) { if (!running.size) reject(new Error('cancelled')); }
          else launch(slot);
        }, (e) => {
          running.delete(i);
          if (cancelled) { if (!running.size) reject(new Error('cancelled')); return; }
          fail = e; handle.cancel(); reject(new Error(`run ${i + 1} of ${jobs.length}: ${e.message}`));
        });
      };
      const n = Math.min(this.size, jobs.length);
      for (let k = 0; k < n; k++) launch(this.#slot(k));
    });
    return handle;
  }

  /**
   * Hold every worker's running jobs at their next slice (`on` = true) or let them go on where
   * they were: an embedded lab scrolled out of sight or in a hidden tab stops computing without
   * losing a sweep's progress (the lifecycle of js/shared/embed.js). New workers start held too.
   */
  suspend(on) {
    this.suspended = !!on;
    return Promise.all(this.slots.map((s) => s.call({ op: 'suspend', on: this.suspended }).catch(() => {})));
  }
  /** Trainers whose job has not reported its end yet (a paused job ends within one slice), and
   *  sweep jobs still running in a worker (a cancelled one ends at its next check). */
  activeJobs() { let n = this.sweepJobs; for (const t of this.trainers) if (t.jobActive) n++; return n; }
  /** Objects and running jobs per worker (tests: nothing leaks). */
  async workerStats() { return Promise.all(this.slots.map((s) => s.call({ op: 'stats' }))); }
  terminate() { this.closed = true; for (const s of this.slots) s.terminate(); this.slots = []; }
}

/**
 * A network living in a worker, with a mirror the page draws from: steps, epoch, the loss of
 * every step (appended as ticks arrive), the latest evaluation / inspection / parameters /
 * gradients / decision grid. `onTick(tick)` runs after each update.
 */
export class RemoteTrainer {
  constructor(slot, handle, info, spec) {
    this.slot = slot; this.handle = handle; this.spec = spec;
    Object.assign(this, { steps: info.steps, epoch: info.epoch, batch_size: info.batch_size, dim: info.dim, classes: info.classes, layers: info.layers, parameter_count: info.parameter_count, train_count: info.train_count, diverged_at_step: info.diverged_at_step });
    this.layout = Uint32Array.from(info.layout);
    this.historyStart = 0;
    this.losses = new Float32Array(1024); this.nLosses = 0;
    this.evaluation = null; this.inspection = null; this.params = null; this.grads = null; this.grid = null;
    this.playing = false; this.freed = false; this.jobActive = false;
    this.onTick = null;
    this.#ended = null;
    slot.listeners.set(handle, (m) => this.#apply(m));
  }
  #ended;
  /** Mini-batch loss of each step since `historyStart` + 1 (a view of the mirror). */
  lossHistory() { return this.losses.subarray(0, this.nLosses); }
  #apply(m) {
    if (this.freed) return;
    if (m.reason === 'error' && m.steps == null) { this.playing = false; this.jobActive = false; this.error = m.error; this.onTick?.(m); this.#ended?.(m); this.#ended = null; return; }
    if (m.historyStart !== this.historyStart) { this.historyStart = m.historyStart; this.nLosses = 0; }
    const f = m.losses;
    if (f && f.length) {
      if (this.nLosses + f.length > this.losses.length) {
        const grown = new Float32Array(Math.max(this.losses.length * 2, this.nLosses + f.length));
        grown.set(this.losses.subarray(0, this.nLosses)); this.losses = grown;
      }
      this.losses.set(f, this.nLosses); this.nLosses += f.length;
    }
    this.steps = m.steps; this.epoch = m.epoch; this.diverged_at_step = m.diverged_at_step; this.lr = m.lr;
    if (m.evaluation) this.evaluation = m.evaluation;
    if (m.inspection) this.inspection = m.inspection;
    if (m.params) this.params = m.params;
    if (m.grads) this.grads = m.grads;
    if (m.grid) { this.grid = m.grid; this.gridView = m.gridView; this.gridSize = m.gridSize; }
    if (m.done) { this.playing = false; this.jobActive = false; this.error = m.error || null; }
    this.onTick?.(m);
    if (m.done) { this.#ended?.(m); this.#ended = null; }
  }
  /**
   * Train in the worker until the job ends (see engine-worker.js runTrainer: speed, untilSteps,
   * untilEpochs, epochs, stopBelowError, evaluate {everyMs}, inspect {bins, everyMs}, params
   * {everyMs, grads}, grid {nx, ny, view, everyMs}, final {...}). Resolves with the last tick.
   */
  play(job) {
    if (this.freed) return Promise.resolve(null);
    this.playing = true; this.jobActive = true;
    const ended = new Promise((resolve) => { this.#ended = resolve; });
    this.slot.call({ op: 'run', handle: this.handle, job }).catch((e) => { this.playing = false; this.jobActive = false; this.error = e.message; this.#ended?.({ done: true, reason: 'error', error: e.message }); this.#ended = null; });
    return ended;
  }
  /** Stop the job (within one ~10 ms slice of the worker); resolves with its last tick. */
  pause() {
    if (!this.playing || this.freed) return Promise.resolve(null);
    const ended = new Promise((resolve) => { const prev = this.#ended; this.#ended = (m) => { prev?.(m); resolve(m); }; });
    this.playing = false;
    this.slot.call({ op: 'pause', handle: this.handle }).catch(() => {});
    return ended;
  }
  /** Resolves when the running job (if any) has ended — a pause takes up to one slice. */
  idle() {
    if (!this.jobActive) return Promise.resolve(null);
    return new Promise((resolve) => { const prev = this.#ended; this.#ended = (m) => { prev?.(m); resolve(m); }; });
  }
  /** n steps now (a job still ending after a pause is waited for), then the state `want` asks for ({evaluate, inspect: bins, params, grads, grid}). */
  async step(n, want = {}) { await this.idle(); const m = await this.slot.call({ op: 'step', handle: this.handle, n, want }); this.#apply(m); return m; }
  /** The state `want` asks for, without stepping. */
  async refresh(want) { const m = await this.slot.call({ op: 'snapshot', handle: this.handle, want }); this.#apply(m); return m; }
  /** One engine method on the worker's trainer (result copied out). */
  call(method, ...args) { return this.slot.call({ op: 'call', handle: this.handle, method, args }); }
  free() {
    if (this.freed) return;
    this.freed = true; this.playing = false; this.jobActive = false;
    this.pool?.trainers.delete(this);
    this.slot.listeners.delete(this.handle);
    this.#ended?.({ done: true, reason: 'freed' }); this.#ended = null;
    this.slot.call({ op: 'free', handle: this.handle }).catch(() => {});
  }
}

let shared = null;
/** The page's one pool (terminated when the page is left). */
export function getPool() {
  if (!shared || shared.closed) {
    shared = new EnginePool();
    addEventListener('pagehide', () => shared?.terminate(), { once: true });
  }
  return shared;
}
