//! Articles written by a server's non-transactional bulk loader (Oxigraph
//! server's `POST /store?no_transaction`, `--bulk-load`), kept whole or
//! absent as storygraph sees them. An article is found by its content
//! digest (the copy is rebuilt from the graphs that name one), so the
//! digest is held back and sent last, in a transactional update: the
//! article's seal. Before loading, the articles are listed in a pending
//! graph in the same transaction as their old graphs are dropped; the list
//! is dropped with the last request. A load stopped half-way leaves
//! unsealed graphs that no copy includes, and the next write's first
//! request deletes those of them still unsealed.

use std::fmt::Write as _;

use oxigraph::model::{GraphName, Literal, NamedNode, Quad};

use super::push::sendable;
use super::{Endpoint, RemoteError, PENDING_GRAPH};
use crate::store::{push_article_nquads, GraphStore, WrittenArticles};
use crate::vocab::{self, term};

/// One bulk request's N-Quads grow to about this size, held in memory
/// (bodies of 128 MB were not faster at the Oxigraph server, nor was one
/// streamed body).
const LOAD_BYTES: usize = 64 << 20;

/// The update that deletes what a stopped bulk load left: the graphs the
/// pending list names that have no seal; then the list itself.
pub(super) fn clear_unsealed() -> String {
    let pending = PENDING_GRAPH.as_str();
    let listed = vocab::sg("pendingArticle");
    let listed = listed.as_str();
    let digest = term::SG_CONTENT_DIGEST.as_str();
    format!(
        "DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{pending}> {{ <{pending}> <{listed}> ?g }} \
         FILTER NOT EXISTS {{ GRAPH ?g {{ ?g <{digest}> ?d }} }} GRAPH ?g {{ ?s ?p ?o }} }} ;\n\
         DROP SILENT GRAPH <{pending}>"
    )
}

/// The update that lists `articles` as pending and drops their graphs:
/// from here until its seal, an article is absent to storygraph.
pub(super) fn open_articles(articles: &[&NamedNode]) -> String {
    let pending = PENDING_GRAPH.as_str();
    let listed = vocab::sg("pendingArticle");
    let mut text = format!("INSERT DATA {{ GRAPH <{pending}> {{\n");
    for article in articles {
        let _ = writeln!(text, "<{pending}> {listed} {article} .");
    }
    text.push_str("} }");
    for article in articles {
        let _ = write!(text, " ;\nDROP SILENT GRAPH {article}");
    }
    text
}

/// The update that ends a bulk write: the pending list dropped.
pub(super) fn close() -> String {
    format!("DROP SILENT GRAPH <{}>", PENDING_GRAPH.as_str())
}

/// Loads every quad of `articles` but their digests, in requests of about
/// `LOAD_BYTES`: as `written` holds them when it does (and the server
/// takes triple terms), else read back from the copy, without the triple
/// terms a server without RDF 1.2 refuses. Returns the quads sent and the
/// requests made.
pub(super) fn load(
    endpoint: &Endpoint,
    store: &GraphStore,
    written: &WrittenArticles,
    articles: &[&NamedNode],
    triple_terms: bool,
) -> Result<(usize, usize), RemoteError> {
    if triple_terms {
        // All of it as it was written, in two requests at once: the
        // server's loader took the 100k-fact corpus in 27 s as 64 MB
        // requests one after the other, 17 s whole (and sending parts while
        // the copy was written was slower still: the two shared the cores
        // and each request costs the server a commit).
        if let Some(text) = written.exactly(articles.iter().copied()) {
            let parts = halves(text);
            load_at_once(endpoint, &parts)?;
            return Ok((text.lines().count(), parts.len()));
        }
    }
    let mut body = String::new();
    let (mut sent, mut requests) = (0, 0);
    for (i, article) in articles.iter().enumerate() {
        // The log holds every quad; a server without triple terms is sent
        // those it takes, read back.
        match written.nquads(article).filter(|_| triple_terms) {
            Some(nquads) => {
                body.push_str(nquads);
                sent += nquads.lines().count();
            }
            None => {
                let quads = store.graph_quads(&GraphName::NamedNode((*article).clone()))?;
                sent += push_article_nquads(&mut body, &quads, |q| sendable(q, triple_terms));
            }
        }
        if body.len() >= LOAD_BYTES || (i + 1 == articles.len() && !body.is_empty()) {
            endpoint.bulk_load(body.as_bytes())?;
            requests += 1;
            body.clear();
        }
    }
    Ok((sent, requests))
}

/// `text` in two parts of whole lines (one when it has a single line, none
/// when empty).
fn halves(text: &str) -> Vec<&str> {
    let middle = text.len() / 2;
    let cut = text[middle..].find('\n').map(|at| middle + at + 1);
    match cut {
        _ if text.is_empty() => Vec::new(),
        Some(cut) if cut < text.len() => vec![&text[..cut], &text[cut..]],
        _ => vec![text],
    }
}

/// Sends each part by the bulk loader, all at once: the server parses
/// and sorts them on as many threads (the 100k-fact corpus in two
/// concurrent requests took it 8.6 s, in one 11.0 s).
fn load_at_once(endpoint: &Endpoint, parts: &[&str]) -> Result<(), RemoteError> {
    std::thread::scope(|scope| {
        let sending: Vec<_> = parts
            .iter()
            .map(|part| scope.spawn(move || endpoint.bulk_load(part.as_bytes())))
            .collect();
        sending.into_iter().try_for_each(|sender| {
            sender.join().unwrap_or_else(|_| {
                Err(RemoteError::Answer(
                    "a thread sending a bulk load stopped".into(),
                ))
            })
        })
    })
}

/// The seal of an article: its content digest, in its graph (the quad
/// [`push_article_nquads`] leaves out).
pub(super) fn seal(article: &NamedNode, digest: &str) -> Quad {
    Quad::new(
        article.clone(),
        term::SG_CONTENT_DIGEST,
        Literal::new_simple_literal(digest),
        article.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::halves;

    #[test]
    fn halves_cut_between_lines_and_keep_every_byte() {
        let text = "<a> <p> \"one\" <g> .\n<b> <p> \"two\" <g> .\n<c> <p> \"three\" <g> .\n";
        let parts = halves(text);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts.concat(), text);
        assert!(parts.iter().all(|p| p.ends_with('\n')));
        assert_eq!(halves("<a> <p> <o> <g> .\n"), ["<a> <p> <o> <g> .\n"]);
        assert!(halves("").is_empty());
        // A last line without its newline stays whole too.
        assert_eq!(halves("x\ny").concat(), "x\ny");
    }
}
