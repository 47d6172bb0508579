//! The SPARQL 1.1 Protocol's request forms, read from a request's method,
//! query string, media type and body: a query by GET, by form POST or by
//! direct POST, an update by form or direct POST, with the dataset named
//! by `default-graph-uri` and `named-graph-uri`. Plain functions over
//! plain values, so unit tests pin every form and every refusal.

use oxigraph::model::NamedNode;
use storygraph::store::ProtocolDataset;

use super::reply::Reply;

/// What a `/sparql` request asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Operation {
    Query {
        text: String,
        dataset: Option<ProtocolDataset>,
    },
    Update {
        text: String,
    },
}

pub const FORM: &str = "application/x-www-form-urlencoded";
pub const SPARQL_QUERY: &str = "application/sparql-query";
pub const SPARQL_UPDATE: &str = "application/sparql-update";

/// The media type of a `Content-Type` value, lowercased, parameters off.
pub fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The name-value pairs of a query string or form body.
pub fn parameters(encoded: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(encoded).into_owned().collect()
}

/// Reads a `/sparql` request into the operation it asks for.
pub fn sparql_operation(
    method: &str,
    query_string: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Operation, Reply> {
    let url_parameters = parameters(query_string.as_bytes());
    match method {
        "GET" | "HEAD" => {
            if one(&url_parameters, "update")?.is_some() {
                return Err(Reply::bad_request(
                    "an update cannot be sent by GET: POST it as a form field `update` or with Content-Type: application/sparql-update",
                ));
            }
            let Some(text) = one(&url_parameters, "query")? else {
                return Err(Reply::bad_request(
                    "no query: pass ?query=... (URL-encoded SPARQL), or POST it",
                ));
            };
            Ok(Operation::Query {
                text,
                dataset: dataset(&url_parameters)?,
            })
        }
        "POST" => {
            let media = content_type.map(media_type).unwrap_or_default();
            match media.as_str() {
                FORM => {
                    let mut all = parameters(body);
                    all.extend(url_parameters);
                    match (one(&all, "query")?, one(&all, "update")?) {
                        (Some(text), None) => Ok(Operation::Query {
                            text,
                            dataset: dataset(&all)?,
                        }),
                        (None, Some(text)) => {
                            refuse_using(&all)?;
                            Ok(Operation::Update { text })
                        }
                        (Some(_), Some(_)) => Err(Reply::bad_request(
                            "a form holds either `query` or `update`, not both",
                        )),
                        (None, None) => Err(Reply::bad_request(
                            "the form has no `query` or `update` field",
                        )),
                    }
                }
                SPARQL_QUERY => Ok(Operation::Query {
                    text: utf8(body)?,
                    dataset: dataset(&url_parameters)?,
                }),
                SPARQL_UPDATE => {
                    refuse_using(&url_parameters)?;
                    Ok(Operation::Update { text: utf8(body)? })
                }
                "" => Err(Reply::new(
                    415,
                    "a POST to /sparql needs a Content-Type: application/sparql-query, application/sparql-update or application/x-www-form-urlencoded",
                )),
                other => Err(Reply::new(
                    415,
                    format!("Content-Type {other} is not a SPARQL request; use application/sparql-query, application/sparql-update or application/x-www-form-urlencoded"),
                )),
            }
        }
        other => Err(Reply::method_not_allowed(other, "GET, HEAD, POST, OPTIONS")),
    }
}

/// The one value of a parameter, if given; given twice is an error.
pub fn one(parameters: &[(String, String)], name: &str) -> Result<Option<String>, Reply> {
    let mut values = parameters.iter().filter(|(n, _)| n == name);
    let first = values.next().map(|(_, v)| v.clone());
    if values.next().is_some() {
        return Err(Reply::bad_request(format!(
            "`{name}` is given more than once; send one"
        )));
    }
    Ok(first)
}

fn dataset(parameters: &[(String, String)]) -> Result<Option<ProtocolDataset>, Reply> {
    let graphs = |name: &str| -> Result<Vec<NamedNode>, Reply> {
        parameters
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, iri)| graph_iri(name, iri))
            .collect()
    };
    let default_graphs = graphs("default-graph-uri")?;
    let named_graphs = graphs("named-graph-uri")?;
    if default_graphs.is_empty() && named_graphs.is_empty() {
        return Ok(None);
    }
    Ok(Some(ProtocolDataset {
        default_graphs,
        named_graphs,
    }))
}

/// A graph IRI given in a parameter.
pub fn graph_iri(parameter: &str, iri: &str) -> Result<NamedNode, Reply> {
    NamedNode::new(iri).map_err(|e| {
        Reply::bad_request(format!(
            "`{parameter}` is not an absolute IRI: \"{iri}\" ({e})"
        ))
    })
}

fn refuse_using(parameters: &[(String, String)]) -> Result<(), Reply> {
    for name in ["using-graph-uri", "using-named-graph-uri"] {
        if parameters.iter().any(|(n, _)| n == name) {
            return Err(Reply::bad_request(format!(
                "`{name}` is not supported; write USING or WITH in the update itself"
            )));
        }
    }
    Ok(())
}

fn utf8(body: &[u8]) -> Result<String, Reply> {
    String::from_utf8(body.to_vec()).map_err(|e| {
        Reply::bad_request(format!(
            "the body is not UTF-8 (byte {}); SPARQL text is sent as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(text: &str) -> Operation {
        Operation::Query {
            text: text.into(),
            dataset: None,
        }
    }

    #[test]
    fn a_query_comes_by_get_form_or_direct_post() {
        let get = sparql_operation("GET", "query=ASK%20%7B%7D", None, b"");
        assert_eq!(get.unwrap(), query("ASK {}"));
        let form = sparql_operation(
            "POST",
            "",
            Some("application/x-www-form-urlencoded; charset=UTF-8"),
            b"query=ASK+%7B%7D",
        );
        assert_eq!(form.unwrap(), query("ASK {}"));
        let direct = sparql_operation("POST", "", Some("application/sparql-query"), b"ASK {}");
        assert_eq!(direct.unwrap(), query("ASK {}"));
    }

    #[test]
    fn an_update_comes_by_post_only() {
        let form = sparql_operation("POST", "", Some(FORM), b"update=CLEAR+ALL");
        assert_eq!(
            form.unwrap(),
            Operation::Update {
                text: "CLEAR ALL".into()
            }
        );
        let get = sparql_operation("GET", "update=CLEAR+ALL", None, b"").unwrap_err();
        assert_eq!(get.status, 400);
    }

    #[test]
    fn the_dataset_comes_from_the_parameters() {
        let op = sparql_operation(
            "GET",
            "query=SELECT*%7B%3Fs%3Fp%3Fo%7D&default-graph-uri=http%3A%2F%2Fa%2Fg&named-graph-uri=http%3A%2F%2Fa%2Fh",
            None,
            b"",
        )
        .unwrap();
        let Operation::Query {
            dataset: Some(dataset),
            ..
        } = op
        else {
            panic!("a dataset: {op:?}")
        };
        assert_eq!(dataset.default_graphs[0].as_str(), "http://a/g");
        assert_eq!(dataset.named_graphs[0].as_str(), "http://a/h");
        let bad = sparql_operation("GET", "query=ASK%7B%7D&default-graph-uri=g", None, b"");
        assert!(bad.unwrap_err().message.contains("\"g\""));
    }

    #[test]
    fn malformed_requests_say_what_is_wrong() {
        assert_eq!(
            sparql_operation("GET", "", None, b"").unwrap_err().status,
            400
        );
        assert_eq!(
            sparql_operation("GET", "query=a&query=b", None, b"")
                .unwrap_err()
                .status,
            400
        );
        assert_eq!(
            sparql_operation("POST", "", Some("text/plain"), b"ASK {}")
                .unwrap_err()
                .status,
            415
        );
        assert_eq!(
            sparql_operation("POST", "", None, b"").unwrap_err().status,
            415
        );
        assert_eq!(
            sparql_operation("PUT", "", None, b"").unwrap_err().status,
            405
        );
        let latin1 = sparql_operation("POST", "", Some(SPARQL_QUERY), b"ASK { \xff }");
        assert_eq!(latin1.unwrap_err().status, 400);
        let using = sparql_operation(
            "POST",
            "using-graph-uri=http%3A%2F%2Fa",
            Some(SPARQL_UPDATE),
            b"CLEAR ALL",
        );
        assert_eq!(using.unwrap_err().status, 400);
    }
}
