//! `saywhen check`: the whole pipeline up to, not including, write.

use super::{CheckArgs, Exit, Format, print_diagnostics};
use crate::diag::{Diagnostics, Severity};
use std::path::Path;

pub(crate) fn run(root: &Path, args: &CheckArgs) -> anyhow::Result<Exit> {
    let diagnostics = match args.site.settings(root, None)? {
        Ok(settings) => crate::pipeline::check(&settings)?,
        Err(d) => Diagnostics::from_iter([d]),
    };
    report(&diagnostics, args.format)?;
    let failed = diagnostics.has_errors()
        || (args.deny_warnings && diagnostics.count(Severity::Warning) > 0);
    Ok(u8::from(failed))
}

fn report(diagnostics: &Diagnostics, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Text => {
            print_diagnostics(diagnostics);
            if diagnostics.is_empty() {
                eprintln!("no problems found");
            }
        }
        Format::Json => {
            let items: Vec<serde_json::Value> = diagnostics
                .sorted()
                .into_iter()
                .map(|d| {
                    let mut item = serde_json::json!({
                        "severity": d.severity,
                        "file": d.file,
                        "line": d.line(),
                        "column": d.column(),
                        "message": d.message,
                        "help": d.help,
                    });
                    // Only where there is one: the entry a duplicate repeats.
                    if let Some(also) = d.also_text() {
                        item["also"] = also.into();
                    }
                    if let Some((key, value)) = d.data() {
                        item[*key] = value.clone();
                    }
                    item
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&items)?);
        }
    }
    Ok(())
}
