// The pages' seed range is the engine's: one number, checked against the built engine.
import test from 'node:test';
import assert from 'node:assert/strict';
import { SEED_MAX } from '../../www/js/shared/seeds.js';
import { SEED_MAX as NN } from '../../www/js/nn/common.js';
import { SEED_MAX as OPT } from '../../www/js/optimizer/url-table.js';
import { loadEngineOrNull } from './helpers.mjs';

test('SEED_MAX is the engine\'s largest network seed, and every lab uses that one constant', async (t) => {
  assert.equal(NN, SEED_MAX);
  assert.equal(OPT, SEED_MAX);
  const E = await loadEngineOrNull();
  if (!E) { t.skip('engine not built (www/pkg)'); return; }
  assert.equal(E.networkOptions().max_seed, SEED_MAX);
  // The engine takes the largest seed and refuses one more.
  const spec = (seed) => ({ layer_sizes: [2, 3, 1], optimizer: { name: 'sgd', lr: 0.1 }, seed, data: { name: 'moons', n: 20 } });
  new E.Trainer(spec(SEED_MAX)).free();
  assert.throws(() => new E.Trainer(spec(SEED_MAX + 1)), /^Error: seed: /);
});
