//! Disk → raw documents: walk the source folder (sorted), read each file, split off its front
//! matter into plain JSON-like fields with the location of every key, and list the other files
//! to copy. Nothing here knows what an incident is; that is the model's job.

mod frontmatter;
pub mod infer;
mod locate;
mod walk;
mod yaml;

pub use frontmatter::{normalise as frontmatter_normalise, split, FrontMatter};
pub use locate::{KeyLocations, TopKey, KEY};
pub use walk::{is_document, list, load, read_each, Asset, Listing, RawDocument, RawFactors, Read, Source};
