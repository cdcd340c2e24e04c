// Linkhub hub page behaviours. No inline script anywhere (the CSP forbids it):
// everything hangs off data-linkhub-* attributes rendered by the server.
(function () {
  "use strict";

  // The target origin for postMessage is the session's embed origin, set by
  // the server on <body data-linkhub-target>. Never "*": without an origin
  // nothing is posted.
  function target() {
    var el = document.querySelector("[data-linkhub-target]");
    return el ? el.getAttribute("data-linkhub-target") : "";
  }

  function post(msg) {
    var origin = target();
    if (!origin || window.parent === window) return;
    msg.source = "linkhub";
    window.parent.postMessage(msg, origin);
  }

  document.addEventListener("DOMContentLoaded", function () {
    post({ type: "ready" });

    // Success or error screens carry the message to send, as JSON.
    var m = document.querySelector("[data-linkhub-message]");
    if (m && m.getAttribute("data-linkhub-message")) {
      try { post(JSON.parse(m.getAttribute("data-linkhub-message"))); } catch (e) { /* malformed: send nothing */ }
    }

    // Move focus to the result so screen readers announce it.
    var f = document.querySelector("[data-linkhub-focus]");
    if (f) f.focus();

    // Copy buttons in the guide.
    document.querySelectorAll("[data-linkhub-copy]").forEach(function (b) {
      b.addEventListener("click", function () {
        var text = b.getAttribute("data-linkhub-copy"), label = b.textContent;
        var done = function () { b.textContent = b.getAttribute("data-copied") || label; setTimeout(function () { b.textContent = label; }, 1500); };
        if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () {});
      });
    });

    // Picker search: hide the profiles that do not match.
    document.querySelectorAll("[data-linkhub-search]").forEach(function (input) {
      var list = document.querySelector(input.getAttribute("data-linkhub-search"));
      input.addEventListener("input", function () {
        var q = input.value.trim().toLowerCase();
        list.querySelectorAll("[data-search]").forEach(function (li) {
          li.hidden = q !== "" && li.getAttribute("data-search").toLowerCase().indexOf(q) < 0;
        });
      });
    });

    // While the credentials are tested: show the stages, disable the button.
    document.querySelectorAll("form[data-linkhub-connect]").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll(".hub-busy").forEach(function (el) { el.classList.remove("hidden"); });
        form.querySelectorAll(".hub-idle").forEach(function (el) { el.classList.add("hidden"); });
        var btn = form.querySelector("button[type=submit]");
        if (btn) setTimeout(function () { btn.disabled = true; }, 0);
      });
    });

    // Escape inside the hub's frame never reaches the host page: tell the
    // SDK, which closes its modal (an inline hub ignores it).
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && !e.defaultPrevented) post({ type: "escape" });
    });

    document.querySelectorAll("[data-linkhub-close]").forEach(function (b) {
      b.addEventListener("click", function () {
        if (target() && window.parent !== window) post({ type: "close" });
        else window.close();
      });
    });
  });
})();
