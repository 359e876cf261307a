// Live preview for Markdown fields in the admin, rendered by the site's own renderer and shown
// with the site's own stylesheet (in a frame, so the admin's styles do not change it).
// Asked for only when the editor types (opening a page renders nothing again), after a pause in
// typing, and one request at a time: the server limits how many previews a user gets a minute.
(function () {
  "use strict";
  var PAUSE_MS = 500;
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  // The document whose references the text cites: the section's or key message's own page
  // names it in its "briefing" field; the document's page is at /briefing/<id>/change/.
  function documentId() {
    var select = document.getElementById("id_briefing");
    if (select && select.value) { return select.value; }
    var match = window.location.pathname.match(/\/briefings\/briefing\/(\d+)\/change\//);
    return match ? match[1] : "";
  }
  function escapeAttr(value) {
    return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }
  function frameDocument(preview, html) {
    var links = preview.dataset.stylesheets.split(" ").map(function (href) {
      return '<link rel="stylesheet" href="' + escapeAttr(href) + '">';
    }).join("");
    return '<!doctype html><html lang="en"><head><meta charset="utf-8">' + links +
      '</head><body><main><div class="prose">' + html + "</div></main></body></html>";
  }
  function attach(preview) {
    var source = preview.previousElementSibling;
    while (source && source.tagName !== "TEXTAREA") { source = source.previousElementSibling; }
    if (!source || preview.dataset.bound) { return; }
    preview.dataset.bound = "1";
    var editor = preview.parentElement;
    var body = preview.querySelector(".markdown-preview-body");
    var problems = preview.querySelector(".preview-problems");
    var frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-same-origin");
    frame.setAttribute("title", "Preview of " + (source.labels && source.labels[0] ?
      source.labels[0].textContent.replace(/:\s*$/, "") : "the text"));
    frame.addEventListener("load", function () {
      var doc = frame.contentDocument;
      if (doc && doc.documentElement) {
        frame.style.height = (doc.documentElement.scrollHeight + 4) + "px";
      }
    });
    var timer = null;
    var busy = false;
    var again = false;
    function showProblems(list) {
      problems.textContent = "";
      (list || []).forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        problems.appendChild(item);
      });
      problems.hidden = !(list && list.length);
    }
    function show(json) {
      preview.hidden = false;
      editor.classList.add("has-preview");
      if (json.error) {
        body.textContent = json.error;
        showProblems([]);
        return;
      }
      if (!frame.parentNode) { body.textContent = ""; body.appendChild(frame); }
      frame.srcdoc = frameDocument(preview, json.html);
      showProblems(json.problems);
    }
    function refresh() {
      if (busy) { again = true; return; }
      busy = true;
      var data = new FormData();
      data.append("text", source.value);
      data.append("document", documentId());
      data.append("inline", source.dataset.inline || "");
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
