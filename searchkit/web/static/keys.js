// searchkit serve: keyboard shortcuts, an enhancement only (every page works without it).
// "/" search box, j/k results, Enter opens, n/p hits in a document, "?" help, Esc closes.
(function () {
  "use strict";
  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }
  var results = Array.prototype.slice.call(document.querySelectorAll("li.hit"));
  var selected = -1;
  function select(i) {
    if (!results.length) return;
    i = Math.max(0, Math.min(results.length - 1, i));
    if (selected >= 0) results[selected].classList.remove("selected");
    selected = i;
    var el = results[i];
    el.classList.add("selected");
    el.scrollIntoView({ block: "nearest" });
    var link = el.querySelector(".hit-title a");
    if (link) link.focus({ preventScroll: true });
  }
  // Hits of a document: move without reloading, keeping the URL's ?hit=N in step.
  var marks = [];
  var seen = {};
  Array.prototype.forEach.call(document.querySelectorAll("mark[data-hit]"), function (m) {
    var n = m.getAttribute("data-hit");
    if (!seen[n]) { seen[n] = true; marks.push(m); }
  });
  var counter = document.getElementById("hit-current");
  var current = 0;
  marks.forEach(function (m, i) { if (m.classList.contains("current")) current = i + 1; });
  function goHit(n) {
    if (!marks.length) return;
    n = Math.max(1, Math.min(marks.length, n));
    document.querySelectorAll("mark.current").forEach(function (m) { m.classList.remove("current"); });
    document.querySelectorAll('mark[data-hit="' + n + '"]').forEach(function (m) { m.classList.add("current"); });
    current = n;
    marks[n - 1].scrollIntoView({ block: "center" });
    var where = document.querySelector("#hit-counter .where");
    if (counter) counter.textContent = String(n);
    else if (where) {
      var span = document.createElement("span");
      span.id = "hit-current";
      span.textContent = String(n);
      where.insertBefore(document.createTextNode(" of "), where.firstChild);
      where.insertBefore(span, where.firstChild);
      counter = span;
    }
    var url = new URL(window.location.href);
    url.searchParams.set("hit", String(n));
    url.hash = "hit-" + n;
    history.replaceState(null, "", url.toString());
    var prev = document.getElementById("hit-prev"), next = document.getElementById("hit-next");
    if (prev) { url.searchParams.set("hit", String(Math.max(1, n - 1))); url.hash = "hit-" + Math.max(1, n - 1); prev.href = url.toString(); }
    if (next) { url.searchParams.set("hit", String(Math.min(marks.length, n + 1))); url.hash = "hit-" + Math.min(marks.length, n + 1); next.href = url.toString(); }
  }
  var help = document.getElementById("keys-help");
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "Escape") {
      if (help && !help.hidden) { help.hidden = true; return; }
      if (typing(document.activeElement)) document.activeElement.blur();
      return;
    }
    if (typing(ev.target)) return;
    switch (ev.key) {
      case "/": ev.preventDefault(); var q = document.getElementById("q"); if (q) { q.focus(); q.select(); } break;
      case "j": select(selected + 1); break;
      case "k": select(selected - 1); break;
      case "n": if (marks.length) { ev.preventDefault(); goHit(current + 1); } break;
      case "p": if (marks.length) { ev.preventDefault(); goHit(current - 1); } break;
      case "?": if (help) help.hidden = !help.hidden; break;
      default: return;
    }
  });
})();
