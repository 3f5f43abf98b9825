#!/usr/bin/env bash
# How long `casebook serve` takes from saving one incident to telling the browser to reload
# (the Server-Sent Event that follows the swap), to serving the edited page, to the second event
# (the pages whose similar incidents or recurring problem the edit moved, when it moved any), and
# to showing the edit in headless Chromium (swapped in, and reloaded in full), on generated
# libraries of 2,000 and 10,000 incidents. Also a full rebuild (touching factors.yaml) for
# comparison. Usage: benches/serve.sh [--factor-spread thin|zipf] [--code yaml|seven] [SIZES...]
# (default: thin, yaml, 2000 10000; `zipf` is the hard shape: fewer, far more common factors and
# bigger incidents; `seven` spreads the code blocks over seven languages). The generated texts
# share a small vocabulary, so nothing reads alike: one incident in 500 gets a sentence of rare
# words, so they do, and a timed edit adds those words to another incident (moving their
# similar lists: the second event) and takes them away again.
set -euo pipefail
cd "$(dirname "$0")/.."
spread=thin
code=yaml
while [ $# -gt 0 ]; do
  case "$1" in
    --factor-spread) spread=${2:?--factor-spread takes thin or zipf}; shift 2 ;;
    --code) code=${2:?--code takes yaml or seven}; shift 2 ;;
    *) break ;;
  esac
done
sizes=("${@:-2000 10000}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})
cargo build --release --quiet --example generate
cargo build --release --quiet
# CASEBOOK_BIN=path times another build of casebook (an older commit's, to compare).
bin=${CASEBOOK_BIN:-target/release/casebook}
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

for n in "${sizes[@]}"; do
  lib="$work/lib$n"
  target/release/examples/generate "$lib" "$n" $((n / 10)) --factor-spread "$spread" --code "$code" >/dev/null
  python3 - "$lib" <<'PY'
import glob, os, sys
for k, path in enumerate(sorted(glob.glob(os.path.join(sys.argv[1], "content/incidents/**/*.md"), recursive=True))):
    if k % 500 == 250:
        with open(path, "a") as f:
            f.write("\nThe zebra quokka narwhal consumer stalled and the queue backed up.\n")
PY
  # The last size's output must not pass for this one's (the child truncates it, maybe late).
  rm -f "$work/out"
  start=$(date +%s%N)
  "$bin" serve "$lib" --port 0 >"$work/out" 2>"$work/err" &
  pid=$!
  until grep -q '^serving ' "$work/out" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/err"; exit 1; }
    sleep 0.05
  done
  echo "== $n incidents ($spread, $code code): first build and bind in $((($(date +%s%N) - start) / 1000000)) ms"
  url=$(sed -n 's/^serving //p' "$work/out")
  python3 - "$url" "$lib" <<'PY'
import http.client, json, os, queue, re, statistics, sys, threading, time, urllib.parse, glob

url, lib = sys.argv[1], sys.argv[2]
u = urllib.parse.urlparse(url)
incidents = sorted(glob.glob(os.path.join(lib, "content/incidents/**/*.md"), recursive=True))
target = incidents[len(incidents) // 2]
page_id = os.path.splitext(os.path.basename(target))[0]

def events():
    """The event stream, read on a thread of its own: a queue of (arrival time, event data)."""
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    c.request("GET", "/__casebook/events")
    r = c.getresponse()
    q = queue.Queue()
    def read():
        data = None
        try:
            while True:
                line = r.fp.readline().decode()
                if not line:
                    return
                if line.startswith("data: "):
                    data = json.loads(line[6:])
                elif line == "\n" and data is not None:
                    q.put((time.perf_counter(), data))
                    data = None
        except (OSError, ValueError):
            return
    threading.Thread(target=read, daemon=True).start()
    return c, q

def next_generation(q, after, wait=60):
    """The next event after generation `after` (or one with errors): (arrival, data)."""
    deadline = time.perf_counter() + wait
    while True:
        t, data = q.get(timeout=max(0.001, deadline - time.perf_counter()))
        if data["generation"] > after or data["errors"]:
            return t, data

def spread(xs):
    return f"median {statistics.median(xs):.0f} ms (min {min(xs):.0f}, max {max(xs):.0f})"

def measure(label, path, edit, runs):
    to_event, to_page, to_second = [], [], []
    for i in range(runs):
        c, q = events()
        _, first = next_generation(q, -1)
        text = open(path).read()
        t0 = time.perf_counter()
        with open(path, "w") as f:
            f.write(edit(text, i))
        t1, status = next_generation(q, first["generation"])
        assert not status["errors"], status["errors"]
        p = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        p.request("GET", u.path + "incidents/" + page_id + "/")
        body = p.getresponse().read().decode()
        t2 = time.perf_counter()
        to_event.append((t1 - t0) * 1000)
        to_page.append((t2 - t0) * 1000)
        # The second event, when the edit moved other incidents' similar lists or groups: it
        # should follow within a second; 3 s without one means there is none.
        try:
            t3, _ = next_generation(q, status["generation"], wait=3)
            to_second.append((t3 - t0) * 1000)
        except queue.Empty:
            pass
        c.close()
        time.sleep(0.2)
    second = f"save -> second event {spread(to_second)} in {len(to_second)} of {runs} runs" if to_second \
        else f"no second event in {runs} runs"
    print(f"{label}: save -> reload event {spread(to_event)}; "
          f"save -> edited page served {spread(to_page)}; {second}")
    return body

body = measure("one incident's body", target,
               lambda t, i: t + f"\nEdited while serving, run {i}.\n", 7)
assert "Edited while serving" in body, "the served page shows the edit"
measure("one incident's title", target,
        lambda t, i: re.sub(r"(?m)^title: .*$", f'title: "Run {i}: an edited title"', t, count=1), 5)

LOOKALIKE = "\nThe zebra quokka narwhal consumer stalled again.\n"
measure("one incident made like others (similar lists move)", target,
        lambda t, i: t.replace(LOOKALIKE, "") if LOOKALIKE in t else t + LOOKALIKE, 6)

def browser(runs):
    """Save -> edited content visible in headless Chromium (through chromedriver), both ways a
    page takes a body edit, then a title edit (swapped in), timed by the page's own clock
    (performance.timeOrigin + now) minus the save time. Soft: live.js swaps in the new <main>;
    a MutationObserver sees the new text and the time is taken at the next animation frame.
    Full: the same edit with the page marked unswappable (data-soft=0 on its live-reload tag,
    as a page with its own script is), so it reloads; the time is the reloaded page's
    loadEventEnd. Title: a new title (the page's <h1>, in <main>), swapped in."""
    import shutil
    if not shutil.which("chromedriver") or not shutil.which("chromium"):
        print("browser: chromedriver or chromium not found, skipped")
        return
    sys.path.insert(0, os.path.join(os.getcwd(), "benches"))
    from webdriver import Browser
    b = Browser()
    page = url + "incidents/" + page_id + "/"
    watch = """
        var want = arguments[0];
        window.casebookSeen = null;
        new MutationObserver(function (_, obs) {
          if (document.getElementById('main').textContent.indexOf(want) >= 0) {
            obs.disconnect();
            requestAnimationFrame(function () { window.casebookSeen = performance.timeOrigin + performance.now(); });
          }
        }).observe(document.getElementById('main'), { childList: true, subtree: true, characterData: true });"""
    loaded = "return performance.timeOrigin + performance.timing.loadEventEnd - performance.timing.navigationStart;"
    try:
        b.open(page)
        for kind in ("soft", "full", "title"):
            took = []
            for i in range(runs):
                b.wait("return document.readyState === 'complete';")
                want = f"Seen in the browser, {kind} run {i}."
                b.eval("window.casebookMark = 1;" + watch, want)
                if kind == "full":
                    b.eval("document.querySelector('script[data-events]').setAttribute('data-soft', '0');")
                time.sleep(0.3)
                text = open(target).read()
                if kind == "title":
                    text = re.sub(r"(?m)^title: .*$", f'title: "{want}"', text, count=1)
                else:
                    text += f"\n{want}\n"
                t0 = time.time() * 1000
                with open(target, "w") as f:
                    f.write(text)
                if kind != "full":
                    seen = b.wait("return window.casebookSeen;")
                    assert b.eval("return window.casebookMark === 1;"), "the page was swapped, not reloaded"
                else:
                    b.wait("return window.casebookMark === undefined && document.readyState === 'complete' "
                           "&& performance.timing.loadEventEnd > 0;")
                    assert want in b.eval("return document.getElementById('main').textContent;")
                    seen = b.eval(loaded)
                took.append(seen - t0)
            what = "a new title, soft reload" if kind == "title" else f"a body edit, {kind} reload"
            print(f"browser ({what}): save -> new content shown in Chromium median "
                  f"{statistics.median(took):.0f} ms (min {min(took):.0f}, max {max(took):.0f}), {runs} runs")
    finally:
        b.close()

browser(5)
factors = os.path.join(lib, "content/factors.yaml")
measure("factors.yaml (full rebuild)", factors, lambda t, i: t + f"\n# touched {i}\n", 3)
PY
  { grep -E '^rebuilt' "$work/err" | tail -3; grep -E '^then' "$work/err" | tail -1 || true; } | sed 's/^/  serve said: /'
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
