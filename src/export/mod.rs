//! Exports: the graph, or a part of it, in the formats of the tools people
//! already draw with (Graphviz DOT, GraphML for Gephi/yEd/Cytoscape,
//! Mermaid for Markdown, Cytoscape.js JSON). [`select`] cuts the subgraph
//! out of the projection (everything, a neighborhood, the paths found,
//! under the same filters as path queries); each writer renders a
//! [`Subgraph`] to an `impl Write`.

mod cytoscape;
mod dot;
mod graphml;
mod html;
mod mermaid;
mod rdf;
mod route;
mod svg;

use std::collections::BTreeSet;
use std::fmt;
use std::io::{self, Write};

use petgraph::graph::EdgeIndex;
use petgraph::visit::EdgeRef;

use crate::deadline::CancellationToken;
use crate::graph::explore;
use crate::graph::search::{Path, PathFilter};
use crate::graph::{EntityIndex, PredicateIndex, Projection, StatementIndex, StatementObject};
use crate::keyword::keyword_enum;
use crate::model::Certainty;

pub use cytoscape::write_cytoscape;
pub use dot::write_dot;
pub use graphml::write_graphml;
pub use html::write_html;
pub use mermaid::write_mermaid;
pub use rdf::write_rdf;
pub use svg::write_svg;

keyword_enum! {
    /// Export formats: drawings, and RDF with provenance.
    pub enum ExportFormat {
        /// Graphviz (`dot -Tsvg`)
        Dot = "dot",
        /// GraphML with typed attributes (Gephi, yEd, Cytoscape, networkx)
        Graphml = "graphml",
        /// Mermaid flowchart (GitHub and Markdown tools)
        Mermaid = "mermaid",
        /// Cytoscape.js elements JSON
        Cytoscape = "cytoscape",
        /// SVG drawn by storygraph (its own layout; no Graphviz needed)
        Svg = "svg",
        /// One self-contained interactive HTML page (works offline)
        Html = "html",
        /// RDF: Turtle (the triples of every graph)
        Turtle = "turtle",
        /// RDF: TriG (one graph per article)
        Trig = "trig",
        /// RDF: N-Quads
        Nquads = "nquads",
        /// RDF: JSON-LD (without triple terms, which JSON-LD cannot say)
        Jsonld = "jsonld",
    }
}

impl ExportFormat {
    /// The format a file name asks for, by its extension.
    pub fn from_extension(path: &std::path::Path) -> Option<ExportFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "dot" | "gv" => Some(ExportFormat::Dot),
            "graphml" => Some(ExportFormat::Graphml),
            "mmd" | "mermaid" => Some(ExportFormat::Mermaid),
            "json" | "cyjs" => Some(ExportFormat::Cytoscape),
            "svg" => Some(ExportFormat::Svg),
            "html" | "htm" => Some(ExportFormat::Html),
            "ttl" => Some(ExportFormat::Turtle),
            "trig" => Some(ExportFormat::Trig),
            "nq" => Some(ExportFormat::Nquads),
            "jsonld" => Some(ExportFormat::Jsonld),
            _ => None,
        }
    }

    /// The RDF syntax of an RDF format; `None` for the drawing formats.
    pub fn rdf_format(self) -> Option<oxigraph::io::RdfFormat> {
        use oxigraph::io::{JsonLdProfile, RdfFormat};
        match self {
            ExportFormat::Turtle => Some(RdfFormat::Turtle),
            ExportFormat::Trig => Some(RdfFormat::TriG),
            ExportFormat::Nquads => Some(RdfFormat::NQuads),
            ExportFormat::Jsonld => Some(RdfFormat::JsonLd {
                profile: JsonLdProfile::Streaming.into(),
            }),
            _ => None,
        }
    }

    pub fn write(
        self,
        out: &mut dyn Write,
        projection: &Projection,
        subgraph: &Subgraph,
        lang: &str,
        stop: Option<&CancellationToken>,
    ) -> io::Result<()> {
        match self {
            ExportFormat::Dot => write_dot(out, projection, subgraph, lang),
            ExportFormat::Graphml => write_graphml(out, projection, subgraph, lang),
            ExportFormat::Mermaid => write_mermaid(out, projection, subgraph, lang),
            ExportFormat::Cytoscape => write_cytoscape(out, projection, subgraph, lang),
            ExportFormat::Svg => write_svg(out, projection, subgraph, lang, stop),
            ExportFormat::Html => write_html(out, projection, subgraph, lang, stop),
            _ => Err(io::Error::other("RDF formats are written by write_rdf")),
        }
    }
}

/// What to draw.
pub enum Selector {
    /// Every entity with an admitted fact.
    Everything,
    /// An entity and everything within `hops`.
    Focus {
        entity: EntityIndex,
        hops: usize,
        /// Reach out only along edges' directions.
        directed: bool,
    },
    /// The hops of these paths, highlighted.
    Paths(Vec<Path>),
    /// The fact edges named by (source, target, predicate if given) entity
    /// and predicate indices, in either direction: a query's rows.
    Facts(Vec<(EntityIndex, EntityIndex, Option<PredicateIndex>)>),
}

/// A node's kind, which decides its shape and colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Person,
    Organisation,
    NewsOrganisation,
    Place,
    Event,
    Other,
}

impl NodeKind {
    pub fn of(projection: &Projection, entity: EntityIndex) -> NodeKind {
        let info = projection.entities.get(entity);
        if info.is_event {
            return NodeKind::Event;
        }
        let local = info.class_name();
        match local.trim_start_matches("sg:") {
            "Person" | "Group" => NodeKind::Person,
            "NewsOrganization" => NodeKind::NewsOrganisation,
            "Organization" | "GovernmentBody" | "MilitaryForce" | "InternationalOrganization" => {
                NodeKind::Organisation
            }
            "Place" | "Country" | "City" | "Region" => NodeKind::Place,
            _ => NodeKind::Other,
        }
    }

    /// The fill colour every format draws this kind with.
    pub fn fill(self) -> &'static str {
        match self {
            NodeKind::Person => "#cfe2ff",
            NodeKind::Organisation => "#d1e7dd",
            NodeKind::NewsOrganisation => "#fff3cd",
            NodeKind::Place => "#e2d9f3",
            NodeKind::Event => "#f8d7da",
            NodeKind::Other => "#e9ecef",
        }
    }

    pub const ALL: [NodeKind; 6] = [
        NodeKind::Person,
        NodeKind::Organisation,
        NodeKind::NewsOrganisation,
        NodeKind::Place,
        NodeKind::Event,
        NodeKind::Other,
    ];
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NodeKind::Person => "person",
            NodeKind::Organisation => "organisation",
            NodeKind::NewsOrganisation => "news organisation",
            NodeKind::Place => "place",
            NodeKind::Event => "event",
            NodeKind::Other => "other",
        })
    }
}

/// One drawn edge: a fact edge of the projection with the statements the
/// filter admits.
#[derive(Clone, Debug)]
pub struct ExportEdge {
    pub edge: EdgeIndex,
    pub from: EntityIndex,
    pub to: EntityIndex,
    pub predicate: PredicateIndex,
    /// The strongest certainty among the admitted statements.
    pub certainty: Certainty,
    pub statements: Vec<StatementIndex>,
    /// The statements denying the edge's triple: always shown, whatever
    /// the filter (a denial is never out of sight).
    pub denials: Vec<StatementIndex>,
    /// On a path that was asked for.
    pub highlighted: bool,
}

impl ExportEdge {
    /// The articles (ids) an edge's statements come from, sorted.
    pub fn articles<'p>(&self, projection: &'p Projection) -> Vec<&'p str> {
        let mut ids: Vec<&str> = self
            .statements
            .iter()
            .map(|&s| {
                projection.articles[projection.statements.facets(s).article]
                    .id
                    .as_str()
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The first admitted statement's evidence, if any.
    pub fn evidence<'p>(&self, projection: &'p Projection) -> Option<&'p str> {
        self.statements
            .iter()
            .find_map(|&s| projection.statements.evidence(s))
    }

    /// The denials, each as `denied by WHO (ARTICLE, DATE)`.
    pub fn denial_texts(&self, projection: &Projection) -> Vec<String> {
        self.denials
            .iter()
            .map(|&s| crate::render::path::denial_text(projection, &projection.statements[s]))
            .collect()
    }

    /// The times of the admitted statements, as written, joined.
    pub fn time(&self, projection: &Projection) -> Option<String> {
        let times: BTreeSet<&str> = self
            .statements
            .iter()
            .filter_map(|&s| projection.statements[s].time.as_deref())
            .collect();
        (!times.is_empty()).then(|| times.into_iter().collect::<Vec<_>>().join(", "))
    }
}

/// The part of the graph to draw.
#[derive(Clone, Debug, Default)]
pub struct Subgraph {
    /// Entity indices, in a stable order.
    pub nodes: Vec<EntityIndex>,
    pub edges: Vec<ExportEdge>,
    /// The entity a `Focus` selection was drawn around (marked in the
    /// pictures that can mark it).
    pub focus: Option<EntityIndex>,
}

impl Subgraph {
    /// The entity IRIs and the (statement, article graph) IRIs whose
    /// quads make up this subgraph in RDF.
    pub fn provenance<'p>(
        &self,
        projection: &'p Projection,
    ) -> (Vec<&'p str>, Vec<(&'p str, String)>) {
        let entities = self
            .nodes
            .iter()
            .map(|&e| projection.entities.get(e).iri.as_str())
            .collect();
        // Denials between drawn entities, of drawn edges or of triples no
        // one asserts: provenance means all of it.
        let denials = self.nodes.iter().flat_map(|&e| {
            projection.by_entity[e].iter().copied().filter(move |&s| {
                let st = &projection.statements[s];
                st.negated
                    && st.subject == e
                    && match st.object {
                        StatementObject::Entity(o) => self.nodes.binary_search(&o).is_ok(),
                        StatementObject::Value(_) => true,
                    }
            })
        });
        let statements = self
            .edges
            .iter()
            .flat_map(|e| e.statements.iter().chain(&e.denials).copied())
            .chain(denials)
            .collect::<BTreeSet<StatementIndex>>()
            .into_iter()
            .map(|s| {
                let statement = &projection.statements[s];
                let article = &projection.articles[statement.article].id;
                (
                    statement.iri.as_str(),
                    crate::vocab::article(article).into_string(),
                )
            })
            .collect();
        (entities, statements)
    }
}

/// Cuts the subgraph `selector` asks for out of the projection, keeping
/// only edges with a statement the filter admits.
pub fn select(projection: &Projection, filter: &PathFilter, selector: &Selector) -> Subgraph {
    let admitted = |edge: EdgeIndex| -> Option<(Vec<StatementIndex>, Certainty)> {
        let mut certainty = None;
        let statements: Vec<StatementIndex> = projection.graph[edge]
            .statements
            .iter()
            .copied()
            .filter(|&s| {
                let facets = projection.statements.facets(s);
                let admitted = filter.admits(projection, &facets);
                if admitted {
                    certainty = certainty.max(Some(facets.certainty));
                }
                admitted
            })
            .collect();
        Some((statements, certainty?))
    };
    let edge_of = |edge: EdgeIndex, highlighted: bool| -> Option<ExportEdge> {
        let (from, to) = projection.graph.edge_endpoints(edge)?;
        let (statements, certainty) = admitted(edge)?;
        let denials = projection.denials(edge).to_vec();
        Some(ExportEdge {
            edge,
            from: projection.graph[from],
            to: projection.graph[to],
            predicate: projection.graph[edge].predicate,
            certainty,
            statements,
            denials,
            highlighted,
        })
    };
    // Edges in any order, sorted once at the end (a neighborhood at a
    // million facts holds a hundred thousand).
    let mut edges: Vec<ExportEdge> = Vec::new();
    let mut nodes: BTreeSet<EntityIndex> = BTreeSet::new();
    match selector {
        Selector::Everything => {
            for edge in projection
                .graph
                .edge_references()
                .filter(|e| e.weight().role.is_none())
            {
                if let Some(e) = edge_of(edge.id(), false) {
                    edges.push(e);
                }
            }
        }
        Selector::Focus {
            entity,
            hops,
            directed,
        } => {
            let mut inside: BTreeSet<EntityIndex> =
                explore::reach(projection, *entity, *hops, filter, *directed)
                    .into_iter()
                    .map(|(e, _)| e)
                    .collect();
            inside.insert(*entity);
            let mut is_inside = vec![false; projection.graph.node_count()];
            for &e in &inside {
                is_inside[projection.node(e).index()] = true;
            }
            for &e in &inside {
                let facts = projection.graph.edges(projection.node(e));
                for edge in facts.filter(|e| e.weight().role.is_none()) {
                    if is_inside[edge.target().index()] {
                        if let Some(x) = edge_of(edge.id(), false) {
                            edges.push(x);
                        }
                    }
                }
            }
            nodes.extend(inside);
        }
        Selector::Paths(paths) => {
            for hop in paths.iter().flat_map(|p| &p.hops) {
                if let Some(e) = edge_of(hop.edge, true) {
                    edges.push(e);
                }
            }
        }
        Selector::Facts(facts) => {
            for &(source, target, predicate) in facts {
                let (a, b) = (projection.node(source), projection.node(target));
                let between = projection
                    .graph
                    .edges_connecting(a, b)
                    .chain(projection.graph.edges_connecting(b, a));
                for edge in between.filter(|e| e.weight().role.is_none()) {
                    if predicate.is_none_or(|p| p == edge.weight().predicate) {
                        if let Some(x) = edge_of(edge.id(), false) {
                            edges.push(x);
                        }
                    }
                }
            }
        }
    }
    edges.sort_unstable_by_key(|e| e.edge);
    edges.dedup_by_key(|e| e.edge);
    for e in &edges {
        nodes.insert(e.from);
        nodes.insert(e.to);
    }
    let focus = match selector {
        Selector::Focus { entity, .. } => Some(*entity),
        _ => None,
    };
    Subgraph {
        nodes: nodes.into_iter().collect(),
        edges,
        focus,
    }
}

/// A JSON array serialized element by element as it is written: an
/// export of a hundred thousand edges never holds them all as values.
pub(crate) struct StreamedArray<F>(pub F);

impl<F, I> serde::Serialize for StreamedArray<F>
where
    F: Fn() -> I,
    I: Iterator<Item = serde_json::Value>,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// A label cut to `max` characters (tooltips stay readable); borrowed
/// when it is short enough.
pub fn truncate(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..cut])),
    }
}

#[cfg(test)]
mod tests;
