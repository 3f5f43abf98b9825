//! One page per document (incident, note, plain page), plus redirect pages
//! for `aliases`.

use super::doc_views::{
    ActionView, Backlink, DocView, FactorView, IncidentView, NoteView, ProblemView, RelatedView, SimilarView, TimeRow,
};
use super::views::Link;
use super::{file_of, format, native, Renderer, Selection, Sink};
use crate::markdown;
use crate::model::{ActionItem, Doc, Incident, Kind, Note};
use crate::urls::Urls;
use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;

#[derive(Serialize)]
struct RedirectView {
    href: String,
}

impl Renderer<'_> {
    pub(super) fn document_pages(&self, sink: &dyn Sink, sel: &Selection) -> Result<()> {
        let lib = self.b.lib;
        lib.incidents
            .par_iter()
            .enumerate()
            .filter(|(_, inc)| sel.doc(&inc.doc.id))
            .try_for_each(|(i, inc)| self.incident_page(sink, i, inc))?;
        lib.notes.par_iter().filter(|n| sel.doc(&n.doc.id)).try_for_each(|n| self.note_page(sink, n))?;
        lib.pages.par_iter().filter(|p| sel.doc(&p.id)).try_for_each(|p| {
            let path = Urls::page("", &p.id);
            let view = self.doc_view(p, Kind::Page, &path);
            sink.put(&file_of(&path), &self.page(&path, "page.html", &p.title, &p.id, view)?)?;
            self.redirects(sink, "", p)
        })
    }

    /// A document's body as HTML, its links resolved from the page at `path`.
    pub(super) fn body(&self, d: &Doc, path: &str) -> String {
        let ctx = markdown::Context {
            resolver: &self.b.an.resolver,
            urls: self.b.urls,
            dir: d.dir(),
            depth: Urls::depth(path),
            raw_html: self.config.raw_html,
        };
        let Some(t) = &d.transcript else { return markdown::render(&d.body, &ctx) };
        // The body ends with the transcript's copy and what followed the cues; the page shows
        // the transcript's paragraphs, each marked with its time, in place of the copy.
        let body = &*d.body;
        let head = body.len().checked_sub(t.tail).filter(|&at| body.is_char_boundary(at));
        let after = body.len().checked_sub(t.after).filter(|&at| body.is_char_boundary(at));
        let (Some(head), Some(after)) = (head, after) else { return markdown::render(body, &ctx) };
        let mut html = markdown::render(&body[..head], &ctx);
        transcript_html(&mut html, t);
        html.push_str(&markdown::render(&body[after..], &ctx));
        html
    }

    fn doc_view(&self, d: &Doc, kind: Kind, path: &str) -> DocView {
        let depth = Urls::depth(path);
        let r = &self.b.an.resolver;
        let backlinks = self.b.an.backlinks.get(&d.id).into_iter().flatten().filter_map(|id| {
            let target = r.id(id);
            let href = markdown::target_path(&target)?;
            let kind = match target {
                crate::analysis::Target::Doc { kind: Kind::Incident, .. } => "incident",
                crate::analysis::Target::Doc { kind: Kind::Note, .. } => "note",
                _ => "page",
            };
            Some(Backlink { href: self.b.href(depth, &href), label: r.title(&target).unwrap_or(id).to_string(), kind })
        });
        let tag_section = if kind == Kind::Page { None } else { Some("tags") };
        DocView {
            id: d.id.clone(),
            title: d.title.clone(),
            date: d.date.map(|x| x.to_string()),
            date_human: d.date.map(|x| x.human()),
            // A summary that is the body's first paragraph is shown once, in the body.
            summary: d.summary.clone().filter(|_| !d.summary_from_body),
            status: d.status.as_str(),
            tags: tag_section.map(|s| self.b.group_links(depth, s, &d.tags)).unwrap_or_default(),
            authors: d.authors.clone(),
            body_html: self.body(d, path),
            backlinks: backlinks.collect(),
            edit_url: self.config.edit_url_template.as_ref().map(|t| {
                let src = self.config.src.join(&d.src_rel);
                t.replace("{path}", &src.to_string_lossy().replace('\\', "/"))
            }),
            extra: d.extra.clone(),
        }
    }

    fn incident_page(&self, sink: &dyn Sink, index: usize, inc: &Incident) -> Result<()> {
        let path = Urls::page("incidents", &inc.doc.id);
        let depth = Urls::depth(&path);
        let b = &self.b;
        let times = inc
            .times
            .all()
            .into_iter()
            .filter_map(|(name, t)| t.map(|t| (name, t)))
            .map(|(name, t)| TimeRow {
                label: time_label(name),
                value: format::timestamp(t),
                iso: crate::model::date::rfc3339(t),
            })
            .collect();
        let factors = inc
            .factors
            .iter()
            .map(|f| {
                let p = b.an.pattern_index.get(&f.id).map(|&i| &b.an.patterns[i]);
                FactorView {
                    href: b.href(depth, &Urls::page("patterns", &f.id)),
                    title: b.factor_title(&f.id),
                    role: f.role.clone(),
                    note: f.note.clone(),
                    recurring: p.is_some_and(|p| p.recurring),
                    count: p.map_or(0, |p| p.count()),
                }
            })
            .collect();
        // Incidents the authors named in `related` are listed there, not again as computed ones.
        let named: std::collections::HashSet<String> =
            inc.related.iter().map(|(id, _)| crate::model::slugify(id)).collect();
        let related = b.an.related[index]
            .iter()
            .filter(|&&(j, _)| !named.contains(&b.lib.incidents[j].doc.id))
            .map(|&(j, shared)| RelatedView { row: b.incident_row(depth, j), shared })
            .collect();
        let named_related = inc
            .related
            .iter()
            .filter_map(|(id, _)| {
                let t = b.an.resolver.id(id);
                let href = markdown::target_path(&t)?;
                Some(Link { href: b.href(depth, &href), label: b.an.resolver.title(&t).unwrap_or(id).to_string() })
            })
            .collect();
        let view = IncidentView {
            doc: self.doc_view(&inc.doc, Kind::Incident, &path),
            severity: inc.severity.clone(),
            sev_rank: b.sev_rank(inc.severity.as_deref()),
            services: b.group_links(depth, "services", &inc.services),
            teams: b.group_links(depth, "teams", &inc.teams),
            times,
            figures: b.figures(inc),
            detection: inc.detection.clone(),
            trigger: inc.trigger.clone(),
            impact: inc.impact.clone(),
            factors,
            unclassified: inc.unclassified.clone(),
            actions: inc.action_items.iter().map(|a| self.action_view(depth, a)).collect(),
            related,
            named_related,
            similar: b.an.similar.lists[index]
                .iter()
                .map(|s| SimilarView { row: b.incident_row(depth, s.incident), words: s.words.join(", ") })
                .collect(),
            problem: b.an.problem_of.get(index).copied().flatten().map(|p| &b.an.problems[p]).map(|p| ProblemView {
                href: b.href(depth, &format!("recurring/#{}", p.id)),
                label: p.label.clone(),
                count: p.incidents.len(),
            }),
            source: inc.source.clone().map(safe_source),
        };
        let file = file_of(&path);
        if self.native.incident && native::supports_incident(&view) {
            let site = self.site(&path);
            native::write_page(sink, &file, |out| native::incident_page(out, site, &inc.doc.title, &view))?;
        } else {
            sink.put(&file, &self.page(&path, "incident.html", &inc.doc.title, "incidents", view)?)?;
        }
        self.redirects(sink, "incidents", &inc.doc)
    }

    /// An action item as its incident's page and pattern pages show it.
    pub(super) fn action_view(&self, depth: usize, a: &ActionItem) -> ActionView {
        ActionView {
            title: a.title.clone(),
            status: a.status.clone(),
            owner: a.owner.clone(),
            due: a.due.map(|d| d.human()),
            done: a.done.map(|d| d.human()),
            link: a.link.as_deref().and_then(markdown::safe_url),
            addresses: self.b.factor_links(depth, a.addresses.iter().map(String::as_str)),
        }
    }

    fn note_page(&self, sink: &dyn Sink, n: &Note) -> Result<()> {
        let path = Urls::page("notes", &n.doc.id);
        let depth = Urls::depth(&path);
        let r = &self.b.an.resolver;
        let incidents = n
            .incidents
            .iter()
            .filter_map(|(id, _)| {
                let t = r.id(id);
                Some(Link {
                    href: self.b.href(depth, &markdown::target_path(&t)?),
                    label: r.title(&t).unwrap_or(id).to_string(),
                })
            })
            .collect();
        let view = NoteView {
            doc: self.doc_view(&n.doc, Kind::Note, &path),
            row: self.b.note_row(depth, n),
            url: n.url.as_deref().and_then(markdown::safe_url),
            incidents,
        };
        let file = file_of(&path);
        if self.native.note {
            let site = self.site(&path);
            native::write_page(sink, &file, |out| native::note_page(out, site, &n.doc.title, &view))?;
        } else {
            sink.put(&file, &self.page(&path, "note.html", &n.doc.title, "notes", view)?)?;
        }
        self.redirects(sink, "notes", &n.doc)
    }

    /// Writes a redirect page at each old id of a document.
    fn redirects(&self, sink: &dyn Sink, section: &str, d: &Doc) -> Result<()> {
        for (alias, _) in &d.aliases {
            let path = Urls::page(section, alias);
            let target = self.b.href(Urls::depth(&path), &Urls::page(section, &d.id));
            sink.put(
                &file_of(&path),
                &self.page(&path, "redirect.html", &d.title, "", RedirectView { href: target })?,
            )?;
        }
        Ok(())
    }
}

/// Makes the printed fields of `source` text (a number or `true` as written; a list or map is
/// dropped, since Tera would print it unescaped) and drops a `source.url` of a scheme other
/// than `http`, `https` or `mailto`.
fn safe_source(mut source: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    if let Some(map) = source.as_object_mut() {
        for key in ["organization", "url", "license"] {
            match map.get(key) {
                None | Some(Value::String(_)) => {}
                Some(v @ (Value::Number(_) | Value::Bool(_))) => {
                    let text = v.to_string();
                    map.insert(key.to_string(), Value::String(text));
                }
                Some(_) => {
                    map.remove(key);
                }
            }
        }
        if map.get("url").and_then(|u| u.as_str()).is_some_and(|u| !crate::url_scheme::is_linkable(u)) {
            map.remove("url");
        }
    }
    source
}

fn time_label(name: &str) -> &'static str {
    match name {
        "started" => "Started",
        "detected" => "Detected",
        "acknowledged" => "Acknowledged",
        "mitigated" => "Mitigated",
        _ => "Resolved",
    }
}

/// A transcript's paragraphs, each opened by its time: a link to that moment of the video when
/// there is one.
fn transcript_html(out: &mut String, t: &crate::model::Transcript) {
    out.push_str("<div class=\"transcript\">\n");
    for p in &t.paragraphs {
        match &p.href {
            Some(href) => {
                out.push_str("<p><a class=\"at\" href=\"");
                markdown::escape_into(out, href);
                out.push_str("\">");
            }
            None => out.push_str("<p><span class=\"at\">"),
        }
        markdown::escape_into(out, &p.at);
        out.push_str(if p.href.is_some() { "</a> " } else { "</span> " });
        markdown::escape_into(out, &p.text);
        out.push_str("</p>\n");
    }
    out.push_str("</div>\n");
}
