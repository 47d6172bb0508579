//! `storygraph serve` driven by clients we do not control: curl with every
//! Accept type, SPARQLWrapper and rdflib's SPARQLStore, rdflib federating
//! into it by SERVICE; and the server's own answers checked against the
//! CLI's on the sample stories (query results, graphs, paths).

use std::process::Command;

use crate::export::python;
use crate::util::serve::{form_encode, query_url, Server};
use crate::util::TestStore;

const STATEMENTS: &str =
    "SELECT ?stmt ?certainty WHERE { ?stmt sg:certainty ?certainty } ORDER BY ?stmt";
const CLAIMS: &str =
    "CONSTRUCT { ?stmt sg:certainty sg:claimed } WHERE { ?stmt sg:certainty sg:claimed }";

#[test]
fn every_results_format_is_the_cli_s_output_by_accept_type() {
    let store = TestStore::with_sample();
    let server = Server::start(&store, &[]);
    for (accept, format, media) in [
        (
            "application/sparql-results+json",
            "json",
            "application/sparql-results+json",
        ),
        (
            "application/sparql-results+xml",
            "xml",
            "application/sparql-results+xml",
        ),
        ("text/csv", "csv", "text/csv"),
        (
            "text/tab-separated-values",
            "tsv",
            "text/tab-separated-values",
        ),
    ] {
        let (status, content_type, body) = server.get(&query_url(STATEMENTS), accept);
        assert_eq!(status, 200, "{accept}: {body}");
        assert!(content_type.starts_with(media), "{accept}: {content_type}");
        let cli = store
            .run(&["query", "--format", format, STATEMENTS])
            .ok()
            .stdout;
        assert_eq!(body.trim_end(), cli.trim_end(), "{accept}");
    }
    let cli = store
        .run(&["query", "--format", "ntriples", CLAIMS])
        .ok()
        .stdout;
    assert!(cli.contains("claimed"), "the sample has claims: {cli}");
    let (status, content_type, body) = server.get(&query_url(CLAIMS), "application/n-triples");
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/n-triples")
    );
    assert_eq!(body.trim_end(), cli.trim_end());
    for (accept, media) in [
        ("text/turtle", "text/turtle"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("*/*", "text/turtle"),
    ] {
        let (status, content_type, body) = server.get(&query_url(CLAIMS), accept);
        assert_eq!(status, 200, "{accept}: {body}");
        assert!(content_type.starts_with(media), "{accept}: {content_type}");
        // rdflib reads each one back to the same graph as the N-Triples.
        let format = match media {
            "text/turtle" => "turtle",
            "application/rdf+xml" => "xml",
            _ => "json-ld",
        };
        let script = format!(
            "import sys, rdflib\n\
             a = rdflib.Graph().parse(data=sys.stdin.read(), format='{format}')\n\
             b = rdflib.Graph().parse(data='''{}''', format='nt')\n\
             print(len(a), rdflib.compare.isomorphic(a, b))",
            cli.replace('\\', "\\\\")
        );
        let (ok, stdout, stderr) = crate::export::consume(
            &python(),
            &["-c", &format!("import rdflib.compare\n{script}")],
            &body,
        );
        let lines = cli.lines().count();
        assert!(ok, "{accept}: {stderr}");
        assert_eq!(stdout.trim(), format!("{lines} True"), "{accept}: {body}");
    }
    // A form POST and a direct POST answer as the GET does.
    let (_, _, get) = server.get(&query_url(STATEMENTS), "text/csv");
    let (status, _, form) = server.curl(
        "/sparql",
        &[
            "-H",
            "Accept: text/csv",
            "--data-urlencode",
            &format!("query={STATEMENTS}"),
        ],
    );
    assert_eq!((status, &form), (200, &get));
    let (status, _, direct) = server.curl(
        "/sparql",
        &[
            "-H",
            "Accept: text/csv",
            "-H",
            "Content-Type: application/sparql-query",
            "--data-binary",
            STATEMENTS,
        ],
    );
    assert_eq!((status, &direct), (200, &get));
    // ?format= for a link typed by hand.
    let (status, content_type, _) =
        server.get(&format!("{}&format=tsv", query_url(STATEMENTS)), "");
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/tab-separated-values"));
    let (code, said) = server.stop();
    assert_eq!(code, 0, "SIGTERM stops the server cleanly: {said}");
    assert!(said.contains("stopped"), "{said}");
}

#[test]
fn the_default_graph_is_the_union_unless_the_request_names_a_dataset() {
    let store = TestStore::with_sample();
    let server = Server::start(&store, &[]);
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s sg:certainty sg:claimed }";
    let cli = store.run(&["query", "--format", "csv", count]).ok().stdout;
    let (_, _, union) = server.get(&query_url(count), "text/csv");
    assert_eq!(union.trim_end(), cli.trim_end());
    assert_ne!(union.lines().nth(1), Some("0"), "{union}");
    // Only the default graph (the entities): no statement is there.
    let url = format!(
        "{}&default-graph-uri={}",
        query_url(count),
        form_encode("urn:x-arq:DefaultGraph")
    );
    let (status, _, narrowed) = server.get(&url, "text/csv");
    assert_eq!(
        (status, narrowed.lines().nth(1).map(str::trim)),
        (200, Some("0")),
        "{narrowed}"
    );
    let articles = store.json(&["articles", "--format", "json"]);
    let first = articles[0]["id"].as_str().unwrap();
    let (_, _, one) = server.get(
        &format!(
            "{}&default-graph-uri={}",
            query_url("SELECT (COUNT(*) AS ?n) WHERE { ?s sg:certainty ?c }"),
            form_encode(&format!("https://w3id.org/storygraph/article/{first}"))
        ),
        "text/csv",
    );
    let all = store
        .run(&[
            "query",
            "--format",
            "csv",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s sg:certainty ?c }",
        ])
        .ok()
        .stdout;
    let in_one: usize = one.lines().nth(1).unwrap().trim().parse().unwrap();
    let in_all: usize = all.lines().nth(1).unwrap().trim().parse().unwrap();
    assert!(0 < in_one && in_one < in_all, "{in_one} of {in_all}");
}

#[test]
fn bad_requests_get_the_status_and_a_message_that_says_why() {
    let store = TestStore::with_sample();
    let server = Server::start(&store, &["--max-body", "200"]);
    let (status, _, body) = server.get(&query_url("SELECT ?s WHERE { ?s ?p ?o"), "");
    assert_eq!(status, 400);
    assert!(body.contains("line 1"), "{body}");
    let (status, _, body) = server.get(&query_url(STATEMENTS), "text/turtle");
    assert_eq!(status, 406);
    assert!(body.contains("application/sparql-results+json"), "{body}");
    let (status, _, _) = server.curl(
        "/sparql",
        &["-H", "Content-Type: text/plain", "--data-binary", "ASK {}"],
    );
    assert_eq!(status, 415);
    let long = format!("ASK {{ {} }}", "?s ?p ?o . ".repeat(40));
    let (status, _, body) = server.curl(
        "/sparql",
        &[
            "-H",
            "Content-Type: application/sparql-query",
            "--data-binary",
            &long,
        ],
    );
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("--max-body"), "{body}");
    let (status, _, body) = server.get("/nowhere", "");
    assert_eq!(status, 404);
    assert!(body.contains("/sparql"), "{body}");
    let (status, _, _) = server.curl("/sparql", &["-X", "DELETE"]);
    assert_eq!(status, 405);
    // Read-only: no update, no Graph Store write, and the store is as it was.
    let before = store
        .run(&["query", "--format", "csv", STATEMENTS])
        .ok()
        .stdout;
    let (status, _, body) = server.curl("/sparql", &["--data-urlencode", "update=CLEAR ALL"]);
    assert_eq!(status, 403);
    assert!(body.contains("--read-write"), "{body}");
    let (status, _, _) = server.curl("/store?default", &["-X", "DELETE"]);
    assert_eq!(status, 403);
    drop(server);
    assert_eq!(
        store
            .run(&["query", "--format", "csv", STATEMENTS])
            .ok()
            .stdout,
        before
    );
}

#[test]
fn a_query_past_the_timeout_is_stopped_and_the_server_goes_on() {
    let store = TestStore::with_sample();
    let server = Server::start(&store, &["--timeout", "0.5"]);
    let heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
    let (status, _, body) = server.get(&query_url(heavy), "");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("0.5"), "{body}");
    let (status, _, _) = server.get(&query_url("ASK { ?s ?p ?o }"), "");
    assert_eq!(status, 200);
}

#[test]
fn the_graph_store_protocol_reads_and_writes_whole_graphs() {
    let store = TestStore::new();
    let server = Server::start(&store, &["--read-write"]);
    let graph = "/store?graph=http%3A%2F%2Fexample.org%2Fnotes";
    let turtle = "@prefix ex: <http://example.org/> . ex:baku ex:near ex:caspian . ex:baku ex:label \"باكو\"@ar .";
    // From a file: curl would read a body starting with `@` as a file name.
    let put = |body: &str, method: &str| {
        let file = store.file("body.ttl", body);
        server.curl(
            graph,
            &[
                "-X",
                method,
                "-H",
                "Content-Type: text/turtle",
                "--data-binary",
                &format!("@{file}"),
            ],
        )
    };
    assert_eq!(put(turtle, "PUT").0, 201);
    assert_eq!(put(turtle, "PUT").0, 204, "a second PUT replaces");
    let (status, content_type, body) = server.get(graph, "application/n-triples");
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/n-triples")
    );
    assert_eq!(body.lines().count(), 2, "{body}");
    assert!(body.contains("\"باكو\"@ar"), "{body}");
    assert_eq!(
        put(
            "<http://example.org/a> <http://example.org/b> <http://example.org/c> .",
            "POST"
        )
        .0,
        204
    );
    let (_, _, body) = server.get(graph, "application/n-triples");
    assert_eq!(body.lines().count(), 3, "POST adds: {body}");
    // The SPARQL endpoint sees the graph, and updates by form work.
    let (_, _, count) = server.get(
        &query_url(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/notes> { ?s ?p ?o } }",
        ),
        "text/csv",
    );
    assert_eq!(count.lines().nth(1).map(str::trim), Some("3"));
    let (status, _, _) = server.curl(
        "/sparql",
        &["--data-urlencode", "update=DELETE DATA { GRAPH <http://example.org/notes> { <http://example.org/a> <http://example.org/b> <http://example.org/c> } }"],
    );
    assert_eq!(status, 204);
    let (_, _, body) = server.get(graph, "application/n-triples");
    assert_eq!(body.lines().count(), 2);
    // A body that does not parse changes nothing.
    let (status, _, body) = put("ex:broken ex:turtle", "PUT");
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        server.get(graph, "application/n-triples").2.lines().count(),
        2
    );
    assert_eq!(server.curl(graph, &["-X", "DELETE"]).0, 204);
    assert_eq!(server.get(graph, "").0, 404);
    assert_eq!(server.curl(graph, &["-X", "DELETE"]).0, 404);
    // What was written through the server is in the store after it stops.
    assert_eq!(put(turtle, "PUT").0, 201);
    let (code, _) = server.stop();
    assert_eq!(code, 0);
    let out = store
        .run(&[
            "query",
            "--format",
            "csv",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/notes> { ?s ?p ?o } }",
        ])
        .ok()
        .stdout;
    assert_eq!(out.lines().nth(1), Some("2"), "{out}");
}

#[test]
fn path_answers_the_path_command_s_json_document() {
    let store = TestStore::with_sample();
    let server = Server::start(&store, &[]);
    let cli = store
        .run(&[
            "path",
            "putin",
            "القوة الدولية في غزة",
            "--k",
            "2",
            "--format",
            "json",
        ])
        .ok()
        .stdout;
    let (status, content_type, body) = server.get(
        &format!(
            "/path?from=putin&to={}&k=2",
            form_encode("القوة الدولية في غزة")
        ),
        "",
    );
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/json"),
        "{body}"
    );
    assert_eq!(body.trim_end(), cli.trim_end());
    let (status, _, text) = server.get("/path?from=putin&to=aliyev&format=text", "");
    assert_eq!(status, 200);
    assert_eq!(
        text.trim_end(),
        store
            .run(&["path", "putin", "aliyev"])
            .ok()
            .stdout
            .trim_end()
    );
    let (status, _, body) = server.get("/path?from=putn&to=aliyev", "");
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("did you mean \"Vladimir Putin\""), "{body}");
    let (status, _, body) = server.get("/path?from=putin&to=aliyev&directd=1", "");
    assert_eq!(status, 400);
    assert!(body.contains("directed"), "{body}");
}

#[test]
fn cors_headers_only_for_the_origins_allowed() {
    let store = TestStore::with_sample();
    let closed = Server::start(&store, &[]);
    let headers = |server: &Server, origin: &str, method: &str| {
        let out = Command::new("curl")
            .args(["-sS", "-D", "-", "-o", "/dev/null", "-X", method, "-H"])
            .arg(format!("Origin: {origin}"))
            .arg(format!("{}{}", server.base, query_url("ASK {}")))
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().to_ascii_lowercase()
    };
    assert!(!headers(&closed, "http://newsroom.example", "GET").contains("access-control"));
    drop(closed);
    let open = Server::start(&store, &["--cors", "http://newsroom.example"]);
    let allowed = headers(&open, "http://newsroom.example", "GET");
    assert!(
        allowed.contains("access-control-allow-origin: http://newsroom.example"),
        "{allowed}"
    );
    assert!(!headers(&open, "http://elsewhere.example", "GET").contains("access-control"));
    let preflight = headers(&open, "http://newsroom.example", "OPTIONS");
    assert!(
        preflight.contains("access-control-allow-methods"),
        "{preflight}"
    );
}

#[test]
fn python_clients_get_the_answers_the_cli_gives() {
    let store = TestStore::with_sample();
    let server = Server::start(&store, &[]);
    let count = |query: &str| {
        let out = store.run(&["query", "--format", "csv", query]).ok().stdout;
        out.lines().nth(1).unwrap().trim().to_owned()
    };
    let statements = count("SELECT (COUNT(*) AS ?n) WHERE { ?s sg:certainty ?c }");
    let claims = count("SELECT (COUNT(*) AS ?n) WHERE { ?s sg:certainty sg:claimed }");
    let script = format!(
        r#"
import sys
from SPARQLWrapper import SPARQLWrapper, JSON, XML, TURTLE
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
endpoint = "{base}/sparql"
prefix = "PREFIX sg: <https://w3id.org/storygraph/ontology#> "
w = SPARQLWrapper(endpoint)
w.setQuery(prefix + "SELECT ?s WHERE {{ ?s sg:certainty ?c }}")
for fmt in (JSON, XML):
    w.setReturnFormat(fmt)
    r = w.query().convert()
    n = len(r["results"]["bindings"]) if fmt == JSON else len(r.getElementsByTagName("result"))
    print("wrapper-select", n)
w.setQuery(prefix + "ASK {{ ?s sg:certainty sg:claimed }}")
w.setReturnFormat(JSON)
print("wrapper-ask", w.query().convert()["boolean"])
w.setQuery(prefix + "CONSTRUCT {{ ?s sg:certainty sg:claimed }} WHERE {{ ?s sg:certainty sg:claimed }}")
w.setReturnFormat(TURTLE)
g = Graph().parse(data=w.query().convert(), format="turtle")
print("wrapper-construct", len(g))
s = SPARQLStore(endpoint)
print("store-select", len(list(s.query(prefix + "SELECT ?s WHERE {{ ?s sg:certainty ?c }}"))))
print("store-ask", s.query(prefix + "ASK {{ ?s sg:certainty sg:claimed }}").askAnswer)
print("store-construct", len(s.query(prefix + "CONSTRUCT {{ ?s sg:certainty sg:claimed }} WHERE {{ ?s sg:certainty sg:claimed }}").graph))
local = Graph()
# rdflib's parser takes no prefixed name inside SERVICE: full IRIs.
sg = "https://w3id.org/storygraph/ontology#"
rows = local.query("SELECT ?s WHERE {{ SERVICE <" + endpoint + "> {{ ?s <" + sg + "certainty> <" + sg + "claimed> }} }}")
print("rdflib-service", len(list(rows)))
"#,
        base = server.base
    );
    let (ok, stdout, stderr) = crate::export::consume(&python(), &["-c", &script], "");
    assert!(ok, "{stderr}\n{stdout}");
    let expected = format!(
        "wrapper-select {statements}\nwrapper-select {statements}\nwrapper-ask True\n\
         wrapper-construct {claims}\nstore-select {statements}\nstore-ask True\n\
         store-construct {claims}\nrdflib-service {claims}\n"
    );
    assert_eq!(stdout, expected);
}

#[test]
fn service_is_refused_unless_allowed_and_then_reaches_the_endpoint() {
    let store = TestStore::with_sample();
    let source = Server::start(&store, &[]);
    let federated = format!(
        "SELECT (COUNT(*) AS ?n) WHERE {{ SERVICE <{}/sparql> {{ ?s sg:certainty sg:claimed }} }}",
        source.base
    );
    let refusing = Server::start(&store, &[]);
    let (status, _, body) = refusing.get(&query_url(&federated), "text/csv");
    assert_ne!(status, 200);
    assert!(body.contains("--allow-service"), "{body}");
    drop(refusing);
    let allowing = Server::start(&store, &["--allow-service"]);
    let (status, _, body) = allowing.get(&query_url(&federated), "text/csv");
    assert_eq!(status, 200, "{body}");
    let direct = store
        .run(&[
            "query",
            "--format",
            "csv",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s sg:certainty sg:claimed }",
        ])
        .ok()
        .stdout;
    assert_eq!(body.trim_end(), direct.trim_end());
}

#[test]
fn the_readme_s_curl_lines_print_what_it_shows() {
    let store = TestStore::with_sample();
    let server = Server::start(&store, &[]);
    let section = crate::readme::section("Beyond one machine: `serve`");
    let mut last: Option<(String, String)> = None;
    let mut checked = 0;
    for (lang, body) in crate::readme::fenced_blocks(&section) {
        match lang.as_str() {
            "bash" => {
                for line in body.lines().filter(|l| l.starts_with("curl ")) {
                    let line = line.replace("http://127.0.0.1:7878", &server.base);
                    let out = Command::new("sh").arg("-c").arg(&line).output().unwrap();
                    assert!(out.status.success(), "{line}");
                    last = Some((line, String::from_utf8(out.stdout).unwrap()));
                }
            }
            "" => {
                let (line, printed) = last.as_ref().expect("a command before its output");
                for expected in body.lines().filter(|l| !l.trim().is_empty()) {
                    assert!(
                        printed.lines().any(|p| p.trim_end().starts_with(expected.trim_end())),
                        "`{line}` did not print the README's line\n  {expected}\nit printed:\n{printed}"
                    );
                    checked += 1;
                }
            }
            _ => {}
        }
    }
    assert!(checked >= 3, "only {checked} lines checked");
}
