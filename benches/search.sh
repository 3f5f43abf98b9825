#!/usr/bin/env bash
# Search benchmark (issue 6): casebook's index beside Pagefind's on the same built pages.
#
#   bash benches/search.sh [WORK_DIR]        10,000 incidents (+1,000 notes), with Pagefind
#   SIZES="10000 100000" bash benches/search.sh   also 100,000 (Pagefind only where PAGEFIND_MAX allows)
#   SAMPLE=1000 (incidents queried for relevance), RUNS=3 (builds timed, the median reported)
#
# For each size it generates a synthetic library (examples/generate.rs), builds it with
# CASEBOOK_SEARCH_TIMINGS=1 (the build prints the search index's own time) under /usr/bin/time for
# peak memory, runs Pagefind (PyPI `pagefind-bin`, installed into a venv in WORK_DIR) on the same
# pages, then benches/search_bench.py drives headless Chromium over a loopback server to measure
# bytes fetched for a first query, query and facet times, and relevance. Results go to
# WORK_DIR/results-N.json and a summary to stdout. Nothing here is a test; numbers vary by machine.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/casebook-search-bench}"
sizes="${SIZES:-10000}"
pagefind_max="${PAGEFIND_MAX:-10000}"
sample="${SAMPLE:-1000}"
runs="${RUNS:-3}"
mkdir -p "$work"

cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin casebook --example generate
bin="$here/target/release/casebook"
gen="$here/target/release/examples/generate"

if [ ! -x "$work/venv/bin/python" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet pagefind-bin
fi

for n in $sizes; do
  lib="$work/lib-$n"
  if [ ! -d "$lib/content" ]; then
    "$gen" "$lib" "$n" "$((n / 10))"
  fi
  echo "== $n incidents, $((n / 10)) notes"
  rm -rf "$lib/site"
  # RUNS builds (3 by default); the median's total and the index's share of the same run.
  for run in $(seq 1 "$runs"); do
    ( cd "$lib" && CASEBOOK_SEARCH_TIMINGS=1 /usr/bin/time -v "$bin" build . ) > "$work/build-$n-$run.log" 2>&1
  done
  python3 - "$work" "$n" "$runs" <<'PY'
import re, sys
work, n, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
runs = []
for run in range(1, count + 1):
    log = open(f"{work}/build-{n}-{run}.log").read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", log).group(1)
    secs = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(":"))))
    m = re.search(r"search index: (\d+) ms, resident memory (\d+) MB before, (\d+) MB at its largest", log)
    index, grew = int(m.group(1)) / 1000, int(m.group(3)) - int(m.group(2))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", log).group(1)) // 1024
    runs.append((secs, index, rss, grew))
secs, index, rss, grew = sorted(runs)[len(runs) // 2]
print(f"casebook build (median of {count}): {secs:.2f} s, of which the search index {index:.2f} s "
      f"(+{100 * index / (secs - index):.0f}% over the rest of the build); peak RSS of the build "
      f"{max(r[2] for r in runs)} MB; the index stage grew it by {max(r[3] for r in runs)} MB at most")
PY
  echo "search files: $(du -sh "$lib/site/search" | cut -f1) in $(find "$lib/site/search" -type f | wc -l) files; manifest $(stat -c %s "$lib/site/search/index.js") B"
  flags=()
  if [ "$n" -le "$pagefind_max" ]; then
    rm -rf "$lib/site/pagefind"
    /usr/bin/time -v "$work/venv/bin/python" -m pagefind_bin --site "$lib/site" > "$work/pagefind-$n.log" 2>&1
    echo "pagefind: $(grep -oP 'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): \K.*' "$work/pagefind-$n.log"), peak RSS $(( $(grep -oP 'Maximum resident set size \(kbytes\): \K[0-9]+' "$work/pagefind-$n.log") / 1024 )) MB"
    flags+=(--pagefind)
  fi
  python3 "$here/benches/search_bench.py" "$lib/site" --sample "$sample" "${flags[@]}" > "$work/results-$n.json"
  python3 - "$work/results-$n.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for tool, d in r.items():
    for q in d["first_query"]:
        extra = f", gzip {q['gzip_bytes'] / 1024:.0f} KB" if "gzip_bytes" in q else f" (wasm {q['of_which_wasm'] / 1024:.0f} KB)"
        print(f"{tool}: first query {q['query']!r}: {q['bytes'] / 1024:.0f} KB in {q['files']} files{extra}")
    for q in d.get("search_page_first_query", []):
        print(f"{tool}: search page first query {q['query']!r}: {q['bytes'] / 1024:.0f} KB in {q['files']} files "
              f"(filters {q['of_which_filters'] / 1024:.0f} KB), gzip {q['gzip_bytes'] / 1024:.0f} KB")
    rel = d["relevance"]
    line = f"{tool}: relevance {rel['hits']}/{rel['total']} in the top 3"
    if "doc_pages_only_hits" in rel:
        line += f" ({rel['doc_pages_only_hits']} counting document pages only)"
    print(line)
    for name, t in d.get("times", {}).items():
        print(f"{tool}: {name}: " + ", ".join(f"{q or '(no query)'} {v['median_ms']} ms (max {v['max_ms']})" for q, v in t.items()))
PY
done
