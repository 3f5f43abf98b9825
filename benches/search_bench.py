"""Drives headless Chromium over a built site to measure casebook's search beside Pagefind's:
bytes fetched for a first query, query and facet times once loaded, and relevance (each
sampled incident's two rarest title words must rank it in the top 3).

usage: search_bench.py SITE_DIR [--pagefind] [--sample N]
Prints one JSON object. Serves SITE_DIR on 127.0.0.1 itself. Run by benches/search.sh."""
import argparse
import collections
import functools
import gzip
import http.server
import json
import os
import re
import statistics
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Browser  # noqa: E402

QUERIES = ["latency", "certificate expiry", "replica failover", "retry sto"]
PF_PAGE = """<!doctype html><meta charset="utf-8"><title>pagefind bench</title>
<script type="module">
import * as pf from "/pagefind/pagefind.js";
window.pf = pf;
window.pfReady = true;
</script>"""


SERVED = []  # (path, bytes) of every file served, in order: what the browser fetched, workers included


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        super().do_GET()
        if os.path.isfile(path):
            SERVED.append((urllib.parse.urlparse(self.path).path, os.path.getsize(path)))


def serve(root):
    handler = functools.partial(Quiet, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def gz(root, url):
    path = url.lstrip("/")
    with open(os.path.join(root, urllib.parse.unquote(path)), "rb") as f:
        return len(gzip.compress(f.read(), 6))


def served_since(mark, part):
    return [(u, n) for u, n in SERVED[mark:] if part in u]


def fresh(b):
    b.cdp("Network.enable")
    b.cdp("Network.clearBrowserCache")


def casebook_first_query(root, base, q):
    b = Browser()
    try:
        fresh(b)
        mark = len(SERVED)
        b.open(base + "incidents/")
        b.wait("return document.readyState === 'complete' && !!window.casebookSearch;")
        b.keys("/")
        t0 = time.time()
        b.keys(q)
        b.wait("return !document.getElementById('search-dropdown').hidden;")
        shown = time.time() - t0
        time.sleep(1.0)  # network idle
        got = served_since(mark, "/search/")
        return {"query": q, "files": len(got), "bytes": sum(n for _, n in got),
                "gzip_bytes": sum(gz(root, u) for u, _ in got), "first_results_s": round(shown, 3)}
    finally:
        b.close()


def casebook_page_first_query(root, base, q):
    """The search page opened on `?q=`: its index files (not the page's HTML, CSS or scripts)
    until the network is idle, with the filters it fetches at once."""
    b = Browser()
    try:
        fresh(b)
        mark = len(SERVED)
        b.open(base + "search/?q=" + urllib.parse.quote(q))
        b.wait("return document.getElementById('search-page').dataset.state === 'ready';")
        time.sleep(1.0)  # network idle
        got = [(u, n) for u, n in served_since(mark, "/search/") if u.endswith(".js")]
        facets = sum(n for u, n in got if "/search/f/" in u)
        return {"query": q, "files": len(got), "bytes": sum(n for _, n in got), "of_which_filters": facets,
                "gzip_bytes": sum(gz(root, u) for u, _ in got)}
    finally:
        b.close()


def pagefind_first_query(root, base, q):
    b = Browser()
    try:
        fresh(b)
        mark = len(SERVED)
        b.open(base + "pagefind-bench.html")
        b.wait("return window.pfReady === true;")
        r = b.eval_async("""const done = arguments[arguments.length - 1];
            const t0 = performance.now();
            pf.search(arguments[0]).then(r => Promise.all(r.results.slice(0, 5).map(x => x.data())).then(d =>
              done({n: r.results.length, ms: performance.now() - t0})));""", q)
        time.sleep(1.0)
        got = [(u, n) for u, n in served_since(mark, "/pagefind/") if not re.search(r"pagefind(-ui)?\.(js|css)$", u)]
        wasm = sum(n for u, n in got if ".wasm" in u or "wasm." in u)
        return {"query": q, "files": len(got), "bytes": sum(n for _, n in got), "of_which_wasm": wasm,
                "results": r["n"], "first_results_ms": round(r["ms"], 1)}
    finally:
        b.close()


TIMED = """const done = arguments[arguments.length - 1];
const api = window.casebookSearch, qs = arguments[0], filters = arguments[1], rounds = 7;
async function one(q) {
  const t0 = performance.now();
  if (filters) { await api.query(q, filters, ["factor", "service"]); }
  else { const r = await api.search(q, true); await api.docs((r.ids || []).slice(0, 8)); }
  return performance.now() - t0;
}
(async () => {
  const out = {};
  for (const q of qs) {
    await one(q);
    const t = [];
    for (let i = 0; i < rounds; i++) t.push(await one(q));
    t.sort((a, b) => a - b);
    out[q] = {median_ms: +t[rounds >> 1].toFixed(2), max_ms: +t[rounds - 1].toFixed(2)};
  }
  done(out);
})().catch(e => done({error: String(e)}));"""


def casebook_times(base, facets):
    b = Browser()
    try:
        b.open(base + "search/")
        b.wait("return document.getElementById('search-page').dataset.state === 'ready';")
        queries = {"typed": b.eval_async(TIMED, QUERIES, None)}
        for name, filters in facets.items():
            queries[name] = b.eval_async(TIMED, ["", "latency"], filters)
        return queries
    finally:
        b.close()


def rarest_pairs(site, sample):
    with open(os.path.join(site, "api", "incidents.json")) as f:
        incidents = json.load(f)
    words = lambda t: re.findall(r"[a-z0-9]+", t.lower())
    df = collections.Counter(w for i in incidents for w in set(words(i["title"])))
    step = max(1, len(incidents) // sample)
    out = []
    for i in incidents[::step][:sample]:
        ws = sorted(set(words(i["title"])), key=lambda w: (df[w], w))[:2]
        out.append((" ".join(ws), i["id"]))
    return out


RELEVANCE_CB = """const done = arguments[arguments.length - 1];
const api = window.casebookSearch, pairs = arguments[0];
(async () => {
  let hits = 0, misses = [];
  for (const [q, id] of pairs) {
    const r = await api.search(q, false);
    const top = await api.docs((r.ids || []).slice(0, 3));
    if (top.some(d => d.href.indexOf('/incidents/' + id + '/') >= 0)) hits++; else if (misses.length < 5) misses.push(q);
  }
  done({hits, total: pairs.length, misses});
})().catch(e => done({error: String(e)}));"""

RELEVANCE_PF = """const done = arguments[arguments.length - 1];
const pairs = arguments[0];
(async () => {
  let hits = 0, docHits = 0, misses = [];
  const isDoc = u => /\\/(incidents|notes|patterns)\\/[^/]+\\/$/.test(u) && !/\\/page\\//.test(u);
  for (const [q, id] of pairs) {
    const r = await pf.search(q);
    const data = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
    const urls = data.map(d => d.url);
    const want = '/incidents/' + id + '/';
    if (urls.slice(0, 3).some(u => u.endsWith(want))) hits++; else if (misses.length < 5) misses.push(q);
    if (urls.filter(isDoc).slice(0, 3).some(u => u.endsWith(want))) docHits++;
  }
  done({hits, doc_pages_only_hits: docHits, total: pairs.length, misses});
})().catch(e => done({error: String(e)}));"""


def relevance(base, pairs, pagefind):
    b = Browser()
    try:
        if pagefind:
            b.open(base + "pagefind-bench.html")
            b.wait("return window.pfReady === true;")
            return b.eval_async(RELEVANCE_PF, pairs)
        b.open(base + "search/")
        b.wait("return document.getElementById('search-page').dataset.state === 'ready';")
        return b.eval_async(RELEVANCE_CB, pairs)
    finally:
        b.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--pagefind", action="store_true")
    ap.add_argument("--sample", type=int, default=1000)
    a = ap.parse_args()
    site = os.path.abspath(a.site)
    server, base = serve(site)
    with open(os.path.join(site, "search", "f", "factor.js")) as f:
        factor = json.loads(f.read()[len('casebookSearch.load("f/factor",'):].rstrip().rstrip(";").rstrip(")"))
    top_factor = factor["values"][0]["v"]
    filters = {
        "filter_sev1": {"severity": ["SEV1"]},
        "filter_sev1_factor_2024": {"severity": ["SEV1"], "factor": [top_factor], "year": ["2024"]},
    }
    pairs = rarest_pairs(site, a.sample)
    out = {"casebook": {
        "first_query": [casebook_first_query(site, base, q) for q in QUERIES],
        "search_page_first_query": [casebook_page_first_query(site, base, q) for q in QUERIES],
        "times": casebook_times(base, filters),
        "relevance": relevance(base, pairs, False),
    }}
    if a.pagefind:
        with open(os.path.join(site, "pagefind-bench.html"), "w") as f:
            f.write(PF_PAGE)
        out["pagefind"] = {
            "first_query": [pagefind_first_query(site, base, q) for q in QUERIES],
            "relevance": relevance(base, pairs, True),
        }
    server.shutdown()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
