//! SPEC §3.1 and §6: derived figures from times and durations, RFC 3339 timestamps in UTC, the
//! shape of the JSON export.

use crate::support::Lib;
use serde_json::{json, Value};

const TIMES: &str = "times:\n  started: 2024-03-12T14:02:00Z\n  detected: 2024-03-12T14:19:00Z\n  acknowledged: 2024-03-12T14:21:00Z\n  mitigated: 2024-03-12T15:40:00Z\n  resolved: 2024-03-12T16:17:00Z\n";

fn one_incident(front: &str) -> Lib {
    Lib::new(&[("content/incidents/a.md", &format!("---\ntitle: A\ndate: 2024-03-12\n{front}---\nBody.\n"))])
}

#[test]
fn times_give_every_derived_figure_in_whole_minutes() {
    let lib = one_incident(TIMES);
    lib.build_clean();
    let inc = lib.json_item("api/incidents.json", "a");
    assert_eq!(inc["ttd_minutes"], 17);
    assert_eq!(inc["tta_minutes"], 2);
    assert_eq!(inc["ttm_minutes"], 98);
    assert_eq!(inc["impact_minutes"], 135);
    assert_eq!(inc["ttr_minutes"], 118);
}

#[test]
fn figures_are_shown_on_the_page_with_their_formula() {
    let lib = one_incident(TIMES);
    lib.build_clean();
    let html = lib.html("incidents/a/index.html");
    for (key, value, formula) in [
        ("TTD", "17 min", "detected − started"),
        ("TTA", "2 min", "acknowledged − detected"),
        ("TTM", "1 h 38 min", "mitigated − started"),
        ("Impact", "2 h 15 min", "resolved − started"),
        ("TTR", "1 h 58 min", "resolved − detected"),
    ] {
        let needle = format!(
            ">{key}</abbr></span><span class=\"fig-value\">{value}</span><span class=\"fig-formula\">{formula}</span>"
        );
        assert!(html.contains(&needle), "{needle} in {html}");
    }
    assert!(html.contains(r#"<time datetime="2024-03-12T14:02:00Z">2024-03-12 14:02 UTC</time>"#), "{html}");
    let list = lib.html("incidents/index.html");
    assert!(list.contains(r#"<td class="num" data-value="17">17 min</td>"#), "TTD column: {list}");
    assert!(list.contains(r#"<td class="num" data-value="135">2 h 15 min</td>"#), "impact column: {list}");
}

#[test]
fn seconds_are_rounded_down_to_whole_minutes() {
    let lib = one_incident("times:\n  started: 2024-03-12T14:00:00Z\n  detected: 2024-03-12T14:05:59Z\n");
    lib.build_clean();
    assert_eq!(lib.json_item("api/incidents.json", "a")["ttd_minutes"], 5);
}

#[test]
fn unknown_figures_are_null() {
    let lib = one_incident("times:\n  started: 2024-03-12T14:00:00Z\n  resolved: 2024-03-12T15:00:00Z\n");
    lib.build_clean();
    let inc = lib.json_item("api/incidents.json", "a");
    assert_eq!(inc["impact_minutes"], 60);
    for k in ["ttd_minutes", "tta_minutes", "ttm_minutes", "ttr_minutes"] {
        assert_eq!(inc[k], Value::Null, "{k}");
    }
    assert_eq!(inc["times"]["detected"], Value::Null);
}

#[test]
fn durations_are_used_when_times_are_unknown() {
    let lib =
        one_incident("durations:\n  ttd: 17m\n  tta: PT1H5M\n  ttm: 66 minutes\n  impact: 1h 5m\n  ttr: 2 hours\n");
    lib.build_clean();
    let inc = lib.json_item("api/incidents.json", "a");
    assert_eq!(inc["ttd_minutes"], 17);
    assert_eq!(inc["tta_minutes"], 65);
    assert_eq!(inc["ttm_minutes"], 66);
    assert_eq!(inc["impact_minutes"], 65);
    assert_eq!(inc["ttr_minutes"], 120);
    let html = lib.html("incidents/a/index.html");
    assert!(
        html.contains(r#"<span class="fig-value">17 min</span><span class="fig-formula">detected − started</span>"#),
        "{html}"
    );
}

#[test]
fn times_win_over_durations() {
    let lib = one_incident(&format!("{TIMES}durations:\n  ttd: 99m\n"));
    lib.build_clean();
    assert_eq!(lib.json_item("api/incidents.json", "a")["ttd_minutes"], 17);
}

#[test]
fn an_invalid_duration_is_an_error_at_its_value() {
    let lib = one_incident("durations:\n  ttd: soon\n");
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("content/incidents/a.md:5:8: error: invalid duration `soon`");
}

#[test]
fn an_unknown_duration_key_is_an_error() {
    let lib = one_incident("durations:\n  ttx: 5m\n");
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("content/incidents/a.md:5:8: error: unknown duration `ttx`");
}

#[test]
fn timestamps_are_exported_as_rfc3339_in_utc() {
    let lib = one_incident("times:\n  started: 2024-03-12T09:02:00-05:00\n  detected: 2024-03-12 15:19:00+01:00\n  resolved: 2024-03-12T16:17:30Z\n");
    lib.build_clean();
    let inc = lib.json_item("api/incidents.json", "a");
    assert_eq!(
        inc["times"],
        json!({
            "started": "2024-03-12T14:02:00Z",
            "detected": "2024-03-12T14:19:00Z",
            "acknowledged": null,
            "mitigated": null,
            "resolved": "2024-03-12T16:17:30Z",
        })
    );
    assert_eq!(inc["ttd_minutes"], 17);
}

#[test]
fn timestamps_without_an_offset_use_the_configured_timezone() {
    let lib = Lib::new(&[
        ("book.toml", "[output.html]\ntimezone = \"+01:00\"\n"),
        (
            "content/incidents/a.md",
            "---\ntitle: A\ntimes:\n  started: 2024-03-12T15:02:00\n  detected: 2024-03-12 15:19\n---\nBody.\n",
        ),
    ]);
    lib.build_clean();
    let inc = lib.json_item("api/incidents.json", "a");
    assert_eq!(inc["times"]["started"], "2024-03-12T14:02:00Z");
    assert_eq!(inc["times"]["detected"], "2024-03-12T14:19:00Z");
    assert_eq!(inc["date"], "2024-03-12");
}

#[test]
fn an_iana_timezone_applies_its_summer_and_winter_offsets() {
    // Paris is +01:00 in winter and +02:00 in summer; an incident spanning the spring change
    // (02:00 became 03:00 on 2024-03-31) lasted an hour less than its clock times say.
    let lib = Lib::new(&[
        ("book.toml", "[output.html]\ntimezone = \"Europe/Paris\"\n"),
        (
            "content/incidents/winter.md",
            "---\ntitle: Winter\ntimes:\n  started: 2024-01-10 09:00\n  resolved: 2024-01-10T09:30:00Z\n---\nBody.\n",
        ),
        (
            "content/incidents/summer.md",
            "---\ntitle: Summer\ntimes:\n  started: 2024-07-10 09:00\n  resolved: 2024-07-10 10:00\n---\nBody.\n",
        ),
        (
            "content/incidents/spring.md",
            "---\ntitle: Spring\ntimes:\n  started: 2024-03-31 01:30\n  resolved: 2024-03-31 03:30\n---\nBody.\n",
        ),
    ]);
    lib.build_clean();
    let winter = lib.json_item("api/incidents.json", "winter");
    assert_eq!(winter["times"]["started"], "2024-01-10T08:00:00Z");
    assert_eq!(winter["impact_minutes"], 90, "an offset written wins over the zone");
    let summer = lib.json_item("api/incidents.json", "summer");
    assert_eq!(summer["times"]["started"], "2024-07-10T07:00:00Z");
    assert_eq!(summer["impact_minutes"], 60);
    let spring = lib.json_item("api/incidents.json", "spring");
    assert_eq!(spring["times"]["started"], "2024-03-31T00:30:00Z");
    assert_eq!(spring["impact_minutes"], 60);
}

#[test]
fn incidents_json_has_every_field_sorted_by_id() {
    let lib = crate::fixtures::full_library();
    lib.build_clean();
    let all = lib.json("api/incidents.json");
    let ids: Vec<&str> = all.as_array().expect("array").iter().map(|i| i["id"].as_str().unwrap_or("")).collect();
    assert_eq!(ids, ["2023-11-02-dns-cache-outage", "2024-03-12-checkout-ttl", "2024-06-01-retry-storm"]);
    let inc = lib.json_item("api/incidents.json", "2024-03-12-checkout-ttl");
    for key in [
        "id",
        "url",
        "title",
        "date",
        "summary",
        "status",
        "severity",
        "services",
        "teams",
        "tags",
        "factors",
        "times",
        "ttd_minutes",
        "tta_minutes",
        "ttm_minutes",
        "impact_minutes",
        "ttr_minutes",
        "detection",
        "trigger",
        "impact",
        "action_items",
    ] {
        assert!(inc.get(key).is_some(), "`{key}` in {inc:#}");
    }
    assert_eq!(inc["url"], "/incidents/2024-03-12-checkout-ttl/");
    assert_eq!(inc["date"], "2024-03-12");
    assert_eq!(inc["status"], "published");
    assert_eq!(inc["severity"], "SEV1");
    assert_eq!(inc["services"], json!(["checkout", "dns"]));
    assert_eq!(inc["factors"], json!(["config-change", "missing-timeout"]));
    let action = &inc["action_items"][0];
    assert_eq!(action["title"], "Add a timeout to the resolver client");
    assert_eq!(action["status"], "done");
    assert_eq!(action["done"], "2024-03-20");
    let undated = lib.json_item("api/incidents.json", "2023-11-02-dns-cache-outage");
    assert_eq!(undated["date"], "2023-11-02", "date from the file name");
}

#[test]
fn detection_trigger_and_impact_are_exported() {
    let lib = one_incident(
        "detection: {method: alert, note: \"p99 latency page\"}\ntrigger: Lowered the TTL\nimpact:\n  summary: 12% of checkouts failed\n  blast_radius: region\n  reversibility: reversible\n  time_sensitivity: high\n  users_affected: \"12%\"\n",
    );
    lib.build_clean();
    let inc = lib.json_item("api/incidents.json", "a");
    assert_eq!(inc["detection"], json!({"method": "alert", "note": "p99 latency page"}));
    assert_eq!(inc["trigger"], "Lowered the TTL");
    assert_eq!(inc["impact"]["blast_radius"], "region");
    assert_eq!(inc["impact"]["users_affected"], "12%");
    let html = lib.html("incidents/a/index.html");
    assert!(html.contains("<dt>Trigger</dt><dd>Lowered the TTL</dd>"), "{html}");
    assert!(html.contains("12% of checkouts failed"), "{html}");
}

#[test]
fn an_invalid_blast_radius_is_an_error_with_the_valid_values() {
    let lib = one_incident("impact:\n  blast_radius: planet\n");
    let run = lib.check(&[]);
    run.assert_code(1);
    let line = "content/incidents/a.md:5:17: error: invalid blast radius `planet`";
    run.assert_line(line);
    assert_eq!(
        run.help_of(line),
        ["expected one of `none`, `internal`, `single-tenant`, `subset`, `region`, `global`"]
    );
}

#[test]
fn json_files_are_arrays_even_for_an_empty_library() {
    let lib = Lib::new(&[("content/about.md", "# About\n\nNothing yet.\n")]);
    lib.build_clean();
    for f in ["api/incidents.json", "api/notes.json", "api/patterns.json"] {
        assert_eq!(lib.json(f), json!([]), "{f}");
    }
}
