//! The XML files of a site: the Atom feed of the newest incidents and notes (`feed.xml`) and
//! the sitemap (`sitemap.xml`). Text is escaped for XML, with the characters XML forbids dropped.

use super::Renderer;
use crate::model::{Date, Doc};
use crate::urls::Urls;
use std::fmt::Write as _;

/// How many entries the feed holds.
const FEED_ENTRIES: usize = 50;

impl Renderer<'_> {
    /// `feed.xml`: the newest incidents and notes as an Atom feed.
    pub(super) fn feed(&self) -> String {
        let b = &self.b;
        let urls = b.urls;
        let mut entries: Vec<FeedEntry> = b
            .lib
            .incidents
            .iter()
            .map(|i| FeedEntry {
                doc: &i.doc,
                path: Urls::page("incidents", &i.doc.id),
                severity: i.severity.as_deref(),
            })
            .chain(b.lib.notes.iter().map(|n| FeedEntry {
                doc: &n.doc,
                path: Urls::page("notes", &n.doc.id),
                severity: None,
            }))
            .collect();
        entries.sort_by(|a, c| c.doc.date.cmp(&a.doc.date).then_with(|| a.path.cmp(&c.path)));
        entries.truncate(FEED_ENTRIES);
        let updated =
            entries.iter().filter_map(|e| e.doc.date).max().map_or_else(|| "1970-01-01T00:00:00Z".to_string(), stamp);
        let mut x =
            String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        let _ = writeln!(x, "  <title>{}</title>", xml(&self.config.title));
        if let Some(d) = &self.config.description {
            let _ = writeln!(x, "  <subtitle>{}</subtitle>", xml(d));
        }
        let _ = writeln!(x, "  <link href=\"{}\"/>", xml(&urls.absolute("")));
        let _ = writeln!(x, "  <link rel=\"self\" href=\"{}\"/>", xml(&urls.absolute("feed.xml")));
        let _ = writeln!(x, "  <id>{}</id>", xml(&feed_id(urls, "")));
        let _ = writeln!(x, "  <updated>{updated}</updated>");
        let _ = writeln!(x, "  <generator>casebook</generator>");
        // Atom asks for an author of every entry: the book's authors stand in for a
        // document's own, and the title for both.
        let book_authors =
            if self.config.authors.is_empty() { vec![self.config.title.clone()] } else { self.config.authors.clone() };
        push_authors(&mut x, "  ", &book_authors);
        for FeedEntry { doc, path, severity } in entries {
            let when = doc.date.map_or_else(|| updated.clone(), stamp);
            let title = match severity {
                Some(s) => format!("[{s}] {}", doc.title),
                None => doc.title.clone(),
            };
            let _ = writeln!(x, "  <entry>\n    <title>{}</title>", xml(&title));
            let _ = writeln!(x, "    <link href=\"{}\"/>", xml(&urls.absolute(&path)));
            let _ = writeln!(x, "    <id>{}</id>\n    <updated>{when}</updated>", xml(&feed_id(urls, &path)));
            push_authors(&mut x, "    ", &doc.authors);
            if let Some(s) = &doc.summary {
                let _ = writeln!(x, "    <summary>{}</summary>", xml(s));
            }
            x.push_str("  </entry>\n");
        }
        x.push_str("</feed>\n");
        x
    }

    /// The site paths `sitemap.xml` lists.
    pub(super) fn sitemap_paths(&self) -> Vec<String> {
        let b = &self.b;
        let mut paths: Vec<String> = [
            "",
            "incidents/",
            "notes/",
            "patterns/",
            "recurring/",
            "trends/",
            "actions/",
            "services/",
            "teams/",
            "tags/",
        ]
        .map(String::from)
        .to_vec();
        paths.extend(b.lib.incidents.iter().map(|i| Urls::page("incidents", &i.doc.id)));
        paths.extend(b.lib.notes.iter().map(|n| Urls::page("notes", &n.doc.id)));
        paths.extend(b.lib.pages.iter().map(|p| Urls::page("", &p.id)));
        paths.extend(b.an.patterns.iter().map(|p| Urls::page("patterns", &p.id)));
        for (section, groups) in [("services", &b.an.services), ("teams", &b.an.teams), ("tags", &b.an.tags)] {
            paths.extend(groups.iter().map(|g| Urls::page(section, &g.id)));
        }
        paths
    }

    /// `sitemap.xml` of `paths`.
    pub(super) fn sitemap(&self, paths: &[String]) -> String {
        let b = &self.b;
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for p in paths {
            let _ = writeln!(x, "  <url><loc>{}</loc></url>", xml(&b.urls.absolute(p)));
        }
        x.push_str("</urlset>\n");
        x
    }
}

/// One incident or note in the feed.
struct FeedEntry<'a> {
    doc: &'a Doc,
    path: String,
    severity: Option<&'a str>,
}

/// One Atom `<author>` per name, at `indent`.
fn push_authors(x: &mut String, indent: &str, names: &[String]) {
    for name in names {
        let _ = writeln!(x, "{indent}<author><name>{}</name></author>", xml(name));
    }
}

fn stamp(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

/// A stable entry id: the absolute URL when `base-url` is set, else a tag URI of the path.
fn feed_id(urls: &Urls, path: &str) -> String {
    if urls.has_base() {
        urls.absolute(path)
    } else {
        format!("urn:casebook:{}", urls.public(path))
    }
}

/// Escapes text for XML, dropping the characters XML 1.0 forbids (control characters other
/// than tab and line breaks, U+FFFE, U+FFFF): one of them in a title would make the whole feed
/// unreadable to every feed reader.
fn xml(s: &str) -> String {
    if !s.chars().any(xml_forbids) {
        return crate::markdown::escape(s);
    }
    let kept: String = s.chars().filter(|&c| !xml_forbids(c)).collect();
    crate::markdown::escape(&kept)
}

/// Whether XML forbids `c` in a document. C1 controls and DEL are allowed by XML 1.0 but
/// "discouraged"; they are dropped too, since no title means them.
fn xml_forbids(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}
