//! Exports opened by the tools people use: Graphviz renders every DOT
//! export without a warning, networkx reads the GraphML with the right
//! counts and attributes, the Cytoscape JSON is consistent, and the DOT and
//! Mermaid text of a small fixed graph are pinned by snapshots. A missing
//! consumer fails the test (`.ci/run` installs them).

use std::io::Write;
use std::process::{Command, Stdio};

use crate::util::TestStore;

/// The selections every format is tried on.
const SELECTIONS: &[&[&str]] = &[
    &[],
    &["--focus", "mehdiyev", "--hops", "2"],
    &["--path", "putin", "indonesia", "--k", "3"],
    &[
        "--article",
        "zaman-2025-10-19-azerbaijan-coup",
        "--lang",
        "ar",
    ],
    &["--min-certainty", "confirmed"],
];

pub fn export(store: &TestStore, selection: &[&str], format: &str) -> String {
    let mut args = vec!["export", "--format", format];
    args.extend_from_slice(selection);
    store.run(&args).ok().stdout
}

/// Runs `program args` with `input` on stdin; returns (status ok, stderr).
pub fn consume(program: &str, args: &[&str], input: &str) -> (bool, String, String) {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{program} is needed by this test ({e}); `.ci/run` installs it")
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The Python with networkx and rdflib: `STORYGRAPH_TEST_PYTHON`, else the
/// venv `.ci/provision` makes (`STORYGRAPH_TEST_VENV`, else
/// `~/.cache/storygraph/test-venv`), else `python3`.
pub fn python() -> String {
    if let Ok(python) = std::env::var("STORYGRAPH_TEST_PYTHON") {
        return python;
    }
    match crate::util::venv_program("python") {
        python if python.exists() => python.display().to_string(),
        _ => "python3".to_owned(),
    }
}

#[test]
fn graphviz_renders_every_dot_export_without_warnings() {
    let store = TestStore::with_sample();
    for selection in SELECTIONS {
        let dot = export(&store, selection, "dot");
        let (ok, svg, warnings) = consume("dot", &["-Tsvg"], &dot);
        assert!(
            ok && warnings.is_empty(),
            "{selection:?}: {warnings}\n{dot}"
        );
        assert!(svg.contains("<svg"), "{selection:?}");
    }
    // Labels in Arabic reach the drawing as text.
    let (_, svg, _) = consume(
        "dot",
        &["-Tsvg"],
        &export(&store, &["--focus", "putin", "--lang", "ar"], "dot"),
    );
    assert!(svg.contains("فلاديمير بوتين"), "{svg}");
}

#[test]
fn networkx_reads_the_graphml_with_its_counts_and_attributes() {
    let store = TestStore::with_sample();
    for selection in SELECTIONS {
        let graphml = export(&store, selection, "graphml");
        let cytoscape: serde_json::Value =
            serde_json::from_str(&export(&store, selection, "cytoscape")).unwrap();
        let nodes = cytoscape["elements"]["nodes"].as_array().unwrap().len();
        let edges = cytoscape["elements"]["edges"].as_array().unwrap().len();
        let script = "import sys, json, networkx as nx\n\
            g = nx.read_graphml(sys.stdin)\n\
            e = [d for _, _, d in g.edges(data=True)]\n\
            n = [d for _, d in g.nodes(data=True)]\n\
            print(json.dumps({'nodes': g.number_of_nodes(), 'edges': g.number_of_edges(),\n\
              'certainties': sorted({d['certainty'] for d in e}),\n\
              'statements_are_ints': all(isinstance(d['statements'], int) for d in e),\n\
              'kinds': sorted({d['kind'] for d in n}),\n\
              'labels': sorted(d['label'] for d in n)}))";
        let (ok, stdout, stderr) = consume(&python(), &["-c", script], &graphml);
        assert!(
            ok,
            "networkx could not read the GraphML ({selection:?}): {stderr}\n(run `bash .ci/provision`, or set STORYGRAPH_TEST_PYTHON to a Python with networkx)"
        );
        let read: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(read["nodes"], nodes, "{selection:?}");
        assert_eq!(read["edges"], edges, "{selection:?}");
        assert_eq!(read["statements_are_ints"], true);
        if selection.contains(&"confirmed") {
            assert_eq!(read["certainties"], serde_json::json!(["confirmed"]));
        }
        if selection.contains(&"ar") {
            let labels = read["labels"].to_string();
            assert!(labels.contains("بوتين"), "{labels}");
        }
    }
}

#[test]
fn cytoscape_edges_join_drawn_nodes_and_paths_are_highlighted() {
    let store = TestStore::with_sample();
    let doc: serde_json::Value = serde_json::from_str(&export(
        &store,
        &["--path", "putin", "indonesia"],
        "cytoscape",
    ))
    .unwrap();
    let ids: Vec<&str> = doc["elements"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["data"]["id"].as_str().unwrap())
        .collect();
    let edges = doc["elements"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 4, "the 4 hops of the path");
    for edge in edges {
        assert!(ids.contains(&edge["data"]["source"].as_str().unwrap()));
        assert!(ids.contains(&edge["data"]["target"].as_str().unwrap()));
        assert_eq!(edge["data"]["highlighted"], true);
    }
}

#[test]
fn dot_and_mermaid_of_a_small_graph_are_stable() {
    let store = TestStore::with_sample();
    let selection = ["--focus", "gaza-force", "--hops", "1"];
    insta::assert_snapshot!("focus_gaza_force_dot", export(&store, &selection, "dot"));
    insta::assert_snapshot!(
        "focus_gaza_force_mermaid",
        export(&store, &selection, "mermaid")
    );
}

#[test]
fn files_get_their_format_from_the_extension_and_the_shell_exports_too() {
    let store = TestStore::with_sample();
    let file = store.file("stories.graphml", "");
    let out = store.run(&["export", "-o", &file]).ok();
    assert!(out.stderr.starts_with("wrote "), "{}", out.stderr);
    assert!(std::fs::read_to_string(&file).unwrap().contains("<graphml"));
    let mermaid = store.file("path.mmd", "");
    store
        .run(&[
            "shell",
            "-c",
            &format!(".export --path putin aliyev -o {mermaid}"),
        ])
        .ok();
    assert!(std::fs::read_to_string(&mermaid)
        .unwrap()
        .starts_with("flowchart LR"));
    let bad = store.run(&["export", "-o", "picture.png"]).code(2);
    assert!(
        bad.stderr
            .contains("--format dot|graphml|mermaid|cytoscape"),
        "{}",
        bad.stderr
    );
    let unknown = store.run(&["export", "--focus", "nobody-at-all"]).code(2);
    assert!(unknown.stderr.contains("no entity is called"));
    let same = store.run(&["export", "--path", "putin", "بوتين"]).code(2);
    assert!(
        same.stderr.contains("name the same entity"),
        "{}",
        same.stderr
    );
}

#[test]
fn rdflib_reads_the_rdf_exports_without_triple_terms() {
    let store = TestStore::with_sample();
    let script = "import sys, rdflib\n\
        fmt = sys.argv[1]\n\
        data = sys.stdin.read()\n\
        g = rdflib.Dataset() if fmt in ('trig', 'nquads', 'json-ld') else rdflib.Graph()\n\
        g.parse(data=data, format=fmt)\n\
        SG = rdflib.Namespace('https://w3id.org/storygraph/ontology#')\n\
        quads = list(g.quads((None, None, None, None))) if isinstance(g, rdflib.Dataset) else [(s, p, o, None) for s, p, o in g]\n\
        statements = {s for s, p, o, _ in quads if p == rdflib.RDF.type and o == SG.Statement}\n\
        evidence = [str(o) for s, p, o, _ in quads if p == SG.evidence]\n\
        print(len(quads), len(statements), any('حذّر' in e for e in evidence))";
    for (format, rdflib_format) in [
        ("turtle", "turtle"),
        ("trig", "trig"),
        ("nquads", "nquads"),
        ("jsonld", "json-ld"),
    ] {
        let mut args = vec!["export", "--focus", "putin", "--format", format];
        if format != "jsonld" {
            args.push("--no-triple-terms");
        }
        let rdf = store.run(&args).ok().stdout;
        assert!(!rdf.contains("<<("), "{format} still has triple terms");
        let (ok, stdout, stderr) = consume(&python(), &["-c", script, rdflib_format], &rdf);
        assert!(ok, "rdflib could not read the {format} export: {stderr}");
        let fields: Vec<&str> = stdout.split_whitespace().collect();
        let statements: usize = fields[1].parse().unwrap();
        assert!(statements >= 5, "{format}: {stdout}");
        assert_eq!(
            fields[2], "True",
            "{format}: the warning's Arabic evidence is there"
        );
    }
}

#[test]
fn oxigraph_round_trips_the_full_rdf_exports() {
    use oxigraph::io::{RdfFormat, RdfParser};
    let store = TestStore::with_sample();
    let parse = |format: RdfFormat, text: &str| -> Vec<oxigraph::model::Quad> {
        RdfParser::from_format(format)
            .for_slice(text.as_bytes())
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{format}: {e}\n{text}"))
    };
    let trig = store
        .run(&["export", "--path", "putin", "indonesia", "--format", "trig"])
        .ok()
        .stdout;
    let nquads = store
        .run(&[
            "export",
            "--path",
            "putin",
            "indonesia",
            "--format",
            "nquads",
        ])
        .ok()
        .stdout;
    let mut from_trig = parse(RdfFormat::TriG, &trig);
    let mut from_nquads = parse(RdfFormat::NQuads, &nquads);
    from_trig.sort_by_key(|q| q.to_string());
    from_nquads.sort_by_key(|q| q.to_string());
    assert_eq!(from_trig, from_nquads);
    // Four hops, four statements, each with its triple term and direct triple.
    let reifies = from_trig
        .iter()
        .filter(|q| q.predicate.as_str().ends_with("#reifies"))
        .count();
    assert_eq!(reifies, 4);
    // And the store reads its own export back: ingest it into a new store.
    let file = store.file("paths.trig", &trig);
    let other = TestStore::new();
    other.run(&["ingest", &file]).ok();
    let dumped = other.run(&["dump"]).ok().stdout;
    for quad in &from_trig {
        assert!(
            dumped.contains(&quad.to_string()),
            "lost on the way back: {quad}"
        );
    }
}

#[test]
fn a_query_chooses_the_facts_to_draw() {
    let store = TestStore::with_sample();
    let edges = |args: &[&str]| -> Vec<(String, String, String)> {
        let doc: serde_json::Value =
            serde_json::from_str(&export(&store, args, "cytoscape")).unwrap();
        let mut found: Vec<(String, String, String)> = doc["elements"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let d = &e["data"];
                let s = |k: &str| d[k].as_str().unwrap().to_owned();
                (s("source"), s("label"), s("target"))
            })
            .collect();
        found.sort();
        found
    };
    let select = edges(&[
        "--query",
        "SELECT ?source ?target WHERE { ?source sg:pledgedTroopsTo ?target }",
    ]);
    assert_eq!(
        select,
        [(
            "azerbaijan".to_owned(),
            "pledged troops to".to_owned(),
            "gaza-force".to_owned()
        )]
    );
    // ?edge picks one of the facts between two entities.
    let warned = edges(&[
        "--query",
        "SELECT ?source ?edge ?target WHERE { VALUES (?source ?edge ?target) { (ent:putin sg:warned ent:aliyev) } }",
    ]);
    assert_eq!(warned.len(), 1);
    assert_eq!(warned[0].1, "warned");
    let construct = edges(&[
        "--query",
        "CONSTRUCT { ?s sg:mayContributeTroopsTo ?o } WHERE { ?s sg:mayContributeTroopsTo ?o }",
    ]);
    assert_eq!(construct.len(), 3, "{construct:?}");
    assert!(construct
        .iter()
        .all(|(_, label, target)| label == "may contribute troops to" && target == "gaza-force"));
    let ask = store
        .run(&["export", "--query", "ASK { ?s ?p ?o }"])
        .code(2);
    assert!(ask.stderr.contains("not an ASK"));
}

#[test]
fn export_help_lists_every_format_it_writes() {
    let store = TestStore::new();
    for help in ["-h", "--help"] {
        let text = store.run(&["export", help]).ok().stdout;
        for format in [
            "dot",
            "graphml",
            "mermaid",
            "cytoscape",
            "svg",
            "html",
            "nquads",
        ] {
            assert!(
                text.contains(format),
                "export {help} lacks {format}:\n{text}"
            );
        }
    }
}
