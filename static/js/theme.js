// Runs in <head>, before the body is parsed: applies the reader's stored theme,
// else the operating system's, so the first paint is already right.
(function () {
  var KEY = "newsroom-theme";
  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function preferred() {
    var choice = stored();
    if (choice === "light" || choice === "dark") return choice;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function apply(theme) {
    document.documentElement.setAttribute("data-bs-theme", theme);
    var button = document.getElementById("theme-toggle");
    if (button) button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
  }
  apply(preferred());
  window.newsroomTheme = {
    toggle: function () {
      var next = document.documentElement.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
      try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: choice lasts this page */ }
      apply(next);
    },
    sync: function () { apply(document.documentElement.getAttribute("data-bs-theme")); }
  };
  if (window.matchMedia) {
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function () {
      if (!stored()) apply(preferred());
    });
  }
})();
