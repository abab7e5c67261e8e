// Interview coding. Turns a text selection in the transcript into character offsets (the form's
// "from" and "to" fields, which also work without this script), applies shortcut keys to the code
// checkboxes, and reads chosen files into the import forms (text as text, .docx as base64).
(function () {
  'use strict';
  var transcript = document.getElementById('transcript');
  var start = document.getElementById('seg-start');
  var end = document.getElementById('seg-end');
  var preview = document.getElementById('seg-preview');
  function offset(node, at) {
    var range = document.createRange();
    range.setStart(transcript, 0);
    range.setEnd(node, at);
    return range.toString().length;
  }
  if (transcript && start && end) {
    document.addEventListener('selectionchange', function () {
      var sel = window.getSelection();
      if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
      var r = sel.getRangeAt(0);
      if (!transcript.contains(r.startContainer) || !transcript.contains(r.endContainer)) return;
      var a = offset(r.startContainer, r.startOffset);
      var b = offset(r.endContainer, r.endOffset);
      if (b <= a) return;
      start.value = String(a);
      end.value = String(b);
      if (preview) preview.textContent = transcript.textContent.slice(a, b).slice(0, 200);
    });
    document.addEventListener('keydown', function (event) {
      var target = event.target;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT'))
        return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var box = document.querySelector('#coding-form input[data-key="' + event.key + '"]');
      if (!box) return;
      box.checked = !box.checked;
      event.preventDefault();
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('input[type=file][data-text]'), function (input) {
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) return;
      var name = document.getElementById(input.getAttribute('data-name'));
      if (name) name.value = file.name;
      var binary = document.getElementById(input.getAttribute('data-binary') || '');
      var text = document.getElementById(input.getAttribute('data-text'));
      if (binary && /\.docx$/i.test(file.name)) {
        var reader = new FileReader();
        reader.onload = function () {
          binary.value = String(reader.result).split(',')[1] || '';
          if (text) text.removeAttribute('required');
        };
        reader.readAsDataURL(file);
      } else if (text) {
        if (binary) binary.value = '';
        file.text().then(function (content) {
          text.value = content;
        });
      }
    });
  });
})();
