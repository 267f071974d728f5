//! Stage timings for profiling: with `SAYWHEN_TIMINGS=1` in the
//! environment, each measured stage prints its wall time to stderr. Off by
//! default, so builds print nothing extra.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var_os("SAYWHEN_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0")
    })
}

/// Runs `f`, printing `timing: NAME N.N ms` when timings are on.
pub(crate) fn measure<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let started = Instant::now();
    let value = f();
    eprintln!(
        "timing: {name} {:.1} ms{}",
        started.elapsed().as_secs_f64() * 1000.0,
        memory()
    );
    value
}

/// `, RSS N MB (peak M MB)` where the kernel reports them (Linux), so a
/// stage that holds much memory shows in the same line as its time.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string(PROCESS_STATUS) else {
        return String::new();
    };
    match (field(&status, "VmRSS:"), field(&status, "VmHWM:")) {
        (Some(now), Some(peak)) => format!(", RSS {} MB (peak {} MB)", now / 1024, peak / 1024),
        _ => String::new(),
    }
}

const PROCESS_STATUS: &str = "/proc/self/status";

fn field(status: &str, name: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Prints `timing: TEXT` when timings are on: how a stage chose to work.
pub(crate) fn note(text: &str) {
    if enabled() {
        eprintln!("timing: {text}");
    }
}
