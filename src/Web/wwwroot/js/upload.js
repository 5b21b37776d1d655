// Progress bars for the upload forms. Without this script the forms post as usual; with it, the same request goes
// through XMLHttpRequest so its upload progress can be shown, and the answer replaces the page as a normal post would.
(function () {
  'use strict';
  document.querySelectorAll('form[data-progress]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      var bar = form.querySelector('progress');
      if (!bar || !window.FormData) { return; }
      event.preventDefault();
      var button = form.querySelector('button[type=submit]');
      if (button) { button.disabled = true; }
      bar.hidden = false;
      var request = new XMLHttpRequest();
      request.open('POST', form.action);
      request.upload.addEventListener('progress', function (e) {
        if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
      });
      request.addEventListener('load', function () {
        // The request already followed the redirect and its page carries the one-time notice, so that page is shown
        // as it came (a second navigation would lose the notice), under its own address.
        var url = request.responseURL;
        document.open();
        document.write(request.responseText);
        document.close();
        if (request.status < 300 && url) { history.replaceState(null, '', url); }
      });
      request.addEventListener('error', function () {
        bar.hidden = true;
        if (button) { button.disabled = false; }
        // The form's data-progress holds the message in the page's language.
        alert(form.getAttribute('data-progress') || 'The upload was interrupted. Nothing was stored; please try again.');
      });
      request.send(new FormData(form));
    });
  });
})();
