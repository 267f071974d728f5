//! Every HTML page of the site: what each one shows, and which template
//! renders it.

use super::context::*;
use super::{OutFile, Output, RenderOptions, Theme, entry_html};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Kind;
use crate::load::markdown::PhraseKind;
use crate::resolve::Site;
use rayon::prelude::*;

/// A tera context from `"key" => value` pairs, each value serialised once
/// (a `json!` object would be serialised twice: into JSON, then into the
/// context).
macro_rules! values {
    ($($key:literal => $value:expr),* $(,)?) => {{
        let mut context = tera::Context::new();
        $(context.insert($key, &$value);)*
        context
    }};
}

/// [`values!`] with, after the serialised values, template values taken as
/// they are (lists of shared links): inserted with `insert`, a template
/// value would be copied whole.
macro_rules! values_with {
    ($($key:literal => $value:expr),* ; $($vkey:literal => $tvalue:expr),* $(,)?) => {{
        let mut context = values! { $($key => $value),* };
        $(context.insert_value($vkey, $tvalue);)*
        context
    }};
}

/// One page to render: its output path, template and the values beyond the
/// shared ones.
struct Page<'a> {
    path: String,
    template: &'a str,
    root: String,
    values: tera::Context,
}

/// Which pages to render: some entry pages, and whether to render the
/// pages that list entries (home, listings, tags, A–Z, search, 404).
pub struct Selection {
    pub entries: Vec<usize>,
    pub other_pages: bool,
}

impl Selection {
    pub(crate) fn all(site: &Site) -> Selection {
        Selection {
            entries: (0..site.entries.len()).collect(),
            other_pages: true,
        }
    }
}

/// What the pages of one render share: the site, what templates see as
/// `site`, and each entry as a link ([`EntryLink`]), made into a template
/// value the first time a page lists it and shared after that. A site
/// lists each entry many times over (listings, tag pages, backlinks,
/// related): a shared value costs a reference count, where a value made
/// for every list copies the entry's strings again each time
/// (docs/performance.md).
pub(crate) struct Shared<'a> {
    site: &'a Site,
    site_ctx: tera::Context,
    links: Vec<std::sync::OnceLock<tera::Value>>,
    /// Given each body's search text as its entry page takes the body
    /// from wherever load left it ([`crate::load::BodyHtml`]), for the
    /// search index.
    body_texts: Option<&'a BodyTexts<'a>>,
}

/// Takes an entry's index and its body's search text.
pub(crate) type BodyTexts<'a> = dyn Fn(usize, &str) + Sync + 'a;

impl<'a> Shared<'a> {
    pub(crate) fn new(site: &'a Site) -> Self {
        Shared {
            site,
            site_ctx: values! { "site" => SiteCtx::new(site) },
            links: (0..site.entries.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            body_texts: None,
        }
    }

    /// Hands each body's search text to `texts` as its entry page takes
    /// the body.
    pub(crate) fn with_body_texts(mut self, texts: &'a BodyTexts<'a>) -> Self {
        self.body_texts = Some(texts);
        self
    }

    /// Entries as a list of links, in the order given.
    fn links(&self, entries: impl IntoIterator<Item = usize>) -> tera::Value {
        let make =
            |i: usize| tera::Value::from_serializable(&EntryLink::new(&self.site.entries[i]));
        let links: Vec<tera::Value> = entries
            .into_iter()
            .map(|i| self.links[i].get_or_init(|| make(i)).clone())
            .collect();
        links.into()
    }
}

pub(crate) fn render_pages(
    shared: &Shared<'_>,
    theme: &Theme,
    options: &RenderOptions,
    selection: &Selection,
    output: &mut Output,
    diagnostics: &mut Diagnostics,
) {
    let site = shared.site;
    let entry_pages: Vec<(String, Result<Vec<u8>, Diagnostic>)> = selection
        .entries
        .par_iter()
        .map(|&i| {
            let path = site.entries[i].url().to_string();
            let page = entry_page(shared, theme, i);
            (
                path,
                page.and_then(|page| render_page(theme, &shared.site_ctx, page, options)),
            )
        })
        .collect();
    for (path, result) in entry_pages {
        match result {
            Ok(bytes) => {
                output.insert(path, OutFile::Bytes(bytes));
            }
            Err(d) => diagnostics.push(d),
        }
    }
    if selection.other_pages {
        let pages = std::sync::Mutex::new(Vec::new());
        diagnostics.extend(render_other_pages(
            shared,
            theme,
            options,
            Pace::Parallel,
            &|path, bytes| {
                pages.lock().expect("no page panicked").push((path, bytes));
            },
        ));
        for (path, bytes) in pages.into_inner().expect("no page panicked") {
            output.insert(path, OutFile::Bytes(bytes));
        }
    }
}

/// How [`render_other_pages`] shares the threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pace {
    /// On every thread: nothing else is being rendered (`serve`).
    Parallel,
    /// One page after another, beside the entry pages (`build`): each
    /// listing's context holds every entry it lists, so on a large site two
    /// of the largest at once would make a memory peak of their own.
    OneAtATime,
}

/// The pages that list entries (home, listings, tags, A–Z, search, 404),
/// each handed to `emit` as soon as it is rendered: the largest grow with
/// the site, and a build need not hold them all. Returns the problems, in
/// page order.
pub(crate) fn render_other_pages<'a>(
    shared: &'a Shared<'a>,
    theme: &Theme,
    options: &RenderOptions,
    pace: Pace,
    emit: &(dyn Fn(String, Vec<u8>) + Sync),
) -> Diagnostics {
    let site = shared.site;
    // Each page's context is built inside the loop, not before it: a
    // listing's context walks every entry it shows, so building them all
    // first would be serial work and would hold every context at once.
    let mut pages: Vec<Box<dyn Fn() -> Page<'a> + Sync + 'a>> = vec![
        Box::new(|| home(shared)),
        Box::new(|| situations(site)),
        Box::new(|| tags_index(site)),
        Box::new(|| search(site)),
        Box::new(|| not_found(site)),
        Box::new(|| needs_review(site)),
    ];
    if !site.snippets.is_empty() {
        pages.push(Box::new(|| snippets(shared)));
    }
    for kind in Kind::ALL {
        pages.push(Box::new(move || listing(shared, kind)));
    }
    for tag in site.tags.values() {
        pages.push(Box::new(move || tag_page(shared, tag)));
    }
    let render_one = |make: &(dyn Fn() -> Page<'a> + Sync + 'a)| {
        let page = make();
        let path = page.path.clone();
        match render_page(theme, &shared.site_ctx, page, options) {
            Ok(bytes) => {
                emit(path, bytes);
                None
            }
            Err(d) => Some(d),
        }
    };
    let problems: Vec<Diagnostic> = match pace {
        Pace::Parallel => pages.par_iter().filter_map(|p| render_one(p)).collect(),
        Pace::OneAtATime => pages.iter().filter_map(|p| render_one(p)).collect(),
    };
    problems.into_iter().collect()
}

fn render_page(
    theme: &Theme,
    shared: &tera::Context,
    page: Page<'_>,
    options: &RenderOptions,
) -> Result<Vec<u8>, Diagnostic> {
    let mut context = shared.clone();
    context.insert("root", &page.root);
    context.insert("page_url", &page.path);
    context.extend(page.values);
    let html = PAGE_BUFFER.with_borrow_mut(|buffer| {
        if options.discard_pages {
            return theme
                .tera
                .render_to(page.template, &context, std::io::sink())
                .map(|()| Vec::new());
        }
        buffer.clear();
        theme
            .tera
            .render_to(page.template, &context, &mut *buffer)?;
        if buffer.capacity() > LARGE_PAGE {
            // Kept, the buffer would hold a large listing's size for the
            // rest of the build; the page takes it instead.
            let mut page = std::mem::take(buffer);
            page.shrink_to_fit();
            return Ok(page);
        }
        // A copy of just the page's length: kept until written, and a grown
        // buffer has up to as much again in spare room.
        Ok::<_, tera::Error>(page_copy(buffer))
    });
    let mut html = html.map_err(|e| theme.render_error(&e, page.template, &page.path))?;
    if !options.inject.is_empty() {
        let at = html
            .windows(b"</body>".len())
            .rposition(|w| w == b"</body>")
            .unwrap_or(html.len());
        html.splice(at..at, options.inject.bytes());
    }
    Ok(html)
}

/// Pages larger than this (listings of large sites) do not stay in
/// [`PAGE_BUFFER`]; entry pages stay far below it.
const LARGE_PAGE: usize = 1 << 20;

thread_local! {
    /// Each thread renders its pages into one buffer, grown once to the
    /// largest page, instead of regrowing a new one for every page. tera
    /// starts no parallel work, so no other page can begin rendering on
    /// this thread while the buffer is borrowed.
    static PAGE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Buffers of pages already written ([`recycle`]), for the next pages'
/// copies. Freed, they would go back to the system between batches and be
/// faulted in again for the next one, page faults that grow with the site
/// (docs/performance.md).
static SPARE_PAGES: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());

/// About one batch of entry pages ([`super::BATCH`]).
const SPARE_PAGES_KEPT: usize = 512;

/// `bytes` in a spare buffer, or a new one.
fn page_copy(bytes: &[u8]) -> Vec<u8> {
    match super::lock(&SPARE_PAGES).pop() {
        Some(mut page) => {
            page.clear();
            page.extend_from_slice(bytes);
            page
        }
        None => bytes.to_vec(),
    }
}

/// Keeps the buffers of written pages for [`page_copy`].
pub(crate) fn recycle(output: Output) {
    let mut spare = super::lock(&SPARE_PAGES);
    for file in output.into_values() {
        if let OutFile::Bytes(page) = file
            && page.capacity() <= LARGE_PAGE
            && spare.len() < SPARE_PAGES_KEPT
        {
            spare.push(page);
        }
    }
}

/// Lets the spare buffers go once a build has written its pages.
pub(crate) fn forget_spare_pages() {
    *super::lock(&SPARE_PAGES) = Vec::new();
}

fn entry_page<'a>(shared: &Shared<'a>, theme: &'a Theme, i: usize) -> Result<Page<'a>, Diagnostic> {
    let site = shared.site;
    let entry = &site.entries[i];
    let tags = site.entry_tags[i]
        .iter()
        .map(|name| {
            let slug = crate::slug::slugify(name);
            TagLink {
                name,
                count: site.tags.get(&slug).map_or(0, |t| t.entries.len()),
                url: format!("tags/{slug}.html"),
            }
        })
        .collect();
    let content = entry_html(site, i, "../", shared.body_texts)?;
    let links: Vec<StepLink> = entry
        .body
        .headings
        .iter()
        .filter_map(|h| {
            h.step.map(|number| StepLink {
                number,
                title: &h.text,
                id: &h.id,
            })
        })
        .collect();
    let mut steps: Vec<StepCtx> = links
        .iter()
        .enumerate()
        .map(|(k, link)| StepCtx {
            number: link.number,
            title: link.title,
            id: link.id,
            content: String::new(),
            prev: k.checked_sub(1).map(|p| links[p]),
            next: links.get(k + 1).copied(),
        })
        .collect();
    let intro = split_steps(&content, &mut steps);
    let ctx = EntryCtx {
        link: EntryLink::new(entry),
        slug: &entry.slug,
        kind_dir: entry.kind.dir(),
        kind_plural: entry.kind.plural_label(),
        kind_info: entry.kind.info(),
        source: &entry.file,
        tags,
        aliases: &entry.front.aliases,
        content,
        intro,
        steps,
        first_say: entry
            .body
            .phrases
            .iter()
            .find(|p| p.kind == PhraseKind::Say)
            .map(|p| p.text.as_str()),
        extra: &entry.front.extra,
        status: StatusCtx::new(&site.status[i]),
        edit_url: entry_url_template(&site.config.edit_url, site, entry),
        flag_url: entry_url_template(&site.config.flag_url, site, entry),
    };
    let own = format!("{}.html", entry.kind.name());
    let template = if theme.has_template(&own) {
        theme
            .tera
            .get_template_names()
            .find(|n| *n == own)
            .unwrap_or("entry.html")
    } else {
        "entry.html"
    };
    Ok(Page {
        path: entry.url().to_string(),
        template,
        root: "../".into(),
        values: entry_values(shared, i, &ctx),
    })
}

/// The entry page's own values: `entry` is [`EntryCtx`] with its lists of
/// other entries added as shared links.
fn entry_values(shared: &Shared<'_>, i: usize, ctx: &EntryCtx<'_>) -> tera::Context {
    let site = shared.site;
    let used_in: Vec<usize> = if site.entries[i].kind.lists_used_in() {
        site.backlinks[i]
            .iter()
            .copied()
            .filter(|&j| site.entries[j].kind.has_steps())
            .collect()
    } else {
        Vec::new()
    };
    let mut entry = tera::Value::from_serializable(ctx)
        .into_map()
        .expect("an entry serialises to a map");
    entry.insert(
        "backlinks".into(),
        shared.links(site.backlinks[i].iter().copied()),
    );
    entry.insert(
        "related".into(),
        shared.links(site.related[i].iter().copied()),
    );
    entry.insert("used_in".into(), shared.links(used_in));
    let mut values = tera::Context::new();
    values.insert_value("entry", entry.into());
    values.insert("title", &site.entries[i].title);
    values
}

fn home<'a>(shared: &Shared<'a>) -> Page<'a> {
    let site = shared.site;
    let mut recent: Vec<usize> = (0..site.entries.len())
        .filter(|&i| site.entries[i].front.reviewed.is_some())
        .collect();
    // Newest first; the written dates sort as the dates do.
    recent.sort_by(|&a, &b| {
        let date = |i: usize| site.entries[i].reviewed();
        date(b).cmp(&date(a)).then(a.cmp(&b))
    });
    recent.truncate(6);
    Page {
        path: "index.html".into(),
        template: "home.html",
        root: String::new(),
        values: values_with! {
            "title" => site.config.title;
            "recent" => shared.links(recent),
            "faqs" => shared.links(site.where_kind(Kind::derives_title)),
            "playbooks" => shared.links(site.where_kind(Kind::has_steps)),
        },
    }
}

fn listing<'a>(shared: &Shared<'a>, kind: Kind) -> Page<'a> {
    Page {
        path: format!("{}/index.html", kind.dir()),
        template: "listing.html",
        root: "../".into(),
        values: values_with! {
            "title" => kind.plural_label(),
            "kind" => kind.name(),
            "kind_label" => kind.plural_label(),
            "kind_info" => kind.info();
            "entries" => shared.links(shared.site.of_kind(kind)),
        },
    }
}

fn tag_page<'a>(shared: &Shared<'a>, tag: &'a crate::resolve::Tag) -> Page<'a> {
    Page {
        path: format!("tags/{}.html", tag.slug),
        template: "tag.html",
        root: "../".into(),
        values: values_with! {
            "title" => format!("Tagged “{}”", tag.name),
            "tag" => serde_json::json!({ "name": tag.name, "slug": tag.slug });
            "entries" => shared.links(tag.entries.iter().copied()),
        },
    }
}

fn tags_index(site: &Site) -> Page<'_> {
    let tags: Vec<TagLink> = site
        .tags
        .values()
        .map(|t| TagLink {
            name: &t.name,
            url: format!("{}.html", t.slug),
            count: t.entries.len(),
        })
        .collect();
    Page {
        path: "tags/index.html".into(),
        template: "tags.html",
        root: "../".into(),
        values: values! { "title" => "Tags", "tags" => tags },
    }
}

fn situations(site: &Site) -> Page<'_> {
    let mut letters: Vec<AzLetter> = Vec::new();
    for item in &site.situations {
        let entry = &site.entries[item.entry];
        let link = AzLink {
            lead: &item.lead,
            rest: &item.rest,
            alias: item.alias,
            url: entry.url(),
            title: &entry.title,
        };
        match letters.last_mut() {
            Some(l) if l.letter == item.letter => l.items.push(link),
            _ => letters.push(AzLetter {
                letter: &item.letter,
                items: vec![link],
            }),
        }
    }
    Page {
        path: "situations/index.html".into(),
        template: "situations.html",
        root: "../".into(),
        values: values! {
            "title" => "What should I say when… A–Z",
            "letters" => letters,
        },
    }
}

fn search(site: &Site) -> Page<'_> {
    let _ = site;
    Page {
        path: "search/index.html".into(),
        template: "search.html",
        root: "../".into(),
        values: values! { "title" => "Search" },
    }
}

/// How far ahead the "Needs review" page looks.
const NEEDS_REVIEW_WITHIN_DAYS: i64 = 30;

/// The authors' "Needs review" page: the governance report as HTML.
fn needs_review(site: &Site) -> Page<'_> {
    let items = crate::check::report::items(site);
    let report = crate::check::report::build(items, site.today, NEEDS_REVIEW_WITHIN_DAYS);
    let owners: Vec<serde_json::Value> = report
        .owners
        .iter()
        .map(|(owner, list)| {
            let entries: Vec<serde_json::Value> = list
                .iter()
                .map(|l| {
                    serde_json::json!({
                        "concern": l.concern,
                        "title": l.item.title,
                        "url": l.item.url,
                        "file": l.item.file,
                        "label": l.item.status.label(),
                        "status": l.item.status,
                    })
                })
                .collect();
            serde_json::json!({ "owner": owner, "entries": entries })
        })
        .collect();
    Page {
        path: "review/index.html".into(),
        template: "needs-review.html",
        root: "../".into(),
        values: values! {
            "title" => "Needs review",
            "report" => serde_json::json!({
                "today": report.today,
                "within_days": report.within_days,
                "total": report.total,
                "verified": report.verified,
                "due": report.due,
                "expired": report.expired,
                "trust_score": report.trust_score,
            }),
            "owners" => owners,
        },
    }
}

/// Every snippet, what it says and where it is used.
fn snippets<'a>(shared: &Shared<'a>) -> Page<'a> {
    let site = shared.site;
    let list: Vec<tera::Value> = site
        .snippets
        .values()
        .map(|s| {
            let mut snippet = tera::Map::new();
            snippet.insert("name".into(), s.name.as_str().into());
            snippet.insert("file".into(), s.file.as_str().into());
            snippet.insert("content".into(), s.body.html.as_str().into());
            snippet.insert(
                "used_in".into(),
                shared.links(site.snippet_users[&s.name].iter().copied()),
            );
            snippet.into()
        })
        .collect();
    Page {
        path: "snippets/index.html".into(),
        template: "snippets.html",
        root: "../".into(),
        values: values_with! { "title" => "Snippets"; "snippets" => list.into() },
    }
}

fn not_found(site: &Site) -> Page<'_> {
    // A server answers any missing path with this page, at any depth, so its
    // links start from the site's base path instead of a relative root.
    Page {
        path: "404.html".into(),
        template: "404.html",
        root: site.config.base_path(),
        values: values! { "title" => "Page not found" },
    }
}

/// Cuts a playbook's HTML at its step headings, so a template can wrap each
/// step and put previous/next links after it: fills each step's `content`
/// (from its heading to the next step's) and returns the HTML before the
/// first step. `None`, with every `content` left empty, when the entry has
/// no steps or a step heading is not where expected.
fn split_steps(content: &str, steps: &mut [StepCtx]) -> Option<String> {
    let mut starts = Vec::with_capacity(steps.len());
    let mut from = 0;
    for step in steps.iter() {
        let heading = format!("<h2 id=\"{}\"", crate::text::escape::escape_html(step.id));
        let at = from + content[from..].find(&heading)?;
        starts.push(at);
        from = at + heading.len();
    }
    let first = *starts.first()?;
    for (k, step) in steps.iter_mut().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(content.len());
        step.content = content[starts[k]..end].to_string();
    }
    Some(content[..first].to_string())
}
