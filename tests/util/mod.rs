//! Helpers for driving the real `storygraph` binary against a store in a
//! temporary directory that is removed when the test ends.

#![allow(dead_code)]

pub mod chat;
pub mod pty;
pub mod remote;
pub mod serve;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository root (for `data/` and `examples/`).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample data files, as `ingest data/*.json` would pass them.
pub fn sample_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    files
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    #[track_caller]
    pub fn ok(self) -> Output {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn code(self, code: i32) -> Output {
        assert_eq!(
            self.code, code,
            "expected exit code {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// A store in a temp dir, and a scratch dir for input files.
pub struct TestStore {
    dir: tempfile::TempDir,
}

impl TestStore {
    pub fn new() -> TestStore {
        TestStore {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A store with the sample stories ingested.
    pub fn with_sample() -> TestStore {
        let store = TestStore::new();
        store.ingest(&sample_files()).ok();
        store
    }

    /// `ingest FILE...`.
    pub fn ingest(&self, files: &[String]) -> Output {
        let mut args = vec!["ingest"];
        args.extend(files.iter().map(String::as_str));
        self.run(&args)
    }

    pub fn store_dir(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    /// Writes a scratch file and returns its path.
    pub fn file(&self, name: &str, contents: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path.display().to_string()
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, None)
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Output {
        run_binary(&self.store_dir(), args, stdin)
    }

    /// `stats --format json`, parsed.
    pub fn stats(&self) -> serde_json::Value {
        serde_json::from_str(&self.run(&["stats", "--format", "json"]).ok().stdout).unwrap()
    }

    /// A successful command's stdout, parsed as JSON.
    #[track_caller]
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.run(args).ok();
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
    }

    /// A query's TSV output.
    pub fn tsv(&self, query: &str) -> String {
        self.run(&["query", "--format", "tsv", query]).stdout
    }
}

pub fn run_binary(store: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    run_binary_in(store, args, stdin, &[])
}

/// [`run_binary`] with extra environment variables and no stdin.
pub fn run_binary_with_env(store: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    run_binary_in(store, args, None, env)
}

fn run_binary_in(store: &Path, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_storygraph"))
        .args(args)
        .env("STORYGRAPH_STORE", store)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .current_dir(root())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A one-article document in the input format.
pub fn doc(article: &str, entities: &str, facts: &str) -> String {
    format!(
        r#"{{"storygraph": 1, "entities": [{entities}],
  "articles": [{{"id": "{article}", "title": "T", "language": "en", "published": "2025-10-19", "facts": [{facts}]}}]}}"#
    )
}

pub const TWO_PEOPLE: &str = r#"{"id": "putin", "type": "Person", "name": {"en": "Vladimir Putin", "ar": "فلاديمير بوتين"}, "same_as": ["http://www.wikidata.org/entity/Q7747"]},
    {"id": "aliyev", "type": "Person", "name": {"en": "Ilham Aliyev"}}"#;

/// A program of the test venv (`STORYGRAPH_TEST_VENV`, else
/// `~/.cache/storygraph/test-venv`).
pub fn venv_program(name: &str) -> PathBuf {
    let venv = std::env::var_os("STORYGRAPH_TEST_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .unwrap_or_default();
            cache.join("storygraph/test-venv")
        });
    venv.join("bin").join(name)
}

/// A `.jsonl` corpus of `articles` lines with `facts` facts each.
pub fn corpus(store: &TestStore, articles: usize, facts: usize) -> String {
    let lines: Vec<String> = (0..articles)
        .map(|a| {
            let facts: Vec<String> = (0..facts)
                .map(|f| format!(r#"{{"id": "f{f}", "subject": "putin", "predicate": "warned", "object": "aliyev", "evidence": "line {a}, fact {f}"}}"#))
                .collect();
            doc(&format!("a{a}"), TWO_PEOPLE, &facts.join(",")).replace('\n', " ")
        })
        .collect();
    store.file("corpus.jsonl", &lines.join("\n"))
}

/// A copy of a directory (a store), as `cp -a` makes it.
pub fn copy_dir(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}
