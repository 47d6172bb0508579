//! Remote SPARQL stores, by the W3C protocols only (SPARQL 1.1 Protocol,
//! Graph Store Protocol): every command works against a store run as a
//! service (Oxigraph server, Virtuoso, GraphDB, Stardog, Neptune).
//!
//! The remote store is the record. `config` is where it is; `http` the
//! requests and the servers' differences; `dialect` what a server can do
//! (RDF 1.2 triple terms, a union default graph), asked once; `replica`
//! the local copy in the cache directory that graph commands (paths,
//! exports, listings) run on, kept by a generation marker storygraph
//! writes to the remote with every write and counts that catch
//! other writers; `push` sends a write's difference, one article whole per
//! request part. `service` is the client of a query's `SERVICE` clauses.

mod bulk;
mod config;
mod dialect;
mod http;
mod push;
mod query;
mod replica;
mod service;

pub use config::RemoteConfig;
pub use dialect::Dialect;
pub use http::{Endpoint, Retry};
pub use push::{PushReport, WriteMethod};
pub use replica::{Replica, SyncReport};
pub use service::ProtocolClient;

use oxigraph::model::NamedNodeRef;

/// The remote graph holding what the local store keeps in its default
/// graph (entity descriptions): some servers refuse writes to the default
/// graph (Virtuoso), and on others it is the union of all graphs.
pub const ENTITIES_GRAPH: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://w3id.org/storygraph/graph/entities");

/// The remote graph holding the generation marker.
pub const META_GRAPH: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://w3id.org/storygraph/graph/meta");

/// The remote graph listing the articles a bulk load is writing (see
/// `bulk`).
pub const PENDING_GRAPH: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://w3id.org/storygraph/graph/pending");

/// A remote store could not be reached or did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("{0}")]
    Config(String),
    #[error("cannot reach {url} ({attempts} attempt{}): {message}", if *attempts == 1 { "" } else { "s" })]
    Unreachable {
        url: String,
        message: String,
        attempts: u32,
    },
    #[error("{url} answered HTTP {status}{}: {body}", status_hint(*status))]
    Status {
        url: String,
        status: u16,
        body: String,
    },
    #[error("{0}")]
    Answer(String),
    #[error("the local copy of the remote store: {0}")]
    Replica(#[from] crate::store::StoreError),
    #[error("the local copy of the remote store: {0}")]
    ReplicaStorage(#[from] oxigraph::store::StorageError),
    #[error("the local copy of the remote store at {}: {source}", path.display())]
    ReplicaFile {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// What an HTTP status most likely means here, and the fix.
fn status_hint(status: u16) -> &'static str {
    match status {
        401 | 403 => " (refused: pass credentials with --header 'Authorization: …' or STORYGRAPH_AUTH_HEADER; Virtuoso's /sparql needs GRANT SPARQL_UPDATE TO \"SPARQL\" for writes, see the README)",
        404 => " (no such endpoint: is the URL the SPARQL endpoint? Oxigraph serves /query and /update, Virtuoso /sparql)",
        405 => " (the server does not take this method here: is the URL the SPARQL endpoint?)",
        _ => "",
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
