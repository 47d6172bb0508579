//! The projection's statements, and each entity's, behind one API: tables
//! built in memory, or the projection image's chunks, each read when one
//! of its rows is first asked for (a path shows a few dozen statements of
//! a million). A statement's [`Facets`] and its evidence lie in chunks of
//! their own: an export of a neighborhood filters and quotes tens of
//! thousands of statements spread over every chunk, and decoding each
//! whole (IRIs, times, lists) for that was 40% of its time.

use std::sync::Arc;

use super::image::{Chunks, Fallback, TextChunks};
use super::{ArticleIndex, EntityIndex, PredicateIndex, Statement, StatementIndex, Table};
use crate::model::Certainty;
use crate::timespec::Day;

/// What a filter and a drawing read of a statement, without its texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facets {
    pub predicate: PredicateIndex,
    pub article: ArticleIndex,
    pub certainty: Certainty,
    pub negated: bool,
    pub earliest: Option<Day>,
    pub latest: Option<Day>,
}

impl Statement {
    pub fn facets(&self) -> Facets {
        Facets {
            predicate: self.predicate,
            article: self.article,
            certainty: self.certainty,
            negated: self.negated,
            earliest: self.earliest,
            latest: self.latest,
        }
    }
}

pub struct Statements(Rows);

// One per projection, never moved in bulk: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
enum Rows {
    Built(Table<StatementIndex, Statement>),
    Image {
        chunks: Chunks<Statement>,
        facets: Chunks<Facets>,
        evidence: TextChunks,
        fallback: Arc<Fallback>,
    },
}

impl Default for Statements {
    fn default() -> Self {
        Statements(Rows::Built(Table::default()))
    }
}

impl std::fmt::Debug for Statements {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl From<Table<StatementIndex, Statement>> for Statements {
    fn from(table: Table<StatementIndex, Statement>) -> Self {
        Statements(Rows::Built(table))
    }
}

impl Statements {
    pub(super) fn from_image(
        chunks: Chunks<Statement>,
        facets: Chunks<Facets>,
        evidence: TextChunks,
        fallback: Arc<Fallback>,
    ) -> Statements {
        Statements(Rows::Image {
            chunks,
            facets,
            evidence,
            fallback,
        })
    }

    /// Statement `i`'s facets, decoding none of its texts.
    pub fn facets(&self, i: StatementIndex) -> Facets {
        match &self.0 {
            Rows::Built(table) => table[i].facets(),
            Rows::Image {
                facets, fallback, ..
            } => {
                assert!(i.index() < facets.len(), "statement index out of range");
                match facets.get(i.index()) {
                    Some(f) => *f,
                    None => fallback.projection().statements.facets(i),
                }
            }
        }
    }

    /// Statement `i`'s evidence, decoding nothing else of it.
    pub fn evidence(&self, i: StatementIndex) -> Option<&str> {
        match &self.0 {
            Rows::Built(table) => table[i].evidence.as_deref(),
            Rows::Image {
                evidence, fallback, ..
            } => {
                assert!(i.index() < evidence.len(), "statement index out of range");
                match evidence.get(i.index()) {
                    Some(text) => text,
                    None => fallback.projection().statements.evidence(i),
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Rows::Built(table) => table.len(),
            Rows::Image { chunks, .. } => chunks.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: StatementIndex) -> Option<&Statement> {
        (i.index() < self.len()).then(|| &self[i])
    }

    /// Every index, in order.
    pub fn indices(&self) -> impl DoubleEndedIterator<Item = StatementIndex> {
        (0..self.len()).map(StatementIndex::new)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Statement> + '_ {
        self.indices().map(move |i| &self[i])
    }

    /// Every statement with its index.
    pub fn enumerate(&self) -> impl Iterator<Item = (StatementIndex, &Statement)> + '_ {
        self.indices().map(move |i| (i, &self[i]))
    }
}

impl std::ops::Index<StatementIndex> for Statements {
    type Output = Statement;

    fn index(&self, i: StatementIndex) -> &Statement {
        match &self.0 {
            Rows::Built(table) => &table[i],
            Rows::Image {
                chunks, fallback, ..
            } => {
                assert!(i.index() < chunks.len(), "statement index out of range");
                match chunks.get(i.index()) {
                    Some(statement) => statement,
                    None => &fallback.projection().statements[i],
                }
            }
        }
    }
}

/// Per entity, the statements it is the subject or object of.
pub struct ByEntity(EntityRows);

enum EntityRows {
    Built(Table<EntityIndex, Vec<StatementIndex>>),
    Image {
        chunks: Chunks<Vec<StatementIndex>>,
        fallback: Arc<Fallback>,
    },
}

impl Default for ByEntity {
    fn default() -> Self {
        ByEntity(EntityRows::Built(Table::default()))
    }
}

impl std::fmt::Debug for ByEntity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl From<Table<EntityIndex, Vec<StatementIndex>>> for ByEntity {
    fn from(table: Table<EntityIndex, Vec<StatementIndex>>) -> Self {
        ByEntity(EntityRows::Built(table))
    }
}

impl ByEntity {
    pub(super) fn from_image(
        chunks: Chunks<Vec<StatementIndex>>,
        fallback: Arc<Fallback>,
    ) -> ByEntity {
        ByEntity(EntityRows::Image { chunks, fallback })
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            EntityRows::Built(table) => table.len(),
            EntityRows::Image { chunks, .. } => chunks.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every entity's statements, in entity order.
    pub fn iter(&self) -> impl Iterator<Item = &Vec<StatementIndex>> + '_ {
        (0..self.len()).map(move |i| &self[EntityIndex::new(i)])
    }
}

impl std::ops::Index<EntityIndex> for ByEntity {
    type Output = Vec<StatementIndex>;

    fn index(&self, e: EntityIndex) -> &Vec<StatementIndex> {
        match &self.0 {
            EntityRows::Built(table) => &table[e],
            EntityRows::Image { chunks, fallback } => {
                assert!(e.index() < chunks.len(), "entity index out of range");
                match chunks.get(e.index()) {
                    Some(list) => list,
                    None => &fallback.projection().by_entity[e],
                }
            }
        }
    }
}
