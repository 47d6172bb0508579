//! `storygraph schema`: a self-contained JSON Schema (draft 2020-12) that
//! accepts every sample file and rejects what the ingester rejects.

use crate::util::*;

fn schema() -> serde_json::Value {
    let out = TestStore::new().run(&["schema"]).ok();
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn schema_is_draft_2020_12_and_self_contained() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let text = schema.to_string();
    for (i, _) in text.match_indices("\"$ref\"") {
        let tail = &text[i..];
        assert!(
            tail.starts_with("\"$ref\":\"#"),
            "remote $ref in schema: {}",
            &tail[..60.min(tail.len())]
        );
    }
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn every_sample_and_example_story_validates() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let stories = ["caspian-detention.json", "abu-dhabi-talks.json"].map(|f| {
        root()
            .join("examples/stories")
            .join(f)
            .display()
            .to_string()
    });
    for file in sample_files().into_iter().chain(stories) {
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:#?}");
    }
}

#[test]
fn schema_rejects_what_the_ingester_rejects() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let bad = [
        doc(
            "a",
            TWO_PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "sorce": "x"}"#,
        ),
        doc(
            "a",
            TWO_PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "value": 1}"#,
        ),
        doc(
            "a",
            TWO_PEOPLE,
            r#"{"subject": "putin", "predicate": "warned"}"#,
        ),
        doc(
            "a",
            TWO_PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "certainty": "sure"}"#,
        ),
        doc("Bad Id", TWO_PEOPLE, ""),
        doc("a", TWO_PEOPLE, "").replace("\"storygraph\": 1", "\"storygraph\": 2"),
        r#"{"storygraph": 1, "articles": []}"#.to_owned(),
    ];
    for text in bad {
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(!validator.is_valid(&value), "schema accepted:\n{text}");
    }
    let good: serde_json::Value = serde_json::from_str(&doc(
        "a",
        TWO_PEOPLE,
        r#"{"subject": "putin", "predicate": "warned", "object": "aliyev"}"#,
    ))
    .unwrap();
    assert!(validator.is_valid(&good));
}
