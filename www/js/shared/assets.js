// Where a lab's own files come from. On the multi-file site: next to these modules (the worker
// script, the engine's wasm builds, the data sets in data/). The offline single-file build
// (tools/dist.mjs) puts js/shared/assets-offline.js in this module's place, which serves the same
// from the copies inlined in the page — so nothing else knows which of the two it runs in.

export const OFFLINE = false;

// The engine's builds per lab family (./build.sh): a lab page names its family in
// <meta name="optplay-engine" content="landscapes|networks"> and downloads that module and its JS
// glue only (the optimizer lab's has no relaxed-SIMD twin: its code has no matrix product); a page
// without one (the benchmark page) gets the full engine, pkg/optplay.js.
const pkg = (f) => new URL(`../../pkg/${f}`, import.meta.url);
export const BUILDS = {
  full: { glue: 'optplay.js', 'relaxed-simd': 'optplay_relaxed_bg.wasm', simd128: 'optplay_bg.wasm' },
  landscapes: { glue: 'landscapes/optplay.js', simd128: 'landscapes/optplay_bg.wasm' },
  networks: { glue: 'networks/optplay.js', 'relaxed-simd': 'networks/optplay_relaxed_bg.wasm', simd128: 'networks/optplay_bg.wasm' },
};

/** This page's engine family (its <meta name="optplay-engine">; 'full' without one). */
export function engineFamily() {
  const name = globalThis.document?.querySelector('meta[name="optplay-engine"]')?.content;
  return Object.hasOwn(BUILDS, name ?? '') ? name : 'full';
}

/** The JS glue of a family's engine (its module namespace; `default` instantiates). */
export function engineGlue(family = engineFamily()) {
  if (!Object.hasOwn(BUILDS, family)) return Promise.reject(new Error(`no engine family ${family}`));
  return import(pkg(BUILDS[family].glue).href);
}

/** The engine-worker script's URL (js/worker/engine-worker.js), a module worker. */
export const workerType = 'module';
export const workerUrl = () => new URL('../worker/engine-worker.js', import.meta.url);

/** One build of this page's engine ('relaxed-simd' or 'simd128'), compiled. */
export function wasmModule(variant) {
  const file = BUILDS[engineFamily()][variant];
  if (!file) return Promise.reject(new Error(`this page's engine has no ${variant} build`));
  const url = pkg(file);
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
