/* ctnet organisation picker: turns a server-rendered <select> (see core/picker.py) into a
   type-ahead combobox (WAI-ARIA combobox with a listbox popup, aria-activedescendant).
   htmx fetches the server-rendered options; this file only moves the focus mark, chooses and
   removes. Hand-written because no field library does keyboard and chips on top of
   htmx-rendered options without a build step; it stays small on purpose. The <select> keeps
   the chosen values, so the form posts exactly what it would without JavaScript. */
(function () {
  "use strict";

  function enhance(root) {
    if (root.dataset.ready || !window.htmx) return;
    root.dataset.ready = "1";
    var select = root.querySelector("select");
    var ui = root.querySelector(".picker-ui");
    var input = ui.querySelector(".picker-input");
    var list = ui.querySelector(".picker-list");
    var chips = ui.querySelector(".picker-chips");
    var status = ui.querySelector("[role=status]");
    var multiple = root.hasAttribute("data-multiple");
    var timer = null;
    var active = -1;

    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) label.htmlFor = input.id;
    select.hidden = true;
    select.tabIndex = -1;
    ui.hidden = false;

    function options() {
      return Array.prototype.filter.call(list.querySelectorAll("[role=option]"), function (o) {
        return o.getAttribute("aria-disabled") !== "true";
      });
    }

    function open(show) {
      list.hidden = !show;
      input.setAttribute("aria-expanded", show ? "true" : "false");
      if (!show) mark(-1);
    }

    function mark(index) {
      var all = options();
      all.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function optionFor(value) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === value) return select.options[i];
      }
      return null;
    }

    function renderChips() {
      chips.textContent = "";
      Array.prototype.forEach.call(select.selectedOptions, function (opt) {
        if (!opt.value) return;
        var li = document.createElement("li");
        var text = document.createElement("span");
        text.dir = "auto";
        text.textContent = opt.textContent;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", root.dataset.remove + " " + opt.textContent);
        remove.addEventListener("click", function () {
          opt.selected = false;
          renderChips();
          status.textContent = root.dataset.remove + " " + opt.textContent;
          input.focus();
        });
        li.appendChild(text);
        li.appendChild(remove);
        chips.appendChild(li);
      });
    }

    function choose(li) {
      var value = li.dataset.value;
      var opt = optionFor(value);
      if (!opt) {
        // Offered by the server but not in the select (a typed filter value): add it.
        opt = new Option(li.dataset.label, value);
        select.appendChild(opt);
      }
      if (!multiple) {
        Array.prototype.forEach.call(select.options, function (o) { o.selected = false; });
      }
      opt.selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      renderChips();
      status.textContent = li.dataset.label;
      input.value = "";
      open(false);
    }

    function search() {
      var q = input.value.trim();
      if (!q) { open(false); return; }
      window.htmx.ajax("GET", root.dataset.url, {
        source: input, target: list, swap: "innerHTML", values: { q: q, listbox: list.id }
      }).then(function () {
        open(list.children.length > 0);
        mark(options().length ? 0 : -1);
        status.textContent = options().length ? "" : (list.textContent || "").trim();
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (e) {
      var all = options();
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (list.hidden) { if (all.length) open(true); else return; }
        var step = e.key === "ArrowDown" ? 1 : -1;
        mark(all.length ? (active + step + all.length) % all.length : -1);
      } else if (e.key === "Enter") {
        // Enter chooses; it never submits the form from here (a half-typed name is not a value).
        e.preventDefault();
        if (!list.hidden && all[active]) choose(all[active]);
      } else if (e.key === "Escape") {
        if (!list.hidden) { e.preventDefault(); open(false); } else { input.value = ""; }
      } else if (e.key === "Backspace" && !input.value && multiple) {
        var chosen = Array.prototype.filter.call(select.selectedOptions, function (o) { return o.value; });
        if (chosen.length) {
          chosen[chosen.length - 1].selected = false;
          renderChips();
        }
      } else if (e.key === "Tab") {
        open(false);
      }
    });
    input.addEventListener("blur", function () { setTimeout(function () { open(false); }, 150); });
    list.addEventListener("mousedown", function (e) { e.preventDefault(); });
    list.addEventListener("click", function (e) {
      var li = e.target.closest("[role=option]");
      if (li && li.getAttribute("aria-disabled") !== "true") choose(li);
    });
    renderChips();
  }

  function enhanceAll(scope) {
    Array.prototype.forEach.call((scope || document).querySelectorAll("[data-picker]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(); });
  } else {
    enhanceAll();
  }
  document.addEventListener("htmx:load", function (e) { enhanceAll(e.target); });
})();
