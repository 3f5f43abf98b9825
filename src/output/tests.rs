use super::*;

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).expect("read")
}

#[test]
fn staging_swaps_in_only_on_commit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let build = dir.path().join("site");
    std::fs::create_dir_all(&build).expect("mkdir");
    std::fs::write(build.join("old.html"), "old").expect("write");

    let s = Staging::create(&build).expect("staging");
    s.put("a/index.html", b"new").expect("put");
    assert!(s.put("../escape.html", b"x").is_err());
    s.abandon().expect("abandon");
    assert!(build.join("old.html").exists());

    let s = Staging::create_over(&build, Staging::prepare(&build)).expect("staging");
    s.put("a/index.html", b"new").expect("put");
    s.commit().expect("commit");
    assert!(!build.join("old.html").exists());
    assert_eq!(read(&build.join("a/index.html")), "new");
    assert_eq!(read(&staging_path(&build).join("old/old.html")), "old", "the replaced site is kept");
}

/// Builds one site with `files` over whatever the staging folder keeps.
fn build_site(build: &Path, files: &[(&str, &str)]) {
    let s = Staging::create_over(build, Staging::prepare(build)).expect("staging");
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
    assert_eq!(files, ["a/index.html", "f/index.html", "gone", "index.html"]);
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
    let s = Staging::create_over(&build, Staging::prepare(&build)).expect("staging");
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
fn a_symbolic_link_in_a_kept_site_is_removed_not_followed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let build = dir.path().join("site");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    build_site(&build, &[("index.html", "1")]);
    std::os::unix::fs::symlink(&outside, build.join("sneaky")).expect("symlink");
    build_site(&build, &[("index.html", "2")]);
    build_site(&build, &[("index.html", "3"), ("sneaky/index.html", "inside")]);
    assert!(std::fs::read_dir(&outside).expect("read").next().is_none(), "nothing written outside");
    assert_eq!(read(&build.join("sneaky/index.html")), "inside");
}
