//! Writing SPARQL results: solutions, booleans and graphs, in any
//! [`ResultsFormat`]. The W3C formats come from Oxigraph's own serialisers,
//! so they are exactly the standard ones.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::QueryResults;

use super::table::write_table;
use super::ResultsFormat;
use crate::store::{GraphStore, QueryError};
use crate::vocab;

/// What was written: how many rows (solutions or triples), or the boolean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultSummary {
    Rows(usize),
    Boolean(bool),
}

impl std::fmt::Display for ResultSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResultSummary::Rows(1) => f.write_str("1 row"),
            ResultSummary::Rows(n) => write!(f, "{n} rows"),
            ResultSummary::Boolean(b) => write!(f, "{b}"),
        }
    }
}

/// Where a table finds the label it shows after an IRI.
pub trait Labels {
    fn label(&self, iri: &str) -> Option<String>;
}

/// Labels known in advance (the shell's, loaded with its completion).
impl Labels for HashMap<String, String> {
    fn label(&self, iri: &str) -> Option<String> {
        self.get(iri).cloned()
    }
}

/// Labels read from the store as the table needs them, each IRI once: a
/// one-off `query` would pay more for loading every entity's label than
/// for the query.
pub struct StoreLabels<'s> {
    store: &'s GraphStore,
    seen: RefCell<HashMap<String, Option<String>>>,
}

impl<'s> StoreLabels<'s> {
    pub fn new(store: &'s GraphStore) -> StoreLabels<'s> {
        StoreLabels {
            store,
            seen: RefCell::default(),
        }
    }
}

impl Labels for StoreLabels<'_> {
    fn label(&self, iri: &str) -> Option<String> {
        if let Some(label) = self.seen.borrow().get(iri) {
            return label.clone();
        }
        // A label that cannot be read leaves the IRI alone: the table
        // still says everything the query returned.
        let label = NamedNode::new(iri)
            .ok()
            .and_then(|node| self.store.preferred_label(node.as_ref()).ok().flatten());
        self.seen.borrow_mut().insert(iri.to_owned(), label.clone());
        label
    }
}

/// How a table shows terms and how much of it. The machine-readable
/// formats ignore these: they always hold every row, terms in full.
#[derive(Clone, Copy, Default)]
pub struct TableOptions<'a> {
    /// Show at most this many rows; the rest are counted on a last line.
    pub limit: Option<usize>,
    /// Labels of IRIs (entities), shown after the shortened IRI.
    pub labels: Option<&'a dyn Labels>,
    /// Prefixes to shorten IRIs with, besides the built-in ones.
    pub prefixes: &'a [(String, String)],
}

impl TableOptions<'_> {
    /// A term as a person reads it in a table: prefixed names for IRIs
    /// (with the label of an entity), the text of literals (the original
    /// script, untouched), triple terms in `<< >>`.
    pub fn display(&self, term: &Term) -> String {
        match term {
            Term::NamedNode(n) => {
                let short = self.shorten(n.as_str());
                match self.labels.and_then(|l| l.label(n.as_str())) {
                    Some(label) => format!("{short} ({label})"),
                    None => short,
                }
            }
            Term::Triple(t) => format!(
                "<< {} {} {} >>",
                self.display(&t.subject.clone().into()),
                self.shorten(t.predicate.as_str()),
                self.display(&t.object)
            ),
            other => display_term(other),
        }
    }

    fn shorten(&self, iri: &str) -> String {
        for (prefix, ns) in self.prefixes {
            if let Some(local) = iri.strip_prefix(ns.as_str()) {
                if vocab::is_simple_local(local) {
                    return format!("{prefix}:{local}");
                }
            }
        }
        vocab::shorten(iri)
    }

    /// Writes the table, cut at the limit with the rest counted.
    fn write(
        &self,
        out: &mut dyn Write,
        header: &[String],
        rows: &[Vec<String>],
    ) -> std::io::Result<()> {
        match self.limit {
            Some(limit) if rows.len() > limit => {
                write_table(out, header, &rows[..limit])?;
                writeln!(
                    out,
                    "… {} more rows not shown ({} in all; `.limit` shows more)",
                    rows.len() - limit,
                    rows.len()
                )
            }
            _ => write_table(out, header, rows),
        }
    }
}

impl ResultSummary {
    /// True when the result is empty or false (exit code 1 territory).
    pub fn is_empty(self) -> bool {
        matches!(self, ResultSummary::Rows(0) | ResultSummary::Boolean(false))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("--format {format} writes {writes}, but this query returns {returns}; use {instead}")]
    WrongFormat {
        format: ResultsFormat,
        writes: &'static str,
        returns: &'static str,
        instead: &'static str,
    },
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

const SOLUTION_FORMATS: &str = "table, csv, tsv, json or xml";
const GRAPH_FORMATS: &str = "table, turtle, ntriples, nquads, trig, rdfxml or jsonld";

/// The format results are written in unless one is asked for: a table for
/// a person at a terminal; otherwise TSV, and Turtle for graphs.
pub fn default_format(results: &QueryResults<'_>, terminal: bool) -> ResultsFormat {
    match (results, terminal) {
        (_, true) => ResultsFormat::Table,
        (QueryResults::Graph(_), false) => ResultsFormat::Turtle,
        (_, false) => ResultsFormat::Tsv,
    }
}

/// Writes `results` to `out` in `format`.
pub fn write_results(
    results: QueryResults<'_>,
    format: ResultsFormat,
    out: &mut dyn Write,
    table: &TableOptions<'_>,
) -> Result<ResultSummary, RenderError> {
    match results {
        QueryResults::Solutions(solutions) => {
            let variables: Vec<_> = solutions.variables().to_vec();
            if format == ResultsFormat::Table {
                let header: Vec<String> = variables.iter().map(|v| v.as_str().to_owned()).collect();
                let mut rows = Vec::new();
                for solution in solutions {
                    let solution = solution.map_err(QueryError::from)?;
                    rows.push(
                        variables
                            .iter()
                            .map(|v| {
                                solution
                                    .get(v)
                                    .map(|t| table.display(t))
                                    .unwrap_or_default()
                            })
                            .collect(),
                    );
                }
                let n = rows.len();
                table.write(out, &header, &rows)?;
                return Ok(ResultSummary::Rows(n));
            }
            let results_format = solution_format(format)?;
            let mut writer = QueryResultsSerializer::from_format(results_format)
                .serialize_solutions_to_writer(&mut *out, variables)?;
            let mut n = 0;
            for solution in solutions {
                let solution = solution.map_err(QueryError::from)?;
                writer.serialize(&solution)?;
                n += 1;
            }
            writer.finish()?;
            Ok(ResultSummary::Rows(n))
        }
        QueryResults::Boolean(value) => {
            if format == ResultsFormat::Table {
                writeln!(out, "{value}")?;
            } else {
                QueryResultsSerializer::from_format(solution_format(format)?)
                    .serialize_boolean_to_writer(&mut *out, value)?;
                if matches!(format, ResultsFormat::Csv | ResultsFormat::Tsv) {
                    writeln!(out)?;
                }
            }
            Ok(ResultSummary::Boolean(value))
        }
        QueryResults::Graph(triples) => {
            if format == ResultsFormat::Table {
                let header = ["subject", "predicate", "object"].map(str::to_owned);
                let mut rows = Vec::new();
                for triple in triples {
                    let t = triple.map_err(QueryError::from)?;
                    rows.push(vec![
                        table.display(&t.subject.into()),
                        table.shorten(t.predicate.as_str()),
                        table.display(&t.object),
                    ]);
                }
                let n = rows.len();
                table.write(out, &header, &rows)?;
                return Ok(ResultSummary::Rows(n));
            }
            let mut serializer = RdfSerializer::from_format(graph_format(format)?);
            for (prefix, ns) in vocab::PREFIXES {
                serializer = serializer
                    .with_prefix(*prefix, *ns)
                    .map_err(std::io::Error::other)?;
            }
            let mut writer = serializer.for_writer(&mut *out);
            let mut n = 0;
            for triple in triples {
                let t = triple.map_err(QueryError::from)?;
                writer.serialize_triple(&t)?;
                n += 1;
            }
            writer.finish()?;
            Ok(ResultSummary::Rows(n))
        }
    }
}

fn solution_format(format: ResultsFormat) -> Result<QueryResultsFormat, RenderError> {
    match format {
        ResultsFormat::Csv => Ok(QueryResultsFormat::Csv),
        ResultsFormat::Tsv => Ok(QueryResultsFormat::Tsv),
        ResultsFormat::Json => Ok(QueryResultsFormat::Json),
        ResultsFormat::Xml => Ok(QueryResultsFormat::Xml),
        _ => Err(RenderError::WrongFormat {
            format,
            writes: "graphs",
            returns: "solutions",
            instead: SOLUTION_FORMATS,
        }),
    }
}

pub fn graph_format(format: ResultsFormat) -> Result<RdfFormat, RenderError> {
    match format {
        ResultsFormat::Turtle => Ok(RdfFormat::Turtle),
        ResultsFormat::Ntriples => Ok(RdfFormat::NTriples),
        ResultsFormat::Nquads => Ok(RdfFormat::NQuads),
        ResultsFormat::Trig => Ok(RdfFormat::TriG),
        ResultsFormat::Rdfxml => Ok(RdfFormat::RdfXml),
        ResultsFormat::Jsonld => Ok(RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        }),
        _ => Err(RenderError::WrongFormat {
            format,
            writes: "solutions",
            returns: "a graph",
            instead: GRAPH_FORMATS,
        }),
    }
}

/// A term as a person reads it in a table: prefixed names for IRIs, the
/// text of literals (the original script, untouched), triple terms in `<< >>`.
pub fn display_term(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => vocab::shorten(n.as_str()),
        Term::BlankNode(b) => b.to_string(),
        Term::Literal(l) => l.value().to_owned(),
        Term::Triple(t) => format!(
            "<< {} {} {} >>",
            display_term(&t.subject.clone().into()),
            vocab::shorten(t.predicate.as_str()),
            display_term(&t.object)
        ),
    }
}
