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
  // A form whose fields depend on a chosen step (data-step-field names the
  // choice, data-step-fields maps each step to the fields it reads) shows only
  // the chosen step's; the others are hidden and disabled, so they are not sent.
  document.querySelectorAll("form[data-step-fields]").forEach((form) => {
    const steps = JSON.parse(form.dataset.stepFields);
    const choice = form.elements.namedItem(form.dataset.stepField);
    const stepped = new Set(Object.values(steps).flat());
    const show = () => {
      const wanted = new Set(steps[choice.value] || []);
      stepped.forEach((name) => {
        const input = form.elements.namedItem(name);
        if (!input) return;
        const inputs = input instanceof RadioNodeList ? Array.from(input) : [input];
        inputs.forEach((el) => {
          el.disabled = !wanted.has(name);
          const box = el.closest(".field");
          if (box) box.hidden = !wanted.has(name);
        });
      });
    };
    choice.addEventListener("change", show);
    show();
  });
  // A "tick all" box ticks every box of its group (data-select-all="group").
  document.querySelectorAll("[data-select-all]").forEach((all) => {
    all.addEventListener("change", () => {
      document.querySelectorAll(`[data-select="${all.dataset.selectAll}"]`).forEach((box) => {
        box.checked = all.checked;
      });
    });
  });
});
