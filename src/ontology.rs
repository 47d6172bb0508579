//! The ontology (`ontology/storygraph.ttl`), compiled into the binary: its
//! Turtle text, and the classes and fact properties that input may name.
//!
//! The Turtle file is the single source of truth: validation reads the known
//! names from it, so adding a predicate is an edit to the ontology only.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedOrBlankNode, Quad, Term};

use crate::model::{ObjectKind, PredicateKind};
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
    /// What each fact property takes (by local name), where the ontology
    /// says: `owl:ObjectProperty` or `owl:DatatypeProperty` with its range.
    pub fact_property_kinds: HashMap<String, PredicateKind>,
    /// IRIs of `sg:Event` and every class below it.
    pub event_classes: BTreeSet<String>,
    /// `rdfs:label`s of ontology terms by IRI, per language.
    pub labels: HashMap<String, Vec<(String, String)>>,
    /// `rdfs:comment`s of ontology terms by IRI, per language.
    comments: HashMap<String, Vec<(String, String)>>,
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
                if class.as_str() == owl_class
                    && local.chars().next().is_some_and(char::is_uppercase)
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
        let subclass_of = format!("{}subClassOf", vocab::RDFS);
        let label = format!("{}label", vocab::RDFS);
        let comment = format!("{}comment", vocab::RDFS);
        let mut parents: HashMap<String, Vec<String>> = HashMap::new();
        let mut labels: HashMap<String, Vec<(String, String)>> = HashMap::new();
        let mut comments: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for quad in &quads {
            let (NamedOrBlankNode::NamedNode(subject), object) = (&quad.subject, &quad.object)
            else {
                continue;
            };
            if quad.predicate.as_str() == subclass_of {
                if let Term::NamedNode(parent) = object {
                    parents
                        .entry(subject.as_str().to_owned())
                        .or_default()
                        .push(parent.as_str().to_owned());
                }
            } else if quad.predicate.as_str() == label || quad.predicate.as_str() == comment {
                let texts = if quad.predicate.as_str() == label {
                    &mut labels
                } else {
                    &mut comments
                };
                if let Term::Literal(l) = object {
                    texts.entry(subject.as_str().to_owned()).or_default().push((
                        l.language().unwrap_or_default().to_owned(),
                        l.value().to_owned(),
                    ));
                }
            }
        }
        let event = format!("{}Event", vocab::SG);
        let is_event = |class: &str| {
            let mut todo = vec![class.to_owned()];
            let mut seen = BTreeSet::new();
            while let Some(c) = todo.pop() {
                if c == event {
                    return true;
                }
                if seen.insert(c.clone()) {
                    todo.extend(parents.get(&c).into_iter().flatten().cloned());
                }
            }
            false
        };
        let fact_property_kinds = fact_property_kinds(&quads, &fact_properties);
        let event_classes = classes
            .iter()
            .map(|c| format!("{}{c}", vocab::SG))
            .filter(|c| is_event(c))
            .collect();
        Ontology {
            classes,
            fact_properties,
            fact_property_kinds,
            event_classes,
            labels,
            comments,
            quads,
        }
    }

    /// The label of an ontology term in `lang`, else in English.
    pub fn label(&self, iri: &str, lang: &str) -> Option<&str> {
        in_language(self.labels.get(iri)?, lang)
    }

    /// The comment of an ontology term in `lang`, else in English.
    pub fn comment(&self, iri: &str, lang: &str) -> Option<&str> {
        in_language(self.comments.get(iri)?, lang)
    }

    /// The ontology's quads, in the ontology graph.
    pub fn quads(&self) -> &[Quad] {
        &self.quads
    }
}

/// The text in `lang` of (language, text) pairs, else the English one.
fn in_language<'t>(texts: &'t [(String, String)], lang: &str) -> Option<&'t str> {
    let pick = |l: &str| {
        texts
            .iter()
            .find(|(lg, _)| lg == l)
            .map(|(_, t)| t.as_str())
    };
    pick(lang).or_else(|| pick("en"))
}

/// The kinds of the fact properties, from their `rdf:type`s and ranges.
fn fact_property_kinds(
    quads: &[Quad],
    fact_properties: &BTreeSet<String>,
) -> HashMap<String, PredicateKind> {
    let (object, datatype, symmetric, range) = (
        format!("{}ObjectProperty", vocab::OWL),
        format!("{}DatatypeProperty", vocab::OWL),
        format!("{}SymmetricProperty", vocab::OWL),
        format!("{}range", vocab::RDFS),
    );
    let mut kinds = HashMap::new();
    for local in fact_properties {
        let iri = vocab::sg(local);
        let iri = &iri;
        let about = || {
            quads
                .iter()
                .filter(move |q| matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if s == iri))
        };
        let is = |class: &str| {
            about().any(|q| {
                q.predicate.as_ref() == term::RDF_TYPE
                    && matches!(&q.object, Term::NamedNode(c) if c.as_str() == class)
            })
        };
        let kind = if is(&object) {
            ObjectKind::Entity
        } else if is(&datatype) {
            ObjectKind::Value
        } else {
            continue;
        };
        let range = about()
            .find(|q| q.predicate.as_str() == range)
            .and_then(|q| match &q.object {
                Term::NamedNode(r) if kind == ObjectKind::Value => Some(r.as_str().to_owned()),
                _ => None,
            });
        kinds.insert(
            local.clone(),
            PredicateKind {
                object: kind,
                range,
                symmetric: is(&symmetric),
            },
        );
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ontology_declares_what_the_seed_needs() {
        let ontology = Ontology::get();
        for class in [
            "Person",
            "Organization",
            "NewsOrganization",
            "GovernmentBody",
            "Country",
            "City",
            "Event",
            "CoupAttempt",
            "Arrest",
            "Dismissal",
            "ShootDown",
            "Investigation",
            "TroopPledge",
            "Visit",
        ] {
            assert!(ontology.classes.contains(class), "missing class {class}");
        }
        for property in [
            "warned",
            "arrested",
            "dismissed",
            "investigatedFor",
            "shotDown",
            "acknowledgedResponsibilityFor",
            "pledgedTroopsTo",
            "mayContributeTroopsTo",
            "contacted",
            "draftedResolution",
            "visits",
            "headOf",
            "presidentOf",
            "memberOf",
            "citizenOf",
            "locatedIn",
            "killedIn",
            "reported",
            "claimed",
        ] {
            assert!(
                ontology.fact_properties.contains(property),
                "missing property {property}"
            );
        }
        assert!(!ontology.classes.contains("Statement"));
        let sg = |local: &str| format!("{}{local}", vocab::SG);
        assert!(ontology.event_classes.contains(&sg("CoupAttempt")));
        assert!(ontology.event_classes.contains(&sg("Event")));
        assert!(!ontology.event_classes.contains(&sg("Person")));
        assert_eq!(ontology.label(&sg("warned"), "ar"), Some("حذّر"));
        assert_eq!(
            ontology.label(&sg("pledgedTroopsTo"), "fr"),
            Some("pledged troops to")
        );
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
