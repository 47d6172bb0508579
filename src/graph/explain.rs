//! Plain-language accounts of paths: deterministic sentences built from the
//! hops' statements, no language model. They say how far apart two entities
//! are, across how many articles, which steps rest on weak ground, and
//! which are denied by someone.

use super::search::{Path, Search};
use super::{ArticleIndex, EntityIndex, Projection};
use crate::model::Certainty;

/// One sentence (or two) about the first path, or why there is none.
pub fn explain(
    projection: &Projection,
    search: &Search<'_>,
    from: EntityIndex,
    to: EntityIndex,
    paths: &[Path],
) -> String {
    let from_label = &projection.entities.get(from).label;
    let to_label = &projection.entities.get(to).label;
    let Some(path) = paths.first() else {
        return format!(
            "No connection between {from_label} and {to_label} under the given filters."
        );
    };
    let mut articles: Vec<ArticleIndex> = Vec::new();
    let mut weak: Vec<String> = Vec::new();
    let mut denied: Vec<String> = Vec::new();
    for hop in &path.hops {
        let edge = &projection.graph[hop.edge];
        let (s, o) = if hop.forward {
            (hop.from, hop.to)
        } else {
            (hop.to, hop.from)
        };
        let triple = format!(
            "{} {} {}",
            projection.entity(s).label,
            projection.predicates[edge.predicate].label,
            projection.entity(o).label
        );
        let mut deniers: Vec<String> = projection
            .denials(hop.edge)
            .iter()
            .map(|&d| match projection.statements[d].source {
                Some(source) => projection.entities.get(source).label.clone(),
                None => "an unnamed source".to_owned(),
            })
            .collect();
        deniers.sort();
        deniers.dedup();
        if !deniers.is_empty() {
            denied.push(format!("{triple} (denied by {})", deniers.join(", ")));
        }
        let statements: Vec<_> = search.admitted(hop.edge).collect();
        articles.extend(statements.iter().map(|s| s.article));
        let best = statements
            .iter()
            .map(|s| s.certainty)
            .max()
            .unwrap_or(Certainty::Speculated);
        let mut sources: Vec<EntityIndex> = statements
            .iter()
            .filter_map(|s| s.via.first().copied().or(s.source))
            .collect();
        sources.sort_unstable();
        sources.dedup();
        if best <= Certainty::Claimed && sources.len() <= 1 {
            let who = sources
                .first()
                .map(|&e| projection.entities.get(e).label.clone())
                .unwrap_or_else(|| "an unnamed source".to_owned());
            weak.push(format!("{triple} ({best}, {who})"));
        }
    }
    articles.sort_unstable();
    articles.dedup();
    let steps = plural(path.len(), "step", "steps");
    let across = plural(articles.len(), "article", "articles");
    let mut text = format!("{from_label} is linked to {to_label} in {steps} across {across}");
    if weak.is_empty() {
        text.push_str(
            "; every step has a reported or confirmed statement, or more than one source.",
        );
    } else {
        let rest = if weak.len() == 1 { "rests" } else { "rest" };
        text.push_str(&format!(
            "; {} {rest} on a single claimed or speculated source: {}.",
            plural(weak.len(), "step", "steps"),
            weak.join("; ")
        ));
    }
    if !denied.is_empty() {
        text.push_str(&format!(
            " {} denied by another statement: {}.",
            plural(denied.len(), "step is", "steps are"),
            denied.join("; ")
        ));
    }
    if paths.len() > 1 {
        text.push_str(&format!(
            " {} found in all.",
            plural(paths.len(), "path", "paths")
        ));
    }
    text
}

/// `n` with the noun in the form it takes: "1 article", "2 articles".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
