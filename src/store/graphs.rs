//! Whole graphs read and written by name: what the Graph Store Protocol
//! (`storygraph serve`, `/store`) asks of the store. Each write is one
//! transaction and marks a new generation, like a SPARQL update: the
//! projection and the search index are rebuilt from the quads next time.

use std::collections::HashSet;
use std::io::Write;

use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, GraphNameRef, Quad, Triple};
use oxigraph::store::StorageError;

use super::GraphStore;

impl GraphStore {
    /// Whether the graph exists: the default graph always does, a named
    /// graph when it holds a quad or was created.
    pub fn has_graph(&self, graph: &GraphName) -> Result<bool, StorageError> {
        match graph {
            GraphName::DefaultGraph => Ok(true),
            GraphName::NamedNode(name) => self.store.contains_named_graph(name),
            GraphName::BlankNode(name) => self.store.contains_named_graph(name),
        }
    }

    /// Writes the triples of one graph in a graph format (Turtle,
    /// N-Triples, RDF/XML, JSON-LD...), streamed: nothing is held whole.
    pub fn write_graph(
        &self,
        graph: &GraphName,
        format: RdfFormat,
        out: impl Write,
    ) -> Result<(), std::io::Error> {
        let mut writer = super::prefixed_serializer(format)?.for_writer(out);
        for quad in self
            .store
            .quads_for_pattern(None, None, None, Some(graph.as_ref()))
        {
            let quad = quad.map_err(std::io::Error::other)?;
            writer.serialize_triple(&Triple::from(quad))?;
        }
        writer.finish()?;
        Ok(())
    }

    /// Replaces the graph's triples with `triples` (Graph Store PUT), or
    /// adds them (POST) when `replace` is false. Returns whether the graph
    /// is new. One transaction: all of it or nothing.
    pub fn put_graph(
        &self,
        graph: &GraphName,
        triples: Vec<Triple>,
        replace: bool,
    ) -> Result<bool, StorageError> {
        let created = !self.has_graph(graph)?;
        let new: HashSet<Quad> = triples
            .into_iter()
            .map(|t| Quad::new(t.subject, t.predicate, t.object, graph.clone()))
            .collect();
        self.new_generation();
        let mut transaction = self.store.start_transaction()?;
        if let GraphName::NamedNode(name) = graph {
            transaction.insert_named_graph(name.as_ref());
        }
        // Only the difference is written: within one transaction a clear
        // followed by inserts of the same quads would lose them.
        if replace {
            let old: Vec<Quad> = self
                .store
                .quads_for_pattern(None, None, None, Some(graph.as_ref()))
                .collect::<Result<_, _>>()?;
            for quad in old.iter().filter(|q| !new.contains(*q)) {
                transaction.remove(quad);
            }
        }
        for quad in &new {
            transaction.insert(quad);
        }
        transaction.commit()?;
        Ok(created)
    }

    /// Removes a named graph, or empties the default graph (Graph Store
    /// DELETE). Returns whether there was one to remove.
    pub fn delete_graph(&self, graph: &GraphName) -> Result<bool, StorageError> {
        if !self.has_graph(graph)? {
            return Ok(false);
        }
        self.new_generation();
        let mut transaction = self.store.start_transaction()?;
        match graph {
            GraphName::DefaultGraph => transaction.clear_graph(GraphNameRef::DefaultGraph)?,
            GraphName::NamedNode(name) => transaction.remove_named_graph(name.as_ref())?,
            GraphName::BlankNode(name) => transaction.remove_named_graph(name.as_ref())?,
        }
        transaction.commit()?;
        Ok(true)
    }
}
