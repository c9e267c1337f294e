// Unit tests of the embed protocol's `set` check (www/js/shared/embed.js checkState): a host's
// partial state is read with the lab's URL table, as a link is — all or nothing, every bad field
// named — and of the SCORM pieces that need no LMS (www/js/shared/scorm.js).
// Run: node --test tests/js/
import test from 'node:test';
import assert from 'node:assert/strict';
import { checkState } from '../../www/js/shared/embed.js';
import { scormTime, findScormApi } from '../../www/js/shared/scorm.js';
import { readState, HOST_ENTRY } from '../../www/js/shared/state.js';
import { DEFAULTS, buildTable } from '../../www/js/optimizer/url-table.js';
import { PRESET_IDS } from '../../www/js/optimizer/presets.js';
import { META, fakeCheck } from './helpers.mjs';

const table = buildTable(META, PRESET_IDS, { ...DEFAULTS }, fakeCheck);
const values = readState(table, '').values;

test('a good partial state: parsed values of the keys given, and the query of the whole state', () => {
  const r = checkState(table, values, { steps: 40, 'o1.lr': '0.05', equal: true, view: [-2, 2, -1, 1] });
  assert.equal(r.errors, undefined);
  assert.deepEqual(r.changes, { steps: 40, 'o1.lr': 0.05, equal: true, view: [-2, 2, -1, 1] });
  assert.match(r.query, /steps=40/);
  assert.match(r.query, /o1\.lr=0\.05/);
});

test('null puts a setting back to its default', () => {
  const r = checkState(table, { ...values, steps: 40 }, { steps: null });
  assert.equal(r.changes.steps, values.steps);
});

test('every bad field is named, with what is allowed, and nothing is changed', () => {
  const r = checkState(table, values, { steps: 'many', 'o1.lr': -1, speed: 1e9, f: 'moon', ok: 1 });
  assert.equal(r.changes, undefined);
  const fields = r.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['ok']); // unknown keys are refused first
  const r2 = checkState(table, values, { steps: 'many', 'o1.lr': -1, speed: 1e9, f: 'moon' });
  assert.deepEqual(r2.errors.map((e) => e.field).sort(), ['f', 'o1.lr', 'speed', 'steps']);
  const steps = r2.errors.find((e) => e.field === 'steps');
  assert.match(steps.message, /^steps: “many”/);
  assert.match(steps.message, /Allowed: .*1.*20000/);
  assert.match(r2.errors.find((e) => e.field === 'f').message, /rosenbrock/);
});

test('hostile shapes are refused without throwing', () => {
  for (const bad of [null, 'steps=3', 42, [1, 2], true]) assert.match(checkState(table, values, bad).errors[0].message, /object/);
  assert.equal(checkState(table, values, { steps: { n: 3 } }).errors[0].field, 'steps');
  assert.equal(checkState(table, values, { steps: [[1]] }).errors[0].field, 'steps');
  const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, 1]));
  assert.match(checkState(table, values, many).errors[0].message, /200/);
  assert.equal(checkState(table, values, { __proto__: null, steps: 'x'.repeat(5000) }).errors[0].field, 'steps');
  assert.equal(checkState(table, values, { expr: '<script>alert(1)</script>' }).errors?.[0]?.field, 'expr');
});

test('host= is an origin, nothing else', () => {
  for (const ok of ['', 'https://course.example.org', 'http://127.0.0.1:8081', 'null']) assert.equal(HOST_ENTRY.validate(ok), null, ok);
  for (const bad of ['https://course.example.org/path', 'javascript:alert(1)', '*', 'https://a b', 'ftp://x.org']) assert.notEqual(HOST_ENTRY.validate(bad), null, bad);
});

test('SCORM 1.2 time spans and the API search', () => {
  assert.equal(scormTime(0), '0000:00:00.00');
  assert.equal(scormTime(3723450), '0001:02:03.45');
  assert.equal(scormTime(-5), '0000:00:00.00');
  const API = { LMSInitialize: () => 'true' };
  const top = { API, parent: null };
  top.parent = top;
  const mid = { parent: top };
  const leaf = { parent: mid, opener: null };
  assert.equal(findScormApi(leaf), API);
  assert.equal(findScormApi({ parent: null, opener: { API, parent: null } }), API);
  let deep = top;
  for (let i = 0; i < 9; i++) deep = { parent: deep };
  assert.equal(findScormApi(deep), null); // the standard gives up after 7 levels
});
