// Progressive enhancement: the print buttons show only where a script can press them.
"use strict";
document.querySelectorAll("button.print").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});

// The evidence prints in full: print.css opens it where the browser lets a stylesheet do so; here,
// for the others, the closed sections are opened for printing and closed again after.
var openedForPrint = [];
window.addEventListener("beforeprint", function () {
  openedForPrint = Array.prototype.filter.call(document.querySelectorAll(".evidence details"), function (details) {
    return !details.open;
  });
  openedForPrint.forEach(function (details) { details.open = true; });
});
window.addEventListener("afterprint", function () {
  openedForPrint.forEach(function (details) { details.open = false; });
  openedForPrint = [];
});
