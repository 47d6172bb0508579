//! The command line and the shell's dot-commands, as clap definitions
//! only: doc comments are the help text. The library's own enums (formats,
//! weights) are offered as choices through [`keyword`]; turning these
//! arguments into library settings is `settings`' job, and what each
//! command does lives in `commands`.

use std::ffi::OsStr;
use std::marker::PhantomData;
use std::path::PathBuf;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Parser, Subcommand, ValueEnum};
use storygraph::export::ExportFormat;
use storygraph::graph::explore::ConflictKind;
use storygraph::graph::search::{Weight, DEFAULT_ALL_LIMIT, DEFAULT_MAX_HOPS};
use storygraph::ingest::OnError;
use storygraph::keyword::Keyword;
use storygraph::model::Certainty;
use storygraph::render::{ExploreFormat, ListingFormat, PathFormat, ResultsFormat};
use storygraph::store::DumpFormat;
use storygraph::timespec::{Day, TimeSpec};

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

    /// Without a command: the shell (a prompt on a terminal, a script from
    /// stdin otherwise)
    #[command(subcommand)]
    pub command: Option<Command>,
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
    Stats(ListingArgs),
    /// List the ingested articles.
    Articles(ListingArgs),
    /// Print the JSON Schema (draft 2020-12) of the input format.
    Schema,
    #[command(flatten)]
    Explore(ExploreCommand),
    /// Write the whole store (every graph) as N-Quads or TriG.
    Dump {
        #[arg(long, value_parser = keyword::<DumpFormat>(), default_value_t = DumpFormat::Nquads)]
        format: DumpFormat,
        /// Write to this file instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// The path and exploration commands: CLI subcommands and, with the
/// same names and options, the shell's dot-commands.
#[derive(Debug, Subcommand)]
pub enum ExploreCommand {
    /// How is FROM connected to TO, and on whose word? Each hop is printed
    /// with its statements: certainty, source, article, time, evidence.
    ///
    /// FROM and TO are entity ids, labels or aliases in any script (matched
    /// without case, diacritics or Arabic letter variants), prefixed names,
    /// IRIs, or same_as IRIs. Edges are walked both ways unless --directed;
    /// the arrow shows each fact's real direction. Exit code 1 when there is
    /// no path.
    Path(PathArgs),
    /// An entity's facts, grouped by predicate and direction, with certainty
    /// and article; with --hops N, also who is within N hops.
    Neighbors(NeighborsArgs),
    /// Every dated fact involving an entity, across articles, in time order.
    Timeline(TimelineArgs),
    /// Entities whose ids, labels or aliases match TEXT (normalised, by
    /// exact, prefix and substring match), best first.
    Find(FindArgs),
    /// Statements that disagree: one source asserts and another denies,
    /// the certainty differs between sources or articles, or sources date
    /// the fact to times that do not overlap; every side shown, denials
    /// first.
    Conflicts(ConflictsArgs),
    /// Each fact with the number of independent sources behind it (a source
    /// that relays another's claim through `via` is not independent).
    Corroboration(EntityFilterArgs),
    /// Pairs of entities that may be one under two ids: close names in any
    /// script, compatible types, shared neighbors. `merge A B` makes a pair
    /// one.
    Duplicates(ListingArgs),
    /// The editorial merges: which entities an editor made one, when, and
    /// why.
    Merges(ListingArgs),
    /// Which entities (and, if they share none, which path) tie two
    /// articles together.
    Connections(ConnectionsArgs),
    /// Draw the graph, or part of it: Graphviz DOT, GraphML (Gephi, yEd,
    /// Cytoscape), Mermaid (Markdown), Cytoscape.js JSON; or write it as RDF
    /// with its provenance (Turtle, TriG, N-Quads, JSON-LD).
    ///
    /// Everything by default; --focus ENTITY --hops N for a neighborhood,
    /// --path FROM TO for the paths found (highlighted), --article ID for
    /// one story. The path filters apply (--min-certainty, --since, ...).
    Export(Box<ExportArgs>),
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

/// What `neighbors` is asked.
#[derive(Debug, Clone, clap::Args)]
pub struct NeighborsArgs {
    #[arg(value_name = "ENTITY")]
    pub entity: String,
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub hops: usize,
    #[arg(long, value_parser = keyword::<ExploreFormat>(), default_value_t = ExploreFormat::Text)]
    pub format: ExploreFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// What `timeline` is asked.
#[derive(Debug, Clone, clap::Args)]
pub struct TimelineArgs {
    #[arg(value_name = "ENTITY")]
    pub entity: String,
    #[arg(long, value_parser = keyword::<ExploreFormat>(), default_value_t = ExploreFormat::Text)]
    pub format: ExploreFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// What `find` is asked.
#[derive(Debug, Clone, clap::Args)]
pub struct FindArgs {
    #[arg(value_name = "TEXT")]
    pub text: String,
    #[arg(long, value_parser = keyword::<ListingFormat>(), default_value_t = ListingFormat::Table)]
    pub format: ListingFormat,
    /// Only entities that articles published by this date mention
    #[arg(long, value_name = "DATE", value_parser = parse_until)]
    pub as_of: Option<Day>,
}

/// What `corroboration` is asked.
#[derive(Debug, Clone, clap::Args)]
pub struct EntityFilterArgs {
    /// Only facts involving this entity
    #[arg(value_name = "ENTITY")]
    pub entity: Option<String>,
    #[arg(long, value_parser = keyword::<ExploreFormat>(), default_value_t = ExploreFormat::Text)]
    pub format: ExploreFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// What `conflicts` is asked.
#[derive(Debug, Clone, clap::Args)]
pub struct ConflictsArgs {
    /// Only facts involving this entity
    #[arg(value_name = "ENTITY")]
    pub entity: Option<String>,
    /// Only these kinds of disagreement (repeatable) [default: all]
    #[arg(long, value_parser = keyword::<ConflictKind>())]
    pub kind: Vec<ConflictKind>,
    #[arg(long, value_parser = keyword::<ExploreFormat>(), default_value_t = ExploreFormat::Text)]
    pub format: ExploreFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// What `connections` is asked.
#[derive(Debug, Clone, clap::Args)]
pub struct ConnectionsArgs {
    #[arg(value_name = "ARTICLE_A")]
    pub a: String,
    #[arg(value_name = "ARTICLE_B")]
    pub b: String,
    /// Only the shared entities, no path search
    #[arg(long)]
    pub entity_overlap: bool,
    #[arg(long, value_parser = keyword::<PathFormat>(), default_value_t = PathFormat::Text)]
    pub format: PathFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// What `export` is asked.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// Draw this entity and everything within --hops of it
    #[arg(long, value_name = "ENTITY", conflicts_with_all = ["path", "query"])]
    pub focus: Option<String>,
    /// Draw the facts a SPARQL query names: a CONSTRUCT's triples, or a
    /// SELECT's ?source ?target (and optional ?edge, a predicate IRI) rows;
    /// each must name entities tied by a fact
    #[arg(long, value_name = "SPARQL", conflicts_with = "path")]
    pub query: Option<String>,
    /// How far from --focus
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub hops: usize,
    /// Draw the shortest paths between two entities, highlighted
    #[arg(long, num_args = 2, value_names = ["FROM", "TO"])]
    pub path: Option<Vec<String>>,
    /// With --path: the K shortest paths
    #[arg(long, value_name = "K", default_value_t = 1)]
    pub k: usize,
    /// Output format [default: from the -o extension, else dot]
    #[arg(long, value_parser = keyword::<ExportFormat>())]
    pub format: Option<ExportFormat>,
    /// Write to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Language of the labels (falls back to the entity's display label)
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub lang: String,
    /// RDF formats: leave out RDF 1.2 triple terms (`rdf:reifies`); the
    /// statement nodes' rdf:subject/predicate/object remain, which SPARQL
    /// 1.1 tools such as rdflib 7 read (JSON-LD always does this)
    #[arg(long)]
    pub no_triple_terms: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// What `paths` (the shell's `.paths`) is asked: the K shortest paths.
#[derive(Debug, Clone, clap::Args)]
pub struct KPathsArgs {
    #[arg(value_name = "FROM")]
    pub from: String,
    #[arg(value_name = "TO")]
    pub to: String,
    /// How many shortest loopless paths (Yen's algorithm)
    #[arg(long, value_name = "K", default_value_t = 5)]
    pub k: usize,
    #[command(flatten)]
    pub options: PathOptions,
}

/// How `path` and `.paths` weigh, filter and write paths.
#[derive(Debug, Clone, clap::Args)]
pub struct PathOptions {
    /// How a path is weighed
    #[arg(long, value_parser = keyword::<Weight>(), default_value_t = Weight::Hops)]
    pub weight: Weight,
    #[arg(long, value_parser = keyword::<PathFormat>(), default_value_t = PathFormat::Text)]
    pub format: PathFormat,
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// What `path` is asked.
#[derive(Debug, Clone, clap::Args)]
pub struct PathArgs {
    #[arg(value_name = "FROM")]
    pub from: String,
    #[arg(value_name = "TO")]
    pub to: String,
    /// The K shortest loopless paths (Yen's algorithm)
    #[arg(long, value_name = "K", default_value_t = 1, conflicts_with = "all")]
    pub k: usize,
    /// Every simple path up to --max-hops
    #[arg(long)]
    pub all: bool,
    /// The longest path --all lists
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_HOPS)]
    pub max_hops: usize,
    /// Stop --all after this many paths
    #[arg(long, value_name = "N", default_value_t = DEFAULT_ALL_LIMIT)]
    pub limit: usize,
    #[command(flatten)]
    pub options: PathOptions,
}

/// Which statements path and exploration commands may use.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Follow facts only from subject to object
    #[arg(long)]
    pub directed: bool,
    /// Every hop needs a statement at least this certain
    #[arg(long, value_name = "LEVEL", value_parser = parse_certainty)]
    pub min_certainty: Option<Certainty>,
    /// Only facts whose time overlaps from this date (2025, 2025-10, 2025-10-19)
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<Day>,
    /// Only facts whose time overlaps until this date
    #[arg(long, value_name = "DATE", value_parser = parse_until)]
    pub until: Option<Day>,
    /// Only these predicates (repeatable): warned, sg:warned, or an IRI
    #[arg(long, value_name = "PREDICATE")]
    pub via: Vec<String>,
    /// Never these predicates (repeatable)
    #[arg(long, value_name = "PREDICATE")]
    pub not_via: Vec<String>,
    /// Only facts from these articles (repeatable)
    #[arg(long, value_name = "ID")]
    pub article: Vec<String>,
    /// Events may not be intermediate nodes
    #[arg(long)]
    pub no_events: bool,
    /// Only what had been published by this date ("what did we know then?")
    #[arg(long, value_name = "DATE", value_parser = parse_until)]
    pub as_of: Option<Day>,
}

fn parse_certainty(text: &str) -> Result<Certainty, String> {
    text.parse()
        .map_err(|()| format!("\"{text}\" is not a certainty level; expected confirmed, reported, claimed or speculated"))
}

fn parse_since(text: &str) -> Result<Day, String> {
    TimeSpec::parse(text)
        .map(|t| t.earliest())
        .map_err(|e| e.to_string())
}

fn parse_until(text: &str) -> Result<Day, String> {
    TimeSpec::parse(text)
        .map(|t| t.latest())
        .map_err(|e| e.to_string())
}

/// A clap value parser offering a library [`Keyword`] enum's values as
/// choices, with their help lines.
fn keyword<K: Keyword>() -> KeywordParser<K> {
    KeywordParser(PhantomData)
}

#[derive(Clone)]
struct KeywordParser<K>(PhantomData<K>);

impl<K: Keyword> TypedValueParser for KeywordParser<K> {
    type Value = K;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<K, clap::Error> {
        let choices = clap::builder::PossibleValuesParser::new(self.possible_values_list());
        let name = choices.parse_ref(cmd, arg, value)?;
        K::from_name(&name).ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidValue))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.possible_values_list().into_iter()))
    }
}

impl<K: Keyword> KeywordParser<K> {
    fn possible_values_list(&self) -> Vec<PossibleValue> {
        K::ALL
            .iter()
            .map(|k| match k.help() {
                "" => PossibleValue::new(k.name()),
                help => PossibleValue::new(k.name()).help(help),
            })
            .collect()
    }
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
