// Public pages' small helpers, loaded as a file so the Content-Security-Policy allows no inline script.
// Keeps the 码上办 form's draft in the phone's storage (restored after a lost connection or a back
// button) and forgets it once the receipt page shows. Pages work the same without it.
(function () {
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) return;
  var done = document.querySelector('[data-clear-draft]');
  if (done) {
    try { store.removeItem(done.getAttribute('data-clear-draft')); } catch (e) {}
  }
  var f = document.getElementById('intake-form');
  if (!f) return;
  var k = f.getAttribute('data-draft'), names = ['category', 'description', 'name', 'phone'];
  try {
    var d = JSON.parse(store.getItem(k) || '{}');
    names.forEach(function (x) {
      var e = f.elements[x];
      if (!e || !d[x]) return;
      if (e.length && !e.value) {
        for (var i = 0; i < e.length; i++) if (e[i].value === d[x]) e[i].checked = true;
      } else if (!e.value) e.value = d[x];
    });
  } catch (e) {}
  f.addEventListener('input', function () {
    var d = {};
    names.forEach(function (x) { var e = f.elements[x]; if (e) d[x] = e.value; });
    try { store.setItem(k, JSON.stringify(d)); } catch (e) {}
  });
})();
