//! storygraph's own model of article facts: what the input format means once
//! it has been validated.
//!
//! The serde types of the input stay in `input`; everything after validation
//! (mapping to RDF, the store) works on these types. Entity references are
//! still input ids here; `store` resolves them to IRIs, because only the store
//! knows which ids were merged through `same_as`.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use oxigraph::model::{Literal, NamedNode};

use crate::timespec::TimeSpec;

/// A validated input document: its entities (document- and article-level
/// declarations merged) and its articles.
#[derive(Clone, Debug)]
pub struct Document {
    pub entities: Vec<Entity>,
    /// Predicates of the user's own vocabulary the document declares.
    pub predicates: Vec<PredicateDeclaration>,
    pub articles: Vec<Article>,
}

/// What a fact predicate takes as its object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    /// An entity id (`"object"`).
    Entity,
    /// A literal (`"value"`).
    Value,
}

impl ObjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Entity => "entity",
            ObjectKind::Value => "value",
        }
    }
}

/// What is known of a fact predicate: what it takes, the datatype its
/// values must have (when it says), and whether it reads the same both ways.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PredicateKind {
    pub object: ObjectKind,
    /// The `rdfs:range` datatype IRI of a value predicate (`xsd:integer`).
    pub range: Option<String>,
    pub symmetric: bool,
}

/// A predicate of the user's own vocabulary, declared by a document and
/// stored as an ontology term, so facts use it by its id like a built-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PredicateDeclaration {
    pub id: String,
    pub iri: NamedNode,
    /// One label per language tag, as the predicate reads (`signed`).
    pub labels: BTreeMap<String, String>,
    /// How it reads from object to subject (`signed by`).
    pub inverse_labels: BTreeMap<String, String>,
    pub kind: PredicateKind,
}

#[derive(Clone, Debug)]
pub struct Entity {
    pub id: String,
    /// Ontology classes or other vocabularies' classes; more than one when
    /// several declarations of the id are merged.
    pub classes: Vec<NamedNode>,
    /// One preferred name per language tag.
    pub names: BTreeMap<String, String>,
    pub aliases: BTreeMap<String, Vec<String>>,
    pub descriptions: BTreeMap<String, String>,
    pub same_as: Vec<NamedNode>,
    /// The articles whose input declared it (empty when only the document did).
    pub declared_in: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub language: String,
    pub published: TimeSpec,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    /// The article's text, line breaks as `\n`; every evidence is in it.
    pub text: Option<String>,
    pub facts: Vec<Fact>,
}

#[derive(Clone, Debug)]
pub struct Fact {
    pub id: String,
    pub subject: String,
    pub predicate: NamedNode,
    pub object: FactObject,
    pub about: Option<String>,
    pub time: Option<TimeSpec>,
    pub place: Option<String>,
    pub certainty: Certainty,
    pub negated: bool,
    /// Who asserts it; already defaulted to the article's publisher.
    pub source: Option<String>,
    pub via: Vec<String>,
    /// The quoted sentence, tagged with the article's language.
    pub evidence: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactObject {
    Entity(String),
    Value(Literal),
}

impl Fact {
    /// Every entity id the fact names, in a fixed order.
    pub fn entity_refs(&self) -> impl Iterator<Item = &str> {
        let object = match &self.object {
            FactObject::Entity(id) => Some(id.as_str()),
            FactObject::Value(_) => None,
        };
        std::iter::once(self.subject.as_str())
            .chain(object)
            .chain(self.about.as_deref())
            .chain(self.place.as_deref())
            .chain(self.source.as_deref())
            .chain(self.via.iter().map(String::as_str))
    }
}

/// How an article presents a fact. The derived order is strength:
/// `Speculated < Claimed < Reported < Confirmed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Certainty {
    Speculated,
    Claimed,
    #[default]
    Reported,
    Confirmed,
}

impl Certainty {
    /// Strongest first, as the format lists them.
    pub const ALL: [Certainty; 4] = [
        Certainty::Confirmed,
        Certainty::Reported,
        Certainty::Claimed,
        Certainty::Speculated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Confirmed => "confirmed",
            Certainty::Reported => "reported",
            Certainty::Claimed => "claimed",
            Certainty::Speculated => "speculated",
        }
    }

    /// The `sg:rank` of the level in the ontology (4 = confirmed).
    pub fn rank(self) -> u8 {
        self as u8 + 1
    }

    pub fn iri(self) -> NamedNode {
        crate::vocab::sg(self.as_str())
    }

    /// The level an IRI from the store names, if any.
    pub fn from_iri(iri: &str) -> Option<Certainty> {
        iri.strip_prefix(crate::vocab::SG)?.parse().ok()
    }
}

impl fmt::Display for Certainty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Certainty {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Certainty::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certainty_order_and_rank_agree() {
        assert!(Certainty::Confirmed > Certainty::Reported);
        assert!(Certainty::Claimed > Certainty::Speculated);
        assert_eq!(Certainty::Confirmed.rank(), 4);
        assert_eq!(Certainty::Speculated.rank(), 1);
        for c in Certainty::ALL {
            assert_eq!(c.as_str().parse::<Certainty>(), Ok(c));
            assert_eq!(Certainty::from_iri(c.iri().as_str()), Some(c));
        }
    }
}
