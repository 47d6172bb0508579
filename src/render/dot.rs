//! What every Graphviz DOT file of ours shares: string quoting, and the
//! line style that shows an edge's certainty (solid confirmed, dashed
//! reported, dotted claimed or speculated).

use crate::model::Certainty;

/// A DOT string literal: quotes and backslashes escaped, newlines as `\n`,
/// other control characters (a NUL ends Graphviz's input) and bidi
/// overrides shown as text (`\u{0}`).
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_quoted(&mut out, text);
    out
}

/// [`quote`] appended to `out`: an export writes a few quoted strings for
/// each of a hundred thousand edges, most with nothing to escape.
pub fn push_quoted(out: &mut String, text: &str) {
    let plain = !crate::normalize::has_unsafe_for_display(text)
        && !text.bytes().any(|b| b == b'"' || b == b'\\');
    if plain {
        out.push('"');
        out.push_str(text);
        out.push('"');
        return;
    }
    let text = super::terminal::shown_lines(text);
    out.reserve(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The colour of an edge whose triple someone denies, in every drawing.
pub const DENIED_COLOUR: &str = "#dc3545";

/// The line style of an edge whose best statement has this certainty.
pub fn edge_style(certainty: Certainty) -> &'static str {
    match certainty {
        Certainty::Confirmed => "solid",
        Certainty::Reported => "dashed",
        Certainty::Claimed | Certainty::Speculated => "dotted",
    }
}
