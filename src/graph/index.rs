//! Typed indices into the projection's tables: an entity, a predicate, an
//! article or a statement is a number, and the type says which table it
//! indexes, so one cannot be passed where another is meant. Each is 32
//! bits (the projection holds fewer than 2^32 of anything; a statement
//! index sits in every edge's list, where the size is memory).

use std::marker::PhantomData;

macro_rules! index_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);

        impl $name {
            pub fn new(index: usize) -> $name {
                // A table of 2^32 rows would not fit in memory beside the rest.
                debug_assert!(u32::try_from(index).is_ok());
                $name(index as u32)
            }

            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl TableIndex for $name {
            fn new(index: usize) -> $name {
                $name::new(index)
            }

            fn index(self) -> usize {
                $name::index(self)
            }
        }
    };
}

index_type!(
    /// An entity: its row in `Projection::entities`, and its node in the graph.
    EntityIndex
);
index_type!(
    /// A predicate: its row in `Projection::predicates`.
    PredicateIndex
);
index_type!(
    /// An article: its row in `Projection::articles`.
    ArticleIndex
);
index_type!(
    /// A statement: its row in `Projection::statements`.
    StatementIndex
);

/// What a [`Table`] is indexed by.
pub trait TableIndex: Copy {
    fn new(index: usize) -> Self;
    fn index(self) -> usize;
}

/// A `Vec` indexed by one kind of index only.
#[derive(Clone, Debug)]
pub struct Table<I, T> {
    rows: Vec<T>,
    index: PhantomData<fn(I) -> I>,
}

impl<I, T> Default for Table<I, T> {
    fn default() -> Self {
        Table {
            rows: Vec::new(),
            index: PhantomData,
        }
    }
}

impl<I: TableIndex, T> Table<I, T> {
    pub fn with_capacity(capacity: usize) -> Self {
        Table {
            rows: Vec::with_capacity(capacity),
            index: PhantomData,
        }
    }

    /// Appends a row and returns its index.
    pub fn push(&mut self, row: T) -> I {
        self.rows.push(row);
        I::new(self.rows.len() - 1)
    }

    pub fn get(&self, index: I) -> Option<&T> {
        self.rows.get(index.index())
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn as_slice(&self) -> &[T] {
        &self.rows
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.rows.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.rows.iter_mut()
    }

    /// Every row with its index.
    pub fn enumerate(&self) -> impl Iterator<Item = (I, &T)> + '_ {
        self.rows
            .iter()
            .enumerate()
            .map(|(i, row)| (I::new(i), row))
    }

    /// Every index, in order.
    pub fn indices(&self) -> impl Iterator<Item = I> {
        (0..self.rows.len()).map(I::new)
    }

    /// The index of the first row that `matches`.
    pub fn position(&self, matches: impl Fn(&T) -> bool) -> Option<I> {
        self.rows.iter().position(matches).map(I::new)
    }
}

impl<I: TableIndex, T> std::ops::Index<I> for Table<I, T> {
    type Output = T;

    fn index(&self, index: I) -> &T {
        &self.rows[index.index()]
    }
}

impl<I: TableIndex, T> std::ops::IndexMut<I> for Table<I, T> {
    fn index_mut(&mut self, index: I) -> &mut T {
        &mut self.rows[index.index()]
    }
}

impl<I, T> FromIterator<T> for Table<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(rows: It) -> Self {
        Table {
            rows: rows.into_iter().collect(),
            index: PhantomData,
        }
    }
}

impl<'a, I, T> IntoIterator for &'a Table<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}
