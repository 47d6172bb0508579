//! An analyst's own stories (`examples/stories/`, written for these tests,
//! beside the sample data): denials always in sight on paths, neighbors,
//! timelines, conflicts and every export.

use crate::util::*;

const DETENTION: &str = "examples/stories/caspian-detention.json";

fn with_stories() -> TestStore {
    let store = TestStore::new();
    let mut files = sample_files();
    files.push(DETENTION.to_owned());
    store.ingest(&files).ok();
    store
}

#[test]
fn a_path_shows_who_denies_each_hop() {
    let store = with_stories();
    let out = store.run(&["path", "kartavykh", "fsb"]).ok();
    assert!(
        out.stdout.contains(
            "Ilya Kartavykh —member of→ Federal Security Service  [claimed by Caspian Wire via law-enforcement sources;"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "    denied by Yelena Vorontsova (sever-inform-2025-11-04-moscow-denies, 2025-11-04): “Картавых никогда не служил в ФСБ, заявила официальный представитель Елена Воронцова.”"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "1 step is denied by another statement: Ilya Kartavykh member of Federal Security Service (denied by Yelena Vorontsova)."
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn the_path_json_lists_denials_among_a_hop_s_facts_and_never_walks_them() {
    let store = with_stories();
    let json = store.json(&["path", "kartavykh", "fsb", "--format", "json"]);
    let facts = json["paths"][0]["hops"][0]["facts"].as_array().unwrap();
    let asserted: Vec<_> = facts.iter().filter(|f| f["negated"] == false).collect();
    let denied: Vec<_> = facts.iter().filter(|f| f["negated"] == true).collect();
    assert_eq!((asserted.len(), denied.len()), (1, 1), "{json:#}");
    assert_eq!(
        denied[0]["source"],
        "https://w3id.org/storygraph/entity/vorontsova"
    );
    assert_eq!(
        denied[0]["article"],
        "sever-inform-2025-11-04-moscow-denies"
    );
    assert!(json["explanation"].as_str().unwrap().contains("denied"));
    // A triple only denied, never asserted, is no hop: Vorontsova denied
    // it, but nobody says Kartavykh is being investigated by her.
    let dot = store
        .run(&["path", "kartavykh", "fsb", "--format", "dot"])
        .ok()
        .stdout;
    assert!(dot.contains("member of (denied)"), "{dot}");
    assert!(dot.contains("denied by Yelena Vorontsova"), "{dot}");
}

#[test]
fn neighbors_show_the_denials_an_entity_made_and_timelines_the_denials_of_a_fact() {
    let store = with_stories();
    let out = store.run(&["neighbors", "vorontsova"]).ok();
    assert!(out.stdout.contains("  denies:\n"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("    Ilya Kartavykh member of Federal Security Service  [confirmed by Yelena Vorontsova;"),
        "{}",
        out.stdout
    );
    let json = store.json(&["neighbors", "vorontsova", "--format", "json"]);
    assert_eq!(json["denies"].as_array().unwrap().len(), 2, "{json:#}");
    // Kartavykh's own neighbors: the claim, and under it who denies it.
    let out = store.run(&["neighbors", "kartavykh"]).ok();
    assert!(
        out.stdout.contains("        denied by Yelena Vorontsova"),
        "{}",
        out.stdout
    );
    let out = store.run(&["timeline", "kartavykh"]).ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    let investigated = lines
        .iter()
        .position(|l| l.contains("investigated for espionage") && !l.contains("DENIED"))
        .unwrap_or_else(|| panic!("{}", out.stdout));
    assert!(
        lines[investigated + 1].contains("denied by Yelena Vorontsova"),
        "{}",
        out.stdout
    );
}

#[test]
fn conflicts_are_denials_first_then_certainty_then_time() {
    let store = with_stories();
    let json = store.json(&["conflicts", "kartavykh", "--format", "json"]);
    let kinds: Vec<Vec<&str>> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c["kinds"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(
        kinds,
        [vec!["denial"], vec!["denial"], vec!["certainty", "time"]],
        "{json:#}"
    );
    // Only the time contradiction: the arrest dated 2025-11-01 by the
    // security service and 2025-10-28 by Sever-Inform.
    let out = store.run(&["conflicts", "--kind", "time"]).ok();
    assert!(out.stdout.contains("times disagree"), "{}", out.stdout);
    assert!(out.stdout.contains("2025-10-28"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("asserted and denied"),
        "{}",
        out.stdout
    );
    // And none of a kind that is not there.
    let out = store.run(&["conflicts", "putin", "--kind", "time"]).code(1);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}

#[test]
fn every_export_carries_the_denials() {
    let store = with_stories();
    let focus = ["export", "--focus", "kartavykh", "--hops", "1"];
    let run = |format: &str| {
        let mut args = focus.to_vec();
        args.extend(["--format", format]);
        store.run(&args).ok().stdout
    };
    // RDF: the denial statements themselves, provenance included.
    let nquads = run("nquads");
    let negated = nquads
        .lines()
        .filter(|l| l.contains("#negated> \"true\""))
        .count();
    assert_eq!(negated, 2, "{nquads}");
    assert!(nquads.contains("Картавых никогда не служил в ФСБ"));
    // Drawings: the tooltip or attribute says who denies it.
    let dot = run("dot");
    assert!(dot.contains("member of (denied)"), "{dot}");
    assert!(dot.contains("denied by Yelena Vorontsova"), "{dot}");
    let svg = run("svg");
    assert!(svg.contains("denied by Yelena Vorontsova"), "{svg}");
    let graphml = run("graphml");
    assert!(
        graphml.contains(r#"<data key="negated">true</data>"#),
        "{graphml}"
    );
    assert!(graphml.contains(r#"<data key="source">"#), "{graphml}");
    assert!(
        graphml.contains(r#"<data key="start">2025-11-01</data>"#),
        "{graphml}"
    );
    let html = run("html");
    assert!(html.contains(r#""negated":true"#), "{html}");
    assert!(run("mermaid").contains("denied"));
    assert!(run("cytoscape").contains("denied by Yelena Vorontsova"));
}

#[test]
fn an_article_can_be_taken_back_and_paths_forget_it() {
    let store = with_stories();
    let denial = "sever-inform-2025-11-04-moscow-denies";
    // Build the projection's snapshot first: the removal must extend it.
    store.run(&["path", "kartavykh", "fsb"]).ok();
    let out = store.run(&["remove", denial]).ok();
    assert!(
        out.stderr
            .starts_with("removed 1 article and 2 entities no other article declares or mentions"),
        "{}",
        out.stderr
    );
    let path = store.run(&["path", "kartavykh", "fsb"]).ok().stdout;
    assert!(!path.contains("denied by"), "{path}");
    store.run(&["find", "Vorontsova"]).code(1);
    let articles = store.run(&["articles", "--format", "tsv"]).ok().stdout;
    assert!(!articles.contains(denial), "{articles}");
    // SPARQL agrees with the projection.
    let left = store.tsv(&format!("ASK {{ GRAPH art:{denial} {{ ?s ?p ?o }} }}"));
    assert!(left.contains("false"), "{left}");
    // An id that is not there removes nothing: exit 2, with a hint.
    let out = store
        .run(&[
            "remove",
            "caspian-wire-2025-11-03-officer-detained",
            "sever-inform",
        ])
        .code(2);
    assert!(
        out.stderr
            .contains("no article has the id \"sever-inform\""),
        "{}",
        out.stderr
    );
    store.run(&["path", "kartavykh", "fsb"]).ok();
    // The shell's .remove, and its projection sees it at once.
    let out = store
        .run(&[
            "shell",
            "-c",
            ".path kartavykh baku",
            "-c",
            ".remove caspian-wire-2025-11-03-officer-detained",
            "-c",
            ".path kartavykh fsb",
        ])
        .code(2);
    assert!(out.stderr.contains("removed 1 article"), "{}", out.stderr);
    // Kartavykh left with the last article that mentioned him.
    assert!(
        out.stderr
            .contains("line 3: no entity is called \"kartavykh\""),
        "{}",
        out.stderr
    );
}

#[test]
fn names_in_any_script_and_transliteration_resolve_as_find_finds_them() {
    let store = with_stories();
    // A word of a Cyrillic name that only `find` used to find.
    let out = store.run(&["path", "Картавых", "Воронцова"]).ok();
    assert!(out.stdout.contains("Yelena Vorontsova"), "{}", out.stdout);
    // Transliterations: Aliev for Aliyev, Kartavikh for Kartavykh.
    let out = store.run(&["path", "Aliev", "Kartavikh"]).ok();
    assert!(out.stdout.starts_with("Ilham Aliyev"), "{}", out.stdout);
    let found = store.run(&["find", "Aliev"]).ok().stdout;
    assert!(found.contains("Ilham Aliyev"), "{found}");
    let found = store.run(&["find", "Алиев"]).ok().stdout;
    assert!(found.contains("Ilham Aliyev"), "{found}");
    // Nothing near enough: exit 1 and the nearest name.
    let out = store.run(&["find", "Kartovykh"]).code(1);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("no entity matches \"Kartovykh\" (did you mean \"Ilya Kartavykh\"?)"),
        "{}",
        out.stderr
    );
    let out = store.run(&["path", "Kartovykh", "fsb"]).code(2);
    assert!(
        out.stderr.contains("did you mean \"Ilya Kartavykh\"?"),
        "{}",
        out.stderr
    );
    // Several equally good candidates: exit 2 with the list, as before.
    let out = store.run(&["path", "Ilya", "fsb"]).ok();
    assert!(out.stdout.starts_with("Ilya Kartavykh"), "{}", out.stdout);
    let out = store.run(&["neighbors", "Az"]).code(2);
    assert!(
        out.stderr.contains("entities; name one by its id"),
        "{}",
        out.stderr
    );
}

#[test]
fn two_ids_of_one_person_are_found_merged_and_unmerged() {
    let store = with_stories();
    let other_id = store.file(
        "second-id.json",
        &doc(
            "wire-2025-11-06-contacts",
            r#"{"id": "ilya-kartavikh", "type": "Person", "name": {"en": "Ilya Kartavikh", "ru": "Илья Картавых"}},
               {"id": "vorontsova", "type": "Person"}"#,
            r#"{"subject": "ilya-kartavikh", "predicate": "contacted", "object": "vorontsova", "evidence": "He called her."}"#,
        ),
    );
    store.run(&["ingest", &other_id]).ok();
    let pairs = store.json(&["duplicates", "--format", "json"]);
    let pair = |json: &serde_json::Value| {
        json.as_array().unwrap().iter().any(|p| {
            let ids = [p["a_id"].as_str().unwrap(), p["b_id"].as_str().unwrap()];
            ids.contains(&"kartavykh") && ids.contains(&"ilya-kartavikh")
        })
    };
    assert!(pair(&pairs), "{pairs:#}");
    let hops = |store: &TestStore| {
        store.json(&["path", "fsb", "vorontsova", "--format", "json"])["paths"][0]["length"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(hops(&store), 3, "through Russia, before the merge");

    let out = store
        .run(&[
            "merge",
            "Kartavykh",
            "ilya-kartavikh",
            "--note",
            "the same officer",
        ])
        .ok();
    assert!(out.stderr.starts_with("merged "), "{}", out.stderr);
    assert_eq!(
        hops(&store),
        2,
        "one entity now: member of the FSB, contacted her"
    );
    let merges = store.json(&["merges", "--format", "json"]);
    assert_eq!(merges[0]["note"], "the same officer", "{merges:#}");
    let after = store.run(&["duplicates", "--format", "json"]).code(1);
    assert_eq!(after.stdout.trim(), "[]", "one entity now, no pair");
    // Merging them again says so.
    store.run(&["merge", "kartavykh", "ilya-kartavikh"]).code(2);

    store.run(&["unmerge", "kartavykh", "ilya-kartavikh"]).ok();
    assert_eq!(hops(&store), 3, "two entities again");
    store.run(&["merges"]).code(1);
    store
        .run(&["unmerge", "kartavykh", "ilya-kartavikh"])
        .code(2);
}

#[test]
fn the_sample_stories_have_no_likely_duplicates() {
    // Names that share words (Azerbaijani media, Israeli media) or ids
    // that share a prefix (charge-treason, charge-conspiracy) are not
    // one entity.
    let store = TestStore::with_sample();
    let out = store.run(&["duplicates"]).code(1);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert_eq!(out.stderr, "no likely duplicates\n");
}

const TALKS: &str = "examples/stories/abu-dhabi-talks.json";
const VOCABULARY: &str = "examples/stories/vocabulary.ttl";

fn with_vocabulary() -> TestStore {
    let store = with_stories();
    store.run(&["ingest", TALKS, VOCABULARY]).ok();
    store
}

#[test]
fn declared_predicates_are_used_like_built_in_ones() {
    let store = with_vocabulary();
    // By its id, its label in any language, or its IRI's local name.
    for via in [
        "held_talks_with",
        "held talks with",
        "أجرى محادثات مع",
        "sg:held_talks_with",
    ] {
        let out = store
            .run(&["path", "azerbaijan", "armenia", "--via", via])
            .ok();
        assert!(
            out.stdout
                .starts_with("Azerbaijan —held talks with— Armenia"),
            "--via {via}: {}",
            out.stdout
        );
    }
    // Symmetric: a directed walk takes it both ways.
    store
        .run(&[
            "path",
            "armenia",
            "azerbaijan",
            "--via",
            "held_talks_with",
            "--directed",
        ])
        .ok();
    // A declared IRI of another vocabulary, by its local name.
    let out = store
        .run(&[
            "path",
            "azerbaijan",
            "northern corridor",
            "--via",
            "controls",
        ])
        .ok();
    assert!(
        out.stdout
            .contains("Azerbaijan —controls→ Northern corridor"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("2023/.."),
        "an open interval: {}",
        out.stdout
    );
    // The inverse label reads a fact from its object.
    let out = store.run(&["neighbors", "russia"]).ok();
    assert!(
        out.stdout
            .contains("  —received a protest note from→\n    Azerbaijan"),
        "{}",
        out.stdout
    );
    // A value predicate of one's own.
    let json = store.json(&[
        "neighbors",
        "azerbaijan",
        "--format",
        "json",
        "--via",
        "delegation_size",
    ]);
    assert_eq!(
        json["groups"][0]["facts"][0]["object_label"], "12",
        "{json:#}"
    );
}

#[test]
fn labels_from_a_turtle_file_name_a_predicate_everywhere() {
    let store = with_vocabulary();
    let out = store.run(&["path", "armenia", "russia"]).ok();
    assert!(
        out.stdout.starts_with("Armenia —borders— Azerbaijan"),
        "{}",
        out.stdout
    );
    let mermaid = store
        .run(&["export", "--focus", "armenia", "--format", "mermaid"])
        .ok()
        .stdout;
    assert!(mermaid.contains("|\"borders"), "{mermaid}");
    assert!(!mermaid.contains("#lt;"), "{mermaid}");
    let arabic = store
        .run(&[
            "export", "--focus", "armenia", "--format", "mermaid", "--lang", "ar",
        ])
        .ok()
        .stdout;
    assert!(arabic.contains("|\"يحد"), "{arabic}");
    let json = store.json(&["path", "armenia", "russia", "--format", "json"]);
    assert_eq!(json["paths"][0]["hops"][0]["predicate_label"], "borders");
}

#[test]
fn the_built_in_ontology_covers_the_politics_and_conflict_of_a_typical_story() {
    let store = TestStore::new();
    let words = [
        "signed",
        "initialled",
        "detained",
        "released",
        "summoned",
        "expelled",
        "killed",
        "injured",
        "sanctioned",
        "accused",
        "deniedResponsibilityFor",
        "negotiatedWith",
    ];
    let facts: Vec<String> = words
        .iter()
        .map(|w| format!(r#"{{"subject": "a", "predicate": "{w}", "object": "b"}}"#))
        .collect();
    let file = store.file(
        "plain.json",
        &doc(
            "plain-words",
            r#"{"id": "a", "type": "Person", "name": {"en": "A"}}, {"id": "b", "type": "Person", "name": {"en": "B"}}"#,
            &facts.join(","),
        ),
    );
    store.run(&["ingest", &file]).ok();
    let out = store.run(&["neighbors", "a"]).ok();
    for label in [
        "—signed→",
        "—negotiated with—",
        "—denied responsibility for→",
    ] {
        assert!(out.stdout.contains(label), "{label}: {}", out.stdout);
    }
    let out = store.run(&["neighbors", "b"]).ok();
    assert!(out.stdout.contains("—signed by→"), "{}", out.stdout);
}
