//! Typed template contexts. Each page gets a small value built for it alone
//! (never a clone of the whole site), serialised once for tera.

use crate::load::{Entry, Kind};
use crate::resolve::Site;
use serde::Serialize;

/// What every template sees as `site`.
#[derive(Serialize)]
pub struct SiteCtx<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub base_path: String,
    pub language: &'a str,
    pub kinds: Vec<KindCtx>,
    pub extra: &'a toml::Table,
}

#[derive(Serialize)]
pub struct KindCtx {
    pub name: &'static str,
    pub dir: &'static str,
    pub label: &'static str,
    pub count: usize,
    pub url: String,
}

impl<'a> SiteCtx<'a> {
    pub fn new(site: &'a Site) -> Self {
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
            extra: &c.extra,
        }
    }
}

/// An entry as a link in a list: listings, backlinks, related, tag pages.
#[derive(Serialize)]
pub struct EntryLink<'a> {
    pub title: &'a str,
    pub url: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub description: &'a str,
    pub situation: Option<&'a str>,
    pub reviewed: Option<String>,
    pub owner: Option<&'a str>,
}

impl<'a> EntryLink<'a> {
    pub fn new(entry: &'a Entry) -> Self {
        EntryLink {
            title: &entry.title,
            url: entry.url(),
            kind: entry.kind.name(),
            kind_label: entry.kind.label(),
            description: entry.front.description.as_deref().unwrap_or(""),
            situation: entry.front.situation.as_deref(),
            reviewed: entry.front.reviewed.as_ref().map(|d| d.to_string()),
            owner: entry.front.owner.as_deref(),
        }
    }
}

#[derive(Serialize)]
pub struct TagLink<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct StepCtx<'a> {
    pub number: usize,
    pub title: &'a str,
    pub id: &'a str,
}

#[derive(Serialize)]
pub struct EntryCtx<'a> {
    #[serde(flatten)]
    pub link: EntryLink<'a>,
    pub slug: &'a str,
    pub kind_dir: &'static str,
    pub kind_plural: &'static str,
    pub source: &'a str,
    pub tags: Vec<TagLink<'a>>,
    pub aliases: &'a [String],
    pub content: String,
    pub steps: Vec<StepCtx<'a>>,
    /// The first say-phrase, for "answer first" displays.
    pub first_say: Option<&'a str>,
    pub backlinks: Vec<EntryLink<'a>>,
    pub related: Vec<EntryLink<'a>>,
    pub extra: &'a toml::Table,
}

#[derive(Serialize)]
pub struct AzLetter<'a> {
    pub letter: &'a str,
    pub items: Vec<AzLink<'a>>,
}

#[derive(Serialize)]
pub struct AzLink<'a> {
    pub lead: &'a str,
    pub rest: &'a str,
    pub alias: bool,
    pub url: String,
    pub title: &'a str,
}
