//! One optional text per row (a statement's evidence) in chunks of their
//! own, each kept as read: its bytes and where each text lies in them, no
//! string per row. An export quotes one statement per edge for tens of
//! thousands of edges spread over every chunk; the texts of a million
//! statements are ~60 MB read this way, several times that as strings.

use std::fs::File;
use std::io::{self, Write};
use std::sync::Arc;

use super::chunks::{self, ChunkCache, ChunkPlace};
use crate::codec::{Decoder, Encoder};

/// Writes `texts` in chunks of `per_chunk` from `offset`; returns their
/// places and where the last one ends. A chunk is each row's presence
/// (a byte) and where its text ends (4 bytes), then the texts one after
/// another: UTF-8 checked once per chunk when read, not once per text.
pub(super) fn write<'t>(
    out: &mut impl Write,
    mut offset: u64,
    texts: impl Iterator<Item = Option<&'t str>>,
    per_chunk: usize,
) -> io::Result<(Vec<ChunkPlace>, u64)> {
    let mut places = Vec::new();
    let (mut header, mut blob) = (Encoder(Vec::new()), Vec::new());
    let mut in_chunk = 0;
    let mut flush = |header: &mut Encoder<Vec<u8>>, blob: &mut Vec<u8>| {
        header.0.append(blob);
        let place = chunks::write_chunk(out, &mut offset, &header.0)?;
        header.0.clear();
        io::Result::Ok(place)
    };
    for text in texts {
        header.byte(u8::from(text.is_some()))?;
        blob.extend_from_slice(text.unwrap_or_default().as_bytes());
        header.len(blob.len())?;
        in_chunk += 1;
        if in_chunk == per_chunk {
            places.push(flush(&mut header, &mut blob)?);
            in_chunk = 0;
        }
    }
    if in_chunk > 0 {
        places.push(flush(&mut header, &mut blob)?);
    }
    Ok((places, offset))
}

/// A chunk as read: its texts, and where each row's lies in them.
struct TextChunk {
    texts: String,
    spans: Vec<Option<(u32, u32)>>,
}

impl TextChunk {
    /// Reads a chunk of `rows` texts, checking that each lies on
    /// character boundaries of UTF-8 text.
    fn parse(mut bytes: Vec<u8>, rows: usize) -> io::Result<TextChunk> {
        let bad = || io::Error::other("a damaged text chunk");
        let header = rows
            .checked_mul(5)
            .filter(|&n| n <= bytes.len())
            .ok_or_else(bad)?;
        let texts = String::from_utf8(bytes.split_off(header)).map_err(|_| bad())?;
        let mut input = Decoder(bytes.as_slice());
        let mut spans = Vec::with_capacity(rows);
        let mut start = 0;
        for _ in 0..rows {
            let present = input.byte()? == 1;
            let end = input.len()?;
            if end < start || !texts.is_char_boundary(end) {
                return Err(bad());
            }
            spans.push(present.then_some((start as u32, end as u32)));
            start = end;
        }
        if start != texts.len() {
            return Err(bad());
        }
        Ok(TextChunk { texts, spans })
    }

    fn get(&self, within: usize) -> Option<&str> {
        let (start, end) = self.spans[within]?;
        // Boundaries checked when read: never `None`.
        self.texts.get(start as usize..end as usize)
    }
}

/// The texts of one kind, in chunks each parsed whole when first needed.
pub(in crate::graph) struct TextChunks(ChunkCache<TextChunk>);

impl TextChunks {
    pub(super) fn decode_places(
        input: &mut Decoder<&[u8]>,
        file: &Arc<File>,
        end: u64,
        per_chunk: usize,
    ) -> io::Result<TextChunks> {
        ChunkCache::decode_places(input, file, end, per_chunk).map(TextChunks)
    }

    pub(in crate::graph) fn len(&self) -> usize {
        self.0.len()
    }

    /// Row `i`'s text (`i < len`), or `None` if its chunk is damaged.
    pub(in crate::graph) fn get(&self, i: usize) -> Option<Option<&str>> {
        let (chunk, within) = self.0.chunk_of(i, TextChunk::parse)?;
        Some(chunk.get(within))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk_of(texts: &[Option<&str>]) -> Vec<u8> {
        let mut out = Vec::new();
        let (places, end) = write(&mut out, 0, texts.iter().copied(), texts.len()).unwrap();
        assert_eq!((places.len(), end), (1, out.len() as u64));
        out
    }

    #[test]
    fn texts_read_back_with_their_gaps() {
        let texts = [Some("قال إن"), None, Some(""), Some("a “quote”"), None];
        let chunk = TextChunk::parse(chunk_of(&texts), texts.len()).unwrap();
        let read: Vec<Option<&str>> = (0..texts.len()).map(|i| chunk.get(i)).collect();
        assert_eq!(read, texts);
    }

    #[test]
    fn a_text_cut_inside_a_character_is_a_damaged_chunk() {
        let mut bytes = chunk_of(&[Some("قال"), Some("x")]);
        // The first text's end moved one byte into its last letter.
        bytes[1] -= 1;
        assert!(TextChunk::parse(bytes, 2).is_err());
        let bytes = chunk_of(&[Some("قال")]);
        assert!(TextChunk::parse(bytes.clone(), 2).is_err());
        assert!(TextChunk::parse(bytes[..bytes.len() - 1].to_vec(), 1).is_err());
    }
}
