//! storygraph: a knowledge graph of news facts that keeps, for every fact,
//! the article, the quoted evidence, who asserts it and how certain it is.
//!
//! The data flows through one module per stage:
//! [`input`] (the JSON facts format) -> [`mapping`] (to RDF) -> [`store`]
//! (Oxigraph on disk) -> queries -> [`render`]. [`ingest`] runs the first
//! three; the binary's CLI is a thin face over this library.
//!
//! ```no_run
//! use storygraph::ingest::{ingest, IngestOptions, InputSource};
//! use storygraph::store::{GraphStore, QueryOptions};
//!
//! let store = GraphStore::memory()?;
//! ingest(&store, &[InputSource::Path("data/azerbaijan-coup.json".into())], IngestOptions::default())?;
//! let results = store.query("SELECT ?who WHERE { ?who sg:warned ?whom }", &QueryOptions::default())?;
//! # Ok::<_, storygraph::Error>(())
//! ```

pub(crate) mod codec;
pub mod deadline;
pub mod error;
pub mod export;
pub mod extract;
pub mod graph;
pub mod hash;
pub mod ingest;
pub mod input;
pub mod keyword;
pub mod mapping;
pub mod model;
pub mod normalize;
pub mod ontology;
pub mod remote;
pub mod render;
pub mod search;
pub mod store;
pub mod terms;
pub mod timespec;
pub mod vocab;

pub use error::{Error, Result};
