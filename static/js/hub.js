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

  function embedded() { return !!target() && window.parent !== window; }

  function post(msg) {
    var origin = target();
    if (!origin || window.parent === window) return;
    msg.source = "linkhub";
    window.parent.postMessage(msg, origin);
  }

  // swap shows a page the server answered a fetch with, as if the browser
  // had navigated to it, and sets up its behaviours.
  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
    window.scrollTo(0, 0);
    init();
  }

  // stage shows one streamed stage event and announces it.
  function stage(box, ev) {
    var li = box.querySelector('[data-stage="' + ev.stage + '"]');
    if (!li) return;
    li.setAttribute("data-status", ev.status);
    var word = box.getAttribute("data-word-" + ev.status) || ev.status;
    li.querySelector("[data-stage-word]").textContent = word;
    var say = box.querySelector("[data-linkhub-announce]");
    // The announcement's word order is the language's: a format from the
    // server ("%s: %s", "%s：%s"), never words joined here.
    if (say) say.textContent = fill(box.getAttribute("data-say") || "%s: %s", li.children[1].textContent, word);
  }

  // fill puts a and b in place of the two %s of format, in order.
  function fill(format, a, b) {
    var parts = format.split("%s");
    return parts[0] + a + (parts[1] || "") + b + parts.slice(2).join("%s");
  }

  // read calls each(line) for every line of a streamed answer.
  function read(body, each) {
    var reader = body.getReader(), decoder = new TextDecoder(), buf = "";
    function pump() {
      return reader.read().then(function (r) {
        buf += decoder.decode(r.value || new Uint8Array(), { stream: !r.done });
        var i;
        while ((i = buf.indexOf("\n")) >= 0) {
          var line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line) each(JSON.parse(line));
        }
        if (!r.done) return pump();
      });
    }
    return pump();
  }

  // connect posts the form with fetch and shows the test's stages as the
  // server streams them (see web/hub_stream.go), then the page it ends with.
  function connect(form, box) {
    var btn = form.querySelector("button[type=submit]");
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { Accept: "application/x-ndjson" },
      credentials: "same-origin"
    }).then(function (resp) {
      if ((resp.headers.get("Content-Type") || "").indexOf("application/x-ndjson") !== 0) return resp.text().then(swap);
      var ended = false;
      return read(resp.body, function (ev) {
        if (ev.html) { ended = true; swap(ev.html); } else stage(box, ev);
      }).then(function () { if (!ended) throw new Error("stream ended early"); });
    }).catch(function () {
      // The connection broke: let the user try again; nothing is guessed.
      if (btn) {
        btn.disabled = false;
        btn.querySelectorAll(".hub-busy").forEach(function (el) { el.classList.add("hidden"); });
        btn.querySelectorAll(".hub-idle").forEach(function (el) { el.classList.remove("hidden"); });
      }
      var say = box.querySelector("[data-linkhub-announce]");
      if (say) { say.classList.remove("sr-only"); say.textContent = box.getAttribute("data-word-lost") || "The connection was lost. Try again."; }
    });
  }

  function init() {
    // Success or error screens carry the message to send, as JSON.
    var m = document.querySelector("[data-linkhub-message]");
    if (m && m.getAttribute("data-linkhub-message")) {
      try { post(JSON.parse(m.getAttribute("data-linkhub-message"))); } catch (e) { /* malformed: send nothing */ }
    }

    // Move focus to the result so screen readers announce it.
    var f = document.querySelector("[data-linkhub-focus]");
    if (f) f.focus();

    // The error summary's links move the focus into their field.
    document.querySelectorAll("[data-linkhub-summary] a[href^='#']").forEach(function (a) {
      a.addEventListener("click", function (e) {
        var el = document.getElementById(a.getAttribute("href").slice(1));
        if (!el) return;
        e.preventDefault();
        el.focus();
      });
    });

    // Copy buttons in the guide.
    document.querySelectorAll("[data-linkhub-copy]").forEach(function (b) {
      b.addEventListener("click", function () {
        var text = b.getAttribute("data-linkhub-copy"), label = b.textContent;
        var done = function () { b.textContent = b.getAttribute("data-copied") || label; setTimeout(function () { b.textContent = label; }, 1500); };
        if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () {});
      });
    });

    // While the credentials are tested: show the stages, disable the button.
    // Without fetch streaming the form posts as it would without script.
    document.querySelectorAll("form[data-linkhub-connect]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        form.querySelectorAll(".hub-busy").forEach(function (el) { el.classList.remove("hidden"); });
        form.querySelectorAll(".hub-idle").forEach(function (el) { el.classList.add("hidden"); });
        var btn = form.querySelector("button[type=submit]");
        if (btn) setTimeout(function () { btn.disabled = true; }, 0);
        var box = form.querySelector("[data-linkhub-progress]");
        if (!box || !window.fetch || !window.TextDecoder || !window.ReadableStream) return;
        e.preventDefault();
        box.scrollIntoView({ block: "nearest" });
        box.focus({ preventScroll: true });
        connect(form, box);
      });
    });

    // Escape inside the hub's frame never reaches the host page: tell the
    // SDK, which closes its modal (an inline hub ignores it).
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && !e.defaultPrevented) post({ type: "escape" });
    });

    // Close works in the host's modal (the SDK closes it) and in a window a
    // script opened; elsewhere window.close() is refused, so it stays hidden.
    document.querySelectorAll("[data-linkhub-close]").forEach(function (b) {
      if (b.getAttribute("data-linkhub-close") === "optional" && (embedded() || window.opener)) b.hidden = false;
      b.addEventListener("click", function () {
        if (embedded()) post({ type: "close" });
        else window.close();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    post({ type: "ready" });
    init();
  });
})();
