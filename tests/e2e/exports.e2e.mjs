// Every exported PyTorch script, run with real PyTorch and compared with the engine — no text
// checks. For each case the lab is opened from a URL, run, its "PyTorch script" button clicked,
// and the downloaded script run as `python script.py --json out.json`:
//   optimizer lab: the whole path against the engine's trajectory, ≤ 1e-9 relative, for every
//     optimizer, schedule, Newton (with and without a schedule), a custom expression and the data
//     landscapes (full batch and mini-batch: the script draws the engine's batches);
//   network labs: the mini-batch loss of the first 100 steps, ≤ 1e-4 relative, for every preset of
//     every network lab; the ReLU race per-epoch error rates and epochs to the threshold.
// Where a run is so sensitive that rounding alone moves it (measured, not assumed: the script's
// --rounding-check reruns it in float64 and with another summation order; for the optimizer lab
// the engine reruns it from a start one ulp away), the bound is 10 × that spread instead: the
// engine, being one more summation order, must stay as close to torch as torch stays to itself.
// PyTorch comes from $OPTPLAY_TORCH_PYTHON or the venv ./build.sh installs (~/.cache/optplay).
//
// Run:  node tests/e2e/exports.e2e.mjs   (engine built; server at $BASE_URL or started here;
//       ONLY=<lab> for one lab's cases)
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureServer, launch, test, assert, finish, open, sleep, ART } from './lib.mjs';

const run = promisify(execFile);
const PY = process.env.OPTPLAY_TORCH_PYTHON || path.join(os.homedir(), '.cache/optplay/torch-venv/bin/python');
const OUT = path.join(ART, 'exports');
fs.mkdirSync(OUT, { recursive: true });
const report = [];

async function runScript(file, extra = []) {
  const json = file.replace(/\.py$/, '.json');
  const { stdout } = await run(PY, [file, '--json', json, ...extra], { timeout: 900000, maxBuffer: 1 << 26 });
  fs.writeFileSync(file.replace(/\.py$/, '.out.txt'), stdout);
  return { out: JSON.parse(fs.readFileSync(json, 'utf8')), stdout };
}

async function download(page, name, button = '#exp-py') {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click(button)]);
  const file = path.join(OUT, `${name}.py`);
  await dl.saveAs(file);
  return file;
}

// ---- optimizer lab --------------------------------------------------------------------------
// Each URL races several optimizers; every racer's script is exported and run. Short enough runs
// that rounding is not amplified by chaos (RMSprop or AdaDelta on Rosenbrock over 1000 steps
// separate by rounding alone, in torch too).
// The expression case starts at (-1, 0.5), in the basin of the minimum near (-1.31, 0), where the
// Hessian is positive definite: from (2, 1), where it is indefinite, Newton leaves for |x| ~ 600
// and its path is chaotic (measured in numpy: a 1e-16 relative perturbation of each step moves it by
// 0.6 to 69 relative at step 20, so a one-ulp rerun does not bound how far torch's sin/cos may take it;
// with torch 2.15 it failed there by 12 at step 21). Here a one-ulp start moves the path by 1e-15.
const OPT_CASES = [
  ['first-order', 'f=rosenbrock&x0=-1.5&y0=2&steps=200&o1=sgd&o1.lr=0.001&o2=sgd&o2.lr=0.0005&o2.momentum=0.9&o2.dampening=0.1&o2.weight_decay=0.01&o3=sgd&o3.lr=0.0005&o3.momentum=0.9&o3.nesterov=1&o4=adagrad&o4.lr=0.5&o4.lr_decay=0.01&o5=rmsprop&o5.lr=0.01&o5.centered=1&o5.momentum=0.5&o6=adadelta&o6.lr=1&o7=adam&o7.lr=0.05&o7.amsgrad=1&o8=adamw&o8.lr=0.05&o8.weight_decay=0.1'],
  ['adam-family', 'f=beale&x0=0.7&y0=1.4&steps=300&o1=adamax&o1.lr=0.05&o2=nadam&o2.lr=0.05&o3=radam&o3.lr=0.05&o4=newton&o4.eta=1&o5=newton&o5.eta=0.5&o6=none&o7=none&o8=none'],
  ['schedules', 'f=himmelblau&x0=0&y0=0&steps=300&sched=step&sched.step_size=50&sched.gamma=0.5&o1=sgd&o1.lr=0.01&o2=adam&o2.lr=0.1&o2.sched=exponential&o2.sched.gamma=0.99&o3=rmsprop&o3.lr=0.05&o3.sched=cosine&o3.sched.T_max=200&o3.sched.eta_min=0.001&o4=sgd&o4.lr=0.002&o4.momentum=0.9&o4.sched=inverse_time&o4.sched.decay=0.02&o5=newton&o5.eta=1&o5.sched=exponential&o5.sched.gamma=0.8&o6=newton&o6.eta=0.5&o7=none&o8=none'],
  ['expression', 'f=custom&expr=sin(x)*cos(y)%20%2B%200.1*(x%5E2%20%2B%20y%5E2)&x0=-1&y0=0.5&steps=300&sched=cosine&sched.T_max=300&o1=adam&o1.lr=0.05&o2=nadam&o2.lr=0.05&o3=sgd&o3.lr=0.05&o3.momentum=0.9&o4=newton&o4.eta=1&o5=none&o6=none&o7=none&o8=none'],
  ['data-standardized', 'preset=minibatch&o6=newton&o6.eta=1&o6.batch_size=150'],
  ['data-raw', 'f=iris_petals&x0=-0.8&y0=2.5&steps=300&o1=sgd&o1.lr=0.02&o1.batch_size=150&o2=sgd&o2.lr=0.01&o2.momentum=0.9&o2.batch_size=16&o2.seed=5&o3=adam&o3.lr=0.05&o3.batch_size=150&o3.sched=cosine&o3.sched.T_max=200&o4=newton&o4.eta=1&o4.batch_size=20&o4.seed=2&o5=none&o6=none&o7=none&o8=none'],
];

async function optimizerCase(browser, name, query) {
  const { page, errors, close } = await open(browser, 'optimizer', `?${query}&speed=2000`);
  const racers = await page.evaluate(() => window.__lab.racers.map((r) => ({ index: r.index, label: r.label, name: r.name, spec: r.spec })));
  const bad = [];
  for (const r of racers) {
    await page.evaluate((i) => window.__lab.select?.(i) ?? window.__fields.set({ sel: i }), r.index);
    await sleep(50);
    const file = await download(page, `opt-${name}-${r.index}-${r.name}`);
    const eng = await page.evaluate((spec) => {
      const t = window.__lab.E.trajectory(spec);
      // The run's own sensitivity: the same run from a start one ulp away.
      const up = (x) => { const b = new Float64Array([x]), u = new BigInt64Array(b.buffer); u[0] += 1n; return b[0]; };
      const p = window.__lab.E.trajectory({ ...spec, start: [up(spec.start[0]), up(spec.start[1])] });
      return { points: Array.from(t.points), values: Array.from(t.values), lrs: Array.from(t.lrs || []), diverged: t.diverged_at_step ?? null, ulp: Array.from(p.points) };
    }, r.spec);
    let res;
    try { res = await runScript(file); } catch (e) { bad.push(`${name} racer ${r.index} (${r.label}): the script failed: ${String(e.stderr || e.message).split('\n').slice(-3).join(' ')}`); continue; }
    const { out } = res;
    const n = eng.values.length;
    let worst = 0, at = -1, spread = 0, over = null;
    if (out.points.length !== n) bad.push(`${name} ${r.label}: ${out.points.length - 1} steps in torch, ${n - 1} in the engine`);
    const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(a), 1e-3);
    for (let k = 0; k < Math.min(n, out.points.length); k++) {
      let d = rel(eng.values[k], out.values[k]);
      for (const c of [0, 1]) {
        d = Math.max(d, rel(eng.points[2 * k + c], out.points[k][c]));
        if (2 * k + c < eng.ulp.length) spread = Math.max(spread, rel(eng.points[2 * k + c], eng.ulp[2 * k + c]));
      }
      if (d > worst) { worst = d; at = k; }
      if (over == null && d > Math.max(1e-9, 10 * spread)) over = { k, d, spread };
    }
    let lrWorst = 0;
    for (let k = 0; k < Math.min(eng.lrs.length, out.lrs.length); k++) lrWorst = Math.max(lrWorst, Math.abs(eng.lrs[k] - out.lrs[k]) / Math.max(eng.lrs[k], 1e-12));
    const mini = r.spec.batch_size != null ? `, mini-batch B=${r.spec.batch_size}` : '';
    report.push(`optimizer ${name}: ${r.label}${mini}: ${n - 1} steps, largest relative difference of the path ${worst.toExponential(1)} (step ${at}), of the lr ${lrWorst.toExponential(1)}${spread > 1e-9 ? `; chaotic: a start one ulp away moves the engine's own path by ${spread.toExponential(1)}` : ''}`);
    if (over) bad.push(`${name} ${r.label}${mini}: path differs by ${over.d.toExponential(2)} at step ${over.k} (bound max(1e-9, 10 × the one-ulp spread ${over.spread.toExponential(1)}))`);
    if (!(lrWorst <= 1e-12)) bad.push(`${name} ${r.label}: lr differs by ${lrWorst}`);
    if (out.diverged_at_step !== eng.diverged) bad.push(`${name} ${r.label}: diverged at ${out.diverged_at_step} in torch, ${eng.diverged} in the engine`);
  }
  if (errors.length) bad.push(errors.join('; '));
  await close();
  assert(!bad.length, () => bad.join('\n'));
}

// ---- network labs ---------------------------------------------------------------------------
const NN_CASES = [
  ...['explode-vanish', 'sigmoid-deep', 'relu-he', 'tanh-large', 'linear-large'].map((p) => ['vanishing', `preset=${p}&steps=100&speed=100000`, null]),
  ...['zero', 'too-small', 'appropriate', 'too-large'].map((p) => ['initialization', `preset=${p}&steps=100&speed=100000`, null]),
  ['initialization', 'preset=appropriate&data=moons&opt=adam&lr=0.01&batch=32&steps=100&seed=3&speed=100000', null],
  ['initialization', 'preset=too-small&data=spiral&hidden=8-8&opt=rmsprop&lr=0.005&momentum=0&steps=100&speed=100000', null],
  ...['deep-zero', 'deep-uniform', 'deep-xavier', 'deep-normal', 'deep-he-relu'].map((p) => ['initialization', `preset=${p}&deep.epochs=4&deep.batch=32`, 'deep']),
];
const RELU_CASES = ['krizhevsky', 'three-way', 'saturated', 'deep-sigmoid', 'spiral'];

async function networkCase(browser, lab, query, part) {
  const { page, errors, close } = await open(browser, lab, `?${query}`);
  if (part === 'deep') await page.waitForFunction(() => window.__lab.deep.trainer, null, { timeout: 30000 });
  await page.click('#play');
  await page.waitForFunction(() => !window.__lab.playing, null, { timeout: 300000 });
  await sleep(200);
  const name = `${lab}-${query.split('&')[0].replace('preset=', '')}-${query.length}`;
  const file = await download(page, `nn-${name}`);
  const eng = await page.evaluate((deep) => { const t = deep ? window.__lab.deep.trainer : (window.__lab.pg?.trainer || window.__lab.trainer); return { losses: Array.from(t.lossHistory()), start: t.historyStart, diverged: t.diverged_at_step ?? null, steps: t.steps }; }, part === 'deep');
  if (errors.length) { await close(); throw new Error(errors.join('; ')); }
  await close();
  await checkLossCurve(file, eng, `${lab} ${query.split('&').slice(0, 4).join('&')}`);
}

/**
 * Engine options no lab exposes yet, exported through the same script generator: a spec with
 * `data.train_size` (a 60-example training set next to the same validation set, statistics from
 * the 60), trained in the page's engine and run in PyTorch.
 */
const API_CASES = {
  train_size: { label: 'engine API data.train_size=60 (moons, validation_split 0.2)', file: 'nn-api-train-size.py', nTrain: 60, pattern: /TRAIN_SIZE = 60/,
    spec: { layer_sizes: [2, 12, 12, 1], activation: 'tanh', loss: 'bce_with_logits', init: 'xavier_normal', optimizer: { name: 'adam', lr: 0.01 }, batch_size: 16, seed: 5,
      data: { name: 'moons', n: 300, noise: 0.15, seed: 2, validation_split: 0.2, train_size: 60, normalize: true } } },
  // The masks come from the engine's generator: the loss curve agrees only if every mask does.
  dropout_batch: { label: 'engine API dropout 0.5 + input dropout 0.2, one mask per mini-batch (moons)', file: 'nn-api-dropout-batch.py', nTrain: 240, pattern: /PER_BATCH_MASK = True/,
    spec: { layer_sizes: [2, 32, 32, 2], activation: 'relu', loss: 'cross_entropy', init: 'xavier_normal', optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, batch_size: 16, seed: 3,
      dropout: 0.5, input_dropout: 0.2, dropout_granularity: 'batch', data: { name: 'moons', n: 300, noise: 0.15, seed: 2, validation_split: 0.2 } } },
  dropout_example: { label: 'engine API dropout 0.3 + input dropout 0.1, one mask per example (moons)', file: 'nn-api-dropout-example.py', nTrain: 240, pattern: /PER_BATCH_MASK = False/,
    spec: { layer_sizes: [2, 32, 32, 2], activation: 'relu', loss: 'cross_entropy', init: 'xavier_normal', optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, batch_size: 16, seed: 4,
      dropout: 0.3, input_dropout: 0.1, data: { name: 'moons', n: 300, noise: 0.15, seed: 2, validation_split: 0.2 } } },
};

/** The dropout lab: Play, then its script of the first dropout run, run in PyTorch, mask for mask. */
async function dropoutCase(browser, query, label) {
  const { page, errors, close } = await open(browser, 'dropout', query);
  await page.click('#play');
  await page.waitForFunction(() => window.__lab.runs.every((r) => r.done), null, { timeout: 300000 });
  const file = await download(page, `dropout${query.replace(/[^a-z0-9]+/gi, '-')}`);
  const eng = await page.evaluate(() => { const r = window.__lab.runs.find((x) => x.drop && x.seed === window.__lab.S.values.seed); return { losses: Array.from(r.result.losses), start: 0, diverged: r.result.diverged_at_step, steps: r.result.steps, nTrain: r.record[0] && window.__lab.S.values.train }; });
  if (errors.length) { await close(); throw new Error(errors.join('; ')); }
  await close();
  const src = fs.readFileSync(file, 'utf8');
  assert(/SPLIT_SEED = 0/.test(src) && /TRAIN_SIZE = \d+/.test(src), 'the script keeps the lab\'s split and training subset');
  await checkLossCurve(file, eng, label);
}

/**
 * The batch-normalization lab: Play, then the scripts of the first pair's two runs (with and
 * without batch norm), run in PyTorch. The per-step training losses test the batch-mode
 * arithmetic; the final training loss is evaluated in model.eval(), i.e. with the running
 * statistics, so it tests the momentum and their start (torch's 0/1, the lecture's first batch,
 * momentum=None) — short runs, where the start still weighs.
 */
const bnEval = {};
async function batchnormCase(browser, query, label) {
  const { page, errors, close } = await open(browser, 'batchnorm', query);
  await page.click('#play');
  await page.waitForFunction(() => window.__lab.runs.every((r) => r.done), null, { timeout: 300000 });
  const files = { bn: await download(page, `batchnorm-bn${query.replace(/[^a-z0-9]+/gi, '-')}`, '#exp-py'), plain: await download(page, `batchnorm-plain${query.replace(/[^a-z0-9]+/gi, '-')}`, '#exp-py-plain') };
  const eng = await page.evaluate(() => Object.fromEntries([true, false].map((bn) => { const r = window.__lab.runs.find((x) => x.bn === bn && x.seed === window.__lab.S.values.seed); return [bn ? 'bn' : 'plain', { losses: Array.from(r.result.losses), start: 0, diverged: r.result.diverged_at_step, steps: r.result.steps, train_loss: r.result.final.train_loss }]; })));
  if (errors.length) { await close(); throw new Error(errors.join('; ')); }
  await close();
  const src = fs.readFileSync(files.bn, 'utf8');
  const after = query.includes('place=after');
  const order = /layers\.append\(activation\(\)\)\n\s+layers\.append\(nn\.BatchNorm1d/.test(src);
  assert(/SCALE = 0\.0625/.test(src) && /nn\.Sigmoid\(\)/.test(src) && /BatchNorm1d\(LAYER_SIZES\[l\]/.test(src) && order === after, `the script scales the pixels and puts BatchNorm1d ${after ? 'after' : 'before'} each sigmoid`);
  assert(!/layers\.append\((nn\.BatchNorm1d|FirstBatchNorm1d)/.test(fs.readFileSync(files.plain, 'utf8')), 'the plain script has no batch norm layer');
  for (const k of ['bn', 'plain']) {
    const out = await checkLossCurve(files[k], eng[k], `${label}, ${k}`);
    const d = Math.abs(out.train_loss - eng[k].train_loss) / eng[k].train_loss;
    // How far rounding alone moves torch's own value (float64, reversed rows): a plain N(0, 1)
    // sigmoid net amplifies rounding; the engine may differ by 10 × that, and no more.
    const spread = Math.max(0, ...Object.values(out.rounding_variants || {}).map((v) => Math.abs(v.train_loss - out.train_loss) / out.train_loss));
    report.push(`${label}, ${k}: training loss in model.eval() after ${eng[k].steps} steps: engine ${eng[k].train_loss.toPrecision(7)}, torch ${out.train_loss.toPrecision(7)} (relative ${d.toExponential(1)}; rounding alone moves torch by ${spread.toExponential(1)})`);
    assert(d <= Math.max(1e-4, 10 * spread), `model.eval() training loss ${out.train_loss} in torch, ${eng[k].train_loss} in the engine (rounding spread ${spread.toExponential(1)})`);
    if (k === 'bn') bnEval[label] = eng[k].train_loss;
  }
}

/**
 * The input normalization lab: its script repeats the four runs (raw, centred, scaled,
 * standardized) in float64 from the lab's own split; every loss to 1e-9 relative, every parameter
 * to 1e-9 of its step's parameter vector (a small component of a diverging run is only known to
 * the rounding of the large ones), and the same divergence step.
 */
async function normalizationCase(browser, query) {
  const { page, errors, close } = await open(browser, 'normalization', query);
  await page.waitForFunction(() => window.__lab.P && Object.keys(window.__lab.P.runs).length === 4, null, { timeout: 60000 });
  const file = await download(page, `normalization${query.replace(/[^a-z0-9]+/gi, '-')}`);
  const eng = await page.evaluate(() => Object.fromEntries(Object.entries(window.__lab.P.runs).map(([t, r]) => [t, { loss: Array.from(r.loss), params: Array.from(r.params), diverged: r.diverged_at_step }])));
  if (errors.length) { await close(); throw new Error(errors.join('; ')); }
  await close();
  const { out } = await runScript(file, ['--rounding-check']);
  const bad = [];
  for (const [t, e] of Object.entries(eng)) {
    const o = out[t];
    if (!o) { bad.push(`${t}: not in the script's output`); continue; }
    // How far rounding alone moves this run in torch (lr one ulp larger): a chaotic run (RMSprop
    // bouncing between saturated sigmoids) may differ by that much, times 10, and no more.
    let spread = 0;
    for (let k = 0; k < Math.min(o.loss.length, o.ulp_loss.length); k++) spread = Math.max(spread, Math.abs(o.loss[k] - o.ulp_loss[k]) / Math.max(Math.abs(o.loss[k]), 1e-3));
    if (o.loss.length !== e.loss.length && spread < 1e-6) bad.push(`${t}: ${o.loss.length - 1} finite steps in torch, ${e.loss.length - 1} in the engine (diverged at ${e.diverged})`);
    let worst = 0;
    for (let k = 0; k < Math.min(o.loss.length, e.loss.length); k++) {
      worst = Math.max(worst, Math.abs(o.loss[k] - e.loss[k]) / Math.max(Math.abs(e.loss[k]), 1e-3));
      const q = e.params.slice(3 * k, 3 * k + 3), scale = Math.max(1e-3, ...q.map(Math.abs));
      for (let j = 0; j < 3; j++) worst = Math.max(worst, Math.abs(o.params[k][j] - q[j]) / scale);
    }
    report.push(`normalization ${query || '(default)'}: ${t}: ${e.loss.length - 1} steps${e.diverged != null ? ` (diverged at step ${e.diverged})` : ''}, largest relative difference ${worst.toExponential(1)}${spread > 1e-9 ? `; chaotic: lr one ulp larger moves torch's own loss by ${spread.toExponential(1)}` : ''}`);
    if (!(worst <= Math.max(1e-9, 10 * spread))) bad.push(`${t}: differs from torch by ${worst.toExponential(2)} (bound max(1e-9, 10 × the one-ulp spread ${spread.toExponential(1)}))`);
  }
  assert(!bad.length, () => bad.join('\n'));
}

async function apiCase(browser, c) {
  const { page, errors, close } = await open(browser, 'vanishing', '?preset=relu-he&steps=10');
  const r = await page.evaluate(async ({ spec, title }) => {
    const E = await (await import('./js/shared/engine.js')).loadEngine();
    const T = await import('./js/shared/torch-nn.js');
    const t = new E.Trainer(spec);
    const snap = T.snapshotForExport(t, spec);
    const ds = snap.dataset;
    const initialParams = snap.initialParams;
    const nTrain = t.trainLabels().length;
    t.step(100);
    const ev = t.evaluate();
    const src = T.networkScript(spec, { title, data: { kind: 'points', inputs: ds.inputs, labels: ds.labels, dim: ds.dim }, initialParams, steps: 100, report: 'gradnorms',
      expected: { losses: T.lossCurve(t), diverged_at_step: t.diverged_at_step ?? null, steps: t.steps, train_loss: ev.train_loss, train_errors: ev.train_errors } });
    const eng = { losses: Array.from(t.lossHistory()), start: t.historyStart, diverged: t.diverged_at_step ?? null, steps: t.steps, nTrain };
    t.free();
    return { src, eng };
  }, { spec: c.spec, title: c.label });
  if (errors.length) { await close(); throw new Error(errors.join('; ')); }
  await close();
  assert(r.eng.nTrain === c.nTrain, `the engine's training split has ${r.eng.nTrain} examples`);
  assert(c.pattern.test(r.src), `the script says ${c.pattern.source}`);
  const file = path.join(OUT, c.file);
  fs.writeFileSync(file, r.src);
  await checkLossCurve(file, r.eng, c.label);
}

/** Run a network script in PyTorch and hold its loss curve to the engine's (see the file header). */
async function checkLossCurve(file, eng, label) {
  const { out } = await runScript(file, ['--rounding-check']);
  const k = Math.min(100, eng.losses.length, out.losses.length);
  const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(a), 1e-12);
  const variants = Object.values(out.rounding_variants || {});
  let worst100 = 0, worstAll = 0, at = -1, spread = 0, over = null;
  for (let i = 0; i < Math.min(eng.losses.length, out.losses.length); i++) {
    const d = rel(out.losses[i], eng.losses[i]);
    for (const v of variants) if (i < v.losses.length) spread = Math.max(spread, rel(out.losses[i], v.losses[i]));
    if (i < 100 && d > worst100) { worst100 = d; at = i + 1; }
    if (i < 100 && !over && d > Math.max(1e-4, 10 * spread)) over = { i: i + 1, d, spread };
    worstAll = Math.max(worstAll, d);
  }
  let spread100 = 0;
  for (const v of variants) for (let i = 0; i < Math.min(100, v.losses.length, out.losses.length); i++) spread100 = Math.max(spread100, rel(out.losses[i], v.losses[i]));
  report.push(`${label}: ${eng.steps} steps${eng.diverged ? `, diverged at ${eng.diverged}` : ''}; loss relative difference engine vs torch: first ${k} steps ${worst100.toExponential(1)}${at > 0 ? ` (worst at step ${at})` : ''}, all ${Math.min(eng.losses.length, out.losses.length)} ${worstAll.toExponential(1)}; rounding alone (torch float64, another summation order) moves torch by ${spread100.toExponential(1)} in the first ${k} steps`);
  assert(eng.start === 0, 'the loss history starts at step 1');
  assert(out.diverged_at_step === eng.diverged, `diverged at ${out.diverged_at_step} in torch, ${eng.diverged} in the engine`);
  assert(out.losses.length === eng.losses.length, `${out.losses.length} steps in torch, ${eng.losses.length} in the engine`);
  assert(k > 0 || eng.diverged === 1, 'no steps to compare');
  assert(!over, () => `the loss differs by ${over.d.toExponential(2)} at step ${over.i}, beyond max(1e-4, 10 × rounding spread ${over.spread.toExponential(1)})`);
  return out;
}

async function reluCase(browser, preset) {
  const { page, errors, close } = await open(browser, 'relu', `?preset=${preset}&speed=1000000`);
  await page.click('#play');
  await page.waitForFunction(() => !window.__lab.playing && window.__lab.racers.length, null, { timeout: 300000 });
  await sleep(200);
  const file = await download(page, `relu-${preset}`);
  const eng = await page.evaluate(() => Object.fromEntries(window.__lab.racers.map((r) => [r.act, { errors: r.errors.slice(), reached: r.reached ?? null, n: r.n }])));
  if (errors.length) { await close(); throw new Error(errors.join('; ')); }
  await close();
  const { out } = await runScript(file, ['--rounding-check']);
  const bad = [];
  for (const [act, e] of Object.entries(eng)) {
    const t = out.runs[act];
    if (!t) { bad.push(`${act}: not in the script's output`); continue; }
    const k = Math.min(e.errors.length, t.errors.length);
    const diff = Math.max(0, ...e.errors.slice(0, k).map((v, i) => Math.abs(v - t.errors[i])));
    // What rounding alone does to torch's own race (float64, another summation order).
    const vs = Object.values(out.rounding_variants || {}).map((v) => v.runs[act]).filter(Boolean);
    const vDiff = Math.max(0, ...vs.flatMap((v) => v.errors.slice(0, k).map((x, i) => Math.abs(x - t.errors[i]))));
    const vReach = Math.max(0, ...vs.map((v) => (v.reached == null || t.reached == null ? (v.reached === t.reached ? 0 : Infinity) : Math.abs(v.reached - t.reached))));
    report.push(`relu ${preset} ${act}: ${k} epochs compared, error rates differ by at most ${(diff * e.n).toFixed(0)} of ${e.n} samples (rounding alone moves torch by ${(vDiff * e.n).toFixed(0)}); epochs to the threshold: engine ${e.reached == null ? '—' : e.reached.toFixed(3)}, torch ${t.reached == null ? '—' : t.reached.toFixed(3)}${vReach > 0 ? ` (rounding alone: ±${vReach === Infinity ? 'reached or not' : vReach.toFixed(3)})` : ''}`);
    if (diff * e.n > Math.max(2.5, 10 * vDiff * e.n)) bad.push(`${act}: error rates differ by ${(diff * e.n).toFixed(1)} samples (rounding alone: ${(vDiff * e.n).toFixed(1)})`);
    const dr = (e.reached == null) !== (t.reached == null) ? Infinity : e.reached == null ? 0 : Math.abs(e.reached - t.reached);
    if (dr > Math.max(0.02, 10 * vReach)) bad.push(`${act}: reached the threshold after ${e.reached} epochs in the engine, ${t.reached} in torch (rounding alone: ${vReach})`);
  }
  assert(!bad.length, () => bad.join('\n'));
}

async function main() {
  if (!fs.existsSync(PY)) { console.log(`FAIL PyTorch not found at ${PY} (./build.sh test installs it)`); process.exit(1); }
  await ensureServer();
  const browser = await launch();
  try {
    // ONLY=optimizer|vanishing|initialization|relu runs one lab's cases.
    const only = (lab) => !process.env.ONLY || process.env.ONLY === lab;
    for (const [name, q] of OPT_CASES.filter(() => only('optimizer'))) await test(`optimizer lab exports (${name}): every racer's script runs in PyTorch and follows the engine's whole path to 1e-9`, () => optimizerCase(browser, name, q));
    for (const [lab, q, part] of NN_CASES.filter(([l]) => only(l))) await test(`${lab} export (${q.split('&')[0]}${part ? ', deep part' : ''}): the script reproduces the playground's loss curve (≤ 1e-4 over the first 100 steps)`, () => networkCase(browser, lab, q, part));
    for (const p of RELU_CASES.filter(() => only('relu'))) await test(`relu export (${p}): the race script reproduces the error rates and epochs to the threshold`, () => reluCase(browser, p));
    if (only('dropout')) await test('dropout export (per example, input dropout 0.2, hidden 0.5, 200 images): the script draws the lab\'s masks and reproduces the first dropout run\'s loss curve', () => dropoutCase(browser, '?steps=100&seeds=1', 'dropout lab, per example, 100 steps'));
    if (only('dropout')) await test('dropout export (one mask per mini-batch): the script reproduces the loss curve', () => dropoutCase(browser, '?preset=per-batch&steps=100&seeds=1&train=120', 'dropout lab, per mini-batch, 100 steps'));
    const BN_CASES = [['?steps=30&seeds=1&every=10', 'batchnorm lab, running statistics as torch, 30 steps'], ['?steps=30&seeds=1&every=10&running=lecture', 'batchnorm lab, the lecture\'s first-batch start, 30 steps'], ['?steps=30&seeds=1&every=10&running=cumulative', 'batchnorm lab, momentum=None, 30 steps'], ['?steps=30&seeds=1&every=10&delta=0.5&sigma=1&lr=0.6', 'batchnorm lab, δ 0.5, N(0, 1), 30 steps'], ['?steps=30&seeds=1&every=10&place=after', 'batchnorm lab, batch norm after each sigmoid, 30 steps']];
    for (const [q, label] of BN_CASES) if (only('batchnorm')) await test(`batchnorm export (${q}): both scripts repeat the pair's loss curves, and model.eval() with the running statistics`, () => batchnormCase(browser, q, label));
    if (only('batchnorm')) await test('batchnorm export: the running-statistics options change what model.eval() sees (so the check above can fail)', () => {
      const v = Object.values(bnEval);
      assert(v.length === BN_CASES.length, 'every case ran');
      for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) assert(Math.abs(v[i] - v[j]) > 1e-3 * v[i], `cases ${i} and ${j}: ${v[i]} vs ${v[j]}`);
    });
    for (const q of ['', '?preset=past-bound', '?preset=adam&stats=all', '?preset=slide&opt=rmsprop&lr.mode=common&lr=0.01&momentum=0', '?preset=slide&momentum=0.9&lr.mode=common&lr=1e-6']) if (only('normalization')) await test(`normalization export (${q || 'default'}): the script repeats the four runs in PyTorch float64 to 1e-9, divergence step included`, () => normalizationCase(browser, q));
    if (only('api')) await test('engine API export (data.train_size): the script keeps the same 60 training examples and reproduces the loss curve (≤ 1e-4 over 100 steps)', () => apiCase(browser, API_CASES.train_size));
    if (only('api')) await test('engine API export (dropout, one mask per mini-batch, input dropout): the script draws the same masks and reproduces the loss curve', () => apiCase(browser, API_CASES.dropout_batch));
    if (only('api')) await test('engine API export (dropout, one mask per example, input dropout): the script draws the same masks and reproduces the loss curve', () => apiCase(browser, API_CASES.dropout_example));
  } finally {
    await browser.close();
  }
  for (const l of report) console.log(`     ${l}`);
  fs.writeFileSync(path.join(ART, 'exports-report.txt'), report.join('\n') + '\n');
  finish();
}

main();
