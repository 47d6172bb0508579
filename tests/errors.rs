//! Every class of bad input: what the user sees (file, line and column or
//! JSON path, what was expected, a hint) and the exit code (2).

use crate::util::*;

/// Ingests `contents` as `name` into an empty store; returns stderr and
/// checks the exit code is 2 and the store is still empty.
fn reject(name: &str, contents: &str) -> String {
    let store = TestStore::new();
    let file = store.file(name, contents);
    let out = store.run(&["ingest", &file]).code(2);
    assert!(out.stderr.contains(name), "no file name in: {}", out.stderr);
    assert_eq!(store.stats()["facts"], 0);
    out.stderr
}

fn fact(json: &str) -> String {
    doc("a1", TWO_PEOPLE, json)
}

#[test]
fn malformed_json_names_line_and_column() {
    let err = reject(
        "broken.json",
        "{\"storygraph\": 1,\n  \"articles\": [\n    {\"id\": \"a\",}\n  ]\n}",
    );
    assert!(err.contains("broken.json: line 3, column"), "{err}");
    assert!(err.contains("expected"), "{err}");
}

#[test]
fn unknown_key_names_the_path_and_suggests() {
    let err = reject(
        "k.json",
        &fact(
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "atributed_to": "x"}"#,
        ),
    );
    assert!(
        err.contains("articles[0].facts[0].atributed_to: unknown key \"atributed_to\""),
        "{err}"
    );
    let err = reject(
        "k2.json",
        &fact(r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "sorce": "x"}"#),
    );
    assert!(err.contains("(did you mean \"source\"?)"), "{err}");
}

#[test]
fn unknown_entity_id_suggests_the_nearest() {
    let err = reject(
        "e.json",
        &fact(r#"{"subject": "putin", "predicate": "warned", "object": "aliyv"}"#),
    );
    assert!(
        err.contains("articles[0].facts[0].object: unknown entity id \"aliyv\""),
        "{err}"
    );
    assert!(err.contains("did you mean \"aliyev\"?"), "{err}");
}

#[test]
fn unknown_predicate_suggests_the_nearest() {
    let err = reject(
        "p.json",
        &fact(r#"{"subject": "putin", "predicate": "warnedd", "object": "aliyev"}"#),
    );
    assert!(
        err.contains("articles[0].facts[0].predicate: \"warnedd\" is not a fact property"),
        "{err}"
    );
    assert!(err.contains("did you mean \"warned\"?"), "{err}");
}

#[test]
fn bad_date_says_what_is_expected() {
    let err = reject(
        "d.json",
        &fact(
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "time": "2024-02-30"}"#,
        ),
    );
    assert!(
        err.contains(
            "articles[0].facts[0].time: \"2024-02-30\" has day 30, but 2024-02 has 29 days"
        ),
        "{err}"
    );
    let err = reject(
        "d2.json",
        &fact(
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "time": "last December"}"#,
        ),
    );
    assert!(
        err.contains("is not an ISO 8601 time such as 2025"),
        "{err}"
    );
}

#[test]
fn bad_slug_suggests_a_valid_one() {
    let err = reject("s.json", &doc("Bad Article", TWO_PEOPLE, ""));
    assert!(
        err.contains("articles[0].id: \"Bad Article\" is not a valid article id"),
        "{err}"
    );
    assert!(err.contains("did you mean \"bad-article\"?"), "{err}");
}

#[test]
fn duplicate_fact_id_points_at_the_first() {
    let err = reject(
        "f.json",
        &fact(
            r#"{"id": "f1", "subject": "putin", "predicate": "warned", "object": "aliyev"},
                 {"id": "f1", "subject": "aliyev", "predicate": "warned", "object": "putin"}"#,
        ),
    );
    assert!(
        err.contains("articles[0].facts[1].id: the fact id \"f1\" is used twice"),
        "{err}"
    );
    assert!(err.contains("first at articles[0].facts[0]"), "{err}");
}

#[test]
fn wrong_version_names_the_supported_one() {
    let err = reject(
        "v.json",
        &fact("").replace("\"storygraph\": 1", "\"storygraph\": 2"),
    );
    assert!(
        err.contains("format version 2; this storygraph reads format version 1"),
        "{err}"
    );
}

#[test]
fn every_problem_of_a_document_is_listed_at_once() {
    let err = reject(
        "many.json",
        &fact(
            r#"{"subject": "putn", "predicate": "warned", "object": "aliyev"},
                 {"subject": "putin", "predicate": "warned", "object": "aliyev", "certainty": "sure"}"#,
        ),
    );
    assert!(err.contains("facts[0].subject"), "{err}");
    assert!(err.contains("facts[1].certainty"), "{err}");
}

#[test]
fn unreadable_and_unknown_files_are_input_errors() {
    let store = TestStore::new();
    let out = store.run(&["ingest", "no/such/file.json"]).code(2);
    assert!(
        out.stderr.contains("cannot read no/such/file.json"),
        "{}",
        out.stderr
    );
    let file = store.file("notes.txt", "hello");
    let out = store.run(&["ingest", &file]).code(2);
    assert!(
        out.stderr.contains("unknown file type; expected .json"),
        "{}",
        out.stderr
    );
}

#[test]
fn sparql_syntax_errors_show_the_position() {
    let store = TestStore::new();
    let out = store
        .run(&["query", "SELECT ?x WHERE {\n  ?x ?y\n}"])
        .code(2);
    assert!(
        out.stderr
            .contains("SPARQL syntax error at line 3, column "),
        "{}",
        out.stderr
    );
    let out = store.run(&["update", "INSERT DATA { <a> }"]).code(2);
    assert!(out.stderr.contains("SPARQL syntax error"), "{}", out.stderr);
}

#[test]
fn a_locked_store_says_so_and_how_to_fix_it() {
    let store = TestStore::new();
    let _held = storygraph::store::GraphStore::open(&store.store_dir()).unwrap();
    let out = store.run(&["stats"]).code(1);
    assert!(
        out.stderr.contains("another process is using it"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--store DIR"), "{}", out.stderr);
}

#[test]
fn a_graph_format_for_a_select_is_a_usage_error() {
    let store = TestStore::new();
    let out = store
        .run(&["query", "--format", "turtle", "SELECT * WHERE { ?s ?p ?o }"])
        .code(2);
    assert!(
        out.stderr
            .contains("--format turtle writes graphs, but this query returns solutions"),
        "{}",
        out.stderr
    );
}
