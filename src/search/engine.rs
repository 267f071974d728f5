//! The search page's own script, run in an embedded JavaScript engine
//! (QuickJS, through the rquickjs crate).
//!
//! `check` ranks authors' search tests with this, on the index the build
//! writes, so there is one ranking, the browser's, not a Rust copy of it
//! that could drift. The script runs as on the page, except that without a
//! `document` it stops before the part that shows results.

use rquickjs::{Context, Runtime};

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
        self.context.with(|ctx| {
            let globals = ctx.globals();
            globals
                .set("__saywhenQuery", query)
                .map_err(|e| e.to_string())?;
            let json: String = ctx
                .eval(
                    "(function () { var r = window.saywhenSearch.search(__saywhenQuery, {}); \
                     return JSON.stringify({ urls: r.map(function (x) { return window.SAYWHEN_SEARCH.docs[x.doc][1]; }) }); })()",
                )
                .map_err(|e| {
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

/// One query's results as the page ranks them.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct Ranked {
    pub(crate) urls: Vec<String>,
}
