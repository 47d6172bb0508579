//! Where a remote store is and how to reach it: the endpoints the user
//! named and the headers every request carries (credentials among them,
//! which no message or `Debug` output ever shows).

use std::fmt;
use std::time::Duration;

use super::RemoteError;

/// A remote SPARQL store's endpoints and request settings.
#[derive(Clone)]
pub struct RemoteConfig {
    /// The SPARQL query endpoint.
    pub query: String,
    /// The SPARQL update endpoint (the query endpoint when not given).
    pub update: String,
    /// The Graph Store Protocol endpoint, when the server offers one.
    pub graph_store: Option<String>,
    /// Headers sent with every request (`Authorization` and the like).
    pub headers: Vec<(String, String)>,
    /// Whether articles go by the server's non-transactional bulk loader
    /// (Oxigraph server's `POST /store?no_transaction`), each sealed once
    /// loaded (see `push`).
    pub bulk_load: bool,
    /// How long one request may take.
    pub timeout: Duration,
    /// How many times an idempotent request is tried again after a
    /// connection error or a 5xx answer.
    pub retries: u32,
}

impl fmt::Debug for RemoteConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteConfig")
            .field("query", &self.query)
            .field("update", &self.update)
            .field("graph_store", &self.graph_store)
            .field("bulk_load", &self.bulk_load)
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| format!("{name}: (hidden)"))
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl RemoteConfig {
    /// A configuration from what the user typed: `query` and the optional
    /// endpoints checked to be http(s) URLs, each header `Name: value`.
    pub fn new(
        query: &str,
        update: Option<&str>,
        graph_store: Option<&str>,
        headers: &[String],
    ) -> Result<RemoteConfig, RemoteError> {
        let query = checked_url("--endpoint (STORYGRAPH_ENDPOINT)", query)?;
        let update = match update {
            Some(url) => checked_url("--update-endpoint (STORYGRAPH_UPDATE_ENDPOINT)", url)?,
            None => query.clone(),
        };
        let graph_store = graph_store
            .map(|url| checked_url("--graph-store (STORYGRAPH_GRAPH_STORE)", url))
            .transpose()?;
        let headers = headers
            .iter()
            .map(|h| parse_header(h))
            .collect::<Result<_, _>>()?;
        Ok(RemoteConfig {
            query,
            update,
            graph_store,
            headers,
            bulk_load: false,
            timeout: Duration::from_secs(300),
            retries: 4,
        })
    }
}

fn checked_url(option: &str, url: &str) -> Result<String, RemoteError> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let scheme_ok = lower.starts_with("http://") || lower.starts_with("https://");
    if !scheme_ok || oxiri::Iri::parse(url).is_err() || url.len() <= "http://".len() {
        return Err(RemoteError::Config(format!(
            "{option} \"{url}\" is not an http(s) URL; pass the SPARQL endpoint's URL, e.g. http://127.0.0.1:7878/query (Oxigraph) or http://127.0.0.1:8890/sparql (Virtuoso)"
        )));
    }
    Ok(url.to_owned())
}

/// `Name: value`, the way curl takes it. The value is never echoed.
fn parse_header(text: &str) -> Result<(String, String), RemoteError> {
    let Some((name, value)) = text.split_once(':') else {
        let name = text.split_whitespace().next().unwrap_or("");
        return Err(RemoteError::Config(format!(
            "the header starting \"{}\" has no colon; write it as 'Name: value', e.g. --header 'Authorization: Bearer TOKEN'",
            name.chars().take(20).collect::<String>()
        )));
    };
    let name = name.trim();
    let valid_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !valid_name {
        return Err(RemoteError::Config(format!(
            "\"{}\" is not a header name; write the header as 'Name: value'",
            name.chars().take(40).collect::<String>()
        )));
    }
    let value = value.trim();
    if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(RemoteError::Config(format!(
            "the value of the header {name} holds a line break; give it on one line"
        )));
    }
    Ok((name.to_owned(), value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_parsed_and_never_shown() {
        let config = RemoteConfig::new(
            "http://127.0.0.1:7878/query",
            None,
            None,
            &["Authorization: Bearer s3cret".to_owned()],
        )
        .unwrap();
        assert_eq!(config.update, "http://127.0.0.1:7878/query");
        assert_eq!(
            config.headers,
            [("Authorization".to_owned(), "Bearer s3cret".to_owned())]
        );
        assert!(!format!("{config:?}").contains("s3cret"));
        let error = RemoteConfig::new("http://h/q", None, None, &["Bearer s3cret".to_owned()])
            .unwrap_err()
            .to_string();
        assert!(error.contains("no colon"), "{error}");
        assert!(!error.contains("s3cret"), "{error}");
    }

    #[test]
    fn endpoints_must_be_http_urls() {
        for bad in ["localhost:7878", "ftp://h/q", "http://", "", "http://a b/"] {
            let error = RemoteConfig::new(bad, None, None, &[])
                .unwrap_err()
                .to_string();
            assert!(error.contains("--endpoint"), "{bad}: {error}");
        }
        let error = RemoteConfig::new("http://h/q", Some("h/u"), None, &[])
            .unwrap_err()
            .to_string();
        assert!(error.contains("--update-endpoint"), "{error}");
    }
}
