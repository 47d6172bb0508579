//! Full-text search over what was said: evidence quotes, article texts and
//! entity names, in a tantivy index kept in the store directory
//! (`storygraph-search/`), ranked by BM25, filtered by entity, article,
//! time and certainty, each hit with its statement and provenance and the
//! matched words marked.
//!
//! The index is a cache of the store, like the path snapshot: its commit
//! carries the store's generation token, so an index the store has moved
//! past is never used; it is rebuilt then (the CLI refreshes it after its
//! own writes when one exists). Terms come from `crate::terms`, so Arabic,
//! Russian and English find their variants and inflections.

mod build;
mod update;

use std::ops::{Bound, Range};
use std::path::PathBuf;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, TantivyDocument, Term};

use crate::deadline::CancellationToken;
use crate::graph::Projection;
use crate::model::Certainty;
use crate::store::GraphStore;
use crate::timespec::Day;
use build::Fields;

/// The index's directory inside the store directory.
pub const DIRECTORY: &str = "storygraph-search";

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the search index failed: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Storage(#[from] oxigraph::store::StorageError),
    #[error("the search was stopped")]
    Cancelled,
}

/// What is looked for, and in what.
#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    pub text: String,
    /// Only hits about this entity (its IRI): statements naming it,
    /// articles with a statement naming it, its own names.
    pub entity: Option<String>,
    pub article: Option<String>,
    /// Only hits whose time (a statement's, an article's publication)
    /// overlaps `[since, until]`.
    pub since: Option<Day>,
    pub until: Option<Day>,
    /// Only statements at least this certain.
    pub min_certainty: Option<Certainty>,
    pub limit: usize,
}

/// What a hit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HitKind {
    /// A statement's evidence quote.
    Evidence,
    /// An article's text.
    Text,
    /// An entity's names.
    Name,
}

impl HitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Evidence => "evidence",
            HitKind::Text => "text",
            HitKind::Name => "name",
        }
    }
}

/// One hit, ranked.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub kind: HitKind,
    pub score: f32,
    /// The statement (evidence), article (text) or entity (name) IRI.
    pub iri: String,
    pub article: Option<String>,
    /// `Subject —predicate→ Object` for a statement; the title of an
    /// article; the label of an entity.
    pub title: String,
    pub certainty: Option<Certainty>,
    pub negated: bool,
    /// Who asserts a statement (its label).
    pub source: Option<String>,
    /// A statement's time, an article's publication day.
    pub time: Option<String>,
    /// The passage matched, and the byte ranges of the words that matched.
    pub fragment: String,
    pub highlights: Vec<Range<usize>>,
}

/// An open, current index.
pub struct SearchIndex {
    index: Index,
    fields: Fields,
}

impl SearchIndex {
    /// Builds the store's index from `projection` and the store's article
    /// texts, at the store's generation. An index that cannot be written
    /// where the store is (a read-only disk, another process building it)
    /// is built in memory for this process.
    pub fn rebuild(
        store: &GraphStore,
        projection: &Projection,
        token: &CancellationToken,
    ) -> Result<SearchIndex, SearchError> {
        let generation = store.generation();
        let dir = directory(store);
        build::build(
            store,
            projection,
            dir.as_ref(),
            generation.as_deref(),
            token,
        )
    }

    /// The store's index, caught up with the writes since it was built
    /// when they only added articles (`update.rs`); `None` when it has
    /// none or must be rebuilt.
    pub fn catch_up(store: &GraphStore) -> Result<Option<SearchIndex>, SearchError> {
        update::catch_up(store)
    }

    /// Whether the store has an index it moved past (cheap: reads the
    /// index's commit only): one a write should rebuild.
    pub fn is_stale(store: &GraphStore) -> bool {
        let (Some(dir), Some(generation)) = (directory(store), store.generation()) else {
            return false;
        };
        dir.exists() && build::open_if_current(&dir, &generation).is_none()
    }

    /// The hits of `request`, best first: those with every word, or when
    /// none has them all, those with some (`true` then).
    pub fn search(&self, request: &SearchRequest) -> Result<(Vec<Hit>, bool), SearchError> {
        let hits = self.search_with(request, true)?;
        if !hits.is_empty() {
            return Ok((hits, false));
        }
        Ok((self.search_with(request, false)?, true))
    }

    fn search_with(&self, request: &SearchRequest, all: bool) -> Result<Vec<Hit>, SearchError> {
        let f = &self.fields;
        let mut parser = QueryParser::for_index(&self.index, vec![f.text]);
        if all {
            parser.set_conjunction_by_default();
        }
        // A stray quote or bracket is taken as text, not refused.
        let (text_query, _) = parser.parse_query_lenient(&request.text);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query.box_clone())];
        let exact = |field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(entity) = &request.entity {
            clauses.push((Occur::Must, exact(f.entities, entity)));
        }
        if let Some(article) = &request.article {
            clauses.push((Occur::Must, exact(f.article, article)));
        }
        if let Some(since) = request.since {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(f.latest, day_number(since))),
                    Bound::Unbounded,
                )),
            ));
        }
        if let Some(until) = request.until {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Unbounded,
                    Bound::Included(Term::from_field_i64(f.earliest, day_number(until))),
                )),
            ));
        }
        if let Some(certainty) = request.min_certainty {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_u64(f.certainty, certainty.rank().into())),
                    Bound::Unbounded,
                )),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.index.reader()?.searcher();
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(request.limit.max(1)).order_by_score(),
        )?;
        let mut snippets = SnippetGenerator::create(&searcher, &*text_query, f.text)?;
        snippets.set_max_num_chars(240);
        let mut hits = Vec::new();
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let snippet = snippets.snippet_from_doc(&doc);
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            let kind = match text(f.kind).as_deref() {
                Some("text") => HitKind::Text,
                Some("name") => HitKind::Name,
                _ => HitKind::Evidence,
            };
            let certainty = doc
                .get_first(f.certainty)
                .and_then(|v| v.as_u64())
                .and_then(|rank| {
                    Certainty::ALL
                        .into_iter()
                        .find(|c| u64::from(c.rank()) == rank)
                });
            let (fragment, highlights) = if snippet.fragment().is_empty() {
                // Matched by a word whose surface the snippet missed:
                // show the start of the text, unmarked.
                let whole = text(f.text).unwrap_or_default();
                let cut: String = whole.chars().take(240).collect();
                (cut, Vec::new())
            } else {
                (
                    snippet.fragment().to_owned(),
                    snippet.highlighted().to_vec(),
                )
            };
            hits.push(Hit {
                kind,
                score,
                iri: text(f.key).unwrap_or_default(),
                article: text(f.article),
                title: text(f.title).unwrap_or_default(),
                certainty,
                negated: doc.get_first(f.negated).and_then(|v| v.as_u64()) == Some(1),
                source: text(f.source),
                time: text(f.time),
                fragment,
                highlights,
            });
        }
        Ok(hits)
    }
}

/// A day as a sortable number (`20251019`).
fn day_number(day: Day) -> i64 {
    i64::from(day.year) * 10_000 + i64::from(day.month) * 100 + i64::from(day.day)
}

/// Where the store keeps its index (none in memory).
pub fn directory(store: &GraphStore) -> Option<PathBuf> {
    store.location().map(|d| d.join(DIRECTORY))
}
