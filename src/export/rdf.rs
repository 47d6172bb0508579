//! The selected subgraph as RDF, provenance included: each drawn entity's
//! description, each admitted statement node with its direct triple in its
//! article's graph, and the articles' metadata. With `no_triple_terms`
//! (always for JSON-LD) the `rdf:reifies` triple terms are left out: the
//! statement nodes' `rdf:subject`/`rdf:predicate`/`rdf:object` carry the
//! same fact in the form SPARQL 1.1 tools (rdflib 7) read.

use std::io::{self, Write};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Quad, Term};

use crate::vocab;

/// Writes `quads` in `format`; formats without named graphs get the
/// triples of every graph.
pub fn write_rdf(
    out: &mut dyn Write,
    quads: &[Quad],
    format: RdfFormat,
    no_triple_terms: bool,
) -> io::Result<()> {
    let drop_terms = no_triple_terms || matches!(format, RdfFormat::JsonLd { .. });
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, ns) in vocab::PREFIXES {
        serializer = serializer
            .with_prefix(*prefix, *ns)
            .map_err(io::Error::other)?;
    }
    let mut writer = serializer.for_writer(out);
    let kept = quads
        .iter()
        .filter(|q| !(drop_terms && matches!(q.object, Term::Triple(_))));
    if format.supports_datasets() {
        for quad in kept {
            writer.serialize_quad(quad)?;
        }
    } else {
        let mut seen = std::collections::HashSet::new();
        for quad in kept {
            let triple = oxigraph::model::TripleRef::from(quad.as_ref());
            if seen.insert(triple.into_owned()) {
                writer.serialize_triple(triple)?;
            }
        }
    }
    writer.finish()?;
    Ok(())
}
