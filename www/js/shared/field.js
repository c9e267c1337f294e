// The 2-D figures' frame, ticks and axis names — the landscape figure, the loss slices, the
// decision boundaries — drawn by the engine's chart code (src/chart/field.rs `draw_field`) over
// the heatmap and paths the figure painted, and the whole figure as SVG (`fieldSvg`: the heatmap
// embedded as the PNG of its canvas, the paths and marks as vectors, the colour bar).
import { engineFor, errorMessage } from './engine.js';
import { chartTheme, color } from './xychart.js';

/**
 * What a figure `fig` (css, view, margin, axisNames, tickPx, fontSize) shows, as the engine's
 * `FieldSpec`; `extra` adds paths, marks, the colour bar, the image, a title or a message.
 */
export function fieldSpec(fig, extra = {}) {
  const [xLabel, yLabel] = fig.axisNames || ['x', 'y'];
  return {
    width: Math.max(32, Math.round(fig.css.w)), height: Math.max(32, Math.round(fig.css.h)),
    view: fig.view.slice(), margin: fig.margin, xLabel, yLabel,
    tickPx: fig.tickPx || [90, 60], fontSize: fig.fontSize || 12,
    paths: [], marks: [], theme: chartTheme(fig.canvas), ...extra,
  };
}

/**
 * Draw `fig`'s frame, ticks and names over its canvas; false while the page's engine is still
 * loading (the figure redraws when it is in) or when it failed (said on the canvas).
 */
export function drawFieldAxes(fig, extra = {}) {
  const G = engineFor(fig, (e) => failed(fig, e));
  if (!G) return false;
  try { fig.axesRect = Array.from(G.drawField(fig.canvas, fieldSpec(fig, extra), fig.dpr)); return true; } catch (e) { failed(fig, e); return false; }
}

function failed(fig, e) {
  const { ctx, dpr } = fig;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.font = '12px system-ui, sans-serif'; ctx.textAlign = 'center'; ctx.textBaseline = 'bottom';
  ctx.fillStyle = getComputedStyle(fig.canvas).getPropertyValue('--fg').trim() || '#222';
  ctx.fillText(`The axes could not be drawn: ${errorMessage(e)}`, fig.css.w / 2, fig.css.h - 2, fig.css.w - 16);
}

/** A canvas's pixels as the PNG data URL the SVG embeds (null when it has none). */
function pngOf(canvas) {
  return canvas && canvas.width > 0 && canvas.height > 0 ? canvas.toDataURL('image/png') : null;
}

/**
 * A figure's SVG export spec (`fieldSvg`): `extra` (title, paths, marks, message) over the heatmap
 * `image` ({canvas, view}: its canvas's PNG, placed at the view it was rendered for; no view: the
 * figure's), with the colour bar of `heat` ({range: [lo, hi] or null, scale, cmap, levels, label}).
 */
export function fieldSvgSpec(fig, extra, image = null, heat = null) {
  const png = image ? pngOf(image.canvas) : null;
  const colorbar = heat?.range ? { lo: heat.range[0], hi: heat.range[1], log: heat.scale === 'log', cmap: heat.cmap, levels: heat.levels, label: heat.label } : undefined;
  return { kind: 'field', ...fieldSpec(fig, { ...extra, colorbar }), ...(png ? { image: png, imageView: image.view?.slice() } : {}) };
}

/** A path of the SVG export: world points x0, y0, x1, y1, … (any array-like) in a colour. */
export function fieldPath(xy, c, o = {}) {
  return { xy: Array.from(xy, Number), color: color(c), width: o.width, halo: o.halo || '', dash: o.dash ? [...o.dash] : [], dots: !!o.dots };
}

/** A marked point of the SVG export. */
export function fieldMark(x, y, shape, c, o = {}) {
  return { x, y, shape, color: color(c), size: o.size, label: o.label || '' };
}
