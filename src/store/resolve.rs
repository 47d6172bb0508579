//! Entity resolution: which IRI each entity id of a document names.
//!
//! An id names the entity that already carries it (in the store, or earlier
//! in the same run). Ids that share a `same_as` IRI name one entity: the
//! first one known, else the smallest id of the group. When a document ties
//! together two entities that were separate, they are merged: every quad of
//! the other one is rewritten onto the canonical IRI, and its ids, names and
//! types stay (a second preferred name in a language becomes an alias).

use std::collections::{BTreeSet, HashMap, HashSet};

use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, Triple,
};
use oxigraph::store::{StorageError, Transaction};

use super::GraphStore;
use crate::input::validate::{KnownEntities, KnownPredicate};
use crate::mapping::EntityIris;
use crate::model::Document;
use crate::vocab::{self, term};

/// Resolves ids across the documents of one run; ids resolved earlier in the
/// run are remembered, so later documents see them before they are written.
pub struct Resolver<'s> {
    store: &'s GraphStore,
    /// Ids declared by documents of this run that are not resolved yet.
    expected: HashSet<String>,
    ids: HashMap<String, NamedNode>,
    same_as: HashMap<NamedNode, NamedNode>,
    /// Predicates declared by documents of this run.
    predicates: HashMap<String, KnownPredicate>,
    resolution: Resolution,
}

/// The outcome of resolving a run's documents.
#[derive(Debug, Default)]
pub struct Resolution {
    ids: HashMap<String, NamedNode>,
    preferred: HashMap<(NamedNode, String), Option<String>>,
    merges: Vec<(NamedNode, NamedNode)>,
}

impl EntityIris for Resolution {
    fn iri(&self, id: &str) -> NamedNode {
        self.ids
            .get(id)
            .cloned()
            .unwrap_or_else(|| vocab::entity(id))
    }

    fn preferred_label(&self, iri: &NamedNode, lang: &str) -> Option<String> {
        self.preferred
            .get(&(iri.clone(), lang.to_owned()))
            .cloned()
            .flatten()
    }
}

impl KnownEntities for Resolver<'_> {
    fn is_known(&self, id: &str) -> bool {
        self.expected.contains(id)
            || self.ids.contains_key(id)
            || self.store.entity_with_id(id).ok().flatten().is_some()
    }

    fn predicate(&self, id: &str) -> Option<KnownPredicate> {
        if let Some(known) = self.predicates.get(id) {
            return Some(known.clone());
        }
        self.store.declared_predicate(id).ok().flatten()
    }
}

impl<'s> Resolver<'s> {
    pub(super) fn new(store: &'s GraphStore) -> Resolver<'s> {
        Resolver {
            store,
            expected: HashSet::new(),
            ids: HashMap::new(),
            same_as: HashMap::new(),
            predicates: HashMap::new(),
            resolution: Resolution::default(),
        }
    }

    /// Marks ids as known before their document is validated, so that files
    /// of one run may reference each other's entities in any order.
    pub fn expect_ids<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) {
        self.expected.extend(ids.into_iter().map(str::to_owned));
    }

    /// Makes predicates that documents of this run declare known to the
    /// others (before or after they are written).
    pub fn expect_predicates(
        &mut self,
        predicates: impl IntoIterator<Item = (String, KnownPredicate)>,
    ) {
        self.predicates.extend(predicates);
    }

    /// Resolves every entity id that the documents declare or reference:
    /// all declarations first, so a reference never depends on file order.
    pub fn resolve(&mut self, docs: &[Document]) -> Result<(), StorageError> {
        for doc in docs {
            self.declare(doc)?;
        }
        for doc in docs {
            for article in &doc.articles {
                if let Some(publisher) = &article.publisher {
                    self.reference(publisher)?;
                }
                for fact in &article.facts {
                    for id in fact.entity_refs() {
                        self.reference(id)?;
                    }
                }
            }
        }
        for (id, iri) in &self.ids {
            self.resolution.ids.insert(id.clone(), iri.clone());
        }
        Ok(())
    }

    /// The resolution of everything resolved so far.
    pub fn resolution(&self) -> &Resolution {
        &self.resolution
    }

    /// The merges decided since the last call, for the next write.
    pub fn take_merges(&mut self) -> Vec<(NamedNode, NamedNode)> {
        std::mem::take(&mut self.resolution.merges)
    }

    fn declare(&mut self, doc: &Document) -> Result<(), StorageError> {
        // Group declarations that share a same_as IRI (union-find).
        let n = doc.entities.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let mut owner: HashMap<&NamedNode, usize> = HashMap::new();
        for (i, entity) in doc.entities.iter().enumerate() {
            for iri in &entity.same_as {
                match owner.get(iri) {
                    Some(&j) => {
                        let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                        parent[a] = b;
                    }
                    None => {
                        owner.insert(iri, i);
                    }
                }
            }
        }
        let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
        for i in 0..n {
            let r = root(&mut parent, i);
            groups.entry(r).or_default().push(i);
        }
        let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
        groups.sort();
        for members in groups {
            let mut existing: BTreeSet<NamedNode> = BTreeSet::new();
            for &i in &members {
                let entity = &doc.entities[i];
                if let Some(iri) = self.known_id(&entity.id)? {
                    existing.insert(iri);
                }
                for same in &entity.same_as {
                    if let Some(iri) = self.known_same_as(same)? {
                        existing.insert(iri);
                    }
                }
            }
            let canonical = match existing.iter().next() {
                Some(first) => first.clone(),
                None => {
                    let smallest = members.iter().map(|&i| doc.entities[i].id.as_str()).min();
                    vocab::entity(smallest.unwrap_or_default())
                }
            };
            for other in existing.iter().skip(1) {
                self.merge(other.clone(), canonical.clone());
            }
            for &i in &members {
                let entity = &doc.entities[i];
                self.ids.insert(entity.id.clone(), canonical.clone());
                for same in &entity.same_as {
                    self.same_as.insert(same.clone(), canonical.clone());
                }
                for (lang, name) in &entity.names {
                    self.claim_preferred(&canonical, lang, name)?;
                }
            }
        }
        Ok(())
    }

    fn reference(&mut self, id: &str) -> Result<(), StorageError> {
        if !self.ids.contains_key(id) {
            let iri = self.lookup_id(id)?.unwrap_or_else(|| vocab::entity(id));
            self.ids.insert(id.to_owned(), iri);
        }
        Ok(())
    }

    fn merge(&mut self, absorbed: NamedNode, canonical: NamedNode) {
        let earlier = self.resolution.merges.iter_mut().map(|(_, new)| new);
        for iri in self
            .ids
            .values_mut()
            .chain(self.same_as.values_mut())
            .chain(earlier)
        {
            if *iri == absorbed {
                *iri = canonical.clone();
            }
        }
        self.resolution.merges.push((absorbed, canonical));
    }

    fn known_id(&self, id: &str) -> Result<Option<NamedNode>, StorageError> {
        match self.ids.get(id) {
            Some(iri) => Ok(Some(iri.clone())),
            None => self.lookup_id(id),
        }
    }

    fn known_same_as(&self, iri: &NamedNode) -> Result<Option<NamedNode>, StorageError> {
        if let Some(found) = self.same_as.get(iri) {
            return Ok(Some(found.clone()));
        }
        let found = self
            .store
            .first_subject(term::OWL_SAME_AS, iri.as_ref().into())?;
        Ok(found.and_then(named))
    }

    fn lookup_id(&self, id: &str) -> Result<Option<NamedNode>, StorageError> {
        Ok(self.store.entity_with_id(id)?.and_then(named))
    }

    /// The preferred label of `iri` in `lang` is the store's, else the first
    /// one this run declares.
    fn claim_preferred(
        &mut self,
        iri: &NamedNode,
        lang: &str,
        name: &str,
    ) -> Result<(), StorageError> {
        let key = (iri.clone(), lang.to_owned());
        if self.resolution.preferred.contains_key(&key) {
            return Ok(());
        }
        let existing = self
            .store
            .objects(iri.as_ref(), term::SKOS_PREF_LABEL)?
            .into_iter()
            .find_map(|t| match t {
                Term::Literal(l) if l.language() == Some(lang) => Some(l.value().to_owned()),
                _ => None,
            });
        self.resolution
            .preferred
            .insert(key, Some(existing.unwrap_or_else(|| name.to_owned())));
        Ok(())
    }
}

fn named(node: NamedOrBlankNode) -> Option<NamedNode> {
    match node {
        NamedOrBlankNode::NamedNode(n) => Some(n),
        NamedOrBlankNode::BlankNode(_) => None,
    }
}

/// Moves every quad of `old` onto `new`, in every graph, including the
/// triple terms that statement nodes reify.
pub(super) fn rewrite_entity(
    tx: &mut Transaction<'_>,
    old: NamedNodeRef<'_>,
    new: NamedNodeRef<'_>,
) -> Result<(), StorageError> {
    let swap = |n: &NamedNode| {
        if n.as_ref() == old {
            new.into_owned()
        } else {
            n.clone()
        }
    };
    let swap_term = |t: &Term| match t {
        Term::NamedNode(n) => Term::NamedNode(swap(n)),
        other => other.clone(),
    };
    // Languages that already have a preferred label on the canonical entity.
    let mut preferred_langs = BTreeSet::new();
    for q in tx.quads_for_pattern(
        Some(new.into()),
        Some(term::SKOS_PREF_LABEL),
        None,
        Some(GraphNameRef::DefaultGraph),
    ) {
        if let Term::Literal(l) = q?.object {
            preferred_langs.insert(l.language().unwrap_or_default().to_owned());
        }
    }
    let as_subject: Vec<Quad> = tx
        .quads_for_pattern(Some(old.into()), None, None, None)
        .collect::<Result<_, _>>()?;
    let as_object: Vec<Quad> = tx
        .quads_for_pattern(None, None, Some(old.into()), None)
        .collect::<Result<_, _>>()?;
    // Statement nodes that name the old entity reify a triple that does too.
    let mut statements: Vec<(NamedOrBlankNode, GraphName)> = Vec::new();
    for q in &as_object {
        let names_old =
            q.predicate.as_ref() == term::RDF_SUBJECT || q.predicate.as_ref() == term::RDF_OBJECT;
        let key = (q.subject.clone(), q.graph_name.clone());
        if names_old && !statements.contains(&key) {
            statements.push(key);
        }
    }
    for q in as_subject.iter().chain(&as_object) {
        tx.remove(q);
    }
    for q in as_subject.iter().chain(&as_object) {
        let subject = match &q.subject {
            NamedOrBlankNode::NamedNode(n) => NamedOrBlankNode::NamedNode(swap(n)),
            other => other.clone(),
        };
        let mut predicate = q.predicate.clone();
        if predicate.as_ref() == term::SKOS_PREF_LABEL && q.subject.as_ref() == old.into() {
            if let Term::Literal(l) = &q.object {
                if !preferred_langs.insert(l.language().unwrap_or_default().to_owned()) {
                    predicate = term::SKOS_ALT_LABEL.into_owned();
                }
            }
        }
        tx.insert(&Quad::new(
            subject,
            predicate,
            swap_term(&q.object),
            q.graph_name.clone(),
        ));
    }
    for (statement, graph) in statements {
        let reified: Vec<Quad> = tx
            .quads_for_pattern(
                Some(statement.as_ref()),
                Some(term::RDF_REIFIES),
                None,
                Some(graph.as_ref()),
            )
            .collect::<Result<_, _>>()?;
        for q in reified {
            if let Term::Triple(t) = &q.object {
                let subject = match &t.subject {
                    NamedOrBlankNode::NamedNode(n) => NamedOrBlankNode::NamedNode(swap(n)),
                    other => other.clone(),
                };
                let rewritten = Triple::new(subject, t.predicate.clone(), swap_term(&t.object));
                tx.remove(&q);
                tx.insert(&Quad::new(
                    q.subject.clone(),
                    q.predicate.clone(),
                    Term::from(rewritten),
                    q.graph_name.clone(),
                ));
            }
        }
    }
    Ok(())
}
