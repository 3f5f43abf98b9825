#!/usr/bin/env bash
# How long `casebook serve` takes from saving one incident to telling the browser to reload
# (the Server-Sent Event that follows the swap), and to serving the edited page, on generated
# libraries of 2,000 and 10,000 incidents. Also a full rebuild (touching factors.yaml) for
# comparison. Usage: benches/serve.sh [--factor-spread thin|zipf] [SIZES...]   (default: thin,
# 2000 10000; `zipf` is the hard shape: fewer, far more common factors and bigger incidents).
set -euo pipefail
cd "$(dirname "$0")/.."
spread=thin
if [ "${1:-}" = "--factor-spread" ]; then
  spread=${2:?--factor-spread takes thin or zipf}
  shift 2
fi
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
  target/release/examples/generate "$lib" "$n" $((n / 10)) --factor-spread "$spread" >/dev/null
  # The last size's output must not pass for this one's (the child truncates it, maybe late).
  rm -f "$work/out"
  start=$(date +%s%N)
  "$bin" serve "$lib" --port 0 >"$work/out" 2>"$work/err" &
  pid=$!
  until grep -q '^serving ' "$work/out" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/err"; exit 1; }
    sleep 0.05
  done
  echo "== $n incidents ($spread): first build and bind in $((($(date +%s%N) - start) / 1000000)) ms"
  url=$(sed -n 's/^serving //p' "$work/out")
  python3 - "$url" "$lib" <<'PY'
import http.client, json, os, re, statistics, sys, time, urllib.parse, glob

url, lib = sys.argv[1], sys.argv[2]
u = urllib.parse.urlparse(url)
incidents = sorted(glob.glob(os.path.join(lib, "content/incidents/**/*.md"), recursive=True))
target = incidents[len(incidents) // 2]
page_id = os.path.splitext(os.path.basename(target))[0]

def events():
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    c.request("GET", "/__casebook/events")
    r = c.getresponse()
    return c, r

def next_generation(r, after):
    data = None
    while True:
        line = r.fp.readline().decode()
        if line.startswith("data: "):
            data = json.loads(line[6:])
        elif line == "\n" and data is not None:
            if data["generation"] > after or data["errors"]:
                return data
            data = None

def measure(label, path, edit, runs):
    to_event, to_page = [], []
    for i in range(runs):
        c, r = events()
        first = next_generation(r, -1)
        text = open(path).read()
        t0 = time.perf_counter()
        with open(path, "w") as f:
            f.write(edit(text, i))
        status = next_generation(r, first["generation"])
        t1 = time.perf_counter()
        assert not status["errors"], status["errors"]
        p = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        p.request("GET", u.path + "incidents/" + page_id + "/")
        body = p.getresponse().read().decode()
        t2 = time.perf_counter()
        to_event.append((t1 - t0) * 1000)
        to_page.append((t2 - t0) * 1000)
        c.close()
        time.sleep(0.2)
    print(f"{label}: save -> reload event median {statistics.median(to_event):.0f} ms "
          f"(min {min(to_event):.0f}, max {max(to_event):.0f}); "
          f"save -> edited page served median {statistics.median(to_page):.0f} ms, {runs} runs")
    return body

body = measure("one incident's body", target,
               lambda t, i: t + f"\nEdited while serving, run {i}.\n", 7)
assert "Edited while serving" in body, "the served page shows the edit"
measure("one incident's title", target,
        lambda t, i: re.sub(r"(?m)^title: .*$", f'title: "Run {i}: an edited title"', t, count=1), 5)

def browser(runs):
    """Save -> edited page loaded in headless Chromium (through chromedriver), from the page's
    own clock: performance.timeOrigin + loadEventEnd of the reloaded page, minus the save time."""
    import shutil, subprocess, socket, urllib.request
    if not shutil.which("chromedriver") or not shutil.which("chromium"):
        print("browser: chromedriver or chromium not found, skipped")
        return
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    driver = subprocess.Popen(["chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    def call(method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, data=data,
                                     headers={"Content-Type": "application/json"})
        return json.loads(urllib.request.urlopen(req, timeout=60).read())["value"]
    try:
        for _ in range(100):
            try:
                call("GET", "/status"); break
            except Exception:
                time.sleep(0.05)
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--window-size=1280,900"]
        sid = call("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"args": args}}}})["sessionId"]
        ev = lambda js: call("POST", f"/session/{sid}/execute/sync", {"script": js, "args": []})
        call("POST", f"/session/{sid}/url", {"url": url + "incidents/" + page_id + "/"})
        took = []
        for i in range(runs):
            ev("window.casebookMark = 1;")
            time.sleep(0.3)
            text = open(target).read()
            t0 = time.time() * 1000
            with open(target, "w") as f:
                f.write(text + f"\nSeen in the browser, run {i}.\n")
            deadline = time.time() + 30
            while ev("return window.casebookMark === undefined && document.readyState === 'complete';") is not True:
                assert time.time() < deadline, "the page did not reload"
                time.sleep(0.01)
            loaded = ev("return performance.timeOrigin + performance.timing.loadEventEnd - performance.timing.navigationStart;")
            took.append(loaded - t0)
        call("DELETE", f"/session/{sid}")
        print(f"browser: save -> reloaded page loaded in Chromium median {statistics.median(took):.0f} ms "
              f"(min {min(took):.0f}, max {max(took):.0f}), {runs} runs")
    finally:
        driver.terminate(); driver.wait()

browser(5)
factors = os.path.join(lib, "content/factors.yaml")
measure("factors.yaml (full rebuild)", factors, lambda t, i: t + f"\n# touched {i}\n", 3)
PY
  grep -E '^rebuilt' "$work/err" | tail -3 | sed 's/^/  serve said: /'
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
