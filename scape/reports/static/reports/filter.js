// Show only the fields the chosen kind of period needs (year, quarter, month or a range).
(function () {
  "use strict";
  var NEEDS = {
    year: ["year"],
    quarter: ["year", "quarter"],
    month: ["year", "month"],
    custom: ["start", "end"]
  };
  function update(form) {
    var period = form.querySelector("[name=period]");
    if (!period) { return; }
    var needed = NEEDS[period.value || "year"] || [];
    ["year", "quarter", "month", "start", "end"].forEach(function (name) {
      var input = form.querySelector("[name=" + name + "]");
      var field = input && input.closest(".field");
      if (field) { field.hidden = needed.indexOf(name) < 0; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("report-filter");
    if (!form) { return; }
    update(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "period") { update(form); }
    });
  });
})();
