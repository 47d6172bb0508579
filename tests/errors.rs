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
fn sparql_errors_name_the_slip_not_the_grammar() {
    let store = TestStore::with_sample();
    // A misspelt keyword: named, the nearest keyword offered, the caret on it.
    let out = store.run(&["query", "SELEC * WHERE { ?s ?p ?o }"]).code(2);
    assert!(!out.stderr.contains("CONSTRUCT"), "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "line 1, column 1: \"SELEC\" is not a SPARQL keyword; did you mean SELECT?\n  SELEC * WHERE { ?s ?p ?o }\n  ^\n"
        ),
        "{}",
        out.stderr
    );
    let out = store
        .run(&["query", "SELECT * WHERE { ?s ?p ?o }\nORDR BY ?s"])
        .code(2);
    assert!(
        out.stderr
            .contains("line 2, column 1: \"ORDR\" is not a SPARQL keyword; did you mean ORDER?"),
        "{}",
        out.stderr
    );
    // An unclosed string or bracket: where it opened.
    let out = store
        .run(&["query", "SELECT * WHERE { ?s ?p ?o FILTER(?o = \"a) }"])
        .code(2);
    assert!(
        out.stderr
            .contains("column 39: this string is never closed"),
        "{}",
        out.stderr
    );
    let out = store.run(&["update", "INSERT DATA { <a> <b> <c> "]).code(2);
    assert!(
        out.stderr.contains("column 13: this \"{\" is never closed"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_unknown_sg_term_in_a_query_gets_a_did_you_mean() {
    let store = TestStore::with_sample();
    let out = store
        .run(&["query", "SELECT ?s WHERE { ?s sg:memberof ?o }"])
        .code(1);
    assert!(
        out.stderr.contains(
            "warning: sg:memberof (line 1, column 22) is no term of the ontology or the store; did you mean sg:memberOf?"
        ),
        "{}",
        out.stderr
    );
    // Known terms, declared or built in, and other namespaces are quiet.
    let out = store
        .run(&[
            "query",
            "SELECT ?s WHERE { ?s sg:memberOf ?o ; a sg:Person ; skos:prefLabel ?l }",
        ])
        .ok();
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
    // In the shell too.
    let out = store
        .run_with_stdin(&["shell"], Some("SELECT ?s { ?s a sg:Persn };\n"))
        .ok();
    assert!(
        out.stderr.contains("did you mean sg:Person?"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_locked_store_says_so_and_how_to_fix_it() {
    let store = TestStore::new();
    let held = storygraph::store::GraphStore::open(&store.store_dir()).unwrap();
    // A writer holds it: readers and writers are told so.
    for command in [&["stats"][..], &["ingest", "-"]] {
        let out = store.run(command).code(1);
        assert!(
            out.stderr
                .contains("another storygraph process is writing to it"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("--store DIR"), "{}", out.stderr);
    }
    drop(held);
    // Readers share it; a writer waits until they are gone.
    let reader = storygraph::store::GraphStore::open_read_only(&store.store_dir()).unwrap();
    store.run(&["stats"]).ok();
    store.run(&["path", "putin", "aliyev"]).code(2);
    let out = store.run(&["ingest", "-"]).code(1);
    assert!(
        out.stderr
            .contains("another storygraph process is reading it"),
        "{}",
        out.stderr
    );
    drop(reader);
}

#[test]
fn read_commands_never_create_a_store_and_foreign_directories_are_left_alone() {
    let store = TestStore::new();
    // A mistyped store path: an error naming the fix, and nothing created.
    for command in [
        &["stats"][..],
        &["query", "ASK { ?s ?p ?o }"],
        &["path", "a", "b"],
        &["dump"],
        &["export", "--format", "dot"],
    ] {
        let out = store.run(command).code(2);
        assert!(
            out.stderr.contains("there is no store at")
                && out
                    .stderr
                    .contains("`storygraph ingest FILE...` creates it"),
            "{command:?}: {}",
            out.stderr
        );
        assert!(!store.store_dir().exists(), "{command:?} created the store");
    }
    // A directory of someone else's files, one called IDENTITY and one LOG.
    std::fs::create_dir_all(store.store_dir()).unwrap();
    let theirs = [("IDENTITY", "my identity notes"), ("LOG", "my diary")];
    for (name, text) in theirs {
        std::fs::write(store.store_dir().join(name), text).unwrap();
    }
    let data = crate::util::sample_files();
    for command in [
        vec!["stats"],
        [vec!["ingest"], data.iter().map(String::as_str).collect()].concat(),
    ] {
        let out = store.run(&command).code(2);
        assert!(
            out.stderr
                .contains("is not a storygraph store: it holds other files (IDENTITY, LOG)"),
            "{command:?}: {}",
            out.stderr
        );
    }
    for (name, text) in theirs {
        assert_eq!(
            std::fs::read_to_string(store.store_dir().join(name)).unwrap(),
            text
        );
    }
    assert_eq!(std::fs::read_dir(store.store_dir()).unwrap().count(), 2);
    // A file where the store should be.
    let file = store.file("a-file", "text");
    let out = crate::util::run_binary(std::path::Path::new(&file), &["stats"], None).code(2);
    assert!(
        out.stderr.contains("is a file, not a store directory"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_killed_bulk_load_s_files_are_cleaned_at_the_next_write() {
    let store = TestStore::with_sample();
    // A bulk load's file, and a projection snapshot's and image's
    // temporary files, as killed processes leave them.
    let leftovers = [
        "bulk-1234.sst",
        "storygraph-projection.snapshot.1234-5678.tmp",
        "storygraph-projection.image.1234-5678.tmp",
    ]
    .map(|name| store.store_dir().join(name));
    for leftover in &leftovers {
        std::fs::write(leftover, vec![0u8; 4096]).unwrap();
    }
    // A reader leaves them (it writes nothing); the next writer removes them.
    store.run(&["stats"]).ok();
    assert!(leftovers.iter().all(|l| l.exists()));
    store.run(&["remove", "no-such-article"]).code(2);
    assert!(leftovers.iter().all(|l| !l.exists()));
    // The snapshot and image themselves are not leftovers.
    store.run(&["path", "aliyev", "putin"]).ok();
    let kept = [
        "storygraph-projection.snapshot",
        "storygraph-projection.image",
    ];
    store.run(&["remove", "no-such-article"]).code(2);
    assert!(kept.iter().all(|k| store.store_dir().join(k).exists()));
    // The data are all there.
    assert_eq!(store.stats()["articles"], 3);
}

#[test]
fn an_empty_query_says_that_no_query_was_given() {
    let store = TestStore::with_sample();
    let out = store.run_with_stdin(&["query"], Some("")).code(2);
    assert_eq!(
        out.stderr,
        "error: no query given: stdin was empty; pass it as an argument, with -f FILE, or on stdin\n"
    );
}

#[test]
fn a_graph_format_for_a_select_is_a_usage_error() {
    let store = TestStore::with_sample();
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

#[test]
fn the_checks_an_analyst_hit_are_errors_with_line_column_and_path() {
    let store = TestStore::new();
    let file = store.file(
        "checks.json",
        r#"{"storygraph": 1, "entities": [{"id": "x", "type": "Event"}, {"id": "y", "type": "Person"}],
 "articles": [{"id": "checks", "title": "T", "language": "Arabic", "published": "2025-10-19", "facts": [
   {"subject": "x", "predicate": "casualties", "value": "many"},
   {"subject": "x", "predicate": "casualties", "object": "y"},
   {"subject": "y", "predicate": "warned", "value": "x"},
   {"subject": "y", "predicate": "visits", "object": "x", "time": "01/07/2025"}
 ]}]}"#,
    );
    let out = store.run(&["ingest", &file]).code(2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    let expected = [
        "line 2, column 58, articles[0].language: \"Arabic\" is not a language tag; expected a BCP 47 tag such as \"en\", \"ar\" or \"az-Latn\" (did you mean \"ar\"?)",
        "line 3, column 57, articles[0].facts[0].value: \"casualties\" takes an integer such as 12, not the text \"many\"",
        "line 4, column 58, articles[0].facts[1].object: \"casualties\" takes a value: expected \"value\" with a literal, not \"object\"",
        "line 5, column 53, articles[0].facts[2].value: \"warned\" takes an entity: expected \"object\" with an entity id, not \"value\"",
        "line 6, column 67, articles[0].facts[3].time: \"01/07/2025\" is not an ISO 8601 time",
    ];
    for (line, want) in lines.iter().zip(expected) {
        assert!(
            line.contains(want),
            "{line}\nwanted: {want}\n{}",
            out.stderr
        );
    }
    assert_eq!(lines.len(), expected.len() + 1, "{}", out.stderr);
}

#[test]
fn a_fact_dated_after_its_article_is_a_warning_and_open_intervals_are_fine() {
    let store = TestStore::new();
    let file = store.file(
        "dates.json",
        &doc(
            "dates",
            TWO_PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "time": "2026-03"},
               {"subject": "putin", "predicate": "presidentOf", "object": "aliyev", "time": "2012/.."},
               {"subject": "aliyev", "predicate": "warned", "object": "putin", "time": "../2019"},
               {"subject": "aliyev", "predicate": "visits", "object": "putin", "time": "2027", "certainty": "speculated"}"#,
        ),
    );
    let out = store.run(&["ingest", &file]).ok();
    let warnings: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(
        warnings.len(),
        1,
        "a plan (speculated) is no typo: {}",
        out.stderr
    );
    assert!(
        warnings[0].contains("articles[0].facts[0].time: the fact's time 2026-03 starts after the article was published (2025-10-19)"),
        "{}",
        warnings[0]
    );
    let timeline = store.run(&["timeline", "putin"]).ok().stdout;
    assert!(timeline.contains("../2019"), "{timeline}");
    assert!(timeline.contains("2012/.."), "{timeline}");
    // --since and --until see open intervals reach to the calendar's ends.
    let out = store
        .run(&["timeline", "putin", "--since", "2030"])
        .ok()
        .stdout;
    assert!(out.contains("2012/..") && !out.contains("../2019"), "{out}");
}

#[test]
fn a_thousand_warnings_are_listed_and_the_rest_counted() {
    // Every fact dated after its article: 1,005 warnings, of which the
    // first 1,000 are listed and the others counted, not kept in memory.
    let store = TestStore::new();
    let facts: Vec<String> = (0..1005)
        .map(|i| format!(r#"{{"id": "f{i}", "subject": "putin", "predicate": "warned", "object": "aliyev", "time": "2026-03"}}"#))
        .collect();
    let file = store.file("late.json", &doc("late", TWO_PEOPLE, &facts.join(",")));
    let out = store.run(&["ingest", &file]).ok();
    let listed = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .count();
    assert_eq!(listed, 1000, "{}", &out.stderr[out.stderr.len() - 500..]);
    assert!(
        out.stderr
            .contains("... and 5 more warnings (the first 1000 are listed above)"),
        "{}",
        &out.stderr[out.stderr.len() - 500..]
    );
    assert!(out.stderr.contains("1005 facts"), "{}", out.stderr);
}
