//! The image's parts read a chunk at a time when one of their rows is
//! first asked for (statements, edges, each entity's statements), each
//! chunk checked against its checksum. A chunk that fails the check (the
//! file damaged after it was opened) is not read as facts: the projection
//! is built from the store again, once, and its rows (in the same order:
//! a build is deterministic) answer instead.

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::sync::{Arc, OnceLock};

use super::{Tables, PREAMBLE};
use crate::codec::{Decoder, Encoder};
use crate::graph::Projection;

/// Builds the projection from the store's records again.
pub(in crate::graph) type Rebuild = Box<dyn Fn() -> Option<Projection> + Send + Sync>;

/// The projection built again, once, for every part of an image found
/// damaged while in use.
pub(in crate::graph) struct Fallback {
    rebuild: Rebuild,
    rebuilt: OnceLock<Option<Box<Projection>>>,
    /// What the image holds: a rebuild of anything else is not its stand-in.
    statements: usize,
    edges: usize,
}

impl Fallback {
    pub(super) fn new(rebuild: Rebuild, statements: usize, edges: usize) -> Arc<Fallback> {
        Arc::new(Fallback {
            rebuild,
            rebuilt: OnceLock::new(),
            statements,
            edges,
        })
    }

    pub(in crate::graph) fn projection(&self) -> &Projection {
        let rebuilt = self.rebuilt.get_or_init(|| {
            (self.rebuild)()
                .filter(|p| {
                    p.statements.len() == self.statements && p.graph.edge_count() == self.edges
                })
                .map(Box::new)
        });
        match rebuilt {
            Some(projection) => projection,
            // Only when the image was damaged after it was opened and the
            // store cannot be read either: no statement can be shown true.
            None => panic!(
                "the projection image was damaged while in use, and the store could not be read again"
            ),
        }
    }
}

/// Where a chunk lies in the file.
pub(super) struct ChunkPlace {
    offset: u64,
    length: u32,
    checksum: u32,
}

impl ChunkPlace {
    /// The chunk's bytes, if they match its checksum.
    pub(super) fn read(&self, file: &File) -> io::Result<Vec<u8>> {
        let mut bytes = vec![0u8; self.length as usize];
        file.read_exact_at(&mut bytes, self.offset)?;
        if crc32fast::hash(&bytes) != self.checksum {
            return Err(io::Error::other("a damaged chunk"));
        }
        Ok(bytes)
    }
}

/// Writes `rows` in chunks of `per_chunk`, from `offset` in the file;
/// returns their places and where the last one ends.
pub(super) fn write<T>(
    out: &mut impl Write,
    mut offset: u64,
    rows: impl Iterator<Item = T>,
    per_chunk: usize,
    encode: impl Fn(&mut Encoder<Vec<u8>>, T) -> io::Result<()>,
) -> io::Result<(Vec<ChunkPlace>, u64)> {
    let mut places = Vec::new();
    let mut buffer = Encoder(Vec::new());
    let mut in_chunk = 0;
    let mut flush = |buffer: &mut Encoder<Vec<u8>>, places: &mut Vec<ChunkPlace>| {
        places.push(write_chunk(out, &mut offset, &buffer.0)?);
        buffer.0.clear();
        io::Result::Ok(())
    };
    for row in rows {
        encode(&mut buffer, row)?;
        in_chunk += 1;
        if in_chunk == per_chunk {
            flush(&mut buffer, &mut places)?;
            in_chunk = 0;
        }
    }
    if in_chunk > 0 {
        flush(&mut buffer, &mut places)?;
    }
    Ok((places, offset))
}

/// Writes one chunk's `bytes` at `offset` (moved past them); returns its
/// place.
pub(super) fn write_chunk(
    out: &mut impl Write,
    offset: &mut u64,
    bytes: &[u8],
) -> io::Result<ChunkPlace> {
    out.write_all(bytes)?;
    let length = u32::try_from(bytes.len()).map_err(io::Error::other)?;
    let place = ChunkPlace {
        offset: *offset,
        length,
        checksum: crc32fast::hash(bytes),
    };
    *offset += u64::from(length);
    Ok(place)
}

pub(super) fn encode_places<W: Write>(
    out: &mut Encoder<W>,
    rows: usize,
    places: &[ChunkPlace],
) -> io::Result<()> {
    out.len(rows)?;
    out.len(places.len())?;
    places.iter().try_for_each(|p| {
        out.u64(p.offset)?;
        out.u32(p.length)?;
        out.u32(p.checksum)
    })
}

/// Chunks of one kind in the image file, each read (checked against its
/// checksum) and decoded the first time one of its rows is asked for,
/// then kept: rows decoded one by one ([`Chunks`]), or a chunk parsed
/// whole (`texts.rs`).
pub(super) struct ChunkCache<C> {
    file: Arc<File>,
    len: usize,
    per_chunk: usize,
    places: Vec<ChunkPlace>,
    /// Each chunk once read, or `None` if it was damaged.
    decoded: Vec<OnceLock<Option<C>>>,
}

impl<C> ChunkCache<C> {
    /// Reads how many rows there are and the chunks' places (every one
    /// inside the file's first part, which ends at `end`).
    pub(super) fn decode_places(
        input: &mut Decoder<&[u8]>,
        file: &Arc<File>,
        end: u64,
        per_chunk: usize,
    ) -> io::Result<ChunkCache<C>> {
        let len = input.len()?;
        let count = input.len()?;
        if count != len.div_ceil(per_chunk) {
            return Err(io::Error::other("the chunks do not hold the rows"));
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
        Ok(ChunkCache {
            file: Arc::clone(file),
            len,
            per_chunk,
            decoded: (0..count).map(|_| OnceLock::new()).collect(),
            places,
        })
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The chunk holding row `i` (`i < len`) and the row's place in it,
    /// decoded by `decode` (its checked bytes and number of rows) the
    /// first time; `None` if the chunk is damaged.
    pub(super) fn chunk_of(
        &self,
        i: usize,
        decode: impl FnOnce(Vec<u8>, usize) -> io::Result<C>,
    ) -> Option<(&C, usize)> {
        let (chunk, within) = (i / self.per_chunk, i % self.per_chunk);
        let decoded = self.decoded[chunk].get_or_init(|| self.read(chunk, decode).ok());
        decoded.as_ref().map(|c| (c, within))
    }

    /// Chunk `chunk` read now and not kept.
    fn read(
        &self,
        chunk: usize,
        decode: impl FnOnce(Vec<u8>, usize) -> io::Result<C>,
    ) -> io::Result<C> {
        let bytes = self.places[chunk].read(&self.file)?;
        let rows = self.per_chunk.min(self.len - chunk * self.per_chunk);
        decode(bytes, rows)
    }
}

/// Reads one row; indices checked against the tables.
pub(super) type DecodeRow<T> = fn(&mut Decoder<&[u8]>, Tables) -> io::Result<T>;

/// Rows of one kind in chunks of the image file.
pub(in crate::graph) struct Chunks<T> {
    cache: ChunkCache<Vec<T>>,
    tables: Tables,
    decode: DecodeRow<T>,
}

impl<T> std::fmt::Debug for Chunks<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chunks")
            .field("len", &self.cache.len)
            .field("chunks", &self.cache.places.len())
            .finish()
    }
}

impl<T> Chunks<T> {
    /// Reads the chunks' places (every one inside the file's first part,
    /// which ends at `end`).
    pub(super) fn decode_places(
        input: &mut Decoder<&[u8]>,
        file: &Arc<File>,
        end: u64,
        per_chunk: usize,
        tables: Tables,
        decode: DecodeRow<T>,
    ) -> io::Result<Chunks<T>> {
        Ok(Chunks {
            cache: ChunkCache::decode_places(input, file, end, per_chunk)?,
            tables,
            decode,
        })
    }

    pub(in crate::graph) fn len(&self) -> usize {
        self.cache.len
    }

    /// Row `i` (`i < len`), or `None` if its chunk is damaged.
    pub(in crate::graph) fn get(&self, i: usize) -> Option<&T> {
        let (rows, within) = self
            .cache
            .chunk_of(i, |bytes, rows| self.rows(&bytes, rows))?;
        Some(&rows[within])
    }

    /// How many chunks hold the rows.
    pub(in crate::graph) fn chunk_count(&self) -> usize {
        self.cache.places.len()
    }

    /// The rows of chunk `c` (`c < chunk_count`), or `None` if it is
    /// damaged.
    pub(in crate::graph) fn chunk(&self, c: usize) -> Option<&[T]> {
        let (rows, _) = self
            .cache
            .chunk_of(c * self.cache.per_chunk, |bytes, rows| {
                self.rows(&bytes, rows)
            })?;
        Some(rows)
    }

    /// Every row, read now and not kept; `None` if a chunk is damaged.
    pub(in crate::graph) fn read_all(&self) -> Option<Vec<T>> {
        let mut all = Vec::with_capacity(self.cache.len);
        for chunk in 0..self.cache.places.len() {
            all.extend(
                self.cache
                    .read(chunk, |bytes, rows| self.rows(&bytes, rows))
                    .ok()?,
            );
        }
        Some(all)
    }

    /// A chunk's `rows` rows, decoded from its checked `bytes`.
    fn rows(&self, bytes: &[u8], rows: usize) -> io::Result<Vec<T>> {
        let mut input = Decoder(bytes);
        let decoded = (0..rows)
            .map(|_| (self.decode)(&mut input, self.tables))
            .collect::<io::Result<Vec<_>>>()?;
        if !input.0.is_empty() {
            return Err(io::Error::other("a chunk longer than its rows"));
        }
        Ok(decoded)
    }
}
