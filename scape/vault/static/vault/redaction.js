// Review page of a redacted copy: place the boxes over the frames, draw new ones.
// Styles are set through the CSSOM: the content security policy forbids inline ones.
(function () {
  "use strict";

  if (document.querySelector("[data-redaction-busy]")) {
    // Detection or rendering runs in the background: look again shortly.
    window.setTimeout(function () { window.location.reload(); }, 2000);
  }

  var frames = document.querySelector(".redaction-frames");
  if (!frames) { return; }
  var addForm = document.getElementById("redaction-add");

  function sourceSize(img) {
    var w = parseFloat(frames.dataset.width) || img.naturalWidth || 1;
    var h = parseFloat(frames.dataset.height) || img.naturalHeight || 1;
    return { w: w, h: h };
  }

  function place(el, box, size) {
    el.style.position = "absolute";
    el.style.left = (100 * box[0] / size.w) + "%";
    el.style.top = (100 * box[1] / size.h) + "%";
    el.style.width = (100 * (box[2] - box[0]) / size.w) + "%";
    el.style.height = (100 * (box[3] - box[1]) / size.h) + "%";
    el.style.boxSizing = "border-box";
  }

  frames.style.display = "flex";
  frames.style.flexWrap = "wrap";
  frames.style.gap = "1rem";

  frames.querySelectorAll(".redaction-frame").forEach(function (figure) {
    var canvas = figure.querySelector(".redaction-canvas");
    var img = canvas.querySelector("img");
    figure.style.margin = "0";
    canvas.style.position = "relative";
    canvas.style.width = "480px";
    canvas.style.maxWidth = "100%";
    canvas.style.userSelect = "none";
    img.style.display = "block";
    img.style.width = "100%";
    img.style.cursor = addForm ? "crosshair" : "default";

    function layout() {
      var size = sourceSize(img);
      canvas.querySelectorAll(".redaction-box").forEach(function (el) {
        place(el, el.dataset.box.split(",").map(parseFloat), size);
        el.style.border = el.classList.contains("redaction-box-manual")
          ? "2px solid #0a84ff" : "2px solid #ff3b30";
        el.style.margin = "0";
        var button = el.querySelector("button");
        if (button) {
          // Above the box's corner, not on the face it hides.
          button.style.position = "absolute";
          button.style.bottom = "calc(100% + 2px)";
          button.style.right = "-2px";
          button.style.padding = "0 0.3em";
          button.style.lineHeight = "1.2";
          button.style.background = "#ff3b30";
          button.style.color = "#fff";
          button.style.border = "0";
          button.style.cursor = "pointer";
        }
      });
    }
    if (img.complete) { layout(); } else { img.addEventListener("load", layout); }

    if (!addForm) { return; }
    var start = null;
    var band = null;

    function point(event) {
      var rect = img.getBoundingClientRect();
      return {
        x: Math.min(Math.max(event.clientX - rect.left, 0), rect.width),
        y: Math.min(Math.max(event.clientY - rect.top, 0), rect.height),
        w: rect.width,
        h: rect.height
      };
    }

    img.addEventListener("mousedown", function (event) {
      event.preventDefault();
      start = point(event);
      band = document.createElement("div");
      band.className = "redaction-band";
      band.style.position = "absolute";
      band.style.border = "2px dashed #0a84ff";
      band.style.pointerEvents = "none";
      canvas.appendChild(band);
    });

    document.addEventListener("mousemove", function (event) {
      if (!start) { return; }
      var p = point(event);
      band.style.left = Math.min(start.x, p.x) + "px";
      band.style.top = Math.min(start.y, p.y) + "px";
      band.style.width = Math.abs(p.x - start.x) + "px";
      band.style.height = Math.abs(p.y - start.y) + "px";
    });

    document.addEventListener("mouseup", function (event) {
      if (!start) { return; }
      var p = point(event);
      var s = start;
      start = null;
      var size = sourceSize(img);
      var kx = size.w / p.w;
      var ky = size.h / p.h;
      if (Math.abs(p.x - s.x) < 3 || Math.abs(p.y - s.y) < 3) {
        band.remove();
        return;
      }
      addForm.elements.frame.value = figure.dataset.frame;
      addForm.elements.x1.value = (Math.min(s.x, p.x) * kx).toFixed(1);
      addForm.elements.y1.value = (Math.min(s.y, p.y) * ky).toFixed(1);
      addForm.elements.x2.value = (Math.max(s.x, p.x) * kx).toFixed(1);
      addForm.elements.y2.value = (Math.max(s.y, p.y) * ky).toFixed(1);
      addForm.submit();
    });
  });
}());
