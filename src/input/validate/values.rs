//! Values: a fact's `"value"` as a typed literal (a string, a number, a
//! boolean, or `{"value", "lang"|"datatype"}`).

use oxigraph::model::vocab::xsd;
use oxigraph::model::Literal;

use super::names::external_iri;
use super::Validator;
use crate::input::suggest;

impl Validator<'_> {
    pub(super) fn value(&mut self, value: &serde_json::Value, path: &str) -> Option<Literal> {
        use serde_json::Value;
        match value {
            Value::String(s) => Some(Literal::new_simple_literal(s)),
            Value::Bool(b) => Some(Literal::from(*b)),
            Value::Number(n) if n.is_i64() || n.is_u64() => {
                Some(Literal::new_typed_literal(n.to_string(), xsd::INTEGER))
            }
            Value::Number(n) => Some(Literal::new_typed_literal(n.to_string(), xsd::DECIMAL)),
            Value::Object(map) => {
                let allowed = ["value", "lang", "datatype"];
                for key in map.keys() {
                    if !allowed.contains(&key.as_str()) {
                        self.problem_with_hint(
                            &format!("{path}.{key}"),
                            format!("unknown key \"{key}\"; expected \"value\" with \"lang\" or \"datatype\""),
                            suggest::did_you_mean(key, allowed),
                        );
                        return None;
                    }
                }
                let Some(Value::String(text)) = map.get("value") else {
                    self.problem(
                        path,
                        "expected {\"value\": \"...\"} with a string value".to_owned(),
                    );
                    return None;
                };
                match (map.get("lang"), map.get("datatype")) {
                    (Some(_), Some(_)) => {
                        self.problem(
                            path,
                            "found both \"lang\" and \"datatype\"; a literal has one or the other"
                                .to_owned(),
                        );
                        None
                    }
                    (Some(Value::String(lang)), None) => {
                        if !self.language(lang, &format!("{path}.lang")) {
                            return None;
                        }
                        Literal::new_language_tagged_literal(text, lang).ok()
                    }
                    (None, Some(Value::String(datatype))) => match external_iri(datatype) {
                        Ok(Some(iri)) => Some(Literal::new_typed_literal(text, iri)),
                        Ok(None) => {
                            self.problem(&format!("{path}.datatype"), format!("\"{datatype}\" is not a datatype; expected a prefixed name such as xsd:date or an IRI"));
                            None
                        }
                        Err(message) => {
                            self.problem(&format!("{path}.datatype"), message);
                            None
                        }
                    },
                    (None, None) => Some(Literal::new_simple_literal(text)),
                    _ => {
                        self.problem(
                            path,
                            "expected \"lang\" and \"datatype\" to be strings".to_owned(),
                        );
                        None
                    }
                }
            }
            Value::Null | Value::Array(_) => {
                self.problem(path, format!("found {value}; expected a string, a number, a boolean or {{\"value\": \"...\", \"lang\"|\"datatype\": \"...\"}}"));
                None
            }
        }
    }
}
