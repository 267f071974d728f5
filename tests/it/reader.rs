//! The agent's reading experience, in a real browser: the answer in the
//! first screenful on a phone and a desktop, copy buttons, keyboard-only
//! use, print, the playbook step outline and step links, and an axe-core
//! accessibility audit in light and dark.

use crate::browser::*;
use crate::support::{Kb, entry};
use headless_chrome::Tab;
use headless_chrome::protocol::cdp::{Browser as Cdp, Emulation};
use headless_chrome::types::PrintToPdfOptions;
use saywhen::serve::http::Server;
use serde_json::Value;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

const FAQ: &str = "faq/customer-threatens-to-sue.html";
const PLAYBOOK: &str = "playbooks/taking-over-an-escalated-call.html";
const TECHNIQUE: &str = "techniques/active-listening.html";
const SEARCH: &str = "search/index.html?q=threatens+to+sue";

/// A phone and a desktop window.
const PHONE: (u32, u32) = (360, 640);
const DESKTOP: (u32, u32) = (1280, 800);

/// Where the bundled site is published: the path of its `base_url`.
const MOUNT: &str = "/kb/";

/// The bundled site served at its base path, as it is published: the 404
/// page, answered at any depth, links from there, not from `/`.
fn kb_server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        Server::start(
            bundled_site().to_path_buf(),
            MOUNT.into(),
            "127.0.0.1:0".parse().unwrap(),
        )
        .expect("start server")
    })
}

fn url(page: &str) -> String {
    format!("{}{page}", kb_server().url(MOUNT))
}

/// Sets the tab's viewport: `mobile` for widths under 600 px, as a phone.
fn set_viewport(tab: &Tab, (width, height): (u32, u32)) {
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width,
        height,
        device_scale_factor: 1.0,
        mobile: width < 600,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .expect("set the viewport");
}

/// Emulates a media type (`print`, or `""` for screen) and colour scheme.
pub(crate) fn set_media(tab: &Tab, media: &str, scheme: &str) {
    tab.call_method(Emulation::SetEmulatedMedia {
        media: Some(media.into()),
        features: Some(vec![Emulation::MediaFeature {
            name: "prefers-color-scheme".into(),
            value: scheme.into(),
        }]),
    })
    .expect("emulate media");
}

/// A new tab with the given viewport, then `url` loaded in it.
fn open_at(url: &str, size: (u32, u32)) -> Page {
    let tab = browser().new_tab().expect("new tab");
    tab.set_default_timeout(Duration::from_secs(20));
    set_viewport(&tab, size);
    // Tests run side by side in one browser and only one tab can be in
    // front: every tab behaves as focused, so focus rings and the keyboard
    // do not depend on which test activated its tab last.
    tab.call_method(Emulation::SetFocusEmulationEnabled { enabled: true })
        .expect("emulate focus");
    let page = Page { tab };
    page.goto(url);
    page
}

/// Evaluates a promise-returning JS expression; its value comes back
/// through JSON.
#[track_caller]
pub(crate) fn eval_async(page: &Page, js: &str) -> Value {
    let wrapped = format!("Promise.resolve({js}).then(v => JSON.stringify(v))");
    let result = page
        .tab
        .evaluate(&wrapped, true)
        .unwrap_or_else(|e| panic!("evaluate {js}: {e}"));
    match result.value {
        Some(Value::String(s)) => serde_json::from_str(&s).unwrap_or(Value::Null),
        other => panic!(
            "evaluate {js}: no value ({other:?}, {:?})",
            result.description
        ),
    }
}

/// The say-phrases of the first ```say block of a bundled FAQ, read from its
/// Markdown source: each paragraph one phrase, its lines joined.
fn say_phrases(slug: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("content/faq/{slug}.md"));
    let text = std::fs::read_to_string(&path).unwrap();
    let block = text
        .split("```say\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("a say block");
    block
        .split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Every FAQ page of the bundled site, as site-relative paths.
fn faq_pages() -> Vec<String> {
    let mut pages: Vec<String> = std::fs::read_dir(bundled_site().join("faq"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            (name.ends_with(".html") && name != "index.html").then(|| format!("faq/{name}"))
        })
        .collect();
    pages.sort();
    assert!(pages.len() >= 20, "bundled FAQ pages: {pages:?}");
    pages
}

#[test]
fn say_phrases_are_in_the_first_screenful_on_a_phone_and_a_desktop() {
    let Some(_) = require_chromium() else {
        return;
    };
    let mut failures = Vec::new();
    // How many pages had a second card to check.
    let mut seconds = 0;
    for size in [PHONE, DESKTOP] {
        let page = open_at(&url("index.html"), size);
        for faq in faq_pages() {
            page.goto(&url(&faq));
            // The whole first say card (label, phrase and copy button) is on
            // screen, and so is the start of the second, where there is one.
            let v = page.eval(
                "(() => { const c = document.querySelectorAll('.phrase-say');
                   const a = c[0].getBoundingClientRect(), b = c[1] ? c[1].getBoundingClientRect() : null;
                   return { top: a.top, bottom: a.bottom, left: a.left, right: a.right,
                            next: b ? b.top : null, h: innerHeight, w: innerWidth, y: scrollY }; })()",
            );
            let f = |k: &str| v[k].as_f64().unwrap();
            if f("y") != 0.0
                || f("top") < 0.0
                || f("bottom") > f("h")
                || f("left") < 0.0
                || f("right") > f("w")
            {
                failures.push(format!("{faq} at {size:?}: first say card at {v}"));
            }
            if v["next"].as_f64().is_some_and(|next| next >= f("h")) {
                failures.push(format!(
                    "{faq} at {size:?}: second say card starts below the screen at {v}"
                ));
            }
            seconds += usize::from(!v["next"].is_null());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(seconds > 0, "no bundled FAQ has a second say card to check");
}

#[test]
fn avoid_phrases_differ_from_say_phrases_by_more_than_colour() {
    let Some(_) = require_chromium() else {
        return;
    };
    let page = open_at(&url(FAQ), DESKTOP);
    let v = page.eval(
        "(() => { const f = sel => { const e = document.querySelector(sel), s = getComputedStyle(e);
                   return { label: e.querySelector('figcaption').textContent.trim(), border: s.borderTopStyle,
                            strike: getComputedStyle(e.querySelector('.phrase-text')).textDecorationLine }; };
                 return { say: f('.phrase-say'), avoid: f('.phrase-avoid') }; })()",
    );
    assert_eq!(v["say"]["label"], "✓ Say", "{v}");
    assert_eq!(v["avoid"]["label"], "✗ Avoid", "{v}");
    assert_eq!(v["say"]["border"], "solid", "{v}");
    assert_eq!(v["avoid"]["border"], "dashed", "{v}");
    assert_eq!(v["say"]["strike"], "none", "{v}");
    assert_eq!(v["avoid"]["strike"], "line-through", "{v}");
}

/// Both copy paths in one test: the clipboard is shared by every tab.
#[test]
fn copy_buttons_copy_exactly_the_phrase_with_a_visible_confirmation() {
    let Some(_) = require_chromium() else {
        return;
    };
    let phrases = say_phrases("customer-threatens-to-sue");
    let page = open_at(&url(FAQ), DESKTOP);
    let origin = kb_server().url("");
    page.tab
        .call_method(Cdp::GrantPermissions {
            permissions: vec![
                Cdp::PermissionType::ClipboardReadWrite,
                Cdp::PermissionType::ClipboardSanitizedWrite,
            ],
            origin: Some(origin),
            browser_context_id: None,
        })
        .expect("grant clipboard permissions");
    page.tab.activate().expect("focus the tab");
    assert_eq!(
        page.eval("window.isSecureContext && !!navigator.clipboard"),
        true
    );

    // The async clipboard API, as on https:// and localhost.
    page.tab
        .find_element(".phrase-say .copy")
        .unwrap()
        .click()
        .unwrap();
    page.wait_for("document.querySelector('.phrase-say .copy').textContent.includes('Copied')");
    assert_eq!(
        eval_async(&page, "navigator.clipboard.readText()"),
        phrases[0].as_str()
    );
    // The confirmation is visible and announced.
    let v = page.eval(
        "(() => { const b = document.querySelector('.phrase-say .copy'), r = b.getBoundingClientRect();
                  return { text: b.textContent, w: r.width, h: r.height, display: getComputedStyle(b).display,
                           status: document.getElementById('saywhen-announce') &&
                                   document.getElementById('saywhen-announce').getAttribute('role') }; })()",
    );
    assert_eq!(v["text"], "✓ Copied", "{v}");
    assert!(
        v["w"].as_f64().unwrap() > 40.0 && v["h"].as_f64().unwrap() >= 24.0,
        "{v}"
    );
    assert_eq!(v["status"], "status", "{v}");
    page.wait_for(
        "(document.getElementById('saywhen-announce').textContent || '').startsWith('Copied')",
    );

    // The fallback, as on plain http:// intranets where there is no async
    // clipboard: the selected text of a hidden textarea is copied.
    page.run(
        "Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
         window.copied = null;
         document.addEventListener('copy', e => {
           const t = e.target;
           window.copied = t && typeof t.value === 'string' ? t.value.substring(t.selectionStart, t.selectionEnd) : String(getSelection());
         })",
    );
    page.tab
        .find_element(".phrase-say:nth-of-type(2) .copy")
        .unwrap()
        .click()
        .unwrap();
    page.wait_for(
        "document.querySelector('.phrase-say:nth-of-type(2) .copy').textContent.includes('Copied')",
    );
    assert_eq!(page.eval("window.copied"), phrases[1].as_str());
    // It really reached the clipboard (read with the original API, kept on
    // the prototype).
    assert_eq!(
        eval_async(
            &page,
            "Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard').get.call(navigator).readText()"
        ),
        phrases[1].as_str()
    );
    // The first button has gone back to "Copy".
    page.wait_for("document.querySelector('.phrase-say .copy').textContent === 'Copy'");
}

#[test]
fn keyboard_alone_goes_from_home_to_an_entry_and_back() {
    let Some(_) = require_chromium() else {
        return;
    };
    let page = open_at(&url("index.html"), DESKTOP);
    // The first Tab reaches the skip link, shown on screen; Enter moves to
    // the main content.
    page.press("Tab");
    let skip = page.eval(
        "(() => { const a = document.activeElement, r = a.getBoundingClientRect();
                  return { cls: a.className, top: r.top, h: r.height }; })()",
    );
    assert_eq!(skip["cls"], "skip-link", "{skip}");
    assert!(
        skip["top"].as_f64().unwrap() >= 0.0 && skip["h"].as_f64().unwrap() > 10.0,
        "{skip}"
    );
    page.press("Enter");
    page.wait_for("document.activeElement.id === 'main'");

    // Tab on to the FAQ link; every stop on the way shows a focus ring.
    let target = format!("a[href='{FAQ}']");
    let mut stops = 0;
    while page.eval(&format!("document.activeElement.matches({target:?})")) != true {
        page.press("Tab");
        stops += 1;
        assert!(stops < 60, "no Tab stop reached {target}");
        assert_focus_ring(&page);
    }
    page.press("Enter");
    page.wait_for(&format!("location.pathname.endsWith('/{FAQ}')"));

    // On the entry: Tab to the breadcrumb's Home link and follow it.
    let mut stops = 0;
    while page.eval("!!document.activeElement.closest('.breadcrumbs') && document.activeElement.textContent === 'Home'") != true {
        page.press("Tab");
        stops += 1;
        assert!(stops < 30, "no Tab stop reached the breadcrumb");
        assert_focus_ring(&page);
    }
    page.press("Enter");
    page.wait_for("location.pathname.endsWith('/index.html') && !!document.querySelector('.hero')");

    // History back returns to the entry.
    page.run("history.back()");
    page.wait_for(&format!(
        "location.pathname.endsWith('/{FAQ}') && document.readyState === 'complete'"
    ));
    assert!(
        page.eval("document.querySelector('h1').textContent")
            .as_str()
            .unwrap()
            .contains("threatens to sue")
    );
}

#[test]
fn slash_focuses_the_search_box_unless_the_reader_is_typing() {
    let Some(_) = require_chromium() else {
        return;
    };
    // Each page's own search box when it has one, else the header's.
    let cases = [
        ("index.html", "home-search"),
        (FAQ, "site-search"),
        (PLAYBOOK, "site-search"),
        ("situations/index.html", "site-search"),
        ("search/index.html", "search-page-input"),
        ("no/such/page.html", "notfound-search"),
    ];
    let page = open_at(&url("index.html"), DESKTOP);
    for (p, id) in cases {
        page.goto(&url(p));
        page.wait_for("document.readyState === 'complete'");
        // (The search page puts the cursor in its box on load.)
        page.run("document.activeElement.blur()");
        assert_eq!(
            page.eval("document.activeElement === document.body"),
            true,
            "{p}"
        );
        page.press("/");
        assert_eq!(page.eval("document.activeElement.id"), id, "{p}");
        // A "/" typed in the box is text, not a shortcut.
        page.tab.type_str("a/b").unwrap();
        assert_eq!(
            page.eval("document.activeElement.value"),
            "a/b",
            "{p}: the box gets the slash"
        );
        assert_eq!(page.eval("document.activeElement.id"), id, "{p}");
    }
}

#[test]
fn light_and_dark_follow_the_system_setting() {
    let Some(_) = require_chromium() else {
        return;
    };
    let page = open_at(&url(FAQ), DESKTOP);
    let colours = |scheme: &str| {
        set_media(&page.tab, "", scheme);
        page.eval(
            "(() => { const c = e => getComputedStyle(document.querySelector(e));
                      return { bg: c('body').backgroundColor, fg: c('body').color,
                               say: c('.phrase-say').backgroundColor, scheme: c(':root').colorScheme }; })()",
        )
    };
    let light = colours("light");
    let dark = colours("dark");
    assert_eq!(light["bg"], "rgb(255, 255, 255)", "{light}");
    assert_eq!(dark["bg"], "rgb(15, 20, 25)", "{dark}");
    for key in ["fg", "say"] {
        assert_ne!(light[key], dark[key], "{key}: {light} {dark}");
    }
    // Form controls and scrollbars follow too.
    assert_eq!(light["scheme"], "light dark", "{light}");
}

/// The focused element shows a focus ring at least 2 px wide.
#[track_caller]
fn assert_focus_ring(page: &Page) {
    let v = page.eval(
        "(() => { const e = document.activeElement, s = getComputedStyle(e);
                  return { tag: e.tagName, text: (e.textContent || '').trim().slice(0, 40),
                           visible: e.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth) }; })()",
    );
    if v["tag"] == "MAIN" {
        return; // the skip link's target, not a Tab stop of its own
    }
    assert!(
        v["visible"] == true && v["style"] != "none" && v["width"].as_f64().unwrap() >= 2.0,
        "no visible focus ring on {v}"
    );
}

#[test]
fn a_phone_never_scrolls_sideways() {
    let Some(_) = require_chromium() else {
        return;
    };
    let pages = [
        "index.html",
        FAQ,
        PLAYBOOK,
        TECHNIQUE,
        "situations/index.html",
        SEARCH,
        "faq/index.html",
        "tags/index.html",
        "tags/angry.html",
        "404.html",
    ];
    let page = open_at(&url("index.html"), PHONE);
    let mut failures = Vec::new();
    for p in pages {
        page.goto(&url(p));
        if p == SEARCH {
            page.wait_for("document.querySelectorAll('#search-results > li').length > 0");
        }
        let v = page.eval(
            "({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
                inner: innerWidth })",
        );
        if v["scroll"] != v["client"] || v["client"] != 360 {
            failures.push(format!("{p}: {v}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_a_z_index_is_one_visible_click_away_from_every_page() {
    let Some(_) = require_chromium() else {
        return;
    };
    let pages = [
        "index.html",
        FAQ,
        PLAYBOOK,
        TECHNIQUE,
        "situations/index.html",
        SEARCH,
        "playbooks/index.html",
        "tags/index.html",
        "tags/angry.html",
        "no/such/page.html", // the server answers with 404.html
    ];
    let az = url("situations/index.html");
    for size in [PHONE, DESKTOP] {
        let page = open_at(&url("index.html"), size);
        for p in pages {
            page.goto(&url(p));
            let visible = page.eval(&format!(
                "Array.from(document.querySelectorAll('a')).some(a => {{
                   const r = a.getBoundingClientRect();
                   return a.href === {az:?} && r.width > 0 && r.top >= 0 && r.bottom <= innerHeight
                          && r.left >= 0 && r.right <= innerWidth; }})"
            ));
            assert_eq!(visible, true, "{p} at {size:?}: no A–Z link on screen");
        }
        // From the 404 page, one click lands on the index.
        page.tab
            .find_element(".site-nav a[href$='situations/index.html']")
            .unwrap()
            .click()
            .unwrap();
        page.wait_for("location.pathname.endsWith('/situations/index.html') && !!document.querySelector('.az-list')");
    }
}

#[test]
fn entries_show_breadcrumbs_referenced_by_and_related() {
    let Some(_) = require_chromium() else {
        return;
    };
    let page = open_at(&url(FAQ), DESKTOP);
    let faq_crumbs = serde_json::json!([
        ["Home", "../index.html"],
        ["What should I say when…", "../faq/index.html"],
        [
            "What should I say when the customer threatens to sue?",
            "page"
        ],
    ]);
    let technique_crumbs = serde_json::json!([
        ["Home", "../index.html"],
        ["Technique cards", "../techniques/index.html"],
        ["Active listening", "page"],
    ]);
    for (p, size, crumbs) in [
        (FAQ, DESKTOP, &faq_crumbs),
        (TECHNIQUE, DESKTOP, &technique_crumbs),
        (FAQ, PHONE, &faq_crumbs),
    ] {
        set_viewport(&page.tab, size);
        page.goto(&url(p));
        // Each crumb: its text, and its link or, for the page itself,
        // its aria-current.
        let v = page.eval(
            "(() => { const shown = sel => { const e = document.querySelector(sel);
                        return !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility === 'visible'; };
                      return { crumbs: Array.from(document.querySelectorAll('.breadcrumbs li')).map(li => {
                                 const a = li.querySelector('a');
                                 return [li.textContent.trim(), a ? a.getAttribute('href') : li.getAttribute('aria-current')]; }),
                               shown: shown('.breadcrumbs'),
                               backlinks: shown('.backlinks li a'), related: shown('.related li a'),
                               headings: Array.from(document.querySelectorAll('.connections h2')).map(h => h.textContent) }; })()",
        );
        assert_eq!(&v["crumbs"], crumbs, "{p}: {v}");
        assert_eq!(v["shown"], true, "{p}: {v}");
        assert_eq!(v["backlinks"], true, "{p}: {v}");
        assert_eq!(v["related"], true, "{p}: {v}");
        // Other connections (such as "Used in") may come first.
        let headings: Vec<&str> = v["headings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|h| h.as_str())
            .filter(|h| ["Referenced by", "Related"].contains(h))
            .collect();
        assert_eq!(headings, ["Referenced by", "Related"], "{p}: {v}");
    }
    // On a desktop an FAQ's connections sit beside the answer, on screen.
    set_viewport(&page.tab, DESKTOP);
    page.goto(&url(FAQ));
    let v = page.eval(
        "(() => { const a = document.querySelector('.connections').getBoundingClientRect(),
                        b = document.querySelector('.entry-body').getBoundingClientRect();
                  return { beside: a.left >= b.right, top: a.top, h: innerHeight }; })()",
    );
    assert_eq!(v["beside"], true, "{v}");
    assert!(v["top"].as_f64().unwrap() < v["h"].as_f64().unwrap(), "{v}");
}

#[test]
fn home_lists_recently_reviewed_entries() {
    let Some(_) = require_chromium() else {
        return;
    };
    let page = open_at(&url("index.html"), DESKTOP);
    let v = page.eval(
        "(() => { const h = Array.from(document.querySelectorAll('h2')).find(h => h.textContent === 'Recently reviewed');
                  const list = h && h.nextElementSibling;
                  return list ? Array.from(list.querySelectorAll('time')).map(t => t.getAttribute('datetime')) : null; })()",
    );
    let dates: Vec<&str> = v
        .as_array()
        .expect("a Recently reviewed list")
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(dates.len() >= 3, "{dates:?}");
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
}

#[test]
fn playbook_steps_stay_reachable_link_and_chain() {
    let Some(_) = require_chromium() else {
        return;
    };
    // On a desktop the step outline stays on screen while the steps scroll.
    let page = open_at(&url(&format!("{PLAYBOOK}#step-6")), DESKTOP);
    let v = page.eval(
        "(() => { const o = document.querySelector('.step-outline').getBoundingClientRect(),
                        s = document.getElementById('step-6').getBoundingClientRect();
                  return { scrolled: scrollY, outlineTop: o.top, outlineBottom: o.bottom, stepTop: s.top, h: innerHeight }; })()",
    );
    let f = |k: &str| v[k].as_f64().unwrap();
    assert!(f("scrolled") > 300.0, "#step-6 scrolls the page: {v}");
    assert!(
        f("outlineTop") >= 0.0 && f("outlineBottom") <= f("h"),
        "outline on screen: {v}"
    );
    assert!(
        f("stepTop") >= 0.0 && f("stepTop") < 100.0,
        "#step-6 at the top: {v}"
    );
    // The step being read is marked in the outline.
    page.wait_for(
        "(document.querySelector('.step-outline [aria-current]') || {}).hash === '#step-6'",
    );

    // Each step ends with links to the previous and next steps and back to
    // the outline; they work with the keyboard.
    let steps = page.eval("document.querySelectorAll('.step-outline li').length");
    let n = steps.as_u64().unwrap();
    assert!(n >= 5, "{steps}");
    let navs = page.eval(
        "Array.from(document.querySelectorAll('.step-section')).map(s => ({
           id: s.querySelector('h2').id,
           prev: (s.querySelector('.step-nav a[rel=prev]') || {}).hash || null,
           next: (s.querySelector('.step-nav a[rel=next]') || {}).hash || null,
           all: (s.querySelector('.step-nav .step-all') || {}).hash || null }))",
    );
    let navs = navs.as_array().unwrap();
    assert_eq!(navs.len() as u64, n);
    for (k, nav) in navs.iter().enumerate() {
        let step = k + 1;
        assert_eq!(nav["id"], format!("step-{step}"));
        let prev = (step > 1).then(|| format!("#step-{}", step - 1));
        let next = (step < n as usize).then(|| format!("#step-{}", step + 1));
        assert_eq!(nav["prev"], serde_json::json!(prev), "{nav}");
        assert_eq!(nav["next"], serde_json::json!(next), "{nav}");
        assert_eq!(nav["all"], "#playbook-steps", "{nav}");
    }
    page.run("document.querySelector('#step-6').closest('.step-section').querySelector('a[rel=next]').focus()");
    page.press("Enter");
    page.wait_for("location.hash === '#step-7'");

    // On a phone the outline is a jump list at the top, and "All steps"
    // brings it back.
    // (A new tab: in this one the same page with another fragment would
    // only scroll, with no load to wait for.)
    drop(page);
    let page = open_at(&url(&format!("{PLAYBOOK}#step-3")), PHONE);
    page.run("document.getElementById('step-3').closest('.step-section').querySelector('.step-all').click()");
    page.wait_for("location.hash === '#playbook-steps'");
    let v = page.eval(
        "(() => { const o = document.querySelector('.step-outline').getBoundingClientRect();
                  return { top: o.top, position: getComputedStyle(document.querySelector('.step-outline')).position }; })()",
    );
    assert!(v["top"].as_f64().unwrap().abs() < 2.0, "{v}");
    assert_eq!(v["position"], "static", "{v}");
}

#[test]
fn step_links_follow_custom_step_ids() {
    let kb = Kb::small();
    kb.write(
        "content/playbooks/escalated-call.md",
        &entry(
            "title = \"Taking over an escalated call\"\ntags = [\"escalated\"]",
            "Intro linking [[customer-threatens-to-sue]] and [[active-listening]].\n\n## Prepare {#prep}\n\nRead the notes.\n\n### Detail\n\nMore.\n\n## Open the call\n\nSay your name.\n\n## Close\n\nBye.\n",
        ),
    );
    // The first step now has its own id, so `#step-1` is gone: the FAQ
    // that linked there (and `check` would say so) links to `#prep`.
    let faq = std::fs::read_to_string(kb.path().join("content/faq/customer-threatens-to-sue.md"))
        .unwrap();
    assert!(faq.contains("[[escalated-call#step-1]]"));
    kb.write(
        "content/faq/customer-threatens-to-sue.md",
        &faq.replace("[[escalated-call#step-1]]", "[[escalated-call#prep]]"),
    );
    kb.run(&["build"]).success();
    assert!(
        kb.read("faq/customer-threatens-to-sue.html")
            .contains("escalated-call.html#prep\"")
    );
    let html = kb.read("playbooks/escalated-call.html");
    let sections: Vec<&str> = html.split("<div class=\"step-section\">").skip(1).collect();
    assert_eq!(sections.len(), 3, "{html}");
    assert!(sections[0].contains("<h2 id=\"prep\""));
    assert!(
        sections[0].contains("<h3 id=\"detail\""),
        "sub-sections stay in their step"
    );
    assert!(!sections[0].contains("rel=\"prev\""));
    assert!(sections[0].contains("href=\"#step-2\" rel=\"next\""));
    assert!(sections[1].contains("href=\"#prep\" rel=\"prev\""));
    assert!(sections[1].contains("href=\"#step-3\" rel=\"next\""));
    assert!(sections[2].contains("href=\"#step-2\" rel=\"prev\""));
    assert!(!sections[2].contains("rel=\"next\""));
    // The introduction comes before the first step, once.
    let intro = html.find("Intro linking").unwrap();
    assert!(intro < html.find("<div class=\"step-section\">").unwrap());
    assert_eq!(html.matches("Intro linking").count(), 1);
    assert_eq!(html.matches("Read the notes.").count(), 1);
}

#[test]
fn print_shows_the_entry_alone_with_phrase_cards_whole() {
    let Some(_) = require_chromium() else {
        return;
    };
    let page = open_at(&url(PLAYBOOK), DESKTOP);
    set_media(&page.tab, "print", "light");
    let v = page.eval(
        "(() => { const d = sel => Array.from(document.querySelectorAll(sel)).map(e => e.getClientRects().length > 0);
                  return { header: d('.site-header'), nav: d('nav'), search: d('form'), footer: d('.site-footer'),
                           copy: d('.copy'), stepNav: d('.step-nav'), connections: d('.connections'),
                           phrase: Array.from(document.querySelectorAll('.phrase')).map(e => getComputedStyle(e).breakInside),
                           body: d('.entry-body'), h1: d('h1') }; })()",
    );
    for key in [
        "header",
        "nav",
        "search",
        "footer",
        "copy",
        "stepNav",
        "connections",
    ] {
        let shown = v[key].as_array().unwrap();
        assert!(!shown.is_empty(), "{key}: nothing to check: {v}");
        assert!(
            shown.iter().all(|rendered| rendered == false),
            "{key} printed: {}",
            v[key]
        );
    }
    let phrase = v["phrase"].as_array().unwrap();
    assert!(
        !phrase.is_empty() && phrase.iter().all(|b| b == "avoid"),
        "{v}"
    );
    assert_eq!(v["body"], serde_json::json!([true]), "{v}");
    assert_eq!(v["h1"], serde_json::json!([true]), "{v}");

    // An FAQ that fits prints on one page.
    page.goto(&url(FAQ));
    let pdf = page
        .tab
        .print_to_pdf(Some(PrintToPdfOptions {
            paper_width: Some(8.27),
            paper_height: Some(11.69),
            prefer_css_page_size: Some(true),
            ..Default::default()
        }))
        .expect("print to PDF");
    assert_eq!(pdf_pages(&pdf), 1, "{FAQ} prints on one A4 page");
}

fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(i, m)| !text[i + m.len()..].starts_with('s'))
        .count()
}

#[test]
fn print_shows_where_external_links_go() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = Kb::small();
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"\ntags = [\"listening\"]",
            "## How to do it\n\nListen, as the [guide](https://example.org/listening) says. Back to [the playbook](../playbooks/escalated-call.md#step-2).\n",
        ),
    );
    kb.run(&["build"]).success();
    let page = open_at(
        &format!(
            "file://{}/techniques/active-listening.html",
            kb.out().display()
        ),
        DESKTOP,
    );
    let after = |sel: &str| {
        page.eval(&format!(
            "getComputedStyle(document.querySelector({sel:?}), '::after').content"
        ))
    };
    let external = "a[href='https://example.org/listening']";
    let internal = "a[href='../playbooks/escalated-call.html#step-2']";
    assert_eq!(after(external), "none");
    set_media(&page.tab, "print", "light");
    assert_eq!(after(external), "\" (https://example.org/listening)\"");
    assert_eq!(after(internal), "none");
}

#[test]
fn type_is_readable_and_nothing_is_downloaded_but_one_css_and_one_js() {
    let Some(_) = require_chromium() else {
        return;
    };
    let page = open_at(&url(PLAYBOOK), DESKTOP);
    for p in [FAQ, PLAYBOOK, TECHNIQUE] {
        page.goto(&url(p));
        page.wait_for("document.readyState === 'complete'");
        let v = eval_async(
            &page,
            "document.fonts.ready.then(() => {
               const paras = Array.from(document.querySelectorAll('.entry-body p'));
               const p = paras.reduce((a, b) => b.textContent.length > a.textContent.length ? b : a);
               const ctx = document.createElement('canvas').getContext('2d');
               ctx.font = getComputedStyle(p).font;
               const perChar = ctx.measureText(p.textContent).width / p.textContent.length;
               return { body: parseFloat(getComputedStyle(document.body).fontSize),
                        phrase: parseFloat(getComputedStyle(document.querySelector('.phrase-text, .entry-body p')).fontSize),
                        perLine: p.clientWidth / perChar, lines: Math.round(p.clientHeight / parseFloat(getComputedStyle(p).lineHeight)),
                        fonts: document.fonts.size,
                        resources: performance.getEntriesByType('resource').map(r => r.name) }; })",
        );
        assert!(v["body"].as_f64().unwrap() >= 16.0, "{p}: {v}");
        assert!(v["phrase"].as_f64().unwrap() >= 16.0, "{p}: {v}");
        let per_line = v["perLine"].as_f64().unwrap();
        assert!(
            (45.0..=80.0).contains(&per_line) && v["lines"].as_f64().unwrap() >= 2.0,
            "{p}: {per_line:.0} characters per line: {v}"
        );
        assert_eq!(v["fonts"], 0, "{p}: web fonts loaded: {v}");
        let resources: Vec<&str> = v["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        assert_eq!(
            resources,
            [url("saywhen.css"), url("saywhen.js")],
            "{p} loads exactly the shared CSS and JS"
        );
    }
}

#[test]
fn entries_read_fine_without_javascript() {
    let Some(_) = require_chromium() else {
        return;
    };
    let tab = browser().new_tab().expect("new tab");
    tab.set_default_timeout(Duration::from_secs(20));
    tab.call_method(Emulation::SetScriptExecutionDisabled { value: true })
        .expect("disable JavaScript");
    set_viewport(&tab, PHONE);
    let page = Page { tab };
    page.goto(&url(FAQ));
    let v = page.eval(
        "({ js: document.documentElement.classList.contains('js'),
            phrases: Array.from(document.querySelectorAll('.phrase-text')).filter(e => e.getClientRects().length > 0).length,
            copy: Array.from(document.querySelectorAll('.copy')).filter(e => e.getClientRects().length > 0).length })",
    );
    // Evaluate runs even with page scripts disabled; the page's own script did not.
    assert_eq!(v["js"], false, "{v}");
    assert!(v["phrases"].as_u64().unwrap() >= 3, "{v}");
    assert_eq!(
        v["copy"], 0,
        "copy buttons that cannot work are hidden: {v}"
    );
    page.goto(&url(PLAYBOOK));
    assert_eq!(
        page.eval("document.querySelectorAll('.step-outline a').length"),
        page.eval("document.querySelectorAll('.step-section').length")
    );
}

#[test]
fn pages_have_landmarks_a_skip_link_and_headings_in_order() {
    let Some(_) = require_chromium() else {
        return;
    };
    let pages = [
        "index.html",
        FAQ,
        PLAYBOOK,
        TECHNIQUE,
        "situations/index.html",
        SEARCH,
        "faq/index.html",
        "tags/index.html",
        "404.html",
    ];
    let page = open_at(&url("index.html"), DESKTOP);
    for p in pages {
        page.goto(&url(p));
        let v = page.eval(
            "(() => { const levels = Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).map(h => +h.tagName[1]);
                      const first = document.querySelector('a[href], button, input, select');
                      return { levels,
                               main: document.querySelectorAll('main').length,
                               banner: document.querySelectorAll('body > header').length,
                               footer: document.querySelectorAll('body > footer').length,
                               nav: !!document.querySelector('nav[aria-label=Main]'),
                               search: document.querySelectorAll('[role=search]').length,
                               skip: first.className === 'skip-link' && first.getAttribute('href') === '#main',
                               lang: document.documentElement.lang }; })()",
        );
        let levels: Vec<u64> = v["levels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_u64().unwrap())
            .collect();
        assert_eq!(levels.first(), Some(&1), "{p}: starts with h1: {levels:?}");
        assert_eq!(
            levels.iter().filter(|&&l| l == 1).count(),
            1,
            "{p}: {levels:?}"
        );
        assert!(
            levels.windows(2).all(|w| w[1] <= w[0] + 1),
            "{p}: a heading level is skipped: {levels:?}"
        );
        assert_eq!(v["main"], 1, "{p}: {v}");
        assert_eq!(v["banner"], 1, "{p}: {v}");
        assert_eq!(v["footer"], 1, "{p}: {v}");
        assert_eq!(v["nav"], true, "{p}: {v}");
        assert_eq!(v["search"], 1, "{p}: one search form: {v}");
        assert_eq!(v["skip"], true, "{p}: {v}");
        assert_eq!(v["lang"], "en", "{p}: {v}");
    }
}

#[test]
fn axe_finds_no_serious_or_critical_violations_in_light_or_dark() {
    let Some(_) = require_chromium() else {
        return;
    };
    let Some(axe) = crate::needs::require_axe() else {
        return;
    };
    let pages = [
        "index.html",
        FAQ,
        PLAYBOOK,
        TECHNIQUE,
        "situations/index.html",
        SEARCH,
        "tags/angry.html",
        "404.html",
    ];
    let mut report = Vec::new();
    for size in [DESKTOP, PHONE] {
        let page = open_at(&url("index.html"), size);
        for p in pages {
            page.goto(&url(p));
            if p == SEARCH {
                page.wait_for(
                    "document.querySelectorAll('#search-results .result-say').length > 0",
                );
            }
            page.tab.evaluate(&axe, false).expect("inject axe-core");
            let mut backgrounds = Vec::new();
            for scheme in ["light", "dark"] {
                set_media(&page.tab, "", scheme);
                assert_eq!(
                    page.eval(&format!(
                        "matchMedia('(prefers-color-scheme: {scheme})').matches"
                    )),
                    true
                );
                let v = eval_async(
                    &page,
                    "axe.run(document, { resultTypes: ['violations'] }).then(r => ({
                       url: r.url, background: getComputedStyle(document.body).backgroundColor,
                       contrast: r.passes.concat(r.violations, r.incomplete).some(x => x.id === 'color-contrast'),
                       violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) })) }))",
                );
                // The audit looked at this page in this scheme, colour
                // contrast included, and the scheme changed the page's colours.
                assert!(
                    v["url"].as_str().is_some_and(|u| u.ends_with(p)),
                    "{p}: audited {}",
                    v["url"]
                );
                assert_eq!(v["contrast"], true, "{p} ({scheme}): contrast not checked");
                backgrounds.push(v["background"].to_string());
                for violation in v["violations"].as_array().unwrap() {
                    if matches!(violation["impact"].as_str(), Some("serious" | "critical")) {
                        report.push(format!(
                            "{p} at {size:?} ({scheme}): {} [{}] {}\n    {}",
                            violation["id"],
                            violation["impact"],
                            violation["help"],
                            violation["nodes"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .map(|n| n.as_str().unwrap_or(""))
                                .collect::<Vec<_>>()
                                .join("\n    ")
                        ));
                    }
                }
            }
            assert_ne!(
                backgrounds[0], backgrounds[1],
                "{p} at {size:?}: light and dark give the same background"
            );
        }
    }
    assert!(
        report.is_empty(),
        "axe-core found {} serious or critical violation(s):\n{}",
        report.len(),
        report.join("\n")
    );
}
