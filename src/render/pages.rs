//! One page per document (incident, note, plain page) and per pattern, plus redirect pages
//! for `aliases`.

use super::views::{Figure, IncidentRow, Link, NoteRow};
use super::{charts, file_of, format, native, Renderer, Selection, Sink};
use crate::markdown;
use crate::model::{ActionItem, Doc, Incident, Kind, Note};
use crate::urls::Urls;
use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;

#[derive(Serialize)]
pub(super) struct Backlink {
    pub(super) href: String,
    pub(super) label: String,
    pub(super) kind: &'static str,
}

#[derive(Serialize)]
pub(super) struct DocView {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) date: Option<String>,
    pub(super) date_human: Option<String>,
    pub(super) summary: Option<String>,
    pub(super) status: &'static str,
    pub(super) tags: Vec<Link>,
    pub(super) authors: Vec<String>,
    pub(super) body_html: String,
    pub(super) backlinks: Vec<Backlink>,
    pub(super) edit_url: Option<String>,
    pub(super) extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
pub(super) struct TimeRow {
    pub(super) label: &'static str,
    pub(super) value: String,
    pub(super) iso: String,
}

#[derive(Serialize)]
pub(super) struct FactorView {
    pub(super) href: String,
    pub(super) title: String,
    pub(super) role: Option<String>,
    pub(super) note: Option<String>,
    pub(super) recurring: bool,
    pub(super) count: usize,
}

#[derive(Clone, Serialize)]
pub(super) struct ActionView {
    pub(super) title: String,
    pub(super) status: String,
    pub(super) owner: Option<String>,
    pub(super) due: Option<String>,
    pub(super) done: Option<String>,
    pub(super) link: Option<String>,
    pub(super) addresses: Vec<Link>,
}

#[derive(Serialize)]
pub(super) struct RelatedView<'r> {
    pub(super) row: Cow<'r, IncidentRow>,
    pub(super) shared: usize,
}

#[derive(Serialize)]
pub(super) struct IncidentView<'r> {
    pub(super) doc: DocView,
    pub(super) severity: Option<String>,
    pub(super) sev_rank: usize,
    pub(super) services: Vec<Link>,
    pub(super) teams: Vec<Link>,
    pub(super) times: Vec<TimeRow>,
    pub(super) figures: Vec<Figure>,
    pub(super) detection: Option<crate::model::Detection>,
    pub(super) trigger: Option<String>,
    pub(super) impact: Option<crate::model::Impact>,
    pub(super) factors: Vec<FactorView>,
    /// Contributing-factor texts no registered factor matches (SPEC §3.5).
    pub(super) unclassified: Vec<String>,
    pub(super) actions: Vec<ActionView>,
    pub(super) related: Vec<RelatedView<'r>>,
    pub(super) named_related: Vec<Link>,
    pub(super) source: Option<serde_json::Value>,
}

#[derive(Serialize)]
pub(super) struct NoteView {
    pub(super) doc: DocView,
    pub(super) row: NoteRow,
    pub(super) url: Option<String>,
    pub(super) incidents: Vec<Link>,
}

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

    fn body(&self, d: &Doc, path: &str) -> String {
        let ctx = markdown::Context {
            resolver: &self.b.an.resolver,
            urls: self.b.urls,
            dir: d.dir(),
            depth: Urls::depth(path),
            raw_html: self.config.raw_html,
        };
        markdown::render(&d.body, &ctx)
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
            summary: d.summary.clone(),
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

    fn action_view(&self, depth: usize, a: &ActionItem) -> ActionView {
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
/// dropped, since Tera would print it unescaped) and drops a `source.url` that would run script.
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
        if map.get("url").and_then(|u| u.as_str()).is_some_and(markdown::is_script_url) {
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

#[derive(Clone, Serialize)]
pub(super) struct Occ<'r> {
    pub(super) row: Cow<'r, IncidentRow>,
    pub(super) role: Option<String>,
    pub(super) note: Option<String>,
}

#[derive(Clone, Serialize)]
pub(super) struct ActionRow {
    pub(super) action: ActionView,
    pub(super) incident: Link,
}

#[derive(Clone, Serialize)]
pub(super) struct Recurrence {
    pub(super) action: String,
    pub(super) done: String,
    pub(super) fixed_in: Link,
    pub(super) recurred_in: Link,
    pub(super) after: usize,
    /// How many of the incidents after the fix share a service with `fixed_in`.
    pub(super) same_service: usize,
    /// The services `recurred_in` shares with `fixed_in`.
    pub(super) shared: Vec<String>,
    /// Whether `fixed_in` names any service (else "same service" says nothing).
    pub(super) fixed_has_services: bool,
}

/// How many "came back after a fix" entries a pattern page lists.
const RECURRENCES_SHOWN: usize = 10;

#[derive(Clone, Serialize)]
pub(super) struct CoView {
    pub(super) link: Link,
    pub(super) count: usize,
    /// Two decimals, so the column lines up.
    pub(super) jaccard: String,
}

#[derive(Clone, Serialize)]
pub(super) struct Quarter {
    pub(super) label: String,
    pub(super) count: usize,
}

#[derive(Clone, Serialize)]
pub(super) struct PatternView<'r> {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) category: Option<String>,
    pub(super) description: Option<String>,
    pub(super) aliases: Vec<String>,
    pub(super) text_html: Option<String>,
    pub(super) count: usize,
    pub(super) recurring: bool,
    pub(super) protective: bool,
    pub(super) recurring_threshold: usize,
    pub(super) trend: &'static str,
    pub(super) last_12: usize,
    pub(super) previous_12: usize,
    pub(super) reference: Option<String>,
    pub(super) first_seen: Option<String>,
    pub(super) last_seen: Option<String>,
    pub(super) incidents: Vec<Occ<'r>>,
    /// Split past `page-size`: this page's place; the figures are over all incidents.
    pub(super) pager: Option<super::lists::Pager>,
    pub(super) first_page: bool,
    pub(super) notes: Vec<NoteRow>,
    pub(super) quarters: Vec<Quarter>,
    pub(super) chart_html: String,
    pub(super) co_occurring: Vec<CoView>,
    pub(super) services: Vec<(Link, usize)>,
    pub(super) ttd: Option<(String, String, usize)>,
    pub(super) impact: Option<(String, String, usize)>,
    pub(super) actions: Vec<ActionRow>,
    pub(super) recurrences: Vec<Recurrence>,
    pub(super) recurrence_count: usize,
}

impl Renderer<'_> {
    pub(super) fn pattern_pages(&self, sink: &dyn Sink, sel: &Selection) -> Result<()> {
        self.b.an.patterns.par_iter().filter(|p| sel.pattern(&p.id)).try_for_each(|p| {
            let b = &self.b;
            let path = Urls::page("patterns", &p.id);
            let depth = Urls::depth(&path);
            let f = b.lib.factors.all.get(&p.id);
            let title = b.factor_title(&p.id);
            let inc_link = |i: usize| {
                let inc = &b.lib.incidents[i];
                Link { href: b.href(depth, &Urls::page("incidents", &inc.doc.id)), label: inc.doc.title.clone() }
            };
            let quarters: Vec<Quarter> = b
                .quarters
                .iter()
                .map(|q| Quarter { label: format!("Q{} {}", q.1, q.0), count: p.quarters.get(q).copied().unwrap_or(0) })
                .collect();
            let chart_items: Vec<(String, usize)> = quarters.iter().map(|q| (q.label.clone(), q.count)).collect();
            let stat = |s: &crate::analysis::Stats| Some((format::minutes_f(s.median?), format::minutes(s.p90?), s.n));
            let view = PatternView {
                id: p.id.clone(),
                category: f.and_then(|f| f.category.clone()),
                description: f.and_then(|f| f.description.clone()),
                aliases: f.map(|f| f.aliases.clone()).unwrap_or_default(),
                text_html: b.lib.pattern_texts.get(&p.id).map(|d| self.body(d, &path)),
                count: p.count(),
                recurring: p.recurring,
                protective: p.protective,
                recurring_threshold: self.config.recurring,
                trend: p.trend.as_str(),
                last_12: p.window.0,
                previous_12: p.window.1,
                reference: b.an.reference.map(|d| d.human()),
                first_seen: p.first_seen.map(|d| d.human()),
                last_seen: p.last_seen.map(|d| d.human()),
                incidents: Vec::new(),
                pager: None,
                first_page: true,
                notes: p.notes.iter().map(|&n| b.note_row(depth, &b.lib.notes[n])).collect(),
                chart_html: charts::bars(&chart_items, &format!("{title}: incidents per quarter")),
                quarters,
                co_occurring: p
                    .co_occurring
                    .iter()
                    .take(10)
                    .map(|c| CoView {
                        link: Link {
                            href: b.href(depth, &Urls::page("patterns", &c.id)),
                            label: b.factor_title(&c.id),
                        },
                        count: c.count,
                        jaccard: format!("{:.2}", c.jaccard),
                    })
                    .collect(),
                services: p
                    .services
                    .iter()
                    .map(|(s, n)| {
                        (
                            Link {
                                href: b.href(depth, &Urls::page("services", &crate::model::slugify(s))),
                                label: s.clone(),
                            },
                            *n,
                        )
                    })
                    .collect(),
                ttd: stat(&p.ttd),
                impact: stat(&p.impact),
                actions: p
                    .actions
                    .iter()
                    .map(|&(i, a)| ActionRow {
                        action: self.action_view(depth, &b.lib.incidents[i].action_items[a]),
                        incident: inc_link(i),
                    })
                    .collect(),
                recurrences: p
                    .recurred_after_fix
                    .iter()
                    .take(RECURRENCES_SHOWN)
                    .map(|r| Recurrence {
                        action: b.lib.incidents[r.incident].action_items[r.action].title.clone(),
                        done: r.done.human(),
                        fixed_in: inc_link(r.incident),
                        recurred_in: inc_link(r.first_after),
                        after: r.after,
                        same_service: r.same_service,
                        shared: r.shared.clone(),
                        fixed_has_services: !b.lib.incidents[r.incident].services.is_empty(),
                    })
                    .collect(),
                recurrence_count: p.recurred_after_fix.len(),
                title: title.clone(),
            };
            self.pattern_split(sink, p, view)
        })
    }

    /// Writes a pattern page, split past `page-size` like the incident list
    /// (`patterns/<id>/`, `patterns/<id>/page/2/`, ...): the first page holds every figure
    /// (over all incidents), the notes and the first incidents; later pages hold the rest of
    /// the incidents. Later pages sit two folders deeper, so their links are made again.
    fn pattern_split(&self, sink: &dyn Sink, p: &crate::analysis::Pattern, view: PatternView) -> Result<()> {
        let b = &self.b;
        let base = format!("patterns/{}", p.id);
        let later = PatternView {
            description: None,
            aliases: Vec::new(),
            text_html: None,
            incidents: Vec::new(),
            pager: None,
            first_page: false,
            notes: Vec::new(),
            quarters: Vec::new(),
            chart_html: String::new(),
            co_occurring: Vec::new(),
            services: Vec::new(),
            actions: Vec::new(),
            recurrences: Vec::new(),
            ..view.clone()
        };
        let mut first = Some(view);
        self.each_page(&base, p.count(), |slot| {
            let d = slot.depth;
            let occ = |o: &crate::analysis::Occurrence| Occ {
                row: b.incident_row(d, o.incident),
                role: o.role.clone(),
                note: o.note.clone(),
            };
            let incidents = p.incidents[slot.range.clone()].iter().map(occ).collect();
            let title = slot.heading(&later.title);
            let v = match first.take() {
                Some(v) => PatternView { incidents, pager: slot.pager, ..v },
                None => PatternView { incidents, pager: slot.pager, ..later.clone() },
            };
            let file = file_of(&slot.path);
            if self.native.pattern {
                let site = self.site(&slot.path);
                return native::write_page(sink, &file, |out| native::pattern_page(out, site, &title, &v));
            }
            sink.put(&file, &self.page(&slot.path, "pattern.html", &title, "patterns", v)?)
        })
    }
}
