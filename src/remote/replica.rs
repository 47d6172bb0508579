//! The local copy of a remote store, in the cache directory: an embedded
//! store that graph commands (paths, neighbors, exports, listings, the
//! shell) run on exactly as on a local store, so they give the same
//! answers. It is current when the remote's generation marker and its
//! numbers of articles and of statements are those recorded after the
//! copy was last made or written through; otherwise it is rebuilt from
//! paged SELECTs of storygraph's graphs (the articles', the entities',
//! the ontology's and the editors'). storygraph replaces the marker with
//! every write it makes, and the counts catch writers that do not add or
//! take away articles or statements; an edit that keeps both escapes
//! (`--refresh` rebuilds by force). The counts read two predicates'
//! index ranges: a count of every quad took 70 times as long (BENCHMARKS.md).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::QueryResults;

use super::push::{self, PushReport};
use super::{Dialect, Endpoint, RemoteConfig, RemoteError, ENTITIES_GRAPH, META_GRAPH};
use crate::store::GraphStore;
use crate::vocab::{self, term};

/// Rows asked for per page when the copy is rebuilt (Virtuoso's default
/// ResultSetMaxRows).
const PAGE_ROWS: usize = 10_000;

/// Graphs read by one query when the copy is rebuilt.
const GRAPHS_PER_QUERY: usize = 50;

/// At most this much of a write's N-Quads is kept for a bulk load; the
/// rest is read back from the copy.
const WRITE_LOG_BYTES: usize = 512 << 20;

/// A remote store and its local copy.
pub struct Replica {
    endpoint: Endpoint,
    store: GraphStore,
    state_path: PathBuf,
    dialect: Option<Dialect>,
}

/// What bringing the copy up to date did.
#[derive(Debug, Default)]
pub struct SyncReport {
    /// Whether it was rebuilt (else it was current).
    pub rebuilt: bool,
    /// Why it was rebuilt.
    pub reason: &'static str,
    /// The quads copied.
    pub quads: usize,
    /// The SELECT requests it took.
    pub requests: usize,
    pub seconds: f64,
}

/// The remote's state the copy was made at.
#[derive(Debug, PartialEq, Eq)]
struct RemoteState {
    marker: Option<String>,
    articles: u64,
    statements: u64,
}

impl Replica {
    /// Opens the copy of the remote `config` names under `cache` (created
    /// when missing), without asking the remote anything yet.
    pub fn open(config: RemoteConfig, cache: &Path) -> Result<Replica, RemoteError> {
        let dir = cache.join(format!(
            "{:016x}",
            crate::hash::fnv1a(config.query.as_bytes())
        ));
        std::fs::create_dir_all(&dir).map_err(|source| RemoteError::ReplicaFile {
            path: dir.clone(),
            source,
        })?;
        let store = GraphStore::open(&dir.join("store"))?;
        Ok(Replica {
            endpoint: Endpoint::new(config),
            store,
            state_path: dir.join("remote-state"),
            dialect: None,
        })
    }

    /// The copy opened to read only, for the shell and `serve`: what they
    /// would write would stay in the copy, and be lost at its next rebuild.
    pub fn into_read_only(self) -> Result<GraphStore, RemoteError> {
        let path = self
            .store
            .location()
            .map(Path::to_path_buf)
            .ok_or_else(|| RemoteError::Config("the copy has no directory".into()))?;
        drop(self);
        Ok(GraphStore::open_read_only(&path)?)
    }

    /// The copy: what graph commands run on.
    pub fn store(&self) -> &GraphStore {
        &self.store
    }

    /// How long each request may take from now on.
    pub fn set_request_timeout(&mut self, timeout: std::time::Duration) {
        let mut config = self.endpoint.config().clone();
        config.timeout = timeout;
        self.endpoint = Endpoint::new(config);
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The server's abilities, asked the first time they are needed.
    pub fn dialect(&mut self) -> Result<&Dialect, RemoteError> {
        if self.dialect.is_none() {
            self.dialect = Some(Dialect::probe(&self.endpoint)?);
        }
        Ok(self.dialect.as_ref().expect("set above"))
    }

    /// Brings the copy up to date: nothing when the remote is at the state
    /// recorded, else a rebuild (always with `force`).
    pub fn sync(&mut self, force: bool) -> Result<SyncReport, RemoteError> {
        let started = Instant::now();
        let remote = self.remote_state()?;
        let recorded = self.recorded_state();
        let reason = match &recorded {
            _ if force => "asked to refresh",
            None => "no copy recorded",
            Some(r) if r.marker != remote.marker => "the remote's generation marker changed",
            Some(r) if r.articles != remote.articles || r.statements != remote.statements => {
                "the remote's count of articles or statements changed (written by another program)"
            }
            Some(_) => {
                return Ok(SyncReport {
                    seconds: started.elapsed().as_secs_f64(),
                    ..SyncReport::default()
                })
            }
        };
        self.forget_state()?;
        let (quads, requests) = self.fetch_all()?;
        let copied = quads.len();
        self.store.replace_everything(quads)?;
        self.record_state(&remote)?;
        Ok(SyncReport {
            rebuilt: true,
            reason,
            quads: copied,
            requests: requests + 1,
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    /// Runs `write` on the copy (after bringing it up to date) and sends
    /// what it changed to the remote. The copy is marked stale before, and
    /// recorded current only once everything arrived: a write stopped
    /// half-way, here or at the server, means a rebuild next time.
    pub fn write<T>(
        &mut self,
        write: impl FnOnce(&GraphStore) -> T,
    ) -> Result<(T, PushReport), RemoteError> {
        self.sync(false)?;
        let dialect = self.dialect()?.clone();
        // Refused before anything is written when the server cannot.
        let method = push::write_method(&self.endpoint, &dialect)?;
        let mut before = push::Snapshot::take(&self.store)?;
        if !self.remote_has_ontology()? {
            // The copy put its compiled-in ontology in; the remote lacks it.
            before.forget(&GraphName::NamedNode(vocab::ontology_graph()));
        }
        self.forget_state()?;
        if method == push::WriteMethod::BulkLoad {
            // What the bulk loader is sent, kept as written (see `bulk`).
            self.store.start_write_log(WRITE_LOG_BYTES);
        }
        let outcome = write(&self.store);
        let written = self.store.take_write_log();
        let report = push::push(
            &self.endpoint,
            &dialect,
            method,
            &self.store,
            before,
            &written,
        )?;
        if !dialect.triple_terms {
            // The server has none; a copy made from it would have none.
            self.store.drop_reifications()?;
        }
        let state = self.remote_state()?;
        self.record_state(&state)?;
        Ok((outcome, report))
    }

    /// Sends a SPARQL update as it is (the default graph named in its
    /// data mapped to the entities graph), then a new marker.
    pub fn update(&mut self, text: &str) -> Result<(), RemoteError> {
        self.forget_state()?;
        self.endpoint.update(text, super::Retry::Once)?;
        push::replace_marker(&self.endpoint)
    }

    /// Whether the remote holds the ontology version the copy holds.
    fn remote_has_ontology(&self) -> Result<bool, RemoteError> {
        let graph = GraphName::NamedNode(vocab::ontology_graph());
        let digest = vocab::sg("ontologyDigest");
        let local = self.store.graph_quads(&graph)?;
        let Some(marker) = local.iter().find(|q| q.predicate == digest) else {
            return Ok(false);
        };
        let query = format!(
            "ASK {{ GRAPH <{}> {{ {} {} {} }} }}",
            vocab::ontology_graph().as_str(),
            marker.subject,
            marker.predicate,
            marker.object
        );
        match self.endpoint.query(&query, false)? {
            QueryResults::Boolean(present) => Ok(present),
            _ => Err(RemoteError::Answer("an ASK answered no boolean".into())),
        }
    }

    fn remote_state(&self) -> Result<RemoteState, RemoteError> {
        let meta = META_GRAPH.as_str();
        let generation = vocab::sg("generation");
        let generation = generation.as_str();
        let digest = term::SG_CONTENT_DIGEST.as_str();
        let certainty = term::SG_CERTAINTY.as_str();
        let rows = self.endpoint.select(&format!(
            "SELECT ?marker ?articles ?statements WHERE {{ \
             {{ SELECT (COUNT(*) AS ?articles) WHERE {{ GRAPH ?g {{ ?a <{digest}> ?d }} }} }} \
             {{ SELECT (COUNT(*) AS ?statements) WHERE {{ GRAPH ?g {{ ?s <{certainty}> ?c }} }} }} \
             OPTIONAL {{ GRAPH <{meta}> {{ <{meta}> <{generation}> ?marker }} }} }}"
        ))?;
        let row = rows.first();
        let count = |name: &str| match row.and_then(|r| r.get(name)) {
            Some(Term::Literal(l)) => l.value().parse().ok(),
            _ => None,
        };
        let (Some(articles), Some(statements)) = (count("articles"), count("statements")) else {
            return Err(RemoteError::Answer(format!(
                "{} did not answer the counts of articles and statements asked for",
                self.endpoint.config().query
            )));
        };
        let marker = match row.and_then(|r| r.get("marker")) {
            Some(Term::Literal(l)) => Some(l.value().to_owned()),
            _ => None,
        };
        Ok(RemoteState {
            marker,
            articles,
            statements,
        })
    }

    /// Every quad of storygraph's graphs: the article graphs (those naming
    /// their own content digest) and the entities, ontology and editorial
    /// graphs, a few graphs per query (`VALUES`), so each page is an index
    /// range and no page scans what earlier pages read.
    fn fetch_all(&self) -> Result<(Vec<Quad>, usize), RemoteError> {
        let digest = term::SG_CONTENT_DIGEST.as_str();
        let rows = self.endpoint.select(&format!(
            "SELECT ?g WHERE {{ GRAPH ?g {{ ?g <{digest}> ?d }} }}"
        ))?;
        let mut graphs: Vec<NamedNode> = vec![
            ENTITIES_GRAPH.into_owned(),
            vocab::ontology_graph(),
            NamedNode::new_unchecked(vocab::EDITORIAL_GRAPH),
        ];
        graphs.extend(rows.iter().filter_map(|row| match row.get("g") {
            Some(Term::NamedNode(g)) => Some(g.clone()),
            _ => None,
        }));
        let mut quads = Vec::new();
        let mut requests = 1;
        for batch in graphs.chunks(GRAPHS_PER_QUERY) {
            let values: Vec<String> = batch.iter().map(|g| format!("<{}>", g.as_str())).collect();
            let pattern = format!(
                "VALUES ?g {{ {} }} GRAPH ?g {{ ?s ?p ?o }}",
                values.join(" ")
            );
            requests += self.fetch_pages(&pattern, &mut quads)?;
        }
        Ok((quads, requests))
    }

    /// The quads `pattern` binds (`?g ?s ?p ?o`), a page at a time until a
    /// page is empty. Pages without ORDER BY are cheap but their order is
    /// the server's: OFFSET pages always add up to the number of rows, so
    /// an order that moved between pages shows as a row seen twice; then
    /// once more, ordered. Returns the requests made.
    fn fetch_pages(&self, pattern: &str, quads: &mut Vec<Quad>) -> Result<usize, RemoteError> {
        let mut requests = 0;
        for order in ["", "ORDER BY ?g ?s ?p ?o"] {
            let mut seen = HashSet::new();
            let mut found = Vec::new();
            let mut rows_total = 0u64;
            loop {
                let query = format!(
                    "SELECT ?g ?s ?p ?o WHERE {{ {pattern} }} {order} LIMIT {PAGE_ROWS} OFFSET {rows_total}"
                );
                requests += 1;
                let QueryResults::Solutions(solutions) = self.endpoint.query(&query, false)? else {
                    return Err(RemoteError::Answer("a SELECT answered no solutions".into()));
                };
                let mut rows = 0u64;
                for solution in solutions {
                    let solution = solution.map_err(|e| RemoteError::Answer(e.to_string()))?;
                    rows += 1;
                    let Some(quad) = row_quad(&solution) else {
                        continue;
                    };
                    if seen.insert(quad.clone()) {
                        found.extend(local_quad(quad));
                    }
                }
                rows_total += rows;
                // A server may cap a page below what was asked
                // (Virtuoso's ResultSetMaxRows): only an empty page ends.
                if rows == 0 {
                    break;
                }
            }
            if seen.len() as u64 == rows_total {
                quads.append(&mut found);
                return Ok(requests);
            }
        }
        Err(RemoteError::Answer(format!(
            "{} changed while it was copied (a quad came twice even in ORDER BY pages); run the command again",
            self.endpoint.config().query
        )))
    }

    fn recorded_state(&self) -> Option<RemoteState> {
        let text = std::fs::read_to_string(&self.state_path).ok()?;
        let mut lines = text.lines();
        let marker = lines.next()?;
        let articles = lines.next()?.parse().ok()?;
        let statements = lines.next()?.parse().ok()?;
        Some(RemoteState {
            marker: (!marker.is_empty()).then(|| marker.to_owned()),
            articles,
            statements,
        })
    }

    fn record_state(&self, state: &RemoteState) -> Result<(), RemoteError> {
        let text = format!(
            "{}\n{}\n{}\n",
            state.marker.as_deref().unwrap_or(""),
            state.articles,
            state.statements
        );
        self.store.flush()?;
        std::fs::write(&self.state_path, text).map_err(|source| RemoteError::ReplicaFile {
            path: self.state_path.clone(),
            source,
        })
    }

    fn forget_state(&self) -> Result<(), RemoteError> {
        match std::fs::remove_file(&self.state_path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(RemoteError::ReplicaFile {
                path: self.state_path.clone(),
                source: e,
            }),
            _ => Ok(()),
        }
    }
}

/// A row `?g ?s ?p ?o` as a quad (blank-node graph names are not kept).
fn row_quad(solution: &oxigraph::sparql::QuerySolution) -> Option<Quad> {
    let Some(Term::NamedNode(graph)) = solution.get("g") else {
        return None;
    };
    let subject = match solution.get("s")? {
        Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n.clone()),
        Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b.clone()),
        _ => return None,
    };
    let Term::NamedNode(predicate) = solution.get("p")? else {
        return None;
    };
    let object = solution.get("o")?.clone();
    Some(Quad::new(subject, predicate.clone(), object, graph.clone()))
}

/// A remote quad as the copy keeps it: the entities graph is the local
/// default graph; the marker is not kept.
fn local_quad(mut quad: Quad) -> Option<Quad> {
    match &quad.graph_name {
        GraphName::NamedNode(g) if g.as_ref() == META_GRAPH => return None,
        GraphName::NamedNode(g) if g.as_ref() == ENTITIES_GRAPH => {
            quad.graph_name = GraphName::DefaultGraph;
        }
        _ => {}
    }
    Some(quad)
}

/// The remote graph a local graph is kept in.
pub(super) fn remote_graph(graph: &GraphName) -> NamedNode {
    match graph {
        GraphName::NamedNode(name) => name.clone(),
        _ => ENTITIES_GRAPH.into_owned(),
    }
}
