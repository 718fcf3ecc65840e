// Vigil console: the live parts only (the pages work without this file). Server-sent events through
// EventSource on the API's streams; text goes in with textContent, never as HTML.
(function () {
  'use strict';
  var sources = [];

  function closeAll() {
    sources.forEach(function (s) { s.close(); });
    sources = [];
  }

  function open(url) {
    var source = new EventSource(url);
    sources.push(source);
    return source;
  }

  function timeline(list) {
    open(list.dataset.events).addEventListener('timeline', function (e) {
      var t = JSON.parse(e.data);
      var li = document.createElement('li');
      [['time', new Date(t.at).toISOString().replace('T', ' ').slice(0, 19) + ' UTC'], ['span.kind', t.kind], ['span.actor', t.actor], ['span.text', t.text]]
        .forEach(function (part, i) {
          var bits = part[0].split('.');
          var el = document.createElement(bits[0]);
          if (bits[1]) { el.className = bits[1]; }
          el.textContent = part[1];
          if (i > 0) { li.appendChild(document.createTextNode(' ')); }
          li.appendChild(el);
        });
      list.appendChild(li);
    });
  }

  function run(pre) {
    var first = true;
    var checking = null;
    function line(text) {
      if (first) { pre.textContent = ''; first = false; }
      pre.appendChild(document.createTextNode(text + '\n'));
      pre.scrollTop = pre.scrollHeight;
    }
    // A change of the run's state (waiting for a confirmation, approved, ended) re-renders the page,
    // so its buttons are the server's; replayed events of a state already shown change nothing.
    // An event that arrives while a check is in flight asks for one more check after it: the answer in
    // flight may predate that event (a run that starts and then waits at once), and nothing else would
    // look again.
    var again = false;
    function recheck() {
      if (checking) { again = true; return; }
      again = false;
      checking = fetch('/api/v1/runbook-runs/' + pre.dataset.run, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (view) {
          checking = null;
          if (view && (view.status !== pre.dataset.status || String(view.waitingStep || '') !== (pre.dataset.waiting || ''))) {
            closeAll();
            if (window.Blazor && window.Blazor.navigateTo) { window.Blazor.navigateTo(location.href); } else { location.reload(); }
          } else if (again) {
            recheck();
          }
        }, function () { checking = null; if (again) { recheck(); } });
    }
    var source = open(pre.dataset.events);
    source.addEventListener('step', function (e) {
      var d = JSON.parse(e.data);
      line('── ' + (d.rollback ? 'rollback ' : '') + 'step ' + d.index + (d.name ? ' (' + d.name + ')' : '') + ' ──');
    });
    source.addEventListener('output', function (e) { line(JSON.parse(e.data).line); });
    source.addEventListener('step_end', function (e) {
      var d = JSON.parse(e.data);
      line('── step ' + d.index + ': ' + d.stepStatus + (d.exitCode !== undefined ? ', exit ' + d.exitCode : '') + ' ──');
    });
    source.addEventListener('confirm', function (e) {
      var d = JSON.parse(e.data);
      line('… waiting for a confirmation before step ' + d.index);
      recheck();
    });
    source.addEventListener('status', function (e) {
      var d = JSON.parse(e.data);
      if (d.message) { line('# ' + d.message); }
      recheck();
    });
    source.addEventListener('end', function (e) {
      var d = JSON.parse(e.data);
      line('# run ' + d.status + (d.message ? ': ' + d.message : ''));
      source.close();
      recheck();
    });
  }

  // <time data-local datetime="…Z">… UTC</time>: shown in the viewer's own time zone (the UTC text stays as the title).
  function localTimes() {
    var format = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    document.querySelectorAll('time[data-local]').forEach(function (t) {
      var at = new Date(t.getAttribute('datetime'));
      if (isNaN(at.getTime())) { return; }
      if (!t.title) { t.title = t.textContent; }
      t.textContent = format.format(at);
    });
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'your time zone';
    document.querySelectorAll('[data-tz-note]').forEach(function (n) { n.textContent = 'Times are in your time zone (' + zone + ').'; });
  }

  function init() {
    // Tells the server scripts run here, so pages may use streaming rendering (which needs blazor.web.js).
    document.cookie = 'vigil_js=1; path=/; SameSite=Strict';
    closeAll();
    document.querySelectorAll('[data-live="timeline"]').forEach(timeline);
    document.querySelectorAll('[data-live="run"]').forEach(run);
    localTimes();
  }

  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
  if (window.Blazor && window.Blazor.addEventListener) { window.Blazor.addEventListener('enhancedload', init); }
})();
