// Watch progress for a recording's page (issue 14). The player reports the stretches it actually played every 15
// seconds, when paused or finished, and when the page is left; the server counts their union, so skipping ahead earns
// nothing. Without this script the video still plays; its watching is just not counted.
(function () {
  'use strict';
  var video = document.getElementById('player');
  if (!video || !video.dataset.progressUrl || !window.fetch) { return; }
  var url = video.dataset.progressUrl;
  var share = document.getElementById('progress-share');
  var template = video.dataset.watchedText || '';
  var percent = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: 'percent' });
  var played = [];   // stretches played since the last report, in the order played
  var from = null;   // where the stretch being played started (null while not playing)
  var last = null;   // where playback was at the last time update
  var sending = false;

  function closeStretch() {
    if (from !== null && last !== null && last > from) { played.push([from, last]); }
    from = null;
  }

  video.addEventListener('playing', function () { from = last = video.currentTime; });
  video.addEventListener('timeupdate', function () {
    if (from === null) { return; }
    var now = video.currentTime;
    // A jump (a seek, or a stall the player skipped) ends the stretch: only continuous playing counts.
    if (now < last || now - last > 3) { closeStretch(); from = now; }
    last = now;
  });
  video.addEventListener('seeking', closeStretch);
  video.addEventListener('seeked', function () { if (!video.paused) { from = last = video.currentTime; } });
  video.addEventListener('pause', function () { closeStretch(); report(false); });
  video.addEventListener('ended', function () { closeStretch(); report(false); });

  function report(leaving) {
    if (from !== null) {
      // Cut the stretch being played at this instant; playing goes on in a new one.
      var at = video.currentTime;
      last = at;
      closeStretch();
      from = last = at;
    }
    if (played.length === 0 || (sending && !leaving)) { return; }
    var batch = played.splice(0, 50);
    sending = true;
    fetch(url, {
      method: 'POST', credentials: 'same-origin', keepalive: leaving,
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ played: batch })
    }).then(function (response) {
      if (response.ok) { return response.json(); }
      // Refused (the server says why in its problem details) is final; anything else is tried again next time.
      if (response.status >= 500 || response.status === 429) { played = batch.concat(played); }
      return null;
    }).then(function (progress) {
      if (progress && progress.counted && share && template) {
        share.textContent = template.replace('{0}', percent.format(Math.floor(progress.share * 100) / 100));
      }
    }).catch(function () {
      played = batch.concat(played);
    }).finally(function () { sending = false; });
  }

  setInterval(function () { report(false); }, 15000);
  document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') { report(true); } });
  window.addEventListener('pagehide', function () { report(true); });
})();
