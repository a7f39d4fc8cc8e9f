// "Use my location": fills the hidden lat/lon fields from the browser's own
// geolocation. The position goes only to this server, only when the person asks.
(function () {
  var button = document.getElementById("use-location");
  if (!button || !("geolocation" in navigator)) return;
  var status = document.getElementById("location-status");
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var place = document.getElementById("id_place");
  button.hidden = false;
  place.addEventListener("input", function () {
    lat.value = "";
    lon.value = "";
  });
  button.addEventListener("click", function () {
    status.textContent = button.dataset.searching || "…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(5);
        lon.value = position.coords.longitude.toFixed(5);
        place.value = "";
        status.textContent = button.dataset.found || "";
        button.form.submit();
      },
      function () {
        status.textContent = button.dataset.failed || "";
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  });
})();
