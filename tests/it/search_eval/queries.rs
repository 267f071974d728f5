//! The query set, `tests/search_eval/queries.toml`: each query with the
//! entry that answers it and the kind of wording it tests. A mistake in the
//! file fails the evaluation with the file, the line and what to write.

use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;
use toml::Spanned;

/// Where the query set is, relative to the repository.
pub(crate) const QUERIES: &str = "tests/search_eval/queries.toml";

/// The kinds of wording, in the order the report lists them.
pub(crate) const CLASSES: &[&str] = &["everyday", "typo", "spelling", "long", "jargon", "regional"];

#[derive(Debug, Clone)]
pub(crate) struct Query {
    pub(crate) query: String,
    /// The slug of the entry that answers it.
    pub(crate) expect: String,
    pub(crate) class: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    test: Vec<Test>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Test {
    query: Spanned<String>,
    expect: Spanned<String>,
    class: Spanned<String>,
}

/// The queries of [`QUERIES`], each checked against `slugs`, the entries
/// the site has.
pub(crate) fn read(slugs: &BTreeSet<String>) -> Result<Vec<Query>, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(QUERIES);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {QUERIES}: {e}"))?;
    parse(&text, slugs)
}

/// [`read`] on the file's text, errors naming [`QUERIES`] and the line.
pub(crate) fn parse(text: &str, slugs: &BTreeSet<String>) -> Result<Vec<Query>, String> {
    let file: File = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| format!(":{}", line_of(text, s.start)))
            .unwrap_or_default();
        format!(
            "{QUERIES}{at}: {}; each query is a [[test]] table with `query`, `expect` (an entry's slug) and `class` strings",
            e.message().trim_end()
        )
    })?;
    let mut problems = Vec::new();
    let mut queries = Vec::new();
    for test in file.test {
        let at = |s: &Spanned<String>| format!("{QUERIES}:{}", line_of(text, s.span().start));
        if test.query.get_ref().trim().is_empty() {
            problems.push(format!(
                "{}: the query is empty; write the words an agent would type",
                at(&test.query)
            ));
        }
        if !slugs.contains(test.expect.get_ref()) {
            problems.push(format!(
                "{}: `expect = {:?}` is no entry of the bundled knowledge base; write an entry's file name without .md (as in content/faq/customer-threatens-to-sue.md → \"customer-threatens-to-sue\")",
                at(&test.expect),
                test.expect.get_ref()
            ));
        }
        if !CLASSES.contains(&test.class.get_ref().as_str()) {
            problems.push(format!(
                "{}: `class = {:?}` is not one of {}",
                at(&test.class),
                test.class.get_ref(),
                CLASSES.join(", ")
            ));
        }
        queries.push(Query {
            query: test.query.into_inner(),
            expect: test.expect.into_inner(),
            class: test.class.into_inner(),
        });
    }
    if queries.is_empty() {
        problems.push(format!("{QUERIES}: no queries; add [[test]] tables"));
    }
    if problems.is_empty() {
        Ok(queries)
    } else {
        Err(problems.join("\n"))
    }
}

/// The 1-based line of byte `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

#[test]
fn a_wrong_slug_or_class_names_the_line_and_the_fix() {
    let slugs: BTreeSet<String> = ["customer-threatens-to-sue".to_string()].into();
    let good =
        "[[test]]\nquery = \"sue\"\nexpect = \"customer-threatens-to-sue\"\nclass = \"everyday\"\n";
    assert_eq!(parse(good, &slugs).unwrap().len(), 1);
    let bad =
        "[[test]]\nquery = \"sue\"\nexpect = \"customer-threatens-to-su\"\nclass = \"casual\"\n";
    let err = parse(bad, &slugs).unwrap_err();
    assert!(
        err.contains("queries.toml:3: `expect = \"customer-threatens-to-su\"` is no entry"),
        "{err}"
    );
    assert!(
        err.contains("queries.toml:4: `class = \"casual\"` is not one of everyday"),
        "{err}"
    );
    let err = parse("[[test]]\nquery = \"sue\"\nexpected = \"x\"\n", &slugs).unwrap_err();
    assert!(
        err.starts_with("tests/search_eval/queries.toml:3: unknown field `expected`"),
        "{err}"
    );
}
