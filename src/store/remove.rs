//! Taking articles back: an article's graph (metadata, facts, statements)
//! and its entity declarations leave the store in one transaction, and so
//! do the entities it mentioned that no other article declares or
//! mentions (an entity a document declares without any article mentioning
//! it is not tracked, and stays). The projection's
//! snapshot is extended by a delta that removes them, so the next `path`
//! does not rebuild from the quads.

use std::collections::BTreeSet;

use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::StorageError;

use super::snapshot::DeltaRecords;
use super::{GraphStore, StoreError};
use crate::input::suggest::did_you_mean;
use crate::vocab::{self, term};

/// What a removal took out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RemoveReport {
    pub articles: usize,
    /// Quads removed, entity descriptions included.
    pub quads: usize,
    /// Entities removed with them: declared by no other article and
    /// mentioned by none.
    pub entities: Vec<String>,
}

impl GraphStore {
    /// Removes the articles with these ids, atomically: all of them or,
    /// when one is not in the store, none (an error naming it).
    pub fn remove_articles(&self, ids: &[String]) -> Result<RemoveReport, StoreError> {
        // Rewrites article graphs the write log may hold.
        self.write_log.spoil();
        for id in ids {
            if !self.contains_article(id)? {
                let known: Vec<String> = self.articles()?.into_iter().map(|a| a.id).collect();
                return Err(StoreError::NoArticle {
                    id: id.clone(),
                    did_you_mean: did_you_mean(id, known.iter().map(String::as_str)),
                });
            }
        }
        let snapshot_from = self.current_snapshot_generation();
        let generation = self.new_generation();
        let report = self.remove_in_transaction(ids)?;
        self.flush()?;
        if let (Some(from), Some(to)) = (&snapshot_from, &generation) {
            let delta = DeltaRecords::removed(ids.to_vec(), report.entities.clone());
            self.append_snapshot_delta(from, to, delta);
        }
        Ok(report)
    }

    fn remove_in_transaction(&self, ids: &[String]) -> Result<RemoveReport, StorageError> {
        let default = GraphNameRef::DefaultGraph;
        let mut tx = self.store.start_transaction()?;
        let mut removed: Vec<Quad> = Vec::new();
        let mut declared = BTreeSet::new();
        for id in ids {
            let graph = vocab::article(id);
            let graph_ref = GraphNameRef::NamedNode(graph.as_ref());
            for quad in tx.quads_for_pattern(None, None, None, Some(graph_ref)) {
                let quad = quad?;
                // Every entity the article mentions may have been there for it.
                if quad.predicate.as_ref() == term::SCHEMA_MENTIONS {
                    if let Term::NamedNode(entity) = &quad.object {
                        declared.insert(entity.clone());
                    }
                }
                removed.push(quad);
            }
            for quad in tx.quads_for_pattern(
                None,
                Some(term::SG_DECLARED_IN),
                Some(graph.as_ref().into()),
                Some(default),
            ) {
                let quad = quad?;
                if let NamedOrBlankNode::NamedNode(entity) = &quad.subject {
                    declared.insert(entity.clone());
                }
                removed.push(quad);
            }
        }
        for quad in &removed {
            tx.remove(quad);
        }
        for id in ids {
            // A named graph outlives its last quad unless removed itself.
            tx.remove_named_graph(vocab::article(id).as_ref())?;
        }
        let mut report = RemoveReport {
            articles: ids.len(),
            ..RemoveReport::default()
        };
        let graphs: BTreeSet<NamedNode> = ids.iter().map(|id| vocab::article(id)).collect();
        for entity in declared {
            if still_needed(&tx, &entity, &graphs)? {
                continue;
            }
            let description: Vec<Quad> = tx
                .quads_for_pattern(Some(entity.as_ref().into()), None, None, Some(default))
                .collect::<Result<_, _>>()?;
            for quad in &description {
                tx.remove(quad);
            }
            removed.extend(description);
            report.entities.push(entity.into_string());
        }
        report.quads = removed.len();
        tx.commit()?;
        Ok(report)
    }
}

/// Whether an entity stays: another article declares it, or a quad in a
/// graph that stays mentions it. (The removed graphs are skipped by name,
/// whatever the transaction shows of its own removals.)
fn still_needed(
    tx: &oxigraph::store::Transaction<'_>,
    entity: &NamedNode,
    removed_graphs: &BTreeSet<NamedNode>,
) -> Result<bool, StorageError> {
    let removed = |graph: &GraphName| match graph {
        GraphName::NamedNode(g) => removed_graphs.contains(g),
        _ => false,
    };
    let subject = Some(entity.as_ref().into());
    for quad in tx.quads_for_pattern(subject, Some(term::SG_DECLARED_IN), None, None) {
        match quad?.object {
            Term::NamedNode(article) if removed_graphs.contains(&article) => {}
            _ => return Ok(true),
        }
    }
    for quad in tx.quads_for_pattern(None, None, Some(entity.as_ref().into()), None) {
        if !removed(&quad?.graph_name) {
            return Ok(true);
        }
    }
    // As the subject of a fact in an article graph that stays.
    for quad in tx.quads_for_pattern(subject, None, None, None) {
        let graph = quad?.graph_name;
        if !graph.is_default_graph() && !removed(&graph) {
            return Ok(true);
        }
    }
    Ok(false)
}
