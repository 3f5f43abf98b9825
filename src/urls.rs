//! Where every page lives and how one page links to another. With `pretty-urls` links are
//! `site-url` + path; without, every link is page-relative and ends in `index.html`, so the
//! site can be browsed from disk.

use crate::config::Config;
use crate::model::Kind;

/// The file a folder's URL names when URLs are not pretty.
const INDEX: &str = "index.html";

/// The URL scheme of one build.
#[derive(Debug, Clone)]
pub struct Urls {
    site_url: String,
    pretty: bool,
    base_url: Option<String>,
}

impl Urls {
    /// The scheme a config asks for.
    pub fn new(config: &Config) -> Self {
        Urls { site_url: config.site_url.clone(), pretty: config.pretty_urls, base_url: config.base_url.clone() }
    }

    /// The section a kind of document is published under (`""` for plain pages at the root).
    pub fn section(kind: Kind) -> &'static str {
        match kind {
            Kind::Incident => "incidents",
            Kind::Note => "notes",
            Kind::Page | Kind::PatternText => "",
        }
    }

    /// Site path of a section's document: `incidents/<id>/`.
    pub fn page(section: &str, id: &str) -> String {
        // Joined by hand: a build makes several of these per page, and `format!` costs
        // several times the copying.
        let mut out = String::with_capacity(section.len() + id.len() + 2);
        if !section.is_empty() {
            out.push_str(section);
            out.push('/');
        }
        out.push_str(id);
        out.push('/');
        out
    }

    /// How many folders deep a page at `path` is (`incidents/x/` → 2, `` → 0, `404.html` → 0).
    pub fn depth(path: &str) -> usize {
        path.matches('/').count()
    }

    /// The href from a page `depth` folders deep to site path `to` (`""` is the home page).
    pub fn href(&self, depth: usize, to: &str) -> String {
        // Joined by hand into one string sized once: every link of every page is made here.
        let (path, fragment) = to.split_at(to.find('#').unwrap_or(to.len()));
        let index = !self.pretty && (path.is_empty() || path.ends_with('/'));
        let prefix = if self.pretty { self.site_url.len() } else { 3 * depth };
        let mut out = String::with_capacity(prefix + to.len() + if index { INDEX.len() } else { 0 });
        if self.pretty {
            out.push_str(&self.site_url);
        } else {
            (0..depth).for_each(|_| out.push_str("../"));
        }
        out.push_str(path);
        if index {
            out.push_str(INDEX);
        }
        out.push_str(fragment);
        out
    }

    /// The prefix that turns a site path into an href from a page `depth` deep.
    pub fn root(&self, depth: usize) -> String {
        if self.pretty {
            self.site_url.clone()
        } else if depth == 0 {
            "./".into()
        } else {
            "../".repeat(depth)
        }
    }

    /// The URL a data export gives: `site-url` + path (+ `index.html` without pretty URLs).
    pub fn public(&self, to: &str) -> String {
        let suffix = if !self.pretty && (to.is_empty() || to.ends_with('/')) { "index.html" } else { "" };
        format!("{}{to}{suffix}", self.site_url)
    }

    /// An absolute URL when `base-url` is set, else the public path.
    pub fn absolute(&self, to: &str) -> String {
        match &self.base_url {
            Some(base) => format!("{base}{}", self.public(to)),
            None => self.public(to),
        }
    }

    /// Whether `base-url` is set.
    pub fn has_base(&self) -> bool {
        self.base_url.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn pretty_and_relative() {
        let mut c = Config::defaults(Path::new("."));
        c.site_url = "/docs/".into();
        let u = Urls::new(&c);
        assert_eq!(u.href(2, "notes/a/"), "/docs/notes/a/");
        assert_eq!(u.href(2, "notes/a/#x"), "/docs/notes/a/#x");
        c.pretty_urls = false;
        let u = Urls::new(&c);
        assert_eq!(u.href(2, "notes/a/"), "../../notes/a/index.html");
        assert_eq!(u.href(0, ""), "index.html");
        assert_eq!(u.href(1, "style.css"), "../style.css");
        assert_eq!(u.public("notes/a/"), "/docs/notes/a/index.html");
        assert_eq!(u.href(3, "notes/a/#x#y"), "../../../notes/a/index.html#x#y");
        assert_eq!(u.href(1, "#top"), "../index.html#top");
        assert_eq!(u.href(0, "feed.xml#x"), "feed.xml#x");
        assert_eq!((Urls::page("", "about"), Urls::page("notes", "a")), ("about/".into(), "notes/a/".into()));
    }
}
