//! The projection's statements behind one API: a table built in memory,
//! or the projection image's chunks, each read when one of its statements
//! is first asked for (a path shows a few dozen of a million).

use super::image::StatementChunks;
use super::{Statement, StatementIndex, Table};

pub struct Statements(Rows);

enum Rows {
    Built(Table<StatementIndex, Statement>),
    Image(StatementChunks),
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
    pub(super) fn from_image(chunks: StatementChunks) -> Statements {
        Statements(Rows::Image(chunks))
    }

    /// The statements as a table of their own (a copy when they are the
    /// image's).
    pub(super) fn into_table(self) -> Table<StatementIndex, Statement> {
        match self.0 {
            Rows::Built(table) => table,
            Rows::Image(_) => self.iter().cloned().collect(),
        }
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Rows::Built(table) => table.len(),
            Rows::Image(chunks) => chunks.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: StatementIndex) -> Option<&Statement> {
        match &self.0 {
            Rows::Built(table) => table.get(i),
            Rows::Image(chunks) => (i.index() < chunks.len()).then(|| chunks.get(i.index())),
        }
    }

    /// Every index, in order.
    pub fn indices(&self) -> impl Iterator<Item = StatementIndex> {
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
            Rows::Image(chunks) => {
                assert!(i.index() < chunks.len(), "statement index out of range");
                chunks.get(i.index())
            }
        }
    }
}
