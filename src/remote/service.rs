//! `SERVICE` clauses of a query run on the endpoint they name, when the
//! user allowed it (`serve --allow-service`), by the SPARQL 1.1 Protocol
//! client of [`Endpoint`]. Results are parsed as they arrive (sparesults),
//! never read whole first.

use std::time::Duration;

use oxigraph::sparql::{QueryResults, QuerySolutionIter};

use super::{Endpoint, RemoteConfig};
use crate::store::ServiceClient;

/// A blocking SPARQL Protocol client for `SERVICE` endpoints.
pub struct ProtocolClient {
    timeout: Duration,
}

impl ProtocolClient {
    /// A client whose every request ends after `timeout`.
    pub fn new(timeout: Duration) -> ProtocolClient {
        ProtocolClient { timeout }
    }
}

impl ServiceClient for ProtocolClient {
    fn select(&self, endpoint: &str, query: &str) -> Result<QuerySolutionIter<'static>, String> {
        let mut config = RemoteConfig::new(endpoint, None, None, &[]).map_err(|e| e.to_string())?;
        config.timeout = self.timeout;
        // A query's SERVICE waits for no retries: its own deadline runs.
        config.retries = 0;
        match Endpoint::new(config).query(query, false) {
            Ok(QueryResults::Solutions(solutions)) => Ok(solutions),
            Ok(_) => Err(format!("{endpoint} answered a boolean to a SELECT")),
            Err(e) => Err(e.to_string()),
        }
    }
}
