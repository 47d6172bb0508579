//! Talking to other SPARQL endpoints by the W3C SPARQL 1.1 Protocol:
//! `SERVICE` clauses of a query run on the endpoint they name, when the
//! user allowed it (`serve --allow-service`). Results are parsed as they
//! arrive (sparesults), never read whole first.

use std::sync::Arc;
use std::time::Duration;

use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{QueryEvaluationError, QuerySolutionIter};

use crate::store::ServiceClient;

/// A blocking SPARQL Protocol client (ureq, rustls).
pub struct ProtocolClient {
    agent: ureq::Agent,
}

impl ProtocolClient {
    /// A client whose every request ends after `timeout`.
    pub fn new(timeout: Duration) -> ProtocolClient {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .user_agent(concat!("storygraph/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        ProtocolClient { agent }
    }
}

/// The first 300 characters of an answer's body, on one line: what an
/// error message quotes of a server's answer.
pub(crate) fn excerpt(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(300) {
        Some((at, _)) => format!("{} …", &flat[..at]),
        None => flat,
    }
}

impl ServiceClient for ProtocolClient {
    fn select(&self, endpoint: &str, query: &str) -> Result<QuerySolutionIter<'static>, String> {
        let mut response = self
            .agent
            .post(endpoint)
            .header(
                "Accept",
                "application/sparql-results+json, application/sparql-results+xml;q=0.9",
            )
            .send_form([("query", query)])
            .map_err(|e| format!("cannot reach {endpoint}: {e}"))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            let body = response
                .body_mut()
                .with_config()
                .limit(64 * 1024)
                .read_to_string()
                .unwrap_or_default();
            return Err(format!(
                "{endpoint} answered HTTP {status}: {}",
                excerpt(&body)
            ));
        }
        let media = response
            .headers()
            .get("Content-Type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/sparql-results+json")
            .to_owned();
        let format = QueryResultsFormat::from_media_type(&media)
            .ok_or_else(|| format!("{endpoint} answered {media}, not SPARQL results"))?;
        let reader = response.into_body().into_reader();
        match QueryResultsParser::from_format(format).for_reader(reader) {
            Ok(ReaderQueryResultsParserOutput::Solutions(solutions)) => {
                let variables: Arc<[_]> = solutions.variables().into();
                Ok(QuerySolutionIter::new(
                    variables,
                    solutions.map(|s| s.map_err(|e| QueryEvaluationError::Service(Box::new(e)))),
                ))
            }
            Ok(ReaderQueryResultsParserOutput::Boolean(_)) => {
                Err(format!("{endpoint} answered a boolean to a SELECT"))
            }
            Err(e) => Err(format!(
                "{endpoint} answered results that do not parse: {e}"
            )),
        }
    }
}
