//! The ontology (`ontology/storygraph.ttl`), compiled into the binary: its
//! Turtle text, and the classes and fact properties that input may name.
//!
//! The Turtle file is the single source of truth: validation reads the known
//! names from it, so adding a predicate is an edit to the ontology only.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedOrBlankNode, Quad, Term};

use crate::vocab::{self, term};

/// The ontology in Turtle, as shipped.
pub const TURTLE: &str = include_str!("../ontology/storygraph.ttl");

/// Names the input may use, read from the ontology.
#[derive(Debug)]
pub struct Ontology {
    /// Local names of `sg:` classes usable as an entity `type`.
    pub classes: BTreeSet<String>,
    /// Local names of `sg:FactProperty` properties usable as a `predicate`.
    pub fact_properties: BTreeSet<String>,
    quads: Vec<Quad>,
}

impl Ontology {
    /// The compiled-in ontology, parsed once per process.
    pub fn get() -> &'static Ontology {
        static ONTOLOGY: OnceLock<Ontology> = OnceLock::new();
        ONTOLOGY.get_or_init(|| Ontology::parse(TURTLE))
    }

    fn parse(turtle: &str) -> Ontology {
        let graph = vocab::ontology_graph();
        let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
            .without_named_graphs()
            .with_default_graph(graph)
            .for_slice(turtle.as_bytes())
            .collect::<Result<_, _>>()
            // The file is compiled in and checked by a unit test; a parse
            // failure is a build defect, not a user error.
            .expect("ontology/storygraph.ttl is valid Turtle");
        let owl_class = format!("{}Class", vocab::OWL);
        let fact_property = format!("{}FactProperty", vocab::SG);
        let mut classes = BTreeSet::new();
        let mut fact_properties = BTreeSet::new();
        for quad in &quads {
            if quad.predicate.as_ref() != term::RDF_TYPE {
                continue;
            }
            let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
                continue;
            };
            let Some(local) = subject.as_str().strip_prefix(vocab::SG).map(str::to_owned) else {
                continue;
            };
            if let Term::NamedNode(class) = &quad.object {
                if class.as_str() == owl_class && local.chars().next().is_some_and(char::is_uppercase)
                {
                    classes.insert(local);
                } else if class.as_str() == fact_property {
                    fact_properties.insert(local);
                }
            }
        }
        // Meta classes describe storygraph's own records, not input entities.
        for meta in ["FactProperty", "Statement", "Article", "Certainty"] {
            classes.remove(meta);
        }
        Ontology {
            classes,
            fact_properties,
            quads,
        }
    }

    /// The ontology's quads, in the ontology graph.
    pub fn quads(&self) -> &[Quad] {
        &self.quads
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ontology_declares_what_the_seed_needs() {
        let ontology = Ontology::get();
        for class in [
            "Person", "Organization", "NewsOrganization", "GovernmentBody", "Country", "City",
            "Event", "CoupAttempt", "Arrest", "Dismissal", "ShootDown", "Investigation",
            "TroopPledge", "Visit",
        ] {
            assert!(ontology.classes.contains(class), "missing class {class}");
        }
        for property in [
            "warned", "arrested", "dismissed", "investigatedFor", "shotDown",
            "acknowledgedResponsibilityFor", "pledgedTroopsTo", "mayContributeTroopsTo",
            "contacted", "draftedResolution", "visits", "headOf", "presidentOf", "memberOf",
            "citizenOf", "locatedIn", "killedIn", "reported", "claimed",
        ] {
            assert!(ontology.fact_properties.contains(property), "missing property {property}");
        }
        assert!(!ontology.classes.contains("Statement"));
        assert!(!ontology.fact_properties.contains("certainty"));
    }

    #[test]
    fn every_class_and_fact_property_has_english_and_arabic_labels() {
        let ontology = Ontology::get();
        let label = format!("{}label", vocab::RDFS);
        let comment = format!("{}comment", vocab::RDFS);
        let names = ontology.classes.iter().chain(&ontology.fact_properties);
        for name in names {
            let iri = vocab::sg(name);
            for (property, what) in [(&label, "label"), (&comment, "comment")] {
                for lang in ["en", "ar"] {
                    let found = ontology.quads().iter().any(|q| {
                        matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if *s == iri)
                            && q.predicate.as_str() == property.as_str()
                            && matches!(&q.object, Term::Literal(l) if l.language() == Some(lang))
                    });
                    assert!(found, "sg:{name} has no {what}@{lang}");
                }
            }
        }
    }
}
