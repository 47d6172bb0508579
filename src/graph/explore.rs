//! Exploring entities across stories: an entity's neighborhood grouped by
//! predicate and direction, its dated facts in time order, and name search.
//! Pure functions over the projection; rendering is in `render::explore`.

use std::collections::BTreeMap;

use super::names::MatchKind;
use super::search::{Origin, Path, PathFilter, Search, Walk};
use super::{
    ArticleIndex, EntityIndex, Facets, PredicateIndex, Projection, Statement, StatementObject,
};
use crate::keyword::keyword_enum;

/// Facts of one predicate in one direction around an entity.
#[derive(Debug)]
pub struct NeighborGroup<'a> {
    pub predicate: PredicateIndex,
    /// True when the entity is the subject.
    pub outgoing: bool,
    /// (the other entity or value, the statement)
    pub facts: Vec<(Other, &'a Statement)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Other {
    Entity(EntityIndex),
    Value(String),
}

/// What `neighbors` shows of an entity.
#[derive(Debug)]
pub struct Neighborhood<'a> {
    pub entity: EntityIndex,
    /// Its statements, by predicate and direction (denials included).
    pub groups: Vec<NeighborGroup<'a>>,
    /// Denials it is the source of, of facts about others.
    pub denies: Vec<&'a Statement>,
    /// Who is within the asked number of hops (beyond one), with distance.
    pub reached: Vec<(EntityIndex, usize)>,
}

impl Neighborhood<'_> {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.denies.is_empty()
    }
}

/// An entity's neighborhood: its statements, the denials it made, and
/// (with `hops` above one) who is within reach.
pub fn neighborhood<'a>(
    projection: &'a Projection,
    entity: EntityIndex,
    hops: usize,
    filter: &PathFilter,
    directed: bool,
) -> Neighborhood<'a> {
    let reached = if hops > 1 {
        reach(projection, entity, hops, filter, directed)
    } else {
        Vec::new()
    };
    Neighborhood {
        entity,
        groups: neighbors(projection, entity, filter),
        denies: denials_by(projection, entity, filter),
        reached,
    }
}

/// The denials `entity` is the source of, of facts it is not part of
/// (those are among its own statements already).
fn denials_by<'a>(
    projection: &'a Projection,
    entity: EntityIndex,
    filter: &PathFilter,
) -> Vec<&'a Statement> {
    let mut denials: Vec<&Statement> = projection
        .denied_by(entity)
        .iter()
        .map(|&s| &projection.statements[s])
        .filter(|s| admits_for_exploration(projection, filter, s))
        .collect();
    denials.sort_by(|a, b| a.iri.cmp(&b.iri));
    denials
}

/// The statements around `entity`, grouped by predicate and direction
/// (denials included and marked by the renderer); see [`reach`] for the
/// entities further away.
pub fn neighbors<'a>(
    projection: &'a Projection,
    entity: EntityIndex,
    filter: &PathFilter,
) -> Vec<NeighborGroup<'a>> {
    let mut groups: BTreeMap<(bool, String, PredicateIndex), NeighborGroup<'a>> = BTreeMap::new();
    for &s in &projection.by_entity[entity] {
        let statement = &projection.statements[s];
        if !admits_for_exploration(projection, filter, statement) {
            continue;
        }
        let outgoing = statement.subject == entity;
        let other = match (&statement.object, outgoing) {
            (StatementObject::Entity(o), true) => Other::Entity(*o),
            (StatementObject::Value(v), true) => Other::Value(v.clone()),
            (_, false) => Other::Entity(statement.subject),
        };
        let label = projection.predicates[statement.predicate].label.clone();
        groups
            .entry((!outgoing, label, statement.predicate))
            .or_insert_with(|| NeighborGroup {
                predicate: statement.predicate,
                outgoing,
                facts: Vec::new(),
            })
            .facts
            .push((other, statement));
    }
    let mut groups: Vec<NeighborGroup<'a>> = groups.into_values().collect();
    for g in &mut groups {
        g.facts.sort_by(|a, b| {
            b.1.certainty
                .cmp(&a.1.certainty)
                .then_with(|| a.1.iri.cmp(&b.1.iri))
        });
    }
    groups
}

/// Entities within `hops` steps of `entity` (both ways unless `directed`),
/// with their distance, nearest first.
pub fn reach(
    projection: &Projection,
    entity: EntityIndex,
    hops: usize,
    filter: &PathFilter,
    directed: bool,
) -> Vec<(EntityIndex, usize)> {
    let walk = Walk {
        directed,
        ..Walk::default()
    };
    let search = Search::new(projection, filter, walk);
    let mut seen = vec![false; projection.entities.len()];
    seen[entity.index()] = true;
    let mut frontier = vec![entity];
    let mut reached = Vec::new();
    for d in 1..=hops {
        let mut next = Vec::new();
        for &e in &frontier {
            for (neighbor, _) in search.neighbors(projection.node(e)) {
                if !std::mem::replace(&mut seen[neighbor.index()], true) {
                    let n = projection.graph[neighbor];
                    reached.push((n, d));
                    next.push(n);
                }
            }
        }
        frontier = next;
    }
    reached.sort_by(|a, b| {
        a.1.cmp(&b.1).then_with(|| {
            projection
                .entities
                .get(a.0)
                .label
                .cmp(&projection.entities.get(b.0).label)
        })
    });
    reached
}

/// Negated statements are shown (marked) when exploring, but the other
/// filters apply.
fn admits_for_exploration(projection: &Projection, filter: &PathFilter, s: &Statement) -> bool {
    if !filter.predicate_ok(s.predicate) {
        return false;
    }
    let as_if_asserted = Facets {
        negated: false,
        ..s.facets()
    };
    filter.admits(projection, &as_if_asserted)
}

/// Every dated statement involving `entity`, in time order (by earliest
/// day, then latest), the time as written.
pub fn timeline<'a>(
    projection: &'a Projection,
    entity: EntityIndex,
    filter: &PathFilter,
) -> Vec<&'a Statement> {
    let mut facts: Vec<&Statement> = projection.by_entity[entity]
        .iter()
        .map(|&s| &projection.statements[s])
        .filter(|s| s.earliest.is_some() && admits_for_exploration(projection, filter, s))
        .collect();
    facts.sort_by(|a, b| (a.earliest, a.latest, &a.iri).cmp(&(b.earliest, b.latest, &b.iri)));
    facts
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub entity: EntityIndex,
    pub kind: MatchKind,
    pub articles: usize,
}

/// Entities matching `text`, best match first, then by how many articles
/// mention them; with `as_of`, only articles published by then count and
/// entities none of them mention are left out.
pub fn find(
    projection: &Projection,
    text: &str,
    as_of: Option<crate::timespec::Day>,
) -> Vec<Found> {
    let mut found: Vec<Found> = projection
        .entities
        .search(text)
        .into_iter()
        .map(|(entity, kind)| Found {
            entity,
            kind,
            articles: projection.article_count(entity, as_of),
        })
        .filter(|f| as_of.is_none() || f.articles > 0)
        .collect();
    found.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then_with(|| b.articles.cmp(&a.articles))
            .then_with(|| {
                projection
                    .entities
                    .get(a.entity)
                    .id()
                    .cmp(projection.entities.get(b.entity).id())
            })
    });
    found
}

/// The statements about one triple that disagree: a denial against an
/// assertion, or different certainty levels across sources or articles.
#[derive(Debug)]
pub struct Conflict<'a> {
    pub subject: EntityIndex,
    pub predicate: PredicateIndex,
    pub object: StatementObject,
    /// Every way its statements disagree, in [`ConflictKind`] order.
    pub kinds: Vec<ConflictKind>,
    /// Every statement about the triple, strongest assertion first, denials last.
    pub statements: Vec<&'a Statement>,
}

keyword_enum! {
    /// How statements about one triple disagree, in the order conflicts
    /// are listed.
    #[derive(PartialOrd, Ord)]
    pub enum ConflictKind {
        /// One statement asserts the triple and another denies it
        Denied = "denial",
        /// Its statements give different certainty levels
        Certainty = "certainty",
        /// Different sources date it to times that do not overlap
        Time = "time",
    }
}

/// The triples whose statements disagree in one of `kinds` (all when
/// empty), optionally only those involving `entity`, denials first.
/// Statements are filtered like paths, denials included.
pub fn conflicts<'a>(
    projection: &'a Projection,
    entity: Option<EntityIndex>,
    filter: &PathFilter,
    kinds: &[ConflictKind],
) -> Vec<Conflict<'a>> {
    let mut conflicts = Vec::new();
    for (key, mut statements) in triples(projection, entity, filter, true) {
        let found: Vec<ConflictKind> = conflict_kinds(&statements)
            .into_iter()
            .filter(|k| kinds.is_empty() || kinds.contains(k))
            .collect();
        if found.is_empty() {
            continue;
        }
        statements.sort_by(|a, b| {
            (a.negated, std::cmp::Reverse(a.certainty), &a.iri).cmp(&(
                b.negated,
                std::cmp::Reverse(b.certainty),
                &b.iri,
            ))
        });
        conflicts.push(Conflict {
            subject: key.0,
            predicate: key.1,
            object: key.2,
            kinds: found,
            statements,
        });
    }
    conflicts.sort_by(|a, b| {
        a.kinds[0]
            .cmp(&b.kinds[0])
            .then_with(|| a.statements[0].iri.cmp(&b.statements[0].iri))
    });
    conflicts
}

/// How the statements about one triple disagree.
fn conflict_kinds(statements: &[&Statement]) -> Vec<ConflictKind> {
    let asserted: Vec<&Statement> = statements.iter().copied().filter(|s| !s.negated).collect();
    let mut kinds = Vec::new();
    if !asserted.is_empty() && asserted.len() < statements.len() {
        kinds.push(ConflictKind::Denied);
    }
    if asserted
        .iter()
        .any(|s| s.certainty != asserted[0].certainty)
    {
        kinds.push(ConflictKind::Certainty);
    }
    let dated = |s: &&Statement| Some((s.earliest?, s.latest?, Origin::of(s)));
    let times: Vec<_> = asserted.iter().filter_map(dated).collect();
    let apart = times.iter().enumerate().any(|(i, a)| {
        times[i + 1..]
            .iter()
            .any(|b| a.2 != b.2 && (a.1 < b.0 || b.1 < a.0))
    });
    if apart {
        kinds.push(ConflictKind::Time);
    }
    kinds
}

/// One asserted triple and who stands behind it.
#[derive(Debug)]
pub struct Corroboration<'a> {
    pub subject: EntityIndex,
    pub predicate: PredicateIndex,
    pub object: StatementObject,
    /// Independent origins: the first party a source cites, else the source
    /// (a relay of someone else's claim is not independent).
    pub origins: Vec<EntityIndex>,
    pub statements: Vec<&'a Statement>,
}

/// Every asserted triple with its number of independent sources, best
/// corroborated first.
pub fn corroboration<'a>(
    projection: &'a Projection,
    entity: Option<EntityIndex>,
    filter: &PathFilter,
) -> Vec<Corroboration<'a>> {
    let mut out: Vec<Corroboration<'a>> = triples(projection, entity, filter, false)
        .into_iter()
        .map(|(key, statements)| {
            let mut origins: Vec<EntityIndex> = statements
                .iter()
                .filter_map(|s| match Origin::of(s) {
                    Origin::Party(party) => Some(party),
                    Origin::Unattributed(_) => None,
                })
                .collect();
            origins.sort_unstable();
            origins.dedup();
            Corroboration {
                subject: key.0,
                predicate: key.1,
                object: key.2,
                origins,
                statements,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.origins
            .len()
            .cmp(&a.origins.len())
            .then_with(|| a.statements[0].iri.cmp(&b.statements[0].iri))
    });
    out
}

type TripleKey = (EntityIndex, PredicateIndex, StatementObject);

/// Statements grouped by their triple, in a stable order.
fn triples<'a>(
    projection: &'a Projection,
    entity: Option<EntityIndex>,
    filter: &PathFilter,
    with_denials: bool,
) -> Vec<(TripleKey, Vec<&'a Statement>)> {
    let candidates: Box<dyn Iterator<Item = &'a Statement>> = match entity {
        Some(e) => Box::new(
            projection.by_entity[e]
                .iter()
                .map(move |&s| &projection.statements[s]),
        ),
        None => Box::new(projection.statements.iter()),
    };
    let mut groups: BTreeMap<String, (TripleKey, Vec<&'a Statement>)> = BTreeMap::new();
    for s in candidates {
        if (s.negated && !with_denials) || !admits_for_exploration(projection, filter, s) {
            continue;
        }
        let key = (s.subject, s.predicate, s.object.clone());
        let sort_key = format!(
            "{}\u{0}{}\u{0}{:?}",
            s.subject.index(),
            s.predicate.index(),
            s.object
        );
        groups
            .entry(sort_key)
            .or_insert_with(|| (key, Vec::new()))
            .1
            .push(s);
    }
    groups.into_values().collect()
}

/// What ties two articles together.
#[derive(Debug)]
pub struct Connection {
    /// Entities both articles have facts about.
    pub shared: Vec<EntityIndex>,
    /// When they share none: the shortest path from an entity of one to an
    /// entity of the other.
    pub path: Option<Path>,
}

/// The entities an article's statements name (subject and entity object).
pub fn article_entities(projection: &Projection, article: ArticleIndex) -> Vec<EntityIndex> {
    // Facets first: a million statements' facets are read in a fraction
    // of the time it takes to decode the statements themselves.
    let mut entities: Vec<EntityIndex> = projection
        .statements
        .indices()
        .filter(|&i| projection.statements.facets(i).article == article)
        .map(|i| &projection.statements[i])
        .flat_map(|s| {
            let object = match s.object {
                StatementObject::Entity(o) => Some(o),
                StatementObject::Value(_) => None,
            };
            std::iter::once(s.subject).chain(object)
        })
        .collect();
    entities.sort_unstable();
    entities.dedup();
    entities
}

/// Shared entities of two articles, or (given a `search`) the shortest
/// path between them when they share none.
pub fn connections(
    projection: &Projection,
    a: ArticleIndex,
    b: ArticleIndex,
    search: Option<&Search<'_>>,
) -> Connection {
    let (ea, eb) = (
        article_entities(projection, a),
        article_entities(projection, b),
    );
    let shared: Vec<EntityIndex> = ea
        .iter()
        .copied()
        .filter(|e| eb.binary_search(e).is_ok())
        .collect();
    let mut path = None;
    if let Some(search) = search.filter(|_| shared.is_empty()) {
        for &x in &ea {
            for &y in &eb {
                if let Some(p) = search.shortest(projection.node(x), projection.node(y)) {
                    if path.as_ref().is_none_or(|best: &Path| p.cost < best.cost) {
                        path = Some(p);
                    }
                }
            }
        }
    }
    Connection { shared, path }
}
