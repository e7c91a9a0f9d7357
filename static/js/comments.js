// Comments: reply forms open inline, double submits are blocked, times stay fresh.
// Everything here is an enhancement; the discussion works without it.
(function () {
  "use strict";

  function relative(date, now) {
    var seconds = Math.floor((now - date) / 1000);
    if (seconds < 60) return "just now";
    var units = [["day", 86400], ["hour", 3600], ["minute", 60]];
    for (var i = 0; i < units.length; i++) {
      var count = Math.floor(seconds / units[i][1]);
      if (count >= 1) {
        if (units[i][0] === "day" && count > 30) return null;
        return count + " " + units[i][0] + (count === 1 ? "" : "s") + " ago";
      }
    }
    return null;
  }

  function refreshTimes(root) {
    var now = Date.now();
    root.querySelectorAll(".comment-permalink time[datetime]").forEach(function (el) {
      var text = relative(new Date(el.getAttribute("datetime")), now);
      if (text) el.textContent = text;
    });
  }

  function guard(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-busy", "true");
      });
    });
  }

  function closeReply(section, focusBack) {
    var open = section.querySelector(".reply-form-wrap.js-reply");
    if (!open) return;
    var link = focusBack && open.previousElementSibling &&
      open.previousElementSibling.querySelector(".comment-reply-link");
    open.remove();
    if (link) link.focus();
  }

  function openReply(section, link) {
    var template = document.getElementById("reply-form-template");
    var article = document.getElementById("comment-" + link.dataset.replyTo);
    if (!template || !article) return false;
    var existing = section.querySelector(".reply-form-wrap");
    if (existing && existing.previousElementSibling === article) {
      existing.querySelector("textarea").focus();
      return true;
    }
    closeReply(section, false);
    var wrap = document.createElement("div");
    wrap.className = "reply-form-wrap js-reply";
    wrap.appendChild(template.content.cloneNode(true));
    var form = wrap.querySelector("form");
    form.querySelector("input[name=parent]").value = link.dataset.replyTo;
    var label = form.querySelector("label");
    label.textContent = "Reply to " + (link.dataset.replyName || "this comment");
    article.insertAdjacentElement("afterend", wrap);
    form.querySelector(".reply-cancel").addEventListener("click", function () {
      closeReply(section, true);
    });
    wrap.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closeReply(section, true);
    });
    guard(form);
    form.querySelector("textarea").focus();
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.getElementById("comments");
    if (!section) return;
    refreshTimes(section);
    section.querySelectorAll("form.comment-form").forEach(guard);
    if (section.dataset.canComment) {
      section.addEventListener("click", function (event) {
        var link = event.target.closest(".comment-reply-link");
        if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
        if (openReply(section, link)) event.preventDefault();
      });
    }
    var server = document.getElementById("reply-form");
    var refused = document.getElementById("comment-error");
    if (refused || (server && window.location.hash === "#reply-form")) {
      // A refused post re-renders the page at the top: take the reader back to their text.
      var box = (server && server.querySelector("textarea")) ||
        section.querySelector(".comment-compose textarea") || refused;
      box.scrollIntoView({ block: "center" });
      box.focus({ preventScroll: true });
    }
  });
})();
