//! Search hits as text (each hit's statement and provenance, the passage
//! with its matched words marked) or as one JSON document.

use std::io::{self, Write};

use serde_json::json;

use super::terminal::shown;
use crate::search::{Hit, HitKind};

/// How matched words are marked in text: ANSI bold on a terminal, `**`
/// in a file or a pipe.
#[derive(Clone, Copy, Debug)]
pub struct Marks {
    pub open: &'static str,
    pub close: &'static str,
}

impl Marks {
    pub const PLAIN: Marks = Marks {
        open: "**",
        close: "**",
    };
    pub const TERMINAL: Marks = Marks {
        open: "\x1b[1;4m",
        close: "\x1b[0m",
    };
}

/// The hits as text, best first.
pub fn write_text(out: &mut dyn Write, hits: &[Hit], marks: Marks) -> io::Result<()> {
    for (n, hit) in hits.iter().enumerate() {
        let mut provenance = Vec::new();
        if let Some(certainty) = hit.certainty {
            let denied = if hit.negated { "DENIED; " } else { "" };
            match &hit.source {
                Some(source) => {
                    provenance.push(format!("{denied}{certainty} by {}", shown(source)))
                }
                None => provenance.push(format!("{denied}{certainty}")),
            }
        }
        if hit.kind != HitKind::Text {
            provenance.extend(hit.article.iter().map(|a| shown(a).into_owned()));
        }
        provenance.extend(hit.time.iter().cloned());
        let provenance = if provenance.is_empty() {
            String::new()
        } else {
            format!("  [{}]", provenance.join("; "))
        };
        writeln!(
            out,
            "{}. {}  {}{provenance}",
            n + 1,
            hit.kind.as_str(),
            shown(&hit.title)
        )?;
        writeln!(out, "    {}", marked(hit, marks))?;
    }
    Ok(())
}

/// The fragment on one line, its matches between `marks` (the text shown
/// escaped, the marks as they are).
fn marked(hit: &Hit, marks: Marks) -> String {
    let fragment = hit.fragment.trim();
    let offset = hit.fragment.len() - hit.fragment.trim_start().len();
    let mut text = String::new();
    let mut at = 0;
    for range in &hit.highlights {
        let (start, end) = (
            range.start.saturating_sub(offset),
            range.end.saturating_sub(offset),
        );
        if start < at
            || end > fragment.len()
            || !fragment.is_char_boundary(start)
            || !fragment.is_char_boundary(end)
        {
            continue;
        }
        text.push_str(&one_line(&fragment[at..start]));
        text.push_str(marks.open);
        text.push_str(&one_line(&fragment[start..end]));
        text.push_str(marks.close);
        at = end;
    }
    text.push_str(&one_line(&fragment[at..]));
    text
}

/// `text` with each whitespace run one space, shown escaped.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    shown(&out).into_owned()
}

/// The hits as one JSON document; highlights are `[start, end)` in
/// characters of `fragment`.
pub fn write_json(out: &mut dyn Write, query: &str, hits: &[Hit]) -> io::Result<()> {
    let hits: Vec<serde_json::Value> = hits
        .iter()
        .map(|hit| {
            let chars = |byte: usize| hit.fragment[..byte.min(hit.fragment.len())].chars().count();
            let highlights: Vec<[usize; 2]> = hit
                .highlights
                .iter()
                .filter(|r| {
                    hit.fragment.is_char_boundary(r.start) && hit.fragment.is_char_boundary(r.end)
                })
                .map(|r| [chars(r.start), chars(r.end)])
                .collect();
            json!({
                "kind": hit.kind.as_str(),
                "score": hit.score,
                "iri": hit.iri,
                "article": hit.article,
                "title": hit.title,
                "certainty": hit.certainty.map(|c| c.as_str()),
                "negated": hit.negated,
                "source": hit.source,
                "time": hit.time,
                "fragment": hit.fragment,
                "highlights": highlights,
            })
        })
        .collect();
    let document = json!({"query": query, "hits": hits});
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
