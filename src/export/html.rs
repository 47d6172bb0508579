//! One self-contained HTML file: the subgraph (laid out like the SVG) as
//! JSON, and a small canvas viewer written here, so it opens offline with
//! nothing fetched: zoom (wheel), pan (drag the background), drag nodes,
//! click a node for its facts with evidence and article, filter by
//! certainty and year, search by name in any script (case, Arabic
//! diacritics and letter variants ignored; the first match is centred and
//! marked). A legend strip above the canvas explains shapes, colours and
//! dashes; the `--focus` entity is marked. Labels have a level of detail:
//! at the first fit only the best-connected ones that do not overlap show,
//! more as one zooms in; edge labels only when zoomed in. On load the page
//! checks itself and writes the result into `#self-test` (what the
//! Chromium test reads).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::json;

use super::route::bends;
use super::svg::Drawing;
use super::{NodeKind, StreamedArray, Subgraph};
use crate::deadline::CancellationToken;
use crate::graph::Projection;

const VIEWER: &str = include_str!("viewer.js");

pub fn write_html(
    out: &mut dyn Write,
    projection: &Projection,
    subgraph: &Subgraph,
    lang: &str,
    stop: Option<&CancellationToken>,
) -> io::Result<()> {
    let Drawing {
        labels,
        edges: pairs,
        placed,
    } = Drawing::new(projection, subgraph, lang, stop)?;
    let mut degree = vec![0usize; subgraph.nodes.len()];
    for &(a, b) in &pairs {
        degree[a] += 1;
        degree[b] += 1;
    }
    let nodes: Vec<serde_json::Value> = subgraph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, &entity)| {
            let info = projection.entities.get(entity);
            let names: Vec<&str> = info
                .labels
                .iter()
                .map(|(_, text, _)| text.as_str())
                .chain(info.ids.iter().map(String::as_str))
                .collect();
            json!({
                "id": info.id(), "label": labels[i], "type": info.class_name(),
                "kind": NodeKind::of(projection, entity).to_string(),
                "fill": NodeKind::of(projection, entity).fill(),
                "names": names,
                "degree": degree[i],
                "focus": subgraph.focus == Some(entity),
                "x": placed[i].x, "y": placed[i].y,
                "w": placed[i].half_w * 2.0, "h": placed[i].half_h * 2.0,
            })
        })
        .collect();
    let bent = bends(&pairs);
    let edges = || {
        subgraph.edges.iter().zip(&pairs).zip(&bent).map(|((edge, &(a, b)), bend)| {
            let years = edge.statements.iter().filter_map(|&s| {
                let st = &projection.statements[s];
                Some((st.earliest?.year, st.latest?.year))
            });
            let (from_year, to_year) = years.fold((None, None), |(lo, hi), (a, b)| {
                (
                    Some(lo.map_or(a, |l: i32| l.min(a))),
                    Some(hi.map_or(b, |h: i32| h.max(b))),
                )
            });
            let facts: Vec<serde_json::Value> = edge
                .statements
                .iter()
                .chain(&edge.denials)
                .map(|&s| {
                    let st = &projection.statements[s];
                    json!({
                        "article": projection.articles[st.article].id,
                        "certainty": st.certainty.as_str(),
                        "negated": st.negated,
                        "source": st.source.map(|e| projection.entities.get(e).label.clone()),
                        "via": st.via.iter().map(|&e| projection.entities.get(e).label.clone()).collect::<Vec<_>>(),
                        "time": st.time,
                        "evidence": st.evidence,
                    })
                })
                .collect();
            json!({
                "from": a, "to": b, "bend": bend,
                "label": projection.predicates[edge.predicate].label_in(lang),
                "certainty": edge.certainty.as_str(),
                "fromYear": from_year, "toYear": to_year,
                "highlighted": edge.highlighted,
                "denied": !edge.denials.is_empty(),
                "facts": facts,
            })
        })
    };
    #[derive(Serialize)]
    struct Data<N, E, M> {
        nodes: N,
        edges: E,
        marks: M,
    }
    let data = Data {
        nodes,
        edges: StreamedArray(edges),
        marks: json!({"focus": FOCUS_COLOUR, "found": FOUND_COLOUR, "selected": SELECTED_COLOUR}),
    };
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(
        out,
        r#"<html lang="{}"><head><meta charset="utf-8">"#,
        super::graphml::xml(lang)
    )?;
    writeln!(out, "<title>storygraph</title>")?;
    writeln!(out, "<style>{}</style></head><body>", STYLE)?;
    writeln!(
        out,
        r#"<div id="view"><div id="legend">{}</div><canvas id="canvas"></canvas></div>"#,
        legend(subgraph)
    )?;
    writeln!(out, "{}", SIDE)?;
    write!(out, r#"<script id="graph-data" type="application/json">"#)?;
    serde_json::to_writer(ScriptText(&mut *out), &data).map_err(io::Error::other)?;
    writeln!(out, "</script>")?;
    writeln!(out, "<script>{VIEWER}</script>")?;
    writeln!(out, "</body></html>")
}

/// The legend strip: every node kind with its fill, every line style, and
/// the marks (the focus, a search match, the selected node).
fn legend(subgraph: &Subgraph) -> String {
    let mut items: Vec<String> = NodeKind::ALL
        .iter()
        .map(|kind| {
            format!(
                r#"<span class="item kind"><i class="swatch" style="background:{}"></i>{kind}</span>"#,
                kind.fill()
            )
        })
        .collect();
    let line = |name: &str, colour: &str, dash: &str| {
        format!(
            r#"<span class="item line"><svg width="28" height="8"><line x1="0" y1="4" x2="28" y2="4" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/></svg>{name}</span>"#
        )
    };
    items.push(line("confirmed", "#495057", "none"));
    items.push(line("reported", "#495057", "6 4"));
    items.push(line("claimed, speculated", "#495057", "2 3"));
    items.push(line("denied by someone", "#dc3545", "none"));
    if subgraph.edges.iter().any(|e| e.highlighted) {
        items.push(line("on the path", "#d63384", "none"));
    }
    let mark = |name: &str, colour: &str| {
        format!(
            r#"<span class="item mark"><i class="swatch" style="border:3px solid {colour}"></i>{name}</span>"#
        )
    };
    if subgraph.focus.is_some() {
        items.push(mark("focus", FOCUS_COLOUR));
    }
    items.push(mark("search match", FOUND_COLOUR));
    items.push(mark("selected", SELECTED_COLOUR));
    items.concat()
}

// The marks' colours, shared by the legend and the viewer (through the data).
const FOCUS_COLOUR: &str = "#6f42c1";
const FOUND_COLOUR: &str = "#fd7e14";
const SELECTED_COLOUR: &str = "#d63384";

const STYLE: &str = "body{margin:0;font-family:'Noto Sans','DejaVu Sans',sans-serif;display:flex;height:100vh}\
#view{flex:1;min-width:0;display:flex;flex-direction:column}canvas{flex:1;min-height:0;width:100%;display:block;cursor:grab}\
#legend{font-size:11px;padding:3px 6px;border-bottom:1px solid #eee;color:#343a40}\
#legend .item{display:inline-flex;align-items:center;margin-right:10px;white-space:nowrap}\
#legend .swatch{display:inline-block;width:11px;height:11px;margin-right:4px;border:1px solid #495057;box-sizing:border-box}\
#legend svg{margin-right:4px}\
#side{flex:none;width:340px;overflow:auto;border-left:1px solid #ccc;padding:8px;font-size:13px;box-sizing:border-box}\
#side h2{font-size:15px;margin:4px 0}.fact{border-bottom:1px solid #eee;padding:4px 0}\
.evidence{color:#333;font-style:italic;unicode-bidi:plaintext}.denied{color:#dc3545}#controls{padding:6px;border-bottom:1px solid #eee}\
#controls label{margin-right:6px}#self-test{display:none}";

const SIDE: &str = r#"<div id="side"><div id="controls">
<input id="search" type="search" placeholder="find a name / ابحث" dir="auto"><br>
<label><input type="checkbox" class="certainty" value="confirmed" checked>confirmed</label>
<label><input type="checkbox" class="certainty" value="reported" checked>reported</label>
<label><input type="checkbox" class="certainty" value="claimed" checked>claimed</label>
<label><input type="checkbox" class="certainty" value="speculated" checked>speculated</label><br>
years <input id="year-from" type="number" style="width:5em"> – <input id="year-to" type="number" style="width:5em">
</div><div id="facts"><p>Click a node to see its facts and their evidence.</p></div>
<pre id="self-test"></pre></div>"#;

/// JSON written into a script element: no `<`, `>` or `&` in its text
/// (`</script>` would end it and `<!--<script>` would keep it from ever
/// ending); JSON reads `\u003c` as `<`, and outside its strings JSON has
/// none of the three.
struct ScriptText<W>(W);

impl<W: Write> Write for ScriptText<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut rest = bytes;
        while let Some(at) = rest.iter().position(|b| matches!(b, b'<' | b'>' | b'&')) {
            self.0.write_all(&rest[..at])?;
            self.0.write_all(match rest[at] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            })?;
            rest = &rest[at + 1..];
        }
        self.0.write_all(rest)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_has_no_markup_and_reads_back_as_the_same_json() {
        let value = json!({"label": "</script><!--<script> & “قال”", "n": 1});
        let mut out = Vec::new();
        // Written in pieces, as the serializer writes.
        serde_json::to_writer(ScriptText(&mut out), &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains(['<', '>', '&']), "{text}");
        assert!(text.contains(r"\u003c/script\u003e"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
