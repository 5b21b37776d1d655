// Progressive enhancement only: every page works without this file. When a visitor has not chosen a time zone yet,
// pre-select the one their browser reports in the time-zone pickers marked data-tz-default="browser".
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  document.addEventListener("DOMContentLoaded", function () {
    var selects = document.querySelectorAll('select[data-tz-default="browser"]');
    Array.prototype.forEach.call(selects, function (select) {
      var match = Array.prototype.find.call(select.options, function (o) { return o.value === zone; });
      if (match) { select.value = zone; }
    });
  });
})();
