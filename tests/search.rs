//! Searching what was said: evidence, article texts and names in Arabic,
//! Russian and English, filters, the index kept current across writes,
//! and `sg:matches` in SPARQL.

use crate::util::{root, TestStore};

/// The sample stories, the analyst's stories and the Arabic article with
/// its text.
fn store() -> TestStore {
    let store = TestStore::with_sample();
    let mut files: Vec<String> = std::fs::read_dir(root().join("examples/stories"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".json") || p.ends_with(".ttl"))
        .collect();
    files.sort();
    files.push(
        root()
            .join("data/texts/baku-gaza-mandate.draft.json")
            .display()
            .to_string(),
    );
    store.ingest(&files).ok();
    store
}

fn hits(store: &TestStore, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["search", "--format", "json"];
    all.extend_from_slice(args);
    let out = store.run(&all);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    let document: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        out.code == 1,
        document["hits"].as_array().unwrap().is_empty()
    );
    document["hits"].as_array().unwrap().clone()
}

#[test]
fn arabic_letter_variants_tashkeel_and_prefixes_find_what_regex_misses() {
    let store = store();
    // The evidence says إسقاط, with its hamza.
    let out = store.run(&["search", "اسقاط"]).ok();
    let first = out.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("1. evidence  Russian air defences —shot down→"),
        "{}",
        out.stdout
    );
    assert!(
        first.contains("[reported by Novaya Gazeta; zaman-2025-10-19-azerbaijan-coup; 2024-12]"),
        "{first}"
    );
    assert!(
        out.stdout
            .contains("**إسقاط** الدفاعات الجوية الروسية لطائرة ركاب"),
        "{}",
        out.stdout
    );
    // The article ال and the conjunction و are prefixes: والطائرة finds طائرة.
    let found = hits(&store, &["والطائرة"]);
    assert!(
        found
            .iter()
            .any(|h| h["fragment"].as_str().unwrap().contains("إسقاط طائرة")),
        "{found:?}"
    );
    let regex = store
        .tsv("SELECT (COUNT(*) AS ?n) WHERE { ?s sg:evidence ?e FILTER(REGEX(?e, \"اسقاط\")) }");
    assert_eq!(
        regex.lines().nth(1),
        Some("0"),
        "REGEX does not fold the hamza"
    );
    let matches = store.tsv("SELECT ?who WHERE { ?s sg:evidence ?e ; rdf:subject ?who FILTER(sg:matches(?e, \"اسقاط\")) } ORDER BY ?who");
    assert!(
        matches.contains("<https://w3id.org/storygraph/entity/russian-air-defence>"),
        "{matches}"
    );
}

#[test]
fn russian_and_english_inflections_and_denials_are_found() {
    let store = store();
    // служить finds служил; the denial is marked.
    let found = hits(&store, &["служить"]);
    assert_eq!(found[0]["article"], "sever-inform-2025-11-04-moscow-denies");
    assert_eq!(found[0]["negated"], true);
    assert_eq!(found[0]["certainty"], "confirmed");
    let out = store.run(&["search", "служить"]).ok();
    assert!(
        out.stdout
            .contains("[DENIED; confirmed by Yelena Vorontsova;"),
        "{}",
        out.stdout
    );
    // English quotes are found by their stems: initialling, initialled.
    let found = hits(&store, &["initialling"]);
    assert!(
        found
            .iter()
            .any(|h| h["fragment"].as_str().unwrap().contains("initialled")),
        "{found:?}"
    );
}

#[test]
fn article_texts_and_names_are_searched_too() {
    let store = store();
    // Only the headline, in the article's text, says تربط.
    let found = hits(&store, &["تربط"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["kind"], "text");
    assert_eq!(found[0]["article"], "baku-gaza-mandate");
    let fragment = found[0]["fragment"].as_str().unwrap();
    let [start, end] = [0, 1].map(|i| found[0]["highlights"][0][i].as_u64().unwrap() as usize);
    let marked: String = fragment.chars().skip(start).take(end - start).collect();
    assert_eq!(marked, "تربط");
    // A name in any of its spellings.
    let found = hits(&store, &["Mukhtiyev"]);
    assert!(
        found
            .iter()
            .any(|h| h["kind"] == "name"
                && h["iri"] == "https://w3id.org/storygraph/entity/mehdiyev"),
        "{found:?}"
    );
}

#[test]
fn filters_narrow_by_entity_article_time_and_certainty() {
    let store = store();
    let all = hits(&store, &["غزة"]);
    assert!(all.len() > 3, "{all:?}");
    let certain = hits(&store, &["غزة", "--min-certainty", "confirmed"]);
    assert!(!certain.is_empty() && certain.len() < all.len());
    assert!(
        certain.iter().all(|h| h["certainty"] == "confirmed"),
        "{certain:?}"
    );
    let one = hits(&store, &["غزة", "--article", "baku-gaza-mandate"]);
    assert!(!one.is_empty());
    assert!(
        one.iter().all(|h| h["article"] == "baku-gaza-mandate"),
        "{one:?}"
    );
    let about = hits(&store, &["غزة", "--entity", "Indonesia"]);
    assert!(
        about
            .iter()
            .any(|h| h["title"].as_str().unwrap().starts_with("Indonesia —")),
        "{about:?}"
    );
    assert!(about.len() < all.len());
    // Undated facts and names have no time: a date filter leaves them out.
    let dated = hits(&store, &["غزة", "--since", "2025-10-20"]);
    assert!(!dated.is_empty());
    assert!(
        dated
            .iter()
            .all(|h| h["time"].is_string() && h["kind"] != "name"),
        "{dated:?}"
    );
    // Bad names fail as everywhere else; nothing found is exit code 1.
    store
        .run(&["search", "غزة", "--entity", "Nobody At All"])
        .code(2);
    store
        .run(&["search", "غزة", "--article", "no-such-article"])
        .code(2);
    let out = store.run(&["search", "zzyzx"]).code(1);
    assert!(
        out.stderr.contains("nothing said matches \"zzyzx\""),
        "{}",
        out.stderr
    );
    store.run(&["search", "..."]).code(2);
}

#[test]
fn some_words_are_enough_when_no_hit_has_them_all() {
    let store = store();
    let out = store.run(&["search", "Putin", "zzyzx"]).ok();
    assert!(
        out.stderr
            .contains("nothing said has every word of \"Putin zzyzx\""),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("name  Vladimir Putin"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_index_follows_every_write() {
    let store = TestStore::with_sample();
    let index = store.store_dir().join("storygraph-search");
    assert!(hits(&store, &["تربط"]).is_empty());
    assert!(
        index.is_dir(),
        "the first search keeps its index in the store"
    );
    // An ingest refreshes it at once.
    let draft = root()
        .join("data/texts/baku-gaza-mandate.draft.json")
        .display()
        .to_string();
    store.ingest(&[draft]).ok();
    let modified = std::fs::metadata(index.join("meta.json"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(hits(&store, &["تربط"]).len(), 1);
    assert_eq!(
        std::fs::metadata(index.join("meta.json"))
            .unwrap()
            .modified()
            .unwrap(),
        modified,
        "the search after the ingest used the refreshed index as it was"
    );
    // So does a removal, and a SPARQL update.
    store.run(&["remove", "baku-gaza-mandate"]).ok();
    assert!(hits(&store, &["تربط"]).is_empty());
    store
        .run(&["update", "INSERT DATA { GRAPH art:zaman-2025-10-19-azerbaijan-coup { art:zaman-2025-10-19-azerbaijan-coup schema:articleBody \"A text about zebras.\"@en } }"])
        .ok();
    assert_eq!(hits(&store, &["zebra"]).len(), 1);
}

#[test]
fn an_ingest_of_new_articles_adds_them_to_the_index_in_place() {
    let store = TestStore::new();
    store.ingest(&[crate::util::corpus(&store, 3, 2)]).ok();
    assert_eq!(hits(&store, &["line"]).len(), 6);
    let index = store.store_dir().join("storygraph-search");
    let files = |dir: &std::path::Path| -> std::collections::BTreeSet<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name != "meta.json" && !name.starts_with('.'))
            .collect()
    };
    let before = files(&index);
    let fact = r#"{"id": "f1", "subject": "aliyev", "predicate": "warned", "object": "putin", "evidence": "a zebra crossing"}"#;
    let article = store.file(
        "new.json",
        &crate::util::doc("a9", crate::util::TWO_PEOPLE, fact),
    );
    store.ingest(&[article]).ok();
    // Caught up, not rebuilt (a rebuild replaces the directory and every
    // segment in it): the old segments are all still there.
    let after = files(&index);
    assert!(
        before.is_subset(&after) && after.len() > before.len(),
        "{before:?} {after:?}"
    );
    let found = hits(&store, &["zebra"]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["article"], "a9", "{found:?}");
    assert_eq!(hits(&store, &["line"]).len(), 6);
}

#[test]
fn the_shell_searches_too() {
    let store = store();
    let out = store
        .run_with_stdin(&["shell"], Some(".search اسقاط --limit 1\n"))
        .ok();
    assert!(
        out.stdout
            .contains("1. evidence  Russian air defences —shot down→"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("2. "), "--limit 1: {}", out.stdout);
}

#[test]
fn a_build_killed_half_way_leaves_nothing_for_long() {
    let store = TestStore::with_sample();
    let abandoned = store
        .store_dir()
        .join("storygraph-search.building-abandoned");
    let running = store.store_dir().join("storygraph-search.building-running");
    for dir in [&abandoned, &running] {
        std::fs::create_dir(dir).unwrap();
        std::fs::write(dir.join("meta.json"), "{").unwrap();
    }
    // Two hours old: no build takes that long.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let old = nix::sys::time::TimeVal::new(now - 7200, 0);
    nix::sys::stat::utimes(&abandoned, &old, &old).unwrap();
    assert_eq!(hits(&store, &["اسقاط"]).len(), 3);
    assert!(!abandoned.exists(), "the abandoned build is removed");
    assert!(running.exists(), "a recent one may still be written");
}

#[test]
fn hostile_text_in_the_store_reaches_the_terminal_escaped() {
    let store = TestStore::with_sample();
    // SPARQL bypasses the input checks: a text with an escape sequence and
    // a bidi override, as another tool might write it.
    store
        .run(&["update", "INSERT DATA { GRAPH art:zaman-2025-10-19-azerbaijan-coup { art:zaman-2025-10-19-azerbaijan-coup schema:articleBody \"zebra \\u001B[2J\\u001B]0;owned\\u0007 crossing \\u202Eevil\" } }"])
        .ok();
    let out = store.run(&["search", "zebra", "crossing"]).ok();
    assert!(
        !out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{202E}'),
        "{:?}",
        out.stdout
    );
    assert!(out.stdout.contains("\\e[2J"), "{}", out.stdout);
    assert!(out.stdout.contains("\\u{202E}evil"), "{}", out.stdout);
    // JSON keeps the text as it is, escaped by JSON itself.
    let found = hits(&store, &["zebra"]);
    assert!(found[0]["fragment"].as_str().unwrap().contains("\u{1b}[2J"));
}
