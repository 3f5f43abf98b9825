//! `cargo bench`: the hot stages of a build, timed one at a time on a generated library
//! (`examples/generate.rs`, `--factor-spread zipf --code seven`; `BENCH_INCIDENTS`, default 2,000, and a
//! tenth as many notes), each run `BENCH_RUNS` times (default 5), the fastest and the median
//! printed. Stages: front matter (split and parse), loading (read + front matter), the model,
//! Markdown with highlighting (every incident body, on one thread; the other stages use
//! every core as a build does), the analysis, rendering every page into memory
//! that is thrown away, and the search index. A measurement, never a test.

#[allow(dead_code)]
#[path = "../examples/generate.rs"]
mod generate;

use casebook::config::Config;
use casebook::render::Renderer;
use casebook::sink::Sink;
use std::time::{Duration, Instant};

/// Counts the bytes it is given and keeps none.
struct Discard(std::sync::atomic::AtomicUsize);

impl Sink for Discard {
    fn put(&self, _path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.0.fetch_add(bytes.len(), std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

fn time<T>(name: &str, runs: usize, mut f: impl FnMut() -> T) -> T {
    let mut times: Vec<Duration> = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(std::hint::black_box(f()));
        times.push(t.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{name:<28} fastest {:>9.1} ms   median {:>9.1} ms", ms(times[0]), ms(times[times.len() / 2]));
    last.expect("at least one run")
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() -> anyhow::Result<()> {
    // `cargo bench -- --bench` passes flags this harness does not need.
    let (incidents, runs) = (env("BENCH_INCIDENTS", 2000), env("BENCH_RUNS", 5).max(1));
    let dir = tempfile::tempdir()?;
    let factors = generate::Factors::new(generate::Spread::Zipf);
    generate::generate(dir.path(), incidents, incidents / 10, &factors, generate::Code::Seven)?;
    println!("{incidents} incidents, {} notes, {runs} runs each", incidents / 10);
    let (config, _) = Config::load(dir.path())?;

    let source = time("load (read + front matter)", runs, || casebook::content::load(&config))?;
    let texts: Vec<(String, String)> = source
        .documents
        .iter()
        .map(|d| Ok((d.path.clone(), std::fs::read_to_string(dir.path().join(&d.path))?)))
        .collect::<anyhow::Result<_>>()?;
    time("front matter", runs, || texts.iter().filter(|(p, t)| casebook::content::split(p, t).is_ok()).count());
    // Modelled as a build models them: each postmortem's body counted for the search index too.
    let (lib, _) = time("model", runs, || {
        use rayon::prelude::*;
        let docs = source.documents.par_iter().map(|d| casebook::model::model_document(d, &config, true)).collect();
        casebook::model::assemble(docs, source.factors.as_ref(), source.rejected.clone(), false, None)
    });
    let (an, _) =
        time("analysis", runs, || casebook::analysis::analyse(&lib, config.recurring, false, None, Default::default()));
    let urls = casebook::urls::Urls::new(&config);
    time("markdown + highlighting", runs, || {
        lib.incidents
            .iter()
            .map(|inc| {
                let ctx = casebook::markdown::Context {
                    resolver: &an.resolver,
                    urls: &urls,
                    dir: inc.doc.dir(),
                    depth: 2,
                    raw_html: true,
                };
                casebook::markdown::render(&inc.doc.body, &ctx).len()
            })
            .sum::<usize>()
    });
    let theme = casebook::theme::Theme::load(None)?;
    let renderer = Renderer::new(&config, &lib, &an, &urls, &theme, None)?;
    time("render (every page)", runs, || {
        let sink = Discard(Default::default());
        renderer.render_all(&sink).map(|()| sink.0.into_inner())
    })?;
    time("search index", runs, || {
        let sink = Discard(Default::default());
        casebook::search::write(&config, &lib, &an, &sink).map(|()| sink.0.into_inner())
    })?;
    Ok(())
}
