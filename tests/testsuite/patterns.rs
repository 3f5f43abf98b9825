//! SPEC §3.3 and §4: factors matched to the registry by id or alias, and the numbers of a
//! pattern page — count, first and last seen, trend, recurring, co-occurrence, recurrence after
//! a fix, TTD and impact statistics.

use crate::support::Lib;
use serde_json::json;

const REGISTRY: &str = "config-change:\n  title: Configuration change\n  category: Change management\n  aliases: [config change, misconfiguration]\n  description: A change to configuration set the incident in motion.\n";

fn inc(date: &str, factors: &str) -> String {
    format!("---\ntitle: Incident of {date}\ndate: {date}\nfactors: {factors}\n---\nBody.\n")
}

#[test]
fn aliases_and_spellings_land_on_one_pattern_page() {
    let lib = Lib::new(&[
        ("content/factors.yaml", REGISTRY),
        ("content/incidents/a.md", &inc("2024-01-01", "[Config Change]")),
        ("content/incidents/b.md", &inc("2024-02-01", "[misconfiguration]")),
        ("content/incidents/c.md", &inc("2024-03-01", "[config_change]")),
    ]);
    lib.build_clean();
    let patterns: Vec<String> =
        lib.site_files().into_iter().filter(|f| f.starts_with("patterns/") && f != "patterns/index.html").collect();
    assert_eq!(patterns, ["patterns/config-change/index.html"]);
    let p = lib.json_item("api/patterns.json", "config-change");
    assert_eq!(p["incident_count"], 3);
    assert_eq!(p["incidents"], json!(["a", "b", "c"]));
    assert_eq!(p["title"], "Configuration change");
    assert_eq!(p["category"], "Change management");
    assert_eq!(p["aliases"], json!(["config change", "misconfiguration"]));
    assert_eq!(lib.json("api/patterns.json").as_array().map(Vec::len), Some(1));
    for id in ["a", "b", "c"] {
        assert_eq!(lib.json_item("api/incidents.json", id)["factors"], json!(["config-change"]));
    }
    let html = lib.html("patterns/config-change/index.html");
    assert!(html.contains("<h1>Configuration change</h1>"), "{html}");
    assert!(html.contains(r#"<span class="fig-key">Incidents</span><span class="fig-value">3</span>"#), "{html}");
    assert!(html.contains(r#"<p class="lead">A change to configuration set the incident in motion.</p>"#));
    assert!(html.contains("Also written as: config change, misconfiguration"), "{html}");
}

#[test]
fn a_factor_named_twice_in_one_incident_counts_once() {
    let lib = Lib::new(&[
        ("content/factors.yaml", REGISTRY),
        ("content/incidents/a.md", &inc("2024-01-01", "[config-change, misconfiguration]")),
    ]);
    lib.build_clean();
    assert_eq!(lib.json_item("api/patterns.json", "config-change")["incident_count"], 1);
    assert_eq!(lib.json_item("api/incidents.json", "a")["factors"], json!(["config-change"]));
}

#[test]
fn an_unknown_factor_with_a_registry_is_a_warning_with_a_did_you_mean() {
    let lib = Lib::new(&[
        ("content/factors.yaml", REGISTRY),
        ("content/incidents/a.md", &inc("2024-01-01", "[config-chnage]")),
    ]);
    let run = lib.build(&[]);
    run.assert_code(0);
    let line = "content/incidents/a.md:4:11: warning: unknown factor `config-chnage`";
    run.assert_line(line);
    let help = run.help_of(line);
    assert!(help.iter().any(|h| h == "did you mean `config-change`?"), "{help:?}");
    assert!(lib.exists("patterns/config-chnage/index.html"), "it still gets a page");
}

#[test]
fn an_unknown_alias_like_spelling_suggests_the_canonical_id() {
    let lib = Lib::new(&[
        ("content/factors.yaml", REGISTRY),
        ("content/incidents/a.md", "---\ntitle: A\ndate: 2024-01-01\nfactors:\n  - misconfigurations\n---\nBody\n"),
    ]);
    let run = lib.check(&[]);
    let line = "content/incidents/a.md:5:5: warning: unknown factor `misconfigurations`";
    run.assert_line(line);
    assert!(run.help_of(line).iter().any(|h| h == "did you mean `config-change`?"), "{}", run.stderr);
}

#[test]
fn without_a_registry_any_factor_is_silent_and_titled_by_its_first_spelling() {
    let lib = Lib::new(&[
        ("content/incidents/a.md", &inc("2024-01-01", "[Retry Storm]")),
        ("content/incidents/b.md", &inc("2024-02-01", "[retry-storm]")),
    ]);
    lib.build_clean();
    let p = lib.json_item("api/patterns.json", "retry-storm");
    assert_eq!(p["title"], "Retry Storm");
    assert_eq!(p["incident_count"], 2);
    assert_eq!(p["category"], serde_json::Value::Null);
}

#[test]
fn count_first_and_last_seen() {
    let lib = Lib::new(&[
        ("content/incidents/a.md", &inc("2023-01-05", "[x]")),
        ("content/incidents/b.md", &inc("2023-07-01", "[x]")),
        ("content/incidents/c.md", &inc("2024-02-10", "[x]")),
        ("content/incidents/d.md", &inc("2024-05-10", "[y]")),
    ]);
    lib.build_clean();
    let p = lib.json_item("api/patterns.json", "x");
    assert_eq!(p["incident_count"], 3);
    assert_eq!(p["first_seen"], "2023-01-05");
    assert_eq!(p["last_seen"], "2024-02-10");
    let html = lib.html("patterns/x/index.html");
    assert!(
        html.contains(r#"<span class="fig-key">First seen</span><span class="fig-value">5 Jan 2023</span>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<span class="fig-key">Last seen</span><span class="fig-value">10 Feb 2024</span>"#),
        "{html}"
    );
    for id in ["a", "b", "c"] {
        assert!(html.contains(&format!("href=\"/incidents/{id}/\"")), "incident {id} listed");
    }
    assert!(!html.contains("href=\"/incidents/d/\""));
}

fn trend_library() -> Lib {
    Lib::new(&[
        ("content/incidents/i1.md", &inc("2024-06-01", "[new-one]")),
        ("content/incidents/i2.md", &inc("2024-03-01", "[rising-one]")),
        ("content/incidents/i3.md", &inc("2024-09-01", "[rising-one]")),
        ("content/incidents/i4.md", &inc("2023-06-01", "[rising-one, falling-one]")),
        ("content/incidents/i5.md", &inc("2024-05-01", "[steady-one]")),
        ("content/incidents/i6.md", &inc("2023-05-02", "[steady-one]")),
        ("content/incidents/i7.md", &inc("2020-01-01", "[quiet-one]")),
    ])
}

#[test]
fn trend_compares_the_last_twelve_months_with_the_twelve_before() {
    // 2025-01-01T00:00:00Z.
    let lib = trend_library().env("SOURCE_DATE_EPOCH", "1735689600");
    lib.build_clean();
    for (id, trend) in [
        ("new-one", "new"),
        ("rising-one", "rising"),
        ("falling-one", "falling"),
        ("steady-one", "steady"),
        ("quiet-one", "quiet"),
    ] {
        assert_eq!(lib.json_item("api/patterns.json", id)["trend"], trend, "{id}");
    }
    let html = lib.html("patterns/rising-one/index.html");
    assert!(html.contains("2 in the 12 months to 1 Jan 2025, 1 in the 12 before"), "{html}");
    assert!(html.contains(r#"<span class="trend trend-rising">rising</span>"#), "{html}");
}

#[test]
fn trend_reference_defaults_to_the_newest_incident() {
    let lib = trend_library();
    lib.build_clean();
    // Reference 2024-09-01: (2023-09-01, 2024-09-01] against (2022-09-01, 2023-09-01].
    let html = lib.html("patterns/rising-one/index.html");
    assert!(html.contains("2 in the 12 months to 1 Sep 2024, 1 in the 12 before"), "{html}");
    assert_eq!(lib.json_item("api/patterns.json", "quiet-one")["trend"], "quiet");
    assert_eq!(lib.json_item("api/patterns.json", "steady-one")["trend"], "steady");
}

#[test]
fn a_far_reference_date_makes_every_pattern_quiet() {
    // 2030-01-01T00:00:00Z.
    let lib = trend_library().env("SOURCE_DATE_EPOCH", "1893456000");
    lib.build_clean();
    for p in lib.json("api/patterns.json").as_array().expect("array") {
        assert_eq!(p["trend"], "quiet", "{p}");
    }
}

#[test]
fn recurring_from_two_incidents_by_default() {
    let lib = Lib::new(&[
        ("content/incidents/a.md", &inc("2024-01-01", "[x, y]")),
        ("content/incidents/b.md", &inc("2024-02-01", "[x]")),
    ]);
    lib.build_clean();
    assert_eq!(lib.json_item("api/patterns.json", "x")["recurring"], true);
    assert_eq!(lib.json_item("api/patterns.json", "y")["recurring"], false);
    let html = lib.html("incidents/a/index.html");
    assert!(html.contains("recurring · 2 incidents"), "the incident page marks a recurring factor: {html}");
}

#[test]
fn co_occurring_factors_with_count_and_jaccard() {
    let lib = Lib::new(&[
        ("content/incidents/i1.md", &inc("2024-01-01", "[a, c]")),
        ("content/incidents/i2.md", &inc("2024-02-01", "[a, b]")),
        ("content/incidents/i3.md", &inc("2024-03-01", "[a, b]")),
        ("content/incidents/i4.md", &inc("2024-04-01", "[b]")),
    ]);
    lib.build_clean();
    let a = lib.json_item("api/patterns.json", "a");
    assert_eq!(
        a["co_occurring"],
        json!([{"id": "b", "count": 2, "jaccard": 0.5}, {"id": "c", "count": 1, "jaccard": 0.333}])
    );
    let c = lib.json_item("api/patterns.json", "c");
    assert_eq!(c["co_occurring"], json!([{"id": "a", "count": 1, "jaccard": 0.333}]));
    let html = lib.html("patterns/a/index.html");
    assert!(
        html.contains(
            r#"<tr><td><a href="/patterns/b/">b</a></td><td class="num">2</td><td class="num">0.50</td></tr>"#
        ),
        "{html}"
    );
}

#[test]
fn recurred_after_fix_is_flagged_when_an_incident_follows_a_done_action() {
    let lib = Lib::new(&[
        (
            "content/incidents/2024-01-10-first.md",
            "---\ntitle: First outage\nfactors: [missing-timeout, retry-storm]\naction_items:\n  - title: Add client timeouts\n    status: done\n    done: 2024-01-20\n    addresses: [missing-timeout]\n  - title: Add jitter\n    status: open\n    addresses: [retry-storm]\n---\nBody.\n",
        ),
        ("content/incidents/2024-03-01-again.md", "---\ntitle: It happened again\nfactors: [missing-timeout, retry-storm]\n---\nBody.\n"),
    ]);
    lib.build_clean();
    let html = lib.html("patterns/missing-timeout/index.html");
    assert!(html.contains("Came back after a fix"), "{html}");
    assert!(html.contains("“Add client timeouts” was done on 20 Jan 2024"), "{html}");
    assert!(
        html.contains(
            r#"yet the factor appeared again in <a href="/incidents/2024-03-01-again/">It happened again</a>"#
        ),
        "{html}"
    );
    let other = lib.html("patterns/retry-storm/index.html");
    assert!(!other.contains("Came back after a fix"), "an open action is no fix: {other}");
    assert!(other.contains("Add jitter"), "actions addressing it are listed: {other}");
    let index = lib.html("patterns/index.html");
    assert!(index.contains("back after a fix"), "{index}");
}

#[test]
fn no_recurrence_flag_when_nothing_came_after_the_fix() {
    let lib = Lib::new(&[
        ("content/incidents/2024-01-01-before.md", "---\ntitle: Before\nfactors: [missing-timeout]\n---\nBody.\n"),
        (
            "content/incidents/2024-01-10-fixed.md",
            "---\ntitle: Fixed\nfactors: [missing-timeout]\naction_items:\n  - title: Add client timeouts\n    status: done\n    done: 2024-01-20\n    addresses: [missing-timeout]\n---\nBody.\n",
        ),
    ]);
    lib.build_clean();
    let html = lib.html("patterns/missing-timeout/index.html");
    assert!(!html.contains("Came back after a fix"), "{html}");
    assert!(html.contains("Add client timeouts"), "{html}");
}

#[test]
fn a_done_action_without_a_date_counts_from_its_incident() {
    let lib = Lib::new(&[
        (
            "content/incidents/2024-01-10-first.md",
            "---\ntitle: First\nfactors: [x]\naction_items:\n  - title: Fix x\n    status: done\n    addresses: [x]\n---\nBody.\n",
        ),
        ("content/incidents/2024-02-01-second.md", "---\ntitle: Second\nfactors: [x]\n---\nBody.\n"),
    ]);
    lib.build_clean();
    let html = lib.html("patterns/x/index.html");
    assert!(html.contains("“Fix x” was done on 10 Jan 2024"), "{html}");
}

#[test]
fn action_addresses_are_matched_by_alias() {
    let lib = Lib::new(&[
        ("content/factors.yaml", REGISTRY),
        (
            "content/incidents/2024-01-10-first.md",
            "---\ntitle: First\nfactors: [config-change]\naction_items:\n  - title: Review config changes\n    status: done\n    done: 2024-01-11\n    addresses: [Misconfiguration]\n---\nBody.\n",
        ),
        ("content/incidents/2024-02-01-second.md", "---\ntitle: Second\nfactors: [config change]\n---\nBody.\n"),
    ]);
    lib.build_clean();
    let html = lib.html("patterns/config-change/index.html");
    assert!(html.contains("Came back after a fix"), "{html}");
    let inc = lib.json_item("api/incidents.json", "2024-01-10-first");
    assert_eq!(inc["action_items"][0]["addresses"], json!(["config-change"]));
}

#[test]
fn notes_are_listed_on_pattern_pages_but_not_counted() {
    let lib = Lib::new(&[
        ("content/incidents/a.md", &inc("2024-01-01", "[latent-failures]")),
        ("content/notes/cook.md", "---\ntitle: How Complex Systems Fail\nfactors: [latent-failures]\n---\nBody.\n"),
        ("content/notes/only-note.md", "---\ntitle: Only a note\nfactors: [hindsight-bias]\n---\nBody.\n"),
    ]);
    lib.build_clean();
    let p = lib.json_item("api/patterns.json", "latent-failures");
    assert_eq!(p["incident_count"], 1);
    assert_eq!(p["note_count"], 1);
    assert_eq!(p["notes"], json!(["cook"]));
    let html = lib.html("patterns/latent-failures/index.html");
    assert!(html.contains(r#"<a href="/notes/cook/">How Complex Systems Fail</a>"#), "{html}");
    let only = lib.json_item("api/patterns.json", "hindsight-bias");
    assert_eq!(only["incident_count"], 0);
    assert_eq!(only["recurring"], false);
    assert_eq!(only["first_seen"], serde_json::Value::Null);
}

#[test]
fn pattern_page_shows_hand_written_text_roles_notes_and_services() {
    let lib = crate::fixtures::full_library();
    lib.build_clean();
    let html = lib.html("patterns/missing-timeout/index.html");
    assert!(html.contains("Every call across the network\nneeds a deadline."), "hand-written text: {html}");
    assert!(html.contains(r#"<span class="role role-predisposing">predisposing</span>"#), "{html}");
    assert!(html.contains("<td>The resolver client had no timeout.</td>"), "{html}");
    assert!(html.contains(r#"<a href="/services/dns/">dns</a></td><td class="num">2</td>"#), "services: {html}");
    assert!(html.contains(r#"<span class="kind">Resilience</span>"#), "category: {html}");
}

#[test]
fn pattern_text_keeps_a_one_line_first_paragraph() {
    let lib = Lib::new(&[
        ("content/incidents/a.md", &inc("2024-01-01", "[missing-timeout]")),
        ("content/patterns/missing-timeout.md", "Every call needs a deadline.\n\nSecond paragraph.\n"),
    ]);
    lib.build_clean();
    let html = lib.html("patterns/missing-timeout/index.html");
    assert!(html.contains("<p>Second paragraph.</p>"), "{html}");
    assert!(html.contains("<p>Every call needs a deadline.</p>"), "{html}");
}

#[test]
fn pattern_page_shows_median_and_p90_of_ttd_and_impact() {
    let t = |d: &str, ttd: u32, impact: u32| {
        format!(
            "---\ntitle: T{d}\ndate: 2024-01-{d}\nfactors: [slow-alerts]\ntimes:\n  started: 2024-01-{d}T10:00:00Z\n  detected: 2024-01-{d}T10:{ttd:02}:00Z\n  resolved: 2024-01-{d}T{:02}:{:02}:00Z\n---\nBody.\n",
            10 + impact / 60,
            impact % 60
        )
    };
    let lib = Lib::new(&[
        ("content/incidents/a.md", &t("01", 10, 60)),
        ("content/incidents/b.md", &t("02", 20, 120)),
        ("content/incidents/c.md", &t("03", 30, 90)),
        ("content/incidents/d.md", &t("04", 45, 150)),
    ]);
    lib.build_clean();
    let html = lib.html("patterns/slow-alerts/index.html");
    // TTD 10, 20, 30, 45: median (20+30)/2 = 25, p90 nearest rank ceil(3.6) = 4th = 45.
    assert!(
        html.contains(
            r#"<span class="fig-value">25 min</span><span class="fig-formula">median · p90 45 min · 4 incidents</span>"#
        ),
        "{html}"
    );
    // Impact 60, 90, 120, 150: median 105 = 1 h 45 min, p90 150 = 2 h 30 min.
    assert!(
        html.contains(r#"<span class="fig-value">1 h 45 min</span><span class="fig-formula">median · p90 2 h 30 min · 4 incidents</span>"#),
        "{html}"
    );
}

#[test]
fn pattern_index_groups_by_category_ranked_by_recurrence() {
    let lib = crate::fixtures::full_library();
    lib.build_clean();
    let html = lib.html("patterns/index.html");
    let resilience = html.find("<h2 id=\"cat-1\">Resilience</h2>").expect("Resilience first: most incidents");
    let change = html.find(">Change management</h2>").expect("Change management");
    assert!(resilience < change);
    let mt = html.find(r#"<a href="/patterns/missing-timeout/">Missing timeout</a>"#).expect("missing-timeout");
    let rs = html.find(r#"<a href="/patterns/retry-storm/">Retry storm</a>"#).expect("retry-storm");
    assert!(mt < rs, "3 incidents before 2");
    assert!(html.contains("<svg class=\"spark\""), "sparklines: {html}");
}

#[test]
fn patterns_json_is_sorted_by_id_with_every_field() {
    let lib = crate::fixtures::full_library();
    lib.build_clean();
    let all = lib.json("api/patterns.json");
    let ids: Vec<&str> = all.as_array().expect("array").iter().map(|p| p["id"].as_str().unwrap_or("")).collect();
    assert_eq!(ids, ["config-change", "missing-timeout", "retry-storm"]);
    let p = lib.json_item("api/patterns.json", "missing-timeout");
    let keys: Vec<&str> = p.as_object().expect("object").keys().map(String::as_str).collect();
    for key in [
        "id",
        "url",
        "title",
        "category",
        "aliases",
        "incident_count",
        "note_count",
        "incidents",
        "notes",
        "first_seen",
        "last_seen",
        "recurring",
        "trend",
        "co_occurring",
    ] {
        assert!(keys.contains(&key), "`{key}` in {keys:?}");
    }
    assert_eq!(p["url"], "/patterns/missing-timeout/");
    assert_eq!(p["incident_count"], 3);
    assert_eq!(p["recurring"], true);
    assert_eq!(
        p["incidents"],
        json!(["2023-11-02-dns-cache-outage", "2024-03-12-checkout-ttl", "2024-06-01-retry-storm"])
    );
}

#[test]
fn an_invalid_factor_role_is_an_error_at_its_value() {
    let lib = Lib::new(&[(
        "content/incidents/a.md",
        "---\ntitle: A\ndate: 2024-01-01\nfactors:\n  - factor: x\n    role: cause\n---\nBody\n",
    )]);
    let run = lib.check(&[]);
    run.assert_code(1);
    let line = "content/incidents/a.md:6:11: error: invalid factor role `cause`";
    run.assert_line(line);
    assert_eq!(run.help_of(line), ["expected one of `precipitating`, `predisposing`, `perpetuating`, `protective`"]);
}

#[test]
fn invalid_yaml_in_the_factor_registry_is_an_error_in_that_file() {
    let lib = Lib::new(&[
        ("content/factors.yaml", "config-change:\n  title: Config change\n  aliases: [a, b\nother:\n  title: Other\n"),
        ("content/incidents/a.md", &inc("2024-01-01", "[x]")),
    ]);
    let run = lib.build(&[]);
    run.assert_code(1);
    let errors = run.at_level("error");
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(errors[0].starts_with("content/factors.yaml:"), "{}", errors[0]);
    assert!(errors[0].contains(": error: invalid YAML: "), "{}", errors[0]);
    assert!(!lib.site().exists());
}

#[test]
fn a_registry_entry_that_is_not_a_mapping_is_an_error() {
    let lib = Lib::new(&[
        ("content/factors.yaml", "config-change: 5\n"),
        ("content/incidents/a.md", &inc("2024-01-01", "[x]")),
    ]);
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("content/factors.yaml:1:16: error: factor `config-change` must be a mapping");
}

#[test]
fn registered_factors_without_incidents_still_get_a_quiet_page() {
    let lib = Lib::new(&[("content/factors.yaml", REGISTRY), ("content/incidents/a.md", &inc("2024-01-01", "[x]"))]);
    lib.build(&[]).assert_code(0);
    let p = lib.json_item("api/patterns.json", "config-change");
    assert_eq!(p["incident_count"], 0);
    assert_eq!(p["trend"], "quiet");
    assert!(lib.html("patterns/config-change/index.html").contains("No incident names this factor yet."));
}
