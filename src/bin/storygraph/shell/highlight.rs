//! Colouring what is typed at the prompt: SPARQL keywords, variables, IRIs,
//! prefixed names, literals and comments, plus the bracket that matches the
//! one at the cursor. Plain functions over the line; the helper calls them
//! only when colour is on.

const KEYWORD: &str = "\x1b[1;34m";
const VARIABLE: &str = "\x1b[36m";
const IRI: &str = "\x1b[32m";
const LITERAL: &str = "\x1b[33m";
const COMMENT: &str = "\x1b[90m";
const COMMAND: &str = "\x1b[1;35m";
const MATCH: &str = "\x1b[1;7m";
const RESET: &str = "\x1b[0m";

/// SPARQL 1.1 keywords and functions worth colouring (and completing).
pub const KEYWORDS: &[&str] = &[
    "ADD",
    "ALL",
    "AS",
    "ASC",
    "ASK",
    "BASE",
    "BIND",
    "BOUND",
    "BY",
    "CLEAR",
    "COALESCE",
    "CONCAT",
    "CONSTRUCT",
    "CONTAINS",
    "COPY",
    "COUNT",
    "CREATE",
    "DATA",
    "DEFAULT",
    "DELETE",
    "DESC",
    "DESCRIBE",
    "DISTINCT",
    "DROP",
    "EXISTS",
    "FILTER",
    "FROM",
    "GRAPH",
    "GROUP",
    "GROUP_CONCAT",
    "HAVING",
    "IF",
    "IN",
    "INSERT",
    "LANG",
    "LANGMATCHES",
    "LCASE",
    "LIMIT",
    "LOAD",
    "MAX",
    "MIN",
    "MINUS",
    "MOVE",
    "NAMED",
    "NOT",
    "OFFSET",
    "OPTIONAL",
    "ORDER",
    "PREFIX",
    "REDUCED",
    "REGEX",
    "SAMPLE",
    "SELECT",
    "SERVICE",
    "STR",
    "STRSTARTS",
    "SUM",
    "UCASE",
    "UNDEF",
    "UNION",
    "USING",
    "VALUES",
    "WHERE",
    "WITH",
    "YEAR",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Keyword,
    Variable,
    Iri,
    Literal,
    Comment,
    Plain,
}

/// Cuts a line of SPARQL into coloured spans (byte ranges).
fn spans(line: &str) -> Vec<(usize, usize, Kind)> {
    let bytes = line.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let kind = match c {
            b'#' => {
                i = line[i..].find('\n').map_or(bytes.len(), |n| i + n);
                Kind::Comment
            }
            b'"' | b'\'' => {
                i += 1;
                while i < bytes.len() && bytes[i] != c && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                Kind::Literal
            }
            b'<' if line[i + 1..]
                .find(['>', ' ', '\n'])
                .is_some_and(|n| bytes[i + 1 + n] == b'>') =>
            {
                i = i + 2 + line[i + 1..].find('>').unwrap_or(0);
                Kind::Iri
            }
            b'?' | b'$' => {
                i += 1 + word_len(&line[i + 1..]);
                Kind::Variable
            }
            _ if is_word(line[i..].chars().next().unwrap_or(' ')) => {
                i += word_len(&line[i..]);
                let word = &line[start..i];
                if word.contains(':') {
                    Kind::Iri
                } else if KEYWORDS.contains(&word.to_ascii_uppercase().as_str()) || word == "a" {
                    Kind::Keyword
                } else {
                    Kind::Plain
                }
            }
            _ => {
                i += line[i..].chars().next().map_or(1, char::len_utf8);
                Kind::Plain
            }
        };
        spans.push((start, i.min(bytes.len()), kind));
    }
    spans
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | ':' | '-')
}

fn word_len(text: &str) -> usize {
    text.char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| i)
}

/// The byte offset of the bracket matching the one at or just before
/// `pos`, and that bracket's offset.
pub fn matching_bracket(line: &str, pos: usize) -> Option<(usize, usize)> {
    let bytes = line.as_bytes();
    let at = [pos, pos.wrapping_sub(1)]
        .into_iter()
        .find(|&p| p < bytes.len() && b"(){}[]".contains(&bytes[p]))?;
    let (open, close, forward) = match bytes[at] {
        b'(' => (b'(', b')', true),
        b'{' => (b'{', b'}', true),
        b'[' => (b'[', b']', true),
        b')' => (b'(', b')', false),
        b'}' => (b'{', b'}', false),
        _ => (b'[', b']', false),
    };
    let mut depth = 0usize;
    let indices: Box<dyn Iterator<Item = usize>> = if forward {
        Box::new(at..bytes.len())
    } else {
        Box::new((0..=at).rev())
    };
    for i in indices {
        let b = bytes[i];
        let (inc, dec) = if forward {
            (open, close)
        } else {
            (close, open)
        };
        if b == inc {
            depth += 1;
        } else if b == dec {
            depth -= 1;
            if depth == 0 {
                return Some((at, i));
            }
        }
    }
    None
}

/// The line with ANSI colours; the matching brackets around `pos` shown
/// in reverse video.
pub fn highlight(line: &str, pos: usize) -> String {
    let brackets = matching_bracket(line, pos);
    let is_match = |i: usize| brackets.is_some_and(|(a, b)| i == a || i == b);
    if let Some(rest) = line.trim_start().strip_prefix('.') {
        let indent = line.len() - line.trim_start().len();
        let name_len = word_len(rest) + 1;
        return format!(
            "{}{COMMAND}{}{RESET}{}",
            &line[..indent],
            &line[indent..indent + name_len],
            &line[indent + name_len..]
        );
    }
    let mut out = String::with_capacity(line.len() * 2);
    for (start, end, kind) in spans(line) {
        let text = &line[start..end];
        if end - start == 1 && is_match(start) {
            out.push_str(MATCH);
            out.push_str(text);
            out.push_str(RESET);
            continue;
        }
        let colour = match kind {
            Kind::Keyword => KEYWORD,
            Kind::Variable => VARIABLE,
            Kind::Iri => IRI,
            Kind::Literal => LITERAL,
            Kind::Comment => COMMENT,
            Kind::Plain => {
                out.push_str(text);
                continue;
            }
        };
        out.push_str(colour);
        out.push_str(text);
        out.push_str(RESET);
    }
    out
}

/// The line without colour codes (what the terminal shows as text).
#[cfg(test)]
fn strip(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<(&str, Kind)> {
        spans(line)
            .into_iter()
            .filter(|s| s.2 != Kind::Plain)
            .map(|(a, b, k)| (&line[a..b], k))
            .collect()
    }

    #[test]
    fn tokens_get_their_kind() {
        let line = "SELECT ?who WHERE { ?who a sg:Person ; skos:prefLabel \"بوتين\"@ar . <http://x/y> ?p 'it''s' } # done";
        let found = kinds(line);
        assert!(found.contains(&("SELECT", Kind::Keyword)));
        assert!(found.contains(&("a", Kind::Keyword)));
        assert!(found.contains(&("?who", Kind::Variable)));
        assert!(found.contains(&("sg:Person", Kind::Iri)));
        assert!(found.contains(&("\"بوتين\"", Kind::Literal)));
        assert!(found.contains(&("<http://x/y>", Kind::Iri)));
        assert!(found.contains(&("# done", Kind::Comment)));
        // `?p < 3` is a comparison, not an IRI.
        assert!(!kinds("FILTER(?p < 3 && ?q > 2)")
            .iter()
            .any(|(_, k)| *k == Kind::Iri));
    }

    #[test]
    fn highlighting_keeps_the_text() {
        for line in [
            "SELECT * WHERE { ?s ?p \"unterminated",
            ".path بوتين indonesia",
            "ASK { <http://a> ?p ?o } # x",
            "",
        ] {
            for pos in 0..=line.len() {
                if line.is_char_boundary(pos) {
                    assert_eq!(strip(&highlight(line, pos)), line);
                }
            }
        }
    }

    #[test]
    fn brackets_match_across_nesting() {
        let line = "SELECT * { ?s ?p (1 (2)) }";
        let open = line.find('{').unwrap();
        let close = line.rfind('}').unwrap();
        assert_eq!(matching_bracket(line, open), Some((open, close)));
        assert_eq!(matching_bracket(line, close + 1), Some((close, open)));
        let paren = line.find('(').unwrap();
        assert_eq!(
            matching_bracket(line, paren),
            Some((paren, line.rfind(')').unwrap()))
        );
        assert_eq!(matching_bracket("SELECT { ", 7), None);
    }
}
