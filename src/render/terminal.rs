//! Text that reaches a terminal shows what it holds and nothing more: a
//! control character (an escape sequence that clears the screen, renames
//! the window or writes the clipboard; a line break that forges a line) or
//! a bidi override that reorders what follows is shown escaped (`\e`,
//! `\n`, `\u{202E}`), wherever it came from (a JSON name, a Turtle label,
//! a SPARQL update). Arabic and every other script are left as they are;
//! JSON and the RDF formats keep the original text.

use std::borrow::Cow;

use crate::normalize::is_unsafe_for_display as is_unsafe;

/// `text` with every unsafe character escaped; borrowed when there is none.
pub fn shown(text: &str) -> Cow<'_, str> {
    if !crate::normalize::has_unsafe_for_display(text) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            '\u{1b}' => escaped.push_str("\\e"),
            c if is_unsafe(c) => escaped.push_str(&format!("\\u{{{:X}}}", c as u32)),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// [`shown`] for text of several lines (an error with a caret under it):
/// its own line breaks kept, everything else escaped.
pub fn shown_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(shown).collect();
    Cow::Owned(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_reach_the_terminal_as_text() {
        assert_eq!(shown("Vladimir Putin"), "Vladimir Putin");
        assert!(matches!(shown("فلاديمير بوتين"), Cow::Borrowed(_)));
        assert_eq!(shown("a\u{1b}[2Jb"), "a\\e[2Jb");
        assert_eq!(shown("\u{1b}]0;TITLE\u{7}"), "\\e]0;TITLE\\u{7}");
        assert_eq!(shown("\u{1b}]52;c;aGk=\u{7}"), "\\e]52;c;aGk=\\u{7}");
        assert_eq!(
            shown("Putin\nVladimir Putin —warned→ Trump"),
            "Putin\\nVladimir Putin —warned→ Trump"
        );
        assert_eq!(shown("abc\u{202E}fed"), "abc\\u{202E}fed");
        assert_eq!(shown("x\u{2067}y\u{9b}z"), "x\\u{2067}y\\u{9B}z");
        // Marks are not overrides: Arabic with an RLM is left alone.
        assert_eq!(shown("بوتين\u{200F}"), "بوتين\u{200F}");
        assert_eq!(shown_lines("error\n  ^\u{1b}[31m"), "error\n  ^\\e[31m");
    }
}
