//! Pins of the templates that native printing (`src/render/native/`) mirrors byte for byte.
//!
//! The printers only take over while a template is the embedded default, so an edit to
//! `incident.html` alone would keep native printing on and the site would quietly keep the old
//! markup. Each mirrored template's hash is pinned here: any edit fails this test, naming the
//! printer to update with it. After updating the printer (and running `native.rs`, the
//! differential test), put the new hash printed by the failure into `PINS`.

use std::path::Path;
use xxhash_rust::xxh3::xxh3_64;

/// A mirrored template, its pinned hash (xxh3, 64 bits, of the file's bytes) and the printers
/// under `src/render/native/` that write what it writes.
struct Pin {
    template: &'static str,
    hash: u64,
    printers: &'static [&'static str],
}

const PINS: &[Pin] = &[
    Pin { template: "base.html", hash: 0xba7d91d7038294bc, printers: &["chrome.rs"] },
    Pin { template: "macros.html", hash: 0xa8b5826ecb448ee4, printers: &["rows.rs", "mod.rs"] },
    Pin { template: "incident.html", hash: 0x7d0d71d3995da55f, printers: &["incident.rs", "action.rs"] },
    Pin { template: "note.html", hash: 0x2864170319f4af87, printers: &["note.rs"] },
    Pin { template: "group.html", hash: 0x6d0ca25e25bec129, printers: &["group.rs"] },
    Pin { template: "incidents.html", hash: 0xfb0ec986da21f6c9, printers: &["lists.rs"] },
    Pin { template: "notes.html", hash: 0x1008e4d185b3b986, printers: &["lists.rs"] },
    Pin {
        template: "pattern.html",
        hash: 0x86be2f9cbd274b26,
        printers: &["pattern/mod.rs", "pattern/figures.rs", "pattern/incidents.rs", "pattern/context.rs", "action.rs"],
    },
];

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What a pin says when its template no longer hashes the same, or `None` when it does.
fn drift(pin: &Pin, bytes: &[u8]) -> Option<String> {
    let now = xxh3_64(bytes);
    (now != pin.hash).then(|| {
        let printers: Vec<String> = pin.printers.iter().map(|p| format!("native/{p}")).collect();
        format!(
            "{} changed: update {} and the pin (tests/testsuite/native_pins.rs, hash 0x{now:016x})",
            pin.template,
            printers.join(" and ")
        )
    })
}

#[test]
fn every_mirrored_template_is_pinned_to_its_printer() {
    let problems: Vec<String> =
        PINS.iter().filter_map(|pin| drift(pin, &read(&repo("themes/default/templates").join(pin.template)))).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for pin in PINS {
        for printer in pin.printers {
            assert!(repo("src/render/native").join(printer).is_file(), "{}: no printer native/{printer}", pin.template);
        }
    }
}

#[test]
fn a_one_byte_edit_names_the_template_and_its_printer() {
    let pin = PINS.iter().find(|p| p.template == "incident.html").expect("incident.html is pinned");
    let mut bytes = read(&repo("themes/default/templates/incident.html"));
    assert_eq!(drift(pin, &bytes), None);
    bytes.push(b'\n');
    let message = drift(pin, &bytes).expect("an edit is drift");
    assert!(
        message.starts_with("incident.html changed: update native/incident.rs and native/action.rs and the pin"),
        "{message}"
    );
}

/// The templates whose being embedded turns native printing on are the ones `Native::new`
/// asks the theme about; each of them must be pinned, so a new native page cannot go unpinned.
#[test]
fn the_pins_cover_every_template_native_printing_checks() {
    let source = String::from_utf8(read(&repo("src/render/native/mod.rs"))).expect("utf-8");
    let start = source.find("fn new(").expect("Native::new in native/mod.rs");
    let body = &source[start..start + source[start..].find("\n    }\n").expect("end of Native::new")];
    let checked: std::collections::BTreeSet<&str> =
        body.split('"').skip(1).step_by(2).filter(|s| s.ends_with(".html")).collect();
    let pinned: std::collections::BTreeSet<&str> = PINS.iter().map(|p| p.template).collect();
    assert!(checked.len() >= 8, "found only {checked:?} in Native::new");
    assert_eq!(checked, pinned, "Native::new checks (left) and the pins (right) differ");
}
