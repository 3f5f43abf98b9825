//! Test support: a library written into a temp dir from (path, text) pairs, the real binary run
//! on it with `NO_COLOR=1` and no stdin, and helpers to read what it wrote.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long any one run of the binary may take before the test fails.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A library in a temp dir.
pub struct Lib {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`-1` when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// The first lines of diagnostics (`path:line:col: level: message`) on stderr.
    pub fn headlines(&self) -> Vec<&str> {
        self.stderr.lines().filter(|l| is_headline(l)).collect()
    }

    /// Whether stderr holds exactly this line.
    pub fn has_line(&self, line: &str) -> bool {
        self.stderr.lines().any(|l| l == line)
    }

    /// Asserts that stderr holds exactly this line.
    #[track_caller]
    pub fn assert_line(&self, line: &str) {
        assert!(self.has_line(line), "expected the line\n  {line}\nin stderr:\n{}", self.stderr);
    }

    /// Asserts an exit code, showing the output when it differs.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit code; stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    /// Asserts exit 0 and no diagnostic at level error or warning.
    #[track_caller]
    pub fn assert_clean(&self) -> &Self {
        self.assert_code(0);
        let problems: Vec<&str> =
            self.headlines().into_iter().filter(|l| l.contains(": error: ") || l.contains(": warning: ")).collect();
        assert!(problems.is_empty(), "expected no problems, got:\n{}", self.stderr);
        self
    }

    /// Headlines at `level` (`error`, `warning`, `note`).
    pub fn at_level(&self, level: &str) -> Vec<&str> {
        let tag = format!(": {level}: ");
        self.headlines().into_iter().filter(|l| l.contains(&tag)).collect()
    }

    /// The help lines (`  = help: ...`) that follow the diagnostic whose first line is `headline`.
    pub fn help_of(&self, headline: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut lines = self.stderr.lines().skip_while(|l| *l != headline);
        if lines.next().is_none() {
            return out;
        }
        for l in lines {
            if is_headline(l) {
                break;
            }
            if let Some(h) = l.trim_start().strip_prefix("= help: ") {
                out.push(h.to_string());
            }
        }
        out
    }

    /// `stdout` parsed as one JSON object per line.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
            .collect()
    }
}

/// Whether a line looks like `path:line:col: level: message`.
fn is_headline(l: &str) -> bool {
    let mut parts = l.splitn(4, ':');
    let (Some(path), Some(line), Some(col), Some(rest)) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    !path.is_empty()
        && !path.starts_with(' ')
        && line.parse::<usize>().is_ok()
        && col.parse::<usize>().is_ok()
        && (rest.starts_with(" error: ") || rest.starts_with(" warning: ") || rest.starts_with(" note: "))
}

impl Lib {
    /// A library holding these files (paths relative to the library root).
    pub fn new(files: &[(&str, &str)]) -> Lib {
        let lib = Lib { dir: tempfile::tempdir().expect("tempdir"), env: Vec::new() };
        for (path, text) in files {
            lib.write(path, text);
        }
        lib
    }

    /// An empty library folder.
    pub fn empty() -> Lib {
        Lib::new(&[])
    }

    /// A copy of a folder's files under `to` in a new library.
    pub fn copy_tree(&self, from: &Path, to: &str) {
        for entry in walk(from) {
            let rel = entry.strip_prefix(from).expect("under root");
            let dest = self.path().join(to).join(rel);
            std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
            std::fs::copy(&entry, &dest).expect("copy");
        }
    }

    /// Sets an environment variable for every later run.
    pub fn env(mut self, key: &str, value: &str) -> Lib {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The library root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a text file, creating folders.
    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    /// Writes a file, creating folders.
    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let p = self.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }

    /// Removes a file.
    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.path().join(path)).expect("remove");
    }

    /// Runs `casebook <args>` in the library root.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_timeout(args, DEFAULT_TIMEOUT)
    }

    /// Runs `casebook <args>` and fails the test if it takes longer than `limit`.
    pub fn run_with_timeout(&self, args: &[&str], limit: Duration) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_casebook"));
        cmd.args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("CLICOLOR_FORCE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn casebook");
        let mut out = child.stdout.take().expect("stdout");
        let mut err = child.stderr.take().expect("stderr");
        let out_t = std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = out.read_to_end(&mut s);
            s
        });
        let err_t = std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = err.read_to_end(&mut s);
            s
        });
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if started.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                panic!("casebook {args:?} did not finish within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let stdout = String::from_utf8_lossy(&out_t.join().expect("stdout thread")).into_owned();
        let stderr = String::from_utf8_lossy(&err_t.join().expect("stderr thread")).into_owned();
        Run { code: status.code().unwrap_or(-1), stdout, stderr }
    }

    /// `casebook build . <args>`.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build", "."];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// `casebook check . <args>`.
    pub fn check(&self, args: &[&str]) -> Run {
        let mut all = vec!["check", "."];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// Builds and asserts a clean build (exit 0, no errors or warnings).
    #[track_caller]
    pub fn build_clean(&self) -> Run {
        let run = self.build(&[]);
        run.assert_clean();
        run
    }

    /// The default build dir.
    pub fn site(&self) -> PathBuf {
        self.path().join("site")
    }

    /// Whether the site holds this file (`incidents/x/index.html`).
    pub fn exists(&self, site_path: &str) -> bool {
        self.site().join(site_path).is_file()
    }

    /// Whether a build dir other than `site` holds this file.
    pub fn exists_in(&self, build_dir: &str, site_path: &str) -> bool {
        self.path().join(build_dir).join(site_path).is_file()
    }

    /// Reads a site file as text.
    #[track_caller]
    pub fn read(&self, site_path: &str) -> String {
        let p = self.site().join(site_path);
        std::fs::read_to_string(&p).unwrap_or_else(|e| {
            panic!("cannot read {}: {e}; the site holds:\n{}", p.display(), self.site_files().join("\n"))
        })
    }

    /// Reads an HTML page with Tera's `&#x2F;` turned back into `/`, so links can be matched as
    /// written. (Only slashes are decoded: escaped `<` and `"` stay escaped.)
    #[track_caller]
    pub fn html(&self, site_path: &str) -> String {
        self.read(site_path).replace("&#x2F;", "/")
    }

    /// Reads and parses a site JSON file.
    #[track_caller]
    pub fn json(&self, site_path: &str) -> serde_json::Value {
        let text = self.read(site_path);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{site_path} is not valid JSON: {e}\n{text}"))
    }

    /// The item with this `id` in a JSON array file.
    #[track_caller]
    pub fn json_item(&self, site_path: &str, id: &str) -> serde_json::Value {
        let all = self.json(site_path);
        all.as_array()
            .expect("array")
            .iter()
            .find(|v| v["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no `{id}` in {site_path}: {all:#}"))
    }

    /// Every file of the site, relative, sorted, `/`-separated.
    pub fn site_files(&self) -> Vec<String> {
        files_under(&self.site())
    }

    /// Every file under the library root (relative, sorted).
    pub fn all_files(&self) -> Vec<String> {
        files_under(self.path())
    }
}

/// Every file under `root`, relative, sorted, `/`-separated.
pub fn files_under(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = walk(root)
        .into_iter()
        .map(|p| {
            p.strip_prefix(root)
                .expect("under root")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    out.sort();
    out
}

/// Every file's bytes under `root`, by relative path.
pub fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    files_under(root).into_iter().map(|rel| (rel.clone(), std::fs::read(root.join(&rel)).expect("read"))).collect()
}

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else { continue };
        for e in rd {
            let e = e.expect("entry");
            let ft = e.file_type().expect("file type");
            if ft.is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

/// Every `href="..."` and `src="..."` value in an HTML text, entities decoded.
pub fn hrefs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            // Only whole attribute names (not `data-href=`).
            let before = rest[..i].chars().last();
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            if !matches!(before, Some(c) if !c.is_whitespace()) {
                out.push(decode_entities(&rest[..end]));
            }
            rest = &rest[end..];
        }
    }
    out
}

/// Decodes the few entities an escaper writes.
pub fn decode_entities(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a link leaves the site (scheme, protocol-relative, in-page anchor, mailto, data).
fn is_external(href: &str) -> bool {
    href.is_empty()
        || href.starts_with('#')
        || href.starts_with("//")
        || href.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// Checks every internal link of every HTML file under `site`: links starting with `site_url`
/// are site paths; other non-external links are relative to the page. Returns the broken ones
/// as `page -> href`.
pub fn broken_links(site: &Path, site_url: &str) -> Vec<String> {
    let mut broken = Vec::new();
    for rel in files_under(site).into_iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(site.join(&rel)).expect("read html");
        let page_dir: Vec<&str> = match rel.rsplit_once('/') {
            Some((d, _)) => d.split('/').collect(),
            None => Vec::new(),
        };
        for href in hrefs(&html) {
            if is_external(&href) {
                continue;
            }
            let path = href.split(['#', '?']).next().unwrap_or("");
            let path = percent_decode(path);
            let target = if let Some(abs) = path.strip_prefix('/') {
                let Some(inside) = path.strip_prefix(site_url) else {
                    broken.push(format!("{rel} -> {href} (outside site-url {site_url})"));
                    continue;
                };
                let _ = abs;
                inside.to_string()
            } else {
                let mut parts: Vec<&str> = page_dir.clone();
                let mut escaped = false;
                for seg in path.split('/') {
                    match seg {
                        "" | "." => {}
                        ".." => {
                            if parts.pop().is_none() {
                                escaped = true;
                            }
                        }
                        s => parts.push(s),
                    }
                }
                if escaped {
                    broken.push(format!("{rel} -> {href} (leaves the site)"));
                    continue;
                }
                let mut joined = parts.join("/");
                if path.ends_with('/') || path.is_empty() {
                    joined.push('/');
                }
                joined
            };
            let file = if target.is_empty() || target.ends_with('/') { format!("{target}index.html") } else { target };
            let file = file.trim_start_matches('/');
            let p = site.join(file);
            if !(p.is_file() || p.join("index.html").is_file()) {
                broken.push(format!("{rel} -> {href}"));
            }
        }
    }
    broken
}

/// Asserts that every internal link of the site resolves.
#[track_caller]
pub fn assert_links_resolve(site: &Path, site_url: &str) {
    let broken = broken_links(site, site_url);
    assert!(broken.is_empty(), "{} broken internal links:\n{}", broken.len(), broken.join("\n"));
}

/// A property test's settings: `default_cases` cases, or `PROPTEST_CASES` when it is set, for a
/// deep run (`PROPTEST_CASES=5000 cargo test`); the defaults keep the suite quick on 2 cores.
#[allow(dead_code)] // until the suite's first property test uses it
pub fn proptest_config(default_cases: u32) -> proptest::test_runner::Config {
    let mut config = proptest::test_runner::Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default_cases;
    }
    config
}
