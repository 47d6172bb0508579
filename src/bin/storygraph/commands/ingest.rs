//! `ingest` and `.ingest`: load files with a progress bar on terminals,
//! then print the summary (and skipped units) on stderr.

use std::path::Path;

use storygraph::graph::explain::plural;
use storygraph::ingest::{self, IngestOptions, InputSource};
use storygraph::render::terminal::shown_lines;
use storygraph::store::GraphStore;
use storygraph::{Error, Result};

use crate::args::IngestArgs;
use crate::outcome::Outcome;
use crate::progress::IngestBar;

/// Ingests the files `args` names into `store`.
pub fn ingest_files(store: &GraphStore, args: &IngestArgs) -> Result<Outcome> {
    let sources: Vec<InputSource> = args
        .files
        .iter()
        .map(|f| InputSource::from_arg(f))
        .collect();
    let text = match &args.text {
        Some(path) => Some(read_text(path)?),
        None => None,
    };
    let bar = IngestBar::new();
    let update = |progress| bar.update(progress);
    let options = IngestOptions {
        on_error: args.on_error,
        progress: Some(&update),
        text: text.as_deref(),
        ..IngestOptions::default()
    };
    let report = ingest::ingest(store, &sources, options);
    bar.finish();
    let report = report?;
    for skipped in &report.skipped {
        eprintln!("skipped: {skipped}");
    }
    not_shown(
        report.skipped_problems,
        report.skipped.len(),
        "problems of skipped units",
    );
    for warning in &report.warnings {
        eprintln!("warning: {}", shown_lines(&warning.to_string()));
    }
    not_shown(report.warning_count, report.warnings.len(), "warnings");
    let unchanged = match report.unchanged {
        0 => String::new(),
        n => format!(" ({n} unchanged, not rewritten)"),
    };
    let into = match store.location() {
        Some(path) => format!(" into {}", path.display()),
        None => " into a throwaway in-memory store".to_owned(),
    };
    eprintln!(
        "ingested {}{unchanged}, {}, {}, {} written from {} in {:.2} s{into}",
        plural(report.articles, "article", "articles"),
        plural(report.facts, "fact", "facts"),
        plural(report.entities, "entity", "entities"),
        plural(report.triples, "triple", "triples"),
        plural(report.files, "file", "files"),
        report.seconds,
    );
    match report.skipped_units {
        0 => Ok(Outcome::Success),
        1 => Err(Error::Usage(
            "1 bad unit was skipped (its problems are listed above)".to_owned(),
        )),
        n => Err(Error::Usage(format!(
            "{n} bad units were skipped (their problems are listed above)"
        ))),
    }
}

/// Says how many of a kind of diagnostic were not listed.
fn not_shown(count: usize, shown: usize, what: &str) {
    if count > shown {
        eprintln!(
            "... and {} more {what} (the first {shown} are listed above)",
            count - shown
        );
    }
}

/// An article's text file, read whole: UTF-8, or an error naming the file.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::Usage(format!(
            "cannot read the article text {}: {e}",
            path.display()
        ))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        Error::Usage(format!(
            "the article text {} is not UTF-8 (byte {} is not); convert it first, e.g. iconv -f WINDOWS-1256 -t UTF-8",
            path.display(),
            e.utf8_error().valid_up_to() + 1
        ))
    })
}
