//! The rounds of `extract` over canned answers: clean, repaired, never
//! grounded, an entity set apart, an answer that is not a document.

use std::cell::RefCell;
use std::collections::HashSet;

use super::*;

const TEXT: &str = "باكو (رويترز) - قال الرئيس الأذربيجاني إلهام علييف أمس إن بلاده مستعدة لإرسال قوات إلى غزة.\nونفت وزارة الدفاع أن يكون قرار قد اتخذ.";

fn meta() -> ArticleMeta {
    ArticleMeta {
        id: "baku-troops".into(),
        language: "ar".into(),
        published: "2025-10-20".into(),
        publisher: None,
        url: None,
    }
}

fn answer(predicate: &str, evidence: &str) -> String {
    json!({
        "storygraph": 1,
        "entities": [
            {"id": "aliyev", "type": "Person", "name": {"ar": "إلهام علييف"}},
            {"id": "gaza", "type": "Place"},
            {"id": "mod", "type": "GovernmentBody"}
        ],
        "articles": [{
            "id": "whatever-the-model-says",
            "title": "علييف: مستعدون لإرسال قوات إلى غزة",
            "language": "en",
            "published": "2030-01-01",
            "facts": [
                {"subject": "aliyev", "predicate": predicate, "object": "gaza",
                 "time": "2025-10-19", "evidence": evidence},
                {"subject": "mod", "predicate": "stated", "value": "لم يتخذ قرار",
                 "negated": true, "source": "mod",
                 "evidence": "ونفت وزارة الدفاع أن يكون قرار قد اتخذ"}
            ]
        }]
    })
    .to_string()
}

const GOOD_QUOTE: &str = "قال الرئيس الأذربيجاني إلهام علييف أمس إن بلاده مستعدة لإرسال قوات إلى غزة";
const INVENTED_QUOTE: &str = "علييف يرسل قوات إلى غزة";

/// Runs `extract` over canned answers; returns the draft, the progress
/// events and every conversation sent.
fn run(answers: &[String], repairs: usize) -> (Draft, Vec<RoundEvent>, Vec<Vec<Message>>) {
    let request = ExtractRequest {
        meta: &meta(),
        text: TEXT,
        prompt: "PROMPT",
        repairs,
    };
    let sent = RefCell::new(Vec::new());
    let events = RefCell::new(Vec::new());
    let mut next = answers.iter();
    let mut ask = |messages: &[Message]| {
        sent.borrow_mut().push(messages.to_vec());
        Ok(next.next().expect("asked once too often").clone())
    };
    let known: HashSet<String> = HashSet::new();
    let draft = extract(&request, &known, &mut ask, &|e| events.borrow_mut().push(e)).unwrap();
    (draft, events.into_inner(), sent.into_inner())
}

fn predicate_of_a_fact_property() -> &'static str {
    "pledgedTroopsTo"
}

#[test]
fn a_clean_first_answer_is_one_round_with_metadata_and_text_set_by_us() {
    let p = predicate_of_a_fact_property();
    let (draft, events, sent) = run(&[answer(p, GOOD_QUOTE)], 2);
    assert!(draft.is_clean(), "{:?}", draft.problems);
    assert_eq!((draft.rounds, draft.facts(), draft.rejected()), (1, 2, 0));
    assert_eq!(
        events,
        [
            RoundEvent::Asking { round: 1, of: 3 },
            RoundEvent::Checked {
                round: 1,
                problems: 0
            }
        ]
    );
    assert_eq!(
        sent[0],
        [Message {
            role: "user",
            content: "PROMPT".into()
        }]
    );
    let article = &draft.document["articles"][0];
    assert_eq!(article["id"], "baku-troops");
    assert_eq!(article["language"], "ar");
    assert_eq!(article["published"], "2025-10-20");
    assert_eq!(article["text"], TEXT);
    assert!(draft.document.get("rejected").is_none());
}

#[test]
fn a_bad_predicate_and_an_invented_quote_are_sent_back_and_repaired() {
    let p = predicate_of_a_fact_property();
    let first = answer("sent_troopz_to", INVENTED_QUOTE);
    let fenced = format!("```json\n{}\n```", answer(p, GOOD_QUOTE));
    let (draft, events, sent) = run(&[first.clone(), fenced], 2);
    assert!(draft.is_clean(), "{:?}", draft.problems);
    assert_eq!(draft.rounds, 2);
    assert_eq!(
        events[1],
        RoundEvent::Checked {
            round: 1,
            problems: 2
        }
    );
    let repair = &sent[1];
    assert_eq!(repair.len(), 3);
    assert_eq!(
        repair[1],
        Message {
            role: "assistant",
            content: first
        }
    );
    let feedback = &repair[2].content;
    assert!(
        feedback.contains("articles[0].facts[0].predicate"),
        "{feedback}"
    );
    assert!(
        feedback
            .contains("articles[0].facts[0].evidence: the evidence is not in the article's text"),
        "{feedback}"
    );
    assert!(
        feedback.contains("قال الرئيس الأذربيجاني إلهام علييف"),
        "the nearest passage: {feedback}"
    );
}

#[test]
fn a_quote_never_grounded_is_set_apart_and_the_rest_is_ingestable() {
    let p = predicate_of_a_fact_property();
    let bad = answer(p, INVENTED_QUOTE);
    let (draft, _, sent) = run(&[bad.clone(), bad], 1);
    assert_eq!(sent.len(), 2);
    assert!(!draft.is_clean());
    assert!(draft.problems.is_empty(), "{:?}", draft.problems);
    assert_eq!((draft.facts(), draft.rejected()), (1, 1));
    let rejected = &draft.document["rejected"][0];
    assert_eq!(rejected["path"], "articles[0].facts[0]");
    assert_eq!(rejected["item"]["evidence"], INVENTED_QUOTE);
    assert!(rejected["problems"][0]
        .as_str()
        .unwrap()
        .contains("not in the article's text"));
    // The draft is a document ingest takes, warning of what was set apart.
    let bytes = serde_json::to_vec(&draft.document).unwrap();
    let validated = parse_document(&bytes)
        .unwrap()
        .validate(Ontology::get(), &HashSet::<String>::new())
        .unwrap();
    assert_eq!(validated.document.articles[0].facts.len(), 1);
    assert_eq!(validated.warnings[0].path.as_deref(), Some("rejected"));
}

#[test]
fn an_entity_set_apart_takes_the_facts_that_name_it_along() {
    let p = predicate_of_a_fact_property();
    let mut doc: Value = serde_json::from_str(&answer(p, GOOD_QUOTE)).unwrap();
    doc["entities"][1]["type"] = json!("Plaice");
    let (draft, _, _) = run(&[doc.to_string()], 0);
    assert_eq!((draft.facts(), draft.rejected()), (1, 2));
    let mut paths: Vec<&str> = draft.document["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    paths.sort();
    assert_eq!(paths, ["articles[0].facts[0]", "entities[1]"]);
}

#[test]
fn an_answer_that_is_not_a_document_leaves_a_problem_to_fix() {
    let (draft, events, _) = run(&["Sorry, here are the facts: ...".to_owned()], 0);
    assert_eq!(events.len(), 2);
    assert_eq!(draft.problems.len(), 1, "{:?}", draft.problems);
    assert!(draft.problems[0].message.contains("not JSON"));
    assert_eq!(draft.document["articles"][0]["text"], TEXT);
}

#[test]
fn fences_are_stripped_and_paths_name_items() {
    assert_eq!(strip_fence("```json\n{}\n```"), "{}");
    assert_eq!(strip_fence("  {\"a\": 1} "), "{\"a\": 1}");
    assert_eq!(
        Item::of("articles[0].facts[12].evidence"),
        Some(Item::Fact(12))
    );
    assert_eq!(Item::of("entities[3]"), Some(Item::Entity(3)));
    assert_eq!(
        Item::of("articles[0].entities[1].type"),
        Some(Item::ArticleEntity(1))
    );
    assert_eq!(Item::of("articles[0].title"), None);
}
