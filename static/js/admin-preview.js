// Live preview for Markdown fields in the admin, rendered by the site's own renderer.
(function () {
  "use strict";
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
    function refresh() {
      var data = new FormData();
      data.append("text", source.value);
      fetch(preview.dataset.previewUrl, {
        method: "POST", body: data, credentials: "same-origin",
        headers: {"X-CSRFToken": csrfToken()}
      }).then(function (r) { return r.json(); }).then(function (json) {
        preview.hidden = false;
        if (json.error) { body.textContent = json.error; } else { body.innerHTML = json.html; }
      });
    }
    source.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    });
    if (source.value) { refresh(); }
  }
  function attachAll() { document.querySelectorAll(".markdown-preview").forEach(attach); }
  document.addEventListener("DOMContentLoaded", attachAll);
  document.addEventListener("formset:added", attachAll);
})();
