// Export buttons of the optimizer lab: PNG of the figure (with a legend strip), CSV / JSON of the
// paths and losses, and a runnable PyTorch script for the selected racer (shared/export.js).
import { pytorchScript, toCSV, toJSON } from '../shared/export.js';
import { download, announce } from '../shared/shell.js';
import { drawMarker } from '../shared/palette.js';
import { errorMessage } from '../shared/engine.js';
import { isDataLandscape } from '../shared/datasets.js';

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

/** Copies of the racers' buffers (export time only, never per frame). */
function snapshot(lab) {
  return lab.racers.filter((r) => r.run).map((r) => ({
    label: r.label, optimizer: r.name, spec: r.spec,
    points: r.run.points().slice(), values: r.run.values().slice(), lrs: r.run.lrs().slice(),
    diverged_at_step: r.run.diverged_at_step ?? null, diverged_reason: r.run.diverged_reason ?? null,
  }));
}

export function exportPNG({ lab }) {
  const src = lab.plot.canvas, dpr = lab.plot.dpr;
  const strip = Math.round(28 * dpr) * Math.ceil(lab.racers.length / 3);
  const out = document.createElement('canvas');
  out.width = src.width; out.height = src.height + strip + Math.round(8 * dpr);
  const ctx = out.getContext('2d');
  const bg = getComputedStyle(document.body).getPropertyValue('--bg').trim() || '#fff';
  const fg = getComputedStyle(document.body).getPropertyValue('--fg').trim() || '#000';
  ctx.fillStyle = bg; ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(src, 0, 0);
  ctx.scale(dpr, dpr);
  ctx.font = '13px system-ui, sans-serif'; ctx.textBaseline = 'middle';
  const colW = src.width / dpr / 3;
  lab.racers.forEach((r, k) => {
    const x = 60 + (k % 3) * colW * 0.95, y = src.height / dpr + 16 + Math.floor(k / 3) * 28;
    drawMarker(ctx, r.shape, x, y, 6, r.color, fg, 1);
    ctx.fillStyle = fg;
    const n = r.run ? r.run.len - 1 : 0;
    ctx.fillText(`${r.label}${r.run?.diverged_at_step != null ? ` (diverged at ${r.run.diverged_at_step})` : ` · ${n} steps`}`, x + 12, y);
  });
  out.toBlob((b) => { if (b) { download(`optimizer-lab-${stamp()}.png`, b, 'image/png'); announce('PNG saved.'); } }, 'image/png');
}

export function exportCSV({ lab }) {
  download(`optimizer-lab-${stamp()}.csv`, toCSV(snapshot(lab)), 'text/csv');
  announce('CSV saved.');
}

export function exportJSON({ lab, shareUrl }) {
  const experiment = { url: shareUrl, landscape: lab.racers[0]?.spec.landscape ?? null, start: [lab.values.x0, lab.values.y0], steps: lab.values.steps };
  download(`optimizer-lab-${stamp()}.json`, toJSON(experiment, snapshot(lab)), 'application/json');
  announce('JSON saved.');
}

/** F(x, y) of a landscape spec as torch source, printed by the engine's own formula. */
function torchOf(E, spec) {
  const L = new E.Landscape(spec);
  try { return L.torch(); } finally { L.free(); }
}

export async function exportPython({ lab, selected }) {
  if (!selected) { announce('No racer to export.'); return; }
  try {
    // The expected numbers: the full run of this racer (same spec), computed by the engine.
    const t = lab.E.trajectory(selected.spec);
    const expected = { points: Array.from(t.points), values: Array.from(t.values), lrs: t.lrs ? Array.from(t.lrs) : [], diverged_at_step: t.diverged_at_step ?? null };
    // A data landscape's script embeds the data set the engine fits (E.landscapeData).
    const land = selected.spec.landscape;
    const torch = typeof land === 'string' && isDataLandscape(land) ? undefined : torchOf(lab.E, land);
    const src = pytorchScript(selected.spec, { expected, torch, title: `${selected.label} — optimizer lab` });
    const name = `optimizer-lab-${selected.name}-${stamp()}.py`;
    download(name, src, 'text/x-python');
    announce(`PyTorch script for ${selected.label} saved.`);
  } catch (e) {
    announce(`Export failed: ${errorMessage(e)}`);
  }
}
