//! The shell, driven as a person would: through a pseudo-terminal for the
//! prompt (multi-line input, Tab, Ctrl-C, history), and as a script
//! (`-c`, stdin) with snapshot outputs.

use crate::util::pty::Pty;
use crate::util::TestStore;

fn prompt(store: &TestStore, data_home: &std::path::Path) -> Pty {
    let mut pty = Pty::spawn(&store.store_dir(), data_home, &["shell"]);
    pty.prompt();
    pty
}

#[test]
fn a_multi_line_query_runs_at_a_semicolon_or_an_empty_line() {
    let store = TestStore::with_sample();
    let home = tempfile::tempdir().unwrap();
    let mut pty = prompt(&store, home.path());
    pty.send("SELECT (COUNT(?p) AS ?people)\r");
    // Not ended yet: the next lines get the continuation prompt.
    pty.expect("...> ");
    pty.send("WHERE {\r");
    pty.send("  ?p a sg:Person }\r");
    pty.expect("...> ");
    // An empty line runs it.
    pty.send("\r");
    let shown = pty.expect("1 row");
    assert!(shown.contains("people"), "{shown}");
    assert!(shown.contains("│ 6"), "{shown}");
    pty.prompt();
    // A query that parses on its first line waits for the ORDER BY of
    // the next; `;` runs it.
    pty.send("SELECT ?c WHERE { ?c a sg:Country }\r");
    pty.expect("...> ");
    pty.send("ORDER BY DESC(?c) LIMIT 1;\r");
    let shown = pty.expect("1 row");
    assert!(shown.contains("ent:united-states"), "{shown}");
    pty.prompt();
    pty.send("\x04");
    assert!(pty.wait().success());
}

#[test]
fn tab_completes_entity_names_in_any_script() {
    let store = TestStore::with_sample();
    let home = tempfile::tempdir().unwrap();
    let mut pty = prompt(&store, home.path());
    pty.send(".neighbors Mukh\t");
    pty.expect(".neighbors mehdiyev");
    pty.send("\r");
    pty.expect("Ramiz Mehdiyev");
    pty.prompt();
    pty.send(".path بوت\t");
    pty.expect(".path putin");
    pty.send(" indonesia\r");
    pty.expect("Vladimir Putin is linked to Indonesia");
    pty.prompt();
    pty.send("SELECT ?l WHERE { رامز\t");
    pty.expect("ent:mehdiyev");
    pty.send(" skos:prefLabel ?l };\r");
    pty.expect("Ramiz Mehdiyev");
    pty.prompt();
    pty.send("\x04");
    assert!(pty.wait().success());
}

#[test]
fn ctrl_c_cancels_a_long_query_and_the_shell_goes_on() {
    let store = TestStore::with_sample();
    let home = tempfile::tempdir().unwrap();
    let mut pty = prompt(&store, home.path());
    // Ctrl-C at the prompt clears the input and does not exit.
    pty.send(".stats half typed\x03");
    pty.prompt();
    // A cross product of the store with itself, three times: minutes.
    pty.send("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i };\r");
    pty.wait_for_cooked_mode();
    pty.send("\x03");
    pty.expect("the query was cancelled");
    pty.prompt();
    // Ctrl-C deep in a join's loop, where the evaluator no longer reads the
    // store: a count over four patterns, a table of three, a sort of three.
    for (i, query) in [
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l };",
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i };",
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i;",
    ]
    .iter()
    .enumerate()
    {
        let cpu = crate::util::pty::cpu_seconds(pty.pid());
        pty.send(&format!("{query}\r"));
        pty.wait_for_cooked_mode();
        pty.wait_for_cpu(cpu + 1.5);
        pty.send("\x03");
        pty.expect("the query was cancelled");
        pty.prompt();
        let idle = crate::util::pty::cpu_seconds(pty.pid());
        // The prompt is back and the work has stopped: a statement that
        // needs no CPU to speak of uses almost none.
        pty.send(".timer off\r");
        pty.prompt();
        let after = crate::util::pty::cpu_seconds(pty.pid());
        assert!(
            after - idle < 0.5,
            "query {i} still runs: {idle} -> {after}"
        );
    }
    pty.send(".stats\r");
    pty.expect("named graphs");
    pty.prompt();
    pty.send("\x04");
    assert!(pty.wait().success());
}

#[test]
fn history_is_kept_across_sessions_without_duplicates() {
    let store = TestStore::with_sample();
    let home = tempfile::tempdir().unwrap();
    let mut pty = prompt(&store, home.path());
    for line in [".timer off", ".articles", ".timer off"] {
        pty.send(&format!("{line}\r"));
        pty.prompt();
    }
    pty.send("\x04");
    assert!(pty.wait().success());
    let file = home.path().join("storygraph").join("history");
    let saved = std::fs::read_to_string(&file).unwrap();
    assert_eq!(saved, ".articles\n.timer off\n");

    // The next session recalls the newest entry with the Up arrow.
    let mut pty = prompt(&store, home.path());
    pty.send("\x1b[A\x1b[A\r");
    pty.expect("zaman-2025-10-19-azerbaijan-coup");
    // Ctrl-D only at a fresh prompt: sent while the statement's output is
    // still being written, the cooked line discipline takes it, and the
    // shell waits for input that never comes.
    pty.prompt();
    pty.send("\x04");
    assert!(pty.wait().success());
}

/// Script output with the timings (the only varying part) replaced.
fn without_timings(text: &str) -> String {
    text.lines()
        .map(|line| match line.rsplit_once(" in ") {
            Some((what, time)) if time.ends_with(" ms") => format!("{what} in [time]"),
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_script_on_the_sample_stories() {
    let store = TestStore::with_sample();
    let script = "\
# Who is Putin tied to, and how does he reach Indonesia?
.path putin indonesia
.format table
SELECT ?label WHERE {
  ent:mehdiyev skos:altLabel ?label
} ORDER BY ?label;
.find مختييف
.limit 2
SELECT ?a WHERE { ?a a sg:Country } ORDER BY ?a
.timer on
ASK { ent:putin sg:warned ent:aliyev }
";
    let out = store.run_with_stdin(&["shell"], Some(script)).ok();
    insta::assert_snapshot!("sample_script_stdout", out.stdout);
    insta::assert_snapshot!("sample_script_stderr", without_timings(&out.stderr));
}

#[test]
fn without_a_subcommand_and_a_terminal_stdin_is_a_script() {
    let store = TestStore::with_sample();
    let out = store
        .run_with_stdin(&["--format-is-not-global"], Some(".stats"))
        .code(2);
    assert!(out.stderr.contains("--format-is-not-global"));
    let out = store.run_with_stdin(&[], Some(".articles\n")).ok();
    assert!(out.stdout.contains("zaman-2025-10-19-azerbaijan-coup"));
}

#[test]
fn a_failing_statement_stops_the_script_unless_keep_going() {
    let store = TestStore::with_sample();
    let script = ".stats\nSELECT ?x WHERE {\n  ?x sg:nosuch ?y ;;\n.articles\n";
    let stopped = store.run_with_stdin(&["shell"], Some(script)).code(2);
    assert!(stopped.stdout.contains("named graphs"));
    assert!(!stopped.stdout.contains("zaman-2025"), "{}", stopped.stdout);
    insta::assert_snapshot!("syntax_error_with_caret", stopped.stderr);

    let went_on = store
        .run_with_stdin(&["shell", "--keep-going"], Some(script))
        .code(2);
    assert!(went_on.stdout.contains("zaman-2025-10-19-azerbaijan-coup"));

    let unknown = store.run(&["shell", "-c", ".nieghbors putin"]).code(2);
    assert_eq!(
        unknown.stderr,
        "error: -c, line 1: unknown command .nieghbors (did you mean .neighbors?); .help lists the commands\n"
    );
    let entity = store
        .run(&["shell", "-c", ".timeline nobody-at-all"])
        .code(2);
    assert!(
        entity
            .stderr
            .contains("no entity is called \"nobody-at-all\""),
        "{}",
        entity.stderr
    );
}

#[test]
fn prefixes_output_files_and_scripts_within_scripts() {
    let store = TestStore::with_sample();
    let inner = store.file(
        "inner.sg",
        "SELECT ?l WHERE { ex:putin skos:prefLabel ?l FILTER(lang(?l) = \"ar\") };\n",
    );
    let results = std::path::PathBuf::from(store.file("results.tsv", ""));
    let script = format!(
        "PREFIX ex: <https://w3id.org/storygraph/entity/>\nASK {{ ex:putin ?p ?o }};\n.output {}\n.format tsv\n.read {inner}\n.output\n.prefixes\n",
        results.display()
    );
    let out = store.run_with_stdin(&["shell"], Some(&script)).ok();
    // The ASK went to stdout, the query of the inner script to the file.
    assert!(out.stdout.starts_with("true\n"), "{}", out.stdout);
    assert!(out.stdout.contains("this session"), "{}", out.stdout);
    assert_eq!(
        std::fs::read_to_string(&results).unwrap(),
        "?l\n\"فلاديمير بوتين\"@ar\n"
    );
}

#[test]
fn the_shell_sees_what_it_ingests() {
    let store = TestStore::with_sample();
    let extra = store.file(
        "extra.json",
        &crate::util::doc(
            "extra-2025",
            "",
            r#"{"subject": "putin", "predicate": "metWith", "object": "indonesia", "certainty": "reported", "evidence": "Putin met Indonesian envoys."}"#,
        ),
    );
    let out = store
        .run(&[
            "shell",
            "-c",
            ".path putin indonesia --format json",
            "-c",
            &format!(".ingest {extra}"),
            "-c",
            ".path putin indonesia --format json",
        ])
        .ok();
    let lengths: Vec<u64> = out
        .stdout
        .split("\n}\n")
        .filter(|d| !d.trim().is_empty())
        .map(|d| {
            let doc: serde_json::Value = serde_json::from_str(&format!("{d}\n}}")).unwrap();
            doc["paths"][0]["length"].as_u64().unwrap()
        })
        .collect();
    assert_eq!(lengths, [4, 1]);
}

#[test]
fn via_completes_predicates_declared_and_labelled_after_the_shell_started() {
    let store = TestStore::with_sample();
    let home = tempfile::tempdir().unwrap();
    let mut pty = prompt(&store, home.path());
    let stories = crate::util::root().join("examples/stories");
    pty.send(&format!(
        ".ingest {} {}\r",
        stories.join("abu-dhabi-talks.json").display(),
        stories.join("vocabulary.ttl").display()
    ));
    pty.expect("ingested 2 articles");
    pty.prompt();
    // A declared predicate by its Arabic label; a Turtle-labelled one by
    // its label's start.
    pty.send(".path azerbaijan armenia --via أجرى\t");
    pty.expect("--via held_talks_with");
    pty.send("\r");
    pty.expect("Azerbaijan —held talks with— Armenia");
    pty.prompt();
    pty.send(".path azerbaijan armenia --via يحد\t");
    pty.expect("--via borders");
    pty.send("\r");
    pty.expect("Azerbaijan —borders— Armenia");
    pty.prompt();
    pty.send("\x04");
    assert!(pty.wait().success());
}

#[test]
fn a_shell_that_only_reads_shares_the_store_and_opens_it_for_writing_at_its_first_write() {
    let store = TestStore::with_sample();
    let more = store.file(
        "more.json",
        r#"{"storygraph": 1, "entities": [{"id": "x", "type": "Person", "name": {"en": "X"}}], "articles": [{"id": "extra-article", "title": "t", "language": "en", "published": "2025-01-01", "facts": [{"id": "f", "subject": "x", "predicate": "warned", "object": "aliyev"}]}]}"#,
    );
    let ingest = format!(".ingest {more}");
    // Another process reads the store: a shell that only reads runs
    // beside it (it opens the store read-only)...
    let reader = storygraph::store::GraphStore::open_read_only(&store.store_dir()).unwrap();
    let out = store
        .run(&["shell", "-c", ".articles", "-c", ".path putin aliyev"])
        .ok();
    assert!(out.stdout.contains("Vladimir Putin"), "{}", out.stdout);
    // ...and its first write needs the store for itself: refused while the
    // other reads, and the session reads on.
    let out = store
        .run(&["shell", "--keep-going", "-c", &ingest, "-c", ".articles"])
        .code(1);
    assert!(
        out.stderr
            .contains("another storygraph process is reading it"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("zaman-2025-10-19-azerbaijan-coup"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("extra-article"), "{}", out.stdout);
    drop(reader);
    // Alone, the same session writes, and reads what it wrote.
    let out = store
        .run(&[
            "shell",
            "-c",
            &ingest,
            "-c",
            ".articles",
            "-c",
            ".path x putin",
        ])
        .ok();
    assert!(out.stdout.contains("extra-article"), "{}", out.stdout);
    assert!(out.stdout.contains("Vladimir Putin"), "{}", out.stdout);
}
