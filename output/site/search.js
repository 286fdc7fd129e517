// Search over the site's pages (search-index.js, made at build time). Without scripts the box stays hidden.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("search");
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  var index = window.trustflowSearch;
  if (!box || !input || !results || !index) { return; }
  box.hidden = false;
  function snippet(text, term) {
    var at = text.toLowerCase().indexOf(term);
    if (at < 0) { return text.slice(0, 140); }
    var start = Math.max(0, at - 60);
    return (start > 0 ? "…" : "") + text.slice(start, at + 100) + (at + 100 < text.length ? "…" : "");
  }
  function search() {
    var terms = input.value.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
    results.textContent = "";
    if (terms.length === 0) { results.hidden = true; return; }
    var found = [];
    index.forEach(function (entry, position) {
      var title = entry.title.toLowerCase(), text = entry.text.toLowerCase(), score = 0;
      for (var i = 0; i < terms.length; i++) {
        var inTitle = title.indexOf(terms[i]) >= 0, inText = text.indexOf(terms[i]) >= 0;
        if (!inTitle && !inText) { return; }
        score += (inTitle ? 10 : 0) + (inText ? 1 : 0);
      }
      found.push({entry: entry, score: score, position: position});
    });
    found.sort(function (a, b) { return b.score - a.score || a.position - b.position; });
    if (found.length === 0) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "No section mentions “" + input.value + "”.";
      results.appendChild(none);
    }
    found.slice(0, 12).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.entry.page + (hit.entry.anchor ? "#" + hit.entry.anchor : "");
      link.textContent = hit.entry.title;
      var text = document.createElement("span");
      text.textContent = snippet(hit.entry.text, terms[0]);
      item.appendChild(link);
      item.appendChild(text);
      results.appendChild(item);
    });
    results.hidden = false;
  }
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; search(); }
    if (event.key === "Enter") { var first = results.querySelector("a"); if (first) { first.click(); } }
  });
});
