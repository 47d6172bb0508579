//! The path and exploration commands, with the same names and options as
//! CLI subcommands and as the shell's dot-commands, and the filters they
//! share.

use std::path::PathBuf;
use std::time::Duration;

use clap::Subcommand;
use storygraph::export::ExportFormat;
use storygraph::graph::explore::ConflictKind;
use storygraph::graph::search::{Role, Weight, DEFAULT_ALL_LIMIT, DEFAULT_MAX_HOPS};
use storygraph::model::Certainty;
use storygraph::render::{ExploreFormat, ListingFormat, PathFormat};
use storygraph::timespec::{Day, TimeSpec};

use super::keyword::keyword;
use super::ListingArgs;

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
    /// Search what was said: evidence quotes, article texts and entity
    /// names, ranked, each hit with its statement, article, source and
    /// certainty, the matched words marked.
    ///
    /// Words match in any form: Arabic letter variants, tashkeel and
    /// prefixes (إسقاط finds اسقاط and والإسقاط), Russian and English
    /// inflections. Every word must match; "a phrase" in quotes matches as
    /// a phrase. The index lives in the store directory and is rebuilt
    /// when the store has changed. Exit code 1 when nothing matches.
    Search(SearchArgs),
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

/// What `search` is asked.
#[derive(Debug, Clone, clap::Args)]
pub struct SearchArgs {
    /// What to look for (several words: all must match)
    #[arg(value_name = "TEXT", required = true, num_args = 1..)]
    pub text: Vec<String>,
    /// Only hits about this entity: its statements, the texts of articles
    /// with one, its names
    #[arg(long, value_name = "ENTITY")]
    pub entity: Option<String>,
    /// Only hits of this article
    #[arg(long, value_name = "ID")]
    pub article: Option<String>,
    /// Only statements (and articles) whose time overlaps from DATE on
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<Day>,
    /// Only statements (and articles) whose time overlaps up to DATE
    #[arg(long, value_name = "DATE", value_parser = parse_until)]
    pub until: Option<Day>,
    /// Only statements at least this certain (confirmed, reported,
    /// claimed, speculated)
    #[arg(long, value_name = "LEVEL", value_parser = parse_certainty)]
    pub min_certainty: Option<Certainty>,
    /// At most this many hits
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    #[arg(long, value_parser = keyword::<ExploreFormat>(), default_value_t = ExploreFormat::Text)]
    pub format: ExploreFormat,
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

impl ExploreCommand {
    /// The command's own `--timeout`, for those that take one.
    pub fn timeout(&self) -> Option<Duration> {
        match self {
            ExploreCommand::Path(request) => request.timeout,
            ExploreCommand::Export(request) => request.timeout,
            _ => None,
        }
    }
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
    /// Stop after this many seconds; nothing is written (exit code 1)
    #[arg(long, value_name = "SECONDS", value_parser = storygraph::deadline::parse_seconds)]
    pub timeout: Option<Duration>,
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
    /// Never pass through this entity (repeatable): a path around it
    #[arg(long, value_name = "ENTITY")]
    pub avoid: Vec<String>,
    /// Let these roles of a fact count as hops, besides subject and
    /// object (comma-separated): about, source, place
    #[arg(long, value_name = "ROLES", value_delimiter = ',', value_parser = keyword::<Role>())]
    pub links: Vec<Role>,
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
    /// Stop the search after this many seconds (exit code 1)
    #[arg(long, value_name = "SECONDS", value_parser = storygraph::deadline::parse_seconds)]
    pub timeout: Option<Duration>,
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
