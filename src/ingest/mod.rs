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

use crate::input::locate::locate_all;
use crate::input::read::{self, ParsedUnit};
use crate::input::validate::Validated;
use crate::input::{Diagnostic, ParsedDocument};
use crate::keyword::keyword_enum;
use crate::model::Document;
use crate::ontology::Ontology;
use crate::store::{self, GraphStore, PendingLoad, RdfInput};
use writer::{Batch, Writer};

mod writer;

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

keyword_enum! {
    /// What to do with a bad unit of a stream.
    #[derive(Default)]
    pub enum OnError {
        /// Stop at the first bad line; lines before it stay ingested
        Stop = "stop" as default,
        /// Report bad lines and go on
        Skip = "skip",
    }
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
    /// The text of the one article of the one `.json` document ingested
    /// (`ingest --text FILE`); its facts' evidence is checked against it.
    pub text: Option<&'p str>,
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
    /// The problems of the stream units skipped with `OnError::Skip`
    /// (the first [`KEPT_DIAGNOSTICS`]; `skipped_problems` counts all).
    pub skipped: Vec<FileDiagnostic>,
    pub skipped_problems: usize,
    /// How many units were skipped (a unit may have several problems).
    pub skipped_units: usize,
    /// What was ingested but looks wrong, such as a fact dated after its
    /// article (the first [`KEPT_DIAGNOSTICS`]; `warning_count` counts all).
    pub warnings: Vec<FileDiagnostic>,
    pub warning_count: usize,
    pub seconds: f64,
}

/// How many warnings, and problems of skipped units, a report keeps: a
/// corpus whose every other fact warns held 4 million warnings (1.7 GB) at
/// 10 million facts, more than anyone reads; the rest are counted.
pub const KEPT_DIAGNOSTICS: usize = 1000;

/// Adds `more` to `kept` up to [`KEPT_DIAGNOSTICS`], counting all in `count`.
fn keep_some(
    kept: &mut Vec<FileDiagnostic>,
    count: &mut usize,
    more: impl Iterator<Item = FileDiagnostic>,
) {
    for diagnostic in more {
        *count += 1;
        if kept.len() < KEPT_DIAGNOSTICS {
            kept.push(diagnostic);
        }
    }
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
    #[error(
        "an article text (--text) goes with exactly one .json document holding one article; {0}"
    )]
    TextWithoutOneDocument(String),
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
            "\nstopped there; the {} before it {} ingested (use --on-error skip to go on past bad lines)",
            match ingested.articles {
                1 => "article".to_owned(),
                n => format!("{n} articles"),
            },
            if ingested.articles == 1 { "is" } else { "are" }
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
    if options.text.is_some() {
        match sources {
            [source] if matches!(kind_of(source)?, Kind::Document) => {}
            [source] => {
                return Err(IngestError::TextWithoutOneDocument(format!(
                    "{} is a stream or RDF",
                    source.name()
                )))
            }
            _ => {
                return Err(IngestError::TextWithoutOneDocument(format!(
                    "{} inputs were given",
                    sources.len()
                )))
            }
        }
    }
    let mut run = Run {
        started: Instant::now(),
        options,
        total_bytes: sources
            .iter()
            .filter_map(|s| match s {
                InputSource::Path(p) => std::fs::metadata(p).ok().map(|m| m.len()),
                InputSource::Stdin => None,
            })
            .sum(),
        bytes_done: 0,
        writer: Writer {
            store,
            resolver: store.resolver(),
            report: IngestReport::default(),
            entity_ids: HashSet::new(),
            pending: PendingLoad::default(),
        },
    };
    // Phase 1: read and parse every input; streams wait for phase 3.
    let inputs = run.read(sources)?;
    // Phase 2: validate all documents, then write them and the RDF at once.
    run.write_documents(inputs.documents, &inputs.rdf)?;
    // Phase 3: streams, unit by unit, written in batches.
    for (source, kind) in inputs.streams {
        run.stream(source, kind)?;
    }
    run.writer.commit()?;
    store.flush()?;
    Ok(run.finish())
}

/// The inputs of a run, read: documents and RDF to write at once, streams
/// to read unit by unit.
struct Inputs<'a> {
    /// Each document's file name, parsed document and text (to locate
    /// its problems).
    documents: Vec<(String, ParsedDocument, Vec<u8>)>,
    rdf: Vec<RdfInput>,
    streams: Vec<(&'a InputSource, Kind)>,
}

/// One run of [`ingest`]: its options, how far it has come, its writer.
struct Run<'s, 'p> {
    started: Instant,
    options: IngestOptions<'p>,
    total_bytes: u64,
    bytes_done: u64,
    writer: Writer<'s>,
}

impl<'s> Run<'s, '_> {
    fn report_progress(&self, bytes: u64) {
        if let Some(progress) = self.options.progress {
            progress(Progress {
                bytes,
                total_bytes: self.total_bytes,
                facts: self.writer.report.facts,
            });
        }
    }

    /// Keeps a file's warnings for the report.
    fn warn(&mut self, file: &str, warnings: Vec<Diagnostic>) {
        let warnings = warnings.into_iter().map(|diagnostic| FileDiagnostic {
            file: file.to_owned(),
            diagnostic,
        });
        let report = &mut self.writer.report;
        keep_some(&mut report.warnings, &mut report.warning_count, warnings);
    }

    fn finish(mut self) -> IngestReport {
        self.writer.report.seconds = self.started.elapsed().as_secs_f64();
        self.writer.report
    }

    /// Reads and parses every `.json` document and RDF file; a malformed
    /// document is reported with the others' problems in phase 2, a
    /// malformed RDF file stops the run.
    fn read<'a>(&mut self, sources: &'a [InputSource]) -> Result<Inputs<'a>, IngestError> {
        let mut inputs = Inputs {
            documents: Vec::new(),
            rdf: Vec::new(),
            streams: Vec::new(),
        };
        let mut malformed = Vec::new();
        for source in sources {
            let kind = kind_of(source)?;
            self.writer.report.files += 1;
            if matches!(kind, Kind::Lines | Kind::Stream) {
                inputs.streams.push((source, kind));
                continue;
            }
            let bytes = read_all(source)?;
            self.bytes_done += bytes.len() as u64;
            let name = source.name();
            match kind {
                Kind::Document => match read::parse_document(&bytes) {
                    Ok(mut doc) => match self.options.text.map(|t| doc.attach_text(t.to_owned())) {
                        Some(Err(message)) => malformed.push(FileDiagnostic {
                            file: name,
                            diagnostic: Diagnostic {
                                line: None,
                                column: None,
                                path: Some("articles".to_owned()),
                                message,
                                hint: None,
                            },
                        }),
                        _ => inputs.documents.push((name, doc, bytes)),
                    },
                    Err(diagnostic) => malformed.push(FileDiagnostic {
                        file: name,
                        diagnostic,
                    }),
                },
                Kind::Rdf(format) => {
                    let parsed = store::parse_rdf(format, &bytes)
                        .map_err(|error| IngestError::Rdf { file: name, error })?;
                    inputs.rdf.push(parsed);
                }
                Kind::Lines | Kind::Stream => {}
            }
        }
        if malformed.is_empty() {
            Ok(inputs)
        } else {
            // The well-formed documents are validated too, so that one run
            // reports every problem.
            let mut problems = malformed;
            problems.extend(self.validate(inputs.documents).err().unwrap_or_default());
            Err(IngestError::Invalid {
                problems,
                ingested: Box::default(),
            })
        }
    }

    /// Validates every document against the store and each other (ids one
    /// declares may be used by another), or lists every problem.
    fn validate(
        &mut self,
        documents: Vec<(String, ParsedDocument, Vec<u8>)>,
    ) -> Result<Vec<Document>, Vec<FileDiagnostic>> {
        for (_, doc, _) in &documents {
            self.writer.resolver.expect_ids(doc.declared_ids());
            self.writer
                .resolver
                .expect_predicates(doc.declared_predicates());
        }
        let mut valid = Vec::new();
        let mut problems = Vec::new();
        for (name, doc, text) in documents {
            match doc.validate(Ontology::get(), &self.writer.resolver) {
                Ok(mut validated) => {
                    locate_all(&text, 1, &mut validated.warnings);
                    self.warn(&name, validated.warnings);
                    valid.push(validated.document);
                }
                Err(mut diagnostics) => {
                    locate_all(&text, 1, &mut diagnostics);
                    problems.extend(diagnostics.into_iter().map(|diagnostic| FileDiagnostic {
                        file: name.clone(),
                        diagnostic,
                    }))
                }
            }
        }
        if problems.is_empty() {
            Ok(valid)
        } else {
            Err(problems)
        }
    }

    /// Validates the documents and writes them with the RDF in one atomic
    /// write, or writes nothing.
    fn write_documents(
        &mut self,
        documents: Vec<(String, ParsedDocument, Vec<u8>)>,
        rdf: &[RdfInput],
    ) -> Result<(), IngestError> {
        let valid = self
            .validate(documents)
            .map_err(|problems| IngestError::Invalid {
                problems,
                ingested: Box::default(),
            })?;
        if !valid.is_empty() || !rdf.is_empty() {
            self.writer.write(&valid, rdf, false)?;
            self.report_progress(self.bytes_done);
        }
        Ok(())
    }

    /// Reads a stream unit by unit and writes its good units in batches;
    /// a bad unit is skipped or stops the run, as the options say.
    fn stream(&mut self, source: &InputSource, kind: Kind) -> Result<(), IngestError> {
        let name = source.name();
        let stream_start = self.bytes_done;
        let mut bytes_written = self.bytes_done;
        // A .jsonl file is read a line at a time, stdin a document at a
        // time: memory is bounded by the longest line or document.
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
            (_, InputSource::Stdin) => Box::new(read::Stream::new(std::io::stdin().lock())),
            (_, InputSource::Path(path)) => {
                let file = std::fs::File::open(path).map_err(|source| IngestError::Read {
                    path: path.clone(),
                    source,
                })?;
                Box::new(read::Stream::new(file))
            }
        };
        let mut batch = Batch::default();
        for unit in units {
            let unit = unit.map_err(|source| IngestError::Read {
                path: PathBuf::from(&name),
                source,
            })?;
            self.bytes_done = stream_start + unit.end;
            match self.validate_unit(unit) {
                Ok(validated) => {
                    self.warn(&name, validated.warnings);
                    let doc = validated.document;
                    let mut replaces = false;
                    for article in &doc.articles {
                        replaces |= self.writer.store.contains_article(&article.id)?;
                    }
                    batch.push(doc, replaces);
                    if batch.is_full(self.options.batch_facts) {
                        self.writer.write(&batch.take(), &[], true)?;
                        bytes_written = self.bytes_done;
                    }
                    // Every unit, so the bar shows (and its clock ticks)
                    // while a batch is being read.
                    self.report_progress(bytes_written);
                }
                Err(diagnostics) => {
                    let bad = diagnostics.into_iter().map(|diagnostic| FileDiagnostic {
                        file: name.clone(),
                        diagnostic,
                    });
                    match self.options.on_error {
                        OnError::Skip => {
                            let report = &mut self.writer.report;
                            report.skipped_units += 1;
                            keep_some(&mut report.skipped, &mut report.skipped_problems, bad);
                        }
                        OnError::Stop => {
                            self.writer.write(&batch.take(), &[], true)?;
                            self.writer.commit()?;
                            self.writer.store.flush()?;
                            self.writer.report.seconds = self.started.elapsed().as_secs_f64();
                            return Err(IngestError::Invalid {
                                problems: bad.collect(),
                                ingested: Box::new(std::mem::take(&mut self.writer.report)),
                            });
                        }
                    }
                }
            }
        }
        self.writer.write(&batch.take(), &[], true)
    }

    /// A stream's unit, validated; its diagnostics carry the unit's line.
    fn validate_unit(&mut self, unit: ParsedUnit) -> Result<Validated, Vec<Diagnostic>> {
        let doc = unit.document.map_err(|d| vec![d])?;
        self.writer.resolver.expect_ids(doc.declared_ids());
        self.writer
            .resolver
            .expect_predicates(doc.declared_predicates());
        let locate = |mut diagnostics: Vec<Diagnostic>| {
            locate_all(&unit.source, unit.line, &mut diagnostics);
            for d in &mut diagnostics {
                d.line.get_or_insert(unit.line);
            }
            diagnostics
        };
        doc.validate(Ontology::get(), &self.writer.resolver)
            .map(|mut v| {
                v.warnings = locate(std::mem::take(&mut v.warnings));
                v
            })
            .map_err(locate)
    }
}

/// Ingests the two sample stories of `data/` (unit tests start from them).
#[cfg(test)]
pub(crate) fn ingest_sample_stories(store: &GraphStore) {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let inputs = [
        "zaman-azerbaijan-coup.json",
        "zaman-azerbaijan-gaza-force.json",
    ]
    .map(|f| InputSource::Path(data.join(f)));
    ingest(store, &inputs, IngestOptions::default()).unwrap();
}
