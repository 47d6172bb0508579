//! Small, stable, non-cryptographic hashes (FNV-1a) for identifiers that are
//! stored: derived fact ids, article content digests, the ontology digest.
//! They must give the same value on every machine and Rust version, which
//! `std`'s hasher does not promise; and what is hashed must not change when
//! a dependency does, so RDF terms are hashed in a serialisation written
//! here (N-Quads terms, as Oxigraph 0.5 also prints them, so stores written
//! before keep their digests and ids), never through another crate's
//! `Display`. The values are pinned by tests.

use std::fmt::Write as _;

use oxigraph::model::vocab::xsd;
use oxigraph::model::{GraphName, Literal, NamedOrBlankNode, Quad, Term, Triple};

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a, 64 bits.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv(bytes, OFFSET, PRIME)
}

/// A second 64-bit hash with another offset and multiplier, independent
/// enough of [`fnv1a`] to make a 128-bit digest of the pair.
pub fn fnv1a_alt(bytes: &[u8]) -> u64 {
    fnv(bytes, 0x6c62_272e_07bb_0142, 0x0000_0100_5bd1_e995)
}

/// [`fnv1a`] and [`fnv1a_alt`] in one pass: the two multiply chains run
/// side by side instead of one after the other (each byte's multiply
/// waits for the last one's), which halves the time of article digests.
pub fn fnv1a_pair(bytes: &[u8]) -> (u64, u64) {
    bytes
        .iter()
        .fold((OFFSET, 0x6c62_272e_07bb_0142), |(a, b), byte| {
            (
                (a ^ u64::from(*byte)).wrapping_mul(PRIME),
                (b ^ u64::from(*byte)).wrapping_mul(0x0000_0100_5bd1_e995),
            )
        })
}

fn fnv(bytes: &[u8], offset: u64, prime: u64) -> u64 {
    bytes
        .iter()
        .fold(offset, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(prime))
}

/// A 128-bit digest of a set of quads: the wrapping sum of each quad's two
/// FNV-1a hashes of its serialisation, so it does not depend on the order
/// of facts and needs neither sorting nor a string per quad.
pub fn quads_digest<'q>(quads: impl IntoIterator<Item = &'q Quad>) -> String {
    let mut digest = QuadsDigest::default();
    for quad in quads {
        digest.add(quad);
    }
    digest.finish()
}

/// [`quads_digest`] taken a quad at a time: a large article's quads are
/// digested a slice at a time, never all held at once.
#[derive(Default)]
pub struct QuadsDigest {
    text: String,
    sum_a: u64,
    sum_b: u64,
}

impl QuadsDigest {
    pub fn add(&mut self, quad: &Quad) {
        self.text.clear();
        write_quad(&mut self.text, quad);
        let (a, b) = fnv1a_pair(self.text.as_bytes());
        self.sum_a = self.sum_a.wrapping_add(a);
        self.sum_b = self.sum_b.wrapping_add(b);
    }

    pub fn finish(&self) -> String {
        format!("{:016x}{:016x}", self.sum_a, self.sum_b)
    }
}

/// `s p o g` (no `g` in the default graph), terms in N-Quads syntax.
fn write_quad(out: &mut String, quad: &Quad) {
    write_subject(out, &quad.subject);
    out.push(' ');
    write_iri(out, quad.predicate.as_str());
    out.push(' ');
    write_term(out, &quad.object);
    match &quad.graph_name {
        GraphName::DefaultGraph => {}
        GraphName::NamedNode(n) => {
            out.push(' ');
            write_iri(out, n.as_str());
        }
        GraphName::BlankNode(b) => {
            out.push_str(" _:");
            out.push_str(b.as_str());
        }
    }
}

fn write_iri(out: &mut String, iri: &str) {
    out.push('<');
    out.push_str(iri);
    out.push('>');
}

fn write_subject(out: &mut String, subject: &NamedOrBlankNode) {
    match subject {
        NamedOrBlankNode::NamedNode(n) => write_iri(out, n.as_str()),
        NamedOrBlankNode::BlankNode(b) => {
            out.push_str("_:");
            out.push_str(b.as_str());
        }
    }
}

fn write_term(out: &mut String, term: &Term) {
    match term {
        Term::NamedNode(n) => write_iri(out, n.as_str()),
        Term::BlankNode(b) => {
            out.push_str("_:");
            out.push_str(b.as_str());
        }
        Term::Literal(literal) => write_literal(out, literal),
        Term::Triple(triple) => write_triple_term(out, triple),
    }
}

fn write_triple_term(out: &mut String, triple: &Triple) {
    out.push_str("<<( ");
    write_subject(out, &triple.subject);
    out.push(' ');
    write_iri(out, triple.predicate.as_str());
    out.push(' ');
    write_term(out, &triple.object);
    out.push_str(" )>>");
}

/// A literal as N-Triples writes it: `"text"@lang` or `"text"^^<datatype>`.
pub fn literal_text(literal: &Literal) -> String {
    let mut out = String::new();
    write_literal(&mut out, literal);
    out
}

fn write_literal(out: &mut String, literal: &Literal) {
    write_quoted(out, literal.value());
    if let Some(language) = literal.language() {
        out.push('@');
        out.push_str(language);
        if let Some(direction) = literal.direction() {
            out.push_str(match direction {
                oxigraph::model::BaseDirection::Ltr => "--ltr",
                oxigraph::model::BaseDirection::Rtl => "--rtl",
            });
        }
    } else if literal.datatype() != xsd::STRING {
        out.push_str("^^");
        write_iri(out, literal.datatype().as_str());
    }
}

/// A string literal's text between double quotes, escaped as in N-Triples.
fn write_quoted(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}' => {
                // Writing into a String cannot fail.
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_pinned() {
        // Stored digests depend on these: changing them rewrites every store.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv1a(b"storygraph"), fnv1a_alt(b"storygraph"));
        for text in [
            &b""[..],
            b"a",
            b"<https://w3id.org/storygraph/entity/putin>",
        ] {
            assert_eq!(fnv1a_pair(text), (fnv1a(text), fnv1a_alt(text)));
        }
    }

    use oxigraph::model::{BlankNode, NamedNode};

    fn iri(s: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("https://example.org/{s}"))
    }

    fn sample() -> Vec<Quad> {
        let graph = GraphName::NamedNode(iri("article"));
        let triple = Triple::new(iri("putin"), iri("warned"), iri("aliyev"));
        vec![
            Quad::new(iri("putin"), iri("warned"), iri("aliyev"), graph.clone()),
            Quad::new(
                iri("s"),
                iri("evidence"),
                Literal::new_language_tagged_literal_unchecked("قال \"بوتين\"\n\t\\", "ar"),
                graph.clone(),
            ),
            Quad::new(
                iri("s"),
                iri("count"),
                Literal::new_typed_literal("3", xsd::INTEGER),
                GraphName::DefaultGraph,
            ),
            Quad::new(
                iri("s"),
                iri("label"),
                Literal::new_simple_literal("a\u{1}b\u{FFFF}"),
                GraphName::DefaultGraph,
            ),
            Quad::new(iri("s"), iri("reifies"), triple, graph.clone()),
            Quad::new(BlankNode::new_unchecked("b0"), iri("p"), iri("o"), graph),
        ]
    }

    #[test]
    fn quads_are_written_as_n_quads_terms() {
        let mut text = String::new();
        for quad in sample() {
            write_quad(&mut text, &quad);
            text.push('\n');
        }
        let expected = [
            "<https://example.org/putin> <https://example.org/warned> <https://example.org/aliyev> <https://example.org/article>",
            "<https://example.org/s> <https://example.org/evidence> \"قال \\\"بوتين\\\"\\n\\t\\\\\"@ar <https://example.org/article>",
            "<https://example.org/s> <https://example.org/count> \"3\"^^<http://www.w3.org/2001/XMLSchema#integer>",
            "<https://example.org/s> <https://example.org/label> \"a\\u0001b\\uFFFF\"",
            "<https://example.org/s> <https://example.org/reifies> <<( <https://example.org/putin> <https://example.org/warned> <https://example.org/aliyev> )>> <https://example.org/article>",
            "_:b0 <https://example.org/p> <https://example.org/o> <https://example.org/article>",
        ];
        assert_eq!(text, expected.map(|l| format!("{l}\n")).concat());
    }

    #[test]
    fn digest_values_are_pinned() {
        // Stored in every article: changing a value makes every stored
        // article look changed, and the next ingest rewrites them all.
        assert_eq!(quads_digest(&[]), "00000000000000000000000000000000");
        let quads = sample();
        let digest = quads_digest(&quads);
        assert_eq!(digest, PINNED);
        let mut reversed = quads;
        reversed.reverse();
        assert_eq!(quads_digest(&reversed), digest, "order must not matter");
    }

    const PINNED: &str = "f2b3a3a571d09d0d27fae5254f1310db";
}
