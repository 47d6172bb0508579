//! The store: an Oxigraph `Store` on disk (RocksDB) or in memory, and every
//! read and write storygraph makes to it.
//!
//! **Invariant:** only this module touches `oxigraph::store::Store`. Writes
//! are atomic: one call of [`GraphStore::write`] commits everything or
//! nothing. Queries see the union of all graphs unless asked otherwise.

mod editorial;
mod graphs;
mod mirror;
pub mod nesting;
mod open;
mod records;
mod remove;
mod resolve;
mod snapshot;
mod sparql;
mod stats;
mod terms;
mod write;
mod write_log;

use std::io::Write;
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfParseError, RdfParser, RdfSerializer};
use oxigraph::model::{GraphNameRef, Literal, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use oxigraph::store::{StorageError, Store};

pub use editorial::Merge;
pub use records::{ArticleDate, EntityRecord, StatementRecord};
pub use remove::RemoveReport;
pub use resolve::{Resolution, Resolver};
pub use snapshot::{ProjectionRecords, Written};
pub use sparql::{
    check_syntax, ProtocolDataset, QueryError, QueryOptions, ServiceClient, SparqlKind, UnknownTerm,
};
pub use stats::{ArticleSummary, Stats};
pub use terms::TermDescription;
pub use write::{PendingLoad, WriteOutcome};
pub use write_log::{push_article_nquads, WrittenArticles};

use crate::keyword::keyword_enum;
use crate::ontology::{self, Ontology};
use crate::vocab::{self, term};

/// An open store. Clones share the same underlying store.
#[derive(Clone)]
pub struct GraphStore {
    store: Store,
    location: Option<PathBuf>,
    /// Held while the store is open on disk (see `open.rs`).
    _lock: Option<std::sync::Arc<std::fs::File>>,
    /// The articles written while a log is open (see `write_log`).
    write_log: std::sync::Arc<write_log::WriteLog>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store at {}: another storygraph process is {}; wait for it or close it (a shell holds the store until it exits), or pass --store DIR to use another store", path.display(), if *writing { "writing to it" } else { "reading it" })]
    Locked { path: PathBuf, writing: bool },
    #[error("cannot open the store at {}: {source}", path.display())]
    Open { path: PathBuf, source: StorageError },
    #[error("cannot write to the store at {}: {source}; it is as it was, and read commands (query, path, export, dump) still work on it", path.display())]
    NotWritable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("there is no store at {}: `storygraph ingest FILE...` creates it, or pass --store DIR (or set STORYGRAPH_STORE) to name another", path.display())]
    Missing { path: PathBuf },
    #[error("{} is a file, not a store directory; pass --store DIR with a directory (a new one is created on the first ingest)", path.display())]
    NotADirectory { path: PathBuf },
    #[error("{} is not a storygraph store: it holds {found}; storygraph leaves it untouched. Pass --store DIR with a new or empty directory, or a store storygraph made", path.display())]
    NotAStore { path: PathBuf, found: String },
    #[error("cannot create the store directory {}: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no article has the id \"{id}\"{}; `storygraph articles` lists them", did_you_mean.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
    NoArticle {
        id: String,
        did_you_mean: Option<String>,
    },
    #[error("store error: {0}")]
    Storage(#[from] StorageError),
}

keyword_enum! {
    /// The syntaxes a whole store is dumped in: every graph, so quad formats.
    pub enum DumpFormat {
        Nquads = "nquads",
        Trig = "trig",
    }
}

/// A file of RDF to load as background knowledge.
pub struct RdfInput {
    pub format: RdfFormat,
    pub quads: Vec<Quad>,
}

impl GraphStore {
    /// Where the store lives, or `None` in memory.
    pub fn location(&self) -> Option<&Path> {
        self.location.as_deref()
    }

    /// Loads the compiled-in ontology unless this exact version is there.
    pub(super) fn ensure_ontology(&self) -> Result<(), StorageError> {
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

    /// Moves recent writes from RocksDB's log into its tables, so the next
    /// process that opens the store does not replay them.
    pub fn flush(&self) -> Result<(), StorageError> {
        self.store.flush()
    }

    /// The predicate of the user's vocabulary declared with this id, if
    /// one is in the store.
    pub fn declared_predicate(
        &self,
        id: &str,
    ) -> Result<Option<crate::input::validate::KnownPredicate>, StorageError> {
        use crate::model::{ObjectKind, PredicateKind};
        let Some(NamedOrBlankNode::NamedNode(iri)) = self.first_subject(
            term::SG_PREDICATE_ID,
            Literal::new_simple_literal(id).as_ref().into(),
        )?
        else {
            return Ok(None);
        };
        let is = |class: NamedNodeRef<'_>| {
            self.store.contains(oxigraph::model::QuadRef::new(
                iri.as_ref(),
                term::RDF_TYPE,
                class,
                GraphNameRef::DefaultGraph,
            ))
        };
        let object = if is(term::OWL_DATATYPE_PROPERTY)? {
            ObjectKind::Value
        } else {
            ObjectKind::Entity
        };
        let symmetric = is(term::OWL_SYMMETRIC_PROPERTY)?;
        Ok(Some(crate::input::validate::KnownPredicate {
            iri,
            kind: PredicateKind {
                object,
                range: None,
                symmetric,
            },
        }))
    }

    /// The ids of every predicate documents declared.
    pub fn declared_predicate_ids(&self) -> Result<Vec<String>, StorageError> {
        let mut ids = Vec::new();
        for quad in self.store.quads_for_pattern(
            None,
            Some(term::SG_PREDICATE_ID),
            None,
            Some(GraphNameRef::DefaultGraph),
        ) {
            if let Term::Literal(id) = quad?.object {
                ids.push(id.value().to_owned());
            }
        }
        Ok(ids)
    }

    /// Whether an article with this id is in the store.
    pub fn contains_article(&self, id: &str) -> Result<bool, StorageError> {
        self.store.contains_named_graph(vocab::article(id).as_ref())
    }

    /// Writes every quad of the store (a dataset format: N-Quads, TriG).
    pub fn dump(&self, format: DumpFormat, out: impl Write) -> Result<(), std::io::Error> {
        let format = match format {
            DumpFormat::Nquads => RdfFormat::NQuads,
            DumpFormat::Trig => RdfFormat::TriG,
        };
        let mut writer = prefixed_serializer(format)?.for_writer(out);
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

/// A serializer in `format` that knows our prefixes (Turtle and TriG
/// write them; the line formats ignore them).
fn prefixed_serializer(format: RdfFormat) -> Result<RdfSerializer, std::io::Error> {
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, ns) in vocab::PREFIXES {
        serializer = serializer
            .with_prefix(*prefix, *ns)
            .map_err(std::io::Error::other)?;
    }
    Ok(serializer)
}

/// Parses an RDF file for background knowledge. Blank nodes are renamed so
/// two files' `_:b1` stay apart; triples go to the default graph.
pub fn parse_rdf(format: RdfFormat, bytes: &[u8]) -> Result<RdfInput, RdfParseError> {
    if format != RdfFormat::RdfXml {
        if let Some((line, column)) = nesting::too_deep(bytes) {
            return Err(RdfParseError::from(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "line {line}, column {column}: brackets or triple terms nest deeper than {} levels here; storygraph refuses such a file before parsing it",
                    nesting::MAX_NESTING
                ),
            )));
        }
    }
    let quads = RdfParser::from_format(format)
        .rename_blank_nodes()
        .for_slice(bytes)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RdfInput { format, quads })
}

#[cfg(test)]
pub(crate) mod tests;
