//! Cross-links: relative links, wikilinks, anchors, backlinks, related
//! entries, and the A–Z index.

use crate::support::*;

#[test]
fn relative_links_and_wikilinks_resolve_to_pages() {
    let kb = Kb::small();
    kb.run(&["build"]).success();
    let faq = kb.read("faq/customer-threatens-to-sue.html");
    // Unlabeled wikilink with an anchor shows the target's title and step.
    assert!(
        faq.contains(r#"<a href="../playbooks/escalated-call.html#step-1">Taking over an escalated call › Prepare</a>"#),
        "{faq}"
    );
    assert!(faq.contains(r#"<a href="../techniques/active-listening.html">listen</a>"#));
    let technique = kb.read("techniques/active-listening.html");
    assert!(
        technique.contains(r#"<a href="../playbooks/escalated-call.html#step-2">the playbook</a>"#)
    );
}

#[test]
fn playbook_steps_have_anchors_and_an_outline() {
    let kb = Kb::small();
    kb.run(&["build"]).success();
    let page = kb.read("playbooks/escalated-call.html");
    assert!(page.contains(r#"<h2 id="step-1" class="step">"#));
    assert!(page.contains(r#"<h2 id="step-2" class="step">"#));
    assert!(
        page.contains(r##"<li><a href="#step-2">Open the call</a></li>"##),
        "{page}"
    );
}

#[test]
fn backlinks_list_referring_entries_with_their_kind() {
    let kb = Kb::small();
    kb.run(&["build"]).success();
    let page = kb.read("techniques/active-listening.html");
    let backlinks = page
        .split("Referenced by")
        .nth(1)
        .expect("backlinks section");
    let backlinks = backlinks.split("</section>").next().unwrap();
    // Listing order: playbooks before FAQs.
    let playbook = backlinks
        .find("escalated-call.html")
        .expect("playbook backlink");
    let faq = backlinks
        .find("customer-threatens-to-sue.html")
        .expect("faq backlink");
    assert!(playbook < faq);
    assert!(backlinks.contains("kind-playbook"));
    assert!(backlinks.contains("kind-faq"));
}

#[test]
fn related_puts_explicit_entries_first_then_shared_tags() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/zz-staying-calm.md",
        &entry(
            "title = \"A staying calm\"\ntags = [\"legal\", \"escalated\"]",
            "[[customer-threatens-to-sue]]",
        ),
    );
    kb.run(&["build"]).success();
    let page = kb.read("faq/customer-threatens-to-sue.html");
    let related = page
        .split("<section class=\"related\">")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    let links = hrefs(related);
    assert_eq!(
        links,
        [
            "../techniques/active-listening.html", // explicit `related`
            "../techniques/zz-staying-calm.html",  // two shared tags
            "../playbooks/escalated-call.html",    // one shared tag
        ]
    );
}

#[test]
fn az_index_lists_situations_and_aliases() {
    let kb = Kb::small();
    kb.run(&["build"]).success();
    let az = kb.read("situations/index.html");
    assert!(
        az.contains(r#"<span class="az-lead">the customer </span>threatens to sue</a>"#),
        "{az}"
    );
    assert!(
        az.contains(r#"<span class="az-lead">caller </span>says he&#39;ll take us to court</a>"#),
        "{az}"
    );
    assert!(az.contains("→ What should I say when the customer threatens to sue?"));
    // "mentions" (M) is filed before "says" (S), before "threatens" (T).
    let m = az.find("mentions a lawyer").unwrap();
    let s = az.find("says he&#39;ll").unwrap();
    let t = az.find("threatens to sue</a>").unwrap();
    assert!(m < s && s < t);
    assert!(az.contains(r#"<h2 id="letter-T">T</h2>"#));
}

#[test]
fn every_internal_link_in_the_output_points_at_a_file() {
    let kb = Kb::small();
    kb.run(&["build"]).success();
    let files = tree(&kb.out());
    for (path, bytes) in &files {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let dir = std::path::Path::new(path).parent().unwrap();
        for href in hrefs(&html) {
            if href.starts_with("http") || href.starts_with('#') || href.starts_with("mailto:") {
                continue;
            }
            let target = href.split(['#', '?']).next().unwrap();
            let joined = normalize(&dir.join(target));
            assert!(
                files.contains_key(&joined),
                "{path} links to missing {href} ({joined})"
            );
        }
    }
}

fn normalize(p: &std::path::Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn links_are_relative_so_a_sub_path_base_url_works() {
    let kb = Kb::small();
    kb.run(&["build", "--base-url", "https://intranet.example/support/kb"])
        .success();
    let page = kb.read("faq/customer-threatens-to-sue.html");
    assert!(page.contains(r#"<link rel="canonical" href="https://intranet.example/support/kb/faq/customer-threatens-to-sue.html">"#));
    assert!(page.contains(r#"<link rel="stylesheet" href="../saywhen.css">"#));
    for href in hrefs(&page) {
        assert!(
            !href.starts_with('/'),
            "root-absolute link {href} breaks under a sub-path"
        );
    }
    let sitemap = kb.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://intranet.example/support/kb/faq/customer-threatens-to-sue.html</loc><lastmod>2026-05-03</lastmod>"));
    // The 404 page is served at any depth, so it links from the base path.
    let not_found = kb.read("404.html");
    assert!(
        not_found.contains(r#"href="/support/kb/saywhen.css""#),
        "{not_found}"
    );
}

#[test]
fn files_beside_entries_are_copied_and_linked() {
    let kb = Kb::small();
    kb.write_bytes("content/faq/scripts.pdf", b"%PDF-1.4 test");
    kb.write(
        "content/faq/customer-threatens-to-sue.md",
        &entry(
            "situation = \"the customer threatens to sue\"",
            "See [the script](scripts.pdf). [[escalated-call]] [[active-listening]]\n",
        ),
    );
    kb.run(&["build"]).success();
    assert!(
        kb.read("faq/customer-threatens-to-sue.html")
            .contains(r#"href="../faq/scripts.pdf""#)
    );
    assert_eq!(
        std::fs::read(kb.out().join("faq/scripts.pdf")).unwrap(),
        b"%PDF-1.4 test"
    );
}
