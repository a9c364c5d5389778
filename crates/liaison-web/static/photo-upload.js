// Photos chosen on the 码上办 form are scaled down in the browser before they are sent (a phone photo
// of 5-15 MB becomes a few hundred KB), where scripts run and the browser can. The server keeps its
// own limits and still takes the full-size file: without this script, or when scaling fails, the
// original file is sent. No inline script: this file is referenced by the form's template.
(function () {
  'use strict';
  if (!window.DataTransfer || !window.HTMLCanvasElement || !window.URL) return;

  function load(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: 'from-image' });
    }
    return new Promise(function (resolve, reject) {
      var img = new Image();
      var url = URL.createObjectURL(file);
      img.onload = function () { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error('decode')); };
      img.src = url;
    });
  }

  function scale(file, longSide) {
    if (!/^image\/(jpeg|png)$/.test(file.type)) return Promise.resolve(file);
    return load(file).then(function (img) {
      var w = img.width, h = img.height, k = Math.min(1, longSide / Math.max(w, h));
      if (k === 1 && file.size < 1500000) return file;
      var canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(w * k));
      canvas.height = Math.max(1, Math.round(h * k));
      var ctx = canvas.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      if (img.close) img.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) return resolve(file);
          var name = file.name.replace(/\.[^.]*$/, '') + '.jpg';
          resolve(new File([blob], name, { type: 'image/jpeg', lastModified: file.lastModified }));
        }, 'image/jpeg', 0.85);
      });
    }).catch(function () { return file; });
  }

  function note(input, text) {
    var id = input.name + '-note';
    var el = document.getElementById(id);
    if (!el) {
      el = document.createElement('span');
      el.id = id;
      el.className = 'hint';
      el.setAttribute('role', 'status');
      input.parentNode.appendChild(el);
    }
    el.textContent = text;
  }

  function wire(input) {
    var form = input.form, pending = null;
    var longSide = parseInt(input.getAttribute('data-scale-to'), 10) || 2400;
    var maxBytes = parseInt(input.getAttribute('data-max-bytes'), 10) || 0;
    var maxFiles = parseInt(input.getAttribute('data-max-files'), 10) || 0;
    input.addEventListener('change', function () {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) { note(input, ''); return; }
      if (maxFiles && files.length > maxFiles) {
        note(input, '最多上传 ' + maxFiles + ' 张照片，请重新选择');
        return;
      }
      note(input, '正在压缩照片…');
      pending = Promise.all(files.map(function (f) { return scale(f, longSide); })).then(function (out) {
        var dt = new DataTransfer();
        out.forEach(function (f) { dt.items.add(f); });
        input.files = dt.files;
        var big = out.filter(function (f) { return maxBytes && f.size > maxBytes; }).length;
        note(input, big ? '有照片超过 10 MB，请换一张或截图后上传' : '');
        pending = null;
      }, function () { note(input, ''); pending = null; });
    });
    if (form) {
      form.addEventListener('submit', function (e) {
        if (!pending) return;
        e.preventDefault();
        pending.then(function () {
          if (form.requestSubmit) form.requestSubmit(); else form.submit();
        });
      });
    }
  }

  var inputs = document.querySelectorAll('input[type=file][data-scale-to]');
  for (var i = 0; i < inputs.length; i++) wire(inputs[i]);
})();
