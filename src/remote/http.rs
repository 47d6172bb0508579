//! Requests to a remote store by the SPARQL 1.1 Protocol and the Graph
//! Store Protocol, and what servers do differently: queries go by GET (or
//! form POST when long), never as a `application/sparql-query` body
//! (Virtuoso hangs on it); results are asked for as JSON or XML (Virtuoso's
//! TSV is not SPARQL TSV) and parsed as they arrive. Idempotent requests
//! are tried again with backoff after a connection error or a 5xx answer.

use std::sync::Arc;
use std::thread::sleep;
use std::time::Duration;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, Term, Triple};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{
    QueryEvaluationError, QueryResults, QuerySolution, QuerySolutionIter, QueryTripleIter,
};
use ureq::http::Response;
use ureq::Body;

use super::{excerpt, RemoteConfig, RemoteError};

/// The longest query sent in a GET's URL; longer ones go as a form POST.
const LONGEST_GET: usize = 2000;

/// A remote store's endpoints with a connection pool.
pub struct Endpoint {
    config: RemoteConfig,
    agent: ureq::Agent,
}

/// Whether a request may be sent again when its answer was lost.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Reads, and writes whose repetition changes nothing (a graph replaced
    /// by the same content).
    Idempotent,
    Once,
}

const RESULTS_ACCEPT: &str =
    "application/sparql-results+json, application/sparql-results+xml;q=0.9";
const GRAPH_ACCEPT: &str = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5";

impl Endpoint {
    pub fn new(config: RemoteConfig) -> Endpoint {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(config.timeout))
            .http_status_as_error(false)
            .user_agent(concat!("storygraph/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Endpoint { config, agent }
    }

    pub fn config(&self) -> &RemoteConfig {
        &self.config
    }

    /// Sends a query whose form the caller knows (`graph` for CONSTRUCT
    /// and DESCRIBE) and returns its results as they arrive.
    pub fn query(&self, text: &str, graph: bool) -> Result<QueryResults<'static>, RemoteError> {
        let accept = if graph { GRAPH_ACCEPT } else { RESULTS_ACCEPT };
        let response = self.send_query(text, accept)?;
        let url = &self.config.query;
        let media = content_type(&response).unwrap_or_default();
        let reader = response.into_body().into_reader();
        if graph {
            let format = RdfFormat::from_media_type(&media)
                .ok_or_else(|| RemoteError::Answer(format!("{url} answered {media}, not RDF")))?;
            let endpoint = url.clone();
            let triples = RdfParser::from_format(format)
                .for_reader(reader)
                .map(move |quad| {
                    quad.map(|q| Triple::new(q.subject, q.predicate, canonical(q.object)))
                        .map_err(|e| {
                            QueryEvaluationError::Service(
                                format!("{endpoint} answered RDF that does not parse: {e}").into(),
                            )
                        })
                });
            return Ok(QueryResults::Graph(QueryTripleIter::new(triples)));
        }
        let format = QueryResultsFormat::from_media_type(&media).ok_or_else(|| {
            RemoteError::Answer(format!("{url} answered {media}, not SPARQL results"))
        })?;
        match QueryResultsParser::from_format(format).for_reader(reader) {
            Ok(ReaderQueryResultsParserOutput::Solutions(solutions)) => {
                let variables: Arc<[_]> = solutions.variables().into();
                let endpoint = url.clone();
                let names = variables.clone();
                Ok(QueryResults::Solutions(QuerySolutionIter::new(
                    variables,
                    solutions.map(move |s| {
                        s.map(|solution| {
                            let values: Vec<Option<Term>> = solution
                                .values()
                                .iter()
                                .cloned()
                                .map(|v| v.map(canonical))
                                .collect();
                            QuerySolution::from((names.clone(), values))
                        })
                        .map_err(|e| {
                            QueryEvaluationError::Service(
                                format!("{endpoint} answered results that do not parse: {e}")
                                    .into(),
                            )
                        })
                    }),
                )))
            }
            Ok(ReaderQueryResultsParserOutput::Boolean(value)) => Ok(QueryResults::Boolean(value)),
            Err(e) => Err(RemoteError::Answer(format!(
                "{url} answered results that do not parse: {e}"
            ))),
        }
    }

    /// Whether the server takes a query (any answer but a success is a
    /// no), and its `Server` header.
    pub fn accepts_query(&self, text: &str) -> Result<(bool, Option<String>), RemoteError> {
        let url = &self.config.query;
        let answer = self
            .with_headers(self.agent.get(url).query("query", text))
            .header("Accept", RESULTS_ACCEPT)
            .call()
            .map_err(|e| RemoteError::Unreachable {
                url: url.clone(),
                message: e.to_string(),
                attempts: 1,
            })?;
        let server = answer
            .headers()
            .get("Server")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let accepted = answer.status().is_success();
        drain(answer);
        Ok((accepted, server))
    }

    /// The solutions of a SELECT, read whole (for the small reads
    /// storygraph makes of a store's state).
    pub fn select(&self, text: &str) -> Result<Vec<oxigraph::sparql::QuerySolution>, RemoteError> {
        match self.query(text, false)? {
            QueryResults::Solutions(solutions) => solutions
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| RemoteError::Answer(e.to_string())),
            _ => Err(RemoteError::Answer(format!(
                "{} did not answer a SELECT with solutions",
                self.config.query
            ))),
        }
    }

    /// Runs a SPARQL update (form POST, the one way every server takes).
    pub fn update(&self, text: &str, retry: Retry) -> Result<(), RemoteError> {
        let url = &self.config.update;
        let response = self.send(url, retry, || {
            self.with_headers(self.agent.post(url))
                .send_form([("update", text)])
        })?;
        // Servers answer 200 or 204, some with a body (Virtuoso): read and
        // drop it, so the connection is reused.
        drain(response);
        Ok(())
    }

    /// Replaces a named graph by the Graph Store Protocol (`PUT`), with
    /// the graph in N-Triples.
    pub fn put_graph(&self, graph: &str, ntriples: &[u8]) -> Result<(), RemoteError> {
        self.write_graph_store(
            |url| self.agent.put(url).query("graph", graph),
            "application/n-triples",
            ntriples,
        )
    }

    /// Adds N-Quads to the store by the Graph Store endpoint's bulk loader
    /// (Oxigraph server's `POST /store?no_transaction`: fast, and not one
    /// transaction; `lenient`: the terms are storygraph's own, checked when
    /// they were made, and the server parses 6% faster without checking
    /// them again). Adding the same quads again changes nothing.
    pub fn bulk_load(&self, nquads: &[u8]) -> Result<(), RemoteError> {
        self.write_graph_store(
            |url| {
                let request = self.agent.post(url).query("no_transaction", "");
                request.query("lenient", "")
            },
            "application/n-quads",
            nquads,
        )
    }

    /// Sends `body` to the Graph Store endpoint by the request `request`
    /// makes of its URL; a write whose repetition changes nothing, so it is
    /// tried again when its answer is lost.
    fn write_graph_store(
        &self,
        request: impl Fn(&str) -> ureq::RequestBuilder<ureq::typestate::WithBody>,
        content_type: &str,
        body: &[u8],
    ) -> Result<(), RemoteError> {
        let url = self.graph_store_url()?;
        let response = self.send(url, Retry::Idempotent, || {
            self.with_headers(request(url))
                .header("Content-Type", content_type)
                .send(body)
        })?;
        drain(response);
        Ok(())
    }

    fn graph_store_url(&self) -> Result<&String, RemoteError> {
        self.config.graph_store.as_ref().ok_or_else(|| {
            RemoteError::Config("no Graph Store endpoint was given (--graph-store)".into())
        })
    }

    fn send_query(&self, text: &str, accept: &str) -> Result<Response<Body>, RemoteError> {
        let url = &self.config.query;
        let encoded_length: usize = form_urlencoded::byte_serialize(text.as_bytes())
            .map(str::len)
            .sum();
        self.send(url, Retry::Idempotent, || {
            if encoded_length <= LONGEST_GET {
                self.with_headers(self.agent.get(url).query("query", text))
                    .header("Accept", accept)
                    .call()
            } else {
                self.with_headers(self.agent.post(url))
                    .header("Accept", accept)
                    .send_form([("query", text)])
            }
        })
    }

    fn with_headers<B>(&self, mut request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        for (name, value) in &self.config.headers {
            request = request.header(name, value);
        }
        request
    }

    /// Sends a request, again after a connection error or a 5xx answer
    /// when it is idempotent, waiting 0.25 s, 0.5 s, 1 s... in between.
    fn send(
        &self,
        url: &str,
        retry: Retry,
        request: impl Fn() -> Result<Response<Body>, ureq::Error>,
    ) -> Result<Response<Body>, RemoteError> {
        let tries = match retry {
            Retry::Idempotent => self.config.retries + 1,
            Retry::Once => 1,
        };
        let mut wait = Duration::from_millis(250);
        for attempt in 1..=tries {
            let last = attempt == tries;
            match request() {
                Ok(response) if response.status().is_success() => return Ok(response),
                Ok(response) if response.status().is_server_error() && !last => drain(response),
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    let body = response
                        .body_mut()
                        .with_config()
                        .limit(64 * 1024)
                        .read_to_string()
                        .unwrap_or_default();
                    return Err(RemoteError::Status {
                        url: url.to_owned(),
                        status,
                        body: excerpt(&body),
                    });
                }
                Err(error) if last => {
                    return Err(RemoteError::Unreachable {
                        url: url.to_owned(),
                        message: error.to_string(),
                        attempts: attempt,
                    })
                }
                Err(_) => {}
            }
            sleep(wait);
            wait *= 2;
        }
        unreachable!("the last attempt returns")
    }
}

/// A term as storygraph writes it: Virtuoso answers `xsd:boolean` values
/// as `"0"` and `"1"`, the same values as `false` and `true` but not the
/// same terms.
fn canonical(term: Term) -> Term {
    if let Term::Literal(literal) = &term {
        if literal.datatype() == xsd::BOOLEAN {
            match literal.value() {
                "0" => return Literal::from(false).into(),
                "1" => return Literal::from(true).into(),
                _ => {}
            }
        }
    }
    term
}

fn content_type(response: &Response<Body>) -> Option<String> {
    response
        .headers()
        .get("Content-Type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn drain(mut response: Response<Body>) {
    let _ = response
        .body_mut()
        .with_config()
        .limit(1024 * 1024)
        .read_to_vec();
}
