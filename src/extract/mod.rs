//! From an article's text to a draft of its facts: the prompt (`prompt`),
//! the entities of the store the text names (`mentions`), a chat model
//! asked through the OpenAI-compatible API (`chat`), and the rounds in
//! between: each answer is checked by the ingest validator and the
//! evidence guard (`input::grounding`), its problems are sent back for a
//! repair, and what still fails at the end is set apart for review.
//!
//! The model's answer is never trusted: the article's metadata is set from
//! what the user gave, its text is attached by us, and a draft is clean
//! only when it passes every check `ingest` makes.

pub mod chat;
pub mod mentions;
pub mod prompt;

use serde_json::{json, Map, Value};

use crate::input::read::parse_document;
use crate::input::validate::KnownEntities;
use crate::input::Diagnostic;
use crate::ontology::Ontology;
use chat::{ChatError, Message};
use prompt::ArticleMeta;

/// What is extracted from what.
pub struct ExtractRequest<'a> {
    pub meta: &'a ArticleMeta,
    pub text: &'a str,
    /// The prompt (`prompt::prompt`), sent as the first message.
    pub prompt: &'a str,
    /// Rounds after the first that may repair an answer.
    pub repairs: usize,
}

/// What happened in one round, for a progress line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoundEvent {
    /// Round `round` (1-based) of at most `of` is being asked.
    Asking { round: usize, of: usize },
    /// Its answer had `problems` problems (0: clean).
    Checked { round: usize, problems: usize },
}

/// A draft of the article's facts.
#[derive(Debug)]
pub struct Draft {
    /// A document of the input format: the article (its text included)
    /// with the facts and entities that pass every check, and under
    /// `rejected` those that did not, each with its problems.
    pub document: Value,
    /// Rounds asked.
    pub rounds: usize,
    /// Problems no fact or entity could be set apart for (the article's
    /// own fields, an answer that is not a document): the draft cannot be
    /// ingested until they are fixed.
    pub problems: Vec<Diagnostic>,
}

impl Draft {
    /// Facts kept.
    pub fn facts(&self) -> usize {
        self.count("/articles/0/facts")
    }

    /// Facts and entities set apart.
    pub fn rejected(&self) -> usize {
        self.count("/rejected")
    }

    fn count(&self, pointer: &str) -> usize {
        self.document
            .pointer(pointer)
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    }

    /// Whether the draft can be ingested as it is, nothing set apart.
    pub fn is_clean(&self) -> bool {
        self.rejected() == 0 && self.problems.is_empty()
    }
}

/// Asks the model through `ask` until an answer is clean or the repairs
/// are used up, then sets apart what still fails. `known` says which
/// entity ids the store holds (valid without a declaration).
pub fn extract(
    request: &ExtractRequest<'_>,
    known: &dyn KnownEntities,
    ask: &mut dyn FnMut(&[Message]) -> Result<String, ChatError>,
    progress: &dyn Fn(RoundEvent),
) -> Result<Draft, ChatError> {
    let mut messages = vec![Message {
        role: "user",
        content: request.prompt.to_owned(),
    }];
    let of = request.repairs + 1;
    let mut round = 0;
    let (document, problems) = loop {
        round += 1;
        progress(RoundEvent::Asking { round, of });
        let answer = ask(&messages)?;
        let (document, problems) = check(&answer, request, known);
        progress(RoundEvent::Checked {
            round,
            problems: problems.len(),
        });
        if problems.is_empty() || round == of {
            break (document, problems);
        }
        messages.push(Message {
            role: "assistant",
            content: answer,
        });
        messages.push(Message {
            role: "user",
            content: repair_message(&problems),
        });
    };
    let (document, problems) = set_apart(document, problems, request, known);
    Ok(Draft {
        document,
        rounds: round,
        problems,
    })
}

/// The message that asks for a repair of `problems`.
pub fn repair_message(problems: &[Diagnostic]) -> String {
    let mut text = String::from("Your answer has these problems; the JSON paths point into it:\n");
    for problem in problems.iter().take(100) {
        text.push_str("- ");
        text.push_str(&problem.to_string());
        text.push('\n');
    }
    if problems.len() > 100 {
        text.push_str(&format!("- ... and {} more\n", problems.len() - 100));
    }
    text.push_str(
        "Answer again with the whole corrected JSON document and nothing else. Keep the facts that had no problem. Copy every evidence exactly from the article; drop a fact when no words of the article state it.\n",
    );
    text
}

/// The model's answer as a document (metadata and text set from the
/// request), and its problems.
fn check(
    answer: &str,
    request: &ExtractRequest<'_>,
    known: &dyn KnownEntities,
) -> (Value, Vec<Diagnostic>) {
    let mut document = match serde_json::from_str::<Value>(strip_fence(answer)) {
        Ok(value) => value,
        Err(e) => {
            let problem = Diagnostic {
                line: Some(e.line()),
                column: Some(e.column()),
                path: None,
                message: format!("the answer is not JSON: {e}; expected one JSON document"),
                hint: None,
            };
            return (Value::Null, vec![problem]);
        }
    };
    if let Err(problem) = set_article(&mut document, request) {
        return (document, vec![problem]);
    }
    let problems = problems_of(&document, known);
    (document, problems)
}

/// Every problem `ingest` would find in `document`.
fn problems_of(document: &Value, known: &dyn KnownEntities) -> Vec<Diagnostic> {
    let bytes = serde_json::to_vec(document).unwrap_or_default();
    match parse_document(&bytes) {
        Err(problem) => vec![without_location(problem)],
        Ok(parsed) => match parsed.validate(Ontology::get(), known) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.into_iter().map(without_location).collect(),
        },
    }
}

/// A line and column of our own serialisation mean nothing to the model.
fn without_location(mut problem: Diagnostic) -> Diagnostic {
    problem.line = None;
    problem.column = None;
    problem
}

/// The answer without a Markdown code fence some models wrap JSON in.
fn strip_fence(answer: &str) -> &str {
    let trimmed = answer.trim();
    let Some(body) = trimmed.strip_prefix("```") else {
        return trimmed;
    };
    let body = body.split_once('\n').map_or("", |(_, rest)| rest);
    body.trim_end().strip_suffix("```").unwrap_or(body).trim()
}

/// Sets what the user gave (id, language, date, publisher, url) and the
/// text on the answer's one article; the model may not change them.
fn set_article(document: &mut Value, request: &ExtractRequest<'_>) -> Result<(), Diagnostic> {
    let Some(object) = document.as_object_mut() else {
        return Err(Diagnostic::at_path(
            "$",
            "the answer is not a JSON object; expected one document {\"storygraph\": 1, \"entities\": [...], \"articles\": [...]}",
        ));
    };
    object.insert("storygraph".to_owned(), json!(1));
    object.remove("rejected");
    let article = match object.get_mut("articles").and_then(Value::as_array_mut) {
        Some(articles) if articles.len() == 1 && articles[0].is_object() => &mut articles[0],
        _ => {
            return Err(Diagnostic::at_path(
                "articles",
                "expected \"articles\" to hold exactly one article: the article given",
            ))
        }
    };
    let meta = request.meta;
    let article = article.as_object_mut().expect("checked above");
    let mut set = |key: &str, value: Option<&str>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            article.insert(key.to_owned(), json!(value));
        }
    };
    set("id", Some(&meta.id));
    set("language", Some(&meta.language));
    set("published", Some(&meta.published));
    set("publisher", meta.publisher.as_deref());
    set("url", meta.url.as_deref());
    set("text", Some(request.text));
    Ok(())
}

/// Which item of a document a problem's path points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Item {
    /// `articles[0].facts[i]`
    Fact(usize),
    /// `articles[0].entities[i]`
    ArticleEntity(usize),
    /// `entities[i]`
    Entity(usize),
}

impl Item {
    fn of(path: &str) -> Option<Item> {
        let index = |rest: &str| rest.split(']').next()?.parse().ok();
        if let Some(rest) = path.strip_prefix("articles[0].facts[") {
            index(rest).map(Item::Fact)
        } else if let Some(rest) = path.strip_prefix("articles[0].entities[") {
            index(rest).map(Item::ArticleEntity)
        } else if let Some(rest) = path.strip_prefix("entities[") {
            index(rest).map(Item::Entity)
        } else {
            None
        }
    }

    fn path(self) -> String {
        match self {
            Item::Fact(i) => format!("articles[0].facts[{i}]"),
            Item::ArticleEntity(i) => format!("articles[0].entities[{i}]"),
            Item::Entity(i) => format!("entities[{i}]"),
        }
    }

    /// Takes the item out of `document`.
    fn take(self, document: &mut Value) -> Option<Value> {
        let list = match self {
            Item::Fact(_) => document.pointer_mut("/articles/0/facts"),
            Item::ArticleEntity(_) => document.pointer_mut("/articles/0/entities"),
            Item::Entity(_) => document.pointer_mut("/entities"),
        }?
        .as_array_mut()?;
        let (Item::Fact(i) | Item::ArticleEntity(i) | Item::Entity(i)) = self;
        (i < list.len()).then(|| list.remove(i))
    }
}

/// Moves the facts and entities with problems under `rejected`, again
/// until what is left passes (an entity set apart fails the facts that
/// name it); returns the document and the problems of nothing that can be
/// set apart.
fn set_apart(
    mut document: Value,
    mut problems: Vec<Diagnostic>,
    request: &ExtractRequest<'_>,
    known: &dyn KnownEntities,
) -> (Value, Vec<Diagnostic>) {
    let mut rejected = Vec::new();
    if !document.is_object() {
        document = json!({"storygraph": 1, "articles": [{}]});
        let _ = set_article(&mut document, request);
    }
    while !problems.is_empty() {
        let mut by_item: std::collections::BTreeMap<Item, Vec<String>> = Default::default();
        let mut stay = Vec::new();
        for problem in problems {
            match problem.path.as_deref().and_then(Item::of) {
                Some(item) => by_item.entry(item).or_default().push(problem.to_string()),
                None => stay.push(problem),
            }
        }
        if by_item.is_empty() {
            problems = stay;
            break;
        }
        // Highest index first, so the lower ones stay where they are.
        let mut taken = Vec::new();
        for (item, reasons) in by_item.into_iter().rev() {
            if let Some(value) = item.take(&mut document) {
                taken.push(json!({"path": item.path(), "problems": reasons, "item": value}));
            }
        }
        taken.reverse();
        rejected.extend(taken);
        problems = problems_of(&document, known);
    }
    if let Some(object) = document.as_object_mut() {
        if !rejected.is_empty() {
            object.insert("rejected".to_owned(), Value::Array(rejected));
        }
    }
    (order_keys(document), problems)
}

/// The document's keys in the format's order, for a reviewer's eyes.
fn order_keys(document: Value) -> Value {
    let Value::Object(mut object) = document else {
        return document;
    };
    let mut ordered = Map::new();
    for key in [
        "storygraph",
        "entities",
        "predicates",
        "articles",
        "rejected",
    ] {
        if let Some(value) = object.remove(key) {
            ordered.insert(key.to_owned(), value);
        }
    }
    ordered.extend(object);
    Value::Object(ordered)
}

#[cfg(test)]
mod tests;
