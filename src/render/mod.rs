//! Rendering: turning query results and listings into text for people
//! (aligned tables) or for programs (the W3C result formats, RDF syntaxes,
//! JSON, CSV). Every renderer writes to an `impl Write` and never prints.
//!
//! One format enum per family of commands ([`ResultsFormat`],
//! [`ListingFormat`], [`ExploreFormat`], [`PathFormat`]; exports have
//! theirs in `export`), so a command is never given a format it cannot
//! write.

pub mod dot;
pub mod explore;
pub mod listing;
pub mod path;
pub mod results;
pub mod search;
pub mod table;
pub mod terminal;

use crate::keyword::keyword_enum;

keyword_enum! {
    /// Formats of SPARQL results (`query` and the shell's `.format`).
    /// Solutions: table, csv, tsv, json, xml (the last four are exactly the
    /// W3C SPARQL 1.1 Query Results formats). Graphs: turtle, ntriples,
    /// nquads, trig, rdfxml, jsonld (and table, one row per triple).
    pub enum ResultsFormat {
        /// Aligned table for people; IRIs shortened with known prefixes
        Table = "table",
        Csv = "csv",
        Tsv = "tsv",
        Json = "json",
        Xml = "xml",
        Turtle = "turtle",
        Ntriples = "ntriples",
        Nquads = "nquads",
        Trig = "trig",
        /// RDF/XML
        Rdfxml = "rdfxml",
        /// JSON-LD
        Jsonld = "jsonld",
    }
}

keyword_enum! {
    /// Formats of listings (`stats`, `articles`, `find`).
    pub enum ListingFormat {
        /// Aligned table for people
        Table = "table",
        Csv = "csv",
        Tsv = "tsv",
        Json = "json",
    }
}

keyword_enum! {
    /// Formats of exploration results (`neighbors`, `timeline`,
    /// `conflicts`, `corroboration`).
    pub enum ExploreFormat {
        Text = "text",
        Json = "json",
    }
}

keyword_enum! {
    /// Formats of paths (`path`, `paths`, `connections`).
    pub enum PathFormat {
        Text = "text",
        /// The stable JSON document
        Json = "json",
        /// Graphviz
        Dot = "dot",
    }
}

impl ResultsFormat {
    /// The listing format of the same name, if there is one (the shell's
    /// `.format` also applies to its listings).
    pub fn listing(self) -> Option<ListingFormat> {
        match self {
            ResultsFormat::Table => Some(ListingFormat::Table),
            ResultsFormat::Csv => Some(ListingFormat::Csv),
            ResultsFormat::Tsv => Some(ListingFormat::Tsv),
            ResultsFormat::Json => Some(ListingFormat::Json),
            _ => None,
        }
    }
}

/// Writes one JSON document, pretty-printed, and a newline.
pub fn write_json(
    out: &mut dyn std::io::Write,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// Quotes a CSV field when it needs it (RFC 4180).
pub fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// Escapes a TSV field: tabs and newlines would break the columns.
pub fn tsv_field(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}
