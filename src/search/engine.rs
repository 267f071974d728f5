//! The search page's own script, run in an embedded JavaScript engine
//! (QuickJS, through the rquickjs crate).
//!
//! `check` ranks authors' search tests with this, on the index the build
//! writes, and `gaps` replays the queries of the access logs with it, so
//! there is one ranking, the browser's, not a Rust copy of it that could
//! drift. The script runs as on the page, except that without a
//! `document` it stops before the part that shows results.

use crate::resolve::Site;
use rquickjs::{Context, Runtime};

/// The page's script, as the theme ships it.
pub(crate) const SCRIPT: &str = "saywhen-search.js";

/// Why there is no engine for a site.
#[derive(Debug)]
pub(crate) enum Unavailable {
    /// The theme has no search script (named here).
    NoScript(&'static str),
    /// The script, from `origin` (the theme file), would not run.
    Failed { origin: String, problem: String },
}

/// The search script a site ships, as its theme gives it
/// (`Theme::search_script`).
pub(crate) struct Script<'a> {
    pub(crate) text: &'a [u8],
    /// The file it comes from, for errors.
    pub(crate) origin: String,
}

/// The engine with the index this site's build would write and its
/// theme's script (`None` when the theme has none): the ranking of the
/// site's own search page.
pub(crate) fn for_site(site: &Site, script: Option<Script<'_>>) -> Result<Engine, Unavailable> {
    let Some(Script {
        text: script,
        origin,
    }) = script
    else {
        return Err(Unavailable::NoScript(SCRIPT));
    };
    let index = crate::search::render(site);
    let text =
        |name: &str| String::from_utf8_lossy(index.get(name).map_or(&[][..], |b| b)).into_owned();
    Engine::new(
        &text("search/index.js"),
        &text("search/body.js"),
        &String::from_utf8_lossy(script),
    )
    .map_err(|problem| Unavailable::Failed { origin, problem })
}

pub(crate) struct Engine {
    // The context borrows the runtime's heap; both live as long as the engine.
    context: Context,
    _runtime: Runtime,
}

impl Engine {
    /// Loads the index files and then the search script, as the page does.
    /// An error names the script that failed and why.
    pub(crate) fn new(index_js: &str, body_js: &str, script: &str) -> Result<Engine, String> {
        let runtime = Runtime::new().map_err(|e| e.to_string())?;
        let context = Context::full(&runtime).map_err(|e| e.to_string())?;
        context.with(|ctx| -> Result<(), String> {
            for (name, code) in [
                ("the page", "var window = globalThis;"),
                ("search/index.js", index_js),
                ("search/body.js", body_js),
                ("saywhen-search.js", script),
            ] {
                ctx.eval::<(), _>(code).map_err(|e| {
                    let thrown = ctx.catch();
                    let detail = thrown
                        .as_exception()
                        .and_then(|x| x.message())
                        .unwrap_or_else(|| e.to_string());
                    format!("{name} failed in the search engine: {detail}")
                })?;
            }
            let ready: bool = ctx
                .eval("!!(window.saywhenSearch && window.saywhenSearch.search)")
                .map_err(|e| e.to_string())?;
            if ready {
                Ok(())
            } else {
                Err("saywhen-search.js did not define window.saywhenSearch.search".into())
            }
        })?;
        Ok(Engine {
            context,
            _runtime: runtime,
        })
    }

    /// The URLs of the entries the page lists for `query`, best first.
    pub(crate) fn rank(&self, query: &str) -> Result<Ranked, String> {
        self.json(&[("__saywhenQuery", query)], RANK)
    }

    /// The URLs of the entries that have `key` among their exact keys.
    pub(crate) fn key_owners(&self, key: &str) -> Result<Vec<String>, String> {
        self.json(
            &[("__saywhenKey", key)],
            "JSON.stringify(window.SAYWHEN_SEARCH.docs.filter(function (d) { return d[4].indexOf(__saywhenKey) >= 0; }).map(function (d) { return d[1]; }))",
        )
    }

    /// How the page would rank `query` if the entry at `url` had one more
    /// exact key, `key`, as an alias gives it; the index is left as it was.
    /// The alias's words are not added to the postings: the exact key is
    /// what ranks an entry first.
    pub(crate) fn rank_with_key(
        &self,
        query: &str,
        url: &str,
        key: &str,
    ) -> Result<Ranked, String> {
        let code = format!(
            "(function () {{ var d = window.SAYWHEN_SEARCH.docs.find(function (d) {{ return d[1] === __saywhenUrl; }}); \
             if (!d) return JSON.stringify({{ urls: [] }}); d[4].push(__saywhenKey); \
             try {{ return {RANK}; }} finally {{ d[4].pop(); }} }})()"
        );
        self.json(
            &[
                ("__saywhenQuery", query),
                ("__saywhenUrl", url),
                ("__saywhenKey", key),
            ],
            &code,
        )
    }

    /// Sets `vars` as globals, evaluates `code` (which returns JSON text)
    /// and parses its value; an exception comes back as its message.
    fn json<T: serde::de::DeserializeOwned>(
        &self,
        vars: &[(&str, &str)],
        code: &str,
    ) -> Result<T, String> {
        self.context.with(|ctx| {
            let globals = ctx.globals();
            for (name, value) in vars {
                globals.set(*name, *value).map_err(|e| e.to_string())?;
            }
            let json: String = ctx.eval(code).map_err(|e| {
                let thrown = ctx.catch();
                thrown
                    .as_exception()
                    .and_then(|x| x.message())
                    .unwrap_or_else(|| e.to_string())
            })?;
            serde_json::from_str(&json).map_err(|e| e.to_string())
        })
    }
}

/// The page's ranking of `__saywhenQuery` with no filters, as JSON text.
const RANK: &str = "(function () { var r = window.saywhenSearch.search(__saywhenQuery, {}); \
     return JSON.stringify({ urls: r.map(function (x) { return window.SAYWHEN_SEARCH.docs[x.doc][1]; }), weak: r.weak === true }); })()";

/// One query's results as the page ranks them.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct Ranked {
    pub(crate) urls: Vec<String>,
    /// The page says nothing matches closely and shows the closest few.
    #[serde(default)]
    pub(crate) weak: bool,
}
