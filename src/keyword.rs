//! Closed sets of values a user names by a word: output formats, path
//! weights, what an ingest does with a bad line. Each is a plain enum with
//! a name and a help line per value, so the binary can offer them as
//! command-line choices without the library depending on a CLI crate.

/// A value named by one word, out of a fixed list.
pub trait Keyword: Copy + Eq + Send + Sync + 'static {
    /// Every value, in the order help lists them.
    const ALL: &'static [Self];

    /// The word that names the value (`table`, `json`, ...).
    fn name(self) -> &'static str;

    /// One line saying what the value means (empty when the name says it).
    fn help(self) -> &'static str;

    /// The value this word names.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|value| value.name() == name)
    }

    /// Every name, comma-separated, for messages.
    fn names() -> String {
        Self::ALL
            .iter()
            .map(|value| value.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Defines an enum whose values are [`Keyword`]s: `Variant = "word"`, each
/// with its doc comment as help (`Variant = "word" as default` on one,
/// with `#[derive(Default)]` on the enum, makes it the default);
/// `Display` writes the word and `FromStr` reads it.
macro_rules! keyword_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[doc = $doc:literal])* $variant:ident = $word:literal $(as $default:ident)?, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[doc = $doc])* $(#[$default])? $variant, )+
        }

        impl $crate::keyword::Keyword for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];

            fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $word,)+
                }
            }

            fn help(self) -> &'static str {
                match self {
                    $(Self::$variant => concat!("" $(, $doc)*).trim(),)+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::keyword::Keyword::name(*self))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, String> {
                <Self as $crate::keyword::Keyword>::from_name(text).ok_or_else(|| {
                    format!(
                        "\"{text}\" is not one of {}",
                        <Self as $crate::keyword::Keyword>::names()
                    )
                })
            }
        }
    };
}

pub(crate) use keyword_enum;

#[cfg(test)]
mod tests {
    use super::Keyword;

    keyword_enum! {
        /// A test set.
        #[derive(Default)]
        enum Colour {
            /// The colour of the sky
            Blue = "blue",
            Red = "red" as default,
        }
    }

    #[test]
    fn names_help_and_parsing_agree() {
        assert_eq!(Colour::ALL, &[Colour::Blue, Colour::Red]);
        assert_eq!(Colour::Blue.help(), "The colour of the sky");
        assert_eq!(Colour::Red.help(), "");
        assert_eq!(Colour::default(), Colour::Red);
        assert_eq!("red".parse::<Colour>(), Ok(Colour::Red));
        assert_eq!(Colour::Blue.to_string(), "blue");
        assert_eq!(
            "green".parse::<Colour>(),
            Err("\"green\" is not one of blue, red".to_owned())
        );
    }
}
