//! Ingest end to end: counts, re-ingest, merges, streams, RDF files, and
//! atomicity, on the sample stories and on documents the tests write.

use std::collections::{BTreeMap, BTreeSet};

use crate::util::*;

/// Counts computed from the sample files themselves, so the test follows the
/// data: articles, facts, facts per certainty, negated facts, entity ids.
fn expected_sample_counts() -> (usize, usize, BTreeMap<String, usize>, BTreeSet<String>) {
    let (mut articles, mut facts) = (0, 0);
    let mut by_certainty = BTreeMap::new();
    let mut entities = BTreeSet::new();
    for file in sample_files() {
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        for e in doc["entities"].as_array().unwrap() {
            entities.insert(e["id"].as_str().unwrap().to_owned());
        }
        for a in doc["articles"].as_array().unwrap() {
            articles += 1;
            for f in a["facts"].as_array().unwrap() {
                facts += 1;
                let c = f["certainty"].as_str().unwrap_or("reported").to_owned();
                *by_certainty.entry(c).or_insert(0) += 1;
            }
        }
    }
    (articles, facts, by_certainty, entities)
}

#[test]
fn sample_stories_ingest_with_the_counts_of_the_files() {
    let store = TestStore::new();
    let out = store.ingest(&sample_files()).ok();
    let (articles, facts, by_certainty, entities) = expected_sample_counts();
    assert!(
        out.stderr
            .contains(&format!("ingested {articles} articles, {facts} facts")),
        "{}",
        out.stderr
    );
    let stats = store.stats();
    assert_eq!(stats["articles"], articles);
    assert_eq!(stats["facts"], facts);
    assert_eq!(stats["entities"], entities.len());
    for (certainty, n) in by_certainty {
        assert_eq!(stats["facts_by_certainty"][&certainty], n, "{certainty}");
    }
    // One graph per article plus the ontology.
    assert_eq!(stats["named_graphs"], articles + 1);
    assert!(stats["triples"].as_u64().unwrap() > 1000);
}

#[test]
fn ingesting_the_same_files_twice_leaves_exactly_the_same_store() {
    let store = TestStore::with_sample();
    let first = store.run(&["dump", "--format", "nquads"]).ok().stdout;
    store.ingest(&sample_files()).ok();
    let second = store.run(&["dump", "--format", "nquads"]).ok().stdout;
    assert_eq!(first.lines().count(), second.lines().count());
    assert!(first == second, "the store changed on re-ingest");
}

#[test]
fn reingesting_an_article_replaces_its_facts() {
    let store = TestStore::new();
    let v1 = store.file(
        "v1.json",
        &doc(
            "a1",
            TWO_PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev"}"#,
        ),
    );
    store.run(&["ingest", &v1]).ok();
    let v2 = store.file(
        "v2.json",
        &doc(
            "a1",
            TWO_PEOPLE,
            r#"{"subject": "aliyev", "predicate": "contacted", "object": "putin"}"#,
        ),
    );
    store.run(&["ingest", &v2]).ok();
    assert_eq!(
        store
            .tsv("SELECT ?s WHERE { ?s sg:warned ?o }")
            .lines()
            .count(),
        1,
        "stale fact"
    );
    assert_eq!(store.stats()["facts"], 1);
}

#[test]
fn negated_facts_are_statements_but_never_direct_triples() {
    let store = TestStore::new();
    let file = store.file("n.json", &doc("a1", TWO_PEOPLE, r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "negated": true, "certainty": "confirmed"}"#));
    store.run(&["ingest", &file]).ok();
    store
        .run(&["query", "ASK { ent:putin sg:warned ent:aliyev }"])
        .code(1);
    store
        .run(&[
            "query",
            "ASK { ?s rdf:reifies <<( ent:putin sg:warned ent:aliyev )>> ; sg:negated true }",
        ])
        .ok();
    assert_eq!(store.stats()["negated_facts"], 1);
}

#[test]
fn same_as_merges_entities_across_two_files() {
    let store = TestStore::new();
    let a = store.file(
        "a.json",
        &doc(
            "a1",
            TWO_PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev"}"#,
        ),
    );
    let b = store.file(
        "b.json",
        &doc(
            "b1",
            r#"{"id": "vladimir-putin", "type": "Person", "name": {"en": "V. V. Putin"}, "same_as": ["http://www.wikidata.org/entity/Q7747"]},
               {"id": "russia", "type": "Country"}"#,
            r#"{"subject": "vladimir-putin", "predicate": "presidentOf", "object": "russia"}"#,
        ),
    );
    store.run(&["ingest", &a, &b]).ok();
    let people = store.tsv("SELECT DISTINCT ?p WHERE { ?p owl:sameAs wd:Q7747 }");
    assert_eq!(people.lines().count(), 2, "one entity expected:\n{people}");
    // Both ids name it; its facts from both files meet on one node.
    store.run(&["query", "ASK { ?p sg:entityId 'putin', 'vladimir-putin' ; sg:warned ent:aliyev ; sg:presidentOf ent:russia }"]).ok();
    let labels =
        store.tsv("SELECT ?l WHERE { ent:putin skos:prefLabel ?l FILTER(lang(?l) = 'en') }");
    assert_eq!(
        labels.lines().count(),
        2,
        "one preferred English label:\n{labels}"
    );
}

#[test]
fn a_bad_file_leaves_the_counts_unchanged() {
    let store = TestStore::with_sample();
    let before = store.stats();
    let good = store.file(
        "good.json",
        &doc(
            "new-article",
            TWO_PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev"}"#,
        ),
    );
    let bad = store.file(
        "bad.json",
        &doc(
            "zaman-2025-10-19-azerbaijan-coup",
            TWO_PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "nobody"}"#,
        ),
    );
    let out = store.run(&["ingest", &good, &bad]).code(2);
    assert!(out.stderr.contains("nothing was written"), "{}", out.stderr);
    assert_eq!(store.stats(), before);
    // The old version of the article the bad file tried to replace is whole.
    store
        .run(&[
            "query",
            "ASK { GRAPH art:zaman-2025-10-19-azerbaijan-coup { ent:putin sg:warned ent:aliyev } }",
        ])
        .ok();
}

#[test]
fn jsonl_keeps_good_lines_before_a_bad_one_and_can_skip() {
    let store = TestStore::new();
    let line = |article: &str, object: &str| {
        doc(
            article,
            TWO_PEOPLE,
            &format!(r#"{{"subject": "putin", "predicate": "warned", "object": "{object}"}}"#),
        )
        .replace('\n', " ")
    };
    let text = format!(
        "{}\n\n{}\n{}\n",
        line("l1", "aliyev"),
        line("l3", "nobody"),
        line("l4", "aliyev")
    );
    let file = store.file("s.jsonl", &text);
    let out = store.run(&["ingest", &file]).code(2);
    assert!(out.stderr.contains("s.jsonl: line 3"), "{}", out.stderr);
    assert!(
        out.stderr.contains("the article before it is ingested"),
        "{}",
        out.stderr
    );
    assert_eq!(store.stats()["articles"], 1);

    let out = store.run(&["ingest", "--on-error", "skip", &file]).code(2);
    assert!(out.stderr.contains("skipped: "), "{}", out.stderr);
    assert_eq!(store.stats()["articles"], 2);
}

#[test]
fn stdin_takes_a_stream_of_documents() {
    let store = TestStore::new();
    let stream = format!(
        "{}\n{}",
        doc(
            "s1",
            TWO_PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev"}"#
        ),
        doc(
            "s2",
            TWO_PEOPLE,
            r#"{"subject": "aliyev", "predicate": "contacted", "object": "putin"}"#
        )
    );
    store.run_with_stdin(&["ingest", "-"], Some(&stream)).ok();
    assert_eq!(store.stats()["articles"], 2);
}

#[test]
fn rdf_files_load_as_background_knowledge() {
    let store = TestStore::with_sample();
    let ttl = store.file(
        "extra.ttl",
        "@prefix sg: <https://w3id.org/storygraph/ontology#> .\n@prefix ent: <https://w3id.org/storygraph/entity/> .\nent:azerbaijan sg:memberOf ent:united-nations .\n",
    );
    store.run(&["ingest", &ttl]).ok();
    store
        .run(&[
            "query",
            "ASK { ent:azerbaijan sg:memberOf ent:united-nations }",
        ])
        .ok();
    let broken = store.file("broken.ttl", "<a> <b> .\n");
    let out = store.run(&["ingest", &broken]).code(2);
    assert!(out.stderr.contains("broken.ttl"), "{}", out.stderr);
}

#[test]
fn arabic_labels_and_evidence_survive_byte_for_byte() {
    let store = TestStore::with_sample();
    let source = std::fs::read_to_string(root().join("data/zaman-azerbaijan-coup.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&source).unwrap();
    let evidence = doc["articles"][0]["facts"][0]["evidence"].as_str().unwrap();
    let out = store
        .run(&[
            "query",
            "--format",
            "json",
            "SELECT ?e WHERE { ?s sg:factId 'ng-claims-coup-attempt' ; sg:evidence ?e }",
        ])
        .ok();
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let binding = &json["results"]["bindings"][0]["e"];
    assert_eq!(
        binding["value"].as_str().unwrap().as_bytes(),
        evidence.as_bytes()
    );
    assert_eq!(binding["xml:lang"], "ar");
    let dump = store.run(&["dump"]).ok().stdout;
    assert!(
        dump.contains("\"رامز مختييف\"@ar"),
        "Arabic label missing from the dump"
    );
}

#[test]
fn memory_store_checks_files_without_touching_any_store() {
    let store = TestStore::new();
    let mut args = vec!["--memory".to_owned(), "ingest".to_owned()];
    args.extend(sample_files());
    let out = store
        .run(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .ok();
    assert!(
        out.stderr.contains("throwaway in-memory store"),
        "{}",
        out.stderr
    );
    assert!(!store.store_dir().exists());
}

#[test]
fn a_long_ingest_on_a_terminal_shows_a_progress_bar_and_clears_it() {
    let store = TestStore::new();
    let file = corpus(&store, 40, 50);
    let data_home = tempfile::tempdir().unwrap();
    // The bar waits a second before it shows; the test does not wait.
    let mut pty = crate::util::pty::Pty::spawn_with_env(
        &store.store_dir(),
        data_home.path(),
        &["ingest", &file],
        &[("STORYGRAPH_PROGRESS_DELAY_MS", "0")],
    );
    pty.expect("%");
    pty.expect("facts, ");
    let summary = pty.expect("into ");
    assert!(
        summary.contains("ingested 40 articles, 2000 facts"),
        "{summary}"
    );
    assert!(pty.wait().success());
}

#[test]
fn a_pipe_gets_no_progress_bar_only_the_summary() {
    let store = TestStore::new();
    let file = corpus(&store, 40, 50);
    let out = run_binary_with_env(
        &store.store_dir(),
        &["ingest", &file],
        &[("STORYGRAPH_PROGRESS_DELAY_MS", "0")],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    assert!(
        lines[0].starts_with("ingested 40 articles, 2000 facts"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_summary_and_stats_count_triples_alike_and_logs_do_not_pile_up() {
    let store = TestStore::new();
    let out = store.ingest(&sample_files()).ok();
    let written = triples_written(&out.stderr);
    // Into an empty store: everything but the ontology graph was written.
    let stats = store.stats();
    assert_eq!(
        stats["triples"].as_u64().unwrap() as usize,
        written + stats["ontology_triples"].as_u64().unwrap() as usize,
        "{stats:#}"
    );
    // Every command opens the store; RocksDB's info logs stay few.
    for _ in 0..6 {
        store.run(&["stats"]).ok();
    }
    let logs = std::fs::read_dir(store.store_dir())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("LOG")
        })
        .count();
    assert!(logs <= 3, "{logs} info logs");
}

/// An article of more facts than are mapped at once (20,000) is mapped
/// for its digest, then written a slice at a time: whole, counted as the
/// store counts it, unchanged when ingested again, and in the projection
/// snapshot the write extends just as in one rebuilt from the store.
#[test]
fn an_article_of_25_000_facts_is_written_a_slice_at_a_time() {
    let store = TestStore::with_sample();
    // The snapshot a later write extends.
    store.run(&["neighbors", "putin"]).ok();
    let before = store.stats()["triples"].as_u64().unwrap() as usize;
    let entities: Vec<String> = (0..50)
        .map(|e| format!(r#"{{"id": "p{e}", "type": "Person", "name": {{"en": "Person {e}"}}}}"#))
        .collect();
    let facts: Vec<String> = (0..25_000)
        .map(|f| {
            let (a, b) = (f % 50, (f * 7 + 1) % 50);
            let negated = f % 11 == 0;
            format!(
                r#"{{"subject": "p{a}", "predicate": "metWith", "object": "p{b}", "negated": {negated}, "evidence": "fact {f}"}}"#
            )
        })
        .collect();
    let big = store.file(
        "big.json",
        &doc("big", &entities.join(", "), &facts.join(", ")),
    );
    let out = store.ingest(std::slice::from_ref(&big)).ok();
    assert!(out.stderr.contains("25000 facts"), "{}", out.stderr);
    let written = triples_written(&out.stderr);
    assert_eq!(
        store.stats()["triples"].as_u64().unwrap() as usize,
        before + written
    );
    let statements = store
        .run(&[
            "query",
            "--format",
            "csv",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH art:big { ?s a sg:Statement } }",
        ])
        .ok();
    assert_eq!(statements.stdout.lines().nth(1), Some("25000"));
    let again = store.ingest(&[big]).ok();
    assert!(again.stderr.contains("1 unchanged"), "{}", again.stderr);

    let neighbors = |store_dir: &std::path::Path| {
        run_binary(store_dir, &["neighbors", "p0", "--format", "json"], None)
            .ok()
            .stdout
    };
    let from_snapshot = neighbors(&store.store_dir());
    let rebuilt = store.store_dir().with_file_name("rebuilt");
    copy_dir(&store.store_dir(), &rebuilt);
    std::fs::remove_file(rebuilt.join("storygraph-projection.snapshot")).unwrap();
    assert_eq!(from_snapshot, neighbors(&rebuilt));
    assert!(from_snapshot.contains("fact 0"), "{from_snapshot}");
}

/// The "N triples written" of an ingest's summary.
fn triples_written(summary: &str) -> usize {
    summary
        .split(" triples written")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{summary}"))
}

/// The articles of a stream go to the bulk loader together: each of its
/// calls ends a batch of SST files (one per index), and a call per article
/// once made thousands of files ("Too many open files" at 100,000 facts).
#[test]
fn a_stream_of_many_small_articles_makes_few_store_files() {
    let store = TestStore::new();
    let corpus = corpus(&store, 2_000, 3);
    store.ingest(&[corpus]).ok();
    let files = std::fs::read_dir(store.store_dir())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sst")
        })
        .count();
    assert!(files < 100, "{files} SST files for 2,000 small articles");
}
