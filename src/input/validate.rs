//! Checks a parsed document against the rules the format states and turns it
//! into the core model: slugs, known classes and predicates, entity
//! references that resolve, times that parse, fact ids that are unique.
//!
//! Validation is pure: whether an id is already in the store comes in through
//! [`KnownEntities`], so unit tests need no store. It reports every problem
//! of a document at once, each with its JSON path.

use std::collections::{HashMap, HashSet};

use oxigraph::model::NamedNode;

use super::format::{ArticleInput, DocumentInput, EntityInput, SLUG_PATTERN};
use super::suggest;
use super::Diagnostic;
use crate::model::{Article, Document, Entity, PredicateDeclaration, PredicateKind};
use crate::ontology::Ontology;
use crate::timespec::{TimePoint, TimeSpec};
use crate::vocab;
use names::{external_iri, is_slug, language_code, list};
pub(crate) use names::{is_language_tag, slugify};

/// Entity ids that are valid references although this document does not
/// declare them (they are in the store, or in another file of the same
/// run), and predicates of the user's vocabulary the store holds.
pub trait KnownEntities {
    fn is_known(&self, id: &str) -> bool;

    /// A predicate declared before, by its id (none by default).
    fn predicate(&self, _id: &str) -> Option<KnownPredicate> {
        None
    }
}

/// A predicate the store knows: its IRI and what it takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownPredicate {
    pub iri: NamedNode,
    pub kind: PredicateKind,
}

/// A valid document, and what was accepted but looks wrong (a fact dated
/// after its article's publication).
#[derive(Debug)]
pub struct Validated {
    pub document: Document,
    pub warnings: Vec<Diagnostic>,
}

impl KnownEntities for HashSet<String> {
    fn is_known(&self, id: &str) -> bool {
        self.contains(id)
    }
}

/// Validates `input` into the model, or lists every problem found.
pub(super) fn validate(
    input: DocumentInput,
    ontology: &Ontology,
    known: &dyn KnownEntities,
) -> Result<Validated, Vec<Diagnostic>> {
    let mut v = Validator {
        ontology,
        known,
        problems: Vec::new(),
        warnings: Vec::new(),
        entities: Vec::new(),
        entity_index: HashMap::new(),
        predicates: Vec::new(),
        predicate_index: HashMap::new(),
    };
    for (i, predicate) in input.predicates.iter().enumerate() {
        v.declare_predicate(predicate, &format!("predicates[{i}]"));
    }
    for (i, entity) in input.entities.iter().enumerate() {
        v.declare_entity(entity, &format!("entities[{i}]"), None);
    }
    for (a, article) in input.articles.iter().enumerate() {
        for (i, entity) in article.entities.iter().enumerate() {
            v.declare_entity(
                entity,
                &format!("articles[{a}].entities[{i}]"),
                Some(&article.id),
            );
        }
    }
    if input.articles.is_empty() {
        v.problem(
            "articles",
            "found an empty list; expected at least one article".to_owned(),
        );
    }
    let mut article_ids: HashMap<&str, usize> = HashMap::new();
    let mut articles = Vec::new();
    for (a, article) in input.articles.iter().enumerate() {
        let path = format!("articles[{a}]");
        if let Some(first) = article_ids.insert(&article.id, a) {
            v.problem(
                &format!("{path}.id"),
                format!("the article id \"{}\" is used twice in this document (first at articles[{first}])", article.id),
            );
        }
        if let Some(article) = v.article(article, &path) {
            articles.push(article);
        }
    }
    if !input.rejected.is_empty() {
        v.warnings.push(Diagnostic::at_path(
            "rejected",
            format!(
                "{} of this draft's facts and entities failed a check and were not ingested; fix them and move them back, or leave them",
                input.rejected.len()
            ),
        ));
    }
    if v.problems.is_empty() {
        Ok(Validated {
            document: Document {
                entities: v.entities,
                predicates: v.predicates,
                articles,
            },
            warnings: v.warnings,
        })
    } else {
        Err(v.problems)
    }
}

struct Validator<'a> {
    ontology: &'a Ontology,
    known: &'a dyn KnownEntities,
    problems: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    entities: Vec<Entity>,
    entity_index: HashMap<String, usize>,
    /// The predicates the document declares, and their places by id.
    predicates: Vec<PredicateDeclaration>,
    predicate_index: HashMap<String, usize>,
}

impl Validator<'_> {
    fn problem(&mut self, path: &str, message: String) {
        self.problems.push(Diagnostic::at_path(path, message));
    }

    fn problem_with_hint(&mut self, path: &str, message: String, hint: Option<String>) {
        self.problems
            .push(Diagnostic::at_path(path, message).with_hint(hint));
    }

    fn slug(&mut self, path: &str, value: &str, what: &str) -> bool {
        if is_slug(value) {
            return true;
        }
        let suggestion = slugify(value);
        let hint = (!suggestion.is_empty()).then(|| format!("did you mean \"{suggestion}\"?"));
        self.problem_with_hint(
            path,
            format!("\"{value}\" is not a valid {what}; expected a slug matching {SLUG_PATTERN} (lowercase letters, digits, '.', '_', '-')"),
            hint,
        );
        false
    }

    fn declare_entity(&mut self, input: &EntityInput, path: &str, article: Option<&str>) {
        if !self.slug(&format!("{path}.id"), &input.id, "entity id") {
            return;
        }
        let Some(class) = self.class(&input.class, &format!("{path}.type")) else {
            return;
        };
        for (lang, _) in input.name.iter().chain(input.description.iter()) {
            self.language(lang, path);
        }
        self.displayable_names(input, path);
        for lang in input.aliases.keys() {
            self.language(lang, &format!("{path}.aliases"));
        }
        let mut same_as = Vec::new();
        for (i, iri) in input.same_as.iter().enumerate() {
            match NamedNode::new(iri) {
                Ok(node) if iri.contains(':') => same_as.push(node),
                _ => self.problem(
                    &format!("{path}.same_as[{i}]"),
                    format!("\"{iri}\" is not an absolute IRI; expected one such as http://www.wikidata.org/entity/Q7747"),
                ),
            }
        }
        let declared_in: Vec<String> = article.map(str::to_owned).into_iter().collect();
        if let Some(&index) = self.entity_index.get(&input.id) {
            let existing = &mut self.entities[index];
            if !existing.classes.contains(&class) {
                let first = existing
                    .classes
                    .first()
                    .map(|c| vocab::shorten(c.as_str()))
                    .unwrap_or_default();
                self.problem(
                    &format!("{path}.type"),
                    format!(
                        "the entity \"{}\" is declared again with type \"{}\", but an earlier declaration says {first}; one id names one thing",
                        input.id, input.class
                    ),
                );
                return;
            }
            // A repeated declaration adds names; the first preferred name stays.
            for (lang, name) in &input.name {
                if existing.names.get(lang) != Some(name) {
                    if existing.names.contains_key(lang) {
                        existing
                            .aliases
                            .entry(lang.clone())
                            .or_default()
                            .push(name.clone());
                    } else {
                        existing.names.insert(lang.clone(), name.clone());
                    }
                }
            }
            for (lang, aliases) in &input.aliases {
                let list = existing.aliases.entry(lang.clone()).or_default();
                for alias in aliases {
                    if !list.contains(alias) {
                        list.push(alias.clone());
                    }
                }
            }
            for (lang, d) in &input.description {
                existing
                    .descriptions
                    .entry(lang.clone())
                    .or_insert_with(|| d.clone());
            }
            for node in same_as {
                if !existing.same_as.contains(&node) {
                    existing.same_as.push(node);
                }
            }
            existing.declared_in.extend(declared_in);
            return;
        }
        self.entity_index
            .insert(input.id.clone(), self.entities.len());
        self.entities.push(Entity {
            id: input.id.clone(),
            classes: vec![class],
            names: input.name.clone(),
            aliases: input.aliases.clone(),
            descriptions: input.description.clone(),
            same_as,
            declared_in,
        });
    }

    fn language(&mut self, tag: &str, path: &str) -> bool {
        if is_language_tag(tag) {
            return true;
        }
        let hint = language_code(tag).map(|code| format!("did you mean \"{code}\"?"));
        self.problem_with_hint(
            path,
            format!("\"{tag}\" is not a language tag; expected a BCP 47 tag such as \"en\", \"ar\" or \"az-Latn\""),
            hint,
        );
        false
    }

    fn class(&mut self, name: &str, path: &str) -> Option<NamedNode> {
        if self.ontology.classes.contains(name) {
            return Some(vocab::sg(name));
        }
        match external_iri(name) {
            Ok(Some(iri)) => Some(iri),
            Ok(None) => {
                let hint =
                    suggest::did_you_mean(name, self.ontology.classes.iter().map(String::as_str));
                self.problem_with_hint(
                    path,
                    format!("\"{name}\" is not a class of the ontology; expected one of {} or a prefixed name / IRI of another vocabulary", list(&self.ontology.classes)),
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

    /// Checks a reference to an entity id.
    fn reference(&mut self, id: &str, path: &str) -> bool {
        if !self.slug(path, id, "entity id") {
            return false;
        }
        if self.entity_index.contains_key(id) || self.known.is_known(id) {
            return true;
        }
        let hint = suggest::did_you_mean(id, self.entity_index.keys().map(String::as_str));
        self.problem_with_hint(
            path,
            format!("unknown entity id \"{id}\"; expected an entity declared in this document's \"entities\" (or already in the store)"),
            hint,
        );
        false
    }

    /// Names, aliases and descriptions hold nothing that could rewrite a
    /// terminal or a drawing (escape sequences, forged lines, overrides).
    fn displayable_names(&mut self, input: &EntityInput, path: &str) {
        for (lang, name) in &input.name {
            self.displayable(&format!("{path}.name.{lang}"), name, false, "name");
        }
        for (lang, aliases) in &input.aliases {
            for (i, alias) in aliases.iter().enumerate() {
                self.displayable(&format!("{path}.aliases.{lang}[{i}]"), alias, false, "name");
            }
        }
        for (lang, text) in &input.description {
            self.displayable(
                &format!("{path}.description.{lang}"),
                text,
                true,
                "description",
            );
        }
    }

    fn displayable(&mut self, path: &str, text: &str, lines: bool, what: &str) {
        if let Some(problem) = names::unsafe_char_problem(text, lines, what) {
            self.problem(path, problem);
        }
    }

    fn article(&mut self, input: &ArticleInput, path: &str) -> Option<Article> {
        let before = self.problems.len();
        self.slug(&format!("{path}.id"), &input.id, "article id");
        self.displayable(&format!("{path}.title"), &input.title, false, "title");
        if input.title.trim().is_empty() {
            self.problem(
                &format!("{path}.title"),
                "the title is empty; expected the article's headline".to_owned(),
            );
        }
        self.language(&input.language, &format!("{path}.language"));
        let published = match TimeSpec::parse(&input.published) {
            Ok(t @ TimeSpec::Point(TimePoint::Date(_) | TimePoint::DateTime { .. })) => Some(t),
            Ok(_) => {
                self.problem(
                    &format!("{path}.published"),
                    format!("\"{}\" is not a full date; expected an ISO 8601 date or date-time such as 2025-10-19 or 2025-10-19T08:00Z", input.published),
                );
                None
            }
            Err(e) => {
                self.problem(&format!("{path}.published"), e.to_string());
                None
            }
        };
        if let Some(publisher) = &input.publisher {
            self.reference(publisher, &format!("{path}.publisher"));
        }
        if let Some(url) = &input.url {
            if NamedNode::new(url).is_err() || !url.contains("://") {
                self.problem(
                    &format!("{path}.url"),
                    format!("\"{url}\" is not an absolute URL; expected one such as https://example.org/news/1"),
                );
            }
        }
        // Line ends are not content: a text written on Windows checks and
        // stores as the same text.
        let text = input.text.as_ref().map(|t| t.replace("\r\n", "\n"));
        if let Some(text) = &text {
            self.displayable(&format!("{path}.text"), text, true, "text");
            if text.trim().is_empty() {
                self.problem(
                    &format!("{path}.text"),
                    "the text is empty; expected the article's text, or leave the key out"
                        .to_owned(),
                );
            }
        }
        let facts = self.facts(input, text.as_deref(), path);
        if self.problems.len() > before {
            return None;
        }
        if let Some(published) = &published {
            self.dated_after(published, &facts, path);
        }
        Some(Article {
            id: input.id.clone(),
            title: input.title.clone(),
            language: input.language.clone(),
            published: published?,
            publisher: input.publisher.clone(),
            url: input.url.clone(),
            authors: input.authors.clone(),
            tags: input.tags.clone(),
            text,
            facts,
        })
    }
}

/// Entity ids a document declares, before validation: what other files of
/// the same run may reference.
pub(super) fn declared_ids(input: &DocumentInput) -> impl Iterator<Item = &str> {
    input
        .entities
        .iter()
        .chain(input.articles.iter().flat_map(|a| a.entities.iter()))
        .map(|e| e.id.as_str())
}

/// The predicates a document declares, before validation, as others of
/// the same run will know them.
pub(super) fn declared_predicates(input: &DocumentInput) -> Vec<(String, KnownPredicate)> {
    input
        .predicates
        .iter()
        .filter_map(|p| {
            let iri = match &p.iri {
                None => vocab::sg(&p.id),
                Some(iri) => external_iri(iri).ok().flatten()?,
            };
            let object = match p.object.as_deref() {
                Some("value") => crate::model::ObjectKind::Value,
                _ => crate::model::ObjectKind::Entity,
            };
            let kind = PredicateKind {
                object,
                range: None,
                symmetric: p.symmetric,
            };
            Some((p.id.clone(), KnownPredicate { iri, kind }))
        })
        .collect()
}

mod facts;
mod names;
mod predicates;
#[cfg(test)]
mod tests;
mod values;
