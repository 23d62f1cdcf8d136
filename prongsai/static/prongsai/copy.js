// A "copy" button beside a link: <button data-copy="#id"> copies the text of the element #id.
// Without JavaScript the link stays a link that can be selected and copied by hand.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent.trim()).then(() => {
    const status = document.getElementById(button.getAttribute("aria-describedby") || "");
    if (status) status.textContent = button.dataset.copied || "";
  });
});
document.querySelectorAll("button[data-copy]").forEach((button) => { button.hidden = false; });
