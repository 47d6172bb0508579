//! Sending a write to the remote: the difference between the local copy
//! before and after it. A changed article goes whole, as a Graph Store
//! `PUT` of its graph when the server has a Graph Store endpoint, else as
//! `DROP SILENT GRAPH` + `INSERT DATA` inside one update request, so at the
//! server an article is whole or absent. Several articles share a request
//! up to a size (a request is one transaction on Oxigraph), except on
//! Virtuoso, whose requests are not. With `--bulk-load`, articles go by
//! the server's bulk loader instead, each sealed once loaded (`bulk`).
//! Every request here can be repeated without changing the result, so a
//! lost answer is retried.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::time::Instant;

use oxigraph::model::{GraphName, NamedNode, Quad, Term};

use super::bulk;
use super::replica::remote_graph;
use super::{Dialect, Endpoint, RemoteError, Retry, META_GRAPH};
use crate::store::{GraphStore, WrittenArticles};
use crate::vocab;

/// The text of one update request grows to about this size.
const REQUEST_BYTES: usize = 4 << 20;

/// How articles are written to the remote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMethod {
    /// A Graph Store Protocol `PUT` per article (`--graph-store`).
    GraphStorePut,
    /// SPARQL updates, several articles per request.
    BatchedUpdate,
    /// SPARQL updates, one article per request (the server's update
    /// requests are not transactions).
    UpdatePerArticle,
    /// The server's bulk loader, each article sealed by its digest after
    /// (`--bulk-load`).
    BulkLoad,
}

impl fmt::Display for WriteMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WriteMethod::GraphStorePut => {
                "each article by a Graph Store PUT of its graph (--graph-store was given)"
            }
            WriteMethod::BatchedUpdate => {
                "articles by SPARQL update, DROP SILENT GRAPH + INSERT DATA each, several per request (one transaction each; no --graph-store was given)"
            }
            WriteMethod::UpdatePerArticle => {
                "each article by one SPARQL update, DROP SILENT GRAPH + INSERT DATA (Virtuoso's requests are not transactions, so one article per request)"
            }
            WriteMethod::BulkLoad => {
                "articles by the server's bulk loader, POST /store?no_transaction (--bulk-load was given), each sealed by its content digest in a transactional update once loaded: an unsealed article is absent to storygraph, and the next write deletes what a stopped load left"
            }
        })
    }
}

/// What a write sent.
#[derive(Debug)]
pub struct PushReport {
    pub method: WriteMethod,
    pub articles_written: usize,
    pub articles_removed: usize,
    pub requests: usize,
    pub quads_sent: usize,
    pub seconds: f64,
}

/// The local copy's state a difference is taken from: each article's
/// content digest, and the quads of every other graph (entities, the
/// ontology, editors' merges), which stay small.
pub(super) struct Snapshot {
    digests: HashMap<NamedNode, String>,
    others: HashMap<GraphName, HashSet<Quad>>,
}

impl Snapshot {
    pub(super) fn take(store: &GraphStore) -> Result<Snapshot, RemoteError> {
        let digests = store.article_digests()?;
        let mut others = HashMap::new();
        others.insert(
            GraphName::DefaultGraph,
            store.graph_quad_set(&GraphName::DefaultGraph)?,
        );
        for name in store.named_graphs()? {
            if !digests.contains_key(&name) {
                let graph = GraphName::NamedNode(name);
                let quads = store.graph_quad_set(&graph)?;
                others.insert(graph, quads);
            }
        }
        Ok(Snapshot { digests, others })
    }

    /// Treats a graph as absent before, so all of it is sent.
    pub(super) fn forget(&mut self, graph: &GraphName) {
        self.others.remove(graph);
    }
}

/// Sends what changed between `before` and the copy now.
pub(super) fn push(
    endpoint: &Endpoint,
    dialect: &Dialect,
    method: WriteMethod,
    store: &GraphStore,
    before: Snapshot,
    written: &WrittenArticles,
) -> Result<PushReport, RemoteError> {
    let started = Instant::now();
    let after = Snapshot::take(store)?;
    let limit = match method {
        WriteMethod::UpdatePerArticle => 0,
        _ => REQUEST_BYTES,
    };
    let mut batch = Batch {
        endpoint,
        text: String::new(),
        limit,
        requests: 0,
        quads: 0,
        triple_terms: dialect.triple_terms,
    };
    let changed: Vec<&NamedNode> = after
        .digests
        .iter()
        .filter(|(name, digest)| before.digests.get(*name) != Some(*digest))
        .map(|(name, _)| name)
        .collect();
    // The marker first: from here on, every other copy is stale. Where a
    // bulk load may have run (not on Virtuoso), what a stopped one left
    // goes in the same request.
    let mut opening = Vec::new();
    if !dialect.is_virtuoso() {
        opening.push(bulk::clear_unsealed());
    }
    opening.push(marker_update());
    if method == WriteMethod::BulkLoad && !changed.is_empty() {
        opening.push(bulk::open_articles(&changed));
    }
    endpoint.update(&opening.join(" ;\n"), Retry::Idempotent)?;
    batch.requests += 1;
    // Additions to the other graphs come before the articles that need
    // them, removals after the articles that no longer do.
    let empty = HashSet::new();
    for (graph, quads) in &after.others {
        let old = before.others.get(graph).unwrap_or(&empty);
        let added: Vec<&Quad> = quads.difference(old).collect();
        if !added.is_empty() {
            let data = batch.data(&remote_graph(graph), added.into_iter());
            batch.add(format!("INSERT DATA {{ {data} }}"))?;
        }
    }
    match method {
        WriteMethod::BulkLoad => {
            batch.flush()?;
            let (quads, requests) =
                bulk::load(endpoint, store, written, &changed, dialect.triple_terms)?;
            batch.quads += quads;
            batch.requests += requests;
            for name in &changed {
                let seal = bulk::seal(name, &after.digests[*name]);
                let data = batch.data(name, std::iter::once(&seal));
                batch.add(format!("INSERT DATA {{ {data} }}"))?;
            }
        }
        WriteMethod::GraphStorePut => {
            for name in &changed {
                let quads = store.graph_quads(&GraphName::NamedNode((*name).clone()))?;
                batch.flush()?;
                let body = batch.triples(quads.iter());
                endpoint.put_graph(name.as_str(), body.as_bytes())?;
                batch.requests += 1;
            }
        }
        WriteMethod::BatchedUpdate | WriteMethod::UpdatePerArticle => {
            for name in &changed {
                let quads = store.graph_quads(&GraphName::NamedNode((*name).clone()))?;
                let data = batch.data(name, quads.iter());
                batch.add(format!(
                    "DROP SILENT GRAPH <{}> ;\nINSERT DATA {{ {data} }}",
                    name.as_str()
                ))?;
            }
        }
    }
    let articles_written = changed.len();
    let mut articles_removed = 0;
    for name in before.digests.keys() {
        if !after.digests.contains_key(name) {
            articles_removed += 1;
            batch.add(format!("DROP SILENT GRAPH <{}>", name.as_str()))?;
        }
    }
    for (graph, old) in &before.others {
        match after.others.get(graph) {
            None => batch.add(format!(
                "DROP SILENT GRAPH <{}>",
                remote_graph(graph).as_str()
            ))?,
            Some(quads) => {
                let removed: Vec<&Quad> = old
                    .difference(quads)
                    .filter(|q| {
                        !q.subject.is_blank_node() && !matches!(q.object, Term::BlankNode(_))
                    })
                    .collect();
                if !removed.is_empty() {
                    let data = batch.data(&remote_graph(graph), removed.into_iter());
                    batch.add(format!("DELETE DATA {{ {data} }}"))?;
                }
            }
        }
    }
    if method == WriteMethod::BulkLoad && !changed.is_empty() {
        batch.add(bulk::close())?;
    }
    batch.flush()?;
    Ok(PushReport {
        method,
        articles_written,
        articles_removed,
        requests: batch.requests,
        quads_sent: batch.quads,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// How articles go to this server: by the bulk loader when asked (only
/// an Oxigraph server has the one used), else by Graph Store PUT when
/// there is a Graph Store endpoint, else by SPARQL updates.
pub(super) fn write_method(
    endpoint: &Endpoint,
    dialect: &Dialect,
) -> Result<WriteMethod, RemoteError> {
    let config = endpoint.config();
    if config.bulk_load {
        if !dialect.server.to_ascii_lowercase().starts_with("oxigraph") {
            return Err(RemoteError::Config(format!(
                "--bulk-load uses the Oxigraph server's POST /store?no_transaction, and {} answers as \"{}\"; leave --bulk-load out",
                config.query, dialect.server
            )));
        }
        return Ok(WriteMethod::BulkLoad);
    }
    Ok(if config.graph_store.is_some() {
        WriteMethod::GraphStorePut
    } else if dialect.is_virtuoso() {
        WriteMethod::UpdatePerArticle
    } else {
        WriteMethod::BatchedUpdate
    })
}

/// Writes a new generation marker to the remote, so every local copy of
/// it (this one's included) is stale until recorded again.
pub(super) fn replace_marker(endpoint: &Endpoint) -> Result<(), RemoteError> {
    endpoint.update(&marker_update(), Retry::Idempotent)
}

/// The update replacing the generation marker by a new one.
fn marker_update() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let token = format!("{nanos:x}-{:x}", std::process::id());
    let meta = META_GRAPH.as_str();
    let generation = vocab::sg("generation");
    let generation = generation.as_str();
    format!(
        "DROP SILENT GRAPH <{meta}> ;\nINSERT DATA {{ GRAPH <{meta}> {{ <{meta}> <{generation}> \"{token}\" }} }}"
    )
}

/// Whether the server can take the quad: a triple term only where RDF 1.2
/// is understood (statements keep their rdf:subject, rdf:predicate and
/// rdf:object either way).
pub(super) fn sendable(quad: &Quad, triple_terms: bool) -> bool {
    triple_terms || !matches!(quad.object, Term::Triple(_))
}

/// Update operations gathered into requests of about `limit` bytes.
struct Batch<'e> {
    endpoint: &'e Endpoint,
    text: String,
    limit: usize,
    requests: usize,
    quads: usize,
    triple_terms: bool,
}

impl Batch<'_> {
    /// `GRAPH <g> { ... }` of the quads the server can take.
    fn data<'q>(&mut self, graph: &NamedNode, quads: impl Iterator<Item = &'q Quad>) -> String {
        format!("GRAPH <{}> {{\n{}}}", graph.as_str(), self.triples(quads))
    }

    /// The quads the server can take, as N-Triples lines (also the body
    /// of a Graph Store PUT), counted as sent.
    fn triples<'q>(&mut self, quads: impl Iterator<Item = &'q Quad>) -> String {
        let mut text = String::new();
        let triple_terms = self.triple_terms;
        for quad in quads.filter(|q| sendable(q, triple_terms)) {
            let _ = writeln!(
                text,
                "{} {} {} .",
                quad.subject, quad.predicate, quad.object
            );
            self.quads += 1;
        }
        text
    }

    /// Adds one operation; a whole article is always one operation group,
    /// never split between requests.
    fn add(&mut self, operation: String) -> Result<(), RemoteError> {
        if !self.text.is_empty() && self.text.len() + operation.len() > self.limit {
            self.flush()?;
        }
        if !self.text.is_empty() {
            self.text.push_str(" ;\n");
        }
        self.text.push_str(&operation);
        Ok(())
    }

    fn flush(&mut self) -> Result<(), RemoteError> {
        if self.text.is_empty() {
            return Ok(());
        }
        self.endpoint.update(&self.text, Retry::Idempotent)?;
        self.requests += 1;
        self.text.clear();
        Ok(())
    }
}
