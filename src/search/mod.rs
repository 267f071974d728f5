//! The search index, written at build time for the browser to load.
//!
//! Each entry is indexed with its fields kept apart so the browser can weigh
//! them: a term's posting records the entry and a bit mask of the fields it
//! occurs in. The index is a script (`search/index.js`), not JSON fetched at
//! run time, so search also works from `file://`. What the first results
//! need is all that loads first: the stems, the postings of every field but
//! the body, and per entry its title, URL, kind, tags and status. Postings of
//! stems an entry holds only in its body follow in `search/body.js`, loaded
//! at once but after; description, say-phrases, aliases, steps and snippet
//! text are cut into scripts of [`TEXT_SHARD`] entries that the page loads
//! only when it shows results from them. So the first results need only the smaller
//! part of the index (docs/performance.md has the sizes).

mod body_text;
pub(crate) mod engine;
mod spelling;
pub mod tokenize;

use crate::config::ExpiredInSearch;
use crate::governance::State;
use crate::load::markdown::PhraseKind;
use crate::load::{Entry, Kind};
use crate::resolve::Site;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tokenize::{Term, Tokenizer};

/// The fields, in bit order, with their weights (docs/search.md explains
/// the ranking). Title, situation and aliases outrank headings, tags and
/// say-phrases, which outrank the description and the body.
pub(crate) const FIELDS: &[(&str, u32)] = &[
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
pub(crate) const TEXT_SHARD: usize = 500;

/// Snippet text kept per entry; a match further in falls back to the
/// description.
const TEXT_LIMIT: usize = 4000;

/// The start of the index object, up to the per-entry data. The whole
/// object is `{...Head, "docs": [Doc...], "terms": [stem...], "df":
/// [entries holding the stem...], "postings": [[posting...]...]}`, where
/// each posting of a term is
/// `(doc - previous doc) * 256 + field mask`, in ascending doc order, and
/// the stems are sorted.
#[derive(Serialize)]
struct Head<'a> {
    v: u32,
    fields: Vec<&'static str>,
    weights: Vec<u32>,
    kinds: Vec<&'static str>,
    kind_labels: Vec<&'static str>,
    /// [`crate::load::KindInfo::derives_title`] by kind: results of these
    /// kinds show the entry's say-phrase that best matches the query, the
    /// answer to the question their title asks.
    kind_derives_title: Vec<bool>,
    tags: Vec<&'a str>,
    stop: &'static [&'static str],
    filler: &'static [&'static str],
    /// Synonym groups; each member is a sequence of stems.
    synonyms: Vec<Vec<Vec<String>>>,
    shard: usize,
    /// `[search] log_queries`: the page sends query beacons to
    /// [`BEACON`]. Left out when off, so such an index is unchanged.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    log_queries: bool,
}

/// One entry, as a tuple to keep the file small: `[title, url, kind, tags,
/// exact keys, status, field lengths]`, where the first exact key is the
/// title's, status is 0 verified, 1 due for review, 2 expired, 3 never
/// reviewed (the page's "Not yet reviewed"), and the
/// field lengths are the entry's count of terms in each of [`FIELDS`], for
/// the ranking's length normalisation. Everything only
/// shown with a result (description, say-phrases, aliases, steps, snippet
/// text) is in the entry's text shard, loaded when a result from it is
/// rendered.
type Doc<'a> = (
    &'a str,
    &'a str,
    usize,
    Vec<usize>,
    &'a [String],
    u8,
    [u32; 8],
);

/// An entry in its text shard: `[snippet text, description, say-phrases,
/// aliases, steps]`, where the steps are a playbook's step headings in
/// order (none for other kinds). A result shows the say-phrase and the
/// step that match the query best.
type Shown<'a> = (&'a str, &'a str, Vec<&'a str>, &'a [String], Vec<&'a str>);

/// What the index holds of one entry that depends only on the entry and its
/// tags: its terms with field masks, its exact keys and its snippet text.
/// `serve` keeps these between rebuilds, so a save re-tokenises one entry.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    /// Stems with the mask of the fields they occur in, each once, in no
    /// particular order: the index sorts the stems once, at the end.
    /// Multi-word synonyms found in a field are terms too ([`Phrases`]).
    terms: Vec<(Term, u8)>,
    /// How many terms each of [`FIELDS`] holds.
    lens: [u32; 8],
    exact: Vec<String>,
    text: String,
}

/// Entry `i`'s record, its body's text read back from the spool where load
/// left it there ([`crate::load::BodyHtml::of`]). A spool that cannot be
/// read leaves the body's words out of the index; a build reads the same
/// bodies for their pages, which report it.
fn record_of(site: &Site, phrases: &Phrases, i: usize) -> Record {
    let e = &site.entries[i];
    let text = site
        .body_html
        .of(e)
        .map(|(_, text)| text)
        .unwrap_or_default();
    record_for(site, phrases, i, &text)
}

/// The site's synonyms of more than one word, as stem sequences: wherever
/// one's stems stand side by side in a field (stop words between them
/// aside), the record also holds the sequence joined by a space as one
/// term, so the page matches "legal action" as a phrase, not as two words
/// anywhere in the entry.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Phrases {
    /// By their last stem.
    by_last: HashMap<String, Vec<Vec<String>>>,
    longest: usize,
}

impl Phrases {
    pub(crate) fn of(site: &Site) -> Phrases {
        let tokenizer = Tokenizer::default();
        let mut phrases = Phrases::default();
        for (key, values) in &site.config.search.synonyms {
            for member in std::iter::once(key).chain(values) {
                let stems = tokenizer.terms(member);
                if stems.len() < 2 {
                    continue;
                }
                phrases.longest = phrases.longest.max(stems.len());
                let list = phrases
                    .by_last
                    .entry(stems[stems.len() - 1].clone())
                    .or_default();
                if !list.contains(&stems) {
                    list.push(stems);
                }
            }
        }
        phrases
    }

    /// The phrases that `recent` (a field's latest terms, oldest first)
    /// ends with.
    fn ending(&self, recent: &[Term]) -> impl Iterator<Item = &Vec<String>> {
        recent
            .last()
            .and_then(|last| self.by_last.get(&**last))
            .into_iter()
            .flatten()
            .filter(move |stems| {
                stems.len() <= recent.len()
                    && stems
                        .iter()
                        .zip(&recent[recent.len() - stems.len()..])
                        .all(|(a, b)| **a == **b)
            })
    }
}

/// Entry `i`'s record from its body's search text as load left it, with
/// the linked titles and included snippets it names filled in
/// ([`body_text::filled`]).
pub(crate) fn record_for(site: &Site, phrases: &Phrases, i: usize, body_text: &str) -> Record {
    let text = body_text::filled(site, i, body_text);
    record_with_text(&site.entries[i], &site.entry_tags[i], &text, phrases)
}

/// Tokenises one entry; `tags` are its normalised tag names, `body_text`
/// its body's search text.
pub(crate) fn record_with_text(
    e: &Entry,
    tags: &[String],
    body_text: &str,
    phrases: &Phrases,
) -> Record {
    let tokenizer = Tokenizer::default();
    // Sized for a typical entry's distinct terms, so the map does not
    // regrow several times per entry.
    let mut masks: FxHashMap<Term, u8> =
        FxHashMap::with_capacity_and_hasher(512, Default::default());
    let mut lens = [0u32; 8];
    let mut recent: Vec<Term> = Vec::with_capacity(phrases.longest);
    let mut add = |text: &str, bit: u8| {
        recent.clear();
        let mut mark = |term: &Term| match masks.get_mut(term) {
            Some(mask) => *mask |= bit,
            None => {
                masks.insert(Arc::clone(term), bit);
            }
        };
        tokenizer.for_each_term(text, |term| {
            lens[bit.trailing_zeros() as usize] += 1;
            mark(term);
            if phrases.longest > 0 {
                if recent.len() == phrases.longest {
                    recent.remove(0);
                }
                recent.push(Arc::clone(term));
                for stems in phrases.ending(&recent) {
                    mark(&Term::from(stems.join(" ")));
                }
            }
        });
    };
    add(&e.title, TITLE);
    if let Some(s) = e
        .front
        .situation
        .as_deref()
        .filter(|_| e.kind.derives_title())
    {
        add(s, SITUATION);
    }
    for a in &e.front.aliases {
        add(a, ALIASES);
    }
    for h in &e.body.headings {
        add(&h.text, HEADINGS);
    }
    for t in tags {
        add(t, TAGS);
    }
    for p in e.body.phrases.iter().filter(|p| p.kind == PhraseKind::Say) {
        add(&p.text, PHRASES);
    }
    if let Some(d) = &e.front.description {
        add(d, DESCRIPTION);
    }
    add(body_text, BODY);
    let terms: Vec<(Term, u8)> = masks.into_iter().collect();

    // The title's key first (an FAQ's title holds its situation, so the two
    // reduce alike), then the others sorted: search puts an entry whose own
    // title the query is above one that only has it as an alias. The title's
    // key stays first even when empty, which no query equals.
    let own = tokenizer.exact_key(&e.title);
    let mut others: Vec<String> = e
        .front
        .situation
        .iter()
        .chain(&e.front.aliases)
        .map(|t| tokenizer.exact_key(t))
        .filter(|k| !k.is_empty() && *k != own)
        .collect();
    others.sort();
    others.dedup();
    let exact: Vec<String> = std::iter::once(own).chain(others).collect();
    Record {
        terms,
        lens,
        exact,
        text: truncate(body_text.to_string(), TEXT_LIMIT),
    }
}

/// Records kept between `serve` rebuilds, by source file. A record is
/// reused while its entry is the same loaded value (entries are reloaded
/// only when their file changes), its tags are the same and so is what its
/// body text takes from other files ([`body_text::outside`]).
/// A record with the entry, tags and outside hash it was made from.
type Cached = (Arc<Entry>, Vec<String>, u64, Arc<Record>);

#[derive(Default)]
pub(crate) struct RecordCache {
    by_file: HashMap<String, Cached>,
    /// The phrases the records were made with: other synonyms make other
    /// records.
    phrases: Arc<Phrases>,
    /// The records each text shard was written from last time: a shard
    /// whose entries have the very same records is the same bytes.
    shards: Vec<Vec<Arc<Record>>>,
}

impl RecordCache {
    /// Forgets which text shards were written, so the next [`render`]
    /// returns every file: for a rebuild that writes the output afresh.
    ///
    /// [`render`]: RecordCache::render
    pub(crate) fn forget_written(&mut self) {
        self.shards.clear();
    }

    /// The index files for `site`, re-tokenising only new or changed
    /// entries. A text shard that would come out as it did last time is
    /// `None`: the caller already has it.
    pub(crate) fn render(&mut self, site: &Site) -> BTreeMap<String, Option<Vec<u8>>> {
        let records = self.records(site);
        let mut shards = std::mem::take(&mut self.shards);
        let mut files = BTreeMap::new();
        assemble(
            site,
            &|chunk| chunk.iter().map(|&i| Arc::clone(&records[i])).collect(),
            Some(&mut shards),
            &mut |path, bytes| {
                files.insert(path, bytes);
            },
        );
        self.shards = shards;
        files
    }

    /// The record of every entry of `site`, tokenising only new or changed
    /// entries; forgets entries that are gone.
    fn records(&mut self, site: &Site) -> Vec<Arc<Record>> {
        let phrases = Phrases::of(site);
        if phrases != *self.phrases {
            self.by_file.clear();
            self.phrases = Arc::new(phrases);
        }
        let phrases = Arc::clone(&self.phrases);
        let outside: Vec<u64> = (0..site.entries.len())
            .into_par_iter()
            .map(|i| body_text::outside(site, i))
            .collect();
        let cached: Vec<Option<Arc<Record>>> = site
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                self.by_file
                    .get(&e.file)
                    .filter(|(entry, tags, from, _)| {
                        Arc::ptr_eq(entry, e) && *tags == site.entry_tags[i] && *from == outside[i]
                    })
                    .map(|(_, _, _, record)| Arc::clone(record))
            })
            .collect();
        let records: Vec<Arc<Record>> = cached
            .into_par_iter()
            .enumerate()
            .map(|(i, record)| record.unwrap_or_else(|| Arc::new(record_of(site, &phrases, i))))
            .collect();
        self.by_file = site
            .entries
            .iter()
            .zip(&records)
            .enumerate()
            .map(|(i, (e, r))| {
                (
                    e.file.clone(),
                    (
                        Arc::clone(e),
                        site.entry_tags[i].clone(),
                        outside[i],
                        Arc::clone(r),
                    ),
                )
            })
            .collect();
        records
    }
}

/// The index files of `site`, whole, each entry's record made here: for a
/// site rendered in memory at once ([`crate::render::render`]).
pub fn render(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let phrases = Phrases::of(site);
    assemble(
        site,
        &|chunk| {
            chunk
                .par_iter()
                .map(|&i| Arc::new(record_of(site, &phrases, i)))
                .collect()
        },
        None,
        &mut |path, bytes| {
            files.insert(path, bytes.expect("a whole index has every file"));
        },
    );
    files
}

/// The index as `build` makes it: each entry's record comes from its page,
/// which has the body's text at hand wherever load left it, over
/// `records`, in entry order and in batches ([`is_indexed`] entries only).
/// Each file goes to `emit` as soon as it is made (the text shards first),
/// so the index is never in memory whole. Blocks while it waits for the
/// records, so it runs on a thread of its own. An entry whose record never
/// comes (its body could not be read back: the build has failed) leaves
/// the index short, as does a sender gone before the last entry.
pub(crate) fn render_from_pages(
    site: &Site,
    records: std::sync::mpsc::Receiver<Vec<(usize, Arc<Record>)>>,
    emit: &mut dyn FnMut(String, Vec<u8>),
) {
    let queue = std::sync::Mutex::new((records, std::collections::VecDeque::new()));
    assemble(
        site,
        &|chunk| {
            let mut queue = queue.lock().unwrap_or_else(|e| e.into_inner());
            let (records, waiting) = &mut *queue;
            let mut taken = Vec::with_capacity(chunk.len());
            for &i in chunk {
                loop {
                    if waiting.is_empty() {
                        match records.recv() {
                            Ok(batch) => waiting.extend(batch),
                            Err(_) => return taken,
                        }
                        continue;
                    }
                    let (j, record) = waiting.pop_front().expect("not empty");
                    if j == i {
                        taken.push(record);
                        break;
                    }
                }
            }
            taken
        },
        None,
        &mut |path, bytes| emit(path, bytes.expect("a full build writes every file")),
    );
}

/// Whether entry `i` is in the index: all but expired ones when the site
/// hides those.
pub(crate) fn is_indexed(site: &Site, i: usize) -> bool {
    site.config.governance.expired_in_search != ExpiredInSearch::Hide
        || site.status[i].state != State::Expired
}

/// The paths [`render`] writes, without building the index.
pub(crate) fn render_paths(site: &Site) -> Vec<String> {
    let shown = shown(site).len();
    ["search/index.js".to_string(), "search/body.js".to_string()]
        .into_iter()
        .chain((0..shown.div_ceil(TEXT_SHARD)).map(|n| format!("search/text-{n}.js")))
        .chain(site.config.search.log_queries.then(|| BEACON.to_string()))
        .collect()
}

/// Entries in the index ([`is_indexed`]).
fn shown(site: &Site) -> Vec<usize> {
    (0..site.entries.len())
        .filter(|&i| is_indexed(site, i))
        .collect()
}

/// Builds the index one text shard of entries at a time, taking their
/// records from `records_of` (for the entry indexes given) and dropping
/// them once merged: postings are kept, and each entry's doc and snippet
/// text go straight into the output as JSON, so a build never holds every
/// entry's terms at once. Each file goes to `emit` when it is made.
///
/// With `shards` (the records each text shard was made from last time,
/// updated here), a shard made from the same records is not serialised
/// again and comes back as `None`.
fn assemble(
    site: &Site,
    records_of: &(dyn Fn(&[usize]) -> Vec<Arc<Record>> + Sync),
    mut shards: Option<&mut Vec<Vec<Arc<Record>>>>,
    emit: &mut dyn FnMut(String, Option<Vec<u8>>),
) {
    let tokenizer = Tokenizer::default();
    let tag_names: Vec<&str> = site.tags.values().map(|t| t.name.as_str()).collect();
    let tag_index: HashMap<&str, usize> =
        tag_names.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    let shown = shown(site);

    // The index is written into one buffer, in `Index`'s field order: the
    // head, then each doc as its shard is indexed, then the terms and
    // postings. Each part is made script-safe on its own, so the whole
    // index is never scanned or copied again.
    let mut index = String::from("window.SAYWHEN_SEARCH=");
    index.push_str(&script_safe(
        serde_json::to_string(&head(site, &tokenizer, tag_names)).expect("the index serialises"),
    ));
    index.pop();
    index.push_str(",\"docs\":[");
    let mut first_entry = true;

    // Postings in doc order: one slot per distinct stem, found by hash; the
    // stems are sorted once at the end.
    let mut slots: FxHashMap<Term, usize> = FxHashMap::default();
    // Per stem: postings of the entries where it occurs in some field other
    // than the body (`head`), and of those where it occurs only in the body
    // (`body`, in search/body.js, loaded after the first results).
    let mut postings: Vec<Postings> = Vec::new();
    for (n, chunk) in shown.chunks(TEXT_SHARD).enumerate() {
        let records = records_of(chunk);
        let path = format!("search/text-{n}.js");
        let same = shards.as_deref().is_some_and(|shards| {
            shards.get(n).is_some_and(|before| {
                before.len() == records.len()
                    && before.iter().zip(&records).all(|(a, b)| Arc::ptr_eq(a, b))
            })
        });
        // The postings merge is serial; each entry's doc and text become
        // JSON on their own, beside it.
        let first_doc =
            u32::try_from(n * TEXT_SHARD).expect("the search index holds under 16,777,216 entries");
        let ((), (doc_json, text_json)) = rayon::join(
            || {
                for (k, record) in records.iter().enumerate() {
                    let doc_id = first_doc + k as u32;
                    for (term, mask) in &record.terms {
                        let slot = match slots.get(term) {
                            Some(&slot) => slot,
                            None => {
                                slots.insert(Arc::clone(term), postings.len());
                                postings.push(Postings::default());
                                postings.len() - 1
                            }
                        };
                        postings[slot].push(doc_id, *mask);
                    }
                }
            },
            || {
                let docs: Vec<String> = chunk
                    .par_iter()
                    .zip(&records)
                    .map(|(&i, record)| doc_json(site, i, record, &tag_index))
                    .collect();
                let texts: Option<Vec<String>> = (!same).then(|| {
                    chunk
                        .par_iter()
                        .zip(&records)
                        .map(|(&i, record)| text_json(&site.entries[i], record))
                        .collect()
                });
                (docs, texts)
            },
        );
        for json in doc_json {
            if !first_entry {
                index.push(',');
            }
            first_entry = false;
            index.push_str(&json);
        }
        if let Some(shards) = shards.as_deref_mut() {
            if shards.len() <= n {
                shards.resize(n + 1, Vec::new());
            }
            shards[n] = records.clone();
        }
        match text_json {
            None => {
                emit(path, None);
            }
            Some(texts) => {
                let mut script = format!("(window.SAYWHEN_TEXT=window.SAYWHEN_TEXT||{{}})[{n}]=[");
                for (k, json) in texts.iter().enumerate() {
                    if k > 0 {
                        script.push(',');
                    }
                    script.push_str(json);
                }
                script.push_str("];\n");
                emit(path, Some(script.into_bytes()));
            }
        }
    }
    if let Some(shards) = shards {
        shards.truncate(shown.len().div_ceil(TEXT_SHARD));
    }
    index.push(']');

    let mut terms: Vec<(&str, usize)> = slots.iter().map(|(t, &slot)| (&**t, slot)).collect();
    terms.sort_unstable();
    // The rest of the index and the body postings do not depend on each
    // other; on a large site nothing else is left to render by now (its
    // index waits for the last entry page).
    let (index, body) = rayon::join(
        || {
            index.push_str(",\"terms\":");
            index.push_str(&script_safe(
                serde_json::to_string(&terms.iter().map(|t| t.0).collect::<Vec<_>>())
                    .expect("terms serialise"),
            ));
            index.push_str(",\"df\":[");
            for (n, &(_, slot)) in terms.iter().enumerate() {
                if n > 0 {
                    index.push(',');
                }
                index.push_str(itoa::Buffer::new().format(postings[slot].df()));
            }
            index.push(']');
            index.push_str(",\"postings\":");
            write_lists(
                &mut index,
                terms.iter().map(|&(_, slot)| &postings[slot].head),
            );
            index.push_str("};\n");
            index
        },
        || {
            // About six characters a posting: sized once, so a string that
            // grows with the site is not regrown and copied again and again.
            let postings_count: usize = postings.iter().map(|p| p.body.len()).sum();
            let mut body = String::with_capacity(postings_count * 6 + terms.len() * 3 + 64);
            body.push_str("window.SAYWHEN_BODY=");
            write_lists(
                &mut body,
                terms.iter().map(|&(_, slot)| &postings[slot].body),
            );
            body.push_str(";\n");
            body
        },
    );
    emit("search/index.js".to_string(), Some(index.into_bytes()));
    emit("search/body.js".to_string(), Some(body.into_bytes()));
    if site.config.search.log_queries {
        emit(BEACON.to_string(), Some(BEACON_GIF.to_vec()));
    }
}

/// The file the search page requests, with the query in its query string,
/// when `[search] log_queries` is on: the web server's access log is the
/// record `saywhen gaps` reads.
pub(crate) const BEACON: &str = "search/q.gif";

/// A transparent 1×1 GIF, the smallest answer a browser takes as an image.
const BEACON_GIF: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

/// The index's settings and vocabulary, everything in it but the entries.
fn head<'a>(site: &Site, tokenizer: &Tokenizer, tags: Vec<&'a str>) -> Head<'a> {
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
    Head {
        v: 3,
        fields: FIELDS.iter().map(|f| f.0).collect(),
        weights: FIELDS.iter().map(|f| f.1).collect(),
        kinds: Kind::ALL.iter().map(|k| k.name()).collect(),
        kind_labels: Kind::ALL.iter().map(|k| k.label()).collect(),
        kind_derives_title: Kind::ALL.iter().map(|k| k.derives_title()).collect(),
        tags,
        stop: tokenize::STOP_WORDS,
        filler: tokenize::FILLER_WORDS,
        synonyms,
        shard: TEXT_SHARD,
        log_queries: site.config.search.log_queries,
    }
}

/// An entry's [`Doc`] as JSON.
fn doc_json(site: &Site, i: usize, record: &Record, tag_index: &HashMap<&str, usize>) -> String {
    let e = &site.entries[i];
    let doc: Doc = (
        &e.title,
        e.url(),
        e.kind.index(),
        site.entry_tags[i]
            .iter()
            .filter_map(|t| tag_index.get(t.as_str()).copied())
            .collect(),
        &record.exact,
        match (site.status[i].state, site.status[i].reviewed) {
            (State::Verified, _) => 0,
            (State::Due, Some(_)) => 1,
            (State::Expired, _) => 2,
            (State::Due, None) => 3,
        },
        record.lens,
    );
    script_safe(serde_json::to_string(&doc).expect("a doc serialises"))
}

/// An entry's [`Shown`] text as JSON, safe inside a script.
fn text_json(e: &Entry, record: &Record) -> String {
    let shown: Shown = (
        record.text.as_str(),
        e.front.description.as_deref().unwrap_or(""),
        e.body
            .phrases
            .iter()
            .filter(|p| p.kind == PhraseKind::Say)
            .map(|p| p.text.as_str())
            .collect(),
        &e.front.aliases,
        e.body
            .headings
            .iter()
            .filter(|h| h.step.is_some())
            .map(|h| h.text.as_str())
            .collect(),
    );
    script_safe(serde_json::to_string(&shown).expect("texts serialise"))
}

/// One stem's postings, split by where it occurs: `(doc - previous doc) *
/// 256 + field mask`, ascending docs, in each list. Four bytes each (the
/// postings are the largest part of the index while it is built), which
/// holds any gap below 16,777,216 entries.
#[derive(Default)]
struct Postings {
    head: Vec<u32>,
    head_last: u32,
    body: Vec<u32>,
    body_last: u32,
}

impl Postings {
    fn push(&mut self, doc: u32, mask: u8) {
        let (list, last) = if mask == BODY {
            (&mut self.body, &mut self.body_last)
        } else {
            (&mut self.head, &mut self.head_last)
        };
        let delta = if list.is_empty() { doc } else { doc - *last };
        *last = doc;
        assert!(
            delta < 1 << 24,
            "the search index holds under 16,777,216 entries"
        );
        list.push(delta << 8 | u32::from(mask));
    }

    /// How many entries hold the stem, for its weight.
    fn df(&self) -> usize {
        self.head.len() + self.body.len()
    }
}

/// `[[…],[…],…]`: one list of numbers per stem.
fn write_lists<'a>(json: &mut String, lists: impl Iterator<Item = &'a Vec<u32>>) {
    json.push('[');
    for (n, list) in lists.enumerate() {
        if n > 0 {
            json.push(',');
        }
        json.push('[');
        for (k, p) in list.iter().enumerate() {
            if k > 0 {
                json.push(',');
            }
            json.push_str(itoa::Buffer::new().format(*p));
        }
        json.push(']');
    }
    json.push(']');
}

/// Escapes `<`, `>` and `&` inside JSON strings as `\u003c` and friends: the
/// data means the same, and no entry text can ever read as markup, even if a
/// theme inlines the index into a page.
fn script_safe(json: String) -> String {
    let markup = |text: &str| memchr::memchr3(b'<', b'>', b'&', text.as_bytes());
    if markup(&json).is_none() {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 64);
    let mut rest = json.as_str();
    while let Some(at) = markup(rest) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
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

#[cfg(test)]
mod tests {
    use super::script_safe;

    #[test]
    fn script_safe_escapes_markup_characters_only() {
        assert_eq!(
            script_safe(r#"["a<b>&c","<\/script>"]"#.to_string()),
            r#"["a\u003cb\u003e\u0026c","\u003c\/script\u003e"]"#
        );
        assert_eq!(script_safe("[\"café\"]".to_string()), "[\"café\"]");
    }

    /// The index of a site whose bodies are in a spool is the index of the
    /// same site kept in memory.
    #[test]
    fn the_index_reads_spooled_bodies() {
        use crate::config::SiteConfig;
        use crate::resolve::{ResolveOptions, resolve};
        let dir = tempfile::tempdir().unwrap();
        let faq = dir.path().join("content/faq");
        std::fs::create_dir_all(&faq).unwrap();
        for n in 0..3 {
            std::fs::write(
                faq.join(format!("q{n}.md")),
                format!("+++\nsituation = \"question {n}\"\n+++\n\nAnswer with *zeugma{n}* and [[q{}]].\n", (n + 1) % 3),
            )
            .unwrap();
        }
        let config = SiteConfig::parse("title = \"T\"\n").unwrap();
        let options = ResolveOptions {
            drafts: false,
            today: time::macros::date!(2026 - 06 - 01),
        };
        let index = |keep_up_to| {
            let (content, d) =
                crate::load::load_keeping_html(dir.path(), &config, keep_up_to).unwrap();
            assert!(d.is_empty(), "{d:?}");
            let spooled = matches!(content.body_html, crate::load::BodyHtml::Spooled(_));
            assert_eq!(spooled, keep_up_to == 0);
            super::render(&resolve(content, &config, &options).0)
        };
        let kept = index(usize::MAX);
        let body: String = kept
            .values()
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
            .collect();
        assert!(body.contains("zeugma2"), "{body}");
        assert_eq!(index(0), kept);
    }
}
