//! Tests of partial rebuilds: each against a full build of the same library.

use super::*;
use crate::theme::Theme;

/// The sample library copied into a temp dir.
fn sample() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.expect("walk");
        let to = root.join("content").join(entry.path().strip_prefix(&from).expect("under"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
    // Small pages, so that lists and groups run to several pages and partial renders of
    // them are put to the test.
    std::fs::write(root.join("book.toml"), "[build]\npage-size = 2\n").expect("book.toml");
    (dir, root)
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) -> PathBuf {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).expect("read");
    assert!(text.contains(from), "{rel} holds {from:?}");
    std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
    p
}

/// Both renders of an edit, as `serve` shows them: the first's result, with the site after the
/// second when there is one.
fn both(serve: &mut Rebuilder, changed: &[PathBuf]) -> Rebuilt {
    let mut built = serve.rebuild(changed).expect("rebuild");
    if let Some(second) = serve.follow_up().expect("second render") {
        assert!(built.files.is_some(), "a second render follows only a good build");
        built.files = second.files;
    }
    built
}

/// Files that differ between two sites.
fn differences(a: &Files, b: &Files) -> Vec<String> {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter().filter(|k| a.get(*k) != b.get(*k)).cloned().collect()
}

const TTL: &str = "content/incidents/2024-03-12-checkout-resolver-ttl.md";
const FAILOVER: &str = "content/incidents/2024-02-06-postgres-failover-stuck.md";
const NOTE: &str = "content/notes/how-complex-systems-fail.md";

#[test]
fn a_partial_rebuild_gives_the_same_site_as_a_full_one() {
    let (_dir, root) = sample();
    let mut serve = Rebuilder::new(&root, Options::default());
    assert!(serve.rebuild(&[]).expect("first build").files.is_some());
    let edits: &[(&str, &str, &str, bool)] = &[
        (TTL, "\n## Timeline", "\nA sentence added while serving.\n\n## Timeline", true),
        (TTL, "title: Checkout errors after the internal DNS TTL change", "title: Checkout <errors> & DNS", true),
        (TTL, "  - factor: retry-storm", "  - factor: stale-dependency", true),
        (TTL, "severity: SEV1", "severity: SEV2", true),
        // What `/trends/` and `/actions/` show: durations, action items, roles.
        (TTL, "  detected: 2024-03-12T14:19:00Z", "  detected: 2024-03-12T14:09:00Z", true),
        (
            TTL,
            "    status: in-progress\n    owner: platform",
            "    status: done\n    done: 2024-07-01\n    owner: platform",
            true,
        ),
        (TTL, "    owner: checkout", "    owner: Checkout Team", true),
        (TTL, "    due: 2024-04-15", "    due: 2024-04-16", true),
        (TTL, "    role: precipitating", "    role: protective", true),
        (TTL, "services: [checkout, dns, payments, api-gateway]", "services: [checkout, dns, payments]", true),
        (NOTE, "factors: [config-change, capacity-headroom, automation-surprise]", "factors: [config-change]", true),
        (FAILOVER, "tags: [postgres, patroni, failover, replication]", "tags: [postgres, failover]", false),
        (FAILOVER, "date: 2024-02-06", "date: 2024-03-13", true),
        ("content/patterns/missing-timeout.md", "\n", "\nA line added to the pattern text.\n", true),
        (TTL, "date: 2024-03-12", "date: 2023-01-02", false),
    ];
    for (rel, from, to, partial) in edits {
        let changed = edit(&root, rel, from, to);
        let built = both(&mut serve, &[changed]);
        let files = built.files.unwrap_or_else(|| panic!("{to:?} builds: {:?}", built.report.items()));
        assert_eq!(built.partial, *partial, "partial rebuild after {to:?}");
        let full = Rebuilder::new(&root, Options::default()).rebuild(&[]).expect("full").files.expect("site");
        let diff = differences(&files, &full);
        assert!(diff.is_empty(), "after {to:?} these files differ from a full build: {diff:?}");
    }
}

#[test]
fn a_title_edit_of_any_document_renders_only_the_pattern_pages_that_show_it() {
    let (_dir, root) = sample();
    // A new title breaks the wiki links that name the old one: warnings, so the site builds.
    std::fs::write(root.join("book.toml"), "[build]\npage-size = 1\nbroken-links = \"warn\"\n").expect("book.toml");
    let mut serve = Rebuilder::new(&root, Options::default());
    let mut last = serve.rebuild(&[]).expect("first build").files.expect("site");
    let mut docs: Vec<PathBuf> = ["content/incidents", "content/notes"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).expect("read dir"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        // A draft is not built, so an edit to it changes nothing served.
        .filter(|p| !std::fs::read_to_string(p).is_ok_and(|t| t.contains("\nstatus: draft\n")))
        .collect();
    docs.sort();
    let (mut kept, mut rendered) = (0, 0);
    for (n, doc) in docs.iter().enumerate() {
        let text = std::fs::read_to_string(doc).expect("read");
        let title = format!("title: \"Edited title {n} <&>\"");
        let edited: String = text
            .lines()
            .map(|l| if l.starts_with("title:") { title.as_str() } else { l })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(doc, edited + "\n").expect("write");
        let built = both(&mut serve, std::slice::from_ref(doc));
        let files = built.files.expect("site");
        assert!(built.partial, "a title edit of {doc:?} is a partial rebuild");
        let full = Rebuilder::new(&root, Options::default()).rebuild(&[]).expect("full").files.expect("site");
        assert_eq!(differences(&files, &full), Vec::<String>::new(), "after the title edit of {doc:?}");
        for (k, v) in files.iter().filter(|(k, _)| k.starts_with("patterns/") && k.as_str() != "patterns/index.html") {
            let shown = built.selection.pattern_rows.iter().chain(&built.selection.patterns);
            if shown.into_iter().any(|p| k.starts_with(&format!("patterns/{p}/"))) {
                if last.get(k).is_some_and(|old| Arc::ptr_eq(old, v)) {
                    kept += 1;
                } else {
                    rendered += 1;
                }
            }
        }
        last = files;
    }
    assert!(rendered > 0 && kept > 0, "{rendered} pattern pages rendered, {kept} kept as they were");
}

/// Three incidents with one factor, one page of one row each; only the oldest has an action
/// item for it, so the pattern's first page shows that incident beside its action while its row
/// is on the last page.
fn action_on_the_first_page() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::create_dir_all(root.join("content/incidents")).expect("mkdir");
    std::fs::write(root.join("book.toml"), "[build]\npage-size = 1\n").expect("book.toml");
    for (name, day) in [("a", 3), ("b", 2), ("c", 1)] {
        let action = match name {
            "c" => "action_items:\n  - title: Add a timeout\n    status: open\n    owner: platform\n    addresses: [shared-cause]\n",
            _ => "",
        };
        let text =
            format!("---\ntitle: Incident {name}\ndate: 2024-01-0{day}\nfactors: [shared-cause]\n{action}---\nBody.\n");
        std::fs::write(root.join(format!("content/incidents/{name}.md")), text).expect("write");
    }
    (dir, root)
}

#[test]
fn a_title_edit_renders_the_first_pattern_page_that_shows_the_incident_beside_its_action() {
    let (_dir, root) = action_on_the_first_page();
    let mut serve = Rebuilder::new(&root, Options::default());
    let before = serve.rebuild(&[]).expect("first build").files.expect("site");
    let first = "patterns/shared-cause/index.html";
    assert!(contains(&before[first], b"Incident c"), "the first page shows the action's incident");
    let changed = edit(&root, "content/incidents/c.md", "title: Incident c", "title: Renamed c");
    let built = both(&mut serve, &[changed]);
    assert!(built.partial && built.selection.pattern_rows.contains("shared-cause"), "a row-level rebuild");
    let files = built.files.expect("site");
    assert!(contains(&files[first], b"Renamed c"), "the first page is rendered again");
    assert!(Arc::ptr_eq(
        &before["patterns/shared-cause/page/2/index.html"],
        &files["patterns/shared-cause/page/2/index.html"]
    ));
    let full = Rebuilder::new(&root, Options::default()).rebuild(&[]).expect("full").files.expect("site");
    assert_eq!(differences(&files, &full), Vec::<String>::new());
}

#[test]
fn serve_patches_the_search_index_into_the_one_build_writes() {
    let (_dir, root) = sample();
    let mut serve = Rebuilder::new(&root, Options::default());
    let before = serve.rebuild(&[]).expect("first build").files.expect("site");
    // One word for another: the mean length stays, so only what holds the words changes.
    let changed = edit(&root, TTL, "voided automatically", "voided quixotically");
    let files = both(&mut serve, &[changed]).files.expect("site");
    // Term shards and document-store groups that cannot have changed are the last build's
    // bytes, not a copy. (The filter files and the manifest are written afresh each time.)
    let patched = |k: &String| k.starts_with("search/s/") || k.starts_with("search/d/");
    let search = |f: &Files| f.keys().filter(|k| patched(k)).count();
    let same = |k: &String, v: &Arc<[u8]>| before.get(k).is_some_and(|b| Arc::ptr_eq(b, v));
    let kept = files.iter().filter(|(k, v)| patched(k) && same(k, v)).count();
    let mut names: Vec<(&String, bool)> =
        files.iter().filter(|(k, _)| patched(k)).map(|(k, v)| (k, same(k, v))).collect();
    names.sort();
    assert!(kept > search(&files) / 2, "{kept} of {} search files kept: {names:?}", search(&files));
    assert!(site::build(&root, Options::default()).expect("build").wrote);
    let search: Vec<&String> = files.keys().filter(|k| k.starts_with("search/")).collect();
    assert!(search.iter().any(|k| k.starts_with("search/s/")), "{search:?}");
    for k in search {
        let built = std::fs::read(root.join("site").join(k)).unwrap_or_default();
        assert_eq!(&built[..], &files[k][..], "{k} as built and as served");
    }
    let shards = files.keys().filter(|k| k.starts_with("search/s/")).count();
    let holding = files.iter().filter(|(k, v)| k.starts_with("search/s/") && contains(v, b"quixot")).count();
    assert_eq!(holding, 1, "the new word is in one of {shards} shards");
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_dependency_set_of_a_body_edit_is_its_page_links_and_groups_and_of_a_title_edit_its_patterns() {
    let (_dir, root) = sample();
    let mut serve = Rebuilder::new(&root, Options::default());
    serve.rebuild(&[]).expect("first build");
    let changed = edit(&root, TTL, "\n## Timeline", "\nOne more sentence.\n\n## Timeline");
    let sel = both(&mut serve, &[changed]).selection;
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<String>>();
    // Its own page, the documents that link to it or name it, and those it links to.
    for id in [
        "2024-03-12-checkout-resolver-ttl",
        "2023-05-22-inventory-sync-timeout",
        "2024-09-03-inventory-schema-migration-lock",
        "2025-04-08-notifications-retry-storm-metastable",
        "how-complex-systems-fail",
        "each-necessary-but-only-jointly-sufficient",
        "metastable-failures-in-distributed-systems",
        "start-here",
    ] {
        assert!(sel.docs.contains(id), "{id} is in {:?}", sel.docs);
    }
    assert!(!sel.docs.contains("2023-01-18-search-index-disk-full"), "an unrelated incident is left alone");
    assert!(!sel.all);
    assert!(!sel.trends && !sel.actions, "a body edit changes neither /trends/ nor /actions/");
    // Its pattern pages show its row and actions, not its body.
    assert!(sel.patterns.is_empty(), "{:?}", sel.patterns);
    // Its groups keep their members, so only their pages that show it are rendered; the
    // same goes for the incident list.
    assert!(sel.groups.is_empty(), "{:?}", sel.groups);
    assert_eq!(sel.rows, Some(set(&["2024-03-12-checkout-resolver-ttl"])));
    let groups: BTreeSet<String> = sel.group_rows.iter().map(|(s, g)| format!("{s}/{g}")).collect();
    let want = [
        "services/api-gateway",
        "services/checkout",
        "services/dns",
        "services/payments",
        "tags/coredns",
        "tags/dns",
        "tags/kubernetes",
        "tags/timeouts",
        "teams/checkout",
        "teams/payments",
        "teams/platform",
    ];
    assert_eq!(groups, set(&want));
    // A new title shows in its rows on its pattern pages (and on /actions/, beside its
    // action items), not on /trends/.
    let changed = edit(&root, TTL, "title: Checkout errors", "title: Checkout failures");
    let sel = both(&mut serve, &[changed]).selection;
    // Their patterns are as they were, so only the pages showing it are rendered.
    assert!(sel.patterns.is_empty(), "{:?}", sel.patterns);
    assert_eq!(sel.pattern_rows, set(&["capacity-headroom", "config-change", "missing-timeout", "retry-storm"]));
    assert!(sel.actions && !sel.trends);
}

#[test]
fn links_checked_again_only_in_the_edited_documents_give_what_a_full_check_gives() {
    let (_dir, root) = sample();
    let opts = Options { keep_going: true, ..Options::default() };
    let mut serve = Rebuilder::new(&root, opts);
    serve.rebuild(&[]).expect("first build");
    let link =
        "See [the TTL one](2024-03-12-checkout-resolver-ttl.md), [[How complex systems fail]] and [[no-such-page]].";
    let edits: &[(&str, &str, &str)] = &[
        (FAILOVER, "\n## ", &format!("\n{link}\n\n## ")),
        (NOTE, "\n**Systems", "\nA broken [link](../incidents/missing.md).\n\n**Systems"),
        (FAILOVER, &format!("\n{link}\n\n## "), "\n## "),
        (NOTE, "\nA broken [link](../incidents/missing.md).\n\n**Systems", "\n**Systems"),
    ];
    for (rel, from, to) in edits {
        let changed = edit(&root, rel, from, to);
        let built = both(&mut serve, &[changed]);
        let full = Rebuilder::new(&root, opts).rebuild(&[]).expect("full");
        assert!(built.partial, "after {to:?}");
        let shown = |r: &Report| r.items().iter().map(|d| d.headline()).collect::<Vec<_>>();
        assert_eq!(shown(&built.report), shown(&full.report), "diagnostics after {to:?}");
        let (files, full) = (built.files.expect("site"), full.files.expect("full site"));
        assert_eq!(differences(&files, &full), Vec::<String>::new(), "after {to:?}");
        let old = serve.cache.previous.as_ref().map(|a| &a.an.backlinks);
        let fresh = site::analyse(&root, opts, None, &Progress::hidden()).expect("analyse").an.backlinks;
        assert_eq!(old, Some(&fresh), "backlinks after {to:?}");
    }
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_the_fix_rebuilds_what_changed_meanwhile() {
    let (_dir, root) = sample();
    let mut serve = Rebuilder::new(&root, Options::default());
    serve.rebuild(&[]).expect("first build");
    let broken = serve.rebuild(&[edit(&root, TTL, "severity: SEV1", "severity: SEV1\nseverity: x")]);
    let broken = broken.expect("rebuild");
    assert!(broken.files.is_none(), "a duplicate key is an error");
    let problems = broken.problems();
    assert!(problems[0].headline.starts_with(TTL), "the saved file's error comes first: {problems:?}");
    // Another file changes while the first is broken; the fix must rebuild both.
    let other = edit(&root, FAILOVER, "title: Automatic failover", "title: Edited failover");
    serve.rebuild(&[other]).expect("rebuild while broken");
    let fixed = both(&mut serve, &[edit(&root, TTL, "severity: SEV1\nseverity: x", "severity: SEV1")]);
    let files = fixed.files.expect("fixed");
    let full = Rebuilder::new(&root, Options::default()).rebuild(&[]).expect("full").files.expect("site");
    assert_eq!(differences(&files, &full), Vec::<String>::new());
}

#[test]
fn what_is_kept_between_rebuilds_is_dropped_when_its_inputs_change() {
    let (_dir, root) = sample();
    let template = Theme::embedded("incident.html").expect("embedded template");
    std::fs::create_dir_all(root.join("ours/templates")).expect("mkdir");
    std::fs::write(root.join("ours/templates/incident.html"), template).expect("template");
    std::fs::write(root.join("book.toml"), "[build]\npage-size = 2\n[output.html]\ntheme = \"ours\"\n")
        .expect("book.toml");
    let mut serve = Rebuilder::new(&root, Options::default());
    let first = serve.rebuild(&[]).expect("first build").files.expect("site");
    let json = "api/incidents.json";
    // A body edit that changes no word (so no similar list) changes no item of the export:
    // the file is the last one, not a copy.
    let body = serve.rebuild(&[edit(&root, TTL, "\n## Timeline", "\n\n\n## Timeline")]);
    let body = body.expect("rebuild");
    assert!(!body.reload_in_full, "a body edit lets open pages swap their <main>");
    let body = body.files.expect("site");
    assert!(Arc::ptr_eq(&first[json], &body[json]), "{json} kept");
    let title = serve.rebuild(&[edit(&root, TTL, "title: Checkout errors", "title: Checkout failures")]);
    let title = title.expect("rebuild").files.expect("site");
    assert!(contains(&title[json], b"Checkout failures"), "a new title is in {json}");
    // An incident's edit changes neither the notes nor the pages of the site.
    for kept in ["api/notes.json", "sitemap.xml"] {
        assert!(Arc::ptr_eq(&first[kept], &title[kept]), "{kept} kept");
    }
    let from = "factors: [config-change, capacity-headroom, automation-surprise]";
    let note = serve.rebuild(&[edit(&root, NOTE, from, "factors: [config-change, capacity-headroom]")]);
    let note = note.expect("rebuild").files.expect("site");
    assert!(!Arc::ptr_eq(&title["api/notes.json"], &note["api/notes.json"]), "a note edit makes api/notes.json again");
    let full = Rebuilder::new(&root, Options::default()).rebuild(&[]).expect("full").files.expect("site");
    assert_eq!(note["api/notes.json"], full["api/notes.json"]);
    // The parsed templates are kept while the theme stays, and parsed again when it changes.
    let marked = template.replacen("<h1", "<h1 data-edited=\"yes\"", 1);
    assert_ne!(marked, template, "the template has a heading");
    std::fs::write(root.join("ours/templates/incident.html"), &marked).expect("edit template");
    let themed = serve.rebuild(&[root.join("ours/templates/incident.html")]).expect("rebuild");
    assert!(themed.reload_in_full, "a theme edit reloads open pages in full");
    let themed = themed.files.expect("site");
    let page = "incidents/2024-03-12-checkout-resolver-ttl/index.html";
    assert!(contains(&themed[page], b"data-edited=\"yes\""), "the edited template is used");
    let full = Rebuilder::new(&root, Options::default()).rebuild(&[]).expect("full").files.expect("site");
    assert_eq!(differences(&themed, &full), Vec::<String>::new());
}

#[test]
fn a_temporary_file_that_came_and_went_rebuilds_nothing() {
    let (_dir, root) = sample();
    let mut serve = Rebuilder::new(&root, Options::default());
    serve.rebuild(&[]).expect("first build");
    let gone = root.join("content/incidents/.sedX1234");
    assert!(serve.rebuild(&[gone]).expect("rebuild").unchanged);
}

/// What the random-edit property writes: one document of a small library.
#[derive(Debug, Clone)]
struct Spec {
    name: String,
    note: bool,
    title: usize,
    body: usize,
    factors: Vec<usize>,
    /// Minutes from start to detection.
    detect: i64,
    day: usize,
}

const TITLES: &[&str] = &["Cache stampede", "DNS <TTL> & co", "Disk full", "Retry storm"];
const BODIES: &[&str] = &[
    "A plain body.\n",
    "See [[Disk full]] for the first one.\n",
    "Like [the other](i1.md) one.\n\n## Timeline\n\n- 14:00 it began\n",
    "## Summary\n\nShort.\n\n## Action items\n\n- [ ] Add a timeout\n",
];
const FACTORS: &[&str] = &["config-change", "retry-storm", "missing-timeout", "capacity-headroom"];

impl Spec {
    fn rel(&self) -> String {
        format!("content/{}/{}.md", if self.note { "notes" } else { "incidents" }, self.name)
    }

    fn text(&self) -> String {
        let factors: Vec<&str> = self.factors.iter().map(|&f| FACTORS[f]).collect();
        let mut front = format!(
            "---\ntitle: \"{}\"\ndate: 2024-01-{:02}\nfactors: [{}]\n",
            TITLES[self.title],
            self.day % 28 + 1,
            factors.join(", ")
        );
        if !self.note {
            let detected = 10 * 60 + self.detect;
            front.push_str(&format!(
                "severity: SEV{}\nservices: [svc-{}]\ntimes:\n  started: 2024-01-{:02}T10:00:00Z\n  detected: 2024-01-{:02}T{:02}:{:02}:00Z\n",
                self.title % 3 + 1,
                self.body % 2,
                self.day % 28 + 1,
                self.day % 28 + 1,
                detected / 60,
                detected % 60
            ));
        }
        format!("{front}---\n{}", BODIES[self.body])
    }
}

/// One edit of the random-edit property; indexes are taken modulo the library's size.
#[derive(Debug, Clone)]
enum Edit {
    Body(usize, usize),
    Title(usize, usize),
    Factors(usize, Vec<usize>),
    Times(usize, i64),
    Add(bool, usize, usize),
    Remove(usize),
    Rename(usize),
}

fn any_edit() -> impl proptest::strategy::Strategy<Value = Edit> {
    use proptest::prelude::*;
    let n = 0usize..8;
    prop_oneof![
        (n.clone(), 0..BODIES.len()).prop_map(|(i, b)| Edit::Body(i, b)),
        (n.clone(), 0..TITLES.len()).prop_map(|(i, t)| Edit::Title(i, t)),
        (n.clone(), proptest::collection::vec(0..FACTORS.len(), 0..3)).prop_map(|(i, f)| Edit::Factors(i, f)),
        (n.clone(), 0i64..300).prop_map(|(i, m)| Edit::Times(i, m)),
        (any::<bool>(), 0..TITLES.len(), 0..BODIES.len()).prop_map(|(note, t, b)| Edit::Add(note, t, b)),
        n.clone().prop_map(Edit::Remove),
        n.prop_map(Edit::Rename),
    ]
}

/// Applies `edit` to the library on disk; returns the paths it touched.
fn apply(root: &Path, docs: &mut Vec<Spec>, made: &mut usize, edit: &Edit) -> Vec<PathBuf> {
    // The library always keeps one document (a removal of the last is skipped).
    let n = docs.len();
    let mut touched = Vec::new();
    match edit {
        Edit::Body(i, b) => docs[i % n].body = *b,
        Edit::Title(i, t) => docs[i % n].title = *t,
        Edit::Factors(i, f) => docs[i % n].factors = f.clone(),
        Edit::Times(i, m) => docs[i % n].detect = *m,
        Edit::Add(note, title, body) => {
            *made += 1;
            let name = if *note { format!("n{made}") } else { format!("i{made}") };
            docs.push(Spec { name, note: *note, title: *title, body: *body, factors: vec![1], detect: 5, day: *made });
        }
        Edit::Remove(i) if docs.len() > 1 => {
            let gone = docs.remove(i % n);
            std::fs::remove_file(root.join(gone.rel())).expect("remove");
            return vec![root.join(gone.rel())];
        }
        Edit::Remove(_) => return Vec::new(),
        Edit::Rename(i) => {
            let k = i % n;
            let old = root.join(docs[k].rel());
            std::fs::remove_file(&old).expect("remove");
            *made += 1;
            docs[k].name = format!("{}{made}", if docs[k].note { "n" } else { "i" });
            touched.push(old);
        }
    }
    // Every document is written again; the unchanged ones with the same bytes, as an editor
    // that saves all would.
    for d in docs.iter() {
        let path = root.join(d.rel());
        let text = d.text();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).expect("write");
            touched.push(path);
        }
    }
    touched
}

proptest::proptest! {
    #![proptest_config(crate::testing::proptest_config(12))]

    /// After any sequence of edits (bodies, titles, factors, times, documents added, removed
    /// and renamed), each rebuild gives the site and the diagnostics a full build gives.
    #[test]
    fn any_sequence_of_edits_rebuilds_to_what_a_full_build_gives(edits in proptest::collection::vec(any_edit(), 1..6)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        std::fs::create_dir_all(root.join("content/incidents")).expect("mkdir");
        std::fs::create_dir_all(root.join("content/notes")).expect("mkdir");
        std::fs::write(root.join("book.toml"), "[build]\npage-size = 2\nbroken-links = \"warn\"\n").expect("book.toml");
        let mut docs: Vec<Spec> = (0..4)
            .map(|k| Spec { name: format!("i{k}"), note: k == 3, title: k, body: k, factors: vec![k, (k + 1) % 4], detect: 10 * k as i64, day: k })
            .collect();
        let mut made = docs.len();
        for d in &docs {
            std::fs::write(root.join(d.rel()), d.text()).expect("write");
        }
        let mut serve = Rebuilder::new(&root, Options::default());
        proptest::prop_assert!(serve.rebuild(&[]).expect("first build").files.is_some());
        let shown = |r: &Report| {
            let mut lines: Vec<String> = r.items().iter().map(|d| d.headline()).collect();
            lines.sort();
            lines
        };
        for edit in &edits {
            let touched = apply(&root, &mut docs, &mut made, edit);
            if touched.is_empty() {
                // Nothing on disk changed (a note has no times): no rebuild to compare.
                continue;
            }
            let built = serve.rebuild(&touched).expect("rebuild");
            let full = Rebuilder::new(&root, Options::default()).rebuild(&[]).expect("full");
            proptest::prop_assert_eq!(shown(&built.report), shown(&full.report), "diagnostics after {:?}", edit);
            // Two documents of one title make a wiki link ambiguous: an error, and no site.
            match (built.files, full.files) {
                (Some(first), Some(full)) => {
                    // The first render leaves for the second only the pages of the incidents whose
                    // similar list or recurring problem moved, and their items in the export.
                    let later: BTreeSet<String> = serve.later.iter().map(|id| format!("incidents/{id}/index.html")).collect();
                    let mut stale = differences(&first, &full);
                    stale.retain(|k| k != "api/incidents.json" && !later.contains(k));
                    proptest::prop_assert_eq!(stale, Vec::<String>::new(), "first render after {:?} of {:?}", edit, edits);
                    let files = match serve.follow_up().expect("second render") {
                        Some(second) => second.files.expect("site"),
                        None => first,
                    };
                    proptest::prop_assert_eq!(differences(&files, &full), Vec::<String>::new(), "after {:?} of {:?}", edit, edits);
                }
                (None, None) => {
                    proptest::prop_assert!(serve.follow_up().expect("second render").is_none(), "a failed build renders nothing more");
                }
                (files, _) => proptest::prop_assert!(false, "after {:?}: a site from the rebuild: {}", edit, files.is_some()),
            }
        }
    }
}

/// Found by the random-edit property: a note renamed to an incident's title made another
/// incident's `[[title]]` link ambiguous, and the partial rebuild kept the link (and the
/// backlink it gave) as it was.
#[test]
fn a_new_title_that_takes_a_wiki_link_from_an_unedited_page_renders_that_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::create_dir_all(root.join("content/incidents")).expect("mkdir");
    std::fs::create_dir_all(root.join("content/notes")).expect("mkdir");
    std::fs::write(root.join("book.toml"), "[build]\nbroken-links = \"warn\"\n").expect("book.toml");
    let write = |rel: &str, text: &str| std::fs::write(root.join(rel), text).expect("write");
    write("content/incidents/a.md", "---\ntitle: Links\ndate: 2024-01-02\n---\nSee [[Disk full]] first.\n");
    write("content/incidents/b.md", "---\ntitle: Disk full\ndate: 2024-01-03\n---\nBody.\n");
    write("content/notes/n.md", "---\ntitle: Retry storm\n---\nA note.\n");
    let mut serve = Rebuilder::new(&root, Options::default());
    let before = serve.rebuild(&[]).expect("first build").files.expect("site");
    assert!(contains(&before["incidents/a/index.html"], b"href=\"/incidents/b/\""));
    write("content/notes/n.md", "---\ntitle: Disk full\n---\nA note.\n");
    let built = both(&mut serve, &[root.join("content/notes/n.md")]);
    assert!(built.partial, "a title edit is a partial rebuild");
    let files = built.files.expect("site");
    let full = Rebuilder::new(&root, Options::default()).rebuild(&[]).expect("full").files.expect("site");
    assert_eq!(differences(&files, &full), Vec::<String>::new());
    assert!(!contains(&files["incidents/a/index.html"], b"href=\"/incidents/b/\""), "the link is no longer b's");
}

/// Found by the random-edit property: a factor taken off an incident left its pattern with
/// one page fewer, and the partial rebuild kept the last page of before.
#[test]
fn a_pattern_that_loses_a_page_loses_it_in_a_partial_rebuild() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::create_dir_all(root.join("content/incidents")).expect("mkdir");
    std::fs::write(root.join("book.toml"), "[build]\npage-size = 2\n").expect("book.toml");
    for k in 1..=3 {
        let text = format!("---\ntitle: Incident {k}\ndate: 2024-01-0{k}\nfactors: [retry-storm]\n---\nBody.\n");
        std::fs::write(root.join(format!("content/incidents/i{k}.md")), text).expect("write");
    }
    let mut serve = Rebuilder::new(&root, Options::default());
    let before = serve.rebuild(&[]).expect("first build").files.expect("site");
    assert!(before.contains_key("patterns/retry-storm/page/2/index.html"), "three incidents make two pages");
    let changed = edit(&root, "content/incidents/i1.md", "factors: [retry-storm]", "factors: []");
    let built = both(&mut serve, &[changed]);
    assert!(built.partial, "a factor edit is a partial rebuild");
    let files = built.files.expect("site");
    assert!(!files.contains_key("patterns/retry-storm/page/2/index.html"), "two incidents make one page");
    let full = Rebuilder::new(&root, Options::default()).rebuild(&[]).expect("full").files.expect("site");
    assert_eq!(differences(&files, &full), Vec::<String>::new());
}

/// Six incidents that share no three words: `d` and `e` read alike (three rare words in the
/// title and body), the others are unlike each other and them.
fn lookalikes() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::create_dir_all(root.join("content/incidents")).expect("mkdir");
    std::fs::write(root.join("book.toml"), "[build]\npage-size = 2\n").expect("book.toml");
    let incidents = [
        (
            "a",
            "2024-01-10",
            "Disk filled on the build host",
            "The build host ran out of disk after logs grew without rotation.",
        ),
        (
            "d",
            "2024-01-03",
            "Zebra quokka narwhal queue stalled",
            "The zebra quokka narwhal consumer stalled and the queue backed up.",
        ),
        (
            "e",
            "2024-01-20",
            "Zebra quokka narwhal stalled again",
            "Once more the zebra quokka narwhal consumer stalled under load.",
        ),
        (
            "f",
            "2024-01-05",
            "Kestrel wombat cache eviction",
            "The kestrel wombat cache evicted hot keys during a deploy.",
        ),
        ("g", "2024-01-01", "Certificate expired on the edge proxy", "Nobody renewed the certificate in time."),
        ("h", "2024-01-25", "Payment retries overloaded the ledger", "Clients retried payments without backoff."),
    ];
    for (id, date, title, body) in incidents {
        let text = format!("---\ntitle: {title}\ndate: {date}\n---\n\n{body}\n");
        std::fs::write(root.join(format!("content/incidents/{id}.md")), text).expect("write");
    }
    (dir, root)
}

/// The ids an incident's page lists under "Similar incidents", as the analysis has them.
fn similar_of(serve: &Rebuilder, id: &str) -> Vec<String> {
    let a = serve.cache.previous.as_ref().expect("a good build");
    let i = a.lib.incidents.iter().position(|i| i.doc.id == id).expect("incident");
    a.an.similar.lists[i].iter().map(|s| a.lib.incidents[s.incident].doc.id.clone()).collect()
}

fn page(id: &str) -> String {
    format!("incidents/{id}/index.html")
}

/// An edit that gives `a` three words of `f` and one of `d` and `e`: `a` and `f` now list each
/// other, and the weight of the word `d` and `e` share moves their scores though neither
/// lists `a`. The first render shows `a` and `f`; the second `d` and `e`; then the site is
/// a full build's.
#[test]
fn an_edit_shows_its_page_first_and_the_pages_whose_similar_lists_moved_second() {
    let (_dir, root) = lookalikes();
    let mut serve = Rebuilder::new(&root, Options::default());
    let before = serve.rebuild(&[]).expect("first build").files.expect("site");
    assert_eq!((similar_of(&serve, "a"), similar_of(&serve, "d")), (vec![], vec!["e".to_string()]));
    assert!(serve.follow_up().expect("second render").is_none(), "a first build leaves nothing for later");
    let changed = edit(
        &root,
        "content/incidents/a.md",
        "without rotation.",
        "without rotation. A kestrel wombat cache sidecar and one zebra feeder were involved too.",
    );
    let first = serve.rebuild(&[changed]).expect("rebuild");
    assert!(first.partial, "a body edit is a partial rebuild");
    assert_eq!(similar_of(&serve, "a"), vec!["f".to_string()], "the edit made `a` like `f`");
    assert_eq!(similar_of(&serve, "d"), vec!["e".to_string()], "`d` does not list `a`");
    let full = Rebuilder::new(&root, Options::default()).rebuild(&[]).expect("full").files.expect("site");
    let files = first.files.expect("site");
    // The edited page with its new similar list, and the page that now lists it.
    for id in ["a", "f"] {
        assert_eq!(files[&page(id)], full[&page(id)], "{id}'s page in the first render");
        assert_ne!(files[&page(id)], before[&page(id)], "{id}'s page changed");
    }
    assert!(
        contains(&files[&page("a")], b"href=\"../f/\"") || contains(&files[&page("a")], b"href=\"/incidents/f/\""),
        "`a` links `f` as similar"
    );
    let named = first.pages.expect("a partial render names its pages");
    assert!(named.contains(&page("a")) && named.contains(&page("f")), "{named:?}");
    // `d` and `e` moved (the shared word weighs less now) but wait for the second render.
    let moved: Vec<String> = differences(&files, &full);
    assert_eq!(moved, vec!["api/incidents.json".to_string(), page("d"), page("e")], "what the first render leaves");
    assert!(!named.contains(&page("d")), "{named:?}");
    let second = serve.follow_up().expect("second render").expect("pages moved");
    assert!(second.second && second.partial);
    assert_eq!(second.selection.docs, ["d", "e"].iter().map(|s| s.to_string()).collect(), "the second render's pages");
    assert_eq!(second.pages, Some(vec![page("d"), page("e")]), "the second event names the moved pages");
    let files = second.files.expect("site");
    assert_eq!(differences(&files, &full), Vec::<String>::new(), "after both renders");
    assert!(serve.follow_up().expect("second render").is_none(), "nothing is left");
}

/// An edit whose second render has not run when the next edit comes keeps its pages: they
/// join the next edit's; a failed build in between keeps them for the fix.
#[test]
fn the_pages_left_for_a_second_render_join_the_next_edit() {
    let (_dir, root) = lookalikes();
    let mut serve = Rebuilder::new(&root, Options::default());
    serve.rebuild(&[]).expect("first build");
    let a = edit(
        &root,
        "content/incidents/a.md",
        "without rotation.",
        "without rotation. A kestrel wombat cache sidecar and one zebra feeder were involved too.",
    );
    serve.rebuild(&[a]).expect("rebuild");
    // A failed build: nothing more is rendered until it is fixed.
    let broken =
        serve.rebuild(&[edit(&root, "content/incidents/h.md", "date: 2024-01-25", "date: 2024-01-25\ndate: x")]);
    assert!(broken.expect("rebuild").files.is_none(), "a duplicate key is an error");
    assert!(serve.follow_up().expect("second render").is_none(), "the pages wait for the fix");
    // The fix is an edit that moves no similar list of its own.
    let fixed =
        serve.rebuild(&[edit(&root, "content/incidents/h.md", "date: 2024-01-25\ndate: x", "date: 2024-01-25")]);
    assert!(fixed.expect("rebuild").files.is_some());
    let second = serve.follow_up().expect("second render").expect("the first edit's pages");
    assert_eq!(second.selection.docs, ["d", "e"].iter().map(|s| s.to_string()).collect());
    let full = Rebuilder::new(&root, Options::default()).rebuild(&[]).expect("full").files.expect("site");
    assert_eq!(differences(&second.files.expect("site"), &full), Vec::<String>::new());
}

/// A page lists its similar incidents with their titles and dates: a new date of one of them
/// (which moves no score) renders the pages listing it, in the first render.
#[test]
fn a_new_date_renders_the_pages_that_list_the_incident_as_similar() {
    let (_dir, root) = lookalikes();
    let mut serve = Rebuilder::new(&root, Options::default());
    serve.rebuild(&[]).expect("first build");
    let changed = edit(&root, "content/incidents/e.md", "date: 2024-01-20", "date: 2024-01-21");
    let first = serve.rebuild(&[changed]).expect("rebuild");
    assert!(first.partial, "a date between the first and the last is a partial rebuild");
    assert!(serve.follow_up().expect("second render").is_none(), "a date moves no similar list");
    let full = Rebuilder::new(&root, Options::default()).rebuild(&[]).expect("full").files.expect("site");
    assert_eq!(differences(&first.files.expect("site"), &full), Vec::<String>::new());
}

/// A build counts an incident's title, summary, tags and body when it reads it, and `serve`
/// counts them when it indexes; both indexes must be the same, byte for byte, whatever the body
/// holds (a title heading taken out of it, code, a timeline, emphasis, capitals and accents).
#[test]
fn a_build_indexes_what_serve_indexes() {
    let (_dir, root) = sample();
    let incidents = root.join("content/incidents");
    std::fs::write(
        incidents.join("2024-05-01-plain.md"),
        "# Gateway *Outage* in EU\n\nThe **gateway** dropped TLS sessions; `nginx` restarted.\n\n\
         ## Timeline\n\n| Time | Event |\n|---|---|\n| 09:00 | Paged on 503s |\n| later | Rolled back |\n\n\
         ## Contributing factors\n\n- Cert rotation *without* a canary\n- Résumé of the Café DNS\n\n\
         ```sh\nkubectl rollout undo deploy/gateway\n```\n",
    )
    .expect("write");
    std::fs::write(
        incidents.join("2024-05-02-front.md"),
        "---\ntitle: Queue lag in Billing\ntags: [kafka, Billing]\nfactors:\n  - factor: missing-timeout\n    \
         note: Consumers waited FOREVER\n---\n# A heading that is not the title\n\nLag grew; the QUEUE backed up.\n\n\
         1. first\n   ```\n   code in an item\n   ```\n2. second *item*s\n",
    )
    .expect("write");
    // A title heading written underlined, one the front matter repeats, and a first line taken
    // as the title (which the index reads from the body the document keeps).
    for (name, text) in [
        ("2024-05-03-setext.md", "Disk *full* on db-3\n===\n\nThe WAL volume filled.\n\n# Another\n\nMore.\n"),
        ("2024-05-04-same.md", "---\ntitle: Cache stampede\n---\n\n# Cache Stampede\n\nKeys expired together.\n"),
        (
            "2024-05-05-line.md",
            "Login storm after deploy\nSessions were dropped. *All* of them.\n\n## Why\n\nA bad flag.\n",
        ),
    ] {
        std::fs::write(incidents.join(name), text).expect("write");
    }
    let outcome = crate::site::build(&root, Options::default()).expect("build");
    assert!(outcome.report.items().iter().all(|d| d.level != crate::diagnostic::Level::Error), "builds");
    let served = Rebuilder::new(&root, Options::default()).rebuild(&[]).expect("serve").files.expect("site");
    let mut compared = 0;
    for (path, bytes) in served.iter() {
        if path.starts_with("search/") {
            let built = std::fs::read(root.join("site").join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(built == **bytes, "{path} differs between build and serve");
            compared += 1;
        }
    }
    assert!(compared > 3, "the index's files were compared: {compared}");
}
