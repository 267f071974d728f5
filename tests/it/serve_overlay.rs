//! What `serve` shows an author in the browser: errors over the page,
//! first and readable in light and dark, and a good build's warnings (which
//! `check --deny-warnings` fails on) in a panel of their own.

use crate::needs::{require_axe, require_chromium};
use crate::reader::{eval_async, set_media};
use crate::serve::Running;
use crate::support::*;

/// Serious or critical axe-core violations inside `selector`, in the
/// current colour scheme, after checking the audit ran colour contrast.
fn violations(page: &crate::browser::Page, selector: &str) -> Vec<String> {
    let v = eval_async(
        page,
        &format!(
            "axe.run({{ include: [{sel}] }}, {{ resultTypes: ['violations'] }}).then(r => ({{
               contrast: r.passes.concat(r.violations, r.incomplete).some(x => x.id === 'color-contrast'),
               violations: r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ') + ' ' + (n.failureSummary || '')).join('; ')) }}))",
            sel = serde_json::to_string(selector).unwrap()
        ),
    );
    assert_eq!(
        v["contrast"], true,
        "{selector}: colour contrast not checked"
    );
    v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn errors_come_first_readable_in_light_and_dark_and_warnings_show_too() {
    let Some(_) = require_chromium() else {
        return;
    };
    let Some(axe) = require_axe() else {
        return;
    };
    let kb = Kb::small();
    // Nothing links here: an orphan, a warning `--deny-warnings` fails on.
    kb.write(
        "content/techniques/zz-lonely.md",
        &entry("title = \"A lonely card\"", "Nobody links here.\n"),
    );
    let technique = "content/techniques/active-listening.md";
    let serve = Running::start(&kb, &["serve", "--port", "0"]);
    let page =
        crate::browser::Page::open(&format!("{}techniques/active-listening.html", serve.url()));
    page.wait_for("window.saywhenLive === true && !!document.getElementById('saywhen-warnings')");
    let panel = page.eval("document.getElementById('saywhen-warnings').textContent");
    let panel = panel.as_str().unwrap();
    assert!(
        panel.contains("with 1 warning that `saywhen check --deny-warnings`")
            && panel.contains("orphan entry: nothing links to `techniques/zz-lonely`"),
        "{panel}"
    );
    page.tab.evaluate(&axe, false).expect("inject axe-core");
    for scheme in ["light", "dark"] {
        set_media(&page.tab, "", scheme);
        let found = violations(&page, "#saywhen-warnings");
        assert!(found.is_empty(), "warnings panel ({scheme}): {found:?}");
    }

    // An error after the warning in file order (zz-lonely sorts last, the
    // broken link is in active-listening): the overlay lists it first.
    kb.write(
        "content/techniques/zz-lonely.md",
        &entry(
            "title = \"A lonely card\"",
            "Nobody links here. [[no-such-entry]]\n",
        ),
    );
    page.wait_for("!!document.getElementById('saywhen-overlay')");
    let text = page.eval("document.querySelector('#saywhen-overlay pre').textContent");
    let text = text.as_str().unwrap();
    assert!(
        text.starts_with("error: link to unknown entry `no-such-entry`"),
        "the error is not first:\n{text}"
    );
    assert!(
        text.contains("warning: orphan entry"),
        "the warnings follow the error:\n{text}"
    );
    assert_eq!(
        page.eval("!!document.getElementById('saywhen-warnings')"),
        false,
        "the overlay carries the warnings while the change fails"
    );
    page.tab.evaluate(&axe, false).expect("inject axe-core");
    for scheme in ["light", "dark"] {
        set_media(&page.tab, "", scheme);
        let found = violations(&page, "#saywhen-overlay");
        assert!(found.is_empty(), "error overlay ({scheme}): {found:?}");
    }

    // Fixed, and linked from the technique: no overlay, no warnings.
    kb.write(
        "content/techniques/zz-lonely.md",
        &entry("title = \"A lonely card\"", "Nobody links here.\n"),
    );
    kb.write(
        technique,
        &entry(
            "title = \"Active listening\"",
            "Listen. See [[escalated-call]] and [[zz-lonely]].\n",
        ),
    );
    page.wait_for(
        "!document.getElementById('saywhen-overlay') && !document.getElementById('saywhen-warnings') && document.body.textContent.includes('A lonely card')",
    );
}

#[test]
fn the_warnings_panel_can_be_hidden_until_the_warnings_change() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = Kb::small();
    kb.write(
        "content/techniques/zz-lonely.md",
        &entry("title = \"A lonely card\"", "Nobody links here.\n"),
    );
    let serve = Running::start(&kb, &["serve", "--port", "0"]);
    let url = format!("{}techniques/active-listening.html", serve.url());
    let page = crate::browser::Page::open(&url);
    page.wait_for("!!document.getElementById('saywhen-warnings')");
    // A second orphan while the panel is open: its count follows in place.
    kb.write(
        "content/techniques/zz-lonelier.md",
        &entry("title = \"A lonelier card\"", "Nobody links here either.\n"),
    );
    page.wait_for(
        "document.getElementById('saywhen-warnings').textContent.includes('with 2 warnings')",
    );
    page.run("document.querySelector('#saywhen-warnings button').click()");
    page.wait_for("!document.getElementById('saywhen-warnings')");
    // Still hidden after a reload: the same warnings.
    page.goto(&url);
    page.wait_for("window.saywhenLive === true");
    assert_eq!(
        page.eval("!!document.getElementById('saywhen-warnings')"),
        false
    );
    // A third orphan: the warnings changed, so the panel is back.
    kb.write(
        "content/techniques/zz-loneliest.md",
        &entry("title = \"The loneliest card\"", "Nobody at all.\n"),
    );
    page.wait_for("!!document.getElementById('saywhen-warnings') && document.getElementById('saywhen-warnings').textContent.includes('with 3 warnings')");
}
