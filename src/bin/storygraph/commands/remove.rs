//! `remove` and `.remove`: take articles back out of the store and say
//! what went with them on stderr.

use storygraph::graph::explain::plural;
use storygraph::store::GraphStore;
use storygraph::Result;

use crate::args::RemoveArgs;
use crate::outcome::Outcome;

/// Removes the articles `args` names from `store`.
pub fn remove_articles(store: &GraphStore, args: &RemoveArgs) -> Result<Outcome> {
    let report = store.remove_articles(&args.ids)?;
    let articles = plural(report.articles, "article", "articles");
    let entities = match report.entities.len() {
        0 => String::new(),
        1 => " and 1 entity no other article declares or mentions".to_owned(),
        n => format!(" and {n} entities no other article declares or mentions"),
    };
    let from = match store.location() {
        Some(path) => format!(" from {}", path.display()),
        None => String::new(),
    };
    eprintln!(
        "removed {articles}{entities} ({} triples){from}",
        report.quads
    );
    Ok(Outcome::Success)
}
