//! The search index, written at build time for the browser to load.
//!
//! Each entry is indexed with its fields kept apart so the browser can weigh
//! them: a term's posting records the entry and a bit mask of the fields it
//! occurs in. The index is a script (`search/index.js`), not JSON fetched at
//! run time, so search also works from `file://`. Snippet text, which is
//! most of the bytes and not needed to rank, is cut into separate scripts of
//! [`TEXT_SHARD`] entries that the page loads only when it shows results
//! from them.

pub mod tokenize;

use crate::load::Kind;
use crate::load::markdown::PhraseKind;
use crate::resolve::Site;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tokenize::Tokenizer;

/// The fields, in bit order, with their weights (docs/search.md explains
/// the ranking). Title, situation and aliases outrank headings, tags and
/// say-phrases, which outrank the description and the body.
pub const FIELDS: &[(&str, u32)] = &[
    ("title", 10),
    ("situation", 10),
    ("aliases", 9),
    ("headings", 4),
    ("tags", 4),
    ("phrases", 4),
    ("description", 2),
    ("body", 1),
];

const TITLE: u8 = 1 << 0;
const SITUATION: u8 = 1 << 1;
const ALIASES: u8 = 1 << 2;
const HEADINGS: u8 = 1 << 3;
const TAGS: u8 = 1 << 4;
const PHRASES: u8 = 1 << 5;
const DESCRIPTION: u8 = 1 << 6;
const BODY: u8 = 1 << 7;

/// Entries per snippet-text script.
pub const TEXT_SHARD: usize = 500;

/// Snippet text kept per entry; a match further in falls back to the
/// description.
const TEXT_LIMIT: usize = 4000;

#[derive(Serialize)]
struct Index<'a> {
    v: u32,
    fields: Vec<&'static str>,
    weights: Vec<u32>,
    kinds: Vec<&'static str>,
    kind_labels: Vec<&'static str>,
    tags: Vec<&'a str>,
    stop: &'static [&'static str],
    filler: &'static [&'static str],
    /// Synonym groups; each member is a sequence of stems.
    synonyms: Vec<Vec<Vec<String>>>,
    shard: usize,
    docs: Vec<Doc<'a>>,
    /// Sorted stems.
    terms: Vec<String>,
    /// Per term: `(doc - previous doc) * 256 + field mask`, ascending docs.
    postings: Vec<Vec<u64>>,
}

/// One entry, as a tuple to keep the file small:
/// `[title, url, kind, tags, description, first say-phrase, aliases, exact keys]`.
type Doc<'a> = (
    &'a str,
    String,
    usize,
    Vec<usize>,
    &'a str,
    &'a str,
    &'a [String],
    Vec<String>,
);

/// One entry's part of the index: its doc, its terms with field masks, and
/// its snippet text.
type Indexed<'a> = (Doc<'a>, Vec<(String, u8)>, String);

pub fn render(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let tokenizer = Tokenizer::default();
    let tag_names: Vec<&str> = site.tags.values().map(|t| t.name.as_str()).collect();
    let tag_index: HashMap<&str, usize> =
        tag_names.iter().enumerate().map(|(i, t)| (*t, i)).collect();

    let per_entry: Vec<Indexed> = site
        .entries
        .par_iter()
        .enumerate()
        .map(|(i, e)| {
            let tokenizer = Tokenizer::default();
            let mut masks: HashMap<String, u8> = HashMap::new();
            let mut add = |text: &str, bit: u8| {
                for term in tokenizer.terms(text) {
                    *masks.entry(term).or_default() |= bit;
                }
            };
            add(&e.title, TITLE);
            if let Some(s) = e.front.situation.as_deref().filter(|_| e.kind == Kind::Faq) {
                add(s, SITUATION);
            }
            for a in &e.front.aliases {
                add(a, ALIASES);
            }
            for h in &e.body.headings {
                add(&h.text, HEADINGS);
            }
            for t in &site.entry_tags[i] {
                add(t, TAGS);
            }
            let mut phrase_text = String::new();
            for p in e.body.phrases.iter().filter(|p| p.kind == PhraseKind::Say) {
                add(&p.text, PHRASES);
                phrase_text.push_str(&p.text);
                phrase_text.push(' ');
            }
            if let Some(d) = &e.front.description {
                add(d, DESCRIPTION);
            }
            add(&e.body.text, BODY);
            let mut masks: Vec<(String, u8)> = masks.into_iter().collect();
            masks.sort_unstable();

            let mut exact: Vec<String> = std::iter::once(e.title.as_str())
                .chain(e.front.situation.as_deref())
                .chain(e.front.aliases.iter().map(String::as_str))
                .map(|t| tokenizer.exact_key(t))
                .filter(|k| !k.is_empty())
                .collect();
            exact.sort();
            exact.dedup();
            let doc: Doc = (
                &e.title,
                e.url(),
                e.kind as usize,
                site.entry_tags[i]
                    .iter()
                    .filter_map(|t| tag_index.get(t.as_str()).copied())
                    .collect(),
                e.front.description.as_deref().unwrap_or(""),
                e.body
                    .phrases
                    .iter()
                    .find(|p| p.kind == PhraseKind::Say)
                    .map_or("", |p| p.text.as_str()),
                &e.front.aliases,
                exact,
            );
            phrase_text.push_str(&e.body.text);
            (doc, masks, truncate(phrase_text, TEXT_LIMIT))
        })
        .collect();

    let mut postings: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut last_doc: HashMap<String, u64> = HashMap::new();
    let mut docs = Vec::with_capacity(per_entry.len());
    let mut texts = Vec::with_capacity(per_entry.len());
    for (doc_id, (doc, masks, text)) in per_entry.into_iter().enumerate() {
        let doc_id = doc_id as u64;
        for (term, mask) in masks {
            let previous = last_doc.insert(term.clone(), doc_id);
            let delta = previous.map_or(doc_id, |p| doc_id - p);
            postings
                .entry(term)
                .or_default()
                .push(delta * 256 + u64::from(mask));
        }
        docs.push(doc);
        texts.push(text);
    }

    let synonyms = site
        .config
        .search
        .synonyms
        .iter()
        .map(|(key, values)| {
            std::iter::once(key)
                .chain(values)
                .map(|member| tokenizer.terms(member))
                .filter(|terms| !terms.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|group| group.len() > 1)
        .collect();

    let (terms, postings): (Vec<String>, Vec<Vec<u64>>) = postings.into_iter().unzip();
    let index = Index {
        v: 1,
        fields: FIELDS.iter().map(|f| f.0).collect(),
        weights: FIELDS.iter().map(|f| f.1).collect(),
        kinds: Kind::ALL.iter().map(|k| k.name()).collect(),
        kind_labels: Kind::ALL.iter().map(|k| k.label()).collect(),
        tags: tag_names,
        stop: tokenize::STOP_WORDS,
        filler: tokenize::FILLER_WORDS,
        synonyms,
        shard: TEXT_SHARD,
        docs,
        terms,
        postings,
    };
    let mut files = BTreeMap::new();
    let json = script_safe(serde_json::to_string(&index).expect("the index serialises"));
    files.insert(
        "search/index.js".to_string(),
        format!("window.SAYWHEN_SEARCH={json};\n").into_bytes(),
    );
    for (n, chunk) in texts.chunks(TEXT_SHARD).enumerate() {
        let json = script_safe(serde_json::to_string(chunk).expect("texts serialise"));
        files.insert(
            format!("search/text-{n}.js"),
            format!("(window.SAYWHEN_TEXT=window.SAYWHEN_TEXT||{{}})[{n}]={json};\n").into_bytes(),
        );
    }
    files
}

/// Escapes `<`, `>` and `&` inside JSON strings as `\u003c` and friends: the
/// data means the same, and no entry text can ever read as markup, even if a
/// theme inlines the index into a page.
fn script_safe(json: String) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn truncate(mut text: String, limit: usize) -> String {
    if text.len() > limit {
        let mut cut = limit;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}
