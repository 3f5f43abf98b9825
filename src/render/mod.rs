//! Model + analysis → pages (tera). Pages are rendered in parallel and handed to a [`Sink`] one
//! at a time, so the whole site is never held in memory. Views are plain data; dates and
//! numbers are formatted here, not in templates.

mod actions_page;
mod charts;
mod data;
mod doc_views;
mod export;
mod feed;
mod format;
mod group_page;
mod lists;
mod native;
mod pages;
mod pattern_page;
mod recurring_page;
mod search_page;
mod selection;
mod table;
mod trends_page;
mod views;

pub use actions_page::ActionChunks;
pub use data::{pattern_json, JsonItems};
pub use selection::Selection;
pub use table::pattern_table;

use crate::analysis::Analysis;
use crate::config::Config;
use crate::model::Library;
use crate::sink::Sink;
use crate::theme::Theme;
use crate::urls::Urls;
use anyhow::{Context as _, Result};
use serde::Serialize;
use views::{Builder, Link};

/// What every page knows about the site.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    lang: &'a str,
    home: String,
    root: String,
    css: String,
    syntax_css: String,
    /// The theme's icon (SVG, drawn for light and dark).
    icon: String,
    feed: String,
    /// The search page and the search script, for the header's search box.
    search: String,
    search_js: String,
    nav: Vec<Link>,
    links: std::collections::BTreeMap<&'static str, String>,
    repository: Option<&'a str>,
}

#[derive(Serialize)]
struct PageContext<'a, T: Serialize> {
    site: &'a SiteView<'a>,
    title: &'a str,
    active: &'a str,
    page: T,
}

/// Renders pages of one site.
pub struct Renderer<'a> {
    tera: std::sync::Arc<tera::Tera>,
    config: &'a Config,
    b: Builder<'a>,
    sites: Vec<SiteView<'a>>,
    json_items: Option<&'a JsonItems>,
    /// The `/actions/` row chunks of the last render (`serve`).
    action_chunks: Option<&'a ActionChunks>,
    /// Which document pages skip Tera (the theme leaves their templates as embedded).
    native: native::Native,
}

/// The deepest page (`incidents/page/2/`) is three folders down.
const MAX_DEPTH: usize = 4;

impl<'a> Renderer<'a> {
    /// Prepares templates and shared data.
    /// `templates` keeps the parsed templates between renders (`serve`); without it they are
    /// parsed for this render alone.
    pub fn new(
        config: &'a Config,
        lib: &'a Library,
        an: &'a Analysis,
        urls: &'a Urls,
        theme: &Theme,
        templates: Option<&Templates>,
    ) -> Result<Self> {
        let tera = match templates {
            Some(kept) => kept.parsed(theme)?,
            None => std::sync::Arc::new(parse_templates(theme)?),
        };
        let rows = (0..=MAX_DEPTH).map(|_| lib.incidents.iter().map(|_| Default::default()).collect()).collect();
        let b = Builder { lib, an, urls, severities: severities(config, lib), quarters: quarters(lib, an), rows };
        let sites = (0..=MAX_DEPTH).map(|d| site_view(config, lib, urls, d, !an.problems.is_empty())).collect();
        Ok(Renderer {
            tera,
            config,
            b,
            sites,
            json_items: None,
            action_chunks: None,
            native: native::Native::new(theme),
        })
    }

    /// Takes the items of `api/incidents.json` that `items` holds instead of printing them
    /// again, and adds the ones it prints.
    pub fn reusing(mut self, items: Option<&'a JsonItems>) -> Self {
        self.json_items = items;
        self
    }

    /// Takes the `/actions/` row chunks that `chunks` holds instead of rendering them again, and
    /// adds the ones it renders.
    pub fn reusing_actions(mut self, chunks: Option<&'a ActionChunks>) -> Self {
        self.action_chunks = chunks;
        self
    }

    /// What the pages at `path` know about the site.
    fn site(&self, path: &str) -> &SiteView<'a> {
        &self.sites[Urls::depth(path).min(MAX_DEPTH)]
    }

    /// Renders one page with `template`.
    fn page<T: Serialize>(&self, path: &str, template: &str, title: &str, active: &str, page: T) -> Result<Vec<u8>> {
        let ctx = PageContext { site: self.site(path), title, active, page };
        let ctx = tera::Context::from_serialize(&ctx).context("page data")?;
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| anyhow::anyhow!("rendering `{path}` with `{template}`: {}", tera_error(&e)))?;
        Ok(html.into_bytes())
    }

    /// Renders and stores every page, feed and data file.
    pub fn render_all(&self, sink: &dyn Sink) -> Result<()> {
        self.render(sink, &Selection::everything())
    }

    /// Renders and stores the selected pages, and every index page, feed and data file (but
    /// `/trends/` and `/actions/` only when selected).
    ///
    /// The document pages (most of the work, split finely) are rendered on this thread while
    /// the other jobs wait to be taken by idle threads, longest first (on 10,000 incidents: data
    /// files, actions, patterns, groups, lists), so no long job is left running alone at the end.
    pub fn render(&self, sink: &dyn Sink, sel: &Selection) -> Result<()> {
        let documents: Job = &|s| self.document_pages(s, sel);
        let jobs: [Job; 8] = [
            &|s| self.data_files(s),
            &|s| if sel.actions_page() { self.actions_page(s) } else { Ok(()) },
            &|s| self.pattern_pages(s, sel),
            &|s| self.group_pages(s, sel),
            &|s| self.list_pages(s, sel),
            &|s| if sel.trends_page() { self.trends_page(s) } else { Ok(()) },
            &|s| self.search_page(s),
            &|s| self.recurring_page(s),
        ];
        let timed = crate::switches::Switches::get().timings;
        let failed = std::sync::Mutex::new(None);
        let run = |i: usize, job: Job| {
            let t = std::time::Instant::now();
            if let Err(e) = job(sink) {
                failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get_or_insert(e);
            }
            if timed {
                eprintln!("render job {i}: {} ms", t.elapsed().as_millis());
            }
        };
        rayon::scope(|scope| {
            // Taken oldest first by other threads; this thread takes them (newest first) only
            // when the document pages are done.
            for (i, job) in jobs.into_iter().enumerate() {
                scope.spawn(move |_| run(i + 1, job));
            }
            run(0, documents);
        });
        match failed.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// One independent part of the site, run in parallel with the others.
type Job<'s> = &'s (dyn Fn(&dyn Sink) -> Result<()> + Sync);

/// The theme's templates as last parsed, kept by `serve` between rebuilds: reused while the
/// templates stay the same, so a rebuild does not parse them again (a few milliseconds each
/// time) unless the theme changed.
#[derive(Default)]
pub struct Templates {
    last: std::sync::Mutex<Option<Parsed>>,
}

/// Templates (name, source) and their parse.
type Parsed = (Vec<(String, String)>, std::sync::Arc<tera::Tera>);

impl Templates {
    /// The parsed templates of `theme`: the last parse when its templates are the same.
    fn parsed(&self, theme: &Theme) -> Result<std::sync::Arc<tera::Tera>> {
        let mut last = self.last.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, tera)) = last.as_ref().filter(|(templates, _)| *templates == theme.templates) {
            return Ok(tera.clone());
        }
        let tera = std::sync::Arc::new(parse_templates(theme)?);
        *last = Some((theme.templates.clone(), tera.clone()));
        Ok(tera)
    }
}

/// Parses the theme's templates.
fn parse_templates(theme: &Theme) -> Result<tera::Tera> {
    let mut tera = tera::Tera::default();
    tera.add_raw_templates(theme.templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| anyhow::anyhow!("theme templates: {}", tera_error(&e)))?;
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's own escaping also rewrites `/` as `&#x2F;`, bloating every URL; `& < > " '`
    // is what HTML text and quoted attributes need.
    tera.set_escape_fn(crate::markdown::escape);
    Ok(tera)
}

/// Tera hides the useful part of an error in its source chain.
fn tera_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

fn site_view<'a>(config: &'a Config, lib: &Library, urls: &Urls, depth: usize, problems: bool) -> SiteView<'a> {
    // The header links only the sections the library has: incidents, their trends and their
    // action items only when there are incidents (docs/notes.md).
    let has_incidents = !lib.incidents.is_empty();
    let sections = [
        ("incidents/", "Incidents", has_incidents),
        ("patterns/", "Patterns", true),
        ("recurring/", "Recurring", problems),
        ("trends/", "Trends", has_incidents),
        ("actions/", "Actions", has_incidents),
        ("notes/", "Notes", true),
        ("services/", "Services", true),
    ];
    let mut nav: Vec<Link> = sections
        .into_iter()
        .filter(|(_, _, has)| *has)
        .map(|(path, label, _)| Link { href: urls.href(depth, path), label: label.into() })
        .collect();
    for id in ["start-here", "about"] {
        if let Some(p) = lib.pages.iter().find(|p| p.id == id) {
            nav.push(Link { href: urls.href(depth, &Urls::page("", id)), label: p.title.clone() });
        }
    }
    SiteView {
        title: &config.title,
        description: config.description.as_deref(),
        lang: &config.language,
        home: urls.href(depth, ""),
        root: urls.root(depth),
        css: urls.href(depth, "style.css"),
        syntax_css: urls.href(depth, "syntax.css"),
        icon: urls.href(depth, "icon.svg"),
        feed: urls.href(depth, "feed.xml"),
        search: urls.href(depth, "search/"),
        search_js: urls.href(depth, "search.js"),
        nav,
        links: ["incidents", "notes", "patterns", "services", "teams", "tags"]
            .into_iter()
            .map(|s| (s, urls.href(depth, &format!("{s}/"))))
            .collect(),
        repository: config.git_repository_url.as_deref(),
    }
}

/// Severities most severe first: the configured levels, else every value seen, sorted naturally
/// (`SEV2` before `SEV10`). The search filters list them in the same order.
pub(crate) fn severities(config: &Config, lib: &Library) -> Vec<String> {
    if let Some(levels) = &config.severity_levels {
        return levels.clone();
    }
    let mut seen: Vec<String> = lib.incidents.iter().filter_map(|i| i.severity.clone()).collect();
    seen.sort_by(|a, b| format::natural(a, b));
    seen.dedup();
    seen
}

/// Every quarter from the first dated incident to the reference date.
fn quarters(lib: &Library, an: &Analysis) -> Vec<(i32, u32)> {
    let first = lib.incidents.iter().filter_map(|i| i.doc.date).min();
    match (first, an.reference) {
        (Some(f), Some(r)) if f <= r => charts::quarter_range((f.year, f.quarter()), (r.year, r.quarter())),
        _ => Vec::new(),
    }
}

/// The site path of a page's file: `incidents/x/` → `incidents/x/index.html`.
fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_templates_are_parsed_again_only_when_they_change() {
        let kept = Templates::default();
        let mut theme = Theme::load(None).expect("embedded theme");
        let first = kept.parsed(&theme).expect("parse");
        assert!(std::sync::Arc::ptr_eq(&first, &kept.parsed(&theme).expect("parse")), "the same templates");
        theme.templates[0].1.push_str("\n<!-- edited -->");
        assert!(!std::sync::Arc::ptr_eq(&first, &kept.parsed(&theme).expect("parse")), "an edited template");
    }
}
