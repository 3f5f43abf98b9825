//! `casebook serve`: builds the library into memory, serves it over HTTP on loopback, watches
//! the sources and rebuilds on change, and tells open pages to reload (Server-Sent Events) once
//! the new site is swapped in. A content error never stops it: the last good site stays up and
//! the diagnostics show in the terminal and in an overlay on every open page. notify is used
//! here and nowhere else. Nothing is written to disk, so the build dir is left
//! alone and no staging folder exists to be left behind by Ctrl-C.

mod affected;
mod events;
mod hosts;
mod http;
mod page;
mod rebuild;
mod resolve;
mod slot;
mod store;
mod watch;
mod wire;

use crate::site::Options;
use anyhow::{Context, Result};
use rebuild::{Rebuilder, Rebuilt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::Live;

/// What `casebook serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The library folder.
    pub dir: PathBuf,
    /// Address to bind.
    pub host: String,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// Names answered besides `localhost` and the loopback addresses (`--allow-host`).
    pub allow_hosts: Vec<String>,
    /// Open the site in the default browser once serving.
    pub open: bool,
    /// Poll for changes instead of waiting for file-system events.
    pub poll: bool,
    /// Include drafts.
    pub drafts: bool,
    /// How diagnostics are printed on stderr.
    pub print: Print,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Print {
    /// Notes too.
    pub verbose: bool,
    /// Only errors and warnings.
    pub quiet: bool,
    /// Source lines under each headline.
    pub snippets: bool,
    /// ANSI colour.
    pub color: bool,
}

enum Msg {
    Changed(PathBuf),
    Stop,
}

/// Builds, serves and watches until Ctrl-C. Errors are only what stops it from serving at all
/// (no library, the port in use); a content error is reported and served around.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let hosts = hosts::Hosts::new(&opts.host, &opts.allow_hosts).map_err(|e| anyhow::anyhow!(e))?;
    let root =
        opts.dir.canonicalize().with_context(|| format!("cannot open the library folder `{}`", opts.dir.display()))?;
    let mut rebuilder = Rebuilder::new(&root, Options { keep_going: false, drafts: opts.drafts });
    let first = rebuilder.rebuild(&[])?;
    report(&root, opts.print, &first, true);
    let config = match rebuilder.config() {
        Some(c) => c.clone(),
        None => crate::config::Config::load(&root)?.0,
    };
    let live =
        Arc::new(Live::new(first.files.clone().unwrap_or_else(|| Arc::new(failed_site(&first))), first.problems()));

    let (listener, port) = http::bind(&opts.host, opts.port)?;
    let stop = Arc::new(AtomicBool::new(false));
    let hub = Arc::new(events::Hub::default());
    let shared = Arc::new(http::Shared {
        live: live.clone(),
        prefix: config.site_url.clone(),
        hub: hub.clone(),
        stop: stop.clone(),
        hosts,
    });
    let mut threads = http::spawn(listener, shared);
    threads.push(hub.spawn(live.clone(), stop.clone()));

    let (tx, rx) = mpsc::channel();
    let build = config.build_path();
    let scope = watch::Scope {
        root: root.clone(),
        src: config.src_dir(),
        theme: config.theme.as_ref().map(|t| root.join(t)),
        ignored: vec![build.clone(), config.staging_path()],
    };
    let (fs_tx, fs_rx) = mpsc::channel::<PathBuf>();
    let _watch = watch::start(scope, opts.poll, fs_tx)?;
    let forward = tx.clone();
    std::thread::spawn(move || {
        for p in fs_rx {
            if forward.send(Msg::Changed(p)).is_err() {
                break;
            }
        }
    });
    let on_stop = tx.clone();
    // A second handler cannot be installed in one process; serving twice (tests) just skips it.
    let _ = ctrlc::set_handler(move || {
        let _ = on_stop.send(Msg::Stop);
    });

    let url = format!("http://{}:{port}{}", url_host(&opts.host), config.site_url);
    announce(&opts.host, &url, opts.open);
    watch_loop(&rx, &mut rebuilder, &live, &root, opts.print);

    stop.store(true, Ordering::Relaxed);
    http::wake(&opts.host, port);
    for t in threads {
        let _ = t.join();
    }
    if !opts.print.quiet {
        eprintln!("stopped");
    }
    Ok(())
}

/// Rebuilds after each debounced batch of changes until told to stop. Each batch is shown in
/// two steps (docs/serve.md): first the pages that depend on what was edited, then the pages
/// whose similar incidents or recurring problem the edit moved, unless another save is
/// already waiting: those pages then join its batch, so that it is shown without waiting.
fn watch_loop(rx: &mpsc::Receiver<Msg>, rebuilder: &mut Rebuilder, live: &Live, root: &Path, print: Print) {
    let mut debouncer = watch::Debouncer::new(watch::QUIET, watch::MAX_WAIT);
    loop {
        let wait =
            debouncer.deadline().map_or(Duration::from_secs(3600), |d| d.saturating_duration_since(Instant::now()));
        match rx.recv_timeout(wait) {
            Ok(Msg::Changed(p)) => debouncer.push(p, Instant::now()),
            Ok(Msg::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        let Some(batch) = debouncer.take_ready(Instant::now()) else { continue };
        show(rebuilder.rebuild(&batch), live, root, print);
        loop {
            match rx.try_recv() {
                Ok(Msg::Changed(p)) => debouncer.push(p, Instant::now()),
                Ok(Msg::Stop) => return,
                Err(_) => break,
            }
        }
        if debouncer.deadline().is_none() {
            match rebuilder.follow_up() {
                Ok(Some(built)) => show(Ok(built), live, root, print),
                Ok(None) => {}
                Err(e) => show(Err(e), live, root, print),
            }
        }
    }
}

/// Swaps in what a rebuild made and tells the open pages, or shows why it failed.
fn show(built: Result<Rebuilt>, live: &Live, root: &Path, print: Print) {
    match built {
        Ok(built) if built.unchanged => {}
        Ok(built) => {
            // The pages are told first; the terminal can wait for the diagnostics.
            match &built.files {
                Some(files) => live.publish(files.clone(), built.reload_in_full, built.pages.as_deref()),
                None => live.fail(built.problems()),
            }
            report(root, print, &built, false);
        }
        Err(e) => {
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("error: {}", chain.join(": "));
            live.fail(vec![store::OverlayError { headline: format!("error: {}", chain.join(": ")), help: Vec::new() }]);
        }
    }
}

/// Prints a build's diagnostics and a one-line summary on stderr.
fn report(root: &Path, print: Print, built: &Rebuilt, first: bool) {
    eprint!("{}", built.report.render_human(root, print.verbose, print.snippets, print.color));
    if print.quiet && built.files.is_some() {
        return;
    }
    let (i, n, _, f) = built.counts;
    if built.second {
        let d = built.selection.docs.len();
        eprintln!("then {d} incidents whose similar incidents or recurring problem moved, in {} ms", built.ms);
        return;
    }
    match (&built.files, first, built.partial) {
        (None, _, _) => eprintln!("build failed; still serving the last good site (fix the file and save)"),
        (Some(_), true, _) => eprintln!("built {i} incidents, {n} notes and {f} patterns in {} ms", built.ms),
        (Some(_), false, true) => {
            let sel = &built.selection;
            let (d, p) = (sel.docs.len(), sel.patterns.len() + sel.pattern_rows.len());
            let g = sel.groups.len() + sel.group_rows.len();
            eprintln!(
                "rebuilt {} files ({d} documents, {p} patterns, {g} groups, and the lists) in {} ms",
                built.written, built.ms
            );
        }
        (Some(_), false, false) => eprintln!("rebuilt the whole site ({} files) in {} ms", built.written, built.ms),
    }
}

/// What is served when the first build fails: a page that shows the overlay and reloads once
/// the library builds.
fn failed_site(_built: &Rebuilt) -> store::Files {
    let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head>\
                <body><p>The library did not build; the errors are listed over this page.</p></body></html>";
    let mut files = store::Files::new();
    files.insert("index.html".into(), Arc::from(page.as_bytes()));
    files.insert("404.html".into(), Arc::from(page.as_bytes()));
    files
}

fn loopback(host: &str) -> bool {
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn url_host(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// Says where the site is (the line tools wait for), warns when it is reachable from other
/// machines, and opens a browser when asked.
fn announce(host: &str, url: &str, open: bool) {
    if !loopback(host) {
        eprintln!("warning: serving on `{host}`, which other machines may reach; the default is 127.0.0.1");
    }
    println!("serving {url}");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    if open {
        let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
        if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
            eprintln!("warning: cannot open a browser with `{opener}`: {e}");
        }
    }
}
