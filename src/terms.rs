//! Search terms: how text is cut into terms, the same way for what is indexed and
//! what is asked: words (letters, digits and the marks on them), each
//! folded by `normalize::match_key` (NFKC, case, tashkeel, hamza and alef
//! variants, ta marbuta, alef maqsura), then stemmed by its script: Arabic
//! by a light stemmer (Light10: و and the article ال with its prefixed
//! forms off the front, common suffixes off the end), Cyrillic by
//! Snowball's Russian stemmer, Latin by Snowball's English one. Each term
//! keeps its byte range in the original text, for highlighting.

use std::ops::Range;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::normalize::match_key;

/// The name the index knows the analyzer by.
pub const NAME: &str = "storygraph";

/// The terms of `text`, each with its byte range in `text`.
pub fn terms(text: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let mut start = None;
    let flush = |from: usize, to: usize, out: &mut Vec<(Range<usize>, String)>| {
        for word in match_key(&text[from..to]).split(|c: char| !c.is_alphanumeric()) {
            if !word.is_empty() {
                out.push((from..to, stem(word)));
            }
        }
    };
    for (at, c) in text.char_indices() {
        let in_word = c.is_alphanumeric()
            || unicode_normalization::char::is_combining_mark(c)
            || c == '\u{0640}';
        match (in_word, start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                flush(from, at, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        flush(from, text.len(), &mut out);
    }
    out
}

/// The stem of a folded word, by its script.
fn stem(word: &str) -> String {
    let first = word.chars().next().unwrap_or(' ');
    if ('\u{0600}'..='\u{06FF}').contains(&first) {
        arabic_light_stem(word)
    } else if ('\u{0400}'..='\u{04FF}').contains(&first) {
        thread_local! {
            static RUSSIAN: frostem::Stemmer = frostem::Stemmer::new(frostem::Algorithm::Russian);
        }
        RUSSIAN.with(|s| s.stem(word).into_owned())
    } else if first.is_ascii_alphabetic() {
        thread_local! {
            static ENGLISH: frostem::Stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        }
        ENGLISH.with(|s| s.stem(word).into_owned())
    } else {
        word.to_owned()
    }
}

/// Light10 (Larkey, Ballesteros and Connell), on a folded word (ة is ه and
/// ى is ي already): what is left keeps at least two letters.
fn arabic_light_stem(word: &str) -> String {
    let len = |s: &str| s.chars().count();
    let mut w = word;
    if len(w) > 3 {
        if let Some(rest) = w.strip_prefix('و') {
            w = rest;
        }
    }
    for article in ["وال", "بال", "كال", "فال", "لل", "ال"] {
        if let Some(rest) = w.strip_prefix(article) {
            if len(rest) > 1 {
                w = rest;
                break;
            }
        }
    }
    for suffix in ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"] {
        if let Some(rest) = w.strip_suffix(suffix) {
            if len(rest) > 1 {
                w = rest;
            }
        }
    }
    w.to_owned()
}

/// Whether every term of `query` is a term of `text`: `sg:matches` in
/// SPARQL, the index's matching without the index.
pub fn matches(text: &str, query: &str) -> bool {
    thread_local! {
        static LAST: std::cell::RefCell<(String, Vec<String>)> = Default::default();
    }
    let have: std::collections::HashSet<String> = terms(text).into_iter().map(|(_, t)| t).collect();
    // The query is the same on every row: its stems are kept, not copied.
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 != query {
            let mut stems: Vec<String> = terms(query).into_iter().map(|(_, t)| t).collect();
            stems.sort();
            stems.dedup();
            *last = (query.to_owned(), stems);
        }
        !last.1.is_empty() && last.1.iter().all(|w| have.contains(w))
    })
}

/// [`terms`] as a tantivy tokenizer.
#[derive(Clone, Default)]
pub struct StorygraphTokenizer {
    tokens: Vec<Token>,
}

pub struct Terms<'a> {
    tokens: &'a mut [Token],
    at: usize,
}

impl Tokenizer for StorygraphTokenizer {
    type TokenStream<'a> = Terms<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Terms<'a> {
        self.tokens.clear();
        for (position, (range, term)) in terms(text).into_iter().enumerate() {
            self.tokens.push(Token {
                offset_from: range.start,
                offset_to: range.end,
                position,
                text: term,
                position_length: 1,
            });
        }
        Terms {
            tokens: &mut self.tokens,
            at: 0,
        }
    }
}

impl TokenStream for Terms<'_> {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        terms(text).into_iter().map(|(_, t)| t).collect()
    }

    #[test]
    fn arabic_variants_tashkeel_and_prefixes_meet() {
        assert_eq!(stems("إسقاط"), stems("اسقاط"));
        assert_eq!(stems("الطائرة"), stems("طائره"));
        assert_eq!(stems("وبالطائرةِ"), stems("الطائرة"));
        assert_eq!(
            stems("حذّر"),
            stems("حذر"),
            "the shadda stays inside the word"
        );
        assert_eq!(stems("المسؤولون"), stems("مسؤول"));
    }

    #[test]
    fn russian_and_english_words_meet_their_inflections() {
        assert_eq!(stems("переворота"), stems("переворот"));
        assert_eq!(stems("Coups planned"), stems("coup plans"));
    }

    #[test]
    fn a_text_matches_when_it_has_every_term_of_the_query() {
        assert!(matches("وأعلنت روسيا إسقاطَ الطائرة", "اسقاط طائرة"));
        assert!(!matches("وأعلنت روسيا إسقاطَ الطائرة", "اسقاط صاروخ"));
        assert!(matches("Putin warned Aliyev", "warning"));
        assert!(!matches("anything", "  "));
    }

    #[test]
    fn terms_keep_their_place_in_the_original_text() {
        let text = "قال «بوتين» warned";
        let found = terms(text);
        assert_eq!(&text[found[1].0.clone()], "بوتين");
        assert_eq!(&text[found[2].0.clone()], "warned");
    }
}
