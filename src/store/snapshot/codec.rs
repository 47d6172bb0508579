//! The snapshot's byte layout: little-endian lengths, UTF-8 strings, and
//! one encoder and decoder per record type, shared by the full snapshot
//! and its deltas.

use std::io::{self, Read, Write};

use crate::model::Certainty;
use crate::store::records::{ArticleDate, EntityRecord, StatementRecord};
use crate::timespec::Day;

fn certainty_code(c: Certainty) -> u8 {
    Certainty::ALL.iter().position(|x| *x == c).unwrap_or(0) as u8
}

fn certainty_from_code(code: u8) -> io::Result<Certainty> {
    Certainty::ALL
        .get(usize::from(code))
        .copied()
        .ok_or_else(|| io::Error::other("bad certainty code"))
}

pub(super) struct Encoder<W: Write>(pub(super) W);

impl<W: Write> Encoder<W> {
    pub(super) fn byte(&mut self, b: u8) -> io::Result<()> {
        self.0.write_all(&[b])
    }

    pub(super) fn len(&mut self, n: usize) -> io::Result<()> {
        let n = u32::try_from(n).map_err(io::Error::other)?;
        self.0.write_all(&n.to_le_bytes())
    }

    pub(super) fn u64(&mut self, n: u64) -> io::Result<()> {
        self.0.write_all(&n.to_le_bytes())
    }

    pub(super) fn str(&mut self, s: &str) -> io::Result<()> {
        self.len(s.len())?;
        self.0.write_all(s.as_bytes())
    }

    pub(super) fn opt(&mut self, s: &Option<String>) -> io::Result<()> {
        match s {
            None => self.byte(0),
            Some(s) => {
                self.byte(1)?;
                self.str(s)
            }
        }
    }

    pub(super) fn strs(&mut self, list: &[String]) -> io::Result<()> {
        self.len(list.len())?;
        list.iter().try_for_each(|s| self.str(s))
    }

    pub(super) fn day(&mut self, day: Option<Day>) -> io::Result<()> {
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

pub(super) struct Decoder<R: Read>(pub(super) R);

impl<R: Read> Decoder<R> {
    pub(super) fn byte(&mut self) -> io::Result<u8> {
        let mut b = [0u8; 1];
        self.0.read_exact(&mut b)?;
        Ok(b[0])
    }

    pub(super) fn len(&mut self) -> io::Result<usize> {
        let mut b = [0u8; 4];
        self.0.read_exact(&mut b)?;
        Ok(u32::from_le_bytes(b) as usize)
    }

    pub(super) fn u64(&mut self) -> io::Result<u64> {
        let mut b = [0u8; 8];
        self.0.read_exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    pub(super) fn str(&mut self) -> io::Result<String> {
        let n = self.len()?;
        let mut bytes = vec![0u8; n];
        self.0.read_exact(&mut bytes)?;
        String::from_utf8(bytes).map_err(io::Error::other)
    }

    pub(super) fn opt(&mut self) -> io::Result<Option<String>> {
        match self.byte()? {
            0 => Ok(None),
            _ => self.str().map(Some),
        }
    }

    pub(super) fn strs(&mut self) -> io::Result<Vec<String>> {
        let n = self.len()?;
        (0..n).map(|_| self.str()).collect()
    }

    pub(super) fn day(&mut self) -> io::Result<Option<Day>> {
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

impl<W: Write> Encoder<W> {
    pub(super) fn entities(&mut self, entities: &[EntityRecord]) -> io::Result<()> {
        self.len(entities.len())?;
        for e in entities {
            self.str(&e.iri)?;
            self.strs(&e.ids)?;
            self.strs(&e.classes)?;
            self.len(e.labels.len())?;
            for (lang, text, preferred) in &e.labels {
                self.str(lang)?;
                self.str(text)?;
                self.byte(u8::from(*preferred))?;
            }
            self.strs(&e.same_as)?;
        }
        Ok(())
    }

    pub(super) fn articles(&mut self, articles: &[ArticleDate]) -> io::Result<()> {
        self.len(articles.len())?;
        for a in articles {
            self.str(&a.id)?;
            self.day(a.published)?;
        }
        Ok(())
    }

    pub(super) fn statements(&mut self, statements: &[StatementRecord]) -> io::Result<()> {
        self.len(statements.len())?;
        for s in statements {
            self.str(&s.statement)?;
            self.str(&s.subject)?;
            self.str(&s.predicate)?;
            self.opt(&s.object)?;
            self.opt(&s.value)?;
            self.str(&s.article)?;
            self.byte(certainty_code(s.certainty))?;
            self.byte(u8::from(s.negated))?;
            self.opt(&s.source)?;
            self.strs(&s.via)?;
            self.opt(&s.time)?;
            self.day(s.earliest)?;
            self.day(s.latest)?;
            self.opt(&s.evidence)?;
            self.opt(&s.about)?;
            self.opt(&s.place)?;
        }
        Ok(())
    }
}

impl<R: Read> Decoder<R> {
    pub(super) fn entities(&mut self) -> io::Result<Vec<EntityRecord>> {
        let n = self.len()?;
        let mut entities = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            let iri = self.str()?;
            let ids = self.strs()?;
            let classes = self.strs()?;
            let mut labels = Vec::new();
            for _ in 0..self.len()? {
                labels.push((self.str()?, self.str()?, self.byte()? == 1));
            }
            let same_as = self.strs()?;
            entities.push(EntityRecord {
                iri,
                ids,
                classes,
                labels,
                same_as,
            });
        }
        Ok(entities)
    }

    pub(super) fn articles(&mut self) -> io::Result<Vec<ArticleDate>> {
        let n = self.len()?;
        let mut articles = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            articles.push(ArticleDate {
                id: self.str()?,
                published: self.day()?,
            });
        }
        Ok(articles)
    }

    pub(super) fn statements(&mut self) -> io::Result<Vec<StatementRecord>> {
        let n = self.len()?;
        let mut statements = Vec::with_capacity(n.min(1 << 24));
        for _ in 0..n {
            statements.push(StatementRecord {
                statement: self.str()?,
                subject: self.str()?,
                predicate: self.str()?,
                object: self.opt()?,
                value: self.opt()?,
                article: self.str()?,
                certainty: certainty_from_code(self.byte()?)?,
                negated: self.byte()? == 1,
                source: self.opt()?,
                via: self.strs()?,
                time: self.opt()?,
                earliest: self.day()?,
                latest: self.day()?,
                evidence: self.opt()?,
                about: self.opt()?,
                place: self.opt()?,
            });
        }
        Ok(statements)
    }
}
