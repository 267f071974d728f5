//! The command line: clap definitions, and the turn from typed-in flags into
//! resolved [`Settings`] before any work starts, so stages never see clap.

mod build;
mod check;
mod init;
mod new;
mod report;
mod serve;

use crate::config::{CONFIG_FILE, SiteConfig};
use crate::diag::{Diagnostic, Diagnostics, Severity};
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
    pub root: PathBuf,
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
}

/// Flags shared by every command that loads the knowledge base.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Include entries marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// The date to check review ages against (YYYY-MM-DD). Also read from
    /// SAYWHEN_TODAY; defaults to today's date (UTC).
    #[arg(long, value_name = "DATE", env = "SAYWHEN_TODAY")]
    pub today: Option<String>,
    /// Worker threads for loading and rendering [default: one per core].
    /// The output is the same whatever the count.
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder [default: <root>/public].
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Override `base_url` from site.toml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Replace the output folder even if saywhen did not create it.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// `json` prints one machine-readable list of diagnostics on stdout.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// What every pipeline run needs, resolved from flags and site.toml.
#[derive(Debug, Clone)]
pub struct Settings {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub drafts: bool,
    pub today: time::Date,
}

impl Settings {
    /// Reads site.toml under `root`. A broken config is a content error.
    pub fn load(
        root: &Path,
        site: &SiteArgs,
        base_url: Option<&str>,
    ) -> anyhow::Result<Result<Settings, Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Err(Diagnostic::error(format!("no {CONFIG_FILE} in {}", root.display())).help(
                    "run saywhen in a knowledge base folder, pass --root DIR, or create one with `saywhen init DIR`",
                )));
            }
            Err(e) => return Err(e).with_context(|| format!("failed to read {}", path.display())),
        };
        // Reported as an entry that is not UTF-8 is: a content error, located.
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                return Ok(Err(crate::load::not_utf8(CONFIG_FILE, e.as_bytes(), valid)));
            }
        };
        let mut config = match SiteConfig::parse(&text) {
            Ok(c) => c,
            Err(d) => return Ok(Err(d)),
        };
        if let Some(url) = base_url {
            if let Some(problem) = crate::config::base_url_problem(url) {
                anyhow::bail!(
                    "--base-url must be an absolute http:// or https:// URL, or a path starting with `/` (like https://intranet.example/kb/ or /kb/): {}",
                    crate::diag::printable(&problem)
                );
            }
            config.base_url = url.to_string();
            if !config.base_url.ends_with('/') {
                config.base_url.push('/');
            }
        }
        let today = parse_today(site.today.as_deref())?;
        Ok(Ok(Settings {
            root: root.to_path_buf(),
            config,
            drafts: site.drafts,
            today,
        }))
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
pub type Exit = u8;

pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let jobs = match &cli.command {
        Command::Build(a) => a.site.jobs,
        Command::Check(a) => a.site.jobs,
        _ => None,
    };
    if let Some(n) = jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("failed to start worker threads")?;
    }
    match cli.command {
        Command::Build(args) => build::run(&cli.root, &args),
        Command::Check(args) => check::run(&cli.root, &args),
        Command::Init(args) => init::run(&args),
        Command::New(args) => new::run(&cli.root, &args),
        Command::Serve(args) => serve::run_serve(&cli.root, &args),
        Command::Watch(args) => serve::run_watch(&cli.root, &args),
        Command::Report(args) => report::run(&cli.root, &args),
    }
}

/// Prints diagnostics to stderr, errors and warnings in a stable order,
/// followed by a one-line summary when there is anything to say.
pub fn print_diagnostics(diagnostics: &Diagnostics) {
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
