// Colour-blind-safe racer colours (Okabe & Ito 2008) and distinct marker shapes, so that racers
// stay distinguishable by shape alone (grey-scale print, colour vision deficiency).

export const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];
export const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'plus', 'star', 'triangle-down'];
export const SHAPE_GLYPH = { circle: '●', square: '■', triangle: '▲', diamond: '◆', cross: '✖', plus: '✚', star: '★', 'triangle-down': '▼' };

export function racerStyle(i) {
  return { color: COLORS[i % COLORS.length], shape: SHAPES[i % SHAPES.length] };
}

/** Draw a marker of `shape` centred at (x, y) with radius r (CSS px already scaled by caller). */
export function drawMarker(ctx, shape, x, y, r, fill, stroke = 'rgba(255,255,255,0.95)', lw = 1.5) {
  ctx.beginPath();
  switch (shape) {
    case 'square': ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7); break;
    case 'triangle': poly(ctx, x, y, r * 1.15, 3, -Math.PI / 2); break;
    case 'triangle-down': poly(ctx, x, y, r * 1.15, 3, Math.PI / 2); break;
    case 'diamond': poly(ctx, x, y, r * 1.2, 4, 0); break;
    case 'star': star(ctx, x, y, r * 1.3, r * 0.55); break;
    case 'cross': plusShape(ctx, x, y, r * 1.1, Math.PI / 4); break;
    case 'plus': plusShape(ctx, x, y, r * 1.1, 0); break;
    default: ctx.arc(x, y, r, 0, Math.PI * 2);
  }
  ctx.closePath();
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = lw;
  ctx.strokeStyle = stroke;
  ctx.stroke();
}

function poly(ctx, x, y, r, n, a0) {
  for (let k = 0; k < n; k++) {
    const a = a0 + (k * 2 * Math.PI) / n;
    ctx[k ? 'lineTo' : 'moveTo'](x + r * Math.cos(a), y + r * Math.sin(a));
  }
}
function star(ctx, x, y, R, r) {
  for (let k = 0; k < 10; k++) {
    const a = -Math.PI / 2 + (k * Math.PI) / 5, q = k % 2 ? r : R;
    ctx[k ? 'lineTo' : 'moveTo'](x + q * Math.cos(a), y + q * Math.sin(a));
  }
}
function plusShape(ctx, x, y, r, rot) {
  const w = r * 0.38;
  const pts = [[w, r], [w, w], [r, w], [r, -w], [w, -w], [w, -r], [-w, -r], [-w, -w], [-r, -w], [-r, w], [-w, w], [-w, r]];
  const c = Math.cos(rot), s = Math.sin(rot);
  pts.forEach(([px, py], k) => ctx[k ? 'lineTo' : 'moveTo'](x + px * c - py * s, y + px * s + py * c));
}
