//! The evidence guard: when an article carries its text, every fact's
//! `evidence` must be words of that text, so that no quote is invented,
//! whoever (or whatever model) wrote the JSON.
//!
//! A quote is compared by a key a reader would not tell apart from the
//! text: `normalize::match_key` (NFKC, case, Arabic letter variants and
//! tashkeel), quotation marks dropped and whitespace ignored, since quotes
//! are copied with other quote marks and line breaks. An ellipsis (`...`
//! or `…`) marks words left out, as in print: each part must be found, in
//! order. When a quote is not found, the passage of the text that shares
//! most of its words is shown, so that the writer sees what the text says.

use std::collections::HashSet;
use std::ops::Range;

use crate::normalize::match_key;

/// An article's text, ready to check quotes against.
pub struct ArticleText<'t> {
    text: &'t str,
    key: String,
}

/// Characters a copied quote may have in other forms or not at all.
fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | '\u{00AB}'
            | '\u{00BB}'
            | '\u{2018}'..='\u{201F}'
            | '\u{2039}'
            | '\u{203A}'
            | '\u{300C}'..='\u{300F}'
            | '\u{FF02}'
            | '\u{FF07}'
    )
}

/// The key quotes and texts are compared by.
fn quote_key(text: &str) -> String {
    let folded: String = text
        .chars()
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c if is_quote_mark(c) => ' ',
            c => c,
        })
        .collect();
    match_key(&folded)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

impl<'t> ArticleText<'t> {
    pub fn new(text: &'t str) -> ArticleText<'t> {
        ArticleText {
            text,
            key: quote_key(text),
        }
    }

    /// Whether `quote` is words of the text (see the module comment).
    pub fn contains(&self, quote: &str) -> bool {
        let mut from = 0;
        let mut parts = 0;
        for part in quote.split(['…', '\u{22EF}']).flat_map(|p| p.split("...")) {
            let key = quote_key(part);
            if key.is_empty() {
                continue;
            }
            match self.key[from..].find(&key) {
                Some(at) => from += at + key.len(),
                None => return false,
            }
            parts += 1;
        }
        parts > 0
    }

    /// The passage (one sentence, or two in a row) that shares most words
    /// with `quote`, whitespace collapsed and cut to about 300 characters;
    /// `None` when no passage shares a word with it.
    pub fn nearest_passage(&self, quote: &str) -> Option<String> {
        let wanted = words(quote);
        if wanted.is_empty() {
            return None;
        }
        let sentences = sentences(self.text);
        let sets: Vec<HashSet<String>> = sentences
            .iter()
            .map(|r| words(&self.text[r.clone()]))
            .collect();
        let dice = |have: &HashSet<&String>| {
            let common = wanted.iter().filter(|w| have.contains(w)).count();
            (2 * common) as f64 / (wanted.len() + have.len()) as f64
        };
        let mut best: Option<(f64, Range<usize>)> = None;
        for (i, range) in sentences.iter().enumerate() {
            for span in 1..=2 {
                let Some(last) = sentences.get(i + span - 1) else {
                    continue;
                };
                let have: HashSet<&String> = sets[i..i + span].iter().flatten().collect();
                let score = dice(&have);
                if score > 0.0 && best.as_ref().is_none_or(|(b, _)| score > *b) {
                    best = Some((score, range.start..last.end));
                }
            }
        }
        let (_, range) = best?;
        Some(shown(&self.text[range]))
    }
}

/// The byte ranges of the sentences of `text`, ends included.
fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if matches!(
            c,
            '.' | '!' | '?' | '\u{061F}' | '\u{06D4}' | '\u{3002}' | '\n'
        ) {
            let end = at + c.len_utf8();
            if !text[start..end].trim().is_empty() {
                out.push(start..end);
            }
            start = end;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(start..text.len());
    }
    out
}

/// The distinct words of `text` by their match key, punctuation trimmed.
fn words(text: &str) -> HashSet<String> {
    match_key(text)
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

/// `passage` with whitespace collapsed, cut at a word to about 300 characters.
fn shown(passage: &str) -> String {
    const MAX: usize = 300;
    let collapsed = passage.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= MAX {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(MAX).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut} …")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "أعلن الرئيس إلهام علييف، يوم الأحد، أن «أذربيجان مستعدة لإرسال قوات» إلى غزة.\n\
        وقال مسؤول: \"لم يُتخذ أي قرار بعد\". The minister said the plan \"is on hold\" — for now.";

    #[test]
    fn a_quote_is_found_across_letter_variants_quote_marks_and_line_breaks() {
        let text = ArticleText::new(TEXT);
        // Hamza, tashkeel and the guillemets differ; the words are the same.
        assert!(text.contains("اذربيجان مستعدة لارسال قوات"));
        assert!(text.contains("\"أذربيجانُ مستعدة لإرسال قوات\" إلى غزة."));
        assert!(text.contains("لم يتخذ أي قرار بعد"));
        assert!(text.contains("THE MINISTER SAID the plan 'is on hold' - for now"));
        assert!(text.contains("غزة. وقال مسؤول"), "across a line break");
    }

    #[test]
    fn an_invented_or_changed_quote_is_not_found() {
        let text = ArticleText::new(TEXT);
        assert!(!text.contains("أذربيجان سترسل قوات إلى غزة"));
        assert!(!text.contains("The minister said the plan is cancelled"));
        assert!(!text.contains(""));
        assert!(!text.contains(" … "));
    }

    #[test]
    fn an_ellipsis_leaves_words_out_but_keeps_the_order() {
        let text = ArticleText::new(TEXT);
        assert!(text.contains("أعلن الرئيس … مستعدة لإرسال قوات"));
        assert!(text.contains("The minister said ... for now"));
        assert!(!text.contains("for now ... The minister said"));
        assert!(!text.contains("The minister said … invented words"));
    }

    #[test]
    fn the_nearest_passage_is_the_sentence_sharing_most_words() {
        let text = ArticleText::new(TEXT);
        assert_eq!(
            text.nearest_passage("مسؤول قال إنه لم يتخذ قرار")
                .as_deref(),
            Some("وقال مسؤول: \"لم يُتخذ أي قرار بعد\".")
        );
        assert_eq!(
            text.nearest_passage("the plan is cancelled, the minister said")
                .as_deref(),
            Some("The minister said the plan \"is on hold\" — for now.")
        );
        assert_eq!(text.nearest_passage("zzz qqq"), None);
    }

    #[test]
    fn a_long_passage_is_cut_at_a_word() {
        let long = "word ".repeat(200);
        let shown = ArticleText::new(&long).nearest_passage("word").unwrap();
        assert!(shown.chars().count() <= 302, "{shown}");
        assert!(shown.ends_with("word …"), "{shown}");
    }
}
