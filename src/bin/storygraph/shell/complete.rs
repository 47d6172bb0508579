//! Tab completion that knows the data: dot-commands and their options,
//! option values, prefixes, the ontology's terms, entity ids and labels in
//! any script, article ids. [`complete`] is a plain function of the line,
//! the cursor and the names; the helper only wraps it for rustyline.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};

use clap::CommandFactory;
use storygraph::graph::names::{Entities, MatchKind};
use storygraph::ontology::Ontology;
use storygraph::store::{GraphStore, TermDescription};
use storygraph::vocab;

use super::highlight::KEYWORDS;
use crate::args::DotLine;

/// What completion (and table labels) know of the store, loaded when the
/// shell starts and after every change. Article ids are read on first use:
/// one look-up per article would slow the start on large stores.
#[derive(Default)]
pub struct Names {
    pub entities: Entities,
    /// Entity IRI to its display label.
    pub labels: HashMap<String, String>,
    store: Option<GraphStore>,
    articles: std::sync::OnceLock<Vec<String>>,
    /// The fact predicates `--via` can name (read on first call, so one
    /// declared or labelled since the shell started is offered after the
    /// next `.ingest`).
    predicates: std::sync::OnceLock<Vec<PredicateName>>,
}

impl Names {
    pub fn load(store: &GraphStore) -> storygraph::Result<Names> {
        let entities = Entities::read(store)?;
        let labels = entities
            .indices()
            .map(|i| {
                let e = entities.get(i);
                (e.iri.clone(), e.label.clone())
            })
            .collect();
        Ok(Names {
            entities,
            labels,
            store: Some(store.clone()),
            articles: std::sync::OnceLock::new(),
            predicates: std::sync::OnceLock::new(),
        })
    }

    /// The ids of the ingested articles (read on first call).
    pub fn articles(&self) -> &[String] {
        self.articles.get_or_init(|| {
            let dates = self.store.as_ref().and_then(|s| s.article_dates().ok());
            dates
                .unwrap_or_default()
                .into_iter()
                .map(|a| a.id)
                .collect()
        })
    }

    /// The predicates `--via` takes: the ontology's fact properties and
    /// every one the store types or declares, with their labels.
    pub fn predicates(&self) -> &[PredicateName] {
        self.predicates.get_or_init(|| {
            let mut terms: Vec<(String, TermDescription)> = Ontology::get()
                .fact_properties
                .iter()
                .map(|local| {
                    let iri = format!("{}{local}", vocab::SG);
                    let labels = Ontology::get()
                        .labels
                        .get(&iri)
                        .cloned()
                        .unwrap_or_default();
                    let description = TermDescription {
                        labels,
                        ..TermDescription::default()
                    };
                    (iri, description)
                })
                .collect();
            if let Some(stored) = self
                .store
                .as_ref()
                .and_then(|s| s.fact_property_terms().ok())
            {
                terms.extend(stored);
            }
            predicate_names(terms)
        })
    }

    #[cfg(test)]
    fn with_articles(entities: Entities, articles: Vec<String>) -> Names {
        Names {
            entities,
            labels: HashMap::new(),
            store: None,
            articles: std::sync::OnceLock::from(articles),
            predicates: std::sync::OnceLock::new(),
        }
    }
}

/// The current [`Names`], loaded in a background thread so that the
/// prompt does not wait for them; readers wait until they are there.
#[derive(Clone, Default)]
pub struct NamesCell {
    inner: Arc<(Mutex<NamesSlot>, Condvar)>,
    /// Every load started, joined by [`NamesCell::join`]: no thread may read
    /// the store while the process exits.
    loads: Arc<Mutex<Vec<std::thread::JoinHandle<()>>>>,
}

/// The names, and which load they are waited from: a load started before
/// the store last changed must not overwrite a newer one's names.
#[derive(Default)]
struct NamesSlot {
    names: Option<Arc<Names>>,
    load: u64,
    /// The store to read them from when first asked for (a script's
    /// session: no completion, and most scripts never ask).
    when_asked: Option<GraphStore>,
}

impl NamesCell {
    /// Starts (re)loading the names from `store`.
    pub fn load_in_background(&self, store: &GraphStore) {
        let Some(load) = self.replace(None) else {
            return;
        };
        let store = store.clone();
        let cell = self.clone();
        let thread = std::thread::spawn(move || {
            let names = Names::load(&store).unwrap_or_else(|e| {
                eprintln!("warning: entity names are not available for completion: {e}");
                Names::default()
            });
            cell.set_from(load, names);
        });
        if let Ok(mut loads) = self.loads.lock() {
            loads.push(thread);
        }
    }

    /// Reads the names from `store` when they are first asked for: a
    /// script's session has no completion, and reading them took 0.5 s at
    /// a million facts, which a one-line script waited for at its end.
    pub fn load_when_asked(&self, store: &GraphStore) {
        self.replace(Some(store.clone()));
    }

    /// Drops the names (and the store they hold) without loading others.
    pub fn forget(&self) {
        self.replace(None);
    }

    /// Drops the names and starts a new load (read from `when_asked` at the
    /// first `get`, if given); its number, unless the lock is poisoned.
    fn replace(&self, when_asked: Option<GraphStore>) -> Option<u64> {
        let (slot, _) = &*self.inner;
        let mut slot = slot.lock().ok()?;
        slot.names = None;
        slot.when_asked = when_asked;
        slot.load += 1;
        Some(slot.load)
    }

    fn set_from(&self, load: u64, names: Names) {
        let (slot, loaded) = &*self.inner;
        if let Ok(mut slot) = slot.lock() {
            if slot.load == load {
                slot.names = Some(Arc::new(names));
            }
        }
        loaded.notify_all();
    }

    /// The names, once loaded.
    pub fn get(&self) -> Arc<Names> {
        let (slot, loaded) = &*self.inner;
        let Ok(mut guard) = slot.lock() else {
            return Arc::default();
        };
        loop {
            if let Some(names) = guard.names.as_ref() {
                return names.clone();
            }
            if let Some(store) = guard.when_asked.take() {
                let names = Arc::new(Names::load(&store).unwrap_or_else(|e| {
                    eprintln!("warning: entity labels are not available: {e}");
                    Names::default()
                }));
                guard.names = Some(names.clone());
                return names;
            }
            guard = match loaded.wait(guard) {
                Ok(guard) => guard,
                Err(_) => return Arc::default(),
            };
        }
    }

    /// Waits for every load started.
    pub fn join(&self) {
        let loads = self
            .loads
            .lock()
            .map(|mut loads| std::mem::take(&mut *loads))
            .unwrap_or_default();
        for load in loads {
            let _ = load.join();
        }
    }
}

/// One way to complete the word at the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// What the list shows.
    pub display: String,
    /// What replaces the word.
    pub replacement: String,
}

/// Where the completed word starts, and its candidates; `files` asks the
/// caller to complete a file name instead.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    pub start: usize,
    pub candidates: Vec<Candidate>,
    pub files: bool,
}

/// Commands whose arguments are entities.
const ENTITY_COMMANDS: &[&str] = &[
    "path",
    "paths",
    "k",
    "neighbors",
    "timeline",
    "find",
    "conflicts",
    "corroboration",
];
const FILE_COMMANDS: &[&str] = &["ingest", "read", "output"];
/// At most this many entity candidates are listed.
const MAX_ENTITIES: usize = 40;

/// Completes the word before `pos` in `line`.
pub fn complete(
    line: &str,
    pos: usize,
    names: &Names,
    prefixes: &[(String, String)],
) -> Completion {
    let before = &line[..pos];
    if before.trim_start().starts_with('.') {
        complete_command(before, names)
    } else {
        complete_sparql(before, names, prefixes)
    }
}

fn candidate(display: impl Into<String>, replacement: impl Into<String>) -> Candidate {
    Candidate {
        display: display.into(),
        replacement: replacement.into(),
    }
}

fn words_matching<'a>(word: &str, words: impl IntoIterator<Item = &'a str>) -> Vec<Candidate> {
    let lower = word.to_lowercase();
    let mut found: Vec<Candidate> = words
        .into_iter()
        .filter(|w| w.to_lowercase().starts_with(&lower))
        .map(|w| candidate(w, w))
        .collect();
    found.sort_by(|a, b| a.display.cmp(&b.display));
    found.dedup();
    found
}

fn complete_command(before: &str, names: &Names) -> Completion {
    let start = before.rfind(char::is_whitespace).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    let word = &before[start..];
    let mut tokens = before.split_whitespace();
    let first = tokens.next().unwrap_or(".");
    let command = DotLine::command();
    if start <= before.len() - before.trim_start().len() {
        // The command name itself.
        let typed = first.trim_start_matches('.');
        let names_and_aliases = command
            .get_subcommands()
            .flat_map(|c| std::iter::once(c.get_name()).chain(c.get_visible_aliases()));
        let candidates = words_matching(typed, names_and_aliases)
            .into_iter()
            .map(|c| candidate(format!(".{}", c.display), format!(".{} ", c.replacement)))
            .collect();
        return Completion {
            start,
            candidates,
            files: false,
        };
    }
    let name = first.trim_start_matches('.');
    let Some(sub) = command.find_subcommand(name) else {
        return Completion::default();
    };
    let previous: Vec<&str> = before[..start].split_whitespace().collect();
    let previous = previous.last().copied().unwrap_or("");
    let at = |candidates| Completion {
        start,
        candidates,
        files: false,
    };
    if word.starts_with('-') {
        let longs = sub.get_arguments().filter_map(|a| a.get_long());
        let options: Vec<String> = longs.map(|l| format!("--{l}")).collect();
        return at(words_matching(word, options.iter().map(String::as_str)));
    }
    if let Some(option) = previous.strip_prefix("--") {
        let argument = sub.get_arguments().find(|a| a.get_long() == Some(option));
        if let Some(argument) = argument.filter(|a| a.get_action().takes_values()) {
            return at(match option {
                "via" | "not-via" => predicate_candidates(word, names.predicates()),
                "article" => words_matching(word, names.articles().iter().map(String::as_str)),
                "min-certainty" => words_matching(
                    word,
                    storygraph::model::Certainty::ALL.iter().map(|c| c.as_str()),
                ),
                _ => {
                    let values: Vec<String> = argument
                        .get_possible_values()
                        .iter()
                        .map(|v| v.get_name().to_owned())
                        .collect();
                    words_matching(word, values.iter().map(String::as_str))
                }
            });
        }
    }
    let sub_name = sub.get_name();
    if FILE_COMMANDS.contains(&sub_name) {
        return Completion {
            start,
            candidates: Vec::new(),
            files: true,
        };
    }
    if sub_name == "help" {
        let commands: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
        return at(words_matching(word, commands));
    }
    if sub_name == "connections" {
        return at(words_matching(
            word,
            names.articles().iter().map(String::as_str),
        ));
    }
    if ENTITY_COMMANDS.contains(&sub_name) {
        return at(entity_candidates(word, names, |id, _| id.to_owned()));
    }
    // Commands with a fixed set of values (.format, .timer).
    let values: Vec<String> = sub
        .get_positionals()
        .flat_map(|a| a.get_possible_values())
        .map(|v| v.get_name().to_owned())
        .collect();
    at(words_matching(word, values.iter().map(String::as_str)))
}

/// Entities one of whose names starts with `word` (or has a word that
/// does), compared by match key: `Mukh` and `مخت` both find Mukhtiyev.
fn entity_candidates(
    word: &str,
    names: &Names,
    replacement: impl Fn(&str, &str) -> String,
) -> Vec<Candidate> {
    if word.is_empty() {
        return Vec::new();
    }
    names
        .entities
        .search(word)
        .into_iter()
        .filter(|(_, kind)| *kind != MatchKind::Substring)
        .take(MAX_ENTITIES)
        .map(|(i, _)| {
            let e = names.entities.get(i);
            let shown = e.labels.iter().map(|(_, text, _)| text.as_str());
            let alias = shown
                .filter(|t| {
                    storygraph::normalize::match_key(t)
                        .starts_with(&storygraph::normalize::match_key(word))
                })
                .find(|t| *t != e.label);
            let display = match alias {
                Some(alias) => format!("{} ({}, {alias})", e.id(), e.label),
                None => format!("{} ({})", e.id(), e.label),
            };
            candidate(display, replacement(e.id(), &e.iri))
        })
        .collect()
}

/// A predicate as completion offers it: the name to insert (a declared
/// id, an `sg:` local name, a prefixed name, else a local name no other
/// predicate has, else the IRI) and the labels it is also found by (an
/// inserted IRI's local name among them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PredicateName {
    pub name: String,
    pub labels: Vec<String>,
}

/// One [`PredicateName`] per IRI of `terms` (descriptions of one IRI
/// merged), sorted by name.
fn predicate_names(terms: Vec<(String, TermDescription)>) -> Vec<PredicateName> {
    let mut by_iri: std::collections::BTreeMap<String, TermDescription> = Default::default();
    for (iri, description) in terms {
        let merged = by_iri.entry(iri).or_default();
        merged.labels.extend(description.labels);
        merged.ids.extend(description.ids);
    }
    let local = |iri: &str| iri.rsplit(['#', '/']).next().unwrap_or(iri).to_owned();
    let mut local_names: HashMap<String, usize> = HashMap::new();
    for iri in by_iri.keys() {
        *local_names.entry(local(iri)).or_default() += 1;
    }
    let mut names: Vec<PredicateName> = by_iri
        .into_iter()
        .map(|(iri, description)| {
            let shortened = vocab::shorten(&iri);
            let name = if let Some(id) = description.ids.first() {
                id.clone()
            } else if let Some(local) = iri.strip_prefix(vocab::SG) {
                local.to_owned()
            } else if !shortened.starts_with('<') {
                shortened
            } else if local_names.get(&local(&iri)) == Some(&1) {
                local(&iri)
            } else {
                iri.clone()
            };
            let mut labels: Vec<String> = description
                .labels
                .into_iter()
                .map(|(_, text)| text)
                .collect();
            // An IRI inserted whole is still found by its local name.
            if name == iri {
                labels.push(local(&iri));
            }
            labels.sort();
            labels.dedup();
            PredicateName { name, labels }
        })
        .collect();
    names.sort_by(|a, b| a.name.cmp(&b.name));
    names.dedup_by(|a, b| a.name == b.name);
    names
}

/// Predicates whose name or one of whose labels starts with `word`
/// (compared by match key: `أجرى` finds `held_talks_with`); the name is
/// inserted, the label that matched is shown beside it.
fn predicate_candidates(word: &str, predicates: &[PredicateName]) -> Vec<Candidate> {
    let key = storygraph::normalize::match_key(word);
    predicates
        .iter()
        .filter_map(|p| {
            let starts = |text: &str| storygraph::normalize::match_key(text).starts_with(&key);
            if starts(&p.name) {
                let label = p.labels.iter().find(|l| **l != p.name);
                let display = match label {
                    Some(label) if !word.is_empty() => format!("{} ({label})", p.name),
                    _ => p.name.clone(),
                };
                return Some(candidate(display, p.name.clone()));
            }
            let label = p.labels.iter().find(|l| starts(l))?;
            Some(candidate(format!("{} ({label})", p.name), p.name.clone()))
        })
        .collect()
}

fn complete_sparql(before: &str, names: &Names, prefixes: &[(String, String)]) -> Completion {
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || "(){}<>,;\"'".contains(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[start..];
    let at = |candidates| Completion {
        start,
        candidates,
        files: false,
    };
    if word.is_empty() {
        return Completion::default();
    }
    if word.starts_with(['?', '$']) {
        let mut variables: Vec<&str> = before
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '?' || c == '$'))
            .filter(|w| w.starts_with(['?', '$']) && w.len() > 1 && *w != word)
            .collect();
        variables.sort();
        variables.dedup();
        return at(words_matching(word, variables));
    }
    let all_prefixes = vocab::PREFIXES
        .iter()
        .map(|(p, _)| *p)
        .chain(prefixes.iter().map(|(p, _)| p.as_str()));
    if let Some((prefix, local)) = word.split_once(':') {
        let candidates = match prefix {
            "ent" => entity_candidates(local, names, |_, iri| vocab::shorten(iri)),
            "sg" => {
                let terms = ontology_terms();
                words_matching(local, terms.iter().map(String::as_str))
                    .into_iter()
                    .map(|c| {
                        candidate(format!("sg:{}", c.display), format!("sg:{}", c.replacement))
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        return at(candidates);
    }
    let keyword_candidates = words_matching(word, KEYWORDS.iter().copied())
        .into_iter()
        .filter(|c| word.len() >= 2 || c.display.len() <= 3);
    let prefix_names: Vec<String> = all_prefixes.map(|p| format!("{p}:")).collect();
    let mut candidates: Vec<Candidate> = keyword_candidates
        .chain(words_matching(
            word,
            prefix_names.iter().map(String::as_str),
        ))
        .collect();
    candidates.extend(entity_candidates(word, names, |_, iri| vocab::shorten(iri)));
    at(candidates)
}

/// Local names of every `sg:` term of the ontology (classes, properties).
fn ontology_terms() -> Vec<String> {
    let mut terms: Vec<String> = Ontology::get()
        .labels
        .keys()
        .filter_map(|iri| iri.strip_prefix(vocab::SG))
        .filter(|local| !local.is_empty())
        .map(str::to_owned)
        .collect();
    terms.sort();
    terms
}

#[cfg(test)]
mod tests;
