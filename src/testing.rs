//! Shared settings for the property tests: how many cases each runs.

/// A property test's settings: `default_cases` cases, or `PROPTEST_CASES` when it is set, for a
/// deep run (`PROPTEST_CASES=5000 cargo test`). The defaults are kept small so that the whole
/// suite stays quick on a 2-core machine.
pub(crate) fn proptest_config(default_cases: u32) -> proptest::test_runner::Config {
    let mut config = proptest::test_runner::Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default_cases;
    }
    config
}
