// Runs in <head>, before the body is parsed: applies the reader's stored theme,
// else the operating system's, so the first paint is already right. Without
// JavaScript, <html data-bs-theme="auto"> follows the OS through CSS alone.
(function () {
  "use strict";
  var KEY = "newsroom-theme";
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function stored() {
    try {
      var value = localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : null;
    } catch (e) {
      return null; // storage disabled: follow the OS
    }
  }
  function preferred() {
    return stored() || (media && media.matches ? "dark" : "light");
  }
  function current() {
    return document.documentElement.getAttribute("data-bs-theme");
  }
  function apply(theme) {
    document.documentElement.setAttribute("data-bs-theme", theme);
    var button = document.getElementById("theme-toggle");
    if (button) button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
  }
  function toggle() {
    var next = current() === "dark" ? "light" : "dark";
    try {
      localStorage.setItem(KEY, next);
    } catch (e) {
      /* private mode: the choice lasts this page */
    }
    apply(next);
  }

  apply(preferred());

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    apply(current());
    button.addEventListener("click", toggle);
  });
  // Another tab changed the choice: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) apply(preferred());
  });
  // No choice made: keep following the OS as it switches.
  if (media && media.addEventListener) {
    media.addEventListener("change", function () {
      if (!stored()) apply(preferred());
    });
  }
  window.newsroomTheme = { toggle: toggle, apply: apply, preferred: preferred };
})();
