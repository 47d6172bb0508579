//! The shapes of names in the input: slugs, language tags, prefixed names
//! and IRIs, and the ids derived for facts that have none.

use std::collections::HashMap;

use oxigraph::model::NamedNode;

use crate::model::{Fact, FactObject};
use crate::vocab;

/// A prefixed name with a known prefix or an absolute IRI; `Ok(None)` when
/// `name` is neither (so it was meant as an ontology local name).
pub(super) fn external_iri(name: &str) -> Result<Option<NamedNode>, String> {
    let Some((prefix, local)) = name.split_once(':') else {
        return Ok(None);
    };
    if local.starts_with("//") {
        return NamedNode::new(name)
            .map(Some)
            .map_err(|e| format!("\"{name}\" is not a valid IRI: {e}"));
    }
    match vocab::namespace(prefix) {
        Some(ns) => NamedNode::new(format!("{ns}{local}"))
            .map(Some)
            .map_err(|e| format!("\"{name}\" is not a valid prefixed name: {e}")),
        None => {
            let known: Vec<&str> = vocab::PREFIXES.iter().map(|(p, _)| *p).collect();
            Err(format!(
                "the prefix \"{prefix}:\" is unknown; expected one of {} or a full IRI",
                known
                    .iter()
                    .map(|p| format!("{p}:"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    }
}

pub(super) fn list(names: &std::collections::BTreeSet<String>) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn is_slug(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// The nearest slug to `s` (lowercased, other characters as '-').
pub(crate) fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_') {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Whether `tag` is a well-formed BCP 47 tag: a primary language subtag of
/// two or three letters (or `x-` private use), then subtags of one to eight
/// letters and digits (script, region, variants). `Arabic` is not one.
pub(crate) fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let subtag = |p: &str, lengths: std::ops::RangeInclusive<usize>, letters_only: bool| {
        lengths.contains(&p.len())
            && p.chars().all(|c| {
                if letters_only {
                    c.is_ascii_alphabetic()
                } else {
                    c.is_ascii_alphanumeric()
                }
            })
    };
    let first_ok = parts.next().is_some_and(|p| {
        subtag(p, 2..=3, true) || (p.eq_ignore_ascii_case("x") && !tag.ends_with('-'))
    });
    first_ok && parts.all(|p| subtag(p, 1..=8, false))
}

/// The BCP 47 tag of a language named in English, for "did you mean".
pub(super) fn language_code(name: &str) -> Option<&'static str> {
    const NAMES: &[(&str, &str)] = &[
        ("arabic", "ar"),
        ("english", "en"),
        ("russian", "ru"),
        ("french", "fr"),
        ("german", "de"),
        ("spanish", "es"),
        ("italian", "it"),
        ("portuguese", "pt"),
        ("azerbaijani", "az"),
        ("azeri", "az"),
        ("turkish", "tr"),
        ("persian", "fa"),
        ("farsi", "fa"),
        ("hebrew", "he"),
        ("ukrainian", "uk"),
        ("armenian", "hy"),
        ("georgian", "ka"),
        ("kurdish", "ku"),
        ("urdu", "ur"),
        ("hindi", "hi"),
        ("chinese", "zh"),
        ("japanese", "ja"),
        ("korean", "ko"),
        ("indonesian", "id"),
        ("malay", "ms"),
        ("kazakh", "kk"),
        ("uzbek", "uz"),
        ("polish", "pl"),
        ("dutch", "nl"),
        ("greek", "el"),
        ("swedish", "sv"),
        ("somali", "so"),
        ("pashto", "ps"),
        ("amharic", "am"),
        ("hausa", "ha"),
        ("swahili", "sw"),
        ("serbian", "sr"),
        ("bosnian", "bs"),
    ];
    let name = name.trim().to_ascii_lowercase();
    NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, code)| *code)
}

/// A readable id from the fact's content: `putin.warned.aliyev`, or with a
/// short content hash for literal values. Deterministic, so re-ingesting a
/// file gives the same statement IRIs.
pub(super) fn derived_fact_id(fact: &Fact) -> String {
    let predicate = fact.predicate.as_str();
    let local = predicate
        .rsplit(['#', '/'])
        .next()
        .filter(|l| !l.is_empty())
        .unwrap_or(predicate);
    let object = match &fact.object {
        FactObject::Entity(id) => id.clone(),
        FactObject::Value(literal) => {
            format!(
                "v{:08x}",
                crate::hash::fnv1a(crate::hash::literal_text(literal).as_bytes()) as u32
            )
        }
    };
    let mut id = format!("{}.{}.{}", fact.subject, slugify(local), object);
    if fact.negated {
        id.push_str(".denied");
    }
    id
}

pub(super) fn unique_id(base: String, taken: &mut HashMap<String, usize>, index: usize) -> String {
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains_key(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone(), index);
    candidate
}

/// The first character of `text` that may not be in a name or title (see
/// [`crate::normalize::is_unsafe_for_display`]); `lines` allows line
/// breaks and tabs (a quote or a description may span lines).
pub(super) fn unsafe_char(text: &str, lines: bool) -> Option<(usize, char)> {
    text.chars().enumerate().find(|&(_, c)| {
        crate::normalize::is_unsafe_for_display(c) && !(lines && matches!(c, '\n' | '\t'))
    })
}

/// The problem with `text` if it holds an unsafe character.
pub(super) fn unsafe_char_problem(text: &str, lines: bool, what: &str) -> Option<String> {
    let (at, c) = unsafe_char(text, lines)?;
    let name = match c {
        '\u{1b}' => " (ESC, which starts terminal escape sequences)",
        '\n' | '\r' => " (a line break)",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            " (a bidi override, which reorders the text after it)"
        }
        _ => "",
    };
    let shown: String = text.chars().flat_map(char::escape_debug).take(80).collect();
    Some(format!(
        "the {what} \"{shown}\" holds the character U+{:04X}{name} at position {}; text shown in terminals and drawings may not hold control characters or bidi overrides: remove it",
        c as u32,
        at + 1
    ))
}
