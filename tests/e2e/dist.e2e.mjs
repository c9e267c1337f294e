// Course delivery without a server: the README's `./build.sh dist` snippet, run as written, then
//   - every single-file lab of dist/offline opened from file:// with every request outside file:
//     blocked (and none attempted): it draws, plays, exports (a real download and every export of
//     the embed API), reads its settings from the query and from the hash;
//   - dist/offline/playground.html: the start page, a lab by its address, links between pages;
//   - every SCORM 1.2 package of dist/scorm: unpacked, its manifest checked, launched as an LMS
//     does (the manifest's file and parameters, in a frame of a page with a SCORM API stub, over
//     http with every other request blocked), and reporting completion once the lesson ran to its
//     end (one package run to the end; all of them launched);
//   - a page of the multi-file site opened from file:// says what to do instead.
//
// Run:  node tests/e2e/dist.e2e.mjs   (engine built; server at $BASE_URL or started here)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { ensureServer, launch, test, assert, finish, sleep, shot, ROOT, LAPTOP, PHONE } from './lib.mjs';

const { LABS } = await import(pathToFileURL(path.join(ROOT, 'www/js/mount.js')));
const DIST = path.join(ROOT, 'dist');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const m = readme.match(/<!-- snippet: dist -->\n```sh\n([\s\S]*?)\n```/);
assert(m, 'README.md has no dist snippet');
const t0 = Date.now();
const listing = execFileSync('bash', ['-euo', 'pipefail', '-c', m[1]], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
console.log(`     ./build.sh dist: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
for (const f of [...LABS.map((l) => `${l}.html`), 'index.html', 'playground.html']) assert(listing.includes(f), `the snippet's listing lacks ${f}`);
for (const l of LABS) assert(listing.includes(`${l}.zip`), `the snippet's listing lacks ${l}.zip`);
const fileUrl = (rel) => pathToFileURL(path.join(DIST, rel)).href;

await ensureServer();
const browser = await launch();

/** A context where every request outside file:, data: and blob: is blocked and recorded. */
async function offlineContext(view = LAPTOP, allow = /^(file|data|blob):/) {
  const context = await browser.newContext({ viewport: view.viewport, deviceScaleFactor: view.dpr || 1, isMobile: !!view.mobile, hasTouch: !!view.touch, acceptDownloads: true });
  const blocked = [];
  await context.route((u) => !allow.test(u.href), (r) => { blocked.push(r.request().url()); r.abort(); });
  return { context, blocked };
}
function watch(page) {
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console: ${msg.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}
/** How much of the page's largest canvas is drawn (share of pixels unlike its corner pixel). */
const INKED = `(() => {
  const c = [...document.querySelectorAll('canvas')].filter((c) => c.width * c.height > 0).sort((a, b) => b.width * b.height - a.width * a.height)[0];
  if (!c) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0, k = 0;
  for (let i = 0; i < d.length; i += 4 * 97, k++) if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 24) n++;
  return n / k;
})()`;

await test('every offline lab from file://, network blocked: no request, draws, plays, a real download and every export', async () => {
  const report = [];
  for (const lab of LABS) {
    const { context, blocked } = await offlineContext();
    const page = await context.newPage();
    const errors = watch(page);
    try {
      await page.goto(fileUrl(`offline/${lab}.html`));
      await page.waitForSelector('body.ready', { timeout: 30000 });
      const counter0 = await page.textContent('#counter');
      await page.click('#play');
      await page.waitForFunction((c) => document.getElementById('counter').textContent !== c, counter0, { timeout: 30000 });
      await sleep(1500);
      const ink = await page.evaluate(INKED);
      assert(ink > 0.02, `${lab}: the largest canvas is blank (${(ink * 100).toFixed(1)} % drawn)`);
      await page.evaluate(() => window.__labApi.pause());
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20000 }), page.click('#exp-csv')]);
      // One table as .csv, or several as a .zip of them.
      const got = fs.readFileSync(await download.path()), name = download.suggestedFilename();
      const ok = name.endsWith('.zip') ? got.subarray(0, 2).toString() === 'PK' && got.includes('.csv') : name.endsWith('.csv') && got.toString().split('\n').length > 3;
      assert(ok, `${lab}: the CSV download ${name} (${got.length} bytes)`);
      const files = await page.evaluate(async () => {
        const api = window.__labApi, out = [];
        for (const what of api.exports()) {
          const r = await api.export(what);
          out.push(r.ok ? `${what}:${r.file.name}:${r.file.blob.size}` : `${what}:FAILED ${r.error}`);
        }
        return out;
      });
      for (const f of files) assert(!/FAILED/.test(f) && Number(f.split(':').at(-1)) > 100, `${lab}: export ${f}`);
      assert(files.length >= 4, `${lab}: only ${files.length} exports`);
      if (lab === LABS[0] || lab === 'dropout') await shot(page, `offline-${lab}`);
      assert(!blocked.length, `${lab}: requests outside file: ${blocked.join(', ')}`);
      assert(!errors.length, `${lab}: ${errors.join('\n')}`);
      report.push(`${lab} ${(fs.statSync(path.join(DIST, `offline/${lab}.html`)).size / 1024).toFixed(0)} KiB, ${(ink * 100).toFixed(0)} % inked, ${files.length} exports`);
    } finally { await context.close(); }
  }
  console.log(`     ${report.join('; ')}`);
});

await test('offline URL state: lesson in the query, lesson in the hash (moved into the query), a bad value gets its notice; phone viewport', async () => {
  for (const [rel, lesson] of [['optimizer.html?lesson=beale', 'beale'], ['optimizer.html#lesson=saddle', 'saddle'], ['relu.html#lesson=spiral&theme=dark', 'spiral']]) {
    const { context, blocked } = await offlineContext(PHONE);
    const page = await context.newPage();
    const errors = watch(page);
    try {
      const [file, rest] = rel.split(/(?=[?#])/);
      await page.goto(fileUrl(`offline/${file}`) + rest);
      await page.waitForSelector('body.ready', { timeout: 30000 });
      const got = await page.evaluate(() => ({ lesson: window.__labApi.get().state.lesson, search: location.search, banner: !document.getElementById('lesson-banner').hidden }));
      assert(got.lesson === lesson && got.banner && got.search.includes(`lesson=${lesson}`), `${rel}: ${JSON.stringify(got)}`);
      if (rel.startsWith('relu')) await shot(page, 'offline-relu-phone-dark');
      assert(!blocked.length && !errors.length, `${rel}: ${blocked.concat(errors).join('\n')}`);
    } finally { await context.close(); }
  }
  const { context } = await offlineContext();
  const page = await context.newPage();
  try {
    await page.goto(`${fileUrl('offline/optimizer.html')}?steps=lots`);
    await page.waitForSelector('body.ready', { timeout: 30000 });
    const notice = await page.textContent('#url-notice');
    assert(/steps/.test(notice) && /lots/.test(notice), `notice: ${notice}`);
  } finally { await context.close(); }
});

await test('playground.html: the start page, a lab by its address, links between the pages, from file:// offline', async () => {
  const { context, blocked } = await offlineContext();
  const page = await context.newPage();
  const errors = watch(page);
  try {
    await page.goto(fileUrl('offline/playground.html'));
    await page.waitForSelector('a[href^="dropout.html"]', { timeout: 20000 });
    await shot(page, 'offline-playground-home');
    await page.click('a[href="dropout.html?preset=overfitting"]');
    await page.waitForFunction(() => document.body.classList.contains('ready'), null, { timeout: 30000 });
    let at = await page.evaluate(() => ({ lab: window.__labApi.lab, preset: window.__labApi.get().state.preset, url: location.href }));
    assert(at.lab === 'dropout' && at.preset === 'overfitting' && at.url.endsWith('playground.html?preset=overfitting#dropout'), `after the link: ${JSON.stringify(at)}`);
    await page.click('#play');
    await page.waitForFunction(() => window.__labApi.get().progress.step > 0, null, { timeout: 30000 });
    await page.click('header .brand');
    await page.waitForSelector('a[href^="optimizer.html"]', { timeout: 20000 });
    assert(page.url().endsWith('playground.html'), `the brand link went to ${page.url()}`);
    await page.goto(`${fileUrl('offline/playground.html')}?preset=valley#optimizer`);
    await page.waitForSelector('body.ready', { timeout: 30000 });
    at = await page.evaluate(() => ({ lab: window.__labApi.lab, preset: window.__labApi.get().state.preset }));
    assert(at.lab === 'optimizer' && at.preset === 'valley', `by address: ${JSON.stringify(at)}`);
    // The other lab by a hash change alone.
    await page.evaluate(() => { location.hash = 'batchnorm'; });
    await page.waitForFunction(() => window.__labApi?.lab === 'batchnorm' && document.body.classList.contains('ready'), null, { timeout: 30000 });
    assert(!blocked.length, `requests outside file: ${blocked.join(', ')}`);
    assert(!errors.length, errors.join('\n'));
  } finally { await context.close(); }
});

await test('a page of the multi-file site from file:// says what to do, naming dist/offline', async () => {
  const { context } = await offlineContext();
  const page = await context.newPage();
  try {
    await page.goto(fileUrl('site/dropout.html'));
    const msg = await page.waitForSelector('#fatal:not([hidden])', { timeout: 10000 }).then((e) => e.textContent());
    assert(/dist\/offline/.test(msg) && /http:\/\/127\.0\.0\.1:8080/.test(msg), msg);
    for (const f of ['index.html', 'pkg/optplay_bg.wasm', 'js/mount.js', 'data/digits.csv']) assert(fs.existsSync(path.join(DIST, 'site', f)), `dist/site lacks ${f}`);
    assert(!fs.existsSync(path.join(DIST, 'site/bench.html')), 'dist/site has the benchmark page');
  } finally { await context.close(); }
});

// ---- SCORM 1.2 ----
function unzip(file) {
  const py = `import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
z.extractall(sys.argv[2]); print(json.dumps(z.namelist()))`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optplay-scorm-'));
  const names = JSON.parse(execFileSync('python3', ['-c', py, file, dir], { encoding: 'utf8' }));
  return { dir, names };
}
const LMS_PORT = Number(process.env.LMS_PORT || 8082);
const LMS = `http://127.0.0.1:${LMS_PORT}`;
const STUB = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>LMS</title></head><body>
<script>
  // A minimal SCORM 1.2 run-time: records every call, keeps the data model in a map.
  window.calls = [];
  const data = { 'cmi.core.lesson_status': 'not attempted', 'cmi.suspend_data': '' };
  let open = false;
  window.API = {
    LMSInitialize: (a) => { calls.push(['LMSInitialize', a]); open = true; return 'true'; },
    LMSFinish: (a) => { calls.push(['LMSFinish', a]); open = false; return 'true'; },
    LMSGetValue: (k) => { calls.push(['LMSGetValue', k]); return open ? (data[k] ?? '') : ''; },
    LMSSetValue: (k, v) => { calls.push(['LMSSetValue', k, String(v)]); if (!open) return 'false'; data[k] = String(v); return 'true'; },
    LMSCommit: (a) => { calls.push(['LMSCommit', a]); return open ? 'true' : 'false'; },
    LMSGetLastError: () => '0', LMSGetErrorString: () => 'No error', LMSGetDiagnostic: () => '',
  };
  window.data = data;
  const q = new URLSearchParams(location.search);
  const f = document.createElement('iframe');
  f.title = 'course content';
  f.style.cssText = 'width:1200px;height:760px;border:0';
  f.src = q.get('launch');
  document.body.append(f);
</script></body></html>`;

await test('SCORM 1.2 packages: manifest at the root, one SCO; launched in an LMS stub it reports incomplete, then completed at the lesson’s end, then finishes', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'optplay-lms-'));
  fs.writeFileSync(path.join(root, 'lms.html'), STUB);
  const packages = {};
  for (const lab of LABS) {
    const { dir, names } = unzip(path.join(DIST, `scorm/${lab}.zip`));
    assert(names.includes('imsmanifest.xml') && names.includes(`${lab}.html`) && names.length === 2, `${lab}.zip holds ${names}`);
    fs.renameSync(dir, path.join(root, lab));
    packages[lab] = fs.readFileSync(path.join(root, lab, 'imsmanifest.xml'), 'utf8');
  }
  const server = spawn('python3', ['-m', 'http.server', String(LMS_PORT), '--bind', '127.0.0.1', '-d', root], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 80; i++) { try { if ((await fetch(`${LMS}/lms.html`)).ok) break; } catch { /* not yet */ } await sleep(100); }
    const { context, blocked } = await offlineContext(LAPTOP, new RegExp(`^(data|blob):|^${LMS.replace(/[.]/g, '\\.')}/`));
    const page = await context.newPage();
    const errors = watch(page);
    const launches = {};
    for (const lab of LABS) {
      // The manifest, as an LMS reads it: well-formed, SCORM 1.2, the SCO's file and its parameters.
      const man = await page.evaluate((xml) => {
        const d = new DOMParser().parseFromString(xml, 'application/xml');
        if (d.querySelector('parsererror')) return { error: d.querySelector('parsererror').textContent };
        const item = d.getElementsByTagName('item')[0], res = d.getElementsByTagName('resource')[0];
        return {
          schema: d.getElementsByTagName('schemaversion')[0]?.textContent, ref: item?.getAttribute('identifierref'), params: item?.getAttribute('parameters'),
          id: res?.getAttribute('identifier'), href: res?.getAttribute('href'), type: res?.getAttributeNS('http://www.adlnet.org/xsd/adlcp_rootv1p2', 'scormtype'),
          mastery: d.getElementsByTagNameNS('http://www.adlnet.org/xsd/adlcp_rootv1p2', 'masteryscore')[0]?.textContent,
        };
      }, packages[lab]);
      assert(!man.error && man.schema === '1.2' && man.ref === man.id && man.href === `${lab}.html` && man.type === 'sco' && /^\?lesson=[\w-]+$/.test(man.params), `${lab} manifest: ${JSON.stringify(man)}`);
      launches[lab] = `${lab}/${man.href}${man.params}`;
    }
    // Every package launches and says `incomplete`; the optimizer's lesson is run to its end.
    for (const lab of LABS) {
      await page.goto(`${LMS}/lms.html?launch=${encodeURIComponent(launches[lab])}`);
      const frame = await page.waitForFunction(() => document.querySelector('iframe')?.contentWindow).then(() => page.frames()[1]);
      await frame.waitForSelector('body.ready', { timeout: 30000 });
      await page.waitForFunction(() => window.data['cmi.core.lesson_status'] === 'incomplete', null, { timeout: 5000 });
      if (lab !== 'optimizer') continue;
      await frame.click('#play');
      await page.waitForFunction(() => window.data['cmi.core.lesson_status'] === 'completed', null, { timeout: 60000 });
      // The student changes a setting: it is kept for the next session.
      await frame.evaluate(() => window.__labApi.set({ steps: 250 }));
      await page.waitForFunction(() => /steps=250/.test(window.data['cmi.suspend_data']), null, { timeout: 5000 });
      await shot(page, 'scorm-optimizer');
      // Leaving the lab ends the session: time, exit, LMSFinish.
      await page.evaluate(() => document.querySelector('iframe').remove());
      await page.waitForFunction(() => window.calls.some((c) => c[0] === 'LMSFinish'), null, { timeout: 5000 });
      const calls = await page.evaluate(() => window.calls);
      const names = calls.map((c) => c[0]);
      assert(names[0] === 'LMSInitialize' && names.at(-1) === 'LMSFinish', `calls: ${names.join(', ')}`);
      const time = calls.find((c) => c[1] === 'cmi.core.session_time');
      assert(time && /^\d{4}:\d{2}:\d{2}(\.\d{1,2})?$/.test(time[2]), `session time: ${JSON.stringify(time)}`);
      const order = calls.filter((c) => c[1] === 'cmi.core.lesson_status' && c[0] === 'LMSSetValue').map((c) => c[2]);
      assert(order.join(',') === 'incomplete,completed', `lesson_status set: ${order}`);
      console.log(`     optimizer package: ${calls.length} API calls, lesson_status ${order.join(' → ')}, session ${time[2]}`);
    }
    assert(!blocked.length, `requests outside the package: ${blocked.join(', ')}`);
    assert(!errors.length, errors.join('\n'));
    await context.close();
  } finally { server.kill(); fs.rmSync(root, { recursive: true, force: true }); }
});

await browser.close();
finish();
