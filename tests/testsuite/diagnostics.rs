//! SPEC §7: every error and warning class, each at its exact `path:line:column`, the JSON
//! format, and the exit codes.

use crate::support::Lib;

const LEVELS: &str = "[severity]\nlevels = [\"SEV1\", \"SEV2\", \"SEV3\", \"SEV4\"]\n";

/// A library with one incident file holding `text`, checked.
fn check_one(path: &str, text: &str) -> crate::support::Run {
    let lib = Lib::new(&[(path, text)]);
    lib.check(&[])
}

// ---- errors -------------------------------------------------------------------------------

#[test]
fn a_document_that_is_not_utf8_is_an_error_at_the_first_bad_byte() {
    let lib = Lib::empty();
    lib.write_bytes("content/notes/latin1.md", b"---\ntitle: Caf\xe9\n---\nBody\n");
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("content/notes/latin1.md:2:11: error: file is not UTF-8 text");
}

#[test]
fn unclosed_front_matter_is_an_error_at_the_start_of_the_file() {
    let run = check_one("content/incidents/a.md", "---\ntitle: A\ndate: 2024-03-12\n\nBody without a closing line\n");
    run.assert_code(1);
    run.assert_line("content/incidents/a.md:1:1: error: front matter is not closed");
    assert_eq!(
        run.help_of("content/incidents/a.md:1:1: error: front matter is not closed"),
        ["add a line `---` after the last front-matter key"]
    );
}

#[test]
fn unclosed_toml_front_matter_is_an_error() {
    let run = check_one("content/notes/a.md", "+++\ntitle = \"A\"\n\nBody\n");
    run.assert_code(1);
    run.assert_line("content/notes/a.md:1:1: error: front matter is not closed");
}

#[test]
fn invalid_yaml_is_reported_at_its_line_in_the_file() {
    let run = check_one("content/incidents/a.md", "---\ntitle: A\ndate: 2024-03-12\nsummary: a: b\n---\nBody\n");
    run.assert_code(1);
    run.assert_line(
        "content/incidents/a.md:4:11: error: invalid YAML front matter: mapping values are not allowed in this context",
    );
}

#[test]
fn invalid_toml_front_matter_is_reported_at_its_line_in_the_file() {
    let run = check_one("content/notes/a.md", "+++\ntitle = \"A\"\ndate = \n+++\nBody\n");
    run.assert_code(1);
    let errors = run.at_level("error");
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(errors[0].starts_with("content/notes/a.md:3:"), "{}", errors[0]);
    assert!(errors[0].contains(": error: invalid TOML front matter: "), "{}", errors[0]);
}

#[test]
fn a_field_of_the_wrong_type_is_an_error_at_its_value() {
    let run = check_one("content/incidents/a.md", "---\ntitle: A\ndate: 2024-03-12\nservices: {a: 1}\n---\nBody\n");
    run.assert_code(1);
    run.assert_line("content/incidents/a.md:4:11: error: `services` must be a list, not a mapping");
}

#[test]
fn a_title_that_is_a_list_is_a_wrong_type_error() {
    let run = check_one("content/notes/a.md", "---\ntitle: [a, b]\n---\nBody\n");
    run.assert_code(1);
    run.assert_line("content/notes/a.md:2:8: error: `title` must be text, not a list");
}

#[test]
fn an_invalid_date_is_an_error_at_its_value() {
    let run = check_one("content/incidents/a.md", "---\ntitle: A\ndate: 2024-13-45\n---\nBody\n");
    run.assert_code(1);
    run.assert_line("content/incidents/a.md:3:7: error: invalid date `2024-13-45`");
    assert_eq!(
        run.help_of("content/incidents/a.md:3:7: error: invalid date `2024-13-45`"),
        ["expected a date like `2024-03-12` or a timestamp like `2024-03-12T14:02:00Z`"]
    );
}

#[test]
fn an_invalid_time_is_an_error_at_its_value() {
    let run = check_one(
        "content/incidents/a.md",
        "---\ntitle: A\ndate: 2024-03-12\ntimes:\n  started: 2024-03-12T25:61:00Z\n---\nBody\n",
    );
    run.assert_code(1);
    run.assert_line("content/incidents/a.md:5:12: error: invalid time `2024-03-12T25:61:00Z`");
}

#[test]
fn times_out_of_order_are_reported_at_the_later_time() {
    let run = check_one(
        "content/incidents/a.md",
        "---\ntitle: A\ndate: 2024-03-12\ntimes:\n  started: 2024-03-12T14:00:00Z\n  detected: 2024-03-12T13:00:00Z\n---\nBody\n",
    );
    run.assert_code(1);
    run.assert_line(
        "content/incidents/a.md:6:13: error: `detected` (2024-03-12T13:00:00Z) is before `started` (2024-03-12T14:00:00Z)",
    );
}

#[test]
fn resolved_before_mitigated_is_out_of_order() {
    let run = check_one(
        "content/incidents/a.md",
        "---\ntitle: A\ntimes:\n  started: 2024-03-12T14:00:00Z\n  mitigated: 2024-03-12T16:00:00Z\n  resolved: 2024-03-12T15:00:00Z\n---\nBody\n",
    );
    run.assert_code(1);
    run.assert_line(
        "content/incidents/a.md:6:13: error: `resolved` (2024-03-12T15:00:00Z) is before `mitigated` (2024-03-12T16:00:00Z)",
    );
}

#[test]
fn a_duplicate_id_is_reported_at_the_later_path_naming_the_first() {
    let lib = Lib::new(&[
        ("content/incidents/x.md", "---\ntitle: X\ndate: 2024-01-01\n---\nBody\n"),
        ("content/notes/x.md", "---\ntitle: X note\n---\nBody\n"),
    ]);
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("content/notes/x.md:1:1: error: duplicate id `x`, first used by `content/incidents/x.md`");
    assert_eq!(run.at_level("error").len(), 1, "{}", run.stderr);
}

#[test]
fn the_same_name_with_two_extensions_is_a_duplicate_id() {
    let lib = Lib::new(&[("content/notes/x.md", "# X\n\nBody\n"), ("content/notes/x.txt", "X\n\nBody\n")]);
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("content/notes/x.txt:1:1: error: duplicate id `x`, first used by `content/notes/x.md`");
}

#[test]
fn the_same_name_in_two_folders_is_a_duplicate_id() {
    let lib = Lib::new(&[
        ("content/incidents/2023/outage.md", "---\ntitle: A\ndate: 2023-01-01\n---\nBody\n"),
        ("content/incidents/2024/outage.md", "---\ntitle: B\ndate: 2024-01-01\n---\nBody\n"),
    ]);
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line(
        "content/incidents/2024/outage.md:1:1: error: duplicate id `outage`, first used by `content/incidents/2023/outage.md`",
    );
}

#[test]
fn a_slug_colliding_with_a_file_name_is_a_duplicate_id() {
    let lib = Lib::new(&[
        ("content/notes/a.md", "---\ntitle: A\n---\nBody\n"),
        ("content/notes/b.md", "---\ntitle: B\nslug: a\n---\nBody\n"),
    ]);
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("content/notes/b.md:1:1: error: duplicate id `a`, first used by `content/notes/a.md`");
}

#[test]
fn a_file_name_that_gives_an_empty_id_is_an_error() {
    let run = check_one("content/notes/!!!.md", "# Title\n\nBody\n");
    run.assert_code(1);
    run.assert_line("content/notes/!!!.md:1:1: error: file name `!!!` gives an empty id");
}

#[test]
fn a_slug_that_gives_an_empty_id_is_an_error_at_the_slug() {
    let run = check_one("content/notes/a.md", "---\ntitle: A\nslug: \"***\"\n---\nBody\n");
    run.assert_code(1);
    run.assert_line("content/notes/a.md:3:7: error: slug `***` gives an empty id");
}

#[test]
fn a_slug_with_a_slash_is_an_error_at_the_slug() {
    let run = check_one("content/notes/a.md", "---\ntitle: A\nslug: a/b\n---\nBody\n");
    run.assert_code(1);
    run.assert_line("content/notes/a.md:3:7: error: slug `a/b` may not hold `/` or `..`");
}

#[test]
fn a_slug_with_dot_dot_is_an_error_at_the_slug() {
    let run = check_one("content/notes/a.md", "---\ntitle: A\nslug: ..\n---\nBody\n");
    run.assert_code(1);
    run.assert_line("content/notes/a.md:3:7: error: slug `..` may not hold `/` or `..`");
}

#[test]
fn a_severity_outside_the_configured_levels_is_an_error() {
    let lib = Lib::new(&[
        ("book.toml", LEVELS),
        ("content/incidents/a.md", "---\ntitle: A\ndate: 2024-03-12\nseverity: SEV5\n---\nBody\n"),
    ]);
    let run = lib.check(&[]);
    run.assert_code(1);
    let line = "content/incidents/a.md:4:11: error: unknown severity `SEV5`";
    run.assert_line(line);
    assert_eq!(run.help_of(line), ["expected one of `SEV1`, `SEV2`, `SEV3`, `SEV4` (book.toml [severity])"]);
}

#[test]
fn without_severity_levels_any_severity_is_accepted() {
    let run = check_one("content/incidents/a.md", "---\ntitle: A\ndate: 2024-03-12\nseverity: P0\n---\nBody\n");
    run.assert_clean();
}

#[test]
fn severity_matches_configured_levels_ignoring_case() {
    let lib = Lib::new(&[
        ("book.toml", LEVELS),
        ("content/incidents/a.md", "---\ntitle: A\ndate: 2024-03-12\nseverity: sev2\n---\nBody\n"),
    ]);
    lib.build_clean();
    assert_eq!(lib.json_item("api/incidents.json", "a")["severity"], "SEV2");
}

#[test]
fn broken_links_are_errors_at_their_column() {
    let run = check_one(
        "content/incidents/a.md",
        "---\ntitle: A\ndate: 2024-03-12\n---\nSee [x](../notes/missing.md) and [[missing]].\n",
    );
    run.assert_code(1);
    run.assert_line("content/incidents/a.md:5:5: error: broken link `../notes/missing.md`");
    run.assert_line("content/incidents/a.md:5:34: error: broken link [[missing]]");
}

#[test]
fn an_invalid_enumerated_value_is_an_error_with_the_valid_ones() {
    let run = check_one("content/incidents/a.md", "---\ntitle: A\ndate: 2024-03-12\nstatus: publised\n---\nBody\n");
    run.assert_code(1);
    let line = "content/incidents/a.md:4:9: error: invalid status `publised`";
    run.assert_line(line);
    assert_eq!(run.help_of(line), ["did you mean `published`? expected one of `draft`, `in-review`, `published`"]);
}

#[test]
fn a_file_over_ten_megabytes_is_refused() {
    let lib = Lib::new(&[("content/notes/ok.md", "# Fine\n\nBody\n")]);
    let mut big = b"# Big\n\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b'a');
    lib.write_bytes("content/notes/big.md", &big);
    let run = lib.build(&[]);
    run.assert_code(1);
    run.assert_line("content/notes/big.md:1:1: error: file is 10.0 MB, over the 10 MB limit");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(!lib.site().exists(), "nothing is written when a document is refused");
}

#[test]
fn every_problem_is_reported_at_once() {
    let lib = Lib::new(&[
        ("book.toml", LEVELS),
        ("content/incidents/a.md", "---\ntitle: A\ndate: 2024-13-45\nseverity: SEV9\n---\nBody\n"),
        ("content/incidents/b.md", "---\ntitle: B\n"),
        ("content/notes/c.md", "---\ntitle: C\nslug: c/d\n---\n"),
    ]);
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("content/incidents/a.md:3:7: error: invalid date `2024-13-45`");
    run.assert_line("content/incidents/a.md:4:11: error: unknown severity `SEV9`");
    run.assert_line("content/incidents/b.md:1:1: error: front matter is not closed");
    run.assert_line("content/notes/c.md:3:7: error: slug `c/d` may not hold `/` or `..`");
    let last = run.stderr.lines().last().unwrap_or("");
    assert!(last.starts_with("checked ") && last.contains("(4 errors, "), "{last}");
}

#[test]
fn problems_in_a_rejected_document_are_all_reported() {
    // A document with a bad date also has a broken link: both are reported in one run, so
    // the author does not discover the second only after fixing the first.
    let run = check_one("content/incidents/a.md", "---\ntitle: A\ndate: 2024-13-45\n---\nSee [[nowhere]].\n");
    run.assert_code(1);
    run.assert_line("content/incidents/a.md:3:7: error: invalid date `2024-13-45`");
    run.assert_line("content/incidents/a.md:5:5: error: broken link [[nowhere]]");
}

#[test]
fn diagnostics_are_sorted_by_path_and_line() {
    let lib = Lib::new(&[
        ("content/notes/b.md", "---\ntitle: B\nslug: x/y\n---\nBody\n"),
        ("content/notes/a.md", "---\ntitle: A\nkind: papr\nurl: [x]\n---\nBody\n"),
    ]);
    let run = lib.check(&[]);
    let heads = run.headlines();
    let mut sorted = heads.clone();
    sorted.sort_by_key(|h| {
        let mut p = h.splitn(4, ':');
        let path = p.next().unwrap_or("").to_string();
        let line: usize = p.next().and_then(|l| l.parse().ok()).unwrap_or(0);
        let col: usize = p.next().and_then(|l| l.parse().ok()).unwrap_or(0);
        (path, line, col)
    });
    assert_eq!(heads, sorted);
    assert_eq!(heads.len(), 3, "{}", run.stderr);
}

#[test]
fn columns_are_counted_in_characters() {
    let lib = Lib::new(&[
        ("book.toml", LEVELS),
        ("content/incidents/a.md", "---\ntitle: Ça a cassé\nservices: [café, thé]\nseverity: SEV9\n---\nBody\n"),
    ]);
    let run = lib.check(&[]);
    run.assert_line("content/incidents/a.md:4:11: error: unknown severity `SEV9`");
    let lib =
        Lib::new(&[("content/incidents/b.md", "---\ntitle: B\ndate: 2024-03-12\n---\nÉté – voir [[manquant]].\n")]);
    let run = lib.check(&[]);
    run.assert_line("content/incidents/b.md:5:12: error: broken link [[manquant]]");
}

#[test]
fn a_byte_order_mark_does_not_shift_lines_or_columns() {
    let lib = Lib::new(&[
        ("book.toml", LEVELS),
        ("content/incidents/a.md", "\u{feff}---\ntitle: A\ndate: 2024-03-12\nseverity: SEV9\n---\nBody\n"),
    ]);
    let run = lib.check(&[]);
    run.assert_line("content/incidents/a.md:4:11: error: unknown severity `SEV9`");
}

#[test]
fn crlf_line_endings_keep_lines_and_columns() {
    let lib = Lib::new(&[
        ("book.toml", LEVELS),
        ("content/incidents/a.md", "---\r\ntitle: A\r\ndate: 2024-03-12\r\nseverity: SEV9\r\n---\r\nBody\r\n"),
    ]);
    let run = lib.check(&[]);
    run.assert_line("content/incidents/a.md:4:11: error: unknown severity `SEV9`");
}

// ---- warnings -----------------------------------------------------------------------------

#[test]
fn an_undated_incident_is_a_warning() {
    let run = check_one("content/incidents/outage.md", "---\ntitle: Outage\n---\nBody\n");
    run.assert_code(0);
    let line = "content/incidents/outage.md:1:1: warning: incident has no date";
    run.assert_line(line);
    assert_eq!(run.help_of(line), ["add `date: YYYY-MM-DD`, `times.started`, or start the file name with the date"]);
}

#[test]
fn a_dated_incident_gives_no_undated_warning() {
    for (name, text) in [
        ("content/incidents/2024-03-12-outage.md", "# Outage\n\nBody\n"),
        ("content/incidents/outage.md", "---\ntitle: Outage\ntimes:\n  started: 2024-03-12T14:00:00Z\n---\nBody\n"),
        ("content/incidents/outage.md", "---\ntitle: Outage\ndate: 2024-03-12\n---\nBody\n"),
    ] {
        check_one(name, text).assert_clean();
    }
}

#[test]
fn an_empty_document_is_a_warning() {
    let run = check_one("content/notes/empty.md", "");
    run.assert_code(0);
    run.assert_line("content/notes/empty.md:1:1: warning: empty document");
}

#[test]
fn a_misspelt_key_is_a_warning_with_a_did_you_mean() {
    let run = check_one("content/incidents/a.md", "---\ntitle: A\ndate: 2024-03-12\nseverty: SEV1\n---\nBody\n");
    run.assert_code(0);
    let warnings = run.at_level("warning");
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].starts_with("content/incidents/a.md:4:"), "{}", warnings[0]);
    assert!(warnings[0].ends_with(": warning: unknown key `severty`"), "{}", warnings[0]);
    assert_eq!(run.help_of(warnings[0]), ["did you mean `severity`? unknown keys are kept as `extra`"]);
}

#[test]
fn a_misspelt_key_is_reported_at_the_key() {
    let run = check_one("content/incidents/a.md", "---\ntitle: A\ndate: 2024-03-12\nseverty: SEV1\n---\nBody\n");
    run.assert_line("content/incidents/a.md:4:1: warning: unknown key `severty`");
}

#[test]
fn unknown_keys_far_from_known_ones_are_kept_silently() {
    let run =
        check_one("content/incidents/a.md", "---\ntitle: A\ndate: 2024-03-12\nlayout: post\nid: 5246\n---\nBody\n");
    run.assert_clean();
}

#[test]
fn an_unknown_type_is_a_warning_and_the_folder_decides() {
    let lib = Lib::new(&[("content/notes/a.md", "---\ntitle: A\ntype: post\n---\nBody\n")]);
    let run = lib.build(&[]);
    run.assert_code(0);
    let line = "content/notes/a.md:3:7: warning: unknown type `post`";
    run.assert_line(line);
    assert_eq!(run.help_of(line), ["expected `incident`, `note` or `page`; the folder decides"]);
    assert!(lib.exists("notes/a/index.html"));
}

#[test]
fn a_changed_slug_is_a_warning() {
    let lib = Lib::new(&[("content/notes/a.md", "---\ntitle: A\nslug: My Slug\n---\nBody\n")]);
    let run = lib.build(&[]);
    run.assert_code(0);
    let line = "content/notes/a.md:3:7: warning: slug `My Slug` becomes `my-slug`";
    run.assert_line(line);
    assert_eq!(run.help_of(line), ["write `slug: my-slug` to keep the URL you see"]);
    assert!(lib.exists("notes/my-slug/index.html"));
}

#[test]
fn a_slug_that_changes_only_in_case_is_silent() {
    let lib = Lib::new(&[("content/notes/a.md", "---\ntitle: A\nslug: My-Slug\n---\nBody\n")]);
    lib.build_clean();
    assert!(lib.exists("notes/my-slug/index.html"));
}

#[test]
fn a_pattern_text_naming_no_factor_is_a_warning() {
    let lib = Lib::new(&[
        ("content/incidents/2024-01-01-a.md", "---\ntitle: A\nfactors: [retry-storm]\n---\nBody\n"),
        ("content/patterns/retry-storms.md", "Text.\n"),
    ]);
    let run = lib.check(&[]);
    run.assert_code(0);
    run.assert_line("content/patterns/retry-storms.md:1:1: warning: `retry-storms` names no known factor");
}

// ---- output formats and exit codes --------------------------------------------------------

#[test]
fn check_writes_nothing() {
    let lib = crate::fixtures::full_library();
    let before = lib.all_files();
    lib.check(&[]).assert_clean();
    assert_eq!(before, lib.all_files());
}

#[test]
fn check_format_json_prints_one_object_per_line_on_stdout() {
    let lib = Lib::new(&[
        ("book.toml", LEVELS),
        ("content/incidents/a.md", "---\ntitle: A\ndate: 2024-03-12\nseverity: SEV5\n---\nBody\n"),
        ("content/incidents/b.md", "---\ntitle: B\n---\nBody\n"),
    ]);
    let run = lib.check(&["--format", "json"]);
    run.assert_code(1);
    assert!(run.headlines().is_empty(), "no human diagnostics on stderr: {}", run.stderr);
    let items = run.json_lines();
    assert_eq!(items.len(), 2, "{}", run.stdout);
    let sev = &items[0];
    for key in ["path", "line", "column", "level", "code", "message", "help"] {
        assert!(sev.get(key).is_some(), "`{key}` in {sev}");
    }
    assert_eq!(sev["path"], "content/incidents/a.md");
    assert_eq!(sev["line"], 4);
    assert_eq!(sev["column"], 11);
    assert_eq!(sev["level"], "error");
    assert_eq!(sev["code"], "unknown-severity");
    assert_eq!(sev["message"], "unknown severity `SEV5`");
    assert!(sev["help"].to_string().contains("`SEV1`, `SEV2`, `SEV3`, `SEV4`"), "{sev}");
    let undated = &items[1];
    assert_eq!(undated["path"], "content/incidents/b.md");
    assert_eq!(undated["level"], "warning");
    assert_eq!(undated["code"], "undated-incident");
    assert_eq!((undated["line"].as_u64(), undated["column"].as_u64()), (Some(1), Some(1)));
}

#[test]
fn json_codes_are_stable_kebab_case() {
    let lib = Lib::new(&[
        ("content/incidents/a.md", "---\ntitle: A\ndate: 2024-13-45\n---\nBody\n"),
        ("content/incidents/2024-01-01-ok.md", "---\ntitle: OK\n---\nSee [[nowhere]].\n"),
        ("content/notes/b.md", "---\ntitle: B\nslug: x/y\n---\n"),
        ("content/notes/c.md", "---\ntitle: C\n"),
    ]);
    let run = lib.check(&["--format", "json"]);
    let codes: Vec<String> = run.json_lines().iter().map(|v| v["code"].as_str().unwrap_or("").to_string()).collect();
    for code in ["invalid-date", "broken-link", "invalid-slug", "unclosed-front-matter"] {
        assert!(codes.iter().any(|c| c == code), "{code} in {codes:?}");
    }
    for c in &codes {
        assert!(c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'), "kebab-case: {c}");
    }
}

#[test]
fn exit_code_is_zero_with_warnings_only() {
    let lib = Lib::new(&[("content/incidents/outage.md", "---\ntitle: Outage\n---\nBody\n")]);
    lib.check(&[]).assert_code(0);
    lib.build(&[]).assert_code(0);
    assert!(lib.exists("incidents/outage/index.html"));
}

#[test]
fn deny_warnings_turns_a_warning_into_exit_one() {
    let lib = Lib::new(&[("content/incidents/outage.md", "---\ntitle: Outage\n---\nBody\n")]);
    let run = lib.check(&["--deny-warnings"]);
    run.assert_code(1);
    run.assert_line("content/incidents/outage.md:1:1: warning: incident has no date");
}

#[test]
fn deny_warnings_with_a_clean_library_exits_zero() {
    let lib = crate::fixtures::full_library();
    lib.check(&["--deny-warnings"]).assert_code(0);
}

#[test]
fn exit_code_is_one_on_errors() {
    let lib = Lib::new(&[("content/notes/a.md", "---\ntitle: A\nslug: a/b\n---\nBody\n")]);
    lib.check(&[]).assert_code(1);
    lib.build(&[]).assert_code(1);
}

#[test]
fn an_unknown_flag_is_a_usage_error_with_exit_two() {
    let lib = crate::fixtures::full_library();
    let run = lib.run(&["build", ".", "--bogus"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--bogus"), "{}", run.stderr);
    let run = lib.run(&["check", ".", "--format", "xml"]);
    run.assert_code(2);
    let run = lib.run(&["frobnicate"]);
    run.assert_code(2);
    assert!(!lib.site().exists(), "a usage error builds nothing");
}

#[test]
fn a_missing_source_folder_is_an_error_with_exit_one() {
    let lib = Lib::new(&[("book.toml", "[book]\ntitle = \"T\"\n")]);
    let run = lib.build(&[]);
    run.assert_code(1);
    assert!(run.stderr.contains("source folder"), "{}", run.stderr);
    assert!(run.stderr.contains("not found"), "{}", run.stderr);
}

#[test]
fn human_diagnostics_show_help_lines_without_colour_when_not_a_terminal() {
    let lib = Lib::new(&[
        ("book.toml", LEVELS),
        ("content/incidents/a.md", "---\ntitle: A\ndate: 2024-03-12\nseverity: SEV5\n---\nBody\n"),
    ]);
    let run = lib.check(&[]);
    assert!(!run.stderr.contains('\x1b'), "no colour: {:?}", run.stderr);
    assert!(run.stderr.contains(
        "content/incidents/a.md:4:11: error: unknown severity `SEV5`\n  = help: expected one of `SEV1`, `SEV2`, `SEV3`, `SEV4` (book.toml [severity])\n"
    ));
}

#[test]
fn quiet_keeps_problems_and_drops_the_summary() {
    let lib = Lib::new(&[("content/incidents/outage.md", "---\ntitle: Outage\n---\nBody\n")]);
    let run = lib.build(&["--quiet"]);
    run.assert_code(0);
    run.assert_line("content/incidents/outage.md:1:1: warning: incident has no date");
    assert!(!run.stderr.contains("built "), "{}", run.stderr);
}
