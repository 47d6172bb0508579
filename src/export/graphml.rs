//! GraphML with typed attributes, as Gephi, yEd, Cytoscape and networkx
//! read it: node label, type, kind, id; edge predicate, label, certainty,
//! articles, time, evidence, statement count, sources and whom they cite,
//! whether someone denies it (and who), and `start`/`end` dates for
//! Gephi's timeline.

use std::io::{self, Write};

use std::collections::BTreeSet;

use super::{NodeKind, Subgraph};
use crate::graph::{EntityIndex, Projection};

/// Text escaped for XML content and attribute values.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // As references: a parser keeps them, where it would turn them
            // into spaces in an attribute and `\r` into `\n` in text.
            '\t' | '\n' | '\r' => out.push_str(&format!("&#{};", c as u32)),
            // What XML 1.0 does not allow (other controls, U+FFFE, U+FFFF)
            // and what would reorder a drawing (bidi overrides), shown as
            // text instead (`\u{FFFE}`), so the file stays well-formed.
            c if crate::normalize::is_unsafe_for_display(c)
                || matches!(c, '\u{FFFE}' | '\u{FFFF}') =>
            {
                out.push_str(&format!("\\u{{{:X}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

const KEYS: &[(&str, &str, &str, &str)] = &[
    ("label", "node", "label", "string"),
    ("type", "node", "type", "string"),
    ("kind", "node", "kind", "string"),
    ("iri", "node", "iri", "string"),
    ("predicate", "edge", "predicate", "string"),
    ("elabel", "edge", "label", "string"),
    ("certainty", "edge", "certainty", "string"),
    ("articles", "edge", "articles", "string"),
    ("time", "edge", "time", "string"),
    ("evidence", "edge", "evidence", "string"),
    ("statements", "edge", "statements", "int"),
    ("highlighted", "edge", "highlighted", "boolean"),
    ("source", "edge", "source", "string"),
    ("via", "edge", "via", "string"),
    ("negated", "edge", "negated", "boolean"),
    ("denied_by", "edge", "denied_by", "string"),
    ("start", "edge", "start", "string"),
    ("end", "edge", "end", "string"),
];

pub fn write_graphml(
    out: &mut dyn Write,
    projection: &Projection,
    subgraph: &Subgraph,
    lang: &str,
) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (id, domain, name, kind) in KEYS {
        writeln!(
            out,
            r#"  <key id="{id}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>"#
        )?;
    }
    writeln!(out, r#"  <graph id="storygraph" edgedefault="directed">"#)?;
    for &entity in &subgraph.nodes {
        let info = projection.entities.get(entity);
        writeln!(out, r#"    <node id="{}">"#, xml(info.id()))?;
        data(out, "label", info.label_in(lang))?;
        data(out, "type", &info.class_name())?;
        data(out, "kind", &NodeKind::of(projection, entity).to_string())?;
        data(out, "iri", &info.iri)?;
        writeln!(out, "    </node>")?;
    }
    for (i, edge) in subgraph.edges.iter().enumerate() {
        let (from, to) = (
            projection.entities.get(edge.from),
            projection.entities.get(edge.to),
        );
        let predicate = &projection.predicates[edge.predicate];
        writeln!(
            out,
            r#"    <edge id="e{i}" source="{}" target="{}">"#,
            xml(from.id()),
            xml(to.id())
        )?;
        data(out, "predicate", &predicate.iri)?;
        data(out, "elabel", predicate.label_in(lang))?;
        data(out, "certainty", edge.certainty.as_str())?;
        data(out, "articles", &edge.articles(projection).join(" "))?;
        if let Some(time) = edge.time(projection) {
            data(out, "time", &time)?;
        }
        if let Some(evidence) = edge.evidence(projection) {
            data(out, "evidence", evidence)?;
        }
        data(out, "statements", &edge.statements.len().to_string())?;
        data(
            out,
            "highlighted",
            if edge.highlighted { "true" } else { "false" },
        )?;
        let statements = || edge.statements.iter().map(|&s| &projection.statements[s]);
        let names = |entities: &mut dyn Iterator<Item = EntityIndex>| {
            let names: BTreeSet<&str> = entities
                .map(|e| projection.entities.get(e).label.as_str())
                .collect();
            names.into_iter().collect::<Vec<_>>().join("; ")
        };
        data(
            out,
            "source",
            &names(&mut statements().filter_map(|s| s.source)),
        )?;
        data(
            out,
            "via",
            &names(&mut statements().flat_map(|s| s.via.iter().copied())),
        )?;
        data(
            out,
            "negated",
            if edge.denials.is_empty() {
                "false"
            } else {
                "true"
            },
        )?;
        if !edge.denials.is_empty() {
            data(out, "denied_by", &edge.denial_texts(projection).join("; "))?;
        }
        // The span of the statements' times, as dates Gephi's timeline reads.
        if let Some(start) = statements().filter_map(|s| s.earliest).min() {
            data(out, "start", &start.to_string())?;
        }
        if let Some(end) = statements().filter_map(|s| s.latest).max() {
            data(out, "end", &end.to_string())?;
        }
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")
}

fn data(out: &mut dyn Write, key: &str, value: &str) -> io::Result<()> {
    writeln!(out, r#"      <data key="{key}">{}</data>"#, xml(value))
}
