//! Unit tests of completion: candidates for a line and cursor.

use super::*;
use storygraph::store::EntityRecord;

fn names() -> Names {
    let record = |id: &str, class: &str, labels: &[(&str, &str, bool)]| EntityRecord {
        iri: format!("{}{id}", vocab::ENT),
        ids: vec![id.to_owned()],
        classes: vec![format!("{}{class}", vocab::SG)],
        labels: labels
            .iter()
            .map(|(l, t, p)| (l.to_string(), t.to_string(), *p))
            .collect(),
        same_as: Vec::new(),
    };
    let mut entities = Entities::new(
        vec![
            record(
                "mukhtiyev",
                "Person",
                &[
                    ("en", "Rovshan Mukhtiyev", true),
                    ("ar", "روشن مختييف", true),
                ],
            ),
            record(
                "putin",
                "Person",
                &[("en", "Vladimir Putin", true), ("ar", "بوتين", false)],
            ),
            record("indonesia", "Country", &[("en", "Indonesia", true)]),
        ],
        Ontology::get(),
        &[],
    );
    entities.finish();
    Names::with_articles(
        entities,
        vec![
            "zaman-azerbaijan-coup".to_owned(),
            "zaman-azerbaijan-gaza-force".to_owned(),
        ],
    )
}

fn replacements(line: &str) -> Vec<String> {
    complete(line, line.len(), &names(), &[])
        .candidates
        .into_iter()
        .map(|c| c.replacement)
        .collect()
}

#[test]
fn command_names_and_their_options() {
    assert_eq!(replacements(".pa"), [".path ", ".paths "]);
    assert_eq!(replacements(".ex"), [".exit ", ".explain ", ".export "]);
    let options = replacements(".path putin indonesia --mi");
    assert_eq!(options, ["--min-certainty"]);
    assert_eq!(
        replacements(".path putin indonesia --min-certainty c"),
        ["claimed", "confirmed"]
    );
    assert_eq!(replacements(".format ts"), ["tsv"]);
    assert_eq!(replacements(".timer o"), ["off", "on"]);
    assert_eq!(replacements(".help neig"), ["neighbors"]);
    assert_eq!(replacements(".path a b --via warn"), ["warned"]);
    assert_eq!(
        replacements(".connections zaman-azerbaijan-g"),
        ["zaman-azerbaijan-gaza-force"]
    );
    assert!(complete(".read exa", 9, &names(), &[]).files);
    assert_eq!(replacements(".nosuch x"), Vec::<String>::new());
}

#[test]
fn entities_complete_from_any_script_to_their_id() {
    assert_eq!(replacements(".path Mukh"), ["mukhtiyev"]);
    assert_eq!(replacements(".path مخت"), ["mukhtiyev"]);
    // A word of a label, without case: "putin" in "Vladimir Putin".
    assert_eq!(replacements(".neighbors PUT"), ["putin"]);
    assert_eq!(replacements(".path putin بوت"), ["putin"]);
    let shown = complete(".path بوت", ".path بوت".len(), &names(), &[]);
    assert_eq!(shown.candidates[0].display, "putin (Vladimir Putin, بوتين)");
    assert_eq!(shown.start, ".path ".len());
}

#[test]
fn sparql_gets_prefixed_names_keywords_and_variables() {
    assert_eq!(
        replacements("SELECT * WHERE { ?s ?p ent:mukh"),
        ["ent:mukhtiyev"]
    );
    assert_eq!(
        replacements("SELECT * WHERE { ?s ?p مخت"),
        ["ent:mukhtiyev"]
    );
    assert!(replacements("SELECT * WHERE { ?s a sg:Per").contains(&"sg:Person".to_owned()));
    assert!(replacements("SELECT * WHERE { ?s sg:war").contains(&"sg:warned".to_owned()));
    assert_eq!(replacements("SEL"), ["SELECT"]);
    assert_eq!(replacements("select * where { ?s sk"), ["skos:"]);
    assert_eq!(
        replacements("SELECT ?person ?place WHERE { ?pe"),
        ["?person"]
    );
    let ex = [("ex".to_owned(), "http://example.org/".to_owned())];
    let with_ex: Vec<String> = complete("ASK { ?s e", 10, &names(), &ex)
        .candidates
        .into_iter()
        .map(|c| c.replacement)
        .collect();
    assert!(with_ex.contains(&"ex:".to_owned()), "{with_ex:?}");
}

#[test]
fn every_names_load_is_joined_and_the_newest_one_wins() {
    let store = storygraph::store::GraphStore::memory().unwrap();
    let cell = super::NamesCell::default();
    // A second load starts before the first ends, as after an `.ingest`.
    cell.load_in_background(&store);
    cell.load_in_background(&store);
    cell.join();
    assert!(cell.loads.lock().unwrap().is_empty());
    // Joined: the newest load has set its names, so this cannot block.
    let slot = cell.inner.0.lock().unwrap();
    assert_eq!(slot.load, 2);
    assert!(slot.names.is_some());
}

#[test]
fn via_completes_predicates_by_name_or_by_a_label_in_any_script() {
    assert!(replacements(".path putin indonesia --via war").contains(&"warned".to_owned()));
    let described = |labels: &[(&str, &str)], ids: &[&str]| TermDescription {
        labels: labels
            .iter()
            .map(|(l, t)| (l.to_string(), t.to_string()))
            .collect(),
        ids: ids.iter().map(|i| i.to_string()).collect(),
        ..TermDescription::default()
    };
    let names = predicate_names(vec![
        (
            format!("{}held_talks_with", vocab::SG),
            described(
                &[("en", "held talks with"), ("ar", "أجرى محادثات مع")],
                &["held_talks_with"],
            ),
        ),
        (
            "https://example.org/vocab#borders".to_owned(),
            described(&[("en", "borders"), ("ar", "يحد")], &[]),
        ),
        (
            "https://example.org/vocab#controls".to_owned(),
            described(&[("en", "controls")], &[]),
        ),
        (
            "https://example.org/other#controls".to_owned(),
            described(&[], &[]),
        ),
        // The same IRI twice (the ontology and the store): one name.
        (
            "http://www.wikidata.org/prop/direct/P17".to_owned(),
            described(&[("en", "country")], &[]),
        ),
        (
            "http://www.wikidata.org/prop/direct/P17".to_owned(),
            described(&[("ar", "البلد")], &[]),
        ),
    ]);
    let found = |word: &str| -> Vec<String> {
        predicate_candidates(word, &names)
            .into_iter()
            .map(|c| c.replacement)
            .collect()
    };
    // By a label, in Arabic with or without its hamza, or by the id.
    assert_eq!(found("أجرى"), ["held_talks_with"]);
    assert_eq!(found("اجرى"), ["held_talks_with"]);
    assert_eq!(found("Held"), ["held_talks_with"]);
    // Another vocabulary's term: its local name while no other shares it,
    // else its IRI; a known prefix gives a prefixed name.
    assert_eq!(found("يحد"), ["borders"]);
    assert_eq!(
        found("contr"),
        [
            "https://example.org/other#controls",
            "https://example.org/vocab#controls"
        ]
    );
    assert_eq!(found("البلد"), ["wdt:P17"]);
    let shown = predicate_candidates("أجرى", &names);
    assert_eq!(shown[0].display, "held_talks_with (أجرى محادثات مع)");
}
