// The embed vocabulary of every lab, generated from the labs' own URL tables (what README.md's
// "Embedding" table must say; tests/js/embed-docs.test.mjs checks it). Print it with
//   node tests/tools/embed-vocabulary.mjs
import { HIDEABLE as OPT, EMBED_EXTRAS as OPT_X } from '../../www/js/optimizer/url-table.js';
import { HIDEABLE as VAN, EMBED_EXTRAS as VAN_X } from '../../www/js/nn/vanishing-config.js';
import { HIDEABLE as INI, EMBED_EXTRAS as INI_X } from '../../www/js/nn/initialization-config.js';
import { HIDEABLE as REL, EMBED_EXTRAS as REL_X } from '../../www/js/nn/relu-config.js';
import { HIDEABLE as DRO, EMBED_EXTRAS as DRO_X } from '../../www/js/nn/dropout-config.js';
import { HIDEABLE as NOR, EMBED_EXTRAS as NOR_X } from '../../www/js/nn/normalization-config.js';
import { HIDEABLE as BN, EMBED_EXTRAS as BN_X } from '../../www/js/nn/batchnorm-config.js';
import { fileURLToPath } from 'node:url';

export const LABS = [
  ['optimizer.html', OPT, OPT_X], ['vanishing.html', VAN, VAN_X], ['initialization.html', INI, INI_X], ['relu.html', REL, REL_X], ['dropout.html', DRO, DRO_X], ['normalization.html', NOR, NOR_X], ['batchnorm.html', BN, BN_X],
];

/** The Markdown table: one row per lab, its parts, and the parts embed=1 hides unless show= names them. */
export function vocabularyTable() {
  const rows = ['| lab | parts for `hide=` and `show=` | hidden by `embed=1` unless in `show=` |', '|---|---|---|'];
  for (const [lab, all, extras] of LABS) rows.push(`| \`${lab}\` | ${all.map((p) => `\`${p}\``).join(', ')} | ${extras.map((p) => `\`${p}\``).join(', ')} |`);
  return rows.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(vocabularyTable());
