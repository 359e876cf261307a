// Progressive enhancement for the pack handout: a Print button. Without JavaScript the page says
// to use the browser's Print command instead.
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll(".print-hint").forEach(function (hint) { hint.hidden = true; });
})();
