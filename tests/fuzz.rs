//! Fuzzing on stable Rust (cargo-fuzz needs nightly, which this machine
//! cannot fetch): seeded mutation of real inputs (byte flips, inserted
//! JSON and Unicode trouble, cut and repeated runs, splices of two seeds),
//! without coverage feedback. Each target runs a fixed number of cases in
//! the default test run and for a bounded time under `tests/fuzz.sh`
//! (`STORYGRAPH_FUZZ_SECONDS`); a panic fails with the input saved, to be
//! kept as a regression case below. Targets: the input reader and the
//! validator (the library's whole ingest into an in-memory store), time
//! specs, name normalisation and terminal escaping, and the shell's
//! statement splitter and dot-command parser (through the real binary).

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
