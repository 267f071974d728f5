//! Two files, one URL: names that differ only in case, folder or
//! punctuation, Unicode in either normal form, and names with no letters.

use super::{HANG_GUARD, run_within};
use crate::support::*;

#[test]
fn names_differing_only_in_case_are_one_url_and_an_error() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/Active-Listening.md",
        &entry("title = \"Active listening, again\"", "[[escalated-call]]"),
    );
    run_within(&kb, &["check"], HANG_GUARD)
        .failure(1)
        .stderr_has("error: slug `active-listening` is already used by content/techniques/active-listening.md\n --> content/techniques/Active-Listening.md\n")
        .stderr_has("names differing only in case or punctuation collide");
}

#[test]
fn files_in_sub_folders_and_punctuation_variants_collide_too() {
    let kb = Kb::small();
    kb.write(
        "content/faq/billing/customer-threatens-to-sue.md",
        &entry("situation = \"again\"", "[[escalated-call]]"),
    );
    kb.write(
        "content/techniques/active_listening!.md",
        &entry("title = \"Underscore\"", "[[escalated-call]]"),
    );
    run_within(&kb, &["check"], HANG_GUARD)
        .failure(1)
        .stderr_has("error: slug `customer-threatens-to-sue` is already used by content/faq/customer-threatens-to-sue.md\n --> content/faq/billing/customer-threatens-to-sue.md\n")
        .stderr_has("content/faq/customer-threatens-to-sue.md keeps the slug because it sits in fewer folders")
        .stderr_has("error: slug `active-listening` is already used by content/techniques/active-listening.md\n --> content/techniques/active_listening!.md\n");
}

#[test]
fn unicode_names_get_stable_slugs_in_either_normal_form() {
    let kb = Kb::small();
    // The same word in NFC (Linux, Windows) and NFD (as macOS stores names).
    kb.write(
        "content/techniques/Café-crème.md",
        &entry(
            "title = \"Café crème\"",
            "## Über uns\n\n## 顧客が怒っている\n\n[[escalated-call]] [[café-crème#über-uns]] [[Cafe\u{301}-cre\u{300}me#顧客が怒っている]]\n",
        ),
    );
    kb.write(
        "content/faq/İstanbul.md",
        &entry(
            "situation = \"the caller is in İstanbul\"",
            "[[café-crème]]",
        ),
    );
    run_within(&kb, &["build"], HANG_GUARD).success();
    assert!(kb.out().join("techniques/café-crème.html").is_file());
    assert!(kb.out().join("faq/i\u{307}stanbul.html").is_file());
    let page = kb.read("techniques/café-crème.html");
    assert!(page.contains("id=\"über-uns\""));
    assert!(page.contains("id=\"顧客が怒っている\""));
    assert!(page.contains("href=\"../techniques/café-crème.html#顧客が怒っている\""));
    let first = tree(&kb.out());
    run_within(&kb, &["build"], HANG_GUARD).success();
    assert_eq!(first, tree(&kb.out()), "slugs changed between builds");

    // The NFD spelling of the same name is the same slug: a collision.
    kb.write(
        "content/techniques/Cafe\u{301}-Cre\u{300}me.md",
        &entry("title = \"Café crème (mac)\"", "[[escalated-call]]"),
    );
    run_within(&kb, &["check"], HANG_GUARD)
        .failure(1)
        .stderr_has("error: slug `café-crème` is already used by");
}

#[test]
fn a_file_name_without_letters_is_an_error() {
    let kb = Kb::small();
    kb.write(
        "content/faq/!!!.md",
        &entry("situation = \"bangs\"", "[[escalated-call]]"),
    );
    run_within(&kb, &["check"], HANG_GUARD)
        .failure(1)
        .stderr_has("error: file name gives an empty slug\n --> content/faq/!!!.md\n");
}
