//! ARCHITECTURE.md's invariants, checked by reading the sources (in the
//! spirit of rust-analyzer's tidy tests): each test fails, naming the file
//! and line, when an invariant is broken.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, with its path relative to the crate root.
fn sources(dir: &str) -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    walk(&root.join(dir), &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let name = path
                .strip_prefix(root)
                .expect("under the crate root")
                .to_string_lossy()
                .replace('\\', "/");
            (name, text)
        })
        .collect()
}

/// The library's sources: `src/` without the binary's folder.
fn library() -> Vec<(String, String)> {
    sources("src")
        .into_iter()
        .filter(|(name, _)| !name.starts_with("src/bin/"))
        .collect()
}

/// Lines of code: comments and doc comments left out.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let code = line.split("//").next().unwrap_or("");
        (!code.trim().is_empty()).then_some((i + 1, code))
    })
}

/// `file:line: text` for every code line of `files` where `found` says so.
fn offending(files: &[(String, String)], found: impl Fn(&str, &str) -> bool) -> Vec<String> {
    let mut hits = Vec::new();
    for (name, text) in files {
        for (line, code) in code_lines(text) {
            if found(name, code) {
                hits.push(format!("{name}:{line}: {}", code.trim()));
            }
        }
    }
    hits
}

#[test]
fn library_code_never_prints() {
    let printing = [
        "println!",
        "print!(",
        "eprintln!",
        "eprint!(",
        "dbg!(",
        "stdout()",
        "stderr()",
    ];
    let hits = offending(&library(), |_, code| {
        printing.iter().any(|p| code.contains(p))
    });
    assert!(
        hits.is_empty(),
        "the library writes to the `Write` it is given, it never prints:\n{}",
        hits.join("\n")
    );
}

#[test]
fn errors_and_warnings_reach_the_terminal_escaped() {
    // `eprintln!("error: {e}")` would print a name's escape sequences as
    // they are; every error and warning goes through `shown_lines`.
    let binary: Vec<(String, String)> = sources("src/bin");
    let hits = offending(&binary, |_, code| {
        (code.contains("eprintln!(\"error: {") || code.contains("eprintln!(\"warning: {"))
            && !code.contains("shown_lines")
    });
    assert!(
        hits.is_empty(),
        "errors and warnings print through storygraph::render::terminal::shown_lines:\n{}",
        hits.join("\n")
    );
}

#[test]
fn only_store_touches_the_oxigraph_store() {
    // Outside `src/store/`, `oxigraph::store` may name its error type only.
    let hits = offending(&sources("src"), |name, code| {
        if name.starts_with("src/store/") {
            return false;
        }
        code.match_indices("oxigraph::store::").any(|(at, _)| {
            let rest = &code[at + "oxigraph::store::".len()..];
            let items = match rest.strip_prefix('{') {
                Some(list) => list.split('}').next().unwrap_or(""),
                None => rest
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .unwrap_or(""),
            };
            items
                .split(',')
                .map(str::trim)
                .any(|item| item != "StorageError")
        })
    });
    assert!(
        hits.is_empty(),
        "only src/store/ uses oxigraph::store (others may name StorageError):\n{}",
        hits.join("\n")
    );
}

#[test]
fn only_the_clients_and_the_server_talk_to_the_network() {
    // Clients: the chat model's (extract/chat.rs) and the SPARQL
    // Protocol's (remote/); the one listener is `serve`'s.
    let client = |name: &str| name == "src/extract/chat.rs" || name.starts_with("src/remote/");
    let hits = offending(&sources("src"), |name, code| {
        let connects =
            code.contains("ureq") || code.contains("TcpStream") || code.contains("UdpSocket");
        let listens = code.contains("TcpListener") || code.contains("tiny_http");
        (connects && !client(name)) || (listens && !name.starts_with("src/bin/storygraph/serve/"))
    });
    assert!(
        hits.is_empty(),
        "only src/extract/chat.rs and src/remote/ open connections, only src/bin/storygraph/serve/ listens:\n{}",
        hits.join("\n")
    );
}

#[test]
fn articles_are_made_only_by_validation_which_guards_their_quotes() {
    // A `model::Article` is built in one place, after its facts went
    // through `facts`, which holds every evidence to the article's text.
    let hits = offending(&library(), |name, code| {
        let builds = code.contains("Article {")
            && !code.contains("struct Article {")
            && !code
                .split("Article {")
                .next()
                .unwrap_or("")
                .ends_with(|c: char| c.is_alphanumeric() || c == '_');
        builds && name != "src/input/validate.rs"
    });
    assert!(
        hits.is_empty(),
        "model::Article is built outside validation:\n{}",
        hits.join("\n")
    );
    let facts = read("src/input/validate/facts.rs");
    assert!(
        facts.contains("let text = text.map(ArticleText::new);")
            && facts.contains("self.grounded(text, evidence, &fact_path)"),
        "validate/facts.rs no longer holds each evidence to the article's text"
    );
}

#[test]
fn a_remote_copy_is_recorded_current_only_after_the_remote_has_everything() {
    // Replica::write: stale first, the write, the push, and only then the
    // record; Replica::sync likewise around a rebuild; a push puts the new
    // marker before anything else.
    let replica = read("src/remote/replica.rs");
    let body = |name: &str| -> String {
        replica
            .split(&format!("pub fn {name}"))
            .nth(1)
            .and_then(|rest| rest.split("\n    }\n").next())
            .unwrap_or_else(|| panic!("Replica::{name} in src/remote/replica.rs"))
            .to_owned()
    };
    let order = |text: &str, steps: &[&str]| {
        let places: Vec<Option<usize>> = steps.iter().map(|s| text.find(s)).collect();
        assert!(
            places.iter().all(Option::is_some) && places.windows(2).all(|w| w[0] < w[1]),
            "expected in this order: {steps:?}"
        );
    };
    order(
        &body("write"),
        &[
            "self.forget_state()?",
            "write(&self.store)",
            "push::push(",
            "self.record_state(",
        ],
    );
    order(
        &body("sync"),
        &[
            "self.forget_state()?",
            "replace_everything(",
            "self.record_state(",
        ],
    );
    let file = read("src/remote/push.rs");
    let push = file
        .split("pub(super) fn push(")
        .nth(1)
        .expect("push in src/remote/push.rs");
    order(
        push,
        &[
            "marker_update()",
            "endpoint.update(&opening",
            "INSERT DATA",
            "batch.flush()?;\n    Ok(PushReport",
        ],
    );
    // By a bulk loader, an article's seal (its content digest, by which
    // copies find articles) goes after its load returned, and never in it.
    order(push, &["bulk::load(", "bulk::seal("]);
    let bulk = read("src/remote/bulk.rs");
    let log = read("src/store/write_log.rs");
    assert!(
        !bulk.contains("writeln!(body") && !log.contains("writeln!(written.text"),
        "a bulk load's body is written by push_article_nquads alone"
    );
    assert!(
        log.contains("quad.predicate != term::SG_CONTENT_DIGEST && keep(quad)"),
        "push_article_nquads must leave out the content digests"
    );
}

#[test]
fn the_search_index_is_read_only_at_the_store_s_generation() {
    // Every `Index::open` is in `open_any`, which only `open_if_current`
    // (refusing an index whose commit payload is not the generation asked
    // for) and `update.rs` (which commits the writes since at the store's
    // generation before anything searches it) call.
    let opens = offending(&sources("src"), |_, code| {
        code.contains("Index::open") && !code.contains("SearchIndex::open")
    });
    assert_eq!(opens.len(), 1, "open the index only in open_any: {opens:?}");
    assert!(opens[0].starts_with("src/search/build.rs:"), "{opens:?}");
    let build = read("src/search/build.rs");
    let function = |name: &str| -> String {
        build
            .split(&format!("pub(super) fn {name}"))
            .nth(1)
            .and_then(|rest| rest.split("\n}\n").next())
            .unwrap_or_else(|| panic!("{name} in src/search/build.rs"))
            .to_owned()
    };
    assert!(
        function("open_any").contains("Index::open_in_dir"),
        "open_any no longer opens the index"
    );
    assert!(
        function("open_if_current").contains("(payload == generation).then_some(index)"),
        "open_if_current no longer checks the generation"
    );
    let callers = offending(&sources("src"), |name, code| {
        code.contains("open_any(")
            && !code.contains("fn open_any(")
            && name != "src/search/build.rs"
    });
    assert!(
        callers
            .iter()
            .all(|c| c.starts_with("src/search/update.rs:")),
        "only update.rs opens an index of another generation: {callers:?}"
    );
    let update = read("src/search/update.rs");
    assert!(
        update.contains("build::commit(writer, &generation)?;\n    Ok(build::open_if_current(&dir, &generation))"),
        "update.rs hands out only the index it committed at the store's generation"
    );
}

#[test]
fn input_serde_types_stay_in_input() {
    let serde_types = ["DocumentInput", "ArticleInput", "EntityInput", "FactInput"];
    let hits = offending(&sources("src"), |name, code| {
        !name.starts_with("src/input/")
            && (serde_types.iter().any(|t| code.contains(t)) || code.contains("Deserialize"))
    });
    assert!(
        hits.is_empty(),
        "the input format's serde types (and deserialising) stay in src/input/:\n{}",
        hits.join("\n")
    );
}

#[test]
fn unsafe_code_is_only_where_the_architecture_says() {
    const ALLOWED: &[&str] = &["src/graph/hubs.rs"];
    let is_unsafe = |code: &str| {
        ["unsafe {", "unsafe fn", "unsafe impl", "unsafe extern"]
            .iter()
            .any(|u| code.contains(u))
    };
    let hits = offending(&sources("src"), |name, code| {
        !ALLOWED.contains(&name) && is_unsafe(code)
    });
    assert!(
        hits.is_empty(),
        "unsafe outside {ALLOWED:?}:\n{}",
        hits.join("\n")
    );
    let architecture = read("ARCHITECTURE.md");
    for file in ALLOWED {
        let name = file.rsplit('/').next().unwrap_or(file);
        assert!(
            architecture.contains(&format!("only `unsafe` is in `{name}`")),
            "ARCHITECTURE.md must say where the unsafe code is ({file})"
        );
    }
}

#[test]
fn the_library_does_not_depend_on_the_binary_s_crates() {
    let binary_only = [
        "clap",
        "rustyline",
        "indicatif",
        "ctrlc",
        "shlex",
        "mimalloc",
    ];
    let hits = offending(&library(), |_, code| {
        binary_only
            .iter()
            .any(|c| code.contains(&format!("{c}::")) || code.contains(&format!("use {c}")))
    });
    assert!(
        hits.is_empty(),
        "the library does not use the binary's crates ({binary_only:?}):\n{}",
        hits.join("\n")
    );
}

#[test]
fn no_file_passes_600_lines() {
    let mut long: Vec<String> = ["src", "tests", "examples", "benches"]
        .into_iter()
        .flat_map(sources)
        .filter(|(_, text)| text.lines().count() > 600)
        .map(|(name, text)| format!("{name}: {} lines", text.lines().count()))
        .collect();
    long.sort();
    assert!(
        long.is_empty(),
        "split these by responsibility:\n{}",
        long.join("\n")
    );
}

#[test]
fn every_module_says_what_it_is_for() {
    let missing: Vec<String> = ["src", "tests", "examples"]
        .into_iter()
        .flat_map(sources)
        .filter(|(_, text)| !text.starts_with("//!"))
        .map(|(name, _)| name)
        .collect();
    assert!(
        missing.is_empty(),
        "start these with a //! paragraph:\n{}",
        missing.join("\n")
    );
}

/// The binary's modules (the files and folders right under
/// `src/bin/storygraph/`) and which of them each one uses.
fn binary_imports() -> BTreeMap<String, BTreeSet<String>> {
    let dir = "src/bin/storygraph/";
    let files = sources("src/bin/storygraph");
    let module_of = |name: &str| -> String {
        let rest = name.strip_prefix(dir).unwrap_or(name);
        let first = rest.split('/').next().unwrap_or(rest);
        first.trim_end_matches(".rs").to_owned()
    };
    let modules: BTreeSet<String> = files.iter().map(|(name, _)| module_of(name)).collect();
    let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, text) in &files {
        let from = module_of(name);
        let entry = imports.entry(from.clone()).or_default();
        for (_, code) in code_lines(text) {
            for (at, _) in code.match_indices("crate::") {
                let used: String = code[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if used != from && modules.contains(&used) {
                    entry.insert(used);
                }
            }
        }
    }
    imports
}

#[test]
fn the_binary_s_modules_import_each_other_in_one_direction() {
    let imports = binary_imports();
    // Depth-first search for a cycle.
    fn visit(
        module: &str,
        imports: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            let mut cycle = path[start..].to_vec();
            cycle.push(module.to_owned());
            return Some(cycle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_owned());
        for next in imports.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(next, imports, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(module.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for module in imports.keys() {
        if let Some(cycle) = visit(module, &imports, &mut Vec::new(), &mut done) {
            panic!("import circle: {}", cycle.join(" -> "));
        }
    }
    // The leaves use no other module of the binary.
    for leaf in ["args", "outcome"] {
        assert_eq!(
            imports.get(leaf).map(BTreeSet::len).unwrap_or(0),
            0,
            "{leaf} must be a leaf, but uses {:?}",
            imports.get(leaf)
        );
    }
    // Commands never reach up into the shell, the server or the dispatch.
    for upper in ["shell", "serve", "app", "main"] {
        assert!(
            !imports["commands"].contains(upper),
            "commands uses {upper}"
        );
    }
}

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
}

#[test]
fn architecture_md_names_only_paths_that_exist_and_every_module() {
    let text = read("ARCHITECTURE.md");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Every `src/...`, `tests/...` or `benches/...` path in backticks exists.
    let mut missing = Vec::new();
    for (i, part) in text.split('`').enumerate() {
        let is_code = i % 2 == 1;
        let is_path = [
            "src/",
            "tests/",
            "benches/",
            "examples/",
            "vendor/",
            "ontology/",
        ]
        .iter()
        .any(|p| part.starts_with(p));
        if is_code && is_path && !part.contains(' ') && !root.join(part).exists() {
            missing.push(part.to_owned());
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:?}"
    );
    // Every library module and every module of the binary is in the map.
    let mut unmapped = Vec::new();
    for entry in std::fs::read_dir(root.join("src")).expect("src/") {
        let name = entry
            .expect("an entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let module = name.trim_end_matches(".rs");
        if module != "lib" && module != "bin" && !text.contains(&format!("`{module}")) {
            unmapped.push(name);
        }
    }
    for module in binary_imports().keys() {
        if !text.contains(&format!("`{module}")) {
            unmapped.push(format!("bin/storygraph/{module}"));
        }
    }
    assert!(
        unmapped.is_empty(),
        "ARCHITECTURE.md's code map does not mention: {unmapped:?}"
    );
}

#[test]
fn the_patch_count_is_said_once() {
    // The vendored oxigraph's changes are listed in vendor/oxigraph/PATCH.md;
    // other documents point there rather than count them.
    for doc in ["ARCHITECTURE.md", "README.md"] {
        let text = read(doc).to_lowercase();
        for number in [
            "one", "two", "three", "four", "five", "1", "2", "3", "4", "5",
        ] {
            assert!(
                !text.contains(&format!("{number} patches")),
                "{doc} counts the oxigraph patches; say it in vendor/oxigraph/PATCH.md only"
            );
        }
    }
}

#[test]
fn the_projection_image_is_read_only_at_the_store_s_generation_and_checked() {
    // One caller, which hands it the store's generation.
    let loads = offending(&sources("src"), |_, code| code.contains("image::load("));
    assert_eq!(loads.len(), 1, "load the image in one place: {loads:?}");
    assert!(loads[0].starts_with("src/graph/mod.rs:"), "{loads:?}");
    let image = read("src/graph/image/mod.rs");
    let load = image
        .split("pub(super) fn load(")
        .nth(1)
        .and_then(|rest| rest.split("\n}\n").next())
        .expect("load in src/graph/image/mod.rs");
    let checked = load.find("crc32fast::hash(body) != u32::from_le_bytes(*checksum)");
    let generation = load.find("!= generation");
    let decoded = load.find("decode(&mut input");
    assert!(
        checked < generation && generation < decoded && checked.is_some(),
        "load must check the checksum and the generation before decoding"
    );
    // Every chunk's bytes come from `ChunkPlace::read`, which checks them.
    let body = |file: &str, signature: &str, end: &str| -> String {
        read(file)
            .split(signature)
            .nth(1)
            .and_then(|rest| rest.split(end).next())
            .unwrap_or_else(|| panic!("{signature} in {file}"))
            .to_owned()
    };
    let place_read = body(
        "src/graph/image/chunks.rs",
        "fn read(&self, file: &File)",
        "\n    }\n",
    );
    let checked = place_read.find("crc32fast::hash(&bytes) != self.checksum");
    assert!(
        checked.is_some() && checked < place_read.find("Ok(bytes)"),
        "a chunk's bytes must be checked before they are handed out"
    );
    // ...and only `ChunkCache::read` reads a chunk, handing its checked
    // bytes to the decoder; every kind of chunk goes through it.
    let reader = body("src/graph/image/chunks.rs", "    fn read(\n", "\n    }\n");
    let checked = reader.find(".read(&self.file)");
    assert!(
        checked.is_some() && checked < reader.find("decode(bytes"),
        "a chunk must be read through its checked place before it is decoded"
    );
    for file in ["src/graph/image/chunks.rs", "src/graph/image/texts.rs"] {
        let reads = read(file).matches(".read(&self.file)").count();
        let expected = usize::from(file.ends_with("chunks.rs"));
        assert_eq!(
            reads, expected,
            "{file}: chunks are read by ChunkCache::read alone"
        );
    }
}
