//! The CommonMark spec examples run through saywhen's Markdown stage.
//!
//! Every example of the vendored spec (tests/fixtures/commonmark/) must
//! render as the spec says, compared as the spec's own runner compares
//! ([`normalize`]), unless it is listed in [`DIVERGENCES`] with the reason
//! saywhen renders it otherwise. A listed example is held to that reason:
//! it must differ as written, match once each listed difference is undone
//! (raw HTML allowed, heading anchors taken out, …), and need every
//! difference it lists. So the test fails when a listed example starts to
//! match, and when it differs in any way its reasons do not explain.

mod normalize;

use normalize::normalize_html;
use saywhen::config::RawHtml;
use saywhen::diag::{LineIndex, Severity};
use saywhen::load::markdown::{LinkTarget, ParseInput, parse};
use saywhen::text::escape::escape_html;

const SPEC: &str = include_str!("../fixtures/commonmark/spec-0.31.2.json");

#[derive(serde::Deserialize)]
struct Example {
    markdown: String,
    html: String,
    example: u32,
}

/// What saywhen deliberately does otherwise, each with how to undo it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    /// Raw HTML is shown as text unless `markdown.raw_html = "allow"`;
    /// undone by rendering with it allowed.
    RawHtml,
    /// Every heading gets an `id` and a `#` link to itself, for links to
    /// sections; undone by taking both out.
    HeadingAnchor,
    /// Links are checked: an absolute path (the spec's `/url`) is refused
    /// and written `#`, a relative one names a file under `content/`
    /// (`foo` from content/faq/ is `../faq/foo`, an error when missing),
    /// a `.md` one another entry (broken here, so `#`). Undone by writing
    /// the expected targets as saywhen writes them, once it has reported
    /// the refused link.
    LinkCheck,
    /// A fence's info string becomes a `language-` class only when it is a
    /// plain token; undone by dropping code classes on both sides.
    FenceClass,
    /// Wikilinks are on: `[[foo]]` links to the entry `foo` (broken here,
    /// so `#`); undone by comparing with pulldown-cmark given saywhen's
    /// extensions, link targets blanked on both sides.
    WikiLink,
    /// pulldown-cmark's writer leaves `"` unescaped in text, which HTML
    /// allows (the spec writes `&quot;`, and its runner keeps the two
    /// apart); undone by unescaping `&quot;` in the expected text.
    Quote,
}

use Why::*;

/// The spec examples saywhen renders otherwise, by example number, each
/// with the reasons it differs ([`Why`]) and its section of the spec.
const DIVERGENCES: &[(u32, &[Why])] = &[
    (10, &[HeadingAnchor]),             // Tabs
    (12, &[Quote]),                     // Backslash escapes
    (14, &[Quote]),                     // Backslash escapes
    (21, &[RawHtml]),                   // Backslash escapes
    (22, &[LinkCheck]),                 // Backslash escapes
    (23, &[LinkCheck]),                 // Backslash escapes
    (27, &[Quote]),                     // Entity and numeric character references
    (31, &[RawHtml]),                   // Entity and numeric character references
    (32, &[LinkCheck]),                 // Entity and numeric character references
    (33, &[LinkCheck]),                 // Entity and numeric character references
    (34, &[FenceClass]),                // Entity and numeric character references
    (41, &[Quote]),                     // Entity and numeric character references
    (59, &[HeadingAnchor]),             // Thematic breaks
    (62, &[HeadingAnchor]),             // ATX headings
    (66, &[HeadingAnchor]),             // ATX headings
    (67, &[HeadingAnchor]),             // ATX headings
    (68, &[HeadingAnchor]),             // ATX headings
    (71, &[HeadingAnchor]),             // ATX headings
    (72, &[HeadingAnchor]),             // ATX headings
    (73, &[HeadingAnchor]),             // ATX headings
    (74, &[HeadingAnchor]),             // ATX headings
    (75, &[HeadingAnchor]),             // ATX headings
    (76, &[HeadingAnchor]),             // ATX headings
    (77, &[HeadingAnchor]),             // ATX headings
    (78, &[HeadingAnchor]),             // ATX headings
    (79, &[HeadingAnchor]),             // ATX headings
    (80, &[HeadingAnchor]),             // Setext headings
    (81, &[HeadingAnchor]),             // Setext headings
    (82, &[HeadingAnchor]),             // Setext headings
    (83, &[HeadingAnchor]),             // Setext headings
    (84, &[HeadingAnchor]),             // Setext headings
    (86, &[HeadingAnchor]),             // Setext headings
    (89, &[HeadingAnchor]),             // Setext headings
    (90, &[HeadingAnchor]),             // Setext headings
    (91, &[HeadingAnchor, Quote]),      // Setext headings
    (95, &[HeadingAnchor]),             // Setext headings
    (96, &[HeadingAnchor]),             // Setext headings
    (102, &[HeadingAnchor]),            // Setext headings
    (103, &[HeadingAnchor]),            // Setext headings
    (115, &[HeadingAnchor]),            // Indented code blocks
    (141, &[HeadingAnchor]),            // Fenced code blocks
    (144, &[FenceClass]),               // Fenced code blocks
    (148, &[RawHtml]),                  // HTML blocks
    (149, &[RawHtml]),                  // HTML blocks
    (150, &[RawHtml]),                  // HTML blocks
    (151, &[RawHtml]),                  // HTML blocks
    (152, &[RawHtml]),                  // HTML blocks
    (153, &[RawHtml]),                  // HTML blocks
    (154, &[RawHtml]),                  // HTML blocks
    (155, &[RawHtml]),                  // HTML blocks
    (156, &[RawHtml]),                  // HTML blocks
    (157, &[RawHtml]),                  // HTML blocks
    (158, &[RawHtml]),                  // HTML blocks
    (159, &[RawHtml]),                  // HTML blocks
    (160, &[RawHtml]),                  // HTML blocks
    (161, &[RawHtml]),                  // HTML blocks
    (162, &[RawHtml]),                  // HTML blocks
    (163, &[RawHtml]),                  // HTML blocks
    (164, &[RawHtml]),                  // HTML blocks
    (165, &[RawHtml]),                  // HTML blocks
    (166, &[RawHtml]),                  // HTML blocks
    (167, &[RawHtml]),                  // HTML blocks
    (168, &[RawHtml]),                  // HTML blocks
    (169, &[RawHtml]),                  // HTML blocks
    (170, &[RawHtml]),                  // HTML blocks
    (171, &[RawHtml]),                  // HTML blocks
    (172, &[RawHtml]),                  // HTML blocks
    (173, &[RawHtml]),                  // HTML blocks
    (174, &[RawHtml]),                  // HTML blocks
    (175, &[RawHtml]),                  // HTML blocks
    (176, &[RawHtml]),                  // HTML blocks
    (177, &[RawHtml]),                  // HTML blocks
    (178, &[RawHtml]),                  // HTML blocks
    (179, &[RawHtml]),                  // HTML blocks
    (180, &[RawHtml]),                  // HTML blocks
    (181, &[RawHtml]),                  // HTML blocks
    (182, &[RawHtml]),                  // HTML blocks
    (183, &[RawHtml]),                  // HTML blocks
    (184, &[RawHtml]),                  // HTML blocks
    (185, &[RawHtml]),                  // HTML blocks
    (186, &[RawHtml]),                  // HTML blocks
    (187, &[RawHtml]),                  // HTML blocks
    (188, &[RawHtml]),                  // HTML blocks
    (189, &[RawHtml]),                  // HTML blocks
    (190, &[RawHtml]),                  // HTML blocks
    (191, &[RawHtml]),                  // HTML blocks
    (192, &[LinkCheck]),                // Link reference definitions
    (193, &[LinkCheck]),                // Link reference definitions
    (194, &[LinkCheck]),                // Link reference definitions
    (195, &[LinkCheck]),                // Link reference definitions
    (196, &[LinkCheck]),                // Link reference definitions
    (198, &[LinkCheck]),                // Link reference definitions
    (201, &[RawHtml]),                  // Link reference definitions
    (202, &[LinkCheck]),                // Link reference definitions
    (203, &[LinkCheck]),                // Link reference definitions
    (204, &[LinkCheck]),                // Link reference definitions
    (205, &[LinkCheck]),                // Link reference definitions
    (206, &[LinkCheck]),                // Link reference definitions
    (209, &[Quote]),                    // Link reference definitions
    (210, &[Quote]),                    // Link reference definitions
    (211, &[Quote]),                    // Link reference definitions
    (214, &[HeadingAnchor, LinkCheck]), // Link reference definitions
    (215, &[HeadingAnchor, LinkCheck]), // Link reference definitions
    (216, &[LinkCheck]),                // Link reference definitions
    (217, &[LinkCheck]),                // Link reference definitions
    (218, &[LinkCheck]),                // Link reference definitions
    (227, &[HeadingAnchor]),            // Blank lines
    (228, &[HeadingAnchor]),            // Block quotes
    (229, &[HeadingAnchor]),            // Block quotes
    (230, &[HeadingAnchor]),            // Block quotes
    (232, &[HeadingAnchor]),            // Block quotes
    (300, &[HeadingAnchor]),            // List items
    (308, &[RawHtml]),                  // Lists
    (309, &[RawHtml]),                  // Lists
    (343, &[Quote]),                    // Code spans
    (344, &[RawHtml]),                  // Code spans
    (352, &[Quote]),                    // Emphasis and strong emphasis
    (359, &[Quote]),                    // Emphasis and strong emphasis
    (363, &[Quote]),                    // Emphasis and strong emphasis
    (380, &[Quote]),                    // Emphasis and strong emphasis
    (385, &[Quote]),                    // Emphasis and strong emphasis
    (395, &[Quote]),                    // Emphasis and strong emphasis
    (404, &[LinkCheck]),                // Emphasis and strong emphasis
    (419, &[LinkCheck]),                // Emphasis and strong emphasis
    (422, &[LinkCheck]),                // Emphasis and strong emphasis
    (433, &[LinkCheck]),                // Emphasis and strong emphasis
    (473, &[LinkCheck]),                // Emphasis and strong emphasis
    (474, &[LinkCheck]),                // Emphasis and strong emphasis
    (475, &[RawHtml]),                  // Emphasis and strong emphasis
    (476, &[RawHtml]),                  // Emphasis and strong emphasis
    (477, &[RawHtml]),                  // Emphasis and strong emphasis
    (482, &[LinkCheck]),                // Links
    (483, &[LinkCheck]),                // Links
    (484, &[LinkCheck]),                // Links
    (489, &[LinkCheck]),                // Links
    (491, &[RawHtml]),                  // Links
    (492, &[LinkCheck]),                // Links
    (494, &[RawHtml]),                  // Links
    (495, &[LinkCheck]),                // Links
    (496, &[LinkCheck]),                // Links
    (498, &[LinkCheck]),                // Links
    (499, &[LinkCheck]),                // Links
    (500, &[LinkCheck]),                // Links
    (502, &[LinkCheck]),                // Links
    (503, &[LinkCheck]),                // Links
    (504, &[LinkCheck]),                // Links
    (505, &[LinkCheck]),                // Links
    (506, &[LinkCheck]),                // Links
    (507, &[LinkCheck]),                // Links
    (508, &[Quote]),                    // Links
    (509, &[LinkCheck]),                // Links
    (510, &[LinkCheck]),                // Links
    (512, &[LinkCheck]),                // Links
    (514, &[LinkCheck]),                // Links
    (515, &[LinkCheck]),                // Links
    (516, &[LinkCheck]),                // Links
    (517, &[LinkCheck]),                // Links
    (518, &[LinkCheck]),                // Links
    (519, &[LinkCheck]),                // Links
    (520, &[LinkCheck]),                // Links
    (521, &[LinkCheck]),                // Links
    (522, &[LinkCheck]),                // Links
    (524, &[RawHtml]),                  // Links
    (527, &[LinkCheck]),                // Links
    (528, &[LinkCheck]),                // Links
    (529, &[LinkCheck]),                // Links
    (530, &[LinkCheck]),                // Links
    (531, &[LinkCheck]),                // Links
    (532, &[LinkCheck]),                // Links
    (533, &[LinkCheck]),                // Links
    (534, &[LinkCheck]),                // Links
    (535, &[LinkCheck]),                // Links
    (536, &[RawHtml]),                  // Links
    (539, &[LinkCheck]),                // Links
    (540, &[LinkCheck]),                // Links
    (541, &[LinkCheck]),                // Links
    (542, &[LinkCheck]),                // Links
    (543, &[LinkCheck]),                // Links
    (544, &[LinkCheck]),                // Links
    (548, &[WikiLink]),                 // Links
    (549, &[LinkCheck]),                // Links
    (550, &[LinkCheck]),                // Links
    (553, &[LinkCheck]),                // Links
    (554, &[LinkCheck]),                // Links
    (555, &[LinkCheck]),                // Links
    (556, &[LinkCheck]),                // Links
    (557, &[LinkCheck]),                // Links
    (558, &[LinkCheck]),                // Links
    (559, &[WikiLink]),                 // Links
    (560, &[LinkCheck]),                // Links
    (561, &[LinkCheck]),                // Links
    (562, &[LinkCheck]),                // Links
    (564, &[LinkCheck]),                // Links
    (565, &[LinkCheck]),                // Links
    (566, &[LinkCheck]),                // Links
    (568, &[LinkCheck]),                // Links
    (569, &[LinkCheck]),                // Links
    (570, &[LinkCheck]),                // Links
    (571, &[LinkCheck]),                // Links
    (572, &[LinkCheck]),                // Images
    (573, &[LinkCheck]),                // Images
    (574, &[LinkCheck]),                // Images
    (575, &[LinkCheck]),                // Images
    (576, &[LinkCheck]),                // Images
    (577, &[LinkCheck]),                // Images
    (578, &[LinkCheck]),                // Images
    (579, &[LinkCheck]),                // Images
    (580, &[LinkCheck]),                // Images
    (581, &[LinkCheck]),                // Images
    (582, &[LinkCheck]),                // Images
    (583, &[LinkCheck]),                // Images
    (584, &[LinkCheck]),                // Images
    (585, &[LinkCheck]),                // Images
    (586, &[LinkCheck]),                // Images
    (587, &[LinkCheck]),                // Images
    (588, &[LinkCheck]),                // Images
    (589, &[LinkCheck]),                // Images
    (590, &[WikiLink]),                 // Images
    (591, &[LinkCheck]),                // Images
    (593, &[LinkCheck]),                // Images
    (613, &[RawHtml]),                  // Raw HTML
    (614, &[RawHtml]),                  // Raw HTML
    (615, &[RawHtml]),                  // Raw HTML
    (616, &[RawHtml]),                  // Raw HTML
    (617, &[RawHtml]),                  // Raw HTML
    (619, &[Quote]),                    // Raw HTML
    (620, &[Quote]),                    // Raw HTML
    (623, &[RawHtml]),                  // Raw HTML
    (624, &[Quote]),                    // Raw HTML
    (625, &[RawHtml]),                  // Raw HTML
    (626, &[RawHtml]),                  // Raw HTML
    (627, &[RawHtml]),                  // Raw HTML
    (628, &[RawHtml]),                  // Raw HTML
    (629, &[RawHtml]),                  // Raw HTML
    (630, &[RawHtml]),                  // Raw HTML
    (631, &[RawHtml]),                  // Raw HTML
    (632, &[Quote]),                    // Raw HTML
    (642, &[RawHtml]),                  // Hard line breaks
    (643, &[RawHtml]),                  // Hard line breaks
    (646, &[HeadingAnchor]),            // Hard line breaks
    (647, &[HeadingAnchor]),            // Hard line breaks
];

/// saywhen's HTML for `markdown`, link slots filled as render fills them
/// for a resolved same-page anchor (`#id`) and a broken link (`#`), and
/// the number of links refused: the errors the Markdown stage reported,
/// and the links to other entries, which resolve reports as broken here
/// (the example is the only entry).
fn saywhen(markdown: &str, raw_html: RawHtml) -> (String, usize) {
    // As load reads a file: NUL is replaced before parsing.
    let source = markdown.replace('\0', "\u{fffd}");
    let lines = LineIndex::new();
    let assets = Default::default();
    let input = ParseInput {
        file: "content/faq/x.md",
        dir: "faq",
        source: &source,
        body_offset: 0,
        lines: &lines,
        is_playbook: false,
        raw_html,
        allow_unsafe_links: false,
        assets: &assets,
    };
    let (parsed, diagnostics) = parse(&input);
    let mut errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut html = String::with_capacity(parsed.html.len());
    let mut parts = parsed.html.split('\0');
    html.push_str(parts.next().unwrap_or(""));
    while let (Some(slot), Some(after)) = (parts.next(), parts.next()) {
        let (wants_title, n) = match slot.strip_prefix('t') {
            Some(n) => (true, n),
            None => (false, slot),
        };
        let n: usize = n.parse().expect("a link slot holds a number");
        match (&parsed.links[n].target, wants_title) {
            (LinkTarget::Anchor(a), false) => {
                html.push('#');
                html.push_str(&escape_html(a));
            }
            (LinkTarget::Anchor(a), true) => html.push_str(&escape_html(a)),
            (LinkTarget::Entry { reference, .. }, true) => html.push_str(&escape_html(reference)),
            (LinkTarget::Entry { .. }, false) => {
                errors += 1;
                html.push('#');
            }
        }
        html.push_str(after);
    }
    (html, errors)
}

/// Plain pulldown-cmark with saywhen's extensions, for [`Why::WikiLink`].
fn pulldown_with_extensions(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS;
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, options));
    html
}

/// `html` with every `<hN id="…">` written `<hN>` and saywhen's
/// self-link before `</hN>` taken out.
fn without_heading_anchors(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(" id=\"") {
        let tag = &rest[..at];
        let is_heading = tag.len() >= 3
            && tag[tag.len() - 3..].starts_with("<h")
            && tag.ends_with(|c: char| ('1'..='6').contains(&c));
        let Some(end) = rest[at + 5..].find('"').filter(|_| is_heading) else {
            out.push_str(&rest[..at + 5]);
            rest = &rest[at + 5..];
            continue;
        };
        out.push_str(tag);
        rest = &rest[at + 5 + end + 1..];
    }
    out.push_str(rest);
    // The self-link: `<a class="anchor" href="#ID" aria-label="…">#</a>`.
    const OPEN: &str = "<a class=\"anchor\" href=\"#";
    const CLOSE: &str = "\" aria-label=\"Link to this section\">#</a>";
    let mut cleaned = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find(OPEN) {
        let Some(close) = rest[at..].find(CLOSE) else {
            break;
        };
        cleaned.push_str(&rest[..at]);
        rest = &rest[at + close + CLOSE.len()..];
    }
    cleaned.push_str(rest);
    cleaned
}

/// A link or image target of the spec as saywhen writes it for an entry
/// in content/faq/; see [`Why::LinkCheck`].
fn as_saywhen_writes(target: &str) -> String {
    let scheme = target.split_once(':').is_some_and(|(s, _)| {
        s.len() > 1
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if target.is_empty() || target.starts_with('#') || scheme {
        return target.to_string();
    }
    if target.starts_with(['/', '\\']) {
        return "#".to_string();
    }
    let (path, rest) = target.split_at(target.find(['#', '?']).unwrap_or(target.len()));
    if path.ends_with(".md") {
        return "#".to_string();
    }
    // saywhen reads `\` as a folder separator too, for authors on
    // Windows; the spec percent-encodes it.
    let path = path.replace("%5C", "/");
    let mut parts = vec!["faq"];
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return "#".to_string();
                }
            }
            p => parts.push(p),
        }
    }
    format!("../{}{rest}", parts.join("/"))
}

/// `html` with the value of every `name="…"` attribute passed through `f`.
fn map_attribute(html: &str, name: &str, f: impl Fn(&str) -> String) -> String {
    let needle = format!(" {name}=\"");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        let value = at + needle.len();
        let Some(end) = rest[value..].find('"') else {
            break;
        };
        out.push_str(&rest[..value]);
        out.push_str(&f(&rest[value..value + end]));
        rest = &rest[value + end..];
    }
    out.push_str(rest);
    out
}

/// `html` without the `class="language-…"` of its code elements.
fn without_code_classes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    const CLASS: &str = "<code class=\"language-";
    while let Some(at) = rest.find(CLASS) {
        let Some(end) = rest[at + CLASS.len()..].find("\">") else {
            break;
        };
        out.push_str(&rest[..at]);
        out.push_str("<code>");
        rest = &rest[at + CLASS.len() + end + 2..];
    }
    out.push_str(rest);
    out
}

/// `html` with `&quot;` outside tags written `"`.
fn unescaped_quotes_in_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '&' if !in_tag && rest.starts_with("&quot;") => {
                out.push('"');
                rest = &rest[6..];
                continue;
            }
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Both sides, normalised, once the differences in `whys` are undone.
fn compare(e: &Example, whys: &[Why]) -> Result<(), String> {
    let raw_html = if whys.contains(&RawHtml) {
        RawHtml::Allow
    } else {
        RawHtml::Escape
    };
    let (mut actual, errors) = saywhen(&e.markdown, raw_html);
    // The other differences are undone on this reference too.
    let mut expected = if whys.contains(&WikiLink) {
        pulldown_with_extensions(&e.markdown)
    } else {
        e.html.clone()
    };
    if whys.contains(&WikiLink) {
        for name in ["href", "src"] {
            actual = map_attribute(&actual, name, |_| String::new());
            expected = map_attribute(&expected, name, |_| String::new());
        }
    }
    for why in whys {
        match why {
            RawHtml | WikiLink => {}
            HeadingAnchor => actual = without_heading_anchors(&actual),
            LinkCheck => {
                if errors == 0 {
                    return Err("listed for link checking, but no link was refused".into());
                }
                for name in ["href", "src"] {
                    expected = map_attribute(&expected, name, as_saywhen_writes);
                }
            }
            FenceClass => {
                actual = without_code_classes(&actual);
                expected = without_code_classes(&expected);
            }
            Quote => expected = unescaped_quotes_in_text(&expected),
        }
    }
    let (want, got) = (normalize_html(&expected), normalize_html(&actual));
    if want == got {
        Ok(())
    } else {
        Err(format!("expected {want:?}\n     got {got:?}"))
    }
}

fn examples() -> Vec<Example> {
    serde_json::from_str(SPEC).expect("the vendored spec is the runner's JSON")
}

#[test]
fn spec_examples_render_as_commonmark_says_or_as_documented() {
    let examples = examples();
    assert_eq!(examples.len(), 652, "CommonMark 0.31.2 has 652 examples");
    let mut failures = Vec::new();
    for e in &examples {
        let listed = DIVERGENCES.iter().find(|(n, _)| *n == e.example);
        let whys = listed.map_or(&[][..], |(_, whys)| *whys);
        if whys.is_empty() {
            if let Err(diff) = compare(e, &[]) {
                failures.push(format!(
                    "example {}: differs, and is not listed\n  markdown {:?}\n  {diff}",
                    e.example, e.markdown
                ));
            }
            continue;
        }
        if compare(e, &[]).is_ok() {
            failures.push(format!(
                "example {}: listed as a divergence ({whys:?}) but now matches the spec: take it off the list",
                e.example
            ));
            continue;
        }
        if let Err(diff) = compare(e, whys) {
            failures.push(format!(
                "example {}: differs in more than {whys:?}\n  markdown {:?}\n  {diff}",
                e.example, e.markdown
            ));
            continue;
        }
        for why in whys.iter() {
            let others: Vec<Why> = whys.iter().copied().filter(|w| w != why).collect();
            if compare(e, &others).is_ok() {
                failures.push(format!(
                    "example {}: lists {why:?}, which it does not need",
                    e.example
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples fail:\n\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_divergence_list_is_sorted_and_names_real_examples() {
    let numbers: Vec<u32> = DIVERGENCES.iter().map(|(n, _)| *n).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    assert!(numbers.iter().all(|n| (1..=652).contains(n)), "{numbers:?}");
    assert!(DIVERGENCES.iter().all(|(_, whys)| !whys.is_empty()));
}

/// The four renderings issue 21 reported, through the real binary: the
/// build passes, and the page holds each as CommonMark writes it.
#[test]
fn an_entry_page_has_mailto_links_plain_alt_text_heading_classes_and_encoded_links() {
    use crate::support::{Kb, entry};
    let kb = Kb::new();
    kb.write_bytes("content/faq/my file.pdf", b"%PDF-1.4\n");
    kb.write_bytes("content/faq/chart.png", b"\x89PNG\r\n\x1a\n");
    kb.write(
        "content/faq/customer-asks-for-a-refund.md",
        &entry(
            "situation = \"the customer asks for a refund\"\nowner = \"Billing\"\nreviewed = 2026-05-03",
            "## What to say {.warning data-x=1}\n\n\
             Ask <kb-owners@example.com>.\n\n\
             ![Logo of <https://example.com>](chart.png)\n\n\
             ![a [b](https://x.example)](chart.png)\n\n\
             Read [the policy](<my file.pdf>).\n",
        ),
    );
    kb.run(&["build"])
        .success()
        .stderr_has("heading attribute `data-x=1` is left out");
    let page = kb.read("faq/customer-asks-for-a-refund.html");
    for want in [
        "<h2 id=\"what-to-say\" class=\"warning\">What to say<a class=\"anchor\"",
        "<a href=\"mailto:kb-owners@example.com\">kb-owners@example.com</a>",
        "<img src=\"../faq/chart.png\" alt=\"Logo of https://example.com\" />",
        "<img src=\"../faq/chart.png\" alt=\"a b\" />",
        "<a href=\"../faq/my%20file.pdf\">the policy</a>",
    ] {
        assert!(page.contains(want), "{want}\nnot in\n{page}");
    }
}
