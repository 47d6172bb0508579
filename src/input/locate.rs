//! Where a JSON path (`articles[0].facts[3].object`) is in a document's
//! text, as a line and column: validation works on parsed values, but a
//! person fixes the file, so every problem also says where to look.
//!
//! A small scanner walks only as far as the path goes and skips the rest
//! without building values; it is run only for documents with problems.
//! The paths of one document share their walks (where each member and each
//! array element reached starts), and lines are counted once through the
//! text: a document with a hundred thousand bad facts is located in one
//! pass, not one pass per problem.

use std::collections::HashMap;

/// The 1-based line and column (in characters) of the value at `path`, or
/// of the deepest part of the path that exists.
pub fn locate(text: &[u8], path: &str) -> Option<(usize, usize)> {
    let at = Locator::new(text).offset(path);
    Some(Lines::new(text).at(at))
}

/// Gives every diagnostic that has a JSON path but no line the line and
/// column of that path in `text`, which starts on line `first_line`.
pub fn locate_all(text: &[u8], first_line: usize, diagnostics: &mut [super::Diagnostic]) {
    let mut locator = Locator::new(text);
    let mut found: Vec<(usize, usize)> = diagnostics
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match (d.line, &d.path) {
            (None, Some(path)) => Some((locator.offset(path), i)),
            _ => None,
        })
        .collect();
    found.sort_unstable();
    let mut lines = Lines::new(text);
    for (at, i) in found {
        let (line, column) = lines.at(at);
        diagnostics[i].line = Some(first_line + line - 1);
        diagnostics[i].column = Some(column);
    }
}

/// A path's steps: a key, or an index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
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

/// Finds where paths lead in one document, remembering what earlier
/// walks found.
struct Locator<'t> {
    text: &'t [u8],
    /// Where the member `segment` of the value starting at an offset
    /// starts (`None`: it is not there).
    entered: HashMap<(usize, Segment), Option<usize>>,
    /// The furthest element reached in the array starting at an offset:
    /// its index and where it starts.
    reached: HashMap<usize, (usize, usize)>,
}

impl<'t> Locator<'t> {
    fn new(text: &'t [u8]) -> Self {
        Locator {
            text,
            entered: HashMap::new(),
            reached: HashMap::new(),
        }
    }

    /// Where the value at `path` starts, or the deepest part of it that
    /// exists.
    fn offset(&mut self, path: &str) -> usize {
        let mut scanner = Scanner {
            text: self.text,
            at: 0,
        };
        scanner.space();
        let mut found = scanner.at;
        for segment in segments(path) {
            let key = (found, segment);
            let next = match self.entered.get(&key) {
                Some(&next) => next,
                None => {
                    scanner.at = found;
                    let next = match &key.1 {
                        Segment::Index(index) => {
                            let (from, from_at) = match self.reached.get(&found) {
                                Some(&(reached, at)) if reached <= *index => (reached, Some(at)),
                                _ => (0, None),
                            };
                            let next = scanner.element(*index, from, from_at);
                            if let Some(at) = next {
                                self.reached.insert(found, (*index, at));
                            }
                            next
                        }
                        Segment::Key(_) => scanner.enter(&key.1),
                    };
                    self.entered.insert(key, next);
                    next
                }
            };
            match next {
                Some(at) => found = at,
                None => break,
            }
        }
        found
    }
}

/// Lines and columns of offsets asked for in increasing order, counted
/// from the last one asked (from the start when asked for an earlier one).
struct Lines<'t> {
    text: &'t [u8],
    at: usize,
    line: usize,
    /// Characters between the start of the line and `at`.
    column: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t [u8]) -> Self {
        Lines {
            text,
            at: 0,
            line: 1,
            column: 0,
        }
    }

    fn at(&mut self, at: usize) -> (usize, usize) {
        let at = at.min(self.text.len());
        if at < self.at {
            *self = Lines::new(self.text);
        }
        let between = &self.text[self.at..at];
        match between.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.line += between.iter().filter(|&&b| b == b'\n').count();
                self.column = characters(&between[last + 1..]);
            }
            None => self.column += characters(between),
        }
        self.at = at;
        (self.line, self.column + 1)
    }
}

/// The characters in UTF-8 bytes: the bytes that start one.
fn characters(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
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

    /// Moves into the member `key` of the object here; returns where that
    /// member's value starts.
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
            _ => None,
        }
    }

    /// Moves to the element `index` of the array here; returns where it
    /// starts. `from_at`: where the element `from` starts, known already.
    fn element(&mut self, index: usize, from: usize, from_at: Option<usize>) -> Option<usize> {
        match from_at {
            Some(at) => self.at = at,
            None => {
                if self.peek()? != b'[' {
                    return None;
                }
                self.at += 1;
            }
        }
        for _ in from..index {
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

    /// Many paths of one document, asked in any order, land where each
    /// would alone (the walks they share and the line count carried from
    /// one to the next give the same answers).
    #[test]
    fn shared_walks_land_where_single_ones_do() {
        let facts: Vec<String> = (0..300)
            .map(|i| {
                let gap = if i % 7 == 0 { "\n   " } else { " " };
                format!(r#"{{"subject": "أ{i}",{gap}"predicate": "p", "object": [{i}, "x"]}}"#)
            })
            .collect();
        let doc = format!(
            r#"{{"entities": [{{"id": "e", "name": {{"ar": "ش"}}}}], "articles": [{{"facts": [{}]}}]}}"#,
            facts.join(",\n")
        );
        let mut paths: Vec<String> = (0..320)
            .rev()
            .step_by(3)
            .flat_map(|i| {
                [
                    format!("articles[0].facts[{i}].predicate"),
                    format!("articles[0].facts[{i}].object[1]"),
                    format!("articles[0].facts[{i}].missing"),
                ]
            })
            .collect();
        paths.push("entities[0].name.ar".into());
        paths.push("articles[1]".into());
        let mut diagnostics: Vec<super::super::Diagnostic> = paths
            .iter()
            .map(|p| super::super::Diagnostic::at_path(p.as_str(), "m"))
            .collect();
        locate_all(doc.as_bytes(), 10, &mut diagnostics);
        for (path, diagnostic) in paths.iter().zip(&diagnostics) {
            let (line, column) = locate(doc.as_bytes(), path).unwrap();
            assert_eq!(
                (diagnostic.line, diagnostic.column),
                (Some(line + 9), Some(column)),
                "{path}"
            );
        }
    }
}
