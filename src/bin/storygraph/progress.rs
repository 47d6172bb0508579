//! The ingest progress bar: an `indicatif` bar on stderr with facts/s,
//! shown only on a terminal and only once an ingest has run for a second
//! (short ingests stay quiet, scripts and pipes never see it).
//! `STORYGRAPH_PROGRESS_DELAY_MS` changes that second (tests set 0).

use std::cell::OnceCell;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use storygraph::ingest::Progress;

/// Shown after this long.
const QUIET_FOR: Duration = Duration::from_secs(1);

pub struct IngestBar {
    started: Instant,
    quiet_for: Duration,
    enabled: bool,
    bar: OnceCell<ProgressBar>,
}

impl IngestBar {
    pub fn new() -> IngestBar {
        let quiet_for = std::env::var("STORYGRAPH_PROGRESS_DELAY_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(QUIET_FOR, Duration::from_millis);
        IngestBar {
            started: Instant::now(),
            quiet_for,
            enabled: std::io::stderr().is_terminal(),
            bar: OnceCell::new(),
        }
    }

    /// Takes the ingest's latest progress.
    pub fn update(&self, progress: Progress) {
        let elapsed = self.started.elapsed();
        if !self.enabled || elapsed < self.quiet_for {
            return;
        }
        let bar = self.bar.get_or_init(|| {
            let (bar, template) = if progress.total_bytes > 0 {
                (
                    ProgressBar::with_draw_target(
                        Some(progress.total_bytes),
                        ProgressDrawTarget::stderr(),
                    ),
                    "{bar:24} {percent:>3}%  {msg}",
                )
            } else {
                (
                    ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
                    "{spinner} {msg}",
                )
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("█▌ "));
            }
            bar
        });
        bar.set_position(progress.bytes);
        let seconds = elapsed.as_secs_f64();
        let mut message = format!(
            "{} facts, {:.0}/s, {:.0} s",
            progress.facts,
            progress.facts as f64 / seconds,
            seconds
        );
        // Our own estimate: the bar moves in steps of a written batch.
        if progress.bytes > 0 && progress.total_bytes > progress.bytes {
            let left =
                (progress.total_bytes - progress.bytes) as f64 * seconds / progress.bytes as f64;
            message.push_str(&format!(", about {left:.0} s left"));
        }
        bar.set_message(message);
    }

    /// Removes the bar, before the summary line is printed.
    pub fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}
