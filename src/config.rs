//! `book.toml` → [`Config`]: every key of docs/book-toml.md with mdBook's names; unknown keys are
//! diagnostics that list the valid ones, and mdBook keys casebook does not use are warnings.

mod reader;

use crate::diagnostic::{Diagnostic, Location};
use reader::Ctx;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The library's settings, validated.
#[derive(Debug, Clone)]
pub struct Config {
    /// The library root (the folder holding `book.toml`).
    pub root: PathBuf,
    /// Site title.
    pub title: String,
    /// One-line description.
    pub description: Option<String>,
    /// Authors of the library.
    pub authors: Vec<String>,
    /// `lang` of every page.
    pub language: String,
    /// Where documents live, relative to the root.
    pub src: PathBuf,
    /// Output folder, relative to the root.
    pub build_dir: PathBuf,
    /// Where `build-dir` is set in `book.toml` (its start when it is not), for the diagnostics
    /// about the build dir.
    pub build_dir_at: Location,
    /// Include `status: draft`.
    pub drafts: bool,
    /// Broken links are warnings rather than errors.
    pub broken_links_warn: bool,
    /// Lists longer than this are split into pages.
    pub page_size: usize,
    /// Read fields from a postmortem's own sections when front matter lacks them (docs/content.md#reading-plain-postmortems).
    pub infer: bool,
    /// A theme folder whose files override the embedded theme.
    pub theme: Option<PathBuf>,
    /// Path prefix of the site, always starting and ending with `/`.
    pub site_url: String,
    /// Absolute origin for the feed and sitemap, without a trailing `/`.
    pub base_url: Option<String>,
    /// `false`: every internal link ends in `index.html`.
    pub pretty_urls: bool,
    /// Link to the repository.
    pub git_repository_url: Option<String>,
    /// "Edit this page" URL with `{path}`.
    pub edit_url_template: Option<String>,
    /// Pass HTML in Markdown through.
    pub raw_html: bool,
    /// The zone of timestamps written without an offset: an IANA zone (daylight saving applied
    /// per timestamp), UTC, or a fixed offset.
    pub timezone: jiff::tz::TimeZone,
    /// A factor is recurring from this many incidents on.
    pub recurring: usize,
    /// Allowed severities, most severe first.
    pub severity_levels: Option<Vec<String>>,
    /// casebook field → the repo's own keys that stand for it.
    pub fields: BTreeMap<String, Vec<String>>,
}

impl Config {
    /// The defaults for a library at `root` with no `book.toml`.
    pub fn defaults(root: &Path) -> Self {
        Config {
            root: root.to_path_buf(),
            title: "Incident library".into(),
            description: None,
            authors: Vec::new(),
            language: "en".into(),
            src: PathBuf::from("content"),
            build_dir: PathBuf::from("site"),
            build_dir_at: Location::START,
            drafts: false,
            broken_links_warn: false,
            page_size: 100,
            infer: true,
            theme: None,
            site_url: "/".into(),
            base_url: None,
            pretty_urls: true,
            git_repository_url: None,
            edit_url_template: None,
            raw_html: true,
            timezone: jiff::tz::TimeZone::UTC,
            recurring: 2,
            severity_levels: None,
            fields: BTreeMap::new(),
        }
    }

    /// The source folder as an absolute path.
    pub fn src_dir(&self) -> PathBuf {
        self.root.join(&self.src)
    }

    /// The build folder as an absolute path.
    pub fn build_path(&self) -> PathBuf {
        self.root.join(&self.build_dir)
    }

    /// The build folder's staging folder as an absolute path (see [`staging_path`]).
    pub fn staging_path(&self) -> PathBuf {
        staging_path(&self.build_path())
    }

    /// Reads `root/book.toml` if present. Problems are returned as diagnostics; the config is
    /// always usable (bad values keep their defaults).
    pub fn load(root: &Path) -> anyhow::Result<(Config, Vec<Diagnostic>)> {
        let path = root.join("book.toml");
        let mut config = Config::defaults(root);
        if !path.exists() {
            return Ok((config, Vec::new()));
        }
        let bytes = crate::fs::read(&path)?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut diags = Vec::new();
        config.apply(&text, &mut diags);
        Ok((config, diags))
    }

    /// Applies the text of a `book.toml`.
    pub fn apply(&mut self, text: &str, diags: &mut Vec<Diagnostic>) {
        let table: toml::Table = match text.parse() {
            Ok(t) => t,
            Err(e) => {
                let loc = e.span().map_or(Location::START, |s| Location::of_offset(text, s.start));
                let msg = e.message().trim().to_lowercase();
                diags.push(Diagnostic::error("config-syntax", "book.toml", format!("invalid TOML: {msg}")).at_loc(loc));
                return;
            }
        };
        let mut ctx = Ctx { text, diags };
        for (section, value) in &table {
            match section.as_str() {
                "book" => self.apply_book(&mut ctx, value),
                "build" => self.apply_build(&mut ctx, value),
                "output" => self.apply_output(&mut ctx, value),
                "patterns" => {
                    for (key, v) in ctx.entries("patterns", value) {
                        match key.as_str() {
                            "recurring" => self.recurring = ctx.uint("patterns", &key, v).unwrap_or(2).max(1),
                            _ => ctx.unknown("patterns", &key, &["recurring"], &[]),
                        }
                    }
                }
                "severity" => {
                    for (key, v) in ctx.entries("severity", value) {
                        match key.as_str() {
                            "levels" => self.severity_levels = ctx.strings("severity", &key, v),
                            _ => ctx.unknown("severity", &key, &["levels"], &[]),
                        }
                    }
                }
                "fields" => self.apply_fields(&mut ctx, value),
                "preprocessor" | "rust" | "multilingual" => {
                    let loc = ctx.locate(None, section);
                    ctx.diags.push(
                        Diagnostic::warning(
                            "mdbook-key",
                            "book.toml",
                            format!("`{section}` is an mdBook setting casebook does not use"),
                        )
                        .at_loc(loc),
                    );
                }
                _ => {
                    let loc = ctx.locate(None, section);
                    ctx.diags.push(
                        Diagnostic::error("unknown-config-key", "book.toml", format!("unknown section `[{section}]`"))
                            .at_loc(loc)
                            .help("valid sections are `[book]`, `[build]`, `[output.html]`, `[patterns]`, `[severity]`, `[fields]`"),
                    );
                }
            }
        }
    }

    fn apply_book(&mut self, ctx: &mut Ctx, value: &toml::Value) {
        const KEYS: &[&str] = &["title", "description", "authors", "language", "src"];
        for (key, v) in ctx.entries("book", value) {
            match key.as_str() {
                "title" => self.title = ctx.string("book", &key, v).unwrap_or(self.title.clone()),
                "description" => self.description = ctx.string("book", &key, v),
                "authors" => self.authors = ctx.strings("book", &key, v).unwrap_or_default(),
                "language" => self.language = ctx.string("book", &key, v).unwrap_or(self.language.clone()),
                "src" => {
                    if let Some(s) = ctx.string("book", &key, v) {
                        self.src = PathBuf::from(s);
                    }
                }
                _ => ctx.unknown("book", &key, KEYS, &["multilingual", "text-direction"]),
            }
        }
    }

    fn apply_build(&mut self, ctx: &mut Ctx, value: &toml::Value) {
        const KEYS: &[&str] = &["build-dir", "drafts", "broken-links", "page-size", "infer"];
        for (key, v) in ctx.entries("build", value) {
            match key.as_str() {
                "build-dir" => {
                    if let Some(s) = ctx.string("build", &key, v) {
                        self.build_dir = PathBuf::from(s);
                        self.build_dir_at = ctx.locate(Some("build"), &key);
                    }
                }
                "drafts" => self.drafts = ctx.boolean("build", &key, v).unwrap_or(false),
                "infer" => self.infer = ctx.boolean("build", &key, v).unwrap_or(true),
                "broken-links" => match ctx.string("build", &key, v).as_deref() {
                    Some("error") | None => self.broken_links_warn = false,
                    Some("warn") => self.broken_links_warn = true,
                    Some(other) => ctx.bad_value("build", &key, other, "`error` or `warn`"),
                },
                "page-size" => self.page_size = ctx.uint("build", &key, v).unwrap_or(100).max(1),
                _ => ctx.unknown(
                    "build",
                    &key,
                    KEYS,
                    &["create-missing", "use-default-preprocessors", "extra-watch-dirs"],
                ),
            }
        }
    }

    fn apply_output(&mut self, ctx: &mut Ctx, value: &toml::Value) {
        for (renderer, v) in ctx.entries("output", value) {
            if renderer != "html" {
                let loc = ctx.locate(Some("output"), &renderer);
                ctx.diags.push(
                    Diagnostic::warning(
                        "mdbook-key",
                        "book.toml",
                        format!("`[output.{renderer}]` is an mdBook setting casebook does not use"),
                    )
                    .at_loc(loc),
                );
                continue;
            }
            self.apply_html(ctx, &v);
        }
    }

    fn apply_html(&mut self, ctx: &mut Ctx, value: &toml::Value) {
        const S: &str = "output.html";
        const KEYS: &[&str] = &[
            "theme",
            "site-url",
            "base-url",
            "pretty-urls",
            "git-repository-url",
            "edit-url-template",
            "raw-html",
            "timezone",
        ];
        const MDBOOK: &[&str] = &[
            "default-theme",
            "preferred-dark-theme",
            "curly-quotes",
            "smart-punctuation",
            "mathjax-support",
            "copy-fonts",
            "additional-css",
            "additional-js",
            "no-section-label",
            "git-repository-icon",
            "input-404",
            "cname",
            "live-reload-endpoint",
            "redirect",
            "fold",
            "playground",
            "search",
            "print",
            "code",
            "hash-files",
            "sidebar-header-nav",
        ];
        for (key, v) in ctx.entries(S, value) {
            match key.as_str() {
                "theme" => self.theme = ctx.string(S, &key, v).map(PathBuf::from),
                "site-url" => {
                    if let Some(s) = ctx.string(S, &key, v) {
                        self.site_url = normalise_site_url(&s);
                    }
                }
                "base-url" => self.base_url = ctx.url(S, &key, v).map(|s| s.trim_end_matches('/').to_string()),
                "pretty-urls" => self.pretty_urls = ctx.boolean(S, &key, v).unwrap_or(true),
                "git-repository-url" => self.git_repository_url = ctx.url(S, &key, v),
                "edit-url-template" => self.edit_url_template = ctx.url(S, &key, v),
                "raw-html" => self.raw_html = ctx.boolean(S, &key, v).unwrap_or(true),
                "timezone" => {
                    if let Some(s) = ctx.string(S, &key, v) {
                        match parse_timezone(&s) {
                            Some(zone) => self.timezone = zone,
                            None => ctx.bad_value(
                                S,
                                &key,
                                &s,
                                "an IANA zone like `Europe/Copenhagen`, `UTC`, or a fixed offset like `+01:00`",
                            ),
                        }
                    }
                }
                _ => ctx.unknown(S, &key, KEYS, MDBOOK),
            }
        }
    }

    fn apply_fields(&mut self, ctx: &mut Ctx, value: &toml::Value) {
        for (key, v) in ctx.entries("fields", value) {
            if !FIELD_NAMES.contains(&key.as_str()) {
                ctx.unknown("fields", &key, FIELD_NAMES, &[]);
                continue;
            }
            if let Some(list) = ctx.strings("fields", &key, v) {
                self.fields.insert(key.clone(), list);
            }
        }
    }
}

/// casebook's field names, as `[fields]` in book.toml may name them (the model reads the same
/// names from front matter).
pub const FIELD_NAMES: &[&str] = &[
    "title",
    "date",
    "summary",
    "status",
    "severity",
    "services",
    "teams",
    "tags",
    "authors",
    "factors",
    "times",
    "times.started",
    "times.detected",
    "times.acknowledged",
    "times.mitigated",
    "times.resolved",
    "durations",
    "detection",
    "trigger",
    "impact",
    "action_items",
    "related",
    "aliases",
    "source",
    "slug",
    "type",
    "kind",
    "published",
    "url",
    "incidents",
];

/// The staging folder of the build dir `build`: `.NAME.staging` beside it (docs/build.md).
/// Named here, where the build dir is configured, because the walk and the watcher skip it
/// while only `output` writes it.
pub fn staging_path(build: &Path) -> PathBuf {
    build.with_file_name(format!(".{}.staging", build_name(build)))
}

/// The lock file of the build dir `build`: `.NAME.lock` beside it (docs/build.md).
pub fn lock_path(build: &Path) -> PathBuf {
    build.with_file_name(format!(".{}.lock", build_name(build)))
}

/// The build dir's folder name, `site` for a path that has none.
fn build_name(build: &Path) -> String {
    build.file_name().map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned())
}

/// `"docs"` → `"/docs/"`, `""` → `"/"`.
fn normalise_site_url(s: &str) -> String {
    let trimmed = s.trim().trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

/// `UTC`, `Z`, `±HH:MM` or an IANA zone name (`Europe/Copenhagen`) → the zone. IANA zones come
/// from the time-zone database built into casebook, so a site builds the same on every machine.
pub fn parse_timezone(s: &str) -> Option<jiff::tz::TimeZone> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("utc") || s == "Z" {
        return Some(jiff::tz::TimeZone::UTC);
    }
    let Some((sign, rest)) = s.strip_prefix('+').map(|r| (1, r)).or_else(|| s.strip_prefix('-').map(|r| (-1, r)))
    else {
        return jiff::tz::db().get(s).ok();
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 14 || m >= 60 {
        return None;
    }
    let offset = jiff::tz::Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()?;
    Some(jiff::tz::TimeZone::fixed(offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> (Config, Vec<Diagnostic>) {
        let mut c = Config::defaults(Path::new("."));
        let mut d = Vec::new();
        c.apply(text, &mut d);
        (c, d)
    }

    #[test]
    fn timezones_are_utc_offsets_or_iana_names() {
        let at = |zone: &str, stamp: &str| {
            let tz = parse_timezone(zone).unwrap_or_else(|| panic!("{zone}"));
            let ts: jiff::Timestamp = stamp.parse().expect("a timestamp");
            tz.to_offset(ts).seconds() / 60
        };
        assert_eq!(at("UTC", "2024-07-01T12:00:00Z"), 0);
        assert_eq!(at("-05:00", "2024-07-01T12:00:00Z"), -300);
        assert_eq!(at("+05:45", "2024-07-01T12:00:00Z"), 345);
        assert_eq!(at("Europe/Copenhagen", "2024-01-15T12:00:00Z"), 60, "CET in winter");
        assert_eq!(at("Europe/Copenhagen", "2024-07-15T12:00:00Z"), 120, "CEST in summer");
        assert_eq!(at("America/New_York", "2024-07-15T12:00:00Z"), -240);
        for bad in ["Mars/Olympus", "+25:00", "+01:75", "", "CET+1"] {
            assert!(parse_timezone(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn reads_known_keys() {
        let (c, d) = load(
            "[book]\ntitle = \"T\"\n[build]\nbuild-dir = \"out\"\n[output.html]\nsite-url = \"docs\"\ntimezone = \"+01:30\"\n[fields]\nfactors = [\"categories\"]\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.title, "T");
        assert_eq!(c.build_dir, PathBuf::from("out"));
        assert_eq!(c.site_url, "/docs/");
        assert_eq!(c.timezone, jiff::tz::TimeZone::fixed(jiff::tz::offset(1) + jiff::SignedDuration::from_mins(30)));
        assert_eq!(c.fields["factors"], vec!["categories".to_string()]);
    }

    #[test]
    fn unknown_key_is_an_error_at_its_line_naming_valid_keys() {
        let (_, d) = load("[book]\ntitle = \"T\"\ntitel = \"x\"\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].headline(), "book.toml:3:1: error: unknown key `titel` in `[book]`");
        assert!(d[0].help.iter().any(|h| h.contains("`title`")));
    }

    #[test]
    fn urls_of_other_schemes_are_errors_naming_the_key() {
        let (c, d) = load(
            "[output.html]\nbase-url = \"https://x.org/\"\ngit-repository-url = \"/repo\"\nedit-url-template = \" JavaScript:alert(1)//{path}\"\n",
        );
        let lines: Vec<String> = d.iter().map(|d| d.headline()).collect();
        assert_eq!(lines, ["book.toml:4:1: error: `edit-url-template` may not use scheme `javascript:`"]);
        assert_eq!(d[0].help.len(), 1);
        assert_eq!((c.base_url.as_deref(), c.git_repository_url.as_deref()), (Some("https://x.org"), Some("/repo")));
        assert_eq!(c.edit_url_template, None);
        for (key, value) in [("base-url", "data:text/html,x"), ("git-repository-url", "file:///home/x")] {
            let (_, d) = load(&format!("[output.html]\n{key} = \"{value}\"\n"));
            assert_eq!(d.len(), 1, "{key}");
            assert!(d[0].headline().contains(&format!("`{key}` may not use scheme")), "{:?}", d[0].headline());
        }
    }

    #[test]
    fn mdbook_keys_are_warnings() {
        let (_, d) = load("[output.html]\ndefault-theme = \"ayu\"\n[preprocessor.links]\n[output.pdf]\n");
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(d.iter().all(|d| d.level == crate::diagnostic::Level::Warning));
    }
}
