//! `saywhen build`: load, resolve, render, write.

use super::{BuildArgs, Exit, print_diagnostics};
use crate::diag::Diagnostics;
use std::path::Path;

pub(crate) fn run(root: &Path, args: &BuildArgs) -> anyhow::Result<Exit> {
    let settings = match args.site.settings(root, args.base_url.as_deref())? {
        Ok(s) => s,
        Err(d) => {
            print_diagnostics(&Diagnostics::from_iter([d]));
            return Ok(1);
        }
    };
    let shown = args.output.clone().unwrap_or_else(|| root.join("public"));
    let out = crate::write::guard::output_folder(root, &shown)?;
    let started = std::time::Instant::now();
    let result = crate::pipeline::build(&settings, &out, args.force)?;
    print_diagnostics(&result.diagnostics);
    match result.pages {
        Some(pages) => {
            eprintln!(
                "built {} entries, {pages} files into {} in {} ms",
                result.entries,
                shown.display(),
                started.elapsed().as_millis()
            );
            Ok(0)
        }
        None => {
            eprintln!("build failed: {} was left as it was", shown.display());
            Ok(1)
        }
    }
}
