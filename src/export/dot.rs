//! Graphviz DOT: nodes shaped and coloured by kind, edges labelled with
//! the predicate and styled by certainty (solid confirmed, dashed reported,
//! dotted claimed or speculated), tooltips with articles and evidence, a
//! legend cluster. Valid input for `dot -Tsvg`.

use std::io::{self, Write};

use super::{truncate, NodeKind, Subgraph};
use crate::graph::Projection;
use crate::render::dot::{edge_style, quote, DENIED_COLOUR};

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
    for edge in &subgraph.edges {
        let (from, to) = (
            projection.entities.get(edge.from),
            projection.entities.get(edge.to),
        );
        let predicate = &projection.predicates[edge.predicate]
            .label_in(lang)
            .to_owned();
        let mut tooltip = format!(
            "{predicate} ({}; {})",
            edge.certainty,
            edge.articles(projection).join(", ")
        );
        if let Some(evidence) = edge.evidence(projection) {
            tooltip.push_str(&format!(": “{}”", truncate(evidence, 200)));
        }
        for denial in edge.denial_texts(projection) {
            tooltip.push_str(&format!("; {denial}"));
        }
        let emphasis = if edge.highlighted {
            ", color=\"#d63384\", penwidth=2.5".to_owned()
        } else if !edge.denials.is_empty() {
            format!(", color={0}, fontcolor={0}", quote(DENIED_COLOUR))
        } else {
            String::new()
        };
        let label = if edge.denials.is_empty() {
            predicate.clone()
        } else {
            format!("{predicate} (denied)")
        };
        writeln!(
            out,
            "  {} -> {} [label={}, style={}, tooltip={}{emphasis}];",
            quote(from.id()),
            quote(to.id()),
            quote(&label),
            edge_style(edge.certainty),
            quote(&tooltip),
        )?;
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
