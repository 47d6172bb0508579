//! Reading input files into documents: `.json` (one document), `.jsonl` /
//! `.ndjson` (one per line), and a JSON document stream on stdin.
//!
//! Errors carry where they happened: line and column for malformed JSON, the
//! JSON path (`articles[0].facts[3].object`) for well-formed but wrong input,
//! and a "did you mean" for unknown keys.

use serde::Deserialize;

use super::format::{
    DocumentInput, ARTICLE_KEYS, DOCUMENT_KEYS, ENTITY_KEYS, FACT_KEYS, FORMAT_VERSION,
    PREDICATE_KEYS,
};
use super::suggest;
use super::{Diagnostic, ParsedDocument};

/// One parsed document and the line it starts on (for streams).
#[derive(Debug)]
pub struct ParsedUnit {
    pub line: usize,
    /// The byte offset in the input just past this unit (for progress).
    pub end: u64,
    pub document: Result<ParsedDocument, Diagnostic>,
    /// The unit's text from its first character (`line`), to locate the
    /// problems validation finds.
    pub source: Vec<u8>,
}

/// Parses one whole JSON document.
pub fn parse_document(text: &[u8]) -> Result<ParsedDocument, Diagnostic> {
    parse_input(text).map(ParsedDocument)
}

fn parse_input(text: &[u8]) -> Result<DocumentInput, Diagnostic> {
    let mut de = serde_json::Deserializer::from_slice(text);
    let parsed = serde_path_to_error::deserialize::<_, DocumentInput>(&mut de)
        .map_err(diagnose)
        .and_then(|doc| {
            de.end().map_err(|err| {
                syntax(
                    &err,
                    "only one JSON document per .json file (use .jsonl for many)",
                )
            })?;
            Ok(doc)
        });
    match parsed {
        Ok(doc) if doc.storygraph == FORMAT_VERSION => Ok(doc),
        Ok(doc) => Err(version_error(Some(&serde_json::Value::from(
            doc.storygraph,
        )))),
        // A wrong version explains every later error, so it is reported first.
        Err(err) => Err(check_version(text).err().unwrap_or(err)),
    }
}

/// Splits a `.jsonl` file into documents, one per non-blank line. Line
/// numbers are 1-based; a diagnostic's line is the file's line.
#[cfg(test)]
pub fn parse_lines(text: &[u8]) -> impl Iterator<Item = ParsedUnit> + '_ {
    Lines::new(text).map_while(Result::ok)
}

/// Reads a `.jsonl` file a line at a time and parses each non-blank line
/// as a document: memory is bounded by the longest line, not the file.
pub struct Lines<R> {
    reader: R,
    buffer: Vec<u8>,
    line: usize,
    offset: u64,
}

impl<R: std::io::BufRead> Lines<R> {
    pub fn new(reader: R) -> Lines<R> {
        Lines {
            reader,
            buffer: Vec::new(),
            line: 0,
            offset: 0,
        }
    }
}

impl<R: std::io::BufRead> Iterator for Lines<R> {
    type Item = std::io::Result<ParsedUnit>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buffer.clear();
            match self.reader.read_until(b'\n', &mut self.buffer) {
                Ok(0) => return None,
                Ok(n) => self.offset += n as u64,
                Err(e) => return Some(Err(e)),
            }
            self.line += 1;
            if self.buffer.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let line_number = self.line;
            let document = parse_document(&self.buffer).map_err(|mut d| {
                if d.line.is_none() {
                    d.column = None;
                }
                d.line = Some(line_number);
                d
            });
            return Some(Ok(ParsedUnit {
                line: line_number,
                end: self.offset,
                document,
                source: self.buffer.clone(),
            }));
        }
    }
}

/// Splits a stream of concatenated JSON documents (stdin) into documents.
/// Stops at the first malformed one: past a syntax error the stream has no
/// reliable document boundaries.
#[cfg(test)]
pub fn parse_stream(text: &[u8]) -> Vec<ParsedUnit> {
    Stream::new(text).map_while(Result::ok).collect()
}

/// Reads a stream of concatenated JSON documents (stdin) a document at a
/// time: memory is bounded by the largest document (and the read buffer),
/// and the work grows with the stream, not its square (each byte is read
/// once and its line counted once; a document that is not complete yet is
/// tried again only after the buffer has doubled).
pub struct Stream<R> {
    reader: R,
    buffer: Vec<u8>,
    /// Where the unread part of `buffer` starts.
    at: usize,
    /// The line `at` is on (1-based), and its byte offset in the stream.
    line: usize,
    offset: u64,
    eof: bool,
    done: bool,
}

/// The least a read asks for.
const STREAM_CHUNK: usize = 1 << 20;

impl<R: std::io::Read> Stream<R> {
    pub fn new(reader: R) -> Stream<R> {
        Stream {
            reader,
            buffer: Vec::new(),
            at: 0,
            line: 1,
            offset: 0,
            eof: false,
            done: false,
        }
    }

    /// Moves past `n` bytes of the buffer, counting their lines.
    fn consume(&mut self, n: usize) {
        let taken = &self.buffer[self.at..self.at + n];
        self.line += taken.iter().filter(|&&b| b == b'\n').count();
        self.offset += n as u64;
        self.at += n;
    }

    /// Reads at least as much again as the buffer holds unread (so a long
    /// document is re-scanned a logarithmic number of times); false at the
    /// end of the stream.
    fn fill(&mut self) -> std::io::Result<bool> {
        if self.at > 0 {
            self.buffer.drain(..self.at);
            self.at = 0;
        }
        let want = STREAM_CHUNK.max(self.buffer.len());
        let start = self.buffer.len();
        self.buffer.resize(start + want, 0);
        let mut filled = start;
        while filled < self.buffer.len() {
            match self.reader.read(&mut self.buffer[filled..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buffer.truncate(filled);
                    return Err(e);
                }
            }
        }
        self.buffer.truncate(filled);
        Ok(filled > start)
    }
}

impl<R: std::io::Read> Iterator for Stream<R> {
    type Item = std::io::Result<ParsedUnit>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            let blank = self.buffer[self.at..]
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .unwrap_or(self.buffer.len() - self.at);
            self.consume(blank);
            if self.at == self.buffer.len() {
                match self.fill() {
                    Ok(true) => continue,
                    Ok(false) => return None,
                    Err(e) => return Some(Err(e)),
                }
            }
            let rest = &self.buffer[self.at..];
            let mut values =
                serde_json::Deserializer::from_slice(rest).into_iter::<serde::de::IgnoredAny>();
            match values.next() {
                Some(Ok(_)) => {
                    let end = values.byte_offset();
                    let line = self.line;
                    let document = parse_document(&rest[..end]).map_err(|mut d| {
                        d.line = Some(d.line.map_or(line, |l| l + line - 1));
                        d
                    });
                    let source = rest[..end].to_vec();
                    self.consume(end);
                    return Some(Ok(ParsedUnit {
                        line,
                        end: self.offset,
                        document,
                        source,
                    }));
                }
                Some(Err(err)) if err.is_eof() && !self.eof => match self.fill() {
                    Ok(_) => continue,
                    Err(e) => return Some(Err(e)),
                },
                Some(Err(err)) => {
                    let mut diagnostic = syntax(&err, "a JSON document");
                    diagnostic.line = Some(err.line() + self.line - 1);
                    self.done = true;
                    let line = self.line;
                    // The rest of the stream is not read: past a syntax error
                    // there are no reliable document boundaries.
                    return Some(Ok(ParsedUnit {
                        line,
                        end: self.offset + (self.buffer.len() - self.at) as u64,
                        document: Err(diagnostic),
                        source: Vec::new(),
                    }));
                }
                None => return None,
            }
        }
    }
}

/// Reads just the version, so a document of another version gets one clear
/// message instead of a list of unknown keys.
fn check_version(text: &[u8]) -> Result<(), Diagnostic> {
    #[derive(Deserialize)]
    struct Probe {
        storygraph: Option<serde_json::Value>,
    }
    match serde_json::from_slice::<Probe>(text) {
        Ok(Probe { storygraph }) => match storygraph {
            Some(v) if v.as_u64() == Some(FORMAT_VERSION) => Ok(()),
            other => Err(version_error(other.as_ref())),
        },
        // Not an object at all: the full parse's error says it better.
        Err(_) => Ok(()),
    }
}

fn version_error(found: Option<&serde_json::Value>) -> Diagnostic {
    let found = match found {
        Some(v) => format!("format version {v}"),
        None => "no \"storygraph\" key".to_owned(),
    };
    Diagnostic::at_path(
        "storygraph",
        format!("{found}; this storygraph reads format version {FORMAT_VERSION}, so the document must start {{\"storygraph\": {FORMAT_VERSION}, ...}}"),
    )
}

fn syntax(err: &serde_json::Error, expected: &str) -> Diagnostic {
    let message = strip_position(&err.to_string());
    let message = if message.starts_with("trailing characters") {
        format!("trailing characters after the document; expected {expected}")
    } else if message.contains("expected") {
        message
    } else if message.starts_with("trailing comma") {
        "a trailing comma; expected another value or key after ',', or remove the comma".to_owned()
    } else if message.starts_with("EOF while parsing") {
        format!(
            "{message}; expected the rest of the document (a closing bracket or quote is missing)"
        )
    } else {
        format!("{message}; expected {expected}")
    };
    Diagnostic {
        line: Some(err.line()),
        column: Some(err.column()),
        path: None,
        message,
        hint: None,
    }
}

fn diagnose(err: serde_path_to_error::Error<serde_json::Error>) -> Diagnostic {
    let path = err.path().to_string();
    let inner = err.into_inner();
    if inner.is_syntax() || inner.is_eof() || inner.is_io() {
        return syntax(&inner, "a JSON document");
    }
    let message = strip_position(&inner.to_string());
    let mut diagnostic = Diagnostic {
        line: Some(inner.line()).filter(|l| *l > 0),
        column: Some(inner.column()).filter(|c| *c > 0),
        path: Some(path.clone()).filter(|p| p != "."),
        message: message.clone(),
        hint: None,
    };
    if let Some(unknown) = between_backticks(&message, "unknown field `") {
        let keys = keys_for_path(&path);
        diagnostic.message = format!(
            "unknown key \"{unknown}\"; expected one of {}",
            keys.iter()
                .map(|k| format!("\"{k}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        diagnostic.hint = suggest::did_you_mean(unknown, keys.iter().copied());
    } else if let Some(missing) = between_backticks(&message, "missing field `") {
        diagnostic.message = format!("the required key \"{missing}\" is missing");
    } else if message.starts_with("invalid type") {
        diagnostic.message = message.replacen("invalid type: ", "found ", 1);
    }
    diagnostic
}

/// The keys allowed in the object at `path` (whose last segment is the
/// unknown key itself).
fn keys_for_path(path: &str) -> &'static [&'static str] {
    let parent = path.rsplit_once('.').map_or("", |(p, _)| p);
    let last = parent.rsplit('.').next().unwrap_or("");
    if parent.is_empty() {
        DOCUMENT_KEYS
    } else if last.starts_with("facts[") {
        FACT_KEYS
    } else if last.starts_with("entities[") {
        ENTITY_KEYS
    } else if last.starts_with("articles[") {
        ARTICLE_KEYS
    } else if last.starts_with("predicates[") {
        PREDICATE_KEYS
    } else {
        &["value", "lang", "datatype"]
    }
}

fn between_backticks<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split('`').next()
}

/// serde_json appends " at line L column C"; we print positions ourselves.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Diagnostic {
        parse_document(text.as_bytes()).unwrap_err()
    }

    #[test]
    fn malformed_json_gives_line_and_column() {
        let d = err("{\n  \"storygraph\": 1,\n  \"articles\": [\n}");
        assert_eq!(d.line, Some(4));
        assert!(d.column.is_some());
        assert!(d.path.is_none());
    }

    #[test]
    fn unknown_key_gives_path_and_hint() {
        let d = err(
            r#"{"storygraph": 1, "articles": [{"id": "a", "title": "t", "language": "en",
            "published": "2025-01-01", "facts": [{"subject": "x", "predicate": "warned",
            "object": "y", "sorce": "z"}]}]}"#,
        );
        assert_eq!(d.path.as_deref(), Some("articles[0].facts[0].sorce"));
        assert!(d.message.contains("unknown key \"sorce\""), "{}", d.message);
        assert_eq!(d.hint.as_deref(), Some("did you mean \"source\"?"));
    }

    #[test]
    fn wrong_version_is_reported_before_anything_else() {
        let d = err(r#"{"storygraph": 2, "stuff": []}"#);
        assert!(d.message.contains("format version 2"), "{}", d.message);
        assert!(d.message.contains("reads format version 1"));
        let d = err(r#"{"articles": []}"#);
        assert!(d.message.contains("no \"storygraph\" key"), "{}", d.message);
    }

    #[test]
    fn missing_key_names_it() {
        let d = err(
            r#"{"storygraph": 1, "articles": [{"id": "a", "language": "en",
            "published": "2025-01-01", "facts": []}]}"#,
        );
        assert_eq!(d.path.as_deref(), Some("articles[0]"));
        assert!(d.message.contains("\"title\" is missing"), "{}", d.message);
    }

    #[test]
    fn lines_and_streams_number_their_units() {
        let good = r#"{"storygraph": 1, "articles": [{"id": "a", "title": "t", "language": "en", "published": "2025-01-01", "facts": []}]}"#;
        let text = format!("{good}\n\n{{\"storygraph\": 1,\n{good}\n");
        let units: Vec<_> = parse_lines(text.as_bytes()).collect();
        assert_eq!(units.len(), 3);
        assert!(units[0].document.is_ok());
        assert_eq!(units[1].document.as_ref().unwrap_err().line, Some(3));
        assert!(units[2].document.is_ok());
        assert_eq!(units[2].line, 4);

        let stream = format!("{good}\n  {good}");
        let units = parse_stream(stream.as_bytes());
        assert_eq!(units.len(), 2);
        assert_eq!(units[1].line, 2);
    }

    /// A reader that hands out at most `step` bytes per read, as a pipe does.
    struct Trickle<'a> {
        text: &'a [u8],
        step: usize,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(out.len()).min(self.text.len());
            out[..n].copy_from_slice(&self.text[..n]);
            self.text = &self.text[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_stream_read_in_pieces_gives_the_units_of_the_whole() {
        let doc = |id: usize| {
            format!(
                "{{\"storygraph\": 1,\n \"articles\": [{{\"id\": \"a{id}\", \"title\": \"{}\", \"language\": \"en\", \"published\": \"2025-10-19\", \"facts\": []}}]}}",
                "x".repeat(id * 37 % 3000)
            )
        };
        // Pretty-printed documents of many sizes, one broken at the end.
        let mut text: String = (0..400).map(|i| doc(i) + "\n\n").collect();
        text.push_str("{\"storygraph\": 1, \"articles\": [");
        let whole = parse_stream(text.as_bytes());
        for step in [1, 7, 4096, 1 << 22] {
            let pieces: Vec<ParsedUnit> = Stream::new(Trickle {
                text: text.as_bytes(),
                step,
            })
            .map_while(Result::ok)
            .collect();
            assert_eq!(pieces.len(), 401, "step {step}");
            for (a, b) in whole.iter().zip(&pieces) {
                assert_eq!((a.line, a.end, &a.source), (b.line, b.end, &b.source));
                assert_eq!(a.document.is_ok(), b.document.is_ok());
            }
        }
        assert_eq!(whole[1].line, 4);
        let last = whole.last().unwrap();
        assert_eq!(last.line, 1201);
        assert!(last.document.is_err());
    }
}
