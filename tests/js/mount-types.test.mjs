// The types of js/mount.js (www/js/mount.d.ts), checked by the TypeScript compiler: the README's
// mount snippet and every method and event, typed as a course site would use them; misuse (an
// unknown lab, an unknown event) must fail to compile (the fixture's @ts-expect-error lines).
// Run: node --test tests/js/   (tsc from .tools/, installed by ./build.sh)
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSC = path.join(ROOT, '.tools/node_modules/.bin/tsc');

test('mount.d.ts: the fixture compiles under --strict, and misuse is refused', () => {
  assert.ok(fs.existsSync(TSC), `no TypeScript compiler at ${TSC} (./build.sh installs it)`);
  const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--lib', 'es2022,dom'];
  const fixture = path.join(ROOT, 'tests/js/fixtures/mount-usage.ts');
  execFileSync(TSC, [...args, fixture], { encoding: 'utf8' });
  // The same fixture without its @ts-expect-error markers must fail, naming both misuses.
  fs.mkdirSync(path.join(ROOT, 'target'), { recursive: true });
  const bad = path.join(fs.mkdtempSync(path.join(ROOT, 'target', 'tsc-')), 'mount-misuse.ts');
  fs.writeFileSync(bad, fs.readFileSync(fixture, 'utf8').replace(/^\s*\/\/ @ts-expect-error.*$/gm, '').replace(/\.\.\/\.\.\/\.\.\/www/g, path.relative(path.dirname(bad), path.join(ROOT, 'www')).replace(/\\/g, '/')));
  let out = '';
  try { execFileSync(TSC, [...args, bad], { encoding: 'utf8' }); } catch (e) { out = String(e.stdout); }
  fs.rmSync(path.dirname(bad), { recursive: true, force: true });
  assert.match(out, /"nope"/);
  assert.ok((out.match(/error TS/g) || []).length >= 2, out);
});
