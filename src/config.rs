//! `site.toml` → [`SiteConfig`]: the first thing every command reads.
//!
//! Unknown keys are errors (a typo must not silently do nothing), and every
//! error names `site.toml` and the line, like front matter errors do.

use crate::diag::{Diagnostic, LineIndex};
use serde::Deserialize;
use std::collections::BTreeMap;

pub(crate) const CONFIG_FILE: &str = "site.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) description: String,
    /// Full URL of the published site, path included: used for the sitemap,
    /// canonical links and the path `serve` mounts the site at. Pages link to
    /// each other relatively, so the site also works from any sub-path and
    /// straight from disk. An absolute `http(s)://` URL, or only the path
    /// (`/kb/`) when the host is not known: [`base_url_problem`].
    #[serde(default = "default_base_url")]
    pub(crate) base_url: String,
    #[serde(default = "default_theme")]
    pub(crate) theme: String,
    #[serde(default = "default_language")]
    pub(crate) language: String,
    /// Entries whose `reviewed` date is older than this are reported by
    /// `check`. Zero turns the warning off.
    #[serde(default)]
    pub(crate) review_after_days: u32,
    /// How many "Related" entries each page shows at most.
    #[serde(default = "default_related_limit")]
    pub(crate) related_limit: usize,
    #[serde(default)]
    pub(crate) tags: TagsConfig,
    #[serde(default)]
    pub(crate) markdown: MarkdownConfig,
    #[serde(default)]
    pub(crate) search: SearchConfig,
    #[serde(default)]
    pub(crate) governance: GovernanceConfig,
    #[serde(default)]
    pub(crate) lint: LintConfig,
    /// "Suggest an edit" link on every entry: a URL template where `{path}`
    /// is the source file (`content/faq/x.md`). Empty: no link.
    #[serde(default)]
    pub(crate) edit_url: String,
    /// "Flag as outdated" link on every entry: a URL template (`mailto:` or
    /// an intranet form) with `{path}`, `{title}` and `{url}`. Empty: no link.
    #[serde(default)]
    pub(crate) flag_url: String,
    /// Free-form values for custom templates, available as `config.extra`.
    #[serde(default)]
    pub(crate) extra: toml::Table,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TagsConfig {
    /// When non-empty, `check` warns on any tag outside this list.
    #[serde(default)]
    pub(crate) vocabulary: Vec<String>,
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
pub(crate) struct MarkdownConfig {
    #[serde(default)]
    pub(crate) raw_html: RawHtml,
    /// Allow `javascript:` and `data:` link targets (refused by default).
    #[serde(default)]
    pub(crate) allow_unsafe_links: bool,
}

/// How strictly `check` treats entries past their review or validity date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Strictness {
    Ignore,
    #[default]
    Warning,
    Error,
}

/// What search does with expired entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ExpiredInSearch {
    /// Listed after every current entry, marked expired.
    #[default]
    Sink,
    /// Left out of search (the page stays readable).
    Hide,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GovernanceConfig {
    /// What `check` says about entries due for review.
    #[serde(default)]
    pub(crate) overdue: Strictness,
    /// What `check` says about entries past `valid_until`.
    #[serde(default)]
    pub(crate) expired: Strictness,
    #[serde(default)]
    pub(crate) expired_in_search: ExpiredInSearch,
}

/// `[lint]`: wording rules for compliance.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LintConfig {
    #[serde(default)]
    pub(crate) forbidden: Vec<ForbiddenRule>,
    #[serde(default)]
    pub(crate) required: Vec<RequiredRule>,
}

/// `[[lint.forbidden]]`: phrases agents must never say.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ForbiddenRule {
    /// Short name shown with each finding, e.g. `no-threats`.
    pub(crate) name: String,
    /// Matched case-insensitively on word boundaries; `arrest*` also
    /// matches `arrested`.
    pub(crate) phrases: Vec<String>,
    pub(crate) message: String,
}

/// `[[lint.required]]`: entries that must include a snippet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequiredRule {
    pub(crate) name: String,
    /// The snippet to include: `content/_snippets/<snippet>.md`.
    pub(crate) snippet: String,
    /// Which entries: of this kind, by name or folder (`playbook`)…
    #[serde(default)]
    pub(crate) kind: Option<String>,
    /// …and carrying any of these tags. Both empty: every entry.
    #[serde(default)]
    pub(crate) tags: Vec<String>,
    pub(crate) message: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SearchConfig {
    /// `word = ["other", "words"]`: a query for `word` also finds the others.
    #[serde(default)]
    pub(crate) synonyms: BTreeMap<String, Vec<String>>,
    /// The search page asks for `search/q.gif?q=…` when an agent pauses on
    /// a query or opens a result, so the web server's access log records
    /// what was searched (`saywhen gaps`). Off unless asked for.
    #[serde(default)]
    pub(crate) log_queries: bool,
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
        if let Some(problem) = base_url_problem(&config.base_url) {
            return Err(Diagnostic::error(format!(
                "invalid {CONFIG_FILE}: `base_url` must be an absolute http:// or https:// URL, or a path starting with `/`: {problem}"
            ))
            .in_file(CONFIG_FILE)
            .at(base_url_location(text))
            .help(
                "write the address the site is published at, e.g. `base_url = \"https://intranet.example/kb/\"`, or only its path (`\"/kb/\"`); it goes into every page's canonical link and the sitemap",
            ));
        }
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        Ok(config)
    }

    /// The `[search.synonyms]` groups: each key with the words that also
    /// find it.
    pub fn synonyms(&self) -> &BTreeMap<String, Vec<String>> {
        &self.search.synonyms
    }

    /// The path part of `base_url`, always starting and ending with `/`:
    /// `https://intranet.example/kb/` → `/kb/`.
    pub(crate) fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }
}

/// Where the value of `base_url` is written in `text`, a `site.toml` that
/// parsed.
fn base_url_location(text: &str) -> Option<crate::diag::Location> {
    #[derive(Deserialize)]
    struct Spans {
        base_url: Option<toml::Spanned<String>>,
    }
    let span = toml::from_str::<Spans>(text).ok()?.base_url?.span();
    Some(LineIndex::new().locate(text, span.start, span.end - span.start))
}

/// Why `url` cannot be the `base_url`, or `None` when it can. It is
/// written in front of every page's path in canonical links and the
/// sitemap, so it must be a web address that a path can follow: an
/// absolute `http://` or `https://` URL with a host and without a query,
/// fragment or password, or a path starting with `/` (the site's
/// address, host left out). Empty means `/`.
pub(crate) fn base_url_problem(url: &str) -> Option<String> {
    if url.is_empty() {
        return None;
    }
    let spaces = url.chars().any(|c| c.is_whitespace() || c.is_control());
    let space = || {
        Some("it contains a space, line break or control character (write a space as `%20`)".into())
    };
    let query =
        || Some("it has a query or fragment (`?`, `#`), which no page's path can follow".into());
    if let Some(path) = url.strip_prefix('/') {
        if path.starts_with('/') {
            return Some(format!(
                "`{url}` leaves out the scheme; write `https:{url}`"
            ));
        }
        if spaces {
            return space();
        }
        if url.contains(['?', '#']) {
            return query();
        }
        if url.contains('\\') {
            return Some("it contains a backslash; separate the path with `/`".into());
        }
        return None;
    }
    let parsed = match url::Url::parse(url) {
        Ok(parsed) => parsed,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            return Some(format!("`{url}` is neither"));
        }
        Err(_) if spaces => return space(),
        Err(e) => return Some(format!("`{url}` is not a valid URL ({e})")),
    };
    let scheme = parsed.scheme();
    if scheme != "http" && scheme != "https" {
        return Some(format!("`{url}` is a `{scheme}:` URL"));
    }
    // The URL parser drops these silently; the text is used as written.
    if spaces {
        return space();
    }
    // The URL standard reads `https:host` as `https://host/`; the text is
    // used as written, so it must say so itself.
    if !url[scheme.len() + 1..].starts_with("//") {
        return Some(format!("`{url}` needs `//` after `{scheme}:`"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Some("it contains a user name or password, which every page would show".into());
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return query();
    }
    None
}

pub(crate) fn base_path_of(url: &str) -> String {
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
    fn base_url_forms() {
        for good in [
            "",
            "/",
            "/kb/",
            "/kb",
            "https://intranet.example/kb/",
            "http://intranet.example",
            "HTTPS://Intranet.Example:8443/a/b/",
            "http://[::1]:8080/kb/",
            "https://intranet.example/k%20b/",
        ] {
            assert_eq!(base_url_problem(good), None, "{good}");
        }
        for (bad, problem) in [
            (
                "javascript:alert(1)//",
                "`javascript:alert(1)//` is a `javascript:` URL",
            ),
            ("data:text/html,x", "`data:text/html,x` is a `data:` URL"),
            ("not a url", "`not a url` is neither"),
            ("https://intranet.example/my kb/", "it contains a space"),
            ("kb/", "`kb/` is neither"),
            ("intranet.example/kb/", "`intranet.example/kb/` is neither"),
            ("//intranet.example/kb/", "leaves out the scheme"),
            ("https:intranet.example/kb/", "needs `//` after `https:`"),
            ("https://", "is not a valid URL (empty host)"),
            (
                "https://user:secret@intranet.example/",
                "user name or password",
            ),
            ("https://intranet.example/kb/?a=1", "query or fragment"),
            ("/kb/#top", "query or fragment"),
            ("/kb\\docs", "backslash"),
            ("https://intranet.example/kb/\n", "line break"),
        ] {
            let found = base_url_problem(bad).unwrap_or_else(|| panic!("{bad} passed"));
            assert!(found.contains(problem), "{bad}: {found}");
        }
    }

    #[test]
    fn a_bad_base_url_names_its_line() {
        let err = SiteConfig::parse("title = \"x\"\n\nbase_url = \"javascript:alert(1)//\"\n")
            .unwrap_err();
        assert_eq!(err.file.as_deref(), Some("site.toml"));
        assert_eq!((err.line(), err.column()), (Some(3), Some(12)));
        assert_eq!(err.location.unwrap().width, 23);
    }

    #[test]
    fn query_logging_is_off_unless_asked_for_and_checked() {
        assert!(
            !SiteConfig::parse("title = \"x\"\n")
                .unwrap()
                .search
                .log_queries
        );
        let on = SiteConfig::parse("title = \"x\"\n[search]\nlog_queries = true\n").unwrap();
        assert!(on.search.log_queries);
        let err =
            SiteConfig::parse("title = \"x\"\n[search]\nlog_queries = \"yes\"\n").unwrap_err();
        assert_eq!(err.line(), Some(3));
        let err = SiteConfig::parse("title = \"x\"\n[search]\nlog_query = true\n").unwrap_err();
        assert_eq!(err.line(), Some(3));
        assert!(
            err.message.contains("unknown field `log_query`"),
            "{}",
            err.message
        );
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
