//! Rendering: turning query results and listings into text for people
//! (aligned tables) or for programs (the W3C result formats, RDF syntaxes,
//! JSON, CSV). Every renderer writes to an `impl Write` and never prints.
//!
//! [`OutputFormat`] is the one list of formats, shared by every `--format`
//! flag (and the shell's `.format`).

pub mod explore;
pub mod path;
pub mod results;
pub mod table;

use std::fmt;
use std::str::FromStr;

use clap::ValueEnum;

/// Output formats. Solutions: table, csv, tsv, json, xml (the last four are
/// exactly the W3C SPARQL 1.1 Query Results formats). Graphs: turtle,
/// ntriples, nquads, trig (and table, one row per triple).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned table for people; IRIs shortened with known prefixes.
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
    Turtle,
    Ntriples,
    Nquads,
    Trig,
}

impl OutputFormat {
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Table => "table",
            OutputFormat::Csv => "csv",
            OutputFormat::Tsv => "tsv",
            OutputFormat::Json => "json",
            OutputFormat::Xml => "xml",
            OutputFormat::Turtle => "turtle",
            OutputFormat::Ntriples => "ntriples",
            OutputFormat::Nquads => "nquads",
            OutputFormat::Trig => "trig",
        }
    }

    /// Whether stdout holds one machine-readable document in this format.
    pub fn is_machine_readable(self) -> bool {
        self != OutputFormat::Table
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OutputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        <OutputFormat as ValueEnum>::from_str(s, true).map_err(|_| {
            let names: Vec<&str> = OutputFormat::value_variants()
                .iter()
                .map(|f| f.name())
                .collect();
            format!(
                "unknown format \"{s}\"; expected one of {}",
                names.join(", ")
            )
        })
    }
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
