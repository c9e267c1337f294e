// The "Embed" dialog of every lab: the experiment on screen as a course-page snippet. The teacher
// picks what to show (the lab's `hide=` parts, starting from what embed=1 keeps), whether the
// settings are locked (a lesson), and the size; the dialog writes the iframe snippet and the mount()
// snippet (README "Use it in a course") and previews the iframe at that size, live.
import { copyText, announce } from './shell.js';

const NAV = ['embed', 'hide', 'show', 'host', 'lesson', 'preset'];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Where the playground lives, as a course page would link it (this page's folder). */
const siteBase = () => new URL('.', location.href).href;

/**
 * The snippets for a lab's current experiment. Pure (the tests run it): `query` is the lab's URL
 * query now, `parts` its hideable parts, `extras` those embed=1 hides, `shown` the parts to show,
 * `lock` whether to lock the settings, `width` ('100%' or px), `height` (px), `title`.
 */
export function embedSnippets({ lab, base, query, parts, extras, shown, lock, width, height, title }) {
  const q = new URLSearchParams(query);
  const scene = q.get('lesson') || q.get('preset') || '';
  for (const k of NAV) q.delete(k);
  const out = new URLSearchParams();
  if (scene) out.set(lock ? 'lesson' : 'preset', scene);
  for (const [k, v] of q) out.append(k, v);
  out.set('embed', '1');
  const show = extras.filter((p) => shown.includes(p));
  const hide = parts.filter((p) => !extras.includes(p) && !shown.includes(p));
  if (show.length) out.set('show', show.join(','));
  if (hide.length) out.set('hide', hide.join(','));
  const qs = out.toString().replace(/%2C/g, ',');
  const src = `${base}${lab}.html?${qs}`;
  const w = width === '100%' ? '100%' : `${width}px`;
  const iframe = `<iframe src="${src}"\n  title="${esc(title)}" style="width:${w};height:${height}px;border:0" loading="lazy"></iframe>`;
  const state = {};
  for (const [k, v] of out) if (k !== 'embed') state[k] = v;
  const mount = `<div id="${lab}-lab"></div>\n<script type="module">\n  import { mount } from './mount.js'; // the playground's js/mount.js, copied next to this page\n`
    + `  const lab = await mount(document.getElementById('${lab}-lab'), {\n    lab: '${lab}', base: '${base}', height: ${height},\n`
    + `    state: ${JSON.stringify(state).replace(/","/g, '", "').replace(/":"/g, '": "')},\n  });\n  lab.on('finished', (e) => console.log(e.summary));\n</script>`;
  return { src, iframe, mount, scene };
}

/**
 * Bind the Embed button (next to Copy link) to its dialog. `api` is the lab's exposed controls,
 * `extras` the parts embed=1 hides.
 */
export function bindEmbedDialog(api, extras) {
  // The button is in the page's HTML (next to Copy link), so nothing moves when the lab is ready.
  const btn = document.getElementById('embed-open');
  if (!btn || btn.dataset.bound) return;
  btn.dataset.bound = '1';
  let dlg = null;
  btn.addEventListener('click', () => { dlg ??= build(api, extras, btn); dlg.open(); });
}

/** A part's own heading (what a teacher recognises on the page), if it has one. */
function heading(el) {
  const h = el.matches('h2, h3') ? el : el.querySelector('h2, h3');
  return h ? h.textContent.replace(/\s+/g, ' ').trim().slice(0, 60) : '';
}

function build(api, extras, opener) {
  const parts = [...new Set([...document.querySelectorAll('[data-panel]')].map((e) => e.dataset.panel))];
  const title = document.title.replace(/ · .*$/, '');
  const d = document.createElement('dialog');
  d.id = 'embed-dialog';
  d.className = 'embed-dialog';
  d.setAttribute('aria-labelledby', 'embed-title');
  d.innerHTML = `
    <div class="embed-head"><h2 id="embed-title">Embed this experiment</h2><button type="button" class="small" id="embed-close" aria-label="Close">✕</button></div>
    <p class="muted">For a course page, a slide or an LMS: the iframe shows this experiment as it is now (settings, scene). The lab starts when it scrolls into view and holds its training when it leaves it.</p>
    <div class="embed-body">
      <div class="embed-options">
        <fieldset id="embed-parts"><legend>Show</legend></fieldset>
        <fieldset><legend>Settings</legend>
          <label class="inline"><input type="checkbox" id="embed-lock"> Lock them (a lesson: the student may unlock)</label>
          <p class="hint" id="embed-lock-note"></p>
        </fieldset>
        <fieldset><legend>Size</legend>
          <label class="inline"><input type="checkbox" id="embed-full" checked> Full width of the page</label>
          <div class="embed-size">
            <label for="embed-width">width</label> <input id="embed-width" inputmode="numeric" value="800" size="5" aria-describedby="embed-width-msg" disabled> px
            <label for="embed-height">height</label> <input id="embed-height" inputmode="numeric" size="5" aria-describedby="embed-height-msg"> px
          </div>
          <p class="field-msg" id="embed-width-msg" role="status"></p>
          <p class="field-msg" id="embed-height-msg" role="status"></p>
          <p class="hint" id="embed-height-note">The lab reports its height to a host page (the resize event), so mount() and the snippet of the README follow it.</p>
        </fieldset>
      </div>
      <div class="embed-out">
        <label for="embed-iframe">iframe</label>
        <textarea id="embed-iframe" rows="4" readonly spellcheck="false"></textarea>
        <button type="button" id="embed-copy-iframe">Copy the iframe</button>
        <label for="embed-mount">JavaScript (mount)</label>
        <textarea id="embed-mount" rows="8" readonly spellcheck="false"></textarea>
        <button type="button" id="embed-copy-mount">Copy the mount snippet</button>
      </div>
    </div>
    <h3>Preview <span class="muted" id="embed-preview-size"></span></h3>
    <div class="embed-preview" tabindex="0" role="region" aria-label="Preview at the chosen size"><iframe id="embed-preview" title="Preview of the embedded lab"></iframe></div>`;
  document.body.append(d);
  const $ = (id) => d.querySelector(`#${id}`);
  const box = $('embed-parts');
  for (const p of parts) {
    const el = document.querySelector(`[data-panel="${p}"]`);
    const lbl = document.createElement('label');
    lbl.className = 'inline';
    const cb = document.createElement('input');
    cb.type = 'checkbox';
    cb.value = p;
    cb.checked = !extras.includes(p);
    const h = el ? heading(el) : '';
    lbl.append(cb, ` ${p}`);
    if (h && h.toLowerCase() !== p) { const s = document.createElement('span'); s.className = 'muted'; s.textContent = ` — ${h}`; lbl.append(s); }
    box.append(lbl);
  }
  let measured = null, timer = null, last = null;
  const size = (input, msg, lo, hi) => {
    const t = input.value.trim();
    if (t === '' && input === $('embed-height')) { msg.textContent = ''; input.removeAttribute('aria-invalid'); return null; }
    const n = /^\d{1,5}$/.test(t) ? Number(t) : NaN;
    const ok = n >= lo && n <= hi;
    msg.textContent = ok ? '' : `${input.id === 'embed-width' ? 'width' : 'height'}: “${t.slice(0, 20)}” is not a whole number of pixels from ${lo} to ${hi}; the snippet keeps ${input.id === 'embed-width' ? (last?.width ?? 800) : (last?.height ?? '')} px`;
    if (ok) input.removeAttribute('aria-invalid'); else input.setAttribute('aria-invalid', 'true');
    return ok ? n : undefined;
  };
  function update(refreshPreview = true) {
    const full = $('embed-full').checked;
    $('embed-width').disabled = full;
    const width = full ? '100%' : size($('embed-width'), $('embed-width-msg'), 200, 4000);
    if (full) { $('embed-width-msg').textContent = ''; $('embed-width').removeAttribute('aria-invalid'); }
    let height = size($('embed-height'), $('embed-height-msg'), 150, 6000);
    if (width === undefined || height === undefined) return; // the last good snippet stays
    height ??= measured ?? 600;
    const g = api.get();
    const shown = [...box.querySelectorAll('input:checked')].map((c) => c.value);
    const s = embedSnippets({ lab: api.lab, base: siteBase(), query: g.query, parts, extras, shown, lock: $('embed-lock').checked, width, height, title });
    $('embed-lock').disabled = !s.scene;
    $('embed-lock-note').textContent = s.scene ? `Scene “${s.scene}”${$('embed-lock').checked ? ' as a lesson (lesson=)' : ' (preset=): the student may change everything'}.` : 'Pick a scene first: a lesson locks a scene’s settings.';
    $('embed-iframe').value = s.iframe;
    $('embed-mount').value = s.mount;
    $('embed-height').placeholder = String(measured ?? 600);
    last = { width, height, src: s.src };
    const pv = $('embed-preview');
    pv.style.width = width === '100%' ? '100%' : `${width}px`;
    pv.style.height = `${height}px`;
    $('embed-preview-size').textContent = `(${width === '100%' ? 'full width' : `${width} px`} × ${height} px)`;
    if (refreshPreview && pv.dataset.src !== s.src) {
      clearTimeout(timer);
      timer = setTimeout(() => { pv.dataset.src = s.src; pv.src = s.src; }, 300);
    }
  }
  // The preview's own height report (the embed protocol) fills in the height.
  addEventListener('message', (e) => {
    const pv = $('embed-preview');
    if (e.source !== pv.contentWindow || e.data?.optplay !== 1 || e.data.type !== 'resize' || !(e.data.height > 0)) return;
    const h = Math.min(6000, Math.max(150, Math.ceil(e.data.height)));
    if (h !== measured) { measured = h; if (!$('embed-height').value.trim()) update(false); }
  });
  d.addEventListener('input', () => update());
  d.addEventListener('change', () => update());
  const copyBtn = (id, area, what) => $(id).addEventListener('click', async () => {
    const ok = await copyText($(area).value);
    announce(ok ? `The ${what} snippet is copied.` : `Copying was refused: select the ${what} snippet and copy it.`);
    if (!ok) $(area).select();
  });
  copyBtn('embed-copy-iframe', 'embed-iframe', 'iframe');
  copyBtn('embed-copy-mount', 'embed-mount', 'mount');
  $('embed-close').addEventListener('click', () => d.close());
  d.addEventListener('close', () => { const pv = $('embed-preview'); pv.removeAttribute('src'); delete pv.dataset.src; opener.focus(); });
  return { open() { api.pause(); d.showModal(); update(); $('embed-close').focus(); } };
}
