//! The README's walkthroughs, run as written: each `sh` block's
//! `storygraph` lines run in order against one store (holding the sample
//! stories, as after the tour), and every line of the plain block that
//! follows must be a line of what the block's last command printed.

use std::process::Command;

use crate::util::{root, TestStore};

/// The text of the README section headed `## {title}`.
pub fn section(title: &str) -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find(&format!("\n## {title}\n"))
        .unwrap_or_else(|| panic!("README.md has no section \"{title}\""));
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |at| at + 3);
    rest[..end].to_owned()
}

/// The fenced blocks of `text` as (language, body).
pub fn fenced_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in text.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(lang)) => open = Some((lang.trim().to_owned(), String::new())),
            (Some(_), Some("")) => blocks.extend(open.take()),
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

/// Runs one README command line through `sh` (for its globs and quotes),
/// with `storygraph` the binary under test on `store`; stdout + stderr.
fn run_line(store: &TestStore, line: &str, env: &[(&str, &str)]) -> String {
    let script = format!(
        "storygraph() {{ \"$STORYGRAPH_BIN\" --store \"$STORYGRAPH_TEST_STORE\" \"$@\"; }}\n{line}"
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(root())
        .env("STORYGRAPH_BIN", env!("CARGO_BIN_EXE_storygraph"))
        .env("STORYGRAPH_TEST_STORE", store.store_dir())
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "README command failed: {line}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs the `sh` blocks of the README section `title` in order against
/// `store` and checks each plain block after one against what its last
/// command printed; returns how many lines were checked.
fn walk_through(title: &str, store: &TestStore, env: &[(&str, &str)]) -> usize {
    let mut last: Option<(String, String)> = None;
    let mut checked = 0;
    for (lang, body) in fenced_blocks(&section(title)) {
        match lang.as_str() {
            "sh" => {
                for line in body.lines().filter(|l| l.starts_with("storygraph ")) {
                    last = Some((line.to_owned(), run_line(store, line, env)));
                }
            }
            "" | "text" => {
                let (command, printed) = last.as_ref().expect("an output block before any command");
                let printed_lines: Vec<&str> = printed.lines().map(str::trim_end).collect();
                for expected in body.lines().filter(|l| !l.trim().is_empty()) {
                    assert!(
                        printed_lines.iter().any(|p| p.starts_with(expected.trim_end())),
                        "`{command}` did not print the README's line\n  {expected}\nit printed:\n{printed}"
                    );
                    checked += 1;
                }
            }
            _ => {}
        }
    }
    checked
}

#[test]
fn the_your_own_stories_walkthrough_prints_what_the_readme_shows() {
    let checked = walk_through("Your own stories", &TestStore::with_sample(), &[]);
    assert!(checked >= 10, "only {checked} lines checked");
}

#[test]
fn the_article_to_graph_walkthrough_prints_what_the_readme_shows() {
    // The model is a loopback server replaying what a model answered.
    let server = crate::util::chat::ChatServer::replaying(&["clean.response.json"]);
    let store = TestStore::with_sample();
    let checked = walk_through(
        "From an article to the graph",
        &store,
        &[("STORYGRAPH_LLM", server.url.as_str())],
    );
    assert!(checked >= 10, "only {checked} lines checked");
    assert_eq!(server.received().len(), 1, "extract asked the model once");
}

#[test]
fn the_search_walkthrough_prints_what_the_readme_shows() {
    let checked = walk_through("Search what was said", &TestStore::with_sample(), &[]);
    assert!(checked >= 4, "only {checked} lines checked");
}

#[test]
fn the_remote_store_walkthrough_prints_what_the_readme_shows() {
    // The README's Oxigraph server, on a free port with a throwaway
    // database; its commands run with the endpoints it exports.
    use crate::util::remote::{Kind, RemoteServer};
    let server = RemoteServer::start(Kind::Oxigraph);
    let cache = tempfile::tempdir().unwrap();
    let (query, update) = (server.query_url(), server.update_url());
    let checked = walk_through(
        "Beyond one machine: a remote store",
        &TestStore::new(),
        &[
            ("STORYGRAPH_ENDPOINT", query.as_str()),
            ("STORYGRAPH_UPDATE_ENDPOINT", update.as_str()),
            ("STORYGRAPH_CACHE", cache.path().to_str().unwrap()),
        ],
    );
    assert!(checked >= 5, "only {checked} lines checked");
    let section = section("Beyond one machine: a remote store");
    assert!(section.contains("export STORYGRAPH_ENDPOINT=http://127.0.0.1:7878/query"));
    assert!(section.contains("oxigraph serve --location ox-db --bind 127.0.0.1:7878"));
}
