// Keeps this editor's "has the document open" marker fresh while the admin page is open, and
// shows who else has it open. The page says so without this script too (as of its loading).
(function () {
  "use strict";
  var box = document.querySelector("[data-presence-url]");
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!box || !tokenInput) {
    return;
  }
  var url = box.getAttribute("data-presence-url");
  var every = Number(box.getAttribute("data-presence-refresh")) * 1000 || 30000;

  function body() {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", tokenInput.value);
    return data;
  }

  function ping() {
    fetch(url, { method: "POST", body: body(), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.summary && box.textContent !== data.summary) {
          box.textContent = data.summary;
          box.classList.toggle("presence-others", data.others.length > 0);
        }
      })
      .catch(function () { /* offline for a moment: the next ping tries again */ });
  }

  window.setInterval(ping, every);
}());
