//! The path projection: the knowledge graph as an in-memory petgraph graph
//! of entities, built from the store in one pass, for path queries and
//! exploration.
//!
//! Nodes are entities (every entity, so a name with no edge still
//! resolves). Each distinct direct triple `s p o` between two entities is
//! one directed edge that carries the statements supporting it (article,
//! certainty, source, time, evidence); undirected walks and `--directed`
//! share the graph. Denied statements are never edges, literal values are
//! not nodes, `same_as` duplicates were merged at ingest, so they are one
//! node; a denial of an asserted triple is kept beside its edge, so
//! whoever shows a hop shows who denies it. Memory: an edge costs its
//! petgraph slot (16 bytes) plus 4 bytes per supporting statement;
//! statements are stored once, interned.

mod adjacency;
pub mod duplicates;
mod entity_graph;
pub mod explain;
pub mod explore;
mod hubs;
mod image;
pub mod index;
pub mod names;
mod predicate;
mod resolve;
pub mod search;
mod statements;

use foldhash::HashMap;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::model::Certainty;
use crate::ontology::Ontology;
use crate::store::{GraphStore, StatementRecord};
use crate::timespec::Day;
use crate::vocab;
pub use adjacency::{Adjacency, Link};
pub use entity_graph::{EntityGraph, Graph};
pub use index::{ArticleIndex, EntityIndex, PredicateIndex, StatementIndex, Table};
use names::{Entities, EntityInfo};
pub use predicate::Predicate;
pub use resolve::NameError;
pub use search::Role;
pub use statements::{ByEntity, Facets, Statements};

/// A statement, resolved to indices.
#[derive(Clone, Debug)]
pub struct Statement {
    pub iri: String,
    pub subject: EntityIndex,
    pub predicate: PredicateIndex,
    pub object: StatementObject,
    pub article: ArticleIndex,
    pub certainty: Certainty,
    pub negated: bool,
    pub source: Option<EntityIndex>,
    pub via: Vec<EntityIndex>,
    /// The entity (often an event) the statement concerns, and where.
    pub about: Option<EntityIndex>,
    pub place: Option<EntityIndex>,
    pub time: Option<String>,
    pub earliest: Option<Day>,
    pub latest: Option<Day>,
    pub evidence: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatementObject {
    Entity(EntityIndex),
    Value(String),
}

/// An article and when it was published.
#[derive(Clone, Debug)]
pub struct ArticleInfo {
    pub id: String,
    pub published: Option<Day>,
}

/// The statements behind an edge.
pub type EdgeStatements = smallvec::SmallVec<[StatementIndex; 4]>;

/// The edge weight: which predicate, and the statements behind the triple.
#[derive(Clone, Debug)]
pub struct Edge {
    pub predicate: PredicateIndex,
    /// Inline up to four (most triples have one or two statements): a
    /// projection read from its image allocates nothing per edge.
    pub statements: EdgeStatements,
    /// The `--weight evidence` cost with every statement admitted.
    pub evidence_cost: f64,
    /// A role link rather than a fact: the statements' subject to what
    /// they are about or where they happened, their source to their
    /// subject. Walked only when `--links` asks for the role.
    pub role: Option<Role>,
}

/// The projection of a store.
#[derive(Debug, Default)]
pub struct Projection {
    pub graph: EntityGraph,
    pub entities: Entities,
    pub predicates: Table<PredicateIndex, Predicate>,
    pub articles: Table<ArticleIndex, ArticleInfo>,
    pub statements: Statements,
    /// Statements per entity (as subject or object), for exploration.
    pub by_entity: ByEntity,
    /// Per edge with any, the statements denying its triple.
    denials: HashMap<EdgeIndex, Vec<StatementIndex>>,
    /// Per source, its denials of facts it is not part of (`neighbors`
    /// shows them; finding them by a scan decoded every statement).
    denied_by: HashMap<EntityIndex, Vec<StatementIndex>>,
    /// Per node, each distinct neighbor once (either direction), for the
    /// unfiltered shortest-path search.
    pub neighbors: Adjacency,
}

impl Projection {
    /// Builds the projection from everything in `store`.
    pub fn build(store: &GraphStore) -> Result<Projection, oxigraph::store::StorageError> {
        Projection::build_until(store, &crate::deadline::CancellationToken::new())
    }

    /// [`Projection::build`], giving up soon after `stop` is cancelled.
    pub fn build_until(
        store: &GraphStore,
        stop: &crate::deadline::CancellationToken,
    ) -> Result<Projection, oxigraph::store::StorageError> {
        // Read before the records: an image is labelled with the
        // generation its records are of, or an older one (never used).
        let generation = store.generation();
        let place = store.location().zip(generation.as_deref());
        if let Some((dir, generation)) = place {
            let again = store.clone();
            let rebuild: image::Rebuild = Box::new(move || {
                let stop = crate::deadline::CancellationToken::new();
                Projection::from_store_records(&again, &stop).ok()
            });
            if let Some(mut projection) = image::load(dir, generation, rebuild) {
                projection.describe_predicates(store)?;
                return Ok(projection);
            }
        }
        let mut projection = Projection::from_store_records(store, stop)?;
        if let (Some((dir, generation)), false) = (place, stop.is_cancelled()) {
            // Failing to write one only costs speed next time.
            let _ = image::save(dir, generation, &projection);
        }
        projection.describe_predicates(store)?;
        Ok(projection)
    }

    /// The projection of the store's records (the snapshot's, or read from
    /// the quads), predicates not described yet.
    fn from_store_records(
        store: &GraphStore,
        stop: &crate::deadline::CancellationToken,
    ) -> Result<Projection, oxigraph::store::StorageError> {
        let records = store.projection_records_until(stop)?;
        Projection::of_records(store, records)
    }

    /// The projection of `records` (some of the store's: what a write
    /// wrote), with the store's editorial merges; predicates not described
    /// yet.
    fn of_records(
        store: &GraphStore,
        records: crate::store::ProjectionRecords,
    ) -> Result<Projection, oxigraph::store::StorageError> {
        let ontology = Ontology::get();
        let merges = store.editorial_merges()?;
        let entities = Entities::new(records.entities, ontology, &merges);
        let articles = records
            .articles
            .into_iter()
            .map(|a| ArticleInfo {
                id: a.id,
                published: a.published,
            })
            .collect();
        Ok(Projection::from_records(
            entities,
            articles,
            records.statements,
            ontology,
        ))
    }

    /// The projection of what writes wrote (`written`: its articles'
    /// statements and dates; every entity they declared or name as the
    /// store describes it now), predicates described: the part of the
    /// store's projection those articles make, for the search index to
    /// catch up on.
    pub fn of_written(
        store: &GraphStore,
        mut written: crate::store::ProjectionRecords,
    ) -> Result<Projection, oxigraph::store::StorageError> {
        let mut named: Vec<&str> = written.entities.iter().map(|e| e.iri.as_str()).collect();
        for s in &written.statements {
            let roles = [&s.object, &s.source, &s.about, &s.place];
            named.push(&s.subject);
            named.extend(roles.into_iter().flatten().map(String::as_str));
            named.extend(s.via.iter().map(String::as_str));
        }
        named.sort_unstable();
        named.dedup();
        let iris: Vec<oxigraph::model::NamedNode> = named
            .into_iter()
            .filter_map(|iri| oxigraph::model::NamedNode::new(iri).ok())
            .collect();
        written.entities = store.entities_named(&iris)?;
        written.entities.sort_by(|a, b| a.iri.cmp(&b.iri));
        let mut projection = Projection::of_records(store, written)?;
        projection.describe_predicates(store)?;
        Ok(projection)
    }

    /// Predicates are few: their labels (however they arrived) are read
    /// each time, so a label ingested after the snapshot or the image is
    /// seen.
    fn describe_predicates(
        &mut self,
        store: &GraphStore,
    ) -> Result<(), oxigraph::store::StorageError> {
        for predicate in self.predicates.iter_mut() {
            predicate.describe(store.describe_term(&predicate.iri)?);
        }
        Ok(())
    }

    fn from_records(
        mut entities: Entities,
        articles: Table<ArticleIndex, ArticleInfo>,
        records: Vec<StatementRecord>,
        ontology: &Ontology,
    ) -> Projection {
        let mut article_index: HashMap<String, ArticleIndex> = articles
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        let mut articles = articles;
        let mut predicate_index: HashMap<String, PredicateIndex> = HashMap::default();
        let mut predicates = Table::default();
        let mut statements = Table::with_capacity(records.len());
        for r in records {
            let mut entity = |iri: &str| match entities.by_iri(iri) {
                Some(i) => i,
                None => entities.push(EntityInfo {
                    iri: iri.to_owned(),
                    ids: Vec::new(),
                    label: vocab::shorten(iri),
                    labels: Vec::new(),
                    classes: Vec::new(),
                    same_as: Vec::new(),
                    is_event: false,
                    merged: Vec::new(),
                }),
            };
            let subject = entity(&r.subject);
            let object = match (&r.object, &r.value) {
                (Some(iri), _) => StatementObject::Entity(entity(iri)),
                (None, value) => StatementObject::Value(value.clone().unwrap_or_default()),
            };
            let source = r.source.as_deref().map(&mut entity);
            let via = r.via.iter().map(|v| entity(v)).collect();
            let about = r.about.as_deref().map(&mut entity);
            let place = r.place.as_deref().map(&mut entity);
            let predicate = *predicate_index
                .entry(r.predicate.clone())
                .or_insert_with(|| predicates.push(Predicate::new(r.predicate.clone(), ontology)));
            let article = *article_index.entry(r.article.clone()).or_insert_with(|| {
                articles.push(ArticleInfo {
                    id: r.article.clone(),
                    published: None,
                })
            });
            statements.push(Statement {
                iri: r.statement,
                subject,
                predicate,
                object,
                article,
                certainty: r.certainty,
                negated: r.negated,
                source,
                via,
                about,
                place,
                time: r.time,
                earliest: r.earliest,
                latest: r.latest,
                evidence: r.evidence,
            });
        }
        entities.finish();
        let mut graph = DiGraph::with_capacity(entities.len(), statements.len());
        for entity in entities.indices() {
            graph.add_node(entity);
        }
        // Role links first: a node's edges are walked newest first, so a
        // search that may take either prefers a fact to a role link.
        add_role_edges(&mut graph, &mut predicates, &statements, ontology);
        let mut edge_of: HashMap<(EntityIndex, PredicateIndex, EntityIndex), EdgeIndex> =
            HashMap::default();
        let mut by_entity: Table<EntityIndex, Vec<StatementIndex>> =
            entities.indices().map(|_| Vec::new()).collect();
        for (i, s) in statements.enumerate() {
            by_entity[s.subject].push(i);
            let StatementObject::Entity(object) = s.object else {
                continue;
            };
            if object != s.subject {
                by_entity[object].push(i);
            }
            if s.negated {
                continue;
            }
            let edge = *edge_of
                .entry((s.subject, s.predicate, object))
                .or_insert_with(|| {
                    graph.add_edge(
                        NodeIndex::new(s.subject.index()),
                        NodeIndex::new(object.index()),
                        Edge {
                            predicate: s.predicate,
                            statements: EdgeStatements::new(),
                            evidence_cost: f64::INFINITY,
                            role: None,
                        },
                    )
                });
            graph[edge].statements.push(i);
        }
        // A denial of an asserted triple rides on its edge (it never makes
        // the edge walkable): every hop shows who denies it.
        let mut denials: HashMap<EdgeIndex, Vec<StatementIndex>> = HashMap::default();
        let mut denied_by: HashMap<EntityIndex, Vec<StatementIndex>> = HashMap::default();
        for (i, s) in statements.enumerate() {
            if let (true, Some(source)) = (s.negated, s.source) {
                if source != s.subject && s.object != StatementObject::Entity(source) {
                    denied_by.entry(source).or_default().push(i);
                }
            }
            if let (true, StatementObject::Entity(object)) = (s.negated, &s.object) {
                if let Some(&edge) = edge_of.get(&(s.subject, s.predicate, *object)) {
                    denials.entry(edge).or_default().push(i);
                }
            }
        }
        for edge in graph.edge_weights_mut() {
            let supporting = edge.statements.iter().map(|&i| &statements[i]);
            edge.evidence_cost = search::evidence_cost(supporting).unwrap_or(f64::INFINITY);
        }
        let neighbors = Adjacency::new(&graph);
        Projection {
            graph: graph.into(),
            entities,
            predicates,
            articles,
            statements: statements.into(),
            by_entity: by_entity.into(),
            denials,
            denied_by,
            neighbors,
        }
    }

    /// The statements that deny an edge's triple (any article, any
    /// source), in statement order.
    pub fn denials(&self, edge: EdgeIndex) -> &[StatementIndex] {
        self.denials.get(&edge).map_or(&[], Vec::as_slice)
    }

    /// The denials whose source is `entity`, of facts it is neither the
    /// subject nor the object of, in statement order.
    pub fn denied_by(&self, entity: EntityIndex) -> &[StatementIndex] {
        self.denied_by.get(&entity).map_or(&[], Vec::as_slice)
    }

    /// The statements that deny what `statement` asserts (none for a
    /// denial, or a fact about a literal value).
    pub fn denials_of(&self, statement: &Statement) -> Vec<&Statement> {
        let StatementObject::Entity(object) = statement.object else {
            return Vec::new();
        };
        if statement.negated {
            return Vec::new();
        }
        let (a, b) = (self.node(statement.subject), self.node(object));
        match self
            .graph
            .edges_connecting(a, b)
            .find(|e| e.weight().predicate == statement.predicate)
        {
            Some(edge) => self
                .denials(edge.id())
                .iter()
                .map(|&s| &self.statements[s])
                .collect(),
            None => Vec::new(),
        }
    }

    /// The graph node of an entity (every entity is one, in index order).
    pub fn node(&self, entity: EntityIndex) -> NodeIndex {
        NodeIndex::new(entity.index())
    }

    pub fn entity(&self, node: NodeIndex) -> &EntityInfo {
        self.entities.get(self.graph[node])
    }

    /// How many articles have statements about the entity (published by
    /// `as_of`, when given).
    pub fn article_count(&self, entity: EntityIndex, as_of: Option<Day>) -> usize {
        let published_by = |article: ArticleIndex| match (as_of, self.articles[article].published) {
            (None, _) => true,
            (Some(day), Some(published)) => published <= day,
            (Some(_), None) => false,
        };
        let mut articles: Vec<ArticleIndex> = self.by_entity[entity]
            .iter()
            .map(|&s| self.statements[s].article)
            .filter(|&a| published_by(a))
            .collect();
        articles.sort_unstable();
        articles.dedup();
        articles.len()
    }

    /// The predicate named by a user: a local name of the ontology, a
    /// prefixed name or an IRI; else the id a document declared it under,
    /// its IRI's local name, or one of its labels in any language, when
    /// that names one predicate.
    pub fn predicate_named(&self, name: &str) -> Option<PredicateIndex> {
        let iri = match name.split_once(':') {
            None => Some(format!("{}{name}", vocab::SG)),
            Some((prefix, local)) if !local.starts_with("//") => {
                vocab::namespace(prefix).map(|ns| format!("{ns}{local}"))
            }
            Some(_) => Some(name.to_owned()),
        };
        if let Some(found) = iri.and_then(|iri| self.predicates.position(|p| p.iri == iri)) {
            return Some(found);
        }
        let key = crate::normalize::match_key(name);
        let unique = |matches: &dyn Fn(&Predicate) -> bool| {
            let mut found = self.predicates.enumerate().filter(|(_, p)| matches(p));
            match (found.next(), found.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        };
        unique(&|p| p.ids.iter().any(|id| id == name))
            .or_else(|| {
                unique(&|p| {
                    p.iri
                        .rsplit(['#', '/'])
                        .next()
                        .is_some_and(|local| local.eq_ignore_ascii_case(name))
                })
            })
            .or_else(|| {
                unique(&|p| {
                    p.labels
                        .iter()
                        .any(|(_, text)| crate::normalize::match_key(text) == key)
                })
            })
    }
}

/// The role links of asserted statements, one edge per distinct (from,
/// role, to): subject to what it is about and where, source to subject.
fn add_role_edges(
    graph: &mut DiGraph<EntityIndex, Edge, u32>,
    predicates: &mut Table<PredicateIndex, Predicate>,
    statements: &Table<StatementIndex, Statement>,
    ontology: &Ontology,
) {
    let mut role_predicates: HashMap<Role, PredicateIndex> = HashMap::default();
    let mut edge_of: HashMap<(EntityIndex, Role, EntityIndex), EdgeIndex> = HashMap::default();
    for (i, s) in statements.enumerate() {
        if s.negated {
            continue;
        }
        let links = [
            (Role::About, Some(s.subject), s.about),
            (Role::Place, Some(s.subject), s.place),
            (Role::Source, s.source, Some(s.subject)),
        ];
        for (role, from, to) in links {
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            if from == to {
                continue;
            }
            let predicate = *role_predicates.entry(role).or_insert_with(|| {
                let iri = vocab::sg(role.property()).into_string();
                match predicates.position(|p| p.iri == iri) {
                    Some(p) => p,
                    None => predicates.push(Predicate::new(iri, ontology)),
                }
            });
            let edge = *edge_of.entry((from, role, to)).or_insert_with(|| {
                graph.add_edge(
                    NodeIndex::new(from.index()),
                    NodeIndex::new(to.index()),
                    Edge {
                        predicate,
                        statements: EdgeStatements::new(),
                        evidence_cost: f64::INFINITY,
                        role: Some(role),
                    },
                )
            });
            graph[edge].statements.push(i);
        }
    }
}

#[cfg(test)]
mod tests;
