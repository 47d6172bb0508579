//! A forgiving SPARQL tokenizer for explaining errors: it never fails, and
//! knows just enough (IRIs, strings, comments, variables, prefixed names,
//! bare words) to point at the word a person got wrong. Parsing proper is
//! Oxigraph's.

/// What a token is, as far as error messages care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters and digits alone: a keyword, a function name, `a`, or a typo.
    Word,
    /// `prefix:local` (also `prefix:` alone and `_:b` blank nodes).
    PrefixedName,
    /// `<...>` with no space inside.
    Iri,
    Variable,
    String,
    /// A string whose closing quote never comes.
    UnclosedString,
    Number,
    /// `@en` after a string, `@prefix`.
    LanguageTag,
    /// Anything else, one character at a time: `{`, `.`, `(`, `<`, ...
    Punctuation,
}

/// A token: its kind, its text and where it starts (byte offset, and the
/// 1-based line and column in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token<'t> {
    pub kind: TokenKind,
    pub text: &'t str,
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

/// The tokens of `text`, comments and whitespace left out.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let (mut line, mut line_start) = (1, 0);
    while let Some(&(start, c)) = chars.peek() {
        let column = text[line_start..start].chars().count() + 1;
        let end = match c {
            '\n' => {
                chars.next();
                line += 1;
                line_start = start + 1;
                continue;
            }
            c if c.is_whitespace() => {
                chars.next();
                continue;
            }
            '#' => {
                let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
                skip_to(&mut chars, end);
                continue;
            }
            '"' | '\'' => {
                let (end, closed) = string_end(text, start, c);
                let kind = if closed {
                    TokenKind::String
                } else {
                    TokenKind::UnclosedString
                };
                push(&mut out, kind, text, start, end, line, column);
                // A long string may span lines.
                for (i, ch) in text[start..end].char_indices() {
                    if ch == '\n' {
                        line += 1;
                        line_start = start + i + 1;
                    }
                }
                skip_to(&mut chars, end);
                continue;
            }
            '<' => match text[start + 1..].find(|ch: char| ch == '>' || ch.is_whitespace()) {
                Some(i) if text[start + 1 + i..].starts_with('>') => {
                    let end = start + i + 2;
                    push(&mut out, TokenKind::Iri, text, start, end, line, column);
                    end
                }
                _ => punctuation(&mut out, text, start, c, line, column),
            },
            '?' | '$' => {
                let end = word_end(text, start + 1);
                let kind = if end > start + 1 {
                    TokenKind::Variable
                } else {
                    TokenKind::Punctuation
                };
                push(
                    &mut out,
                    kind,
                    text,
                    start,
                    end.max(start + 1),
                    line,
                    column,
                );
                end.max(start + 1)
            }
            '@' => {
                let end = word_end(text, start + 1).max(start + 1);
                push(
                    &mut out,
                    TokenKind::LanguageTag,
                    text,
                    start,
                    end,
                    line,
                    column,
                );
                end
            }
            c if c.is_ascii_digit() => {
                let end = text[start..]
                    .find(|ch: char| {
                        !(ch.is_ascii_alphanumeric() || ch == '.' || ch == '+' || ch == '-')
                    })
                    .map_or(text.len(), |i| start + i);
                // A dot ending a triple pattern is not part of the number.
                let end = if text[start..end].ends_with('.') {
                    end - 1
                } else {
                    end
                };
                push(&mut out, TokenKind::Number, text, start, end, line, column);
                end
            }
            c if is_name_char(c) || c == ':' => {
                let end = word_end(text, start);
                let (kind, end) = if text[end..].starts_with(':') {
                    (TokenKind::PrefixedName, prefixed_end(text, end + 1))
                } else {
                    (TokenKind::Word, end)
                };
                let end = end.max(start + c.len_utf8());
                push(&mut out, kind, text, start, end, line, column);
                end
            }
            _ => punctuation(&mut out, text, start, c, line, column),
        };
        skip_to(&mut chars, end);
    }
    out
}

fn push<'t>(
    out: &mut Vec<Token<'t>>,
    kind: TokenKind,
    text: &'t str,
    start: usize,
    end: usize,
    line: usize,
    column: usize,
) {
    out.push(Token {
        kind,
        text: &text[start..end],
        offset: start,
        line,
        column,
    });
}

fn punctuation<'t>(
    out: &mut Vec<Token<'t>>,
    text: &'t str,
    start: usize,
    c: char,
    line: usize,
    column: usize,
) -> usize {
    let end = start + c.len_utf8();
    push(out, TokenKind::Punctuation, text, start, end, line, column);
    end
}

fn skip_to(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, end: usize) {
    while chars.peek().is_some_and(|&(i, _)| i < end) {
        chars.next();
    }
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

fn word_end(text: &str, from: usize) -> usize {
    text[from..]
        .find(|c: char| !is_name_char(c))
        .map_or(text.len(), |i| from + i)
}

/// The end of a prefixed name's local part (which may hold dots, but not
/// end with one).
fn prefixed_end(text: &str, from: usize) -> usize {
    let end = text[from..]
        .find(|c: char| !(is_name_char(c) || c == '.' || c == ':' || c == '%'))
        .map_or(text.len(), |i| from + i);
    from + text[from..end].trim_end_matches('.').len()
}

/// Where a string starting with `quote` at `start` ends (after its closing
/// quote, or where it had to end without one), and whether it was closed.
fn string_end(text: &str, start: usize, quote: char) -> (usize, bool) {
    let long: String = std::iter::repeat_n(quote, 3).collect();
    let (body, close) = if text[start..].starts_with(&long) {
        (start + 3, long.as_str())
    } else {
        (start + 1, &text[start..start + 1])
    };
    let mut i = body;
    while i < text.len() {
        let rest = &text[i..];
        if let Some(escaped) = rest.strip_prefix('\\') {
            i += 1 + escaped.chars().next().map_or(0, char::len_utf8);
        } else if rest.starts_with(close) {
            return (i + close.len(), true);
        } else if close.len() == 1 && rest.starts_with('\n') {
            // A short string cannot span lines: stop at the line's end.
            return (i, false);
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    (text.len(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokens(text).into_iter().map(|t| (t.kind, t.text)).collect()
    }

    #[test]
    fn tells_words_from_names_iris_and_strings() {
        use TokenKind::*;
        assert_eq!(
            kinds("SELEC ?s WHERE { ?s sg:memberOf <http://x/y> . FILTER(?s < 3) } # note"),
            vec![
                (Word, "SELEC"),
                (Variable, "?s"),
                (Word, "WHERE"),
                (Punctuation, "{"),
                (Variable, "?s"),
                (PrefixedName, "sg:memberOf"),
                (Iri, "<http://x/y>"),
                (Punctuation, "."),
                (Word, "FILTER"),
                (Punctuation, "("),
                (Variable, "?s"),
                (Punctuation, "<"),
                (Number, "3"),
                (Punctuation, ")"),
                (Punctuation, "}"),
            ]
        );
        assert_eq!(
            kinds(
                r#""it's \"so\""@en 'x' """a
b""" 1.5."#
            ),
            vec![
                (String, r#""it's \"so\"""#),
                (LanguageTag, "@en"),
                (String, "'x'"),
                (String, "\"\"\"a\nb\"\"\""),
                (Number, "1.5"),
                (Punctuation, "."),
            ]
        );
    }

    #[test]
    fn positions_count_characters_on_their_line() {
        let found = tokens("SELECT *\n  WHERE { ?s \"عربي\" ?x }");
        let x = found.iter().find(|t| t.text == "?x").unwrap();
        assert_eq!((x.line, x.column), (2, 21));
        let unclosed = tokens("\"never closed\nSELECT");
        assert_eq!(unclosed[0].kind, TokenKind::UnclosedString);
        assert_eq!(unclosed[1].text, "SELECT");
        assert_eq!(unclosed[1].line, 2);
    }
}
