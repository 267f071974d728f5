//! Content governance: badges, `report`, review and validity checks,
//! wording lint, snippets, playbook branches, "Used in" and feedback links.
//! Every test pins the date (support::TODAY = 2026-06-01).

use crate::support::*;

/// Three FAQ entries on 2026-06-01: verified, overdue and expired.
fn governed() -> Kb {
    let kb = Kb::new();
    kb.write("site.toml", &format!("{SITE_TOML}review_after_days = 90\n"));
    kb.write(
        "content/faq/fresh.md",
        &entry(
            "situation = \"the customer asks for a refund\"\nowner = \"Billing\"\nreviewed = 2026-05-01\nrelated = [\"old\", \"gone\"]",
            "```say\nI can look at that refund for you now.\n```\n",
        ),
    );
    kb.write(
        "content/faq/old.md",
        &entry(
            "situation = \"the customer asks for a refund twice\"\nowner = \"Billing\"\nreviewed = 2026-01-01\nrelated = [\"fresh\"]",
            "```say\nLet me check where your refund is.\n```\n",
        ),
    );
    kb.write(
        "content/faq/gone.md",
        &entry(
            "situation = \"the customer asks for a refund voucher\"\nowner = \"Legal\"\nreviewed = 2026-05-01\nvalid_until = 2026-05-20\nrelated = [\"fresh\"]",
            "```say\nThe refund voucher scheme is open to you.\n```\n",
        ),
    );
    kb
}

#[test]
fn every_entry_shows_its_badge_and_expired_entries_say_so() {
    let kb = governed();
    kb.run(&["build"])
        .success()
        .stderr_has("warning: entry is due for review: last reviewed 2026-01-01, 151 days ago (site.toml sets review_after_days = 90)\n --> content/faq/old.md:4:1")
        .stderr_has("warning: entry expired on 2026-05-20: it stays readable but is marked expired\n --> content/faq/gone.md:5:1");
    let fresh = kb.read("faq/fresh.html");
    assert!(fresh.contains("<p class=\"status status-verified\"><span class=\"status-icon\" aria-hidden=\"true\">✓</span> <span class=\"status-label\">Verified 2026-05-01</span><span class=\"status-owner\"> · Owner: <span class=\"owner\">Billing</span></span></p>"), "{fresh}");
    assert!(!fresh.contains("expired-note"));
    let old = kb.read("faq/old.html");
    assert!(old.contains("<p class=\"status status-due\"><span class=\"status-icon\" aria-hidden=\"true\">!</span> <span class=\"status-label\">Review due since 2026-04-01</span>"), "{old}");
    let gone = kb.read("faq/gone.html");
    assert!(
        gone.contains("<span class=\"status-label\">Expired 2026-05-20</span>"),
        "{gone}"
    );
    assert!(gone.contains("<p class=\"expired-note\" role=\"note\"><strong>Expired:</strong> this entry was valid until 2026-05-20."), "{gone}");
    // Still readable: the say-phrase is on the page.
    assert!(gone.contains("The refund voucher scheme is open to you."));
}

#[test]
fn review_every_overrides_the_site_default_and_bad_values_are_errors() {
    let kb = governed();
    kb.write(
        "content/faq/old.md",
        &entry(
            "situation = \"the customer asks for a refund twice\"\nowner = \"Billing\"\nreviewed = 2026-01-01\nreview_every = \"1y\"\nrelated = [\"fresh\"]",
            "Body.\n",
        ),
    );
    let run = kb.run(&["check"]);
    run.success().stderr_lacks("content/faq/old.md");
    kb.write(
        "content/faq/old.md",
        &entry(
            "situation = \"the customer asks for a refund twice\"\nreviewed = 2026-01-01\nreview_every = \"quarterly\"\nvalid_until = 10:30:00",
            "Body.\n",
        ),
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: `review_every = \"quarterly\"` is not an interval\n --> content/faq/old.md:4:1\n")
        .stderr_has("= help: write a number and a unit: \"90d\" (days), \"12w\" (weeks), \"6m\" (months) or \"1y\" (years)")
        .stderr_has("error: `valid_until = 10:30:00` is not a calendar date\n --> content/faq/old.md:5:1\n")
        // The bad interval falls back to the site's 90 days.
        .stderr_has("warning: entry is due for review: last reviewed 2026-01-01, 151 days ago (site.toml sets review_after_days = 90)\n --> content/faq/old.md:3:1")
        .stderr_has("2 errors, 2 warnings");
}

#[test]
fn site_toml_decides_whether_expired_and_overdue_entries_fail_check() {
    let kb = governed();
    kb.write(
        "site.toml",
        &format!("{SITE_TOML}review_after_days = 90\n[governance]\nexpired = \"error\"\noverdue = \"ignore\"\n"),
    );
    let run = kb.run(&["check"]);
    run.failure(1)
        .stderr_has("error: entry expired on 2026-05-20: it stays readable but is marked expired\n --> content/faq/gone.md:5:1")
        .stderr_has("= help: have the owner update or retire the entry, then move `valid_until` on or remove it")
        .stderr_lacks("due for review")
        .stderr_has("1 error, 0 warnings");
    // The clock is the one given (the flag wins over SAYWHEN_TODAY): a day
    // before expiry, nothing is wrong.
    kb.run(&["check", "--today", "2026-05-19"]).success();
}

#[test]
fn report_groups_by_owner_with_a_trust_score_in_text_and_json() {
    let kb = governed();
    kb.write(
        "content/techniques/unowned.md",
        &entry("title = \"Unowned\"\nrelated = [\"fresh\"]", "Body.\n"),
    );
    let run = kb.run(&["report", "--within", "60"]);
    run.success();
    assert_eq!(
        run.stdout,
        "\
Governance report for 2026-06-01
Trust score: 25% (1 of 4 entries verified; 2 due for review, 1 expired)

(no owner) (1 to look at)
  unreviewed content/techniques/unowned.md  never reviewed: no `reviewed` date

Billing (2 to look at)
  overdue    content/faq/old.md  review was due 2026-04-01 (61 days ago)
  due soon   content/faq/fresh.md  review due 2026-07-30 (in 59 days)

Legal (1 to look at)
  expired    content/faq/gone.md  expired 2026-05-20 (12 days ago)
"
    );
    let json = kb.run(&["report", "--format", "json"]);
    json.success();
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["trust_score"], 25);
    assert_eq!(v["within_days"], 30);
    assert_eq!(v["owners"]["Legal"][0]["concern"], "expired");
    assert_eq!(v["owners"]["Legal"][0]["file"], "content/faq/gone.md");
    assert_eq!(v["owners"]["Legal"][0]["valid_until"], "2026-05-20");
    assert_eq!(v["owners"]["Billing"][0]["state"], "due");
    // Within the default 30 days the fresh entry is not listed yet.
    assert_eq!(v["owners"]["Billing"].as_array().unwrap().len(), 1);
}

#[test]
fn the_needs_review_page_is_linked_from_every_page_and_left_out_of_search() {
    let kb = governed();
    kb.run(&["build"]).success();
    let page = kb.read("review/index.html");
    assert!(page.contains("Trust score <strong>33%</strong>: 1 of 3 entries verified on 2026-06-01; 1 due for review, 1 expired."), "{page}");
    assert!(
        page.contains("<h2>Billing <span class=\"count\">(1)</span></h2>"),
        "{page}"
    );
    assert!(page.contains("href=\"../faq/old.html\""));
    assert!(page.contains("href=\"../faq/gone.html\""));
    assert!(
        !page.contains("href=\"../faq/fresh.html\">"),
        "verified and not due within 30 days"
    );
    for p in ["index.html", "faq/fresh.html", "situations/index.html"] {
        assert!(
            kb.read(p).contains("review/index.html\">Needs review</a>"),
            "{p}"
        );
    }
    let index = kb.read("search/index.js");
    assert!(!index.contains("review/index.html"));
}

#[test]
fn search_marks_expired_entries_and_lists_them_last_or_not_at_all() {
    let kb = governed();
    kb.run(&["build"]).success();
    let index = kb.read("search/index.js");
    let json: serde_json::Value = serde_json::from_str(
        index
            .trim()
            .strip_prefix("window.SAYWHEN_SEARCH=")
            .unwrap()
            .strip_suffix(';')
            .unwrap(),
    )
    .unwrap();
    let status: Vec<(String, u64)> = json["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d[1].as_str().unwrap().to_string(), d[5].as_u64().unwrap()))
        .collect();
    assert!(status.contains(&("faq/fresh.html".into(), 0)), "{status:?}");
    assert!(status.contains(&("faq/old.html".into(), 1)), "{status:?}");
    assert!(status.contains(&("faq/gone.html".into(), 2)), "{status:?}");

    kb.write(
        "site.toml",
        &format!("{SITE_TOML}review_after_days = 90\n[governance]\nexpired_in_search = \"hide\"\n"),
    );
    kb.run(&["build"]).success();
    let index = kb.read("search/index.js");
    assert!(!index.contains("faq/gone.html"));
    assert!(index.contains("faq/old.html"));
    assert!(
        kb.read("faq/gone.html").contains("Expired 2026-05-20"),
        "the page itself stays"
    );
}

#[test]
fn forbidden_wording_is_an_error_in_say_phrases_and_a_warning_in_the_body() {
    let kb = Kb::small();
    kb.write(
        "site.toml",
        &format!(
            "{SITE_TOML}[[lint.forbidden]]\nname = \"no-threats\"\nphrases = [\"arrest*\", \"you have no choice\"]\nmessage = \"never threaten arrest\"\n"
        ),
    );
    kb.write(
        "content/faq/customer-threatens-to-sue.md",
        &entry(
            "situation = \"the customer threatens to sue\"\nrelated = [\"active-listening\"]",
            "Never hint that they could be Arrested.\n\n```say\nI hear you.\n\nHonestly, YOU have  no choice here.\n```\n\n```avoid\nWe'll have you arrested.\n```\n\nFollow [[escalated-call]].\n",
        ),
    );
    let run = kb.run(&["check"]);
    run.failure(1);
    assert_eq!(
        run.stderr,
        "\
warning: forbidden wording: “Arrested” (no-threats)
 --> content/faq/customer-threatens-to-sue.md:5:31
  |
5 | Never hint that they could be Arrested.
  |                               ^^^^^^^^
  = help: never threaten arrest; if the text quotes what not to say, move the words into an ```avoid block

error: forbidden wording in a say-phrase: “YOU have  no choice” (no-threats)
  --> content/faq/customer-threatens-to-sue.md:10:11
   |
10 | Honestly, YOU have  no choice here.
   |           ^^^^^^^^^^^^^^^^^^^
   = help: never threaten arrest; agents read say-phrases aloud

1 error, 1 warning
"
    );
}

#[test]
fn snippets_are_written_once_included_anywhere_and_listed_with_their_users() {
    let kb = Kb::small();
    kb.write("content/_snippets/disclosure.md", "```say\nThis call is recorded.\n```\n\nRead the [policy](https://intranet.example/policy).\n");
    kb.write(
        "content/playbooks/escalated-call.md",
        &entry(
            "title = \"Taking over an escalated call\"\ntags = [\"escalated\"]",
            "Intro linking [[customer-threatens-to-sue]].\n\n## Prepare\n\nRead the notes. Use [[active-listening]].\n\n```snippet disclosure\n```\n\n## Open the call\n\nSay your name.\n",
        ),
    );
    kb.run(&["build"]).success();
    let page = kb.read("playbooks/escalated-call.html");
    assert!(
        page.contains("<div class=\"included-snippet\" data-snippet=\"disclosure\">"),
        "{page}"
    );
    assert!(page.contains("<blockquote class=\"phrase-text\">This call is recorded.</blockquote>"));
    assert!(page.contains("<a href=\"https://intranet.example/policy\">policy</a>"));
    let list = kb.read("snippets/index.html");
    assert!(
        list.contains("<section class=\"snippet-card\" id=\"disclosure\">"),
        "{list}"
    );
    assert!(list.contains("<code class=\"source\">content/_snippets/disclosure.md</code>"));
    assert!(
        list.contains(
            "href=\"../playbooks/escalated-call.html\">Taking over an escalated call</a>"
        ),
        "{list}"
    );

    // A required snippet left out, and a misspelled one.
    kb.write(
        "site.toml",
        &format!(
            "{SITE_TOML}[[lint.required]]\nname = \"notice\"\nsnippet = \"disclosure\"\nkind = \"faq\"\nmessage = \"every answer gives the notice\"\n"
        ),
    );
    kb.write(
        "content/playbooks/escalated-call.md",
        &entry(
            "title = \"Taking over an escalated call\"",
            "Intro linking [[customer-threatens-to-sue]].\n\n## Prepare\n\nUse [[active-listening]].\n\n```snippet disclosur\n```\n\n## Open the call\n",
        ),
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: unknown snippet `disclosur`\n  --> content/playbooks/escalated-call.md:10:1\n   |\n10 | ```snippet disclosur\n   | ^^^^^^^^^^^^^^^^^^^^\n   = help: did you mean `disclosure`?")
        .stderr_has("error: missing required snippet `disclosure` (notice)\n --> content/faq/customer-threatens-to-sue.md\n")
        .stderr_has("= help: every answer gives the notice; every faq must include it")
        .stderr_has("2 errors, 0 warnings");
}

#[test]
fn a_snippet_may_not_link_to_entries_or_be_given_text_where_it_is_included() {
    let kb = Kb::small();
    kb.write(
        "content/_snippets/greeting.md",
        "Hello. See [[active-listening]].\n",
    );
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"\nrelated = [\"escalated-call\"]",
            "```snippet greeting\nHello there.\n```\n",
        ),
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: a snippet cannot link to an entry\n --> content/_snippets/greeting.md:1:14\n")
        .stderr_has("error: snippet include `greeting` has text inside it\n --> content/techniques/active-listening.md:5:1\n")
        // The broken snippet's own error is enough: its includes are not reported again.
        .stderr_lacks("unknown snippet");
}

#[test]
fn playbook_branches_are_links_checked_like_any_other() {
    let kb = Kb::small();
    kb.write(
        "content/playbooks/escalated-call.md",
        &entry(
            "title = \"Taking over an escalated call\"",
            "Intro linking [[active-listening]].\n\n## Listen\n\nThen decide:\n\n- If they threaten to sue → [[customer-threatens-to-sue]]\n- If it calms down → step 3\n\n## Escalate\n\nHand over.\n\n## Close\n\nIf it flares up again → Step 2.\n\n→ end\n",
        ),
    );
    kb.run(&["build"]).success();
    let page = kb.read("playbooks/escalated-call.html");
    assert!(
        page.contains("If it calms down → <a class=\"branch\" href=\"#step-3\">step 3</a>"),
        "{page}"
    );
    assert!(
        page.contains("If it flares up again → <a class=\"branch\" href=\"#step-2\">Step 2</a>."),
        "{page}"
    );
    assert!(
        page.contains(
            "If they threaten to sue → <a href=\"../faq/customer-threatens-to-sue.html\">"
        ),
        "{page}"
    );

    // Step 2 now has no way in: step 1 ends in branches that skip it.
    kb.write(
        "content/playbooks/escalated-call.md",
        &entry(
            "title = \"Taking over an escalated call\"",
            "Intro linking [[active-listening]].\n\n## Listen\n\n- If they threaten to sue → [[customer-threatens-to-sue]]\n- If it calms down → step 3\n\n## Escalate\n\nHand over.\n\n## Close\n\nIf it flares up → step 7.\n",
        ),
    );
    let run = kb.run(&["check"]);
    run.failure(1);
    assert_eq!(
        run.stderr,
        "\
error: step 2 “Escalate” can never be reached: step 1 ends in branches, and none of them leads to step 2
  --> content/playbooks/escalated-call.md:11:1
   |
11 | ## Escalate
   | ^^^^^^^^^^^
   = help: add a branch `→ step 2` where the call can lead here, or remove the step

error: branch to missing step 7
  --> content/playbooks/escalated-call.md:17:19
   |
17 | If it flares up → step 7.
   |                   ^^^^^^
   = help: this playbook has steps 1 to 3

2 errors, 0 warnings
"
    );
}

#[test]
fn technique_cards_list_the_playbooks_that_use_them() {
    let kb = Kb::small();
    kb.run(&["build"]).success();
    let card = kb.read("techniques/active-listening.html");
    let used = card
        .split("<section class=\"used-in\">")
        .nth(1)
        .expect("a Used in section");
    let used = used.split("</section>").next().unwrap();
    assert!(
        used.contains(
            "href=\"../playbooks/escalated-call.html\">Taking over an escalated call</a>"
        ),
        "{used}"
    );
    // The FAQ links here too, but it is not a playbook.
    assert!(!used.contains("customer-threatens-to-sue"), "{used}");
    assert!(
        !kb.read("faq/customer-threatens-to-sue.html")
            .contains("used-in")
    );
}

#[test]
fn edit_and_flag_links_come_from_site_toml_templates() {
    let kb = Kb::small();
    kb.run(&["build"]).success();
    assert!(
        !kb.read("faq/customer-threatens-to-sue.html")
            .contains("Suggest an edit")
    );
    kb.write(
        "site.toml",
        &format!(
            "{SITE_TOML}edit_url = \"https://git.example/kb/-/edit/main/{{path}}\"\nflag_url = \"mailto:kb@example.com?subject=Outdated%3A%20{{title}}&body={{url}}\"\n"
        ),
    );
    kb.run(&["build"]).success();
    let page = kb.read("faq/customer-threatens-to-sue.html");
    assert!(page.contains("<a class=\"edit-link\" href=\"https://git.example/kb/-/edit/main/content/faq/customer-threatens-to-sue.md\">Suggest an edit</a>"), "{page}");
    assert!(
        page.contains("<a class=\"flag-link\" href=\"mailto:kb@example.com?subject=Outdated%3A%20What%20should%20I%20say%20when%20the%20customer%20threatens%20to%20sue%3F&amp;body=https%3A%2F%2Fintranet.example%2Fkb%2Ffaq%2Fcustomer-threatens-to-sue.html\">Flag as outdated</a>"),
        "{page}"
    );
}

#[test]
fn in_the_browser_expired_answers_sink_below_current_ones_and_carry_their_badge() {
    use crate::browser::{Page, query_url, require_chromium};
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = governed();
    // Never reviewed: its badge says so, as its page does.
    kb.write(
        "content/faq/unreviewed.md",
        &entry(
            "situation = \"the customer asks about a refund letter\"\nowner = \"Billing\"\nrelated = [\"fresh\"]",
            "```say\nI will send the refund letter today.\n```\n",
        ),
    );
    kb.run(&["build"]).success();
    let base = format!("file://{}/", kb.out().display());
    // The expired entry matches both words; the others match one.
    let page = Page::open(&query_url(&base, "refund voucher"));
    page.wait_for("window.saywhenSearch.bodyLoaded() && document.querySelectorAll('#search-results > li').length === 4");
    let results = page.results();
    assert_eq!(
        results.last().map(String::as_str),
        Some("../faq/gone.html"),
        "{results:?}"
    );
    let badges = page.eval(
        "Array.from(document.querySelectorAll('#search-results > li')).map(li => [li.querySelector('a').getAttribute('href'), li.querySelector('.status').textContent.trim(), li.classList.contains('result-expired')])",
    );
    let badges: Vec<(String, String, bool)> = serde_json::from_value(badges).unwrap();
    assert!(
        badges.contains(&("../faq/gone.html".into(), "✗ Expired".into(), true)),
        "{badges:?}"
    );
    assert!(
        badges.contains(&("../faq/old.html".into(), "! Review due".into(), false)),
        "{badges:?}"
    );
    assert!(
        badges.contains(&("../faq/fresh.html".into(), "✓ Verified".into(), false)),
        "{badges:?}"
    );
    assert!(
        badges.contains(&(
            "../faq/unreviewed.html".into(),
            "! Not yet reviewed".into(),
            false
        )),
        "{badges:?}"
    );
}

#[test]
fn the_bundled_rule_set_catches_threats_and_pressure_in_what_agents_say() {
    let kb = Kb::small();
    kb.write("site.toml", include_str!("../../site.toml"));
    kb.write(
        "content/faq/customer-threatens-to-sue.md",
        &entry(
            "situation = \"the customer threatens to sue\"\ntags = [\"legal\"]\nrelated = [\"active-listening\"]",
            "```say\nIf you don't pay, you could be arrested.\n\nThis is your last chance.\n```\n\n```avoid\nYou have no choice.\n```\n\nFollow [[escalated-call]].\n",
        ),
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: forbidden wording in a say-phrase: “arrested” (no-threats)\n --> content/faq/customer-threatens-to-sue.md:7:32\n")
        .stderr_has("error: forbidden wording in a say-phrase: “last chance” (no-pressure)\n --> content/faq/customer-threatens-to-sue.md:9:14\n")
        // Avoid blocks list what not to say: never flagged.
        .stderr_lacks("“You have no choice”");
}
