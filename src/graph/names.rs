//! Finding entities by name: an id, any label or alias in any script, a
//! prefixed name, an IRI, or a `same_as` IRI. Names are compared by their
//! normalised match key (`normalize::match_key`), so `بوتين`, `Putin`,
//! `PUTIN` and `Mukhtiyev` find who they should.

use foldhash::HashMap;

use super::image::EntityChunks;
use super::index::{EntityIndex, Table};
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
    let mut parent: HashMap<String, String> = HashMap::default();
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
    let mut place: HashMap<String, usize> = HashMap::default();
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

/// All entities, indexed for lookup by any of their names: tables built
/// in memory, or the projection image's chunks, each read when first
/// asked for (a path resolves two names of hundreds of thousands).
#[derive(Debug)]
pub struct Entities(Form);

// One per projection, never moved in bulk: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum Form {
    Built {
        rows: Table<EntityIndex, EntityInfo>,
        names: BuiltNames,
    },
    Image(EntityChunks),
}

/// The name tables of entities built in memory.
#[derive(Debug, Default)]
struct BuiltNames {
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

impl Default for Entities {
    fn default() -> Self {
        Entities(Form::Built {
            rows: Table::default(),
            names: BuiltNames::default(),
        })
    }
}

/// A name table of the image whose chunk failed its checksum: the
/// question goes to the projection built from the store again.
pub(super) struct Damaged;

/// The name tables, by what they are keyed by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum NameTable {
    /// Every IRI (an entity's own and those merged into it).
    Iri,
    Id,
    Key,
    Translit,
    /// Match and transliteration keys, for prefix and substring search.
    Keys,
}

impl NameTable {
    /// Every kind, in the enum's order.
    pub(super) const ALL: [NameTable; 5] = [
        NameTable::Iri,
        NameTable::Id,
        NameTable::Key,
        NameTable::Translit,
        NameTable::Keys,
    ];
}

/// One name table's rows: (name, the entities it finds), sorted by name.
pub(super) type NameRows<'a> = Vec<(&'a str, Vec<EntityIndex>)>;

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
        // Every entity has an IRI, and most an id, a key and a
        // transliteration key: no map grows by rehashing.
        let (_, names) = index.built();
        names.by_iri.reserve(records.len());
        names.by_id.reserve(records.len());
        names.by_key.reserve(records.len());
        names.by_translit.reserve(records.len());
        names.keys.reserve(2 * records.len());
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
            index.push(EntityInfo {
                iri: record.iri,
                ids: record.ids,
                label,
                labels: record.labels,
                classes: record.classes,
                same_as: record.same_as,
                is_event,
                merged: absorbed,
            });
        }
        index
    }

    /// The entities of a projection image.
    pub(super) fn from_image(chunks: EntityChunks) -> Entities {
        Entities(Form::Image(chunks))
    }

    /// The tables entities are added to: built ones only (an image's are
    /// read, and a projection read from one is never added to).
    fn built(&mut self) -> (&mut Table<EntityIndex, EntityInfo>, &mut BuiltNames) {
        match &mut self.0 {
            Form::Built { rows, names } => (rows, names),
            Form::Image(_) => unreachable!("entities are added only while a projection is built"),
        }
    }

    /// Adds an entity (also used for IRIs that appear only in facts).
    pub fn push(&mut self, info: EntityInfo) -> EntityIndex {
        let (rows, names) = self.built();
        let i = EntityIndex::new(rows.len());
        names.by_iri.insert(info.iri.clone(), i);
        for iri in &info.merged {
            names.by_iri.insert(iri.clone(), i);
        }
        for id in &info.ids {
            let found = names.by_id.entry(id.clone()).or_default();
            if !found.contains(&i) {
                found.push(i);
            }
        }
        let mut name_list: Vec<&str> = info.ids.iter().map(String::as_str).collect();
        name_list.extend(info.labels.iter().map(|(_, text, _)| text.as_str()));
        let mut keys: Vec<String> = name_list
            .iter()
            .map(|n| match_key(n))
            .filter(|k| !k.is_empty())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let mut translit: Vec<String> = name_list.iter().map(|n| translit_key(n)).collect();
        translit.sort_unstable();
        translit.dedup();
        for key in translit {
            if key.is_empty() {
                continue;
            }
            names.by_translit.entry(key.clone()).or_default().push(i);
            if keys.binary_search(&key).is_err() {
                names.keys.push((key, i));
            }
        }
        for key in keys {
            names.by_key.entry(key.clone()).or_default().push(i);
            names.keys.push((key, i));
        }
        rows.push(info)
    }

    /// Sorts the search keys; call once after the last `push`.
    pub fn finish(&mut self) {
        self.built().1.keys.sort_unstable();
    }

    pub fn get(&self, i: EntityIndex) -> &EntityInfo {
        match &self.0 {
            Form::Built { rows, .. } => &rows[i],
            Form::Image(image) => image
                .row(i)
                .unwrap_or_else(|| image.fallback().entities.get(i)),
        }
    }

    /// Every entity's index, in order.
    pub fn indices(&self) -> impl Iterator<Item = EntityIndex> {
        (0..self.len()).map(EntityIndex::new)
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Form::Built { rows, .. } => rows.len(),
            Form::Image(image) => image.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Answers `ask` from these tables, or, should an image's chunk be
    /// damaged, from the projection built from the store again.
    pub(super) fn answer<R>(&self, ask: impl Fn(&Entities) -> Result<R, Damaged>) -> R {
        match (ask(self), &self.0) {
            (Ok(answer), _) => answer,
            (Err(Damaged), Form::Image(image)) => match ask(&image.fallback().entities) {
                Ok(answer) => answer,
                Err(Damaged) => unreachable!("tables built in memory are never damaged"),
            },
            (Err(Damaged), Form::Built { .. }) => {
                unreachable!("tables built in memory are never damaged")
            }
        }
    }

    /// The entities `name` finds in `table` (an exact name or key).
    fn found(&self, table: NameTable, name: &str) -> Result<&[EntityIndex], Damaged> {
        let names = match &self.0 {
            Form::Built { names, .. } => names,
            Form::Image(image) => return image.table(table).get(name),
        };
        let map = match table {
            NameTable::Iri => {
                return Ok(names
                    .by_iri
                    .get_key_value(name)
                    .map_or(&[], |(_, i)| std::slice::from_ref(i)))
            }
            NameTable::Id => &names.by_id,
            NameTable::Key => &names.by_key,
            NameTable::Translit => &names.by_translit,
            NameTable::Keys => unreachable!("the search keys are walked, not looked up"),
        };
        Ok(map.get(name).map_or(&[], Vec::as_slice))
    }

    /// The search keys from the first at or after `start`, in order.
    fn keys_from<'a>(
        &'a self,
        start: &str,
    ) -> Result<Box<dyn Iterator<Item = (&'a str, EntityIndex)> + 'a>, Damaged> {
        match &self.0 {
            Form::Built { names, .. } => {
                let at = names.keys.partition_point(|(k, _)| k.as_str() < start);
                Ok(Box::new(
                    names.keys[at..].iter().map(|(k, i)| (k.as_str(), *i)),
                ))
            }
            Form::Image(image) => {
                let rows = image.table(NameTable::Keys).from(start)?;
                Ok(Box::new(
                    rows.flat_map(|(k, found)| found.iter().map(move |&i| (k, i))),
                ))
            }
        }
    }

    /// Every row of `table`, sorted by name (what an image holds).
    pub(super) fn rows_of(&self, table: NameTable) -> Result<NameRows<'_>, Damaged> {
        let names = match &self.0 {
            Form::Built { names, .. } => names,
            Form::Image(image) => {
                let rows = image.table(table).from("")?;
                return Ok(rows.map(|(k, found)| (k, found.to_vec())).collect());
            }
        };
        fn sorted(map: &HashMap<String, Vec<EntityIndex>>) -> NameRows<'_> {
            let mut rows: NameRows<'_> = map.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
            rows
        }
        Ok(match table {
            NameTable::Iri => {
                let mut rows: NameRows<'_> = names
                    .by_iri
                    .iter()
                    .map(|(k, &i)| (k.as_str(), vec![i]))
                    .collect();
                rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
                rows
            }
            NameTable::Id => sorted(&names.by_id),
            NameTable::Key => sorted(&names.by_key),
            NameTable::Translit => sorted(&names.by_translit),
            NameTable::Keys => {
                let mut rows: NameRows<'_> = Vec::new();
                for (k, i) in &names.keys {
                    match rows.last_mut() {
                        Some((last, found)) if *last == k.as_str() => found.push(*i),
                        _ => rows.push((k.as_str(), vec![*i])),
                    }
                }
                rows
            }
        })
    }

    pub fn by_iri(&self, iri: &str) -> Option<EntityIndex> {
        self.answer(|e| Ok(e.found(NameTable::Iri, iri)?.first().copied()))
    }

    /// Resolves a name as a user types it.
    pub fn lookup(&self, name: &str) -> Lookup {
        self.answer(|e| e.try_lookup(name))
    }

    fn try_lookup(&self, name: &str) -> Result<Lookup, Damaged> {
        let name = name.trim();
        let bare = name
            .strip_prefix('<')
            .and_then(|n| n.strip_suffix('>'))
            .unwrap_or(name);
        if let Some(&i) = self.found(NameTable::Iri, bare)?.first() {
            return Ok(Lookup::Found(i));
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
            if let Some(&i) = self.found(NameTable::Iri, iri)?.first() {
                return Ok(Lookup::Found(i));
            }
            let same: Vec<EntityIndex> = self
                .indices()
                .filter(|&i| self.get(i).same_as.iter().any(|s| s == iri))
                .collect();
            if let [i] = same.as_slice() {
                return Ok(Lookup::Found(*i));
            }
        }
        // An exact id beats a label that happens to match another entity.
        if let [i] = self.found(NameTable::Id, name)? {
            return Ok(Lookup::Found(*i));
        }
        let candidates = |found: &[EntityIndex]| match found {
            [] => None,
            [i] => Some(Lookup::Found(*i)),
            many => Some(Lookup::Ambiguous(many.to_vec())),
        };
        // The exact name, then the same name in another transliteration,
        // then the single best candidate `find` would list first.
        if let Some(lookup) = candidates(self.found(NameTable::Key, &match_key(name))?) {
            return Ok(lookup);
        }
        let translit = self.found(NameTable::Translit, &translit_key(name))?;
        if let Some(lookup) = candidates(translit) {
            return Ok(lookup);
        }
        let found = self.try_search(name)?;
        let best: Vec<EntityIndex> = found
            .iter()
            .take_while(|(_, kind)| Some(kind) == found.first().map(|(_, k)| k))
            .map(|&(i, _)| i)
            .collect();
        Ok(candidates(&best).unwrap_or(Lookup::NotFound {
            nearest: self.try_nearest_name(name)?,
        }))
    }

    /// The label of the entity whose name is nearest to `name` by edit
    /// distance (of match and transliteration keys), if any is near.
    pub fn nearest_name(&self, name: &str) -> Option<String> {
        self.answer(|e| e.try_nearest_name(name))
    }

    fn try_nearest_name(&self, name: &str) -> Result<Option<String>, Damaged> {
        let wanted = [match_key(name), translit_key(name)];
        let best = self
            .keys_from("")?
            .map(|(k, i)| {
                let score = wanted
                    .iter()
                    .map(|w| strsim::normalized_levenshtein(w, k))
                    .fold(0.0, f64::max);
                (score, i)
            })
            .filter(|(score, _)| *score >= 0.6)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        Ok(best.map(|(_, i)| self.get(i).label.clone()))
    }

    /// Entities whose names match `text`: exact, then prefix, then
    /// substring matches of the normalised text, best first (ties by id).
    pub fn search(&self, text: &str) -> Vec<(EntityIndex, MatchKind)> {
        self.answer(|e| e.try_search(text))
    }

    fn try_search(&self, text: &str) -> Result<Vec<(EntityIndex, MatchKind)>, Damaged> {
        let mut wanted = vec![match_key(text)];
        let translit = translit_key(text);
        if translit != wanted[0] {
            wanted.push(translit);
        }
        wanted.retain(|k| !k.is_empty());
        let mut best: HashMap<EntityIndex, MatchKind> = HashMap::default();
        let mut found = |i: EntityIndex, kind: MatchKind| {
            let entry = best.entry(i).or_insert(kind);
            *entry = (*entry).min(kind);
        };
        for key in &wanted {
            for (k, i) in self.keys_from(key)? {
                if !k.starts_with(key.as_str()) {
                    break;
                }
                found(
                    i,
                    if k == key {
                        MatchKind::Exact
                    } else {
                        MatchKind::Prefix
                    },
                );
            }
            for (k, i) in self.keys_from("")? {
                if k.contains(key.as_str()) {
                    let kind = if k.split(' ').any(|w| w.starts_with(key.as_str())) {
                        MatchKind::WordPrefix
                    } else {
                        MatchKind::Substring
                    };
                    found(i, kind);
                }
            }
        }
        let mut found: Vec<(EntityIndex, MatchKind)> = best.into_iter().collect();
        found.sort_by(|a, b| {
            a.1.cmp(&b.1)
                .then_with(|| self.get(a.0).id().cmp(self.get(b.0).id()))
        });
        Ok(found)
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
