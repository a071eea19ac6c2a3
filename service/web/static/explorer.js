// Marsad explorer: optional enhancements. Every page works without this file.
(function () {
  "use strict";

  // Filter forms: leave empty fields out of the URL (the server redirects such URLs otherwise),
  // and apply a select's choice at once.
  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (field) {
        if (field.name && !field.value.trim()) field.disabled = true;
      });
    });
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () {
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      });
    });
  });

  // Highlights: a click shows every extracted fact covering that point, each linked to its record.
  var popover = null;
  function closePopover() {
    if (popover) { popover.remove(); popover = null; }
    document.querySelectorAll("mark.hl.focus").forEach(function (m) { m.classList.remove("focus"); });
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (popover && popover.contains(target)) return;
    closePopover();
    var mark = target.closest ? target.closest("mark.hl[data-href]") : null;
    if (!mark) return;
    var list = document.createElement("ul");
    for (var m = mark; m && m.matches && m.matches("mark.hl"); m = m.parentElement.closest("mark.hl")) {
      if (!m.dataset.href) continue;
      m.classList.add("focus");
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = m.dataset.href;
      link.textContent = m.title || m.dataset.kind;
      link.setAttribute("dir", "auto");
      item.appendChild(link);
      item.appendChild(document.createTextNode(" (" + m.dataset.start + "–" + m.dataset.end + ")"));
      list.appendChild(item);
    }
    popover = document.createElement("div");
    popover.className = "span-popover";
    popover.setAttribute("role", "dialog");
    popover.setAttribute("aria-label", "Facts extracted here");
    popover.appendChild(list);
    document.body.appendChild(popover);
    var box = mark.getBoundingClientRect();
    popover.style.top = (window.scrollY + box.bottom + 6) + "px";
    popover.style.left = Math.max(8, Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - popover.offsetWidth - 8)) + "px";
    var first = popover.querySelector("a");
    if (first) first.focus();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closePopover();
  });
})();
