//! Highlights a fixed set of code blocks many times, for profiling the highlighter alone under
//! `valgrind --tool=callgrind` (instruction counts are repeatable on a shared machine):
//!
//! ```text
//! cargo build --release --example highlight
//! valgrind --tool=callgrind target/release/examples/highlight [ROUNDS] [NAME]
//! ```
//!
//! Each round highlights one block per language (YAML like the generator's, a Kubernetes
//! manifest, a CI workflow, shell, JSON, SQL, Go, Python) with a number varied so no two blocks are the same
//! text. `NAME` (`yaml`, `k8s`, `ci`, `sh`, `json`, `sql`, `go`, `python`) keeps only that block. Prints the blocks and bytes of HTML.

use std::fmt::Write;

fn blocks(round: usize) -> Vec<(&'static str, &'static str, String)> {
    let n = round * 7 + 3;
    let mut v = Vec::new();
    v.push(("yaml", "yaml", format!("resolver:\n  ttl: {}\n  timeout: {}ms\n", n % 300, n % 5000)));
    v.push((
        "k8s",
        "yaml",
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout-{n}\n  labels:\n    app: checkout # the web tier\nspec:\n  replicas: {}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: \"registry.example.com/checkout:1.{n}\"\n          args: [\"--port\", \"8080\"]\n          resources:\n            limits: {{ cpu: 500m, memory: 256Mi }}\n",
            n % 9 + 1
        ),
    ));
    v.push((
        "ci",
        "yaml",
        format!("on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: {}\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          cargo test --locked\n          cargo clippy -- -D warnings # strict\n      - name: \"Deploy #{n}\"\n        if: github.ref == 'refs/heads/main'\n", n % 60),
    ));
    v.push((
        "sh",
        "sh",
        format!("# drain the node before the upgrade\nkubectl drain node-{n} --ignore-daemonsets --timeout=120s\nfor i in $(seq 1 {n}); do\n  curl -sf \"http://10.0.0.$i:8080/healthz\" || echo \"down: $i\" >&2\ndone\n"),
    ));
    v.push((
        "json",
        "json",
        format!("{{\n  \"error\": \"upstream timeout\",\n  \"status\": 504,\n  \"retries\": {n},\n  \"ok\": false,\n  \"tags\": [\"db\", null, 1.5e3]\n}}\n"),
    ));
    v.push((
        "sql",
        "sql",
        format!("-- find the slow queries\nSELECT query, calls, mean_exec_time\nFROM pg_stat_statements\nWHERE mean_exec_time > {n}\nORDER BY mean_exec_time DESC\nLIMIT 20;\n"),
    ));
    v.push((
        "go",
        "go",
        format!("func (c *Client) Get(ctx context.Context, key string) ([]byte, error) {{\n\tctx, cancel := context.WithTimeout(ctx, {n}*time.Millisecond)\n\tdefer cancel()\n\tif v, ok := c.cache[key]; ok {{\n\t\treturn v, nil // hit\n\t}}\n\treturn nil, fmt.Errorf(\"miss: %s\", key)\n}}\n"),
    ));
    v.push((
        "python",
        "python",
        format!("def backoff(attempt: int, base: float = 0.{n}) -> float:\n    \"\"\"Exponential backoff with jitter.\"\"\"\n    # cap at thirty seconds\n    return min(30.0, base * 2 ** attempt) * random.random()\n"),
    ));
    v
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(300);
    let only = args.next();
    let (mut count, mut bytes) = (0usize, 0usize);
    let mut langs = String::new();
    for round in 0..rounds {
        for (name, lang, code) in blocks(round) {
            if only.as_deref().is_some_and(|o| o != name) {
                continue;
            }
            let html = casebook::markdown::highlight(&code, lang).expect("a known language");
            count += 1;
            bytes += html.len();
            if round == 0 {
                let _ = write!(langs, " {name}");
            }
        }
    }
    println!("{count} blocks ({rounds} rounds of{langs}), {bytes} bytes of HTML");
}
