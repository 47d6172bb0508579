//! Catching a stale index up with the writes since its generation,
//! instead of building it again: adding one article to a store of a
//! million facts rebuilt the whole index (and the projection it is read
//! from), ten seconds after every `ingest` once a store had an index.
//!
//! Only when what changed is known and local: the snapshot's log holds
//! every write since the index's generation, each wrote new articles (no
//! article the index already has, no removal, no editorial merge or
//! SPARQL update), and no entity those articles name has another label
//! than its document in the index shows (other articles' documents quote
//! its label; new names or aliases are fine). Then the index gets the new articles'
//! documents and their entities' again, and holds the documents a
//! rebuild would; anything else, and the caller rebuilds. Rankings may
//! differ from a rebuilt index's in the last digits: BM25 counts a
//! replaced document until its segment is merged.

use tantivy::schema::Value;
use tantivy::{TantivyDocument, Term};

use super::build::{self, Fields};
use super::{SearchError, SearchIndex};
use crate::deadline::CancellationToken;
use crate::graph::Projection;
use crate::store::GraphStore;

/// The store's index brought to the store's generation by the writes
/// since its own, or `None` when that cannot be done (see the module's
/// comment) and it must be rebuilt.
pub(super) fn catch_up(store: &GraphStore) -> Result<Option<SearchIndex>, SearchError> {
    let (Some(dir), Some(generation)) = (super::directory(store), store.generation()) else {
        return Ok(None);
    };
    let Some((index, indexed)) = build::open_any(&dir) else {
        return Ok(None);
    };
    if indexed == generation {
        return Ok(Some(index));
    }
    let Some(written) = store.written_since(&indexed) else {
        return Ok(None);
    };
    if !store.editorial_merges()?.is_empty() {
        return Ok(None);
    }
    let searcher = index.index.reader()?.searcher();
    let f = index.fields;
    let has = |field, text: &str| -> Result<bool, SearchError> {
        let term = Term::from_field_text(field, text);
        Ok(searcher.doc_freq(&term)? > 0)
    };
    for article in &written.articles {
        if has(f.article, article)? {
            return Ok(None);
        }
    }
    let articles = written.articles;
    let projection = Projection::of_written(store, written.records)?;
    for i in projection.entities.indices() {
        if !same_label_indexed(&searcher, f, &projection, i)? {
            return Ok(None);
        }
    }
    let mut texts = Vec::new();
    for id in articles {
        if let Some(text) = store.article_text(&id)? {
            texts.push((id, text));
        }
    }
    let mut writer = build::writer(&index)?;
    for i in projection.entities.indices() {
        let iri = &projection.entities.get(i).iri;
        writer.delete_term(Term::from_field_text(f.key, iri));
    }
    build::add_documents(
        &mut writer,
        f,
        &projection,
        &texts,
        &CancellationToken::new(),
    )?;
    build::commit(writer, &generation)?;
    Ok(build::open_if_current(&dir, &generation))
}

/// Whether entity `i` has no document in the index yet, or one with its
/// label as it is now (other documents quote the label; its names are
/// only in its own document, which is written again).
fn same_label_indexed(
    searcher: &tantivy::Searcher,
    f: Fields,
    projection: &Projection,
    i: crate::graph::EntityIndex,
) -> Result<bool, SearchError> {
    let entity = projection.entities.get(i);
    let query = tantivy::query::TermQuery::new(
        Term::from_field_text(f.key, &entity.iri),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let found = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
    for address in found {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        if text(f.kind).as_deref() == Some("name")
            && text(f.title).as_deref() != Some(entity.label.as_str())
        {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;
