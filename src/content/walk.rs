//! Walks the source folder in sorted order and reads every document in parallel. Files that are
//! not documents are listed as assets to copy; `factors.yaml` at the root is the registry.

use super::frontmatter::{self, FrontMatter};
use super::yaml;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location};
use rayon::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Files larger than this are refused (docs/diagnostics.md).
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// A document as read from disk: fields and body, no meaning yet.
#[derive(Debug, Clone)]
pub struct RawDocument {
    /// Path relative to the library root, `/`-separated (for diagnostics).
    pub path: String,
    /// Path relative to the source folder (for links and the edit URL).
    pub src_rel: String,
    /// File name without extension.
    pub stem: String,
    /// Front matter (possibly empty).
    pub front: FrontMatter,
    /// Body text with `\n` line ends, shared with the model's document when it keeps it whole.
    pub body: std::sync::Arc<str>,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

impl RawDocument {
    /// The first folder under the source root (`incidents`, `notes`, ...), or "" at the root.
    pub fn top_folder(&self) -> &str {
        match self.src_rel.split_once('/') {
            Some((first, _)) => first,
            None => "",
        }
    }
}

/// A file to copy into the site.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Where it is on disk.
    pub abs: PathBuf,
    /// Path relative to the source folder, `/`-separated.
    pub src_rel: String,
}

/// The factor registry file, parsed to plain data.
#[derive(Debug, Clone)]
pub struct RawFactors {
    /// Path relative to the library root.
    pub path: String,
    /// The whole mapping.
    pub fields: FrontMatter,
}

/// Everything read from the source folder.
#[derive(Debug, Default)]
pub struct Source {
    /// Documents, sorted by path.
    pub documents: Vec<RawDocument>,
    /// Other files, sorted by path.
    pub assets: Vec<Asset>,
    /// `factors.yaml`, when present and valid.
    pub factors: Option<RawFactors>,
    /// Problems found while reading.
    pub diagnostics: Vec<Diagnostic>,
    /// Paths of documents that could not be read at all.
    pub rejected: Vec<String>,
}

const DOC_EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// The source folder listed: its documents not yet read, the other files, and the registry.
#[derive(Debug, Default)]
pub struct Listing {
    /// Documents to read, sorted by path: where each is on disk and its source-relative path.
    pub documents: Vec<(PathBuf, String)>,
    /// Other files, sorted by path.
    pub assets: Vec<Asset>,
    /// `factors.yaml`, when present and valid.
    pub factors: Option<RawFactors>,
    /// Problems found while listing.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the library's source folder.
pub fn load(config: &Config) -> anyhow::Result<Source> {
    let Listing { documents, assets, factors, diagnostics } = list(config)?;
    let read = read_each(config, &documents, |doc| doc);
    let mut source = Source { assets, factors, diagnostics, documents: read.documents, rejected: read.rejected };
    source.diagnostics.extend(read.diagnostics);
    Ok(source)
}

/// Lists the library's source folder (sorted) and reads its factor registry; the documents are
/// read by [`read_each`].
pub fn list(config: &Config) -> anyhow::Result<Listing> {
    let src = config.src_dir();
    if !src.is_dir() {
        anyhow::bail!("source folder `{}` not found (book.toml `[book] src`)", src.display());
    }
    let build = config.build_path();
    let staging = config.staging_path();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    // Walked in the order the folders give, then sorted here: walkdir's `sort_by_file_name`
    // took the file name out of each entry's path again for every comparison (~100 M
    // instructions of this one-thread step at 10,000 files).
    let walker = walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !(is_hidden(e.path()) || is(e, &build) || is(e, &staging)));
    let mut diagnostics = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| rel(&config.root, p)).unwrap_or_else(|| config.src.display().to_string());
                diagnostics.push(Diagnostic::error("io", path, format!("cannot read: {e}")));
                continue;
            }
        };
        if entry.file_type().is_file() {
            let src_rel = rel(&src, entry.path());
            files.push((entry.into_path(), src_rel));
        } else if entry.path_is_symlink() {
            // Not followed: a link could pull in files from outside the library.
            diagnostics.push(
                Diagnostic::warning("symlink-skipped", rel(&config.root, entry.path()), "symbolic link skipped")
                    .help("casebook does not follow links; copy the file or folder into the source folder"),
            );
        }
    }

    files.sort_by_cached_key(|(abs, _)| walk_order(abs));
    diagnostics.sort_by(|a, b| a.path.cmp(&b.path));
    let mut listing = Listing { diagnostics, ..Listing::default() };
    for (abs, src_rel) in files {
        if src_rel == "factors.yaml" || src_rel == "factors.yml" {
            match read_factors(config, &abs) {
                Ok(f) => listing.factors = Some(f),
                Err(d) => listing.diagnostics.push(d),
            }
        } else if is_document(&src_rel) {
            listing.documents.push((abs, src_rel));
        } else {
            listing.assets.push(Asset { abs, src_rel });
        }
    }
    Ok(listing)
}

/// What [`read_each`] read: the documents, in order, and the paths and problems of those that
/// could not be read.
pub struct Read<T> {
    /// Each document read, as `then` made it.
    pub documents: Vec<T>,
    /// The paths of the documents that could not be read.
    pub rejected: Vec<String>,
    /// Why, one problem each.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and splits every document of `doc_files` (from [`Listing::documents`]) and hands each
/// to `then` on the thread that read it, on the reader pool (`fs::on_readers`). `build` models
/// each document there and drops it, so the raw documents of a large library are never all
/// held at once.
pub fn read_each<T: Send>(
    config: &Config,
    doc_files: &[(PathBuf, String)],
    then: impl Fn(RawDocument) -> T + Sync,
) -> Read<T> {
    let read = || -> Vec<Result<T, Box<Diagnostic>>> {
        doc_files.par_iter().map(|(abs, src_rel)| read_document(config, abs, src_rel).map(&then)).collect()
    };
    // A small library is not worth starting threads for.
    let all = if doc_files.len() < 256 { read() } else { crate::fs::on_readers("read", read) };
    let mut out = Read { documents: Vec::with_capacity(all.len()), rejected: Vec::new(), diagnostics: Vec::new() };
    for r in all {
        match r {
            Ok(doc) => out.documents.push(doc),
            Err(d) => {
                out.rejected.push(d.path.clone());
                out.diagnostics.push(*d);
            }
        }
    }
    out
}

/// Whether a file at this source-relative path is read as a document (not a copied asset, not
/// the registry).
pub fn is_document(src_rel: &str) -> bool {
    // The extension as `Path::extension` finds it: after the last `.` of the file name, when
    // something comes before that `.`.
    let name = src_rel.rsplit('/').next().unwrap_or(src_rel);
    let ext = name.rsplit_once('.').filter(|(stem, _)| !stem.is_empty()).map_or("", |(_, ext)| ext);
    DOC_EXTENSIONS.iter().any(|d| d.eq_ignore_ascii_case(ext)) && !src_rel.starts_with("static/")
}

/// Whether the walk's entry `e` is at `path` (its name compared first, which is cheap).
fn is(e: &walkdir::DirEntry, path: &Path) -> bool {
    Some(e.file_name()) == path.file_name() && e.path() == path
}

fn is_hidden(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
}

/// The order of a walk that visits each folder's entries sorted by name (paths compared
/// component by component, each component by its bytes), as a key compared byte by byte: the
/// path's bytes with every separator below every other byte, since a component that ends
/// first sorts first.
fn walk_order(path: &Path) -> Vec<u8> {
    let bytes = path.as_os_str().as_encoded_bytes();
    bytes.iter().map(|&b| if std::path::is_separator(char::from(b)) { 0 } else { b }).collect()
}

/// `path` relative to `base`, its components joined by `/`.
fn rel(base: &Path, path: &Path) -> String {
    // A path the walk joined onto `base` from plain names is already that text where `/`
    // separates components: taken as it is, without splitting both paths into components
    // (two of these per document, so the general route's cost showed).
    let (b, p) = (base.as_os_str().as_encoded_bytes(), path.as_os_str().as_encoded_bytes());
    let rest = p.strip_prefix(b).and_then(|r| r.strip_prefix(b"/")).filter(|_| std::path::MAIN_SEPARATOR == '/');
    if let Some(s) = rest.and_then(|r| std::str::from_utf8(r).ok()) {
        if s.split('/').all(|c| !c.is_empty() && c != "." && c != "..") {
            return s.to_string();
        }
    }
    let r = path.strip_prefix(base).unwrap_or(path);
    r.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Reads a file as text: size limit, UTF-8 check (with the position of the first bad byte),
/// BOM and CRLF handled.
/// `path` names the file in diagnostics.
fn read_text(path: &str, abs: &Path) -> Result<String, Diagnostic> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Diagnostic::error("io", path, format!("cannot read: {e}"));
    // One open, and the size from the open file (no second lookup of the path).
    let mut file = std::fs::File::open(abs).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            "file-too-large",
            path,
            format!("file is {:.1} MB, over the 10 MB limit", meta.len() as f64 / 1_048_576.0),
        )
        .help("split it, or move it out of the source folder"));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    file.read_to_end(&mut bytes).map_err(cannot)?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let loc = Location::of_offset(&prefix, prefix.len());
            return Err(Diagnostic::error("not-utf8", path, "file is not UTF-8 text").at_loc(loc).help(
                "save it as UTF-8, or give it an extension other than .md, .markdown or .txt to copy it as a file",
            ));
        }
    };
    Ok(frontmatter::normalise(text))
}

fn read_document(config: &Config, abs: &Path, src_rel: &str) -> Result<RawDocument, Box<Diagnostic>> {
    let path = rel(&config.root, abs);
    let text = read_text(&path, abs).map_err(Box::new)?;
    let split = frontmatter::split(&path, &text).map_err(Box::new)?;
    let stem = Path::new(src_rel).file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
    Ok(RawDocument {
        path,
        src_rel: src_rel.to_string(),
        stem,
        body: split.body.into(),
        body_line: split.body_line,
        front: split.front,
    })
}

fn read_factors(config: &Config, abs: &Path) -> Result<RawFactors, Diagnostic> {
    let path = rel(&config.root, abs);
    let text = read_text(&path, abs)?;
    let value = yaml::parse(&text).map_err(|e| {
        Diagnostic::error("invalid-factors", &path, format!("invalid YAML: {}", e.message)).at(e.line, e.column)
    })?;
    let fields = match value {
        Value::Object(m) => m,
        Value::Null => Default::default(),
        _ => {
            return Err(Diagnostic::error(
                "invalid-factors",
                &path,
                "the factor registry must map factor ids to entries",
            )
            .help("write `config-change:` followed by indented `title:`, `category:`, `aliases:`, `description:`"))
        }
    };
    let locations = super::locate::yaml(&text, 1);
    Ok(RawFactors { path, fields: FrontMatter::new(fields, locations) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_listed_in_the_order_of_a_walk_sorted_by_name_in_each_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let src = dir.path().join("content");
        let names = [
            "a.md",
            "a-b.md",
            "ab.md",
            "a/z.md",
            "a/b/c.md",
            "a/b.md",
            "a.b/x.md",
            "B.md",
            "b/a.md",
            "é.md",
            "e.md",
            "notes/2024/x.md",
            "notes/2024-01/y.md",
            "notes/2024.md",
            "pic.png",
            "a/b/pic.png",
        ];
        for n in names {
            let p = src.join(n);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, "x\n").expect("write");
        }
        let (config, _) = Config::load(dir.path()).expect("config");
        let listing = list(&config).expect("list");
        let walked: Vec<String> = walkdir::WalkDir::new(&src)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.expect("entry"))
            .filter(|e| e.file_type().is_file())
            .map(|e| rel(&src, e.path()))
            .collect();
        let listed: Vec<&str> = listing.documents.iter().map(|(_, r)| r.as_str()).collect();
        let docs: Vec<&String> = walked.iter().filter(|r| is_document(r)).collect();
        assert_eq!(listed, docs);
        let assets: Vec<&str> = listing.assets.iter().map(|a| a.src_rel.as_str()).collect();
        assert_eq!(assets, ["a/b/pic.png", "pic.png"]);
    }

    #[test]
    fn documents_are_told_by_their_extension() {
        for (path, document) in [
            ("incidents/a.md", true),
            ("a.MD", true),
            ("notes/b.markdown", true),
            ("c.txt", true),
            ("a..md", true),
            ("dir.md/pic.png", false),
            ("static/a.md", false),
            ("notes/.md", false),
            ("md", false),
            ("a.md.bak", false),
            ("a.", false),
        ] {
            assert_eq!(is_document(path), document, "{path}");
            let by_path = Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            assert_eq!(DOC_EXTENSIONS.contains(&by_path.as_str()) && !path.starts_with("static/"), document, "{path}");
        }
    }

    #[test]
    fn relative_paths_join_components_with_slashes() {
        let base = Path::new("lib/content");
        assert_eq!(rel(base, Path::new("lib/content/incidents/a.md")), "incidents/a.md");
        assert_eq!(rel(base, Path::new("lib/content/./incidents//a.md")), "incidents/a.md");
        assert_eq!(rel(Path::new("."), Path::new("./content/a.md")), "content/a.md");
        assert_eq!(rel(Path::new("lib/"), Path::new("lib/content/a.md")), "content/a.md");
        assert_eq!(rel(Path::new("lib"), Path::new("lib/../a.md")), "../a.md");
        assert_eq!(rel(Path::new("lib"), Path::new("other/a.md")), "other/a.md");
    }

    #[test]
    fn a_large_library_is_read_whole_and_in_order_on_the_reader_pool() {
        let dir = tempfile::tempdir().expect("tempdir");
        let incidents = dir.path().join("content/incidents");
        std::fs::create_dir_all(&incidents).expect("mkdir");
        let n = 300;
        for i in 0..n {
            let text = format!("---\ntitle: Incident {i}\n---\nBody {i}.\n");
            std::fs::write(incidents.join(format!("i-{i:04}.md")), text).expect("write");
        }
        std::fs::write(incidents.join("i-0150-bad.md"), b"---\ntitle: x\n---\n\xff\n").expect("write");
        let (config, _) = Config::load(dir.path()).expect("config");
        let source = load(&config).expect("load");
        let stems: Vec<&str> = source.documents.iter().map(|d| d.stem.as_str()).collect();
        let expected: Vec<String> = (0..n).map(|i| format!("i-{i:04}")).collect();
        assert_eq!(stems, expected);
        assert_eq!(&*source.documents[7].body, "Body 7.\n");
        assert_eq!(source.rejected, ["content/incidents/i-0150-bad.md"]);
        assert_eq!(source.diagnostics.len(), 1);
    }
}
