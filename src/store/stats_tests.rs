//! `stats` and `articles` against what they count, read quad by quad (the
//! way they were first written): the aggregates must agree with it on
//! the sample data and on what a SPARQL update can put anywhere.

use oxigraph::model::{GraphNameRef, NamedOrBlankNode, Term};

use super::*;
use crate::store::sparql::QueryOptions;

fn sample() -> GraphStore {
    let store = GraphStore::memory().unwrap();
    crate::ingest::ingest_sample_stories(&store);
    store
}

/// The counts, quad by quad.
fn counted_by_patterns(store: &GraphStore) -> Stats {
    let s = &store.store;
    let count = |p: NamedNodeRef<'_>, o: Option<Term>, g: Option<GraphNameRef<'_>>| {
        s.quads_for_pattern(None, Some(p), o.as_ref().map(Term::as_ref), g)
            .count()
    };
    let by_certainty = Certainty::ALL
        .iter()
        .map(|c| {
            (
                c.as_str().to_owned(),
                count(term::SG_CERTAINTY, Some(c.iri().into()), None),
            )
        })
        .collect();
    let negated = s
        .quads_for_pattern(None, Some(term::SG_NEGATED), None, None)
        .filter(|q| matches!(&q.as_ref().unwrap().object, Term::Literal(l) if l.value() == "true"))
        .count();
    let ontology = vocab::ontology_graph();
    Stats {
        articles: count(term::RDF_TYPE, Some(term::SG_ARTICLE.into()), None),
        entities: count(
            term::RDF_TYPE,
            Some(term::SG_ENTITY.into()),
            Some(GraphNameRef::DefaultGraph),
        ),
        facts: count(term::RDF_TYPE, Some(term::SG_STATEMENT.into()), None),
        facts_by_certainty: by_certainty,
        negated_facts: negated,
        triples: s.len().unwrap(),
        ontology_triples: s
            .quads_for_pattern(None, None, None, Some(ontology.as_ref().into()))
            .count(),
        named_graphs: s.named_graphs().count(),
    }
}

/// (id, title, facts) of every article, quad by quad.
fn articles_by_patterns(store: &GraphStore) -> Vec<(String, String, usize)> {
    let s = &store.store;
    let mut out = Vec::new();
    for quad in s.quads_for_pattern(
        None,
        Some(term::RDF_TYPE),
        Some(term::SG_ARTICLE.into()),
        None,
    ) {
        let quad = quad.unwrap();
        let NamedOrBlankNode::NamedNode(article) = &quad.subject else {
            continue;
        };
        let graph = quad.graph_name.as_ref();
        let title = s
            .quads_for_pattern(
                Some(article.as_ref().into()),
                Some(term::SCHEMA_HEADLINE),
                None,
                Some(graph),
            )
            .next()
            .map(|q| match q.unwrap().object {
                Term::Literal(l) => l.value().to_owned(),
                other => other.to_string(),
            })
            .unwrap_or_default();
        let facts = s
            .quads_for_pattern(
                None,
                Some(term::RDF_TYPE),
                Some(term::SG_STATEMENT.into()),
                Some(graph),
            )
            .count();
        let id = vocab::article_id(article.as_str()).unwrap_or(article.as_str());
        out.push((id.to_owned(), title, facts));
    }
    out.sort();
    out
}

fn listed(store: &GraphStore) -> Vec<(String, String, usize)> {
    let mut listed: Vec<_> = store
        .articles()
        .unwrap()
        .into_iter()
        .map(|a| (a.id, a.title, a.facts))
        .collect();
    listed.sort();
    listed
}

#[test]
fn counts_agree_with_the_quads_they_count() {
    let store = sample();
    assert_eq!(store.stats().unwrap(), counted_by_patterns(&store));
    assert_eq!(listed(&store), articles_by_patterns(&store));
    assert!(store.stats().unwrap().facts > 0);
    // What only a SPARQL update writes: an article and a statement in the
    // default graph, a negation as a plain string, a certainty that is no
    // level, an article with two publishers.
    let sg = vocab::SG;
    store
        .update(
            &format!(
                r#"PREFIX sg: <{sg}>
                INSERT DATA {{
                  <urn:x:a> a sg:Article ; <http://schema.org/headline> "In the default graph" .
                  <urn:x:s> a sg:Statement ; sg:negated "true" ; sg:certainty sg:confirmed .
                  GRAPH <urn:x:g> {{
                    <urn:x:b> a sg:Article ; <http://schema.org/publisher> <urn:x:p1>, <urn:x:p2> .
                    <urn:x:t> a sg:Statement ; sg:negated "false" ; sg:certainty sg:unheard .
                  }}
                }}"#
            ),
            &QueryOptions::default(),
        )
        .unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(stats, counted_by_patterns(&store));
    assert_eq!(listed(&store), articles_by_patterns(&store));
    let articles = store.articles().unwrap();
    let two = articles.iter().find(|a| a.id == "urn:x:b").unwrap();
    // The least of two values, whichever order the store keeps them in.
    assert_eq!(two.publisher.as_deref(), Some("urn:x:p1"));
    assert_eq!(two.facts, 1);
}
