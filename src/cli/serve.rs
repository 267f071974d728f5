//! `saywhen serve` and `saywhen watch`: build, then rebuild on every save.
//!
//! `serve` also runs the HTTP server with live reload; `watch` writes into
//! the output folder only, for teams that preview through their own server.

use super::{Exit, SiteArgs, print_diagnostics};
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::render::RenderOptions;
use crate::serve::http::Server;
use crate::serve::reload::{self, Hub};
use crate::serve::session::{Rebuild, Session};
use crate::serve::watch::{self, Changes, WatchOptions};
use crate::settings::Settings;
use anyhow::{Context as _, bail};
use clap::Args;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const DEFAULT_PORT: u16 = 1111;

// `<root>` is the help text's, not HTML.
#[allow(rustdoc::invalid_html_tags)]
#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub(crate) site: SiteArgs,
    /// Output folder [serve: a private temporary folder; watch: <root>/public].
    #[arg(long, short, value_name = "DIR")]
    pub(crate) output: Option<PathBuf>,
    /// Milliseconds a file may stay open for writing with no new event
    /// before it is rebuilt anyway (with --poll: after any change). A save
    /// that is complete (renamed into place, or written and closed) is
    /// rebuilt at once.
    #[arg(long, value_name = "MS", default_value_t = 100)]
    pub(crate) debounce: u64,
    /// Poll the file system instead of using native change events.
    #[arg(long)]
    pub(crate) poll: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub(crate) watch: WatchArgs,
    /// Port to listen on [default: 1111, or any free port if 1111 is taken].
    #[arg(long, short, value_name = "PORT")]
    pub(crate) port: Option<u16>,
    /// Address to listen on. Anything but loopback makes the site (and,
    /// with --drafts, the drafts) reachable from other machines.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub(crate) bind: IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub(crate) open: bool,
}

fn settings(root: &Path, site: &SiteArgs) -> anyhow::Result<Option<Settings>> {
    match site.settings(root, None)? {
        Ok(s) => Ok(Some(s)),
        Err(d) => {
            print_diagnostics(&Diagnostics::from_iter([d]));
            Ok(None)
        }
    }
}

fn report(session: &Session, rebuild: &Rebuild, started: Instant, first_event: Option<Instant>) {
    print_diagnostics(session.problems());
    if rebuild.failed {
        if session.has_good_version() {
            eprintln!("change not published: fix the problems above; the last good version stays");
        } else {
            eprintln!(
                "site not built: fix the problems above and save; there is no good version to show until then"
            );
        }
        return;
    }
    // From the file event: when the changed pages were on disk, and when
    // everything was (the search index is written after the pages).
    let since_event = match (first_event, rebuild.pages_written) {
        (Some(event), Some(pages)) => format!(
            ", {} ms after the file event (pages on disk after {} ms)",
            event.elapsed().as_millis(),
            pages.saturating_duration_since(event).as_millis()
        ),
        (Some(event), None) => format!(", {} ms after the file event", event.elapsed().as_millis()),
        _ => String::new(),
    };
    eprintln!(
        "rebuilt in {} ms{since_event}: {} entry page{} rendered, {} file{} written",
        started.elapsed().as_millis(),
        rebuild.rendered,
        if rebuild.rendered == 1 { "" } else { "s" },
        rebuild.changed.len(),
        if rebuild.changed.len() == 1 { "" } else { "s" },
    );
}

/// The knowledge base folder as the terminal names it: absolute and
/// canonical, since `--root` defaults to `.`, which says nothing.
fn shown(root: &Path) -> PathBuf {
    std::fs::canonicalize(root)
        .unwrap_or_else(|_| std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()))
}

/// Starts watching before the first build, so that a save made while it
/// runs (or right after the "watching" line) is never missed.
fn start_watching(
    root: &Path,
    args: &WatchArgs,
    out: &Path,
) -> anyhow::Result<(watch::Watching, Receiver<Changes>)> {
    let (tx, rx) = channel::<Changes>();
    let options = WatchOptions {
        quiet: Duration::from_millis(args.debounce),
        poll: args.poll,
    };
    Ok((watch::watch(root, out, &options, tx)?, rx))
}

/// The problems as the browser overlay shows them: errors first, since
/// they are what stops the change, then the warnings, each in file order.
fn problems_text(session: &Session) -> String {
    rendered(session, |_| true)
}

/// The warnings of a good build, for the browser's warnings panel.
fn warnings_text(session: &Session) -> String {
    rendered(session, |d| d.severity == Severity::Warning)
}

fn rendered(session: &Session, keep: impl Fn(&Diagnostic) -> bool) -> String {
    let mut sorted: Vec<&Diagnostic> = session
        .problems()
        .sorted()
        .into_iter()
        .filter(|d| keep(d))
        .collect();
    sorted.sort_by_key(|d| d.severity != Severity::Error);
    let text: Vec<String> = sorted.iter().map(|d| d.render(false)).collect();
    text.join("\n")
}

/// Rebuilds on every burst of changes until the watcher stops.
fn rebuild_forever(
    session: &mut Session,
    rx: &Receiver<Changes>,
    hub: Option<&Hub>,
) -> anyhow::Result<()> {
    while let Ok(mut changes) = rx.recv() {
        // Fold in anything else already waiting: one rebuild per burst.
        while let Ok(more) = rx.try_recv() {
            changes.absorb(more);
        }
        let started = Instant::now();
        let rebuild = session.apply(&changes)?;
        report(session, &rebuild, started, changes.first_event);
        if let Some(hub) = hub {
            if rebuild.failed {
                hub.failed(problems_text(session));
            } else {
                // The pages were announced as soon as they were on disk.
                hub.rebuilt(
                    rebuild.later.as_deref().unwrap_or(&rebuild.changed),
                    Some(warnings_text(session)),
                );
            }
        }
    }
    Ok(())
}

pub(crate) fn run_watch(root: &Path, args: &WatchArgs) -> anyhow::Result<Exit> {
    let Some(settings) = settings(root, &args.site)? else {
        return Ok(1);
    };
    let out = args.output.clone().unwrap_or_else(|| root.join("public"));
    let out = crate::write::guard::output_folder(root, &out)?;
    let (_watching, changes) = start_watching(root, args, &out)?;
    let started = Instant::now();
    let (mut session, rebuild) = Session::start(settings, RenderOptions::default(), out.clone())?;
    report(&session, &rebuild, started, None);
    eprintln!(
        "watching {} for changes, writing {} (Ctrl+C to stop)",
        shown(root).display(),
        out.display()
    );
    rebuild_forever(&mut session, &changes, None)?;
    Ok(0)
}

pub(crate) fn run_serve(root: &Path, args: &ServeArgs) -> anyhow::Result<Exit> {
    let Some(settings) = settings(root, &args.watch.site)? else {
        return Ok(1);
    };
    let mount = settings.config.base_path();
    // Served pages carry the live-reload script, so by default they go to
    // a private folder that can never be published by mistake.
    let private = match &args.watch.output {
        Some(_) => None,
        None => Some(
            tempfile::Builder::new()
                .prefix("saywhen-serve-")
                .tempdir()
                .context("failed to create a temporary folder")?,
        ),
    };
    if let Some(tmp) = &private {
        // Ctrl+C and stop signals end the process without running
        // destructors, which would leave the private folder behind for good.
        let folder = tmp.path().to_path_buf();
        ctrlc::set_handler(move || {
            let _ = std::fs::remove_dir_all(&folder);
            std::process::exit(130);
        })
        .context("cannot handle Ctrl+C")?;
    }
    let out = match (&args.watch.output, &private) {
        (Some(dir), _) => crate::write::guard::output_folder(root, dir)?,
        (None, Some(tmp)) => tmp.path().join("site"),
        (None, None) => unreachable!("a private folder exists when no output is given"),
    };
    let hub = Arc::new(Hub::default());
    let server = listen(&out, &mount, args, Arc::clone(&hub))?;
    let options = RenderOptions {
        inject: reload::script(&mount),
        ..RenderOptions::default()
    };
    let (_watching, changes) = start_watching(root, &args.watch, &out)?;
    let started = Instant::now();
    let (mut session, rebuild) = Session::start(settings, options, out.clone())?;
    report(&session, &rebuild, started, None);
    if rebuild.failed {
        hub.failed(problems_text(&session));
    } else {
        hub.published(warnings_text(&session));
    }
    // Open tabs reload as soon as their page is on disk; the search index
    // follows.
    let early = Arc::clone(&hub);
    session.on_pages(move |pages| early.rebuilt(pages, None));
    let url = server.url(&mount);
    if !args.bind.is_loopback() {
        let drafts = if args.watch.site.drafts {
            ", drafts included,"
        } else {
            ""
        };
        eprintln!(
            "warning: serving on {} makes the site{drafts} reachable from other machines",
            args.bind
        );
    }
    eprintln!(
        "serving {} at {url} (Ctrl+C to stop)",
        shown(root).display()
    );
    if args.open {
        open_browser(&url);
    }
    rebuild_forever(&mut session, &changes, Some(&hub))?;
    drop(server);
    Ok(0)
}

fn listen(out: &Path, mount: &str, args: &ServeArgs, hub: Arc<Hub>) -> anyhow::Result<Server> {
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output folder {}", out.display()))?;
    let port = args.port.unwrap_or(DEFAULT_PORT);
    let start = |port| {
        Server::start_with(
            out.to_path_buf(),
            mount.to_string(),
            SocketAddr::new(args.bind, port),
            Some(Arc::clone(&hub)),
        )
    };
    match start(port) {
        Ok(server) => Ok(server),
        // The default port being taken is no reason to stop; a port the
        // author chose is.
        Err(_) if args.port.is_none() => start(0),
        Err(e) => bail!("{e:#}: port {port} is in use or not allowed; choose another with --port"),
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("warning: could not open a browser; visit {url}");
    }
}
