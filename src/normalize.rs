//! Text normalisation for matching names across scripts and spellings.
//!
//! Matching folds what a reader would not count as a difference: Unicode
//! compatibility forms (NFKC), case, combining marks (Arabic tashkeel, Latin
//! accents), tatweel, alef variants (أ إ آ ٱ -> ا), ta marbuta (ة -> ه) and
//! alef maqsura (ى -> ي). Display always keeps the original text.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The matching key of `text`: normalised as above, whitespace collapsed.
pub fn match_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    // NFKD splits أ into ا + hamza and é into e + accent; dropping the
    // combining marks folds both. NFKC's compatibility mappings come with it.
    for c in text.nfkd() {
        if is_combining_mark(c) || c == '\u{0640}' {
            continue;
        }
        let c = match c {
            '\u{0671}' => '\u{0627}', // alef wasla
            '\u{0629}' => '\u{0647}', // ta marbuta -> ha
            '\u{0649}' => '\u{064A}', // alef maqsura -> ya
            _ => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_variants_fold_together() {
        assert_eq!(match_key("أذربيجان"), match_key("اذربيجان"));
        assert_eq!(match_key("إلهام"), match_key("الهام"));
        assert_eq!(match_key("آمنة"), match_key("امنه"));
        assert_eq!(match_key("ٱلقدس"), match_key("القدس"));
        assert_eq!(match_key("حذّر"), match_key("حذر"), "shadda is a diacritic");
        assert_eq!(match_key("فُتِحَ"), match_key("فتح"));
        assert_eq!(match_key("بـــوتين"), match_key("بوتين"), "tatweel");
        assert_eq!(match_key("مصطفى"), match_key("مصطفي"));
    }

    #[test]
    fn latin_folds_case_accents_and_compatibility_forms() {
        assert_eq!(match_key("İlham  Əliyev"), match_key("ilham əliyev"));
        assert_eq!(match_key("Mukhtiyev"), "mukhtiyev");
        assert_eq!(match_key("Café"), "cafe");
        assert_eq!(match_key("ﬁle"), "file", "NFKC ligature");
        assert_eq!(match_key("  Putin\t"), "putin");
    }
}
