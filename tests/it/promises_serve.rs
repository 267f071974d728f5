//! What the README promises of `serve`'s options: a warning off loopback,
//! the default port's fallback, and `--poll`.

use crate::serve::{Running, get, wait_for_page};
use crate::support::*;
use std::time::Duration;

/// The address `serve` printed, reached over loopback whatever it bound.
fn local(url: &str) -> String {
    url.replacen("http://0.0.0.0:", "http://127.0.0.1:", 1)
}

fn port_of(url: &str) -> u16 {
    let rest = url.strip_prefix("http://").unwrap();
    let host = &rest[..rest.find('/').unwrap()];
    host.rsplit(':').next().unwrap().parse().unwrap()
}

#[test]
fn binding_off_loopback_warns_and_loopback_does_not() {
    let kb = Kb::small();
    let open = Running::start(&kb, &["serve", "--port", "0", "--bind", "0.0.0.0"]);
    let url = local(&open.url());
    assert_eq!(get(&url, None).status, 200);
    let log = open.log();
    let warning = log
        .lines()
        .find(|l| l.starts_with("warning: serving on 0.0.0.0"))
        .unwrap_or_else(|| panic!("no warning for 0.0.0.0\n{log}"));
    assert!(
        warning.contains("reachable from other machines") && !warning.contains("drafts"),
        "{warning}"
    );
    let drafts = Running::start(
        &kb,
        &["serve", "--port", "0", "--bind", "0.0.0.0", "--drafts"],
    );
    drafts.url();
    let log = drafts.log();
    assert!(
        log.lines()
            .any(|l| l.starts_with("warning: serving on 0.0.0.0") && l.contains("drafts included")),
        "with --drafts the warning says drafts are exposed\n{log}"
    );

    let quiet = Running::start(&kb, &["serve", "--port", "0"]);
    assert_eq!(get(&quiet.url(), None).status, 200);
    let log = quiet.log();
    assert!(!log.contains("warning: serving on"), "{log}");
}

#[test]
fn without_a_port_a_taken_1111_falls_back_to_a_free_one() {
    // Hold 1111 for the test. If something else already holds it, the
    // fallback is exercised all the same: either way serve cannot have it.
    let held = std::net::TcpListener::bind("127.0.0.1:1111");
    if let Err(e) = &held {
        eprintln!("port 1111 is already taken ({e}); testing the fallback on that");
    }
    let kb = Kb::small();
    let serve = Running::start(&kb, &["serve"]);
    let url = serve.url();
    let port = port_of(&url);
    assert_ne!(port, 1111, "1111 was taken, yet serve printed {url}");
    let page = get(&format!("{url}faq/customer-threatens-to-sue.html"), None);
    assert_eq!(page.status, 200, "{}", serve.log());
    assert!(page.body.contains("threatens to sue"));
    assert!(
        !serve.log().contains("error"),
        "a taken default port is no error\n{}",
        serve.log()
    );
    drop(held);
}

/// How many inotify instances process `pid` holds open.
#[cfg(target_os = "linux")]
fn inotify_instances(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter(|target| target.to_string_lossy() == "anon_inode:inotify")
        .count()
}

#[test]
fn with_poll_a_save_is_picked_up_without_native_events() {
    let kb = Kb::small();
    let technique = "content/techniques/active-listening.md";
    let polling = Running::start(&kb, &["serve", "--port", "0", "--poll"]);
    let native = Running::start(&kb, &["serve", "--port", "0"]);
    let page = format!("{}techniques/active-listening.html", polling.url());
    assert_eq!(get(&page, None).status, 200);
    native.url();
    #[cfg(target_os = "linux")]
    {
        // The same count sees the native watcher, so a zero means polling.
        assert!(inotify_instances(native.child.id()) > 0);
        assert_eq!(
            inotify_instances(polling.child.id()),
            0,
            "--poll still uses native events"
        );
    }
    // Two saves of the same length, written in place, stamped within one
    // second of each other: only the sub-second part of the modification
    // time tells them apart, and polling must see the second too.
    let path = kb.path().join(technique);
    let second = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    for (k, version) in ["Polled version one.", "Polled version two."]
        .into_iter()
        .enumerate()
    {
        kb.write(
            technique,
            &entry(
                "title = \"Active listening\"",
                &format!("{version} [[escalated-call]]\n"),
            ),
        );
        let stamp = std::time::UNIX_EPOCH
            + Duration::from_secs(second)
            + Duration::from_millis(100 * (k as u64 + 1));
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(stamp)
            .unwrap();
        wait_for_page(&page, version, |r| r.body.contains(version));
    }
}

/// serve's private output folder goes with it when it is stopped by
/// Ctrl+C or a stop signal, as it does when it ends on its own.
#[cfg(unix)]
#[test]
fn a_stopped_serve_leaves_no_private_folder_behind() {
    let kb = Kb::small();
    for signal in ["INT", "TERM"] {
        let mut serve = Running::start(&kb, &["serve", "--port", "0"]);
        assert_eq!(get(&serve.url(), None).status, 200);
        let private = |dir: &std::path::Path| -> Vec<String> {
            std::fs::read_dir(dir)
                .unwrap()
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("saywhen-serve-"))
                .collect()
        };
        assert_eq!(private(serve.tmp()).len(), 1, "serve's private folder");
        let sent = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(serve.child.id().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        let status = serve.child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "SIG{signal}: {status:?}");
        assert_eq!(
            private(serve.tmp()),
            Vec::<String>::new(),
            "SIG{signal} left the private folder\n{}",
            serve.log()
        );
    }
}
