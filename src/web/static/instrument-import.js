// Admin instrument import: reads the chosen file into the text field, so the form posts plain text.
// Without this script the admin pastes the file's content into the same field.
(function () {
  'use strict';
  var input = document.getElementById('questionnaire-file');
  var area = document.getElementById('questionnaire-text');
  if (!input || !area) return;
  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file) return;
    file.text().then(function (text) {
      area.value = text;
    });
  });
})();
