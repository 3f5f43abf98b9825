//! Problems found in a user's library, each with a location: collected, sorted and printed.
//!
//! The first line of every diagnostic is `path:line:column: level: message` (docs/diagnostics.md), the line
//! tools parse. On a terminal the offending source line and a caret follow; `= help:` lines
//! always follow, indented, so they never confuse a parser that reads first lines.

pub mod codes;

use std::fmt::Write as _;
use std::path::Path;

/// How serious a diagnostic is. `Severity` belongs to incidents, so this is a `Level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Stops the build (unless `--keep-going`).
    Error,
    /// Reported; the build goes on and exits 0.
    Warning,
    /// What casebook inferred, shown under `--verbose`.
    Note,
}

impl Level {
    /// The word printed for this level.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        }
    }
}

/// One problem at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the library root, with `/` separators.
    pub path: String,
    /// 1-based line in the file itself.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// How serious it is.
    pub level: Level,
    /// A stable kebab-case name for this kind of problem.
    pub code: &'static str,
    /// Lower-case message, the bad value in backticks.
    pub message: String,
    /// Hints on how to fix it.
    pub help: Vec<String>,
}

impl Diagnostic {
    /// An error for a whole file (reported at 1:1 until [`Diagnostic::at`] moves it).
    pub fn error(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Level::Error, code, path, message)
    }

    /// A warning for a whole file.
    pub fn warning(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Level::Warning, code, path, message)
    }

    /// A note: something casebook inferred.
    pub fn note(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Level::Note, code, path, message)
    }

    fn new(level: Level, code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { path: path.into(), line: 1, column: 1, level, code, message: message.into(), help: Vec::new() }
    }

    /// Places the diagnostic at a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line.max(1);
        self.column = column.max(1);
        self
    }

    /// Places the diagnostic at a [`Location`].
    pub fn at_loc(self, loc: Location) -> Self {
        self.at(loc.line, loc.column)
    }

    /// Adds a help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    /// Downgrades an error to a warning (e.g. `broken-links = "warn"`).
    pub fn downgraded(mut self, warn: bool) -> Self {
        if warn && self.level == Level::Error {
            self.level = Level::Warning;
        }
        self
    }

    /// The first line: `path:line:column: level: message`.
    pub fn headline(&self) -> String {
        format!("{}:{}:{}: {}: {}", self.path, self.line, self.column, self.level.as_str(), self.message)
    }

    /// One JSON object (docs/diagnostics.md `--format json`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "level": self.level.as_str(),
            "code": self.code,
            "message": self.message,
            "help": self.help.join("\n"),
        })
    }

    /// The full human rendering. `source` is the file's text when a caret should be drawn.
    pub fn render(&self, source: Option<&str>, color: bool) -> String {
        use anstyle::{AnsiColor, Style};
        // Plain styles print nothing, so one format serves both.
        let on = |style: Style| if color { style } else { Style::new() };
        let (bold, red, yellow, blue) = (
            on(Style::new().bold()),
            on(AnsiColor::Red.on_default()),
            on(AnsiColor::Yellow.on_default()),
            on(AnsiColor::Blue.on_default()),
        );
        let reset = if color { anstyle::Reset.render().to_string() } else { String::new() };
        let tint = match self.level {
            Level::Error => red,
            Level::Warning => yellow,
            Level::Note => blue,
        };
        let mut out = format!(
            "{bold}{}:{}:{}:{reset} {bold}{tint}{}{reset}{bold}: {}{reset}\n",
            self.path,
            self.line,
            self.column,
            self.level.as_str(),
            self.message
        );
        if let Some(text) = source.and_then(|s| s.lines().nth(self.line - 1)) {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let text = text.trim_end_matches('\r');
            let caret_pad: String =
                text.chars().take(self.column - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            let width = caret_width(text, self.column);
            let _ = writeln!(out, "{blue}{pad} |{reset}");
            let _ = writeln!(out, "{blue}{num} |{reset} {text}");
            let _ = writeln!(out, "{blue}{pad} |{reset} {caret_pad}{tint}{}{reset}", "^".repeat(width));
        }
        for help in &self.help {
            let _ = writeln!(out, "  {blue}= help:{reset} {help}");
        }
        out
    }
}

/// The caret spans the token at `column`: up to the next space or the end of the line.
fn caret_width(line: &str, column: usize) -> usize {
    let rest: String = line.chars().skip(column - 1).collect();
    let rest = rest.trim_end();
    let word = rest.split(|c: char| c.is_whitespace()).next().unwrap_or("");
    word.chars().count().max(1)
}

/// A 1-based line and column in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord, Hash)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
}

impl Location {
    /// The start of a file.
    pub const START: Location = Location { line: 1, column: 1 };

    /// A location from a line and a column.
    pub fn new(line: usize, column: usize) -> Self {
        Location { line, column }
    }

    /// The location of byte `offset` in `text`, counting columns in characters.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Location { line, column: before[line_start..].chars().count() + 1 }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Every diagnostic of one run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Report {
    items: Vec<Diagnostic>,
}

impl Report {
    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// Sorts by path, line, column, then level, and drops exact repeats.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.level, &a.message).cmp(&(&b.path, b.line, b.column, b.level, &b.message))
        });
        self.items.dedup();
    }

    /// All diagnostics.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// How many of this level.
    pub fn count(&self, level: Level) -> usize {
        self.items.iter().filter(|d| d.level == level).count()
    }

    /// Whether any error was reported.
    pub fn has_errors(&self) -> bool {
        self.count(Level::Error) > 0
    }

    /// Renders every diagnostic for a person. Notes appear only when `verbose`.
    pub fn render_human(&self, root: &Path, verbose: bool, snippets: bool, color: bool) -> String {
        let mut out = String::new();
        let mut cache: Option<(String, Option<String>)> = None;
        for d in &self.items {
            if d.level == Level::Note && !verbose {
                continue;
            }
            let source = if snippets {
                if cache.as_ref().map(|(p, _)| p != &d.path).unwrap_or(true) {
                    cache = Some((d.path.clone(), std::fs::read_to_string(root.join(&d.path)).ok()));
                }
                cache.as_ref().and_then(|(_, s)| s.as_deref())
            } else {
                None
            };
            out.push_str(&d.render(source, color));
        }
        out
    }
}

/// The candidate within two edits of `word` (and close relative to its length), if any: the
/// "did you mean" of a misspelt key, value or id.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, _)| *d > 0 && *d <= 2 && d * 3 <= len)
        .min()
        .map(|(_, c)| c)
}

/// Like [`did_you_mean`], but also accepts a candidate that contains the word or is contained in it.
pub fn did_you_mean_loose<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> Option<&'a str> {
    did_you_mean(word, candidates.clone()).or_else(|| {
        candidates
            .into_iter()
            .filter(|c| word.len() >= 4 && (c.contains(word) || word.contains(c) && c.len() >= 4))
            .min()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_suggests_close_words_only() {
        let known = ["severity", "title", "kind", "tags"];
        assert_eq!(did_you_mean("severty", known), Some("severity"));
        assert_eq!(did_you_mean("tite", known), Some("title"));
        assert_eq!(did_you_mean("id", known), None);
        assert_eq!(did_you_mean("layout", known), None);
        assert_eq!(did_you_mean_loose("cert", ["cert-expiry", "dns"]), Some("cert-expiry"));
    }

    #[test]
    fn offsets_become_one_based_char_columns() {
        let text = "ab\nçé: x\n";
        assert_eq!(Location::of_offset(text, 0), Location::new(1, 1));
        assert_eq!(Location::of_offset(text, 3), Location::new(2, 1));
        // `ç` and `é` are two bytes each, one character each.
        assert_eq!(Location::of_offset(text, 3 + 4 + 2), Location::new(2, 5));
    }

    #[test]
    fn renders_headline_caret_and_help() {
        let d = Diagnostic::error("unknown-severity", "content/a.md", "unknown severity `SEV5`")
            .at(2, 11)
            .help("expected one of `SEV1`, `SEV2`");
        let text = "---\nseverity: SEV5\n---\n";
        let out = d.render(Some(text), false);
        assert_eq!(
            out,
            "content/a.md:2:11: error: unknown severity `SEV5`\n  |\n2 | severity: SEV5\n  |           ^^^^\n  = help: expected one of `SEV1`, `SEV2`\n"
        );
    }
}
