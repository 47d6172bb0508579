// storygraph's offline viewer: a canvas, the graph from #graph-data, no
// network. Kept small on purpose; see src/export/html.rs.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const canvas = document.getElementById("canvas");
  const ctx = canvas.getContext("2d");
  const dashes = { confirmed: [], reported: [6, 4], claimed: [2, 3], speculated: [2, 3] };
  // The zoom from which edge labels are drawn.
  const EDGE_LABELS_FROM = 0.9;
  let scale = 1, offsetX = 0, offsetY = 0, selected = null, found = new Set();
  const state = { certainties: new Set(["confirmed", "reported", "claimed", "speculated"]),
    fromYear: null, toYear: null };

  // Matching ignores case, Arabic diacritics and tatweel, and letter variants.
  function key(text) {
    return String(text).normalize("NFKC").toLowerCase()
      .replace(/[\u064B-\u065F\u0670\u0640]/g, "")
      .replace(/[أإآٱ]/g, "ا").replace(/ة/g, "ه").replace(/ى/g, "ي");
  }

  function visible(edge) {
    if (!state.certainties.has(edge.certainty)) return false;
    if (state.fromYear !== null && edge.toYear !== null && edge.toYear < state.fromYear) return false;
    if (state.toYear !== null && edge.fromYear !== null && edge.fromYear > state.toYear) return false;
    return true;
  }

  function fit() {
    const rect = canvas.getBoundingClientRect();
    canvas.width = rect.width * devicePixelRatio;
    canvas.height = rect.height * devicePixelRatio;
    if (!data.nodes.length) return;
    const xs = data.nodes.map(n => n.x), ys = data.nodes.map(n => n.y);
    const w = Math.max(...xs) - Math.min(...xs) + 200, h = Math.max(...ys) - Math.min(...ys) + 100;
    scale = Math.min(rect.width / w, rect.height / h, 2);
    offsetX = rect.width / 2 - scale * (Math.max(...xs) + Math.min(...xs)) / 2;
    offsetY = rect.height / 2 - scale * (Math.max(...ys) + Math.min(...ys)) / 2;
  }

  // Where the segment from a box's centre towards (x, y) leaves the box.
  function border(n, x, y) {
    const dx = x - n.x, dy = y - n.y;
    if (dx === 0 && dy === 0) return [n.x, n.y];
    const t = Math.min(1, Math.min(n.w / 2 / Math.max(Math.abs(dx), 1e-9), n.h / 2 / Math.max(Math.abs(dy), 1e-9)));
    return [n.x + dx * t, n.y + dy * t];
  }

  // An edge's curve (as the SVG draws it): parallel edges bent apart,
  // a loop out of the top of its box.
  function curve(e) {
    const a = data.nodes[e.from], b = data.nodes[e.to];
    if (e.from === e.to) {
      const top = a.y - a.h / 2;
      return { start: [a.x - a.w / 6, top], control: [a.x, top - 2 * Math.abs(e.bend)], end: [a.x + a.w / 6, top] };
    }
    const dx = b.x - a.x, dy = b.y - a.y, length = Math.hypot(dx, dy) || 1;
    const control = [(a.x + b.x) / 2 - dy / length * 2 * e.bend, (a.y + b.y) / 2 + dx / length * 2 * e.bend];
    return { start: border(a, control[0], control[1]), control, end: border(b, control[0], control[1]) };
  }

  function toScreen(x, y) { return [offsetX + scale * x, offsetY + scale * y]; }

  function overlaps(r, taken) {
    return taken.some(t => r.x < t.x + t.w && t.x < r.x + r.w && r.y < t.y + t.h && t.y < r.y + r.h);
  }

  // What the last draw showed, for the self-test.
  let shown = { labelled: new Set(), onScreen: 0, edgeLabels: 0 };

  function draw() {
    const width = canvas.width / devicePixelRatio, height = canvas.height / devicePixelRatio;
    ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.translate(offsetX, offsetY);
    ctx.scale(scale, scale);
    const curves = new Map();
    for (const e of data.edges) {
      if (!visible(e)) continue;
      const c = curve(e);
      curves.set(e, c);
      ctx.strokeStyle = e.highlighted ? data.marks.selected : e.denied ? "#dc3545" : "#495057";
      ctx.lineWidth = (e.highlighted ? 2.5 : 1.2) / Math.max(scale, 0.5);
      ctx.setLineDash(dashes[e.certainty] || []);
      ctx.beginPath(); ctx.moveTo(c.start[0], c.start[1]);
      ctx.quadraticCurveTo(c.control[0], c.control[1], c.end[0], c.end[1]);
      ctx.stroke();
      ctx.setLineDash([]);
      const angle = Math.atan2(c.end[1] - c.control[1], c.end[0] - c.control[0]);
      const [tipX, tipY] = c.end, tip = 9 / Math.max(scale, 0.5);
      ctx.fillStyle = ctx.strokeStyle;
      ctx.beginPath(); ctx.moveTo(tipX, tipY);
      ctx.lineTo(tipX - tip * Math.cos(angle - 0.4), tipY - tip * Math.sin(angle - 0.4));
      ctx.lineTo(tipX - tip * Math.cos(angle + 0.4), tipY - tip * Math.sin(angle + 0.4));
      ctx.fill();
    }
    let onScreen = 0;
    data.nodes.forEach((n, i) => {
      const [sx, sy] = toScreen(n.x, n.y);
      if (sx >= 0 && sx <= width && sy >= 0 && sy <= height) onScreen++;
      const mark = markOf(i);
      ctx.fillStyle = n.fill;
      ctx.strokeStyle = mark || "#495057";
      ctx.lineWidth = (mark ? 3 : 1) / Math.min(scale, 1);
      ctx.fillRect(n.x - n.w / 2, n.y - n.h / 2, n.w, n.h);
      ctx.strokeRect(n.x - n.w / 2, n.y - n.h / 2, n.w, n.h);
    });

    // Labels in screen space: the marked ones first, then by how
    // connected a node is; a label that would overlap one already drawn
    // waits until one zooms in far enough to make room.
    ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
    const fontSize = 12 * Math.max(1, Math.min(scale, 1.6));
    ctx.font = fontSize + "px 'Noto Sans', 'DejaVu Sans', sans-serif";
    ctx.textAlign = "center"; ctx.textBaseline = "middle";
    const marked = i => markOf(i) !== null;
    const order = data.nodes.map((_, i) => i).sort((a, b) =>
      (marked(b) - marked(a)) || (data.nodes[b].degree - data.nodes[a].degree) || (a - b));
    const taken = [], labelled = new Set();
    for (const i of order) {
      const n = data.nodes[i];
      const [sx, sy] = toScreen(n.x, n.y);
      const w = ctx.measureText(n.label).width + 6, h = fontSize + 4;
      const r = { x: sx - w / 2, y: sy - h / 2, w, h };
      if (!(sx >= 0 && sx <= width && sy >= 0 && sy <= height)) continue;
      if (!marked(i) && overlaps(r, taken)) continue;
      taken.push(r);
      labelled.add(i);
      // A label wider than its box (zoomed out) becomes the box: the
      // node's fill and border around the text keep its kind and mark.
      if (w > n.w * scale) {
        const mark = markOf(i);
        ctx.fillStyle = n.fill;
        ctx.fillRect(r.x, r.y, r.w, r.h);
        ctx.strokeStyle = mark || "#495057";
        ctx.lineWidth = mark ? 3 : 1;
        ctx.strokeRect(r.x, r.y, r.w, r.h);
      }
      ctx.fillStyle = "#000";
      ctx.fillText(n.label, sx, sy);
    }
    // Edge labels only when zoomed in, and only where they fit.
    let edgeLabels = 0;
    if (scale >= EDGE_LABELS_FROM) {
      ctx.font = "10px sans-serif";
      for (const [e, c] of curves) {
        const x = 0.25 * c.start[0] + 0.5 * c.control[0] + 0.25 * c.end[0];
        const y = 0.25 * c.start[1] + 0.5 * c.control[1] + 0.25 * c.end[1];
        const [sx, sy] = toScreen(x, y);
        const w = ctx.measureText(e.label).width + 4, h = 13;
        const r = { x: sx - w / 2, y: sy - h / 2, w, h };
        if (r.x > width || r.x + w < 0 || r.y > height || r.y + h < 0 || overlaps(r, taken)) continue;
        taken.push(r);
        edgeLabels++;
        ctx.fillStyle = "rgba(255,255,255,0.8)";
        ctx.fillRect(r.x, r.y, r.w, r.h);
        ctx.fillStyle = e.denied ? "#dc3545" : "#6c757d";
        ctx.fillText(e.label, sx, sy);
      }
    }
    shown = { labelled, onScreen, edgeLabels };
  }

  // The colour node i is outlined in: selected, a search match, the focus.
  function markOf(i) {
    return i === selected ? data.marks.selected : found.has(i) ? data.marks.found
      : data.nodes[i].focus ? data.marks.focus : null;
  }

  // Centres the view on node i at the current zoom.
  function centre(i) {
    const rect = canvas.getBoundingClientRect();
    offsetX = rect.width / 2 - scale * data.nodes[i].x;
    offsetY = rect.height / 2 - scale * data.nodes[i].y;
  }

  // Zooms by `factor` about the screen point (x, y).
  function zoom(factor, x, y) {
    offsetX = x - (x - offsetX) * factor;
    offsetY = y - (y - offsetY) * factor;
    scale *= factor;
  }

  function text(tag, content, cls) {
    const el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    el.dir = "auto";
    return el;
  }

  // Shows the facts of node i (the same function a click calls).
  function select(i) {
    selected = i;
    const panel = document.getElementById("facts");
    panel.replaceChildren();
    const node = data.nodes[i];
    panel.appendChild(text("h2", node.label + " (" + node.type + ")"));
    for (const e of data.edges) {
      if ((e.from !== i && e.to !== i) || !visible(e)) continue;
      const a = data.nodes[e.from].label, b = data.nodes[e.to].label;
      for (const f of e.facts) {
        const div = document.createElement("div");
        div.className = f.negated ? "fact denied" : "fact";
        div.appendChild(text("div", a + " —" + e.label + "→ " + b));
        const via = f.via && f.via.length ? " via " + f.via.join(", ") : "";
        div.appendChild(text("div", (f.negated ? "DENIED by " + (f.source || "an unnamed source")
          : f.certainty + (f.source ? " by " + f.source : "")) + via +
          "; " + f.article + (f.time ? "; " + f.time : "")));
        if (f.evidence) div.appendChild(text("div", "“" + f.evidence + "”", "evidence"));
        panel.appendChild(div);
      }
    }
    draw();
  }

  function nodeAt(x, y) {
    const px = (x - offsetX) / scale, py = (y - offsetY) / scale;
    for (let i = data.nodes.length - 1; i >= 0; i--) {
      const n = data.nodes[i];
      if (Math.abs(px - n.x) <= n.w / 2 && Math.abs(py - n.y) <= n.h / 2) return i;
    }
    return null;
  }

  let drag = null;
  canvas.addEventListener("mousedown", ev => {
    const i = nodeAt(ev.offsetX, ev.offsetY);
    drag = { node: i, x: ev.offsetX, y: ev.offsetY, moved: false };
  });
  canvas.addEventListener("mousemove", ev => {
    if (!drag) return;
    const dx = ev.offsetX - drag.x, dy = ev.offsetY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
    if (drag.node === null) { offsetX += dx; offsetY += dy; }
    else { data.nodes[drag.node].x += dx / scale; data.nodes[drag.node].y += dy / scale; }
    drag.x = ev.offsetX; drag.y = ev.offsetY;
    draw();
  });
  canvas.addEventListener("mouseup", () => {
    if (drag && !drag.moved && drag.node !== null) select(drag.node);
    drag = null;
  });
  canvas.addEventListener("wheel", ev => {
    ev.preventDefault();
    zoom(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.offsetX, ev.offsetY);
    draw();
  }, { passive: false });
  // Search marks every match and centres the first (the best connected
  // among them); Enter also opens its facts.
  let firstFound = null;
  const searchBox = document.getElementById("search");
  searchBox.addEventListener("input", ev => {
    const wanted = key(ev.target.value.trim());
    found = new Set();
    firstFound = null;
    if (wanted) data.nodes.forEach((n, i) => {
      if (n.names.concat([n.label]).some(name => key(name).includes(wanted))) {
        found.add(i);
        if (firstFound === null || n.degree > data.nodes[firstFound].degree) firstFound = i;
      }
    });
    if (firstFound !== null) centre(firstFound);
    draw();
  });
  searchBox.addEventListener("keydown", ev => {
    if (ev.key === "Enter" && firstFound !== null) select(firstFound);
  });
  document.querySelectorAll(".certainty").forEach(box => box.addEventListener("change", () => {
    state.certainties = new Set([...document.querySelectorAll(".certainty")]
      .filter(b => b.checked).map(b => b.value));
    if (selected !== null) select(selected); else draw();
  }));
  for (const [id, field] of [["year-from", "fromYear"], ["year-to", "toYear"]]) {
    document.getElementById(id).addEventListener("input", ev => {
      state[field] = ev.target.value === "" ? null : Number(ev.target.value);
      if (selected !== null) select(selected); else draw();
    });
  }
  window.addEventListener("resize", () => { fit(); draw(); });
  fit();
  draw();

  // The page's own check: counts; a click on the first node with
  // evidence shows that evidence; search centres and marks its match;
  // labels grow with the zoom; the legend and the layout are in place.
  const report = { nodes: data.nodes.length, edges: data.edges.length, clicked: null,
    evidenceShown: false, searchFinds: 0, searchCentred: false, searchMarked: false,
    labelsAtFit: shown.labelled.size, onScreenAtFit: shown.onScreen,
    edgeLabelsAtFit: shown.edgeLabels, bestConnectedLabelled: false,
    labelsZoomed: 0, onScreenZoomed: 0, edgeLabelsZoomed: 0,
    focus: null, focusMarked: false, legend: [], panelClear: false };
  const best = data.nodes.reduce((b, n, i) => b === null || n.degree > data.nodes[b].degree ? i : b, null);
  report.bestConnectedLabelled = best !== null && shown.labelled.has(best);
  const focusIndex = data.nodes.findIndex(n => n.focus);
  if (focusIndex >= 0) {
    report.focus = data.nodes[focusIndex].id;
    report.focusMarked = shown.labelled.has(focusIndex);
  }
  report.legend = [...document.querySelectorAll("#legend .item")].map(item => item.textContent);
  const view = canvas.getBoundingClientRect(), side = document.getElementById("side").getBoundingClientRect(),
    legendBox = document.getElementById("legend").getBoundingClientRect();
  report.panelClear = view.right <= side.left + 0.5 && legendBox.bottom <= view.top + 0.5;
  zoom(2.5, view.width / 2, view.height / 2);
  draw();
  report.labelsZoomed = shown.labelled.size;
  report.onScreenZoomed = shown.onScreen;
  report.edgeLabelsZoomed = shown.edgeLabels;
  fit();
  draw();
  const withEvidence = data.edges.find(e => e.facts.some(f => f.evidence));
  if (withEvidence) {
    const evidence = withEvidence.facts.find(f => f.evidence).evidence;
    select(withEvidence.from);
    report.clicked = data.nodes[withEvidence.from].id;
    report.evidenceShown = document.getElementById("facts").textContent.includes(evidence);
    selected = null;
    // Search by the full label of a node away from the centre.
    const target = data.nodes.reduce((far, n, i) => {
      const d = Math.hypot(toScreen(n.x, n.y)[0] - view.width / 2, toScreen(n.x, n.y)[1] - view.height / 2);
      return far === null || d > far.d ? { i, d } : far;
    }, null).i;
    searchBox.value = data.nodes[target].label;
    searchBox.dispatchEvent(new Event("input"));
    report.searchFinds = found.size;
    const [sx, sy] = toScreen(data.nodes[firstFound].x, data.nodes[firstFound].y);
    report.searchCentred = found.has(target) && Math.abs(sx - view.width / 2) < 1 && Math.abs(sy - view.height / 2) < 1;
    report.searchMarked = shown.labelled.has(firstFound);
    // Back to the first view.
    searchBox.value = "";
    found = new Set();
    firstFound = null;
    document.getElementById("facts").replaceChildren(
      text("p", "Click a node to see its facts and their evidence."));
    fit();
    draw();
  }
  document.getElementById("self-test").textContent = JSON.stringify(report);
})();
