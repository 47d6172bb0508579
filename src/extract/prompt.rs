//! The prompt that turns an article's text into facts: one text, ready for
//! any chat model, holding what to extract and how, the ontology's classes
//! and predicates, the store's entities the text names (ids to reuse), the
//! JSON Schema of the answer, and the article.
//!
//! Everything in it comes from the ontology and the store at the time of
//! asking; nothing is specific to one story.

use std::fmt::Write as _;

use crate::input::format::json_schema;
use crate::model::ObjectKind;
use crate::ontology::Ontology;
use crate::vocab;

/// What is known of the article before the model reads it.
#[derive(Clone, Debug, Default)]
pub struct ArticleMeta {
    pub id: String,
    /// A BCP 47 tag; when empty, the model is asked to say.
    pub language: String,
    /// ISO 8601; relative dates are resolved against it.
    pub published: String,
    /// An entity id of the publisher, if known.
    pub publisher: Option<String>,
    pub url: Option<String>,
}

/// An entity of the store that the text names.
#[derive(Clone, Debug)]
pub struct KnownEntity {
    pub id: String,
    /// Its class, shortened (`sg:Person`).
    pub class: String,
    /// Its names in the store (preferred first), at most a few.
    pub names: Vec<String>,
    /// The name the text uses.
    pub named_as: String,
}

/// A predicate of the user's own vocabulary, declared in the store.
#[derive(Clone, Debug)]
pub struct OwnPredicate {
    pub id: String,
    pub object: ObjectKind,
}

/// The predicates the store's documents declared, for the prompt.
pub fn own_predicates(
    store: &crate::store::GraphStore,
) -> Result<Vec<OwnPredicate>, oxigraph::store::StorageError> {
    let mut out = Vec::new();
    for id in store.declared_predicate_ids()? {
        if let Some(known) = store.declared_predicate(&id)? {
            out.push(OwnPredicate {
                id,
                object: known.kind.object,
            });
        }
    }
    Ok(out)
}

/// How many known entities a prompt lists at most (the first mentioned).
pub const MAX_KNOWN: usize = 300;

/// The prompt for `text`.
pub fn prompt(
    meta: &ArticleMeta,
    text: &str,
    known: &[KnownEntity],
    own_predicates: &[OwnPredicate],
) -> String {
    let ontology = Ontology::get();
    let mut out = String::new();
    out.push_str(INSTRUCTIONS);
    article_section(&mut out, meta);
    classes_section(&mut out, ontology);
    predicates_section(&mut out, ontology, own_predicates);
    known_section(&mut out, known);
    let schema = serde_json::to_string(&json_schema()).unwrap_or_default();
    let _ = write!(
        out,
        "\n## JSON Schema of the answer\n\n{schema}\n\n## The article\n\n<<<ARTICLE\n{}\nARTICLE>>>\n",
        text.trim_end()
    );
    out
}

const INSTRUCTIONS: &str = r#"# Extract the facts of one news article for storygraph

Read the article at the end and write its facts as ONE JSON document that
follows the JSON Schema below. Answer with the JSON only: no prose, no
code fence.

## What a fact is

- One statement: `subject` `predicate` `object` (an entity id) or `value` (a
  literal), as the article states it. Split sentences that state several
  things into several facts.
- `evidence`: the sentence of the article that states it, COPIED EXACTLY,
  character for character, in the article's language. Never translate,
  paraphrase, correct or join sentences. To leave words out inside a quote,
  write "..." in their place. A quote that is not in the article is
  rejected: a fact with no words of the article behind it is not a fact.
- Every entity a fact names (subject, object, about, place, source, via)
  must be declared in `entities`, unless it is one of the known entities
  listed below: reuse their ids, so that this article connects to the
  others. Ids are slugs (`[a-z0-9][a-z0-9._-]*`, English or Latin
  transliteration: `ilham-aliyev`, `azerbaijan-defence-ministry`).
- Give each new entity a `name` in the article's language and in English
  where you know it, and `aliases` for other spellings in the text.

## How sure the article is: `certainty`

Strongest first; choose by the words the article uses:
- `confirmed`: officially announced by the acting party, confirmed,
  acknowledged. أكد، أعلن رسميا، اعترف، صادق.
- `reported`: stated as fact by the article or its source; the default.
  ذكر، قال، أفاد، نقل، أعلن (عن غيره).
- `claimed`: a party's contested claim or accusation. زعم، ادعى، اتهم،
  بحسب رواية.
- `speculated`: a conjecture, expectation, plan or forecast. قد، من
  المتوقع، يعتزم، سوف، من المحتمل، يرجح، may, expected, plans to, will.

## Denials and sources

- A denial is a fact with `"negated": true`: "X denied that it sent
  troops" (نفى، كذب، لم) is the fact "X sent troops", negated, with X as
  its `source`. Never drop a denial or a doubt.
- `source`: who asserts the fact (an entity id); leave it out when it is
  the publisher. `via`: whom that source cites, in order ("the newspaper,
  citing unnamed officials": source the newspaper, via the officials;
  declare "unnamed officials" as an entity of type Person or Organization).
- `about`: the event (an Event entity) the fact concerns, when there is one.

## Time

- `time`: when the fact happened, ISO 8601 with the precision the article
  gives: `2025`, `2025-10`, `2025-10-19`, `2025-10-19T08:00Z`, or an
  interval `2025-06-20/2025-06-30`.
- Resolve relative dates against the publication date below: "yesterday",
  أمس، "last December", "this week". The evidence keeps the article's words.
- Leave `time` out when the article does not say.
"#;

fn article_section(out: &mut String, meta: &ArticleMeta) {
    out.push_str("\n## The article's metadata (use these values as they are)\n\n");
    let _ = writeln!(out, "- id: `{}`", meta.id);
    if meta.language.is_empty() {
        out.push_str("- language: the BCP 47 tag of the article's language (`ar`, `en`, `ru`)\n");
    } else {
        let _ = writeln!(out, "- language: `{}`", meta.language);
    }
    if meta.published.is_empty() {
        out.push_str("- published: the publication date the article states (ISO 8601)\n");
    } else {
        let _ = writeln!(
            out,
            "- published: `{}` (resolve relative dates against it)",
            meta.published
        );
    }
    match &meta.publisher {
        Some(publisher) => {
            let _ = writeln!(out, "- publisher: `{publisher}` (the default source)");
        }
        None => out.push_str("- publisher: leave it out\n"),
    }
    if let Some(url) = &meta.url {
        let _ = writeln!(out, "- url: `{url}`");
    }
    out.push_str("- title: the article's headline, as written\n");
    out.push_str("- text: leave it out; storygraph adds the article's text itself\n");
}

/// `label (Arabic label)` of an ontology term, or its local name.
fn labels(ontology: &Ontology, iri: &str, local: &str) -> String {
    let en = ontology.label(iri, "en").unwrap_or(local);
    match ontology.label(iri, "ar").filter(|ar| *ar != en) {
        Some(ar) => format!("{en} / {ar}"),
        None => en.to_owned(),
    }
}

fn classes_section(out: &mut String, ontology: &Ontology) {
    out.push_str("\n## Entity types (`type`)\n\n");
    for class in &ontology.classes {
        let iri = format!("{}{class}", vocab::SG);
        let _ = writeln!(out, "- `{class}`: {}", labels(ontology, &iri, class));
    }
}

fn predicates_section(out: &mut String, ontology: &Ontology, own: &[OwnPredicate]) {
    out.push_str("\n## Predicates (`predicate`)\n\n");
    out.push_str("Use only these. Those marked \"value\" take `value`, the others `object`.\n\n");
    for name in &ontology.fact_properties {
        let iri = format!("{}{name}", vocab::SG);
        let kind = ontology.fact_property_kinds.get(name);
        let takes = match kind {
            Some(k) if k.object == ObjectKind::Value => match &k.range {
                Some(range) => format!(" (value: {})", vocab::shorten(range)),
                None => " (value)".to_owned(),
            },
            _ => String::new(),
        };
        let _ = write!(out, "- `{name}`{takes}: {}", labels(ontology, &iri, name));
        if let Some(comment) = ontology.comment(&iri, "en") {
            let _ = write!(out, ". {comment}");
        }
        out.push('\n');
    }
    for predicate in own {
        let takes = match predicate.object {
            ObjectKind::Value => " (value)",
            ObjectKind::Entity => "",
        };
        let _ = writeln!(out, "- `{}`{takes}: declared in this store", predicate.id);
    }
}

fn known_section(out: &mut String, known: &[KnownEntity]) {
    out.push_str("\n## Known entities this article names (reuse these ids)\n\n");
    if known.is_empty() {
        out.push_str("None: declare every entity you use.\n");
        return;
    }
    for entity in known.iter().take(MAX_KNOWN) {
        let _ = writeln!(
            out,
            "- `{}` ({}), named here \"{}\": {}",
            entity.id,
            entity.class,
            entity.named_as,
            entity.names.join("; ")
        );
    }
    if known.len() > MAX_KNOWN {
        let _ = writeln!(
            out,
            "- ... and {} more; look ids up with `storygraph find NAME`",
            known.len() - MAX_KNOWN
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prompt_holds_the_metadata_vocabulary_known_ids_schema_and_text() {
        let meta = ArticleMeta {
            id: "a1".into(),
            language: "ar".into(),
            published: "2025-10-19".into(),
            publisher: Some("zaman".into()),
            url: None,
        };
        let known = [KnownEntity {
            id: "putin".into(),
            class: "sg:Person".into(),
            names: vec!["Vladimir Putin".into(), "بوتين".into()],
            named_as: "بوتين".into(),
        }];
        let text = prompt(&meta, "قال بوتين أمس.", &known, &[]);
        for needle in [
            "- id: `a1`",
            "- published: `2025-10-19`",
            "`Person`",
            "`warned`: warned / حذّر",
            "`putin` (sg:Person), named here \"بوتين\"",
            "\"$id\":\"https://w3id.org/storygraph/schema/facts-v1.json\"",
            "<<<ARTICLE\nقال بوتين أمس.\nARTICLE>>>",
            "`speculated`",
            "\"negated\": true",
        ] {
            assert!(text.contains(needle), "no {needle:?} in the prompt");
        }
        assert!(prompt(&meta, "x", &[], &[]).contains("None: declare every entity"));
    }
}
