// Progressive enhancement: the print buttons show only where a script can press them.
"use strict";
document.querySelectorAll("button.print").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
