// Shared helpers for the node unit tests (node --test tests/js/).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useDataLandscapes } from '../../www/js/shared/datasets.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WWW = path.join(ROOT, 'www');

/** Engine metadata captured from the engine (tests/js/fixtures/engine-meta.json). */
export const META = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/js/fixtures/engine-meta.json'), 'utf8'));
// (the data landscapes' table of the page, shared/datasets.js, filled from the same metadata)
useDataLandscapes(META.landscapes);

/** The real engine loaded in node (initSync on the wasm bytes), or null when www/pkg is not built. */
export async function loadEngineOrNull() {
  const js = path.join(WWW, 'pkg/optplay.js');
  if (!fs.existsSync(js)) return null;
  const E = await import(js);
  E.initSync({ module: fs.readFileSync(path.join(WWW, 'pkg/optplay_bg.wasm')) });
  // (the page's modules that print with the engine — the exports — find it where a page has it)
  const { useEngine } = await import(path.join(WWW, 'js/shared/engine.js'));
  useEngine(E);
  return E;
}

/** A stand-in for E.checkExpression: accepts the characters and balanced parentheses only. */
export function fakeCheck(src) {
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '(') depth++;
    if (src[i] === ')' && --depth < 0) return { message: "unmatched ')'", position: i };
  }
  return depth ? { message: "missing ')'", position: src.length } : null;
}

/** Per-layer {W, b} of the right shapes for layer_sizes (deterministic values), for script tests. */
export function fakeParams(sizes) {
  const out = [];
  for (let l = 1; l < sizes.length; l++) {
    out.push({ W: Array.from({ length: sizes[l] }, (_, r) => Array.from({ length: sizes[l - 1] }, (_, c) => ((r * 7 + c * 3 + l) % 11) / 100 - 0.05)), b: Array.from({ length: sizes[l] }, (_, r) => (r % 3) / 100) });
  }
  return out;
}
