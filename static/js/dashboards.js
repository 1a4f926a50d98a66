// Draws the charts of a dashboard page from the data embedded next to each canvas, and the
// small map of transboundary pairs. Chart.js and Leaflet are served by the portal itself.
(function () {
  "use strict";
  var palette = ["#0b6e4f", "#d08c2c", "#0a5a8a", "#9c3d54", "#6b7f2a", "#5a6b75"];

  document.querySelectorAll(".dash-chart canvas").forEach(function (canvas) {
    var spec = JSON.parse(document.getElementById(canvas.id + "-data").textContent);
    var datasets = spec.datasets.map(function (dataset, i) {
      var colour = palette[i % palette.length];
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: colour,
        borderColor: colour,
        spanGaps: true,
        tension: 0.2,
      };
    });
    var horizontal = spec.horizontal && spec.type === "bar";
    var rows = spec.labels.length;
    if (horizontal) {
      canvas.parentElement.style.height = Math.max(160, 28 * rows + 60) + "px";
    }
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: {
          x: { stacked: !!spec.stacked, beginAtZero: true },
          y: { stacked: !!spec.stacked, beginAtZero: true },
        },
      },
    });
  });

  window.dashboardMap = function (map) {
    var data = JSON.parse(document.getElementById("dash-map-data").textContent);
    var colour = function (feature) {
      return feature.properties.linked ? "#0a5a8a" : "#c0392b";
    };
    var layer = L.geoJSON(data, {
      style: function (feature) {
        return { color: colour(feature), weight: 3 };
      },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {
          radius: 5, color: colour(feature), fillColor: colour(feature), fillOpacity: 0.8,
        });
      },
      onEachFeature: function (feature, item) {
        item.bindTooltip(feature.properties.label);
      },
    }).addTo(map);
    if (layer.getLayers().length) {
      map.fitBounds(layer.getBounds(), { padding: [30, 30], maxZoom: 9 });
    }
  };
})();
