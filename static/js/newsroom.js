// Progressive enhancements; every page works without them.
(function () {
  "use strict";

  function showFallback(row, url, message) {
    var fallback = row.querySelector(".share-fallback");
    if (!fallback) return;
    var input = fallback.querySelector("input");
    var note = fallback.querySelector(".share-fallback-note");
    fallback.hidden = false;
    if (note && message) note.textContent = message;
    if (input) {
      input.value = url;
      input.focus();
      input.select();
    }
  }

  function announce(row, message) {
    var status = row.querySelector(".share-status");
    if (!status) return;
    status.textContent = message;
    window.clearTimeout(status._timer);
    status._timer = window.setTimeout(function () {
      status.textContent = "";
    }, 4000);
  }

  function copyLink(row, url) {
    var fallbackMessage = "Copy this link: select it and press Ctrl+C (⌘C on a Mac).";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(
        function () {
          announce(row, "Link copied to the clipboard.");
        },
        function () {
          showFallback(row, url, fallbackMessage);
        }
      );
    } else {
      showFallback(row, url, fallbackMessage);
    }
  }

  function setUpShareRow(row) {
    var url = row.getAttribute("data-share-url");
    var title = row.getAttribute("data-share-title") || document.title;
    var copy = row.querySelector(".share-copy");
    var native = row.querySelector(".share-native");
    if (copy) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        copyLink(row, url);
      });
    }
    if (native && navigator.share) {
      native.hidden = false;
      native.addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () {
          /* the reader closed the share sheet */
        });
      });
    }
  }

  function init() {
    var rows = document.querySelectorAll("[data-share-url]");
    for (var i = 0; i < rows.length; i++) setUpShareRow(rows[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
