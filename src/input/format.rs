//! The input format's serde types (version 1 of `docs/facts-format.md`, in
//! README.md). They mirror the JSON exactly, reject unknown keys, and
//! generate the JSON Schema that `storygraph schema` prints; nothing past
//! `input::validate` sees them.

use std::collections::BTreeMap;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;

/// The only format version this build reads.
pub const FORMAT_VERSION: u64 = 1;

/// The pattern of ids (articles, entities, facts).
pub const SLUG_PATTERN: &str = "^[a-z0-9][a-z0-9._-]*$";

/// One document: entities shared by its articles, and the articles.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "storygraph article facts, format version 1")]
pub(super) struct DocumentInput {
    /// The format version: always 1.
    #[schemars(extend("const" = 1))]
    pub(super) storygraph: u64,
    /// Entities shared by all articles of this document.
    #[serde(default)]
    pub(super) entities: Vec<EntityInput>,
    /// Predicates of your own vocabulary, used in facts by their id like
    /// the ontology's.
    #[serde(default)]
    pub(super) predicates: Vec<PredicateInput>,
    /// The articles (at least one).
    #[schemars(length(min = 1))]
    pub(super) articles: Vec<ArticleInput>,
    /// A draft's review list (`storygraph extract`): facts and entities
    /// that failed a check, with their problems. Never ingested; fix one
    /// and move it back to use it.
    #[serde(default)]
    pub(super) rejected: Vec<RejectedInput>,
}

/// An item of a draft set apart for review.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RejectedInput {
    /// Where the item was (`articles[0].facts[3]`).
    #[allow(dead_code)] // Read by people, kept by the schema.
    pub(super) path: String,
    /// Why it was set apart.
    #[allow(dead_code)]
    pub(super) problems: Vec<String>,
    /// The fact or entity as the model wrote it.
    #[allow(dead_code)]
    pub(super) item: serde_json::Value,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ArticleInput {
    /// A slug, unique across the store; names the article's graph.
    #[schemars(schema_with = "slug_schema")]
    pub(super) id: String,
    pub(super) title: String,
    /// A BCP 47 language tag (`ar`, `en`, `az-Latn`).
    #[schemars(schema_with = "language_schema")]
    pub(super) language: String,
    /// ISO 8601 date or date-time of publication.
    pub(super) published: String,
    /// Entity id of the publishing organisation; the default source of facts.
    #[serde(default)]
    #[schemars(schema_with = "optional_slug_schema")]
    pub(super) publisher: Option<String>,
    #[serde(default)]
    pub(super) url: Option<String>,
    #[serde(default)]
    pub(super) authors: Vec<String>,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    /// The article's text. When it is given, every fact's `evidence` must
    /// be found in it (letter variants, case, quote marks and whitespace
    /// aside; `...` marks words left out).
    #[serde(default)]
    pub(super) text: Option<String>,
    /// Entities declared by this article (merged with the document's).
    #[serde(default)]
    pub(super) entities: Vec<EntityInput>,
    pub(super) facts: Vec<FactInput>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct EntityInput {
    /// A global slug: the same id in two articles is the same entity.
    #[schemars(schema_with = "slug_schema")]
    pub(super) id: String,
    /// A class of the ontology (`Person`, `Country`, `CoupAttempt`, ...), a
    /// prefixed name (`schema:Person`) or an IRI.
    #[serde(rename = "type")]
    pub(super) class: String,
    /// One preferred name per language tag.
    #[serde(default)]
    pub(super) name: BTreeMap<String, String>,
    /// More names per language: spellings, transliterations, short forms.
    #[serde(default)]
    pub(super) aliases: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub(super) description: BTreeMap<String, String>,
    /// IRIs of the same thing elsewhere (`http://www.wikidata.org/entity/Q7747`).
    #[serde(default)]
    pub(super) same_as: Vec<String>,
}

/// A predicate of your own vocabulary.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PredicateInput {
    /// A slug, how facts name it (`signed`, `handed_note_to`).
    #[schemars(schema_with = "slug_schema")]
    pub(super) id: String,
    /// Its IRI, a prefixed name or absolute IRI; default `sg:` + id.
    #[serde(default)]
    pub(super) iri: Option<String>,
    /// How it reads, per language tag (`{"en": "signed", "ar": "وقّع"}`).
    #[serde(default)]
    pub(super) label: BTreeMap<String, String>,
    /// How it reads from object to subject (`{"en": "signed by"}`).
    #[serde(default)]
    pub(super) inverse_label: BTreeMap<String, String>,
    /// True when it reads the same both ways (`negotiated with`).
    #[serde(default)]
    pub(super) symmetric: bool,
    /// What its facts take: an entity id (`"object"`, the default) or a
    /// literal (`"value"`).
    #[serde(default)]
    #[schemars(schema_with = "object_kind_schema")]
    pub(super) object: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = [{ "required": ["object"] }, { "required": ["value"] }]))]
pub(super) struct FactInput {
    /// Unique within the article; derived from the content when absent.
    #[serde(default)]
    #[schemars(schema_with = "optional_slug_schema")]
    pub(super) id: Option<String>,
    #[schemars(schema_with = "slug_schema")]
    pub(super) subject: String,
    /// A fact property of the ontology by local name, a prefixed name or an IRI.
    pub(super) predicate: String,
    /// An entity id; exactly one of `object` and `value`.
    #[serde(default)]
    #[schemars(schema_with = "optional_slug_schema")]
    pub(super) object: Option<String>,
    /// A literal; exactly one of `object` and `value`.
    #[serde(default)]
    #[schemars(schema_with = "value_schema")]
    pub(super) value: Option<serde_json::Value>,
    #[serde(default)]
    #[schemars(schema_with = "optional_slug_schema")]
    pub(super) about: Option<String>,
    /// ISO 8601, reduced precision allowed, or an interval `start/end`.
    #[serde(default)]
    pub(super) time: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "optional_slug_schema")]
    pub(super) place: Option<String>,
    /// How the article presents the fact, strongest first.
    #[serde(default)]
    #[schemars(schema_with = "certainty_schema")]
    pub(super) certainty: Option<String>,
    #[serde(default)]
    pub(super) negated: bool,
    /// Entity id of who asserts it; defaults to the article's publisher.
    #[serde(default)]
    #[schemars(schema_with = "optional_slug_schema")]
    pub(super) source: Option<String>,
    /// Whom the source cites, in order.
    #[serde(default)]
    #[schemars(schema_with = "slug_list_schema")]
    pub(super) via: Vec<String>,
    /// The supporting sentence, in the article's language.
    #[serde(default)]
    pub(super) evidence: Option<String>,
}

/// Keys of each object, for "did you mean" hints on unknown keys.
pub const DOCUMENT_KEYS: &[&str] = &[
    "storygraph",
    "entities",
    "predicates",
    "articles",
    "rejected",
];
pub const PREDICATE_KEYS: &[&str] = &["id", "iri", "label", "inverse_label", "symmetric", "object"];
pub const ARTICLE_KEYS: &[&str] = &[
    "id",
    "title",
    "language",
    "published",
    "publisher",
    "url",
    "authors",
    "tags",
    "text",
    "entities",
    "facts",
];
pub const ENTITY_KEYS: &[&str] = &["id", "type", "name", "aliases", "description", "same_as"];
pub const FACT_KEYS: &[&str] = &[
    "id",
    "subject",
    "predicate",
    "object",
    "value",
    "about",
    "time",
    "place",
    "certainty",
    "negated",
    "source",
    "via",
    "evidence",
];

/// The JSON Schema (draft 2020-12) of a document, self-contained.
pub fn json_schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(DocumentInput);
    schema.insert(
        "$id".into(),
        "https://w3id.org/storygraph/schema/facts-v1.json".into(),
    );
    schema.into()
}

fn slug_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": SLUG_PATTERN })
}

fn optional_slug_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "null"], "pattern": SLUG_PATTERN })
}

fn slug_list_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "array", "items": { "type": "string", "pattern": SLUG_PATTERN } })
}

fn language_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": "^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$" })
}

fn certainty_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["string", "null"],
        "enum": ["confirmed", "reported", "claimed", "speculated", null]
    })
}

fn object_kind_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["string", "null"],
        "enum": ["entity", "value", null]
    })
}

fn value_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "oneOf": [
            { "type": "string" },
            { "type": "number" },
            { "type": "boolean" },
            { "type": "null" },
            {
                "type": "object",
                "properties": {
                    "value": { "type": "string" },
                    "lang": { "type": "string" },
                    "datatype": { "type": "string" }
                },
                "required": ["value"],
                "additionalProperties": false,
                "not": { "required": ["lang", "datatype"] }
            }
        ]
    })
}
