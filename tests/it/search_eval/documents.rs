//! The bundled knowledge base as MiniSearch documents: each entry's fields
//! read through saywhen's own loader, so both engines index the same text.

use serde::Serialize;
use std::path::Path;

/// One entry, with the fields saywhen's index keeps apart.
#[derive(Debug, Serialize)]
pub(crate) struct Document {
    /// The slug: MiniSearch's id, and what the query set's `expect` names.
    pub(crate) id: String,
    title: String,
    situation: String,
    aliases: String,
    headings: String,
    tags: String,
    phrases: String,
    description: String,
    body: String,
}

impl Document {
    /// A document with only a body, for the tests of the MiniSearch set-up.
    pub(crate) fn for_test(id: &str, body: &str) -> Document {
        Document {
            id: id.into(),
            title: String::new(),
            situation: String::new(),
            aliases: String::new(),
            headings: String::new(),
            tags: String::new(),
            phrases: String::new(),
            description: String::new(),
            body: body.into(),
        }
    }
}

/// Every entry of the site at `root`, in saywhen's listing order.
pub(crate) fn load(root: &Path) -> Vec<Document> {
    let site_toml = root.join("site.toml");
    let text = std::fs::read_to_string(&site_toml)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", site_toml.display()));
    let config = saywhen::config::SiteConfig::parse(&text)
        .unwrap_or_else(|d| panic!("{}: {}", site_toml.display(), d.message));
    let (content, diagnostics) = saywhen::load::load(root, &config).expect("load content/");
    assert!(
        !diagnostics.has_errors(),
        "the knowledge base at {} does not load: {diagnostics:?}",
        root.display()
    );
    content
        .entries
        .iter()
        .map(|e| {
            // A site large enough to spool its bodies would hand back empty
            // text here; the bundled one is far below that size.
            assert!(
                e.body.spooled.is_none(),
                "{}: body text was spooled",
                e.file
            );
            let situation = e
                .front
                .situation
                .as_deref()
                .filter(|_| e.kind().derives_title());
            Document {
                id: e.slug().to_string(),
                title: e.title.clone(),
                situation: situation.unwrap_or_default().to_string(),
                aliases: e.front.aliases().join("\n"),
                headings: lines(e.body.headings.iter().map(|h| h.text())),
                tags: e.front.tags().join("\n"),
                phrases: lines(e.body.say_phrases()),
                description: e.front.description().unwrap_or_default().to_string(),
                body: e.body.text.clone(),
            }
        })
        .collect()
}

/// Each text on a line of its own, so no two run into one word.
fn lines<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    texts.collect::<Vec<_>>().join("\n")
}

/// The `[search.synonyms]` groups of the site at `root`: each key with its
/// words, as one list.
pub(crate) fn synonym_groups(root: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(root.join("site.toml")).expect("read site.toml");
    let config = saywhen::config::SiteConfig::parse(&text).expect("parse site.toml");
    config
        .synonyms()
        .iter()
        .map(|(key, words)| {
            std::iter::once(key.clone())
                .chain(words.iter().cloned())
                .collect()
        })
        .collect()
}

#[test]
fn every_field_saywhen_indexes_reaches_the_documents() {
    let docs = load(Path::new(env!("CARGO_MANIFEST_DIR")));
    let sue = docs
        .iter()
        .find(|d| d.id == "customer-threatens-to-sue")
        .expect("the bundled FAQ customer-threatens-to-sue");
    assert_eq!(
        sue.title,
        "What should I say when the customer threatens to sue?"
    );
    assert_eq!(sue.situation, "the customer threatens to sue");
    assert!(sue.aliases.contains("take us to court"), "{}", sue.aliases);
    assert!(sue.tags.split('\n').any(|t| t == "legal"), "{}", sue.tags);
    for (name, field) in [
        ("headings", &sue.headings),
        ("phrases", &sue.phrases),
        ("body", &sue.body),
    ] {
        assert!(!field.trim().is_empty(), "{name} is empty");
    }
    assert!(
        docs.iter().any(|d| !d.description.is_empty()),
        "no entry has a description"
    );
    let groups = synonym_groups(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        groups
            .iter()
            .any(|g| g[0] == "sue" && g.contains(&"legal action".to_string())),
        "{groups:?}"
    );
}
