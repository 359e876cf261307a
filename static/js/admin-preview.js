// Live preview for Markdown fields in the admin, rendered by the site's own renderer.
// Asked for only when the editor types (opening a page renders nothing again), after a pause in
// typing, and one request at a time: the server limits how many previews a user gets a minute.
(function () {
  "use strict";
  var PAUSE_MS = 500;
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function attach(preview) {
    var source = preview.previousElementSibling;
    while (source && source.tagName !== "TEXTAREA") { source = source.previousElementSibling; }
    if (!source || preview.dataset.bound) { return; }
    preview.dataset.bound = "1";
    var body = preview.querySelector(".markdown-preview-body");
    var timer = null;
    var busy = false;
    var again = false;
    function show(json) {
      preview.hidden = false;
      if (json.error) { body.textContent = json.error; } else { body.innerHTML = json.html; }
    }
    function refresh() {
      if (busy) { again = true; return; }
      busy = true;
      var data = new FormData();
      data.append("text", source.value);
      fetch(preview.dataset.previewUrl, {
        method: "POST", body: data, credentials: "same-origin",
        headers: {"X-CSRFToken": csrfToken()}
      }).then(function (r) { return r.json(); }).then(show).catch(function () {
        show({error: "The preview could not be loaded. Your text is not affected."});
      }).then(function () {
        busy = false;
        if (again) { again = false; schedule(); }
      });
    }
    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, PAUSE_MS);
    }
    source.addEventListener("input", schedule);
  }
  function attachAll() { document.querySelectorAll(".markdown-preview").forEach(attach); }
  document.addEventListener("DOMContentLoaded", attachAll);
  document.addEventListener("formset:added", attachAll);
})();
