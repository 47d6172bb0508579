//! A predicate of the projection and how to say it: its labels in every
//! language (from the ontology, a document's declaration, or any RDF
//! ingested), how it reads backwards, the ids it was declared under, and
//! whether it reads the same both ways.

use crate::ontology::Ontology;
use crate::vocab;

/// A predicate and how to say it.
#[derive(Clone, Debug)]
pub struct Predicate {
    pub iri: String,
    /// The display label: English, else any, else the IRI's local name.
    pub label: String,
    /// (language, label) from the ontology, a document's declaration or
    /// any RDF ingested (`rdfs:label`, `skos:prefLabel`).
    pub labels: Vec<(String, String)>,
    /// How it reads from object to subject (`signed by`), per language.
    pub inverse_labels: Vec<(String, String)>,
    /// The ids a document declared it under (`signed`).
    pub ids: Vec<String>,
    /// Reads the same both ways: a directed walk may take it backwards.
    pub symmetric: bool,
}

impl Predicate {
    pub(super) fn new(iri: String, ontology: &Ontology) -> Predicate {
        let kind = iri
            .strip_prefix(vocab::SG)
            .and_then(|local| ontology.fact_property_kinds.get(local));
        let mut predicate = Predicate {
            label: String::new(),
            labels: ontology.labels.get(&iri).cloned().unwrap_or_default(),
            inverse_labels: Vec::new(),
            ids: Vec::new(),
            symmetric: kind.is_some_and(|k| k.symmetric),
            iri,
        };
        predicate.label = predicate.display_label();
        predicate
    }

    /// The label in `lang`, else the display label.
    pub fn label_in(&self, lang: &str) -> &str {
        self.labels
            .iter()
            .find(|(l, _)| l == lang)
            .map_or(&self.label, |(_, text)| text)
    }

    /// How the predicate reads from object to subject in `lang` (or
    /// English), if anyone said.
    pub fn inverse_label(&self) -> Option<&str> {
        let pick = |lang: &str| self.inverse_labels.iter().find(|(l, _)| l == lang);
        pick("en")
            .or_else(|| self.inverse_labels.first())
            .map(|(_, text)| text.as_str())
    }

    fn display_label(&self) -> String {
        let pick = |lang: &str| self.labels.iter().find(|(l, _)| l == lang);
        match pick("en").or_else(|| self.labels.first()) {
            Some((_, text)) => text.clone(),
            None => local_name_words(&self.iri),
        }
    }

    /// Takes the labels, ids and symmetry the store holds for it.
    pub fn describe(&mut self, description: crate::store::TermDescription) {
        for label in description.labels {
            if !self.labels.contains(&label) {
                self.labels.push(label);
            }
        }
        self.inverse_labels.extend(description.inverse_labels);
        self.ids.extend(description.ids);
        self.symmetric |= description.symmetric;
        self.label = self.display_label();
    }
}

/// `https://example.org/vocab#handedNoteTo` as words: `handed note to`.
fn local_name_words(iri: &str) -> String {
    let local = iri.rsplit(['#', '/']).next().unwrap_or(iri);
    if local.is_empty() {
        return vocab::shorten(iri);
    }
    let mut words = String::new();
    for c in local.chars() {
        if c.is_uppercase() && !words.is_empty() {
            words.push(' ');
        }
        if c == '_' || c == '-' {
            words.push(' ');
        } else {
            words.extend(c.to_lowercase());
        }
    }
    words
}
