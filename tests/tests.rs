//! Integration tests: each drives the real `storygraph` binary on real files
//! (the sample stories in `data/`, or documents written by the test).
//!
//! - `architecture`: ARCHITECTURE.md's invariants, read off the sources
//! - `ingest`: loading, counts, re-ingest, merging, streams, RDF, atomicity
//! - `drawings`: the SVG and the HTML page measured in Chromium
//! - `errors`: every class of bad input and the message it gets
//! - `hostile`: names that try to take over the terminal
//! - `export`: DOT, GraphML, Mermaid, Cytoscape read by their consumers
//! - `extract`: article text to facts: the quote guard, prompt, a chat model
//! - `paths`: path queries and exploration on the sample stories
//! - `query`: SPARQL formats, updates, dumps, the tour's example queries
//! - `readme`: the README's walkthroughs, run as written
//! - `remote`: every command against Oxigraph server and Virtuoso
//! - `schema`: the JSON Schema against the sample data
//! - `search`: what was said, in Arabic, Russian and English; the index
//! - `serve`: the SPARQL and Graph Store protocols, /path, real clients
//! - `shell`: the shell at a pseudo-terminal and as a script
//! - `stories`: an analyst's own stories: denials in sight everywhere

mod architecture;
mod crash;
mod drawings;
mod errors;
mod export;
mod extract;
mod faults;
mod fuzz;
mod hostile;
mod ingest;
mod paths;
mod query;
mod readme;
mod remote;
mod schema;
mod search;
mod serve;
mod shell;
mod stories;
mod util;
