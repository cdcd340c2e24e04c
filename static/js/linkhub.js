/*! Linkhub embed SDK: opens the hub in a modal iframe (or inside a container)
 * and relays its events. No dependencies. Usage:
 *
 *   var hub = Linkhub.open({
 *     url: session.url,                    // from POST /api/v1/connect_sessions
 *     container: document.getElementById("x"), // optional; default: a modal
 *     locale: "de",                        // optional: the hub's language (en, de, fr,
 *                                          // es, it, nl, pt-BR, ja); the user can still switch
 *     onReady: function () {},
 *     onSuccess: function (account) {},    // { id, connector, profile_id, origin_owner_id }
 *     onError: function (error) {},        // { code, message }
 *     onClose: function () {},
 *     onEvent: function (msg) {}           // every message
 *   });
 *   hub.close();
 *
 * The modal follows the WAI-ARIA dialog pattern: it is named (title), focus
 * moves into the hub, the rest of the page is inert while it is open, Escape
 * closes it (the hub reports Escape pressed inside its frame), and focus goes
 * back to the element that opened it.
 */
(function (root) {
  "use strict";

  // The modal's name in each of the hub's languages (the hub's own picker
  // title, views/hubtext*.go; a Go test keeps the two the same).
  var titles = {
    "en": "Connect an account",
    "de": "Konto verbinden",
    "fr": "Connecter un compte",
    "es": "Conectar una cuenta",
    "it": "Collega un account",
    "nl": "Een account koppelen",
    "pt-BR": "Conectar uma conta",
    "ja": "アカウントを接続"
  };

  function open(opts) {
    if (!opts || !opts.url) throw new Error("Linkhub.open: url is required");
    var url = new URL(opts.url, window.location.href);
    if (opts.locale !== undefined) {
      if (!Object.prototype.hasOwnProperty.call(titles, opts.locale)) {
        throw new Error("Linkhub.open: locale must be one of " + Object.keys(titles).join(", "));
      }
      url.searchParams.set("locale", opts.locale);
    }
    var hubOrigin = url.origin;
    var closed = false;
    var overlay = null;
    var opener = document.activeElement;
    var inerted = [];
    var frame = document.createElement("iframe");
    frame.src = url.href;
    var title = opts.title || titles[opts.locale || "en"];
    frame.title = title;
    frame.setAttribute("allow", "clipboard-write");
    frame.style.cssText = "border:0;width:100%;height:100%;display:block;background:#fff;";

    if (opts.container) {
      opts.container.appendChild(frame);
    } else {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "dialog");
      overlay.setAttribute("aria-modal", "true");
      overlay.setAttribute("aria-label", title);
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483000;background:rgba(15,23,42,.55);" +
        "display:flex;align-items:center;justify-content:center;padding:16px;";
      var box = document.createElement("div");
      box.style.cssText = "width:100%;max-width:920px;height:min(720px,100%);border-radius:12px;overflow:hidden;" +
        "box-shadow:0 20px 50px rgba(0,0,0,.3);background:#fff;";
      box.appendChild(frame);
      overlay.appendChild(box);
      overlay.addEventListener("click", function (e) { if (e.target === overlay) close(); });
      document.addEventListener("keydown", onKey);
      // Everything else on the page leaves the tab order and the
      // accessibility tree until the modal closes.
      Array.prototype.forEach.call(document.body.children, function (el) {
        if (!el.inert) { el.inert = true; inerted.push(el); }
      });
      document.body.appendChild(overlay);
      frame.focus();
    }

    function onKey(e) { if (e.key === "Escape") close(); }

    function onMessage(e) {
      // Only the hub's own frame, from the hub's own origin, is listened to.
      if (e.origin !== hubOrigin || e.source !== frame.contentWindow) return;
      var msg = e.data;
      if (!msg || msg.source !== "linkhub" || typeof msg.type !== "string") return;
      if (opts.onEvent) opts.onEvent(msg);
      if (msg.type === "ready" && opts.onReady) opts.onReady();
      if (msg.type === "success" && opts.onSuccess) opts.onSuccess(msg.account);
      if (msg.type === "error" && opts.onError) opts.onError(msg.error);
      if (msg.type === "close") close();
      // Escape pressed inside the hub: the frame has the keyboard, so the
      // page's own keydown listener never hears it.
      if (msg.type === "escape" && overlay) close();
    }
    window.addEventListener("message", onMessage);

    function close() {
      if (closed) return;
      closed = true;
      window.removeEventListener("message", onMessage);
      document.removeEventListener("keydown", onKey);
      if (overlay) overlay.remove(); else frame.remove();
      inerted.forEach(function (el) { el.inert = false; });
      if (overlay && opener && opener.isConnected && typeof opener.focus === "function") opener.focus();
      if (opts.onClose) opts.onClose();
    }

    return { close: close, frame: frame };
  }

  root.Linkhub = { open: open, version: "1" };
})(window);
