// Shared maps: every <div data-map> becomes a Leaflet map (Leaflet is served from
// our own static files). Attributes:
//   data-center="lat,lon" data-zoom="9"      initial view
//   data-layers='[{"name": "...", "url": "/x.geojson", "color": "#b3261e"}]'
//   data-refresh="5"                          re-fetch the layers every N seconds, for
//                                              the visible area and, where a layer
//                                              can (delta), only what changed
//   data-fit                                   fit the view to the data on first load
//   data-draw-input="id_area"                  draw polygons/circles into a hidden
//                                              input as a GeoJSON FeatureCollection
//   data-pick="id_latitude,id_longitude"       a click fills the two fields and moves
//                                              a marker; typed values move it too
// Feature properties used: title (popup text), url (link), color.
(function () {
  "use strict";
  const maps = {};
  window.scapeMaps = maps;

  function escapeText(text) {
    const span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
  }

  function popup(feature) {
    const p = feature.properties || {};
    let html = "<strong>" + escapeText(p.title || "") + "</strong>";
    if (p.subtitle) html += "<br>" + escapeText(p.subtitle);
    if (p.url && /^\/[^/]/.test(p.url)) html += '<br><a href="' + encodeURI(p.url) + '">' + escapeText(p.link_text || "→") + "</a>";
    return html;
  }

  function geoLayer(spec) {
    return L.geoJSON(null, {
      style: (f) => ({ color: (f.properties && f.properties.color) || spec.color || "#0b4f8a", weight: 3 }),
      pointToLayer: (f, latlng) => {
        const radius = f.properties && f.properties.radius;
        const color = (f.properties && f.properties.color) || spec.color || "#0b4f8a";
        if (radius) return L.circle(latlng, { radius: radius, color: color });
        return L.circleMarker(latlng, { radius: 7, color: color, fillOpacity: 0.8 });
      },
      onEachFeature: (f, layer) => layer.bindPopup(popup(f)),
    });
  }

  // The URL of a layer with extra query parameters (its own filter kept).
  function withParams(url, params) {
    const u = new URL(url, window.location.origin);
    Object.keys(params).forEach((k) => u.searchParams.set(k, params[k]));
    return u.pathname + u.search;
  }

  function featureId(layer) {
    const p = layer.feature && layer.feature.properties;
    return p && p.id != null ? p.id : null;
  }

  // Load a layer. A refresh sends the visible area (bbox) and the "as_of" of the
  // last answer (changed_since); a layer that can answer with changes only
  // (delta) sends the features changed since then and the ids still on the map.
  async function load(entry, spec, fit, refresh) {
    const state = entry.state[spec.url] || (entry.state[spec.url] = {});
    const params = {};
    if (!fit) {
      const b = entry.map.getBounds();
      params.bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((n) => n.toFixed(5)).join(",");
    }
    if (refresh && state.asOf) params.changed_since = state.asOf;
    try {
      const response = await fetch(withParams(spec.url, params), { credentials: "same-origin", headers: { Accept: "application/geo+json" } });
      if (!response.ok) return;
      const data = await response.json();
      const layer = entry.layers[spec.url];
      let missing = false;
      if (data.delta && state.asOf) {
        const keep = new Set(data.ids || []);
        const changed = new Set((data.features || []).map((f) => f.properties && f.properties.id));
        layer.eachLayer((l) => {
          const id = featureId(l);
          if (id == null || !keep.has(id) || changed.has(id)) layer.removeLayer(l);
        });
        layer.addData(data);
        const shown = new Set();
        layer.eachLayer((l) => shown.add(featureId(l)));
        // An id never received (an incident shared with us since): ask again in full.
        missing = (data.ids || []).some((id) => !shown.has(id));
      } else {
        layer.clearLayers();
        layer.addData(data);
      }
      state.asOf = missing ? null : data.as_of || null;
      entry.element.dataset.loaded = String((Number(entry.element.dataset.loaded) || 0) + 1);
      entry.element.dispatchEvent(new CustomEvent("scape:map-loaded", { detail: { url: spec.url, data: data } }));
      if (fit) {
        const bounds = layer.getBounds();
        if (bounds.isValid()) entry.map.fitBounds(bounds, { maxZoom: 14, padding: [20, 20] });
      }
      if (missing) load(entry, spec, false, false);
    } catch (error) {
      // A failed refresh keeps what is shown; the next one tries again.
    }
  }

  function setupDraw(entry, inputId) {
    const input = document.getElementById(inputId);
    if (!input || !L.Control.Draw) return;
    const drawn = new L.FeatureGroup().addTo(entry.map);
    const save = () => {
      const features = [];
      drawn.eachLayer((layer) => {
        if (layer instanceof L.Circle) {
          const c = layer.getLatLng();
          features.push({ type: "Feature", properties: { radius: layer.getRadius() }, geometry: { type: "Point", coordinates: [c.lng, c.lat] } });
        } else {
          features.push(layer.toGeoJSON());
        }
      });
      input.value = features.length ? JSON.stringify({ type: "FeatureCollection", features: features }) : "";
      input.dispatchEvent(new Event("change", { bubbles: true }));
    };
    if (input.value) {
      try {
        L.geoJSON(JSON.parse(input.value), {
          pointToLayer: (f, latlng) => L.circle(latlng, { radius: (f.properties && f.properties.radius) || 100 }),
        }).eachLayer((layer) => drawn.addLayer(layer));
        if (drawn.getBounds().isValid()) entry.map.fitBounds(drawn.getBounds(), { maxZoom: 15 });
      } catch (error) { /* a bad saved value is replaced by the next drawing */ }
    }
    if (entry.element.dataset.drawTexts) merge(L.drawLocal, JSON.parse(entry.element.dataset.drawTexts));
    entry.map.addControl(new L.Control.Draw({
      edit: { featureGroup: drawn },
      draw: { polyline: false, rectangle: false, marker: false, circlemarker: false, polygon: { allowIntersection: false }, circle: true },
    }));
    entry.map.on(L.Draw.Event.CREATED, (event) => { drawn.addLayer(event.layer); save(); });
    entry.map.on(L.Draw.Event.EDITED, save);
    entry.map.on(L.Draw.Event.DELETED, save);
    entry.drawn = drawn;
  }

  function setupPick(entry, ids) {
    const [lat, lon] = ids.split(",").map((id) => document.getElementById(id.trim()));
    if (!lat || !lon) return;
    let marker = null;
    const place = (latlng) => {
      if (marker) marker.setLatLng(latlng);
      else marker = L.marker(latlng).addTo(entry.map);
    };
    const fromFields = () => {
      const a = parseFloat(lat.value), b = parseFloat(lon.value);
      if (!isNaN(a) && !isNaN(b)) place([a, b]);
    };
    entry.map.on("click", (event) => {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      place(event.latlng);
    });
    lat.addEventListener("change", fromFields);
    lon.addEventListener("change", fromFields);
    fromFields();
  }

  // Copy the translated texts over Leaflet.draw's English ones, branch by branch.
  function merge(into, from) {
    Object.keys(from).forEach((key) => {
      if (from[key] && typeof from[key] === "object") merge(into[key] = into[key] || {}, from[key]);
      else into[key] = from[key];
    });
  }

  function offline(map, text) {
    if (!text) return;
    const note = L.control({ position: "bottomleft" });
    note.onAdd = () => {
      const box = L.DomUtil.create("div", "map-offline");
      box.setAttribute("role", "status");
      box.textContent = text;
      return box;
    };
    note.addTo(map);
    map.getContainer().classList.add("no-tiles");
  }

  function init(element) {
    const center = (element.dataset.center || "56.0,21.1").split(",").map(Number);
    const map = L.map(element).setView(center, Number(element.dataset.zoom || 9));
    if (element.dataset.tiles) {
      const tiles = L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
      // A closed network: say so once instead of showing an empty map.
      let failed = 0;
      tiles.on("tileerror", () => {
        failed += 1;
        if (failed === 4) offline(map, document.body.dataset.mapTilesFailed);
      });
    } else {
      offline(map, document.body.dataset.mapNoTiles);
    }
    const entry = { element: element, map: map, layers: {}, state: {} };
    maps[element.id || "map"] = entry;
    const specs = JSON.parse(element.dataset.layers || "[]");
    const overlays = {};
    specs.forEach((spec) => {
      entry.layers[spec.url] = geoLayer(spec).addTo(map);
      overlays[escapeText(spec.name || spec.url)] = entry.layers[spec.url];
    });
    if (specs.length > 1) L.control.layers(null, overlays).addTo(map);
    const fit = element.hasAttribute("data-fit");
    specs.forEach((spec, i) => load(entry, spec, fit && i === 0, false));
    const refresh = Number(element.dataset.refresh || 0);
    if (refresh > 0) {
      setInterval(() => specs.forEach((spec) => load(entry, spec, false, true)), refresh * 1000);
      // Another area: the layers again in full, for what is now in view.
      map.on("moveend", () => specs.forEach((spec) => load(entry, spec, false, false)));
    }
    if (element.dataset.drawInput) setupDraw(entry, element.dataset.drawInput);
    if (element.dataset.pick) setupPick(entry, element.dataset.pick);
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!window.L) return;
    document.querySelectorAll("[data-map]").forEach(init);
  });
})();
