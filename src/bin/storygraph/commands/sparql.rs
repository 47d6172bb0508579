//! SPARQL and whole-store commands: `query`, `update`, `dump`. The shell
//! writes its query results through [`write_query_results`] too.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use oxigraph::sparql::QueryResults;
use storygraph::deadline::{run_within, CancellationToken};
use storygraph::remote::Replica;
use storygraph::render::results::{
    default_format, write_results, ResultSummary, StoreLabels, TableOptions,
};
use storygraph::render::terminal::shown_lines;
use storygraph::render::ResultsFormat;
use storygraph::store::{DumpFormat, GraphStore, QueryError, QueryOptions};
use storygraph::{Error, Result};
use unicode_width::UnicodeWidthStr;

use crate::outcome::{write_file, write_stdout, write_stdout_whole, Outcome};

/// `query`: runs it and writes the results to stdout, the row count and
/// time to stderr on a terminal.
pub fn query(
    store: &GraphStore,
    text: &str,
    format: Option<ResultsFormat>,
    mut options: QueryOptions,
    timeout: Option<Duration>,
) -> Result<Outcome> {
    let started = Instant::now();
    let token = CancellationToken::new();
    options.cancellation = Some(token.clone());
    let terminal = io::stdout().is_terminal();
    let labels = StoreLabels::new(store);
    let table = TableOptions {
        labels: Some(&labels),
        ..TableOptions::default()
    };
    // The results are computed while they are written: the deadline
    // covers both.
    let summary = run_within(timeout, &token, || {
        let results = store
            .query(text, &options)
            .map_err(|e| with_caret(text, e))?;
        warn_of_unknown_terms(store, text);
        write_stdout_whole(|out| write_query_results(results, format, terminal, &table, out))
    })?;
    if io::stderr().is_terminal() {
        eprintln!("{} in {:.3} s", summary, started.elapsed().as_secs_f64());
    }
    Ok(Outcome::found(summary.is_empty()))
}

/// `query --endpoint`: runs it at the remote and writes its results as
/// they arrive, exactly as for a local store (the table's labels come from
/// the remote's local copy).
pub fn remote_query(
    replica: &mut Replica,
    text: &str,
    format: Option<ResultsFormat>,
    default_graph_only: bool,
    timeout: Option<Duration>,
) -> Result<Outcome> {
    let started = Instant::now();
    if let Some(timeout) = timeout {
        replica.set_request_timeout(timeout);
    }
    let results = replica.query(text, default_graph_only)?;
    let labels = StoreLabels::new(replica.store());
    let table = TableOptions {
        labels: Some(&labels),
        ..TableOptions::default()
    };
    let terminal = io::stdout().is_terminal();
    let summary =
        write_stdout_whole(|out| write_query_results(results, format, terminal, &table, out))?;
    if io::stderr().is_terminal() {
        eprintln!("{} in {:.3} s", summary, started.elapsed().as_secs_f64());
    }
    Ok(Outcome::found(summary.is_empty()))
}

/// Writes a query's results in `format`, or in the default format for
/// where they go (a person at a terminal, or a program).
pub fn write_query_results(
    results: QueryResults<'_>,
    format: Option<ResultsFormat>,
    terminal: bool,
    table: &TableOptions<'_>,
    out: &mut dyn Write,
) -> Result<ResultSummary> {
    let format = format.unwrap_or_else(|| default_format(&results, terminal));
    Ok(write_results(results, format, out, table)?)
}

/// `update`: runs it and flushes the store.
pub fn update(store: &GraphStore, text: &str, timeout: Option<Duration>) -> Result<Outcome> {
    let token = CancellationToken::new();
    let options = QueryOptions {
        cancellation: Some(token.clone()),
        ..QueryOptions::default()
    };
    run_within(timeout, &token, || {
        store
            .update(text, &options)
            .map_err(|e| with_caret(text, e))
    })?;
    warn_of_unknown_terms(store, text);
    store.flush()?;
    Ok(Outcome::Success)
}

/// `dump`: every graph, to `output` or stdout.
pub fn dump(store: &GraphStore, format: DumpFormat, output: Option<&Path>) -> Result<Outcome> {
    match output {
        Some(path) => write_file(path, |out| store.dump(format, out))?,
        None => write_stdout(|out| {
            store
                .dump(format, out)
                .map_err(|e| Error::io("writing to stdout", e))
        })?,
    }
    Ok(Outcome::Success)
}

/// The SPARQL text from the argument, a file, or stdin.
pub fn text_argument(text: Option<String>, file: Option<PathBuf>, what: &str) -> Result<String> {
    if let Some(text) = text {
        return Ok(text);
    }
    if let Some(path) = file {
        return std::fs::read_to_string(&path)
            .map_err(|e| Error::io(format!("cannot read the {what} file {}", path.display()), e));
    }
    if io::stdin().is_terminal() {
        return Err(Error::Usage(format!(
            "no {what} given; pass it as an argument, with -f FILE, or on stdin"
        )));
    }
    let mut text = String::new();
    io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Error::io(format!("cannot read the {what} from stdin"), e))?;
    if text.trim().is_empty() {
        return Err(Error::Usage(format!(
            "no {what} given: stdin was empty; pass it as an argument, with -f FILE, or on stdin"
        )));
    }
    Ok(text)
}

/// Checks the syntax of `text` before any store is opened, so a slip is
/// named even where there is no store yet.
pub fn check_text(text: &str) -> Result<()> {
    storygraph::store::check_syntax(text, &[])
        .map(|_| ())
        .map_err(|e| with_caret(text, e))
}

/// A syntax error with the line it is on and a caret under where it is.
pub fn with_caret(text: &str, error: QueryError) -> Error {
    if let QueryError::Syntax {
        line: Some(line),
        column: Some(column),
        ..
    } = &error
    {
        if let Some(marked) = mark_position(text, *line, *column) {
            return Error::Usage(format!("{error}\n{marked}"));
        }
    }
    Error::Query(error)
}

/// Warns on stderr of each `sg:` term the text names that the store does
/// not know: such a query runs, and finds nothing without saying why.
pub fn warn_of_unknown_terms(store: &GraphStore, text: &str) {
    for unknown in store.unknown_terms(text) {
        eprintln!("warning: {}", shown_lines(&unknown.to_string()));
    }
}

/// The text's line `line` with a caret under `column` (both 1-based,
/// column in characters), measured in terminal columns so it lines up
/// under Arabic and wide characters.
fn mark_position(text: &str, line: usize, column: usize) -> Option<String> {
    let source = text.lines().nth(line.checked_sub(1)?)?;
    let before: String = source.chars().take(column.saturating_sub(1)).collect();
    let pad = " ".repeat(before.width());
    Some(format!("  {source}\n  {pad}^"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_lines_up_under_arabic_text() {
        let marked = mark_position("SELECT * {\n  ?s \"بوتين\" oops }", 2, 12).unwrap();
        let lines: Vec<&str> = marked.lines().collect();
        // Two columns of indent, eleven characters before column 12, the caret.
        assert_eq!(lines[1].width(), 2 + "  ?s \"بوتين".width() + 1);
        assert!(lines[1].ends_with('^'));
        assert_eq!(mark_position("one line", 3, 1), None);
    }
}
