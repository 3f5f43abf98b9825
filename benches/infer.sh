#!/usr/bin/env bash
# Inference benchmark (issue 10): what reading postmortems' own sections costs.
#
#   bash benches/infer.sh [WORK_DIR]     RUNS=3 (each figure is the median of RUNS checks)
#
# 1. The synthetic library of examples/generate.rs (10,000 incidents with full front matter,
#    1,000 notes): the load-and-model stage with `[build] infer` on and off, the cost of inference when
#    front matter already says everything.
# 2. A plain library written here (PLAIN incidents, default 5,000, no front matter, four
#    contributing-factor texts each) with and without a registry of FACTORS factors (default
#    400) of three `match` phrases each: the whole-word matcher over 20,000 texts × 1,200+ phrases.
# Stage times come from CASEBOOK_TIMINGS=1 (`check` reads and models each document in one pass, so
# its "load and model" figure is taken). Nothing here is a test; numbers vary by machine.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/casebook-infer-bench}"
runs="${RUNS:-3}"
plain="${PLAIN:-5000}"
factors="${FACTORS:-400}"
mkdir -p "$work"
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin casebook --example generate
bin="$here/target/release/casebook"

# Median of the load-and-model stage (ms) over $runs checks of library $1.
model_ms() {
  for _ in $(seq "$runs"); do
    CASEBOOK_TIMINGS=1 "$bin" check "$1" 2>&1 | sed -n 's/.*model: \([0-9]*\) ms.*/\1/p'
  done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

synthetic="$work/synthetic"
[ -d "$synthetic" ] || "$here/target/release/examples/generate" "$synthetic" 10000 1000 >/dev/null
toml="$synthetic/book.toml"
base="$(grep -v '^infer' "$toml" | grep -v '^\[build\]')"
printf '%s\n[build]\ninfer = true\n' "$base" >"$toml"
on="$(model_ms "$synthetic")"
printf '%s\n[build]\ninfer = false\n' "$base" >"$toml"
off="$(model_ms "$synthetic")"
printf '%s\n' "$base" >"$toml"
echo "synthetic 10000+1000: load and model ${on} ms with infer, ${off} ms without"

lib="$work/plain"
rm -rf "$lib"
python3 - "$lib" "$plain" "$factors" <<'PY'
import os, random, sys
root, n, nf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(10)
os.makedirs(f"{root}/content/incidents")
words = [f"w{i}" for i in range(5000)]
with open(f"{root}/registry.yaml", "w") as out:
    for f in range(nf):
        phrases = ", ".join(" ".join(random.sample(words, random.choice([1, 2, 3]))) for _ in range(3))
        out.write(f"factor-{f}:\n  title: Factor {f}\n  match: [{phrases}]\n")
for i in range(n):
    texts = "".join("- " + " ".join(random.choices(words, k=random.randint(8, 25))) + ".\n" for _ in range(4))
    with open(f"{root}/content/incidents/i{i:05d}.md", "w") as out:
        out.write(f"# Incident {i}\n\n- Severity: SEV2\n\n## Timeline\n\n- 2024-01-{1 + i % 28:02d} 10:00 alert\n\n## Contributing factors\n\n{texts}")
PY
without="$(model_ms "$lib")"
cp "$lib/registry.yaml" "$lib/content/factors.yaml"
with="$(model_ms "$lib")"
echo "plain ${plain} incidents x 4 texts: load and model ${without} ms without a registry, ${with} ms with ${factors} factors"
