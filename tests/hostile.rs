//! Hostile input: names and quotes that try to take over the analyst's
//! terminal (escape sequences that clear the screen, retitle the window or
//! write the clipboard; a line break that forges a hop; a bidi override
//! that reorders text) are refused at ingest, and whatever reaches the
//! store another way (a SPARQL update, an RDF file) is shown escaped.

use crate::util::{doc, TestStore};

/// What an attacker puts in a name: clear screen, window title, clipboard
/// write, a forged hop on a line of its own, and a right-to-left override.
const HOSTILE: &str = "Putin\u{1b}[2J\u{1b}]0;pwned\u{7}\u{1b}]52;c;ZWNobyBoaQ==\u{7}\nVladimir Putin —warned→ Trump  [confirmed by Reuters]\u{202E}sretueR";

#[test]
fn control_characters_in_names_titles_and_quotes_are_refused_at_ingest() {
    let store = TestStore::new();
    let name = serde_json::to_string(HOSTILE).unwrap();
    let entities = format!(
        r#"{{"id": "putin", "type": "Person", "name": {{"en": {name}}}}}, {{"id": "aliyev", "type": "Person", "name": {{"en": "Ilham Aliyev"}}}}"#
    );
    let file = store.file(
        "hostile.json",
        &doc(
            "a1",
            &entities,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "evidence": "He said: \u001b[31mred"}"#,
        ),
    );
    let out = store.run(&["ingest", &file]).code(2);
    for expected in [
        "entities[0].name.en: the name",
        "U+001B (ESC, which starts terminal escape sequences) at position 6",
        "articles[0].facts[0].evidence: the evidence",
    ] {
        assert!(
            out.stderr.contains(expected),
            "no {expected:?} in:\n{}",
            out.stderr
        );
    }
    // The message itself is safe to print.
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
    assert!(!store.store_dir().exists() || store.stats()["articles"] == 0);
    // A quote may span lines; a name may not.
    let multi_line = store.file(
        "lines.json",
        &doc(
            "a2",
            crate::util::TWO_PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "evidence": "First line,\nsecond line."}"#,
        ),
    );
    store.run(&["ingest", &multi_line]).ok();
}

#[test]
fn names_that_reach_the_store_another_way_are_shown_escaped_everywhere() {
    let store = TestStore::with_sample();
    let hostile = serde_json::to_string(HOSTILE).unwrap();
    let update = format!(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
         PREFIX ent: <https://w3id.org/storygraph/entity/>
         DELETE {{ ent:putin skos:prefLabel ?l }}
         INSERT {{ ent:putin skos:prefLabel {hostile}@en }}
         WHERE {{ ent:putin skos:prefLabel ?l FILTER(lang(?l) = \"en\") }}"
    );
    store.run(&["update", &update]).ok();
    let commands: [&[&str]; 8] = [
        &["path", "putin", "indonesia"],
        &["neighbors", "putin"],
        &["timeline", "putin"],
        &["find", "putin"],
        &["conflicts"],
        &[
            "query",
            "--format",
            "table",
            "SELECT ?l WHERE { ?e skos:prefLabel ?l }",
        ],
        &[
            "shell",
            "-c",
            ".path putin indonesia",
            "-c",
            ".neighbors putin",
        ],
        &["path", "putin", "nobody-at-all"],
    ];
    let mut seen_escaped = 0;
    for command in commands {
        let out = store.run(command);
        let printed = format!("{}{}", out.stdout, out.stderr);
        for bad in ['\u{1b}', '\u{7}', '\u{202E}'] {
            assert!(
                !printed.contains(bad),
                "{command:?} printed U+{:04X}:\n{printed:?}",
                bad as u32
            );
        }
        assert!(
            !printed
                .lines()
                .any(|l| l.starts_with("Vladimir Putin —warned→ Trump")),
            "{command:?} printed a forged line:\n{printed}"
        );
        if printed.contains("Putin\\e[2J\\e]0;pwned") {
            seen_escaped += 1;
        }
    }
    // The name is there, escaped, not dropped.
    assert!(
        seen_escaped >= 6,
        "the escaped name was shown by {seen_escaped} commands"
    );
    // JSON keeps the original text.
    let json = store.json(&["neighbors", "putin", "--format", "json"]);
    assert_eq!(json["label"], HOSTILE);
}

/// Labels that break each format's syntax: an HTML comment opener before a
/// script tag, markup with an event handler, XML's forbidden characters,
/// a NUL (which ends Graphviz's input), Mermaid's delimiters.
const BREAKERS: &str = "<!--<script></script><img src=x onerror=alert(1)>&amp;\"]]>\u{FFFE}\u{FFFF}\u{0}|#`}]\u{202E}x";

#[test]
fn every_export_of_hostile_labels_opens_in_its_reader() {
    use crate::export::{consume, python};
    let store = TestStore::with_sample();
    let label = serde_json::to_string(BREAKERS).unwrap();
    // Put on an entity and a predicate; the update way, past ingest's checks.
    store
        .run(&[
            "update",
            &format!(
                "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
                 PREFIX ent: <https://w3id.org/storygraph/entity/>
                 PREFIX sg: <https://w3id.org/storygraph/ontology#>
                 DELETE {{ ent:putin skos:prefLabel ?l }}
                 INSERT {{ ent:putin skos:prefLabel {label}@en . sg:warned skos:prefLabel {label}@en }}
                 WHERE {{ ent:putin skos:prefLabel ?l FILTER(lang(?l) = \"en\") }}"
            ),
        ])
        .ok();
    let export = |format: &str| store.run(&["export", "--format", format]).ok().stdout;

    let (ok, _, err) = consume("dot", &["-Tsvg"], &export("dot"));
    assert!(ok, "Graphviz could not read the DOT: {err}");
    for (format, reader) in [
        ("svg", "import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())"),
        ("graphml", "import sys, networkx; g = networkx.read_graphml(sys.stdin.buffer); assert g.number_of_nodes() > 40"),
    ] {
        let (ok, _, err) = consume(&python(), &["-c", reader], &export(format));
        assert!(ok, "the {format} export is not well-formed: {err}");
    }
    let mermaid = export("mermaid");
    assert!(
        !mermaid.contains('\u{0}') && !mermaid.contains("<img"),
        "{mermaid}"
    );
    let rendered = mermaid_render(&store, &mermaid);
    assert!(
        rendered.contains("onerror=alert(1)"),
        "the hostile label is not drawn as text:\n{rendered}"
    );
    assert!(!rendered.contains("<img"), "the label became markup");

    // The page runs (its self-test reports), the label is text, not markup.
    let page = store.file("hostile.html", "");
    store.run(&["export", "-o", &page]).ok();
    let (profile, report) = crate::drawings::html_self_test(&page);
    assert_eq!(report["evidenceShown"], true, "{report}");
    let dom = crate::drawings::chromium(profile.path(), &["--dump-dom"], &page);
    assert!(!dom.contains("<img"), "the label became markup");
}

/// Where `.ci/provision` puts Mermaid's bundle, or `STORYGRAPH_TEST_MERMAID`.
fn mermaid_bundle() -> std::path::PathBuf {
    if let Some(bundle) = std::env::var_os("STORYGRAPH_TEST_MERMAID") {
        return bundle.into();
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(&std::env::var_os("HOME").unwrap()).join(".cache"));
    cache.join("storygraph/mermaid-11.17.2/mermaid.min.js")
}

/// Mermaid itself (its released bundle, in headless Chromium, strict
/// security) parses and draws `text`; returns the SVG it drew, failing on
/// a parse error.
fn mermaid_render(store: &TestStore, text: &str) -> String {
    let bundle = mermaid_bundle();
    assert!(
        bundle.exists(),
        "{} is needed by this test; `.ci/provision` installs it",
        bundle.display()
    );
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let page = store.file(
        "mermaid.html",
        &format!(
            r#"<!doctype html><meta charset="utf-8">
<script src="file://{}"></script>
<pre id="source">{escaped}</pre><div id="drawn"></div><pre id="result">pending</pre>
<script>
mermaid.initialize({{ startOnLoad: false, securityLevel: "strict" }});
mermaid.render("g", document.getElementById("source").textContent).then(
  (r) => {{ document.getElementById("drawn").innerHTML = r.svg;
           document.getElementById("result").textContent = "drawn"; }},
  (e) => {{ document.getElementById("result").textContent = "error: " + e; }});
</script>"#,
            bundle.display()
        ),
    );
    let profile = tempfile::tempdir().unwrap();
    let dom = crate::drawings::chromium(
        profile.path(),
        &[
            "--allow-file-access-from-files",
            "--virtual-time-budget=20000",
            "--dump-dom",
        ],
        &page,
    );
    let result = dom
        .split("<pre id=\"result\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or("");
    assert_eq!(
        result, "drawn",
        "Mermaid could not read the export:\n{text}"
    );
    let drawn = dom
        .split("<div id=\"drawn\">")
        .nth(1)
        .unwrap_or("")
        .split("<pre id=\"result\">")
        .next()
        .unwrap_or("");
    assert!(drawn.contains("<svg"), "{dom}");
    drawn.to_owned()
}

#[test]
fn text_nested_too_deep_for_a_parser_is_refused_and_the_shell_goes_on() {
    let store = TestStore::with_sample();
    let groups = format!(
        "SELECT * WHERE {}?s ?p ?o{}",
        "{".repeat(3000),
        "}".repeat(3000)
    );
    let parens = format!(
        "ASK {{ ?s ?p ?o FILTER({}1{}) }}",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let update = format!(
        "INSERT DATA {{ <x:s> <x:p> {}<x:a> <x:b> <x:c>{} }}",
        "<<( <x:a> <x:b> ".repeat(3000),
        " )>>".repeat(3000)
    );
    for (command, text) in [("query", &groups), ("query", &parens), ("update", &update)] {
        let out = store.run(&[command, text]).code(2);
        assert!(
            out.stderr.contains("nest deeper than 128 levels"),
            "{command}: {}",
            &out.stderr[..out.stderr.len().min(500)]
        );
    }
    let turtle = store.file(
        "deep.ttl",
        &format!(
            "@prefix ex: <http://example.org/> .\nex:s ex:p {}ex:c{} .\n",
            "<<( ex:a ex:b ".repeat(30_000),
            " )>>".repeat(30_000)
        ),
    );
    let out = store.run(&["ingest", &turtle]).code(2);
    assert!(out.stderr.contains("line 2, column"), "{}", out.stderr);
    let json = store.file(
        "deep.json",
        &format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    );
    let out = store.run(&["ingest", &json]).code(2);
    assert!(out.stderr.contains("deep.json"), "{}", out.stderr);
    assert_eq!(store.stats()["articles"], 3);
    // The shell says so and goes on to the next statement.
    let script = format!("{groups};\n.stats\n");
    let out = store.run_with_stdin(&["shell", "--keep-going"], Some(&script));
    assert!(out.stderr.contains("nest deeper than 128 levels"));
    assert!(out.stdout.contains("named graphs"), "{}", out.stdout);
}
