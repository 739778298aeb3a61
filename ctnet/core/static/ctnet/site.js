// A table wider than a phone scrolls inside its own box (site.css). A box that scrolls must be
// reachable by keyboard (WCAG 2.1.1): it gets a tab stop, named after its caption or the
// heading before it, only while it does scroll.
(function () {
  function label(table) {
    const caption = table.querySelector("caption");
    if (caption) return caption.textContent.trim();
    let el = table.previousElementSibling;
    while (el && !/^H[1-6]$/.test(el.tagName)) el = el.previousElementSibling;
    return el ? el.textContent.trim() : "";
  }
  function mark() {
    document.querySelectorAll("main table").forEach((table) => {
      const scrolls = table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
        table.dataset.scrollStop = "1";
        const name = label(table);
        if (name && !table.hasAttribute("aria-label")) table.setAttribute("aria-label", name);
      } else if (!scrolls && table.dataset.scrollStop) {
        table.removeAttribute("tabindex");
        delete table.dataset.scrollStop;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSettle", mark);
})();
