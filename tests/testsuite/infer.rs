//! SPEC §3.5: postmortems with no front matter, written from the templates real repos use
//! (Google's SRE book, PagerDuty's, a team's own with a `Stats` list), read for their fields,
//! factors and action items; with and without a registry; `[build] infer = false`.

use crate::support::Lib;
use serde_json::{json, Value};
use std::path::Path;

/// The fixture library (tests/fixtures/plain-postmortems), with its registry when asked.
fn plain(registry: bool) -> Lib {
    let lib = Lib::empty();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plain-postmortems");
    lib.copy_tree(&root.join("content"), "content");
    if registry {
        lib.write("content/factors.yaml", &std::fs::read_to_string(root.join("factors.yaml")).expect("registry"));
    }
    lib
}

fn incident(lib: &Lib, id: &str) -> Value {
    lib.json_item("api/incidents.json", id)
}

fn actions(i: &Value) -> Vec<(String, String)> {
    i["action_items"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| (a["title"].as_str().unwrap_or("").to_string(), a["status"].as_str().unwrap_or("").to_string()))
        .collect()
}

fn pair(title: &str, status: &str) -> (String, String) {
    (title.to_string(), status.to_string())
}

#[test]
fn a_teams_own_template_with_a_stats_list() {
    let lib = plain(false);
    lib.build(&[]).assert_code(0);
    let i = incident(&lib, "db-pool");
    assert_eq!(i["date"], "2022-11-05");
    assert_eq!(i["times"]["started"], "2022-11-05T08:30:00Z");
    assert_eq!(i["severity"], "SEV1");
    assert_eq!(i["teams"], json!(["payments"]));
    assert_eq!(i["services"], json!(["orders", "checkout"]));
    assert_eq!(i["tags"], json!(["databases"]));
    assert_eq!(
        (i["ttd_minutes"].clone(), i["ttr_minutes"].clone(), i["impact_minutes"].clone()),
        (json!(3250), json!(279), json!(1220))
    );
    assert_eq!(i["detection"]["method"], "customer-report");
    assert_eq!(i["factors"], json!(["connection-pool-exhaustion"]));
    assert_eq!(
        i["unclassified_factors"],
        json!(["A retry storm from the checkout service kept every connection busy for hours."])
    );
    assert_eq!(
        actions(&i),
        [pair("Cap retries in the checkout client", "done"), pair("Alert on pool saturation", "open")]
    );
    // A footnote's text is not the summary.
    assert_eq!(i["summary"], Value::Null);
}

#[test]
fn the_google_sre_template() {
    let lib = plain(false);
    lib.build(&[]).assert_code(0);
    let i = incident(&lib, "search-latency");
    assert_eq!(i["date"], "2023-06-14");
    assert_eq!(i["times"]["started"], "2023-06-14T09:12:00Z");
    assert_eq!(
        i["summary"],
        "Search was slow or down for 66 minutes after a traffic surge met a cache that had just been emptied"
    );
    assert_eq!(i["impact"]["summary"], "About 30% of search queries failed or took longer than ten seconds");
    assert_eq!(i["trigger"], "A marketing email sent to every customer at once");
    assert_eq!(i["detection"]["method"], "alert");
    assert_eq!(i["severity"], Value::Null);
    assert_eq!(i["factors"], json!([]));
    assert_eq!(i["unclassified_factors"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        actions(&i),
        [
            pair("Stagger cache flushes across zones", "unknown"),
            pair("Load test the index at twice the peak", "unknown")
        ]
    );
    assert_eq!(i["action_items"][0]["owner"], "ana");
}

#[test]
fn the_pagerduty_template_with_a_timeline_table() {
    let lib = plain(false);
    lib.build(&[]).assert_code(0);
    let i = incident(&lib, "2023-09-02-checkout-errors");
    assert_eq!(i["date"], "2023-09-02");
    assert_eq!(i["times"]["started"], "2023-09-02T14:02:00Z");
    assert_eq!(i["summary"], "Checkout returned errors to one customer in five for 47 minutes.");
    assert_eq!(i["impact"]["summary"], "20% of checkouts failed between 14:02 and 14:49.");
    assert_eq!(
        i["unclassified_factors"],
        json!([
            "A config push changed the provider endpoint without a canary.",
            "The payment client had no timeout, so requests piled up.",
            "Retry storm; clients retried without backoff"
        ])
    );
    assert_eq!(
        actions(&i),
        [
            pair("Add a timeout to the payment client", "done"),
            pair("Canary config pushes", "open"),
            pair("Review retry settings", "unknown")
        ]
    );
    assert_eq!(i["action_items"][0]["link"], "https://tracker.example/PAY-7");
    let html = lib.html("incidents/2023-09-02-checkout-errors/index.html");
    assert!(html.contains("Not yet classified"), "{html}");
    assert!(html.contains("<li>The payment client had no timeout, so requests piled up.</li>"), "{html}");
}

#[test]
fn front_matter_always_wins() {
    let lib = plain(false);
    lib.build(&[]).assert_code(0);
    let i = incident(&lib, "front-matter-wins");
    assert_eq!((i["date"].clone(), i["severity"].clone()), (json!("2024-01-20"), json!("SEV3")));
    assert_eq!(i["factors"], json!(["dns"]));
    assert_eq!(i["unclassified_factors"], json!([]));
    // The body fills what front matter leaves out; the timeline's day is not the incident's, so
    // its time is not `times.started`.
    assert_eq!(i["services"], json!(["dns"]));
    assert_eq!(i["times"]["started"], Value::Null);
}

#[test]
fn a_registry_classifies_the_texts_and_patterns_recur() {
    let lib = plain(true);
    let run = lib.build(&[]);
    run.assert_code(0);
    let factors = |id: &str| incident(&lib, id)["factors"].clone();
    assert_eq!(factors("2023-09-02-checkout-errors"), json!(["config-change", "missing-timeout", "retry-storm"]));
    assert_eq!(factors("db-pool"), json!(["capacity", "retry-storm"]));
    assert_eq!(factors("search-latency"), json!(["capacity"]));
    assert_eq!(factors("front-matter-wins"), json!(["dns"]));
    assert_eq!(incident(&lib, "search-latency")["unclassified_factors"], json!(["Nobody owned the email schedule."]));
    assert_eq!(incident(&lib, "db-pool")["unclassified_factors"], json!([]));
    let count = |id: &str| lib.json_item("api/patterns.json", id)["incident_count"].clone();
    assert_eq!(
        ["capacity", "retry-storm", "config-change", "missing-timeout", "dns"].map(count),
        [json!(2), json!(2), json!(1), json!(1), json!(1)]
    );
    assert_eq!(lib.json("api/patterns.json").as_array().map(Vec::len), Some(5));
    assert_eq!(lib.json_item("api/patterns.json", "capacity")["recurring"], true);
}

#[test]
fn every_inferred_value_is_a_note_at_its_line_under_verbose_only() {
    let lib = plain(true);
    let quiet = lib.check(&[]);
    assert!(quiet.at_level("note").is_empty(), "{}", quiet.stderr);
    let run = lib.check(&["--verbose"]);
    for line in [
        "content/incidents/db-pool.md:18:1: note: inferred date 2022-11-05 from the timeline",
        "content/incidents/db-pool.md:18:1: note: inferred times.started 2022-11-05 08:30 from the timeline",
        "content/incidents/db-pool.md:5:1: note: inferred severity `SEV1` from the `Severity:` line",
        "content/incidents/db-pool.md:9:1: note: inferred durations.ttd 3250 minutes from `Time to detection: 54 hours 10 minutes`",
        "content/incidents/db-pool.md:10:1: note: inferred durations.ttr 279 minutes from `Time to recovery: 279 minutes`",
        "content/incidents/db-pool.md:8:1: note: inferred tags `databases` from the `Category:` line",
        "content/incidents/db-pool.md:23:1: note: inferred factor `capacity` from `Connection pool exhaustion`",
        "content/incidents/db-pool.md:29:1: note: inferred action item `Alert on pool saturation` (open) from the `Follow-ups` section",
        "content/incidents/search-latency.md:35:1: note: unclassified factor text `Nobody owned the email schedule.`",
        "content/incidents/2023-09-02-checkout-errors.md:24:1: note: inferred impact.summary from the `Impact` section",
    ] {
        run.assert_line(line);
    }
    // Front matter's severity won, so the body's is not reported as read.
    assert!(!run.stderr.contains("front-matter-wins.md:8:1: note: inferred severity"), "{}", run.stderr);
    let json = lib.check(&["--format", "json", "--verbose"]);
    let notes: Vec<Value> = json.json_lines().into_iter().filter(|d| d["code"] == "inferred").collect();
    assert!(notes.iter().any(|d| d["path"] == "content/incidents/db-pool.md" && d["line"] == 18), "{notes:?}");
}

#[test]
fn an_unreadable_value_is_a_warning_and_the_field_stays_empty() {
    let lib = Lib::new(&[
        ("book.toml", "[severity]\nlevels = [\"SEV1\", \"SEV2\"]\n"),
        (
            "content/incidents/2024-05-01-x.md",
            "# X\n\n- Severity: SEV9\n- Duration: a while\n- Detection: we noticed\n- Time to detect: 5 minutes\n",
        ),
    ]);
    let run = lib.check(&["--verbose"]);
    run.assert_code(0);
    run.assert_line("content/incidents/2024-05-01-x.md:3:1: warning: unknown severity `SEV9`");
    run.assert_line("content/incidents/2024-05-01-x.md:4:1: warning: cannot read `Duration: a while` as a duration");
    run.assert_line(
        "content/incidents/2024-05-01-x.md:5:1: warning: cannot read `Detection: we noticed` as a detection method",
    );
    assert!(!run.stderr.contains("note: inferred severity"), "{}", run.stderr);
    lib.build(&[]).assert_code(0);
    let i = lib.json_item("api/incidents.json", "2024-05-01-x");
    assert_eq!(
        (i["severity"].clone(), i["impact_minutes"].clone(), i["ttd_minutes"].clone()),
        (Value::Null, Value::Null, json!(5))
    );
}

#[test]
fn fields_mappings_apply_to_key_value_lines() {
    let lib = Lib::new(&[
        ("book.toml", "[fields]\nseverity = [\"priority\"]\n\"times.started\" = [\"start time\"]\n"),
        ("content/incidents/x.md", "# X\n\nPriority: P1\nStart time: 2024-02-03T10:00:00Z\n"),
    ]);
    lib.build(&[]).assert_code(0);
    let i = lib.json_item("api/incidents.json", "x");
    assert_eq!((i["severity"].clone(), i["date"].clone()), (json!("P1"), json!("2024-02-03")));
    assert_eq!(i["times"]["started"], "2024-02-03T10:00:00Z");
}

#[test]
fn infer_false_reads_front_matter_only() {
    let lib = plain(true);
    lib.write("book.toml", "[build]\ninfer = false\n");
    let run = lib.build(&["--verbose"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("note: inferred"), "{}", run.stderr);
    run.assert_line("content/incidents/db-pool.md:1:1: warning: incident has no date");
    let i = incident(&lib, "db-pool");
    assert_eq!(
        (i["severity"].clone(), i["factors"].clone(), i["action_items"].clone()),
        (Value::Null, json!([]), json!([]))
    );
    assert_eq!(i["unclassified_factors"], json!([]));
    // The file name still dates an incident; only the body is not read.
    assert_eq!(incident(&lib, "2023-09-02-checkout-errors")["times"]["started"], Value::Null);
    let seen: Vec<Value> = lib
        .json("api/patterns.json")
        .as_array()
        .expect("patterns")
        .iter()
        .filter(|p| p["incident_count"] != 0)
        .map(|p| p["id"].clone())
        .collect();
    assert_eq!(seen, [json!("dns")]);
}

#[test]
fn a_templates_instructions_are_not_read_as_the_authors_text() {
    let lib = Lib::empty();
    lib.run(&["init", "."]).assert_code(0);
    lib.run(&["new", "incident", "Queue backlog"]).assert_code(0);
    let run = lib.check(&["--verbose"]);
    run.assert_code(0);
    let inferred: Vec<&str> = run
        .at_level("note")
        .into_iter()
        .filter(|l| l.contains("queue-backlog") && !l.contains("inferred summary"))
        .collect();
    assert!(inferred.is_empty(), "{inferred:?}");
}

#[test]
fn front_matter_fallbacks_come_before_the_body() {
    let lib = Lib::new(&[(
        "content/incidents/x.md",
        "---\ndescription: From front matter.\ntimes:\n  started: 2024-02-03T10:00:00Z\n---\n\nDate: 2023-01-01\nSummary: From the body.\n",
    )]);
    lib.build(&[]).assert_code(0);
    let i = lib.json_item("api/incidents.json", "x");
    assert_eq!((i["date"].clone(), i["summary"].clone()), (json!("2024-02-03"), json!("From front matter.")));
}

#[test]
fn a_factor_text_of_punctuation_alone_is_skipped_not_an_error() {
    let lib = Lib::new(&[("content/incidents/2024-01-02-x.md", "# X\n\n## Root causes\n\n- [#\n- ...\n- Disk full\n")]);
    lib.build(&[]).assert_code(0);
    assert_eq!(lib.json_item("api/incidents.json", "2024-01-02-x")["factors"], json!(["disk-full"]));
    lib.write("book.toml", "[fields]\nfactors = [\"category\"]\n");
    lib.write("content/incidents/2024-01-03-y.md", "# Y\n\nCategory: *, DNS\n");
    lib.build(&[]).assert_code(0);
    assert_eq!(lib.json_item("api/incidents.json", "2024-01-03-y")["factors"], json!(["dns"]));
}
