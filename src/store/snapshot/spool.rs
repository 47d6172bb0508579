//! The statements of a delta being written, encoded as the write goes and
//! moved to an unnamed temporary file in the store directory once they
//! pass a few megabytes: a streamed ingest of a million facts that held
//! them as records until its commit peaked at 2 GB, most of it these.

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::codec::Encoder;
use crate::store::records::StatementRecord;

/// Encoded statements kept in memory up to this many bytes.
const IN_MEMORY: usize = 8 << 20;

#[derive(Debug, Default)]
pub(super) struct StatementSpool {
    /// Where the temporary file goes (none: the store is in memory, and
    /// has no snapshot to extend).
    dir: Option<PathBuf>,
    count: usize,
    buffer: Vec<u8>,
    file: Option<File>,
    /// Bytes in `file`.
    spilled: u64,
    /// A write to the file failed: the delta cannot be written whole.
    broken: bool,
}

impl StatementSpool {
    pub(super) fn new(dir: Option<&Path>) -> StatementSpool {
        StatementSpool {
            dir: dir.map(Path::to_path_buf),
            ..StatementSpool::default()
        }
    }

    pub(super) fn push(&mut self, statement: &StatementRecord) {
        if Encoder(&mut self.buffer).statement(statement).is_err() {
            self.broken = true;
        }
        self.count += 1;
        if self.buffer.len() >= IN_MEMORY {
            if let Some(dir) = self.dir.clone() {
                self.broken |= self.spill(&dir).is_err();
            }
        }
    }

    fn spill(&mut self, dir: &Path) -> io::Result<()> {
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(tempfile::tempfile_in(dir)?),
        };
        file.write_all(&self.buffer)?;
        self.spilled += self.buffer.len() as u64;
        self.buffer.clear();
        Ok(())
    }

    /// Whether every statement pushed can be written out.
    pub(super) fn is_whole(&self) -> bool {
        !self.broken
    }

    /// The length in bytes of [`StatementSpool::write_to`]'s output.
    pub(super) fn encoded_len(&self) -> u64 {
        4 + self.spilled + self.buffer.len() as u64
    }

    /// Writes the statements as the codec's statement list: their number,
    /// then each one.
    pub(super) fn write_to(&mut self, out: &mut impl Write) -> io::Result<()> {
        Encoder(&mut *out).len(self.count)?;
        if let Some(file) = &mut self.file {
            file.seek(SeekFrom::Start(0))?;
            let copied = io::copy(&mut io::Read::take(&mut *file, self.spilled), out)?;
            if copied != self.spilled {
                return Err(io::Error::other("the statements' spool is short"));
            }
        }
        out.write_all(&self.buffer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Certainty;
    use crate::store::snapshot::codec::Decoder;

    fn record(n: usize) -> StatementRecord {
        StatementRecord {
            statement: format!("https://example.org/s{n}"),
            subject: "https://example.org/a".to_owned(),
            predicate: "https://example.org/p".to_owned(),
            object: Some("https://example.org/b".to_owned()),
            value: None,
            article: format!("article-{}", n % 7),
            certainty: Certainty::Reported,
            negated: n.is_multiple_of(3),
            source: None,
            via: vec!["https://example.org/v".to_owned(); n % 2],
            time: Some("2024-01".to_owned()),
            earliest: None,
            latest: None,
            evidence: Some(format!("quote {n} {}", "x".repeat(n % 5000))),
            about: None,
            place: None,
        }
    }

    fn round_trip(dir: Option<&Path>, n: usize) -> (Vec<StatementRecord>, bool) {
        let mut spool = StatementSpool::new(dir);
        let records: Vec<StatementRecord> = (0..n).map(record).collect();
        records.iter().for_each(|r| spool.push(r));
        let spilled = spool.file.is_some();
        let mut out = Vec::new();
        spool.write_to(&mut out).unwrap();
        assert_eq!(out.len() as u64, spool.encoded_len());
        let decoded = Decoder(out.as_slice()).statements().unwrap();
        assert_eq!(decoded, records);
        (decoded, spilled)
    }

    #[test]
    fn statements_read_back_the_same_from_memory_and_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!round_trip(Some(dir.path()), 10).1);
        // Past the in-memory limit: part in the file, part in the buffer.
        assert!(round_trip(Some(dir.path()), 6_000).1);
        // The temporary file has no name: nothing is left in the store.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        // A store in memory has no directory: everything stays in memory.
        assert!(!round_trip(None, 6_000).1);
    }
}
