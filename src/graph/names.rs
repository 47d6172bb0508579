//! Finding entities by name: an id, any label or alias in any script, a
//! prefixed name, an IRI, or a `same_as` IRI. Names are compared by their
//! normalised match key (`normalize::match_key`), so `بوتين`, `Putin`,
//! `PUTIN` and `Mukhtiyev` find who they should.

use std::collections::HashMap;
use std::io::{self, Read, Write};

use super::index::{EntityIndex, Table};
use crate::codec::{Decoder, Encoder};
use crate::normalize::{match_key, translit_key};
use crate::ontology::Ontology;
use crate::store::{EntityRecord, GraphStore, Merge};
use crate::vocab;

/// What the rest of storygraph knows of an entity.
#[derive(Clone, Debug)]
pub struct EntityInfo {
    pub iri: String,
    /// Every input id that names it (several after a `same_as` merge).
    pub ids: Vec<String>,
    /// The display label: preferred English, else any preferred, else the id.
    pub label: String,
    /// (language, text, preferred?)
    pub labels: Vec<(String, String, bool)>,
    pub classes: Vec<String>,
    pub same_as: Vec<String>,
    pub is_event: bool,
    /// The IRIs of entities an editor merged into this one.
    pub merged: Vec<String>,
}

impl EntityInfo {
    /// The id shown to users: the id of the entity's own IRI if it has one.
    pub fn id(&self) -> &str {
        vocab::entity_id(&self.iri)
            .or_else(|| self.ids.first().map(String::as_str))
            .unwrap_or(&self.iri)
    }

    /// The label in `lang`, falling back to the display label.
    pub fn label_in(&self, lang: &str) -> &str {
        self.labels
            .iter()
            .filter(|(l, _, _)| l == lang)
            .max_by_key(|(_, _, preferred)| *preferred)
            .map_or(self.label.as_str(), |(_, text, _)| text.as_str())
    }

    /// The most specific class, shortened (`sg:Person`).
    pub fn class_name(&self) -> String {
        self.classes
            .iter()
            .find(|c| c.starts_with(vocab::SG))
            .or(self.classes.first())
            .map_or_else(|| "sg:Entity".to_owned(), |c| vocab::shorten(c))
    }
}

/// Records with every editorial merge applied: one record per group of
/// merged entities (under the group's smallest IRI, with the names, types
/// and ids of all), beside the other IRIs of its group.
fn merge_records(
    records: Vec<EntityRecord>,
    merges: &[Merge],
) -> (Vec<EntityRecord>, Vec<Vec<String>>) {
    if merges.is_empty() {
        let absorbed = vec![Vec::new(); records.len()];
        return (records, absorbed);
    }
    // Union-find over IRIs; a group's root is its smallest IRI.
    let mut parent: HashMap<String, String> = HashMap::new();
    fn root(parent: &HashMap<String, String>, iri: &str) -> String {
        let mut at = iri.to_owned();
        while let Some(up) = parent.get(&at).filter(|up| **up != at) {
            at = up.clone();
        }
        at
    }
    for merge in merges {
        let [a, b] = &merge.entities;
        let (ra, rb) = (root(&parent, a), root(&parent, b));
        let (low, high) = if ra <= rb { (ra, rb) } else { (rb, ra) };
        parent.insert(high, low);
    }
    let mut groups: Vec<EntityRecord> = Vec::new();
    let mut absorbed: Vec<Vec<String>> = Vec::new();
    let mut place: HashMap<String, usize> = HashMap::new();
    for record in records {
        let canonical = root(&parent, &record.iri);
        match place.get(&canonical) {
            Some(&at) => {
                let group = &mut groups[at];
                for id in record.ids {
                    if !group.ids.contains(&id) {
                        group.ids.push(id);
                    }
                }
                for class in record.classes {
                    if !group.classes.contains(&class) {
                        group.classes.push(class);
                    }
                }
                // One preferred label per language: the canonical's first.
                for (lang, text, preferred) in record.labels {
                    let taken = group.labels.iter().any(|(l, _, p)| *p && *l == lang);
                    group.labels.push((lang, text, preferred && !taken));
                }
                group.same_as.extend(record.same_as);
                if record.iri != canonical {
                    absorbed[at].push(record.iri);
                }
            }
            None => {
                place.insert(canonical.clone(), groups.len());
                let mut others = Vec::new();
                let mut record = record;
                if record.iri != canonical {
                    others.push(std::mem::replace(&mut record.iri, canonical));
                }
                groups.push(record);
                absorbed.push(others);
            }
        }
    }
    (groups, absorbed)
}

/// The outcome of looking a name up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    Found(EntityIndex),
    /// Several entities answer to the name; the user must pick one.
    Ambiguous(Vec<EntityIndex>),
    /// Nothing answers; the nearest name, if any is near.
    NotFound {
        nearest: Option<String>,
    },
}

/// All entities, indexed for lookup by any of their names.
#[derive(Clone, Debug, Default)]
pub struct Entities {
    entities: Table<EntityIndex, EntityInfo>,
    by_iri: HashMap<String, EntityIndex>,
    /// Entities by each of their ids, exactly as written.
    by_id: HashMap<String, Vec<EntityIndex>>,
    by_key: HashMap<String, Vec<EntityIndex>>,
    /// Entities by the transliteration key of any name (`aliev` for
    /// Aliyev, Əliyev, Алиев).
    by_translit: HashMap<String, Vec<EntityIndex>>,
    /// (match key or transliteration key, entity) for prefix and
    /// substring search, sorted.
    keys: Vec<(String, EntityIndex)>,
}

impl Entities {
    /// The store's entities with the editor's merges applied, read from
    /// their quads alone: what name lookups need, without the statements
    /// the path projection reads too.
    pub fn read(store: &GraphStore) -> Result<Entities, oxigraph::store::StorageError> {
        let merges = store.editorial_merges()?;
        let mut entities = Entities::new(store.entities()?, Ontology::get(), &merges);
        entities.finish();
        Ok(entities)
    }

    /// The entities of `records`, each editorial merge making its two one
    /// (every IRI of a merged group finds the one entity).
    pub fn new(records: Vec<EntityRecord>, ontology: &Ontology, merges: &[Merge]) -> Entities {
        let mut index = Entities::default();
        let (records, absorbed) = merge_records(records, merges);
        for (record, absorbed) in records.into_iter().zip(absorbed) {
            let label = record
                .labels
                .iter()
                .filter(|(_, _, preferred)| *preferred)
                .min_by_key(|(lang, _, _)| (lang != "en", lang.clone()))
                .map(|(_, text, _)| text.clone())
                .or_else(|| record.ids.first().cloned())
                .unwrap_or_else(|| vocab::shorten(&record.iri));
            let is_event = record
                .classes
                .iter()
                .any(|c| ontology.event_classes.contains(c));
            let i = index.push(EntityInfo {
                iri: record.iri,
                ids: record.ids,
                label,
                labels: record.labels,
                classes: record.classes,
                same_as: record.same_as,
                is_event,
                merged: absorbed.clone(),
            });
            for iri in absorbed {
                index.by_iri.insert(iri, i);
            }
        }
        index
    }

    /// Adds an entity (also used for IRIs that appear only in facts).
    pub fn push(&mut self, info: EntityInfo) -> EntityIndex {
        let i = EntityIndex::new(self.entities.len());
        self.index_iri_and_ids(i, &info);
        let mut names: Vec<String> = info.ids.clone();
        names.extend(info.labels.iter().map(|(_, text, _)| text.clone()));
        let mut keys: Vec<String> = names
            .iter()
            .map(|n| match_key(n))
            .filter(|k| !k.is_empty())
            .collect();
        keys.sort();
        keys.dedup();
        let mut translit: Vec<String> = names.iter().map(|n| translit_key(n)).collect();
        translit.sort();
        translit.dedup();
        for key in translit {
            if key.is_empty() {
                continue;
            }
            self.by_translit.entry(key.clone()).or_default().push(i);
            if keys.binary_search(&key).is_err() {
                self.keys.push((key, i));
            }
        }
        for key in keys {
            self.by_key.entry(key.clone()).or_default().push(i);
            self.keys.push((key, i));
        }
        self.entities.push(info)
    }

    /// Finds entity `i` by its IRI and by each of its ids.
    fn index_iri_and_ids(&mut self, i: EntityIndex, info: &EntityInfo) {
        self.by_iri.insert(info.iri.clone(), i);
        for id in &info.ids {
            let found = self.by_id.entry(id.clone()).or_default();
            if !found.contains(&i) {
                found.push(i);
            }
        }
    }

    /// Sorts the search keys; call once after the last `push`.
    pub fn finish(&mut self) {
        self.keys.sort();
    }

    pub fn get(&self, i: EntityIndex) -> &EntityInfo {
        &self.entities[i]
    }

    /// Every entity's index, in order.
    pub fn indices(&self) -> impl Iterator<Item = EntityIndex> {
        self.entities.indices()
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    pub fn by_iri(&self, iri: &str) -> Option<EntityIndex> {
        self.by_iri.get(iri).copied()
    }

    /// Resolves a name as a user types it.
    pub fn lookup(&self, name: &str) -> Lookup {
        let name = name.trim();
        let bare = name
            .strip_prefix('<')
            .and_then(|n| n.strip_suffix('>'))
            .unwrap_or(name);
        if let Some(i) = self.by_iri(bare) {
            return Lookup::Found(i);
        }
        // A prefixed name or IRI: ours, or a same_as IRI of one of ours.
        let expanded = match bare.split_once(':') {
            Some((prefix, local)) if !local.starts_with("//") => {
                vocab::namespace(prefix).map(|ns| format!("{ns}{local}"))
            }
            Some(_) => Some(bare.to_owned()),
            None => None,
        };
        if let Some(iri) = &expanded {
            if let Some(i) = self.by_iri(iri) {
                return Lookup::Found(i);
            }
            let same: Vec<EntityIndex> = self
                .entities
                .indices()
                .filter(|&i| self.entities[i].same_as.iter().any(|s| s == iri))
                .collect();
            if let [i] = same.as_slice() {
                return Lookup::Found(*i);
            }
        }
        // An exact id beats a label that happens to match another entity.
        if let Some([i]) = self.by_id.get(name).map(Vec::as_slice) {
            return Lookup::Found(*i);
        }
        let key = match_key(name);
        let candidates = |found: &[EntityIndex]| match found {
            [] => None,
            [i] => Some(Lookup::Found(*i)),
            many => Some(Lookup::Ambiguous(many.to_vec())),
        };
        // The exact name, then the same name in another transliteration,
        // then the single best candidate `find` would list first.
        let exact = self.by_key.get(&key).map(Vec::as_slice).unwrap_or(&[]);
        if let Some(lookup) = candidates(exact) {
            return lookup;
        }
        let translit = self.by_translit.get(&translit_key(name));
        if let Some(lookup) = candidates(translit.map(Vec::as_slice).unwrap_or(&[])) {
            return lookup;
        }
        let found = self.search(name);
        let best: Vec<EntityIndex> = found
            .iter()
            .take_while(|(_, kind)| Some(kind) == found.first().map(|(_, k)| k))
            .map(|&(i, _)| i)
            .collect();
        candidates(&best).unwrap_or_else(|| Lookup::NotFound {
            nearest: self.nearest_name(name),
        })
    }

    /// The label of the entity whose name is nearest to `name` by edit
    /// distance (of match and transliteration keys), if any is near.
    pub fn nearest_name(&self, name: &str) -> Option<String> {
        let wanted = [match_key(name), translit_key(name)];
        let best = self
            .keys
            .iter()
            .map(|(k, i)| {
                let score = wanted
                    .iter()
                    .map(|w| strsim::normalized_levenshtein(w, k))
                    .fold(0.0, f64::max);
                (score, i)
            })
            .filter(|(score, _)| *score >= 0.6)
            .max_by(|a, b| a.0.total_cmp(&b.0))?;
        Some(self.entities[*best.1].label.clone())
    }

    /// Entities whose names match `text`: exact, then prefix, then
    /// substring matches of the normalised text, best first (ties by id).
    pub fn search(&self, text: &str) -> Vec<(EntityIndex, MatchKind)> {
        let mut wanted = vec![match_key(text)];
        let translit = translit_key(text);
        if translit != wanted[0] {
            wanted.push(translit);
        }
        wanted.retain(|k| !k.is_empty());
        let mut best: HashMap<EntityIndex, MatchKind> = HashMap::new();
        let mut found = |i: EntityIndex, kind: MatchKind| {
            let entry = best.entry(i).or_insert(kind);
            *entry = (*entry).min(kind);
        };
        for key in &wanted {
            let start = self
                .keys
                .partition_point(|(k, _)| k.as_str() < key.as_str());
            for (k, i) in &self.keys[start..] {
                if !k.starts_with(key.as_str()) {
                    break;
                }
                found(
                    *i,
                    if k == key {
                        MatchKind::Exact
                    } else {
                        MatchKind::Prefix
                    },
                );
            }
            for (k, i) in &self.keys {
                if k.contains(key.as_str()) {
                    let kind = if k.split(' ').any(|w| w.starts_with(key.as_str())) {
                        MatchKind::WordPrefix
                    } else {
                        MatchKind::Substring
                    };
                    found(*i, kind);
                }
            }
        }
        let mut found: Vec<(EntityIndex, MatchKind)> = best.into_iter().collect();
        found.sort_by(|a, b| {
            a.1.cmp(&b.1)
                .then_with(|| self.entities[a.0].id().cmp(self.entities[b.0].id()))
        });
        found
    }
}

/// How well a name matched, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    Exact,
    Prefix,
    WordPrefix,
    Substring,
}

/// The projection image's form of [`Entities`]: every lookup table as
/// written, so loading one normalises no name again.
impl Entities {
    pub(crate) fn encode<W: Write>(&self, out: &mut Encoder<W>) -> io::Result<()> {
        out.len(self.entities.len())?;
        for e in &self.entities {
            out.str(&e.iri)?;
            out.strs(&e.ids)?;
            out.str(&e.label)?;
            out.len(e.labels.len())?;
            for (lang, text, preferred) in &e.labels {
                out.str(lang)?;
                out.str(text)?;
                out.byte(u8::from(*preferred))?;
            }
            out.strs(&e.classes)?;
            out.strs(&e.same_as)?;
            out.byte(u8::from(e.is_event))?;
            out.strs(&e.merged)?;
        }
        for map in [&self.by_key, &self.by_translit] {
            out.len(map.len())?;
            for (key, found) in map {
                out.str(key)?;
                out.len(found.len())?;
                found.iter().try_for_each(|i| out.u32(i.index() as u32))?;
            }
        }
        out.len(self.keys.len())?;
        for (key, i) in &self.keys {
            out.str(key)?;
            out.u32(i.index() as u32)?;
        }
        Ok(())
    }

    pub(crate) fn decode<R: Read>(input: &mut Decoder<R>) -> io::Result<Entities> {
        let n = input.len()?;
        let index = |i: u32| {
            ((i as usize) < n)
                .then(|| EntityIndex::new(i as usize))
                .ok_or_else(|| io::Error::other("entity index out of range"))
        };
        let mut entities = Entities::default();
        for _ in 0..n {
            let iri = input.str()?;
            let ids = input.strs()?;
            let label = input.str()?;
            let mut labels = Vec::new();
            for _ in 0..input.len()? {
                labels.push((input.str()?, input.str()?, input.byte()? == 1));
            }
            let info = EntityInfo {
                iri,
                ids,
                label,
                labels,
                classes: input.strs()?,
                same_as: input.strs()?,
                is_event: input.byte()? == 1,
                merged: input.strs()?,
            };
            let i = EntityIndex::new(entities.entities.len());
            entities.index_iri_and_ids(i, &info);
            for iri in &info.merged {
                entities.by_iri.insert(iri.clone(), i);
            }
            entities.entities.push(info);
        }
        for map in [&mut entities.by_key, &mut entities.by_translit] {
            for _ in 0..input.len()? {
                let key = input.str()?;
                let found = (0..input.len()?)
                    .map(|_| index(input.u32()?))
                    .collect::<io::Result<Vec<_>>>()?;
                map.insert(key, found);
            }
        }
        for _ in 0..input.len()? {
            let key = input.str()?;
            entities.keys.push((key, index(input.u32()?)?));
        }
        Ok(entities)
    }
}
