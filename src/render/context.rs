//! Typed template contexts. Each page gets a small value built for it alone
//! (never a clone of the whole site), serialised once for tera.

use crate::load::{Entry, Kind};
use crate::resolve::Site;
use serde::Serialize;

/// What every template sees as `site`.
#[derive(Serialize)]
pub(crate) struct SiteCtx<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) base_url: &'a str,
    pub(crate) base_path: String,
    pub(crate) language: &'a str,
    pub(crate) kinds: Vec<KindCtx>,
    /// Whether the site has snippets, so a Snippets page to link to.
    pub(crate) has_snippets: bool,
    pub(crate) extra: &'a toml::Table,
}

#[derive(Serialize)]
pub(crate) struct KindCtx {
    pub(crate) name: &'static str,
    pub(crate) dir: &'static str,
    pub(crate) label: &'static str,
    pub(crate) count: usize,
    pub(crate) url: String,
}

impl<'a> SiteCtx<'a> {
    pub(crate) fn new(site: &'a Site) -> Self {
        let c = &site.config;
        SiteCtx {
            title: &c.title,
            description: &c.description,
            base_url: &c.base_url,
            base_path: c.base_path(),
            language: &c.language,
            kinds: Kind::ALL
                .into_iter()
                .map(|k| KindCtx {
                    name: k.name(),
                    dir: k.dir(),
                    label: k.plural_label(),
                    count: site.of_kind(k).count(),
                    url: format!("{}/index.html", k.dir()),
                })
                .collect(),
            has_snippets: !site.snippets.is_empty(),
            extra: &c.extra,
        }
    }
}

/// An entry as a link in a list: listings, backlinks, related, tag pages.
#[derive(Serialize)]
pub(crate) struct EntryLink<'a> {
    pub(crate) title: &'a str,
    pub(crate) url: &'a str,
    pub(crate) kind: &'static str,
    pub(crate) kind_label: &'static str,
    pub(crate) description: &'a str,
    pub(crate) situation: Option<&'a str>,
    pub(crate) reviewed: Option<&'a str>,
    pub(crate) owner: Option<&'a str>,
}

impl<'a> EntryLink<'a> {
    pub(crate) fn new(entry: &'a Entry) -> Self {
        EntryLink {
            title: &entry.title,
            url: entry.url(),
            kind: entry.kind.name(),
            kind_label: entry.kind.label(),
            description: entry.front.description.as_deref().unwrap_or(""),
            situation: entry.front.situation.as_deref(),
            reviewed: entry.reviewed(),
            owner: entry.front.owner.as_deref(),
        }
    }
}

#[derive(Serialize)]
pub(crate) struct TagLink<'a> {
    pub(crate) name: &'a str,
    pub(crate) url: String,
    pub(crate) count: usize,
}

#[derive(Serialize)]
pub(crate) struct StepCtx<'a> {
    pub(crate) number: usize,
    pub(crate) title: &'a str,
    pub(crate) id: &'a str,
    /// This step's HTML, from its heading up to the next step (empty when
    /// the entry's `intro` is absent).
    pub(crate) content: String,
    /// The steps before and after this one, for step-by-step navigation
    /// (`None` for the first and the last). Given here because picking a
    /// neighbour out of `entry.steps` in a template copies its whole HTML.
    pub(crate) prev: Option<StepLink<'a>>,
    pub(crate) next: Option<StepLink<'a>>,
}

/// A step as a link: its number, title and heading id.
#[derive(Serialize, Clone, Copy)]
pub(crate) struct StepLink<'a> {
    pub(crate) number: usize,
    pub(crate) title: &'a str,
    pub(crate) id: &'a str,
}

/// An entry's governance badge: verified, due for review or expired.
#[derive(Serialize)]
pub(crate) struct StatusCtx<'a> {
    #[serde(flatten)]
    pub(crate) status: &'a crate::governance::Status,
    pub(crate) label: String,
}

impl<'a> StatusCtx<'a> {
    pub(crate) fn new(status: &'a crate::governance::Status) -> Self {
        StatusCtx {
            status,
            label: status.label(),
        }
    }
}

/// Fills a site.toml link template (`edit_url`, `flag_url`) for an entry:
/// `{path}` is the source file, `{title}` the title, `{url}` the page's
/// published address. `None` when the template is empty.
pub(crate) fn entry_url_template(template: &str, site: &Site, entry: &Entry) -> Option<String> {
    if template.trim().is_empty() {
        return None;
    }
    let page = format!("{}{}", site.config.base_url, entry.url());
    Some(
        template
            .replace("{path}", &percent_encode(&entry.file, true))
            .replace("{title}", &percent_encode(&entry.title, false))
            .replace("{url}", &percent_encode(&page, false)),
    )
}

/// Percent-encodes all but unreserved characters (and `/` when asked).
fn percent_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An entry page's `entry`, besides its lists of other entries
/// (`backlinks`, `related` and, for technique cards, the playbooks that
/// link to them as `used_in`), which the page adds as shared links.
#[derive(Serialize)]
pub(crate) struct EntryCtx<'a> {
    #[serde(flatten)]
    pub(crate) link: EntryLink<'a>,
    pub(crate) slug: &'a str,
    pub(crate) kind_dir: &'static str,
    pub(crate) kind_plural: &'static str,
    /// Everything the table of kinds says of the entry's kind, so a
    /// template tests a property (`entry.kind_info.derives_title`), not a
    /// kind's name.
    pub(crate) kind_info: &'static crate::load::KindInfo,
    pub(crate) source: &'a str,
    pub(crate) tags: Vec<TagLink<'a>>,
    pub(crate) aliases: &'a [String],
    pub(crate) content: String,
    /// For playbooks: `content` before the first step; each step's own
    /// HTML is in `steps[].content`. Absent for other kinds.
    pub(crate) intro: Option<String>,
    pub(crate) steps: Vec<StepCtx<'a>>,
    /// The first say-phrase, for "answer first" displays.
    pub(crate) first_say: Option<&'a str>,
    pub(crate) extra: &'a toml::Table,
    pub(crate) status: StatusCtx<'a>,
    /// "Suggest an edit" and "Flag as outdated", from site.toml.
    pub(crate) edit_url: Option<String>,
    pub(crate) flag_url: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct AzLetter<'a> {
    pub(crate) letter: &'a str,
    pub(crate) items: Vec<AzLink<'a>>,
}

#[derive(Serialize)]
pub(crate) struct AzLink<'a> {
    pub(crate) lead: &'a str,
    pub(crate) rest: &'a str,
    pub(crate) alias: bool,
    pub(crate) url: &'a str,
    pub(crate) title: &'a str,
}
