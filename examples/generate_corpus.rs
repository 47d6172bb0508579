//! A deterministic generator of realistic input for benchmarks and tests:
//! `.jsonl` with one document (one article) per line.
//!
//! ```text
//! cargo run --release --example generate_corpus -- FACTS [SEED] [--entities N] > corpus.jsonl
//! ```
//!
//! Articles carry 10-20 facts each. Entities (one per 40 facts, 200 to
//! 5,000, unless `--entities` says how many: real news names hundreds of
//! thousands, every minor official, place and event) are drawn with a
//! Zipf-like skew (a few actors appear everywhere, as in real news), with
//! English and Arabic names and transliteration variants; dates spread over
//! 2018-2025 at year, month and day precision; all certainty levels; about 3%
//! negated facts; some entities carry a `same_as` IRI shared with a second id
//! (so merging is exercised). Every line declares the entities it uses.

use std::io::{self, BufWriter, Write};

use serde_json::{json, Value};

/// splitmix64: small, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index in 0..n with probability ~ 1/(i+1) (Zipf, s = 1).
    fn zipf(&mut self, n: usize) -> usize {
        let h = (n as f64).ln() + 0.577;
        let target = self.unit() * h;
        ((target.exp() - 0.5).floor() as usize).min(n - 1)
    }
}

const SYLLABLES: &[(&str, &str)] = &[
    ("ka", "كا"),
    ("ri", "ري"),
    ("mo", "مو"),
    ("sa", "سا"),
    ("li", "لي"),
    ("na", "نا"),
    ("da", "دا"),
    ("ha", "ها"),
    ("ra", "را"),
    ("mi", "مي"),
    ("ta", "تا"),
    ("bu", "بو"),
    ("zi", "زي"),
    ("fa", "فا"),
    ("lu", "لو"),
    ("ne", "ني"),
];
const SURNAME_ENDINGS: &[(&str, &str, &str)] = &[
    ("yev", "ييف", "yef"),
    ("ov", "وف", "off"),
    ("i", "ي", "y"),
    ("an", "ان", "ian"),
    ("ez", "يز", "es"),
];
const KINDS: &[(&str, &str)] = &[
    ("Person", "person"),
    ("Person", "person"),
    ("Person", "person"),
    ("Organization", "org"),
    ("GovernmentBody", "gov"),
    ("Country", "country"),
    ("City", "city"),
    ("Event", "event"),
    ("CoupAttempt", "event"),
    ("Arrest", "event"),
    ("Visit", "event"),
];
const PREDICATES: &[&str] = &[
    "warned",
    "informed",
    "contacted",
    "arrested",
    "dismissed",
    "visits",
    "metWith",
    "headOf",
    "memberOf",
    "participatedIn",
    "plotted",
    "foiled",
    "reported",
    "claimed",
    "announced",
    "pledgedTroopsTo",
    "mayContributeTroopsTo",
    "strainedRelationsWith",
    "locatedIn",
    "targeted",
];
const CERTAINTIES: &[(&str, f64)] = &[
    ("confirmed", 0.2),
    ("reported", 0.5),
    ("claimed", 0.2),
    ("speculated", 0.1),
];
const NEWS_ORGS: usize = 40;

struct Entity {
    id: String,
    class: &'static str,
    en: String,
    ar: String,
    variant: String,
    same_as: Option<String>,
}

fn make_entities(n: usize, rng: &mut Rng) -> Vec<Entity> {
    (0..n)
        .map(|i| {
            let (class, prefix) = if i < NEWS_ORGS {
                ("NewsOrganization", "news")
            } else {
                KINDS[rng.below(KINDS.len())]
            };
            let mut en = String::new();
            let mut ar = String::new();
            for _ in 0..2 + rng.below(2) {
                let (l, a) = SYLLABLES[rng.below(SYLLABLES.len())];
                en.push_str(l);
                ar.push_str(a);
            }
            let (end_en, end_ar, end_variant) = SURNAME_ENDINGS[rng.below(SURNAME_ENDINGS.len())];
            let mut first = en.clone();
            first[..1].make_ascii_uppercase();
            let en_name = format!("{first}{end_en} {i}");
            let variant = format!("{first}{end_variant} {i}");
            Entity {
                id: format!("{prefix}-{i}"),
                class,
                ar: format!("{ar}{end_ar} {i}"),
                en: en_name,
                variant,
                // Every tenth entity has a Wikidata-style IRI; the source id
                // `...-alt` below shares it, so the two ids merge.
                same_as: (i % 10 == 0)
                    .then(|| format!("http://www.wikidata.org/entity/Q{}", 9_000_000 + i)),
            }
        })
        .collect()
}

fn declaration(e: &Entity, alt: bool) -> Value {
    let mut v = json!({
        "id": if alt { format!("{}-alt", e.id) } else { e.id.clone() },
        "type": e.class,
        "name": {"en": e.en, "ar": e.ar},
        "aliases": {"en": [e.variant]},
    });
    if let Some(iri) = &e.same_as {
        v["same_as"] = json!([iri]);
    }
    v
}

fn time(rng: &mut Rng) -> String {
    let year = 2018 + rng.below(8);
    match rng.below(3) {
        0 => format!("{year}"),
        1 => format!("{year}-{:02}", 1 + rng.below(12)),
        _ => format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
    }
}

fn usage() -> ! {
    eprintln!("usage: generate_corpus FACTS [SEED] [--entities N] > corpus.jsonl");
    std::process::exit(2);
}

fn main() -> io::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut chosen_entities = None;
    if let Some(at) = args.iter().position(|a| a == "--entities") {
        let n = args.get(at + 1).and_then(|a| a.parse::<usize>().ok());
        // The first NEWS_ORGS entities are the publishers.
        let Some(n) = n.filter(|&n| n > NEWS_ORGS) else {
            usage()
        };
        chosen_entities = Some(n);
        args.drain(at..at + 2);
    }
    let Some(target) = args.first().and_then(|a| a.parse::<usize>().ok()) else {
        usage()
    };
    let seed = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(42);
    let mut rng = Rng(seed);
    let n_entities = chosen_entities.unwrap_or((target / 40).clamp(200, 5000));
    let entities = make_entities(n_entities, &mut rng);
    let out = io::stdout();
    let mut out = BufWriter::new(out.lock());
    let mut written = 0;
    let mut article = 0;
    while written < target {
        let n_facts = (10 + rng.below(11)).min(target - written);
        let publisher = rng.below(NEWS_ORGS);
        let mut used: Vec<(usize, bool)> = vec![(publisher, false)];
        let mut facts = Vec::with_capacity(n_facts);
        for f in 0..n_facts {
            let s = rng.zipf(n_entities);
            let mut o = rng.zipf(n_entities);
            if o == s {
                o = (o + 1) % n_entities;
            }
            // Now and then a line names an entity by its second id.
            let s_alt = entities[s].same_as.is_some() && rng.below(20) == 0;
            used.push((s, s_alt));
            used.push((o, false));
            let mut r = rng.unit();
            let certainty = CERTAINTIES
                .iter()
                .find(|(_, p)| {
                    r -= p;
                    r < 0.0
                })
                .map_or("reported", |(c, _)| c);
            let subject = if s_alt {
                format!("{}-alt", entities[s].id)
            } else {
                entities[s].id.clone()
            };
            let mut fact = json!({
                "id": format!("f{f}"),
                "subject": subject,
                "predicate": PREDICATES[rng.below(PREDICATES.len())],
                "object": entities[o].id,
                "certainty": certainty,
                "time": time(&mut rng),
                "evidence": format!("{} {} {} (خبر رقم {article})", entities[s].ar, "و", entities[o].ar),
            });
            if rng.below(33) == 0 {
                fact["negated"] = json!(true);
            }
            if rng.below(4) == 0 {
                let source = rng.below(NEWS_ORGS);
                used.push((source, false));
                fact["source"] = json!(entities[source].id);
            }
            facts.push(fact);
        }
        used.sort_unstable();
        used.dedup();
        let declared: Vec<Value> = used
            .iter()
            .map(|&(i, alt)| declaration(&entities[i], alt))
            .collect();
        let published = format!(
            "20{:02}-{:02}-{:02}",
            18 + rng.below(8),
            1 + rng.below(12),
            1 + rng.below(28)
        );
        let doc = json!({
            "storygraph": 1,
            "entities": declared,
            "articles": [{
                "id": format!("gen-{seed}-{article}"),
                "title": format!("Generated article {article}"),
                "language": "ar",
                "published": published,
                "publisher": entities[publisher].id,
                "facts": facts,
            }],
        });
        serde_json::to_writer(&mut out, &doc)?;
        out.write_all(b"\n")?;
        written += n_facts;
        article += 1;
    }
    out.flush()
}
