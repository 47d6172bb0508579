//! `prompt` and `extract`: an article's text to the prompt for a chat
//! model, or through a model to a draft of its facts (written for review,
//! or ingested when it is clean). Progress goes to stderr, the prompt or
//! the draft to stdout or a file.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::Path;

use storygraph::extract::chat::ChatEndpoint;
use storygraph::extract::mentions::known_entities;
use storygraph::extract::prompt::{self, own_predicates, ArticleMeta};
use storygraph::extract::{self, Draft, ExtractRequest, RoundEvent};
use storygraph::graph::explain::plural;
use storygraph::graph::names::Entities;
use storygraph::input::validate::KnownEntities;
use storygraph::input::{is_language_tag, slug_of};
use storygraph::store::GraphStore;
use storygraph::timespec::{TimePoint, TimeSpec};
use storygraph::{Error, Result};

use crate::args::{ArticleTextArgs, ExtractArgs, IngestArgs};
use crate::commands::ingest::{ingest_files, read_text};
use crate::outcome::{write_error, write_file, write_stdout, Outcome};

/// An article's text and what is known of it, checked.
pub struct GivenArticle {
    pub meta: ArticleMeta,
    pub text: String,
}

/// Reads the text and checks the metadata given with it.
pub fn article(args: &ArticleTextArgs) -> Result<GivenArticle> {
    let from_stdin = args.text.as_os_str() == "-";
    let text = if from_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::Usage(format!("cannot read the article text from stdin: {e}")))?;
        text
    } else {
        read_text(&args.text)?
    };
    if text.trim().is_empty() {
        return Err(Error::Usage(format!(
            "the article text {} is empty",
            args.text.display()
        )));
    }
    let id = match &args.id {
        Some(id) => id.clone(),
        None if from_stdin => "article".to_owned(),
        None => {
            let stem = args.text.file_stem().unwrap_or_default().to_string_lossy();
            Some(slug_of(&stem))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "article".to_owned())
        }
    };
    if slug_of(&id) != id {
        return Err(Error::Usage(format!(
            "--id \"{id}\" is not a slug; expected lowercase letters, digits, '.', '_' and '-', such as \"{}\"",
            slug_of(&id)
        )));
    }
    if let Some(published) = &args.published {
        match TimeSpec::parse(published) {
            Ok(TimeSpec::Point(TimePoint::Date(_) | TimePoint::DateTime { .. })) => {}
            _ => {
                return Err(Error::Usage(format!(
                    "--published \"{published}\" is not a date; expected ISO 8601 such as 2025-10-19 or 2025-10-19T08:00Z"
                )))
            }
        }
    }
    if let Some(language) = args.language.as_deref().filter(|l| !is_language_tag(l)) {
        return Err(Error::Usage(format!(
            "--language \"{language}\" is not a BCP 47 tag; expected one such as ar, en, ru or az-Latn"
        )));
    }
    Ok(GivenArticle {
        meta: ArticleMeta {
            id,
            language: args.language.clone().unwrap_or_default(),
            published: args.published.clone().unwrap_or_default(),
            publisher: args.publisher.clone(),
            url: args.url.clone(),
        },
        text,
    })
}

/// The prompt for `article`, naming the entities of `store` it mentions.
fn prompt_for(store: Option<&GraphStore>, article: &GivenArticle) -> Result<String> {
    let (known, own) = match store {
        Some(store) => {
            // The entities alone: the path projection (statements too)
            // would cost seconds at 1M facts.
            let entities = Entities::read(store)?;
            (
                known_entities(&article.text, &entities),
                own_predicates(store)?,
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    Ok(prompt::prompt(&article.meta, &article.text, &known, &own))
}

/// `prompt`: prints the prompt.
pub fn print_prompt(
    store: Option<&GraphStore>,
    args: &ArticleTextArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let article = article(args)?;
    let text = prompt_for(store, &article)?;
    out.write_all(text.as_bytes()).map_err(write_error)?;
    Ok(Outcome::Success)
}

/// `extract`: asks the model, writes the draft, ingests it if asked and
/// clean. `store` is the store read for known entities (none when there
/// is none yet), closed before `open_for_ingest` opens it to write.
pub fn extract(
    store: Option<GraphStore>,
    args: &ExtractArgs,
    open_for_ingest: impl FnOnce() -> Result<GraphStore>,
) -> Result<Outcome> {
    let article = article(&args.article)?;
    let api_key = match &args.api_key_env {
        None => None,
        Some(var) => Some(std::env::var(var).map_err(|_| {
            Error::Usage(format!(
                "--api-key-env names {var}, but the environment variable {var} is not set (or not UTF-8)"
            ))
        })?),
    };
    let endpoint = ChatEndpoint {
        url: args.llm.clone(),
        model: args.model.clone(),
        api_key,
        timeout: args.llm_timeout,
    };
    let prompt = prompt_for(store.as_ref(), &article)?;
    let request = ExtractRequest {
        meta: &article.meta,
        text: &article.text,
        prompt: &prompt,
        repairs: args.repairs,
    };
    let none: HashSet<String> = HashSet::new();
    let resolver = store.as_ref().map(GraphStore::resolver);
    let known: &dyn KnownEntities = match &resolver {
        Some(resolver) => resolver,
        None => &none,
    };
    let schema = storygraph::input::format::json_schema();
    let mut ask = |messages: &[_]| endpoint.complete(messages, &schema);
    let progress = |event: RoundEvent| match event {
        RoundEvent::Asking { round, of } => eprintln!(
            "round {round} of at most {of}: asking {} at {}",
            endpoint.model,
            endpoint.completions_url()
        ),
        RoundEvent::Checked { round, problems: 0 } => {
            eprintln!("round {round}: the answer passes every check")
        }
        RoundEvent::Checked { round, problems } => eprintln!(
            "round {round}: {problems} problem{} found",
            if problems == 1 { "" } else { "s" }
        ),
    };
    let draft = extract::extract(&request, known, &mut ask, &progress)?;
    drop(resolver);
    drop(store);
    finish(draft, args, open_for_ingest)
}

/// Writes the draft where it goes, says what it holds, and ingests it
/// when asked and clean.
fn finish(
    draft: Draft,
    args: &ExtractArgs,
    open_for_ingest: impl FnOnce() -> Result<GraphStore>,
) -> Result<Outcome> {
    let json = serde_json::to_string_pretty(&draft.document).unwrap_or_default() + "\n";
    let write_to = |path: &Path| write_file(path, |out| out.write_all(json.as_bytes()));
    let facts = plural(draft.facts(), "fact", "facts");
    let rounds = plural(draft.rounds, "round", "rounds");
    match (&args.output, args.ingest && draft.is_clean()) {
        (Some(path), _) => {
            write_to(path)?;
            eprintln!(
                "{facts} extracted in {rounds}; the draft is in {}",
                path.display()
            );
        }
        (None, true) => eprintln!("{facts} extracted in {rounds}"),
        (None, false) => {
            write_stdout(|out| out.write_all(json.as_bytes()).map_err(write_error))?;
            eprintln!("{facts} extracted in {rounds}");
        }
    }
    for problem in &draft.problems {
        eprintln!("problem: {problem}");
    }
    if draft.rejected() > 0 {
        eprintln!(
            "{} set apart under \"rejected\" with the reasons; review them before ingesting",
            plural(draft.rejected(), "fact or entity", "facts and entities")
        );
    }
    if !draft.is_clean() {
        let what = if args.ingest { "not ingested: " } else { "" };
        eprintln!(
            "error: {what}the draft needs review ({} set apart, {} left)",
            plural(draft.rejected(), "item", "items"),
            plural(draft.problems.len(), "problem", "problems")
        );
        return Ok(Outcome::Failure(1));
    }
    if !args.ingest {
        return Ok(Outcome::Success);
    }
    let store = open_for_ingest()?;
    let (path, _keep) = match &args.output {
        Some(path) => (path.clone(), None),
        None => {
            let file = tempfile::Builder::new()
                .prefix("storygraph-draft-")
                .suffix(".json")
                .tempfile()
                .map_err(|e| Error::io("cannot create a temporary file for the draft", e))?;
            write_to(file.path())?;
            (file.path().to_owned(), Some(file))
        }
    };
    let ingest = IngestArgs {
        files: vec![path.to_string_lossy().into_owned()],
        on_error: Default::default(),
        text: None,
    };
    let outcome = ingest_files(&store, &ingest);
    crate::commands::search::refresh_after_write(&store);
    outcome
}
