//! Writing to the store: documents, background RDF and entity merges, each
//! call atomic. New articles go through Oxigraph's bulk loader (SST files
//! built beside the store, ingested in one step); anything that replaces an
//! article or merges entities goes through one transaction that writes only
//! the difference between the old and the new quads.
//!
//! A stream of new articles (a `.jsonl` file) can share one [`PendingLoad`]
//! across its batches: the loader builds a batch's files in its threads
//! while the next batch is parsed and mapped, and the store takes all the
//! files in one ingest at the end. One ingest per batch made RocksDB fold
//! every batch's files into an ever larger store (at a million facts, most
//! of the gap to a single bulk load).

use std::collections::HashSet;
use std::hash::Hash as _;

use oxigraph::model::{NamedNode, Quad};
use oxigraph::store::{BulkLoader, StorageError};
use siphasher::sip128::{Hasher128 as _, SipHasher24};

use super::snapshot::DeltaRecords;
use super::{resolve, GraphStore};
use crate::mapping::{MappedArticle, MappedDocument};

/// The bulk loader's batch limit, in its unit (thousands of quads over
/// its threads): 256k quads per batch, above one stream write's quads
/// (`STREAM_BATCH_FACTS`, about 18 quads a fact), so that each write is one
/// batch and one SST file per index. Smaller batches made more files than
/// RocksDB ingests well; larger ones cost memory (about 1 KB a quad while a
/// batch is built). Its default is about 2 GB.
const BULK_LOADER_MEGABYTES: usize = 512;

/// The quads a pending load holds, by their 128-bit SipHash: the quads
/// themselves cost about 500 bytes each, and a stream declaring 200,000
/// entities (a label, aliases and an id each, and a `declaredIn` per
/// article) held a gigabyte of them until its commit. Oxigraph identifies
/// every string of the store by the same hash, so a collision here is no
/// likelier than one there.
#[derive(Default)]
struct LoadedQuads(HashSet<u128>);

impl LoadedQuads {
    fn digest(quad: &Quad) -> u128 {
        let mut hasher = SipHasher24::new();
        quad.hash(&mut hasher);
        hasher.finish128().as_u128()
    }

    fn contains(&self, quad: &Quad) -> bool {
        self.0.contains(&Self::digest(quad))
    }

    fn extend<'q>(&mut self, quads: impl Iterator<Item = &'q Quad>) {
        self.0.extend(quads.map(Self::digest));
    }

    fn clear(&mut self) {
        self.0.clear();
    }
}

/// What one write did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteOutcome {
    /// Articles written (new or replaced).
    pub written: usize,
    /// Articles skipped because the store already holds this exact version.
    pub unchanged: usize,
    /// Quads written (for a pending load: handed to the loader).
    pub quads: usize,
}

/// New articles loaded but not committed yet: nothing of them is in the
/// store until [`GraphStore::commit_pending`]; dropping it discards them.
/// The default holds nothing.
#[derive(Default)]
pub struct PendingLoad<'s> {
    loader: Option<BulkLoader<'s>>,
    /// The article graphs in the loader: writing one again must see it.
    graphs: HashSet<NamedNode>,
    /// The entity quads in the loader: each batch of a stream declares its
    /// entities again, and loading (and counting) them once is enough.
    entity_quads: LoadedQuads,
    /// The snapshot generation the load started from and the one it moves
    /// the store to, when the snapshot can be extended by a delta.
    generations: Option<(String, String)>,
    delta: DeltaRecords,
}

/// The articles of a write that are not in the store in this version yet.
struct Plan<'d> {
    articles: Vec<&'d MappedArticle<'d>>,
    /// Some article is in the store in another version.
    replacing: bool,
    /// The entity descriptions, each quad once.
    entity_quads: Vec<&'d Quad>,
    unchanged: usize,
}

impl Plan<'_> {
    /// The quads the plan's articles and entities write.
    fn quads(&self) -> usize {
        self.entity_quads.len() + self.articles.iter().map(|a| a.quad_count()).sum::<usize>()
    }
}

impl GraphStore {
    /// Writes documents, background RDF, and the entity merges the resolver
    /// decided (absorbed IRI, canonical IRI), atomically. Re-written
    /// articles replace their old version; unchanged ones (same content
    /// digest) are left as they are.
    pub fn write(
        &self,
        documents: &[MappedDocument],
        rdf: &[super::RdfInput],
        merges: &[(NamedNode, NamedNode)],
    ) -> Result<WriteOutcome, StorageError> {
        let plan = self.plan(documents, &LoadedQuads::default())?;
        if self.nothing_new(&plan, !rdf.is_empty() || !merges.is_empty())? {
            return Ok(WriteOutcome {
                unchanged: plan.unchanged,
                ..WriteOutcome::default()
            });
        }
        // A write of articles and entities can extend the projection's
        // snapshot by a delta instead of making it stale.
        let snapshot_from = if merges.is_empty() && rdf.is_empty() {
            self.current_snapshot_generation()
        } else {
            None
        };
        let generation = self.new_generation();
        let rdf_quads = || rdf.iter().flat_map(|r| &r.quads);
        let outcome = WriteOutcome {
            written: plan.articles.len(),
            unchanged: plan.unchanged,
            quads: plan.quads() + rdf_quads().count(),
        };
        let mut delta = snapshot_from
            .as_ref()
            .and(generation.as_ref())
            .map(|_| DeltaRecords::new(self.location()));
        if !plan.replacing && merges.is_empty() {
            // New articles only: the bulk loader is faster and still atomic.
            let mut loader = self.new_bulk_loader();
            let entity_quads = plan.entity_quads.iter().copied();
            load_articles(
                &mut loader,
                entity_quads.chain(rdf_quads()),
                &plan.articles,
                delta.as_mut(),
            )?;
            loader.commit()?;
        } else {
            self.write_difference(&plan, rdf_quads(), merges, delta.as_mut())?;
        }
        self.log_articles(&plan.articles);
        if !merges.is_empty() || !rdf.is_empty() {
            self.write_log.spoil();
        }
        if let (Some(from), Some(to), Some(mut delta)) = (&snapshot_from, &generation, delta) {
            delta.add(&plan.articles, &plan.entity_quads);
            self.append_snapshot_delta(from, to, delta);
        }
        Ok(outcome)
    }

    /// Removes every `rdf:reifies` link: for the copy of a remote store
    /// that cannot hold triple terms (Virtuoso), so that it holds what any
    /// other copy of that store holds. The projection does not read them.
    pub fn drop_reifications(&self) -> Result<usize, StorageError> {
        let reifies = Some(crate::vocab::term::RDF_REIFIES);
        let links: Vec<Quad> = self
            .store
            .quads_for_pattern(None, reifies, None, None)
            .collect::<Result<_, _>>()?;
        if !links.is_empty() {
            self.write_beside_records(|tx| {
                for link in &links {
                    tx.remove(link);
                }
                Ok(())
            })?;
        }
        Ok(links.len())
    }

    /// Like [`GraphStore::write`] for documents and merges, except that new
    /// articles go into `pending` and are in the store only once it is
    /// committed. A write that replaces an article (in the store or in
    /// `pending`) or merges entities commits `pending` first and then
    /// writes on its own, so it sees everything before it.
    pub fn write_pending<'s>(
        &'s self,
        pending: &mut PendingLoad<'s>,
        documents: &[MappedDocument],
        merges: &[(NamedNode, NamedNode)],
    ) -> Result<WriteOutcome, StorageError> {
        let plan = self.plan(documents, &pending.entity_quads)?;
        let rewrites_pending = plan
            .articles
            .iter()
            .any(|a| pending.graphs.contains(&a.graph));
        if rewrites_pending || plan.replacing || !merges.is_empty() {
            // The store stays a prefix of the stream: what came before is
            // committed before anything is replaced or merged.
            self.commit_pending(pending)?;
            return self.write(documents, &[], merges);
        }
        if self.nothing_new(&plan, false)? {
            return Ok(WriteOutcome {
                unchanged: plan.unchanged,
                ..WriteOutcome::default()
            });
        }
        let loader = match &mut pending.loader {
            Some(loader) => loader,
            None => {
                let from = self.current_snapshot_generation();
                let to = self.new_generation();
                pending.generations = from.zip(to);
                pending.delta = DeltaRecords::new(self.location());
                pending.loader.insert(self.new_bulk_loader())
            }
        };
        pending
            .entity_quads
            .extend(plan.entity_quads.iter().copied());
        let delta = pending.generations.is_some().then(|| {
            pending.delta.add(&plan.articles, &plan.entity_quads);
            &mut pending.delta
        });
        load_articles(
            loader,
            plan.entity_quads.iter().copied(),
            &plan.articles,
            delta,
        )?;
        pending
            .graphs
            .extend(plan.articles.iter().map(|a| a.graph.clone()));
        self.log_articles(&plan.articles);
        Ok(WriteOutcome {
            written: plan.articles.len(),
            unchanged: plan.unchanged,
            quads: plan.quads(),
        })
    }

    /// Puts everything `pending` holds into the store, in one step, and
    /// leaves it empty for more.
    pub fn commit_pending(&self, pending: &mut PendingLoad<'_>) -> Result<(), StorageError> {
        let Some(loader) = pending.loader.take() else {
            return Ok(());
        };
        pending.graphs.clear();
        pending.entity_quads.clear();
        let generations = pending.generations.take();
        let delta = std::mem::take(&mut pending.delta);
        loader.commit()?;
        if let Some((from, to)) = &generations {
            self.append_snapshot_delta(from, to, delta);
        }
        Ok(())
    }

    /// Keeps the quads of the articles written from now on, up to about
    /// `limit_bytes` of N-Quads, until [`GraphStore::take_write_log`].
    pub fn start_write_log(&self, limit_bytes: usize) {
        self.write_log.start(limit_bytes);
    }

    /// The articles written since [`GraphStore::start_write_log`], as
    /// written; the log is closed.
    pub fn take_write_log(&self) -> super::WrittenArticles {
        self.write_log.take()
    }

    /// Records the articles just written in the open log, if any (a large
    /// article, whose quads are made a slice at a time, is not kept).
    fn log_articles(&self, articles: &[&MappedArticle<'_>]) {
        for article in articles {
            let quads: &[Quad] = if article.is_large() {
                &[]
            } else {
                &article.quads
            };
            self.write_log.article(&article.graph, quads);
        }
    }

    pub(super) fn new_bulk_loader(&self) -> BulkLoader<'_> {
        self.store
            .bulk_loader()
            .with_max_memory_size_in_megabytes(BULK_LOADER_MEGABYTES)
    }

    /// What of `documents` to write; entity quads in `loaded` (a pending
    /// load's) are left out, as written already.
    fn plan<'d>(
        &self,
        documents: &'d [MappedDocument<'d>],
        loaded: &LoadedQuads,
    ) -> Result<Plan<'d>, StorageError> {
        let mut plan = Plan {
            articles: Vec::new(),
            replacing: false,
            entity_quads: Vec::new(),
            unchanged: 0,
        };
        let mut graphs = HashSet::new();
        // The last version of an article in the batch wins.
        for article in documents.iter().flat_map(|d| &d.articles).rev() {
            if !graphs.insert(&article.graph) {
                continue;
            }
            if self.store.contains(&article.digest)? {
                plan.unchanged += 1;
                continue;
            }
            plan.replacing |= self.store.contains_named_graph(article.graph.as_ref())?;
            plan.articles.push(article);
        }
        plan.articles.reverse();
        // Documents of one batch, and each batch of a stream, often declare
        // the same entities again.
        let mut seen: HashSet<&Quad> = HashSet::new();
        plan.entity_quads = documents
            .iter()
            .flat_map(|d| &d.entity_quads)
            .filter(|q| !loaded.contains(q) && seen.insert(q))
            .collect();
        Ok(plan)
    }

    /// Whether a write would change nothing: no article to write, nothing
    /// else to do, every entity quad already there. Then the store, and its
    /// generation, stay as they are.
    fn nothing_new(&self, plan: &Plan<'_>, more: bool) -> Result<bool, StorageError> {
        if !plan.articles.is_empty() || more {
            return Ok(false);
        }
        for quad in &plan.entity_quads {
            if !self.store.contains(*quad)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Replacing an article writes only the difference between its old and
    /// new quads: RocksDB pays for every write, unchanged ones too.
    fn write_difference<'q>(
        &self,
        plan: &Plan<'q>,
        rdf_quads: impl Iterator<Item = &'q Quad>,
        merges: &[(NamedNode, NamedNode)],
        mut delta: Option<&mut DeltaRecords>,
    ) -> Result<(), StorageError> {
        let mut tx = self.store.start_transaction()?;
        for article in &plan.articles {
            let old: HashSet<Quad> = tx
                .quads_for_pattern(None, None, None, Some(article.graph.as_ref().into()))
                .collect::<Result<_, _>>()?;
            // A transaction holds its writes in memory: a large article
            // replaced costs its quads' memory, unlike one added.
            let quads = article.all_quads();
            if let Some(delta) = delta.as_deref_mut() {
                delta.add_quads(&quads);
            }
            let new: HashSet<&Quad> = quads.iter().collect();
            for quad in old.iter().filter(|q| !new.contains(q)) {
                tx.remove(quad);
            }
            tx.extend(quads.iter().filter(|q| !old.contains(*q)));
        }
        for quad in plan.entity_quads.iter().copied().chain(rdf_quads) {
            if !tx.contains(quad)? {
                tx.insert(quad);
            }
        }
        for (old, new) in merges {
            resolve::rewrite_entity(&mut tx, old.as_ref(), new.as_ref())?;
        }
        tx.commit()
    }
}

/// Hands `other` quads and the articles' quads to the loader, a large
/// article a slice at a time, adding the articles' records to `delta` when
/// the snapshot is extended. Everything but a large article's slices goes
/// in one call: each call ends a batch of the loader, one SST file per
/// index, and a call per article made thousands of files.
fn load_articles<'q>(
    loader: &mut BulkLoader<'_>,
    other: impl Iterator<Item = &'q Quad>,
    articles: &[&'q MappedArticle<'_>],
    mut delta: Option<&mut DeltaRecords>,
) -> Result<(), StorageError> {
    let (large, small): (Vec<&&MappedArticle<'_>>, Vec<_>) =
        articles.iter().partition(|a| a.is_large());
    if let Some(delta) = delta.as_deref_mut() {
        for article in &small {
            delta.add_quads(&article.quads);
        }
    }
    loader.load_quads(other.chain(small.iter().flat_map(|a| &a.quads)).cloned())?;
    for article in large {
        article.for_each_slice(|slice| {
            if let Some(delta) = delta.as_deref_mut() {
                delta.add_quads(slice);
            }
            loader.load_quads(slice.iter().cloned())
        })?;
    }
    Ok(())
}
