/* Every admin page (templates/admin/base_site.html): names for the controls of Django's stock
 * admin widgets that have none, so that they pass axe-core and a screen reader can say what each
 * box is.
 *
 * - Tabular inlines (a document's key messages and references, a pack's items): each box in a
 *   row is named from its column's heading and the row's number ("Text, row 2"); the empty
 *   heading over the rows' hidden fields says "Row".
 * - Autocomplete boxes (select2: themes, references, a pack's sections): named from the field's
 *   label (or its column and row); the mouse-only "remove all" cross is hidden from screen
 *   readers (Backspace and each choice's own cross do the same); the open list of suggestions
 *   is named, a region of the page, and controlled by its box.
 * - The two-box picker (audiences): its filter icons are images with a name.
 * - Date and time boxes: named by their field and their part ("Publish from: Date:").
 *
 * Django and select2 build these after the page loads and again when a row is added or a choice
 * made, so the names are (re)applied whenever the page's elements change. Every change below is
 * made only when it differs from what is there, so applying them again changes nothing.
 */
(function () {
  "use strict";

  function setAttr(el, name, value) {
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }

  function textOf(el) {
    return (el ? el.textContent : "").replace(/\s+/g, " ").trim().replace(/:$/, "");
  }

  function hiddenText(parent, className, text, first) {
    let span = parent.querySelector(":scope > ." + className);
    if (!span) {
      span = document.createElement("span");
      span.className = "visually-hidden " + className;
      if (first) parent.prepend(span);
      else parent.append(span);
    }
    if (span.textContent !== text) span.textContent = text;
    return span;
  }

  let nextId = 0;
  function idOf(el) {
    if (!el.id) el.id = "a11y-name-n" + ++nextId;
    return el.id;
  }

  // ---- tabular inlines -------------------------------------------------------------------

  function nameTabularRows(group) {
    const table = group.querySelector("table");
    if (!table || !table.tHead) return;
    const headings = Array.from(table.tHead.rows[0].cells);
    headings.forEach(function (th, index) {
      if (th.tagName !== "TH" || textOf(th)) return;
      if (th.classList.contains("original")) {
        hiddenText(th, "a11y-heading", "Row");
      } else if (index === headings.length - 1) {
        // The "Delete?" column of a formset the editor may not delete from: no heading, no
        // controls. A data cell rather than an empty heading.
        const cell = document.createElement("td");
        cell.className = th.className;
        th.replaceWith(cell);
      }
    });
    const rows = Array.from(table.tBodies[0] ? table.tBodies[0].rows : []).filter(function (row) {
      return row.classList.contains("form-row") && !row.classList.contains("empty-form");
    });
    rows.forEach(function (row, index) {
      const number = "row " + (index + 1);
      Array.from(row.cells).forEach(function (cell, column) {
        const heading = textOf(headings[column]) || "Row";
        cell.querySelectorAll("input, select, textarea").forEach(function (control) {
          if (control.type === "hidden" || control.closest(".select2")) return;
          if (control.id && document.querySelector('label[for="' + control.id + '"]')) return;
          if (control.hasAttribute("aria-label") && !control.hasAttribute("data-row-name")) return;
          setAttr(control, "data-row-name", "");
          setAttr(control, "aria-label", heading + ", " + number);
        });
      });
    });
  }

  // ---- autocomplete boxes (select2) ------------------------------------------------------

  function fieldName(select) {
    if (!select) return "";
    if (select.getAttribute("aria-label")) return select.getAttribute("aria-label");
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return textOf(label) || select.name || "";
  }

  function nameAutocomplete(select) {
    const container = select.nextElementSibling;
    if (!container || !container.classList.contains("select2")) return;
    const name = fieldName(select);
    const selection = container.querySelector(".select2-selection");
    if (!selection || !name) return;
    if (selection.classList.contains("select2-selection--single")) {
      // select2 names the box by its current choice alone; name it "<field> <choice>".
      const rendered = selection.querySelector(".select2-selection__rendered");
      const label = hiddenText(container, "a11y-field-name", name, true);
      if (rendered) {
        if (rendered.getAttribute("role") === "textbox") {
          rendered.removeAttribute("role");
          rendered.removeAttribute("aria-readonly");
        }
        setAttr(selection, "aria-labelledby", idOf(label) + " " + idOf(rendered));
      } else {
        setAttr(selection, "aria-label", name);
      }
    } else {
      setAttr(selection, "aria-label", name);
      const search = selection.querySelector(".select2-search__field");
      if (search) setAttr(search, "aria-label", name);
    }
    container.querySelectorAll(".select2-selection__clear").forEach(function (cross) {
      setAttr(cross, "aria-hidden", "true");
    });
  }

  function nameOpenDropdowns() {
    // The open list of suggestions (and a single box's search field) is at the end of the page,
    // outside the page's landmarks: it is made a region of its own, named for its field, and
    // the box that opened it says that it controls the list.
    document.querySelectorAll(".select2-dropdown .select2-results__options[id]").forEach(function (list) {
      const found = /^select2-(.+)-results$/.exec(list.id);
      const select = found && document.getElementById(found[1]);
      const name = fieldName(select);
      if (!name) return;
      setAttr(list, "aria-label", "Suggestions for " + name);
      const popup = list.closest(".select2-container");
      if (popup) {
        setAttr(popup, "role", "region");
        setAttr(popup, "aria-label", "Search " + name);
      }
      const search = popup && popup.querySelector(".select2-search__field");
      if (search) setAttr(search, "aria-label", "Search " + name);
      const box = select.nextElementSibling && select.nextElementSibling.querySelector(".select2-selection");
      if (box) setAttr(box, "aria-controls", list.id);
    });
    // A closed box controls nothing on the page.
    document.querySelectorAll(".select2-selection[aria-controls]").forEach(function (box) {
      if (!document.getElementById(box.getAttribute("aria-controls"))) box.removeAttribute("aria-controls");
    });
  }

  // ---- the two-box picker (filter_horizontal) --------------------------------------------

  function nameFilterIcons() {
    document.querySelectorAll(".selector .help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // ---- date and time boxes --------------------------------------------------------------

  function nameDateTimeParts() {
    // "Date:" and "Time:" label their boxes (templates/admin/widgets/split_datetime.html); the
    // field's own label ("Publish from:") is for no box, so each box is named by both.
    document.querySelectorAll("p.datetime label.datetime-part").forEach(function (part) {
      const box = document.getElementById(part.htmlFor);
      const row = part.closest(".fieldBox, .form-row");
      const field = row && row.querySelector("label:not(.datetime-part)");
      if (box && field) setAttr(box, "aria-labelledby", idOf(field) + " " + idOf(part));
    });
  }

  function applyAll() {
    document.querySelectorAll('.inline-group[data-inline-type="tabular"]').forEach(nameTabularRows);
    document.querySelectorAll("select.select2-hidden-accessible").forEach(nameAutocomplete);
    nameOpenDropdowns();
    nameFilterIcons();
    nameDateTimeParts();
  }

  let queued = false;
  function queue() {
    if (queued) return;
    queued = true;
    queueMicrotask(function () {
      queued = false;
      applyAll();
    });
  }

  applyAll();
  new MutationObserver(queue).observe(document.body, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", queue);
  window.addEventListener("load", queue);
})();
