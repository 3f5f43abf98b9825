//! SPEC §7: a failed build leaves the previous site alone; `--keep-going`; text from content is
//! escaped everywhere it lands; alias bombs and huge files are refused; nothing is written
//! outside the build dir.

use crate::fixtures::full_library;
use crate::support::{snapshot, Lib};
use std::time::Duration;

const HOSTILE_TITLE: &str = "<script>alert(1)</script>";
const HOSTILE_NAME: &str = "\"><img src=x onerror=alert(1)>";

#[test]
fn a_failed_build_leaves_the_previous_site_byte_identical() {
    let lib = full_library();
    lib.build_clean();
    let before = snapshot(&lib.site());
    lib.write("content/incidents/2024-07-01-broken.md", "---\ntitle: Broken\ndate: 2024-13-45\n---\nBody.\n");
    let run = lib.build(&[]);
    run.assert_code(1);
    run.assert_line("content/incidents/2024-07-01-broken.md:3:7: error: invalid date `2024-13-45`");
    assert_eq!(before, snapshot(&lib.site()), "the previous site is untouched");
    let beside: Vec<String> = std::fs::read_dir(lib.path())
        .expect("read root")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(beside.is_empty(), "no staging folder is left: {beside:?}");
}

#[test]
fn a_successful_rebuild_replaces_the_site_and_keeps_the_old_one_only_in_the_staging_folder() {
    let lib = full_library();
    lib.build_clean();
    lib.remove("content/about.md");
    lib.build_clean();
    assert!(!lib.exists("about/index.html"), "the new site replaces the old one entirely");
    assert!(lib.exists("index.html"));
    let names: Vec<String> = std::fs::read_dir(lib.path())
        .expect("read root")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(
        names,
        [".site.lock", ".site.staging", "book.toml", "content", "site"],
        "nothing else is written beside the site"
    );
    // The replaced site is kept there for the next build to write over, and then left exact.
    assert!(lib.path().join(".site.staging/old/about/index.html").exists());
    lib.build_clean();
    lib.build_clean();
    assert!(!lib.exists("about/index.html"));
    assert!(lib.exists("index.html"));
}

#[test]
fn keep_going_writes_the_site_from_the_valid_documents() {
    let lib = full_library();
    lib.write("content/incidents/2024-07-01-broken.md", "---\ntitle: Broken\nslug: a/b\n---\nBody.\n");
    let run = lib.build(&["--keep-going"]);
    run.assert_code(1);
    run.assert_line("content/incidents/2024-07-01-broken.md:3:7: error: slug `a/b` may not hold `/` or `..`");
    assert!(
        run.stderr.contains("rejected 1 document(s):\n  content/incidents/2024-07-01-broken.md\n"),
        "{}",
        run.stderr
    );
    assert!(lib.exists("incidents/2024-03-12-checkout-ttl/index.html"));
    assert!(lib.exists("index.html"));
    assert!(!lib.read("incidents/index.html").contains("Broken"));
    assert!(!lib.site_files().iter().any(|f| f.contains("broken")), "{:?}", lib.site_files());
    assert_eq!(lib.json("api/incidents.json").as_array().map(Vec::len), Some(3));
}

#[test]
fn keep_going_names_a_document_that_could_not_be_read() {
    let lib = full_library();
    lib.write_bytes("content/notes/latin1.md", b"# Caf\xe9\n");
    let run = lib.build(&["--keep-going"]);
    run.assert_code(1);
    run.assert_line("content/notes/latin1.md:1:6: error: file is not UTF-8 text");
    assert!(run.stderr.contains("  content/notes/latin1.md\n"), "{}", run.stderr);
    assert!(lib.exists("notes/how-complex-systems-fail/index.html"));
    assert!(!lib.exists("notes/latin1/index.html"));
}

#[test]
fn without_keep_going_one_bad_document_stops_the_build() {
    let lib = full_library();
    lib.write("content/incidents/2024-07-01-broken.md", "---\ntitle: Broken\nslug: a/b\n---\nBody.\n");
    lib.build(&[]).assert_code(1);
    assert!(!lib.site().exists(), "no site is written");
}

fn hostile_library() -> Lib {
    Lib::new(&[
        ("content/factors.yaml", &format!("bad-factor:\n  title: '{HOSTILE_NAME}'\n  category: '{HOSTILE_NAME}'\n  description: '{HOSTILE_TITLE}'\n")),
        (
            "content/incidents/2024-03-12-xss.md",
            &format!(
                "---\ntitle: '{HOSTILE_TITLE}'\nsummary: '{HOSTILE_TITLE}'\nseverity: '{HOSTILE_NAME}'\nservices: ['{HOSTILE_NAME}']\nteams: ['{HOSTILE_NAME}']\ntags: ['{HOSTILE_NAME}']\nfactors:\n  - factor: '{HOSTILE_NAME}'\n    note: '{HOSTILE_TITLE}'\n  - bad-factor\ntrigger: '{HOSTILE_TITLE}'\nimpact: '{HOSTILE_TITLE}'\naction_items:\n  - title: '{HOSTILE_TITLE}'\n    owner: '{HOSTILE_NAME}'\n    addresses: [bad-factor]\n---\nBody.\n"
            ),
        ),
        ("content/incidents/2024-03-13-other.md", "---\ntitle: Other\nfactors: [bad-factor]\n---\nBody.\n"),
        (
            "content/notes/xss-note.md",
            &format!("---\ntitle: '{HOSTILE_TITLE}'\nauthors: ['{HOSTILE_NAME}']\nkind: paper\nfactors: ['{HOSTILE_NAME}']\ntags: ['{HOSTILE_NAME}']\n---\nSee [[2024-03-12-xss]].\n"),
        ),
        ("content/about.md", &format!("---\ntitle: '{HOSTILE_TITLE}'\n---\nAbout.\n")),
    ])
}

#[test]
fn hostile_titles_and_names_are_escaped_in_every_html_page() {
    let lib = hostile_library();
    let run = lib.build(&["--keep-going"]);
    run.assert_code(0);
    let mut pages = 0;
    for f in lib.site_files().into_iter().filter(|f| f.ends_with(".html")) {
        let html = lib.read(&f);
        pages += 1;
        assert!(!html.contains("<script>alert"), "raw <script> in {f}");
        assert!(!html.contains("<img src=x"), "raw <img> in {f}");
        assert!(!html.contains("\"><img"), "attribute break-out in {f}");
    }
    assert!(pages > 10, "{pages} pages checked");
    let inc = lib.read("incidents/2024-03-12-xss/index.html");
    assert!(inc.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "shown as text: {inc}");
}

#[test]
fn hostile_titles_are_escaped_in_the_feed_and_sitemap() {
    let lib = hostile_library();
    lib.build(&[]).assert_code(0);
    let feed = lib.read("feed.xml");
    assert!(!feed.contains("<script>"), "{feed}");
    assert!(feed.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{feed}");
    assert!(!feed.contains("<img"), "{feed}");
    assert_well_formed_xml(&feed);
    assert_well_formed_xml(&lib.read("sitemap.xml"));
}

#[test]
fn hostile_titles_are_valid_json_strings() {
    let lib = hostile_library();
    lib.build(&[]).assert_code(0);
    let inc = lib.json_item("api/incidents.json", "2024-03-12-xss");
    assert_eq!(inc["title"], HOSTILE_TITLE);
    assert_eq!(inc["services"], serde_json::json!([HOSTILE_NAME]));
    let note = lib.json_item("api/notes.json", "xss-note");
    assert_eq!(note["title"], HOSTILE_TITLE);
    let p = lib.json_item("api/patterns.json", "img-src-x-onerror-alert-1");
    assert_eq!(p["title"], HOSTILE_NAME);
    assert_eq!(lib.json_item("api/patterns.json", "bad-factor")["category"], HOSTILE_NAME);
}

#[test]
fn hostile_names_get_safe_ids() {
    let lib = hostile_library();
    lib.build(&[]).assert_code(0);
    for page in [
        "services/img-src-x-onerror-alert-1/index.html",
        "tags/img-src-x-onerror-alert-1/index.html",
        "teams/img-src-x-onerror-alert-1/index.html",
        "patterns/img-src-x-onerror-alert-1/index.html",
    ] {
        assert!(lib.exists(page), "{page}: {:?}", lib.site_files());
    }
}

/// A tiny well-formedness check: tags balance, and `<` only opens tags, comments or the
/// declaration.
fn assert_well_formed_xml(xml: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("unclosed <");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        let name: String =
            tag.trim_start_matches('/').chars().take_while(|c| c.is_alphanumeric() || *c == ':').collect();
        assert!(!name.is_empty(), "a `<` that opens no tag: <{tag}>");
        if tag.starts_with('/') {
            assert_eq!(stack.pop().as_deref(), Some(name.as_str()), "unbalanced </{name}>");
        } else if !tag.ends_with('/') {
            stack.push(name);
        }
        for q in tag.split('"').skip(1).step_by(2) {
            assert!(!q.contains('<'), "`<` inside an attribute: {tag}");
        }
    }
    assert!(stack.is_empty(), "unclosed tags: {stack:?}");
}

#[test]
fn html_in_bodies_passes_through_by_default() {
    let lib = Lib::new(&[(
        "content/notes/n.md",
        "---\ntitle: N\n---\nSome <b>bold</b> text.\n\n<div class=\"note\">Block</div>\n",
    )]);
    lib.build_clean();
    let html = lib.html("notes/n/index.html");
    assert!(html.contains("Some <b>bold</b> text."), "{html}");
    assert!(html.contains("<div class=\"note\">Block</div>"), "{html}");
}

#[test]
fn raw_html_false_escapes_html_in_bodies() {
    let lib = Lib::new(&[
        ("book.toml", "[output.html]\nraw-html = false\n"),
        ("content/notes/n.md", "---\ntitle: N\n---\nSome <b>bold</b> text.\n\n<script>alert(1)</script>\n"),
    ]);
    lib.build_clean();
    let html = lib.read("notes/n/index.html");
    assert!(!html.contains("<b>bold</b>"), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
}

fn alias_bomb() -> String {
    let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let mut prev = 'a';
    for n in "bcdefghi".chars() {
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{n}: &{n} [{refs}]\n"));
        prev = n;
    }
    text
}

#[test]
fn a_yaml_alias_bomb_in_front_matter_is_refused_quickly() {
    let lib = Lib::new(&[
        ("content/notes/ok.md", "# Fine\n\nBody.\n"),
        ("content/incidents/bomb.md", &format!("---\ntitle: Bomb\n{}---\nBody.\n", alias_bomb())),
    ]);
    let run = lib.run_with_timeout(&["build", "."], Duration::from_secs(20));
    run.assert_code(1);
    let errors = run.at_level("error");
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(errors[0].starts_with("content/incidents/bomb.md:"), "{}", errors[0]);
    assert!(errors[0].contains(": error: invalid YAML front matter: "), "{}", errors[0]);
}

#[test]
fn a_yaml_alias_bomb_in_the_factor_registry_is_refused_quickly() {
    let lib = Lib::new(&[("content/notes/ok.md", "# Fine\n\nBody.\n"), ("content/factors.yaml", &alias_bomb())]);
    let run = lib.run_with_timeout(&["check", "."], Duration::from_secs(20));
    run.assert_code(1);
    let errors = run.at_level("error");
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(errors[0].starts_with("content/factors.yaml:"), "{}", errors[0]);
}

#[test]
fn a_yaml_alias_bomb_in_a_header_block_is_refused_or_read_as_text_quickly() {
    let lib = Lib::new(&[("content/notes/bomb.txt", &format!("title: Bomb\n{}\nBody.\n", alias_bomb()))]);
    let run = lib.run_with_timeout(&["build", "."], Duration::from_secs(20));
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn a_large_asset_is_copied_not_refused() {
    let lib = Lib::new(&[("content/incidents/2024-01-01-a.md", "# A\n\n![dump](dump.bin)\n")]);
    lib.write_bytes("content/incidents/dump.bin", &vec![0u8; 11 * 1024 * 1024]);
    lib.build_clean();
    assert_eq!(
        std::fs::metadata(lib.site().join("incidents/2024-01-01-a/dump.bin")).map(|m| m.len()).ok(),
        Some(11 * 1024 * 1024)
    );
}

#[test]
fn dotfiles_and_dot_folders_are_skipped() {
    let lib = Lib::new(&[
        ("content/incidents/2024-01-01-a.md", "# A\n\nBody.\n"),
        ("content/.hidden.md", "---\ntitle: [broken\n"),
        ("content/.git/notes.md", "---\nunclosed\n"),
        ("content/incidents/.DS_Store", "junk"),
    ]);
    lib.build_clean();
    assert!(
        !lib.site_files().iter().any(|f| f.contains(".DS_Store") || f.contains("hidden")),
        "{:?}",
        lib.site_files()
    );
}

#[test]
fn a_build_dir_inside_the_source_folder_is_refused() {
    let lib = Lib::new(&[
        ("book.toml", "[book]\nsrc = \".\"\n[build]\nbuild-dir = \"public\"\n"),
        ("incidents/2024-01-01-a.md", "# A\n\nBody.\n"),
    ]);
    let before = lib.all_files();
    let run = lib.build(&[]);
    run.assert_code(1);
    run.assert_line("book.toml:4:1: error: build-dir `public` lies inside the source folder `.`");
    assert_eq!(before, lib.all_files(), "nothing is written");
}

#[test]
fn nothing_is_written_outside_the_build_dir() {
    let lib = Lib::new(&[
        ("content/incidents/2024-01-01-a.md", "---\ntitle: A\naliases: ['../../escaped', '..']\n---\nBody.\n"),
        ("content/notes/n.md", "---\ntitle: N\nslug: '../../escaped-note'\n---\nBody.\n"),
    ]);
    let before = lib.all_files();
    let run = lib.build(&["--keep-going"]);
    run.assert_code(1);
    let after: Vec<String> =
        lib.all_files().into_iter().filter(|f| !f.starts_with("site/") && f != ".site.lock").collect();
    assert_eq!(before, after, "only site/ changed, beside the lock file");
    let parent = lib.path().parent().expect("parent");
    assert!(!parent.join("escaped").exists() && !parent.join("escaped-note").exists());
}

#[test]
fn raw_html_false_neutralises_javascript_urls() {
    let lib = Lib::new(&[
        ("book.toml", "[output.html]\nraw-html = false\n"),
        (
            "content/notes/n.md",
            "---\ntitle: N\nurl: \"javascript:alert(1)\"\n---\n[click](javascript:alert(2)) and <javascript:alert(3)>\n",
        ),
    ]);
    lib.build(&[]).assert_code(0);
    for f in lib.site_files().into_iter().filter(|f| f.ends_with(".html")) {
        let html = lib.read(&f).to_lowercase();
        assert!(!html.contains("href=\"javascript:"), "{f}: {html}");
    }
}

#[cfg(unix)]
#[test]
fn symlinks_are_reported_not_followed() {
    let lib = Lib::new(&[("content/notes/a.md", "---\ntitle: A\n---\nBody.\n")]);
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.md"), "# Secret\n\nDo not publish.\n").expect("write");
    std::os::unix::fs::symlink(outside.path().join("secret.md"), lib.path().join("content/notes/secret.md"))
        .expect("symlink");
    let run = lib.build(&[]);
    run.assert_code(0);
    run.assert_line("content/notes/secret.md:1:1: warning: symbolic link skipped");
    assert!(!lib.exists("notes/secret/index.html"));
}

#[test]
fn copied_files_share_nothing_with_the_source() {
    let lib = Lib::new(&[
        ("content/incidents/2024-01-01-a.md", "# A\n\n![graph](graph.txt.log)\n"),
        ("content/incidents/2024-01-02-b.md", "# B\n\nBody.\n"),
        ("content/incidents/graph.txt.log", "original\n"),
    ]);
    lib.build(&[]).assert_code(0);
    // Beside every page of the folder, and editing the source in place leaves the site alone.
    assert_eq!(lib.read("incidents/2024-01-01-a/graph.txt.log"), "original\n");
    assert_eq!(lib.read("incidents/2024-01-02-b/graph.txt.log"), "original\n");
    use std::io::Write as _;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(lib.path().join("content/incidents/graph.txt.log"))
        .expect("open source");
    f.write_all(b"edited\n").expect("append");
    assert_eq!(lib.read("incidents/2024-01-01-a/graph.txt.log"), "original\n");
}

#[test]
fn a_percent_sign_before_a_multibyte_character_in_a_link_is_no_panic() {
    let lib = Lib::new(&[("content/notes/n.md", "---\ntitle: N\n---\nSee [x](a%aé.md).\n")]);
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line("content/notes/n.md:4:5: error: broken link `a%aé.md`");
}
