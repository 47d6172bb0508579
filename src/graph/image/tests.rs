//! The image gives back what was built, and is not used when it is
//! damaged, stale or another version's.

use super::*;
use crate::ingest::{ingest, IngestOptions, InputSource};
use crate::store::GraphStore;

/// A rebuild that must not be needed.
fn unused() -> Rebuild {
    Box::new(|| panic!("a sound image needs no rebuild"))
}

/// A store of the sample articles (and an editor's merge) on disk.
fn sample_store(dir: &Path) -> GraphStore {
    let store = GraphStore::open(&dir.join("store")).unwrap();
    crate::ingest::ingest_sample_stories(&store);
    // And an article of 700 facts among 40 entities: three chunks.
    let entities: Vec<String> = (0..40)
        .map(|i| format!(r#"{{"id": "e{i}", "type": "Person", "name": {{"en": "Person {i}", "ar": "شخص {i}"}}}}"#))
        .collect();
    let facts: Vec<String> = (0..700usize)
        .map(|i| {
            format!(
                r#"{{"id": "f{i}", "subject": "e{}", "predicate": "warned", "object": "e{}", "negated": {}{}}}"#,
                i % 40,
                (i * 7 + 1) % 40,
                i.is_multiple_of(9),
                // Some without evidence: the texts' chunks hold gaps.
                if i.is_multiple_of(5) { String::new() } else { format!(r#", "evidence": "quote {i}""#) }
            )
        })
        .collect();
    let doc = format!(
        r#"{{"storygraph": 1, "entities": [{}], "articles": [{{"id": "many", "title": "t", "language": "en", "published": "2025-01-01", "text": "{}", "facts": [{}]}}]}}"#,
        entities.join(","),
        (0..700)
            .map(|i| format!("quote {i}."))
            .collect::<Vec<_>>()
            .join(" "),
        facts.join(",")
    );
    let generated = dir.join("many.json");
    std::fs::write(&generated, doc).unwrap();
    ingest(
        &store,
        &[InputSource::Path(generated)],
        IngestOptions::default(),
    )
    .unwrap();
    let iri = |id: &str| crate::vocab::entity(id).into_string();
    store
        .merge_entities(&iri("aliyev"), &iri("mehdiyev"), None, None)
        .unwrap();
    store
}

/// The sample store, its projection built (and its image written), and
/// its generation.
fn built_sample(dir: &Path) -> (GraphStore, Projection, String) {
    let store = sample_store(dir);
    let built = Projection::build(&store).unwrap();
    let generation = store.generation().unwrap();
    (store, built, generation)
}

/// Everything a projection holds, in an order that does not depend on
/// hash maps.
fn fingerprint(p: &Projection) -> String {
    let entities: Vec<String> = p
        .entities
        .indices()
        .map(|i| {
            let e = p.entities.get(i);
            let lookups: Vec<_> = e
                .ids
                .iter()
                .chain(e.labels.iter().map(|(_, text, _)| text))
                .chain(std::iter::once(&e.iri))
                .map(|name| p.entities.lookup(name))
                .collect();
            format!("{e:?} {lookups:?} {:?}", p.entities.search(&e.label))
        })
        .collect();
    // Every name table as the image holds it, and names that are not
    // any entity's: prefixes, typos, another script, nothing near.
    let tables: Vec<String> = crate::graph::names::NameTable::ALL
        .iter()
        .map(|&t| {
            format!(
                "{t:?} {}",
                p.entities.answer(|e| Ok(format!("{:?}", e.rows_of(t)?)))
            )
        })
        .collect();
    let near: Vec<String> = [
        "Person 1", "person 3", "Persn 12", "شخص", "e3", "Aliev", "zzzz",
    ]
    .iter()
    .map(|name| {
        let e = &p.entities;
        format!(
            "{:?} {:?} {:?}",
            e.lookup(name),
            e.search(name),
            e.nearest_name(name)
        )
    })
    .collect();
    let edges: Vec<String> = p
        .graph
        .edge_references()
        .map(|e| format!("{:?} {:?} {:?}", e.source(), e.target(), e.weight()))
        .collect();
    let mut denials: Vec<_> = p.denials.iter().collect();
    denials.sort();
    let mut denied_by: Vec<_> = p.denied_by.iter().collect();
    denied_by.sort();
    let predicates: Vec<&str> = p.predicates.iter().map(|x| x.iri.as_str()).collect();
    format!(
        "{entities:#?}\n{tables:#?}\n{near:#?}\n{predicates:?}\n{:?}\n{:?}\n{edges:#?}\n{:?}\n{denials:?}\n{denied_by:?}\n{:?}",
        p.articles, p.statements, p.by_entity, p.neighbors
    )
}

#[test]
fn an_image_reads_back_the_projection_it_was_built_from() {
    let dir = tempfile::tempdir().unwrap();
    let (store, built, generation) = built_sample(dir.path());
    let location = store.location().unwrap();
    assert!(location.join(IMAGE_FILE).exists());
    let loaded = load(location, &generation, unused()).expect("the image is current");
    assert!(built.statements.len() > 2 * CHUNK && !built.denials.is_empty());
    let merged = |i| !built.entities.get(i).merged.is_empty();
    assert!(built.entities.indices().any(merged));
    assert_eq!(fingerprint(&loaded), fingerprint(&built));
    // The next build is the image, with its predicates described.
    let again = Projection::build(&store).unwrap();
    assert_eq!(fingerprint(&again), fingerprint(&built));
    let labels =
        |p: &Projection| -> Vec<String> { p.predicates.iter().map(|x| format!("{x:?}")).collect() };
    assert_eq!(labels(&again), labels(&built));
}

#[test]
fn a_damaged_stale_or_foreign_image_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let (store, built, generation) = built_sample(dir.path());
    let location = store.location().unwrap();
    let path = location.join(IMAGE_FILE);
    let good = std::fs::read(&path).unwrap();
    assert!(load(location, "another generation", unused()).is_none());
    let mut damaged = good.clone();
    let (offset, length) = last_part(&good);
    let middle = offset + length / 2;
    damaged[middle] ^= 0x20;
    std::fs::write(&path, &damaged).unwrap();
    assert!(load(location, &generation, unused()).is_none());
    std::fs::write(&path, &good[..good.len() - 9]).unwrap();
    assert!(load(location, &generation, unused()).is_none());
    // Another version's image, checksum and all, is not read.
    let key = writer_key();
    let at = find(&good, key.as_bytes());
    let mut foreign = good.clone();
    foreign[at..at + 5].copy_from_slice(b"0.0.0");
    // With its checksum mended, it is whole but not ours.
    let (offset, length) = last_part(&foreign);
    let checksum = crc32fast::hash(&foreign[offset..offset + length]);
    foreign[offset + length..].copy_from_slice(&checksum.to_le_bytes());
    std::fs::write(&path, &foreign).unwrap();
    assert!(load(location, &generation, unused()).is_none());
    // A build after any of these reads the records and writes a good
    // image again.
    let rebuilt = Projection::build(&store).unwrap();
    assert_eq!(fingerprint(&rebuilt), fingerprint(&built));
    assert!(load(location, &generation, unused()).is_some());
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap()
}

/// The offset and length of the image's last part (the preamble's).
fn last_part(image: &[u8]) -> (usize, usize) {
    let word = |at: usize| u64::from_le_bytes(image[at..at + 8].try_into().unwrap()) as usize;
    (word(8), word(16))
}

#[test]
fn a_chunk_damaged_while_in_use_is_read_from_the_store_again() {
    let dir = tempfile::tempdir().unwrap();
    let (store, built, generation) = built_sample(dir.path());
    let location = store.location().unwrap();
    let path = location.join(IMAGE_FILE);
    let again = store.clone();
    let rebuild: Rebuild = Box::new(move || {
        let stop = crate::deadline::CancellationToken::new();
        Projection::from_store_records(&again, &stop).ok()
    });
    let loaded = load(location, &generation, rebuild).unwrap();
    // Damage every chunk in place after the image was opened (statements,
    // edges, entities' statements): what is read is the store's, not the
    // damaged bytes.
    let mut bytes = std::fs::read(&path).unwrap();
    let (last, _) = last_part(&bytes);
    for byte in &mut bytes[PREAMBLE as usize..last] {
        *byte ^= 0x01;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .write_all_at(&bytes[..last], 0)
        .unwrap();
    // Edge by edge first (before anything walks the whole graph).
    same_edges_one_by_one(&loaded, &built, built.graph.edge_indices());
    same_walks_by_node(&loaded, &built);
    same_facets_and_evidence(&loaded, &built);
    assert_eq!(fingerprint(&loaded), fingerprint(&built));
}

#[test]
fn edges_read_one_by_one_are_the_built_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (store, built, generation) = built_sample(dir.path());
    let loaded = load(store.location().unwrap(), &generation, unused()).unwrap();
    assert!(built.graph.edge_count() > 2 * EDGE_CHUNK);
    assert!(built.entities.len() > 2 * ENTITY_CHUNK);
    assert_eq!(loaded.graph.edge_count(), built.graph.edge_count());
    assert_eq!(loaded.graph.node_count(), built.graph.node_count());
    // Backwards, so that every chunk is first read for a single edge.
    same_edges_one_by_one(&loaded, &built, built.graph.edge_indices().rev());
    same_walks_by_node(&loaded, &built);
    same_facets_and_evidence(&loaded, &built);
    let no_evidence = built.statements.iter().filter(|s| s.evidence.is_none());
    assert!(no_evidence.count() > 100);
    for n in built.graph.node_indices() {
        assert_eq!(loaded.graph[n], built.graph[n]);
        assert_eq!(
            loaded.by_entity[built.graph[n]],
            built.by_entity[built.graph[n]]
        );
    }
    let beyond = petgraph::graph::EdgeIndex::new(built.graph.edge_count());
    assert_eq!(loaded.graph.edge_endpoints(beyond), None);
}

/// Each of `edges`, asked for by its index, is the built one.
fn same_edges_one_by_one(
    loaded: &Projection,
    built: &Projection,
    edges: impl Iterator<Item = EdgeIndex>,
) {
    for e in edges {
        assert_eq!(
            loaded.graph.edge_endpoints(e),
            built.graph.edge_endpoints(e)
        );
        assert_eq!(
            format!("{:?}", loaded.graph[e]),
            format!("{:?}", built.graph[e])
        );
    }
}

/// Every node's edges, each way, are the built graph's, in its order:
/// read from the image's chunks by node, without the whole graph.
fn same_walks_by_node(loaded: &Projection, built: &Projection) {
    use petgraph::Direction::{Incoming, Outgoing};
    let ends = |p: &Projection, n, d| -> Vec<(EdgeIndex, NodeIndex, NodeIndex, String)> {
        p.graph
            .edges_directed(n, d)
            .map(|e| (e.id(), e.source(), e.target(), format!("{:?}", e.weight())))
            .collect()
    };
    for n in built.graph.node_indices() {
        for d in [Outgoing, Incoming] {
            assert_eq!(ends(loaded, n, d), ends(built, n, d));
        }
        let a = built.graph.edges(n).next().map(|e| e.target());
        if let Some(b) = a {
            let between = |p: &Projection| -> Vec<EdgeIndex> {
                p.graph.edges_connecting(n, b).map(|e| e.id()).collect()
            };
            assert_eq!(between(loaded), between(built));
        }
    }
}

/// Every statement's facets and evidence, asked for one by one
/// (backwards: each chunk first read for one row), are the built ones.
fn same_facets_and_evidence(loaded: &Projection, built: &Projection) {
    assert!(built.statements.len() > 2 * FACET_CHUNK.max(CHUNK));
    for i in built.statements.indices().rev() {
        assert_eq!(loaded.statements.facets(i), built.statements[i].facets());
        assert_eq!(
            loaded.statements.evidence(i),
            built.statements[i].evidence.as_deref()
        );
    }
}
