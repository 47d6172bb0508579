//! IRIs and prefixes: the one place that knows storygraph's namespaces and the
//! external vocabularies it writes.
//!
//! Every other module builds IRIs through these functions, so a namespace
//! change is one edit and minted IRIs stay consistent between ingest, queries
//! and rendering.

use oxigraph::model::{NamedNode, NamedNodeRef};

/// The ontology namespace (`sg:`).
pub const SG: &str = "https://w3id.org/storygraph/ontology#";
/// Entities (`ent:`): one IRI per entity id.
pub const ENT: &str = "https://w3id.org/storygraph/entity/";
/// Articles (`art:`): an article's IRI is also the name of its graph.
pub const ART: &str = "https://w3id.org/storygraph/article/";
/// Statement nodes (`stmt:`): `stmt:ARTICLE/FACT`.
pub const STMT: &str = "https://w3id.org/storygraph/statement/";
/// The named graph that holds the ontology inside every store.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/storygraph/ontology";
/// The named graph of editorial decisions (entity merges), and the
/// namespace of the decisions' own IRIs.
pub const EDITORIAL_GRAPH: &str = "https://w3id.org/storygraph/editorial";

pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const SCHEMA: &str = "http://schema.org/";
pub const PROV: &str = "http://www.w3.org/ns/prov#";

/// Prefixes known everywhere: input prefixed names, SPARQL queries (they are
/// predeclared), and IRI shortening in tables. Order matters for shortening:
/// the first namespace that matches wins, so longer namespaces come first.
pub const PREFIXES: &[(&str, &str)] = &[
    ("sg", SG),
    ("ent", ENT),
    ("art", ART),
    ("stmt", STMT),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("owl", OWL),
    ("xsd", XSD),
    ("skos", SKOS),
    ("schema", SCHEMA),
    ("prov", PROV),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("sem", "http://semanticweb.cs.vu.nl/2009/11/sem/"),
    ("wd", "http://www.wikidata.org/entity/"),
    ("wdt", "http://www.wikidata.org/prop/direct/"),
    ("geonames", "https://sws.geonames.org/"),
];

/// The namespace of a known prefix.
pub fn namespace(prefix: &str) -> Option<&'static str> {
    PREFIXES
        .iter()
        .find(|(p, _)| *p == prefix)
        .map(|(_, ns)| *ns)
}

fn node(iri: String) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

/// `sg:LOCAL`. Callers pass ontology local names (ASCII identifiers).
pub fn sg(local: &str) -> NamedNode {
    node(format!("{SG}{local}"))
}

/// The IRI of an entity id (a validated slug).
pub fn entity(id: &str) -> NamedNode {
    node(format!("{ENT}{id}"))
}

/// The IRI of an article, which is also its named graph.
pub fn article(id: &str) -> NamedNode {
    node(format!("{ART}{id}"))
}

/// The IRI of a fact's statement node. Fact ids are slugs, so no escaping.
pub fn statement(article_id: &str, fact_id: &str) -> NamedNode {
    node(format!("{STMT}{article_id}/{fact_id}"))
}

/// The id behind an entity IRI, if it is one of ours.
pub fn entity_id(iri: &str) -> Option<&str> {
    iri.strip_prefix(ENT)
}

/// The id behind an article IRI, if it is one of ours.
pub fn article_id(iri: &str) -> Option<&str> {
    iri.strip_prefix(ART)
}

pub fn ontology_graph() -> NamedNode {
    node(ONTOLOGY_GRAPH.to_owned())
}

pub fn editorial_graph() -> NamedNode {
    node(EDITORIAL_GRAPH.to_owned())
}

/// The IRI of the editorial merge of two entities (the same whichever
/// order they are named in).
pub fn merge(a: &str, b: &str) -> NamedNode {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let name = match (entity_id(a), entity_id(b)) {
        (Some(a), Some(b)) => format!("{a}+{b}"),
        _ => format!("{:016x}", crate::hash::fnv1a(format!("{a} {b}").as_bytes())),
    };
    node(format!("{EDITORIAL_GRAPH}/merge/{name}"))
}

/// Shortens an IRI with the known prefixes (`sg:warned`), or `<iri>` when
/// none applies or the local part would not be a valid prefixed name.
pub fn shorten(iri: &str) -> String {
    for (prefix, ns) in PREFIXES {
        if let Some(local) = iri.strip_prefix(ns) {
            if is_simple_local(local) {
                return format!("{prefix}:{local}");
            }
        }
    }
    format!("<{iri}>")
}

pub fn is_simple_local(local: &str) -> bool {
    !local.is_empty()
        && !local.ends_with('.')
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Well-known terms, as constants for hot paths.
pub mod term {
    use super::NamedNodeRef;

    pub const RDF_TYPE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
    pub const RDF_SUBJECT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject");
    pub const RDF_PREDICATE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate");
    pub const RDF_OBJECT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#object");
    pub const RDF_REIFIES: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies");
    pub const OWL_SAME_AS: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#sameAs");
    pub const SKOS_PREF_LABEL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#prefLabel");
    pub const SKOS_ALT_LABEL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#altLabel");
    pub const SCHEMA_DESCRIPTION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://schema.org/description");
    pub const SCHEMA_HEADLINE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://schema.org/headline");
    pub const SCHEMA_ARTICLE_BODY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://schema.org/articleBody");
    pub const SCHEMA_IN_LANGUAGE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://schema.org/inLanguage");
    pub const SCHEMA_DATE_PUBLISHED: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://schema.org/datePublished");
    pub const SCHEMA_PUBLISHER: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://schema.org/publisher");
    pub const SCHEMA_URL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://schema.org/url");
    pub const SCHEMA_AUTHOR: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://schema.org/author");
    pub const SCHEMA_KEYWORDS: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://schema.org/keywords");
    pub const SCHEMA_MENTIONS: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://schema.org/mentions");

    pub const SG_ENTITY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#Entity");
    pub const SG_ARTICLE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#Article");
    pub const SG_STATEMENT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#Statement");
    pub const SG_ENTITY_ID: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#entityId");
    /// The SPARQL function `sg:matches(text, query)` (`crate::terms::matches`).
    pub const SG_MATCHES: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#matches");
    pub const SG_ARTICLE_ID: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#articleId");
    pub const SG_FACT_ID: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#factId");
    pub const SG_DECLARED_IN: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#declaredIn");
    pub const SG_ARTICLE_PROP: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#article");
    pub const SG_CERTAINTY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#certainty");
    pub const SG_NEGATED: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#negated");
    pub const SG_SOURCE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#source");
    pub const SG_VIA: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#via");
    pub const SG_TIME: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#time");
    pub const SG_TIME_START: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#timeStart");
    pub const SG_TIME_END: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#timeEnd");
    pub const SG_EARLIEST: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#earliest");
    pub const SG_LATEST: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#latest");
    pub const SG_PLACE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#place");
    pub const SG_ABOUT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#about");
    pub const SG_CONTENT_DIGEST: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#contentDigest");
    pub const SG_EVIDENCE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#evidence");
    pub const SG_MERGE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#Merge");
    pub const SG_MERGED_ENTITY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#mergedEntity");
    pub const SG_PREDICATE_ID: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#predicateId");
    pub const SG_INVERSE_LABEL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#inverseLabel");
    pub const SG_FACT_PROPERTY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#FactProperty");
    pub const OWL_OBJECT_PROPERTY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#ObjectProperty");
    pub const OWL_DATATYPE_PROPERTY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#DatatypeProperty");
    pub const OWL_SYMMETRIC_PROPERTY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#SymmetricProperty");
    pub const RDFS_LABEL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2000/01/rdf-schema#label");
    pub const SG_NOTE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/storygraph/ontology#note");
    pub const SCHEMA_DATE_CREATED: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://schema.org/dateCreated");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_uses_known_prefixes_and_falls_back_to_brackets() {
        assert_eq!(shorten(&format!("{SG}warned")), "sg:warned");
        assert_eq!(shorten("http://www.wikidata.org/entity/Q7747"), "wd:Q7747");
        assert_eq!(shorten("https://example.org/x"), "<https://example.org/x>");
        assert_eq!(shorten(&format!("{STMT}a/b")), format!("<{STMT}a/b>"));
    }

    #[test]
    fn term_constants_match_builders() {
        assert_eq!(term::SG_EVIDENCE, sg("evidence").as_ref());
        assert_eq!(term::SG_MERGE, sg("Merge").as_ref());
        assert_eq!(term::SG_MERGED_ENTITY, sg("mergedEntity").as_ref());
        assert_eq!(term::SG_NOTE, sg("note").as_ref());
        assert_eq!(term::SG_PREDICATE_ID, sg("predicateId").as_ref());
        assert_eq!(term::SG_INVERSE_LABEL, sg("inverseLabel").as_ref());
        assert_eq!(term::SG_FACT_PROPERTY, sg("FactProperty").as_ref());
        assert_eq!(term::SG_ENTITY_ID, sg("entityId").as_ref());
    }
}
