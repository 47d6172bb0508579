//! The command line and the shell's dot-commands, as clap definitions
//! only: doc comments are the help text. The path and exploration
//! commands, which the CLI and the shell share, are in `explore`; the
//! library's own enums (formats, weights) are offered as choices through
//! `keyword`. Turning these arguments into library settings is `settings`'
//! job, and what each command does lives in `commands`.

mod explore;
mod extract;
mod keyword;
mod serve;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use storygraph::ingest::OnError;
use storygraph::render::{ListingFormat, ResultsFormat};
use storygraph::store::DumpFormat;

pub use explore::*;
pub use extract::*;
use keyword::keyword;
pub use serve::*;

/// Build a knowledge graph from news article facts, keeping for every fact
/// its article, evidence, source and certainty; query it across stories.
#[derive(Debug, Parser)]
#[command(name = "storygraph", version, propagate_version = true)]
#[command(after_help = "Exit codes: 0 success, 1 no result or a failure, 2 bad input or usage.")]
pub struct Args {
    /// The store directory (created if missing) [default: STORYGRAPH_STORE,
    /// else storygraph/store in the platform's data directory]
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "STORYGRAPH_STORE",
        hide_env = true
    )]
    pub store: Option<PathBuf>,

    /// Use a throwaway in-memory store instead of --store (useful to check
    /// files without changing any store: `storygraph --memory ingest FILE...`)
    #[arg(long, global = true)]
    pub memory: bool,

    #[command(flatten)]
    pub remote: RemoteArgs,

    /// Without a command: the shell (a prompt on a terminal, a script from
    /// stdin otherwise)
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A remote SPARQL store to work on instead of the local store.
#[derive(Debug, Default, clap::Args)]
#[command(next_help_heading = "Remote store")]
pub struct RemoteArgs {
    /// Work on a remote SPARQL store: its query endpoint's URL (Oxigraph
    /// server: http://HOST:7878/query, Virtuoso: http://HOST:8890/sparql)
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "STORYGRAPH_ENDPOINT",
        conflicts_with = "memory"
    )]
    pub endpoint: Option<String>,
    /// The remote's SPARQL update endpoint [default: the --endpoint URL]
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "STORYGRAPH_UPDATE_ENDPOINT",
        requires = "endpoint"
    )]
    pub update_endpoint: Option<String>,
    /// The remote's Graph Store Protocol endpoint: articles are then
    /// written by PUT of their graph (Oxigraph server: http://HOST:7878/store)
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "STORYGRAPH_GRAPH_STORE",
        requires = "endpoint"
    )]
    pub graph_store: Option<String>,
    /// A header sent with every request to the remote, e.g.
    /// 'Authorization: Bearer TOKEN' (repeatable; never printed)
    #[arg(
        long,
        global = true,
        value_name = "'NAME: VALUE'",
        env = "STORYGRAPH_AUTH_HEADER",
        hide_env_values = true
    )]
    pub header: Vec<String>,
    /// Where the local copy of a remote store is kept [default:
    /// storygraph/remote in the platform's cache directory]
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "STORYGRAPH_CACHE",
        hide_env = true
    )]
    pub cache: Option<PathBuf>,
    /// Rebuild the local copy of the remote store even if it looks current
    #[arg(long, global = true)]
    pub refresh: bool,
    /// Write articles by the Oxigraph server's bulk loader (POST
    /// /store?no_transaction; needs --graph-store): several times faster,
    /// not transactional, so each article is sealed once loaded and
    /// storygraph ignores an unsealed one (other SPARQL clients see it
    /// while it loads)
    #[arg(long, global = true, env = "STORYGRAPH_BULK_LOAD")]
    pub bulk_load: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The interactive shell: SPARQL and dot-commands (.path, .neighbors,
    /// .help for the list) at a prompt that completes entity names in any
    /// script. With -c or a script on stdin it runs without a prompt.
    ///
    /// SPARQL ends at a line ending with `;` or at an empty line (further
    /// lines get a `...>` prompt); a dot-command ends at its line's end,
    /// and a line starting with `.` always starts a new statement.
    Shell(ShellArgs),
    /// Load article facts (.json, .jsonl, .ndjson, - for stdin) and RDF
    /// background knowledge (.ttl, .trig, .nt, .nq, .rdf, .jsonld).
    ///
    /// All .json and RDF files of one run are checked before anything is
    /// written: one bad file and the store stays as it was. A .jsonl file
    /// (and stdin) is a stream: each line is its own unit. Ingesting an
    /// article again replaces it.
    Ingest(IngestArgs),
    /// Take articles back out of the store: each one's graph (metadata,
    /// facts, statements) and its entity declarations, and the entities no
    /// other article declares or mentions. All or nothing: an unknown id
    /// removes none.
    Remove(RemoveArgs),
    /// Make two entities one (an editor's decision, kept apart from what
    /// articles say and undone by `unmerge`): paths, neighbors and exports
    /// see one entity with the names of both.
    Merge(MergeArgs),
    /// Undo a `merge`.
    Unmerge(UnmergeArgs),
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
        /// Output format [default: table on a terminal; otherwise tsv, and
        /// turtle for graphs]
        #[arg(long, value_parser = keyword::<ResultsFormat>())]
        format: Option<ResultsFormat>,
        /// Use only the store's default graph as the default graph
        #[arg(long)]
        default_graph_only: bool,
        /// Stop the query after this many seconds (exit code 1)
        #[arg(long, value_name = "SECONDS", value_parser = storygraph::deadline::parse_seconds)]
        timeout: Option<Duration>,
    },
    /// Run a SPARQL update (INSERT, DELETE, LOAD is not allowed offline).
    Update {
        /// The update text; omit it to use -f or stdin
        #[arg(value_name = "SPARQL", conflicts_with = "file")]
        update: Option<String>,
        /// Read the update from a file
        #[arg(short, long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Stop the update after this many seconds; it then changes nothing
        /// (exit code 1)
        #[arg(long, value_name = "SECONDS", value_parser = storygraph::deadline::parse_seconds)]
        timeout: Option<Duration>,
    },
    /// Show counts: articles, entities, facts by certainty, triples, graphs.
    Stats(ListingArgs),
    /// List the ingested articles.
    Articles(ListingArgs),
    /// Print the JSON Schema (draft 2020-12) of the input format.
    Schema,
    /// Print a prompt that asks any chat model for an article's facts:
    /// what to extract and how, the ontology, the ids of the store's
    /// entities the text names, the JSON Schema, and the text.
    Prompt(ArticleTextArgs),
    /// Ask a chat model (an OpenAI-compatible API: llama.cpp, Ollama, vLLM,
    /// hosted services) for an article's facts and check its answer as
    /// `ingest` would, quotes included; its problems go back to it for
    /// repair. Writes a draft for review, or ingests it with --ingest when
    /// it is clean. Exit code 1 when the draft needs review.
    Extract(ExtractArgs),
    #[command(flatten)]
    Explore(ExploreCommand),
    /// Offer the store to SPARQL clients (Yasgui, SPARQLWrapper, rdflib,
    /// Jena...): the SPARQL 1.1 Protocol on /sparql, the Graph Store
    /// Protocol on /store, and paths with their evidence on
    /// /path?from=A&to=B (the `path --format json` document). Read-only
    /// unless --read-write; stops cleanly on Ctrl-C or SIGTERM.
    Serve(ServeArgs),
    /// Write the whole store (every graph) as N-Quads or TriG.
    Dump {
        #[arg(long, value_parser = keyword::<DumpFormat>(), default_value_t = DumpFormat::Nquads)]
        format: DumpFormat,
        /// Write to this file instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// How the shell runs.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ShellArgs {
    /// Run these statements instead of reading a prompt or stdin
    /// (repeatable; `.path putin indonesia` or `SELECT ...;`)
    #[arg(short = 'c', long = "command", value_name = "STATEMENTS")]
    pub commands: Vec<String>,
    /// Run every statement of a script even after one fails (the exit code
    /// still reports the failure)
    #[arg(long)]
    pub keep_going: bool,
    /// Format of SPARQL results and listings [default: table on a terminal;
    /// otherwise tsv, and turtle for graphs]; `.format` changes it in the
    /// session
    #[arg(long, value_parser = keyword::<ResultsFormat>())]
    pub format: Option<ResultsFormat>,
}

/// The shell's dot-commands, typed after a `.`. This enum is the one table
/// of commands: the shell parses lines with it and `.help` is generated
/// from it. Options have the names of the CLI flags.
#[derive(Debug, Parser)]
#[command(multicall = true, disable_help_subcommand = true)]
pub struct DotLine {
    #[command(subcommand)]
    pub command: DotCommand,
}

#[derive(Debug, Subcommand)]
pub enum DotCommand {
    /// List the commands, or show one command's options
    Help {
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
    #[command(flatten)]
    Explore(ExploreCommand),
    /// The K shortest connections (default 5)
    #[command(visible_alias = "k")]
    Paths(KPathsArgs),
    /// Load files into the store (as `storygraph ingest`)
    Ingest(IngestArgs),
    /// Take articles back out of the store (as `storygraph remove`)
    Remove(RemoveArgs),
    /// Make two entities one (as `storygraph merge`)
    Merge(MergeArgs),
    /// Undo a merge (as `storygraph unmerge`)
    Unmerge(UnmergeArgs),
    /// Counts of articles, entities, facts, triples
    Stats(ListingArgs),
    /// The ingested articles
    Articles(ListingArgs),
    /// Declare a prefix for this session's SPARQL: `.prefix ex: <http://example.org/>`
    Prefix {
        #[arg(value_name = "PREFIX:")]
        prefix: String,
        #[arg(value_name = "<IRI>")]
        iri: String,
    },
    /// The declared prefixes
    Prefixes,
    /// Show or set the format of SPARQL results and listings
    Format {
        #[arg(value_parser = keyword::<ResultsFormat>())]
        format: Option<ResultsFormat>,
    },
    /// Write results to FILE; without FILE, back to stdout
    Output {
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Show the time each statement took
    Timer {
        #[arg(value_enum)]
        state: OnOff,
    },
    /// Stop each statement after SECONDS (`off`: no limit; Ctrl-C stops
    /// one at any time)
    Timeout {
        #[arg(value_name = "SECONDS", value_parser = parse_shell_timeout)]
        seconds: Option<ShellTimeout>,
    },
    /// Show at most N rows of a table (0: all); the rest are counted
    Limit {
        #[arg(value_name = "N")]
        rows: usize,
    },
    /// Oxigraph's plan for a query, with the statistics of running it
    Explain {
        #[arg(value_name = "QUERY", required = true)]
        query: String,
    },
    /// Run the statements of a script file
    Read {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Leave the shell (Ctrl-D does too)
    #[command(visible_alias = "exit")]
    Quit,
}

/// The shell's `.timeout` setting.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ShellTimeout {
    Off,
    After(Duration),
}

fn parse_shell_timeout(text: &str) -> Result<ShellTimeout, String> {
    if text.eq_ignore_ascii_case("off") {
        return Ok(ShellTimeout::Off);
    }
    storygraph::deadline::parse_seconds(text).map(ShellTimeout::After)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

/// What `ingest` (and `.ingest`) is asked.
#[derive(Debug, Clone, clap::Args)]
pub struct IngestArgs {
    /// Files to load; `-` reads a stream of JSON documents from stdin
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// What to do with a bad line of a .jsonl file or stdin stream
    #[arg(long, value_parser = keyword::<OnError>(), default_value_t = OnError::Stop)]
    pub on_error: OnError,
    /// The article's text (UTF-8), for a .json document with one article:
    /// stored with it, and every fact's evidence must be found in it
    #[arg(long, value_name = "TEXT_FILE")]
    pub text: Option<PathBuf>,
}

/// What `remove` (and `.remove`) is asked.
#[derive(Debug, Clone, clap::Args)]
pub struct RemoveArgs {
    /// The ids of the articles to remove (`storygraph articles` lists them)
    #[arg(required = true, value_name = "ARTICLE_ID")]
    pub ids: Vec<String>,
}

/// What `merge` is asked.
#[derive(Debug, Clone, clap::Args)]
pub struct MergeArgs {
    /// The entities, by id or any name
    #[arg(value_name = "A")]
    pub a: String,
    #[arg(value_name = "B")]
    pub b: String,
    /// Why: kept with the merge
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

/// What `unmerge` is asked.
#[derive(Debug, Clone, clap::Args)]
pub struct UnmergeArgs {
    /// The two entity ids the merge made one
    #[arg(value_name = "A")]
    pub a: String,
    #[arg(value_name = "B")]
    pub b: String,
}

/// How listings (`stats`, `articles`, `duplicates`, `merges`) write.
#[derive(Debug, Clone, clap::Args)]
pub struct ListingArgs {
    /// Output format [default: table; in the shell, the session's format
    /// when it is one of these]
    #[arg(long, value_parser = keyword::<ListingFormat>())]
    pub format: Option<ListingFormat>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Args::command().debug_assert();
        DotLine::command().debug_assert();
    }
}
