//! Writes a large synthetic incident library for measurements (never committed):
//! `cargo run --release --example generate -- DIR [INCIDENTS] [NOTES] [--factor-spread thin|zipf]
//! [--code yaml|seven] [--pairs]` (default 10,000 and 1,000, thin, yaml). Deterministic: the same
//! arguments give the same files.
//!
//! Two shapes of library: `thin` (the default) spreads incidents over 60 factors, skewed only
//! mildly, with ~2.3 KB incidents and a code block in one of three; `zipf` is the hard one the
//! performance work measures on: 30 factors with a Zipf-like spread (exponent 0.7, so the most
//! common factors are each on 1,000–3,000 of 10,000 incidents and their pattern pages are
//! large), ~4.4 KB incidents with one code block each.
//!
//! Code blocks are YAML by default; `--code seven` spreads them evenly over the seven languages
//! postmortems quote (shell, Python, Go, SQL, Rust, YAML, JSON), incident `i` taking language
//! `i % 7`: the hard shape for highlighting, where no one language is favoured.
//!
//! `--pairs` makes incidents 2k and 2k + 1 the same problem written twice: both carry six
//! made-up words (two in the title, four in the summary) drawn for the pair from 1,048,576 such
//! words, so they also turn up by chance elsewhere, as rare words do. The other words of these
//! libraries are too common to tell incidents apart, so this is the shape on which similar
//! incidents find candidates and recurring problems form groups (half the incidents' number).

use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic generator (xorshift), so no crate is needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A uniform number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Skewed towards small indexes, so a few factors recur a lot (as in real libraries).
    fn skewed(&mut self, n: usize) -> usize {
        let a = self.below(n);
        let b = self.below(n);
        a.min(b)
    }
}

const SERVICES: &[&str] = &[
    "checkout",
    "payments",
    "dns",
    "search",
    "inventory",
    "notifications",
    "api-gateway",
    "postgres",
    "kafka",
    "redis",
    "auth",
    "catalog",
    "pricing",
    "delivery",
    "warehouse",
    "mobile-api",
    "web",
    "cdn",
    "billing",
    "ledger",
];
const TEAMS: &[&str] = &["platform", "payments", "checkout", "search", "data", "mobile", "web", "sre"];
const SEVERITIES: &[&str] = &["SEV1", "SEV2", "SEV2", "SEV3", "SEV3", "SEV3", "SEV4", "SEV4"];
const ROLES: &[&str] = &["precipitating", "predisposing", "perpetuating", "protective"];
const WORDS: &[&str] = &[
    "latency",
    "queue",
    "retry",
    "timeout",
    "deploy",
    "rollback",
    "config",
    "replica",
    "failover",
    "certificate",
    "quota",
    "cache",
    "connection",
    "pool",
    "throttle",
    "alert",
    "runbook",
    "capacity",
    "partition",
    "lag",
];

/// How factors are spread over incidents, and how long incidents are.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Spread {
    /// 60 factors, mildly skewed; short incidents.
    Thin,
    /// 30 factors, Zipf-like; ~4.4 KB incidents with a code block each.
    Zipf,
}

/// Picks factors for one incident in the chosen spread.
pub(crate) struct Factors {
    spread: Spread,
    /// Whether incidents come in pairs that read alike (`--pairs`).
    pairs: bool,
    count: usize,
    /// Cumulative Zipf weights (empty for the thin spread).
    cdf: Vec<f64>,
}

impl Factors {
    pub(crate) fn new(spread: Spread) -> Factors {
        let count = if spread == Spread::Zipf { 30 } else { 60 };
        let mut cdf = Vec::new();
        if spread == Spread::Zipf {
            let weights: Vec<f64> = (1..=count).map(|k| (k as f64).powf(-0.7)).collect();
            let total: f64 = weights.iter().sum();
            let mut acc = 0.0;
            for w in weights {
                acc += w / total;
                cdf.push(acc);
            }
        }
        Factors { spread, pairs: false, count, cdf }
    }

    /// The same, with incidents in pairs that read alike (`--pairs`).
    pub(crate) fn with_pairs(self) -> Factors {
        Factors { pairs: true, ..self }
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        match self.spread {
            Spread::Thin => rng.skewed(self.count),
            Spread::Zipf => {
                let u = rng.unit();
                self.cdf.iter().position(|&c| u < c).unwrap_or(self.count - 1)
            }
        }
    }
}

/// Which languages the incidents' code blocks are in.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Code {
    /// A short YAML block.
    Yaml,
    /// Shell, Python, Go, SQL, Rust, YAML and JSON in equal parts.
    Seven,
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut code = Code::Yaml;
    if let Some(at) = args.iter().position(|a| a == "--code") {
        code = match args.get(at + 1).map(String::as_str) {
            Some("yaml") => Code::Yaml,
            Some("seven") => Code::Seven,
            _ => {
                eprintln!("--code takes `yaml` or `seven`");
                std::process::exit(2);
            }
        };
        args.drain(at..at + 2);
    }
    let mut spread = Spread::Thin;
    if let Some(at) = args.iter().position(|a| a == "--factor-spread") {
        spread = match args.get(at + 1).map(String::as_str) {
            Some("thin") => Spread::Thin,
            Some("zipf") => Spread::Zipf,
            _ => {
                eprintln!("--factor-spread takes `thin` or `zipf`");
                std::process::exit(2);
            }
        };
        args.drain(at..at + 2);
    }
    let pairs = args.iter().position(|a| a == "--pairs").map(|at| args.remove(at)).is_some();
    const USAGE: &str =
        "usage: generate DIR [INCIDENTS] [NOTES] [--factor-spread thin|zipf] [--code yaml|seven] [--pairs]";
    // An option it does not know (`--help` among them) is never taken for the output folder.
    let Some(dir) = args.first().filter(|_| !args.iter().any(|a| a.starts_with('-'))) else {
        eprintln!("{USAGE}");
        std::process::exit(2);
    };
    let count = |at: usize, default: usize| match args.get(at) {
        None => default,
        Some(s) => s.parse().unwrap_or_else(|_| {
            eprintln!("`{s}` is not a number\n{USAGE}");
            std::process::exit(2)
        }),
    };
    let (incidents, notes) = (count(1, 10_000), count(2, 1_000));
    let factors = if pairs { Factors::new(spread).with_pairs() } else { Factors::new(spread) };
    if let Err(e) = generate(Path::new(dir), incidents, notes, &factors, code) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn factor_id(i: usize) -> String {
    format!("factor-{i:02}-{}", WORDS[i % WORDS.len()])
}

pub(crate) fn generate(
    root: &Path,
    n_incidents: usize,
    n_notes: usize,
    factors: &Factors,
    code: Code,
) -> std::io::Result<()> {
    let content = root.join("content");
    std::fs::create_dir_all(content.join("incidents"))?;
    std::fs::create_dir_all(content.join("notes"))?;
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Synthetic library\"\n[severity]\nlevels = [\"SEV1\", \"SEV2\", \"SEV3\", \"SEV4\"]\n",
    )?;
    let n_factors = factors.count;
    let mut registry = String::new();
    for i in 0..n_factors {
        let id = factor_id(i);
        let _ = writeln!(
            registry,
            "{id}:\n  title: Factor {i} ({})\n  category: Category {}\n  aliases: [\"alias {i}\"]\n  description: A synthetic factor about {}.",
            WORDS[i % WORDS.len()],
            i % 6,
            WORDS[(i * 7) % WORDS.len()]
        );
    }
    std::fs::write(content.join("factors.yaml"), registry)?;

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut ids = Vec::with_capacity(n_incidents);
    // Spread over five years, starting 2021-01-01 (day 18628 since the epoch).
    for i in 0..n_incidents {
        let day = 18_628 + (i * 1826 / n_incidents.max(1)) as i64;
        let date = casebook::model::Date::from_days(day);
        let (y, m, d) = (i64::from(date.year), date.month, date.day);
        let id = format!("{y:04}-{m:02}-{d:02}-incident-{i:05}");
        let year_dir = content.join("incidents").join(format!("{y}"));
        std::fs::create_dir_all(&year_dir)?;
        let text = incident(&mut rng, i, (y, m, d), &ids, factors, code);
        std::fs::write(year_dir.join(format!("{id}.md")), text)?;
        ids.push(id);
    }
    for i in 0..n_notes {
        let mut fm = format!(
            "---\ntitle: Note {i} on {}\nkind: paper\nauthors: [Author {}]\npublished: {}\n",
            WORDS[i % WORDS.len()],
            i % 50,
            1990 + i % 30
        );
        let _ = writeln!(fm, "date: 2024-{:02}-{:02}", i % 12 + 1, i % 28 + 1);
        let _ = writeln!(fm, "factors: [{}, {}]", factor_id(factors.pick(&mut rng)), factor_id(factors.pick(&mut rng)));
        if !ids.is_empty() {
            let _ = writeln!(fm, "incidents: [{}]", ids[rng.below(ids.len())]);
        }
        fm.push_str("tags: [reading]\n---\n\n");
        let _ = writeln!(fm, "What stayed with me from this {}: {}.\n", WORDS[i % WORDS.len()], sentence(&mut rng, 40));
        let _ = writeln!(fm, "{}\n", sentence(&mut rng, 60));
        std::fs::write(content.join("notes").join(format!("note-{i:04}.md")), fm)?;
    }
    Ok(())
}

fn incident(
    rng: &mut Rng,
    i: usize,
    (y, m, d): (i64, u32, u32),
    earlier: &[String],
    factors: &Factors,
    code: Code,
) -> String {
    let zipf = factors.spread == Spread::Zipf;
    // The pair's own words, from a generator of its own so the main one runs as without pairs.
    let shared: Vec<String> = if factors.pairs {
        let mut pair = Rng(0x2545_F491_4F6C_DD1D ^ (i as u64 / 2 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        (0..6).map(|_| made_up(&mut pair)).collect()
    } else {
        Vec::new()
    };
    let mut s = String::from("---\n");
    let topic = match &shared[..] {
        [a, b, ..] => format!("{a} {b}"),
        _ => format!("{} {}", WORDS[rng.below(WORDS.len())], WORDS[rng.below(WORDS.len())]),
    };
    let _ = writeln!(s, "title: \"Incident {i}: {topic} on {}\"", SERVICES[i % SERVICES.len()]);
    let _ = writeln!(s, "date: {y:04}-{m:02}-{d:02}");
    let _ = writeln!(s, "severity: {}", SEVERITIES[rng.below(SEVERITIES.len())]);
    let _ = writeln!(s, "services: [{}, {}]", SERVICES[rng.below(SERVICES.len())], SERVICES[rng.below(SERVICES.len())]);
    let _ = writeln!(s, "teams: [{}]", TEAMS[rng.below(TEAMS.len())]);
    let _ = writeln!(s, "tags: [{}]", WORDS[rng.below(WORDS.len())]);
    let start = 8 + rng.below(10);
    let detect = rng.below(50);
    let ack = rng.below(10);
    let mitigate = 10 + rng.below(120);
    let _ = writeln!(s, "times:\n  started: {y:04}-{m:02}-{d:02}T{start:02}:00:00Z");
    let _ = writeln!(s, "  detected: {y:04}-{m:02}-{d:02}T{start:02}:{detect:02}:00Z");
    let _ = writeln!(s, "  acknowledged: {y:04}-{m:02}-{d:02}T{start:02}:{:02}:00Z", detect + ack);
    let _ = writeln!(s, "  mitigated: {y:04}-{m:02}-{d:02}T{:02}:{:02}:00Z", start + 1 + mitigate / 60, mitigate % 60);
    let _ = writeln!(s, "  resolved: {y:04}-{m:02}-{d:02}T{:02}:{:02}:00Z", start + 3 + mitigate / 60, mitigate % 60);
    let _ = writeln!(s, "detection: {{method: alert, note: \"paged on {}\"}}", WORDS[rng.below(WORDS.len())]);
    let _ = writeln!(s, "impact:\n  summary: {} of requests failed\n  blast_radius: subset", rng.below(40) + 1);
    s.push_str("factors:\n");
    let count = 1 + rng.below(3);
    let mut chosen = Vec::new();
    for _ in 0..count {
        let f = factors.pick(rng);
        if chosen.contains(&f) {
            continue;
        }
        chosen.push(f);
        let _ = writeln!(
            s,
            "  - factor: {}\n    role: {}\n    note: {}",
            factor_id(f),
            ROLES[rng.below(3)],
            sentence(rng, 8)
        );
    }
    let _ = writeln!(
        s,
        "action_items:\n  - title: Fix the {} path\n    status: done\n    done: {y:04}-{m:02}-{:02}\n    owner: {}\n    addresses: [{}]",
        WORDS[rng.below(WORDS.len())],
        d.min(27) + 1,
        TEAMS[rng.below(TEAMS.len())],
        factor_id(chosen[0])
    );
    if !earlier.is_empty() {
        let _ = writeln!(s, "related: [{}]", earlier[rng.below(earlier.len())]);
    }
    s.push_str("---\n\n## Summary\n\n");
    let mut summary = sentence(rng, 30);
    for w in shared.iter().skip(2) {
        summary.push(' ');
        summary.push_str(w);
    }
    let _ = writeln!(s, "{summary}.\n\n## Timeline\n\n| Time | Event |\n|---|---|");
    for k in 0..5 {
        let _ = writeln!(s, "| {:02}:{:02} | {} |", start, k * 7, sentence(rng, 8));
    }
    let _ = writeln!(s, "\n## Contributing factors\n\n{}.\n", sentence(rng, 60));
    if zipf {
        for heading in ["What happened", "Why it spread"] {
            let _ = writeln!(s, "## {heading}\n\n{}.\n\n{}.\n", sentence(rng, 70), sentence(rng, 55));
        }
    }
    if !earlier.is_empty() {
        let _ = writeln!(s, "This looked like [[{}]] at first.\n", earlier[rng.below(earlier.len())]);
    }
    if zipf || i.is_multiple_of(3) {
        let (ttl, timeout) = (rng.below(300), rng.below(5000));
        match code {
            Code::Yaml => {
                let _ = writeln!(s, "```yaml\nresolver:\n  ttl: {ttl}\n  timeout: {timeout}ms\n```\n");
            }
            Code::Seven => s.push_str(&code_block(i % 7, ttl, timeout, SERVICES[i % SERVICES.len()])),
        }
    }
    let _ = writeln!(s, "## Lessons\n\n{}.\n", sentence(rng, 50));
    s
}

/// A code block as postmortems quote them: the command run, the fix, the query, the config.
fn code_block(lang: usize, ttl: usize, timeout: usize, service: &str) -> String {
    match lang {
        0 => format!(
            "```bash\n# drain the bad node, then roll {service} back\nkubectl drain node-{ttl} --ignore-daemonsets --timeout={timeout}ms\nfor pod in $(kubectl get pods -l app={service} -o name); do\n  kubectl delete \"$pod\" --wait=false\ndone\ncurl -sf \"https://{service}.internal/healthz?ttl={ttl}\" || echo 'still failing' >&2\n```\n\n"
        ),
        1 => format!(
            "```python\ndef resolve(name, cache, timeout={timeout}):\n    \"\"\"Look a name up, falling back to the cache for {ttl} s.\"\"\"\n    try:\n        return client.lookup(name, timeout=timeout / 1000)\n    except TimeoutError as err:\n        log.warning(\"lookup of %s failed: %s\", name, err)\n        return cache.get(name, max_age={ttl})\n```\n\n"
        ),
        2 => format!(
            "```go\nfunc (c *Client) Call(ctx context.Context, req *Request) (*Response, error) {{\n\tctx, cancel := context.WithTimeout(ctx, {timeout}*time.Millisecond)\n\tdefer cancel()\n\tresp, err := c.inner.Do(ctx, req)\n\tif err != nil {{\n\t\treturn nil, fmt.Errorf(\"{service}: %w\", err)\n\t}}\n\treturn resp, nil\n}}\n```\n\n"
        ),
        3 => format!(
            "```sql\n-- the query that held the lock for {ttl} s\nSELECT o.id, o.status, count(*) AS retries\nFROM orders o\nJOIN attempts a ON a.order_id = o.id\nWHERE o.created_at > now() - interval '{ttl} minutes'\n  AND a.latency_ms > {timeout}\nGROUP BY o.id, o.status\nORDER BY retries DESC\nLIMIT 50;\n```\n\n"
        ),
        4 => format!(
            "```rust\nlet client = reqwest::Client::builder()\n    .timeout(Duration::from_millis({timeout}))\n    .pool_max_idle_per_host({ttl})\n    .build()?;\nmatch client.get(\"https://{service}.internal/\").send().await {{\n    Ok(resp) if resp.status().is_success() => Ok(()),\n    Ok(resp) => Err(Error::Status(resp.status())),\n    Err(e) => Err(Error::Transport(e)),\n}}\n```\n\n"
        ),
        5 => format!(
            "```yaml\nservice: {service}\nresolver:\n  ttl: {ttl}\n  timeout: {timeout}ms\nretries:\n  max: 3\n  backoff: exponential # was linear\nalerts: [latency, errors]\n```\n\n"
        ),
        _ => format!(
            "```json\n{{\n  \"service\": \"{service}\",\n  \"resolver\": {{\"ttl\": {ttl}, \"timeout_ms\": {timeout}}},\n  \"retries\": {{\"max\": 3, \"backoff\": \"exponential\"}},\n  \"alerts\": [\"latency\", \"errors\"],\n  \"enabled\": true\n}}\n```\n\n"
        ),
    }
}

/// A made-up word of five syllables, one of 1,048,576 (so that at 100,000 incidents a pair's
/// words still turn up in few other incidents, as at 10,000).
fn made_up(rng: &mut Rng) -> String {
    const SYLLABLES: [&str; 16] =
        ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "su", "da", "fe", "gu", "hi", "jo", "be"];
    (0..5).map(|_| SYLLABLES[rng.below(SYLLABLES.len())]).collect()
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut out: Vec<&str> = (0..words).map(|_| WORDS[rng.below(WORDS.len())]).collect();
    if let Some(first) = out.first_mut() {
        *first = "The";
    }
    out.join(" ")
}
