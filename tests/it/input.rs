//! Input that used to get past `check` and fail later, or never: names too
//! long for a file system, a `base_url` that is no web address, a
//! `site.toml` that is not UTF-8, titles `new` wrote into files saywhen then
//! rejected, and a playbook branch to an unknown entry. Each is caught by
//! `check` with the file, line and fix, exactly as `build` reports it.

use crate::support::*;

/// `check` and `build` both fail with exit 1 and print `expected`, and the
/// knowledge base is left exactly as it was, with no output folder.
#[track_caller]
fn check_and_build_refuse(kb: &Kb, expected: &str) {
    let before = tree(kb.path());
    for command in ["check", "build"] {
        kb.run(&[command]).failure(1).stderr_has(expected);
    }
    assert!(!kb.out().exists(), "build wrote an output folder");
    assert_eq!(tree(kb.path()), before, "the knowledge base changed");
}

// ---------------------------------------------------------------------------
// Names too long for a file system
// ---------------------------------------------------------------------------

#[test]
fn an_entry_whose_page_name_is_too_long_fails_check_as_build_would() {
    let kb = Kb::small();
    // 250 bytes, `.html` added: 255, the most ext4 allows. It builds.
    let longest = "a".repeat(250);
    kb.write(
        &format!("content/faq/{longest}.md"),
        &entry("situation = \"longest name\"", "[[escalated-call]]"),
    );
    kb.run(&["check"]).success();
    kb.run(&["build"]).success();
    assert!(
        kb.read(&format!("faq/{longest}.html"))
            .contains("longest name")
    );
    kb.remove(&format!("content/faq/{longest}.md"));
    std::fs::remove_dir_all(kb.out()).unwrap();

    // A legal file name (251 letters and `.md`) whose page would not be.
    let long = "a".repeat(251);
    kb.write(
        &format!("content/faq/{long}.md"),
        &entry("situation = \"long name\"", "[[escalated-call]]"),
    );
    check_and_build_refuse(
        &kb,
        &format!(
            "error: file name is too long: its page, `faq/{}….html`, would be 256 bytes, and file systems allow 255\n --> content/faq/{long}.md\n  = help: rename the file: its page is named after it, so its name without `.md` may take at most 250 bytes (a letter outside ASCII takes 2 to 4)\n",
            "a".repeat(40)
        ),
    );
    kb.run(&["check"]).stderr_has("1 error, 0 warnings");
}

#[test]
fn names_are_measured_in_bytes_not_characters() {
    let kb = Kb::small();
    // 83 letters of three bytes each: 249 bytes, a page of 254.
    let fits = "日".repeat(83);
    kb.write(
        &format!("content/faq/{fits}.md"),
        &entry("situation = \"fits\"", "[[escalated-call]]"),
    );
    kb.run(&["build"]).success();
    assert!(kb.out().join(format!("faq/{fits}.html")).is_file());
    kb.remove(&format!("content/faq/{fits}.md"));

    // 84 of them: a file name of 255 bytes, but a page of 257.
    let long = "日".repeat(84);
    kb.write(
        &format!("content/faq/{long}.md"),
        &entry("situation = \"too long\"", "[[escalated-call]]"),
    );
    let before = tree(kb.out().as_path());
    for command in ["check", "build"] {
        kb.run(&[command]).failure(1).stderr_has(&format!(
            "error: file name is too long: its page, `faq/{}….html`, would be 257 bytes, and file systems allow 255\n --> content/faq/{long}.md\n",
            "日".repeat(40)
        ));
    }
    assert_eq!(tree(kb.out().as_path()), before, "the last good site stays");
}

#[test]
fn a_tag_too_long_for_its_page_fails_check_at_its_line() {
    let kb = Kb::small();
    let longest = "b".repeat(250);
    kb.write(
        "content/faq/long-tag.md",
        &entry(
            &format!("situation = \"long tag\"\ntags = [\"{longest}\"]"),
            "[[escalated-call]]",
        ),
    );
    kb.run(&["build"]).success();
    assert!(
        kb.read(&format!("tags/{longest}.html"))
            .contains("long-tag.html")
    );
    std::fs::remove_dir_all(kb.out()).unwrap();

    // 300 characters, spaces included: its slug is 300 bytes too.
    let tag = format!("{} {}", "b".repeat(150), "c".repeat(149));
    kb.write(
        "content/faq/long-tag.md",
        &entry(
            &format!("situation = \"long tag\"\nowner = \"Desk\"\ntags = [\"legal\", \"{tag}\"]"),
            "[[escalated-call]]",
        ),
    );
    // The source line is shown cut to a window of 120 characters.
    let line: String = format!("tags = [\"legal\", \"{tag}\"]")
        .chars()
        .take(120)
        .collect();
    check_and_build_refuse(
        &kb,
        &format!(
            "error: tag `{b}…` is too long: its page, `tags/{b}….html`, would be 305 bytes, and file systems allow 255\n --> content/faq/long-tag.md:4:1\n  |\n4 | {line}…\n  | ^^^^\n  = help: shorten the tag: its page is named after its letters and digits, which may take at most 250 bytes (a letter outside ASCII takes 2 to 4); a tag is meant to be a word or two\n",
            b = "b".repeat(40)
        ),
    );
}

// ---------------------------------------------------------------------------
// base_url
// ---------------------------------------------------------------------------

const BASE_URL_HELP: &str = "  = help: write the address the site is published at, e.g. `base_url = \"https://intranet.example/kb/\"`, or only its path (`\"/kb/\"`); it goes into every page's canonical link and the sitemap\n";

#[test]
fn a_base_url_that_is_no_web_address_is_an_error_at_its_line() {
    let kb = Kb::small();
    for (value, problem) in [
        (
            "javascript:alert(1)//",
            "`javascript:alert(1)//` is a `javascript:` URL",
        ),
        ("data:text/html,hi", "`data:text/html,hi` is a `data:` URL"),
        ("not a url", "`not a url` is neither"),
        (
            "//intranet.example/kb/",
            "`//intranet.example/kb/` leaves out the scheme; write `https://intranet.example/kb/`",
        ),
        (
            "https://intranet.example/kb/?v=2",
            "it has a query or fragment (`?`, `#`), which no page's path can follow",
        ),
    ] {
        kb.write(
            "site.toml",
            &format!("title = \"Test KB\"\nbase_url = \"{value}\"\n"),
        );
        let carets = "^".repeat(value.chars().count() + 2);
        check_and_build_refuse(
            &kb,
            &format!(
                "error: invalid site.toml: `base_url` must be an absolute http:// or https:// URL, or a path starting with `/`: {problem}\n --> site.toml:2:12\n  |\n2 | base_url = \"{value}\"\n  |            {carets}\n{BASE_URL_HELP}"
            ),
        );
    }
}

#[test]
fn a_base_url_may_be_a_path_alone() {
    let kb = Kb::small();
    kb.write("site.toml", "title = \"Test KB\"\nbase_url = \"/kb\"\n");
    kb.run(&["build"]).success();
    assert!(
        kb.read("faq/customer-threatens-to-sue.html")
            .contains("<link rel=\"canonical\" href=\"/kb/faq/customer-threatens-to-sue.html\">")
    );
    assert!(kb.read("sitemap.xml").contains("<loc>/kb/index.html</loc>"));
}

#[test]
fn the_base_url_flag_is_checked_the_same_way() {
    let kb = Kb::small();
    let before = tree(kb.path());
    let run = kb.run(&["build", "--base-url", "javascript:alert(1)//"]);
    run.failure(2);
    assert_eq!(
        run.stderr,
        "error: --base-url must be an absolute http:// or https:// URL, or a path starting with `/` (like https://intranet.example/kb/ or /kb/): `javascript:alert(1)//` is a `javascript:` URL\n"
    );
    assert_eq!(tree(kb.path()), before);
    kb.run(&["build", "--base-url", "not a url"])
        .failure(2)
        .stderr_has("--base-url must be")
        .stderr_has(": `not a url` is neither\n");
    kb.run(&["build", "--base-url", "https://kb.example.com/kb"])
        .success();
    assert!(
        kb.read("index.html")
            .contains("href=\"https://kb.example.com/kb/index.html\"")
    );
}

// ---------------------------------------------------------------------------
// site.toml encoding
// ---------------------------------------------------------------------------

#[test]
fn a_site_toml_that_is_not_utf8_is_located_like_an_entry() {
    let kb = Kb::small();
    kb.write_bytes(
        "site.toml",
        b"title = \"Test KB\"\ndescription = \"Caf\xe9\"\n",
    );
    let expected = "error: file is not valid UTF-8 (bad byte 0xe9 on line 2)\n --> site.toml:2:19\n  |\n2 | description = \"Caf\u{fffd}\"\n  |                   ^\n  = help: save the file with UTF-8 encoding (most editors: \"Save with encoding\" → UTF-8); files from older Windows tools are often Windows-1252\n\n1 error, 0 warnings\n";
    for command in ["check", "build"] {
        let run = kb.run(&[command]);
        run.failure(1);
        assert_eq!(run.stderr, expected, "{command}");
    }
    assert!(!kb.out().exists());

    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("title = \"T\"\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    kb.write_bytes("site.toml", &utf16);
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: file is UTF-16, not UTF-8\n --> site.toml\n");
}

// ---------------------------------------------------------------------------
// Playbook branches
// ---------------------------------------------------------------------------

/// The small knowledge base's playbook, its first step one jump to
/// `target`.
fn playbook_jumping_to(target: &str) -> Kb {
    let kb = Kb::small();
    kb.write(
        "content/playbooks/escalated-call.md",
        &entry(
            "title = \"Taking over an escalated call\"",
            &format!(
                "Intro linking [[active-listening]] and [[customer-threatens-to-sue]].\n\n## Listen\n\n→ [[{target}]]\n\n## Close\n\nSay goodbye.\n"
            ),
        ),
    );
    kb
}

const UNREACHABLE: &str = "\
error: step 2 “Close” can never be reached: step 1 ends in branches, and none of them leads to step 2
  --> content/playbooks/escalated-call.md:10:1
   |
10 | ## Close
   | ^^^^^^^^
   = help: add a branch `→ step 2` where the call can lead here, or remove the step

2 errors, 0 warnings
";

#[test]
fn a_branch_to_an_unknown_entry_is_reported_with_the_step_it_cuts_off() {
    let kb = playbook_jumping_to("active-listenin");
    let before = tree(kb.path());
    for command in ["check", "build"] {
        let run = kb.run(&[command]);
        run.failure(1);
        assert_eq!(
            run.stderr,
            format!(
                "\
error: link to unknown entry `active-listenin`
 --> content/playbooks/escalated-call.md:8:5
  |
8 | → [[active-listenin]]
  |     ^^^^^^^^^^^^^^^
  = help: did you mean `active-listening`?

{UNREACHABLE}{}",
                if command == "build" {
                    format!("build failed: {} was left as it was\n", kb.out().display())
                } else {
                    String::new()
                }
            ),
            "{command}"
        );
    }
    assert!(!kb.out().exists());
    assert_eq!(tree(kb.path()), before);

    let kb = playbook_jumping_to("nonexistent");
    let run = kb.run(&["check"]);
    run.failure(1);
    assert_eq!(
        run.stderr,
        format!(
            "\
error: link to unknown entry `nonexistent`
 --> content/playbooks/escalated-call.md:8:5
  |
8 | → [[nonexistent]]
  |     ^^^^^^^^^^^
  = help: link to an existing entry by slug (`[[active-listening]]`) or by relative path (`../techniques/active-listening.md`)

{UNREACHABLE}"
        )
    );
}

#[test]
fn a_jump_to_a_known_entry_reports_only_the_unreachable_step() {
    let kb = playbook_jumping_to("active-listening");
    let run = kb.run(&["check"]);
    run.failure(1);
    assert_eq!(
        run.stderr,
        UNREACHABLE.replace("2 errors, 0 warnings", "1 error, 0 warnings")
    );
    assert!(!kb.out().exists());
}

// ---------------------------------------------------------------------------
// `saywhen new`
// ---------------------------------------------------------------------------

/// The Markdown files under `content/`.
fn entries_of(kb: &Kb) -> Vec<String> {
    tree(&kb.path().join("content"))
        .into_keys()
        .filter(|p| p.ends_with(".md"))
        .collect()
}

#[test]
fn new_refuses_a_title_that_would_end_the_front_matter() {
    let kb = Kb::new();
    let run = kb.run(&["new", "faq", "the customer\n+++\nsays hi"]);
    run.failure(2);
    assert_eq!(
        run.stderr,
        "error: the title holds a line break (character 13); a title is one line of text, so remove it\n"
    );
    kb.run(&["new", "playbook", "Bell\u{7} ringing"])
        .failure(2)
        .stderr_has("error: the title holds the control character U+0007 (character 5); a title is one line of text, so remove it\n");
    kb.run(&["new", "technique", "tab\there"])
        .failure(2)
        .stderr_has("error: the title holds a tab (character 4)");
    assert!(entries_of(&kb).is_empty());
}

#[test]
fn new_escapes_quotes_and_backslashes_so_the_title_comes_back_whole() {
    let kb = Kb::new();
    let title = r#"Say "no" \ politely, \"twice\" ''' +++"#;
    kb.run(&["new", "technique", title]).success();
    let situation = r#"the caller says "C:\temp" is 'mine'"#;
    kb.run(&["new", "faq", situation]).success();
    kb.run(&["check"]).success();
    kb.run(&["build"]).success();
    let h1 = |page: &str| {
        let doc = scraper::Html::parse_document(&kb.read(page));
        let h1 = scraper::Selector::parse("h1").unwrap();
        doc.select(&h1).next().map(|e| e.text().collect::<String>())
    };
    assert_eq!(
        h1("techniques/say-no-politely-twice.html").as_deref(),
        Some(title)
    );
    assert_eq!(
        h1("faq/caller-says-c-temp-is-mine.html"),
        Some(format!("What should I say when {situation}?"))
    );
}

#[test]
fn new_refuses_slugs_the_site_cannot_take() {
    let kb = Kb::small();
    let before = tree(kb.path());
    kb.run(&["new", "playbook", "Index"])
        .failure(2)
        .stderr_has("error: the title `Index` would make the file `playbooks/index.md`, but `index` is the name of each kind's listing page; choose another title\n");
    // Slugs are unique across kinds, and names differing in case collide.
    kb.run(&["new", "faq", "Active Listening"])
        .failure(2)
        .stderr_has("error: content/techniques/active-listening.md already has the slug `active-listening`, and slugs are unique across kinds; edit it, or choose another title\n");
    kb.run(&["new", "technique", "active listening"])
        .failure(2)
        .stderr_has("active-listening.md already exists; edit it, or choose another title\n");
    kb.run(&["new", "faq", "?!"])
        .failure(2)
        .stderr_has("error: the title `?!` has no letters or digits to make a file name from\n");
    assert_eq!(tree(kb.path()), before);
}

#[test]
fn new_shortens_a_long_title_to_a_file_name_that_fits() {
    let kb = Kb::new();
    let title = "the customer keeps asking ".repeat(20);
    let run = kb.run(&["new", "faq", &title]);
    run.success();
    let written = entries_of(&kb);
    assert_eq!(written.len(), 1, "{written:?}");
    let name = written[0].strip_prefix("faq/").unwrap();
    let slug = name.strip_suffix(".md").unwrap();
    // Cut at the end of a word of the title's whole slug.
    let whole = saywhen::slug::slugify(&title).replacen("the-", "", 1);
    assert!(slug.len() <= 250 && slug.len() > 240, "{slug}");
    assert!(whole[slug.len()..].starts_with('-'), "{slug}");
    assert!(whole.starts_with(slug), "{slug}");
    kb.run(&["check"]).success();
    kb.run(&["build"]).success();
    assert!(
        kb.read(&format!("faq/{slug}.html"))
            .contains(&format!("What should I say when {}?", title.trim()))
    );
}

mod properties {
    use proptest::prelude::*;
    use saywhen::cli::{Cli, run};

    /// Characters that TOML, the front matter or the slug rule give meaning
    /// to, among any others.
    fn title() -> impl Strategy<Value = String> {
        let special = prop::sample::select(vec![
            '"', '\\', '\'', '\n', '\r', '\t', '+', '=', '#', '[', ']', '{', '}', '$', ' ', 'a',
            'Z', '1', 'İ', 'ß', '\u{7f}', '\u{85}', '\u{2028}', '\u{feff}', '\u{301}', '→',
        ]);
        prop::collection::vec(prop_oneof![any::<char>(), special], 0..24)
            .prop_map(String::from_iter)
    }

    /// Runs `saywhen --root DIR ARGS…` in this process, as `main` would:
    /// the exit code, or the message of an error (exit 2).
    fn saywhen(dir: &std::path::Path, args: &[&str]) -> Result<u8, String> {
        use clap::Parser as _;
        let cli = Cli::try_parse_from(
            ["saywhen", "--root", dir.to_str().unwrap()]
                .into_iter()
                .chain(args.iter().copied()),
        )
        .map_err(|e| e.to_string())?;
        run(cli).map_err(|e| format!("{e:#}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(128),
            failure_persistence: None,
            .. ProptestConfig::default()
        })]

        /// Every title `new` accepts gives a file that `check` passes and
        /// that reads back as that title; it refuses only titles with a
        /// control character or without a usable slug.
        #[test]
        fn every_title_new_accepts_checks_cleanly(
            title in title(),
            kind in prop::sample::select(saywhen::load::Kind::ALL.to_vec()),
        ) {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("site.toml"), "title = \"T\"\n").unwrap();
            std::fs::create_dir(dir.path().join("content")).unwrap();
            let control = title.trim().chars().any(char::is_control);
            match saywhen(dir.path(), &["new", kind.name(), "--", &title]) {
                Ok(code) => {
                    prop_assert_eq!(code, 0);
                    prop_assert!(!control, "accepted a control character");
                    prop_assert_eq!(saywhen(dir.path(), &["check"]), Ok(0));
                    let content = dir.path().join("content");
                    let (files, _) = saywhen::load::discover(
                        &content,
                        &mut saywhen::diag::Diagnostics::new(),
                    ).unwrap();
                    prop_assert_eq!(files.len(), 1);
                    let config = saywhen::config::SiteConfig::parse("title = \"T\"\n").unwrap();
                    let bytes = std::fs::read(content.join(&files[0])).unwrap();
                    let entry = match saywhen::load::EntryParser::new(&config, &Default::default()).parse(&files[0], bytes) {
                        Ok(Some((entry, _))) => entry,
                        other => panic!("{other:?}"),
                    };
                    let title = title.trim();
                    if kind.derives_title() {
                        let situation = saywhen::load::clean_situation(title);
                        prop_assert_eq!(entry.front.situation.as_deref(), Some(situation.as_str()));
                    } else {
                        prop_assert_eq!(entry.title.as_str(), title);
                    }
                }
                Err(message) => {
                    let slug = saywhen::slug::slugify(title.trim());
                    prop_assert!(
                        control
                            || message.contains("has no letters or digits")
                            || message.contains("`index` is the name"),
                        "refused {:?}: {}", title, message
                    );
                    prop_assert!(control || slug.is_empty() || slug.ends_with("index"), "{}", message);
                    prop_assert!(!message.contains(['\n', '\u{1b}']), "{:?}", message);
                }
            }
        }
    }
}
