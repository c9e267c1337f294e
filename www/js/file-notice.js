// A classic (non-module) script, so it runs where the labs' ES modules cannot: opened from file://
// the browser blocks module scripts (CORS), and the page would sit there dead. Say what to do.
(function () {
  if (location.protocol !== 'file:') return;
  function show() {
    var el = document.getElementById('fatal') || document.body.insertBefore(document.createElement('p'), document.body.firstChild);
    el.className = 'notice error';
    el.hidden = false;
    el.setAttribute('role', 'alert');
    el.textContent = 'This page was opened from a file (file://), where browsers block the scripts it is made of. '
      + 'Serve the folder instead: run ./build.sh serve in the playground and open http://127.0.0.1:8080/, '
      + 'or in this www folder run: python3 -m http.server 8080, then open http://127.0.0.1:8080/'
      + location.pathname.split('/').pop() + '. To use the labs without a server (a USB stick, no network), '
      + 'open the single-file labs instead: ./build.sh dist writes them to dist/offline/ (one file per lab, '
      + 'and playground.html with every lab).';
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', show); else show();
})();
