//! SPEC §7, `check` on factors: a factor named in one document only and within two edits of
//! another is a warning naming both spellings and where each is written.

use crate::support::Lib;

fn inc(date: &str, factors: &str) -> String {
    format!("---\ntitle: On {date}\ndate: {date}\nfactors: {factors}\n---\nBody.\n")
}

#[test]
fn a_one_off_spelling_close_to_another_factor_is_a_warning_with_both_places() {
    let lib = Lib::new(&[
        ("content/incidents/a.md", &inc("2024-01-01", "[db-failover]")),
        ("content/incidents/b.md", &inc("2024-02-01", "[DB failover, dns]")),
        ("content/incidents/c.md", &inc("2024-03-01", "[db-failvoer]")),
    ]);
    let run = lib.check(&[]);
    run.assert_code(0);
    let line =
        "content/incidents/c.md:4:11: warning: factor `db-failvoer` is named only here and is close to `db-failover`";
    assert_eq!(run.at_level("warning"), [line], "{}", run.stderr);
    assert_eq!(
        run.help_of(line),
        [
            "`db-failover` is written at content/incidents/a.md:4:11 and in 1 other document",
            "if they are the same factor, write one spelling, or register `db-failover` in factors.yaml with `db-failvoer` among its aliases",
        ]
    );
    let json = lib.check(&["--format", "json"]).json_lines();
    assert_eq!(json[0]["code"], "near-duplicate-factor");
    lib.check(&["--deny-warnings"]).assert_code(1);
}

#[test]
fn registered_spellings_are_not_second_guessed() {
    let lib = Lib::new(&[
        ("content/factors.yaml", "retry-storm:\n  title: Retry storm\nretry-storms:\n  title: Many retry storms\n"),
        ("content/incidents/a.md", &inc("2024-01-01", "[retry-storm]")),
        ("content/incidents/b.md", &inc("2024-02-01", "[retry-storm]")),
        ("content/incidents/c.md", &inc("2024-03-01", "[retry-storms]")),
    ]);
    lib.check(&[]).assert_clean();
}
