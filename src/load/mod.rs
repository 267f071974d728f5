//! Stage 1, load: walk `content/` and turn each Markdown file into an
//! [`Entry`], one file at a time, knowing nothing of the others.
//!
//! Files are read and parsed in parallel; the result is sorted by path so the
//! rest of the pipeline sees the same order every run. Problems become
//! diagnostics and the file is left out, so one run reports every broken file.

pub mod flow;
pub mod front_matter;
mod kind;
mod locate;
pub mod markdown;
pub mod snippet;
pub mod spool;

pub(crate) use kind::listed;
pub use kind::{Kind, KindInfo};
pub use locate::locate;

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics, LineIndex};
use crate::governance::check::Wording;
use crate::slug::{
    MAX_NAME_BYTES, MAX_SLUG_BYTES, PAGE_EXTENSION, abbreviate, name_too_long, page_name_too_long,
    slugify,
};
use anyhow::Context as _;
use front_matter::FrontMatter;
use markdown::{ParseInput, ParsedBody};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const CONTENT_DIR: &str = "content";

/// The path below `content/` of a site-relative file path
/// (`content/faq/x.md` → `faq/x.md`); `None` for a file elsewhere.
pub fn content_relative(file: &str) -> Option<&str> {
    file.strip_prefix(CONTENT_DIR)?.strip_prefix('/')
}

/// One Markdown file, parsed.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Site-relative source path with `/` separators: `content/faq/x.md`.
    pub file: String,
    pub kind: Kind,
    pub slug: String,
    pub title: String,
    pub front: FrontMatter,
    pub body: ParsedBody,
    /// Problems found at load that leave the entry whole, reported when it
    /// is published (the text itself is not kept): forbidden wording, and
    /// a playbook's branches that lead nowhere
    /// ([`markdown::ParsedBody::flow_errors`]). `serve` publishes nothing
    /// of an entry while they hold an error.
    pub wording: Diagnostics,
    /// Hashes taken once at load, so `serve` can tell what a save changed
    /// without reading every entry again.
    pub digests: Digests,
    /// [`Entry::url`] and [`Entry::reviewed`], made once: every page that
    /// links to the entry shows them.
    url: String,
    reviewed: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digests {
    /// The file's path and whole text: its own page changes with it.
    pub source: u64,
    /// What other pages show of the entry (title, description, tags,
    /// headings, say-phrases, review dates…): they change with it.
    pub display: u64,
    /// What resolve reads of the entry apart from its links: the whole
    /// front matter as written, title, slug, heading ids and included
    /// snippets. While it is unchanged, the entry keeps its place in the
    /// site and every other entry's links resolve as they did.
    pub standing: u64,
    /// The entry's links, as written. A save that leaves both `standing`
    /// and `links` unchanged (an edit of the words only) resolves to the
    /// same site.
    pub links: u64,
}

/// [`Digests::source`]: the file's path and whole text.
fn source_digest(file: &str, source_text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (file, source_text).hash(&mut h);
    h.finish()
}

impl Digests {
    /// `front_end`: where the Markdown starts in `source_text`.
    #[allow(clippy::too_many_arguments)]
    fn of(
        file: &str,
        kind: Kind,
        slug: &str,
        title: &str,
        front: &FrontMatter,
        body: &ParsedBody,
        source_text: &str,
        front_end: usize,
    ) -> Digests {
        use std::hash::{Hash, Hasher};
        let source = source_digest(file, source_text);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (file, title, kind, slug).hash(&mut h);
        (
            &front.description,
            &front.situation,
            &front.owner,
            &front.aliases,
            &front.tags,
        )
            .hash(&mut h);
        (
            front.reviewed.map(|d| d.to_string()),
            &front.review_every,
            front.valid_until.map(|d| d.to_string()),
        )
            .hash(&mut h);
        for heading in &body.headings {
            (&heading.id, &heading.text).hash(&mut h);
        }
        for phrase in &body.phrases {
            phrase.text.hash(&mut h);
        }
        let display = h.finish();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (file, title, kind, slug, &source_text[..front_end]).hash(&mut h);
        for heading in &body.headings {
            (&heading.id, heading.level, heading.step).hash(&mut h);
        }
        for used in &body.snippets {
            used.name.hash(&mut h);
        }
        let standing = h.finish();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for link in &body.links {
            match &link.target {
                markdown::LinkTarget::Entry {
                    reference,
                    anchor,
                    by_path,
                } => (0u8, reference, anchor, by_path).hash(&mut h),
                markdown::LinkTarget::Anchor(anchor) => (1u8, anchor).hash(&mut h),
            }
            link.wants_title.hash(&mut h);
        }
        Digests {
            source,
            display,
            standing,
            links: h.finish(),
        }
    }
}

impl Entry {
    /// `techniques/active-listening`: the kind-qualified name used in links
    /// and messages.
    pub fn id(&self) -> String {
        format!("{}/{}", self.kind.dir(), self.slug)
    }

    /// Output path relative to the site root. Entries sit one folder deep.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The `reviewed` date as written in the front matter.
    pub fn reviewed(&self) -> Option<&str> {
        self.reviewed.as_deref()
    }

    /// Content-relative path of the source: `faq/x.md`.
    pub fn content_path(&self) -> &str {
        content_relative(&self.file).unwrap_or(&self.file)
    }
}

/// Everything under `content/`: the entries and the other files beside them.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Shared, so a rebuild in `serve` can keep every entry it did not
    /// reload without copying it.
    pub entries: Vec<Arc<Entry>>,
    /// Content-relative paths of non-Markdown files, copied as they are.
    pub assets: BTreeSet<String>,
    /// Content-relative paths of entries that failed to load. Links to them
    /// are not reported again: the file's own error says what to fix.
    pub failed: BTreeSet<String>,
    /// By name: `content/_snippets/disclosure.md` is `disclosure`.
    pub snippets: std::collections::BTreeMap<String, Arc<snippet::Snippet>>,
    /// Whether the entries hold their body's HTML.
    pub body_html: BodyHtml,
}

/// Where an entry page gets its body's HTML from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum BodyHtml {
    /// Made at load and kept on the entry (`body.html`): the fastest way,
    /// and what `serve` uses, since it keeps the site between saves.
    #[default]
    Kept,
    /// Made at load and written to a temporary file, each entry's place in
    /// it on `body.spooled`, so a large site never holds every body's HTML
    /// and search text at once. `body.html` and `body.text` are empty: the
    /// page reads them back when it is drawn, and the search index takes
    /// each text from there.
    Spooled(Arc<spool::Spool>),
}

impl BodyHtml {
    /// `entry`'s body HTML (with link slots) and search text: read back from
    /// the spool where load left them there, else the entry's own.
    pub fn of<'e>(&self, entry: &'e Entry) -> std::io::Result<(Cow<'e, str>, Cow<'e, str>)> {
        match (self, entry.body.spooled) {
            (BodyHtml::Spooled(spool), Some(at)) => {
                let (html, text) = spool.get(at)?;
                Ok((Cow::Owned(html), Cow::Owned(text)))
            }
            _ => Ok((
                Cow::Borrowed(entry.body.html.as_str()),
                Cow::Borrowed(entry.body.text.as_str()),
            )),
        }
    }
}

/// Above this many Markdown files, `load` writes the bodies' HTML and text
/// to a spool ([`BodyHtml::Spooled`]). 10,000 entries' HTML and text are
/// about 60 MB, 100,000 entries' 610 MB, held for the whole build; read
/// back from the spool they cost no more time (10,000 entries, alternating
/// builds: the same wall time, 30 MB less at the peak). Below it, a site's
/// bodies are small enough that a spool would save nothing worth a file.
pub const KEEP_HTML_UP_TO: usize = 2_000;

/// Called once, on the loading thread, when load finds a site larger than
/// [`KEEP_HTML_UP_TO`], before it starts reading files in parallel. The
/// binary sets it to tune its allocator for a long build (`src/main.rs`);
/// the library has no say over the allocator.
pub static ON_LARGE_SITE: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// [`KEEP_HTML_UP_TO`], or `SAYWHEN_KEEP_HTML_UP_TO` when set (the tests
/// set 0 to draw every page from the spool).
fn keep_html_up_to() -> usize {
    std::env::var("SAYWHEN_KEEP_HTML_UP_TO")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(KEEP_HTML_UP_TO)
}

/// Files editors write beside the real one while saving.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

pub fn load(root: &Path, config: &SiteConfig) -> anyhow::Result<(Content, Diagnostics)> {
    load_keeping_html(root, config, keep_html_up_to())
}

/// [`load`], keeping each body's HTML only when there are at most
/// `keep_up_to` Markdown files.
pub(crate) fn load_keeping_html(
    root: &Path,
    config: &SiteConfig,
    keep_up_to: usize,
) -> anyhow::Result<(Content, Diagnostics)> {
    let content_dir = root.join(CONTENT_DIR);
    let mut diagnostics = Diagnostics::new();
    if !content_dir.is_dir() {
        diagnostics.push(Diagnostic::error("no `content/` folder").help(format!(
            "create {}/content/ with {} inside, or run `saywhen init`",
            root.display(),
            kind::listed(Kind::ALL.map(|k| format!("{}/", k.dir())), "and"),
        )));
        return Ok((Content::default(), diagnostics));
    }
    let (mut markdown, assets) = discover(&content_dir, &mut diagnostics)?;
    let mut snippets = std::collections::BTreeMap::new();
    let mut bad_snippets = Vec::new();
    markdown.retain(|rel| {
        if snippet::name_of(rel).is_none() {
            return true;
        }
        match snippet::load(root, rel, config, &assets) {
            Ok(s) => {
                snippets.insert(s.name.clone(), Arc::new(s));
            }
            Err(errors) => {
                bad_snippets.push(rel.clone());
                errors.into_iter().for_each(|e| diagnostics.push(e));
            }
        }
        false
    });
    let wording = Wording::new(&config.lint.forbidden);
    let body_html = if markdown.len() > keep_up_to {
        if let Some(hook) = ON_LARGE_SITE.get() {
            hook();
        }
        match spool::Spool::new() {
            Ok(spool) => {
                crate::timings::note("entry HTML is kept in a temporary file until drawn");
                BodyHtml::Spooled(Arc::new(spool))
            }
            Err(e) => {
                diagnostics.push(
                    Diagnostic::warning(format!(
                        "cannot make a temporary file for the entries' HTML: {e}"
                    ))
                    .help("the HTML stays in memory, which a site this large may not have room for; set TMPDIR to a writable folder"),
                );
                BodyHtml::Kept
            }
        }
    } else {
        BodyHtml::Kept
    };
    let results = markdown
        .par_iter()
        .map(|rel| {
            let mut loaded = read_and_parse(root, rel, config, &assets, &wording);
            if let Ok(Some((entry, _))) = &mut loaded {
                let body = &mut entry.body;
                match &body_html {
                    BodyHtml::Spooled(spool) => {
                        body.spooled = Some(spool.put(&body.html, &body.text)?);
                        body.html = String::new();
                        body.text = String::new();
                    }
                    BodyHtml::Kept => body.fit_texts(),
                }
            }
            Ok(loaded)
        })
        .collect::<std::io::Result<Vec<_>>>()
        .context("cannot write the entries' HTML to a temporary file (is TMPDIR's disk full?)")?;
    let mut entries = Vec::with_capacity(results.len());
    let mut failed: BTreeSet<String> = bad_snippets.into_iter().collect();
    for (rel, result) in markdown.into_iter().zip(results) {
        match result {
            Ok(Some((entry, warnings))) => {
                entries.push(Arc::new(entry));
                warnings.into_iter().for_each(|w| diagnostics.push(w));
            }
            Ok(None) => {}
            Err(errors) => {
                if errors
                    .iter()
                    .any(|e| e.severity == crate::diag::Severity::Error)
                {
                    failed.insert(rel);
                }
                errors.into_iter().for_each(|e| diagnostics.push(e));
            }
        }
    }
    Ok((
        Content {
            entries,
            assets,
            failed,
            snippets,
            body_html,
        },
        diagnostics,
    ))
}

/// Lists Markdown files and other files under `content/`, sorted, as
/// content-relative paths.
pub fn discover(
    content_dir: &Path,
    diagnostics: &mut Diagnostics,
) -> anyhow::Result<(Vec<String>, BTreeSet<String>)> {
    let mut markdown = Vec::new();
    let mut assets = BTreeSet::new();
    // Symbolic links are followed only while they stay inside content/: a
    // link to /etc/passwd or ~/.ssh must never be published by CI.
    let content_real = content_dir
        .canonicalize()
        .unwrap_or_else(|_| content_dir.to_path_buf());
    let mut escaping = Vec::new();
    let walker = walkdir::WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if is_ignored_name(&e.file_name().to_string_lossy()) {
                return false;
            }
            if e.path_is_symlink()
                && let Ok(real) = e.path().canonicalize()
                && !real.starts_with(&content_real)
            {
                escaping.push(e.path().to_path_buf());
                return false;
            }
            true
        });
    for item in walker {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                let path = e.path().map(|p| relative_display(content_dir, p));
                let is_link = e
                    .path()
                    .and_then(|p| p.symlink_metadata().ok())
                    .is_some_and(|m| m.file_type().is_symlink());
                let io = e.io_error();
                let (message, help) = if e.loop_ancestor().is_some() || io.is_some_and(is_link_loop)
                {
                    (
                        "symbolic link loop in content/".to_string(),
                        "remove the link, or point it at a folder that does not contain it",
                    )
                } else if is_link && io.is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
                {
                    (
                        "broken symbolic link: its target does not exist".to_string(),
                        "remove the link, or put the file it points at back",
                    )
                } else {
                    (
                        format!(
                            "cannot read {}",
                            io.map_or("entry".into(), |io| io.to_string())
                        ),
                        "check the file's permissions",
                    )
                };
                let mut d = Diagnostic::error(message).help(help);
                if let Some(path) = path {
                    d = d.in_file(path);
                }
                diagnostics.push(d);
                continue;
            }
        };
        if !item.file_type().is_file() {
            continue;
        }
        let rel = item
            .path()
            .strip_prefix(content_dir)
            .context("walked outside content/")?;
        let Some(rel) = rel.to_str().map(|s| s.replace('\\', "/")) else {
            diagnostics.push(
                Diagnostic::error("file name is not valid UTF-8")
                    .in_file(format!("content/{}", rel.to_string_lossy()))
                    .help("rename the file using UTF-8 characters"),
            );
            continue;
        };
        if rel.ends_with(".md") {
            markdown.push(rel);
        } else if let Some((name, len)) = name_too_long(&rel) {
            // Copied under its own name, which another file system (the
            // server's, or CI's) may not hold.
            diagnostics.push(
                Diagnostic::error(format!(
                    "file name is too long to publish: `{}` is {len} bytes, and file systems allow {MAX_NAME_BYTES}",
                    abbreviate(name, 40),
                ))
                .in_file(format!("{CONTENT_DIR}/{rel}"))
                .help(format!(
                    "rename it: it is copied under its own name, which may take at most {MAX_NAME_BYTES} bytes (a letter outside ASCII takes 2 to 4)"
                )),
            );
        } else {
            assets.insert(rel);
        }
    }
    for path in escaping {
        diagnostics.push(
            Diagnostic::error("symbolic link leads outside content/")
                .in_file(relative_display(content_dir, &path))
                .help("only files under content/ are published; copy the file into content/ instead of linking to it"),
        );
    }
    Ok((markdown, assets))
}

/// ELOOP: a link that points at itself, or a chain of links that does.
fn is_link_loop(e: &std::io::Error) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        e.to_string().contains("symbolic links")
    }
}

fn relative_display(content_dir: &Path, path: &Path) -> String {
    let rel: PathBuf = path
        .strip_prefix(content_dir)
        .map(|p| Path::new(CONTENT_DIR).join(p))
        .unwrap_or_else(|_| path.to_path_buf());
    rel.to_string_lossy().replace('\\', "/")
}

type Loaded = Option<(Entry, Vec<Diagnostic>)>;

/// Loads one entry from its content-relative path. `Ok(None)` for a file
/// that is not an entry (outside the kind folders), with nothing to report.
pub fn load_entry(
    root: &Path,
    rel: &str,
    config: &SiteConfig,
    assets: &BTreeSet<String>,
) -> Result<Loaded, Vec<Diagnostic>> {
    let wording = Wording::new(&config.lint.forbidden);
    let mut loaded = read_and_parse(root, rel, config, assets, &wording);
    if let Ok(Some((entry, _))) = &mut loaded {
        entry.body.fit_texts();
    }
    loaded
}

/// [`load_entry`] with the wording rules compiled once for many files.
fn read_and_parse(
    root: &Path,
    rel: &str,
    config: &SiteConfig,
    assets: &BTreeSet<String>,
    wording: &Wording,
) -> Result<Loaded, Vec<Diagnostic>> {
    let bytes = if Kind::of_file(rel).is_some() {
        read_content(root, rel).map_err(|d| vec![d])?
    } else {
        Vec::new()
    };
    parse_with(rel, bytes, config, assets, wording)
}

/// The bytes of a file under `content/`, by content-relative path.
pub(crate) fn read_content(root: &Path, rel: &str) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(root.join(CONTENT_DIR).join(rel)).map_err(|e| {
        Diagnostic::error(format!("cannot read file: {e}")).in_file(format!("{CONTENT_DIR}/{rel}"))
    })
}

/// Loads one entry from its content-relative path and the file's bytes:
/// everything [`load_entry`] does after reading the file. Never panics,
/// whatever the bytes (the fuzz target and property tests call it).
pub fn parse_entry(
    rel: &str,
    bytes: Vec<u8>,
    config: &SiteConfig,
    assets: &BTreeSet<String>,
) -> Result<Loaded, Vec<Diagnostic>> {
    parse_with(
        rel,
        bytes,
        config,
        assets,
        &Wording::new(&config.lint.forbidden),
    )
}

fn parse_with(
    rel: &str,
    bytes: Vec<u8>,
    config: &SiteConfig,
    assets: &BTreeSet<String>,
    wording: &Wording,
) -> Result<Loaded, Vec<Diagnostic>> {
    let file = format!("{CONTENT_DIR}/{rel}");
    let mut warnings = Vec::new();
    let Some(kind) = Kind::of_file(rel) else {
        if rel.starts_with('_') {
            return Ok(None);
        }
        warnings.push(
            Diagnostic::warning("Markdown file outside the entry folders is not published")
                .in_file(file)
                .help(format!(
                    "move it into {}; folders starting with `_` are ignored silently",
                    kind::listed(Kind::ALL.map(|k| format!("content/{}/", k.dir())), "or")
                )),
        );
        return Err(warnings);
    };
    let source = source_text(&file, bytes).map_err(|d| vec![d])?;
    let lines = LineIndex::new();
    let split = front_matter::split(&file, &source, &lines).map_err(|d| vec![*d])?;
    let front_offset = split.front_offset;
    let body_offset = split.body_offset;
    let front = front_matter::parse(&file, &source, &split, &lines)?;
    let tags_at = || {
        front_matter::key_span(split.front, "tags")
            .map(|s| lines.locate(&source, front_offset + s.start, s.end - s.start))
    };
    let mut errors = Vec::new();
    for tag in &front.tags {
        if tag.trim().is_empty() {
            warnings.push(
                Diagnostic::warning("empty tag is ignored")
                    .in_file(&file)
                    .at(tags_at())
                    .help("remove the empty string from `tags`"),
            );
        } else if slugify(tag).is_empty() {
            errors.push(
                Diagnostic::error(format!(
                    "tag `{}` has no letters or digits",
                    tag.trim()
                ))
                .in_file(&file)
                .at(tags_at())
                .help("each tag gets a page named after its letters and digits (`tags/<tag>.html`); use a word"),
            );
        } else {
            let tag_slug = slugify(&crate::resolve::normalize_tag(tag));
            if let Some(len) = page_name_too_long(&tag_slug) {
                errors.push(
                    Diagnostic::error(format!(
                        "tag `{}` is too long: its page, `tags/{}{PAGE_EXTENSION}`, would be {len} bytes, and file systems allow {MAX_NAME_BYTES}",
                        abbreviate(tag.trim(), 40),
                        abbreviate(&tag_slug, 40),
                    ))
                    .in_file(&file)
                    .at(tags_at())
                    .help(format!(
                        "shorten the tag: its page is named after its letters and digits, which may take at most {MAX_SLUG_BYTES} bytes (a letter outside ASCII takes 2 to 4); a tag is meant to be a word or two"
                    )),
                );
            }
        }
    }
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md");
    let slug = slugify(stem);
    if slug.is_empty() {
        errors.push(
            Diagnostic::error("file name gives an empty slug")
                .in_file(&file)
                .help("name the file with letters or digits, e.g. `customer-threatens-to-sue.md`"),
        );
    } else if let Some(len) = page_name_too_long(&slug) {
        errors.push(
            Diagnostic::error(format!(
                "file name is too long: its page, `{}/{}{PAGE_EXTENSION}`, would be {len} bytes, and file systems allow {MAX_NAME_BYTES}",
                kind.dir(),
                abbreviate(&slug, 40),
            ))
            .in_file(&file)
            .help(format!(
                "rename the file: its page is named after it, so its name without `.md` may take at most {MAX_SLUG_BYTES} bytes (a letter outside ASCII takes 2 to 4)"
            )),
        );
    }
    let title = match (kind.derives_title(), &front.title, &front.situation) {
        (_, Some(title), _) if !title.trim().is_empty() => title.trim().to_string(),
        (true, _, Some(situation)) if !situation.trim().is_empty() => {
            format!("What should I say when {}?", clean_situation(situation))
        }
        (true, _, _) => {
            errors.push(
                Diagnostic::error(format!("{} entry has no `situation`", kind.label()))
                    .in_file(&file)
                    .at(Some(lines.locate(&source, 0, 3)))
                    .help("add `situation = \"the customer threatens to sue\"`: it becomes the title and the A–Z index entry"),
            );
            String::new()
        }
        _ => {
            errors.push(
                Diagnostic::error(format!("{} has no `title`", kind.name()))
                    .in_file(&file)
                    .at(Some(lines.locate(&source, 0, 3)))
                    .help("add `title = \"…\"` to the front matter"),
            );
            String::new()
        }
    };
    if let Some(declared) = &front.kind
        && declared != kind.name()
        && declared != kind.dir()
    {
        let loc = front_matter::key_span(split.front, "kind")
            .map(|s| lines.locate(&source, front_offset + s.start, s.end - s.start));
        errors.push(
            Diagnostic::error(format!(
                "`kind = \"{declared}\"` disagrees with the folder, which makes this a {}",
                kind.name()
            ))
            .in_file(&file)
            .at(loc)
            .help(format!(
                "move the file to content/{}/ or remove the `kind` field",
                Kind::ALL
                    .into_iter()
                    .find(|k| k.name() == declared || k.dir() == declared)
                    .map_or("<kind>", |k| k.dir())
            )),
        );
    }
    if front.situation.is_some() && !kind.derives_title() {
        let situated = || Kind::ALL.into_iter().filter(|k| k.derives_title());
        warnings.push(
            Diagnostic::warning(format!(
                "`situation` is only used by {}",
                kind::listed(situated().map(|k| format!("{} entries", k.label())), "and")
            ))
            .in_file(&file)
            .at(front_matter::key_span(split.front, "situation")
                .map(|s| lines.locate(&source, front_offset + s.start, s.end - s.start)))
            .help(format!(
                "move the entry to {}, or remove `situation`",
                kind::listed(situated().map(|k| format!("content/{}/", k.dir())), "or")
            )),
        );
    }
    let input = ParseInput {
        file: &file,
        dir: rel.rsplit_once('/').map_or("", |(d, _)| d),
        source: &source,
        body_offset,
        lines: &lines,
        is_playbook: kind.has_steps(),
        raw_html: config.markdown.raw_html,
        allow_unsafe_links: config.markdown.allow_unsafe_links,
        assets,
    };
    let (mut body, body_diagnostics) = markdown::parse(&input);
    // The pass warns too (heading attributes it leaves out): a warning
    // must not keep the entry from being published.
    let (body_errors, body_warnings): (Vec<_>, Vec<_>) = body_diagnostics
        .into_iter()
        .partition(|d| d.severity == crate::diag::Severity::Error);
    errors.extend(body_errors);
    warnings.extend(body_warnings);
    let flow_errors = std::mem::take(&mut body.flow_errors);
    if !errors.is_empty() {
        errors.extend(flow_errors);
        errors.extend(warnings);
        return Err(errors);
    }
    let digests = Digests::of(
        &file,
        kind,
        &slug,
        &title,
        &front,
        &body,
        &source,
        body_offset.min(source.len()),
    );
    let mut found: Diagnostics = flow_errors.into_iter().collect();
    wording.lint(&file, &source, &lines, body_offset, &mut found);
    Ok(Some((
        Entry {
            url: format!("{}/{slug}.html", kind.dir()),
            reviewed: front.reviewed.as_ref().map(|d| d.to_string()),
            file,
            kind,
            slug,
            title,
            front,
            body,
            wording: found,
            digests,
        },
        warnings,
    )))
}

/// A Markdown file's bytes as text: UTF-8 required, a byte-order mark
/// dropped, NUL replaced as CommonMark does (render's link slots rely on
/// no NUL surviving).
fn source_text(file: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let mut source = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => return Err(not_utf8(file, e.as_bytes(), e.utf8_error().valid_up_to())),
    };
    if let Some(stripped) = source.strip_prefix('\u{feff}') {
        source = stripped.to_string();
    }
    if source.contains('\0') {
        source = source.replace('\0', "\u{fffd}");
    }
    Ok(source)
}

/// The error for a file that is not UTF-8, located at the first bad byte.
pub(crate) fn not_utf8(file: &str, bytes: &[u8], valid: usize) -> Diagnostic {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Diagnostic::error("file is UTF-16, not UTF-8")
            .in_file(file)
            .help("save the file with UTF-8 encoding (Notepad: Save as → Encoding: UTF-8)");
    }
    // The valid prefix is UTF-8, so line and column count as editors do.
    let before = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    let line_end = bytes[valid..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| valid + i);
    let text = String::from_utf8_lossy(&bytes[line_start..line_end])
        .trim_end_matches('\r')
        .to_string();
    let bad = bytes[valid];
    Diagnostic::error(format!(
        "file is not valid UTF-8 (bad byte 0x{bad:02x} on line {line})"
    ))
    .in_file(file)
    .at(Some(crate::diag::Location {
        line,
        column,
        text,
        width: 1,
    }))
    .help("save the file with UTF-8 encoding (most editors: \"Save with encoding\" → UTF-8); files from older Windows tools are often Windows-1252")
}

/// "The customer threatens to sue?" → "the customer threatens to sue".
pub fn clean_situation(situation: &str) -> String {
    situation
        .trim()
        .trim_end_matches(['?', '.'])
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAYBOOK: &str = "+++\ntitle = \"Calls\"\n+++\n\n## Step 1: Greet\n\nSee [[b]] and [the card](../techniques/b.md#why).\n\n```say\nHello.\n```\n";
    const CARD: &str =
        "+++\ntitle = \"B\"\n+++\n\n## Why\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted *text*\n";

    fn site() -> (tempfile::TempDir, SiteConfig) {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join(CONTENT_DIR);
        std::fs::create_dir_all(content.join("playbooks")).unwrap();
        std::fs::create_dir_all(content.join("techniques")).unwrap();
        std::fs::write(content.join("playbooks/a.md"), PLAYBOOK).unwrap();
        std::fs::write(content.join("techniques/b.md"), CARD).unwrap();
        (dir, SiteConfig::parse("title = \"T\"\n").unwrap())
    }

    #[test]
    fn the_spool_gives_back_the_html_and_text_load_would_keep() {
        let (dir, config) = site();
        let (kept, d) = load_keeping_html(dir.path(), &config, usize::MAX).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(kept.body_html, BodyHtml::Kept);
        let (later, d) = load_keeping_html(dir.path(), &config, 1).unwrap();
        assert!(d.is_empty(), "{d:?}");
        let BodyHtml::Spooled(spool) = &later.body_html else {
            panic!("{:?}", later.body_html);
        };
        assert_eq!(kept.entries.len(), 2);
        for (kept, later) in kept.entries.iter().zip(&later.entries) {
            assert!(kept.body.html.contains("<h2"), "{}", kept.body.html);
            assert!(!kept.body.text.is_empty());
            assert!(kept.body.spooled.is_none());
            assert!(later.body.html.is_empty() && later.body.text.is_empty());
            assert_eq!(kept.body.links.len(), later.body.links.len());
            let (html, text) = spool.get(later.body.spooled.unwrap()).unwrap();
            assert_eq!(html, kept.body.html);
            assert_eq!(text, kept.body.text);
        }
    }
}
