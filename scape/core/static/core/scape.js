// Small progressive enhancements; every page also works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  document.body.classList.add("js");
  // On a phone the main menu folds behind its button.
  const toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    toggle.addEventListener("click", () => {
      const open = toggle.closest(".topbar").classList.toggle("menu-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // A "tick all" box ticks every box of its group (data-select-all="group").
  document.querySelectorAll("[data-select-all]").forEach((all) => {
    all.addEventListener("change", () => {
      document.querySelectorAll(`[data-select="${all.dataset.selectAll}"]`).forEach((box) => {
        box.checked = all.checked;
      });
    });
  });
});
