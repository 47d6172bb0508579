//! The ingest pipeline: files in, store updated. It reads each input, parses
//! and validates it (`input`), resolves entity ids (`store::Resolver`), maps
//! documents to quads (`mapping`) and writes them (`GraphStore::write`).
//!
//! Atomicity, as the format promises: every `.json` document and RDF file
//! named in one run is validated before anything is written, then written in
//! one atomic step, so one bad file leaves the store as it was. `.jsonl`
//! files and stdin are streams: each document is its own unit; good units
//! before a bad one stay ingested. A stream's new articles go, batch by
//! batch, into one bulk load committed at its end or at a bad unit (and
//! before any write that replaces an article or merges entities, so the
//! store always holds a prefix of the stream).

use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use oxigraph::io::{RdfFormat, RdfParseError};
use oxigraph::store::StorageError;

use crate::input::format::DocumentInput;
use crate::input::read::{self, ParsedUnit};
use crate::input::validate::{self, declared_ids};
use crate::input::Diagnostic;
use crate::mapping::{self, MappedDocument};
use crate::model::Document;
use crate::ontology::Ontology;
use crate::store::{self, GraphStore, PendingLoad, RdfInput, Resolver};

/// Where input comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputSource {
    Path(PathBuf),
    /// A JSON document stream on standard input (`-`).
    Stdin,
}

impl InputSource {
    pub fn from_arg(arg: &str) -> InputSource {
        if arg == "-" {
            InputSource::Stdin
        } else {
            InputSource::Path(PathBuf::from(arg))
        }
    }

    fn name(&self) -> String {
        match self {
            InputSource::Path(p) => p.display().to_string(),
            InputSource::Stdin => "<stdin>".to_owned(),
        }
    }
}

/// What to do with a bad unit of a stream.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnError {
    /// Stop at the first bad unit; the good ones before it stay ingested.
    #[default]
    Stop,
    /// Report the bad unit and go on with the next.
    Skip,
}

#[derive(Clone, Copy, Default)]
pub struct IngestOptions<'p> {
    pub on_error: OnError,
    /// Told how far the ingest has come after every write (the library
    /// never draws; the CLI shows a bar).
    pub progress: Option<&'p dyn Fn(Progress)>,
    /// How many facts of a stream are resolved and mapped per write
    /// (default `STREAM_BATCH_FACTS`; at most `REPLACE_BATCH_FACTS`
    /// while articles are being replaced).
    pub batch_facts: Option<usize>,
}

/// How far an ingest has come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Bytes of input written, of `total_bytes` (0 when unknown: stdin).
    pub bytes: u64,
    pub total_bytes: u64,
    /// Facts written so far.
    pub facts: usize,
}

/// What a run ingested.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IngestReport {
    pub files: usize,
    pub articles: usize,
    pub facts: usize,
    /// Distinct entity ids declared by the run's documents.
    pub entities: usize,
    /// Quads written.
    pub triples: usize,
    /// Articles already in the store in this exact version (not rewritten).
    pub unchanged: usize,
    /// Units of streams skipped with `OnError::Skip`.
    pub skipped: Vec<FileDiagnostic>,
    pub seconds: f64,
}

/// A diagnostic and the file it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileDiagnostic {
    pub file: String,
    pub diagnostic: Diagnostic,
}

impl fmt::Display for FileDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.diagnostic)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// Input that is malformed or breaks the format's rules.
    #[error("{}", render_invalid(.problems, .ingested))]
    Invalid {
        problems: Vec<FileDiagnostic>,
        /// What was ingested before a stream stopped (nothing for `.json`).
        ingested: Box<IngestReport>,
    },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: unknown file type; expected .json (one document), .jsonl or .ndjson (one per line), - (stdin), or RDF: .ttl, .trig, .nt, .nq, .rdf, .owl, .n3, .jsonld", path.display())]
    UnknownFormat { path: PathBuf },
    #[error("{file}: {error}")]
    Rdf { file: String, error: RdfParseError },
    #[error(
        "writing to the store failed, nothing of this run since its last commit was written: {0}"
    )]
    Storage(#[from] StorageError),
}

fn render_invalid(problems: &[FileDiagnostic], ingested: &IngestReport) -> String {
    const SHOWN: usize = 50;
    let mut text = String::new();
    for p in problems.iter().take(SHOWN) {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&p.to_string());
    }
    if problems.len() > SHOWN {
        text.push_str(&format!(
            "\n... and {} more problems",
            problems.len() - SHOWN
        ));
    }
    if ingested.articles > 0 {
        text.push_str(&format!(
            "\nstopped there; the {} articles before it are ingested (use --on-error skip to go on past bad lines)",
            ingested.articles
        ));
    } else {
        text.push_str("\nnothing was written; the store is as it was");
    }
    text
}

enum Kind {
    Document,
    Lines,
    Stream,
    Rdf(RdfFormat),
}

fn kind_of(source: &InputSource) -> Result<Kind, IngestError> {
    let path = match source {
        InputSource::Stdin => return Ok(Kind::Stream),
        InputSource::Path(p) => p,
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "json" => Ok(Kind::Document),
        "jsonl" | "ndjson" => Ok(Kind::Lines),
        "jsonld" => Ok(Kind::Rdf(RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfile::Expanded.into(),
        })),
        "ttl" => Ok(Kind::Rdf(RdfFormat::Turtle)),
        "trig" => Ok(Kind::Rdf(RdfFormat::TriG)),
        "nt" => Ok(Kind::Rdf(RdfFormat::NTriples)),
        "nq" => Ok(Kind::Rdf(RdfFormat::NQuads)),
        "rdf" | "owl" => Ok(Kind::Rdf(RdfFormat::RdfXml)),
        "n3" => Ok(Kind::Rdf(RdfFormat::N3)),
        _ => Err(IngestError::UnknownFormat { path: path.clone() }),
    }
}

fn read_all(source: &InputSource) -> Result<Vec<u8>, IngestError> {
    match source {
        InputSource::Path(path) => std::fs::read(path).map_err(|source| IngestError::Read {
            path: path.clone(),
            source,
        }),
        InputSource::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|source| IngestError::Read {
                    path: PathBuf::from("-"),
                    source,
                })?;
            Ok(bytes)
        }
    }
}

/// Ingests `sources` into `store`.
pub fn ingest(
    store: &GraphStore,
    sources: &[InputSource],
    options: IngestOptions<'_>,
) -> Result<IngestReport, IngestError> {
    let started = Instant::now();
    let total_bytes: u64 = sources
        .iter()
        .filter_map(|s| match s {
            InputSource::Path(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            InputSource::Stdin => None,
        })
        .sum();
    let mut bytes_done = 0u64;
    let report_progress = |bytes: u64, facts: usize| {
        if let Some(progress) = options.progress {
            progress(Progress {
                bytes,
                total_bytes,
                facts,
            });
        }
    };
    let ontology = Ontology::get();
    let mut writer = Writer {
        store,
        resolver: store.resolver(),
        report: IngestReport::default(),
        entity_ids: HashSet::new(),
        pending: PendingLoad::default(),
    };
    let mut problems = Vec::new();
    let mut documents: Vec<(String, DocumentInput)> = Vec::new();
    let mut rdf: Vec<RdfInput> = Vec::new();
    let mut streams: Vec<(&InputSource, Kind)> = Vec::new();

    // Phase 1: read and parse every input; streams wait for phase 3.
    for source in sources {
        let kind = kind_of(source)?;
        writer.report.files += 1;
        if matches!(kind, Kind::Lines | Kind::Stream) {
            streams.push((source, kind));
            continue;
        }
        let bytes = read_all(source)?;
        bytes_done += bytes.len() as u64;
        let name = source.name();
        match kind {
            Kind::Document => match read::parse_document(&bytes) {
                Ok(doc) => documents.push((name, doc)),
                Err(diagnostic) => problems.push(FileDiagnostic {
                    file: name,
                    diagnostic,
                }),
            },
            Kind::Rdf(format) => {
                let parsed = store::parse_rdf(format, &bytes)
                    .map_err(|error| IngestError::Rdf { file: name, error })?;
                rdf.push(parsed);
            }
            Kind::Lines | Kind::Stream => {}
        }
    }

    // Phase 2: validate all documents, then write them and the RDF at once.
    for (_, doc) in &documents {
        writer.resolver.expect_ids(declared_ids(doc));
    }
    let mut valid = Vec::new();
    for (name, doc) in documents {
        match validate::validate(doc, ontology, &writer.resolver) {
            Ok(doc) => valid.push(doc),
            Err(diagnostics) => {
                problems.extend(diagnostics.into_iter().map(|diagnostic| FileDiagnostic {
                    file: name.clone(),
                    diagnostic,
                }))
            }
        }
    }
    if !problems.is_empty() {
        return Err(IngestError::Invalid {
            problems,
            ingested: Box::default(),
        });
    }
    if !valid.is_empty() || !rdf.is_empty() {
        writer.write(&valid, &rdf, false)?;
        report_progress(bytes_done, writer.report.facts);
    }

    // Phase 3: streams, unit by unit, written in batches.
    for (source, kind) in streams {
        let name = source.name();
        let stream_start = bytes_done;
        let mut bytes_written = bytes_done;
        // A .jsonl file is read a line at a time (memory bounded by the
        // longest line); stdin has no line structure to rely on.
        let units: Box<dyn Iterator<Item = std::io::Result<ParsedUnit>>> = match (kind, source) {
            (Kind::Lines, InputSource::Path(path)) => {
                let file = std::fs::File::open(path).map_err(|source| IngestError::Read {
                    path: path.clone(),
                    source,
                })?;
                Box::new(read::Lines::new(std::io::BufReader::with_capacity(
                    1 << 20,
                    file,
                )))
            }
            _ => Box::new(read::parse_stream(&read_all(source)?).into_iter().map(Ok)),
        };
        let mut batch: Vec<Document> = Vec::new();
        let mut batch_facts = 0;
        let mut batch_replaces = false;
        for unit in units {
            let unit = unit.map_err(|source| IngestError::Read {
                path: PathBuf::from(&name),
                source,
            })?;
            bytes_done = stream_start + unit.end;
            let validated = unit.document.map_err(|d| vec![d]).and_then(|doc| {
                writer.resolver.expect_ids(declared_ids(&doc));
                validate::validate(doc, ontology, &writer.resolver).map_err(|ds| {
                    ds.into_iter()
                        .map(|mut d| {
                            d.line.get_or_insert(unit.line);
                            d
                        })
                        .collect()
                })
            });
            match validated {
                Ok(doc) => {
                    batch_facts += doc.articles.iter().map(|a| a.facts.len()).sum::<usize>();
                    for article in &doc.articles {
                        batch_replaces |= store.contains_article(&article.id)?;
                    }
                    batch.push(doc);
                    // Replacing goes through a transaction, which holds its
                    // writes in memory: smaller batches stay fast.
                    let new_limit = options.batch_facts.unwrap_or(STREAM_BATCH_FACTS);
                    let limit = if batch_replaces {
                        new_limit.min(REPLACE_BATCH_FACTS)
                    } else {
                        new_limit
                    };
                    if batch_facts >= limit {
                        writer.write(&batch, &[], true)?;
                        batch.clear();
                        batch_facts = 0;
                        batch_replaces = false;
                        bytes_written = bytes_done;
                    }
                    // Every unit, so the bar shows (and its clock ticks)
                    // while a batch is being read.
                    report_progress(bytes_written, writer.report.facts);
                }
                Err(diagnostics) => {
                    let bad = diagnostics.into_iter().map(|diagnostic| FileDiagnostic {
                        file: name.clone(),
                        diagnostic,
                    });
                    match options.on_error {
                        OnError::Skip => writer.report.skipped.extend(bad),
                        OnError::Stop => {
                            writer.write(&batch, &[], true)?;
                            writer.commit()?;
                            store.flush()?;
                            writer.report.seconds = started.elapsed().as_secs_f64();
                            return Err(IngestError::Invalid {
                                problems: bad.collect(),
                                ingested: Box::new(writer.report),
                            });
                        }
                    }
                }
            }
        }
        writer.write(&batch, &[], true)?;
    }
    writer.commit()?;
    store.flush()?;
    writer.report.seconds = started.elapsed().as_secs_f64();
    Ok(writer.report)
}

/// How many facts of a stream go into one write of new articles (bulk
/// loader) and into one write that replaces articles (transaction). Small
/// enough that a batch's memory is reused by the next (at 50,000 facts a
/// 100k ingest peaked at 1.4 GB and was slower for the fresh pages).
const STREAM_BATCH_FACTS: usize = 10_000;
const REPLACE_BATCH_FACTS: usize = 2_000;

/// Resolves, maps and writes batches of documents, keeping the run's counts.
struct Writer<'s> {
    store: &'s GraphStore,
    resolver: Resolver<'s>,
    report: IngestReport,
    entity_ids: HashSet<String>,
    /// The streams' new articles, in the store once committed (at the end,
    /// at a bad unit, or before a write that replaces or merges).
    pending: PendingLoad<'s>,
}

impl Writer<'_> {
    /// Writes `docs` and `rdf` at once, or, for a stream (`streamed`), adds
    /// the new articles of `docs` to the pending load.
    fn write(
        &mut self,
        docs: &[Document],
        rdf: &[RdfInput],
        streamed: bool,
    ) -> Result<(), IngestError> {
        if docs.is_empty() && rdf.is_empty() {
            return Ok(());
        }
        self.resolver.resolve(docs)?;
        let mapped: Vec<MappedDocument> = docs
            .iter()
            .map(|doc| mapping::map_document(doc, self.resolver.resolution()))
            .collect();
        let merges = self.resolver.take_merges();
        let outcome = if streamed {
            self.store
                .write_pending(&mut self.pending, &mapped, &merges)?
        } else {
            self.store.write(&mapped, rdf, &merges)?
        };
        let report = &mut self.report;
        report.unchanged += outcome.unchanged;
        report.triples += outcome.quads;
        for (doc, mapped) in docs.iter().zip(&mapped) {
            report.articles += doc.articles.len();
            report.facts += mapped.articles.iter().map(|a| a.facts).sum::<usize>();
            for entity in &doc.entities {
                if self.entity_ids.insert(entity.id.clone()) {
                    report.entities += 1;
                }
            }
        }
        Ok(())
    }

    /// Commits the pending load.
    fn commit(&mut self) -> Result<(), IngestError> {
        Ok(self.store.commit_pending(&mut self.pending)?)
    }
}
