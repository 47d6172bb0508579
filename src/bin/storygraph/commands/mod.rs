//! What each command does, one file per family: open nothing, decide
//! nothing about the session; take the store (and projection) they are
//! given, call the library, write to the `Write` they are given. The CLI
//! (`app`) and the shell both call these.

pub mod explore;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod listings;
pub mod merge;
pub mod remove;
pub mod search;
pub mod sparql;
