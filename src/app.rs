//! What each CLI command does: open the store, call the library, write the
//! result to stdout and the summary to stderr. The one place of the binary
//! that does I/O on behalf of the library.

use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use oxigraph::io::RdfFormat;
use storygraph::ingest::{self, IngestOptions, InputSource, OnError};
use storygraph::input::format::json_schema;
use storygraph::render::results::{write_results, ResultSummary};
use storygraph::render::table::{write_delimited, write_table};
use storygraph::render::OutputFormat;
use storygraph::store::{GraphStore, QueryOptions};
use storygraph::{Error, Result};

use crate::cli::{Args, Command, DumpFormat, OnErrorArg};
use crate::graph_commands;

/// How a successful command ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The command worked but found nothing (exit code 1).
    NoResult,
}

pub fn run(args: Args) -> Result<Outcome> {
    match args.command {
        Command::Schema => {
            let schema = serde_json::to_string_pretty(&json_schema())
                .map_err(|e| Error::io("writing the schema", e.into()))?;
            write_stdout(|out| writeln!(out, "{schema}"))?;
            Ok(Outcome::Success)
        }
        Command::Ingest { files, on_error } => {
            let store = open_store(args.store, args.memory)?;
            let sources: Vec<InputSource> =
                files.iter().map(|f| InputSource::from_arg(f)).collect();
            let options = IngestOptions {
                on_error: match on_error {
                    OnErrorArg::Stop => OnError::Stop,
                    OnErrorArg::Skip => OnError::Skip,
                },
            };
            let report = ingest::ingest(&store, &sources, options)?;
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
                store_note(&store),
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
        Command::Query {
            query,
            file,
            format,
            default_graph_only,
        } => {
            let text = text_argument(query, file.as_deref(), "query")?;
            let store = open_store(args.store, args.memory)?;
            let started = Instant::now();
            let options = QueryOptions {
                default_graph_only,
                cancellation: None,
            };
            let results = store.query(&text, &options)?;
            let format = format.unwrap_or_else(|| default_format(&results));
            let summary = write_stdout_result(|out| Ok(write_results(results, format, out)?))?;
            if io::stderr().is_terminal() {
                let what = match summary {
                    ResultSummary::Rows(n) => format!("{n} rows"),
                    ResultSummary::Boolean(b) => format!("{b}"),
                };
                eprintln!("{what} in {:.3} s", started.elapsed().as_secs_f64());
            }
            Ok(if summary.is_empty() {
                Outcome::NoResult
            } else {
                Outcome::Success
            })
        }
        Command::Update { update, file } => {
            let text = text_argument(update, file.as_deref(), "update")?;
            let store = open_store(args.store, args.memory)?;
            store.update(&text)?;
            store.flush().map_err(|e| Error::Store(e.into()))?;
            Ok(Outcome::Success)
        }
        Command::Stats { format } => {
            let store = open_store(args.store, args.memory)?;
            let stats = store.stats().map_err(|e| Error::Store(e.into()))?;
            match format {
                OutputFormat::Json => {
                    let json = serde_json::to_string_pretty(&stats)
                        .map_err(|e| Error::io("writing stats", e.into()))?;
                    write_stdout(|out| writeln!(out, "{json}"))?;
                }
                OutputFormat::Table => {
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
                    write_stdout(|out| write_table(out, &header, &rows))?;
                }
                other => {
                    return Err(Error::Usage(format!(
                        "stats writes table or json, not {other}"
                    )))
                }
            }
            Ok(Outcome::Success)
        }
        Command::Articles { format } => {
            let store = open_store(args.store, args.memory)?;
            let articles = store.articles().map_err(|e| Error::Store(e.into()))?;
            let header: Vec<String> =
                ["id", "published", "language", "facts", "publisher", "title"]
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
                OutputFormat::Table => write_stdout(|out| write_table(out, &header, &rows))?,
                OutputFormat::Csv | OutputFormat::Tsv => {
                    let tab = format == OutputFormat::Tsv;
                    write_stdout(|out| write_delimited(out, &header, &rows, tab))?
                }
                OutputFormat::Json => {
                    let json = serde_json::to_string_pretty(&articles)
                        .map_err(|e| Error::io("writing articles", e.into()))?;
                    write_stdout(|out| writeln!(out, "{json}"))?;
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
        Command::Path(request) => {
            let store = open_store(args.store, args.memory)?;
            graph_commands::path(&store, &request)
        }
        Command::Neighbors {
            entity,
            hops,
            format,
            filter,
        } => {
            let store = open_store(args.store, args.memory)?;
            graph_commands::neighbors(&store, &entity, hops, format, &filter)
        }
        Command::Timeline {
            entity,
            format,
            filter,
        } => {
            let store = open_store(args.store, args.memory)?;
            graph_commands::timeline(&store, &entity, format, &filter)
        }
        Command::Find {
            text,
            format,
            as_of,
        } => {
            let store = open_store(args.store, args.memory)?;
            graph_commands::find(&store, &text, format, as_of)
        }
        Command::Conflicts {
            entity,
            format,
            filter,
        } => {
            let store = open_store(args.store, args.memory)?;
            graph_commands::conflicts(&store, entity.as_deref(), format, &filter)
        }
        Command::Corroboration {
            entity,
            format,
            filter,
        } => {
            let store = open_store(args.store, args.memory)?;
            graph_commands::corroboration(&store, entity.as_deref(), format, &filter)
        }
        Command::Connections {
            a,
            b,
            entity_overlap,
            format,
            filter,
        } => {
            let store = open_store(args.store, args.memory)?;
            graph_commands::connections(&store, [&a, &b], !entity_overlap, format, &filter)
        }
        Command::Dump { format, output } => {
            let store = open_store(args.store, args.memory)?;
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

/// The default store: `STORYGRAPH_STORE` (read by clap), else the platform's
/// data directory (`~/.local/share/storygraph/store` on Linux).
pub fn default_store_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("storygraph")
        .join("store")
}

fn open_store(path: Option<PathBuf>, memory: bool) -> Result<GraphStore> {
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

/// Writes one JSON document (and a newline) to stdout.
pub fn write_json(value: &impl serde::Serialize) -> Result<()> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| Error::io("writing JSON", e.into()))?;
    write_stdout(|out| writeln!(out, "{text}"))
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
