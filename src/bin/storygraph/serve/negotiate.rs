//! Content negotiation: the `Accept` header (with q-values and wildcards),
//! or a `format=` parameter for links typed by hand, picks the format of
//! SPARQL results (solutions and booleans: JSON, XML, CSV, TSV) or of an
//! RDF graph (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD). One
//! table of media types serves both directions.

use storygraph::render::ResultsFormat;

use super::reply::Reply;

/// What is being answered: solutions (or a boolean), or triples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Solutions,
    Graph,
}

/// Media types we write, the first of each format being the one we send.
const MEDIA_TYPES: &[(&str, ResultsFormat, Kind)] = &[
    (
        "application/sparql-results+json",
        ResultsFormat::Json,
        Kind::Solutions,
    ),
    ("application/json", ResultsFormat::Json, Kind::Solutions),
    (
        "application/sparql-results+xml",
        ResultsFormat::Xml,
        Kind::Solutions,
    ),
    ("application/xml", ResultsFormat::Xml, Kind::Solutions),
    ("text/csv", ResultsFormat::Csv, Kind::Solutions),
    (
        "text/tab-separated-values",
        ResultsFormat::Tsv,
        Kind::Solutions,
    ),
    ("text/xml", ResultsFormat::Xml, Kind::Solutions),
    ("text/turtle", ResultsFormat::Turtle, Kind::Graph),
    ("application/x-turtle", ResultsFormat::Turtle, Kind::Graph),
    (
        "application/n-triples",
        ResultsFormat::Ntriples,
        Kind::Graph,
    ),
    ("text/plain", ResultsFormat::Ntriples, Kind::Graph),
    ("application/n-quads", ResultsFormat::Nquads, Kind::Graph),
    ("application/trig", ResultsFormat::Trig, Kind::Graph),
    ("application/rdf+xml", ResultsFormat::Rdfxml, Kind::Graph),
    ("application/ld+json", ResultsFormat::Jsonld, Kind::Graph),
];

/// The media type a format is sent with.
pub fn media_type_of(format: ResultsFormat) -> &'static str {
    MEDIA_TYPES
        .iter()
        .find(|(_, f, _)| *f == format)
        .map_or("application/octet-stream", |(media, _, _)| media)
}

fn default_of(kind: Kind) -> ResultsFormat {
    match kind {
        Kind::Solutions => ResultsFormat::Json,
        Kind::Graph => ResultsFormat::Turtle,
    }
}

/// The format to answer in. A `format` parameter (json, xml, csv, tsv,
/// turtle, ntriples, nquads, trig, rdfxml, jsonld, or a media type) wins
/// over `Accept`; no `Accept`, or `*/*`, gets JSON or Turtle.
pub fn choose(
    accept: Option<&str>,
    format: Option<&str>,
    kind: Kind,
) -> Result<ResultsFormat, Reply> {
    let fits = |f: ResultsFormat| MEDIA_TYPES.iter().any(|(_, g, k)| *g == f && *k == kind);
    if let Some(name) = format {
        let named = name
            .parse::<ResultsFormat>()
            .ok()
            .or_else(|| lookup(name, kind));
        return match named {
            Some(f) if fits(f) => Ok(f),
            _ => Err(not_acceptable(&format!("format={name}"), kind)),
        };
    }
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return Ok(default_of(kind));
    };
    let mut ranges: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(order, range)| {
            let mut parts = range.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0 && !media.is_empty()).then_some((q, order, media))
        })
        .collect();
    // Highest q first; among equals, the client's order.
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, _, media) in &ranges {
        if media == "*/*" {
            return Ok(default_of(kind));
        }
        if let Some(format) = lookup(media, kind) {
            return Ok(format);
        }
        if let Some(top) = media.strip_suffix("/*") {
            let default = default_of(kind);
            if media_type_of(default).starts_with(&format!("{top}/")) {
                return Ok(default);
            }
            if let Some((_, format, _)) = MEDIA_TYPES
                .iter()
                .find(|(m, _, k)| *k == kind && m.starts_with(&format!("{top}/")))
            {
                return Ok(*format);
            }
        }
    }
    Err(not_acceptable(accept, kind))
}

fn lookup(media: &str, kind: Kind) -> Option<ResultsFormat> {
    MEDIA_TYPES
        .iter()
        .find(|(m, _, k)| *m == media && *k == kind)
        .map(|(_, format, _)| *format)
}

fn not_acceptable(asked: &str, kind: Kind) -> Reply {
    let offered: Vec<&str> = MEDIA_TYPES
        .iter()
        .filter(|(_, _, k)| *k == kind)
        .map(|(m, _, _)| *m)
        .collect();
    let what = match kind {
        Kind::Solutions => "solutions",
        Kind::Graph => "a graph",
    };
    Reply::new(
        406,
        format!(
            "this answer is {what}, which is not offered as {asked}; ask for one of {}",
            offered.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_picks_the_preferred_format_we_offer() {
        let pick = |accept| choose(Some(accept), None, Kind::Solutions).unwrap();
        assert_eq!(pick("application/sparql-results+xml"), ResultsFormat::Xml);
        assert_eq!(
            pick("text/csv;q=0.5, application/sparql-results+json"),
            ResultsFormat::Json
        );
        assert_eq!(
            pick("text/html, text/tab-separated-values;q=0.9"),
            ResultsFormat::Tsv
        );
        assert_eq!(pick("*/*"), ResultsFormat::Json);
        assert_eq!(pick("text/*"), ResultsFormat::Csv);
        let graph = |accept| choose(Some(accept), None, Kind::Graph).unwrap();
        assert_eq!(graph("application/rdf+xml"), ResultsFormat::Rdfxml);
        assert_eq!(
            graph("application/ld+json, text/turtle;q=0.1"),
            ResultsFormat::Jsonld
        );
        assert_eq!(graph("application/*"), ResultsFormat::Turtle);
        assert_eq!(graph("text/*"), ResultsFormat::Turtle);
    }

    #[test]
    fn no_accept_gets_json_or_turtle_and_format_wins() {
        assert_eq!(
            choose(None, None, Kind::Solutions).unwrap(),
            ResultsFormat::Json
        );
        assert_eq!(
            choose(None, None, Kind::Graph).unwrap(),
            ResultsFormat::Turtle
        );
        assert_eq!(
            choose(Some("text/csv"), Some("xml"), Kind::Solutions).unwrap(),
            ResultsFormat::Xml
        );
        assert_eq!(
            choose(None, Some("application/n-triples"), Kind::Graph).unwrap(),
            ResultsFormat::Ntriples
        );
    }

    #[test]
    fn what_we_do_not_offer_is_406_naming_what_we_do() {
        let refused = choose(Some("text/turtle"), None, Kind::Solutions).unwrap_err();
        assert_eq!(refused.status, 406);
        assert!(refused.message.contains("application/sparql-results+json"));
        assert_eq!(
            choose(Some("text/csv;q=0"), None, Kind::Solutions)
                .unwrap_err()
                .status,
            406
        );
        assert_eq!(
            choose(None, Some("csv"), Kind::Graph).unwrap_err().status,
            406
        );
    }
}
