/* The NEASPEC map portal. Plain Leaflet, no build step.
 *
 * State (centre, zoom, layers, filters, range toggles) lives in the URL so that the address
 * bar is always a permalink. Layers come from /api/map/<layer>.geojson for the current view
 * and zoom; the browser's HTTP cache and the API's ETags make a repeated view a 304. At
 * continental zooms (up to config.tiles.upToZoom) protected areas and occurrences are drawn
 * from vector tiles instead (/tiles/<layer>/{z}/{x}/{y}.pbf, Leaflet.VectorGrid): the
 * region's boundaries are more than a GeoJSON view can carry. */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("map-config").textContent);
  const urls = JSON.parse(document.getElementById("map-urls").textContent);
  const LAYERS = ["countries", "protected-areas", "transboundary", "species-ranges", "occurrences", "projects"];
  // gettext, ngettext and interpolate come from Django's JavaScript catalogue (jsi18n/),
  // loaded before this script in the language of the page.
  const LAYER_LABELS = {
    "protected-areas": gettext("Protected area"),
    transboundary: gettext("Transboundary complex"),
    "species-ranges": gettext("Species range"),
    occurrences: gettext("Occurrence"),
    projects: gettext("Project"),
  };
  const PAGE_LINKS = {
    "protected-areas": gettext("Open the protected area page"),
    projects: gettext("Open the project page"),
    species: gettext("Open the species page"),
    "species-ranges": gettext("Open the species page"),
    occurrences: gettext("Open the species page"),
  };
  const COUNTRY_COLOURS = {
    CHN: "#e41a1c", PRK: "#984ea3", JPN: "#ff7f00", KOR: "#377eb8", MNG: "#a65628", RUS: "#4daf4a",
  };
  const IUCN_COLOURS = {
    Ia: "#00441b", Ib: "#00441b", II: "#1b7837", III: "#5aae61", IV: "#7b3294",
    V: "#c2a5cf", VI: "#b8860b", NR: "#555555",
  };
  const COOPERATION_STYLES = {
    agreement: { color: "#b2182b", dashArray: null },
    informal: { color: "#d6604d", dashArray: "8 5" },
    none: { color: "#4d4d4d", dashArray: "2 6" },
  };
  const SEASON_STYLES = {
    year_round: { dashArray: null, fillOpacity: 0.25 },
    breeding: { dashArray: null, fillOpacity: 0.35 },
    non_breeding: { dashArray: "10 6", fillOpacity: 0.15 },
    passage: { dashArray: "2 6", fillOpacity: 0.08 },
  };
  const SPECIES_COLOURS = ["#1f78b4", "#e31a1c", "#33a02c", "#ff7f00", "#6a3d9a", "#b15928", "#a6cee3", "#fb9a99"];
  const IN_VIEW_LIMIT = 60;
  // Thousands of SVG elements make panning sluggish; above this many features a layer is
  // painted on a canvas instead (fewer DOM nodes, same look and clicks).
  const CANVAS_ABOVE = 1500;

  const speciesColour = {};
  config.species.forEach((species, index) => {
    speciesColour[species.slug] = SPECIES_COLOURS[index % SPECIES_COLOURS.length];
  });

  // --- State and permalink ---------------------------------------------------------------

  // Species ranges are drawn only where a range polygon is recorded; with none, the layer
  // is off and says so instead of toggles and a legend over an empty map.
  const rangeSpecies = config.species.filter((s) => config.rangeSpecies.includes(s.slug));
  const AVAILABLE_LAYERS = LAYERS.filter(
    (l) => (l !== "species-ranges" || rangeSpecies.length) && (l !== "projects" || config.projectSites)
  );
  const query = new URLSearchParams(window.location.search);
  const state = {
    layers: new Set(query.has("layers") ? query.get("layers").split(",").filter((l) => AVAILABLE_LAYERS.includes(l)) : AVAILABLE_LAYERS),
    species: query.get("species") || "",
    country: query.get("country") || "",
    project: query.get("project") || "",
    yearFrom: query.get("from") || "",
    yearTo: query.get("to") || "",
    ranges: new Set(query.has("ranges") ? query.get("ranges").split(",").filter(Boolean) : rangeSpecies.map((s) => s.slug)),
    selected: query.get("selected") || "",
  };

  function numberParam(name, fallback, min, max) {
    const value = parseFloat(query.get(name));
    return Number.isFinite(value) && value >= min && value <= max ? value : fallback;
  }

  const map = L.map("map", {
    center: [numberParam("lat", config.center[0], -85, 85), numberParam("lng", config.center[1], -180, 180)],
    zoom: Math.round(numberParam("z", config.zoom, config.minZoom, config.maxZoom)),
    minZoom: config.minZoom,
    maxZoom: config.maxZoom,
    keyboard: true,
    worldCopyJump: false,
  });
  map.attributionControl.setPrefix(
    interpolate(gettext("Boundaries: %s"), ['<a href="https://www.naturalearthdata.com/">Natural Earth</a>']) +
      ' | <a href="https://leafletjs.com/">Leaflet</a>'
  );
  L.control.scale({ imperial: false }).addTo(map);
  if (config.tilesUrl) {
    L.tileLayer(config.tilesUrl, { attribution: config.tilesAttribution, maxZoom: 19 }).addTo(map);
    document.getElementById("map").classList.add("with-tiles");
  }

  const Disclaimer = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd() {
      const box = L.DomUtil.create("p", "map-disclaimer");
      box.textContent = document.getElementById("disclaimer-text").content.textContent.trim();
      return box;
    },
  });
  new Disclaimer().addTo(map);

  function viewParams() {
    const centre = map.getCenter();
    const params = new URLSearchParams();
    params.set("lat", centre.lat.toFixed(4));
    params.set("lng", centre.lng.toFixed(4));
    params.set("z", String(map.getZoom()));
    params.set("layers", LAYERS.filter((l) => state.layers.has(l)).join(","));
    for (const key of ["species", "country", "project"]) if (state[key]) params.set(key, state[key]);
    if (state.yearFrom) params.set("from", state.yearFrom);
    if (state.yearTo) params.set("to", state.yearTo);
    if (rangeSpecies.length && state.ranges.size !== rangeSpecies.length) params.set("ranges", [...state.ranges].join(","));
    if (state.selected) params.set("selected", state.selected);
    return params;
  }

  // The API is outside the language prefix, so each request names the page's language: the
  // names come back in it, and caches keep one copy per language.
  function withLanguage(params = new URLSearchParams()) {
    params.set("lang", config.language);
    return params;
  }

  function writePermalink() {
    const url = `${window.location.pathname}?${viewParams()}`;
    window.history.replaceState(null, "", url);
    document.getElementById("permalink").href = url;
  }

  // --- Layers --------------------------------------------------------------------------

  map.createPane("countries");
  map.getPane("countries").style.zIndex = 250;
  // Project sites are small and lie on parks: above the other overlays, whatever loads last.
  map.createPane("projects");
  map.getPane("projects").style.zIndex = 450;

  function featureLabel(feature) {
    return feature.properties.name || "";
  }

  // --- Clicks on overlapping features: a chooser ---------------------------------------

  const CHOOSABLE = ["projects", "transboundary", "protected-areas", "species-ranges"];
  const HIT_PX = 6;

  function insideRing(point, ring) {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [a, b] = [ring[i], ring[j]];
      if ((a.lat > point.lat) !== (b.lat > point.lat) &&
          point.lng < ((b.lng - a.lng) * (point.lat - a.lat)) / (b.lat - a.lat) + a.lng) inside = !inside;
    }
    return inside;
  }

  function insidePolygons(point, latlngs) {
    // Polygon: [ring, holes…]; MultiPolygon: [[ring, holes…], …]; a ring is [LatLng, …].
    if (latlngs.length && latlngs[0] instanceof L.LatLng) return insideRing(point, latlngs);
    if (latlngs.length && latlngs[0].length && latlngs[0][0] instanceof L.LatLng) {
      return insideRing(point, latlngs[0]) && !latlngs.slice(1).some((hole) => insideRing(point, hole));
    }
    return latlngs.some((part) => insidePolygons(point, part));
  }

  function hits(layer, latlng, pixel) {
    if (layer instanceof L.FeatureGroup) return layer.getLayers().some((part) => hits(part, latlng, pixel));
    if (layer instanceof L.CircleMarker) {
      return map.latLngToContainerPoint(layer.getLatLng()).distanceTo(pixel) <= layer.getRadius() + HIT_PX;
    }
    if (layer instanceof L.Polygon) {
      return layer.getBounds().contains(latlng) && insidePolygons(latlng, layer.getLatLngs());
    }
    if (layer instanceof L.Polyline) {
      const points = layer.getLatLngs().flat(Infinity).map((ll) => map.latLngToContainerPoint(ll));
      return points.slice(1).some((p, i) => L.LineUtil.pointToSegmentDistance(pixel, points[i], p) <= HIT_PX);
    }
    return false;
  }

  function featuresAt(latlng) {
    const pixel = map.latLngToContainerPoint(latlng);
    const found = [];
    for (const key of CHOOSABLE) {
      if (state.layers.has(key) && drawnByTiles(key)) found.push(...tileFeaturesAt(key, latlng));
      if (!state.layers.has(key) || !map.hasLayer(overlays[key])) continue;
      overlays[key].eachLayer((layer) => {
        const p = layer.feature && layer.feature.properties;
        if (p && p.id !== undefined && hits(layer, latlng, pixel)) found.push({ layer: key, properties: p });
      });
    }
    return found;
  }

  const chooser = L.popup({ className: "feature-chooser", maxWidth: 320 });

  function clickFeature(layerKey, id, event) {
    featureClickEvent = event.originalEvent;
    const found = featuresAt(event.latlng);
    if (!found.some((f) => f.layer === layerKey && f.properties.id === id)) {
      found.unshift({ layer: layerKey, properties: { id, name: "" } });
    }
    if (found.length < 2) {
      selectFeature(layerKey, id);
      return;
    }
    const box = document.createElement("div");
    const heading = document.createElement("p");
    heading.className = "chooser-heading";
    heading.textContent = interpolate(gettext("%s features here: choose one"), [found.length]);
    const list = document.createElement("ul");
    for (const { layer, properties } of found) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.dataset.layer = layer;
      button.textContent = properties.title || properties.name || LAYER_LABELS[layer];
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = ` (${LAYER_LABELS[layer]})`;
      button.addEventListener("click", () => {
        map.closePopup(chooser);
        selectFeature(layer, properties.id, { focus: true });
      });
      item.append(button, kind);
      list.append(item);
    }
    box.append(heading, list);
    chooser.setLatLng(event.latlng).setContent(box).openOn(map);
    list.querySelector("button").focus();
  }

  function bindSelect(layerKey) {
    return (feature, layer) => {
      if (feature.properties.id !== undefined) {
        layer.on("click", (event) => clickFeature(layerKey, feature.properties.id, event));
      }
      layer.bindTooltip(featureLabel(feature), { sticky: true });
    };
  }

  const overlays = {
    countries: L.geoJSON(null, {
      pane: "countries",
      interactive: false,
      style: (feature) => ({
        className: "country-feature",
        color: feature.properties.member ? "#6b6350" : "#a8a8a8",
        weight: state.country && feature.properties.country === state.country ? 2.5 : 1,
        fillColor: feature.properties.member ? "#f3efe2" : "#e2e2e2",
        fillOpacity: config.tilesUrl ? 0.15 : 1,
      }),
    }),
    "protected-areas": L.geoJSON(null, {
      style: protectedAreaStyle,
      pointToLayer: (feature, latlng) =>
        L.circleMarker(latlng, { radius: 5, renderer: overlays["protected-areas"].options.renderer }),
      onEachFeature: bindSelect("protected-areas"),
    }),
    transboundary: L.geoJSON(null, {
      style: (feature) => ({
        className: "transboundary-feature",
        weight: 3,
        opacity: 0.9,
        ...(COOPERATION_STYLES[feature.properties.category] || COOPERATION_STYLES.none),
      }),
      onEachFeature: (feature, layer) => {
        bindSelect("transboundary")(feature, layer);
      },
    }),
    "species-ranges": L.geoJSON(null, {
      filter: (feature) => state.ranges.has(feature.properties.species),
      style: (feature) => ({
        className: "range-feature",
        color: speciesColour[feature.properties.species] || "#333",
        fillColor: speciesColour[feature.properties.species] || "#333",
        weight: 1.5,
        ...(SEASON_STYLES[feature.properties.season] || SEASON_STYLES.year_round),
      }),
      onEachFeature: (feature, layer) => {
        layer.on("click", (event) => clickFeature("species-ranges", feature.properties.id, event));
        const season = config.seasons[feature.properties.season] || "";
        layer.bindTooltip(`${feature.properties.name} — ${season}`, { sticky: true });
      },
    }),
    occurrences: L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      iconCreateFunction: (cluster) => {
        const total = cluster.getAllChildMarkers().reduce((sum, m) => sum + (m.options.recordCount || 1), 0);
        return L.divIcon({
          html: `<span>${total}</span>`,
          className: "occurrence-cluster",
          iconSize: L.point(34, 34),
        });
      },
    }),
    projects: L.geoJSON(null, {
      pane: "projects",
      style: () => ({ className: "project-feature", color: "#6a3d9a", weight: 2, fillOpacity: 0.2 }),
      pointToLayer: (feature, latlng) =>
        L.circleMarker(latlng, { pane: "projects", radius: 7, color: "#6a3d9a", weight: 3, fillColor: "#fff", fillOpacity: 0.9, className: "project-feature" }),
      onEachFeature: bindSelect("projects"),
    }),
  };
  const transboundaryMembers = new Set();
  const canvasRenderer = L.canvas({ padding: 0.3 });
  const svgRenderer = L.svg({ padding: 0.3 });

  function protectedAreaStyle(feature) {
    const p = feature.properties;
    const member = transboundaryMembers.has(p.id) && state.layers.has("transboundary");
    return {
      className: `pa-feature${member ? " pa-member" : ""}`,
      color: IUCN_COLOURS[p.category] || IUCN_COLOURS.NR,
      weight: member ? 3.5 : 2,
      dashArray: p.approximate ? "5 4" : null,
      fillColor: COUNTRY_COLOURS[p.country] || "#777",
      fillOpacity: member ? 0.55 : 0.35,
    };
  }

  // Records and individuals are two measures: a bubble or dot counts records at every zoom
  // (a grid cell's `count` is its records; a single record's `count` is the individuals it
  // saw, shown in its tooltip and details only, never added up as records).
  function occurrenceMeasures(feature) {
    const single = feature.properties.id !== undefined;
    return {
      records: single ? 1 : feature.properties.count || 1,
      individuals: single ? feature.properties.count || 1 : null,
    };
  }

  function occurrenceMarker(feature) {
    const [lng, lat] = feature.geometry.coordinates;
    const { records, individuals } = occurrenceMeasures(feature);
    const colour = speciesColour[feature.properties.species] || "#333";
    // Styles are set through the CSSOM: the Content-Security-Policy forbids style attributes.
    const dot = document.createElement("span");
    dot.style.background = colour;
    dot.textContent = records > 1 ? String(records) : "";
    const marker = L.marker([lat, lng], {
      recordCount: records,
      icon: L.divIcon({
        className: "occurrence-marker",
        html: dot,
        iconSize: L.point(records > 1 ? 22 : 12, records > 1 ? 22 : 12),
      }),
      keyboard: false,
      title: feature.properties.name,
    });
    const when = feature.properties.year ? `, ${feature.properties.year}` : "";
    const measures = [interpolate(ngettext("%s record", "%s records", records), [records])];
    if (individuals !== null) {
      measures.push(interpolate(ngettext("%s individual", "%s individuals", individuals), [individuals]));
    }
    marker.bindTooltip(`${feature.properties.name}${when}: ${measures.join(", ")}`);
    if (feature.properties.id !== undefined) {
      marker.on("click", () => selectFeature("occurrences", feature.properties.id));
    }
    return marker;
  }

  const loaded = {};
  const controllers = {};

  // The box asked for is widened to the edges of the web-map tiles one zoom out that cover
  // it, so nearby views ask for the same URL, and the portal's cache, the browser's and any
  // proxy's can answer them from one copy.
  const MAX_LAT = 85.0511287798;
  function tileAlignedBox(bounds, zoom) {
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    const n = 2 ** Math.max(0, Math.floor(zoom) - 1);
    const column = (lon) => clamp(Math.floor(((lon + 180) / 360) * n), 0, n - 1);
    const row = (lat) => {
      const phi = (clamp(lat, -MAX_LAT, MAX_LAT) * Math.PI) / 180;
      const y = (1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2;
      return clamp(Math.floor(y * n), 0, n - 1);
    };
    const lon = (x) => (x / n) * 360 - 180;
    const lat = (y) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
    return [
      lon(column(bounds.getWest())), lat(row(bounds.getSouth()) + 1),
      lon(column(bounds.getEast()) + 1), lat(row(bounds.getNorth())),
    ].map((v) => v.toFixed(6));
  }

  function layerQuery(layer) {
    const params = new URLSearchParams();
    params.set("zoom", String(map.getZoom()));
    const b = map.getBounds().pad(0.25);
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    if (layer === "countries") {
      // Outlines cut to the view, on a box snapped outwards to the zoom's tiles: panning
      // within them asks the same URL again (a cached answer), and no view gets the world.
      const step = 360 / 2 ** map.getZoom();
      params.set("bbox", [
        clamp(Math.floor(b.getWest() / step) * step, -180, 180), clamp(Math.floor(b.getSouth() / step) * step, -90, 90),
        clamp(Math.ceil(b.getEast() / step) * step, -180, 180), clamp(Math.ceil(b.getNorth() / step) * step, -90, 90),
      ].map((v) => v.toFixed(3)).join(","));
    } else {
      params.set("bbox", tileAlignedBox(b, map.getZoom()).join(","));
      for (const key of ["species", "country", "project"]) if (state[key]) params.set(key, state[key]);
      if (layer === "occurrences" && (state.yearFrom || state.yearTo)) params.set("year", yearRange());
    }
    return params;
  }

  function yearRange() {
    return `${state.yearFrom || "1800"}-${state.yearTo || String(new Date().getFullYear())}`;
  }

  // --- Vector tiles at continental zooms -------------------------------------------------

  const TILE_LAYERS = ["protected-areas", "occurrences"];
  const tileGrids = {};
  // Above the country fills, where the GeoJSON layers are drawn: areas with the overlays,
  // occurrences with the markers. The tiles' canvases take no pointer events (map.css):
  // stacked, the upper one would swallow clicks meant for the features under it, so the
  // map finds the features under a click or the pointer itself (tileFeaturesAt).
  const TILE_PANES = { "protected-areas": ["protected-area-tiles", 400], occurrences: ["occurrence-tiles", 600] };
  for (const [pane, zIndex] of Object.values(TILE_PANES)) {
    map.createPane(pane);
    map.getPane(pane).style.zIndex = zIndex;
    map.getPane(pane).classList.add("vector-tiles-pane");
  }
  const tileTooltip = L.tooltip({ sticky: true, direction: "top" });
  let tileFeatureSerial = 0;
  // Leaflet.VectorGrid 1.3 calls L.DomEvent.fakeStop, which Leaflet 1.8 removed; stopping
  // the click is what it meant (the map must not take it as a click on the map).
  if (!L.DomEvent.fakeStop) L.DomEvent.fakeStop = L.DomEvent.stopPropagation;

  function drawnByTiles(layer) {
    return Boolean(config.tiles) && TILE_LAYERS.includes(layer) && map.getZoom() <= config.tiles.upToZoom;
  }

  function tileUrl(layer) {
    const params = new URLSearchParams();
    for (const key of ["species", "country", "project"]) if (state[key]) params.set(key, state[key]);
    if (layer === "occurrences" && (state.yearFrom || state.yearTo)) params.set("year", yearRange());
    return `${urls.tile.replace("LAYER", layer).replace("/0/0/0.pbf", "/{z}/{x}/{y}.pbf")}?${withLanguage(params)}`;
  }

  function occurrenceRadius(records) {
    return Math.min(14, 4 + 2 * Math.log2(records || 1));
  }

  const TILE_STYLES = {
    "protected-areas": (properties) => ({ ...protectedAreaStyle({ properties }), fill: true, radius: 5 }),
    occurrences: (properties) => ({
      radius: occurrenceRadius(properties.records),
      fill: true,
      fillColor: speciesColour[properties.species] || "#333",
      fillOpacity: 0.85,
      color: "#fff",
      weight: 1,
    }),
  };

  function tileLabel(layer, properties) {
    if (layer === "protected-areas") return properties.name || "";
    const records = properties.records || 1;
    const measures = [interpolate(ngettext("%s record", "%s records", records), [records])];
    if (properties.individuals !== undefined) {
      measures.push(interpolate(ngettext("%s individual", "%s individuals", properties.individuals), [properties.individuals]));
    }
    const when = properties.year ? `, ${properties.year}` : "";
    return `${properties.name}${when}: ${measures.join(", ")}`;
  }

  function tileGrid(layer) {
    if (tileGrids[layer]) return tileGrids[layer];
    const grid = L.vectorGrid.protobuf(tileUrl(layer), {
      rendererFactory: L.canvas.tile,
      pane: TILE_PANES[layer][0],
      interactive: true,
      maxNativeZoom: config.tiles.maxZoom,
      vectorTileLayerStyles: { [layer]: TILE_STYLES[layer] },
      // Kept per tile so a click can list every feature under it, and the list of
      // features in view can be read from what is drawn. Cells have no id of their own.
      getFeatureId: (feature) => (feature.properties.id !== undefined ? `${layer}:${feature.properties.id}` : `cell:${++tileFeatureSerial}`),
    });
    grid.on("load", () => {
      document.getElementById("map").dataset[`tiles${layer === "occurrences" ? "Occurrences" : "ProtectedAreas"}`] = String(tileFeatures(layer).length);
      updateFeaturesInView();
    });
    tileGrids[layer] = grid;
    return grid;
  }

  function showTiles(layer) {
    const grid = tileGrid(layer);
    const url = tileUrl(layer);
    if (grid._url !== url) grid.setUrl(url, !map.hasLayer(grid));
    if (!map.hasLayer(grid)) grid.addTo(map);
    if (map.hasLayer(overlays[layer])) map.removeLayer(overlays[layer]);
    loaded[layer] = [];
  }

  // A click on a GeoJSON feature reaches the map too: it is handled once, by the feature.
  let featureClickEvent = null;
  map.on("click", (event) => {
    if (event.originalEvent === featureClickEvent) return;
    const occurrence = tileFeaturesAt("occurrences", event.latlng).pop();
    if (occurrence) {
      selectFeature("occurrences", occurrence.properties.id);
      return;
    }
    const area = tileFeaturesAt("protected-areas", event.latlng).pop();
    if (area) clickFeature("protected-areas", area.properties.id, event);
  });
  map.on("mousemove", (event) => {
    const hit = [["occurrences"], ["protected-areas"]]
      .map(([layer]) => ({ layer, found: tileFeaturesAt(layer, event.latlng, { all: true }).pop() }))
      .find(({ found }) => found);
    map.getContainer().classList.toggle("over-tile-feature", Boolean(hit && hit.found.properties.id !== undefined));
    if (!hit) {
      map.closeTooltip(tileTooltip);
      return;
    }
    tileTooltip.setLatLng(event.latlng).setContent(tileLabel(hit.layer, hit.found.properties));
    if (!map.hasLayer(tileTooltip)) map.openTooltip(tileTooltip);
  });

  function hideTiles(layer) {
    if (tileGrids[layer] && map.hasLayer(tileGrids[layer])) map.removeLayer(tileGrids[layer]);
  }

  // The features drawn in the tiles of the current zoom, each once: [{properties, bounds}].
  // VectorGrid keeps each tile's features (getFeatureId) in `_vectorTiles`.
  function tileFeatures(layer) {
    const grid = tileGrids[layer];
    if (!grid || !map.hasLayer(grid) || !grid._vectorTiles) return [];
    const zoom = Math.min(map.getZoom(), config.tiles.maxZoom);
    const size = grid.getTileSize();
    const found = new Map();
    for (const [key, renderer] of Object.entries(grid._vectorTiles)) {
      const coords = grid._keyToTileCoords(key);
      if (coords.z !== zoom) continue;
      const origin = coords.scaleBy(size);
      for (const { feature } of Object.values(renderer._features || {})) {
        const p = feature.properties;
        const corner = (point) => map.unproject(origin.add(point), zoom);
        const box = feature._point ? L.bounds(feature._point, feature._point) : feature._pxBounds;
        if (!box) continue;
        const bounds = L.latLngBounds(corner(box.min), corner(box.max));
        // A dot in a tile's margin is drawn by its neighbour too: one entry per place.
        const id = p.id !== undefined ? String(p.id) : `${p.species}@${bounds.getCenter().toString()}`;
        const seen = found.get(id);
        if (seen) seen.bounds.extend(bounds);
        else found.set(id, { properties: p, bounds });
      }
    }
    return [...found.values()];
  }

  // The features of a tile layer under a point, as featuresAt gives those of GeoJSON layers
  // (only those with an id, i.e. that have details, unless `all`).
  function tileFeaturesAt(layer, latlng, { all = false } = {}) {
    const grid = tileGrids[layer];
    if (!grid || !map.hasLayer(grid) || !grid._vectorTiles) return [];
    const zoom = map.getZoom();
    const size = grid.getTileSize();
    const pixel = map.project(latlng, zoom);
    const coords = pixel.unscaleBy(size).floor();
    coords.z = zoom;
    const renderer = grid._vectorTiles[grid._tileCoordsToKey(coords)];
    if (!renderer) return [];
    const local = pixel.subtract(coords.scaleBy(size));
    return Object.values(renderer._features || {})
      .filter(({ feature }) => (all || feature.properties.id !== undefined) && feature._containsPoint(local))
      .map(({ feature }) => ({ layer, properties: feature.properties }));
  }

  async function loadLayer(layer) {
    if (!state.layers.has(layer)) {
      hideTiles(layer);
      return;
    }
    if (controllers[layer]) controllers[layer].abort();
    if (TILE_LAYERS.includes(layer)) {
      document.getElementById("occurrence-tiles-note").hidden = !drawnByTiles("occurrences");
      if (drawnByTiles(layer)) {
        showTiles(layer);
        updateFeaturesInView();
        return;
      }
      hideTiles(layer);
      if (!map.hasLayer(overlays[layer])) overlays[layer].addTo(map);
    }
    const controller = new AbortController();
    controllers[layer] = controller;
    const url = `${urls.layer.replace("LAYER", layer)}?${withLanguage(layerQuery(layer))}`;
    let data;
    try {
      const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/geo+json" } });
      if (!response.ok) throw new Error((await response.json()).error || response.statusText);
      data = await response.json();
    } catch (error) {
      if (error.name !== "AbortError") {
        const message = interpolate(gettext("Could not load the layer “%(layer)s”: %(error)s"), { layer: LAYER_LABELS[layer] || layer, error: error.message }, true);
        setStatus("in-view-status", message);
      }
      return;
    }
    const group = overlays[layer];
    group.clearLayers();
    if (group.options && layer !== "occurrences") {
      group.options.renderer = data.features.length > CANVAS_ABOVE ? canvasRenderer : svgRenderer;
    }
    if (layer === "occurrences") {
      group.addLayers(data.features.map(occurrenceMarker));
    } else {
      group.addData(data);
    }
    if (layer === "transboundary") {
      transboundaryMembers.clear();
      data.features.forEach((f) => (f.properties.members || []).forEach((id) => transboundaryMembers.add(id)));
      overlays["protected-areas"].setStyle(protectedAreaStyle);
      if (tileGrids["protected-areas"] && map.hasLayer(tileGrids["protected-areas"])) tileGrids["protected-areas"].redraw();
    }
    loaded[layer] = data.features;
    document.getElementById("map").dataset[`loaded${layer.replace(/-./g, (m) => m[1].toUpperCase()).replace(/^./, (c) => c.toUpperCase())}`] = String(data.features.length);
    updateFeaturesInView();
  }

  function applyLayerVisibility() {
    for (const layer of LAYERS) {
      const on = state.layers.has(layer);
      if (on && drawnByTiles(layer)) continue; // loadLayer shows its tiles
      if (!on) hideTiles(layer);
      if (on && !map.hasLayer(overlays[layer])) {
        overlays[layer].addTo(map);
      } else if (!on && map.hasLayer(overlays[layer])) {
        map.removeLayer(overlays[layer]);
        loaded[layer] = [];
      }
    }
    overlays["protected-areas"].setStyle(protectedAreaStyle);
    if (tileGrids["protected-areas"] && map.hasLayer(tileGrids["protected-areas"])) tileGrids["protected-areas"].redraw();
  }

  function reloadAll() {
    applyLayerVisibility();
    LAYERS.forEach(loadLayer);
    writePermalink();
    updateFeaturesInView();
  }

  let moveTimer = null;
  map.on("moveend", () => {
    writePermalink();
    clearTimeout(moveTimer);
    moveTimer = setTimeout(() => LAYERS.forEach(loadLayer), 150);
    updateFeaturesInView();
  });

  // --- Features in view (the text alternative of the map) ----------------------------------

  function featureBounds(feature) {
    return feature.bounds || L.geoJSON(feature).getBounds();
  }

  function updateFeaturesInView() {
    const list = document.getElementById("features-in-view");
    const view = map.getBounds();
    const items = [];
    for (const layer of ["protected-areas", "transboundary", "projects", "species-ranges"]) {
      if (!state.layers.has(layer)) continue;
      if (drawnByTiles(layer)) {
        for (const { properties, bounds } of tileFeatures(layer)) {
          if (view.intersects(bounds)) items.push({ layer, feature: { properties, bounds } });
        }
        continue;
      }
      for (const feature of loaded[layer] || []) {
        if (layer === "species-ranges" && !state.ranges.has(feature.properties.species)) continue;
        if (view.intersects(featureBounds(feature))) items.push({ layer, feature });
      }
    }
    let occurrenceRecords = 0;
    if (state.layers.has("occurrences") && drawnByTiles("occurrences")) {
      for (const { properties, bounds } of tileFeatures("occurrences")) {
        if (view.contains(bounds.getCenter())) occurrenceRecords += properties.records || 1;
      }
    } else if (state.layers.has("occurrences")) {
      for (const feature of loaded.occurrences || []) {
        const [lng, lat] = feature.geometry.coordinates;
        if (view.contains([lat, lng])) occurrenceRecords += occurrenceMeasures(feature).records;
      }
    }
    list.replaceChildren();
    for (const { layer, feature } of items.slice(0, IN_VIEW_LIMIT)) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      const p = feature.properties;
      const extra = layer === "species-ranges" ? ` (${config.seasons[p.season] || p.season})` : "";
      button.textContent = `${p.name}${extra}`;
      button.addEventListener("click", () => {
        map.fitBounds(featureBounds(feature), { maxZoom: 10, padding: [30, 30] });
        selectFeature(layer, p.id, { focus: true });
      });
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = `${LAYER_LABELS[layer]}${Array.isArray(p.country) ? ", " + p.country.join("–") : p.country ? ", " + p.country : ""}`;
      item.append(button, " ", kind);
      list.append(item);
    }
    const parts = [interpolate(ngettext("%s feature in view.", "%s features in view.", items.length), [items.length])];
    if (items.length > IN_VIEW_LIMIT) {
      parts.push(interpolate(gettext("The first %s are listed; zoom in to see the rest."), [IN_VIEW_LIMIT]));
    }
    if (state.layers.has("occurrences")) {
      parts.push(interpolate(gettext("Occurrence records in view: %s."), [occurrenceRecords]));
    }
    setStatus("in-view-status", parts.join(" "));
  }

  function setStatus(id, text) {
    document.getElementById(id).textContent = text;
  }

  // --- Details panel -------------------------------------------------------------------

  async function selectFeature(layer, id, { focus = false } = {}) {
    state.selected = `${layer}:${id}`;
    writePermalink();
    const body = document.getElementById("details-body");
    const response = await fetch(`${urls.feature.replace("LAYER", layer).replace("12345", String(id))}?${withLanguage()}`);
    if (!response.ok) {
      body.textContent = gettext("This record is not available.");
      return;
    }
    const details = await response.json();
    body.replaceChildren();
    const title = document.createElement("h3");
    title.textContent = details.title;
    body.append(title);
    if (details.subtitle) {
      const subtitle = document.createElement("p");
      subtitle.className = "subtitle";
      subtitle.textContent = details.subtitle;
      body.append(subtitle);
    }
    const facts = document.createElement("dl");
    facts.className = "facts";
    for (const [label, value] of details.facts) {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.textContent = value;
      facts.append(dt, dd);
    }
    body.append(facts);
    if (details.members) {
      const heading = document.createElement("p");
      heading.textContent = gettext("Member protected areas:");
      const members = document.createElement("ul");
      for (const member of details.members) {
        const li = document.createElement("li");
        const link = document.createElement("a");
        link.href = member.url;
        link.textContent = member.name;
        li.append(link);
        members.append(li);
      }
      body.append(heading, members);
    }
    const links = document.createElement("p");
    links.className = "detail-links";
    if (details.url) {
      const page = document.createElement("a");
      page.href = details.url;
      page.className = "detail-page-link";
      page.textContent = PAGE_LINKS[layer] || gettext("Open the record page");
      links.append(page);
    }
    if (details.admin_url) {
      const admin = document.createElement("a");
      admin.href = details.admin_url;
      admin.className = "detail-admin-link";
      admin.textContent = gettext("Edit in admin");
      links.append(" ", admin);
    }
    body.append(links);
    if (focus) document.getElementById("details-heading").focus();
    else document.getElementById("details").scrollIntoView({ block: "nearest" });
  }

  // --- Search --------------------------------------------------------------------------

  document.getElementById("map-search-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const q = document.getElementById("map-search").value.trim();
    const list = document.getElementById("search-results");
    list.replaceChildren();
    if (q.length < 2) {
      setStatus("search-status", gettext("Type at least 2 characters."));
      return;
    }
    const response = await fetch(`${urls.search}?${withLanguage(new URLSearchParams({ q }))}`);
    const { results = [] } = await response.json();
    setStatus(
      "search-status",
      results.length
        ? interpolate(ngettext("%s found.", "%s found.", results.length), [results.length])
        : interpolate(gettext("Nothing found for “%s”."), [q])
    );
    results.forEach((result, index) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.textContent = result.name;
      button.addEventListener("click", () => goToResult(result));
      const kind = document.createElement("span");
      kind.className = "kind";
      const local = result.name_local ? ` · ${result.name_local}` : "";
      const what = result.kind === "species"
        ? gettext("Species")
        : interpolate(gettext("Protected area, %s"), [config.countryNames[result.country] || result.country]);
      kind.textContent = `${what}${local}`;
      item.append(button, " ", kind);
      list.append(item);
      if (index === 0) goToResult(result);
    });
  });

  function goToResult(result) {
    if (result.bbox) {
      const [w, s, e, n] = result.bbox;
      map.fitBounds([[s, w], [n, e]], { maxZoom: 10, padding: [30, 30] });
    }
    if (result.kind === "species") {
      if (config.rangeSpecies.includes(result.slug)) state.ranges.add(result.slug);
      syncControls();
      selectFeature("species", result.id);
    } else {
      selectFeature("protected-areas", result.id);
    }
  }

  // --- Controls ------------------------------------------------------------------------

  function legend(id, entries) {
    const list = document.getElementById(id);
    for (const [swatchStyle, label] of entries) {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.cssText = swatchStyle; // CSSOM: style attributes are refused by the CSP
      li.append(swatch, label);
      list.append(li);
    }
  }
  legend("legend-countries", Object.entries(COUNTRY_COLOURS).map(([iso, colour]) => [`background:${colour};opacity:.6`, interpolate(gettext("Fill: %s"), [config.countryNames[iso] || iso])]));
  legend("legend-iucn", Object.entries(config.iucnCategories).filter(([code]) => code !== "Ib").map(([code, label]) => [
    `background:transparent;border:3px solid ${IUCN_COLOURS[code]}`,
    interpolate(gettext("Outline: %s"), [code === "Ia" ? gettext("Ia/Ib – Strict reserve, wilderness") : label]),
  ]));
  legend("legend-cooperation", Object.entries(config.cooperationStatuses).map(([code, label]) => {
    const style = COOPERATION_STYLES[code] || COOPERATION_STYLES.none;
    return [`height:0;border-top:3px ${style.dashArray ? (code === "none" ? "dotted" : "dashed") : "solid"} ${style.color}`, label];
  }));
  legend("legend-seasons", Object.entries(config.seasons).map(([code, label]) => {
    const style = SEASON_STYLES[code];
    return [`background:rgba(31,120,180,${style.fillOpacity});border:2px ${style.dashArray ? (code === "passage" ? "dotted" : "dashed") : "solid"} #1f78b4`, label];
  }));

  if (!rangeSpecies.length) {
    const box = document.querySelector('input[data-layer="species-ranges"]');
    box.disabled = true;
    box.setAttribute("aria-describedby", "ranges-none");
    document.getElementById("ranges-none").hidden = false;
    document.querySelector(".range-species").hidden = true;
    document.getElementById("legend-seasons").hidden = true;
  }
  if (!config.projectSites) {
    const box = document.querySelector('input[data-layer="projects"]');
    box.disabled = true;
    box.setAttribute("aria-describedby", "projects-none");
    document.getElementById("projects-none").hidden = false;
    document.getElementById("legend-projects").hidden = true;
  }
  const rangeToggles = document.getElementById("range-toggles");
  for (const species of rangeSpecies) {
    const li = document.createElement("li");
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.dataset.rangeSpecies = species.slug;
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = speciesColour[species.slug];
    label.append(box, " ", swatch, " ", species.migratory ? interpolate(gettext("%s (migratory: seasons shown)"), [species.name]) : species.name);
    li.append(label);
    rangeToggles.append(li);
    box.addEventListener("change", () => {
      if (box.checked) state.ranges.add(species.slug);
      else state.ranges.delete(species.slug);
      redrawRanges();
    });
  }

  function redrawRanges() {
    const group = overlays["species-ranges"];
    group.clearLayers();
    group.addData({ type: "FeatureCollection", features: loaded["species-ranges"] || [] });
    writePermalink();
    updateFeaturesInView();
  }

  function syncControls() {
    document.querySelectorAll("input[data-layer]").forEach((box) => (box.checked = state.layers.has(box.dataset.layer)));
    document.querySelectorAll("input[data-range-species]").forEach((box) => (box.checked = state.ranges.has(box.dataset.rangeSpecies)));
    document.querySelectorAll("select[data-param]").forEach((select) => {
      select.value = state[select.dataset.param];
      // A link naming a record that is gone (or never published) shows everything instead.
      if (select.value !== state[select.dataset.param]) {
        select.value = "";
        state[select.dataset.param] = "";
      }
    });
    document.getElementById("filter-year-from").value = state.yearFrom;
    document.getElementById("filter-year-to").value = state.yearTo;
  }

  document.querySelectorAll("input[data-layer]").forEach((box) =>
    box.addEventListener("change", () => {
      if (box.checked) state.layers.add(box.dataset.layer);
      else state.layers.delete(box.dataset.layer);
      applyLayerVisibility();
      loadLayer(box.dataset.layer);
      writePermalink();
      updateFeaturesInView();
    })
  );
  document.querySelectorAll("select[data-param]").forEach((select) =>
    select.addEventListener("change", () => {
      state[select.dataset.param] = select.value;
      reloadAll();
    })
  );
  for (const [id, key] of [["filter-year-from", "yearFrom"], ["filter-year-to", "yearTo"]]) {
    document.getElementById(id).addEventListener("change", (event) => {
      const value = event.target.value.trim();
      state[key] = /^\d{4}$/.test(value) ? value : "";
      loadLayer("occurrences");
      writePermalink();
    });
  }
  document.getElementById("filters-reset").addEventListener("click", () => {
    Object.assign(state, { species: "", country: "", project: "", yearFrom: "", yearTo: "" });
    syncControls();
    reloadAll();
  });

  // Another language keeps the view: the switch link takes the map's state along.
  document.querySelectorAll(".map-languages a").forEach((link) =>
    link.addEventListener("click", () => {
      link.href = `${link.href.split("?")[0]}${window.location.search}`;
    })
  );

  syncControls();
  reloadAll();
  if (state.selected.includes(":")) {
    const [layer, id] = state.selected.split(":");
    if (/^\d+$/.test(id)) selectFeature(layer, Number(id));
  }
})();
