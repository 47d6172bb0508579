//! Unit tests of the store: writes, re-ingest, merges, digests and the
//! records the projection is built from, on in-memory stores.

use oxigraph::model::{GraphName, Literal, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::QueryResults;

use super::*;
use crate::ingest::{ingest, IngestOptions, InputSource};

pub(crate) fn ingest_text(
    store: &GraphStore,
    name: &str,
    json: &str,
) -> Result<(), crate::ingest::IngestError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, json).unwrap();
    ingest(store, &[InputSource::Path(path)], IngestOptions::default()).map(|_| ())
}

pub(crate) fn doc(article: &str, entities: &str, facts: &str) -> String {
    format!(
        r#"{{"storygraph": 1, "entities": [{entities}],
        "articles": [{{"id": "{article}", "title": "T", "language": "en", "published": "2025-10-19", "facts": [{facts}]}}]}}"#
    )
}

fn count(store: &GraphStore, query: &str) -> usize {
    match store.query(query, &QueryOptions::default()).unwrap() {
        QueryResults::Solutions(s) => s.count(),
        _ => panic!("not a SELECT"),
    }
}

pub(crate) const PEOPLE: &str = r#"{"id": "putin", "type": "Person", "name": {"en": "Vladimir Putin"}, "same_as": ["http://www.wikidata.org/entity/Q7747"]},
    {"id": "aliyev", "type": "Person", "name": {"en": "Ilham Aliyev"}}"#;

#[test]
fn a_fact_is_a_direct_triple_and_a_reifying_statement() {
    let store = GraphStore::memory().unwrap();
    ingest_text(&store, "a.json", &doc("a1", PEOPLE, r#"{"id": "f", "subject": "putin", "predicate": "warned", "object": "aliyev", "certainty": "claimed", "evidence": "quote"}"#)).unwrap();
    let (putin, aliyev, warned) = (
        vocab::entity("putin"),
        vocab::entity("aliyev"),
        vocab::sg("warned"),
    );
    let graph = GraphName::NamedNode(vocab::article("a1"));
    assert!(store.contains(
        Quad::new(putin.clone(), warned.clone(), aliyev.clone(), graph.clone()).as_ref()
    ));
    let statement = vocab::statement("a1", "f");
    let triple = Triple::new(NamedOrBlankNode::from(putin), warned, aliyev);
    assert!(store.contains(
        Quad::new(
            statement.clone(),
            term::RDF_REIFIES,
            Term::from(triple),
            graph.clone()
        )
        .as_ref()
    ));
    assert!(store.contains(
        Quad::new(
            statement.clone(),
            term::SG_CERTAINTY,
            vocab::sg("claimed"),
            graph.clone()
        )
        .as_ref()
    ));
    assert!(store.contains(
        Quad::new(
            statement,
            term::SG_EVIDENCE,
            Literal::new_language_tagged_literal_unchecked("quote", "en"),
            graph
        )
        .as_ref()
    ));
}

#[test]
fn a_negated_fact_has_only_its_statement() {
    let store = GraphStore::memory().unwrap();
    ingest_text(
        &store,
        "a.json",
        &doc(
            "a1",
            PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "negated": true}"#,
        ),
    )
    .unwrap();
    assert_eq!(
        count(&store, "SELECT * WHERE { ent:putin sg:warned ent:aliyev }"),
        0
    );
    assert_eq!(
        count(
            &store,
            "SELECT * WHERE { ?s a sg:Statement ; sg:negated true ; rdf:subject ent:putin }"
        ),
        1
    );
}

#[test]
fn reingest_replaces_and_is_idempotent() {
    let store = GraphStore::memory().unwrap();
    let v1 = doc(
        "a1",
        PEOPLE,
        r#"{"subject": "putin", "predicate": "warned", "object": "aliyev"}"#,
    );
    ingest_text(&store, "a.json", &v1).unwrap();
    let first = store.stats().unwrap();
    ingest_text(&store, "a.json", &v1).unwrap();
    assert_eq!(store.stats().unwrap(), first);
    let v2 = doc(
        "a1",
        PEOPLE,
        r#"{"subject": "aliyev", "predicate": "contacted", "object": "putin"}"#,
    );
    ingest_text(&store, "a.json", &v2).unwrap();
    assert_eq!(
        count(&store, "SELECT * WHERE { ?s sg:warned ?o }"),
        0,
        "stale fact left behind"
    );
    assert_eq!(count(&store, "SELECT * WHERE { ?s sg:contacted ?o }"), 1);
}

#[test]
fn same_as_merges_across_documents_even_when_both_exist() {
    let store = GraphStore::memory().unwrap();
    ingest_text(
        &store,
        "a.json",
        &doc(
            "a1",
            PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev"}"#,
        ),
    )
    .unwrap();
    // A second file calls him "vladimir-putin" with the same Wikidata IRI.
    let other = r#"{"id": "vladimir-putin", "type": "Person", "name": {"en": "V. Putin", "ru": "Путин"}, "same_as": ["http://www.wikidata.org/entity/Q7747"]},
        {"id": "kremlin", "type": "GovernmentBody"}"#;
    ingest_text(
        &store,
        "b.json",
        &doc(
            "b1",
            other,
            r#"{"subject": "vladimir-putin", "predicate": "headOf", "object": "kremlin"}"#,
        ),
    )
    .unwrap();
    assert_eq!(
        count(&store, "SELECT * WHERE { ent:putin sg:headOf ent:kremlin }"),
        1
    );
    assert_eq!(
        count(
            &store,
            "SELECT ?l WHERE { ent:putin skos:prefLabel ?l FILTER(lang(?l) = 'en') }"
        ),
        1
    );
    assert_eq!(count(&store, "SELECT * WHERE { ent:putin skos:altLabel 'V. Putin'@en ; sg:entityId 'vladimir-putin' }"), 1);

    // Two separate entities, then a document that says they are the same.
    let store = GraphStore::memory().unwrap();
    ingest_text(&store, "a.json", &doc("a1", r#"{"id": "p1", "type": "Person", "name": {"en": "Putin"}, "same_as": ["http://example.org/p1"]}, {"id": "x", "type": "Person"}"#, r#"{"subject": "p1", "predicate": "warned", "object": "x"}"#)).unwrap();
    ingest_text(&store, "b.json", &doc("b1", r#"{"id": "p2", "type": "Person", "name": {"en": "Vladimir Putin"}, "same_as": ["http://example.org/p2"]}, {"id": "x", "type": "Person"}"#, r#"{"subject": "p2", "predicate": "contacted", "object": "x"}"#)).unwrap();
    ingest_text(&store, "c.json", &doc("c1", r#"{"id": "p3", "type": "Person", "same_as": ["http://example.org/p1", "http://example.org/p2"]}"#, "")).unwrap();
    let people = count(
        &store,
        "SELECT DISTINCT ?p WHERE { ?p sg:entityId ?id FILTER(?id IN ('p1', 'p2', 'p3')) }",
    );
    assert_eq!(people, 1, "the user must never see two Putins");
    assert_eq!(
        count(
            &store,
            "SELECT * WHERE { ent:p1 sg:warned ent:x ; sg:contacted ent:x }"
        ),
        1
    );
    assert_eq!(
        count(
            &store,
            "SELECT * WHERE { ?s rdf:reifies <<( ent:p1 sg:contacted ent:x )>> }"
        ),
        1
    );
    assert_eq!(
        count(&store, "SELECT * WHERE { ent:p1 skos:prefLabel ?l }"),
        1
    );
    assert_eq!(
        count(&store, "SELECT * WHERE { ?s ?p ent:p2 }")
            + count(&store, "SELECT * WHERE { ent:p2 ?p ?o }"),
        0
    );
}

#[test]
fn a_bad_file_leaves_the_store_as_it_was() {
    let store = GraphStore::memory().unwrap();
    ingest_text(
        &store,
        "a.json",
        &doc(
            "a1",
            PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev"}"#,
        ),
    )
    .unwrap();
    let before = store.stats().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &good,
        doc(
            "a2",
            PEOPLE,
            r#"{"subject": "aliyev", "predicate": "warned", "object": "putin"}"#,
        ),
    )
    .unwrap();
    std::fs::write(
        &bad,
        doc(
            "a1",
            PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "nobody"}"#,
        ),
    )
    .unwrap();
    let err = ingest(
        &store,
        &[InputSource::Path(good), InputSource::Path(bad)],
        IngestOptions::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("unknown entity id \"nobody\""),
        "{err}"
    );
    assert_eq!(store.stats().unwrap(), before);
    assert_eq!(
        count(&store, "SELECT * WHERE { ent:putin sg:warned ent:aliyev }"),
        1,
        "old version kept whole"
    );
}

#[test]
fn syntax_errors_carry_their_position() {
    let store = GraphStore::memory().unwrap();
    let Err(err) = store.query("SELECT ?x WHERE {\n  ?x ?y \n}", &QueryOptions::default()) else {
        panic!("a broken query parsed");
    };
    match err {
        QueryError::Syntax { line, column, .. } => {
            assert_eq!(line, Some(3), "{err}");
            assert!(column.is_some());
        }
        other => panic!("{other}"),
    }
}

/// The store's quads as sorted N-Quads lines, without the articles'
/// content digests: an article written before a merge keeps the digest of
/// its quads as written (the merge rewrites the quads, not the digest),
/// one mapped after the merge has the digest of the rewritten quads.
fn sorted_dump(store: &GraphStore) -> Vec<String> {
    let mut bytes = Vec::new();
    store.dump(super::DumpFormat::Nquads, &mut bytes).unwrap();
    let mut lines: Vec<String> = String::from_utf8(bytes)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("#contentDigest>"))
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

/// Five units: two new articles, the first one again changed, a document
/// that ties two entities declared before it together, one more article.
fn stream_units() -> Vec<String> {
    let warned = r#"{"subject": "putin", "predicate": "warned", "object": "aliyev"}"#;
    let vladimir = r#"{"id": "vladimir-putin", "type": "Person", "name": {"en": "V. V. Putin"}}, {"id": "russia", "type": "Country"}"#;
    let president =
        r#"{"subject": "vladimir-putin", "predicate": "presidentOf", "object": "russia"}"#;
    let tied = r#"{"id": "vladimir-putin", "type": "Person", "same_as": ["http://www.wikidata.org/entity/Q7747"]}, {"id": "russia", "type": "Country"}"#;
    let contacted = r#"{"subject": "aliyev", "predicate": "contacted", "object": "putin"}"#;
    [
        doc("s1", PEOPLE, warned),
        doc("s2", vladimir, president),
        doc("s1", PEOPLE, contacted),
        doc("s3", tied, president),
        doc("s4", PEOPLE, warned),
    ]
    .map(|d| d.replace('\n', " "))
    .to_vec()
}

#[test]
fn a_stream_in_one_pending_load_makes_the_store_its_units_make_one_by_one() {
    let units = stream_units();
    let one_by_one_dir = tempfile::tempdir().unwrap();
    let one_by_one = GraphStore::open(one_by_one_dir.path()).unwrap();
    for (i, unit) in units.iter().enumerate() {
        ingest_text(&one_by_one, &format!("u{i}.json"), unit).unwrap();
    }
    // The replaced article and the merge happened.
    assert_eq!(
        count(
            &one_by_one,
            "SELECT ?p WHERE { ?p sg:entityId 'putin', 'vladimir-putin' }"
        ),
        1
    );
    assert_eq!(
        count(
            &one_by_one,
            "SELECT * WHERE { GRAPH art:s1 { ent:aliyev sg:contacted ?x } }"
        ),
        1
    );

    // One unit per write: every write goes to the pending load, commits
    // it first (s1 again, the merge) or starts a new one.
    for batch_facts in [1, 2, 50_000] {
        let (_dir, streamed, report) = ingest_stream(&units, batch_facts);
        assert_eq!(report.articles, 5);
        assert_eq!(
            sorted_dump(&streamed),
            sorted_dump(&one_by_one),
            "batches of {batch_facts} facts"
        );
    }
}

#[test]
fn a_report_keeps_the_first_warnings_and_counts_them_all() {
    // Two units of facts dated after their article, one more than is kept.
    let late = |i: usize| {
        format!(
            r#"{{"id": "f{i}", "subject": "putin", "predicate": "warned", "object": "aliyev", "time": "2026-03"}}"#
        )
    };
    let half = crate::ingest::KEPT_DIAGNOSTICS / 2 + 1;
    let units: Vec<String> = (0..2)
        .map(|u| {
            let facts: Vec<String> = (0..half).map(late).collect();
            doc(&format!("s{u}"), PEOPLE, &facts.join(",")).replace('\n', " ")
        })
        .collect();
    let (_dir, _store, report) = ingest_stream(&units, 50_000);
    assert_eq!(report.facts, 2 * half);
    assert_eq!(report.warning_count, 2 * half);
    assert_eq!(report.warnings.len(), crate::ingest::KEPT_DIAGNOSTICS);
    assert!(report.warnings[0]
        .diagnostic
        .to_string()
        .contains("facts[0].time"));
}

#[test]
fn a_bad_unit_commits_the_pending_units_before_it_and_nothing_after() {
    let dir = tempfile::tempdir().unwrap();
    let good = |a: &str| {
        doc(
            a,
            PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev"}"#,
        )
        .replace('\n', " ")
    };
    let bad = doc(
        "bad",
        PEOPLE,
        r#"{"subject": "putin", "predicate": "warned", "object": "nobody"}"#,
    )
    .replace('\n', " ");
    let path = dir.path().join("units.jsonl");
    std::fs::write(&path, [good("g1"), good("g2"), bad, good("g3")].join("\n")).unwrap();
    let store = GraphStore::open(&dir.path().join("store")).unwrap();
    let options = IngestOptions {
        batch_facts: Some(1),
        ..IngestOptions::default()
    };
    let error = ingest(&store, &[InputSource::Path(path)], options).unwrap_err();
    assert!(error.to_string().contains("line 3"), "{error}");
    let articles = store.articles().unwrap();
    let mut ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["g1", "g2"]);
}

#[test]
fn a_stream_counts_each_entity_quad_once_whatever_its_batches() {
    // Every unit declares the same entities again: loaded (and counted)
    // once per pending load, not once per batch.
    let units: Vec<String> = (1..=4)
        .map(|i| {
            doc(
                &format!("e{i}"),
                PEOPLE,
                r#"{"subject": "putin", "predicate": "warned", "object": "aliyev"}"#,
            )
            .replace('\n', " ")
        })
        .collect();
    let triples = |batch_facts: usize| {
        let (_dir, _store, report) = ingest_stream(&units, batch_facts);
        assert_eq!(report.articles, 4);
        report.triples
    };
    assert_eq!(triples(1), triples(50_000));
}

/// `units` as one `.jsonl` stream ingested into a new store in batches of
/// `batch_facts` facts (the directory lives as long as the store).
fn ingest_stream(
    units: &[String],
    batch_facts: usize,
) -> (tempfile::TempDir, GraphStore, crate::ingest::IngestReport) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("units.jsonl");
    std::fs::write(&path, units.join("\n")).unwrap();
    let store = GraphStore::open(&dir.path().join("store")).unwrap();
    let options = IngestOptions {
        batch_facts: Some(batch_facts),
        ..IngestOptions::default()
    };
    let report = ingest(&store, &[InputSource::Path(path)], options).unwrap();
    (dir, store, report)
}

#[test]
fn the_sample_articles_keep_the_digests_earlier_versions_stored() {
    // Written by storygraph before the digest had its own serialisation
    // (it hashed Oxigraph's Display of each quad): a store from then must
    // not see its articles as changed.
    let store = GraphStore::memory().unwrap();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let sources: Vec<InputSource> = [
        "background.json",
        "zaman-azerbaijan-coup.json",
        "zaman-azerbaijan-gaza-force.json",
    ]
    .iter()
    .map(|f| InputSource::Path(data.join(f)))
    .collect();
    ingest(&store, &sources, IngestOptions::default()).unwrap();
    for (article, digest) in [
        ("background-2025-10", "3d42e3eded47fbeec46518f4e484c3b3"),
        (
            "zaman-2025-10-19-azerbaijan-coup",
            "fdf8e4fdad8985dd5fddf526029c25bd",
        ),
        (
            "zaman-2025-10-19-azerbaijan-gaza-force",
            "181ed766b31ed244d3a483288d44ad26",
        ),
    ] {
        let query = format!(
            "ASK {{ GRAPH art:{article} {{ art:{article} sg:contentDigest \"{digest}\" }} }}"
        );
        assert!(
            matches!(
                store.query(&query, &QueryOptions::default()).unwrap(),
                QueryResults::Boolean(true)
            ),
            "{article} no longer has the digest {digest}"
        );
    }
}

#[test]
fn removing_an_article_takes_its_graph_and_the_entities_only_it_needed() {
    let store = GraphStore::memory().unwrap();
    let witness = r#"{"id": "witness", "type": "Person", "name": {"en": "A witness"}}"#;
    let met = r#"{"id": "m", "subject": "witness", "predicate": "metWith", "object": "putin"}"#;
    let warned = r#"{"id": "w", "subject": "putin", "predicate": "warned", "object": "aliyev"}"#;
    ingest_text(&store, "a.json", &doc("a1", PEOPLE, warned)).unwrap();
    ingest_text(
        &store,
        "b.json",
        &doc("b1", &format!("{PEOPLE}, {witness}"), met),
    )
    .unwrap();
    // An article that mentions Aliyev without declaring him keeps him.
    let mentions =
        r#"{"id": "x", "subject": "putin", "predicate": "contacted", "object": "aliyev"}"#;
    ingest_text(&store, "c.json", &doc("report-c", "", mentions)).unwrap();
    let quads_before = store.stats().unwrap().triples;

    let report = store
        .remove_articles(&["b1".to_owned(), "a1".to_owned()])
        .unwrap();
    assert_eq!(report.articles, 2);
    // The witness and nobody else: Putin and Aliyev are in report-c's fact.
    assert_eq!(report.entities.len(), 1, "{report:?}");
    assert!(!store.contains_article("a1").unwrap());
    assert!(!store.contains_article("b1").unwrap());
    assert!(store.contains_article("report-c").unwrap());
    assert_eq!(
        count(&store, "SELECT * WHERE { ?e sg:entityId \"witness\" }"),
        0
    );
    assert_eq!(
        count(&store, "SELECT * WHERE { ?e sg:entityId \"aliyev\" }"),
        1
    );
    assert_eq!(count(&store, "SELECT * WHERE { ?e sg:declaredIn ?a }"), 0);
    assert_eq!(store.stats().unwrap().triples, quads_before - report.quads);

    // An unknown id removes nothing and says what is near.
    let error = store
        .remove_articles(&["report-c".to_owned(), "report-d".to_owned()])
        .unwrap_err();
    assert!(error.to_string().contains("\"report-d\""), "{error}");
    assert!(
        error.to_string().contains("did you mean \"report-c\""),
        "{error}"
    );
    assert!(store.contains_article("report-c").unwrap());
}

/// A large article, mapped only for its digest and written a slice at a
/// time, gives the quads, count and digest of the article mapped whole
/// (repeated triples and denials included), in the same order.
#[test]
fn a_large_article_mapped_a_slice_at_a_time_is_the_article_mapped_whole() {
    let store = GraphStore::memory().unwrap();
    let facts: Vec<String> = (0..2_500)
        .map(|i| {
            let (predicate, negated) = match i % 4 {
                0 => ("warned", false),
                1 => ("metWith", false),
                2 => ("warned", true),
                _ => ("accused", false),
            };
            // Every third fact repeats an earlier fact's triple.
            let evidence = if i % 3 == 0 { 0 } else { i };
            format!(
                r#"{{"subject": "putin", "predicate": "{predicate}", "object": "aliyev", "negated": {negated}, "evidence": "e {evidence}", "time": "2025-0{}", "certainty": "reported"}}"#,
                1 + i % 9
            )
        })
        .collect();
    let json = doc("big", PEOPLE, &facts.join(","));
    let parsed = crate::input::read::parse_document(json.as_bytes()).unwrap();
    let mut resolver = store.resolver();
    let document = parsed
        .validate(crate::ontology::Ontology::get(), &resolver)
        .unwrap()
        .document;
    resolver.resolve(std::slice::from_ref(&document)).unwrap();
    let article = &document.articles[0];
    let whole = crate::mapping::map_article_in(article, resolver.resolution(), None);
    let sliced = crate::mapping::map_article_in(article, resolver.resolution(), Some(700));
    assert_eq!(sliced.digest, whole.digest);
    assert_eq!(sliced.quad_count(), whole.quad_count());
    assert_eq!(whole.quads.len(), whole.quad_count());
    assert!(sliced.quads.is_empty(), "a large article holds no quads");
    let (mut slices, mut quads) = (0, Vec::new());
    sliced
        .for_each_slice(|slice| {
            slices += 1;
            quads.extend_from_slice(slice);
            Ok::<_, ()>(())
        })
        .unwrap();
    assert_eq!(quads, whole.quads);
    assert_eq!(slices, 1 + 4 + 1, "the header, four slices, the digest");
    assert_eq!(sliced.all_quads().as_ref(), whole.quads.as_slice());
}
