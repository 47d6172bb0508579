//! What `prompt` and `extract` are asked: the article's text file and what
//! is known of it, and for `extract` the chat model to ask.

use std::path::PathBuf;
use std::time::Duration;

/// The article and what is known of it before a model reads it.
#[derive(Debug, Clone, clap::Args)]
pub struct ArticleTextArgs {
    /// The article's text, UTF-8 (`-` reads stdin)
    #[arg(value_name = "ARTICLE_TEXT")]
    pub text: PathBuf,
    /// The article's id [default: the file name as a slug]
    #[arg(long, value_name = "SLUG")]
    pub id: Option<String>,
    /// Its language, a BCP 47 tag (`ar`, `en`, `ru`) [default: the model says]
    #[arg(long, value_name = "TAG")]
    pub language: Option<String>,
    /// Its publication date, ISO 8601: relative dates ("yesterday") are
    /// resolved against it [default: the model reads it from the text]
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    /// The entity id of its publisher, the default source of its facts
    #[arg(long, value_name = "ENTITY_ID")]
    pub publisher: Option<String>,
    /// Where it was published
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
}

/// What `extract` is asked.
#[derive(Debug, Clone, clap::Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub article: ArticleTextArgs,
    /// The OpenAI-compatible API's base URL (llama.cpp's server:
    /// http://127.0.0.1:8080/v1, Ollama: http://127.0.0.1:11434/v1)
    #[arg(long, value_name = "URL", env = "STORYGRAPH_LLM")]
    pub llm: String,
    /// The model's name, as the server knows it
    #[arg(long, value_name = "NAME", env = "STORYGRAPH_MODEL")]
    pub model: String,
    /// The environment variable holding the API key (sent as a bearer
    /// token, never printed)
    #[arg(long, value_name = "VAR")]
    pub api_key_env: Option<String>,
    /// Rounds that send an answer's problems back for a repair
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub repairs: usize,
    /// Seconds to wait for one answer
    #[arg(long, value_name = "SECONDS", default_value = "600", value_parser = storygraph::deadline::parse_seconds)]
    pub llm_timeout: Duration,
    /// Write the draft to FILE [default: stdout]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Ingest the draft when it is clean (nothing set apart)
    #[arg(long)]
    pub ingest: bool,
}
