//! Facts: each fact of an article checked into the model (references,
//! predicate, object or value, time, certainty), ids derived where none is
//! given, quotes held to the article's text (`grounding`), and the warning
//! for facts dated after their article.

use std::collections::HashMap;

use super::names::{derived_fact_id, unique_id};
use super::Validator;
use crate::input::format::{ArticleInput, FactInput};
use crate::input::grounding::ArticleText;
use crate::input::suggest;
use crate::input::Diagnostic;
use crate::model::{Certainty, Fact, FactObject};
use crate::timespec::TimeSpec;

impl Validator<'_> {
    /// Warns of facts whose time starts after the article was published:
    /// often a typo in the year, but a plan or a forecast can be right.
    /// (Called once every fact validated: `facts` are the input's, in order.)
    pub(super) fn dated_after(&mut self, published: &TimeSpec, facts: &[Fact], path: &str) {
        for (i, fact) in facts.iter().enumerate() {
            let Some(time) = &fact.time else {
                continue;
            };
            if time.earliest() > published.latest() && fact.certainty != Certainty::Speculated {
                self.warnings.push(Diagnostic::at_path(
                    format!("{path}.facts[{i}].time"),
                    format!(
                        "the fact's time {time} starts after the article was published ({}); a typo in the year? (a plan or forecast is \"speculated\")",
                        published.earliest()
                    ),
                ));
            }
        }
    }

    pub(super) fn facts(
        &mut self,
        article: &ArticleInput,
        text: Option<&str>,
        path: &str,
    ) -> Vec<Fact> {
        // Explicit ids first, so derived ones can step around them.
        let mut taken: HashMap<String, usize> = HashMap::new();
        for (i, fact) in article.facts.iter().enumerate() {
            let Some(id) = &fact.id else { continue };
            let fact_path = format!("{path}.facts[{i}].id");
            if !self.slug(&fact_path, id, "fact id") {
                continue;
            }
            if let Some(first) = taken.insert(id.clone(), i) {
                self.problem(
                    &fact_path,
                    format!("the fact id \"{id}\" is used twice in this article (first at {path}.facts[{first}]); fact ids must be unique within an article"),
                );
            }
        }
        let mut facts = Vec::new();
        let text = text.map(ArticleText::new);
        for (i, input) in article.facts.iter().enumerate() {
            let fact_path = format!("{path}.facts[{i}]");
            let fact = self.fact(input, article, &fact_path);
            if let (Some(text), Some(evidence)) = (&text, &input.evidence) {
                if !self.grounded(text, evidence, &fact_path) {
                    continue;
                }
            }
            if let Some(mut fact) = fact {
                if input.id.is_none() {
                    fact.id = unique_id(derived_fact_id(&fact), &mut taken, i);
                }
                facts.push(fact);
            }
        }
        facts
    }

    /// The evidence guard: whether `evidence` is words of the article's
    /// text (an empty one is reported by `fact`).
    fn grounded(&mut self, text: &ArticleText<'_>, evidence: &str, path: &str) -> bool {
        if evidence.trim().is_empty() || text.contains(evidence) {
            return true;
        }
        let hint = Some(match text.nearest_passage(evidence) {
            Some(passage) => format!("the nearest passage of the text: \"{passage}\""),
            None => "no sentence of the text shares a word with it".to_owned(),
        });
        self.problem_with_hint(
            &format!("{path}.evidence"),
            "the evidence is not in the article's text; a quote must be the article's own words (letter variants, case, quote marks and whitespace aside; \"...\" marks words left out)".to_owned(),
            hint,
        );
        false
    }

    fn fact(&mut self, input: &FactInput, article: &ArticleInput, path: &str) -> Option<Fact> {
        let before = self.problems.len();
        self.reference(&input.subject, &format!("{path}.subject"));
        let predicate = self.predicate(&input.predicate, &format!("{path}.predicate"));
        let kind = predicate.as_ref().and_then(|(_, kind)| kind.clone());
        self.object_kind(&input.predicate, kind.as_ref(), input, path);
        let object = match (&input.object, &input.value) {
            (Some(object), None) => {
                self.reference(object, &format!("{path}.object"));
                Some(FactObject::Entity(object.clone()))
            }
            (None, Some(value)) => {
                let path = format!("{path}.value");
                let literal = self.value(value, &path);
                let range = kind.as_ref().and_then(|k| k.range.as_deref());
                literal
                    .and_then(|l| self.conform(l, range, &input.predicate, &path))
                    .map(FactObject::Value)
            }
            (Some(_), Some(_)) => {
                self.problem(path, "found both \"object\" and \"value\"; expected exactly one: \"object\" for an entity id, \"value\" for a literal".to_owned());
                None
            }
            (None, None) => {
                self.problem(path, "found neither \"object\" nor \"value\"; expected exactly one: \"object\" for an entity id, \"value\" for a literal".to_owned());
                None
            }
        };
        for (field, value) in [
            ("about", &input.about),
            ("place", &input.place),
            ("source", &input.source),
        ] {
            if let Some(id) = value {
                self.reference(id, &format!("{path}.{field}"));
            }
        }
        for (i, id) in input.via.iter().enumerate() {
            self.reference(id, &format!("{path}.via[{i}]"));
        }
        let time = input.time.as_ref().and_then(|t| match TimeSpec::parse(t) {
            Ok(t) => Some(t),
            Err(e) => {
                self.problem(&format!("{path}.time"), e.to_string());
                None
            }
        });
        let certainty = match input.certainty.as_deref() {
            None => Certainty::default(),
            Some(word) => match word.parse() {
                Ok(c) => c,
                Err(()) => {
                    let names = Certainty::ALL.map(Certainty::as_str);
                    self.problem_with_hint(
                        &format!("{path}.certainty"),
                        format!("\"{word}\" is not a certainty level; expected one of \"confirmed\", \"reported\", \"claimed\", \"speculated\" (strongest first)"),
                        suggest::did_you_mean(word, names),
                    );
                    Certainty::default()
                }
            },
        };
        if let Some(evidence) = &input.evidence {
            self.displayable(&format!("{path}.evidence"), evidence, true, "evidence");
        }
        if input
            .evidence
            .as_deref()
            .is_some_and(|e| e.trim().is_empty())
        {
            self.problem(
                &format!("{path}.evidence"),
                "the evidence is empty; expected the supporting sentence, or leave the key out"
                    .to_owned(),
            );
        }
        if self.problems.len() > before {
            return None;
        }
        Some(Fact {
            id: input.id.clone().unwrap_or_default(),
            subject: input.subject.clone(),
            predicate: predicate?.0,
            object: object?,
            about: input.about.clone(),
            time,
            place: input.place.clone(),
            certainty,
            negated: input.negated,
            source: input.source.clone().or_else(|| article.publisher.clone()),
            via: input.via.clone(),
            evidence: input.evidence.clone(),
        })
    }
}
