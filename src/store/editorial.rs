//! Editorial decisions, kept apart from what articles say: an editor's
//! merge of two entity ids that name one entity. A merge is a node in the
//! editorial graph (`sg:Merge`, its two `sg:mergedEntity`s, an optional
//! `sg:note`, when it was made) plus `owl:sameAs` between the two, so
//! SPARQL can follow it; the entities' own quads are left as they are, so
//! removing the node undoes the merge. The path projection reads the
//! merges each time it is built and makes each pair one node.

use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::StorageError;

use super::GraphStore;
use crate::vocab::{self, term};

/// One editorial merge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merge {
    /// The two entity IRIs, in IRI order.
    pub entities: [String; 2],
    pub note: Option<String>,
    /// When it was made (`xsd:dateTime`), if recorded.
    pub created: Option<String>,
}

impl GraphStore {
    /// Records that `a` and `b` are one entity; `false` when they already
    /// were (nothing written).
    pub fn merge_entities(
        &self,
        a: &str,
        b: &str,
        note: Option<&str>,
        created: Option<&str>,
    ) -> Result<bool, StorageError> {
        // Rewrites article graphs the write log may hold.
        self.write_log.spoil();
        let node = vocab::merge(a, b);
        let graph = GraphName::NamedNode(vocab::editorial_graph());
        let typed = Quad::new(
            node.clone(),
            term::RDF_TYPE,
            term::SG_MERGE.into_owned(),
            graph.clone(),
        );
        if self.store.contains(&typed)? {
            return Ok(false);
        }
        let (a, b) = (NamedNode::new_unchecked(a), NamedNode::new_unchecked(b));
        let mut quads = vec![
            typed,
            Quad::new(
                node.clone(),
                term::SG_MERGED_ENTITY,
                a.clone(),
                graph.clone(),
            ),
            Quad::new(
                node.clone(),
                term::SG_MERGED_ENTITY,
                b.clone(),
                graph.clone(),
            ),
            Quad::new(a, term::OWL_SAME_AS, b, graph.clone()),
        ];
        if let Some(note) = note {
            quads.push(Quad::new(
                node.clone(),
                term::SG_NOTE,
                Literal::new_simple_literal(note),
                graph.clone(),
            ));
        }
        if let Some(created) = created {
            quads.push(Quad::new(
                node,
                term::SCHEMA_DATE_CREATED,
                Literal::new_typed_literal(created, oxigraph::model::vocab::xsd::DATE_TIME),
                graph,
            ));
        }
        self.write_beside_records(|tx| {
            tx.extend(&quads);
            Ok(())
        })?;
        Ok(true)
    }

    /// Undoes the merge of `a` and `b`; `false` when there was none.
    pub fn unmerge_entities(&self, a: &str, b: &str) -> Result<bool, StorageError> {
        // Rewrites article graphs the write log may hold.
        self.write_log.spoil();
        let node = vocab::merge(a, b);
        let graph = vocab::editorial_graph();
        let graph_ref = GraphNameRef::NamedNode(graph.as_ref());
        let mut quads: Vec<Quad> = self
            .store
            .quads_for_pattern(Some(node.as_ref().into()), None, None, Some(graph_ref))
            .collect::<Result<_, _>>()?;
        if quads.is_empty() {
            return Ok(false);
        }
        let (a, b) = (NamedNode::new_unchecked(a), NamedNode::new_unchecked(b));
        for (x, y) in [(&a, &b), (&b, &a)] {
            quads.push(Quad::new(
                x.clone(),
                term::OWL_SAME_AS,
                y.clone(),
                GraphName::NamedNode(graph.clone()),
            ));
        }
        self.write_beside_records(|tx| {
            for quad in &quads {
                tx.remove(quad);
            }
            Ok(())
        })?;
        Ok(true)
    }

    /// Every editorial merge, in IRI order.
    pub fn editorial_merges(&self) -> Result<Vec<Merge>, StorageError> {
        let graph = vocab::editorial_graph();
        let graph_ref = GraphNameRef::NamedNode(graph.as_ref());
        let mut merges = Vec::new();
        for quad in self.store.quads_for_pattern(
            None,
            Some(term::RDF_TYPE),
            Some(term::SG_MERGE.into()),
            Some(graph_ref),
        ) {
            let NamedOrBlankNode::NamedNode(node) = quad?.subject else {
                continue;
            };
            let mut entities = Vec::new();
            let (mut note, mut created) = (None, None);
            for q in self.store.quads_for_pattern(
                Some(node.as_ref().into()),
                None,
                None,
                Some(graph_ref),
            ) {
                let q = q?;
                match (q.predicate.as_ref(), q.object) {
                    (p, Term::NamedNode(e)) if p == term::SG_MERGED_ENTITY => {
                        entities.push(e.into_string())
                    }
                    (p, Term::Literal(l)) if p == term::SG_NOTE => {
                        note = Some(l.value().to_owned())
                    }
                    (p, Term::Literal(l)) if p == term::SCHEMA_DATE_CREATED => {
                        created = Some(l.value().to_owned())
                    }
                    _ => {}
                }
            }
            entities.sort();
            if let [a, b] = entities.as_slice() {
                merges.push(Merge {
                    entities: [a.clone(), b.clone()],
                    note,
                    created,
                });
            }
        }
        merges.sort_by(|x, y| x.entities.cmp(&y.entities));
        Ok(merges)
    }
}
