// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // "Link" controls copy the permanent link; without JavaScript they are ordinary links.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-copy-link]");
    if (!link || !navigator.clipboard || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    var url = new URL(link.getAttribute("href"), window.location.href).href;
    navigator.clipboard.writeText(url).then(function () {
      announce(link, "Link copied");
    }, function () {
      window.location.href = url;
    });
  });

  function announce(link, text) {
    var note = link.parentNode.querySelector(".copied");
    if (!note) {
      note = document.createElement("span");
      note.className = "copied";
      note.setAttribute("role", "status");
      link.insertAdjacentElement("afterend", note);
    }
    note.textContent = text;
    window.setTimeout(function () { note.textContent = ""; }, 4000);
  }
})();
