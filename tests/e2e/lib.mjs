// Shared pieces of the browser tests: the server, the browser, a page that records console errors,
// page errors and long tasks from its first script on, and a tiny test runner that prints one line
// per test and "N passed, M failed".
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(ROOT, '.tools/package.json'));
export const { chromium } = require('playwright-core');
export const BASE = (process.env.BASE_URL || 'http://127.0.0.1:8080/').replace(/\/?$/, '/');
export const ART = path.join(ROOT, 'tests/e2e/artifacts');
fs.mkdirSync(ART, { recursive: true });

export const LAPTOP = { viewport: { width: 1280, height: 800 }, dpr: 1 };
export const PHONE = { viewport: { width: 390, height: 844 }, dpr: 3, touch: true, mobile: true };

let server = null;
async function reachable() { try { return (await fetch(BASE + 'index.html')).ok; } catch { return false; } }
export async function ensureServer() {
  if (await reachable()) return;
  const u = new URL(BASE);
  server = spawn('python3', ['-m', 'http.server', u.port || '80', '--bind', u.hostname, '-d', path.join(ROOT, 'www')], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !(await reachable()); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await reachable())) throw new Error(`could not start a server at ${BASE}`);
}
export function stopServer() { server?.kill(); }

export async function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

const results = [];
export async function test(name, fn) {
  // GREP=<text>: run only the tests whose name contains it (local iteration; CI runs all).
  if (process.env.GREP && !name.includes(process.env.GREP)) return;
  const t0 = Date.now();
  try { await fn(); results.push([name, null]); console.log(`ok   ${name} (${Date.now() - t0} ms)`); }
  catch (e) { results.push([name, e]); console.log(`FAIL ${name}: ${String(e.message).split('\n').slice(0, 6).join('\n     ')}`); }
}
export function assert(c, msg) { if (!c) throw new Error(typeof msg === 'function' ? msg() : msg); }
/** Print the summary and exit non-zero on any failure. */
export function finish() {
  const failed = results.filter(([, e]) => e);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  stopServer();
  process.exit(failed.length ? 1 : 0);
}

/**
 * Open `lab`.html?query in a fresh context. opts: viewport, dpr, touch, mobile, dark, wait (selector,
 * default body.ready). Returns {page, errors, context}.
 */
export async function open(browser, lab, query = '', opts = {}) {
  const context = await browser.newContext({
    viewport: opts.viewport || LAPTOP.viewport, deviceScaleFactor: opts.dpr || 1, colorScheme: opts.dark ? 'dark' : 'light',
    acceptDownloads: true, hasTouch: !!opts.touch, isMobile: !!opts.mobile,
  });
  if (opts.init) await context.addInitScript(opts.init);
  if (opts.requests) context.on('request', (r) => opts.requests.push(r.url())); // (the workers' too)
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('dialog', async (d) => { errors.push(`dialog: ${d.message()}`); await d.dismiss(); });
  await page.goto(`${BASE}${lab}${lab.endsWith('.html') ? '' : '.html'}${query}`);
  if (opts.wait !== false) await page.waitForSelector(opts.wait || 'body.ready', { timeout: opts.timeout || 20000 });
  const close = () => context.close();
  return { page, errors, context, close };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const shot = (page, name, full = false) => page.screenshot({ path: path.join(ART, `${name}.png`), fullPage: full });
