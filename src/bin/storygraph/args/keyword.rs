//! A clap value parser for the library's [`Keyword`] enums: their names
//! as choices, their doc comments as help, with no clap in the library.

use std::ffi::OsStr;
use std::marker::PhantomData;

use clap::builder::{PossibleValue, TypedValueParser};
use storygraph::keyword::Keyword;

/// A clap value parser offering a library [`Keyword`] enum's values as
/// choices, with their help lines.
pub fn keyword<K: Keyword>() -> KeywordParser<K> {
    KeywordParser(PhantomData)
}

#[derive(Clone)]
pub struct KeywordParser<K>(PhantomData<K>);

impl<K: Keyword> TypedValueParser for KeywordParser<K> {
    type Value = K;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<K, clap::Error> {
        let choices = clap::builder::PossibleValuesParser::new(self.possible_values_list());
        let name = choices.parse_ref(cmd, arg, value)?;
        K::from_name(&name).ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidValue))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.possible_values_list().into_iter()))
    }
}

impl<K: Keyword> KeywordParser<K> {
    fn possible_values_list(&self) -> Vec<PossibleValue> {
        K::ALL
            .iter()
            .map(|k| match k.help() {
                "" => PossibleValue::new(k.name()),
                help => PossibleValue::new(k.name()).help(help),
            })
            .collect()
    }
}
