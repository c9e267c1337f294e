// Where a landscape is not finite (www/js/optimizer/finite.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import { finiteReport, finiteMessage, sampleView, judgeView } from '../../www/js/optimizer/finite.js';

const view = [-3, 3, -3, 3];
const judge = (f) => judgeView(sampleView(f, view), 41, view, f);

test('nothing finite: an error naming NaN or overflow', () => {
  assert.match(judge(() => Math.sqrt(-1)).error, /is not a number.*everywhere in this view/);
  assert.match(judge((x) => Infinity * x).error, /not finite.*everywhere/);
  assert.match(judge(() => Infinity).error, /overflows everywhere/);
});

test('a half-plane is named with its edge found by bisection', () => {
  assert.match(judge((x) => Math.sqrt(x)).warning, /for x < 0;/);
  assert.match(judge((x) => Math.exp(Math.exp(Math.exp(x)))).warning, /overflows for x > 1\.88/);
  assert.match(judge((x, y) => Math.log(2 - y)).warning, /for y > 2;/);
});

test('finite everywhere: nothing to say; beyond float32: the map range is named', () => {
  assert.deepEqual(judge((x, y) => x * x + y * y), {});
  assert.match(judge((x) => Math.exp(100 * x)).warning, /3\.4·10³⁸.*x > 0\.887/);
});

test('a scattered region is described by its share and box', () => {
  const g = new Float64Array(9).fill(1);
  g[4] = NaN;
  const r = finiteReport(g, 3, 3, [0, 2, 0, 2]);
  assert.equal(r.finite, 8);
  assert.deepEqual(r.box, { x0: 1, x1: 1, y0: 1, y1: 1 });
  assert.match(finiteMessage(r), /in 11% of this view \(x from 1 to 1, y from 1 to 1\)/);
});
