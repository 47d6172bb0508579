//! Reading the graph back as records: every statement with its provenance,
//! and every entity with its names. This is what the path projection and
//! name lookup are built from, in one pass over the relevant quads.

use std::collections::HashMap;

use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::StorageError;

use super::GraphStore;
use crate::deadline::CancellationToken;
use crate::model::Certainty;
use crate::timespec::{Day, TimePoint};
use crate::vocab::{self, term};

/// One statement as an article presents it.
#[derive(Clone, Debug, PartialEq)]
pub struct StatementRecord {
    pub statement: String,
    pub subject: String,
    pub predicate: String,
    /// The object IRI, or `None` when the object is a literal value.
    pub object: Option<String>,
    pub value: Option<String>,
    pub article: String,
    pub certainty: Certainty,
    pub negated: bool,
    pub source: Option<String>,
    pub via: Vec<String>,
    /// The time as written (`2024-12`, `2025-06-20/2025-06-30`).
    pub time: Option<String>,
    pub earliest: Option<Day>,
    pub latest: Option<Day>,
    pub evidence: Option<String>,
    pub about: Option<String>,
    pub place: Option<String>,
}

impl StatementRecord {
    pub(super) fn new(statement: String) -> StatementRecord {
        StatementRecord {
            statement,
            subject: String::new(),
            predicate: String::new(),
            object: None,
            value: None,
            article: String::new(),
            certainty: Certainty::default(),
            negated: false,
            source: None,
            via: Vec::new(),
            time: None,
            earliest: None,
            latest: None,
            evidence: None,
            about: None,
            place: None,
        }
    }
}

/// One entity and the names it can be found by.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EntityRecord {
    pub iri: String,
    pub ids: Vec<String>,
    pub classes: Vec<String>,
    /// (language, text, preferred?)
    pub labels: Vec<(String, String, bool)>,
    pub same_as: Vec<String>,
}

/// An article's id and publication day.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleDate {
    pub id: String,
    pub published: Option<Day>,
}

impl GraphStore {
    /// Every statement in every article graph. One index scan per
    /// provenance property (not one look-up per statement): sequential
    /// reads are what RocksDB does fast.
    pub fn statements(&self) -> Result<Vec<StatementRecord>, StorageError> {
        self.statements_until(&CancellationToken::new())
    }

    /// [`GraphStore::statements`], giving up (with an `Interrupted` error)
    /// soon after `stop` is cancelled.
    pub fn statements_until(
        &self,
        stop: &CancellationToken,
    ) -> Result<Vec<StatementRecord>, StorageError> {
        let stopped = || {
            StorageError::Io(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                "reading the statements was stopped",
            ))
        };
        let mut assembler = StatementAssembler::default();
        for (i, quad) in self
            .store
            .quads_for_pattern(
                None,
                Some(term::RDF_TYPE),
                Some(term::SG_STATEMENT.into()),
                None,
            )
            .enumerate()
        {
            if i % 4096 == 0 && stop.is_cancelled() {
                return Err(stopped());
            }
            assembler.statement(&quad?.subject);
        }
        let properties = [
            term::RDF_SUBJECT,
            term::RDF_PREDICATE,
            term::RDF_OBJECT,
            term::SG_ARTICLE_PROP,
            term::SG_CERTAINTY,
            term::SG_NEGATED,
            term::SG_SOURCE,
            term::SG_VIA,
            term::SG_TIME,
            term::SG_TIME_START,
            term::SG_TIME_END,
            term::SG_EARLIEST,
            term::SG_LATEST,
            term::SG_EVIDENCE,
            term::SG_ABOUT,
            term::SG_PLACE,
        ];
        // Decoding a quad costs RocksDB look-ups for its strings: the scans
        // run on every core and hand decoded quads to this thread in chunks.
        let (sender, receiver) =
            std::sync::mpsc::sync_channel::<Result<Vec<Quad>, StorageError>>(8);
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(properties.len());
        std::thread::scope(|scope| -> Result<(), StorageError> {
            for worker in 0..workers {
                let sender = sender.clone();
                let store = &self.store;
                scope.spawn(move || {
                    for p in properties.iter().skip(worker).step_by(workers) {
                        let mut chunk = Vec::with_capacity(4096);
                        for q in store.quads_for_pattern(None, Some(*p), None, None) {
                            match q {
                                Ok(q) => chunk.push(q),
                                Err(e) => {
                                    let _ = sender.send(Err(e));
                                    return;
                                }
                            }
                            if chunk.len() == 4096
                                && (stop.is_cancelled()
                                    || sender.send(Ok(std::mem::take(&mut chunk))).is_err())
                            {
                                return;
                            }
                        }
                        if sender.send(Ok(chunk)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(sender);
            for chunk in receiver {
                if stop.is_cancelled() {
                    return Err(stopped());
                }
                for q in chunk? {
                    assembler.property(&q);
                }
            }
            Ok(())
        })?;
        Ok(assembler.finish())
    }

    /// The quads behind part of the graph: each entity's description (in
    /// the default graph) and, in its article's graph, each statement node,
    /// the statement's direct triple (when asserted) and the article's own
    /// metadata.
    pub fn provenance_quads(
        &self,
        entities: &[&str],
        statements: &[(&str, String)],
    ) -> Result<Vec<Quad>, StorageError> {
        use oxigraph::model::{GraphName, NamedNode};
        let mut quads = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut push = |quad: Quad, quads: &mut Vec<Quad>| {
            if seen.insert(quad.clone()) {
                quads.push(quad);
            }
        };
        for &iri in entities {
            let node = NamedNode::new_unchecked(iri);
            for q in self.store.quads_for_pattern(
                Some(node.as_ref().into()),
                None,
                None,
                Some(GraphNameRef::DefaultGraph),
            ) {
                push(q?, &mut quads);
            }
        }
        let mut articles = std::collections::BTreeSet::new();
        for (statement, graph) in statements {
            let node = NamedNode::new_unchecked(*statement);
            let graph = NamedNode::new_unchecked(graph.as_str());
            let graph_ref = GraphNameRef::NamedNode(graph.as_ref());
            let mut parts: [Option<Term>; 3] = [None, None, None];
            for q in self.store.quads_for_pattern(
                Some(node.as_ref().into()),
                None,
                None,
                Some(graph_ref),
            ) {
                let q = q?;
                let p = q.predicate.as_ref();
                let slot = if p == term::RDF_SUBJECT {
                    Some(0)
                } else if p == term::RDF_PREDICATE {
                    Some(1)
                } else if p == term::RDF_OBJECT {
                    Some(2)
                } else {
                    None
                };
                if let Some(i) = slot {
                    parts[i] = Some(q.object.clone());
                }
                push(q, &mut quads);
            }
            if let [Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(o)] = parts {
                let direct = Quad::new(s, p, o, GraphName::NamedNode(graph.clone()));
                if self.store.contains(&direct)? {
                    push(direct, &mut quads);
                }
            }
            articles.insert(graph);
        }
        for graph in articles {
            for q in self.store.quads_for_pattern(
                Some(graph.as_ref().into()),
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            ) {
                push(q?, &mut quads);
            }
        }
        Ok(quads)
    }

    /// Every entity of the default graph with its ids, classes and labels.
    pub fn entities(&self) -> Result<Vec<EntityRecord>, StorageError> {
        let default = Some(GraphNameRef::DefaultGraph);
        let mut assembler = EntityAssembler::default();
        for q in self.store.quads_for_pattern(
            None,
            Some(term::RDF_TYPE),
            Some(term::SG_ENTITY.into()),
            default,
        ) {
            assembler.entity(&q?.subject);
        }
        for p in ENTITY_PROPERTIES {
            for q in self.store.quads_for_pattern(None, Some(p), None, default) {
                assembler.property(&q?);
            }
        }
        Ok(assembler.finish())
    }

    /// The records of these entities as the store has them now.
    pub fn entities_named(&self, iris: &[NamedNode]) -> Result<Vec<EntityRecord>, StorageError> {
        let default = Some(GraphNameRef::DefaultGraph);
        let mut assembler = EntityAssembler::default();
        // One entity's quads at a time (all of them have it as subject):
        // a write that named 180,000 entities held all their quads at
        // once, 280 MB of its peak.
        let mut quads = Vec::new();
        for iri in iris {
            quads.clear();
            for q in self
                .store
                .quads_for_pattern(Some(iri.as_ref().into()), None, None, default)
            {
                let q = q?;
                if q.predicate.as_ref() == term::RDF_TYPE
                    && q.object == Term::NamedNode(term::SG_ENTITY.into_owned())
                {
                    assembler.entity(&q.subject);
                }
                quads.push(q);
            }
            for q in &quads {
                assembler.property(q);
            }
        }
        Ok(assembler.finish())
    }

    /// The text (`schema:articleBody`) of article `id`, if it has one.
    pub fn article_text(&self, id: &str) -> Result<Option<String>, StorageError> {
        let article = vocab::article(id);
        for q in self.store.quads_for_pattern(
            Some(article.as_ref().into()),
            Some(term::SCHEMA_ARTICLE_BODY),
            None,
            None,
        ) {
            if let Term::Literal(text) = q?.object {
                return Ok(Some(text.value().to_owned()));
            }
        }
        Ok(None)
    }

    /// Every article's text (`schema:articleBody`), by article id.
    pub fn article_texts(&self) -> Result<Vec<(String, String)>, StorageError> {
        let mut out = Vec::new();
        for q in self
            .store
            .quads_for_pattern(None, Some(term::SCHEMA_ARTICLE_BODY), None, None)
        {
            let q = q?;
            if let (NamedOrBlankNode::NamedNode(article), Term::Literal(text)) =
                (&q.subject, &q.object)
            {
                let id = vocab::article_id(article.as_str()).unwrap_or(article.as_str());
                out.push((id.to_owned(), text.value().to_owned()));
            }
        }
        Ok(out)
    }

    pub fn article_dates(&self) -> Result<Vec<ArticleDate>, StorageError> {
        let mut out = Vec::new();
        for q in self
            .store
            .quads_for_pattern(None, Some(term::SCHEMA_DATE_PUBLISHED), None, None)
        {
            out.extend(ArticleDate::from_quad(&q?));
        }
        Ok(out)
    }
}

impl ArticleDate {
    /// The article and day of a `schema:datePublished` quad.
    pub(crate) fn from_quad(q: &Quad) -> Option<ArticleDate> {
        let NamedOrBlankNode::NamedNode(article) = &q.subject else {
            return None;
        };
        let published = match &q.object {
            Term::Literal(l) => day(l.value()),
            _ => None,
        };
        Some(ArticleDate {
            id: vocab::article_id(article.as_str())
                .unwrap_or(article.as_str())
                .to_owned(),
            published,
        })
    }
}

fn day(lexical: &str) -> Option<Day> {
    match TimePoint::from_lexical(lexical)? {
        TimePoint::Date(d) | TimePoint::DateTime { day: d, .. } => Some(d),
        _ => None,
    }
}

/// The default-graph properties an entity record is made of.
const ENTITY_PROPERTIES: [oxigraph::model::NamedNodeRef<'static>; 5] = [
    term::RDF_TYPE,
    term::SG_ENTITY_ID,
    term::SKOS_PREF_LABEL,
    term::SKOS_ALT_LABEL,
    term::OWL_SAME_AS,
];

/// Builds statement records from quads: first name the statement nodes,
/// then feed their properties in any order.
#[derive(Default)]
pub(crate) struct StatementAssembler {
    records: HashMap<String, StatementRecord>,
    intervals: HashMap<String, (Option<String>, Option<String>)>,
}

impl StatementAssembler {
    /// Records `subject` as a statement node (`a sg:Statement`).
    pub(crate) fn statement(&mut self, subject: &NamedOrBlankNode) {
        if let NamedOrBlankNode::NamedNode(statement) = subject {
            let iri = statement.as_str().to_owned();
            self.records
                .entry(iri.clone())
                .or_insert_with(|| StatementRecord::new(iri));
        }
    }

    /// Takes one provenance property of a known statement node (others are
    /// ignored).
    pub(crate) fn property(&mut self, q: &Quad) {
        let p = q.predicate.as_ref();
        let NamedOrBlankNode::NamedNode(statement) = &q.subject else {
            return;
        };
        let Some(record) = self.records.get_mut(statement.as_str()) else {
            return;
        };
        let iri = || match &q.object {
            Term::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        };
        let text = || match &q.object {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        };
        if p == term::RDF_SUBJECT {
            record.subject = iri().unwrap_or_default();
        } else if p == term::RDF_PREDICATE {
            record.predicate = iri().unwrap_or_default();
        } else if p == term::RDF_OBJECT {
            record.object = iri();
            record.value = text();
        } else if p == term::SG_ARTICLE_PROP {
            record.article = iri()
                .map(|a| vocab::article_id(&a).unwrap_or(&a).to_owned())
                .unwrap_or_default();
        } else if p == term::SG_CERTAINTY {
            record.certainty = iri()
                .and_then(|c| Certainty::from_iri(&c))
                .unwrap_or_default();
        } else if p == term::SG_NEGATED {
            record.negated = text().as_deref() == Some("true");
        } else if p == term::SG_SOURCE {
            record.source = iri();
        } else if p == term::SG_VIA {
            record.via.extend(iri());
        } else if p == term::SG_TIME {
            record.time = text();
        } else if p == term::SG_TIME_START {
            self.intervals
                .entry(record.statement.clone())
                .or_default()
                .0 = text();
        } else if p == term::SG_TIME_END {
            self.intervals
                .entry(record.statement.clone())
                .or_default()
                .1 = text();
        } else if p == term::SG_EARLIEST {
            record.earliest = text().and_then(|t| day(&t));
        } else if p == term::SG_LATEST {
            record.latest = text().and_then(|t| day(&t));
        } else if p == term::SG_EVIDENCE {
            record.evidence = text();
        } else if p == term::SG_ABOUT {
            record.about = iri();
        } else if p == term::SG_PLACE {
            record.place = iri();
        }
    }

    /// The records, in statement IRI order.
    pub(crate) fn finish(self) -> Vec<StatementRecord> {
        let StatementAssembler {
            mut records,
            intervals,
        } = self;
        for (statement, (start, end)) in intervals {
            if let Some(record) = records.get_mut(&statement) {
                // An open end is written as ISO 8601 writes it: `..`.
                record.time = match (start, end) {
                    (Some(start), Some(end)) => Some(format!("{start}/{end}")),
                    (Some(start), None) => Some(format!("{start}/..")),
                    (None, Some(end)) => Some(format!("../{end}")),
                    (None, None) => None,
                };
            }
        }
        let mut out: Vec<StatementRecord> = records.into_values().collect();
        for record in &mut out {
            record.via.sort();
        }
        out.sort_by(|a, b| a.statement.cmp(&b.statement));
        out
    }

    /// The statement records among `quads` (an article's graph).
    pub(crate) fn from_quads<'q>(
        quads: impl Iterator<Item = &'q Quad> + Clone,
    ) -> Vec<StatementRecord> {
        let mut assembler = StatementAssembler::default();
        for q in quads.clone() {
            if q.predicate.as_ref() == term::RDF_TYPE
                && q.object == Term::NamedNode(term::SG_STATEMENT.into_owned())
            {
                assembler.statement(&q.subject);
            }
        }
        for q in quads {
            assembler.property(q);
        }
        assembler.finish()
    }
}

/// Builds entity records from default-graph quads: first name the entities,
/// then feed their properties.
#[derive(Default)]
struct EntityAssembler {
    by_iri: HashMap<String, EntityRecord>,
}

impl EntityAssembler {
    fn entity(&mut self, subject: &NamedOrBlankNode) {
        if let NamedOrBlankNode::NamedNode(s) = subject {
            let iri = s.as_str().to_owned();
            self.by_iri
                .entry(iri.clone())
                .or_insert_with(|| EntityRecord {
                    iri,
                    ..EntityRecord::default()
                });
        }
    }

    fn property(&mut self, q: &Quad) {
        let p = q.predicate.as_ref();
        let NamedOrBlankNode::NamedNode(s) = &q.subject else {
            return;
        };
        let Some(record) = self.by_iri.get_mut(s.as_str()) else {
            return;
        };
        match &q.object {
            Term::NamedNode(n) if p == term::RDF_TYPE && n.as_ref() != term::SG_ENTITY => {
                record.classes.push(n.as_str().to_owned());
            }
            Term::NamedNode(n) if p == term::OWL_SAME_AS => {
                record.same_as.push(n.as_str().to_owned())
            }
            Term::Literal(l) if p == term::SG_ENTITY_ID => record.ids.push(l.value().to_owned()),
            Term::Literal(l) if p == term::SKOS_PREF_LABEL || p == term::SKOS_ALT_LABEL => {
                record.labels.push((
                    l.language().unwrap_or_default().to_owned(),
                    l.value().to_owned(),
                    p == term::SKOS_PREF_LABEL,
                ))
            }
            _ => {}
        }
    }

    /// The records, in IRI order.
    fn finish(self) -> Vec<EntityRecord> {
        let mut entities: Vec<EntityRecord> = self.by_iri.into_values().collect();
        for e in &mut entities {
            e.ids.sort();
            e.classes.sort();
            e.classes.dedup();
        }
        entities.sort_by(|a, b| a.iri.cmp(&b.iri));
        entities
    }
}
