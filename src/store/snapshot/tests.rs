//! The snapshot's promise: whatever mix of full snapshots and deltas it
//! reads, the records equal a full read of the store's quads, and a stale
//! or damaged file is never used.

use std::path::Path;

use crate::store::tests::{doc, ingest_text, PEOPLE};
use crate::store::GraphStore;

fn full_read(store: &GraphStore) -> super::ProjectionRecords {
    store
        .read_projection_records(&crate::deadline::CancellationToken::new())
        .unwrap()
}

fn delta_len(dir: &Path) -> u64 {
    std::fs::metadata(dir.join(super::DELTA_FILE)).map_or(0, |m| m.len())
}

/// A base big enough that small deltas are not folded into it at once:
/// 60 statements of one article; returns their facts.
fn ingest_base(store: &GraphStore) -> Vec<String> {
    let many: Vec<String> = (0..60)
        .map(|i| format!(r#"{{"id": "w{i}", "subject": "putin", "predicate": "warned", "object": "aliyev", "evidence": "a long enough sentence of evidence, number {i}"}}"#))
        .collect();
    ingest_text(store, "a.json", &doc("a1", PEOPLE, &many.join(","))).unwrap();
    many
}

#[test]
fn the_projection_snapshot_is_used_only_while_the_store_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let store = GraphStore::open(dir.path()).unwrap();
    let warned = r#"{"id": "f", "subject": "putin", "predicate": "warned", "object": "aliyev", "certainty": "claimed", "evidence": "«حذّر»", "time": "2025-10"}"#;
    ingest_text(&store, "a.json", &doc("a1", PEOPLE, warned)).unwrap();
    let first = store.projection_records().unwrap();
    let snapshot = dir.path().join("storygraph-projection.snapshot");
    assert!(snapshot.exists());
    // Read back from the snapshot: the same records as from the quads.
    assert_eq!(store.projection_records().unwrap(), first);
    assert_eq!(
        store
            .read_projection_records(&crate::deadline::CancellationToken::new())
            .unwrap(),
        first
    );
    assert_eq!(first.statements.len(), 1);
    assert_eq!(first.statements[0].evidence.as_deref(), Some("«حذّر»"));

    // The same file again writes nothing and keeps the snapshot current.
    let before = std::fs::read_to_string(dir.path().join("storygraph-generation")).unwrap();
    ingest_text(&store, "a.json", &doc("a1", PEOPLE, warned)).unwrap();
    let after = std::fs::read_to_string(dir.path().join("storygraph-generation")).unwrap();
    assert_eq!(before, after);

    // A write makes the snapshot stale: the new statement is seen.
    let met = r#"{"id": "g", "subject": "aliyev", "predicate": "metWith", "object": "putin"}"#;
    ingest_text(&store, "b.json", &doc("b1", PEOPLE, met)).unwrap();
    assert_eq!(store.projection_records().unwrap().statements.len(), 2);
    store
        .update(
            "DELETE WHERE { GRAPH art:b1 { ?s ?p ?o } }",
            &crate::store::QueryOptions::default(),
        )
        .unwrap();
    assert_eq!(store.projection_records().unwrap().statements.len(), 1);

    // A damaged snapshot is read from the quads instead.
    std::fs::write(&snapshot, b"SGSNAP02garbage").unwrap();
    assert_eq!(store.projection_records().unwrap().statements.len(), 1);
}

#[test]
fn ingests_extend_the_snapshot_by_deltas_that_read_back_as_the_quads() {
    let dir = tempfile::tempdir().unwrap();
    let store = GraphStore::open(dir.path()).unwrap();
    let many = ingest_base(&store);
    assert_eq!(store.projection_records().unwrap().statements.len(), 60);
    let base = std::fs::read(dir.path().join(super::SNAPSHOT_FILE)).unwrap();

    // A new article, a new entity with an Arabic name, then a replaced
    // article: each appends a delta, the base stays as it was.
    let met = r#"{"id": "g", "subject": "aliyev", "predicate": "metWith", "object": "putin", "time": "2025-10"}"#;
    ingest_text(&store, "b.json", &doc("b1", PEOPLE, met)).unwrap();
    let hikmet = r#"{"id": "hajiyev", "type": "Person", "name": {"en": "Hikmet Hajiyev", "ar": "حكمت حاجييف"}}"#;
    let advised =
        r#"{"id": "h", "subject": "hajiyev", "predicate": "informed", "object": "aliyev"}"#;
    ingest_text(
        &store,
        "c.json",
        &doc("c1", &format!("{PEOPLE}, {hikmet}"), advised),
    )
    .unwrap();
    let fewer = many[..10].join(",");
    ingest_text(&store, "a.json", &doc("a1", PEOPLE, &fewer)).unwrap();
    assert!(delta_len(dir.path()) > 0);
    assert_eq!(
        std::fs::read(dir.path().join(super::SNAPSHOT_FILE)).unwrap(),
        base
    );

    let records = store.projection_records().unwrap();
    assert_eq!(records, full_read(&store));
    assert_eq!(records.statements.len(), 12);
    assert!(records
        .entities
        .iter()
        .any(|e| e.labels.iter().any(|(_, text, _)| text == "حكمت حاجييف")));

    // Deltas grown past a quarter of the base are folded into a new one.
    for i in 0..8 {
        let fact = format!(
            r#"{{"id": "m{i}", "subject": "aliyev", "predicate": "metWith", "object": "putin", "evidence": "{}"}}"#,
            "x".repeat(400)
        );
        ingest_text(
            &store,
            &format!("m{i}.json"),
            &doc(&format!("m{i}"), PEOPLE, &fact),
        )
        .unwrap();
    }
    let records = store.projection_records().unwrap();
    assert_eq!(records, full_read(&store));
    assert_eq!(delta_len(dir.path()), 0, "folded into the base");
    assert_eq!(store.projection_records().unwrap(), records);
}

#[test]
fn a_broken_chain_of_deltas_is_never_used() {
    let dir = tempfile::tempdir().unwrap();
    let store = GraphStore::open(dir.path()).unwrap();
    let warned = r#"{"id": "f", "subject": "putin", "predicate": "warned", "object": "aliyev"}"#;
    ingest_text(&store, "a.json", &doc("a1", PEOPLE, warned)).unwrap();
    store.projection_records().unwrap();
    let met = r#"{"id": "g", "subject": "aliyev", "predicate": "metWith", "object": "putin"}"#;
    ingest_text(&store, "b.json", &doc("b1", PEOPLE, met)).unwrap();
    // A torn last delta (a crash while appending): the chain stops short
    // of the store's generation, so the quads are read instead.
    let path = dir.path().join(super::DELTA_FILE);
    let log = std::fs::read(&path).unwrap();
    std::fs::write(&path, &log[..log.len() - 3]).unwrap();
    assert_eq!(store.projection_records().unwrap().statements.len(), 2);
    assert_eq!(store.projection_records().unwrap(), full_read(&store));
    // A write the snapshot cannot follow (SPARQL update) breaks the chain
    // for good: later ingests add no delta until a reader rebuilds.
    store
        .update(
            "DELETE WHERE { GRAPH art:b1 { ?s ?p ?o } }",
            &crate::store::QueryOptions::default(),
        )
        .unwrap();
    let more = r#"{"id": "h", "subject": "putin", "predicate": "metWith", "object": "aliyev"}"#;
    ingest_text(&store, "c.json", &doc("c1", PEOPLE, more)).unwrap();
    let records = store.projection_records().unwrap();
    assert_eq!(records, full_read(&store));
    assert_eq!(records.statements.len(), 2);
}

#[test]
fn a_streamed_load_extends_the_snapshot_by_one_delta_at_its_commit() {
    use crate::ingest::{ingest, IngestOptions, InputSource};
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    let store = GraphStore::open(&store_dir).unwrap();
    ingest_base(&store);
    store.projection_records().unwrap();
    let base = std::fs::read(store_dir.join(super::SNAPSHOT_FILE)).unwrap();

    let hikmet = r#"{"id": "hajiyev", "type": "Person", "name": {"en": "Hikmet Hajiyev", "ar": "حكمت حاجييف"}}"#;
    let lines = [
        doc("b1", PEOPLE, r#"{"id": "g", "subject": "aliyev", "predicate": "metWith", "object": "putin", "time": "2025-10"}"#),
        doc("b2", hikmet, r#"{"id": "h", "subject": "hajiyev", "predicate": "informed", "object": "aliyev"}"#),
    ]
    .map(|d| d.replace('\n', " "));
    let path = dir.path().join("b.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let options = IngestOptions {
        batch_facts: Some(1),
        ..IngestOptions::default()
    };
    ingest(&store, &[InputSource::Path(path)], options).unwrap();

    assert_eq!(
        std::fs::read(store_dir.join(super::SNAPSHOT_FILE)).unwrap(),
        base
    );
    assert!(delta_len(&store_dir) > 0);
    let chained =
        super::read_chain(&store_dir, &super::read_generation(&store_dir).unwrap()).unwrap();
    assert_eq!(chained, full_read(&store));
    assert_eq!(chained.statements.len(), 62);
    assert!(chained
        .entities
        .iter()
        .any(|e| e.labels.iter().any(|(_, text, _)| text == "حكمت حاجييف")));
}

#[test]
fn a_removal_extends_the_snapshot_by_a_delta_that_reads_back_as_the_quads() {
    let dir = tempfile::tempdir().unwrap();
    let store = GraphStore::open(dir.path()).unwrap();
    ingest_base(&store);
    let only_here =
        r#"{"id": "witness", "type": "Person", "name": {"en": "A witness", "ar": "شاهد"}}"#;
    let met = r#"{"id": "m", "subject": "witness", "predicate": "metWith", "object": "putin"}"#;
    ingest_text(
        &store,
        "b.json",
        &doc("b1", &format!("{PEOPLE}, {only_here}"), met),
    )
    .unwrap();
    let before = store.projection_records().unwrap();
    assert!(before.entities.iter().any(|e| e.iri.ends_with("/witness")));
    let base = std::fs::read(dir.path().join(super::SNAPSHOT_FILE)).unwrap();
    let report = store.remove_articles(&["b1".to_owned()]).unwrap();
    // The witness went with the article; Putin, declared by a1 too, stayed.
    assert_eq!(report.entities.len(), 1, "{report:?}");
    assert!(report.entities[0].ends_with("/witness"));
    let after = store.projection_records().unwrap();
    assert_eq!(
        std::fs::read(dir.path().join(super::SNAPSHOT_FILE)).unwrap(),
        base,
        "a removal appends a delta; the base stays"
    );
    assert!(delta_len(dir.path()) > 0);
    assert_eq!(after, full_read(&store));
    assert!(after.articles.iter().all(|a| a.id != "b1"));
    assert!(!after.entities.iter().any(|e| e.iri.ends_with("/witness")));
    assert_eq!(after.statements.len(), 60);
}

#[test]
fn the_first_ingest_into_a_new_store_leaves_a_current_snapshot() {
    use crate::ingest::{ingest, IngestOptions, InputSource};
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    let store = GraphStore::open(&store_dir).unwrap();
    // A stream (one bulk load) into the new store: no reader came before,
    // yet the next one finds records that need no read of the quads.
    let lines: Vec<String> = (0..3)
        .map(|i| {
            doc(&format!("s{i}"), PEOPLE, &format!(r#"{{"id": "f{i}", "subject": "putin", "predicate": "warned", "object": "aliyev", "evidence": "sentence {i}"}}"#))
                .replace('\n', " ")
        })
        .collect();
    let path = dir.path().join("s.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    ingest(&store, &[InputSource::Path(path)], IngestOptions::default()).unwrap();
    let generation = super::read_generation(&store_dir).unwrap();
    let chained = super::read_chain(&store_dir, &generation).unwrap();
    assert_eq!(chained, full_read(&store));
    assert_eq!(chained.statements.len(), 3);

    // A store that has articles but no snapshot is not given an empty one.
    std::fs::remove_file(store_dir.join(super::SNAPSHOT_FILE)).unwrap();
    std::fs::remove_file(store_dir.join(super::DELTA_FILE)).ok();
    assert_eq!(store.current_snapshot_generation(), None);
}

#[test]
fn written_statements_are_merged_into_the_kept_ones_in_statement_order() {
    use crate::store::StatementRecord;
    let records = |names: &[&str]| -> Vec<StatementRecord> {
        names
            .iter()
            .map(|n| StatementRecord::new(n.to_string()))
            .collect()
    };
    let names = |merged: Vec<StatementRecord>| -> Vec<String> {
        merged.into_iter().map(|r| r.statement).collect()
    };
    // Written ones before, between and after the kept ones, unsorted.
    let merged = super::merge_by_statement(
        records(&["stmt:b/1", "stmt:d/1", "stmt:d/2"]),
        records(&["stmt:e/1", "stmt:a/1", "stmt:c/1"]),
    );
    let expected = [
        "stmt:a/1", "stmt:b/1", "stmt:c/1", "stmt:d/1", "stmt:d/2", "stmt:e/1",
    ];
    assert_eq!(names(merged), expected);
    // Kept records out of order (a base written by another version) are
    // sorted with the rest, never merged as if they were in order.
    let merged = super::merge_by_statement(
        records(&["stmt:d/1", "stmt:b/1", "stmt:d/2"]),
        records(&["stmt:c/1", "stmt:e/1", "stmt:a/1"]),
    );
    assert_eq!(names(merged), expected);
    let merged = super::merge_by_statement(records(&["stmt:b/1", "stmt:a/1"]), Vec::new());
    assert_eq!(names(merged), ["stmt:a/1", "stmt:b/1"]);
}
