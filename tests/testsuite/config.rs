//! SPEC §2: `book.toml` — unknown keys are errors naming the valid ones, mdBook keys are
//! warnings, and `[fields]` reads a repo's own front-matter keys as casebook fields.

use crate::support::Lib;

fn with_config(toml: &str) -> Lib {
    Lib::new(&[("book.toml", toml), ("content/incidents/2024-01-02-a.md", "# A\n\nBody.\n")])
}

#[test]
fn an_unknown_key_is_an_error_naming_the_valid_keys() {
    let lib = with_config("[book]\ntitle = \"T\"\ntitlee = \"x\"\n");
    let run = lib.build(&[]);
    run.assert_code(1);
    let line = "book.toml:3:1: error: unknown key `titlee` in `[book]`";
    run.assert_line(line);
    assert_eq!(
        run.help_of(line),
        ["valid keys are `title`, `description`, `authors`, `language`, `src`", "did you mean `title`?"]
    );
    assert!(!lib.site().exists(), "a config error builds nothing");
}

#[test]
fn an_unknown_key_in_output_html_names_the_valid_keys() {
    let lib = with_config("[output.html]\nsite-ur = \"/docs/\"\n");
    let run = lib.check(&[]);
    run.assert_code(1);
    let line = "book.toml:2:1: error: unknown key `site-ur` in `[output.html]`";
    run.assert_line(line);
    let help = run.help_of(line);
    assert!(help[0].starts_with("valid keys are `theme`, `site-url`, `base-url`, `pretty-urls`"), "{help:?}");
    assert_eq!(help.last().map(String::as_str), Some("did you mean `site-url`?"));
}

#[test]
fn an_unknown_section_is_an_error_naming_the_valid_sections() {
    let lib = with_config("[book]\ntitle = \"T\"\n\n[sevrity]\nlevels = [\"SEV1\"]\n");
    let run = lib.check(&[]);
    run.assert_code(1);
    let line = "book.toml:4:1: error: unknown section `[sevrity]`";
    run.assert_line(line);
    assert_eq!(
        run.help_of(line),
        ["valid sections are `[book]`, `[build]`, `[output.html]`, `[patterns]`, `[severity]`, `[fields]`"]
    );
}

#[test]
fn an_unknown_field_in_fields_is_an_error() {
    let lib = with_config("[fields]\nfactorz = [\"categories\"]\n");
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("book.toml:2:1: error: unknown key `factorz` in `[fields]`");
}

#[test]
fn an_mdbook_key_is_a_warning_and_the_book_still_builds() {
    let lib = with_config("[book]\ntitle = \"T\"\n\n[output.html]\ndefault-theme = \"ayu\"\n");
    let run = lib.build(&[]);
    run.assert_code(0);
    run.assert_line(
        "book.toml:5:1: warning: `default-theme` in `[output.html]` is an mdBook setting casebook does not use",
    );
    assert!(lib.exists("index.html"));
}

#[test]
fn mdbook_sections_and_renderers_are_warnings() {
    let lib = with_config(
        "[book]\ntitle = \"T\"\nmultilingual = false\n\n[preprocessor.links]\n\n[output.pdf]\n\n[build]\ncreate-missing = false\n",
    );
    let run = lib.build(&[]);
    run.assert_code(0);
    run.assert_line("book.toml:3:1: warning: `multilingual` in `[book]` is an mdBook setting casebook does not use");
    run.assert_line("book.toml:5:1: warning: `preprocessor` is an mdBook setting casebook does not use");
    assert!(
        run.stderr.contains(": warning: `[output.pdf]` is an mdBook setting casebook does not use\n"),
        "{}",
        run.stderr
    );
    run.assert_line(
        "book.toml:10:1: warning: `create-missing` in `[build]` is an mdBook setting casebook does not use",
    );
    assert!(run.at_level("error").is_empty(), "{}", run.stderr);
}

#[test]
fn an_mdbook_renderer_table_is_reported_at_its_header() {
    let lib = with_config("[book]\ntitle = \"T\"\n\n[output.pdf]\n");
    let run = lib.check(&[]);
    run.assert_code(0);
    run.assert_line("book.toml:4:1: warning: `[output.pdf]` is an mdBook setting casebook does not use");
}

#[test]
fn a_wrong_type_in_book_toml_is_an_error() {
    let lib = with_config("[build]\npage-size = \"ten\"\n");
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("book.toml:2:1: error: `page-size` in `[build]` must be a whole number");
}

#[test]
fn a_bad_value_in_book_toml_is_an_error_with_what_was_expected() {
    let lib = with_config("[build]\nbroken-links = \"ignore\"\n");
    let run = lib.check(&[]);
    run.assert_code(1);
    let line = "book.toml:2:1: error: invalid value `ignore` for `broken-links`";
    run.assert_line(line);
    assert_eq!(run.help_of(line), ["expected `error` or `warn`"]);
}

#[test]
fn a_bad_timezone_is_an_error() {
    let lib = with_config("[output.html]\ntimezone = \"Europe/Parus\"\n");
    let run = lib.check(&[]);
    run.assert_code(1);
    let line = "book.toml:2:1: error: invalid value `Europe/Parus` for `timezone`";
    run.assert_line(line);
    assert_eq!(
        run.help_of(line),
        ["expected an IANA zone like `Europe/Copenhagen`, `UTC`, or a fixed offset like `+01:00`"]
    );
}

#[test]
fn invalid_toml_in_book_toml_is_an_error_with_a_location() {
    let lib = with_config("[book]\ntitle = \"T\n");
    let run = lib.build(&[]);
    run.assert_code(1);
    let errors = run.at_level("error");
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(errors[0].starts_with("book.toml:2:"), "{}", errors[0]);
    assert!(errors[0].contains(": error: invalid TOML: "), "{}", errors[0]);
}

#[test]
fn a_config_error_leaves_the_previous_site_alone() {
    let lib = with_config("[book]\ntitle = \"First\"\n");
    lib.build_clean();
    let before = crate::support::snapshot(&lib.site());
    lib.write("book.toml", "[book]\ntitle = \"Second\"\nnope = 1\n");
    lib.build(&[]).assert_code(1);
    assert_eq!(before, crate::support::snapshot(&lib.site()));
}

#[test]
fn title_and_description_appear_on_every_page() {
    let lib = with_config("[book]\ntitle = \"Acme incidents\"\ndescription = \"What broke\"\nlanguage = \"fr\"\n");
    lib.build_clean();
    let html = lib.html("incidents/2024-01-02-a/index.html");
    assert!(html.contains("<title>A · Acme incidents</title>"), "{html}");
    assert!(html.contains(r#"<meta name="description" content="What broke">"#), "{html}");
    assert!(html.contains(r#"<html lang="fr">"#), "{html}");
}

#[test]
fn fields_mapping_reads_a_repos_own_keys() {
    let lib = Lib::new(&[
        (
            "book.toml",
            "[fields]\nfactors = [\"categories\"]\ndate = [\"start_time\"]\ntags = [\"keywords\"]\n\"times.started\" = [\"start_time\"]\n",
        ),
        (
            "content/incidents/db.md",
            "---\ntitle: Database failover\nstart_time: 2024-03-12T14:02:00Z\ncategories: [config-change, missing-timeout]\nkeywords: [postgres]\ntimes:\n  resolved: 2024-03-12T15:02:00Z\n---\nBody.\n",
        ),
    ]);
    lib.build_clean();
    let inc = lib.json_item("api/incidents.json", "db");
    assert_eq!(inc["date"], "2024-03-12");
    assert_eq!(inc["factors"], serde_json::json!(["config-change", "missing-timeout"]));
    assert_eq!(inc["tags"], serde_json::json!(["postgres"]));
    assert_eq!(inc["times"]["started"], "2024-03-12T14:02:00Z");
    assert_eq!(inc["impact_minutes"], 60);
    assert!(lib.exists("patterns/config-change/index.html"));
    assert!(lib.exists("tags/postgres/index.html"));
    let p = lib.json_item("api/patterns.json", "missing-timeout");
    assert_eq!(p["incident_count"], 1);
}

#[test]
fn fields_mapping_without_config_leaves_the_keys_alone() {
    let lib = Lib::new(&[(
        "content/incidents/db.md",
        "---\ntitle: Database failover\nstart_time: 2024-03-12T14:02:00Z\ncategories: [config-change]\n---\nBody.\n",
    )]);
    let run = lib.build(&[]);
    run.assert_code(0);
    run.assert_line("content/incidents/db.md:1:1: warning: incident has no date");
    assert_eq!(lib.json_item("api/incidents.json", "db")["factors"], serde_json::json!([]));
}

#[test]
fn casebooks_own_key_wins_over_a_mapped_key() {
    let lib = Lib::new(&[
        ("book.toml", "[fields]\ndate = [\"start_time\", \"opened\"]\n"),
        ("content/incidents/a.md", "---\ntitle: A\ndate: 2024-05-05\nstart_time: 2024-03-12\n---\nBody.\n"),
        ("content/incidents/b.md", "---\ntitle: B\nopened: 2024-04-04\nstart_time: 2024-03-12\n---\nBody.\n"),
        ("content/incidents/c.md", "---\ntitle: C\nopened: 2024-04-04\n---\nBody.\n"),
    ]);
    lib.build_clean();
    assert_eq!(lib.json_item("api/incidents.json", "a")["date"], "2024-05-05");
    assert_eq!(lib.json_item("api/incidents.json", "b")["date"], "2024-03-12", "mapped keys in the order listed");
    assert_eq!(lib.json_item("api/incidents.json", "c")["date"], "2024-04-04");
}

#[test]
fn fields_mapping_errors_point_at_the_mapped_key() {
    let lib = Lib::new(&[
        ("book.toml", "[fields]\ndate = [\"start_time\"]\n"),
        ("content/incidents/a.md", "---\ntitle: A\nstart_time: yesterday\n---\nBody.\n"),
    ]);
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("content/incidents/a.md:3:13: error: invalid date `yesterday`");
}

#[test]
fn recurring_threshold_comes_from_patterns_recurring() {
    let lib = Lib::new(&[
        ("book.toml", "[patterns]\nrecurring = 3\n"),
        ("content/incidents/2024-01-01-a.md", "---\ntitle: A\nfactors: [x, y]\n---\nBody\n"),
        ("content/incidents/2024-02-01-b.md", "---\ntitle: B\nfactors: [x, y]\n---\nBody\n"),
        ("content/incidents/2024-03-01-c.md", "---\ntitle: C\nfactors: [x]\n---\nBody\n"),
    ]);
    lib.build_clean();
    assert_eq!(lib.json_item("api/patterns.json", "x")["recurring"], true);
    assert_eq!(lib.json_item("api/patterns.json", "y")["recurring"], false);
    let html = lib.html("patterns/x/index.html");
    assert!(html.contains(r#"<span class="badge recurring">recurring</span>"#), "{html}");
    assert!(!lib.html("patterns/y/index.html").contains(r#"<span class="badge recurring">recurring</span>"#));
}

#[test]
fn theme_folder_overrides_embedded_templates_one_by_one() {
    let lib = Lib::new(&[
        ("book.toml", "[output.html]\ntheme = \"mytheme\"\n"),
        ("mytheme/templates/404.html", "<!doctype html><title>gone</title><p>Custom not found</p>\n"),
        ("content/incidents/2024-01-02-a.md", "# A\n\nBody.\n"),
    ]);
    lib.build_clean();
    assert_eq!(lib.read("404.html"), "<!doctype html><title>gone</title><p>Custom not found</p>\n");
    assert!(lib.html("incidents/2024-01-02-a/index.html").contains("<h1>A</h1>"), "other templates stay embedded");
}
