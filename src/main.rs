//! argv → command → site::{build, check} or serve → report → exit code (docs/commands.md). `main` owns the
//! ending: it prints the cause chain once and maps the outcome to 0, 1 or 2.

use casebook::authoring::{self, DocKind, SchemaOf};
use casebook::cli::{Cli, Color, Command, Format, NewKind, PatternsFormat, SchemaKind};
use casebook::diagnostic::Level;
use casebook::ranking::{self, RankingFormat, RankingRequest};
use casebook::serve::{self, Print, ServeOptions};
use casebook::site::{self, Options, Outcome};
use clap::Parser;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (the same number in its v2 and v3; the
/// -sys crate leaves this option's constant out, so it is named here).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A build allocates and frees heavily on every thread; by default mimalloc hands freed pages
/// back to the OS after 10 ms, and the kernel zeroes them again when they are reused (on the
/// 10,000-incident benchmark ~15% of the build's CPU). A short-lived process gains nothing by
/// giving memory back early, so purging is off unless `MIMALLOC_PURGE_DELAY` says otherwise.
/// (`serve` keeps the same setting: its memory is that of one build.)
fn tune_allocator() {
    if !casebook::switches::Switches::get().purge_delay_set {
        // SAFETY: sets one integer option; mimalloc allows it at any time, from any thread.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let color = use_color(cli.color, std::io::stderr().is_terminal());
    match run(&cli, color) {
        Ok(code) => code,
        Err(e) => {
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("{}: {}", paint("error", color), chain.join(": "));
            ExitCode::from(1)
        }
    }
}

/// Whether to colour a stream: `--color`, else only on a terminal and without `NO_COLOR`.
fn use_color(choice: Color, terminal: bool) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => terminal && !casebook::switches::Switches::get().no_color,
    }
}

fn paint(s: &str, color: bool) -> String {
    if color {
        let style = anstyle::AnsiColor::Red.on_default().bold();
        format!("{style}{s}{style:#}")
    } else {
        s.to_string()
    }
}

fn run(cli: &Cli, color: bool) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let snippets = std::io::stderr().is_terminal();
    match &cli.command {
        Command::Build { dir, keep_going, drafts } => {
            let progress = casebook::progress::Progress::new(!cli.quiet && std::io::stderr().is_terminal());
            let outcome = site::build_showing(dir, Options { keep_going: *keep_going, drafts: *drafts }, &progress)?;
            progress.finish();
            print_human(cli, dir, &outcome, snippets, color);
            if *keep_going && outcome.wrote && !outcome.rejected.is_empty() {
                eprintln!("rejected {} document(s):", outcome.rejected.len());
                for path in &outcome.rejected {
                    eprintln!("  {path}");
                }
            }
            if !cli.quiet {
                eprintln!("{} in {} ms", site::summary(&outcome, true), started.elapsed().as_millis());
            }
            Ok(exit(outcome.report.has_errors()))
        }
        Command::Serve { dir, port, host, allow_host, open, poll, drafts } => {
            let print = Print { verbose: cli.verbose, quiet: cli.quiet, snippets, color };
            let opts = ServeOptions {
                dir: dir.clone(),
                host: host.clone(),
                port: *port,
                allow_hosts: allow_host.clone(),
                open: *open,
                poll: *poll,
                drafts: *drafts,
                print,
            };
            serve::serve(&opts)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { dir, format, deny_warnings, drafts } => {
            let outcome = site::check(dir, Options { keep_going: false, drafts: *drafts })?;
            if *format == Format::Json {
                let mut out = std::io::stdout().lock();
                // Every diagnostic, notes (what casebook inferred) included: a tool reading
                // JSON filters by `level` itself (docs/content.md#reading-plain-postmortems).
                for d in outcome.report.items() {
                    writeln!(out, "{}", d.to_json())?;
                }
            } else {
                print_human(cli, dir, &outcome, snippets, color);
                if !cli.quiet {
                    eprintln!("{}", site::summary(&outcome, false));
                }
            }
            let failed = outcome.report.has_errors() || (*deny_warnings && outcome.report.count(Level::Warning) > 0);
            Ok(exit(failed))
        }
        Command::Patterns { dir, format, min, suggest, drafts } => {
            let format = match format {
                PatternsFormat::Table => RankingFormat::Table,
                PatternsFormat::Json => RankingFormat::Json,
            };
            // The table goes to stdout, so stdout decides the colour.
            let table_color = use_color(cli.color, std::io::stdout().is_terminal());
            let req = RankingRequest { format, min: *min, color: table_color, drafts: *drafts, suggest: *suggest };
            let (text, outcome) = ranking::patterns(dir, req)?;
            print_human(cli, dir, &outcome, snippets, color);
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(exit(outcome.report.has_errors()))
        }
        Command::Similar { target, dir, top, format } => {
            let req = casebook::lookalike::SimilarRequest {
                target: target.clone(),
                top: *top,
                json: matches!(format, PatternsFormat::Json),
            };
            let (text, outcome) = casebook::lookalike::similar(dir, &req)?;
            print_human(cli, dir, &outcome, snippets, color);
            if text.is_empty() {
                eprintln!("no similar incidents");
            }
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(exit(outcome.report.has_errors()))
        }
        Command::New { kind, title, open, dir } => {
            let kind = match kind {
                NewKind::Incident => DocKind::Incident,
                NewKind::Note => DocKind::Note,
            };
            let rel = authoring::new_document(dir, kind, title)?;
            println!("{}", rel.display());
            if let Some(hint) = authoring::schema_hint(dir, kind).filter(|_| !cli.quiet) {
                eprintln!("{hint}");
            }
            if kind == DocKind::Incident && !cli.quiet {
                let alike = casebook::lookalike::titles_like(dir, title, &rel);
                if !alike.is_empty() {
                    eprintln!("incidents whose titles read alike (link them if they are the same problem):");
                    for line in alike {
                        eprintln!("  {line}");
                    }
                }
            }
            if *open {
                authoring::open_in_editor(&dir.join(&rel))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            let written = authoring::init(dir)?;
            if !cli.quiet {
                for path in &written {
                    eprintln!("  created {path}");
                }
                eprintln!("a new library is ready in `{}`: try `casebook serve {}`", dir.display(), dir.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { of } => {
            let of = match of {
                SchemaKind::Incident => SchemaOf::Incident,
                SchemaKind::Note => SchemaOf::Note,
                SchemaKind::Factors => SchemaOf::Factors,
            };
            print!("{}", authoring::schema_text(of));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints every diagnostic on stderr; notes (what casebook inferred) only under `--verbose`.
fn print_human(cli: &Cli, dir: &std::path::Path, outcome: &Outcome, snippets: bool, color: bool) {
    eprint!("{}", outcome.report.render_human(dir, cli.verbose, snippets, color));
}

fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
