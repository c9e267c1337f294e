// A custom figure as a list of primitives (lines, circles, text) in CSS pixels, drawn on a canvas
// — all at once or a slice at a time — and written as SVG for the figure's export: the network
// diagram and the dropout masks, whose layout is not a chart's. One geometry for both.

export class Picture {
  constructor(w, h) { this.w = w; this.h = h; this.items = []; }
  line(x1, y1, x2, y2, { color = '#000', alpha = 1, width = 1, dash = null } = {}) { this.items.push({ k: 'l', x1, y1, x2, y2, color, alpha, width, dash }); }
  circle(x, y, r, { fill = 'none', stroke = null, width = 1, dash = null } = {}) { this.items.push({ k: 'c', x, y, r, fill, stroke, width, dash }); }
  text(x, y, s, { color = '#000', size = 11, align = 'center', baseline = 'bottom' } = {}) { this.items.push({ k: 't', x, y, s, color, size, align, baseline }); }
}

/** Draw items [from, to) of `pic` on a 2-D context already scaled to CSS pixels. */
export function paint(ctx, pic, from = 0, to = pic.items.length) {
  for (let n = from; n < to; n++) {
    const it = pic.items[n];
    ctx.setLineDash(it.dash || []);
    if (it.k === 'l') {
      ctx.globalAlpha = it.alpha; ctx.strokeStyle = it.color; ctx.lineWidth = it.width;
      ctx.beginPath(); ctx.moveTo(it.x1, it.y1); ctx.lineTo(it.x2, it.y2); ctx.stroke();
      ctx.globalAlpha = 1;
    } else if (it.k === 'c') {
      ctx.beginPath(); ctx.arc(it.x, it.y, it.r, 0, Math.PI * 2);
      if (it.fill !== 'none') { ctx.fillStyle = it.fill; ctx.fill(); }
      if (it.stroke) { ctx.lineWidth = it.width; ctx.strokeStyle = it.stroke; ctx.stroke(); }
    } else {
      ctx.font = `${it.size}px system-ui, sans-serif`; ctx.textAlign = it.align; ctx.textBaseline = it.baseline; ctx.fillStyle = it.color;
      ctx.fillText(it.s, it.x, it.y);
    }
  }
  ctx.setLineDash([]);
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v) => (Number.isFinite(v) ? +v.toFixed(2) : 0);
const ANCHOR = { left: 'start', start: 'start', center: 'middle', right: 'end', end: 'end' };
const BASELINE = { top: 'hanging', middle: 'middle', bottom: 'text-after-edge', alphabetic: 'alphabetic' };

/** The picture as an SVG document on `bg`, with an optional title above it. */
export function pictureSvg(pic, { bg = '#fff', fg = '#222', title = '' } = {}) {
  const top = title ? 26 : 0, W = Math.round(pic.w), H = Math.round(pic.h + top);
  const out = [`<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="${esc(bg)}"/>`];
  if (title) out.push(`<text x="10" y="18" font-family="sans-serif" font-size="14" fill="${esc(fg)}">${esc(title)}</text>`);
  out.push(`<g transform="translate(0 ${top})">`);
  for (const it of pic.items) {
    const dash = it.dash?.length ? ` stroke-dasharray="${it.dash.map(num).join(' ')}"` : '';
    if (it.k === 'l') out.push(`<line x1="${num(it.x1)}" y1="${num(it.y1)}" x2="${num(it.x2)}" y2="${num(it.y2)}" stroke="${esc(it.color)}" stroke-opacity="${num(it.alpha)}" stroke-width="${num(it.width)}"${dash}/>`);
    else if (it.k === 'c') out.push(`<circle cx="${num(it.x)}" cy="${num(it.y)}" r="${num(it.r)}" fill="${esc(it.fill)}"${it.stroke ? ` stroke="${esc(it.stroke)}" stroke-width="${num(it.width)}"` : ''}${dash}/>`);
    else out.push(`<text x="${num(it.x)}" y="${num(it.y)}" font-family="sans-serif" font-size="${num(it.size)}" fill="${esc(it.color)}" text-anchor="${ANCHOR[it.align] || 'middle'}" dominant-baseline="${BASELINE[it.baseline] || 'alphabetic'}">${esc(it.s)}</text>`);
  }
  out.push('</g>', '</svg>');
  return out.join('\n') + '\n';
}
