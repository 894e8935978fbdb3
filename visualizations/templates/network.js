// The partnership network page: draws the graph with vis-network, filters it by theme,
// year range, state, kind and a search box, shows each edge's shared activities with
// their source quotes, opens an actor's page on click. Reads its data from the JSON in
// <script id="network-data">; builds every text with textContent (never innerHTML).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("network-data").textContent);
  const activities = data.activities;
  const container = document.getElementById("network");
  const tip = document.getElementById("network-tip");
  const count = document.getElementById("visible-nodes");
  const edgeCount = document.getElementById("visible-edges");
  const form = document.getElementById("network-filters");
  const sizeBy = form.elements["size"];

  function sizeOf(node) {
    return sizeBy && sizeBy.value === "betweenness"
      ? 1 + Math.round(node.betweenness * 100) : Math.max(node.weighted_degree, 1);
  }

  const nodes = new vis.DataSet(data.nodes.map(function (n) {
    return {
      id: n.id, label: n.id, color: n.color, shape: "dot", value: sizeOf(n),
      borderWidth: n.focus ? 4 : 1, font: { size: 16 },
    };
  }));
  const edges = new vis.DataSet(data.edges.map(function (e, i) {
    return { id: i, from: e.source, to: e.target, value: e.weight, color: { color: "#9aa5b5", highlight: "#1d2733" } };
  }));
  const nodeById = new Map(data.nodes.map(function (n) { return [n.id, n]; }));
  const big = data.nodes.length > 150;
  // each iteration of forceAtlas2 costs about as much as the nodes and links drawn: a
  // very big network (every actor asked for) settles roughly rather than late
  const iterations = data.nodes.length > 1000 ? 60 : big ? 200 : 600;
  const options = {
    nodes: { scaling: { min: 8, max: 40, label: { enabled: true, min: 12, max: 26 } } },
    edges: { scaling: { min: 1, max: 10 }, smooth: false },
    interaction: { hover: true, tooltipDelay: 100, hideEdgesOnDrag: big },
    layout: { improvedLayout: !big, randomSeed: 15 },
    physics: {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 120, avoidOverlap: 0.4 },
      stabilization: { enabled: true, iterations: iterations, updateInterval: 50 },
    },
  };
  const network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  window.mandategraphNetwork = network;
  window.mandategraphSettled = null;
  const freeze = document.getElementById("freeze");
  function setFrozen(frozen) {
    network.setOptions({ physics: { enabled: !frozen } });
    freeze.textContent = frozen ? "Resume the layout" : "Freeze the layout";
    freeze.setAttribute("aria-pressed", frozen ? "true" : "false");
  }
  network.once("stabilizationIterationsDone", function () {
    window.mandategraphSettled = performance.now();
    setFrozen(true);  // a settled layout stays where it is until the reader asks
  });
  freeze.addEventListener("click", function () {
    setFrozen(freeze.getAttribute("aria-pressed") !== "true");
  });

  // -- filters --------------------------------------------------------------------------
  function chosen() {
    const kinds = Array.from(form.querySelectorAll("input[name=kind]:checked")).map(function (b) { return b.value; });
    return {
      theme: form.elements["theme"].value, state: form.elements["state"].value,
      from: parseInt(form.elements["year_from"].value, 10), to: parseInt(form.elements["year_to"].value, 10),
      kinds: new Set(kinds),
    };
  }
  function passes(id, f) {
    const a = activities[id];
    if (!a) return false;
    if (f.theme && a.themes.indexOf(f.theme) < 0) return false;
    if (f.state && a.states.indexOf(f.state) < 0) return false;
    if (!isNaN(f.from) || !isNaN(f.to)) {
      const inRange = a.years.some(function (y) {
        return (isNaN(f.from) || y >= f.from) && (isNaN(f.to) || y <= f.to);
      });
      if (!inRange) return false;
    }
    return true;
  }
  function apply() {
    const f = chosen();
    const visible = new Set();
    const nodeUpdates = data.nodes.map(function (n) {
      const shown = f.kinds.has(n.kind) && n.activity_ids.some(function (id) { return passes(id, f); });
      if (shown) visible.add(n.id);
      return { id: n.id, hidden: !shown, value: sizeOf(n) };
    });
    let shownEdges = 0;
    const edgeUpdates = data.edges.map(function (e, i) {
      const weight = e.activity_ids.filter(function (id) { return passes(id, f); }).length;
      const shown = weight > 0 && visible.has(e.source) && visible.has(e.target);
      if (shown) shownEdges += 1;
      return { id: i, hidden: !shown, value: Math.max(weight, 1) };
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    count.textContent = String(visible.size);
    edgeCount.textContent = String(shownEdges);
    container.dataset.visibleNodes = String(visible.size);
    // the downloads carry the same filters
    const params = new URLSearchParams(data.query);
    [["theme", f.theme], ["state", f.state], ["year_from", form.elements["year_from"].value],
     ["year_to", form.elements["year_to"].value]].forEach(function (pair) {
      if (pair[1]) params.set(pair[0], pair[1]); else params.delete(pair[0]);
    });
    params.delete("kind");
    if (f.kinds.size < data.kinds.length) f.kinds.forEach(function (k) { params.append("kind", k); });
    document.querySelectorAll("a[data-download]").forEach(function (link) {
      const query = params.toString();
      link.href = link.dataset.download + (query ? "?" + query : "");
    });
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  apply();

  // -- search ---------------------------------------------------------------------------
  const search = document.getElementById("network-search");
  search.addEventListener("input", function () {
    const text = search.value.trim().toLowerCase();
    if (!text) { network.unselectAll(); return; }
    const found = data.nodes.filter(function (n) {
      return !nodes.get(n.id).hidden &&
        (n.id.toLowerCase().indexOf(text) >= 0 || n.label.toLowerCase().indexOf(text) >= 0);
    }).map(function (n) { return n.id; });
    network.selectNodes(found);
    if (found.length) network.focus(found[0], { scale: 1.2, animation: { duration: 300 } });
  });

  // -- hover: who, and the shared activities with their quotes ---------------------------
  function line(parent, tag, text, cls) {
    const el = document.createElement(tag);
    el.textContent = text;
    if (cls) el.className = cls;
    parent.appendChild(el);
    return el;
  }
  function show(event, build) {
    tip.replaceChildren();
    build(tip);
    tip.hidden = false;
    const box = container.getBoundingClientRect();
    const x = Math.min(event.pointer.DOM.x + 14, box.width - 340);
    tip.style.left = Math.max(x, 0) + "px";
    tip.style.top = (event.pointer.DOM.y + 14) + "px";
  }
  network.on("hoverNode", function (event) {
    const n = nodeById.get(event.node);
    show(event, function (el) {
      line(el, "strong", n.label + " (" + n.id + ")");
      line(el, "div", data.kindLabels[n.kind] + " · " + n.activities + " activities · "
        + n.degree + " partners · betweenness " + n.betweenness + " · community " + n.community, "muted");
      line(el, "div", "Click to open its page.", "muted");
    });
  });
  network.on("hoverEdge", function (event) {
    const e = data.edges[event.edge];
    const f = chosen();
    const shared = e.activity_ids.filter(function (id) { return passes(id, f); });
    show(event, function (el) {
      line(el, "strong", e.source + " – " + e.target + ": " + shared.length + " shared activit" + (shared.length === 1 ? "y" : "ies"));
      const list = document.createElement("ol");
      shared.slice(0, 6).forEach(function (id) {
        const a = activities[id];
        const item = document.createElement("li");
        line(item, "div", a.label + (a.years.length ? " (" + a.years.join(", ") + ")" : ""), "activity");
        line(item, "blockquote", a.quote, "quote");
        list.appendChild(item);
      });
      el.appendChild(list);
      if (shared.length > 6) line(el, "div", "and " + (shared.length - 6) + " more", "muted");
    });
  });
  network.on("blurNode", function () { tip.hidden = true; });
  network.on("blurEdge", function () { tip.hidden = true; });
  network.on("dragStart", function () { tip.hidden = true; });

  // -- click: the actor's page ----------------------------------------------------------
  network.on("click", function (event) {
    if (event.nodes.length === 1) {
      const n = nodeById.get(event.nodes[0]);
      if (n && n.href) window.location.href = n.href;
    }
  });
})();
