//! Stage 2, resolve: give every entry its place in the site and check that
//! everything it points at exists.
//!
//! Takes the loaded entries, returns a [`Site`]: entries in listing order, a
//! resolved link table per entry (render only looks links up), backlinks,
//! related entries, tag pages and the A–Z index. Every broken link, missing
//! anchor, duplicate slug and unknown tag is found here, before anything is
//! rendered. All lookups go through hash maps built once, so the cost grows
//! with the number of links, not with entries × entries.

pub(crate) mod az;
mod checks;
mod related;

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::load::markdown::LinkTarget;
use crate::load::{Content, Entry, Kind};
use crate::slug::slugify;
use crate::text::suggest;
use crate::text::tags::normalize_tag;
use az::AzItem;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// What one link in an entry resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    Entry {
        index: usize,
        anchor: Option<String>,
    },
    Anchor(String),
    /// Reported as an error; rendered as `#` so a preview still works.
    Broken,
}

#[derive(Debug, Clone)]
pub(crate) struct Tag {
    pub(crate) name: String,
    pub(crate) slug: String,
    /// Entries with this tag, in listing order.
    pub(crate) entries: Vec<usize>,
}

/// Settings that change what resolve accepts or reports.
#[derive(Debug, Clone)]
pub struct ResolveOptions {
    pub drafts: bool,
    pub today: time::Date,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub(crate) config: SiteConfig,
    /// Published entries, grouped by kind, then by weight and title.
    pub entries: Vec<Arc<Entry>>,
    /// Entries left out as drafts, kept so `serve` can rebuild from the
    /// site it has.
    pub(crate) drafts: Vec<Arc<Entry>>,
    /// Content-relative paths of entries that failed to load.
    pub(crate) failed: BTreeSet<String>,
    pub(crate) assets: BTreeSet<String>,
    /// `links[i][n]`: the n-th link of entry i.
    pub(crate) links: Vec<Vec<Resolved>>,
    /// Entries linking to entry i (or naming it in `related`), listing order.
    pub(crate) backlinks: Vec<Vec<usize>>,
    pub(crate) related: Vec<Vec<usize>>,
    /// Normalised tag names of entry i.
    pub(crate) entry_tags: Vec<Vec<String>>,
    /// By tag slug.
    pub(crate) tags: BTreeMap<String, Tag>,
    /// Sorted A–Z items.
    pub(crate) situations: Vec<AzItem>,
    pub(crate) today: time::Date,
    /// Whether entry i can be trusted today: verified, due or expired.
    pub(crate) status: Vec<crate::governance::Status>,
    pub(crate) snippets: BTreeMap<String, Arc<crate::load::snippet::Snippet>>,
    /// Snippet name → the entries including it, in listing order.
    pub(crate) snippet_users: BTreeMap<String, Vec<usize>>,
    /// Whether entry pages take their HTML from the entries or the files.
    pub(crate) body_html: crate::load::BodyHtml,
}

impl Site {
    /// The text an unlabeled wikilink of entry `index` shows (its slot `\0tN\0`
    /// holds `n`): the target's title, and the heading its anchor names if any
    /// (drawn after a ` › `); for a link to a heading of the same page, that
    /// heading. A link that did not resolve (an error) shows what was written.
    pub(crate) fn wikilink_title(&self, index: usize, n: &str) -> (&str, Option<&str>) {
        let entry = &self.entries[index];
        let n = n.parse::<usize>().ok();
        match n.and_then(|n| self.links[index].get(n)) {
            Some(Resolved::Entry {
                index: target,
                anchor,
            }) => {
                let target = &self.entries[*target];
                let heading = anchor
                    .as_ref()
                    .and_then(|a| target.body.headings.iter().find(|h| &h.id == a))
                    .map(|h| h.text.as_str());
                (target.title.as_str(), heading)
            }
            Some(Resolved::Anchor(a)) => {
                let text = entry
                    .body
                    .headings
                    .iter()
                    .find(|h| &h.id == a)
                    .map_or(a.as_str(), |h| h.text.as_str());
                (text, None)
            }
            _ => match n.and_then(|n| entry.body.links.get(n)).map(|l| &l.target) {
                Some(LinkTarget::Entry { reference, .. }) => (reference.as_str(), None),
                _ => ("", None),
            },
        }
    }

    pub(crate) fn of_kind(&self, kind: Kind) -> impl Iterator<Item = usize> + '_ {
        self.where_kind(move |k| k == kind)
    }

    /// The entries whose kind has a property (`Kind::derives_title`), in
    /// listing order.
    pub(crate) fn where_kind<'s>(
        &'s self,
        test: impl Fn(Kind) -> bool + 's,
    ) -> impl Iterator<Item = usize> + 's {
        (0..self.entries.len()).filter(move |&i| test(self.entries[i].kind))
    }
}

pub fn resolve(
    content: Content,
    config: &SiteConfig,
    options: &ResolveOptions,
) -> (Site, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let (mut entries, drafts): (Vec<Arc<Entry>>, Vec<Arc<Entry>>) = content
        .entries
        .into_iter()
        .partition(|e| options.drafts || !e.front.draft);
    entries.sort_by_cached_key(|e| {
        (
            e.kind,
            e.front.weight.unwrap_or(0),
            e.title.to_lowercase(),
            e.slug.clone(),
            e.file.clone(),
        )
    });
    let draft_slugs: HashMap<&str, &str> = drafts
        .iter()
        .map(|d| (d.slug.as_str(), d.file.as_str()))
        .collect();
    let failed = Failed::new(&content.failed);

    let index = Index::new(&entries, &mut diagnostics);
    let clashes = index.clashes.clone();
    // Each entry's links resolve on their own; the diagnostics are kept in
    // entry order, so the report is the same whatever the thread count.
    let (links, found): (Vec<Vec<Resolved>>, Vec<Diagnostics>) = entries
        .par_iter()
        .map(|e| {
            let mut found = Diagnostics::new();
            let links = resolve_links(e, &entries, &index, &draft_slugs, &failed, &mut found);
            (links, found)
        })
        .unzip();
    found.into_iter().for_each(|f| diagnostics.extend(f));

    let mut referenced = vec![false; entries.len()];
    let mut backlinks: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    for (from, resolved) in links.iter().enumerate() {
        for r in resolved {
            if let Resolved::Entry { index: to, .. } = r
                && *to != from
            {
                backlinks[*to].push(from);
            }
        }
    }

    let entry_tags: Vec<Vec<String>> = entries
        .par_iter()
        .map(|e| {
            let mut tags: Vec<String> = e
                .front
                .tags
                .iter()
                .map(|t| normalize_tag(t))
                .filter(|t| !t.is_empty())
                .collect();
            tags.dedup();
            tags
        })
        .collect();
    let tags = tags_by_slug(&entry_tags);

    let (explicit, found): (Vec<Vec<usize>>, Vec<Diagnostics>) = entries
        .par_iter()
        .enumerate()
        .map(|(i, e)| {
            let mut found = Diagnostics::new();
            let list = resolve_related(i, e, &entries, &index, &draft_slugs, &failed, &mut found);
            (list, found)
        })
        .unzip();
    found.into_iter().for_each(|f| diagnostics.extend(f));
    for (from, list) in explicit.iter().enumerate() {
        for &to in list {
            referenced[to] = true;
            backlinks[to].push(from);
        }
    }
    for list in &mut backlinks {
        list.sort_unstable();
        list.dedup();
    }
    for (i, list) in backlinks.iter().enumerate() {
        referenced[i] |= !list.is_empty();
    }
    let related = related::related_entries(&explicit, &entry_tags, &tags, config.related_limit);

    let mut situations: Vec<AzItem> = entries
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, e)| {
            let own = e
                .front
                .situation
                .as_deref()
                .filter(|_| e.kind.derives_title());
            let mut items = Vec::new();
            if let Some(situation) = own {
                items.push(az::item(&crate::load::clean_situation(situation), i, false));
            }
            for alias in &e.front.aliases {
                let alias = crate::load::clean_situation(alias);
                if !alias.is_empty() && Some(alias.as_str()) != own.map(str::trim) {
                    items.push(az::item(&alias, i, true));
                }
            }
            items
        })
        .collect();
    situations.par_sort_by(|a, b| {
        (&a.key, &a.lead, a.entry, a.alias).cmp(&(&b.key, &b.lead, b.entry, b.alias))
    });

    let status = entries
        .iter()
        .map(|e| status_of(e, config, options.today))
        .collect();
    let snippet_users = snippet_users(
        &entries,
        &content.snippets,
        &content.failed,
        &mut diagnostics,
    );

    let site = Site {
        config: config.clone(),
        entries,
        drafts,
        failed: content.failed,
        assets: content.assets,
        links,
        backlinks,
        related,
        entry_tags,
        tags,
        situations,
        today: options.today,
        status,
        snippets: content.snippets,
        snippet_users,
        body_html: content.body_html,
    };
    checks::run(&site, &referenced, &clashes, &mut diagnostics);
    (site, diagnostics)
}

/// An entry's status on `today`, from its front matter and the site's
/// default review interval.
fn status_of(entry: &Entry, config: &SiteConfig, today: time::Date) -> crate::governance::Status {
    let front = &entry.front;
    let interval = match front
        .review_every
        .as_deref()
        .and_then(crate::governance::parse_interval)
    {
        Some(days) => Some(days),
        None => (config.review_after_days > 0).then_some(config.review_after_days),
    };
    crate::governance::Status::of(
        front.reviewed.as_ref().and_then(crate::governance::date_of),
        interval,
        front
            .valid_until
            .as_ref()
            .and_then(crate::governance::date_of),
        today,
    )
}

/// Entry `i`'s links resolved again against `site`, for a save that
/// changed only that entry's links: nothing else moved, so every name
/// still finds what it found when the site was resolved. The problems are
/// those a full resolve reports for these links.
pub(crate) fn relink(site: &Site, i: usize) -> Result<Vec<Resolved>, Diagnostics> {
    // The site resolved cleanly, so building the index again finds no clash.
    let index = Index::new(&site.entries, &mut Diagnostics::new());
    let draft_slugs: HashMap<&str, &str> = site
        .drafts
        .iter()
        .map(|d| (d.slug.as_str(), d.file.as_str()))
        .collect();
    let failed = Failed::new(&site.failed);
    let mut found = Diagnostics::new();
    let links = resolve_links(
        &site.entries[i],
        &site.entries,
        &index,
        &draft_slugs,
        &failed,
        &mut found,
    );
    if found.is_empty() {
        Ok(links)
    } else {
        Err(found)
    }
}

/// The tag pages: each tag's entries (by index, in listing order), keyed
/// by the tag's slug. Tags whose names slug alike are one tag.
fn tags_by_slug(entry_tags: &[Vec<String>]) -> BTreeMap<String, Tag> {
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    for (i, names) in entry_tags.iter().enumerate() {
        for name in names {
            let slug = slugify(name);
            let tag = tags.entry(slug.clone()).or_insert_with(|| Tag {
                name: name.clone(),
                slug,
                entries: Vec::new(),
            });
            if tag.entries.last() != Some(&i) {
                tag.entries.push(i);
            }
        }
    }
    tags
}

/// Who includes each snippet; an include of a missing snippet is an error.
fn snippet_users(
    entries: &[Arc<Entry>],
    snippets: &BTreeMap<String, Arc<crate::load::snippet::Snippet>>,
    failed: &BTreeSet<String>,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, Vec<usize>> {
    let mut users: BTreeMap<String, Vec<usize>> =
        snippets.keys().map(|k| (k.clone(), Vec::new())).collect();
    for (i, e) in entries.iter().enumerate() {
        for used in &e.body.snippets {
            if let Some(list) = users.get_mut(&used.name) {
                if list.last() != Some(&i) {
                    list.push(i);
                }
                continue;
            }
            let path = format!("{}/{}.md", crate::load::snippet::SNIPPET_DIR, used.name);
            if failed.contains(&path) {
                continue;
            }
            let help = match suggest::closest(&used.name, snippets.keys().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("create content/{path} with the wording to include"),
            };
            diagnostics.push(
                Diagnostic::error(format!("unknown snippet `{}`", used.name))
                    .in_file(&e.file)
                    .at_place(Place::Block {
                        offset: used.offset,
                        len: used.len,
                    })
                    .help(help),
            );
        }
    }
    users
}

/// Lookup tables from the names authors write to entry indexes, borrowing
/// the entries' own strings.
struct Index<'a> {
    by_slug: FxHashMap<&'a str, usize>,
    by_path: FxHashMap<&'a str, usize>,
    /// Entries whose slug another entry already holds, each with the entry
    /// that keeps it: the pair's knock-on warnings (an orphan, the same
    /// situation twice) would only repeat the clash.
    clashes: Vec<(usize, usize)>,
}

/// Why the entry that keeps a contested slug is the one an author wrote
/// first, in the order [`Index::new`] tries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Claim {
    /// Its file name is the slug itself (`customer-demands-a-supervisor.md`),
    /// as `saywhen new` writes it; a copy or a rename usually is not.
    NamedAsSlug,
    /// Its file name is the slug but for capital letters.
    SlugButForCase,
    /// Neither: the number of folders and then the file order decide.
    Other,
}

impl Claim {
    fn of(entry: &Entry) -> Claim {
        let name = entry.file.rsplit('/').next().unwrap_or(&entry.file);
        let stem = name.strip_suffix(".md").unwrap_or(name);
        if stem == entry.slug {
            Claim::NamedAsSlug
        } else if stem.to_lowercase() == entry.slug {
            Claim::SlugButForCase
        } else {
            Claim::Other
        }
    }
}

/// The help of a slug clash: why `keeper` keeps the slug and what to do
/// with `newcomer`.
fn clash_help(keeper: &Entry, newcomer: &Entry) -> String {
    let why = match (Claim::of(keeper), Claim::of(newcomer)) {
        (Claim::NamedAsSlug, c) if c != Claim::NamedAsSlug => {
            "its file name is written as the slug (lower case, words joined by `-`)"
        }
        (Claim::SlugButForCase, Claim::Other) => {
            "its file name differs from the slug only in capital letters"
        }
        _ if keeper.file.matches('/').count() < newcomer.file.matches('/').count() => {
            "it sits in fewer folders"
        }
        _ => "it comes first in file order",
    };
    if keeper.kind == newcomer.kind {
        format!(
            "both files would be the same page (names differing only in case or punctuation collide); {} keeps the slug because {why}: rename this file, or delete it if it is a copy",
            keeper.file
        )
    } else {
        format!(
            "wikilinks find entries by slug, so slugs must be unique across all kinds; {} keeps the slug because {why}: rename this file",
            keeper.file
        )
    }
}

impl<'a> Index<'a> {
    fn new(entries: &'a [Arc<Entry>], diagnostics: &mut Diagnostics) -> Index<'a> {
        let mut by_slug: FxHashMap<&str, usize> = FxHashMap::default();
        let mut by_path: FxHashMap<&str, usize> = FxHashMap::default();
        let mut clashes = Vec::new();
        by_slug.reserve(entries.len());
        by_path.reserve(entries.len());
        // Of two files with one slug, the one an author would call the
        // original keeps it and the error points at the other, whichever
        // order the entries are listed in: a file named as the slug first,
        // then the one in fewer folders, then the first in file order.
        let claims: Vec<(Claim, usize)> = entries
            .iter()
            .map(|e| (Claim::of(e), e.file.matches('/').count()))
            .collect();
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by(|&a, &b| {
            (claims[a], entries[a].file.as_str()).cmp(&(claims[b], entries[b].file.as_str()))
        });
        for i in order {
            let e = &entries[i];
            by_path.insert(e.content_path(), i);
            if e.slug == "index" {
                diagnostics.push(
                    Diagnostic::error(
                        "the slug `index` is reserved for the listing page of each kind",
                    )
                    .in_file(&e.file)
                    .help("rename the file, e.g. to `overview.md`"),
                );
            } else if let Some(&first) = by_slug.get(e.slug.as_str()) {
                let keeper = &entries[first];
                clashes.push((i, first));
                diagnostics.push(
                    Diagnostic::error(format!(
                        "slug `{}` is already used by {}",
                        e.slug, keeper.file
                    ))
                    .in_file(&e.file)
                    .help(clash_help(keeper, e)),
                );
            } else {
                by_slug.insert(&e.slug, i);
            }
        }
        Index {
            by_slug,
            by_path,
            clashes,
        }
    }

    /// Finds the entry a reference names: `slug`, `kind/slug` or, by path,
    /// `kind/file.md`.
    fn find(&self, reference: &str, by_path: bool, entries: &[Arc<Entry>]) -> Option<usize> {
        if by_path {
            return self.by_path.get(reference).copied();
        }
        let reference = reference.trim().trim_end_matches(".md");
        match reference.split_once('/') {
            Some((dir, slug)) => {
                let kind = Kind::from_dir(dir)?;
                self.by_slug
                    .get(as_slug(slug).as_ref())
                    .copied()
                    .filter(|&i| entries[i].kind == kind)
            }
            None => self.by_slug.get(as_slug(reference).as_ref()).copied(),
        }
    }
}

/// The slug of a reference; most references are written as slugs already
/// (`[[active-listening]]`), and those are used as they are.
fn as_slug(reference: &str) -> std::borrow::Cow<'_, str> {
    let is_slug = !reference.is_empty()
        && reference
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !reference.starts_with('-')
        && !reference.ends_with('-')
        && !reference.contains("--");
    if is_slug {
        std::borrow::Cow::Borrowed(reference)
    } else {
        std::borrow::Cow::Owned(slugify(reference))
    }
}

/// The heading ids of an entry: the anchors a link to it may name.
fn has_anchor(entry: &Entry, anchor: &str) -> bool {
    entry.body.headings.iter().any(|h| h.id == anchor)
}

fn anchors_of(entry: &Entry) -> BTreeSet<String> {
    entry.body.headings.iter().map(|h| h.id.clone()).collect()
}

fn unknown_entry_help(
    reference: &str,
    by_path: bool,
    entries: &[Arc<Entry>],
    draft_slugs: &HashMap<&str, &str>,
) -> (String, String) {
    let slug = slugify(
        reference
            .trim_end_matches(".md")
            .rsplit('/')
            .next()
            .unwrap_or(reference),
    );
    if let Some(file) = draft_slugs.get(slug.as_str()) {
        return (
            format!("link to draft entry `{reference}`"),
            format!(
                "{file} has `draft = true` and is not published; publish it, remove the link, or build with --drafts"
            ),
        );
    }
    let message = format!("link to unknown entry `{reference}`");
    let suggestion = if by_path {
        let paths: Vec<&str> = entries.iter().map(|e| e.content_path()).collect();
        suggest::closest(reference, paths.iter().copied()).map(str::to_string)
    } else if reference.contains('/') {
        let ids: Vec<String> = entries.iter().map(|e| e.id()).collect();
        suggest::closest(reference, ids.iter().map(String::as_str)).map(str::to_string)
    } else {
        suggest::closest(&slug, entries.iter().map(|e| e.slug.as_str())).map(str::to_string)
    };
    let help = match suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None => "link to an existing entry by slug (`[[active-listening]]`) or by relative path (`../techniques/active-listening.md`)".to_string(),
    };
    (message, help)
}

/// Entries that exist on disk but failed to load, by slug and by path.
struct Failed {
    slugs: BTreeSet<String>,
    paths: BTreeSet<String>,
}

impl Failed {
    fn new(paths: &BTreeSet<String>) -> Self {
        let slugs = paths
            .iter()
            .map(|p| slugify(p.rsplit('/').next().unwrap_or(p).trim_end_matches(".md")))
            .collect();
        Failed {
            slugs,
            paths: paths.clone(),
        }
    }

    fn contains(&self, reference: &str, by_path: bool) -> bool {
        if by_path {
            return self.paths.contains(reference);
        }
        let last = reference
            .trim_end_matches(".md")
            .rsplit('/')
            .next()
            .unwrap_or(reference);
        self.slugs.contains(as_slug(last).as_ref())
    }
}

fn resolve_links(
    entry: &Entry,
    entries: &[Arc<Entry>],
    index: &Index,
    draft_slugs: &HashMap<&str, &str>,
    failed: &Failed,
    diagnostics: &mut Diagnostics,
) -> Vec<Resolved> {
    let mut out = Vec::with_capacity(entry.body.links.len());
    for link in &entry.body.links {
        let place = Place::Span {
            offset: link.offset,
            len: link.len,
        };
        let resolved = match &link.target {
            LinkTarget::Anchor(anchor) => {
                if anchor.is_empty() || has_anchor(entry, anchor) {
                    Resolved::Anchor(anchor.clone())
                } else {
                    diagnostics.push(
                        missing_anchor(entry, anchor, entry, &anchors_of(entry)).at_place(place),
                    );
                    Resolved::Broken
                }
            }
            LinkTarget::Entry {
                reference,
                anchor,
                by_path,
            } => match index.find(reference, *by_path, entries) {
                Some(target) => {
                    let ok = anchor
                        .as_ref()
                        .is_none_or(|a| a.is_empty() || has_anchor(&entries[target], a));
                    if ok {
                        Resolved::Entry {
                            index: target,
                            anchor: anchor.clone().filter(|a| !a.is_empty()),
                        }
                    } else {
                        let anchor = anchor.as_deref().unwrap_or("");
                        diagnostics.push(
                            missing_anchor(
                                entry,
                                anchor,
                                &entries[target],
                                &anchors_of(&entries[target]),
                            )
                            .at_place(place),
                        );
                        Resolved::Broken
                    }
                }
                None if failed.contains(reference, *by_path) => Resolved::Broken,
                None => {
                    let (message, help) =
                        unknown_entry_help(reference, *by_path, entries, draft_slugs);
                    diagnostics.push(
                        Diagnostic::error(message)
                            .in_file(&entry.file)
                            .at_place(place)
                            .help(help),
                    );
                    Resolved::Broken
                }
            },
        };
        out.push(resolved);
    }
    out
}

fn missing_anchor(
    from: &Entry,
    anchor: &str,
    target: &Entry,
    anchors: &BTreeSet<String>,
) -> Diagnostic {
    // `#step-9` in a playbook of five steps is no typo of `#step-1`: say
    // which steps there are.
    let steps = target
        .body
        .headings
        .iter()
        .filter(|h| h.step.is_some())
        .count();
    let is_step = anchor
        .strip_prefix("step-")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let help = match suggest::closest(anchor, anchors.iter().map(String::as_str)) {
        _ if is_step && target.kind.has_steps() => match steps {
            0 => crate::load::flow::steps_help(0),
            1 => format!("{}: link to `#step-1`", crate::load::flow::steps_help(1)),
            n => format!(
                "{}: link to one of `#step-1` to `#step-{n}`",
                crate::load::flow::steps_help(n)
            ),
        },
        Some(s) => format!("did you mean `#{s}`?"),
        None if anchors.is_empty() => format!("{} has no headings to link to", target.file),
        None => format!(
            "{} has these anchors: {}",
            target.file,
            anchors
                .iter()
                .take(8)
                .map(|a| format!("#{a}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let whose = if std::ptr::eq(from, target) {
        "this page".to_string()
    } else {
        format!("`{}`", target.id())
    };
    Diagnostic::error(format!("link to missing heading `#{anchor}` in {whose}"))
        .in_file(&from.file)
        .help(help)
}

fn resolve_related(
    i: usize,
    entry: &Entry,
    entries: &[Arc<Entry>],
    index: &Index,
    draft_slugs: &HashMap<&str, &str>,
    failed: &Failed,
    diagnostics: &mut Diagnostics,
) -> Vec<usize> {
    let mut out = Vec::new();
    for reference in &entry.front.related {
        let by_path = reference.ends_with(".md") && reference.contains('/');
        let lookup = if by_path {
            let trimmed = reference.trim_start_matches("../").trim_start_matches("./");
            index.find(trimmed, true, entries)
        } else {
            index.find(reference, false, entries)
        };
        match lookup {
            Some(target) if target == i => {}
            Some(target) => {
                if !out.contains(&target) {
                    out.push(target);
                }
            }
            None if failed.contains(reference, by_path) => {}
            None => {
                let (message, help) = unknown_entry_help(reference, false, entries, draft_slugs);
                diagnostics.push(
                    Diagnostic::error(format!(
                        "`related` names an unknown entry: {}",
                        message.trim_start_matches("link to unknown entry ")
                    ))
                    .in_file(&entry.file)
                    .at_place(Place::Key("related"))
                    .help(help),
                );
            }
        }
    }
    out
}
