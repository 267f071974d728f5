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

/// How long mimalloc keeps freed memory before giving it back, in ms (its
/// default is 1,000): for small sites and for `serve` and `watch`, which
/// stay running. A build frees tens of megabytes as it goes (each source
/// once parsed, each batch of pages once written); kept for a second, they
/// count in peak memory and are not reused by other threads. 10 ms took
/// about 30 MB off the peak of a 10,000-entry build that kept its HTML in
/// memory, for no measurable time (docs/performance.md).
/// `MIMALLOC_PURGE_DELAY` still overrides it.
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// The purge delay for a build of more than `load::KEEP_HTML_UP_TO`
/// entries (mimalloc's default). Such a build keeps its bodies' HTML out of
/// memory, and memory given back after 10 ms is soon asked for again: at
/// 100,000 entries 10 ms meant 700,000 page faults and a second of system
/// time against 300,000 with 1,000 ms, for about 60 MB more at the peak
/// (docs/performance.md).
const LARGE_SITE_PURGE_DELAY_MS: std::ffi::c_long = 1000;

/// `load::ON_LARGE_SITE`: the longer purge delay, set only while this is
/// the process's one thread (as it is when `build` or `check` starts
/// loading), since mimalloc's setter is not safe beside threads that
/// allocate. Elsewhere the delay stays as it was.
fn settle_for_a_large_site() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() || !the_only_thread() {
        return;
    }
    // SAFETY: no other thread exists to read the option while it changes,
    // and only this one can start one.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, LARGE_SITE_PURGE_DELAY_MS)
    };
    saywhen::timings::note("a large site: freed memory is kept for 1 s");
}

/// Whether the kernel counts one thread in this process (Linux); `false`
/// where it cannot tell.
fn the_only_thread() -> bool {
    saywhen::timings::process_status("Threads:") == Some(1)
}

fn main() -> ExitCode {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: mimalloc's option setter is not thread-safe; this runs
        // first thing in `main`, before saywhen starts any thread.
        #[allow(unsafe_code)]
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS)
        };
    }
    let _ = saywhen::load::ON_LARGE_SITE.set(settle_for_a_large_site);
    let cli = saywhen::cli::Cli::parse();
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
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        #[allow(unsafe_code)]
        // SAFETY: reading an option is safe from any thread.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(default, 1000);
    }
}
