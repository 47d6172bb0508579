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

/// Articles with more facts than this are mapped twice, a slice of
/// [`SLICE_FACTS`] at a time: once for their digest when mapped, once
/// when written, so that their quads (about 600 bytes each in memory, 11
/// a fact) are never all held at once.
pub const LARGE_ARTICLE_FACTS: usize = 20_000;
const SLICE_FACTS: usize = 20_000;

/// The quads of one document, split by where they go.
#[derive(Debug, Default)]
pub struct MappedDocument<'a> {
    /// Entity descriptions and declared predicates, for the default graph.
    pub entity_quads: Vec<Quad>,
    pub articles: Vec<MappedArticle<'a>>,
}

#[derive(Debug)]
pub struct MappedArticle<'a> {
    pub id: String,
    pub graph: NamedNode,
    /// The article's quads, its digest last; empty for a large article
    /// (see [`LARGE_ARTICLE_FACTS`]): [`MappedArticle::for_each_slice`]
    /// gives every article's.
    pub quads: Vec<Quad>,
    pub facts: usize,
    /// `art:X sg:contentDigest "..."`: a digest of every other quad of the
    /// article, so re-ingesting an unchanged article can skip it.
    pub digest: Quad,
    quad_count: usize,
    large: Option<LargeArticle<'a>>,
}

/// What a large article's quads are mapped from again when written.
struct LargeArticle<'a> {
    article: &'a Article,
    iris: &'a dyn EntityIris,
    /// Facts a slice.
    slice: usize,
}

impl std::fmt::Debug for LargeArticle<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LargeArticle({})", self.article.id)
    }
}

impl MappedArticle<'_> {
    /// Whether the article's quads are mapped a slice at a time when
    /// written ([`MappedArticle::quads`] is empty).
    pub fn is_large(&self) -> bool {
        self.large.is_some()
    }

    /// How many quads the article writes.
    pub fn quad_count(&self) -> usize {
        self.quad_count
    }

    /// Calls `each` with the article's quads: at once, or for a large
    /// article mapped again a slice at a time (the statements of a fact
    /// are always in one slice).
    pub fn for_each_slice<E>(
        &self,
        mut each: impl FnMut(&[Quad]) -> Result<(), E>,
    ) -> Result<(), E> {
        let Some(LargeArticle {
            article,
            iris,
            slice,
        }) = self.large
        else {
            return each(&self.quads);
        };
        let mut mapper = ArticleMapper::new(article, iris);
        each(&mapper.header())?;
        for facts in article.facts.chunks(slice) {
            each(&mapper.facts(facts))?;
        }
        each(&[mapper.digest()])
    }

    /// Every quad of the article at once (a large one mapped again).
    pub fn all_quads(&self) -> std::borrow::Cow<'_, [Quad]> {
        if self.large.is_none() {
            return std::borrow::Cow::Borrowed(&self.quads);
        }
        let mut quads = Vec::with_capacity(self.quad_count);
        let _ = self.for_each_slice(|slice| {
            quads.extend_from_slice(slice);
            Ok::<(), ()>(())
        });
        std::borrow::Cow::Owned(quads)
    }
}

pub fn map_document<'a>(doc: &'a Document, iris: &'a dyn EntityIris) -> MappedDocument<'a> {
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

fn map_article<'a>(article: &'a Article, iris: &'a dyn EntityIris) -> MappedArticle<'a> {
    let slice = (article.facts.len() > LARGE_ARTICLE_FACTS).then_some(SLICE_FACTS);
    map_article_in(article, iris, slice)
}

/// Maps an article whole, or (`slice`) only for its digest and count,
/// leaving its quads to be mapped again that many facts at a time.
pub(crate) fn map_article_in<'a>(
    article: &'a Article,
    iris: &'a dyn EntityIris,
    slice: Option<usize>,
) -> MappedArticle<'a> {
    let mut mapper = ArticleMapper::new(article, iris);
    let (quads, large) = if let Some(slice) = slice.map(|s| s.max(1)) {
        // Only the digest and the count now; the quads when written.
        mapper.header();
        for facts in article.facts.chunks(slice) {
            mapper.facts(facts);
        }
        (
            Vec::new(),
            Some(LargeArticle {
                article,
                iris,
                slice,
            }),
        )
    } else {
        let mut quads = mapper.header();
        quads.extend(mapper.facts(&article.facts));
        quads.push(mapper.digest());
        (quads, None)
    };
    let digest = mapper.digest();
    MappedArticle {
        id: article.id.clone(),
        graph: mapper.graph,
        quads,
        facts: article.facts.len(),
        digest,
        quad_count: mapper.count + 1,
        large,
    }
}

/// Maps one article: its metadata, then its facts (all at once or a slice
/// at a time), digesting and counting what it gives.
struct ArticleMapper<'a> {
    article: &'a Article,
    iris: &'a dyn EntityIris,
    graph: NamedNode,
    graph_name: GraphName,
    asserted: Asserted,
    digest: hash::QuadsDigest,
    count: usize,
}

impl<'a> ArticleMapper<'a> {
    fn new(article: &'a Article, iris: &'a dyn EntityIris) -> Self {
        let graph = vocab::article(&article.id);
        ArticleMapper {
            article,
            iris,
            graph_name: GraphName::NamedNode(graph.clone()),
            graph,
            asserted: Asserted::default(),
            digest: hash::QuadsDigest::default(),
            count: 0,
        }
    }

    /// The article's own quads: what it is, its metadata and mentions.
    fn header(&mut self) -> Vec<Quad> {
        let (article, iris, graph) = (self.article, self.iris, &self.graph);
        let mut quads = Vec::new();
        let mut add = |s: &NamedNode, p: NamedNodeRef<'_>, o: Term| {
            quads.push(Quad::new(s.clone(), p, o, self.graph_name.clone()));
        };
        add(graph, term::RDF_TYPE, term::SG_ARTICLE.into_owned().into());
        add(
            graph,
            term::SG_ARTICLE_ID,
            Literal::new_simple_literal(&article.id).into(),
        );
        add(
            graph,
            term::SCHEMA_HEADLINE,
            lang_literal(&article.title, &article.language),
        );
        add(
            graph,
            term::SCHEMA_IN_LANGUAGE,
            Literal::new_simple_literal(&article.language).into(),
        );
        if let TimeSpec::Point(published) = &article.published {
            add(
                graph,
                term::SCHEMA_DATE_PUBLISHED,
                published.literal().into(),
            );
        }
        if let Some(publisher) = &article.publisher {
            add(graph, term::SCHEMA_PUBLISHER, iris.iri(publisher).into());
        }
        if let Some(url) = &article.url {
            add(
                graph,
                term::SCHEMA_URL,
                NamedNode::new_unchecked(url).into(),
            );
        }
        // A repeated author or tag is one quad: the store holds each once,
        // and the count of triples written must agree.
        let mut seen_text = HashSet::new();
        for author in article
            .authors
            .iter()
            .filter(|a| seen_text.insert(("a", *a)))
        {
            add(
                graph,
                term::SCHEMA_AUTHOR,
                Literal::new_simple_literal(author).into(),
            );
        }
        for tag in article.tags.iter().filter(|t| seen_text.insert(("t", *t))) {
            add(
                graph,
                term::SCHEMA_KEYWORDS,
                lang_literal(tag, &article.language),
            );
        }
        if let Some(text) = &article.text {
            add(
                graph,
                term::SCHEMA_ARTICLE_BODY,
                lang_literal(text, &article.language),
            );
        }
        let mut mentioned = BTreeSet::new();
        for fact in &article.facts {
            for id in fact.entity_refs() {
                mentioned.insert(iris.iri(id));
            }
        }
        for entity in mentioned {
            add(graph, term::SCHEMA_MENTIONS, entity.into());
        }
        self.digested(quads)
    }

    /// The quads of some of the article's facts, in order.
    fn facts(&mut self, facts: &[Fact]) -> Vec<Quad> {
        let mut quads = Vec::new();
        for fact in facts {
            map_fact(
                fact,
                self.article,
                self.iris,
                &self.graph_name,
                &mut self.asserted,
                &mut quads,
            );
        }
        self.digested(quads)
    }

    fn digested(&mut self, quads: Vec<Quad>) -> Vec<Quad> {
        // The digest still counts a repeated triple, as it always has:
        // stores written before it was written once keep seeing the
        // article unchanged.
        for quad in quads.iter().chain(&self.asserted.repeated) {
            self.digest.add(quad);
        }
        self.asserted.repeated.clear();
        self.count += quads.len();
        quads
    }

    /// `art:X sg:contentDigest "..."` of everything mapped so far.
    fn digest(&self) -> Quad {
        Quad::new(
            self.graph.clone(),
            term::SG_CONTENT_DIGEST,
            Literal::new_simple_literal(self.digest.finish()),
            self.graph_name.clone(),
        )
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
