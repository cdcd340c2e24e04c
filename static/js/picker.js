// Service pickers (the hub's and the admin catalogue's). Without script the
// search is a GET form the server filters; with it the list filters as the
// user types, by the server's rule: the chosen category, and every word of
// the search in the service's search text. The count of matches is a status
// that screen readers announce. Enter in the search opens the first match;
// the arrow keys move between the search and the matches; Tab works as
// everywhere.
(function () {
  "use strict";

  function words(q) {
    return q.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function init(form) {
    var list = document.getElementById(form.getAttribute("data-linkhub-picker"));
    var input = form.querySelector("input[name=q]");
    var select = form.querySelector("select[name=category]");
    var count = document.querySelector("[data-picker-count]");
    var submit = form.querySelector("[data-picker-submit]");
    if (!list || !input) return;
    if (submit) submit.hidden = true; // the list follows the fields: nothing to submit
    var timer;

    function shown() {
      return Array.prototype.filter.call(list.querySelectorAll("[data-search]"), function (li) {
        return !li.hidden;
      }).map(function (li) { return li.querySelector("a"); });
    }

    function say(n) {
      if (!count) return;
      count.textContent = n === 0 ? count.getAttribute("data-none")
        : n === 1 ? count.getAttribute("data-one")
        : count.getAttribute("data-many").replace("%d", String(n));
    }

    function apply() {
      var ws = words(input.value), cat = select ? select.value : "", n = 0;
      list.querySelectorAll("[data-search]").forEach(function (li) {
        var text = li.getAttribute("data-search");
        var ok = (!cat || li.getAttribute("data-category") === cat) &&
          ws.every(function (w) { return text.indexOf(w) >= 0; });
        li.hidden = !ok;
        if (ok) n++;
      });
      list.querySelectorAll("[data-picker-group]").forEach(function (g) {
        g.hidden = !g.querySelector("[data-search]:not([hidden])");
      });
      // The count waits for a pause in typing, so a screen reader reads
      // the last one, not every keystroke's.
      clearTimeout(timer);
      timer = setTimeout(function () { say(n); }, 300);
    }

    input.addEventListener("input", apply);
    if (select) select.addEventListener("change", apply);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      apply();
    });
    input.addEventListener("keydown", function (e) {
      var first = shown()[0];
      if (e.key === "Enter" && first) {
        e.preventDefault();
        window.location.assign(first.href);
      } else if (e.key === "ArrowDown" && first) {
        e.preventDefault();
        first.focus();
      }
    });
    list.addEventListener("keydown", function (e) {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      var links = shown(), i = links.indexOf(document.activeElement);
      if (i < 0) return;
      e.preventDefault();
      if (e.key === "ArrowDown") {
        (links[i + 1] || links[i]).focus();
      } else if (i === 0) {
        input.focus();
      } else {
        links[i - 1].focus();
      }
    });
  }

  function start() {
    document.querySelectorAll("form[data-linkhub-picker]").forEach(init);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
