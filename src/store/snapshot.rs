//! A snapshot of the records the path projection is built from (entities,
//! article dates, statements), kept in a file in the store directory so
//! that the next process does not read them quad by quad again: decoding
//! the quads costs a RocksDB look-up per string, minutes at a million facts.
//!
//! **Invariant:** a snapshot is used only if it was taken at the store's
//! current *generation*, a random token in `storygraph-generation` that
//! every write of storygraph replaces *before* it writes (a crash between
//! the two leaves a token no snapshot has, never a stale snapshot in use).
//! Writes by other tools (pyoxigraph on the same directory) do not change
//! the token; the snapshot would then be stale (documented).

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use oxigraph::store::StorageError;

use super::records::{ArticleDate, EntityRecord, StatementRecord};
use super::GraphStore;
use crate::model::Certainty;
use crate::timespec::Day;

const GENERATION_FILE: &str = "storygraph-generation";
const SNAPSHOT_FILE: &str = "storygraph-projection.snapshot";
/// Changes whenever the layout below changes.
const MAGIC: &[u8; 8] = b"SGSNAP01";

/// Everything the projection is built from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectionRecords {
    pub entities: Vec<EntityRecord>,
    pub articles: Vec<ArticleDate>,
    pub statements: Vec<StatementRecord>,
}

impl GraphStore {
    /// The projection's records: from the snapshot when it is current,
    /// else read from the store (and a snapshot taken, if the store is on
    /// disk; failing to write one only costs speed next time).
    pub fn projection_records(&self) -> Result<ProjectionRecords, StorageError> {
        self.projection_records_until(&AtomicBool::new(false))
    }

    /// [`GraphStore::projection_records`], giving up soon after `stop` is
    /// set (a shell that quits does not wait for a build it no longer needs).
    pub fn projection_records_until(
        &self,
        stop: &AtomicBool,
    ) -> Result<ProjectionRecords, StorageError> {
        let Some(dir) = self.location() else {
            return self.read_projection_records(stop);
        };
        let generation = read_generation(dir);
        if let Some(generation) = &generation {
            if let Ok(records) = read_snapshot(&dir.join(SNAPSHOT_FILE), generation) {
                return Ok(records);
            }
        }
        let generation = match generation {
            Some(g) => g,
            None => {
                self.new_generation();
                read_generation(dir).unwrap_or_default()
            }
        };
        let records = self.read_projection_records(stop)?;
        let _ = write_snapshot(dir, &generation, &records);
        Ok(records)
    }

    pub(super) fn read_projection_records(
        &self,
        stop: &AtomicBool,
    ) -> Result<ProjectionRecords, StorageError> {
        Ok(ProjectionRecords {
            entities: self.entities()?,
            articles: self.article_dates()?,
            statements: self.statements_until(stop)?,
        })
    }

    /// Marks the store as about to change: a new generation token, so no
    /// snapshot taken before is used again. Call before every write.
    pub(super) fn new_generation(&self) {
        let Some(dir) = self.location() else { return };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let token = format!("{nanos:x}-{:x}", std::process::id());
        let path = dir.join(GENERATION_FILE);
        let temporary = dir.join(format!("{GENERATION_FILE}.tmp"));
        let written =
            std::fs::write(&temporary, &token).and_then(|()| std::fs::rename(&temporary, &path));
        if written.is_err() {
            // Without a new token an old snapshot could pass for current.
            let _ = std::fs::remove_file(dir.join(SNAPSHOT_FILE));
            let _ = std::fs::remove_file(&path);
        }
    }
}

fn read_generation(dir: &Path) -> Option<String> {
    std::fs::read_to_string(dir.join(GENERATION_FILE))
        .ok()
        .filter(|g| !g.is_empty())
}

fn write_snapshot(dir: &Path, generation: &str, records: &ProjectionRecords) -> io::Result<()> {
    let temporary: PathBuf = dir.join(format!("{SNAPSHOT_FILE}.tmp"));
    let mut out = Encoder(BufWriter::new(File::create(&temporary)?));
    out.0.write_all(MAGIC)?;
    out.str(generation)?;
    out.len(records.entities.len())?;
    for e in &records.entities {
        out.str(&e.iri)?;
        out.strs(&e.ids)?;
        out.strs(&e.classes)?;
        out.len(e.labels.len())?;
        for (lang, text, preferred) in &e.labels {
            out.str(lang)?;
            out.str(text)?;
            out.byte(u8::from(*preferred))?;
        }
        out.strs(&e.same_as)?;
    }
    out.len(records.articles.len())?;
    for a in &records.articles {
        out.str(&a.id)?;
        out.day(a.published)?;
    }
    out.len(records.statements.len())?;
    for s in &records.statements {
        out.str(&s.statement)?;
        out.str(&s.subject)?;
        out.str(&s.predicate)?;
        out.opt(&s.object)?;
        out.opt(&s.value)?;
        out.str(&s.article)?;
        out.byte(certainty_code(s.certainty))?;
        out.byte(u8::from(s.negated))?;
        out.opt(&s.source)?;
        out.strs(&s.via)?;
        out.opt(&s.time)?;
        out.day(s.earliest)?;
        out.day(s.latest)?;
        out.opt(&s.evidence)?;
        out.opt(&s.about)?;
        out.opt(&s.place)?;
    }
    let mut file = out.0.into_inner().map_err(|e| e.into_error())?;
    file.flush()?;
    file.sync_all()?;
    std::fs::rename(&temporary, dir.join(SNAPSHOT_FILE))
}

fn read_snapshot(path: &Path, generation: &str) -> io::Result<ProjectionRecords> {
    let mut input = Decoder(BufReader::with_capacity(1 << 20, File::open(path)?));
    let mut magic = [0u8; 8];
    input.0.read_exact(&mut magic)?;
    if &magic != MAGIC || input.str()? != generation {
        return Err(io::Error::other("the snapshot is of another generation"));
    }
    let mut records = ProjectionRecords::default();
    for _ in 0..input.len()? {
        let iri = input.str()?;
        let ids = input.strs()?;
        let classes = input.strs()?;
        let mut labels = Vec::new();
        for _ in 0..input.len()? {
            labels.push((input.str()?, input.str()?, input.byte()? == 1));
        }
        let same_as = input.strs()?;
        records.entities.push(EntityRecord {
            iri,
            ids,
            classes,
            labels,
            same_as,
        });
    }
    for _ in 0..input.len()? {
        records.articles.push(ArticleDate {
            id: input.str()?,
            published: input.day()?,
        });
    }
    let statements = input.len()?;
    records.statements.reserve(statements);
    for _ in 0..statements {
        records.statements.push(StatementRecord {
            statement: input.str()?,
            subject: input.str()?,
            predicate: input.str()?,
            object: input.opt()?,
            value: input.opt()?,
            article: input.str()?,
            certainty: certainty_from_code(input.byte()?)?,
            negated: input.byte()? == 1,
            source: input.opt()?,
            via: input.strs()?,
            time: input.opt()?,
            earliest: input.day()?,
            latest: input.day()?,
            evidence: input.opt()?,
            about: input.opt()?,
            place: input.opt()?,
        });
    }
    Ok(records)
}

fn certainty_code(c: Certainty) -> u8 {
    Certainty::ALL.iter().position(|x| *x == c).unwrap_or(0) as u8
}

fn certainty_from_code(code: u8) -> io::Result<Certainty> {
    Certainty::ALL
        .get(usize::from(code))
        .copied()
        .ok_or_else(|| io::Error::other("bad certainty code"))
}

struct Encoder<W: Write>(W);

impl<W: Write> Encoder<W> {
    fn byte(&mut self, b: u8) -> io::Result<()> {
        self.0.write_all(&[b])
    }

    fn len(&mut self, n: usize) -> io::Result<()> {
        let n = u32::try_from(n).map_err(io::Error::other)?;
        self.0.write_all(&n.to_le_bytes())
    }

    fn str(&mut self, s: &str) -> io::Result<()> {
        self.len(s.len())?;
        self.0.write_all(s.as_bytes())
    }

    fn opt(&mut self, s: &Option<String>) -> io::Result<()> {
        match s {
            None => self.byte(0),
            Some(s) => {
                self.byte(1)?;
                self.str(s)
            }
        }
    }

    fn strs(&mut self, list: &[String]) -> io::Result<()> {
        self.len(list.len())?;
        list.iter().try_for_each(|s| self.str(s))
    }

    fn day(&mut self, day: Option<Day>) -> io::Result<()> {
        match day {
            None => self.byte(0),
            Some(d) => {
                self.byte(1)?;
                self.0.write_all(&d.year.to_le_bytes())?;
                self.0.write_all(&[d.month, d.day])
            }
        }
    }
}

struct Decoder<R: Read>(R);

impl<R: Read> Decoder<R> {
    fn byte(&mut self) -> io::Result<u8> {
        let mut b = [0u8; 1];
        self.0.read_exact(&mut b)?;
        Ok(b[0])
    }

    fn len(&mut self) -> io::Result<usize> {
        let mut b = [0u8; 4];
        self.0.read_exact(&mut b)?;
        Ok(u32::from_le_bytes(b) as usize)
    }

    fn str(&mut self) -> io::Result<String> {
        let n = self.len()?;
        let mut bytes = vec![0u8; n];
        self.0.read_exact(&mut bytes)?;
        String::from_utf8(bytes).map_err(io::Error::other)
    }

    fn opt(&mut self) -> io::Result<Option<String>> {
        match self.byte()? {
            0 => Ok(None),
            _ => self.str().map(Some),
        }
    }

    fn strs(&mut self) -> io::Result<Vec<String>> {
        let n = self.len()?;
        (0..n).map(|_| self.str()).collect()
    }

    fn day(&mut self) -> io::Result<Option<Day>> {
        if self.byte()? == 0 {
            return Ok(None);
        }
        let mut year = [0u8; 4];
        self.0.read_exact(&mut year)?;
        let mut md = [0u8; 2];
        self.0.read_exact(&mut md)?;
        Ok(Some(Day {
            year: i32::from_le_bytes(year),
            month: md[0],
            day: md[1],
        }))
    }
}
