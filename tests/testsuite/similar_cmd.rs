//! `casebook similar FILE|ID [DIR]`, `casebook new incident` hints, and the similar lists and
//! recurring problems on the built site, on the labelled fixture library.

use crate::support::Lib;
use std::path::Path;

const POOL: &str = "2022-04-20-checkout-503-pool-exhausted";
const LEAK: &str = "2023-08-07-orders-api-connection-leak";

fn fixture() -> Lib {
    let lib = Lib::empty();
    lib.copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recurrence"), "");
    lib
}

#[test]
fn similar_to_an_incident_id_lists_its_partners_with_the_words_they_share() {
    let lib = fixture();
    let run = lib.run(&["similar", POOL]);
    run.assert_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(!lines.is_empty() && lines.len() <= 5, "{}", run.stdout);
    assert!(lines.iter().take(3).any(|l| l.contains(LEAK)), "{}", run.stdout);
    assert!(!run.stdout.contains(&format!("  {POOL}  ")), "the incident itself is never listed");
    // score, date, id, title, shared words
    let first = lines[0];
    assert!(first.starts_with("0.") && first.contains("2023-08-07") && first.contains("pool"), "{first}");
    let top = lib.run(&["similar", POOL, "--top", "1"]);
    assert_eq!(top.stdout.lines().count(), 1, "{}", top.stdout);
}

#[test]
fn similar_to_a_draft_file_answers_in_json_and_to_a_library_file_leaves_it_out() {
    let lib = fixture();
    lib.write(
        "drafts/new.md",
        "---\ntitle: Checkout pods ran out of database connections\n---\n\nThe connection pool was exhausted.\n",
    );
    let run = lib.run(&["similar", "drafts/new.md", "--format", "json"]);
    run.assert_code(0);
    let items: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let items = items.as_array().expect("array");
    assert!(!items.is_empty() && items.len() <= 5);
    let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().expect("id")).collect();
    assert!(ids.contains(&POOL) && ids.contains(&LEAK), "{ids:?}");
    for i in items {
        let score = i["score"].as_f64().expect("score");
        assert!((0.0..=1.0).contains(&score));
        assert!(i["title"].is_string() && i["date"].is_string() && !i["words"].as_array().expect("words").is_empty());
    }
    let scores: Vec<f64> = items.iter().map(|i| i["score"].as_f64().expect("score")).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "most similar first: {scores:?}");
    let own = lib.run(&["similar", &format!("content/incidents/{POOL}.md")]);
    own.assert_code(0);
    assert!(own.stdout.contains(LEAK) && !own.stdout.contains(&format!("  {POOL}  ")), "{}", own.stdout);
}

#[test]
fn nothing_alike_says_so_on_stderr_and_succeeds_and_an_unknown_id_fails() {
    let lib = fixture();
    lib.write("drafts/odd.md", "# Zeppelin marmalade quasar\n\nQuasar zeppelin.\n");
    let run = lib.run(&["similar", "drafts/odd.md"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("no similar incidents"), "{}", run.stderr);
    let unknown = lib.run(&["similar", "no-such-incident"]);
    unknown.assert_code(1);
    assert!(unknown.stderr.contains("no file `no-such-incident` and no incident with the id `no-such-incident`"));
}

#[test]
fn a_new_incident_names_the_past_ones_whose_titles_read_alike() {
    let lib = fixture();
    let run = lib.run(&["new", "incident", "Orders API ran out of database connections again"]);
    run.assert_code(0);
    assert!(run.stderr.contains("incidents whose titles read alike"), "{}", run.stderr);
    assert!(run.stderr.contains(LEAK), "{}", run.stderr);
    let listed = run.stderr.lines().filter(|l| l.starts_with("  20")).count();
    assert!((1..=3).contains(&listed), "{}", run.stderr);
    assert!(!run.stderr.contains("again  ("), "the new incident itself is not listed: {}", run.stderr);
    let odd = lib.run(&["new", "incident", "Zeppelin quasar"]);
    odd.assert_code(0);
    assert!(!odd.stderr.contains("read alike"), "{}", odd.stderr);
}

#[test]
fn incident_pages_and_the_recurring_page_show_the_groups_escaped() {
    let lib = fixture();
    // A title with markup, on an incident that reads like the pool incidents.
    lib.write(
        "content/incidents/2025-09-01-pool-again.md",
        "---\ntitle: \"<b>Checkout</b> pool exhausted again\"\ndate: 2025-09-01\n---\n\n## Summary\n\n\
         The checkout pods' database connection pool was exhausted by a slow query; requests waited for a \
         free connection and failed with 503.\n",
    );
    lib.build(&[]).assert_code(0);
    let page = lib.html(&format!("incidents/{POOL}/index.html"));
    assert!(page.contains("Similar incidents"), "{page}");
    assert!(
        page.contains("&lt;b&gt;Checkout&lt;&#x2F;b&gt; pool exhausted again")
            || page.contains("&lt;b&gt;Checkout&lt;/b&gt; pool exhausted again")
    );
    assert!(!page.contains("<b>Checkout</b>"));
    let recurring = lib.html("recurring/index.html");
    let group = lib.json("api/recurring.json");
    let pool_group = group
        .as_array()
        .expect("array")
        .iter()
        .find(|g| g["incidents"].as_array().expect("incidents").iter().any(|i| i == POOL))
        .expect("the pool incidents form a group");
    assert_eq!(pool_group["id"], POOL, "a group's id is its oldest member's");
    assert_eq!(pool_group["url"], format!("/recurring/#{POOL}"));
    assert!(recurring.contains(&format!("id=\"{POOL}\"")), "the group has its anchor");
    assert!(page.contains("This problem came back") && page.contains(&format!("/recurring/#{POOL}")));
    let home = lib.html("index.html");
    assert!(home.contains("Problems that came back") && home.contains("/recurring/"));
    let item = lib.json_item("api/incidents.json", POOL);
    let similar = item["similar"].as_array().expect("similar");
    assert!(similar.iter().any(|s| s["id"] == LEAK), "{similar:?}");
    assert!(similar.iter().all(|s| s["score"].as_f64().is_some_and(|x| (0.0..=1.0).contains(&x))));
}

#[test]
fn a_library_with_no_alike_incidents_has_an_empty_recurring_page_and_no_header_link() {
    let lib = Lib::new(&[
        (
            "content/incidents/a.md",
            "---\ntitle: Disk full on the search indexer\ndate: 2024-01-01\n---\nLogs filled the disk.\n",
        ),
        (
            "content/incidents/b.md",
            "---\ntitle: Certificate expired\ndate: 2024-02-01\n---\nThe TLS certificate expired.\n",
        ),
    ]);
    lib.build(&[]).assert_code(0);
    assert!(lib.html("recurring/index.html").contains("No recurring problems yet"));
    assert!(!lib.html("index.html").contains(">Recurring</a>"));
    assert_eq!(lib.json("api/recurring.json"), serde_json::json!([]));
}
