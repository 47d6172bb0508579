//! Mermaid flowcharts, which GitHub and most Markdown tools render. Node
//! ids are generated (`n0`, `n1`…); labels are quoted with Mermaid's
//! entity codes for the characters that would end them.

use std::io::{self, Write};

use super::{NodeKind, Subgraph};
use crate::graph::{EntityIndex, Projection};
use crate::model::Certainty;

/// A label inside `"…"`: quotes and the characters Mermaid reads as
/// markup become entity codes (`#quot;`, `#lt;` …).
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' => out.push(' '),
            // As text (`\u{202E}`): an entity code would be drawn as the
            // character, and a bidi override would reorder the label.
            c if crate::normalize::is_unsafe_for_display(c) => {
                out.push_str(&format!("\\u{{{:X}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn class_name(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Person => "person",
        NodeKind::Organisation => "organisation",
        NodeKind::NewsOrganisation => "news",
        NodeKind::Place => "place",
        NodeKind::Event => "event",
        NodeKind::Other => "other",
    }
}

pub fn write_mermaid(
    out: &mut dyn Write,
    projection: &Projection,
    subgraph: &Subgraph,
    lang: &str,
) -> io::Result<()> {
    writeln!(out, "flowchart LR")?;
    let id = |entity: EntityIndex| {
        let i = subgraph.nodes.binary_search(&entity).unwrap_or(0);
        format!("n{i}")
    };
    for &entity in &subgraph.nodes {
        let info = projection.entities.get(entity);
        let shape = match NodeKind::of(projection, entity) {
            NodeKind::Event => ("{{", "}}"),
            NodeKind::Place => ("[/", "/]"),
            NodeKind::Organisation | NodeKind::NewsOrganisation => ("[", "]"),
            NodeKind::Person | NodeKind::Other => ("(", ")"),
        };
        writeln!(
            out,
            "    {}{}{}{}:::{}",
            id(entity),
            shape.0,
            label(info.label_in(lang)),
            shape.1,
            class_name(NodeKind::of(projection, entity))
        )?;
    }
    for edge in &subgraph.edges {
        let predicate = &projection.predicates[edge.predicate]
            .label_in(lang)
            .to_owned();
        let arrow = match (edge.highlighted, edge.certainty) {
            (true, _) => "==>",
            (false, Certainty::Confirmed) => "-->",
            (false, _) => "-.->",
        };
        let mut text = match edge.certainty {
            Certainty::Confirmed => predicate.clone(),
            other => format!("{predicate} ({other})"),
        };
        if !edge.denials.is_empty() {
            text.push_str(" — denied");
        }
        writeln!(
            out,
            "    {} {arrow}|{}| {}",
            id(edge.from),
            label(&text),
            id(edge.to)
        )?;
    }
    for kind in NodeKind::ALL {
        writeln!(
            out,
            "    classDef {} fill:{},stroke:#495057",
            class_name(kind),
            kind.fill()
        )?;
    }
    Ok(())
}
