//! The command line, as clap definitions only: doc comments are the help
//! text. What each command does lives in `app`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use storygraph::render::OutputFormat;

/// Build a knowledge graph from news article facts, keeping for every fact
/// its article, evidence, source and certainty; query it across stories.
#[derive(Debug, Parser)]
#[command(name = "storygraph", version, propagate_version = true)]
#[command(after_help = "Exit codes: 0 success, 1 no result or a failure, 2 bad input or usage.")]
pub struct Args {
    /// The store directory (created if missing) [default: STORYGRAPH_STORE,
    /// else storygraph/store in the platform's data directory]
    #[arg(long, global = true, value_name = "DIR", env = "STORYGRAPH_STORE", hide_env = true)]
    pub store: Option<PathBuf>,

    /// Use a throwaway in-memory store instead of --store (useful to check
    /// files without changing any store: `storygraph --memory ingest FILE...`)
    #[arg(long, global = true)]
    pub memory: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load article facts (.json, .jsonl, .ndjson, - for stdin) and RDF
    /// background knowledge (.ttl, .trig, .nt, .nq, .rdf, .jsonld).
    ///
    /// All .json and RDF files of one run are checked before anything is
    /// written: one bad file and the store stays as it was. A .jsonl file
    /// (and stdin) is a stream: each line is its own unit. Ingesting an
    /// article again replaces it.
    Ingest {
        /// Files to load; `-` reads a stream of JSON documents from stdin
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        /// What to do with a bad line of a .jsonl file or stdin stream
        #[arg(long, value_enum, default_value_t = OnErrorArg::Stop)]
        on_error: OnErrorArg,
    },
    /// Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE).
    ///
    /// The default graph is the union of all graphs (background knowledge
    /// and every article); use GRAPH, FROM or --default-graph-only to
    /// narrow it. Prefixes sg:, ent:, art:, rdf:, rdfs:, owl:, xsd:, skos:,
    /// schema:, prov:, wd: and more are predeclared.
    Query {
        /// The query text; omit it to use -f or stdin
        #[arg(value_name = "SPARQL", conflicts_with = "file")]
        query: Option<String>,
        /// Read the query from a file
        #[arg(short, long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Output format [default: table on a terminal, tsv otherwise;
        /// turtle for graphs]
        #[arg(long, value_enum)]
        format: Option<OutputFormat>,
        /// Use only the store's default graph as the default graph
        #[arg(long)]
        default_graph_only: bool,
    },
    /// Run a SPARQL update (INSERT, DELETE, LOAD is not allowed offline).
    Update {
        /// The update text; omit it to use -f or stdin
        #[arg(value_name = "SPARQL", conflicts_with = "file")]
        update: Option<String>,
        /// Read the update from a file
        #[arg(short, long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Show counts: articles, entities, facts by certainty, triples, graphs.
    Stats {
        /// table or json
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },
    /// List the ingested articles.
    Articles {
        /// table, csv, tsv or json
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },
    /// Print the JSON Schema (draft 2020-12) of the input format.
    Schema,
    /// Write the whole store (every graph) as N-Quads or TriG.
    Dump {
        #[arg(long, value_enum, default_value_t = DumpFormat::Nquads)]
        format: DumpFormat,
        /// Write to this file instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OnErrorArg {
    /// Stop at the first bad line; lines before it stay ingested
    Stop,
    /// Report bad lines and go on
    Skip,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DumpFormat {
    Nquads,
    Trig,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Args::command().debug_assert();
    }
}
