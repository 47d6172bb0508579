//! Turning the names a user types (an entity, a predicate, an article id)
//! into the projection's indices, or an error that says what is near.

use super::names::Lookup;
use super::{ArticleIndex, EntityIndex, PredicateIndex, Projection};
use crate::input::suggest::did_you_mean;

/// A name that names nothing, or more than one thing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("\"{name}\" names {} entities; name one by its id:{}", candidates.len(), candidate_lines(name, candidates))]
    Ambiguous {
        name: String,
        /// (id, label, class) of each entity the name fits.
        candidates: Vec<(String, String, String)>,
    },
    #[error("no entity is called \"{name}\"{}; `storygraph find {name}` lists near names", hint(nearest.as_ref().map(|n| format!("did you mean \"{n}\"?"))))]
    NoEntity {
        name: String,
        nearest: Option<String>,
    },
    #[error("no fact in the store uses the predicate \"{name}\"{}", hint(did_you_mean.clone()))]
    NoPredicate {
        name: String,
        did_you_mean: Option<String>,
    },
    #[error("no article has the id \"{id}\"{}; `storygraph articles` lists them", hint(did_you_mean.clone()))]
    NoArticle {
        id: String,
        did_you_mean: Option<String>,
    },
}

/// Candidates listed in an error, at most: a short name on a big store
/// can fit hundreds, and the error should fit on a screen.
const CANDIDATES_SHOWN: usize = 20;

fn candidate_lines(name: &str, candidates: &[(String, String, String)]) -> String {
    let mut lines: String = candidates
        .iter()
        .take(CANDIDATES_SHOWN)
        .map(|(id, label, class)| format!("\n  {id:<24} {label} ({class})"))
        .collect();
    if candidates.len() > CANDIDATES_SHOWN {
        lines.push_str(&format!(
            "\n  … and {} more; `storygraph find {}` lists them all",
            candidates.len() - CANDIDATES_SHOWN,
            shell_word(name)
        ));
    }
    lines
}

/// `name` as one word a POSIX shell reads back as `name`.
fn shell_word(name: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "-_.:/@".contains(c);
    if !name.is_empty() && name.chars().all(plain) {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\'', r"'\''"))
    }
}

fn hint(text: Option<String>) -> String {
    text.map(|t| format!(" ({t})")).unwrap_or_default()
}

impl Projection {
    /// The entity a name names: an id, a label or alias in any script, a
    /// prefixed name, an IRI or a `same_as` IRI.
    pub fn resolve_entity(&self, name: &str) -> Result<EntityIndex, NameError> {
        match self.entities.lookup(name) {
            Lookup::Found(i) => Ok(i),
            Lookup::Ambiguous(candidates) => Err(NameError::Ambiguous {
                name: name.to_owned(),
                candidates: candidates
                    .into_iter()
                    .map(|i| {
                        let e = self.entities.get(i);
                        (e.id().to_owned(), e.label.clone(), e.class_name())
                    })
                    .collect(),
            }),
            Lookup::NotFound { nearest } => Err(NameError::NoEntity {
                name: name.to_owned(),
                nearest,
            }),
        }
    }

    /// The predicate a name names: a local name of the ontology, a prefixed
    /// name or an IRI, used by some fact in the store.
    pub fn resolve_predicate(&self, name: &str) -> Result<PredicateIndex, NameError> {
        self.predicate_named(name).ok_or_else(|| {
            let names = self
                .predicates
                .iter()
                .map(|p| p.iri.rsplit(['#', '/']).next().unwrap_or(""));
            NameError::NoPredicate {
                name: name.to_owned(),
                did_you_mean: did_you_mean(name, names),
            }
        })
    }

    /// The article with this id.
    pub fn resolve_article(&self, id: &str) -> Result<ArticleIndex, NameError> {
        self.articles.position(|a| a.id == id).ok_or_else(|| {
            let ids = self.articles.iter().map(|a| a.id.as_str());
            NameError::NoArticle {
                id: id.to_owned(),
                did_you_mean: did_you_mean(id, ids),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ambiguous_name_lists_a_screenful_and_says_how_to_see_the_rest() {
        let candidates = |n: usize| -> Vec<(String, String, String)> {
            (0..n)
                .map(|i| (format!("p-{i}"), format!("P {i}"), "sg:Person".to_owned()))
                .collect()
        };
        let error = |name: &str, n: usize| {
            NameError::Ambiguous {
                name: name.to_owned(),
                candidates: candidates(n),
            }
            .to_string()
        };
        let few = error("p", CANDIDATES_SHOWN);
        assert_eq!(few.lines().count(), 1 + CANDIDATES_SHOWN, "{few}");
        assert!(!few.contains("more"), "{few}");
        let many = error("al q", CANDIDATES_SHOWN + 289);
        assert!(many.starts_with("\"al q\" names 309 entities"), "{many}");
        assert_eq!(many.lines().count(), 2 + CANDIDATES_SHOWN, "{many}");
        assert!(
            many.ends_with("… and 289 more; `storygraph find 'al q'` lists them all"),
            "{many}"
        );
        assert_eq!(shell_word("person-1"), "person-1");
        assert_eq!(shell_word("بوتين"), "بوتين");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
