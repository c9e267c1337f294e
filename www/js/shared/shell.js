// What every lab page shares: theme (auto/light/dark, remembered), embed mode and hidden panels,
// the "copy link" button, and file downloads.

const THEME_KEY = 'optplay-theme';

/** Apply a theme: 'auto' follows prefers-color-scheme. */
export function applyTheme(theme) {
  const t = theme === 'light' || theme === 'dark' ? theme : 'auto';
  document.documentElement.dataset.theme = t;
  const btn = document.getElementById('theme-toggle');
  if (btn) {
    const dark = t === 'dark' || (t === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches);
    btn.textContent = dark ? '☀ light' : '☾ dark';
    btn.setAttribute('aria-label', dark ? 'Switch to the light theme' : 'Switch to the dark theme');
  }
}

/** Wire the theme toggle; `urlTheme` (from the URL) wins over the remembered choice. */
export function initTheme(urlTheme, onChange) {
  let theme = urlTheme && urlTheme !== 'auto' ? urlTheme : (safeGet(THEME_KEY) || 'auto');
  applyTheme(theme);
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => { applyTheme(theme); onChange?.(); });
  document.getElementById('theme-toggle')?.addEventListener('click', () => {
    const dark = document.documentElement.dataset.theme === 'dark' || (document.documentElement.dataset.theme === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches);
    theme = dark ? 'light' : 'dark';
    safeSet(THEME_KEY, theme);
    applyTheme(theme);
    onChange?.();
  });
}
function safeGet(k) { try { return localStorage.getItem(k); } catch { return null; } }
function safeSet(k, v) { try { localStorage.setItem(k, v); } catch { /* private mode */ } }

/**
 * Which parts a page shows. `hide` removes parts ([data-panel=name]) in any mode; `embed=1` (a lab
 * inside a course page) also removes `extras` (settings, notes, …: everything but the figures and
 * their transport) unless `show` names them, and fits the page to its frame (fitToFrame).
 */
export function applyEmbed(embed, hide = [], show = [], extras = []) {
  const off = new Set(hide);
  if (embed) for (const x of extras) if (!show.includes(x)) off.add(x);
  document.body.classList.toggle('embed', !!embed);
  for (const el of document.querySelectorAll('[data-panel]')) el.toggleAttribute('data-off', off.has(el.dataset.panel));
  document.body.classList.toggle('no-controls', off.has('controls'));
  if (embed) {
    // Inside a course page link problems go to the console (the instructor's), not onto the page.
    const note = document.getElementById('url-notice');
    if (note && !note.hidden && note.textContent) console.warn(`optplay: ${note.textContent.replace(/Dismiss$/, '').trim()}`);
    fitToFrame();
  }
  return off;
}

/**
 * In embed mode the page must fit the iframe it sits in (no scrollbars inside a course page): the
 * canvases share the height that is left, each shrunk by the same factor (down to 35 % of its
 * natural height), re-fitted when the frame or the content changes size.
 */
let fitting = false;
export function fitToFrame() {
  if (fitting) return;
  fitting = true;
  const fit = () => {
    const cvs = [...document.querySelectorAll('canvas')].filter((c) => c.offsetParent !== null && !c.closest('.nn-grid'));
    const boxes = cvs.map((c) => c.closest('.figure-wrap') || c);
    for (const b of boxes) { b.style.height = ''; b.style.aspectRatio = ''; b.style.maxHeight = ''; }
    const doc = document.scrollingElement;
    // The natural height (what the lab reports to its host): the figures at their own aspect,
    // without the viewport-relative cap (72vh of a small frame would make it a fixed point).
    for (const b of boxes) b.style.maxHeight = 'none';
    fitNatural = 0;
    fitNatural = naturalHeight();
    for (const b of boxes) b.style.maxHeight = '';
    const natural = boxes.map((b) => b.getBoundingClientRect().height);
    // Canvases side by side shrink the page by less than their sum: shrink, measure, repeat.
    let k = 1;
    for (let i = 0; i < 6; i++) {
      const over = doc.scrollHeight - innerHeight;
      if (over <= 0) return;
      const hs = boxes.map((b) => b.getBoundingClientRect().height), total = hs.reduce((a, b) => a + b, 0);
      if (!total || k <= 0.35) return;
      k = Math.max(0.35, k * Math.max(0.5, (total - over - 2) / total));
      boxes.forEach((b, j) => { b.style.height = `${Math.floor(natural[j] * k)}px`; b.style.aspectRatio = 'auto'; b.style.maxHeight = 'none'; });
    }
  };
  let raf = 0;
  const later = () => { if (!raf) raf = requestAnimationFrame(() => { raf = 0; fit(); }); };
  new ResizeObserver(later).observe(document.documentElement);
  addEventListener('resize', later);
  fit();
}

/** Copy text to the clipboard, falling back to a selectable prompt-free textarea. */
export async function copyText(text) {
  try { await navigator.clipboard.writeText(text); return true; } catch { /* fall through */ }
  const ta = document.createElement('textarea');
  ta.value = text; ta.setAttribute('readonly', ''); ta.style.position = 'fixed'; ta.style.opacity = '0';
  document.body.append(ta); ta.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  ta.remove();
  return ok;
}

/** Trigger a download of `data` (string or Blob) named `name` (or hand it to a `captureDownload`). */
export function download(name, data, type = 'text/plain') {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  if (capturing) { capturing({ name, type: blob.type || type, blob }); return; }
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url; a.download = name; a.rel = 'noopener';
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

let capturing = null;
/**
 * The file that `run()` (an export button's action) downloads, as {name, type, blob}, instead of
 * a download: how a host page (embed API, mount) gets an export. Rejects when nothing came within
 * `ms` (e.g. the lab said why not in its status line).
 */
export function captureDownload(run, ms = 30000) {
  return new Promise((resolve, reject) => {
    const end = (f) => (x) => { clearTimeout(timer); capturing = null; f(x); };
    const timer = setTimeout(end(reject), ms, new Error('the lab exported nothing'));
    capturing = end(resolve);
    try { run(); } catch (e) { end(reject)(e); }
  });
}

/**
 * The height the page needs to show everything without scrolling (the canvases at their natural
 * size, whatever fitToFrame shrank them to): what an embedded lab reports to its host.
 */
export function naturalHeight() {
  if (fitNatural) return fitNatural;
  let bottom = 0;
  for (const el of document.body.children) {
    if (el.hidden || el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue;
    bottom = Math.max(bottom, el.getBoundingClientRect().bottom + scrollY + (parseFloat(getComputedStyle(el).marginBottom) || 0));
  }
  return Math.ceil(bottom);
}
let fitNatural = 0;

/** Polite status message for screen readers and sighted users. */
export function announce(text) {
  const el = document.getElementById('status');
  if (el) { el.textContent = text; }
}

/**
 * The ARIA radio pattern for every [role=radiogroup] of the page: one Tab stop per group (the
 * checked radio, roving tabindex), ←/↑ and →/↓ move the selection (wrapping) and Home/End jump,
 * Space/Enter select; the keys never reach the lab's global shortcuts (→ = step). Selecting
 * clicks the radio, so each lab keeps its own click handler as the one place that changes state.
 */
export function radioGroups(root = document) {
  const radios = (g) => [...g.querySelectorAll('[role="radio"]')].filter((r) => !r.disabled && !r.hidden);
  const rove = () => {
    for (const g of root.querySelectorAll('[role="radiogroup"]')) {
      const rs = radios(g);
      const on = rs.find((r) => r.getAttribute('aria-checked') === 'true') || rs[0];
      for (const r of g.querySelectorAll('[role="radio"]')) r.tabIndex = r === on ? 0 : -1;
    }
  };
  root.addEventListener('keydown', (e) => {
    const r = e.target.closest?.('[role="radio"]');
    const g = r?.closest('[role="radiogroup"]');
    if (!g) return;
    const rs = radios(g), i = rs.indexOf(r);
    let j = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') j = (i + 1) % rs.length;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') j = (i - 1 + rs.length) % rs.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = rs.length - 1;
    else if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); e.stopPropagation(); r.click(); return; }
    else return;
    e.preventDefault();
    e.stopPropagation();
    rs[j].focus();
    rs[j].click();
  }, true);
  // Keep the roving tab stop on the checked radio whatever changed it (a click, a preset, a link),
  // or when radios come and go; a status line's new text is no reason to re-rove every group.
  const isRadio = (n) => n.nodeType === 1 && (n.matches('[role="radio"], [role="radiogroup"]') || !!n.querySelector('[role="radio"]'));
  const relevant = (ms) => ms.some((m) => m.type === 'attributes' || [...m.addedNodes, ...m.removedNodes].some(isRadio));
  new MutationObserver((ms) => { if (relevant(ms)) rove(); }).observe(root.body || root, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-checked'] });
  rove();
}
