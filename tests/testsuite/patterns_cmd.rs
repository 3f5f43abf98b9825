//! SPEC §1: `casebook patterns` prints the ranking as an aligned table or as the objects of
//! `api/patterns.json`, honours `--min`, colours only when asked, and writes nothing.

use crate::support::Lib;

const REGISTRY: &str =
    "config-change:\n  title: Configuration change\ndns:\n  title: DNS\nmissing-timeout:\n  title: Missing timeout\n";

/// Three incidents; the newest (2024-09-01) is the reference date, so every factor is `new`.
/// Ranked: config-change (3), then the two with one incident, the more recent (dns) first.
fn library() -> Lib {
    let inc =
        |date: &str, factors: &str| format!("---\ntitle: On {date}\ndate: {date}\nfactors: {factors}\n---\nBody.\n");
    Lib::new(&[
        ("content/factors.yaml", REGISTRY),
        ("content/incidents/a.md", &inc("2024-01-10", "[config-change, missing-timeout]")),
        ("content/incidents/b.md", &inc("2024-06-01", "[config-change]")),
        ("content/incidents/c.md", &inc("2024-09-01", "[config-change, dns]")),
        ("content/notes/n.md", "---\ntitle: A note\nfactors: [missing-timeout]\n---\nText.\n"),
    ])
}

#[test]
fn the_table_is_aligned_and_ranked() {
    let lib = library();
    let run = lib.run(&["patterns"]);
    run.assert_clean();
    let expected = "\
rank  id               title                 incidents  notes  last seen   trend  recurring
   1  config-change    Configuration change          3      0  2024-09-01  new    yes
   2  dns              DNS                           1      0  2024-09-01  new    no
   3  missing-timeout  Missing timeout               1      1  2024-01-10  new    no
";
    assert_eq!(run.stdout, expected);
    assert!(!run.stdout.contains('\x1b'), "no colour when stdout is not a terminal");
    assert!(!lib.path().join("site").exists(), "patterns writes nothing");
}

#[test]
fn min_keeps_factors_in_at_least_that_many_incidents() {
    let lib = library();
    let run = lib.run(&["patterns", ".", "--min", "2"]);
    run.assert_clean();
    let rows: Vec<&str> = run.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{}", run.stdout);
    assert!(rows[0].starts_with("   1  config-change "), "{}", run.stdout);
}

#[test]
fn colour_only_when_asked() {
    let lib = library();
    let run = lib.run(&["patterns", "--color", "always"]);
    run.assert_code(0);
    assert!(run.stdout.contains("\x1b[1m\x1b[33myes\x1b[0m"), "{:?}", run.stdout);
    assert!(run.stdout.contains("\x1b[35mnew\x1b[0m"), "{:?}", run.stdout);
}

#[test]
fn json_holds_the_objects_of_the_export_in_rank_order() {
    let lib = library();
    let run = lib.run(&["patterns", "--format", "json"]);
    run.assert_clean();
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let ids: Vec<&str> = printed.as_array().expect("array").iter().filter_map(|p| p["id"].as_str()).collect();
    assert_eq!(ids, ["config-change", "dns", "missing-timeout"]);
    lib.build_clean();
    for p in printed.as_array().expect("array") {
        assert_eq!(p, &lib.json_item("api/patterns.json", p["id"].as_str().expect("id")));
    }
    let run = lib.run(&["patterns", "--format", "json", "--min", "5"]);
    assert_eq!(run.stdout, "[]\n");
}

#[test]
fn a_protective_factor_is_marked_helped_not_recurring() {
    let lib = library();
    lib.write("content/factors.yaml", &format!("{REGISTRY}kill-switch:\n  title: Kill switch\n  protective: true\n"));
    lib.write("content/incidents/d.md", "---\ntitle: D\ndate: 2024-08-01\nfactors: [kill-switch]\n---\nBody.\n");
    lib.write("content/incidents/e.md", "---\ntitle: E\ndate: 2024-08-02\nfactors: [kill-switch]\n---\nBody.\n");
    let run = lib.run(&["patterns"]);
    run.assert_clean();
    assert!(
        run.stdout
            .contains("   2  kill-switch      Kill switch                   2      0  2024-08-02  new    helped\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn content_errors_are_reported_and_exit_1() {
    let lib = library();
    lib.write("content/incidents/d.md", "---\ntitle: D\ndate: not-a-date\n---\nBody.\n");
    let run = lib.run(&["patterns"]);
    run.assert_code(1);
    assert!(run.at_level("error").iter().any(|l| l.starts_with("content/incidents/d.md:3:")), "{}", run.stderr);
    assert!(run.stdout.contains("config-change"), "the valid documents are still ranked");
}
