//! Path queries and exploration on the sample stories, through the binary.

use crate::util::*;

fn path_json(store: &TestStore, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["path", "--format", "json"];
    all.extend_from_slice(args);
    let out = store.run(&all);
    let json = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", out.stdout, out.stderr));
    (out.code, json)
}

#[test]
fn putin_reaches_indonesia_across_both_stories_in_at_most_4_hops() {
    let store = TestStore::with_sample();
    let (code, json) = path_json(&store, &["putin", "indonesia"]);
    assert_eq!(code, 0);
    let path = &json["paths"][0];
    assert!(path["length"].as_u64().unwrap() <= 4, "{json:#}");
    assert_eq!(json["from"], "https://w3id.org/storygraph/entity/putin");
    assert_eq!(json["to"], "https://w3id.org/storygraph/entity/indonesia");
    let articles: std::collections::BTreeSet<&str> = path["hops"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| {
            h["facts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["article"].as_str().unwrap())
        })
        .collect();
    assert!(
        articles.contains("zaman-2025-10-19-azerbaijan-coup"),
        "{articles:?}"
    );
    assert!(
        articles.contains("zaman-2025-10-19-azerbaijan-gaza-force"),
        "{articles:?}"
    );
    // Every hop carries its facts, each with article, certainty and evidence.
    for hop in path["hops"].as_array().unwrap() {
        assert!(["forward", "backward"].contains(&hop["direction"].as_str().unwrap()));
        let fact = &hop["facts"][0];
        assert!(["confirmed", "reported", "claimed", "speculated"]
            .contains(&fact["certainty"].as_str().unwrap()));
        assert!(fact["statement"]
            .as_str()
            .unwrap()
            .starts_with("https://w3id.org/storygraph/statement/"));
    }
    assert!(
        json["explanation"]
            .as_str()
            .unwrap()
            .contains("in 4 steps across 3 articles"),
        "{json:#}"
    );
}

#[test]
fn min_certainty_excludes_the_claimed_warning() {
    let store = TestStore::with_sample();
    // Through the warning alone, Putin reaches Aliyev in one claimed hop...
    let (code, json) = path_json(&store, &["putin", "aliyev", "--via", "warned"]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(
        json["paths"][0]["hops"][0]["facts"][0]["certainty"],
        "claimed"
    );
    // ...which "at least reported" excludes.
    let (code, json) = path_json(
        &store,
        &[
            "putin",
            "aliyev",
            "--via",
            "warned",
            "--min-certainty",
            "reported",
        ],
    );
    assert_eq!(code, 1, "{json:#}");
    // Without --via, every hop of the path has a reported or confirmed fact.
    let (code, json) = path_json(&store, &["putin", "aliyev", "--min-certainty", "reported"]);
    assert_eq!(code, 0, "{json:#}");
    for hop in json["paths"][0]["hops"].as_array().unwrap() {
        assert_ne!(hop["predicate_label"], "warned", "{json:#}");
        let facts = hop["facts"].as_array().unwrap();
        assert!(
            facts
                .iter()
                .all(|f| f["certainty"] == "reported" || f["certainty"] == "confirmed"),
            "{json:#}"
        );
    }
    // Only confirmed facts: nothing ties them together in the sample.
    let (code, json) = path_json(&store, &["putin", "aliyev", "--min-certainty", "confirmed"]);
    assert_eq!(code, 1);
    assert_eq!(json["paths"], serde_json::json!([]));
}

#[test]
fn a_denied_fact_is_never_on_a_path() {
    let store = TestStore::new();
    let file = store.file(
        "d.json",
        &doc(
            "a1",
            TWO_PEOPLE,
            r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "negated": true}"#,
        ),
    );
    store.run(&["ingest", &file]).ok();
    let (code, json) = path_json(&store, &["putin", "aliyev"]);
    assert_eq!(code, 1, "no path expected: {json:#}");
    assert_eq!(json["paths"], serde_json::json!([]));
    // ...but exploration shows the denial.
    let out = store.run(&["neighbors", "putin"]).ok();
    assert!(out.stdout.contains("DENIED"), "{}", out.stdout);
}

#[test]
fn arabic_and_latin_names_find_the_same_entity() {
    let store = TestStore::with_sample();
    let ids: Vec<String> = [
        "putin",
        "Putin",
        "بوتين",
        "فلاديمير بوتين",
        "wd:Q7747",
        "http://www.wikidata.org/entity/Q7747",
    ]
    .iter()
    .map(|name| {
        path_json(&store, &[name, "aliyev"]).1["from"]
            .as_str()
            .unwrap()
            .to_owned()
    })
    .collect();
    assert!(
        ids.iter()
            .all(|i| i == "https://w3id.org/storygraph/entity/putin"),
        "{ids:?}"
    );
    // Transliteration variants and unvowelled Arabic find Mehdiyev.
    for name in [
        "Mukhtiyev",
        "mehdiyev",
        "مختييف",
        "رامز مختييف",
        "Рамиз Мехтиев",
    ] {
        let (_, json) = path_json(&store, &[name, "azerbaijan"]);
        assert_eq!(
            json["from"], "https://w3id.org/storygraph/entity/mehdiyev",
            "{name}"
        );
    }
}

#[test]
fn unknown_and_ambiguous_names_are_usage_errors() {
    let store = TestStore::with_sample();
    let out = store.run(&["path", "Putn", "aliyev"]).code(2);
    assert!(
        out.stderr.contains("no entity is called \"Putn\""),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("did you mean"), "{}", out.stderr);
    let out = store
        .run(&["path", "putin", "aliyev", "--min-certainty", "sure"])
        .code(2);
    assert!(
        out.stderr.contains("not a certainty level"),
        "{}",
        out.stderr
    );
}

#[test]
fn k_shortest_paths_come_in_non_decreasing_cost_and_all_respects_max_hops() {
    let store = TestStore::with_sample();
    let (_, json) = path_json(&store, &["putin", "gaza-force", "--k", "5"]);
    let costs: Vec<f64> = json["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["cost"].as_f64().unwrap())
        .collect();
    assert_eq!(costs.len(), 5, "{json:#}");
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "{costs:?}");
    let (_, json) = path_json(&store, &["putin", "gaza-force", "--all", "--max-hops", "3"]);
    assert!(json["paths"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["length"].as_u64().unwrap() <= 3));
}

#[test]
fn text_output_shows_arrows_sources_and_evidence() {
    let store = TestStore::with_sample();
    let out = store.run(&["path", "putin", "indonesia"]).ok();
    // Of the facts tying Putin to Aliyev, the path shows the best supported.
    // A symmetric predicate reads the same both ways: no arrowhead.
    let tension = "Vladimir Putin —strained relations with— Ilham Aliyev  \
                   [reported by Novaya Gazeta; zaman-2025-10-19-azerbaijan-coup; 2024-12]";
    assert!(out.stdout.contains(tension), "{}", out.stdout);
    assert!(
        out.stdout.contains("←may contribute troops to— Indonesia"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("“ووفقًا للتقرير، نشأ التوتر بين علييف وبوتين"),
        "{}",
        out.stdout
    );
    let out = store
        .run(&["path", "putin", "aliyev", "--via", "warned"])
        .ok();
    let warning = "Vladimir Putin —warned→ Ilham Aliyev  \
                   [claimed by Novaya Gazeta; zaman-2025-10-19-azerbaijan-coup; 2025]";
    assert!(out.stdout.contains(warning), "{}", out.stdout);
    assert!(
        out.stdout.contains("“لكن بوتين حذّر علييف فورًا من الخطة"),
        "{}",
        out.stdout
    );
    let dot = store
        .run(&["path", "putin", "indonesia", "--format", "dot"])
        .ok()
        .stdout;
    assert!(
        dot.starts_with("digraph paths {") && dot.contains("style=dotted"),
        "{dot}"
    );
}

#[test]
fn timeline_orders_dated_facts_and_as_of_hides_later_articles() {
    let store = TestStore::with_sample();
    let out = store.run(&["timeline", "aliyev"]).ok();
    let times: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(times.first(), Some(&"2003/2025"), "{}", out.stdout);
    assert!(times.contains(&"2024-12"), "{}", out.stdout);
    store
        .run(&["timeline", "aliyev", "--as-of", "2025-10-01"])
        .code(1);
    store
        .run(&["path", "putin", "indonesia", "--as-of", "2025-10-18"])
        .code(1);
}

#[test]
fn find_ranks_exact_matches_first_in_any_script() {
    let store = TestStore::with_sample();
    let json: serde_json::Value = store.json(&["find", "--format", "json", "أذربيجان"]);
    assert_eq!(json[0]["id"], "azerbaijan", "{json:#}");
    assert_eq!(json[0]["articles"], 3);
    let json: serde_json::Value = store.json(&["find", "--format", "json", "mukh"]);
    assert_eq!(json[0]["id"], "mehdiyev", "{json:#}");
}

/// The entry about Mehdiyev's arrest in a conflicts or corroboration list.
fn the_arrest(json: &serde_json::Value) -> &serde_json::Value {
    json.as_array()
        .unwrap()
        .iter()
        .find(|c| c["triple"] == "Azerbaijan arrested Ramiz Mehdiyev")
        .unwrap_or_else(|| panic!("{json:#}"))
}

#[test]
fn conflicts_show_both_sides_of_a_disputed_fact() {
    let store = TestStore::with_sample();
    let json: serde_json::Value = store.json(&["conflicts", "mehdiyev", "--format", "json"]);
    let arrest = the_arrest(&json);
    assert_eq!(arrest["kind"], "certainty");
    let sides: Vec<&str> = arrest["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["certainty"].as_str().unwrap())
        .collect();
    assert_eq!(sides, ["confirmed", "claimed"]);

    // A denial in a later article against an assertion in an earlier one.
    let store = TestStore::new();
    let a = store.file("a.json", &doc("a1", TWO_PEOPLE, r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "certainty": "claimed"}"#));
    let b = store.file(
        "b.json",
        &doc("b1", TWO_PEOPLE, r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "negated": true, "evidence": "The Kremlin denied it"}"#)
            .replace("2025-10-19", "2025-10-21"),
    );
    store.run(&["ingest", &a, &b]).ok();
    let out = store.run(&["conflicts"]).ok();
    assert!(
        out.stdout.contains("(asserted and denied)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("DENIED [reported; b1] (published 2025-10-21)"),
        "{}",
        out.stdout
    );
    // As of the first article's day, nobody had denied it yet.
    store.run(&["conflicts", "--as-of", "2025-10-20"]).code(1);
}

#[test]
fn corroboration_counts_independent_sources_only() {
    let store = TestStore::with_sample();
    let json: serde_json::Value = store.json(&["corroboration", "mehdiyev", "--format", "json"]);
    let arrest = the_arrest(&json);
    assert_eq!(arrest["independent_sources"], 2);

    // Two outlets relaying the same officials are one origin.
    let store = TestStore::new();
    let entities = format!(
        "{TWO_PEOPLE}, {{\"id\": \"paper-a\", \"type\": \"NewsOrganization\"}}, {{\"id\": \"paper-b\", \"type\": \"NewsOrganization\"}}, {{\"id\": \"officials\", \"type\": \"Group\"}}"
    );
    let facts = r#"{"subject": "putin", "predicate": "warned", "object": "aliyev", "source": "paper-a", "via": ["officials"]},
        {"subject": "putin", "predicate": "warned", "object": "aliyev", "source": "paper-b", "via": ["officials"]}"#;
    let file = store.file("r.json", &doc("a1", &entities, facts));
    store.run(&["ingest", &file]).ok();
    let json: serde_json::Value = store.json(&["corroboration", "--format", "json"]);
    assert_eq!(json[0]["independent_sources"], 1, "{json:#}");
}

#[test]
fn connections_name_what_ties_two_stories() {
    let store = TestStore::with_sample();
    let out = store
        .run(&[
            "connections",
            "zaman-2025-10-19-azerbaijan-coup",
            "zaman-2025-10-19-azerbaijan-gaza-force",
        ])
        .ok();
    assert!(
        out.stdout.contains("Azerbaijan (sg:Country, azerbaijan)"),
        "{}",
        out.stdout
    );
    let out = store
        .run(&["connections", "zaman-coup", "background-2025-10"])
        .code(2);
    assert!(
        out.stderr.contains("no article has the id \"zaman-coup\""),
        "{}",
        out.stderr
    );
}

#[test]
fn zero_paths_is_a_usage_error() {
    let store = TestStore::with_sample();
    let out = store
        .run(&["path", "putin", "indonesia", "--k", "0"])
        .code(2);
    assert!(out.stderr.contains("at least 1"), "{}", out.stderr);
}

#[test]
fn a_path_can_go_around_an_entity_weigh_hubs_and_walk_roles() {
    let store = TestStore::with_sample();
    let hops = |args: &[&str]| {
        let (code, json) = path_json(&store, args);
        assert_eq!(code, 0, "{args:?}: {json:#}");
        let labels: Vec<String> = json["paths"][0]["hops"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["to_label"].as_str().unwrap().to_owned())
            .collect();
        labels
    };
    // The shortest path from Putin to Indonesia runs through Aliyev.
    let shortest = hops(&["putin", "indonesia"]);
    assert!(
        shortest.contains(&"Ilham Aliyev".to_owned()),
        "{shortest:?}"
    );
    // Around him.
    let around = hops(&["putin", "indonesia", "--avoid", "aliyev"]);
    assert!(!around.contains(&"Ilham Aliyev".to_owned()), "{around:?}");
    store
        .run(&["path", "putin", "indonesia", "--avoid", "putin"])
        .code(2);
    // Hubs cost more to pass through: the path changes to leaner nodes.
    let (_, plain) = path_json(&store, &["putin", "gaza-force"]);
    let (_, hubs) = path_json(&store, &["putin", "gaza-force", "--weight", "hubs"]);
    assert!(
        hubs["paths"][0]["cost"].as_f64().unwrap() >= plain["paths"][0]["cost"].as_f64().unwrap(),
        "{hubs:#}"
    );
    // Roles as hops: Putin's warning was about the coup plot, which no
    // fact links him to otherwise.
    store
        .run(&["path", "putin", "coup-attempt-2025", "--via", "warned"])
        .code(1);
    let roles = store
        .run(&[
            "path",
            "putin",
            "coup-attempt-2025",
            "--links",
            "about",
            "--max-hops",
            "4",
            "--all",
        ])
        .ok()
        .stdout;
    assert!(roles.contains("—about→"), "{roles}");
    // Without --links, no hop is a role.
    let facts = store
        .run(&["path", "putin", "coup-attempt-2025"])
        .ok()
        .stdout;
    assert!(!facts.contains("—about→"), "{facts}");
}
