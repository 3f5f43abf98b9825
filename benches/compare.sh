#!/usr/bin/env bash
# casebook beside Hugo + Pagefind on the same generated library (issue 9, SPEC §8).
#
#   bash benches/compare.sh [WORK_DIR]          1,000 and 10,000 incidents (a tenth as many notes)
#   SIZES="1000 10000 100000" bash benches/compare.sh   adds 100,000 (casebook alone above PEER_MAX)
#   RUNS=3 (timed builds per tool and size, alternating; medians reported), PEER_MAX=10000
#   CODE=seven (default; code blocks in shell, Python, Go, SQL, Rust, YAML and JSON in equal
#     parts) or CODE=yaml (every block a short YAML one, as earlier measurements used)
#   FRESH=1: every timed build starts from no output at all, as a build in a fresh clone (CI)
#     does: the build dir, casebook's staging folder and Hugo's public folder are moved aside
#     first (and deleted after the last run)
#
# The library is examples/generate.rs with `--factor-spread zipf` (30 factors, the most common on
# 1,000-3,000 of 10,000 incidents; ~4.4 KB incidents with a code block each). WORK_DIR defaults
# to target/compare inside the repository, on the ordinary disk (not tmpfs): both tools write
# their output onto the same disk. Hugo (Debian `hugo`) gets minimal templates written here: a
# page per document with its rendered Markdown (Chroma highlighting, Hugo's default), a list per
# section and taxonomy pages for services, teams and tags; then Pagefind (PyPI `pagefind-bin`, in
# a venv in WORK_DIR) indexes Hugo's output. casebook does more (pattern pages, charts, data
# files) in its one command. Each run builds over the previous run's output, as a user's
# repeated builds do. Wall time, CPU (user + system) and peak resident memory come from
# /usr/bin/time; for Hugo + Pagefind, wall and CPU are summed and memory is the larger peak.
# A tool that is not installed is skipped. Nothing here is a test; numbers vary by machine.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$here/target/compare}"
sizes="${SIZES:-1000 10000}"
runs="${RUNS:-3}"
peer_max="${PEER_MAX:-10000}"
code="${CODE:-seven}"
fresh="${FRESH:-0}"
mkdir -p "$work"

cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin casebook --example generate
bin="$here/target/release/casebook"
gen="$here/target/release/examples/generate"

hugo_bin="$(command -v hugo || true)"
pagefind=()
if [ -n "$hugo_bin" ]; then
  if [ ! -x "$work/venv/bin/python" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install --quiet pagefind-bin || true
  fi
  if "$work/venv/bin/python" -c "import pagefind_bin" 2>/dev/null; then
    pagefind=("$work/venv/bin/python" -m pagefind_bin)
  fi
fi

# Minimal Hugo site reading the generated library's content folder.
hugo_site() {
  local dir="$1" content="$2"
  mkdir -p "$dir/layouts/_default"
  cat > "$dir/config.toml" <<EOF
baseURL = "http://localhost/"
title = "Synthetic library"
contentDir = "$content"
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]
[taxonomies]
service = "services"
team = "teams"
tag = "tags"
[markup.goldmark.renderer]
unsafe = true
EOF
  cat > "$dir/layouts/_default/baseof.html" <<'EOF'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><nav><a href="/">Home</a></nav><main data-pagefind-body>{{ block "main" . }}{{ end }}</main></body></html>
EOF
  cat > "$dir/layouts/_default/single.html" <<'EOF'
{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }} {{ .Params.severity }}</p>
{{ with .Params.services }}<p>{{ range . }}<a href="/services/{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>{{ end }}
{{ .Content }}{{ end }}
EOF
  cat > "$dir/layouts/_default/list.html" <<'EOF'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>{{ end }}
EOF
  cp "$dir/layouts/_default/list.html" "$dir/layouts/_default/terms.html"
}

# Runs a command under /usr/bin/time; prints "wall cpu rss_mb".
timed() {
  local log
  log="$(mktemp)"
  /usr/bin/time -f "%e %U %S %M" -o "$log" "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; rm -f "$log"; return 1; }
  awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 / 1024 }' "$log"
  rm -f "$log"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

for n in $sizes; do
  lib="$work/lib-$n-$code"
  if [ ! -d "$lib/content" ]; then
    "$gen" "$lib" "$n" "$((n / 10))" --factor-spread zipf --code "$code"
  fi
  peers=0
  if [ -n "$hugo_bin" ] && [ "$n" -le "$peer_max" ]; then
    peers=1
    hugo_site "$work/hugo-$n" "$lib/content"
  fi
  : > "$work/casebook-$n.txt"
  : > "$work/hugo-$n.txt"
  # Two untimed builds each, so that every timed run writes over earlier output as a user's
  # repeated builds do: casebook keeps the site it swaps out (and a manifest of its pages) from
  # the second build on, so its third build is the first one like every later one.
  for warm in 1 2; do
    "$bin" build "$lib" --quiet > /dev/null 2>&1 || true
    if [ "$peers" = 1 ]; then
      "$hugo_bin" --source "$work/hugo-$n" --destination "$work/hugo-$n/public" --quiet > /dev/null 2>&1 || true
    fi
  done
  for run in $(seq 1 "$runs"); do
    if [ "$fresh" = 1 ]; then
      # Moved aside, not deleted: on ext4, files deleted seconds before make the next build's
      # new inodes slow to allocate (the allocator skips recently freed ones, one inode table
      # lookup each), which tripled casebook's system time and slowed Hugo too. A fresh clone
      # in CI has no such deletions; the moved folders are deleted once every run is done.
      stale="$work/stale/$n-$run"
      mkdir -p "$stale"
      for old in "$lib/site" "$lib/.site.staging" "$work/hugo-$n/public"; do
        if [ -e "$old" ]; then mv "$old" "$stale/$(basename "$(dirname "$old")")-$(basename "$old")"; fi
      done
      sync
    fi
    timed "$bin" build "$lib" --quiet >> "$work/casebook-$n.txt"
    if [ "$peers" = 1 ]; then
      h="$(timed "$hugo_bin" --source "$work/hugo-$n" --destination "$work/hugo-$n/public" --quiet)"
      p="0 0 0"
      if [ "${#pagefind[@]}" -gt 0 ]; then
        p="$(timed "${pagefind[@]}" --site "$work/hugo-$n/public")"
      fi
      paste -d' ' <(echo "$h") <(echo "$p") |
        awk '{ m = $3 > $6 ? $3 : $6; printf "%.2f %.2f %d\n", $1 + $4, $2 + $5, m }' >> "$work/hugo-$n.txt"
    fi
  done
  rm -rf "$work/stale"
  cw="$(cut -d' ' -f1 "$work/casebook-$n.txt" | median)"
  cc="$(cut -d' ' -f2 "$work/casebook-$n.txt" | median)"
  cm="$(cut -d' ' -f3 "$work/casebook-$n.txt" | sort -n | tail -1)"
  shape="code in $code"
  [ "$fresh" = 1 ] && shape="$shape, fresh build dir" || shape="$shape, over the kept site"
  echo "== $n incidents, $((n / 10)) notes, $shape (median of $runs; peak memory the largest)"
  printf "%-22s %8s s wall %8s s CPU %7s MB\n" casebook "$cw" "$cc" "$cm"
  if [ "$peers" = 1 ]; then
    hw="$(cut -d' ' -f1 "$work/hugo-$n.txt" | median)"
    hc="$(cut -d' ' -f2 "$work/hugo-$n.txt" | median)"
    hm="$(cut -d' ' -f3 "$work/hugo-$n.txt" | sort -n | tail -1)"
    label="hugo + pagefind"
    [ "${#pagefind[@]}" -gt 0 ] || label="hugo (no pagefind)"
    printf "%-22s %8s s wall %8s s CPU %7s MB\n" "$label" "$hw" "$hc" "$hm"
    awk -v a="$hw" -v b="$cw" -v c="$hc" -v d="$cc" -v e="$hm" -v f="$cm" 'BEGIN {
      printf "ratio (peer / casebook): wall %.1fx, CPU %.1fx, memory %.1fx\n", a / b, c / d, e / f }'
  fi
done
