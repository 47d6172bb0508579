//! Exploring entities across stories: an entity's neighbourhood grouped by
//! predicate and direction, its dated facts in time order, and name search.
//! Pure functions over the projection; rendering is in `render::explore`.

use std::collections::BTreeMap;

use crate::graph::names::MatchKind;
use crate::graph::search::PathFilter;
use crate::graph::{Projection, Statement, StatementObject};

/// Facts of one predicate in one direction around an entity.
#[derive(Debug)]
pub struct NeighborGroup<'a> {
    pub predicate: usize,
    /// True when the entity is the subject.
    pub outgoing: bool,
    /// (the other entity or value, the statement)
    pub facts: Vec<(Other, &'a Statement)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Other {
    Entity(usize),
    Value(String),
}

/// The statements around `entity`, grouped; with `hops > 1`, also the
/// entities reached in more steps (`reached`, with their distance).
pub fn neighbors<'a>(
    projection: &'a Projection,
    entity: usize,
    filter: &PathFilter,
) -> Vec<NeighborGroup<'a>> {
    let mut groups: BTreeMap<(bool, String, usize), NeighborGroup<'a>> = BTreeMap::new();
    for &s in &projection.by_entity[entity] {
        let statement = &projection.statements[s as usize];
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

/// Entities within `hops` steps of `entity` (undirected unless the filter
/// says directed), with their distance, nearest first.
pub fn reach(
    projection: &Projection,
    entity: usize,
    hops: usize,
    filter: &PathFilter,
) -> Vec<(usize, usize)> {
    let search = crate::graph::search::Search::new(projection, filter);
    let mut distance = vec![usize::MAX; projection.entities.len()];
    distance[entity] = 0;
    let mut frontier = vec![entity];
    let mut reached = Vec::new();
    for d in 1..=hops {
        let mut next = Vec::new();
        for &e in &frontier {
            for (neighbor, _) in search.neighbors(projection.node(e)) {
                let n = neighbor.index();
                if distance[n] == usize::MAX {
                    distance[n] = d;
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
    if s.negated {
        let mut as_if = s.clone();
        as_if.negated = false;
        filter.admits(projection, &as_if)
    } else {
        filter.admits(projection, s)
    }
}

/// Every dated statement involving `entity`, in time order (by earliest
/// day, then latest), the time as written.
pub fn timeline<'a>(
    projection: &'a Projection,
    entity: usize,
    filter: &PathFilter,
) -> Vec<&'a Statement> {
    let mut facts: Vec<&Statement> = projection.by_entity[entity]
        .iter()
        .map(|&s| &projection.statements[s as usize])
        .filter(|s| s.earliest.is_some() && admits_for_exploration(projection, filter, s))
        .collect();
    facts.sort_by(|a, b| (a.earliest, a.latest, &a.iri).cmp(&(b.earliest, b.latest, &b.iri)));
    facts
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub entity: usize,
    pub kind: MatchKind,
    pub articles: usize,
}

/// Entities matching `text`, best match first, then by how many articles
/// mention them.
pub fn find(projection: &Projection, text: &str) -> Vec<Found> {
    let mut found: Vec<Found> = projection
        .entities
        .search(text)
        .into_iter()
        .map(|(entity, kind)| Found {
            entity,
            kind,
            articles: projection.article_count(entity),
        })
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
