// Pick an incident's place on the map: a click fills the latitude and longitude
// fields and moves the marker; typed coordinates move the marker too.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const entry = window.scapeMaps && window.scapeMaps["pick-map"];
    const lat = document.getElementById("id_latitude");
    const lon = document.getElementById("id_longitude");
    if (!entry || !lat || !lon) return;
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
  });
})();
