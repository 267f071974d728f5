//! The command line: clap definitions, and the turn from typed-in flags into
//! resolved [`Settings`] before any work starts, so stages never see clap.

mod build;
mod check;
mod gaps;
mod init;
mod new;
mod report;
mod serve;

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::settings::{RunOptions, Settings};
use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "saywhen",
    version,
    about = "Build a fast, searchable intranet site from a contact-center knowledge base",
    long_about = long_about()
)]
pub struct Cli {
    /// The knowledge base folder (holding site.toml and content/).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub(crate) root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

/// `--help`'s description, naming every kind of entry.
fn long_about() -> String {
    let kinds = crate::load::listed(
        crate::load::Kind::ALL.map(|k| k.info().plural.to_string()),
        "and",
    );
    format!(
        "saywhen turns a folder of Markdown {kinds} into a static site: cross-linked both ways, with an A–Z index of situations and offline search.\n\nExit codes: 0 success, 1 content errors (or warnings with --deny-warnings), 2 usage or environment errors."
    )
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder, replacing it atomically.
    Build(BuildArgs),
    /// Validate everything `build` would, and write nothing.
    Check(CheckArgs),
    /// Create a new knowledge base that builds at once.
    Init(init::InitArgs),
    /// Add an entry: `saywhen new faq "the customer threatens to sue"`.
    New(new::NewArgs),
    /// Build, serve on localhost, and rebuild and reload on every save.
    Serve(serve::ServeArgs),
    /// Build, then rebuild the output folder on every save (no server).
    Watch(serve::WatchArgs),
    /// Who owns what, what is overdue or about to expire, and the trust score.
    Report(report::ReportArgs),
    /// What agents searched for and did not find, from the web server's
    /// access logs (needs `[search] log_queries = true`).
    Gaps(gaps::GapsArgs),
}

/// Flags shared by every command that loads the knowledge base.
#[derive(Debug, Args)]
pub(crate) struct SiteArgs {
    /// Include entries marked `draft = true`.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// The date to check review ages against (YYYY-MM-DD). Also read from
    /// SAYWHEN_TODAY; defaults to today's date (UTC).
    #[arg(long, value_name = "DATE", env = "SAYWHEN_TODAY")]
    pub(crate) today: Option<String>,
    /// Worker threads for loading and rendering [default: one per core].
    /// The output is the same whatever the count.
    #[arg(long, short, value_name = "N")]
    pub(crate) jobs: Option<usize>,
}

// `<root>` is the help text's, not HTML.
#[allow(rustdoc::invalid_html_tags)]
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub(crate) site: SiteArgs,
    /// Output folder [default: <root>/public].
    #[arg(long, short, value_name = "DIR")]
    pub(crate) output: Option<PathBuf>,
    /// Override `base_url` from site.toml.
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// Replace the output folder even if saywhen did not create it.
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub(crate) site: SiteArgs,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub(crate) deny_warnings: bool,
    /// `json` prints one machine-readable list of diagnostics on stdout.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: Format,
}

impl SiteArgs {
    /// The run's options from the flags: today's date parsed and the
    /// `--base-url` override checked, both as errors of usage.
    pub(crate) fn run_options(&self, base_url: Option<&str>) -> anyhow::Result<RunOptions> {
        let base_url = match base_url {
            Some(url) => {
                if let Some(problem) = crate::config::base_url_problem(url) {
                    anyhow::bail!(
                        "--base-url must be an absolute http:// or https:// URL, or a path starting with `/` (like https://intranet.example/kb/ or /kb/): {}",
                        crate::diag::printable(&problem)
                    );
                }
                let mut url = url.to_string();
                if !url.ends_with('/') {
                    url.push('/');
                }
                Some(url)
            }
            None => None,
        };
        Ok(RunOptions {
            drafts: self.drafts,
            today: parse_today(self.today.as_deref())?,
            base_url,
        })
    }

    /// Settings for this run from site.toml under `root`; a broken
    /// site.toml is a content error (`Ok(Err(..))`).
    pub(crate) fn settings(
        &self,
        root: &Path,
        base_url: Option<&str>,
    ) -> anyhow::Result<Result<Settings, Diagnostic>> {
        Settings::load(root, &self.run_options(base_url)?)
    }
}

fn parse_today(value: Option<&str>) -> anyhow::Result<time::Date> {
    match value.filter(|v| !v.is_empty()) {
        Some(v) => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            time::Date::parse(v.trim(), &format).with_context(|| {
                format!("--today / SAYWHEN_TODAY must be a date like 2026-01-31, not `{v}`")
            })
        }
        None => Ok(time::OffsetDateTime::now_utc().date()),
    }
}

/// Exit status of a finished command; errors of the environment are
/// returned as `Err` and exit 2 from `main`.
pub(crate) type Exit = u8;

pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    if let Some(jobs) = cli.command.site_args().and_then(|site| site.jobs) {
        start_workers(jobs)?;
    }
    match cli.command {
        Command::Build(args) => build::run(&cli.root, &args),
        Command::Check(args) => check::run(&cli.root, &args),
        Command::Init(args) => init::run(&args),
        Command::New(args) => new::run(&cli.root, &args),
        Command::Serve(args) => serve::run_serve(&cli.root, &args),
        Command::Watch(args) => serve::run_watch(&cli.root, &args),
        Command::Report(args) => report::run(&cli.root, &args),
        Command::Gaps(args) => gaps::run(&cli.root, &args),
    }
}

impl Command {
    /// The flags of a command that loads the knowledge base.
    pub(crate) fn site_args(&self) -> Option<&SiteArgs> {
        match self {
            Command::Build(a) => Some(&a.site),
            Command::Check(a) => Some(&a.site),
            Command::Serve(a) => Some(&a.watch.site),
            Command::Watch(a) => Some(&a.site),
            Command::Report(a) => Some(&a.site),
            Command::Gaps(a) => Some(&a.site),
            Command::Init(_) | Command::New(_) => None,
        }
    }
}

/// Name of the worker threads, numbered: how `--jobs` can be seen from
/// outside (`/proc/PID/task/*/comm` on Linux).
pub(crate) const WORKER_NAME: &str = "saywhen-job-";

/// The worker threads every stage shares, `jobs` of them, for every
/// command that loads the knowledge base. Without `--jobs`, rayon's own
/// pool (one per core) starts on first use.
fn start_workers(jobs: usize) -> anyhow::Result<()> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .thread_name(|i| format!("{WORKER_NAME}{i}"))
        .build_global()
        .context("failed to start worker threads")
}

/// Prints diagnostics to stderr, errors and warnings in a stable order,
/// followed by a one-line summary when there is anything to say.
/// The site as far as it loads, for the commands that report on it
/// (`report`, `gaps`): content errors leave entries out, said in one note,
/// since `check` is the command that says what to fix.
fn load_what_loads(settings: &crate::settings::Settings) -> anyhow::Result<crate::resolve::Site> {
    let (site, found) = crate::pipeline::load_and_resolve(settings)?;
    let errors = found.count(crate::diag::Severity::Error);
    if errors > 0 {
        eprintln!(
            "note: the knowledge base has {errors} error{}; entries that failed to load are left out (run `saywhen check`)",
            if errors == 1 { "" } else { "s" }
        );
    }
    Ok(site)
}

pub(crate) fn print_diagnostics(diagnostics: &Diagnostics) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut text = String::new();
    for d in diagnostics.sorted() {
        text.push_str(&d.render(color));
        text.push('\n');
    }
    let errors = diagnostics.count(Severity::Error);
    let warnings = diagnostics.count(Severity::Warning);
    if errors + warnings > 0 {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        text.push_str(&format!(
            "{}, {}\n",
            plural(errors, "error"),
            plural(warnings, "warning")
        ));
    }
    eprint!("{text}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn today_parses_or_explains() {
        assert_eq!(
            parse_today(Some("2026-02-03")).unwrap().to_string(),
            "2026-02-03"
        );
        assert!(
            parse_today(Some("03/02/2026"))
                .unwrap_err()
                .to_string()
                .contains("2026-01-31")
        );
    }
}
