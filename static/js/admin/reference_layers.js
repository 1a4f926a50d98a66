/* Country outlines under every admin map: the reference an editor needs to draw or check a
   boundary where no tile basemap is configured or reachable. Read-only and not part of the
   value being edited. The outlines come from the map portal's layer API, simplified to the
   current zoom, and are fetched again when the view changes. */
(function () {
  "use strict";

  var COUNTRIES_URL = "/api/map/countries.geojson"; // maps/api_urls.py
  var MAX_ZOOM = 14; // past this the API's outlines are already at full detail

  function addOutlines(map) {
    var pane = map.createPane("reference-outlines");
    pane.style.zIndex = 350; // under the edited shapes (overlay pane: 400)
    pane.style.pointerEvents = "none";
    var outlines = L.geoJSON(null, {
      pane: "reference-outlines",
      interactive: false,
      style: function (feature) {
        var member = feature.properties && feature.properties.member;
        return {
          color: member ? "#5b6b73" : "#9aa5ab",
          weight: member ? 1.2 : 0.8,
          fillColor: member ? "#f4f1e8" : "#ececec",
          fillOpacity: 1,
        };
      },
    }).addTo(map);
    var pending = null;

    function refresh() {
      var bounds = map.getBounds();
      var bbox = [
        Math.max(bounds.getWest(), -180), Math.max(bounds.getSouth(), -90),
        Math.min(bounds.getEast(), 180), Math.min(bounds.getNorth(), 90),
      ].map(function (value) { return value.toFixed(4); }).join(",");
      var zoom = Math.min(Math.round(map.getZoom()), MAX_ZOOM);
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(COUNTRIES_URL + "?zoom=" + zoom + "&bbox=" + bbox, { signal: pending.signal })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (collection) {
          if (!collection) return;
          outlines.clearLayers();
          outlines.addData(collection);
        })
        .catch(function () { /* an aborted or failed fetch leaves the last outlines */ });
    }

    map.on("moveend", refresh);
    refresh();
  }

  window.addEventListener("map:init", function (event) {
    addOutlines(event.detail.map);
  });
})();
