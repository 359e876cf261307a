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

  // Disclosures that are closed on a phone (the menu, the contents, the search filters) open
  // on a wide screen, where there is room to show them. Without JavaScript they stay closed
  // and open with a tap or Enter, like any <details>.
  var opened = false;
  Array.prototype.forEach.call(document.querySelectorAll("details[data-wide-open]"), function (details) {
    var query = window.matchMedia("(min-width: " + (details.getAttribute("data-wide-open") || "60rem") + ")");
    function apply() { details.open = query.matches; }
    apply();
    opened = opened || details.open;
    if (query.addEventListener) {
      query.addEventListener("change", apply);
    }
  });
  // Opening them moves what follows down: bring the part the address points at (#pack-added,
  // a section) back into view, as the browser had placed it.
  var target = opened && window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
  if (target) {
    target.scrollIntoView();
  }

  // The phone menu lies over the page: a tap elsewhere or Escape closes it.
  var menu = document.querySelector(".site-menu");
  if (menu) {
    var wide = window.matchMedia("(min-width: " + (menu.getAttribute("data-wide-open") || "48rem") + ")");
    document.addEventListener("click", function (event) {
      if (menu.open && !wide.matches && !menu.contains(event.target)) {
        menu.open = false;
      }
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open && !wide.matches) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }

  // Print: a button where JavaScript can print; the hint to use the browser's command otherwise.
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-print-hint]"), function (hint) {
    hint.hidden = true;
  });

  // The printed date is the day of printing, not the day the page was made (it may be cached).
  function stampPrintDate() {
    var now = new Date();
    var text = now.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    var iso = now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
      String(now.getDate()).padStart(2, "0");
    Array.prototype.forEach.call(document.querySelectorAll("[data-print-date]"), function (time) {
      time.textContent = text;
      time.setAttribute("datetime", iso);
    });
  }
  stampPrintDate();
  window.addEventListener("beforeprint", stampPrintDate);

  // "Back to top" stays out of the way until the reader has scrolled past the first screen.
  var backToTop = document.querySelectorAll("[data-back-to-top]");
  if (backToTop.length) {
    var ticking = false;
    var placeBackToTop = function () {
      ticking = false;
      var atTop = window.scrollY < window.innerHeight * 0.75;
      Array.prototype.forEach.call(backToTop, function (el) { el.classList.toggle("at-top", atTop); });
    };
    placeBackToTop();
    window.addEventListener("scroll", function () {
      if (!ticking) {
        ticking = true;
        window.requestAnimationFrame(placeBackToTop);
      }
    }, { passive: true });
  }

  // Citations: show the full reference in place, from the page's own reference list, rather
  // than leave the page. Without JavaScript (or a list entry) the link goes to the list.
  var open = null;

  function entryFor(link) {
    var hash = new URL(link.getAttribute("href"), window.location.href).hash;
    if (!hash || hash.indexOf("#ref-") !== 0) {
      return null;
    }
    var item = document.getElementById(decodeURIComponent(hash.slice(1)));
    return item && item.closest(".reference-list") ? item : null;
  }

  Array.prototype.forEach.call(document.querySelectorAll("a.citation"), function (link) {
    if (entryFor(link)) {
      link.setAttribute("aria-expanded", "false");
    }
  });

  function closePopover(returnFocus) {
    if (!open) {
      return;
    }
    var current = open;
    open = null;
    current.popover.remove();
    current.link.setAttribute("aria-expanded", "false");
    if (returnFocus) {
      current.link.focus();
    }
  }

  function showPopover(link, item) {
    closePopover(false);
    var popover = document.createElement("span");
    popover.className = "citation-popover";
    popover.id = "citation-popover";
    popover.setAttribute("role", "dialog");
    popover.setAttribute("aria-labelledby", "citation-popover-label");
    popover.tabIndex = -1;

    var label = document.createElement("span");
    label.className = "popover-label";
    label.id = "citation-popover-label";
    label.textContent = "Reference: " + link.textContent;
    popover.appendChild(label);

    var entry = document.createElement("span");
    entry.className = "popover-entry";
    Array.prototype.forEach.call(item.childNodes, function (node) {
      if (node.nodeType === 1 && node.classList.contains("cited-in")) {
        return;
      }
      entry.appendChild(node.cloneNode(true));
    });
    popover.appendChild(entry);

    var actions = document.createElement("span");
    actions.className = "popover-actions";
    var goTo = document.createElement("a");
    goTo.href = "#" + item.id;
    goTo.textContent = "Go to the reference list";
    goTo.addEventListener("click", function () { closePopover(false); });
    var close = document.createElement("button");
    close.type = "button";
    close.className = "secondary-button";
    close.textContent = "Close";
    close.addEventListener("click", function () { closePopover(true); });
    actions.appendChild(goTo);
    actions.appendChild(close);
    popover.appendChild(actions);

    // Right after the link, so reading and Tab order continue from the citation into it.
    link.insertAdjacentElement("afterend", popover);
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", "citation-popover");
    place(popover, link);
    open = { popover: popover, link: link };
    popover.focus();
  }

  function place(popover, link) {
    var rect = link.getBoundingClientRect();
    var origin = popover.offsetParent ? popover.offsetParent.getBoundingClientRect() : { left: 0, top: 0 };
    var width = popover.offsetWidth;
    var left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    popover.style.left = (left - origin.left) + "px";
    popover.style.top = (rect.bottom + 6 - origin.top) + "px";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.citation");
    if (link && !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey)) {
      var item = entryFor(link);
      if (item) {
        event.preventDefault();
        if (open && open.link === link) {
          closePopover(true);
        } else {
          showPopover(link, item);
        }
        return;
      }
    }
    if (open && !open.popover.contains(event.target)) {
      closePopover(false);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) {
      closePopover(true);
    }
  });

  document.addEventListener("focusin", function (event) {
    if (open && !open.popover.contains(event.target) && event.target !== open.link) {
      closePopover(false);
    }
  });
})();
