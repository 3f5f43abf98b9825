//! Writing a library rather than building one: `casebook init` lays out a ready library,
//! `casebook new` writes a filled-in postmortem or note, and `casebook schema` prints the JSON
//! Schemas that let YAML editors complete and check front matter. Nothing here overwrites a file.

mod init;
mod new;
pub mod schema;

pub use init::init;
pub use new::{new_document, open_in_editor, schema_hint, DocKind};
pub use schema::{schema, schema_text, SchemaOf};

use crate::model::Date;
use std::path::{Component, Path, PathBuf};

/// Where `init` writes the schemas, relative to the library root.
pub const SCHEMA_DIR: &str = ".casebook/schema";

/// Today in UTC, or the day of `SOURCE_DATE_EPOCH` when it is set (for reproducible output).
pub fn today() -> Date {
    let from_env = crate::switches::Switches::get().source_date_epoch;
    let secs = from_env.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(0))
            .unwrap_or(0)
    });
    Date::from_days(secs.div_euclid(86_400))
}

/// A relative path from folder `from` to file `to`, both relative to the same root, with `/`.
fn relative(from: &Path, to: &Path) -> String {
    let parts = |p: &Path| -> Vec<String> {
        p.components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    };
    let (a, b) = (parts(from), parts(to));
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out: Vec<String> = vec!["..".to_string(); a.len() - common];
    out.extend(b[common..].iter().cloned());
    out.join("/")
}

/// The files that already exist among `paths` (relative to `root`), for a refusal that names them all.
fn existing(root: &Path, paths: &[PathBuf]) -> Vec<String> {
    paths.iter().filter(|p| root.join(p).symlink_metadata().is_ok()).map(|p| slash(p)).collect()
}

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_then_descend() {
        let to = Path::new(".casebook/schema/incident.json");
        assert_eq!(relative(Path::new("content/incidents"), to), "../../.casebook/schema/incident.json");
        assert_eq!(relative(Path::new(""), to), ".casebook/schema/incident.json");
        assert_eq!(relative(Path::new("docs/src/notes"), to), "../../../.casebook/schema/incident.json");
    }
}
