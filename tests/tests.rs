//! Integration tests: each drives the real `storygraph` binary on real files
//! (the sample stories in `data/`, or documents written by the test).
//!
//! - `architecture`: ARCHITECTURE.md's invariants, read off the sources
//! - `ingest`: loading, counts, re-ingest, merging, streams, RDF, atomicity
//! - `errors`: every class of bad input and the message it gets
//! - `export`: DOT, GraphML, Mermaid, Cytoscape read by their consumers
//! - `paths`: path queries and exploration on the sample stories
//! - `query`: SPARQL formats, updates, dumps, the tour's example queries
//! - `schema`: the JSON Schema against the sample data
//! - `shell`: the shell at a pseudo-terminal and as a script
//! - `stories`: an analyst's own stories: denials in sight everywhere

mod architecture;
mod errors;
mod export;
mod ingest;
mod paths;
mod query;
mod schema;
mod shell;
mod stories;
mod util;
