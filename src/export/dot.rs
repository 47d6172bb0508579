//! Graphviz DOT: nodes shaped and coloured by kind, edges labelled with
//! the predicate and styled by certainty (solid confirmed, dashed reported,
//! dotted claimed or speculated), tooltips with articles and evidence, a
//! legend cluster. Valid input for `dot -Tsvg`.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{truncate, NodeKind, Subgraph};
use crate::graph::Projection;
use crate::render::dot::{edge_style, push_quoted, quote, DENIED_COLOUR};

fn node_style(kind: NodeKind) -> (&'static str, &'static str) {
    let shape = match kind {
        NodeKind::Person | NodeKind::Other => "ellipse",
        NodeKind::Organisation => "box",
        NodeKind::NewsOrganisation => "note",
        NodeKind::Place => "house",
        NodeKind::Event => "diamond",
    };
    (shape, kind.fill())
}

pub fn write_dot(
    out: &mut dyn Write,
    projection: &Projection,
    subgraph: &Subgraph,
    lang: &str,
) -> io::Result<()> {
    writeln!(out, "digraph storygraph {{")?;
    writeln!(out, "  charset=\"UTF-8\";")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(
        out,
        "  node [style=filled, fontname=\"Noto Sans, DejaVu Sans, sans-serif\", fontsize=11];"
    )?;
    writeln!(
        out,
        "  edge [fontname=\"Noto Sans, DejaVu Sans, sans-serif\", fontsize=9];"
    )?;
    for &entity in &subgraph.nodes {
        let info = projection.entities.get(entity);
        let kind = NodeKind::of(projection, entity);
        let (shape, colour) = node_style(kind);
        writeln!(
            out,
            "  {} [label={}, shape={shape}, fillcolor={}, tooltip={}];",
            quote(info.id()),
            quote(info.label_in(lang)),
            quote(colour),
            quote(&format!(
                "{} ({}, {})",
                info.label,
                info.class_name(),
                info.id()
            )),
        )?;
    }
    // One line buffer for every edge: a neighborhood at a million facts
    // has a hundred thousand of them.
    let (mut line, mut tooltip) = (String::new(), String::new());
    for edge in &subgraph.edges {
        let (from, to) = (
            projection.entities.get(edge.from),
            projection.entities.get(edge.to),
        );
        let predicate = projection.predicates[edge.predicate].label_in(lang);
        tooltip.clear();
        let _ = write!(tooltip, "{predicate} ({}; ", edge.certainty);
        for (i, article) in edge.articles(projection).into_iter().enumerate() {
            if i > 0 {
                tooltip.push_str(", ");
            }
            tooltip.push_str(article);
        }
        tooltip.push(')');
        if let Some(evidence) = edge.evidence(projection) {
            let _ = write!(tooltip, ": “{}”", truncate(evidence, 200));
        }
        for denial in edge.denial_texts(projection) {
            let _ = write!(tooltip, "; {denial}");
        }
        line.clear();
        line.push_str("  ");
        push_quoted(&mut line, from.id());
        line.push_str(" -> ");
        push_quoted(&mut line, to.id());
        line.push_str(" [label=");
        if edge.denials.is_empty() {
            push_quoted(&mut line, predicate);
        } else {
            push_quoted(&mut line, &format!("{predicate} (denied)"));
        }
        let _ = write!(line, ", style={}, tooltip=", edge_style(edge.certainty));
        push_quoted(&mut line, &tooltip);
        if edge.highlighted {
            line.push_str(", color=\"#d63384\", penwidth=2.5");
        } else if !edge.denials.is_empty() {
            line.push_str(", color=");
            push_quoted(&mut line, DENIED_COLOUR);
            line.push_str(", fontcolor=");
            push_quoted(&mut line, DENIED_COLOUR);
        }
        line.push_str("];\n");
        out.write_all(line.as_bytes())?;
    }
    write_legend(out, subgraph, projection)?;
    writeln!(out, "}}")
}

/// A legend: the kinds of node drawn, and the line styles of certainty.
fn write_legend(
    out: &mut dyn Write,
    subgraph: &Subgraph,
    projection: &Projection,
) -> io::Result<()> {
    writeln!(out, "  subgraph cluster_legend {{")?;
    writeln!(out, "    label=\"legend\"; fontsize=10; color=\"#adb5bd\";")?;
    for kind in NodeKind::ALL {
        if subgraph
            .nodes
            .iter()
            .any(|&e| NodeKind::of(projection, e) == kind)
        {
            let (shape, colour) = node_style(kind);
            writeln!(
                out,
                "    {} [label={}, shape={shape}, fillcolor={}];",
                quote(&format!("legend: {kind}")),
                quote(&kind.to_string()),
                quote(colour)
            )?;
        }
    }
    for (i, (name, style)) in [
        ("confirmed", "solid"),
        ("reported", "dashed"),
        ("claimed, speculated", "dotted"),
    ]
    .into_iter()
    .enumerate()
    {
        writeln!(
            out,
            "    \"legend: from {i}\" [label=\"\", shape=point, width=0.05]; \"legend: to {i}\" [label={}, shape=plaintext, style=\"\"];",
            quote(name)
        )?;
        writeln!(
            out,
            "    \"legend: from {i}\" -> \"legend: to {i}\" [style={style}, arrowhead=none];"
        )?;
    }
    writeln!(out, "  }}")
}
