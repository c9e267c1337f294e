// A network diagram (the deeplearning.ai initialization demo's): units in columns, one edge per
// weight, coloured by sign (blue > 0, orange < 0; Okabe–Ito) and thickened by magnitude — of the
// weights or, toggled, of their gradients. Reads the engine's flat parameter / gradient views with
// its layout ([W offset, W length, b offset, b length] per Dense layer, W[out][in] row-major).
// Very wide layers are drawn with their first units only (a "+k more" note says so).
import { HiDpiCanvas } from './hidpi.js';

export const POS = '#0072B2', NEG = '#D55E00';
const MAX_UNITS = 16;

export class NetDiagram extends HiDpiCanvas {
  constructor(canvas, o = {}) {
    super(canvas, 300, 200);
    this.o = { activation: 'relu', outputLabel: 'σ', ...o };
    this.sizes = [2, 1];
    this.values = null; this.layout = null; this.mode = 'weights';
    this.scale = 0;
    this.observeSize();
  }
  set({ sizes, values, layout, mode, activation }) {
    if (sizes) this.sizes = sizes;
    if (values) this.values = values;
    if (layout) this.layout = layout;
    if (mode && mode !== this.mode) { this.mode = mode; this.scale = 0; }
    if (activation) this.o.activation = activation;
    this.requestDraw();
  }
  draw() {
    const { ctx, dpr } = this, { w, h } = this.css;
    const st = getComputedStyle(this.canvas);
    const fg = st.getPropertyValue('--fg').trim() || '#222';
    const bg = st.getPropertyValue('--bg').trim() || '#fff';
    const muted = st.getPropertyValue('--muted').trim() || '#777';
    // Nothing changed (the same parameter array, sizes, mode, size and theme): the canvas stands.
    const key = [this.values, this.sizes.join('-'), this.layout, this.mode, this.o.activation, w, h, dpr, fg, bg];
    if (this.drawn && key.every((v, i) => v === this.drawn[i])) return;
    this.drawn = key;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const S = this.sizes, L = S.length;
    const shown = S.map((n) => Math.min(n, MAX_UNITS));
    const padX = 34, padY = 22;
    const colX = (l) => padX + ((w - 2 * padX) * l) / Math.max(1, L - 1);
    const maxShown = Math.max(...shown);
    const rad = Math.max(4, Math.min(13, (h - 2 * padY) / (maxShown * 2.6)));
    const unitY = (l, i) => { const n = shown[l]; const span = Math.min(h - 2 * padY, n * rad * 3.2); return h / 2 - span / 2 + (n === 1 ? span / 2 : (span * i) / (n - 1)); };
    const v = this.values, lay = this.layout;
    // Scale: the largest |value| (weights or gradients), smoothed so that thickness is comparable over time.
    let m = 0;
    if (v && lay) for (let l = 0; l < L - 1; l++) { const o = lay[4 * l], n = lay[4 * l + 1]; for (let k = 0; k < n; k++) { const a = Math.abs(v[o + k]); if (a > m && Number.isFinite(a)) m = a; } }
    this.scale = m;
    this.maxAbs = m;
    for (let l = 0; l < L - 1; l++) {
      const nin = S[l], wo = lay ? lay[4 * l] : 0;
      for (let j = 0; j < shown[l + 1]; j++) for (let i = 0; i < shown[l]; i++) {
        const val = v && lay ? v[wo + j * nin + i] : 0;
        const a = m > 0 && Number.isFinite(val) ? Math.abs(val) / m : 0;
        ctx.strokeStyle = !Number.isFinite(val) ? muted : val >= 0 ? POS : NEG;
        ctx.globalAlpha = a > 0 ? 0.25 + 0.75 * Math.sqrt(a) : 0.35;
        ctx.lineWidth = a > 0 ? 0.6 + 5.5 * Math.sqrt(a) : 0.5;
        if (a === 0) ctx.setLineDash([2, 3]);
        ctx.beginPath(); ctx.moveTo(colX(l), unitY(l, i)); ctx.lineTo(colX(l + 1), unitY(l + 1, j)); ctx.stroke();
        ctx.setLineDash([]);
      }
    }
    ctx.globalAlpha = 1;
    ctx.font = '11px system-ui, sans-serif'; ctx.textAlign = 'center';
    for (let l = 0; l < L; l++) {
      for (let i = 0; i < shown[l]; i++) {
        const x = colX(l), y = unitY(l, i);
        let fill = bg;
        if (l > 0 && v && lay) {
          const b = v[lay[4 * (l - 1) + 2] + i];
          const a = m > 0 && Number.isFinite(b) ? Math.min(1, Math.abs(b) / m) : 0;
          fill = a > 0.02 ? mix(bg, b >= 0 ? POS : NEG, 0.15 + 0.6 * Math.sqrt(a)) : bg;
        }
        ctx.beginPath(); ctx.arc(x, y, rad, 0, Math.PI * 2); ctx.fillStyle = fill; ctx.fill();
        ctx.lineWidth = 1.2; ctx.strokeStyle = fg; ctx.stroke();
      }
      if (S[l] > shown[l]) { ctx.fillStyle = muted; ctx.textBaseline = 'top'; ctx.fillText(`+${S[l] - shown[l]} more`, colX(l), h - padY + 6); }
      ctx.fillStyle = muted; ctx.textBaseline = 'bottom';
      const cap = l === 0 ? `input (${S[l]})` : l === L - 1 ? `output (${S[l]})` : `${this.o.activation} (${S[l]})`;
      ctx.fillText(cap, colX(l), Math.max(12, unitY(l, 0) - rad - 3));
    }
  }
}

function hex(c) { const m = /^#?([0-9a-f]{6})$/i.exec(c.trim()); if (!m) return null; const n = parseInt(m[1], 16); return [n >> 16, (n >> 8) & 255, n & 255]; }
function mix(a, b, t) {
  const A = hex(a) || [255, 255, 255], B = hex(b) || [0, 0, 0];
  return `rgb(${A.map((x, i) => Math.round(x + (B[i] - x) * t)).join(',')})`;
}
