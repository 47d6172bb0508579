//! `SERVICE` clauses: refused unless a [`ServiceClient`] is given (so no
//! query makes storygraph open a connection on its own), else sent to the
//! named endpoint as a SELECT of the clause's pattern.

use std::sync::Arc;

use oxigraph::model::NamedNode;
use oxigraph::sparql::{DefaultServiceHandler, QuerySolutionIter};
use oxiri::Iri;
use spargebra::algebra::GraphPattern;

use super::ServiceClient;

/// The evaluator's handler of every `SERVICE` endpoint.
pub(super) struct Handler {
    client: Option<Arc<dyn ServiceClient>>,
}

impl Handler {
    pub(super) fn new(client: Option<Arc<dyn ServiceClient>>) -> Handler {
        Handler { client }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("SERVICE <{0}> is refused: this storygraph does not reach other endpoints (`storygraph serve --allow-service` allows it)")]
    Refused(String),
    #[error("SERVICE <{endpoint}> failed: {message}")]
    Failed { endpoint: String, message: String },
}

impl DefaultServiceHandler for Handler {
    type Error = ServiceError;

    fn handle(
        &self,
        service_name: &NamedNode,
        pattern: &GraphPattern,
        base_iri: Option<&Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, ServiceError> {
        let endpoint = service_name.as_str();
        let Some(client) = &self.client else {
            return Err(ServiceError::Refused(endpoint.to_owned()));
        };
        let query = spargebra::Query::Select {
            dataset: None,
            pattern: pattern.clone(),
            base_iri: base_iri.cloned(),
        };
        client
            .select(endpoint, &query.to_string())
            .map_err(|message| ServiceError::Failed {
                endpoint: endpoint.to_owned(),
                message,
            })
    }
}
