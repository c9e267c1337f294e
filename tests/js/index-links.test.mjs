// The start page links every scene of every lab, once, under its lab.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { PRESET_IDS as O } from '../../www/js/optimizer/presets.js';
import { PRESET_IDS as V } from '../../www/js/nn/vanishing-config.js';
import { PRESET_IDS as I } from '../../www/js/nn/initialization-config.js';
import { PRESET_IDS as R } from '../../www/js/nn/relu-config.js';
import { PRESET_IDS as D } from '../../www/js/nn/dropout-config.js';
import { PRESET_IDS as N } from '../../www/js/nn/normalization-config.js';
import { PRESET_IDS as B } from '../../www/js/nn/batchnorm-config.js';

const html = fs.readFileSync(new URL('../../www/index.html', import.meta.url), 'utf8');

test('index.html links each preset of each lab exactly once', () => {
  let total = 0;
  for (const [lab, ids] of [['optimizer', O], ['vanishing', V], ['initialization', I], ['relu', R], ['dropout', D], ['normalization', N], ['batchnorm', B]]) {
    for (const id of ids) {
      const n = html.split(`href="${lab}.html?preset=${id}"`).length - 1;
      assert.equal(n, 1, `${lab}.html?preset=${id} linked ${n} times`);
    }
    const linked = [...html.matchAll(new RegExp(`href="${lab}\\.html\\?preset=([a-z0-9-]+)"`, 'g'))].map((m) => m[1]);
    for (const id of linked) assert.ok(ids.includes(id), `${lab}: link to unknown preset ${id}`);
    total += ids.length;
  }
  assert.equal(total, 50);
});
