// Presets: named scenes from the lecture and the classic animations, written as partial maps of
// the lab's URL keys (see url-table.js), so a preset is exactly what a shared link would hold.
// A preset whose landscape the engine does not have is not offered (presetValues: null).

const SIX = (lrs) => ({
  o1: 'sgd', 'o1.lr': lrs.sgd,
  o2: 'sgd', 'o2.lr': lrs.mom, 'o2.momentum': 0.9,
  o3: 'sgd', 'o3.lr': lrs.mom, 'o3.momentum': 0.9, 'o3.nesterov': true,
  o4: 'adagrad', 'o4.lr': lrs.adagrad,
  o5: 'adadelta', 'o5.lr': lrs.adadelta ?? 1,
  o6: 'rmsprop', 'o6.lr': lrs.rmsprop,
  o7: 'none', o8: 'none',
});
const FOUR = (lrs) => ({
  o1: 'sgd', 'o1.lr': lrs.sgd,
  o2: 'sgd', 'o2.lr': lrs.mom, 'o2.momentum': 0.9,
  o3: 'rmsprop', 'o3.lr': lrs.rmsprop,
  o4: 'adam', 'o4.lr': lrs.adam,
  o5: 'none', o6: 'none', o7: 'none', o8: 'none',
});

export const PRESETS = [
  {
    id: 'valley', title: 'Long valley (tilted quadratic)',
    note: 'Long thin ellipses: plain SGD zig-zags across the valley and crawls along it; momentum and NAG run along the floor; the adaptive methods rescale each coordinate.',
    values: { f: 'quadratic', 'lp.a': 1, 'lp.b': 40, 'lp.angle': 30, x0: -2.6, y0: -0.4, view: [-3, 3, -2.4, 2.4], steps: 200, speed: 20, ...SIX({ sgd: 0.045, mom: 0.01, adagrad: 0.6, rmsprop: 0.03 }) },
  },
  {
    id: 'beale', title: "Beale's function",
    note: "Beale's function has a flat plateau and steep walls; the minimum is at (3, 0.5). Watch who reaches it and who stalls.",
    values: { f: 'beale', x0: 0.7, y0: 1.4, view: [-0.5, 4, -1.5, 2.5], steps: 400, speed: 40, ...SIX({ sgd: 0.01, mom: 0.002, adagrad: 0.5, rmsprop: 0.01 }) },
  },
  {
    id: 'saddle', title: 'Saddle point',
    note: 'Started almost exactly on the ridge of x² − y²: the gradient along y is tiny, so SGD lingers at the saddle while the adaptive methods, which rescale that small gradient, escape quickly.',
    values: { f: 'saddle', x0: 1.4, y0: 0.001, steps: 80, speed: 10, ...SIX({ sgd: 0.05, mom: 0.01, adagrad: 0.3, rmsprop: 0.02 }) },
  },
  {
    id: 'himmelblau', title: 'Himmelblau (four minima)',
    note: 'Four minima of equal value: where you start decides where you end (the problem of initial values). Click anywhere to start there.',
    values: { f: 'himmelblau', x0: 0, y0: 0, steps: 300, speed: 30, ...FOUR({ sgd: 0.01, mom: 0.002, rmsprop: 0.05, adam: 0.1 }) },
  },
  {
    id: 'styblinski', title: 'Styblinski–Tang',
    note: 'Several local minima; only one of them is global (−78.33 at about (−2.90, −2.90)).',
    values: { f: 'styblinski_tang', x0: 0.3, y0: 0.5, steps: 300, speed: 30, ...FOUR({ sgd: 0.01, mom: 0.002, rmsprop: 0.05, adam: 0.1 }) },
  },
  {
    id: 'rosenbrock', title: 'Rosenbrock',
    note: 'The banana valley: easy to find, hard to follow to the minimum at (1, 1).',
    values: { f: 'rosenbrock', x0: -1.5, y0: 2, steps: 500, speed: 50, ...FOUR({ sgd: 0.001, mom: 0.0005, rmsprop: 0.01, adam: 0.05 }) },
  },
  {
    id: 'goldstein', title: 'Goldstein–Price',
    note: 'Values from 3 to about 10⁶ (log colour scale). From this start SGD and Adam settle in the local minimum f(−0.6, −0.4) = 30, and RMSprop is still creeping into it after 300 steps (f ≈ 49, 0.2 away); momentum carries past it to the global minimum f(0, −1) = 3.',
    values: { f: 'goldstein_price', x0: -1, y0: 0.6, steps: 300, speed: 30, scale: 'log', ...FOUR({ sgd: 1e-5, mom: 5e-6, rmsprop: 0.01, adam: 0.05 }) },
  },
  {
    id: 'distill', title: "Distill: why momentum really works",
    note: 'Goh (2017): on a quadratic with curvatures 1 and 100, gradient descent with step α < 2/100 is slow along the flat direction; momentum β fixes it. With α = (2/(1+10))² and β = (9/11)² it is optimal. (PyTorch SGD: lr = α, momentum = β.)',
    values: {
      f: 'quadratic', 'lp.a': 1, 'lp.b': 100, 'lp.angle': 0, x0: -2.5, y0: 1, view: [-3, 3, -3, 3], steps: 150, speed: 15,
      o1: 'sgd', 'o1.lr': 0.0198, o2: 'sgd', 'o2.lr': 0.0198, 'o2.momentum': 0.9, o3: 'sgd', 'o3.lr': 0.0331, 'o3.momentum': 0.669,
      o4: 'none', o5: 'none', o6: 'none', o7: 'none', o8: 'none', chart: 'log',
    },
  },
  {
    id: 'newton', title: 'Newton on a quadratic',
    note: 'On L = θ·Aθ the Newton step is θ(t) = (1 − η)θ(t−1) whatever the conditioning: with η = 1 one step lands on the minimum. The dashed curve is the local quadratic model.',
    values: {
      f: 'quadratic', 'lp.a': 1, 'lp.b': 10, 'lp.angle': 30, x0: -2.2, y0: 1.6, steps: 40, speed: 4,
      o1: 'newton', 'o1.eta': 1, o2: 'newton', 'o2.eta': 0.5, o3: 'sgd', 'o3.lr': 0.09,
      o4: 'none', o5: 'none', o6: 'none', o7: 'none', o8: 'none', sel: 2,
    },
  },
];

const NONE = (from) => Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].filter((i) => i >= from).map((i) => [`o${i}`, 'none']));

PRESETS.push(
  {
    id: 'minibatch', title: 'Mini-batch noise (iris regression)',
    note: 'Fitting petal width = w·(standardized petal length) + b to 150 iris flowers: the point is (w, b), the surface the full-data mean squared error. Each SGD racer draws mini-batches of B flowers (a fresh shuffle every epoch): B = 1 keeps jittering around the minimum, B = 10 less, B = 50 hardly, the full batch not at all. The 1/t decay (same batches as B = 10) shrinks the jitter with its steps. Untick "standardize x" to fit the raw petal lengths: the round level curves become long thin ellipses and the same lr = 0.1 diverges (try lr = 0.02).',
    values: {
      f: 'iris_petals_standardized', x0: -0.4, y0: 2, view: [-0.7, 2.1, 0.2, 2.3], steps: 400, speed: 40, equal: true, chart: 'log', sel: 2,
      o1: 'sgd', 'o1.lr': 0.1, 'o1.batch_size': 1,
      o2: 'sgd', 'o2.lr': 0.1, 'o2.momentum': 0, 'o2.batch_size': 10,
      o3: 'sgd', 'o3.lr': 0.1, 'o3.batch_size': 50,
      o4: 'sgd', 'o4.lr': 0.1, 'o4.batch_size': 150,
      o5: 'sgd', 'o5.lr': 0.1, 'o5.batch_size': 10, 'o5.sched': 'inverse_time', 'o5.sched.decay': 0.02,
      ...NONE(6),
    },
  },
  {
    id: 'basins', title: 'Initial values: basins on Himmelblau',
    note: 'Every start point is coloured by the minimum that the selected racer (SGD, lr = 0.01, 300 steps) reaches from there: four basins whose borders run along the ridges through the saddles (×). Select Momentum (its "anatomy" button) and the map is recomputed for it: the ball carries over ridges, so starts near a border may end in another minimum.',
    values: {
      f: 'himmelblau', x0: 0.5, y0: -0.5, steps: 300, speed: 30, basins: true, equal: true, chart: 'log', sel: 1,
      o1: 'sgd', 'o1.lr': 0.01, o2: 'sgd', 'o2.lr': 0.002, 'o2.momentum': 0.9, ...NONE(3),
    },
  },
  {
    id: 'basins-camel', title: 'Initial values: basins on the six-hump camel',
    note: 'Six minima, two of them global (f = −1.0316): the coloured map shows which minimum SGD (lr = 0.01, 300 steps) reaches from every start. Click anywhere to race from there; select Adam to see its map.',
    values: {
      f: 'six_hump_camel', x0: -1.2, y0: -1, steps: 300, speed: 30, basins: true, equal: true, chart: 'linear', sel: 1,
      o1: 'sgd', 'o1.lr': 0.01, o2: 'adam', 'o2.lr': 0.05, ...NONE(3),
    },
  },
  {
    id: 'all8', title: 'Eight optimizers on Rosenbrock',
    note: 'SGD, Momentum, NAG, AdaGrad, RMSprop, AdaDelta, Adam and Newton from the same start: none of them is best everywhere (the lecture: effectiveness depends on the problem).',
    values: {
      f: 'rosenbrock', x0: -1.5, y0: 2, steps: 1000, speed: 60,
      o1: 'sgd', 'o1.lr': 0.001, o2: 'sgd', 'o2.lr': 0.0005, 'o2.momentum': 0.9,
      o3: 'sgd', 'o3.lr': 0.0005, 'o3.momentum': 0.9, 'o3.nesterov': true, o4: 'adagrad', 'o4.lr': 0.5,
      o5: 'rmsprop', 'o5.lr': 0.01, o6: 'adadelta', 'o6.lr': 1, o7: 'adam', 'o7.lr': 0.05, o8: 'newton', 'o8.eta': 0.5,
    },
  },
);

export const PRESET_IDS = PRESETS.map((p) => p.id);
export const presetById = (id) => PRESETS.find((p) => p.id === id) || null;

/** A preset's values, or null when the engine has no landscape of its name. */
export function presetValues(p, meta) {
  const v = { ...p.values };
  if (!meta.landscapes.some((l) => l.name === v.f) && v.f !== 'custom') return null;
  return v;
}
