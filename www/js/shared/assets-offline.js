// The offline single-file build's assets.js (tools/dist.mjs bundles this module in its place):
// the worker's code, the engine's wasm and the data sets come from one inlined
// <script type="application/json" id="optplay-assets"> of the page — no request at all, so the
// file works from file:// with the network off. Same exports as assets.js.

import * as GLUE from '../../pkg/optplay.js';

export const OFFLINE = true;

/**
 * The engine bundled into this file: tools/dist.mjs points the import above at the glue of the
 * page's family (pkg/<family>/optplay.js; the full one in playground.html), whose wasm is inlined.
 */
export const engineFamily = () => 'bundled';
export const engineGlue = async () => GLUE;

let assets = null;
const all = () => (assets ??= JSON.parse(document.getElementById('optplay-assets').textContent));

let worker = null;
/**
 * A Blob URL of the bundled engine worker, everything inlined: a classic worker, since Chromium
 * refuses a module worker from a blob: URL of a file:// page (it takes a classic one).
 */
export const workerType = 'classic';
export const workerUrl = () => (worker ??= URL.createObjectURL(new Blob([all().worker], { type: 'text/javascript' })));

function bytesOf(b64) {
  const s = atob(b64), out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The inlined build of the engine (only the SIMD128 one is inlined: the relaxed one rejects). */
export function wasmModule(variant) {
  const b64 = all().wasm[variant];
  if (!b64) return Promise.reject(new Error(`the ${variant} build is not in this file`));
  return WebAssembly.compile(bytesOf(b64));
}

/** A data set inlined from www/data/. */
export async function dataText(file) {
  const t = all().data[file];
  if (t == null) throw new Error(`data/${file} is not in this file`);
  return t;
}
