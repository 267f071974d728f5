//! `saywhen gaps`: the queries agents did not find, from access logs.

use super::{Exit, Format, SiteArgs, print_diagnostics};
use crate::diag::Diagnostics;
use crate::gaps::{log, report};
use anyhow::Context as _;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct GapsArgs {
    #[command(flatten)]
    pub(crate) site: SiteArgs,
    /// Access logs (nginx or Apache `combined`, gzipped or not), or files
    /// of one query a line.
    #[arg(required = true, value_name = "LOG")]
    pub(crate) logs: Vec<PathBuf>,
    /// Report beacons from this day on (YYYY-MM-DD, UTC), and compare with
    /// the ones before it.
    #[arg(long, value_name = "DATE")]
    pub(crate) since: Option<String>,
    /// Queries listed in each part of the report.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub(crate) top: usize,
    /// `json` prints the report on stdout for CI and dashboards.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: Format,
}

pub(crate) fn run(root: &Path, args: &GapsArgs) -> anyhow::Result<Exit> {
    let since = match args.since.as_deref() {
        Some(s) => Some(
            time::Date::parse(
                s.trim(),
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .with_context(|| format!("--since must be a date like 2026-01-31, not `{s}`"))?,
        ),
        None => None,
    };
    let settings = match args.site.settings(root, None)? {
        Ok(s) => s,
        Err(d) => {
            print_diagnostics(&Diagnostics::from_iter([d]));
            return Ok(1);
        }
    };
    if !settings.config.search.log_queries {
        eprintln!(
            "note: site.toml does not set `[search] log_queries = true`, so the search page sends no beacons; see docs/search.md, \"Search gaps\""
        );
    }
    let beacon = format!("{}{}", settings.config.base_path(), crate::search::BEACON);
    let mut reading = log::Reading::default();
    let mut tallies = report::Tallies::new(since);
    for path in &args.logs {
        log::read_file(path, &beacon, &mut reading, &mut |hit| tallies.add(hit))
            .with_context(|| format!("cannot read {}", path.display()))?;
    }
    let site = super::load_what_loads(&settings)?;
    let theme = match crate::render::theme::load(&settings.root, &settings.config) {
        Ok(theme) => theme,
        Err(found) => {
            print_diagnostics(&found);
            return Ok(1);
        }
    };
    let engine =
        crate::search::engine::for_site(&site, theme.search_script()).map_err(|e| match e {
            crate::search::engine::Unavailable::NoScript(s) => {
                anyhow::anyhow!("the theme has no {s} to rank the queries with")
            }
            crate::search::engine::Unavailable::Failed { origin, problem } => {
                anyhow::anyhow!("{origin}: {problem}")
            }
        })?;
    let report = report::build(&tallies, &site, &engine, args.top).map_err(anyhow::Error::msg)?;
    match args.format {
        Format::Text => print!("{}", report.text(&reading)),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "read": reading,
                "report": report,
            }))?
        ),
    }
    Ok(0)
}
