//! Live reload and the error overlay, over server-sent events.
//!
//! Every page `serve` writes gets a few lines of script (never in `build`
//! output) that open `__saywhen/events` under the site's path. After a good
//! rebuild the server sends the list of changed files; a tab whose page (or
//! the stylesheet or script) changed reloads and keeps its scroll position.
//! When a change has errors the server sends them and every tab shows them
//! over the last good page until a fix clears them.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};

/// The path, under the site's mount, of the event stream.
pub const EVENTS: &str = "__saywhen/events";
/// The current state as JSON, for tests and scripts.
pub const STATUS: &str = "__saywhen/status";

#[derive(Default)]
pub struct Hub {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    clients: Vec<Sender<String>>,
    /// Problems of the last rebuild, rendered as text; empty when clean.
    problems: String,
    /// Counts good rebuilds, so tests can wait for the next one.
    version: u64,
}

fn event(name: &str, data: &serde_json::Value) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

impl Hub {
    pub fn status_json(&self) -> serde_json::Value {
        let state = self.state.lock().expect("hub lock");
        serde_json::json!({ "ok": state.problems.is_empty(), "problems": state.problems, "version": state.version })
    }

    /// A new listener, and the event that tells it the current state.
    pub fn subscribe(&self) -> (Receiver<String>, String) {
        let (tx, rx) = channel();
        let status = event("status", &self.status_json());
        self.state.lock().expect("hub lock").clients.push(tx);
        (rx, status)
    }

    fn broadcast(&self, state: &mut State, message: String) {
        state.clients.retain(|c| c.send(message.clone()).is_ok());
    }

    /// After a good rebuild: clear problems and tell tabs what changed.
    pub fn rebuilt(&self, changed: &[String]) {
        let mut state = self.state.lock().expect("hub lock");
        state.problems.clear();
        state.version += 1;
        let status = event(
            "status",
            &serde_json::json!({ "ok": true, "problems": "", "version": state.version }),
        );
        self.broadcast(&mut state, status);
        let reload = event("reload", &serde_json::json!({ "changed": changed }));
        self.broadcast(&mut state, reload);
    }

    /// After a failed rebuild: show the problems over the last good pages.
    pub fn failed(&self, problems: String) {
        let mut state = self.state.lock().expect("hub lock");
        state.problems = problems;
        let status = event(
            "status",
            &serde_json::json!({ "ok": false, "problems": state.problems, "version": state.version }),
        );
        self.broadcast(&mut state, status);
    }
}

/// The script added before `</body>` of every served page. `mount` is the
/// path the site is served at (`/kb/`).
pub fn script(mount: &str) -> String {
    let mount_js = serde_json::to_string(mount)
        .expect("string serialises")
        .replace('<', "\\u003c");
    format!(
        r#"<script>
(function () {{
  "use strict";
  var mount = {mount_js};
  var key = "saywhen-scroll:" + location.pathname;
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
  function overlay(text) {{
    var box = document.getElementById("saywhen-overlay");
    if (!text) {{ if (box) box.remove(); return; }}
    if (!box) {{
      box = document.createElement("div");
      box.id = "saywhen-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;top:0;max-height:70vh;overflow:auto;z-index:2147483647;" +
        "background:#3b0d0d;color:#fff;padding:1rem 1.25rem;box-shadow:0 4px 16px rgba(0,0,0,.4);font:14px/1.45 ui-monospace,monospace";
      var title = document.createElement("strong");
      title.textContent = "saywhen: the last change has problems. This is the last good version; fix the file and save.";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:.75rem 0 0";
      box.appendChild(title);
      box.appendChild(pre);
      document.body.appendChild(box);
    }}
    box.querySelector("pre").textContent = text;
  }}
  var events = new EventSource(mount + "{EVENTS}");
  events.addEventListener("open", function () {{ window.saywhenLive = true; }});
  events.addEventListener("status", function (e) {{ overlay(JSON.parse(e.data).problems); }});
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
