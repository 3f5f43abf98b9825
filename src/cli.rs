//! The command-line interface (clap derive): commands, flags and their `--help` text.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Turns a repo of incident postmortems and reading notes into a fast, searchable static site,
/// with a pattern page for every contributing factor.
#[derive(Debug, Parser)]
#[command(name = "casebook", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors and warnings.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Also print notes (what casebook inferred, drafts left out).
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// When to use colour (`NO_COLOR` also turns it off).
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Color {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// How `check` prints diagnostics.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// For people, on stderr.
    Human,
    /// One JSON object per line, on stdout.
    Json,
}

/// How `patterns` prints the ranking.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PatternsFormat {
    /// An aligned table, coloured on a terminal.
    Table,
    /// A JSON array, in rank order, of the objects `api/patterns.json` holds.
    Json,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the library at DIR into its build dir.
    Build {
        /// The library folder (holding book.toml and content/).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write the site from every valid document even when some are rejected (still exits 1).
        #[arg(long)]
        keep_going: bool,
        /// Include documents with `status: draft`.
        #[arg(long)]
        drafts: bool,
    },
    /// Build the library, serve it on loopback, rebuild on change and reload open pages.
    Serve {
        /// The library folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Address to listen on; anything but loopback lets other machines read the site.
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Also answer requests for this host name (a proxy's or a container's; repeatable).
        /// Others get 403, so that no web page can read the site through DNS rebinding.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes, for file systems whose change events don't arrive.
        #[arg(long)]
        poll: bool,
        /// Include documents with `status: draft`.
        #[arg(long)]
        drafts: bool,
    },
    /// Validate everything and write nothing.
    Check {
        /// The library folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output format for diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit 1 on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Check drafts too.
        #[arg(long)]
        drafts: bool,
    },
    /// Print the factors ranked by recurrence (reads and analyses only; writes nothing).
    Patterns {
        /// The library folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// An aligned table, or the objects of `api/patterns.json` as a JSON array.
        #[arg(long, value_enum, default_value_t = PatternsFormat::Table)]
        format: PatternsFormat,
        /// Only factors named in at least this many incidents.
        #[arg(long, default_value_t = 1)]
        min: usize,
        /// Propose factors.yaml entries from the contributing-factor texts no registered factor
        /// matches (docs/suggest.md), as a draft on stdout.
        #[arg(long, conflicts_with_all = ["format", "min"])]
        suggest: bool,
        /// Read drafts too.
        #[arg(long)]
        drafts: bool,
    },
    /// List the incidents that read most like a draft file or a library incident, with the
    /// words they share ("have we seen this before?"; reads and analyses only, writes nothing).
    Similar {
        /// A file (when such a path exists, relative to the current folder), else an incident id.
        target: String,
        /// The library folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// How many to list at most.
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// An aligned table (score, date, id, title, shared words), or a JSON array.
        #[arg(long, value_enum, default_value_t = PatternsFormat::Table)]
        format: PatternsFormat,
    },
    /// Write a new incident or note from a template, with today's date.
    New {
        /// What to write.
        #[arg(value_enum)]
        kind: NewKind,
        /// Its title; the file name is made from it.
        title: String,
        /// Open the new file in `$EDITOR` (or `$VISUAL`).
        #[arg(long)]
        open: bool,
        /// The library folder.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
    /// Create a ready library in DIR: book.toml, an example incident and note, factors.yaml and the schemas.
    Init {
        /// Where to create it (made if missing; existing files are never overwritten).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print the JSON Schema (draft 2020-12) of incident or note front matter, or of factors.yaml.
    Schema {
        /// Which schema.
        #[arg(value_enum)]
        of: SchemaKind,
    },
}

/// What `casebook new` writes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NewKind {
    /// A postmortem, `content/incidents/<today>-<slug>.md`.
    Incident,
    /// A reading note, `content/notes/<slug>.md`.
    Note,
}

/// Which schema `casebook schema` prints.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    /// Incident front matter.
    Incident,
    /// Reading-note front matter.
    Note,
    /// The factor registry, factors.yaml.
    Factors,
}
