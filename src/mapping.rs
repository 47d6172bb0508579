//! Mapping the model to RDF: which quads an article, its facts and its
//! entities become. This is where the modelling decisions live (see
//! ARCHITECTURE.md, "The RDF model").
//!
//! - An article is a named graph with the article's IRI; its metadata, the
//!   direct triples of its facts and their statement nodes live in it.
//! - A fact is a direct triple `s p o` (unless negated) plus a statement
//!   node that reifies it (`rdf:reifies <<( s p o )>>`, RDF 1.2), names its
//!   parts with `rdf:subject`/`rdf:predicate`/`rdf:object` (so SPARQL 1.1
//!   stores can use it) and carries the provenance.
//! - Entities live in the default graph: they are shared by all stories.
//!
//! Mapping is pure: entity ids come in already resolved to IRIs.

use std::collections::{BTreeSet, HashSet};

use oxigraph::model::{
    GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, Triple,
};

use crate::hash;
use crate::model::{Article, Document, Entity, Fact, FactObject, ObjectKind, PredicateDeclaration};
use crate::timespec::TimeSpec;
use crate::vocab::{self, term};

/// How entity ids of a document map to IRIs, and which name is an entity's
/// preferred label in a language (any other preferred name becomes an alias,
/// so an entity keeps one preferred label per language).
pub trait EntityIris {
    fn iri(&self, id: &str) -> NamedNode;
    fn preferred_label(&self, iri: &NamedNode, lang: &str) -> Option<String>;
}

/// The quads of one document, split by where they go.
#[derive(Debug, Default)]
pub struct MappedDocument {
    /// Entity descriptions and declared predicates, for the default graph.
    pub entity_quads: Vec<Quad>,
    pub articles: Vec<MappedArticle>,
}

#[derive(Debug)]
pub struct MappedArticle {
    pub id: String,
    pub graph: NamedNode,
    pub quads: Vec<Quad>,
    pub facts: usize,
    /// `art:X sg:contentDigest "..."`: a digest of every other quad of the
    /// article, so re-ingesting an unchanged article can skip it.
    pub digest: Quad,
}

pub fn map_document(doc: &Document, iris: &dyn EntityIris) -> MappedDocument {
    let mut entity_quads = Vec::new();
    for predicate in &doc.predicates {
        map_predicate(predicate, &mut entity_quads);
    }
    for entity in &doc.entities {
        map_entity(entity, iris, &mut entity_quads);
    }
    let articles = doc
        .articles
        .iter()
        .map(|article| map_article(article, iris))
        .collect();
    MappedDocument {
        entity_quads,
        articles,
    }
}

/// A declared predicate as ontology terms in the default graph: what it
/// is, its id, labels and inverse labels.
fn map_predicate(predicate: &PredicateDeclaration, out: &mut Vec<Quad>) {
    let iri = &predicate.iri;
    let mut add = |p: NamedNodeRef<'_>, o: Term| {
        out.push(Quad::new(iri.clone(), p, o, GraphName::DefaultGraph));
    };
    add(term::RDF_TYPE, term::SG_FACT_PROPERTY.into_owned().into());
    let class = match predicate.kind.object {
        ObjectKind::Entity => term::OWL_OBJECT_PROPERTY,
        ObjectKind::Value => term::OWL_DATATYPE_PROPERTY,
    };
    add(term::RDF_TYPE, class.into_owned().into());
    if predicate.kind.symmetric {
        add(
            term::RDF_TYPE,
            term::OWL_SYMMETRIC_PROPERTY.into_owned().into(),
        );
    }
    add(
        term::SG_PREDICATE_ID,
        Literal::new_simple_literal(&predicate.id).into(),
    );
    for (lang, label) in &predicate.labels {
        add(term::RDFS_LABEL, lang_literal(label, lang));
    }
    for (lang, label) in &predicate.inverse_labels {
        add(term::SG_INVERSE_LABEL, lang_literal(label, lang));
    }
}

fn map_entity(entity: &Entity, iris: &dyn EntityIris, out: &mut Vec<Quad>) {
    let iri = iris.iri(&entity.id);
    let mut add = |p: NamedNodeRef<'_>, o: Term| {
        out.push(Quad::new(iri.clone(), p, o, GraphName::DefaultGraph));
    };
    add(term::RDF_TYPE, term::SG_ENTITY.into_owned().into());
    for class in &entity.classes {
        add(term::RDF_TYPE, class.clone().into());
    }
    add(
        term::SG_ENTITY_ID,
        Literal::new_simple_literal(&entity.id).into(),
    );
    for (lang, name) in &entity.names {
        let property = match iris.preferred_label(&iri, lang) {
            Some(preferred) if preferred != *name => term::SKOS_ALT_LABEL,
            _ => term::SKOS_PREF_LABEL,
        };
        add(property, lang_literal(name, lang));
    }
    for (lang, aliases) in &entity.aliases {
        for alias in aliases {
            add(term::SKOS_ALT_LABEL, lang_literal(alias, lang));
        }
    }
    for (lang, text) in &entity.descriptions {
        add(term::SCHEMA_DESCRIPTION, lang_literal(text, lang));
    }
    for same in &entity.same_as {
        add(term::OWL_SAME_AS, same.clone().into());
    }
    for article in &entity.declared_in {
        add(term::SG_DECLARED_IN, vocab::article(article).into());
    }
}

fn map_article(article: &Article, iris: &dyn EntityIris) -> MappedArticle {
    let graph = vocab::article(&article.id);
    let graph_name = GraphName::NamedNode(graph.clone());
    let mut quads = Vec::new();
    let mut add = |s: &NamedNode, p: NamedNodeRef<'_>, o: Term| {
        quads.push(Quad::new(s.clone(), p, o, graph_name.clone()));
    };
    add(&graph, term::RDF_TYPE, term::SG_ARTICLE.into_owned().into());
    add(
        &graph,
        term::SG_ARTICLE_ID,
        Literal::new_simple_literal(&article.id).into(),
    );
    add(
        &graph,
        term::SCHEMA_HEADLINE,
        lang_literal(&article.title, &article.language),
    );
    add(
        &graph,
        term::SCHEMA_IN_LANGUAGE,
        Literal::new_simple_literal(&article.language).into(),
    );
    if let TimeSpec::Point(published) = &article.published {
        add(
            &graph,
            term::SCHEMA_DATE_PUBLISHED,
            published.literal().into(),
        );
    }
    if let Some(publisher) = &article.publisher {
        add(&graph, term::SCHEMA_PUBLISHER, iris.iri(publisher).into());
    }
    if let Some(url) = &article.url {
        add(
            &graph,
            term::SCHEMA_URL,
            NamedNode::new_unchecked(url).into(),
        );
    }
    // A repeated author or tag is one quad: the store holds each once, and
    // the count of triples written must agree.
    let mut seen_text = HashSet::new();
    for author in article
        .authors
        .iter()
        .filter(|a| seen_text.insert(("a", *a)))
    {
        add(
            &graph,
            term::SCHEMA_AUTHOR,
            Literal::new_simple_literal(author).into(),
        );
    }
    for tag in article.tags.iter().filter(|t| seen_text.insert(("t", *t))) {
        add(
            &graph,
            term::SCHEMA_KEYWORDS,
            lang_literal(tag, &article.language),
        );
    }
    let mut mentioned = BTreeSet::new();
    for fact in &article.facts {
        for id in fact.entity_refs() {
            mentioned.insert(iris.iri(id));
        }
    }
    for entity in mentioned {
        add(&graph, term::SCHEMA_MENTIONS, entity.into());
    }
    let mut asserted = Asserted::default();
    for fact in &article.facts {
        map_fact(fact, article, iris, &graph_name, &mut asserted, &mut quads);
    }
    // The digest still counts a repeated triple, as it always has: stores
    // written before it was written once keep seeing the article unchanged.
    let digest = Quad::new(
        graph.clone(),
        term::SG_CONTENT_DIGEST,
        Literal::new_simple_literal(hash::quads_digest(quads.iter().chain(&asserted.repeated))),
        graph_name,
    );
    quads.push(digest.clone());
    MappedArticle {
        id: article.id.clone(),
        graph,
        quads,
        facts: article.facts.len(),
        digest,
    }
}

/// The triples an article's facts assert: two facts asserting the same
/// triple (each with its own statement) write it once.
#[derive(Default)]
struct Asserted {
    triples: HashSet<Triple>,
    /// The quads written once but asserted again.
    repeated: Vec<Quad>,
}

fn map_fact(
    fact: &Fact,
    article: &Article,
    iris: &dyn EntityIris,
    graph: &GraphName,
    asserted: &mut Asserted,
    out: &mut Vec<Quad>,
) {
    let subject = iris.iri(&fact.subject);
    let object: Term = match &fact.object {
        FactObject::Entity(id) => iris.iri(id).into(),
        FactObject::Value(literal) => literal.clone().into(),
    };
    let statement = vocab::statement(&article.id, &fact.id);
    let triple = Triple::new(
        NamedOrBlankNode::from(subject.clone()),
        fact.predicate.clone(),
        object.clone(),
    );
    if !fact.negated {
        let quad = Quad::new(
            subject.clone(),
            fact.predicate.clone(),
            object.clone(),
            graph.clone(),
        );
        if asserted.triples.insert(triple.clone()) {
            out.push(quad);
        } else {
            asserted.repeated.push(quad);
        }
    }
    let mut add = |p: NamedNodeRef<'_>, o: Term| {
        out.push(Quad::new(statement.clone(), p, o, graph.clone()));
    };
    add(term::RDF_TYPE, term::SG_STATEMENT.into_owned().into());
    add(term::RDF_REIFIES, triple.into());
    add(term::RDF_SUBJECT, subject.into());
    add(term::RDF_PREDICATE, fact.predicate.clone().into());
    add(term::RDF_OBJECT, object);
    add(
        term::SG_FACT_ID,
        Literal::new_simple_literal(&fact.id).into(),
    );
    add(term::SG_ARTICLE_PROP, vocab::article(&article.id).into());
    add(term::SG_CERTAINTY, fact.certainty.iri().into());
    add(term::SG_NEGATED, Literal::from(fact.negated).into());
    if let Some(source) = &fact.source {
        add(term::SG_SOURCE, iris.iri(source).into());
    }
    for via in &fact.via {
        add(term::SG_VIA, iris.iri(via).into());
    }
    if let Some(about) = &fact.about {
        add(term::SG_ABOUT, iris.iri(about).into());
    }
    if let Some(place) = &fact.place {
        add(term::SG_PLACE, iris.iri(place).into());
    }
    if let Some(time) = &fact.time {
        match time {
            TimeSpec::Point(point) => add(term::SG_TIME, point.literal().into()),
            TimeSpec::Interval(start, end) => {
                add(term::SG_TIME_START, start.literal().into());
                add(term::SG_TIME_END, end.literal().into());
            }
            TimeSpec::Since(start) => add(term::SG_TIME_START, start.literal().into()),
            TimeSpec::Until(end) => add(term::SG_TIME_END, end.literal().into()),
        }
        add(term::SG_EARLIEST, time.earliest().literal().into());
        add(term::SG_LATEST, time.latest().literal().into());
    }
    if let Some(evidence) = &fact.evidence {
        add(term::SG_EVIDENCE, lang_literal(evidence, &article.language));
    }
}

fn lang_literal(text: &str, lang: &str) -> Term {
    // Tags were validated; a tag oxigraph still refuses keeps the text.
    Literal::new_language_tagged_literal(text, lang)
        .unwrap_or_else(|_| Literal::new_simple_literal(text))
        .into()
}
