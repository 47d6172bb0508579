//! The snapshot's records in the crate's byte layout ([`crate::codec`]):
//! one encoder and decoder per record type, shared by the full snapshot
//! and its deltas.

use std::io::{self, Read, Write};

pub(super) use crate::codec::{Decoder, Encoder};

use crate::store::records::{ArticleDate, EntityRecord, StatementRecord};

impl<W: Write> Encoder<W> {
    pub(super) fn entities(&mut self, entities: &[EntityRecord]) -> io::Result<()> {
        self.len(entities.len())?;
        for e in entities {
            self.str(&e.iri)?;
            self.strs(&e.ids)?;
            self.strs(&e.classes)?;
            self.labels(&e.labels)?;
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
        statements.iter().try_for_each(|s| self.statement(s))
    }

    pub(super) fn statement(&mut self, s: &StatementRecord) -> io::Result<()> {
        self.str(&s.statement)?;
        self.str(&s.subject)?;
        self.str(&s.predicate)?;
        self.opt(&s.object)?;
        self.opt(&s.value)?;
        self.str(&s.article)?;
        self.certainty(s.certainty)?;
        self.byte(u8::from(s.negated))?;
        self.opt(&s.source)?;
        self.strs(&s.via)?;
        self.opt(&s.time)?;
        self.day(s.earliest)?;
        self.day(s.latest)?;
        self.opt(&s.evidence)?;
        self.opt(&s.about)?;
        self.opt(&s.place)
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
            let labels = self.labels()?;
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
        self.statements_with_room(0)
    }

    /// The statements, in a list with room for `spare` more (the records
    /// deltas will merge in, without moving the list).
    pub(super) fn statements_with_room(
        &mut self,
        spare: usize,
    ) -> io::Result<Vec<StatementRecord>> {
        let n = self.len()?;
        let mut statements = Vec::with_capacity(n.min(1 << 24) + spare.min(1 << 24));
        for _ in 0..n {
            statements.push(StatementRecord {
                statement: self.str()?,
                subject: self.str()?,
                predicate: self.str()?,
                object: self.opt()?,
                value: self.opt()?,
                article: self.str()?,
                certainty: self.certainty()?,
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
