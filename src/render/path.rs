//! Writing path results: readable text with the evidence of every hop, the
//! stable JSON document (`--format json`), or Graphviz DOT.

use std::io::{self, Write};

use petgraph::graph::EdgeIndex;
use serde::Serialize;

use super::dot::{edge_style, quote as dot_quote, DENIED_COLOUR};
use super::terminal::shown;
use super::{write_json, PathFormat};
use crate::graph::search::{Path, Search};
use crate::graph::{EntityIndex, Predicate, Projection, Statement};

/// The path result as the JSON format documents it.
#[derive(Debug, Serialize)]
pub struct PathsDocument {
    pub from: String,
    pub to: String,
    pub paths: Vec<PathJson>,
    pub explanation: String,
    /// True when `--all` stopped at its limit.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

#[derive(Debug, Serialize)]
pub struct PathJson {
    pub length: usize,
    pub cost: f64,
    pub hops: Vec<HopJson>,
}

#[derive(Debug, Serialize)]
pub struct HopJson {
    pub from: String,
    pub from_label: String,
    pub predicate: String,
    pub predicate_label: String,
    pub to: String,
    pub to_label: String,
    pub direction: &'static str,
    pub facts: Vec<FactJson>,
}

#[derive(Debug, Serialize)]
pub struct FactJson {
    pub statement: String,
    pub article: String,
    /// A denial of the hop's triple: it never makes the hop walkable.
    pub negated: bool,
    pub certainty: String,
    pub source: Option<String>,
    pub time: Option<String>,
    pub evidence: Option<String>,
}

impl PathsDocument {
    pub fn new(
        projection: &Projection,
        search: &Search<'_>,
        from: EntityIndex,
        to: EntityIndex,
        paths: &[Path],
        explanation: String,
        truncated: bool,
    ) -> PathsDocument {
        let paths = paths
            .iter()
            .map(|path| PathJson {
                length: path.len(),
                cost: path.cost,
                hops: path
                    .hops
                    .iter()
                    .map(|hop| {
                        let edge = &projection.graph[hop.edge];
                        let (a, b) = (projection.entity(hop.from), projection.entity(hop.to));
                        let predicate = &projection.predicates[edge.predicate];
                        HopJson {
                            from: a.iri.clone(),
                            from_label: a.label.clone(),
                            predicate: predicate.iri.clone(),
                            predicate_label: predicate.label.clone(),
                            to: b.iri.clone(),
                            to_label: b.label.clone(),
                            direction: if hop.forward { "forward" } else { "backward" },
                            facts: sorted_facts(search, hop.edge)
                                .into_iter()
                                .chain(sorted_denials(projection, hop.edge))
                                .map(|s| fact_json(projection, s))
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect();
        PathsDocument {
            from: projection.entities.get(from).iri.clone(),
            to: projection.entities.get(to).iri.clone(),
            paths,
            explanation,
            truncated,
        }
    }
}

fn fact_json(projection: &Projection, s: &Statement) -> FactJson {
    FactJson {
        statement: s.iri.clone(),
        article: projection.articles[s.article].id.clone(),
        negated: s.negated,
        certainty: s.certainty.to_string(),
        source: s.source.map(|e| projection.entities.get(e).iri.clone()),
        time: s.time.clone(),
        evidence: s.evidence.clone(),
    }
}

/// The admitted statements of an edge, strongest first.
fn sorted_facts<'a>(search: &Search<'a>, edge: EdgeIndex) -> Vec<&'a Statement> {
    let mut facts: Vec<&Statement> = search.admitted(edge).collect();
    facts.sort_by(|a, b| {
        b.certainty
            .cmp(&a.certainty)
            .then_with(|| a.iri.cmp(&b.iri))
    });
    facts
}

/// How a fact reads from the entity on the left: `—warned→` along its
/// direction; against it `←warned—`, or `—signed by→` when the predicate
/// has an inverse label; `—negotiated with—` when it reads both ways.
pub fn arrow(predicate: &Predicate, forward: bool) -> String {
    let label = shown(&predicate.label);
    match (predicate.symmetric, forward, predicate.inverse_label()) {
        (true, _, _) => format!("—{label}—"),
        (false, true, _) => format!("—{label}→"),
        (false, false, Some(inverse)) => format!("—{}→", shown(inverse)),
        (false, false, None) => format!("←{label}—"),
    }
}

/// The statements denying an edge's triple, in a stable order.
pub fn sorted_denials(projection: &Projection, edge: EdgeIndex) -> Vec<&Statement> {
    let mut denials: Vec<&Statement> = projection
        .denials(edge)
        .iter()
        .map(|&s| &projection.statements[s])
        .collect();
    denials.sort_by(|a, b| a.iri.cmp(&b.iri));
    denials
}

/// `denied by Yelena Vorontsova (sever-inform-2025-11-04, 2025-11-04)`:
/// who denies, in which article, when it was published.
pub fn denial_text(projection: &Projection, s: &Statement) -> String {
    let who = match s.source {
        Some(source) => projection.entities.get(source).label.clone(),
        None => "an unnamed source".to_owned(),
    };
    let via: Vec<&str> = s
        .via
        .iter()
        .map(|&v| projection.entities.get(v).label.as_str())
        .collect();
    let via = if via.is_empty() {
        String::new()
    } else {
        format!(" via {}", via.join(", "))
    };
    let article = &projection.articles[s.article];
    let date = article
        .published
        .map(|d| format!(", {d}"))
        .unwrap_or_default();
    shown(&format!("denied by {who}{via} ({}{date})", article.id)).into_owned()
}

/// One line per denial, `denied by WHO (ARTICLE, DATE): “evidence”`.
pub fn write_denial_lines(
    out: &mut dyn Write,
    indent: &str,
    projection: &Projection,
    denials: &[&Statement],
) -> io::Result<()> {
    for denial in denials {
        let evidence = denial
            .evidence
            .as_ref()
            .map(|e| format!(": “{}”", shown(e)))
            .unwrap_or_default();
        writeln!(out, "{indent}{}{evidence}", denial_text(projection, denial))?;
    }
    Ok(())
}

/// `Vladimir Putin warned Ilham Aliyev`: a statement's triple in words.
pub fn fact_text(projection: &Projection, s: &Statement) -> String {
    let object = match &s.object {
        crate::graph::StatementObject::Entity(e) => projection.entities.get(*e).label.clone(),
        crate::graph::StatementObject::Value(v) => format!("“{v}”"),
    };
    shown(&format!(
        "{} {} {object}",
        projection.entities.get(s.subject).label,
        projection.predicates[s.predicate].label
    ))
    .into_owned()
}

/// `[claimed by Novaya Gazeta via X; article; 2025]`
pub fn provenance(projection: &Projection, s: &Statement) -> String {
    use std::fmt::Write as _;
    // One string, written in place: every hop of every path shown makes one.
    let mut text = String::with_capacity(64);
    let _ = write!(text, "[{}", s.certainty);
    if let Some(source) = s.source {
        text.push_str(" by ");
        text.push_str(&projection.entities.get(source).label);
    }
    for (i, &via) in s.via.iter().enumerate() {
        text.push_str(if i == 0 { " via " } else { ", " });
        text.push_str(&projection.entities.get(via).label);
    }
    text.push_str("; ");
    text.push_str(&projection.articles[s.article].id);
    if let Some(time) = &s.time {
        let _ = write!(text, "; {time}");
    }
    text.push(']');
    match shown(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(escaped) => escaped,
    }
}

/// The paths between two entities in `format`; `truncated` says that an
/// `--all` search stopped at its limit.
#[allow(clippy::too_many_arguments)]
pub fn write_paths(
    out: &mut dyn Write,
    format: PathFormat,
    projection: &Projection,
    search: &Search<'_>,
    (from, to): (EntityIndex, EntityIndex),
    paths: &[Path],
    explanation: String,
    truncated: bool,
) -> io::Result<()> {
    match format {
        PathFormat::Text => {
            write_text(out, projection, search, paths, &explanation)?;
            if truncated {
                writeln!(
                    out,
                    "(stopped after {} paths; raise --limit to see more)",
                    paths.len()
                )?;
            }
            Ok(())
        }
        PathFormat::Json => {
            let document =
                PathsDocument::new(projection, search, from, to, paths, explanation, truncated);
            write_json(out, &document)
        }
        PathFormat::Dot => write_dot(out, projection, search, paths),
    }
}

/// Readable text: one block per path, one line per hop with its strongest
/// statement, then every statement's evidence.
pub fn write_text(
    out: &mut dyn Write,
    projection: &Projection,
    search: &Search<'_>,
    paths: &[Path],
    explanation: &str,
) -> io::Result<()> {
    for (n, path) in paths.iter().enumerate() {
        if paths.len() > 1 {
            writeln!(
                out,
                "Path {} ({} hops, cost {})",
                n + 1,
                path.len(),
                format_cost(path.cost)
            )?;
        }
        for hop in &path.hops {
            let edge = &projection.graph[hop.edge];
            let (a, b) = (
                shown(&projection.entity(hop.from).label),
                shown(&projection.entity(hop.to).label),
            );
            let arrow = arrow(&projection.predicates[edge.predicate], hop.forward);
            let facts = sorted_facts(search, hop.edge);
            let head = facts
                .first()
                .map(|s| provenance(projection, s))
                .unwrap_or_default();
            writeln!(out, "{a} {arrow} {b}  {head}")?;
            for (i, s) in facts.iter().enumerate() {
                if i > 0 {
                    writeln!(out, "    also {}", provenance(projection, s))?;
                }
                if edge.role.is_some() {
                    // A role link: which fact it comes from.
                    writeln!(out, "    ({})", fact_text(projection, s))?;
                }
                if let Some(evidence) = &s.evidence {
                    writeln!(out, "    “{}”", shown(evidence))?;
                }
            }
            let denials = sorted_denials(projection, hop.edge);
            write_denial_lines(out, "    ", projection, &denials)?;
        }
        if n + 1 < paths.len() {
            writeln!(out)?;
        }
    }
    if !paths.is_empty() {
        writeln!(out)?;
    }
    writeln!(out, "{}", shown(explanation))
}

/// Graphviz DOT of the paths' nodes and hops.
pub fn write_dot(
    out: &mut dyn Write,
    projection: &Projection,
    search: &Search<'_>,
    paths: &[Path],
) -> io::Result<()> {
    writeln!(out, "digraph paths {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(
        out,
        "  node [shape=box, style=rounded, fontname=\"Noto Sans\"];"
    )?;
    let mut nodes: Vec<petgraph::graph::NodeIndex> = paths.iter().flat_map(Path::nodes).collect();
    nodes.sort();
    nodes.dedup();
    for node in &nodes {
        writeln!(
            out,
            "  n{} [label={}];",
            node.index(),
            dot_quote(&projection.entity(*node).label)
        )?;
    }
    let mut edges: Vec<petgraph::graph::EdgeIndex> = paths
        .iter()
        .flat_map(|p| p.hops.iter().map(|h| h.edge))
        .collect();
    edges.sort();
    edges.dedup();
    for edge in edges {
        let Some((s, o)) = projection.graph.edge_endpoints(edge) else {
            continue;
        };
        let label = &projection.predicates[projection.graph[edge].predicate].label;
        let style = sorted_facts(search, edge)
            .first()
            .map_or("dotted", |s| edge_style(s.certainty));
        let denials = sorted_denials(projection, edge);
        let denied = if denials.is_empty() {
            String::new()
        } else {
            let who: Vec<String> = denials.iter().map(|d| denial_text(projection, d)).collect();
            format!(
                ", color={}, fontcolor={}, tooltip={}",
                dot_quote(DENIED_COLOUR),
                dot_quote(DENIED_COLOUR),
                dot_quote(&who.join("; "))
            )
        };
        let label = if denials.is_empty() {
            label.clone()
        } else {
            format!("{label} (denied)")
        };
        writeln!(
            out,
            "  n{} -> n{} [label={}, style={style}{denied}];",
            s.index(),
            o.index(),
            dot_quote(&label)
        )?;
    }
    writeln!(out, "}}")
}

fn format_cost(cost: f64) -> String {
    if cost.fract() == 0.0 {
        format!("{cost:.0}")
    } else {
        format!("{cost:.2}")
    }
}
