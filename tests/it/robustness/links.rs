//! Hostile links: out of content, absolute paths, script URLs, self links
//! and cycles, symlink loops and symlinks out of content.

use super::{HANG_GUARD, run_within};
use crate::support::*;

#[test]
fn links_out_of_content_absolute_paths_and_script_urls_are_refused() {
    let kb = Kb::small();
    kb.write(
        "content/faq/hostile-links.md",
        &entry(
            "situation = \"hostile links\"",
            concat!(
                "[[escalated-call]]\n",
                "[a](../../secret.md)\n",
                "[b](%2e%2e/%2e%2e/site.toml)\n",
                "[c](/etc/passwd)\n",
                "[d](C:\\Windows\\win.ini)\n",
                "[e](javascript:alert(1))\n",
                "[f](JaVaScRiPt:alert(1))\n",
                "![g](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)\n",
                "[h](vbscript:msgbox)\n",
                "<javascript:alert(2)>\n",
                "[i](file:///etc/passwd)\n",
                "[j](\\\\server\\share\\x.md)\n",
            ),
        ),
    );
    let run = run_within(&kb, &["check"], HANG_GUARD);
    let f = "content/faq/hostile-links.md";
    // From line 10 on, the gutter is one column wider.
    run.failure(1)
        .stderr_has(&format!("error: link `../../secret.md` leaves the content folder\n --> {f}:5:5\n"))
        .stderr_has(&format!("error: link `%2e%2e/%2e%2e/site.toml` leaves the content folder\n --> {f}:6:5\n"))
        .stderr_has(&format!("error: absolute path `/etc/passwd` in a link\n --> {f}:7:5\n"))
        .stderr_has(&format!("error: absolute path `C:\\Windows\\win.ini` in a link\n --> {f}:8:5\n"))
        .stderr_has(&format!("error: unsafe link target `javascript:alert(1)`\n --> {f}:9:5\n"))
        .stderr_has(&format!("error: unsafe link target `JaVaScRiPt:alert(1)`\n  --> {f}:10:5\n"))
        .stderr_has(&format!("error: unsafe link target `data:image/svg+xml;base64,PHN2ZyBvbmxvYW…`\n  --> {f}:11:6\n"))
        .stderr_has(&format!("error: unsafe link target `vbscript:msgbox`\n  --> {f}:12:5\n"))
        .stderr_has(&format!("error: unsafe link target `javascript:alert(2)`\n  --> {f}:13:2\n"))
        .stderr_has(&format!("error: link to a local file `file:///etc/passwd`\n  --> {f}:14:5\n"))
        // Markdown reads `\\` as one backslash; the caret covers both.
        .stderr_has(&format!("error: absolute path `\\server\\share\\x.md` in a link\n  --> {f}:15:5\n   |\n15 | [j](\\\\server\\share\\x.md)\n   |     ^^^^^^^^^^^^^^^^^^^\n"))
        .stderr_has("11 errors");
}

#[test]
fn script_urls_are_allowed_only_when_site_toml_says_so() {
    let kb = Kb::small();
    kb.write(
        "site.toml",
        &format!("{SITE_TOML}[markdown]\nallow_unsafe_links = true\n"),
    );
    kb.write(
        "content/faq/trusted.md",
        &entry(
            "situation = \"trusted\"",
            "[[escalated-call]] [run](javascript:void(0))\n",
        ),
    );
    run_within(&kb, &["build"], HANG_GUARD).success();
    assert!(
        kb.read("faq/trusted.html")
            .contains("href=\"javascript:void(0)\"")
    );
}

#[test]
fn self_links_and_link_cycles_are_fine() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/a.md",
        &entry(
            "title = \"A\"\nrelated = [\"a\", \"b\"]",
            "## Top\n\nMe: [[a]], [here](#top), [[a#top]], [file](a.md). Next: [[b]].\n",
        ),
    );
    kb.write(
        "content/techniques/b.md",
        &entry("title = \"B\"", "Next: [[c]].\n"),
    );
    kb.write(
        "content/techniques/c.md",
        &entry("title = \"C\"", "Back to [[a]] and [[escalated-call]].\n"),
    );
    let run = run_within(&kb, &["build"], HANG_GUARD);
    run.success().stderr_lacks("error");
    let a = kb.read("techniques/a.html");
    assert!(a.contains("href=\"../techniques/a.html\""));
    assert!(a.contains("href=\"#top\""));
    // a is referenced by c (the cycle), not by itself.
    let backlinks = a.split("Referenced by").nth(1).unwrap_or("");
    assert!(backlinks.contains("../techniques/c.html"), "{backlinks}");
}

#[test]
fn a_symlink_loop_in_content_is_a_clear_error_not_a_hang() {
    let kb = Kb::small();
    let content = kb.path().join("content");
    std::os::unix::fs::symlink("..", content.join("faq/up")).unwrap();
    std::os::unix::fs::symlink("self.md", content.join("techniques/self.md")).unwrap();
    let run = run_within(&kb, &["check"], HANG_GUARD);
    run.failure(1)
        .stderr_has("error: symbolic link loop in content/\n --> content/faq/up\n")
        .stderr_has("error: symbolic link loop in content/\n --> content/techniques/self.md\n");
}

#[test]
fn symlinks_out_of_content_and_broken_symlinks_are_errors() {
    let kb = Kb::small();
    kb.write("secret.txt", "password=hunter2");
    let content = kb.path().join("content");
    std::os::unix::fs::symlink(kb.path().join("secret.txt"), content.join("faq/notes.txt"))
        .unwrap();
    std::os::unix::fs::symlink("/etc", content.join("faq/etc")).unwrap();
    std::os::unix::fs::symlink("gone.md", content.join("faq/gone-link.md")).unwrap();
    // A link that stays inside content/ is followed as usual.
    kb.write_bytes("content/techniques/chart.png", b"\x89PNG");
    std::os::unix::fs::symlink("../techniques/chart.png", content.join("faq/chart.png")).unwrap();
    let run = run_within(&kb, &["build"], HANG_GUARD);
    run.failure(1)
        .stderr_has("error: symbolic link leads outside content/\n --> content/faq/etc\n")
        .stderr_has("error: symbolic link leads outside content/\n --> content/faq/notes.txt\n")
        .stderr_has("error: broken symbolic link: its target does not exist\n --> content/faq/gone-link.md\n")
        .stderr_has("3 errors");
    assert!(!kb.out().exists());
}
