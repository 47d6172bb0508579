//! Where a JSON path (`articles[0].facts[3].object`) is in a document's
//! text, as a line and column: validation works on parsed values, but a
//! person fixes the file, so every problem also says where to look.
//!
//! A small scanner walks only as far as the path goes and skips the rest
//! without building values; it is run only for documents with problems.

/// The 1-based line and column (in characters) of the value at `path`, or
/// of the deepest part of the path that exists.
pub fn locate(text: &[u8], path: &str) -> Option<(usize, usize)> {
    let mut scanner = Scanner { text, at: 0 };
    scanner.space();
    let mut found = scanner.at;
    for segment in segments(path) {
        match scanner.enter(&segment) {
            Some(at) => found = at,
            None => break,
        }
    }
    Some(line_and_column(text, found))
}

/// Gives every diagnostic that has a JSON path but no line the line and
/// column of that path in `text`, which starts on line `first_line`.
pub fn locate_all(text: &[u8], first_line: usize, diagnostics: &mut [super::Diagnostic]) {
    for diagnostic in diagnostics {
        let (None, Some(path)) = (diagnostic.line, &diagnostic.path) else {
            continue;
        };
        if let Some((line, column)) = locate(text, path) {
            diagnostic.line = Some(first_line + line - 1);
            diagnostic.column = Some(column);
        }
    }
}

/// A path's steps: a key, or an index.
#[derive(Debug, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

fn segments(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            out.push(Segment::Key(key.to_owned()));
        }
        for index in rest.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                out.push(Segment::Index(i));
            }
        }
    }
    out
}

fn line_and_column(text: &[u8], at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

struct Scanner<'t> {
    text: &'t [u8],
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// Moves into the member `segment` of the value here; returns where
    /// that member's value starts.
    fn enter(&mut self, segment: &Segment) -> Option<usize> {
        match (self.peek()?, segment) {
            (b'{', Segment::Key(key)) => {
                self.at += 1;
                loop {
                    self.space();
                    if self.peek()? == b'}' {
                        return None;
                    }
                    let name = self.string()?;
                    self.space();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.at += 1;
                    self.space();
                    if name == *key {
                        return Some(self.at);
                    }
                    self.skip()?;
                    self.space();
                    if self.peek()? == b',' {
                        self.at += 1;
                    }
                }
            }
            (b'[', Segment::Index(index)) => {
                self.at += 1;
                for _ in 0..*index {
                    self.space();
                    if self.peek()? == b']' {
                        return None;
                    }
                    self.skip()?;
                    self.space();
                    if self.peek()? == b',' {
                        self.at += 1;
                    }
                }
                self.space();
                (self.peek()? != b']').then_some(self.at)
            }
            _ => None,
        }
    }

    /// Reads a string here, returning its text (escapes kept as written:
    /// keys of our format are plain).
    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.at + 1;
        self.skip()?;
        Some(String::from_utf8_lossy(&self.text[start..self.at - 1]).into_owned())
    }

    /// Skips the value here, whatever it is.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => {
                self.at += 1;
                loop {
                    match self.peek()? {
                        b'\\' => self.at += 2,
                        b'"' => {
                            self.at += 1;
                            return Some(());
                        }
                        _ => self.at += 1,
                    }
                }
            }
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.skip()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.at += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.at += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{"storygraph": 1,
  "entities": [{"id": "a", "type": "Person", "name": {"en": "x\"}y"}}],
  "articles": [
    {"id": "a1", "language": "Arabic",
     "facts": [
       {"subject": "a", "predicate": "warned", "object": "b"},
       {"subject": "أ", "predicate": "wraned", "value": [1, {"x": 2}]}
     ]}
  ]}"#;

    #[test]
    fn paths_point_at_their_values() {
        let at = |path: &str| locate(DOC.as_bytes(), path).unwrap();
        assert_eq!(at("articles[0].language"), (4, 30));
        assert_eq!(at("articles[0].facts[1].predicate"), (7, 38));
        assert_eq!(at("articles[0].facts[1].value"), (7, 57));
        assert_eq!(at("entities[0].name.en"), (2, 61));
        // A key that is not there: the deepest part that is.
        assert_eq!(at("articles[0].facts[0].certainty"), (6, 8));
        assert_eq!(at("articles[5]"), (3, 15));
        assert_eq!(at(""), (1, 1));
    }
}
