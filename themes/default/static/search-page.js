/* casebook search page: the query box, filters with counts under the current query, and the
   results. The URL (?q=...&severity=SEV1&year=2024...) carries the whole state, so a search
   can be shared, and survives reload and back. Needs search.js (casebookSearch) first. */
(function () {
  "use strict";
  var api = window.casebookSearch, page = document.getElementById("search-page");
  if (!api || !api.query || !page) return;
  var ui = api.ui;
  var input = document.getElementById("search-page-q");
  var filtersEl = document.getElementById("search-filters");
  var countEl = document.getElementById("search-count");
  var fixEl = document.getElementById("search-fix");
  var listEl = document.getElementById("search-list");
  var moreEl = document.getElementById("search-more");
  var NAMES = ["kind", "severity", "year", "factor", "service"];
  var PAGE = 20, shown = PAGE, seq = 0, last = null;
  page.hidden = false;
  // The filters start folded (on a narrow screen the results come first); a wide screen shows
  // them beside the results. Opening them there moves nothing: they have their own column.
  if (window.matchMedia("(min-width: 52rem)").matches) document.getElementById("search-filters-toggle").open = true;

  function readState() {
    var p = new URLSearchParams(window.location.search), f = {};
    NAMES.forEach(function (n) { f[n] = p.getAll(n); });
    return { q: p.get("q") || "", filters: f };
  }
  var state = readState();
  function url() {
    var p = new URLSearchParams();
    if (state.q.trim()) p.set("q", state.q.trim());
    NAMES.forEach(function (n) { state.filters[n].forEach(function (v) { p.append(n, v); }); });
    var s = p.toString();
    return window.location.pathname + (s ? "?" + s : "");
  }

  /* The filter groups: one fieldset a field, built once. A lazy field (many values, its own
     file) starts folded and is fetched when its group is opened or the URL chooses a value of
     it; its values are listed once they have come. Later runs only change counts and checks. */
  var boxes = {}, groups = {}, opened = {};
  function buildFilters(fields) {
    filtersEl.textContent = "";
    fields.forEach(function (f) {
      if (!f.size) return;
      var fs = document.createElement("fieldset");
      fs.className = "facet facet-" + f.name;
      var legend = document.createElement("legend");
      legend.textContent = f.label;
      fs.appendChild(legend);
      var ul = document.createElement("ul"), fold = null;
      if (f.lazy) {
        fold = document.createElement("details");
        fold.className = "facet-fold";
        var summary = document.createElement("summary");
        summary.textContent = "All " + ui.plural(f.size, f.label.toLowerCase());
        fold.appendChild(summary);
        fold.appendChild(ul);
        fold.addEventListener("toggle", function () {
          if (!fold.open || opened[f.name]) return;
          opened[f.name] = true;
          run();
        });
        fs.appendChild(fold);
      } else {
        fs.appendChild(ul);
      }
      filtersEl.appendChild(fs);
      groups[f.name] = { ul: ul, fold: fold, built: false };
    });
  }
  function fillGroup(f) {
    var g = groups[f.name];
    if (!g || g.built || !f.values) return;
    g.built = true;
    f.values.forEach(function (v, i) {
      var li = document.createElement("li");
      var id = "filter-" + f.name + "-" + i;
      var box = document.createElement("input");
      box.type = "checkbox";
      box.id = id;
      box.name = f.name;
      box.value = v.v;
      box.addEventListener("change", function () {
        var list = state.filters[f.name].filter(function (x) { return x !== v.v; });
        if (box.checked) list.push(v.v);
        state.filters[f.name] = list;
        shown = PAGE;
        window.history.pushState(null, "", url());
        run();
      });
      var label = document.createElement("label");
      label.htmlFor = id;
      var name = document.createElement("span");
      name.className = "facet-label";
      name.textContent = v.l;
      var n = document.createElement("span");
      n.className = "facet-count";
      label.appendChild(name);
      label.appendChild(n);
      li.appendChild(box);
      li.appendChild(label);
      g.ul.appendChild(li);
      boxes[f.name + "\u0000" + v.v] = { box: box, count: n, li: li };
    });
  }

  function show(r) {
    r.fields.forEach(function (f) {
      fillGroup(f);
      var g = groups[f.name];
      if (g && g.fold && state.filters[f.name].length && !g.fold.open) {
        opened[f.name] = true;
        g.fold.open = true;
      }
    });
    Object.keys(boxes).forEach(function (k) {
      var parts = k.split("\u0000"), b = boxes[k], c = (r.counts[parts[0]] || {})[parts[1]] || 0;
      b.box.checked = state.filters[parts[0]].indexOf(parts[1]) >= 0;
      b.count.textContent = String(c);
      b.li.classList.toggle("facet-empty", c === 0 && !b.box.checked);
    });
    var q = state.q.trim(), chosen = 0;
    NAMES.forEach(function (n) { chosen += state.filters[n].length; });
    var filtered = chosen > 0;
    document.querySelector("#search-filters-toggle summary").textContent = "Filters" + (chosen ? " (" + chosen + " chosen)" : "");
    var what = ui.plural(r.ids.length, "result");
    if (q) what += " for “" + (r.fixed || q) + "”";
    if (filtered) what += " with the filters chosen";
    if (!q && !filtered) what = r.ids.length + " documents, newest first. Type to search, or choose filters.";
    countEl.textContent = what;
    fixEl.hidden = !r.fixed;
    fixEl.textContent = r.fixed ? "Nothing matched “" + q + "”; showing results for “" + r.fixed + "” instead." : "";
    return api.docs(r.ids.slice(0, shown)).then(function (rows) {
      var isHit = ui.matcher(r.marks);
      listEl.textContent = "";
      rows.forEach(function (d) {
        var li = document.createElement("li");
        var a = ui.hitElement("a", d, isHit);
        a.href = d.href;
        li.appendChild(a);
        listEl.appendChild(li);
      });
      moreEl.hidden = r.ids.length <= shown;
      page.setAttribute("data-state", "ready");
    });
  }

  function run() {
    var mine = ++seq;
    page.setAttribute("data-state", "busy");
    return api.query(state.q, state.filters, Object.keys(opened)).then(function (r) {
      if (mine !== seq) return null;
      last = r;
      return show(r);
    }).catch(function (e) {
      countEl.textContent = "Search is unavailable: " + e.message;
      page.setAttribute("data-state", "error");
    });
  }

  input.value = state.q;
  input.addEventListener("input", function () {
    state.q = input.value;
    shown = PAGE;
    window.history.replaceState(null, "", url());
    run();
  });
  document.getElementById("search-page-form").addEventListener("submit", function (e) { e.preventDefault(); });
  moreEl.addEventListener("click", function () {
    shown += PAGE;
    if (last) show(last);
  });
  window.addEventListener("popstate", function () {
    state = readState();
    input.value = state.q;
    shown = PAGE;
    run();
  });
  api.fields().then(function (fields) {
    buildFilters(fields);
    return run();
  }).catch(function (e) { countEl.textContent = "Search is unavailable: " + e.message; });
  if (!state.q) input.focus();
})();
