//! Live reload and the error overlay, over server-sent events.
//!
//! Every page `serve` writes gets a few lines of script (never in `build`
//! output) that open `__saywhen/events` under the site's path. After a good
//! rebuild the server sends the list of changed files; a tab whose page (or
//! the stylesheet or script) changed reloads and keeps its scroll position.
//! When a change has errors the server sends them (errors first, then the
//! warnings) and every tab shows them over the last good page until a fix
//! clears them. A good build's warnings, which `check --deny-warnings`
//! fails on, show in a smaller panel at the foot of the page. When there
//! is no good page (the first build failed), every URL answers with the
//! problems, and the page loads the site by itself once a fix is built.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};

/// The path, under the site's mount, of the event stream.
pub(crate) const EVENTS: &str = "__saywhen/events";
/// The current state as JSON, for tests and scripts.
pub(crate) const STATUS: &str = "__saywhen/status";

#[derive(Default)]
pub(crate) struct Hub {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    clients: Vec<Sender<String>>,
    /// Problems of the last rebuild when it failed, rendered as text.
    problems: String,
    /// Warnings of the last good build, rendered as text; empty when clean.
    warnings: String,
    /// Counts good rebuilds, so tests can wait for the next one.
    version: u64,
    /// A good version has been published: false while the first build,
    /// and every rebuild since, had errors.
    built: bool,
}

fn event(name: &str, data: &serde_json::Value) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

fn status_of(state: &State) -> serde_json::Value {
    serde_json::json!({
        "ok": state.problems.is_empty(),
        "problems": state.problems,
        "warnings": state.warnings,
        "version": state.version,
        "built": state.built,
    })
}

impl Hub {
    pub(crate) fn status_json(&self) -> serde_json::Value {
        let state = self.state.lock().expect("hub lock");
        status_of(&state)
    }

    /// The problems to show at every URL while no good version exists (the
    /// first build failed and no fix has landed since); `None` otherwise.
    pub(crate) fn unbuilt_problems(&self) -> Option<String> {
        let state = self.state.lock().expect("hub lock");
        (!state.built && !state.problems.is_empty()).then(|| state.problems.clone())
    }

    /// A new listener, and the event that tells it the current state.
    pub(crate) fn subscribe(&self) -> (Receiver<String>, String) {
        let (tx, rx) = channel();
        let status = event("status", &self.status_json());
        self.state.lock().expect("hub lock").clients.push(tx);
        (rx, status)
    }

    fn broadcast(&self, state: &mut State, message: String) {
        state.clients.retain(|c| c.send(message.clone()).is_ok());
    }

    /// After a good first build: the output holds a good version, which
    /// later problems are shown over; `warnings` are the build's own.
    pub(crate) fn published(&self, warnings: String) {
        let mut state = self.state.lock().expect("hub lock");
        state.built = true;
        state.warnings = warnings;
    }

    /// After a good rebuild: clear problems, take its warnings (`None`
    /// while they are not known yet, as when the saved pages go first), and
    /// tell tabs what changed.
    pub(crate) fn rebuilt(&self, changed: &[String], warnings: Option<String>) {
        let mut state = self.state.lock().expect("hub lock");
        state.problems.clear();
        if let Some(warnings) = warnings {
            state.warnings = warnings;
        }
        state.version += 1;
        state.built = true;
        let status = event("status", &status_of(&state));
        self.broadcast(&mut state, status);
        let reload = event("reload", &serde_json::json!({ "changed": changed }));
        self.broadcast(&mut state, reload);
    }

    /// After a failed rebuild: show the problems over the last good pages,
    /// or at every URL when there are none yet.
    pub(crate) fn failed(&self, problems: String) {
        let mut state = self.state.lock().expect("hub lock");
        state.problems = problems;
        state.warnings.clear();
        let status = event("status", &status_of(&state));
        self.broadcast(&mut state, status);
    }
}

/// The page `serve` answers every URL with while no good version of the
/// site exists: the problems, and the live-reload script, which shows them
/// in the same overlay as later problems and loads the real page as soon as
/// a fix is built. Self-contained, since neither the theme's stylesheet nor
/// anything else of the site is on disk.
pub(crate) fn unbuilt_page(mount: &str, problems: &str) -> String {
    let problems = crate::text::escape::escape_html(problems);
    let script = script(mount);
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>saywhen: the site has problems</title>
</head>
<body style="margin:0;font:16px/1.5 system-ui,sans-serif">
<main id="saywhen-unbuilt" style="padding:1.5rem">
<h1 style="font-size:1.25rem">The site could not be built</h1>
<p>Nothing can be shown until these problems are fixed. Fix the file and save: this page then loads by itself.</p>
<pre style="white-space:pre-wrap;font:14px/1.45 ui-monospace,monospace">{problems}</pre>
</main>
{script}</body>
</html>
"#
    )
}

/// The script added before `</body>` of every served page. `mount` is the
/// path the site is served at (`/kb/`).
pub(crate) fn script(mount: &str) -> String {
    let mount_js = serde_json::to_string(mount)
        .expect("string serialises")
        .replace('<', "\\u003c");
    format!(
        r#"<script>
(function () {{
  "use strict";
  var mount = {mount_js};
  var key = "saywhen-scroll:" + location.pathname;
  // Set on the page served while no good version exists (`unbuilt_page`).
  var unbuilt = document.getElementById("saywhen-unbuilt");
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {{
    sessionStorage.removeItem(key);
    window.scrollTo(0, +saved);
    window.addEventListener("load", function () {{ window.scrollTo(0, +saved); }});
  }}
  function here() {{
    var p = decodeURIComponent(location.pathname);
    p = p.indexOf(mount) === 0 ? p.slice(mount.length) : p.replace(/^\//, "");
    return p === "" || p.slice(-1) === "/" ? p + "index.html" : p;
  }}
  // A box of saywhen's own colours, fixed over the page: a title, then
  // the problems as text. Made on first use, then updated in place.
  function panel(id, role, css) {{
    var box = document.getElementById(id);
    if (box) return box;
    box = document.createElement("div");
    box.id = id;
    box.setAttribute("role", role);
    box.style.cssText = "position:fixed;left:0;right:0;overflow:auto;font:14px/1.45 ui-monospace,monospace;" + css;
    box.appendChild(document.createElement("strong"));
    box.appendChild(plain());
    document.body.appendChild(box);
    return box;
  }}
  // A <pre> that takes none of the theme's code styling (its light grey
  // background under the box's white text was unreadable).
  function plain() {{
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:.75rem 0 0;padding:0;border:0;border-radius:0;" +
      "background:none;color:inherit;font:inherit;box-shadow:none;max-height:none;overflow:visible";
    return pre;
  }}
  function overlay(text) {{
    if (unbuilt) unbuilt.querySelector("pre").textContent = text;
    if (!text) {{ var old = document.getElementById("saywhen-overlay"); if (old) old.remove(); return; }}
    var box = panel("saywhen-overlay", "alert",
      "top:0;max-height:70vh;z-index:2147483647;background:#3b0d0d;color:#fff;padding:1rem 1.25rem;box-shadow:0 4px 16px rgba(0,0,0,.4)");
    box.querySelector("strong").textContent = unbuilt
      ? "saywhen: the site has problems, so there is no version of it to show yet. Fix the file and save; the page then loads by itself."
      : "saywhen: the last change has problems. This is the last good version; fix the file and save.";
    box.querySelector("pre").textContent = text;
  }}
  // Warnings of a good build: a panel at the foot of the page, which the
  // author may hide until the warnings change.
  function warnings(text) {{
    var old = document.getElementById("saywhen-warnings");
    if (!text || sessionStorage.getItem("saywhen-warnings-hidden") === text) {{ if (old) old.remove(); return; }}
    var box = panel("saywhen-warnings", "status",
      "bottom:0;max-height:40vh;z-index:2147483646;background:#fff4d6;color:#3a2a00;border-top:3px solid #a86b00;padding:.75rem 1.25rem;box-shadow:0 -4px 16px rgba(0,0,0,.25)");
    if (!box.querySelector("button")) {{
      var hide = document.createElement("button");
      hide.type = "button";
      hide.textContent = "Hide";
      hide.style.cssText = "margin-left:1rem;font:inherit;color:#3a2a00;background:#fff;border:1px solid #a86b00;border-radius:4px;padding:0 .5rem;cursor:pointer";
      hide.addEventListener("click", function () {{
        sessionStorage.setItem("saywhen-warnings-hidden", box.querySelector("pre").textContent);
        box.remove();
      }});
      box.insertBefore(hide, box.querySelector("pre"));
    }}
    var count = text.split(/\n(?=warning)/).length;
    box.querySelector("strong").textContent = "saywhen: the site is built, with " + count + (count === 1 ? " warning" : " warnings") +
      " that `saywhen check --deny-warnings` (as CI may run it) fails on.";
    box.querySelector("pre").textContent = text;
  }}
  var events = new EventSource(mount + "{EVENTS}");
  events.addEventListener("open", function () {{ window.saywhenLive = true; }});
  events.addEventListener("status", function (e) {{
    var status = JSON.parse(e.data);
    // A good version exists now: load it in place of the problems.
    if (unbuilt && status.built) {{ location.reload(); return; }}
    overlay(status.problems);
    warnings(status.problems ? "" : status.warnings);
  }});
  events.addEventListener("reload", function (e) {{
    var changed = JSON.parse(e.data).changed, page = here();
    if (changed.some(function (p) {{ return p === page || /\.(css|js)$/.test(p) && p.indexOf("search/") !== 0; }})) {{
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
    }}
  }});
}})();
</script>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_shown_at_every_url_only_until_a_good_version_exists() {
        let hub = Hub::default();
        assert_eq!(hub.unbuilt_problems(), None, "nothing to show yet");
        hub.failed("error: link to unknown entry".into());
        assert_eq!(
            hub.unbuilt_problems().as_deref(),
            Some("error: link to unknown entry")
        );
        assert_eq!(hub.status_json()["built"], false);
        hub.rebuilt(&[], Some(String::new()));
        assert_eq!(hub.unbuilt_problems(), None);
        // Later problems are shown over the last good pages instead.
        hub.failed("error: again".into());
        assert_eq!(hub.unbuilt_problems(), None);
        assert_eq!(hub.status_json()["built"], true);

        let published = Hub::default();
        published.published(String::new());
        published.failed("error: after a good start".into());
        assert_eq!(published.unbuilt_problems(), None);
    }

    #[test]
    fn a_good_build_keeps_its_warnings_and_a_failed_one_shows_only_its_problems() {
        let hub = Hub::default();
        hub.published("warning: orphan entry".into());
        assert_eq!(hub.status_json()["warnings"], "warning: orphan entry");
        // The saved pages go first, before the rebuild's warnings are known.
        hub.rebuilt(&["a.html".into()], None);
        assert_eq!(hub.status_json()["warnings"], "warning: orphan entry");
        hub.rebuilt(&[], Some(String::new()));
        assert_eq!(hub.status_json()["warnings"], "");
        hub.rebuilt(&[], Some("warning: tag".into()));
        hub.failed("error: link\nwarning: tag".into());
        let status = hub.status_json();
        assert_eq!(status["ok"], false);
        assert_eq!(status["problems"], "error: link\nwarning: tag");
        assert_eq!(status["warnings"], "", "the overlay carries them");
    }

    #[test]
    fn the_unbuilt_page_escapes_the_problems_and_carries_the_script() {
        let page = unbuilt_page("/kb/", "error: bad <script>\n --> a.md:3:1");
        assert!(
            page.contains("error: bad &lt;script&gt;\n --&gt; a.md:3:1"),
            "{page}"
        );
        assert!(page.contains(r#"id="saywhen-unbuilt""#));
        assert!(page.contains("var mount = \"/kb/\";"));
        assert!(page.contains(EVENTS));
    }
}
