//! Where the drawn pictures put their edges and edge labels: edges between
//! the same two entities (either way) become separate curves bent apart,
//! and each edge label goes to the first place along its curve where it
//! overlaps no other label and no entity box. A label with no such place
//! is left out of the picture (the edge's tooltip still has it), so labels
//! never overlap.

use std::collections::HashMap;
use std::io;

use crate::deadline::CancellationToken;

use super::svg::Placed;

/// How far apart parallel curves run at their middle, in pixels.
const SPACING: f64 = 26.0;
/// The edge label font size and the width of a character in it (generous,
/// so the box holds the text in any common sans-serif font).
pub const LABEL_FONT: f64 = 9.0;
const CHAR_WIDTH: f64 = LABEL_FONT * 0.7;
const LABEL_PAD: f64 = 2.0;

/// An edge's curve: a quadratic Bézier from `start` to `end` pulled
/// towards `control`, and where its label's centre goes, if anywhere.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Route {
    pub start: (f64, f64),
    pub control: (f64, f64),
    pub end: (f64, f64),
    pub label: Option<(f64, f64)>,
}

impl Route {
    /// SVG path data.
    pub fn path(&self, tx: impl Fn(f64) -> f64, ty: impl Fn(f64) -> f64) -> String {
        format!(
            "M {:.1} {:.1} Q {:.1} {:.1} {:.1} {:.1}",
            tx(self.start.0),
            ty(self.start.1),
            tx(self.control.0),
            ty(self.control.1),
            tx(self.end.0),
            ty(self.end.1)
        )
    }

    fn at(&self, t: f64) -> (f64, f64) {
        let u = 1.0 - t;
        (
            u * u * self.start.0 + 2.0 * u * t * self.control.0 + t * t * self.end.0,
            u * u * self.start.1 + 2.0 * u * t * self.control.1 + t * t * self.end.1,
        )
    }
}

/// The signed bend of each edge (pixels off the straight line at the
/// middle, to the left of the direction from `a` to `b`): 0 for an edge
/// alone between its two entities, spread evenly around 0 for several.
pub fn bends(edges: &[(usize, usize)]) -> Vec<f64> {
    let mut groups: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (i, &(a, b)) in edges.iter().enumerate() {
        groups.entry((a.min(b), a.max(b))).or_default().push(i);
    }
    let mut bends = vec![0.0; edges.len()];
    for (&(low, _), members) in &groups {
        let k = members.len() as f64;
        for (slot, &i) in members.iter().enumerate() {
            let offset = (slot as f64 - (k - 1.0) / 2.0) * SPACING;
            // Offsets are laid out looking from the lower index; an edge
            // the other way sees left and right swapped.
            bends[i] = if edges[i].0 == low { offset } else { -offset };
        }
    }
    // A loop needs a bend to be seen at all; loops of one entity nest.
    let mut loops: HashMap<usize, f64> = HashMap::new();
    for (i, &(a, b)) in edges.iter().enumerate() {
        if a == b {
            let next = loops.entry(a).or_insert(0.0);
            *next += 1.0;
            bends[i] = *next * SPACING;
        }
    }
    bends
}

/// Routes for `edges` between the placed boxes, labels placed without
/// overlap; `labels` are the edge labels' texts. Fails when `stop` is
/// cancelled meanwhile: placing a label is O(labels placed), so a large
/// drawing takes long here too.
pub fn routes(
    placed: &[Placed],
    edges: &[(usize, usize)],
    labels: &[&str],
    stop: Option<&CancellationToken>,
) -> io::Result<Vec<Route>> {
    let bends = bends(edges);
    let mut taken: Vec<Rect> = placed.iter().map(Rect::of_box).collect();
    edges
        .iter()
        .zip(&bends)
        .zip(labels)
        .map(|((&(a, b), &bend), text)| {
            if stop.is_some_and(CancellationToken::is_cancelled) {
                return Err(io::Error::other("the drawing was stopped"));
            }
            let mut route = curve(&placed[a], &placed[b], bend);
            let (w, h) = label_size(text);
            let shape = route;
            route.label = label_places(&shape, bend)
                .map(|(x, y)| Rect {
                    x: x - w / 2.0,
                    y: y - h / 2.0,
                    w,
                    h,
                })
                .find(|r| !taken.iter().any(|t| t.overlaps(r)))
                .map(|r| {
                    taken.push(r);
                    (r.x + r.w / 2.0, r.y + r.h / 2.0)
                });
            Ok(route)
        })
        .collect()
}

/// The size of an edge label's box.
pub fn label_size(text: &str) -> (f64, f64) {
    use unicode_width::UnicodeWidthStr;
    (
        text.width() as f64 * CHAR_WIDTH + 2.0 * LABEL_PAD,
        LABEL_FONT * 1.3 + 2.0 * LABEL_PAD,
    )
}

fn curve(a: &Placed, b: &Placed, bend: f64) -> Route {
    if std::ptr::eq(a, b) || (a.x == b.x && a.y == b.y) {
        // A loop: out of the top of the box and back in.
        let top = a.y - a.half_h;
        return Route {
            start: (a.x - a.half_w / 3.0, top),
            control: (a.x, top - 2.0 * bend.abs()),
            end: (a.x + a.half_w / 3.0, top),
            label: None,
        };
    }
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let length = (dx * dx + dy * dy).sqrt();
    let normal = (-dy / length, dx / length);
    // The curve's middle lies `bend` off the line: the control point twice.
    let middle = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
    let control = (
        middle.0 + normal.0 * 2.0 * bend,
        middle.1 + normal.1 * 2.0 * bend,
    );
    Route {
        start: border(a, control),
        control,
        end: border(b, control),
        label: None,
    }
}

/// Where the segment from the box's centre towards `towards` leaves it.
fn border(p: &Placed, towards: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = (towards.0 - p.x, towards.1 - p.y);
    if dx == 0.0 && dy == 0.0 {
        return (p.x, p.y);
    }
    let scale = (p.half_w / dx.abs().max(1e-9)).min(p.half_h / dy.abs().max(1e-9));
    (p.x + dx * scale.min(1.0), p.y + dy * scale.min(1.0))
}

/// Candidate label centres: along the curve from its middle outwards,
/// then the same a little to either side.
fn label_places(route: &Route, bend: f64) -> impl Iterator<Item = (f64, f64)> + '_ {
    const ALONG: [f64; 9] = [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82];
    let side = if bend < 0.0 { -1.0 } else { 1.0 };
    [0.0, 9.0 * side, -9.0 * side, 18.0 * side, -18.0 * side]
        .into_iter()
        .flat_map(move |shift| {
            ALONG.iter().map(move |&t| {
                let (x, y) = route.at(t);
                (x, y + shift)
            })
        })
}

#[derive(Clone, Copy, Debug)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn of_box(p: &Placed) -> Rect {
        Rect {
            x: p.x - p.half_w,
            y: p.y - p.half_h,
            w: p.half_w * 2.0,
            h: p.half_h * 2.0,
        }
    }

    fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(x: f64, y: f64) -> Placed {
        Placed {
            x,
            y,
            half_w: 30.0,
            half_h: 10.0,
        }
    }

    #[test]
    fn parallel_edges_bend_apart_either_way() {
        // Three edges a->b, one b->a, one alone.
        let edges = [(0, 1), (0, 1), (1, 0), (1, 2)];
        let bends = bends(&edges);
        assert_eq!(bends[3], 0.0, "an edge alone is straight");
        // Seen from a, the three run at -1, 0, +1 spacings, whatever their
        // direction: b->a's bend is negated because its left is a->b's right.
        let seen_from_a = [bends[0], bends[1], -bends[2]];
        assert_eq!(seen_from_a, [-SPACING, 0.0, SPACING]);
        let placed = [node(0.0, 0.0), node(200.0, 0.0), node(400.0, 0.0)];
        let routes = routes(&placed, &edges, &["met", "met", "met", "x"], None).unwrap();
        let middles: Vec<f64> = routes[..3].iter().map(|r| r.at(0.5).1).collect();
        assert!(
            (middles[0] - middles[1]).abs() > 20.0 && (middles[1] - middles[2]).abs() > 20.0,
            "{middles:?}"
        );
    }

    #[test]
    fn labels_never_overlap_and_the_crowded_ones_are_left_out() {
        // Twenty edges from one hub to twenty boxes in a tight fan.
        let mut placed = vec![node(0.0, 0.0)];
        placed.extend((0..20).map(|i| node(140.0, i as f64 * 22.0 - 220.0)));
        let edges: Vec<(usize, usize)> = (1..=20).map(|i| (0, i)).collect();
        let texts = vec!["met with"; 20];
        let routes = routes(&placed, &edges, &texts, None).unwrap();
        let boxes: Vec<Rect> = routes
            .iter()
            .filter_map(|r| r.label)
            .map(|(x, y)| {
                let (w, h) = label_size(texts[0]);
                Rect {
                    x: x - w / 2.0,
                    y: y - h / 2.0,
                    w,
                    h,
                }
            })
            .collect();
        assert!(!boxes.is_empty() && boxes.len() < 20, "{}", boxes.len());
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
            for p in &placed {
                assert!(!a.overlaps(&Rect::of_box(p)), "{a:?} covers an entity");
            }
        }
    }
}
