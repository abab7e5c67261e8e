// Client form enhancement: progress, a local draft that survives reloads, and sending that waits for
// the connection to return. The form works without this script as a plain POST.
(function () {
  'use strict';
  var form = document.getElementById('measure-form');
  if (!form) return;
  var key = 'spiegel-draft:' + location.pathname;
  var bar = document.getElementById('progress-bar');
  var text = document.getElementById('progress-text');
  var template = text ? text.textContent : '';

  function answered() {
    var names = {};
    Array.prototype.forEach.call(form.querySelectorAll('input[type=radio]:checked'), function (el) {
      names[el.name] = el.value;
    });
    return names;
  }
  function update() {
    var values = answered();
    var done = Object.keys(values).length;
    if (bar) bar.value = done;
    if (text) text.textContent = template.replace(/^\d+/, String(done));
    try {
      localStorage.setItem(key, JSON.stringify(values));
    } catch {
      /* storage may be off */
    }
  }
  try {
    var saved = JSON.parse(localStorage.getItem(key) || 'null');
    if (saved && typeof saved === 'object') {
      var restored = 0;
      Object.keys(saved).forEach(function (name) {
        var input = form.querySelector(
          'input[name="' + CSS.escape(name) + '"][value="' + CSS.escape(String(saved[name])) + '"]',
        );
        if (input) {
          input.checked = true;
          restored++;
        }
      });
      if (restored > 0) document.getElementById('draft-note').hidden = false;
    }
  } catch {
    /* ignore a broken draft */
  }
  form.addEventListener('change', update);
  update();

  var sending = false;
  var offline = document.getElementById('offline-note');
  function send() {
    if (sending) return;
    sending = true;
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, { method: 'POST', body: body, headers: { Accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (res) {
        return res.text().then(function (html) {
          sending = false;
          if (res.status >= 500) throw new Error('server');
          if (res.ok) {
            try {
              localStorage.removeItem(key);
            } catch {
              /* ignore */
            }
          }
          var doc = new DOMParser().parseFromString(html, 'text/html');
          document.title = doc.title;
          document.body.replaceWith(doc.body);
          window.scrollTo(0, 0);
        });
      })
      .catch(function () {
        sending = false;
        if (offline) offline.hidden = false;
        window.addEventListener('online', send, { once: true });
      });
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (!navigator.onLine) {
      if (offline) offline.hidden = false;
      window.addEventListener('online', send, { once: true });
      return;
    }
    send();
  });
})();
