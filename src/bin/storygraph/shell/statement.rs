//! Where a statement ends, and what it is. One rule for the prompt and for
//! scripts: a dot-command ends at its line's end; SPARQL ends at a line
//! ending with `;` or at an empty line (never merely because it parses: a
//! query typed over several lines would otherwise run after its first);
//! and a line starting with `.` always starts a new statement, so a SPARQL
//! line missing its `;` never swallows the dot-command after it. The
//! prompt loop and the script reader both call [`completeness`].

/// Whether the text typed so far is a whole statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completeness {
    Complete,
    /// SPARQL without its closing `;` or empty line yet.
    Incomplete,
}

/// One statement, ready to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Statement {
    /// A dot-command line, without the dot.
    Dot(String),
    /// SPARQL text, without the closing `;`.
    Sparql(String),
    /// Nothing to run (blank, or only a comment).
    Empty,
}

/// Decides whether `text` (the lines typed so far, joined by newlines) is
/// a whole statement.
pub fn completeness(text: &str) -> Completeness {
    let trimmed = text.trim();
    let ends_with_empty_line = text
        .rsplit_once('\n')
        .is_some_and(|(_, last)| last.trim().is_empty());
    if trimmed.is_empty()
        || trimmed.starts_with('.')
        || trimmed.ends_with(';')
        || is_comment(trimmed)
        || ends_with_empty_line
    {
        Completeness::Complete
    } else {
        Completeness::Incomplete
    }
}

fn is_comment(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    })
}

/// What a complete piece of input is.
pub fn classify(text: &str) -> Statement {
    let trimmed = text.trim();
    if trimmed.is_empty() || is_comment(trimmed) {
        return Statement::Empty;
    }
    if let Some(dot) = trimmed.strip_prefix('.') {
        return Statement::Dot(dot.trim_end_matches(';').trim_end().to_owned());
    }
    let sparql = trimmed.trim_end_matches(';').trim_end();
    if sparql.is_empty() {
        Statement::Empty
    } else {
        Statement::Sparql(sparql.to_owned())
    }
}

/// Cuts a script into statements, line by line, with the same rule as
/// the prompt.
#[derive(Debug, Default)]
pub struct Splitter {
    buffer: String,
    /// The 1-based line where the buffered statement starts.
    start_line: usize,
    line: usize,
}

impl Splitter {
    /// Feeds one line; returns the statements it finishes (a dot-command
    /// line finishes the SPARQL before it, then itself), each with its
    /// first line.
    pub fn push_line(&mut self, line: &str) -> Vec<(usize, String)> {
        let mut finished = Vec::new();
        if line.trim_start().starts_with('.') && !self.buffer.trim().is_empty() {
            finished.push((self.start_line, std::mem::take(&mut self.buffer)));
        }
        self.line += 1;
        if self.buffer.trim().is_empty() {
            self.buffer.clear();
            self.start_line = self.line;
        }
        if !self.buffer.is_empty() {
            self.buffer.push('\n');
        }
        self.buffer.push_str(line);
        if completeness(&self.buffer) == Completeness::Complete {
            finished.push((self.start_line, std::mem::take(&mut self.buffer)));
        }
        finished
    }

    /// The unfinished statement at the end of a chunk of input (a script,
    /// or one `-c`), if any; line numbers go on.
    pub fn end_chunk(&mut self) -> Option<(usize, String)> {
        let buffer = std::mem::take(&mut self.buffer);
        (!buffer.trim().is_empty()).then_some((self.start_line, buffer))
    }
}

/// The PREFIX declarations of a query, to remember for the session.
pub fn declared_prefixes(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = find_keyword(rest, "PREFIX") {
        rest = &rest[at + "PREFIX".len()..];
        let Some(colon) = rest.find(':') else { break };
        let prefix = rest[..colon].trim();
        let after = rest[colon + 1..].trim_start();
        let (Some(open), Some(close)) = (after.strip_prefix('<'), after.find('>')) else {
            continue;
        };
        let iri = &open[..close - 1];
        let valid = prefix
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if valid {
            found.push((prefix.to_owned(), iri.to_owned()));
        }
        rest = &after[close + 1..];
    }
    found
}

/// The byte offset of `keyword` as a whole word, in any case.
fn find_keyword(text: &str, keyword: &str) -> Option<usize> {
    let upper = text.to_ascii_uppercase();
    let mut from = 0;
    while let Some(i) = upper[from..].find(keyword) {
        let at = from + i;
        let before = upper[..at].chars().next_back();
        let after = upper[at + keyword.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_');
        if boundary(before) && boundary(after) {
            return Some(at);
        }
        from = at + keyword.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparql_stays_open_until_a_semicolon_or_an_empty_line() {
        assert_eq!(completeness("SELECT ?s"), Completeness::Incomplete);
        // A whole query on one line still waits: the next line may add
        // ORDER BY or LIMIT.
        assert_eq!(
            completeness("SELECT ?s WHERE { ?s ?p ?o }"),
            Completeness::Incomplete
        );
        assert_eq!(
            completeness("SELECT ?s WHERE { ?s ?p ?o }\nORDER BY ?s LIMIT 3;"),
            Completeness::Complete
        );
        assert_eq!(
            completeness("SELECT ?s WHERE {\n  ?s ?p ?o }\n"),
            Completeness::Complete,
            "an empty line ends it"
        );
        assert_eq!(
            completeness("SELECT ?s WHERE {\n  ?s ?p ?o }\n   "),
            Completeness::Complete
        );
        // A broken query is closed by `;` so that its error can be shown.
        assert_eq!(completeness("SELEKT nonsense;"), Completeness::Complete);
        assert_eq!(completeness("  .path a b"), Completeness::Complete);
        assert_eq!(completeness(""), Completeness::Complete);
        assert_eq!(completeness("# a comment"), Completeness::Complete);
    }

    #[test]
    fn classify_strips_dots_and_semicolons() {
        assert_eq!(
            classify(" .path putin indonesia ; "),
            Statement::Dot("path putin indonesia".into())
        );
        assert_eq!(
            classify("ASK { ?s ?p ?o };"),
            Statement::Sparql("ASK { ?s ?p ?o }".into())
        );
        assert_eq!(classify(" ; "), Statement::Empty);
        assert_eq!(classify("# only\n# comments"), Statement::Empty);
    }

    #[test]
    fn splitter_cuts_scripts_into_statements() {
        let script = ".stats\nSELECT ?s\nWHERE { ?s ?p ?o }\n\n# note\nSELEKT broken\nstill broken;\nSELECT ?lost\n.quit\nASK {";
        let mut splitter = Splitter::default();
        let mut found = Vec::new();
        for line in script.lines() {
            found.extend(splitter.push_line(line));
        }
        found.extend(splitter.end_chunk());
        let starts: Vec<usize> = found.iter().map(|(l, _)| *l).collect();
        let kinds: Vec<Statement> = found.iter().map(|(_, t)| classify(t)).collect();
        assert_eq!(starts, vec![1, 2, 5, 6, 8, 9, 10]);
        assert_eq!(kinds[0], Statement::Dot("stats".into()));
        assert_eq!(
            kinds[1],
            Statement::Sparql("SELECT ?s\nWHERE { ?s ?p ?o }".into())
        );
        assert_eq!(kinds[2], Statement::Empty);
        assert_eq!(
            kinds[3],
            Statement::Sparql("SELEKT broken\nstill broken".into())
        );
        // A dot line ends the SPARQL before it: .quit is not swallowed.
        assert_eq!(kinds[4], Statement::Sparql("SELECT ?lost".into()));
        assert_eq!(kinds[5], Statement::Dot("quit".into()));
        assert_eq!(kinds[6], Statement::Sparql("ASK {".into()));
    }

    #[test]
    fn prefix_declarations_are_found() {
        let text = "prefix ex: <http://example.org/>\nPREFIX  : <http://x/>\nSELECT * WHERE { ?s ex:p ?o }";
        assert_eq!(
            declared_prefixes(text),
            vec![
                ("ex".to_owned(), "http://example.org/".to_owned()),
                (String::new(), "http://x/".to_owned())
            ]
        );
        assert!(declared_prefixes("SELECT ?prefix WHERE { ?s ?p ?o }").is_empty());
    }
}
