//! The guide holds together: every relative link in README.md, ARCHITECTURE.md and docs/*.md
//! reaches a file that exists and, with a `#fragment`, a heading of that page; and docs/README.md,
//! the guide's table of contents, links every page under docs/.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Pages the guide links that other work in progress writes. While one is absent, links to it
/// are not checked; once it exists, they are checked like any other.
const WRITTEN_ELSEWHERE: &[&str] =
    &["docs/build.md", "docs/serve.md", "docs/similar.md", "docs/suggest.md", "docs/notes.md"];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The Markdown pages of the guide, as repository-relative paths.
fn pages() -> Vec<String> {
    let mut pages = vec!["README.md".to_string(), "ARCHITECTURE.md".to_string()];
    let mut docs: Vec<String> = std::fs::read_dir(repo().join("docs"))
        .expect("docs/")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|name| name.ends_with(".md"))
        .map(|name| format!("docs/{name}"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// The text outside fenced code blocks and inline code spans, where links are links; lines
/// of code are left empty, so line numbers still hold.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            out.extend(line.split('`').step_by(2).flat_map(|part| [part, " "]));
        }
        out.push('\n');
    }
    out
}

/// `](target)` links, each with its line.
fn links(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in prose(text).lines().enumerate() {
        for (at, _) in line.match_indices("](") {
            let rest = &line[at + 2..];
            if let Some(end) = rest.find(')') {
                found.push((n + 1, rest[..end].to_string()));
            }
        }
    }
    found
}

/// A heading's anchor as GitHub makes it: lower-cased, punctuation dropped, spaces as `-`.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == ' ' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(text: &str) -> BTreeSet<String> {
    let mut fenced = false;
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            out.insert(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

/// `docs/../README.md` → `README.md`.
fn normalise(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in path.iter().map(|p| p.to_string_lossy().into_owned()) {
        match part.as_str() {
            "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

#[test]
fn every_link_of_the_guide_reaches_a_page_and_a_heading() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let text = read(&page);
        for (line, link) in links(&text) {
            if link.contains("://") || link.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if path.is_empty() {
                page.clone()
            } else {
                normalise(&Path::new(&page).parent().unwrap_or(Path::new("")).join(path))
            };
            let exists = repo().join(&target).exists();
            if !exists && WRITTEN_ELSEWHERE.contains(&target.as_str()) {
                continue;
            }
            checked += 1;
            if !exists {
                problems.push(format!("{page}:{line}: `{link}`: no file {target}"));
            } else if !fragment.is_empty() && target.ends_with(".md") && !anchors(&read(&target)).contains(fragment) {
                problems.push(format!("{page}:{line}: `{link}`: no heading `#{fragment}` in {target}"));
            }
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_table_of_contents_links_every_page_of_the_guide() {
    let toc: BTreeSet<String> = links(&read("docs/README.md")).into_iter().map(|(_, l)| l).collect();
    let missing: Vec<String> = pages()
        .into_iter()
        .filter_map(|p| p.strip_prefix("docs/").map(str::to_string))
        .filter(|p| p != "README.md" && !toc.contains(p))
        .collect();
    assert!(missing.is_empty(), "docs/README.md does not link {missing:?}");
}

#[test]
fn anchors_and_links_are_read_as_github_reads_them() {
    assert_eq!(anchor(" `[output.html]`"), "outputhtml");
    assert_eq!(anchor(" Feed, sitemap and not found"), "feed-sitemap-and-not-found");
    let text = "See [a](a.md#x) and `[not](b.md)`.\n```\n[no](c.md)\n```\n[yes](d.md)\n";
    assert_eq!(links(text), vec![(1, "a.md#x".to_string()), (5, "d.md".to_string())]);
    assert_eq!(normalise(Path::new("docs/../README.md")), "README.md");
}
