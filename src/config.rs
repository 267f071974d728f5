//! `site.toml` → [`SiteConfig`]: the first thing every command reads.
//!
//! Unknown keys are errors (a typo must not silently do nothing), and every
//! error names `site.toml` and the line, like front matter errors do.

use crate::diag::{Diagnostic, LineIndex};
use serde::Deserialize;
use std::collections::BTreeMap;

pub const CONFIG_FILE: &str = "site.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Full URL of the published site, path included: used for the sitemap,
    /// canonical links and the path `serve` mounts the site at. Pages link to
    /// each other relatively, so the site also works from any sub-path and
    /// straight from disk.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// Entries whose `reviewed` date is older than this are reported by
    /// `check`. Zero turns the warning off.
    #[serde(default)]
    pub review_after_days: u32,
    /// How many "Related" entries each page shows at most.
    #[serde(default = "default_related_limit")]
    pub related_limit: usize,
    #[serde(default)]
    pub tags: TagsConfig,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub search: SearchConfig,
    #[serde(default)]
    pub governance: GovernanceConfig,
    #[serde(default)]
    pub lint: LintConfig,
    /// "Suggest an edit" link on every entry: a URL template where `{path}`
    /// is the source file (`content/faq/x.md`). Empty: no link.
    #[serde(default)]
    pub edit_url: String,
    /// "Flag as outdated" link on every entry: a URL template (`mailto:` or
    /// an intranet form) with `{path}`, `{title}` and `{url}`. Empty: no link.
    #[serde(default)]
    pub flag_url: String,
    /// Free-form values for custom templates, available as `config.extra`.
    #[serde(default)]
    pub extra: toml::Table,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagsConfig {
    /// When non-empty, `check` warns on any tag outside this list.
    #[serde(default)]
    pub vocabulary: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Raw HTML in Markdown is shown as text (the safe default).
    #[default]
    Escape,
    /// Raw HTML passes through: for teams that trust every author.
    Allow,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    #[serde(default)]
    pub raw_html: RawHtml,
    /// Allow `javascript:` and `data:` link targets (refused by default).
    #[serde(default)]
    pub allow_unsafe_links: bool,
}

/// How strictly `check` treats entries past their review or validity date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strictness {
    Ignore,
    #[default]
    Warning,
    Error,
}

/// What search does with expired entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExpiredInSearch {
    /// Listed after every current entry, marked expired.
    #[default]
    Sink,
    /// Left out of search (the page stays readable).
    Hide,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovernanceConfig {
    /// What `check` says about entries due for review.
    #[serde(default)]
    pub overdue: Strictness,
    /// What `check` says about entries past `valid_until`.
    #[serde(default)]
    pub expired: Strictness,
    #[serde(default)]
    pub expired_in_search: ExpiredInSearch,
}

/// `[lint]`: wording rules for compliance.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintConfig {
    #[serde(default)]
    pub forbidden: Vec<ForbiddenRule>,
    #[serde(default)]
    pub required: Vec<RequiredRule>,
}

/// `[[lint.forbidden]]`: phrases agents must never say.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForbiddenRule {
    /// Short name shown with each finding, e.g. `no-threats`.
    pub name: String,
    /// Matched case-insensitively on word boundaries; `arrest*` also
    /// matches `arrested`.
    pub phrases: Vec<String>,
    pub message: String,
}

/// `[[lint.required]]`: entries that must include a snippet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredRule {
    pub name: String,
    /// The snippet to include: `content/_snippets/<snippet>.md`.
    pub snippet: String,
    /// Which entries: of this kind (`playbook`, `technique`, `faq`)…
    #[serde(default)]
    pub kind: Option<String>,
    /// …and carrying any of these tags. Both empty: every entry.
    #[serde(default)]
    pub tags: Vec<String>,
    pub message: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// `word = ["other", "words"]`: a query for `word` also finds the others.
    #[serde(default)]
    pub synonyms: BTreeMap<String, Vec<String>>,
}

fn default_base_url() -> String {
    "/".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_language() -> String {
    "en".to_string()
}
fn default_related_limit() -> usize {
    5
}

impl SiteConfig {
    /// Parses `text`, the contents of `site.toml`, reporting errors against
    /// that file.
    pub fn parse(text: &str) -> Result<SiteConfig, Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut config: SiteConfig = toml::from_str(text).map_err(|e| {
            let index = LineIndex::new();
            let location = e
                .span()
                .map(|span| index.locate(text, span.start, span.end - span.start));
            Diagnostic::error(format!("invalid {CONFIG_FILE}: {}", e.message().trim_end()))
                .in_file(CONFIG_FILE)
                .at(location)
                .help(
                    "see the configuration reference in README.md for the allowed keys and their types",
                )
        })?;
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        Ok(config)
    }

    /// The path part of `base_url`, always starting and ending with `/`:
    /// `https://intranet.example/kb/` → `/kb/`.
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }
}

pub fn base_path_of(url: &str) -> String {
    let rest = match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            after.find('/').map_or("/", |j| &after[j..])
        }
        None => url,
    };
    let mut path = rest.split(['?', '#']).next().unwrap_or("/").to_string();
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_from_url() {
        assert_eq!(base_path_of("https://intranet.example/kb/"), "/kb/");
        assert_eq!(base_path_of("https://intranet.example"), "/");
        assert_eq!(base_path_of("/docs"), "/docs/");
        assert_eq!(base_path_of("http://h:8080/a/b?x=1"), "/a/b/");
    }

    #[test]
    fn unknown_key_names_line() {
        let err = SiteConfig::parse("title = \"x\"\nreview_afterdays = 3\n").unwrap_err();
        assert_eq!(err.file.as_deref(), Some("site.toml"));
        assert_eq!(err.line(), Some(2));
        assert!(
            err.message.contains("unknown field `review_afterdays`"),
            "{}",
            err.message
        );
    }
}
