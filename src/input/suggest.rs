//! "Did you mean" hints: the nearest known name to a misspelt one.

/// The candidate closest to `wrong`, if it is close enough to be a likely
/// typo (case differences count as near).
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_folded = wrong.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let score = strsim::normalized_damerau_levenshtein(&wrong_folded, &c.to_lowercase());
            (score, c)
        })
        .filter(|(score, c)| {
            *score >= 0.6 || (c.len() >= 4 && c.to_lowercase().starts_with(&wrong_folded))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// ` (did you mean "x"?)` or the empty string.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    nearest(wrong, candidates).map(|c| format!("did you mean \"{c}\"?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_case_slips_but_not_strangers() {
        let keys = ["source", "subject", "predicate", "via", "evidence"];
        assert_eq!(nearest("sorce", keys), Some("source"));
        assert_eq!(nearest("Predicate", keys), Some("predicate"));
        assert_eq!(nearest("evidense", keys), Some("evidence"));
        assert_eq!(nearest("zzzzzz", keys), None);
        assert_eq!(
            nearest("atributed_to", ["attributed_to", "about"]),
            Some("attributed_to")
        );
    }
}
