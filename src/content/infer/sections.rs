//! Recognises a postmortem's sections by their headings (docs/content.md#sections): a section is a heading of
//! any level and what follows it up to the next heading of the same or a higher level; each
//! block belongs to the innermost recognised section around it.

use crate::markdown::outline::Block;

/// A section casebook reads fields from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `summary`, `executive summary`, `overview`, `tl;dr`.
    Summary,
    /// `timeline`.
    Timeline,
    /// `contributing factors`, `root causes`, `what went wrong`, ...
    Factors,
    /// `action items`, `follow-ups`, `remediation`, ...
    ActionItems,
    /// `impact`.
    Impact,
    /// `trigger`.
    Trigger,
    /// `detection`.
    Detection,
}

/// Section names (lower-cased, `-` and `_` as spaces), by the section they start.
const NAMES: &[(&str, Section)] = &[
    ("summary", Section::Summary),
    ("executive summary", Section::Summary),
    ("overview", Section::Summary),
    ("tl;dr", Section::Summary),
    ("timeline", Section::Timeline),
    ("contributing factors", Section::Factors),
    ("contributing factor", Section::Factors),
    ("root cause", Section::Factors),
    ("root causes", Section::Factors),
    ("causes", Section::Factors),
    ("what went wrong", Section::Factors),
    ("action items", Section::ActionItems),
    ("follow ups", Section::ActionItems),
    ("follow up", Section::ActionItems),
    ("corrective actions", Section::ActionItems),
    ("remediation", Section::ActionItems),
    ("next steps", Section::ActionItems),
    ("impact", Section::Impact),
    ("trigger", Section::Trigger),
    ("detection", Section::Detection),
];

impl Section {
    /// How a note names where a value came from: "the timeline", "the `Impact` section".
    pub fn describe(self, heading: &str) -> String {
        match self {
            Section::Timeline => "the timeline".into(),
            _ => format!("the `{heading}` section"),
        }
    }
}

/// The section a heading starts, if casebook reads it. The name is the heading lower-cased,
/// with a leading number (`3.`, `2.1`) and a trailing parenthesis or colon removed.
pub fn recognise(heading: &str) -> Option<Section> {
    let mut name = heading.trim().to_lowercase().replace(['-', '_'], " ");
    if let Some(open) = name.rfind('(').filter(|_| name.ends_with(')')) {
        name.truncate(open);
    }
    let name = name.trim().trim_end_matches(':').trim();
    let name = name.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.').trim_start();
    NAMES
        .iter()
        .filter(|(n, _)| {
            name.strip_prefix(n).is_some_and(|rest| rest.is_empty() || !rest.starts_with(char::is_alphanumeric))
        })
        .map(|(_, s)| *s)
        .next()
}

/// For each block, the innermost recognised section it lies in and that section's heading.
pub fn assign(blocks: &[Block]) -> Vec<Option<(Section, usize)>> {
    // Open headings, outermost first: (level, recognised section, index of the heading block).
    let mut open: Vec<(u8, Option<Section>, usize)> = Vec::new();
    let mut out = Vec::with_capacity(blocks.len());
    for (i, block) in blocks.iter().enumerate() {
        if let Block::Heading { level, text, .. } = block {
            while open.last().is_some_and(|(l, _, _)| l >= level) {
                open.pop();
            }
            open.push((*level, recognise(text), i));
            out.push(None);
            continue;
        }
        out.push(open.iter().rev().find_map(|(_, s, at)| s.map(|s| (s, *at))));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::outline::outline;

    #[test]
    fn names_at_any_level_with_decorations() {
        for (heading, section) in [
            ("Summary", Some(Section::Summary)),
            ("Executive Summary:", Some(Section::Summary)),
            ("TL;DR", Some(Section::Summary)),
            ("Timeline (all times UTC)", Some(Section::Timeline)),
            ("Root Causes", Some(Section::Factors)),
            ("Root cause and trigger", Some(Section::Factors)),
            ("Contributing Factor(s)", Some(Section::Factors)),
            ("What went wrong", Some(Section::Factors)),
            ("3. Action items", Some(Section::ActionItems)),
            ("Follow-ups", Some(Section::ActionItems)),
            ("Follow-up", Some(Section::ActionItems)),
            ("Corrective actions", Some(Section::ActionItems)),
            ("Impact", Some(Section::Impact)),
            ("Trigger:", Some(Section::Trigger)),
            ("Detection", Some(Section::Detection)),
            ("Impactful changes", None),
            ("Lessons learned", None),
            ("What went well", None),
            ("Resolution", None),
        ] {
            assert_eq!(recognise(heading), section, "{heading}");
        }
    }

    #[test]
    fn a_section_runs_to_the_next_heading_of_its_level_or_higher() {
        let body = "# Report\n\nintro\n\n## Root causes\n\n- a\n\n### Details\n\n- b\n\n## Lessons\n\n### What went wrong\n\n- c\n\n# Timeline\n\n- d\n";
        let blocks = outline(body);
        let got: Vec<(String, Option<Section>)> = blocks
            .iter()
            .zip(assign(&blocks))
            .filter(|(b, _)| !matches!(b, Block::Heading { .. }))
            .map(|(b, s)| (b.text(), s.map(|(s, _)| s)))
            .collect();
        assert_eq!(
            got,
            [
                ("intro".to_string(), None),
                ("a".into(), Some(Section::Factors)),
                ("b".into(), Some(Section::Factors)),
                ("c".into(), Some(Section::Factors)),
                ("d".into(), Some(Section::Timeline)),
            ]
        );
    }

    use proptest::prelude::*;

    /// A heading name: one of the names casebook reads, decorated as people write them, or
    /// another.
    fn heading() -> impl Strategy<Value = String> {
        let named = (0..NAMES.len(), 0usize..5).prop_map(|(k, decoration)| {
            let name = NAMES[k].0;
            match decoration {
                0 => name.to_string(),
                1 => name.to_uppercase(),
                2 => format!("2. {}:", name.replace(' ', "-")),
                3 => format!("{} (all times UTC)", name.replace(' ', "_")),
                _ => format!("{name}, in short"),
            }
        });
        prop_oneof![named, "[A-Za-z][a-z ]{0,12}"]
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]

        /// Each paragraph belongs to the innermost recognised heading still open above it: the
        /// nearest one before it with no heading of its level or higher in between.
        #[test]
        fn paragraphs_belong_to_the_innermost_open_recognised_heading(
            parts in proptest::collection::vec((1u8..5, heading()), 1..10)
        ) {
            let mut body = String::new();
            for (k, (level, name)) in parts.iter().enumerate() {
                body.push_str(&format!("{} {name}\n\nparagraph {k}\n\n", "#".repeat(usize::from(*level))));
            }
            let blocks = outline(&body);
            let got: Vec<Option<Section>> = blocks
                .iter()
                .zip(assign(&blocks))
                .filter(|(b, _)| matches!(b, Block::Paragraph { .. }))
                .map(|(_, s)| s.map(|(s, _)| s))
                .collect();
            let want: Vec<Option<Section>> = (0..parts.len())
                .map(|k| {
                    // Walking back, a heading is open when none after it is at its level or higher.
                    let mut bound = u8::MAX;
                    parts[..=k].iter().rev().find_map(|(level, name)| {
                        let open = *level < bound;
                        bound = bound.min(*level);
                        recognise(name).filter(|_| open)
                    })
                })
                .collect();
            prop_assert_eq!(got, want, "{}", body);
        }

        /// Case, `-`/`_` for spaces, a leading number and a trailing colon or parenthesis do
        /// not change which section a heading starts, and no text makes `recognise` panic.
        #[test]
        fn decorations_do_not_change_the_section(k in 0..NAMES.len(), any in "\\PC{0,20}") {
            let (name, section) = NAMES[k];
            for written in [name.to_uppercase(), name.replace(' ', "-"), format!("3.1 {name}:"), format!("{name} (UTC)")] {
                prop_assert_eq!(recognise(&written), Some(section), "{}", written);
            }
            let _ = recognise(&any);
        }
    }
}
