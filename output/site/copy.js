// Copy buttons for code blocks. The site works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) { return; }
  document.querySelectorAll("pre > code").forEach(function (code) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      }, function () { button.textContent = "Select and copy"; });
    });
    code.parentNode.appendChild(button);
  });
});
