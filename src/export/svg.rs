//! SVG drawn by storygraph itself: a force-directed layout (Fruchterman-
//! Reingold, deterministic start) followed by a pass that pushes apart
//! overlapping label boxes until none overlap (falling back to a grid in
//! the order of the layout if that does not settle). Labels are real
//! `<text>`, so they are selectable and searchable, and the viewer shapes
//! Arabic; edges are curves from box border to box border (parallel ones
//! bent apart, labels never overlapping: see `route`); a legend shows kinds
//! and certainty line styles.

use std::io::{self, Write};

use super::graphml::xml;
use super::{route, NodeKind, Subgraph};
use crate::deadline::CancellationToken;
use crate::graph::{EntityIndex, Projection};
use crate::model::Certainty;
use crate::render::dot::DENIED_COLOUR;

const FONT: f64 = 12.0;
const PAD: f64 = 6.0;
const GAP: f64 = 8.0;

/// A placed node: centre and half sizes of its label box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub half_w: f64,
    pub half_h: f64,
}

impl Placed {
    fn overlap(&self, other: &Placed) -> Option<(f64, f64)> {
        let dx = (self.half_w + other.half_w + GAP) - (self.x - other.x).abs();
        let dy = (self.half_h + other.half_h + GAP) - (self.y - other.y).abs();
        (dx > 0.0 && dy > 0.0).then_some((dx, dy))
    }
}

/// The width of a label in pixels, roughly: wide characters count double.
fn text_width(text: &str) -> f64 {
    use unicode_width::UnicodeWidthStr;
    text.width() as f64 * FONT * 0.62
}

/// Places boxes of the given half sizes for a graph with these edges
/// (indices into `sizes`). Deterministic; no two boxes overlap.
pub fn layout(
    sizes: &[(f64, f64)],
    edges: &[(usize, usize)],
    stop: Option<&CancellationToken>,
) -> Vec<Placed> {
    let n = sizes.len();
    if n == 0 {
        return Vec::new();
    }
    let area = sizes
        .iter()
        .map(|(w, h)| (2.0 * w + GAP * 4.0) * (2.0 * h + GAP * 4.0))
        .sum::<f64>()
        * 2.5;
    let side = area.sqrt();
    let k = (area / n as f64).sqrt();
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let angle = i as f64 * 2.399_963; // golden angle: an even spread
            let radius = side * 0.45 * ((i as f64 + 0.5) / n as f64).sqrt();
            (radius * angle.cos(), radius * angle.sin())
        })
        .collect();
    let iterations = 300;
    let mut temperature = side / 10.0;
    for _ in 0..iterations {
        // O(n²) a round: a large drawing takes long, and a deadline or
        // Ctrl-C ends it here (the caller then writes nothing).
        if stop.is_some_and(CancellationToken::is_cancelled) {
            break;
        }
        let mut shift = vec![(0.0f64, 0.0f64); n];
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d = (dx * dx + dy * dy).sqrt().max(0.01);
                let force = k * k / d;
                let (fx, fy) = (dx / d * force, dy / d * force);
                shift[i].0 += fx;
                shift[i].1 += fy;
                shift[j].0 -= fx;
                shift[j].1 -= fy;
            }
        }
        for &(a, b) in edges {
            if a == b {
                continue;
            }
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let force = d * d / k;
            let (fx, fy) = (dx / d * force, dy / d * force);
            shift[a].0 -= fx;
            shift[a].1 -= fy;
            shift[b].0 += fx;
            shift[b].1 += fy;
        }
        for i in 0..n {
            let (sx, sy) = shift[i];
            let length = (sx * sx + sy * sy).sqrt().max(0.01);
            let step = length.min(temperature);
            pos[i].0 += sx / length * step;
            pos[i].1 += sy / length * step;
            // Gravity keeps unconnected parts from drifting away.
            pos[i].0 *= 0.995;
            pos[i].1 *= 0.995;
        }
        temperature = (temperature * 0.98).max(side / 500.0);
    }
    let mut placed: Vec<Placed> = pos
        .iter()
        .zip(sizes)
        .map(|(&(x, y), &(half_w, half_h))| Placed {
            x,
            y,
            half_w,
            half_h,
        })
        .collect();
    if stop.is_some_and(CancellationToken::is_cancelled) {
        return placed; // the caller discards it
    }
    if !separate(&mut placed, stop) {
        grid(&mut placed);
    }
    placed
}

/// Pushes overlapping boxes apart along the axis where they overlap
/// least; true when no overlap is left.
fn separate(placed: &mut [Placed], stop: Option<&CancellationToken>) -> bool {
    for _ in 0..500 {
        // O(n²) a round, like the layout's.
        if stop.is_some_and(CancellationToken::is_cancelled) {
            return true;
        }
        let mut moved = false;
        for i in 0..placed.len() {
            for j in (i + 1)..placed.len() {
                if let Some((dx, dy)) = placed[i].overlap(&placed[j]) {
                    moved = true;
                    if dx < dy {
                        let sign = if placed[i].x < placed[j].x { -1.0 } else { 1.0 };
                        placed[i].x += sign * (dx / 2.0 + 0.5);
                        placed[j].x -= sign * (dx / 2.0 + 0.5);
                    } else {
                        let sign = if placed[i].y < placed[j].y { -1.0 } else { 1.0 };
                        placed[i].y += sign * (dy / 2.0 + 0.5);
                        placed[j].y -= sign * (dy / 2.0 + 0.5);
                    }
                }
            }
        }
        if !moved {
            return true;
        }
    }
    false
}

/// Cells as large as the largest box, filled in the order of the layout
/// (rows by y, then x): never overlaps.
fn grid(placed: &mut [Placed]) {
    let cell_w = placed.iter().map(|p| p.half_w).fold(0.0, f64::max) * 2.0 + GAP * 2.0;
    let cell_h = placed.iter().map(|p| p.half_h).fold(0.0, f64::max) * 2.0 + GAP * 2.0;
    let columns = (placed.len() as f64).sqrt().ceil() as usize;
    let mut order: Vec<usize> = (0..placed.len()).collect();
    order.sort_by(|&a, &b| placed[a].y.total_cmp(&placed[b].y));
    for (row, chunk) in order.chunks_mut(columns).enumerate() {
        chunk.sort_by(|&a, &b| placed[a].x.total_cmp(&placed[b].x));
        for (column, &i) in chunk.iter().enumerate() {
            placed[i].x = column as f64 * cell_w;
            placed[i].y = row as f64 * cell_h;
        }
    }
}

fn dash(certainty: Certainty) -> &'static str {
    match certainty {
        Certainty::Confirmed => "none",
        Certainty::Reported => "6 4",
        Certainty::Claimed | Certainty::Speculated => "2 3",
    }
}

/// The half sizes of the label boxes.
pub fn label_sizes(labels: &[&str]) -> Vec<(f64, f64)> {
    labels
        .iter()
        .map(|l| (text_width(l) / 2.0 + PAD, FONT / 2.0 + PAD))
        .collect()
}

/// A subgraph laid out: each node's label (in `lang`) and place, and each
/// edge as a pair of node positions in `subgraph.nodes`.
pub struct Drawing<'p> {
    pub labels: Vec<&'p str>,
    pub edges: Vec<(usize, usize)>,
    pub placed: Vec<Placed>,
}

impl<'p> Drawing<'p> {
    /// Lays the subgraph out; fails when `stop` is cancelled meanwhile.
    pub fn new(
        projection: &'p Projection,
        subgraph: &Subgraph,
        lang: &str,
        stop: Option<&CancellationToken>,
    ) -> io::Result<Drawing<'p>> {
        let labels: Vec<&str> = subgraph
            .nodes
            .iter()
            .map(|&e| projection.entities.get(e).label_in(lang))
            .collect();
        let index = |entity: EntityIndex| subgraph.nodes.binary_search(&entity).ok();
        let edges: Vec<(usize, usize)> = subgraph
            .edges
            .iter()
            .filter_map(|e| Some((index(e.from)?, index(e.to)?)))
            .collect();
        let mut placed = layout(&label_sizes(&labels), &edges, stop);
        if stop.is_some_and(CancellationToken::is_cancelled) {
            return Err(io::Error::other("the drawing was stopped"));
        }
        let edge_labels: Vec<&str> = subgraph
            .edges
            .iter()
            .map(|e| projection.predicates[e.predicate].label_in(lang))
            .collect();
        spread_for_edge_labels(&mut placed, &edges, &edge_labels);
        Ok(Drawing {
            labels,
            edges,
            placed,
        })
    }
}

/// Spreads the layout out evenly (never closer, so boxes still do not
/// overlap) until each edge has room between its boxes for its label
/// beside the others between the same two entities: three edges in four
/// get room, and at most fourfold, so a few crowded edges do not blow up a
/// whole picture.
fn spread_for_edge_labels(placed: &mut [Placed], edges: &[(usize, usize)], labels: &[&str]) {
    let mut between: std::collections::HashMap<(usize, usize), (usize, f64)> =
        std::collections::HashMap::new();
    for (&(a, b), label) in edges.iter().zip(labels) {
        let entry = between.entry((a.min(b), a.max(b))).or_insert((0, 0.0));
        entry.0 += 1;
        entry.1 = entry.1.max(route::label_size(label).0);
    }
    let mut factors: Vec<f64> = between
        .iter()
        .filter(|((a, b), _)| a != b)
        .map(|(&(a, b), &(count, widest))| {
            let (pa, pb) = (&placed[a], &placed[b]);
            let distance = ((pa.x - pb.x).powi(2) + (pa.y - pb.y).powi(2))
                .sqrt()
                .max(1.0);
            // The boxes' reach along the line, the widest label, and some
            // more per extra parallel edge.
            let needed = pa.half_w.max(pa.half_h)
                + pb.half_w.max(pb.half_h)
                + widest
                + 12.0 * count as f64
                + 16.0;
            needed / distance
        })
        .collect();
    // Most edges get their room; a few crowded ones leave their label out
    // rather than spread everything.
    factors.sort_by(f64::total_cmp);
    let factor = factors
        .get(factors.len() * 3 / 4)
        .copied()
        .unwrap_or(1.0)
        .min(4.0);
    if factor > 1.0 {
        for p in placed.iter_mut() {
            p.x *= factor;
            p.y *= factor;
        }
    }
}

pub fn write_svg(
    out: &mut dyn Write,
    projection: &Projection,
    subgraph: &Subgraph,
    lang: &str,
    stop: Option<&CancellationToken>,
) -> io::Result<()> {
    let Drawing {
        labels,
        edges,
        placed,
    } = Drawing::new(projection, subgraph, lang, stop)?;
    let margin = 20.0;
    let legend_height = 56.0;
    let (min_x, min_y, max_x, max_y) = placed.iter().fold(
        (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
        |(a, b, c, d), p| {
            (
                a.min(p.x - p.half_w),
                b.min(p.y - p.half_h),
                c.max(p.x + p.half_w),
                d.max(p.y + p.half_h),
            )
        },
    );
    let (min_x, min_y, max_x, max_y) = if placed.is_empty() {
        (0.0, 0.0, 300.0, 50.0)
    } else {
        (min_x, min_y, max_x.max(min_x + 620.0), max_y)
    };
    let (width, height) = (
        max_x - min_x + 2.0 * margin,
        max_y - min_y + 2.0 * margin + legend_height,
    );
    let tx = |x: f64| x - min_x + margin;
    let ty = |y: f64| y - min_y + margin + legend_height;
    writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="Noto Sans, DejaVu Sans, sans-serif" font-size="{FONT}">"#
    )?;
    writeln!(
        out,
        r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#495057"/></marker><marker id="arrow-hl" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#d63384"/></marker></defs>"##
    )?;
    writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#)?;
    write_legend(out, margin)?;
    let edge_labels: Vec<String> = subgraph
        .edges
        .iter()
        .map(|edge| {
            let predicate = projection.predicates[edge.predicate].label_in(lang);
            if edge.denials.is_empty() {
                predicate.to_owned()
            } else {
                format!("{predicate} (denied)")
            }
        })
        .collect();
    let routes = route::routes(
        &placed,
        &edges,
        &edge_labels.iter().map(String::as_str).collect::<Vec<_>>(),
        stop,
    )?;
    let left_out = routes.iter().filter(|r| r.label.is_none()).count();
    if left_out > 0 {
        writeln!(
            out,
            r##"<text class="legend-note" x="{margin:.0}" y="{:.0}" font-size="10" fill="#6c757d">{left_out} edge label(s) left out where they would overlap; hover an edge to read it</text>"##,
            margin + 38.0
        )?;
    }
    writeln!(out, r#"<g class="edges">"#)?;
    for ((edge, route), label) in subgraph.edges.iter().zip(&routes).zip(&edge_labels) {
        let predicate = projection.predicates[edge.predicate].label_in(lang);
        let (colour, marker, width) = if edge.highlighted {
            ("#d63384", "arrow-hl", 2.5)
        } else if !edge.denials.is_empty() {
            (DENIED_COLOUR, "arrow", 1.2)
        } else {
            ("#495057", "arrow", 1.2)
        };
        let articles = edge.articles(projection).join(", ");
        let denials: String = edge
            .denial_texts(projection)
            .iter()
            .map(|d| format!("; {d}"))
            .collect();
        write!(
            out,
            r##"<g class="edge"><title>{}</title><path d="{}" fill="none" stroke="{colour}" stroke-width="{width}" stroke-dasharray="{}" marker-end="url(#{marker})"/>"##,
            xml(&format!(
                "{predicate} ({}; {articles}){}{denials}",
                edge.certainty,
                edge.evidence(projection)
                    .map(|e| format!(": “{}”", super::truncate(e, 200)))
                    .unwrap_or_default()
            )),
            route.path(tx, ty),
            dash(edge.certainty),
        )?;
        if let Some((x, y)) = route.label {
            write!(
                out,
                r##"<text class="edge-label" x="{:.1}" y="{:.1}" font-size="{}" fill="#6c757d" stroke="white" stroke-width="3" paint-order="stroke" text-anchor="middle" dominant-baseline="central">{}</text>"##,
                tx(x),
                ty(y),
                route::LABEL_FONT,
                xml(label),
            )?;
        }
        writeln!(out, "</g>")?;
    }
    writeln!(out, "</g>")?;
    writeln!(out, r#"<g class="nodes">"#)?;
    for (i, &entity) in subgraph.nodes.iter().enumerate() {
        let p = &placed[i];
        let info = projection.entities.get(entity);
        writeln!(
            out,
            r##"<g class="node" id="{}"><title>{}</title><rect class="label-box" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="4" fill="{}" stroke="#495057"/><text x="{:.1}" y="{:.1}" text-anchor="middle" dominant-baseline="central">{}</text></g>"##,
            xml(info.id()),
            xml(&format!(
                "{} ({}, {})",
                info.label,
                info.class_name(),
                info.id()
            )),
            tx(p.x - p.half_w),
            ty(p.y - p.half_h),
            p.half_w * 2.0,
            p.half_h * 2.0,
            NodeKind::of(projection, entity).fill(),
            tx(p.x),
            ty(p.y),
            xml(labels[i]),
        )?;
    }
    writeln!(out, "</g>")?;
    writeln!(out, "</svg>")
}

fn write_legend(out: &mut dyn Write, margin: f64) -> io::Result<()> {
    writeln!(out, r#"<g class="legend" font-size="10">"#)?;
    let mut x = margin;
    for kind in NodeKind::ALL {
        writeln!(
            out,
            r##"<rect x="{x:.0}" y="{:.0}" width="12" height="12" rx="2" fill="{}" stroke="#495057"/><text x="{:.0}" y="{:.0}">{kind}</text>"##,
            margin - 8.0,
            kind.fill(),
            x + 16.0,
            margin + 2.0
        )?;
        x += 16.0 + text_width(&kind.to_string()) * 0.85 + 14.0;
    }
    let y = margin + 20.0;
    let mut x = margin;
    for (name, certainty) in [
        ("confirmed", Certainty::Confirmed),
        ("reported", Certainty::Reported),
        ("claimed, speculated", Certainty::Claimed),
    ] {
        writeln!(
            out,
            r##"<line x1="{x:.0}" y1="{y:.0}" x2="{:.0}" y2="{y:.0}" stroke="#495057" stroke-dasharray="{}"/><text x="{:.0}" y="{:.0}">{name}</text>"##,
            x + 30.0,
            dash(certainty),
            x + 36.0,
            y + 4.0
        )?;
        x += 36.0 + text_width(name) * 0.85 + 18.0;
    }
    writeln!(out, "</g>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_boxes_overlap_even_when_crowded() {
        // 300 boxes of mixed widths, densely connected in a ring and a star.
        let sizes: Vec<(f64, f64)> = (0..300)
            .map(|i| (20.0 + (i * 37 % 90) as f64, 12.0))
            .collect();
        let mut edges: Vec<(usize, usize)> = (0..300).map(|i| (i, (i + 1) % 300)).collect();
        edges.extend((1..300).map(|i| (0, i)));
        let placed = layout(&sizes, &edges, None);
        for i in 0..placed.len() {
            for j in (i + 1)..placed.len() {
                assert!(
                    placed[i].overlap(&placed[j]).is_none(),
                    "{i} and {j} overlap"
                );
            }
        }
        assert_eq!(
            layout(&sizes, &edges, None),
            placed,
            "the layout is deterministic"
        );
    }
}
