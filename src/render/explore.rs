//! Writing exploration results (neighbors, timelines, search hits,
//! conflicts, corroboration, connections between articles) as text for
//! people or JSON for programs.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::listing::write_listing;
use super::path::{arrow, provenance, write_denial_lines, write_text, PathsDocument};
use super::table::write_table;
use super::terminal::shown;
use super::{write_json, ExploreFormat, ListingFormat, PathFormat};
use crate::graph::explore::{
    Conflict, ConflictKind, Connection, Corroboration, Found, Neighborhood, Other,
};
use crate::graph::search::Search;
use crate::graph::{EntityIndex, PredicateIndex, Projection, Statement, StatementObject};

/// Text for people, or the JSON `json` builds.
fn text_or_json(
    out: &mut dyn Write,
    format: ExploreFormat,
    text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    json: impl FnOnce() -> Value,
) -> io::Result<()> {
    match format {
        ExploreFormat::Text => text(out),
        ExploreFormat::Json => write_json(out, &json()),
    }
}

fn other_label(projection: &Projection, other: &Other) -> String {
    match other {
        Other::Entity(e) => projection.entities.get(*e).label.clone(),
        Other::Value(v) => format!("“{v}”"),
    }
}

fn statement_json(projection: &Projection, s: &Statement) -> Value {
    let object = match &s.object {
        StatementObject::Entity(e) => json!(projection.entities.get(*e).iri),
        StatementObject::Value(v) => json!({ "value": v }),
    };
    json!({
        "statement": s.iri,
        "subject": projection.entities.get(s.subject).iri,
        "subject_label": projection.entities.get(s.subject).label,
        "predicate": projection.predicates[s.predicate].iri,
        "predicate_label": projection.predicates[s.predicate].label,
        "object": object,
        "object_label": match &s.object {
            StatementObject::Entity(e) => projection.entities.get(*e).label.clone(),
            StatementObject::Value(v) => v.clone(),
        },
        "article": projection.articles[s.article].id,
        "certainty": s.certainty.as_str(),
        "negated": s.negated,
        "source": s.source.map(|e| projection.entities.get(e).iri.clone()),
        "via": s.via.iter().map(|&e| projection.entities.get(e).iri.clone()).collect::<Vec<_>>(),
        "time": s.time,
        "evidence": s.evidence,
        "denied_by": projection.denials_of(s).into_iter().map(|d| json!({
            "statement": d.iri,
            "article": projection.articles[d.article].id,
            "source": d.source.map(|e| projection.entities.get(e).iri.clone()),
            "evidence": d.evidence,
        })).collect::<Vec<_>>(),
    })
}

/// The lines under a fact that say who denies it.
fn write_denials_of(out: &mut dyn Write, projection: &Projection, s: &Statement) -> io::Result<()> {
    write_denial_lines(out, "        ", projection, &projection.denials_of(s))
}

/// An entity's facts by predicate and direction, the denials it made,
/// and who is within reach.
pub fn write_neighbors(
    out: &mut dyn Write,
    format: ExploreFormat,
    projection: &Projection,
    neighborhood: &Neighborhood<'_>,
) -> io::Result<()> {
    text_or_json(
        out,
        format,
        |out| write_neighbors_text(out, projection, neighborhood),
        || neighbors_json(projection, neighborhood),
    )
}

fn write_neighbors_text(
    out: &mut dyn Write,
    projection: &Projection,
    neighborhood: &Neighborhood<'_>,
) -> io::Result<()> {
    let me = projection.entities.get(neighborhood.entity);
    writeln!(
        out,
        "{} ({}, {})",
        shown(&me.label),
        me.class_name(),
        me.id()
    )?;
    for group in &neighborhood.groups {
        let head = arrow(&projection.predicates[group.predicate], group.outgoing);
        writeln!(out, "  {head}")?;
        for (other, s) in &group.facts {
            let denied = if s.negated { " DENIED" } else { "" };
            writeln!(
                out,
                "    {}{denied}  {}",
                shown(&other_label(projection, other)),
                provenance(projection, s)
            )?;
            write_denials_of(out, projection, s)?;
        }
    }
    if !neighborhood.denies.is_empty() {
        writeln!(out, "  denies:")?;
        for s in &neighborhood.denies {
            writeln!(
                out,
                "    {}  {}",
                shown(&triple_text(projection, s.subject, s.predicate, &s.object)),
                provenance(projection, s)
            )?;
            if let Some(evidence) = &s.evidence {
                writeln!(out, "        “{}”", shown(evidence))?;
            }
        }
    }
    if !neighborhood.reached.is_empty() {
        writeln!(out, "  within reach:")?;
        for (e, d) in &neighborhood.reached {
            writeln!(
                out,
                "    {} ({} hops)",
                shown(&projection.entities.get(*e).label),
                d
            )?;
        }
    }
    Ok(())
}

fn neighbors_json(projection: &Projection, neighborhood: &Neighborhood<'_>) -> Value {
    let entity = neighborhood.entity;
    json!({
        "entity": projection.entities.get(entity).iri,
        "label": projection.entities.get(entity).label,
        "groups": neighborhood.groups.iter().map(|g| json!({
            "predicate": projection.predicates[g.predicate].iri,
            "predicate_label": projection.predicates[g.predicate].label,
            "direction": if g.outgoing { "outgoing" } else { "incoming" },
            "facts": g.facts.iter().map(|(_, s)| statement_json(projection, s)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "denies": neighborhood.denies.iter().map(|s| statement_json(projection, s)).collect::<Vec<_>>(),
        "reached": neighborhood.reached.iter().map(|(e, d)| json!({
            "entity": projection.entities.get(*e).iri,
            "label": projection.entities.get(*e).label,
            "hops": d,
        })).collect::<Vec<_>>(),
    })
}

/// An entity's dated facts in time order.
pub fn write_timeline(
    out: &mut dyn Write,
    format: ExploreFormat,
    projection: &Projection,
    entity: EntityIndex,
    facts: &[&Statement],
) -> io::Result<()> {
    text_or_json(
        out,
        format,
        |out| write_timeline_text(out, projection, facts),
        || timeline_json(projection, entity, facts),
    )
}

fn write_timeline_text(
    out: &mut dyn Write,
    projection: &Projection,
    facts: &[&Statement],
) -> io::Result<()> {
    for s in facts {
        let object = match &s.object {
            StatementObject::Entity(e) => projection.entities.get(*e).label.clone(),
            StatementObject::Value(v) => format!("“{v}”"),
        };
        let denied = if s.negated { " (DENIED)" } else { "" };
        let line = format!(
            "{:<23} {} {} {}{denied}  [{}; {}]",
            s.time.as_deref().unwrap_or(""),
            projection.entities.get(s.subject).label,
            projection.predicates[s.predicate].label,
            object,
            s.certainty,
            projection.articles[s.article].id,
        );
        writeln!(out, "{}", shown(&line))?;
        write_denials_of(out, projection, s)?;
    }
    Ok(())
}

fn timeline_json(projection: &Projection, entity: EntityIndex, facts: &[&Statement]) -> Value {
    json!({
        "entity": projection.entities.get(entity).iri,
        "facts": facts.iter().map(|s| statement_json(projection, s)).collect::<Vec<_>>(),
    })
}

/// Entities found by name, best first.
pub fn write_found(
    out: &mut dyn Write,
    format: ListingFormat,
    projection: &Projection,
    found: &[Found],
) -> io::Result<()> {
    let header = ["id", "label", "type", "articles", "match"];
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|f| {
            let e = projection.entities.get(f.entity);
            vec![
                e.id().to_owned(),
                e.label.clone(),
                e.class_name(),
                f.articles.to_string(),
                format!("{:?}", f.kind).to_lowercase(),
            ]
        })
        .collect();
    write_listing(out, format, &header, &rows, &found_json(projection, found))
}

fn found_json(projection: &Projection, found: &[Found]) -> Value {
    Value::Array(
        found
            .iter()
            .map(|f| {
                let e = projection.entities.get(f.entity);
                json!({
                    "iri": e.iri, "id": e.id(), "label": e.label, "type": e.class_name(),
                    "articles": f.articles, "match": format!("{:?}", f.kind).to_lowercase(),
                })
            })
            .collect(),
    )
}

fn triple_text(
    projection: &Projection,
    subject: EntityIndex,
    predicate: PredicateIndex,
    object: &StatementObject,
) -> String {
    let object = match object {
        StatementObject::Entity(e) => projection.entities.get(*e).label.clone(),
        StatementObject::Value(v) => format!("“{v}”"),
    };
    format!(
        "{} {} {}",
        projection.entities.get(subject).label,
        projection.predicates[predicate].label,
        object
    )
}

fn side_text(projection: &Projection, s: &Statement) -> String {
    let published = projection.articles[s.article]
        .published
        .map(|d| format!(" (published {d})"))
        .unwrap_or_default();
    let stance = if s.negated { "DENIED " } else { "" };
    format!("{stance}{}{published}", provenance(projection, s))
}

/// Triples whose statements disagree, every side with its provenance.
pub fn write_conflicts(
    out: &mut dyn Write,
    format: ExploreFormat,
    projection: &Projection,
    conflicts: &[Conflict<'_>],
) -> io::Result<()> {
    text_or_json(
        out,
        format,
        |out| write_conflicts_text(out, projection, conflicts),
        || conflicts_json(projection, conflicts),
    )
}

fn write_conflicts_text(
    out: &mut dyn Write,
    projection: &Projection,
    conflicts: &[Conflict<'_>],
) -> io::Result<()> {
    for c in conflicts {
        let kind: Vec<&str> = c
            .kinds
            .iter()
            .map(|k| match k {
                ConflictKind::Denied => "asserted and denied",
                ConflictKind::Certainty => "certainty differs",
                ConflictKind::Time => "times disagree",
            })
            .collect();
        let kind = kind.join("; ");
        writeln!(
            out,
            "{}  ({kind})",
            shown(&triple_text(projection, c.subject, c.predicate, &c.object))
        )?;
        for s in &c.statements {
            writeln!(out, "    {}", side_text(projection, s))?;
            if let Some(evidence) = &s.evidence {
                writeln!(out, "        “{}”", shown(evidence))?;
            }
        }
    }
    Ok(())
}

fn conflicts_json(projection: &Projection, conflicts: &[Conflict<'_>]) -> Value {
    Value::Array(
        conflicts
            .iter()
            .map(|c| {
                json!({
                    "kind": c.kinds[0].to_string(),
                    "kinds": c.kinds.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "triple": triple_text(projection, c.subject, c.predicate, &c.object),
                    "statements": c.statements.iter().map(|s| statement_json(projection, s)).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// Each fact with its number of independent sources.
pub fn write_corroboration(
    out: &mut dyn Write,
    format: ExploreFormat,
    projection: &Projection,
    rows: &[Corroboration<'_>],
) -> io::Result<()> {
    text_or_json(
        out,
        format,
        |out| write_corroboration_text(out, projection, rows),
        || corroboration_json(projection, rows),
    )
}

fn write_corroboration_text(
    out: &mut dyn Write,
    projection: &Projection,
    rows: &[Corroboration<'_>],
) -> io::Result<()> {
    let header = ["sources", "fact", "best", "independent sources"].map(str::to_owned);
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let best = r
                .statements
                .iter()
                .map(|s| s.certainty)
                .max()
                .map(|c| c.to_string())
                .unwrap_or_default();
            let names: Vec<&str> = r
                .origins
                .iter()
                .map(|&o| projection.entities.get(o).label.as_str())
                .collect();
            vec![
                r.origins.len().to_string(),
                triple_text(projection, r.subject, r.predicate, &r.object),
                best,
                names.join(", "),
            ]
        })
        .collect();
    write_table(out, &header, &table)
}

fn corroboration_json(projection: &Projection, rows: &[Corroboration<'_>]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "triple": triple_text(projection, r.subject, r.predicate, &r.object),
                    "independent_sources": r.origins.len(),
                    "sources": r.origins.iter().map(|&o| projection.entities.get(o).iri.clone()).collect::<Vec<_>>(),
                    "statements": r.statements.iter().map(|s| statement_json(projection, s)).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// What ties two articles: their shared entities, or the nearest path.
pub fn write_connection(
    out: &mut dyn Write,
    format: PathFormat,
    projection: &Projection,
    search: &Search<'_>,
    connection: &Connection,
) -> io::Result<()> {
    let path: Vec<_> = connection.path.iter().cloned().collect();
    match format {
        PathFormat::Json => {
            let shared: Vec<Value> = connection
                .shared
                .iter()
                .map(|&e| {
                    let info = projection.entities.get(e);
                    json!({"entity": info.iri, "label": info.label})
                })
                .collect();
            let path_document = connection.path.as_ref().and_then(|p| {
                let (first, last) = (p.hops.first()?, p.hops.last()?);
                let (from, to) = (projection.graph[first.from], projection.graph[last.to]);
                Some(PathsDocument::new(
                    projection,
                    search,
                    from,
                    to,
                    std::slice::from_ref(p),
                    String::new(),
                    false,
                ))
            });
            write_json(out, &json!({"shared": shared, "path": path_document}))
        }
        PathFormat::Text => {
            if connection.shared.is_empty() {
                writeln!(out, "The two articles have no entity in common.")?;
            } else {
                writeln!(out, "Shared entities ({}):", connection.shared.len())?;
                for &e in &connection.shared {
                    let info = projection.entities.get(e);
                    writeln!(
                        out,
                        "  {} ({}, {})",
                        shown(&info.label),
                        info.class_name(),
                        info.id()
                    )?;
                }
            }
            if !path.is_empty() {
                writeln!(out, "Nearest connection:")?;
                write_text(out, projection, search, &path, "")?;
            }
            Ok(())
        }
        PathFormat::Dot => super::path::write_dot(out, projection, search, &path),
    }
}
