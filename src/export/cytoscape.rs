//! Cytoscape.js elements JSON (`{"elements": {"nodes": […], "edges": […]}}`),
//! which Cytoscape desktop also imports.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::json;

use super::{NodeKind, StreamedArray, Subgraph};
use crate::graph::Projection;

pub fn write_cytoscape(
    out: &mut dyn Write,
    projection: &Projection,
    subgraph: &Subgraph,
    lang: &str,
) -> io::Result<()> {
    let nodes: Vec<serde_json::Value> = subgraph
        .nodes
        .iter()
        .map(|&entity| {
            let info = projection.entities.get(entity);
            json!({"data": {
                "id": info.id(),
                "label": info.label_in(lang),
                "type": info.class_name(),
                "kind": NodeKind::of(projection, entity).to_string(),
                "iri": info.iri,
            }})
        })
        .collect();
    let edges = || {
        subgraph.edges.iter().enumerate().map(|(i, edge)| {
            let predicate = &projection.predicates[edge.predicate];
            json!({"data": {
                "id": format!("e{i}"),
                "source": projection.entities.get(edge.from).id(),
                "target": projection.entities.get(edge.to).id(),
                "label": predicate.label_in(lang),
                "predicate": predicate.iri,
                "certainty": edge.certainty.as_str(),
                "articles": edge.articles(projection),
                "time": edge.time(projection),
                "evidence": edge.evidence(projection),
                "statements": edge.statements.len(),
                "highlighted": edge.highlighted,
                "denied_by": edge.denial_texts(projection),
            }})
        })
    };
    #[derive(Serialize)]
    struct Document<N, E> {
        elements: Elements<N, E>,
    }
    #[derive(Serialize)]
    struct Elements<N, E> {
        nodes: N,
        edges: E,
    }
    let document = Document {
        elements: Elements {
            nodes,
            edges: StreamedArray(edges),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
    writeln!(out)
}
