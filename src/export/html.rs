//! One self-contained HTML file: the subgraph (laid out like the SVG) as
//! JSON, and a small canvas viewer written here, so it opens offline with
//! nothing fetched: zoom (wheel), pan (drag the background), drag nodes,
//! click a node for its facts with evidence and article, filter by
//! certainty and year, search by name in any script (case, Arabic
//! diacritics and letter variants ignored). On load the page checks itself
//! and writes the result into `#self-test` (what the Chromium test reads).

use std::io::{self, Write};

use serde_json::json;

use super::svg::Drawing;
use super::{NodeKind, Subgraph};
use crate::graph::Projection;

const VIEWER: &str = include_str!("viewer.js");

pub fn write_html(
    out: &mut dyn Write,
    projection: &Projection,
    subgraph: &Subgraph,
    lang: &str,
) -> io::Result<()> {
    let Drawing {
        labels,
        edges: pairs,
        placed,
    } = Drawing::new(projection, subgraph, lang);
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
                "x": placed[i].x, "y": placed[i].y,
                "w": placed[i].half_w * 2.0, "h": placed[i].half_h * 2.0,
            })
        })
        .collect();
    let edges: Vec<serde_json::Value> = subgraph
        .edges
        .iter()
        .zip(&pairs)
        .map(|(edge, &(a, b))| {
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
                "from": a, "to": b,
                "label": projection.predicates[edge.predicate].label_in(lang),
                "certainty": edge.certainty.as_str(),
                "fromYear": from_year, "toYear": to_year,
                "highlighted": edge.highlighted,
                "denied": !edge.denials.is_empty(),
                "facts": facts,
            })
        })
        .collect();
    let data = json!({"nodes": nodes, "edges": edges});
    // `</` inside the JSON would end the script element.
    let data = data.to_string().replace("</", "<\\/");
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(
        out,
        r#"<html lang="{}"><head><meta charset="utf-8">"#,
        super::graphml::xml(lang)
    )?;
    writeln!(out, "<title>storygraph</title>")?;
    writeln!(out, "<style>{}</style></head><body>", STYLE)?;
    writeln!(out, "{}", BODY)?;
    writeln!(
        out,
        r#"<script id="graph-data" type="application/json">{data}</script>"#
    )?;
    writeln!(out, "<script>{VIEWER}</script>")?;
    writeln!(out, "</body></html>")
}

const STYLE: &str = "body{margin:0;font-family:'Noto Sans','DejaVu Sans',sans-serif;display:flex;height:100vh}\
#view{flex:1;position:relative}canvas{width:100%;height:100%;display:block;cursor:grab}\
#side{width:340px;overflow:auto;border-left:1px solid #ccc;padding:8px;font-size:13px}\
#side h2{font-size:15px;margin:4px 0}.fact{border-bottom:1px solid #eee;padding:4px 0}\
.evidence{color:#333;font-style:italic;unicode-bidi:plaintext}.denied{color:#dc3545}#controls{padding:6px;border-bottom:1px solid #eee}\
#controls label{margin-right:6px}#self-test{display:none}";

const BODY: &str = r#"<div id="view"><canvas id="canvas"></canvas></div>
<div id="side"><div id="controls">
<input id="search" type="search" placeholder="find a name / ابحث" dir="auto"><br>
<label><input type="checkbox" class="certainty" value="confirmed" checked>confirmed</label>
<label><input type="checkbox" class="certainty" value="reported" checked>reported</label>
<label><input type="checkbox" class="certainty" value="claimed" checked>claimed</label>
<label><input type="checkbox" class="certainty" value="speculated" checked>speculated</label><br>
years <input id="year-from" type="number" style="width:5em"> – <input id="year-to" type="number" style="width:5em">
</div><div id="facts"><p>Click a node to see its facts and their evidence.</p></div>
<pre id="self-test"></pre></div>"#;
