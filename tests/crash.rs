//! Crash safety: the real binary is killed (SIGKILL, no chance to clean
//! up) at a random point of a large `.jsonl` ingest, a re-ingest that
//! changes articles, a `remove`, a `merge` and a SPARQL update. After each
//! kill the store opens as it is, every article is whole or absent (its
//! graph holds exactly the triples of one version of it), and what paths
//! and neighbors read (the projection snapshot) is what a projection
//! rebuilt from the store reads.
//!
//! The default run kills 6 times; `STORYGRAPH_KILLS=36 cargo test
//! --release --test integration crash` (as `tests/crash-loop.sh` does) more.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::util::{copy_dir, run_binary, TestStore};

const ENTITIES: usize = 30;
const SNAPSHOT_FILE: &str = "storygraph-projection.snapshot";

/// One version of `articles` articles as `.jsonl`: each between 5 and 14
/// facts among ENTITIES people, chosen by `seed`.
fn corpus(articles: std::ops::Range<usize>, seed: u64) -> String {
    let seed = seed as usize;
    let entities: Vec<String> = (0..ENTITIES)
        .map(|e| format!(r#"{{"id": "e{e}", "type": "Person", "name": {{"en": "Person {e}"}}}}"#))
        .collect();
    let entities = entities.join(", ");
    let mut lines = Vec::new();
    for a in articles {
        // Counts and pairs spread by small primes, different per version.
        let facts: Vec<String> = (0..5 + (a * 7 + seed * 3) % 10)
            .map(|f| {
                let s = (a * 13 + f * 7 + seed) % ENTITIES;
                let o = (s + 1 + (a * 5 + f * 3 + seed) % (ENTITIES - 1)) % ENTITIES;
                format!(
                    r#"{{"id": "f{f}", "subject": "e{s}", "predicate": "warned", "object": "e{o}", "evidence": "article {a} version {seed} fact {f}"}}"#
                )
            })
            .collect();
        lines.push(
            crate::util::doc(&format!("a{a}"), &entities, &facts.join(", ")).replace('\n', " "),
        );
    }
    lines.join("\n") + "\n"
}

/// Triples in each article graph (by article id).
fn article_triples(store: &Path) -> BTreeMap<String, u64> {
    let out = run_binary(
        store,
        &[
            "query",
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(art:))) } GROUP BY ?g",
            "--format",
            "tsv",
        ],
        None,
    );
    // 1: no rows, a store without articles.
    assert!(out.code <= 1, "{}", out.stderr);
    out.stdout
        .lines()
        .skip(1)
        .map(|line| {
            let (graph, count) = line.split_once('\t').unwrap();
            let id = graph.trim_end_matches('>').rsplit('/').next().unwrap();
            let count = count.split('"').nth(1).unwrap_or(count).parse().unwrap();
            (id.to_owned(), count)
        })
        .collect()
}

/// What paths and neighbors read, for a few entities.
fn projection_view(store: &Path) -> String {
    ["e0", "e1", "e7"]
        .iter()
        .map(|e| {
            let out = run_binary(store, &["neighbors", e, "--format", "json"], None);
            format!("{}{}{}", out.code, out.stdout, out.stderr)
        })
        .chain(std::iter::once(
            run_binary(store, &["path", "e2", "e3", "--format", "json"], None).stdout,
        ))
        .collect()
}

/// A write to kill, run against a copy of the base store.
struct Operation {
    name: &'static str,
    args: Vec<String>,
    /// Which triple counts an article may have afterwards: one of the
    /// versions, or absent (`None` in the list).
    allowed: fn(&Versions, &str) -> Vec<Option<u64>>,
}

struct Versions {
    first: BTreeMap<String, u64>,
    second: BTreeMap<String, u64>,
}

fn first_only(v: &Versions, id: &str) -> Vec<Option<u64>> {
    vec![v.first.get(id).copied()]
}

fn ingest_allowed(v: &Versions, id: &str) -> Vec<Option<u64>> {
    vec![None, v.first.get(id).copied()]
}

fn reingest_allowed(v: &Versions, id: &str) -> Vec<Option<u64>> {
    let mut allowed = vec![v.first.get(id).copied()];
    if let Some(&n) = v.second.get(id) {
        allowed.push(Some(n));
    }
    allowed
}

/// `remove` takes every third article.
fn removed_allowed(v: &Versions, id: &str) -> Vec<Option<u64>> {
    let number: usize = id[1..].parse().unwrap();
    match number % 3 {
        0 => vec![None, v.first.get(id).copied()],
        _ => first_only(v, id),
    }
}

/// The update empties the graphs of articles whose id ends in 0.
fn emptied_allowed(v: &Versions, id: &str) -> Vec<Option<u64>> {
    match id.ends_with('0') {
        true => vec![None, v.first.get(id).copied()],
        false => first_only(v, id),
    }
}

#[test]
fn a_killed_write_leaves_every_article_whole_or_absent_and_the_projection_right() {
    let kills: usize = std::env::var("STORYGRAPH_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(6);
    let work = TestStore::new();
    let first = work.file("first.jsonl", &corpus(0..1200, 1));
    let second = work.file("second.jsonl", &corpus(0..600, 2));
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    std::fs::write(
        root.join("probe.json"),
        crate::util::doc(
            "probe",
            crate::util::TWO_PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "evidence": "A write after the kill."}"#,
        ),
    )
    .unwrap();

    // The base store (the first version, its projection snapshot built),
    // and the counts of each version, from stores never killed.
    let base = root.join("base");
    run_binary(&base, &["ingest", &first], None).ok();
    run_binary(&base, &["path", "e0", "e1"], None).ok();
    let reference = root.join("reference");
    run_binary(&reference, &["ingest", &second], None).ok();
    let versions = Versions {
        first: article_triples(&base),
        second: article_triples(&reference),
    };
    assert_eq!(versions.first.len(), 1200);

    let removed: Vec<String> = (0..1200).step_by(3).map(|a| format!("a{a}")).collect();
    let operations = [
        Operation {
            name: "ingest into a new store",
            args: vec!["ingest".into(), first.clone()],
            allowed: ingest_allowed,
        },
        Operation {
            name: "re-ingest changing articles",
            args: vec!["ingest".into(), second.clone()],
            allowed: reingest_allowed,
        },
        Operation {
            name: "remove",
            args: std::iter::once("remove".to_owned())
                .chain(removed.iter().cloned())
                .collect(),
            allowed: removed_allowed,
        },
        Operation {
            name: "merge",
            args: vec!["merge".into(), "e0".into(), "e1".into()],
            allowed: first_only,
        },
        Operation {
            name: "SPARQL update",
            args: vec![
                "update".into(),
                "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRENDS(STR(?g), \"0\")) }".into(),
            ],
            allowed: emptied_allowed,
        },
    ];

    let mut killed_midway = 0;
    for round in 0..kills {
        let operation = &operations[round % operations.len()];
        let store = root.join(format!("round-{round}"));
        let fresh = operation.name == "ingest into a new store";
        // How long the operation takes when left alone, to kill it at a
        // random point within that time (a choice of moment, not a bound).
        let timed = root.join(format!("timed-{round}"));
        if !fresh {
            copy_dir(&base, &timed);
            copy_dir(&base, &store);
        }
        let args: Vec<&str> = operation.args.iter().map(String::as_str).collect();
        let started = Instant::now();
        run_binary(&timed, &args, None).ok();
        let whole = started.elapsed();
        // Kill points spread over the whole operation, round by round.
        let at = whole.mul_f64((1 + (round * 37 + 11) % 97) as f64 / 100.0);

        let status = kill_after(&store, &args, at);
        if status.code().is_none() {
            killed_midway += 1;
        }
        let context = format!(
            "round {round}: {} killed at {:?} of {:?} ({status})",
            operation.name, at, whole
        );
        check_after_kill(&store, &versions, operation, &context, root);
        let _ = std::fs::remove_dir_all(&store);
        let _ = std::fs::remove_dir_all(&timed);
    }
    eprintln!("{killed_midway} of {kills} kills landed before the operation ended");
}

/// Runs the binary on `store` with `args` and SIGKILLs it `at` after its
/// start (or reaps it, if it ended before).
fn kill_after(store: &Path, args: &[&str], at: std::time::Duration) -> std::process::ExitStatus {
    let mut child = Command::new(env!("CARGO_BIN_EXE_storygraph"))
        .args(args)
        .env("STORYGRAPH_STORE", store)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(at);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap()
}

fn check_after_kill(
    store: &Path,
    versions: &Versions,
    operation: &Operation,
    context: &str,
    root: &Path,
) {
    if !store.exists() || std::fs::read_dir(store).unwrap().next().is_none() {
        // Killed before the store was made: nothing to check but that an
        // ingest can still make it.
        return;
    }
    // It opens as it is, to read and to write.
    let stats = run_binary(store, &["stats", "--format", "json"], None);
    assert_eq!(stats.code, 0, "{context}: {}", stats.stderr);
    // Every article whole or absent.
    let counts = article_triples(store);
    for id in versions.first.keys() {
        let found = counts.get(id).copied();
        let allowed = (operation.allowed)(versions, id);
        assert!(
            allowed.contains(&found),
            "{context}: article {id} has {found:?} triples; allowed {allowed:?}"
        );
    }
    // The snapshot reads as a projection rebuilt from the store.
    let view = projection_view(store);
    let rebuilt: PathBuf = root.join("rebuilt");
    let _ = std::fs::remove_dir_all(&rebuilt);
    copy_dir(store, &rebuilt);
    let _ = std::fs::remove_file(rebuilt.join(SNAPSHOT_FILE));
    assert_eq!(
        view,
        projection_view(&rebuilt),
        "{context}: the projection snapshot is stale"
    );
    let _ = std::fs::remove_dir_all(&rebuilt);
    // A write works on it.
    let probe = root.join("probe.json");
    let again = run_binary(store, &["ingest", probe.to_str().unwrap()], None);
    assert_eq!(again.code, 0, "{context}: {}", again.stderr);
}

/// A store killed while its first write creates it: RocksDB's files may be
/// there without Oxigraph's version key, or without the ontology. Reading
/// it (a read-only open) and writing it must both work.
#[test]
fn a_store_killed_while_it_is_created_opens_to_read_and_to_write() {
    let work = TestStore::new();
    let input = work.file(
        "one.json",
        &crate::util::doc(
            "one",
            crate::util::TWO_PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "evidence": "One fact."}"#,
        ),
    );
    let scratch = tempfile::tempdir().unwrap();
    let timed = scratch.path().join("timed");
    let started = Instant::now();
    run_binary(&timed, &["ingest", &input], None).ok();
    let whole = started.elapsed();
    // Store creation is the first third of a one-fact ingest: kill at 24
    // points spread over it, each into a new store.
    for point in 0..24 {
        let store = scratch.path().join(format!("created-{point}"));
        let at = whole.mul_f64((1 + point) as f64 / 72.0);
        let status = kill_after(&store, &["ingest", &input], at);
        let context = format!("killed at {at:?} of {whole:?} ({status})");
        if store.exists() && std::fs::read_dir(&store).unwrap().next().is_some() {
            let stats = run_binary(&store, &["stats"], None);
            assert_eq!(stats.code, 0, "{context}: {}", stats.stderr);
        }
        let ingest = run_binary(&store, &["ingest", &input], None);
        assert_eq!(ingest.code, 0, "{context}: {}", ingest.stderr);
        let articles = run_binary(&store, &["articles"], None);
        assert!(
            articles.stdout.contains("one"),
            "{context}: {}",
            articles.stdout
        );
        let _ = std::fs::remove_dir_all(&store);
    }
}
