//! A caught-up index holds the documents a rebuild would, and writes it
//! cannot follow leave it to a rebuild.

use std::ops::Bound;
use std::path::Path;

use tantivy::collector::DocSetCollector;
use tantivy::query::{AllQuery, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Document as _, TantivyDocument, Term};

use super::*;
use crate::ingest::{ingest, IngestOptions, InputSource};

/// The sample stories in a store on disk, indexed.
fn indexed_sample(dir: &Path) -> GraphStore {
    let store = GraphStore::open(&dir.join("store")).unwrap();
    crate::ingest::ingest_sample_stories(&store);
    rebuilt(&store, true);
    store
}

/// The store's index built from scratch: where the store keeps it, or
/// in memory.
fn rebuilt(store: &GraphStore, on_disk: bool) -> SearchIndex {
    let projection = Projection::build(store).unwrap();
    let dir = super::super::directory(store).filter(|_| on_disk);
    let generation = store.generation();
    let token = CancellationToken::new();
    build::build(
        store,
        &projection,
        dir.as_ref(),
        generation.as_deref(),
        &token,
    )
    .unwrap()
}

/// A new article naming a sample entity (declared as the sample declares
/// it) and a new one, with its text, in a file in `dir`.
fn new_article(dir: &Path, id: &str, (fact, verb): (&str, &str)) -> InputSource {
    let sample: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("data/zaman-azerbaijan-coup.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let aliyev = sample["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "aliyev")
        .unwrap()
        .clone();
    let quote = format!("Nazim Quliyev {verb} Ilham Aliyev in Baku");
    let doc = serde_json::json!({
        "storygraph": 1,
        "entities": [aliyev, {"id": "quliyev", "type": "Person",
            "name": {"en": "Nazim Quliyev", "ar": "ناظم قولييف"}, "aliases": {"en": ["Quliyev"]}}],
        "articles": [{"id": id, "title": "A meeting", "language": "en", "published": "2025-11-02",
            "text": format!("{quote}. Nothing else happened."),
            "facts": [{"id": "f1", "subject": "quliyev", "predicate": fact, "object": "aliyev",
                "time": "2025-11", "certainty": "reported", "evidence": quote}]}]
    });
    let path = dir.join(format!("{id}.json"));
    std::fs::write(&path, doc.to_string()).unwrap();
    InputSource::Path(path)
}

/// Every document's stored fields, the documents each entity's term
/// finds and those with dates, each list sorted.
fn contents(index: &SearchIndex, store: &GraphStore) -> Vec<String> {
    let searcher = index.index.reader().unwrap().searcher();
    let schema = index.index.schema();
    let keys = |query: &dyn tantivy::query::Query| -> Vec<String> {
        let mut found: Vec<String> = searcher
            .search(query, &DocSetCollector)
            .unwrap()
            .into_iter()
            .map(|address| {
                let doc: TantivyDocument = searcher.doc(address).unwrap();
                doc.to_json(&schema)
            })
            .collect();
        found.sort();
        found
    };
    let mut all = keys(&AllQuery);
    let f = index.fields;
    let projection = Projection::build(store).unwrap();
    for i in projection.entities.indices() {
        let iri = &projection.entities.get(i).iri;
        let term = Term::from_field_text(f.entities, iri);
        let naming = TermQuery::new(term, IndexRecordOption::Basic);
        all.push(format!("{iri}: {:?}", keys(&naming)));
    }
    let dated = RangeQuery::new(
        Bound::Included(Term::from_field_i64(f.earliest, i64::MIN)),
        Bound::Unbounded,
    );
    all.push(format!("dated: {:?}", keys(&dated)));
    all
}

#[test]
fn an_index_caught_up_with_new_articles_holds_what_a_rebuild_would() {
    let dir = tempfile::tempdir().unwrap();
    let store = indexed_sample(dir.path());
    for (id, fact) in [
        ("meeting-1", ("metWith", "met")),
        ("meeting-2", ("warned", "warned")),
    ] {
        let article = new_article(dir.path(), id, fact);
        ingest(&store, &[article], IngestOptions::default()).unwrap();
    }
    // Two writes behind: both caught up on at once.
    let caught_up = catch_up(&store)
        .unwrap()
        .expect("new articles are caught up on");
    let quotes = contents(&caught_up, &store);
    assert!(quotes
        .iter()
        .any(|d| d.contains("Nazim Quliyev met Ilham Aliyev")));
    assert_eq!(quotes, contents(&rebuilt(&store, false), &store));
    // It is current now, for the next process too.
    let dir = super::super::directory(&store).unwrap();
    assert!(build::open_if_current(&dir, &store.generation().unwrap()).is_some());
}

#[test]
fn writes_an_index_cannot_follow_leave_it_to_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let store = indexed_sample(dir.path());
    let iri = |id: &str| crate::vocab::entity(id).into_string();
    let article = new_article(dir.path(), "meeting", ("metWith", "met"));
    ingest(&store, &[article], IngestOptions::default()).unwrap();
    let caught_up = catch_up(&store).unwrap();
    assert!(caught_up.is_some());
    // An article the index has, written again.
    let again = new_article(dir.path(), "meeting", ("warned", "warned"));
    ingest(&store, &[again], IngestOptions::default()).unwrap();
    assert!(catch_up(&store).unwrap().is_none(), "a replaced article");
    rebuilt(&store, true);
    store.remove_articles(&["meeting".to_owned()]).unwrap();
    assert!(catch_up(&store).unwrap().is_none(), "a removal");
    rebuilt(&store, true);
    store
        .merge_entities(&iri("aliyev"), &iri("mehdiyev"), None, None)
        .unwrap();
    assert!(catch_up(&store).unwrap().is_none(), "an editorial merge");
    rebuilt(&store, true);
    store
        .update(
            "INSERT DATA { <https://example.org/x> <https://example.org/y> \"z\" }",
            &Default::default(),
        )
        .unwrap();
    assert!(catch_up(&store).unwrap().is_none(), "a SPARQL update");
    // And a rebuild after each is current.
    rebuilt(&store, true);
    assert!(catch_up(&store).unwrap().is_some());
}
