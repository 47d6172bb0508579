//! The image's statements, read a chunk at a time when one of them is
//! first asked for, each chunk checked against its checksum. A chunk that
//! fails the check (the file damaged after it was opened) is not read as
//! facts: the statements are read from the store again, once, in the same
//! order a build gives them.

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::sync::OnceLock;

use super::{decode_statement, encode_statement, Tables, CHUNK, PREAMBLE};
use crate::codec::{Decoder, Encoder};
use crate::graph::{Statement, StatementIndex, Statements, Table};

/// Reads the statements from the store again, in build order.
pub(in crate::graph) type Rebuild =
    Box<dyn Fn() -> Option<Table<StatementIndex, Statement>> + Send + Sync>;

/// Where a chunk lies in the file.
pub(super) struct ChunkPlace {
    offset: u64,
    pub(super) length: u32,
    checksum: u32,
}

/// Writes `statements` in chunks right after the preamble; returns their
/// places.
pub(super) fn write(out: &mut impl Write, statements: &Statements) -> io::Result<Vec<ChunkPlace>> {
    let mut places = Vec::with_capacity(statements.len().div_ceil(CHUNK));
    let mut offset = PREAMBLE;
    let mut buffer = Encoder(Vec::new());
    for start in (0..statements.len()).step_by(CHUNK) {
        buffer.0.clear();
        for i in start..(start + CHUNK).min(statements.len()) {
            encode_statement(&mut buffer, &statements[StatementIndex::new(i)])?;
        }
        out.write_all(&buffer.0)?;
        let length = u32::try_from(buffer.0.len()).map_err(io::Error::other)?;
        places.push(ChunkPlace {
            offset,
            length,
            checksum: crc32fast::hash(&buffer.0),
        });
        offset += u64::from(length);
    }
    Ok(places)
}

pub(super) fn encode_places<W: Write>(
    out: &mut Encoder<W>,
    statements: usize,
    places: &[ChunkPlace],
) -> io::Result<()> {
    out.len(statements)?;
    out.len(places.len())?;
    places.iter().try_for_each(|p| {
        out.u64(p.offset)?;
        out.u32(p.length)?;
        out.u32(p.checksum)
    })
}

pub(in crate::graph) struct StatementChunks {
    file: File,
    len: usize,
    places: Vec<ChunkPlace>,
    tables: Tables,
    /// Each chunk once read: its statements, or `None` if it was damaged.
    decoded: Vec<OnceLock<Option<Vec<Statement>>>>,
    rebuild: Rebuild,
    rebuilt: OnceLock<Option<Table<StatementIndex, Statement>>>,
}

impl std::fmt::Debug for StatementChunks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatementChunks")
            .field("len", &self.len)
            .field("chunks", &self.places.len())
            .finish()
    }
}

impl StatementChunks {
    /// Reads the chunks' places (every one inside the file's first part,
    /// which ends at `end`).
    pub(super) fn decode_places(
        input: &mut Decoder<&[u8]>,
        file: File,
        end: u64,
        rebuild: Rebuild,
    ) -> io::Result<StatementChunks> {
        let len = input.len()?;
        let count = input.len()?;
        if count != len.div_ceil(CHUNK) {
            return Err(io::Error::other("the chunks do not hold the statements"));
        }
        let mut places = Vec::with_capacity(count);
        for _ in 0..count {
            let place = ChunkPlace {
                offset: input.u64()?,
                length: input.u32()?,
                checksum: input.u32()?,
            };
            if place.offset < PREAMBLE || place.offset + u64::from(place.length) > end {
                return Err(io::Error::other("a chunk lies outside the file"));
            }
            places.push(place);
        }
        Ok(StatementChunks {
            file,
            len,
            places,
            tables: Tables {
                entities: 0,
                predicates: 0,
                articles: 0,
            },
            decoded: (0..count).map(|_| OnceLock::new()).collect(),
            rebuild,
            rebuilt: OnceLock::new(),
        })
    }

    /// The lengths of the tables the statements index into, known once
    /// they are read.
    pub(super) fn set_tables(&mut self, tables: Tables) {
        self.tables = tables;
    }

    pub(in crate::graph) fn len(&self) -> usize {
        self.len
    }

    /// Statement `i` (`i < len`).
    pub(in crate::graph) fn get(&self, i: usize) -> &Statement {
        let (chunk, within) = (i / CHUNK, i % CHUNK);
        match self.decoded[chunk].get_or_init(|| self.read(chunk).ok()) {
            Some(rows) => &rows[within],
            None => &self.rebuilt()[i],
        }
    }

    fn read(&self, chunk: usize) -> io::Result<Vec<Statement>> {
        let place = &self.places[chunk];
        let mut bytes = vec![0u8; place.length as usize];
        self.file.read_exact_at(&mut bytes, place.offset)?;
        if crc32fast::hash(&bytes) != place.checksum {
            return Err(io::Error::other("a damaged chunk"));
        }
        let rows = CHUNK.min(self.len - chunk * CHUNK);
        let mut input = Decoder(bytes.as_slice());
        let statements = (0..rows)
            .map(|_| decode_statement(&mut input, self.tables))
            .collect::<io::Result<Vec<_>>>()?;
        if !input.0.is_empty() {
            return Err(io::Error::other("a chunk longer than its statements"));
        }
        Ok(statements)
    }

    fn rebuilt(&self) -> &[Statement] {
        let rebuilt = self
            .rebuilt
            .get_or_init(|| (self.rebuild)().filter(|table| table.len() == self.len));
        match rebuilt {
            Some(table) => table.as_slice(),
            // Only when the image was damaged after it was opened and the
            // store cannot be read either: no statement can be shown true.
            None => panic!(
                "the projection image was damaged while in use, and the store could not be read again"
            ),
        }
    }
}
