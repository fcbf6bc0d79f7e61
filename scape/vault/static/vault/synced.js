// Several cameras of one case on one recording time: one slider and one button move
// every video to its place (a video that was not recording at that moment waits,
// greyed), and each camera's GPS position moves on the map. Videos start muted.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const data = document.getElementById("sync-timeline");
    if (!data) return;
    const timeline = JSON.parse(data.textContent);
    const slider = document.getElementById("sync-time");
    const clock = document.getElementById("sync-clock");
    const button = document.querySelector("[data-sync=play]");
    const start = new Date(timeline.start);
    const views = timeline.videos.map((spec) => {
      const figure = document.querySelector(`[data-video="${spec.id}"]`);
      return { spec: spec, figure: figure, video: figure.querySelector("video"), idle: figure.querySelector(".sync-idle") };
    });
    let now = 0;
    let playing = false;
    let last = null;

    function localOf(view, t) {
      const local = t - view.spec.offset;
      const length = view.spec.duration || view.video.duration || 0;
      return local >= 0 && local <= length ? local : null;
    }

    function showClock(t) {
      clock.textContent = new Date(start.getTime() + t * 1000).toLocaleTimeString();
    }

    function place(t, force) {
      now = Math.max(0, Math.min(t, timeline.total));
      slider.value = String(now);
      showClock(now);
      views.forEach((view) => {
        const local = localOf(view, now);
        const idle = local === null;
        view.figure.classList.toggle("idle", idle);
        view.idle.hidden = !idle;
        if (idle) {
          if (!view.video.paused) view.video.pause();
          return;
        }
        // Within a third of a second each video keeps its own pace; beyond, it is set.
        if (force || Math.abs(view.video.currentTime - local) > 0.3) view.video.currentTime = local;
        if (playing && view.video.paused) view.video.play().catch(() => {});
        if (!playing && !view.video.paused) view.video.pause();
      });
      moveMarkers(now);
    }

    function frame(stamp) {
      if (!playing) return;
      if (last !== null) place(now + (stamp - last) / 1000, false);
      last = stamp;
      if (now >= timeline.total) return setPlaying(false);
      window.requestAnimationFrame(frame);
    }

    function setPlaying(on) {
      playing = on;
      last = null;
      button.textContent = on ? button.dataset.pause : button.dataset.play;
      place(now, false);
      if (on) window.requestAnimationFrame(frame);
    }

    button.addEventListener("click", () => setPlaying(!playing));
    slider.addEventListener("input", () => place(Number(slider.value), true));

    // The map: each camera's track, and where it is at the slider's time.
    const markers = [];
    function moveMarkers(t) {
      markers.forEach(({ marker, track }) => {
        let at = null;
        for (const point of track) {
          if (point[0] <= t) at = point;
          else break;
        }
        if (at) marker.setLatLng([at[1], at[2]]);
        marker.setOpacity(at ? 1 : 0.3);
      });
    }
    function drawTracks() {
      const entry = window.scapeMaps && window.scapeMaps["case-map"];
      if (!entry || !window.L) return;
      const bounds = [];
      views.forEach((view) => {
        const track = view.spec.track;
        if (!track.length) return;
        const line = track.map((p) => [p[1], p[2]]);
        window.L.polyline(line, { weight: 3 }).addTo(entry.map).bindTooltip(view.spec.name);
        const marker = window.L.circleMarker(line[0], { radius: 7 }).addTo(entry.map).bindTooltip(view.spec.name);
        markers.push({ marker: marker, track: track });
        bounds.push(...line);
      });
      if (bounds.length) entry.map.fitBounds(bounds, { padding: [20, 20] });
      else entry.element.hidden = true;
      moveMarkers(now);
    }
    window.scapeSync = { place: (t) => place(t, true), play: () => setPlaying(true), pause: () => setPlaying(false) };
    place(0, true);
    // map.js makes the map on DOMContentLoaded too; draw once it is there.
    window.setTimeout(drawTracks, 0);
  });
})();
