//! SPARQL on the store: queries, updates, plans, and checking text for
//! the shell. Errors carry a line and column: the parser's, or those of
//! the word [`diagnose`] finds the mistake in.

mod diagnose;
mod lexer;
mod service;

use std::io::Write;

use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator, UpdateEvaluationError,
};

use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term};

use super::GraphStore;
use crate::ontology::Ontology;
use crate::vocab::{self, term};
pub use diagnose::UnknownTerm;

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The text does not parse; `line`/`column` are 1-based when known.
    #[error("SPARQL syntax error{}: {message}", position(*line, *column))]
    Syntax {
        message: String,
        line: Option<usize>,
        column: Option<usize>,
    },
    #[error("query evaluation failed: {0}")]
    Evaluation(String),
    #[error("the query was cancelled")]
    Cancelled,
}

fn position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" at line {l}, column {c}"),
        (Some(l), None) => format!(" at line {l}"),
        _ => String::new(),
    }
}

/// How a query sees the store.
#[derive(Clone, Default)]
pub struct QueryOptions {
    /// Use only the store's default graph as the default graph (by default it
    /// is the union of all graphs: background knowledge plus every article).
    pub default_graph_only: bool,
    pub cancellation: Option<CancellationToken>,
    /// Prefixes declared besides the built-in ones (the shell's session).
    pub prefixes: Vec<(String, String)>,
    /// The dataset a SPARQL Protocol request names (`default-graph-uri`,
    /// `named-graph-uri`); it replaces the query's own FROM clauses.
    pub dataset: Option<ProtocolDataset>,
    /// Whether `SERVICE` may reach other endpoints. Off, a `SERVICE`
    /// fails with an error saying so (and `SERVICE SILENT` yields nothing):
    /// no query makes storygraph open a connection unless allowed.
    pub services: Option<std::sync::Arc<dyn ServiceClient>>,
}

/// The graphs of a SPARQL Protocol request's dataset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProtocolDataset {
    pub default_graphs: Vec<NamedNode>,
    pub named_graphs: Vec<NamedNode>,
}

/// Runs the pattern of a `SERVICE` clause on another endpoint: a SELECT of
/// the pattern's variables, sent by the SPARQL Protocol.
pub trait ServiceClient: Send + Sync {
    /// The solutions of `query` (a whole SELECT query) at `endpoint`.
    fn select(
        &self,
        endpoint: &str,
        query: &str,
    ) -> Result<oxigraph::sparql::QuerySolutionIter<'static>, String>;
}

impl GraphStore {
    /// Runs a SPARQL query.
    pub fn query(
        &self,
        text: &str,
        options: &QueryOptions,
    ) -> Result<QueryResults<'static>, QueryError> {
        let mut evaluator = evaluator(&options.prefixes)?
            .with_default_service_handler(service::Handler::new(options.services.clone()));
        if let Some(token) = &options.cancellation {
            evaluator = evaluator.with_cancellation_token(token.clone());
        }
        nesting_guard(text)?;
        let mut prepared = evaluator
            .parse_query(text)
            .map_err(|e| syntax_error(text, &e.to_string()))?;
        if let Some(dataset) = &options.dataset {
            let chosen = prepared.dataset_mut();
            chosen.set_default_graph(
                dataset
                    .default_graphs
                    .iter()
                    .map(|g| g.clone().into())
                    .collect(),
            );
            if !dataset.named_graphs.is_empty() {
                chosen.set_available_named_graphs(
                    dataset
                        .named_graphs
                        .iter()
                        .map(|g| g.clone().into())
                        .collect(),
                );
            }
        }
        if !options.default_graph_only && prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        Ok(prepared.on_store(&self.store).execute()?)
    }

    /// Oxigraph's explanation of a query plan, as JSON.
    pub fn explain(
        &self,
        text: &str,
        options: &QueryOptions,
        out: &mut dyn Write,
    ) -> Result<(), QueryError> {
        nesting_guard(text)?;
        let mut prepared = evaluator(&options.prefixes)?
            .parse_query(text)
            .map_err(|e| syntax_error(text, &e.to_string()))?;
        if !options.default_graph_only && prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        let (results, explanation) = prepared
            .on_store(&self.store)
            .compute_statistics()
            .explain();
        // Consuming the results runs the query, which fills in the statistics.
        if let Ok(QueryResults::Solutions(solutions)) = results {
            for solution in solutions {
                solution?;
            }
        }
        explanation
            .write_in_json(&mut *out)
            .map_err(|e| QueryError::Evaluation(e.to_string()))
    }

    /// Runs a SPARQL update, all or nothing: cancelled through `options`,
    /// it changes nothing.
    pub fn update(&self, text: &str, options: &QueryOptions) -> Result<(), QueryError> {
        nesting_guard(text)?;
        let mut evaluator = evaluator(&options.prefixes)?;
        if let Some(token) = &options.cancellation {
            evaluator = evaluator.with_cancellation_token(token.clone());
        }
        let update = evaluator
            .parse_update(text)
            .map_err(|e| syntax_error(text, &e.to_string()))?;
        self.new_generation();
        Ok(update.on_store(&self.store).execute()?)
    }
}

pub use super::nesting::MAX_NESTING;

/// Refuses text nested deeper than [`MAX_NESTING`] before Oxigraph's
/// recursive parser sees it, with the position where it gets too deep.
fn nesting_guard(text: &str) -> Result<(), QueryError> {
    let Some((line, byte_column)) = super::nesting::too_deep(text.as_bytes()) else {
        return Ok(());
    };
    // The caret counts characters.
    let column = text.lines().nth(line - 1).map_or(byte_column, |l| {
        l.get(..byte_column.saturating_sub(1))
            .map_or(byte_column, |before| before.chars().count() + 1)
    });
    Err(QueryError::Syntax {
        message: format!(
            "groups, brackets or triple terms nest deeper than {MAX_NESTING} levels here; storygraph refuses such text before parsing it (flatten the query)"
        ),
        line: Some(line),
        column: Some(column),
    })
}

fn evaluator(extra: &[(String, String)]) -> Result<SparqlEvaluator, QueryError> {
    let mut evaluator = SparqlEvaluator::new().with_custom_function(
        vocab::term::SG_MATCHES.into_owned(),
        |args: &[Term]| {
            let [Term::Literal(text), Term::Literal(query)] = args else {
                return None;
            };
            Some(Literal::from(crate::terms::matches(text.value(), query.value())).into())
        },
    );
    for (prefix, ns) in vocab::PREFIXES {
        // Our prefixes are valid IRIs; a failure would be a build defect.
        evaluator = evaluator
            .with_prefix(*prefix, *ns)
            .expect("built-in prefixes are valid IRIs");
    }
    for (prefix, ns) in extra {
        evaluator = evaluator
            .with_prefix(prefix, ns)
            .map_err(|e| QueryError::Syntax {
                message: format!("the prefix {prefix}: is bound to a bad IRI <{ns}>: {e}"),
                line: None,
                column: None,
            })?;
    }
    Ok(evaluator)
}

/// What a piece of SPARQL text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SparqlKind {
    Query,
    Update,
}

/// Whether `text` parses as a query or an update (with the built-in
/// prefixes and `prefixes`); the error is the query parser's, which is
/// what users usually mean to write.
pub fn check_syntax(text: &str, prefixes: &[(String, String)]) -> Result<SparqlKind, QueryError> {
    nesting_guard(text)?;
    let query_error = match evaluator(prefixes)?.parse_query(text) {
        Ok(_) => return Ok(SparqlKind::Query),
        Err(e) => e,
    };
    match evaluator(prefixes)?.parse_update(text) {
        Ok(_) => Ok(SparqlKind::Update),
        Err(update_error) if looks_like_update(text) => {
            Err(syntax_error(text, &update_error.to_string()))
        }
        Err(_) => Err(syntax_error(text, &query_error.to_string())),
    }
}

/// Whether the first keyword after the prologue starts an update.
fn looks_like_update(text: &str) -> bool {
    const UPDATE: [&str; 10] = [
        "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
    ];
    let mut words = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(str::split_whitespace);
    while let Some(word) = words.next() {
        let upper = word.to_ascii_uppercase();
        match upper.as_str() {
            // PREFIX p: <iri> and BASE <iri> make up the prologue.
            "PREFIX" => {
                words.next();
                words.next();
            }
            "BASE" => {
                words.next();
            }
            _ => return UPDATE.contains(&upper.as_str()),
        }
    }
    false
}

/// Oxigraph 0.5's syntax error has no position accessor; its message starts
/// with `error at L:C:` (1-based), which we lift into fields. Where the
/// mistake can be named better (a misspelt keyword, an unclosed bracket),
/// that account replaces the parser's.
fn syntax_error(text: &str, message: &str) -> QueryError {
    let (line, column, message) = parse_position(message);
    match diagnose::explain(text, line, column) {
        Some((message, line, column)) => QueryError::Syntax {
            message,
            line: Some(line),
            column: Some(column),
        },
        None => QueryError::Syntax {
            message: shorten_expected(&message),
            line,
            column,
        },
    }
}

impl GraphStore {
    /// The terms of storygraph's namespace that `text` names and neither
    /// the ontology nor the store knows (a query with one of them finds
    /// nothing, silently), each with the known term nearest to it.
    pub fn unknown_terms(&self, text: &str) -> Vec<UnknownTerm> {
        let ontology = Ontology::get();
        let ontology_terms: std::collections::BTreeSet<&str> = ontology
            .quads()
            .iter()
            .filter_map(|q| match &q.subject {
                oxigraph::model::NamedOrBlankNode::NamedNode(n) => {
                    n.as_str().strip_prefix(vocab::SG)
                }
                _ => None,
            })
            .collect();
        let in_store = |local: &str| {
            let Ok(node) = NamedNode::new(format!("{}{local}", vocab::SG)) else {
                return false;
            };
            let mut uses = [
                self.store
                    .quads_for_pattern(Some(node.as_ref().into()), None, None, None),
                self.store
                    .quads_for_pattern(None, Some(node.as_ref()), None, None),
                self.store
                    .quads_for_pattern(None, None, Some(node.as_ref().into()), None),
            ];
            uses.iter_mut().any(|quads| quads.next().is_some())
        };
        let known = |local: &str| ontology_terms.contains(local) || in_store(local);
        // Declared predicates of our namespace are candidates too.
        let candidates = || {
            let declared = self
                .store
                .quads_for_pattern(
                    None,
                    Some(term::RDF_TYPE),
                    Some(term::SG_FACT_PROPERTY.into()),
                    None,
                )
                .filter_map(|quad| match quad.ok()?.subject {
                    NamedOrBlankNode::NamedNode(n) => {
                        n.as_str().strip_prefix(vocab::SG).map(str::to_owned)
                    }
                    _ => None,
                });
            ontology_terms
                .iter()
                .map(|&t| t.to_owned())
                .chain(declared)
                .collect()
        };
        diagnose::unknown_terms(text, known, candidates)
    }
}

/// The parser lists what it expected, including Unicode ranges of name
/// characters a line long each; keep the tokens, sum up the ranges.
fn shorten_expected(message: &str) -> String {
    const EXPECTED: &str = "expected one of ";
    let Some(at) = message.find(EXPECTED) else {
        return message.to_owned();
    };
    let list = &message[at + EXPECTED.len()..];
    let mut tokens: Vec<&str> = Vec::new();
    let mut names = false;
    let mut rest = list;
    while let Some(c) = rest.chars().next() {
        match c {
            '"' => {
                let end = rest[1..].find('"').map_or(rest.len(), |i| i + 2);
                tokens.push(&rest[..end]);
                rest = &rest[end..];
            }
            '[' => {
                names = true;
                let end = rest.find(']').map_or(rest.len(), |i| i + 1);
                rest = &rest[end..];
            }
            _ => rest = &rest[c.len_utf8()..],
        }
    }
    if names {
        tokens.push("a name");
    }
    format!("{}{EXPECTED}{}", &message[..at], tokens.join(", "))
}

fn parse_position(message: &str) -> (Option<usize>, Option<usize>, String) {
    let parsed = message.strip_prefix("error at ").and_then(|rest| {
        let (pos, tail) = rest.split_once(": ")?;
        let (l, c) = pos.split_once(':')?;
        Some((l.parse().ok()?, c.parse().ok()?, tail.to_owned()))
    });
    match parsed {
        Some((l, c, tail)) => (Some(l), Some(c), tail),
        None => (None, None, message.to_owned()),
    }
}

impl From<QueryEvaluationError> for QueryError {
    fn from(error: QueryEvaluationError) -> QueryError {
        match error {
            QueryEvaluationError::Cancelled => QueryError::Cancelled,
            other => QueryError::Evaluation(other.to_string()),
        }
    }
}

impl From<UpdateEvaluationError> for QueryError {
    fn from(error: UpdateEvaluationError) -> QueryError {
        match error {
            // Oxigraph wraps what its query engine reports in `Unexpected`.
            UpdateEvaluationError::Unexpected(inner)
                if matches!(
                    inner.downcast_ref::<QueryEvaluationError>(),
                    Some(QueryEvaluationError::Cancelled)
                ) =>
            {
                QueryError::Cancelled
            }
            other => QueryError::Evaluation(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn nesting_too_deep_for_the_parser_is_refused_with_its_position() {
        let nested =
            |n: usize| format!("SELECT * WHERE {}?s ?p ?o{}", "{".repeat(n), "}".repeat(n));
        assert!(check_syntax(&nested(MAX_NESTING), &[]).is_ok());
        let Err(QueryError::Syntax {
            message,
            line,
            column,
        }) = check_syntax(&nested(3000), &[])
        else {
            panic!("3000 nested groups were not refused");
        };
        assert!(message.contains("nest deeper than 128 levels"), "{message}");
        assert_eq!((line, column), (Some(1), Some(16 + MAX_NESTING)));
        let parens = format!(
            "ASK {{ FILTER({}1{}) }}",
            "(".repeat(5000),
            ")".repeat(5000)
        );
        assert!(check_syntax(&parens, &[]).is_err());
        let terms = format!(
            "INSERT DATA {{ {}<x:a> <x:b> <x:c>{} <x:d> <x:e> }}",
            "<<( ".repeat(3000),
            " )>>".repeat(3000)
        );
        assert!(check_syntax(&terms, &[]).is_err());
        // Strings and IRIs do not count.
        assert!(check_syntax(&format!("ASK {{ ?s ?p \"{}\" }}", "{(".repeat(500)), &[]).is_ok());
    }
    use super::*;

    #[test]
    fn long_expectation_lists_are_summed_up() {
        let message = r#"expected one of ",", ".", "}", ['0' ..= '9' | '\u{00B7}'], ['A' ..= 'Z' | 'a' ..= 'z'
| '\u{00C0}'..='\u{00D6}'], ['_'], [_]"#;
        assert_eq!(
            shorten_expected(message),
            r#"expected one of ",", ".", "}", a name"#
        );
        assert_eq!(shorten_expected("unexpected end"), "unexpected end");
    }
}
