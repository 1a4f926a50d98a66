// The map of a boundary upload's report (admin → Imports): the new shapes, numbered by their
// row in the file, over the record's current boundary. Data from the page's JSON script.
(function () {
  "use strict";
  const element = document.getElementById("import-preview");
  const data = document.getElementById("import-preview-data");
  if (!element || !data || typeof L === "undefined") {
    return;
  }
  const preview = JSON.parse(data.textContent);
  const map = L.map(element, { attributionControl: true });
  const layers = [];
  if (preview.current) {
    layers.push(
      L.geoJSON(preview.current, {
        style: { color: "#6b7378", weight: 2, dashArray: "6 4", fillOpacity: 0.05 },
      }).addTo(map)
    );
  }
  preview.shapes.forEach((shape) => {
    const layer = L.geoJSON(shape.geometry, {
      style: { color: "#1c5c99", weight: 2, fillOpacity: 0.2 },
    }).addTo(map);
    layer.bindTooltip(`${shape.row}: ${shape.label}`, { permanent: preview.shapes.length > 1 });
    layers.push(layer);
  });
  const bounds = L.featureGroup(layers).getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [16, 16] });
  } else {
    map.setView([42, 120], 4);
  }
})();
