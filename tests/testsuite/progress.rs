//! SPEC §1: progress is shown on a terminal for long builds, and never when output is not a TTY.

use crate::fixtures::full_library;

#[test]
fn a_build_whose_output_is_not_a_terminal_prints_no_progress() {
    let lib = full_library();
    let run = lib.build(&[]);
    run.assert_code(0);
    for word in ["loading", "analysing", "rendering", "indexing", "writing", "\r", "\x1b["] {
        assert!(!run.stderr.contains(word), "{word:?} in {:?}", run.stderr);
    }
    assert!(run.stderr.starts_with("built "), "{:?}", run.stderr);
}
