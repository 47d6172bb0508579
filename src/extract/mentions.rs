//! Which entities of the store an article's text names: the ids a prompt
//! asks the model to reuse, so that a new article connects to the old ones.
//!
//! Names are compared word by word on their match keys (and their
//! transliteration keys, so `Алиев` in a Russian text finds `Aliyev`).
//! Arabic writes some words onto the next one (و، ف، ب، ل، ك and the
//! article ال): a word is also tried without them, so `وبوتين` and
//! `لأذربيجان` name Putin and Azerbaijan. One pass over the text's words
//! and one lookup per name: fast at hundreds of thousands of entities.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::graph::index::EntityIndex;
use crate::graph::names::Entities;
use crate::normalize::{match_key, translit_key};

/// The longest name, in words, that is looked for.
const MAX_WORDS: usize = 6;

/// Names shorter than this (in characters) name too much by chance.
const MIN_CHARS: usize = 3;

/// The entities `text` names, each with the name found, in the order of
/// their first mention.
pub fn entities_named_in(text: &str, entities: &Entities) -> Vec<(EntityIndex, String)> {
    let phrases = Phrases::of(text);
    let mut found: BTreeMap<usize, Vec<(EntityIndex, String)>> = BTreeMap::new();
    for i in entities.indices() {
        let entity = entities.get(i);
        let first = entity
            .labels
            .iter()
            .filter_map(|(_, name, _)| phrases.first_mention(name).map(|at| (at, name)))
            .min_by_key(|(at, name)| (*at, std::cmp::Reverse(name.len())));
        if let Some((at, name)) = first {
            found.entry(at).or_default().push((i, name.clone()));
        }
    }
    found.into_values().flatten().collect()
}

/// The entities `text` names, as a prompt lists them: id, class, a few
/// names (preferred first) and the name the text uses.
pub fn known_entities(text: &str, entities: &Entities) -> Vec<super::prompt::KnownEntity> {
    entities_named_in(text, entities)
        .into_iter()
        .map(|(i, named_as)| {
            let info = entities.get(i);
            let mut labels: Vec<&(String, String, bool)> = info.labels.iter().collect();
            labels.sort_by_key(|(lang, _, preferred)| (!preferred, lang != "en"));
            let mut names: Vec<String> = Vec::new();
            for (_, name, _) in labels {
                if names.len() < 4 && !names.contains(name) {
                    names.push(name.clone());
                }
            }
            super::prompt::KnownEntity {
                id: info.id().to_owned(),
                class: info.class_name(),
                names,
                named_as,
            }
        })
        .collect()
}

/// Every run of one to `MAX_WORDS` words of a text, by key, with where it
/// first starts (a word count).
struct Phrases {
    first: HashMap<String, usize>,
}

impl Phrases {
    fn of(text: &str) -> Phrases {
        let mut first = HashMap::new();
        for key in [match_key(text), translit_key(text)] {
            let words = words(&key);
            for start in 0..words.len() {
                for variant in unprefixed(words[start]) {
                    let mut phrase = variant.to_owned();
                    first.entry(phrase.clone()).or_insert(start);
                    for word in words.iter().skip(start + 1).take(MAX_WORDS - 1) {
                        phrase.push(' ');
                        phrase.push_str(word);
                        first.entry(phrase.clone()).or_insert(start);
                    }
                }
            }
        }
        Phrases { first }
    }

    /// Where `name` is first mentioned, if it is.
    fn first_mention(&self, name: &str) -> Option<usize> {
        let keys: HashSet<String> = [match_key(name), translit_key(name)]
            .iter()
            .map(|key| words(key).join(" "))
            .filter(|key| key.chars().count() >= MIN_CHARS)
            .collect();
        keys.iter().filter_map(|k| self.first.get(k).copied()).min()
    }
}

/// The words of a match key: runs of letters and digits.
fn words(key: &str) -> Vec<&str> {
    key.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// `word`, and `word` without the Arabic prefixes written onto it (what is
/// left must keep two letters).
fn unprefixed(word: &str) -> Vec<&str> {
    const PREFIXES: [&str; 12] = [
        "وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك", "س",
    ];
    let mut out = vec![word];
    let mut todo = vec![word];
    while let Some(w) = todo.pop() {
        for prefix in PREFIXES {
            if let Some(rest) = w.strip_prefix(prefix) {
                if rest.chars().count() >= 2 && !out.contains(&rest) {
                    out.push(rest);
                    todo.push(rest);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::names::EntityInfo;

    fn entities(names: &[(&str, &[&str])]) -> Entities {
        let mut index = Entities::default();
        for (id, labels) in names {
            index.push(EntityInfo {
                iri: format!("https://w3id.org/storygraph/entity/{id}"),
                ids: vec![(*id).to_owned()],
                label: labels[0].to_owned(),
                labels: labels
                    .iter()
                    .map(|l| ("und".to_owned(), (*l).to_owned(), false))
                    .collect(),
                classes: Vec::new(),
                same_as: Vec::new(),
                is_event: false,
                merged: Vec::new(),
            });
        }
        index.finish();
        index
    }

    fn named(text: &str, index: &Entities) -> Vec<String> {
        entities_named_in(text, index)
            .into_iter()
            .map(|(i, name)| format!("{}={name}", index.get(i).ids[0]))
            .collect()
    }

    #[test]
    fn names_are_found_with_arabic_prefixes_variants_and_other_alphabets() {
        let index = entities(&[
            ("putin", &["Vladimir Putin", "بوتين"]),
            ("azerbaijan", &["Azerbaijan", "أذربيجان"]),
            ("aliyev", &["Ilham Aliyev", "Aliyev"]),
            ("gaza", &["Gaza"]),
            ("us", &["US"]),
        ]);
        assert_eq!(
            named("وقال بوتين إن لاذربيجان دورا في غزة", &index),
            ["putin=بوتين", "azerbaijan=أذربيجان"]
        );
        assert_eq!(
            named("Президент Алиев встретился с Путиным.", &index),
            ["aliyev=Aliyev"]
        );
        // The longest name at the first mention; "us" is too short to count.
        assert_eq!(
            named("Ilham Aliyev told us about Gaza; Aliyev again.", &index),
            ["aliyev=Ilham Aliyev", "gaza=Gaza"]
        );
    }

    #[test]
    fn a_name_must_be_whole_words() {
        let index = entities(&[("gaza", &["Gaza"]), ("iran", &["Iran"])]);
        assert!(named("Gazarov and Iranian officials met.", &index).is_empty());
    }
}
