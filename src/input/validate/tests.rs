//! Unit tests of validation: every rule of the format, each with the JSON
//! path and message it reports.

use std::collections::HashSet;

use super::*;
use crate::input::read::parse_document;
use crate::model::{Certainty, FactObject};

fn check(json: &str) -> Result<Document, Vec<Diagnostic>> {
    let doc = parse_document(json.as_bytes()).map_err(|d| vec![d])?;
    doc.validate(Ontology::get(), &HashSet::from(["in-store".to_owned()]))
        .map(|v| v.document)
}

fn doc_with_facts(facts: &str) -> String {
    format!(
        r#"{{"storygraph": 1,
        "entities": [
          {{"id": "putin", "type": "Person", "name": {{"en": "Vladimir Putin"}}}},
          {{"id": "aliyev", "type": "Person"}},
          {{"id": "paper", "type": "NewsOrganization"}}
        ],
        "articles": [{{"id": "a1", "title": "T", "language": "ar", "published": "2025-10-19",
          "publisher": "paper", "facts": [{facts}]}}]}}"#
    )
}

fn messages(result: Result<Document, Vec<Diagnostic>>) -> Vec<String> {
    result
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_good_fact_is_defaulted_and_gets_a_readable_id() {
    let doc = check(&doc_with_facts(
        r#"{"subject": "putin", "predicate": "warned", "object": "aliyev"}"#,
    ))
    .unwrap();
    let fact = &doc.articles[0].facts[0];
    assert_eq!(fact.id, "putin.warned.aliyev");
    assert_eq!(fact.certainty, Certainty::Reported);
    assert_eq!(
        fact.source.as_deref(),
        Some("paper"),
        "source defaults to the publisher"
    );
}

#[test]
fn derived_ids_never_collide() {
    let facts = r#"{"subject": "putin", "predicate": "warned", "object": "aliyev"},
        {"subject": "putin", "predicate": "warned", "object": "aliyev", "time": "2024"},
        {"id": "putin.warned.aliyev-2", "subject": "aliyev", "predicate": "warned", "object": "putin"}"#;
    let doc = check(&doc_with_facts(facts)).unwrap();
    let ids: Vec<&str> = doc.articles[0]
        .facts
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "putin.warned.aliyev",
            "putin.warned.aliyev-3",
            "putin.warned.aliyev-2"
        ]
    );
}

#[test]
fn unknown_entity_predicate_and_certainty_get_paths_and_hints() {
    let facts =
        r#"{"subject": "putin", "predicate": "warnd", "object": "aliyv", "certainty": "confirm"}"#;
    let msgs = messages(check(&doc_with_facts(facts)));
    assert!(
        msgs.iter().any(|m| m
            .starts_with("articles[0].facts[0].predicate: \"warnd\" is not a fact property")
            && m.ends_with("(did you mean \"warned\"?)")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter().any(|m| m
            .starts_with("articles[0].facts[0].object: unknown entity id \"aliyv\"")
            && m.contains("did you mean \"aliyev\"?")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("articles[0].facts[0].certainty:")
                && m.contains("did you mean \"confirmed\"?")),
        "{msgs:#?}"
    );
}

#[test]
fn store_entities_are_valid_references() {
    let facts = r#"{"subject": "in-store", "predicate": "warned", "object": "aliyev"}"#;
    assert!(check(&doc_with_facts(facts)).is_ok());
}

#[test]
fn bad_dates_slugs_and_duplicates_are_reported() {
    let facts = r#"{"id": "f1", "subject": "putin", "predicate": "warned", "object": "aliyev", "time": "2025-13"},
        {"id": "f1", "subject": "putin", "predicate": "warned", "object": "aliyev"},
        {"id": "Bad Id", "subject": "putin", "predicate": "warned", "object": "aliyev"}"#;
    let msgs = messages(check(&doc_with_facts(facts)));
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("articles[0].facts[0].time:") && m.contains("month 13")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("articles[0].facts[1].id:") && m.contains("used twice")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("articles[0].facts[2].id:")
                && m.contains("did you mean \"bad-id\"?")),
        "{msgs:#?}"
    );
}

#[test]
fn object_and_value_are_exclusive() {
    let msgs = messages(check(&doc_with_facts(
        r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "value": 3}"#,
    )));
    assert!(
        msgs[0].contains("found both \"object\" and \"value\""),
        "{msgs:#?}"
    );
    let msgs = messages(check(&doc_with_facts(
        r#"{"subject": "putin", "predicate": "warned"}"#,
    )));
    assert!(msgs[0].contains("found neither"), "{msgs:#?}");
}

#[test]
fn values_become_typed_literals() {
    let facts = r#"{"subject": "putin", "predicate": "troopCount", "value": 20000},
        {"subject": "putin", "predicate": "stated", "value": {"value": "تتطور بنجاح", "lang": "ar"}},
        {"subject": "putin", "predicate": "status", "value": {"value": "2025-10-19", "datatype": "xsd:date"}}"#;
    let doc = check(&doc_with_facts(facts)).unwrap();
    let values: Vec<String> = doc.articles[0]
        .facts
        .iter()
        .map(|f| match &f.object {
            FactObject::Value(l) => l.to_string(),
            FactObject::Entity(_) => unreachable!(),
        })
        .collect();
    assert_eq!(
        values[0],
        "\"20000\"^^<http://www.w3.org/2001/XMLSchema#integer>"
    );
    assert_eq!(values[1], "\"تتطور بنجاح\"@ar");
    assert_eq!(
        values[2],
        "\"2025-10-19\"^^<http://www.w3.org/2001/XMLSchema#date>"
    );
}

#[test]
fn conflicting_entity_types_are_refused_and_same_types_merge() {
    let json = r#"{"storygraph": 1,
        "entities": [{"id": "x", "type": "Person", "name": {"en": "X"}}],
        "articles": [{"id": "a", "title": "T", "language": "en", "published": "2025-01-01",
          "entities": [{"id": "x", "type": "Country"}], "facts": []}]}"#;
    let msgs = messages(check(json));
    assert!(
        msgs[0].starts_with("articles[0].entities[0].type:")
            && msgs[0].contains("one id names one thing"),
        "{msgs:#?}"
    );

    let json = r#"{"storygraph": 1,
        "entities": [{"id": "x", "type": "Person", "name": {"en": "X"}}],
        "articles": [{"id": "a", "title": "T", "language": "en", "published": "2025-01-01",
          "entities": [{"id": "x", "type": "Person", "name": {"en": "Mr X", "ar": "إكس"}}], "facts": []}]}"#;
    let doc = check(json).unwrap();
    assert_eq!(doc.entities.len(), 1);
    assert_eq!(doc.entities[0].names["en"], "X");
    assert_eq!(doc.entities[0].aliases["en"], ["Mr X"]);
    assert_eq!(doc.entities[0].names["ar"], "إكس");
}

#[test]
fn unknown_class_and_prefix_are_explained() {
    let json = r#"{"storygraph": 1, "entities": [{"id": "x", "type": "Persn"}, {"id": "y", "type": "foo:Bar"}],
        "articles": [{"id": "a", "title": "T", "language": "en", "published": "2025-01-01", "facts": []}]}"#;
    let msgs = messages(check(json));
    assert!(
        msgs[0].starts_with("entities[0].type:") && msgs[0].contains("did you mean \"Person\"?"),
        "{msgs:#?}"
    );
    assert!(
        msgs[1].starts_with("entities[1].type:") && msgs[1].contains("prefix \"foo:\" is unknown"),
        "{msgs:#?}"
    );
}
