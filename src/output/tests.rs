use super::*;
use crate::config::staging_path;

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).expect("read")
}

/// The build dir `build`'s staging folder and lock file, as `place` finds them.
fn place_of(build: &Path) -> Place {
    let lock = build.with_file_name(".site.lock");
    Place { build: build.to_path_buf(), staging: staging_path(build), lock }
}

/// Starts a staging folder for `build` over whatever its staging folder keeps.
fn create_over(build: &Path) -> Result<Staging> {
    let place = place_of(build);
    Staging::over(&place, Staging::prepare(&place).finish()?)
}

#[test]
fn staging_swaps_in_only_on_commit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let build = dir.path().join("site");
    std::fs::create_dir_all(&build).expect("mkdir");
    std::fs::write(build.join("old.html"), "old").expect("write");

    let s = create_over(&build).expect("staging");
    s.put("a/index.html", b"new").expect("put");
    assert!(s.put("../escape.html", b"x").is_err());
    s.abandon().expect("abandon");
    assert!(build.join("old.html").exists());

    let s = create_over(&build).expect("staging");
    s.put("a/index.html", b"new").expect("put");
    s.commit().expect("commit");
    assert!(!build.join("old.html").exists());
    assert_eq!(read(&build.join("a/index.html")), "new");
    assert_eq!(read(&staging_path(&build).join("old/old.html")), "old", "the replaced site is kept");
}

/// Builds one site with `files` over whatever the staging folder keeps.
fn build_site(build: &Path, files: &[(&str, &str)]) {
    let s = create_over(build).expect("staging");
    for (path, text) in files {
        s.put(path, text.as_bytes()).expect("put");
    }
    s.commit().expect("commit");
}

#[test]
fn writing_over_a_kept_site_leaves_exactly_the_new_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let build = dir.path().join("site");
    build_site(&build, &[("index.html", "1"), ("a/index.html", "a1"), ("gone/deep/index.html", "x"), ("f", "file")]);
    build_site(&build, &[("index.html", "2"), ("a/index.html", "a2")]);
    // The third build writes over the first site: stale files and their folders go, a file
    // becomes a folder and a folder a file.
    build_site(
        &build,
        &[("index.html", "3"), ("a/index.html", "a1"), ("f/index.html", "now a folder"), ("gone", "a file")],
    );
    let mut files: Vec<String> = walkdir::WalkDir::new(&build)
        .into_iter()
        .map(|e| e.expect("entry"))
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(&build).expect("under").to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, [owner::MARKER, "a/index.html", "f/index.html", "gone", "index.html"]);
    assert_eq!(read(&build.join("index.html")), "3");
    assert_eq!(read(&build.join("f/index.html")), "now a folder");
    assert_eq!(read(&staging_path(&build).join("old/index.html")), "2", "the second site is kept whole");
}

#[test]
fn a_shared_file_is_replaced_not_written_through() {
    let dir = tempfile::tempdir().expect("tempdir");
    let build = dir.path().join("site");
    let asset = dir.path().join("pic.png");
    std::fs::write(&asset, "picture").expect("write");
    let s = create_over(&build).expect("staging");
    s.copy_to(&asset, &["a/pic.png".to_string(), "b/pic.png".to_string()]).expect("copy");
    s.commit().expect("commit");
    build_site(&build, &[("x", "x")]);
    // The kept first site has a/pic.png and b/pic.png hard-linked where the file system allows.
    build_site(&build, &[("a/pic.png", "page one"), ("b/pic.png", "page two")]);
    assert_eq!(read(&build.join("a/pic.png")), "page one");
    assert_eq!(read(&build.join("b/pic.png")), "page two");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_the_build_dir_stops_the_build_and_one_in_an_interrupted_build_is_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let build = dir.path().join("site");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    build_site(&build, &[("index.html", "1"), ("a/b/index.html", "deep")]);
    // Two levels down, where the folders are listed by several threads at once.
    std::os::unix::fs::symlink(&outside, build.join("a/b/c")).expect("symlink");
    let err = create_over(&build).err().expect("a link casebook did not make stops the build");
    assert!(err.to_string().contains("a/b/c` was not written by casebook"), "{err}");
    assert!(std::fs::symlink_metadata(build.join("a/b/c")).expect("link").file_type().is_symlink(), "left alone");
    std::fs::remove_file(build.join("a/b/c")).expect("rm");
    // An interrupted build's folder is casebook's: a link there is removed, not followed.
    let s = create_over(&build).expect("staging");
    s.put("x", b"x").expect("put");
    drop(s);
    let new = staging_path(&build).join("new");
    std::os::unix::fs::symlink(&outside, new.join("sneaky")).expect("symlink");
    std::os::unix::fs::symlink(&outside, new.join("x-link")).expect("symlink");
    build_site(&build, &[("index.html", "3"), ("sneaky/index.html", "inside")]);
    assert!(std::fs::read_dir(&outside).expect("read").next().is_none(), "nothing written outside");
    assert_eq!(read(&build.join("sneaky/index.html")), "inside");
    assert!(!build.join("x-link").exists());
}

const PAGES: &[(&str, &str)] = &[("index.html", "home"), ("a/index.html", "page a"), ("b/index.html", "page b")];

/// Three builds of `PAGES`: the kept copy is then the second, with a manifest for it.
fn kept_with_manifest(build: &Path) -> PathBuf {
    for _ in 0..3 {
        build_site(build, PAGES);
    }
    let staging = staging_path(build);
    assert!(staging.join("old.manifest").is_file() && staging.join("site.manifest").is_file());
    staging
}

/// The pages a staging folder may leave alone unread.
fn known(s: &Staging) -> Vec<String> {
    let mut k: Vec<String> = s.earlier.as_ref().map(|e| e.known.keys().cloned().collect()).unwrap_or_default();
    k.sort();
    k
}

#[test]
fn unchanged_pages_are_left_alone_unread_once_the_kept_copy_has_a_manifest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let build = dir.path().join("site");
    kept_with_manifest(&build);
    let s = create_over(&build).expect("staging");
    assert_eq!(known(&s), ["a/index.html", "b/index.html", "index.html"]);
    s.put("index.html", b"home").expect("put");
    s.put("a/index.html", b"page A").expect("put");
    s.commit().expect("commit");
    assert_eq!(read(&build.join("index.html")), "home");
    assert_eq!(read(&build.join("a/index.html")), "page A", "changed bytes of the same length are written");
    assert!(!build.join("b").exists(), "a page not written again is removed");
    // The next build over the third site still knows its skipped page and its rewritten one.
    build_site(&build, PAGES);
    let s = create_over(&build).expect("staging");
    assert_eq!(known(&s), ["a/index.html", "index.html"]);
    s.abandon().expect("abandon");
}

#[test]
fn a_page_changed_or_removed_in_the_kept_copy_is_written_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let build = dir.path().join("site");
    let staging = kept_with_manifest(&build);
    // Same length, other bytes: only the file's change time tells.
    std::fs::write(staging.join("old/a/index.html"), "page X").expect("edit");
    std::fs::remove_file(staging.join("old/b/index.html")).expect("remove");
    std::fs::write(staging.join("old/extra.html"), "not ours").expect("add");
    let err = create_over(&build).err().expect("a file casebook did not write in the kept site stops the build");
    assert!(err.to_string().contains("extra.html` was not written by casebook"), "{err}");
    assert_eq!(read(&staging.join("old/extra.html")), "not ours", "and is left where it is");
    std::fs::remove_file(staging.join("old/extra.html")).expect("rm");
    let s = create_over(&build).expect("staging");
    assert_eq!(known(&s), ["index.html"]);
    for (path, text) in PAGES {
        s.put(path, text.as_bytes()).expect("put");
    }
    s.commit().expect("commit");
    assert_eq!(read(&build.join("a/index.html")), "page a");
    assert_eq!(read(&build.join("b/index.html")), "page b");
    assert!(!build.join("extra.html").exists());
}

#[test]
fn a_missing_or_damaged_manifest_falls_back_to_comparing_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let build = dir.path().join("site");
    let manifest = kept_with_manifest(&build).join("old.manifest");
    let text = read(&manifest);
    let cut = text.trim_end().rsplit_once('\n').map(|(head, _)| format!("{head}\n")).expect("lines");
    let garbage = text.replace("index.html", "index.html extra");
    for damaged in [None, Some(cut), Some(garbage), Some("casebook output manifest 1\n1 2 3\nend 1\n".to_string())] {
        match &damaged {
            Some(t) => std::fs::write(&manifest, t).expect("write"),
            None => std::fs::remove_file(&manifest).expect("remove"),
        }
        let s = create_over(&build).expect("staging");
        assert!(known(&s).len() < PAGES.len(), "{damaged:?}");
        s.put("index.html", b"new home").expect("put");
        s.put("a/index.html", b"page a").expect("put");
        s.commit().expect("commit");
        assert_eq!(read(&build.join("index.html")), "new home");
        assert_eq!(read(&build.join("a/index.html")), "page a");
        assert!(!build.join("b").exists());
        kept_with_manifest(&build);
    }
}

#[test]
fn a_manifest_beside_the_wrong_copy_skips_nothing_it_should_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let build = dir.path().join("site");
    let staging = kept_with_manifest(&build);
    build_site(&build, &[("index.html", "four"), ("a/index.html", "four a")]);
    // The manifests swapped, as an interrupted commit could leave them.
    let (site, old) = (staging.join("site.manifest"), staging.join("old.manifest"));
    std::fs::rename(&site, staging.join("x")).expect("mv");
    std::fs::rename(&old, &site).expect("mv");
    std::fs::rename(staging.join("x"), &old).expect("mv");
    let s = create_over(&build).expect("staging");
    assert!(known(&s).is_empty(), "{:?}", known(&s));
    s.put("index.html", b"four").expect("put");
    s.commit().expect("commit");
    assert_eq!(read(&build.join("index.html")), "four");
}

#[test]
fn copied_files_stay_hard_linked_and_are_never_taken_as_known() {
    let dir = tempfile::tempdir().expect("tempdir");
    let build = dir.path().join("site");
    let asset = dir.path().join("pic.png");
    std::fs::write(&asset, "picture").expect("write");
    let targets = ["a/pic.png".to_string(), "b/pic.png".to_string()];
    for _ in 0..4 {
        let s = create_over(&build).expect("staging");
        assert!(known(&s).iter().all(|p| !p.ends_with("pic.png")));
        s.put("a/index.html", b"page a").expect("put");
        s.copy_to(&asset, &targets).expect("copy");
        s.commit().expect("commit");
        assert_eq!(read(&build.join("b/pic.png")), "picture");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let (a, b) = (build.join("a/pic.png"), build.join("b/pic.png"));
        assert_eq!(std::fs::metadata(a).expect("a").ino(), std::fs::metadata(b).expect("b").ino());
    }
    // A page where a copied file was, and a copied file where a known page was.
    let s = create_over(&build).expect("staging");
    s.put("a/pic.png", b"now a page").expect("put");
    s.copy_to(&asset, &["a/index.html".to_string()]).expect("copy");
    s.commit().expect("commit");
    assert_eq!(read(&build.join("a/pic.png")), "now a page");
    assert_eq!(read(&build.join("a/index.html")), "picture");
    assert_eq!(read(&staging_path(&build).join("old/b/pic.png")), "picture", "the shared copy is untouched");
}

#[test]
fn the_old_site_stays_whole_until_the_new_one_is_committed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let build = dir.path().join("site");
    kept_with_manifest(&build);
    let s = create_over(&build).expect("staging");
    s.put("index.html", b"half done").expect("put");
    assert_eq!(read(&build.join("index.html")), "home");
    assert_eq!(read(&build.join("b/index.html")), "page b");
    s.abandon().expect("abandon");
    assert_eq!(read(&build.join("index.html")), "home");
    assert!(!staging_path(&build).exists());
}
