//! `saywhen report`: the governance report, for owners and for CI.

use super::{Exit, Format, SiteArgs, print_diagnostics};
use crate::check::report;
use crate::diag::Diagnostics;
use clap::Args;
use std::path::Path;

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub(crate) site: SiteArgs,
    /// Also list entries whose review falls due or that expire within this
    /// many days.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub(crate) within: u32,
    /// `json` prints the report on stdout for CI and dashboards.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: Format,
}

pub(crate) fn run(root: &Path, args: &ReportArgs) -> anyhow::Result<Exit> {
    let settings = match args.site.settings(root, None)? {
        Ok(s) => s,
        Err(d) => {
            print_diagnostics(&Diagnostics::from_iter([d]));
            return Ok(1);
        }
    };
    let site = super::load_what_loads(&settings)?;
    let report = report::build(report::items(&site), settings.today, i64::from(args.within));
    match args.format {
        Format::Text => print!("{}", report.text()),
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(0)
}
