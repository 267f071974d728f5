//! Generated input: property tests throw generated Markdown, front matter
//! and bytes at the pipeline, the slug rule and the Markdown pass, and the
//! inputs they found are kept as a test so they stay fixed.

use super::{render_body, unsafe_markup};
use proptest::prelude::*;
use saywhen::config::SiteConfig;
use saywhen::load::{Content, EntryParser};
use saywhen::render::{OutFile, RenderOptions};
use saywhen::resolve::{ResolveOptions, resolve};
use saywhen::slug::slugify;
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

fn config() -> &'static SiteConfig {
    static C: OnceLock<SiteConfig> = OnceLock::new();
    C.get_or_init(|| {
        SiteConfig::parse("title = \"P\"\nbase_url = \"https://x.example/kb/\"\n").unwrap()
    })
}

fn theme() -> &'static saywhen::render::Theme {
    static T: OnceLock<saywhen::render::Theme> = OnceLock::new();
    T.get_or_init(|| {
        saywhen::render::theme::load(std::path::Path::new("/nonexistent-kb"), config())
            .unwrap_or_else(|_| panic!("the built-in theme loads"))
    })
}

fn assets() -> BTreeSet<String> {
    [
        "faq/chart.png".to_string(),
        "techniques/a b.pdf".to_string(),
    ]
    .into()
}

/// Pieces Markdown and saywhen give meaning to, and text around them.
fn markdown_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,12}",
        "\\PC{0,8}",
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("## ".to_string()),
        Just("# ".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("    ".to_string()),
        Just("```say\n".to_string()),
        Just("```avoid\n".to_string()),
        Just("```\n".to_string()),
        Just("[[a]]".to_string()),
        Just("[[b|x]]".to_string()),
        Just("[[a#top]]".to_string()),
        Just("[[techniques/c]]".to_string()),
        Just("[x](../faq/b.md)".to_string()),
        Just("[x](a.md#top)".to_string()),
        Just("[x](#top)".to_string()),
        Just("[x](../../etc.md)".to_string()),
        Just("![i](chart.png)".to_string()),
        Just("[x](javascript:alert(1))".to_string()),
        Just("[x](/abs)".to_string()),
        Just("{#top}".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("&amp; &#0; &lt;".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{feff}".to_string()),
        Just("+++\n".to_string()),
        Just("*".to_string()),
        Just("_".to_string()),
        Just("`".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("(".to_string()),
        Just("|".to_string()),
        Just("[^1]".to_string()),
        Just("[^1]: n\n".to_string()),
        Just("~~".to_string()),
        Just("- [ ] ".to_string()),
        Just("| a | b |\n|---|---|\n".to_string()),
    ]
}

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(markdown_piece(), 0..40).prop_map(|v| v.concat())
}

fn toml_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z ]{0,10}",
        "\\PC{0,10}",
        Just("</script><img src=x onerror=alert(1)>".to_string()),
        Just("{{ site }}".to_string()),
        Just("a\"b'c".to_string()),
        Just("!!!".to_string()),
        Just(String::new()),
    ]
    .prop_map(|s| toml::Value::String(s).to_string())
}

fn front_line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "title",
        "situation",
        "description",
        "owner",
        "kind",
        "tags",
        "aliases",
        "related",
        "draft",
        "weight",
        "reviewed",
        "tag",
        "extra.x",
    ]);
    let value = prop_oneof![
        toml_string(),
        prop::collection::vec(toml_string(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
        Just("true".to_string()),
        Just("-3".to_string()),
        Just("9223372036854775807".to_string()),
        Just("2026-02-30".to_string()),
        Just("2026-01-31".to_string()),
        Just("07:32:00".to_string()),
        Just("nan".to_string()),
        Just("[\"a\", \"b\"]".to_string()),
        Just("{ a = 1 }".to_string()),
        "\\PC{0,6}",
    ];
    (key, value).prop_map(|(k, v)| format!("{k} = {v}"))
}

fn entry_source() -> impl Strategy<Value = Vec<u8>> {
    let front = prop::collection::vec(front_line(), 0..8).prop_map(|v| v.join("\n"));
    let fence = prop::sample::select(vec!["+++\n", "+++\r\n", "---\n", "", "\u{feff}+++\n"]);
    let close = prop::sample::select(vec!["\n+++\n", "\r\n+++\r\n", "\n", "\n+++"]);
    let noise = prop::collection::vec(any::<u8>(), 0..4);
    (fence, front, close, markdown(), noise, any::<bool>()).prop_map(
        |(fence, front, close, body, noise, with_noise)| {
            let mut bytes = format!("{fence}{front}{close}{body}").into_bytes();
            if with_noise {
                bytes.extend(noise);
            }
            bytes
        },
    )
}

const PATHS: [&str; 4] = [
    "faq/a.md",
    "techniques/b.md",
    "techniques/c.md",
    "playbooks/d.md",
];

/// Every stage after reading the disk, on the generated files.
fn pipeline(files: &[Vec<u8>], drafts: bool) {
    let assets = assets();
    let mut content = Content {
        assets: assets.clone(),
        ..Content::default()
    };
    let parser = EntryParser::new(config(), &assets);
    for (rel, bytes) in PATHS.iter().zip(files) {
        match parser.parse(rel, bytes.clone()) {
            Ok(Some((entry, _))) => content.entries.push(Arc::new(entry)),
            Ok(None) => {}
            Err(diagnostics) => {
                for d in &diagnostics {
                    assert!(d.file.as_deref() == Some(&format!("content/{rel}")[..]));
                    let _ = d.render(false);
                }
                content.failed.insert(rel.to_string());
            }
        }
    }
    let options = ResolveOptions {
        drafts,
        today: time::Date::from_calendar_date(2026, time::Month::June, 1).unwrap(),
    };
    let (site, _) = resolve(content, config(), &options);
    let (output, _) = saywhen::render::render(
        &site,
        theme(),
        std::path::Path::new("/nonexistent-kb"),
        &RenderOptions::default(),
    );
    for (path, file) in &output {
        if let OutFile::Bytes(bytes) = file {
            assert!(!bytes.contains(&0), "{path} holds a NUL");
            // The index and its text files, not the search page.
            if path.starts_with("search/") && path.ends_with(".js") {
                let text = String::from_utf8_lossy(bytes);
                let json = text.split_once('=').map_or("", |x| x.1);
                assert!(!json.contains(['<', '>', '&']), "{path}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_entries_never_panic_the_pipeline(
        files in prop::collection::vec(entry_source(), 1..=4),
        drafts in any::<bool>(),
    ) {
        pipeline(&files, drafts);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_pipeline(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        pipeline(&[bytes], false);
    }

    #[test]
    fn slugify_is_idempotent(text in "\\PC{0,40}") {
        let once = slugify(&text);
        prop_assert_eq!(slugify(&once), once.clone());
        prop_assert!(!once.starts_with('-') && !once.ends_with('-'));
        prop_assert!(!once.contains("--"));
        prop_assert!(once.chars().all(|c| c == '-' || !c.is_whitespace() && !c.is_control()));
    }

    #[test]
    fn slugify_is_stable_across_normal_forms_and_case(text in "\\PC{0,40}") {
        use unicode_normalization::UnicodeNormalization;
        let nfc: String = text.nfc().collect();
        let nfd: String = text.nfd().collect();
        prop_assert_eq!(slugify(&nfc), slugify(&nfd));
        prop_assert_eq!(slugify(&text.to_uppercase()), slugify(&text.to_lowercase()));
    }

    /// Names made of different words get different slugs; only case,
    /// punctuation and spacing between words may fold together, as the
    /// README's slug rule says.
    #[test]
    fn different_words_give_different_slugs(
        a in prop::collection::vec("[a-zA-Z0-9éüßçñøÅ日本語]{1,6}", 1..5),
        b in prop::collection::vec("[a-zA-Z0-9éüßçñøÅ日本語]{1,6}", 1..5),
        sep_a in "[ _.,!?/()-]{1,3}",
        sep_b in "[ _.,!?/()-]{1,3}",
    ) {
        // Words compare with case folded, as the slug rule folds it.
        let fold = |w: &String| w.chars().flat_map(char::to_uppercase).flat_map(char::to_lowercase).collect::<String>();
        let words = |v: &Vec<String>| v.iter().map(fold).collect::<Vec<_>>();
        let (sa, sb) = (slugify(&a.join(&sep_a)), slugify(&b.join(&sep_b)));
        prop_assert_eq!(sa == sb, words(&a) == words(&b), "{:?} {:?}", sa, sb);
    }

    /// Any text as a paragraph: the HTML parses back to the same text,
    /// with no element but the paragraph. Punctuation is written with
    /// Markdown's backslash escapes, so `>`, `1.`, `&amp;` or `<a:b>`
    /// stay text instead of becoming a quote, a list, an entity or a
    /// link; the HTML must still escape every `<`, `&` and quote.
    #[test]
    fn plain_text_renders_to_well_formed_html(text in "[a-zA-Z0-9 <>&\"'/=;:{}%.,!?éü日]{1,80}") {
        let escaped: String = text
            .chars()
            .flat_map(|c| c.is_ascii_punctuation().then_some('\\').into_iter().chain([c]))
            .collect();
        let html = super::render_body(&escaped);
        let fragment = scraper::Html::parse_fragment(&html);
        let names: Vec<String> = fragment
            .root_element()
            .descendants()
            .filter_map(|n| n.value().as_element().map(|e| e.name().to_string()))
            .collect();
        let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if expected.is_empty() {
            return Ok(());
        }
        prop_assert_eq!(names, vec!["html".to_string(), "p".to_string()], "{}", html);
        let shown: String = fragment.root_element().text().collect();
        prop_assert_eq!(shown.split_whitespace().collect::<Vec<_>>().join(" "), expected);
    }

    /// Any Markdown: only harmless elements, no event handlers or
    /// script URLs, whatever the input.
    #[test]
    fn arbitrary_markdown_renders_only_safe_elements(body in markdown()) {
        let html = super::render_body(&body);
        let found = super::unsafe_markup(&html);
        prop_assert!(found.is_none(), "{} in {}", found.unwrap_or_default(), html);
    }
}

/// Inputs the property tests found, kept so they stay fixed.
#[test]
fn property_regressions_render_only_safe_elements() {
    // A fenced code block whose info string is a link became
    // `<code class="language-[x](javascript:alert(1))">`.
    for body in [
        "[[a]][^1]: n\n~~~~[x](javascript:alert(1))",
        "```[x](javascript:alert(1))\ncode\n```\n",
        "~~~ \"onmouseover=alert(1)\nx\n~~~\n",
    ] {
        let html = render_body(body);
        assert_eq!(unsafe_markup(&html), None, "{body:?} rendered {html}");
    }
}
