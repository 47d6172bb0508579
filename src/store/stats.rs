//! Counts and listings read straight from quad patterns (no SPARQL): what
//! `storygraph stats` and `storygraph articles` show.

use std::collections::BTreeMap;

use oxigraph::model::{GraphNameRef, NamedNodeRef, NamedOrBlankNode, Term};
use oxigraph::store::StorageError;
use serde::Serialize;

use super::GraphStore;
use crate::model::Certainty;
use crate::vocab::{self, term};

/// What the store holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub articles: usize,
    pub entities: usize,
    /// Statements (facts as articles present them), negated ones included.
    pub facts: usize,
    /// Facts per certainty level, strongest first.
    pub facts_by_certainty: BTreeMap<String, usize>,
    pub negated_facts: usize,
    /// Quads in all graphs, the ontology included.
    pub triples: usize,
    /// Of them, the quads of the ontology graph (what an ingest's count of
    /// triples written leaves out).
    pub ontology_triples: usize,
    /// Named graphs: one per article, plus the ontology graph.
    pub named_graphs: usize,
}

/// One ingested article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleSummary {
    pub id: String,
    pub title: String,
    pub language: String,
    pub published: String,
    pub publisher: Option<String>,
    pub facts: usize,
}

impl GraphStore {
    pub fn stats(&self) -> Result<Stats, StorageError> {
        let count =
            |p: NamedNodeRef<'_>, o: Option<NamedNodeRef<'_>>, g: Option<GraphNameRef<'_>>| {
                self.store
                    .quads_for_pattern(None, Some(p), o.map(Into::into), g)
                    .try_fold(0usize, |n, q| q.map(|_| n + 1))
            };
        let mut by_certainty: BTreeMap<String, usize> = Certainty::ALL
            .iter()
            .map(|c| (c.as_str().to_owned(), 0))
            .collect();
        for c in Certainty::ALL {
            let iri = c.iri();
            by_certainty.insert(
                c.as_str().to_owned(),
                count(term::SG_CERTAINTY, Some(iri.as_ref()), None)?,
            );
        }
        let negated = self
            .store
            .quads_for_pattern(None, Some(term::SG_NEGATED), None, None)
            .try_fold(0usize, |n, q| {
                q.map(|q| {
                    n + usize::from(matches!(&q.object, Term::Literal(l) if l.value() == "true"))
                })
            })?;
        Ok(Stats {
            articles: count(term::RDF_TYPE, Some(term::SG_ARTICLE), None)?,
            entities: count(
                term::RDF_TYPE,
                Some(term::SG_ENTITY),
                Some(GraphNameRef::DefaultGraph),
            )?,
            facts: count(term::RDF_TYPE, Some(term::SG_STATEMENT), None)?,
            facts_by_certainty: by_certainty,
            negated_facts: negated,
            triples: self.store.len()?,
            ontology_triples: self
                .store
                .quads_for_pattern(
                    None,
                    None,
                    None,
                    Some(GraphNameRef::NamedNode(vocab::ontology_graph().as_ref())),
                )
                .try_fold(0usize, |n, q| q.map(|_| n + 1))?,
            named_graphs: self
                .store
                .named_graphs()
                .try_fold(0usize, |n, g| g.map(|_| n + 1))?,
        })
    }

    /// Every ingested article, ordered by publication date then id.
    pub fn articles(&self) -> Result<Vec<ArticleSummary>, StorageError> {
        let mut articles = Vec::new();
        for quad in self.store.quads_for_pattern(
            None,
            Some(term::RDF_TYPE),
            Some(term::SG_ARTICLE.into()),
            None,
        ) {
            let quad = quad?;
            let NamedOrBlankNode::NamedNode(article) = quad.subject else {
                continue;
            };
            let graph = quad.graph_name.as_ref();
            let value = |p: NamedNodeRef<'_>| -> Result<Option<Term>, StorageError> {
                self.store
                    .quads_for_pattern(Some(article.as_ref().into()), Some(p), None, Some(graph))
                    .next()
                    .transpose()
                    .map(|q| q.map(|q| q.object))
            };
            let text = |t: Option<Term>| match t {
                Some(Term::Literal(l)) => l.value().to_owned(),
                Some(Term::NamedNode(n)) => n.as_str().to_owned(),
                _ => String::new(),
            };
            let publisher = match value(term::SCHEMA_PUBLISHER)? {
                Some(Term::NamedNode(n)) => Some(self.label(n.as_ref())?),
                _ => None,
            };
            let facts = self
                .store
                .quads_for_pattern(
                    None,
                    Some(term::RDF_TYPE),
                    Some(term::SG_STATEMENT.into()),
                    Some(graph),
                )
                .try_fold(0usize, |n, q| q.map(|_| n + 1))?;
            articles.push(ArticleSummary {
                id: vocab::article_id(article.as_str())
                    .unwrap_or(article.as_str())
                    .to_owned(),
                title: text(value(term::SCHEMA_HEADLINE)?),
                language: text(value(term::SCHEMA_IN_LANGUAGE)?),
                published: text(value(term::SCHEMA_DATE_PUBLISHED)?),
                publisher,
                facts,
            });
        }
        articles.sort_by(|a, b| (&a.published, &a.id).cmp(&(&b.published, &b.id)));
        Ok(articles)
    }

    /// A display label for an entity: its English preferred label, else any
    /// preferred label, else its id.
    pub fn label(&self, entity: NamedNodeRef<'_>) -> Result<String, StorageError> {
        Ok(self.preferred_label(entity)?.unwrap_or_else(|| {
            vocab::entity_id(entity.as_str())
                .unwrap_or(entity.as_str())
                .to_owned()
        }))
    }

    /// A term's English preferred label, else any preferred label; none
    /// when it has no `skos:prefLabel` in the default graph.
    pub fn preferred_label(
        &self,
        entity: NamedNodeRef<'_>,
    ) -> Result<Option<String>, StorageError> {
        let labels = self.objects(entity, term::SKOS_PREF_LABEL)?;
        let pick = |lang: Option<&str>| {
            labels.iter().find_map(|t| match t {
                Term::Literal(l) if lang.is_none() || l.language() == lang => {
                    Some(l.value().to_owned())
                }
                _ => None,
            })
        };
        Ok(pick(Some("en")).or_else(|| pick(None)))
    }
}
