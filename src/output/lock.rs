//! One build at a time per library: an advisory lock on `.NAME.lock` beside the build dir, held
//! for the whole build. The file is never deleted (deleting it would let a third build lock a
//! new file while the second still holds the old one) and never written.

use anyhow::{bail, Context as _, Result};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long a build waits for another build of the same library to finish.
const WAIT: Duration = Duration::from_secs(10);

/// The lock, held until dropped (the system releases it when the process ends, however).
#[derive(Debug)]
pub struct Lock {
    _file: std::fs::File,
}

/// Takes the lock on `path`, waiting up to 10 s while another build holds it.
pub fn take(path: &Path) -> Result<Lock> {
    let file = open(path).with_context(|| format!("cannot open the lock file `{}`", path.display()))?;
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < WAIT => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                bail!("another build of this library is running (it holds `{name}`; waited {} s)", WAIT.as_secs())
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock `{}`", path.display()))
            }
        }
    }
}

/// Opens (creating) the lock file, never following a link and never truncating it.
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    options.open(path)
}
