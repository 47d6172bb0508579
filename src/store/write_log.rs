//! What a command wrote, as it wrote it: the article graphs' quads kept in
//! N-Quads while a log is open, so that sending them on (a remote store's
//! bulk load) needs no read-back. Reading a store's quads back decodes each
//! string by a RocksDB look-up, about 13 µs a quad: most of a bulk push.
//! The log holds at most a given number of bytes; an article past it, and
//! every article once entities were merged or background RDF written (they
//! rewrite graphs the log holds), is read back instead.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Mutex;

use oxigraph::model::{NamedNode, Quad};

use crate::vocab::term;

/// The articles a command wrote, each as N-Quads without its digest, one
/// after the other in one text (so all of it can be sent as it lies).
#[derive(Debug, Default)]
pub struct WrittenArticles {
    text: String,
    /// Where each article's lines are in `text`.
    ranges: HashMap<NamedNode, std::ops::Range<usize>>,
    /// The bytes of `text` no article's range covers any more (an article
    /// written twice).
    dead: usize,
}

impl WrittenArticles {
    /// The article's quads as written, N-Quads lines without the content
    /// digest, when the log holds them.
    pub fn nquads(&self, graph: &NamedNode) -> Option<&str> {
        self.ranges.get(graph).map(|r| &self.text[r.clone()])
    }

    /// Every logged line, when the log holds exactly `articles` (each
    /// named once) and nothing else.
    pub fn exactly<'g>(
        &self,
        mut articles: impl ExactSizeIterator<Item = &'g NamedNode>,
    ) -> Option<&str> {
        let all = self.dead == 0
            && articles.len() == self.ranges.len()
            && articles.all(|a| self.ranges.contains_key(a));
        all.then_some(self.text.as_str())
    }
}

/// Appends an article's quads as a bulk load carries them: N-Quads lines,
/// without the content digest (which seals the article, sent after), and
/// only those `keep` lets through. Returns the lines written.
pub fn push_article_nquads<'q>(
    text: &mut String,
    quads: impl IntoIterator<Item = &'q Quad>,
    keep: impl Fn(&Quad) -> bool,
) -> usize {
    let mut lines = 0;
    for quad in quads {
        if quad.predicate != term::SG_CONTENT_DIGEST && keep(quad) {
            let _ = writeln!(text, "{quad} .");
            lines += 1;
        }
    }
    lines
}

#[derive(Debug, Default)]
pub(super) struct WriteLog {
    state: Mutex<Option<LogState>>,
}

#[derive(Debug)]
struct LogState {
    written: WrittenArticles,
    limit: usize,
}

impl WriteLog {
    pub(super) fn start(&self, limit: usize) {
        *self.lock() = Some(LogState {
            written: WrittenArticles::default(),
            limit,
        });
    }

    pub(super) fn take(&self) -> WrittenArticles {
        self.lock().take().map(|s| s.written).unwrap_or_default()
    }

    /// Records one article's quads (the last version written wins).
    pub(super) fn article(&self, graph: &NamedNode, quads: &[Quad]) {
        let mut guard = self.lock();
        let Some(state) = guard.as_mut() else {
            return;
        };
        let written = &mut state.written;
        if let Some(old) = written.ranges.remove(graph) {
            written.dead += old.len();
        }
        if quads.is_empty() || written.text.len() >= state.limit {
            return;
        }
        let start = written.text.len();
        push_article_nquads(&mut written.text, quads, |_| true);
        let end = written.text.len();
        written.ranges.insert(graph.clone(), start..end);
    }

    /// Forgets every article: a write changed graphs in ways not logged.
    pub(super) fn spoil(&self) {
        if let Some(state) = self.lock().as_mut() {
            state.written = WrittenArticles::default();
            state.limit = 0;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<LogState>> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;

    fn article(name: &str, facts: usize) -> (NamedNode, Vec<Quad>) {
        let graph = NamedNode::new_unchecked(format!("https://example.org/{name}"));
        let mut quads: Vec<Quad> = (0..facts)
            .map(|i| {
                Quad::new(
                    graph.clone(),
                    NamedNode::new_unchecked("https://example.org/p"),
                    Literal::from(i as i64),
                    graph.clone(),
                )
            })
            .collect();
        quads.push(Quad::new(
            graph.clone(),
            term::SG_CONTENT_DIGEST,
            Literal::new_simple_literal("d"),
            graph.clone(),
        ));
        (graph, quads)
    }

    #[test]
    fn the_log_holds_each_article_once_without_its_digest() {
        let log = WriteLog::default();
        let (a, a_quads) = article("a", 2);
        let (b, b_quads) = article("b", 1);
        log.article(&a, &a_quads); // not open: nothing kept
        log.start(1 << 20);
        log.article(&a, &a_quads);
        log.article(&b, &b_quads);
        let written = log.take();
        assert_eq!(written.nquads(&a).unwrap().lines().count(), 2);
        assert!(!written.nquads(&a).unwrap().contains("contentDigest"));
        assert_eq!(
            written
                .exactly([&a, &b].into_iter())
                .unwrap()
                .lines()
                .count(),
            3
        );
        assert!(written.exactly([&a].into_iter()).is_none());
        assert!(log.take().nquads(&a).is_none(), "taking closes the log");
    }

    #[test]
    fn a_rewritten_article_or_a_full_or_spoiled_log_is_read_back() {
        let log = WriteLog::default();
        let (a, a_quads) = article("a", 2);
        let (b, b_quads) = article("b", 1);
        log.start(1 << 20);
        log.article(&a, &a_quads);
        log.article(&a, &b_quads[..1]);
        let written = log.take();
        // The last version is kept, but the text is no longer all live.
        assert_eq!(written.nquads(&a).unwrap().lines().count(), 1);
        assert!(written.exactly([&a].into_iter()).is_none());
        log.start(1);
        log.article(&a, &a_quads);
        log.article(&b, &b_quads);
        let written = log.take();
        assert!(written.nquads(&a).is_some() && written.nquads(&b).is_none());
        log.start(1 << 20);
        log.article(&a, &a_quads);
        log.spoil();
        log.article(&b, &b_quads);
        let written = log.take();
        assert!(written.nquads(&a).is_none() && written.nquads(&b).is_none());
    }
}
