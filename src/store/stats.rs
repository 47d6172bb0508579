//! Counts and listings: what `storygraph stats` and `storygraph articles`
//! show, counted by SPARQL aggregates over the store as it is.

use std::collections::{BTreeMap, HashMap};

use oxigraph::model::{NamedNode, NamedNodeRef, Term};
use oxigraph::sparql::{QueryResults, QuerySolution, SparqlEvaluator};
use oxigraph::store::StorageError;
use serde::Serialize;

use super::GraphStore;
use crate::model::Certainty;
use crate::vocab::{self, term};

/// What the store holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub articles: usize,
    pub entities: usize,
    /// Statements (facts as articles present them), negated ones included.
    pub facts: usize,
    /// Facts per certainty level, strongest first.
    pub facts_by_certainty: BTreeMap<String, usize>,
    pub negated_facts: usize,
    /// Quads in all graphs, the ontology included.
    pub triples: usize,
    /// Of them, the quads of the ontology graph (what an ingest's count of
    /// triples written leaves out).
    pub ontology_triples: usize,
    /// Named graphs: one per article, plus the ontology graph.
    pub named_graphs: usize,
}

/// One ingested article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleSummary {
    pub id: String,
    pub title: String,
    pub language: String,
    pub published: String,
    pub publisher: Option<String>,
    pub facts: usize,
}

impl GraphStore {
    /// The store's counts. Counted by SPARQL aggregates, which count
    /// encoded terms: reading each quad's strings to count it took half a
    /// minute at a million facts.
    pub fn stats(&self) -> Result<Stats, StorageError> {
        // Counting every quad walks a whole index (half the time at a
        // million facts): on a core of its own, beside the other counts.
        let (triples, counted) = side_by_side(|| self.store.len(), || self.counts());
        Ok(Stats {
            triples: triples?,
            ..counted?
        })
    }

    /// [`GraphStore::stats`] but the count of every quad (left 0).
    fn counts(&self) -> Result<Stats, StorageError> {
        // Every graph: the default graph and the named ones.
        let everywhere =
            |pattern: &str| format!("{{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }}");
        let values_of = |p: NamedNodeRef<'_>| everywhere(&format!("?s <{}> ?v", p.as_str()));
        let mut by_certainty: BTreeMap<String, usize> = Certainty::ALL
            .iter()
            .map(|c| (c.as_str().to_owned(), 0))
            .collect();
        for (value, n) in self.counts_by("v", &values_of(term::SG_CERTAINTY))? {
            if let Some(Term::NamedNode(iri)) = value {
                if let Some(level) = Certainty::from_iri(iri.as_str()) {
                    *by_certainty.entry(level.as_str().to_owned()).or_default() += n;
                }
            }
        }
        let negated = self
            .counts_by("v", &values_of(term::SG_NEGATED))?
            .into_iter()
            .filter(|(value, _)| matches!(value, Some(Term::Literal(l)) if l.value() == "true"))
            .map(|(_, n)| n)
            .sum();
        let typed = |class: NamedNodeRef<'_>| format!("?s a <{}>", class.as_str());
        Ok(Stats {
            articles: self.count(&everywhere(&typed(term::SG_ARTICLE)))?,
            entities: self.count(&typed(term::SG_ENTITY))?,
            facts: self.count(&everywhere(&typed(term::SG_STATEMENT)))?,
            facts_by_certainty: by_certainty,
            negated_facts: negated,
            triples: 0,
            ontology_triples: self.count(&format!(
                "GRAPH <{}> {{ ?s ?p ?o }}",
                vocab::ontology_graph().as_str()
            ))?,
            named_graphs: self
                .store
                .named_graphs()
                .try_fold(0usize, |n, g| g.map(|_| n + 1))?,
        })
    }

    /// Every ingested article, ordered by publication date then id: one
    /// query for what each article says of itself (the least value where
    /// it says a thing twice) and one for the facts of every graph.
    pub fn articles(&self) -> Result<Vec<ArticleSummary>, StorageError> {
        let described = |graph: &str| {
            let field =
                |p: NamedNodeRef<'_>, v: &str| format!("OPTIONAL {{ ?a <{}> ?{v} }}", p.as_str());
            format!(
                "SELECT {graph} ?a (MIN(?t) AS ?title) (MIN(?l) AS ?lang) (MIN(?d) AS ?published) \
                 (MIN(?p) AS ?publisher) WHERE {{ {open} ?a a <{article}> {title} {lang} {date} {publisher} {close} }} \
                 GROUP BY {graph} ?a",
                open = if graph.is_empty() { "" } else { "GRAPH ?g {" },
                close = if graph.is_empty() { "" } else { "}" },
                article = term::SG_ARTICLE.as_str(),
                title = field(term::SCHEMA_HEADLINE, "t"),
                lang = field(term::SCHEMA_IN_LANGUAGE, "l"),
                date = field(term::SCHEMA_DATE_PUBLISHED, "d"),
                publisher = field(term::SCHEMA_PUBLISHER, "p"),
            )
        };
        let statements = format!("?s a <{}>", term::SG_STATEMENT.as_str());
        // Facts per graph (`None`: the default graph's).
        let count_facts = || -> Result<HashMap<Option<Term>, usize>, StorageError> {
            let mut facts: HashMap<Option<Term>, usize> = self
                .counts_by("g", &format!("GRAPH ?g {{ {statements} }}"))?
                .into_iter()
                .collect();
            facts.insert(None, self.count(&statements)?);
            Ok(facts)
        };
        // The two queries on a core each.
        let (facts, rows) = side_by_side(count_facts, || {
            let mut rows = self.select(&described("?g"))?;
            rows.extend(self.select(&described(""))?);
            Ok(rows)
        });
        let (facts, rows) = (facts?, rows?);
        let mut publishers: HashMap<NamedNode, String> = HashMap::new();
        let mut articles = Vec::with_capacity(rows.len());
        for row in &rows {
            let Some(Term::NamedNode(article)) = row.get("a") else {
                continue;
            };
            let text = |v: &str| match row.get(v) {
                Some(Term::Literal(l)) => l.value().to_owned(),
                Some(Term::NamedNode(n)) => n.as_str().to_owned(),
                _ => String::new(),
            };
            let publisher = match row.get("publisher") {
                Some(Term::NamedNode(n)) => Some(match publishers.get(n) {
                    Some(label) => label.clone(),
                    None => {
                        let label = self.label(n.as_ref())?;
                        publishers.insert(n.clone(), label.clone());
                        label
                    }
                }),
                _ => None,
            };
            articles.push(ArticleSummary {
                id: vocab::article_id(article.as_str())
                    .unwrap_or(article.as_str())
                    .to_owned(),
                title: text("title"),
                language: text("lang"),
                published: text("published"),
                publisher,
                facts: facts.get(&row.get("g").cloned()).copied().unwrap_or(0),
            });
        }
        articles.sort_by(|a, b| (&a.published, &a.id).cmp(&(&b.published, &b.id)));
        Ok(articles)
    }

    /// How many solutions `pattern` has.
    fn count(&self, pattern: &str) -> Result<usize, StorageError> {
        let rows = self.select(&format!("SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"))?;
        Ok(rows
            .first()
            .and_then(|row| integer(row.get("n")))
            .unwrap_or(0))
    }

    /// How many solutions `pattern` has for each value of `?{variable}`
    /// (`None` where it is unbound).
    fn counts_by(
        &self,
        variable: &str,
        pattern: &str,
    ) -> Result<Vec<(Option<Term>, usize)>, StorageError> {
        let rows = self.select(&format!(
            "SELECT ?{variable} (COUNT(*) AS ?n) WHERE {{ {pattern} }} GROUP BY ?{variable}"
        ))?;
        Ok(rows
            .iter()
            .map(|row| {
                (
                    row.get(variable).cloned(),
                    integer(row.get("n")).unwrap_or(0),
                )
            })
            .collect())
    }

    /// The solutions of one of our own SELECT queries, over the store's
    /// default graph and named graphs as they are (no union).
    fn select(&self, query: &str) -> Result<Vec<QuerySolution>, StorageError> {
        let failed = |e: Box<dyn std::error::Error + Send + Sync>| StorageError::Other(e);
        let results = SparqlEvaluator::new()
            .parse_query(query)
            .map_err(|e| failed(e.into()))?
            .on_store(&self.store)
            .execute()
            .map_err(|e| failed(e.into()))?;
        let QueryResults::Solutions(solutions) = results else {
            return Err(failed("not a SELECT query".into()));
        };
        solutions.map(|s| s.map_err(|e| failed(e.into()))).collect()
    }

    /// A display label for an entity: its English preferred label, else any
    /// preferred label, else its id.
    pub fn label(&self, entity: NamedNodeRef<'_>) -> Result<String, StorageError> {
        Ok(self.preferred_label(entity)?.unwrap_or_else(|| {
            vocab::entity_id(entity.as_str())
                .unwrap_or(entity.as_str())
                .to_owned()
        }))
    }

    /// A term's English preferred label, else any preferred label; none
    /// when it has no `skos:prefLabel` in the default graph.
    pub fn preferred_label(
        &self,
        entity: NamedNodeRef<'_>,
    ) -> Result<Option<String>, StorageError> {
        let labels = self.objects(entity, term::SKOS_PREF_LABEL)?;
        let pick = |lang: Option<&str>| {
            labels.iter().find_map(|t| match t {
                Term::Literal(l) if lang.is_none() || l.language() == lang => {
                    Some(l.value().to_owned())
                }
                _ => None,
            })
        };
        Ok(pick(Some("en")).or_else(|| pick(None)))
    }
}

/// `first` on a thread of its own while `second` runs on this one.
fn side_by_side<A: Send, B>(
    first: impl FnOnce() -> Result<A, StorageError> + Send,
    second: impl FnOnce() -> Result<B, StorageError>,
) -> (Result<A, StorageError>, Result<B, StorageError>) {
    std::thread::scope(|scope| {
        let first = scope.spawn(first);
        let second = second();
        let first = first
            .join()
            .unwrap_or_else(|_| Err(StorageError::Other("a count failed".into())));
        (first, second)
    })
}

/// A count from an aggregate's solution.
fn integer(term: Option<&Term>) -> Option<usize> {
    match term? {
        Term::Literal(l) => l.value().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;
