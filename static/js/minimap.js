/* Small static maps of the public pages. Each `[data-minimap]` element names a
   <script type="application/json"> holding a GeoJSON FeatureCollection built on the server:
   member-state outlines (kind "country") as the basemap, then the page's own features. */
(function () {
  "use strict";

  var STYLES = {
    country: { color: "#7d8c94", weight: 1, fillColor: "#e7ece9", fillOpacity: 1 },
    boundary: { color: "#0b6e4f", weight: 2, fillColor: "#0b6e4f", fillOpacity: 0.25 },
    range: { color: "#8a5a00", weight: 1, fillColor: "#d9a441", fillOpacity: 0.35 },
    site: { color: "#0a5a8a", weight: 2, fillColor: "#0a5a8a", fillOpacity: 0.25 },
  };
  var POINTS = {
    area: { radius: 6, color: "#ffffff", weight: 1.5, fillColor: "#0b6e4f", fillOpacity: 1 },
    partner: { radius: 6, color: "#ffffff", weight: 1.5, fillColor: "#b34700", fillOpacity: 1 },
    site: { radius: 6, color: "#ffffff", weight: 1.5, fillColor: "#0a5a8a", fillOpacity: 1 },
  };

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-minimap"));
    if (!source || typeof L === "undefined") return;
    var data = JSON.parse(source.textContent);
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.5 });
    var tiles = element.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, { attribution: element.getAttribute("data-tiles-attribution") }).addTo(map);
    }
    var all = L.geoJSON(data, {
      style: function (feature) {
        // Leaflet styles the point markers too, after pointToLayer: keep their own colours
        // (this area, a partner, a site), or every point would look the same.
        if (feature.geometry.type === "Point") return POINTS[feature.properties.kind] || POINTS.area;
        var style = STYLES[feature.properties.kind] || STYLES.site;
        if (feature.properties.approximate) style = L.extend({}, style, { dashArray: "6 4" });
        return style;
      },
      pointToLayer: function (feature, latlng) {
        var style = POINTS[feature.properties.kind] || POINTS.area;
        // A cell of many areas (the home page past HOME_MAP_MAX_POINTS) grows with its count.
        var areas = feature.properties.areas;
        if (areas > 1) style = L.extend({}, style, { radius: Math.min(16, 5 + 2 * Math.log2(areas)) });
        return L.circleMarker(latlng, style);
      },
      onEachFeature: function (feature, layer) {
        if (feature.properties.kind === "country") return;
        if (feature.properties.name) layer.bindTooltip(feature.properties.name);
        if (feature.properties.url) {
          layer.on("click", function () { window.location.href = feature.properties.url; });
        }
      },
    }).addTo(map);
    var focus = L.geoJSON({
      type: "FeatureCollection",
      features: data.features.filter(function (f) { return f.properties.kind !== "country"; }),
    });
    var bounds = focus.getLayers().length ? focus.getBounds() : all.getBounds();
    function fit() {
      if (bounds.isValid()) {
        map.fitBounds(bounds.pad(0.4), { maxZoom: Number(element.getAttribute("data-max-zoom") || 7) });
      } else {
        map.setView([42, 120], 3);
      }
    }
    fit();
    // The printed page is narrower than the screen: redraw the map to the paper's width.
    window.addEventListener("beforeprint", function () { map.invalidateSize(); fit(); });
  }

  document.querySelectorAll("[data-minimap]").forEach(draw);
})();
