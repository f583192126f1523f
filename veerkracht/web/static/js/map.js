/* veerkracht maps: the start page's map with level switch and list, and a unit page's small map.
 * Draws only our own GeoJSON (WGS84) with the vendored MapLibre GL JS; a raster basemap only when
 * the server's settings name one. Without WebGL the page stays fully usable through its lists. */
(function () {
  "use strict";

  var COLOURS = {
    fill: "#2f7d8c",
    line: "#0b4f5c",
    hover: "#e07b00",
    self: "#0b4f5c",
    context: "#9aa5a8",
    background: "#f3f1eb",
  };

  var dataElement = document.getElementById("page-data");
  if (!dataElement) return;
  var data = JSON.parse(dataElement.textContent);
  var text = data.text || {};
  // A page may colour its own layer (the analysis lists: warnings, places that cope well).
  if (data.colour) {
    COLOURS.fill = data.colour;
    COLOURS.line = data.colour;
  }
  document.documentElement.classList.add("js");

  var mapElement = document.getElementById("map") || document.getElementById("unit-map");
  var isStart = mapElement && mapElement.id === "map";
  var message = document.getElementById("map-message");
  var map = null;
  var hoveredId = null;
  var keyToId = {};

  function say(textToShow) {
    if (!message) return;
    message.textContent = textToShow;
    message.hidden = false;
    if (mapElement) mapElement.classList.add("map--unavailable");
  }

  function webglAvailable() {
    try {
      var canvas = document.createElement("canvas");
      return !!(canvas.getContext("webgl2") || canvas.getContext("webgl"));
    } catch (error) {
      return false;
    }
  }

  function emptyCollection() {
    return { type: "FeatureCollection", features: [] };
  }

  function baseStyle() {
    var sources = {
      context: { type: "geojson", data: emptyCollection() },
      units: { type: "geojson", data: emptyCollection() },
    };
    var layers = [{ id: "background", type: "background", paint: { "background-color": COLOURS.background } }];
    if (data.basemapUrl) {
      sources.basemap = { type: "raster", tiles: [data.basemapUrl], tileSize: 256 };
      layers.push({ id: "basemap", type: "raster", source: "basemap", paint: { "raster-opacity": 0.8 } });
    }
    var isPolygon = ["match", ["geometry-type"], ["Polygon", "MultiPolygon"], true, false];
    var isPoint = ["match", ["geometry-type"], ["Point", "MultiPoint"], true, false];
    var hovered = ["boolean", ["feature-state", "hover"], false];
    var role = ["coalesce", ["get", "role"], "unit"];
    layers.push(
      {
        id: "context-fill", type: "fill", source: "context",
        paint: { "fill-color": "#ffffff", "fill-opacity": 0.55 },
      },
      {
        id: "context-line", type: "line", source: "context",
        paint: { "line-color": "#5f6b6e", "line-width": 1.5, "line-dasharray": [3, 2] },
      },
      {
        id: "units-fill", type: "fill", source: "units", filter: isPolygon,
        paint: {
          "fill-color": ["case", hovered, COLOURS.hover,
            ["match", role, "context", COLOURS.context, "self", COLOURS.self, COLOURS.fill]],
          "fill-opacity": ["case", hovered, 0.75, ["match", role, "self", 0.12, "context", 0.25, 0.45]],
        },
      },
      {
        id: "units-line", type: "line", source: "units", filter: isPolygon,
        paint: {
          "line-color": ["case", hovered, COLOURS.hover, ["match", role, "context", "#5f6b6e", COLOURS.line]],
          "line-width": ["case", hovered, 2.5, ["match", role, "self", 3, 1]],
        },
      },
      {
        id: "units-point", type: "circle", source: "units", filter: isPoint,
        paint: {
          "circle-radius": ["interpolate", ["linear"], ["zoom"], 13, 2.5, 17, 7],
          "circle-color": ["case", hovered, COLOURS.hover, COLOURS.fill],
          "circle-stroke-color": "#ffffff",
          "circle-stroke-width": 1,
        },
      }
    );
    return { version: 8, sources: sources, layers: layers };
  }

  function setHover(id) {
    if (!map) return;
    if (hoveredId !== null) map.setFeatureState({ source: "units", id: hoveredId }, { hover: false });
    hoveredId = id;
    if (id !== null && id !== undefined) map.setFeatureState({ source: "units", id: id }, { hover: true });
  }

  function loadLayer(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (collection) {
        keyToId = {};
        collection.features.forEach(function (feature) { keyToId[feature.properties.key] = feature.id; });
        hoveredId = null;
        map.getSource("units").setData(collection);
        mapElement.setAttribute("data-features", String(collection.features.length));
        return collection;
      });
  }

  function fitTo(collection) {
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    function walk(coords) {
      if (typeof coords[0] === "number") {
        box = [Math.min(box[0], coords[0]), Math.min(box[1], coords[1]),
               Math.max(box[2], coords[0]), Math.max(box[3], coords[1])];
      } else {
        coords.forEach(walk);
      }
    }
    collection.features.forEach(function (f) { if (f.geometry) walk(f.geometry.coordinates); });
    if (box[0] === Infinity) return;
    map.fitBounds(box, { padding: 24, maxZoom: 18, animate: false });
  }

  function startMap() {
    if (!mapElement) return;
    if (!window.maplibregl || !webglAvailable()) {
      say(text.noMap);
      return;
    }
    try {
      map = new maplibregl.Map({
        container: mapElement,
        style: baseStyle(),
        bounds: data.bounds || undefined,
        fitBoundsOptions: { padding: 24, maxZoom: 18 },
        attributionControl: { compact: true },
        dragRotate: false,
        pitchWithRotate: false,
        cooperativeGestures: false,
      });
    } catch (error) {
      map = null;
      say(text.noMap);
      return;
    }
    window.veerkrachtMap = map; // for debugging and the browser test
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    var popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, offset: 8 });
    var interactive = ["units-fill", "units-point"];

    map.on("load", function () {
      // Fit again once the container has its final size (layout may settle after creation).
      if (data.bounds) map.fitBounds(data.bounds, { padding: 24, maxZoom: 18, animate: false });
      if (data.contextUrl) {
        fetch(data.contextUrl)
          .then(function (response) { return response.ok ? response.json() : emptyCollection(); })
          .then(function (collection) { map.getSource("context").setData(collection); })
          .catch(function () { /* the context outline is optional */ });
      }
      loadLayer(data.geojsonUrl)
        .then(function (collection) {
          if (!isStart) fitTo(collection); // a unit with its parts (or its building) in view
          mapElement.setAttribute("data-ready", "true");
        })
        .catch(function () { say(text.loadError); });
    });
    map.on("error", function (event) {
      if (event && event.sourceId === "basemap") return; // a basemap outage leaves our own layers
    });
    interactive.forEach(function (layer) {
      map.on("mousemove", layer, function (event) {
        var feature = event.features && event.features[0];
        if (!feature || (feature.properties.role && feature.properties.role !== "child" && feature.properties.role !== "unit")) {
          return;
        }
        map.getCanvas().style.cursor = "pointer";
        setHover(feature.id);
        var label = document.createElement("div");
        label.className = "map-popup";
        var name = document.createElement("strong");
        name.textContent = feature.properties.name;
        label.appendChild(name);
        popup.setLngLat(event.lngLat).setDOMContent(label).addTo(map);
      });
      map.on("mouseleave", layer, function () {
        map.getCanvas().style.cursor = "";
        setHover(null);
        popup.remove();
      });
      map.on("click", layer, function (event) {
        var feature = event.features && event.features[0];
        if (feature && feature.properties.url && feature.properties.role !== "self" && feature.properties.role !== "context") {
          window.location.href = feature.properties.url;
        }
      });
    });
  }

  /* The list beside the map: filter as you type, and highlight a place on the map. */
  function wireList() {
    var list = document.getElementById("unit-list");
    if (!list) return;
    function highlight(event) {
      var item = event.target.closest && event.target.closest("li[data-key]");
      setHover(item ? keyToId[item.getAttribute("data-key")] : null);
    }
    list.addEventListener("mouseover", highlight);
    list.addEventListener("focusin", highlight);
    list.addEventListener("mouseleave", function () { setHover(null); });
    list.addEventListener("focusout", function () { setHover(null); });
  }

  function wireFilter() {
    var filter = document.getElementById("list-filter");
    if (filter) filter.addEventListener("input", applyFilter);
  }

  function applyFilter() {
    var list = document.getElementById("unit-list");
    var filter = document.getElementById("list-filter");
    var status = document.getElementById("list-filter-status");
    if (!list || !filter) return;
    var query = filter.value.trim().toLocaleLowerCase("nl");
    var shown = 0;
    Array.prototype.forEach.call(list.children, function (item) {
      var match = !query || item.textContent.toLocaleLowerCase("nl").indexOf(query) !== -1;
      item.hidden = !match;
      if (match) shown += 1;
    });
    if (status) status.textContent = !query ? "" : (text.found || "{count}").replace("{count}", shown.toLocaleString("nl-NL"));
  }

  /* The level switch: reload the map layer and the list (the list from the server's own page). */
  function wireLevelSwitch() {
    var form = document.querySelector("[data-level-switch]");
    if (!form) return;
    form.addEventListener("change", function (event) {
      if (event.target.name !== "level") return;
      switchLevel(event.target.value);
    });
    form.addEventListener("submit", function (event) {
      var checked = form.querySelector("input[name=level]:checked");
      if (!checked) return;
      event.preventDefault();
      switchLevel(checked.value);
    });
  }

  function switchLevel(level) {
    var pageUrl = "/?level=" + encodeURIComponent(level);
    var listSection = document.querySelector(".start__list");
    listSection.setAttribute("aria-busy", "true");
    var listDone = fetch(pageUrl)
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ["#unit-list", "[data-list-count]", "[data-list-plural]", "[data-map-caption]"].forEach(function (selector) {
          var old = document.querySelector(selector);
          var replacement = fresh.querySelector(selector);
          if (old && replacement) old.replaceWith(replacement);
        });
        var alternate = document.querySelector("link[rel=alternate]");
        var freshAlternate = fresh.querySelector("link[rel=alternate]");
        if (alternate && freshAlternate) alternate.href = freshAlternate.getAttribute("href");
        history.replaceState({ level: level }, "", pageUrl);
        wireList();
        applyFilter();
      })
      .finally(function () { listSection.removeAttribute("aria-busy"); });
    var layerDone = map && map.getSource("units")
      ? loadLayer("/api/units?level=" + encodeURIComponent(level) + "&format=geojson")
      : Promise.resolve();
    mapElement && mapElement.setAttribute("data-ready", "false");
    Promise.all([listDone, layerDone])
      .then(function () {
        if (mapElement) mapElement.setAttribute("data-ready", "true");
        document.body.setAttribute("data-level", level);
      })
      .catch(function () { say(text.loadError); });
  }

  startMap();
  if (isStart) {
    wireList();
    wireFilter();
    wireLevelSwitch();
  }
})();
