//! The `saywhen` binary: parse arguments, run, and map the outcome to the
//! documented exit codes (0 success, 1 content errors, 2 usage or
//! environment errors).

use clap::Parser as _;
use std::process::ExitCode;

// Building a site allocates millions of small strings from several threads
// at once; mimalloc does that markedly faster than the system allocator
// (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = saywhen::cli::Cli::parse();
    match saywhen::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
