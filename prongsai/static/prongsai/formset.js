// "Add a row" for a Django formset without saving first (no build step, no library).
// Markup: <button type="button" data-add-form="PREFIX" data-rows="#rows" data-template="#tpl" hidden>
// The <template id="tpl"> holds formset.empty_form, whose names carry __prefix__; each click appends a copy
// numbered with PREFIX-TOTAL_FORMS, raises that count and stops at PREFIX-MAX_NUM_FORMS. Without JavaScript
// the button stays hidden and the page says to save and edit again.
document.querySelectorAll("button[data-add-form]").forEach((button) => {
  const prefix = button.dataset.addForm;
  const form = button.closest("form");
  const total = form.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  const most = form.querySelector(`input[name="${prefix}-MAX_NUM_FORMS"]`);
  const rows = document.querySelector(button.dataset.rows);
  const template = document.querySelector(button.dataset.template);
  if (!total || !rows || !template) return;
  const full = () => most && Number(total.value) >= Number(most.value);
  button.hidden = false;
  button.disabled = full();
  button.addEventListener("click", () => {
    if (full()) return;
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    button.disabled = full();
    const first = rows.lastElementChild && rows.lastElementChild.querySelector("input, textarea, select");
    if (first) first.focus();
  });
});
