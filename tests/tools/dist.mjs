// ./build.sh dist: the playground for a course, in three forms (README "Use it in a course").
//   dist/site/                 the static multi-file site (www/ as served, without the benchmark page)
//   dist/offline/<lab>.html    one self-contained file per lab, and index.html (the start page) and
//                              playground.html (every lab in one file): the lab's modules and the
//                              engine worker bundled by esbuild, js/shared/assets.js swapped for
//                              assets-offline.js, which serves the worker (a Blob URL), the engine's
//                              wasm (base64) and the data sets from one inlined JSON block; styles
//                              inlined; a strict CSP of hashes (no request at all) — works from file://
//   dist/scorm/<lab>.zip       a SCORM 1.2 package per lab: imsmanifest.xml and the single-file lab,
//                              launched on the lab's first lesson (js/shared/scorm.js reports to the LMS)
// Prints every file's size. Run after the engine is built (www/pkg).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WWW = path.join(ROOT, 'www');
const OUT = path.resolve(process.argv[2] || path.join(ROOT, 'dist'));
const require = createRequire(path.join(ROOT, '.tools/package.json'));
const esbuild = require('esbuild');
const { LABS } = await import(pathToFileURL(path.join(WWW, 'js/mount.js')));
const { zipFiles } = await import(pathToFileURL(path.join(WWW, 'js/shared/zip.js')));

const read = (f) => fs.readFileSync(path.join(WWW, f), 'utf8');
const sha = (text) => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const kib = (n) => `${(n / 1024).toFixed(0).padStart(6)} KiB`;

if (!fs.existsSync(path.join(WWW, 'pkg/optplay_bg.wasm'))) throw new Error('www/pkg/ is missing: build the engine first (./build.sh build)');

// ---- the multi-file site ----
const SITE = path.join(OUT, 'site');
fs.rmSync(OUT, { recursive: true, force: true });
fs.cpSync(WWW, SITE, { recursive: true, filter: (src) => !/(^|[\\/])(bench\.html|bench\.js)$/.test(src) });

// ---- bundles ----
// The offline modules in place of the site's: assets-offline.js for assets.js, and the engine's
// glue of the page's family (pkg/<family>/optplay.js, the full pkg/optplay.js for 'full') for the
// one assets-offline.js imports.
// (the families' files: js/shared/assets.js's table, as the site loads them)
const { BUILDS } = await import(pathToFileURL(path.join(WWW, 'js/shared/assets.js')));
const GLUE = Object.fromEntries(Object.entries(BUILDS).map(([f, b]) => [f, `pkg/${b.glue}`]));
const offline = (family) => ({
  name: 'offline-assets',
  setup(b) {
    b.onResolve({ filter: /(^|\/)assets\.js$/ }, (a) => {
      const p = path.resolve(a.resolveDir, a.path);
      return p === path.join(WWW, 'js/shared/assets.js') ? { path: path.join(WWW, 'js/shared/assets-offline.js') } : null;
    });
    b.onResolve({ filter: /(^|\/)pkg\/optplay\.js$/ }, (a) => {
      const p = path.resolve(a.resolveDir, a.path);
      return p === path.join(WWW, 'pkg/optplay.js') ? { path: path.join(WWW, GLUE[family]) } : null;
    });
  },
});
async function bundle(entry, family, format = 'esm') {
  if (!Object.hasOwn(GLUE, family)) throw new Error(`no engine build for the family ${family}`);
  const r = await esbuild.build({
    entryPoints: [path.join(WWW, entry)], bundle: true, format, platform: 'browser', target: 'es2022',
    minify: true, legalComments: 'none', write: false, logLevel: 'warning', external: ['node:*'], plugins: [offline(family)],
    // (the wasm glue's default path, unused: the page hands the worker a compiled module)
    logOverride: { 'empty-import-meta': 'silent' },
  });
  // Safe inside <script>: no "</script" or "<!--" can end or change the element.
  return r.outputFiles[0].text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--').trimEnd();
}

// A classic script (assets-offline.js: file:// pages get no module worker from a blob: URL).
// The data sets, for the network labs (the optimizer lab's data landscapes are compiled into its engine).
const data = Object.fromEntries(fs.readdirSync(path.join(WWW, 'data')).filter((f) => f.endsWith('.csv')).map((f) => [f, read(`data/${f}`)]));
const b64 = (f) => fs.readFileSync(path.join(WWW, f)).toString('base64');
// A lab's file inlines its family's engine (<meta name="optplay-engine">, as js/shared/assets.js
// loads it on the site) and a worker bundled with that engine's glue; playground.html, which
// holds every lab, the full engine.
const assetsCache = {};
const assetsFor = async (family) => (assetsCache[family] ??= `<script type="application/json" id="optplay-assets">${JSON.stringify({ worker: await bundle('js/worker/engine-worker.js', family, 'iife'), wasm: { simd128: b64(`pkg/${BUILDS[family].simd128}`) }, data: family === 'landscapes' ? {} : data }).replace(/</g, '\\u003c')}</script>`);
const familyOf = (page) => (read(page).match(/<meta name="optplay-engine" content="([\w-]+)">/) || [, 'full'])[1];

/** A page of www/ as one file: styles and its module inlined, the CSP made of their hashes. */
async function singleFile(page, { withAssets, extraScripts = [], head = '', info = {}, family = familyOf(page), assets } = {}) {
  assets ??= withAssets ? await assetsFor(family) : '';
  let html = read(page);
  const scripts = [], styles = [];
  html = html.replace(/<script src="js\/file-notice\.js" defer><\/script>\n?/, '');
  html = html.replace(/<link rel="stylesheet" href="(css\/[\w-]+\.css)">/g, (_, f) => { const css = read(f).trim(); styles.push(css); return `<style>${css}</style>`; });
  const m = html.match(/<script type="module" src="(js\/[\w-]+\.js)"><\/script>/);
  if (!m) throw new Error(`${page}: no module script`);
  const code = await bundle(m[1], family);
  scripts.push(code, ...extraScripts);

  html = html.replace(m[0], () => `${head}${withAssets ? assets : ''}<script type="module">${code}</script>`);
  info.scripts = scripts;
  info.styles = styles;
  const csp = [
    "default-src 'none'", `script-src ${scripts.map(sha).join(' ')} 'wasm-unsafe-eval'`, `style-src ${styles.map(sha).join(' ')}`,
    "img-src data: blob:", "worker-src blob:", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
  ].join('; ');
  html = html.replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, () => `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
  if (!html.includes(csp)) throw new Error(`${page}: no CSP meta to replace`);
  if (/\b(src|href)="(?!data:|#|https?:|mailto:|[\w-]+\.html)/.test(html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, ''))) {
    throw new Error(`${page}: a reference to a file that is not inlined`);
  }
  return html;
}

const OFF = path.join(OUT, 'offline');
fs.mkdirSync(OFF, { recursive: true });
const sizes = [];
const put = (file, text) => { fs.mkdirSync(path.dirname(file), { recursive: true }); fs.writeFileSync(file, text); sizes.push([path.relative(OUT, file), fs.statSync(file).size]); };
const pages = {};
for (const lab of LABS) {
  pages[lab] = await singleFile(`${lab}.html`, { withAssets: true });
  put(path.join(OFF, `${lab}.html`), pages[lab]);
}
put(path.join(OFF, 'index.html'), await singleFile('index.html'));

// ---- the whole playground in one file ----
// playground.html holds every page (the start page and each lab, as above) and writes the one its
// address names over itself: playground.html?preset=valley#optimizer is optimizer.html?preset=valley
// (the labs keep the hash when they write their settings into the query). A small script in each
// page turns its links to other pages (optimizer.html?…, index.html) into such addresses.
function linker(pages) {
  addEventListener('click', (e) => {
    const a = e.target.closest?.('a[href]');
    if (!a || e.defaultPrevented || e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const m = a.getAttribute('href').match(/^([\w-]+)\.html(\?[^#]*)?$/);
    if (!m) return;
    e.preventDefault();
    const page = m[1] === 'index' ? '' : m[1];
    const search = m[2] || '';
    const same = search === location.search;
    location.href = `${location.pathname}${search}${page ? `#${page}` : ''}`;
    if (same && page) location.reload(); // only the hash changed: no new document by itself
  });
  // Another page by its hash alone (not a skip link to a part of this page).
  addEventListener('hashchange', () => { if (location.hash === '' || pages.includes(location.hash.slice(1))) location.reload(); });
}
function boot() {
  const pages = JSON.parse(document.getElementById('optplay-pages').textContent);
  const name = location.hash.slice(1);
  const html = pages[Object.hasOwn(pages, name) && name !== 'index' ? name : 'index'].replace('<!--optplay-assets-->', () => document.getElementById('optplay-assets').outerHTML);
  // (after `load` and a turn: written from DOMContentLoaded, the module scripts of the network
  // labs' pages never ran in Chromium)
  addEventListener('load', () => setTimeout(() => { document.open(); document.write(html); document.close(); }, 0));
  addEventListener('hashchange', () => location.reload());
}
const LINKER = `(${linker})(${JSON.stringify(['index', ...LABS])});`;
const together = { scripts: [LINKER], styles: [] };
const all = {};
for (const page of ['index', ...LABS]) {
  const info = {};
  all[page] = await singleFile(`${page}.html`, { withAssets: page !== 'index', family: 'full', assets: '<!--optplay-assets-->', extraScripts: [LINKER], head: `<script>${LINKER}</script>`, info });
  together.scripts.push(...info.scripts);
  together.styles.push(...info.styles);
}
const BOOT = `(${boot})();`;
const pagesJson = JSON.stringify(all).replace(/</g, '\\u003c');
const bootCsp = [
  "default-src 'none'", `script-src ${[BOOT, ...new Set(together.scripts)].map(sha).join(' ')} 'wasm-unsafe-eval'`, `style-src ${[...new Set(together.styles)].map(sha).join(' ')}`,
  "img-src data: blob:", "worker-src blob:", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
].join('; ');
put(path.join(OFF, 'playground.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${bootCsp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Learning as Optimization — the playground</title>
${await assetsFor('full')}
<script type="application/json" id="optplay-pages">${pagesJson}</script>
<script>${BOOT}</script>
</head><body></body></html>
`);

// ---- SCORM 1.2 packages ----
const xml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
// The lesson each package opens: the scene of the lab's iframe example in the README.
export const LESSONS = { optimizer: 'valley', vanishing: 'sigmoid-deep', initialization: 'too-small', relu: 'krizhevsky', dropout: 'overfitting', normalization: 'four-views', batchnorm: 'paper' };
const home = read('index.html');
for (const lab of LABS) {
  if (!home.includes(`href="${lab}.html?preset=${LESSONS[lab]}"`)) throw new Error(`${lab}: the start page has no scene ${LESSONS[lab]} for its SCORM package`);
}
const titleOf = (html) => (html.match(/<title>([^<]*)<\/title>/) || [, 'Lab'])[1];
export function manifest(lab, title, lesson) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="optplay-${lab}" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>${xml(title)}</title>
      <item identifier="item" identifierref="lab" isvisible="true" parameters="?lesson=${xml(lesson)}">
        <title>${xml(title)}</title>
        <adlcp:masteryscore>100</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="lab" type="webcontent" adlcp:scormtype="sco" href="${lab}.html">
      <file href="${lab}.html"/>
    </resource>
  </resources>
</manifest>
`;
}
const SCORM = path.join(OUT, 'scorm');
for (const lab of LABS) {
  const files = [{ name: 'imsmanifest.xml', text: manifest(lab, titleOf(pages[lab]), LESSONS[lab]) }, { name: `${lab}.html`, text: pages[lab] }];
  put(path.join(SCORM, `${lab}.zip`), Buffer.from(zipFiles(files)));
}

for (const [f, n] of sizes) console.log(`${kib(n)}  dist/${f}`);
