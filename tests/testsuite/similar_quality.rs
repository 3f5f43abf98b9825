//! The quality of similar incidents and recurring problems, measured on the labelled fixture
//! library (tests/fixtures/recurrence: postmortems written in several teams' styles, with known
//! same-problem groups, near misses and unrelated incidents). The figures are printed
//! (`cargo test --test testsuite similar_quality -- --nocapture`, or `benches/quality.sh`) and
//! held above floors, so a change that loses quality fails.

use crate::support::Lib;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A same-problem partner among the first three similar incidents, for this share of the
/// incidents that have a partner.
const TOP3_FLOOR: f64 = 0.95;
/// The share of true same-problem pairs that the recurring problems put together.
const PAIRS_FOUND_FLOOR: f64 = 0.75;
/// The share of the pairs the recurring problems put together that are true.
const PAIRS_TRUE_FLOOR: f64 = 0.50;

/// The labelled problems: each a set of incident ids.
fn problems(fixture: &Path) -> Vec<BTreeSet<String>> {
    let text = std::fs::read_to_string(fixture.join("labels.toml")).expect("labels.toml");
    let labels: toml::Table = text.parse().expect("labels.toml is TOML");
    labels["problem"]
        .as_array()
        .expect("[[problem]]")
        .iter()
        .map(|p| {
            p["incidents"].as_array().expect("incidents").iter().map(|i| i.as_str().expect("id").to_string()).collect()
        })
        .collect()
}

/// Every unordered pair of a set.
fn pairs(ids: &BTreeSet<String>) -> BTreeSet<(String, String)> {
    let v: Vec<&String> = ids.iter().collect();
    let mut out = BTreeSet::new();
    for (k, a) in v.iter().enumerate() {
        for b in &v[k + 1..] {
            out.insert(((*a).clone(), (*b).clone()));
        }
    }
    out
}

/// What the built site says: per incident its similar ids, best first; and the groups.
struct Measured {
    top3: (usize, usize),
    found: (usize, usize),
    made_true: (usize, usize),
}

fn measure(lib: &Lib, truth: &[BTreeSet<String>]) -> Measured {
    let incidents = lib.json("api/incidents.json");
    let similar: BTreeMap<String, Vec<String>> = incidents
        .as_array()
        .expect("array")
        .iter()
        .map(|i| {
            let ids =
                i["similar"].as_array().expect("similar").iter().map(|s| s["id"].as_str().expect("id").to_string());
            (i["id"].as_str().expect("id").to_string(), ids.collect())
        })
        .collect();
    let mut top3 = (0, 0);
    for group in truth {
        for id in group {
            let listed = similar.get(id).unwrap_or_else(|| panic!("no incident `{id}` in the fixture"));
            top3.1 += 1;
            if listed.iter().take(3).any(|s| s != id && group.contains(s)) {
                top3.0 += 1;
            } else {
                println!("  no partner in the top 3 of {id}: {listed:?}");
            }
        }
    }
    let true_pairs: BTreeSet<(String, String)> = truth.iter().flat_map(pairs).collect();
    let recurring = lib.json("api/recurring.json");
    let made: BTreeSet<(String, String)> = recurring
        .as_array()
        .expect("array")
        .iter()
        .flat_map(|g| {
            let ids: BTreeSet<String> = g["incidents"]
                .as_array()
                .expect("incidents")
                .iter()
                .map(|i| i.as_str().expect("id").to_string())
                .collect();
            println!("  group {}: {:?}", g["label"], ids);
            pairs(&ids)
        })
        .collect();
    let hits = made.intersection(&true_pairs).count();
    Measured { top3, found: (hits, true_pairs.len()), made_true: (hits, made.len()) }
}

fn share((k, n): (usize, usize)) -> f64 {
    if n == 0 {
        0.0
    } else {
        k as f64 / n as f64
    }
}

#[test]
fn similar_incidents_and_recurring_problems_hold_their_floors_on_the_labelled_library() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recurrence");
    let lib = Lib::empty();
    lib.copy_tree(&fixture, "");
    lib.build(&[]).assert_code(0);
    let truth = problems(&fixture);
    assert!(truth.len() >= 10, "the fixture's labels hold {} problems", truth.len());
    let m = measure(&lib, &truth);
    let (top3, found, made_true) = (share(m.top3), share(m.found), share(m.made_true));
    println!(
        "similar: a same-problem partner in the top 3 for {}/{} incidents ({:.1}%)",
        m.top3.0,
        m.top3.1,
        top3 * 100.0
    );
    println!("recurring problems: {}/{} true pairs found ({:.1}%)", m.found.0, m.found.1, found * 100.0);
    println!("recurring problems: {}/{} pairs made are true ({:.1}%)", m.made_true.0, m.made_true.1, made_true * 100.0);
    assert!(top3 >= TOP3_FLOOR, "top-3 share {top3:.3} under {TOP3_FLOOR}");
    assert!(found >= PAIRS_FOUND_FLOOR, "share of true pairs found {found:.3} under {PAIRS_FOUND_FLOOR}");
    assert!(made_true >= PAIRS_TRUE_FLOOR, "share of pairs made that are true {made_true:.3} under {PAIRS_TRUE_FLOOR}");
}

/// A copy of a library incident, under another name outside the library, is read as the library
/// reads its incidents (`casebook similar FILE`, docs/similar.md): its title, summary, body and
/// factor texts weighed alike, so the original is listed first with the score an incident has
/// with itself (its heaviest words only take part, so a little under 1), far above the next.
#[test]
fn a_draft_copy_of_a_library_incident_lists_the_original_first_with_a_score_near_one() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recurrence");
    let lib = Lib::empty();
    lib.copy_tree(&fixture, "");
    let mut files: Vec<_> = std::fs::read_dir(fixture.join("content/incidents"))
        .expect("fixture")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    // Every fourth, so both styles (front matter and plain postmortems) are among them.
    for file in files.iter().step_by(4) {
        let id = file.file_stem().and_then(|s| s.to_str()).expect("name").to_string();
        let text = std::fs::read_to_string(file).expect("read");
        lib.write("drafts/copy.md", &text);
        let run = lib.run(&["similar", "drafts/copy.md", ".", "--format", "json", "--top", "2"]);
        run.assert_code(0);
        let list: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
        assert_eq!(list[0]["id"], id, "{}", run.stdout);
        let (first, next) = (list[0]["score"].as_f64().unwrap_or(0.0), list[1]["score"].as_f64().unwrap_or(0.0));
        assert!(first >= 0.85, "{id}: the copy scores {first} with its original");
        assert!(next < first / 2.0, "{id}: {}", run.stdout);
    }
}

/// The words of a text, folded.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Every recurring problem's label reads like what its members are about: each of its words is
/// written by at least half of the members (in some form: `node` in "nodes", "callers" in
/// "caller"),
/// and none is one of the library's most common words, which tell no group from another.
#[test]
fn recurring_problem_labels_are_words_most_members_write_and_none_the_library_uses_everywhere() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recurrence");
    let lib = Lib::empty();
    lib.copy_tree(&fixture, "");
    lib.build(&[]).assert_code(0);
    let dir = fixture.join("content/incidents");
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in std::fs::read_dir(&dir).expect("fixture") {
        let path = e.expect("entry").path();
        let id = path.file_stem().and_then(|s| s.to_str()).expect("name").to_string();
        texts.insert(id, words_of(&std::fs::read_to_string(&path).expect("read")));
    }
    // The 40 words most incidents use.
    let mut df: BTreeMap<&str, usize> = BTreeMap::new();
    for words in texts.values() {
        for w in words.iter().collect::<BTreeSet<_>>() {
            *df.entry(w).or_default() += 1;
        }
    }
    let mut common: Vec<(&str, usize)> = df.into_iter().collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let common: BTreeSet<&str> = common.iter().take(40).map(|c| c.0).collect();
    let recurring: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(lib.path().join("site/api/recurring.json")).expect("json"))
            .expect("json");
    let groups = recurring.as_array().expect("an array of groups");
    assert!(groups.len() >= 10, "{recurring}");
    let mut phrases = 0;
    for g in groups {
        let label = g["label"].as_str().expect("label");
        let members: Vec<&str> =
            g["incidents"].as_array().expect("incidents").iter().filter_map(|i| i.as_str()).collect();
        assert!(!label.is_empty(), "{g}");
        for item in label.split(", ") {
            phrases += usize::from(item.contains(' '));
            for word in words_of(item) {
                assert!(!common.contains(word.as_str()), "`{word}` of `{label}` is one of the most common words");
                // Compared without the last two letters, as a word's forms differ in their ending
                // ("callers", "caller"; "expired", "expires").
                let stem: String = word.chars().take(word.chars().count().saturating_sub(2).max(4)).collect();
                let writing = members.iter().filter(|m| texts[**m].iter().any(|w| w.starts_with(&stem))).count();
                assert!(2 * writing >= members.len(), "`{word}` of `{label}` is written by {writing} of {members:?}");
            }
        }
    }
    // Labels name things in the members' own phrases where they share some.
    assert!(phrases * 2 >= groups.len(), "{phrases} phrases in {} labels", groups.len());
}
