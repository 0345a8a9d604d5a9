//! Opt-in timing: with the environment variable `INTEGRATIONSATLAS_TIMING` set, long operations
//! (`pip`, PNG export, the window's start-up and frames) print their stage times to stderr.

/// The environment variable that switches timing output on.
pub const TIMING_ENV: &str = "INTEGRATIONSATLAS_TIMING";

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
