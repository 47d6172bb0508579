//! What the store says of predicate terms, however they arrived (the
//! built-in ontology, a document's `predicates`, labels in ingested RDF):
//! labels, inverse labels, declared ids, symmetry. Paths, exports and the
//! shell's completion name predicates from this.

use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};
use oxigraph::store::StorageError;

use super::GraphStore;
use crate::vocab::term;

/// What the store says of a term: see [`GraphStore::describe_term`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TermDescription {
    /// (language, text); an untagged label has the empty language.
    pub labels: Vec<(String, String)>,
    pub inverse_labels: Vec<(String, String)>,
    pub ids: Vec<String>,
    pub symmetric: bool,
}

impl GraphStore {
    /// Every fact property the store knows (typed `sg:FactProperty` or
    /// declared by a document, in any graph), each with what
    /// [`GraphStore::describe_term`] says of it, in IRI order.
    pub fn fact_property_terms(&self) -> Result<Vec<(String, TermDescription)>, StorageError> {
        let mut iris = std::collections::BTreeSet::new();
        let typed = self.store.quads_for_pattern(
            None,
            Some(term::RDF_TYPE),
            Some(term::SG_FACT_PROPERTY.into()),
            None,
        );
        let declared = self
            .store
            .quads_for_pattern(None, Some(term::SG_PREDICATE_ID), None, None);
        for quad in typed.chain(declared) {
            if let NamedOrBlankNode::NamedNode(iri) = quad?.subject {
                iris.insert(iri.into_string());
            }
        }
        iris.into_iter()
            .map(|iri| {
                let description = self.describe_term(&iri)?;
                Ok((iri, description))
            })
            .collect()
    }

    /// What the store says of a term (a predicate) in any graph: its
    /// labels (`rdfs:label`, `skos:prefLabel`), inverse labels, the ids a
    /// document declared it under, and whether it is symmetric.
    pub fn describe_term(&self, iri: &str) -> Result<TermDescription, StorageError> {
        let mut description = TermDescription::default();
        let Ok(node) = NamedNode::new(iri) else {
            return Ok(description);
        };
        for quad in self
            .store
            .quads_for_pattern(Some(node.as_ref().into()), None, None, None)
        {
            let quad = quad?;
            let p = quad.predicate.as_ref();
            match quad.object {
                Term::Literal(l) if p == term::RDFS_LABEL || p == term::SKOS_PREF_LABEL => {
                    let label = (l.language().unwrap_or("").to_owned(), l.value().to_owned());
                    if !description.labels.contains(&label) {
                        description.labels.push(label);
                    }
                }
                Term::Literal(l) if p == term::SG_INVERSE_LABEL => {
                    let label = (l.language().unwrap_or("").to_owned(), l.value().to_owned());
                    if !description.inverse_labels.contains(&label) {
                        description.inverse_labels.push(label);
                    }
                }
                Term::Literal(l) if p == term::SG_PREDICATE_ID => {
                    description.ids.push(l.value().to_owned());
                }
                Term::NamedNode(class)
                    if p == term::RDF_TYPE && class.as_ref() == term::OWL_SYMMETRIC_PROPERTY =>
                {
                    description.symmetric = true;
                }
                _ => {}
            }
        }
        Ok(description)
    }
}
