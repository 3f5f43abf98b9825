/* casebook search: the browser half of the index that `casebook build` writes under search/.
   Plain JavaScript, no build step. Index files are data scripts that call
   casebookSearch.load(name, data), so they load from any static host, under a sub-path and from
   file://. Words are folded here as the build folds them; stems come from the index itself.
   Three parts: the engine (load, match, rank, count), the header box (results as you type) and
   the search page (filters and a URL that carries the state). */
(function () {
  "use strict";
  var form = document.querySelector("form.search-box");
  if (!form) return;
  document.documentElement.classList.add("js");
  var root = form.getAttribute("data-root") || "";

  /* ---- Loading data files ------------------------------------------------------------ */
  var cache = {}, waiting = {};
  var api = window.casebookSearch = {
    load: function (name, data) {
      cache[name] = data;
      (waiting[name] || []).forEach(function (w) { w.ok(data); });
      delete waiting[name];
    }
  };
  function need(name) {
    if (cache[name]) return Promise.resolve(cache[name]);
    return new Promise(function (ok, fail) {
      if (waiting[name]) { waiting[name].push({ ok: ok, fail: fail }); return; }
      waiting[name] = [{ ok: ok, fail: fail }];
      var s = document.createElement("script");
      s.src = root + "search/" + name + ".js";
      s.async = true;
      var failed = function () {
        (waiting[name] || []).forEach(function (w) { w.fail(new Error("search index file missing: " + s.src)); });
        delete waiting[name];
      };
      s.onerror = failed;
      s.onload = function () { if (waiting[name]) failed(); };
      document.head.appendChild(s);
    });
  }
  function all(names) { return Promise.all(names.map(need)); }

  /* ---- Words, as the build reads them -------------------------------------------------- */
  var segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter("en", { granularity: "word" }) : null;
  function fold(s) { return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase(); }
  function words(text) {
    var out = [];
    var parts = segmenter ? Array.from(segmenter.segment(text), function (x) { return x.isWordLike ? x.segment : " "; }) : [text];
    parts.forEach(function (p) {
      fold(p).split(/[^\p{L}\p{N}]+/u).forEach(function (w) {
        if (w && Array.from(w).length <= 40) out.push(w);
      });
    });
    return out;
  }

  /* ---- The index: shards, postings, documents ------------------------------------------ */
  function shardOf(m, key) {
    var lo = 0, hi = m.shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (m.shards[mid] <= key) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  function range(a, b) { var r = []; for (var i = a; i <= b; i++) r.push("s/" + i); return r; }
  /* A stem's postings: {docs, ws} with the weight byte of each (bit 7 title, bit 6 factor,
     low six bits the BM25 part). `L`: varint gaps and weight bytes; `D`: a bitset of the
     documents, then a nibble each (two bits title/factor/neither, two the score's quarter). */
  var decoded = {};
  function postings(m, shard, stem) {
    if (decoded[stem]) return decoded[stem];
    var str = shard.p[stem], s = atob(str.slice(1)), docs = [], ws = [], i = 0, doc = 0;
    if (str[0] === "D") {
      var nb = (m.n + 7) >> 3, k = 0;
      for (var d = 0; d < m.n; d++) {
        if (!((s.charCodeAt(d >> 3) >> (d & 7)) & 1)) continue;
        var nib = (s.charCodeAt(nb + (k >> 1)) >> ((k & 1) * 4)) & 15, cls = nib >> 2;
        docs.push(d);
        ws.push((cls === 2 ? 0x80 : cls === 1 ? 0x40 : 0) | ((nib & 3) * 16 + 8));
        k++;
      }
      return (decoded[stem] = { docs: docs, ws: ws });
    }
    while (i < s.length) {
      var gap = 0, shift = 0, b;
      do { b = s.charCodeAt(i++); gap += (b & 0x7f) * Math.pow(2, shift); shift += 7; } while (b & 0x80);
      doc += gap;
      docs.push(doc);
      ws.push(s.charCodeAt(i++));
    }
    return (decoded[stem] = { docs: docs, ws: ws });
  }
  function shardFor(m, key) { return cache["s/" + shardOf(m, key)]; }
  // A prefix shorter than three letters matches too much to be worth its shards.
  var MAX_PREFIX_SHARDS = 6, MAX_STEMS = 80, MIN_PREFIX = 3;

  /* The stems a query word stands for: its own stem, and with `prefix` those of every word
     that starts with it. Resolves to {stems: {stem: true}, words: [index words matched]}. */
  function stemsOf(m, word, prefix) {
    var first = shardOf(m, word);
    var last = prefix ? Math.min(shardOf(m, word + "\uffff"), first + MAX_PREFIX_SHARDS) : first;
    return all(range(first, last)).then(function (shards) {
      var stems = {}, found = [], count = 0;
      var add = function (w, stem) {
        if (count >= MAX_STEMS && !stems[stem]) return;
        if (!stems[stem]) count++;
        stems[stem] = true;
        found.push(w);
      };
      shards.forEach(function (sh) {
        if (!prefix) {
          if (sh.w[word]) add(word, sh.w[word]);
          if (sh.p[word]) add(word, word);
          return;
        }
        Object.keys(sh.w).forEach(function (w) { if (w.lastIndexOf(word, 0) === 0) add(w, sh.w[w]); });
        Object.keys(sh.p).forEach(function (w) { if (w.lastIndexOf(word, 0) === 0) add(w, w); });
      });
      var names = {};
      Object.keys(stems).forEach(function (s) { names["s/" + shardOf(m, s)] = true; });
      return all(Object.keys(names)).then(function () { return { stems: stems, words: found }; });
    });
  }

  function idf(n, df) { return Math.log(1 + (n - df + 0.5) / (df + 0.5)); }

  /* Documents holding every word (AND), ranked: by the words found in the title (two points
     each) or a factor's name (one point), then by BM25, then the newest first. */
  function rank(m, terms) {
    var n = m.n, count = new Uint8Array(n), score = new Float64Array(n), hits = new Uint8Array(n);
    var last = [];
    terms.forEach(function (t, i) {
      var best = new Float32Array(n), title = new Uint8Array(n), touched = [];
      Object.keys(t.stems).forEach(function (stem) {
        var sh = shardFor(m, stem);
        if (!sh || !sh.p[stem]) return;
        var p = postings(m, sh, stem), w = idf(n, p.docs.length);
        for (var k = 0; k < p.docs.length; k++) {
          var d = p.docs[k];
          if (count[d] !== i) continue;
          var s = w * (p.ws[k] & 63) / 63;
          if (best[d] === 0) touched.push(d);
          if (s > best[d]) best[d] = s;
          var hit = p.ws[k] & 0x80 ? 2 : (p.ws[k] & 0x40 ? 1 : 0);
          if (hit > title[d]) title[d] = hit;
        }
      });
      touched.forEach(function (d) { count[d] = i + 1; score[d] += best[d]; hits[d] += title[d]; });
      last = touched;
    });
    var out = last.filter(function (d) { return count[d] === terms.length; });
    out.sort(function (a, b) { return hits[b] - hits[a] || score[b] - score[a] || b - a; });
    return out;
  }

  function oneEdit(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  /* The most common index word one edit away from `word` that keeps its first letter. */
  function nearWord(m, word) {
    var first = shardOf(m, word[0]), last = Math.min(shardOf(m, word[0] + "\uffff"), first + 2 * MAX_PREFIX_SHARDS);
    return all(range(first, last)).then(function (shards) {
      var best = null, bestDf = 0;
      shards.forEach(function (sh) {
        [sh.w, sh.p].forEach(function (map) {
          Object.keys(map).forEach(function (w) {
            if (!oneEdit(word, w)) return;
            var stem = map === sh.w ? sh.w[w] : w;
            var home = shardFor(m, stem);
            var df = home && home.p[stem] ? postings(m, home, stem).docs.length : 1;
            if (df > bestDf) { best = w; bestDf = df; }
          });
        });
      });
      return best;
    });
  }

  /* A word the index never saw in that form ("failing" when only "failed" occurs): the longest
     of its prefixes, four letters at least and at most four short of it, that is a stem of the
     index, shown as the shortest index word with that stem. Resolves to that word or null. */
  var MIN_STEM = 4, MAX_SUFFIX = 4;
  function stemPrefix(m, word) {
    var chars = Array.from(word), shortest = Math.max(MIN_STEM, chars.length - MAX_SUFFIX);
    if (chars.length <= shortest) return Promise.resolve(null);
    var first = shardOf(m, chars.slice(0, shortest).join("")), last = Math.min(shardOf(m, word), first + MAX_PREFIX_SHARDS);
    return all(range(first, last)).then(function (shards) {
      for (var n = chars.length - 1; n >= shortest; n--) {
        var stem = chars.slice(0, n).join(""), sh = shardFor(m, stem);
        if (!sh || !sh.p[stem]) continue;
        var seen = [];
        shards.forEach(function (x) { Object.keys(x.w).forEach(function (w) { if (x.w[w] === stem) seen.push(w); }); });
        seen.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); });
        return seen[0] || stem;
      }
      return null;
    });
  }
  function nearer(m, word) {
    return stemPrefix(m, word).then(function (w) { return w || nearWord(m, word); });
  }

  /* Runs a query: resolves to {ids (ranked), marks (words to highlight), fixed (the query
     searched instead, or null)}; ids is null when the query has no words. */
  function search(q, prefix) {
    return need("index").then(function (m) {
      var stop = {};
      m.stop.forEach(function (w) { stop[w] = true; });
      var tokens = words(q).filter(function (w) { return !stop[w]; });
      if (!tokens.length) return { ids: null, marks: [], fixed: null };
      var typing = prefix && !/\s$/.test(q);
      var run = function (toks, fixed) {
        return Promise.all(toks.map(function (w, i) {
          return stemsOf(m, w, typing && !fixed && i === toks.length - 1 && w.length >= MIN_PREFIX);
        })).then(function (terms) {
          var marks = toks.slice();
          terms.forEach(function (t) { marks.push.apply(marks, t.words); Object.keys(t.stems).forEach(function (s) { marks.push(s); }); });
          return { ids: rank(m, terms), marks: marks, terms: terms, fixed: fixed };
        });
      };
      return run(tokens, null).then(function (r) {
        if (r.ids.length) return r;
        var lost = tokens.map(function (w, i) { return !Object.keys(r.terms[i].stems).length && Array.from(w).length >= 5; });
        if (!lost.some(Boolean)) return r;
        return Promise.all(tokens.map(function (w, i) { return lost[i] ? nearer(m, w) : Promise.resolve(w); }))
          .then(function (fixed) {
            if (fixed.some(function (w) { return !w; })) return r;
            return run(fixed, fixed.join(" ")).then(function (r2) { return r2.ids.length ? r2 : r; });
          });
      });
    });
  }

  /* Document rows: [kind, path, title, date, severity, summary, sentences]. */
  function docs(ids) {
    return need("index").then(function (m) {
      var groups = {};
      ids.forEach(function (id) { groups["d/" + Math.floor(id / m.group)] = true; });
      return all(Object.keys(groups)).then(function () {
        return ids.map(function (id) {
          var r = cache["d/" + Math.floor(id / m.group)][id % m.group];
          return { id: id, kind: r[0], href: root + r[1] + (m.pretty ? "" : "index.html"), title: r[2], date: r[3], severity: r[4], summary: r[5], sentences: r[6] };
        });
      });
    });
  }

  /* ---- Facets: sets of document numbers as bitsets ------------------------------------- */
  function bitset(n) { return new Uint32Array((n + 31) >> 5); }
  function decodeSet(d, n) {
    if (d[0] === "R") return riceSet(d, n);
    var set = bitset(n), s = atob(d.slice(1)), i;
    if (d[0] === "B") {
      for (i = 0; i < s.length; i++) set[i >> 2] |= s.charCodeAt(i) << ((i & 3) * 8);
      return set;
    }
    var id = 0;
    for (i = 0; i < s.length;) {
      var gap = 0, shift = 0, b;
      do { b = s.charCodeAt(i++); gap += (b & 0x7f) * Math.pow(2, shift); shift += 7; } while (b & 0x80);
      id += gap;
      set[id >> 5] |= 1 << (id & 31);
    }
    return set;
  }
  /* `R`, k as a hex digit, then a bit stream (lowest bit first): for each number its gap from
     the one after the number before, as gap >> k zeros, a one and the gap's low k bits. */
  function riceSet(d, n) {
    var set = bitset(n), k = parseInt(d[1], 16), s = atob(d.slice(2)), end = s.length * 8, at = 0, id = 0;
    var bit = function (i) { return (s.charCodeAt(i >> 3) >> (i & 7)) & 1; };
    for (;;) {
      var q = 0;
      while (at < end && !bit(at)) { q++; at++; }
      if (at >= end) return set;
      at++;
      var low = 0;
      for (var j = 0; j < k; j++) low += bit(at++) << j;
      id += q * (1 << k) + low;
      if (id < n) set[id >> 5] |= 1 << (id & 31);
      id++;
    }
  }
  function rangeSet(n, a, b) { var s = bitset(n); for (var i = a; i < b; i++) s[i >> 5] |= 1 << (i & 31); return s; }
  function popcount(x) { x -= (x >>> 1) & 0x55555555; x = (x & 0x33333333) + ((x >>> 2) & 0x33333333); return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24; }
  function and(a, b) { var out = new Uint32Array(a.length); for (var i = 0; i < a.length; i++) out[i] = a[i] & b[i]; return out; }
  function count(a, b) { var c = 0; for (var i = 0; i < a.length; i++) { var x = a[i] & b[i]; if (x) c += popcount(x); } return c; }
  function has(set, id) { return (set[id >> 5] >>> (id & 31)) & 1; }

  /* The filter fields, in the manifest's order with the year third: [{name, label, lazy,
     size (values), values: [{v, l, set}] or null while a lazy field is not fetched}]. A field
     is its own file, f/NAME; the small ones are fetched at once, a lazy one (factor, service:
     many values) only when `want` names it. Years come from the manifest's ranges, newest first. */
  var fieldList = null, fieldValues = {};
  function fieldFile(m, name) {
    if (fieldValues[name]) return Promise.resolve(fieldValues[name]);
    return need("f/" + name).then(function (fd) {
      // A disjoint field's sets number the documents that no earlier value has.
      var taken = bitset(m.n), left = m.n;
      return (fieldValues[name] = fd.values.map(function (v) {
        if (!fd.disjoint) return { v: v.v, l: v.l, set: decodeSet(v.d, m.n) };
        var rel = decodeSet(v.d, left), set = bitset(m.n), at = 0;
        for (var d = 0; d < m.n; d++) {
          if (has(taken, d)) continue;
          if (has(rel, at++)) set[d >> 5] |= 1 << (d & 31);
        }
        for (var i = 0; i < set.length; i++) taken[i] |= set[i];
        left -= v.n;
        return { v: v.v, l: v.l, set: set };
      }));
    });
  }
  function fields(want) {
    return need("index").then(function (m) {
      if (!fieldList) {
        fieldList = m.facets.map(function (f) { return { name: f.name, label: f.label, lazy: f.lazy, size: f.values }; });
        var years = m.years.slice().reverse().map(function (y) { return { v: String(y[0]), l: String(y[0]), set: rangeSet(m.n, y[1], y[2]) }; });
        fieldValues.year = years;
        fieldList.splice(2, 0, { name: "year", label: "Year", lazy: false, size: years.length });
      }
      var wanted = fieldList.filter(function (f) { return !f.lazy || (want || []).indexOf(f.name) >= 0; });
      return Promise.all(wanted.map(function (f) { return fieldFile(m, f.name); })).then(function () {
        return fieldList.map(function (f) { return { name: f.name, label: f.label, lazy: f.lazy, size: f.size, values: fieldValues[f.name] || null }; });
      });
    });
  }

  /* Results and counts under a query and filters ({field: [values]}): resolves to
     {ids, fixed, marks, fields, counts: {field: {value: n}}}. Within a field values widen
     (OR); fields narrow (AND); a field's counts apply every filter but its own. A lazy field
     is fetched when a value of it is chosen or `open` (a list of names) asks for it; counts
     are given for the fields fetched. */
  function query(q, filters, open) {
    var t0 = performance.now();
    var want = (open || []).concat(Object.keys(filters).filter(function (k) { return (filters[k] || []).length; }));
    return Promise.all([search(q, true), fields(want), need("index")]).then(function (r) {
      var res = r[0], all = r[1], m = r[2], n = m.n;
      var fs = all.filter(function (f) { return f.values; });
      var base = bitset(n);
      if (res.ids) res.ids.forEach(function (id) { base[id >> 5] |= 1 << (id & 31); });
      else for (var i = 0; i < n; i++) base[i >> 5] |= 1 << (i & 31);
      var masks = fs.map(function (f) {
        var chosen = (filters[f.name] || []);
        var vals = f.values.filter(function (v) { return chosen.indexOf(v.v) >= 0; });
        if (!vals.length) return null;
        var s = bitset(n);
        vals.forEach(function (v) { for (var i = 0; i < s.length; i++) s[i] |= v.set[i]; });
        return s;
      });
      var counts = {};
      fs.forEach(function (f, j) {
        var within = base;
        masks.forEach(function (mk, k) { if (mk && k !== j) within = and(within, mk); });
        counts[f.name] = {};
        f.values.forEach(function (v) { counts[f.name][v.v] = count(within, v.set); });
      });
      var final = base;
      masks.forEach(function (mk) { if (mk) final = and(final, mk); });
      var ids;
      if (res.ids) ids = res.ids.filter(function (id) { return has(final, id); });
      else { ids = []; for (var d = n - 1; d >= 0; d--) if (has(final, d)) ids.push(d); }
      return { ids: ids, fixed: res.fixed, marks: res.marks, fields: all, counts: counts, ms: performance.now() - t0 };
    });
  }
  api.search = search;
  api.query = query;
  api.docs = docs;
  api.fields = fields;

  /* ---- Showing a result ---------------------------------------------------------------- */
  function matcher(marks) {
    var exact = {}, stems = [];
    marks.forEach(function (w) { exact[w] = true; if (w.length >= 3) stems.push(w); });
    return function (w) {
      w = fold(w);
      return exact[w] || stems.some(function (s) { return w.lastIndexOf(s, 0) === 0; });
    };
  }
  function marked(el, text, isHit) {
    var re = /[\p{L}\p{N}]+/gu, at = 0, m, n = 0;
    while ((m = re.exec(text))) {
      if (!isHit(m[0])) continue;
      el.appendChild(document.createTextNode(text.slice(at, m.index)));
      var mk = document.createElement("mark");
      mk.textContent = m[0];
      el.appendChild(mk);
      at = m.index + m[0].length;
      n++;
    }
    el.appendChild(document.createTextNode(text.slice(at)));
    return n;
  }
  function hitCount(text, isHit) { var re = /[\p{L}\p{N}]+/gu, m, n = 0; while ((m = re.exec(text))) if (isHit(m[0])) n++; return n; }
  function snippet(doc, isHit) {
    var options = [doc.summary].concat(doc.sentences).filter(Boolean), best = options[0] || "", most = 0;
    options.forEach(function (s) { var c = hitCount(s, isHit); if (c > most) { most = c; best = s; } });
    if (best.length > 220) {
      var re = /[\p{L}\p{N}]+/gu, m, start = 0;
      while ((m = re.exec(best))) if (isHit(m[0])) { start = Math.max(0, m.index - 60); break; }
      best = (start ? "…" : "") + best.slice(start, start + 220).trim() + "…";
    }
    return best;
  }
  var KIND = { incident: "Incident", note: "Note", pattern: "Pattern" };
  function hitElement(tag, doc, isHit) {
    var el = document.createElement(tag);
    el.className = "hit";
    var title = document.createElement("span");
    title.className = "hit-title";
    marked(title, doc.title, isHit);
    var meta = document.createElement("span");
    meta.className = "hit-meta";
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = KIND[doc.kind] || doc.kind;
    meta.appendChild(kind);
    if (doc.date) meta.appendChild(document.createTextNode(" " + doc.date));
    if (doc.severity) {
      var sev = document.createElement("span");
      sev.className = "sev sev-" + (/^SEV(\d)$/i.test(doc.severity) ? doc.severity.slice(3) : "0");
      sev.textContent = doc.severity;
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(sev);
    }
    var snip = document.createElement("span");
    snip.className = "hit-snippet";
    marked(snip, snippet(doc, isHit), isHit);
    el.appendChild(title);
    el.appendChild(meta);
    el.appendChild(snip);
    return el;
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  api.ui = { hitElement: hitElement, matcher: matcher, plural: plural, form: form };

  /* ---- The header box: results as you type --------------------------------------------- */
  var input = form.querySelector("input[name=q]");
  var list = form.querySelector(".search-dropdown");
  var status = form.querySelector(".search-status");
  var pageInput = document.getElementById("search-page-q");
  var SHOWN = 8, seq = 0, active = -1;
  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function options() { return list.querySelectorAll("[role=option]"); }
  function activate(i) {
    var opts = options();
    if (!opts.length) return;
    active = (i + opts.length) % opts.length;
    opts.forEach(function (o, k) { o.setAttribute("aria-selected", k === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", opts[active].id);
    opts[active].scrollIntoView({ block: "nearest" });
  }
  function update() {
    var q = input.value, mine = ++seq;
    if (!q.trim()) { close(); status.textContent = ""; return; }
    search(q, true).then(function (r) {
      if (mine !== seq) return null;
      var ids = r.ids || [];
      return docs(ids.slice(0, SHOWN)).then(function (rows) {
        if (mine !== seq) return;
        list.textContent = "";
        var isHit = matcher(r.marks);
        if (r.fixed) {
          var fix = document.createElement("p");
          fix.className = "search-fix";
          fix.textContent = "No results for “" + q.trim() + "”; showing results for “" + r.fixed + "”.";
          list.appendChild(fix);
        }
        rows.forEach(function (d, i) {
          var a = hitElement("a", d, isHit);
          a.href = d.href;
          a.id = "search-option-" + i;
          a.setAttribute("role", "option");
          a.setAttribute("aria-selected", "false");
          a.tabIndex = -1;
          list.appendChild(a);
        });
        var more = document.createElement("a");
        more.className = "search-all";
        more.href = form.action.split("?")[0] + "?q=" + encodeURIComponent(q.trim());
        more.textContent = ids.length ? (ids.length > SHOWN ? "All " + ids.length + " results" : "Search page with filters") : "No results. Try the search page with filters";
        list.appendChild(more);
        status.textContent = ids.length ? plural(ids.length, "result") + (r.fixed ? " for " + r.fixed : "") : "No results";
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        // An arrow pressed since the last keystroke, while these results were on their way,
        // keeps its place in them (typing clears it, see below).
        var kept = active;
        active = -1;
        input.removeAttribute("aria-activedescendant");
        if (kept >= 0) activate(Math.min(kept, rows.length - 1));
      });
    }).catch(function (e) { status.textContent = "Search is unavailable: " + e.message; });
  }
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.addEventListener("input", function () {
    // A new query: the option chosen among the last results is no longer chosen.
    active = -1;
    input.removeAttribute("aria-activedescendant");
    update();
  });
  input.addEventListener("focus", function () { need("index").catch(function () {}); if (input.value.trim() && list.hidden) update(); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (list.hidden) { update(); return; }
      e.preventDefault();
      activate(active + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter" && active >= 0 && !list.hidden) {
      e.preventDefault();
      window.location.href = options()[active].href;
    } else if (e.key === "Escape") {
      if (!list.hidden) { e.preventDefault(); close(); } else if (input.value) { input.value = ""; }
    }
  });
  list.addEventListener("mousedown", function (e) { e.preventDefault(); });
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target, tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    e.preventDefault();
    (pageInput || input).focus();
  });
})();
