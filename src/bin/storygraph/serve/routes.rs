//! What each resource answers: `/sparql` (SPARQL 1.1 Protocol), `/store`
//! (Graph Store Protocol), `/path` (paths with their evidence, the
//! `path --format json` document) and `/` (what is where). A request comes
//! in as plain parts, so the handlers know nothing of the HTTP library.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, Triple};
use storygraph::deadline::{run_within, CancellationToken};
use storygraph::graph::Projection;
use storygraph::render::results::{write_results, TableOptions};
use storygraph::render::{PathFormat, ResultsFormat};
use storygraph::store::{GraphStore, QueryOptions, ServiceClient};
use storygraph::{Error, Result};

use super::negotiate::{self, Kind};
use super::protocol::{self, Operation};
use super::reply::Reply;
use crate::commands::{explore, sparql};

/// A request, read off the wire.
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query_string: &'a str,
    pub content_type: Option<&'a str>,
    pub accept: Option<&'a str>,
    pub body: &'a [u8],
}

/// A projection, with the store generation and the count of this
/// server's writes it was built at.
type Built = (Option<String>, u64, Arc<Projection>);

/// What every worker shares: the store, the settings, the projection.
pub struct Service {
    pub store: GraphStore,
    read_write: bool,
    timeout: Duration,
    services: Option<Arc<dyn ServiceClient>>,
    /// The path projection and the store generation it was built at,
    /// built on the first `/path` and again after a write.
    projection: Mutex<Option<Built>>,
    /// Writes made through this server (a store in memory has no
    /// generation token to tell them).
    writes: std::sync::atomic::AtomicU64,
}

impl Service {
    pub fn new(
        store: GraphStore,
        read_write: bool,
        timeout: Duration,
        services: Option<Arc<dyn ServiceClient>>,
    ) -> Service {
        Service {
            store,
            read_write,
            timeout,
            services,
            projection: Mutex::new(None),
            writes: 0.into(),
        }
    }

    pub fn handle(&self, request: &Request<'_>) -> Reply {
        match request.path {
            "/sparql" | "/query" => self.sparql(request),
            "/store" => self.graph_store(request),
            "/path" => self.path(request),
            "/" => index(request),
            other => Reply::new(
                404,
                format!("nothing at {other}; the server answers /sparql, /store and /path"),
            ),
        }
    }

    fn wrote(&self) {
        self.writes
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    fn sparql(&self, request: &Request<'_>) -> Reply {
        let operation = match protocol::sparql_operation(
            request.method,
            request.query_string,
            request.content_type,
            request.body,
        ) {
            Ok(operation) => operation,
            Err(reply) => return reply,
        };
        let format = protocol::one(
            &protocol::parameters(request.query_string.as_bytes()),
            "format",
        )
        .ok()
        .flatten();
        let token = CancellationToken::new();
        let options = QueryOptions {
            cancellation: Some(token.clone()),
            services: self.services.clone(),
            ..QueryOptions::default()
        };
        match operation {
            Operation::Query { text, dataset } => {
                let options = QueryOptions { dataset, ..options };
                // The deadline covers evaluation and writing: results are
                // lazy, so most of a query's work happens as they are written.
                let mut chosen = None;
                let mut refused = None;
                let reply = Reply::written("", |out| {
                    run_within(Some(self.timeout), &token, || {
                        let results = self
                            .store
                            .query(&text, &options)
                            .map_err(|e| sparql::with_caret(&text, e))?;
                        let kind = match results {
                            oxigraph::sparql::QueryResults::Graph(_) => Kind::Graph,
                            _ => Kind::Solutions,
                        };
                        let format =
                            match negotiate::choose(request.accept, format.as_deref(), kind) {
                                Ok(format) => format,
                                Err(refusal) => {
                                    let message = refusal.message.clone();
                                    refused = Some(refusal);
                                    return Err(Error::Usage(message));
                                }
                            };
                        chosen = Some(format);
                        write_results(results, format, out, &TableOptions::default())?;
                        Ok(())
                    })
                });
                match (chosen, refused) {
                    (_, Some(refusal)) => refusal,
                    (Some(format), None) if reply.status == 200 => Reply {
                        content_type: content_type(format),
                        ..reply
                    },
                    _ => reply,
                }
            }
            Operation::Update { text } => {
                if !self.read_write {
                    return Reply::read_only("a SPARQL update is");
                }
                let done = run_within(Some(self.timeout), &token, || {
                    self.store
                        .update(&text, &options)
                        .map_err(|e| sparql::with_caret(&text, e))?;
                    Ok(self.store.flush()?)
                });
                self.wrote();
                match done {
                    Ok(()) => Reply::no_content(),
                    Err(e) => Reply::error(&e),
                }
            }
        }
    }

    fn graph_store(&self, request: &Request<'_>) -> Reply {
        let parameters = protocol::parameters(request.query_string.as_bytes());
        let graph = match (
            protocol::one(&parameters, "graph"),
            parameters.iter().any(|(n, _)| n == "default"),
        ) {
            (Err(reply), _) => return reply,
            (Ok(Some(_)), true) => {
                return Reply::bad_request("name one graph: ?graph=IRI or ?default, not both")
            }
            (Ok(Some(iri)), false) => match protocol::graph_iri("graph", &iri) {
                Ok(name) => GraphName::NamedNode(name),
                Err(reply) => return reply,
            },
            (Ok(None), true) => GraphName::DefaultGraph,
            (Ok(None), false) => {
                return Reply::bad_request(
                    "name the graph: /store?graph=IRI (an article's graph is its IRI, art:ID) or /store?default",
                )
            }
        };
        let format = protocol::one(&parameters, "format").ok().flatten();
        match request.method {
            "GET" | "HEAD" => self.read_graph(&graph, request.accept, format.as_deref()),
            "PUT" | "POST" => self.write_graph(&graph, request, request.method == "PUT"),
            "DELETE" => {
                if !self.read_write {
                    return Reply::read_only("DELETE is");
                }
                let deleted = self.store.delete_graph(&graph);
                self.wrote();
                match deleted {
                    Ok(true) => Reply::no_content(),
                    Ok(false) => Reply::new(404, format!("there is no graph {graph}")),
                    Err(e) => Reply::error(&e.into()),
                }
            }
            other => Reply::method_not_allowed(other, "GET, HEAD, PUT, POST, DELETE, OPTIONS"),
        }
    }

    fn read_graph(&self, graph: &GraphName, accept: Option<&str>, format: Option<&str>) -> Reply {
        match self.store.has_graph(graph) {
            Ok(true) => {}
            Ok(false) => return Reply::new(404, format!("there is no graph {graph}")),
            Err(e) => return Reply::error(&e.into()),
        }
        let format = match negotiate::choose(accept, format, Kind::Graph) {
            Ok(format) => format,
            Err(reply) => return reply,
        };
        let Ok(rdf_format) = storygraph::render::results::graph_format(format) else {
            return Reply::new(406, format!("{format} is not a graph format"));
        };
        Reply::written(&content_type(format), |out| {
            self.store
                .write_graph(graph, rdf_format, out)
                .map_err(|e| Error::io("writing the graph", e))
        })
    }

    fn write_graph(&self, graph: &GraphName, request: &Request<'_>, replace: bool) -> Reply {
        if !self.read_write {
            return Reply::read_only(&format!("{} is", request.method));
        }
        let media = request
            .content_type
            .map(protocol::media_type)
            .unwrap_or_default();
        let Some(rdf_format) = RdfFormat::from_media_type(&media) else {
            return Reply::new(
                415,
                format!("Content-Type {media:?} is not an RDF format; send text/turtle, application/n-triples, application/rdf+xml or application/ld+json"),
            );
        };
        let input = match storygraph::store::parse_rdf(rdf_format, request.body) {
            Ok(input) => input,
            Err(e) => return Reply::bad_request(format!("the {media} body does not parse: {e}")),
        };
        let mut triples = Vec::with_capacity(input.quads.len());
        for quad in input.quads {
            if !quad.graph_name.is_default_graph() {
                return Reply::bad_request(format!(
                    "the body names the graph {}; a Graph Store request writes one graph, named by ?graph",
                    quad.graph_name
                ));
            }
            triples.push(Triple::from(quad));
        }
        let written = self.store.put_graph(graph, triples, replace);
        self.wrote();
        match written.and_then(|created| self.store.flush().map(|()| created)) {
            Ok(true) => Reply::new(201, format!("created {graph}")),
            Ok(false) => Reply::no_content(),
            Err(e) => Reply::error(&e.into()),
        }
    }

    fn path(&self, request: &Request<'_>) -> Reply {
        if !matches!(request.method, "GET" | "HEAD") {
            return Reply::method_not_allowed(request.method, "GET, HEAD, OPTIONS");
        }
        let parameters = protocol::parameters(request.query_string.as_bytes());
        let args = match super::path_args::parse(&parameters) {
            Ok(args) => args,
            Err(reply) => return reply,
        };
        let media = match args.options.format {
            PathFormat::Json => "application/json",
            PathFormat::Text => "text/plain; charset=utf-8",
            PathFormat::Dot => "text/vnd.graphviz; charset=utf-8",
        };
        let token = CancellationToken::new();
        Reply::written(media, |out| {
            run_within(Some(self.timeout), &token, || {
                let projection = self.projection(&token)?;
                explore::path(&projection, &args, &token, out).map(|_| ())
            })
        })
    }

    /// The projection of the store as it is now.
    fn projection(&self, token: &CancellationToken) -> Result<Arc<Projection>> {
        let generation = self.store.generation();
        let writes = self.writes.load(std::sync::atomic::Ordering::SeqCst);
        // One build at a time; other requests wait for it rather than
        // build their own.
        let mut cached = self
            .projection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((built_at, built_after, projection)) = cached.as_ref() {
            if *built_at == generation && *built_after == writes {
                return Ok(projection.clone());
            }
        }
        let projection = Arc::new(explore::projection_until(&self.store, token)?);
        *cached = Some((generation, writes, projection.clone()));
        Ok(projection)
    }
}

fn content_type(format: ResultsFormat) -> String {
    let media = negotiate::media_type_of(format);
    if media.starts_with("text/") || media.ends_with("json") || media.ends_with("xml") {
        format!("{media}; charset=utf-8")
    } else {
        media.to_owned()
    }
}

fn index(request: &Request<'_>) -> Reply {
    if !matches!(request.method, "GET" | "HEAD") {
        return Reply::method_not_allowed(request.method, "GET, HEAD");
    }
    Reply::bytes(
        200,
        "text/plain; charset=utf-8",
        concat!(
            "storygraph serve\n\n",
            "/sparql  SPARQL 1.1 Protocol: ?query=... by GET, or POST (form, application/sparql-query,\n",
            "         application/sparql-update with --read-write); results by Accept or ?format=\n",
            "/store   Graph Store Protocol: ?graph=IRI or ?default; GET, and PUT/POST/DELETE with --read-write\n",
            "/path    ?from=NAME&to=NAME[&k=N&directed=true&min-certainty=reported&format=json|text|dot]:\n",
            "         the paths between two entities, every hop with its evidence (the `path --format json` document)\n",
        )
        .as_bytes()
        .to_vec(),
    )
}
