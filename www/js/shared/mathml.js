// A tiny MathML builder (DOM only, no HTML strings, no external fonts): the browser's native
// MathML renderer typesets the lecture's formulas.
const NS = 'http://www.w3.org/1998/Math/MathML';

function node(tag, kids) {
  const e = document.createElementNS(NS, tag);
  for (const k of kids) e.append(typeof k === 'string' ? mo(k) : k);
  return e;
}
function leaf(tag, text, attrs = {}) {
  const e = document.createElementNS(NS, tag);
  e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}
export const mi = (t, a) => leaf('mi', t, a);
export const mn = (t) => leaf('mn', String(t));
export const mo = (t) => leaf('mo', t);
export const mtext = (t) => leaf('mtext', t);
export const row = (...k) => node('mrow', k);
export const sub = (b, s) => node('msub', [b, s]);
export const sup = (b, s) => node('msup', [b, s]);
export const subsup = (b, s, p) => node('msubsup', [b, s, p]);
export const frac = (a, b) => node('mfrac', [a, b]);
export const underover = (b, lo, hi) => node('munderover', [b, lo, hi]);
export const sqrt = (...k) => node('msqrt', k);
export const hat = (b) => { const e = node('mover', [b, mo('^')]); e.setAttribute('accent', 'true'); return e; };
export const paren = (...k) => row(mo('('), ...k, mo(')'));
export const space = () => leaf('mspace', '', { width: '0.6em' });

/** Wrap content in a <math display="block"> element with an accessible label. */
export function math(label, ...k) {
  const m = node('math', [row(...k)]);
  m.setAttribute('display', 'block');
  if (label) m.setAttribute('aria-label', label);
  return m;
}

// Lecture notation building blocks.
export const theta = (t = 't') => row(mi('θ'), paren(mi(t)));
export const thetaPrev = () => row(mi('θ'), paren(mi('t'), mo('−'), mn(1)));
export const eta = (t) => (t ? row(mi('η'), paren(mi(t))) : mi('η'));
export const g = (arg) => (arg ? row(mi('g'), paren(...arg)) : mi('g'));
