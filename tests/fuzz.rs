//! Fuzzing on stable Rust (cargo-fuzz needs nightly, which this machine
//! cannot fetch): seeded mutation of real inputs (byte flips, inserted
//! JSON and Unicode trouble, cut and repeated runs, splices of two seeds),
//! without coverage feedback. Each target runs a fixed number of cases in
//! the default test run and for a bounded time under `tests/fuzz.sh`
//! (`STORYGRAPH_FUZZ_SECONDS`); a panic fails with the input saved, to be
//! kept as a regression case below. Targets: the input reader and the
//! validator (the library's whole ingest into an in-memory store), time
//! specs, name normalisation and terminal escaping, the shell's
//! statement splitter and dot-command parser (through the real binary),
//! and the drawings' escapers (each format read back as its reader does).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use storygraph::ingest::{ingest, IngestOptions, InputSource, OnError};
use storygraph::input::read::{Lines, Stream};
use storygraph::normalize::{is_unsafe_for_display, match_key, translit_key};
use storygraph::render::terminal::shown;
use storygraph::store::GraphStore;
use storygraph::timespec::TimeSpec;

use crate::util::{root, TestStore};

/// Cases per target in the default run.
const DEFAULT_CASES: usize = 2000;

/// What mutations insert: JSON structure, escapes, invalid UTF-8, and the
/// Unicode an analyst's names carry or an attacker sends.
const TROUBLE: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\",
    b":",
    b",",
    b"null",
    b"-1",
    b"1e999",
    b"\\u0000",
    b"\\ud800",
    b"\xff",
    b"\xc3",
    b"\xe2\x80\xae",
    b"\x1b[2J",
    b"\n",
    "إأآا".as_bytes(),
    "ـً".as_bytes(),
    "Ё".as_bytes(),
    "ﬁ".as_bytes(),
    b"/",
    b"..",
    b"2025-02-30",
    b"9999999999",
    b"'",
    b"#",
    b";",
    b".path",
    b"<<(",
    b")>>",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One mutant of a seed: a few random edits, sometimes a splice.
fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => {
                let piece = TROUBLE[rng.below(TROUBLE.len())];
                data.splice(at..at, piece.iter().copied());
            }
            2 => {
                let end = (at + rng.below(64)).min(data.len());
                data.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(64)).min(data.len());
                let run = data[at..end].to_vec();
                for _ in 0..1 + rng.below(50) {
                    data.splice(at..at, run.iter().copied());
                }
            }
            4 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len() + 1);
                data.truncate(at);
                data.extend_from_slice(&other[from..]);
            }
            _ => data.truncate(at),
        }
    }
    data
}

/// How long each target runs: a number of cases, or seconds when asked.
enum Budget {
    Cases(usize),
    Time(Duration),
}

fn budget(cases: usize) -> Budget {
    match std::env::var("STORYGRAPH_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(seconds) => Budget::Time(Duration::from_secs(seconds)),
        None => Budget::Cases(cases),
    }
}

/// Runs `target` on mutants of `seeds` until the budget is spent; a panic
/// fails the test with the input saved.
fn fuzz(name: &str, seeds: Vec<Vec<u8>>, cases: usize, mut target: impl FnMut(&[u8])) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ name.len() as u64);
    let started = Instant::now();
    let mut executions = 0usize;
    let budget = budget(cases);
    loop {
        match budget {
            Budget::Cases(n) if executions >= n => break,
            Budget::Time(t) if started.elapsed() >= t => break,
            _ => {}
        }
        let input = mutate(&mut rng, &seeds);
        if catch_unwind(AssertUnwindSafe(|| target(&input))).is_err() {
            let saved = std::env::temp_dir().join(format!("storygraph-fuzz-{name}-{executions}"));
            let _ = std::fs::write(&saved, &input);
            panic!(
                "{name}: case {executions} panicked; input saved in {}",
                saved.display()
            );
        }
        executions += 1;
    }
    eprintln!(
        "fuzz {name}: {executions} executions in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

fn seed_files(dirs: &[&str]) -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for dir in dirs {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        seeds.extend(paths.iter().map(|p| std::fs::read(p).unwrap()));
    }
    seeds
}

#[test]
fn fuzz_the_input_reader_and_validator() {
    let seeds = seed_files(&["data", "examples/stories"]);
    let scratch = tempfile::tempdir().unwrap();
    let mut case = 0usize;
    fuzz("input", seeds, DEFAULT_CASES, |bytes| {
        // The readers alone, on every case.
        let _ = storygraph::input::read::parse_document(bytes);
        let _ = Lines::new(bytes).count();
        let _ = Stream::new(bytes).count();
        // The whole ingest (validation, mapping, a write) on some.
        case += 1;
        if case.is_multiple_of(8) {
            let store = GraphStore::memory().unwrap();
            for extension in ["json", "jsonl"] {
                let file = scratch.path().join(format!("case.{extension}"));
                std::fs::write(&file, bytes).unwrap();
                let options = IngestOptions {
                    on_error: OnError::Skip,
                    ..IngestOptions::default()
                };
                if let Err(error) = ingest(&store, &[InputSource::Path(file)], options) {
                    let _ = error.to_string();
                }
            }
        }
    });
}

#[test]
fn fuzz_time_specs() {
    let seeds: Vec<Vec<u8>> = [
        "2025",
        "2025-10",
        "2025-10-19",
        "2025-10-19/2025-11-02",
        "../2025-10",
        "2025/..",
        "2025-10-19T14:30:00Z",
        "-0044-03-15",
        "2024-02-29",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    fuzz("timespec", seeds, DEFAULT_CASES * 10, |bytes| {
        let text = String::from_utf8_lossy(bytes);
        if let Ok(spec) = TimeSpec::parse(&text) {
            assert!(spec.earliest() <= spec.latest(), "{text:?}");
        }
    });
}

#[test]
fn fuzz_names_normalisation_and_terminal_escaping() {
    let seeds: Vec<Vec<u8>> = [
        "Ильхам Алиев",
        "إلهام علييف",
        "Ilham Aliyev",
        "İlham Əliyev",
        "الأَذَرْبِيجَان",
        "Putin\u{1b}]0;t\u{7}",
        "ﬁnal ＦＳＢ",
        "\u{202E}sretueR",
        "Кaртaвых",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    fuzz("names", seeds, DEFAULT_CASES * 10, |bytes| {
        let text = String::from_utf8_lossy(bytes);
        let key = match_key(&text);
        assert_eq!(
            match_key(&key),
            key,
            "match_key is not idempotent on {text:?}"
        );
        let _ = translit_key(&text);
        let safe = shown(&text);
        assert!(
            !safe.chars().any(is_unsafe_for_display),
            "shown() let through a character of {text:?}: {safe:?}"
        );
    });
}

/// Scripts of mutated statements through the real shell: whatever is
/// typed, it reports and goes on; it never panics or dies of a signal.
#[test]
fn fuzz_the_shell_statement_splitter_and_dot_commands() {
    let store = TestStore::with_sample();
    let seeds: Vec<Vec<u8>> = [
        ".path putin fsb --max-hops 3\nSELECT ?s WHERE {\n ?s ?p ?o }\nLIMIT 2;\n",
        ".neighbors aliyev --predicate warned\n# a comment\n.format json\n.limit 3\n",
        "PREFIX ex: <http://example.org/>\nASK { ex:a ex:b ex:c }\n\n.stats\n",
        ".timeline \"Ilham Aliyev\" --since 2025-01\n.find Алиев\n.help path\n",
        ".paths putin aliyev 3 --via warned\n.conflicts --kind denial\n.timeout 5\n",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    fuzz("shell", seeds, DEFAULT_CASES / 20, |bytes| {
        let script = String::from_utf8_lossy(bytes);
        let out = store.run_with_stdin(&["shell", "--keep-going"], Some(&script));
        assert!(
            out.code == 0 || out.code == 1 || out.code == 2,
            "the shell ended with {} on {script:?}:\n{}",
            out.code,
            out.stderr
        );
        assert!(
            !out.stderr.contains("panicked"),
            "{script:?}: {}",
            out.stderr
        );
    });
}

/// Hostile entity labels through every drawing format, each read back as
/// its reader reads it: the label survives exactly (XML and JSON) or in
/// its shown form (DOT, Mermaid), and nothing it holds becomes markup.
#[test]
fn fuzz_the_export_escapers() {
    use storygraph::export::{select, ExportFormat, Selector};
    use storygraph::graph::search::PathFilter;
    use storygraph::graph::Projection;
    use storygraph::store::QueryOptions;

    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("two.json");
    let facts =
        r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "evidence": "e"}"#;
    std::fs::write(&file, crate::util::doc("a", crate::util::TWO_PEOPLE, facts)).unwrap();
    let store = GraphStore::memory().unwrap();
    ingest(&store, &[InputSource::Path(file)], IngestOptions::default()).unwrap();
    let seeds: Vec<Vec<u8>> = [
        "Vladimir Putin",
        "فلاديمير بوتين",
        "</script><script>alert(1)</script>",
        "<!--<script>",
        "<img src=x onerror=alert(1)>",
        "a\"b'c&d<e>f#g|h`i\\j",
        "x\u{FFFE}\u{FFFF}\u{0}\u{1b}[2J\u{202E}y",
        "line\nbreak\r\ttab",
        "javascript:alert(1)",
        "\"]; evil [label=\"",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let mut case = 0usize;
    fuzz("exports", seeds, DEFAULT_CASES / 4, |bytes| {
        let label = String::from_utf8_lossy(bytes).into_owned();
        let literal = serde_json::to_string(&label).unwrap();
        store
            .update(
                &format!(
                    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
                     PREFIX ent: <https://w3id.org/storygraph/entity/>
                     DELETE {{ ent:putin skos:prefLabel ?l }}
                     INSERT {{ ent:putin skos:prefLabel {literal}@en }}
                     WHERE {{ ent:putin skos:prefLabel ?l FILTER(lang(?l) = \"en\") }}"
                ),
                &QueryOptions::default(),
            )
            .unwrap();
        let projection = Projection::build(&store).unwrap();
        let subgraph = select(&projection, &PathFilter::default(), &Selector::Everything);
        let export = |format: ExportFormat| {
            let mut out = Vec::new();
            format
                .write(&mut out, &projection, &subgraph, "en", None)
                .unwrap();
            String::from_utf8(out).unwrap()
        };

        let as_xml = xml_shown(&label);
        for format in [ExportFormat::Graphml, ExportFormat::Svg] {
            let text = export(format);
            let document = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{format:?} of {label:?} is not XML: {e}"));
            assert!(
                document
                    .descendants()
                    .any(|n| n.is_element() && n.text().unwrap_or("") == as_xml),
                "{format:?} lost {label:?} (expected {as_xml:?})"
            );
        }

        let page = export(ExportFormat::Html);
        assert_eq!(page.matches("</script").count(), 2, "{label:?}");
        assert!(!page.contains("<!--"), "{label:?}");
        let data = page
            .split(r#"<script id="graph-data" type="application/json">"#)
            .nth(1)
            .and_then(|rest| rest.split("</script>").next())
            .unwrap();
        assert!(!data.contains(['<', '>', '&']), "{label:?}");
        let data: serde_json::Value = serde_json::from_str(data).unwrap();
        assert!(
            data["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["label"] == label.as_str()),
            "the page lost {label:?}"
        );

        let dot = export(ExportFormat::Dot);
        let as_dot = storygraph::render::terminal::shown_lines(&label).replace('\r', "");
        assert!(
            dot_strings(&dot).contains(&as_dot.to_string()),
            "DOT lost {label:?} (expected {as_dot:?}):\n{dot}"
        );
        case += 1;
        if case.is_multiple_of(50) {
            let (ok, _, err) = crate::export::consume("dot", &["-Tsvg"], &dot);
            assert!(ok, "Graphviz could not read the DOT of {label:?}: {err}");
        }

        let mermaid = export(ExportFormat::Mermaid);
        assert!(!mermaid.contains('\0'), "{label:?}");
        let as_mermaid: String = label
            .chars()
            .map(|c| match c {
                '\n' | '\r' => " ".to_owned(),
                c if is_unsafe_for_display(c) => format!("\\u{{{:X}}}", c as u32),
                c => c.to_string(),
            })
            .collect();
        assert!(
            mermaid_strings(&mermaid).contains(&as_mermaid),
            "Mermaid lost {label:?} (expected {as_mermaid:?}):\n{mermaid}"
        );
    });
}

/// What an XML reader gets from an exported label: the text, with what XML
/// cannot hold or a drawing should not obey written as `\u{…}`.
fn xml_shown(label: &str) -> String {
    label
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c.to_string(),
            c if is_unsafe_for_display(c) || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {
                format!("\\u{{{:X}}}", c as u32)
            }
            c => c.to_string(),
        })
        .collect()
}

/// The quoted strings of a DOT file as Graphviz reads them; panics on an
/// escape storygraph never writes or a string left open.
fn dot_strings(dot: &str) -> Vec<String> {
    let mut strings = Vec::new();
    let mut chars = dot.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut text = String::new();
        loop {
            match chars.next().expect("a DOT string left open") {
                '"' => break,
                '\\' => match chars.next() {
                    Some('"') => text.push('"'),
                    Some('\\') => text.push('\\'),
                    Some('n') => text.push('\n'),
                    other => panic!("an escape storygraph does not write: \\{other:?}"),
                },
                c => text.push(c),
            }
        }
        strings.push(text);
    }
    strings
}

/// The quoted labels of a Mermaid file as Mermaid reads them: its entity
/// codes (`#quot;`, `#35;`) decoded; panics on a stray `#`.
fn mermaid_strings(mermaid: &str) -> Vec<String> {
    let mut strings = Vec::new();
    for quoted in mermaid.split('"').skip(1).step_by(2) {
        assert!(!quoted.contains('\n'), "a line break in {quoted:?}");
        let mut text = String::new();
        let mut rest = quoted;
        while let Some(at) = rest.find('#') {
            text.push_str(&rest[..at]);
            let end = rest[at..].find(';').expect("a stray # in a label") + at;
            let code = &rest[at + 1..end];
            text.push(match code {
                "quot" => '"',
                "lt" => '<',
                "gt" => '>',
                n => char::from_u32(n.parse().expect("an entity code")).unwrap(),
            });
            rest = &rest[end + 1..];
        }
        text.push_str(rest);
        strings.push(text);
    }
    strings
}
