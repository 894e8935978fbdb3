// The SPARQL editor: YASGUI on this server's endpoint, with the canned queries as tabs.
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  if (!root || typeof Yasgui === "undefined") { return; }
  var canned = JSON.parse(document.getElementById("canned-queries").textContent);
  // YASGUI wants an absolute endpoint URL
  var endpoint = new URL(root.dataset.endpoint, window.location.href).href;
  // /sparql#canned=NAME opens (and runs) a canned query: the link on each query's page.
  // Read it now: YASGUI empties the hash when it starts.
  var wanted = /(?:^|[#&])canned=([a-z0-9-]+)/.exec(window.location.hash);

  // Class and property completion ask lov.linkeddata.es: this page talks to no one else.
  var completers = Yasgui.Yasqe.defaults.autocompleters;
  Yasgui.Yasqe.defaults.autocompleters = completers.filter(function (name) {
    return name !== "class" && name !== "property";
  });

  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: "mandategraph-sparql",
    // the endpoint picker suggests only ours (its default list names public endpoints)
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { value: canned.length ? canned[0].sparql : "SELECT * WHERE { ?s ?p ?o } LIMIT 10" }
  });

  function openCanned(name, run) {
    var query = canned.find(function (q) { return q.name === name; });
    if (!query) { return; }
    var existing = Object.keys(yasgui._tabs || {}).map(function (id) { return yasgui.getTab(id); })
      .find(function (tab) { return tab && tab.getName && tab.getName() === name; });
    var tab;
    if (existing) {
      yasgui.selectTabId(existing.getId());
      tab = existing;
      tab.setQuery(query.sparql);
    } else {
      tab = yasgui.addTab(true, {
        name: name,
        yasqe: { value: query.sparql },
        requestConfig: { endpoint: endpoint, method: "POST" }
      });
    }
    if (run) { tab.query(); }
  }

  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () { openCanned(button.dataset.query, false); });
  });

  if (wanted) { openCanned(wanted[1], true); }
  window.mandategraphYasgui = yasgui;
}());
