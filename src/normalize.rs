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
    if text.is_ascii() {
        ascii_match_key(text)
    } else {
        unicode_match_key(text)
    }
}

fn unicode_match_key(text: &str) -> String {
    // NFKD splits أ into ا + hamza and é into e + accent; dropping the
    // combining marks folds both. NFKC's compatibility mappings come with it.
    let folded = text
        .nfkd()
        .filter(|&c| !is_combining_mark(c) && c != '\u{0640}')
        .map(|c| match c {
            '\u{0671}' => '\u{0627}', // alef wasla
            '\u{0629}' => '\u{0647}', // ta marbuta -> ha
            '\u{0649}' => '\u{064A}', // alef maqsura -> ya
            _ => c,
        });
    lowercase_collapsed(folded, text.len()).nfc().collect()
}

/// [`match_key`] of ASCII text, which NFKD and NFC leave as it is and
/// which has no marks. Most names are ASCII, and a projection of 180,000
/// entities spent two of its nine seconds decomposing them.
fn ascii_match_key(text: &str) -> String {
    lowercase_collapsed(text.chars(), text.len())
}

/// `chars` lowercased, each run of whitespace one space, none at the ends
/// (`capacity`: about the bytes they take).
fn lowercase_collapsed(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut space = false;
    for c in chars {
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
    out
}

/// A looser key for names written in other alphabets or spelled another
/// way: the [`match_key`], Cyrillic and Azerbaijani letters written in
/// Latin, then the spellings transliterations disagree on folded
/// (kh/x/h, ye/e, yu/u, ya/a, -iy/-y/-i endings, w/v, doubled letters).
/// So `Aliev`, `Aliyev`, `Əliyev` and `Алиев` share one key. Arabic script
/// is left as `match_key` has it. Used to find, never to display.
pub fn translit_key(text: &str) -> String {
    let mut latin = String::with_capacity(text.len());
    for c in match_key(text).chars() {
        latin.push_str(match c {
            // Cyrillic (й and ё lost their marks in match_key).
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ґ' => "g",
            'д' => "d",
            'е' | 'э' | 'є' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'і' => "i",
            'ї' => "yi",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            // Azerbaijani and Turkish letters NFKD keeps whole.
            'ə' => "a",
            'ı' => "i",
            'ş' => "sh",
            'ç' => "ch",
            'ğ' => "g",
            _ => {
                latin.push(c);
                continue;
            }
        });
    }
    latin
        .split(' ')
        .map(fold_word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One Latin word with the spellings transliterations disagree on folded.
fn fold_word(word: &str) -> String {
    let mut w = word.to_owned();
    for (from, to) in [
        ("shch", "sh"),
        ("sch", "sh"),
        ("kh", "h"),
        ("x", "h"),
        ("w", "v"),
        ("ye", "e"),
        ("yo", "o"),
        ("yu", "u"),
        ("ya", "a"),
        ("iy", "i"),
        ("ij", "i"),
    ] {
        // Most words hold few of them: no new string for the rest, and a
        // plain byte scan (`str::contains` set up a searcher per call,
        // a tenth of a projection's build among 180,000 entities).
        let from_bytes = from.as_bytes();
        let holds = w
            .as_bytes()
            .windows(from_bytes.len())
            .any(|at| at.iter().zip(from_bytes).all(|(a, b)| a == b));
        if holds {
            w = w.replace(from, to);
        }
    }
    // -y and -i endings (Zelensky, Zelenskiy, Зеленский) meet at -i.
    if w.len() > 3 && w.ends_with('y') {
        w.pop();
        w.push('i');
    }
    let mut out = String::with_capacity(w.len());
    for c in w.chars() {
        if out.ends_with(c) && c.is_ascii_alphabetic() {
            continue;
        }
        out.push(c);
    }
    out
}

/// Whether `c` must not reach a terminal or a drawing as it is: a control
/// character (escape sequences, line breaks) or a bidi embedding, override
/// or isolate (which reorders what follows it). Marks (U+200E/U+200F) are
/// fine: they only nudge neutral characters.
pub fn is_unsafe_for_display(c: char) -> bool {
    c.is_control()
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
        || c == '\u{2028}'
        || c == '\u{2029}'
}

/// Whether `text` holds a character [`is_unsafe_for_display`] refuses,
/// by its UTF-8 bytes: every hop of every path shown asks it of every
/// name and quote, and decoding each character cost more than the rest.
pub fn has_unsafe_for_display(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        // C0 controls and DEL.
        0x00..=0x1F | 0x7F => true,
        // C1 controls: U+0080..U+009F.
        0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
        // U+2028..U+202E (separators, embeddings, overrides) and
        // U+2066..U+2069 (isolates).
        0xE2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0xA8..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
        ),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scan_finds_what_the_character_test_refuses() {
        for code in (0..0x3000u32).chain(0xFFF0..0x10010) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let text = format!("ab{c}فل");
            assert_eq!(
                has_unsafe_for_display(&text),
                text.chars().any(is_unsafe_for_display),
                "U+{code:04X}"
            );
        }
    }

    #[test]
    fn the_ascii_key_is_the_general_one() {
        // Every ASCII character, in runs that mix letters, digits,
        // controls and every kind of whitespace.
        let mut state = 0x2545_f491_u32;
        for _ in 0..2000 {
            let text: String = (0..12)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    char::from((state % 0x80) as u8)
                })
                .collect();
            assert_eq!(ascii_match_key(&text), unicode_match_key(&text), "{text:?}");
        }
    }

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

    #[test]
    fn transliterations_of_one_name_share_a_key() {
        let aliyev = translit_key("Aliyev");
        for variant in ["Aliev", "Əliyev", "Алиев", "ALIYEV", "Aliyew"] {
            assert_eq!(translit_key(variant), aliyev, "{variant}");
        }
        assert_eq!(translit_key("Mukhtiyev"), translit_key("Muxtiyev"));
        assert_eq!(translit_key("Zelensky"), translit_key("Зеленский"));
        assert_eq!(translit_key("Zelenskiy"), translit_key("Zelensky"));
        assert_eq!(translit_key("Путин"), translit_key("Putin"));
        assert_eq!(translit_key("Картавых"), translit_key("Kartavykh"));
        assert_eq!(translit_key("Ilham Aliyev"), translit_key("Ильхам Алиев"));
        assert_ne!(translit_key("Aliyev"), translit_key("Mehdiyev"));
        // Arabic script keeps its match key.
        assert_eq!(translit_key("علييف"), match_key("علييف"));
    }
}
