//! Progress of a long build on a terminal (docs/commands.md): the stage (loading, analysing, rendering N
//! of M files, indexing, writing) on one line of stderr, shown only once the build has taken
//! about a second, and never when stderr is not a terminal or with `--quiet` (the caller
//! decides; a hidden [`Progress`] costs an atomic add per file). `indicatif` is used here only.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Duration;

/// How long a build runs before its progress is shown.
const DELAY: Duration = Duration::from_secs(1);

/// One build's progress line.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A progress line that draws on stderr when `enabled`, else never.
    pub fn new(enabled: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(style("{spinner} {msg}"));
        if enabled {
            // Shown only if the build is still running after DELAY.
            let later = bar.clone();
            std::thread::spawn(move || {
                std::thread::sleep(DELAY);
                if !later.is_finished() {
                    later.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
                    later.enable_steady_tick(Duration::from_millis(100));
                }
            });
        }
        Progress { bar }
    }

    /// A progress line that never draws.
    pub fn hidden() -> Progress {
        Progress::new(false)
    }

    /// Starts a stage without a count (`loading`, `analysing`, `indexing`, `writing`).
    pub fn stage(&self, name: &'static str) {
        self.bar.set_style(style("{spinner} {msg}"));
        self.bar.set_message(name);
    }

    /// Starts counting files rendered, out of `of` when known.
    pub fn counting(&self, of: Option<u64>) {
        self.bar.set_position(0);
        match of {
            Some(n) => {
                self.bar.set_length(n);
                self.bar.set_style(style("{spinner} rendering {pos} of {len} files {wide_bar}"));
            }
            None => self.bar.set_style(style("{spinner} rendering {pos} files")),
        }
        self.bar.set_message("rendering");
    }

    /// One more file written.
    pub fn file(&self) {
        self.bar.inc(1);
    }

    /// Clears the line (the summary follows on its own line).
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
