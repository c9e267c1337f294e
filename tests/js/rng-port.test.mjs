// The exported scripts' Python port of the engine's generator (www/js/shared/py-engine.js) draws
// the engine's streams (tests/data/engine_rng.json, written and checked by tests/rng_port.rs).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { PY_RNG } from '../../www/js/shared/py-engine.js';

const want = JSON.parse(fs.readFileSync(new URL('../data/engine_rng.json', import.meta.url), 'utf8'));

test('EngineRng in Python reproduces the engine: u64, uniform, below, shuffle, derive', (t) => {
  if (spawnSync('python3', ['-c', 'pass']).status !== 0) { t.skip('no python3'); return; }
  const py = `${PY_RNG}
import json, sys
out = []
for c in json.loads(sys.stdin.read()):
    seed = int(c["seed"])
    r = EngineRng(seed) if c["tag"] is None else EngineRng.derive(seed, c["tag"])
    u = [str(r.next_u64()) for _ in range(5)]
    f = [r.uniform() for _ in range(3)]
    b = [r.below(7) for _ in range(5)]
    p = list(range(20))
    r.shuffle(p)
    out.append({"seed": c["seed"], "tag": c["tag"], "u64": u, "uniform": f, "below7": b, "shuffle20": p})
print(json.dumps(out))
`;
  const r = spawnSync('python3', ['-c', py], { input: JSON.stringify(want) });
  assert.equal(r.status, 0, r.stderr.toString());
  assert.deepEqual(JSON.parse(r.stdout.toString()), want);
});
