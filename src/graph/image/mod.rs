//! The projection image: a built [`Projection`] kept in a file in the
//! store directory, so that the next process reads it back instead of
//! building it again. Building means turning every statement record's
//! IRIs into indices, grouping statements into edges and sorting every
//! node's neighbors (2.6 s at a million facts, from the snapshot of
//! records); the image holds the result, indices and all.
//!
//! Layout: the statements, the edges, each entity's statements, the
//! statements' facets and evidence apart (`texts.rs`), and the entities
//! and their name tables (`names.rs`) first, in chunks with a checksum
//! each, then everything else (the place of each chunk, predicates,
//! articles, denials by edge and by source, adjacency) under one
//! checksum. A process reads the last part whole and a chunk only when
//! one of its rows is asked for (`chunks.rs`): a path reads a few dozen
//! statements and edges of a million, and two entities' names.
//!
//! **Invariant:** an image is used only for the store generation it was
//! built at (the token every write of storygraph replaces first, see
//! `store::snapshot`), by the same version of storygraph with the same
//! ontology, and only when its checksums match: anything else and the
//! projection is built from the records as before (and a new image
//! written); a chunk found damaged later is replaced by the projection
//! built from the store again. Predicates are described from the store at
//! each load, as a build does.

mod chunks;
mod names;
mod texts;

pub(super) use chunks::{Chunks, Fallback, Rebuild};
pub(super) use names::EntityChunks;
pub(super) use texts::TextChunks;

use foldhash::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Arc;

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::entity_graph::EdgeRow;
use super::predicate::Predicate;
use super::search::Role;
use super::{
    Adjacency, ArticleIndex, ArticleInfo, ByEntity, Edge, EntityGraph, EntityIndex, Facets,
    PredicateIndex, Projection, Statement, StatementIndex, StatementObject, Statements, Table,
};
use crate::codec::{Decoder, Encoder};
use crate::ontology::{self, Ontology};

const IMAGE_FILE: &str = "storygraph-projection.image";
/// Change whenever the layout changes, or what a build derives from the
/// records (edge costs, role links, neighbor order): an image is trusted
/// to be what this code would build.
const MAGIC: &[u8; 8] = b"SGIMAG06";
/// Rows per chunk (evidence texts): a path's hops touch a few chunks of
/// each kind, each decoded in tens of microseconds.
const CHUNK: usize = 256;
/// Whole statements (IRIs, times, lists) are the dearest rows to decode,
/// and what asks for them (a path's hops, an export's denials) asks for
/// a few scattered ones: a path of three hops at a million facts decoded
/// ~200 statements for its ~6 in chunks of 32 (17 of a shell `.path`'s
/// 43 µs); a chunk's place costs 16 bytes read at every load.
const STATEMENT_CHUNK: usize = 8;
/// (Smaller in unit tests, so that the sample store's ~100 edges and
/// entities lie in several chunks.)
const EDGE_CHUNK: usize = if cfg!(test) { 16 } else { 64 };
const ENTITY_CHUNK: usize = if cfg!(test) { 8 } else { 64 };
/// A path's hops read a few edges and facets at random: chunks of 1024
/// cost a shell `.path` at a million facts 8 µs of its 30 decoding rows
/// it did not need; a scan pays per chunk only a read and a checksum.
const FACET_CHUNK: usize = if cfg!(test) { 16 } else { 64 };
/// The magic, then where the last part starts and its length.
const PREAMBLE: u64 = 8 + 8 + 8;

/// What an image must have been written by: this version of storygraph
/// with this ontology (roles, certainty costs and event classes are
/// derived by the code and the ontology).
fn writer_key() -> String {
    format!(
        "{} {:016x}",
        env!("CARGO_PKG_VERSION"),
        crate::hash::fnv1a(ontology::TURTLE.as_bytes())
    )
}

/// The image in `dir` if it was written at `generation` and is whole;
/// predicates still to be described. `rebuild` builds the projection from
/// the store again, should a chunk turn out damaged.
pub(super) fn load(dir: &Path, generation: &str, rebuild: chunks::Rebuild) -> Option<Projection> {
    let file = File::open(dir.join(IMAGE_FILE)).ok()?;
    let size = file.metadata().ok()?.len();
    let mut preamble = [0u8; PREAMBLE as usize];
    file.read_exact_at(&mut preamble, 0).ok()?;
    let mut input = Decoder(&preamble[..]);
    let mut magic = [0u8; 8];
    input.0.read_exact(&mut magic).ok()?;
    let (offset, length) = (input.u64().ok()?, input.u64().ok()?);
    let sound = &magic == MAGIC
        && offset >= PREAMBLE
        && offset.checked_add(length)?.checked_add(4) == Some(size);
    if !sound {
        return None;
    }
    let mut bytes = vec![0u8; usize::try_from(length + 4).ok()?];
    file.read_exact_at(&mut bytes, offset).ok()?;
    let (body, checksum) = bytes.split_last_chunk::<4>()?;
    if crc32fast::hash(body) != u32::from_le_bytes(*checksum) {
        return None;
    }
    let mut input = Decoder(body);
    if input.str().ok()? != writer_key() || input.str().ok()? != generation {
        return None;
    }
    let projection = decode(&mut input, &Arc::new(file), offset, rebuild).ok()?;
    input.0.is_empty().then_some(projection)
}

/// Writes the image of `projection` at `generation` (a temporary file
/// renamed, so readers see a whole image or the one before).
pub(super) fn save(dir: &Path, generation: &str, projection: &Projection) -> io::Result<()> {
    let temporary = crate::codec::temporary_path(dir, IMAGE_FILE);
    let written = (|| {
        let mut file = BufWriter::with_capacity(1 << 20, File::create(&temporary)?);
        file.write_all(MAGIC)?;
        file.write_all(&[0; PREAMBLE as usize - 8])?;
        let p = projection;
        let (statements, end) = chunks::write(
            &mut file,
            PREAMBLE,
            p.statements.iter(),
            STATEMENT_CHUNK,
            encode_statement,
        )?;
        let edges = p
            .graph
            .edge_references()
            .map(|e| (e.source(), e.target(), e.weight()));
        let (edges, end) = chunks::write(&mut file, end, edges, EDGE_CHUNK, encode_edge)?;
        let (by_entity, end) = chunks::write(
            &mut file,
            end,
            p.by_entity.iter(),
            ENTITY_CHUNK,
            |out, list| indices(out, list),
        )?;
        let (facets, end) = chunks::write(
            &mut file,
            end,
            p.statements.iter(),
            FACET_CHUNK,
            |out, s| encode_facets(out, &s.facets()),
        )?;
        let evidence = p.statements.iter().map(|s| s.evidence.as_deref());
        let (evidence, end) = texts::write(&mut file, end, evidence, CHUNK)?;
        let (entities, offset) = names::write(&mut file, end, &p.entities)?;
        let mut out = Encoder(Checksummed {
            inner: file,
            hasher: crc32fast::Hasher::new(),
            written: 0,
        });
        out.str(&writer_key())?;
        out.str(generation)?;
        names::encode_places(&mut out, &entities)?;
        encode_tables(&mut out, p)?;
        chunks::encode_places(&mut out, p.statements.len(), &statements)?;
        chunks::encode_places(&mut out, p.graph.edge_count(), &edges)?;
        chunks::encode_places(&mut out, p.by_entity.len(), &by_entity)?;
        chunks::encode_places(&mut out, p.statements.len(), &facets)?;
        chunks::encode_places(&mut out, p.statements.len(), &evidence)?;
        encode_rest(&mut out, p)?;
        let Checksummed {
            mut inner,
            hasher,
            written,
        } = out.0;
        inner.write_all(&hasher.finalize().to_le_bytes())?;
        let mut file = inner.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(8))?;
        file.write_all(&offset.to_le_bytes())?;
        file.write_all(&written.to_le_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, dir.join(IMAGE_FILE))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// A writer that checksums what passes through it.
struct Checksummed<W> {
    inner: W,
    hasher: crc32fast::Hasher,
    written: u64,
}

impl<W: Write> Write for Checksummed<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.hasher.update(&bytes[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn role_code(role: Option<Role>) -> u8 {
    match role {
        None => 0,
        Some(Role::About) => 1,
        Some(Role::Source) => 2,
        Some(Role::Place) => 3,
    }
}

fn role_from_code(code: u8) -> io::Result<Option<Role>> {
    Ok(match code {
        0 => None,
        1 => Some(Role::About),
        2 => Some(Role::Source),
        3 => Some(Role::Place),
        _ => return Err(io::Error::other("bad role code")),
    })
}

fn encode_tables<W: Write>(out: &mut Encoder<W>, p: &Projection) -> io::Result<()> {
    out.len(p.predicates.len())?;
    p.predicates.iter().try_for_each(|pr| out.str(&pr.iri))?;
    out.len(p.articles.len())?;
    for a in &p.articles {
        out.str(&a.id)?;
        out.day(a.published)?;
    }
    Ok(())
}

fn encode_edge<W: Write>(
    out: &mut Encoder<W>,
    (source, target, weight): (NodeIndex, NodeIndex, &Edge),
) -> io::Result<()> {
    out.u32(source.index() as u32)?;
    out.u32(target.index() as u32)?;
    out.u32(weight.predicate.index() as u32)?;
    out.byte(role_code(weight.role))?;
    out.f64(weight.evidence_cost)?;
    indices(out, &weight.statements)
}

fn encode_rest<W: Write>(out: &mut Encoder<W>, p: &Projection) -> io::Result<()> {
    lists_by_key(out, &p.denials, EdgeIndex::index)?;
    lists_by_key(out, &p.denied_by, EntityIndex::index)?;
    p.neighbors.encode(out)
}

/// Statement lists by key, in key order (an image is the same bytes for
/// the same projection).
fn lists_by_key<W: Write, K: Ord + Copy>(
    out: &mut Encoder<W>,
    lists: &HashMap<K, Vec<StatementIndex>>,
    index: impl Fn(K) -> usize,
) -> io::Result<()> {
    let mut sorted: Vec<(&K, &Vec<StatementIndex>)> = lists.iter().collect();
    sorted.sort_by_key(|(key, _)| **key);
    out.len(sorted.len())?;
    for (key, list) in sorted {
        out.u32(index(*key) as u32)?;
        indices(out, list)?;
    }
    Ok(())
}

fn indices<W: Write>(out: &mut Encoder<W>, list: &[StatementIndex]) -> io::Result<()> {
    out.len(list.len())?;
    list.iter().try_for_each(|i| out.u32(i.index() as u32))
}

fn entity<W: Write>(out: &mut Encoder<W>, e: Option<EntityIndex>) -> io::Result<()> {
    match e {
        None => out.byte(0),
        Some(e) => {
            out.byte(1)?;
            out.u32(e.index() as u32)
        }
    }
}

fn encode_statement<W: Write>(out: &mut Encoder<W>, s: &Statement) -> io::Result<()> {
    out.str(&s.iri)?;
    out.u32(s.subject.index() as u32)?;
    out.u32(s.predicate.index() as u32)?;
    match &s.object {
        StatementObject::Entity(e) => {
            out.byte(0)?;
            out.u32(e.index() as u32)?;
        }
        StatementObject::Value(v) => {
            out.byte(1)?;
            out.str(v)?;
        }
    }
    out.u32(s.article.index() as u32)?;
    out.certainty(s.certainty)?;
    out.byte(u8::from(s.negated))?;
    entity(out, s.source)?;
    out.len(s.via.len())?;
    s.via.iter().try_for_each(|v| out.u32(v.index() as u32))?;
    entity(out, s.about)?;
    entity(out, s.place)?;
    out.opt(&s.time)?;
    out.day(s.earliest)?;
    out.day(s.latest)?;
    out.opt(&s.evidence)
}

/// Reads indices, each checked against the length of the table it
/// indexes: the rest of storygraph indexes tables without checking.
struct Bounded<'d, 'b> {
    input: &'d mut Decoder<&'b [u8]>,
}

impl Bounded<'_, '_> {
    fn index<I: super::index::TableIndex>(&mut self, len: usize) -> io::Result<I> {
        let i = self.input.u32()? as usize;
        if i < len {
            Ok(I::new(i))
        } else {
            Err(io::Error::other("index out of range"))
        }
    }

    fn optional<I: super::index::TableIndex>(&mut self, len: usize) -> io::Result<Option<I>> {
        match self.input.byte()? {
            0 => Ok(None),
            _ => self.index(len).map(Some),
        }
    }

    fn list<I: super::index::TableIndex, C: FromIterator<I>>(
        &mut self,
        len: usize,
    ) -> io::Result<C> {
        let n = self.input.len()?;
        (0..n).map(|_| self.index(len)).collect()
    }
}

/// The lengths of the tables rows index into.
#[derive(Clone, Copy, Debug)]
struct Tables {
    entities: usize,
    predicates: usize,
    articles: usize,
    statements: usize,
}

fn decode_statement(input: &mut Decoder<&[u8]>, tables: Tables) -> io::Result<Statement> {
    let iri = input.str()?;
    let mut b = Bounded { input };
    let subject = b.index(tables.entities)?;
    let predicate = b.index(tables.predicates)?;
    let object = match b.input.byte()? {
        0 => StatementObject::Entity(b.index(tables.entities)?),
        _ => StatementObject::Value(b.input.str()?),
    };
    Ok(Statement {
        iri,
        subject,
        predicate,
        object,
        article: b.index(tables.articles)?,
        certainty: b.input.certainty()?,
        negated: b.input.byte()? == 1,
        source: b.optional(tables.entities)?,
        via: b.list(tables.entities)?,
        about: b.optional(tables.entities)?,
        place: b.optional(tables.entities)?,
        time: b.input.opt()?,
        earliest: b.input.day()?,
        latest: b.input.day()?,
        evidence: b.input.opt()?,
    })
}

fn encode_facets<W: Write>(out: &mut Encoder<W>, f: &Facets) -> io::Result<()> {
    out.u32(f.predicate.index() as u32)?;
    out.u32(f.article.index() as u32)?;
    out.certainty(f.certainty)?;
    out.byte(u8::from(f.negated))?;
    out.day(f.earliest)?;
    out.day(f.latest)
}

fn decode_facets(input: &mut Decoder<&[u8]>, tables: Tables) -> io::Result<Facets> {
    let mut b = Bounded { input };
    Ok(Facets {
        predicate: b.index(tables.predicates)?,
        article: b.index(tables.articles)?,
        certainty: b.input.certainty()?,
        negated: b.input.byte()? == 1,
        earliest: b.input.day()?,
        latest: b.input.day()?,
    })
}

fn decode_edge(input: &mut Decoder<&[u8]>, tables: Tables) -> io::Result<EdgeRow> {
    let mut b = Bounded { input };
    let source: EntityIndex = b.index(tables.entities)?;
    let target: EntityIndex = b.index(tables.entities)?;
    Ok(EdgeRow {
        source: NodeIndex::new(source.index()),
        target: NodeIndex::new(target.index()),
        edge: Edge {
            predicate: b.index(tables.predicates)?,
            role: role_from_code(b.input.byte()?)?,
            evidence_cost: b.input.f64()?,
            statements: b.list(tables.statements)?,
        },
    })
}

fn decode_entity_statements(
    input: &mut Decoder<&[u8]>,
    tables: Tables,
) -> io::Result<Vec<StatementIndex>> {
    Bounded { input }.list(tables.statements)
}

/// The projection from the image's last part (`end` is where it starts)
/// and the chunks it places.
fn decode(
    input: &mut Decoder<&[u8]>,
    file: &Arc<File>,
    end: u64,
    rebuild: Rebuild,
) -> io::Result<Projection> {
    let ontology = Ontology::get();
    let no_tables = Tables {
        entities: 0,
        predicates: 0,
        articles: 0,
        statements: 0,
    };
    let entities = names::decode_places(input, file, end, no_tables)?;
    let predicates: Table<PredicateIndex, Predicate> = (0..input.len()?)
        .map(|_| Ok(Predicate::new(input.str()?, ontology)))
        .collect::<io::Result<_>>()?;
    let articles: Table<ArticleIndex, ArticleInfo> = (0..input.len()?)
        .map(|_| {
            Ok(ArticleInfo {
                id: input.str()?,
                published: input.day()?,
            })
        })
        .collect::<io::Result<_>>()?;
    let mut tables = Tables {
        entities: entities.len(),
        predicates: predicates.len(),
        articles: articles.len(),
        statements: 0,
    };
    let statements =
        Chunks::decode_places(input, file, end, STATEMENT_CHUNK, tables, decode_statement)?;
    tables.statements = statements.len();
    let edges = Chunks::decode_places(input, file, end, EDGE_CHUNK, tables, decode_edge)?;
    let by_entity = Chunks::decode_places(
        input,
        file,
        end,
        ENTITY_CHUNK,
        tables,
        decode_entity_statements,
    )?;
    if by_entity.len() != entities.len() {
        return Err(io::Error::other(
            "the entities' statements do not fit the entities",
        ));
    }
    let facets = Chunks::decode_places(input, file, end, FACET_CHUNK, tables, decode_facets)?;
    let evidence = TextChunks::decode_places(input, file, end, CHUNK)?;
    if facets.len() != statements.len() || evidence.len() != statements.len() {
        return Err(io::Error::other("the facets do not fit the statements"));
    }
    let n_edges = edges.len();
    let mut denials = HashMap::default();
    for _ in 0..input.len()? {
        let edge = input.u32()? as usize;
        if edge >= n_edges {
            return Err(io::Error::other("edge index out of range"));
        }
        denials.insert(
            EdgeIndex::new(edge),
            Bounded { input }.list(tables.statements)?,
        );
    }
    let mut denied_by = HashMap::default();
    for _ in 0..input.len()? {
        let entity: EntityIndex = Bounded { input }.index(entities.len())?;
        denied_by.insert(entity, Bounded { input }.list(tables.statements)?);
    }
    let neighbors = Adjacency::decode(input, entities.len(), n_edges)?;
    let fallback = Fallback::new(rebuild, statements.len(), n_edges);
    Ok(Projection {
        graph: EntityGraph::from_image(entities.len(), edges, Arc::clone(&fallback)),
        entities: entities.into_entities(Arc::clone(&fallback)),
        predicates,
        articles,
        statements: Statements::from_image(statements, facets, evidence, Arc::clone(&fallback)),
        by_entity: ByEntity::from_image(by_entity, fallback),
        denials,
        denied_by,
        neighbors,
    })
}

#[cfg(test)]
mod tests;
