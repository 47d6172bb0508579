// storygraph's offline viewer: a canvas, the graph from #graph-data, no
// network. Kept small on purpose; see src/export/html.rs.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const canvas = document.getElementById("canvas");
  const ctx = canvas.getContext("2d");
  const dashes = { confirmed: [], reported: [6, 4], claimed: [2, 3], speculated: [2, 3] };
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

  function draw() {
    ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.translate(offsetX, offsetY);
    ctx.scale(scale, scale);
    for (const e of data.edges) {
      if (!visible(e)) continue;
      const a = data.nodes[e.from], b = data.nodes[e.to];
      ctx.strokeStyle = e.highlighted ? "#d63384" : e.denied ? "#dc3545" : "#495057";
      ctx.lineWidth = e.highlighted ? 2.5 : 1.2;
      ctx.setLineDash(dashes[e.certainty] || []);
      ctx.beginPath(); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); ctx.stroke();
      ctx.setLineDash([]);
      const angle = Math.atan2(b.y - a.y, b.x - a.x);
      const tipX = b.x - Math.cos(angle) * (b.w / 2), tipY = b.y - Math.sin(angle) * (b.h / 2);
      ctx.fillStyle = ctx.strokeStyle;
      ctx.beginPath(); ctx.moveTo(tipX, tipY);
      ctx.lineTo(tipX - 9 * Math.cos(angle - 0.4), tipY - 9 * Math.sin(angle - 0.4));
      ctx.lineTo(tipX - 9 * Math.cos(angle + 0.4), tipY - 9 * Math.sin(angle + 0.4));
      ctx.fill();
      ctx.fillStyle = "#6c757d"; ctx.font = "9px sans-serif"; ctx.textAlign = "center";
      ctx.fillText(e.label, (a.x + b.x) / 2, (a.y + b.y) / 2 - 3);
    }
    ctx.font = "12px 'Noto Sans', 'DejaVu Sans', sans-serif";
    ctx.textAlign = "center"; ctx.textBaseline = "middle";
    data.nodes.forEach((n, i) => {
      ctx.fillStyle = n.fill;
      ctx.strokeStyle = i === selected ? "#d63384" : found.has(i) ? "#fd7e14" : "#495057";
      ctx.lineWidth = i === selected || found.has(i) ? 3 : 1;
      ctx.fillRect(n.x - n.w / 2, n.y - n.h / 2, n.w, n.h);
      ctx.strokeRect(n.x - n.w / 2, n.y - n.h / 2, n.w, n.h);
      ctx.fillStyle = "#000";
      ctx.fillText(n.label, n.x, n.y);
    });
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
    const factor = ev.deltaY < 0 ? 1.15 : 1 / 1.15;
    offsetX = ev.offsetX - (ev.offsetX - offsetX) * factor;
    offsetY = ev.offsetY - (ev.offsetY - offsetY) * factor;
    scale *= factor;
    draw();
  }, { passive: false });
  document.getElementById("search").addEventListener("input", ev => {
    const wanted = key(ev.target.value.trim());
    found = new Set();
    if (wanted) data.nodes.forEach((n, i) => {
      if (n.names.concat([n.label]).some(name => key(name).includes(wanted))) found.add(i);
    });
    draw();
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

  // The page's own check: counts, and a click on the first node with
  // evidence must show that evidence in the panel.
  const report = { nodes: data.nodes.length, edges: data.edges.length, clicked: null,
    evidenceShown: false, searchFinds: 0 };
  const withEvidence = data.edges.find(e => e.facts.some(f => f.evidence));
  if (withEvidence) {
    const evidence = withEvidence.facts.find(f => f.evidence).evidence;
    select(withEvidence.from);
    report.clicked = data.nodes[withEvidence.from].id;
    report.evidenceShown = document.getElementById("facts").textContent.includes(evidence);
    const search = document.getElementById("search");
    search.value = data.nodes[withEvidence.from].label;
    search.dispatchEvent(new Event("input"));
    report.searchFinds = found.size;
    // Back to the first view.
    search.value = "";
    found = new Set();
    selected = null;
    document.getElementById("facts").replaceChildren(
      text("p", "Click a node to see its facts and their evidence."));
    draw();
  }
  document.getElementById("self-test").textContent = JSON.stringify(report);
})();
