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

/// mimalloc's `mi_option_purge_delay` (mimalloc.h); the crate leaves its
/// numeric options unnamed and tells callers to pass the number.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long `serve` and `watch` let mimalloc keep freed memory before
/// giving it back, in ms. They stay running, so what a rebuild frees goes
/// back soon. A one-off `build` or `check` keeps mimalloc's default (a
/// second): memory given back sooner is soon asked for again, which costs
/// page faults and system time for a lower peak (docs/performance.md).
/// `MIMALLOC_PURGE_DELAY` overrides both.
const STAYING_PURGE_DELAY_MS: std::ffi::c_long = 10;

fn main() -> ExitCode {
    let cli = saywhen::cli::Cli::parse();
    let stays_running = matches!(
        cli.command,
        saywhen::cli::Command::Serve(_) | saywhen::cli::Command::Watch(_)
    );
    if stays_running && std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: mimalloc's option setter is not thread-safe; this runs
        // before saywhen starts any thread.
        #[allow(unsafe_code)]
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, STAYING_PURGE_DELAY_MS)
        };
    }
    match saywhen::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    /// The option numbered `MI_OPTION_PURGE_DELAY` is the purge delay: no
    /// other option has mimalloc's default of 1,000 (nothing set it here).
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        const NAME: &str = "tests::the_purge_delay_option_is_the_one_set";
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            // mimalloc read the variable when this process started, so the
            // default can only be seen in one started without it: this test
            // again, alone, which must report that it ran and passed.
            let out = std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", NAME, "--test-threads=1"])
                .env_remove("MIMALLOC_PURGE_DELAY")
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success() && stdout.contains(&format!("test {NAME} ... ok")),
                "{stdout}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            return;
        }
        #[allow(unsafe_code)]
        // SAFETY: reading an option is safe from any thread.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(default, 1000);
    }
}
