//! Predicates: the user's own declared ones, resolving the name a fact
//! gives (declared here, built in, declared in the store, or an IRI), and
//! checking a fact against what its predicate takes (an entity or a value,
//! and a value of the predicate's datatype).

use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, NamedNode};

use super::names::{external_iri, is_slug};
use super::Validator;
use crate::input::format::{FactInput, PredicateInput};
use crate::input::suggest;
use crate::model::{ObjectKind, PredicateDeclaration, PredicateKind};
use crate::timespec::TimeSpec;
use crate::vocab;

impl Validator<'_> {
    /// Checks a declared predicate and keeps it for the facts.
    pub(super) fn declare_predicate(&mut self, input: &PredicateInput, path: &str) {
        let before = self.problems.len();
        self.slug(&format!("{path}.id"), &input.id, "predicate id");
        let iri = match &input.iri {
            None => Some(vocab::sg(&input.id)),
            Some(iri) => match external_iri(iri) {
                Ok(Some(iri)) => Some(iri),
                Ok(None) => {
                    self.problem(
                        &format!("{path}.iri"),
                        format!("\"{iri}\" is not an IRI; expected a prefixed name (sg:signed) or an absolute IRI, or leave it out for sg:{}", input.id),
                    );
                    None
                }
                Err(message) => {
                    self.problem(&format!("{path}.iri"), message);
                    None
                }
            },
        };
        let object = match input.object.as_deref() {
            None | Some("entity") => ObjectKind::Entity,
            Some("value") => ObjectKind::Value,
            Some(other) => {
                self.problem_with_hint(
                    &format!("{path}.object"),
                    format!("\"{other}\" is not what a predicate can take; expected \"entity\" (its facts have an \"object\") or \"value\" (a \"value\")"),
                    suggest::did_you_mean(other, ["entity", "value"]),
                );
                ObjectKind::Entity
            }
        };
        if input.symmetric && object == ObjectKind::Value {
            self.problem(
                &format!("{path}.symmetric"),
                "a predicate that takes a value cannot be symmetric; expected \"object\": \"entity\" or no \"symmetric\"".to_owned(),
            );
        }
        for (field, labels) in [
            ("label", &input.label),
            ("inverse_label", &input.inverse_label),
        ] {
            for (lang, label) in labels {
                self.language(lang, &format!("{path}.{field}"));
                self.displayable(&format!("{path}.{field}.{lang}"), label, false, "label");
            }
        }
        if let Some(built_in) = self.ontology.fact_property_kinds.get(&input.id) {
            if input.iri.is_none() && built_in.object != object {
                self.problem(
                    &format!("{path}.object"),
                    format!(
                        "\"{}\" is a predicate of the ontology that takes an {}; declare it with \"object\": \"{}\", or give your own an \"iri\"",
                        input.id,
                        built_in.object.as_str(),
                        built_in.object.as_str()
                    ),
                );
            }
        }
        if let Some(&first) = self.predicate_index.get(&input.id) {
            self.problem(
                &format!("{path}.id"),
                format!(
                    "the predicate \"{}\" is declared twice in this document (first at predicates[{first}])",
                    input.id
                ),
            );
        }
        let (Some(iri), true) = (iri, self.problems.len() == before) else {
            return;
        };
        self.predicate_index
            .insert(input.id.clone(), self.predicates.len());
        self.predicates.push(PredicateDeclaration {
            id: input.id.clone(),
            iri,
            labels: input.label.clone(),
            inverse_labels: input.inverse_label.clone(),
            kind: PredicateKind {
                object,
                range: None,
                symmetric: input.symmetric,
            },
        });
    }

    /// The IRI a fact's predicate names, and what it takes when that is
    /// known: declared in this document, built in, declared in the store,
    /// or (kind unknown) a prefixed name or IRI of another vocabulary.
    pub(super) fn predicate(
        &mut self,
        name: &str,
        path: &str,
    ) -> Option<(NamedNode, Option<PredicateKind>)> {
        if let Some(&at) = self.predicate_index.get(name) {
            let declared = &self.predicates[at];
            return Some((declared.iri.clone(), Some(declared.kind.clone())));
        }
        if self.ontology.fact_properties.contains(name) {
            let kind = self.ontology.fact_property_kinds.get(name).cloned();
            return Some((vocab::sg(name), kind));
        }
        if is_slug(name) {
            if let Some(known) = self.known.predicate(name) {
                return Some((known.iri, Some(known.kind)));
            }
        }
        match external_iri(name) {
            Ok(Some(iri)) => {
                let kind = self
                    .predicates
                    .iter()
                    .find(|p| p.iri == iri)
                    .map(|p| p.kind.clone());
                Some((iri, kind))
            }
            Ok(None) => {
                let known: Vec<&str> = self
                    .ontology
                    .fact_properties
                    .iter()
                    .map(String::as_str)
                    .chain(self.predicates.iter().map(|p| p.id.as_str()))
                    .collect();
                let hint = suggest::did_you_mean(name, known.iter().copied());
                self.problem_with_hint(
                    path,
                    format!("\"{name}\" is not a fact property of the ontology nor one declared in \"predicates\"; expected one of {} or a prefixed name / IRI", super::list(&self.ontology.fact_properties)),
                    hint,
                );
                None
            }
            Err(message) => {
                self.problem(path, message);
                None
            }
        }
    }

    /// A fact gives what its predicate takes: an entity (`object`) or a
    /// literal (`value`).
    pub(super) fn object_kind(
        &mut self,
        name: &str,
        kind: Option<&PredicateKind>,
        input: &FactInput,
        path: &str,
    ) {
        match (kind.map(|k| k.object), &input.object, &input.value) {
            (Some(ObjectKind::Entity), None, Some(_)) => self.problem(
                &format!("{path}.value"),
                format!("\"{name}\" takes an entity: expected \"object\" with an entity id, not \"value\""),
            ),
            (Some(ObjectKind::Value), Some(_), None) => self.problem(
                &format!("{path}.object"),
                format!("\"{name}\" takes a value: expected \"value\" with a literal, not \"object\""),
            ),
            _ => {}
        }
    }

    /// A value as the predicate's datatype (`range`) wants it: a number,
    /// or a string that is one, for an integer; a date for a date; or a
    /// problem saying what was expected.
    pub(super) fn conform(
        &mut self,
        literal: Literal,
        range: Option<&str>,
        name: &str,
        path: &str,
    ) -> Option<Literal> {
        let Some(range) = range else {
            return Some(literal);
        };
        let text = literal.value();
        let given = literal.datatype();
        let fits = |datatype: oxigraph::model::NamedNodeRef<'_>, valid: bool| {
            (given == datatype || given == xsd::STRING) && valid
        };
        let (ok, expected, datatype) = match range {
            r if r == xsd::INTEGER.as_str() || r == xsd::NON_NEGATIVE_INTEGER.as_str() => {
                let valid = text
                    .parse::<i64>()
                    .is_ok_and(|n| r != xsd::NON_NEGATIVE_INTEGER.as_str() || n >= 0);
                (
                    fits(xsd::INTEGER, valid),
                    "an integer such as 12",
                    xsd::INTEGER,
                )
            }
            r if r == xsd::DECIMAL.as_str() => {
                let valid = text.parse::<f64>().is_ok_and(f64::is_finite);
                let number = given == xsd::INTEGER || given == xsd::DECIMAL;
                (
                    (number || given == xsd::STRING) && valid,
                    "a number such as 2.5",
                    xsd::DECIMAL,
                )
            }
            r if r == xsd::BOOLEAN.as_str() => (
                fits(xsd::BOOLEAN, matches!(text, "true" | "false")),
                "true or false",
                xsd::BOOLEAN,
            ),
            r if r == xsd::DATE.as_str() => (
                fits(
                    xsd::DATE,
                    matches!(
                        TimeSpec::parse(text),
                        Ok(TimeSpec::Point(crate::timespec::TimePoint::Date(_)))
                    ),
                ),
                "a date such as 2025-10-19",
                xsd::DATE,
            ),
            _ => return Some(literal),
        };
        if ok {
            // A string that is a number becomes the number.
            return Some(if given == xsd::STRING {
                Literal::new_typed_literal(text, datatype)
            } else {
                literal
            });
        }
        self.problem(
            path,
            format!("\"{name}\" takes {expected}, not {}", describe(&literal)),
        );
        None
    }
}

/// A literal as a person would name it in a message.
fn describe(literal: &Literal) -> String {
    if literal.datatype() == xsd::STRING {
        format!("the text \"{}\"", literal.value())
    } else {
        format!(
            "{} ({})",
            literal.value(),
            vocab::shorten(literal.datatype().as_str())
        )
    }
}
