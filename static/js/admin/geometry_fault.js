/* A drawing the portal rejected (it crosses itself, a hole lies outside its ring…) comes back
   with the error in words above its map; this marks the faulty spot on that map. The spot
   is in the data attributes of the map's wrapper (templates/admin/common/geometry_widget.html,
   filled by common.admin.GeometryRepairForm). */
(function () {
  "use strict";

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    var holder = map.getContainer().closest("[data-fault-lon]");
    if (!holder) return;
    var spot = L.latLng(parseFloat(holder.dataset.faultLat), parseFloat(holder.dataset.faultLon));
    if (isNaN(spot.lat) || isNaN(spot.lng)) return;
    // Its own pane, above the drawing (overlay pane: 400) and under the editing handles.
    var pane = map.createPane("geometry-fault");
    pane.style.zIndex = 450;
    pane.style.pointerEvents = "none";
    L.circleMarker(spot, {
      pane: "geometry-fault",
      radius: 11,
      color: "#ba2121",
      weight: 3,
      fillColor: "#ba2121",
      fillOpacity: 0.3,
      interactive: false,
      className: "geometry-fault",
    })
      .bindTooltip(holder.dataset.faultLabel, {
        permanent: true,
        direction: "top",
        offset: [0, -12],
        className: "geometry-fault-tooltip",
      })
      .addTo(map);
  });
})();
