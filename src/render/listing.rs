//! Listings: rows of one kind of thing (the store's counts, its articles,
//! entities found by name, likely duplicates, editorial merges) as an
//! aligned table, CSV, TSV, or the JSON of the things themselves.

use std::io::{self, Write};

use super::table::{write_delimited, write_table};
use super::{write_json, ListingFormat};
use crate::graph::duplicates::Duplicate;
use crate::graph::Projection;
use crate::model::Certainty;
use crate::store::{ArticleSummary, Merge, Stats};

/// Writes a listing: `rows` under `header` for the text formats, `json`
/// for JSON.
pub fn write_listing(
    out: &mut dyn Write,
    format: ListingFormat,
    header: &[&str],
    rows: &[Vec<String>],
    json: &impl serde::Serialize,
) -> io::Result<()> {
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    match format {
        ListingFormat::Table => write_table(out, &header, rows),
        ListingFormat::Csv => write_delimited(out, &header, rows, false),
        ListingFormat::Tsv => write_delimited(out, &header, rows, true),
        ListingFormat::Json => write_json(out, json),
    }
}

/// The store's counts: one row per count, facts broken down by certainty.
pub fn write_stats(out: &mut dyn Write, format: ListingFormat, stats: &Stats) -> io::Result<()> {
    let row = |what: &str, n: usize| vec![what.to_owned(), n.to_string()];
    let mut rows = vec![
        row("articles", stats.articles),
        row("entities", stats.entities),
        row("facts", stats.facts),
    ];
    for c in Certainty::ALL {
        let n = stats
            .facts_by_certainty
            .get(c.as_str())
            .copied()
            .unwrap_or(0);
        rows.push(row(&format!("  {c}"), n));
    }
    rows.push(row("  negated", stats.negated_facts));
    rows.push(row("triples", stats.triples));
    rows.push(row("  in the ontology graph", stats.ontology_triples));
    rows.push(row("named graphs", stats.named_graphs));
    write_listing(out, format, &["what", "count"], &rows, stats)
}

/// The ingested articles, one row each.
pub fn write_articles(
    out: &mut dyn Write,
    format: ListingFormat,
    articles: &[ArticleSummary],
) -> io::Result<()> {
    let rows: Vec<Vec<String>> = articles
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.published.clone(),
                a.language.clone(),
                a.facts.to_string(),
                a.publisher.clone().unwrap_or_default(),
                a.title.clone(),
            ]
        })
        .collect();
    let header = ["id", "published", "language", "facts", "publisher", "title"];
    write_listing(out, format, &header, &rows, &articles)
}

/// Likely duplicate pairs, most likely first.
pub fn write_duplicates(
    out: &mut dyn Write,
    format: ListingFormat,
    projection: &Projection,
    pairs: &[Duplicate],
) -> io::Result<()> {
    let rows: Vec<Vec<String>> = pairs
        .iter()
        .map(|d| {
            let (a, b) = (projection.entities.get(d.a), projection.entities.get(d.b));
            vec![
                format!("{:.2}", d.score),
                a.id().to_owned(),
                a.label.clone(),
                b.id().to_owned(),
                b.label.clone(),
                a.class_name(),
                format!("{:.2}", d.name_similarity),
                d.shared_neighbors.to_string(),
            ]
        })
        .collect();
    let json: Vec<serde_json::Value> = pairs
        .iter()
        .map(|d| {
            let (a, b) = (projection.entities.get(d.a), projection.entities.get(d.b));
            serde_json::json!({
                "a": a.iri, "a_id": a.id(), "a_label": a.label,
                "b": b.iri, "b_id": b.id(), "b_label": b.label,
                "score": d.score, "name_similarity": d.name_similarity,
                "shared_neighbors": d.shared_neighbors,
            })
        })
        .collect();
    let header = [
        "score",
        "a",
        "a label",
        "b",
        "b label",
        "type",
        "names alike",
        "shared neighbors",
    ];
    write_listing(out, format, &header, &rows, &json)
}

/// The editorial merges.
pub fn write_merges(
    out: &mut dyn Write,
    format: ListingFormat,
    merges: &[Merge],
) -> io::Result<()> {
    let id = |iri: &str| crate::vocab::entity_id(iri).unwrap_or(iri).to_owned();
    let rows: Vec<Vec<String>> = merges
        .iter()
        .map(|m| {
            vec![
                id(&m.entities[0]),
                id(&m.entities[1]),
                m.created.clone().unwrap_or_default(),
                m.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let json: Vec<serde_json::Value> = merges
        .iter()
        .map(|m| {
            serde_json::json!({
                "a": m.entities[0], "b": m.entities[1],
                "created": m.created, "note": m.note,
            })
        })
        .collect();
    write_listing(out, format, &["a", "b", "merged", "note"], &rows, &json)
}
