//! Explaining SPARQL mistakes the way a person made them: the parser says
//! where it stopped and what it could have read next ("expected
//! CONSTRUCT" for `SELEC *`), which names the grammar, not the slip. Here
//! a misspelt keyword is named with its nearest keyword, an unclosed
//! bracket with where it opened, and a term of our namespace the store
//! does not know with the term meant.

use super::lexer::{tokens, Token, TokenKind};
use crate::input::suggest::nearest;
use crate::vocab;

/// SPARQL 1.1 and 1.2 keywords and built-in function names.
const KEYWORDS: &[&str] = &[
    "SELECT",
    "CONSTRUCT",
    "DESCRIBE",
    "ASK",
    "WHERE",
    "FROM",
    "NAMED",
    "PREFIX",
    "BASE",
    "VERSION",
    "DISTINCT",
    "REDUCED",
    "ORDER",
    "BY",
    "ASC",
    "DESC",
    "LIMIT",
    "OFFSET",
    "GROUP",
    "HAVING",
    "OPTIONAL",
    "UNION",
    "MINUS",
    "FILTER",
    "BIND",
    "VALUES",
    "SERVICE",
    "SILENT",
    "GRAPH",
    "UNDEF",
    "AS",
    "NOT",
    "IN",
    "EXISTS",
    "INSERT",
    "DELETE",
    "DATA",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
    "USING",
    "DEFAULT",
    "ALL",
    "TO",
    "INTO",
    "STR",
    "LANG",
    "LANGMATCHES",
    "DATATYPE",
    "BOUND",
    "IRI",
    "URI",
    "BNODE",
    "RAND",
    "ABS",
    "CEIL",
    "FLOOR",
    "ROUND",
    "CONCAT",
    "STRLEN",
    "UCASE",
    "LCASE",
    "ENCODE_FOR_URI",
    "CONTAINS",
    "STRSTARTS",
    "STRENDS",
    "STRBEFORE",
    "STRAFTER",
    "YEAR",
    "MONTH",
    "DAY",
    "HOURS",
    "MINUTES",
    "SECONDS",
    "TIMEZONE",
    "TZ",
    "NOW",
    "UUID",
    "STRUUID",
    "MD5",
    "SHA1",
    "SHA256",
    "SHA384",
    "SHA512",
    "COALESCE",
    "IF",
    "STRLANG",
    "STRDT",
    "sameTerm",
    "isIRI",
    "isURI",
    "isBLANK",
    "isLITERAL",
    "isNUMERIC",
    "REGEX",
    "SUBSTR",
    "REPLACE",
    "COUNT",
    "SUM",
    "MIN",
    "MAX",
    "AVG",
    "SAMPLE",
    "GROUP_CONCAT",
    "SEPARATOR",
    "TRIPLE",
    "SUBJECT",
    "PREDICATE",
    "OBJECT",
    "isTRIPLE",
    "LANGDIR",
    "STRLANGDIR",
    "hasLANG",
    "hasLANGDIR",
    "true",
    "false",
    "a",
];

/// A better account of a syntax error than the parser's, when there is one:
/// the message and the 1-based line and column it is about.
pub fn explain(
    text: &str,
    line: Option<usize>,
    column: Option<usize>,
) -> Option<(String, usize, usize)> {
    let found = tokens(text);
    let stop = match (line, column) {
        (Some(l), Some(c)) => found
            .iter()
            .position(|t| (t.line, t.column) > (l, c))
            .unwrap_or(found.len()),
        _ => found.len(),
    };
    // A word that is no keyword, at or before where the parser stopped, is
    // what it tripped on; `prefix:` names and variables are never words.
    if let Some(word) = found[..stop]
        .iter()
        .find(|t| t.kind == TokenKind::Word && !is_keyword(t.text))
    {
        let message = match nearest(word.text, KEYWORDS.iter().copied()) {
            Some(keyword) => format!("\"{}\" is not a SPARQL keyword; did you mean {keyword}?", word.text),
            None => format!(
                "\"{}\" is not a SPARQL keyword (a variable starts with ?, a term is <iri> or prefix:name, text is \"quoted\")",
                word.text
            ),
        };
        return Some((message, word.line, word.column));
    }
    if let Some(string) = found.iter().find(|t| t.kind == TokenKind::UnclosedString) {
        return Some((
            "this string is never closed".to_owned(),
            string.line,
            string.column,
        ));
    }
    if let Some(open) = unclosed(&found) {
        return Some((
            format!("this \"{}\" is never closed", open.text),
            open.line,
            open.column,
        ));
    }
    None
}

fn is_keyword(word: &str) -> bool {
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

/// The first bracket that is opened and never closed, if any.
fn unclosed<'a, 't>(found: &'a [Token<'t>]) -> Option<&'a Token<'t>> {
    let mut open: Vec<&Token<'_>> = Vec::new();
    for token in found.iter().filter(|t| t.kind == TokenKind::Punctuation) {
        match token.text {
            "{" | "(" | "[" => open.push(token),
            "}" | ")" | "]" => {
                // A stray closing bracket is the parser's to report.
                open.pop()?;
            }
            _ => {}
        }
    }
    open.first().copied()
}

/// A term of storygraph's namespace that a query names and the store does
/// not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownTerm {
    /// As written: `sg:memberof` or `<https://…#memberof>`.
    pub written: String,
    pub line: usize,
    pub column: usize,
    /// The known term meant, written the same way, when one is near.
    pub suggestion: Option<String>,
}

impl std::fmt::Display for UnknownTerm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (line {}, column {}) is no term of the ontology or the store",
            self.written, self.line, self.column
        )?;
        match &self.suggestion {
            Some(s) => write!(f, "; did you mean {s}?"),
            None => Ok(()),
        }
    }
}

/// The `sg:` terms of `text` that `known` does not know, each with the
/// nearest of `candidates` (local names, asked for only when a term is
/// unknown). A query that binds `sg:` to another namespace is left alone.
pub fn unknown_terms(
    text: &str,
    known: impl Fn(&str) -> bool,
    candidates: impl FnOnce() -> Vec<String>,
) -> Vec<UnknownTerm> {
    let found = tokens(text);
    let rebinds_sg = found.windows(3).any(|w| {
        w[0].text.eq_ignore_ascii_case("PREFIX")
            && w[1].text == "sg:"
            && w[2].text != format!("<{}>", vocab::SG)
    });
    if rebinds_sg {
        return Vec::new();
    }
    let mut unknown: Vec<UnknownTerm> = Vec::new();
    let mut candidates = Some(candidates);
    let mut names: Vec<String> = Vec::new();
    for token in &found {
        let (local, full) = match token.kind {
            TokenKind::PrefixedName => match token.text.strip_prefix("sg:") {
                Some(local) if !local.is_empty() => (local, false),
                _ => continue,
            },
            TokenKind::Iri => match token.text[1..token.text.len() - 1].strip_prefix(vocab::SG) {
                Some(local) if !local.is_empty() => (local, true),
                _ => continue,
            },
            _ => continue,
        };
        if known(local) || unknown.iter().any(|u| u.written == token.text) {
            continue;
        }
        if let Some(candidates) = candidates.take() {
            names = candidates();
        }
        let suggestion = nearest(local, names.iter().map(String::as_str)).map(|c| {
            if full {
                format!("<{}{c}>", vocab::SG)
            } else {
                format!("sg:{c}")
            }
        });
        unknown.push(UnknownTerm {
            written: token.text.to_owned(),
            line: token.line,
            column: token.column,
            suggestion,
        });
    }
    unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_keyword_is_named_where_it_is() {
        let (message, line, column) =
            explain("SELEC * WHERE { ?s ?p ?o }", Some(1), Some(10)).unwrap();
        assert_eq!(
            message,
            "\"SELEC\" is not a SPARQL keyword; did you mean SELECT?"
        );
        assert_eq!((line, column), (1, 1));
        let (message, line, column) = explain(
            "SELECT * WHERE { ?s ?p ?o }\n  ORDR BY ?s",
            Some(2),
            Some(8),
        )
        .unwrap();
        assert!(message.contains("did you mean ORDER?"), "{message}");
        assert_eq!((line, column), (2, 3));
        // Function names and `a` are keywords too; prefixed names and
        // words inside strings or comments are not looked at.
        assert_eq!(
            explain("SELECT ?s WHERE { ?s a sg:Person ; rdfs:label ?l FILTER(lang(?l) = \"selec\") } # selec", None, None),
            None
        );
    }

    #[test]
    fn a_word_after_where_the_parser_stopped_is_not_blamed() {
        assert_eq!(
            explain("SELECT * WHERE { ?s ?p }  ORDR", Some(1), Some(24)),
            None
        );
    }

    #[test]
    fn an_unclosed_string_is_blamed_before_the_brackets_it_swallows() {
        let (message, line, column) = explain(
            "SELECT * WHERE { ?s ?p ?o FILTER(?s = \"a) }",
            Some(1),
            Some(44),
        )
        .unwrap();
        assert_eq!(message, "this string is never closed");
        assert_eq!((line, column), (1, 39));
        assert_eq!(
            explain("SELECT * WHERE { ?s ?p \"a\\\"b\" } }", Some(1), Some(34)),
            None
        );
    }

    #[test]
    fn an_unclosed_bracket_says_where_it_opened() {
        let (message, line, column) =
            explain("SELECT * WHERE {\n ?s ?p ?o ", Some(2), Some(11)).unwrap();
        assert_eq!(message, "this \"{\" is never closed");
        assert_eq!((line, column), (1, 16));
    }

    #[test]
    fn unknown_sg_terms_get_the_nearest_known_one() {
        let known = |local: &str| ["memberOf", "Person"].contains(&local);
        let candidates = || vec!["memberOf".to_owned(), "Person".to_owned()];
        let found = unknown_terms(
            "SELECT * WHERE { ?s sg:memberof ?o ; a sg:Person . ?o <https://w3id.org/storygraph/ontology#Persn> ?x }",
            known,
            candidates,
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].written, "sg:memberof");
        assert_eq!(found[0].suggestion.as_deref(), Some("sg:memberOf"));
        assert_eq!((found[0].line, found[0].column), (1, 21));
        assert_eq!(
            found[1].suggestion.as_deref(),
            Some("<https://w3id.org/storygraph/ontology#Person>")
        );
        // A query that binds sg: elsewhere is its own business.
        assert!(unknown_terms(
            "PREFIX sg: <http://example.org/> SELECT * { ?s sg:x ?o }",
            known,
            candidates
        )
        .is_empty());
    }
}
