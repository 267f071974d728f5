//! The table of kinds (`saywhen::load::Kind`) against every place a kind
//! must appear outside it: the README's table of kinds and folder list,
//! `saywhen new`, and the built site with its search index. (The bundled
//! knowledge base's examples of each kind are checked in `content`.) A kind
//! added to the table and missing from any of them fails here.

use crate::support::Kb;
use saywhen::load::Kind;
use std::path::PathBuf;

fn readme() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The README's table of kinds, as the table of kinds gives it.
fn kinds_table() -> String {
    let mut table = String::from(
        "| kind | folder | badge | listing heading | title | page | sections `new` writes |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for kind in Kind::ALL {
        let info = kind.info();
        let title = if info.derives_title {
            "from `situation`, required: \"What should I say when *situation*?\""
        } else {
            "`title`, required"
        };
        let mut page = Vec::new();
        if info.steps {
            page.push("each `##` heading is a step: numbered, outlined, linked to the next");
        }
        if info.used_in {
            page.push("lists the entries with steps that link to it, under \"Used in\"");
        }
        if info.derives_title {
            page.push(
                "listed by situation and in the A–Z; search results show the say-phrase that best matches the query",
            );
        }
        let page = if page.is_empty() {
            "—".to_string()
        } else {
            page.join("; ")
        };
        let sections: Vec<&str> = info
            .new_body
            .lines()
            .filter_map(|l| l.strip_prefix("## "))
            .collect();
        table.push_str(&format!(
            "| `{}` | `content/{}/` | {} | {} | {title} | {page} | {} |\n",
            info.name,
            info.dir,
            info.label,
            info.plural_label,
            sections.join(", "),
        ));
    }
    table
}

#[test]
fn the_readme_table_of_kinds_is_the_table_of_kinds() {
    let readme = readme();
    let (start, end) = ("<!-- kinds: start -->\n", "<!-- kinds: end -->");
    let from = readme
        .find(start)
        .unwrap_or_else(|| panic!("README.md has no `{}` line", start.trim()))
        + start.len();
    let to = from
        + readme[from..]
            .find(end)
            .unwrap_or_else(|| panic!("README.md has no `{end}` line"));
    let expected = kinds_table();
    assert!(
        readme[from..to].trim_matches('\n') == expected.trim_end(),
        "README.md's table of kinds differs from src/load/kind.rs; put this between the markers:\n{expected}"
    );
}

#[test]
fn the_readme_folder_list_names_every_kind() {
    let readme = readme();
    for kind in Kind::ALL {
        let line = format!("\n  {}/<slug>.md ", kind.dir());
        assert!(
            readme.contains(&line),
            "README.md's list of folders has no `{}` line",
            line.trim()
        );
    }
}

#[test]
fn new_writes_an_entry_of_every_kind_that_the_site_publishes() {
    let kb = Kb::new();
    let mut written = Vec::new();
    for kind in Kind::ALL {
        let title = if kind.derives_title() {
            format!("the customer asks about the {} kind", kind.name())
        } else {
            format!("Working with the {} kind", kind.name())
        };
        let run = kb.run(&["new", kind.name(), &title]);
        run.success();
        written.push(PathBuf::from(run.stdout.trim()));
    }
    for path in &written {
        assert!(
            path.is_file(),
            "new prints the file it wrote: {}",
            path.display()
        );
    }
    kb.run(&["check"]).success();
    kb.run(&["build"]).success();

    let index = kb.read("search/index.js");
    let json = index
        .strip_prefix("window.SAYWHEN_SEARCH=")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("the index is one assignment");
    let index: serde_json::Value = serde_json::from_str(json).expect("the index is JSON");
    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    let labels: Vec<&str> = Kind::ALL.iter().map(|k| k.label()).collect();
    let derived: Vec<bool> = Kind::ALL.iter().map(|k| k.derives_title()).collect();
    assert_eq!(index["kinds"], serde_json::json!(names));
    assert_eq!(index["kind_labels"], serde_json::json!(labels));
    assert_eq!(index["kind_derives_title"], serde_json::json!(derived));
    let docs = index["docs"].as_array().expect("docs");
    assert_eq!(docs.len(), Kind::ALL.len());

    let home = kb.read("index.html");
    for kind in Kind::ALL {
        let slug = if kind.derives_title() {
            format!("customer-asks-about-the-{}-kind", kind.name())
        } else {
            format!("working-with-the-{}-kind", kind.name())
        };
        let url = format!("{}/{slug}.html", kind.dir());
        let page = kb.read(&url);
        assert!(
            page.contains(&format!(
                "<p class=\"kind-badge kind-{}\">{}</p>",
                kind.name(),
                kind.label()
            )),
            "{url} has no badge for its kind"
        );
        let listing = kb.read(&format!("{}/index.html", kind.dir()));
        assert!(
            listing.contains(&format!("<h1>{}</h1>", kind.plural_label())),
            "{}/index.html has no heading",
            kind.dir()
        );
        assert!(
            listing.contains(&format!("href=\"../{url}\"")),
            "{}/index.html does not list {url}",
            kind.dir()
        );
        assert!(
            home.contains(&format!("href=\"{}/index.html\"", kind.dir())),
            "the home page has no link to {}/",
            kind.dir()
        );
        // The search index names the entry's kind by its place in the table.
        let doc = docs
            .iter()
            .find(|d| d[1] == serde_json::json!(url))
            .unwrap_or_else(|| panic!("{url} is not in the search index"));
        assert_eq!(doc[2], serde_json::json!(kind.index()), "{url}");
    }
}
