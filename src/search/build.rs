//! Building the search index: its schema, one document per evidence quote,
//! article text and entity, written beside the old index and renamed over
//! it with the store's generation in its commit, so a reader sees a whole
//! index of one generation or none.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::{day_number, SearchError, SearchIndex, DIRECTORY};
use crate::deadline::CancellationToken;
use crate::graph::{ArticleIndex, Projection, StatementObject};
use crate::store::GraphStore;
use crate::terms::{StorygraphTokenizer, NAME};
use crate::vocab;

/// The index's fields.
#[derive(Clone, Copy)]
pub(super) struct Fields {
    pub kind: Field,
    pub key: Field,
    pub article: Field,
    pub title: Field,
    pub text: Field,
    pub entities: Field,
    pub certainty: Field,
    pub negated: Field,
    pub source: Field,
    pub time: Field,
    pub earliest: Field,
    pub latest: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_options = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        kind: b.add_text_field("kind", STRING | STORED),
        key: b.add_text_field("key", STRING | STORED),
        article: b.add_text_field("article", STRING | STORED),
        title: b.add_text_field("title", STORED),
        text: b.add_text_field("text", text_options),
        entities: b.add_text_field("entities", STRING),
        certainty: b.add_u64_field("certainty", INDEXED | STORED | FAST),
        negated: b.add_u64_field("negated", STORED),
        source: b.add_text_field("source", STORED),
        time: b.add_text_field("time", STORED),
        earliest: b.add_i64_field("earliest", INDEXED | FAST),
        latest: b.add_i64_field("latest", INDEXED | FAST),
    };
    (b.build(), fields)
}

fn with_analyzer(index: Index, fields: Fields) -> SearchIndex {
    index
        .tokenizers()
        .register(NAME, TextAnalyzer::from(StorygraphTokenizer::default()));
    SearchIndex { index, fields }
}

/// The index in `dir`, if it is whole and of `generation`.
pub(super) fn open_if_current(dir: &Path, generation: &str) -> Option<SearchIndex> {
    let (index, payload) = open_any(dir)?;
    (payload == generation).then_some(index)
}

/// The index in `dir` if it is whole and of this schema, and the
/// generation it is of.
pub(super) fn open_any(dir: &Path) -> Option<(SearchIndex, String)> {
    let index = Index::open_in_dir(dir).ok()?;
    let payload = index.load_metas().ok()?.payload?;
    let (schema, fields) = schema();
    (index.schema() == schema).then(|| (with_analyzer(index, fields), payload))
}

/// Builds the index of `store` at `generation`: in `dir` when it can
/// (beside it, then renamed over it), else in memory.
pub(super) fn build(
    store: &GraphStore,
    projection: &Projection,
    dir: Option<&PathBuf>,
    generation: Option<&str>,
    token: &CancellationToken,
) -> Result<SearchIndex, SearchError> {
    let texts = store.article_texts()?;
    if let (Some(dir), Some(generation)) = (dir, generation) {
        if let Ok(index) = build_on_disk(projection, &texts, dir, generation, token) {
            return Ok(index);
        }
        if token.is_cancelled() {
            return Err(SearchError::Cancelled);
        }
    }
    let (schema, fields) = schema();
    let index = with_analyzer(Index::create_in_ram(schema), fields);
    fill(&index, projection, &texts, generation.unwrap_or(""), token)?;
    Ok(index)
}

fn build_on_disk(
    projection: &Projection,
    texts: &[(String, String)],
    dir: &Path,
    generation: &str,
    token: &CancellationToken,
) -> Result<SearchIndex, SearchError> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    let io = |e: std::io::Error| SearchError::Index(tantivy::TantivyError::from(e));
    remove_abandoned_builds(parent);
    let temporary = tempfile::Builder::new()
        .prefix(&format!("{DIRECTORY}.building-"))
        .tempdir_in(parent)
        .map_err(io)?;
    let (schema, fields) = schema();
    let index = with_analyzer(Index::create_in_dir(temporary.path(), schema)?, fields);
    fill(&index, projection, texts, generation, token)?;
    drop(index);
    let _ = std::fs::remove_dir_all(dir);
    let built = temporary.keep();
    std::fs::rename(&built, dir).map_err(|e| {
        let _ = std::fs::remove_dir_all(&built);
        io(e)
    })?;
    open_if_current(dir, generation).ok_or(SearchError::Cancelled)
}

/// Removes what builds killed half-way left beside the index: an hour
/// old, no build of this store is still writing it (a million facts take
/// seconds).
fn remove_abandoned_builds(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!("{DIRECTORY}.building-");
    for entry in entries.flatten() {
        let abandoned = entry.file_name().to_string_lossy().starts_with(&prefix)
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600);
        if abandoned {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes every document into `index` and commits with `generation`.
fn fill(
    index: &SearchIndex,
    projection: &Projection,
    texts: &[(String, String)],
    generation: &str,
    token: &CancellationToken,
) -> Result<(), SearchError> {
    let mut writer = writer(index)?;
    add_documents(&mut writer, index.fields, projection, texts, token)?;
    commit(writer, generation)
}

pub(super) fn writer(index: &SearchIndex) -> Result<IndexWriter, SearchError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    Ok(index
        .index
        .writer_with_num_threads(threads, 64_000_000 * threads)?)
}

/// Commits what `writer` wrote as the index of `generation`.
pub(super) fn commit(mut writer: IndexWriter, generation: &str) -> Result<(), SearchError> {
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(generation);
    commit.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// Adds the documents of `projection`: one per statement with evidence,
/// per article text of `texts` (id, text) and per entity.
pub(super) fn add_documents(
    writer: &mut IndexWriter,
    f: Fields,
    projection: &Projection,
    texts: &[(String, String)],
    token: &CancellationToken,
) -> Result<(), SearchError> {
    let entities = &projection.entities;
    let iri = |i| entities.get(i).iri.clone();
    let label = |i| entities.get(i).label.clone();
    let mut named_in: HashMap<ArticleIndex, BTreeSet<String>> = HashMap::new();
    for (n, statement) in projection.statements.iter().enumerate() {
        if n % 10_000 == 0 && token.is_cancelled() {
            writer.rollback()?;
            return Err(SearchError::Cancelled);
        }
        let mut named = vec![statement.subject];
        if let StatementObject::Entity(o) = &statement.object {
            named.push(*o);
        }
        named.extend(statement.about);
        named.extend(statement.place);
        named.extend(statement.source);
        named.extend(statement.via.iter().copied());
        named_in
            .entry(statement.article)
            .or_default()
            .extend(named.iter().map(|&i| iri(i)));
        let Some(evidence) = &statement.evidence else {
            continue;
        };
        let predicate = &projection.predicates[statement.predicate];
        let object = match &statement.object {
            StatementObject::Entity(o) => label(*o),
            StatementObject::Value(v) => format!("\"{v}\""),
        };
        let mut doc = TantivyDocument::default();
        doc.add_text(f.kind, "evidence");
        doc.add_text(f.key, &statement.iri);
        doc.add_text(f.article, &projection.articles[statement.article].id);
        doc.add_text(
            f.title,
            format!(
                "{} —{}→ {object}",
                label(statement.subject),
                predicate.label
            ),
        );
        doc.add_text(f.text, evidence);
        for i in &named {
            doc.add_text(f.entities, iri(*i));
        }
        doc.add_u64(f.certainty, statement.certainty.rank().into());
        doc.add_u64(f.negated, u64::from(statement.negated));
        if let Some(source) = statement.source {
            doc.add_text(f.source, label(source));
        }
        if let Some(time) = &statement.time {
            doc.add_text(f.time, time);
        }
        if let (Some(earliest), Some(latest)) = (statement.earliest, statement.latest) {
            doc.add_i64(f.earliest, day_number(earliest));
            doc.add_i64(f.latest, day_number(latest));
        }
        writer.add_document(doc)?;
    }
    let articles: HashMap<&str, ArticleIndex> = projection
        .articles
        .indices()
        .map(|i| (projection.articles[i].id.as_str(), i))
        .collect();
    for (id, text) in texts {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.kind, "text");
        doc.add_text(f.key, format!("{}{id}", vocab::ART));
        doc.add_text(f.article, id);
        doc.add_text(f.title, id);
        doc.add_text(f.text, text);
        if let Some(&i) = articles.get(id.as_str()) {
            for entity in named_in.get(&i).into_iter().flatten() {
                doc.add_text(f.entities, entity);
            }
            if let Some(published) = projection.articles[i].published {
                doc.add_text(f.time, published.to_string());
                doc.add_i64(f.earliest, day_number(published));
                doc.add_i64(f.latest, day_number(published));
            }
        }
        writer.add_document(doc)?;
    }
    for i in entities.indices() {
        let entity = entities.get(i);
        let mut doc = TantivyDocument::default();
        doc.add_text(f.kind, "name");
        doc.add_text(f.key, &entity.iri);
        doc.add_text(f.title, &entity.label);
        let names: Vec<&str> = entity.labels.iter().map(|(_, n, _)| n.as_str()).collect();
        doc.add_text(f.text, names.join("\n"));
        doc.add_text(f.entities, &entity.iri);
        writer.add_document(doc)?;
    }
    Ok(())
}
