// Rewrite tests/js/fixtures/engine-meta.json from the built engine (www/pkg) after an intended
// change of the engine's metadata: node tests/js/refresh-fixture.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngineOrNull } from './helpers.mjs';

const E = await loadEngineOrNull();
if (!E) throw new Error('build www/pkg first (./build.sh build)');
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/engine-meta.json');
const meta = { landscapes: E.landscapes(), optimizers: E.optimizers(), schedulers: E.schedulers() };
fs.writeFileSync(out, JSON.stringify(meta, null, 1) + '\n');
console.log(`wrote ${out}`);
