// Research survey branching: shows a question only when its condition (data-if/op/value, from the
// questionnaire's enableWhen) holds. The server applies the same rule, so without JavaScript every
// question shows and answers to skipped ones are ignored.
(function () {
  const form = document.getElementById('survey-form');
  if (!form) return;
  const valueOf = (name) => {
    const checked = form.querySelector(`[name="a.${name}"]:checked`);
    if (checked) return checked.value;
    const field = form.querySelector(`[name="a.${name}"]:not([type=radio])`);
    return field ? field.value : '';
  };
  const shown = (fieldset, depth) => {
    const target = fieldset.dataset.if;
    if (!target || depth > 20) return true;
    const parent = form.querySelector(`[data-item="${target}"]`);
    if (parent && !shown(parent, depth + 1)) return false;
    const v = valueOf(target);
    const equal = v !== '' && v === fieldset.dataset.value;
    return fieldset.dataset.op === '!=' ? !equal : equal;
  };
  const update = () => {
    for (const fieldset of form.querySelectorAll('[data-if]')) fieldset.hidden = !shown(fieldset, 0);
  };
  form.addEventListener('change', update);
  update();
})();
