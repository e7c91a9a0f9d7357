// Progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.getElementById("theme-toggle");
  if (toggle && window.newsroomTheme) {
    window.newsroomTheme.sync();
    toggle.addEventListener("click", window.newsroomTheme.toggle);
  }
});
