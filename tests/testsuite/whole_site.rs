//! The build dir is always a whole site (docs/build.md): builds killed at random moments leave the
//! previous site or the new one, never a mix and never none, and the next build works; two builds
//! of one library at once never mix their output, and a build waits for the lock a running one
//! holds, then gives up.

use crate::support::{files_under, snapshot, Lib};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Incidents in the generated library: enough that a debug build takes a noticeable time.
const INCIDENTS: usize = 400;

/// Writes every incident with `VERSION-v` in its body (the set of pages stays the same).
fn write_version(lib: &Lib, v: usize) {
    for i in 0..INCIDENTS {
        let text = format!(
            "---\ntitle: Incident {i}\ndate: 2024-01-{:02}\nfactors: [factor-{}]\n---\nThe service fell over. VERSION-{v}-END\n\nMore words about retries and queues, {i}.\n",
            1 + i % 28,
            i % 13
        );
        lib.write(&format!("content/incidents/i-{i:04}.md"), &text);
    }
}

/// The version every incident page of the site holds; panics on a mix or a missing page.
fn site_version(site: &Path) -> usize {
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..INCIDENTS {
        let html = std::fs::read_to_string(site.join(format!("incidents/i-{i:04}/index.html")))
            .unwrap_or_else(|e| panic!("incident {i} missing from the site: {e}"));
        let v = html.split("VERSION-").nth(1).and_then(|r| r.split("-END").next()).expect("a version");
        seen.insert(v.parse::<usize>().expect("a number"));
    }
    assert_eq!(seen.len(), 1, "the site mixes versions {seen:?}");
    seen.into_iter().next().expect("one version")
}

/// Checks `site` is whole: exactly the files of a complete build, listed by its marker, every
/// page of one version; returns that version.
#[track_caller]
fn assert_whole(site: &Path, files: &[String]) -> usize {
    let found = files_under(site);
    assert_eq!(found.len(), files.len(), "a whole site has every file of a complete build");
    assert_eq!(found, files);
    let marker = std::fs::read_to_string(site.join(".casebook-site")).expect("marker");
    assert!(marker.ends_with(&format!("end {}\n", files.len() - 1)), "the marker lists the rest");
    site_version(site)
}

/// A small pseudo-random sequence (xorshift), seeded from the clock and printed, so a failing
/// run can be repeated with `WHOLE_SITE_SEED`.
struct Random(u64);

impl Random {
    fn new() -> Random {
        let seed = std::env::var("WHOLE_SITE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
        });
        eprintln!("kill loop seed {seed}");
        Random(seed | 1)
    }

    /// A number in `0..1`.
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn casebook(lib: &Lib) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_casebook"));
    cmd.args(["--quiet", "build", "."]).current_dir(lib.path()).stdin(Stdio::null()).stdout(Stdio::null());
    cmd
}

#[test]
fn builds_killed_at_random_moments_leave_a_whole_site_and_the_next_build_works() {
    let started = Instant::now();
    let lib = Lib::empty();
    write_version(&lib, 0);
    lib.build_clean();
    let files = files_under(&lib.site());
    assert_eq!(assert_whole(&lib.site(), &files), 0);
    write_version(&lib, 1);
    // Timed as the builds below run: over a kept copy, without a terminal.
    let t = Instant::now();
    assert!(casebook(&lib).stderr(Stdio::null()).status().expect("build").success());
    let took = t.elapsed();
    let mut current = assert_whole(&lib.site(), &files);
    assert_eq!(current, 1);
    let mut random = Random::new();
    let (mut kills, mut new_found) = (0, 0);
    for v in 2..12 {
        if started.elapsed() > Duration::from_secs(16) {
            break;
        }
        write_version(&lib, v);
        let mut child = casebook(&lib).stderr(Stdio::null()).spawn().expect("spawn");
        let t = Instant::now();
        // Every other kill lands anywhere from reading the library to about the swap; the others
        // as soon as the build starts committing (its new manifest appears), a few ms before
        // and around the swap itself.
        let committing = lib.path().join(".site.staging/new.manifest");
        if v % 2 == 0 {
            std::thread::sleep(took.mul_f64(0.15 + 0.9 * random.unit()));
        } else {
            while !committing.exists() && t.elapsed() < took * 3 {
                std::thread::sleep(Duration::from_micros(200));
            }
            std::thread::sleep(Duration::from_micros((3000.0 * random.unit()) as u64));
        }
        let at = t.elapsed();
        let ended = child.try_wait().expect("wait");
        assert!(ended.is_none_or(|s| s.success()), "the build failed: {ended:?}");
        let ended = ended.is_some();
        child.kill().expect("kill"); // SIGKILL
        child.wait().expect("reap");
        kills += 1;
        let found = assert_whole(&lib.site(), &files);
        assert!(found == current || found == v, "the site holds version {found}, neither {current} nor {v}");
        new_found += usize::from(found == v);
        let t = Instant::now();
        let next = casebook(&lib).stderr(Stdio::piped()).output().expect("next build");
        assert!(next.status.success(), "{}", String::from_utf8_lossy(&next.stderr));
        assert_eq!(assert_whole(&lib.site(), &files), v, "the next build writes the new site");
        eprintln!(
            "kill {kills}: at {} ms of a ~{} ms build{}; found version {found} ({}); next build ok in {} ms",
            at.as_millis(),
            took.as_millis(),
            if ended { " (it had already finished)" } else { "" },
            if found == v { "new" } else { "previous" },
            t.elapsed().as_millis()
        );
        current = v;
    }
    eprintln!("{kills} kills, {new_found} found the new site, in {} ms", started.elapsed().as_millis());
    assert!(kills >= 5, "only {kills} kills fitted in the time");
}

#[test]
fn two_builds_at_once_never_mix_their_output() {
    let lib = Lib::empty();
    write_version(&lib, 0);
    lib.build_clean();
    let files = files_under(&lib.site());
    write_version(&lib, 1);
    for _ in 0..2 {
        let children: Vec<_> = (0..2).map(|_| casebook(&lib).stderr(Stdio::piped()).spawn().expect("spawn")).collect();
        for child in children {
            let out = child.wait_with_output().expect("wait");
            assert!(out.status.success(), "both builds succeed: {}", String::from_utf8_lossy(&out.stderr));
        }
        assert_eq!(assert_whole(&lib.site(), &files), 1);
    }
    let both = snapshot(&lib.site());
    lib.build_clean();
    assert_eq!(both, snapshot(&lib.site()), "the same bytes as a build alone");
}

#[test]
fn a_build_waits_for_the_lock_then_says_another_build_is_running() {
    let lib = Lib::new(&[("content/incidents/2024-01-01-a.md", "# A\n\nBody.\n")]);
    lib.build_clean();
    let before = snapshot(&lib.site());
    lib.write("content/incidents/2024-01-02-b.md", "# B\n\nBody.\n");
    let held = std::fs::OpenOptions::new().write(true).open(lib.path().join(".site.lock")).expect("lock file");
    held.lock().expect("lock");
    let t = Instant::now();
    let run = lib.run_with_timeout(&["build", "."], Duration::from_secs(30));
    let waited = t.elapsed();
    run.assert_code(1);
    run.assert_line("error: another build of this library is running (it holds `.site.lock`; waited 10 s)");
    assert!(waited >= Duration::from_secs(10), "it waited {waited:?}");
    assert_eq!(before, snapshot(&lib.site()), "the site is untouched");
    // `check` takes no lock.
    lib.run_with_timeout(&["check", "."], Duration::from_secs(5)).assert_code(0);
    held.unlock().expect("unlock");
    lib.build_clean();
    assert!(lib.exists("incidents/2024-01-02-b/index.html"));
    assert!(lib.path().join(".site.lock").is_file(), "the lock file stays");
}
