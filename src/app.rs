//! What each CLI command does: open the store, call the library, write the
//! result to stdout and the summary to stderr. The one place of the binary
//! that does I/O on behalf of the library.

use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use oxigraph::io::RdfFormat;
use storygraph::ingest::{self, IngestOptions, InputSource, OnError};
use storygraph::input::format::json_schema;
use storygraph::render::results::{write_results, TableOptions};
use storygraph::render::table::{write_delimited, write_table};
use storygraph::render::OutputFormat;
use storygraph::store::{GraphStore, QueryOptions};
use storygraph::{Error, Result};

use crate::cli::{Args, Command, DumpFormat, OnErrorArg, ShellArgs};
use crate::graph_commands;
use crate::progress::IngestBar;

/// How a successful command ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The command worked but found nothing (exit code 1).
    NoResult,
    /// Failures were reported already (a script); exit with this code.
    Failure(u8),
}

pub fn run(args: Args) -> Result<Outcome> {
    let Some(command) = args.command else {
        let store = open_store(args.store, args.memory)?;
        return crate::shell::run(store, &ShellArgs::default());
    };
    let store = || open_store(args.store.clone(), args.memory);
    match command {
        Command::Schema => {
            let schema = serde_json::to_string_pretty(&json_schema())
                .map_err(|e| Error::io("writing the schema", e.into()))?;
            write_stdout(|out| writeln!(out, "{schema}"))?;
            Ok(Outcome::Success)
        }
        Command::Shell(shell) => crate::shell::run(store()?, &shell),
        Command::Ingest { files, on_error } => ingest_files(&store()?, &files, on_error),
        Command::Query {
            query,
            file,
            format,
            default_graph_only,
        } => {
            let text = text_argument(query, file.as_deref(), "query")?;
            let store = store()?;
            let started = Instant::now();
            let options = QueryOptions {
                default_graph_only,
                ..QueryOptions::default()
            };
            let results = store.query(&text, &options)?;
            let format = format.unwrap_or_else(|| default_format(&results));
            let summary = write_stdout_result(|out| {
                Ok(write_results(
                    results,
                    format,
                    out,
                    &TableOptions::default(),
                )?)
            })?;
            if io::stderr().is_terminal() {
                eprintln!("{} in {:.3} s", summary, started.elapsed().as_secs_f64());
            }
            Ok(if summary.is_empty() {
                Outcome::NoResult
            } else {
                Outcome::Success
            })
        }
        Command::Update { update, file } => {
            let text = text_argument(update, file.as_deref(), "update")?;
            let store = store()?;
            store.update(&text, &[])?;
            store.flush().map_err(|e| Error::Store(e.into()))?;
            Ok(Outcome::Success)
        }
        Command::Stats { format } => write_stdout_result(|out| stats(&store()?, format, out)),
        Command::Articles { format } => write_stdout_result(|out| articles(&store()?, format, out)),
        Command::Explore(command) => {
            let store = store()?;
            let projection = graph_commands::projection(&store)?;
            write_stdout_result(|out| graph_commands::run(&store, &projection, &command, out))
        }
        Command::Dump { format, output } => {
            let store = store()?;
            let format = match format {
                DumpFormat::Nquads => RdfFormat::NQuads,
                DumpFormat::Trig => RdfFormat::TriG,
            };
            match output {
                Some(path) => {
                    let file = std::fs::File::create(&path)
                        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
                    let mut out = BufWriter::new(file);
                    store
                        .dump(format, &mut out)
                        .and_then(|()| out.flush())
                        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
                }
                None => write_stdout(|out| store.dump(format, out))?,
            }
            Ok(Outcome::Success)
        }
    }
}

/// Ingests files, printing the summary (and skipped units) on stderr.
pub fn ingest_files(store: &GraphStore, files: &[String], on_error: OnErrorArg) -> Result<Outcome> {
    let sources: Vec<InputSource> = files.iter().map(|f| InputSource::from_arg(f)).collect();
    let bar = IngestBar::new();
    let update = |progress| bar.update(progress);
    let options = IngestOptions {
        on_error: match on_error {
            OnErrorArg::Stop => OnError::Stop,
            OnErrorArg::Skip => OnError::Skip,
        },
        progress: Some(&update),
        ..IngestOptions::default()
    };
    let report = ingest::ingest(store, &sources, options);
    bar.finish();
    let report = report?;
    for skipped in &report.skipped {
        eprintln!("skipped: {skipped}");
    }
    let unchanged = match report.unchanged {
        0 => String::new(),
        n => format!(" ({n} unchanged, not rewritten)"),
    };
    eprintln!(
        "ingested {} articles{unchanged}, {} facts, {} entities, {} triples from {} files in {:.2} s{}",
        report.articles,
        report.facts,
        report.entities,
        report.triples,
        report.files,
        report.seconds,
        store_note(store),
    );
    if report.skipped.is_empty() {
        Ok(Outcome::Success)
    } else {
        Err(Error::Usage(format!(
            "{} bad units were skipped (listed above)",
            report.skipped.len()
        )))
    }
}

/// Writes the store's counts as a table or JSON.
pub fn stats(store: &GraphStore, format: OutputFormat, out: &mut dyn Write) -> Result<Outcome> {
    let stats = store.stats().map_err(|e| Error::Store(e.into()))?;
    let written = match format {
        OutputFormat::Json => return write_json_to(out, &stats).map(|()| Outcome::Success),
        OutputFormat::Table | OutputFormat::Csv | OutputFormat::Tsv => {
            let mut rows = vec![
                vec!["articles".to_owned(), stats.articles.to_string()],
                vec!["entities".to_owned(), stats.entities.to_string()],
                vec!["facts".to_owned(), stats.facts.to_string()],
            ];
            for c in storygraph::model::Certainty::ALL {
                let n = stats
                    .facts_by_certainty
                    .get(c.as_str())
                    .copied()
                    .unwrap_or(0);
                rows.push(vec![format!("  {c}"), n.to_string()]);
            }
            rows.push(vec![
                "  negated".to_owned(),
                stats.negated_facts.to_string(),
            ]);
            rows.push(vec!["triples".to_owned(), stats.triples.to_string()]);
            rows.push(vec![
                "named graphs".to_owned(),
                stats.named_graphs.to_string(),
            ]);
            let header = ["what".to_owned(), "count".to_owned()];
            write_rows(out, format, &header, &rows)
        }
        other => {
            return Err(Error::Usage(format!(
                "stats writes table, csv, tsv or json, not {other}"
            )))
        }
    };
    written.map_err(|e| Error::io("writing stats", e))?;
    Ok(Outcome::Success)
}

/// Lists the ingested articles as a table, CSV, TSV or JSON.
pub fn articles(store: &GraphStore, format: OutputFormat, out: &mut dyn Write) -> Result<Outcome> {
    let articles = store.articles().map_err(|e| Error::Store(e.into()))?;
    let header: Vec<String> = ["id", "published", "language", "facts", "publisher", "title"]
        .map(str::to_owned)
        .to_vec();
    let rows: Vec<Vec<String>> = articles
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.published.clone(),
                a.language.clone(),
                a.facts.to_string(),
                a.publisher.clone().unwrap_or_default(),
                a.title.clone(),
            ]
        })
        .collect();
    match format {
        OutputFormat::Json => write_json_to(out, &articles)?,
        OutputFormat::Table | OutputFormat::Csv | OutputFormat::Tsv => {
            write_rows(out, format, &header, &rows).map_err(|e| Error::io("writing articles", e))?
        }
        other => {
            return Err(Error::Usage(format!(
                "articles writes table, csv, tsv or json, not {other}"
            )))
        }
    }
    Ok(if articles.is_empty() {
        Outcome::NoResult
    } else {
        Outcome::Success
    })
}

fn write_rows(
    out: &mut dyn Write,
    format: OutputFormat,
    header: &[String],
    rows: &[Vec<String>],
) -> io::Result<()> {
    match format {
        OutputFormat::Table => write_table(out, header, rows),
        _ => write_delimited(out, header, rows, format == OutputFormat::Tsv),
    }
}

/// The default store: `STORYGRAPH_STORE` (read by clap), else the platform's
/// data directory (`~/.local/share/storygraph/store` on Linux).
pub fn default_store_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("storygraph")
        .join("store")
}

pub fn open_store(path: Option<PathBuf>, memory: bool) -> Result<GraphStore> {
    if memory {
        return Ok(GraphStore::memory()?);
    }
    let path = path.unwrap_or_else(default_store_path);
    Ok(GraphStore::open(&path)?)
}

fn store_note(store: &GraphStore) -> String {
    match store.location() {
        Some(path) => format!(" into {}", path.display()),
        None => " into a throwaway in-memory store".to_owned(),
    }
}

fn default_format(results: &oxigraph::sparql::QueryResults<'_>) -> OutputFormat {
    match results {
        oxigraph::sparql::QueryResults::Graph(_) => OutputFormat::Turtle,
        _ if io::stdout().is_terminal() => OutputFormat::Table,
        _ => OutputFormat::Tsv,
    }
}

/// The SPARQL text from the argument, a file, or stdin.
fn text_argument(text: Option<String>, file: Option<&Path>, what: &str) -> Result<String> {
    if let Some(text) = text {
        return Ok(text);
    }
    if let Some(path) = file {
        return std::fs::read_to_string(path)
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
    Ok(text)
}

/// Writes one JSON document (and a newline) to `out`.
pub fn write_json_to(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<()> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| Error::io("writing JSON", e.into()))?;
    writeln!(out, "{text}").map_err(|e| Error::io("writing JSON", e))
}

pub fn write_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    write_stdout_result(|out| write(out).map_err(|e| Error::io("writing to stdout", e)))
}

fn write_stdout_result<T>(write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let value = write(&mut out)?;
    out.flush().map_err(|e| Error::io("writing to stdout", e))?;
    Ok(value)
}
