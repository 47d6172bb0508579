//! The drawings as their readers see them: Python's XML parser and
//! headless Chromium measure the SVG (no two labels overlap, parallel edges
//! are separate curves) and run the HTML page's self-test (offline, legend,
//! search, level of detail, focus). A missing browser fails the test.

use std::process::{Command, Stdio};

use crate::export::{consume, export, python};
use crate::util::TestStore;

/// Checks with Python's XML parser that the SVG is well-formed and that no
/// two node label boxes overlap; returns the number of boxes.
fn label_boxes_in_svg(svg: &str) -> usize {
    let script = "import sys, xml.etree.ElementTree as ET\n\
        root = ET.fromstring(sys.stdin.read())\n\
        ns = '{http://www.w3.org/2000/svg}'\n\
        boxes = [(float(r.get('x')), float(r.get('y')), float(r.get('width')), float(r.get('height')))\n\
                 for r in root.iter(ns + 'rect') if r.get('class') == 'label-box']\n\
        texts = [t for t in root.iter(ns + 'text')]\n\
        bad = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]\n\
               if a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]]\n\
        print(len(boxes), len(bad), len(texts))";
    let (ok, stdout, stderr) = consume(&python(), &["-c", script], svg);
    assert!(ok, "the SVG does not parse as XML: {stderr}");
    let fields: Vec<usize> = stdout
        .split_whitespace()
        .map(|f| f.parse().unwrap())
        .collect();
    assert_eq!(fields[1], 0, "{} pairs of label boxes overlap", fields[1]);
    assert!(fields[2] >= fields[0], "every node has its text");
    fields[0]
}

#[test]
fn our_svg_parses_and_its_labels_never_overlap() {
    let store = TestStore::with_sample();
    let svg = export(&store, &[], "svg");
    let nodes = label_boxes_in_svg(&svg);
    let cytoscape: serde_json::Value =
        serde_json::from_str(&export(&store, &[], "cytoscape")).unwrap();
    assert_eq!(
        nodes,
        cytoscape["elements"]["nodes"].as_array().unwrap().len()
    );
    assert!(svg.contains("class=\"legend\""));
    assert!(export(&store, &["--focus", "putin", "--lang", "ar"], "svg").contains("فلاديمير بوتين"));

    // A generated 300-node graph with hubs.
    let entities: Vec<String> = (0..300)
        .map(|i| {
            format!(r#"{{"id": "p{i}", "type": "Person", "name": {{"en": "Person number {i}", "ar": "شخص {i}"}}}}"#)
        })
        .collect();
    let facts: Vec<String> = (0..300)
        .flat_map(|i| {
            [
                format!(r#"{{"id": "a{i}", "subject": "p{i}", "predicate": "metWith", "object": "p{}"}}"#, (i + 1) % 300),
                format!(r#"{{"id": "b{i}", "subject": "p{i}", "predicate": "metWith", "object": "p{}"}}"#, (i * 7 + 3) % 300),
            ]
        })
        .collect();
    let big = TestStore::new();
    let file = big.file(
        "big.json",
        &crate::util::doc("big-1", &entities.join(","), &facts.join(",")),
    );
    big.run(&["ingest", &file]).ok();
    let svg = big.run(&["export", "--format", "svg"]).ok().stdout;
    assert_eq!(label_boxes_in_svg(&svg), 300);
}

/// Headless Chromium: `STORYGRAPH_TEST_CHROMIUM`, else `chromium`.
pub fn chromium(profile: &std::path::Path, extra: &[&str], page: &str) -> String {
    let program = std::env::var("STORYGRAPH_TEST_CHROMIUM").unwrap_or_else(|_| "chromium".into());
    let mut args = vec![
        "--headless".to_owned(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-background-networking".into(),
        "--no-first-run".into(),
        // Containers often have a small /dev/shm.
        "--disable-dev-shm-usage".into(),
        // Any attempt to reach the network fails.
        "--host-resolver-rules=MAP * ~NOTFOUND".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    args.push(format!("file://{page}"));
    let out = Command::new(&program)
        .args(&args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} is needed by this test ({e}); `.ci/run` installs it")
        });
    assert!(
        out.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Opens an exported page in headless Chromium and returns the report its
/// self-test writes into `<pre id="self-test">`.
pub fn html_self_test(page: &str) -> (tempfile::TempDir, serde_json::Value) {
    let html = std::fs::read_to_string(page).unwrap();
    for outside in ["<script src", "<link ", "@import", "url(http"] {
        assert!(
            !html.contains(outside),
            "the page loads something from outside: {outside}"
        );
    }
    let profile = tempfile::tempdir().unwrap();
    let dom = chromium(profile.path(), &["--dump-dom"], page);
    let report = dom
        .split("<pre id=\"self-test\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| panic!("no self-test result in the page:\n{dom}"));
    let report: serde_json::Value = serde_json::from_str(&report.replace("&quot;", "\""))
        .unwrap_or_else(|e| panic!("{e}: {report}"));
    (profile, report)
}

fn count(report: &serde_json::Value, key: &str) -> f64 {
    report[key]
        .as_f64()
        .unwrap_or_else(|| panic!("no {key} in {report}"))
}

#[test]
fn chromium_opens_the_html_offline_and_the_page_checks_itself() {
    let store = TestStore::with_sample();
    let page = store.file("stories.html", "");
    store.run(&["export", "-o", &page]).ok();
    let (profile, report) = html_self_test(&page);
    let cytoscape: serde_json::Value =
        serde_json::from_str(&export(&store, &[], "cytoscape")).unwrap();
    assert_eq!(
        report["nodes"],
        cytoscape["elements"]["nodes"].as_array().unwrap().len()
    );
    assert_eq!(report["evidenceShown"], true, "{report}");
    assert!(count(&report, "searchFinds") >= 1.0, "{report}");
    // A search puts its best match in the middle and marks every match.
    assert_eq!(report["searchCentred"], true, "{report}");
    assert_eq!(report["searchMarked"], true, "{report}");
    // The legend says what every colour and dash means, denials included.
    let legend = report["legend"].to_string();
    for item in [
        "person",
        "organisation",
        "place",
        "event",
        "confirmed",
        "reported",
        "claimed",
        "denied by someone",
        "search match",
    ] {
        assert!(legend.contains(item), "no {item} in the legend: {legend}");
    }
    // Level of detail: at fit, crowded labels give way (the best connected
    // entity keeps its own) and no edge label is drawn; zoomed in, every
    // entity on screen is named.
    assert_eq!(report["bestConnectedLabelled"], true, "{report}");
    assert!(
        count(&report, "labelsAtFit") < count(&report, "onScreenAtFit"),
        "{report}"
    );
    assert_eq!(count(&report, "edgeLabelsAtFit"), 0.0, "{report}");
    assert!(
        count(&report, "labelsZoomed") / count(&report, "onScreenZoomed")
            > count(&report, "labelsAtFit") / count(&report, "onScreenAtFit"),
        "{report}"
    );
    // The side panel never covers the drawing.
    assert_eq!(report["panelClear"], true, "{report}");
    let shot = profile.path().join("shot.png");
    chromium(
        profile.path(),
        &[
            "--window-size=1200,800",
            &format!("--screenshot={}", shot.display()),
        ],
        &page,
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "{} bytes",
        png.len()
    );
}

#[test]
fn a_focused_html_export_marks_its_focus_and_says_so_in_the_legend() {
    let store = TestStore::with_sample();
    let page = store.file("focus.html", "");
    store
        .run(&[
            "export",
            "--focus",
            "azerbaijan",
            "--hops",
            "1",
            "-o",
            &page,
        ])
        .ok();
    let (_profile, report) = html_self_test(&page);
    assert_eq!(report["focus"], "azerbaijan", "{report}");
    assert_eq!(report["focusMarked"], true, "{report}");
    assert!(report["legend"].to_string().contains("focus"), "{report}");
}

/// Chromium measures the SVG's edge labels as drawn: how many there are,
/// how many pairs overlap, and how many distinct curves join `a` and `b`.
fn measure_svg_in_chromium(store: &TestStore, svg: &str) -> serde_json::Value {
    let page = store.file(
        "measure.html",
        &format!(
            r#"<!DOCTYPE html><html><body>{svg}<pre id="m"></pre><script>
const boxes = [...document.querySelectorAll(".edge-label")].map(t => t.getBBox());
let overlaps = 0;
boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {{
  if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) overlaps++;
}}));
const paths = new Set([...document.querySelectorAll(".edge path")].map(p => p.getAttribute("d")));
document.getElementById("m").textContent = JSON.stringify({{labels: boxes.length, overlaps, paths: paths.size}});
</script></body></html>"#
        ),
    );
    let profile = tempfile::tempdir().unwrap();
    let dom = chromium(profile.path(), &["--dump-dom"], &page);
    let report = dom
        .split("<pre id=\"m\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| panic!("no measurement in the page:\n{dom}"));
    serde_json::from_str(&report.replace("&quot;", "\"")).unwrap()
}

#[test]
fn svg_parallel_edges_are_separate_curves_and_edge_labels_never_overlap() {
    let store = TestStore::new();
    let entities = r#"{"id": "a", "type": "Person", "name": {"en": "Ana"}},
        {"id": "b", "type": "Person", "name": {"en": "Boris"}}"#;
    let facts = r#"{"id": "f1", "subject": "a", "predicate": "metWith", "object": "b"},
        {"id": "f2", "subject": "a", "predicate": "accused", "object": "b"},
        {"id": "f3", "subject": "b", "predicate": "accused", "object": "a"},
        {"id": "f4", "subject": "b", "predicate": "warned", "object": "a"}"#;
    let file = store.file("pair.json", &crate::util::doc("pair-1", entities, facts));
    store.run(&["ingest", &file]).ok();
    let svg = store.run(&["export", "--format", "svg"]).ok().stdout;
    let measured = measure_svg_in_chromium(&store, &svg);
    assert_eq!(measured["paths"], 4, "four edges, four curves: {measured}");
    assert_eq!(measured["labels"], 4, "{measured}");
    assert_eq!(measured["overlaps"], 0, "{measured}");

    // The sample stories: labels as Chromium draws them do not overlap.
    let sample = TestStore::with_sample();
    let measured = measure_svg_in_chromium(&sample, &export(&sample, &[], "svg"));
    assert!(measured["labels"].as_u64().unwrap() > 20, "{measured}");
    assert_eq!(measured["overlaps"], 0, "{measured}");
}
