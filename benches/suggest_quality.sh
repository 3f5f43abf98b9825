#!/usr/bin/env bash
# Quality of `casebook patterns --suggest` (docs/suggest.md) on a labelled library.
#
#   bash benches/suggest_quality.sh [LIBRARY]   (default: tests/fixtures/recurrence)
#
# The library's labels.toml lists the factors a reader would write, each with the incidents
# whose contributing-factor texts show it (`[[factor]] name = "...", incidents = [...]`). A
# labelled factor is recovered when some proposal's incident set and its own overlap by at
# least half of the larger of the two sets (|P ∩ L| * 2 >= max(|P|, |L|)). Printed: the factors
# recovered (recall), the proposals that recover no labelled factor, and each proposal with the
# factor it recovers. `CASEBOOK=path/to/casebook` runs that binary instead of a debug build.
# Nothing here is a test; tests/testsuite/suggest.rs asserts floors on the same figures.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
lib="${1:-$here/tests/fixtures/recurrence}"
if [ -z "${CASEBOOK:-}" ]; then
  cargo build --quiet --manifest-path "$here/Cargo.toml" --bin casebook
  CASEBOOK="$here/target/debug/casebook"
fi
draft="$("$CASEBOOK" --quiet patterns "$lib" --suggest)"
LABELS="$lib/labels.toml" DRAFT="$draft" python3 - <<'PY'
import os, tomllib

labels = tomllib.load(open(os.environ["LABELS"], "rb")).get("factor", [])
lines = os.environ["DRAFT"].splitlines()
proposals = []
for i, line in enumerate(lines):
    if line.startswith("# ") and " incident" in line and ": " in line and i + 1 < len(lines):
        head, ids = line[2:].split(": ", 1)
        if head.split(" ")[0].isdigit():
            proposals.append((lines[i + 1].rstrip(":").strip('"'), set(ids.split(", "))))

def recovers(p, l):
    return 2 * len(p & l) >= max(len(p), len(l))

found = [l for l in labels if any(recovers(p, set(l["incidents"])) for _, p in proposals)]
stray = [pid for pid, p in proposals if not any(recovers(p, set(l["incidents"])) for l in labels)]
for pid, p in proposals:
    hits = [l["name"] for l in labels if recovers(p, set(l["incidents"]))]
    print(f"  {len(p):2} {pid:40} {', '.join(hits) or '-'}")
print(f"labelled factors recovered: {len(found)} of {len(labels)}")
print(f"proposals recovering no labelled factor: {len(stray)} of {len(proposals)}")
print("missed: " + ", ".join(l["name"] for l in labels if l not in found))
PY
