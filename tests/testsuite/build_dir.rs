//! The build dir is casebook's alone (docs/build.md): a build dir that is the library, its
//! sources, a git folder, a link, a mount point or a folder of someone else's files is refused at
//! `book.toml`, and nothing of the user's is written, moved or deleted; a file dropped into a
//! build dir casebook owns stops the build; an earlier casebook's site is taken over.

use crate::support::{snapshot, Lib, Run};
use std::collections::BTreeMap;
use std::path::Path;

const INCIDENT: &str = "---\ntitle: Disk full\ndate: 2024-03-01\n---\nThe disk filled up.\n";

/// A small library with `book.toml` setting `build-dir` (on its line 2).
fn library_building_into(build_dir: &str) -> Lib {
    Lib::new(&[
        ("book.toml", &format!("[build]\nbuild-dir = {build_dir:?}\n")),
        ("content/incidents/2024-03-01-disk.md", INCIDENT),
    ])
}

/// Everything under `root`: each file's bytes, each link's target, and each folder (so an added
/// empty folder shows too).
fn everything(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut all = BTreeMap::new();
    for e in walkdir::WalkDir::new(root).into_iter().map(|e| e.expect("entry")) {
        let rel = e.path().strip_prefix(root).expect("under").display().to_string();
        let what = if e.file_type().is_dir() {
            b"folder".to_vec()
        } else if e.file_type().is_symlink() {
            format!("link to {}", std::fs::read_link(e.path()).expect("link").display()).into_bytes()
        } else {
            std::fs::read(e.path()).expect("read")
        };
        all.insert(rel, what);
    }
    all
}

/// Runs `build` twice and `check` once; each must fail with `line` and leave everything under
/// `root` exactly as it was.
#[track_caller]
fn refused_every_time(lib: &Lib, root: &Path, line: &str) -> Run {
    let before = everything(root);
    for _ in 0..2 {
        let run = lib.build(&[]);
        run.assert_code(1);
        run.assert_line(line);
        assert!(run.stderr.contains("= help: "), "says what to do: {}", run.stderr);
        assert_eq!(before, everything(root), "nothing written, moved or deleted");
    }
    let run = lib.check(&[]);
    run.assert_code(1);
    run.assert_line(line);
    assert_eq!(before, everything(root), "check writes nothing");
    run
}

fn git_repository(lib: &Lib) {
    lib.write(".git/HEAD", "ref: refs/heads/main\n");
    lib.write(".git/config", "[core]\n\trepositoryformatversion = 0\n");
    lib.write_bytes(".git/objects/ab/cdef0123", b"\x78\x01blob");
}

#[test]
fn build_dir_git_is_refused_twice_in_a_row_and_the_repository_is_intact() {
    let lib = library_building_into(".git");
    git_repository(&lib);
    refused_every_time(&lib, lib.path(), "book.toml:2:1: error: build-dir `.git` is a git folder");
}

#[test]
fn build_dir_inside_a_git_folder_is_refused() {
    let lib = library_building_into(".git/site");
    git_repository(&lib);
    refused_every_time(&lib, lib.path(), "book.toml:2:1: error: build-dir `.git/site` lies inside a git folder");
}

#[test]
fn build_dir_holding_the_users_files_is_refused() {
    let lib = library_building_into("docs");
    lib.write("docs/README.md", "# Our docs\n");
    lib.write("docs/guide/setup.md", "Install it.\n");
    let run = refused_every_time(
        &lib,
        lib.path(),
        "book.toml:2:1: error: build-dir `docs` holds 2 files casebook did not write, such as `docs/README.md`",
    );
    let help = run.help_of(
        "book.toml:2:1: error: build-dir `docs` holds 2 files casebook did not write, such as `docs/README.md`",
    );
    assert!(help[0].contains("set `build-dir` to a new folder"), "{help:?}");
}

#[test]
fn build_dir_outside_the_library_holding_the_users_files_is_refused() {
    let lib = Lib::new(&[
        ("lib/book.toml", "[build]\nbuild-dir = \"../outside\"\n"),
        ("lib/content/incidents/2024-03-01-disk.md", INCIDENT),
        ("outside/notes.txt", "mine\n"),
    ]);
    let before = everything(lib.path());
    let run = lib.run(&["build", "lib"]);
    run.assert_code(1);
    run.assert_line(
        "book.toml:2:1: error: build-dir `../outside` holds 1 file casebook did not write, such as `../outside/notes.txt`",
    );
    assert_eq!(before, everything(lib.path()));
    // A new folder out there is fine, and is then casebook's.
    lib.write("lib/book.toml", "[build]\nbuild-dir = \"../fresh\"\n");
    lib.run(&["build", "lib"]).assert_code(0);
    assert!(lib.exists_in("fresh", "incidents/2024-03-01-disk/index.html"));
    assert_eq!(before["outside/notes.txt"], std::fs::read(lib.path().join("outside/notes.txt")).expect("read"));
}

#[test]
fn an_absolute_build_dir_holding_the_users_files_is_refused() {
    let elsewhere = tempfile::tempdir().expect("tempdir");
    std::fs::write(elsewhere.path().join("keep.txt"), "precious\n").expect("write");
    let abs = elsewhere.path().display().to_string();
    let lib = library_building_into(&abs);
    let line = format!(
        "book.toml:2:1: error: build-dir `{abs}` holds 1 file casebook did not write, such as `{}`",
        elsewhere.path().join("keep.txt").display()
    );
    refused_every_time(&lib, elsewhere.path(), &line);
    assert_eq!(std::fs::read_to_string(elsewhere.path().join("keep.txt")).expect("read"), "precious\n");
}

#[test]
fn build_dir_dot_is_the_library_root() {
    let lib = library_building_into(".");
    refused_every_time(&lib, lib.path(), "book.toml:2:1: error: build-dir `.` is the library root");
    let lib = library_building_into("content/..");
    refused_every_time(&lib, lib.path(), "book.toml:2:1: error: build-dir `content/..` is the library root");
}

#[test]
fn build_dir_dot_dot_is_a_folder_above_the_library() {
    let lib = Lib::new(&[
        ("lib/book.toml", "[build]\nbuild-dir = \"..\"\n"),
        ("lib/content/incidents/2024-03-01-disk.md", INCIDENT),
    ]);
    let before = everything(lib.path());
    let run = lib.run(&["build", "lib"]);
    run.assert_code(1);
    run.assert_line("book.toml:2:1: error: build-dir `..` is a folder above the library root");
    assert_eq!(before, everything(lib.path()));
}

#[test]
fn build_dir_and_source_folder_may_not_overlap() {
    for (build_dir, line) in [
        ("content", "book.toml:2:1: error: build-dir `content` is the source folder `content`"),
        ("content/site", "book.toml:2:1: error: build-dir `content/site` lies inside the source folder `content`"),
    ] {
        let lib = library_building_into(build_dir);
        refused_every_time(&lib, lib.path(), line);
    }
    let lib = Lib::new(&[
        ("book.toml", "[book]\nsrc = \"docs/content\"\n[build]\nbuild-dir = \"docs\"\n"),
        ("docs/content/incidents/2024-03-01-disk.md", INCIDENT),
    ]);
    refused_every_time(
        &lib,
        lib.path(),
        "book.toml:4:1: error: build-dir `docs` holds the source folder `docs/content`",
    );
}

#[cfg(unix)]
#[test]
fn a_build_dir_that_is_a_symbolic_link_is_refused() {
    let lib = library_building_into("out");
    lib.write("elsewhere/mine.txt", "mine\n");
    std::os::unix::fs::symlink(lib.path().join("elsewhere"), lib.path().join("out")).expect("symlink");
    refused_every_time(&lib, lib.path(), "book.toml:2:1: error: build-dir `out` is a symbolic link");
    // Also when the link points at an empty folder.
    std::fs::remove_file(lib.path().join("elsewhere/mine.txt")).expect("rm");
    refused_every_time(&lib, lib.path(), "book.toml:2:1: error: build-dir `out` is a symbolic link");
}

#[cfg(target_os = "linux")]
#[test]
fn a_build_dir_that_is_a_mount_point_is_refused() {
    // /proc is a mount point wherever these tests run; nothing can be written there anyway.
    let lib = library_building_into("/proc");
    let run = lib.build(&[]);
    run.assert_code(1);
    run.assert_line("book.toml:2:1: error: build-dir `/proc` is a mount point");
}

#[test]
fn a_build_dir_that_is_a_file_is_refused() {
    let lib = library_building_into("notes.txt");
    lib.write("notes.txt", "mine\n");
    refused_every_time(&lib, lib.path(), "book.toml:2:1: error: build-dir `notes.txt` is not a folder");
}

#[test]
fn without_book_toml_the_error_is_at_its_start() {
    let lib = Lib::new(&[("content/incidents/2024-03-01-disk.md", INCIDENT), ("site/mine.html", "<p>mine</p>\n")]);
    refused_every_time(
        &lib,
        lib.path(),
        "book.toml:1:1: error: build-dir `site` holds 1 file casebook did not write, such as `site/mine.html`",
    );
}

#[test]
fn a_staging_folder_casebook_did_not_make_is_left_alone() {
    let lib = library_building_into("site");
    lib.write(".site.staging/mine.txt", "mine\n");
    refused_every_time(
        &lib,
        lib.path(),
        "book.toml:2:1: error: build-dir `site` needs `.site.staging` beside it for its staging folder, but casebook did not make that",
    );
}

#[test]
fn an_empty_build_dir_is_used_and_marked() {
    let lib = library_building_into("site");
    std::fs::create_dir_all(lib.site()).expect("mkdir");
    lib.build_clean();
    let marker = lib.read(".casebook-site");
    assert!(marker.starts_with("casebook site 1\n"), "{marker}");
    assert!(marker.lines().any(|l| l == "/incidents/2024-03-01-disk/index.html"), "{marker}");
    assert!(marker.ends_with(&format!("end {}\n", lib.site_files().len() - 1)), "lists every other file: {marker}");
}

#[test]
fn a_file_dropped_into_the_build_dir_stops_the_build_and_is_kept() {
    let lib = library_building_into("site");
    lib.build_clean();
    lib.build_clean();
    lib.write("site/CNAME", "incidents.example.com\n");
    let before = everything(lib.path());
    for run in [lib.build(&[]), lib.check(&[])] {
        run.assert_code(1);
        run.assert_line("site/CNAME:1:1: error: casebook did not write this file in its build dir");
        assert_eq!(
            run.help_of("site/CNAME:1:1: error: casebook did not write this file in its build dir"),
            ["put it in `content/static/CNAME`, from where casebook copies it into every build"]
        );
        assert_eq!(before, everything(lib.path()), "the site and the file are left as they were");
    }
    // Where the help says, it is copied into every build.
    std::fs::create_dir_all(lib.path().join("content/static")).expect("mkdir");
    std::fs::rename(lib.site().join("CNAME"), lib.path().join("content/static/CNAME")).expect("move");
    lib.build_clean();
    lib.build_clean();
    assert_eq!(lib.read("CNAME"), "incidents.example.com\n");
}

#[test]
fn an_earlier_casebooks_site_is_taken_over() {
    let lib = library_building_into("site");
    lib.write("content/notes/gone.md", "# Gone\n\nSoon removed.\n");
    lib.build_clean();
    lib.build_clean();
    // As an earlier casebook left it: no marker; a page the next build no longer writes is
    // listed in the kept manifest.
    std::fs::remove_file(lib.site().join(".casebook-site")).expect("rm marker");
    lib.remove("content/notes/gone.md");
    lib.build_clean();
    assert!(!lib.exists("notes/gone/index.html"));
    assert!(lib.exists(".casebook-site"));
    // Without the kept manifest, the unmarked site must hold only what the new build writes.
    std::fs::remove_file(lib.site().join(".casebook-site")).expect("rm marker");
    std::fs::remove_dir_all(lib.path().join(".site.staging")).expect("rm staging");
    lib.build_clean();
    std::fs::remove_file(lib.site().join(".casebook-site")).expect("rm marker");
    lib.write("site/notes/mine/index.html", "mine\n");
    let run = lib.build(&[]);
    run.assert_code(1);
    run.assert_line(
        "book.toml:2:1: error: build-dir `site` holds 1 file casebook did not write, such as `site/notes/mine/index.html`",
    );
    assert_eq!(lib.read("notes/mine/index.html"), "mine\n");
}

#[test]
fn normal_builds_differ_only_by_the_marker() {
    let lib = library_building_into("site");
    lib.build_clean();
    let first = snapshot(&lib.site());
    lib.build_clean();
    assert_eq!(first, snapshot(&lib.site()), "a rebuild gives the same bytes, marker included");
    assert!(first.contains_key(".casebook-site"));
}
