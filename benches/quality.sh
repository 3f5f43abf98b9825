#!/usr/bin/env bash
# The quality of similar incidents and recurring problems on the labelled fixture library
# (tests/fixtures/recurrence): prints how often a same-problem partner is in the top 3, and the
# share of true pairs the groups find and of the pairs they make that are true (docs/similar.md).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
cargo test --quiet --test testsuite similar_quality -- --nocapture 2>&1 | grep -E '^(similar|recurring problems):'
