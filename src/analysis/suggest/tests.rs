//! Tests of `patterns --suggest`'s proposals and of the counts it prints.

use super::*;
use crate::content::{FrontMatter, RawFactors};

fn case<'a>(id: &'a str, texts: &[&'a str]) -> Case<'a> {
    Case { id, unclassified: texts.to_vec(), texts: texts.to_vec(), written: Vec::new(), body: "" }
}

/// Cases whose bodies are their factor texts, as in a postmortem that says nothing else.
fn cases<'a>(all: &'a [(&'a str, &'a str)]) -> Vec<Case<'a>> {
    all.iter().map(|(id, text)| Case { body: text, ..case(id, &[text]) }).collect()
}

fn ids(p: &[Proposal]) -> Vec<(&str, usize)> {
    p.iter().map(|p| (p.id.as_str(), p.incidents.len())).collect()
}

fn registry(json: &str) -> Factors {
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).expect("json");
    let raw = RawFactors { path: "content/factors.yaml".into(), fields: FrontMatter::new(map, Default::default()) };
    Factors::from_registry(Some(&raw)).0
}

const TEXTS: &[(&str, &str)] = &[
    ("a", "The TLS certificate expired on the ingress and nothing happened until customers called."),
    ("b", "Nobody renewed the certificate, so the cert expired over the weekend while the node was running."),
    ("c", "An expired certificate on the node broke the API, which happened at night."),
    ("d", "The Flux version bump restarted every controller on the node."),
    ("e", "A version upgrade of the ingress controller changed its defaults; the node was running."),
    ("f", "The disk on the node filled up with logs; that happened while running a backup."),
];

#[test]
fn phrases_a_reader_would_write_are_proposed_and_narrative_words_are_not() {
    let mut all = cases(TEXTS);
    // Other documents of the library talk of nodes and running things too.
    let notes = ["The node was running fine.", "Running a node happened to be easy.", "node"];
    all[5].body = "The disk on the node filled up with logs. The node kept running.";
    let p = suggest(&all, &notes, &Factors::default());
    let got: Vec<(&str, &str, usize)> =
        p.iter().map(|p| (p.id.as_str(), p.title.as_str(), p.incidents.len())).collect();
    assert_eq!(
        got,
        [("certificate-expired", "Certificate expired", 3), ("version-upgrade", "Version upgrade", 2)],
        "{p:#?}"
    );
    // Texts saying the same thing in other words are one proposal with several phrases.
    // The word the phrases end with joins them, after the phrases a reader recognises.
    assert_eq!(p[0].matches, ["certificate expired", "expired certificate", "cert expired", "expired"]);
    assert_eq!(p[1].matches, ["version upgrade", "version bump", "upgrade", "bump"]);
    assert_eq!(p[0].incidents, ["a", "b", "c"]);
    for word in ["node", "happened", "running", "the"] {
        assert!(p.iter().all(|p| p.id != word), "{word} proposed: {p:#?}");
    }
}

#[test]
fn counts_are_those_of_the_draft_added_to_the_registry() {
    let mut all = cases(TEXTS);
    // A short label that is a proposal's id, a text the registry already matches and a
    // front-matter factor spelled as the id: each is counted as the committed draft counts it.
    all.push(Case { id: "g", texts: vec!["Version bump"], ..Case::default() });
    all.push(Case { id: "h", texts: vec!["A config push, then the certificate expired too."], ..Case::default() });
    all.push(Case { id: "i", written: vec!["Certificate Expired"], ..Case::default() });
    all.push(Case { id: "j", written: vec!["cert-expiry"], ..Case::default() });
    let reg =
        registry(r#"{"config-change": {"match": ["config push"]}, "cert-expiry": {"aliases": ["expired cert"]}}"#);
    let p = suggest(&all, &[], &reg);
    assert_eq!(ids(&p), [("certificate-expired", 5), ("version-upgrade", 3)], "{p:#?}");
    assert_eq!(p[0].incidents, ["a", "b", "c", "h", "i"]);
    assert_eq!(p[1].incidents, ["d", "e", "g"]);
}

#[test]
fn an_id_the_registry_holds_is_never_proposed() {
    let all = cases(TEXTS);
    let reg = registry(r#"{"certs": {"aliases": ["Certificate expired"]}}"#);
    let p = suggest(&all, &[], &reg);
    assert!(p.iter().all(|p| p.id != "certificate-expired"), "{p:#?}");
    assert!(p.iter().any(|p| p.id == "version-upgrade"), "{p:#?}");
}

#[test]
fn negated_phrases_that_do_not_recur_meet_under_what_is_missing() {
    let all = cases(&[
        ("a", "The widget query had no statement timeout."),
        ("b", "The inventory client had no request timeout at all."),
        ("c", "The migration ran without a lock timeout, so it waited."),
        ("d", "The backfill had no rate limit of its own."),
        ("e", "Identity has no rate limit, so it took all of the load."),
        ("f", "The import job ran with no memory limit."),
        ("g", "The order workers had no memory limit either."),
    ]);
    let p = suggest(&all, &[], &Factors::default());
    let timeout = p.iter().find(|p| p.id == "no-timeout").unwrap_or_else(|| panic!("{p:#?}"));
    assert_eq!(timeout.incidents, ["a", "b", "c"]);
    assert_eq!(timeout.title, "No timeout");
    assert_eq!(timeout.matches, ["no statement timeout", "no request timeout", "without a lock timeout"]);
    // A negated phrase that recurs as written is a proposal of its own, not "no limit".
    let named: Vec<(&str, &[String])> = p.iter().map(|p| (p.id.as_str(), &p.incidents[..])).collect();
    assert!(named.contains(&("no-rate-limit", &["d".to_string(), "e".to_string()][..])), "{p:#?}");
    assert!(named.contains(&("no-memory-limit", &["f".to_string(), "g".to_string()][..])), "{p:#?}");
    assert!(p.iter().all(|p| p.id != "no-limit"), "{p:#?}");
}

#[test]
fn the_same_incidents_told_another_way_are_one_proposal() {
    let mut all = cases(&[
        ("c", "The widget query had no statement timeout."),
        ("d", "The inventory client had no request timeout at all."),
        ("e", "The migration ran without a lock timeout. Its statement timeout was an hour."),
    ]);
    // Two factor texts each: the same incidents, in texts of their own.
    all.push(case("a", &["The node was under memory pressure.", "Nothing set kube reserved memory."]));
    all.push(case("b", &["Memory pressure on the node again.", "The pool had no kube reserved setting."]));
    let p = suggest(&all, &[], &Factors::default());
    // "kube reserved" names the incidents "memory pressure" already names.
    let memory: Vec<&Proposal> = p.iter().filter(|p| p.incidents == ["a", "b"]).collect();
    assert_eq!(memory.len(), 1, "{p:#?}");
    // A phrase that ends with what "no timeout" says was missing joins it.
    let timeout = p.iter().find(|p| p.id == "no-timeout").unwrap_or_else(|| panic!("{p:#?}"));
    assert!(timeout.matches.iter().any(|m| m == "statement timeout"), "{p:#?}");
    assert!(p.iter().all(|p| p.id != "statement-timeout"), "{p:#?}");
}

#[test]
fn a_story_word_may_sit_inside_a_phrase_but_a_phrase_never_crosses_a_sentence() {
    let all = cases(&[
        ("a", "The zone was a single point of failure. Nobody knew."),
        ("b", "One SMS provider was a single point of failure for logins."),
        ("c", "The disk filled up. Failure followed."),
    ]);
    let p = suggest(&all, &[], &Factors::default());
    assert_eq!(p[0].title, "Single point of failure", "{p:#?}");
    assert_eq!(p[0].incidents, ["a", "b"]);
    let mut keys = Vec::new();
    terms::Splitter::new().terms("the cert expired. upgrade then", |k, _, _| keys.push(k.to_string()));
    assert!(keys.contains(&"certif expir".to_string()), "{keys:?}");
    assert!(!keys.iter().any(|k| k.contains("expir upgrad")), "{keys:?}");
}

#[test]
fn a_word_every_document_uses_is_not_distinctive() {
    let texts: Vec<(String, String)> =
        (0..6).map(|n| (format!("i{n}"), format!("The scheduler on host {n} misbehaved badly."))).collect();
    let pairs: Vec<(&str, &str)> = texts.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let all = cases(&pairs);
    // Written in the cause texts only, the words are proposed; written in every note too,
    // they tell nothing.
    assert_eq!(suggest(&all, &[], &Factors::default())[0].incidents.len(), 6);
    let notes: Vec<String> = (0..40).map(|n| format!("note {n}: the scheduler on host {n} misbehaved badly")).collect();
    let notes: Vec<&str> = notes.iter().map(String::as_str).collect();
    assert_eq!(ids(&suggest(&all, &notes, &Factors::default())), []);
}

#[test]
fn at_most_twenty_proposals_most_incidents_first_and_deterministic() {
    let letter = |n: usize| char::from(b'a' + (n % 26) as u8);
    let texts: Vec<(String, String)> = (0..30)
        .flat_map(|n| {
            let phrase = format!("zeta{}{} omega{}", letter(n), letter(n / 26), letter(n));
            (0..2 + n % 3).map(move |k| (format!("i{n}-{k}"), format!("The {phrase} misbehaved.")))
        })
        .collect();
    let pairs: Vec<(&str, &str)> = texts.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let all = cases(&pairs);
    let p = suggest(&all, &[], &Factors::default());
    assert_eq!(p.len(), MAX_PROPOSALS, "{p:#?}");
    assert!(p.windows(2).all(|w| w[0].incidents.len() >= w[1].incidents.len()));
    assert!(p.iter().all(|p| p.incidents.len() >= 2));
    assert_eq!(suggest(&all, &[], &Factors::default()), p);
    assert!(suggest(&[case("a", &["only once"])], &[], &Factors::default()).is_empty());
}

#[test]
fn words_written_in_capitals_stay_so() {
    let all = cases(&[("a", "Slow DNS resolution."), ("b", "The dns resolution was slow.")]);
    let p = suggest(&all, &[], &Factors::default());
    assert_eq!(p[0].title, "DNS resolution", "{p:#?}");
    assert_eq!(p[0].id, "dns-resolution");
}

#[test]
fn the_draft_is_valid_yaml_with_a_comment_per_entry() {
    let p = vec![Proposal {
        id: "null".into(),
        title: "Null \"pointer\"".into(),
        matches: vec!["null: pointer".into()],
        incidents: vec!["a".into(), "b".into()],
    }];
    let yaml = to_yaml(&p, 4);
    assert!(
        yaml.contains(
            "\n# 2 incidents: a, b\n\"null\":\n  title: \"Null \\\"pointer\\\"\"\n  match: [\"null: pointer\"]\n"
        ),
        "{yaml}"
    );
    let doc = format!("---\n{yaml}---\n");
    let split = crate::content::split("factors.yaml", &doc).expect("valid YAML");
    assert_eq!(split.front.fields["null"]["match"][0], "null: pointer");
}
