// The staff map of individuals' movements (monitoring admin): each animal's detections as
// a line in time order, with a marker per detection. Exact points filled, grid nodes hollow.
(function () {
  "use strict";
  var palette = ["#c0392b", "#0a5a8a", "#0b6e4f", "#d08c2c", "#9c3d54", "#6b7f2a", "#5a6b75"];

  window.movementMap = function (map) {
    var tracks = JSON.parse(document.getElementById("movement-tracks").textContent);
    var outlines = JSON.parse(document.getElementById("movement-outlines").textContent);
    L.geoJSON(outlines, {
      style: { color: "#5a6b75", weight: 1, fillColor: "#eef2ef", fillOpacity: 0.6 },
      interactive: false,
    }).addTo(map);
    var group = L.featureGroup().addTo(map);
    tracks.forEach(function (track, i) {
      var colour = palette[i % palette.length];
      var latlngs = track.points.map(function (p) { return [p.lat, p.lon]; });
      if (latlngs.length > 1) {
        L.polyline(latlngs, { color: colour, weight: 3, opacity: 0.8 })
          .bindTooltip(track.label + " (" + track.countries.join(", ") + ")")
          .addTo(group);
      }
      track.points.forEach(function (p, j) {
        L.circleMarker([p.lat, p.lon], {
          radius: 5,
          color: colour,
          fillColor: colour,
          fillOpacity: p.exact ? 0.9 : 0,
        })
          .bindTooltip((j + 1) + ". " + p.day + " " + p.country + " " + p.kind + " " + p.reference)
          .addTo(group);
      });
    });
    if (group.getLayers().length) {
      map.fitBounds(group.getBounds(), { padding: [30, 30], maxZoom: 11 });
    }
  };
})();
