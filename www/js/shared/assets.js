// Where a lab's own files come from. On the multi-file site: next to these modules (the worker
// script, the two wasm builds, the data sets in data/). The offline single-file build
// (tools/dist.mjs) puts js/shared/assets-offline.js in this module's place, which serves the same
// from the copies inlined in the page — so nothing else knows which of the two it runs in.

export const OFFLINE = false;

const WASM_URLS = {
  'relaxed-simd': new URL('../../pkg/optplay_relaxed_bg.wasm', import.meta.url),
  simd128: new URL('../../pkg/optplay_bg.wasm', import.meta.url),
};

/** The engine-worker script's URL (js/worker/engine-worker.js), a module worker. */
export const workerType = 'module';
export const workerUrl = () => new URL('../worker/engine-worker.js', import.meta.url);

/** One build of the engine's wasm ('relaxed-simd' or 'simd128'), compiled. */
export function wasmModule(variant) {
  const url = WASM_URLS[variant];
  const bytes = () => fetch(url).then((r) => { if (!r.ok) throw new Error(`could not read ${url.pathname} (${r.status})`); return r.arrayBuffer(); });
  return typeof WebAssembly.compileStreaming === 'function'
    ? WebAssembly.compileStreaming(fetch(url)).catch(() => bytes().then((b) => WebAssembly.compile(b)))
    : bytes().then((b) => WebAssembly.compile(b));
}

/** A bundled data file of www/data/ (text). */
export async function dataText(file) {
  const res = await fetch(`data/${file}`);
  if (!res.ok) throw new Error(`could not read data/${file} (${res.status})`);
  return res.text();
}
