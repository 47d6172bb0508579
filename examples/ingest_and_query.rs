//! Using storygraph as a library: ingest a document into an in-memory store
//! and ask who warned whom, with the article and certainty of each answer.
//!
//! Run it with `cargo run --release --example ingest_and_query`.

use oxigraph::sparql::QueryResults;
use storygraph::ingest::{ingest, IngestOptions, InputSource};
use storygraph::store::{GraphStore, QueryOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let store = GraphStore::memory()?;
    let data = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/zaman-azerbaijan-coup.json"
    );
    let report = ingest(
        &store,
        &[InputSource::Path(data.into())],
        IngestOptions::default(),
    )?;
    println!(
        "ingested {} facts from {} article(s)",
        report.facts, report.articles
    );

    let query = "
        SELECT ?who ?whom ?certainty ?article WHERE {
          ?s rdf:subject ?a ; rdf:predicate sg:warned ; rdf:object ?b ;
             sg:certainty/skos:notation ?certainty ; sg:article/sg:articleId ?article .
          ?a skos:prefLabel ?who FILTER(lang(?who) = 'en')
          ?b skos:prefLabel ?whom FILTER(lang(?whom) = 'en')
        }";
    if let QueryResults::Solutions(solutions) = store.query(query, &QueryOptions::default())? {
        for solution in solutions {
            let solution = solution?;
            let text = |name: &str| {
                solution.get(name).map(|t| match t {
                    oxigraph::model::Term::Literal(l) => l.value().to_owned(),
                    other => other.to_string(),
                })
            };
            println!(
                "{} warned {} ({}, in {})",
                text("who").unwrap_or_default(),
                text("whom").unwrap_or_default(),
                text("certainty").unwrap_or_default(),
                text("article").unwrap_or_default(),
            );
        }
    }
    Ok(())
}
