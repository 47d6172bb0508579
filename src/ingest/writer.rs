//! Writing what an ingest read: a stream's documents gathered in batches,
//! and the writer that resolves, maps and writes them, keeping the run's
//! counts.

use std::collections::HashSet;

use super::{IngestError, IngestReport};
use crate::mapping::{self, MappedDocument};
use crate::model::Document;
use crate::store::{GraphStore, PendingLoad, RdfInput, Resolver};

/// The documents of a stream waiting to be written together.
#[derive(Default)]
pub(super) struct Batch {
    documents: Vec<Document>,
    facts: usize,
    /// Some document replaces an article already in the store.
    replaces: bool,
}

impl Batch {
    pub(super) fn push(&mut self, doc: Document, replaces: bool) {
        self.facts += doc.articles.iter().map(|a| a.facts.len()).sum::<usize>();
        self.replaces |= replaces;
        self.documents.push(doc);
    }

    /// Whether the batch is due for writing. Replacing goes through a
    /// transaction, which holds its writes in memory: smaller batches
    /// stay fast.
    pub(super) fn is_full(&self, batch_facts: Option<usize>) -> bool {
        let new_limit = batch_facts.unwrap_or(STREAM_BATCH_FACTS);
        let limit = if self.replaces {
            new_limit.min(REPLACE_BATCH_FACTS)
        } else {
            new_limit
        };
        self.facts >= limit
    }

    /// The documents, leaving the batch empty.
    pub(super) fn take(&mut self) -> Vec<Document> {
        std::mem::take(self).documents
    }
}

/// How many facts of a stream go into one write of new articles (bulk
/// loader) and into one write that replaces articles (transaction). Small
/// enough that a batch's memory is reused by the next (at 50,000 facts a
/// 100k ingest peaked at 1.4 GB and was slower for the fresh pages).
const STREAM_BATCH_FACTS: usize = 10_000;
const REPLACE_BATCH_FACTS: usize = 2_000;

/// Resolves, maps and writes batches of documents, keeping the run's counts.
pub(super) struct Writer<'s> {
    pub(super) store: &'s GraphStore,
    pub(super) resolver: Resolver<'s>,
    pub(super) report: IngestReport,
    pub(super) entity_ids: HashSet<String>,
    /// The streams' new articles, in the store once committed (at the end,
    /// at a bad unit, or before a write that replaces or merges).
    pub(super) pending: PendingLoad<'s>,
}

impl Writer<'_> {
    /// Writes `docs` and `rdf` at once, or, for a stream (`streamed`), adds
    /// the new articles of `docs` to the pending load.
    pub(super) fn write(
        &mut self,
        docs: &[Document],
        rdf: &[RdfInput],
        streamed: bool,
    ) -> Result<(), IngestError> {
        if docs.is_empty() && rdf.is_empty() {
            return Ok(());
        }
        self.resolver.resolve(docs)?;
        let merges = self.resolver.take_merges();
        let mapped: Vec<MappedDocument> = docs
            .iter()
            .map(|doc| mapping::map_document(doc, self.resolver.resolution()))
            .collect();
        let outcome = if streamed {
            self.store
                .write_pending(&mut self.pending, &mapped, &merges)?
        } else {
            self.store.write(&mapped, rdf, &merges)?
        };
        let report = &mut self.report;
        report.unchanged += outcome.unchanged;
        report.triples += outcome.quads;
        for (doc, mapped) in docs.iter().zip(&mapped) {
            report.articles += doc.articles.len();
            report.facts += mapped.articles.iter().map(|a| a.facts).sum::<usize>();
            for entity in &doc.entities {
                if self.entity_ids.insert(entity.id.clone()) {
                    report.entities += 1;
                }
            }
        }
        Ok(())
    }

    /// Commits the pending load.
    pub(super) fn commit(&mut self) -> Result<(), IngestError> {
        Ok(self.store.commit_pending(&mut self.pending)?)
    }
}
