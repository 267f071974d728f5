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
pub fn measure<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let started = Instant::now();
    let value = f();
    eprintln!(
        "timing: {name} {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    value
}

/// Prints `timing: TEXT` when timings are on: how a stage chose to work.
pub fn note(text: &str) {
    if enabled() {
        eprintln!("timing: {text}");
    }
}
