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

// Facet counts the page did not wait for (large result sets): fetched from the JSON API and drawn
// as the page draws them, each value a link that narrows the list.
(function () {
  "use strict";
  var late = document.querySelector(".facets-late[data-facets]");
  if (!late || !window.fetch) return;
  var spec = JSON.parse(late.querySelector(".facet-spec").textContent);
  fetch(late.dataset.facets, { headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(function (body) {
      var total = document.createElement("p");
      total.className = "muted";
      total.textContent = body.total + " events; counts " + (body.estimated.length ? "partly estimated from a sample" : "exact") + ".";
      late.replaceChildren(total);
      spec.forEach(function (entry) {
        var name = entry[0], param = entry[1], title = entry[2], values = body.facets[name] || [];
        if (!values.length) return;
        var section = document.createElement("section");
        section.className = "facet";
        var heading = document.createElement("h2");
        heading.textContent = title + (body.estimated.indexOf(name) >= 0 ? " ≈" : "");
        var list = document.createElement("ul");
        values.forEach(function (v) {
          var params = new URLSearchParams(window.location.search);
          params.delete("cursor");
          if (param === "actor") { if (params.getAll(param).indexOf(v.value) < 0) params.append(param, v.value); }
          else params.set(param, v.value);
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = "?" + params.toString();
          link.dataset.facet = name;
          link.dataset.value = v.value;
          var label = document.createElement("bdi");
          label.textContent = name === "has_conflict" ? (v.value === "true" ? "yes" : "no") : v.label;
          link.appendChild(label);
          var count = document.createElement("span");
          count.className = "count";
          count.textContent = v.count;
          item.append(link, " ", count);
          list.appendChild(item);
        });
        section.append(heading, list);
        late.appendChild(section);
      });
    })
    .catch(function () { /* the link to the JSON stays */ });
})();
