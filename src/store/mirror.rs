//! What a local copy of a remote store (`remote::Replica`) needs of the
//! store: the state of every graph before and after a write, so only the
//! difference travels, and a whole reload when the remote changed.

use std::collections::{HashMap, HashSet};

use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::StorageError;

use super::GraphStore;
use crate::vocab::term;

impl GraphStore {
    /// Every quad of one graph.
    pub fn graph_quads(&self, graph: &GraphName) -> Result<Vec<Quad>, StorageError> {
        self.store
            .quads_for_pattern(None, None, None, Some(graph.as_ref()))
            .collect()
    }

    /// Every quad of one graph, as a set.
    pub fn graph_quad_set(&self, graph: &GraphName) -> Result<HashSet<Quad>, StorageError> {
        self.store
            .quads_for_pattern(None, None, None, Some(graph.as_ref()))
            .collect()
    }

    /// The names of the named graphs (blank-node names are not kept).
    pub fn named_graphs(&self) -> Result<Vec<NamedNode>, StorageError> {
        let mut names = Vec::new();
        for graph in self.store.named_graphs() {
            if let NamedOrBlankNode::NamedNode(name) = graph? {
                names.push(name);
            }
        }
        Ok(names)
    }

    /// Each article graph's content digest (`sg:contentDigest`), by graph.
    pub fn article_digests(&self) -> Result<HashMap<NamedNode, String>, StorageError> {
        let mut digests = HashMap::new();
        for quad in self
            .store
            .quads_for_pattern(None, Some(term::SG_CONTENT_DIGEST), None, None)
        {
            let quad = quad?;
            if let (
                GraphName::NamedNode(graph),
                NamedOrBlankNode::NamedNode(subject),
                Term::Literal(digest),
            ) = (&quad.graph_name, &quad.subject, &quad.object)
            {
                if graph == subject {
                    digests.insert(graph.clone(), digest.value().to_owned());
                }
            }
        }
        Ok(digests)
    }

    /// Replaces everything in the store by `quads` (cleared, then bulk
    /// loaded: not one transaction, so the caller marks the copy stale
    /// first),
    /// then puts the compiled-in ontology back if the quads lacked it.
    pub fn replace_everything(&self, quads: Vec<Quad>) -> Result<(), StorageError> {
        self.new_generation();
        self.store.clear()?;
        let mut loader = self.new_bulk_loader();
        loader.load_quads(quads)?;
        loader.commit()?;
        self.ensure_ontology()?;
        self.store.flush()
    }
}
