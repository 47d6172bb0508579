//! The entities in the projection image, and the tables that find them by
//! name: each entity, and each table's rows (a name and the entities it
//! finds, sorted by name), lie in chunks read when first asked for; each
//! table's first name per chunk is read at load, so that looking a name
//! up reads one chunk. A path on a store of 180,000 entities resolves two
//! names: decoding every entity and name into hash maps at each load was
//! most of its 1.2 s.

use std::fs::File;
use std::io::{self, Write};
use std::sync::Arc;

use super::chunks::{self, ChunkPlace, Chunks, Fallback};
use super::{Bounded, Tables};
use crate::codec::{Decoder, Encoder};
use crate::graph::names::{Damaged, Entities, EntityInfo, NameTable};
use crate::graph::{EntityIndex, Projection};

/// Entities per chunk: a path shows a few dozen of them.
const ENTITY_ROWS: usize = if cfg!(test) { 8 } else { 64 };
/// Names per chunk: a lookup decodes one chunk.
const NAME_ROWS: usize = if cfg!(test) { 4 } else { 64 };

/// The entities of an image and their name tables.
pub(in crate::graph) struct EntityChunks {
    rows: Chunks<EntityInfo>,
    /// In the order of [`NameTable::ALL`].
    tables: Vec<SortedTable>,
    fallback: Arc<Fallback>,
}

impl std::fmt::Debug for EntityChunks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntityChunks")
            .field("rows", &self.rows)
            .finish()
    }
}

// `table` indexes the tables by the kind's discriminant: `NameTable::ALL`
// must list the kinds in the enum's order.
const _: () = {
    let mut i = 0;
    while i < NameTable::ALL.len() {
        assert!(NameTable::ALL[i] as usize == i);
        i += 1;
    }
};

impl EntityChunks {
    pub(in crate::graph) fn len(&self) -> usize {
        self.rows.len()
    }

    /// Entity `i`, or `None` if its chunk is damaged.
    pub(in crate::graph) fn row(&self, i: EntityIndex) -> Option<&EntityInfo> {
        self.rows.get(i.index())
    }

    pub(in crate::graph) fn table(&self, table: NameTable) -> &SortedTable {
        // `tables` holds one per kind, in the order of `NameTable::ALL`,
        // which is the enum's.
        &self.tables[table as usize]
    }

    /// The projection built from the store again, for what a damaged chunk
    /// cannot answer.
    pub(in crate::graph) fn fallback(&self) -> &Projection {
        self.fallback.projection()
    }
}

/// One name table: rows of (name, entities) sorted by name, in chunks.
pub(in crate::graph) struct SortedTable {
    rows: Chunks<(String, Vec<EntityIndex>)>,
    /// The first name of each chunk.
    fences: Vec<String>,
}

impl SortedTable {
    /// The entities `name` finds (none if it is not in the table).
    pub(in crate::graph) fn get(&self, name: &str) -> Result<&[EntityIndex], Damaged> {
        let chunk = self.fences.partition_point(|f| f.as_str() <= name);
        let Some(chunk) = chunk.checked_sub(1) else {
            return Ok(&[]);
        };
        let rows = self.rows.chunk(chunk).ok_or(Damaged)?;
        Ok(match rows.binary_search_by(|(k, _)| k.as_str().cmp(name)) {
            Ok(at) => &rows[at].1,
            Err(_) => &[],
        })
    }

    /// The rows from the first whose name is at or after `start`, in
    /// order (every chunk from there read first, so that a damaged one
    /// is known before any row is).
    pub(in crate::graph) fn from<'a>(
        &'a self,
        start: &str,
    ) -> Result<impl Iterator<Item = (&'a str, &'a [EntityIndex])> + 'a, Damaged> {
        let first = self
            .fences
            .partition_point(|f| f.as_str() <= start)
            .saturating_sub(1);
        let chunks = (first..self.fences.len())
            .map(|c| self.rows.chunk(c).ok_or(Damaged))
            .collect::<Result<Vec<_>, Damaged>>()?;
        let start = start.to_owned();
        Ok(chunks
            .into_iter()
            .flatten()
            .skip_while(move |(k, _)| k.as_str() < start.as_str())
            .map(|(k, found)| (k.as_str(), found.as_slice())))
    }
}

/// Where the entities' chunks and their tables' are, written beside the
/// other parts' places.
pub(super) struct Placed {
    rows: (usize, Vec<ChunkPlace>),
    tables: Vec<(usize, Vec<ChunkPlace>, Vec<String>)>,
}

/// Writes the entities of `projection` and their name tables in chunks
/// from `offset`; returns their places and where the last chunk ends.
pub(super) fn write(
    out: &mut impl Write,
    offset: u64,
    entities: &Entities,
) -> io::Result<(Placed, u64)> {
    let rows = entities.indices().map(|i| entities.get(i));
    let (places, mut end) = chunks::write(out, offset, rows, ENTITY_ROWS, encode_entity)?;
    let mut tables = Vec::new();
    for table in NameTable::ALL {
        let rows = entities
            .rows_of(table)
            .map_err(|Damaged| io::Error::other("a damaged image's names are not copied"))?;
        let fences = rows
            .iter()
            .step_by(NAME_ROWS)
            .map(|(name, _)| (*name).to_owned())
            .collect();
        let count = rows.len();
        let (places, next) = chunks::write(out, end, rows.into_iter(), NAME_ROWS, |out, row| {
            out.str(row.0)?;
            out.len(row.1.len())?;
            row.1.iter().try_for_each(|i| out.u32(i.index() as u32))
        })?;
        end = next;
        tables.push((count, places, fences));
    }
    let placed = Placed {
        rows: (entities.len(), places),
        tables,
    };
    Ok((placed, end))
}

/// Writes the places of [`write`]'s chunks into the image's last part.
pub(super) fn encode_places<W: Write>(out: &mut Encoder<W>, placed: &Placed) -> io::Result<()> {
    chunks::encode_places(out, placed.rows.0, &placed.rows.1)?;
    for (count, places, fences) in &placed.tables {
        chunks::encode_places(out, *count, places)?;
        out.strs(fences)?;
    }
    Ok(())
}

/// The entities' chunks as [`encode_places`] placed them.
pub(super) struct Unplaced {
    rows: Chunks<EntityInfo>,
    tables: Vec<SortedTable>,
}

impl Unplaced {
    pub(super) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The entities, answering from `fallback` what a damaged chunk cannot.
    pub(super) fn into_entities(self, fallback: Arc<Fallback>) -> Entities {
        Entities::from_image(EntityChunks {
            rows: self.rows,
            tables: self.tables,
            fallback,
        })
    }
}

/// Reads [`encode_places`]'s places; the name tables' entity indices are
/// checked against the number of entities.
pub(super) fn decode_places(
    input: &mut Decoder<&[u8]>,
    file: &Arc<File>,
    end: u64,
    mut tables: Tables,
) -> io::Result<Unplaced> {
    let rows = Chunks::decode_places(input, file, end, ENTITY_ROWS, tables, decode_entity)?;
    tables.entities = rows.len();
    let mut sorted = Vec::new();
    for _ in NameTable::ALL {
        let rows = Chunks::decode_places(input, file, end, NAME_ROWS, tables, decode_name_row)?;
        let fences = input.strs()?;
        if fences.len() != rows.chunk_count() {
            return Err(io::Error::other(
                "a name table's fences do not fit its chunks",
            ));
        }
        sorted.push(SortedTable { rows, fences });
    }
    Ok(Unplaced {
        rows,
        tables: sorted,
    })
}

fn encode_entity<W: Write>(out: &mut Encoder<W>, e: &EntityInfo) -> io::Result<()> {
    out.str(&e.iri)?;
    out.strs(&e.ids)?;
    out.str(&e.label)?;
    out.labels(&e.labels)?;
    out.strs(&e.classes)?;
    out.strs(&e.same_as)?;
    out.byte(u8::from(e.is_event))?;
    out.strs(&e.merged)
}

fn decode_entity(input: &mut Decoder<&[u8]>, _: Tables) -> io::Result<EntityInfo> {
    let iri = input.str()?;
    let ids = input.strs()?;
    let label = input.str()?;
    let labels = input.labels()?;
    Ok(EntityInfo {
        iri,
        ids,
        label,
        labels,
        classes: input.strs()?,
        same_as: input.strs()?,
        is_event: input.byte()? == 1,
        merged: input.strs()?,
    })
}

fn decode_name_row(
    input: &mut Decoder<&[u8]>,
    tables: Tables,
) -> io::Result<(String, Vec<EntityIndex>)> {
    let name = input.str()?;
    Ok((name, Bounded { input }.list(tables.entities)?))
}
