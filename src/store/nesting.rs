//! A guard against text nested so deep that a recursive parser would run
//! out of stack and abort the process (a Turtle file of 30,000 nested
//! `<<( … )>>` did): the nesting is measured by a flat scan first, and
//! text past [`MAX_NESTING`] levels is refused with its position.

/// How deep brackets and triple terms may nest: far beyond what data or a
/// query needs, far below what exhausts a parser's stack.
pub const MAX_NESTING: usize = 128;

/// Where (1-based line and column, in bytes) `text` first nests deeper
/// than [`MAX_NESTING`] levels of `[`, `(`, `{` and `<<`, skipping
/// strings, IRIs and comments of the Turtle family and SPARQL.
pub fn too_deep(text: &[u8]) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut line_start) = (0usize, 1usize, 0usize);
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        let next = text.get(i + 1).copied();
        match b {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'#' => {
                while i < text.len() && text[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                i = skip_string(text, i);
                continue;
            }
            b'<' if next == Some(b'<') => {
                depth += 1;
                i += 2;
                if depth > MAX_NESTING {
                    return Some((line, i - 1 - line_start));
                }
                continue;
            }
            b'>' if next == Some(b'>') => {
                depth = depth.saturating_sub(1);
                i += 2;
                continue;
            }
            b'<' => {
                // An IRI runs to `>` with no space in it; else it is `<`.
                let end = text[i + 1..]
                    .iter()
                    .position(|&c| c == b'>' || c.is_ascii_whitespace() || c == b'<');
                if let Some(at) = end.filter(|&at| text[i + 1 + at] == b'>') {
                    i += at + 2;
                    continue;
                }
            }
            b'[' | b'(' | b'{' => depth += 1,
            b']' | b')' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_NESTING {
            return Some((line, i + 1 - line_start));
        }
        i += 1;
    }
    None
}

/// The index after the string starting at `start` (its quote), long
/// (`"""`) or short, escapes skipped; the end of the text if it never ends.
fn skip_string(text: &[u8], start: usize) -> usize {
    let quote = text[start];
    let long = text[start..].starts_with(&[quote, quote, quote]);
    let mut i = start + if long { 3 } else { 1 };
    while i < text.len() {
        match text[i] {
            b'\\' => i += 2,
            c if c == quote && !long => return i + 1,
            b'\n' if !long => return i + 1,
            c if c == quote && text[i..].starts_with(&[quote, quote, quote]) => return i + 3,
            _ => i += 1,
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_text_is_found_where_it_gets_too_deep() {
        let turtle = |n: usize| {
            format!(
                "@prefix ex: <http://example.org/> .\nex:s ex:p {}ex:c{} .",
                "<<( ex:a ex:b ".repeat(n),
                " )>>".repeat(n)
            )
        };
        assert_eq!(too_deep(turtle(60).as_bytes()), None);
        assert_eq!(too_deep(turtle(30_000).as_bytes()).map(|(l, _)| l), Some(2));
        assert!(too_deep(format!("{}{}", "[".repeat(200), "]".repeat(200)).as_bytes()).is_some());
        // Strings, long strings, IRIs and comments hold brackets freely.
        let quiet = format!(
            "<http://x/{}> \"{}\" '''{}\n''' # {}\n",
            "(".repeat(300),
            "[".repeat(300),
            "{".repeat(300),
            "<<".repeat(300)
        );
        assert_eq!(too_deep(quiet.as_bytes()), None);
        // `<` and `>` as comparisons do not nest.
        assert_eq!(
            too_deep("FILTER(?a < ?b && ?c > 2)".repeat(500).as_bytes()),
            None
        );
    }
}
