//! The bundled knowledge base: the repository's own `content/` and
//! `site.toml`, checked and built by the real binary. These tests hold the
//! knowledge base to what issue 3 asks of it: minimum counts, the shape of
//! each FAQ entry, no orphan technique cards, every situation reachable from
//! the A–Z index, owners, review dates, the tag vocabulary and legal caution.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{self, BIN, Run};

/// A fixed "today" so the review-age check never depends on the day the
/// tests run. The bundled `site.toml` warns after 180 days.
const TODAY: &str = "2026-11-23";

/// The kinds' folders, from the table of kinds.
fn kind_dirs() -> impl Iterator<Item = &'static str> {
    saywhen::load::Kind::ALL.into_iter().map(|k| k.dir())
}

/// How many entries of a kind the bundled knowledge base holds at least:
/// what issue 3 asks of the first three kinds, and one example of any
/// other.
fn minimum_entries(dir: &str) -> usize {
    match dir {
        "playbooks" => 8,
        "techniques" => 20,
        "faq" => 30,
        _ => 1,
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `saywhen --root <repo> ARGS`.
fn saywhen_on_repo(args: &[&str]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.arg("--root")
        .arg(repo())
        .args(args)
        .env_remove("SAYWHEN_TODAY")
        .env("NO_COLOR", "1");
    support::run(cmd)
}

/// The bundled site, built into a fresh temporary folder.
struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

impl Built {
    fn new() -> Built {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("site");
        saywhen_on_repo(&["build", "--output", out.to_str().unwrap(), "--today", TODAY]).success();
        Built { _dir: dir, out }
    }

    #[track_caller]
    fn read(&self, rel: &str) -> String {
        let path = self.out.join(rel);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Slugs of the entry pages of one kind (the listing page excluded).
    fn pages(&self, kind: &str) -> BTreeSet<String> {
        std::fs::read_dir(self.out.join(kind))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name != "index.html")
            .filter_map(|name| name.strip_suffix(".html").map(str::to_string))
            .collect()
    }
}

/// One Markdown entry of the bundled knowledge base.
struct Entry {
    kind: &'static str,
    slug: String,
    file: String,
    front: toml::Table,
    body: String,
}

impl Entry {
    fn str_field(&self, key: &str) -> Option<&str> {
        self.front.get(key).and_then(|v| v.as_str())
    }

    fn strings(&self, key: &str) -> Vec<String> {
        match self.front.get(key) {
            None => Vec::new(),
            Some(toml::Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .unwrap_or_else(|| panic!("{}: `{key}` holds a non-string", self.file))
                        .to_string()
                })
                .collect(),
            Some(other) => panic!("{}: `{key}` is not an array: {other}", self.file),
        }
    }

    fn tags(&self) -> Vec<String> {
        self.strings("tags")
    }

    /// The phrases of the fenced blocks with info string `info` (`say` or
    /// `avoid`): each paragraph is one phrase, its lines joined.
    fn phrases(&self, info: &str) -> Vec<String> {
        fenced_blocks(&self.body, &self.file)
            .into_iter()
            .filter(|(i, _)| i == info)
            .flat_map(|(_, text)| paragraphs(&text))
            .collect()
    }

    /// The body with `avoid` blocks taken out: what the entry tells the
    /// agent to do, not what it warns against.
    fn guidance(&self) -> String {
        let mut out = String::new();
        let mut fence: Option<(usize, bool)> = None;
        for line in self.body.lines() {
            let trimmed = line.trim_start();
            let ticks = trimmed.len() - trimmed.trim_start_matches('`').len();
            match fence {
                None if ticks >= 3 => {
                    let avoid = trimmed[ticks..].trim() == "avoid";
                    fence = Some((ticks, avoid));
                }
                Some((open, _)) if ticks >= open && trimmed[ticks..].trim().is_empty() => {
                    fence = None;
                }
                Some((_, true)) => {}
                _ => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out
    }
}

/// Every fenced code block as (info string, text).
fn fenced_blocks(body: &str, file: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    for line in body.lines() {
        let trimmed = line.trim_start();
        let ticks = trimmed.len() - trimmed.trim_start_matches('`').len();
        match &mut open {
            None if ticks >= 3 => {
                open = Some((ticks, trimmed[ticks..].trim().to_string(), String::new()))
            }
            None => {}
            Some((n, _, _)) if ticks >= *n && trimmed[ticks..].trim().is_empty() => {
                let (_, info, text) = open.take().unwrap();
                blocks.push((info, text));
            }
            Some((_, _, text)) => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    assert!(open.is_none(), "{file}: unclosed fenced block");
    blocks
}

/// Paragraphs separated by blank lines, lines joined with a space.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().chain([""]) {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line.trim());
        }
    }
    out
}

fn load_entries() -> Vec<Entry> {
    let mut entries = Vec::new();
    for kind in kind_dirs() {
        let dir = repo().join("content").join(kind);
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        paths.sort();
        for path in paths {
            entries.push(load_entry(kind, &path));
        }
    }
    entries
}

fn load_entry(kind: &'static str, path: &Path) -> Entry {
    let file = format!(
        "content/{kind}/{}",
        path.file_name().unwrap().to_string_lossy()
    );
    let text = std::fs::read_to_string(path).unwrap();
    let rest = text
        .strip_prefix("+++\n")
        .unwrap_or_else(|| panic!("{file}: no `+++` front matter"));
    let end = rest
        .find("\n+++\n")
        .unwrap_or_else(|| panic!("{file}: front matter not closed"));
    let front: toml::Table = rest[..end]
        .parse()
        .unwrap_or_else(|e| panic!("{file}: bad front matter: {e}"));
    Entry {
        kind,
        slug: path.file_stem().unwrap().to_string_lossy().into_owned(),
        file,
        front,
        body: rest[end + 5..].to_string(),
    }
}

fn of_kind<'a>(entries: &'a [Entry], kind: &str) -> impl Iterator<Item = &'a Entry> {
    entries.iter().filter(move |e| e.kind == kind)
}

/// The text between the first `start` at or after `from` and the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = html.find(start)? + start.len();
    let j = html[i..].find(end)? + i;
    Some(&html[i..j])
}

/// Visible text of an HTML fragment: tags dropped, the entities saywhen
/// writes decoded, whitespace collapsed.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn bundled_kb_passes_check_with_deny_warnings() {
    saywhen_on_repo(&["check", "--deny-warnings", "--today", TODAY])
        .success()
        .stderr_lacks("warning")
        .stderr_lacks("error");

    let json = saywhen_on_repo(&[
        "check",
        "--deny-warnings",
        "--format",
        "json",
        "--today",
        TODAY,
    ]);
    json.success();
    let diagnostics: serde_json::Value =
        serde_json::from_str(&json.stdout).expect("check --format json prints JSON");
    assert_eq!(
        diagnostics,
        serde_json::json!([]),
        "the bundled knowledge base has diagnostics"
    );
}

#[test]
fn bundled_kb_meets_minimum_counts() {
    let entries = load_entries();
    let built = Built::new();
    for kind in kind_dirs() {
        let minimum = minimum_entries(kind);
        let sources: BTreeSet<String> = of_kind(&entries, kind).map(|e| e.slug.clone()).collect();
        let drafts: Vec<&str> = of_kind(&entries, kind)
            .filter(|e| e.front.get("draft").and_then(|v| v.as_bool()) == Some(true))
            .map(|e| e.file.as_str())
            .collect();
        assert!(
            drafts.is_empty(),
            "drafts in the bundled knowledge base: {drafts:?}"
        );
        assert!(
            sources.len() >= minimum,
            "content/{kind}/ has {} entries, at least {minimum} wanted",
            sources.len()
        );
        assert_eq!(
            built.pages(kind),
            sources,
            "the built site's {kind}/ pages differ from content/{kind}/"
        );
    }
}

#[test]
fn every_faq_has_say_and_avoid_phrases_and_aliases() {
    let entries = load_entries();
    let mut seen_aliases: BTreeMap<String, String> = BTreeMap::new();
    for faq in of_kind(&entries, "faq") {
        let file = &faq.file;
        let situation = faq
            .str_field("situation")
            .unwrap_or_else(|| panic!("{file}: no `situation`"));
        assert!(!situation.trim().is_empty(), "{file}: empty `situation`");

        let say = faq.phrases("say");
        let avoid = faq.phrases("avoid");
        assert!(
            say.len() >= 2,
            "{file}: {} say phrase(s), at least 2 wanted",
            say.len()
        );
        assert!(!avoid.is_empty(), "{file}: no avoid phrase");
        for phrase in say.iter().chain(&avoid) {
            assert!(
                phrase.len() >= 8,
                "{file}: suspiciously short phrase {phrase:?}"
            );
        }
        let overlap: Vec<&String> = say.iter().filter(|p| avoid.contains(p)).collect();
        assert!(
            overlap.is_empty(),
            "{file}: phrases both said and avoided: {overlap:?}"
        );

        let aliases = faq.strings("aliases");
        assert!(
            aliases.len() >= 2,
            "{file}: {} alias(es), at least 2 wanted",
            aliases.len()
        );
        for alias in &aliases {
            let key = alias.trim().to_lowercase();
            assert!(!key.is_empty(), "{file}: empty alias");
            assert_ne!(
                key,
                situation.to_lowercase(),
                "{file}: alias repeats the situation"
            );
            if let Some(other) = seen_aliases.insert(key, file.clone()) {
                panic!("alias {alias:?} is used by both {other} and {file}");
            }
        }
    }
}

#[test]
fn faq_phrase_blocks_render_as_phrase_cards() {
    let entries = load_entries();
    let built = Built::new();
    for faq in of_kind(&entries, "faq") {
        let html = built.read(&format!("faq/{}.html", faq.slug));
        for info in ["say", "avoid"] {
            // Each card's phrase as a reader sees it, in page order.
            let cards: Vec<String> = html
                .split(&format!("class=\"phrase phrase-{info}\""))
                .skip(1)
                .map(|card| {
                    let phrase =
                        between(card, "<blockquote class=\"phrase-text\">", "</blockquote>")
                            .unwrap_or_else(|| {
                                panic!("{}: a {info} card without its phrase", faq.file)
                            });
                    text_of(phrase)
                })
                .collect();
            assert_eq!(
                cards,
                faq.phrases(info),
                "{}: {info} cards on the page differ from {info} phrases in the source",
                faq.file
            );
        }
    }
}

#[test]
fn every_technique_is_linked_from_a_faq_or_playbook() {
    let entries = load_entries();
    let built = Built::new();
    let techniques: Vec<&Entry> = of_kind(&entries, "techniques").collect();
    assert!(!techniques.is_empty());
    for technique in techniques {
        let page = built.read(&format!("techniques/{}.html", technique.slug));
        let backlinks = between(&page, "<section class=\"backlinks\">", "</section>")
            .unwrap_or_else(|| {
                panic!(
                    "techniques/{}.html has no \"Referenced by\" section",
                    technique.slug
                )
            });
        assert!(backlinks.contains("Referenced by"));
        let referrers: Vec<String> = support::hrefs(backlinks)
            .into_iter()
            .filter_map(|href| href.strip_prefix("../").map(str::to_string))
            .filter(|href| href.starts_with("faq/") || href.starts_with("playbooks/"))
            .collect();
        assert!(
            !referrers.is_empty(),
            "{}: no FAQ entry or playbook references it",
            technique.file
        );
        // At least one of them links it from its own text, not only from
        // a `related` list.
        let target = format!("href=\"../techniques/{}.html", technique.slug);
        let in_text = referrers.iter().any(|rel| {
            let html = built.read(rel);
            between(&html, "<article", "</article>")
                .is_some_and(|article| article.contains(&target))
        });
        assert!(
            in_text,
            "{}: referenced by {referrers:?}, but none links it in its text",
            technique.file
        );
    }
}

/// Every situation issue 3 names, the FAQ entry it must lead to, and a word
/// of the issue's own phrasing that the A–Z entry leading there must show.
const SITUATIONS: &[(&str, &str, &str)] = &[
    (
        "the customer threatens to sue",
        "customer-threatens-to-sue",
        "sue",
    ),
    (
        "the customer threatens a complaint to a regulator or consumer body",
        "customer-threatens-a-regulator-complaint",
        "regulator",
    ),
    (
        "the customer demands a supervisor",
        "customer-demands-a-supervisor",
        "supervisor",
    ),
    (
        "the customer is yelling or swearing",
        "customer-is-yelling-or-swearing",
        "swearing",
    ),
    (
        "the customer says they lost their job and cannot pay",
        "customer-lost-their-job",
        "lost their job",
    ),
    (
        "the customer is crying or distressed",
        "customer-is-crying-or-distressed",
        "crying",
    ),
    (
        "the customer says the debt is not theirs",
        "customer-says-the-debt-is-not-theirs",
        "not theirs",
    ),
    (
        "the customer says they already paid",
        "customer-says-they-already-paid",
        "already paid",
    ),
    (
        "the customer is driving or it's a bad time",
        "customer-is-driving-or-busy",
        "driving",
    ),
    (
        "the customer has had to repeat their story",
        "customer-had-to-repeat-their-story",
        "repeat",
    ),
    (
        "the customer rambles off topic",
        "customer-rambles-off-topic",
        "off topic",
    ),
    ("the customer goes silent", "customer-goes-silent", "silent"),
    (
        "the customer asks you to stop calling",
        "customer-asks-you-to-stop-calling",
        "stop calling",
    ),
    (
        "the customer says you are harassing them",
        "customer-says-you-are-harassing-them",
        "harass",
    ),
    (
        "the customer asks for a discount or settlement",
        "customer-asks-for-a-discount",
        "discount",
    ),
    (
        "the customer promises to pay \"next week\"",
        "customer-promises-to-pay-next-week",
        "next week",
    ),
    (
        "the customer blames the previous agent",
        "customer-blames-the-previous-agent",
        "previous agent",
    ),
    (
        "the customer asks something you don't know",
        "you-do-not-know-the-answer",
        "don't know",
    ),
    (
        "the customer is distracted or irritated by something unrelated",
        "customer-is-distracted-or-irritated",
        "distracted",
    ),
    (
        "the customer shares a genuinely upsetting story (bereavement, illness)",
        "customer-shares-an-upsetting-story",
        "upsetting story",
    ),
    (
        "the customer is hostile from the first sentence",
        "customer-is-hostile-from-the-start",
        "hostile",
    ),
    (
        "the customer wants everything in writing",
        "customer-wants-everything-in-writing",
        "in writing",
    ),
    (
        "the customer says they have a lawyer",
        "customer-says-they-have-a-lawyer",
        "lawyer",
    ),
    (
        "the customer asks for a payment plan",
        "customer-asks-for-a-payment-plan",
        "payment plan",
    ),
    (
        "the customer accuses you of lying",
        "customer-accuses-you-of-lying",
        "lying",
    ),
    (
        "the customer calls back angry after hanging up",
        "customer-calls-back-angry",
        "calls back",
    ),
    (
        "the customer is confused about what they owe",
        "customer-is-confused-about-what-they-owe",
        "what they owe",
    ),
    (
        "the customer threatens to post about the company online",
        "customer-threatens-to-post-online",
        "online",
    ),
    (
        "the customer asks why the account went to collections",
        "customer-asks-why-the-account-went-to-collections",
        "collections",
    ),
    (
        "a third party answers instead of the customer",
        "third-party-answers-the-phone",
        "third party",
    ),
];

/// The A–Z page's items as (href, visible text of the link).
fn az_items(html: &str) -> Vec<(String, String)> {
    let mut items = Vec::new();
    for section in html.split("<ul class=\"az-list\">").skip(1) {
        let list = section.split("</ul>").next().unwrap();
        for li in list.split("<li").skip(1) {
            let href = support::hrefs(li).into_iter().next().unwrap_or_default();
            let link = between(li, ">", "</a>")
                .and_then(|rest| rest.split_once('>').map(|(_, text)| text))
                .unwrap_or_default();
            items.push((href, text_of(link)));
        }
    }
    items
}

#[test]
fn every_situation_in_the_issue_is_in_the_a_to_z_index() {
    let entries = load_entries();
    let built = Built::new();
    let items = az_items(&built.read("situations/index.html"));
    assert!(
        items.len() >= SITUATIONS.len(),
        "the A–Z index lists {} items",
        items.len()
    );

    let slugs: BTreeSet<&str> = SITUATIONS.iter().map(|s| s.1).collect();
    assert_eq!(
        slugs.len(),
        SITUATIONS.len(),
        "two situations map to the same entry"
    );

    for (situation, slug, word) in SITUATIONS {
        let faq = of_kind(&entries, "faq")
            .find(|e| e.slug == *slug)
            .unwrap_or_else(|| panic!("no content/faq/{slug}.md for {situation:?}"));
        let url = format!("../faq/{slug}.html");
        let leading_here: Vec<&String> = items
            .iter()
            .filter(|(href, _)| *href == url)
            .map(|(_, text)| text)
            .collect();
        // The entry's own situation is filed in the index...
        let own = faq.str_field("situation").unwrap();
        assert!(
            leading_here.iter().any(|text| own.ends_with(text.as_str())),
            "A–Z: {url} is not listed under its situation {own:?}; found {leading_here:?}"
        );
        // ...and the issue's wording of it finds the entry too.
        assert!(
            leading_here
                .iter()
                .any(|text| text.to_lowercase().contains(word)),
            "A–Z: no item with {word:?} leads to {url} for {situation:?}; found {leading_here:?}"
        );
    }

    // Every link in the index leads to a page that exists.
    for (href, text) in &items {
        let rel = href.strip_prefix("../").unwrap_or(href);
        assert!(
            built.out.join(rel).is_file(),
            "A–Z item {text:?} links to missing {href}"
        );
    }
}

#[test]
fn every_entry_has_owner_reviewed_and_vocabulary_tags() {
    let site: toml::Table = std::fs::read_to_string(repo().join("site.toml"))
        .unwrap()
        .parse()
        .expect("site.toml parses");
    let vocabulary: BTreeSet<&str> = site["tags"]["vocabulary"]
        .as_array()
        .expect("site.toml lists a tag vocabulary")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(vocabulary.len() >= 10, "vocabulary: {vocabulary:?}");
    let review_after = site["review_after_days"].as_integer().unwrap();
    assert!(review_after > 0, "review ages are not checked");

    let entries = load_entries();
    assert!(entries.len() >= 58);
    let mut used = BTreeSet::new();
    for entry in &entries {
        let file = &entry.file;
        let owner = entry
            .str_field("owner")
            .unwrap_or_else(|| panic!("{file}: no `owner`"));
        assert!(!owner.trim().is_empty(), "{file}: empty `owner`");

        let reviewed = match entry.front.get("reviewed") {
            Some(toml::Value::Datetime(d)) => d,
            other => panic!("{file}: `reviewed` is not a date: {other:?}"),
        };
        assert!(
            reviewed.date.is_some() && reviewed.time.is_none(),
            "{file}: `reviewed` should be a plain date, is {reviewed}"
        );
        assert!(
            reviewed.to_string().as_str() <= TODAY,
            "{file}: reviewed {reviewed} is after {TODAY}"
        );

        if entry.kind != "faq" {
            assert!(entry.str_field("title").is_some(), "{file}: no `title`");
        }
        assert!(
            entry.str_field("description").is_some(),
            "{file}: no `description`"
        );

        let tags = entry.tags();
        assert!(
            (2..=4).contains(&tags.len()),
            "{file}: {} tags; docs/content-guide.md asks for two to four",
            tags.len()
        );
        for tag in &tags {
            assert!(
                vocabulary.contains(tag.as_str()),
                "{file}: tag {tag:?} is not in the site.toml vocabulary"
            );
            used.insert(tag.clone());
        }
    }
    // The vocabulary is the one documented for authors.
    let guide = std::fs::read_to_string(repo().join("docs/content-guide.md")).unwrap();
    for tag in &vocabulary {
        assert!(
            guide.contains(&format!("`{tag}`")),
            "docs/content-guide.md does not explain `{tag}`"
        );
    }
    let unused: Vec<&&str> = vocabulary.iter().filter(|t| !used.contains(**t)).collect();
    assert!(
        unused.is_empty(),
        "vocabulary tags no entry uses: {unused:?}"
    );
}

#[test]
fn legal_entries_defer_to_compliance_policy_and_escalation() {
    let entries = load_entries();
    // The situations the issue says touch the law are tagged `legal`.
    for slug in [
        "customer-threatens-to-sue",
        "customer-threatens-a-regulator-complaint",
        "customer-asks-you-to-stop-calling",
        "customer-says-the-debt-is-not-theirs",
        "third-party-answers-the-phone",
        "customer-says-they-have-a-lawyer",
        "customer-says-you-are-harassing-them",
    ] {
        let faq = of_kind(&entries, "faq")
            .find(|e| e.slug == slug)
            .unwrap_or_else(|| panic!("no content/faq/{slug}.md"));
        assert!(
            faq.tags().iter().any(|t| t == "legal"),
            "{}: not tagged `legal`",
            faq.file
        );
    }

    let legal: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.tags().iter().any(|t| t == "legal"))
        .collect();
    assert!(
        legal.len() >= 8,
        "only {} entries tagged `legal`",
        legal.len()
    );
    // What no say-phrase or instruction may contain: threats, claims about
    // what the law requires, or legal advice.
    let forbidden = [
        "arrest",
        "jail",
        "prison",
        "police",
        "you have no choice",
        "by law",
        "the law requires",
        "legally required",
        "legally obliged",
        "statute",
        "you will lose",
        "you'll lose",
    ];
    for entry in legal {
        let file = &entry.file;
        let guidance = entry.guidance().to_lowercase();
        assert!(
            guidance.contains("compliance policy"),
            "{file}: tagged `legal` but never tells the agent to follow the compliance policy"
        );
        assert!(
            guidance.contains("escalat") || guidance.contains("supervisor"),
            "{file}: tagged `legal` but never says to escalate or involve a supervisor"
        );
        assert!(
            guidance.contains("record")
                || guidance.contains("log ")
                || guidance.contains("documenting-the-call"),
            "{file}: tagged `legal` but never says to record what was said"
        );
        for word in forbidden {
            assert!(
                !guidance.contains(word),
                "{file}: its guidance says {word:?}"
            );
        }
    }
}
