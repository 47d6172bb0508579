//! Faults around the program: a disk that fills up or turns read-only
//! under a store, and a query that fails half-way through its results.
//! Each leaves the store and the files it wrote as they were.

use std::path::Path;
use std::process::Command;

use crate::util::{corpus, root, sample_files, TestStore};

/// What the script below leaves in `out`: a file per step.
fn read(out: &Path, name: &str) -> String {
    std::fs::read_to_string(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn articles_in(stats_json: &str) -> u64 {
    let stats: serde_json::Value = serde_json::from_str(stats_json)
        .unwrap_or_else(|e| panic!("stats is not JSON ({e}): {stats_json}"));
    stats["articles"].as_u64().unwrap()
}

/// A store on a 4 MiB tmpfs (mounted in a private mount namespace, so no
/// root is needed where user namespaces are allowed): an ingest that
/// fills the disk, an export over an existing file on a full disk, and an
/// ingest on the disk remounted read-only.
#[test]
fn a_full_or_read_only_disk_leaves_the_store_as_it_was_and_readable() {
    let store = TestStore::new();
    let big = corpus(&store, 60, 100);
    let mount = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let script = r#"
set -u
mount -t tmpfs -o size=4m tmpfs "$MNT" || exit 90
S="$MNT/store"
sg() { "$BIN" --store "$S" "$@"; }
sg ingest $SAMPLE > /dev/null 2>&1 || exit 91
sg export --format html -o "$MNT/graph.html" 2> /dev/null || exit 92
cp "$MNT/graph.html" "$OUT/graph.before"
sg ingest "$BIG" 2> "$OUT/full.err"; echo $? > "$OUT/full.rc"
sg stats --format json > "$OUT/after-full.json"
# Fill what is left, then export over the existing file.
dd if=/dev/zero of="$MNT/filler" bs=64k 2> /dev/null
sg stats --format json > "$OUT/while-full.json"
sg export --format html -o "$MNT/graph.html" 2> "$OUT/export.err"; echo $? > "$OUT/export.rc"
cmp -s "$MNT/graph.html" "$OUT/graph.before" && echo same > "$OUT/export.same"
ls -A "$MNT" > "$OUT/listing"
rm "$MNT/filler"
mount -o remount,ro "$MNT" || exit 93
sg ingest "$SMALL" 2> "$OUT/ro.err"; echo $? > "$OUT/ro.rc"
sg stats --format json > "$OUT/read-only.json"
sg path putin aliyev > "$OUT/read-only.path"
mount -o remount,rw "$MNT" || exit 94
sg ingest "$SMALL" > /dev/null 2> "$OUT/after.err"; echo $? > "$OUT/after.rc"
sg stats --format json > "$OUT/after.json"
"#;
    let status = Command::new("unshare")
        .args(["-rm", "bash", "-c", script])
        .env("BIN", env!("CARGO_BIN_EXE_storygraph"))
        .env("MNT", mount.path())
        .env("OUT", out.path())
        .env("SAMPLE", sample_files().join(" "))
        .env("BIG", &big)
        .env(
            "SMALL",
            root().join("examples/stories/baku-court.json").as_os_str(),
        )
        .env("NO_COLOR", "1")
        .current_dir(root())
        .status()
        .expect("unshare (util-linux) runs the script in its own mount namespace");
    assert!(status.success(), "the script stopped: {status}");
    let out = out.path();

    // The ingest that filled the disk failed whole, with the reason.
    assert_eq!(read(out, "full.rc").trim(), "1");
    assert!(
        read(out, "full.err").contains("No space left on device"),
        "{}",
        read(out, "full.err")
    );
    assert_eq!(articles_in(&read(out, "after-full.json")), 3);
    // Reading works on a full disk.
    assert_eq!(articles_in(&read(out, "while-full.json")), 3);
    // The export failed and the file it would have replaced is untouched,
    // with no temporary left beside it.
    assert_eq!(
        read(out, "export.rc").trim(),
        "1",
        "{}",
        read(out, "export.err")
    );
    assert!(
        out.join("export.same").exists(),
        "graph.html changed: {}",
        read(out, "export.err")
    );
    assert!(
        !read(out, "listing").contains(".storygraph-"),
        "{}",
        read(out, "listing")
    );
    // A read-only disk: the write is refused with what still works.
    assert_eq!(read(out, "ro.rc").trim(), "1");
    let refused = read(out, "ro.err");
    assert!(
        refused.contains("cannot write to the store") && refused.contains("read commands"),
        "{refused}"
    );
    assert_eq!(articles_in(&read(out, "read-only.json")), 3);
    assert!(
        read(out, "read-only.path").contains("Ilham Aliyev"),
        "{}",
        read(out, "read-only.path")
    );
    // Writable again, the store takes the article.
    assert_eq!(
        read(out, "after.rc").trim(),
        "0",
        "{}",
        read(out, "after.err")
    );
    assert_eq!(articles_in(&read(out, "after.json")), 4);
}

/// A `SERVICE` the store cannot reach fails after the first half of a
/// `UNION` has produced rows: a program reading stdout gets no half
/// document, in any results format.
#[test]
fn a_query_that_fails_half_way_leaves_stdout_empty() {
    let store = TestStore::with_sample();
    let query =
        "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } } }";
    for format in ["json", "xml", "csv", "tsv", "table"] {
        let out = store.run(&["query", query, "--format", format]).code(1);
        assert_eq!(out.stdout, "", "{format}");
        assert!(
            out.stderr.contains("127.0.0.1:1"),
            "{format}: {}",
            out.stderr
        );
    }
    // In the shell (a script, or `.output FILE`): the failed statement
    // shows nothing, the next one all of its rows.
    let listed = store.store_dir().with_file_name("listed.tsv");
    let script = format!(
        ".format tsv\n{query};\nASK {{ ?s ?p ?o }};\n.output {}\n{query};\nASK {{ ?s ?p ?o }};\n",
        listed.display()
    );
    let out = store
        .run_with_stdin(&["shell", "--keep-going"], Some(&script))
        .code(1);
    assert_eq!(out.stdout, "true\n", "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&listed).unwrap(), "true\n");
    // The same query without the failing half prints its whole document.
    let whole = store
        .run(&["query", "SELECT * WHERE { ?s ?p ?o }", "--format", "json"])
        .ok();
    let rows: serde_json::Value = serde_json::from_str(&whole.stdout).unwrap();
    assert!(rows["results"]["bindings"].as_array().unwrap().len() > 1000);
}

/// `--timeout` stops a query in a join's loop (a product of the store with
/// itself four times: hours) and an update before it commits, which then
/// changes nothing; the shell's `.timeout` does the same per statement.
#[test]
fn a_timeout_stops_the_work_and_an_update_changes_nothing() {
    let store = TestStore::with_sample();
    let product = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
    let out = store.run(&["query", product, "--timeout", "0.5"]).code(1);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("timed out after 0.5 s and was stopped"),
        "{}",
        out.stderr
    );
    let sorted = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i";
    let out = store.run(&["query", sorted, "--timeout", "0.5"]).code(1);
    assert!(out.stderr.contains("timed out"), "{}", out.stderr);

    let count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }";
    let before = store.tsv(count);
    let insert = "INSERT { GRAPH <urn:x:pairs> { ?a <urn:x:near> ?d } } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let out = store.run(&["update", insert, "--timeout", "1"]).code(1);
    assert!(out.stderr.contains("timed out after 1 s"), "{}", out.stderr);
    assert_eq!(store.tsv(count), before);

    // A query that ends in time is untouched by the deadline.
    let quick = store
        .run(&["query", "ASK { ?s ?p ?o }", "--timeout", "60"])
        .ok();
    assert_eq!(quick.stdout.trim(), "true");
    for bad in ["0", "-2", "soon"] {
        let flag = format!("--timeout={bad}");
        let out = store.run(&["query", "ASK {}", &flag]).code(2);
        assert!(out.stderr.contains("--timeout"), "{}", out.stderr);
    }

    let script = format!(".timeout\n.timeout 0.5\n.timeout\n{product};\n.timeout off\n.timeout\n");
    let out = store
        .run_with_stdin(&["shell", "--keep-going"], Some(&script))
        .code(1);
    assert!(
        out.stdout.starts_with("timeout: off\ntimeout: 0.5 s\n")
            && out.stdout.ends_with("timeout: off\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("timed out after 0.5 s"),
        "{}",
        out.stderr
    );
}

/// A clique of `n` people who all met each other: more simple paths
/// between two of them than any enumeration finishes, and a drawing of
/// n(n-1)/2 edges.
fn clique(n: usize) -> String {
    let entities: Vec<String> = (0..n)
        .map(|e| format!(r#"{{"id": "p{e}", "type": "Person", "name": {{"en": "Person {e}"}}}}"#))
        .collect();
    let mut facts = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            facts.push(format!(
                r#"{{"subject": "p{a}", "predicate": "metWith", "object": "p{b}", "evidence": "{a} met {b}."}}"#
            ));
        }
    }
    crate::util::doc("clique", &entities.join(", "), &facts.join(", "))
}

/// `path --all`, `export` and their shell forms stop at `--timeout` (and
/// `.timeout`): exit 1, nothing written, the next command runs.
#[test]
fn a_timeout_stops_path_enumeration_and_exports() {
    let store = TestStore::new();
    let input = store.file("clique.json", &clique(120));
    store.ingest(&[input]).ok();
    let all = [
        "path",
        "p0",
        "p1",
        "--all",
        "--max-hops",
        "10",
        "--limit",
        "1000000000",
    ];
    let out = store
        .run(&[&all[..], &["--timeout", "0.05"]].concat())
        .code(1);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .contains("timed out after 0.05 s and was stopped"),
        "{}",
        out.stderr
    );
    // The same search, bounded by its limit, ends in time.
    let bounded = store
        .run(&[
            "path",
            "p0",
            "p1",
            "--all",
            "--limit",
            "5",
            "--timeout",
            "600",
        ])
        .ok();
    assert!(bounded.stdout.contains("Person 0"), "{}", bounded.stdout);

    let drawing = store.store_dir().with_file_name("drawing.svg");
    for to_file in [false, true] {
        let mut args = vec!["export", "--format", "svg", "--timeout", "0.001"];
        let file = drawing.display().to_string();
        if to_file {
            args.extend(["-o", &file]);
        }
        let out = store.run(&args).code(1);
        assert!(
            out.stderr.contains("timed out after 0.001 s"),
            "{}",
            out.stderr
        );
        assert_eq!(out.stdout, "", "a stopped export writes nothing");
        assert!(!drawing.exists(), "a stopped export leaves no file");
    }
    let whole = store
        .run(&["export", "--format", "svg", "--timeout", "600"])
        .ok();
    assert!(whole.stdout.trim_end().ends_with("</svg>"));

    // The export gets the CLI's 1 ms above: on a fast machine the whole
    // drawing took less than the search's 50 ms.
    let script = format!(
        ".timeout 0.05\n.{}\n.timeout 0.001\n.export --format svg\n.timeout off\n.path p0 p1\n",
        all.join(" ")
    );
    let out = store
        .run_with_stdin(&["shell", "--keep-going"], Some(&script))
        .code(1);
    for limit in ["0.05", "0.001"] {
        assert_eq!(
            out.stderr
                .matches(&format!("timed out after {limit} s"))
                .count(),
            1,
            "{}",
            out.stderr
        );
    }
    assert!(!out.stdout.contains("<svg"), "{}", out.stdout);
    assert!(out.stdout.contains("Person 0"), "{}", out.stdout);

    // Building the projection (no image or snapshot to load) stops too,
    // and leaves neither; the next command builds it and writes both.
    let snapshot = store.store_dir().join("storygraph-projection.snapshot");
    let image = store.store_dir().join("storygraph-projection.image");
    std::fs::remove_file(&snapshot).unwrap();
    std::fs::remove_file(&image).unwrap();
    let out = store
        .run(&["path", "p0", "p1", "--timeout", "0.001"])
        .code(1);
    assert!(
        out.stderr.contains("timed out after 0.001 s"),
        "{}",
        out.stderr
    );
    assert!(!snapshot.exists(), "a stopped build wrote a snapshot");
    assert!(!image.exists(), "a stopped build wrote an image");
    store.run(&["path", "p0", "p1"]).ok();
    assert!(snapshot.exists() && image.exists());
}

/// `dump | head -1` and `export | head -c 10`: the reader goes away, the
/// command ends quietly with success.
#[test]
fn a_reader_that_goes_away_is_not_a_failure() {
    use std::io::Read;
    let store = TestStore::with_sample();
    for args in [&["dump"][..], &["export", "--format", "html"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_storygraph"))
            .args(args)
            .env("STORYGRAPH_STORE", store.store_dir())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 10];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The read end is closed here, with most of the output unread.
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}
