//! Opt-in timing: with the environment variable `INTEGRATIONSATLAS_TIMING` set, long operations
//! (`pip`, PNG export, the window's start-up and frames) print their stage times to stderr.

/// The environment variable that switches timing output on.
pub const TIMING_ENV: &str = "INTEGRATIONSATLAS_TIMING";

/// The moment [`mark_process_start`] was first called.
static PROCESS_START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Notes the start of the process (the binary calls it first thing); later calls change
/// nothing.
pub fn mark_process_start() {
    PROCESS_START.get_or_init(std::time::Instant::now);
}

/// Milliseconds since [`mark_process_start`] (since this first call if it was never called).
pub fn ms_since_process_start() -> f64 {
    PROCESS_START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
        * 1000.0
}

/// Prints `timing: {what}: X ms since process start` when timing is on.
pub fn since_process_start(what: &str) {
    if enabled() {
        eprintln!(
            "timing: {what}: {:.1} ms since process start",
            ms_since_process_start()
        );
    }
}

/// True when timing output is on.
pub fn enabled() -> bool {
    std::env::var_os(TIMING_ENV).is_some()
}

/// Prints the time since the previous stage when timing is on.
pub struct StageTimer {
    last: std::time::Instant,
    enabled: bool,
}

impl StageTimer {
    /// Starts timing now.
    pub fn new() -> StageTimer {
        StageTimer {
            last: std::time::Instant::now(),
            enabled: enabled(),
        }
    }

    /// Ends a stage: prints its name and duration, and starts the next one.
    pub fn stage(&mut self, name: &str) {
        if self.enabled {
            eprintln!(
                "timing: {name}: {:.1} ms",
                self.last.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.last = std::time::Instant::now();
    }
}

impl Default for StageTimer {
    fn default() -> Self {
        StageTimer::new()
    }
}
