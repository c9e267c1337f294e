// The CSV tables' ZIP (www/js/shared/zip.js) is a valid archive: Python's zipfile reads it back.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { zipFiles, crc32 } from '../../www/js/shared/zip.js';

test('crc32 is the standard CRC-32', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
});

test('zipFiles: Python\'s zipfile lists and reads every table, CRCs checked', (t) => {
  const files = [{ name: 'per_layer.csv', text: '"layer","g"\n1,0.5\n2,0.25\n' }, { name: 'per step (ü).csv', text: '"step"\n' + Array.from({ length: 1000 }, (_, i) => i).join('\n') }];
  const z = zipFiles(files);
  if (spawnSync('python3', ['-c', 'pass']).status !== 0) { t.skip('no python3'); return; }
  const r = spawnSync('python3', ['-c', 'import io, json, sys, zipfile\nz = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))\nassert z.testzip() is None\nprint(json.dumps({n: z.read(n).decode() for n in z.namelist()}))'], { input: Buffer.from(z) });
  assert.equal(r.status, 0, r.stderr.toString());
  const got = JSON.parse(r.stdout.toString());
  assert.deepEqual(Object.keys(got), ['per_layer.csv', 'per_step____.csv']);
  assert.equal(got['per_layer.csv'], files[0].text);
  assert.equal(got['per_step____.csv'], files[1].text);
});
