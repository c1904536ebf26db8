// Keyboard-first review: j/k move between cards, c confirm, d dismiss, n note, u undo.
(function () {
  "use strict";
  var csrf = document.body.getAttribute("data-csrf");
  var lastId = null;  // the selected card's id: a card swapped in after an action takes its place
  function cards() { return Array.prototype.slice.call(document.querySelectorAll("article.card")); }
  function current() { return document.querySelector("article.card.current"); }
  function select(el) {
    cards().forEach(function (c) { c.classList.remove("current"); });
    if (!el) return;
    lastId = el.id;
    el.classList.add("current");
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "center" });
  }
  function move(step) {
    var list = cards();
    if (!list.length) return;
    var at = list.indexOf(current() || (lastId && document.getElementById(lastId)));
    select(list[at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + step))]);
  }
  function act(action, value) {
    var el = current() || (lastId && document.getElementById(lastId));
    if (!el) return;
    var id = el.id;
    var values = { doc: el.getAttribute("data-doc"), flag: el.getAttribute("data-flag"), action: action };
    if (value !== undefined) values.value = value;
    htmx.ajax("POST", "/decide", { target: el, swap: "outerHTML", values: values,
                                   headers: { "X-CSRF-Token": csrf } }).then(function () {
      // the new card replaces the old; keep it selected, unless the reviewer moved on meanwhile
      if (!current()) select(document.getElementById(id));
    });
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    var keys = { j: function () { move(1); }, k: function () { move(-1); }, c: function () { act("confirm"); },
                 d: function () { act("dismiss"); }, u: function () { act("undo"); },
                 n: function () { var t = window.prompt("Note on this flag:"); if (t !== null) act("note", t); } };
    if (keys[e.key]) { keys[e.key](); e.preventDefault(); }
  });
  var mapBox = document.getElementById("f-map");
  if (mapBox) mapBox.addEventListener("change", function () { document.body.classList.toggle("nomap", !mapBox.checked); });
  document.addEventListener("click", function (e) {
    var b = e.target.closest("button[data-action]");
    if (!b) return;
    select(b.closest("article.card"));
    if (b.getAttribute("data-action") === "note") {
      var t = window.prompt("Note on this flag:");
      if (t !== null) act("note", t);
    } else {
      act("severity", b.textContent.trim());
    }
  });
})();
