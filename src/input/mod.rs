//! The input edge: the article-facts format (`format`), reading files into
//! documents (`read`), and checking them into the core model (`validate`).
//!
//! **Invariant:** the serde types in `format` never leave this module
//! (they are `pub(super)`); the rest of storygraph sees [`ParsedDocument`]
//! and, once validated, `model::Document`.

pub mod format;
pub mod grounding;
pub mod locate;
pub mod read;
pub mod suggest;
pub mod validate;

use std::fmt;

use crate::ontology::Ontology;
use validate::{KnownEntities, Validated};

/// A document as read, not yet validated. What it holds is the format's
/// serde types, which stay inside `input`: the rest of storygraph can only
/// ask which entity ids it declares, and validate it into the model.
#[derive(Debug)]
pub struct ParsedDocument(format::DocumentInput);

impl ParsedDocument {
    /// The entity ids the document declares: what other files of the same
    /// run may reference.
    pub fn declared_ids(&self) -> impl Iterator<Item = &str> {
        validate::declared_ids(&self.0)
    }

    /// The predicates the document declares, as known to other documents
    /// of the run (a bad declaration fails its own document anyway).
    pub fn declared_predicates(&self) -> Vec<(String, validate::KnownPredicate)> {
        validate::declared_predicates(&self.0)
    }

    /// Gives the document's one article its text (from a file beside the
    /// JSON, as `ingest --text` does), or says why it cannot.
    pub fn attach_text(&mut self, text: String) -> Result<(), String> {
        match self.0.articles.as_mut_slice() {
            [article] if article.text.is_some() => Err(format!(
                "the article \"{}\" has a \"text\" already; give the text one way, not both",
                article.id
            )),
            [article] => {
                article.text = Some(text);
                Ok(())
            }
            articles => Err(format!(
                "a text file is for a document with one article; this one has {}",
                articles.len()
            )),
        }
    }

    /// Validates the document into the model (with warnings of what looks
    /// wrong but may be right), or lists every problem.
    pub fn validate(
        self,
        ontology: &Ontology,
        known: &dyn KnownEntities,
    ) -> Result<Validated, Vec<Diagnostic>> {
        validate::validate(self.0, ontology, known)
    }
}

/// The nearest slug to `text` (lowercased, other characters as `-`): an id
/// made from a file name.
pub fn slug_of(text: &str) -> String {
    validate::slugify(text)
}

/// Whether `tag` is a well-formed BCP 47 language tag (`ar`, `az-Latn`),
/// as the format requires of `language`.
pub fn is_language_tag(tag: &str) -> bool {
    validate::is_language_tag(tag)
}

/// One problem in one input unit, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line in the file (for `.jsonl`, the line of the unit).
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// JSON path inside the document, e.g. `articles[0].facts[3].object`.
    pub path: Option<String>,
    /// What was found and what was expected.
    pub message: String,
    /// A "did you mean" or another way out.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn at_path(path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            line: None,
            column: None,
            path: Some(path.into()),
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: Option<String>) -> Diagnostic {
        self.hint = hint;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut located = false;
        if let Some(line) = self.line {
            write!(f, "line {line}")?;
            if let Some(column) = self.column {
                write!(f, ", column {column}")?;
            }
            located = true;
        }
        if let Some(path) = &self.path {
            if located {
                f.write_str(", ")?;
            }
            f.write_str(path)?;
            located = true;
        }
        if located {
            f.write_str(": ")?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}
