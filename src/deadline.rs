//! Stopping long work at a deadline (`--timeout`, the shell's `.timeout`):
//! a watchdog thread cancels the same token Ctrl-C cancels, which SPARQL
//! evaluation checks wherever it loops (vendored `spareval`), so the work
//! itself stops and the core is free, not only the wait for it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

pub use oxigraph::sparql::CancellationToken;

use crate::{Error, Result};

/// Cancels a token once its time is up, unless dropped first.
pub struct Deadline {
    after: Duration,
    fired: Arc<AtomicBool>,
    /// Dropping it wakes the watchdog, which then ends without cancelling.
    stop: Option<mpsc::Sender<()>>,
    watchdog: Option<JoinHandle<()>>,
}

impl Deadline {
    /// Starts the watchdog: `token` is cancelled `after` from now.
    pub fn start(token: &CancellationToken, after: Duration) -> Deadline {
        let (stop, stopped) = mpsc::channel::<()>();
        let fired = Arc::new(AtomicBool::new(false));
        let watchdog = {
            let token = token.clone();
            let fired = fired.clone();
            std::thread::Builder::new()
                .name("storygraph-deadline".into())
                .spawn(move || {
                    if let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(after) {
                        fired.store(true, Ordering::SeqCst);
                        token.cancel();
                    }
                })
        };
        Deadline {
            after,
            fired,
            stop: Some(stop),
            // Without a thread (none could be spawned) there is no deadline,
            // and the work runs as it would without --timeout.
            watchdog: watchdog.ok(),
        }
    }

    /// Whether the time ran out (the token was cancelled by the deadline,
    /// not by Ctrl-C).
    pub fn fired(&self) -> bool {
        self.fired.load(Ordering::SeqCst)
    }

    /// The time the work was given.
    pub fn after(&self) -> Duration {
        self.after
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        self.stop.take();
        if let Some(watchdog) = self.watchdog.take() {
            let _ = watchdog.join();
        }
    }
}

/// Runs `work` with `token` cancelled after `timeout`, if one is given;
/// a failure that the deadline caused is [`Error::TimedOut`].
pub fn run_within<T>(
    timeout: Option<Duration>,
    token: &CancellationToken,
    work: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let Some(after) = timeout else {
        return work();
    };
    let deadline = Deadline::start(token, after);
    let result = work();
    match result {
        Err(_) if deadline.fired() => Err(Error::TimedOut { after }),
        result => result,
    }
}

/// Parses a `--timeout` value: seconds, a decimal fraction allowed, more
/// than zero.
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("\"{text}\" is not a number of seconds (e.g. 30 or 2.5)"))?;
    if !seconds.is_finite() || seconds <= 0.0 || seconds > 1e9 {
        return Err(format!(
            "{text} seconds is not a timeout; give more than 0 (e.g. 30 or 2.5)"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// How a duration is said in "timed out after N s".
pub fn seconds(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds.fract() == 0.0 {
        format!("{seconds:.0}")
    } else {
        format!("{seconds}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_dropped_in_time_cancels_nothing() {
        let token = CancellationToken::new();
        let deadline = Deadline::start(&token, Duration::from_secs(3600));
        drop(deadline);
        assert!(!token.is_cancelled());
    }

    #[test]
    fn a_deadline_that_passes_cancels_the_token_and_says_so() {
        let token = CancellationToken::new();
        let deadline = Deadline::start(&token, Duration::from_millis(1));
        while !token.is_cancelled() {
            std::thread::yield_now();
        }
        assert!(deadline.fired());
    }

    #[test]
    fn timeouts_are_positive_seconds() {
        assert_eq!(parse_seconds("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(seconds(Duration::from_secs(30)), "30");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5");
        for bad in ["0", "-1", "abc", "NaN", "inf", ""] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
    }
}
