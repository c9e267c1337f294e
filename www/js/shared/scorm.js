// SCORM 1.2 run-time reporting (the LMS packages of ./build.sh dist: dist/scorm/<lab>.zip). A lab
// launched by an LMS finds the LMS's `API` object in a parent window (the standard search, at
// most 7 levels up, then the opener), and with a lesson in its URL (`lesson=<preset>`, which the
// package's manifest passes) reports: `incomplete` on launch, `completed` when the student has
// run that lesson to its end, the lab's settings as `cmi.suspend_data`, the session time on exit.
// Without an API (any normal page) it does nothing.

/** The LMS's SCORM 1.2 API object, or null. */
export function findScormApi(win = window) {
  const search = (w) => {
    for (let n = 0; w && n <= 7; n++) {
      try { if (w.API && typeof w.API.LMSInitialize === 'function') return w.API; } catch { return null; /* another origin */ }
      if (!w.parent || w.parent === w) return null;
      w = w.parent;
    }
    return null;
  };
  return search(win) || (win.opener ? search(win.opener) : null);
}

/** HHHH:MM:SS.SS, SCORM 1.2's CMITimespan. */
export function scormTime(ms) {
  const s = Math.max(0, ms) / 1000;
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return `${String(h).padStart(4, '0')}:${String(m).padStart(2, '0')}:${sec.toFixed(2).padStart(5, '0')}`;
}

/** Connect a lab's api (js/shared/embed.js) to the LMS, if there is one and the URL has a lesson. */
export function scormSession(api, impl) {
  const lms = findScormApi();
  const lesson = impl.values().lesson || '';
  if (!lms || !lesson) return null;
  const t0 = Date.now();
  const call = (f, ...a) => { try { return String(lms[f](...a)); } catch (e) { console.warn(`optplay: SCORM ${f} failed: ${e.message}`); return 'false'; } };
  if (call('LMSInitialize', '') !== 'true') { console.warn(`optplay: the LMS refused LMSInitialize (error ${call('LMSGetLastError')})`); return null; }
  let status = call('LMSGetValue', 'cmi.core.lesson_status');
  if (status !== 'completed' && status !== 'passed') { status = 'incomplete'; call('LMSSetValue', 'cmi.core.lesson_status', 'incomplete'); }
  call('LMSCommit', '');
  let saved = '';
  api.on((type, data) => {
    if (type === 'state' && data.query !== saved && data.query.length <= 4096) { saved = data.query; call('LMSSetValue', 'cmi.suspend_data', saved); call('LMSCommit', ''); }
    if (type === 'finished' && impl.values().lesson === lesson && status !== 'completed') {
      status = 'completed';
      call('LMSSetValue', 'cmi.core.lesson_status', 'completed');
      call('LMSCommit', '');
    }
  });
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    call('LMSSetValue', 'cmi.core.session_time', scormTime(Date.now() - t0));
    call('LMSSetValue', 'cmi.core.exit', status === 'completed' ? '' : 'suspend');
    call('LMSCommit', '');
    call('LMSFinish', '');
  };
  addEventListener('pagehide', end);
  return { end, status: () => status };
}
