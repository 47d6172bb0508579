//! A client of the OpenAI-compatible chat-completions API, which llama.cpp's
//! server, Ollama, vLLM and the hosted services speak: one blocking POST
//! per round, the answer's JSON Schema sent as `response_format`.
//!
//! The API key is sent as a bearer token and never appears in an error.

use std::time::Duration;

use serde_json::{json, Value};

use crate::remote::excerpt;

/// Where and how to ask.
#[derive(Clone)]
pub struct ChatEndpoint {
    /// The API's base URL (`http://localhost:8080/v1`) or its
    /// `/chat/completions` URL.
    pub url: String,
    pub model: String,
    pub api_key: Option<String>,
    /// For one answer, connection included.
    pub timeout: Duration,
}

impl std::fmt::Debug for ChatEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChatEndpoint")
            .field("url", &self.url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "(hidden)"))
            .finish()
    }
}

/// One message of a conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// `system`, `user` or `assistant`.
    pub role: &'static str,
    pub content: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    #[error("cannot reach the model at {url}: {reason}")]
    Transport { url: String, reason: String },
    #[error("the model at {url} answered HTTP {status}: {excerpt}")]
    Status {
        url: String,
        status: u16,
        excerpt: String,
    },
    #[error(
        "the model at {url} sent an answer that is not a chat completion ({reason}): {excerpt}"
    )]
    Malformed {
        url: String,
        reason: String,
        excerpt: String,
    },
    #[error("the model's answer was cut off at its token limit (finish_reason \"length\"); give the server a larger context or max_tokens, or split the article")]
    CutOff,
    #[error("the model refused: {0}")]
    Refused(String),
}

/// The longest answer read (a document of facts is far smaller).
const MAX_BODY: u64 = 64 << 20;

impl ChatEndpoint {
    /// The URL requests go to.
    pub fn completions_url(&self) -> String {
        let url = self.url.trim_end_matches('/');
        if url.ends_with("/chat/completions") {
            url.to_owned()
        } else {
            format!("{url}/chat/completions")
        }
    }

    /// The request body for `messages`, the answer held to `schema`.
    pub fn request_body(&self, messages: &[Message], schema: &Value) -> Value {
        let messages: Vec<Value> = messages
            .iter()
            .map(|m| json!({"role": m.role, "content": m.content}))
            .collect();
        json!({
            "model": self.model,
            "messages": messages,
            "temperature": 0,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "storygraph_facts", "schema": schema}
            }
        })
    }

    /// Sends `messages` and returns the content of the first choice.
    pub fn complete(&self, messages: &[Message], schema: &Value) -> Result<String, ChatError> {
        let url = self.completions_url();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(self.timeout))
            .http_status_as_error(false)
            .user_agent(concat!("storygraph/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let mut request = agent.post(&url).header("Content-Type", "application/json");
        if let Some(key) = &self.api_key {
            request = request.header("Authorization", format!("Bearer {key}"));
        }
        let body = self.request_body(messages, schema).to_string();
        let transport = |e: ureq::Error| ChatError::Transport {
            url: url.clone(),
            reason: e.to_string(),
        };
        let mut response = request.send(body).map_err(transport)?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .map_err(transport)?;
        if !(200..300).contains(&status) {
            return Err(ChatError::Status {
                url,
                status,
                excerpt: excerpt(&text),
            });
        }
        answer_content(&text).map_err(|reason| match reason {
            Answer::CutOff => ChatError::CutOff,
            Answer::Refused(why) => ChatError::Refused(why),
            Answer::Malformed(reason) => ChatError::Malformed {
                url,
                reason,
                excerpt: excerpt(&text),
            },
        })
    }
}

/// Why a response body holds no usable answer.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    CutOff,
    Refused(String),
    Malformed(String),
}

/// The content of `choices[0].message` of a chat-completion response.
pub fn answer_content(body: &str) -> Result<String, Answer> {
    let value: Value =
        serde_json::from_str(body).map_err(|e| Answer::Malformed(format!("not JSON: {e}")))?;
    let choice = value
        .pointer("/choices/0")
        .ok_or_else(|| Answer::Malformed("no choices[0]".to_owned()))?;
    let message = &choice["message"];
    if let Some(refusal) = message["refusal"].as_str().filter(|r| !r.is_empty()) {
        return Err(Answer::Refused(refusal.to_owned()));
    }
    let content = message["content"].as_str().unwrap_or_default();
    if choice["finish_reason"] == "length" {
        return Err(Answer::CutOff);
    }
    if content.trim().is_empty() {
        return Err(Answer::Malformed(
            "choices[0].message.content is empty".to_owned(),
        ));
    }
    Ok(content.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_is_the_first_choice_unless_cut_off_or_refused() {
        let body = r#"{"choices":[{"index":0,"message":{"role":"assistant","content":"{\"storygraph\":1}"},"finish_reason":"stop"}]}"#;
        assert_eq!(answer_content(body).unwrap(), "{\"storygraph\":1}");
        let cut = r#"{"choices":[{"message":{"content":"{\"story"},"finish_reason":"length"}]}"#;
        assert_eq!(answer_content(cut), Err(Answer::CutOff));
        let refused = r#"{"choices":[{"message":{"content":null,"refusal":"I can't"},"finish_reason":"stop"}]}"#;
        assert_eq!(
            answer_content(refused),
            Err(Answer::Refused("I can't".into()))
        );
        assert!(matches!(answer_content("{}"), Err(Answer::Malformed(_))));
        assert!(matches!(
            answer_content("<html>"),
            Err(Answer::Malformed(_))
        ));
    }

    #[test]
    fn the_url_gets_the_completions_path_once_and_the_key_stays_hidden() {
        let endpoint = ChatEndpoint {
            url: "http://127.0.0.1:8080/v1/".into(),
            model: "m".into(),
            api_key: Some("sk-secret".into()),
            timeout: Duration::from_secs(1),
        };
        assert_eq!(
            endpoint.completions_url(),
            "http://127.0.0.1:8080/v1/chat/completions"
        );
        let again = ChatEndpoint {
            url: endpoint.completions_url(),
            ..endpoint.clone()
        };
        assert_eq!(again.completions_url(), endpoint.completions_url());
        assert!(!format!("{endpoint:?}").contains("sk-secret"));
    }
}
