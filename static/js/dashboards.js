// Draws the charts of a dashboard page from the data embedded next to each canvas, and the
// small map of transboundary pairs. Chart.js and Leaflet are served by the portal itself.
(function () {
  "use strict";
  var palette = ["#0b6e4f", "#d08c2c", "#0a5a8a", "#9c3d54", "#6b7f2a", "#5a6b75"];

  document.querySelectorAll(".dash-chart canvas").forEach(function (canvas) {
    var spec = JSON.parse(document.getElementById(canvas.id + "-data").textContent);
    var isYearLine = spec.type === "line";
    var values = [];
    var datasets = spec.datasets.map(function (dataset, i) {
      var colour = palette[i % palette.length];
      var data = dataset.data;
      if (isYearLine) {
        // Years on a linear axis, so gaps between surveys show as gaps in time.
        data = spec.labels
          .map(function (year, j) { return { x: year, y: dataset.data[j] }; })
          .filter(function (point) { return point.y !== null; });
      }
      dataset.data.forEach(function (v) { values = values.concat(v); });
      return {
        label: dataset.label,
        data: data,
        backgroundColor: colour,
        borderColor: colour,
        spanGaps: true,
        tension: 0.2,
      };
    });
    var horizontal = spec.horizontal && spec.type === "bar";
    var integers = values.every(function (v) { return v === null || Number.isInteger(v); });
    // Counts get whole-number ticks; years (floating bars) are printed without separators.
    var valueTicks = spec.floating ? { precision: 0, callback: String } : integers ? { precision: 0 } : {};
    var rows = spec.labels.length;
    var labels = spec.labels;
    if (horizontal) {
      // On a phone the bars' names ("Black-faced spoonbill – Democratic People's Republic of
      // Korea") are wider than the room left of the bars, and Chart.js cuts them at the
      // canvas edge: break them into short lines there, and give each row their height.
      var narrow = canvas.parentElement.clientWidth < 640;
      if (narrow) labels = spec.labels.map(function (label) { return wrapLabel(label, 18); });
      var lines = Math.max.apply(null, labels.map(function (l) { return Array.isArray(l) ? l.length : 1; }));
      var rowHeight = narrow ? 12 * lines + 10 : 28;
      canvas.parentElement.style.height = Math.max(160, rowHeight * rows + 60) + "px";
    }
    new Chart(canvas, {
      type: spec.type,
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        // Numbers in the page's locale ("0,5" on a Russian page), as the tables beside them.
        locale: document.documentElement.lang || "en",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: {
          x: isYearLine
            ? { type: "linear", ticks: { precision: 0, callback: String } }
            : { stacked: !!spec.stacked, beginAtZero: !spec.floating, ticks: horizontal ? valueTicks : {} },
          // Every bar keeps its name: Chart.js would drop names it finds too tall to fit.
          y: { stacked: !!spec.stacked, beginAtZero: true, ticks: horizontal ? { autoSkip: false } : valueTicks },
        },
      },
    });
  });

  // A label as lines of at most `width` characters, broken between words.
  function wrapLabel(label, width) {
    var lines = [];
    String(label).split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= width) lines[last] += " " + word;
      else lines.push(word);
    });
    return lines.length > 1 ? lines : label;
  }

  window.dashboardMap = function (map) {
    var data = JSON.parse(document.getElementById("dash-map-data").textContent);
    var outlines = JSON.parse(document.getElementById("dash-map-outlines").textContent);
    // Member states' outlines: the backdrop when no tile basemap is configured or reachable.
    L.geoJSON(outlines, {
      style: { color: "#5a6b75", weight: 1, fillColor: "#eef2ef", fillOpacity: 0.6 },
      interactive: false,
    }).addTo(map);
    var colour = function (feature) {
      // Along borders between member states darker; along borders with non-members lighter.
      if (feature.properties.zone) return feature.properties.members ? "#0b6e4f" : "#8fbfa8";
      // Grid cells where animals seen in two countries were detected (transborder movement).
      if (feature.properties.cell) return "#9c3d54";
      return feature.properties.linked ? "#0a5a8a" : "#c0392b";
    };
    var layer = L.geoJSON(data, {
      style: function (feature) {
        return feature.properties.zone
          ? { color: colour(feature), weight: 1, fillOpacity: feature.properties.members ? 0.6 : 0.4 }
          : { color: colour(feature), weight: 3 };
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
      // django-leaflet bounds the map to one world (-180..180): wider than the world at the
      // zoom that holds Russia's borders, it would be centred on Greenwich, and Chukotka
      // (drawn east of 180°) could not be reached. Half zoom steps fit the borders closer.
      map.setMaxBounds(null);
      map.options.zoomSnap = 0.5;
      map.fitBounds(layer.getBounds(), { padding: [30, 30], maxZoom: 7 });
    }
  };
})();
