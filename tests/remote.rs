//! Every command against a remote SPARQL store, on real servers on
//! loopback (the Oxigraph server from PyPI and Debian's Virtuoso): the
//! sample stories ingested there give the same answers as the embedded
//! store; re-ingest changes nothing; `remove` works; another writer is
//! noticed; a server killed mid-ingest (Oxigraph, Virtuoso, a bulk load)
//! holds no partial article storygraph sees; text that is hard to carry
//! through SPARQL reads back the same;
//! credentials are sent and never shown.

use crate::util::chat::ChatServer;
use crate::util::remote::{Kind, RemoteClient, RemoteServer};
use crate::util::{corpus, sample_files, TestStore};

/// Commands whose output must be the same on both stores.
const SAME: &[&[&str]] = &[
    &[
        "query",
        "--format",
        "tsv",
        "SELECT ?s ?c ?n WHERE { ?s sg:certainty ?c ; sg:negated ?n } ORDER BY ?s",
    ],
    &[
        "query",
        "--format",
        "tsv",
        "SELECT ?g (COUNT(*) AS ?facts) WHERE { GRAPH ?g { ?s a sg:Statement } } GROUP BY ?g ORDER BY ?g",
    ],
    &[
        "query",
        "--format",
        "tsv",
        "SELECT ?label WHERE { ?e skos:prefLabel ?label FILTER(LANG(?label) = \"ar\") } ORDER BY ?label",
    ],
    &["query", "--format", "json", "ASK { ?s sg:certainty sg:claimed }"],
    &["articles", "--format", "json"],
    &["path", "--format", "json", "putin", "mehdiyev"],
    &["path", "--format", "json", "putin", "aliyev", "--k", "3"],
    &["neighbors", "--format", "json", "putin"],
    &["timeline", "aliyev"],
    &["find", "--format", "json", "أذربيجان"],
    &["conflicts", "--format", "json"],
    &["corroboration", "--format", "json"],
    &["export", "--format", "dot"],
    &["export", "--format", "graphml", "--focus", "mehdiyev", "--hops", "1"],
    &[
        "shell",
        "-c",
        ".path putin aliyev",
        "-c",
        "SELECT ?who (COUNT(*) AS ?n) WHERE { ?s rdf:subject ?who } GROUP BY ?who ORDER BY DESC(?n) ?who LIMIT 3;",
    ],
];

fn ingest(client: &RemoteClient, files: &[String]) -> crate::util::Output {
    let mut args = vec!["ingest"];
    args.extend(files.iter().map(String::as_str));
    client.run(&args)
}

#[track_caller]
fn assert_same_answers(embedded: &TestStore, remote: &RemoteClient, kind: Kind) {
    for command in SAME {
        let local = embedded.run(command);
        let there = remote.run(command);
        assert!(local.code <= 1, "{command:?}: {}", local.stderr);
        assert_eq!(local.code, there.code, "{command:?}: {}", there.stderr);
        if let Some(difference) = first_difference(&local.stdout, &there.stdout) {
            panic!("{kind:?}: {command:?}: {difference}");
        }
    }
    // Without RDF 1.2 (Virtuoso) statements are kept without rdf:reifies:
    // one triple fewer per fact, and nothing else differs.
    let sorted_dump = |out: crate::util::Output| {
        let mut lines: Vec<String> = out
            .ok()
            .stdout
            .lines()
            .filter(|l| kind == Kind::Oxigraph || !l.contains("#reifies>"))
            .map(str::to_owned)
            .collect();
        lines.sort();
        lines.join("\n")
    };
    let (local, there) = (embedded.run(&["dump"]), remote.run(&["dump"]));
    if let Some(difference) = first_difference(&sorted_dump(local), &sorted_dump(there)) {
        panic!("{kind:?}: dump: {difference}");
    }
    let local = embedded.stats();
    let there: serde_json::Value =
        serde_json::from_str(&remote.run(&["stats", "--format", "json"]).ok().stdout).unwrap();
    let facts = local["facts"].as_u64().unwrap();
    let mut expected = local.clone();
    if kind == Kind::Virtuoso {
        // Every copy of it, the writer's too: a triple fewer per fact.
        expected["triples"] = (local["triples"].as_u64().unwrap() - facts).into();
    }
    assert_eq!(there, expected, "{kind:?}: stats");
}

/// The first line that differs, both ways, or `None` when equal.
fn first_difference(expected: &str, found: &str) -> Option<String> {
    if expected == found {
        return None;
    }
    let mut found_lines = found.lines();
    for (n, line) in expected.lines().enumerate() {
        let other = found_lines.next();
        if other != Some(line) {
            return Some(format!(
                "line {}: expected {line:?}, found {other:?}",
                n + 1
            ));
        }
    }
    Some(format!("found more lines: {:?}", found_lines.next()))
}

fn same_answers_as_embedded(kind: Kind) {
    let embedded = TestStore::with_sample();
    let server = RemoteServer::start(kind);
    let writer = RemoteClient::new(&server);
    if kind == Kind::Virtuoso {
        // Virtuoso has no bulk loader storygraph can use: refused before
        // anything is written, with the fix.
        let mut args = server.args();
        args.extend(["--graph-store".to_owned(), server.graph_store_url()]);
        let bulk = RemoteClient::with_args(args);
        let files = sample_files();
        let mut command = vec!["--bulk-load", "ingest"];
        command.extend(files.iter().map(String::as_str));
        let out = bulk.run(&command).code(2);
        assert!(
            out.stderr.contains("leave --bulk-load out"),
            "{}",
            out.stderr
        );
    }
    let out = ingest(&writer, &sample_files()).ok();
    assert!(out.stderr.contains("3 articles written"), "{}", out.stderr);
    assert_same_answers(&embedded, &writer, kind);
    // A client with no copy yet builds one from the server.
    let reader = RemoteClient::new(&server);
    let out = reader.run(&["stats"]).ok();
    assert!(out.stderr.contains("copied"), "{}", out.stderr);
    assert_same_answers(&embedded, &reader, kind);
    // The copy is kept while the server is unchanged.
    let out = reader.run(&["articles"]).ok();
    assert!(!out.stderr.contains("copied"), "{}", out.stderr);

    // Re-ingest is idempotent: nothing rewritten, nothing sent.
    let before = server.article_sizes();
    let out = ingest(&writer, &sample_files()).ok();
    assert!(out.stderr.contains("3 unchanged"), "{}", out.stderr);
    assert!(!out.stderr.contains("sent to"), "{}", out.stderr);
    assert_eq!(server.article_sizes(), before);

    // remove: the article's graph leaves the server; every client sees it.
    let removed = "zaman-2025-10-19-azerbaijan-gaza-force";
    embedded.run(&["remove", removed]).ok();
    let out = writer.run(&["remove", removed]).ok();
    assert!(out.stderr.contains("1 removed"), "{}", out.stderr);
    let graphs = server.article_sizes();
    assert_eq!(graphs.len(), 2, "{graphs:?}");
    assert!(graphs.keys().all(|g| !g.ends_with(removed)), "{graphs:?}");
    let out = reader.run(&["articles", "--format", "json"]).ok();
    assert!(
        out.stderr.contains("generation marker changed"),
        "{}",
        out.stderr
    );
    assert_same_answers(&embedded, &reader, kind);

    // A write storygraph did not make (no new marker): a statement added by
    // another program is noticed by the count of statements; an edit that
    // keeps the counts is seen after --refresh.
    let base = "https://w3id.org/storygraph";
    let foreign = |update: String| server.update(&update);
    foreign(format!(
        "INSERT DATA {{ GRAPH <{base}/article/background-2025-10> {{ <{base}/statement/other> <{base}/ontology#certainty> <{base}/ontology#reported> }} }}"
    ));
    let out = reader.run(&["stats", "--format", "json"]).ok();
    assert!(
        out.stderr
            .contains("count of articles or statements changed"),
        "{}",
        out.stderr
    );
    foreign(format!(
        "INSERT DATA {{ GRAPH <{base}/article/background-2025-10> {{ <{base}/entity/baku> <http://www.w3.org/2000/01/rdf-schema#comment> \"added by another program\" }} }}"
    ));
    let comment = [
        "query",
        "--format",
        "tsv",
        "SELECT ?c WHERE { ?s rdfs:comment ?c }",
    ];
    let out = reader.run(&comment).ok();
    assert!(
        out.stdout.contains("added by another program"),
        "the query runs at the server"
    );
    let out = reader.run(&["dump"]).ok();
    assert!(
        !out.stdout.contains("added by another program"),
        "the copy does not see it"
    );
    let out = reader.run(&["--refresh", "dump"]).ok();
    assert!(
        out.stdout.contains("added by another program"),
        "{}",
        out.stderr
    );
}

#[test]
fn oxigraph_server_gives_the_embedded_answers() {
    same_answers_as_embedded(Kind::Oxigraph);
}

#[test]
fn virtuoso_gives_the_embedded_answers() {
    same_answers_as_embedded(Kind::Virtuoso);
}

#[test]
fn graph_store_put_writes_whole_articles() {
    writes_whole_articles(false, "Graph Store PUT");
}

#[test]
fn bulk_load_writes_whole_articles() {
    writes_whole_articles(true, "bulk loader");
}

/// The sample written with `--graph-store` (and `--bulk-load`): the
/// command says how, the answers are the embedded store's, a changed
/// article goes alone and replaces its old version, and another client
/// copying from the server sees the same.
fn writes_whole_articles(bulk: bool, says: &str) {
    let embedded = TestStore::with_sample();
    let server = RemoteServer::start(Kind::Oxigraph);
    let mut args = server.args();
    args.extend(["--graph-store".to_owned(), server.graph_store_url()]);
    if bulk {
        args.push("--bulk-load".to_owned());
    }
    let client = RemoteClient::with_args(args);
    let out = ingest(&client, &sample_files()).ok();
    assert!(out.stderr.contains(says), "{}", out.stderr);
    assert_same_answers(&embedded, &client, Kind::Oxigraph);
    let changed = embedded.file(
        "changed.json",
        &std::fs::read_to_string(&sample_files()[1])
            .unwrap()
            .replace("\"claimed\"", "\"reported\""),
    );
    embedded.ingest(std::slice::from_ref(&changed)).ok();
    let out = ingest(&client, &[changed]).ok();
    assert!(out.stderr.contains("1 article written"), "{}", out.stderr);
    assert_same_answers(&embedded, &client, Kind::Oxigraph);
    let reader = RemoteClient::new(&server);
    assert_same_answers(&embedded, &reader, Kind::Oxigraph);
}

#[test]
fn a_server_killed_mid_ingest_holds_no_partial_article() {
    killed_mid_ingest(Kind::Oxigraph, false, 1_500);
}

#[test]
fn a_server_killed_mid_bulk_load_holds_no_sealed_partial_article() {
    killed_mid_ingest(Kind::Oxigraph, true, 1_500);
}

#[test]
fn virtuoso_killed_mid_ingest_holds_no_partial_article() {
    // An article per request, about 0.3 s each: 60 articles are plenty.
    killed_mid_ingest(Kind::Virtuoso, false, 60);
}

/// Kills the server as soon as the first articles of an ingest arrive:
/// after a restart, every article storygraph sees (every sealed one) is
/// whole; transactional writes leave nothing else, a bulk load may leave
/// unsealed graphs, which the re-run deletes before it completes the store.
fn killed_mid_ingest(kind: Kind, bulk: bool, articles: usize) {
    const FACTS: usize = 20;
    let scratch = TestStore::new();
    let corpus = corpus(&scratch, articles, FACTS);
    scratch.ingest(std::slice::from_ref(&corpus)).ok();
    let mut server = RemoteServer::start(kind);
    let mut args: Vec<String> = server.args();
    if bulk {
        args.extend([
            "--graph-store".to_owned(),
            server.graph_store_url(),
            "--bulk-load".to_owned(),
        ]);
    }
    let client = RemoteClient::with_args(args.clone());
    args.extend(["ingest".to_owned(), corpus.clone()]);
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_storygraph"))
        .args(&args)
        .env("STORYGRAPH_STORE", client.cache_dir().join("none"))
        .env("STORYGRAPH_CACHE", client.cache_dir())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Kill the server as soon as the first articles arrived (a bulk load:
    // as soon as its articles are listed as pending, so mid-load).
    let pending = "SELECT ?g WHERE { GRAPH <https://w3id.org/storygraph/graph/pending> { ?s ?p ?g } } LIMIT 1";
    let mut arrived = 0;
    for _ in 0..3000 {
        arrived = server.article_sizes().len()
            + if bulk {
                server.select(pending).len()
            } else {
                0
            };
        if arrived > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    server.kill();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    server.restart();
    let sealed = server.sealed_article_sizes();
    assert!(
        arrived > 0 && sealed.len() < articles,
        "{arrived} {}: {stderr}",
        sealed.len()
    );
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("cannot reach"), "{stderr}");
    // Without RDF 1.2 (Virtuoso), no rdf:reifies: a quad fewer per fact.
    let without_reifies = if kind == Kind::Virtuoso {
        FACTS as u64
    } else {
        0
    };
    let whole = scratch_article_size(&scratch) - without_reifies;
    assert!(
        sealed.values().all(|&n| n == whole),
        "a partial article: {sealed:?}"
    );
    let base = "https://w3id.org/storygraph";
    if bulk {
        // What a load stopped half-way may leave, made sure of: part of an
        // article, unsealed, listed as pending.
        server.update(&format!(
            "INSERT DATA {{ GRAPH <{base}/graph/pending> {{ <{base}/graph/pending> <{base}/ontology#pendingArticle> <{base}/article/half-loaded> }} \
             GRAPH <{base}/article/half-loaded> {{ <{base}/statement/half> <{base}/ontology#certainty> <{base}/ontology#reported> }} }}"
        ));
    } else {
        assert_eq!(server.article_sizes(), sealed, "an unsealed article");
    }
    // What storygraph sees of the stopped store: the sealed articles.
    let stats: serde_json::Value =
        serde_json::from_str(&client.run(&["stats", "--format", "json"]).ok().stdout).unwrap();
    assert_eq!(
        stats["articles"],
        serde_json::json!(sealed.len()),
        "{stats}"
    );
    // Once the server is back, the same command completes the store and
    // leaves no unsealed graph.
    ingest(&client, std::slice::from_ref(&corpus)).ok();
    let sizes = server.article_sizes();
    assert_eq!(sizes.len(), articles, "an unsealed article left");
    assert!(sizes.values().all(|&n| n == whole));
    assert_eq!(server.sealed_article_sizes(), sizes);
    assert!(server.select(pending).is_empty(), "pending articles left");
    let stats: serde_json::Value =
        serde_json::from_str(&client.run(&["stats", "--format", "json"]).ok().stdout).unwrap();
    let mut expected = scratch.stats();
    // Without RDF 1.2 no copy holds rdf:reifies, neither the one made from
    // the server nor the writer's: a triple fewer per fact, and nothing
    // else differs.
    let triples = expected["triples"].as_u64().unwrap();
    expected["triples"] = (triples - without_reifies * articles as u64).into();
    assert_eq!(stats, expected);
}

/// The quads of one article of a generated corpus (all the same size),
/// read from the embedded store.
fn scratch_article_size(store: &TestStore) -> u64 {
    let out = store
        .run(&[
            "query",
            "--format",
            "tsv",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"https://w3id.org/storygraph/article/\")) } GROUP BY ?g ORDER BY DESC(?n) LIMIT 1",
        ])
        .ok();
    out.stdout.lines().nth(1).unwrap().trim().parse().unwrap()
}

#[test]
fn credentials_are_sent_and_never_shown() {
    let server = ChatServer::start(vec![(401, "authentication required".into())]);
    let endpoint = format!("{}/sparql", server.url.trim_end_matches('/'));
    let client = RemoteClient::with_args(vec![
        "--endpoint".into(),
        endpoint.clone(),
        "--header".into(),
        "Authorization: Bearer s3cret-token".into(),
    ]);
    let out = client.run(&["stats"]).code(1);
    assert!(out.stderr.contains(&endpoint), "{}", out.stderr);
    assert!(out.stderr.contains("HTTP 401"), "{}", out.stderr);
    assert!(
        out.stderr.contains("authentication required"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--header"), "{}", out.stderr);
    assert!(!out.stderr.contains("s3cret"), "{}", out.stderr);
    let received = server.received();
    assert_eq!(
        received[0].header("authorization"),
        Some("Bearer s3cret-token")
    );
    // Also from the environment, and never in --help.
    let help = client.run(&["--help"]).ok();
    assert!(help.stdout.contains("--endpoint"), "{}", help.stdout);
    let out = crate::util::run_binary_with_env(
        &client.cache_dir().join("none"),
        &["--endpoint", "http://127.0.0.1:9/q", "--help"],
        &[("STORYGRAPH_AUTH_HEADER", "Authorization: Bearer env-s3cret")],
    );
    assert!(!out.stdout.contains("env-s3cret"), "{}", out.stdout);
}

#[test]
fn bad_endpoints_get_clear_errors() {
    let client = RemoteClient::with_args(vec!["--endpoint".into(), "localhost:7878".into()]);
    let out = client.run(&["stats"]).code(2);
    assert!(out.stderr.contains("not an http(s) URL"), "{}", out.stderr);
    // A command that would write elsewhere than the remote is refused.
    let client = RemoteClient::with_args(vec!["--endpoint".into(), "http://127.0.0.1:9/q".into()]);
    let out = client
        .run(&[
            "extract",
            "data/texts/baku-gaza-mandate.ar.txt",
            "--llm",
            "http://127.0.0.1:9/v1",
            "--model",
            "m",
            "--ingest",
        ])
        .code(2);
    assert!(
        out.stderr
            .contains("extract --ingest writes to a local store"),
        "{}",
        out.stderr
    );
    let out = client.run(&["serve", "--read-write"]).code(2);
    assert!(
        out.stderr.contains("works on a local store only"),
        "{}",
        out.stderr
    );
    // --bulk-load needs the Graph Store endpoint; set in the environment,
    // it leaves a local store alone.
    let out = client.run(&["--bulk-load", "stats"]).code(2);
    assert!(
        out.stderr.contains("add --graph-store URL"),
        "{}",
        out.stderr
    );
    let local = TestStore::with_sample();
    let out = crate::util::run_binary_with_env(
        &local.store_dir(),
        &["articles"],
        &[("STORYGRAPH_BULK_LOAD", "true")],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let client = RemoteClient::with_args(vec![
        "--endpoint".into(),
        "http://127.0.0.1:7/q".into(),
        "--header".into(),
        "Bearer token-without-name".into(),
    ]);
    let out = client.run(&["stats"]).code(2);
    assert!(out.stderr.contains("no colon"), "{}", out.stderr);
    assert!(!out.stderr.contains("token-without-name"), "{}", out.stderr);
    // Nothing listens on port 9 (discard): tried again, then named.
    let client = RemoteClient::with_args(vec!["--endpoint".into(), "http://127.0.0.1:9/q".into()]);
    let out = client.run(&["stats"]).code(1);
    assert!(
        out.stderr
            .contains("cannot reach http://127.0.0.1:9/q (5 attempts)"),
        "{}",
        out.stderr
    );
}

/// Text that is legal in a story but hard to carry through SPARQL text and
/// two servers' parsers: quotes, triple quotes, backslashes, braces, `#`,
/// angle brackets, Arabic with diacritics, tatweel and a right-to-left
/// mark, characters outside the BMP (emoji, with a zero-width joiner), a
/// long quote. Ingested into each server, it reads back as embedded.
#[test]
fn tricky_text_reads_back_the_same_from_both_servers() {
    let long = "ط".repeat(3000) + " \u{1F6E1}\u{FE0F}";
    let evidence = serde_json::to_string(&format!(
        "He said: \"\"\"not # a comment\"\"\" {{ braces }} <not-an-iri> ; . \\ back\\slash \\u0041 \u{200F}قالَ عليّ ـــ \u{1F469}\u{200D}\u{2695}\u{FE0F} {long}"
    ))
    .unwrap();
    let entities = r#"{"id": "putin", "type": "Person", "name": {"en": "Vladimir \"Vova\" Putin \\ O'Neil", "ar": "فلاديمير بُوتِين"}},
        {"id": "aliyev", "type": "Person", "name": {"en": "Ilham Aliyev 🇦🇿", "fa": "الهام علی‌اف"}},
        {"id": "mehdiyev", "type": "Person", "name": {"en": "Ramiz Mehdiyev", "ar": "رامز مهدييف"}}"#;
    let facts = format!(
        r#"{{"subject": "putin", "predicate": "warned", "object": "aliyev", "evidence": {evidence}, "certainty": "claimed", "negated": true}},
        {{"subject": "aliyev", "predicate": "accused", "object": "putin", "evidence": "«لا» \"no\""}},
        {{"subject": "mehdiyev", "predicate": "plotted", "object": "aliyev", "evidence": "أذربيجان: 'plot' — \\ end"}}"#
    );
    let embedded = TestStore::new();
    let file = embedded.file(
        "tricky.json",
        &crate::util::doc("tricky-1", entities, &facts),
    );
    embedded.ingest(std::slice::from_ref(&file)).ok();
    for kind in [Kind::Oxigraph, Kind::Virtuoso] {
        let server = RemoteServer::start(kind);
        let client = RemoteClient::new(&server);
        ingest(&client, std::slice::from_ref(&file)).ok();
        assert_same_answers(&embedded, &client, kind);
        // Read back by a second client, from the server alone.
        assert_same_answers(&embedded, &RemoteClient::new(&server), kind);
    }
}
