// Small progressive enhancements; every page also works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  document.body.classList.add("js");
});
