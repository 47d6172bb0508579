//! Likely duplicates: pairs of entities that may be one thing under two
//! ids (`kartavykh` and `kartavikh`, `aliyev` and `aliev-ilham`), for an
//! editor to merge. A pair needs close names in some script (compared by
//! their transliteration keys, so Латиница and Latin meet) and compatible
//! types; neighbors they share add to its score.
//!
//! Only names that share a word's first four letters are compared, so the
//! work grows with the entities, not their square (a block of more than
//! `MAX_BLOCK` entities, a very common word start, is skipped).

use std::collections::{BTreeSet, HashMap};

use super::{EntityIndex, Projection};
use crate::normalize::translit_key;

/// A block larger than this is too common a word start to tell anything.
const MAX_BLOCK: usize = 200;
/// How close two names must be (1 - edit distance / length, of their
/// transliteration keys) when nothing else speaks for the pair: one slip
/// in a name of ten letters.
const CLOSE: f64 = 0.9;
/// How close, when they share a neighbor too.
const CLOSE_WITH_NEIGHBORS: f64 = 0.8;

/// A pair of entities that may be one.
#[derive(Clone, Debug, PartialEq)]
pub struct Duplicate {
    pub a: EntityIndex,
    pub b: EntityIndex,
    /// How alike their closest names are: 1.0 for the same transliteration.
    pub name_similarity: f64,
    /// Entities both are tied to by a fact.
    pub shared_neighbors: usize,
    /// Name similarity plus a little for each shared neighbor.
    pub score: f64,
}

/// Likely duplicate pairs, most likely first.
pub fn duplicates(projection: &Projection) -> Vec<Duplicate> {
    let entities = &projection.entities;
    let named: Vec<(EntityIndex, Vec<String>)> = entities
        .indices()
        .map(|e| {
            let info = entities.get(e);
            // Names, or the ids of an entity that has none (ids such as
            // `charge-treason` share words that say nothing).
            let mut names: Vec<String> = info
                .labels
                .iter()
                .map(|(_, text, _)| translit_key(text))
                .filter(|k| !k.is_empty())
                .collect();
            if names.is_empty() {
                names = info
                    .ids
                    .iter()
                    .map(|id| translit_key(&id.replace(['-', '_'], " ")))
                    .collect();
            }
            names.sort();
            names.dedup();
            (e, names)
        })
        .collect();
    let mut blocks: HashMap<String, Vec<usize>> = HashMap::new();
    for (at, (_, names)) in named.iter().enumerate() {
        let starts: BTreeSet<String> = names
            .iter()
            .flat_map(|n| n.split(' '))
            .filter(|word| word.chars().count() >= 3)
            .map(|word| word.chars().take(4).collect())
            .collect();
        for start in starts {
            blocks.entry(start).or_default().push(at);
        }
    }
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for members in blocks.values().filter(|m| m.len() <= MAX_BLOCK) {
        for (i, &x) in members.iter().enumerate() {
            for &y in &members[i + 1..] {
                pairs.insert((x.min(y), x.max(y)));
            }
        }
    }
    let mut found = Vec::new();
    for (x, y) in pairs {
        let ((a, names_a), (b, names_b)) = (&named[x], &named[y]);
        if !compatible_types(projection, *a, *b) {
            continue;
        }
        let similarity = names_a
            .iter()
            .flat_map(|p| names_b.iter().map(move |q| name_similarity(p, q)))
            .fold(0.0, f64::max);
        let shared = shared_neighbors(projection, *a, *b);
        let close = similarity >= CLOSE || (similarity >= CLOSE_WITH_NEIGHBORS && shared > 0);
        if close {
            found.push(Duplicate {
                a: *a,
                b: *b,
                name_similarity: similarity,
                shared_neighbors: shared,
                score: similarity + 0.05 * shared.min(4) as f64,
            });
        }
    }
    found.sort_by(|p, q| {
        q.score
            .total_cmp(&p.score)
            .then_with(|| (p.a, p.b).cmp(&(q.a, q.b)))
    });
    found
}

/// How alike two transliteration keys are (1 - edit distance / length);
/// 0 when their numbers differ: "Resolution 2334" and "Resolution 2335",
/// "Unit 2146" and "Unit 2241" are other things, not slips of the pen.
fn name_similarity(p: &str, q: &str) -> f64 {
    let numbers = |name: &str| -> Vec<String> {
        name.split(|c: char| !c.is_ascii_digit())
            .filter(|run| !run.is_empty())
            .map(str::to_owned)
            .collect()
    };
    if numbers(p) != numbers(q) {
        return 0.0;
    }
    strsim::normalized_levenshtein(p, q)
}

/// The same most specific class, or one of them without a class of ours.
fn compatible_types(projection: &Projection, a: EntityIndex, b: EntityIndex) -> bool {
    let (a, b) = (projection.entities.get(a), projection.entities.get(b));
    let generic = "sg:Entity";
    let (ca, cb) = (a.class_name(), b.class_name());
    ca == cb || ca == generic || cb == generic
}

/// How many entities both are linked to (either direction).
fn shared_neighbors(projection: &Projection, a: EntityIndex, b: EntityIndex) -> usize {
    let of = |e: EntityIndex| -> BTreeSet<usize> {
        projection
            .neighbors
            .of(projection.node(e))
            .iter()
            .map(|l| l.node().index())
            .collect()
    };
    of(a).intersection(&of(b)).count()
}

#[cfg(test)]
mod tests {
    use super::name_similarity;

    #[test]
    fn names_that_differ_in_their_numbers_are_not_alike() {
        assert!(name_similarity("ilya kartavykh", "ilya kartavikh") >= 0.9);
        assert_eq!(name_similarity("resolution 2334", "resolution 2334"), 1.0);
        assert_eq!(name_similarity("resolution 2334", "resolution 2335"), 0.0);
        assert_eq!(name_similarity("kanaez 2146", "kanaez 2241"), 0.0);
        assert_eq!(name_similarity("brigade 12", "brigade"), 0.0);
    }
}
