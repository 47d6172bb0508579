//! The store: an Oxigraph `Store` on disk (RocksDB) or in memory, and every
//! read and write storygraph makes to it.
//!
//! **Invariant:** only this module touches `oxigraph::store::Store`. Writes
//! are atomic: one call of [`GraphStore::write`] commits everything or
//! nothing. Queries see the union of all graphs unless asked otherwise.

mod records;
mod resolve;
mod snapshot;
mod sparql;
mod stats;

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfParseError, RdfParser, RdfSerializer};
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use oxigraph::store::{StorageError, Store};

pub use records::{ArticleDate, EntityRecord, StatementRecord};
pub use resolve::{Resolution, Resolver};
pub use snapshot::ProjectionRecords;
pub use sparql::{check_syntax, QueryError, QueryOptions, SparqlKind};
pub use stats::{ArticleSummary, Stats};

use crate::mapping::{MappedArticle, MappedDocument};
use crate::ontology::{self, Ontology};
use crate::vocab::{self, term};

/// Memory the bulk loader may use per thread (its default is about 2 GB).
const BULK_LOADER_MEGABYTES: usize = 256;

/// An open store. Clones share the same underlying store.
#[derive(Clone)]
pub struct GraphStore {
    store: Store,
    location: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store at {}: another process is using it (RocksDB holds its lock); close that process, or pass --store DIR to use another store", path.display())]
    Locked { path: PathBuf },
    #[error("cannot open the store at {}: {source}; if it is not a storygraph store, pass --store DIR to use another directory", path.display())]
    Open { path: PathBuf, source: StorageError },
    #[error("cannot create the store directory {}: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("store error: {0}")]
    Storage(#[from] StorageError),
}

/// A SPARQL query or update that could not run.
/// What one write did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteOutcome {
    /// Articles written (new or replaced).
    pub written: usize,
    /// Articles skipped because the store already holds this exact version.
    pub unchanged: usize,
    /// Quads written.
    pub quads: usize,
}

/// A file of RDF to load as background knowledge.
pub struct RdfInput {
    pub format: RdfFormat,
    pub quads: Vec<Quad>,
}

impl GraphStore {
    /// Opens (or creates) the store in `path`.
    pub fn open(path: &Path) -> Result<GraphStore, StoreError> {
        std::fs::create_dir_all(path).map_err(|source| StoreError::CreateDir {
            path: path.to_owned(),
            source,
        })?;
        let store = Store::open(path).map_err(|source| {
            if source.to_string().to_lowercase().contains("lock") {
                StoreError::Locked {
                    path: path.to_owned(),
                }
            } else {
                StoreError::Open {
                    path: path.to_owned(),
                    source,
                }
            }
        })?;
        let store = GraphStore {
            store,
            location: Some(path.to_owned()),
        };
        store.ensure_ontology()?;
        Ok(store)
    }

    /// A throwaway store in memory.
    pub fn memory() -> Result<GraphStore, StoreError> {
        let store = GraphStore {
            store: Store::new()?,
            location: None,
        };
        store.ensure_ontology()?;
        Ok(store)
    }

    /// Where the store lives, or `None` in memory.
    pub fn location(&self) -> Option<&Path> {
        self.location.as_deref()
    }

    /// Loads the compiled-in ontology unless this exact version is there.
    fn ensure_ontology(&self) -> Result<(), StorageError> {
        let graph = vocab::ontology_graph();
        let digest_property = vocab::sg("ontologyDigest");
        let digest = Literal::new_simple_literal(format!(
            "{:016x}",
            crate::hash::fnv1a(ontology::TURTLE.as_bytes())
        ));
        let marker = Quad::new(graph.clone(), digest_property, digest, graph.clone());
        if self.store.contains(&marker)? {
            return Ok(());
        }
        self.new_generation();
        let mut tx = self.store.start_transaction()?;
        tx.clear_graph(graph.as_ref())?;
        tx.extend(Ontology::get().quads());
        tx.insert(&marker);
        tx.commit()
    }

    /// A resolver of entity ids against this store.
    pub fn resolver(&self) -> Resolver<'_> {
        Resolver::new(self)
    }

    /// Writes documents, background RDF, and the entity merges the resolver
    /// decided (absorbed IRI, canonical IRI), atomically. Re-written
    /// articles replace their old version; unchanged ones (same content
    /// digest) are left as they are.
    pub fn write(
        &self,
        documents: &[MappedDocument],
        rdf: &[RdfInput],
        merges: &[(NamedNode, NamedNode)],
    ) -> Result<WriteOutcome, StorageError> {
        let mut outcome = WriteOutcome::default();
        let mut articles: Vec<&MappedArticle> = Vec::new();
        let mut replacing = false;
        let mut graphs = HashSet::new();
        // The last version of an article in the batch wins.
        for article in documents.iter().flat_map(|d| &d.articles).rev() {
            if !graphs.insert(&article.graph) {
                continue;
            }
            if self.store.contains(&article.digest)? {
                outcome.unchanged += 1;
                continue;
            }
            replacing |= self.store.contains_named_graph(article.graph.as_ref())?;
            articles.push(article);
        }
        articles.reverse();
        // Documents of one batch often declare the same entities again.
        let mut seen: HashSet<&Quad> = HashSet::new();
        let entity_quads: Vec<&Quad> = documents
            .iter()
            .flat_map(|d| &d.entity_quads)
            .filter(|q| seen.insert(q))
            .collect();
        if articles.is_empty() && rdf.is_empty() && merges.is_empty() {
            let mut known = true;
            for quad in &entity_quads {
                known &= self.store.contains(*quad)?;
            }
            if known {
                // Nothing new: the store, and its generation, stay as they are.
                return Ok(outcome);
            }
        }
        // A write of articles and entities can extend the projection's
        // snapshot by a delta instead of making it stale.
        let snapshot_from = if merges.is_empty() && rdf.is_empty() {
            self.current_snapshot_generation()
        } else {
            None
        };
        let generation = self.new_generation();
        let extend_snapshot = |entity_quads: &[&Quad]| {
            if let (Some(from), Some(to)) = (&snapshot_from, &generation) {
                self.append_snapshot_delta(from, to, &articles, entity_quads);
            }
        };
        let article_quads = || articles.iter().flat_map(|a| &a.quads);
        let rdf_quads = || rdf.iter().flat_map(|r| &r.quads);
        outcome.written = articles.len();
        outcome.quads = entity_quads.len() + article_quads().count() + rdf_quads().count();
        if !replacing && merges.is_empty() {
            // New articles only: the bulk loader is faster and still atomic.
            let mut loader = self
                .store
                .bulk_loader()
                .with_max_memory_size_in_megabytes(BULK_LOADER_MEGABYTES);
            loader.load_quads(
                entity_quads
                    .iter()
                    .copied()
                    .chain(article_quads())
                    .chain(rdf_quads())
                    .cloned(),
            )?;
            loader.commit()?;
            extend_snapshot(&entity_quads);
            return Ok(outcome);
        }
        // Replacing an article writes only the difference between its old
        // and new quads: RocksDB pays for every write, unchanged ones too.
        let mut tx = self.store.start_transaction()?;
        for article in &articles {
            let old: HashSet<Quad> = tx
                .quads_for_pattern(None, None, None, Some(article.graph.as_ref().into()))
                .collect::<Result<_, _>>()?;
            let new: HashSet<&Quad> = article.quads.iter().collect();
            for quad in old.iter().filter(|q| !new.contains(q)) {
                tx.remove(quad);
            }
            tx.extend(article.quads.iter().filter(|q| !old.contains(*q)));
        }
        for quad in entity_quads.iter().copied().chain(rdf_quads()) {
            if !tx.contains(quad)? {
                tx.insert(quad);
            }
        }
        for (old, new) in merges {
            resolve::rewrite_entity(&mut tx, old.as_ref(), new.as_ref())?;
        }
        tx.commit()?;
        extend_snapshot(&entity_quads);
        Ok(outcome)
    }

    /// Moves recent writes from RocksDB's log into its tables, so the next
    /// process that opens the store does not replay them.
    pub fn flush(&self) -> Result<(), StorageError> {
        self.store.flush()
    }

    /// Whether an article with this id is in the store.
    pub fn contains_article(&self, id: &str) -> Result<bool, StorageError> {
        self.store.contains_named_graph(vocab::article(id).as_ref())
    }

    /// Writes every quad of the store (a dataset format: N-Quads, TriG).
    pub fn dump(&self, format: RdfFormat, out: impl Write) -> Result<(), std::io::Error> {
        let mut serializer = RdfSerializer::from_format(format);
        for (prefix, ns) in vocab::PREFIXES {
            serializer = serializer
                .with_prefix(*prefix, *ns)
                .map_err(std::io::Error::other)?;
        }
        let mut writer = serializer.for_writer(out);
        for quad in self.store.iter() {
            let quad = quad.map_err(std::io::Error::other)?;
            writer.serialize_quad(&quad)?;
        }
        writer.finish()?;
        Ok(())
    }

    /// Whether an entity id names an entity in the store.
    pub(crate) fn entity_with_id(
        &self,
        id: &str,
    ) -> Result<Option<NamedOrBlankNode>, StorageError> {
        let literal = Literal::new_simple_literal(id);
        self.first_subject(term::SG_ENTITY_ID, literal.as_ref().into())
    }

    fn first_subject(
        &self,
        predicate: NamedNodeRef<'_>,
        object: oxigraph::model::TermRef<'_>,
    ) -> Result<Option<NamedOrBlankNode>, StorageError> {
        self.store
            .quads_for_pattern(
                None,
                Some(predicate),
                Some(object),
                Some(GraphNameRef::DefaultGraph),
            )
            .next()
            .transpose()
            .map(|q| q.map(|q| q.subject))
    }

    fn objects(
        &self,
        subject: NamedNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Vec<Term>, StorageError> {
        self.store
            .quads_for_pattern(
                Some(subject.into()),
                Some(predicate),
                None,
                Some(GraphNameRef::DefaultGraph),
            )
            .map(|q| q.map(|q| q.object))
            .collect()
    }

    #[cfg(test)]
    pub(crate) fn contains(&self, quad: oxigraph::model::QuadRef<'_>) -> bool {
        self.store.contains(quad).unwrap_or(false)
    }
}

/// Parses an RDF file for background knowledge. Blank nodes are renamed so
/// two files' `_:b1` stay apart; triples go to the default graph.
pub fn parse_rdf(format: RdfFormat, bytes: &[u8]) -> Result<RdfInput, RdfParseError> {
    let quads = RdfParser::from_format(format)
        .rename_blank_nodes()
        .for_slice(bytes)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RdfInput { format, quads })
}

#[cfg(test)]
pub(crate) mod tests;
