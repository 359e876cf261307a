// Progressive enhancement for trainer packs. Without JavaScript the handout says to use the
// browser's Print command, and the share link is there to select and copy by hand.
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll(".print-hint").forEach(function (hint) { hint.hidden = true; });

  // "Copy link": copies the share link and says so in the status beside the button.
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var status = document.getElementById(button.getAttribute("aria-describedby") || "");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        if (status) { status.textContent = "Link copied"; }
      }, function () {
        if (status) { status.textContent = "Could not copy: select the link and copy it"; }
      });
    });
  });
})();
